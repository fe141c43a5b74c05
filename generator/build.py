"""The pipeline: load -> model -> render -> write, and the one-line summary."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .config import Config
from .errors import GeneratorError, Problem, display_path
from .load import load_documents
from .model import build_site
from .render import Renderer, default_theme
from .write import WriteReport, check_output, write_site


@dataclass(frozen=True)
class BuildReport:
    articles: int
    events: int
    skipped: int
    problems: tuple[Problem, ...]
    written: WriteReport | None  # None: nothing was written (strict mode found problems)
    out: Path
    seconds: float

    def summary(self) -> str:
        if self.written is None:
            return (
                f"Not built: {len(self.problems)} problem(s) and --strict; "
                f"{display_path(self.out)}/ was left as it was"
            )
        pages = (
            "no files changed"
            if self.written.unchanged
            else f"{self.written.changed} files changed"
        )
        return (
            f"Built {self.articles} articles in {self.events} events ({self.skipped} skipped) "
            f"-> {display_path(self.out)}/ in {self.seconds:.2f} s ({pages})"
        )


def build_date() -> str | None:
    """The date to print on pages: only when SOURCE_DATE_EPOCH asks for one, so that
    the same input always gives the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        return datetime.fromtimestamp(int(epoch), tz=UTC).date().isoformat()
    except (ValueError, OverflowError, OSError):
        raise GeneratorError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None


def build(config: Config, theme: Path | None = None) -> BuildReport:
    started = time.perf_counter()
    if not config.source.is_dir():
        raise GeneratorError(f"{display_path(config.source)}: source folder not found")
    check_output(config.out, config.source)  # refuse early, before any work
    stamp = build_date()

    documents, problems = load_documents(config.source)
    site, model_problems = build_site(documents, config)
    problems = sorted(problems + model_problems)
    # An error skips one article: a whole file, or one row of a spreadsheet.
    skipped = len({(p.path, p.line) for p in problems if p.severity.value == "error"})

    written = None
    if not (config.strict and problems):
        renderer = Renderer(site, theme or default_theme(), build_date=stamp)
        written = write_site(config.out, renderer.files(), config.source)
    return BuildReport(
        articles=len(site.articles),
        events=len(site.events),
        skipped=skipped,
        problems=tuple(problems),
        written=written,
        out=config.out,
        seconds=time.perf_counter() - started,
    )
