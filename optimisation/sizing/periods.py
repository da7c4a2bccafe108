"""Time steps of the sizing model: the full year or typical periods from ``tsam``.

A :class:`TimeSteps` holds, for every modelled step, the buildings' demand, the outdoor air
temperature, the weight (hours of the year the step stands for) and the period it belongs
to (storage is cyclic within a period). Annual energy = sum over steps of weight x power.

Typical periods use ``tsam.aggregate`` (tsam >= 3): hierarchical clustering of whole days
(by default) with medoid representatives, the days with the district's peak heat and peak
cooling appended as extreme periods, and column means preserved (annual energy exact). The
aggregation error is reported as tsam's weighted RMSE/MAE of the normalised series plus the
relative error of each building's peak and annual energy.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tsg.common.errors import InputError
from tsg.optimisation.sizing.inputs import SizingInputs

__all__ = ["AggregationError", "TimeSteps", "full_year", "time_steps", "typical_periods"]


@dataclass(frozen=True)
class AggregationError:
    """How far typical periods are from the full year.

    Attributes
    ----------
    weighted_rmse, weighted_mae
        tsam's accuracy of the normalised series (0 = exact) [-].
    max_peak_error
        Largest relative error of a building's peak heat or cooling [-] (the model still
        sizes units for the true peaks).
    max_energy_error
        Largest relative error of a building's annual heat or cooling [-].

    """

    weighted_rmse: float
    weighted_mae: float
    max_peak_error: float
    max_energy_error: float


@dataclass(frozen=True, eq=False)
class TimeSteps:
    """The modelled time steps (one hour each).

    Attributes
    ----------
    weights_h
        Hours of the year each step stands for [h], shape ``(T,)``.
    period
        Period index of each step, shape ``(T,)``; steps of a period are consecutive.
    heat_kw, dhw_kw, cool_kw
        Demand per building and step [kW], shape ``(B, T)`` in the order of
        ``SizingInputs.buildings``.
    t_air_c
        Outdoor air temperature [degC], shape ``(T,)``.
    n_periods
        Number of periods (typical periods incl. extremes, or 1 for the full year).
    assignments
        Period of the year -> typical period (empty for the full year).
    error
        Aggregation error (``None`` for the full year).
    t_soil_c
        Undisturbed soil temperature [degC], shape ``(T,)``; a typical period's is the mean
        of the days it stands for (``None`` when the inputs have no soil physics).

    """

    weights_h: np.ndarray
    period: np.ndarray
    heat_kw: np.ndarray
    dhw_kw: np.ndarray
    cool_kw: np.ndarray
    t_air_c: np.ndarray
    n_periods: int
    assignments: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    error: AggregationError | None = None
    t_soil_c: np.ndarray | None = None

    @property
    def n_steps(self) -> int:
        """Number of modelled steps."""
        return len(self.weights_h)

    @property
    def total_heat_kw(self) -> np.ndarray:
        """Space heating plus hot water per building and step [kW]."""
        return self.heat_kw + self.dhw_kw

    def describe(self) -> dict[str, object]:
        """Plain summary for reports."""
        out: dict[str, object] = {
            "n_periods": self.n_periods,
            "n_steps": self.n_steps,
            "hours_represented": float(self.weights_h.sum()),
        }
        if self.error is not None:
            out.update(
                weighted_rmse=self.error.weighted_rmse,
                weighted_mae=self.error.weighted_mae,
                max_peak_error=self.error.max_peak_error,
                max_energy_error=self.error.max_energy_error,
            )
        return out


def full_year(inputs: SizingInputs) -> TimeSteps:
    """Every hour of the series as its own step (weight 1 h, one period)."""
    n = inputs.n_hours
    return TimeSteps(
        weights_h=np.ones(n),
        period=np.zeros(n, dtype=int),
        heat_kw=np.vstack([b.heat_kw for b in inputs.buildings]),
        dhw_kw=np.vstack([b.dhw_kw for b in inputs.buildings]),
        cool_kw=np.vstack([b.cool_kw for b in inputs.buildings]),
        t_air_c=inputs.t_air_c.copy(),
        n_periods=1,
        t_soil_c=None if inputs.physics is None else inputs.physics.t_soil_c.copy(),
    )


def _soil_per_step(
    inputs: SizingInputs, assignments: np.ndarray, n_periods: int, period_hours: int
) -> np.ndarray | None:
    """Soil temperature of each typical step: the mean over the periods it stands for."""
    if inputs.physics is None:
        return None
    soil = inputs.physics.t_soil_c
    whole = len(assignments) * period_hours
    by_period = soil[:whole].reshape(len(assignments), period_hours)
    out = np.full((n_periods, period_hours), float(soil.mean()))
    for p in range(n_periods):
        mine = by_period[assignments == p]
        if len(mine):
            out[p] = mine.mean(axis=0)
    return out.reshape(-1)


def _relative_error(approx: np.ndarray, exact: np.ndarray) -> float:
    scale = np.maximum(np.abs(exact), 1e-9)
    mask = np.abs(exact) > 1e-9
    if not mask.any():
        return 0.0
    return float(np.max(np.abs(approx[mask] - exact[mask]) / scale[mask]))


def typical_periods(
    inputs: SizingInputs,
    *,
    n_periods: int,
    period_hours: int = 24,
    extreme_periods: bool = True,
) -> TimeSteps:
    """Aggregate the year into typical periods with ``tsam``.

    Parameters
    ----------
    inputs
        The sizing inputs (hourly demand and air temperature).
    n_periods
        Number of typical periods (clusters), >= 1; extreme periods come on top.
    period_hours
        Length of a period [h]; the number of hours must be a multiple of it.
    extreme_periods
        Append the periods holding the district's peak heat and peak cooling.

    Returns
    -------
    TimeSteps
        ``n_periods x period_hours`` steps (plus the extremes), weights = occurrences.

    Raises
    ------
    InputError
        ``n_periods`` < 1 or larger than the number of periods of the year, or a series
        length that is not a multiple of ``period_hours``.

    """
    import tsam  # imported here: tsam is slow to import and only needed for aggregation

    n_hours = inputs.n_hours
    if period_hours < 1 or n_hours % period_hours:
        raise InputError(
            f"{n_hours} hours are not a multiple of period_hours={period_hours}",
            field="period_hours",
        )
    available = n_hours // period_hours
    if not 1 <= n_periods <= available:
        raise InputError(
            f"n_periods must lie in 1..{available}, got {n_periods}", field="n_periods"
        )
    columns: dict[str, np.ndarray] = {}
    for k, b in enumerate(inputs.buildings):
        columns[f"b{k}|heat"] = b.heat_kw
        columns[f"b{k}|dhw"] = b.dhw_kw
        columns[f"b{k}|cool"] = b.cool_kw
    columns["total_heat"] = np.sum([b.total_heat_kw for b in inputs.buildings], axis=0)
    columns["total_cool"] = np.sum([b.cool_kw for b in inputs.buildings], axis=0)
    columns["t_air"] = inputs.t_air_c
    frame = pd.DataFrame(columns)
    frame.index = pd.date_range("2001-01-01", periods=n_hours, freq="h")
    extremes = (
        tsam.ExtremeConfig(method="append", max_value=["total_heat", "total_cool"])
        if extreme_periods
        else None
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = tsam.aggregate(
            frame,
            n_clusters=n_periods,
            period_duration=period_hours,
            extremes=extremes,
            rescale_exclude_columns=["t_air"],
        )
    reps = result.cluster_representatives
    counts = result.cluster_counts
    clusters = sorted(counts)
    weights, period, blocks = [], [], []
    for p, cluster in enumerate(clusters):
        block = reps.loc[cluster]
        if len(block) != period_hours:
            raise RuntimeError("tsam returned a period of unexpected length; this is a bug")
        blocks.append(block)
        weights += [float(counts[cluster])] * period_hours
        period += [p] * period_hours
    data = pd.concat(blocks, ignore_index=True).clip(lower=0.0)
    data["t_air"] = pd.concat([b["t_air"] for b in blocks], ignore_index=True)
    n_b = len(inputs.buildings)

    def stack(kind: str) -> np.ndarray:
        return np.vstack([data[f"b{k}|{kind}"].to_numpy(dtype=float) for k in range(n_b)])

    heat, dhw, cool = stack("heat"), stack("dhw"), stack("cool")
    w = np.asarray(weights)
    exact_peaks, approx_peaks, exact_energy, approx_energy = [], [], [], []
    for k, b in enumerate(inputs.buildings):
        for exact, approx in ((b.total_heat_kw, heat[k] + dhw[k]), (b.cool_kw, cool[k])):
            exact_peaks.append(exact.max())
            approx_peaks.append(approx.max())
            exact_energy.append(exact.sum())
            approx_energy.append((w * approx).sum())
    accuracy = result.accuracy
    error = AggregationError(
        weighted_rmse=float(accuracy.weighted_rmse),
        weighted_mae=float(accuracy.weighted_mae),
        max_peak_error=_relative_error(np.array(approx_peaks), np.array(exact_peaks)),
        max_energy_error=_relative_error(np.array(approx_energy), np.array(exact_energy)),
    )
    cluster_pos = {c: p for p, c in enumerate(clusters)}
    assignments = np.array([cluster_pos.get(int(a), -1) for a in result.cluster_assignments])
    return TimeSteps(
        weights_h=w,
        period=np.asarray(period, dtype=int),
        heat_kw=heat,
        dhw_kw=dhw,
        cool_kw=cool,
        t_air_c=data["t_air"].to_numpy(dtype=float),
        n_periods=len(clusters),
        assignments=assignments,
        error=error,
        t_soil_c=_soil_per_step(inputs, assignments, len(clusters), period_hours),
    )


def time_steps(inputs: SizingInputs, *, n_periods: int | None, period_hours: int = 24) -> TimeSteps:
    """Typical periods when ``n_periods`` is given, else the full year."""
    if n_periods is None:
        return full_year(inputs)
    return typical_periods(inputs, n_periods=n_periods, period_hours=period_hours)
