"""The sizing stage: the district's sizing inputs -> optimal design -> ``DIR/sizing/``.

:func:`compute` solves the design (and the sensitivity re-solves, see
:mod:`tsg.sensitivity`) on the run context's sizing inputs (:mod:`tsg.sizing_inputs`);
:func:`write` writes ``design.json``, the cost tables, ``edges.csv`` (DN per trench), the
map and ``sensitivity.csv`` (see :mod:`tsg.run_layout`). ``tsg size`` and ``tsg run`` both
use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tsg import run_layout as layout
from tsg.design_loop import DesignLoop, size_with_simulation
from tsg.optimisation.sizing import SizingInputs, SizingOptions, SizingResult, time_steps
from tsg.outputs import write_json, write_table
from tsg.sensitivity import sensitivity_plan, sensitivity_table
from tsg.sizing_gis import design_layers, write_geojson, write_geopackage
from tsg.sizing_inputs import price_summary, source_xy_rd_new, unreached_nodes
from tsg.sizing_map import network_map
from tsg.stages.context import RunContext
from tsg.workbook import write_workbook

__all__ = ["DESIGN_ROUNDS", "SizingStageResult", "compute", "write"]

DESIGN_ROUNDS = 8
"""Most solves of the design with the annual simulation in the loop (:mod:`tsg.design_loop`)."""


@dataclass(frozen=True)
class SizingStageResult:
    """What the sizing stage produced.

    Attributes
    ----------
    inputs
        The sizing inputs the design was solved on.
    result
        The design, its reference case and their costs.
    sensitivity
        One row per re-solve with a changed parameter (empty when none ran).
    document
        ``design.json``: the result with the district id, the candidate network and the
        sensitivity note.
    plant_xy_m
        RD New coordinates of the plant sites offered [m] (for the map).
    loop
        The rounds of solve and simulation (the last one's simulated year is the
        verification of the design).
    """

    inputs: SizingInputs
    result: SizingResult
    sensitivity: pd.DataFrame
    document: dict
    plant_xy_m: dict[str, tuple[float, float]]
    sensitivity_ran: bool = False
    loop: DesignLoop | None = None


def _cost_tables(result: SizingResult, out_dir: Path) -> list[Path]:
    edges = pd.DataFrame(
        [{**e.__dict__, "built": e.built} for e in result.edges],
    )
    indexed = (
        (layout.COSTS_BY_COMPONENT, result.cost_by_component()),
        (layout.COSTS_BY_BUILDING, result.cost_by_building()),
        (layout.COSTS_BY_PARTNER, result.cost_by_partner()),
    )
    files = [write_table(f.under(out_dir), table, spec=f, index=True) for f, table in indexed]
    for spec, table in ((layout.COST_LINES, result.cost_table()), (layout.EDGES, edges)):
        files.append(write_table(spec.under(out_dir), table, spec=spec))
    return files


def compute(ctx: RunContext) -> SizingStageResult:
    """Solve the design of the context's district (and its sensitivity re-solves).

    Parameters
    ----------
    ctx
        The run context; ``ctx.settings.sizing_options`` (default :class:`SizingOptions`)
        and ``ctx.settings.sensitivity`` (``True``: always the sensitivity table, with the
        ranges of ``economics.sensitivity`` and x0.7 / x1.3 for the parameters it gives
        none for; ``"if_given"``: only when the district file has ``economics.sensitivity``;
        ``False``: never).

    Returns
    -------
    SizingStageResult

    Raises
    ------
    InputError
        No feasible design exists (the message names the cause).
    """
    district, progress = ctx.district, ctx.progress
    options = ctx.settings.sizing_options or SizingOptions()
    ranges, given, sensitivity_note = sensitivity_plan(district, ctx.settings.sensitivity)
    inputs = ctx.sizing_inputs
    with progress.step("time steps of the sizing model"):
        steps = time_steps(
            inputs, n_periods=options.n_typical_periods, period_hours=options.period_hours
        )
    loop = size_with_simulation(
        district,
        ctx.demand,
        inputs,
        steps,
        options=options,
        max_rounds=ctx.settings.design_rounds or DESIGN_ROUNDS,
        progress=progress,
    )
    sm, result, inputs = loop.model, loop.result, loop.inputs
    if not np.isfinite(result.design.cost_eur_per_yr):
        raise RuntimeError("non-finite design cost; this is a bug")
    progress.say(
        f"    design {result.design.cost_eur_per_yr:,.0f} EUR/yr"
        + (
            f" vs reference {result.reference.cost_eur_per_yr:,.0f} EUR/yr"
            if result.reference
            else ""
        )
        + f"; connected: {', '.join(result.connected_buildings) or 'none'}"
    )
    unreached = unreached_nodes(district, inputs)
    network_from = (
        "minimum spanning tree over all buildings and sources"
        if district.network.route.is_proposed
        else "route given in the district file (network.route)"
    )
    if unreached:
        progress.say(f"    not on the candidate network (cannot connect): {', '.join(unreached)}")
    table = pd.DataFrame()
    if ranges is not None:
        varied = [name for name, factors in ranges.items() if factors]
        n_cases = sum(len(f) for f in ranges.values())
        with progress.step(f"sensitivity: {n_cases} re-solves ({', '.join(varied)})"):
            table = sensitivity_table(sm, result, ranges=ranges, given=given)
    document = result.to_json_dict()
    document["district"] = district.id
    document["candidate_network"] = {"from": network_from, "not_reached": unreached}
    document["sensitivity_note"] = sensitivity_note
    document["prices"] = price_summary(district, inputs)
    document["simulation_loop"] = loop.to_json_dict()
    return SizingStageResult(
        inputs=inputs,
        result=result,
        sensitivity=table,
        document=document,
        plant_xy_m={
            p.node_id: source_xy_rd_new(district.sources, p.node_id) for p in inputs.plants
        },
        sensitivity_ran=ranges is not None,
        loop=loop,
    )


def write(stage: SizingStageResult, out_dir: Path) -> list[Path]:
    """Write ``out_dir/sizing/``: design, cost tables, edges, map, sensitivity table.

    Returns
    -------
    list of Path
        The files written.
    """
    files = [write_json(layout.DESIGN.under(out_dir), stage.document)]
    files += _cost_tables(stage.result, out_dir)
    if stage.sensitivity_ran:
        spec = layout.SENSITIVITY
        files.append(write_table(spec.under(out_dir), stage.sensitivity, spec=spec))
    tables = [f for f in files if f.suffix == ".csv"]
    files.append(write_workbook(layout.COSTS_XLSX.under(out_dir), tables))
    layers = design_layers(stage.result, stage.inputs, stage.plant_xy_m)
    files.append(write_geojson(layout.SIZING_GEOJSON.under(out_dir), layers))
    gpkg = write_geopackage(layout.SIZING_GPKG.under(out_dir), layers)
    files += [gpkg] if gpkg is not None else []
    map_path = layout.SIZING_MAP.under(out_dir)
    files.append(network_map(stage.result, stage.inputs, map_path, node_xy=stage.plant_xy_m))
    return files
