"""``tsg allocate``: share the cost of a thermal grid among alliance partners.

Reads the cost of every coalition from ``--costs FILE.csv`` (see :mod:`tsg.cost_file`), or
computes it for a district with the sizing optimiser (``tsg allocate DISTRICT --out DIR``,
see :mod:`tsg.stages.allocation`), applies all allocation rules and prints them side by side
with their stability, as a table or (``--json``) as one JSON object. ``--out DIR`` also
writes ``allocation.csv`` and ``allocation.json`` there (for a district in ``DIR/allocation``
together with the game, the solves and a chart).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from tsg.allocation_many import ManyPartnersResult, many_summary
from tsg.allocation_outputs import allocation_document, allocation_table, write_allocation_tables
from tsg.commands.executor_options import add_executor_arguments, executor_settings
from tsg.common.errors import InputError
from tsg.cost_file import read_cost_file
from tsg.optimisation.allocation import IntervalGame
from tsg.optimisation.allocation.compare import AllocationComparison, compare_rules
from tsg.optimisation.allocation.verdicts import AllocationVerdicts, judge
from tsg.outputs import json_ready

DESCRIPTION = """\
Share the annual cost of a heat/cold grid among alliance partners with several rules
(proportional, equal split, equal savings, Shapley, nucleolus, SCRB, least core) and check
whether each allocation is stable (no group of partners would be better off alone).

From a district, every coalition's cost c(S) comes from the sizing optimiser (the model
restricted to the coalition's buildings and assets); outputs go to DIR/allocation/.

The cost file is a CSV with header 'coalition,cost' and one row per non-empty coalition,
members joined by '+', cost in EUR/yr, e.g.:

  coalition,cost
  ahoy,120000
  eneco,95000
  ahoy+eneco,180000
"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``allocate`` subcommand to an argparse subparsers object.

    Parameters
    ----------
    subparsers
        Result of ``ArgumentParser.add_subparsers()``.

    """
    parser = subparsers.add_parser(
        "allocate",
        help="share grid costs among partners (Shapley, nucleolus, core, ...)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "district",
        metavar="DISTRICT",
        nargs="?",
        default=None,
        help="district file (or built-in name) whose coalitions are sized by the optimiser",
    )
    parser.add_argument(
        "--costs",
        metavar="FILE.csv",
        type=Path,
        default=None,
        help="CSV 'coalition,cost' with the annual cost of every non-empty coalition",
    )
    parser.add_argument(
        "--weights",
        metavar="NAME=VALUE,...",
        default=None,
        help="positive weights for the proportional rule, e.g. ahoy=2.5,eneco=1",
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object instead of a table"
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        default=None,
        help="also write allocation.csv and allocation.json to this folder (for a district: "
        "DIR/allocation/, default results/<district id>)",
    )
    parser.add_argument(
        "--gap-floor",
        metavar="GAP",
        type=float,
        default=None,
        help="tightest relative MIP gap at which coalitions whose bounds leave a verdict "
        "undecided are solved again (default 0.001)",
    )
    parser.add_argument(
        "--refine-budget",
        metavar="SECONDS",
        type=float,
        default=None,
        help="wall time for those re-solves (default 300; 0: none)",
    )
    parser.add_argument(
        "--quiet", action="store_true", help="no progress messages (nor progress lines)"
    )
    add_executor_arguments(parser)
    parser.set_defaults(handler=run)


def parse_weights(text: str) -> dict[str, float]:
    """Parse ``name=value,name=value`` into a dict.

    Parameters
    ----------
    text
        The ``--weights`` option.

    Returns
    -------
    dict
        Player -> weight.

    Raises
    ------
    InputError
        Malformed pair, duplicated name or a weight that is not a positive finite number.

    """
    weights: dict[str, float] = {}
    for item in text.split(","):
        if not item.strip():
            continue
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InputError(
                f"{item.strip()!r} is not 'name=value'; write e.g. ahoy=2.5,eneco=1",
                field="--weights",
            )
        if name in weights:
            raise InputError(f"weight for {name!r} is given twice", field="--weights")
        try:
            number = float(value)
        except ValueError:
            raise InputError(
                f"weight {value.strip()!r} for {name!r} is not a number", field="--weights"
            ) from None
        if not math.isfinite(number) or number <= 0.0:
            raise InputError(
                f"weight for {name!r} is {value.strip()}; weights must be positive numbers",
                field="--weights",
            )
        weights[name] = number
    if not weights:
        raise InputError("no weights given; write e.g. ahoy=2.5,eneco=1", field="--weights")
    return weights


def run(args: argparse.Namespace) -> int:
    """Run ``tsg allocate`` and return the exit code (0).

    Parameters
    ----------
    args
        Parsed arguments from the parser built by :func:`add_parser`.

    Returns
    -------
    int
        0 on success.

    Raises
    ------
    InputError
        Bad arguments or a bad cost file; the CLI prints it and exits with 2.

    """
    if args.costs is None:
        if args.district is not None:
            return run_district(args)
        raise InputError(
            "give a DISTRICT or the coalition costs with --costs FILE.csv (header "
            "'coalition,cost')",
            field="--costs",
        )
    if args.district is not None:
        raise InputError(
            "give either DISTRICT (costs from the sizing optimiser) or --costs FILE.csv, not both",
            field="DISTRICT",
        )
    district_only = (
        (args.gap_floor, "--gap-floor"),
        (args.refine_budget, "--refine-budget"),
        (args.workers, "--workers"),
        (args.scheduler, "--scheduler"),
    )
    for value, flag in district_only:
        if value is not None:
            raise InputError(
                f"{flag} only applies to a DISTRICT; costs from a file are exact", field=flag
            )
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        raise InputError("--out must be a folder, but a file with this name exists", file=args.out)
    weights = parse_weights(args.weights) if args.weights is not None else None
    game = read_cost_file(args.costs)
    try:
        comparison = compare_rules(game, weights=weights)
    except InputError as error:
        if error.field == "weights":
            raise InputError(error.message, field="--weights") from None
        raise
    verdicts = judge(
        IntervalGame.exact(game), {name: r.cost for name, r in comparison.rules.items()}
    )
    if args.out is not None:
        write_outputs(comparison, verdicts, args.out)
    if args.json:
        print(json.dumps(allocation_document(comparison, verdicts)))
    else:
        print(format_table(comparison, verdicts))
    return 0


def run_district(args: argparse.Namespace) -> int:
    """``tsg allocate DISTRICT``: coalition costs from the optimiser, rules, outputs.

    Parameters
    ----------
    args
        Parsed arguments (``district``, ``out``, ``json``, ``quiet``; ``--weights`` is not
        allowed: the stage weighs by each partner's annual demand).

    Returns
    -------
    int
        0 on success.

    """
    from tsg.district import resolve_district_argument
    from tsg.progress import Progress
    from tsg.stages import allocation
    from tsg.stages.context import RunContext, RunSettings

    if args.weights is not None:
        raise InputError(
            "--weights only applies to --costs; for a district the proportional rule uses "
            "each partner's annual demand (and its peak, in allocation.csv)",
            field="--weights",
        )
    for value, flag in ((args.gap_floor, "--gap-floor"), (args.refine_budget, "--refine-budget")):
        if value is not None and not (math.isfinite(value) and value >= 0.0):
            raise InputError(f"{flag} must be a number >= 0, got {value}", field=flag)
    path = resolve_district_argument(args.district)
    settings = RunSettings(
        gap_floor=args.gap_floor, refine_budget_s=args.refine_budget, **executor_settings(args)
    )
    ctx = RunContext.load(path, progress=Progress(quiet=args.quiet), settings=settings)
    out = args.out if args.out is not None else Path("results") / ctx.district.id
    if out.exists() and not out.is_dir():
        raise InputError("--out must be a folder, but a file with this name exists", file=out)
    stage = allocation.compute(ctx)
    files = allocation.write(stage, out)
    if isinstance(stage, ManyPartnersResult):
        print(json.dumps(json_ready(stage.meta)) if args.json else many_summary(stage))
        print(f"{len(files)} files in {out / 'allocation'}")
        return 0
    if args.json:
        print(json.dumps(allocation_document(stage.comparison, stage.verdicts)))
    else:
        print(format_table(stage.comparison, stage.verdicts))
        refinement = stage.meta["refinement"]
        if refinement["max_gap"] is not None:
            print(
                f"coalition costs within MIP gaps of {100 * refinement['mean_gap']:.2f} % on "
                f"average, at most {100 * refinement['max_gap']:.2f} % ("
                f"{refinement['resolved']} re-solves, {refinement['time_s']:.0f} s, stopped: "
                f"{refinement['stopped']})"
            )
        if stage.left_out:
            print(f"not players (own no building or source): {', '.join(stage.left_out)}")
        meta = stage.meta
        print(
            f"coalitions: {meta['solved']} solved, {meta['from_cache']} from the cache, "
            f"{meta['wall_time_s']:.1f} s ({meta['options']['workers']})"
        )
        if stage.limited:
            print(
                f"WARNING: {len(stage.limited)} coalition solves hit the time limit; their "
                f"cost is an upper bound: {', '.join(stage.limited)}"
            )
        print(f"{len(files)} files in {out / 'allocation'}")
    return 0


def format_table(comparison: AllocationComparison, verdicts: AllocationVerdicts) -> str:
    """Return an aligned text table: rules as rows, players as columns, then core info.

    Parameters
    ----------
    comparison
        Result of :func:`~optimisation.allocation.compare.compare_rules`.
    verdicts
        Their verdicts within solver tolerance (:func:`~optimisation.allocation.verdicts.judge`).

    Returns
    -------
    str
        Multi-line text.

    """
    players = list(comparison.players)
    header = ["rule", *players, "in core", "ind. rational", "worst coalition", "excess"]
    rows = [["stand-alone", *(_money(comparison.standalone[p]) for p in players), "", "", "", ""]]
    for name, result in comparison.rules.items():
        verdict = verdicts.rules[name]
        rows.append(
            [
                name,
                *(_money(result.cost[p]) for p in players),
                _short(verdict.in_core),
                _short(verdict.individually_rational),
                "+".join(verdict.blocking_coalition),
                _range(verdict.excess_low_eur_per_yr, verdict.excess_high_eur_per_yr),
            ]
        )
    widths = [max(len(row[k]) for row in [header, *rows]) for k in range(len(header))]
    lines = [f"Cost allocation [EUR/yr], grand coalition c(N) = {_money(comparison.grand_cost)}"]
    for row in [header, *rows]:
        right = [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        cells = [row[0].ljust(widths[0]), *right]
        lines.append("  ".join(cells).rstrip())
    core = verdicts.core
    statement = {
        "holds": "non-empty",
        "fails": "EMPTY (no allocation is stable)",
    }.get(core.nonempty, "undecided within solver tolerance (non-empty or empty)")
    lines.append("")
    lines.append(f"core: {statement}")
    lines.append(
        "least-core epsilon: "
        f"{_range(core.epsilon_low_eur_per_yr, core.epsilon_high_eur_per_yr)} EUR/yr "
        "(largest x(S) - c(S) that cannot be avoided; <= 0 means the core is non-empty)"
    )
    lines.append(
        "in core / ind. rational: yes = holds, no = fails, ? = undecided within solver "
        "tolerance; excess: bounds of x(S) - c(S) of the worst coalition"
    )
    lines.extend(f"note: {note}" for note in comparison.notes)
    lines.extend(f"note: {share.explanation}" for share in verdicts.negative_shares)
    return "\n".join(lines)


def _short(verdict: str) -> str:
    """``yes`` / ``no`` / ``?`` for holds / fails / undecided."""
    return {"holds": "yes", "fails": "no"}.get(verdict, "?")


def _range(low: float, high: float) -> str:
    """One amount when the bounds agree to the cent, else ``low .. high``."""
    if f"{low:.2f}" == f"{high:.2f}":
        return _money(high)
    return f"{_money(low)} .. {_money(high)}"


def _money(value: float) -> str:
    """Format an amount in euro with thousands separators and cents."""
    text = f"{value:,.2f}"
    return "0.00" if text == "-0.00" else text


def write_outputs(
    comparison: AllocationComparison, verdicts: AllocationVerdicts, folder: Path
) -> None:
    """Write ``allocation.csv`` and ``allocation.json`` into ``folder`` atomically.

    The same writer and columns as the allocation stage of ``tsg run``
    (:func:`tsg.allocation_outputs.write_allocation_tables`); the CO2 columns are empty
    because a cost file carries no design.

    Parameters
    ----------
    comparison
        The result to write.
    verdicts
        Its verdicts (``allocation.json``, ``rules.csv``).
    folder
        Output folder; created if missing.

    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        message = f"cannot create the output folder: {error.strerror}"
        raise InputError(message, file=folder) from None
    table = allocation_table(comparison, {}, verdicts)
    write_allocation_tables(folder, comparison, verdicts, table)
