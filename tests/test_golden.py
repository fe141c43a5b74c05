"""The seeds site, byte for byte, against the reviewed copy in tests/golden/seeds/.

After a deliberate change to the output, update the copy and review the diff:

    UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
    git diff tests/golden/
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from .conftest import REPO, SEEDS
from .sitefiles import snapshot

GOLDEN = REPO / "tests" / "golden" / "seeds"


@pytest.fixture
def seeds_build(cli, tmp_path: Path) -> Path:
    result = cli("build", "--source", SEEDS, "--out", "site")
    assert result.code == 0, result.err
    return tmp_path / "site"


def test_seeds_site_matches_the_golden_copy(seeds_build: Path):
    built = snapshot(seeds_build)
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, data in built.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(data)
        pytest.skip("golden copy updated: review `git diff tests/golden/`")
    expected = snapshot(GOLDEN)
    assert sorted(built) == sorted(expected), "the set of files changed"
    for name in sorted(built):
        if built[name] != expected[name]:
            diff = difflib.unified_diff(
                expected[name].decode().splitlines(),
                built[name].decode().splitlines(),
                f"golden/{name}",
                f"built/{name}",
                lineterm="",
            )
            pytest.fail(
                f"{name} differs from the golden copy (UPDATE_GOLDEN=1 to accept):\n"
                + "\n".join(list(diff)[:60])
            )
