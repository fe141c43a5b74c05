"""Long lists (an event's, a name's) are split into pages of PAGE_SIZE cards: together
the pages show every article once, in time order, and link to each other.  The index of
names is split too, beyond NAMES_PER_PAGE names."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from generator.build import build
from generator.config import load_config
from generator.render import PAGE_SIZE

from .conftest import make_tree
from .sitefiles import snapshot

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


def test_a_name_s_count_and_dates_are_on_the_first_page_of_its_list(site: Path):
    """Each page says which of how many it is; the count and the dates of the name's
    articles are on the first only (an article added then changes the pages its card is
    on, and the first, not every page of a long list)."""
    folder = site / "namen/anna-jansen"
    pages = [folder / "index.html", folder / "2/index.html", folder / "3/index.html"]
    texts = [page.read_text(encoding="utf-8") for page in pages]
    summary = f'{COUNT} artikelen · <time datetime="2017-05-01">'
    assert [summary in text for text in texts] == [True, False, False]
    assert ["Pagina 2 van 3" in text for text in texts] == [False, True, False]
    assert all("<h1>Anna Jansen</h1>" in text for text in texts)


def test_each_page_links_to_the_one_before_and_after_it(site: Path):
    base = "https://example.org/2017/05/2/"  # the middle page, at the site's root
    middle = (site / "2017/05/2/index.html").read_text(encoding="utf-8")
    links = {rel: urljoin(base, href) for href, rel in PAGER_LINK.findall(middle)}
    assert links == {
        "prev": "https://example.org/2017/05/",
        "next": "https://example.org/2017/05/3/",
    }


# --- the index of names ---------------------------------------------------------------------

PEOPLE = ["Anna Aalders", "Bram Bakker", "Carla Claes", "Dirk Dekker", "Emma Evers"]
NAME_LINK = re.compile(r'<li><a href="[^"]*">([^<]*)</a> <span class="count">')
GUIDE = re.compile(r'<li><a href="([^"]*)"( aria-current="page")?>([^<]*) – ([^<]*)</a></li>')


def quoting(people: list[str]) -> dict[str, str]:
    """An article for each person that quotes them and the next one: two articles each."""
    return {
        f"{n:02}.txt": f"date 2017-05-{n + 1:02}\n\nBericht {n} over de zaak. Volgens "
        f"{person} en {people[(n + 1) % len(people)]} is er nieuws.\n"
        for n, person in enumerate(people)
    }


@pytest.fixture
def names_in_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site whose index of names is in three pages of 2, 2 and 1 names."""
    monkeypatch.setattr("generator.render.NAMES_PER_PAGE", 2)
    make_tree(tmp_path / "src", quoting(PEOPLE))
    report = build(load_config(tmp_path / "src", out=tmp_path / "site"))
    assert not report.problems
    return tmp_path / "site"


def index_pages(site: Path) -> list[Path]:
    return [site / "namen/index.html", site / "namen/2/index.html", site / "namen/3/index.html"]


def test_the_pages_of_the_index_of_names_list_every_name_once_alphabetically(
    names_in_pages: Path,
):
    listed = [
        NAME_LINK.findall(page.read_text(encoding="utf-8")) for page in index_pages(names_in_pages)
    ]
    assert listed == [PEOPLE[0:2], PEOPLE[2:4], PEOPLE[4:5]]
    assert not (names_in_pages / "namen/4").exists()


def test_each_page_of_the_index_lists_every_page_by_its_first_and_last_name(
    names_in_pages: Path,
):
    for number, page in enumerate(index_pages(names_in_pages), start=1):
        html = page.read_text(encoding="utf-8")
        base = "https://example.org/" + page.parent.relative_to(names_in_pages).as_posix() + "/"
        guide = [
            (urljoin(base, href), current, first, last)
            for href, current, first, last in GUIDE.findall(html)
        ]
        assert [(href, first, last) for href, _, first, last in guide] == [
            ("https://example.org/namen/", "Anna Aalders", "Bram Bakker"),
            ("https://example.org/namen/2/", "Carla Claes", "Dirk Dekker"),
            ("https://example.org/namen/3/", "Emma Evers", "Emma Evers"),
        ]
        assert [bool(current) for _, current, _, _ in guide] == [n == number for n in (1, 2, 3)]
        assert f"Pagina {number} van 3" in html  # the pager, and the page's title
        assert html.count(f"Pagina {number} van 3") == 2


def test_a_name_on_a_later_page_of_the_index_updates_the_guide_on_every_page(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The first page's own names stay as they were, but its guide to the pages changes:
    an incremental build must still write it as a clean build does."""
    monkeypatch.setattr("generator.render.NAMES_PER_PAGE", 2)
    make_tree(tmp_path / "src", quoting(PEOPLE))
    assert cli("build", "--source", "src", "--out", "site", "--incremental").code == 0
    make_tree(tmp_path / "src", quoting([*PEOPLE, "Frits Faber"]))  # Emma Evers – Frits Faber
    assert cli("build", "--source", "src", "--out", "site", "--incremental").code == 0
    assert cli("build", "--source", "src", "--out", "clean").code == 0
    assert snapshot(tmp_path / "site") == snapshot(tmp_path / "clean")
    assert "Emma Evers – Frits Faber" in (tmp_path / "site/namen/index.html").read_text("utf-8")


def test_an_index_of_names_that_fits_on_one_page_has_no_guide(tmp_path: Path):
    make_tree(tmp_path / "src", quoting(PEOPLE))
    build(load_config(tmp_path / "src", out=tmp_path / "site"))
    html = (tmp_path / "site/namen/index.html").read_text(encoding="utf-8")
    assert NAME_LINK.findall(html) == PEOPLE
    assert "names-guide" not in html and "list-pager" not in html
    assert not (tmp_path / "site/namen/2").exists()
