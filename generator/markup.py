"""The only module that turns an author's text into HTML.

Plain-text articles are escaped, never interpreted.  Markdown is converted by
cmarkgfm (GitHub's CommonMark, in C: tables, strikethrough, autolinks, footnotes;
raw HTML is left out) and then sanitised with nh3 (the Ammonia sanitiser) all the
same.  Python-Markdown, which the design first named, cost 1.4-1.9 ms an article
against 0.15 ms for cmarkgfm and nh3 together (README, "Markdown").
"""

from __future__ import annotations

import re
from html import escape, unescape

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from markupsafe import Markup
from markupsafe import escape as escape_markup

from .text import Block

# Tags an article body may use.  No <h1> (the page has one: Markdown headings are
# shifted down a level), no scripts, styles, forms, frames or embeds.
ALLOWED_TAGS = frozenset(
    "a abbr b blockquote br cite code dd del dl dt em figcaption figure h2 h3 h4 h5 h6 hr i "
    "img ins kbd li mark ol p pre q s section small strong sub sup table tbody td tfoot th "
    "thead tr u ul".split()
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},  # ids: footnotes only (see _keep_attribute)
    "li": {"id"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def blocks_to_html(blocks: list[Block]) -> Markup:
    """Paragraphs and sub-headings of a plain-text article, every character escaped."""
    return Markup("\n".join(f"<{b.kind}>{escape(b.text, quote=False)}</{b.kind}>" for b in blocks))


_EXTENSIONS = ["table", "strikethrough", "autolink", "tasklist"]
_HEADING = re.compile(r"<(/?)h([1-6])\b")


def render_markdown(source: str) -> Markup:
    """Markdown -> HTML, sanitised.  Raw HTML and `javascript:` links never survive.
    Headings start at level 2 (`# Kop` is <h2>): the page's <h1> is the headline."""
    # UNSAFE passes raw HTML on (TimelineJS sheets carry HTML in their Text column):
    # nh3 below is what makes it safe, as it was with Python-Markdown.
    html = cmarkgfm.markdown_to_html_with_extensions(
        source,
        options=Options.CMARK_OPT_FOOTNOTES | Options.CMARK_OPT_UNSAFE,
        extensions=_EXTENSIONS,
    )
    html = _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 6)}", html)
    return sanitise(html.strip())


_FOOTNOTE_ID = re.compile(r"^fn(?:ref)?-\d+$")


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    """Ids only as Markdown makes them for footnotes (`fn-1`, `fnref-1`): an id of the
    author's choosing could take one the page uses."""
    if attribute == "id" and not _FOOTNOTE_ID.match(value):
        return None
    return value


def sanitise(html: str) -> Markup:
    """Keep only the tags, attributes and URL schemes an article body may use."""
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        # No `rel` added: nh3 would put it on links whose unsafe href it removed (invalid
        # HTML), and `noopener` only matters for target=_blank, which is never allowed.
        link_rel=None,
        strip_comments=True,
        attribute_filter=_keep_attribute,
    )
    return Markup(clean)


_BLOCK_TAGS = frozenset("p li h2 h3 h4 h5 h6 blockquote dt dd td th pre figcaption".split())


# A tag of sanitised HTML (nh3's serialiser): a name, then attributes whose values are
# always double-quoted (and may hold `>`).  A `<` in text is always written `&lt;`.
_TAG = re.compile(r'<(/?)([A-Za-z][A-Za-z0-9]*)(?:[^>"]|"[^"]*")*>')


def html_to_blocks(html: str) -> list[Block]:
    """The text of sanitised HTML, block by block: for headlines, deks and search.

    What Python's HTMLParser makes of it (tests compare the two), without its per-tag
    Python calls: a Markdown article's HTML was read in 0.35 ms, twice the time cmarkgfm
    and nh3 take to make it."""
    html = str(html)  # a Markup's slices are Markup again, made by a Python method
    blocks: list[Block] = []
    parts: list[str] = []
    kind = "p"
    position = 0
    for tag in _TAG.finditer(html):
        text = html[position : tag.start()]
        position = tag.end()
        if text:
            parts.append(unescape(text) if "&" in text else text)
        name = tag.group(2).lower()
        if name == "br":  # a line break: TimelineJS sheets write `<br><br>` between lines
            parts.append(" ")
        elif name in _BLOCK_TAGS:
            _add_block(blocks, parts, kind)
            parts = []
            kind = "h2" if not tag.group(1) and name.startswith("h") else "p"
    text = html[position:]
    parts.append(unescape(text) if "&" in text else text)
    _add_block(blocks, parts, kind)
    return blocks


def _add_block(blocks: list[Block], parts: list[str], kind: str) -> None:
    text = " ".join("".join(parts).split())
    if text:
        blocks.append(Block(kind, text))


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment on one line, for a headline written as HTML:
    tags are dropped, scripts with their content, entities decoded."""
    return " ".join(block.text for block in html_to_blocks(sanitise(fragment)))


def text_as_html(text: str) -> Markup:
    """Plain text for a field that others read as HTML (a TimelineJS headline)."""
    return escape_markup(text)


def summary_with_link(summary: str, href: str, label: str) -> Markup:
    """A summary paragraph and a link to the whole article, every value escaped."""
    if not summary:
        return Markup('<p><a href="{}">{}</a></p>').format(href, label)
    return Markup('<p>{}</p>\n<p><a href="{}">{}</a></p>').format(summary, href, label)
