"""UI text and dates in the site's language: one translation table per language.

Dates are formatted from CLDR data with Babel (never a hand-written month list
or the machine's locale), at exactly the precision that is known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from .dates import PartialDate, Precision

# Each entry is text, or (singular, plural) with `{n}` for counts.
LANGUAGES: dict[str, dict[str, str | tuple[str, str]]] = {
    "nl": {
        "timeline": "Tijdlijn",
        "skip_to_content": "Naar de inhoud",
        "articles_count": ("{n} artikel", "{n} artikelen"),
        "events_count": ("{n} gebeurtenis", "{n} gebeurtenissen"),
        "jump_to": "Spring naar",
        "read_article": "Lees het artikel",
        "previous_article": "Vorig artikel",
        "next_article": "Volgend artikel",
        "back_to_timeline": "Terug naar de tijdlijn",
        "event": "Gebeurtenis",
        "source": "Bron",
        "published": "Datum",
        "articles_in_event": "Artikelen in deze gebeurtenis",
        "not_found_title": "Pagina niet gevonden",
        "not_found_text": "Deze pagina bestaat niet (meer). Begin opnieuw bij de tijdlijn.",
        "built_with": "Gemaakt met Tijdlijn",
        "built_on": "Gebouwd op {date}",
        "article_navigation": "Navigatie tussen artikelen",
        "breadcrumb": "Kruimelpad",
        "and": "en",
        "tags": "Trefwoorden",
        "names_path": "namen",
        "names": "Namen",
        "names_title": "Personen, plaatsen en organisaties",
        "names_intro": (
            "Iedere naam die in minstens {n} artikel voorkomt, met het aantal artikelen.",
            "Iedere naam die in minstens {n} artikelen voorkomt, met het aantal artikelen.",
        ),
        "names_in_article": "Namen in dit artikel",
        "name_articles": "{name} in de tijdlijn",
        "related": "Gerelateerde artikelen",
        "shared_names": "Gedeelde namen: {names}",
        "all_names": "Alle namen",
        "site_navigation": "Hoofdmenu",
        "overview_title": "Artikelen per maand",
        "overview_desc": (
            "Staafdiagram met een staaf per maand van {first} tot en met {last}; de hoogste "
            "staaf staat voor {most}. Dezelfde aantallen staan in de tabel eronder."
        ),
        "overview_table": "Aantallen per maand",
        "year": "Jaar",
        "year_only": "Alleen het jaar bekend",
        "newest_path": "nieuwste-eerst",
        "oldest_path": "oudste-eerst",
        "newest_first": "Nieuwste eerst",
        "oldest_first": "Oudste eerst",
        "order": "Volgorde",
        "new_article_body": "Schrijf hier de tekst van het artikel.",
        "pages": "Pagina's",
        "names_pages": "Namen per pagina",
        "build_failed": "De site kon niet worden gebouwd",
        "build_failed_help": "Deze pagina ververst vanzelf zodra je een verbetering bewaart.",
        "previous_page": "Vorige pagina",
        "next_page": "Volgende pagina",
        "page_of": "Pagina {number} van {total}",
        "all_articles_of": ("Het artikel over {name}", "Alle {n} artikelen over {name}"),
        "atom_feed": "{title} (Atom-feed)",
        "json_feed": "{title} (JSON Feed)",
        "search": "Zoeken",
        "search_placeholder": "Woorden uit kop of tekst",
        "search_results": ("{n} resultaat", "{n} resultaten"),
        "search_more": "{n} resultaten; de eerste {shown} staan hieronder",
        "search_none": "Geen resultaten voor ‘{query}’",
        "search_error": "Zoeken lukt nu niet: de zoekindex kon niet worden geladen.",
        "search_results_label": "Zoekresultaten",
        "search_fallback": "Zoeken op naam: alle namen",
    },
    "en": {
        "timeline": "Timeline",
        "skip_to_content": "Skip to content",
        "articles_count": ("{n} article", "{n} articles"),
        "events_count": ("{n} event", "{n} events"),
        "jump_to": "Jump to",
        "read_article": "Read the article",
        "previous_article": "Previous article",
        "next_article": "Next article",
        "back_to_timeline": "Back to the timeline",
        "event": "Event",
        "source": "Source",
        "published": "Date",
        "articles_in_event": "Articles in this event",
        "not_found_title": "Page not found",
        "not_found_text": "This page does not exist (any more). Start again from the timeline.",
        "built_with": "Made with Tijdlijn",
        "built_on": "Built on {date}",
        "article_navigation": "Article navigation",
        "breadcrumb": "Breadcrumb",
        "and": "and",
        "tags": "Tags",
        "names_path": "names",
        "names": "Names",
        "names_title": "People, places and organisations",
        "names_intro": (
            "Every name that occurs in at least {n} article, with its number of articles.",
            "Every name that occurs in at least {n} articles, with its number of articles.",
        ),
        "names_in_article": "Names in this article",
        "name_articles": "{name} on the timeline",
        "related": "Related articles",
        "shared_names": "Shared names: {names}",
        "all_names": "All names",
        "site_navigation": "Main menu",
        "overview_title": "Articles per month",
        "overview_desc": (
            "Bar chart with one bar per month from {first} to {last}; the highest bar stands "
            "for {most}. The same numbers are in the table below."
        ),
        "overview_table": "Numbers per month",
        "year": "Year",
        "year_only": "Only the year known",
        "newest_path": "newest-first",
        "oldest_path": "oldest-first",
        "newest_first": "Newest first",
        "oldest_first": "Oldest first",
        "order": "Order",
        "new_article_body": "Write the text of the article here.",
        "pages": "Pages",
        "names_pages": "Names by page",
        "build_failed": "The site could not be built",
        "build_failed_help": "This page reloads by itself as soon as you save a fix.",
        "previous_page": "Previous page",
        "next_page": "Next page",
        "page_of": "Page {number} of {total}",
        "all_articles_of": ("The article on {name}", "All {n} articles on {name}"),
        "atom_feed": "{title} (Atom feed)",
        "json_feed": "{title} (JSON Feed)",
        "search": "Search",
        "search_placeholder": "Words from headline or text",
        "search_results": ("{n} result", "{n} results"),
        "search_more": "{n} results; the first {shown} are listed below",
        "search_none": "No results for ‘{query}’",
        "search_error": "Search is not available: the search index could not be loaded.",
        "search_results_label": "Search results",
        "search_fallback": "Search by name: all names",
    },
}


@cache
def _locale_code(language: str) -> str:
    from babel import Locale  # Babel loads only when a page needs it, not for settings
    from babel.core import get_global

    likely = Locale.parse(get_global("likely_subtags").get(language, language))
    return f"{likely.language}_{likely.territory}" if likely.territory else likely.language


@lru_cache(maxsize=65536)
def _format_date(language: str, value: PartialDate) -> str:
    from babel.dates import format_date, format_skeleton

    # Babel matches a skeleton to a pattern on every call (~0.5 ms): once per date is enough.
    # A day uses CLDR's "long" date ("16 juli 2018"); the skeleton yMMMMd would pick the
    # abbreviated month ("16 jul 2018").
    if value.precision is Precision.DAY:
        return format_date(value.first_day(), "long", locale=language)
    skeleton = "yMMMM" if value.precision is Precision.MONTH else "y"
    return format_skeleton(skeleton, value.first_day(), locale=language)


@dataclass(frozen=True)
class Translator:
    language: str

    def __call__(self, key: str, n: int | None = None, **values: object) -> str:
        """The text of `key`, with `values` filled in; `n`, a count, picks the singular or
        the plural form of a text that has both, and only of such a text (given to one
        without, it once went unfilled: "in minstens {n} artikelen")."""
        entry = LANGUAGES[self.language][key]
        if isinstance(entry, tuple) != (n is not None):
            raise TypeError(f"{key!r} {'needs' if n is None else 'takes no'} count")
        if isinstance(entry, tuple):
            entry = entry[0] if n == 1 else entry[1]
            values["n"] = n
        return entry.format(**values) if values else entry

    @property
    def locale_code(self) -> str:
        """`nl_NL`: the language and its most likely country (from CLDR), for Open Graph."""
        return _locale_code(self.language)

    def forms(self, key: str) -> tuple[str, str]:
        """The singular and plural text of a count, unformatted (`{n}` left in), for
        search.js to fill in."""
        entry = LANGUAGES[self.language][key]
        return entry if isinstance(entry, tuple) else (entry, entry)

    def date(self, value: PartialDate) -> str:
        """`16 mei 2017`, `mei 2017` or `2017`: only what is known."""
        return _format_date(self.language, value)

    def month_abbreviation(self, month: int) -> str:
        """`mei`, `jul.`: a short month name for table headers."""
        from babel.dates import format_skeleton

        return format_skeleton("MMM", PartialDate(2000, month).first_day(), locale=self.language)

    def join(self, items: Sequence[str]) -> str:
        """`A`, `A en B`, `A, B en C`."""
        if len(items) <= 1:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self('and')} {items[-1]}"
