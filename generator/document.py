"""What every parser produces: one article, before the site model derives anything from it.

Kept apart from `load.py` so that parsers in their own modules (`sheet.py`) can
build documents without importing the loader that calls them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from .dates import PartialDate
from .text import Block


@dataclass(frozen=True)
class Document:
    """One parsed article (a file, or a row of a spreadsheet)."""

    date: PartialDate
    blocks: tuple[Block, ...]  # the text, for headline, dek, names and search
    body_html: Markup
    title: str = ""
    slug: str = ""
    source: str = ""
    url: str = ""
    tags: tuple[str, ...] = ()
    event: str = ""
    warnings: tuple[tuple[int, str], ...] = field(default=(), compare=False)
