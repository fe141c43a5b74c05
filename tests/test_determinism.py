"""The same input gives byte-identical output, wherever and whenever it is built."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.dates import format_date

from .conftest import make_tree

MANIFEST = ".tijdlijn-manifest.json"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) as {relative POSIX path: bytes}."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def assert_identical_sites(first: Path, second: Path) -> None:
    """Every file byte-identical, the generator's manifest included (it holds only paths
    and hashes; when each file was written is kept outside the site)."""
    one, two = snapshot(first), snapshot(second)
    assert sorted(one) == sorted(two)
    assert [path for path in one if one[path] != two[path]] == []
    assert MANIFEST in one


def html_pages(site: Path) -> dict[str, bytes]:
    return {path: data for path, data in snapshot(site).items() if path.endswith(".html")}


class _Text(HTMLParser):
    """The text a reader sees, and the text of the footer separately."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.footer: list[str] = []
        self._in_footer = 0

    def handle_starttag(self, tag, attrs):
        if tag == "footer" or self._in_footer:
            self._in_footer += 1 if tag == "footer" else 0

    def handle_endtag(self, tag):
        if tag == "footer" and self._in_footer:
            self._in_footer -= 1

    def handle_data(self, data):
        self.text.append(data)
        if self._in_footer:
            self.footer.append(data)


def visible(data: bytes) -> tuple[str, str]:
    """(all text, footer text) of a page, white space collapsed."""
    parser = _Text()
    parser.feed(data.decode("utf-8"))
    parser.close()
    return " ".join("".join(parser.text).split()), " ".join("".join(parser.footer).split())


def test_two_builds_of_the_seeds_are_identical(cli, seeds: Path, tmp_path: Path):
    assert cli("build", "--source", seeds, "--out", "een").code == 0
    assert cli("build", "--source", seeds, "--out", "twee").code == 0

    assert len(html_pages(tmp_path / "een")) >= 10  # timelines, 3 events, 5 articles, 404…
    assert_identical_sites(tmp_path / "een", tmp_path / "twee")


def test_cards_kept_compressed_change_nothing(
    cli, seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A large archive keeps its rendered cards compressed (render.CARDS_UNPACKED)."""
    assert cli("build", "--source", seeds, "--out", "klein").code == 0
    monkeypatch.setattr("generator.render.CARDS_UNPACKED", 0)
    assert cli("build", "--source", seeds, "--out", "groot").code == 0

    assert_identical_sites(tmp_path / "klein", tmp_path / "groot")


def test_timeline_json_made_in_parts_changes_nothing(
    cli, seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A large archive writes timeline.json in parts as it makes them
    (render.TIMELINE_IN_PARTS): into the site, and in an incremental build that checks
    every page, into the scratch folder first."""
    assert cli("build", "--source", seeds, "--out", "heel").code == 0
    with monkeypatch.context() as patch:
        patch.setattr("generator.render.TIMELINE_IN_PARTS", 0)
        patch.setattr("generator.timelinejs.PART_SLIDES", 2)  # three parts of five slides
        assert cli("build", "--source", seeds, "--out", "delen", "--incremental").code == 0
        assert_identical_sites(tmp_path / "heel", tmp_path / "delen")
        moved = seeds / "001_5883c073d3e69394.txt"  # to another month: its slide changes
        moved.write_text(moved.read_text().replace("date 2017-05", "date 2017-06", 1))
        assert cli("build", "--source", seeds, "--out", "delen", "--incremental").code == 0
    assert cli("build", "--source", seeds, "--out", "heel2").code == 0
    assert_identical_sites(tmp_path / "heel2", tmp_path / "delen")


def test_changed_file_times_change_nothing(cli, seeds: Path, tmp_path: Path):
    assert cli("build", "--source", seeds, "--out", "voor").code == 0
    for number, path in enumerate(sorted(seeds.iterdir())):
        # Seeds in reverse order of age, and some in the future.
        stamp = 2_000_000_000 - number * 86_400 * 400
        os.utime(path, (stamp, stamp))
    os.utime(seeds, (1_000_000_000, 1_000_000_000))

    assert cli("build", "--source", seeds, "--out", "na").code == 0

    assert_identical_sites(tmp_path / "voor", tmp_path / "na")


def test_where_the_source_folder_is_changes_nothing(cli, seeds: Path, tmp_path: Path):
    elsewhere = tmp_path / "ergens" / "anders" / "bron"
    elsewhere.parent.mkdir(parents=True)
    seeds.rename(elsewhere)

    assert cli("build", "--source", elsewhere, "--out", "hier").code == 0
    assert cli("build", "--source", "ergens/anders/bron", "--out", "ergens/daar").code == 0

    assert_identical_sites(tmp_path / "hier", tmp_path / "ergens" / "daar")


class _Listing:
    """What os.scandir returns, in an order of our choosing."""

    def __init__(self, entries):
        self._entries = iter(entries)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._entries)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return None

    def close(self):
        return None


def test_directory_listing_order_changes_nothing(
    cli, seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # Sub-folders too, so that the order of folders matters as well as that of files.
    names = sorted(p.name for p in seeds.glob("*.txt"))
    (seeds / "b" / "diep").mkdir(parents=True)
    (seeds / "a").mkdir()
    (seeds / names[0]).rename(seeds / "b" / "diep" / names[0])
    (seeds / names[1]).rename(seeds / "a" / names[1])
    (seeds / names[2]).rename(seeds / "b" / names[2])
    # Two articles alike in date and headline: only the sort's last tie-break orders them.
    twin = "date 2018-07 Trump en Poetin ontmoeten elkaar in Helsinki.\n\n"
    make_tree(
        seeds, {"b/diep/tweeling.txt": twin + "Eerste.\n", "a/tweeling.txt": twin + "Twee.\n"}
    )

    real_scandir, real_listdir = os.scandir, os.listdir
    listed: list[str] = []

    def build_listing(out: str, reverse: bool) -> None:
        def scandir(path="."):
            with real_scandir(path) as entries:
                found = list(entries)
            if isinstance(path, str | os.PathLike):
                listed.append(os.fspath(path))
            return _Listing(sorted(found, key=lambda e: e.name, reverse=reverse))

        def listdir(path="."):
            return sorted(real_listdir(path), reverse=reverse)

        with monkeypatch.context() as patched:
            patched.setattr(os, "scandir", scandir)
            patched.setattr(os, "listdir", listdir)
            result = cli("build", "--source", seeds, "--out", out)
        assert result.code == 0, result.err

    build_listing("oplopend", reverse=False)
    build_listing("aflopend", reverse=True)

    # The generator did list the source folders through the order we gave it.
    assert any(Path(path).resolve() == (seeds / "b").resolve() for path in listed)
    assert_identical_sites(tmp_path / "oplopend", tmp_path / "aflopend")


@pytest.mark.slow
def test_hash_seed_changes_nothing(seeds: Path, tmp_path: Path):
    """Set and dict order of strings differs per process; the site must not."""
    for seed, out in (("1", "een"), ("2", "twee")):
        env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
        env["PYTHONHASHSEED"] = seed
        completed = subprocess.run(
            [sys.executable, "-m", "generator", "build", "--source", seeds, "--out", out],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
    assert_identical_sites(tmp_path / "een", tmp_path / "twee")


def test_no_build_date_without_source_date_epoch(cli, seeds: Path, tmp_path: Path):
    assert cli("build", "--source", seeds, "--out", "site").code == 0

    todays = set()
    for today in (date.today(), datetime.now(UTC).date()):
        todays |= {today.isoformat(), today.strftime("%d-%m-%Y"), today.strftime("%d/%m/%Y")}
        todays |= {format_date(today, "long", locale=lang) for lang in ("nl", "en")}
        todays |= {format_date(today, "medium", locale=lang) for lang in ("nl", "en")}
    for path, data in html_pages(tmp_path / "site").items():
        text, footer = visible(data)
        assert footer == "Gemaakt met Tijdlijn", path
        assert "Gebouwd op" not in text, path
        assert not {day for day in todays if day in data.decode("utf-8")}, path


def test_source_date_epoch_shows_that_date_and_builds_stay_identical(
    cli, seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1500000000")  # 2017-07-14T02:40:00Z

    assert cli("build", "--source", seeds, "--out", "een").code == 0
    assert cli("build", "--source", seeds, "--out", "twee").code == 0

    pages = html_pages(tmp_path / "een")
    assert len(pages) >= 10
    for path, data in pages.items():
        assert visible(data)[1] == "Gemaakt met Tijdlijn · Gebouwd op 2017-07-14", path
    assert_identical_sites(tmp_path / "een", tmp_path / "twee")


def test_a_source_date_epoch_that_is_not_a_number_is_refused(
    cli, seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "gisteren")

    result = cli("build", "--source", seeds, "--out", "site")

    assert result.code == 1
    assert result.err == "SOURCE_DATE_EPOCH='gisteren' is not a number of seconds\n"
    assert not (tmp_path / "site").exists()
