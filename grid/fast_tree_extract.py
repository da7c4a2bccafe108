"""Results of the vectorised tree solver: pressures, pumps, soil, balancing unit, checks.

Mirrors the bookkeeping of :func:`grid.hydraulics.solve_hour`: junctions without flow get NaN
temperatures; pipe soil gain ``|mdot| cp (T_out - T_in)``; central pump power
``mdot_bu / rho * lift``; a building whose outlet pressure exceeds its inlet pressure needs
its own pump (``max(0, -dp) * Vdot``); balancing-unit heat ``mdot_bu cp (T_flow - T_return)``;
energy balance ``Q_bu + Q_soil - sum(Q_buildings)`` relative to the gross heat flow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tsg.common.units import C_TO_K
from tsg.grid.fast_hydraulics import node_pressures_pa, pipe_pressure_drop_pa
from tsg.grid.network import ThermalNetwork
from tsg.grid.tree_flows import TreeTopology

__all__ = ["FLOW_EPS_KG_PER_S", "TreeSolution", "extract_solution"]

FLOW_EPS_KG_PER_S = 1e-7
"""Below this a pipe, junction or building counts as without flow (as in solve_hour)."""


@dataclass(frozen=True)
class TreeSolution:
    """Raw arrays of the tree solver (element order of the network; see :mod:`grid.year_result`).

    ``reason`` is '' for hours that passed every check; every array is (hours, elements) or
    (hours,) and holds numbers even for failed hours (the caller replaces them).
    """

    reason: np.ndarray
    iterations: int
    scalars: dict[str, np.ndarray]
    t_node_c: np.ndarray
    p_node_bar: np.ndarray
    pipe: dict[str, np.ndarray]
    bld: dict[str, np.ndarray]


def extract_solution(
    network: ThermalNetwork,
    topo: TreeTopology,
    *,
    par: dict,
    fluid: Any,
    lines: dict,
    flow: np.ndarray,
    m_b: np.ndarray,
    m_bu: np.ndarray,
    t_in: np.ndarray,
    t_set: np.ndarray,
    heating: np.ndarray,
    cooling: np.ndarray,
    ts: np.ndarray,
    bnode: np.ndarray,
    reasons_in: tuple,
    rtol_energy: float,
    loads_kw: np.ndarray,
) -> TreeSolution:
    """Turn the converged fixed point into element arrays, hour scalars and check reasons."""
    loop = network.loop
    tw, tc = loop.t_warm_c + C_TO_K, loop.t_cold_c + C_TO_K
    n_h = flow.shape[0]
    root, parent = topo.root, topo.parent
    active = heating | cooling
    lift_bad, converged, iterations, max_iter, min_dt = reasons_in
    eps = FLOW_EPS_KG_PER_S

    # --- junctions with flow --------------------------------------------------------------
    moving = np.abs(flow) > eps
    moving[:, root] = False
    has = moving.copy()
    for c in topo.preorder[1:]:
        has[:, parent[c]] |= moving[:, c]
    has[:, bnode] |= active & (m_b > eps)
    has[:, root] |= np.abs(m_bu) > eps

    # --- pressures (hydraulics at nominal line temperatures, as pandapipes sequential) ------
    heat_dir = m_bu >= 0.0
    p_flow, p_ret = loop.p_flow_bar * 1e5, (loop.p_flow_bar - loop.plift_bar) * 1e5
    p_root = {"warm": np.where(heat_dir, p_flow, p_ret), "cold": np.where(heat_dir, p_ret, p_flow)}
    pressure, dp_down = {}, {}
    for line, g, t_nom in (("warm", flow, tw), ("cold", -flow, tc)):
        pp_ = par[line]
        # each of a trench line's n parallel pipes carries 1/n of its flow
        dp_down[line] = pipe_pressure_drop_pa(
            g / pp_["n"],
            di_m=pp_["di"],
            roughness_m=pp_["rough"],
            length_m=pp_["length"],
            rho_kg_per_m3=float(fluid.rho(np.array([t_nom]))[0]),
            eta_pa_s=fluid.eta(t_nom),
        )
        dp_down[line][:, root] = 0.0
        pressure[line] = node_pressures_pa(topo, p_root_pa=p_root[line], down_dp_pa=dp_down[line])

    junctions = network.junctions.reset_index(drop=True)
    node_index = {nid: k for k, nid in enumerate(topo.node_ids)}
    jn = junctions.node_id.map(node_index).to_numpy()
    jwarm = (junctions.line == "warm").to_numpy()
    t_node_k = np.where(jwarm, lines["warm"].t_node_k[:, jn], lines["cold"].t_node_k[:, jn])
    t_node_k = np.where(has[:, jn], t_node_k, np.nan)
    p_node = np.where(jwarm, pressure["warm"][:, jn], pressure["cold"][:, jn])

    # --- pipes ----------------------------------------------------------------------------
    pipes = network.pipes.reset_index(drop=True)
    n_p = len(pipes)
    pipe = {k: np.zeros((n_h, n_p)) for k in ("mdot", "velocity", "dp", "t_in", "t_out", "soil")}
    friction_w = np.zeros(n_h)
    for line, g in (("warm", flow), ("cold", -flow)):
        sel = (pipes.line == line).to_numpy()
        rows = np.flatnonzero(sel)
        child = topo.edge_child[pipes.edge.to_numpy()[sel]]
        sign = topo.edge_sign[pipes.edge.to_numpy()[sel]]
        m = g[:, child] * sign
        mov = np.abs(m) > eps
        t_i = np.where(mov, lines[line].t_in_k[:, child], np.nan)
        t_o = np.where(mov, lines[line].t_out_k[:, child], np.nan)
        cp_io = 0.5 * (fluid.cp(t_i) + fluid.cp(t_o))
        rho_io = 0.5 * (fluid.rho(t_i) + fluid.rho(t_o))
        area = par[line]["n"][child] * np.pi * par[line]["di"][child] ** 2 / 4.0
        vdot = np.abs(m) / rho_io
        dp = np.abs(dp_down[line][:, child])
        pipe["mdot"][:, rows] = m
        pipe["velocity"][:, rows] = vdot / area
        pipe["dp"][:, rows] = dp / 1e5
        pipe["t_in"][:, rows] = t_i - C_TO_K
        pipe["t_out"][:, rows] = t_o - C_TO_K
        pipe["soil"][:, rows] = np.where(mov, np.abs(m) * cp_io * (t_o - t_i), 0.0) / 1000.0
        friction_w += (vdot * dp).sum(axis=1)

    # --- buildings ------------------------------------------------------------------------
    t_out_b = np.where(active, t_set, np.nan)
    t_in_b = np.where(active, t_in, np.nan)
    cp_bld = 0.5 * (fluid.cp(t_in_b) + fluid.cp(t_out_b))
    delivered = np.where(active, m_b * cp_bld * (t_in_b - t_out_b) / 1000.0, 0.0)
    pw, pc = pressure["warm"][:, bnode], pressure["cold"][:, bnode]
    dp_b = np.where(heating, pw - pc, np.where(cooling, pc - pw, np.nan)) / 1e5
    vdot_b = m_b / (0.5 * (fluid.rho(t_in_b) + fluid.rho(t_out_b)))
    decentral_w = np.where(active, np.maximum(0.0, -np.nan_to_num(dp_b)) * 1e5 * vdot_b, 0.0).sum(1)
    bld = {
        "mode": np.where(heating, 1, np.where(cooling, -1, 0)).astype(np.int8),
        "delivered": delivered,
        "mdot": np.where(active, m_b, 0.0),
        "t_in": t_in_b - C_TO_K,
        "t_out": t_out_b - C_TO_K,
        "dp": dp_b,
    }

    # --- balancing unit, totals, checks ---------------------------------------------------
    m_abs = np.abs(m_bu)
    flowing = m_abs > eps
    t_ret = np.where(heat_dir, lines["cold"].t_node_k[:, root], lines["warm"].t_node_k[:, root])
    t_flow = np.where(heat_dir, tw, tc)
    cp_bu = 0.5 * (fluid.cp(t_ret) + fluid.cp(t_flow))
    q_bu = np.where(flowing, m_abs * cp_bu * (t_flow - t_ret) / 1000.0, 0.0)
    central_w = np.where(flowing, m_abs / fluid.rho(t_ret) * loop.plift_bar * 1e5, 0.0)
    soil_kw = pipe["soil"].sum(axis=1)
    q_bld = delivered.sum(axis=1)
    residual = q_bu + soil_kw - q_bld
    gross = np.maximum.reduce([np.abs(delivered).sum(axis=1), np.abs(q_bu), np.abs(soil_kw)])
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(gross > 0, np.abs(residual) / gross, 0.0)
    t_ret_min = np.min(np.where(heating, t_set, tc), axis=1, initial=tc) - C_TO_K
    t_lo = np.minimum(np.minimum(loop.t_cold_c, ts - C_TO_K), t_ret_min) - 0.05
    t_hi = np.maximum(loop.t_warm_c, ts - C_TO_K) + 0.05
    t_c = t_node_k - C_TO_K
    out_of_range = np.any((t_c < t_lo[:, None]) | (t_c > t_hi[:, None]), axis=1)
    grad = pipe["dp"] * 1e5 / pipes.length_m.to_numpy()
    scalars = {
        "balancing_heat_kw": q_bu,
        "balancing_mdot_kg_per_s": m_abs,
        "balancing_direction": np.where(
            flowing, np.where(heat_dir, "heating", "cooling"), "idle"
        ).astype(object),
        "soil_gain_kw": soil_kw,
        "energy_residual_kw": residual,
        "energy_residual_rel": rel,
        "pump_central_w": central_w,
        "pump_decentral_w": decentral_w,
        "pump_elec_kw": (central_w + decentral_w) / loop.pump_efficiency / 1000.0,
        "pipe_friction_w": friction_w,
        "max_velocity_m_per_s": pipe["velocity"].max(axis=1, initial=0.0),
        "max_pressure_gradient_pa_per_m": grad.max(axis=1, initial=0.0),
        "buildings_heat_kw": loads_kw.sum(axis=1),
    }
    reason = np.full(n_h, "", dtype=object)
    finite = np.isfinite(residual) & np.isfinite(q_bu) & np.all(np.isfinite(m_b), axis=1)
    checks = [
        (~converged, f"fixed point not converged after {max_iter} iterations"),
        (~finite, "non-finite numbers"),
        (out_of_range, "temperatures outside the physical range"),
        (rel > rtol_energy, f"energy balance violated (> {100 * rtol_energy:.2g} %)"),
        (
            lift_bad,
            f"a building gets water less than {min_dt} K from its outlet set point",
        ),
    ]
    for mask, text in checks:
        empty = reason == ""
        reason = np.where(mask & empty, text, np.where(mask, reason + "; " + text, reason))
    return TreeSolution(
        reason=reason,
        iterations=int(iterations),
        scalars=scalars,
        t_node_c=t_node_k - C_TO_K,
        p_node_bar=p_node / 1e5,
        pipe=pipe,
        bld=bld,
    )
