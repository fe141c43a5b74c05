"""Problems in content, configuration and output, reported like a compiler does.

A content problem never stops the build: it becomes a `Problem` line
(`path:line: what is wrong`) and the article it concerns is skipped.  A
`GeneratorError` stops the build; the CLI turns it into messages and an exit
code without a traceback.  Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path


class Severity(Enum):
    WARNING = "warning"  # the article was built, with a repair
    ERROR = "error"  # the article (or setting) was skipped


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    if not path.is_absolute() and ".." not in path.parts:
        return str(path)  # already as typed (and no need to ask the file system)
    # Folders are resolved once (a build shows thousands of files in a few folders); the
    # file's own name is shown as it is.
    cwd = os.getcwd()
    folder = _inside(str(path.parent), cwd)
    if folder is None:  # outside the working directory, unless the path is that directory
        same = path.name == os.path.basename(cwd) and _inside(str(path), cwd) == "."
        return "." if same else str(path)
    return path.name if folder == "." else os.path.join(folder, path.name)


@lru_cache(maxsize=256)
def _inside(path: str, cwd: str) -> str | None:
    """The path relative to `cwd`, resolved; None if it is not inside."""
    try:
        return str(Path(path).resolve().relative_to(Path(cwd).resolve()))
    except ValueError:
        return None


class GeneratorError(Exception):
    """A failure caused by the user's input or environment, not by a bug."""

    def __init__(self, *messages: str) -> None:
        super().__init__("\n".join(messages))
        self.messages = list(messages)


class ConfigError(GeneratorError):
    """One or more problems in settings; all of them are reported at once."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(*(str(p) for p in problems))
        self.problems = problems


class OutputError(GeneratorError):
    """The output folder cannot be written without losing someone's files."""


class ContentError(GeneratorError):
    """Raised by parsers for one bad article; the loader turns it into a Problem."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
