"""Edits to articles that leave the site's shape alone, made live without building the
whole site again.

An author proofreading in `serve` changes words of an article's body, and now and then
its headline (in the seed format, the lead's first sentence), its dek or the slug it asks
for; less often its date, its names or its header.  The first kinds change only a few
files, because nothing else is made from them:

- a text: the article's own page, the feeds (which carry the newest articles' texts)
  and the search shards that hold the words that came or went;
- its headline, dek or slug (its "own fields", see derive.py), besides: every page that
  shows its card or links to it (its event's page and its names' pages where its card
  is, the timeline pages that show its card, its neighbours' pages and the pages that
  list it as related), `timeline.json`, the search index's table of articles, and the
  sitemap when its address moved.

So `serve` keeps the last build's site model, renderer and search index (`LastBuild`),
and after such an edit it patches them and writes those files in place
(`write.patch_output`) instead of building again: a fraction of a second instead of
seconds on a large archive.  `build --incremental` does the same from its cache.

Whether an edit is one of these is decided from what the loader worked out for the
model (`model_inputs`) and from where the article lands (`_own_fields_fit`), so the
patched site is the site a full build would make; the tests compare the two, byte for
byte.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter

from .derive import OwnFields, own_fields
from .errors import Problem
from .feeds import ATOM_PATH, JSON_FEED_PATH, atom_feed, feeds_enabled, json_feed, latest
from .load import LoadedDocument, SourceCache, model_inputs
from .machine import machine_files
from .model import Article, Site, slug_available
from .render import Page, Renderer, page_number
from .search import SearchIndex
from .timelinejs import TIMELINE_PATH, timeline_json, timeline_json_edited
from .write import Tree

Edit = tuple[LoadedDocument, LoadedDocument]  # an article as last built, and as it is now
Published = Callable[[str], bytes | None]  # a file of the site as written last, if intact


@dataclass
class LastBuild:
    """What `serve` keeps in memory of its last build that succeeded, to patch after an
    edit.  `build --incremental` makes one again from its cache (build.py's
    `_patch_cached`): the site model from the sources as they were, the search index as
    saved.  (Keeping the model itself in the cache file added 18 MB to every incremental
    build, taking Markdown archives over the 150 MB budget; and loading its 23 MB took
    0.38 s at 10,000 articles, making it again 0.5 s.)"""

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


def article_edits(before: SourceCache, after: SourceCache) -> list[Edit] | None:
    """The articles that changed between two loads of the sources, or None if anything
    else changed: a file added or removed, or an article's model inputs."""
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


def _own(loaded: LoadedDocument) -> OwnFields:
    return loaded.own or own_fields(loaded.document, loaded.path)


def retitled(edits: Sequence[Edit]) -> int:
    """How many edited articles now have other own fields (headline, dek or slug):
    `patched_site` takes one at most, and the caller may ask before making a model."""
    return sum(1 for was, now in edits if _own(now) != _own(was))


def _own_fields_fit(site: Site, article: Article, was: OwnFields, now: OwnFields) -> str | None:
    """The slug a full build would give the article with its own fields `now` instead of
    `was`, if it keeps its place in time order (the headline breaks ties within a day)
    and no other article's slug changes with it; else None."""
    index = site.index_of(article)
    moved = replace(article, headline=now.headline).sort_key
    before = site.articles[index - 1] if index > 0 else None
    after = site.articles[index + 1] if index + 1 < len(site.articles) else None
    if (before and before.sort_key >= moved) or (after and after.sort_key <= moved):
        return None
    if now.slug == was.slug:
        return article.slug  # numbered or not, as before
    if not slug_available(now.slug, site._position):
        return None  # another article has it, or the site itself
    # A slug numbered after the old one (this article's own, if another had it first)
    # would be another's, or numbered otherwise, in a full build.
    numbered = re.compile(re.escape(was.slug) + r"-\d+")
    if any(numbered.fullmatch(slug) for slug in site._position):
        return None
    return now.slug


def patched_site(
    site: Site, edits: Sequence[Edit]
) -> tuple[Site, list[tuple[Article, Article]]] | None:
    """The site with the edited articles in place of their old versions, and each edited
    article before and after; None if an edit moves an article or changes another's slug,
    or more than one article's own fields changed (then only a full build knows the
    site)."""
    if retitled(edits) > 1:
        return None  # each would be checked against the others as they were
    by_location = {(now.path, now.line): (was, now) for was, now in edits}
    pairs: list[tuple[Article, Article]] = []
    for article in site.articles:
        edit = by_location.get((article.source_path, article.source_line))
        if edit is None:
            continue
        was, now = edit
        words = now.search_words()
        edited = replace(article, document=now.document, digest=now.digest, search_words=words)
        own, was_own = _own(now), _own(was)
        if own != was_own:
            slug = _own_fields_fit(site, article, was_own, own)
            if slug is None:
                return None
            edited = replace(edited, headline=own.headline, dek=own.dek, slug=slug)
        pairs.append((article, edited))
    if not pairs:
        return site, pairs
    articles = list(site.articles)
    events = list(site.events)
    event_number = {event.key: number for number, event in enumerate(events)}
    position = dict(site._position)
    event_of = dict(site._event_of)
    name_pages = dict(site._name_pages)
    for old, new in pairs:
        index = position.pop(old.slug)
        articles[index] = new
        position[new.slug] = index
        event, place = event_of.pop(old.slug)
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
        _position=position,
        _event_of=event_of,
        _name_pages=name_pages,
        _related=related,
    )
    return patched, pairs


def _swap(articles: tuple[Article, ...], place: int, new: Article) -> tuple[Article, ...]:
    if articles[place].source_path != new.source_path or (
        articles[place].source_line != new.source_line
    ):
        raise ValueError(f"{new.location} is not at {place}")
    return (*articles[:place], new, *articles[place + 1 :])


def _showing(
    site: Site, renderer: Renderer, article: Article, chosen: array[int] | None
) -> list[Page]:
    """The pages that show an article's card, headline or address besides its own: its
    neighbours' and those that list it as related (`chosen`: every article's related
    articles, `limit` numbers each), its event's and its names' pages where its card is,
    and the timeline pages that show its card."""
    index = site.index_of(article)
    pages = [Page("article", a.slug) for a in site.neighbours(article) if a is not None]
    if chosen is not None and site._related is not None:
        start = 0
        while True:
            try:
                found = chosen.index(index, start)
            except ValueError:
                break
            pages.append(Page("article", site.articles[found // site._related.limit].slug))
            start = found + 1
    event = site.event_of(article)
    pages.append(Page("event", event.key, page_number(site.place_in_event(article))))
    for entry in site.names_with_pages(article):
        place = bisect_left(entry.articles, article.sort_key, key=attrgetter("sort_key"))
        pages.append(Page("name", entry.slug, page_number(place)))
    for newest in (False, True):
        if article.slug in renderer.on_timeline[newest]:
            pages.append(Page("timeline", "newest" if newest else "oldest"))
    return pages


def edited_files(
    last: LastBuild,
    edits: Sequence[Edit],
    chosen: array[int] | None,
    published: Published,
) -> tuple[Site, list[tuple[str, bytes]], list[str], dict[str, str]] | None:
    """Patch `last` for the edits.  Returns the new site, the files that may have
    changed (path, bytes), the paths of files no longer part of the site (the old page
    of an article whose slug changed, search shards renamed by their new content), and
    each rendered page's fingerprint by path; None, with `last` as it was, if the edits
    need a full build.  `chosen`: every article's related articles as the last full
    build chose them (see crossref.chosen_all); None if not known."""
    patched = patched_site(last.site, edits)
    if patched is None:
        return None
    site, pairs = patched
    retitled = [(old, new) for old, new in pairs if _shown(old) != _shown(new)]
    if retitled and site._related is not None and chosen is None:
        return None  # which pages list it as related is not known
    renderer = last.renderer.edited(site, retitled)
    pages = {Page("article", new.slug): None for _, new in pairs}
    for _, new in retitled:
        pages.update(dict.fromkeys(_showing(site, renderer, new, chosen)))
    files: list[tuple[str, bytes]] = []
    fingerprints: dict[str, str] = {}
    for page in pages:
        path, data = renderer.render_page(page)
        files.append((path, data))
        fingerprints[path] = renderer.fingerprint(page)
    gone = [f"{old.page_path}index.html" for old, new in retitled if old.slug != new.slug]
    if retitled:  # feeds, sitemap, timeline.json: made again (timeline.json line by line)
        numbers = [site.index_of(new) for _, new in retitled]
        timeline = published(TIMELINE_PATH)
        edited = None if timeline is None else timeline_json_edited(site, timeline, numbers)
        paths = renderer.canonical_paths() if site.base_url else ()
        files += machine_files(site, paths)
        files.append((TIMELINE_PATH, timeline_json(site) if edited is None else edited))
    elif feeds_enabled(site) and not {a.slug for _, a in pairs}.isdisjoint(
        a.slug for a in latest(site)
    ):
        files += [(ATOM_PATH, atom_feed(site)), (JSON_FEED_PATH, json_feed(site))]
    search = last.search
    search.site, search.date_text = site, renderer.translate.date  # (not sent by a worker)
    for old, new in pairs:
        search.replace_article(search.number_of(new), old, new)
    shards, gone_shards = search.changed_files()
    files += shards
    last.site, last.renderer = site, renderer
    return site, files, gone + gone_shards, fingerprints


def _shown(article: Article) -> tuple[str, str, str]:
    """What other pages show of an article that an edit to it can change."""
    return article.headline, article.dek, article.slug
