"""The replay stage: a historical decision against the design, and the thresholds that flip it.

A district file with a ``replay`` section names who was connected and who was left out at the
time. :func:`compute` compares that with the sizing stage's design (building by building) and,
when the section asks for ``thresholds``, searches per building and parameter the factor that
flips its connection (:mod:`tsg.optimisation.sizing.thresholds`) with cheap re-solves (the
section's typical days and MIP gap, on the sizing stage's inputs). :func:`write` writes
``sizing/replay.json`` and ``sizing/thresholds.csv`` (:mod:`tsg.run_layout`). Without the
section the stage is a no-op.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tsg import run_layout as layout
from tsg.optimisation.sizing import SizingInputs, SizingOptions
from tsg.optimisation.sizing.thresholds import Threshold, ThresholdSearch
from tsg.outputs import write_json, write_table
from tsg.stages.context import RunContext

__all__ = ["ReplayResult", "compute", "threshold_rows", "verdict", "write"]

CONNECTED, NOT_CONNECTED = "connected", "not connected"

#: Unit of each parameter's base and threshold value.
UNITS = {"pipe_cost": "EUR/m", "gas_price": "EUR/m3", "demand": "MWh/yr"}


@dataclass(frozen=True)
class ReplayResult:
    """The verdict (``sizing/replay.json``) and the thresholds (``sizing/thresholds.csv``)."""

    document: dict[str, Any]
    thresholds: pd.DataFrame | None = None
    ran: bool = False


def verdict(
    connected: list[str], not_connected: list[str], optimiser: frozenset[str] | set[str]
) -> dict[str, Any]:
    """Compare a historical decision with the optimiser's, building by building.

    Parameters
    ----------
    connected, not_connected
        Buildings connected and left out at the time.
    optimiser
        Buildings the optimiser connects.

    Returns
    -------
    dict
        ``buildings`` (one row each: ``building_id``, ``historical``, ``optimiser``,
        ``match``), ``matches``, ``buildings_compared`` and ``reproduced`` (all match).
    """
    rows = []
    for bid, historical in [(b, CONNECTED) for b in connected] + [
        (b, NOT_CONNECTED) for b in not_connected
    ]:
        ours = CONNECTED if bid in optimiser else NOT_CONNECTED
        rows.append(
            {
                "building_id": bid,
                "historical": historical,
                "optimiser": ours,
                "match": ours == historical,
            }
        )
    matches = sum(r["match"] for r in rows)
    return {
        "buildings": rows,
        "matches": matches,
        "buildings_compared": len(rows),
        "reproduced": matches == len(rows),
    }


def _base_values(inputs: SizingInputs) -> dict[tuple[str, str], float]:
    """Return the base value of each parameter (smallest pipe [EUR/m], gas price, demand)."""
    values: dict[tuple[str, str], float] = {
        # at the price year's technology costs (the catalogue's times the year's index)
        ("pipe_cost", ""): inputs.prices.technology_cost_index
        * min(p.cost_eur_per_m for p in inputs.pipes),
        ("gas_price", ""): inputs.prices.gas_price_eur_per_m3,
    }
    for b in inputs.buildings:
        total = float(np.sum(b.heat_kw) + np.sum(b.dhw_kw) + np.sum(b.cool_kw)) / 1000.0
        values[("demand", b.building_id)] = total
    return values


def threshold_rows(found: list[Threshold], inputs: SizingInputs) -> pd.DataFrame:
    """Return the thresholds as the table of ``sizing/thresholds.csv``.

    ``base_value`` is the smallest pipe's cost per metre (``pipe_cost``), the gas price of the
    first tax bracket (``gas_price``) or the building's heat, hot water and cold per year
    (``demand``); ``threshold_value`` is it times the threshold factor.
    """
    values = _base_values(inputs)
    rows = []
    for t in found:
        base = values[(t.parameter, t.building_id if t.parameter == "demand" else "")]
        rows.append(
            {
                "building_id": t.building_id,
                "parameter": t.parameter,
                "base_decision": CONNECTED if t.base_connected else NOT_CONNECTED,
                "threshold_factor": t.threshold_factor,
                "flips_to": t.flips_to,
                "bracket_low": t.bracket_low,
                "bracket_high": t.bracket_high,
                "searched_to": t.searched_to,
                "base_value": base,
                "threshold_value": base * t.threshold_factor,
                "unit": UNITS[t.parameter],
                "solves": t.solves,
                "note": t.note,
            }
        )
    return pd.DataFrame(rows, columns=list(layout.THRESHOLD_COLUMNS))


def compute(ctx: RunContext) -> ReplayResult:
    """Compare the district file's historical decision with the design; search thresholds.

    Returns
    -------
    ReplayResult
        Empty (``ran`` False) when the district file has no ``replay`` section.
    """
    spec = ctx.district.replay
    if spec is None:
        return ReplayResult({})
    sizing = ctx.results["sizing"]
    decision = spec.decision
    design = set(sizing.result.connected_buildings)
    solve = sizing.result.solve
    document: dict[str, Any] = {
        "district": ctx.district.id,
        "decided_on": spec.decided_on,
        "source": spec.source,
        "design": verdict(decision.connected, decision.not_connected, design),
        # a connection worth less to the grid than this may go either way in the design
        "design_solver_gap_eur_per_yr": solve.objective_eur_per_yr - solve.bound_eur_per_yr,
        "design_settings": sizing.result.options,
    }
    own = sizing.result.cost_by_building()["saving_before_shared_eur_per_yr"]
    for row in document["design"]["buildings"]:
        row["own_saving_eur_per_yr"] = float(own.get(row["building_id"], float("nan")))
    table = None
    if spec.thresholds is not None:
        th = spec.thresholds
        base_options = ctx.settings.sizing_options or SizingOptions()
        options = replace(base_options, n_typical_periods=th.typical_periods, mip_gap=th.mip_gap)
        buildings = [*decision.connected, *decision.not_connected]
        start = time.perf_counter()
        with ctx.progress.step(
            f"replay thresholds: {len(buildings)} buildings x {len(th.parameters)} parameters, "
            f"factors {th.low_factor:g}-{th.high_factor:g}, {th.typical_periods} typical days"
        ):
            search = ThresholdSearch(sizing.inputs, options)
            found = search.table(
                buildings,
                th.parameters,
                low_factor=th.low_factor,
                high_factor=th.high_factor,
                max_solves=th.max_solves,
            )
        table = threshold_rows(found, sizing.inputs)
        document["threshold_model"] = verdict(
            decision.connected, decision.not_connected, search.base_connected
        )
        document["threshold_search"] = {
            "parameters": list(th.parameters),
            "range": [th.low_factor, th.high_factor],
            "max_solves": th.max_solves,
            "typical_periods": th.typical_periods,
            "mip_gap": th.mip_gap,
            "solves": search.n_solves,
            "wall_time_s": round(time.perf_counter() - start, 1),
            "method": "log bisection between factor 1 and the end of the range that works "
            "against the base decision; assumes the decision is monotone in the factor",
        }
    return ReplayResult(document, table, ran=True)


def write(result: ReplayResult, out_dir: Path) -> list[Path]:
    """Write ``sizing/replay.json`` and ``sizing/thresholds.csv`` (nothing when none ran)."""
    if not result.ran:
        return []
    files = [write_json(layout.REPLAY.under(out_dir), result.document)]
    if result.thresholds is not None:
        spec = layout.THRESHOLDS
        files.append(write_table(spec.under(out_dir), result.thresholds, spec=spec))
    return files
