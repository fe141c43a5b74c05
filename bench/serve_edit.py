"""Time edits inside `serve`.

    python bench/serve_edit.py --source CORPUS --out DIR [--edits 5] [--kind KIND] [--live]

Builds CORPUS into DIR with `serve`'s own rebuild (the state kept in memory from build
to build), then makes each edit and times serve's rebuild, from the save to the last file
written, told which file changed as serve's file watcher tells it.  The edits (`--kind`):

- `text` (the default): a sentence appended to the article in the middle of the folder
  (as run.py's edit does; no new name, so its date, headline and names stay);
- `headline`: `(s1)`, `(s2)`, ... added to that article's headline;
- `names`: a sentence quoting someone no article names yet, another one each time (as an
  author adds a source: the article's names change);
- `known`: a sentence quoting someone with a page of their own whom the article did not
  name, another one each time (the article comes into that name's list);
- `new`: a new article in 2019 (removed again at the end);
- `newest`: a new article dated after every other, a day later each time (as a
  newsroom adds the latest news; removed again at the end);
- `removed`: such an article added (not timed), then its file deleted (timed);
- `date`: that article moved to another date, a different one each time (put back as it
  was at the end).

Prints one line per rebuild: `first build 18.20 s` and `edit 1: 0.153 s (patched)`, where
`patched` means the edit was made live without building the site again (see
generator/patch.py), `full` that the site was built again (incrementally).  Between
rebuilds it lets the server do what it does while it waits for a save (render the
cards, `SiteServer.warm_step`), not timed; after the first build it prints how long
that took: `warmed 0.31 s`.

With `--live` it runs `python -m generator serve` itself and times each edit from the
save to the server's `Built …` line (its file watcher and the rebuild; not a browser's
reload), and prints the server's CPU seconds over 5 idle seconds: `idle CPU 0.01 s`.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

import make_corpus  # noqa: E402

from generator.serve import SiteServer  # noqa: E402


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def live(source: Path, out: Path, edits: int) -> int:
    """Edits timed against a real `serve` process, from the save to its `Built` line."""
    port = free_port()
    command = [sys.executable, "-m", "generator", "serve", "--source", source, "--out", out]
    # The server appends to the log through a file of its own, and this process reads it
    # through another: with one shared file (and so one shared offset), a seek to read it
    # could make the server write over what it had written, and a lost `Built` line hung
    # the runner.
    with tempfile.TemporaryDirectory() as folder, open(Path(folder) / "log", "ab") as written:
        server = subprocess.Popen(
            [str(part) for part in [*command, "--port", str(port)]],
            cwd=BENCH.parent,
            stdout=written,
            stderr=subprocess.STDOUT,
        )

        def built() -> int:
            return (Path(folder) / "log").read_text(errors="replace").count("Built ")

        try:
            started = time.perf_counter()
            while built() == 0:
                if time.perf_counter() - started > 600 or server.poll() is not None:
                    return 1
                time.sleep(0.05)
            print(f"first build {time.perf_counter() - started:.2f} s", flush=True)
            time.sleep(1)
            before = cpu_seconds(server.pid)
            time.sleep(5)
            print(f"idle CPU {cpu_seconds(server.pid) - before:.2f} s in 5 s", flush=True)
            edited = make_corpus.article_to_edit(source)
            for number in range(1, edits + 1):
                count = built()
                started = time.perf_counter()
                make_corpus.append_edit(edited, f"s{number}")
                while built() == count:
                    if time.perf_counter() - started > 120 or server.poll() is not None:
                        return 1
                    time.sleep(0.002)
                print(f"edit {number}: {time.perf_counter() - started:.3f} s (live)", flush=True)
                time.sleep(0.5)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


def settle(server: SiteServer) -> None:
    """What `serve` does while it waits for the next save: render the cards, a step at a
    time (all at once here: untimed; after a patch there is little or nothing left)."""
    while server.warm_step():
        pass


def known_name(server: SiteServer, edited: Path, number: int) -> str:
    """A name with a page that the edited article does not name, another for each
    `number`: from the middle of those names ordered by how many articles name them
    (every page of its list is written again: each counts the list's articles)."""
    last = server.state.last
    if last is None:
        raise SystemExit("serve kept no site to look the names up in")
    site = last.site
    named = {n for a in site.articles if Path(a.source_path).name == edited.name for n in a.names}
    entries = sorted((len(e.articles), e.name) for e in site.names if e.name not in named)
    return entries[(len(entries) // 2 + number) % len(entries)][1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument(
        "--kind",
        choices=("text", "headline", "names", "known", "new", "newest", "removed", "date"),
        default="text",
    )
    parser.add_argument("--live", action="store_true", help="time a real serve process")
    args = parser.parse_args()
    if args.live:
        return live(args.source, args.out, args.edits)
    server = SiteServer(args.source, args.out)
    started = time.perf_counter()
    if not server.rebuild():
        return 1
    print(f"first build {time.perf_counter() - started:.2f} s", flush=True)
    started = time.perf_counter()
    settle(server)
    print(f"warmed {time.perf_counter() - started:.2f} s", flush=True)
    edited = make_corpus.article_to_edit(args.source)
    original = edited.read_bytes()
    added: list[Path] = []
    try:
        for number in range(1, args.edits + 1):
            if args.kind == "text":
                make_corpus.append_edit(edited, f"s{number}")
                saved = edited
            elif args.kind == "headline":
                make_corpus.edit_headline(edited, f"s{number}")
                saved = edited
            elif args.kind == "names":
                make_corpus.name_edit(edited, number)
                saved = edited
            elif args.kind == "known":
                make_corpus.quote(edited, known_name(server, edited, number), number)
                saved = edited
            elif args.kind == "date":
                make_corpus.move_article(edited, number)
                saved = edited
            elif args.kind == "newest":
                saved = make_corpus.add_newest(args.source, number)
                added.append(saved)
            elif args.kind == "removed":  # added first (not timed), then deleted
                saved = make_corpus.add_newest(args.source, number)
                if not server.rebuild({str(saved.resolve())}):
                    return 1
                settle(server)
                saved.unlink()
            else:
                saved = make_corpus.add_article(args.source, f"s{number}")
                added.append(saved)
            started = time.perf_counter()
            if not server.rebuild({str(saved.resolve())}):  # as serve's watcher reports it
                return 1
            seconds = time.perf_counter() - started
            how = "patched" if server.report and server.report.patched else "full"
            print(f"edit {number}: {seconds:.3f} s ({how})", flush=True)
            settle(server)
    finally:
        for path in added:
            path.unlink()
        if args.kind in ("date", "names", "known"):  # as it was: the next run adds them anew
            edited.write_bytes(original)
    return 0


if __name__ == "__main__":
    sys.exit(main())
