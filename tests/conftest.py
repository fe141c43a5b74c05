"""Shared fixtures: file trees from dicts, the seeds, and running the CLI in-process."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.build import build
from generator.cli import main
from generator.config import load_config

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
BASE_URL = "https://example.org/tijdlijn/"


def make_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Create files under `root` from {relative path: text or bytes}."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A private copy of the seeds folder."""
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Callable[..., CliResult]:
    """Run `python -m generator ARGS` in-process, in tmp_path; returns code and output."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)

    def run(*args: str) -> CliResult:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit_:  # argparse usage errors
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def published_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds built once with `--base-url https://example.org/tijdlijn/` (read only)."""
    out = tmp_path_factory.mktemp("published") / "site"
    report = build(load_config(SEEDS, out=out, base_url=BASE_URL))
    assert report.written is not None and not report.problems
    return out
