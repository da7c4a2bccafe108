"""The result of one solved hour: tables read from a solved pandapipes net, or a failed hour.

Used by :func:`grid.hydraulics.solve_hour`; see there for the method and the checks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandapipes as pp
import pandas as pd

from tsg.common.units import C_TO_K
from tsg.grid.network import ThermalNetwork

__all__ = ["BUILDING_COLUMNS", "JUNCTION_COLUMNS", "PIPE_COLUMNS", "HourResult", "HydraulicsError"]

_FLOW_EPS_KG_PER_S = 1e-7

JUNCTION_COLUMNS = ["node_id", "line", "t_c", "p_bar", "has_flow"]
PIPE_COLUMNS = [
    "edge",
    "from_id",
    "to_id",
    "line",
    "dn_mm",
    "parallel_pipes",
    "length_m",
    "mdot_kg_per_s",
    "direction",
    "velocity_m_per_s",
    "dp_bar",
    "pressure_gradient_pa_per_m",
    "t_in_c",
    "t_out_c",
    "soil_gain_kw",
]
BUILDING_COLUMNS = [
    "building_id",
    "mode",
    "heat_requested_kw",
    "heat_delivered_kw",
    "mdot_kg_per_s",
    "t_in_c",
    "t_out_c",
    "dp_bar",
]


class HydraulicsError(RuntimeError):
    """An hour could not be solved, or its solution failed a physical check."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class HourResult:
    """Result of one hour.

    Attributes
    ----------
    converged
        True if pandapipes converged and every check passed.
    reason
        Empty if converged, otherwise what failed.
    iterations
        Number of pandapipes runs.
    solve_time_s
        Wall time [s].
    junctions
        Columns ``node_id``, ``line``, ``t_c`` [°C] (NaN without flow), ``p_bar`` [bar],
        ``has_flow`` (bool).
    pipes
        Columns ``edge``, ``from_id``, ``to_id``, ``line``, ``dn_mm``, ``length_m`` [m],
        ``mdot_kg_per_s`` (signed, > 0 from ``from_id`` to ``to_id``), ``direction`` (+1, -1,
        0), ``velocity_m_per_s`` (absolute), ``dp_bar`` (friction drop along the flow, >= 0),
        ``pressure_gradient_pa_per_m``, ``t_in_c``, ``t_out_c`` (along the flow; NaN without
        flow), ``soil_gain_kw`` (heat from soil into the water, > 0 when the soil is warmer).
    buildings
        Columns ``building_id``, ``mode`` ('heat', 'cool', 'off'), ``heat_requested_kw``
        (> 0 takes heat from the loop), ``heat_delivered_kw`` (from the solved mass flow and
        temperatures), ``mdot_kg_per_s`` (>= 0), ``t_in_c``, ``t_out_c`` [°C], ``dp_bar``
        (inlet minus outlet pressure; < 0 means the building's own pump must push).
    balancing_heat_kw
        Heat the balancing unit puts into the loop [kW] (> 0 in net-heating hours, < 0 when it
        absorbs the surplus of cooling buildings).
    balancing_mdot_kg_per_s
        Mass flow through the balancing unit [kg/s] (>= 0).
    balancing_direction
        'heating' (cold -> warm), 'cooling' (warm -> cold) or 'idle'.
    soil_gain_kw
        Net heat from the soil into the loop [kW] (negative = losses).
    energy_residual_kw
        ``balancing_heat_kw + soil_gain_kw - sum(heat_delivered_kw)`` [kW].
    energy_residual_rel
        Residual over the gross heat flow ``max(sum|Q_buildings|, |Q_balancing|, |Q_soil|)``.
    pump_central_w, pump_decentral_w
        Hydraulic power of the balancing-unit pump and of building pumps [W].
    pump_elec_kw
        Electricity of all pumps [kW] (hydraulic power / pump efficiency).
    pipe_friction_w
        Hydraulic power dissipated by pipe friction [W].
    max_velocity_m_per_s, max_pressure_gradient_pa_per_m
        Largest pipe velocity and frictional pressure gradient.

    """

    converged: bool
    reason: str
    iterations: int
    solve_time_s: float
    junctions: pd.DataFrame = field(repr=False)
    pipes: pd.DataFrame = field(repr=False)
    buildings: pd.DataFrame = field(repr=False)
    balancing_heat_kw: float
    balancing_mdot_kg_per_s: float
    balancing_direction: str
    soil_gain_kw: float
    energy_residual_kw: float
    energy_residual_rel: float
    pump_central_w: float
    pump_decentral_w: float
    pump_elec_kw: float
    pipe_friction_w: float
    max_velocity_m_per_s: float
    max_pressure_gradient_pa_per_m: float

    def summary(self) -> dict[str, float | str | bool | int]:
        """Scalar results as a flat dict (one row of an annual table)."""
        return {
            "converged": self.converged,
            "reason": self.reason,
            "iterations": self.iterations,
            "solve_time_s": self.solve_time_s,
            "balancing_heat_kw": self.balancing_heat_kw,
            "balancing_mdot_kg_per_s": self.balancing_mdot_kg_per_s,
            "balancing_direction": self.balancing_direction,
            "soil_gain_kw": self.soil_gain_kw,
            "energy_residual_kw": self.energy_residual_kw,
            "energy_residual_rel": self.energy_residual_rel,
            "pump_central_w": self.pump_central_w,
            "pump_decentral_w": self.pump_decentral_w,
            "pump_elec_kw": self.pump_elec_kw,
            "pipe_friction_w": self.pipe_friction_w,
            "max_velocity_m_per_s": self.max_velocity_m_per_s,
            "max_pressure_gradient_pa_per_m": self.max_pressure_gradient_pa_per_m,
        }


def mean_cp(net: pp.pandapipesNet, t1_k: np.ndarray, t2_k: np.ndarray) -> np.ndarray:
    """Heat capacity as pandapipes uses it on a branch: mean of cp(T_in) and cp(T_out)."""
    fluid = net.fluid
    t1 = np.nan_to_num(np.asarray(t1_k, dtype=float), nan=293.15)
    t2 = np.nan_to_num(np.asarray(t2_k, dtype=float), nan=293.15)
    return 0.5 * (fluid.get_heat_capacity(t1) + fluid.get_heat_capacity(t2))


def _cp_at(net: pp.pandapipesNet, t_k: np.ndarray) -> np.ndarray:
    """Heat capacity of the network's fluid at ``t_k`` [J/(kg K)]."""
    return np.asarray(net.fluid.get_heat_capacity(np.asarray(t_k, dtype=float)), dtype=float)


def failed_hour(
    network: ThermalNetwork,
    loads_kw: pd.Series,
    reason: str,
    iterations: int,
    t0: float,
    raise_on_failure: bool,
) -> HourResult:
    if raise_on_failure:
        raise HydraulicsError(reason)
    junctions = network.junctions[["node_id", "line"]].assign(
        t_c=np.nan, p_bar=np.nan, has_flow=False
    )
    pipes = network.pipes[PIPE_COLUMNS[:7]].copy()
    for c in PIPE_COLUMNS[7:]:
        pipes[c] = np.nan
    bld = pd.DataFrame({"building_id": list(network.building_ids)})
    bld["mode"] = "failed"
    bld["heat_requested_kw"] = loads_kw.reindex(bld.building_id).to_numpy()
    for c in BUILDING_COLUMNS[3:]:
        bld[c] = np.nan
    nan = float("nan")
    return HourResult(
        converged=False,
        reason=reason,
        iterations=iterations,
        solve_time_s=time.perf_counter() - t0,
        junctions=junctions,
        pipes=pipes,
        buildings=bld,
        balancing_heat_kw=nan,
        balancing_mdot_kg_per_s=nan,
        balancing_direction="failed",
        soil_gain_kw=nan,
        energy_residual_kw=nan,
        energy_residual_rel=nan,
        pump_central_w=nan,
        pump_decentral_w=nan,
        pump_elec_kw=nan,
        pipe_friction_w=nan,
        max_velocity_m_per_s=nan,
        max_pressure_gradient_pa_per_m=nan,
    )


def read_hour(
    network: ThermalNetwork,
    loads: pd.Series,
    heating: np.ndarray,
    cooling: np.ndarray,
    heat_dir: bool,
    iterations: int,
    t0: float,
    t_range_c: tuple[float, float],
    rtol_energy: float,
    raise_on_failure: bool,
) -> HourResult:
    net = network.net
    loop = network.loop
    # --- which junctions carry flow -------------------------------------------------------
    flows = []
    for tbl, fcol, tcol, mcol in (
        ("pipe", "from_junction", "to_junction", "mdot_from_kg_per_s"),
        ("heat_consumer", "from_junction", "to_junction", "mdot_from_kg_per_s"),
        ("circ_pump_pressure", "return_junction", "flow_junction", "mdot_from_kg_per_s"),
    ):
        m = np.abs(np.nan_to_num(net[f"res_{tbl}"][mcol].to_numpy()))
        active = net[tbl].in_service.to_numpy() & (m > _FLOW_EPS_KG_PER_S)
        flows.append(net[tbl][fcol].to_numpy()[active])
        flows.append(net[tbl][tcol].to_numpy()[active])
    flowing = set(np.concatenate(flows).tolist())
    jrow = network.junctions.junction.to_numpy()
    has_flow = np.array([j in flowing for j in jrow])
    rj = net.res_junction.loc[jrow]
    t_c = np.where(has_flow, rj.t_k.to_numpy() - C_TO_K, np.nan)
    junctions = network.junctions[["node_id", "line"]].assign(
        t_c=t_c, p_bar=rj.p_bar.to_numpy(), has_flow=has_flow
    )
    if np.any(has_flow & ((t_c < t_range_c[0]) | (t_c > t_range_c[1]))):
        bad = junctions[has_flow & ((t_c < t_range_c[0]) | (t_c > t_range_c[1]))]
        return failed_hour(
            network,
            loads,
            f"temperatures outside the physical range {t_range_c[0]:.2f}-{t_range_c[1]:.2f} °C"
            f" at {list(zip(bad.node_id, bad.line, bad.t_c.round(3), strict=True))}",
            iterations,
            t0,
            raise_on_failure,
        )

    # --- pipes ----------------------------------------------------------------------------
    pidx = network.pipes.pipe_idx.to_numpy()
    rp = net.res_pipe.loc[pidx]
    # identical parallel pipes between the same junctions carry the same flow each: the
    # trench line carries n times the first one's flow and exchanges n times its heat
    n_par = network.pipes.parallel_pipes.to_numpy()
    mdot_p = n_par * np.nan_to_num(rp.mdot_from_kg_per_s.to_numpy())
    moving = np.abs(mdot_p) > _FLOW_EPS_KG_PER_S
    direction = np.where(moving, np.sign(mdot_p), 0).astype(int)
    t_in_k = np.where(mdot_p >= 0, rp.t_from_k.to_numpy(), rp.t_to_k.to_numpy())
    t_out_k = rp.t_outlet_k.to_numpy()
    soil_w = np.where(
        moving, np.abs(mdot_p) * mean_cp(net, t_in_k, t_out_k) * (t_out_k - t_in_k), 0.0
    )
    dp_bar = np.abs(rp.p_from_bar.to_numpy() - rp.p_to_bar.to_numpy())
    vdot = n_par * np.abs(np.nan_to_num(rp.vdot_m3_per_s.to_numpy()))
    length = network.pipes.length_m.to_numpy()
    pipes = network.pipes[PIPE_COLUMNS[:7]].copy()
    pipes["mdot_kg_per_s"] = mdot_p
    pipes["direction"] = direction
    pipes["velocity_m_per_s"] = np.abs(np.nan_to_num(rp.v_mean_m_per_s.to_numpy()))
    pipes["dp_bar"] = dp_bar
    pipes["pressure_gradient_pa_per_m"] = dp_bar * 1e5 / length
    pipes["t_in_c"] = np.where(moving, t_in_k - C_TO_K, np.nan)
    pipes["t_out_c"] = np.where(moving, t_out_k - C_TO_K, np.nan)
    pipes["soil_gain_kw"] = soil_w / 1000.0

    # --- buildings ------------------------------------------------------------------------
    rc = net.res_heat_consumer
    cons = network.consumers
    rows = []
    decentral_w = 0.0
    for k, b in enumerate(network.building_ids):
        if heating[k]:
            mode, i = "heat", int(cons.loc[b, "heat"])
        elif cooling[k]:
            mode, i = "cool", int(cons.loc[b, "cool"])
        else:
            rows.append((b, "off", float(loads[b]), 0.0, 0.0, np.nan, np.nan, np.nan))
            continue
        r = rc.loc[i]
        tin, tout, m = float(r.t_from_k), float(r.t_outlet_k), float(r.mdot_from_kg_per_s)
        q = m * float(mean_cp(net, np.array([tin]), np.array([tout]))[0]) * (tin - tout) / 1000.0
        dp = float(r.p_from_bar - r.p_to_bar)
        decentral_w += max(0.0, -dp) * 1e5 * abs(float(r.vdot_m3_per_s))
        rows.append((b, mode, float(loads[b]), q, m, tin - C_TO_K, tout - C_TO_K, dp))
    buildings = pd.DataFrame(rows, columns=BUILDING_COLUMNS)

    # --- balancing unit -------------------------------------------------------------------
    pump = network.pump_heating if heat_dir else network.pump_cooling
    rpump = net.res_circ_pump_pressure.loc[pump]
    m_bu = abs(float(np.nan_to_num(rpump.mdot_from_kg_per_s)))
    ret_j = int(net.circ_pump_pressure.loc[pump, "return_junction"])
    t_ret = float(net.res_junction.loc[ret_j, "t_k"])
    t_flow = float(net.circ_pump_pressure.loc[pump, "t_flow_k"])
    if m_bu > _FLOW_EPS_KG_PER_S:
        cp_bu = float(mean_cp(net, np.array([t_ret]), np.array([t_flow]))[0])
        q_bu_kw = m_bu * cp_bu * (t_flow - t_ret) / 1000.0
        bu_dir = "heating" if heat_dir else "cooling"
        central_w = (
            m_bu / float(net.fluid.get_density(np.array([t_ret]))[0]) * (loop.plift_bar * 1e5)
        )
    else:
        q_bu_kw, bu_dir, central_w = 0.0, "idle", 0.0

    soil_kw = float(np.sum(soil_w)) / 1000.0
    q_bld = float(buildings.heat_delivered_kw.sum())
    residual = q_bu_kw + soil_kw - q_bld
    gross = max(float(buildings.heat_delivered_kw.abs().sum()), abs(q_bu_kw), abs(soil_kw))
    rel = abs(residual) / gross if gross > 0 else 0.0
    if rel > rtol_energy:
        return failed_hour(
            network,
            loads,
            f"energy balance violated: residual {residual:.3f} kW = {100 * rel:.3f} % of "
            f"{gross:.3f} kW",
            iterations,
            t0,
            raise_on_failure,
        )
    friction_w = float(np.sum(vdot * dp_bar * 1e5))
    return HourResult(
        converged=True,
        reason="",
        iterations=iterations,
        solve_time_s=time.perf_counter() - t0,
        junctions=junctions,
        pipes=pipes,
        buildings=buildings,
        balancing_heat_kw=q_bu_kw,
        balancing_mdot_kg_per_s=m_bu,
        balancing_direction=bu_dir,
        soil_gain_kw=soil_kw,
        energy_residual_kw=residual,
        energy_residual_rel=rel,
        pump_central_w=central_w,
        pump_decentral_w=decentral_w,
        pump_elec_kw=(central_w + decentral_w) / loop.pump_efficiency / 1000.0,
        pipe_friction_w=friction_w,
        max_velocity_m_per_s=float(pipes.velocity_m_per_s.max()),
        max_pressure_gradient_pa_per_m=float(pipes.pressure_gradient_pa_per_m.max()),
    )
