"""Spreadsheets in the TimelineJS template, saved as CSV: one article per row.

Editors who keep a timeline in Knight Lab's Google-sheet template can put its CSV
export in the source folder.  Like the other parsers this one takes a string, so
tests pass literal text.  A bad row becomes one problem at the row's physical line
(a quoted cell may span lines) and the other rows still load; only a header without
`Year` or `Headline` makes the whole file a problem.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from .dates import PartialDate, parse_date
from .document import Document
from .errors import ContentError
from .markup import html_to_blocks, html_to_text, render_markdown

# The columns of the TimelineJS Google-sheet template, in its order.
COLUMNS = (
    "Year",
    "Month",
    "Day",
    "Time",
    "End Year",
    "End Month",
    "End Day",
    "End Time",
    "Display Date",
    "Headline",
    "Text",
    "Media",
    "Media Credit",
    "Media Caption",
    "Media Thumbnail",
    "Type",
    "Group",
    "Background",
)
REQUIRED = ("Year", "Headline")
# Rows that are not events: the title slide, and eras (spans of time on the navigation).
SKIPPED_TYPES = frozenset({"title", "era"})
# Excel in a Dutch locale saves CSV with semicolons; Google Sheets uses commas.
DELIMITERS = ",;\t"
_WHOLE_NUMBER = re.compile(r"^\d+$")


@dataclass(frozen=True)
class Sheet:
    rows: tuple[tuple[int, Document], ...]  # (the row's first line, its article)
    errors: tuple[ContentError, ...]  # one per skipped row, at the row's line
    warnings: tuple[tuple[int, str], ...]  # about the file as a whole


def parse_sheet(text: str) -> Sheet:
    """Read a TimelineJS-template CSV; raise ContentError if it has no usable header."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = _rows(reader)
    try:
        header_line, header = next(((line, cells) for line, cells in rows if any(cells)), (1, []))
    except csv.Error as error:
        raise ContentError(f"not valid CSV: {error}", reader.line_num) from None
    columns, warnings = _columns(header, header_line)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise ContentError(
            f"no {' or '.join(missing)} column: a TimelineJS sheet has a header row such as "
            "`Year,Month,Day,Headline,Text`",
            header_line,
        )
    documents: list[tuple[int, Document]] = []
    errors: list[ContentError] = []
    try:
        for line, cells in rows:
            values = {name: cells[i].strip() for name, i in columns.items() if i < len(cells)}
            if not any(values.values()) or values.get("Type", "").casefold() in SKIPPED_TYPES:
                continue
            try:
                documents.append((line, _row_document(values, line)))
            except ContentError as error:
                errors.append(error)
    except csv.Error as error:  # the rest of the file cannot be split into rows reliably
        errors.append(ContentError(f"not valid CSV: {error}", reader.line_num))
    return Sheet(tuple(documents), tuple(errors), tuple(warnings))


class _Reader(Protocol):
    line_num: int

    def __next__(self) -> list[str]: ...


def _rows(reader: _Reader) -> Iterator[tuple[int, list[str]]]:
    """Each row with the line it starts on (`line_num` counts the lines read so far)."""
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        yield line, cells


def _columns(header: list[str], line: int) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """Column name -> index, matched regardless of case and spacing."""
    known = {name.casefold(): name for name in COLUMNS}
    columns: dict[str, int] = {}
    warnings: list[tuple[int, str]] = []
    for index, cell in enumerate(header):
        written = " ".join(cell.split())
        name = known.get(written.casefold())
        if not written:
            continue
        if name is None:
            warnings.append((line, f"unknown column {written!r} ignored"))
        elif name in columns:
            warnings.append((line, f"column {written!r} given twice; the first one is used"))
        else:
            columns[name] = index
    return columns, warnings


def _row_document(values: dict[str, str], line: int) -> Document:
    def value(name: str) -> str:
        return values.get(name, "")

    date = _row_date(value("Year"), value("Month"), value("Day"), line)
    headline = html_to_text(value("Headline"))  # TimelineJS allows HTML in a headline
    if not headline:
        raise ContentError("no Headline", line)
    body_html = render_markdown(value("Text"))
    blocks = html_to_blocks(body_html)
    if not blocks:
        raise ContentError("no Text: every article needs text besides its headline", line)
    warnings: list[tuple[int, str]] = []
    media = value("Media")
    parts = urlsplit(media)
    url = media if parts.scheme in ("http", "https") and parts.netloc else ""
    if media and not url:
        warnings.append((line, f"Media {media[:60]!r} is not an http(s) address; ignored"))
    return Document(
        date=date,
        blocks=(),  # read from the markup when needed
        markup=body_html,
        title=headline,
        url=url,
        event=" ".join(value("Group").split()),
        warnings=tuple(warnings),
    )


def _row_date(year: str, month: str, day: str, line: int) -> PartialDate:
    """The date at the precision the row gives: Year, Year + Month, or all three."""
    if not year:
        raise ContentError("no Year", line)
    if day and not month:
        raise ContentError(f"Day {day!r} without a Month", line)
    for name, written in (("Year", year), ("Month", month), ("Day", day)):
        if written and not _WHOLE_NUMBER.match(written):
            raise ContentError(f"{name} {written!r} is not a whole number", line)
    if not 1000 <= int(year) <= 9999:
        raise ContentError(f"Year {year!r} is not a four-digit year", line)
    if month and not 1 <= int(month) <= 12:
        raise ContentError(f"Month {month!r} is not a month (1 to 12)", line)
    iso = "-".join([f"{int(year):04d}", *(f"{int(part):02d}" for part in (month, day) if part)])
    try:
        return parse_date(iso)
    except ContentError as error:
        raise ContentError(error.message, line) from None
