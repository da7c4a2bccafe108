"""Hourly results of an annual simulation: one typed container for every solver.

:class:`YearResult` holds per-hour scalars (``hours``) and per-element arrays of shape
(hours, elements) for junctions, pipes and buildings, in the element order of the
:class:`grid.network.ThermalNetwork` it was computed on. The fast tree solver
(:mod:`grid.fast_annual`) and the per-hour pandapipes runs (:func:`grid.hydraulics.solve_hour`)
fill the same container, so an hour solved either way looks the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tsg.grid.hydraulics import HourResult
from tsg.grid.network import ThermalNetwork

__all__ = ["HOUR_COLUMNS", "HOUR_SCALARS", "MODE_CODES", "YearResult", "empty_year_result"]

HOUR_SCALARS = [
    "balancing_heat_kw",
    "balancing_mdot_kg_per_s",
    "balancing_direction",
    "soil_gain_kw",
    "energy_residual_kw",
    "energy_residual_rel",
    "pump_central_w",
    "pump_decentral_w",
    "pump_elec_kw",
    "pipe_friction_w",
    "max_velocity_m_per_s",
    "max_pressure_gradient_pa_per_m",
]
"""Scalar results of one solved hour, shared by the per-hour and the annual tables."""

HOUR_COLUMNS = [
    "converged",
    "reason",
    "solver",
    "iterations",
    "buildings_heat_kw",
    *HOUR_SCALARS,
]

MODE_CODES = {"heat": 1, "cool": -1, "off": 0}
"""Building modes in :attr:`YearResult.bld_mode`: +1 heating, -1 cooling, 0 off."""

_NODE_ARRAYS = ("t_node_c", "p_node_bar")
_PIPE_ARRAYS = (
    "pipe_mdot_kg_per_s",
    "pipe_velocity_m_per_s",
    "pipe_dp_bar",
    "pipe_t_in_c",
    "pipe_t_out_c",
    "pipe_soil_gain_kw",
)
_BLD_ARRAYS = (
    "bld_heat_delivered_kw",
    "bld_mdot_kg_per_s",
    "bld_t_in_c",
    "bld_t_out_c",
    "bld_dp_bar",
)


@dataclass(frozen=True)
class YearResult:
    """Results of many hours on one network.

    Attributes
    ----------
    index
        The hours (index of the load table).
    junctions
        Junction table of the network: ``node_id``, ``line`` ('warm'/'cold').
    pipes
        Pipe table: ``edge``, ``from_id``, ``to_id``, ``line``, ``dn_mm``, ``parallel_pipes``
        (identical pipes side by side), ``length_m`` [m].
    building_ids
        Building ids (column order of the ``bld_*`` arrays).
    hours
        One row per hour, columns :data:`HOUR_COLUMNS`: ``converged`` (bool), ``reason`` (why
        an hour is flagged; '' if valid), ``solver`` ('fast', 'pandapipes' or 'none'),
        ``iterations``, ``buildings_heat_kw`` (sum of requested loads), then the scalars of
        :class:`grid.hydraulics.HourResult` (balancing-unit heat [kW] > 0 = heat into the
        loop, its mass flow [kg/s] and direction, soil gain [kW], energy residual [kW] and
        relative [-], pump hydraulic powers [W], pump electricity [kW], pipe friction [W],
        largest velocity [m/s] and pressure gradient [Pa/m]). Flagged hours have NaN numbers.
    t_node_c, p_node_bar
        Junction temperature [°C] (NaN without flow) and pressure [bar], (hours, junctions).
    pipe_mdot_kg_per_s
        Signed mass flow of the trench line (all its parallel pipes), > 0 from ``from_id`` to
        ``to_id`` [kg/s], (hours, pipes).
    pipe_velocity_m_per_s, pipe_dp_bar
        Mean velocity in each of its parallel pipes [m/s] and friction pressure drop along the
        flow [bar] (>= 0; that of one pipe at its share of the flow).
    pipe_t_in_c, pipe_t_out_c
        Temperatures at the pipe inlet and outlet along the flow [°C] (NaN without flow).
    pipe_soil_gain_kw
        Heat from the soil into the water [kW] (< 0: loss to the soil).
    bld_mode
        :data:`MODE_CODES` per building and hour, int8.
    bld_heat_requested_kw, bld_heat_delivered_kw
        Loop-side load asked for and delivered [kW] (> 0 takes heat from the loop).
    bld_mdot_kg_per_s, bld_t_in_c, bld_t_out_c
        Mass flow through the substation [kg/s] and its inlet / outlet temperature [°C].
    bld_dp_bar
        Inlet minus outlet pressure [bar]; < 0: the building's own pump must push.

    """

    index: pd.Index
    junctions: pd.DataFrame
    pipes: pd.DataFrame
    building_ids: tuple[str, ...]
    hours: pd.DataFrame
    t_node_c: np.ndarray
    p_node_bar: np.ndarray
    pipe_mdot_kg_per_s: np.ndarray
    pipe_velocity_m_per_s: np.ndarray
    pipe_dp_bar: np.ndarray
    pipe_t_in_c: np.ndarray
    pipe_t_out_c: np.ndarray
    pipe_soil_gain_kw: np.ndarray
    bld_mode: np.ndarray
    bld_heat_requested_kw: np.ndarray
    bld_heat_delivered_kw: np.ndarray
    bld_mdot_kg_per_s: np.ndarray
    bld_t_in_c: np.ndarray
    bld_t_out_c: np.ndarray
    bld_dp_bar: np.ndarray

    @property
    def valid(self) -> np.ndarray:
        """Boolean mask of hours that passed every check."""
        return self.hours["converged"].to_numpy(dtype=bool)

    def flag_hour(self, k: int, reason: str, *, solver: str) -> None:
        """Mark hour ``k`` as failed: reason, NaN numbers (never reported as valid)."""
        h = self.hours
        h.iloc[k, h.columns.get_loc("converged")] = False
        h.iloc[k, h.columns.get_loc("reason")] = reason
        h.iloc[k, h.columns.get_loc("solver")] = solver
        h.iloc[k, h.columns.get_loc("balancing_direction")] = "failed"
        for col in HOUR_COLUMNS[5:]:
            if col != "balancing_direction":
                h.iloc[k, h.columns.get_loc(col)] = np.nan
        for name in _NODE_ARRAYS + _PIPE_ARRAYS + _BLD_ARRAYS:
            getattr(self, name)[k] = np.nan

    def fill_hour(self, k: int, result: HourResult, *, solver: str = "pandapipes") -> None:
        """Copy one :class:`grid.hydraulics.HourResult` into hour ``k``."""
        if not result.converged:
            self.flag_hour(k, result.reason, solver=solver)
            return
        h = self.hours
        row = result.summary()
        for col in HOUR_COLUMNS:
            if col in row:
                h.iloc[k, h.columns.get_loc(col)] = row[col]
        h.iloc[k, h.columns.get_loc("reason")] = ""
        h.iloc[k, h.columns.get_loc("solver")] = solver
        j = result.junctions
        self.t_node_c[k] = j.t_c.to_numpy()
        self.p_node_bar[k] = j.p_bar.to_numpy()
        p = result.pipes
        self.pipe_mdot_kg_per_s[k] = p.mdot_kg_per_s.to_numpy()
        self.pipe_velocity_m_per_s[k] = p.velocity_m_per_s.to_numpy()
        self.pipe_dp_bar[k] = p.dp_bar.to_numpy()
        self.pipe_t_in_c[k] = p.t_in_c.to_numpy()
        self.pipe_t_out_c[k] = p.t_out_c.to_numpy()
        self.pipe_soil_gain_kw[k] = p.soil_gain_kw.to_numpy()
        b = result.buildings
        self.bld_mode[k] = b["mode"].map(MODE_CODES).fillna(0).to_numpy()
        self.bld_heat_delivered_kw[k] = b.heat_delivered_kw.to_numpy()
        self.bld_mdot_kg_per_s[k] = b.mdot_kg_per_s.to_numpy()
        self.bld_t_in_c[k] = b.t_in_c.to_numpy()
        self.bld_t_out_c[k] = b.t_out_c.to_numpy()
        self.bld_dp_bar[k] = b.dp_bar.to_numpy()

    def nodes_long(self) -> pd.DataFrame:
        """Return the junction results as a long table.

        Returns
        -------
        pandas.DataFrame
            Columns ``hour`` (position 0..n-1), ``time`` (the index value), ``node_id``,
            ``line``, ``t_c`` [°C], ``p_bar`` [bar].

        """
        n_h, n_j = self.t_node_c.shape
        return pd.DataFrame(
            {
                "hour": np.repeat(np.arange(n_h), n_j),
                "time": np.repeat(np.asarray(self.index), n_j),
                "node_id": np.tile(self.junctions.node_id.to_numpy(), n_h),
                "line": np.tile(self.junctions.line.to_numpy(), n_h),
                "t_c": self.t_node_c.ravel(),
                "p_bar": self.p_node_bar.ravel(),
            }
        )

    def pipes_long(self) -> pd.DataFrame:
        """Return the pipe results as a long table.

        Returns
        -------
        pandas.DataFrame
            Columns ``hour``, ``time``, ``edge``, ``from_id``, ``to_id``, ``line``,
            ``mdot_kg_per_s`` (signed, > 0 from ``from_id`` to ``to_id``), ``velocity_m_per_s``,
            ``dp_bar``, ``pressure_gradient_pa_per_m``, ``t_in_c``, ``t_out_c``,
            ``soil_gain_kw``.

        """
        n_h, n_p = self.pipe_mdot_kg_per_s.shape
        length = self.pipes.length_m.to_numpy()
        out = {
            "hour": np.repeat(np.arange(n_h), n_p),
            "time": np.repeat(np.asarray(self.index), n_p),
        }
        for col in ("edge", "from_id", "to_id", "line"):
            out[col] = np.tile(self.pipes[col].to_numpy(), n_h)
        out["mdot_kg_per_s"] = self.pipe_mdot_kg_per_s.ravel()
        out["velocity_m_per_s"] = self.pipe_velocity_m_per_s.ravel()
        out["dp_bar"] = self.pipe_dp_bar.ravel()
        out["pressure_gradient_pa_per_m"] = (self.pipe_dp_bar * 1e5 / length).ravel()
        out["t_in_c"] = self.pipe_t_in_c.ravel()
        out["t_out_c"] = self.pipe_t_out_c.ravel()
        out["soil_gain_kw"] = self.pipe_soil_gain_kw.ravel()
        return pd.DataFrame(out)

    def buildings_long(self) -> pd.DataFrame:
        """Return the building results as a long table.

        Returns
        -------
        pandas.DataFrame
            Columns ``hour``, ``time``, ``building_id``, ``mode`` (+1 heat, -1 cool, 0 off),
            ``heat_requested_kw``, ``heat_delivered_kw``, ``mdot_kg_per_s``, ``t_in_c``,
            ``t_out_c``, ``dp_bar``.

        """
        n_h, n_b = self.bld_mode.shape
        return pd.DataFrame(
            {
                "hour": np.repeat(np.arange(n_h), n_b),
                "time": np.repeat(np.asarray(self.index), n_b),
                "building_id": np.tile(np.array(self.building_ids), n_h),
                "mode": self.bld_mode.ravel(),
                "heat_requested_kw": self.bld_heat_requested_kw.ravel(),
                "heat_delivered_kw": self.bld_heat_delivered_kw.ravel(),
                "mdot_kg_per_s": self.bld_mdot_kg_per_s.ravel(),
                "t_in_c": self.bld_t_in_c.ravel(),
                "t_out_c": self.bld_t_out_c.ravel(),
                "dp_bar": self.bld_dp_bar.ravel(),
            }
        )


def empty_year_result(
    network: ThermalNetwork, *, index: pd.Index, requested_kw: np.ndarray
) -> YearResult:
    """Create a :class:`YearResult` with NaN arrays and every hour marked 'not solved'.

    Parameters
    ----------
    network
        The network (element order).
    index
        The hours.
    requested_kw
        Requested loop-side load per hour and building [kW], shape (hours, buildings).

    Returns
    -------
    YearResult

    """
    n_h = len(index)
    n_j, n_p, n_b = len(network.junctions), len(network.pipes), len(network.building_ids)
    hours = pd.DataFrame(index=index)
    hours["converged"] = False
    hours["reason"] = "not solved"
    hours["solver"] = "none"
    hours["iterations"] = 0
    hours["buildings_heat_kw"] = requested_kw.sum(axis=1)
    for col in HOUR_COLUMNS[5:]:
        hours[col] = np.nan
    hours["balancing_direction"] = "failed"
    hours = hours[HOUR_COLUMNS]

    def nan(n: int) -> np.ndarray:
        return np.full((n_h, n), np.nan)

    return YearResult(
        index=index,
        junctions=network.junctions[["node_id", "line"]].reset_index(drop=True),
        pipes=network.pipes[
            ["edge", "from_id", "to_id", "line", "dn_mm", "parallel_pipes", "length_m"]
        ].reset_index(drop=True),
        building_ids=tuple(network.building_ids),
        hours=hours,
        **{name: nan(n_j) for name in _NODE_ARRAYS},
        **{name: nan(n_p) for name in _PIPE_ARRAYS},
        bld_mode=np.zeros((n_h, n_b), dtype=np.int8),
        bld_heat_requested_kw=np.array(requested_kw, dtype=float, copy=True),
        **{name: nan(n_b) for name in _BLD_ARRAYS},
    )
