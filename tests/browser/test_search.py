"""The search box in a real browser: what it finds, by keyboard alone, without JavaScript,
from a sub-folder, in English, and what axe says with results showing."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from generator import search
from generator.build import build
from generator.config import load_config

from ..conftest import make_tree
from .conftest import axe_violations, horizontal_overflow, screenshot

pytestmark = pytest.mark.slow

# The two July 2018 seed articles, in the order found: Helsinki in the headline ranks first.
HELSINKI_2018 = [
    "Na hun ontmoeting eerder deze week in Helsinki wil de Amerikaanse president Donald Trump "
    "graag snel opnieuw…",
    "Donald Trump gelooft niet dat Rusland een rol heeft gespeeld in zijn verkiezing als "
    "president van de Verenigde Staten",
]
ISRAEL = (
    "De gevoelige informatie over Islamitische Staat die president Trump met de Russen zou "
    "hebben gedeeld, kwam van Israël"
)


def box(page: Page, name: str = "Zoeken") -> Locator:
    return page.get_by_role("searchbox", name=name)


def results(page: Page) -> Locator:
    return page.locator(".search-results a")


def headlines(page: Page) -> Locator:
    return page.locator(".search-results .search-headline")


def status(page: Page) -> Locator:
    return page.get_by_role("status")


def test_helsinki_finds_exactly_the_two_july_2018_articles(page: Page, seeds_url: str):
    page.goto(seeds_url)
    box(page).fill("Helsinki")
    expect(status(page)).to_have_text("2 resultaten")
    expect(headlines(page)).to_have_text(HELSINKI_2018)
    expect(page.locator(".search-results .search-meta")).to_have_text(
        ["juli 2018 · Topontmoeting in Helsinki"] * 2
    )
    screenshot(page, "search-helsinki")


def test_israel_without_the_accent_finds_the_israel_article_first(page: Page, seeds_url: str):
    page.goto(seeds_url)
    box(page).fill("israel")
    expect(headlines(page).first).to_have_text(ISRAEL)
    expect(status(page)).to_have_text("1 resultaat")
    box(page).fill("ISRAËL")
    expect(headlines(page)).to_have_text([ISRAEL])


def test_every_word_must_match_and_the_last_one_may_be_unfinished(page: Page, seeds_url: str):
    page.goto(seeds_url)
    box(page).fill("hels")
    expect(headlines(page)).to_have_count(2)
    box(page).fill("trump helsinki")
    expect(headlines(page)).to_have_count(2)
    box(page).fill("helsinki israël")
    expect(status(page)).to_have_text("Geen resultaten voor ‘helsinki israël’")
    expect(results(page)).to_have_count(0)
    box(page).fill("hels ")  # a space after it: the whole word, which no article has
    expect(status(page)).to_have_text("Geen resultaten voor ‘hels’")
    box(page).fill("")
    expect(page.locator("#search_status")).to_be_empty()
    expect(page.locator(".search-results")).to_be_hidden()


def test_results_are_reachable_and_open_by_keyboard_alone(page: Page, seeds_url: str):
    page.goto(seeds_url)
    for _ in range(10):  # Tab from the top of the page to the box
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "search_input":
            break
    expect(box(page)).to_be_focused()
    page.keyboard.type("helsinki")
    expect(results(page)).to_have_count(2)

    page.keyboard.press("ArrowDown")
    expect(results(page).nth(0)).to_be_focused()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("ArrowDown")
    expect(results(page).nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(box(page)).to_be_focused()
    page.keyboard.press("Tab")
    expect(results(page).nth(0)).to_be_focused()
    page.keyboard.press("Escape")
    expect(box(page)).to_be_focused()
    page.keyboard.press("Enter")  # Enter in the box: to the first result
    expect(results(page).nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    screenshot(page, "search-keyboard")

    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(HELSINKI_2018[1])
    assert page.url.startswith(seeds_url + "2018/07/")


def test_escape_in_the_box_clears_the_query_and_the_results(page: Page, seeds_url: str):
    page.goto(seeds_url)
    box(page).fill("helsinki")
    expect(results(page)).to_have_count(2)
    box(page).press("Escape")
    expect(box(page)).to_have_value("")
    expect(page.locator(".search-results")).to_be_hidden()


def test_without_javascript_the_box_is_hidden_and_the_name_index_is_offered(
    browser: Browser, seeds_url: str
):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(seeds_url)
        expect(page.locator("form.search")).to_be_hidden()
        fallback = page.get_by_role("link", name="Zoeken op naam: alle namen")
        expect(fallback).to_be_visible()
        fallback.click()
        expect(page.locator("h1")).to_have_text("Personen, plaatsen en organisaties")
    finally:
        context.close()


def test_with_javascript_the_fallback_link_gives_way_to_the_box(page: Page, seeds_url: str):
    page.goto(seeds_url)
    expect(box(page)).to_be_visible()
    expect(page.locator(".search-fallback")).to_be_hidden()


def test_axe_finds_no_violations_with_results_showing(page: Page, seeds_url: str):
    page.goto(seeds_url)
    box(page).fill("trump")
    expect(status(page)).to_have_text("5 resultaten")
    results(page).nth(1).focus()
    assert axe_violations(page) == []


def test_results_fit_a_phone(page: Page, seeds_url: str):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(seeds_url)
    box(page).fill("trump")
    expect(results(page)).to_have_count(5)
    assert horizontal_overflow(page) == 0
    screenshot(page, "search-phone")


def test_search_works_from_a_sub_folder_and_from_deeper_pages(
    serve: Callable[[Path], str], seeds_site: Path, tmp_path: Path, page: Page
):
    shutil.copytree(seeds_site, tmp_path / "host" / "tijdlijn")
    url = serve(tmp_path / "host") + "tijdlijn/"
    for start in ("", "2018/07/", "namen/sergej-lavrov/"):
        page.goto(url + start)
        box(page).fill("israel")
        expect(headlines(page)).to_have_text([ISRAEL])
    results(page).first.click()
    expect(page.locator("h1")).to_have_text(ISRAEL)
    assert page.url.startswith(url + "2017/05/")


def test_search_works_on_the_404_page(page: Page, seeds_url: str):
    page.goto(seeds_url + "no/such/page/")
    box(page).fill("israel")
    expect(headlines(page)).to_have_text([ISRAEL])
    results(page).first.click()
    expect(page.locator("h1")).to_have_text(ISRAEL)


# Words whose casefolded, accent-free forms differ from what a quick lower() gives: the
# browser and the build must agree on every one.
TRICKY = (
    "Title: Straße, İstanbul, ﬁnale en ΟΔΥΣΣΕΑΣ\n"
    "Date: 2019-03-04\n\n"
    "Over de Øresundbrug, Ĳsselmeer, Curaçao en Ærø. A constructor builds a bridge.\n"
)


@pytest.fixture(scope="module")
def tricky_url(serve: Callable[[Path], str], tmp_path_factory: pytest.TempPathFactory) -> str:
    """A site in English whose one article has words that are hard to normalise."""
    source = make_tree(
        tmp_path_factory.mktemp("tricky"),
        {"site.toml": 'language = "en"\n', "tricky.md": TRICKY, "other.txt": "date 2019 Other."},
    )
    out = source.parent / "site"
    assert build(load_config(source, out=out)).written is not None
    return serve(out)


@pytest.mark.parametrize(
    "query",
    ["strasse", "STRASSE", "istanbul", "finale", "οδυσσεας", "curacao", "ijsselmeer", "ÆRØ"],
)
def test_the_browser_and_the_build_normalise_alike(page: Page, tricky_url: str, query: str):
    page.goto(tricky_url)
    box(page, "Search").fill(query)
    expect(status(page)).to_have_text("1 result")
    expect(headlines(page)).to_have_text(["Straße, İstanbul, ﬁnale en ΟΔΥΣΣΕΑΣ"])


def test_a_word_that_names_a_javascript_property_is_a_plain_word(
    page: Page, tricky_url: str, seeds_url: str
):
    page.goto(tricky_url)
    box(page, "Search").fill("constructor")
    expect(status(page)).to_have_text("1 result")
    page.goto(seeds_url)
    box(page).fill("constructor")
    expect(status(page)).to_have_text("Geen resultaten voor ‘constructor’")


# Thirty articles, one a day, so article number i is day i + 1; every one mentions the
# harbour, and two (in the last parts of the table) have it in their headline too.
HARBOUR_HEADLINES = {25, 28}


def harbour_article(number: int) -> str:
    title = f"Havenbericht {number:02d}" if number in HARBOUR_HEADLINES else f"Bericht {number:02d}"
    return (
        f"Title: {title}\nDate: 2019-01-{number + 1:02d}\n\n"
        f"De haven lag stil op dag {number}. Ook: woord{number}.\n"
    )


@pytest.fixture(scope="module")
def harbour_url(serve: Callable[[Path], str], tmp_path_factory: pytest.TempPathFactory) -> str:
    """A site whose search table is in parts of 4 rows (eight parts)."""
    source = make_tree(
        tmp_path_factory.mktemp("harbour"), {f"{n:02d}.md": harbour_article(n) for n in range(30)}
    )
    out = source.parent / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "TABLE_ROWS", 4)
        assert build(load_config(source, out=out)).written is not None
    index = json.loads((out / "search/index.json").read_text())
    assert (index["table_rows"], len(index["table"])) == (4, 8)
    return serve(out)


def test_results_from_many_parts_of_the_table_show_the_right_rows(page: Page, harbour_url: str):
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url.rsplit("/", 1)[-1]))
    page.goto(harbour_url)
    box(page).fill("haven")
    expect(status(page)).to_have_text("30 resultaten; de eerste 20 staan hieronder")
    # Headline matches first (parts 6 and 7), then the others in time order (parts 0-4).
    shown = [*sorted(HARBOUR_HEADLINES), *(n for n in range(30) if n not in HARBOUR_HEADLINES)][:20]
    expect(headlines(page)).to_have_text(
        [("Havenbericht" if n in HARBOUR_HEADLINES else "Bericht") + f" {n:02d}" for n in shown]
    )
    expect(results(page).first).to_have_attribute("href", re.compile(r"/havenbericht-25/$"))
    parts = {name.split(".")[0] for name in fetched if name.startswith("table-")}
    assert parts == {"table-0", "table-1", "table-2", "table-3", "table-4", "table-6", "table-7"}
    # A word in one article: only its part is fetched besides.
    fetched.clear()
    box(page).fill("woord13")
    expect(headlines(page)).to_have_text(["Bericht 13"])
    assert [name.split(".")[0] for name in fetched if name.startswith("table-")] == []
    box(page).fill("woord9")  # day 10, article 9: part 2, fetched already
    expect(headlines(page)).to_have_text(["Bericht 09"])
    box(page).fill("woord21")  # part 5: not fetched yet
    expect(headlines(page)).to_have_text(["Bericht 21"])
    assert [name.split(".")[0] for name in fetched if name.startswith("table-")] == ["table-5"]
