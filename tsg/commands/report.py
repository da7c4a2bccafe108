"""``tsg report RUN_DIR``: one self-contained HTML report of a run folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from tsg.common.errors import InputError
from tsg.outputs import add_to_manifest
from tsg.report import REPORT_FILE, write_report
from tsg.report.i18n import LANGUAGES
from tsg.report.pdf import print_pdf
from tsg.run_layout import REPORT_PDF


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``tsg report``."""
    parser = subparsers.add_parser(
        "report",
        help="write RUN_DIR/report.html, one offline HTML file for partners and planners",
        description=f"Write {REPORT_FILE} into a run folder: district summary, demand profiles, "
        "network map, simulation, design and costs, cost allocation, stakeholders, barriers, "
        "accountability and scaling (sections of stages that did not run are omitted with a "
        "note). One file, all scripts and styles inline; it loads nothing from the network.",
    )
    parser.add_argument("run_dir", metavar="RUN_DIR", type=Path, help="folder written by tsg run")
    parser.add_argument(
        "--lang",
        choices=tuple(LANGUAGES),
        default=None,
        help="language of the report (default: the district's report_language, else en)",
    )
    parser.add_argument(
        "--pdf",
        action="store_true",
        help=f"also print the report to {REPORT_PDF.relative} (A4) with headless Chromium; "
        "exit 2 when Chromium is not installed",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the report and print its path and size."""
    try:
        path = write_report(args.run_dir, lang=args.lang)
    except OSError as error:
        raise InputError(
            f"cannot write {REPORT_FILE}: {error.strerror}", file=args.run_dir
        ) from None
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    if getattr(args, "pdf", False):
        pdf = print_pdf(path, REPORT_PDF.under(Path(args.run_dir)))
        add_to_manifest(Path(args.run_dir), [pdf])
        print(f"wrote {pdf} ({pdf.stat().st_size / 1e6:.1f} MB)")
    return 0
