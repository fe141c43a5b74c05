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
from bisect import bisect_left, insort
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
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
# In `RelatedArticles.known`: an article whose related articles are to be worked out.
UNKNOWN = -2


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


@dataclass(frozen=True)
class EarlierChoices:
    """The related articles one build chose for every article, and what choosing them
    read: enough for the next build to take over each choice its edits cannot have
    changed (`RelatedArticles.reuse`)."""

    signature: str  # RelatedArticles.signature
    chosen: array[int]  # `limit` article numbers per article, -1 for none (`chosen_all`)
    keys: tuple[str, ...]  # each article's location (Article.location), in number order
    days: array[int]
    postings: Mapping[str, array[int]]
    limit: int


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
        cutoff = common_cutoff(len(articles))
        self.postings = {n: p for n, p in postings.items() if len(p) <= cutoff}
        # names too common to tell anything: how many articles each is in
        self.common = {n: len(p) for n, p in postings.items() if len(p) > cutoff}
        self.cutoff = cutoff
        self.days = array("i", (a.date.first_day().toordinal() for a in articles))
        # Shared names are listed rarest first: rank every name once.
        self.ranked = sorted(self.postings, key=self._rank_key)
        self.rank = {name: position for position, name in enumerate(self.ranked)}
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

    def _rank_key(self, name: str) -> tuple[int, str, str]:
        return len(self.postings[name]), sort_key_for_text(name), name

    def articles_with(self, name: str) -> int:
        """How many articles mention the name."""
        posting = self.postings.get(name)
        return len(posting) if posting is not None else self.common.get(name, 0)

    def renamed(
        self,
        articles: Sequence[Article],
        index: int,
        old: Iterable[str],
        earlier: array[int],
    ) -> tuple[RelatedArticles, list[int]] | None:
        """For new versions of the same articles in which `articles[index]` names others
        than `old`: a copy whose choices are `earlier`'s (every article's, as `chosen_all`
        has them), but worked out again for the articles whose choice read what changed;
        and the articles whose related list may not be as before: its own, those whose
        choice is not, those that list it (or did), and those that may list the names
        they share with another in another order (`_reordered`).  None if
        a name starts or stops counting as common."""
        new = set(articles[index].names)
        old = set(old)
        other = copy.copy(self)
        other.__dict__.pop("signature", None)  # (a cached property)
        other.articles, other._last = articles, None
        other.postings = dict(self.postings)
        if len(articles) != len(self.articles):
            raise ValueError("as many articles: see `inserted` and `removed`")
        stale = bytearray(len(articles))
        stale[index] = 1
        for name in old ^ new:
            if name in self.common:
                count = self.common[name] + (1 if name in new else -1)
                if count <= other.cutoff:
                    return None
                other.common = {**other.common, name: count}
                continue
            before = self.postings.get(name, array("i"))
            after = array("i", before)
            where = bisect_left(after, index)
            if name in new:
                after.insert(where, index)
            else:
                del after[where]
            if len(after) > other.cutoff:
                return None
            if after:
                other.postings[name] = after
            else:
                del other.postings[name]
            _mark_changed_windows(before, after, stale)
        counted = (old ^ new) & (self.postings.keys() | other.postings.keys())
        ranked = [name for name in self.ranked if name not in counted]
        for name in sorted(counted & other.postings.keys()):
            insort(ranked, name, key=other._rank_key)
        other.ranked = ranked
        other.rank = {name: position for position, name in enumerate(ranked)}
        reordered = other._reordered(self, counted)
        other.known = known = array("i", earlier)
        numbers = [number for number, flag in enumerate(stale) if flag]
        limit, rechosen = self.limit, []
        for number in numbers:
            known[number * limit] = UNKNOWN
        for number in numbers:
            chosen = other.choose(number)
            start = number * limit
            known[start : start + limit] = array("i", [*chosen, *[-1] * (limit - len(chosen))])
            if known[start : start + limit] != earlier[start : start + limit]:
                rechosen.append(number)
        # and those that list it, before or now: the names it shares with them changed
        listing = _holding(earlier, index, limit) | _holding(known, index, limit)
        return other, sorted(reordered.union(rechosen, listing, [index]))

    def inserted(
        self, articles: Sequence[Article], index: int, earlier: array[int]
    ) -> tuple[RelatedArticles, array[int]] | None:
        """A copy for `articles`: these with one more at `index`, naming nothing (an
        article added there, whose names `renamed` gives next); and `earlier` (every
        article's choices, as `chosen_all` has them) numbered for it.  Every number from
        `index` on goes up by one, and no choice changes: the windows `choose` reads are
        places in names' postings, and ties go by time order, which is kept.  None if a
        name starts or stops counting as common in a site one article larger."""
        if len(articles) != len(self.articles) + 1 or articles[index].names:
            raise ValueError("one article more, naming nothing")
        other = self._resized(articles, index, 1)
        if other is None:
            return None
        day = articles[index].date.first_day().toordinal()
        other.days = self.days[:index] + array("i", [day]) + self.days[index:]
        return other, _chosen_moved(earlier, index, 1, self.limit)

    def removed(self, index: int) -> RelatedArticles | None:
        """This without article `index`, which names nothing now (`renamed` took its names
        away, and worked out again the choices that read them): the inverse of
        `inserted`.  None if a name starts or stops counting as common in a site one
        article smaller."""
        if self.articles[index].names:
            raise ValueError("the article still names someone")
        articles = (*self.articles[:index], *self.articles[index + 1 :])
        other = self._resized(articles, index, -1)
        if other is None:
            return None
        other.days = self.days[:index] + self.days[index + 1 :]
        return other

    def _resized(
        self, articles: Sequence[Article], index: int, change: int
    ) -> RelatedArticles | None:
        """A copy for `articles`, one more or fewer (`change`) at `index`, with the numbers
        after it in the postings and the known choices moved; or None (see `inserted`)."""
        other = copy.copy(self)
        other.__dict__.pop("signature", None)  # (a cached property)
        other.articles, other._last = articles, None
        other.cutoff = common_cutoff(len(articles))
        if not self._common_at(other.cutoff):
            return None
        first = index if change > 0 else index + 1  # the first number that moves
        other.postings = {name: _moved(p, first, change) for name, p in self.postings.items()}
        if self.known is not None:
            other.known = _chosen_moved(self.known, index, change, self.limit)
        return other

    def _common_at(self, cutoff: float) -> bool:
        """Whether the same names count as common at another `cutoff` (one article more
        or fewer in the site)."""
        if any(count <= cutoff for count in self.common.values()):
            return False
        # (a lower cutoff: every name's articles counted, else only the common ones')
        return cutoff >= self.cutoff or all(len(p) <= cutoff for p in self.postings.values())

    def _reordered(self, before: RelatedArticles, changed: set[str]) -> set[int]:
        """The articles whose related list may give the names they share in another order
        now that the `changed` names are in more or fewer articles than `before`: those
        that mention one of them and a name it now ranks on the other side of."""
        moved = changed & before.postings.keys() & self.postings.keys()
        if not moved:
            return set()
        stayed = [name for name in before.ranked if name not in changed]

        def places(ranked: list[str]) -> dict[str, int]:
            """Each changed name's place among the names that stayed."""
            found, count = {}, 0
            for name in ranked:
                if name in changed:
                    found[name] = count
                else:
                    count += 1
            return found

        old_places, new_places = places(before.ranked), places(self.ranked)
        articles: set[int] = set()
        for name in moved:
            low, high = sorted((old_places[name], new_places[name]))
            passed = set(stayed[low:high])
            passed.update(  # and the changed ones it passed
                other
                for other in moved
                if (before.rank[other] < before.rank[name]) != (self.rank[other] < self.rank[name])
            )
            if passed:
                for number in {*before.postings[name], *self.postings[name]}:
                    if not passed.isdisjoint(self.articles[number].names):
                        articles.add(number)
        return articles

    def remember_known(self, keys: tuple[str, ...]) -> EarlierChoices:
        """What the next build may reuse, when every choice is known (after `renamed`);
        `keys`: each article's location, as the earlier choices had them."""
        assert self.known is not None and UNKNOWN not in self.known[:: self.limit]
        known, days, postings = self.known, self.days, self.postings
        return EarlierChoices(self.signature, known, keys, days, postings, self.limit)

    @functools.cached_property
    def signature(self) -> str:
        """A hash of everything `choose` reads (each name's articles, their days, the
        limits): two sites with the same signature relate the same articles, by number."""
        digest = hashlib.blake2b(digest_size=16)
        digest.update(repr((self.limit, RELATED_WINDOW, len(self.articles))).encode())
        digest.update(self.days.tobytes())
        for name in sorted(self.postings):  # (in any order: `renamed` adds at the end)
            digest.update(name.encode() + b"\x00")
            digest.update(self.postings[name].tobytes())
        return digest.hexdigest()

    def remember(self, answers: Mapping[int, Sequence[int]]) -> EarlierChoices | None:
        """What the next build may reuse of this one's choices (`answers`: `choose` for
        every article); None if one is missing."""
        chosen = chosen_all(self.limit, len(self.articles), answers)
        if chosen is None:
            return None
        keys = tuple(article.location for article in self.articles)
        return EarlierChoices(self.signature, chosen, keys, self.days, self.postings, self.limit)

    def reuse(self, earlier: EarlierChoices | None) -> None:
        """Take over the related articles an earlier build chose, where they must be the
        same: working them out is 2/3 of the time to fingerprint an article's page.
        With the earlier site's signature (a headline or text edited) every list is as it
        was; otherwise (an article added, removed, moved or given other names) only the
        articles whose choice read what changed are worked out again (`_carried_over`)."""
        if earlier is None or earlier.limit != self.limit:
            return
        if earlier.signature == self.signature:
            self.known = earlier.chosen
        else:
            self.known = self._carried_over(earlier)

    def _carried_over(self, earlier: EarlierChoices) -> array[int] | None:
        """`earlier.chosen` renumbered for these articles (matched by location), with
        UNKNOWN for each article whose choice may differ.  `choose` reads, for each of
        an article's names, the articles within RELATED_WINDOW places of it in that
        name's posting, and their days.  So an article is worked out again when that
        window holds other articles than before in one of its names (an article added,
        removed, moved, given or denied the name), when it is new or given or denied a
        name, when one of its names starts or stops counting as common, and when an
        article in one of its windows is on another day, or has another place among the
        articles that stayed (a headline edited within its day): ties go to the lower
        number, so a tie between two articles that changed places may now go the other way."""
        count, limit = len(self.articles), self.limit
        place = {article.location: index for index, article in enumerate(self.articles)}
        if len(place) != count:  # never (a file's path, a row's line): matching relies on it
            return None
        renumbered = array("i", [place.get(key, -1) for key in earlier.keys])  # -1: gone
        stale = bytearray(count)  # 1: work out again (a new article is not taken over)
        window = RELATED_WINDOW
        moved = _out_of_order([new for new in renumbered if new >= 0])
        for old, new in enumerate(renumbered):  # moved: those that see it
            if new >= 0 and (earlier.days[old] != self.days[new] or new in moved):
                for name in self.articles[new].names:  # (it is in its own window)
                    posting = self.postings.get(name)
                    if posting is not None:
                        where = bisect_left(posting, new)
                        for number in posting[max(0, where - window) : where + window + 1]:
                            stale[number] = 1
        for name in self.postings.keys() | earlier.postings.keys():
            posting = self.postings.get(name)
            before = earlier.postings.get(name)
            if before is None:  # a name that counts now: each of its articles reads it
                for number in posting:
                    stale[number] = 1
                continue
            if posting is None:  # a name that no longer counts: each that read it
                for number in before:
                    if renumbered[number] >= 0:
                        stale[renumbered[number]] = 1
                continue
            mapped = array("i", [renumbered[number] for number in before])
            if mapped == posting:  # (the common case: only the edits' names differ)
                continue
            _mark_changed_windows(mapped, posting, stale)
        known = array("i", [UNKNOWN]) * (limit * count)
        for old, new in enumerate(renumbered):
            if new < 0 or stale[new]:
                continue
            numbers = earlier.chosen[old * limit : (old + 1) * limit]  # none of them gone
            carried = [renumbered[number] if number >= 0 else -1 for number in numbers]
            known[new * limit : (new + 1) * limit] = array("i", carried)
        return known

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
        if self.known is not None and self.known[index * self.limit] != UNKNOWN:
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


def common_cutoff(count: int) -> float:
    """In a site of `count` articles, a name in more than this many is too common to
    relate articles by (a small site relates by every name)."""
    return count * (RELATED_COMMON_SHARE if count >= RELATED_COMMON_MIN_SITE else 1)


def _moved(posting: array[int], first: int, change: int) -> array[int]:
    """A name's articles with every number from `first` on moved by `change`."""
    at = bisect_left(posting, first)
    if at == len(posting):
        return posting
    return posting[:at] + array("i", [number + change for number in posting[at:]])


def _chosen_moved(chosen: array[int], index: int, change: int, limit: int) -> array[int]:
    """Every article's related articles (`limit` numbers each, as `chosen_all` has them)
    with an article added at `index` (`change` 1: its own to be worked out, -1 for none),
    or the one at `index` removed (-1: no article holds it)."""
    start = index * limit
    if change > 0:
        rows = chosen[:start] + array("i", [-1]) * limit + chosen[start:]
    else:
        rows = chosen[:start] + chosen[start + limit :]
        if index in rows:
            raise ValueError(f"article {index} is still related to another")
    if max(rows, default=-1) < index:  # (the last article: no number moves)
        return rows
    return array("i", [number + change if number >= index else number for number in rows])


def _holding(chosen: array[int], number: int, limit: int) -> set[int]:
    """The articles whose related articles (`limit` numbers each in `chosen`) hold it."""
    found, start = set(), 0
    while True:
        try:
            start = chosen.index(number, start) + 1
        except ValueError:
            return found
        found.add((start - 1) // limit)


def _out_of_order(numbers: Sequence[int]) -> set[int]:
    """The fewest of these distinct numbers that, taken out, leave the rest in increasing
    order (those not in a longest increasing subsequence): the articles that changed
    places, given the new numbers of the articles that stayed, in their old order."""
    if all(a < b for a, b in pairwise(numbers)):
        return set()  # the usual case
    tails: list[int] = []  # the smallest last number of an increasing run of each length
    ends: list[int] = []  # where that run ends in `numbers`
    before = [-1] * len(numbers)  # the run's previous place, for each place
    for at, number in enumerate(numbers):
        length = bisect_left(tails, number)
        if length == len(tails):
            tails.append(number)
            ends.append(at)
        else:
            tails[length], ends[length] = number, at
        before[at] = ends[length - 1] if length else -1
    in_order = set()
    at = ends[-1]
    while at >= 0:
        in_order.add(at)
        at = before[at]
    return {number for at, number in enumerate(numbers) if at not in in_order}


def _mark_changed_windows(mapped: array[int], posting: array[int], stale: bytearray) -> None:
    """Mark in `stale` the articles whose window in a name's posting now holds other
    articles than before, and those no longer in it.  `mapped`: the posting before, in
    the new numbers (-1 for an article gone)."""
    window = RELATED_WINDOW
    first = 0  # the changed stretch: mapped[first:end_before] -> posting[first:end]
    while first < min(len(mapped), len(posting)) and mapped[first] == posting[first]:
        first += 1
    end, end_before = len(posting), len(mapped)
    while end > first and end_before > first and mapped[end_before - 1] == posting[end - 1]:
        end, end_before = end - 1, end_before - 1
    # Outside the stretch and the window around it, every window is as it was; the
    # articles just around it see into it (not in `was`: worked out again). Inside,
    # each window is compared: an article moved far in time shifts every one
    # between its two places by one, but changes only the windows around them.
    was = {mapped[place]: place for place in range(first, end_before)}
    for place in range(max(0, first - window), min(len(posting), end + window)):
        number = posting[place]
        before_place = was.get(number)
        if before_place is None or (
            posting[max(0, place - window) : place + window + 1]
            != mapped[max(0, before_place - window) : before_place + window + 1]
        ):
            stale[number] = 1
    kept = set(posting[first:end])
    for number in mapped[first:end_before]:  # gone from it: reads it no longer
        if number >= 0 and number not in kept:
            stale[number] = 1


def chosen_all(limit: int, count: int, answers: Mapping[int, Sequence[int]]) -> array[int] | None:
    """`choose`'s answers for every one of `count` articles as one array for `reuse`
    (`limit` numbers each, -1 where there are fewer); None if one is missing."""
    if len(answers) != count:
        return None
    chosen = array("i", [-1]) * (limit * count)
    for index, numbers in answers.items():
        chosen[index * limit : index * limit + len(numbers)] = array("i", numbers)
    return chosen
