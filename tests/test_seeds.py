"""What the five real seed articles become: headlines, deks, events and their names."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import Config, load_config
from generator.dates import PartialDate
from generator.load import load_documents
from generator.model import Site, build_site

from .conftest import SEEDS

HEADLINES = {
    "000_6ce33291c848d3e1.txt": (
        "Donald Trump heeft een nieuw hoofdstuk toegevoegd aan zijn omstreden relatie met Rusland"
    ),
    "001_5883c073d3e69394.txt": (
        "De gevoelige informatie over Islamitische Staat die president Trump met de Russen zou "
        "hebben gedeeld, kwam van Israël"
    ),
    "002_f80c548452cfc866.txt": (
        "Na hun ontmoeting eerder deze week in Helsinki wil de Amerikaanse president Donald Trump "
        "graag snel opnieuw…"
    ),
    "003_0bcac9150e38803d.txt": (
        "Donald Trump gelooft niet dat Rusland een rol heeft gespeeld in zijn verkiezing als "
        "president van de Verenigde Staten"
    ),
    "004_e5491d042b67adbc.txt": (
        "De Amerikaanse president Donald Trump besprak de mogelijke samenwerking op het gebied "
        "van cyberveiligheid…"
    ),
}


def seed_site(config: Config | None = None) -> Site:
    """The seeds with default settings (no event names, no aliases), or with `config`."""
    documents, problems = load_documents(SEEDS)
    assert problems == []
    site, model_problems = build_site(documents, config or Config())
    assert model_problems == []
    return site


def by_file(site: Site) -> dict[str, object]:
    return {Path(a.source_path).name: a for a in site.articles}


def test_seed_headlines_are_the_first_sentence_of_the_lead():
    articles = by_file(seed_site())
    assert {name: a.headline for name, a in articles.items()} == HEADLINES


def test_long_first_sentences_are_cut_at_a_word_with_an_ellipsis():
    for article in seed_site().articles:
        assert 0 < len(article.headline) <= 120
        if article.headline.endswith("…"):
            assert len(article.headline) <= 110
            assert not article.headline[:-1].endswith((" ", ","))


def test_deks_are_the_first_one_or_two_sentences():
    articles = by_file(seed_site())
    assert articles["000_6ce33291c848d3e1.txt"].dek == (
        "Donald Trump heeft een nieuw hoofdstuk toegevoegd aan zijn omstreden relatie met "
        "Rusland. Volgens overheidsbronnen deelde de Amerikaanse president staatsgeheimen met "
        "de Russische minister van Buitenlandse Zaken Sergej Lavrov."
    )
    # Two sentences would be over 300 characters: the first one alone.
    assert articles["002_f80c548452cfc866.txt"].dek == (
        "Na hun ontmoeting eerder deze week in Helsinki wil de Amerikaanse president Donald "
        "Trump graag snel opnieuw samenzitten met zijn Russische collega Vladimir Poetin."
    )
    assert articles["003_0bcac9150e38803d.txt"].dek.endswith(
        "Hij heeft Vladimir Poetin er persoonlijk naar gevraagd."
    )


def test_no_scrape_leftovers_in_headlines_deks_or_text():
    for article in seed_site().articles:
        for text in (article.headline, article.dek, article.text):
            assert "Volledig scherm" not in text
            assert "©" not in text
            assert ",," not in text
            assert not any(line.startswith("Quote ") for line in text.splitlines())


def test_seeds_are_grouped_into_three_events_by_month_oldest_first():
    site = seed_site()
    assert [(e.key, len(e.articles)) for e in site.events] == [
        ("2017-05", 2),
        ("2017-07", 1),
        ("2018-07", 2),
    ]
    assert [a.date for a in site.articles] == sorted(a.date for a in site.articles)
    assert site.events[0].date == PartialDate(2017, 5)


def test_automatic_event_names_say_what_sets_each_month_apart():
    names = {e.key: e.name for e in seed_site().events}
    assert all(e.automatic_name for e in seed_site().events)
    assert names == {
        "2017-05": "Sergej Lavrov en Islamitische Staat",
        "2017-07": "G20 en Hamburg",
        "2018-07": "Helsinki en Vladimir Poetin",
    }


def test_configured_event_names_win():
    config = load_config(SEEDS)
    site = seed_site(config)
    assert [(e.name, e.automatic_name) for e in site.events] == [
        ("Trump deelt staatsgeheimen met Lavrov", False),
        ("G20-top in Hamburg", False),
        ("Topontmoeting in Helsinki", False),
    ]
    assert config.title == "Trump en Rusland"
    assert config.language == "nl"


@pytest.mark.parametrize("name", sorted(HEADLINES))
def test_each_seed_keeps_its_sub_headings(name: str):
    article = by_file(seed_site())[name]
    expected = {
        "000_6ce33291c848d3e1.txt": ["Staatsgeheimen", "Pijnlijke timing"],
        "001_5883c073d3e69394.txt": ["Hezbollah", "'Zeer, zeer succesvol'"],
        "002_f80c548452cfc866.txt": ["Ontkenning", "Groot succes"],
        "003_0bcac9150e38803d.txt": ["Hete aardappel", "Kernwapens", "Duitsland"],
        "004_e5491d042b67adbc.txt": ["Dom", "Chaos stichten"],
    }[name]
    html = str(article.body_html)
    assert [part.split("</h2>")[0] for part in html.split("<h2>")[1:]] == expected
