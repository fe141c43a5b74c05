"""Related articles (crossref.RelatedArticles): the rules a reader can check on a page."""

from __future__ import annotations

import dataclasses

from generator.crossref import (
    RELATED_COMMON_MIN_SITE,
    RELATED_MAX,
    RelatedArticles,
    chosen_all,
)
from generator.dates import PartialDate
from generator.document import Document
from generator.model import Article
from generator.text import Block


def article(slug: str, year: int, month: int, *names: str) -> Article:
    date = PartialDate(year, month)
    document = Document(date, [Block("p", slug)], None)
    return Article(f"{slug}.txt", date, slug, "", slug, document, names=names)


def related(articles: list[Article], slug: str) -> list[tuple[str, tuple[str, ...]]]:
    """(slug, shared names) of the related articles of `slug`, best first."""
    index = [a.slug for a in articles].index(slug)
    return [(r.article.slug, r.shared) for r in RelatedArticles(articles).of(index)]


def test_most_shared_names_first_then_closest_in_time_then_earlier():
    articles = [
        article("a", 2017, 1, "Trump", "Poetin"),
        article("b", 2017, 3, "Trump"),
        article("c", 2017, 5, "Trump", "Poetin", "Lavrov"),  # the one asked about
        article("d", 2017, 7, "Trump"),
        article("e", 2018, 1, "Trump", "Poetin"),
        article("f", 2019, 1, "Merkel"),
    ]

    assert [slug for slug, _ in related(articles, "c")] == ["a", "e", "b", "d"]


def test_ties_in_names_and_distance_go_to_the_earlier_article():
    articles = [
        article("a", 2017, 3, "Trump"),
        article("b", 2017, 5, "Trump"),
        article("c", 2017, 7, "Trump"),
    ]

    assert [slug for slug, _ in related(articles, "b")] == ["a", "c"]


def test_shared_names_are_listed_rarest_first_and_unshared_ones_left_out():
    articles = [
        article("a", 2017, 1, "Trump", "Lavrov", "Comey"),
        article("b", 2017, 2, "Trump", "Lavrov", "Merkel"),
        article("c", 2017, 3, "Trump"),
    ]

    assert related(articles, "a") == [("b", ("Lavrov", "Trump")), ("c", ("Trump",))]


def test_no_article_is_its_own_relation_and_none_without_shared_names():
    articles = [article("a", 2017, 1, "Trump"), article("b", 2017, 2, "Merkel")]

    assert related(articles, "a") == []


def test_at_most_the_limit_and_a_name_in_most_of_a_large_site_does_not_count():
    count = max(RELATED_COMMON_MIN_SITE, 2 * RELATED_MAX + 4)
    articles = [article(f"x{n:02d}", 2017, 1 + n % 12, "Trump") for n in range(count)]
    articles[0] = article("x00", 2017, 1, "Trump", "Lavrov")
    articles[-1] = article(f"x{count - 1:02d}", 2017, 12, "Trump", "Lavrov")

    # Trump is in every article: on a site this large it relates nothing; Lavrov does.
    assert related(articles, "x00") == [(f"x{count - 1:02d}", ("Lavrov",))]
    small = articles[: RELATED_MAX + 3]
    assert len(related(small, "x01")) == RELATED_MAX


def site_of_30() -> list[Article]:
    """Thirty articles over three years, names recurring in overlapping groups."""
    people = ["Trump", "Poetin", "Lavrov", "Merkel", "Comey", "Kislyak"]
    return [
        article(f"a{n:02}", 2016 + n // 12, n % 12 + 1, *people[n % 4 : n % 4 + 2 + n % 3])
        for n in range(30)
    ]


def answers(related: RelatedArticles) -> list[list[tuple[str, tuple[str, ...]]]]:
    count = len(related.articles)
    return [[(r.article.slug, r.shared) for r in related.of(i)] for i in range(count)]


def test_an_earlier_build_s_choices_are_reused_only_for_the_same_names_and_dates():
    """An incremental build reuses the related articles the last one chose when every
    name is in the same articles on the same days (a headline edited): the lists are
    what they would be worked out anew, with the new headlines."""
    before = site_of_30()
    earlier = RelatedArticles(before)
    chosen = chosen_all(
        RELATED_MAX, len(before), {i: earlier.choose(i) for i in range(len(before))}
    )
    assert chosen is not None

    retitled = [dataclasses.replace(a, headline=f"Nieuw: {a.slug}") for a in before]
    reused = RelatedArticles(retitled)
    reused.reuse((earlier.signature, chosen))
    assert reused.known is chosen
    assert answers(reused) == answers(RelatedArticles(retitled))
    assert reused.of(3)[0].article.headline.startswith("Nieuw: ")

    renamed = list(before)
    renamed[7] = dataclasses.replace(before[7], names=("Merkel", "Kislyak"))
    moved = list(before)
    moved[7] = dataclasses.replace(before[7], date=PartialDate(2016, 8, 20))
    for changed in (renamed, moved, before[:-1]):
        fresh = RelatedArticles(changed)
        fresh.reuse((earlier.signature, chosen[: RELATED_MAX * len(changed)]))
        assert fresh.known is None
        assert fresh.signature != earlier.signature


def test_choices_are_kept_only_when_every_article_has_its_answer():
    assert chosen_all(RELATED_MAX, 3, {0: (1, 2), 1: (0,)}) is None
    chosen = chosen_all(RELATED_MAX, 2, {0: (1,), 1: ()})
    assert chosen is not None and list(chosen) == [1] + [-1] * (2 * RELATED_MAX - 1)
