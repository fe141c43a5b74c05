"""What every parser produces: one article, before the site model derives anything from it.

Kept apart from `load.py` so that parsers in their own modules (`sheet.py`) can
build documents without importing the loader that calls them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from .dates import PartialDate
from .markup import blocks_to_html
from .text import Block


@dataclass(frozen=True, slots=True)
class Document:
    """One parsed article (a file, or a row of a spreadsheet)."""

    date: PartialDate
    blocks: tuple[Block, ...]  # the text, for headline, dek, names and search
    # The body as HTML when it is not simply the blocks (Markdown); None for plain text,
    # whose HTML is made from the blocks when a page needs it (see `body_html`).
    markup: Markup | None
    title: str = ""
    slug: str = ""
    source: str = ""
    url: str = ""
    tags: tuple[str, ...] = ()
    event: str = ""
    warnings: tuple[tuple[int, str], ...] = field(default=(), compare=False)

    @property
    def body_html(self) -> Markup:
        return self.markup if self.markup is not None else blocks_to_html(self.blocks)
