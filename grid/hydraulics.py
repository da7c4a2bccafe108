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

import numpy as np
import pandapipes as pp
import pandas as pd
from pandapipes.pf.pipeflow_setup import PipeflowNotConverged

from tsg.common.errors import InputError
from tsg.common.units import C_TO_K
from tsg.grid.hour_result import (
    HourResult,
    HydraulicsError,
    failed_hour,
    mean_cp,
    read_hour,
)
from tsg.grid.network import ThermalNetwork, heating_return_k

__all__ = ["HourResult", "HydraulicsError", "solve_hour"]


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
        cp_h = mean_cp(net, np.full(len(t_ret), tw_k), t_ret)
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
    m_set = np.where(active, q_abs / (mean_cp(net, t_in0, t_set) * lift0), 0.0)
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
                return failed_hour(
                    network, loads, f"pandapipes: {exc2}", iterations, t0, raise_on_failure
                )
        except PipeflowNotConverged as exc:
            return failed_hour(
                network, loads, f"pandapipes: {exc}", iterations, t0, raise_on_failure
            )
        if not net.converged:
            return failed_hour(
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
        r = np.where(active, mdot * mean_cp(net, t_in, t_set) * lift - q_abs, 0.0)
        r_new = np.where(active, mdot * mean_cp(net, t_in, t_set_new) * lift_new - q_abs, 0.0)
        err = np.maximum(np.abs(r), np.abs(r_new)) / np.maximum(q_abs, 1.0)
        done = not np.any(err > rtol_load)
        if (done or iterations >= max_iter) and np.any(too_small):
            b = [str(x) for x in np.array(network.building_ids)[too_small]]
            return failed_hour(
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
            return failed_hour(
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
        m_target = np.where(active, q_abs / (mean_cp(net, t_in, t_set_new) * lift_use), 0.0)
        on_floor = heating & (t_in - loop.min_evaporator_delta_t_k < t_set_new - 1e-9)
        m_set = np.where(on_floor, np.sqrt(np.maximum(mdot, 1e-12) * m_target), m_target)
        t_set = t_set_new
        set_consumers(m_set, t_set)
        heat_dir = bool(m_set[heating].sum() - m_set[cooling].sum() >= 0.0)

    t_ret_min = float(np.min(t_set[heating], initial=tc_k)) - C_TO_K
    t_lo = min(loop.t_cold_c, t_soil_k - C_TO_K, t_ret_min) - 0.05
    t_hi = max(loop.t_warm_c, t_soil_k - C_TO_K) + 0.05
    return read_hour(
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
