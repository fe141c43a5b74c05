"""Render stage: site model -> (path, bytes) for every file of the site.  No disk writes.

Templates are Jinja2 with autoescaping and StrictUndefined: every value from
content is escaped unless `markup.py` made it, and a typo in a template fails
the build instead of printing nothing.  Links are relative, so the site works
from any folder of any host; only the 404 page, which a host serves at any
path, links from the site root.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .chart import overview
from .crossref import NameEntry
from .i18n import Translator
from .model import Article, Event, Site
from .search import search_files

PACKAGE_THEME = Path(__file__).parent / "_templates"  # inside an installed wheel
REPO_THEME = Path(__file__).parent.parent / "templates"  # in a checkout
ASSET_FOLDER = "assets"
CARD_NAMES = 4  # names shown on a card; the article page shows them all


def default_theme() -> Path:
    return PACKAGE_THEME if PACKAGE_THEME.is_dir() else REPO_THEME


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
    )


class Renderer:
    """Renders every page of one site.  Templates are compiled once per Renderer."""

    def __init__(self, site: Site, theme: Path, build_date: str | None = None) -> None:
        self.site = site
        self.assets = collect_assets(theme)
        self.env = make_environment(theme)
        translate = Translator(site.language)
        self.names_path = f"{translate('names_path')}/"
        self.env.globals.update(
            site=site,
            t=translate,
            asset=self._asset_path,
            build_date=build_date,
            names_path=self.names_path,
            name_path=self.name_path,
            card_names=CARD_NAMES,
        )

    def name_path(self, entry: NameEntry) -> str:
        return f"{self.names_path}{entry.slug}/"

    def _asset_path(self, name: str) -> str:
        return self.assets[name].path

    def render(self, template: str, path: str, **context: object) -> bytes:
        """Render one page at `path` (relative to the site root)."""
        depth = path.count("/")
        context.setdefault("root", "../" * depth)
        context.setdefault("canonical_path", path.removesuffix("index.html"))
        context.setdefault("description", self.site.description)
        html = self.env.get_template(template).render(**context)
        return html.encode("utf-8")

    def timeline_paths(self) -> dict[bool, str]:
        """Where the timeline is, oldest first (False) and newest first (True): the
        site's default order is `index.html`, the other one a page of its own."""
        translate = self.env.globals["t"]
        other = translate("oldest_path" if self.site.newest_first else "newest_path")
        return {
            self.site.newest_first: "index.html",
            not self.site.newest_first: f"{other}/index.html",
        }

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
            other_order=depth + paths[not newest_first].removesuffix("index.html"),
            overview=overview(self.site),
            canonical_path="",
        )

    def files(self) -> Iterator[tuple[str, bytes]]:
        """Every file of the site: timeline, events, articles, 404 page, search index, assets."""
        site = self.site
        yield self.timeline_page(site.newest_first)
        yield self.timeline_page(not site.newest_first)
        for event in site.events:
            yield self.event_page(event)
        for article in site.articles:
            yield self.article_page(article)
        if site.names:
            path = f"{self.names_path}index.html"
            yield path, self.render("names.html", path, min_articles=site.name_min_articles)
            for entry in site.names:
                yield self.name_page(entry)
        root = urlsplit(site.base_url).path or "/"
        yield "404.html", self.render("404.html", "404.html", root=root, canonical_path=None)
        yield from search_files(site, Translator(site.language).date)
        for asset in self.assets.values():
            yield asset.path, asset.data

    def event_page(self, event: Event) -> tuple[str, bytes]:
        path = f"{event.page_path}index.html"
        return path, self.render("event.html", path, event=event)

    def name_page(self, entry: NameEntry) -> tuple[str, bytes]:
        path = f"{self.name_path(entry)}index.html"
        return path, self.render("name.html", path, entry=entry)

    def article_page(self, article: Article) -> tuple[str, bytes]:
        path = f"{article.page_path}index.html"
        previous, following = self.site.neighbours(article)
        return path, self.render(
            "article.html",
            path,
            article=article,
            event=self.site.event_of(article),
            previous=previous,
            next=following,
            description=article.dek,
        )
