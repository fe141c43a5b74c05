"""The benchmark runner reads what a build prints: its `changed` column comes from the
summary line, so the two must agree (its regular expression once never matched, and
the column was empty for every edit)."""

from __future__ import annotations

import re
import resource
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.report import BuildReport
from generator.write import WriteReport

from .conftest import REPO, CliResult

sys.path.insert(0, str(REPO / "bench"))
from run import Run, measure  # bench/ is not a package: found through sys.path


def changed(output: str) -> str:
    return Run(seconds=0.0, max_rss_kib=0, returncode=0, output=output).changed


def test_the_runner_reads_how_many_files_a_build_changed(
    cli: Callable[..., CliResult], seeds: Path, tmp_path: Path
):
    first = cli("build", "--source", seeds, "--out", "site")
    written = [p for p in (tmp_path / "site").rglob("*") if p.is_file()]
    # every file of the new site but the manifest, which is not part of it
    assert changed(first.out) == str(len(written) - 1)
    again = cli("build", "--source", seeds, "--out", "site")
    assert changed(again.out) == "0"
    article = next(seeds.glob("*.txt"))
    article.write_text(article.read_text(encoding="utf-8") + "\n\nNog een zin.\n", "utf-8")
    edited = cli("build", "--source", seeds, "--out", "site")
    assert int(changed(edited.out)) > 0


def test_the_summary_counts_in_the_singular_and_the_plural():
    def summary(count: int) -> str:
        written = WriteReport(files=count, changed=count, removed=0, written=count)
        return BuildReport(count, count, 0, (), written, count, Path("site"), 0.5).summary()

    assert summary(1).startswith("Built 1 article in 1 event (0 skipped)")
    assert summary(1).endswith("(1 page rendered, 1 file changed)")
    assert summary(2).endswith("(2 pages rendered, 2 files changed)")
    assert changed(summary(1)) == "1"
    assert changed(summary(2)) == "2"


def test_the_runner_counts_the_cpu_of_a_build_and_its_workers():
    """A build's CPU is mostly its workers': a child that only waits while its own child
    works must still show that work (`os.wait4` counts the processes it waited for)."""
    burn = "sum(range(3 * 10**7))"
    waits = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {burn!r}])"
    run = measure([sys.executable, "-c", waits])
    assert run.ok
    assert run.cpu_seconds is not None
    # against the CPU the work takes on its own (not the wall time, which a busy machine
    # stretches): the grandchild's share must be in the count
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", burn], check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    alone = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    assert run.cpu_seconds >= 0.7 * alone


def test_the_benchmarks_name_edit_changes_the_articles_names_and_the_text_edit_does_not(
    tmp_path: Path,
):
    """`--kind names` must time the edit it says: one that gives the article a name it
    did not have (not a text edit the build patches), and `append_edit` one that does not."""
    import make_corpus

    from generator.load import load_documents
    from generator.model import build_site

    make_corpus.write_corpus(make_corpus.make_articles(40, 7), tmp_path, "seed")
    edited = make_corpus.article_to_edit(tmp_path)

    def names() -> set[str]:
        site, _ = build_site(load_documents(tmp_path)[0])
        (article,) = [a for a in site.articles if Path(a.source_path).name == edited.name]
        return set(article.names)

    before = names()
    make_corpus.append_edit(edited, "t1")
    assert names() == before
    make_corpus.name_edit(edited, 1)
    assert names() == before | {make_corpus.NEW_NAMES[1]}


def quoted_people(article: Any) -> list[str]:  # a make_corpus.Article
    """Whom a `--people` article quotes, from the paragraph that quotes them."""
    return re.findall(r"(?:sprak|Ook) (.+?) (?:erover|reageerde)\.", article.blocks[-1][1])


def test_a_corpus_with_a_long_tail_of_people_has_their_names_and_pages(tmp_path: Path):
    """`--people`: the same articles, each also quoting three of that many people, most of
    them rarely; they become names, the often quoted ones with pages of their own."""
    import make_corpus

    from generator.load import load_documents
    from generator.model import build_site

    plain = make_corpus.make_articles(300, 3)
    quoting = make_corpus.make_articles(300, 3, people=2000)
    assert [a.blocks for a in plain] == [a.blocks[:-1] for a in quoting]  # as they were
    quoted = Counter(person for article in quoting for person in quoted_people(article))
    assert sum(quoted.values()) == 900
    assert len(quoted) > 300 and quoted.most_common(1)[0][1] > 20  # a long tail, a head
    make_corpus.write_corpus(quoting, tmp_path / "src", "seed")
    site, _ = build_site(load_documents(tmp_path / "src")[0])
    with_pages = {entry.name for entry in site.names}
    assert {person for person, count in quoted.most_common(20)} <= with_pages
    # Every one is found, whole (`Sander Kuipers` was once `Sarah Sander` and another
    # Kuipers, `Hugo van der Kuipers` was `Hugo van der Kuiper`), and no one else.
    names_of = {Path(article.source_path).stem: set(article.names) for article in site.articles}
    for article in quoting:
        named = names_of[article.stem]
        assert set(quoted_people(article)) <= named
        assert {name for name in named if " van " in name} <= set(quoted_people(article))


@pytest.mark.parametrize("kind", ["known", "newest", "removed"])
def test_serve_edit_times_the_edits_it_says_and_puts_the_corpus_back(tmp_path: Path, kind: str):
    """`--kind known`: each edit quotes another name with a page (so the article comes
    into its list); `--kind newest`: each adds an article after every other (patched, as a
    newsroom's latest is); `--kind removed`: each deletes such an article again (patched
    too).  Each is timed; the corpus is as it was afterwards."""

    corpus = tmp_path / "corpus"
    make = [sys.executable, REPO / "bench/make_corpus.py", "--n", "120", "--out", corpus]
    subprocess.run(make, check=True, capture_output=True)
    before = {path.name: path.read_bytes() for path in corpus.iterdir()}
    script = [sys.executable, REPO / "bench/serve_edit.py", "--source", corpus]
    result = subprocess.run(
        [*script, "--out", tmp_path / "site", "--edits", "2", "--kind", kind],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    edits = re.findall(r"^edit (\d): [\d.]+ s \((patched|full)\)$", result.stdout, re.M)
    assert [number for number, _ in edits] == ["1", "2"]
    # (with one or two articles a month, a name quoted may give a name a page: in full)
    assert ("1", "patched") in edits
    if kind in ("newest", "removed"):
        assert edits == [("1", "patched"), ("2", "patched")]
    assert {path.name: path.read_bytes() for path in corpus.iterdir()} == before
