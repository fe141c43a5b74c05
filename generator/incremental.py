"""What a build remembers for the next one: parsed sources, page fingerprints, the
search index and where each article's page and search entry are.

`serve` keeps a BuildState in memory; `build --incremental` keeps it in
`.tijdlijn-cache/` next to the output folder (git-ignored; safe to delete).
Pages are trusted only under the same key: the generator's code, the theme and
the settings.  The output is always byte-identical to a clean build.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from .crossref import EarlierChoices
from .load import SourceCache, SourceRecord
from .search import SearchIndex
from .sources import SourceStats
from .unchanged import code_version
from .write import CACHE_FOLDER, Shared, Tree, file_stat, intact_tree

if TYPE_CHECKING:
    from .patch import LastBuild

# How the cache files are framed.  What they hold (the classes pickled, their fields)
# is the generator's code: a cache is unpickled only by the code that wrote it (see
# `_load_header`), so a change to a class never meets a cache laid out for the old one.
_FORMAT = 10


def with_digest(fingerprint: str, digest: str) -> str:
    """An article page's fingerprint (see render.Renderer.fingerprint): the hash of what
    it is made from besides its file, then the file's digest."""
    return f"{fingerprint.partition(':')[0]}:{digest}"


@dataclass(frozen=True)
class SearchFile:
    """A search index that the worker which made it pickled into a file of the cache
    folder (`write_search`), instead of sending it back: `build --incremental` never
    needs it in memory, and at 100,000 articles it is 87 MiB.  `save_state` makes the
    file the cache's."""

    path: Path
    token: bytes  # what the file starts with

    def load(self) -> SearchIndex | None:
        """The index, if the file is still the one written."""
        try:
            with self.path.open("rb") as file:
                if file.read(len(self.token)) != self.token:
                    return None
                index = pickle.load(file)  # our own cache file, never downloaded
        except _ERRORS:
            return None
        return index if isinstance(index, SearchIndex) else None


class ArticleFiles(NamedTuple):
    number: int  # in the search index
    page: str  # the path of its page, `2017/05/<slug>/index.html`
    in_feeds: bool  # the feeds carry its text


@dataclass
class BuildState:
    # Code, theme and settings: page fingerprints depend on it.  (Parsed sources depend
    # on the code alone, which a state never outlives: `serve` runs one version, and a
    # cache is read only by the code that wrote it, see `_load_header`.)
    key: str = ""
    sources: SourceCache = field(default_factory=dict)
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (fingerprint, digest)
    # The related articles the last build chose (crossref.RelatedArticles.reuse).
    related: EarlierChoices | None = None
    # The last build's search index (4.4 MB in the cache at 10,000 articles): with it, the
    # next build patches the site after edits to texts (build.py's `_patch_cached`).
    search: SearchIndex | SearchFile | None = None
    # Where each article is (by its location, see model.Article), as the search index and
    # the output have it: what a build after a text edit needs without the site model
    # (textedit.py).  Kept by `build --incremental` only.
    articles: dict[str, ArticleFiles] = field(default_factory=dict)
    # `serve` only, never saved: the last good build's model, to patch after an edit
    # to texts (see patch.py).
    keep_last: bool = False
    last: LastBuild | None = field(default=None, repr=False, compare=False)
    # The records file as `load_state` read it, never saved: see `save_state`.
    records: _Records | None = field(default=None, repr=False, compare=False)

    def begin(self, key: str) -> None:
        """Forget what no longer holds under another theme or other settings."""
        if key != self.key:
            self.pages.clear()
            self.related = None
            self.search = None
            self.articles = {}
            self.last = None
        self.key = key

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "last": None, "records": None}

    def output(self, out: Path) -> Tree | None:
        """The manifest of the site in `out` if it is the site this state describes:
        every file as written, every page as fingerprinted last (not built since without
        the state, nor edited by hand); else None."""
        # its strings those of the table (25 MB at 100,000 articles)
        tree = intact_tree(out, like=Shared({p: d for p, (_, d) in self.pages.items()}))
        if tree is None or any(tree.files.get(p) != d for p, (_, d) in self.pages.items()):
            return None
        return tree


def cache_file(out: Path) -> Path:
    """The state without its sources and its search index (5 MB at 10,000 articles,
    50 MB at 100,000), and where each source's record is in `records_file`."""
    return out.parent / CACHE_FOLDER / f"{out.name}.pickle"


def search_file(out: Path) -> Path:
    """The state's search index (see `SearchFile`)."""
    return out.parent / CACHE_FOLDER / f"{out.name}.search.pickle"


def new_search_file(out: Path) -> Path:
    """Where a build's worker puts the search index it made, until `save_state`."""
    return out.parent / CACHE_FOLDER / f"{out.name}.search.new"


def write_search(path: Path, index: SearchIndex) -> SearchFile:
    """Pickle a search index into a file of its own, after a token of its own."""
    token = os.urandom(16)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        file.write(token)
        pickle.dump(index, file, protocol=pickle.HIGHEST_PROTOCOL)
    return SearchFile(path, token)


def _read_search(out: Path, token: bytes | None) -> SearchIndex | None:
    return None if token is None else SearchFile(search_file(out), token).load()


def _kept_search(out: Path, search: SearchIndex | SearchFile | None) -> bytes | None:
    """Make a state's search index the cache's (`search_file`); its token, if any."""
    final = search_file(out)
    if isinstance(search, SearchFile):
        if search.path != final:
            os.replace(search.path, final)
        return search.token
    if search is None:
        final.unlink(missing_ok=True)
        return None
    temporary = final.with_suffix(".tmp")
    token = write_search(temporary, search).token
    temporary.replace(final)
    return token


def records_file(out: Path) -> Path:
    """Each source file's record, one pickle after another (48 MB at 10,000 articles).
    A build after a text edit reads and adds only the edited files' (see textedit.py);
    a record added replaces the one before it, whose bytes stay until the next save."""
    return out.parent / CACHE_FOLDER / f"{out.name}.sources.pickle"


@dataclass
class _Header:
    """What `cache_file` holds: the state, and the records file it goes with (a token
    that file starts with, and its size) with each record's offset in it.  A records
    file that does not match (a save stopped half-way) makes the whole cache unknown."""

    token: bytes
    size: int
    offsets: dict[str, int]
    state: BuildState  # its `sources` and `search` empty: they are in files of their own
    search_token: bytes | None  # what `search_file` starts with, if there is one
    replaced: int = 0  # about how many bytes of the records file no record uses


@dataclass(frozen=True)
class _Records:
    """The records file as `load_state` read it, and each record's file size and time
    then: `save_state` adds to its end the records of the files read again since."""

    header: _Header
    stats: SourceStats  # as `source_stats_read` has them


# `save_state` writes the records file whole again once records no longer used would
# be more than this share of it (each edit adds the edited file's record to its end).
REPLACED_SHARE = 0.25


_ERRORS = (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError)


def _load_header(out: Path) -> _Header | None:
    """The header, if the code that wrote it is this code.  Other code's classes may have
    other fields: `pickled_as_fields` records would take each other's values, and a
    header without a field that this code's has failed only when it was used.  So the
    version and the code come first, in a pickle of their own, and nothing else is
    unpickled unless they match (a new version of Tijdlijn would build everything
    again anyway: its pages' fingerprints depend on the code)."""
    try:
        with cache_file(out).open("rb") as file:
            # our own cache file, never downloaded
            if pickle.load(file) != (_FORMAT, code_version()):
                return None
            header = pickle.load(file)
            if not isinstance(header, _Header):
                return None
            header.offsets = _load_in_parts(file)
            header.state.pages = _load_in_parts(file)
            header.state.articles = _load_in_parts(file)
    except _ERRORS:
        return None
    return header


def _save_header(out: Path, header: _Header) -> None:
    """The header, its three large tables (one entry per source, page and article) each
    in parts after it: a pickler keeps a note of every object it wrote, and for the
    whole header at once those notes raised `build --incremental`'s peak memory by
    31-39 MiB at 100,000 articles."""
    path = cache_file(out)
    temporary = path.with_suffix(".tmp")
    state = header.state
    saved = replace(
        header,
        offsets={},
        state=replace(state, sources={}, search=None, pages={}, articles={}),
    )
    with temporary.open("wb") as file:
        pickle.dump((_FORMAT, code_version()), file, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(saved, file, protocol=pickle.HIGHEST_PROTOCOL)
        for table in (header.offsets, state.pages, state.articles):
            _dump_in_parts(file, table)
    temporary.replace(path)


PART = 5000  # entries of a table pickled at once (see `_save_header`)


def _dump_in_parts(file: BinaryIO, table: Mapping[Any, Any]) -> None:
    """Pickle a table as parts of its keys and their values, then an empty part."""
    items = iter(table.items())
    while part := list(islice(items, PART)):
        pickle.dump(tuple(zip(*part, strict=True)), file, protocol=pickle.HIGHEST_PROTOCOL)
    pickle.dump((), file, protocol=pickle.HIGHEST_PROTOCOL)


def _load_in_parts(file: BinaryIO) -> dict[Any, Any]:
    """A table as `_dump_in_parts` wrote it."""
    table: dict[Any, Any] = {}
    while part := pickle.load(file):
        keys, values = part
        table.update(zip(keys, values, strict=True))
    return table


def load_state(out: Path) -> BuildState:
    """The state saved by the last incremental build into `out`, or a fresh one."""
    header = _load_header(out)
    if header is None:
        return BuildState()
    found: SourceCache = {}
    try:
        with records_file(out).open("rb") as file:
            if file.read(len(header.token)) != header.token:
                return BuildState()
            while (offset := file.tell()) < header.size:
                path, record = pickle.load(file)
                if header.offsets.get(path) == offset:  # not one replaced since
                    found[path] = record
    except _ERRORS:
        return BuildState()
    if found.keys() != header.offsets.keys():
        return BuildState()
    state = header.state
    state.sources = {path: found[path] for path in header.offsets}  # in the order saved
    state.search = _read_search(out, header.search_token)
    state.records = _Records(header, source_stats_read(state))
    return state


def save_state(out: Path, state: BuildState) -> SourceStats:
    """The records, one pickle per source file (a pickler keeps a note of every object it
    wrote, and for the whole cache at once those notes raised an incremental build's peak
    memory by 15 MiB at 10,000 Markdown articles), then the header that names them.
    After a build that read few files again, only their records are added to the end of
    the file `load_state` read (0.01 s instead of 0.27 at 10,000 articles).  Returns the
    size and time of each source as saved (`source_stats_read`, 0.2 s at 100,000)."""
    if state.records is not None and _add_records(out, state, state.records):
        assert state.records is not None  # (saved anew)
        return state.records.stats
    path = records_file(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    token = os.urandom(16)
    offsets: dict[str, int] = {}
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as file:
        file.write(token)
        for source, record in state.sources.items():
            offsets[source] = file.tell()
            pickle.dump((source, record), file, protocol=pickle.HIGHEST_PROTOCOL)
        size = file.tell()
    temporary.replace(path)
    _save_with_header(out, state, _Header(token, size, offsets, state, None))
    assert state.records is not None
    return state.records.stats


def _add_records(out: Path, state: BuildState, records: _Records) -> bool:
    """Add the records of the files read again since `load_state` (by their size and
    time) to the end of the records file it read, then save the header that names them;
    False, with nothing written, if that file is no longer as it was, or would then
    hold too many records no longer used.  Stopped in between, the header still names
    the old records (see `CachedState.save`)."""
    header, stats = records.header, records.stats
    now = source_stats_read(state)
    changed = [path for path, stat in now.items() if stats.get(path) != stat]
    gone = len(stats.keys() - now.keys())
    average = header.size // max(1, len(header.offsets))
    replaced = header.replaced + average * (gone + sum(1 for p in changed if p in stats))
    if replaced > header.size * REPLACED_SHARE:
        return False
    offsets = {}
    try:
        with records_file(out).open("r+b") as file:
            if not _as_named(file, header):
                return False
            for path in changed:
                offsets[path] = file.tell()
                pickle.dump((path, state.sources[path]), file, protocol=pickle.HIGHEST_PROTOCOL)
            size = file.tell()
    except OSError:
        return False
    offsets = {
        path: offsets[path] if path in offsets else header.offsets[path] for path in state.sources
    }
    _save_with_header(out, state, _Header(header.token, size, offsets, state, None, replaced), now)
    return True


def _as_named(file: BinaryIO, header: _Header) -> bool:
    """Whether the records file is the one the header names (its token and size); the
    file is left at its end."""
    return file.read(len(header.token)) == header.token and file.seek(0, os.SEEK_END) == header.size


def _save_with_header(
    out: Path, state: BuildState, header: _Header, stats: SourceStats | None = None
) -> None:
    """Save the search index, then the header (naming it); the state then knows the
    records file as saved (`stats`: its sources' as `source_stats_read` has them, if
    known)."""
    header.search_token = _kept_search(out, state.search)
    if isinstance(state.search, SearchFile):
        state.search = SearchFile(search_file(out), state.search.token)  # moved there
    _save_header(out, header)
    state.records = _Records(header, stats if stats is not None else source_stats_read(state))


class CachedState:
    """The cache of `build --incremental` read in part: the state and its search index
    without its sources, and the records of only the files asked for.  Loading all of it
    takes 0.2 s at 10,000 articles, and saving it again as long; this reads the state
    and the search index (10 MB) and writes them back, and adds the new records to the
    end of the records file (48 MB)."""

    def __init__(self, out: Path, header: _Header) -> None:
        self.out, self._header = out, header
        self.state = header.state  # its `sources` empty
        self._added: dict[str, SourceRecord] = {}

    @classmethod
    def open(cls, out: Path) -> CachedState | None:
        header = _load_header(out)
        if header is None:
            return None
        try:
            with records_file(out).open("rb") as file:
                if not _as_named(file, header):
                    return None
        except OSError:
            return None
        header.state.search = _read_search(out, header.search_token)
        return cls(out, header)

    def record(self, path: str) -> SourceRecord | None:
        """The record of one source file as the last build left it."""
        offset = self._header.offsets.get(path)
        if offset is None:
            return None
        try:
            with records_file(self.out).open("rb") as file:
                file.seek(offset)
                found, record = pickle.load(file)
        except _ERRORS:
            return None
        return record if found == path and isinstance(record, SourceRecord) else None

    def put(self, path: str, record: SourceRecord) -> None:
        """Replace a file's record (written by `save`)."""
        if path not in self._header.offsets:
            raise KeyError(path)
        self._added[path] = record

    def save(self) -> None:
        """Add the new records to the end of the records file, then save the header that
        names them.  Stopped in between, the header still names the old records (what
        follows its size is not read), and the output no longer matches the state's
        pages: the next build finds that out and builds as if without the records."""
        header = self._header
        with records_file(self.out).open("r+b") as file:
            file.seek(header.size)
            for path, record in self._added.items():
                header.offsets[path] = file.tell()
                pickle.dump((path, record), file, protocol=pickle.HIGHEST_PROTOCOL)
            header.replaced += file.tell() - header.size  # (about what the old ones took)
            header.size = file.tell()
        self._added.clear()
        header.search_token = _kept_search(self.out, self.state.search)
        _save_header(self.out, header)


def source_stats_read(state: BuildState) -> SourceStats:
    """Size and time of each article file as the last build found it just before reading
    it (or, unchanged, not reading it): what the next build's shortcut compares."""
    return {path: file_stat(record.size, record.mtime_ns) for path, record in state.sources.items()}
