"""Long lists (an event's, a name's) are split into pages of PAGE_SIZE cards: together
the pages show every article once, in time order, and link to each other."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from generator.build import build
from generator.config import load_config
from generator.render import PAGE_SIZE

from .conftest import make_tree

COUNT = 2 * PAGE_SIZE + 30  # three pages: full, full, 30 cards
PAGER_LINK = re.compile(r'<a href="([^"]*)" rel="(prev|next)">')
CARD = re.compile(r'class="card-headline"><a href="[^"]*">([^<]*)</a>')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("long")
    files = {
        # day-precise dates, several articles a day: the headline orders those of one day
        f"src/{n:03}.txt": f"date 2017-05-{1 + n // 10:02}\n\nBericht {n:03} over de zaak. "
        f"Volgens Anna Jansen is er nieuws. Ook Anna Jansen zweeg daarna.\n"
        for n in range(COUNT)
    }
    make_tree(root, files)
    report = build(load_config(root / "src", out=root / "site"))
    assert report.articles == COUNT and not report.problems
    return root / "site"


def cards(page: Path) -> list[str]:
    return CARD.findall(page.read_text(encoding="utf-8"))


@pytest.mark.parametrize("folder", ["2017/05", "namen/anna-jansen"])
def test_the_pages_of_a_list_show_every_article_once_in_time_order(site: Path, folder: str):
    pages = [site / folder / "index.html", *(site / folder / f"{n}/index.html" for n in (2, 3))]
    shown = [cards(page) for page in pages]
    assert [len(page) for page in shown] == [PAGE_SIZE, PAGE_SIZE, COUNT - 2 * PAGE_SIZE]
    every = [f"Bericht {n:03} over de zaak" for n in range(COUNT)]
    assert [card for page in shown for card in page] == every
    assert not (site / folder / "4").exists()


def test_each_page_links_to_the_one_before_and_after_it(site: Path):
    base = "https://example.org/2017/05/2/"  # the middle page, at the site's root
    middle = (site / "2017/05/2/index.html").read_text(encoding="utf-8")
    links = {rel: urljoin(base, href) for href, rel in PAGER_LINK.findall(middle)}
    assert links == {
        "prev": "https://example.org/2017/05/",
        "next": "https://example.org/2017/05/3/",
    }
