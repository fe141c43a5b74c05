"""Which files of the source folder are articles, listed as cheaply as the disk allows.

Kept apart from `load.py` (which parses) so that the no-change check of an
incremental build (`unchanged.py`) can list the articles without importing parsers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from operator import attrgetter
from pathlib import Path
from stat import S_ISREG

from .write import file_stat

SEED_SUFFIXES = frozenset({".txt"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
SHEET_SUFFIXES = frozenset({".csv"})
ARTICLE_SUFFIXES = SEED_SUFFIXES | MARKDOWN_SUFFIXES | SHEET_SUFFIXES

# path, as source_files gives it -> its size and time (`write.file_stat`): one int is
# 36 bytes, a list of two 136 (at 100,000 articles a build after an edit holds two tables)
SourceStats = dict[str, int]


_SUFFIXES = tuple(sorted(ARTICLE_SUFFIXES))
HIDDEN = (".", "_")  # names starting so are skipped, folders and files alike


def is_article_name(name: str) -> bool:
    """Whether a file of this name (not hidden) is an article."""
    return name.lower().endswith(_SUFFIXES)


def _walk(folder: Path | str) -> Iterator[tuple[str, os.stat_result]]:
    """Article files under `folder` (skipping hidden and `_`-prefixed names at any depth),
    with their stat, sorted by folder and name (as `path.split(os.sep)` sorts).

    One scandir per folder and one stat per article file: `serve` lists the sources
    before every rebuild, and on a large archive this is most of an edit's time."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=attrgetter("name"))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if name.startswith(HIDDEN):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(entry.path)
                continue
            if not is_article_name(name):
                continue
            stat = entry.stat()
        except OSError:
            continue  # gone, or a broken link: not an article
        if S_ISREG(stat.st_mode):
            yield entry.path, stat


def source_files(folder: Path) -> list[tuple[str, os.stat_result]]:
    """Article files under `folder` with their stat, sorted by folder and name."""
    return list(_walk(folder))


def source_stats(folder: Path) -> SourceStats:
    """Size and modification time of every article file: what an incremental build
    compares to know whether anything changed."""
    return {path: file_stat(stat.st_size, stat.st_mtime_ns) for path, stat in _walk(folder)}
