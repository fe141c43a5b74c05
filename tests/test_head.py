"""What a shared link and a search engine see: canonical, Open Graph, Twitter card, JSON-LD."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from .conftest import BASE_URL, SEEDS, make_tree

ARTICLE = "2017/05/donald-trump-heeft-een-nieuw-hoofdstuk-toegevoegd-aan-zijn/"
HEADLINE = (
    "Donald Trump heeft een nieuw hoofdstuk toegevoegd aan zijn omstreden relatie met Rusland"
)
DEK = (
    "Donald Trump heeft een nieuw hoofdstuk toegevoegd aan zijn omstreden relatie met Rusland. "
    "Volgens overheidsbronnen deelde de Amerikaanse president staatsgeheimen met de Russische "
    "minister van Buitenlandse Zaken Sergej Lavrov."
)


class Page(HTMLParser):
    """The elements of a page as a browser's parser sees them, and each inline script's
    text (the theme's own search.js, loaded by src, is not one of them)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._script: dict[str, str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.elements.append((tag, values))
        if tag == "script" and "src" not in values:
            self._script = values
            self.scripts.append((values, ""))

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def meta(self) -> dict[str, str]:
        """`og:…` and `article:…` (property) and `twitter:…`/`description` (name) -> content."""
        found: dict[str, str] = {}
        for tag, attrs in self.elements:
            key = attrs.get("property") or attrs.get("name")
            if tag == "meta" and key:
                assert key not in found or key == "article:tag", f"{key} twice"
                found[key] = attrs.get("content", "")
        return found

    def links(self, rel: str) -> list[dict[str, str]]:
        return [attrs for tag, attrs in self.elements if tag == "link" and attrs.get("rel") == rel]


def page(site: Path, path: str) -> Page:
    return Page((site / path / "index.html").read_text(encoding="utf-8"))


def test_an_article_page_has_canonical_open_graph_and_twitter_tags(published_seeds: Path):
    article = page(published_seeds, ARTICLE)
    assert article.links("canonical") == [{"rel": "canonical", "href": BASE_URL + ARTICLE}]
    assert article.meta() == {
        "viewport": "width=device-width, initial-scale=1",
        "description": DEK,
        "og:type": "article",
        "og:site_name": "Trump en Rusland",
        "og:title": HEADLINE,
        "og:description": DEK,
        "og:url": BASE_URL + ARTICLE,
        "og:locale": "nl_NL",
        "twitter:card": "summary",
        "twitter:title": HEADLINE,
        "twitter:description": DEK,
        "article:published_time": "2017-05",
        "article:section": "Trump deelt staatsgeheimen met Lavrov",
    }


def test_the_timeline_is_a_website_at_the_base_url(published_seeds: Path):
    meta = page(published_seeds, "").meta()
    assert (meta["og:type"], meta["og:title"], meta["og:url"]) == (
        "website",
        "Trump en Rusland",
        BASE_URL,
    )
    assert page(published_seeds, "nieuwste-eerst").meta()["og:url"] == BASE_URL


def test_an_article_page_describes_itself_as_a_news_article(published_seeds: Path):
    scripts = page(published_seeds, ARTICLE).scripts
    assert [attrs for attrs, _ in scripts] == [{"type": "application/ld+json"}]
    data = json.loads(scripts[0][1])
    assert data == {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": HEADLINE,
        "description": DEK,
        "datePublished": "2017-05",  # the month is all that is known
        "inLanguage": "nl",
        "articleSection": "Trump deelt staatsgeheimen met Lavrov",
        "url": BASE_URL + ARTICLE,
        "mainEntityOfPage": BASE_URL + ARTICLE,
        "publisher": {"@type": "Organization", "name": "Trump en Rusland", "url": BASE_URL},
    }


def test_without_a_base_url_there_are_no_absolute_addresses(cli, tmp_path: Path):
    assert cli("build", "--source", SEEDS, "--out", "site").code == 0
    article = page(tmp_path / "site", ARTICLE)
    meta = article.meta()
    assert article.links("canonical") == []
    assert "og:url" not in meta
    assert meta["og:title"] == HEADLINE
    data = json.loads(article.scripts[0][1])
    assert "url" not in data and "mainEntityOfPage" not in data
    assert data["publisher"] == {"@type": "Organization", "name": "Trump en Rusland"}


HOSTILE = "</script><script>alert(1)</script>"


def test_hostile_text_cannot_leave_the_json_ld_block_or_an_attribute(cli, tmp_path: Path):
    make_tree(
        tmp_path / "src",
        {
            "a.md": (
                f"Title: {HOSTILE}\nDate: 16 juli 2018\nSource: NOS {HOSTILE}\n"
                f"Tags: <!--, \"'><b>\n\nTekst met {HOSTILE} erin & meer.\n"
            )
        },
    )
    assert cli("build", "--source", "src", "--out", "site", "--base-url", BASE_URL).code == 0
    article = next((tmp_path / "site" / "2018" / "07").glob("*/index.html"))
    parsed = Page(article.read_text(encoding="utf-8"))
    assert len(parsed.scripts) == 1
    data = json.loads(parsed.scripts[0][1])
    assert data["headline"] == HOSTILE
    assert data["datePublished"] == "2018-07-16"
    assert data["sourceOrganization"] == {"@type": "Organization", "name": f"NOS {HOSTILE}"}
    assert data["keywords"] == ["<!--", "\"'><b>"]
    meta = parsed.meta()
    assert meta["og:title"] == HOSTILE
    assert meta["twitter:title"] == HOSTILE
    assert [tag for tag, _ in parsed.elements].count("b") == 0
