"""`new`: start a Markdown article with its header filled in.  Never overwrites."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .dates import PartialDate, parse_date
from .derive import make_slug
from .errors import GeneratorError, display_path
from .i18n import Translator


def article_text(headline: str, when: PartialDate, language: str) -> str:
    """The new file's text: a header the loader reads, and a body it can build."""
    translate = Translator(language)
    return (
        f"Title: {' '.join(headline.split())}\n"
        f"Date: {when.iso()}\n"
        "Source:\n"
        "URL:\n"
        "Tags:\n"
        "\n"
        f"{translate('new_article_body')}\n"
    )


def new_article(
    headline: str,
    source: Path,
    when: str | None = None,
    language: str = "nl",
    today: date | None = None,
) -> Path:
    """Write `<source>/<date>-<slug>.md` and return its path; GeneratorError if it exists."""
    if not headline.strip():
        raise GeneratorError('the headline is empty; write it in quotes: new "Kop van het artikel"')
    if when is None:
        day = today or date.today()
        written = PartialDate(day.year, day.month, day.day)
    else:
        try:
            written = parse_date(when)
        except GeneratorError as error:
            raise GeneratorError(f"--date: {error}") from None
    if not source.is_dir():
        raise GeneratorError(f"{display_path(source)}: source folder not found")
    slug = make_slug(headline) or "artikel"
    path = source / f"{written.iso()}-{slug}.md"
    try:
        with path.open("x", encoding="utf-8") as file:  # "x": fail if it exists
            file.write(article_text(headline, written, language))
    except FileExistsError:
        raise GeneratorError(f"{display_path(path)}: already exists; nothing was written") from None
    return path
