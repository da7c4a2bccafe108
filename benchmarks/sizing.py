"""Benchmark: sizing optimisation of the reference district (Hart van Zuid).

Usage: python benchmarks/sizing.py [--periods N] [--skip-full-year] [--lower-bound]
[--full-year-milp] [--time-limit S]

Prints for typical periods: time-step aggregation time and error, model build time, solve
time (HiGHS via appsi, incl. the reference case), variables / binaries / constraints, the
objective and the design. Baseline in the same process: the full-year model (8,760 hours)
with the typical design's connections and pipes, every capacity and hour re-optimised (an
upper bound of the full-year optimum, :mod:`optimisation.sizing.full_year_check`); with
``--lower-bound`` also its LP relaxation (slow); with ``--full-year-milp`` the full-year MILP
itself (very slow; time limit applies).
"""

from __future__ import annotations

import argparse
import time

from tsg.demand import district_demand
from tsg.district import built_in_district_path, load_district
from tsg.optimisation.sizing import SizingOptions, build_model, solve_and_extract, time_steps
from tsg.optimisation.sizing.full_year_check import full_year_check
from tsg.sizing_inputs import sizing_inputs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--periods", type=int, default=12)
    ap.add_argument("--skip-full-year", action="store_true")
    ap.add_argument("--lower-bound", action="store_true")
    ap.add_argument("--full-year-milp", action="store_true")
    ap.add_argument("--time-limit", type=float, default=1800.0)
    args = ap.parse_args()
    path = built_in_district_path()
    district = load_district(path)
    demand = district_demand(district, district_file=path)
    inputs = sizing_inputs(district, demand)
    options = SizingOptions(n_typical_periods=args.periods, time_limit_s=args.time_limit)

    start = time.perf_counter()
    steps = time_steps(inputs, n_periods=args.periods)
    aggregate_s = time.perf_counter() - start
    sm = build_model(inputs, steps, options=options)
    start = time.perf_counter()
    result = solve_and_extract(sm)
    solve_s = time.perf_counter() - start
    size = sm.size()
    print(
        f"typical periods: {steps.n_periods} x 24 h = {steps.n_steps} steps, "
        f"aggregation {aggregate_s:.1f} s, error {steps.describe()}"
    )
    print(
        f"  build {sm.build_time_s:.2f} s; solve (design + reference) {solve_s:.1f} s "
        f"(design alone {result.solve.solve_time_s:.1f} s, {result.solve.n_solves} "
        f"solver calls, gap {result.solve.gap:.2%})"
    )
    print(
        f"  size: {size['variables']} variables ({size['binaries']} binary), "
        f"{size['constraints']} constraints"
    )
    print(
        f"  objective {result.design.cost_eur_per_yr:,.0f} EUR/yr; reference "
        f"{result.reference.cost_eur_per_yr:,.0f} EUR/yr; NPV {result.npv_eur:,.0f} EUR; "
        f"payback {result.simple_payback_yr:.1f} yr"
    )
    print(f"  connected: {', '.join(result.connected_buildings)}")
    print(
        f"  not connected: {', '.join(b.building_id for b in result.buildings if not b.connected)}"
    )
    print(
        "  pipes: "
        + ", ".join(f"{e.from_id}-{e.to_id} DN{e.dn_mm}" for e in result.edges if e.built)
    )

    if not args.skip_full_year:
        check = full_year_check(
            inputs, result, options=options, lower_bound=args.lower_bound, time_limit_s=3600.0
        )
        ratio = (check.build_time_s + check.upper_time_s) / (sm.build_time_s + solve_s)
        print(
            f"full year (baseline): {check.variables} variables, {check.constraints} "
            f"constraints; build {check.build_time_s:.1f} s; the typical design re-optimised "
            f"over 8,760 h: {check.upper_time_s:.1f} s ({check.upper_status}) -> "
            f"{check.upper_eur_per_yr:,.0f} EUR/yr"
        )
        print(
            f"  typical objective {check.typical_eur_per_yr:,.0f} EUR/yr differs from the "
            f"full-year cost of its design by {check.design_error:+.2%}; time ratio full-year "
            f"LP / typical build + solve: {ratio:.1f}"
        )
        if args.lower_bound:
            print(
                f"  full-year LP relaxation {check.lower_time_s:.1f} s ({check.lower_status}) -> "
                f"{check.lower_eur_per_yr:,.0f} EUR/yr; the full-year optimum lies in "
                f"[{check.lower_eur_per_yr:,.0f}, {check.upper_eur_per_yr:,.0f}]; worst-case "
                f"error of the typical objective {check.worst_error:.2%}"
            )
    if args.full_year_milp:
        fy = build_model(
            inputs,
            time_steps(inputs, n_periods=None),
            options=SizingOptions(n_typical_periods=None, time_limit_s=args.time_limit),
        )
        start = time.perf_counter()
        full = solve_and_extract(fy, with_reference=False)
        elapsed = time.perf_counter() - start
        typical = result.design.cost_eur_per_yr
        ratio = (typical - full.design.cost_eur_per_yr) / full.design.cost_eur_per_yr
        print(
            f"full-year MILP: build {fy.build_time_s:.1f} s, solve {elapsed:.1f} s, {fy.size()}, "
            f"objective {full.design.cost_eur_per_yr:,.0f} ({full.solve.status}, gap "
            f"{full.solve.gap:.2%}); typical differs by {ratio:+.2%}"
        )


if __name__ == "__main__":
    main()
