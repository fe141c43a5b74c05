"""The search index: normalisation, postings, shards, and what the seeds' index holds."""

from __future__ import annotations

import itertools
import json
from array import array

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from generator import search
from generator.config import load_config
from generator.i18n import Translator
from generator.load import load_documents
from generator.model import Site, build_site
from generator.search import (
    INDEX,
    decode_postings,
    encode_postings,
    extend_postings,
    normalise,
    renumbered_postings,
    search_files,
    shard_key,
    toggled_postings,
    words,
)

from .conftest import SEEDS


@pytest.fixture(scope="module")
def seeds_site() -> Site:
    documents, _ = load_documents(SEEDS)
    site, _ = build_site(documents, load_config(SEEDS))
    return site


def index_of(site: Site) -> tuple[dict[str, object], dict[str, dict[str, dict[str, list[int]]]]]:
    """index.json, with the rows of its article table's parts as `rows`, and each shard
    key's shard with its postings decoded."""
    files = dict(search_files(site, Translator(site.language).date))
    index = json.loads(files.pop(INDEX))
    size = index["table_rows"]
    parts = [json.loads(files.pop(f"search/{name}")) for name in index["table"]]
    assert all(len(part) == size for part in parts[:-1]), "only the last part is short"
    assert all(0 < len(part) <= size for part in parts[-1:])
    index["rows"] = [row for part in parts for row in part]
    assert len(index["rows"]) == index["articles"] == len(site.articles)
    shards = {}
    for key, name in index["shards"].items():
        data = json.loads(files.pop(f"search/{name}"))
        shards[key] = {
            kind: {word: decode_postings(p) for word, p in data[kind].items()} for kind in "ht"
        }
    assert files == {}, "files that index.json does not list"
    return index, shards


def test_normalise_removes_accents_and_case():
    assert normalise("Israël") == "israel"
    assert normalise("ISRAËL") == "israel"
    assert normalise("Curaçao, Straße, ﬁnale") == "curacao, strasse, finale"


def test_words_are_letters_and_digits_of_two_or_more():
    assert words("De G20-top: Trumps ‘deal’ met Israël, 2 uur & 15 min.") == [
        "de",
        "g20",
        "top",
        "trumps",
        "deal",
        "met",
        "israel",
        "uur",
        "15",
        "min",
    ]


@given(st.sets(st.integers(min_value=0, max_value=500)))
def test_postings_decode_to_what_was_encoded(numbers: set[int]):
    ascending = sorted(numbers)
    assert decode_postings(encode_postings(ascending)) == ascending
    assert encode_postings(ascending) == encoded_one_by_one(ascending)


@given(st.sets(st.integers(min_value=0, max_value=500), min_size=1), st.integers(0, 502))
@example({0, 1, 2, 3, 4}, 2)  # a run split, and made whole again
@example({0, 1, 3, 4}, 2)  # two runs made one by the removal, split again
@example({5}, 5)
def test_postings_renumbered_are_those_of_every_later_number_moved(numbers: set[int], start: int):
    """An article added at number `start` moves every number from it on up by one;
    removed again, down."""
    ascending = sorted(numbers)
    encoded = array("i", encode_postings(ascending))
    moved = renumbered_postings(encoded, start, 1)
    if moved is None:
        assert ascending[-1] < start
        return
    shifted, longer = moved
    expected = encode_postings([n + 1 if n >= start else n for n in ascending])
    assert list(shifted) == expected
    written = len(json.dumps(expected, separators=(",", ":")))
    assert longer == written - len(json.dumps(list(encoded), separators=(",", ":")))
    back = renumbered_postings(shifted, start + 1, -1)
    assert back is not None
    assert list(back[0]) == list(encoded) and back[1] == -longer


@given(st.sets(st.integers(min_value=0, max_value=300)), st.integers(0, 302))
@example(set(), 0)  # the first article a word is in
@example({0, 1, 3, 4}, 2)  # two runs joined
@example({0, 1, 2, 3, 4}, 5)  # a run goes on
@example({10, 12}, 11)  # two gaps become a run
def test_postings_with_a_number_added_or_taken_out_are_those_encoded_anew(
    numbers: set[int], number: int
):
    """An edit puts an article into a word's postings, or takes it out; written, the
    postings are as many bytes longer as `toggled_postings` says (the shards are planned
    by their size)."""
    without = sorted(numbers - {number})
    with_it = sorted(numbers | {number})
    encoded = array("i", encode_postings(without))
    added, longer = toggled_postings(encoded, number, adding=True)
    assert list(added) == encode_postings(with_it)
    assert longer == len(json.dumps(list(added), separators=(",", ":"))) - len(
        json.dumps(list(encoded), separators=(",", ":"))
    )
    removed, shorter = toggled_postings(added, number, adding=False)
    assert list(removed) == list(encoded) and shorter == -longer
    with pytest.raises(ValueError):
        toggled_postings(added, number, adding=True)
    with pytest.raises(ValueError):
        toggled_postings(encoded, number, adding=False)


@given(st.sets(st.integers(min_value=0, max_value=300)), st.lists(st.integers(0, 300)))
def test_postings_encoded_in_pieces_are_those_encoded_at_once(numbers: set[int], cuts: list[int]):
    """The index encodes each word's articles a stretch of articles at a time: a run that
    goes on from one stretch to the next is one run."""
    ascending = sorted(numbers)
    encoded: list[int] = []
    previous = -1
    for start, end in itertools.pairwise([0, *sorted(cuts), len(ascending)]):
        piece = ascending[start:end]
        if piece:
            extend_postings(encoded, piece, previous)
            previous = piece[-1]
    assert encoded == encode_postings(ascending)


def encoded_one_by_one(numbers: list[int]) -> list[int]:
    """The format as search.js reads it, number by number: the gap from the one before;
    a second gap of 1 in a row turns the `1` into `-2`, and each one after adds one more."""
    encoded: list[int] = []
    previous = -1
    for number in numbers:
        gap, previous = number - previous, number
        if gap == 1 and encoded and encoded[-1] < 0:
            encoded[-1] -= 1
        elif gap == 1 and encoded and encoded[-1] == 1:
            encoded[-1] = -2
        else:
            encoded.append(gap)
    return encoded


def test_postings_of_consecutive_articles_are_runs():
    assert encode_postings([0, 1, 2, 3, 7, 8, 10]) == [-4, 4, 1, 2]
    assert encode_postings(range(10_000)) == [-10_000]


def test_every_article_is_found_by_each_word_of_its_headline(seeds_site: Site):
    _, shards = index_of(seeds_site)
    for number, article in enumerate(seeds_site.articles):
        for word in words(article.headline):
            shard = shards[shard_key(word, shards)]
            assert number in shard["t"][word], (word, article.headline)
            assert number in shard["h"][word], (word, article.headline)


@pytest.mark.parametrize("rows", [search.TABLE_ROWS, 2, 1])
def test_the_article_table_gives_headline_date_and_address(
    seeds_site: Site, monkeypatch: pytest.MonkeyPatch, rows: int
):
    monkeypatch.setattr(search, "TABLE_ROWS", rows)  # in parts of `rows` (see `index_of`)
    index, _ = index_of(seeds_site)
    assert len(index["table"]) == -(-len(seeds_site.articles) // rows)
    israel = next(a for a in seeds_site.articles if "Israël" in a.headline)
    event, date, slug, headline = index["rows"][seeds_site.articles.index(israel)]
    path, name = index["events"][event]
    assert (headline, date, name) == (
        israel.headline,
        "mei 2017",
        "Trump deelt staatsgeheimen met Lavrov",
    )
    assert f"{path}{slug}/" == israel.page_path
    for number, article in enumerate(seeds_site.articles):  # and every article's row
        event, date, slug, headline = index["rows"][number]
        path, name = index["events"][event]
        assert (f"{path}{slug}/", headline) == (article.page_path, article.headline)
        assert name == seeds_site.event_of(article).name


def test_newest_first_sites_number_their_articles_newest_first(seeds_site: Site):
    from dataclasses import replace

    index, _ = index_of(replace(seeds_site, newest_first=True))
    assert [a[3] for a in index["rows"]] == [a.headline for a in reversed(seeds_site.articles)]


@pytest.mark.parametrize("target", [search.SHARD_TARGET, 2_000, 300, 1])
def test_shards_hold_every_word_once_in_the_shard_of_its_key(
    seeds_site: Site, monkeypatch: pytest.MonkeyPatch, target: int
):
    monkeypatch.setattr(search, "SHARD_TARGET", target)
    _, shards = index_of(seeds_site)
    everywhere: dict[str, set[int]] = {}
    for number, article in enumerate(seeds_site.articles):
        for word in words(f"{article.headline} {article.text}"):
            everywhere.setdefault(word, set()).add(number)
    held = [(key, word) for key, shard in shards.items() for word in shard["t"]]
    assert sorted(word for _, word in held) == sorted(everywhere)  # each word, once
    for key, word in held:
        assert shard_key(word, shards) == key
        assert set(shards[key]["t"][word]) == everywhere[word]
    if target == 1:  # split as far as words go: one shard per word, keyed by the word
        assert all(list(shard["t"]) == [key] for key, shard in shards.items())


def test_a_small_site_has_one_shard(seeds_site: Site):
    index, _ = index_of(seeds_site)
    assert list(index["shards"]) == [""]


def test_index_files_are_the_same_bytes_every_time(
    seeds_site: Site, monkeypatch: pytest.MonkeyPatch
):
    first = list(search_files(seeds_site, Translator("nl").date))
    documents, _ = load_documents(SEEDS)
    again, _ = build_site(list(reversed(documents)), load_config(SEEDS))
    assert list(search_files(again, Translator("nl").date)) == first
    monkeypatch.setattr(search, "GATHER", 2)  # encoded two articles at a time
    assert list(search_files(seeds_site, Translator("nl").date)) == first
