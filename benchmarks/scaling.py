"""Benchmark: spreading and minimum-scale search on the reference district (Hart van Zuid).

Usage: python benchmarks/scaling.py [--spread-steps 50] [--points 12] [--periods 3] [--gap 0.03]
[--skip-spread] [--skip-minimum] [--skip-full]

Spreading: Hart van Zuid's own candidates plus synthetic candidates around its centre
(:mod:`tsg.synthetic`, 90 m spacing) up to ``--spread-steps``; one model re-solved per step.
Minimum scale: the ``size`` family (demand x factor), ``--points`` log-spaced curve points in
[0.05, 2] plus bisection to a 0.01 bracket (about 20 sizings). Cheap vs full: the saving at
2 family points with the cheap options against the full model (12 typical days, 1 % gap).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from tsg.demand import district_demand
from tsg.district import built_in_district_path, load_district
from tsg.optimisation.sizing import SizingOptions
from tsg.scaling.minimum_scale import ScaleFamily, search
from tsg.scaling.spreading import spread
from tsg.scaling_districts import candidate_ids
from tsg.schema import District
from tsg.sizing_inputs import sizing_inputs
from tsg.synthetic import synthetic_district_document


def _with_synthetic(district: District, n: int) -> District:
    doc = synthetic_district_document(
        n_buildings=n,
        seed=7,
        spacing_m=90.0,
        centre_deg=(district.location.latitude_deg, district.location.longitude_deg),
        n_partners=6,
    )
    extra = District.model_validate(doc)
    added = [
        b.model_copy(update={"phase": "candidate", "id": f"syn-{b.id}"}) for b in extra.buildings
    ]
    return district.model_copy(
        update={
            "buildings": [*district.buildings, *added],
            "partners": [*district.partners, *extra.partners],
        }
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--spread-steps", type=int, default=50)
    ap.add_argument("--points", type=int, default=12)
    ap.add_argument("--periods", type=int, default=3)
    ap.add_argument("--gap", type=float, default=0.03)
    ap.add_argument("--skip-spread", action="store_true")
    ap.add_argument("--skip-minimum", action="store_true")
    ap.add_argument("--skip-full", action="store_true")
    args = ap.parse_args()
    cheap = SizingOptions(n_typical_periods=args.periods, mip_gap=args.gap, time_limit_s=120.0)
    path = built_in_district_path()
    district = load_district(path)
    if not args.skip_spread:
        n_own = len(candidate_ids(district))
        big = _with_synthetic(district, max(args.spread_steps - n_own, 0))
        start = time.perf_counter()
        inputs = sizing_inputs(big, district_demand(big, district_file=path))
        prep = time.perf_counter() - start
        start = time.perf_counter()
        result = spread(inputs, candidate_ids(big), order="distance", options=cheap)
        wall = time.perf_counter() - start
        table = result.steps
        n = len(table) - 1
        print(
            f"spreading: {len(big.buildings)} buildings, {n} steps; demand+inputs {prep:.1f} s; "
            f"spread {wall:.1f} s = {wall / max(n, 1):.2f} s/step (incl. model build + "
            f"reference); solve per step median {table['solve_time_s'].median():.2f} s, "
            f"max {table['solve_time_s'].max():.2f} s; max gap {table['gap'].max():.3f}"
        )
        print(
            f"  beneficial {int(table['beneficial'].eq(True).sum())}/{n}; final saving "
            f"{table['saving_eur_per_yr'].iloc[-1]:,.0f} EUR/yr; largest DN "
            f"{table['largest_dn_mm'].max()}; partners rather out at the end: "
            f"{table['partners_rather_out'].iloc[-1] or 'none'}"
        )
    inputs = sizing_inputs(district, district_demand(district, district_file=path))
    if not args.skip_minimum:
        start = time.perf_counter()
        family = ScaleFamily.of(inputs, "size", cheap)
        found = search(family.saving, np.geomspace(0.05, 2.0, args.points), tolerance=0.01)
        wall = time.perf_counter() - start
        n = len(family.points)
        print(
            f"minimum scale (size family): {n} sizings in {wall:.1f} s = {wall / n:.2f} s/point; "
            f"break-even {found.status} at factor {found.value:.4f} "
            f"(bracket {found.low:.4f}-{found.high:.4f}, tolerance {found.tolerance})"
        )
    if not args.skip_full:
        full = SizingOptions(n_typical_periods=12, mip_gap=0.01, time_limit_s=600.0)
        cheap_family = ScaleFamily.of(inputs, "size", cheap, connect="optimal")
        full_family = ScaleFamily.of(inputs, "size", full, connect="optimal")
        for value in (0.3, 1.0):
            start = time.perf_counter()
            c = cheap_family.evaluate(value)
            cheap_s = time.perf_counter() - start
            start = time.perf_counter()
            f = full_family.evaluate(value)
            full_s = time.perf_counter() - start
            err = (c["saving_eur_per_yr"] - f["saving_eur_per_yr"]) / f["reference_cost_eur_per_yr"]
            print(
                f"  factor {value}: saving cheap {c['saving_eur_per_yr']:,.0f} ({cheap_s:.1f} s) "
                f"vs full {f['saving_eur_per_yr']:,.0f} EUR/yr ({full_s:.1f} s); "
                f"difference {err:+.2%} of the reference cost; cost "
                f"{c['total_cost_eur_per_yr']:,.0f} vs {f['total_cost_eur_per_yr']:,.0f}"
            )


if __name__ == "__main__":
    main()
