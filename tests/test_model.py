"""The site model: slugs, grouping into events, order, neighbours."""

from __future__ import annotations

from types import MappingProxyType

from generator.config import Config
from generator.dates import PartialDate
from generator.errors import Severity
from generator.load import Document, LoadedDocument, parse_markdown, parse_seed
from generator.model import build_site
from generator.text import Block


def loaded(path: str, document: Document) -> LoadedDocument:
    return LoadedDocument(path, document)


def seed(path: str, text: str) -> LoadedDocument:
    return loaded(path, parse_seed(text))


def doc(date: PartialDate, text: str, **fields: str) -> Document:
    return Document(date=date, blocks=(Block("p", text),), markup=None, **fields)


def test_slugs_are_lowercase_ascii_from_the_headline():
    site, _ = build_site([seed("a.txt", "date 2017-05 Israël en Curaçao: ‘Überhaupt’ geen 100%!")])
    assert site.articles[0].slug == "israel-en-curacao-uberhaupt-geen-100"
    assert site.articles[0].page_path == "2017/05/israel-en-curacao-uberhaupt-geen-100/"


def test_duplicate_headlines_get_unique_slugs_with_a_warning():
    documents = [
        seed("b.txt", "date 2017-05 Trump ontmoet Poetin."),
        seed("a.txt", "date 2017-05 Trump ontmoet Poetin."),
        seed("c.txt", "date 2018-01 Trump ontmoet Poetin."),
    ]
    site, problems = build_site(documents)
    assert [(a.source_path, a.slug) for a in site.articles] == [
        ("a.txt", "trump-ontmoet-poetin"),
        ("b.txt", "trump-ontmoet-poetin-2"),
        ("c.txt", "trump-ontmoet-poetin-3"),
    ]
    assert [(p.path, p.severity, p.message) for p in problems] == [
        (
            "b.txt",
            Severity.WARNING,
            "slug 'trump-ontmoet-poetin' is already used by a.txt; "
            "this article gets 'trump-ontmoet-poetin-2'",
        ),
        (
            "c.txt",
            Severity.WARNING,
            "slug 'trump-ontmoet-poetin' is already used by a.txt; "
            "this article gets 'trump-ontmoet-poetin-3'",
        ),
    ]


def test_slugs_are_stable_whatever_order_files_are_loaded_in():
    documents = [seed(f"{n}.txt", f"date 2017-0{n} Artikel nummer {n}.") for n in range(1, 6)]
    first, _ = build_site(documents)
    second, _ = build_site(list(reversed(documents)))
    assert [a.slug for a in first.articles] == [a.slug for a in second.articles]


def test_slug_header_cannot_point_outside_the_site():
    for wanted in ("../../etc/passwd", "/abs/path", "..", "a/b\\c", "%2e%2e"):
        document = parse_markdown(f"Title: Kop\nDate: 2017-05\nSlug: {wanted}\n\nTekst.")
        site, _ = build_site([loaded("x.md", document)])
        slug = site.articles[0].slug
        assert slug and "/" not in slug and "\\" not in slug and ".." not in slug
        assert slug.isascii() and slug == slug.lower()


def test_slug_header_is_used_when_safe():
    document = parse_markdown("Title: Kop\nDate: 2017-05\nSlug: Mijn Eigen Adres\n\nTekst.")
    site, _ = build_site([loaded("x.md", document)])
    assert site.articles[0].page_path == "2017/05/mijn-eigen-adres/"


def test_slug_never_takes_a_name_the_site_uses():
    site, problems = build_site([seed("a.txt", "date 2017-05 Assets.")])
    assert site.articles[0].slug == "assets-2"
    assert len(problems) == 1


def test_articles_sort_by_date_then_headline_and_less_precise_dates_first():
    documents = [
        loaded("d.md", doc(PartialDate(2017, 5, 16), "Dag")),
        loaded("m.md", doc(PartialDate(2017, 5), "Maand")),
        loaded("y.md", doc(PartialDate(2017), "Jaar")),
        loaded("b.md", doc(PartialDate(2017, 5, 16), "Alfa")),
    ]
    site, _ = build_site(documents)
    assert [a.source_path for a in site.articles] == ["y.md", "m.md", "b.md", "d.md"]
    assert [e.key for e in site.events] == ["2017", "2017-05"]
    assert [len(e.articles) for e in site.events] == [1, 3]
    assert site.events[0].page_path == "2017/"
    assert site.articles[0].page_path == "2017/jaar/"


def test_neighbours_follow_time_across_events():
    documents = [seed(f"{m}.txt", f"date 2017-{m:02d} Artikel in maand {m}.") for m in (3, 1, 2)]
    site, _ = build_site(documents)
    first, middle, last = site.articles
    assert site.neighbours(first) == (None, middle)
    assert site.neighbours(middle) == (first, last)
    assert site.neighbours(last) == (middle, None)
    assert site.event_of(middle).key == "2017-02"


def test_event_header_names_the_month_unless_site_toml_does():
    documents = [
        loaded(
            "a.md", parse_markdown("Title: A\nDate: 2017-07-07\nEvent: G20 in Hamburg\n\nTekst.")
        ),
        loaded("b.md", parse_markdown("Title: B\nDate: 2017-08\nEvent: Augustus\n\nTekst.")),
    ]
    site, _ = build_site(
        documents, Config(event_names=MappingProxyType({"2017-08": "Uit site.toml"}))
    )
    assert [(e.name, e.automatic_name) for e in site.events] == [
        ("G20 in Hamburg", False),
        ("Uit site.toml", False),
    ]


def test_month_without_distinctive_names_is_named_by_its_date():
    site, _ = build_site([seed("a.txt", "date 2017-05 het regent.")], Config(language="nl"))
    assert site.events[0].name == "mei 2017"
    site, _ = build_site([seed("a.txt", "date 2017-05 het regent.")], Config(language="en"))
    assert site.events[0].name == "May 2017"
