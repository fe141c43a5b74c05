"""Benchmark Tijdlijn's build, and compare it with Hugo, Pelican and the disk's floor.

    python bench/run.py [--n 1000 10000] [--peers] [--repeat 5] [--format seed|md|both]

For each N a corpus is made once (bench/make_corpus.py) in a temporary folder; then every
build runs as `python -m generator build` in a child process, timed from start to exit,
with the child's own peak RSS from os.wait4.  Prints Markdown (for bench/RESULTS.md) on
stdout and progress on stderr.  Timings never fail the run: it exits 0 unless it cannot
run at all.  See bench/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import make_corpus

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DEFAULT_TOOLS = Path("/work/bench-tools")
TOOLS = DEFAULT_TOOLS  # Pelican venv and bytecode cache; set from --tools in main()
PELICAN_PACKAGES = ("pelican>=4.9,<5", "markdown>=3.5,<4")
CHECK_N = 50  # articles in the corpus that checks the peers write one page per article


# --- running one child ----------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One finished child process."""

    seconds: float  # wall clock, start to exit
    max_rss_kib: int  # the child's peak resident set size
    returncode: int
    output: str  # stdout and stderr
    # user + system CPU of the child and the processes it waited for (its workers)
    cpu_seconds: float | None = None

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def internal_seconds(self) -> float | None:
        """The time Tijdlijn reports itself (`… in 3.21 s`): the build without start-up."""
        match = re.search(r" in (\d+(?:\.\d+)?) s \(", self.output)
        return float(match.group(1)) if match else None

    @property
    def changed(self) -> str:
        """Tijdlijn's `(… pages rendered, N files changed)`, or `0`."""
        if "no files changed" in self.output:
            return "0"
        match = re.search(r", (\d+) files? changed\)", self.output)
        return match.group(1) if match else ""


def child_env() -> dict[str, str]:
    """The environment for builds: bytecode cached outside the repo, as a user's would be."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(TOOLS / "pycache")
    return env


DROP_CACHES = Path("/proc/sys/vm/drop_caches")


def settle() -> bool:
    """Before a cold build: write out what earlier runs left in memory, and drop the page
    cache when allowed (Linux, root).  Without it, creating the same 12,000 files took
    0.8-18 s on the project's machine, growing run after run as trees were written and
    deleted (system time, not the disk, which wrote 2.5 GB/s; `sync` alone or dropping
    only dentries and inodes did not help); with it, 1.41-1.55 s five times running.
    True if the cache was dropped."""
    os.sync()
    try:
        DROP_CACHES.write_text("3\n")
    except OSError:
        return False
    return True


def measure(command: Sequence[str | Path], cwd: Path | None = None, cold: bool = False) -> Run:
    """Run `command`, timing it and reading its peak RSS from os.wait4 (that child only).
    `cold`: settle the machine first (outside the time)."""
    if cold:
        settle()
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            [str(part) for part in command],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=child_env(),
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    cpu = usage.ru_utime + usage.ru_stime
    run = Run(seconds, usage.ru_maxrss, process.returncode, output, cpu)
    if not run.ok:
        tail = "\n".join(output.strip().splitlines()[-5:])
        note(f"  ! exit {run.returncode}: {' '.join(map(str, command))}\n{tail}")
    return run


def capture(command: Sequence[str | Path]) -> str:
    """The first line a command prints, or "" when it cannot run."""
    try:
        done = subprocess.run(
            [str(part) for part in command], capture_output=True, text=True, timeout=60, cwd=REPO
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0].strip() if lines else ""


def note(message: str) -> None:
    """Progress, on stderr, so that stdout stays pasteable Markdown."""
    print(message, file=sys.stderr, flush=True)


# --- the tools ------------------------------------------------------------------------------


@dataclass
class Tool:
    """A site generator to time: a command for a corpus folder and an output folder."""

    name: str
    corpus_format: str
    command: Callable[[Path, Path], list[str | Path]]
    version: str = ""
    same_pages: bool = False  # makes Tijdlijn's pages (events, names…), not just index + articles


def tijdlijn_command(extra: Sequence[str] = ()) -> Callable[[Path, Path], list[str | Path]]:
    """`python -m generator build` of the checkout (run with cwd=REPO)."""

    def command(source: Path, out: Path) -> list[str | Path]:
        return [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--source",
            source,
            "--out",
            out,
            *extra,
        ]

    return command


def find_hugo() -> list[Tool]:
    """Hugo from PATH (Debian package `hugo`), twice: the issue's comparison site (index +
    articles) and the same pages as Tijdlijn's (corpus format `hugo-same`); or none."""
    hugo = shutil.which("hugo")
    if not hugo:
        return []

    def command(source: Path, out: Path) -> list[str | Path]:
        return [hugo, "--source", source, "--destination", out, "--quiet", "--noBuildLock"]

    version = capture([hugo, "version"])
    return [
        Tool("Hugo", "hugo", command, version),
        Tool("Hugo (same pages)", "hugo-same", command, version, same_pages=True),
    ]


def find_pelican(install: bool) -> Tool | None:
    """Pelican from its own venv under the tools folder; made on first use if `install`."""
    venv = TOOLS / "pelican-venv"
    pelican = venv / "bin" / "pelican"
    if not pelican.exists() and install:
        note(f"Pelican: first use, creating {venv} (python -m venv + pip install pelican markdown)")
        try:
            subprocess.run([sys.executable, "-m", "venv", "--clear", venv], check=True)
            subprocess.run(
                [venv / "bin" / "python", "-m", "pip", "install", "-q", *PELICAN_PACKAGES],
                check=True,
            )
        except (OSError, subprocess.CalledProcessError) as error:
            note(f"Pelican: could not install it ({error})")
    if not pelican.exists():
        return None

    def command(source: Path, out: Path) -> list[str | Path]:
        return [pelican, source / "content", "-s", source / "pelicanconf.py", "-o", out, "-q"]

    version = capture(
        [
            venv / "bin" / "python",
            "-c",
            "import importlib.metadata as m; "
            "print('pelican', m.version('pelican'), '+ Markdown', m.version('markdown'))",
        ]
    )
    return Tool("Pelican", "pelican", command, version)


def incremental_flag() -> str | None:
    """`--incremental` when `python -m generator build --help` lists it."""
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--help"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    return "--incremental" if re.search(r"--incremental\b", done.stdout) else None


# --- output folders -------------------------------------------------------------------------


@dataclass(frozen=True)
class Output:
    html: int
    files: int
    bytes: int


def count_output(folder: Path) -> Output:
    """HTML pages, all files, and their bytes, under `folder`."""
    html = files = size = 0
    for root, _, names in os.walk(folder):
        for name in names:
            files += 1
            html += name.endswith(".html")
            size += os.path.getsize(os.path.join(root, name))
    return Output(html, files, size)


def fresh_folder(path: Path) -> Path:
    """An empty new folder at `path` (inside our work folder), its old content removed."""
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


# --- results --------------------------------------------------------------------------------


@dataclass
class Series:
    """Repeated runs of one measurement."""

    label: str
    runs: list[Run] = field(default_factory=list)
    output: Output | None = None
    note: str = ""

    def seconds(self) -> list[float]:
        return [r.seconds for r in self.runs if r.ok]

    def median(self) -> float | None:
        values = self.seconds()
        return statistics.median(values) if values else None

    def internal(self) -> float | None:
        values = [r.internal_seconds for r in self.runs if r.ok and r.internal_seconds is not None]
        return statistics.median(values) if values else None

    def peak_mib(self) -> float | None:
        return max(r.max_rss_kib for r in self.runs) / 1024 if self.runs else None

    def cpu(self) -> float | None:
        values = [r.cpu_seconds for r in self.runs if r.ok and r.cpu_seconds is not None]
        return statistics.median(values) if values else None


def paired_ratio(ours: Series, theirs: Series) -> float | None:
    """Median of ours/theirs over runs made back to back (A B A B), robust to a noisy box."""
    pairs = [
        a.seconds / b.seconds
        for a, b in zip(ours.runs, theirs.runs, strict=False)
        if a.ok and b.ok and b.seconds > 0
    ]
    return statistics.median(pairs) if pairs else None


def fmt(value: float | None, digits: int = 2, suffix: str = "") -> str:
    return "n/a" if value is None else f"{value:.{digits}f}{suffix}"


# --- the benchmark --------------------------------------------------------------------------


def floor_command(source: Path, out: Path, output: Output | None) -> list[str | Path]:
    command: list[str | Path] = [
        sys.executable,
        BENCH / "io_floor.py",
        "--source",
        source,
        "--out",
        out,
    ]
    if output and output.files:
        command += ["--pages", str(output.files), "--page-bytes", str(output.bytes // output.files)]
    return command


@dataclass
class FormatResult:
    fmt: str
    cold: Series
    floor: Series
    nochange: Series
    nochange_later: Series
    edit: Series
    incremental: Series
    incremental_names: Series
    incremental_nochange: Series
    serve: Series
    serve_live: Series
    serve_headline: Series
    serve_names: Series
    serve_new: Series
    serve_newest: Series
    serve_date: Series


SERVE_LABELS = {
    "text": "rebuild, 1 edited, in `serve`",
    "headline": "rebuild, 1 headline edited, in `serve`",
    "names": "rebuild, 1 edited naming someone new, in `serve`",
    "new": "rebuild, 1 article added, in `serve`",
    "newest": "rebuild, 1 article added after every other, in `serve`",
    "date": "rebuild, 1 article moved to another date, in `serve`",
}


def serve_edits(
    source: Path, out: Path, edits: int, live: bool = False, kind: str = "text"
) -> Series:
    """Edits in serve (bench/serve_edit.py, `--kind`), one Run per edit: its rebuild,
    timed inside the process, or (`live`) a real serve process from the save to its
    `Built` line.  The peak RSS is that process's, first build included."""
    label = "1 edited, `serve`: save -> rebuilt" if live else SERVE_LABELS[kind]
    series = Series(label)
    command = [sys.executable, BENCH / "serve_edit.py", "--source", source, "--out", out]
    command += ["--edits", str(edits), "--kind", kind, *(["--live"] if live else [])]
    run = measure(command, cwd=REPO)
    found = re.findall(r"^edit \d+: (\d+(?:\.\d+)?) s \((\w+)\)$", run.output, re.MULTILINE)
    for seconds, how in found:
        series.runs.append(Run(float(seconds), run.max_rss_kib, run.returncode, how))
    idle = re.search(r"^idle CPU (\S+) s", run.output, re.MULTILINE)
    if not found:
        series.note = f"failed: exit {run.returncode}"
    elif live:
        series.label += f" (idle CPU {idle.group(1) if idle else '?'} s in 5 s)"
    elif kind == "text":
        series.label += f" ({sum(how == 'patched' for _, how in found)} of {len(found)} patched)"
    return series


def bench_n(
    n: int,
    formats: Sequence[str],
    peers: Sequence[Tool],
    repeat: int,
    work: Path,
    seed: int,
    incremental: str | None,
    people: int = 0,
) -> tuple[list[FormatResult], list[tuple[Tool, Series]]]:
    """Everything for one corpus size."""
    note(f"N={n}: making the corpus ({', '.join([*formats, *(p.corpus_format for p in peers)])})")
    articles = make_corpus.make_articles(n, seed, people=people)
    sources: dict[str, Path] = {}
    for corpus_format in [*formats, *(p.corpus_format for p in peers)]:
        sources[corpus_format] = work / f"src-{corpus_format}"
        make_corpus.write_corpus(articles, sources[corpus_format], corpus_format)

    ours = tijdlijn_command()
    results = {
        f: FormatResult(
            f,
            cold=Series("cold build"),
            floor=Series("I/O floor (io_floor.py)"),
            nochange=Series("rebuild, no change (1st)"),
            nochange_later=Series("rebuild, no change (2nd+)"),
            edit=Series("rebuild, 1 article edited"),
            incremental=Series("rebuild, 1 edited, --incremental"),
            incremental_names=Series("rebuild, 1 edited naming someone new, --incremental"),
            incremental_nochange=Series("rebuild, no change, --incremental"),
            serve=Series(SERVE_LABELS["text"]),
            serve_live=Series("1 edited, `serve`: save -> rebuilt"),
            serve_headline=Series(SERVE_LABELS["headline"]),
            serve_names=Series(SERVE_LABELS["names"]),
            serve_new=Series(SERVE_LABELS["new"]),
            serve_newest=Series(SERVE_LABELS["newest"]),
            serve_date=Series(SERVE_LABELS["date"]),
        )
        for f in formats
    }
    peer_series = [(tool, Series(f"{tool.name} cold build")) for tool in peers]

    # Cold builds, alternating: ours, floor, (ours, floor)…, Hugo, Pelican; round after round.
    for round_number in range(1, repeat + 1):
        for f, result in results.items():
            out = fresh_folder(work / f"cold-{f}") / "site"
            out.mkdir()
            note(f"N={n} {f}: cold build {round_number}/{repeat}")
            run = measure(ours(sources[f], out), cwd=REPO, cold=True)
            result.cold.runs.append(run)
            result.cold.output = count_output(out)
            floor_out = fresh_folder(work / "floor") / "site"
            result.floor.runs.append(
                measure(floor_command(sources[f], floor_out, result.cold.output), cold=True)
            )
            result.floor.output = count_output(floor_out)
        for tool, series in peer_series:
            out = fresh_folder(work / f"cold-{tool.name}") / "public"
            out.mkdir()
            note(f"N={n}: {tool.name} cold build {round_number}/{repeat}")
            series.runs.append(measure(tool.command(sources[tool.corpus_format], out), cold=True))
            series.output = count_output(out)
    shutil.rmtree(work / "floor", ignore_errors=True)
    for tool, _ in peer_series:
        shutil.rmtree(work / f"cold-{tool.name}", ignore_errors=True)

    # Rebuilds into the last cold build's folder.
    for f, result in results.items():
        out = work / f"cold-{f}" / "site"
        note(f"N={n} {f}: rebuilds")
        for index in range(max(repeat, 2)):
            run = measure(ours(sources[f], out), cwd=REPO)
            (result.nochange if index == 0 else result.nochange_later).runs.append(run)
        edited = make_corpus.article_to_edit(sources[f])
        for index in range(repeat):
            make_corpus.append_edit(edited, f"{index + 1}")
            result.edit.runs.append(measure(ours(sources[f], out), cwd=REPO))
        if incremental:
            command = tijdlijn_command([incremental])
            for index in range(repeat):
                make_corpus.append_edit(edited, f"i{index + 1}")
                result.incremental.runs.append(measure(command(sources[f], out), cwd=REPO))
            original = edited.read_bytes()
            for index in range(repeat):
                make_corpus.name_edit(edited, index + 1)
                result.incremental_names.runs.append(measure(command(sources[f], out), cwd=REPO))
            edited.write_bytes(original)  # `serve` adds the same names anew
            measure(command(sources[f], out), cwd=REPO)  # the site as it was again: not timed
            for _ in range(repeat):
                run = measure(command(sources[f], out), cwd=REPO)
                result.incremental_nochange.runs.append(run)
        else:
            result.incremental.note = "n/a: `build --help` has no --incremental"
        note(f"N={n} {f}: edits in serve")
        serve_out = fresh_folder(work / f"serve-{f}") / "site"
        result.serve = serve_edits(sources[f], serve_out, max(repeat, 3))
        serve_out = fresh_folder(work / f"serve-{f}") / "site"
        result.serve_live = serve_edits(sources[f], serve_out, max(repeat, 3), live=True)
        for kind in ("headline", "names", "new", "newest", "date"):  # patched, or built again
            serve_out = fresh_folder(work / f"serve-{f}") / "site"
            series = serve_edits(sources[f], serve_out, max(repeat, 3), kind=kind)
            setattr(result, f"serve_{kind}", series)
        shutil.rmtree(work / f"serve-{f}", ignore_errors=True)
        for series in (
            result.nochange,
            result.nochange_later,
            result.edit,
            result.incremental,
            result.incremental_names,
            result.incremental_nochange,
        ):
            series.output = count_output(out) if series.runs else None
    return list(results.values()), peer_series


# --- the report -----------------------------------------------------------------------------


def machine_lines(peers: Sequence[Tool], peers_wanted: bool) -> list[str]:
    """What the numbers were measured on."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    def version(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    versions = ", ".join(
        f"{name} {version(name)}"
        for name in ("jinja2", "cmarkgfm", "nh3", "babel", "python-slugify")
    )
    revision = capture(["git", "-C", REPO, "rev-parse", "--short", "HEAD"]) or "?"
    dirty = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--", "generator", "templates"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    tijdlijn = capture([sys.executable, "-m", "generator", "--version"]) or "tijdlijn ?"
    lines = [
        f"- CPU: {cpu}; {os.cpu_count()} cores ({usable} usable); "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at start",
        f"- {platform.system()} {platform.release()}; Python {platform.python_version()}",
        f"- {tijdlijn} (git {revision}{', generator/ or templates/ changed' if dirty else ''});"
        f" {versions}",
    ]
    if peers_wanted:
        names = {tool.name: tool.version for tool in peers}
        lines.append(f"- Hugo: {names.get('Hugo') or 'not installed'}")
        lines.append(f"- Pelican: {names.get('Pelican') or 'not installed'}")
    return lines


def filesystem_of(path: Path) -> str:
    """The file system type of the folder the builds write to."""
    best, kind = "", "?"
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            parts = line.split()
            if len(parts) > 2 and str(path).startswith(parts[1]) and len(parts[1]) > len(best):
                best, kind = parts[1], parts[2]
    except OSError:
        pass
    return kind


ARTICLE_PAGE = re.compile(r"^\d{4}/\d{2}/[^/]+/index\.html$")


def check_peers(peers: Sequence[Tool], work: Path, seed: int) -> list[str]:
    """Build a corpus of CHECK_N with every tool and count the pages each writes.

    Every tool is set up to write an article to `YYYY/MM/<slug>/index.html`, so article
    pages are counted by that pattern; a fair peer writes CHECK_N of them plus one index
    (plus its event and name pages, for the peers that make Tijdlijn's pages)."""
    articles = make_corpus.make_articles(CHECK_N, seed)
    rows = [
        f"Pages written for a corpus of {CHECK_N} articles: a fair comparison needs one page per "
        "article plus an index (Tijdlijn also writes its own extra pages: months, 404, …; "
        "Hugo (same pages) its event and name pages).",
        "",
        "| tool | HTML files | article pages | other HTML | other files | check |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for tool in [Tool("Tijdlijn", "seed", tijdlijn_command(), same_pages=True), *peers]:
        source = fresh_folder(work / f"check-src-{tool.corpus_format}")
        make_corpus.write_corpus(articles, source, tool.corpus_format)
        out = fresh_folder(work / f"check-out-{tool.name}") / "site"
        out.mkdir()
        run = measure(tool.command(source, out), cwd=REPO)
        counted = count_output(out)
        pages = sum(
            1
            for path in out.rglob("*.html")
            if ARTICLE_PAGE.match(path.relative_to(out).as_posix())
        )
        other = counted.html - pages
        fair = pages == CHECK_N and (tool.same_pages or other == 1)
        verdict = "ok" if run.ok and fair else "**MISMATCH**"
        rows.append(
            f"| {tool.name} | {counted.html} | {pages} | {other} | "
            f"{counted.files - counted.html} | {verdict} |"
        )
    shutil.rmtree(work, ignore_errors=True)
    return rows


def table(
    n: int, results: Sequence[FormatResult], peers: Sequence[tuple[Tool, Series]]
) -> list[str]:
    """The measurements for one N, as a Markdown table."""
    rows = [
        f"### N = {n}",
        "",
        "| format | measurement | runs | wall s: median (min–max) | build s | CPU s "
        "| ms / article | peak RSS MiB | HTML | files | changed |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]

    def row(fmt_name: str, series: Series) -> str:
        if series.note:
            return f"| {fmt_name} | {series.label} | 0 | {series.note} | | | | | | | |"
        median = series.median()
        per_article = None if median is None else median / n * 1000
        output = series.output or Output(0, 0, 0)
        changed = series.runs[-1].changed if series.runs else ""
        failed = sum(not r.ok for r in series.runs)
        runs = f"{len(series.runs)}" + (f" ({failed} failed)" if failed else "")
        values = series.seconds()
        spread = f" ({min(values):.2f}–{max(values):.2f})" if len(values) > 1 else ""
        return (
            f"| {fmt_name} | {series.label} | {runs} | {fmt(median)}{spread} "
            f"| {fmt(series.internal())} | {fmt(series.cpu())} "
            f"| {fmt(per_article)} | {fmt(series.peak_mib(), 0)} | {output.html} "
            f"| {output.files} | {changed} |"
        )

    for result in results:
        for series in (
            result.cold,
            result.nochange,
            result.nochange_later,
            result.edit,
            result.incremental,
            result.incremental_names,
            result.incremental_nochange,
            result.serve,
            result.serve_live,
            result.serve_headline,
            result.serve_names,
            result.serve_new,
            result.serve_newest,
            result.serve_date,
            result.floor,
        ):
            rows.append(row(result.fmt, series))
    for tool, series in peers:
        rows.append(row(tool.corpus_format, series))
    rows.append("")
    rows.append("| format | ours / I/O floor | " + "".join(f"ours / {t.name} | " for t, _ in peers))
    rows[-1] += "edit rebuild / cold | no-change rebuild (2nd+) / cold |"
    rows.append("| --- | ---: | " + "---: | " * len(peers) + "---: | ---: |")
    for result in results:
        cold = result.cold.median()

        def over(series: Series, cold: float | None = cold) -> str:
            median = series.median()
            return "n/a" if cold is None or median is None else f"{median / cold:.2f}"

        peer_cells = "".join(f"{fmt(paired_ratio(result.cold, s))} | " for _, s in peers)
        rows.append(
            f"| {result.fmt} | {fmt(paired_ratio(result.cold, result.floor), 1)} | {peer_cells}"
            f"{over(result.edit)} | {over(result.nochange_later)} |"
        )
    rows.append("")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    global TOOLS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000], help="corpus sizes")
    parser.add_argument(
        "--peers", action="store_true", help="also time Hugo (twice: see find_hugo) and Pelican"
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--format", choices=("seed", "md", "both"), default="seed")
    parser.add_argument("--seed", type=int, default=1, help="corpus random seed")
    parser.add_argument(
        "--people", type=int, default=0, help="a long tail of people (make_corpus.py --people)"
    )
    parser.add_argument("--tmp", type=Path, help="where to make the work folder (default: $TMPDIR)")
    parser.add_argument("--tools", type=Path, default=DEFAULT_TOOLS, help="Pelican venv, caches")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    if args.repeat < 1 or any(n < 1 for n in args.n):
        parser.error("--repeat and --n must be at least 1")
    TOOLS = args.tools
    TOOLS.mkdir(parents=True, exist_ok=True)
    formats = ["seed", "md"] if args.format == "both" else [args.format]

    peers: list[Tool] = []
    if args.peers:
        pelican = find_pelican(install=True)
        peers = [*find_hugo(), *([pelican] if pelican else [])]
    incremental = incremental_flag()
    work = Path(tempfile.mkdtemp(prefix="tijdlijn-bench-", dir=args.tmp))
    note(f"work folder: {work}")

    print("## Tijdlijn build benchmark")
    print()
    for line in machine_lines(peers, args.peers):
        print(line)
    print(
        f"- work folder on {filesystem_of(work)}; corpus: bench/make_corpus.py --seed {args.seed}"
        + (f" --people {args.people}" if args.people else "")
        + f"; {args.repeat} run(s) per measurement, median; started "
        f"{time.strftime('%Y-%m-%d %H:%M')}"
    )
    print(
        "- before each cold build and I/O floor run: "
        + (
            "`sync`, page cache dropped"
            if settle()
            else "`sync` only (the page cache could not be dropped: not root?), so the "
            "file system's times may drift from run to run"
        )
    )
    print()
    try:
        # Warm-up, untimed: the seeds once, so that bytecode is compiled and cached.
        measure(tijdlijn_command()(REPO / "seeds", work / "warmup" / "site"), cwd=REPO)
        shutil.rmtree(work / "warmup", ignore_errors=True)
        if args.peers:
            for line in check_peers(peers, work / "check", args.seed):
                print(line)
            print()
        for n in args.n:
            results, peer_series = bench_n(
                n, formats, peers, args.repeat, work / f"n{n}", args.seed, incremental, args.people
            )
            print("\n".join(table(n, results, peer_series)), flush=True)
            if not args.keep:
                shutil.rmtree(work / f"n{n}", ignore_errors=True)
    finally:
        if args.keep:
            note(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"Load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    # Linux carries a process's peak RSS over into the children it starts (through fork
    # and exec): no peak above can be lower than this one.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"The runner's own peak RSS: {own:.0f} MiB (the floor of every peak RSS above)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
