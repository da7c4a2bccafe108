"""``tsg profiles FILE --out DIR``: hourly demand profiles, indicators and plots."""

from __future__ import annotations

import argparse
from pathlib import Path

from tsg.district import resolve_district_argument
from tsg.pipeline import run_pipeline
from tsg.progress import Progress


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``tsg profiles``."""
    parser = subparsers.add_parser(
        "profiles",
        help="hourly heat, hot-water and cooling profiles of every building",
        description="Write profiles.csv / profiles.parquet (one row per hour, columns "
        "<building_id>.<heat_kw|dhw_kw|cool_kw>), summary.csv, indicators.csv, plots/ and "
        "manifest.json.",
    )
    parser.add_argument("district", metavar="FILE", help="district YAML file (or built-in name)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    parser.add_argument("--quiet", action="store_true", help="no progress messages")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Compute and write the profiles."""
    path = resolve_district_argument(args.district)
    result = run_pipeline(
        path,
        out_dir=args.out,
        progress=Progress(quiet=args.quiet),
        stages=frozenset(),
        command="tsg profiles",
    )
    print(f"wrote {len(result.files)} files to {args.out}")
    return 0
