"""Command line: `python -m generator build|new|check [...]`.

Exit codes: 0 done (content problems are reported, and skipped by `build`),
1 a problem stopped the command (or any problem with --strict, or an error
found by `check`), 2 wrong usage.  A user's mistake never shows a traceback;
a bug still does.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import __version__
from .config import Config, build_date, default_theme, load_config, normalise_base_url
from .errors import GeneratorError, Severity, display_path
from .report import BuildReport
from .sources import source_stats
from .unchanged import LastBuild, current_last_build, save_last_build, unchanged_since
from .write import WriteReport

# The modules that parse and render (and tqdm) are imported by the commands that use
# them: `build --incremental` with nothing changed must not wait for them to load.


def _base_url(value: str) -> str:
    try:
        return normalise_base_url(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _add_source(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source", type=Path, default=Path("seeds"), help="folder of articles (default: seeds)"
    )


def _add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", type=Path, help="settings file (default: site.toml in the source folder)"
    )


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Tijdlijn: build a static timeline website from a folder of dated articles.",
    )
    parser.add_argument("--version", action="version", version=f"tijdlijn {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build_parser = commands.add_parser("build", help="build the site")
    _add_source(build_parser)
    build_parser.add_argument(
        "--out", type=Path, default=Path("site"), help="output folder (default: site)"
    )
    _add_config(build_parser)
    build_parser.add_argument(
        "--strict", action="store_true", help="any problem fails the build, and nothing is written"
    )
    build_parser.add_argument(
        "--base-url",
        type=_base_url,
        help="public address of the site, for canonical links, feeds and the sitemap",
    )
    build_parser.add_argument(
        "--quiet", action="store_true", help="no progress bar and no summary; problems only"
    )
    build_parser.add_argument(
        "--incremental",
        action="store_true",
        help="reuse what the last --incremental build parsed and rendered (.tijdlijn-cache/)",
    )
    build_parser.set_defaults(run=run_build)

    new_parser = commands.add_parser("new", help="start a new Markdown article")
    new_parser.add_argument("headline", help="the article's headline, in quotes")
    new_parser.add_argument("--date", help="its date, e.g. 2018-07-16 (default: today)")
    _add_source(new_parser)
    new_parser.set_defaults(run=run_new)

    check_parser = commands.add_parser(
        "check", help="check the articles and settings without building"
    )
    _add_source(check_parser)
    _add_config(check_parser)
    check_parser.set_defaults(run=run_check)

    serve_parser = commands.add_parser(
        "serve", help="build, serve and rebuild on every change, reloading the browser"
    )
    _add_source(serve_parser)
    serve_parser.add_argument(
        "--out", type=Path, default=Path("site"), help="output folder (default: site)"
    )
    _add_config(serve_parser)
    serve_parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve_parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    serve_parser.set_defaults(run=run_serve)
    return parser


def run_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    config = load_config(
        args.source, args.config, out=args.out, strict=args.strict, base_url=args.base_url
    )
    theme = default_theme()
    if args.incremental:
        done = _without_building(args, config, theme, started)
        if done is not None:
            return done
    from .build import build
    from .incremental import load_state, save_state

    state = load_state(config.out) if args.incremental else None
    with _ProgressBars(quiet=args.quiet) as progress:
        report = build(config, theme, state=state, progress=progress)
    if state is not None and report.written is not None:
        saved = save_state(config.out, state)
        last = LastBuild(
            state.key,
            saved,
            report.articles,
            report.events,
            report.skipped,
            report.written.files,
            list(report.problems),
        )
        save_last_build(config.out, last)
    # the time the command took, with the cache read and saved (at 100,000 articles
    # 2.5 s and 1 s that the build's own time leaves out)
    report = replace(report, seconds=time.perf_counter() - started)
    return _report(args, report)


class _ProgressBars:
    """A progress bar for each stage of a build (an incremental one checks every page,
    then builds), named for it; each shown only after a second, on a terminal, and not
    with --quiet."""

    def __init__(self, quiet: bool) -> None:
        from tqdm import tqdm

        tqdm.monitor_interval = 0  # no monitor thread: the build forks worker processes
        self.tqdm = tqdm
        self.disable = quiet or not sys.stderr.isatty()
        self.stage = ""
        self.bar: Any = None

    def __call__(self, done: int, total: int, stage: str) -> None:
        if stage != self.stage or self.bar is None:
            self.close()
            self.stage = stage
            self.bar = self.tqdm(
                total=total,
                desc=stage,
                delay=1.0,
                disable=self.disable,
                file=sys.stderr,
                unit=" pages",
                leave=False,
            )
        self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> _ProgressBars:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _without_building(
    args: argparse.Namespace, config: Config, theme: Path, started: float
) -> int | None:
    """`build --incremental` when nothing changed, or only texts: the exit code; None if
    the site must be built.  (A function of its own: what it read, two tables of every
    source's size and time, is let go before the build.)"""
    last = current_last_build(config, theme, build_date())
    if last is None:
        return None
    sources = source_stats(config.source)
    if unchanged_since(config, last, sources):
        return _report(args, _unchanged_report(last, config.out, started))
    from .textedit import patch_texts

    patched = patch_texts(config, last, sources, started)
    if patched is None:
        return None
    report, now = patched
    save_last_build(config.out, now)
    return _report(args, report)


def _unchanged_report(last: LastBuild, out: Path, started: float) -> BuildReport:
    """What the last build reported (its problems too), with nothing rendered or written."""
    return BuildReport(
        articles=last.articles,
        events=last.events,
        skipped=last.skipped,
        problems=tuple(last.problems),
        written=WriteReport(files=last.files, changed=0, removed=0, written=0),
        rendered=0,
        out=out,
        seconds=time.perf_counter() - started,
    )


def _report(args: argparse.Namespace, report: BuildReport) -> int:
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if not args.quiet:
        print(report.summary())
    return 1 if report.written is None or (args.strict and report.problems) else 0


def run_new(args: argparse.Namespace) -> int:
    from .new import new_article

    config = load_config(args.source)
    print(new_article(args.headline, args.source, args.date, config.language))
    return 0


def run_check(args: argparse.Namespace) -> int:
    from .check import check

    config = load_config(args.source, args.config)
    site, problems = check(config)
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    print(f"Checked {len(site.articles)} articles that build: {errors} errors, {warnings} warnings")
    return 1 if errors else 0


def run_serve(args: argparse.Namespace) -> int:
    from .serve import serve  # livereload and tornado load only for this command

    serve(args.source, args.out, args.config, args.host, args.port)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.run
    try:
        return command(args)
    except GeneratorError as error:
        for message in error.messages:
            print(message, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the site was left as it was", file=sys.stderr)
        return 130
    except OSError as error:  # the disk full, a folder not writable: the machine's, not ours
        where = display_path(Path(error.filename)) if error.filename else "tijdlijn"
        print(f"{where}: {error.strerror or error}", file=sys.stderr)
        return 1
