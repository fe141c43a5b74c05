"""Proper names in Dutch news text, and what sets a group of articles apart."""

from __future__ import annotations

import copy
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.names import (
    DistinctiveNames,
    EditableNameFinder,
    NameFinder,
    canonical_names,
    scan_text,
)


def find(*paragraphs: str) -> list[str]:
    scan = scan_text(paragraphs)
    return NameFinder([scan]).find(scan)


def test_multi_word_names_are_found_whole():
    text = (
        "Dit meldt de Amerikaanse krant The Washington Post. Minister Lavrov was in het Witte "
        "Huis, met Donald Trump. Het gaat over Islamitische Staat."
    )
    # `Minister` starts the sentence and is a title; `Lavrov` after it is a name.
    assert find(text) == [
        "The Washington Post",
        "Lavrov",
        "Witte Huis",
        "Donald Trump",
        "Islamitische Staat",
    ]


def test_sentence_initial_and_common_words_are_not_names():
    # `Volgens`, `Dit`, `Minister` start sentences; nationality adjectives alone are not names.
    text = "Volgens de krant was het mis. Dit is de Russische visie. Het Kremlin ontkent."
    assert find(text) == ["Kremlin"]


def test_a_sentence_initial_word_counts_when_it_is_a_name_elsewhere():
    assert find("Israël reageert niet.", "Het gaat om Israël.") == ["Israël", "Israël"]


def test_a_heading_never_runs_into_the_next_paragraph():
    found = find("Hezbollah", "Israël is boos, zegt Israël.", "Het gaat om Hezbollah.")
    assert found == ["Hezbollah", "Israël", "Israël", "Hezbollah"]


def test_possessive_s_and_connectors():
    text = "Het gaat om Trumps contacten met Trump. Graham zei het in Meet the Press op zondag."
    assert find(text) == ["Trump", "Trump", "Meet the Press"]


def test_a_family_name_ending_in_s_is_no_possessive_of_another():
    """`Kuipers` is not `Kuiper`'s: of a name of several words the `s` goes only if the
    texts also name it without (`Donald Trumps beleid`)."""
    text = (
        "Het kabinet van Petra Kuiper zweeg. Volgens Mees Kuipers en Sarah Sanders niet. "
        "Ook Sander Smit zweeg. Donald Trumps beleid was anders dan Donald Trump zei."
    )
    assert find(text) == [
        "Petra Kuiper",
        "Mees Kuipers",
        "Sarah Sanders",
        "Sander Smit",
        "Donald Trump",
        "Donald Trump",
    ]


def test_acronym_heads_of_compounds_are_names_lowercase_tails_are_not():
    assert find("Trump was op de G20-top, met zijn FBI-directeur.") == ["G20", "FBI"]


def test_short_forms_join_the_one_longer_name_they_end():
    mentions = [
        "Sergej Lavrov",
        "Lavrov",
        "Donald Trump",
        "Trump",
        "Trump Poetin",
        "Vladimir Poetin",
    ]
    canonical = canonical_names(mentions)
    assert canonical["Lavrov"] == ("Sergej Lavrov",)
    assert canonical["Trump"] == ("Donald Trump",)
    assert canonical["Trump Poetin"] == ("Donald Trump", "Vladimir Poetin")


def test_a_name_is_split_in_two_only_after_a_name_mentioned_on_its_own():
    """In an archive that names thousands of people, many a first name is someone else's
    family name: `Sander Kuipers` is one person although `Sarah Sander` and `Mees
    Kuipers` are others, and `van der Veenstra` is no name of its own."""
    mentions = [
        "Sarah Sander",
        "Mees Kuipers",
        "Sander Kuipers",
        "Sander van der Veenstra",
        "Buitenlandse Zaken",
        "Buitenlandse Zaken Sergej Lavrov",
        "Sergej Lavrov",
    ]
    canonical = canonical_names(mentions)
    assert canonical["Sander Kuipers"] == ("Sander Kuipers",)
    assert canonical["Sander van der Veenstra"] == ("Sander van der Veenstra",)
    assert canonical["Buitenlandse Zaken Sergej Lavrov"] == ("Buitenlandse Zaken", "Sergej Lavrov")


def test_aliases_merge_names():
    canonical = canonical_names(["Poetin", "Putin"], aliases={"Putin": "Poetin"})
    assert canonical == {"Poetin": ("Poetin",), "Putin": ("Poetin",)}


def test_distinctive_names_ignore_what_every_group_shares():
    groups = {
        "2017-05": [(Counter({"Trump": 5, "Lavrov": 2}), {"Lavrov"})],
        "2018-07": [(Counter({"Trump": 5, "Helsinki": 1}), {"Helsinki"})],
    }
    tally = DistinctiveNames()
    for group, articles in groups.items():
        for counts, lead in articles:
            tally.add(group, counts, lead)
    assert tally.result(top=2) == {"2017-05": ["Lavrov"], "2018-07": ["Helsinki"]}


def test_a_name_in_single_quotes_is_still_a_name():
    # The quote mark is part of the word for the tokeniser; it once hid the name.
    assert find("Het gaat om 'Poetin' en Trump.", "Ook Poetin zweeg.") == [
        "Poetin",
        "Trump",
        "Poetin",
    ]


# --- one text edited (`serve`, incremental builds: see patch.py) ----------------------------

# Words that make the rules work: names alone and whole, possessives, a word that is a
# name only where some text has it in mid-sentence, connectors, titles.
TOKENS = [
    "Donald Trump", "Trump", "Trumps", "Donald Trumps", "Gerrit Trump", "Sander Kuipers",
    "Kuiper", "Kuipers", "Sander", "Sarah Sander", "van der Veenstra", "Zoet", "Gerrit Zoet",
    "Volgens", "Minister", "minister", "De", "zei", "dat", "met", "en", "Het Witte Huis",
    "Zweeg", "Gerrit",
]  # fmt: skip
SENTENCE = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=6).map(
    lambda words: " ".join(words) + "."
)
TEXT = st.lists(SENTENCE, min_size=1, max_size=4).map(" ".join)


def finder_state(finder: EditableNameFinder) -> tuple[object, ...]:
    return (
        finder.mid_sentence,
        finder._resolved,
        finder._whole,
        finder._raw,
        finder._mid_counts,
        finder._line_counts,
    )


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(TEXT, min_size=1, max_size=5), new=TEXT, which=st.integers(0, 4))
def test_a_finder_told_of_an_edit_is_one_made_afresh_or_refuses_for_a_reason(
    texts: list[str], new: str, which: int
):
    """After one text is edited, the finder either is the finder made from every text
    afresh, or refuses, and then some other text's names are not as they were."""
    which %= len(texts)
    scans = [scan_text([text]) for text in texts]
    after = [*scans[:which], scan_text([new]), *scans[which + 1 :]]
    finder = EditableNameFinder(scans)
    kept = copy.deepcopy(finder_state(finder))
    edited = finder.edited(scans[which], after[which])
    fresh = EditableNameFinder(after)
    assert finder_state(finder) == kept  # left as it was
    if edited is None:
        others = [number for number in range(len(texts)) if number != which]
        assert [finder.find(scans[n]) for n in others] != [fresh.find(after[n]) for n in others]
    else:
        assert finder_state(edited) == finder_state(fresh)
        assert [edited.find(scan) for scan in after] == [fresh.find(scan) for scan in after]


def test_a_finder_takes_an_edit_that_quotes_someone_new_or_someone_known():
    scans = [
        scan_text(["Volgens Donald Trump zei Sergej Lavrov niets. Zoet zweeg."]),
        scan_text(["Trump belde met Lavrov."]),
    ]
    finder = EditableNameFinder(scans)
    for new in ["Trump belde met Lavrov. Volgens Gerrit Zoets klopt dat.", "Trump belde."]:
        scan = scan_text([new])
        edited = finder.edited(scans[1], scan)
        assert edited is not None
        assert edited.find(scan) == NameFinder([scans[0], scan]).find(scan)
    # `Zoet` in mid-sentence makes a name of it where it starts the other's sentence
    assert finder.edited(scans[1], scan_text(["Trump belde met Zoet."])) is None


@settings(max_examples=200, deadline=None)
@given(
    groups=st.lists(
        st.tuples(
            st.sampled_from(["2017-05", "2017-07", "2018-07"]),
            st.dictionaries(st.sampled_from(["Trump", "Poetin", "Lavrov"]), st.integers(1, 4)),
            st.frozensets(st.sampled_from(["Trump", "Poetin", "Lavrov"])),
        ),
        min_size=1,
        max_size=8,
    ),
    which=st.integers(0, 7),
    counts=st.dictionaries(st.sampled_from(["Trump", "Poetin", "Zoet"]), st.integers(1, 4)),
)
def test_a_tally_with_one_group_told_again_is_a_tally_made_afresh(groups, which, counts):
    which %= len(groups)
    after = [*groups[:which], (groups[which][0], counts, frozenset()), *groups[which + 1 :]]

    def tally(articles: list) -> DistinctiveNames:
        made = DistinctiveNames()
        for group, mentions, lead in articles:
            made.add(group, Counter(mentions), lead)
        return made

    group = groups[which][0]
    again = tally(groups).regrouped(
        group, [(Counter(m), lead) for g, m, lead in after if g == group]
    )
    fresh = tally(after)
    assert again.result(top=2) == fresh.result(top=2)
    assert again._scores == fresh._scores and again._total_with == fresh._total_with


def test_a_tally_with_an_article_added_or_removed_is_a_new_tally_of_the_articles():
    """`serve` tells the tally for the events' names of the latest article added
    (`added`), or removed (`regrouped(change=-1)`): the same as a new tally."""
    months = [
        ("2019-01", Counter({"Ursula Kok": 2, "Donald Trump": 1}), {"Ursula Kok"}),
        ("2019-01", Counter({"Donald Trump": 3}), set()),
        ("2019-02", Counter({"Mark Rutte": 1, "Donald Trump": 1}), {"Mark Rutte"}),
    ]

    def tally(articles):
        made = DistinctiveNames()
        for group, counts, lead in articles:
            made.add(group, counts, lead)
        return made

    for count in (1, 2):
        before, after = tally(months[:count]), tally(months[: count + 1])
        group, counts, lead = months[count]
        assert vars(before.added(group, counts, lead)) == vars(after)
        left = [(c, lead) for g, c, lead in months[:count] if g == group]
        assert vars(after.regrouped(group, left, change=-1)) == vars(before)
        assert before.result() == tally(months[:count]).result()  # left as it was
