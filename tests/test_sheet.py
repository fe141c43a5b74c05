"""CSV import: a TimelineJS-template spreadsheet in the source folder, one article per row."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.dates import PartialDate
from generator.derive import own_fields
from generator.errors import ContentError
from generator.sheet import COLUMNS, parse_sheet

from .conftest import make_tree

HEADER = ",".join(COLUMNS)


def row(year: str = "", month: str = "", day: str = "", **cells: str) -> str:
    """One line in the template's column order; cells by name with `_` for spaces."""
    values = {"Year": year, "Month": month, "Day": day}
    values.update({name.replace("_", " "): value for name, value in cells.items()})
    return ",".join(values.get(column, "") for column in COLUMNS)


SHEET = "\n".join(
    [
        HEADER,  # line 1
        row(Headline="Trump en Rusland", Text="De hele tijdlijn", Type="title"),  # 2
        row(
            "2017",
            "5",
            "16",
            Headline="Trump deelt geheimen met <i>Lavrov</i>",
            Text='"<p>Trump sprak met <b>Lavrov</b>,\nin het Witte Huis.</p>'
            '<script>alert(1)</script>"',
            Media="https://nos.nl/artikel/1",
            Group="Staatsgeheimen",
        ),  # 3 and 4: a quoted cell over two lines
        row("twintig", "5", Headline="Slecht jaar", Text="Tekst."),  # 5
        row("2018", Headline="Alleen een jaar", Text="Poetin *zegt* niets."),  # 6
        "",  # 7
        row("2018", "7", Headline="Geen tekst"),  # 8
    ]
)


def test_rows_become_articles_at_the_precision_they_give():
    sheet = parse_sheet(SHEET)
    assert [(line, doc.date, doc.title) for line, doc in sheet.rows] == [
        (3, PartialDate(2017, 5, 16), "Trump deelt geheimen met Lavrov"),
        (6, PartialDate(2018), "Alleen een jaar"),
    ]
    trump, year_only = (doc for _, doc in sheet.rows)
    assert trump.body_html.strip() == "<p>Trump sprak met <b>Lavrov</b>,\nin het Witte Huis.</p>"
    assert trump.url == "https://nos.nl/artikel/1"
    assert trump.event == "Staatsgeheimen"
    assert year_only.body_html.strip() == "<p>Poetin <em>zegt</em> niets.</p>"
    assert year_only.event == ""


def test_a_bad_row_is_one_problem_at_its_own_line():
    sheet = parse_sheet(SHEET)
    assert [(error.line, error.message) for error in sheet.errors] == [
        (5, "Year 'twintig' is not a whole number"),
        (8, "no Text: every article needs text besides its headline"),
    ]
    assert sheet.warnings == ()


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (("2017", "13"), "Month '13' is not a month (1 to 12)"),
        (("2018", "2", "30"), "cannot read the date '2018-02-30'"),
        (("2018", "", "3"), "Day '3' without a Month"),
        (("", "5"), "no Year"),
        (("99",), "Year '99' is not a four-digit year"),
    ],
)
def test_bad_dates(cells: tuple[str, ...], message: str):
    sheet = parse_sheet(f"{HEADER}\n{row(*cells, Headline='Kop', Text='Tekst.')}\n")
    assert [(error.line, error.message) for error in sheet.errors] == [(2, message)]


def test_a_header_without_year_or_headline_is_one_problem_for_the_file():
    with pytest.raises(ContentError) as raised:
        parse_sheet("\nDatum,Titel,Text\n2017,Kop,Tekst\n")
    assert raised.value.line == 2
    assert raised.value.message.startswith("no Year or Headline column")


def test_columns_are_found_by_name_in_any_order_case_and_delimiter():
    sheet = parse_sheet("headline;TEXT;year;Kleur\nKop;Tekst.;2019;rood\n")
    assert [(line, doc.title, doc.date) for line, doc in sheet.rows] == [
        (2, "Kop", PartialDate(2019))
    ]
    assert sheet.warnings == ((1, "unknown column 'Kleur' ignored"),)


def test_media_that_is_not_a_web_address_is_ignored_with_a_warning():
    sheet = parse_sheet(f"{HEADER}\n{row('2017', Headline='K', Text='T.', Media='foto.jpg')}\n")
    assert sheet.rows[0][1].url == ""
    assert sheet.rows[0][1].warnings == (
        (2, "Media 'foto.jpg' is not an http(s) address; ignored"),
    )


def test_words_on_either_side_of_a_line_break_stay_apart():
    # TimelineJS sheets write `<br>` between lines; the dek and search words are text.
    text = "Eerste regel.<br><br>Tweede regel."
    sheet = parse_sheet(f"{HEADER}\n{row('2017', Headline='Kop', Text=text)}\n")
    document = sheet.rows[0][1]
    assert [block.text for block in document.blocks] == ["Eerste regel. Tweede regel."]
    assert own_fields(document, "a.csv").dek == "Eerste regel. Tweede regel."


def test_a_csv_in_the_source_folder_is_built_with_the_other_articles(cli, tmp_path: Path):
    make_tree(
        tmp_path / "src",
        {
            "tijdlijn.csv": SHEET + "\n" + row("2017", "5", "16", Headline="Trump", Text="Dubbel."),
            "los.txt": "date 2018-07 Trump en Poetin spraken in Helsinki.",
        },
    )
    result = cli("build", "--source", "src", "--out", "site")
    assert result.code == 0
    assert result.err.splitlines() == [
        "src/tijdlijn.csv:5: Year 'twintig' is not a whole number",
        "src/tijdlijn.csv:8: no Text: every article needs text besides its headline",
    ]
    assert "Built 4 articles in 3 events (2 skipped)" in result.out
    site = tmp_path / "site"
    article = (site / "2017/05/trump-deelt-geheimen-met-lavrov/index.html").read_text()
    assert "<h1>Trump deelt geheimen met Lavrov</h1>" in article
    assert '<a href="https://nos.nl/artikel/1" rel="noopener noreferrer nofollow">' in article
    assert "alert(1)" not in article
    assert "<h1>Staatsgeheimen</h1>" in (site / "2017/05/index.html").read_text()
    assert (site / "2018/alleen-een-jaar/index.html").is_file()


def test_a_clashing_slug_points_to_the_row(cli, tmp_path: Path):
    make_tree(
        tmp_path / "src",
        {
            "a.csv": "\n".join(
                [
                    "Year,Month,Headline,Text",
                    "2017,5,Trump ontmoet Lavrov,Eerste.",
                    "2017,5,Trump ontmoet Lavrov,Tweede.",
                ]
            )
        },
    )
    result = cli("build", "--source", "src", "--out", "site")
    assert result.err.splitlines() == [
        "src/a.csv:3: slug 'trump-ontmoet-lavrov' is already used by src/a.csv:2; "
        "this article gets 'trump-ontmoet-lavrov-2'"
    ]
    assert "Built 2 articles in 1 event (0 skipped)" in result.out


def test_a_csv_without_a_usable_header_skips_the_file(cli, tmp_path: Path):
    make_tree(tmp_path / "src", {"a.csv": "Datum,Titel\n2017,Kop\n", "b.txt": "date 2017 Tekst."})
    result = cli("build", "--source", "src", "--out", "site")
    assert result.code == 0
    assert result.err.splitlines() == [
        "src/a.csv:1: no Year or Headline column: a TimelineJS sheet has a header row such as "
        "`Year,Month,Day,Headline,Text`"
    ]
    assert "Built 1 article in 1 event (1 skipped)" in result.out
