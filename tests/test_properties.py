"""Properties that hold for any input: parsers fail only with ContentError, text helpers
keep their limits and lose no words, dates come back exactly as written."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator import dates, names
from generator.dates import PartialDate, Precision, parse_date
from generator.document import Document
from generator.errors import ContentError, Problem, Severity
from generator.load import parse_file, parse_markdown, parse_seed
from generator.markup import _BLOCK_TAGS as BLOCK_TAGS
from generator.markup import ALLOWED_TAGS, html_to_blocks, render_markdown
from generator.spill import fetch
from generator.text import (
    COMPRESS_FROM,
    ELLIPSIS,
    HEADLINE_MAX,
    HEADLINE_SLACK,
    clean_scraped_text,
    headline_from_lead,
    normalise,
    pack,
    pack_for_archive,
    sentence_breaks,
    shorten,
    split_blocks,
    unpack,
)

fast = settings(deadline=None)

# Any text, control characters included (st.text() leaves out only lone surrogates).
any_text = st.text(st.characters(exclude_categories=["Cs"]))
date_like = st.text(alphabet="0123456789-/.,:TZ+ meiMayjulyJulidecDecmaartfebe", max_size=30)


def parse_document(path: Path, data: bytes) -> tuple[Document | None, list[Problem]]:
    """One article file (not a spreadsheet) -> its document or None, and the problems."""
    documents, problems = parse_file(path, data)
    assert len(documents) <= 1
    return (documents[0][1] if documents else None), problems


def _only_content_errors(parse, text: str) -> None:
    try:
        parse(text)
    except ContentError as error:
        assert error.message
        assert error.line >= 1


# --- parsers never fail with anything but ContentError --------------------------------------


@fast
@given(st.one_of(any_text, date_like))
def test_parse_date_raises_only_content_error(raw: str):
    try:
        parsed = parse_date(raw)
    except ContentError as error:
        assert error.message
        return
    assert 1000 <= parsed.year <= 9999
    assert 0 <= parsed.month <= 12
    assert 0 <= parsed.day <= 31
    assert not (parsed.day and not parsed.month)


def _outcome(parse, raw: str) -> PartialDate | str:
    try:
        return parse(raw)
    except ContentError as error:
        return f"error: {error.message}"


iso_shaped = st.from_regex(r"\A\s?[0-9]{4}(-[0-9]{1,2}(-[0-9]{1,2})?)?\s?\Z")


@fast
@given(st.one_of(iso_shaped, date_like))
@example("2017-00")
@example("2016-02-29")
@example("2017-02-29")
@example("0999-05")
def test_plain_iso_dates_read_without_dateutil_read_as_dateutil_reads_them(raw: str):
    """parse_date reads `YYYY[-MM[-DD]]` itself (for speed): the same result, or the same
    error, as the dateutil path it skips."""
    assert _outcome(parse_date, raw) == _outcome(dates._parse_with_dateutil, raw)


@fast
@given(st.one_of(any_text, date_like.map(lambda d: "date " + d), any_text.map("date ".__add__)))
def test_parse_seed_raises_only_content_error(text: str):
    _only_content_errors(parse_seed, text)


@fast
@given(
    st.one_of(
        any_text,
        st.tuples(st.one_of(date_like, any_text), any_text).map(
            lambda parts: f"Title: T\nDate: {parts[0]}\n\n{parts[1]}"
        ),
        st.tuples(any_text, any_text).map(lambda parts: f"---\n{parts[0]}\n---\n{parts[1]}"),
    )
)
def test_parse_markdown_raises_only_content_error(text: str):
    _only_content_errors(parse_markdown, text)


@fast
@given(st.binary(), st.sampled_from(["a.txt", "a.md", "a.markdown"]))
@example(b"\xff\xfed\x00a\x00t\x00e\x00", "a.txt")
@example("date 2017 Israël".encode("cp1252"), "a.txt")
def test_parse_document_turns_any_bytes_into_a_document_or_problems(data: bytes, name: str):
    document, problems = parse_document(Path(name), data)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if document is None:
        assert len(errors) == 1
        assert errors[0].line >= 1
    else:
        assert errors == []
        assert document.blocks


# --- plain text stays plain; Markdown stays safe --------------------------------------------

_SEED_TAG = re.compile(r"</?(?:p|h2)>")


@fast
@given(any_text)
def test_seed_body_html_has_no_markup_but_its_own_paragraphs(text: str):
    try:
        document = parse_seed("date 2017-05 " + text)
    except ContentError:
        return
    assert "<" not in _SEED_TAG.sub("", document.body_html)
    assert ">" not in _SEED_TAG.sub("", document.body_html)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


hostile_markdown = st.lists(
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x]( javascript:alert(1))",
            '<a href="javascript:alert(1)">y</a>',
            '<a href="data:text/html,<script>alert(1)</script>">d</a>',
            "![i](javascript:alert(1))",
            '<div onclick="alert(1)">klik</div>',
            "<iframe src=https://evil.example/></iframe>",
            "<style>body{}</style>",
            "<!-- comment -->",
            "<svg onload=alert(1)>",
            "[ok](https://nos.nl/)",
            "*nadruk*",
            "# Kop",
            "tekst",
            "\n\n",
            "\n",
            " ",
            "<",
            ">",
            '"',
        ]
    ),
    min_size=1,
    max_size=12,
).map("".join)


@fast
@given(hostile_markdown)
def test_markdown_body_html_only_has_allowed_tags_and_safe_addresses(body: str):
    try:
        document = parse_markdown("Title: T\nDate: 2017\n\n" + body)
    except ContentError:
        return
    parser = _Tags()
    parser.feed(document.body_html)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src"):
                address = (value or "").strip().lower()
                assert not address.startswith(("javascript:", "data:", "vbscript:")), address


class _ReferenceBlocks(HTMLParser):
    """How html_to_blocks read HTML before it had its own tokeniser: the oracle."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self.parts: list[str] = []
        self.kind = "p"

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "br":  # a line break between words is a space between them
            self.parts.append(" ")
        if tag in BLOCK_TAGS:
            self.flush()
            self.kind = "h2" if tag.startswith("h") else "p"

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self.flush()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def flush(self) -> None:
        text = " ".join("".join(self.parts).split())
        if text:
            self.blocks.append((self.kind, text))
        self.parts, self.kind = [], "p"


markdown_pieces = st.lists(
    st.sampled_from(
        [
            "# Kop\n",
            "### Kleinere kop\n",
            "- een\n- twee\n",
            "1. een\n2. twee\n",
            "> citaat\n",
            "```\ncode <b>\n```\n",
            "`code`",
            "| a | b |\n|---|---|\n| 1 | 2 |\n",
            "Noot[^1].\n\n[^1]: De noot.\n",
            '[link](https://nos.nl/ "titel > met <tekens>")',
            "<em>schuin</em>",
            "<p>alinea</p>",
            "<li>los</li>",
            "<br>",
            "regel  \nbreuk",
            "&amp; &lt; &gt; &quot; &#39; &nbsp; &eacute; &#x263A; &bogus;",
            "AT&T",
            "Israël ½ — „citaat”",
            "\u00a0\u2003",
            "***",
            "\n\n",
            "tekst",
            " ",
        ]
    )
    | hostile_markdown,
    min_size=1,
    max_size=10,
).map("".join)


@fast
@given(st.one_of(markdown_pieces, any_text))
def test_html_to_blocks_reads_sanitised_html_as_htmlparser_does(source: str):
    html = render_markdown(source)
    reference = _ReferenceBlocks()
    reference.feed(html)
    reference.close()
    reference.flush()
    assert [(b.kind, b.text) for b in html_to_blocks(html)] == reference.blocks


@given(st.one_of(st.binary(), st.binary(min_size=500, max_size=70_000)), st.booleans())
def test_packed_text_unpacks_to_the_same_bytes(data: bytes, large_archive: bool):
    pack_for_archive(COMPRESS_FROM if large_archive else COMPRESS_FROM - 1)
    try:
        packed = pack(data)
    finally:
        pack_for_archive(COMPRESS_FROM)  # as the module starts
    assert unpack(packed) == data
    if large_archive:  # kept out of memory or not, zlib
        assert zlib.decompress(fetch(packed)) == data
    else:
        assert fetch(packed) == b"\0" + data


# --- headline_from_lead and shorten ---------------------------------------------------------


@fast
@given(any_text, any_text)
@example("", "")
@example("x" * 130 + ".", "f")
def test_headline_is_never_empty_trimmed_and_at_most_120_characters(lead: str, fallback: str):
    headline = headline_from_lead(lead, fallback)
    assert headline
    assert headline == headline.strip()
    assert len(headline) <= HEADLINE_MAX + HEADLINE_SLACK


@fast
@given(any_text, st.integers(min_value=1, max_value=150))
@example("abcdefghij klm", 5)
def test_shorten_is_never_longer_than_the_limit(text: str, limit: int):
    assert len(shorten(text, limit)) <= limit


letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éëïöüÉ"
word = st.tuples(
    st.text(alphabet=letters, min_size=1, max_size=12),
    st.sampled_from(["", "", "", ",", ".", ";", ":", "!", "?", "'", "…"]),
).map("".join)


@fast
@given(st.lists(word, max_size=40), st.integers(min_value=2, max_value=150))
def test_shorten_fits_when_every_word_fits(words: list[str], limit: int):
    words = [w[: limit - 1] for w in words]
    assert len(shorten(" ".join(words), limit)) <= limit


@fast
@given(
    st.lists(word, max_size=40),
    st.lists(st.sampled_from([" ", "  ", "\n", "\t", " \n "]), min_size=40, max_size=40),
    st.integers(min_value=1, max_value=150),
)
def test_shorten_is_the_text_or_its_first_words_and_an_ellipsis(
    words: list[str], gaps: list[str], limit: int
):
    text = "".join(w + g for w, g in zip(words, gaps, strict=False))
    whole = " ".join(words)
    result = shorten(text, limit)
    if len(whole) <= limit:
        assert result == whole
        return
    assert result.endswith(ELLIPSIS)
    body = result[: -len(ELLIPSIS)]
    if " " not in body and body not in (words[0], words[0].rstrip(",;:")):
        # Only a first word too long for the limit may be cut inside the word.
        assert words[0].startswith(body)
        assert len(words[0]) + len(ELLIPSIS) > limit
        return
    kept = body.split(" ")
    assert kept[:-1] == words[: len(kept) - 1]
    last = words[len(kept) - 1]
    assert kept[-1] in (last, last.rstrip(",;:")), (last, kept[-1])


# --- dates round-trip at the precision written ----------------------------------------------

DUTCH = "januari februari maart april mei juni juli augustus september oktober november december"
ENGLISH = "January February March April May June July August September October November December"
DUTCH_MONTHS = DUTCH.split()
ENGLISH_MONTHS = ENGLISH.split()

FORMATS = {
    "YYYY-MM": (lambda d: f"{d.year:04d}-{d.month:02d}", Precision.MONTH),
    "YYYY-MM-DD": (lambda d: d.isoformat(), Precision.DAY),
    "D maand YYYY": (lambda d: f"{d.day} {DUTCH_MONTHS[d.month - 1]} {d.year}", Precision.DAY),
    "Month D, YYYY": (lambda d: f"{ENGLISH_MONTHS[d.month - 1]} {d.day}, {d.year}", Precision.DAY),
    "maand YYYY": (lambda d: f"{DUTCH_MONTHS[d.month - 1]} {d.year}", Precision.MONTH),
    "Month YYYY": (lambda d: f"{ENGLISH_MONTHS[d.month - 1]} {d.year}", Precision.MONTH),
    "DD/MM/YYYY": (lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}", Precision.DAY),
    "ISO timestamp": (lambda d: f"{d.isoformat()}T10:20:00Z", Precision.DAY),
    "YYYY": (lambda d: f"{d.year}", Precision.YEAR),
}

# Years before 1000 are refused on purpose ("no year in four digits"), so they are not generated.
plausible_dates = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31))


def _expected(day: dt.date, precision: Precision) -> PartialDate:
    if precision is Precision.YEAR:
        return PartialDate(day.year)
    if precision is Precision.MONTH:
        return PartialDate(day.year, day.month)
    return PartialDate(day.year, day.month, day.day)


@pytest.mark.parametrize("name", list(FORMATS))
@fast
@given(day=plausible_dates)
def test_parse_date_returns_exactly_the_written_date_and_precision(name: str, day: dt.date):
    write, precision = FORMATS[name]
    parsed = parse_date(write(day))
    assert parsed == _expected(day, precision)
    assert parsed.precision is precision


@pytest.mark.parametrize("name", ["YYYY-MM", "YYYY-MM-DD", "D maand YYYY", "maand YYYY"])
@fast
@given(day=plausible_dates)
def test_seed_date_line_returns_exactly_the_written_date(name: str, day: dt.date):
    write, precision = FORMATS[name]
    document = parse_seed(f" date {write(day)} De tekst.")
    assert document.date == _expected(day, precision)


# --- split_blocks loses no text -------------------------------------------------------------

plain_word = st.text(alphabet=letters + ".,;:!?'\"()-–„”*_<>&#", min_size=1, max_size=10)
separator = st.sampled_from([" ", " ", " ", "\n", "\n\n", " \n \n ", "\t", "\r\n", "\r\n\r\n"])


def _plain_text(draw_words: list[str], gaps: list[str]) -> str:
    return "".join(w + g for w, g in zip(draw_words, gaps, strict=False))


@fast
@given(st.lists(plain_word, max_size=50), st.lists(separator, min_size=50, max_size=50))
def test_split_blocks_keeps_every_word_in_order(words: list[str], gaps: list[str]):
    text = _plain_text(words, gaps)
    blocks = split_blocks(text)
    assert " ".join(b.text for b in blocks).split() == words
    assert all(b.text and b.text == b.text.strip() for b in blocks)


@fast
@given(st.lists(plain_word, min_size=1, max_size=50), st.lists(separator, min_size=50, max_size=50))
def test_seed_text_without_scrape_markers_keeps_every_word_in_order(
    words: list[str], gaps: list[str]
):
    text = _plain_text(words, gaps)
    if ",," in text or "Quote" in text or "Volledig scherm" in text:
        return  # those are scrape markers, cleaned on purpose
    assert clean_scraped_text(text).split() == words
    document = parse_seed("date 2017-05 " + text)
    assert " ".join(b.text for b in document.blocks).split() == words


sentence_pieces = st.sampled_from(
    [
        "Trump",
        "Witte",
        "Huis",
        "de",
        "van",
        "Dr.",
        "St.",
        "J.",
        "zei",
        "G20-top",
        "’",
        "'",
        "„",
        "(",
        ")",
        ".",
        "!",
        "?",
        "…",
        ":",
        ";",
        ",",
        "Poetin.",
        "Lavrov!",
        "The",
        "of",
    ]
)


@fast
@given(st.lists(sentence_pieces, max_size=30))
def test_name_segments_never_cross_a_sentence_break(pieces: list[str]):
    """scan_text searches a whole paragraph for name segments at once, which gives the
    same runs as searching sentence by sentence only if no segment spans a break."""
    text = " ".join(" ".join(pieces).split())
    for match in names._SEGMENT.finditer(text):
        for end, start in sentence_breaks(text):
            assert not (match.start() < start and match.end() > end), (text, match.group())


@fast
@given(
    st.lists(
        sentence_pieces | st.sampled_from(["Sint", "Sint.", "Mr", "-Trump", "’t", "x", "Ab1"]),
        max_size=30,
    ),
    st.lists(st.sampled_from([" ", "", "  ", "-", "'", "\n", "é"]), min_size=30, max_size=30),
    any_text,
)
@example(["St.Petersburg"], [" "], "")
@example(["Sint", "Maarten"], [" ", " "], "")
def test_name_segments_are_found_as_the_readable_pattern_finds_them(
    pieces: list[str], gaps: list[str], tail: str
):
    """`names._SEGMENT` is written for speed (its first character first); it finds the
    same segments as the pattern written for reading."""
    text = "".join(piece + gap for piece, gap in zip(pieces, gaps, strict=False)) + tail
    readable = re.compile(names.SEGMENT_AS_WRITTEN)
    found = [(m.start(), m.group()) for m in names._SEGMENT.finditer(text)]
    assert found == [(m.start(), m.group()) for m in readable.finditer(text)]


@fast
@given(any_text | st.text(st.sampled_from("aeëéiï IJijİıß\u0301\u0308\u093f\U0001d167Ææ_’.")))
@example("Israël Curaçao ﬁnale İstanbul")
def test_normalise_is_decomposed_without_marks_casefolded(text: str):
    """`normalise` (search words, and search.js the same way) looks for marks only
    among the characters that are not ASCII; the same as the definition, written out."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    assert normalise(text) == bare.casefold()
