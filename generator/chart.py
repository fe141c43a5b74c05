"""The overview chart: articles per month over the whole span, drawn at build time.

Only geometry and numbers are computed here; `templates/_overview.html` draws the
SVG and the table with the same numbers.  Positions are percentages, so bars
stretch with the page while labels keep a readable size on a phone.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from .dates import PartialDate
from .model import Site

BAR_AREA = 78.0  # percent of the chart's height for bars; the rest holds year labels
MAX_YEAR_LABELS = 10


@dataclass(frozen=True)
class MonthBar:
    date: PartialDate  # year and month
    count: int
    x: float  # left edge, percent of the width
    width: float  # percent of the width
    height: float  # percent of the chart's height (0 for an empty month)

    @property
    def key(self) -> str:
        return self.date.iso()

    @property
    def y(self) -> float:
        return BAR_AREA - self.height


@dataclass(frozen=True)
class YearMark:
    year: int
    x: float  # percent of the width
    labelled: bool


@dataclass(frozen=True)
class Overview:
    bars: tuple[MonthBar, ...]
    years: tuple[YearMark, ...]
    table: tuple[tuple[int, tuple[MonthBar, ...]], ...]  # per year: its twelve months
    most: int
    year_only: Counter[int]  # articles known only to the year, which no month bar shows

    bar_area: float = BAR_AREA


def overview(site: Site) -> Overview | None:
    """Bars for every month from the first to the last month with articles."""
    per_month: Counter[tuple[int, int]] = Counter()
    year_only: Counter[int] = Counter()
    for article in site.articles:
        if article.date.month:
            per_month[(article.date.year, article.date.month)] += 1
        else:
            year_only[article.date.year] += 1
    if not per_month:
        return None
    first, last = min(per_month), max(per_month)
    months = [
        (year, month)
        for year in range(first[0], last[0] + 1)
        for month in range(1, 13)
        if first <= (year, month) <= last
    ]
    most = max(per_month.values())
    slot = 100.0 / len(months)  # each month's share of the width; bars leave a gap
    bars = tuple(
        MonthBar(
            PartialDate(year, month),
            per_month[(year, month)],
            round(index * slot + slot * 0.1, 4),
            round(slot * 0.8, 4),
            round(BAR_AREA * per_month[(year, month)] / most, 3),
        )
        for index, (year, month) in enumerate(months)
    )
    step = math.ceil((last[0] - first[0] + 1) / MAX_YEAR_LABELS)
    years = tuple(
        YearMark(bar.date.year, round(index * slot, 4), (bar.date.year - first[0]) % step == 0)
        for index, bar in enumerate(bars)
        if bar.date.month == 1 or index == 0
    )
    by_date = {bar.date: bar for bar in bars}
    table = tuple(
        (
            year,
            tuple(
                by_date.get(PartialDate(year, m)) or MonthBar(PartialDate(year, m), 0, 0, 0, 0)
                for m in range(1, 13)
            ),
        )
        for year in range(first[0], last[0] + 1)
    )
    return Overview(bars, years, table, most, year_only)
