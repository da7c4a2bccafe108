"""Benchmark: the design with its annual simulation in the loop (issue 12).

Usage: python benchmarks/design_loop.py [--district hvz|synthetic|both] [--buildings N]
[--max-rounds N] [--periods N] [--verbose]

For each district (the reference district Hart van Zuid and / or a synthetic district of
``--buildings`` buildings with an ATES doublet added at its centre): prepares the demand and
the sizing inputs (timed, not counted), then runs
:func:`tsg.design_loop.size_with_simulation` as the sizing stage does (time steps with the
stage's options, at most ``--max-rounds`` rounds, default the stage's ``DESIGN_ROUNDS``).
Prints a table per round (cost, how the design was solved -- ``mip`` or ``repaired`` --, solve,
certifying-solve, simulate and full-year-operation wall time, the dispatch
the round's simulated year ran, violated hours of velocity,
pressure gradient and building pump head, other violated hours, cuts), the total wall time,
whether the design is buildable as is and why the loop stopped. Baseline in the same process:
one plain solve without the loop (``build_model`` + ``solve_and_extract``, incl. the reference
case as round 1 does), and the ratio loop / plain. Target: the Hart van Zuid design
including the loop (time steps + every round) under 2 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from tsg.demand import DemandResult, district_demand
from tsg.design_loop import LOOP_CHECKS, DesignLoop, size_with_simulation
from tsg.district import built_in_district_path, load_district
from tsg.optimisation.sizing import SizingOptions, build_model, solve_and_extract, time_steps
from tsg.progress import Progress
from tsg.schema import District
from tsg.sizing_inputs import sizing_inputs
from tsg.stages.sizing import DESIGN_ROUNDS
from tsg.synthetic import synthetic_district_document

#: Target wall time of the Hart van Zuid design including the loop [s].
TARGET_S = 120.0


@dataclass(frozen=True)
class CaseResult:
    """Measured numbers of one district.

    Attributes
    ----------
    name
        District label.
    prepare_s
        Demand + sizing inputs [s] (not counted).
    design_s
        Time steps + the whole loop [s].
    plain_s
        One plain build + solve without the loop [s].
    loop
        The loop's outcome.
    """

    name: str
    prepare_s: float
    design_s: float
    plain_s: float
    loop: DesignLoop


def synthetic_district(n_buildings: int, folder: Path) -> tuple[District, Path]:
    """Write a synthetic district with an ATES doublet at its centre and load it.

    Parameters
    ----------
    n_buildings
        Number of buildings.
    folder
        Where to write ``district.yaml``.

    Returns
    -------
    tuple of District and Path
        The loaded district and its file.
    """
    doc = synthetic_district_document(n_buildings=n_buildings, seed=1, n_partners=4)
    lats = [float(b["location"]["latitude_deg"]) for b in doc["buildings"]]
    lons = [float(b["location"]["longitude_deg"]) for b in doc["buildings"]]
    doc["sources"] = [
        {
            "type": "ates",
            "id": "ates",
            "name": "ATES",
            "partner": doc["partners"][0]["id"],
            "location": {
                "latitude_deg": sum(lats) / len(lats) + 0.0002,
                "longitude_deg": sum(lons) / len(lons) + 0.0002,
            },
            "max_flow_m3_per_h": 250,
            "warm_well_c": 16.0,
            "cold_well_c": 9.0,
        }
    ]
    path = folder / "district.yaml"
    path.write_text(yaml.safe_dump(json.loads(json.dumps(doc, default=float))), encoding="utf-8")
    return load_district(path), path


def run_case(
    name: str,
    district: District,
    path: Path,
    *,
    options: SizingOptions,
    max_rounds: int,
    progress: Progress,
) -> CaseResult:
    """Time demand + inputs, the design loop and one plain solve of a district.

    Parameters
    ----------
    name
        District label for the output.
    district, path
        The district and its file.
    options
        Sizing options (as the stage uses them).
    max_rounds
        Most rounds of the loop.
    progress
        Progress reporter of the loop (standard error).

    Returns
    -------
    CaseResult
    """
    start = time.perf_counter()
    demand: DemandResult = district_demand(district, district_file=path)
    inputs = sizing_inputs(district, demand)
    prepare_s = time.perf_counter() - start

    start = time.perf_counter()
    steps = time_steps(
        inputs, n_periods=options.n_typical_periods, period_hours=options.period_hours
    )
    loop = size_with_simulation(
        district,
        demand,
        inputs,
        steps,
        options=options,
        max_rounds=max_rounds,
        progress=progress,
    )
    design_s = time.perf_counter() - start

    start = time.perf_counter()
    plain_steps = time_steps(
        inputs, n_periods=options.n_typical_periods, period_hours=options.period_hours
    )
    solve_and_extract(build_model(inputs, plain_steps, options=options))
    plain_s = time.perf_counter() - start
    return CaseResult(name, prepare_s, design_s, plain_s, loop)


def report(case: CaseResult) -> None:
    """Print the round table and the totals of one district.

    Parameters
    ----------
    case
        The measured district.
    """
    loop = case.loop
    print(f"{case.name}: demand + sizing inputs {case.prepare_s:.1f} s (not counted)")
    header = [
        "round",
        "cost EUR/yr",
        "solve",
        "solve s",
        "certify s",
        "simulate s",
        "operate s",
        "dispatch",
        *LOOP_CHECKS,
        "other",
        "cuts",
    ]
    print("  " + " | ".join(header))
    for r in loop.rounds:
        other = sum(v for k, v in r.violations.items() if k not in LOOP_CHECKS)
        cells = [
            f"{r.round:5d}",
            f"{r.cost_eur_per_yr:11,.0f}",
            f"{r.solve_kind:>8s}",
            f"{r.solve_time_s:7.1f}",
            f"{r.certify_time_s:9.1f}",
            f"{r.simulate_time_s:10.1f}",
            f"{r.operate_time_s:9.1f}",
            f"{r.dispatch:>12s}",
            *(f"{r.violations.get(k, 0):{len(k)},d}" for k in LOOP_CHECKS),
            f"{other:5,d}",
            f"{len(r.cuts):4d}",
        ]
        print("  " + " | ".join(cells))
    solve = sum(r.solve_time_s for r in loop.rounds)
    simulate = sum(r.simulate_time_s for r in loop.rounds)
    operate = sum(r.operate_time_s for r in loop.rounds)
    certify = sum(r.certify_time_s for r in loop.rounds)
    n = len(loop.rounds)
    print(
        f"  total (time steps + loop) {case.design_s:.1f} s over {n} round(s): solve "
        f"{solve:.1f} s, certifying full solve {certify:.1f} s, simulate {simulate:.1f} s, "
        f"full-year operation and its simulation {operate:.1f} s, "
        f"{case.design_s / n:.1f} s per round"
    )
    print(f"  buildable as is: {loop.buildable}; stop reason: {loop.stop_reason}")
    if loop.rounds[-1].unresolved:
        for u in loop.rounds[-1].unresolved:
            print(f"    unresolved: {u.__dict__}")
    print(
        f"  baseline: one plain solve (time steps + build + solve, no simulation) "
        f"{case.plain_s:.1f} s; ratio loop / plain {case.design_s / case.plain_s:.1f}"
    )


def main() -> None:
    """Run the benchmark."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--district", choices=("hvz", "synthetic", "both"), default="both")
    ap.add_argument("--buildings", type=int, default=50, help="synthetic district size")
    ap.add_argument("--max-rounds", type=int, default=DESIGN_ROUNDS)
    ap.add_argument("--periods", type=int, default=SizingOptions().n_typical_periods)
    ap.add_argument("--verbose", action="store_true", help="the loop's progress to stderr")
    args = ap.parse_args()
    options = SizingOptions(n_typical_periods=args.periods)
    progress = Progress(quiet=not args.verbose)
    print(
        f"design loop: {args.periods} typical periods x {options.period_hours} h, at most "
        f"{args.max_rounds} rounds; {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f}"
    )

    if args.district in ("hvz", "both"):
        path = built_in_district_path()
        case = run_case(
            "Hart van Zuid",
            load_district(path),
            path,
            options=options,
            max_rounds=args.max_rounds,
            progress=progress,
        )
        report(case)
        met = "met" if case.design_s < TARGET_S else "NOT met"
        print(
            f"  target: Hart van Zuid design incl. the loop < {TARGET_S:.0f} s: {met} "
            f"({case.design_s:.1f} s)"
        )
    if args.district in ("synthetic", "both"):
        with tempfile.TemporaryDirectory() as folder:
            district, path = synthetic_district(args.buildings, Path(folder))
            case = run_case(
                f"synthetic, {args.buildings} buildings",
                district,
                path,
                options=options,
                max_rounds=args.max_rounds,
                progress=progress,
            )
        report(case)


if __name__ == "__main__":
    main()
