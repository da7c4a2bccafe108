"""Benchmark: Hart van Zuid coalition solves through the executor, cold, cached, 1 vs 2 workers.

Run with ``python benchmarks/allocation_executor.py [--workers 2] [--subset 24]
[--scheduler tcp://HOST:PORT] [--workers-only]``. In one process, on the game options of the
allocation stage (:data:`tsg.stages.allocation.GAME_OPTIONS`):

1. cold: every coalition but the grand one (the stage takes c(N) from its design solve) on
   ``--workers`` local processes (or ``--scheduler``), written to a fresh cache folder;
2. cached re-run: the same batch again from that folder (target: under 5 s, nothing solved);
3. 1 vs 2 workers: ``--subset`` coalitions spread over all sizes, without cache, in this
   process and on 2 local processes (a short run; the full batch on 1 worker takes minutes);
   ``--workers-only`` runs only this part.

Prints times, solves per second and the ratios. Process start-up and model build in the
workers count in the times (that is what a run pays).
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time

from tsg.demand import district_demand
from tsg.district import built_in_district_path, load_district
from tsg.optimisation.executor import ExecutorSettings, SolveExecutor
from tsg.optimisation.sizing import time_steps
from tsg.optimisation.sizing.coalition_batch import CoalitionBatch, build_coalition_solver
from tsg.sizing_inputs import sizing_inputs
from tsg.stages.allocation import GAME_OPTIONS


def _batch(inputs, steps, where, cache_dir=None, solver=None):
    return CoalitionBatch(
        inputs,
        options=GAME_OPTIONS,
        steps=steps,
        executor=SolveExecutor(where),
        cache_dir=cache_dir,
        solver=solver,
    )


def _timed(batch, coalitions):
    start = time.perf_counter()
    try:
        costs = batch.costs(coalitions)
    finally:
        batch.executor.close()
    return costs, time.perf_counter() - start


def _cold_and_cached(inputs, steps, where, coalitions) -> None:
    with tempfile.TemporaryDirectory() as cache:
        cold = _batch(inputs, steps, where, cache)
        costs, cold_s = _timed(cold, coalitions)
        print(
            f"cold ({where.describe()}): {cold.solved} solved in {cold_s:.1f} s = "
            f"{cold_s / max(cold.solved, 1):.2f} s per coalition"
        )
        warm = _batch(inputs, steps, where, cache)
        again, warm_s = _timed(warm, coalitions)
        same = all(again[c] == costs[c] for c in coalitions)
        print(
            f"cached re-run: {warm.solved} solved, {warm.cached} from the cache in "
            f"{1000 * warm_s:.0f} ms (target < 5 s: {'met' if warm_s < 5 else 'MISSED'}); "
            f"identical costs: {same}; cold / cached = {cold_s / warm_s:,.0f}x"
        )


def main() -> None:
    """Run the benchmark and print the numbers."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scheduler", default=None)
    ap.add_argument("--subset", type=int, default=24, help="coalitions of the 1-vs-2 test")
    ap.add_argument("--workers-only", action="store_true", help="only the 1-vs-2 test")
    args = ap.parse_args()
    path = built_in_district_path()
    district = load_district(path)
    inputs = sizing_inputs(district, district_demand(district, district_file=path))
    steps = time_steps(
        inputs, n_periods=GAME_OPTIONS.n_typical_periods, period_hours=GAME_OPTIONS.period_hours
    )
    players = inputs.partners
    coalitions = [
        frozenset(c)
        for r in range(1, len(players))
        for c in itertools.combinations(players, r)
        if any(b.partner in c for b in inputs.buildings)
    ]
    where = ExecutorSettings(workers=args.workers, scheduler=args.scheduler)
    print(
        f"Hart van Zuid: {len(players)} partners, {len(coalitions)} coalitions with buildings "
        f"(grand coalition excluded), {steps.n_steps} time steps, gap {GAME_OPTIONS.mip_gap:.0%}"
    )
    if not args.workers_only:
        _cold_and_cached(inputs, steps, where, coalitions)
    # every k-th coalition: small and large ones alike
    subset = coalitions[:: max(1, len(coalitions) // args.subset)][: args.subset]
    start = time.perf_counter()
    solver = build_coalition_solver(inputs, GAME_OPTIONS, steps)
    build_s = time.perf_counter() - start
    one_costs, one_s = _timed(_batch(inputs, steps, ExecutorSettings(1), solver=solver), subset)
    one_s += build_s
    two_costs, two_s = _timed(_batch(inputs, steps, ExecutorSettings(2)), subset)
    diff = max(abs(one_costs[c] - two_costs[c]) / abs(one_costs[c]) for c in subset)
    print(
        f"{len(subset)} coalitions: 1 worker {one_s:.1f} s (model build {build_s:.1f} s), "
        f"2 workers {two_s:.1f} s; speed-up {one_s / two_s:.2f}x; largest relative "
        f"difference of c(S) {diff:.1e}"
    )


if __name__ == "__main__":
    main()
