"""Nothing is lost, and never half a site.

The build never deletes or overwrites a file it did not make, and a build that
fails or is killed half-way leaves the previous site exactly as it was.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import write
from generator.render import Renderer

from .conftest import make_tree

MANIFEST = ".tijdlijn-manifest.json"
STAGING = ".site.tijdlijn-staging"

ARTICLES = {
    "a.txt": "date 2017-05 Trump deelde staatsgeheimen met Lavrov in het Witte Huis.\n",
    "b.txt": "date 2017-07 Trump en Poetin spraken elkaar voor het eerst in Hamburg.\n",
    "sub/c.md": (
        "Title: Trump en Poetin praten in Helsinki\n"
        "Date: 16 juli 2018\n"
        "\n"
        "De twee presidenten spraken ruim twee uur met elkaar.\n"
    ),
}
# The same site a week later: one article edited, one added, one removed.
CHANGED = {
    "a.txt": "date 2017-05 Trump deelde geheime informatie met Lavrov in het Witte Huis.\n",
    "b.txt": ARTICLES["b.txt"],
    "d.txt": "date 2018-03 De Britse regering wijst Rusland aan voor de aanslag in Salisbury.\n",
}


# --- helpers ----------------------------------------------------------------------------------


def files_under(folder: Path) -> list[tuple[str, Path]]:
    """(relative POSIX path, path) of every file under `folder`, hidden ones too, sorted."""
    found = []
    for parent, _, names in os.walk(folder):
        for name in names:
            path = Path(parent, name)
            found.append((path.relative_to(folder).as_posix(), path))
    return sorted(found)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` as {relative POSIX path: bytes}."""
    return {relative: path.read_bytes() for relative, path in files_under(folder)}


def stamps(folder: Path) -> dict[str, int]:
    """{relative path: mtime_ns} of every file under `folder`: rewritten files show up."""
    return {relative: path.stat().st_mtime_ns for relative, path in files_under(folder)}


def without_write_times(files: dict[str, bytes]) -> dict[str, bytes]:
    """A site's files as they are: the manifest holds only paths and hashes (when each
    file was written is kept outside the site), so two builds of one input are equal."""
    return dict(files)


def pages(files: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in files.items() if path != MANIFEST}


def set_source(folder: Path, articles: dict[str, str]) -> None:
    """Make `folder` hold exactly these articles."""
    for path in list(folder.rglob("*")):
        if path.is_file() and path.relative_to(folder).as_posix() not in articles:
            path.unlink()
    make_tree(folder, articles)


def clean_build(cli, tmp_path: Path, articles: dict[str, str]) -> dict[str, bytes]:
    """The files of a fresh build of `articles` into a new folder."""
    source = make_tree(tmp_path / "clean-src", articles)
    result = cli("build", "--source", source, "--out", tmp_path / "clean")
    assert result.code == 0, result.err
    return snapshot(tmp_path / "clean")


# --- refusing what is not ours ----------------------------------------------------------------


@pytest.mark.parametrize(
    "theirs",
    [
        {"index.html": "<p>Mijn eigen site</p>\n", "img/logo.png": b"\x89PNG\r\n\x1a\n\x00"},
        {".git/HEAD": "ref: refs/heads/gh-pages\n"},
        {MANIFEST: '{"generator": "hugo", "files": {}}', "index.html": "<p>hugo</p>\n"},
    ],
    ids=["files", "only-hidden", "other-generators-manifest"],
)
def test_refuses_a_folder_it_did_not_make_and_touches_nothing(cli, tmp_path: Path, theirs):
    make_tree(tmp_path / "src", ARTICLES)
    site = make_tree(tmp_path / "site", theirs)
    before, before_stamps = snapshot(site), stamps(site)
    listing = sorted(p.name for p in tmp_path.iterdir())

    result = cli("build", "--source", "src", "--out", "site")

    assert result.code == 1
    assert result.out == ""
    assert result.err.startswith("site: folder is not empty and was not made by tijdlijn")
    assert "nothing was written" in result.err
    assert "Traceback" not in result.err
    assert snapshot(site) == before
    assert stamps(site) == before_stamps
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # no staging folder either


def test_builds_into_an_empty_existing_folder(cli, tmp_path: Path):
    make_tree(tmp_path / "src", ARTICLES)
    (tmp_path / "site").mkdir()

    result = cli("build", "--source", "src", "--out", "site")

    assert result.code == 0, result.err
    assert without_write_times(snapshot(tmp_path / "site")) == without_write_times(
        clean_build(cli, tmp_path, ARTICLES)
    )


def test_refuses_an_output_path_that_is_a_file(cli, tmp_path: Path):
    make_tree(tmp_path, {"src/a.txt": ARTICLES["a.txt"], "site": "mijn aantekeningen\n"})

    result = cli("build", "--source", "src", "--out", "site")

    assert result.code == 1
    assert result.err == "site: exists and is not a folder; choose another --out\n"
    assert (tmp_path / "site").read_text(encoding="utf-8") == "mijn aantekeningen\n"


@pytest.mark.parametrize(
    ("source", "out"),
    [("werk/src", "werk"), ("src", "."), ("src", "src")],
    ids=["parent", "working-folder", "same-folder"],
)
def test_refuses_an_output_folder_that_contains_the_source(cli, tmp_path: Path, source, out):
    make_tree(tmp_path / source, ARTICLES)
    before, listing = snapshot(tmp_path), sorted(tmp_path.rglob("*"))

    result = cli("build", "--source", source, "--out", out)

    assert result.code == 1
    assert result.err == (
        f"{out}: the output folder contains the source folder; choose another --out\n"
    )
    assert snapshot(tmp_path) == before
    assert sorted(tmp_path.rglob("*")) == listing  # no staging folder, not even an empty one
    assert not (tmp_path.parent / f".{tmp_path.name}.tijdlijn-staging").exists()


# --- files of others inside a generated site --------------------------------------------------

THEIRS = {
    "CNAME": "tijdlijn.example.org\n",
    "notes/x.txt": "Aantekeningen van de redactie.\n",
    ".well-known/security.txt": "Contact: mailto:security@example.org\n",
}


# A plain build writes through the staging folder; an incremental one that changes a few
# pages writes them in place (build._Survey): the rules hold both ways.
BOTH_WAYS = pytest.mark.parametrize("flags", [(), ("--incremental",)], ids=["build", "incremental"])


@BOTH_WAYS
def test_files_of_others_survive_a_rebuild_unchanged(cli, tmp_path: Path, flags: tuple[str, ...]):
    source = make_tree(tmp_path / "src", ARTICLES)
    assert cli("build", "--source", "src", "--out", "site", *flags).code == 0
    site = make_tree(tmp_path / "site", THEIRS)
    theirs = {path: stamp for path, stamp in stamps(site).items() if path in THEIRS}

    set_source(source, CHANGED)
    result = cli("build", "--source", "src", "--out", "site", *flags)

    assert result.code == 0, result.err
    files = snapshot(site)
    for path, text in THEIRS.items():
        assert files.pop(path) == text.encode()
        assert (site / path).stat().st_mtime_ns == theirs[path]
    assert pages(files) == pages(clean_build(cli, tmp_path, CHANGED))

    # A rebuild that changes nothing leaves them (and everything else) alone too.
    before, before_stamps = snapshot(site), stamps(site)
    result = cli("build", "--source", "src", "--out", "site", *flags)
    assert result.code == 0, result.err
    assert "no files changed" in result.out
    assert snapshot(site) == before
    assert stamps(site) == before_stamps


def test_files_of_others_survive_repeated_rebuilds(cli, tmp_path: Path):
    source = make_tree(tmp_path / "src", ARTICLES)
    assert cli("build", "--source", "src", "--out", "site").code == 0
    site = make_tree(tmp_path / "site", THEIRS)

    for week in range(1, 4):  # the site is updated every week, as it is meant to be
        make_tree(source, {f"week{week}.txt": f"date 2018-0{week} Nieuws uit week {week}.\n"})
        result = cli("build", "--source", "src", "--out", "site")
        assert result.code == 0, result.err
        for path, text in THEIRS.items():
            assert (site / path).read_text(encoding="utf-8") == text
        assert (site / f"2018/0{week}/nieuws-uit-week-{week}/index.html").is_file()


@BOTH_WAYS
def test_a_page_that_would_replace_a_file_of_others_is_refused(
    cli, tmp_path: Path, flags: tuple[str, ...]
):
    source = make_tree(tmp_path / "src", ARTICLES)
    assert cli("build", "--source", "src", "--out", "site", *flags).code == 0
    site = make_tree(tmp_path / "site", {"2018/03/eigen-pagina/index.html": "<p>van mij</p>\n"})
    before, before_stamps = snapshot(site), stamps(site)

    make_tree(source, {"d.txt": "date 2018-03 Eigen pagina.\n"})
    result = cli("build", "--source", "src", "--out", "site", *flags)

    assert result.code == 1
    assert result.err == (
        "site/2018/03/eigen-pagina/index.html: was not made by tijdlijn and the new site "
        "needs its place; nothing was written. Move it away or rename the article.\n"
    )
    assert snapshot(site) == before
    assert stamps(site) == before_stamps

    # Doing what the message says makes the next build work.
    (site / "2018/03/eigen-pagina/index.html").rename(tmp_path / "eigen-pagina.html")
    result = cli("build", "--source", "src", "--out", "site", *flags)
    assert result.code == 0, result.err
    assert "Eigen pagina" in (site / "2018/03/eigen-pagina/index.html").read_text("utf-8")


@BOTH_WAYS
def test_a_file_of_others_where_the_site_needs_a_folder_is_refused(
    cli, tmp_path: Path, flags: tuple[str, ...]
):
    source = make_tree(tmp_path / "src", ARTICLES)
    assert cli("build", "--source", "src", "--out", "site", *flags).code == 0
    site = make_tree(tmp_path / "site", {"2019": "Plannen voor 2019.\n"})
    before = snapshot(site)

    make_tree(source, {"e.txt": "date 2019-02 Een bericht uit 2019.\n"})  # needs site/2019/
    result = cli("build", "--source", "src", "--out", "site", *flags)

    assert result.code == 1
    assert result.err.startswith("site/2019: was not made by tijdlijn")
    assert snapshot(site) == before


@BOTH_WAYS
def test_pages_no_longer_needed_are_removed(cli, tmp_path: Path, flags: tuple[str, ...]):
    source = make_tree(tmp_path / "src", ARTICLES)
    assert cli("build", "--source", "src", "--out", "site", *flags).code == 0
    site = tmp_path / "site"
    assert (site / "2017/05/index.html").is_file()

    set_source(source, CHANGED)  # a.txt edited (new slug), sub/c.md removed, d.txt added
    result = cli("build", "--source", "src", "--out", "site", *flags)

    assert result.code == 0, result.err
    files = snapshot(site)
    assert without_write_times(files) == without_write_times(clean_build(cli, tmp_path, CHANGED))
    assert not (site / "2018/07").exists()  # the removed article's event: no empty folders left
    assert not (site / "2017/05/trump-deelde-staatsgeheimen-met-lavrov-in-het-witte-huis").exists()
    assert b"helsinki" not in files["index.html"].lower()


def test_a_page_of_ours_edited_or_removed_by_hand_is_put_back(cli, tmp_path: Path):
    make_tree(tmp_path / "src", ARTICLES)
    for _ in range(2):  # the second build leaves a complete staging folder behind
        assert cli("build", "--source", "src", "--out", "site").code == 0
    site = tmp_path / "site"
    expected = snapshot(site)
    (site / "index.html").write_text("vandaal")
    (site / "404.html").unlink()

    result = cli("build", "--source", "src", "--out", "site")

    assert result.code == 0, result.err
    assert "2 files changed" in result.out
    assert snapshot(site) == expected


@pytest.mark.parametrize("site_exists", [False, True], ids=["first-build", "rebuild"])
@pytest.mark.parametrize(
    "theirs",
    [
        {f"{STAGING}/keep.txt": "van iemand anders\n", f"{STAGING}/sub/data.bin": b"\x00\x01"},
        {f"{STAGING}/{MANIFEST}": '{"generator": "iets anders", "files": {}}'},
        {STAGING: "een bestand, geen map\n"},
    ],
    ids=["folder", "folder-with-other-manifest", "file"],
)
def test_a_staging_folder_of_others_is_refused_not_deleted(
    cli, tmp_path: Path, site_exists, theirs
):
    make_tree(tmp_path / "src", ARTICLES)
    if site_exists:
        assert cli("build", "--source", "src", "--out", "site").code == 0
        write_time_stamps = stamps(tmp_path / "site")
        # The generator may keep its own staging folder; someone replaced it with theirs.
        staging = tmp_path / STAGING
        if staging.exists():
            for path in sorted(staging.rglob("*"), reverse=True):
                path.rmdir() if path.is_dir() else path.unlink()
            staging.rmdir()
    make_tree(tmp_path, theirs)
    before = snapshot(tmp_path)

    result = cli("build", "--source", "src", "--out", "site")

    assert result.code == 1
    assert result.err == f"{STAGING}: exists and was not made by tijdlijn; move it away\n"
    assert snapshot(tmp_path) == before
    if site_exists:
        assert stamps(tmp_path / "site") == write_time_stamps
    else:
        assert not (tmp_path / "site").exists()


def test_a_slug_cannot_write_outside_the_output_folder(cli, tmp_path: Path):
    make_tree(
        tmp_path / "werk/src",
        {
            "a.md": "Title: Weg\nDate: 2017-05\nSlug: ../../../../buiten\n\nTekst.\n",
            "b.md": "Title: Absoluut\nDate: 2017-05\nSlug: /tmp/buiten\n\nTekst.\n",
        },
    )
    make_tree(tmp_path, {"werk/buiten/index.html": "van mij\n", "buiten/index.html": "ook\n"})
    before = snapshot(tmp_path)

    result = cli("build", "--source", "werk/src", "--out", "werk/site")

    assert result.code == 0, result.err
    after = snapshot(tmp_path)
    ours = ("werk/site/", "werk/.site.", "werk/.tijdlijn-cache/")  # the site, staging, cache
    outside = {p: d for p, d in after.items() if not p.startswith(ours)}
    assert outside == before
    built = sorted(p for p in after if p.startswith("werk/site/2017/05/"))
    assert len(built) == 3  # the event page and both articles, inside the site


# --- a failing build leaves the previous site as it was ---------------------------------------


def _fail_after(count: int, error: BaseException):
    original = Renderer.article_page
    calls = []

    def article_page(self, article):
        calls.append(article.slug)
        if len(calls) > count:
            raise error
        return original(self, article)

    return article_page


DISK_FULL = os.strerror(errno.ENOSPC)


def _fail_swap(staging: Path, out: Path) -> None:
    raise OSError(errno.ENOSPC, DISK_FULL, str(out))


def _fail_write(tree: write.Tree, path: str, data: bytes, digest: str) -> None:
    raise OSError(errno.ENOSPC, DISK_FULL, str(tree.root / path))


CTRL_C = KeyboardInterrupt()
# the file that could not be written, in the staging folder next to `site`
STAGED_FILE_FULL = rf"\.site\.tijdlijn-staging/[\w./-]+: {DISK_FULL}"
INTERRUPTED = (130, re.escape("interrupted; the site was left as it was"))


@pytest.mark.parametrize(
    ("where", "patch", "error"),
    [
        ("bug while rendering", (Renderer, "article_page", _fail_after(1, RuntimeError())), None),
        ("ctrl-c while rendering", (Renderer, "article_page", _fail_after(1, CTRL_C)), INTERRUPTED),
        ("disk full while writing", (write.Tree, "put", _fail_write), (1, STAGED_FILE_FULL)),
        ("disk full at the swap", (write, "_swap", _fail_swap), (1, f"site: {DISK_FULL}")),
    ],
    ids=["bug", "interrupt", "write", "swap"],
)
def test_a_failed_build_leaves_the_previous_site_as_it_was(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where, patch, error
):
    source = make_tree(tmp_path / "src", ARTICLES)
    assert cli("build", "--source", "src", "--out", "site").code == 0
    # A rebuild with one article edited: its staging folder now shares the unchanged
    # pages with the site (hard links), among them the page the next build changes.
    set_source(source, {**ARTICLES, "b.txt": CHANGED["b.txt"].replace("Hamburg", "Duitsland")})
    assert cli("build", "--source", "src", "--out", "site").code == 0
    site = make_tree(tmp_path / "site", {"CNAME": THEIRS["CNAME"]})
    before, before_stamps = snapshot(site), stamps(site)

    set_source(source, CHANGED)
    with monkeypatch.context() as patched:
        patched.setattr(*patch)
        if error is None:  # a bug: its traceback is what a developer needs
            with pytest.raises(RuntimeError):
                cli("build", "--source", "src", "--out", "site")
        else:  # one line, never a traceback
            result = cli("build", "--source", "src", "--out", "site")
            code, line = error
            assert result.code == code
            assert re.fullmatch(f"{line}\n", result.err), result.err

    assert snapshot(site) == before, where
    assert stamps(site) == before_stamps, where

    result = cli("build", "--source", "src", "--out", "site")
    assert result.code == 0, result.err
    files = snapshot(site)
    assert files.pop("CNAME") == THEIRS["CNAME"].encode()
    assert pages(files) == pages(clean_build(cli, tmp_path, CHANGED))


def test_an_interrupted_swap_without_rename_exchange_is_undone_by_the_next_build(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Where renameat2(RENAME_EXCHANGE) is missing (macOS, some file systems) the swap is
    three renames; write.py says a build stopped between them is undone by the next."""
    source = make_tree(tmp_path / "src", ARTICLES)
    assert cli("build", "--source", "src", "--out", "site").code == 0
    make_tree(tmp_path / "site", {"CNAME": THEIRS["CNAME"]})
    monkeypatch.setattr(write, "_exchange", lambda first, second: False)
    set_source(source, CHANGED)

    rename = Path.rename

    def stopped_between_renames(self: Path, target):
        if self.name == STAGING and Path(target).name == "site":
            raise KeyboardInterrupt
        return rename(self, target)

    with monkeypatch.context() as patched:
        patched.setattr(Path, "rename", stopped_between_renames)
        assert cli("build", "--source", "src", "--out", "site").code == 130

    result = cli("build", "--source", "src", "--out", "site")

    assert result.code == 0, result.err
    files = snapshot(tmp_path / "site")
    assert files.pop("CNAME", None) == THEIRS["CNAME"].encode()
    assert pages(files) == pages(clean_build(cli, tmp_path, CHANGED))
    assert not (tmp_path / ".site.tijdlijn-previous").exists()


# --- a killed build: the old site or the new one, never a mix ---------------------------------

ARTICLE_COUNT = 1500


def write_many_articles(folder: Path, extra: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(ARTICLE_COUNT):
        year, month = 2015 + (number % 36) // 12, 1 + number % 12
        (folder / f"{number:04d}.txt").write_text(
            f"date {year}-{month:02d} Bericht nummer {number} over de zaak.{extra}\n\n"
            "Een korte tweede alinea.\n",
            encoding="utf-8",
        )


def start_build(cwd: Path, source: str, out: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--source", source, "--out", out],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def complete_build(cwd: Path, source: str, out: str) -> float:
    """Run a build to its end; its duration in seconds."""
    started = time.perf_counter()
    process = start_build(cwd, source, out)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()
    return time.perf_counter() - started


def verified_digests(site: Path) -> dict[str, str]:
    """{path: sha256} of a complete site: every file its manifest lists has exactly the
    recorded bytes, and there is no other file."""
    try:
        listed = json.loads((site / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError) as error:
        pytest.fail(f"the output folder has no complete manifest: {error}")
    files = snapshot(site)
    assert set(files) == set(listed) | {MANIFEST}
    for path, digest in listed.items():
        assert hashlib.sha256(files[path]).hexdigest() == digest, path
    return dict(listed)


def watched_files(site: Path) -> list[Path]:
    """The output folder, its manifest and some pages from all over it."""
    pages = sorted(relative for relative, _ in files_under(site))
    return [site, *(site / pages[int(i * (len(pages) - 1) / 6)] for i in range(7))]


def output_state(watched: list[Path]) -> list[tuple[int, int, int]]:
    """Changes when the output folder is replaced or one of the watched files rewritten."""
    state = []
    for path in watched:
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            stat = None
        state.append((stat.st_ino, stat.st_mtime_ns, stat.st_size) if stat else (0, 0, 0))
    return state


def kill_when_output_changes(process: subprocess.Popen[bytes], site: Path) -> bool:
    """Kill the build the moment it starts to change `site`; False if it ended first."""
    watched = watched_files(site)
    before = output_state(watched)
    while process.poll() is None:
        if output_state(watched) != before:
            process.send_signal(signal.SIGKILL)
            return True
        time.sleep(0.001)
    return False


@pytest.mark.slow
def test_a_killed_build_leaves_the_old_site_or_the_new_one(tmp_path: Path):
    write_many_articles(tmp_path / "old", extra="")
    write_many_articles(tmp_path / "new", extra=" Bijgewerkt.")  # every article page changes
    # Both sites as a build into a new folder makes them; how long a build takes.
    complete_build(tmp_path, "old", "site")
    seconds = complete_build(tmp_path, "new", "reference")
    sites = {
        "old": verified_digests(tmp_path / "site"),
        "new": verified_digests(tmp_path / "reference"),
    }
    assert len(sites["old"]) > ARTICLE_COUNT
    assert sum(sites["old"].get(path) != digest for path, digest in sites["new"].items()) > (
        ARTICLE_COUNT
    )

    # Kill builds at moments spread over a build (while it reads, while it writes) and twice
    # the moment the output folder starts to change.  Each build goes from the site that is
    # there to the other one.
    current, killed, killed_at_change = "old", 0, 0
    for moment in (0.6, "change", 0.9, "change"):
        target = "new" if current == "old" else "old"
        started = time.perf_counter()
        process = start_build(tmp_path, target, "site")
        finished = None
        if moment == "change":
            killed_at_change += kill_when_output_changes(process, tmp_path / "site")
        else:
            try:
                process.wait(timeout=seconds * moment)
                finished = time.perf_counter() - started
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                killed += 1
        _, err = process.communicate(timeout=60)
        assert process.returncode in (0, -signal.SIGKILL), err.decode()
        if process.returncode == 0 and finished:  # the machine is faster now: aim better
            seconds = finished

        found = verified_digests(tmp_path / "site")
        assert found in (sites[current], sites[target]), f"killed at {moment}: a mix"
        current = "new" if found == sites["new"] else "old"
    assert killed_at_change >= 1, "no build was killed while it changed the output folder"
    assert killed + killed_at_change >= 3, "the builds finished before they could be killed"

    # Then a build runs to its end, and gives what a build into a new folder gives: the
    # the same manifest, and every file with the bytes listed.
    final = "new" if current == "old" else "old"
    process = start_build(tmp_path, final, "site")
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()
    assert verified_digests(tmp_path / "site") == sites[final]


@pytest.mark.slow
def test_a_large_rebuild_with_nothing_changed_touches_nothing_and_keeps_staging_whole(
    tmp_path: Path,
):
    """Large enough for worker processes, which mark the staging folder incomplete before
    they start: when no page differs, the output is left alone and the staging folder
    is whole again, so the next build can still use it."""
    write_many_articles(tmp_path / "src", extra="")
    write_many_articles(tmp_path / "changed", extra=" Bijgewerkt.")
    complete_build(tmp_path, "changed", "site")
    complete_build(tmp_path, "src", "site")  # now staging holds a whole (older) site
    site, staging = tmp_path / "site", tmp_path / STAGING
    before, before_stamps = verified_digests(site), stamps(site)

    process = start_build(tmp_path, "src", "site")
    _, err = process.communicate(timeout=120)

    assert process.returncode == 0, err.decode()
    assert verified_digests(site) == before
    assert stamps(site) == before_stamps
    assert len(verified_digests(staging)) > ARTICLE_COUNT  # a manifest again, every file as listed
    assert not (staging / write.INCOMPLETE).exists()


@pytest.mark.slow
def test_a_build_killed_while_its_workers_write_pages_is_never_taken_for_a_whole_one(
    tmp_path: Path,
):
    """Worker processes write pages into the staging folder themselves.  Before they
    start, the staging folder must stop claiming to be a complete site: killed half-way,
    it holds pages of two builds, and the next build must not trust it."""
    for name, extra in (("old", ""), ("new", " Bijgewerkt."), ("newer", " Nogmaals.")):
        write_many_articles(tmp_path / name, extra=extra)
    complete_build(tmp_path, "newer", "reference")
    complete_build(tmp_path, "old", "site")
    complete_build(tmp_path, "new", "site")  # the staging folder now holds the old site
    staging = tmp_path / STAGING
    old_pages = verified_digests(staging)
    published = verified_digests(tmp_path / "site")

    process = start_build(tmp_path, "newer", "site")
    watched = [path for path in watched_files(staging) if path.name == "index.html"]
    before = output_state(watched)
    while process.poll() is None and output_state(watched) == before:
        time.sleep(0.001)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)

    assert process.returncode == -signal.SIGKILL, "the build ended before it could be killed"
    rewritten = [
        relative
        for relative, path in files_under(staging)
        if relative in old_pages
        and hashlib.sha256(path.read_bytes()).hexdigest() != old_pages[relative]
    ]
    assert rewritten, "killed before any page was written"
    assert not (staging / MANIFEST).exists()
    assert (staging / write.INCOMPLETE).is_file()
    assert verified_digests(tmp_path / "site") == published  # the killed build changed nothing

    complete_build(tmp_path, "newer", "site")
    assert verified_digests(tmp_path / "site") == verified_digests(tmp_path / "reference")


def test_a_build_killed_while_clearing_an_interrupted_staging_folder_is_recovered(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """What the kill test above meets at random, made certain: a build is stopped, the
    next one is killed while it removes the stopped build's staging folder."""
    source = make_tree(tmp_path / "src", ARTICLES)
    assert cli("build", "--source", "src", "--out", "site").code == 0
    set_source(source, CHANGED)
    with monkeypatch.context() as patched:
        patched.setattr(Renderer, "article_page", _fail_after(1, KeyboardInterrupt()))
        assert cli("build", "--source", "src", "--out", "site").code == 130
    assert (tmp_path / STAGING / write.INCOMPLETE).is_file()

    def killed_half_way(root: Path) -> None:
        # Stopped after deleting some files: the folder (renamed away first) is half gone.
        for page in sorted(root.rglob("index.html"))[:2]:
            page.unlink()
        raise KeyboardInterrupt  # SIGKILL: nothing more happens in this process

    with monkeypatch.context() as patched:
        patched.setattr(write, "_delete_tree", killed_half_way)
        assert cli("build", "--source", "src", "--out", "site").code == 130
    assert not (tmp_path / STAGING).exists()  # renamed before it was cleared

    result = cli("build", "--source", "src", "--out", "site")

    assert result.code == 0, result.err
    assert pages(snapshot(tmp_path / "site")) == pages(clean_build(cli, tmp_path, CHANGED))


@given(
    files=st.dictionaries(st.text(), st.text(), max_size=6),
    carried=st.lists(st.text(), max_size=3),
)
def test_the_manifest_is_written_as_indented_json_always_was(tmp_path_factory, files, carried):
    root = tmp_path_factory.mktemp("tree")
    tree = write.Tree(root, dict(files), list(carried))
    tree.save(stats=False)
    tree.files["changed"] = "after the first save"
    tree.save(stats=False)
    data = {"generator": write.GENERATOR, "carried": sorted(carried), "files": tree.files}
    data["files"] = dict(sorted(tree.files.items()))
    assert (root / write.MANIFEST).read_text(encoding="utf-8") == json.dumps(data, indent=0)


@given(
    stats=st.dictionaries(
        st.text(), st.tuples(st.integers(0, 2**63), st.integers(0, 2**63)), max_size=6
    )
)
def test_the_files_times_are_read_back_as_saved(tmp_path_factory, stats):
    root = tmp_path_factory.mktemp("tree")
    tree = write.Tree(root, {path: "digest" for path in stats}, [])
    tree.stats = {path: write.file_stat(*stat) for path, stat in stats.items()}
    tree.save()
    again = write.read_tree(root)
    assert again is not None and again.stats == tree.stats
    saved = json.loads(write._stats_file(root).read_text(encoding="utf-8"))
    assert saved == {path: list(stat) for path, stat in stats.items()}  # [size, mtime_ns]


def test_times_edited_by_hand_into_nonsense_are_dropped_not_fatal(tmp_path: Path):
    # The times only save hashing; a file that is not [size, time] is hashed instead.
    root = tmp_path / "site"
    root.mkdir()
    tree = write.Tree(root, {"a": "1", "b": "2", "c": "3", "d": "4"}, [])
    tree.stats = {path: write.file_stat(1, 2) for path in "abcd"}
    tree.save()
    stats_file = write._stats_file(root)
    nonsense = {"a": [1, 2], "b": [1, 2, 3], "c": "x", "d": [True, 2]}
    stats_file.write_text(json.dumps(nonsense), encoding="utf-8")
    again = write.read_tree(root)
    assert again is not None and again.stats == {"a": write.file_stat(1, 2)}
    again.save_stats()
    assert json.loads(stats_file.read_text(encoding="utf-8")) == {"a": [1, 2]}


def test_a_rebuild_keeps_each_path_and_digest_once_for_its_three_sites(cli, tmp_path: Path):
    # The site in the output, the one in the staging folder and the new one have the same
    # paths and mostly the same digests: each held as its own string, the three came to
    # 140 MiB of a rebuild's 433 at 100,000 articles (over the 400 MB target).
    source = make_tree(tmp_path / "src", ARTICLES)
    out = tmp_path / "site"
    for articles in (CHANGED, ARTICLES):  # the staging folder now holds the site of CHANGED
        set_source(source, articles)
        assert cli("build", "--source", source, "--out", out).code == 0
    writer = write.SiteWriter(out, source)
    current, staging = writer.current.files, writer.staging.files
    assert len(staging) > 10 and set(staging) != set(current)
    assert not [
        path for path in staging if path in current and not _same_key(current, staging, path)
    ]
    same = [path for path in staging if staging[path] == current.get(path)]
    assert same and all(staging[path] is current[path] for path in same)
    assert all(_same_key(writer.current.files, writer.current.stats, p) for p in current)
    assert all(_same_key(staging, writer.staging.stats, p) for p in writer.staging.stats)

    path = next(iter(current))
    copy = "".join(list(path))  # a new string, as a worker's result brings it
    assert copy is not path
    writer.add(copy, write.Placed("".join(list(current[path])), published=True))
    assert _same_key(current, writer.digests, path)
    assert writer.digests[path] is current[path]


def _same_key(first: dict[str, object], second: dict[str, object], key: str) -> bool:
    """Whether both dicts hold `key` as the same string object."""
    return next(k for k in first if k == key) is next(k for k in second if k == key)


@pytest.mark.parametrize("links", [True, False], ids=["hard-links", "no-hard-links"])
def test_the_first_rebuild_shares_the_unchanged_pages_with_the_staging_folder(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, links: bool
):
    # After a build into an empty folder the staging folder is empty: the first rebuild
    # gives it every page that did not change.  A hard link where the disk allows (no
    # second copy on disk, no bytes read and written), else a copy; either way each site
    # is exactly as its manifest says, and the next build writes no published page.
    if not links:
        monkeypatch.setattr(os, "link", _no_hard_links)
    elif not _hard_links_work(tmp_path):
        pytest.skip("this disk has no hard links: the build copies (the other case)")
    source = make_tree(tmp_path / "src", ARTICLES)
    site, staging = tmp_path / "site", tmp_path / STAGING
    assert cli("build", "--source", source, "--out", site).code == 0
    first = verified_digests(site)
    set_source(source, CHANGED)
    assert cli("build", "--source", source, "--out", site).code == 0

    now, before = verified_digests(site), verified_digests(staging)
    assert before == first
    kept = [path for path in now if before.get(path) == now[path]]
    assert len(kept) >= 3  # the other article's page, the assets
    for path in kept:
        same = os.path.samefile(site / path, staging / path)
        assert same == links, path

    # b.txt, the same in both, edited now: its page, shared, is written anew in staging
    edited = {**CHANGED, "b.txt": CHANGED["b.txt"].replace("Hamburg", "Duitsland")}
    set_source(source, edited)
    published = snapshot(site)
    result = cli("build", "--source", source, "--out", site)
    assert result.code == 0, result.err
    assert snapshot(staging) == published  # the site of the build before, as it was
    assert pages(snapshot(site)) == pages(clean_build(cli, tmp_path, edited))


def _hard_links_work(folder: Path) -> bool:
    """Whether the disk under `folder` makes hard links (not every one does: FAT, some
    network and container file systems)."""
    (folder / "link-probe").write_bytes(b"")
    try:
        os.link(folder / "link-probe", folder / "link-probe-2")
    except OSError:
        return False
    finally:
        (folder / "link-probe").unlink()
    (folder / "link-probe-2").unlink()
    return True


def _no_hard_links(source: object, target: object) -> None:
    raise OSError(errno.EPERM, "Operation not permitted")
