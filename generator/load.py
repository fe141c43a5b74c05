"""Load stage: find article files, read them (the only disk read of content), parse them.

Reading is kept apart from parsing: `parse_seed`, `parse_markdown` and
`sheet.parse_sheet` (CSV, one article per row) take a string, so tests pass literal
text and never touch the disk.  A bad article is never fatal; it becomes a
`Problem` and the others are still loaded.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from bisect import insort
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from urllib.parse import urlsplit

from . import parallel
from .dates import parse_date
from .derive import OwnFields, own_fields
from .document import Document as Document  # re-exported: parsers' shared result
from .errors import ContentError, Problem, Severity, display_path
from .markup import html_to_blocks, render_markdown
from .names import TextScan, scan_text
from .records import pickled_as_fields
from .sheet import parse_sheet
from .sources import (
    ARTICLE_SUFFIXES,
    HIDDEN,
    MARKDOWN_SUFFIXES,
    SHEET_SUFFIXES,
    is_article_name,
    source_files,
)
from .spill import Kept
from .text import clean_scraped_text, pack_for_archive, search_words, split_blocks

MARKDOWN_KEYS = ("title", "date", "slug", "source", "url", "tags", "event")


def location(path: str, line: int) -> str:
    """Where an article was written, as messages show it: `seeds/x.txt`, `seeds/x.csv:7`."""
    return f"{path}:{line}" if line else path


@pickled_as_fields
@dataclass(frozen=True, slots=True)
class LoadedDocument:
    path: str  # as shown in messages, e.g. `seeds/x.txt`
    document: Document
    line: int = 0  # the first line of its row in a spreadsheet; 0: the whole file
    digest: str = ""  # sha256 of the file's bytes: what the article's pages are made from
    scan: TextScan | None = None  # what its text says about names (see names.py)
    words: Kept | None = None  # its searchable words (see text.search_words)
    own: OwnFields | None = None  # its headline, dek and slug (see derive.py)

    @property
    def location(self) -> str:
        return location(self.path, self.line)

    def names_scan(self) -> TextScan:
        """What its text says about names: as loaded, or made now (see `search_words`)."""
        return self.scan or scan_text([block.text for block in self.document.blocks])

    def search_words(self) -> Kept:
        """Its searchable words, packed: as loaded, or made now (a document put
        together by other means than `load_file` has none)."""
        return self.words if self.words is not None else search_words(self.document.blocks)


@pickled_as_fields
@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One file as last read: enough to skip reading and parsing it again."""

    size: int
    mtime_ns: int
    documents: tuple[LoadedDocument, ...]
    problems: tuple[Problem, ...]


SourceCache = dict[str, SourceRecord]  # by file path


def model_inputs(loaded: LoadedDocument) -> tuple[object, ...]:
    """Everything the site model takes from an article except its text, its own fields
    (its header's title and slug count only through those) and its names (its scan):
    two versions that agree here and on the names differ only on the pages that show
    the article (see patch.py), if it keeps its place and its slug stays its own
    (patch.py's `_own_fields_fit`)."""
    document = loaded.document
    return (
        loaded.path,
        loaded.line,
        document.date,
        document.source,
        document.url,
        document.tags,
        document.event,
    )


# --- finding and reading files --------------------------------------------------------------


def decode_source(data: bytes) -> tuple[str, str | None]:
    """Bytes -> text.  Returns the text and a warning, or raises ContentError.

    UTF-8 (with or without BOM) is expected.  Anything else that reads as
    Windows-1252 text (the usual "Latin-1" of older Dutch files) is accepted
    with a warning; binary data and UTF-16 are refused.
    """
    if not data.removeprefix(codecs.BOM_UTF8).strip():
        raise ContentError("empty file")
    if b"\x00" in data:
        raise ContentError("binary file (or UTF-16 text); save articles as UTF-8 text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        bad_line = data[: error.start].count(b"\n") + 1
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    controls = sum(
        1 for ch in text if (ord(ch) < 32 and ch not in "\n\r\t") or 0x7F <= ord(ch) < 0xA0
    )
    if controls > max(2, len(text) // 100):
        raise ContentError("not UTF-8, and not readable as text; save it as UTF-8", bad_line)
    return text, f"line {bad_line} is not UTF-8: read the file as Windows-1252; save it as UTF-8"


# --- seed format: ` date YYYY-MM text…` -----------------------------------------------------

_MONTH_WORD = (
    r"(?:jan(?:uari|uary)?|feb(?:ruari|ruary)?|mrt|maart|mar(?:ch)?|apr(?:il)?|mei|may|"
    r"jun[ie]?|jul[iy]?|aug(?:ustus|ust)?|sept?(?:ember)?|o[ck]t(?:ober)?|nov(?:ember)?|"
    r"dec(?:ember)?)\.?"
)
_WEEKDAY_WORD = (
    r"(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|ma|di|wo|do|vr|za|zo|"
    r"mon|tue|wed|thu|fri|sat|sun)\.?,?\s+"
)
_DATE_TOKEN = re.compile(
    r"""
    \d{4}(?:-\d{1,2}(?:-\d{1,2}(?:T\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?
    (?![\w-])
    | \d{1,2}[/.-]\d{1,2}[/.-]\d{4}\b
    | (?:"""
    + _WEEKDAY_WORD
    + r""")?(?:\d{1,2}(?:e|ste|de)?\s+)?"""
    + _MONTH_WORD
    + r"""\s+(?:\d{1,2},?\s+)?\d{4}\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
_SEED_START = re.compile(r"\A\s*date\b\s*:?\s*", re.IGNORECASE)


def parse_seed(text: str) -> Document:
    """Parse the plain-text seed format: optional white space, `date`, a date, the text.

    The text is plain text, never Markdown or HTML: it is escaped when rendered.
    """
    start = _SEED_START.match(text)
    if not start:
        raise ContentError(
            "no date: a .txt article starts with `date YYYY-MM`, e.g. `date 2017-05`"
        )
    line = text.count("\n", 0, start.end() - len(start.group().lstrip())) + 1
    rest = text[start.end() :]
    date_match = _DATE_TOKEN.match(rest)
    if not date_match:
        word = rest.split(None, 1)[0] if rest.strip() else ""
        if not word:
            raise ContentError("no date after `date` (write e.g. `date 2017-05`)", line)
        raise ContentError(f"cannot read the date {word[:40]!r} (write e.g. `date 2017-05`)", line)
    try:
        date = parse_date(date_match.group())
    except ContentError as error:
        raise ContentError(error.message, line) from None
    body = clean_scraped_text(rest[date_match.end() :])
    blocks = split_blocks(body)
    if not blocks:
        raise ContentError("no article text after the date", line)
    return Document(date=date, blocks=tuple(blocks), markup=None)


# --- Markdown with a `Key: value` header ----------------------------------------------------

_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z _-]*?)\s*:\s*(.*)$")


def parse_markdown(text: str) -> Document:
    """Parse `Key: value` header lines (optionally between `---` fences), a blank line,
    then a Markdown body.  Needs `Date`; `Title` is derived from the text when missing."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    fenced = index < len(lines) and lines[index].strip() == "---"
    if fenced:
        index += 1
    header: dict[str, tuple[int, str]] = {}
    warnings: list[tuple[int, str]] = []
    while index < len(lines):
        raw = lines[index]
        if not raw.strip() or (fenced and raw.strip() == "---"):
            index += 1
            break
        match = _HEADER_LINE.match(raw)
        if not match:
            if not header:
                raise ContentError(
                    "no header: a .md article starts with lines such as `Title: …` and "
                    "`Date: 2017-05-16`, then a blank line",
                    index + 1,
                )
            raise ContentError(f"header line is not `Key: value`: {raw.strip()[:60]!r}", index + 1)
        key = match.group(1).strip().lower()
        if key not in MARKDOWN_KEYS:
            known = ", ".join(k.capitalize() for k in MARKDOWN_KEYS)
            warnings.append(
                (index + 1, f"unknown header {match.group(1)!r} ignored (known: {known})")
            )
        elif key in header:
            warnings.append((index + 1, f"{match.group(1)!r} given twice; the first one is used"))
        else:
            header[key] = (index + 1, match.group(2).strip())
        index += 1
    body_line = index + 1
    if "date" not in header:
        raise ContentError("no `Date:` in the header (write e.g. `Date: 2017-05-16`)", 1)
    date_line, date_text = header["date"]
    try:
        date = parse_date(date_text)
    except ContentError as error:
        raise ContentError(error.message, date_line) from None
    body_html = render_markdown("\n".join(lines[index:]))
    blocks = html_to_blocks(body_html)
    if not blocks:
        raise ContentError("no article text after the header", body_line)
    url = header.get("url", (0, ""))
    if url[1] and urlsplit(url[1]).scheme not in ("http", "https"):
        warnings.append((url[0], f"URL {url[1]!r} is not an http(s) address; ignored"))
        url = (0, "")
    title = header.get("title", (0, ""))[1]
    if not title:
        warnings.append((1, "no `Title:` in the header; the headline is taken from the text"))
    return Document(
        date=date,
        blocks=(),  # read from the markup when needed
        markup=body_html,
        title=" ".join(title.split()),
        slug=header.get("slug", (0, ""))[1],
        source=header.get("source", (0, ""))[1],
        url=url[1],
        tags=tuple(t.strip() for t in header.get("tags", (0, ""))[1].split(",") if t.strip()),
        event=header.get("event", (0, ""))[1],
        warnings=tuple(warnings),
    )


# --- the stage ------------------------------------------------------------------------------


def parse_file(
    path: Path, data: bytes, shown: str | None = None
) -> tuple[list[tuple[int, Document]], list[Problem]]:
    """Decode and parse one file's bytes into its articles, each with the line of its
    spreadsheet row (0: the article is the whole file); every failure becomes a Problem
    (at `shown`, the path as messages show it)."""
    shown = shown or display_path(path)
    problems: list[Problem] = []
    documents: list[tuple[int, Document]] = []
    warnings: list[tuple[int, str]] = []
    try:
        text, warning = decode_source(data)
        if warning:
            warnings.append((1, warning))
        suffix = path.suffix.lower()
        if suffix in SHEET_SUFFIXES:
            sheet = parse_sheet(text)
            documents.extend(sheet.rows)
            warnings.extend(sheet.warnings)
            problems.extend(Problem(shown, error.line, error.message) for error in sheet.errors)
        elif suffix in MARKDOWN_SUFFIXES:
            documents.append((0, parse_markdown(text)))
        else:
            documents.append((0, parse_seed(text)))
    except ContentError as error:
        documents = []
        problems.append(Problem(shown, error.line, error.message))
    warnings.extend(item for _, document in documents for item in document.warnings)
    problems.extend(Problem(shown, line, msg, Severity.WARNING) for line, msg in warnings)
    return documents, problems


def load_file(path: Path, data: bytes) -> tuple[list[LoadedDocument], list[Problem]]:
    """One file's articles, ready for the model (names scanned), and its problems."""
    shown = display_path(path)
    parsed, problems = parse_file(path, data, shown)
    digest = hashlib.sha256(data).hexdigest()
    documents = []
    for line, document in parsed:
        blocks = document.blocks  # unpacked once for the three below
        scan = scan_text([block.text for block in blocks])
        own = own_fields(document, shown, blocks)
        documents.append(
            LoadedDocument(shown, document, line, digest, scan, search_words(blocks), own)
        )
    return documents, problems


def load_documents(
    folder: Path, cache: SourceCache | None = None, changed: Collection[str] | None = None
) -> tuple[list[LoadedDocument], list[Problem]]:
    """Every article under `folder`, parsed, and the problems met on the way.

    With a cache, a file whose size and modification time are unchanged is not read
    again; the cache is updated in place (and forgets files that are gone).  Files
    are parsed in worker processes when there are many.  `changed`: every path that
    changed since the cache was made, as `serve`'s watcher saw them: then only those
    are looked at, unless a file may have come or gone (see `_listing_after`)."""
    records: dict[str, SourceRecord] = {}  # in source_files' (sorted) order
    problems: list[Problem] = []
    to_read: list[Path] = []
    listing = _listing_after(folder, cache, changed) if cache and changed is not None else None
    if listing is None:
        listing = [(key, stat.st_size, stat.st_mtime_ns) for key, stat in source_files(folder)]
    pack_for_archive(len(listing))
    for key, size, mtime_ns in listing:
        record = cache.get(key) if cache is not None else None
        if record is not None and (record.size, record.mtime_ns) == (size, mtime_ns):
            records[key] = record
        else:
            records[key] = SourceRecord(-1, -1, (), ())  # its place; read below
            to_read.append(Path(key))
    for key, record in parallel.run(read_files, to_read, {}):
        records[key] = record
    if not records:  # a wrong folder, or articles saved with another extension
        *others, last = sorted(ARTICLE_SUFFIXES)
        message = f"no articles found: an article is a {', '.join(others)} or {last} file"
        problems.append(Problem(display_path(folder), 1, message, Severity.WARNING))
    if cache is not None:
        cache.clear()
        cache.update(records)
    documents: list[LoadedDocument] = []
    for record in records.values():
        documents.extend(record.documents)
        problems.extend(record.problems)
    return documents, problems


MAX_CHANGED = 64  # more paths changed at once (a checkout, a copy): list the folder


def _listing_after(
    folder: Path, cache: SourceCache, changed: Collection[str]
) -> list[tuple[str, int, int]] | None:
    """The article files as `source_files` lists them (path, size, time), made from the
    cache and the paths `changed` since: a stat of each changed article instead of one
    of every article (70-90 ms for 10,000 of them, half of a patched edit in `serve`).
    A new article file is put in its place in that order.  None when a change may have
    removed or renamed an article (a vanished path, a folder): only a listing knows
    then.  Changes outside the folder (the theme, the settings), to hidden files and to
    files that are not articles do not count."""
    if len(changed) > MAX_CHANGED:
        return None
    root = os.path.realpath(folder)
    stats: dict[str, tuple[int, int]] = {}
    added: list[tuple[str, int, int]] = []
    for path in changed:
        # the folder it is in, resolved as the root is; not the file itself (a link)
        where = os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))
        if where != root and not where.startswith(root + os.sep):
            continue  # not in the source folder
        relative = os.path.relpath(where, root)
        key = os.path.join(os.fspath(folder), relative)
        if key in cache:
            try:
                stat = os.stat(key)
            except OSError:
                return None  # gone
            if not S_ISREG(stat.st_mode):
                return None
            stats[key] = (stat.st_size, stat.st_mtime_ns)
        elif any(part.startswith(HIDDEN) for part in relative.split(os.sep)):
            continue  # hidden: never an article
        elif os.path.isfile(where) and not is_article_name(os.path.basename(where)):
            continue  # `site.toml`, a picture
        elif os.path.isfile(where):  # a new article (a file, or a link to one)
            try:
                stat = os.stat(key)
            except OSError:
                return None  # gone again
            added.append((key, stat.st_size, stat.st_mtime_ns))
        else:
            return None  # one gone, a folder
    listing = [(key, *stats.get(key, (r.size, r.mtime_ns))) for key, r in cache.items()]
    for item in sorted(set(added)):
        insort(listing, item, key=_listed_order)
    return listing


def _listed_order(item: tuple[str, int, int]) -> list[str]:
    """Where a file is in `source_files`' order: by folder and name, a folder's files
    where its name sorts among its siblings'."""
    return item[0].split(os.sep)


def read_files(paths: Sequence[Path]) -> list[tuple[str, SourceRecord]]:
    """Read and parse some files (in a worker process, or here)."""
    result = []
    for path in paths:
        try:
            stat = path.stat()
            found, problems = load_file(path, path.read_bytes())
        except OSError as error:
            found, problems = [], [Problem(display_path(path), 1, f"cannot read: {error.strerror}")]
            stat = None
        size, mtime = (stat.st_size, stat.st_mtime_ns) if stat else (-1, -1)
        result.append((str(path), SourceRecord(size, mtime, tuple(found), tuple(problems))))
    return result
