"""Annual simulation (typically 8,760 hours) of an ambient loop: fast on trees, checked.

Method
------
* **Tree networks** (the proposed layouts are spanning trees): all hours are solved at once by
  :func:`grid.fast_tree_solver.solve_tree_hours`, a vectorised solver of the same equations
  as the per-hour pandapipes model (:func:`grid.hydraulics.solve_hour`): mass flows by
  subtree sums, the exponential soil-exchange law per pipe, flow-weighted mixing at
  junctions, Colebrook friction, the building mass-flow fixed point, the same pump-power
  bookkeeping. The tests compare it hour by hour with pandapipes.
* **Meshed networks** are solved hour by hour with pandapipes (:func:`solve_hour`).
* **Every hour is checked** (energy balance within ``rtol_energy`` of the gross heat flow,
  temperatures inside the physical range, enough temperature lift at every building,
  converged iteration). An hour the fast solver cannot deliver is solved again with
  pandapipes; if that fails as well the hour keeps ``converged=False``, a ``reason`` naming
  both attempts and NaN numbers. No hour is dropped and none is reported as valid unless a
  solver produced it and it passed the checks.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from tsg.common.errors import InputError
from tsg.grid.fast_tree_solver import solve_tree_hours
from tsg.grid.hydraulics import solve_hour
from tsg.grid.network import ThermalNetwork
from tsg.grid.tree_flows import is_tree, tree_topology
from tsg.grid.year_result import YearResult, empty_year_result

__all__ = ["simulate_year"]

_PIPE_KEYS = {
    "mdot": "pipe_mdot_kg_per_s",
    "velocity": "pipe_velocity_m_per_s",
    "dp": "pipe_dp_bar",
    "t_in": "pipe_t_in_c",
    "t_out": "pipe_t_out_c",
    "soil": "pipe_soil_gain_kw",
}
_BLD_KEYS = {
    "mode": "bld_mode",
    "delivered": "bld_heat_delivered_kw",
    "mdot": "bld_mdot_kg_per_s",
    "t_in": "bld_t_in_c",
    "t_out": "bld_t_out_c",
    "dp": "bld_dp_bar",
}


def _check_inputs(
    network: ThermalNetwork, building_heat_kw: pd.DataFrame, t_soil_c: float | pd.Series
) -> tuple[np.ndarray, np.ndarray]:
    unknown = sorted(set(map(str, building_heat_kw.columns)) - set(network.building_ids))
    if unknown:
        raise InputError(f"unknown building columns {unknown}", field="building_heat_kw")
    loads = building_heat_kw.astype(float).copy()
    loads.columns = loads.columns.astype(str)
    loads = loads.reindex(columns=list(network.building_ids), fill_value=0.0)
    q = loads.to_numpy()
    if not np.all(np.isfinite(q)):
        raise InputError("building loads must be finite", field="building_heat_kw")
    if isinstance(t_soil_c, pd.Series):
        if not t_soil_c.index.equals(building_heat_kw.index):
            raise InputError("t_soil_c must share the index of building_heat_kw", field="t_soil_c")
        soil = t_soil_c.to_numpy(dtype=float)
    else:
        soil = np.full(len(loads), float(t_soil_c))
    if not np.all(np.isfinite(soil)):
        raise InputError("t_soil_c must be finite", field="t_soil_c")
    return q, soil


def simulate_year(
    network: ThermalNetwork,
    *,
    building_heat_kw: pd.DataFrame,
    t_soil_c: float | pd.Series,
    min_load_kw: float = 1e-3,
    rtol_energy: float = 5e-3,
    min_delta_t_k: float = 0.5,
    fallback: bool = True,
    force_pandapipes: bool = False,
    on_hour: Callable[[int, int], None] | None = None,
) -> YearResult:
    """Simulate many hours of an ambient loop.

    Parameters
    ----------
    network
        Built network (:func:`grid.network.build_network`). Per-hour pandapipes runs modify
        its loads and soil temperature in place.
    building_heat_kw
        One row per hour, one column per building id: loop-side load [kW] (> 0 the building
        takes heat, < 0 it injects heat). Missing buildings count as 0.
    t_soil_c
        Undisturbed soil temperature [°C]: a scalar or a Series on the same index.
    min_load_kw, rtol_energy, min_delta_t_k
        As in :func:`grid.hydraulics.solve_hour`.
    fallback
        Re-solve hours the fast solver flags with pandapipes (default True).
    force_pandapipes
        Solve every hour with pandapipes (the plain reference run).
    on_hour
        Called as ``on_hour(done, total)`` after each per-hour pandapipes solve (progress).

    Returns
    -------
    grid.year_result.YearResult
        ``hours.solver`` tells which solver produced each hour; flagged hours have
        ``converged`` False, a ``reason`` and NaN numbers.

    Raises
    ------
    InputError
        Unknown building columns, non-finite loads or soil temperatures, or a soil series on
        another index.

    """
    q, soil = _check_inputs(network, building_heat_kw, t_soil_c)
    year = empty_year_result(network, index=building_heat_kw.index, requested_kw=q)
    n_h = len(q)
    edges = network.pipes[network.pipes.line == "warm"].sort_values("edge")
    tree = is_tree(edges, network.node_ids)
    todo = np.arange(n_h)
    fast_reason = np.full(n_h, "", dtype=object)
    if tree and not force_pandapipes and n_h > 0:
        topo = tree_topology(edges, node_ids=network.node_ids, root_id=network.balancing_id)
        sol = solve_tree_hours(
            network,
            topo,
            loads_kw=q,
            t_soil_c=soil,
            min_load_kw=min_load_kw,
            min_delta_t_k=min_delta_t_k,
            rtol_energy=rtol_energy,
        )
        _fill_fast(year, sol)
        fast_reason = sol.reason
        todo = np.flatnonzero(sol.reason != "")
        if not fallback:
            for k in todo:
                year.flag_hour(int(k), f"fast solver: {sol.reason[k]}", solver="fast")
            todo = np.array([], dtype=int)
    cols = list(network.building_ids)
    for done, k in enumerate(todo, start=1):
        res = solve_hour(
            network,
            building_heat_kw=dict(zip(cols, q[k], strict=True)),
            t_soil_c=float(soil[k]),
            min_load_kw=min_load_kw,
            rtol_energy=rtol_energy,
            min_delta_t_k=min_delta_t_k,
            raise_on_failure=False,
        )
        year.fill_hour(int(k), res, solver="pandapipes")
        if not res.converged and fast_reason[k]:
            year.hours.iloc[int(k), year.hours.columns.get_loc("reason")] = (
                f"fast solver: {fast_reason[k]}; pandapipes: {res.reason}"
            )
        if on_hour is not None:
            on_hour(done, len(todo))
    return year


def _fill_fast(year: YearResult, sol) -> None:  # noqa: ANN001 - TreeSolution
    ok = sol.reason == ""
    h = year.hours
    for col, values in sol.scalars.items():
        h[col] = values
    h["converged"] = ok
    h["reason"] = np.where(ok, "", "fast solver: " + sol.reason.astype(str))
    h["solver"] = "fast"
    h["iterations"] = sol.iterations
    year.t_node_c[:] = sol.t_node_c
    year.p_node_bar[:] = sol.p_node_bar
    for key, name in _PIPE_KEYS.items():
        getattr(year, name)[:] = sol.pipe[key]
    for key, name in _BLD_KEYS.items():
        getattr(year, name)[:] = sol.bld[key]
    for k in np.flatnonzero(~ok):
        year.flag_hour(int(k), h["reason"].iloc[k], solver="fast")
