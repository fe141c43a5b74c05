"""The search index: written at build time, read in the browser by `templates/static/search.js`.

Files, all under `search/`:

- `index.json`: how many articles there are, the events, and the files of the article
  table and of the shards::

      {"articles": 10000,
       "events": [[page path, name], ...],
       "shards": {"he": "he.3f2a9c1b7e.json", ...},
       "table": ["table-0.5d1e0c9a2b.json", ...],
       "table_rows": 256,
       "version": 2}

  An article's number is its place in the timeline's default order; its address is its
  event's page path followed by `slug/`.
- the article table in parts of `table_rows` rows, `table-<k>.<hash>.json` holding
  articles k * table_rows onwards::

      [[event, date text, slug, headline], ...]

  A query fetches only the parts that hold the articles it shows (20): the whole table is
  1.5 MB at 10,000 articles and 17 MB at 100,000, far more than a reader's first search
  should wait for.
- one shard per key, `<key>.<hash>.json` (`_.<hash>.json` for the empty key): indexed
  words that start with the key, with the articles they occur in::

      {"h": {word: postings}, "t": {word: postings}}

  `t` is anywhere in the headline or text, `h` the headline only (those rank first).
  Postings are article numbers in ascending order, written as differences from the one
  before; a negative number `-k` stands for `k` more articles in a row.

A small site has one shard with the empty key.  A shard larger than SHARD_TARGET bytes is
split by one more character: "" into "a", "b", ..., "h" into "ha", "he", ...  A word lives in
the shard of the longest key it starts with (`shard_key`).  Shard names carry a hash of their
bytes (and so do the table's parts), so a cached `index.json` never meets files of
another build.

Normalisation is the same in search.js: NFKD, combining marks removed, casefolded; words are
runs of letters and digits, at least two characters long (`Israël` -> `israel`).
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import operator
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableSequence, Sequence

from .dates import PartialDate
from .model import Article, Site
from .spill import Kept
from .text import normalise as normalise  # re-exported: the index's normalisation
from .text import pack, unpack_words
from .text import words as words

FOLDER = "search"
INDEX = f"{FOLDER}/index.json"
VERSION = 2
KEY_LENGTH = 2  # characters of a shard key, before large shards are split
SHARD_TARGET = 64_000  # bytes; a larger shard is split by one more character
GATHER = 2048  # articles whose words' numbers are gathered before they are encoded
TABLE_ROWS = 256  # rows in each part of the article table: about 39 kB, 4 kB gzipped


def encode_postings(numbers: Sequence[int]) -> list[int]:
    """Ascending article numbers as differences, runs of consecutive numbers as `-k`."""
    encoded: list[int] = []
    extend_postings(encoded, numbers, -1)
    return encoded


def extend_postings(encoded: MutableSequence[int], numbers: Sequence[int], previous: int) -> None:
    """Add ascending article numbers, all after `previous` (the last number in `encoded`,
    or -1), to encoded postings.  (Every gap is worked out, and each stretch between
    runs copied, by C code: a build encodes a posting for every word of every article.)"""
    gaps = list(map(operator.sub, numbers, itertools.chain((previous,), numbers)))
    start, end = 0, len(gaps)
    while start < end:
        try:
            run_start = gaps.index(1, start)
        except ValueError:
            run_start = end
        encoded.extend(gaps[start:run_start])
        stop = run_start
        while stop < end and gaps[stop] == 1:
            stop += 1
        run = stop - run_start  # numbers in a row after the one before: `1` for one, `-k`
        if run and run_start == 0 and encoded and (encoded[-1] == 1 or encoded[-1] < 0):
            encoded[-1] = -(run + (1 if encoded[-1] == 1 else -encoded[-1]))  # runs on
        elif run:
            encoded.append(1 if run == 1 else -run)
        start = stop


def _encode_gathered(
    gathered: dict[str, array[int]], postings: dict[str, array[int]], last: dict[str, int]
) -> None:
    """Add each word's gathered article numbers to its encoded postings, and forget them."""
    for word, numbers in gathered.items():
        extend_postings(postings.setdefault(word, array("i")), numbers, last.get(word, -1))
        last[word] = numbers[-1]
    gathered.clear()


def renumbered_postings(
    encoded: array[int], start: int, change: int
) -> tuple[array[int], int] | None:
    """Encoded postings with every article number from `start` on moved by `change`: +1
    for an article added at `start`, -1 for the one at `start - 1` removed (which they no
    longer hold); and how many bytes longer they are written in JSON.  None if no number
    is `start` or more (they are as they were).  Only the difference to the first number
    moved changes (`_edited_near`)."""
    if sum(map(abs, encoded)) - 1 < start:  # (the last number: every word is looked at)
        return None

    def renumber(numbers: list[int]) -> None:
        first = bisect.bisect_left(numbers, start)
        if change < 0 and first and numbers[first - 1] >= start + change:
            raise ValueError(f"article {start + change} is still in the postings")
        numbers[first:] = [number + change for number in numbers[first:]]

    return _edited_near(encoded, start, renumber)


def toggled_postings(encoded: array[int], number: int, adding: bool) -> tuple[array[int], int]:
    """Encoded postings with `number` added to them (or, not `adding`, taken out), and how
    many bytes longer they are written as a JSON list.  Only the elements around it are
    encoded again (`_edited_near`): an edit to one article's text does not decode and
    encode the whole postings of each of its words (a common word's run to thousands of
    elements)."""

    def toggle(numbers: list[int]) -> None:
        place = bisect.bisect_left(numbers, number)
        present = place < len(numbers) and numbers[place] == number
        if present == adding:
            raise ValueError(f"article {number} is {'not ' * adding}new to the postings")
        if adding:
            numbers.insert(place, number)
        else:
            del numbers[place]

    toggled, longer = _edited_near(encoded, number, toggle)
    # (a list is written a byte longer than its numbers with a comma each; `[]` two)
    return toggled, longer + (not toggled) - (not encoded)


def _edited_near(
    encoded: array[int], number: int, edit: Callable[[list[int]], None]
) -> tuple[array[int], int]:
    """Encoded postings with the numbers of the elements around the one that holds
    `number` (or the first after it) edited in place by `edit`, and how many bytes
    longer the numbers are written in JSON.  The later elements are differences: they
    move with the last number edited.  Only the elements around are encoded again: in
    canonical form no two elements next to each other are runs or ones, so an edit at
    `number` splits or joins no run reaching further."""
    ends = list(itertools.accumulate(map(abs, encoded), initial=-1))  # each element's last
    at = bisect.bisect_left(ends, number, 1) - 1  # the element with it, or the one after
    low, high = max(0, at - 1), min(len(encoded), at + 2)
    gaps: list[int] = []
    for value in encoded[low:high]:
        gaps.extend([1] * -value if value < 0 else [value])
    numbers = list(itertools.accumulate(gaps, initial=ends[low]))[1:]
    edit(numbers)
    window = array("i")
    extend_postings(window, numbers, ends[low])
    longer = _json_length(window) - _json_length(encoded[low:high])
    return encoded[:low] + window + encoded[high:], longer


def _json_length(values: Iterable[int]) -> int:
    """The length of the numbers written in a JSON list, with a comma after each."""
    return sum(len(str(value)) + 1 for value in values)


def decode_postings(encoded: Iterable[int]) -> list[int]:
    """The inverse of encode_postings, as search.js reads postings (the build itself
    never decodes them: an edit re-encodes only the elements it changes)."""
    numbers: list[int] = []
    current = -1
    for value in encoded:
        if value < 0:
            numbers.extend(range(current + 1, current + 1 - value))
            current -= value
        else:
            current += value
            numbers.append(current)
    return numbers


def shard_key(word: str, keys: Iterable[str]) -> str | None:
    """The key of the shard that holds `word`: the longest key it starts with."""
    return max((k for k in keys if word.startswith(k)), key=len, default=None)


def _dumps(data: object) -> bytes:
    return json.dumps(
        data, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=_as_list
    ).encode()


def _as_list(value: object) -> list[int]:
    """Postings are kept as arrays (4 bytes a number, not a list's 8 and often an int's
    28: `serve` keeps the index) and written as JSON lists."""
    if isinstance(value, array):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _file_stem(key: str) -> str:
    """A safe file name for a key: ASCII letters and digits as they are, others as `_hex_`;
    `_` for the empty key (the one shard of a small site)."""
    return "".join(c if c.isascii() and c.isalnum() else f"_{ord(c):x}_" for c in key) or "_"


def _plan_shards(sizes: Mapping[str, int]) -> dict[str, list[str]]:
    """Shard key -> its words, given each word's size in bytes.  One shard for all words
    while it is small; a shard larger than SHARD_TARGET is split by one more character
    (the key's own word, if it is one, stays in a shard of its own)."""
    shards: dict[str, list[str]] = {}
    pending: list[tuple[str, list[str]]] = [("", sorted(sizes))]
    while pending:
        key, members = pending.pop()
        longer = [w for w in members if len(w) > len(key)]
        if sum(sizes[w] for w in members) <= SHARD_TARGET or not longer:
            shards[key] = members
            continue
        if len(longer) < len(members):
            shards[key] = [key]
        by_next: dict[str, list[str]] = defaultdict(list)
        for word in longer:
            by_next[word[: len(key) + 1]].append(word)
        pending.extend(by_next.items())
    return shards


def search_files(
    site: Site, date_text: Callable[[PartialDate], str]
) -> Iterator[tuple[str, bytes]]:
    """The index files of a site: its shards, then `search/index.json`."""
    return SearchIndex(site, date_text).files()


def article_number(site: Site, index: int) -> int:
    """The number in the index of the article at `index` in the site's time order: its
    place in the timeline's default order."""
    return len(site.articles) - 1 - index if site.newest_first else index


class SearchIndex:
    """The search index of one site.  Kept (by `serve`) after its files are made, an
    edit to articles' texts changes only the postings of the words that came or went
    (`replace_words`), and `changed_files` makes only the shards that hold them."""

    def __init__(self, site: Site, date_text: Callable[[PartialDate], str]) -> None:
        articles = list(reversed(site.articles)) if site.newest_first else list(site.articles)
        # word -> articles it is in (headline or text), and those with it in the headline
        self.postings: dict[str, array[int]] = {}
        self.headlines: dict[str, array[int]] = {}
        # Each word's article numbers are gathered (4 bytes each) for a stretch of
        # articles, then encoded: encoding them one by one costs a Python call each, and
        # gathering all first would hold one number per word per article (70 MB at 100,000).
        numbers: dict[str, array[int]] = defaultdict(lambda: array("i"))
        in_headlines: dict[str, array[int]] = defaultdict(lambda: array("i"))
        last: dict[str, int] = {}  # each word's last article number encoded
        last_in_headline: dict[str, int] = {}
        for number, article in enumerate(articles):
            in_headline = set(words(article.headline))
            for word in in_headline:
                in_headlines[word].append(number)
            for word in in_headline.union(unpack_words(article.search_words)):
                numbers[word].append(number)
            if number % GATHER == GATHER - 1 or number == len(articles) - 1:
                _encode_gathered(numbers, self.postings, last)
                _encode_gathered(in_headlines, self.headlines, last_in_headline)
        self.sizes = {word: self._size(word) for word in self.postings}
        self.site, self.date_text = site, date_text
        # what `index.json` says of the site (an edit to texts or a headline keeps it)
        self.count = len(site.articles)
        self.events = [[event.page_path, event.name] for event in site.events]
        self.table: list[str] = []  # the file names of the article table's parts, as made
        self.rows: list[bytes] | None = None  # its rows encoded, once one is edited
        self.edited_parts: set[int] = set()  # parts with a row edited since they were made
        self.shards: dict[str, tuple[tuple[str, ...], str]] = {}  # key -> (words, file name)
        self.changed: set[str] = set()  # words whose postings changed since the last files
        self.index_stale = False  # index.json differs from the last files' (`name_events`)

    def __getstate__(self) -> dict[str, object]:
        # Sent from the worker that made the files to `serve`, which has the site.
        return {**self.__dict__, "site": None, "date_text": None}

    def number_of(self, article: Article) -> int:
        """The article's number in the index: its place in the timeline's default order."""
        return article_number(self.site, self.site.index_of(article))

    def _size(self, word: str) -> int:
        return len(_dumps([word, self.postings[word], self.headlines.get(word, array("i"))]))

    def _shard(self, key: str, members: Sequence[str]) -> tuple[str, bytes]:
        data = _dumps(
            {
                "h": {w: self.headlines[w] for w in members if w in self.headlines},
                "t": {w: self.postings[w] for w in members},
            }
        )
        name = f"{_file_stem(key)}.{hashlib.sha256(data).hexdigest()[:10]}.json"
        self.shards[key] = (tuple(members), name)
        return f"{FOLDER}/{name}", data

    def _index(self) -> tuple[str, bytes]:
        """`index.json`: small (the events and the names of the other files), whatever
        the size of the site."""
        index = {
            "articles": self.count,
            "events": self.events,
            "shards": {key: name for key, (_, name) in sorted(self.shards.items())},
            "table": self.table,
            "table_rows": TABLE_ROWS,
            "version": VERSION,
        }
        return INDEX, _dumps(index)

    def _table_part(self, number: int, data: bytes) -> tuple[str, bytes]:
        """Part `number` of the article table, named by its bytes."""
        name = f"table-{number}.{hashlib.sha256(data).hexdigest()[:10]}.json"
        if number < len(self.table):
            self.table[number] = name
        else:
            self.table.append(name)
        return f"{FOLDER}/{name}", data

    def _table_parts(self) -> Iterator[tuple[str, bytes]]:
        """Every part of the article table, one at a time: at 100,000 articles the whole
        table is 17 MB, and each copy of it held at once raised the peak memory of the
        process that made it."""
        self.table = []
        self.edited_parts.clear()
        if self.rows is not None:  # encoded already, after an edit
            for start in range(0, len(self.rows), TABLE_ROWS):
                yield self._table_part(len(self.table), self._joined(start))
            return
        rows = self._rows()
        while run := list(itertools.islice(rows, TABLE_ROWS)):
            yield self._table_part(len(self.table), _dumps(run))

    def _joined(self, start: int) -> bytes:
        """The part of the table from row `start`, joined from its encoded rows: the
        same bytes as `_dumps` of the rows."""
        assert self.rows is not None
        return b"[%b]" % b",".join(self.rows[start : start + TABLE_ROWS])

    def _rows(self) -> Iterator[list[object]]:
        """The table of articles, [event number, date, slug, headline] each, in
        the timeline's default order (see model.py: the articles of each event in turn)."""
        dates: dict[tuple[int, int, int], str] = {}
        events = list(enumerate(self.site.events))
        newest_first = self.site.newest_first
        for number, event in reversed(events) if newest_first else events:
            for article in reversed(event.articles) if newest_first else event.articles:
                day = article.date
                key = (day.year, day.month, day.day)  # PartialDate hashes in Python: slower
                date = dates.get(key)
                if date is None:
                    date = dates[key] = self.date_text(day)
                yield [number, date, article.slug, article.headline]

    def files(self) -> Iterator[tuple[str, bytes]]:
        """Every file of the index: its shards, the parts of its article table, then
        `search/index.json`."""
        self.shards.clear()
        self.changed.clear()
        self.index_stale = False
        for key, members in sorted(_plan_shards(self.sizes).items()):
            yield self._shard(key, members)
        yield from self._table_parts()
        yield self._index()

    def replace_article(self, number: int, old: Article, new: Article) -> None:
        """Article `number` is now `new` instead of `old`: its text, headline or slug
        edited, not its place in time (see patch.py)."""
        self.replace_words(number, old.headline, old.search_words, new.headline, new.search_words)
        if (old.headline, old.slug) != (new.headline, new.slug):  # the table shows them
            rows = self._encoded_rows()
            event, date, _, _ = json.loads(rows[number])
            rows[number] = _dumps([event, date, new.slug, new.headline])
            self.edited_parts.add(number // TABLE_ROWS)

    def add_article(self, new: Article) -> None:
        """`new` added (`site` is the site with it), numbered by its place in the
        timeline's default order: every number from its own on goes up by one.  That
        changes one difference in the postings of each word with a later article (after
        every other, oldest first: none; newest first, every word's first), and the article
        table from its row on (at 10,000 articles up to every file of the index, 4 MB)."""
        number = self.number_of(new)
        if number < self.count:
            self._renumbered(number, 1)
        self.replace_words(number, "", pack(b""), new.headline, new.search_words)
        if self.rows is not None:
            self._events_renumbered()
            event = self._event_number(new)
            self.rows.insert(
                number, _dumps([event, self.date_text(new.date), new.slug, new.headline])
            )
        self.count += 1
        self._rows_moved(number)

    def remove_article(self, number: int, old: Article) -> None:
        """`old`, article `number`, gone (`site` is the site without it): the inverse of
        `add_article`."""
        self.replace_words(number, old.headline, old.search_words, "", pack(b""))
        if number < self.count - 1:
            self._renumbered(number + 1, -1)
        if self.rows is not None:
            del self.rows[number]
            self._events_renumbered()
        self.count -= 1
        self._rows_moved(number)

    def _event_number(self, article: Article) -> int:
        key = article.event_key
        return next(n for n, event in enumerate(self.site.events) if event.key == key)

    def _event_numbers_moved(self) -> dict[int, int]:
        """Old number -> number now of each event whose number an event added or removed
        (`site` is the site now) moved: the table gives each article's."""
        now = {event.page_path: number for number, event in enumerate(self.site.events)}
        return {
            before: now[path]
            for before, (path, _) in enumerate(self.events)
            if now.get(path, before) != before
        }

    def _events_renumbered(self) -> None:
        """The article table's rows (kept) with the events' numbers as `site` has them.
        Only the number at the start of a row changes: not worth encoding every row again
        for (60 ms at 10,000 articles)."""
        assert self.rows is not None
        moved = self._event_numbers_moved()
        if not moved:
            return
        for place, row in enumerate(self.rows):
            comma = row.index(b",")
            event = moved.get(int(row[1:comma]))
            if event is not None:
                self.rows[place] = b"[%d%b" % (event, row[comma:])
                self.edited_parts.add(place // TABLE_ROWS)

    def _rows_moved(self, number: int) -> None:
        """The article table after a row added or removed at `number`: every part from
        its row on is edited (if the rows were not kept, and events were renumbered,
        every part)."""
        if self.rows is None:
            if self._event_numbers_moved():
                number = 0
            self._encoded_rows()  # from `site`, with the row or without
        self.edited_parts.update(
            range(number // TABLE_ROWS, max(len(self.table), (self.count - 1) // TABLE_ROWS + 1))
        )
        self.name_events(self.site)

    def _renumbered(self, start: int, change: int) -> None:
        """Every article number from `start` on moved by `change` in every word's
        postings (`renumbered_postings`): the shards of the words with such an article
        change."""
        for postings in (self.postings, self.headlines):
            for word, encoded in postings.items():
                moved = renumbered_postings(encoded, start, change)
                if moved is not None:
                    postings[word], longer = moved
                    self.sizes[word] += longer
                    self.changed.add(word)

    def name_events(self, site: Site) -> None:
        """The events as `site` has them (`index.json` lists them): after an edit that
        named one anew, `changed_files` makes `index.json` again, if nothing else."""
        events = [[event.page_path, event.name] for event in site.events]
        if events != self.events:
            self.events = events
            self.index_stale = True

    def _encoded_rows(self) -> list[bytes]:
        """The article table's rows, each encoded: made once, to change a few."""
        if self.rows is None:  # (30 ms for 10,000 at once)
            self.rows = [_dumps(row) for row in self._rows()]
        return self.rows

    def replace_words(
        self, number: int, headline: str, text: Kept, new_headline: str, new_text: Kept
    ) -> None:
        """Article `number` is now found by the words of `new_headline` and `new_text`
        (packed, see text.search_words) instead of those of `headline` and `text`; the
        article table is not changed (`replace_article` changes it)."""
        in_headline, now_in_headline = set(words(headline)), set(words(new_headline))
        before = in_headline.union(unpack_words(text))
        self._replace(self.postings, number, before, now_in_headline.union(unpack_words(new_text)))
        self._replace(self.headlines, number, in_headline, now_in_headline)

    def _replace(
        self, postings: dict[str, array[int]], number: int, before: set[str], after: set[str]
    ) -> None:
        """In `postings`, article `number` is now in the words `after`, not `before`."""
        for word, adding in itertools.chain(
            zip(before - after, itertools.repeat(False)),
            zip(after - before, itertools.repeat(True)),
        ):
            was = postings.get(word, array("i"))
            toggled, longer = toggled_postings(was, number, adding)
            if toggled:
                postings[word] = toggled
            else:
                del postings[word]
            self.changed.add(word)
            # a word's size counts both its postings (`_size`): the text's come first
            if word not in self.postings:
                self.sizes.pop(word, None)
            elif not was and postings is self.postings:
                self.sizes[word] = self._size(word)  # (short: one article)
            else:
                self.sizes[word] += longer

    def changed_files(self) -> tuple[list[tuple[str, bytes]], list[str]]:
        """The files that differ from those `files` (or this) made last: new or changed
        shards and parts of the article table, and the index that names them; and the
        paths of those no longer used."""
        before = self.shards.copy()
        plan = _plan_shards(self.sizes)
        made = [
            self._shard(key, members)
            for key, members in sorted(plan.items())
            if before.get(key, ((), ""))[0] != tuple(members)
            or not self.changed.isdisjoint(members)
        ]
        for key in set(before) - set(plan):
            del self.shards[key]
        self.changed.clear()
        used = {name for _, name in self.shards.values()}
        gone = sorted(f"{FOLDER}/{name}" for _, name in before.values() if name not in used)
        kept_names = {f"{FOLDER}/{name}" for _, name in before.values()}
        made = [(path, data) for path, data in made if path not in kept_names]
        assert self.rows is not None or not self.edited_parts
        for number in sorted(self.edited_parts):
            was = self.table[number] if number < len(self.table) else None  # None: a new part
            if self.rows is not None and number * TABLE_ROWS >= len(self.rows) and number:
                del self.table[number:]  # a part no article is in now
                gone.append(f"{FOLDER}/{was}")
                continue
            part = self._table_part(number, self._joined(number * TABLE_ROWS))
            if self.table[number] != was:  # (else edited back as it was)
                made.append(part)
                if was is not None:
                    gone.append(f"{FOLDER}/{was}")
        self.edited_parts.clear()
        if made or gone or self.index_stale:
            made.append(self._index())
            self.index_stale = False
        return made, gone
