"""The `build` command as a user runs it: exit codes, messages, the summary line."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import REPO, make_tree


def test_build_seeds_writes_timeline_events_and_articles(cli, seeds: Path, tmp_path: Path):
    result = cli("build", "--source", seeds, "--out", "site")
    assert result.code == 0, result.err
    assert result.err == ""
    assert re.fullmatch(
        r"Built 5 articles in 3 events \(0 skipped\) -> site/ in \d+\.\d\d s \(.*\)\n", result.out
    )
    site = tmp_path / "site"
    articles = list(site.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))
    events = list(site.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/index.html"))
    assert len(articles) == 5
    assert sorted(p.parent.relative_to(site).as_posix() for p in events) == [
        "2017/05",
        "2017/07",
        "2018/07",
    ]
    assert (site / "index.html").is_file()
    assert (site / "404.html").is_file()
    assert len(list((site / "assets").glob("style.*.css"))) == 1


def test_module_entry_point_runs_from_a_fresh_process(tmp_path: Path):
    completed = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--source", REPO / "seeds", "--out", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("Built 5 articles in 3 events (0 skipped) -> out/")


def test_bad_article_is_one_line_and_the_rest_is_built(cli, tmp_path: Path):
    make_tree(
        tmp_path / "src",
        {
            "good.txt": "date 2018-07 Trump en Poetin spraken in Helsinki.",
            "nodate.txt": "Trump en Poetin spraken in Helsinki.",
            "baddate.txt": "\n\n date 2018-13 Tekst.",
        },
    )
    result = cli("build", "--source", "src", "--out", "site")
    assert result.code == 0
    assert result.err.splitlines() == [
        "src/baddate.txt:3: cannot read the date '2018-13'",
        "src/nodate.txt:1: no date: a .txt article starts with `date YYYY-MM`, e.g. `date 2017-05`",
    ]
    assert "Built 1 article in 1 event (2 skipped)" in result.out
    assert "Traceback" not in result.err


def test_a_folder_of_only_bad_articles_builds_an_empty_timeline_without_a_traceback(
    cli, tmp_path: Path
):
    make_tree(tmp_path / "src", {"b.txt": "geen datum"})
    result = cli("build", "--source", "src", "--out", "site")
    assert result.code == 0
    assert result.err.startswith("src/b.txt:1: no date")
    assert "Built 0 articles in 0 events (1 skipped)" in result.out
    assert (tmp_path / "site/index.html").is_file()
    assert json.loads((tmp_path / "site/timeline.json").read_text())["events"] == []


def test_a_folder_without_articles_builds_with_a_warning(cli, tmp_path: Path):
    make_tree(tmp_path / "src", {"notities.docx": "x", "site.toml": 'title = "Leeg"\n'})
    result = cli("build", "--source", "src", "--out", "site")
    assert result.code == 0
    assert result.err == (
        "src:1: no articles found: an article is a .csv, .markdown, .md or .txt file\n"
    )
    assert "Built 0 articles" in result.out
    assert cli("build", "--source", "src", "--out", "strict", "--strict").code == 1


def test_strict_fails_on_any_problem_and_writes_nothing(cli, tmp_path: Path):
    make_tree(tmp_path / "src", {"a.txt": "date 2018-07 Tekst.", "b.txt": "geen datum"})
    result = cli("build", "--source", "src", "--out", "site", "--strict")
    assert result.code == 1
    assert "src/b.txt:1: no date" in result.err
    assert not (tmp_path / "site").exists()


def test_usage_errors_exit_2(cli):
    assert cli("build", "--no-such-flag").code == 2
    assert cli("frobnicate").code == 2
    assert cli("build", "--base-url", "ftp://x").code == 2


def test_a_mistake_in_a_theme_is_one_line_with_its_file_and_line(cli, tmp_path, monkeypatch):
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "templates", theme)
    monkeypatch.setattr("generator.cli.default_theme", lambda: theme)
    base = theme / "_footer.html"  # rendered once per folder depth, then reused
    original = base.read_text()
    lines = original.splitlines()
    footer = next(n for n, text in enumerate(lines, 1) if text.startswith("<footer"))

    base.write_text(original.replace("<footer", "{{ no_such_value }}<footer", 1))
    result = cli("build", "--source", REPO / "seeds", "--out", "site")
    assert (result.code, result.err) == (1, f"{base}:{footer}: 'no_such_value' is undefined\n")

    base.write_text(original.replace("<footer", "{% if %}<footer", 1))
    result = cli("build", "--source", REPO / "seeds", "--out", "site")
    assert result.code == 1
    assert result.err.startswith(f"{base}:{footer}: ")
    assert "Traceback" not in result.err


def test_quiet_prints_problems_only(cli, tmp_path):
    make_tree(tmp_path / "src", {"a.txt": "date 2018-07 Tekst.", "b.txt": "geen datum"})
    result = cli("build", "--source", "src", "--out", "site", "--quiet")
    assert result.code == 0
    assert result.out == ""
    assert result.err.startswith("src/b.txt:1: no date")
    assert (tmp_path / "site/index.html").is_file()
