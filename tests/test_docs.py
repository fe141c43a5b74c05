"""The README is the user's manual: it must name every command and flag, and its
quick-start commands must be the ones CI and Netlify run."""

from __future__ import annotations

import argparse
import re

from generator.cli import make_parser
from generator.dates import PartialDate
from generator.sheet import parse_sheet

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = make_parser()
    for action in parser._actions:  # argparse offers no public way to list subcommands
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("no subcommands")


def test_every_command_and_flag_is_documented():
    for name, parser in subcommands().items():
        assert f"python -m generator {name}" in README, f"command {name!r} not in README"
        for action in parser._actions:
            for flag in action.option_strings:
                if flag not in ("-h", "--help"):
                    assert re.search(rf"`{re.escape(flag)}\b", README), (
                        f"{name} {flag} not in README"
                    )


def test_the_two_quick_start_commands_are_what_ci_and_netlify_run():
    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.DOTALL)
    install_and_build, test = blocks[0], blocks[1]
    assert install_and_build == "python -m pip install -e . && python -m generator build"
    assert test == "bash scripts/test.sh"
    assert "bash scripts/test.sh" in (REPO / ".ci" / "run").read_text()
    # Netlify runs the first one too (with the site's address): see test_deploy.py.
    workflow = (REPO / ".github/workflows/ci.yml").read_text(encoding="utf-8")
    assert "run: bash scripts/test.sh" in workflow


def test_the_csv_example_reads_as_two_articles():
    example = re.search(r"```text\n(Year,.*?)\n```", README, re.DOTALL)
    assert example, "no CSV example in the README"
    sheet = parse_sheet(example.group(1))
    assert sheet.errors == () and sheet.warnings == ()
    assert [(doc.date, doc.title, doc.event) for _, doc in sheet.rows] == [
        (PartialDate(2017, 5, 16), "Trump deelt staatsgeheimen", "Staatsgeheimen"),
        (PartialDate(2018), "Alleen het jaar is bekend", ""),
    ]
