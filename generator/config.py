"""Settings: defaults <- `site.toml` <- command-line flags, checked all at once.

Every problem in a settings file is reported (as `path:line: what is wrong`)
before the build gives up, so an author fixes them in one go.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from .errors import ConfigError, GeneratorError, Problem, display_path
from .i18n import LANGUAGES

CONFIG_NAME = "site.toml"
_MONTH_KEY = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2]))?$")


@dataclass(frozen=True)
class Config:
    source: Path = Path("seeds")
    out: Path = Path("site")
    title: str = "Tijdlijn"
    description: str = ""
    language: str = "nl"
    base_url: str = ""  # absolute, ends with "/"; empty: no canonical URLs
    event_names: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # Names: alias -> canonical name; names never to show; articles a name needs for a page.
    name_aliases: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    name_ignore: frozenset[str] = frozenset()
    name_min_articles: int = 2
    order: str = "oldest"  # the timeline page's default order: "oldest" or "newest" first
    strict: bool = False
    config_path: Path | None = None


_SETTINGS: dict[str, type] = {
    "title": str,
    "description": str,
    "language": str,
    "base_url": str,
    "order": str,
    "events": dict,
    "names": dict,
}
_NAME_SETTINGS = ("aliases", "ignore", "min_articles")


def normalise_base_url(url: str) -> str:
    """An absolute http(s) URL ending in `/`; ValueError otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"base URL {url!r} must start with http:// or https://")
    return url.strip() if url.strip().endswith("/") else url.strip() + "/"


def line_of(text: str, key: str) -> int:
    """The line a key is set on (tomllib does not report positions of values)."""
    pattern = re.compile(rf'^\s*["\']?{re.escape(key)}["\']?\s*=', re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def load_config(
    source: Path,
    config_file: Path | None = None,
    *,
    out: Path | None = None,
    strict: bool = False,
    base_url: str | None = None,
) -> Config:
    """Build the Config for a source folder; raise ConfigError listing every problem."""
    path = config_file if config_file is not None else source / CONFIG_NAME
    problems: list[Problem] = []
    settings: dict[str, Any] = {}
    text = ""
    shown = display_path(path)
    if config_file is not None and not path.is_file():
        raise ConfigError([Problem(shown, 1, "settings file not found")])
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8-sig")
            settings = tomllib.loads(text)
        except UnicodeDecodeError:
            raise ConfigError([Problem(shown, 1, "not UTF-8 text")]) from None
        except tomllib.TOMLDecodeError as error:
            match = re.search(r"line (\d+)", str(error))
            line = int(match.group(1)) if match else 1
            reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
            raise ConfigError([Problem(shown, line, f"not valid TOML: {reason}")]) from None

    def problem(key: str, message: str) -> None:
        problems.append(Problem(shown, line_of(text, key), message))

    for key, value in settings.items():
        expected = _SETTINGS.get(key)
        if expected is None:
            problem(key, f"unknown setting {key!r} (known: {', '.join(_SETTINGS)})")
        elif not isinstance(value, expected):
            kind = "a table" if expected is dict else "text"
            problem(key, f"{key!r} must be {kind}")

    config = Config(source=source, out=out or Path("site"), strict=strict, config_path=path)
    values: dict[str, Any] = {
        k: v for k, v in settings.items() if isinstance(v, str) and _SETTINGS.get(k) is str
    }
    if base_url is not None:
        values["base_url"] = base_url
    language = values.get("language", config.language)
    if language not in LANGUAGES:
        problem(
            "language",
            f"language {language!r} is not supported (use one of: {', '.join(LANGUAGES)})",
        )
        values.pop("language")
    if values.get("base_url"):
        try:
            values["base_url"] = normalise_base_url(values["base_url"])
        except ValueError as error:
            problem("base_url", str(error))
            values.pop("base_url")
    events = settings.get("events", {})
    names: dict[str, str] = {}
    if isinstance(events, dict):
        for key, name in events.items():
            if not _MONTH_KEY.match(key):
                problem(key, f'event key {key!r} is not a month such as "2017-05"')
            elif not isinstance(name, str) or not name.strip():
                problem(key, f"the name of event {key!r} must be non-empty text")
            else:
                names[key] = " ".join(name.split())
    if values.get("order", "oldest") not in ("oldest", "newest"):
        problem("order", f'order {values.pop("order")!r} must be "oldest" or "newest"')
    name_settings = _name_settings(settings.get("names", {}), problem)
    if problems:
        raise ConfigError(sorted(problems, key=lambda p: p.line))
    return replace(config, event_names=MappingProxyType(names), **values, **name_settings)


def _name_settings(table: object, problem: Callable[[str, str], None]) -> dict[str, Any]:
    """`[names]`: `ignore = [...]`, `min_articles = 2`, `[names.aliases]` canonical = [aliases]."""
    if not isinstance(table, dict):
        return {}
    result: dict[str, Any] = {}
    for key in table:
        if key not in _NAME_SETTINGS:
            problem(key, f"unknown setting 'names.{key}' (known: {', '.join(_NAME_SETTINGS)})")
    ignore = table.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(n, str) for n in ignore):
        problem("ignore", "'names.ignore' must be a list of names")
    else:
        result["name_ignore"] = frozenset(" ".join(n.split()) for n in ignore)
    minimum = table.get("min_articles", 2)
    if not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 1:
        problem("min_articles", "'names.min_articles' must be a whole number of at least 1")
    else:
        result["name_min_articles"] = minimum
    aliases: dict[str, str] = {}
    table_aliases = table.get("aliases", {})
    if not isinstance(table_aliases, dict):
        problem("aliases", '\'names.aliases\' must be a table: "Full Name" = ["Alias", ...]')
        table_aliases = {}
    for canonical, others in table_aliases.items():
        if not isinstance(others, list) or not all(isinstance(o, str) for o in others):
            problem(canonical, f"aliases of {canonical!r} must be a list of names")
            continue
        for other in others:
            aliases[" ".join(other.split())] = " ".join(canonical.split())
    result["name_aliases"] = MappingProxyType(aliases)
    return result


PACKAGE_THEME = Path(__file__).parent / "_templates"  # inside an installed wheel
REPO_THEME = Path(__file__).parent.parent / "templates"  # in a checkout


def default_theme() -> Path:
    return PACKAGE_THEME if PACKAGE_THEME.is_dir() else REPO_THEME


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
