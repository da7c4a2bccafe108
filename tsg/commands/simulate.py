"""``tsg simulate FILE --out DIR``: annual thermo-hydraulic simulation of the district network."""

from __future__ import annotations

import argparse
from pathlib import Path

from tsg import run_layout as layout
from tsg.district import resolve_district_argument
from tsg.outputs import manifest, write_json
from tsg.pipeline import input_files
from tsg.progress import Progress
from tsg.stages import RunContext, RunSettings, simulation


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``tsg simulate``."""
    parser = subparsers.add_parser(
        "simulate",
        help="annual hourly simulation of the ambient-loop network (pandapipes model)",
        description="Connect the district's buildings and its ATES (minimum spanning tree, "
        "pipes sized by rule), simulate all hours of the year and write DIR/simulation/: "
        "network.geojson, network.pandapipes.json, hourly_*.parquet, annual_summary.json, "
        "design_checks.csv, plots and manifest.json.",
    )
    parser.add_argument("district", metavar="FILE", help="district YAML file (or built-in name)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    parser.add_argument(
        "--include-candidates",
        action="store_true",
        help="also connect buildings with phase 'candidate' (default: existing only)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress messages")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Simulate and write the outputs."""
    path = resolve_district_argument(args.district)
    settings = RunSettings(include_candidates=args.include_candidates)
    ctx = RunContext.load(path, progress=Progress(quiet=args.quiet), settings=settings)
    district = ctx.district
    result = simulation.compute(ctx)
    files = simulation.write(result, args.out)
    files.append(
        write_json(
            args.out / layout.SIMULATION_SUMMARY.folder / layout.MANIFEST.name,
            manifest(
                inputs=input_files(district, path),
                outputs=files,
                out_dir=args.out / layout.SIMULATION_SUMMARY.folder,
                seed=district.seed,
                command="tsg simulate",
            ),
        )
    )
    s = result.summary
    print(
        f"{district.name}: {s['valid_hours']}/{s['hours']} valid hours, direct exchange "
        f"{100 * s['totals']['direct_exchange_share']:.0f} %, ATES imbalance "
        f"{100 * s['ates_thermal_balance']['imbalance']:.0f} %, pumps "
        f"{s['electricity_mwh']['pumps']:.1f} MWh/yr; {len(files)} files in "
        f"{args.out / 'simulation'}"
    )
    return 0
