"""`timeline.json`: the site's articles in Knight Lab TimelineJS3's JSON format.

Editors can load it into the TimelineJS widget (https://timeline.knightlab.com/
docs/json-format.html): a title slide, then one slide per article with its date at
the precision that is known (`year`, `month`, `day` as numbers; no part invented),
the headline and summary as `text`, and its event's name as `group`.  TimelineJS
reads `headline` and `text` as HTML, so both are escaped here.  Links to the
articles are absolute with a base URL, else relative to the site root (where
`timeline.json` is).
"""

from __future__ import annotations

import json

from .i18n import Translator
from .markup import blocks_to_html, summary_with_link, text_as_html
from .model import Article, Site
from .text import Block

TIMELINE_PATH = "timeline.json"


def timeline_json(site: Site) -> bytes:
    translate = Translator(site.language)
    description = blocks_to_html([Block("p", site.description)]) if site.description else ""
    title = {"text": {"headline": str(text_as_html(site.title)), "text": str(description)}}
    if not site.articles:
        return (_json({"title": title, "events": []}) + "\n").encode("utf-8")
    # The same bytes as json.dumps of the whole {"title", "events"} object with indent=2,
    # made one slide at a time and as UTF-8 at once: the whole object, and its text as a
    # str (two bytes a character once there is a „ or ’), took more memory than every
    # other file of a large site together.  JSON strings hold no raw line breaks, so a
    # slide is indented by indenting after each of its line breaks.
    head, tail = _json({"title": title, "events": [None]}).rsplit("null", 1)
    slides = (
        _json(_slide(site, article, translate)).replace("\n", "\n    ").encode("utf-8")
        for article in site.articles
    )
    return head.encode("utf-8") + b",\n    ".join(slides) + f"{tail}\n".encode()


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _slide(site: Site, article: Article, translate: Translator) -> dict[str, object]:
    date = article.date
    start: dict[str, object] = {"year": date.year}
    if date.month:
        start["month"] = date.month
    if date.day:
        start["day"] = date.day
    start["display_date"] = translate.date(date)
    href = site.url(article.page_path) or article.page_path
    text = summary_with_link(article.dek, href, translate("read_article"))
    return {
        "start_date": start,
        "text": {"headline": str(text_as_html(article.headline)), "text": str(text)},
        "group": site.event_of(article).name,
        "unique_id": article.slug,
    }
