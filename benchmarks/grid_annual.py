"""Benchmark: annual ambient-loop simulation, fast tree solver vs plain per-hour pandapipes.

Usage::

    python benchmarks/grid_annual.py                # reference district + synthetic 200
    python benchmarks/grid_annual.py --sample 8760  # plain pandapipes on every hour (~15 min)
    python benchmarks/grid_annual.py --reuse-demo   # the older reuse-of-identical-hours demo

1. **Reference district** (Hart van Zuid, existing buildings + ATES): demand
   (``tsg.demand.district_demand``), substations, MST layout, pipe sizes by rule and soil
   temperature (``tsg.simulation_inputs.network_inputs``). The fast solver
   (``grid.fast_annual.simulate_year``) runs the full year. Plain pandapipes
   (``grid.hydraulics.solve_hour`` hour by hour, the model's reference implementation) runs
   on a stratified sample of ``--sample`` hours (evenly spread over the year); its full-year
   wall time is extrapolated from the sample, and every deviation compares the *same* hours.
2. **Synthetic district** with ``--buildings`` buildings (``tsg.synthetic``): demand, inputs
   and a full year with the fast solver in a child process; wall time and peak memory
   (``resource.getrusage(RUSAGE_SELF).ru_maxrss`` of the child).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from tsg.grid.annual import simulate_hours
from tsg.grid.fast_annual import simulate_year
from tsg.grid.network import LoopSpec, build_network


def reference_case(sample: int) -> None:
    """Fast full year vs plain per-hour pandapipes on the Hart van Zuid district."""
    from tsg.demand import district_demand
    from tsg.district import built_in_district_path, load_district
    from tsg.simulation_inputs import network_inputs

    path = built_in_district_path()
    district = load_district(path)
    demand = district_demand(district, district_file=path)
    inputs = network_inputs(district, demand)
    net = build_network(
        edges=inputs.edges,
        building_ids=inputs.building_ids,
        balancing_id=inputs.balancing_id,
        loop=inputs.loop,
    )
    n = len(inputs.loads_kw)
    print(f"reference district: {len(inputs.building_ids)} buildings, {len(inputs.edges)} trenches")
    t0 = time.perf_counter()
    fast = simulate_year(net, building_heat_kw=inputs.loads_kw, t_soil_c=inputs.t_soil_c)
    t_fast = time.perf_counter() - t0
    print(
        f"  fast solver, full year ({n} h): {t_fast:.2f} s; valid {int(fast.valid.sum())}, "
        f"solvers {fast.hours.solver.value_counts().to_dict()}"
    )
    hours = np.unique(np.linspace(0, n - 1, min(sample, n)).round().astype(int))
    loads = inputs.loads_kw.iloc[hours]
    soil = inputs.t_soil_c.iloc[hours]
    t0 = time.perf_counter()
    plain = simulate_year(net, building_heat_kw=loads, t_soil_c=soil, force_pandapipes=True)
    t_plain = time.perf_counter() - t0
    t_plain_year = t_plain * n / len(hours)
    note = "measured" if len(hours) == n else f"extrapolated from {len(hours)} sampled hours"
    print(
        f"  plain per-hour pandapipes: {t_plain:.1f} s for {len(hours)} h -> {t_plain_year:.0f} s "
        f"for the year ({note})"
    )
    print(f"  speed-up: {t_plain_year / t_fast:.0f}x")
    both = fast.valid[hours] & plain.valid
    print(
        f"  compared hours (valid in both): {int(both.sum())} of {len(hours)}; valid fast "
        f"{int(fast.valid[hours].sum())}, valid plain {int(plain.valid.sum())}; plain reasons "
        f"{plain.hours.reason[~plain.valid].str[:70].value_counts().to_dict()}"
    )
    tf, tp = fast.t_node_c[hours][both], plain.t_node_c[both]
    mismatch = int((np.isnan(tf) != np.isnan(tp)).sum())
    d_t = float(np.nanmax(np.abs(tf - tp)))
    print(f"  max |dT| node temperatures: {d_t:.4f} K (flow/no-flow mismatches: {mismatch})")
    for col, label in (("pump_elec_kw", "pump energy"), ("balancing_heat_kw", "balancing load")):
        f = fast.hours[col].to_numpy()[hours][both]
        p = plain.hours[col].to_numpy()[both]
        rel = abs(f.sum() - p.sum()) / abs(p.sum())
        gross = np.abs(p).sum()
        print(
            f"  {label}: sampled-hours total fast {f.sum():.2f} vs plain {p.sum():.2f} kWh "
            f"(rel. diff {100 * rel:.4f} %); sum |hourly diff| / sum |plain| "
            f"{100 * np.abs(f - p).sum() / gross:.4f} %"
        )
    print(
        f"  annual (fast, full year): pump energy {fast.hours.pump_elec_kw.sum() / 1000:.2f} MWh, "
        f"balancing heat to loop {fast.hours.balancing_heat_kw.clip(lower=0).sum() / 1000:.0f} "
        f"MWh, from loop {-fast.hours.balancing_heat_kw.clip(upper=0).sum() / 1000:.0f} MWh"
    )


def synthetic_child(n_buildings: int) -> None:
    """Run in a child process: demand + inputs + full year; print a JSON line."""
    from tsg.demand import district_demand
    from tsg.schema import District
    from tsg.simulation_inputs import network_inputs
    from tsg.synthetic import synthetic_district_document

    t0 = time.perf_counter()
    district = District.model_validate(synthetic_district_document(n_buildings=n_buildings))
    demand = district_demand(district, district_file=Path("synthetic.yaml"))
    inputs = network_inputs(district, demand)
    net = build_network(
        edges=inputs.edges,
        building_ids=inputs.building_ids,
        balancing_id=inputs.balancing_id,
        loop=inputs.loop,
    )
    t1 = time.perf_counter()
    year = simulate_year(net, building_heat_kw=inputs.loads_kw, t_soil_c=inputs.t_soil_c)
    t2 = time.perf_counter()
    print(
        json.dumps(
            {
                "buildings": len(inputs.building_ids),
                "prepare_s": t1 - t0,
                "simulate_s": t2 - t1,
                "valid_hours": int(year.valid.sum()),
                "solvers": {str(k): int(v) for k, v in year.hours.solver.value_counts().items()},
                "reasons": {
                    str(k)[:80]: int(v) for k, v in year.hours.reason.value_counts().items() if k
                },
                "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def synthetic_case(n_buildings: int) -> None:
    """Full year of a synthetic district in a child process (time and peak memory)."""
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--synthetic-child", str(n_buildings)],
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - t0
    res = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"synthetic district, {res['buildings']} buildings (child process):")
    print(
        f"  demand + network inputs {res['prepare_s']:.1f} s, full-year simulation "
        f"{res['simulate_s']:.1f} s, child wall time {wall:.1f} s; "
        f"peak memory {res['max_rss_mib']:.0f} MiB"
    )
    print(f"  valid hours {res['valid_hours']}, solvers {res['solvers']}, flagged {res['reasons']}")


def reuse_demo(hours: int, n_buildings: int, resolution: float) -> None:
    """The older demo: reuse of identical hours in per-hour pandapipes runs."""
    rng = np.random.default_rng(1)
    ids = [f"b{i}" for i in range(n_buildings)]
    edges = [{"from_id": "ates", "to_id": "j0", "length_m": 150.0, "dn_mm": 225}]
    for i, b in enumerate(ids):
        j = f"j{i // 2}"
        if i % 2 == 0 and i > 0:
            edges.append({"from_id": f"j{i // 2 - 1}", "to_id": j, "length_m": 100.0, "dn_mm": 160})
        edges.append({"from_id": j, "to_id": b, "length_m": 40.0, "dn_mm": 90})
    net = build_network(
        edges=pd.DataFrame(edges), building_ids=ids, balancing_id="ates", loop=LoopSpec()
    )
    t = np.arange(hours)
    season = np.cos(2 * np.pi * t / 8760)
    day = np.clip(np.sin(2 * np.pi * (t % 24 - 6) / 24), 0, None)
    cols = {}
    for i, b in enumerate(ids):
        q = 60 * np.clip(season, 0, None) + 15 * day + 5 if i % 2 == 0 else -(30 * day + 10)
        cols[b] = np.round(q + rng.normal(0, 2, hours), 3)
    loads = pd.DataFrame(cols)
    for name, kw in [
        ("plain", {"reuse_identical_hours": False}),
        (f"reuse {resolution} kW", {"load_resolution_kw": resolution}),
    ]:
        t0 = time.perf_counter()
        out = simulate_hours(net, building_heat_kw=loads, t_soil_c=10.0, **kw)
        print(f"{name:>16}: {time.perf_counter() - t0:7.2f} s, {int((~out.reused).sum())} solves")


def main() -> None:
    """Parse arguments and run the benchmarks."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=300, help="hours for plain pandapipes")
    ap.add_argument("--buildings", type=int, default=200, help="synthetic district size")
    ap.add_argument("--skip-synthetic", action="store_true")
    ap.add_argument("--synthetic-child", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--reuse-demo", action="store_true")
    args = ap.parse_args()
    if args.synthetic_child is not None:
        synthetic_child(args.synthetic_child)
        return
    if args.reuse_demo:
        reuse_demo(168, 10, 2.0)
        return
    reference_case(args.sample)
    if not args.skip_synthetic:
        synthetic_case(args.buildings)


if __name__ == "__main__":
    main()
