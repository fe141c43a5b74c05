"""The shortcut of `build --incremental`: nothing changed, so nothing to do.

When no article file, setting, theme file or file of the generator itself has changed
since the last incremental build, and every file that build wrote is still as it
was written, the site is already what a build would make.  That is checked with
stat() calls and a few small files only: nothing is parsed or rendered, and the
modules that parse and render are not even imported, so a no-change build of a
large archive takes about as long as listing its folder.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

from .config import Config
from .errors import Problem, Severity
from .sources import SourceStats
from .write import CACHE_FOLDER, MANIFEST, file_stat, read_tree, recover_needed

_FORMAT = 2  # 2: each source's size and time as one int


@cache
def code_version() -> str:
    """The generator's own source: what it parsed and rendered depends on it."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def theme_version(theme: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in theme.rglob("*") if p.is_file()):
        digest.update(path.relative_to(theme).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def settings_version(config: Config) -> str:
    """The settings that shape pages (not where they come from or go to)."""
    ignored = {"source", "out", "strict", "config_path"}
    values = [(f.name, getattr(config, f.name)) for f in fields(config) if f.name not in ignored]
    return hashlib.sha256(repr(values).encode()).hexdigest()


def build_key(config: Config, theme: Path, stamp: str | None) -> str:
    """Everything besides the articles that a page is made from."""
    parts = f"{code_version()} {theme_version(theme)} {settings_version(config)} {stamp}"
    return hashlib.sha256(parts.encode()).hexdigest()


@dataclass
class LastBuild:
    """What the last incremental build read, and what it reported."""

    key: str
    sources: SourceStats
    articles: int
    events: int
    skipped: int
    files: int
    problems: list[Problem]


def last_build_file(out: Path) -> Path:
    return out.parent / CACHE_FOLDER / f"{out.name}.last.json"


def save_last_build(out: Path, last: LastBuild) -> None:
    data = {
        "format": _FORMAT,
        **{f.name: getattr(last, f.name) for f in fields(last) if f.name != "problems"},
        "problems": [[p.path, p.line, p.message, p.severity.value] for p in last.problems],
    }
    path = last_build_file(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.tmp")
    temporary.write_text(json.dumps(data), encoding="utf-8")
    temporary.replace(path)


def forget_last_build(out: Path) -> None:
    last_build_file(out).unlink(missing_ok=True)


def load_last_build(out: Path) -> LastBuild | None:
    try:
        data = json.loads(last_build_file(out).read_text(encoding="utf-8"))
        if data.pop("format") != _FORMAT:
            return None
        problems = [Problem(p, n, m, Severity(s)) for p, n, m, s in data.pop("problems")]
        return LastBuild(**data, problems=problems)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def current_last_build(config: Config, theme: Path, stamp: str | None) -> LastBuild | None:
    """The last incremental build into `config.out`, if it was made by this code, theme
    and settings (and found no problems, when `--strict` refuses them); else None."""
    last = load_last_build(config.out)
    if last is None or (config.strict and last.problems):
        return None
    return last if last.key == build_key(config, theme, stamp) else None


def unchanged_since(config: Config, last: LastBuild, sources: SourceStats) -> bool:
    """Whether building again after `last` (see `current_last_build`) would change
    nothing, the source files being as `sources` says now."""
    return last.sources == sources and _output_as_written(config.out, last.files)


def _output_as_written(out: Path, files: int) -> bool:
    """Whether every file of the site in `out` has the size and time it had when written
    (a build stopped half-way, or a file edited by hand, needs a real build)."""
    if recover_needed(out):
        return False
    tree = read_tree(out)
    if tree is None or len(tree.files) != files or set(tree.stats) != set(tree.files):
        return False
    root = str(out)
    for path, recorded in tree.stats.items():
        try:
            stat = os.stat(os.path.join(root, path))
        except OSError:
            return False
        if recorded != file_stat(stat.st_size, stat.st_mtime_ns):
            return False
    return os.path.isfile(os.path.join(root, MANIFEST))
