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
                f"Not built: {len(self.problems)} problem(s) and --strict; "
                f"{display_path(self.out)}/ was left as it was"
            )
        changes = (
            "no files changed, nothing written"
            if self.written.unchanged
            else f"{self.written.changed + self.written.removed} files changed"
        )
        return (
            f"Built {self.articles} articles in {self.events} events ({self.skipped} skipped) "
            f"-> {display_path(self.out)}/ in {self.seconds:.2f} s "
            f"({self.rendered} pages rendered, {changes})"
        )
