"""The search index: written at build time, read in the browser by `templates/static/search.js`.

Files, all under `search/`:

- `index.json`: the article table and the list of shards::

      {"articles": [[event, date text, slug, headline], ...],
       "events": [[page path, name], ...],
       "shards": {"he": "he.3f2a9c1b7e.json", ...},
       "version": 1}

  An article's number is its place in `articles`, which is the timeline's default order;
  its address is its event's page path followed by `slug/`.
- one shard per key, `<key>.<hash>.json` (`_.<hash>.json` for the empty key): indexed
  words that start with the key, with the articles they occur in::

      {"h": {word: postings}, "t": {word: postings}}

  `t` is anywhere in the headline or text, `h` the headline only (those rank first).
  Postings are article numbers in ascending order, written as differences from the one
  before; a negative number `-k` stands for `k` more articles in a row.

A small site has one shard with the empty key.  A shard larger than SHARD_TARGET bytes is
split by one more character: "" into "a", "b", ..., "h" into "ha", "he", ...  A word lives in
the shard of the longest key it starts with (`shard_key`).  Shard names carry a hash of their
bytes, so a cached `index.json` never meets shards of another build.

Normalisation is the same in search.js: NFKD, combining marks removed, casefolded; words are
runs of letters and digits, at least two characters long (`Israël` -> `israel`).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping

from .dates import PartialDate
from .model import Site
from .text import normalise as normalise  # re-exported: the index's normalisation
from .text import unpack_words
from .text import words as words

FOLDER = "search"
INDEX = f"{FOLDER}/index.json"
VERSION = 1
KEY_LENGTH = 2  # characters of a shard key, before large shards are split
SHARD_TARGET = 64_000  # bytes; a larger shard is split by one more character


def encode_postings(numbers: Iterable[int]) -> list[int]:
    """Ascending article numbers as differences, runs of consecutive numbers as `-k`."""
    encoded: list[int] = []
    previous = -1
    for number in numbers:
        _append(encoded, number - previous)
        previous = number
    return encoded


def _append(encoded: list[int], gap: int) -> None:
    """Add the next article number, `gap` after the one before, to encoded postings."""
    if gap == 1 and encoded and encoded[-1] < 0:
        encoded[-1] -= 1  # one more in the run
    elif gap == 1 and encoded and encoded[-1] == 1:
        encoded[-1] = -2  # two in a row: a run
    else:
        encoded.append(gap)


def decode_postings(encoded: Iterable[int]) -> list[int]:
    """The inverse of encode_postings."""
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
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


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
    articles = list(reversed(site.articles)) if site.newest_first else list(site.articles)
    # Postings are encoded as they grow (articles come in number order): a list of every
    # number first would hold one entry per word per article, tens of megabytes.
    encoded: dict[str, list[int]] = defaultdict(list)
    encoded_head: dict[str, list[int]] = defaultdict(list)
    last: dict[str, int] = defaultdict(lambda: -1)
    last_head: dict[str, int] = defaultdict(lambda: -1)
    for number, article in enumerate(articles):
        in_headline = set(words(article.headline))
        for word in in_headline:
            _append(encoded_head[word], number - last_head[word])
            last_head[word] = number
        for word in in_headline.union(unpack_words(article.search_words)):
            _append(encoded[word], number - last[word])
            last[word] = number
    sizes = {
        w: len(_dumps([w, postings, encoded_head.get(w, [])])) for w, postings in encoded.items()
    }
    names: dict[str, str] = {}
    for key, members in sorted(_plan_shards(sizes).items()):
        data = _dumps(
            {
                "h": {w: encoded_head[w] for w in members if w in encoded_head},
                "t": {w: encoded[w] for w in members},
            }
        )
        names[key] = f"{_file_stem(key)}.{hashlib.sha256(data).hexdigest()[:10]}.json"
        yield f"{FOLDER}/{names[key]}", data

    events = {event.key: number for number, event in enumerate(site.events)}
    dates = {date: date_text(date) for date in sorted({a.date for a in articles})}
    yield (
        INDEX,
        _dumps(
            {
                "articles": [
                    [events[a.event_key], dates[a.date], a.slug, a.headline] for a in articles
                ],
                "events": [[event.page_path, event.name] for event in site.events],
                "shards": names,
                "version": VERSION,
            }
        ),
    )
