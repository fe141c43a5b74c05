"""Atom and JSON feeds, sitemap.xml and robots.txt, as a feed reader or crawler reads them."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

from .conftest import BASE_URL, SEEDS, make_tree
from .sitefiles import html_pages

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

# The seeds, newest first: (page, timestamp of the first moment of its known date).
SEEDS_NEWEST_FIRST = [
    ("2018/07/na-hun-ontmoeting-eerder-deze-week-in-helsinki-wil-de/", "2018-07-01T00:00:00Z"),
    (
        "2018/07/donald-trump-gelooft-niet-dat-rusland-een-rol-heeft-gespeeld/",
        "2018-07-01T00:00:00Z",
    ),
    ("2017/07/de-amerikaanse-president-donald-trump-besprak-de-mogelijke/", "2017-07-01T00:00:00Z"),
    ("2017/05/donald-trump-heeft-een-nieuw-hoofdstuk-toegevoegd-aan-zijn/", "2017-05-01T00:00:00Z"),
    ("2017/05/de-gevoelige-informatie-over-islamitische-staat-die/", "2017-05-01T00:00:00Z"),
]


def atom_entries(feed: ET.Element) -> list[tuple[str, str]]:
    return [
        (entry.findtext(f"{ATOM}id", ""), entry.findtext(f"{ATOM}published", ""))
        for entry in feed.iter(f"{ATOM}entry")
    ]


def test_atom_feed_has_the_articles_newest_first_at_absolute_urls(published_seeds: Path):
    feed = ET.parse(published_seeds / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Trump en Rusland"
    assert feed.findtext(f"{ATOM}id") == BASE_URL
    assert feed.findtext(f"{ATOM}updated") == "2018-07-01T00:00:00Z"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": BASE_URL + "feed.xml", "alternate": BASE_URL}
    assert atom_entries(feed) == [(BASE_URL + page, when) for page, when in SEEDS_NEWEST_FIRST]

    first = next(feed.iter(f"{ATOM}entry"))
    assert first.findtext(f"{ATOM}title") == (
        "Na hun ontmoeting eerder deze week in Helsinki wil de Amerikaanse president Donald Trump "
        "graag snel opnieuw…"
    )
    assert first.findtext(f"{ATOM}summary") == (
        "Na hun ontmoeting eerder deze week in Helsinki wil de Amerikaanse president Donald Trump "
        "graag snel opnieuw samenzitten met zijn Russische collega Vladimir Poetin."
    )
    content = first.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "html"
    assert content.text is not None and "<h2>Ontkenning</h2>" in content.text
    hrefs = [link.get("href", "") for link in feed.iter(f"{ATOM}link")]
    assert all(href.startswith(BASE_URL) for href in hrefs)


def test_json_feed_is_version_1_1_with_the_same_items(published_seeds: Path):
    feed = json.loads((published_seeds / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Trump en Rusland"
    assert feed["home_page_url"] == BASE_URL
    assert feed["feed_url"] == BASE_URL + "feed.json"
    assert feed["language"] == "nl"
    assert [(item["id"], item["date_published"]) for item in feed["items"]] == [
        (BASE_URL + page, when) for page, when in SEEDS_NEWEST_FIRST
    ]
    assert all(item["url"] == item["id"] for item in feed["items"])
    atom = ET.parse(published_seeds / "feed.xml").getroot()
    assert [item["content_html"] for item in feed["items"]] == [
        entry.findtext(f"{ATOM}content") for entry in atom.iter(f"{ATOM}entry")
    ]


def test_feeds_hold_the_latest_50_and_date_each_at_the_start_of_what_is_known(cli, tmp_path: Path):
    first = date(2016, 1, 1)
    files = {
        f"{i:02d}.txt": f"date {first + timedelta(days=i)} Bericht nummer {i} over de top."
        for i in range(50)
    }
    files["maand.txt"] = "date 2016-03 Een bericht uit maart."
    files["jaar.txt"] = "date 2017 Een bericht uit een onbekende maand."
    make_tree(tmp_path / "src", files)
    assert cli("build", "--source", "src", "--out", "site", "--base-url", BASE_URL).code == 0
    feed = json.loads((tmp_path / "site" / "feed.json").read_text(encoding="utf-8"))
    titles = [item["title"] for item in feed["items"]]
    dates = [item["date_published"] for item in feed["items"]]
    assert len(feed["items"]) == 50
    assert titles[:4] == [
        "Een bericht uit een onbekende maand",
        "Een bericht uit maart",
        "Bericht nummer 49 over de top",
        "Bericht nummer 48 over de top",
    ]
    assert dates[:3] == ["2017-01-01T00:00:00Z", "2016-03-01T00:00:00Z", "2016-02-19T00:00:00Z"]
    assert titles[-1] == "Bericht nummer 2 over de top"  # 0 and 1 are the oldest two


def test_sitemap_lists_every_page_once_by_its_canonical_address(published_seeds: Path):
    urlset = ET.parse(published_seeds / "sitemap.xml").getroot()
    locs = [url.findtext(f"{SITEMAP}loc", "") for url in urlset.iter(f"{SITEMAP}url")]
    assert len(locs) == len(set(locs))

    canonical: dict[str, str] = {}
    for page in html_pages(published_seeds):
        match = re.search(r'<link rel="canonical" href="([^"]+)">', page.read_text("utf-8"))
        if match:
            canonical[page.relative_to(published_seeds).as_posix()] = match.group(1)
    assert set(locs) == set(canonical.values())
    # Every page is its own canonical page, except the second timeline order; the
    # 404 page has none.
    own = {
        path: url
        for path, url in canonical.items()
        if url == BASE_URL + path.removesuffix("index.html")
    }
    built = {page.relative_to(published_seeds).as_posix() for page in html_pages(published_seeds)}
    assert built - set(own) == {"404.html", "nieuwste-eerst/index.html"}
    assert canonical["nieuwste-eerst/index.html"] == BASE_URL
    assert len(locs) == 2 + 3 + 5 + 1 + 14 - 1  # all pages but 404 and the second order


def test_robots_txt_allows_everything_and_names_the_sitemap(published_seeds: Path):
    assert (published_seeds / "robots.txt").read_text(encoding="utf-8") == (
        f"User-agent: *\nAllow: /\n\nSitemap: {BASE_URL}sitemap.xml\n"
    )


def test_without_a_base_url_there_are_no_feeds_and_no_sitemap(cli, tmp_path: Path):
    assert cli("build", "--source", SEEDS, "--out", "site").code == 0
    site = tmp_path / "site"
    assert not (site / "feed.xml").exists()
    assert not (site / "feed.json").exists()
    assert not (site / "sitemap.xml").exists()
    assert (site / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nAllow: /\n"
    assert (site / "timeline.json").is_file()
    for page in html_pages(site):
        assert 'rel="alternate"' not in page.read_text(encoding="utf-8"), page


def test_every_page_links_to_both_feeds(published_seeds: Path):
    for page in html_pages(published_seeds):
        html = page.read_text(encoding="utf-8")
        depth = (
            "/tijdlijn/"
            if page.name == "404.html"
            else "../" * (len(page.relative_to(published_seeds).parts) - 1)
        )
        assert (
            f'<link rel="alternate" type="application/atom+xml" href="{depth}feed.xml" '
            'title="Trump en Rusland (Atom-feed)">'
        ) in html, page
        assert (
            f'<link rel="alternate" type="application/feed+json" href="{depth}feed.json" '
            'title="Trump en Rusland (JSON Feed)">'
        ) in html, page
