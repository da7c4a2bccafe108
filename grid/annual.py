"""Run many hours (typically 8,760) of the ambient loop, solving each distinct hour once.

Every hour is solved from nominal start temperatures (:func:`grid.hydraulics.solve_hour`), so
its result depends only on its inputs: the building loads and the soil temperature. Hours
with identical inputs (after optional rounding to ``load_resolution_kw`` and
``soil_resolution_k``) are therefore solved once and the result is copied. With both
resolutions 0 (default) the annual numbers are *identical* to a plain per-hour run; with a
resolution > 0 each building load moves by at most half the resolution, which bounds the
change of the balancing-unit load by ``n_buildings * resolution / 2`` plus the (small)
change of the soil exchange.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from tsg.common.errors import InputError
from tsg.grid.hydraulics import solve_hour
from tsg.grid.network import ThermalNetwork
from tsg.grid.year_result import HOUR_SCALARS

__all__ = ["ANNUAL_COLUMNS", "simulate_hours"]

ANNUAL_COLUMNS = [
    "converged",
    "reason",
    "iterations",
    "solve_time_s",
    *HOUR_SCALARS,
    "buildings_heat_kw",
    "reused",
]


def _round(values: np.ndarray, resolution: float) -> np.ndarray:
    if resolution <= 0:
        return values
    return np.round(values / resolution) * resolution


def simulate_hours(
    network: ThermalNetwork,
    *,
    building_heat_kw: pd.DataFrame,
    t_soil_c: float | pd.Series,
    load_resolution_kw: float = 0.0,
    soil_resolution_k: float = 0.0,
    reuse_identical_hours: bool = True,
) -> pd.DataFrame:
    """Simulate a series of hours.

    Parameters
    ----------
    network
        Built network (modified in place while solving).
    building_heat_kw
        One row per hour, one column per building id: net loop-side heat [kW] (> 0 takes heat).
    t_soil_c
        Undisturbed soil temperature [°C], scalar or a Series on the same index.
    load_resolution_kw
        Round loads to this step before solving [kW]; 0 = exact.
    soil_resolution_k
        Round soil temperatures to this step [K]; 0 = exact.
    reuse_identical_hours
        Solve each distinct (rounded) hour once (default) or every hour (plain reference run).

    Returns
    -------
    pandas.DataFrame
        Same index as ``building_heat_kw``; columns :data:`ANNUAL_COLUMNS`, i.e. the scalar
        results of :class:`grid.hydraulics.HourResult` plus ``buildings_heat_kw`` (sum of
        requested loads of the hour) and ``reused`` (result copied from an identical hour).
        Hours that did not converge or failed a check have ``converged`` False, a ``reason``
        and NaN numbers; they are never dropped.

    Raises
    ------
    InputError
        Unknown building columns, non-finite values or a soil series on another index.

    """
    unknown = sorted(set(map(str, building_heat_kw.columns)) - set(network.building_ids))
    if unknown:
        raise InputError(f"unknown building columns {unknown}", field="building_heat_kw")
    loads = building_heat_kw.astype(float)
    loads.columns = loads.columns.astype(str)
    if not np.all(np.isfinite(loads.to_numpy())):
        raise InputError("building loads must be finite", field="building_heat_kw")
    if isinstance(t_soil_c, pd.Series):
        if not t_soil_c.index.equals(loads.index):
            raise InputError("t_soil_c must share the index of building_heat_kw", field="t_soil_c")
        soil = t_soil_c.to_numpy(dtype=float)
    else:
        soil = np.full(len(loads), float(t_soil_c))
    if not np.all(np.isfinite(soil)):
        raise InputError("t_soil_c must be finite", field="t_soil_c")
    q = _round(loads.to_numpy(), load_resolution_kw)
    s = _round(soil, soil_resolution_k)
    cols = list(loads.columns)
    cache: dict[bytes, dict] = {}
    rows = []
    for k in range(len(loads)):
        key = q[k].tobytes() + s[k : k + 1].tobytes()
        if reuse_identical_hours and key in cache:
            row = dict(cache[key])
            row["reused"] = True
            row["solve_time_s"] = 0.0
        else:
            t0 = time.perf_counter()
            res = solve_hour(
                network,
                building_heat_kw=dict(zip(cols, q[k], strict=True)),
                t_soil_c=float(s[k]),
                raise_on_failure=False,
            )
            row = res.summary()
            row["solve_time_s"] = time.perf_counter() - t0
            row["reused"] = False
            if reuse_identical_hours:
                cache[key] = row
        row["buildings_heat_kw"] = float(q[k].sum())
        rows.append(row)
    return pd.DataFrame(rows, index=loads.index)[ANNUAL_COLUMNS]
