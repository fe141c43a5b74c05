"""Helpers for tests that look at a built site as files."""

from __future__ import annotations

from pathlib import Path

from generator.write import MANIFEST


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a built site, {relative path: bytes}, without the generator's manifest."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


def html_pages(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html"))
