"""``tsg run [DISTRICT] [--out DIR]``: the whole pipeline on a district."""

from __future__ import annotations

import argparse
from pathlib import Path

from tsg.district import load_district, resolve_district_argument
from tsg.pipeline import run_pipeline
from tsg.progress import Progress
from tsg.report import write_report


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``tsg run``."""
    parser = subparsers.add_parser(
        "run",
        help="run the whole pipeline (default: the built-in Hart van Zuid example)",
        description="Run every available stage on a district: hourly demand profiles, the "
        "annual network simulation of the existing buildings, and the HTML report. Sizing and "
        "cost allocation from a district plug in as they are built.",
    )
    parser.add_argument(
        "district",
        nargs="?",
        metavar="DISTRICT",
        help="district YAML file, a folder with district.yaml, or a built-in district name "
        "(default: hart-van-zuid)",
    )
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="output folder (default: results/<district id>)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress messages")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the pipeline and print where the results are."""
    path = resolve_district_argument(args.district)
    out_dir = args.out or Path("results") / load_district(path).id
    result = run_pipeline(
        path,
        out_dir=out_dir,
        progress=Progress(quiet=args.quiet),
        simulate=True,
        command="tsg run",
    )
    report = write_report(out_dir)
    indicators = result.demand.indicators
    print(
        f"{result.district.name}: heat {indicators.heat_mwh_per_yr:,.0f} MWh/yr, cooling "
        f"{indicators.cool_mwh_per_yr:,.0f} MWh/yr, directly exchangeable "
        f"{indicators.exchangeable_mwh_per_yr:,.0f} MWh/yr (overlap "
        f"{indicators.demand_overlap:.2f}); {len(result.files)} files in {out_dir}; "
        f"report: {report}"
    )
    return 0
