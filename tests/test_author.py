"""The author's commands: `new` starts an article, `check` reports problems without building."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from generator.load import parse_markdown
from generator.new import new_article

from .conftest import SEEDS, make_tree


def test_new_writes_a_markdown_article_that_builds(cli, tmp_path: Path):
    make_tree(tmp_path / "src", {"a.txt": "date 2018-07 Tekst."})
    result = cli("new", "Trump en Poetin: ‘Geen idee’", "--date", "16 juli 2018", "--source", "src")
    assert result.code == 0, result.err
    assert result.out == "src/2018-07-16-trump-en-poetin-geen-idee.md\n"
    written = (tmp_path / result.out.strip()).read_text(encoding="utf-8")
    assert written.startswith("Title: Trump en Poetin: ‘Geen idee’\nDate: 2018-07-16\n")
    document = parse_markdown(written)
    assert document.title == "Trump en Poetin: ‘Geen idee’"
    assert str(document.date) == "2018-07-16"
    build = cli("build", "--source", "src", "--out", "site")
    assert build.code == 0 and build.err == ""
    assert (tmp_path / "site/2018/07/trump-en-poetin-geen-idee/index.html").is_file()


def test_new_keeps_the_precision_of_the_date_and_defaults_to_today(tmp_path: Path):
    assert new_article("Kop", tmp_path, "juli 2018").name == "2018-07-kop.md"
    path = new_article("Andere kop", tmp_path, today=date(2026, 11, 23))
    assert path.name == "2026-11-23-andere-kop.md"
    assert "Date: 2026-11-23\n" in path.read_text(encoding="utf-8")


def test_new_never_overwrites(cli, tmp_path: Path):
    make_tree(tmp_path / "src", {"2018-07-16-kop.md": "van iemand anders"})
    result = cli("new", "Kop", "--date", "2018-07-16", "--source", "src")
    assert result.code == 1
    assert result.err == "src/2018-07-16-kop.md: already exists; nothing was written\n"
    assert (tmp_path / "src/2018-07-16-kop.md").read_text() == "van iemand anders"


def test_new_refuses_a_bad_date_or_empty_headline(cli, tmp_path: Path):
    (tmp_path / "src").mkdir()
    bad = cli("new", "Kop", "--date", "31 februari 2018", "--source", "src")
    assert bad.code == 1 and bad.err.startswith("--date: cannot read the date")
    assert cli("new", "  ", "--source", "src").code == 1
    assert list((tmp_path / "src").iterdir()) == []


def test_check_on_the_seeds_finds_only_the_lonely_event(cli, tmp_path: Path):
    result = cli("check", "--source", SEEDS)
    assert result.code == 0
    assert result.err.splitlines() == [
        f"{SEEDS}/004_e5491d042b67adbc.txt:1: event 2017-07 (G20-top in Hamburg) has only this "
        "article"
    ]
    assert result.out == "Checked 5 articles that build: 0 errors, 1 warnings\n"
    assert not (tmp_path / "site").exists()


def test_check_reports_every_kind_of_problem_and_exits_1(cli, tmp_path: Path):
    source = tmp_path / "src"
    shutil.copytree(SEEDS, source)
    shutil.copy(source / "000_6ce33291c848d3e1.txt", source / "copy.txt")
    near = (source / "001_5883c073d3e69394.txt").read_text(encoding="utf-8")
    (source / "near.txt").write_text(near.replace("Jeruzalem.", "Jeruzalem en Tel Aviv."))
    make_tree(
        source,
        {
            "nodate.txt": "geen datum",
            "links.md": (
                "Title: Links\nDate: 2018-07\n\n"
                "[weg](../../../2017/05/bestaat-niet/) [anker](../../../2017/05/#nergens) "
                "[goed](../../../2017/05/)\n"
            ),
        },
    )
    (source / "site.toml").write_text(
        '[events]\n"2017-05" = "Lekken"\n"2019-01" = "Bestaat niet"\n', encoding="utf-8"
    )
    result = cli("check", "--source", "src")
    assert result.code == 1
    lines = result.err.splitlines()
    assert "src/copy.txt:1: same text as src/000_6ce33291c848d3e1.txt; remove one" in lines
    assert any(
        line.startswith("src/near.txt:1: ")
        and "the same text as src/001_5883c073d3e69394.txt" in line
        for line in lines
    )
    assert (
        "src/nodate.txt:1: no date: a .txt article starts with `date YYYY-MM`, e.g. "
        "`date 2017-05`" in lines
    )
    assert "src/site.toml:3: event name for 2019-01 matches no article's month" in lines
    links = [line for line in lines if line.startswith("site/")]
    assert [line.split(": ", 1)[1] for line in links] == [
        "link to '../../../2017/05/#nergens': no #nergens there",
        "link to '../../../2017/05/bestaat-niet/' goes nowhere",
    ]
    assert all(line.startswith("site/2018/07/links/index.html:") for line in links)
    assert not (tmp_path / "site").exists()
