"""``tsg summary RUN_DIR``: the key figures of a run folder as aligned text."""

from __future__ import annotations

import argparse
from pathlib import Path

from tsg.common.terminal import printable
from tsg.report.i18n import LANGUAGES
from tsg.report.summary_text import summary_text


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``tsg summary``."""
    parser = subparsers.add_parser(
        "summary",
        help="print the key figures of a run folder",
        description="Print the key figures of a run folder: annual heat and cooling demand, "
        "directly exchangeable energy, demand overlap, and whatever later stages wrote "
        "(simulation, sizing, allocation, scaling).",
    )
    parser.add_argument("run_dir", metavar="RUN_DIR", type=Path, help="folder written by tsg run")
    parser.add_argument(
        "--lang",
        choices=tuple(LANGUAGES),
        default=None,
        help="language of the summary (default: the district's report_language, else en)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the key figures."""
    print(printable(summary_text(args.run_dir, lang=getattr(args, "lang", None))))
    return 0
