"""Edits to articles' texts in `serve`: patched in place (patch.py), and the site is
byte for byte what a clean build of the same sources makes."""

from __future__ import annotations

import dataclasses
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator import patch, render, search
from generator.build import build
from generator.config import Config, default_theme, load_config
from generator.crossref import EarlierChoices
from generator.errors import Severity
from generator.i18n import Translator
from generator.incremental import BuildState
from generator.load import load_documents, load_file
from generator.model import Site, build_site
from generator.patch import (
    Added,
    PatchedSite,
    added_site,
    article_edits,
    patched_site,
    source_changes,
)
from generator.report import BuildReport
from generator.search import SearchIndex, article_number
from generator.write import MANIFEST, patch_output, read_tree

from .conftest import REPO, SEEDS
from .sitefiles import snapshot
from .test_incremental import append, remove, replace, write

BODY = "002_f80c548452cfc866.txt"  # a seed article; text appended ends up in its body


class Serving:
    """Builds as `serve` does: one state kept in memory from build to build."""

    def __init__(self, source: Path, out: Path, **settings: object) -> None:
        self.source = source
        self.config = dataclasses.replace(load_config(source, out=out), **settings)
        self.state = BuildState(keep_last=True)

    def build(self) -> BuildReport:
        kept = self.state.last
        report = build(self.config, default_theme(), self.state)
        # Patched: the site model kept from the last build was used, not built again.
        self.patched = kept is not None and self.state.last is kept
        assert report.patched == self.patched  # what serve and the benchmark go by
        return report


def clean_build(config: Config, out: Path) -> Path:
    build(dataclasses.replace(config, out=out))
    return out


def manifest_files(site: Path) -> dict[str, str]:
    return json.loads((site / MANIFEST).read_text(encoding="utf-8"))["files"]


def assert_same_site(site: Path, clean: Path) -> None:
    assert snapshot(site) == snapshot(clean)
    assert manifest_files(site) == manifest_files(clean)


Changes = list[tuple[str, Callable[[Path], None]]]


def assert_patched_or_built_in_full(
    serving: Serving, tmp_path: Path, patched: Changes, in_full: Changes, rendered: int
) -> None:
    """Each of the changes `patched` made live by a patch that renders at least
    `rendered` pages, then each of `in_full` by a full build; after each the site is a
    clean build's."""
    for number, (what, change) in enumerate(patched):
        change(serving.source)
        report = serving.build()
        assert serving.patched, what
        assert report.rendered >= rendered, what
        assert_same_site(serving.config.out, clean_build(serving.config, tmp_path / f"c{number}"))
    for number, (what, change) in enumerate(in_full):
        change(serving.source)
        serving.build()
        assert not serving.patched, what
        assert_same_site(serving.config.out, clean_build(serving.config, tmp_path / f"f{number}"))


@pytest.fixture
def serving(tmp_path: Path) -> Serving:
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    return Serving(source, tmp_path / "site")


TEXT_EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("a paragraph at the end", append(BODY, "\n\nen dat was nog niet alles.")),
    ("a word that no article had", append(BODY, "\n\nhet woord xylofoonachtig is nieuw.")),
    ("that word taken out again", replace(BODY, "het woord xylofoonachtig is nieuw.", "klaar.")),
    ("a word in mid-sentence", replace("003_0bcac9150e38803d.txt", "twee uur", "drie uur")),
]


def test_an_edit_to_a_text_renders_one_page_and_equals_a_clean_build(serving, tmp_path):
    serving.build()
    for number, (what, edit) in enumerate(TEXT_EDITS):
        edit(serving.source)
        report = serving.build()
        assert serving.patched and report.rendered == 1, what  # only the article's page
        assert report.written is not None and report.written.changed >= 1, what
        clean = clean_build(serving.config, tmp_path / f"clean{number}")
        assert_same_site(serving.config.out, clean)


def test_the_patched_page_shows_the_new_text_and_search_finds_its_new_word(serving):
    serving.build()
    append(BODY, "\n\nhet woord xylofoonachtig is nieuw.")(serving.source)
    serving.build()
    site = serving.config.out
    pages = [p for p in site.rglob("index.html") if "xylofoonachtig" in p.read_text()]
    assert len(pages) == 1
    index = json.loads((site / "search/index.json").read_text())
    shard = json.loads((site / "search" / index["shards"][""]).read_text())
    assert "xylofoonachtig" in shard["t"]


# Two articles on one day and one numbered after the second (`nieuws-uit-den-haag-2`).
DAY_ARTICLES = [
    write("a.md", "Title: Berichten uit Brussel\nDate: 2019-01-05\n\nDe Commissie vergaderde."),
    write("b.md", "Title: Nieuws uit Den Haag\nDate: 2019-01-05\n\nHet kabinet vergaderde."),
    write("c.md", "Title: Nieuws uit Den Haag\nDate: 2019-02-01\n\nWeer vergaderd."),
]

OWN_FIELD_EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("a headline, and its slug", replace("a.md", "uit Brussel", "uit Straatsburg")),
    ("a slug of its own", replace("a.md", "Straatsburg\n", "Straatsburg\nSlug: europa\n")),
    ("a headline under a slug of its own", replace("a.md", "Straatsburg", "Luxemburg")),
    ("a seed article's lead (headline, dek)", replace("000_6ce33291c848d3e1.txt", "heeft", "had")),
]


@pytest.mark.parametrize("page_size, table_rows", [(100, search.TABLE_ROWS), (1, 2)])
def test_an_edit_to_a_headline_dek_or_slug_is_patched_and_equals_a_clean_build(
    serving, tmp_path, monkeypatch, page_size, table_rows
):
    monkeypatch.setattr(render, "PAGE_SIZE", page_size)  # 1: a page per card in each list
    monkeypatch.setattr(search, "TABLE_ROWS", table_rows)  # 2: the search table in 4 parts
    for add in DAY_ARTICLES:
        add(serving.source)
    serving.build()
    old_page = serving.config.out / "2019/01/berichten-uit-brussel/index.html"
    assert old_page.is_file()
    for number, (what, edit) in enumerate(OWN_FIELD_EDITS):
        edit(serving.source)
        report = serving.build()
        assert serving.patched, what
        assert report.rendered > 1, what  # its page and the pages that show its card
        clean = clean_build(serving.config, tmp_path / f"clean{number}")
        assert_same_site(serving.config.out, clean)
    assert not old_page.exists() and not old_page.parent.exists()
    page = (serving.config.out / "2019/01/europa/index.html").read_text(encoding="utf-8")
    assert "Berichten uit Luxemburg" in page
    # and a text edit after them is patched as before, with one page rendered
    append(BODY, "\n\nen nog iets.")(serving.source)
    assert serving.build().rendered == 1 and serving.patched


def test_edits_that_change_more_than_the_pages_showing_an_article_build_in_full(serving, tmp_path):
    for add in DAY_ARTICLES:
        add(serving.source)
    serving.build()
    edits = [
        ("a headline that moves it within its day", replace("a.md", "Berichten", "Verslag")),
        (
            "a slug another article has",
            replace("a.md", "Date:", "Slug: nieuws-uit-den-haag\nDate:"),
        ),
        ("the headline of an article numbered", replace("c.md", "Den Haag", "Rotterdam")),
        ("a slug another was numbered after", replace("b.md", "Title: Nieuws", "Title: Bericht")),
    ]
    for number, (what, edit) in enumerate(edits):
        edit(serving.source)
        serving.build()
        assert not serving.patched, what
        clean = clean_build(serving.config, tmp_path / f"clean{number}")
        assert_same_site(serving.config.out, clean)
    # and a text edit after a full rebuild is patched again
    append(BODY, "\n\nen nog iets.")(serving.source)
    serving.build()
    assert serving.patched
    assert_same_site(serving.config.out, clean_build(serving.config, tmp_path / "last"))


def test_the_feeds_carry_the_edited_text(tmp_path: Path):
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    serving = Serving(source, tmp_path / "site", base_url="https://example.org/tijdlijn/")
    serving.build()
    newest = "004_e5491d042b67adbc.txt"  # July 2018: in the feeds
    append(newest, "\n\nen dat stond nog niet in de feed.")(source)
    serving.build()
    assert serving.patched
    assert "stond nog niet in de feed" in (serving.config.out / "feed.json").read_text()
    assert_same_site(serving.config.out, clean_build(serving.config, tmp_path / "clean"))


def test_the_feeds_and_the_sitemap_follow_an_edited_headline(tmp_path: Path):
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    serving = Serving(source, tmp_path / "site", base_url="https://example.org/tijdlijn/")
    serving.build()
    replace("000_6ce33291c848d3e1.txt", "Donald Trump heeft", "Donald Trump had")(source)
    serving.build()
    assert serving.patched
    sitemap = (serving.config.out / "sitemap.xml").read_text(encoding="utf-8")
    assert "/donald-trump-had-een-" in sitemap and "/donald-trump-heeft-een-" not in sitemap
    assert "Donald Trump had een" in (serving.config.out / "feed.json").read_text()
    assert_same_site(serving.config.out, clean_build(serving.config, tmp_path / "clean"))


def test_headlines_of_two_articles_edited_at_once_build_in_full(serving, tmp_path):
    """Each is checked against the others as they were (their places, their slugs)."""
    serving.build()
    replace("000_6ce33291c848d3e1.txt", "Donald Trump heeft", "Donald Trump had")(serving.source)
    replace("003_0bcac9150e38803d.txt", "gelooft niet", "denkt niet")(serving.source)
    serving.build()
    assert not serving.patched
    assert_same_site(serving.config.out, clean_build(serving.config, tmp_path / "clean"))


def test_a_text_edit_with_strict_and_a_problem_is_not_written(serving):
    serving.config = dataclasses.replace(serving.config, strict=True)
    serving.build()
    before = snapshot(serving.config.out)
    with (serving.source / BODY).open("ab") as file:
        file.write(b"\n\nnog een caf\xe9.")  # Windows-1252, not UTF-8: a warning
    report = serving.build()
    assert report.written is None and report.problems
    assert snapshot(serving.config.out) == before


def test_a_site_changed_by_someone_else_is_built_in_full(serving, tmp_path):
    serving.build()
    shutil.rmtree(serving.config.out)
    append(BODY, "\n\nen dat was nog niet alles.")(serving.source)
    serving.build()
    assert not serving.patched
    assert_same_site(serving.config.out, clean_build(serving.config, tmp_path / "clean"))


def test_the_patched_model_is_the_model_a_full_build_makes(tmp_path: Path):
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    config = load_config(source)
    cache: dict = {}
    before_documents, _ = load_documents(source, cache)
    site, _ = build_site(before_documents, config)
    before = dict(cache)
    for _, edit in [*TEXT_EDITS[:2], OWN_FIELD_EDITS[-1]]:  # a text, and a headline
        edit(source)
    after_documents, _ = load_documents(source, cache)
    edits = article_edits(before, cache)
    assert edits is not None and len(edits) == 2
    result = patched_site(site, edits)
    assert result is not None
    patched, pairs, _ = result
    rebuilt, _ = build_site(after_documents, config)
    assert patched == rebuilt and [new for _, new in pairs] != [old for old, _ in pairs]
    for article in rebuilt.articles:  # and what pages look up, which equality leaves out
        assert patched.event_of(article) == rebuilt.event_of(article)
        assert patched.place_in_event(article) == rebuilt.place_in_event(article)
        assert patched.names_with_pages(article) == rebuilt.names_with_pages(article)
        assert patched.related(article) == rebuilt.related(article)


# --- an edit to an article's names -----------------------------------------------------------

NAME_EDITS: Changes = [
    ("someone no article names", append(BODY, "\n\nDe president belde met Zelensky.")),
    ("a name with a page it did not name", append(BODY, "\n\nZe sprak met Sergej Lavrov.")),
    ("a name it names, more often", append(BODY, "\n\nWashington, Washington, Washington.")),
    ("that name taken out again", replace(BODY, "Ze sprak met Sergej Lavrov.", "Klaar.")),
    ("the name of its month (2019-01, named by its names)", append("a.md", "\n\nMet Ursula Kok.")),
    # the same words to search for: only index.json's list of events changes
    ("that name no longer one, its month named back", replace("a.md", "Ursula Kok", "ursula kok")),
]

# Each changes more than the article's own names: built in full.
NAME_EDITS_IN_FULL: Changes = [
    ("a name that gets a page (two articles)", append(BODY, "\n\nDermer zweeg, met Dermer.")),
    ("a short form no longer one name's", append(BODY, "\n\nOok met Gerrit Trump.")),
    ("a word that becomes a name elsewhere", append(BODY, "\n\nDat zei Dermer, met Kislyak.")),
]


@pytest.mark.parametrize("page_size, base_url", [(100, ""), (1, "https://example.org/tijdlijn/")])
def test_an_edit_to_an_article_s_names_is_patched_and_equals_a_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page_size: int, base_url: str
):
    """An author adds a sentence quoting someone: the article's names change, and with
    them its page, the lists of the names it came into or left (a page more or less of
    them, with one card a page), the index of names that counts them, the related lists
    that show what it shares, and the sitemap.  Patched, the site is a clean build's."""
    monkeypatch.setattr(render, "PAGE_SIZE", page_size)
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    serving = Serving(source, tmp_path / "site", base_url=base_url)
    for add in DAY_ARTICLES:  # 2019: months named by what their articles name
        add(source)
    serving.build()
    assert_patched_or_built_in_full(serving, tmp_path, NAME_EDITS, NAME_EDITS_IN_FULL, 1)


def test_a_new_name_changes_only_the_article_s_page(serving, tmp_path):
    """Someone no other article names gets no page: nothing else shows the change (the
    article's search entry aside)."""
    serving.build()
    append(BODY, "\n\nDe president belde met Zelensky.")(serving.source)
    report = serving.build()
    assert serving.patched and report.rendered == 1
    assert_same_site(serving.config.out, clean_build(serving.config, tmp_path / "clean"))


NAMED_SENTENCES = [
    "De president belde met Zelensky.",
    "Ze sprak met Sergej Lavrov.",
    "Volgens Lavrov klopt dat.",
    "Daarna zweeg Hillary Clinton.",
    "Ook met Gerrit Trump.",
    "Washington en Moskou zwegen, aldus Dermer.",
    "Trumps woorden vielen slecht.",
]


class KeptSeeds(NamedTuple):
    source: Path  # a copy of the seeds
    config: Config
    cache: dict  # the sources as last loaded
    site: Site  # the model as `serve` keeps it
    earlier: EarlierChoices  # every article's related articles
    before: dict  # the sources as the model was made from them


@contextmanager
def seeds_as_serve_keeps_them() -> Iterator[KeptSeeds]:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(shutil.copytree(SEEDS, Path(folder) / "src"))
        config = load_config(source)
        cache: dict = {}
        documents, _ = load_documents(source, cache)
        site, _ = build_site(documents, config, keep_names=True)
        related = site._related
        assert related is not None
        earlier = related.remember({i: related.choose(i) for i in range(len(site.articles))})
        assert earlier is not None
        yield KeptSeeds(source, config, cache, site, earlier, dict(cache))


def assert_the_model_a_full_build_makes(kept: KeptSeeds, result: PatchedSite) -> None:
    """The patched site is the one a full build makes of the sources as they are now, and
    so is what pages look up in it (names with a page, related articles, the events'
    names); every related list that changed is among those the patch renders again."""
    documents, _ = load_documents(kept.source, kept.cache)
    patched = result.site
    rebuilt, _ = build_site(documents, kept.config, keep_names=True)
    assert patched == rebuilt
    before = {article.location: article for article in kept.site.articles}
    for number, article in enumerate(rebuilt.articles):
        assert patched.names_with_pages(article) == rebuilt.names_with_pages(article)
        assert patched.related(article) == rebuilt.related(article)
        was = before.get(article.location)  # (an article added: its page is made)
        if was is not None and kept.site.related(was) != rebuilt.related(article):
            assert number in result.relisted
    names = patched._name_model
    assert names is not None
    assert names.event_names(patched.events) == [event.name for event in rebuilt.events]


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(["000_6ce33291c848d3e1.txt", BODY, "004_e5491d042b67adbc.txt"]),
    sentences=st.lists(st.sampled_from(NAMED_SENTENCES), min_size=1, max_size=3, unique=True),
)
def test_a_patched_names_edit_is_the_model_a_full_build_makes(name: str, sentences: list[str]):
    """Where a names edit is patched, the model is the one a full build makes of the
    sources as they are now (see `assert_the_model_a_full_build_makes`)."""
    with seeds_as_serve_keeps_them() as kept:
        append(name, "".join(f"\n\n{sentence}" for sentence in sentences))(kept.source)
        load_documents(kept.source, kept.cache)
        edits = article_edits(kept.before, kept.cache)
        assert edits is not None and len(edits) == 1
        result = patched_site(kept.site, edits, kept.earlier)
        if result is None:
            return  # refused: built in full (the serve tests above check those sites)
        assert_the_model_a_full_build_makes(kept, result)


@settings(max_examples=8, deadline=None)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["000_6ce33291c848d3e1.txt", BODY, "004_e5491d042b67adbc.txt"]),
            st.sampled_from(NAMED_SENTENCES),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_edits_to_names_in_serve_build_what_a_clean_build_does(steps):
    """Sentences that name people come and go, one article at a time: each patched (or
    built in full, where the patch refuses) site is a clean build's."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = Path(shutil.copytree(SEEDS, root / "src"))
        serving = Serving(source, root / "site")
        serving.build()
        for number, (name, sentence) in enumerate(steps):
            path = source / name
            text = path.read_text(encoding="utf-8")
            if f"\n\n{sentence}" in text:
                path.write_text(text.replace(f"\n\n{sentence}", "", 1), encoding="utf-8")
            else:
                path.write_text(f"{text}\n\n{sentence}", encoding="utf-8")
            serving.build()
            clean = clean_build(serving.config, root / f"clean{number}")
            assert_same_site(serving.config.out, clean)


# --- an article added: most often a newsroom's latest ---------------------------------------

ADDITIONS: Changes = [
    (
        "in the last month, naming names with a page",
        write("z1.txt", " date 2019-02-20 Donald Trump belt met Vladimir Poetin. Lavrov zwijgt."),
    ),
    (
        "in a month of its own, naming someone new",
        write(
            "z2.md", "Title: Een nieuw gesprek\nDate: 2019-04\n\nUrsula Kok sprak in Straatsburg."
        ),
    ),
    (
        "in a month its header names",
        write(
            "z3.md",
            "Title: Top in Genève\nDate: 2019-06-02\nEvent: De top van Genève\n\n"
            "Trump en Poetin spraken in Genève.",
        ),
    ),
    (
        "on the same day, its headline sorting last",
        write("z4.md", "Title: Top in Genève, dag twee\nDate: 2019-06-02\n\nWeer een dag."),
    ),
    ("known only to the year", write("z5.txt", " date 2020 Een jaar later sprak Trump opnieuw.")),
    ("before the last, in its month", write("y1.txt", " date 2019-06-01 Trump reist af.")),
    (
        "in the middle of a month, on a day of others, naming names",
        write("y2.txt", " date 2019-01-05 Aan Donald Trump werd gevraagd of Lavrov komt."),
    ),
    (
        "in a month of its own between others (a new event, every later one renumbered)",
        write("y3.txt", " date 2018-01-10 Vladimir Poetin wint opnieuw."),
    ),
    ("before every other", write("y4.txt", " date 2016-11 Trump wint de verkiezingen.")),
    (
        "with a header that comes before the one naming its month",
        write("y5.md", "Title: Aankomst\nDate: 2019-06-01\nEvent: Genève\n\nZe komen aan."),
    ),
    (
        "a header naming a month, until now named by its names",
        write("y6.md", "Title: Nog een\nDate: 2018-07-30\nEvent: Helsinki\n\nTekst."),
    ),
]

# Each changes more than an added article's own pages and lists: built in full.
ADDITIONS_IN_FULL: Changes = [
    (
        "a slug another article has (numbered)",
        write("x2.md", "Title: Nieuws uit Den Haag\nDate: 2021-01\n\nTekst."),
    ),
    (
        "a slug a later article has (which a full build numbers)",
        write("x3.md", "Title: Berichten uit Brussel\nDate: 2016-01\n\nTekst."),
    ),
    ("a name that gets a page (two articles)", write("x4.txt", " date 2021-02 Ursula Kok zwijgt.")),
]


@pytest.mark.parametrize(
    "page_size, base_url, timeline_cards",
    [(100, "", render.TIMELINE_CARDS), (1, "https://example.org/tijdlijn/", 5)],
)
def test_an_article_added_after_every_other_is_patched_and_equals_a_clean_build(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    page_size: int,
    base_url: str,
    timeline_cards: int,
):
    """A newsroom adds the latest article on a story: its page, its neighbour's link to
    it, its event's pages (a new event's, or the last one's, perhaps named anew), the
    timeline, the lists of its names and the index that counts them, the related lists
    that may show it, the feeds, the sitemap and the search index.  With a timeline of
    5 cards, a sixth event leaves no card of any event on it, so every article page links
    to its card elsewhere now.  Patched, the site is a clean build's."""
    monkeypatch.setattr(render, "PAGE_SIZE", page_size)
    monkeypatch.setattr(render, "TIMELINE_CARDS", timeline_cards)
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    serving = Serving(source, tmp_path / "site", base_url=base_url)
    for add in DAY_ARTICLES:
        add(source)
    serving.build()
    # its page, its neighbour's and its event's at least
    assert_patched_or_built_in_full(serving, tmp_path, ADDITIONS, ADDITIONS_IN_FULL, 3)


@pytest.mark.parametrize("order", ["oldest", "newest"])
def test_an_article_removed_is_patched_and_equals_a_clean_build(tmp_path: Path, order: str):
    """The inverse of an addition: the article's page, and its event's when it was the
    event's only one, are gone; its neighbours, its event, the lists of its names, the
    timeline and the search index are made again.  Built in full: an article whose slug
    was numbered (the build's warning of it goes with it), one whose slug another was
    numbered after (that one's slug changes), and one without which other articles'
    names are found otherwise."""
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    serving = Serving(source, tmp_path / "site", order=order)
    for add in DAY_ARTICLES:
        add(source)
    write("h.md", "Title: Top\nDate: 2018-07-20\nEvent: De top in Helsinki\n\nTrump zwijgt.")(
        source
    )
    write("nummer.md", "Title: Berichten uit Brussel\nDate: 2018-01\n\nTekst.")(source)
    write("m.txt", " date 2018-01-10 Donald Trump en Vladimir Poetin in Rusland.")(source)
    write("f.txt", " date 2016-03-01 Een bericht, eerder dan alle andere.")(source)
    serving.build()
    steps = [
        ("its slug another was numbered after", remove("b.md"), False),
        ("alone in its month (its slug no longer numbered)", remove("c.md"), True),
        (
            "added last",
            write("z.md", "Title: Nieuw\nDate: 2019-03-02\n\nZe sprak met Lavrov."),
            True,
        ),
        ("removed again", remove("z.md"), True),
        ("one in the middle, naming names", remove("m.txt"), True),
        ("the only one to name Sergej Lavrov in full", remove("000_6ce33291c848d3e1.txt"), False),
        ("the one whose header names its month", remove("h.md"), True),
        ("the first, alone in its month", remove("f.txt"), True),
        ("numbered (berichten-uit-brussel-2)", remove("a.md"), False),
    ]
    for number, (what, change, patched) in enumerate(steps):
        change(source)
        report = serving.build()
        assert serving.patched == patched, what
        clean = build(dataclasses.replace(serving.config, out=tmp_path / f"c{number}"))
        assert report.problems == clean.problems, what  # (no warning of a slug left over)
        assert_same_site(serving.config.out, tmp_path / f"c{number}")
    for gone in ["2019/02", "2019/03", "2016/03"]:
        assert not (serving.config.out / gone).exists(), gone


@pytest.mark.parametrize("order, page_size", [("oldest", 100), ("newest", 1)])
def test_an_article_moved_to_another_date_is_patched_and_equals_a_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, order: str, page_size: int
):
    """A date corrected: the article is taken out where it was and put in where it is
    now, in one patch (its page moves with its month; its old event and neighbours, and
    its new ones, are made again).  Its header's event, too.  Built in full: a move after
    which a name gets a page (the second step refuses, and the first is not kept)."""
    monkeypatch.setattr(render, "PAGE_SIZE", page_size)
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    serving = Serving(source, tmp_path / "site", order=order)
    for add in DAY_ARTICLES:
        add(source)
    write("m.txt", " date 2018-01-10 Donald Trump en Vladimir Poetin in Rusland.")(source)
    serving.build()
    moves: Changes = [
        ("to another month, naming names", replace("m.txt", "2018-01-10", "2019-01-06")),
        ("within its month, to a day of others", replace("m.txt", "2019-01-06", "2019-01-05")),
        ("before every other, a month of its own", replace("m.txt", "2019-01-05", "2016-02")),
        ("a header naming its month", replace("a.md", "Date:", "Event: Brussel\nDate:")),
        ("back after every other", replace("m.txt", "2016-02", "2019-03-01")),
    ]
    write("k.txt", " date 2017-06 Ursula Kok in Brussel.")(source)
    serving.build()
    assert_patched_or_built_in_full(serving, tmp_path, moves, [], 3)
    assert not (serving.config.out / "2018/01").exists()
    assert not (serving.config.out / "2016/02").exists()
    # moved, and naming Ursula Kok, who gets a page: the second step refuses
    replace("a.md", "Date: 2019-01-05", "Date: 2019-01-06")(source)
    replace("a.md", "Commissie", "Commissie van Ursula Kok")(source)
    refused = []

    def adding(site: Site, loaded, earlier):  # (the removal before it was worked out)
        result = added_site(site, loaded, earlier)
        refused.append(result is None)
        return result

    monkeypatch.setattr(patch, "added_site", adding)
    serving.build()
    assert refused == [True] and not serving.patched
    assert_same_site(serving.config.out, clean_build(serving.config, tmp_path / "full"))


def test_an_added_article_is_found_by_search_and_linked_from_its_neighbour(serving):
    serving.build()
    write("zz.txt", " date 2019-03 Het woord xylofoonachtig staat in een nieuw bericht.")(
        serving.source
    )
    serving.build()
    assert serving.patched
    site = serving.config.out
    page = next(p for p in (site / "2019/03").rglob("index.html") if p.parent.name != "03")
    slug = page.parent.name
    linked = [
        p for p in (site / "2018/07").glob("*/index.html") if f"2019/03/{slug}/" in p.read_text()
    ]
    assert linked  # the one before it now links to it
    index = json.loads((site / "search/index.json").read_text())
    assert index["articles"] == 6
    shard = json.loads((site / "search" / index["shards"][""]).read_text())
    assert search.decode_postings(shard["t"]["xylofoonachtig"]) == [5]  # the last number


def test_an_article_added_to_a_timeline_newest_first_is_patched(tmp_path: Path):
    """Search numbers articles in the timeline's default order: newest first, the new one
    is number 0 and every other's number moves up, in every shard and part of the table."""
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    serving = Serving(source, tmp_path / "site", order="newest")
    for add in DAY_ARTICLES:
        add(source)
    serving.build()
    assert_patched_or_built_in_full(serving, tmp_path, ADDITIONS, ADDITIONS_IN_FULL, 3)


@settings(max_examples=40, deadline=None)
@given(
    date=st.sampled_from(["2018-07-30", "2018-07", "2018-08", "2018-08-15", "2019", "2017-06"]),
    sentences=st.lists(st.sampled_from(NAMED_SENTENCES), max_size=3, unique=True),
    event=st.booleans(),
)
def test_a_patched_addition_is_the_model_a_full_build_makes(
    date: str, sentences: list[str], event: bool
):
    """Where an added article is patched, the model is the one a full build makes of the
    sources as they are now (see `assert_the_model_a_full_build_makes`)."""
    with seeds_as_serve_keeps_them() as kept:
        header = "Event: Een nieuwe maand\n" if event else ""
        body = "".join(f"\n\n{sentence}" for sentence in sentences)
        text = f"Title: Het laatste nieuws\nDate: {date}\n{header}\nEen bericht.{body}"
        (kept.source / "zz.md").write_text(text, encoding="utf-8")
        load_documents(kept.source, kept.cache)
        change = source_changes(kept.before, kept.cache)
        assert isinstance(change, Added)
        result = added_site(kept.site, change.loaded, kept.earlier)
        if result is None:
            return  # refused: built in full (the serve tests above check those sites)
        assert_the_model_a_full_build_makes(kept, result)


def quoting_archive(tmp_path: Path) -> tuple[Serving, list[tuple[int, str]]]:
    """A generated archive of 300 articles quoting a long tail of 150 people, built as
    `serve` builds it; and its names with a page, by how many articles name them."""
    corpus = tmp_path / "corpus"
    make = [sys.executable, REPO / "bench/make_corpus.py", "--n", "300", "--out", corpus]
    subprocess.run([*make, "--people", "150"], check=True, capture_output=True)
    serving = Serving(corpus, tmp_path / "site")
    serving.build()
    kept = serving.state.last
    assert kept is not None
    return serving, sorted((len(entry.articles), entry.name) for entry in kept.site.names)


def each_a_clean_build(
    serving: Serving, tmp_path: Path, changes: list[Callable[[Path], None]]
) -> list[bool]:
    """Make each change, build as `serve` does, and check the site is a clean build's;
    returns which were patched."""
    patched = []
    for number, change in enumerate(changes):
        change(serving.source)
        serving.build()
        patched.append(serving.patched)
        assert_same_site(serving.config.out, clean_build(serving.config, tmp_path / f"c{number}"))
    return patched


DATES = ["2016-12", "2017-05-20", "2017-07", "2018-01-10", "2018-07-30", "2019-01-10", "2019-02"]


@settings(max_examples=20, deadline=None)
@given(
    steps=st.lists(
        st.one_of(
            st.tuples(st.just("add"), st.sampled_from(NAMED_SENTENCES), st.sampled_from(DATES)),
            st.tuples(st.just("remove"), st.just(""), st.integers(0, 4)),
            st.tuples(st.just("move"), st.sampled_from(DATES), st.integers(0, 4)),
            st.tuples(
                st.sampled_from(["000_6ce33291c848d3e1.txt", BODY, "added-0.txt"]),
                st.sampled_from([*NAMED_SENTENCES, "Een zin zonder namen."]),
                st.just(0),
            ),
        ),
        min_size=2,
        max_size=5,
    )
)
def test_articles_added_edited_and_removed_in_turn_in_serve_build_what_a_clean_build_does(
    steps,
):
    """Articles added on any day, edited, moved to another day, and removed again: each
    patch starts from what the one before left (the model, its names, the related
    choices, the search index), and each site is a clean build's."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = Path(shutil.copytree(SEEDS, root / "src"))
        serving = Serving(source, root / "site")
        serving.build()
        added: list[Path] = []
        for number, (what, sentence, which) in enumerate(steps):
            if what == "add":
                path = source / f"added-{number}.txt"
                path.write_text(f" date {which} {sentence} Meer weten we niet.\n")
                added.append(path)
            elif what == "remove":
                if not added:
                    continue
                added.pop(which % len(added)).unlink()
            elif what == "move":  # (`sentence`: the date it moves to)
                if not added:
                    continue
                path = added[which % len(added)]
                text = path.read_text(encoding="utf-8")
                path.write_text(f" date {sentence} {text.split(' ', 3)[3]}", encoding="utf-8")
            elif (source / what).exists():
                text = (source / what).read_text(encoding="utf-8")
                (source / what).write_text(f"{text}\n\n{sentence}", encoding="utf-8")
            serving.build()
            clean = clean_build(serving.config, root / f"clean{number}")
            assert_same_site(serving.config.out, clean)


@pytest.mark.slow
def test_articles_added_to_a_generated_archive_equal_clean_builds(tmp_path: Path, monkeypatch):
    """The latest articles added one by one to a generated archive that quotes many
    people (lists of several pages, a timeline that shows some cards of each event,
    related articles, common names, a search index from a worker): each patched (or built
    in full where the patch refuses), and the site a clean build's."""
    monkeypatch.setenv("TIJDLIJN_WORKERS", "2")
    monkeypatch.setattr(render, "PAGE_SIZE", 5)
    monkeypatch.setattr(render, "TIMELINE_CARDS", 60)
    serving, by_count = quoting_archive(tmp_path)
    corpus = serving.source
    quoted = [by_count[-1][1], by_count[len(by_count) // 2][1], "Marieke Jansen"]
    additions = [
        *(
            write(f"nieuw-{day}.txt", f" date 2025-01-{day:02d} Volgens {name} nu wel.")
            for day, name in enumerate(quoted, 1)
        ),
        write("nieuw-4.txt", " date 2025-02 Een nieuwe maand, zonder namen."),
    ]
    patched = each_a_clean_build(serving, tmp_path, additions)
    for day in range(1, 4):  # as the benchmark adds them (`serve_edit.py --kind newest`)
        lead = f"Donald Trump en Vladimir Poetin spreken opnieuw (n{day}). Het gesprek duurt uren."
        write(f"laatste-{day}.txt", f" date 2025-03-{day:02d} {lead}")(corpus)
        serving.build()
        patched.append(serving.patched)
    assert_same_site(serving.config.out, clean_build(serving.config, tmp_path / "last"))
    assert sum(patched) >= 5, patched


# --- the writer's part ----------------------------------------------------------------------


def test_patch_output_never_takes_the_place_of_someone_elses_file(serving):
    serving.build()
    out = serving.config.out
    (out / "notes.txt").write_text("mine")
    assert patch_output(out, [("notes.txt", b"ours")], []) is None
    assert (out / "notes.txt").read_text() == "mine"
    assert "notes.txt" not in manifest_files(out)


def test_patch_output_refuses_a_site_that_is_not_the_one_it_was_told_of(serving):
    serving.build()
    out = serving.config.out
    before = snapshot(out)
    assert patch_output(out, [("robots.txt", b"new")], ["search/gone-already.json"]) is None
    assert snapshot(out) == before


def test_patch_output_lists_new_files_and_forgets_removed_ones(serving):
    serving.build()
    out = serving.config.out
    patched = patch_output(out, [("search/extra.json", b"{}")], ["robots.txt"])
    assert patched is not None
    report, tree = patched
    assert (out / "search/extra.json").read_bytes() == b"{}"
    assert not (out / "robots.txt").exists()
    files = manifest_files(out)
    assert "search/extra.json" in files and "robots.txt" not in files
    assert (report.changed, report.removed) == (1, 1)
    assert read_tree(out, known=tree) is tree  # unchanged since: not read again


# --- the search index's part ----------------------------------------------------------------

VOCABULARY = [f"{a}{b}" for a in "abcdefgh" for b in "aeiou"] + ["xylofoon", "zeppelin"]
texts = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=12).map(" ".join)


def site_of(
    articles: list[tuple[str, str]],
    order: str = "newest",
    days: bool = False,
    weeks: list[int] | None = None,
):
    """A site of (headline words, body) articles, in this order: numbered headlines.
    `days`: each on a day of its own, in this order (else in three months); `weeks`:
    each in that week (four to a month)."""
    documents = []
    for number, (headline, body) in enumerate(articles):
        date = f"2017-01-{number + 1:02d}" if days else f"2017-0{number % 3 + 1}"
        if weeks is not None:
            date = f"2017-{weeks[number] // 4 + 1:02d}-{weeks[number] % 4 * 7 + 1:02d}"
        data = f"date {date}\nKop {number} {headline}.\n\n{body}\n"
        loaded, problems = load_file(Path(f"src/{number}.txt"), data.encode())
        assert not [p for p in problems if p.severity is Severity.ERROR]
        documents += loaded
    site, _ = build_site(documents, Config(order=order))
    return site


def assert_index_as_new(index: SearchIndex, files: dict[str, bytes], site: Site) -> None:
    """`files` (the index's files as last made) with the changed files written in: those
    of a new index of `site`; and the word sizes, which later edits plan shards by."""
    made, gone = index.changed_files()
    for path in gone:
        del files[path]
    files.update(made)
    fresh = SearchIndex(site, Translator("nl").date)
    assert files == dict(fresh.files())
    assert index.sizes == fresh.sizes


@settings(max_examples=60, deadline=None)
@given(
    articles=st.lists(st.tuples(texts, texts), min_size=2, max_size=8),
    new_headline=texts,
    new_body=texts,
    which=st.integers(0, 7),
)
def test_a_patched_search_index_equals_a_new_one(articles, new_headline, new_body, which):
    """An edit to an article's text, headline or both (its slug with it; its place in
    time stays: the headline starts with its number)."""
    which %= len(articles)
    before = site_of(articles)
    after = site_of([*articles[:which], (new_headline, new_body), *articles[which + 1 :]])
    date_text = Translator("nl").date
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SHARD_TARGET", 150)  # small shards: splits and merges
        index = SearchIndex(before, date_text)
        files = dict(index.files())
        old = next(a for a in before.articles if a.source_path == f"src/{which}.txt")
        new = next(a for a in after.articles if a.source_path == f"src/{which}.txt")
        index.site = after
        index.replace_article(index.number_of(new), old, new)
        assert_index_as_new(index, files, after)


@settings(max_examples=60, deadline=None)
@given(
    articles=st.lists(st.tuples(texts, texts), min_size=1, max_size=6),
    added=st.lists(st.tuples(texts, texts, st.integers(0, 35)), min_size=2, max_size=2),
    order=st.sampled_from(["oldest", "newest"]),
    table_rows=st.sampled_from([2, search.TABLE_ROWS]),
)
@example(  # a new event in June moves the numbers of July's and August's, in earlier rows
    articles=[("aa", "ae")] * 6,
    added=[("ai", "ao", 9), ("au", "ba", 22)],
    order="newest",
    table_rows=2,
)
def test_a_search_index_with_articles_added_and_removed_equals_a_new_one(
    articles, added, order, table_rows
):
    """Articles added one by one, each in its place in time (every later number one
    higher, in the postings and the article table, and the events' numbers with a new
    event), then removed again, one by one."""
    date_text = Translator("nl").date
    # in January, February, April, May, July and August (added: any week to September)
    weeks = [week * 6 + 1 for week in range(len(articles))]
    weeks += [week for _, _, week in added]
    texts_added = [(headline, body) for headline, body, _ in added]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SHARD_TARGET", 150)  # small shards: splits and merges
        patch.setattr(search, "TABLE_ROWS", table_rows)
        sites = [
            site_of([*articles, *texts_added[:count]], order, weeks=weeks) for count in (0, 1, 2)
        ]
        index = SearchIndex(sites[0], date_text)
        files = dict(index.files())
        # two added, then removed again, one by one
        for before, site in [*itertools.pairwise(sites), *itertools.pairwise(sites[::-1])]:
            index.site = site
            if len(site.articles) > len(before.articles):
                new = next(a for a in site.articles if a.slug not in before._position)
                index.add_article(new)
            else:
                old = next(a for a in before.articles if a.slug not in site._position)
                index.remove_article(article_number(before, before.index_of(old)), old)
            assert_index_as_new(index, files, site)


@pytest.mark.slow
def test_edits_on_a_site_built_by_worker_processes(tmp_path: Path, monkeypatch):
    """A site large enough for paginated lists, a timeline that shows some of its cards,
    and related articles; the search index comes from a worker."""
    monkeypatch.setenv("TIJDLIJN_WORKERS", "2")
    corpus = tmp_path / "corpus"
    subprocess.run(
        [sys.executable, REPO / "bench/make_corpus.py", "--n", "450", "--out", corpus],
        check=True,
        capture_output=True,
    )
    serving = Serving(corpus, tmp_path / "site")
    serving.build()
    names = sorted(p.name for p in corpus.glob("*.txt"))
    edits = [
        *(append(names[200], f" Dit bericht is later bijgewerkt, xylofoon{n}.") for n in (1, 2)),
        # the lead's first sentence, where the headline comes from
        *(replace(names[n], ". ", " (bijgewerkt). ") for n in (0, 200, 449)),
    ]
    for number, edit in enumerate(edits):
        edit(corpus)
        report = serving.build()
        assert serving.patched and (report.rendered == 1) == (number < 2)
        clean = clean_build(serving.config, tmp_path / f"clean{number}")
        assert_same_site(serving.config.out, clean)


@pytest.mark.slow
def test_names_edits_on_a_generated_archive_that_quotes_many_people(tmp_path: Path, monkeypatch):
    """A generated archive quoting a long tail of people (many names with a page, related
    lists that share them, months named by their names, lists of several pages): names
    edits of every kind, each patched or built in full, and the site a clean build's."""
    monkeypatch.setattr(render, "PAGE_SIZE", 5)  # lists of several pages
    serving, by_count = quoting_archive(tmp_path)
    corpus = serving.source
    files = sorted(corpus.glob("*.txt"))

    def quote(index: int, name: str) -> Callable[[Path], None]:
        return append(files[index].name, f" Volgens {name} is dat niet zo.")

    edits = [
        quote(10, "Marieke Jansen"),  # someone no article names
        quote(150, by_count[len(by_count) // 2][1]),  # someone with a page
        quote(150, by_count[-1][1]),  # the most named
        quote(290, by_count[0][1]),  # the least named with a page
        replace(files[150].name, f" Volgens {by_count[-1][1]} is dat niet zo.", ""),
        quote(20, "Marieke Jansen"),  # a page of her own now: built in full
    ]
    patched = each_a_clean_build(serving, tmp_path, edits)
    assert patched[0] and not patched[-1] and sum(patched) >= 3, patched
