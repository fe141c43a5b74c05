"""Edits to articles' texts, made live without building the whole site again.

An author proofreading in `serve` changes words of an article's body, not its date,
headline, dek, slug, names or header.  Such an edit changes only the article's own
page, the feeds (which carry the newest articles' texts) and the search shards that
hold the words that came or went; every other file of the site stays byte for byte
the same, because nothing else is made from an article's text.  So `serve` keeps the
last build's site model, renderer and search index (`LastBuild`), and after a
text-only edit it patches them and writes those few files in place (`write.patch_output`)
instead of building again: milliseconds instead of seconds on a large archive.

Whether an edit is text-only is decided from what the loader worked out for the
model (`model_inputs`), so the patched site is the site a full build would make; the
tests compare the two, byte for byte.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from operator import attrgetter

from .errors import Problem
from .feeds import ATOM_PATH, JSON_FEED_PATH, atom_feed, feeds_enabled, json_feed, latest
from .load import LoadedDocument, SourceCache
from .model import Article, Site
from .render import Page, Renderer
from .search import SearchIndex, indexed_words
from .text import search_words
from .write import Tree

Edit = tuple[LoadedDocument, LoadedDocument]  # an article as last built, and as it is now


@dataclass
class LastBuild:
    """What `serve` keeps in memory of its last build that succeeded, to patch after an
    edit.  Not kept by `build --incremental`: in its cache file it made a text edit 3x
    faster (7 -> 2.2 s at 10,000 articles) but added 18 MB to every incremental build,
    taking Markdown archives over the 150 MB budget (see bench/RESULTS.md)."""

    site: Site
    renderer: Renderer
    search: SearchIndex
    problems: tuple[Problem, ...]  # the model's (slugs taken twice): an edit keeps them
    tree: Tree | None = None  # the output folder's manifest as the last edit left it

    def release(self) -> None:
        """Let go of this build now, not at the garbage collector's next full pass (which
        `serve` holds off): its templates' globals hold the renderer's own methods, a
        cycle through which the renderer and the whole site model would outlive it."""
        self.renderer.env.globals.clear()


def model_inputs(loaded: LoadedDocument) -> tuple[object, ...]:
    """Everything the site model takes from an article except its text itself: two
    versions that agree here differ only on its own page, in the feeds and in search."""
    document = loaded.document
    return (
        loaded.path,
        loaded.line,
        loaded.own,  # headline, dek, slug
        loaded.scan,  # the names it mentions, and where
        document.date,
        document.title,
        document.slug,
        document.source,
        document.url,
        document.tags,
        document.event,
    )


def text_edits(before: SourceCache, after: SourceCache) -> list[Edit] | None:
    """The articles whose text changed between two loads of the sources, or None if
    anything else changed: a file added or removed, or an article's model inputs."""
    if before.keys() != after.keys():
        return None
    edits: list[Edit] = []
    for path, record in after.items():
        old = before[path]
        if record is old:  # not read again: unchanged
            continue
        if len(record.documents) != len(old.documents):
            return None
        for was, now in zip(old.documents, record.documents, strict=True):
            if model_inputs(was) != model_inputs(now):
                return None
            edits.append((was, now))
    return edits


def patched_site(site: Site, edits: Sequence[Edit]) -> tuple[Site, list[tuple[Article, Article]]]:
    """The site with the edited articles' texts in place of their old ones, and each
    edited article before and after."""
    by_location = {(now.path, now.line): now for _, now in edits}
    pairs: list[tuple[Article, Article]] = []
    for article in site.articles:
        now = by_location.get((article.source_path, article.source_line))
        if now is not None:
            words = now.words if now.words is not None else search_words(now.document.blocks)
            edited = replace(article, document=now.document, digest=now.digest, search_words=words)
            pairs.append((article, edited))
    if not pairs:
        return site, pairs
    articles = list(site.articles)
    events = list(site.events)
    event_number = {event.key: number for number, event in enumerate(events)}
    event_of = dict(site._event_of)
    name_pages = dict(site._name_pages)
    for old, new in pairs:
        articles[site.index_of(old)] = new
        event, place = event_of[old.slug]
        number = event_number[event.key]
        event = events[number] = replace(event, articles=_swap(event.articles, place, new))
        event_of.update((a.slug, (event, i)) for i, a in enumerate(event.articles))
        for name in old.names:
            entry = name_pages.get(name)
            if entry is not None:  # its articles are in time order: find the old one there
                place = bisect_left(entry.articles, old.sort_key, key=attrgetter("sort_key"))
                name_pages[name] = replace(entry, articles=_swap(entry.articles, place, new))
    related = site._related.with_articles(tuple(articles)) if site._related else None
    patched = replace(
        site,
        events=tuple(events),
        articles=tuple(articles),
        names=tuple(name_pages[entry.name] for entry in site.names),
        _event_of=event_of,
        _name_pages=name_pages,
        _related=related,
    )
    return patched, pairs


def _swap(articles: tuple[Article, ...], place: int, new: Article) -> tuple[Article, ...]:
    if articles[place].slug != new.slug:
        raise ValueError(f"{new.slug} is not at {place}")
    return (*articles[:place], new, *articles[place + 1 :])


def edited_files(
    last: LastBuild, edits: Sequence[Edit]
) -> tuple[Site, list[tuple[str, bytes]], list[str], dict[str, str]]:
    """Patch `last` for the edits.  Returns the new site, the files that may have
    changed (path, bytes), the paths of files no longer part of the site (search shards
    renamed by their new content), and each rendered page's fingerprint by path."""
    site, pairs = patched_site(last.site, edits)
    renderer = last.renderer.edited(site)
    files: list[tuple[str, bytes]] = []
    fingerprints: dict[str, str] = {}
    for _, article in pairs:
        path, data = renderer.article_page(article)
        files.append((path, data))
        fingerprints[path] = renderer.fingerprint(Page("article", article.slug))
    if feeds_enabled(site) and not {a.slug for _, a in pairs}.isdisjoint(
        a.slug for a in latest(site)
    ):
        files += [(ATOM_PATH, atom_feed(site)), (JSON_FEED_PATH, json_feed(site))]
    search = last.search
    search.site = site
    for old, new in pairs:
        search.replace_words(search.number_of(new), indexed_words(old), indexed_words(new))
    shards, gone = search.changed_files()
    files += shards
    last.site, last.renderer = site, renderer
    return site, files, gone, fingerprints
