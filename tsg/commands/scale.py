"""``tsg scale ...``: scaling analyses (translation to another district so far)."""

from __future__ import annotations

import argparse
from pathlib import Path

from tsg.context_stage import context_comparison, district_context
from tsg.demand import district_demand
from tsg.district import load_district, resolve_district_argument
from tsg.outputs import write_csv, write_json
from tsg.progress import Progress


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``tsg scale`` and its subcommands."""
    parser = subparsers.add_parser(
        "scale",
        help="scaling analyses: translate a grid to another district",
        description="Scaling analyses (Platform31): translation compares the success "
        "conditions of a reference district with a target district.",
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
    translate.add_argument("--quiet", action="store_true", help="no progress messages")
    translate.set_defaults(handler=run_translate)


def _context(argument: str, progress: Progress):
    path = resolve_district_argument(argument)
    with progress.step(f"demand and context of {path}"):
        district = load_district(path)
        return district, district_context(district, district_demand(district, district_file=path))


def _text(value: object) -> str:
    return str(value) if isinstance(value, bool | int) else f"{value:.3g}"


def run_translate(args: argparse.Namespace) -> int:
    """Compare the contexts and write ``scaling/context_comparison.csv`` and ``.json``."""
    progress = Progress(quiet=args.quiet)
    reference_district, reference = _context(args.reference, progress)
    target_district, target = _context(args.target, progress)
    table = context_comparison(reference, target)
    folder = args.out / "scaling"
    write_csv(folder / "context_comparison.csv", table, index=False)
    write_json(
        folder / "context_comparison.json",
        {
            "reference": {"id": reference_district.id, **reference.as_dict()},
            "target": {"id": target_district.id, **target.as_dict()},
            "conditions": table.to_dict(orient="records"),
        },
    )
    print(f"{reference_district.name} -> {target_district.name}")
    for row in table.itertuples():
        print(
            f"  {row.status:8s} {row.indicator:34s} reference {_text(row.reference):>10s}  "
            f"target {_text(row.target):>10s}  threshold {row.threshold}"
        )
    return 0
