"""Reading the seeds site in a browser: the overview chart, both orders, keyboard only,
and the same site in English."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from generator.build import build
from generator.config import load_config

from ..conftest import SEEDS
from .conftest import axe_violations, screenshot

pytestmark = pytest.mark.slow


def in_view(page: Page, selector: str) -> bool:
    return bool(
        page.evaluate(
            """(selector) => {
                const box = document.querySelector(selector).getBoundingClientRect();
                return box.top >= 0 && box.top < window.innerHeight;
            }""",
            selector,
        )
    )


def test_the_chart_bars_lead_to_their_events(page: Page, seeds_url: str):
    page.goto(seeds_url)
    bars = page.locator(".overview-chart a")
    expect(bars).to_have_count(3)  # three months with articles; the empty ones have no link
    labels = [bars.nth(i).get_attribute("aria-label") for i in range(3)]
    assert labels == ["mei 2017: 2 artikelen", "juli 2017: 1 artikel", "juli 2018: 2 artikelen"]
    bars.nth(2).click()
    assert page.url.endswith("#2018-07")
    assert in_view(page, "[id='2018-07']")
    # The same numbers as text, for screen readers and text browsers.
    page.locator(".overview-table summary").click()
    row = page.locator(".overview-table tbody tr", has_text="2018")
    expect(row.locator("td a")).to_have_text(["2"])


def test_every_anchor_works_in_both_orders(page: Page, seeds_url: str):
    page.goto(seeds_url)
    ids = page.eval_on_selector_all(".event[id], .cards > li[id]", "els => els.map(e => e.id)")
    assert len(ids) == 3 + 5
    page.goto(seeds_url + "nieuwste-eerst/")
    newest = page.eval_on_selector_all(".event[id], .cards > li[id]", "els => els.map(e => e.id)")
    assert sorted(newest) == sorted(ids)
    assert newest[0] == "2018-07"  # newest first
    for anchor in (ids[0], ids[-1]):
        for order in ("", "nieuwste-eerst/"):
            page.goto(f"{seeds_url}{order}#{anchor}")
            assert in_view(page, f"[id='{anchor}']"), (order, anchor)
    page.get_by_role("link", name="Oudste eerst").click()
    assert page.url == seeds_url


def test_keyboard_alone_reaches_and_opens_an_article(page: Page, seeds_url: str):
    page.goto(seeds_url)
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["y"] >= 0  # visible when focused
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    for _ in range(60):  # Tab on until the first card's headline link has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.card-headline') !== null"):
            break
    else:
        pytest.fail("no card headline can be reached with Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus is visible
    page.keyboard.press("Enter")
    expect(page.locator("article.article h1")).to_be_visible()


@pytest.fixture(scope="module")
def english_url(tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]) -> str:
    root = tmp_path_factory.mktemp("english")
    source = Path(shutil.copytree(SEEDS, root / "src"))
    settings = source / "site.toml"
    settings.write_text(settings.read_text().replace('language = "nl"', 'language = "en"'))
    report = build(load_config(source, out=root / "site"))
    assert report.written is not None
    return serve(root / "site")


def test_the_site_in_english(page: Page, english_url: str):
    page.goto(english_url)
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator(".summary")).to_have_text("5 articles · 3 events")
    expect(page.locator(".event-meta time").first).to_have_text("May 2017")
    expect(page.get_by_role("link", name="Newest first")).to_be_visible()
    page.locator(".card-headline a").first.click()
    expect(page.locator(".back a")).to_have_text("Back to the timeline")
    expect(page.locator(".article-meta time")).to_have_text("May 2017")
    screenshot(page, "article-english")
    assert axe_violations(page) == []


@pytest.fixture(scope="module")
def names_in_pages_url(
    tmp_path_factory: pytest.TempPathFactory, serve: Callable[[Path], str]
) -> str:
    """The seeds site with its index of 14 names in pages of 5, as a large archive has it."""
    root = tmp_path_factory.mktemp("names-in-pages")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generator.render.NAMES_PER_PAGE", 5)
        report = build(load_config(SEEDS, out=root / "site"))
    assert report.written is not None
    return serve(root / "site")


def test_a_reader_finds_a_name_through_the_pages_of_the_index(page: Page, names_in_pages_url: str):
    page.goto(f"{names_in_pages_url}namen/")
    guide = page.get_by_role("navigation", name="Namen per pagina")
    expect(guide.get_by_role("link")).to_have_count(3)
    expect(guide.locator("[aria-current=page]")).to_have_text("Amerika – Hillary Clinton")
    guide.get_by_role("link", name="Verenigde Staten – Witte Huis").click()
    expect(page).to_have_url(f"{names_in_pages_url}namen/3/")
    expect(page).to_have_title(
        "Personen, plaatsen en organisaties · Pagina 3 van 3 · Trump en Rusland"
    )
    expect(page.locator(".name-list a")).to_have_text(
        ["Verenigde Staten", "Vladimir Poetin", "Washington", "Witte Huis"]
    )
    screenshot(page, "names-index-page-3")
    assert axe_violations(page) == []
    page.locator(".name-list a").first.click()
    expect(page.locator("h1")).to_have_text("Verenigde Staten")
