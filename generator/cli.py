"""Command line: `python -m generator build [...]`.

Exit codes: 0 built (content problems are reported and skipped), 1 a problem
stopped the build (or any problem with --strict), 2 wrong usage.  A user's
mistake never shows a traceback; a bug still does.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .build import build
from .config import load_config, normalise_base_url
from .errors import GeneratorError


def _base_url(value: str) -> str:
    try:
        return normalise_base_url(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Tijdlijn: build a static timeline website from a folder of dated articles.",
    )
    parser.add_argument("--version", action="version", version=f"tijdlijn {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build_parser = commands.add_parser("build", help="build the site")
    build_parser.add_argument(
        "--source", type=Path, default=Path("seeds"), help="folder of articles (default: seeds)"
    )
    build_parser.add_argument(
        "--out", type=Path, default=Path("site"), help="output folder (default: site)"
    )
    build_parser.add_argument(
        "--config", type=Path, help="settings file (default: site.toml in the source folder)"
    )
    build_parser.add_argument(
        "--strict", action="store_true", help="any problem fails the build, and nothing is written"
    )
    build_parser.add_argument(
        "--base-url",
        type=_base_url,
        help="public address of the site, for canonical links, feeds and the sitemap",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        config = load_config(
            args.source, args.config, out=args.out, strict=args.strict, base_url=args.base_url
        )
        report = build(config)
    except GeneratorError as error:
        for message in error.messages:
            print(message, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the site was left as it was", file=sys.stderr)
        return 130
    for problem in report.problems:
        print(problem, file=sys.stderr)
    print(report.summary())
    return 1 if report.written is None or (args.strict and report.problems) else 0
