"""The benchmark runner reads what a build prints: its `changed` column comes from the
summary line, so the two must agree (its regular expression once never matched, and
the column was empty for every edit)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

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
    assert run.cpu_seconds >= 0.5 * run.seconds


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
