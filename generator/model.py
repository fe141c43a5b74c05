"""The site model: articles in time order, grouped into events by month.

Built once from the loaded documents; everything the templates need is
derived here (headlines, deks, slugs, page paths, event names), so rendering
is a pure function of this model.  Every sort has a full tie-break
(date, headline, source path), so every build gives the same site.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain, groupby

from markupsafe import Markup

from .config import Config
from .crossref import NameEntry, Related, RelatedArticles, name_index
from .dates import PartialDate
from .derive import OwnFields, own_fields
from .document import Document
from .errors import Problem, Severity
from .i18n import Translator
from .load import LoadedDocument, location
from .names import (
    DistinctiveNames,
    EditableNameFinder,
    NameFinder,
    TextScan,
    canonical_names,
)
from .spill import Kept

# Ids and top-level names the site itself uses; no article slug may take them.
RESERVED_SLUGS = frozenset({"assets", "index", "404", "inhoud", "content", "tijdlijn"})


@dataclass(frozen=True, slots=True)
class Article:
    source_path: str  # as shown in messages, e.g. `seeds/x.txt`
    date: PartialDate
    headline: str
    dek: str
    slug: str
    document: Document  # its text (shared, not copied): see `body_html` and `text`
    names: tuple[str, ...] = ()  # canonical names, most mentioned first
    source: str = ""
    source_url: str = ""
    tags: tuple[str, ...] = ()
    source_line: int = 0  # the line of its row in a spreadsheet; 0: the whole file
    digest: str = ""  # of the source file's bytes: changes whenever its text may have
    search_words: Kept = b""  # of its text, each once, packed (see text.search_words)

    @property
    def location(self) -> str:
        """Where the article was written, as messages show it: `seeds/x.txt`, `seeds/x.csv:7`."""
        return location(self.source_path, self.source_line)

    @property
    def body_html(self) -> Markup:
        return self.document.body_html

    @property
    def text(self) -> str:
        """The plain text of the body, blocks separated by blank lines."""
        return "\n\n".join(block.text for block in self.document.blocks)

    @property
    def event_key(self) -> str:
        return self.date.month_key()

    @property
    def page_path(self) -> str:
        """The article's folder in the site, e.g. `2017/05/<slug>/`."""
        return f"{self.event_key.replace('-', '/')}/{self.slug}/"

    @property
    def sort_key(self) -> tuple[int, int, int, str, str, int]:
        """Time order (a date's parts, as PartialDate orders them: compared as plain ints
        rather than by its Python-level comparison, 10,000 articles sort in 13 ms instead
        of 78), then headline, then file."""
        return time_order(self.date, self.headline, self.source_path, self.source_line)


def time_order(
    date: PartialDate, headline: str, path: str, line: int
) -> tuple[int, int, int, str, str, int]:
    """An article's `sort_key`, from the parts it is made of."""
    return (date.year, date.month, date.day, headline.casefold(), path, line)


@dataclass(frozen=True, slots=True)
class Event:
    key: str  # `2017-05` (or `2017` for articles known only to the year)
    date: PartialDate
    name: str
    automatic_name: bool
    articles: tuple[Article, ...]

    @property
    def page_path(self) -> str:
        return f"{self.key.replace('-', '/')}/"

    @property
    def year(self) -> int:
        return self.date.year


@dataclass(frozen=True)
class Site:
    title: str
    description: str
    language: str
    base_url: str
    newest_first: bool  # the default order of the timeline page
    events: tuple[Event, ...]
    articles: tuple[Article, ...]  # in time order
    names: tuple[NameEntry, ...]  # names with a page, alphabetically
    name_min_articles: int
    _position: Mapping[str, int] = field(default_factory=dict, repr=False, compare=False)
    # slug -> its event, and its place among the event's articles
    _event_of: Mapping[str, tuple[Event, int]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _name_pages: Mapping[str, NameEntry] = field(default_factory=dict, repr=False, compare=False)
    _related: RelatedArticles | None = field(default=None, repr=False, compare=False)
    # how names were found, kept (`build_site(keep_names=True)`) to patch a names edit
    _name_model: NameModel | None = field(default=None, repr=False, compare=False)

    def neighbours(self, article: Article) -> tuple[Article | None, Article | None]:
        """The articles just before and after this one in time."""
        index = self.index_of(article)
        previous = self.articles[index - 1] if index > 0 else None
        following = self.articles[index + 1] if index + 1 < len(self.articles) else None
        return previous, following

    def index_of(self, article: Article) -> int:
        """The article's place in `articles` (time order)."""
        return self._position[article.slug]

    def event_of(self, article: Article) -> Event:
        return self._event_of[article.slug][0]

    def place_in_event(self, article: Article) -> int:
        """The article's index in its event's articles."""
        return self._event_of[article.slug][1]

    def names_with_pages(self, article: Article) -> list[NameEntry]:
        return [entry for name in article.names if (entry := self._name_pages.get(name))]

    def related(self, article: Article) -> tuple[Related, ...]:
        if self._related is None:
            return ()
        return self._related.of(self.index_of(article))

    def related_numbers(self, article: Article) -> tuple[int, tuple[int, ...]]:
        """The article's place in `articles`, and those of its related articles."""
        index = self.index_of(article)
        return index, self._related.choose(index) if self._related is not None else ()

    def url(self, path: str) -> str:
        """The public address of a path in the site; empty when no base URL is set."""
        return f"{self.base_url}{path}" if self.base_url else ""


DEFAULT_CONFIG = Config()


def build_site(
    documents: Sequence[LoadedDocument], config: Config = DEFAULT_CONFIG, keep_names: bool = False
) -> tuple[Site, list[Problem]]:
    """Derive the whole site from loaded documents.  Problems are warnings only:
    nothing here drops an article.  `keep_names`: keep a NameModel (`Site._name_model`)."""
    translate = Translator(config.language)
    problems: list[Problem] = []
    scans = [loaded.names_scan() for loaded in documents]
    mentions = Mentions(scans, config.name_aliases, config.name_ignore, keep_names)
    owns = [loaded.own or own_fields(loaded.document, loaded.path) for loaded in documents]
    # Time order first, so that each article's names are counted, kept and told to
    # `distinctive` one article at a time, as the events will hold them.
    order = sorted(
        range(len(documents)),
        key=lambda i: time_order(
            documents[i].document.date, owns[i].headline, documents[i].path, documents[i].line
        ),
    )
    distinctive = DistinctiveNames()
    drafts: list[Article] = []
    for index in order:
        loaded, own = documents[index], owns[index]
        document = loaded.document
        counts, lead = mentions.of(scans[index])
        distinctive.add(document.date.month_key(), counts, lead)
        drafts.append(draft_article(loaded, own, counts))  # its slug made unique below
    articles = _assign_slugs(drafts, problems)

    by_key = {key: list(group) for key, group in groupby(articles, key=lambda a: a.event_key)}
    automatic = distinctive.result(top=2)
    headers = {key: name for key, members in by_key.items() if (name := header_name(members))}
    given = {**headers, **config.event_names}
    events: list[Event] = []
    for key, members in by_key.items():
        date = event_date(key)
        name = _event_name(key, date, given, automatic, translate)
        events.append(Event(key, date, name, key not in given, tuple(members)))
    names = name_index(articles, config.name_min_articles)
    site = Site(
        title=config.title,
        description=config.description,
        language=config.language,
        base_url=config.base_url,
        newest_first=config.order == "newest",
        events=tuple(events),
        articles=tuple(articles),
        names=names,
        name_min_articles=config.name_min_articles,
        _position={a.slug: i for i, a in enumerate(articles)},
        _event_of={a.slug: (e, i) for e in events for i, a in enumerate(e.articles)},
        _name_pages={entry.name: entry for entry in names},
        _related=RelatedArticles(articles),
    )
    if keep_names:
        scans_by_location = {
            location(loaded.path, loaded.line): scan
            for loaded, scan in zip(documents, scans, strict=True)
        }
        kept = NameModel(
            mentions, distinctive, scans_by_location, given, config.language, config.event_names
        )
        site = replace(site, _name_model=kept)
    return site, problems


def draft_article(loaded: LoadedDocument, own: OwnFields, counts: Mapping[str, int]) -> Article:
    """A loaded document as an article, with its own fields and its names' mentions;
    its slug as it asks for it, before `_assign_slugs` makes it unique."""
    document = loaded.document
    return Article(
        source_path=loaded.path,
        date=document.date,
        headline=own.headline,
        dek=own.dek,
        slug=own.slug,
        document=document,
        names=ordered_names(counts),
        source=document.source,
        source_url=document.url,
        tags=document.tags,
        source_line=loaded.line,
        digest=loaded.digest,
        search_words=loaded.search_words(),
    )


class Mentions:
    """Per article: canonical name -> mentions, and the names in its lead.  Every text
    is looked at once first, for the canonical names (`Lavrov` is `Sergej Lavrov` if
    some text says so); then each article's are worked out when asked for, not all at
    once (see `DistinctiveNames`).  `editable`: for `edited`, at a small cost."""

    def __init__(
        self,
        scans: Sequence[TextScan],
        aliases: Mapping[str, str],
        ignore: frozenset[str],
        editable: bool = False,
    ) -> None:
        self.finder = EditableNameFinder(scans) if editable else NameFinder(scans)
        self.found = self.finder.names_found
        self.aliases = aliases
        self.canonical = canonical_names(self.found, aliases)
        self.ignore = ignore
        self._run_names = self._names_of_runs()

    def _names_of_runs(self) -> dict[str, tuple[str, ...]]:
        """Each distinct run's canonical names, those ignored left out: worked out once,
        so that an article's names are a lookup per run (at 10,000 articles, 430,000
        runs: in C, 0.1 s less than a call per run)."""
        return {line: self._run_names_now(name) for line, name in self.finder.runs.items()}

    def _run_names_now(self, name: str | None) -> tuple[str, ...]:
        if name is None:
            return ()
        return tuple(c for c in self.canonical.get(name, (name,)) if c not in self.ignore)

    def of(self, scan: TextScan) -> tuple[Counter[str], set[str]]:
        lines = scan.run_lines
        parts = list(map(self._run_names.get, lines))
        if None in parts:  # a run of a text the finder was not made from
            parts = [
                self._run_names_now(self.finder.name_of_run(line)) if part is None else part
                for line, part in zip(lines, parts, strict=True)
            ]
        lead = set(chain.from_iterable(parts[: scan.lead_runs]))
        return Counter(chain.from_iterable(parts)), lead

    def names(self, scan: TextScan) -> tuple[str, ...]:
        """An article's names, most mentioned first (alphabetically among equals)."""
        return ordered_names(self.of(scan)[0])

    def edited(self, old: TextScan, new: TextScan) -> Mentions | None:
        """These mentions with one text's scan `old` replaced by `new`; None if that
        changes any other text's names, as far as can be told without reading them
        again: a run of words that stands for another name, or a name that is now
        another canonical name (a new `Gerrit Trump` makes `Trump` alone no longer
        `Donald Trump`)."""
        assert isinstance(self.finder, EditableNameFinder), "made with editable=True"
        finder = self.finder.edited(old, new)
        if finder is None:
            return None
        other = copy.copy(self)
        other.finder = finder
        other.found = finder.names_found
        if other.found != self.found:
            other.canonical = canonical_names(other.found, self.aliases)
            for name in other.found & self.found:
                if other.canonical[name] != self.canonical[name]:
                    return None
        other._run_names = other._names_of_runs()
        return other


def ordered_names(counts: Mapping[str, int]) -> tuple[str, ...]:
    """Names by their mentions, most first, alphabetically among equals."""
    return tuple(name for name, _ in sorted(counts.items(), key=lambda i: (-i[1], i[0])))


@dataclass(frozen=True)
class NameModel:
    """What a site model keeps of how it found its articles' names, for `serve` and
    `build --incremental` to patch an edit that changes an article's names without
    making the model again (patch.py): every scan, the names found in them, the tally
    for the events' names, and the event names given in headers and settings."""

    mentions: Mentions
    distinctive: DistinctiveNames
    scans: Mapping[str, TextScan]  # by Article.location
    given: Mapping[str, str]  # event key -> its name as given
    language: str
    configured: Mapping[str, str]  # those the settings give (they win over headers)

    def event_names(self, events: Sequence[Event]) -> list[str]:
        """Each event's name, as `build_site` names it."""
        translate = Translator(self.language)
        automatic = self.distinctive.result(top=2)
        return [
            _event_name(event.key, event.date, self.given, automatic, translate) for event in events
        ]


def event_date(key: str) -> PartialDate:
    """The date of the event with this key (`2017-05`, or `2017`)."""
    return PartialDate(*(int(part) for part in key.split("-")))


def _event_name(
    key: str,
    date: PartialDate,
    given: Mapping[str, str],
    automatic: Mapping[str, list[str]],
    translate: Translator,
) -> str:
    return given.get(key) or translate.join(automatic[key]) or translate.date(date)


def header_name(articles: Iterable[Article]) -> str | None:
    """The event name the `Event:` headers of an event's articles give: the earliest
    article's (by date, then file and line, not headline); None if none has one."""
    named = [a for a in articles if a.document.event]
    if not named:
        return None
    return min(named, key=lambda a: (a.date, a.source_path, a.source_line)).document.event


def _assign_slugs(articles: list[Article], problems: list[Problem]) -> list[Article]:
    """Lowercase ASCII slugs, unique across the site, in time order (so stable)."""
    used: dict[str, str] = {slug: "" for slug in RESERVED_SLUGS}
    result: list[Article] = []
    for article in articles:
        base = article.slug
        slug, number = base, 1
        while slug in used or _looks_like_event_key(slug):
            number += 1
            slug = f"{base}-{number}"
        if slug != base:
            holder = used.get(base) or "the site itself"
            problems.append(
                Problem(
                    article.source_path,
                    article.source_line or 1,
                    f"slug {base!r} is already used by {holder}; this article gets {slug!r}",
                    Severity.WARNING,
                )
            )
        used[slug] = article.location
        result.append(article if slug == base else replace(article, slug=slug))
    return result


def slug_available(slug: str, taken: Container[str]) -> bool:
    """Whether an article that asks for `slug` gets it, `taken` holding the slugs of the
    articles before it (see `_assign_slugs`)."""
    return slug not in taken and slug not in RESERVED_SLUGS and not _looks_like_event_key(slug)


def _looks_like_event_key(slug: str) -> bool:
    return len(slug) in (4, 7) and slug.replace("-", "").isdigit()
