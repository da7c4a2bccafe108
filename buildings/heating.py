"""Hourly space heating that meets both the annual demand and the design heat load.

Method (one hourly shape that honours two numbers)
--------------------------------------------------
A building loses heat in proportion to how far the outdoor air is below its balance
temperature; below it the heating system covers the loss. On heating days (daily mean outdoor
temperature below the archetype's heating limit) the hourly space-heating load is

``q(t) = base_kw + slope_kw_per_k * max(0, T_balance - T_out(t))``

and zero on other days. ``base_kw`` is the part that does not follow the weather (ventilation
of occupied halls, losses to the ground, set-back recovery). Two numbers fix the line:

* the annual demand ``E`` [kWh]: ``sum_t q(t) = E`` (hourly kW means, so the sum is kWh);
* the design heat load ``P`` [kW] at the design outdoor temperature ``T_design`` (NEN-EN 12831
  / ISSO 51: -10 degC in the Netherlands): ``base_kw + slope * (T_balance - T_design) = P``.

The reference year's coldest hour is warmer than ``T_design``, so the design load lies on the
linear heat-loss line *extrapolated* beyond the coldest hours; the simulated year's own peak is
the line's value at its coldest hour (below ``P``).

The ratio ``E / P`` is the full-load hours ``h_full``. With ``T_balance`` at the heating limit
and no base load the line gives ``h_line = sum_t D(t) / (T_limit - T_design)`` with
``D(t) = max(0, T_limit - T_out(t))`` on heating days:

* ``h_full >= h_line``: the balance temperature is the heating limit and a base load carries
  the rest, ``slope = (E - P N) / (sum D - (T_limit - T_design) N)`` and
  ``base = P - slope (T_limit - T_design)`` with ``N`` the heating hours. If ``h_full > N``
  the line cannot hold both numbers; then the annual demand wins and the load is flat over
  the heating hours (``P`` is raised to ``E / N``).
* ``h_full < h_line``: no base load and a balance temperature below the heating limit (high
  internal gains), found by bisection on ``sum_t max(0, T_b - T_out) / (T_b - T_design) =
  h_full`` (increasing in ``T_b``).

The annual sum is then exact (a final rescale removes floating-point error only). The design
load is exact when every hour of the weather year is warmer than the design temperature (the
intended use: the Dutch reference years' coldest hours lie at about -8 degC); with colder
hours the fit is approximate and the annual sum still exact.

Weekday/hour pattern
--------------------
A building used by day heats by its use: set-back at night, at weekends and on closed days,
a boost before opening that recovers the set-back. The load is the line times the building's
pattern ``w(t)`` (:func:`buildings.activity.heating_pattern`: 1 in use, ``w_boost >= 1`` in
the boost hours, ``w_setback <= 1`` otherwise):

``q(t) = w(t) * (base_kw + slope_kw_per_k * max(0, T_balance - T_out(t)))``.

The design load is the largest load at the design temperature, the boost's:
``w_max * (base + slope * (T_balance - T_design)) = P`` (the heating is sized to recover the
set-back on a design day, as NEN-EN 12831's reheat surcharge; in use the building then needs
``P / w_max``). The fit is the same with weighted sums: ``N`` becomes ``sum_t w(t)``, the
drive sum ``sum_t w(t) D(t)`` and the design load ``P / w_max``; the annual demand stays exact
and the full-load hours ``E / P`` stay those of the catalogue. A flat pattern (all ones) is
the pure heat-loss line.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["HeatingLine", "heating_days", "heating_line", "space_heating_kw"]

_BISECTION_STEPS = 80


@dataclass(frozen=True)
class HeatingLine:
    """The fitted heat-loss line of one building.

    Attributes
    ----------
    base_kw
        Weather-independent load on heating days [kW].
    slope_kw_per_k
        Load per kelvin of outdoor air below the balance temperature [kW/K].
    balance_c
        Balance temperature [degC].
    """

    base_kw: float
    slope_kw_per_k: float
    balance_c: float

    def load_kw(self, t_out_c: np.ndarray | float) -> np.ndarray:
        """Load [kW] on a heating day at outdoor temperature ``t_out_c`` [degC]."""
        drive_k = np.clip(self.balance_c - np.asarray(t_out_c, dtype=float), 0.0, None)
        return self.base_kw + self.slope_kw_per_k * drive_k


def heating_days(weather: pd.DataFrame, *, heating_limit_c: float) -> np.ndarray:
    """Hours of days whose mean outdoor temperature is below ``heating_limit_c`` (bool)."""
    temperature = weather["temp_air_c"]
    daily_mean_c = temperature.groupby(weather.index.date).transform("mean").to_numpy()
    return daily_mean_c < heating_limit_c


def _line_hours(
    t_out_c: np.ndarray, balance_c: float, design_c: float, weights: np.ndarray
) -> float:
    drive_k = np.clip(balance_c - t_out_c, 0.0, None)
    return float((weights * drive_k).sum() / (balance_c - design_c))


def heating_line(
    t_out_c: np.ndarray,
    *,
    annual_kwh: float,
    design_load_kw: float,
    heating_limit_c: float,
    design_temperature_c: float,
    weights: np.ndarray | None = None,
) -> HeatingLine:
    """Fit the heat-loss line to an annual demand and a design load (see module docstring).

    Parameters
    ----------
    t_out_c
        Outdoor temperature of the heating hours only [degC].
    annual_kwh
        Annual space-heating demand [kWh], > 0: ``sum_t w(t) * line(T_out(t))``.
    design_load_kw
        Line's load at ``design_temperature_c`` [kW], > 0.
    heating_limit_c
        Highest balance temperature [degC].
    design_temperature_c
        Design outdoor temperature [degC], below ``heating_limit_c``.
    weights
        Weekday/hour pattern ``w(t)`` of the heating hours [-], > 0; ``None``: all ones.

    Returns
    -------
    HeatingLine
    """
    if len(t_out_c) == 0:
        raise ValueError("no heating hours in the weather year")
    weights = np.ones(len(t_out_c)) if weights is None else np.asarray(weights, dtype=float)
    n_hours = float(weights.sum())
    span_k = heating_limit_c - design_temperature_c
    full_load_h = annual_kwh / design_load_kw
    line_h = _line_hours(t_out_c, heating_limit_c, design_temperature_c, weights)
    drive_sum = line_h * span_k
    if full_load_h >= n_hours or drive_sum >= span_k * n_hours:
        return HeatingLine(annual_kwh / n_hours, 0.0, heating_limit_c)
    if full_load_h >= line_h:
        slope = (annual_kwh - design_load_kw * n_hours) / (drive_sum - span_k * n_hours)
        return HeatingLine(design_load_kw - slope * span_k, slope, heating_limit_c)
    low, high = design_temperature_c + 1e-9, heating_limit_c
    for _ in range(_BISECTION_STEPS):
        middle = 0.5 * (low + high)
        if _line_hours(t_out_c, middle, design_temperature_c, weights) < full_load_h:
            low = middle
        else:
            high = middle
    balance_c = 0.5 * (low + high)
    return HeatingLine(0.0, design_load_kw / (balance_c - design_temperature_c), balance_c)


def space_heating_kw(
    weather: pd.DataFrame,
    *,
    annual_kwh: float,
    design_load_kw: float,
    heating_limit_c: float,
    design_temperature_c: float,
    pattern: np.ndarray | None = None,
) -> np.ndarray:
    """Hourly space-heating load [kW] with the given annual sum and design load.

    Parameters
    ----------
    weather
        ``temp_air_c`` [degC] with an hourly local index.
    annual_kwh
        Annual space-heating demand [kWh/yr] (exactly the sum of the result).
    design_load_kw
        Heat load at the design outdoor temperature [kW].
    heating_limit_c
        No heating on days whose mean outdoor temperature reaches this [degC].
    design_temperature_c
        Design outdoor temperature [degC].
    pattern
        Weekday/hour pattern of the building per hour [-], > 0
        (:func:`buildings.activity.heating_pattern`); the design load is its largest value
        times the line at the design temperature. ``None``: the pure heat-loss line.

    Returns
    -------
    numpy.ndarray
        Load per hour [kW]; all zeros when ``annual_kwh`` is 0.
    """
    n = len(weather)
    if annual_kwh <= 0.0:
        return np.zeros(n)
    pattern = np.ones(n) if pattern is None else np.asarray(pattern, dtype=float)
    on = heating_days(weather, heating_limit_c=heating_limit_c)
    t_out_c = weather["temp_air_c"].to_numpy(dtype=float)
    line = heating_line(
        t_out_c[on],
        annual_kwh=annual_kwh,
        design_load_kw=design_load_kw / float(pattern.max()),
        heating_limit_c=heating_limit_c,
        design_temperature_c=design_temperature_c,
        weights=pattern[on],
    )
    load = np.where(on, pattern * line.load_kw(t_out_c), 0.0)
    return load * (annual_kwh / load.sum())
