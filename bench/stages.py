"""Time each stage of one cold build (load, model, render + write, finish).

    python bench/stages.py /tmp/corpus [--out /tmp/out]

Prints seconds per stage and the process's peak memory; the output folder is emptied
first.  A profile of one stage: run under `python -m cProfile -o x.prof` with
TIJDLIJN_WORKERS=1 so that the work happens in this process.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.config import load_config
from generator.load import load_documents
from generator.model import build_site
from generator.render import Renderer, default_theme
from generator.write import SiteWriter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--out", type=Path, default=Path("/tmp/tijdlijn-stages"))
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    config = load_config(args.source, None, out=args.out)
    times: dict[str, float] = {}
    peaks: dict[str, float] = {}

    def peak() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    start = time.perf_counter()
    documents, _ = load_documents(config.source)
    times["load"] = time.perf_counter() - start
    peaks["load"] = peak()
    mark = time.perf_counter()
    site, _ = build_site(documents, config)
    del documents  # as build() does
    times["model"] = time.perf_counter() - mark
    peaks["model"] = peak()
    mark = time.perf_counter()
    renderer = Renderer(site, default_theme())
    from generator.build import _pages  # the build's own page stream

    writer = SiteWriter(config.out, config.source)
    stream = iter(_pages(renderer, writer))
    pages = len(renderer.plan())
    for path, item in stream:
        writer.add(path, item)
    times["render + write"] = time.perf_counter() - mark
    peaks["render + write"] = peak()
    mark = time.perf_counter()
    writer.finish()
    times["finish (swap)"] = time.perf_counter() - mark
    peaks["finish (swap)"] = peak()
    total = time.perf_counter() - start
    for stage, seconds in times.items():
        print(f"{stage:24} {seconds:7.2f} s   peak RSS after it: {peaks[stage]:4.0f} MiB")
    print(f"{'total':24} {total:7.2f} s  ({len(site.articles)} articles, {pages} pages)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: {peak:.0f} MiB (largest worker {children:.0f} MiB)")


if __name__ == "__main__":
    main()
