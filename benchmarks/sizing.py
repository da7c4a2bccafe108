"""Benchmark: sizing optimisation of the reference district (Hart van Zuid).

Usage: python benchmarks/sizing.py [--periods N] [--full-year-milp] [--time-limit S]

Prints for typical periods: time-step aggregation time and error, model build time, solve
time (HiGHS via appsi, incl. the reference case), variables / binaries / constraints, the
objective and the design. Baseline in the same process: the full-year model (8,760 hours),
bracketed by its LP relaxation (lower bound) and the typical-period design re-optimised over
the full year (upper bound, binaries fixed); the full-year optimum lies in between. With
``--full-year-milp`` the full-year MILP itself is also solved (slow; time limit applies).
"""

from __future__ import annotations

import argparse
import time

from optimisation.sizing import SizingOptions, build_model, solve_and_extract, time_steps
from optimisation.sizing.workflow import full_year_bounds
from tsg.demand import district_demand
from tsg.district import built_in_district_path, load_district
from tsg.sizing_stage import sizing_inputs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--periods", type=int, default=12)
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
        f"(design alone {result.solve['solve_time_s']:.1f} s, {result.solve['n_solves']} "
        f"HiGHS MILP solves, gap {result.solve['gap']:.2%})"
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

    lower, upper, timings = full_year_bounds(inputs, result, options=options)
    typical = result.design.cost_eur_per_yr
    print(
        f"full year (baseline): build {timings['build_time_s']:.1f} s (two models); LP "
        f"relaxation {timings['lower_time_s']:.1f} s -> lower bound {lower:,.0f}; design "
        f"re-optimised {timings['upper_time_s']:.1f} s -> upper bound {upper:,.0f} EUR/yr"
    )
    worst = max(abs(typical - lower), abs(typical - upper)) / lower
    print(
        f"  typical vs full year: {(typical - lower) / lower:+.2%} vs lower, "
        f"{(typical - upper) / upper:+.2%} vs upper bound; worst case {worst:.2%}"
    )
    print(
        f"  time ratio full-year bounds / typical (build + solve): "
        f"{(sum(timings.values())) / (sm.build_time_s + solve_s):.1f}"
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
        ratio = (typical - full.design.cost_eur_per_yr) / full.design.cost_eur_per_yr
        print(
            f"full-year MILP: build {fy.build_time_s:.1f} s, solve {elapsed:.1f} s, {fy.size()}, "
            f"objective {full.design.cost_eur_per_yr:,.0f} ({full.solve['status']}, gap "
            f"{full.solve['gap']:.2%}); typical differs by {ratio:+.2%}"
        )


if __name__ == "__main__":
    main()
