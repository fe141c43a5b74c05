"""Edits to articles that leave the site's shape alone, made live without building the
whole site again.

An author proofreading in `serve` changes words of an article's body, now and then
its headline (in the seed format, the lead's first sentence), its dek or the slug it asks
for, and often the names it mentions (a sentence quoting someone); less often its date or
its header.  These change only a few files, because little else is made from them:

- a text: the article's own page, the feeds (which carry the newest articles' texts)
  and the search shards that hold the words that came or went;
- its headline, dek or slug (its "own fields", see derive.py), besides: every page that
  shows its card or links to it (its event's page and its names' pages where its card
  is, the timeline pages that show its card, its neighbours' pages and the pages that
  list it as related), `timeline.json`, the search index's table of articles, and the
  sitemap when its address moved;
- its names, besides its text: the pages that show its card if the card's names
  changed, every page of the list of each name (with a page) it came into or left, and
  the page of the index of names that counts them, the pages whose related list may
  differ (`RelatedArticles.renamed`), the sitemap if a list has more or fewer pages,
  and every page that shows the name of an event named anew by the edit (`_showing_names`).
  Only if no other article's names change with it, nor which names have a page: the site
  keeps how it found names (`NameModel`) to tell.

A newsroom adds articles too, most often the latest on its story, and now and then one
it missed (`added_or_removed_files`).  An article added changes its neighbours' pages
(which link to it), its event's pages (and the pages of the articles after it whose
cards move to the next page of it), the timeline, the lists of its names, the related
lists that may show it, the files for programs, and the pages of any event whose name
changes with it (its own, or another whose names are now in more articles outside it).
Every later article's number moves up by one: in the related articles' postings and
choices, and in the search index, where that changes one difference in the postings of
each word found in a later article, and the article table from its row on (an article
after every other, with the timeline oldest first: neither).  Removed again, the same in
reverse.  A moved article (its date edited, or its event header, source or tags) is
removed as it was and added as it is (`moved_files`).

So `serve` keeps the last build's site model, renderer and search index (`LastBuild`),
and after such an edit it patches them and writes those files in place
(`write.patch_output`) instead of building again: a fraction of a second instead of
seconds on a large archive.  `build --incremental` does the same from its cache.

Whether an edit is one of these is decided from what the loader worked out for the
model (`model_inputs`, the scan of its names), from where the article lands
(`_own_fields_fit`) and from what its names change (`_renamed`, `_listed`), so the
patched site is the site a full build would make; the tests compare the two, byte for
byte.  Of the pages that may have changed, only those whose fingerprint did are made.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import NamedTuple

from .crossref import EarlierChoices, NameEntry
from .derive import OwnFields, own_fields
from .errors import Problem
from .feeds import ATOM_PATH, JSON_FEED_PATH, atom_feed, feeds_enabled, json_feed, latest
from .load import LoadedDocument, SourceCache, location, model_inputs
from .machine import machine_files
from .model import (
    Article,
    Event,
    NameModel,
    Site,
    draft_article,
    event_date,
    header_name,
    slug_available,
)
from .names import TextScan
from .render import CARD_NAMES, NAMES_PER_PAGE, Page, Renderer, page_count, page_number
from .search import SearchIndex, article_number
from .timelinejs import (
    TIMELINE_PATH,
    timeline_json,
    timeline_json_added,
    timeline_json_edited,
    timeline_json_removed,
)
from .write import Scratch, Tree

Edit = tuple[LoadedDocument, LoadedDocument]  # an article as last built, and as it is now
Published = Callable[[str], bytes | None]  # a file of the site as written last, if intact
Keep = Callable[[bytes], bytes | Scratch]  # a page made, as the writer is to have it


def _as_made(data: bytes) -> bytes:
    return data


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


class Added(NamedTuple):
    """An article in a new file."""

    loaded: LoadedDocument


class Removed(NamedTuple):
    """An article whose file is gone."""

    loaded: LoadedDocument


class Moved(NamedTuple):
    """An article whose date (or another model input: its header's event, source, tags)
    changed: removed as it was, and added as it is (`moved_files`)."""

    was: LoadedDocument
    now: LoadedDocument


def source_changes(
    before: SourceCache, after: SourceCache
) -> list[Edit] | Added | Removed | Moved | None:
    """The articles edited between two loads of the sources (`article_edits`), or the
    article added in a new file, or removed with its file, or the one article whose date
    or other model inputs changed in its file, while nothing else changed; None if
    anything else did."""
    if before.keys() == after.keys():
        edits = article_edits(before, after)
        if edits is not None:
            return edits
        changed = [
            (before[path], record) for path, record in after.items() if record is not before[path]
        ]
        if len(changed) == 1 and len(changed[0][0].documents) == len(changed[0][1].documents) == 1:
            return Moved(changed[0][0].documents[0], changed[0][1].documents[0])
        return None
    fewer, more = (after, before) if len(after) < len(before) else (before, after)
    if len(more) != len(fewer) + 1 or any(more.get(p) is not r for p, r in fewer.items()):
        return None
    (record,) = (record for path, record in more.items() if path not in fewer)
    if len(record.documents) != 1:
        return None
    return Added(record.documents[0]) if more is after else Removed(record.documents[0])


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
    if _numbered_after(was.slug, site._position):
        return None
    return now.slug


def _numbered_after(slug: str, taken: Iterable[str]) -> bool:
    """Whether one of the slugs `taken` is `slug` numbered (`slug-2`): an article that
    asked for `slug` after another had it (see model.py's `_assign_slugs`)."""
    numbered = re.compile(re.escape(slug) + r"-\d+")
    return any(numbered.fullmatch(other) for other in taken)


class PatchedSite(NamedTuple):
    site: Site
    pairs: list[tuple[Article, Article]]  # each edited article, before and after
    relisted: Sequence[int] = ()  # articles whose related list may differ (names edited)


def patched_site(
    site: Site, edits: Sequence[Edit], earlier: EarlierChoices | None = None
) -> PatchedSite | None:
    """The site with the edited articles in place of their old versions, and each edited
    article before and after; None if an edit moves an article or changes another's slug,
    or more than one article's own fields changed (then only a full build knows the
    site).  An edit that changes the names an article mentions (one at most) is patched
    too, if `site` kept its NameModel and `earlier` holds every article's related
    articles: see `_renamed`."""
    if retitled(edits) > 1:
        return None  # each would be checked against the others as they were
    renames = [(was, now) for was, now in edits if was.scan != now.scan]
    name_model, new_names, event_names = site._name_model, None, None
    if renames:
        if len(renames) > 1 or name_model is None or earlier is None:
            return None
        renamed = _renamed(site, *renames[0])
        if renamed is None:
            return None
        name_model, new_names, event_names = renamed
    by_location = {(now.path, now.line): (was, now) for was, now in edits}
    pairs: list[tuple[Article, Article]] = []
    for article in site.articles:
        edit = by_location.get((article.source_path, article.source_line))
        if edit is None:
            continue
        was, now = edit
        words = now.search_words()
        edited = replace(article, document=now.document, digest=now.digest, search_words=words)
        if was.scan != now.scan and new_names is not None:
            edited = replace(edited, names=new_names)
        own, was_own = _own(now), _own(was)
        if own != was_own:
            slug = _own_fields_fit(site, article, was_own, own)
            if slug is None:
                return None
            edited = replace(edited, headline=own.headline, dek=own.dek, slug=slug)
        pairs.append((article, edited))
    if not pairs:
        return PatchedSite(site, pairs)
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
        if not _listed(site, name_pages, old, new):
            return None  # a name gets a page of its own, or loses it
    for number, name in enumerate(event_names or ()):
        if events[number].name != name:  # (see `edited_files`)
            event = events[number] = replace(events[number], name=name)
            event_of.update((a.slug, (event, i)) for i, a in enumerate(event.articles))
    related, relisted = site._related, []
    if related is not None and new_names is not None and earlier is not None:
        where = location(renames[0][1].path, renames[0][1].line)
        renamed_pair = next((pair for pair in pairs if pair[0].location == where), None)
        if renamed_pair is None:
            return None  # (never: every document loaded is an article)
        old, new = renamed_pair
        index = position[new.slug]
        renumbered = related.renamed(tuple(articles), index, old.names, earlier.chosen)
        if renumbered is None:
            return None
        related, relisted = renumbered
    elif related is not None:
        related = related.with_articles(tuple(articles))
    patched = replace(
        site,
        events=tuple(events),
        articles=tuple(articles),
        names=tuple(name_pages[entry.name] for entry in site.names),
        _position=position,
        _event_of=event_of,
        _name_pages=name_pages,
        _related=related,
        _name_model=name_model,
    )
    return PatchedSite(patched, pairs, relisted)


def _renamed(
    site: Site, was: LoadedDocument, now: LoadedDocument
) -> tuple[NameModel, tuple[str, ...], list[str]] | None:
    """The site's NameModel after an edit to one article's names (its scan), the
    article's names now, and every event's name now (its own event's may change, and
    others' whose names it names); None if other articles' names change with it (then
    only a full build knows the site)."""
    kept = site._name_model
    assert kept is not None
    where = location(now.path, now.line)
    scanned = kept.scans.get(where)  # (as `was` scanned it)
    mentions = kept.mentions.edited(scanned, now.scan) if scanned is not None else None
    if mentions is None:
        return None
    scans = {**kept.scans, where: now.scan}
    event = next(e for e in site.events if e.key == now.document.date.month_key())
    # the tally of the article's event, made again: other events' names may change too
    tallied = [mentions.of(scans[article.location]) for article in event.articles]
    tally = kept.distinctive.regrouped(event.key, tallied)
    model = replace(kept, mentions=mentions, distinctive=tally, scans=scans)
    return model, mentions.names(now.scan), model.event_names(site.events)


NO_NAMES = TextScan.of(set(), [], 0)  # what an added article named before it was added


def added_site(
    site: Site, loaded: LoadedDocument, earlier: EarlierChoices | None
) -> PatchedSite | None:
    """The site with `loaded` added in its place in time (the pair: the article naming
    nobody, and as it is), and the articles whose related list may differ; None unless
    it gets the slug it asks for, and changes no other article's names or slug, nor
    which names have a page or count as common (then only a full build knows the site).
    Events may be named anew (see `added_or_removed_files`).  Needs the site's NameModel,
    and every article's related articles in `earlier`."""
    kept, related = site._name_model, site._related
    if kept is None or related is None or earlier is None or not site.articles:
        return None
    scan = loaded.names_scan()
    mentions = kept.mentions.edited(NO_NAMES, scan)
    if mentions is None:
        return None
    counts, lead = mentions.of(scan)
    article = draft_article(loaded, _own(loaded), counts)
    index = bisect_left(site.articles, article.sort_key, key=attrgetter("sort_key"))
    if not slug_available(article.slug, site._position):
        return None  # numbered, or another's numbered: a warning, which a full build gives
    last = index == len(site.articles)
    key, events = article.event_key, list(site.events)
    at = next((n for n, event in enumerate(events) if event.key == key), None)
    if at is None:  # a new event, after the one of the article before it
        at = 0 if index == 0 else events.index(site.event_of(site.articles[index - 1])) + 1
        events.insert(at, Event(key, event_date(key), "", True, (article,)))
    else:
        members = events[at].articles
        place = bisect_left(members, article.sort_key, key=attrgetter("sort_key"))
        events[at] = replace(events[at], articles=(*members[:place], article, *members[place:]))
    scans = {**kept.scans, article.location: scan}
    if last:  # told last, as a new tally tells it
        distinctive = kept.distinctive.added(key, counts, lead)
    else:
        tallied = [mentions.of(scans[a.location]) for a in events[at].articles]
        distinctive = kept.distinctive.regrouped(key, tallied, change=1)
    given = _given(kept, key, site.events, events)
    model = replace(kept, mentions=mentions, distinctive=distinctive, scans=scans, given=given)
    articles = (*site.articles[:index], article, *site.articles[index:])
    nameless = replace(article, names=())
    patched = _regrouped(site, model, events, articles, nameless, article)
    if patched is None:
        return None
    spaced = related.inserted(
        (*articles[:index], nameless, *articles[index + 1 :]), index, earlier.chosen
    )
    if spaced is None:
        return None
    renamed = spaced[0].renamed(articles, index, (), spaced[1])
    if renamed is None:
        return None
    related, relisted = renamed
    return PatchedSite(replace(patched, _related=related), [(nameless, article)], relisted)


def removed_site(
    site: Site, loaded: LoadedDocument, earlier: EarlierChoices | None
) -> PatchedSite | None:
    """The site without `loaded` (the pair: the article, and as naming nobody), and the
    articles whose related list may differ: the inverse of `added_site`.  None if its
    slug was numbered or another's is numbered after it, or another article's names
    change with it, or which names have a page or count as common."""
    kept, related = site._name_model, site._related
    if kept is None or related is None or earlier is None or len(site.articles) < 2:
        return None
    where, slug = loaded.location, _own(loaded).slug
    index = site._position.get(slug)
    scan = kept.scans.get(where)
    if index is None or site.articles[index].location != where or scan is None:
        return None  # numbered: the build's warning of it goes with it, which a build says
    article = site.articles[index]
    if index + 1 < len(site.articles) and _numbered_after(slug, site._position):
        return None  # another, numbered after it, may have its slug now
    mentions = kept.mentions.edited(scan, NO_NAMES)
    if mentions is None:
        return None
    scans = {other: text for other, text in kept.scans.items() if other != where}
    events = list(site.events)
    at = events.index(site.event_of(article))
    left = tuple(a for a in events[at].articles if a is not article)
    tallied = [mentions.of(scans[a.location]) for a in left]
    distinctive = kept.distinctive.regrouped(article.event_key, tallied, change=-1)
    if left:
        events[at] = replace(events[at], articles=left)
    else:
        del events[at]
    given = _given(kept, article.event_key, site.events, events)
    model = replace(kept, mentions=mentions, distinctive=distinctive, scans=scans, given=given)
    articles = (*site.articles[:index], *site.articles[index + 1 :])
    nameless = replace(article, names=())
    patched = _regrouped(site, model, events, articles, article, nameless)
    if patched is None:
        return None
    emptied = (*site.articles[:index], nameless, *site.articles[index + 1 :])
    renamed = related.renamed(emptied, index, article.names, earlier.chosen)
    if renamed is None:
        return None
    shorter = renamed[0].removed(index)
    if shorter is None:
        return None
    relisted = [number - (number > index) for number in renamed[1] if number != index]
    return PatchedSite(replace(patched, _related=shorter), [(article, nameless)], relisted)


def _given(
    kept: NameModel, key: str, before: Sequence[Event], after: Sequence[Event]
) -> Mapping[str, str]:
    """The event names given (`NameModel.given`) once the articles of event `key` are
    as in `after`, not `before`: its `Event:` headers may name it otherwise now, unless
    the settings name it."""
    if key in kept.configured:
        return kept.given
    was, now = (
        header_name(next((e.articles for e in events if e.key == key), ()))
        for events in (before, after)
    )
    if was == now:
        return kept.given
    given = dict(kept.given)
    if now is None:
        del given[key]  # (it was the headers')
    else:
        given[key] = now
    return given


def _regrouped(
    site: Site,
    model: NameModel,
    events: list[Event],
    articles: tuple[Article, ...],
    old: Article,
    new: Article,
) -> Site | None:
    """The site with an article added or removed: `articles`, `events` (each named by
    `model`, which is told the change), and `new` in place of `old` in its names'
    lists (one of them naming nobody: see `_listed`); the related articles not yet
    changed.  None if a name gets or loses a page of its own."""
    named = model.event_names(events)
    events = [
        e
        if (e.name, e.automatic_name) == (name, e.key not in model.given)
        else replace(e, name=name, automatic_name=e.key not in model.given)
        for e, name in zip(events, named, strict=True)
    ]
    name_pages = dict(site._name_pages)
    if not _listed(site, name_pages, old, new):
        return None
    before = {event.key: event for event in site.events}
    event_of = dict(site._event_of)
    for gone in (old, new):  # (the one added is in a changed event)
        event_of.pop(gone.slug, None)
    event_of.update(
        (a.slug, (e, i))
        for e in events
        if before.get(e.key) is not e
        for i, a in enumerate(e.articles)
    )
    if len(articles) > len(site.articles) and articles[-1] is new:  # (no other moves)
        position = {**site._position, new.slug: len(site.articles)}
    else:
        position = {a.slug: n for n, a in enumerate(articles)}
    return replace(
        site,
        events=tuple(events),
        articles=articles,
        names=tuple(name_pages[entry.name] for entry in site.names),
        _position=position,
        _event_of=event_of,
        _name_pages=name_pages,
        _name_model=model,
    )


def _listed(site: Site, name_pages: dict[str, NameEntry], old: Article, new: Article) -> bool:
    """`new` in place of `old` in the lists of the names with a page that mention it
    (in `name_pages`); False if a name would get a page of its own, or lose it."""
    key = attrgetter("sort_key")
    for name in dict.fromkeys((*old.names, *new.names)):
        entry = name_pages.get(name)
        if entry is None:  # no page, and none now unless it came into enough articles
            if name not in old.names:
                count = site._related.articles_with(name) if site._related else None
                if count is None or count + 1 >= site.name_min_articles:
                    return False
            continue
        listed = entry.articles
        if name in old.names:
            place = bisect_left(listed, old.sort_key, key=key)
            listed = _swap(listed, place, new) if name in new.names else _drop(listed, place, old)
        else:
            place = bisect_left(listed, new.sort_key, key=key)
            listed = (*listed[:place], new, *listed[place:])
        if len(listed) < site.name_min_articles:
            return False
        name_pages[name] = replace(entry, articles=listed)
    return True


def _drop(articles: tuple[Article, ...], place: int, old: Article) -> tuple[Article, ...]:
    if articles[place].location != old.location:
        raise ValueError(f"{old.location} is not at {place}")
    return (*articles[:place], *articles[place + 1 :])


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
    pages += _card_on_name_pages(site, article)
    for newest in (False, True):
        if article.slug in renderer.on_timeline[newest]:
            pages.append(Page("timeline", "newest" if newest else "oldest"))
    return pages


def _card_on_name_pages(site: Site, article: Article) -> list[Page]:
    """The pages of its names' lists that show an article's card."""
    pages = []
    for entry in site.names_with_pages(article):
        place = bisect_left(entry.articles, article.sort_key, key=attrgetter("sort_key"))
        pages.append(Page("name", entry.slug, page_number(place)))
    return pages


class PatchedFiles(NamedTuple):
    site: Site
    files: list[tuple[str, bytes | Scratch]]  # the files that may have changed
    gone: list[str]  # files no longer part of the site
    fingerprints: dict[str, str]  # each rendered page's, by path
    related: EarlierChoices | None = None  # every article's related articles, if changed


def edited_files(
    last: LastBuild,
    edits: Sequence[Edit],
    earlier: EarlierChoices | None,
    published: Published,
    known: Mapping[str, tuple[str, str]] | None = None,
    keep: Keep = _as_made,
) -> PatchedFiles | None:
    """Patch `last` for the edits.  Returns the new site, the files that may have
    changed (path, bytes), the paths of files no longer part of the site (the old page
    of an article whose slug changed, search shards renamed by their new content), each
    rendered page's fingerprint by path, and after an edit to an article's names, every
    article's related articles; None, with `last` as it was, if the edits need a full
    build.  `earlier`: every article's related articles as the last build chose them
    (see crossref.chosen_all); None if not known.  `known`: each page's fingerprint
    (and digest) as written last: a page that may have changed is rendered only if its
    fingerprint did.  `keep`: what to do with each page made (the bytes, or a file that
    holds them)."""
    chosen = earlier.chosen if earlier is not None else None
    patched = patched_site(last.site, edits, earlier)
    if patched is None:
        return None
    site, pairs, relisted = patched
    old_site = last.site
    retitled = [(old, new) for old, new in pairs if _shown(old) != _shown(new)]
    if retitled and site._related is not None and chosen is None:
        return None  # which pages list it as related is not known
    renamed = [(old, new) for old, new in pairs if old.names != new.names]
    recarded = [  # cards that show other names now
        (old, new)
        for old, new in renamed
        if _card_names(old_site, old) != _card_names(site, new) and (old, new) not in retitled
    ]
    renderer = last.renderer.edited(site, retitled + recarded)
    pages = {Page("article", new.slug): None for _, new in pairs}
    for _, new in retitled + recarded:
        pages.update(dict.fromkeys(_showing(site, renderer, new, chosen)))
    gone = [f"{old.page_path}index.html" for old, new in retitled if old.slug != new.slug]
    related, reshaped = None, False
    if renamed:  # names' lists, the index of names, related lists
        listed, gone_pages, reshaped = _relisted(old_site, site, last.renderer, renamed)
        pages.update(dict.fromkeys(listed))
        gone += gone_pages
        for number in relisted:
            pages[Page("article", site.articles[number].slug)] = None
        assert site._related is not None and earlier is not None
        related = site._related.remember_known(earlier.keys)
    renamed_events = _renamed_events(old_site, site)
    pages.update(dict.fromkeys(_showing_names(site, renamed_events)))
    files, fingerprints = _rendered(renderer, pages, known, keep)
    # timeline.json: a slide each, made again line by line (each says its event's name)
    numbers = [site.index_of(new) for _, new in retitled]
    numbers += [site.index_of(a) for event in renamed_events for a in event.articles]
    if numbers:
        timeline = published(TIMELINE_PATH)
        edited = None if timeline is None else timeline_json_edited(site, timeline, numbers)
        files.append((TIMELINE_PATH, timeline_json(site) if edited is None else edited))
    if retitled:  # feeds, sitemap
        paths = renderer.canonical_paths() if site.base_url else ()
        files += machine_files(site, paths)
    elif reshaped and site.base_url:  # the sitemap lists every page of the names' lists
        files += machine_files(site, renderer.canonical_paths())
    elif feeds_enabled(site) and not {a.slug for _, a in pairs}.isdisjoint(
        a.slug for a in latest(site)
    ):
        files += [(ATOM_PATH, atom_feed(site)), (JSON_FEED_PATH, json_feed(site))]

    def edit_search(search: SearchIndex) -> None:
        for old, new in pairs:
            search.replace_article(search.number_of(new), old, new)

    return _finish(
        last, PatchedFiles(site, files, gone, fingerprints, related), renderer, edit_search
    )


def added_or_removed_files(
    last: LastBuild,
    change: Added | Removed,
    earlier: EarlierChoices | None,
    published: Published,
    known: Mapping[str, tuple[str, str]] | None = None,
    keep: Keep = _as_made,
) -> PatchedFiles | None:
    """Patch `last` for an article added (`added_site`) or removed (`removed_site`); as
    `edited_files` does for edits.  The files: the article's page (or the path it had,
    gone), its neighbours' (which link to it or no longer do), every page of its event
    (those it no longer has gone), the pages of the articles after it in its event whose
    card is on another page of it now, the pages of the lists of its names with a page
    (`_relisted`), the index of names where it counts them, the timeline
    pages (which count each event's articles), the pages whose related list may differ
    or whose card moved on or off the timeline, the pages of events named anew, the
    files for programs, and the search index."""
    if isinstance(change, Added):
        patched = added_site(last.site, change.loaded, earlier)
    else:
        patched = removed_site(last.site, change.loaded, earlier)
    if patched is None:
        return None
    return _one_more_or_fewer(last, patched, earlier, published, known, keep)


def moved_files(
    last: LastBuild,
    change: Moved,
    earlier: EarlierChoices | None,
    published: Published,
    known: Mapping[str, tuple[str, str]] | None = None,
    keep: Keep = _as_made,
) -> PatchedFiles | None:
    """Patch `last` for an article moved to another date (or given another event header,
    source or tags): removed as it was, then added as it is.  Both steps are worked out
    on the site model first, so that a refusal leaves `last` as it was; then the pages
    either step changes are made once, from the site as it is now."""
    removed = removed_site(last.site, change.was, earlier)
    if removed is None or earlier is None:
        return None
    index = last.site.index_of(removed.pairs[0][0])
    assert removed.site._related is not None
    keys = earlier.keys[:index] + earlier.keys[index + 1 :]
    between = removed.site._related.remember_known(keys)
    added = added_site(removed.site, change.now, between)
    if added is None:
        return None
    first = _planned(last.site, last.renderer, removed, earlier, published(TIMELINE_PATH))
    second = _planned(removed.site, first.renderer, added, between, first.timeline)
    renderer = second.renderer
    # Every page of the site between the steps is one of the site now: an addition only
    # adds pages (`added_site` refuses a name losing its page).
    pages = list({**first.pages, **second.pages})
    files, fingerprints = _rendered(renderer, pages, known, keep)
    made = {renderer.path_of(page) for page in pages}  # (some as they were: not rendered)
    gone = [path for path in dict.fromkeys(first.gone + second.gone) if path not in made]

    def edit_search(search: SearchIndex) -> None:
        search.site = removed.site
        first.edit_search(search)
        search.site = added.site
        second.edit_search(search)

    return _finished(last, added.site, second, files, gone, fingerprints, edit_search)


class _Planned(NamedTuple):
    """What an article added or removed changes (`_planned`), before any page is made."""

    renderer: Renderer  # for the site with the change
    pages: dict[Page, None]  # those that may have changed
    gone: list[str]  # the paths of files no longer part of the site
    related: EarlierChoices  # every article's related articles now
    timeline: bytes | None  # timeline.json now, if it could be spliced
    edit_search: Callable[[SearchIndex], None]


def _one_more_or_fewer(
    last: LastBuild,
    patched: PatchedSite,
    earlier: EarlierChoices | None,
    published: Published,
    known: Mapping[str, tuple[str, str]] | None,
    keep: Keep,
) -> PatchedFiles:
    """`added_or_removed_files`, from the site with the article added or removed."""
    assert earlier is not None
    planned = _planned(last.site, last.renderer, patched, earlier, published(TIMELINE_PATH))
    files, fingerprints = _rendered(planned.renderer, planned.pages, known, keep)
    return _finished(
        last, patched.site, planned, files, planned.gone, fingerprints, planned.edit_search
    )


def _finished(
    last: LastBuild,
    site: Site,
    planned: _Planned,
    files: list[tuple[str, bytes | Scratch]],
    gone: list[str],
    fingerprints: dict[str, str],
    edit_search: Callable[[SearchIndex], None],
) -> PatchedFiles:
    """The pages made, with timeline.json and the files for programs, and the search
    index's files (`_finish`)."""
    renderer = planned.renderer
    files.append(
        (TIMELINE_PATH, timeline_json(site) if planned.timeline is None else planned.timeline)
    )
    files += machine_files(site, renderer.canonical_paths() if site.base_url else ())
    patched = PatchedFiles(site, files, gone, fingerprints, planned.related)
    return _finish(last, patched, renderer, edit_search)


def _planned(
    old_site: Site,
    old_renderer: Renderer,
    patched: PatchedSite,
    earlier: EarlierChoices,
    timeline: bytes | None,
) -> _Planned:
    """The pages an article added or removed may change, the files it removes, and the
    rest of `added_or_removed_files`' work but the pages: `timeline` is timeline.json
    as published before (None if not as made), spliced."""
    site, pairs, relisted = patched
    assert site._related is not None
    ((old, new),) = pairs
    adding = len(site.articles) > len(old_site.articles)
    article = new if adding else old  # the one added, or removed
    with_it = site if adding else old_site
    index = with_it.index_of(article)
    renderer = old_renderer.edited(site, pairs)  # (a card kept for its slug: not its own)
    own = [Page("article", article.slug)] if adding else []
    neighbours = [Page("article", a.slug) for a in with_it.neighbours(article) if a is not None]
    timelines = [Page("timeline", "oldest"), Page("timeline", "newest")]
    pages = dict.fromkeys([*own, *neighbours, *timelines])
    gone = [] if adding else [f"{article.page_path}index.html"]
    # its event: every page of it as it is now; the pages it no longer has are gone
    key = article.event_key
    was, now = (next((e for e in s.events if e.key == key), None) for s in (old_site, site))
    count = page_count(now.articles) if now is not None else 0
    pages.update((Page("event", key, n), None) for n in range(1, count + 1))
    count_was = page_count(was.articles) if was is not None else 0
    gone += [old_renderer.path_of(Page("event", key, n)) for n in range(count + 1, count_was + 1)]
    # the articles after it in its event: their cards may be on the next or last page
    step = -1 if adding else 1  # where they were
    for place, other in enumerate(now.articles if now is not None else ()):
        if other.sort_key > article.sort_key and page_number(place) != page_number(place + step):
            pages[Page("article", other.slug)] = None
    shown = site.newest_first  # which timeline's cards an article page links to
    for slug in old_renderer.on_timeline[shown] ^ renderer.on_timeline[shown]:
        if slug in renderer.articles:  # (not the one removed)
            pages[Page("article", slug)] = None
    listed, gone_lists, _ = _relisted(old_site, site, old_renderer, pairs)
    pages.update(dict.fromkeys(listed))
    gone += gone_lists
    for number in relisted:
        pages[Page("article", site.articles[number].slug)] = None
    renamed = _renamed_events(old_site, site)
    pages.update(dict.fromkeys(_showing_names(site, renamed)))
    keys = earlier.keys
    keys = (
        (*keys[:index], article.location, *keys[index:])
        if adding
        else keys[:index] + keys[index + 1 :]
    )
    related = site._related.remember_known(keys)
    splice = timeline_json_added if adding else timeline_json_removed
    made = None if timeline is None else splice(site, timeline, index)
    if made is not None and renamed:  # each slide says its event's name
        numbers = [site.index_of(a) for event in renamed for a in event.articles]
        made = timeline_json_edited(site, made, numbers)
    number = article_number(with_it, index)  # in the search index, with it

    def edit_search(search: SearchIndex) -> None:
        if adding:
            search.add_article(article)
        else:
            search.remove_article(number, article)

    return _Planned(renderer, pages, gone, related, made, edit_search)


def _finish(
    last: LastBuild,
    patched: PatchedFiles,
    renderer: Renderer,
    edit_search: Callable[[SearchIndex], None],
) -> PatchedFiles:
    """The patched files with the search index's files that changed (edited by
    `edit_search`), and `last` made the patched build."""
    search = last.search
    search.site, search.date_text = patched.site, renderer.translate.date  # (not sent by a worker)
    edit_search(search)
    search.name_events(patched.site)
    shards, gone_shards = search.changed_files()
    last.site, last.renderer = patched.site, renderer
    return patched._replace(files=patched.files + shards, gone=patched.gone + gone_shards)


def _renamed_events(old_site: Site, site: Site) -> list[Event]:
    """The events of `old_site` still in `site` whose name is another there."""
    names = {event.key: event.name for event in old_site.events}
    return [e for e in site.events if e.key in names and names[e.key] != e.name]


def _showing_names(site: Site, events: Sequence[Event]) -> list[Page]:
    """Every page that shows these events' names: their own pages, their articles'
    pages, the pages of names' lists with their articles' cards, and the timeline."""
    if not events:
        return []
    pages = [Page("timeline", "oldest"), Page("timeline", "newest")]
    for event in events:
        pages += [Page("event", event.key, n) for n in range(1, page_count(event.articles) + 1)]
        for article in event.articles:
            pages.append(Page("article", article.slug))
            pages += _card_on_name_pages(site, article)
    return pages


def _rendered(
    renderer: Renderer,
    pages: Iterable[Page],
    known: Mapping[str, tuple[str, str]] | None,
    keep: Keep,
) -> tuple[list[tuple[str, bytes | Scratch]], dict[str, str]]:
    """The pages rendered (as `keep` keeps them), and their fingerprints by path: those
    whose fingerprint is not as `known` (as written last) has it."""
    files: list[tuple[str, bytes | Scratch]] = []
    fingerprints: dict[str, str] = {}
    for page in pages:
        fingerprint = renderer.fingerprint(page)
        if known is not None and known.get(renderer.path_of(page), ("",))[0] == fingerprint:
            continue  # as written last
        path, data = renderer.render_page(page)
        files.append((path, keep(data)))
        fingerprints[path] = fingerprint
    return files, fingerprints


def _card_names(site: Site, article: Article) -> list[tuple[str, str]]:
    """The names an article's card shows."""
    return [(entry.name, entry.slug) for entry in site.names_with_pages(article)[:CARD_NAMES]]


def _relisted(
    old_site: Site,
    site: Site,
    old_renderer: Renderer,
    renamed: Sequence[tuple[Article, Article]],
) -> tuple[list[Page], list[str], bool]:
    """After edits to articles' names: every page of each list of a name with a page that
    one came into or left (the first counts the list's articles, and every card after
    its place moves a slot: those unchanged are left unrendered by their fingerprints),
    and the page of the index of names that counts them too; the paths of the pages such
    a list no longer has; and whether a list has another number of pages now."""
    pages: list[Page] = []
    gone: list[str] = []
    reshaped = False
    place_in_index = {entry.name: place for place, entry in enumerate(site.names)}
    for old, new in renamed:
        for name in sorted(set(old.names) ^ set(new.names)):
            entry = site._name_pages.get(name)
            if entry is None:
                continue
            before = old_site._name_pages[name]
            count, was = page_count(entry.articles), page_count(before.articles)
            reshaped = reshaped or count != was
            pages += [Page("name", entry.slug, number) for number in range(1, count + 1)]
            gone += [
                old_renderer.path_of(Page("name", before.slug, number))
                for number in range(count + 1, was + 1)
            ]
            pages.append(Page("names", "", place_in_index[name] // NAMES_PER_PAGE + 1))
    return pages, gone, reshaped


def _shown(article: Article) -> tuple[str, str, str]:
    """What other pages show of an article that an edit to it can change."""
    return article.headline, article.dek, article.slug
