"""One function owns dates: `parse_date`, around python-dateutil.

dateutil fills every part that was not written from a default date (today's,
unless told otherwise).  We parse twice with two different defaults: a part
that comes out the same both times was written; a part that differs was
invented, so we drop it.  The precision that is left is what was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum
from functools import cache

from dateutil import parser as dateutil_parser

from .errors import ContentError
from .records import pickled_as_fields


class Precision(IntEnum):
    YEAR = 1
    MONTH = 2
    DAY = 3


@pickled_as_fields
@dataclass(frozen=True, order=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day.  Sorts by what is known,
    a less precise date before a more precise one in the same period."""

    year: int
    month: int = 0  # 0: unknown
    day: int = 0  # 0: unknown

    @property
    def precision(self) -> Precision:
        if self.day:
            return Precision.DAY
        if self.month:
            return Precision.MONTH
        return Precision.YEAR

    def iso(self) -> str:
        """ISO 8601 with only the known parts, as `<time datetime>` wants it."""
        return _iso(self.year, self.month, self.day)

    def first_day(self) -> date:
        """The first day of the period, for formatting and feeds (never shown as a day)."""
        return date(self.year, self.month or 1, self.day or 1)

    def month_key(self) -> str:
        """The key of the event this date belongs to: `YYYY-MM`, or `YYYY` if no month is known."""
        return self.iso()[:7]

    def __str__(self) -> str:
        return self.iso()


@cache  # every page shows dates, and an archive has only a few thousand distinct ones
def _iso(year: int, month: int, day: int) -> str:
    text = f"{year:04d}"
    if month:
        text += f"-{month:02d}"
    if day:
        text += f"-{day:02d}"
    return text


class _DutchAndEnglish(dateutil_parser.parserinfo):
    """Month and weekday names in Dutch and English (dateutil knows only English)."""

    MONTHS = [  # noqa: RUF012 - dateutil reads these class attributes
        ("jan", "januari", "january"),
        ("feb", "februari", "february"),
        ("mrt", "maart", "mar", "march"),
        ("apr", "april"),
        ("mei", "may"),
        ("jun", "juni", "june"),
        ("jul", "juli", "july"),
        ("aug", "augustus", "august"),
        ("sep", "sept", "september"),
        ("okt", "oktober", "oct", "october"),
        ("nov", "november"),
        ("dec", "december"),
    ]
    WEEKDAYS = [  # noqa: RUF012
        ("ma", "maandag", "mon", "monday"),
        ("di", "dinsdag", "tue", "tuesday"),
        ("wo", "woensdag", "wed", "wednesday"),
        ("do", "donderdag", "thu", "thursday"),
        ("vr", "vrijdag", "fri", "friday"),
        ("za", "zaterdag", "sat", "saturday"),
        ("zo", "zondag", "sun", "sunday"),
    ]


# Day first for `16/05/2017`, as Dutch writers mean it; but dateutil then also reads
# ISO `2017-05-06` as 5 June, so ISO-shaped dates get a year-month-day parser.
_PARSER_INFO = _DutchAndEnglish(dayfirst=True)
_ISO_PARSER_INFO = _DutchAndEnglish(dayfirst=False)
_ISO_SHAPE = re.compile(r"^\d{4}-\d{1,2}(?:-\d{1,2})?(?:[T ]|$)")
_DEFAULTS = (datetime(1, 1, 1), datetime(2, 2, 2))
_DUTCH_ORDINAL = re.compile(r"\b(\d{1,2})(?:e|ste|de)\b", re.IGNORECASE)


# `2017`, `2017-05`, `2017-05-16`: what nearly every article has, read without dateutil
# (a tenth of the time of parsing a whole seed article went to reading its date twice).
_PLAIN_ISO = re.compile(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?")


def parse_date(raw: str) -> PartialDate:
    """Read a date as written, keeping its precision; raise ContentError naming the raw value.

    Accepts `2017-05`, `2017-05-16`, `16 mei 2017`, `mei 2017`, `July 2017`,
    `May 16, 2017`, `16/05/2017` (day first), ISO timestamps and a bare year.
    """
    plain = _PLAIN_ISO.fullmatch(raw.strip())
    if plain:
        year, month, day = (int(part or 0) for part in plain.groups())
        zero_written = (plain[2] and not month) or (plain[3] and not day)  # `2017-00`
        if year >= 1000 and not zero_written and _exists(year, month or 1, day or 1):
            return PartialDate(year, month, day)
    return _parse_with_dateutil(raw)


def _exists(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False  # `2017-13`, `2017-02-30`: dateutil says what is wrong
    return True


def _parse_with_dateutil(raw: str) -> PartialDate:
    text = _DUTCH_ORDINAL.sub(r"\1", raw.strip())
    if not text:
        raise ContentError("empty date")
    info = _ISO_PARSER_INFO if _ISO_SHAPE.match(text) else _PARSER_INFO
    try:
        # ignoretz: only the date is kept, and an unknown zone name would only warn.
        first, second = (
            dateutil_parser.parse(text, parserinfo=info, default=d, ignoretz=True)
            for d in _DEFAULTS
        )
    except (ValueError, OverflowError, TypeError):
        raise ContentError(f"cannot read the date {raw.strip()!r}") from None
    if first.year != second.year:
        raise ContentError(f"the date {raw.strip()!r} has no year")
    if not 1000 <= first.year <= 9999 or str(first.year) not in text:
        # dateutil turns `17` or `0099` into 2017 or 1999; we want the year as written.
        raise ContentError(f"the date {raw.strip()!r} has no year in four digits")
    if first.month != second.month:
        return PartialDate(first.year)
    if first.day != second.day:
        return PartialDate(first.year, first.month)
    return PartialDate(first.year, first.month, first.day)
