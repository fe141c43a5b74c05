"""Which files of the source folder are articles, listed as cheaply as the disk allows.

Kept apart from `load.py` (which parses) so that the no-change check of an
incremental build (`unchanged.py`) can list the articles without importing parsers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from stat import S_ISREG

SEED_SUFFIXES = frozenset({".txt"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
SHEET_SUFFIXES = frozenset({".csv"})
ARTICLE_SUFFIXES = SEED_SUFFIXES | MARKDOWN_SUFFIXES | SHEET_SUFFIXES

SourceStats = dict[str, list[int]]  # path, as iter_sources gives it -> [size, mtime_ns]


def _hidden(name: str) -> bool:
    return name.startswith((".", "_"))


def _walk(folder: Path) -> Iterator[tuple[str, os.stat_result]]:
    """Article files under `folder` (skipping hidden and `_`-prefixed names at any depth),
    with their stat, in no particular order."""
    for parent, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not _hidden(name)]
        for name in names:
            if _hidden(name) or os.path.splitext(name)[1].lower() not in ARTICLE_SUFFIXES:
                continue
            path = os.path.join(parent, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue  # gone, or a broken link: not an article
            if S_ISREG(stat.st_mode):
                yield path, stat


def iter_sources(folder: Path) -> Iterator[Path]:
    """Article files under `folder`, sorted by folder and name."""
    paths = sorted((path for path, _ in _walk(folder)), key=lambda p: p.split(os.sep))
    return map(Path, paths)


def source_stats(folder: Path) -> SourceStats:
    """Size and modification time of every article file: what an incremental build
    compares to know whether anything changed."""
    return {path: [stat.st_size, stat.st_mtime_ns] for path, stat in _walk(folder)}
