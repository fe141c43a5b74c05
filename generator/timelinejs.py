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
from collections.abc import Iterable, Iterator

from .i18n import Translator
from .markup import blocks_to_html, summary_with_link, text_as_html
from .model import Article, Site
from .text import Block

TIMELINE_PATH = "timeline.json"


def timeline_json(site: Site) -> bytearray:
    made = bytearray()
    for part in timeline_json_parts(site):  # one buffer: a list of parts joined held both
        made += part
    return made


PART_SLIDES = 1000  # slides in each part of `timeline_json_parts` (about 0.6 kB each)


def timeline_json_parts(site: Site) -> Iterator[bytes]:
    """timeline.json in parts of PART_SLIDES slides, for a writer that takes them one at
    a time: at 100,000 articles the whole file is 62 MB, the largest of a build."""
    translate = Translator(site.language)
    description = blocks_to_html([Block("p", site.description)]) if site.description else ""
    title = {"text": {"headline": str(text_as_html(site.title)), "text": str(description)}}
    # One slide a line: made one at a time by json's C encoder (an indented dump runs in
    # Python: 1 s for 10,000 slides), never the whole text at once, and a changed
    # article is a one-line change.  Added to one buffer as they are made: joining a
    # list of slides held them twice.
    made = bytearray(f'{{\n"title": {_json(title)},\n"events": [\n'.encode())
    for number, article in enumerate(site.articles):
        if number:
            made += b",\n"
            if number % PART_SLIDES == 0:
                yield bytes(made)
                made.clear()
        made += _json(_slide(site, article, translate)).encode()
    made += b"\n]}\n"
    yield bytes(made)


def timeline_json_edited(site: Site, published: bytes, numbers: Iterable[int]) -> bytes | None:
    """`timeline_json(site)`, made from the file an earlier version of the site published
    by making only the slides of the articles at `numbers` again: the other articles are
    as they were, in the same places.  None if `published` has not one line per article.
    (Spliced, not split into lines: 10,000 slides are 6 MB.)"""
    count = len(site.articles)  # lines: the head's 3, a slide each, `]}`, then the end
    if not _one_line_each(published, count):
        return None
    translate = Translator(site.language)
    view = memoryview(published)
    parts: list[bytes | memoryview] = []
    taken = line = start = 0  # `published` is copied up to `taken`; line `line` at `start`
    for number in sorted(set(numbers)):
        while line < 3 + number:
            start = published.index(b"\n", start) + 1
            line += 1
        slide = _json(_slide(site, site.articles[number], translate)).encode()
        parts += [view[taken:start], slide + b"," if number + 1 < count else slide]
        taken = published.index(b"\n", start)
    parts.append(view[taken:])
    return b"".join(parts)


def timeline_json_added(site: Site, published: bytes, index: int) -> bytes | None:
    """`timeline_json(site)`, made from the file the site published before its article
    at `index` was added: that article's slide put in its place.  None if `published`
    has not one line per article before it."""
    count = len(site.articles) - 1  # in `published`
    if count < 1 or not _one_line_each(published, count):
        return None
    slide = _json(_slide(site, site.articles[index], Translator(site.language))).encode()
    if index == count:  # after every other: the line before it gets the comma
        end = len(published) - len(_END)
        return b"".join((published[:end], b",\n", slide, published[end:]))
    start = _line_start(published, 3 + index)
    return b"".join((published[:start], slide, b",\n", published[start:]))


def timeline_json_removed(site: Site, published: bytes, index: int) -> bytes | None:
    """`timeline_json(site)`, made from the file the site published before its article
    at `index` was removed: that article's slide taken out.  None if `published` has not
    one line per article and the one removed."""
    count = len(site.articles) + 1  # in `published`
    if not _one_line_each(published, count):
        return None
    if index == count - 1:  # the last: the line before it loses its comma
        last = published.rindex(b",\n", 0, len(published) - len(_END))
        return published[:last] + _END
    start = _line_start(published, 3 + index)
    return published[:start] + published[published.index(b"\n", start) + 1 :]


_END = b"\n]}\n"


def _one_line_each(published: bytes, count: int) -> bool:
    """Whether `published` has the head's 3 lines, a slide a line for `count` articles,
    `]}`, then the end."""
    return published.count(b"\n") == count + 4 and published.endswith(_END)


def _line_start(published: bytes, line: int) -> int:
    """Where line `line` (from 0) of `published` starts."""
    start = 0
    for _ in range(line):
        start = published.index(b"\n", start) + 1
    return start


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False)


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
