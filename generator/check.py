"""`check`: every problem a build would meet, and a few an editor wants to hear of,
without writing a site.  Errors make `check` exit 1: fit for pre-commit and CI."""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from .config import Config, line_of
from .errors import Problem, Severity, display_path
from .load import LoadedDocument, load_documents
from .model import Site, build_site
from .render import Renderer, default_theme

NEAR_DUPLICATE = 0.8  # share of word 5-grams two texts have in common
SHINGLE = 5
SKETCH = 16  # smallest shingle hashes kept per article to find candidate pairs


def check(config: Config, theme: Path | None = None) -> tuple[Site, list[Problem]]:
    documents, problems = load_documents(config.source)
    site, model_problems = build_site(documents, config)
    problems += model_problems
    problems += duplicate_articles(documents)
    problems += lonely_events(site)
    problems += unused_event_names(site, config)
    problems += broken_links(Renderer(site, theme or default_theme()).files())
    return site, sorted(problems)


def _words(document: LoadedDocument) -> list[str]:
    text = " ".join(block.text for block in document.document.blocks)
    return re.findall(r"\w+", text.casefold())


def duplicate_articles(documents: Sequence[LoadedDocument]) -> list[Problem]:
    """The same text twice is an error; mostly the same text (a re-published or lightly
    edited copy) is a warning."""
    problems: list[Problem] = []
    first_with: dict[str, LoadedDocument] = {}
    shingles: dict[str, set[int]] = {}
    by_sketch: dict[int, list[str]] = defaultdict(list)
    ordered = sorted(documents, key=lambda d: d.path)
    for loaded in ordered:
        words = _words(loaded)
        digest = hashlib.sha256(" ".join(words).encode()).hexdigest()
        if digest in first_with:
            problems.append(
                Problem(loaded.path, 1, f"same text as {first_with[digest].path}; remove one")
            )
            continue
        first_with[digest] = loaded
        # crc32, not hash(): the same sketch in every run, whatever PYTHONHASHSEED says
        grams = {
            zlib.crc32(" ".join(words[i : i + SHINGLE]).encode())
            for i in range(max(1, len(words) - SHINGLE + 1))
        }
        shingles[loaded.path] = grams
        for value in sorted(grams)[:SKETCH]:
            by_sketch[value].append(loaded.path)
    seen: set[tuple[str, str]] = set()
    for paths in by_sketch.values():
        for i, first in enumerate(paths):
            for second in paths[i + 1 :]:
                if (first, second) in seen:
                    continue
                seen.add((first, second))
                a, b = shingles[first], shingles[second]
                overlap = len(a & b) / len(a | b)
                if overlap >= NEAR_DUPLICATE:
                    problems.append(
                        Problem(
                            second,
                            1,
                            f"{overlap:.0%} the same text as {first}: a duplicate?",
                            Severity.WARNING,
                        )
                    )
    return problems


def lonely_events(site: Site) -> list[Problem]:
    return [
        Problem(
            event.articles[0].source_path,
            1,
            f"event {event.key} ({event.name}) has only this article",
            Severity.WARNING,
        )
        for event in site.events
        if len(event.articles) == 1
    ]


def unused_event_names(site: Site, config: Config) -> list[Problem]:
    if config.config_path is None or not config.event_names:
        return []
    text = config.config_path.read_text(encoding="utf-8-sig")
    months = {event.key for event in site.events}
    return [
        Problem(
            display_path(config.config_path),
            line_of(text, key),
            f"event name for {key} matches no article's month",
            Severity.WARNING,
        )
        for key in config.event_names
        if key not in months
    ]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[int, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src") and value:
                self.links.append((self.getpos()[0], value))


def broken_links(files: Iterable[tuple[str, bytes]]) -> list[Problem]:
    """Links between pages of the site that lead nowhere (a missing page or `#id`)."""
    links: dict[str, list[tuple[int, str]]] = {}
    ids: dict[str, set[str]] = {}
    for path, data in files:
        if not path.endswith(".html"):
            ids.setdefault(path, set())
            continue
        parser = _Links()
        parser.feed(data.decode("utf-8"))
        links[path], ids[path] = parser.links, parser.ids
    problems: list[Problem] = []
    for page, found in sorted(links.items()):
        if page == "404.html":
            continue  # links from the site root, wherever the host shows it
        for line, link in found:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # outside the site
            target = _resolve(page, unquote(parts.path)) if parts.path else page
            if target not in ids:
                problems.append(Problem(f"site/{page}", line, f"link to {link!r} goes nowhere"))
            elif parts.fragment and parts.fragment not in ids[target]:
                problems.append(
                    Problem(f"site/{page}", line, f"link to {link!r}: no #{parts.fragment} there")
                )
    return problems


def _resolve(page: str, link: str) -> str:
    parts: list[str] = []
    for part in (PurePosixPath(page).parent / link).parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    target = "/".join(parts)
    if link.endswith("/") or not target or link in (".", ".."):
        target = f"{target}/index.html" if target else "index.html"
    return target
