"""`serve` in a real browser: an edit reloads the page, a broken article shows the error
page, and the next good save brings the site back."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ..conftest import SEEDS

pytestmark = pytest.mark.slow

ARTICLE = "2018/07/na-hun-ontmoeting-eerder-deze-week-in-helsinki-wil-de/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`python -m generator serve` on a copy of the seeds; stopped when the test ends.
    Its output is in serve.log in the test's folder."""
    source = Path(shutil.copytree(SEEDS, tmp_path / "src"))
    port = free_port()
    command = ["-m", "generator", "serve", "--source", str(source), "--port", str(port)]
    with (tmp_path / "serve.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, *command, "--out", str(tmp_path / "site")],
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}/"
        try:
            for _ in range(100):
                try:
                    with urllib.request.urlopen(url, timeout=1):
                        break
                except OSError:
                    time.sleep(0.1)
            yield url, source
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_edit_reloads_broken_file_shows_error_fix_recovers(page: Page, served):
    url, source = served
    page.goto(url + ARTICLE)
    expect(page.locator("h2", has_text="Groot succes")).to_be_visible()

    article = source / "002_f80c548452cfc866.txt"
    article.write_text(article.read_text().replace("Groot succes", "Heel groot succes"))
    expect(page.locator("h2", has_text="Heel groot succes")).to_be_visible(timeout=15_000)

    (source / "kapot.txt").write_text("geen datum")
    error = page.locator("#tijdlijn-build-error")
    expect(error).to_contain_text("kapot.txt:1: no date", timeout=15_000)

    (source / "kapot.txt").write_text("date 2018-07 Nu wel met een datum.")
    expect(page.locator("h2", has_text="Heel groot succes")).to_be_visible(timeout=15_000)
    expect(error).to_have_count(0)


def test_serves_only_the_built_site(served):
    url, _ = served
    for path in (".tijdlijn-manifest.json", "../src/site.toml", "%2e%2e/src/site.toml"):
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(url + path, timeout=5).close()
        caught.value.close()
        assert caught.value.code in (403, 404), path
