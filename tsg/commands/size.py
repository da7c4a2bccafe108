"""``tsg size FILE --out DIR``: optimal grid design, cost tables, map and sensitivity."""

from __future__ import annotations

import argparse
from pathlib import Path

from tsg import run_layout as layout
from tsg.district import resolve_district_argument
from tsg.optimisation.sizing import SizingOptions
from tsg.progress import Progress
from tsg.stages import RunContext, RunSettings, sizing


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``tsg size``."""
    parser = subparsers.add_parser(
        "size",
        help="optimal design: who connects, pipe sizes, plants, costs vs reference",
        description="Solve the sizing optimisation (Pyomo + HiGHS) and write DIR/sizing/: "
        "design.json, costs_by_component.csv, costs_by_building.csv, costs_by_partner.csv, "
        "cost_lines.csv, edges.csv (DN per trench), network_map.png and sensitivity.csv.",
    )
    parser.add_argument("district", metavar="FILE", help="district YAML file (or built-in name)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    periods = parser.add_mutually_exclusive_group()
    periods.add_argument(
        "--typical-periods",
        type=int,
        default=12,
        metavar="N",
        help="number of typical days from tsam (default 12; peak days are added)",
    )
    periods.add_argument(
        "--full-year",
        action="store_true",
        help="model all 8,760 hours (a MILP about 25x larger: hours on 2 cores; "
        "benchmarks/sizing.py compares the typical-day design with the full year instead)",
    )
    parser.add_argument(
        "--no-ates-balance", action="store_true", help="drop the ATES annual thermal balance"
    )
    parser.add_argument(
        "--solver", default="appsi_highs", help="Pyomo solver name (default appsi_highs)"
    )
    parser.add_argument("--time-limit", type=float, default=600.0, metavar="S", help="[s]")
    parser.add_argument("--mip-gap", type=float, default=0.01, metavar="GAP", help="relative")
    parser.add_argument("--no-sensitivity", action="store_true", help="skip the sensitivity")
    parser.add_argument("--quiet", action="store_true", help="no progress messages")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Load the district, compute its demand, size the grid and write the outputs."""
    path = resolve_district_argument(args.district)
    options = SizingOptions(
        n_typical_periods=None if args.full_year else args.typical_periods,
        ates_balance=not args.no_ates_balance,
        solver=args.solver,
        time_limit_s=args.time_limit,
        mip_gap=args.mip_gap,
    )
    settings = RunSettings(sizing_options=options, sensitivity=not args.no_sensitivity)
    ctx = RunContext.load(path, progress=Progress(quiet=args.quiet), settings=settings)
    district = ctx.district
    stage = sizing.compute(ctx)
    files = sizing.write(stage, args.out)
    result = stage.result
    reference = (
        f" vs reference {result.reference.cost_eur_per_yr:,.0f} EUR/yr" if result.reference else ""
    )
    print(
        f"{district.name}: {len(result.connected_buildings)} of {len(result.buildings)} buildings "
        f"connect; {result.design.cost_eur_per_yr:,.0f} EUR/yr{reference}; "
        f"{len(files)} files in {args.out / layout.DESIGN.folder}"
    )
    return 0
