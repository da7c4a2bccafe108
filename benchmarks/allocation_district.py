"""Benchmark: the allocation game of the Hart van Zuid partners through the optimiser.

Run with ``python benchmarks/allocation_district.py [--processes 2] [--skip-design]``. Prints
the players, the number of coalitions and solves, the wall time and time per coalition, the
cache hits (coalitions not solved: the grand coalition from the stage's design solve and
coalitions without buildings), the time-limited solves and the grand-coalition cost with the
game options (:data:`tsg.stages.allocation.GAME_OPTIONS`) against the full design solve of
``tsg size`` (12 typical days, 1 % gap) in the same process. The 10- and 30-player numbers
from cost files are in ``allocation_game.py``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from tsg.demand import district_demand
from tsg.district import built_in_district_path, load_district
from tsg.optimisation.sizing import SizingOptions, build_model, solve_and_extract, time_steps
from tsg.sizing_inputs import sizing_inputs
from tsg.stages import RunContext, RunSettings, run_stage
from tsg.stages.allocation import GAME_OPTIONS


def main() -> None:
    """Run the benchmark and print the numbers."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--skip-design", action="store_true", help="skip the full design solve")
    args = ap.parse_args()
    path = built_in_district_path()
    district = load_district(path)
    demand = district_demand(district, district_file=path)

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        settings = RunSettings(processes=args.processes)
        ctx = RunContext.of(district, path, demand=demand, settings=settings)
        stage, _ = run_stage("allocation", ctx, Path(folder))
    total_s = time.perf_counter() - start
    solves = stage.solves
    solved = solves[solves["status"].isin(["optimal", "time_limit"])]
    n = len(solves)
    print(f"players ({len(stage.players)}): {', '.join(stage.players)}")
    print(f"left out: {stage.left_out or 'none'}")
    print(
        f"options: {GAME_OPTIONS.n_typical_periods} typical days, gap {GAME_OPTIONS.mip_gap:.0%}"
        f", limit {GAME_OPTIONS.time_limit_s} s per coalition, {args.processes} processes"
    )
    print(
        f"coalitions: {n}; solved {len(solved) - 1} in the pool + the grand coalition in the "
        f"stage; cache hits {n - len(solved) + 1} (grand coalition reused, "
        f"{(solves['status'] == 'no_buildings').sum()} without buildings)"
    )
    print(
        f"wall time: stage {total_s:.1f} s, coalition pool {stage.wall_time_s:.1f} s = "
        f"{stage.wall_time_s / max(len(solved) - 1, 1):.2f} s per solved coalition; "
        f"solver time per coalition: mean {solved['solve_time_s'].mean():.2f} s, "
        f"max {solved['solve_time_s'].max():.2f} s; gap mean {solved['gap'].mean():.2%}, "
        f"max {solved['gap'].max():.2%}"
    )
    print(f"time-limited solves: {len(stage.limited)} {list(stage.limited)}")
    c_n = stage.game.grand_cost
    print(f"c(N) with the game options: {c_n:,.0f} EUR/yr")
    print(f"sum of stand-alone costs: {float(stage.game.standalone.sum()):,.0f} EUR/yr")
    comparison = stage.comparison
    print(
        f"core non-empty: {comparison.core_nonempty}; least-core epsilon "
        f"{comparison.least_core_epsilon:,.0f} EUR/yr"
    )
    for name, rule in comparison.rules.items():
        costs = ", ".join(f"{p} {rule.cost[p] / 1000:,.0f}k" for p in stage.players)
        print(f"  {name:13s} in core {str(rule.in_core):5s}: {costs}")
    if not args.skip_design:
        inputs = sizing_inputs(district, demand)
        options = SizingOptions()
        start = time.perf_counter()
        steps = time_steps(inputs, n_periods=options.n_typical_periods)
        design = solve_and_extract(build_model(inputs, steps, options=options))
        design_s = time.perf_counter() - start
        full = design.design.cost_eur_per_yr
        print(
            f"full design (12 typical days, 1 % gap): {full:,.0f} EUR/yr in {design_s:.1f} s "
            f"(status {design.solve.status}, gap {design.solve.gap:.2%}); c(N) of the "
            f"game differs by {(c_n - full) / full:+.2%}"
        )


if __name__ == "__main__":
    main()
