"""What a build remembers for the next one: parsed sources, page fingerprints and the
search index.

`serve` keeps a BuildState in memory; `build --incremental` keeps it in
`.tijdlijn-cache/` next to the output folder (git-ignored; safe to delete).
Pages are trusted only under the same key: the generator's code, the theme and
the settings.  The output is always byte-identical to a clean build.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .crossref import EarlierChoices
from .load import SourceCache
from .sources import SourceStats
from .write import CACHE_FOLDER

if TYPE_CHECKING:
    from .patch import LastBuild
    from .search import SearchIndex

_FORMAT = 6


@dataclass
class BuildState:
    code: str = ""  # the generator's own source: parsed sources depend on it
    key: str = ""  # code, theme and settings: page fingerprints depend on it
    sources: SourceCache = field(default_factory=dict)
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (fingerprint, digest)
    # The related articles the last build chose (crossref.RelatedArticles.reuse).
    related: EarlierChoices | None = None
    # The last build's search index (6 MB in the cache file at 10,000 articles): with it,
    # the next build patches the site after edits to texts (see build.py's `_patch_cached`).
    search: SearchIndex | None = None
    # `serve` only, never saved: the last good build's model, to patch after an edit
    # to texts (see patch.py).
    keep_last: bool = False
    last: LastBuild | None = field(default=None, repr=False, compare=False)

    def begin(self, code: str, key: str) -> None:
        """Forget what no longer holds under a new version of code, theme or settings."""
        if code != self.code:
            self.sources.clear()
        if key != self.key:
            self.pages.clear()
            self.related = None
            self.search = None
        if (code, key) != (self.code, self.key):
            self.last = None
        self.code, self.key = code, key

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "last": None}


def cache_file(out: Path) -> Path:
    return out.parent / CACHE_FOLDER / f"{out.name}.pickle"


def load_state(out: Path) -> BuildState:
    """The state saved by the last incremental build into `out`, or a fresh one."""
    errors = (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError)
    try:
        with cache_file(out).open("rb") as file:
            version, state = pickle.load(file)  # our own cache file, never downloaded
            if version != _FORMAT or not isinstance(state, BuildState):
                return BuildState()
            while True:  # then one (path, record) per source file
                try:
                    path, record = pickle.load(file)
                except EOFError:
                    break
                state.sources[path] = record
    except errors:
        return BuildState()
    return state


def save_state(out: Path, state: BuildState) -> None:
    """The state without its sources, then one pickle per source file: a pickler keeps a
    note of every object it wrote, and for the whole cache at once those notes raised an
    incremental build's peak memory by 15 MiB (10,000 Markdown articles)."""
    path = cache_file(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as file:
        pickle.dump((_FORMAT, replace(state, sources={})), file, protocol=pickle.HIGHEST_PROTOCOL)
        for source, record in state.sources.items():
            pickle.dump((source, record), file, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(path)


def source_stats_read(state: BuildState) -> SourceStats:
    """Size and time of each article file as the last build found it just before reading
    it (or, unchanged, not reading it): what the next build's shortcut compares."""
    return {path: [record.size, record.mtime_ns] for path, record in state.sources.items()}
