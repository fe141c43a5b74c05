"""Cross-references between articles: pages per name, and related articles.

Both work from an inverted index (name -> articles in time order), so their cost
grows with the number of mentions, not with the square of the number of articles.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import heapq
import unicodedata
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slugify import slugify

if TYPE_CHECKING:
    from .model import Article

RELATED_MAX = 5
# A name in more than this share of a large site's articles says nothing about
# which of them belong together ("Donald Trump" in a Trump archive).
RELATED_COMMON_SHARE = 0.5
RELATED_COMMON_MIN_SITE = 20
# Per name, only this many of its articles on either side in time are candidates:
# exact for names in up to 2 * RELATED_WINDOW articles, and bounded work for the
# rest (ties go to the closest in time anyway).
RELATED_WINDOW = 25


@dataclass(frozen=True)
class NameEntry:
    name: str
    slug: str
    articles: tuple[Article, ...]  # in time order


@dataclass(frozen=True)
class Related:
    article: Article
    shared: tuple[str, ...]  # the names both articles mention, rarest first


def sort_key_for_text(text: str) -> str:
    """Alphabetical order as a reader expects it: `Israël` between `Iran` and `Italië`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_index(articles: Sequence[Article], min_articles: int) -> tuple[NameEntry, ...]:
    """Every name in at least `min_articles` articles, alphabetically, each with its
    articles in time order (`articles` is already in time order)."""
    by_name: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        for name in article.names:
            by_name[name].append(article)
    entries: list[NameEntry] = []
    used: set[str] = set()
    for name in sorted(by_name, key=lambda n: (sort_key_for_text(n), n)):
        if len(by_name[name]) < min_articles:
            continue
        base = slugify(name) or "naam"
        slug, number = base, 1
        while slug in used:
            number += 1
            slug = f"{base}-{number}"
        used.add(slug)
        entries.append(NameEntry(name, slug, tuple(by_name[name])))
    return tuple(entries)


class RelatedArticles:
    """For each article, up to `limit` others sharing the most names; ties go to the
    closest in time, then to time order.

    Worked out when asked (`of`), not for every article up front: the pages that show
    them are rendered in worker processes, so the work is spread over them, and the
    build never holds a list of related articles for every article at once."""

    def __init__(self, articles: Sequence[Article], limit: int = RELATED_MAX) -> None:
        self.articles = articles
        self.limit = limit
        postings: dict[str, array[int]] = defaultdict(lambda: array("i"))
        for index, article in enumerate(articles):
            for name in article.names:
                postings[name].append(index)  # in time order, as `articles` is
        large = len(articles) >= RELATED_COMMON_MIN_SITE
        cutoff = len(articles) * (RELATED_COMMON_SHARE if large else 1)
        self.postings = {n: p for n, p in postings.items() if len(p) <= cutoff}
        self.days = array("i", (a.date.first_day().toordinal() for a in articles))
        # Shared names are listed rarest first: rank every name once.
        ranked = sorted(
            self.postings, key=lambda n: (len(self.postings[n]), sort_key_for_text(n), n)
        )
        self.rank = {name: position for position, name in enumerate(ranked)}
        # Which articles are related, as `choose` worked them out in an earlier build of
        # the same `signature` (see `reuse`): `limit` numbers per article, -1 for none.
        self.known: array[int] | None = None
        # An incremental build asks for an article's fingerprint and then its page: the
        # last answer is kept for the second question.
        self._last: tuple[int, tuple[int, ...], tuple[Related, ...]] | None = None

    def with_articles(self, articles: Sequence[Article]) -> RelatedArticles:
        """The same ranking for new versions of the same articles (their texts edited:
        names and dates, all the ranking reads, are as they were)."""
        other = copy.copy(self)
        other.articles = articles
        other._last = None
        return other

    @functools.cached_property
    def signature(self) -> str:
        """A hash of everything `choose` reads (each name's articles, their days, the
        limits): two sites with the same signature relate the same articles, by number."""
        digest = hashlib.blake2b(digest_size=16)
        digest.update(repr((self.limit, RELATED_WINDOW, len(self.articles))).encode())
        digest.update(self.days.tobytes())
        for name, posting in self.postings.items():
            digest.update(name.encode() + b"\x00")
            digest.update(posting.tobytes())
        return digest.hexdigest()

    def reuse(self, earlier: tuple[str, array[int]] | None) -> None:
        """Take the related articles an earlier build chose (its `signature` and
        `chosen_all` of its answers) if that site had this one's signature: an edit to a
        headline leaves every list as it was, unless it moves the article in its month,
        and working them out is 2/3 of the time to fingerprint an article's page."""
        if earlier is None or len(earlier[1]) != self.limit * len(self.articles):
            return
        if earlier[0] == self.signature:
            self.known = earlier[1]

    def of(self, index: int) -> tuple[Related, ...]:
        """The related articles of `articles[index]`."""
        if self._last is not None and self._last[0] == index:
            return self._last[2]
        chosen = self.choose(index)
        articles, rank = self.articles, self.rank
        names = set(articles[index].names)
        related = tuple(
            Related(
                articles[o],
                tuple(
                    sorted(
                        (n for n in articles[o].names if n in names and n in rank),
                        key=rank.__getitem__,
                    )
                ),
            )
            for o in chosen
        )
        self._last = (index, chosen, related)
        return related

    def choose(self, index: int) -> tuple[int, ...]:
        """The numbers of the related articles of `articles[index]`, best first."""
        if self._last is not None and self._last[0] == index:
            return self._last[1]
        if self.known is not None:
            start = index * self.limit
            return tuple(o for o in self.known[start : start + self.limit] if o >= 0)
        articles, days, limit = self.articles, self.days, self.limit
        article = articles[index]
        shared: Counter[int] = Counter()
        for name in article.names:
            posting = self.postings.get(name)
            if posting:
                where = bisect_left(posting, index)
                shared.update(posting[max(0, where - RELATED_WINDOW) : where + RELATED_WINDOW + 1])
        shared.pop(index, None)
        day = days[index]
        candidates: Iterable[tuple[int, int]] = shared.items()
        if len(shared) > limit:  # only those sharing as many names as the limit-th can win
            threshold = sorted(shared.values(), reverse=True)[limit - 1]
            candidates = [(o, n) for o, n in candidates if n >= threshold]
        best = heapq.nsmallest(limit, ((-n, abs(days[o] - day), o) for o, n in candidates))
        return tuple(o for _, _, o in best)


def chosen_all(limit: int, count: int, answers: Mapping[int, Sequence[int]]) -> array[int] | None:
    """`choose`'s answers for every one of `count` articles as one array for `reuse`
    (`limit` numbers each, -1 where there are fewer); None if one is missing."""
    if len(answers) != count:
        return None
    chosen = array("i", [-1]) * (limit * count)
    for index, numbers in answers.items():
        chosen[index * limit : index * limit + len(numbers)] = array("i", numbers)
    return chosen
