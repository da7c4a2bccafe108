"""Design checks of a simulated year: velocity, pressure gradient, temperatures, pump head.

Every violation is listed per element and hour (only valid hours are checked; flagged hours
are reported by the annual summary instead).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tsg.grid.design_limits import DesignLimits, load_design_limits
from tsg.grid.network import LoopSpec
from tsg.grid.year_result import YearResult

__all__ = [
    "CHECK_COLUMNS",
    "LOWER_BOUND_CHECKS",
    "SUMMARY_COLUMNS",
    "pump_assist_hours",
    "DesignLimits",
    "design_checks",
    "summarise_checks",
]

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

#: Checks whose value must stay above the limit (the worst value is the lowest).
LOWER_BOUND_CHECKS = frozenset({"temperature_min", "warm_inlet_drift"})

SUMMARY_COLUMNS = [
    "element",
    "element_id",
    "line",
    "check",
    "hours_violated",
    "worst_value",
    "limit",
    "unit",
]


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
    limits: DesignLimits | None = None,
) -> pd.DataFrame:
    """List every violation of the design limits, per element and hour.

    Parameters
    ----------
    year
        Simulated hours.
    loop
        Nominal line temperatures and the central pump lift.
    limits
        The limits (default :func:`grid.design_limits.load_design_limits`, the catalogue's).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CHECK_COLUMNS`: ``check`` ('velocity', 'pressure_gradient',
        'temperature_min', 'temperature_max', 'warm_inlet_drift', 'cold_inlet_drift',
        'building_pump_head'), ``element`` ('pipe', 'junction',
        'building'), ``element_id`` (pipe 'from_id-to_id', node or building id), ``line``,
        ``hour`` (position), ``time``, ``value``, ``limit``, ``unit``. Empty if all is well.

        ``building_pump_head``: the pressure a building's own pump has to add exceeds the
        head available there. The central pump lifts exactly its available head
        (``loop.plift_bar``), so it cannot exceed it; where the friction of a building's path
        is larger, the building's own pump adds the rest (every building on an ambient loop
        has one), and only beyond *its* head is that a violation. The hours in which a
        building's pump assists are counted by :func:`pump_assist_hours`, not flagged.

    """
    if limits is None:
        limits = load_design_limits()
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
                ok & (mode == 1) & (year.bld_t_in_c < loop.t_warm_c - limits.max_inlet_drift_k),
                year.bld_t_in_c,
                check="warm_inlet_drift",
                element="building",
                ids=bids,
                lines=np.full(len(bids), "warm"),
                limit=loop.t_warm_c - limits.max_inlet_drift_k,
                unit="degC",
                index=idx,
            ),
            _rows(
                ok & (mode == -1) & (year.bld_t_in_c > loop.t_cold_c + limits.max_inlet_drift_k),
                year.bld_t_in_c,
                check="cold_inlet_drift",
                element="building",
                ids=bids,
                lines=np.full(len(bids), "cold"),
                limit=loop.t_cold_c + limits.max_inlet_drift_k,
                unit="degC",
                index=idx,
            ),
            _rows(
                ok & (-year.bld_dp_bar > limits.building_pump_head_bar),
                -year.bld_dp_bar,
                check="building_pump_head",
                element="building",
                ids=bids,
                lines=b_lines,
                limit=limits.building_pump_head_bar,
                unit="bar",
                index=idx,
            ),
        ]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=CHECK_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    return out[CHECK_COLUMNS].sort_values(["hour", "check", "element_id"], ignore_index=True)


def pump_assist_hours(year: YearResult) -> dict[str, int]:
    """Hours in which a building's own pump adds head (its pressure difference is negative).

    Parameters
    ----------
    year
        Simulated hours.

    Returns
    -------
    dict
        Per building id with such hours: their number (valid hours only).
    """
    with np.errstate(invalid="ignore"):
        assist = year.valid[:, None] & (year.bld_dp_bar < 0)
    counts = assist.sum(axis=0)
    return {b: int(n) for b, n in zip(year.building_ids, counts, strict=True) if n}


def summarise_checks(checks: pd.DataFrame) -> pd.DataFrame:
    """Summarise per-hour violations per element and check, for people.

    Parameters
    ----------
    checks
        Violations as :func:`design_checks` returns them (columns :data:`CHECK_COLUMNS`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SUMMARY_COLUMNS`: one row per element and check with the number of
        hours violated, the worst value (the lowest for :data:`LOWER_BOUND_CHECKS`, else the
        highest), the limit and the unit; most hours first (ties: check, element id).

    """
    if checks is None or checks.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    keys = ["element", "element_id", "line", "check"]
    grouped = checks.groupby(keys, sort=False, dropna=False)
    out = grouped.agg(
        hours_violated=("hour", "nunique"),
        highest=("value", "max"),
        lowest=("value", "min"),
        limit=("limit", "first"),
        unit=("unit", "first"),
    ).reset_index()
    lower = out["check"].isin(LOWER_BOUND_CHECKS)
    out["worst_value"] = out["lowest"].where(lower, out["highest"])
    out["hours_violated"] = out["hours_violated"].astype(int)
    out = out.sort_values(
        ["hours_violated", "check", "element_id"],
        ascending=[False, True, True],
        ignore_index=True,
    )
    return out[SUMMARY_COLUMNS]
