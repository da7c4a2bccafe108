"""``tsg run [DISTRICT] [--out DIR]``: the whole pipeline on a district."""

from __future__ import annotations

import argparse
from pathlib import Path

from tsg import run_layout as layout
from tsg.commands.executor_options import add_executor_arguments, executor_settings
from tsg.common.errors import InputError
from tsg.district import resolve_district_argument
from tsg.pipeline import OPTIONAL_STAGES, run_context
from tsg.progress import Progress
from tsg.stages import RunContext, RunSettings
from tsg.stages.sizing import DESIGN_ROUNDS


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``tsg run``."""
    parser = subparsers.add_parser(
        "run",
        help="run the whole pipeline (default: the built-in Hart van Zuid example)",
        description="Run every stage on a district: hourly demand profiles, the annual network "
        "simulation of the existing buildings, the optimised design (who connects, pipe "
        "sizes, plants, costs) verified by simulation, the cost allocation among the "
        "partners, and the HTML report.",
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
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=OPTIONAL_STAGES,
        help="leave out a stage (repeatable; verification goes with sizing); sizing takes "
        "several minutes (its loop of solves and annual simulations), allocation (every "
        "coalition of partners through the optimiser) several minutes, scaling (the district "
        "file's scaling scenarios) a few minutes",
    )
    parser.add_argument(
        "--quiet", action="store_true", help="no progress messages (nor progress lines)"
    )
    parser.add_argument(
        "--design-rounds",
        type=int,
        metavar="N",
        default=None,
        help=f"most solves of the design with its annual simulation in the loop (default "
        f"{DESIGN_ROUNDS}); fewer for a quick look: a design whose checks still fail is then "
        "marked not buildable as is",
    )
    add_executor_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the pipeline and print where the results are."""
    path = resolve_district_argument(args.district)
    if args.design_rounds is not None and args.design_rounds < 1:
        raise InputError(
            f"--design-rounds must be at least 1, got {args.design_rounds}",
            field="--design-rounds",
        )
    settings = RunSettings(**executor_settings(args), design_rounds=args.design_rounds)
    ctx = RunContext.load(path, progress=Progress(quiet=args.quiet), settings=settings)
    out_dir = args.out or Path("results") / ctx.district.id
    result = run_context(
        ctx, out_dir=out_dir, stages=frozenset(OPTIONAL_STAGES) - set(args.skip), command="tsg run"
    )
    indicators = result.demand.indicators
    print(
        f"{result.district.name}: heat {indicators.heat_mwh_per_yr:,.0f} MWh/yr, cooling "
        f"{indicators.cool_mwh_per_yr:,.0f} MWh/yr, directly exchangeable "
        f"{indicators.exchangeable_mwh_per_yr:,.0f} MWh/yr (overlap "
        f"{indicators.demand_overlap:.2f})"
    )
    if result.sizing is not None:
        design = result.sizing.result
        connected = sum(b.connected for b in design.buildings)
        print(
            f"design: {connected} of {len(design.buildings)} buildings connect; "
            f"{design.design.cost_eur_per_yr:,.0f} EUR/yr against "
            f"{design.reference.cost_eur_per_yr:,.0f} EUR/yr on their own supply"
            if design.reference is not None
            else f"design: {connected} of {len(design.buildings)} buildings connect"
        )
    if result.allocation is not None:
        core = result.allocation.verdicts.core
        nonempty = {"holds": "non-empty", "fails": "empty"}.get(
            core.nonempty, "non-empty or empty (undecided within solver tolerance)"
        )
        print(
            f"allocation: {len(result.allocation.players)} partners, core {nonempty} "
            f"(least-core epsilon {core.epsilon_low_eur_per_yr:,.0f} .. "
            f"{core.epsilon_high_eur_per_yr:,.0f} EUR/yr); see {out_dir / 'allocation'}"
        )
    report = layout.REPORT.under(out_dir)
    where = f"; report: {report}" if report in result.files else ""
    print(f"{len(result.files)} files in {out_dir}{where}")
    return 0
