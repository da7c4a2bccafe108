"""Undisturbed soil temperature at pipe depth through the year (Kusuda-Achenbach).

``T(z, t) = T_mean - A_air * exp(-z / d) * cos(2 pi (t - t_min - z / (2 pi) * P / d) / P)`` with
the damping depth ``d = sqrt(a * P / pi)``: the annual harmonic of the air temperature
reaches depth ``z`` damped by ``exp(-z/d)`` and delayed by ``z/d`` radians.

Assumptions (with reasoning):

* the soil's annual mean equals the annual mean air temperature (about 10 °C in Rotterdam;
  the ground-surface offset from snow and vegetation is small in the Netherlands, and urban
  heat would add up to about 1 K, which we leave out on the safe side for heat losses);
* the annual mean, amplitude and phase are fitted to the hourly air temperature as its first
  annual harmonic (so the weather file sets them, not a constant);
* pipes lie at 1 m axis depth (as in the pipe catalogue's U-value) in moist sandy/clay soil
  with thermal diffusivity 0.05 m²/day (0.58e-6 m²/s, typical of moist sand and clay): the
  amplitude shrinks to about 0.67 of the air amplitude (about 5 K instead of 7-8 K) and the
  coldest soil lags the coldest air by about 24 days;
* daily and weather swings do not reach 1 m (their damping depth is about 0.2 m).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from tsg.common.errors import InputError

__all__ = ["SOIL_DIFFUSIVITY_M2_PER_DAY", "soil_temperature_c"]

SOIL_DIFFUSIVITY_M2_PER_DAY = 0.05
_PERIOD_DAYS = 365.25


def soil_temperature_c(
    temp_air_c: pd.Series,
    *,
    depth_m: float = 1.0,
    diffusivity_m2_per_day: float = SOIL_DIFFUSIVITY_M2_PER_DAY,
) -> pd.Series:
    """Hourly undisturbed soil temperature at ``depth_m`` [°C].

    Parameters
    ----------
    temp_air_c
        Hourly air temperature of one year [°C] with a DatetimeIndex.
    depth_m
        Depth below the surface [m], >= 0.
    diffusivity_m2_per_day
        Thermal diffusivity of the soil [m²/day], > 0.

    Returns
    -------
    pandas.Series
        Soil temperature [°C] on the same index, named ``t_soil_c``.

    Raises
    ------
    InputError
        Fewer than 28 days of data, non-finite values, or non-positive parameters.

    """
    if not (math.isfinite(depth_m) and depth_m >= 0):
        raise InputError("depth_m must be >= 0", field="depth_m")
    if not (math.isfinite(diffusivity_m2_per_day) and diffusivity_m2_per_day > 0):
        raise InputError("diffusivity must be positive", field="diffusivity_m2_per_day")
    values = temp_air_c.to_numpy(dtype=float)
    if len(values) < 28 * 24 or not np.all(np.isfinite(values)):
        raise InputError("need at least 28 days of finite air temperatures", field="temp_air_c")
    index = temp_air_c.index
    day = np.asarray(index.dayofyear - 1, dtype=float) + np.asarray(index.hour) / 24.0
    omega = 2.0 * np.pi / _PERIOD_DAYS
    design = np.column_stack([np.ones_like(day), np.cos(omega * day), np.sin(omega * day)])
    (mean, a, b), *_ = np.linalg.lstsq(design, values, rcond=None)
    amplitude = math.hypot(a, b)
    phase = math.atan2(b, a)  # air = mean + amplitude * cos(omega * day - phase)
    damping_depth = math.sqrt(diffusivity_m2_per_day * _PERIOD_DAYS / math.pi)
    soil = mean + amplitude * math.exp(-depth_m / damping_depth) * np.cos(
        omega * day - phase - depth_m / damping_depth
    )
    return pd.Series(soil, index=index, name="t_soil_c")
