"""`build --incremental` gives byte-identical output to a clean build, whatever changed,
and a build with nothing changed writes nothing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import build as run_build
from generator.cli import main as cli_main
from generator.config import default_theme, load_config
from generator.crossref import UNKNOWN, RelatedArticles
from generator.incremental import BuildState, load_state, save_state
from generator.sources import SourceStats
from generator.write import MANIFEST, scratch_folder

from .conftest import REPO, SEEDS, CliResult
from .sitefiles import snapshot

Edit = Callable[[Path], None]


def append(name: str, text: str) -> Edit:
    def edit(source: Path) -> None:
        with (source / name).open("a", encoding="utf-8") as file:
            file.write(text)

    return edit


def replace(name: str, old: str, new: str) -> Edit:
    def edit(source: Path) -> None:
        path = source / name
        content = path.read_text(encoding="utf-8")
        assert old in content
        path.write_text(content.replace(old, new, 1), encoding="utf-8")

    return edit


def write(name: str, text: str) -> Edit:
    return lambda source: (source / name).write_text(text, encoding="utf-8")


def remove(name: str) -> Edit:
    return lambda source: (source / name).unlink()


SEED_EDITS: list[tuple[str, Edit]] = [
    ("a sentence at the end of a body", append("002_f80c548452cfc866.txt", "\n\nNog een zin.")),
    (
        "the lead, so the headline, cards and neighbours",
        replace("000_6ce33291c848d3e1.txt", "Donald Trump heeft", "Donald Trump had"),
    ),
    ("a new article in a new month", write("new.md", "Title: Nieuw\nDate: 2019-01-05\n\nTekst.")),
    ("a new name on two articles", append("004_e5491d042b67adbc.txt", "\n\nZelensky belde.")),
    ("the same name again", append("new.md", "\n\nZelensky belde ook.")),
    ("an event name in site.toml", replace("site.toml", "G20-top in Hamburg", "De G20")),
    ("an alias in site.toml", replace("site.toml", '["VS"]', '["VS", "Amerika"]')),
    ("a broken article", write("broken.txt", "geen datum")),
    ("an article removed", remove("001_5883c073d3e69394.txt")),
    ("the date of an article", replace("new.md", "2019-01-05", "2017-05-20")),
]


def build(cli: Callable[..., CliResult], source: Path, out: str, *flags: str) -> CliResult:
    result = cli("build", "--source", source, "--out", out, *flags)
    assert result.code == 0, result.err
    return result


def rendered(result: CliResult) -> int:
    """The number of pages a build says it rendered."""
    match = re.search(r"\((\d+) pages? rendered", result.out)
    assert match, result.out
    return int(match.group(1))


@pytest.fixture(params=["in place", "through the staging folder", "either, as many changed"])
def write_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """An incremental build writes a few changed pages in place, more through the
    staging folder (build.PATCH_PAGES): a test using this runs once each way, and once
    with a limit that an edit of one article's text stays under and others go over
    (after the survey rendered a page into the scratch folder)."""
    if request.param == "through the staging folder":
        monkeypatch.setattr("generator.build.PATCH_PAGES", -1)  # even 0 pages are too many
    elif request.param != "in place":
        monkeypatch.setattr("generator.build.PATCH_PAGES", 1)
    return request.param


def test_incremental_builds_equal_clean_builds_after_every_kind_of_edit(
    cli, tmp_path: Path, write_path: str
):
    assert_seed_edits_build_as_clean_builds(cli, tmp_path)


def test_with_the_index_of_names_in_pages_too(cli, tmp_path: Path, monkeypatch):
    """New names, an alias and an article removed move names from one page of the
    index to another, and its last page goes (14 names with a page after the first
    edit: four pages of 4; 12 at the end)."""
    monkeypatch.setattr("generator.render.NAMES_PER_PAGE", 4)
    assert_seed_edits_build_as_clean_builds(cli, tmp_path)
    assert (tmp_path / "clean0/namen/4/index.html").exists()
    assert (tmp_path / "site/namen/3/index.html").exists()
    assert not (tmp_path / "site/namen/4").exists()


def assert_seed_edits_build_as_clean_builds(cli: Callable[..., CliResult], tmp_path: Path):
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    build(cli, source, "site", "--incremental")
    for number, (what, edit) in enumerate(SEED_EDITS):
        edit(source)
        build(cli, source, "site", "--incremental")
        assert not scratch_folder(tmp_path / "site").exists(), what  # nothing left behind
        build(cli, source, f"clean{number}")
        assert snapshot(tmp_path / "site") == snapshot(tmp_path / f"clean{number}"), what


def test_a_theme_change_rerenders_every_page(cli, tmp_path: Path, monkeypatch):
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    theme = Path(shutil.copytree(REPO / "templates", tmp_path / "theme"))
    monkeypatch.setattr("generator.cli.default_theme", lambda: theme)
    first = build(cli, source, "site", "--incremental")
    replace("_footer.html", "<footer", '<footer data-x="1"')(theme)
    result = build(cli, source, "site", "--incremental")
    assert rendered(result) == rendered(first) > 20
    build(cli, source, "clean")
    assert snapshot(tmp_path / "site") == snapshot(tmp_path / "clean")
    assert b'data-x="1"' in (tmp_path / "site/index.html").read_bytes()


def test_nothing_changed_renders_and_writes_nothing(cli, tmp_path: Path):
    build(cli, SEEDS, "site", "--incremental")
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "site").rglob("*")}
    result = build(cli, SEEDS, "site", "--incremental")
    assert "(0 pages rendered, no files changed, nothing written)" in result.out
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "site").rglob("*")} == before


def test_the_time_a_build_reports_counts_reading_and_saving_the_cache(
    cli, tmp_path: Path, monkeypatch
):
    """At 100,000 articles reading and saving the cache take 3.5 s of an edit's 16:
    the time printed is the command's, not only the build's between them."""

    def slow_save(out: Path, state: BuildState) -> SourceStats:
        time.sleep(0.5)
        return save_state(out, state)

    monkeypatch.setattr("generator.incremental.save_state", slow_save)
    result = build(cli, SEEDS, "site", "--incremental")
    seconds = re.search(r" in (\d+\.\d+) s \(", result.out)
    assert seconds is not None and float(seconds[1]) >= 0.5, result.out


def test_one_edit_renders_only_what_shows_it(cli, tmp_path: Path):
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    build(cli, source, "site", "--incremental")
    before = snapshot(tmp_path / "site")
    append("002_f80c548452cfc866.txt", "\n\nNog een zin.")(source)
    result = build(cli, source, "site", "--incremental")
    # Its page is the only one rendered; the search index changes with it (new words).
    assert rendered(result) == 1
    changed = set(snapshot(tmp_path / "site")) - set(before)
    changed |= {p for p, data in snapshot(tmp_path / "site").items() if before.get(p) != data}
    assert {p for p in changed if not p.startswith("search/")} == {
        "2018/07/na-hun-ontmoeting-eerder-deze-week-in-helsinki-wil-de/index.html"
    }


def test_a_page_edited_by_hand_in_the_output_is_put_right(cli, tmp_path: Path):
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    build(cli, source, "site", "--incremental")
    (tmp_path / "site/index.html").write_text("vandaal")
    append("002_f80c548452cfc866.txt", "\n\nNog een zin.")(source)
    build(cli, source, "site", "--incremental")
    build(cli, source, "clean")
    assert snapshot(tmp_path / "site") == snapshot(tmp_path / "clean")


def shortcut_taken(folder: Path, source: Path) -> bool:
    """Whether an incremental build of `source` into `folder/site`, in a new process,
    finds nothing changed without importing the parsers and templates (what makes it
    fast on a large archive)."""
    script = (
        "import sys; from generator.cli import main; "
        f"code = main(['build', '--source', {str(source)!r}, '--out', 'site', '--incremental']); "
        "print(sorted(m for m in ('jinja2', 'generator.load', 'generator.render') "
        "if m in sys.modules)); sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=folder, capture_output=True, text=True, check=True
    )
    assert "(0 pages rendered, no files changed, nothing written)" in result.stdout
    return result.stdout.endswith("\n[]\n")


def test_nothing_changed_is_known_without_loading_the_parsers_and_templates(cli, tmp_path: Path):
    build(cli, SEEDS, "site", "--incremental")
    assert shortcut_taken(tmp_path, SEEDS)


def test_an_edit_is_written_in_place(cli, tmp_path: Path):
    # Few pages changed: written into the site folder itself, not a new folder swapped in,
    # so a server or a shell in the folder sees them; every other file is left as it was.
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    site = tmp_path / "site"
    build(cli, source, "site", "--incremental")
    folder = site.stat().st_ino
    before = snapshot(site)
    times = {path: (site / path).stat().st_mtime_ns for path in before}
    replace("000_6ce33291c848d3e1.txt", "Donald Trump heeft", "Donald Trump had")(source)
    result = build(cli, source, "site", "--incremental")
    assert site.stat().st_ino == folder
    after = snapshot(site)
    kept = [path for path in before if after.get(path) == before[path]]
    assert rendered(result) > 0 and len(kept) > 10
    assert [p for p in kept if (site / p).stat().st_mtime_ns != times[p]] == []
    build(cli, source, "clean")
    assert after == snapshot(tmp_path / "clean")
    assert shortcut_taken(tmp_path, source)  # and the next build finds it as written


@pytest.mark.parametrize(
    "change",
    [
        "a page edited in the output",
        "a page removed from the output",
        "a setting",
        "only the time of an article",
        "SOURCE_DATE_EPOCH",
    ],
)
def test_nothing_changed_is_not_assumed_when_something_did(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
):
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    build(cli, source, "site", "--incremental")
    site = tmp_path / "site"
    if change == "a page edited in the output":
        (site / "index.html").write_text("vandaal")
    elif change == "a page removed from the output":
        (site / "404.html").unlink()
    elif change == "a setting":
        replace("site.toml", "G20-top in Hamburg", "De G20")(source)
    elif change == "only the time of an article":
        os.utime(source / "000_6ce33291c848d3e1.txt", ns=(1, 1))
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(cli, source, "site", "--incremental")
    build(cli, source, "clean")
    assert snapshot(site) == snapshot(tmp_path / "clean")
    # and the build after that has nothing left to do
    assert "(0 pages rendered, no files changed" in build(cli, source, "site", "--incremental").out


def test_nothing_changed_still_reports_the_problems_of_the_last_build(cli, tmp_path: Path):
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    write("kapot.txt", "geen datum")(source)
    first = cli("build", "--source", source, "--out", "site", "--incremental")
    again = cli("build", "--source", source, "--out", "site", "--incremental")
    assert "kapot.txt:1: no date" in first.err
    assert (again.code, again.err) == (first.code, first.err)
    assert "(0 pages rendered, no files changed" in again.out
    strict = cli("build", "--source", source, "--out", "site", "--incremental", "--strict")
    assert strict.code == 1 and "Not built" in strict.out


@pytest.mark.parametrize("damaged", ["site.pickle", "site.sources.pickle", "site.search.pickle"])
def test_a_damaged_cache_is_ignored(cli, tmp_path: Path, damaged: str):
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    build(cli, source, "site", "--incremental")
    cache = tmp_path / ".tijdlijn-cache" / damaged
    cache.write_bytes(cache.read_bytes()[:1000])  # cut short
    state = load_state(tmp_path / "site")
    assert state.search is None
    assert (state.sources == {}) == (damaged != "site.search.pickle")
    append("002_f80c548452cfc866.txt", "\n\nNog een zin.")(source)  # a text edit
    with models_made() as made:
        build(cli, source, "site", "--incremental")
    assert made == [1]  # built, not patched from what is left
    build(cli, source, "clean")
    assert snapshot(tmp_path / "site") == snapshot(tmp_path / "clean")


@pytest.mark.slow
def test_incremental_equals_clean_on_a_generated_corpus(cli, tmp_path: Path, write_path: str):
    corpus = tmp_path / "corpus"
    subprocess.run(
        [sys.executable, REPO / "bench/make_corpus.py", "--n", "450", "--out", corpus],
        check=True,
        capture_output=True,
    )
    build(cli, corpus, "site", "--incremental")
    files = sorted(corpus.iterdir())
    edits: list[Edit] = [
        append(files[10].name, "\n\nEen extra alinea over Helsinki."),
        replace(
            files[20].name,
            " ",
            "  ",
        ),  # white space only: same pages
        lambda source: os.utime(source / files[30].name, ns=(1, 1)),  # only the mtime
        remove(files[40].name),
        write("extra.md", "Title: Extra\nDate: 2016-03\n\nVladimir Poetin en Donald Trump."),
    ]
    for number, edit in enumerate(edits):
        edit(corpus)
        build(cli, corpus, "site", "--incremental")
        build(cli, corpus, f"clean{number}")
        assert snapshot(tmp_path / "site") == snapshot(tmp_path / f"clean{number}")


def test_a_neighbour_moving_to_another_month_updates_the_link_to_it(cli, tmp_path: Path):
    # No names in common, so no related articles: only the neighbour link shows the move.
    source = tmp_path / "src"
    source.mkdir()
    write("a.txt", "date 2018-06 een bericht zonder namen.")(source)
    write("b.txt", "date 2018-07 nog een bericht zonder namen.")(source)
    build(cli, source, "site", "--incremental")
    replace("b.txt", "2018-07", "2018-08")(source)
    build(cli, source, "site", "--incremental")
    build(cli, source, "clean")
    assert snapshot(tmp_path / "site") == snapshot(tmp_path / "clean")


# --- any sequence of edits ------------------------------------------------------------------


@pytest.mark.parametrize("serving", [False, True])
def test_a_headline_edit_reuses_the_related_articles_chosen_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, serving: bool
):
    """Choosing related articles is most of an article page's fingerprint.  A headline
    that leaves every article's names, day and place as they were leaves every choice
    as it was: the next build takes them all (and its pages are still a clean build's,
    as the tests above check); after an article is given another name, those that
    could see that change are worked out again (tests/test_related.py)."""
    reused: list[int] = []  # how many articles' choices each build took over
    original = RelatedArticles.reuse

    def spy(self: RelatedArticles, earlier: object) -> None:
        original(self, earlier)  # type: ignore[arg-type]
        limit = self.limit
        known = self.known or array("i")
        reused.append(sum(1 for i in range(0, len(known), limit) if known[i] != UNKNOWN))

    monkeypatch.setattr(RelatedArticles, "reuse", spy)
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    config = load_config(source, out=tmp_path / "site")
    state = BuildState(keep_last=serving)
    run_build(config, default_theme(), state)
    replace("000_6ce33291c848d3e1.txt", "Donald Trump heeft", "Donald Trump had")(source)
    state.last = None  # `serve` patches a headline (see test_patch.py): here it builds in full
    run_build(config, default_theme(), state)
    # Two articles' names at once (one is patched: test_patch.py): built in full.
    for name in ("003_0bcac9150e38803d.txt", "004_e5491d042b67adbc.txt"):
        append(name, "\n\nDe president belde met Zelensky.")(source)
    run_build(config, default_theme(), state)
    assert reused[:2] == [0, 5]
    assert reused[2] == 3, reused  # Zelensky is in no other article: only theirs


@pytest.mark.parametrize(("limit", "stages"), [(-1, ["checking", "building"]), (200, ["checking"])])
def test_progress_names_each_stage_and_counts_each_from_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int, stages: list[str]
):
    """The progress bar: a clean build counts its pages once; an incremental one first
    checks every page, then (unless it wrote the few changed ones in place) builds them,
    on a bar of its own that starts from nought, not on the first one running back."""
    seen: list[tuple[int, int, str]] = []
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    config = load_config(source, out=tmp_path / "site")
    state = BuildState()
    run_build(config, default_theme(), state, lambda *done: seen.append(done))
    assert {stage for _, _, stage in seen} == {"building"}
    monkeypatch.setattr("generator.build.PATCH_PAGES", limit)
    # New names in two articles (a text edit, or one article's names, would be patched
    # without a survey: see the tests below, and test_patch.py)
    for name in ("003_0bcac9150e38803d.txt", "004_e5491d042b67adbc.txt"):
        append(name, "\n\nDe president belde met Zelensky.")(source)
    seen.clear()
    run_build(config, default_theme(), state, lambda *done: seen.append(done))
    assert list(dict.fromkeys(stage for _, _, stage in seen)) == stages
    for stage in stages:
        counts = [(done, total) for done, total, named in seen if named == stage]
        assert [done for done, _ in counts] == list(range(len(counts)))
        assert {total for _, total in counts} == {len(counts)}


def test_edits_to_texts_and_a_headline_are_patched_from_the_cache(tmp_path: Path):
    """As `serve` patches them (test_patch.py), from the site model made again from the
    sources as they were and the search index in the cache: no survey of every page."""
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    config = load_config(source, out=tmp_path / "site")
    state = BuildState()
    run_build(config, default_theme(), state)
    edits = [
        ("a sentence", append("002_f80c548452cfc866.txt", "\n\nnog een zin met xylofoon.")),
        ("a word", replace("003_0bcac9150e38803d.txt", "twee uur", "drie uur")),
        (
            "a headline",
            replace("000_6ce33291c848d3e1.txt", "Donald Trump heeft", "Donald Trump had"),
        ),
    ]
    for number, (what, edit) in enumerate(edits):
        save_state(config.out, state)
        edit(source)
        state = load_state(config.out)  # as the next `build --incremental` finds it
        report = run_build(config, default_theme(), state)
        assert report.patched, what
        # its page, and for a headline the pages that show its card or link to it
        assert (report.rendered == 1) == (what != "a headline"), what
        run_build(load_config(source, out=tmp_path / f"clean{number}"))
        assert snapshot(config.out) == snapshot(tmp_path / f"clean{number}"), what


def test_names_edits_and_the_last_article_added_or_removed_are_patched_from_the_cache(
    cli, tmp_path: Path
):
    """As `serve` patches them (test_patch.py): the site model is made again from the
    sources as they were, then patched; the cache then says what a build from nothing
    would have it say, related articles too."""
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    config = load_config(source, out=tmp_path / "site")
    build(cli, source, "site", "--incremental")
    edits = [
        ("someone new", append("002_f80c548452cfc866.txt", "\n\nHij belde met Zelensky.")),
        ("a name with a page", append("004_e5491d042b67adbc.txt", "\n\nZe zag Sergej Lavrov.")),
        ("an article added last", write("zz.txt", " date 2019-03 Lavrov sprak met Poetin.")),
        ("that article removed again", remove("zz.txt")),
    ]
    for number, (what, edit) in enumerate(edits):
        edit(source)
        state = load_state(config.out)  # as `build --incremental` does (cli.run_build)
        with models_made() as made:
            report = run_build(config, default_theme(), state)
        save_state(config.out, state)
        assert report.patched and made == [1], what
        build(cli, source, f"clean{number}")
        assert snapshot(config.out) == snapshot(tmp_path / f"clean{number}"), what
        build(cli, source, f"again{number}", "--incremental")
        patched, fresh = load_state(config.out), load_state(tmp_path / f"again{number}")
        assert patched.pages == fresh.pages, what
        assert patched.related is not None and fresh.related is not None
        assert patched.related.signature == fresh.related.signature, what
        assert patched.related.chosen == fresh.related.chosen, what


def test_the_cache_adds_the_records_read_again_and_is_written_whole_now_and_then(
    cli, tmp_path: Path
):
    """A build that read a few files again adds only their records to the end of the
    cache's records file; once the records no longer used would be more than a quarter
    of it, the file is written whole again.  Either way the cache loads as one written
    from nothing does."""
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    build(cli, source, "site", "--incremental")
    records = tmp_path / ".tijdlijn-cache" / "site.sources.pickle"
    starts, sizes = [records.read_bytes()[:16]], [records.stat().st_size]
    for number, name in enumerate(["002_f80c548452cfc866.txt", "004_e5491d042b67adbc.txt"]):
        append(name, "\n\nHij belde met Zelensky.")(source)  # names: not a text edit
        build(cli, source, "site", "--incremental")
        starts.append(records.read_bytes()[:16])
        sizes.append(records.stat().st_size)
        build(cli, source, f"again{number}", "--incremental")
        kept, fresh = load_state(tmp_path / "site"), load_state(tmp_path / f"again{number}")
        assert kept.sources == fresh.sources and kept.pages == fresh.pages
    # five records: one replaced is a fifth of the file, two are more than a quarter
    assert starts[1] == starts[0] and sizes[1] > sizes[0]  # added to
    assert starts[2] != starts[0] and sizes[2] < sizes[1]  # written whole


@pytest.mark.parametrize("part", [1, 2, 5000])
def test_the_cache_s_tables_load_as_saved_whatever_their_parts(
    tmp_path: Path, monkeypatch, part: int
):
    """The tables of a page, a source and an article each are saved in parts of `PART`
    entries (the seeds have 5 articles and 26 pages: one part, or many with a last one
    short)."""
    monkeypatch.setattr("generator.incremental.PART", part)
    config = load_config(SEEDS, out=tmp_path / "site")
    state = BuildState()
    run_build(config, default_theme(), state)
    assert len(state.pages) > 20 and len(state.articles) == len(state.sources) == 5
    save_state(config.out, state)
    loaded = load_state(config.out)
    assert list(loaded.pages.items()) == list(state.pages.items())
    assert list(loaded.articles.items()) == list(state.articles.items())
    assert list(loaded.sources) == list(state.sources) and loaded.sources == state.sources


def test_a_site_built_since_without_the_cache_is_not_patched_from_it(cli, tmp_path: Path):
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    build(cli, source, "site", "--incremental")
    # Built with another setting: every page changed, and the cache knows nothing of it.
    build(cli, source, "site", "--base-url", "https://example.org/tijdlijn/")
    append("002_f80c548452cfc866.txt", "\n\nnog een zin.")(source)
    state = load_state(tmp_path / "site")
    report = run_build(load_config(source, out=tmp_path / "site"), default_theme(), state)
    assert not report.patched
    build(cli, source, "clean")
    assert snapshot(tmp_path / "site") == snapshot(tmp_path / "clean")


def toggle(name: str, one: str, other: str) -> Edit:
    """Replace `one` by `other` in a file, or back: any order of edits stays possible."""

    def edit(source: Path) -> None:
        path = source / name
        text = path.read_text(encoding="utf-8")
        old, new = (one, other) if one in text else (other, one)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def add_or_remove(name: str, text: str) -> Edit:
    def edit(source: Path) -> None:
        path = source / name
        path.unlink() if path.exists() else path.write_text(text, encoding="utf-8")

    return edit


TOGGLES: dict[str, Edit] = {
    "a text": append("002_f80c548452cfc866.txt", "\n\nNog een zin met xylofoon."),
    "a lead, so a headline and address": toggle(
        "000_6ce33291c848d3e1.txt", "Donald Trump heeft", "Donald Trump had"
    ),
    "the names of an article": append("004_e5491d042b67adbc.txt", "\n\nZelensky belde."),
    "an article added or removed": add_or_remove(
        "new.md", "Title: Nieuw\nDate: 2017-05-20\n\nSergej Lavrov belde Donald Trump.\n"
    ),
    "the month of an article": toggle("001_5883c073d3e69394.txt", "date 2017-05", "date 2017-06"),
}


@settings(max_examples=12, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(sorted(TOGGLES)), st.sampled_from([-1, 0, 5, 200])),
        min_size=1,
        max_size=4,
    ),
    how=st.sampled_from(["serve", "build --incremental", "the command line"]),
)
def test_any_sequence_of_edits_builds_what_a_clean_build_does(steps, how: str):
    # As `serve` keeps its state (text edits patched, others built in place or through
    # staging, as PATCH_PAGES allows), as `build --incremental` does from its cache, or
    # as the command does (text edits patched without the model: textedit.py).
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        root = Path(folder)
        source = Path(shutil.copytree(SEEDS, root / "src"))
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        command = ["build", "--quiet", "--incremental", "--source", str(source)]
        state = BuildState(keep_last=how == "serve")

        def build_again() -> None:
            if how == "the command line":
                assert cli_main([*command, "--out", str(root / "site")]) == 0
            else:
                run_build(load_config(source, out=root / "site"), default_theme(), state)

        build_again()
        for number, (what, limit) in enumerate(steps):
            patch.setattr("generator.build.PATCH_PAGES", limit)
            TOGGLES[what](source)
            build_again()
            clean = root / f"clean{number}"
            run_build(load_config(source, out=clean))
            assert snapshot(root / "site") == snapshot(clean), (number, what, limit)
            # and the list of its files, which says what a later build may remove
            manifest = (root / "site" / MANIFEST).read_bytes()
            assert manifest == (clean / MANIFEST).read_bytes(), (number, what, limit)


# --- a text edit, patched without the site model (textedit.py) --------------------------

SHEET = (
    "Year,Month,Day,Headline,Text\n"
    "2017,6,1,Een rij,Een eerste rij van het blad.\n"
    "2017,6,2,Nog een rij,<p>Een lead.</p><p>Daarna een tweede rij.</p>\n"
)
NOTE = "Title: Notitie\nDate: 2017-05-21\n\nEen **eerste** zin.\n\nEen **tweede** alinea.\n"


@contextmanager
def models_made() -> Iterator[list[int]]:
    """A list that grows by one each time a build makes the site model, meanwhile."""
    made: list[int] = []
    build_site = run_build.__globals__["build_site"]

    def counted(*args: object, **kwargs: object) -> object:
        made.append(1)
        return build_site(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generator.build.build_site", counted)
        yield made


def test_text_edits_are_patched_without_making_the_site_model(cli, tmp_path: Path):
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    write("notitie.md", NOTE)(source)
    write("blad.csv", SHEET)(source)
    build(cli, source, "site", "--incremental")
    edits = [
        ("a sentence", append("002_f80c548452cfc866.txt", "\n\nNog een zin met xylofoon.")),
        ("a Markdown word", replace("notitie.md", "**tweede**", "*tweede*")),
        ("the same article again", append("002_f80c548452cfc866.txt", " En nog een.")),
        (
            "a row of a spreadsheet",
            replace("blad.csv", "een tweede rij", "een tweede, langere rij"),
        ),
        (
            "a word in two files",
            lambda s: (append("notitie.md", "En nog wat.\n")(s), edits[0][1](s)),
        ),
    ]
    for number, (what, edit) in enumerate(edits):
        edit(source)
        with models_made() as made, pytest.MonkeyPatch.context() as patch:
            # as in a new process, where no listing has yet told `pack` how large the
            # archive is: the records it adds must be packed as a full build packs them
            patch.setattr("generator.text._compressing", True)
            result = build(cli, source, "site", "--incremental")
        assert made == [], what
        assert rendered(result) == (2 if what == "a word in two files" else 1), what
        build(cli, source, f"clean{number}")
        assert snapshot(tmp_path / "site") == snapshot(tmp_path / f"clean{number}"), what
    assert shortcut_taken(tmp_path, source)  # the next build finds the site as written
    # What the cache now says is what a build from nothing would have it say.
    build(cli, source, "again", "--incremental")
    patched, fresh = load_state(tmp_path / "site"), load_state(tmp_path / "again")
    assert patched.pages == fresh.pages
    assert patched.articles == fresh.articles
    assert patched.sources == fresh.sources


@pytest.mark.parametrize(
    "edit",
    [
        "a lead, so a headline",
        "the leads of two articles",  # one headline at a time is patched: this is built
        "a new name",
        "a warning",
        "an article the feeds carry",
        "its page edited in the output",
    ],
)
def test_an_edit_that_is_not_to_a_text_alone_is_built(cli, tmp_path: Path, edit: str):
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    flags = ["--base-url", "https://example.org/"] if edit.startswith("an article the") else []
    build(cli, source, "site", "--incremental", *flags)
    name = "002_f80c548452cfc866.txt"
    if edit.startswith(("a lead", "the leads")):
        replace("000_6ce33291c848d3e1.txt", "Donald Trump heeft", "Donald Trump had")(source)
    if edit == "the leads of two articles":
        replace(name, "Na hun ontmoeting", "Na de ontmoeting")(source)
    elif edit == "a new name":
        append(name, "\n\nZelensky belde.")(source)
    elif edit == "a warning":
        with (source / name).open("ab") as file:
            file.write("\n\nEen café.".encode("cp1252"))
    else:
        append(name, "\n\nNog een zin.")(source)
    if edit == "its page edited in the output":
        page = next((tmp_path / "site").glob("2018/07/na-hun-ontmoeting*/index.html"))
        page.write_text("vandaal")
    with models_made() as made:
        result = build(cli, source, "site", "--incremental", *flags)
    assert made == [1]
    assert ("is not UTF-8" in result.err) == (edit == "a warning")
    build(cli, source, "clean", *flags)
    assert snapshot(tmp_path / "site") == snapshot(tmp_path / "clean")


def test_a_text_edit_with_a_problem_under_strict_is_refused_with_one_model(cli, tmp_path: Path):
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    build(cli, source, "site", "--incremental", "--strict")
    with (source / "002_f80c548452cfc866.txt").open("ab") as file:
        file.write("\n\nEen café.".encode("cp1252"))  # a warning: not UTF-8
    with models_made() as made:
        result = cli("build", "--source", source, "--out", "site", "--incremental", "--strict")
    assert result.code == 1 and "Not built: 1 problem and --strict" in result.out
    assert made == [1]


def test_a_text_edit_stopped_before_the_cache_is_saved_is_put_right(cli, tmp_path: Path):
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    build(cli, source, "site", "--incremental")

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    # The output is patched and the new record added to the records file; the header
    # that would name it is not written.
    append("002_f80c548452cfc866.txt", "\n\nNog een zin.")(source)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generator.incremental._save_header", full)
        assert cli("build", "--source", source, "--out", "site", "--incremental").code == 1
    build(cli, source, "site", "--incremental")
    build(cli, source, "clean")
    assert snapshot(tmp_path / "site") == snapshot(tmp_path / "clean")
    assert "(0 pages rendered, no files changed" in build(cli, source, "site", "--incremental").out


class _Unpickled(Exception):
    pass


def test_a_cache_written_by_other_code_is_not_unpickled(cli, tmp_path: Path):
    """Another version's classes may have other fields: its cache is left unread (a
    header without a field this code's has once gave a traceback), and the build is
    a full one."""
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    build(cli, source, "site", "--incremental")
    append("002_f80c548452cfc866.txt", "\n\nNog een zin.")(source)

    def unpickled(self: object, state: object) -> None:
        raise _Unpickled

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generator.incremental.code_version", lambda: "another version")
        patch.setattr("generator.incremental._Header.__setstate__", unpickled, raising=False)
        with models_made() as made:
            build(cli, source, "site", "--incremental")
    assert made == [1]
    build(cli, source, "clean")
    assert snapshot(tmp_path / "site") == snapshot(tmp_path / "clean")


@pytest.mark.parametrize("compressed_first", [True, False])
def test_texts_kept_compressed_or_not_make_the_same_site(
    cli, tmp_path: Path, compressed_first: bool
):
    """An archive's texts are kept compressed from COMPRESS_FROM files on: a cache written
    one way is read the other way when the archive grows or shrinks past it."""
    from generator.spill import fetch

    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generator.text.COMPRESS_FROM", 0 if compressed_first else 10**9)
        build(cli, source, "site", "--incremental")
    packed = next(iter(load_state(tmp_path / "site").sources.values())).documents[0]
    assert (fetch(packed.document.packed_blocks)[:1] != b"\0") == compressed_first
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generator.text.COMPRESS_FROM", 10**9 if compressed_first else 0)
        append("002_f80c548452cfc866.txt", "\n\nNog een zin.")(source)
        build(cli, source, "site", "--incremental")  # a text edit: its record only
        replace("000_6ce33291c848d3e1.txt", "Donald Trump heeft", "Donald Trump had")(source)
        build(cli, source, "site", "--incremental")  # a headline: every record read
    build(cli, source, "clean")
    assert snapshot(tmp_path / "site") == snapshot(tmp_path / "clean")


def test_a_body_found_on_its_page_more_than_once_is_not_swapped(tmp_path: Path):
    from generator.load import load_file
    from generator.textedit import swapped_body

    old = load_file(tmp_path / "a.md", NOTE.encode())[0][0]
    new = load_file(tmp_path / "a.md", NOTE.replace("tweede", "derde").encode())[0][0]
    body = old.document.body_html
    assert swapped_body(f"<main>{body}</main>".encode(), old, new) == (
        f"<main>{new.document.body_html}</main>".encode()
    )
    assert swapped_body(f"<main>{body}</main><p>{body}</p>".encode(), old, new) is None
    assert swapped_body(b"<main>elsewhere</main>", old, new) is None
