"""`parse_date`: every documented way of writing a date, at exactly the precision written."""

from __future__ import annotations

import datetime as real_datetime
import types
import warnings

import pytest
from dateutil import parser as dateutil_parser

from generator import dates
from generator.dates import PartialDate, Precision, parse_date
from generator.errors import ContentError

# Every documented way of writing a date (README, "Dates"), and what it means.
DOCUMENTED_DATES = [
    ("2017-05", PartialDate(2017, 5)),
    ("2017-05-16", PartialDate(2017, 5, 16)),
    ("16 mei 2017", PartialDate(2017, 5, 16)),
    ("mei 2017", PartialDate(2017, 5)),
    ("16 juli 2018", PartialDate(2018, 7, 16)),
    ("July 2017", PartialDate(2017, 7)),
    ("May 16, 2017", PartialDate(2017, 5, 16)),
    ("2017-05-16T10:20:00Z", PartialDate(2017, 5, 16)),
    ("2017-05-16T23:30:00-05:00", PartialDate(2017, 5, 16)),
    ("16/05/2017", PartialDate(2017, 5, 16)),
    ("2017", PartialDate(2017)),
    ("februari 2017", PartialDate(2017, 2)),
    ("maart 2017", PartialDate(2017, 3)),
    ("mrt 2017", PartialDate(2017, 3)),
    ("okt 2017", PartialDate(2017, 10)),
    ("31 december 2017", PartialDate(2017, 12, 31)),
    ("29 februari 2016", PartialDate(2016, 2, 29)),
    ("16e mei 2017", PartialDate(2017, 5, 16)),
    ("maandag 16 mei 2017", PartialDate(2017, 5, 16)),
    ("  16 mei 2017  ", PartialDate(2017, 5, 16)),
]


@pytest.mark.parametrize(("raw", "expected"), DOCUMENTED_DATES)
def test_reads_documented_formats_exactly(raw: str, expected: PartialDate):
    assert parse_date(raw) == expected


def test_slash_dates_are_day_first():
    assert parse_date("01/02/2017") == PartialDate(2017, 2, 1)
    assert parse_date("03/05/2017") == PartialDate(2017, 5, 3)


def test_iso_dates_are_year_month_day_even_when_the_day_could_be_a_month():
    assert parse_date("2017-05-03") == PartialDate(2017, 5, 3)


def test_iso_timestamps_are_year_month_day_even_when_the_day_could_be_a_month():
    assert parse_date("2017-01-02T10:20:00Z") == PartialDate(2017, 1, 2)


@pytest.mark.parametrize(
    ("raw", "precision", "iso"),
    [
        ("2017", Precision.YEAR, "2017"),
        ("mei 2017", Precision.MONTH, "2017-05"),
        ("2017-05", Precision.MONTH, "2017-05"),
        ("16 mei 2017", Precision.DAY, "2017-05-16"),
        ("2017-05-16T10:20:00Z", Precision.DAY, "2017-05-16"),
    ],
)
def test_keeps_the_precision_it_was_written_with(raw: str, precision: Precision, iso: str):
    parsed = parse_date(raw)
    assert parsed.precision is precision
    assert parsed.iso() == iso


def test_month_only_date_has_no_day():
    parsed = parse_date("mei 2017")
    assert (parsed.year, parsed.month, parsed.day) == (2017, 5, 0)


def test_year_only_date_has_no_month_and_no_day():
    parsed = parse_date("2017")
    assert (parsed.year, parsed.month, parsed.day) == (2017, 0, 0)


def _frozen_datetime_module(today: real_datetime.datetime) -> types.ModuleType:
    """A copy of the `datetime` module whose `datetime.now()` is always `today`."""

    class FrozenDatetime(real_datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(today.year, today.month, today.day, tzinfo=tz)

        @classmethod
        def today(cls):
            return cls(today.year, today.month, today.day)

    module = types.ModuleType("datetime")
    module.__dict__.update(real_datetime.__dict__)
    module.datetime = FrozenDatetime
    return module


@pytest.mark.parametrize(
    ("today", "raw", "expected"),
    [
        # On the 30th or 31st, dateutil's own default would make these impossible dates.
        (real_datetime.datetime(2024, 1, 30), "februari 2017", PartialDate(2017, 2)),
        (real_datetime.datetime(2024, 3, 31), "april 2017", PartialDate(2017, 4)),
        # Today's day and month must not leak into a month or a year.
        (real_datetime.datetime(2024, 5, 16), "mei 2017", PartialDate(2017, 5)),
        (real_datetime.datetime(2024, 7, 4), "2017", PartialDate(2017)),
    ],
)
def test_today_never_fills_in_a_missing_part(
    monkeypatch: pytest.MonkeyPatch, today, raw: str, expected: PartialDate
):
    monkeypatch.setattr(dateutil_parser._parser, "datetime", _frozen_datetime_module(today))
    assert parse_date(raw) == expected


def test_frozen_today_really_reaches_dateutil(monkeypatch: pytest.MonkeyPatch):
    """Guards the test above: with today frozen, dateutil left to its own default
    invents today's day, so the test above would notice if parse_date relied on it."""
    frozen = _frozen_datetime_module(real_datetime.datetime(2024, 5, 16))
    monkeypatch.setattr(dateutil_parser._parser, "datetime", frozen)
    invented = dateutil_parser.parse("mei 2017", parserinfo=dates._PARSER_INFO)
    assert (invented.year, invented.month, invented.day) == (2017, 5, 16)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("mei", "the date 'mei' has no year"),
        ("16 mei", "the date '16 mei' has no year"),
        ("16/05", "the date '16/05' has no year"),
    ],
)
def test_missing_year_is_a_content_error(raw: str, message: str):
    with pytest.raises(ContentError) as caught:
        parse_date(raw)
    assert caught.value.message == message
    assert caught.value.line == 1


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "empty date"),
        ("   ", "empty date"),
        ("banaan", "cannot read the date 'banaan'"),
        ("2017-13", "cannot read the date '2017-13'"),
        ("30 februari 2017", "cannot read the date '30 februari 2017'"),
        ("31/04/2017", "cannot read the date '31/04/2017'"),
        ("0999", "the date '0999' has no year in four digits"),
        ("0099", "the date '0099' has no year in four digits"),
        ("16/05/17", "the date '16/05/17' has no year in four digits"),
    ],
)
def test_unreadable_dates_are_content_errors_naming_the_value(raw: str, message: str):
    with pytest.raises(ContentError) as caught:
        parse_date(raw)
    assert caught.value.message == message


def test_unknown_time_zone_name_gives_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert parse_date("16 mei 2017 10:20 CET") == PartialDate(2017, 5, 16)


def test_partial_dates_sort_less_precise_first_within_a_period():
    written = ["16 mei 2017", "2017", "mei 2017", "1 mei 2017", "april 2017", "2016"]
    assert [parse_date(raw).iso() for raw in sorted(written, key=parse_date)] == [
        "2016",
        "2017",
        "2017-04",
        "2017-05",
        "2017-05-01",
        "2017-05-16",
    ]


def test_month_key_and_first_day():
    assert parse_date("16 mei 2017").month_key() == "2017-05"
    assert parse_date("2017").month_key() == "2017"
    assert parse_date("mei 2017").first_day() == real_datetime.date(2017, 5, 1)
    assert str(parse_date("mei 2017")) == "2017-05"
