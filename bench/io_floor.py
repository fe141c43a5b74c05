"""The disk's floor: read every source file, write as many pages as a build, no templating.

    python bench/io_floor.py --source DIR --out DIR [--pages N --page-bytes B]

Reads every file under --source (as a build reads its articles) and writes --pages files
of --page-bytes each (default: one page per source file, of that file's size) as
`YYYY/MM/page-NNNNNN/index.html` under --out, one folder per page like Tijdlijn's
`YYYY/MM/<slug>/index.html`.  No parsing, no templating, no hashing: what is left of a
build's time once all of its work is taken away.  Prints the seconds it took.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def read_sources(source: Path) -> list[bytes]:
    """The bytes of every file under `source`, in sorted path order."""
    data: list[bytes] = []
    for folder, dirs, names in os.walk(source):
        dirs.sort()
        for name in sorted(names):
            data.append(Path(folder, name).read_bytes())
    return data


def page_path(out: Path, index: int) -> Path:
    """Page `index` spread over 10 years x 12 months of folders, one folder per page."""
    month = index % 120
    return (
        out / f"{2015 + month // 12}" / f"{month % 12 + 1:02d}" / f"page-{index:06d}" / "index.html"
    )


def write_pages(out: Path, sources: Sequence[bytes], pages: int, page_bytes: int | None) -> int:
    """Write `pages` files; each is a source file's bytes, repeated or cut to size."""
    written = 0
    for index in range(pages):
        body = sources[index % len(sources)] if sources else b"x"
        size = page_bytes if page_bytes is not None else len(body)
        data = (body * (size // max(len(body), 1) + 1))[:size]
        target = page_path(out, index)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written += len(data)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, required=True, help="folder to read")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (new or empty)")
    parser.add_argument("--pages", type=int, help="pages to write (default: one per source)")
    parser.add_argument("--page-bytes", type=int, help="bytes per page (default: source size)")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        print(f"{args.out}: exists and is not empty; choose a new folder", file=sys.stderr)
        return 1
    started = time.perf_counter()
    sources = read_sources(args.source)
    pages = len(sources) if args.pages is None else args.pages
    written = write_pages(args.out, sources, pages, args.page_bytes)
    seconds = time.perf_counter() - started
    print(f"{seconds:.3f} s: read {len(sources)} files, wrote {pages} pages ({written} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
