"""Design checks of a simulated year: velocity, pressure gradient, temperatures, pump head.

Every violation is listed per element and hour (only valid hours are checked; flagged hours
are reported by the annual summary instead).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tsg.common.errors import InputError
from tsg.grid.network import LoopSpec
from tsg.grid.year_result import YearResult

__all__ = ["CHECK_COLUMNS", "DesignLimits", "design_checks"]

CHECK_COLUMNS = [
    "check",
    "element",
    "element_id",
    "line",
    "hour",
    "time",
    "value",
    "limit",
    "unit",
]


@dataclass(frozen=True)
class DesignLimits:
    """Limits of the design checks.

    Parameters
    ----------
    max_velocity_m_per_s
        Largest mean pipe velocity [m/s] (default 1.5, the sizing rule's limit).
    max_pressure_gradient_pa_per_m
        Largest friction gradient [Pa/m] (default 150, the sizing rule's limit).
    min_temperature_c, max_temperature_c
        Allowed range of every junction temperature [°C]. Defaults 4 and 25 (assumptions:
        4 °C keeps a margin to freezing in heat pump evaporators; 25 °C is the highest
        infiltration temperature Dutch ATES permits allow).
    max_drift_k
        How far a heating building's inlet may fall below the nominal warm line, or a cooling
        building's inlet rise above the nominal cold line [K] (default 1.5, assumption: the
        substations are designed at the nominal temperatures; beyond 1.5 K their COP and
        capacity drop noticeably).
    max_building_pump_head_bar
        Largest pressure a building's own pump has to add [bar] (default 0.5, assumption:
        about 5 m head, the range of inline circulators).

    """

    max_velocity_m_per_s: float = 1.5
    max_pressure_gradient_pa_per_m: float = 150.0
    min_temperature_c: float = 4.0
    max_temperature_c: float = 25.0
    max_drift_k: float = 1.5
    max_building_pump_head_bar: float = 0.5

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            if not math.isfinite(getattr(self, name)):
                raise InputError(f"{name} must be finite", field=name)
        if self.min_temperature_c >= self.max_temperature_c:
            raise InputError("min_temperature_c must be below max_temperature_c")


def _rows(
    mask: np.ndarray,
    values: np.ndarray,
    *,
    check: str,
    element: str,
    ids: np.ndarray,
    lines: np.ndarray,
    limit: float | np.ndarray,
    unit: str,
    index: pd.Index,
) -> pd.DataFrame:
    hour, col = np.nonzero(mask)
    lim = np.broadcast_to(np.asarray(limit, dtype=float), mask.shape)[hour, col]
    return pd.DataFrame(
        {
            "check": check,
            "element": element,
            "element_id": ids[col],
            "line": lines[col],
            "hour": hour,
            "time": np.asarray(index)[hour],
            "value": values[hour, col],
            "limit": lim,
            "unit": unit,
        }
    )


def design_checks(
    year: YearResult,
    *,
    loop: LoopSpec,
    limits: DesignLimits = DesignLimits(),  # noqa: B008 - frozen dataclass
) -> pd.DataFrame:
    """List every violation of the design limits, per element and hour.

    Parameters
    ----------
    year
        Simulated hours.
    loop
        Nominal line temperatures and the central pump lift.
    limits
        The limits.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CHECK_COLUMNS`: ``check`` ('velocity', 'pressure_gradient',
        'temperature_min', 'temperature_max', 'warm_inlet_drift', 'cold_inlet_drift',
        'building_pump_head', 'central_pump_head'), ``element`` ('pipe', 'junction',
        'building'), ``element_id`` (pipe 'from_id-to_id', node or building id), ``line``,
        ``hour`` (position), ``time``, ``value``, ``limit``, ``unit``. Empty if all is well.

        ``central_pump_head``: for a building whose flow runs in the balancing unit's
        direction, the friction of its warm and cold path (= central lift - its pressure
        difference) exceeds the central pump lift, so its own pump must help.

    """
    ok = year.valid[:, None]
    idx = year.index
    pipe_ids = (year.pipes.from_id + "-" + year.pipes.to_id).to_numpy()
    pipe_lines = year.pipes.line.to_numpy()
    grad = year.pipe_dp_bar * 1e5 / year.pipes.length_m.to_numpy()
    node_ids = year.junctions.node_id.to_numpy()
    node_lines = year.junctions.line.to_numpy()
    bids = np.array(year.building_ids)
    b_lines = np.full(len(bids), "")
    t = year.t_node_c
    mode = year.bld_mode
    direction = year.hours.balancing_direction.to_numpy()
    heat_dir = (direction == "heating")[:, None]
    cool_dir = (direction == "cooling")[:, None]
    same_dir = ((mode == 1) & heat_dir) | ((mode == -1) & cool_dir)
    with np.errstate(invalid="ignore"):
        parts = [
            _rows(
                ok & (year.pipe_velocity_m_per_s > limits.max_velocity_m_per_s),
                year.pipe_velocity_m_per_s,
                check="velocity",
                element="pipe",
                ids=pipe_ids,
                lines=pipe_lines,
                limit=limits.max_velocity_m_per_s,
                unit="m/s",
                index=idx,
            ),
            _rows(
                ok & (grad > limits.max_pressure_gradient_pa_per_m),
                grad,
                check="pressure_gradient",
                element="pipe",
                ids=pipe_ids,
                lines=pipe_lines,
                limit=limits.max_pressure_gradient_pa_per_m,
                unit="Pa/m",
                index=idx,
            ),
            _rows(
                ok & (t < limits.min_temperature_c),
                t,
                check="temperature_min",
                element="junction",
                ids=node_ids,
                lines=node_lines,
                limit=limits.min_temperature_c,
                unit="degC",
                index=idx,
            ),
            _rows(
                ok & (t > limits.max_temperature_c),
                t,
                check="temperature_max",
                element="junction",
                ids=node_ids,
                lines=node_lines,
                limit=limits.max_temperature_c,
                unit="degC",
                index=idx,
            ),
            _rows(
                ok & (mode == 1) & (year.bld_t_in_c < loop.t_warm_c - limits.max_drift_k),
                year.bld_t_in_c,
                check="warm_inlet_drift",
                element="building",
                ids=bids,
                lines=np.full(len(bids), "warm"),
                limit=loop.t_warm_c - limits.max_drift_k,
                unit="degC",
                index=idx,
            ),
            _rows(
                ok & (mode == -1) & (year.bld_t_in_c > loop.t_cold_c + limits.max_drift_k),
                year.bld_t_in_c,
                check="cold_inlet_drift",
                element="building",
                ids=bids,
                lines=np.full(len(bids), "cold"),
                limit=loop.t_cold_c + limits.max_drift_k,
                unit="degC",
                index=idx,
            ),
            _rows(
                ok & (-year.bld_dp_bar > limits.max_building_pump_head_bar),
                -year.bld_dp_bar,
                check="building_pump_head",
                element="building",
                ids=bids,
                lines=b_lines,
                limit=limits.max_building_pump_head_bar,
                unit="bar",
                index=idx,
            ),
            _rows(
                ok & same_dir & (year.bld_dp_bar < 0),
                loop.plift_bar - year.bld_dp_bar,
                check="central_pump_head",
                element="building",
                ids=bids,
                lines=b_lines,
                limit=loop.plift_bar,
                unit="bar",
                index=idx,
            ),
        ]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=CHECK_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    return out[CHECK_COLUMNS].sort_values(["hour", "check", "element_id"], ignore_index=True)
