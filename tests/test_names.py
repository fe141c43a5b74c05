"""Proper names in Dutch news text, and what sets a group of articles apart."""

from __future__ import annotations

from collections import Counter

from generator.names import DistinctiveNames, NameFinder, canonical_names, scan_text


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
