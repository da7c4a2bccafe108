"""``tsg scale ...``: scaling analyses (translation, spreading, minimum scale)."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from tsg import run_layout as layout
from tsg.district import load_district, resolve_district_argument
from tsg.optimisation.sizing import SizingOptions
from tsg.progress import Progress
from tsg.scaling.spreading import MAX_EXACT_PARTNERS, STABILITY_CHECKS
from tsg.scaling_districts import CHEAP_OPTIONS
from tsg.scaling_outputs import (
    compute_minimum_scale,
    compute_spreading,
    compute_translation,
    write_minimum_scale_files,
    write_spreading_files,
    write_translation_files,
)


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``tsg scale`` and its subcommands."""
    parser = subparsers.add_parser(
        "scale",
        help="scaling analyses: translation, spreading, minimum scale",
        description="Scaling analyses (Platform31): translation compares the success "
        "conditions and KPIs of a reference district with a target district; spreading grows "
        "a district by candidate buildings; minimum scale finds where the grid breaks even.",
    )
    actions = parser.add_subparsers(dest="scale_command", metavar="ANALYSIS", required=True)
    translate = actions.add_parser(
        "translate",
        help="compare a target district's context with a reference district",
        description="Compute the context indicators (demand overlap, linear heat density, "
        "anchor-load share, ATES, prices, partners) of both districts and say for every "
        "success condition whether it holds, differs or fails in the target.",
    )
    translate.add_argument("reference", metavar="REFERENCE", help="reference district")
    translate.add_argument("target", metavar="TARGET", help="target district")
    translate.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    translate.add_argument(
        "--no-sizing", action="store_true", help="context comparison only (no KPIs, quick)"
    )
    translate.add_argument(
        "--stability",
        action="store_true",
        help="also check the core of the partners' coalition game (2^n - 1 extra solves)",
    )
    _sizing_arguments(translate)
    translate.set_defaults(handler=run_translate)
    spread_parser = actions.add_parser(
        "spread",
        help="grow a district step by step with candidate buildings",
        description="Add candidate buildings one per step (phase: candidate, or the buildings "
        "of --candidates FILE), ordered by distance from the grid's centroid or by estimated "
        "marginal value; per step the KPIs, the largest pipe, the ATES need, whether the "
        "candidate is beneficial, new partners and partners who would rather stay out; with "
        "--stability, whether the grand alliance is still in the core of the partners' game.",
    )
    spread_parser.add_argument("district", metavar="DISTRICT", help="district file or name")
    spread_parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    spread_parser.add_argument("--order", choices=("distance", "marginal"), default="distance")
    spread_parser.add_argument("--steps", type=int, default=None, metavar="N")
    spread_parser.add_argument("--candidates", type=Path, default=None, metavar="FILE")
    spread_parser.add_argument(
        "--stability",
        choices=STABILITY_CHECKS,
        default="none",
        help="core check per step: screen = c(N minus i) and c(i) per partner (2n extra "
        "solves, proves an empty core), exact = every coalition (up to "
        f"{MAX_EXACT_PARTNERS} partners) and the least-core epsilon (default %(default)s)",
    )
    _sizing_arguments(spread_parser)
    spread_parser.set_defaults(handler=run_spread)
    minimum = actions.add_parser(
        "minimum",
        help="break-even scale of a district's grid along a family",
        description="Scale the district (size: demand x factor; density: distances / factor), "
        "size the district's grid at every point and bisect for the factor where its saving "
        "versus the reference crosses zero.",
    )
    minimum.add_argument("district", metavar="DISTRICT", help="district file or name")
    minimum.add_argument("--out", type=Path, required=True, metavar="DIR")
    minimum.add_argument("--family", choices=("size", "density"), default="size")
    minimum.add_argument("--low", type=float, default=0.05, help="smallest factor")
    minimum.add_argument("--high", type=float, default=2.0, help="largest factor")
    minimum.add_argument("--points", type=int, default=12, help="curve points (log-spaced)")
    minimum.add_argument(
        "--tolerance", type=float, default=0.01, help="break-even bracket width [factor]"
    )
    _sizing_arguments(minimum)
    minimum.set_defaults(handler=run_minimum)


def _sizing_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--periods",
        type=int,
        default=CHEAP_OPTIONS.n_typical_periods,
        help="typical days per sizing (default %(default)s)",
    )
    parser.add_argument(
        "--gap", type=float, default=CHEAP_OPTIONS.mip_gap, help="MIP gap (default %(default)s)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress messages")


def _options(args: argparse.Namespace) -> SizingOptions:
    return dataclasses.replace(CHEAP_OPTIONS, n_typical_periods=args.periods, mip_gap=args.gap)


def _text(value: object) -> str:
    return str(value) if isinstance(value, bool | int) else f"{value:.3g}"


def run_translate(args: argparse.Namespace) -> int:
    """Compare the contexts (and KPIs) and write ``DIR/scaling/``."""
    progress = Progress(quiet=args.quiet)
    out = compute_translation(
        resolve_district_argument(args.reference),
        resolve_district_argument(args.target),
        options=_options(args),
        sizing=not args.no_sizing,
        stability=args.stability,
        progress=progress,
    )
    write_translation_files(out, args.out / layout.SCALING)
    print(f"{out.reference.name} -> {out.target.name}")
    for row in out.conditions.itertuples():
        print(
            f"  {row.status:8s} {row.indicator:34s} reference {_text(row.reference):>10s}  "
            f"target {_text(row.target):>10s}  threshold {row.threshold}"
        )
    if out.kpis is not None:
        for row in out.kpis.itertuples():
            print(
                f"  {row.kpi:28s} reference {_text(row.reference):>12s}  target {_text(row.target)}"
            )
    return 0


def run_spread(args: argparse.Namespace) -> int:
    """Grow a district by its candidates; write ``scaling/spreading_*.csv`` and a plot."""
    progress = Progress(quiet=args.quiet)
    path = resolve_district_argument(args.district)
    out = compute_spreading(
        load_district(path),
        path,
        options=_options(args),
        order=args.order,
        n_steps=args.steps,
        candidates_file=args.candidates,
        stability=args.stability,
        progress=progress,
    )
    if out is None:
        print("no candidate buildings (phase: candidate) and no --candidates FILE")
        return 2
    write_spreading_files(out, args.out / layout.SCALING)
    for row in out.result.steps.itertuples():
        flag = "" if row.step == 0 else ("beneficial" if row.beneficial else "NOT beneficial")
        core = "" if args.stability == "none" else f"  core: {_core_text(row.alliance_stable)}"
        print(
            f"  step {row.step:3d} {row.candidate or '(existing)':24s} saving "
            f"{row.saving_eur_per_yr:12,.0f} EUR/yr  DN{row.largest_dn_mm:<4d} {flag}{core}"
        )
    return 0


def _core_text(stable: object) -> str:
    if stable is None or stable != stable:  # None or NaN: not decided
        return "not disproved"
    return "non-empty" if bool(stable) else "EMPTY"


def run_minimum(args: argparse.Namespace) -> int:
    """Curve and break-even along a family; write ``scaling/minimum_scale.*``."""
    progress = Progress(quiet=args.quiet)
    path = resolve_district_argument(args.district)
    district = load_district(path)
    out = compute_minimum_scale(
        district,
        path,
        options=_options(args),
        family=args.family,
        low_factor=args.low,
        high_factor=args.high,
        points=args.points,
        tolerance=args.tolerance,
        progress=progress,
    )
    write_minimum_scale_files(out, args.out / layout.SCALING)
    found = out.found
    print(
        f"{district.name}: break-even {found.status}"
        + (
            f" at factor {found.value:.4g} (bracket {found.low:.4g}-{found.high:.4g})"
            if found.status == "found"
            else f" in [{args.low}, {args.high}]"
        )
    )
    return 0
