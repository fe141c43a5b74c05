"""The seeds site in a real browser: the timeline, articles, layout and accessibility."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import axe_violations, horizontal_overflow, screenshot

pytestmark = pytest.mark.slow


def test_timeline_renders_every_event_in_order(page: Page, seeds_url: str):
    page.goto(seeds_url)
    expect(page.locator(".event-name")).to_have_text(
        ["Trump deelt staatsgeheimen met Lavrov", "G20-top in Hamburg", "Topontmoeting in Helsinki"]
    )
    expect(page.locator(".cards .card")).to_have_count(5)
    screenshot(page, "timeline-desktop")


def test_clicking_a_card_opens_the_article_and_prev_next_walk_in_time(page: Page, seeds_url: str):
    page.goto(seeds_url)
    page.get_by_role("link", name="Donald Trump heeft een nieuw hoofdstuk").first.click()
    expect(page.locator("h1")).to_have_text(
        "Donald Trump heeft een nieuw hoofdstuk toegevoegd aan zijn omstreden relatie met Rusland"
    )
    screenshot(page, "article-desktop")
    page.locator("a[rel=next]").click()
    expect(page.locator("h1")).to_contain_text("De Amerikaanse president Donald Trump besprak")
    page.locator("a[rel=prev]").click()
    expect(page.locator("h1")).to_contain_text("Donald Trump heeft een nieuw hoofdstuk")


def test_no_page_scrolls_sideways_on_a_phone(page: Page, seeds_url: str, seeds_site):
    page.set_viewport_size({"width": 390, "height": 844})
    paths = sorted(
        p.relative_to(seeds_site).as_posix().removesuffix("index.html")
        for p in seeds_site.rglob("*.html")
    )
    for path in paths:
        page.goto(seeds_url + path)
        assert horizontal_overflow(page) == 0, path
        if path == "":
            screenshot(page, "timeline-phone")
        elif path.count("/") == 3:
            screenshot(page, "article-phone")


def test_axe_finds_no_violations_on_any_kind_of_page(page: Page, seeds_url: str):
    kinds = {
        "timeline": "",
        "timeline, newest first": "nieuwste-eerst/",
        "event": "2017/05/",
        "article": "2018/07/donald-trump-gelooft-niet-dat-rusland-een-rol-heeft-gespeeld/",
        "name": "namen/sergej-lavrov/",
        "name index": "namen/",
        "404": "no/such/page/",
    }
    found = {}
    for scheme in ("light", "dark"):  # contrast is checked for the colours shown
        page.emulate_media(color_scheme=scheme)
        for kind, path in kinds.items():
            page.goto(seeds_url + path)
            found[f"{kind} ({scheme})"] = axe_violations(page)
    assert found == {kind: [] for kind in found}
