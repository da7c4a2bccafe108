"""Build the sizing MILP (Pyomo): who connects, pipe sizes, plant sizes, hourly operation.

Decisions (``b`` building, ``e`` candidate trench, ``d`` pipe size, ``t`` time step):

* ``y[b]`` binary: building connects; ``x[e, d]`` binary: trench ``e`` built with size ``d``
  (at most one size per trench);
* capacities [kW]: booster heat pump ``cap_hp[b]``, loop cooling (free-cooling exchanger or
  water-cooled chiller) ``cap_nc[b]``, reference heating ``cap_rh[b]`` (gas boiler or
  air-source heat pump) and cooling ``cap_rc[b]`` (air-cooled chiller), ATES ``cap_ates``,
  waste heat, central plants;
* operation [kW]: heat and cold a building takes through the loop ``q_nh[b, t]``,
  ``q_nc[b, t]``; the rest of its demand comes from its reference units; ATES charge
  ``q_ain`` / discharge ``q_aout``; heat flow ``f[e, t]`` on each trench (kW carried at the
  loop spread, either direction).

Constraints: loop-side units only if connected (``cap <= peak * y``); capacities cover each
building's full-year peak; per step, units within capacity; per node and step, heat flows
balance (building loop loads from fixed efficiencies, sources, plants); ``|f| <= capacity of
the chosen size``; a connected building needs a built trench at its node; ATES charge and
discharge within capacity and, when switched on, the annual balance
``(1 - tol) E_in <= E_out`` and ``(1 - tol) E_out <= E_in`` (equivalent to
``|E_in - E_out| <= tol max(E_in, E_out)``).

Objective [EUR/yr]: ``capex_factor * sum(investment * (CRF + O&M))`` + electricity + gas +
CO2 price + waste heat bought. Prices and the capex factor are mutable parameters; the
``member`` and ``available`` variables are always fixed (1 = in the coalition) so that
:mod:`optimisation.sizing.coalitions` restricts the same model to a coalition by fixing values.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
import pyomo.environ as pyo

from tsg.common.errors import InputError
from tsg.optimisation.sizing.costs import CostItemKey, add_costs
from tsg.optimisation.sizing.inputs import SizingInputs
from tsg.optimisation.sizing.options import SizingOptions
from tsg.optimisation.sizing.performance import Coefficients, coefficients
from tsg.optimisation.sizing.periods import TimeSteps
from tsg.optimisation.sizing.pipes import edge_flow_bounds

__all__ = ["SizingModel", "build_model"]


@dataclass(eq=False)
class SizingModel:
    """A built model and the maps needed to read it.

    Attributes
    ----------
    inputs, steps, options, coef
        What it was built from.
    model
        The Pyomo model.
    edge_options
        Per edge position: the allowed pipe-option positions (``inputs.pipes``).
    build_time_s
        Wall time of :func:`build_model` [s].
    peak_heat_kw, peak_cool_kw
        Full-year peaks per building [kW].
    cost_items
        Owner and name of every cost item (index of the model's ``ITEMS``).
    solver_cache
        The persistent solver used on this model (reused between solves).

    """

    inputs: SizingInputs
    steps: TimeSteps
    options: SizingOptions
    coef: Coefficients
    model: pyo.ConcreteModel
    edge_options: dict[int, list[int]]
    peak_heat_kw: np.ndarray
    peak_cool_kw: np.ndarray
    cost_items: list[CostItemKey] = field(default_factory=list)
    build_time_s: float = 0.0
    solver_cache: dict = field(default_factory=dict)

    def size(self) -> dict[str, int]:
        """Return the number of variables, binaries and active constraints."""
        variables = list(self.model.component_data_objects(pyo.Var))
        return {
            "variables": len(variables),
            "binaries": sum(1 for v in variables if v.is_binary()),
            "constraints": sum(
                1 for _ in self.model.component_data_objects(pyo.Constraint, active=True)
            ),
        }


def build_model(
    inputs: SizingInputs, steps: TimeSteps, *, options: SizingOptions | None = None
) -> SizingModel:
    """Build the sizing MILP.

    Parameters
    ----------
    inputs
        Validated inputs.
    steps
        Time steps (:func:`optimisation.sizing.periods.time_steps`).
    options
        Model switches (default :class:`SizingOptions`).

    Returns
    -------
    SizingModel

    Raises
    ------
    InputError
        Unknown building ids in ``force_connect`` / ``exclude``.

    """
    start = time.perf_counter()
    options = options or SizingOptions()
    coef = coefficients(inputs, steps)
    ids = [b.building_id for b in inputs.buildings]
    for name in ("force_connect", "exclude"):
        unknown = sorted(set(getattr(options, name)) - set(ids))
        if unknown:
            raise InputError(f"unknown building ids {unknown}; known: {ids}", field=name)
    nb, nt = len(ids), steps.n_steps
    heat, cool, w = steps.total_heat_kw, steps.cool_kw, steps.weights_h
    peak_h = np.array(
        [max(b.total_heat_kw.max(), heat[k].max()) for k, b in enumerate(inputs.buildings)]
    )
    peak_c = np.array([max(b.cool_kw.max(), cool[k].max()) for k, b in enumerate(inputs.buildings)])
    loop_h = 1.0 - coef.loop_heat_elec_per_kwh  # loop heat per kWh delivered, (B, T)
    loop_c = 1.0 + coef.loop_cool_elec_per_kwh  # loop heat injected per kWh cold, (B,)

    m = pyo.ConcreteModel(name="tsg_sizing")
    B, T = range(nb), range(nt)
    m.gas_price = pyo.Param(mutable=True, initialize=inputs.prices.gas_price_eur_per_m3)
    m.elec_price = pyo.Param(mutable=True, initialize=inputs.prices.electricity_price_eur_per_kwh)
    m.co2_price = pyo.Param(mutable=True, initialize=inputs.prices.co2_price_eur_per_t)
    m.capex_factor = pyo.Param(mutable=True, initialize=1.0)

    # --- buildings ---------------------------------------------------------------------
    m.member = pyo.Var(B, bounds=(0, 1), initialize=1.0)
    m.member.fix(1.0)
    m.y = pyo.Var(B, domain=pyo.Binary)
    m.cap_hp = pyo.Var(B, domain=pyo.NonNegativeReals)
    m.cap_nc = pyo.Var(B, domain=pyo.NonNegativeReals)
    m.cap_rh = pyo.Var(B, domain=pyo.NonNegativeReals)
    m.cap_rc = pyo.Var(B, domain=pyo.NonNegativeReals)
    m.q_nh = pyo.Var(B, T, bounds=lambda _, b, t: (0.0, float(heat[b, t])))
    m.q_nc = pyo.Var(B, T, bounds=lambda _, b, t: (0.0, float(cool[b, t])))
    node_edges: dict[str, list[int]] = {n: [] for n in inputs.node_ids}
    for k, e in enumerate(inputs.edges):
        node_edges[e.from_id].append(k)
        node_edges[e.to_id].append(k)
    for b, bld in enumerate(inputs.buildings):
        if (
            not bld.may_connect
            or bld.building_id in options.exclude
            or not node_edges[bld.building_id]
        ):
            m.y[b].fix(0)
        if bld.building_id in options.force_connect:
            m.y[b].fix(1)
        if bld.reference_heating == "none":
            m.cap_rh[b].fix(0.0)
        if bld.reference_cooling == "none":
            m.cap_rc[b].fix(0.0)
    m.hp_if_connected = pyo.Constraint(B, rule=lambda m, b: m.cap_hp[b] <= peak_h[b] * m.y[b])
    m.nc_if_connected = pyo.Constraint(B, rule=lambda m, b: m.cap_nc[b] <= peak_c[b] * m.y[b])
    if not options.backup_when_connected:
        m.no_backup_heat = pyo.Constraint(
            B, rule=lambda m, b: m.cap_rh[b] <= peak_h[b] * (1 - m.y[b])
        )
        m.no_backup_cool = pyo.Constraint(
            B, rule=lambda m, b: m.cap_rc[b] <= peak_c[b] * (1 - m.y[b])
        )
    m.peak_heat = pyo.Constraint(
        B, rule=lambda m, b: m.cap_hp[b] + m.cap_rh[b] >= peak_h[b] * m.member[b]
    )
    m.peak_cool = pyo.Constraint(
        B, rule=lambda m, b: m.cap_nc[b] + m.cap_rc[b] >= peak_c[b] * m.member[b]
    )
    bt_heat = [(b, t) for b in B for t in T if heat[b, t] > 0]
    bt_cool = [(b, t) for b in B for t in T if cool[b, t] > 0]
    m.hp_limit = pyo.Constraint(bt_heat, rule=lambda m, b, t: m.q_nh[b, t] <= m.cap_hp[b])
    m.rh_limit = pyo.Constraint(
        bt_heat,
        rule=lambda m, b, t: float(heat[b, t]) * m.member[b] - m.q_nh[b, t] <= m.cap_rh[b],
    )
    m.nc_limit = pyo.Constraint(bt_cool, rule=lambda m, b, t: m.q_nc[b, t] <= m.cap_nc[b])
    m.rc_limit = pyo.Constraint(
        bt_cool,
        rule=lambda m, b, t: float(cool[b, t]) * m.member[b] - m.q_nc[b, t] <= m.cap_rc[b],
    )

    # --- sources and central plants ------------------------------------------------------
    A = range(len(inputs.ates))
    m.ates_available = pyo.Var(A, bounds=(0, 1), initialize=1.0)
    m.ates_available.fix(1.0)
    ates_max = [a.max_heat_kw for a in inputs.ates]
    m.cap_ates = pyo.Var(A, domain=pyo.NonNegativeReals)
    m.q_ain = pyo.Var(A, T, bounds=lambda _, a, t: (0.0, ates_max[a]))
    m.q_aout = pyo.Var(A, T, bounds=lambda _, a, t: (0.0, ates_max[a]))
    m.ates_limit = pyo.Constraint(
        A, rule=lambda m, a: m.cap_ates[a] <= ates_max[a] * m.ates_available[a]
    )
    # one doublet pumps one way at a time: the convex hull of "charge or discharge" is
    # q_in + q_out <= capacity; the exact either-or rule needs a direction per step
    m.ates_cap = pyo.Constraint(
        A, T, rule=lambda m, a, t: m.q_ain[a, t] + m.q_aout[a, t] <= m.cap_ates[a]
    )
    m.ates_dir = pyo.Var(A, T, domain=pyo.Binary)
    m.ates_dir_in = pyo.Constraint(
        A, T, rule=lambda m, a, t: m.q_ain[a, t] <= ates_max[a] * m.ates_dir[a, t]
    )
    m.ates_dir_out = pyo.Constraint(
        A, T, rule=lambda m, a, t: m.q_aout[a, t] <= ates_max[a] * (1 - m.ates_dir[a, t])
    )
    if options.ates_exclusive_direction != "always" or not options.ates_balance:
        m.ates_dir.fix(0)
        m.ates_dir_in.deactivate()
        m.ates_dir_out.deactivate()
    e_in = {a: sum(float(w[t]) * m.q_ain[a, t] for t in T) for a in A}
    e_out = {a: sum(float(w[t]) * m.q_aout[a, t] for t in T) for a in A}
    tol = [a.balance_tolerance for a in inputs.ates]
    m.ates_balance_in = pyo.Constraint(A, rule=lambda m, a: (1 - tol[a]) * e_in[a] <= e_out[a])
    m.ates_balance_out = pyo.Constraint(A, rule=lambda m, a: (1 - tol[a]) * e_out[a] <= e_in[a])
    if not options.ates_balance:
        m.ates_balance_in.deactivate()
        m.ates_balance_out.deactivate()

    S = range(len(inputs.heat_sources))
    hs_max = [s.max_heat_kw for s in inputs.heat_sources]
    m.source_available = pyo.Var(S, bounds=(0, 1), initialize=1.0)
    m.source_available.fix(1.0)
    m.cap_hs = pyo.Var(S, domain=pyo.NonNegativeReals)
    m.q_hs = pyo.Var(S, T, bounds=lambda _, s, t: (0.0, hs_max[s]))
    m.hs_limit = pyo.Constraint(
        S, rule=lambda m, s: m.cap_hs[s] <= hs_max[s] * m.source_available[s]
    )
    m.hs_cap = pyo.Constraint(S, T, rule=lambda m, s, t: m.q_hs[s, t] <= m.cap_hs[s])
    annual = [
        (s, src.annual_max_mwh)
        for s, src in enumerate(inputs.heat_sources)
        if src.annual_max_mwh is not None
    ]
    m.hs_annual = pyo.Constraint(
        [s for s, _ in annual],
        rule=lambda m, s: sum(float(w[t]) * m.q_hs[s, t] for t in T) <= 1000.0 * dict(annual)[s],
    )

    P = range(len(inputs.plants))
    big = float(np.sum(peak_h) + np.sum(peak_c * loop_c) + sum(ates_max) + sum(hs_max)) or 1.0
    plant_max = [p.max_kw if math.isfinite(p.max_kw) else big for p in inputs.plants]
    if any(p.kind == "thermal_storage" and not math.isfinite(p.max_kw) for p in inputs.plants):
        plant_max = [
            big * 24 if (p.kind == "thermal_storage" and not math.isfinite(p.max_kw)) else mx
            for p, mx in zip(inputs.plants, plant_max, strict=True)
        ]
    m.plant_available = pyo.Var(P, bounds=(0, 1), initialize=1.0)
    m.plant_available.fix(1.0)
    m.cap_plant = pyo.Var(P, domain=pyo.NonNegativeReals)
    m.q_plant = pyo.Var(P, T, domain=pyo.NonNegativeReals)  # heat moved (storage: charge)
    m.q_plant_out = pyo.Var(P, T, domain=pyo.NonNegativeReals)  # storage discharge only
    m.soc = pyo.Var(P, T, domain=pyo.NonNegativeReals)
    m.plant_limit = pyo.Constraint(
        P, rule=lambda m, p: m.cap_plant[p] <= plant_max[p] * m.plant_available[p]
    )
    avail = coef.dry_cooler_availability
    c_rate = inputs.technologies.thermal_storage.max_c_rate_per_h
    first = {t for t in T if t == 0 or steps.period[t] != steps.period[t - 1]}
    last_of: dict[int, int] = {}
    for t in T:
        last_of[int(steps.period[t])] = t

    def plant_rule(m, p, t):
        kind = inputs.plants[p].kind
        if kind == "dry_cooler":
            return m.q_plant[p, t] <= float(avail[t]) * m.cap_plant[p]
        if kind == "central_heat_pump":
            return m.q_plant[p, t] <= m.cap_plant[p]
        return m.q_plant[p, t] + m.q_plant_out[p, t] <= c_rate * m.cap_plant[p]

    def soc_rule(m, p, t):
        if inputs.plants[p].kind != "thermal_storage":
            return m.soc[p, t] + m.q_plant_out[p, t] == 0
        prev = last_of[int(steps.period[t])] if t in first else t - 1
        return m.soc[p, t] == m.soc[p, prev] + m.q_plant[p, t] - m.q_plant_out[p, t]

    m.plant_cap = pyo.Constraint(P, T, rule=plant_rule)
    m.soc_balance = pyo.Constraint(P, T, rule=soc_rule)
    m.soc_cap = pyo.Constraint(P, T, rule=lambda m, p, t: m.soc[p, t] <= m.cap_plant[p])

    # --- network ---------------------------------------------------------------------------
    node_load = {
        bld.building_id: float(max((heat[b] * loop_h[b]).max(), peak_c[b] * loop_c[b]))
        for b, bld in enumerate(inputs.buildings)
    }
    for a, src in enumerate(inputs.ates):
        node_load[src.source_id] = ates_max[a]
    for s, src in enumerate(inputs.heat_sources):
        node_load[src.source_id] = hs_max[s]
    for p, plant in enumerate(inputs.plants):
        node_load[plant.node_id] = node_load.get(plant.node_id, 0.0) + min(plant_max[p], big)
    bounds = edge_flow_bounds(inputs, node_load)
    caps = [p.max_heat_kw for p in inputs.pipes]
    edge_options: dict[int, list[int]] = {}
    for k, bound in enumerate(bounds):
        allowed = [d for d, c in enumerate(caps) if c < bound]
        bigger = [d for d, c in enumerate(caps) if c >= bound]
        if bigger:
            allowed.append(min(bigger, key=lambda d: caps[d]))
        edge_options[k] = allowed
    E = range(len(inputs.edges))
    ED = [(k, d) for k in E for d in edge_options[k]]
    flow_bound = {k: max(caps[d] for d in edge_options[k]) for k in E}
    m.x = pyo.Var(ED, domain=pyo.Binary)
    m.f = pyo.Var(E, T, bounds=lambda _, k, t: (-flow_bound[k], flow_bound[k]))
    m.one_size = pyo.Constraint(E, rule=lambda m, k: sum(m.x[k, d] for d in edge_options[k]) <= 1)

    # capacity of the chosen size as its own variable: the per-step flow limits then hold no
    # binaries, which keeps HiGHS's cut separation cheap
    m.cap_edge = pyo.Var(E, bounds=lambda _, k: (0.0, flow_bound[k]))
    m.edge_capacity = pyo.Constraint(
        E, rule=lambda m, k: m.cap_edge[k] == sum(caps[d] * m.x[k, d] for d in edge_options[k])
    )
    m.flow_fwd = pyo.Constraint(E, T, rule=lambda m, k, t: m.f[k, t] <= m.cap_edge[k])
    m.flow_bwd = pyo.Constraint(E, T, rule=lambda m, k, t: -m.f[k, t] <= m.cap_edge[k])
    m.needs_trench = pyo.Constraint(
        [b for b in B if node_edges[ids[b]]],
        rule=lambda m, b: (
            m.y[b] <= sum(m.x[k, d] for k in node_edges[ids[b]] for d in edge_options[k])
        ),
    )
    at_node: dict[str, list] = {n: [] for n in inputs.node_ids}
    for b in B:
        at_node[ids[b]].append(
            lambda m, t, b=b: float(loop_h[b, t]) * m.q_nh[b, t] - float(loop_c[b]) * m.q_nc[b, t]
        )
    for a, src in enumerate(inputs.ates):
        at_node[src.source_id].append(lambda m, t, a=a: m.q_ain[a, t] - m.q_aout[a, t])
    for s, src in enumerate(inputs.heat_sources):
        at_node[src.source_id].append(lambda m, t, s=s: -m.q_hs[s, t])
    for p, plant in enumerate(inputs.plants):
        sign = {"dry_cooler": 1.0, "central_heat_pump": -1.0, "thermal_storage": 1.0}[plant.kind]
        at_node[plant.node_id].append(
            lambda m, t, p=p, sign=sign: sign * m.q_plant[p, t] - m.q_plant_out[p, t]
        )
    nodes = [n for n in inputs.node_ids if at_node[n] or node_edges[n]]

    def balance_rule(m, n, t):
        inflow = sum(m.f[k, t] for k in node_edges[n] if inputs.edges[k].to_id == n)
        outflow = sum(m.f[k, t] for k in node_edges[n] if inputs.edges[k].from_id == n)
        load = sum(term(m, t) for term in at_node[n])
        if isinstance(inflow - outflow, int | float) and isinstance(load, int | float):
            return pyo.Constraint.Skip
        return inflow - outflow == load

    m.node_balance = pyo.Constraint(nodes, T, rule=balance_rule)

    items = add_costs(m, inputs=inputs, steps=steps, coef=coef, edge_options=edge_options)
    return SizingModel(
        inputs=inputs,
        steps=steps,
        options=options,
        coef=coef,
        model=m,
        edge_options=edge_options,
        peak_heat_kw=peak_h,
        peak_cool_kw=peak_c,
        cost_items=items,
        build_time_s=time.perf_counter() - start,
    )
