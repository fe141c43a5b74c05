"""What every parser produces: one article, before the site model derives anything from it.

Kept apart from `load.py` so that parsers in their own modules (`sheet.py`) can
build documents without importing the loader that calls them.
"""

from __future__ import annotations

import marshal
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from .dates import PartialDate
from .markup import blocks_to_html, html_to_blocks
from .records import pickled_as_fields
from .spill import Kept
from .text import Block, pack, unpack


def _pack(value: object) -> Kept:
    return pack(marshal.dumps(value))


def _unpack(data: Kept) -> object:
    return marshal.loads(unpack(data))


@pickled_as_fields
@dataclass(frozen=True, slots=True, init=False)
class Document:
    """One parsed article (a file, or a row of a spreadsheet).

    Its text is kept packed (`text.pack`: out of memory, and compressed in a large
    archive): a build holds every article at once (the model needs them all), and an
    article's text is read only a few times (names, headline, its page), so 2 kB of text
    as a number or 0.9 kB of bytes is what keeps a 100,000-article build in a few
    hundred megabytes.  Unpacking takes microseconds.  A Markdown article
    keeps only its HTML: its blocks are read from that when asked for (0.05 ms), not
    kept a second time (10 MB for 10,000 articles)."""

    date: PartialDate
    packed_blocks: Kept | None  # see `blocks`; None: read from the markup
    packed_markup: Kept | None  # see `markup`
    title: str = ""
    slug: str = ""
    source: str = ""
    url: str = ""
    tags: tuple[str, ...] = ()
    event: str = ""
    warnings: tuple[tuple[int, str], ...] = field(default=(), compare=False)

    def __init__(
        self,
        date: PartialDate,
        blocks: Sequence[Block],
        markup: Markup | None,
        title: str = "",
        slug: str = "",
        source: str = "",
        url: str = "",
        tags: tuple[str, ...] = (),
        event: str = "",
        warnings: tuple[tuple[int, str], ...] = (),
    ) -> None:
        put = object.__setattr__  # frozen: set once, here
        put(self, "date", date)
        if markup is not None and blocks:
            raise ValueError("a document with markup has the blocks of its markup: pass ()")
        packed = _pack(tuple((b.kind, b.text) for b in blocks)) if markup is None else None
        put(self, "packed_blocks", packed)
        put(self, "packed_markup", None if markup is None else _pack(str(markup)))
        put(self, "title", title)
        put(self, "slug", slug)
        put(self, "source", source)
        put(self, "url", url)
        put(self, "tags", tags)
        put(self, "event", event)
        put(self, "warnings", warnings)

    @property
    def blocks(self) -> tuple[Block, ...]:
        """The text, for headline, dek, names and search."""
        if self.packed_blocks is None:
            return tuple(html_to_blocks(_unpack(self.packed_markup)))  # type: ignore[arg-type]
        return tuple(Block(kind, text) for kind, text in _unpack(self.packed_blocks))  # type: ignore[attr-defined]

    @property
    def markup(self) -> Markup | None:
        """The body as HTML when it is not simply the blocks (Markdown); None for plain
        text, whose HTML is made from the blocks when a page needs it (see `body_html`)."""
        if self.packed_markup is None:
            return None
        return Markup(_unpack(self.packed_markup))

    @property
    def body_html(self) -> Markup:
        markup = self.markup
        return markup if markup is not None else blocks_to_html(self.blocks)
