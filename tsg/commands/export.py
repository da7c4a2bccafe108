"""``tsg export esdl RUN_DIR --out FILE.esdl``: a sized run folder as an ESDL energy system."""

from __future__ import annotations

import argparse
from pathlib import Path

from tsg.common import InputError


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``tsg export``."""
    parser = subparsers.add_parser(
        "export",
        help="write a sized run folder in an exchange format (ESDL)",
        description="Write the district and the sized design of a run folder as one ESDL "
        "EnergySystem (buildings with heating and cooling demand, heat pumps, network "
        "cooling, sources, joints, pipes with DN and geometry, costs, KPIs). Needs the "
        "optional package pyesdl: pip install 'thermal-smart-grid[esdl]'.",
    )
    parser.add_argument("format", choices=["esdl"], help="exchange format")
    parser.add_argument("run_dir", metavar="RUN_DIR", type=Path, help="folder written by tsg run")
    parser.add_argument("--out", required=True, type=Path, metavar="FILE", help="file to write")
    parser.add_argument(
        "--hourly",
        action="store_true",
        help="add the hourly demand profiles (8,760 values per demand; large files)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Export and say where."""
    from tsg.exchange.esdl_export import export_esdl

    if not args.run_dir.is_dir():
        raise InputError(
            "not a folder (expected a run folder written by tsg run)", file=args.run_dir
        )
    path = export_esdl(args.run_dir, args.out, hourly=args.hourly)
    print(f"ESDL energy system written: {path}")
    return 0
