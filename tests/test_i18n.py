"""The site's UI strings: every one filled in on every page, in every language."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.config import load_config
from generator.i18n import LANGUAGES, Translator

from .conftest import SEEDS
from .sitefiles import html_pages

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
TAG = re.compile(r"<[^>]*>")  # (search.js fills in the texts in its data- attributes)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_no_page_shows_a_placeholder_left_unfilled(tmp_path: Path, language: str):
    """The text a reader sees, not counting attributes: `{n}` once stood on every site's
    index of names ("in minstens {n} artikelen")."""
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    settings = source / "site.toml"
    settings.write_text(settings.read_text().replace('language = "nl"', f'language = "{language}"'))
    build(load_config(source, out=tmp_path / "site"))
    pages = html_pages(tmp_path / "site")
    assert len(pages) > 20
    left = {p.name: PLACEHOLDER.findall(TAG.sub("", p.read_text("utf-8"))) for p in pages}
    assert {name: found for name, found in left.items() if found} == {}
    names = (tmp_path / "site" / Translator(language)("names_path") / "index.html").read_text()
    assert re.search(r"(minstens|at least) 2 (artikelen|articles)\b", names)


def test_a_count_goes_only_to_a_text_with_a_singular_and_a_plural():
    t = Translator("nl")
    assert t("articles_count", n=1) == "1 artikel"
    assert t("articles_count", n=2) == "2 artikelen"
    with pytest.raises(TypeError, match="needs"):
        t("articles_count")
    with pytest.raises(TypeError, match="takes no"):
        t("names_title", n=2)
