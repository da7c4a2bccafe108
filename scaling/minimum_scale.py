"""Minimum scale: the grid's saving along a family of districts and a break-even search.

A *family* scales one district by a parameter ``value`` (1 = the district as it is):

* ``size``: every building's hourly demand x ``value`` (positions, sources and prices kept);
* ``density``: every distance (positions and trench lengths) / ``value``, so ``value`` = 2 is
  twice as dense.

The saving is the all-reference cost minus the design cost [EUR/yr]. By default the grid is
*the district's grid*: the buildings connected at ``value`` = 1 are forced onto the grid at
every point, so the saving can turn negative and crosses zero at the minimum scale. (With a
free design the optimiser never does worse than the reference, the saving only drops to 0.)
The break-even search bisects on the sign of the saving; its result brackets the crossing
within ``tolerance`` (absolute, in units of the parameter).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import pandas as pd

from tsg.optimisation.executor import ProgressFn, SolveExecutor, WorkerSetup
from tsg.optimisation.sizing import SizingInputs, SizingOptions, TimeSteps, size, time_steps
from tsg.optimisation.sizing.coalition_cache import digest

__all__ = [
    "BreakEven",
    "ScaleFamily",
    "break_even",
    "evaluate_point",
    "family_inputs",
    "family_saving",
    "scale_curve",
    "search",
]

Family = Literal["size", "density"]


def family_inputs(
    inputs: SizingInputs, steps: TimeSteps, family: Family, value: float
) -> tuple[SizingInputs, TimeSteps]:
    """Return the inputs and time steps of the family member at ``value``.

    Parameters
    ----------
    inputs, steps
        The district (``value`` = 1) and its time steps.
    family
        ``size`` (demand x value) or ``density`` (distances / value).
    value
        Family parameter (> 0).

    Returns
    -------
    tuple of SizingInputs and TimeSteps

    """
    if not value > 0:
        raise ValueError("the family parameter must be positive")
    if family == "size":
        buildings = tuple(
            replace(
                b, heat_kw=b.heat_kw * value, dhw_kw=b.dhw_kw * value, cool_kw=b.cool_kw * value
            )
            for b in inputs.buildings
        )
        scaled_steps = replace(
            steps,
            heat_kw=steps.heat_kw * value,
            dhw_kw=steps.dhw_kw * value,
            cool_kw=steps.cool_kw * value,
        )
        return replace(inputs, buildings=buildings), scaled_steps
    if family == "density":
        shrink = 1.0 / value
        buildings = tuple(
            replace(b, x_m=b.x_m * shrink, y_m=b.y_m * shrink) for b in inputs.buildings
        )
        edges = tuple(replace(e, length_m=e.length_m * shrink) for e in inputs.edges)
        ates = tuple(replace(a, x_m=a.x_m * shrink, y_m=a.y_m * shrink) for a in inputs.ates)
        sources = tuple(
            replace(s, x_m=s.x_m * shrink, y_m=s.y_m * shrink) for s in inputs.heat_sources
        )
        return replace(
            inputs, buildings=buildings, edges=edges, ates=ates, heat_sources=sources
        ), steps
    raise ValueError(f"unknown family {family!r}; use 'size' or 'density'")


@dataclass
class ScaleFamily:
    """A district, a family and the sizing options: evaluates the saving at any value.

    Attributes
    ----------
    inputs, steps
        The district at ``value`` = 1 and its time steps (computed once, scaled per point).
    family
        ``size`` or ``density``.
    options
        Sizing options of every point (cheap ones: few typical days, loose gap).
    connect
        ``base``: force the buildings connected at ``value`` = 1; ``optimal``: free design.
    points
        Every evaluation so far: value -> row (cached).

    """

    inputs: SizingInputs
    steps: TimeSteps
    family: Family
    options: SizingOptions
    connect: Literal["base", "optimal"] = "base"
    points: dict[float, dict[str, float]] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        inputs: SizingInputs,
        family: Family,
        options: SizingOptions,
        connect: Literal["base", "optimal"] = "base",
        steps: TimeSteps | None = None,
    ) -> ScaleFamily:
        """Compute the time steps once; with ``connect="base"`` size the district once."""
        if steps is None:
            steps = time_steps(
                inputs, n_periods=options.n_typical_periods, period_hours=options.period_hours
            )
        fam = cls(inputs=inputs, steps=steps, family=family, options=options, connect=connect)
        if connect == "base":
            base = size(inputs, options=options, steps=steps)
            forced = frozenset(base.connected_buildings)
            fam.options = replace(options, force_connect=forced, exclude=frozenset())
            fam.points[1.0] = fam._row(1.0, base)
        return fam

    def _row(self, value: float, result) -> dict[str, float]:
        ref = result.reference.cost_eur_per_yr if result.reference else math.nan
        demand = sum(b.heat_demand_mwh_per_yr + b.cool_demand_mwh_per_yr for b in result.buildings)
        return {
            "value": value,
            "saving_eur_per_yr": ref - result.design.cost_eur_per_yr,
            "saving_pct": 100.0 * (ref - result.design.cost_eur_per_yr) / ref,
            "total_cost_eur_per_yr": result.design.cost_eur_per_yr,
            "reference_cost_eur_per_yr": ref,
            "demand_mwh_per_yr": demand,
            "n_connected": len(result.connected_buildings),
            "trench_m": sum(e.length_m for e in result.edges if e.built),
            "solve_time_s": result.solve.solve_time_s,
        }

    def evaluate(self, value: float) -> dict[str, float]:
        """Size the family member at ``value`` (cached); its row of the curve."""
        value = float(value)
        if value not in self.points:
            inputs, steps = family_inputs(self.inputs, self.steps, self.family, value)
            self.points[value] = self._row(value, size(inputs, options=self.options, steps=steps))
        return self.points[value]

    def evaluate_many(
        self,
        values: Sequence[float],
        *,
        executor: SolveExecutor,
        progress: ProgressFn | None = None,
    ) -> None:
        """Size the points not evaluated yet as one batch on ``executor``.

        One solver thread per point; each worker keeps one copy of the family.

        Parameters
        ----------
        values
            Parameter values of the points.
        executor
            Where the sizings run.
        progress
            Called with (done, total) during the batch.

        """
        todo = list(dict.fromkeys(float(v) for v in values if float(v) not in self.points))
        options = self.options if self.options.threads else replace(self.options, threads=1)
        args = (self.inputs, self.steps, self.family, options)
        setup = WorkerSetup(digest("scale-family", *args), ScaleFamily, args)
        for value, row in executor.map(
            setup, evaluate_point, todo, local_state=self, progress=progress
        ):
            self.points[value] = row

    def saving(self, value: float) -> float:
        """Return the saving versus the reference at ``value`` [EUR/yr]."""
        return self.evaluate(value)["saving_eur_per_yr"]

    def table(self) -> pd.DataFrame:
        """Every evaluated point, sorted by value."""
        return pd.DataFrame(sorted(self.points.values(), key=lambda r: r["value"]))


def evaluate_point(family: ScaleFamily, value: float) -> dict[str, float]:
    """Return the row of one point of a family (the task of :meth:`ScaleFamily.evaluate_many`)."""
    return family.evaluate(value)


def family_saving(family: ScaleFamily) -> Callable[[float], float]:
    """Return the saving function of a family (for :func:`break_even`)."""
    return family.saving


def scale_curve(saving: Callable[[float], float], values: Sequence[float]) -> pd.DataFrame:
    """Evaluate the saving at each value; columns ``value``, ``saving_eur_per_yr``."""
    return pd.DataFrame({"value": list(values), "saving_eur_per_yr": [saving(v) for v in values]})


@dataclass(frozen=True)
class BreakEven:
    """Result of a break-even search.

    Attributes
    ----------
    status
        ``found`` (crossing bracketed), ``always_saves`` (saving > 0 at ``low``) or
        ``never_saves`` (saving <= 0 at ``high``).
    value
        Midpoint of the final bracket (NaN unless found).
    low, high
        Final bracket: saving <= 0 at ``low``, > 0 at ``high`` (the crossing lies between).
    tolerance
        Width the bracket was narrowed to [parameter units].
    n_evaluations
        Saving evaluations made by the search.

    """

    status: str
    value: float
    low: float
    high: float
    tolerance: float
    n_evaluations: int


def break_even(
    saving: Callable[[float], float],
    low: float,
    high: float,
    *,
    tolerance: float,
    threshold_eur_per_yr: float = 0.0,
    max_evaluations: int = 60,
) -> BreakEven:
    """Bisection for the smallest parameter at which the saving exceeds the threshold.

    Assumes the saving grows with the parameter (one sign change in ``[low, high]``).

    Parameters
    ----------
    saving
        Parameter -> saving [EUR/yr].
    low, high
        Search interval.
    tolerance
        Stop when the bracket is at most this wide (absolute).
    threshold_eur_per_yr
        Saving that counts as "beats the reference".
    max_evaluations
        Safety cap.

    Returns
    -------
    BreakEven

    """
    if not (high > low and tolerance > 0):
        raise ValueError("need high > low and tolerance > 0")
    n = 2
    if saving(low) > threshold_eur_per_yr:
        return BreakEven("always_saves", math.nan, low, high, tolerance, 1)
    if saving(high) <= threshold_eur_per_yr:
        return BreakEven("never_saves", math.nan, low, high, tolerance, 2)
    while high - low > tolerance and n < max_evaluations:
        middle = 0.5 * (low + high)
        n += 1
        if saving(middle) > threshold_eur_per_yr:
            high = middle
        else:
            low = middle
    return BreakEven("found", 0.5 * (low + high), low, high, tolerance, n)


def search(
    saving: Callable[[float], float],
    values: Sequence[float],
    *,
    tolerance: float,
    threshold_eur_per_yr: float = 0.0,
) -> BreakEven:
    """Curve first, then bisection inside the first bracket where the saving turns positive.

    Parameters
    ----------
    saving
        Parameter -> saving [EUR/yr] (cache it: the curve points are evaluated again).
    values
        Curve points, ascending.
    tolerance
        Width of the final bracket [parameter units].
    threshold_eur_per_yr
        Saving that counts as "beats the reference".

    Returns
    -------
    BreakEven
        ``n_evaluations`` counts the bisection steps only.

    """
    values = sorted(float(v) for v in values)
    above = [saving(v) > threshold_eur_per_yr for v in values]
    if above[0]:
        return BreakEven("always_saves", math.nan, values[0], values[-1], tolerance, 0)
    for k in range(1, len(values)):
        if above[k]:
            found = break_even(
                saving,
                values[k - 1],
                values[k],
                tolerance=tolerance,
                threshold_eur_per_yr=threshold_eur_per_yr,
            )
            return replace(found, n_evaluations=max(found.n_evaluations - 2, 0))
    return BreakEven("never_saves", math.nan, values[0], values[-1], tolerance, 0)
