"""Pipeline stage: district + demand -> sizing inputs -> optimal design -> ``DIR/sizing/``.

Choices made here (the domain package :mod:`optimisation.sizing` takes them as inputs):

* candidate network: the minimum spanning tree over all buildings (existing and candidates)
  and all sources (:func:`grid.layout.propose_layout`, detour factor 1.2);
* ATES thermal power = well flow x cp x (warm well - cold well); owned by its partner;
* waste heat is free (price 0 EUR/MWh, assumption: the owner sells at no cost to be rid of
  it) up to its capacity and annual amount;
* every building's cooling supply is 16 degC (as in :mod:`tsg.simulation_inputs`), its
  reference heating a gas boiler;
* prices and the discount rate come from ``economics.yaml`` with the district's overrides;
* sensitivity: gas price, electricity price and all investments x 0.7 and x 1.3 (the district
  file has no field for ranges yet), each case re-solved on the same model.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from grid.layout import propose_layout, to_rd_new
from grid.pipe_catalogue import load_pipe_catalogue
from grid.water_flow import water_density_kg_per_m3
from optimisation.sizing import (
    AtesInput,
    BuildingInput,
    EdgeInput,
    HeatSourceInput,
    Prices,
    SizingInputs,
    SizingOptions,
    SizingResult,
    build_model,
    load_technologies,
    pipe_options,
    solve_and_extract,
    time_steps,
)
from optimisation.sizing.pipes import CP_WATER_KJ_PER_KG_K
from tsg.demand import DemandResult
from tsg.economics import resolved_economics
from tsg.outputs import write_csv, write_json
from tsg.progress import Progress
from tsg.schema import District
from tsg.sizing_map import network_map

__all__ = [
    "SENSITIVITY_FACTORS",
    "SizingStageResult",
    "run_sizing",
    "sensitivity_table",
    "sizing_inputs",
]

COOLING_SUPPLY_C = 16.0
"""Chilled-water supply temperature of every building [degC] (as tsg.simulation_inputs)."""

SENSITIVITY_FACTORS = (0.7, 1.3)
"""Default sensitivity range: -30 % and +30 % of the base value."""

_SENSITIVITY_PARAMETERS = {
    "gas_price": "gas_price_eur_per_m3",
    "elec_price": "electricity_price_eur_per_kwh",
    "capex_factor": "capex_factor",
}


@dataclass(frozen=True)
class SizingStageResult:
    """What the sizing stage produced: the inputs, the design, the sensitivity and files."""

    inputs: SizingInputs
    result: SizingResult
    sensitivity: pd.DataFrame
    files: tuple[Path, ...]


def sizing_inputs(district: District, demand: DemandResult) -> SizingInputs:
    """Translate a district and its demand into sizing inputs.

    Parameters
    ----------
    district
        Validated district.
    demand
        Its weather and hourly demand.

    Returns
    -------
    SizingInputs

    """
    econ = resolved_economics(district)
    tech = load_technologies().with_lifetimes(
        {k: v for k, v in econ["lifetimes_yr"].items() if k != "pipes"}
    )
    catalogue = load_pipe_catalogue()
    if "pipes" in econ["lifetimes_yr"]:
        catalogue = catalogue.assign(lifetime_yr=float(econ["lifetimes_yr"]["pipes"]))
    delta_t = district.network.warm_line_c - district.network.cold_line_c
    pipes = pipe_options(
        catalogue,
        delta_t_k=delta_t,
        max_velocity_m_per_s=tech.network.max_velocity_m_per_s,
        max_pressure_gradient_pa_per_m=tech.network.max_pressure_gradient_pa_per_m,
        cost_column=tech.network.pipe_cost_column,
        pipes_per_trench=tech.network.pipes_per_trench,
    )
    profiles = demand.profiles
    buildings = []
    for b in district.buildings:
        x, y = to_rd_new(b.location.latitude_deg, b.location.longitude_deg)
        buildings.append(
            BuildingInput(
                building_id=b.id,
                partner=b.partner,
                heat_kw=profiles[f"{b.id}.heat_kw"].to_numpy(dtype=float),
                dhw_kw=profiles[f"{b.id}.dhw_kw"].to_numpy(dtype=float),
                cool_kw=profiles[f"{b.id}.cool_kw"].to_numpy(dtype=float),
                x_m=x,
                y_m=y,
                heating_supply_c=b.heating_supply_c,
                dhw_supply_c=b.dhw_supply_c,
                cooling_supply_c=COOLING_SUPPLY_C,
            )
        )
    ates, sources = [], []
    for s in district.sources:
        x, y = to_rd_new(s.location.latitude_deg, s.location.longitude_deg)
        if s.type == "ates":
            mdot = s.max_flow_m3_per_h * water_density_kg_per_m3(s.cold_well_c) / 3600.0
            spread = max(s.warm_well_c - s.cold_well_c, 0.0)
            ates.append(
                AtesInput(
                    source_id=s.id,
                    partner=s.partner,
                    max_heat_kw=mdot * CP_WATER_KJ_PER_KG_K * spread,
                    balance_tolerance=s.thermal_balance_tolerance,
                    x_m=x,
                    y_m=y,
                )
            )
        else:
            sources.append(
                HeatSourceInput(
                    source_id=s.id,
                    partner=s.partner,
                    max_heat_kw=s.capacity_kw,
                    annual_max_mwh=s.annual_mwh,
                    price_eur_per_mwh=0.0,
                    x_m=x,
                    y_m=y,
                )
            )
    nodes = pd.DataFrame(
        [{"id": b.building_id, "x_m": b.x_m, "y_m": b.y_m} for b in buildings]
        + [{"id": s.source_id, "x_m": s.x_m, "y_m": s.y_m} for s in (*ates, *sources)]
    )
    edges = propose_layout(nodes) if len(nodes) > 1 else pd.DataFrame()
    return SizingInputs(
        buildings=tuple(buildings),
        edges=tuple(EdgeInput(r.from_id, r.to_id, float(r.length_m)) for r in edges.itertuples()),
        pipes=pipes,
        technologies=tech,
        prices=Prices(
            gas_price_eur_per_m3=float(econ["gas_price_eur_per_m3"]),
            electricity_price_eur_per_kwh=float(econ["electricity_price_eur_per_kwh"]),
            co2_price_eur_per_t=float(econ["co2_price_eur_per_t"]),
            gas_emission_kg_per_m3=float(econ["gas_emission_kg_per_m3"]),
            electricity_emission_kg_per_kwh=float(econ["electricity_emission_kg_per_kwh"]),
            discount_rate=float(econ["discount_rate"]),
        ),
        t_warm_c=district.network.warm_line_c,
        t_cold_c=district.network.cold_line_c,
        t_air_c=demand.weather["temp_air_c"].to_numpy(dtype=float),
        ates=tuple(ates),
        heat_sources=tuple(sources),
        time_index=profiles.index,
    )


def sensitivity_table(
    sm, base: SizingResult, *, factors: tuple[float, ...] = SENSITIVITY_FACTORS
) -> pd.DataFrame:
    """Re-solve the built model with each parameter scaled; one row per case.

    Parameters
    ----------
    sm
        The built :class:`optimisation.sizing.SizingModel` of the base case.
    base
        The base result.
    factors
        Multipliers of the base value.

    Returns
    -------
    pandas.DataFrame
        Columns ``parameter``, ``factor``, ``value``, ``total_cost_eur_per_yr``,
        ``reference_cost_eur_per_yr``, ``saving_eur_per_yr``, ``npv_eur``,
        ``n_connected``, ``connected``, ``trench_m``.

    """
    m = sm.model

    def row(parameter: str, factor: float, value: float, result: SizingResult) -> dict:
        ref = result.reference.cost_eur_per_yr if result.reference else float("nan")
        return {
            "parameter": parameter,
            "factor": factor,
            "value": value,
            "total_cost_eur_per_yr": result.design.cost_eur_per_yr,
            "reference_cost_eur_per_yr": ref,
            "saving_eur_per_yr": ref - result.design.cost_eur_per_yr,
            "npv_eur": result.npv_eur,
            "n_connected": len(result.connected_buildings),
            "connected": " ".join(result.connected_buildings),
            "trench_m": sum(e.length_m for e in result.edges if e.built),
        }

    rows = [row("base", 1.0, float("nan"), base)]
    for name, label in _SENSITIVITY_PARAMETERS.items():
        param = getattr(m, name)
        original = float(pyo.value(param))
        try:
            for factor in factors:
                param.set_value(original * factor)
                rows.append(row(label, factor, original * factor, solve_and_extract(sm)))
        finally:
            param.set_value(original)
    return pd.DataFrame(rows)


def _cost_tables(result: SizingResult, folder: Path) -> list[Path]:
    edges = pd.DataFrame(
        [{**e.__dict__, "built": e.built} for e in result.edges],
    )
    return [
        write_csv(folder / "costs_by_component.csv", result.cost_by_component()),
        write_csv(folder / "costs_by_building.csv", result.cost_by_building()),
        write_csv(folder / "costs_by_partner.csv", result.cost_by_partner()),
        write_csv(folder / "cost_lines.csv", result.cost_table(), index=False),
        write_csv(folder / "edges.csv", edges, index=False),
    ]


def run_sizing(
    district: District,
    demand: DemandResult,
    *,
    out_dir: Path,
    progress: Progress,
    options: SizingOptions | None = None,
    sensitivity: bool = True,
) -> SizingStageResult:
    """Size the district's grid and write ``out_dir/sizing/``.

    Files: ``design.json`` (the full result), ``costs_by_component.csv``,
    ``costs_by_building.csv``, ``costs_by_partner.csv``, ``cost_lines.csv``, ``edges.csv``
    (DN per trench, for the network simulation), ``network_map.png`` and ``sensitivity.csv``.

    Parameters
    ----------
    district
        Validated district.
    demand
        Its demand.
    out_dir
        Run folder; outputs go to ``out_dir / "sizing"``.
    progress
        Progress reporter.
    options
        Model switches (default :class:`optimisation.sizing.SizingOptions`).
    sensitivity
        Also write the sensitivity table (six extra solves).

    Returns
    -------
    SizingStageResult

    """
    options = options or SizingOptions()
    folder = out_dir / "sizing"
    with progress.step("sizing inputs and time steps"):
        inputs = sizing_inputs(district, demand)
        steps = time_steps(
            inputs, n_periods=options.n_typical_periods, period_hours=options.period_hours
        )
    with progress.step(f"building the sizing model ({steps.n_steps} time steps)"):
        sm = build_model(inputs, steps, options=options)
    with progress.step("solving the design and the reference case"):
        result = solve_and_extract(sm)
    progress.say(
        f"    design {result.design.cost_eur_per_yr:,.0f} EUR/yr"
        + (
            f" vs reference {result.reference.cost_eur_per_yr:,.0f} EUR/yr"
            if result.reference
            else ""
        )
        + f"; connected: {', '.join(result.connected_buildings) or 'none'}"
    )
    table = pd.DataFrame()
    if sensitivity:
        with progress.step("sensitivity (gas price, electricity price, investments x0.7/x1.3)"):
            table = sensitivity_table(sm, result)
    with progress.step(f"writing sizing outputs to {folder}"):
        doc = result.to_json_dict()
        doc["district"] = district.id
        doc["sensitivity_note"] = (
            "ranges are the defaults x0.7 and x1.3; the district file has no field for them yet"
        )
        files = [write_json(folder / "design.json", doc), *_cost_tables(result, folder)]
        if sensitivity:
            files.append(write_csv(folder / "sensitivity.csv", table, index=False))
        files.append(network_map(result, inputs, folder / "network_map.png"))
    if not np.isfinite(result.design.cost_eur_per_yr):
        raise RuntimeError("non-finite design cost; this is a bug")
    return SizingStageResult(inputs=inputs, result=result, sensitivity=table, files=tuple(files))
