"""Render stage: site model -> (path, bytes) for every file of the site.  No disk writes.

Templates are Jinja2 with autoescaping and StrictUndefined: every value from
content is escaped unless `markup.py` made it, and a typo in a template fails
the build instead of printing nothing.  Links are relative, so the site works
from any folder of any host; only the 404 page, which a host serves at any
path, links from the site root.
"""

from __future__ import annotations

import copy
import hashlib
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple, TypeVar
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .chart import overview
from .config import default_theme as default_theme  # re-exported: where themes are
from .crossref import NameEntry
from .feeds import ATOM_PATH, JSON_FEED_PATH, feeds_enabled
from .i18n import Translator
from .incremental import with_digest
from .machine import machine_files
from .model import Article, Event, Site
from .search import SearchIndex
from .structured import news_article
from .timelinejs import TIMELINE_PATH, timeline_json, timeline_json_parts
from .write import Content

ASSET_FOLDER = "assets"
CARD_NAMES = 4  # names shown on a card; the article page shows them all
PAGE_SIZE = 100  # cards per page of an event or a name: about 100 kB of HTML
# Names per page of the index of names: about 90-100 bytes of HTML each, so about 200 kB
# a page.  On one page the index outgrew 1 MB: 1.42 MB for 14,449 names in a
# 100,000-article archive that quotes a long tail of people (`make_corpus.py --people`).
NAMES_PER_PAGE = 2000
# Cards on the timeline page.  A site with more articles shows the first few of each
# event and links to the event's page, so the page stays under about 500 kB however
# large the archive grows (the number of events grows only by one a month).
TIMELINE_CARDS = 400
# Each process that renders lists keeps every card it made (0.9 kB each; making one
# again costs 75 us, and a name page shows a hundred).  Above this many articles they
# are kept compressed: half the memory (45 MB less per worker at 100,000 articles, which
# kept a build there under 400 MB), for 13 us to compress each and 4.5 us to read it;
# against CARD_SAMPLES cards as a preset dictionary, half that again.
CARDS_UNPACKED = 20_000
CARD_SAMPLES = 5
# Above this many articles a build writes timeline.json as it is made, in parts (see
# `other_files`), making it twice (once for its digest) instead of holding it: at
# 100,000 articles it is 62 MB, and it set the peak memory of the worker that made it.
TIMELINE_IN_PARTS = 20_000

# Stand-ins for what differs between copies of a card: NUL never reaches a page (the
# loader refuses files that hold it), so it cannot be mistaken for an article's text.
_ROOT = "\x00root\x00"
_HEADING = "\x00h\x00"

T = TypeVar("T")


@dataclass(frozen=True)
class Asset:
    source: Path
    path: str  # in the site, with a content hash: `assets/style.3f2a9c1b7e.css`
    data: bytes


def collect_assets(theme: Path) -> dict[str, Asset]:
    """Static files of the theme, named by content hash so they can be cached forever."""
    assets: dict[str, Asset] = {}
    static = theme / "static"
    if not static.is_dir():
        return assets
    for file in sorted(p for p in static.rglob("*") if p.is_file()):
        data = file.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:10]
        name = file.relative_to(static).as_posix()
        stem, dot, suffix = name.rpartition(".")
        hashed = f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"
        assets[name] = Asset(file, f"{ASSET_FOLDER}/{hashed}", data)
    return assets


def make_environment(theme: Path) -> Environment:
    return Environment(
        loader=FileSystemLoader(str(theme)),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # a Renderer lives for one build: no stat() of templates per page
    )


@dataclass(frozen=True)
class Page:
    """One page to render: what kind, of what (slug or key), which page of a list."""

    kind: str  # timeline, event, article, names, name, 404
    key: str = ""
    number: int = 1


class RelatedItem(NamedTuple):
    page_path: str  # from the site root
    headline: str
    iso_date: str
    date: str
    shared: str  # "Gedeelde namen: A en B"


def page_number(place: int) -> int:
    """The page of a paginated list (an event's, a name's) that shows its card `place`."""
    return place // PAGE_SIZE + 1


def page_count(items: Sequence[object], size: int | None = None) -> int:
    """How many pages a paginated list of these items has (an empty list has one), at
    `size` items a page (default: PAGE_SIZE, as it is when called)."""
    return max(1, -(-len(items) // (size or PAGE_SIZE)))


def on_page(items: Sequence[T], number: int, size: int | None = None) -> Sequence[T]:
    """The items that page `number` (from 1) of a paginated list shows: one slice.
    (Slicing the whole list into pages for each page and keeping one was quadratic: 1.1 s
    for a name in 100,000 articles, on every pass over its pages.)"""
    size = size or PAGE_SIZE
    return items[(number - 1) * size : number * size]


class Renderer:
    """Renders every page of one site.  Templates are compiled once per Renderer, and a
    card once per article and folder depth, however many lists show it."""

    def __init__(self, site: Site, theme: Path, build_date: str | None = None) -> None:
        self.site = site
        self.assets = collect_assets(theme)
        self.env = make_environment(theme)
        self.translate = Translator(site.language)
        self.names_path = f"{self.translate('names_path')}/"
        self.events = {event.key: event for event in site.events}
        self.entries = {entry.slug: entry for entry in site.names}
        self.articles = {article.slug: article for article in site.articles}
        self.on_timeline = self._cards_on_timeline()
        self._cards: dict[str, str | bytes] = {}  # slug -> card with ROOT and HEADING to fill in
        self._pack_cards = len(site.articles) > CARDS_UNPACKED
        self._card_dictionary = b""  # see `_pack_card`
        self._fragments: dict[tuple[str, str], Markup] = {}
        self._card_prints: dict[str, str] = {}  # slug -> hash of what its card shows
        self._name_links: dict[str, str] = {}  # name's slug -> its link, with ROOT to fill in
        self.env.globals.update(
            self._bound_globals(),
            t=self.translate,
            build_date=build_date,
            names_path=self.names_path,
            card_names=CARD_NAMES,
            feeds=feeds_enabled(site),
            atom_path=ATOM_PATH,
            json_feed_path=JSON_FEED_PATH,
        )
        if self._pack_cards:  # (the globals are needed to render a card)
            self._card_dictionary = self._sample_cards()

    def _bound_globals(self) -> dict[str, object]:
        """What templates call on this renderer and its site."""
        return {
            "site": self.site,
            "asset": self._asset_path,
            "name_path": self.name_path,
            "cards": self.cards,
            "name_links": self.name_links,
            "fragment": self.fragment,
            "card_place": self.card_place,
        }

    def edited(self, site: Site, retitled: Sequence[tuple[Article, Article]] = ()) -> Renderer:
        """This renderer for a new version of its site in which only articles' texts
        differ, and the `retitled` ones' headlines, deks or slugs (old and new versions;
        see patch.py), or which has one article more or fewer (given as `retitled`, so
        that a card kept for its slug is not taken for its own): compiled templates,
        header and footer and the other articles' cards still hold.  This one is not to
        be used again: they share their caches."""
        other = copy.copy(self)
        other.site = site
        other.events = {event.key: event for event in site.events}
        other.entries = {entry.slug: entry for entry in site.names}
        other.articles = {article.slug: article for article in site.articles}
        if len(site.articles) != len(self.site.articles):
            other.on_timeline = other._cards_on_timeline()
        for old, new in retitled:
            for slug in (old.slug, new.slug):
                other._cards.pop(slug, None)
                other._card_prints.pop(slug, None)
            if old.slug != new.slug:
                other.on_timeline = {
                    newest: {new.slug if s == old.slug else s for s in shown}
                    for newest, shown in other.on_timeline.items()
                }
        self.env.globals.update(other._bound_globals())
        return other

    def warm(self) -> None:
        """Compile what an article page needs now, not when the next edit is waiting."""
        if self.site.articles:
            self.article_page(self.site.articles[0])

    def warm_cards(self, articles: Iterable[Article]) -> None:
        """Render these articles' cards, with their dates (Babel: 70 us each), and hash
        what they show, before a list asks for them.  The worker processes did so during
        the build, not this one: without it, the first edit after a build that added an
        article rendered its names' lists' 10,000 cards (0.4 s of 0.8)."""
        for article in articles:
            self._card(article)
            self._card_inputs(article)

    # --- where things are ------------------------------------------------------------------

    def name_path(self, entry: NameEntry) -> str:
        return f"{self.names_path}{entry.slug}/"

    def list_page_path(self, folder: str, number: int) -> str:
        """Page `number` of a paginated list whose first page is `folder`."""
        return folder if number == 1 else f"{folder}{number}/"

    def timeline_paths(self) -> dict[bool, str]:
        """Where the timeline is, oldest first (False) and newest first (True): the
        site's default order is `index.html`, the other one a page of its own."""
        other = self.translate("oldest_path" if self.site.newest_first else "newest_path")
        return {
            self.site.newest_first: "index.html",
            not self.site.newest_first: f"{other}/index.html",
        }

    def _cards_on_timeline(self) -> dict[bool, set[str]]:
        """Slugs with a card on each timeline page.  A small site shows every card; a large
        one at most TIMELINE_CARDS, spread over the events, each event linking to its page."""
        site = self.site
        if len(site.articles) <= TIMELINE_CARDS:
            every = {a.slug for a in site.articles}
            return {False: every, True: every}
        per_event = TIMELINE_CARDS // len(site.events)
        return {
            newest: {
                a.slug
                for event in site.events
                for a in (event.articles[-per_event:] if newest else event.articles[:per_event])
                if per_event
            }
            for newest in (False, True)
        }

    def timeline_cards(self, event: Event, newest_first: bool) -> list[Article]:
        shown = self.on_timeline[newest_first]
        cards = [a for a in event.articles if a.slug in shown]
        return cards[::-1] if newest_first else cards

    def card_place(self, article: Article) -> str:
        """Where the article's card is, from the site root: on the timeline if it is
        there, else on its event's page."""
        if article.slug in self.on_timeline[self.site.newest_first]:
            return f"#{article.slug}"
        event = self.site.event_of(article)
        number = page_number(self.site.place_in_event(article))
        return f"{self.list_page_path(event.page_path, number)}#{article.slug}"

    def _asset_path(self, name: str) -> str:
        return self.assets[name].path

    # --- rendering -------------------------------------------------------------------------

    def _card(self, article: Article) -> str:
        """An article's card, rendered once and placed on every list that shows it: only
        the path to the site root (`_ROOT`) and the headline's tag (`_HEADING`) differ
        from one list to another."""
        kept = self._cards.get(article.slug)
        if kept is None:
            template = self.env.get_template("_card.html")
            html = template.render(article=article, root=_ROOT, heading=_HEADING)
            self._cards[article.slug] = self._pack_card(html) if self._pack_cards else html
            return html
        return kept if isinstance(kept, str) else self._unpack_card(kept)

    def _sample_cards(self) -> bytes:
        """A few cards from across the site, as the preset dictionary that every packed
        card is compressed against: the markup all cards share is then not stored again
        in each (204 bytes a card instead of 399, and as fast; measured on 3,000)."""
        articles = self.site.articles
        picked = sorted({len(articles) * n // CARD_SAMPLES for n in range(CARD_SAMPLES)})
        template = self.env.get_template("_card.html")
        return "".join(
            template.render(article=articles[index], root=_ROOT, heading=_HEADING)
            for index in picked
        ).encode()

    def _pack_card(self, html: str) -> bytes:
        packer = zlib.compressobj(1, zdict=self._card_dictionary)
        return packer.compress(html.encode()) + packer.flush()

    def _unpack_card(self, packed: bytes) -> str:
        unpacker = zlib.decompressobj(zdict=self._card_dictionary)
        return (unpacker.decompress(packed) + unpacker.flush()).decode()

    def cards(
        self, articles: Sequence[Article], root: str, heading: str, indent: str, ids: bool = True
    ) -> Markup:
        """The `<li>` lines of a list of cards (made here, not by a loop in the template:
        a name page shows a hundred cards, and a template loop cost more than they do)."""
        items = []
        for article in articles:
            opening = f'<li id="{escape(article.slug)}">' if ids else "<li>"
            items.append(f"{indent}{opening}{self._card(article)}</li>")
        joined = "\n".join(items)
        return Markup(joined.replace(_ROOT, root).replace(_HEADING, heading))

    def name_links(self, entries: Sequence[NameEntry], root: str) -> Markup:
        """The `<li>` links to these names' pages, each rendered once (`_name_link.html`):
        an article page lists 16 names on average, and a template loop over them took a
        fifth of its time."""
        links = []
        for entry in entries:
            html = self._name_links.get(entry.slug)
            if html is None:
                template = self.env.get_template("_name_link.html")
                html = template.render(entry=entry, root=_ROOT).strip("\n")
                self._name_links[entry.slug] = html
            links.append(html)
        return Markup("".join(links).replace(_ROOT, escape(root)))

    def fragment(self, template: str, root: str) -> Markup:
        """A part of every page that depends only on the site and the path to its root
        (header, footer): rendered once per folder depth, not once per page."""
        key = (template, root)
        html = self._fragments.get(key)
        if html is None:
            rendered = self.env.get_template(template).render(root=root)
            html = self._fragments[key] = Markup(rendered.rstrip("\n"))
        return html

    def render(self, template: str, path: str, **context: object) -> bytes:
        """Render one page at `path` (relative to the site root)."""
        depth = path.count("/")
        context.setdefault("root", "../" * depth)
        context.setdefault("canonical_path", path.removesuffix("index.html"))
        context.setdefault("description", self.site.description)
        context.setdefault("share_title", self.site.title)  # for Open Graph and Twitter cards
        html = self.env.get_template(template).render(**context)
        return html.encode("utf-8")

    def plan(self) -> list[Page]:
        """Every page of the site, in a fixed order."""
        site = self.site
        pages = [Page("timeline", "newest" if site.newest_first else "oldest")]
        pages.append(Page("timeline", "oldest" if site.newest_first else "newest"))
        for event in site.events:
            pages += [Page("event", event.key, n + 1) for n in range(page_count(event.articles))]
        pages += [Page("article", article.slug) for article in site.articles]
        if site.names:
            count = page_count(site.names, NAMES_PER_PAGE)
            pages += [Page("names", "", n + 1) for n in range(count)]
            for entry in site.names:
                count = page_count(entry.articles)
                pages += [Page("name", entry.slug, n + 1) for n in range(count)]
        pages.append(Page("404"))
        return pages

    def related_numbers(self, page: Page) -> tuple[int, tuple[int, ...]] | None:
        """For an article's page: its number and its related articles' (see
        Site.related_numbers); asked right after `fingerprint`, which worked them out."""
        if page.kind != "article":
            return None
        return self.site.related_numbers(self.articles[page.key])

    def path_of(self, page: Page) -> str:
        """The file a page is written to."""
        if page.kind == "timeline":
            return self.timeline_paths()[page.key == "newest"]
        if page.kind == "event":
            return f"{self.list_page_path(self.events[page.key].page_path, page.number)}index.html"
        if page.kind == "article":
            return f"{self.articles[page.key].page_path}index.html"
        if page.kind == "names":
            return f"{self.list_page_path(self.names_path, page.number)}index.html"
        if page.kind == "name":
            folder = self.name_path(self.entries[page.key])
            return f"{self.list_page_path(folder, page.number)}index.html"
        return "404.html"

    def canonical_paths(self) -> list[str]:
        """Every page's own address, for the sitemap: not the 404 page, and not the
        timeline in its other order (its canonical address is the timeline's)."""
        other_timeline = self.timeline_paths()[not self.site.newest_first]
        return [
            path.removesuffix("index.html")
            for path in map(self.path_of, self.plan())
            if path not in ("404.html", other_timeline)
        ]

    # --- fingerprints: what each page shows, so an unchanged page need not be rendered ----

    def fingerprint(self, page: Page) -> str:
        """A hash of everything the page is made from (with the theme and settings, which
        the caller adds).  Equal fingerprints mean equal bytes.  An article page's ends
        in its file's digest, kept apart: an edit to its text alone changes only that
        (see textedit.py)."""
        printed = hashlib.blake2b(repr(self._inputs(page)).encode(), digest_size=16).hexdigest()
        if page.kind == "article":
            return with_digest(printed, self.articles[page.key].digest)
        return printed

    def _card_inputs(self, article: Article) -> str:
        """What an article's card shows, hashed once: name pages and the timeline list
        thousands of cards, and their fingerprints are made on every incremental build."""
        printed = self._card_prints.get(article.slug)
        if printed is None:
            names = self.site.names_with_pages(article)[:CARD_NAMES]
            inputs = (
                article.page_path,
                article.headline,
                article.dek,
                article.date,
                [(e.name, e.slug) for e in names],
            )
            printed = hashlib.blake2b(repr(inputs).encode(), digest_size=12).hexdigest()
            self._card_prints[article.slug] = printed
        return printed

    def _inputs(self, page: Page) -> tuple[object, ...]:
        site = self.site
        common = (
            page,
            site.title,
            site.description,
            site.language,
            site.base_url,
            site.newest_first,
            self.env.globals["build_date"],
            bool(site.names),
            self.env.globals["feeds"],  # the <link rel=alternate> to the feeds
        )
        if page.kind == "article":
            article = self.articles[page.key]
            event = site.event_of(article)
            own = (article.source_line, article.headline, article.dek)  # (its digest: see above)
            return (
                *common,
                own,
                (article.date, article.names, article.source, article.source_url, article.tags),
                # links show the neighbour's address, which has its month in it
                [(a.page_path, a.headline) if a else None for a in site.neighbours(article)],
                (event.key, event.name),
                [(e.name, e.slug) for e in site.names_with_pages(article)],
                [
                    (r.article.slug, r.article.headline, r.article.date, r.shared)
                    for r in site.related(article)
                ],
                self.card_place(article),
            )
        if page.kind == "event":
            event = self.events[page.key]
            shown = on_page(event.articles, page.number)
            return (
                *common,
                event.key,
                event.name,
                len(event.articles),
                [self._card_inputs(a) for a in shown],
            )
        if page.kind == "name":
            entry = self.entries[page.key]
            shown = on_page(entry.articles, page.number)
            articles = entry.articles
            summary = (len(articles), articles[0].date, articles[-1].date)  # (page 1 only)
            return (
                *common,
                entry.name,
                page_count(articles),
                summary if page.number == 1 else None,
                [(self._card_inputs(a), site.event_of(a).name) for a in shown],
            )
        if page.kind == "timeline":
            return (
                *common,
                # (also all the overview chart shows: an event is a month's articles, or a
                # year's known only to the year, and the chart counts them; 10,000 dates
                # instead cost 15 ms a timeline on every patch)
                [(e.key, e.name, len(e.articles)) for e in site.events],
                [
                    self._card_inputs(a)
                    for a in site.articles
                    if a.slug in self.on_timeline[page.key == "newest"]
                ],
            )
        if page.kind == "names":
            shown = on_page(site.names, page.number, NAMES_PER_PAGE)
            return (
                *common,
                site.name_min_articles,
                [(e.name, e.slug, len(e.articles)) for e in shown],
                self._names_guide(),
            )
        return common

    def render_page(self, page: Page) -> tuple[str, bytes]:
        if page.kind == "timeline":
            return self.timeline_page(page.key == "newest")
        if page.kind == "event":
            return self.event_page(self.events[page.key], page.number)
        if page.kind == "article":
            return self.article_page(self.articles[page.key])
        if page.kind == "names":
            return self.names_page(page.number)
        if page.kind == "name":
            return self.name_page(self.entries[page.key], page.number)
        return self.not_found_page()

    def files(self) -> Iterator[tuple[str, bytes]]:
        """Every file of the site: pages, then `other_files`."""
        for page in self.plan():
            yield self.render_page(page)
        for path, data in self.other_files():
            yield path, data if isinstance(data, (bytes, bytearray)) else b"".join(data())

    def search_index(self) -> SearchIndex:
        return SearchIndex(self.site, self.translate.date)

    def other_files(
        self, search_index: Callable[[], SearchIndex] | None = None, parts: bool = False
    ) -> Iterator[tuple[str, Content]]:
        """Files for programs (feeds, sitemap, robots.txt, timeline.json, the search
        index) and assets: made anew by every build.  `search_index` makes the index
        (default: `self.search_index`), called after the other files are made: the
        index (100 MB at 100,000 articles) and `timeline.json` (62 MB) are never in
        memory together.  `parts`: timeline.json of a large site (TIMELINE_IN_PARTS)
        may come as a function that makes it in parts (see write.Parts)."""
        site = self.site
        in_parts = parts and len(site.articles) > TIMELINE_IN_PARTS
        yield from machine_files(site, self.canonical_paths())
        if in_parts:
            yield TIMELINE_PATH, lambda: timeline_json_parts(site)
        else:
            yield TIMELINE_PATH, timeline_json(site)
        yield from (search_index or self.search_index)().files()
        for asset in self.assets.values():
            yield asset.path, asset.data

    def not_found_page(self) -> tuple[str, bytes]:
        """Links from the site root: a host serves this page at any path."""
        root = urlsplit(self.site.base_url).path or "/"
        title = self.translate("not_found_title")
        return "404.html", self.render(
            "404.html", "404.html", root=root, canonical_path=None, share_title=title
        )

    def timeline_page(self, newest_first: bool) -> tuple[str, bytes]:
        paths = self.timeline_paths()
        events = list(reversed(self.site.events)) if newest_first else list(self.site.events)
        by_year = [(year, list(group)) for year, group in groupby(events, key=lambda e: e.year)]
        path = paths[newest_first]
        depth = "../" * path.count("/")
        return path, self.render(
            "index.html",
            path,
            events_by_year=by_year,
            newest_first=newest_first,
            cards_of=lambda event: self.timeline_cards(event, newest_first),
            other_order=depth + paths[not newest_first].removesuffix("index.html"),
            overview=overview(self.site),
            canonical_path="",
        )

    def _pager(self, folder: str, number: int, total: int) -> dict[str, object]:
        return {
            "number": number,
            "total": total,
            "previous": self.list_page_path(folder, number - 1) if number > 1 else None,
            "next": self.list_page_path(folder, number + 1) if number < total else None,
        }

    def _list_page(
        self, page: Page, folder: str, articles: Sequence[Article], **context: object
    ) -> tuple[str, bytes]:
        """One page of a paginated list of cards (an event's, a name's)."""
        path = self.path_of(page)
        return path, self.render(
            f"{page.kind}.html",
            path,
            articles=on_page(articles, page.number),
            pager=self._pager(folder, page.number, page_count(articles)),
            **context,
        )

    def names_page(self, number: int = 1) -> tuple[str, bytes]:
        """A page of the index of names: all of them on one, unless there are more than
        NAMES_PER_PAGE; then each page also lists every page by its first and last name,
        as a phone book's page does, so that a reader goes to the right one at once."""
        path = self.path_of(Page("names", "", number))
        names = self.site.names
        total = page_count(names, NAMES_PER_PAGE)
        return path, self.render(
            "names.html",
            path,
            entries=on_page(names, number, NAMES_PER_PAGE),
            pager=self._pager(self.names_path, number, total),
            guide=self._names_guide(),
            min_articles=self.site.name_min_articles,
            share_title=self.translate("names_title"),
        )

    def _names_guide(self) -> list[tuple[str, str, str]]:
        """Each page of the index of names: its path, its first and its last name (none
        for an index on one page)."""
        names = self.site.names
        if len(names) <= NAMES_PER_PAGE:
            return []
        return [
            (self.list_page_path(self.names_path, number), shown[0].name, shown[-1].name)
            for number in range(1, page_count(names, NAMES_PER_PAGE) + 1)
            if (shown := on_page(names, number, NAMES_PER_PAGE))
        ]

    def event_page(self, event: Event, number: int = 1) -> tuple[str, bytes]:
        page = Page("event", event.key, number)
        return self._list_page(
            page, event.page_path, event.articles, event=event, share_title=event.name
        )

    def name_page(self, entry: NameEntry, number: int = 1) -> tuple[str, bytes]:
        page = Page("name", entry.slug, number)
        folder = self.name_path(entry)
        shown = on_page(entry.articles, number)
        key = attrgetter("event_key")
        by_event = [  # a mini-timeline: the page's cards under their events, in month order
            (self.site.event_of(group[0]), group)
            for _, articles in groupby(sorted(shown, key=key), key=key)
            if (group := list(articles))
        ]
        return self._list_page(
            page, folder, entry.articles, entry=entry, share_title=entry.name, by_event=by_event
        )

    def _related_items(self, article: Article) -> list[RelatedItem]:
        """What the related list shows, as text (worked out here: five template calls
        per item were a third of an article page's time)."""
        t = self.translate
        return [
            RelatedItem(
                related.article.page_path,
                related.article.headline,
                related.article.date.iso(),
                t.date(related.article.date),
                t("shared_names", names=t.join(related.shared)),
            )
            for related in self.site.related(article)
        ]

    def article_page(self, article: Article) -> tuple[str, bytes]:
        path = f"{article.page_path}index.html"
        previous, following = self.site.neighbours(article)
        return path, self.render(
            "article.html",
            path,
            article=article,
            event=self.site.event_of(article),
            related=self._related_items(article),
            previous=previous,
            next=following,
            description=article.dek,
            share_title=article.headline,
            json_ld=news_article(self.site, article),
        )
