"""Cost items of the sizing model and its objective.

Every cost the objective counts belongs to one *item*: a unit of a building (``connection``,
``heat_pump``, ``network_cooling``, ``reference_heating``, ``reference_cooling``) or a shared
asset (``pipes`` and ``pumping`` of the network, each ATES, waste-heat source and central
plant). Per item the model holds Pyomo expressions of the investment [EUR], its annuity and
O&M [EUR/yr] (before the capex factor), the electricity [kWh/yr], gas [m³/yr], heat bought
[EUR/yr] and the emissions of heat bought [kg/yr]. The objective is their priced sum, so
extraction reproduces it item by item.

Energy prices: the model's ``gas_price`` and ``elec_price`` are the prices of
:class:`~tsg.optimisation.sizing.prices.Prices`; a building with prices of its own (its
energy-tax bracket) has them as fixed factors on these (``gas_factor``, ``elec_factor`` per
item), so scaling the model's prices (the sensitivity) scales every consumer's price alike.
District heat (reference heating ``district_heating``) is bought at the tariff per MWh plus
the fixed charge per connection; a building on district heating keeps that connection as
its backup when it joins the grid (the fixed charge stays).

Every investment is at the price level of the price year (``Prices.technology_cost_index``
times the catalogues' costs). A grant (``Prices.grant_share``) lowers every investment of the
grid (all items but the reference units); investments are stated net of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo

from tsg.common.errors import InputError
from tsg.optimisation.sizing.inputs import BuildingInput, SizingInputs
from tsg.optimisation.sizing.performance import Coefficients
from tsg.optimisation.sizing.periods import TimeSteps
from tsg.optimisation.sizing.technologies import Costs

__all__ = ["BUILDING_ITEMS", "REFERENCE_ITEMS", "CostItemKey", "add_costs", "price_factors"]

BUILDING_ITEMS = (
    "connection",
    "heat_pump",
    "network_cooling",
    "reference_heating",
    "reference_cooling",
)
REFERENCE_ITEMS = ("reference_heating", "reference_cooling")
"""Items of a building's own supply: no grant (``Prices.grant_share``) lowers them."""


@dataclass(frozen=True)
class CostItemKey:
    """Who an item belongs to.

    Attributes
    ----------
    owner
        Building id, ``network``, or the id of an ATES / heat source / plant.
    item
        Item name (see module docstring).
    partner
        Owning partner; ``None`` for shared items without an owner.
    building
        True for items of a building.
    service
        ``heat``, ``cold`` or ``shared`` (which levelised cost the item counts towards).

    """

    owner: str
    item: str
    partner: str | None
    building: bool
    service: str


def _balancing_moved(m: pyo.ConcreteModel, inputs: SizingInputs, w: np.ndarray):
    """Heat moved between the loop and the balancing side (ATES, waste heat, plants) [kWh/yr]."""
    moved = 0.0
    for t, weight in enumerate(w):
        step = sum(m.q_ain[a, t] + m.q_aout[a, t] for a in range(len(inputs.ates)))
        step += sum(m.q_hs[s, t] for s in range(len(inputs.heat_sources)))
        step += sum(m.q_plant[p, t] + m.q_plant_out[p, t] for p in range(len(inputs.plants)))
        moved += float(weight) * step
    return moved


def price_factors(building: BuildingInput, inputs: SizingInputs) -> tuple[float, float]:
    """Return a building's gas and electricity price as factors on the model's prices [-].

    Raises
    ------
    InputError
        The building has a positive price of its own where the model's price is zero.
    """
    out = []
    for name in ("gas_price_eur_per_m3", "electricity_price_eur_per_kwh"):
        own, base = getattr(building, name), getattr(inputs.prices, name)
        if own is None or own == base:
            out.append(1.0)
        elif base > 0:
            out.append(own / base)
        else:
            raise InputError(
                f"building '{building.building_id}': {name} {own} needs a positive base price",
                field=name,
            )
    return out[0], out[1]


def add_costs(
    m: pyo.ConcreteModel,
    *,
    inputs: SizingInputs,
    steps: TimeSteps,
    coef: Coefficients,
    edge_options: dict[int, list[int]],
) -> list[CostItemKey]:
    """Add the cost expressions and the objective to a built model.

    Parameters
    ----------
    m
        Model with the variables of :func:`optimisation.sizing.model.build_model`.
    inputs, steps, coef
        Inputs, time steps and efficiencies.
    edge_options
        Allowed pipe options per edge.

    Returns
    -------
    list[CostItemKey]
        The items, in the order of the model's ``ITEMS`` index.

    """
    tech = inputs.technologies
    rate = inputs.prices.discount_rate
    w = steps.weights_h
    T = range(steps.n_steps)
    heat, cool = steps.total_heat_kw, steps.cool_kw
    keys: list[CostItemKey] = []
    inv: list = []
    annuity: list = []
    om: list = []
    elec: list = []
    gas: list = []
    bought: list = []
    emitted: list = []
    gas_factor: list[float] = []
    elec_factor: list[float] = []
    factors = (1.0, 1.0)
    prices = inputs.prices

    def add(
        key: CostItemKey, investment, costs: Costs | None, el=0.0, gs=0.0, buy=0.0, co2=0.0
    ) -> None:
        keys.append(key)
        investment = prices.technology_cost_index * investment
        if key.item not in REFERENCE_ITEMS:
            investment = (1.0 - prices.grant_share) * investment
        inv.append(investment)
        if costs is None:
            annuity.append(0.0)
            om.append(0.0)
        else:
            crf = costs.annual_factor(rate) - costs.om_fraction_per_yr
            annuity.append(crf * investment)
            om.append(costs.om_fraction_per_yr * investment)
        elec.append(el)
        gas.append(gs)
        bought.append(buy)
        emitted.append(co2)
        gas_factor.append(factors[0] if key.building else 1.0)
        elec_factor.append(factors[1] if key.building else 1.0)

    def wsum(values: np.ndarray, var, b: int) -> object:
        return sum(float(w[t] * values[t]) * var[b, t] for t in T if values[t] != 0)

    for b, bld in enumerate(inputs.buildings):
        bid, partner = bld.building_id, bld.partner
        hp_costs = (
            tech.network_heat_exchanger if coef.heating_direct[b] else tech.building_heat_pump.costs
        )
        nc_costs = tech.network_heat_exchanger if coef.free_cooling[b] else tech.network_chiller
        factors = price_factors(bld, inputs)
        if bld.reference_heating == "air_source_heat_pump":
            rh_costs = tech.air_source_heat_pump.costs
        elif bld.reference_heating == "district_heating":
            rh_costs = Costs(0.0, 0.0, 0.0, 1.0)  # the substation is the supplier's
        else:
            rh_costs = tech.gas_boiler.costs
        rc_costs = tech.air_chiller.costs
        conn = tech.building_connection
        e_h = coef.loop_heat_elec_per_kwh[b]
        e_rh = coef.ref_heat_elec_per_kwh[b]
        g_rh = coef.ref_heat_gas_m3_per_kwh[b]
        e_rc = coef.ref_cool_elec_per_kwh[b]
        # reference output = member * demand - loop output
        ref_heat_const = float(np.sum(w * heat[b] * e_rh))
        ref_gas_const = float(np.sum(w * heat[b] * g_rh))
        ref_cool_const = float(np.sum(w * cool[b] * e_rc))
        dh_buy, dh_co2 = 0.0, 0.0
        if bld.reference_heating == "district_heating":
            dh_kwh = float(np.sum(w * heat[b])) * m.member[b] - wsum(heat[b] > 0, m.q_nh, b)
            dh_buy = (prices.district_heat_eur_per_mwh or 0.0) / 1000.0 * dh_kwh
            dh_buy += prices.district_heat_fixed_eur_per_yr * m.member[b]
            dh_co2 = prices.district_heat_emission_kg_per_kwh * dh_kwh
        add(
            CostItemKey(bid, "connection", partner, True, "shared"),
            conn.capex_fixed_eur * m.y[b] + conn.capex_eur_per_kw * (m.cap_hp[b] + m.cap_nc[b]),
            conn,
        )
        add(
            CostItemKey(bid, "heat_pump", partner, True, "heat"),
            hp_costs.capex_eur_per_kw * m.cap_hp[b],
            hp_costs,
            el=wsum(e_h * (heat[b] > 0), m.q_nh, b),
        )
        add(
            CostItemKey(bid, "network_cooling", partner, True, "cold"),
            nc_costs.capex_eur_per_kw * m.cap_nc[b],
            nc_costs,
            el=float(coef.loop_cool_elec_per_kwh[b])
            * sum(float(w[t]) * m.q_nc[b, t] for t in T if cool[b, t] > 0),
        )
        add(
            CostItemKey(bid, "reference_heating", partner, True, "heat"),
            rh_costs.capex_eur_per_kw * m.cap_rh[b],
            rh_costs,
            el=ref_heat_const * m.member[b] - wsum(e_rh * (heat[b] > 0), m.q_nh, b),
            gs=ref_gas_const * m.member[b] - wsum(g_rh * (heat[b] > 0), m.q_nh, b),
            buy=dh_buy,
            co2=dh_co2,
        )
        add(
            CostItemKey(bid, "reference_cooling", partner, True, "cold"),
            rc_costs.capex_eur_per_kw * m.cap_rc[b],
            rc_costs,
            el=ref_cool_const * m.member[b] - wsum(e_rc * (cool[b] > 0), m.q_nc, b),
        )

    # network: pipes and circulation pumps
    keys.append(CostItemKey("network", "pipes", None, False, "shared"))
    pipe_inv, pipe_ann, pipe_om = 0.0, 0.0, 0.0
    for k, edge in enumerate(inputs.edges):
        for d in edge_options[k]:
            pipe = inputs.pipes[d]
            cost = (
                (1.0 - prices.grant_share)
                * prices.technology_cost_index
                * pipe.cost_eur_per_m
                * edge.length_m
            )
            costs = Costs(0.0, cost, pipe.om_fraction_per_yr, pipe.lifetime_yr)
            crf = costs.annual_factor(rate) - costs.om_fraction_per_yr
            pipe_inv += cost * m.x[k, d]
            pipe_ann += crf * cost * m.x[k, d]
            pipe_om += pipe.om_fraction_per_yr * cost * m.x[k, d]
    inv.append(pipe_inv)
    annuity.append(pipe_ann)
    om.append(pipe_om)
    elec.append(0.0)
    gas.append(0.0)
    bought.append(0.0)
    emitted.append(0.0)
    gas_factor.append(1.0)
    elec_factor.append(1.0)
    loop_h = 1.0 - coef.loop_heat_elec_per_kwh
    loop_c = 1.0 + coef.loop_cool_elec_per_kwh
    exchanged = [
        wsum(loop_h[b] * (heat[b] > 0), m.q_nh, b) + wsum(loop_c[b] * (cool[b] > 0), m.q_nc, b)
        for b in range(len(inputs.buildings))
    ]
    if inputs.physics is None:
        pump_el = tech.network.pump_kwh_per_kwh * sum(exchanged)
    else:
        # the simulation's physics (optimisation.sizing.loop_physics): the central pump lifts
        # what the balancing side moves, each building's pump its measured share
        own = inputs.physics.building_pump_kwh_per_kwh
        pump_el = inputs.physics.central_pump_kwh_per_kwh * _balancing_moved(m, inputs, w) + sum(
            own.get(bld.building_id, 0.0) * exchanged[b] for b, bld in enumerate(inputs.buildings)
        )
    add(CostItemKey("network", "pumping", None, False, "shared"), 0.0, None, el=pump_el)

    for a, src in enumerate(inputs.ates):
        moved = sum(float(w[t]) * (m.q_ain[a, t] + m.q_aout[a, t]) for t in T)
        add(
            CostItemKey(src.source_id, "ates", src.partner, False, "shared"),
            tech.ates.capex_eur_per_kw * m.cap_ates[a],
            tech.ates,
            el=tech.ates_pump_kwh_per_kwh * moved,
        )
    for s, src in enumerate(inputs.heat_sources):
        delivered = sum(float(w[t]) * m.q_hs[s, t] for t in T)
        add(
            CostItemKey(src.source_id, "heat_source", src.partner, False, "shared"),
            tech.network_heat_exchanger.capex_eur_per_kw * m.cap_hs[s],
            tech.network_heat_exchanger,
            buy=src.price_eur_per_mwh / 1000.0 * delivered,
        )
    for p, plant in enumerate(inputs.plants):
        moved = sum(float(w[t]) * m.q_plant[p, t] for t in T)
        if plant.kind == "dry_cooler":
            costs, el = tech.dry_cooler, tech.dry_cooler_fan_kwh_per_kwh * moved
        elif plant.kind == "central_heat_pump":
            costs = tech.central_heat_pump.costs
            e_c = coef.central_hp_elec_per_kwh
            el = sum(float(w[t] * e_c[t]) * m.q_plant[p, t] for t in T)
        else:
            costs, el = tech.thermal_storage.costs, 0.0
        add(
            CostItemKey(plant.plant_id, plant.kind, plant.partner, False, "shared"),
            costs.capex_eur_per_kw * m.cap_plant[p],
            costs,
            el=el,
        )

    items = range(len(keys))
    m.ITEMS = pyo.Set(initialize=list(items), ordered=True)
    m.investment_eur = pyo.Expression(m.ITEMS, rule=lambda _, i: inv[i])
    m.annuity_eur = pyo.Expression(m.ITEMS, rule=lambda _, i: annuity[i])
    m.om_eur = pyo.Expression(m.ITEMS, rule=lambda _, i: om[i])
    m.elec_kwh = pyo.Expression(m.ITEMS, rule=lambda _, i: elec[i])
    m.gas_m3 = pyo.Expression(m.ITEMS, rule=lambda _, i: gas[i])
    m.bought_eur = pyo.Expression(m.ITEMS, rule=lambda _, i: bought[i])
    m.bought_co2_kg = pyo.Expression(m.ITEMS, rule=lambda _, i: emitted[i])
    m.gas_factor = pyo.Param(m.ITEMS, initialize=dict(enumerate(gas_factor)))
    m.elec_factor = pyo.Param(m.ITEMS, initialize=dict(enumerate(elec_factor)))
    total_elec = sum(m.elec_kwh[i] for i in items)
    total_gas = sum(m.gas_m3[i] for i in items)
    m.total_cost = pyo.Objective(
        expr=m.capex_factor * sum(m.annuity_eur[i] + m.om_eur[i] for i in items)
        + m.elec_price * sum(elec_factor[i] * m.elec_kwh[i] for i in items)
        + m.gas_price * sum(gas_factor[i] * m.gas_m3[i] for i in items)
        + m.co2_price
        / 1000.0
        * (
            prices.electricity_emission_kg_per_kwh * total_elec
            + prices.gas_emission_kg_per_m3 * total_gas
            + sum(m.bought_co2_kg[i] for i in items)
        )
        + sum(m.bought_eur[i] for i in items),
        sense=pyo.minimize,
    )
    return keys
