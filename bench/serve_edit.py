"""Time edits inside `serve`: the rebuild serve runs after a save, in one process.

    python bench/serve_edit.py --source CORPUS --out DIR [--edits 5]

Builds CORPUS into DIR with `serve`'s own rebuild (the state kept in memory from build
to build), then for each edit appends a sentence to the article in the middle of the
folder (as run.py's edit does; no new name, so its date, headline and names stay) and
times serve's rebuild, from the save to the last file written.  Prints one line per
rebuild: `first build 18.20 s` and `edit 1: 0.153 s (patched)`, where `patched` means the
edit was made live without building the site again (see generator/patch.py), `full`
that the site was built again.  It does not start a web server or a file watcher:
livereload's polling of the folder comes on top of this, and a browser's reload.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

import make_corpus  # noqa: E402

from generator.serve import SiteServer  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    server = SiteServer(args.source, args.out)
    started = time.perf_counter()
    if not server.rebuild():
        return 1
    print(f"first build {time.perf_counter() - started:.2f} s", flush=True)
    files = sorted(p for p in args.source.iterdir() if p.suffix in (".txt", ".md"))
    edited = files[len(files) // 2]
    for number in range(1, args.edits + 1):
        text = edited.read_text(encoding="utf-8").rstrip("\n")
        edited.write_text(f"{text} {make_corpus.EDIT_SENTENCE} (s{number})\n", encoding="utf-8")
        kept = server.state.last
        started = time.perf_counter()
        if not server.rebuild():
            return 1
        seconds = time.perf_counter() - started
        how = "patched" if kept is not None and server.state.last is kept else "full"
        print(f"edit {number}: {seconds:.3f} s ({how})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
