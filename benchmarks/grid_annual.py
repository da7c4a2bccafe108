"""Benchmark: annual ambient-loop simulation, reuse of identical hours vs plain per-hour runs.

Usage: python benchmarks/grid_annual.py [--hours N] [--buildings B] [--resolution KW]

Builds a line-and-branch network with B buildings (half mostly heating, half mostly
cooling), a synthetic hourly profile (seasonal sine + daily shape + noise), and runs
``grid.annual.simulate_hours`` three ways: plain (every hour solved), exact reuse (identical
hours solved once) and reuse after rounding loads to ``--resolution`` kW. Prints wall times,
the number of pandapipes solves and the largest difference of the balancing-unit load and
of the soil exchange against the plain run.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from grid.annual import simulate_hours
from grid.network import LoopSpec, build_network


def make_case(n_buildings: int, hours: int, seed: int = 1):
    rng = np.random.default_rng(seed)
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
    season = np.cos(2 * np.pi * t / 8760)  # +1 in January
    day = np.clip(np.sin(2 * np.pi * (t % 24 - 6) / 24), 0, None)
    cols = {}
    for i, b in enumerate(ids):
        if i % 2 == 0:
            q = 60 * np.clip(season, 0, None) + 15 * day + 5
        else:
            q = -(50 * np.clip(-season, 0, None) + 30 * day + 10)
        cols[b] = np.round(q + rng.normal(0, 2, hours), 3)
    loads = pd.DataFrame(cols)
    soil = pd.Series(10 + 4 * np.cos(2 * np.pi * (t - 800) / 8760), index=loads.index).round(1)
    return net, loads, soil


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hours", type=int, default=168)
    ap.add_argument("--buildings", type=int, default=10)
    ap.add_argument("--resolution", type=float, default=2.0)
    args = ap.parse_args()
    net, loads, soil = make_case(args.buildings, args.hours)
    runs = {}
    for name, kw in [
        ("plain", {"reuse_identical_hours": False}),
        ("reuse exact", {}),
        (f"reuse {args.resolution} kW", {"load_resolution_kw": args.resolution}),
    ]:
        t0 = time.perf_counter()
        out = simulate_hours(net, building_heat_kw=loads, t_soil_c=soil, **kw)
        dt = time.perf_counter() - t0
        runs[name] = out
        solves = int((~out.reused).sum())
        print(
            f"{name:>16}: {dt:7.2f} s, {solves} solves, {dt / len(out) * 1000:6.1f} ms/hour, "
            f"converged {int(out.converged.sum())}/{len(out)}, "
            f"max |residual| {out.energy_residual_rel.max():.2e}"
        )
    ref = runs["plain"]
    for name, out in runs.items():
        if name == "plain":
            continue
        d_bu = (out.balancing_heat_kw - ref.balancing_heat_kw).abs().max()
        d_soil = (out.soil_gain_kw - ref.soil_gain_kw).abs().max()
        e_bu = abs(out.balancing_heat_kw.sum() - ref.balancing_heat_kw.sum())
        print(
            f"{name:>16}: max |dQ_balancing| {d_bu:.4f} kW, max |dQ_soil| {d_soil:.4f} kW, "
            f"|d annual balancing energy| {e_bu:.3f} kWh of "
            f"{ref.balancing_heat_kw.abs().sum():.0f} kWh"
        )


if __name__ == "__main__":
    main()
