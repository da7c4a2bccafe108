"""``tsg import esdl FILE.esdl --out DIR``: an ESDL energy system as ``DIR/district.yaml``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from tsg.common.terminal import printable
from tsg.district import load_district
from tsg.outputs import write_text

#: Name of the district file the import writes into ``--out``.
DISTRICT_FILE = "district.yaml"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``tsg import``."""
    parser = subparsers.add_parser(
        "import",
        help="turn an exchange file (ESDL) into a district file",
        description="Read an ESDL energy system (buildings and consumers with heating and "
        "cooling demand, ATES and other sources, pipes) and write DIR/district.yaml, checked "
        "like tsg validate. Assets the toolkit cannot use are listed in one warning. Needs "
        "the optional package pyesdl: pip install 'thermal-smart-grid[esdl]'.",
    )
    parser.add_argument("format", choices=["esdl"], help="exchange format")
    parser.add_argument("file", metavar="FILE", type=Path, help="the ESDL file")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Import, check with the district loader, warn about what was left out."""
    from tsg.exchange.esdl_import import esdl_district_document

    document, notes = esdl_district_document(args.file)
    header = (
        f"# District imported from ESDL {args.file.name} by tsg import esdl.\n"
        "# Check the archetypes, partners and loop temperatures before use; "
        "`tsg validate` checks this file.\n"
    )
    text = header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    path = write_text(args.out / DISTRICT_FILE, text)
    district = load_district(path)
    for note in notes:
        print(f"tsg import: warning: {printable(note)}", file=sys.stderr)
    print(
        f"{path}: {len(district.buildings)} buildings, {len(district.sources)} sources, "
        f"{len(district.network.route.edges or [])} route edges"
    )
    return 0
