"""Benchmark: a synthetic 12-partner alliance without enumerating its 4,095 coalitions.

Run with ``python benchmarks/allocation_many_partners.py [--samples 8] [--separation-limit 30]``.
The district: 14 synthetic buildings (``--buildings``) dealt to 11 building owners, plus a
utility that owns an ATES and no building (12 players). Coalition solves use the allocation
stage's game options (:data:`tsg.stages.allocation.GAME_OPTIONS`: 3 % gap) with one typical
day (``--periods``) and 10 s per solve (``--coalition-limit``) so that one run takes about a
quarter of an hour on a shared machine (a larger district: ``--buildings 24 --periods 2``).
Prints:

* sampled Shapley: orders, distinct coalitions solved, time, the estimate and 95 % interval
  width per partner;
* least core and pre-nucleolus by constraint generation: rounds, separation MILPs, their
  times and gaps, coalitions generated, eps as an interval, time;
* the baseline in the same process: the 4,095 coalitions full enumeration would need, times
  the measured mean time per coalition solve (an extrapolation, not a run).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import yaml

from tsg.allocation_many import allocate_many, many_summary
from tsg.demand import district_demand
from tsg.district import load_district
from tsg.optimisation.sizing import build_model, time_steps
from tsg.optimisation.sizing.coalitions import CoalitionSolver
from tsg.sizing_inputs import sizing_inputs
from tsg.stages.allocation import GAME_OPTIONS
from tsg.synthetic import synthetic_district_document

ATES = {
    "type": "ates",
    "id": "ates",
    "name": "ATES doublet",
    "partner": "utility",
    "max_flow_m3_per_h": 250,
    "warm_well_c": 16.0,
    "cold_well_c": 9.0,
    "thermal_balance_tolerance": 0.1,
}


def district_file(folder: Path, *, n_buildings: int, n_owners: int, seed: int) -> Path:
    """Write the synthetic district (owners plus an ATES utility) and return its path."""
    doc = synthetic_district_document(n_buildings=n_buildings, seed=seed, n_partners=n_owners)
    doc["partners"].append({"id": "utility", "name": "Utility", "role": "energy_company"})
    doc["sources"] = [{**ATES, "location": dict(doc["location"])}]
    path = folder / "district.yaml"
    path.write_text(yaml.safe_dump(json.loads(json.dumps(doc, default=float))), encoding="utf-8")
    return path


def main() -> None:
    """Run the benchmark and print the numbers."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=8, help="Shapley orders")
    ap.add_argument("--separation-limit", type=float, default=30.0, help="s per MILP")
    ap.add_argument("--rounds", type=int, default=10, help="most separation rounds")
    ap.add_argument("--periods", type=int, default=1, help="typical days per solve")
    ap.add_argument("--coalition-limit", type=float, default=10.0, help="s per coalition")
    ap.add_argument("--buildings", type=int, default=14)
    ap.add_argument("--owners", type=int, default=11)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        path = district_file(
            Path(folder), n_buildings=args.buildings, n_owners=args.owners, seed=args.seed
        )
        district = load_district(path)
        demand = district_demand(district, district_file=path)
    inputs = sizing_inputs(district, demand)
    options = replace(
        GAME_OPTIONS, n_typical_periods=args.periods, time_limit_s=args.coalition_limit
    )
    steps = time_steps(
        inputs, n_periods=options.n_typical_periods, period_hours=options.period_hours
    )
    players = inputs.partners
    print(
        f"district: {len(inputs.buildings)} buildings, {len(players)} players "
        f"({', '.join(players)}), {len(inputs.ates)} ATES; {steps.n_steps} time steps; "
        f"options: gap {options.mip_gap:.0%}, limit {options.time_limit_s} s per coalition"
    )
    print(f"setup (demand, inputs): {time.perf_counter() - start:.1f} s")
    solver = CoalitionSolver(build_model(inputs, steps, options=options))
    result = allocate_many(
        inputs,
        players,
        options=options,
        steps=steps,
        n_samples=args.samples,
        separation_time_limit_s=args.separation_limit,
        max_rounds=args.rounds,
        solver=solver,
        say=lambda line: print(line, flush=True),
    )
    print(many_summary(result))
    sh, lc = result.shapley, result.least_core
    widths = np.array([2 * sh.half_width_95[p] for p in players])
    print(
        f"Shapley 95 % interval widths: median {np.median(widths):,.0f}, max "
        f"{widths.max():,.0f} EUR/yr (c(N) {result.grand_cost:,.0f} EUR/yr)"
    )
    times = [info.solve_time_s for info in solver.info.values()]
    per_solve = float(np.mean(times)) if times else float("nan")
    n_all = (1 << len(players)) - 1
    print(
        f"coalition solves: {len(times)} (mean {per_solve:.2f} s, max {max(times):.2f} s; "
        f"MIP gap max {result.max_coalition_gap:.2%})"
    )
    print(
        f"least core: {lc.iterations} rounds, {lc.separations} separation MILPs, "
        f"{len(lc.coalitions)} coalitions generated, eps [{lc.epsilon:,.0f}, "
        f"{lc.epsilon_upper:,.0f}] EUR/yr, largest separation gap "
        f"{lc.max_separation_gap_eur_per_yr:,.0f} EUR/yr, stopped: {lc.stopped}, "
        f"{result.least_core_time_s:.0f} s"
    )
    print(
        f"baseline: full enumeration needs {n_all:,} coalition solves x {per_solve:.2f} s = "
        f"{n_all * per_solve / 3600:.1f} h on one process (extrapolated); this run: "
        f"{result.coalition_solves} coalition solves + {lc.separations} MILPs in "
        f"{result.shapley_time_s + result.least_core_time_s:.0f} s"
    )


if __name__ == "__main__":
    main()
