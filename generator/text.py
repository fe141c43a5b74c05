"""Plain-text handling: scrape clean-up, paragraphs and sub-headings, sentences,
headlines and deks.  Pure functions on strings; no HTML is made here."""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .spill import Kept, fetch, keep

HEADLINE_MAX = 110
# A first sentence this much longer than HEADLINE_MAX is kept whole: cutting three words
# to save ten characters loses the point of the sentence ("… kwam van Israël").
HEADLINE_SLACK = 10
DEK_MAX = 300
SUBHEADING_MAX = 60
ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class Block:
    """One block of article text: a paragraph, or a sub-heading between paragraphs."""

    kind: str  # "p" or "h2"
    text: str


# --- clean-up of scraped news pages ---------------------------------------------------------

# `Volledig scherm <caption> © AFP`: a photo caption glued into the text by the scraper.
# The credit is one token (AFP, ANP/EPA, Reuters) or a known two-word agency name.
_PHOTO_CAPTION = re.compile(
    r"Volledig scherm\b[^©\n]*©\s*[\w.&-]+(?:\s*/\s*[\w.&-]+)*"
    r"(?:\s+(?:Images|Photo|Photos|Press|Pictures|Hollandse Hoogte))?\s*"
)
_PULL_QUOTE = re.compile(r"(?:^|(?<=\n))Quote\s+")
# Letters and digits (\p{L}\p{N} in search.js): search words, and pull quotes' length.
_WORD = re.compile(r"[^\W_]+")
_CAPITALISED = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'’-]*$")


def clean_scraped_text(text: str) -> str:
    """Remove photo captions and pull quotes, and repair Dutch `,,` low quotes."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "Volledig scherm" in text:  # the searches below have no literal start: skip them
        text = _PHOTO_CAPTION.sub("", text)
    if "Quote" in text:
        text = _remove_pull_quotes(text)
    # `,,` is how Dutch typists write the low double quote „ (U+201E).
    text = re.sub(r",,(?=\S)", "„", text)
    return text


def _remove_pull_quotes(text: str) -> str:
    """`Quote <sentence from the article> <speaker> <paragraph>` -> `<paragraph>`.

    A pull quote repeats words from elsewhere in the article; its end is the
    longest run of words that also occurs elsewhere.  The speaker that follows
    is the longest run of capitalised words that also occurs elsewhere.  A
    `Quote` whose text cannot be found elsewhere is left alone: we would rather
    keep a stray word than cut real text.
    """
    while match := _PULL_QUOTE.search(text):
        start, rest_start = match.start(), match.end()
        rest = text[rest_start:]
        elsewhere = _squash(text[:start] + " " + rest)
        words = list(_WORD.finditer(rest))
        quote_end = 0  # in words; a quote of fewer than three words is too weak a match
        for count in range(3, len(words) + 1):
            candidate = _squash(rest[: words[count - 1].end()])
            if elsewhere.count(candidate) < 2:  # once here, and at least once more
                break
            quote_end = count
        if not quote_end:
            text = text[:start] + "Quote\u2060 " + rest  # mark as seen; removed below
            continue
        speaker_end = quote_end
        for count in range(min(quote_end + 3, len(words)), quote_end, -1):
            span = words[quote_end:count]
            if all(_CAPITALISED.match(w.group()) for w in span):
                name = " ".join(w.group() for w in span)
                if _squash(text[:start]).count(_squash(name)) or _squash(
                    rest[words[count - 1].end() :]
                ).count(_squash(name)):
                    speaker_end = count
                    break
        cut = words[speaker_end].start() if speaker_end < len(words) else len(rest)
        text = text[:start] + rest[cut:]
    return text.replace("Quote\u2060 ", "Quote ")


def _squash(text: str) -> str:
    """Lowercase words only, so that quoting and punctuation do not hide a repeat."""
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "


# --- blocks ---------------------------------------------------------------------------------

_CLOSING = ".!?:;,…)]"
_QUOTES = "'\"‘’“”„«»‹›"


def split_blocks(text: str) -> list[Block]:
    """Paragraphs separated by blank lines; a short unpunctuated line standing
    alone between two paragraphs is a sub-heading."""
    raw_chunks = [c.strip() for c in re.split(r"\n\s*\n", text) if c.strip()]
    blocks: list[Block] = []
    for index, raw in enumerate(raw_chunks):
        chunk = " ".join(raw.split())
        between = 0 < index < len(raw_chunks) - 1
        one_line = "\n" not in raw
        kind = "h2" if between and one_line and _looks_like_subheading(chunk) else "p"
        blocks.append(Block(kind, chunk))
    return blocks


def _looks_like_subheading(chunk: str) -> bool:
    bare = chunk.strip(_QUOTES + " ")
    return (
        0 < len(chunk) <= SUBHEADING_MAX
        and len(chunk.split()) <= 8
        and bool(bare)
        and bare[-1] not in _CLOSING
        and not bare[0].islower()
    )


# --- sentences, headlines, deks -------------------------------------------------------------

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "st sint dr drs ir ing prof mr mw mevr dhr jr sr nr no vs o.a b.v d.w.z i.p.v m.b.t t.o.v "
    "e.d enz etc bijv ca jl jhr gen kol lt sgt mrs ms mt blz p pp fig".split()
)
_SENTENCE_END = re.compile(r"([.!?…]+[" + re.escape(_QUOTES) + r")]*)\s+(?=[\"'‘“„(]?[A-Z0-9À-Þ])")


def sentence_breaks(paragraph: str) -> Iterator[tuple[int, int]]:
    """For each break between two sentences: where the first one's text ends, and where
    the next one starts.  Abbreviations such as `St.` and initials do not break."""
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        words = paragraph[start : match.start()].rsplit(None, 1)  # from the right: cheap
        last_word = words[-1] if words else ""
        if match.group(1) == "." and last_word.lower().strip("(") in _ABBREVIATIONS:
            continue
        if match.group(1) == "." and len(last_word) == 1 and last_word.isupper():
            continue  # an initial: `J. Comey`
        yield match.end(1), match.end()
        start = match.end()


def sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences, keeping abbreviations such as `St.` intact."""
    result: list[str] = []
    start = 0
    for end, next_start in sentence_breaks(paragraph):
        result.append(paragraph[start:end].strip())
        start = next_start
    tail = paragraph[start:].strip()
    if tail:
        result.append(tail)
    return result


# Words a cut headline should not end on ("… kwam van…").
_DANGLING = frozenset(
    "de het een en of maar dat die dit met van in op aan te voor bij naar om uit over tot door "
    "als zijn haar hun zijn wordt werd is was the a an and or of to in on at for with by".split()
)


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary to at most `limit` characters, ellipsis included."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS)
    words = text[: room + 1].split(" ")  # one character more: does a word end at `room`?
    if len(words) == 1:
        return text[:room] + ELLIPSIS  # one word longer than the limit: cut inside it
    words = words[:-1]  # the last one is cut in half (or empty)
    while len(words) > 1 and words[-1].lower().strip(",;:") in _DANGLING:
        words.pop()
    cut = " ".join(words).rstrip(",;:–- ")
    return (cut or text[:room]) + ELLIPSIS


def headline_from_lead(lead: str, fallback: str) -> str:
    """The first sentence of the lead, without its final full stop: whole up to
    HEADLINE_MAX + HEADLINE_SLACK characters, else cut to at most HEADLINE_MAX.
    Never empty: `fallback` (e.g. the file name) when there is no text."""
    first = next(iter(sentences(lead)), "").strip()
    if first.endswith(".") and not first.endswith(".."):
        first = first[:-1]
    first = first.strip()
    if not first.strip(_QUOTES + " .,;:-–"):
        first = " ".join(fallback.split()) or "?"
    if len(first) <= HEADLINE_MAX + HEADLINE_SLACK:
        return first
    return shorten(first, HEADLINE_MAX)


def dek_from_lead(lead: str) -> str:
    """One or two sentences of the lead, for cards and meta descriptions."""
    parts = sentences(lead)
    if not parts:
        return ""
    dek = parts[0]
    if len(parts) > 1 and len(dek) + 1 + len(parts[1]) <= DEK_MAX:
        dek = f"{dek} {parts[1]}"
    return shorten(dek, DEK_MAX)


# --- words for the search index --------------------------------------------------------------

MIN_WORD = 2  # shorter words are neither indexed nor searched
_SEARCH_WORD = re.compile(rf"[^\W_]{{{MIN_WORD},}}")  # `_WORD`, at least MIN_WORD long


_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def normalise(text: str) -> str:
    """Decomposed, without combining marks, casefolded: `Israël` -> `israel`."""
    decomposed = unicodedata.normalize("NFKD", text)
    if not decomposed.isascii():  # marks are not ASCII: look only at the characters that are not
        others = set(_NOT_ASCII.findall(decomposed))
        marks = [c for c in others if unicodedata.category(c).startswith("M")]
        if marks:
            decomposed = re.sub(f"[{re.escape(''.join(sorted(marks)))}]", "", decomposed)
    return decomposed.casefold()


def words(text: str) -> list[str]:
    """The searchable words of a text, normalised, in order (with repeats)."""
    return _SEARCH_WORD.findall(normalise(text))


# Archives with fewer article files than this keep their texts uncompressed.  zlib (level
# 1) took 1.1 s of the 12 s of CPU of a 10,000-article cold build, about 0.6 s of its 8-9 s
# (bench/RESULTS.md, stop 21), to save room in the spill file and the cache: room that
# matters at 100,000 articles, not at 10,000 (the spill file in TMPDIR after loading
# 10,000 articles: 18.5 MB compressed, 38.6 MB not).
COMPRESS_FROM = 20_000
_RAW = b"\0"  # uncompressed: never the first byte of a zlib stream (whose method is 8)
_compressing = True


def pack_for_archive(files: int) -> None:
    """Make `pack` compress from now on if an archive of this many article files is
    large (COMPRESS_FROM): called before its files are read (and workers forked to read
    them).  Whatever was packed either way unpacks."""
    global _compressing
    _compressing = files >= COMPRESS_FROM


def pack(data: bytes) -> Kept:
    """Text a build keeps for every article, kept out of memory (see spill.py): compressed
    (fast, level 1) in a large archive, else as it is after a byte that says so.  zlib's
    default 32 kB window costs more to set up than a 3 kB article takes to compress (120
    against 40 us): the window is only as large as the data, so the bytes are as small.
    `zlib.decompress` reads the window size from the header."""
    if not _compressing:
        return keep(_RAW + data)
    return keep(zlib.compress(data, 1, max(9, min(15, len(data).bit_length()))))


def unpack(packed: Kept) -> bytes:
    """What `pack` packed."""
    data = fetch(packed)
    return data[1:] if data[:1] == _RAW else zlib.decompress(data)


def search_words(blocks: Sequence[Block]) -> Kept:
    """Each searchable word of a text once, sorted, space-separated, packed: a build
    keeps them for every article until the search index is made, and passes them
    between processes."""
    joined = " ".join(sorted(set(words("\n\n".join(block.text for block in blocks)))))
    return pack(joined.encode("utf-8"))


def unpack_words(packed: Kept) -> list[str]:
    """The words `search_words` packed."""
    return unpack(packed).decode("utf-8").split()
