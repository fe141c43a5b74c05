"""Netlify: the build command works from a fresh copy in a clean virtual environment, and
the security headers allow everything the pages need (no inline script or style)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import REPO, SEEDS
from .sitefiles import html_pages
from .test_docs import README

NETLIFY = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))
QUICK_START = re.findall(r"```sh\n(.*?)\n```", README, re.DOTALL)[0]


def header_rules() -> dict[str, dict[str, str]]:
    return {rule["for"]: rule["values"] for rule in NETLIFY["headers"]}


def csp() -> dict[str, list[str]]:
    policy = header_rules()["/*"]["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_every_build_command_is_the_readme_quick_start_with_the_site_address():
    commands = {
        "production": NETLIFY["build"]["command"],
        "deploy-preview": NETLIFY["context"]["deploy-preview"]["command"],
        "branch-deploy": NETLIFY["context"]["branch-deploy"]["command"],
    }
    assert commands == {
        "production": f'{QUICK_START} --base-url "$URL"',
        "deploy-preview": f'{QUICK_START} --base-url "$DEPLOY_PRIME_URL"',
        "branch-deploy": f'{QUICK_START} --base-url "$DEPLOY_PRIME_URL"',
    }
    assert NETLIFY["build"]["publish"] == "site"
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    minimum = pyproject["project"]["requires-python"].removeprefix(">=")
    assert NETLIFY["build"]["environment"]["PYTHON_VERSION"] == minimum


def test_security_and_cache_headers():
    rules = header_rules()
    everything = rules["/*"]
    assert everything["X-Content-Type-Options"] == "nosniff"
    assert everything["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in everything["Permissions-Policy"]
    assert "unsafe-inline" not in everything["Content-Security-Policy"]
    assert "unsafe-eval" not in everything["Content-Security-Policy"]
    assert csp()["script-src"] == ["'self'"] and csp()["style-src"] == ["'self'"]
    # HTML keeps Netlify's short default; only hashed assets are cached for good.
    assert "Cache-Control" not in everything
    assert rules["/assets/*"]["Cache-Control"] == "public, max-age=31536000, immutable"


class _Inline(HTMLParser):
    """Inline scripts and styles, and where scripts and styles come from."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts: list[str] = []  # their types
        self.sources: list[str] = []
        self.inline_styles: list[str] = []
        self._in_script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if "style" in values:
            self.inline_styles.append(f"<{tag} style=...>")
        if any(name.startswith("on") for name in values):
            self.inline_scripts.append(f"<{tag} on...> handler")
        if tag == "style":
            self.inline_styles.append("<style>")
        if tag == "script":
            if values.get("src"):
                self.sources.append(str(values["src"]))
            else:
                self.inline_scripts.append(str(values.get("type") or "text/javascript"))
        if tag == "link" and values.get("rel") == "stylesheet":
            self.sources.append(str(values.get("href")))


@pytest.mark.slow
def test_every_page_works_under_the_content_security_policy(cli, tmp_path: Path):
    assert (
        cli("build", "--source", SEEDS, "--out", "site", "--base-url", "https://x.org/").code == 0
    )
    for page in html_pages(tmp_path / "site"):
        found = _Inline()
        found.feed(page.read_text(encoding="utf-8"))
        where = page.relative_to(tmp_path)
        assert found.inline_styles == [], where
        # JSON-LD is data: browsers do not run it, so script-src does not apply to it.
        assert set(found.inline_scripts) <= {"application/ld+json"}, where
        for source in found.sources:  # 'self': relative, or on the site's own address
            assert "://" not in source or source.startswith("https://x.org/"), where


@pytest.mark.slow
def test_the_netlify_build_command_works_in_a_clean_environment(tmp_path: Path):
    files = (
        subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=REPO,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    fresh = tmp_path / "repo"
    for name in filter(None, files):
        if (REPO / name).is_file():
            (fresh / name).parent.mkdir(parents=True, exist_ok=True)
            (fresh / name).write_bytes((REPO / name).read_bytes())
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    environment = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "URL": "https://tijdlijn.example.org/",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache/pip")),
    }
    completed = subprocess.run(
        ["bash", "-c", NETLIFY["build"]["command"]],
        cwd=fresh,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    assert "Built 5 articles in 3 events (0 skipped)" in completed.stdout
    site = fresh / NETLIFY["build"]["publish"]
    assert (site / "index.html").is_file() and (site / "404.html").is_file()
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert "https://tijdlijn.example.org/2018/07/" in feed
    assert list((site / "assets").glob("style.*.css"))
