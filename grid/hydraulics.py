"""Solve one hour of an ambient loop with pandapipes and check its energy balance.

Method (see :mod:`grid.network` for the model):

1. Each building with ``|network_heat_kw|`` above ``min_load_kw`` gets its heating consumer
   (set return temperature, :func:`grid.network.heating_return_k`: the cold line, or lower
   when the water arrives too cold) or its cooling consumer (controlled mass flow) in
   service, first guess of the mass flow ``|Q| / (cp * |T_in - T_set|)`` at nominal inlet
   temperatures.
2. The balancing-unit pump whose direction matches the net mass flow of the buildings is put
   in service (heating buildings move water warm -> cold; if they move more than the cooling
   buildings, the balancing unit returns the difference cold -> warm and heats it).
3. ``pandapipes.pipeflow(mode="sequential", friction_model="colebrook")``. The default
   Nikuradse friction model of pandapipes ignores the Reynolds number in turbulent flow and
   underestimates friction in smooth PE pipes, hence Colebrook.
4. Outer fixed-point iteration on each building's mass flow, ``mdot <- |Q| / (cp * |t_in -
   t_set|)`` with ``t_set`` the outlet set point (heating: ``heating_return_k(t_in)``,
   cooling: the warm line), until ``mdot * cp * |t_in - t_set|`` equals the load within
   ``rtol_load`` for every building with the set point of the present inlet temperature.
   Heating consumers hold their outlet at the set point inside pandapipes (the ``qext_w``
   handed over is the one that makes pandapipes' hydraulics produce the wanted mass flow);
   cooling consumers deliver their load exactly and the iteration moves their outlet to the
   set point. Each hour starts from nominal temperatures, so results do not depend on the
   previous hour.
5. Checks: pandapipes convergence, temperatures within the physical range (between the
   lowest and highest of nominal line, soil and heating-return temperatures), enough
   temperature drop at every building, and the energy balance
   ``Q_balancing + Q_soil_gain - sum(Q_buildings) = 0`` within ``rtol_energy`` of the gross
   heat flow. Junctions without flow get NaN temperatures (pandapipes would report its
   ambient default) and ``has_flow = False``.

An hour that fails any check raises :class:`HydraulicsError`, or, with
``raise_on_failure=False``, returns an :class:`HourResult` with ``converged=False``, a
``reason`` and NaN numbers.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandapipes as pp
import pandas as pd
from pandapipes.pf.pipeflow_setup import PipeflowNotConverged

from common.errors import InputError
from grid.network import C_TO_K, ThermalNetwork, heating_return_k

__all__ = ["HourResult", "HydraulicsError", "solve_hour"]

_FLOW_EPS_KG_PER_S = 1e-7

JUNCTION_COLUMNS = ["node_id", "line", "t_c", "p_bar", "has_flow"]
PIPE_COLUMNS = [
    "edge",
    "from_id",
    "to_id",
    "line",
    "dn_mm",
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


def _cp(net: pp.pandapipesNet, t1_k: np.ndarray, t2_k: np.ndarray) -> np.ndarray:
    """Heat capacity as pandapipes uses it on a branch: mean of cp(T_in) and cp(T_out)."""
    fluid = net.fluid
    t1 = np.nan_to_num(np.asarray(t1_k, dtype=float), nan=293.15)
    t2 = np.nan_to_num(np.asarray(t2_k, dtype=float), nan=293.15)
    return 0.5 * (fluid.get_heat_capacity(t1) + fluid.get_heat_capacity(t2))


def _cp_at(net: pp.pandapipesNet, t_k: np.ndarray) -> np.ndarray:
    """Heat capacity of the network's fluid at ``t_k`` [J/(kg K)]."""
    return np.asarray(net.fluid.get_heat_capacity(np.asarray(t_k, dtype=float)), dtype=float)


def _failed(
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
    pipes = network.pipes[["edge", "from_id", "to_id", "line", "dn_mm", "length_m"]].copy()
    for c in PIPE_COLUMNS[6:]:
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


def _run_pipeflow(net: pp.pandapipesNet, t_amb_k: float) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pp.pipeflow(
            net,
            mode="sequential",
            friction_model="colebrook",
            ambient_temperature=t_amb_k,
            max_iter_colebrook=200,
        )


def solve_hour(
    network: ThermalNetwork,
    *,
    building_heat_kw: Mapping[str, float] | pd.Series,
    t_soil_c: float | None = None,
    min_load_kw: float = 1e-3,
    rtol_load: float = 1e-3,
    rtol_energy: float = 5e-3,
    min_delta_t_k: float = 0.5,
    max_iter: int = 25,
    raise_on_failure: bool = True,
) -> HourResult:
    """Solve one steady-state hour of the ambient loop.

    Parameters
    ----------
    network
        Built network (:func:`grid.network.build_network`); modified in place (loads, flags).
    building_heat_kw
        Net loop-side heat per building id [kW]: > 0 the building takes heat (heat pumps),
        < 0 it injects heat (cooling); e.g. ``network_heat_kw`` of
        :func:`grid.substation.substation_loads`. Missing buildings count as 0.
    t_soil_c
        Undisturbed soil temperature around the pipes [°C]; ``None`` keeps the current value.
    min_load_kw
        Buildings with ``|load|`` below this are switched off [kW].
    rtol_load
        Relative tolerance of delivered vs requested building load [-].
    rtol_energy
        Tolerance of the energy balance relative to the gross heat flow [-] (0.5 %).
    min_delta_t_k
        Smallest usable difference between a building's inlet temperature and its outlet set
        point [K]; below it the building cannot deliver its load (heating: water arriving
        less than this above ``loop.min_return_c``).
    max_iter
        Maximum number of pandapipes runs.
    raise_on_failure
        Raise :class:`HydraulicsError` (default) or return a flagged result.

    Returns
    -------
    HourResult

    Raises
    ------
    InputError
        Unknown building ids or non-finite loads.
    HydraulicsError
        Not converged or a failed physical check (only if ``raise_on_failure``).

    """
    t0 = time.perf_counter()
    loads = pd.Series(building_heat_kw, dtype=float)
    loads.index = loads.index.astype(str)
    unknown = sorted(set(loads.index) - set(network.building_ids))
    if unknown:
        raise InputError(f"unknown building ids {unknown}", field="building_heat_kw")
    if not np.all(np.isfinite(loads.to_numpy())):
        raise InputError("building loads must be finite", field="building_heat_kw")
    loads = loads.reindex(list(network.building_ids), fill_value=0.0)
    net = network.net
    loop = network.loop
    if t_soil_c is not None:
        network.set_soil_temperature(t_soil_c)
    t_soil_k = float(np.nanmean(net.pipe.text_k.to_numpy()))
    tw_k = loop.t_warm_c + C_TO_K
    tc_k = loop.t_cold_c + C_TO_K

    q_w = loads.to_numpy() * 1000.0
    heating = q_w > min_load_kw * 1000.0
    cooling = q_w < -min_load_kw * 1000.0
    active = heating | cooling
    cons = network.consumers
    hc, cc = net.heat_consumer, net.heat_consumer
    hidx = cons["heat"].to_numpy()
    cidx = cons["cool"].to_numpy()
    hc.loc[hidx, "in_service"] = heating
    cc.loc[cidx, "in_service"] = cooling
    # start every hour from nominal temperatures: results do not depend on the previous hour
    is_warm = network.junctions.line.to_numpy() == "warm"
    net.junction.loc[network.junctions.junction.to_numpy(), "tfluid_k"] = np.where(
        is_warm, tw_k, tc_k
    )
    pumps = net.circ_pump_pressure
    any_load = bool(heating.any() or cooling.any())

    def set_consumers(m_set: np.ndarray, t_ret: np.ndarray) -> None:
        # pandapipes' hydraulics turn qext_w into mdot = qext / (cp * (T_in0 - treturn)) with
        # the initial (nominal warm) inlet temperature and cp the mean of cp(T_in0) and
        # cp(treturn); invert that to get the wanted mass flow. Inactive consumers get a dummy
        # 1 W (pandapipes warns about qext_w == 0 even when off).
        cp_h = _cp(net, np.full(len(t_ret), tw_k), t_ret)
        hc.loc[hidx, "qext_w"] = np.where(heating, m_set * cp_h * (tw_k - t_ret), 1.0)
        hc.loc[hidx, "treturn_k"] = np.where(heating, t_ret, tc_k)
        cc.loc[cidx, "qext_w"] = np.where(cooling, q_w, -1.0)
        cc.loc[cidx, "controlled_mdot_kg_per_s"] = np.where(cooling, m_set, 0.0)

    # Per building: the outlet set point (heating: return temperature handed to pandapipes,
    # cooling: warm line) and the mass flow. Residual r = mdot * cp * |T_in - T_set| - |Q|,
    # zero when the building delivers its load with its outlet at the set point.
    q_abs = np.abs(q_w)
    t_set = np.where(heating, heating_return_k(tw_k, loop), tw_k)
    t_in0 = np.where(heating, tw_k, tc_k)
    lift0 = np.abs(t_in0 - t_set)
    m_set = np.where(active, q_abs / (_cp(net, t_in0, t_set) * lift0), 0.0)
    set_consumers(m_set, t_set)
    heat_dir = bool(m_set[heating].sum() - m_set[cooling].sum() >= 0.0)
    iterations = 0
    while True:
        pumps.loc[network.pump_heating, "in_service"] = heat_dir
        pumps.loc[network.pump_cooling, "in_service"] = not heat_dir
        iterations += 1
        try:
            _run_pipeflow(net, t_soil_k)
        except UserWarning as exc:
            # pandapipes refuses a circulation pump whose flow would reverse: use the other one
            if "direction change" not in str(exc):
                raise
            heat_dir = not heat_dir
            pumps.loc[network.pump_heating, "in_service"] = heat_dir
            pumps.loc[network.pump_cooling, "in_service"] = not heat_dir
            try:
                _run_pipeflow(net, t_soil_k)
            except (UserWarning, PipeflowNotConverged) as exc2:
                return _failed(
                    network, loads, f"pandapipes: {exc2}", iterations, t0, raise_on_failure
                )
        except PipeflowNotConverged as exc:
            return _failed(network, loads, f"pandapipes: {exc}", iterations, t0, raise_on_failure)
        if not net.converged:
            return _failed(
                network, loads, "pandapipes: not converged", iterations, t0, raise_on_failure
            )
        if not any_load:
            break
        rc = net.res_heat_consumer
        sel = np.where(heating, hidx, cidx)
        t_in = rc.t_from_k.to_numpy()[sel]
        mdot = np.abs(rc.mdot_from_kg_per_s.to_numpy()[sel])
        # the set point that belongs to the present inlet temperature
        t_set_new = np.where(heating, heating_return_k(t_in, loop), tw_k)
        # signed: heating needs t_in above its return, cooling t_in below the warm line
        lift = np.where(heating, t_in - t_set, t_set - t_in)
        lift_new = np.where(heating, t_in - t_set_new, lift)
        too_small = active & ~(lift_new >= min_delta_t_k)
        r = np.where(active, mdot * _cp(net, t_in, t_set) * lift - q_abs, 0.0)
        r_new = np.where(active, mdot * _cp(net, t_in, t_set_new) * lift_new - q_abs, 0.0)
        err = np.maximum(np.abs(r), np.abs(r_new)) / np.maximum(q_abs, 1.0)
        done = not np.any(err > rtol_load)
        if (done or iterations >= max_iter) and np.any(too_small):
            b = [str(x) for x in np.array(network.building_ids)[too_small]]
            return _failed(
                network,
                loads,
                f"buildings {b} get water less than {min_delta_t_k} K from their outlet set "
                f"point (heating: above {loop.min_return_c} °C, the lowest evaporator "
                "return; cooling: below the warm line)",
                iterations,
                t0,
                raise_on_failure,
            )
        if done:
            break
        if iterations >= max_iter:
            return _failed(
                network,
                loads,
                f"outer iteration not converged after {max_iter} runs "
                f"(largest relative load error {err.max():.2e})",
                iterations,
                t0,
                raise_on_failure,
            )
        # fixed-point step: the mass flow that delivers the load at the present inlet
        # temperature and its set point (with at least min_delta_t_k of lift while iterating).
        # A secant step per building was tried and is unstable where buildings are coupled
        # through low-flow mixing junctions. Heating buildings whose return sits on the floor
        # take half the step in log space: there the plain map overshoots (more flow -> warmer
        # inlet -> less flow), as it did at the cold line before the evaporator rule.
        lift_use = np.maximum(lift_new, min_delta_t_k)
        m_target = np.where(active, q_abs / (_cp(net, t_in, t_set_new) * lift_use), 0.0)
        on_floor = heating & (t_in - loop.min_evaporator_delta_t_k < t_set_new - 1e-9)
        m_set = np.where(on_floor, np.sqrt(np.maximum(mdot, 1e-12) * m_target), m_target)
        t_set = t_set_new
        set_consumers(m_set, t_set)
        heat_dir = bool(m_set[heating].sum() - m_set[cooling].sum() >= 0.0)

    t_ret_min = float(np.min(t_set[heating], initial=tc_k)) - C_TO_K
    t_lo = min(loop.t_cold_c, t_soil_k - C_TO_K, t_ret_min) - 0.05
    t_hi = max(loop.t_warm_c, t_soil_k - C_TO_K) + 0.05
    return _extract(
        network,
        loads,
        heating,
        cooling,
        heat_dir,
        iterations,
        t0,
        (t_lo, t_hi),
        rtol_energy,
        raise_on_failure,
    )


def _extract(
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
        return _failed(
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
    mdot_p = np.nan_to_num(rp.mdot_from_kg_per_s.to_numpy())
    moving = np.abs(mdot_p) > _FLOW_EPS_KG_PER_S
    direction = np.where(moving, np.sign(mdot_p), 0).astype(int)
    t_in_k = np.where(mdot_p >= 0, rp.t_from_k.to_numpy(), rp.t_to_k.to_numpy())
    t_out_k = rp.t_outlet_k.to_numpy()
    soil_w = np.where(moving, np.abs(mdot_p) * _cp(net, t_in_k, t_out_k) * (t_out_k - t_in_k), 0.0)
    dp_bar = np.abs(rp.p_from_bar.to_numpy() - rp.p_to_bar.to_numpy())
    vdot = np.abs(np.nan_to_num(rp.vdot_m3_per_s.to_numpy()))
    length = network.pipes.length_m.to_numpy()
    pipes = network.pipes[["edge", "from_id", "to_id", "line", "dn_mm", "length_m"]].copy()
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
        q = m * float(_cp(net, np.array([tin]), np.array([tout]))[0]) * (tin - tout) / 1000.0
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
        cp_bu = float(_cp(net, np.array([t_ret]), np.array([t_flow]))[0])
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
        return _failed(
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
