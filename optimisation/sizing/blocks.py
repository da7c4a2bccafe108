"""The blocks of the sizing MILP, one function per part of the system.

:func:`tsg.optimisation.sizing.model.build_model` computes :class:`ModelData` once and calls
the blocks in this order: :func:`add_buildings`, :func:`add_ates`, :func:`add_heat_sources`,
:func:`add_plants`, :func:`add_network` (the node balances that tie them together), then
:func:`tsg.optimisation.sizing.costs.add_costs`. The decisions and constraints are described
in the model module's docstring.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo

from tsg.common.units import KWH_PER_MWH
from tsg.optimisation.sizing.inputs import SizingInputs
from tsg.optimisation.sizing.options import SizingOptions
from tsg.optimisation.sizing.performance import Coefficients
from tsg.optimisation.sizing.periods import TimeSteps
from tsg.optimisation.sizing.pipes import coincident_flow_bounds, edge_flow_bounds
from tsg.optimisation.sizing.soil_block import add_soil

__all__ = [
    "ModelData",
    "add_buildings",
    "add_heat_sources",
    "add_network",
    "add_plants",
    "model_data",
]


@dataclass(frozen=True)
class ModelData:
    """What every block reads, computed once per model.

    Attributes
    ----------
    inputs, steps, options, coef
        What the model is built from.
    ids
        Building ids in input order.
    heat_kw, cool_kw
        Heat (space heating + hot water) and cooling demand per building and step [kW].
    weights_h
        Hours each step stands for [h].
    peak_heat_kw, peak_cool_kw
        Full-year peaks per building (or the steps' peaks when higher) [kW].
    loop_heat_per_kwh
        Heat taken from the loop per kWh of heat delivered, per building and step [-].
    loop_cool_per_kwh
        Heat injected into the loop per kWh of cold delivered, per building [-].
    node_edges
        Candidate trenches at each node (edge positions).
    ates_max_kw, source_max_kw, plant_max_kw
        Largest capacity of each ATES, heat source and plant [kW] (storage: [kWh]).
    big_kw
        A bound above every possible node load [kW].
    """

    inputs: SizingInputs
    steps: TimeSteps
    options: SizingOptions
    coef: Coefficients
    ids: list[str]
    heat_kw: np.ndarray
    cool_kw: np.ndarray
    weights_h: np.ndarray
    peak_heat_kw: np.ndarray
    peak_cool_kw: np.ndarray
    loop_heat_per_kwh: np.ndarray
    loop_cool_per_kwh: np.ndarray
    node_edges: dict[str, list[int]]
    ates_max_kw: list[float]
    source_max_kw: list[float]
    plant_max_kw: list[float]
    big_kw: float


def model_data(
    inputs: SizingInputs, steps: TimeSteps, options: SizingOptions, coef: Coefficients
) -> ModelData:
    """Compute the arrays the blocks share."""
    heat, cool = steps.total_heat_kw, steps.cool_kw
    peak_h = np.array(
        [max(b.total_heat_kw.max(), heat[k].max()) for k, b in enumerate(inputs.buildings)]
    )
    peak_c = np.array([max(b.cool_kw.max(), cool[k].max()) for k, b in enumerate(inputs.buildings)])
    loop_c = 1.0 + coef.loop_cool_elec_per_kwh
    node_edges: dict[str, list[int]] = {n: [] for n in inputs.node_ids}
    for k, e in enumerate(inputs.edges):
        node_edges[e.from_id].append(k)
        node_edges[e.to_id].append(k)
    ates_max = [a.max_heat_kw for a in inputs.ates]
    hs_max = [s.max_heat_kw for s in inputs.heat_sources]
    big = float(np.sum(peak_h) + np.sum(peak_c * loop_c) + sum(ates_max) + sum(hs_max)) or 1.0
    plant_max = [
        p.max_kw if math.isfinite(p.max_kw) else (big * 24 if p.kind == "thermal_storage" else big)
        for p in inputs.plants
    ]
    return ModelData(
        inputs=inputs,
        steps=steps,
        options=options,
        coef=coef,
        ids=[b.building_id for b in inputs.buildings],
        heat_kw=heat,
        cool_kw=cool,
        weights_h=steps.weights_h,
        peak_heat_kw=peak_h,
        peak_cool_kw=peak_c,
        loop_heat_per_kwh=1.0 - coef.loop_heat_elec_per_kwh,
        loop_cool_per_kwh=loop_c,
        node_edges=node_edges,
        ates_max_kw=ates_max,
        source_max_kw=hs_max,
        plant_max_kw=plant_max,
        big_kw=big,
    )


def add_buildings(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Add connection, loop-side and reference units of every building, within their peaks."""
    inputs, options, ids, node_edges = data.inputs, data.options, data.ids, data.node_edges
    heat, cool = data.heat_kw, data.cool_kw
    peak_h, peak_c = data.peak_heat_kw, data.peak_cool_kw
    B, T = range(len(ids)), range(data.steps.n_steps)
    m.member = pyo.Var(B, bounds=(0, 1), initialize=1.0)
    m.member.fix(1.0)
    m.y = pyo.Var(B, domain=pyo.Binary)
    m.cap_hp = pyo.Var(B, domain=pyo.NonNegativeReals)
    m.cap_nc = pyo.Var(B, domain=pyo.NonNegativeReals)
    m.cap_rh = pyo.Var(B, domain=pyo.NonNegativeReals)
    m.cap_rc = pyo.Var(B, domain=pyo.NonNegativeReals)
    m.q_nh = pyo.Var(B, T, bounds=lambda _, b, t: (0.0, float(heat[b, t])))
    m.q_nc = pyo.Var(B, T, bounds=lambda _, b, t: (0.0, float(cool[b, t])))
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
    grid_only = [
        b
        for b, bld in enumerate(inputs.buildings)
        if bld.full_connection or not options.backup_when_connected
    ]
    if grid_only:
        m.no_backup_heat = pyo.Constraint(
            grid_only, rule=lambda m, b: m.cap_rh[b] <= peak_h[b] * (1 - m.y[b])
        )
        m.no_backup_cool = pyo.Constraint(
            grid_only, rule=lambda m, b: m.cap_rc[b] <= peak_c[b] * (1 - m.y[b])
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


def add_heat_sources(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Add waste-heat sources within capacity and their annual limit."""
    inputs, w = data.inputs, data.weights_h
    T = range(data.steps.n_steps)
    S = range(len(inputs.heat_sources))
    hs_max = data.source_max_kw
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
        rule=lambda m, s: (
            sum(float(w[t]) * m.q_hs[s, t] for t in T) <= KWH_PER_MWH * dict(annual)[s]
        ),
    )


def add_plants(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Add central plants: dry cooler, central heat pump and thermal storage with its charge."""
    inputs, coef, steps = data.inputs, data.coef, data.steps
    plant_max = data.plant_max_kw
    P, T = range(len(inputs.plants)), range(steps.n_steps)
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


def _sizes_of_edge(
    pipes, caps: list[float], bound_kw: float, edge, coincident_kw: float
) -> list[int]:
    """Pipe options a trench may get: those below its flow bound and the first above it.

    Options with parallel pipes are offered only where a single pipe cannot carry what the
    trench may have to: its floor or its coincident bound (``coincident_kw``: the largest
    flow of any one modelled step) exceed the largest single pipe. The
    floor of the design loop (``edge.min_parallel`` pipes of ``edge.min_dn_mm``) leaves out
    every option of less capacity; when none is left, the option of least capacity above
    the floor (none if there is no such option: the trench cannot be built).
    """
    singles = [d for d, p in enumerate(pipes) if p.parallel == 1]
    largest = max(caps[d] for d in singles)
    floor_kw = 0.0
    if edge.min_dn_mm > 0 or edge.min_parallel > 1:
        at_least = [caps[d] for d in singles if pipes[d].dn_mm >= edge.min_dn_mm]
        floor_kw = edge.min_parallel * min(at_least) if at_least else math.inf
    offered = range(len(pipes)) if max(coincident_kw, floor_kw) > largest else singles
    allowed = [d for d in offered if caps[d] < bound_kw]
    bigger = [d for d in offered if caps[d] >= bound_kw]
    if bigger:
        allowed.append(min(bigger, key=lambda d: caps[d]))
    if floor_kw <= 0:
        return allowed
    allowed = [d for d in allowed if caps[d] >= floor_kw * (1 - 1e-9)]
    if allowed:
        return allowed
    large = [d for d in offered if caps[d] >= floor_kw * (1 - 1e-9)]
    return [min(large, key=lambda d: caps[d])] if large else []


def _coincident_bounds(data: ModelData) -> list[float]:
    """Largest flow per trench in any modelled step [kW] (:func:`coincident_flow_bounds`).

    Buildings withdraw up to their heat and inject up to their cooling of the step (times
    the loop share), ATES and plants up to their capacity either way, heat sources inject.
    """
    inputs = data.inputs
    withdraw: dict[str, float | np.ndarray] = {}
    inject: dict[str, float | np.ndarray] = {}
    for b, bld in enumerate(inputs.buildings):
        withdraw[bld.building_id] = data.heat_kw[b] * data.loop_heat_per_kwh[b]
        inject[bld.building_id] = data.cool_kw[b] * data.loop_cool_per_kwh[b]
    both = [(src.source_id, data.ates_max_kw[a]) for a, src in enumerate(inputs.ates)]
    both += [
        (plant.node_id, min(data.plant_max_kw[p], data.big_kw))
        for p, plant in enumerate(inputs.plants)
    ]
    for node, kw in both:
        withdraw[node] = withdraw.get(node, 0.0) + kw
        inject[node] = inject.get(node, 0.0) + kw
    for s, src in enumerate(inputs.heat_sources):
        inject[src.source_id] = inject.get(src.source_id, 0.0) + data.source_max_kw[s]
    return coincident_flow_bounds(inputs, withdraw, inject)


def add_network(m: pyo.ConcreteModel, data: ModelData) -> dict[int, list[int]]:
    """Add pipe size per trench, flows within the chosen capacity, heat balance at every node.

    Returns
    -------
    dict
        Per edge position: the allowed pipe-option positions (``inputs.pipes``).
    """
    inputs, ids, node_edges = data.inputs, data.ids, data.node_edges
    heat, loop_h, loop_c = data.heat_kw, data.loop_heat_per_kwh, data.loop_cool_per_kwh
    peak_c, ates_max, hs_max = data.peak_cool_kw, data.ates_max_kw, data.source_max_kw
    plant_max, big = data.plant_max_kw, data.big_kw
    B, T = range(len(ids)), range(data.steps.n_steps)
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
    # what a trench can carry in one step: parallel pipes are offered only where it is more
    # than the largest single pipe carries
    coincident = _coincident_bounds(data)
    caps = [p.max_heat_kw for p in inputs.pipes]
    edge_options: dict[int, list[int]] = {}
    for k, bound in enumerate(bounds):
        edge_options[k] = _sizes_of_edge(inputs.pipes, caps, bound, inputs.edges[k], coincident[k])
    E = range(len(inputs.edges))
    ED = [(k, d) for k in E for d in edge_options[k]]
    flow_bound = {k: max((caps[d] for d in edge_options[k]), default=0.0) for k in E}
    m.x = pyo.Var(ED, domain=pyo.Binary)
    # a trench's own flow limit (design loop) bounds the flow, not the pipe it may get
    carried = {k: min(flow_bound[k], inputs.edges[k].max_heat_kw) for k in E}
    m.f = pyo.Var(E, T, bounds=lambda _, k, t: (-carried[k], carried[k]))
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
    for node, term in add_soil(m, inputs, data.steps, edge_options):
        at_node[node].append(term)
    nodes = [n for n in inputs.node_ids if at_node[n] or node_edges[n]]

    def balance_rule(m, n, t):
        inflow = sum(m.f[k, t] for k in node_edges[n] if inputs.edges[k].to_id == n)
        outflow = sum(m.f[k, t] for k in node_edges[n] if inputs.edges[k].from_id == n)
        load = sum(term(m, t) for term in at_node[n])
        if isinstance(inflow - outflow, int | float) and isinstance(load, int | float):
            return pyo.Constraint.Skip
        return inflow - outflow == load

    m.node_balance = pyo.Constraint(nodes, T, rule=balance_rule)
    return edge_options
