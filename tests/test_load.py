"""The load stage: decoding, the seed format, Markdown with a header, and the folder walk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import generator.load
from generator.dates import PartialDate
from generator.document import Document
from generator.errors import ContentError, Problem, Severity
from generator.load import decode_source, load_documents, parse_file, parse_markdown, parse_seed
from generator.text import Block

from .conftest import SEEDS, make_tree
from .test_dates import DOCUMENTED_DATES

SEED_003 = SEEDS / "003_0bcac9150e38803d.txt"


def parse_document(path: Path, data: bytes) -> tuple[Document | None, list[Problem]]:
    """One article file (not a spreadsheet) -> its document or None, and the problems."""
    documents, problems = parse_file(path, data)
    assert len(documents) <= 1
    return (documents[0][1] if documents else None), problems


def _seed(name: str):
    return parse_seed((SEEDS / name).read_text(encoding="utf-8"))


def _content_error(parse, text: str) -> ContentError:
    with pytest.raises(ContentError) as caught:
        parse(text)
    return caught.value


# --- decode_source --------------------------------------------------------------------------


def test_utf8_is_read_without_warning():
    assert decode_source("date 2017 Israël\n".encode()) == ("date 2017 Israël\n", None)


def test_utf8_byte_order_mark_is_dropped():
    assert decode_source(b"\xef\xbb\xbfdate 2017 Tekst\n") == ("date 2017 Tekst\n", None)


def test_windows_1252_is_read_with_a_warning_naming_the_line():
    data = "date 2017\n\nnaïef ‘citaat’ €5\n".encode("cp1252")
    assert decode_source(data) == (
        "date 2017\n\nnaïef ‘citaat’ €5\n",
        "line 3 is not UTF-8: read the file as Windows-1252; save it as UTF-8",
    )


def test_latin1_is_read_with_a_warning():
    text, warning = decode_source("date 2017 Israël\n".encode("latin-1"))
    assert text == "date 2017 Israël\n"
    assert warning == "line 1 is not UTF-8: read the file as Windows-1252; save it as UTF-8"


@pytest.mark.parametrize("data", [b"", b"   \n\n\t"])
def test_empty_file_is_refused(data: bytes):
    assert _content_error(decode_source, data).message == "empty file"


def test_file_with_only_a_byte_order_mark_is_empty():
    assert _content_error(decode_source, b"\xef\xbb\xbf\n").message == "empty file"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_refused(encoding: str):
    error = _content_error(decode_source, "date 2017 Tekst.\n".encode(encoding))
    assert error.message == "binary file (or UTF-16 text); save articles as UTF-8 text"


def test_binary_is_refused():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
    assert "binary file" in _content_error(decode_source, png).message


def test_control_characters_without_nul_are_refused_at_the_first_bad_line():
    data = b"date 2017\n" + bytes(range(0x80, 0xA0)) * 3
    error = _content_error(decode_source, data)
    assert error.message == "not UTF-8, and not readable as text; save it as UTF-8"
    assert error.line == 2


# --- parse_seed -----------------------------------------------------------------------------


def test_seed_with_text_on_the_date_line():
    document = parse_seed(" date 2017-05 Donald Trump deelde geheimen.\n\nMeer tekst.\n")
    assert document.date == PartialDate(2017, 5)
    assert document.blocks == (
        Block("p", "Donald Trump deelde geheimen."),
        Block("p", "Meer tekst."),
    )
    assert str(document.body_html) == "<p>Donald Trump deelde geheimen.</p>\n<p>Meer tekst.</p>"
    assert (document.title, document.slug, document.url, document.tags) == ("", "", "", ())


def test_seed_with_text_on_the_next_line():
    document = parse_seed("date 16 mei 2017\nHallo wereld.")
    assert document.date == PartialDate(2017, 5, 16)
    assert document.blocks == (Block("p", "Hallo wereld."),)


@pytest.mark.parametrize(("written", "expected"), DOCUMENTED_DATES)
def test_seed_dates_in_every_documented_format(written: str, expected: PartialDate):
    document = parse_seed(f"date {written} De tekst begint hier.")
    assert document.date == expected
    assert document.blocks == (Block("p", "De tekst begint hier."),)


def test_seed_date_does_not_swallow_a_number_that_starts_the_text():
    document = parse_seed("date 2017 2018 was een jaar.")
    assert document.date == PartialDate(2017)
    assert document.blocks == (Block("p", "2018 was een jaar."),)


def test_seed_keyword_is_case_insensitive_and_may_have_a_colon():
    assert parse_seed("Date: 2017-05 Hallo.").date == PartialDate(2017, 5)
    assert parse_seed("DATE 2017-05 Hallo.").date == PartialDate(2017, 5)


def test_seed_without_date_word_is_an_error_on_line_1():
    error = _content_error(parse_seed, "Hallo, date 2017-05")
    assert error.line == 1
    assert error.message.startswith("no date:")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "\n\n  date banaan Hallo.",
            3,
            "cannot read the date 'banaan' (write e.g. `date 2017-05`)",
        ),
        ("\n\n  date 2017-13 Hallo.", 3, "cannot read the date '2017-13'"),
        ("\ndate 30/02/2017 Hallo.", 2, "cannot read the date '30/02/2017'"),
        ("date", 1, "no date after `date` (write e.g. `date 2017-05`)"),
        ("\n\n\ndate 2017-05\n\n", 4, "no article text after the date"),
    ],
)
def test_seed_errors_name_the_line_of_the_date(text: str, line: int, message: str):
    error = _content_error(parse_seed, text)
    assert (error.line, error.message) == (line, message)


def test_seed_date_without_year_is_an_error():
    error = _content_error(parse_seed, "date mei Hallo.")
    assert error.line == 1
    assert "mei" in error.message


def test_seed_text_is_plain_text_never_html_or_markdown():
    document = parse_seed(
        "date 2017-05 <script>alert(1)</script> is geen code.\n\n"
        "*not emphasis* en _ook niet_ en <b>niet vet</b>.\n\n"
        "# geen kop & [geen link](http://x.org).\n\n"
        "1. not a list\n2. ook geen lijst"
    )
    assert str(document.body_html) == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; is geen code.</p>\n"
        "<p>*not emphasis* en _ook niet_ en &lt;b&gt;niet vet&lt;/b&gt;.</p>\n"
        "<p># geen kop &amp; [geen link](http://x.org).</p>\n"
        "<p>1. not a list 2. ook geen lijst</p>"
    )
    assert document.blocks[0].text == "<script>alert(1)</script> is geen code."


def test_seed_short_markdown_looking_line_is_escaped_as_a_subheading():
    document = parse_seed("date 2017 Eerste.\n\n*not emphasis*\n\nTweede.")
    assert "<h2>*not emphasis*</h2>" in document.body_html
    assert "<em>" not in document.body_html


def test_seed_with_windows_line_endings():
    document = parse_seed("date 2017-05 Eerste.\r\n\r\nKop\r\n\r\nTweede.\r\n")
    assert document.blocks == (Block("p", "Eerste."), Block("h2", "Kop"), Block("p", "Tweede."))


# --- the real seeds -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "date", "headings", "count"),
    [
        (
            "000_6ce33291c848d3e1.txt",
            PartialDate(2017, 5),
            ["Staatsgeheimen", "Pijnlijke timing"],
            9,
        ),
        (
            "001_5883c073d3e69394.txt",
            PartialDate(2017, 5),
            ["Hezbollah", "'Zeer, zeer succesvol'"],
            9,
        ),
        ("002_f80c548452cfc866.txt", PartialDate(2018, 7), ["Ontkenning", "Groot succes"], 12),
        (
            "003_0bcac9150e38803d.txt",
            PartialDate(2018, 7),
            ["Hete aardappel", "Kernwapens", "Duitsland"],
            17,
        ),
        ("004_e5491d042b67adbc.txt", PartialDate(2017, 7), ["Dom", "Chaos stichten"], 10),
    ],
)
def test_real_seeds_dates_subheadings_and_blocks(name, date, headings, count):
    document = _seed(name)
    assert document.date == date
    assert [b.text for b in document.blocks if b.kind == "h2"] == headings
    assert len(document.blocks) == count
    assert document.blocks[0].kind == "p"
    assert document.blocks[-1].kind == "p"


def test_seed_003_scrape_leftovers_are_gone():
    document = parse_seed(SEED_003.read_text(encoding="utf-8"))
    for block in document.blocks:
        for leftover in ("Volledig scherm", "©", "Quote ", ",,"):
            assert leftover not in block.text, (leftover, block.text)


def test_seed_003_real_quote_stays_and_pull_quote_goes():
    document = parse_seed(SEED_003.read_text(encoding="utf-8"))
    text = "\n\n".join(b.text for b in document.blocks)
    quote = "Ik ben hier om de lange traditie van Amerikaanse diplomatie voort te zetten"
    assert text.count(quote) == 1
    assert text.count("„" + quote + ". Diplomatie is beter dan conflicten”") == 1


def test_seed_003_text_around_caption_and_pull_quote_is_kept():
    blocks = [b.text for b in parse_seed(SEED_003.read_text(encoding="utf-8")).blocks]
    assert blocks[1].startswith("De Russische leider zelf zei te zullen kijken naar")
    assert blocks[4].startswith(
        "Rusland en de Verenigde Staten staan voor vele nieuwe uitdagingen."
    )
    assert "„We hebben open en diepgaand gesproken”, aldus de Amerikaanse president." in blocks[3]


def test_seed_003_sentence_with_st_petersburg_is_intact():
    blocks = [b.text for b in parse_seed(SEED_003.read_text(encoding="utf-8")).blocks]
    assert "aanslag in St. Petersburg. De verdachten werden tijdig gearresteerd." in blocks[8]


# --- parse_markdown -------------------------------------------------------------------------

README_EXAMPLE = """\
Title: Trump en Poetin praten in Helsinki
Date: 16 juli 2018
Source: NOS
URL: https://nos.nl/artikel/2241683
Tags: Helsinki, top
Slug: trump-poetin-helsinki

De twee presidenten spraken ruim twee uur met elkaar. *Niemand* weet wat er is gezegd.
"""


def test_markdown_readme_example():
    document = parse_markdown(README_EXAMPLE)
    assert document.date == PartialDate(2018, 7, 16)
    assert document.title == "Trump en Poetin praten in Helsinki"
    assert document.source == "NOS"
    assert document.url == "https://nos.nl/artikel/2241683"
    assert document.tags == ("Helsinki", "top")
    assert document.slug == "trump-poetin-helsinki"
    assert document.event == ""
    assert document.warnings == ()
    assert str(document.body_html) == (
        "<p>De twee presidenten spraken ruim twee uur met elkaar. <em>Niemand</em> weet wat er "
        "is gezegd.</p>"
    )
    assert document.blocks == (
        Block(
            "p",
            "De twee presidenten spraken ruim twee uur met elkaar. Niemand weet wat er is gezegd.",
        ),
    )


def test_markdown_header_between_fences_and_headings_start_at_level_2():
    document = parse_markdown(
        "---\nTitle: Kop: met dubbele punt\nDate: 2017-05\nEvent: De top\n---\n# Kop\n\nTekst."
    )
    assert document.title == "Kop: met dubbele punt"
    assert document.event == "De top"
    assert document.date == PartialDate(2017, 5)
    assert str(document.body_html) == "<h2>Kop</h2>\n<p>Tekst.</p>"
    assert document.blocks == (Block("h2", "Kop"), Block("p", "Tekst."))


def test_markdown_header_keys_are_case_insensitive_and_tags_trimmed():
    document = parse_markdown("title: X\nDATE: 2017\ntags:  a , b,, c ,\n\nTekst.")
    assert (document.title, document.date, document.tags) == (
        "X",
        PartialDate(2017),
        ("a", "b", "c"),
    )


def test_markdown_unknown_and_repeated_keys_are_warnings_with_lines():
    document = parse_markdown("Title: X\nAuthor: Jan\nDate: 2017-05\nTitle: Y\n\nTekst.")
    assert document.title == "X"
    assert document.warnings == (
        (2, "unknown header 'Author' ignored (known: Title, Date, Slug, Source, Url, Tags, Event)"),
        (4, "'Title' given twice; the first one is used"),
    )


def test_markdown_without_title_warns_on_line_1():
    document = parse_markdown("Date: 2017\n\nTekst.")
    assert document.title == ""
    assert document.warnings == (
        (1, "no `Title:` in the header; the headline is taken from the text"),
    )


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.org/", "nos.nl/artikel"])
def test_markdown_non_http_url_is_dropped_with_a_warning(url: str):
    document = parse_markdown(f"Title: X\nDate: 2017\nURL: {url}\n\nTekst.")
    assert document.url == ""
    assert document.warnings == ((3, f"URL {url!r} is not an http(s) address; ignored"),)


@pytest.mark.parametrize(
    "text",
    [
        "Title: X\nSource: NOS\n\nTekst.",
        "\n\nTitle: X\n\nDate: 2017\n\nTekst.",  # the Date line is in the body
    ],
)
def test_markdown_without_date_is_an_error_on_line_1(text: str):
    error = _content_error(parse_markdown, text)
    assert (error.line, error.message) == (
        1,
        "no `Date:` in the header (write e.g. `Date: 2017-05-16`)",
    )


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Title: X\nSource: NOS\nDate: banaan\n\nTekst.", 3, "cannot read the date 'banaan'"),
        ("\n---\nTitle: X\nDate: mei\n---\n\nTekst.", 4, "the date 'mei' has no year"),
        ("Title: X\nDate:\n\nTekst.", 2, "empty date"),
    ],
)
def test_markdown_bad_date_is_an_error_on_the_date_line(text: str, line: int, message: str):
    error = _content_error(parse_markdown, text)
    assert (error.line, error.message) == (line, message)


def test_markdown_without_header_is_an_error_on_line_1():
    error = _content_error(parse_markdown, "Zomaar tekst\n\nMeer tekst.")
    assert error.line == 1
    assert error.message.startswith("no header:")


def test_markdown_broken_header_line_is_an_error_on_its_line():
    error = _content_error(parse_markdown, "Title: X\nDate: 2017\nnot a header line\n\nTekst.")
    assert (error.line, error.message) == (
        3,
        "header line is not `Key: value`: 'not a header line'",
    )


def test_markdown_without_body_is_an_error_on_the_body_line():
    error = _content_error(parse_markdown, "Title: X\nDate: 2017\n\n")
    assert (error.line, error.message) == (4, "no article text after the header")


def test_markdown_raw_html_and_javascript_links_do_not_survive():
    document = parse_markdown(
        "Title: X\nDate: 2017\n\n"
        "<script>alert(1)</script>\n\n"
        "<img src=x onerror=alert(2)>\n\n"
        '[x](javascript:alert(3)) en <a href="javascript:alert(4)">y</a> en '
        '<a href="https://nos.nl/" onclick="alert(5)">z</a>\n\n'
        '<div style="color:red"><iframe src="https://evil.example/"></iframe></div>\n\n'
        "Gewoon."
    )
    html = str(document.body_html).lower()
    for forbidden in ("<script", "alert", "onerror", "javascript:", "onclick", "<iframe", "style="):
        assert forbidden not in html, forbidden
    assert 'href="https://nos.nl/"' in html  # a safe link keeps its address
    assert document.blocks[-1] == Block("p", "Gewoon.")


# --- parse_document and load_documents ------------------------------------------------------


def test_parse_document_turns_errors_into_problems_with_path_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    document, problems = parse_document(Path("a/bad.md"), b"Title: X\nDate: banaan\n\nTekst.")
    assert document is None
    assert [str(p) for p in problems] == ["a/bad.md:2: cannot read the date 'banaan'"]
    assert problems[0].severity is Severity.ERROR


def test_parse_document_picks_the_parser_by_suffix(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = b"Date: 2017\n\n*Tekst*"
    as_md, _ = parse_document(Path("x.MD"), text)
    as_txt, _ = parse_document(Path("x.txt"), b"date 2017 *Tekst*")
    assert as_md is not None and str(as_md.body_html) == "<p><em>Tekst</em></p>"
    assert as_txt is not None and str(as_txt.body_html) == "<p>*Tekst*</p>"


def test_parse_document_reports_encoding_and_header_warnings(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = "Date: 2017\nAuthor: Jan\n\nIsraël.".encode("cp1252")
    document, problems = parse_document(Path("x.md"), data)
    assert document is not None
    assert document.blocks == (Block("p", "Israël."),)
    assert problems == [
        Problem(
            "x.md",
            1,
            "line 4 is not UTF-8: read the file as Windows-1252; save it as UTF-8",
            Severity.WARNING,
        ),
        Problem(
            "x.md",
            2,
            "unknown header 'Author' ignored (known: Title, Date, Slug, Source, Url, Tags, Event)",
            Severity.WARNING,
        ),
        Problem(
            "x.md",
            1,
            "no `Title:` in the header; the headline is taken from the text",
            Severity.WARNING,
        ),
    ]


def test_load_documents_walks_sorted_and_skips_hidden_and_underscore_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    make_tree(
        tmp_path / "articles",
        {
            "b.txt": "date 2017-02 B.",
            "a.txt": "date 2017-01 A.",
            "sub/c.md": "Title: C\nDate: 2017-03\n\nC.",
            "sub/d.markdown": "Title: D\nDate: 2017-04\n\nD.",
            ".hidden.txt": "date 2017 Verborgen.",
            "_draft.txt": "date 2017 Concept.",
            "_drafts/e.txt": "date 2017 Concept.",
            ".git/f.md": "Title: F\nDate: 2017\n\nF.",
            "notes.rst": "date 2017 Geen artikel.",
            "sub/readme": "date 2017 Geen artikel.",
        },
    )
    monkeypatch.chdir(tmp_path)
    documents, problems = load_documents(Path("articles"))
    assert problems == []
    assert [d.path for d in documents] == [
        "articles/a.txt",
        "articles/b.txt",
        "articles/sub/c.md",
        "articles/sub/d.markdown",
    ]
    assert [d.document.date for d in documents] == [
        PartialDate(2017, 1),
        PartialDate(2017, 2),
        PartialDate(2017, 3),
        PartialDate(2017, 4),
    ]
    assert documents[0].path == "articles/a.txt"


def test_load_documents_skips_bad_articles_and_keeps_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    make_tree(
        tmp_path / "articles",
        {
            "good.txt": "date 2017-05 Goed.",
            "nodate.txt": "Geen datum.",
            "baddate.md": "Title: X\nSource: NOS\nDate: 32 mei 2017\n\nTekst.",
            "empty.txt": b"",
            "utf16.txt": "date 2017 Tekst.".encode("utf-16"),
        },
    )
    monkeypatch.chdir(tmp_path)
    documents, problems = load_documents(Path("articles"))
    assert [d.path for d in documents] == ["articles/good.txt"]
    assert [str(p) for p in problems] == [
        "articles/baddate.md:3: cannot read the date '32 mei 2017'",
        "articles/empty.txt:1: empty file",
        "articles/nodate.txt:1: no date: a .txt article starts with `date YYYY-MM`, "
        "e.g. `date 2017-05`",
        "articles/utf16.txt:1: binary file (or UTF-16 text); save articles as UTF-8 text",
    ]
    assert all(p.severity is Severity.ERROR for p in problems)


def test_load_documents_reads_the_real_seeds():
    documents, problems = load_documents(SEEDS)
    assert problems == []
    assert [Path(d.path).name for d in documents] == [
        "000_6ce33291c848d3e1.txt",
        "001_5883c073d3e69394.txt",
        "002_f80c548452cfc866.txt",
        "003_0bcac9150e38803d.txt",
        "004_e5491d042b67adbc.txt",
    ]


def test_markdown_footnotes_link_both_ways_and_authors_ids_are_dropped():
    document = parse_markdown(
        'Title: T\nDate: 2017\n\nTekst.[^1] <a id="inhoud" href="#inhoud">x</a>\n\n[^1]: Noot.'
    )
    html = str(document.body_html)
    assert 'href="#fn-1"' in html and 'id="fn-1"' in html
    assert 'href="#fnref-1"' in html and 'id="fnref-1"' in html
    assert 'id="inhoud"' not in html  # the page's main landmark keeps its id


# --- a load told which paths changed (serve's watcher) ----------------------------------------

EDITED = "001_5883c073d3e69394.txt"


def _edit(source: Path) -> list[Path]:
    with (source / EDITED).open("a", encoding="utf-8") as file:
        file.write("\n\nEen zin erbij.")
    return [source / EDITED]


def _edit_with_others(source: Path) -> list[Path]:
    (source / ".001.txt.swp").write_text("an editor's swap file")
    (source / "site.toml").write_text((source / "site.toml").read_text() + "\n")
    return [*_edit(source), source / ".001.txt.swp", source / "site.toml", source.parent / "x"]


def _add(source: Path) -> list[Path]:
    (source / "nieuw.txt").write_text("date 2019-01 Nieuw.")
    return [source / "nieuw.txt"]


def _add_two(source: Path) -> list[Path]:
    """Two articles, placed among the others as a listing orders them."""
    (source / "000.txt").write_text("date 2019-01 Eerst.")
    (source / "001_5.txt").write_text("date 2019-02 Ertussen.")
    return [source / "001_5.txt", source / "000.txt"]


def _remove(source: Path) -> list[Path]:
    (source / EDITED).unlink()
    return [source / EDITED]


def _rename(source: Path) -> list[Path]:
    (source / EDITED).rename(source / "hernoemd.txt")
    return [source / EDITED, source / "hernoemd.txt"]


def _add_folder(source: Path) -> list[Path]:
    (source / "map").mkdir()
    (source / "map" / "a.txt").write_text("date 2019-01 In een map.")
    return [source / "map"]


def _many(source: Path) -> list[Path]:
    return [*_edit(source), *(source / f"weg-{n}.toml" for n in range(100))]


@pytest.mark.parametrize(
    ("change", "listed"),
    [
        (_edit, False),
        (_edit_with_others, False),  # swap files, settings, paths elsewhere do not count
        (_add, False),  # a new article file: put in its place
        (_add_two, False),
        (_remove, True),
        (_rename, True),
        (_add_folder, True),
        (_many, True),
    ],
)
def test_a_load_told_what_changed_is_the_load_that_lists_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change, listed: bool
):
    """`serve` tells the loader which paths its watcher saw change: it looks only at those,
    and lists the folder when an article may have gone, or a folder come."""
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    cache: dict = {}
    load_documents(source, cache)
    told_cache, listed_cache = dict(cache), dict(cache)
    changed = [str(path.resolve()) for path in change(source)]
    listings: list[Path] = []
    real = generator.load.source_files
    monkeypatch.setattr(generator.load, "source_files", lambda f: listings.append(f) or real(f))
    told = load_documents(source, told_cache, changed)
    assert bool(listings) is listed
    assert told == load_documents(source, listed_cache)
    assert list(told_cache.items()) == list(listed_cache.items())
