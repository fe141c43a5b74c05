"""Feeds of the latest articles: Atom (`feed.xml`) and JSON Feed 1.1 (`feed.json`).

Feeds need absolute addresses, so they exist only when the site has a base URL
(and at least one article: Atom requires an `updated` time, and there is no honest
one for an empty site).  Both formats want a full timestamp, and an article's date
may be known only to the month or the year: it is given as the first moment of
what is known, `2017-05` as `2017-05-01T00:00:00Z`.  No clock is read, so the same
articles always give the same feeds.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from .dates import PartialDate
from .model import Article, Site

FEED_SIZE = 50
ATOM_PATH = "feed.xml"
JSON_FEED_PATH = "feed.json"
ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
GENERATOR = "Tijdlijn"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
# Characters XML 1.0 cannot hold, even escaped; an HTML page shows them as nothing.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def feeds_enabled(site: Site) -> bool:
    return bool(site.base_url and site.articles)


def latest(site: Site, count: int = FEED_SIZE) -> list[Article]:
    """The newest articles, newest first (the reverse of the site's full time order)."""
    return list(reversed(site.articles))[:count]


def timestamp(date: PartialDate) -> str:
    """RFC 3339 for a date known to the day, month or year: the start of that period, UTC."""
    return f"{date.first_day().isoformat()}T00:00:00Z"


def atom_feed(site: Site) -> bytes:
    articles = latest(site)
    feed = ET.Element("feed", {"xmlns": ATOM_NAMESPACE, _XML_LANG: site.language})
    _text(feed, "id", site.url(""))
    _text(feed, "title", site.title)
    if site.description:
        _text(feed, "subtitle", site.description)
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=site.url(ATOM_PATH))
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=site.url(""))
    _text(feed, "updated", timestamp(articles[0].date))
    _text(ET.SubElement(feed, "author"), "name", site.title)
    _text(feed, "generator", GENERATOR)
    for article in articles:
        url = site.url(article.page_path)
        entry = ET.SubElement(feed, "entry")
        _text(entry, "id", url)
        _text(entry, "title", article.headline)
        ET.SubElement(entry, "link", rel="alternate", type="text/html", href=url)
        if article.source_url:
            ET.SubElement(entry, "link", rel="related", href=article.source_url)
        _text(entry, "published", timestamp(article.date))
        _text(entry, "updated", timestamp(article.date))
        for tag in article.tags:
            ET.SubElement(entry, "category", term=_clean(tag))
        if article.dek:
            _text(entry, "summary", article.dek)
        # Relative links in the body resolve against the article's own page.
        _text(entry, "content", article.body_html, type="html", **{_XML_BASE: url})
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def json_feed(site: Site) -> bytes:
    items = []
    for article in latest(site):
        url = site.url(article.page_path)
        item: dict[str, object] = {"id": url, "url": url, "title": article.headline}
        if article.source_url:
            item["external_url"] = article.source_url
        if article.dek:
            item["summary"] = article.dek
        item["content_html"] = str(article.body_html)
        item["date_published"] = timestamp(article.date)
        if article.tags:
            item["tags"] = list(article.tags)
        items.append(item)
    feed: dict[str, object] = {
        "version": JSON_FEED_VERSION,
        "title": site.title,
        "home_page_url": site.url(""),
        "feed_url": site.url(JSON_FEED_PATH),
    }
    if site.description:
        feed["description"] = site.description
    feed["language"] = site.language
    feed["items"] = items
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = _clean(text)
    return element


def _clean(text: str) -> str:
    return _NOT_XML.sub("", str(text))
