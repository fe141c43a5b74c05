"""What an article says about itself, before the rest of the site is known: its
headline, its dek and the slug it asks for.

Pure functions of one document, so the loader works them out in its worker processes,
next to the parsing (see `load.load_file`); the model only makes slugs unique.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from slugify import slugify

from .document import Document
from .records import pickled_as_fields
from .text import Block, dek_from_lead, headline_from_lead

SLUG_MAX = 60


def make_slug(text: str) -> str:
    """Lowercase ASCII words joined by `-`, cut at a word to SLUG_MAX characters."""
    return slugify(text, max_length=SLUG_MAX, word_boundary=True, save_order=True)


@pickled_as_fields
@dataclass(frozen=True, slots=True)
class OwnFields:
    headline: str
    dek: str
    slug: str  # the slug it asks for, made safe; the model makes it unique


def own_fields(document: Document, path: str, blocks: Sequence[Block] | None = None) -> OwnFields:
    """`path`: the source file as messages show it (its name stands in for a headline
    or a slug that cannot be made from the text); `blocks`: the document's, if the
    caller has them unpacked already."""
    blocks = blocks or document.blocks
    lead = next((b.text for b in blocks if b.kind == "p"), blocks[0].text)
    fallback = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]  # the file's name
    headline = document.title or headline_from_lead(lead, fallback)
    slug = make_slug(document.slug or headline)
    if not slug:
        slug = slugify(PurePosixPath(path).stem) or "artikel"
    return OwnFields(headline, dek_from_lead(lead), slug)
