"""The vectorised tree solver: all hours of an ambient loop at once, same model as pandapipes.

The physical model is that of :mod:`grid.network` / :func:`grid.hydraulics.solve_hour`:
heating buildings return at ``heating_return_k(T_in)`` (the cold line, or lower when the water
arrives too cold), cooling buildings deliver at the warm-line set point, each building's mass
flow is ``|Q| / (cp * |T_in - T_set|)`` and the balancing unit supplies the rest at a nominal
line temperature. On a tree this becomes a
fixed point over the building inlet temperatures, iterated for all hours at once:

1. building set points and mass flows from the loads and the present inlet temperatures;
2. pipe mass flows by subtree sums (:meth:`grid.tree_flows.TreeTopology.downward_flows`);
   the balancing unit carries the net withdrawal;
3. temperatures of both lines (:func:`grid.fast_thermal.line_temperatures`), new inlet
   temperatures; repeat until no inlet temperature moves by more than ``tol_k``.

Then :func:`grid.fast_tree_extract.extract_solution` adds pressures, pump powers, soil
exchange, balancing-unit load and the same checks as :func:`grid.hydraulics.solve_hour`
(inlet lift, physical temperature range, energy balance); hours that fail get a reason.
"""

from __future__ import annotations

import numpy as np

from tsg.common.units import C_TO_K
from tsg.grid.fast_thermal import LineTemperatures, line_temperatures
from tsg.grid.fast_tree_extract import FLOW_EPS_KG_PER_S, TreeSolution, extract_solution
from tsg.grid.network import ThermalNetwork, heating_return_k
from tsg.grid.tree_flows import TreeTopology

__all__ = ["FLOW_EPS_KG_PER_S", "TreeSolution", "solve_tree_hours"]


class _Fluid:
    """Heat capacity, density and viscosity of the network's fluid (pandapipes tables)."""

    def __init__(self, network: ThermalNetwork) -> None:
        self._fluid = network.net.fluid
        self.t_fill_k = 0.5 * (network.loop.t_warm_c + network.loop.t_cold_c) + C_TO_K

    def _arg(self, t_k: np.ndarray) -> np.ndarray:
        return np.nan_to_num(np.asarray(t_k, dtype=float), nan=self.t_fill_k)

    def cp(self, t_k: np.ndarray) -> np.ndarray:
        return np.asarray(self._fluid.get_heat_capacity(self._arg(t_k)), dtype=float)

    def rho(self, t_k: np.ndarray) -> np.ndarray:
        return np.asarray(self._fluid.get_density(self._arg(t_k)), dtype=float)

    def eta(self, t_k: float) -> float:
        return float(np.asarray(self._fluid.get_viscosity(np.array([t_k])))[0])


def _pipe_params(network: ThermalNetwork, topo: TreeTopology) -> dict[str, dict[str, np.ndarray]]:
    """Per line, per child node: U'L [W/K], inner diameter, roughness, length [m], pipe row.

    ``ua`` is that of all the trench line's parallel pipes (``n`` x one pipe's), ``n`` their
    number; diameter, roughness and length are those of one pipe.
    """
    tbl = network.net.pipe
    rows = network.pipes.reset_index(drop=True)
    out: dict[str, dict[str, np.ndarray]] = {}
    n = topo.n_nodes
    for line in ("warm", "cold"):
        par = {k: np.ones(n) for k in ("ua", "di", "rough", "length", "n")}
        par["row"] = np.zeros(n, dtype=int)
        sel = rows[rows.line == line]
        for r, edge, pidx, n_par in zip(
            sel.index, sel.edge, sel.pipe_idx, sel.parallel_pipes, strict=True
        ):
            c = topo.edge_child[int(edge)]
            p = tbl.loc[pidx]
            length = float(p.length_km) * 1000.0
            u_per_m = float(p.u_w_per_m2k) * np.pi * float(p.outer_diameter_mm) / 1000.0
            par["ua"][c] = n_par * u_per_m * length
            par["n"][c] = n_par
            par["di"][c] = float(p.inner_diameter_mm) / 1000.0
            par["rough"][c] = float(p.k_mm) / 1000.0
            par["length"][c] = length
            par["row"][c] = r
        out[line] = par
    return out


def _receiving(t_node: np.ndarray, flow: np.ndarray, parent: np.ndarray) -> np.ndarray:
    """Temperature of the junction each pipe (per child node) flows into."""
    up_t = t_node[:, np.where(parent >= 0, parent, 0)]
    return np.where(flow > 0, t_node, up_t)


def solve_tree_hours(
    network: ThermalNetwork,
    topo: TreeTopology,
    *,
    loads_kw: np.ndarray,
    t_soil_c: np.ndarray,
    min_load_kw: float,
    min_delta_t_k: float,
    rtol_energy: float,
    tol_k: float = 1e-7,
    max_iter: int = 300,
) -> TreeSolution:
    """Solve every hour of a tree network at once.

    Parameters
    ----------
    network
        The network (parameters are read, nothing is changed).
    topo
        Its topology rooted at the balancing unit.
    loads_kw
        Loop-side load per hour and building [kW], (hours, buildings), > 0 takes heat.
    t_soil_c
        Undisturbed soil temperature per hour [°C], (hours,).
    min_load_kw, min_delta_t_k, rtol_energy
        As in :func:`grid.hydraulics.solve_hour`.
    tol_k
        Fixed point converged when no building inlet temperature changes by more [K].
    max_iter
        Iterations at most; hours still moving are flagged.

    Returns
    -------
    TreeSolution

    """
    loop = network.loop
    fluid = _Fluid(network)
    tw, tc = loop.t_warm_c + C_TO_K, loop.t_cold_c + C_TO_K
    n_h, _ = loads_kw.shape
    n = topo.n_nodes
    node_index = {nid: k for k, nid in enumerate(topo.node_ids)}
    bnode = np.array([node_index[b] for b in network.building_ids], dtype=int)
    ts = np.asarray(t_soil_c, dtype=float) + C_TO_K
    par = _pipe_params(network, topo)

    q_w = loads_kw * 1000.0
    heating = q_w > min_load_kw * 1000.0
    cooling = q_w < -min_load_kw * 1000.0
    active = heating | cooling
    q_abs = np.where(active, np.abs(q_w), 0.0)
    t_in = np.where(heating, tw, tc)
    cp_nom = {
        "warm": float(fluid.cp(np.array([tw]))[0]),
        "cold": float(fluid.cp(np.array([tc]))[0]),
    }
    cps = {
        line: {k: np.full((n_h, n), cp_nom[line]) for k in ("pipe", "mix", "src")}
        for line in ("warm", "cold")
    }
    ctx = {
        "topo": topo,
        "par": par,
        "fluid": fluid,
        "tw": tw,
        "tc": tc,
        "loop": loop,
        "min_dt": min_delta_t_k,
        "building_ids": network.building_ids,
    }
    full = {
        "m_b": np.zeros_like(q_abs),
        "t_set": np.where(heating, tc, tw),
        "flow": np.zeros((n_h, n)),
        "m_bu": np.zeros(n_h),
        "lift_bad": np.zeros(n_h, dtype=bool),
    }
    full_lines = {
        line: {k: np.full((n_h, n), np.nan) for k in ("t_node_k", "t_in_k", "t_out_k")}
        for line in ("warm", "cold")
    }
    converged = np.zeros(n_h, dtype=bool)
    previous = np.full(n_h, np.inf)
    prev_x, prev_f = np.zeros_like(t_in), np.zeros_like(t_in)
    idx = np.arange(n_h)
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        sub = _sweep(
            ctx,
            heating=heating[idx],
            cooling=cooling[idx],
            q_abs=q_abs[idx],
            t_in=t_in[idx],
            ts=ts[idx],
            cps={ln: {k: v[idx] for k, v in d.items()} for ln, d in cps.items()},
        )
        for key in full:
            full[key][idx] = sub[key]
        for line in ("warm", "cold"):
            for key in full_lines[line]:
                full_lines[line][key][idx] = getattr(sub["lines"][line], key)
            for key in cps[line]:
                cps[line][key][idx] = sub["cps"][line][key]
        act = active[idx]
        t_old = t_in[idx]
        resid = np.where(act, sub["t_new"] - t_old, 0.0)
        change = np.where(np.isnan(resid), np.inf, np.abs(resid)).max(axis=1, initial=0.0)
        done = change <= tol_k
        resid = np.nan_to_num(resid, nan=0.0, posinf=0.0, neginf=0.0)
        t_in[idx] = _anderson_step(
            t_old, resid, prev_x[idx], prev_f[idx], use=(iterations > 3) & (previous[idx] < np.inf)
        )
        prev_x[idx], prev_f[idx] = t_old, resid
        t_in[idx[done]] = np.where(act[done], sub["t_new"][done], t_old[done])
        previous[idx] = change
        converged[idx] = done
        idx = idx[~done]

        if len(idx) == 0:
            break
    lines = {ln: LineTemperatures(**full_lines[ln]) for ln in full_lines}
    lift_bad, m_b, flow, m_bu = full["lift_bad"], full["m_b"], full["flow"], full["m_bu"]
    t_set = full["t_set"]

    return extract_solution(
        network,
        topo,
        par=par,
        fluid=fluid,
        lines=lines,
        flow=flow,
        m_b=m_b,
        m_bu=m_bu,
        t_in=t_in,
        t_set=t_set,
        heating=heating,
        cooling=cooling,
        ts=ts,
        bnode=bnode,
        reasons_in=(lift_bad, converged, iterations, max_iter, min_delta_t_k),
        rtol_energy=rtol_energy,
        loads_kw=loads_kw,
    )


def _anderson_step(
    x: np.ndarray, f: np.ndarray, x_prev: np.ndarray, f_prev: np.ndarray, *, use: np.ndarray
) -> np.ndarray:
    """Next iterate of ``x = G(x)`` per hour (rows): Anderson acceleration of depth one.

    With residual ``f = G(x) - x``: ``x + f - gamma * (dx + df)``, ``gamma`` minimising the
    linearised residual. It turns the plain iteration, which oscillates where a building
    hangs on a long low-flow pipe (the map's slope is below -1 there), into a secant method
    along the dominant mode. Rows with ``use`` False or a degenerate step take the plain
    step ``x + f``.
    """
    df = f - f_prev
    dx = x - x_prev
    with np.errstate(divide="ignore", invalid="ignore"):
        gamma = (df * f).sum(axis=1) / (df * df).sum(axis=1)
    accelerated = x + f - gamma[:, None] * (dx + df)
    ok = use & np.isfinite(gamma) & np.all(np.isfinite(accelerated), axis=1)
    return np.where(ok[:, None], accelerated, x + f)


def _sweep(
    ctx: dict,
    *,
    heating: np.ndarray,
    cooling: np.ndarray,
    q_abs: np.ndarray,
    t_in: np.ndarray,
    ts: np.ndarray,
    cps: dict,
) -> dict:
    """One fixed-point step for a subset of hours: mass flows, flows, line temperatures."""
    topo, par, fluid = ctx["topo"], ctx["par"], ctx["fluid"]
    tw, tc, loop = ctx["tw"], ctx["tc"], ctx["loop"]
    n_h, n = len(q_abs), topo.n_nodes
    node_index = {nid: k for k, nid in enumerate(topo.node_ids)}
    bnode = np.array([node_index[b] for b in ctx["building_ids"]], dtype=int)
    root = topo.root
    active = heating | cooling
    t_set = np.where(heating, heating_return_k(t_in, loop), tw)
    cp_b = 0.5 * (fluid.cp(t_in) + fluid.cp(t_set))
    lift = np.where(heating, t_in - t_set, tw - t_in)
    bad = active & ~(lift >= ctx["min_dt"])
    lift_use = np.where(bad | ~active, loop.delta_t_k, lift)
    m_b = np.where(active, q_abs / (cp_b * lift_use), 0.0)
    withdrawal = np.zeros((n_h, n))
    withdrawal[:, bnode] = np.where(heating, m_b, -m_b)
    flow = topo.downward_flows(withdrawal)
    m_bu = withdrawal.sum(axis=1)
    src = {"warm": np.zeros((n_h, n)), "cold": np.zeros((n_h, n))}
    src["warm"][:, bnode] = np.where(cooling, m_b, 0.0)
    src["cold"][:, bnode] = np.where(heating, m_b, 0.0)
    src["warm"][:, root] += np.maximum(m_bu, 0.0)
    src["cold"][:, root] += np.maximum(-m_bu, 0.0)
    # water enters the warm line at tw (cooling buildings, balancing unit in heating hours)
    # and the cold line at tc (balancing unit) or at each heating building's return
    t_src_cold = np.full((n_h, n), tc)
    t_src_cold[:, bnode] = np.where(heating, t_set, tc)
    lines, new_cps = {}, {}
    for line, g, t_src in (("warm", flow, tw), ("cold", -flow, t_src_cold)):
        res = line_temperatures(
            topo,
            down_flow=g,
            source_mdot=src[line],
            t_source_k=t_src,
            t_soil_k=ts,
            ua_w_per_k=par[line]["ua"],
            cp_pipe=cps[line]["pipe"],
            cp_mix=cps[line]["mix"],
            cp_source=cps[line]["src"],
        )
        lines[line] = res
        cp_out = fluid.cp(res.t_out_k)
        new_cps[line] = {
            "pipe": 0.5 * (fluid.cp(res.t_in_k) + cp_out),
            "mix": 0.5 * (cp_out + fluid.cp(_receiving(res.t_node_k, g, topo.parent))),
            "src": 0.5 * (fluid.cp(np.broadcast_to(t_src, (n_h, n))) + fluid.cp(res.t_node_k)),
        }
    t_new = np.where(heating, lines["warm"].t_node_k[:, bnode], lines["cold"].t_node_k[:, bnode])
    return {
        "m_b": m_b,
        "t_set": t_set,
        "flow": flow,
        "m_bu": m_bu,
        "lift_bad": bad.any(axis=1),
        "lines": lines,
        "cps": new_cps,
        "t_new": t_new,
    }
