"""Article text is always escaped: no markup from content runs in a reader's browser."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from .conftest import make_tree

TXT_HEADLINE = 'Een "test" & <script>alert(1)</script> in de tekst'
TXT_DEK = f"{TXT_HEADLINE}. En <img src=x onerror=alert(1)> erna."
HOSTILE_TXT = f"""date 2017-05 {TXT_DEK}

Dan "quotes" & ampersands, en <a href="javascript:alert(1)">een link</a>.

<b>kop</b>

De laatste alinea met <iframe src="https://evil.example"></iframe> erin.
"""

HOSTILE_MD = """Title: Kop met <script>alert(2)</script> erin
Date: 2017-06-16
Source: <i>x</i>
URL: javascript:alert(1)
Tags: <b>tag</b>, "q" & a
Event: <script>alert(3)</script>

Tekst met <script>alert(4)</script> en <iframe src="https://evil.example"></iframe> erin.

<a href="javascript:alert(5)">klik</a> en [x](javascript:alert(6))
en <div onclick="alert(7)">div</div>.

![x](javascript:alert(8)) en <object data="x"></object><embed src="y">

<svg onload=alert(9)>svg</svg> <style>body{}</style> [y](JaVaScRiPt:alert(10))

[z]( java&#x09;script:alert(11)) <a href="&#106;avascript:alert(12)">entiteit</a>
<form action="javascript:alert(13)"><button formaction="javascript:alert(14)">b</button></form>
<base href="javascript:alert(15)//">
<meta http-equiv="refresh" content="0;url=javascript:alert(16)">
"""
MD_HEADLINE = "Kop met <script>alert(2)</script> erin"

# Elements that run or load code, or change where links go; the default theme uses none.
# (Its only <script> is a JSON-LD data block, checked separately.)
FORBIDDEN = {"iframe", "frame", "object", "embed", "applet", "base", "style"}
# The theme's own search script, from its hashed assets, is the only script with a src.
THEME_SCRIPT = re.compile(r"^(/|(\.\./)*)assets/search\.[0-9a-f]{10}\.js$")  # 404: from /


def theme_search_form(element: Element) -> bool:
    """The theme's search box: the only form a page may have, and it goes nowhere."""
    return element.attrs.get("role") == "search" and not {"action", "method"} & set(element.attrs)


JSON_LD = "application/ld+json"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcset"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return " ".join("".join(parts).split())

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str, cls: str | None = None) -> list[Element]:
        return [
            e
            for e in self.iter()
            if e.tag == tag and (cls is None or cls in e.attrs.get("class", "").split())
        ]

    def find(self, tag: str, cls: str | None = None) -> Element:
        found = self.find_all(tag, cls)
        assert found, f"no <{tag} class={cls!r}>"
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.all_attrs: list[tuple[str, str, str]] = []  # (tag, name, value)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.all_attrs.extend((tag, name, value or "") for name, value in attrs)
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(data: bytes) -> _TreeBuilder:
    builder = _TreeBuilder()
    builder.feed(data.decode("utf-8"))
    builder.close()
    return builder


def unsafe_url(value: str) -> bool:
    """Whether a browser would run this URL: it strips white space and control
    characters anywhere in the scheme, and does not care about case."""
    squeezed = "".join(ch for ch in value if ord(ch) > 0x20).lower()
    return squeezed.startswith(("javascript:", "vbscript:", "data:text/html"))


@pytest.fixture
def site(cli, tmp_path: Path) -> Path:
    make_tree(
        tmp_path / "src",
        {
            "hostile.txt": HOSTILE_TXT,
            "hostile.md": HOSTILE_MD,
            # Another article that mentions the same names, so that name pages, related
            # articles and previous/next links show the hostile headlines too.
            "buur.txt": "date 2017-05 Een gewoon bericht over de test in de tekst.\n",
        },
    )
    result = cli("build", "--source", "src", "--out", "site")
    assert result.code == 0, result.err
    return tmp_path / "site"


def html_files(site: Path) -> dict[str, bytes]:
    found = {}
    for parent, _, names in os.walk(site):
        for name in names:
            if name.endswith(".html"):
                path = Path(parent, name)
                found[path.relative_to(site).as_posix()] = path.read_bytes()
    return dict(sorted(found.items()))


def article_page(site: Path, headline_start: str) -> Element:
    pages = [
        parse(data).root
        for path, data in html_files(site).items()
        if path.count("/") == 3 and headline_start in parse(data).root.find("h1").text
    ]
    assert len(pages) == 1, headline_start
    return pages[0]


def test_no_page_has_scripts_event_handlers_or_javascript_urls(site: Path):
    pages = html_files(site)
    assert len(pages) >= 6  # timeline, 2 events, 3 articles, 404…

    for path, data in pages.items():
        page = parse(data)
        elements = {e.tag for e in page.root.iter()}
        assert not elements & FORBIDDEN, path
        assert all(theme_search_form(form) for form in page.root.find_all("form")), path
        assert len(page.root.find_all("form")) <= 1, path
        assert [
            (tag, name) for tag, name, _ in page.all_attrs if name.lower().startswith("on")
        ] == [], path
        assert [
            (tag, name, value)
            for tag, name, value in page.all_attrs
            if name.lower() in URL_ATTRIBUTES and unsafe_url(value)
        ] == [], path
        assert not [e.attrs for e in page.root.find_all("meta") if "http-equiv" in e.attrs], path
        lowered = data.lower()
        for tag in (b"<iframe", b"<object", b"<embed", b"<img src=x"):
            assert tag not in lowered, (path, tag)


def test_the_only_scripts_are_json_ld_data_that_no_text_can_end(site: Path):
    for path, data in html_files(site).items():
        page = parse(data).root
        inline = [s for s in page.find_all("script") if "src" not in s.attrs]
        external = [s for s in page.find_all("script") if "src" in s.attrs]
        assert [s.attrs for s in external] == [
            {"src": s.attrs["src"], "defer": ""} for s in external
        ]
        assert all(THEME_SCRIPT.match(s.attrs["src"]) for s in external), path
        for script in inline:
            assert script.attrs == {"type": JSON_LD}, path
            json.loads(script.text)  # the whole block, not cut short by a `</script>`
        opening_tags = re.findall(rb"<script\b[^>]*>", data, flags=re.IGNORECASE)
        inline_tags = [tag for tag in opening_tags if b"src=" not in tag]
        assert inline_tags == [f'<script type="{JSON_LD}">'.encode()] * len(inline_tags), path

    page = article_page(site, 'Een "test"')
    (block,) = [s for s in page.find_all("script") if "src" not in s.attrs]
    data = json.loads(block.text)
    assert (data["headline"], data["description"]) == (TXT_HEADLINE, TXT_DEK)


def test_plain_text_article_shows_the_markup_as_text(site: Path):
    page = article_page(site, 'Een "test"')
    body = page.find("div", "article-body")

    assert body.find_all("p")[0].text == TXT_DEK
    assert body.find_all("p")[1].text == (
        'Dan "quotes" & ampersands, en <a href="javascript:alert(1)">een link</a>.'
    )
    assert [h.text for h in body.find_all("h2")] == ["<b>kop</b>"]
    assert '<iframe src="https://evil.example"></iframe>' in body.text
    assert [e.tag for e in body.iter()] == ["div", "p", "p", "h2", "p"]


def test_headline_and_summary_from_hostile_text_are_text_everywhere(site: Path):
    page = article_page(site, 'Een "test"')

    assert page.find("h1").text == TXT_HEADLINE
    assert page.find("title").text.startswith(TXT_HEADLINE + " · ")
    descriptions = [
        m.attrs["content"] for m in page.find_all("meta") if m.attrs.get("name") == "description"
    ]
    assert descriptions == [TXT_DEK]
    shared = {
        m.attrs.get("property") or m.attrs.get("name"): m.attrs["content"]
        for m in page.find_all("meta")
        if "content" in m.attrs
    }
    assert shared["og:title"] == shared["twitter:title"] == TXT_HEADLINE
    assert shared["og:description"] == shared["twitter:description"] == TXT_DEK

    pages = {path: parse(data).root for path, data in html_files(site).items()}
    cards = [
        card
        for path, root in pages.items()
        for card in root.find_all("article", "card")
        if TXT_HEADLINE in card.text
    ]
    assert len(cards) >= 2  # at least the timeline and the event page
    for card in cards:
        assert TXT_HEADLINE in [a.text for a in card.find_all("a")]
        assert card.find("p", "card-dek").text == TXT_DEK
        assert [e.tag for e in card.iter() if e.tag in {"script", "img", "b"}] == []


def test_markdown_header_values_are_text(site: Path):
    page = article_page(site, "Kop met")

    assert page.find("h1").text == MD_HEADLINE
    assert page.find("title").text.startswith(MD_HEADLINE + " · ")
    meta = {dt.text: dd for dt, dd in zip(page.find_all("dt"), page.find_all("dd"), strict=True)}
    assert meta["Bron"].text == "<i>x</i>"
    assert meta["Bron"].find_all("a") == []  # the javascript: URL was dropped, not linked
    assert meta["Bron"].find_all("i") == []
    assert meta["Trefwoorden"].text == '<b>tag</b>, "q" & a'
    assert meta["Gebeurtenis"].text == "<script>alert(3)</script>"  # the event's name

    timeline = parse((site / "index.html").read_bytes()).root
    assert "<script>alert(3)</script>" in [h.text for h in timeline.find_all("h3", "event-name")]
    assert MD_HEADLINE in [h.text for h in timeline.find_all("h4", "card-headline")]


def test_markdown_body_keeps_its_text_and_loses_its_code(site: Path):
    body = article_page(site, "Kop met").find("div", "article-body")

    assert "klik" in body.text
    assert "entiteit" in body.text
    for link in body.find_all("a"):
        assert not unsafe_url(link.attrs.get("href", "")), link.attrs
    for image in body.find_all("img"):
        assert not unsafe_url(image.attrs.get("src", "")), image.attrs
    assert {e.tag for e in body.iter()} <= {"div", "p", "a", "img", "em", "strong", "br"}
    assert "alert(4)" not in body.text  # a script's code is not shown either


def assert_safe_html(html: str, where: str) -> None:
    page = parse(html.encode("utf-8"))
    assert not {e.tag for e in page.root.iter()} & (FORBIDDEN | {"script"}), where
    assert [name for _, name, _ in page.all_attrs if name.lower().startswith("on")] == [], where
    assert [v for _, n, v in page.all_attrs if n in URL_ATTRIBUTES and unsafe_url(v)] == [], where


def test_feeds_carry_headlines_as_text_and_bodies_as_safe_html(cli, site: Path, tmp_path: Path):
    """Feed readers show a feed's text and render its HTML: the same rules hold there."""
    result = cli("build", "--source", "src", "--out", "met-feeds", "--base-url", "https://x.org/")
    assert result.code == 0, result.err
    folder = tmp_path / "met-feeds"

    atom = "{http://www.w3.org/2005/Atom}"
    entries = ElementTree.parse(folder / "feed.xml").getroot().findall(f"{atom}entry")
    titles = {}
    for entry in entries:
        title = entry.find(f"{atom}title")
        assert title.get("type", "text") == "text"
        titles[title.text] = entry
        content = entry.find(f"{atom}content")
        assert content.get("type") == "html"
        assert_safe_html(content.text, title.text)
    assert {TXT_HEADLINE, MD_HEADLINE} <= set(titles)
    assert titles[TXT_HEADLINE].find(f"{atom}summary").text == TXT_DEK

    items = json.loads((folder / "feed.json").read_text(encoding="utf-8"))["items"]
    by_title = {item["title"]: item for item in items}  # JSON Feed titles are plain text
    assert {TXT_HEADLINE, MD_HEADLINE} <= set(by_title)
    assert by_title[TXT_HEADLINE]["summary"] == TXT_DEK
    for item in items:
        assert_safe_html(item["content_html"], item["title"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in by_title[TXT_HEADLINE]["content_html"]
