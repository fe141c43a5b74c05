"""How fast the search box answers on a site of 10,000 articles, measured in Chromium.

    python bench/search_timing.py [--n 10000] [--rounds 5] [--keep DIR | --site DIR]

Makes N articles from the sentences of `seeds/*.txt` (a unique lead sentence of seed
names, places and topics, then seed sentences; dates spread over 2015-2024), builds the
site, serves it on 127.0.0.1 and opens it in Debian's Chromium through Playwright.  For
each query it sets the box's value, fires `input`, and takes performance.now() inside the
page from then until search.js reports that it rendered the results of that query.

Four kinds of query are timed, "rendered" meaning the results are in the page and laid out:
- cold: the first query on a fresh page, set without focusing the box first, so
  `search/index.json`, the shards and the parts of the article table it shows are fetched
  while the clock runs (the worst case);
- first, after focus: as a reader does it: the box gets focus (search.js then fetches
  `index.json`), and 0.5 s later the first word (the shard is fetched while timed);
- new shard: the index is loaded, but the query needs a shard not fetched yet;
- warm: everything it needs is loaded.

The site is served by Python's http.server (with keep-alive and TCP_NODELAY) in a process
of its own, without compression; sizes are given raw and gzipped.

Prints Markdown: the sizes of the index files, and the median and maximum per kind and per
query.  It measures; it never fails on a timing.  Building 10,000 articles takes minutes
(most of it the model stage); `--keep DIR` keeps corpus and site, `--site DIR` measures a
site built already.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import multiprocessing
import random
import shutil
import socket
import statistics
import sys
import tempfile
import time
from functools import partial
from itertools import product
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.build import build  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.load import load_documents  # noqa: E402
from generator.text import sentences  # noqa: E402

SEEDS = REPO / "seeds"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FIRST_YEAR, YEARS = 2015, 10

PEOPLE = (
    "Donald Trump",
    "Vladimir Poetin",
    "Sergej Lavrov",
    "Sergej Kislyak",
    "John Bolton",
    "Hillary Clinton",
    "John McCain",
    "Lindsey Graham",
    "Dan Coates",
    "Mario Rubio",
)
VERBS = ("spreekt", "overlegt", "botst", "praat", "onderhandelt")
PLACES = ("Helsinki", "Washington", "Moskou", "Hamburg", "Jeruzalem", "Brussel", "Genève")
TOPICS = (
    "cyberveiligheid",
    "Islamitische Staat",
    "de Krim",
    "Syrië",
    "Noord-Korea",
    "kernwapens",
    "terrorisme",
    "Israël",
    "de presidentsverkiezingen",
    "staatsgeheimen",
    "de NAVO",
    "Iran en Hezbollah",
)

# Typed in this order on each fresh page: the first fetches the index and its shards; the
# others are "new shard" when search.js fetched a file for them, else "warm".
QUERIES = (
    "helsinki",
    "israel",
    "poetin",
    "kern",
    "cyberveiligheid amerikaanse",
    "staatsgeheimen lavrov",
    "zz",
    "helsinki",
    "israel",
    "hel",
    "helsinki trump",
    "trump",
    "poetin",
    "kernwapens",
    "israel helsinki",
    "staatsgeheimen",
    "cyberveiligheid amerikaanse",
    "de",
)


TYPING_MS = 500  # from focus to the first word typed


def make_corpus(n: int, out: Path, seed: int = 1) -> None:
    """N articles in the seeds' plain-text format, and a site.toml."""
    documents, _ = load_documents(SEEDS)
    pool = [
        s for d in documents for b in d.document.blocks if b.kind == "p" for s in sentences(b.text)
    ]
    rng = random.Random(seed)
    leads = list(product(PEOPLE, VERBS, PLACES, PEOPLE, TOPICS))
    leads = [lead for lead in leads if lead[0] != lead[3]]
    rng.shuffle(leads)
    if n > len(leads):
        raise SystemExit(f"at most {len(leads)} articles")
    out.mkdir(parents=True)
    (out / "site.toml").write_text('title = "Zoekproef"\nlanguage = "nl"\n', encoding="utf-8")
    for number, (a, verb, place, b, topic) in enumerate(leads[:n]):
        month = rng.randrange(YEARS * 12)
        date = f"{FIRST_YEAR + month // 12}-{month % 12 + 1:02d}"
        if rng.random() < 1 / 3:
            date += f"-{rng.randint(1, 28):02d}"
        lead = f"{a} {verb} in {place} met {b} over {topic}. " + " ".join(rng.sample(pool, 2))
        paragraphs = [
            " ".join(rng.sample(pool, rng.randint(2, 4))) for _ in range(rng.randint(3, 6))
        ]
        text = f" date {date} {lead}\n\n" + "\n\n".join(paragraphs) + "\n"
        (out / f"{number:05d}.txt").write_text(text, encoding="utf-8")


def index_sizes(site: Path) -> dict[str, Any]:
    folder = site / "search"
    index = json.loads((folder / "index.json").read_bytes())
    parts = [folder / name for name in index["table"]]
    shards = [folder / name for name in index["shards"].values()]
    files = [folder / "index.json", *parts, *shards]
    largest = max(shards, key=lambda f: f.stat().st_size)

    def gz(path: Path) -> int:
        return len(gzip.compress(path.read_bytes(), 9, mtime=0))

    return {
        "articles": index["articles"],
        "files": len(files),
        "total": sum(f.stat().st_size for f in files),
        "total_gz": sum(gz(f) for f in files),
        "index": (folder / "index.json").stat().st_size,
        "index_gz": gz(folder / "index.json"),
        "parts": len(parts),
        "table": sum(f.stat().st_size for f in parts),
        "table_gz": sum(gz(f) for f in parts),
        "largest_part": max(f.stat().st_size for f in parts),
        "largest_part_gz": max(gz(f) for f in parts),
        "largest": largest.name,
        "largest_size": largest.stat().st_size,
        "largest_gz": gz(largest),
        "median_shard": statistics.median(f.stat().st_size for f in shards),
    }


class _Handler(http.server.SimpleHTTPRequestHandler):
    """A static host: keep-alive, and no Nagle delay (http.server writes the headers and
    the body separately, which otherwise costs ~40 ms a file on loopback)."""

    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass


# Runs inside the page: time from setting the query to search.js's "rendered" event.
MEASURE = """async (query) => {
  const form = document.querySelector("form.search");
  const input = form.querySelector("input");
  const done = new Promise((resolve) => {
    const listener = (event) => {
      if (event.detail.query === query) {
        form.removeEventListener("search-rendered", listener);
        resolve(event.detail);
      }
    };
    form.addEventListener("search-rendered", listener);
  });
  const start = performance.now();
  input.value = query;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  const detail = await done;
  form.querySelector(".search-results").offsetHeight; // lay the results out, too
  return [performance.now() - start, detail.count, detail.fetched];
}"""


def measure(url: str, rounds: int) -> dict[str, list[tuple[str, float, int]]]:
    from playwright.sync_api import sync_playwright

    found: dict[str, list[tuple[str, float, int]]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(rounds):
            context = browser.new_context()  # a fresh cache each round
            page = context.new_page()
            page.goto(url)
            for number, query in enumerate(QUERIES):
                ms, count, fetched = page.evaluate(MEASURE, query)
                label = "cold" if number == 0 else "new shard" if fetched else "warm"
                found.setdefault(label, []).append((query, ms, count))
            context.close()
            # As a reader does it: the box gets focus (search.js then fetches index.json),
            # and typing the first word takes a moment.
            context = browser.new_context()
            page = context.new_page()
            page.goto(url)
            page.focus("#search_input")
            page.wait_for_timeout(TYPING_MS)
            ms, count, _ = page.evaluate(MEASURE, QUERIES[0])
            found.setdefault("first, after focus", []).append((QUERIES[0], ms, count))
            context.close()
        browser.close()
    return found


def _serve(site: Path, port: Any) -> None:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_Handler, directory=str(site))
    )
    port.value = server.server_port
    server.serve_forever()


def serve_and_measure(site: Path, rounds: int) -> dict[str, list[tuple[str, float, int]]]:
    """Serve `site` from a process of its own (so that it never waits for this one's GIL)."""
    port = multiprocessing.Value("i", 0)
    server = multiprocessing.Process(target=_serve, args=(site, port), daemon=True)
    server.start()
    try:
        while not port.value:
            time.sleep(0.05)
        return measure(f"http://127.0.0.1:{port.value}/", rounds)
    finally:
        server.terminate()
        server.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles (default: 10000)")
    parser.add_argument("--rounds", type=int, default=5, help="fresh pages (default: 5)")
    parser.add_argument("--keep", type=Path, help="make the corpus and site here, and keep them")
    parser.add_argument("--site", type=Path, help="measure this built site; make and build nothing")
    args = parser.parse_args(argv)

    if args.site:
        site = args.site
        found = serve_and_measure(site, args.rounds)
    else:
        work = args.keep or Path(tempfile.mkdtemp(prefix="search-timing-"))
        corpus, site = work / "corpus", work / "site"
        try:
            if not corpus.exists():
                print(f"making {args.n} articles in {corpus}", file=sys.stderr)
                make_corpus(args.n, corpus)
            print(build(load_config(corpus, out=site)).summary(), file=sys.stderr)
            sizes = index_sizes(site)
            found = serve_and_measure(site, args.rounds)
        finally:
            if args.keep is None:
                shutil.rmtree(work, ignore_errors=True)
    if args.site:
        sizes = index_sizes(site)
    report(sizes, found, args.rounds)
    return 0


def report(
    sizes: dict[str, Any], found: dict[str, list[tuple[str, float, int]]], rounds: int
) -> None:
    kib = 1024
    print(f"## Search on {sizes['articles']} articles ({rounds} fresh pages)\n")
    print(
        f"- index: {sizes['files']} files, {sizes['total'] / kib:.0f} KiB "
        f"({sizes['total_gz'] / kib:.0f} KiB gzipped)"
    )
    print(
        f"- `index.json`: {sizes['index'] / kib:.1f} KiB ({sizes['index_gz'] / kib:.1f} KiB "
        "gzipped)"
    )
    print(
        f"- article table: {sizes['table'] / kib:.0f} KiB ({sizes['table_gz'] / kib:.0f} KiB "
        f"gzipped) in {sizes['parts']} parts, the largest {sizes['largest_part'] / kib:.0f} "
        f"KiB ({sizes['largest_part_gz'] / kib:.1f} KiB gzipped)"
    )
    print(
        f"- largest shard `{sizes['largest']}`: {sizes['largest_size'] / kib:.0f} KiB "
        f"({sizes['largest_gz'] / kib:.0f} KiB gzipped); median shard "
        f"{sizes['median_shard'] / kib:.1f} KiB\n"
    )
    print("| query kind | queries | median ms | max ms |")
    print("| --- | --- | --- | --- |")
    for label, rows in found.items():
        times = [ms for _, ms, _ in rows]
        print(f"| {label} | {len(rows)} | {statistics.median(times):.1f} | {max(times):.1f} |")
    print("\n| query | results | median ms | max ms |")
    print("| --- | --- | --- | --- |")
    per_query: dict[tuple[str, str], list[tuple[float, int]]] = {}
    for label, rows in found.items():
        for query, ms, count in rows:
            per_query.setdefault((label, query), []).append((ms, count))
    for (label, query), rows in per_query.items():
        times = [ms for ms, _ in rows]
        print(
            f"| `{query}` ({label}) | {rows[0][1]} | {statistics.median(times):.1f} | "
            f"{max(times):.1f} |"
        )


if __name__ == "__main__":
    sys.exit(main())
