"""What a build reports: counts, problems, and the one-line summary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, display_path
from .write import WriteReport


@dataclass(frozen=True)
class BuildReport:
    articles: int
    events: int
    skipped: int
    problems: tuple[Problem, ...]
    written: WriteReport | None  # None: nothing was written (strict mode found problems)
    rendered: int  # pages rendered (an incremental build skips unchanged ones)
    out: Path
    seconds: float
    patched: bool = False  # `serve`: an edit to a text made live in the site it kept

    def summary(self) -> str:
        if self.written is None:
            return (
                f"Not built: {_count(len(self.problems), 'problem')} and --strict; "
                f"{display_path(self.out)}/ was left as it was"
            )
        changes = (
            "no files changed, nothing written"
            if self.written.unchanged
            else f"{_count(self.written.changed + self.written.removed, 'file')} changed"
        )
        return (
            f"Built {_count(self.articles, 'article')} in {_count(self.events, 'event')} "
            f"({self.skipped} skipped) -> {display_path(self.out)}/ in {self.seconds:.2f} s "
            f"({_count(self.rendered, 'page')} rendered, {changes})"
        )


def _count(number: int, noun: str) -> str:
    """`1 article`, `2 articles`: the summary's nouns all take an `s`."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
