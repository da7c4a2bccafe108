"""Read a solved sizing model into the typed result (:mod:`optimisation.sizing.result`)."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from tsg.optimisation.sizing.model import SizingModel
from tsg.optimisation.sizing.pipes import CP_WATER_KJ_PER_KG_K
from tsg.optimisation.sizing.result import BuildingDesign, CostLine, EdgeDesign, PlantDesign
from tsg.optimisation.sizing.soil_block import soil_gain_kw

__all__ = [
    "building_designs",
    "cost_lines",
    "edge_designs",
    "plant_designs",
    "soil_gain_mwh_per_yr",
    "values",
]


def values(var, shape: tuple[int, ...]) -> np.ndarray:
    """Values of an indexed variable as an array (None -> 0)."""
    out = np.zeros(shape)
    for index, v in var.items():
        out[index] = v.value or 0.0
    return out


def cost_lines(sm: SizingModel) -> tuple[CostLine, ...]:
    """Evaluate every cost item at the loaded solution.

    Parameters
    ----------
    sm
        A solved model (values loaded).

    Returns
    -------
    tuple[CostLine, ...]
        One line per item; their totals sum to the objective.

    """
    m = sm.model
    prices = sm.inputs.prices
    factor = float(pyo.value(m.capex_factor))
    elec_price = float(pyo.value(m.elec_price))
    gas_price = float(pyo.value(m.gas_price))
    co2_price = float(pyo.value(m.co2_price))
    lines = []
    for i, key in enumerate(sm.cost_items):
        elec = float(pyo.value(m.elec_kwh[i]))
        gas = float(pyo.value(m.gas_m3[i]))
        co2_t = (
            elec * prices.electricity_emission_kg_per_kwh
            + gas * prices.gas_emission_kg_per_m3
            + float(pyo.value(m.bought_co2_kg[i]))
        ) / 1000.0
        lines.append(
            CostLine(
                owner=key.owner,
                item=key.item,
                partner=key.partner,
                building=key.building,
                service=key.service,
                investment_eur=factor * float(pyo.value(m.investment_eur[i])),
                annuity_eur_per_yr=factor * float(pyo.value(m.annuity_eur[i])),
                om_eur_per_yr=factor * float(pyo.value(m.om_eur[i])),
                energy_eur_per_yr=elec * elec_price * float(pyo.value(m.elec_factor[i]))
                + gas * gas_price * float(pyo.value(m.gas_factor[i])),
                co2_eur_per_yr=co2_t * co2_price,
                purchase_eur_per_yr=float(pyo.value(m.bought_eur[i])),
                electricity_kwh_per_yr=elec,
                gas_m3_per_yr=gas,
                co2_t_per_yr=co2_t,
            )
        )
    return tuple(lines)


def building_designs(
    sm: SizingModel,
    lines: tuple[CostLine, ...],
    reference_lines: tuple[CostLine, ...],
) -> tuple[BuildingDesign, ...]:
    """Per-building design at the loaded solution.

    Parameters
    ----------
    sm
        Solved model.
    lines
        Cost lines of this solution.
    reference_lines
        Cost lines of the reference case (empty: reference costs NaN).

    Returns
    -------
    tuple[BuildingDesign, ...]

    """
    m, steps = sm.model, sm.steps
    nb, nt = len(sm.inputs.buildings), steps.n_steps
    w = steps.weights_h
    q_nh = values(m.q_nh, (nb, nt))
    q_nc = values(m.q_nc, (nb, nt))
    loop_h = 1.0 - sm.coef.loop_heat_elec_per_kwh
    loop_c = 1.0 + sm.coef.loop_cool_elec_per_kwh
    out = []
    for b, bld in enumerate(sm.inputs.buildings):
        bid = bld.building_id
        own = sum(c.total_eur_per_yr for c in lines if c.building and c.owner == bid)
        ref = [c.total_eur_per_yr for c in reference_lines if c.building and c.owner == bid]
        out.append(
            BuildingDesign(
                building_id=bid,
                partner=bld.partner,
                connected=bool(round(m.y[b].value or 0.0)),
                heat_pump_kw=float(m.cap_hp[b].value or 0.0),
                network_cooling_kw=float(m.cap_nc[b].value or 0.0),
                reference_heating=bld.reference_heating,
                reference_heating_kw=float(m.cap_rh[b].value or 0.0),
                reference_cooling_kw=float(m.cap_rc[b].value or 0.0),
                heat_demand_mwh_per_yr=float(np.sum(w * steps.total_heat_kw[b])) / 1000.0,
                cool_demand_mwh_per_yr=float(np.sum(w * steps.cool_kw[b])) / 1000.0,
                heat_from_grid_mwh_per_yr=float(np.sum(w * q_nh[b])) / 1000.0,
                cold_from_grid_mwh_per_yr=float(np.sum(w * q_nc[b])) / 1000.0,
                loop_extraction_mwh_per_yr=float(np.sum(w * q_nh[b] * loop_h[b])) / 1000.0,
                loop_injection_mwh_per_yr=float(np.sum(w * q_nc[b]) * loop_c[b]) / 1000.0,
                cost_eur_per_yr=float(own),
                reference_cost_eur_per_yr=float(sum(ref)) if ref else float("nan"),
            )
        )
    return tuple(out)


def edge_designs(sm: SizingModel) -> tuple[EdgeDesign, ...]:
    """Chosen pipe size and peak flow of every candidate trench."""
    m, inputs = sm.model, sm.inputs
    to_mdot = 1.0 / (CP_WATER_KJ_PER_KG_K * inputs.delta_t_k)
    out = []
    for k, edge in enumerate(inputs.edges):
        chosen = [d for d in sm.edge_options[k] if (m.x[k, d].value or 0.0) > 0.5]
        flows = np.array([m.f[k, t].value or 0.0 for t in range(sm.steps.n_steps)])
        peak = float(np.max(np.abs(flows), initial=0.0))
        pipe = inputs.pipes[chosen[0]] if chosen else None
        out.append(
            EdgeDesign(
                from_id=edge.from_id,
                to_id=edge.to_id,
                length_m=edge.length_m,
                dn_mm=None if pipe is None else pipe.dn_mm,
                parallel_pipes=0 if pipe is None else pipe.parallel,
                capacity_kw=0.0 if pipe is None else pipe.max_heat_kw,
                capacity_mdot_kg_per_s=0.0 if pipe is None else pipe.max_mdot_kg_per_s,
                peak_flow_kw=peak,
                peak_mdot_kg_per_s=peak * to_mdot,
            )
        )
    return tuple(out)


def soil_gain_mwh_per_yr(sm: SizingModel) -> float:
    """Heat the built trenches gain from the soil over the year [MWh/yr] (< 0: lost)."""
    m, steps, inputs = sm.model, sm.steps, sm.inputs
    if steps.t_soil_c is None or not hasattr(m, "soil_ua"):
        return 0.0
    ua = sum(float(v.value or 0.0) for v in m.soil_ua_used.values())
    per_step = soil_gain_kw(ua, steps.t_soil_c, inputs.t_warm_c, inputs.t_cold_c)
    return float(np.sum(steps.weights_h * per_step)) / 1000.0


def plant_designs(sm: SizingModel) -> tuple[PlantDesign, ...]:
    """ATES, waste-heat sources and central plants at the loaded solution."""
    m, inputs, steps = sm.model, sm.inputs, sm.steps
    w, nt = steps.weights_h, steps.n_steps
    out = []
    for a, src in enumerate(inputs.ates):
        e_in = float(np.sum(w * values(m.q_ain, (len(inputs.ates), nt))[a])) / 1000.0
        e_out = float(np.sum(w * values(m.q_aout, (len(inputs.ates), nt))[a])) / 1000.0
        big = max(e_in, e_out)
        out.append(
            PlantDesign(
                plant_id=src.source_id,
                kind="ates",
                partner=src.partner,
                capacity_kw=float(m.cap_ates[a].value or 0.0),
                heat_from_loop_mwh_per_yr=e_in,
                heat_to_loop_mwh_per_yr=e_out,
                balance_ratio=abs(e_in - e_out) / big if big > 0 else 0.0,
            )
        )
    for s, src in enumerate(inputs.heat_sources):
        delivered = float(np.sum(w * values(m.q_hs, (len(inputs.heat_sources), nt))[s]))
        out.append(
            PlantDesign(
                plant_id=src.source_id,
                kind="heat_source",
                partner=src.partner,
                capacity_kw=float(m.cap_hs[s].value or 0.0),
                heat_from_loop_mwh_per_yr=0.0,
                heat_to_loop_mwh_per_yr=delivered / 1000.0,
            )
        )
    n_p = len(inputs.plants)
    q = values(m.q_plant, (n_p, nt)) if n_p else np.zeros((0, nt))
    q_out = values(m.q_plant_out, (n_p, nt)) if n_p else np.zeros((0, nt))
    for p, plant in enumerate(inputs.plants):
        moved = float(np.sum(w * q[p])) / 1000.0
        given = float(np.sum(w * q_out[p])) / 1000.0
        taken = moved if plant.kind in ("dry_cooler", "thermal_storage") else 0.0
        if plant.kind == "central_heat_pump":
            given = moved
        out.append(
            PlantDesign(
                plant_id=plant.plant_id,
                kind=plant.kind,
                partner=plant.partner,
                capacity_kw=float(m.cap_plant[p].value or 0.0),
                heat_from_loop_mwh_per_yr=taken,
                heat_to_loop_mwh_per_yr=given,
            )
        )
    return tuple(out)
