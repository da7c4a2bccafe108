"""Thresholds that flip a building's connection: bisection on re-solves of the design.

For a building and a parameter, the design is re-solved with the parameter scaled by a factor
and the building's decision (connected or not) is read. Three parameters:

* ``pipe_cost``: a factor on every trench's cost per metre (all pipe sizes);
* ``gas_price``: a factor on the gas price of every consumer (the model's ``gas_price``; the
  buildings' own bracket prices are fixed factors on it, so they scale alike);
* ``demand``: a factor on the one building's hourly heat, hot water and cold.

The search assumes the decision is monotone in the factor and goes in the direction that
works against the base decision (a connected building is searched towards dearer trenches,
cheaper gas, less demand; a building left out the other way). It first solves at the end of
the range; when the decision there is still the base decision the answer is "does not flip
within range". Otherwise it bisects on a logarithmic scale between the last factor with the
base decision and the first with the other one. With ``n`` solves in all the bracket shrinks
to ``end ** (1 / 2 ** (n - 1))`` (factor 4: about +-9 % after 4 solves, +-4 % after 5). Every
solve is cached: the global parameters (trench cost, gas price) share their solves between
buildings.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import pyomo.environ as pyo

from tsg.common.errors import InputError
from tsg.optimisation.sizing.inputs import SizingInputs
from tsg.optimisation.sizing.model import build_model
from tsg.optimisation.sizing.options import SizingOptions
from tsg.optimisation.sizing.periods import TimeSteps, time_steps
from tsg.optimisation.sizing.workflow import solve_and_extract

__all__ = ["PARAMETERS", "Threshold", "ThresholdSearch", "bisect_flip", "search_direction"]

PARAMETERS = ("pipe_cost", "gas_price", "demand")
"""Parameters of the search (see the module docstring)."""


@dataclass(frozen=True)
class Threshold:
    """Where one building's decision flips along one parameter.

    Attributes
    ----------
    building_id, parameter
        The building and the parameter (:data:`PARAMETERS`).
    base_connected
        Its decision at factor 1.
    threshold_factor
        Factor at which the decision flips (geometric middle of the final bracket) [-];
        NaN when it does not flip within the range searched.
    bracket_low, bracket_high
        Final bracket of the factor [-] (NaN when it does not flip).
    searched_to
        The end of the range searched [-] (below 1: towards smaller factors).
    solves
        Decisions asked for (cached ones included; the base decision not).
    note
        Empty, or why the search stopped (e.g. an infeasible case).
    """

    building_id: str
    parameter: str
    base_connected: bool
    threshold_factor: float
    bracket_low: float
    bracket_high: float
    searched_to: float
    solves: int
    note: str = ""

    @property
    def flips(self) -> bool:
        """Whether the decision flips within the range searched."""
        return math.isfinite(self.threshold_factor)

    @property
    def flips_to(self) -> str:
        """``connected``, ``not connected`` or empty (no flip)."""
        if not self.flips:
            return ""
        return "not connected" if self.base_connected else "connected"


def search_direction(parameter: str, base_connected: bool) -> int:
    """Return +1 to search towards larger factors, -1 towards smaller ones.

    A dearer trench works against connecting; dearer gas and more demand work for it.

    Raises
    ------
    ValueError
        Unknown parameter.
    """
    if parameter not in PARAMETERS:
        raise ValueError(f"unknown threshold parameter '{parameter}'; use {PARAMETERS}")
    favours_connecting = parameter != "pipe_cost"
    return -1 if favours_connecting == base_connected else 1


def bisect_flip(
    decide: Callable[[float], bool], *, base: bool, end: float, max_solves: int
) -> tuple[float, float, float, int]:
    """Find where ``decide`` leaves ``base`` between factor 1 and ``end`` (log bisection).

    Parameters
    ----------
    decide
        Factor -> decision (connected or not).
    base
        The decision at factor 1.
    end
        End of the range searched (> 0, not 1).
    max_solves
        Most calls of ``decide`` (>= 1).

    Returns
    -------
    tuple
        ``(threshold, bracket_low, bracket_high, calls)``: the geometric middle of the final
        bracket and the bracket (NaN when ``decide(end) == base``), and the calls made.

    Raises
    ------
    ValueError
        ``end`` not positive or equal to 1, or ``max_solves`` < 1.
    """
    if not (end > 0 and end != 1.0 and math.isfinite(end)):
        raise ValueError(f"end must be a positive factor other than 1, got {end}")
    if max_solves < 1:
        raise ValueError("max_solves must be >= 1")
    calls = 1
    if decide(end) == base:
        nan = float("nan")
        return nan, nan, nan, calls
    same, other = 1.0, end
    while calls < max_solves:
        middle = math.sqrt(same * other)
        calls += 1
        if decide(middle) == base:
            same = middle
        else:
            other = middle
    low, high = sorted((same, other))
    return math.sqrt(low * high), low, high, calls


def _scaled_steps(steps: TimeSteps, b: int, factor: float) -> TimeSteps:
    scaled = {}
    for name in ("heat_kw", "dhw_kw", "cool_kw"):
        values = getattr(steps, name).copy()
        values[b] *= factor
        scaled[name] = values
    return replace(steps, **scaled)


class ThresholdSearch:
    """Re-solves of one design with one parameter scaled, cached by case.

    Parameters
    ----------
    inputs
        The sizing inputs of the base case.
    options
        Options of every solve (cheap ones: few typical periods).
    steps
        Time steps of the base case (default: from ``options``); a demand case scales the
        building's rows of these, so every case sees the same typical periods.
    """

    def __init__(
        self, inputs: SizingInputs, options: SizingOptions, steps: TimeSteps | None = None
    ) -> None:
        self.inputs = inputs
        self.options = options
        self.steps = steps or time_steps(
            inputs, n_periods=options.n_typical_periods, period_hours=options.period_hours
        )
        self._ids = [b.building_id for b in inputs.buildings]
        self._cache: dict[tuple[str, float, str], frozenset[str]] = {}
        self.n_solves = 0

    def connected(self, parameter: str, factor: float, building_id: str = "") -> frozenset[str]:
        """Return the buildings connected with ``parameter`` scaled by ``factor``.

        ``building_id`` names the building whose demand is scaled (``demand`` only).

        Raises
        ------
        InputError
            No feasible design in this case.
        """
        if parameter not in PARAMETERS:
            raise ValueError(f"unknown threshold parameter '{parameter}'; use {PARAMETERS}")
        key = (parameter, float(factor), building_id if parameter == "demand" else "")
        if factor == 1.0:
            key = ("base", 1.0, "")
        if key not in self._cache:
            self._cache[key] = self._solve(parameter, float(factor), building_id)
        return self._cache[key]

    def _solve(self, parameter: str, factor: float, building_id: str) -> frozenset[str]:
        inputs, steps = self.inputs, self.steps
        if factor != 1.0 and parameter == "pipe_cost":
            pipes = inputs.pipes
            inputs = replace(
                inputs,
                pipes=tuple(replace(p, cost_eur_per_m=p.cost_eur_per_m * factor) for p in pipes),
            )
        elif factor != 1.0 and parameter == "demand":
            b = self._ids.index(building_id)
            old = inputs.buildings[b]
            new = replace(
                old,
                heat_kw=old.heat_kw * factor,
                dhw_kw=old.dhw_kw * factor,
                cool_kw=old.cool_kw * factor,
            )
            buildings = inputs.buildings[:b] + (new,) + inputs.buildings[b + 1 :]
            inputs = replace(inputs, buildings=buildings)
            steps = _scaled_steps(steps, b, factor)
        sm = build_model(inputs, steps, options=self.options)
        if factor != 1.0 and parameter == "gas_price":
            sm.model.gas_price.set_value(float(pyo.value(sm.model.gas_price)) * factor)
        self.n_solves += 1
        result = solve_and_extract(sm, with_reference=False)
        return frozenset(result.connected_buildings)

    def threshold(
        self,
        building_id: str,
        parameter: str,
        *,
        low_factor: float,
        high_factor: float,
        max_solves: int,
    ) -> Threshold:
        """Search the factor of ``parameter`` that flips ``building_id`` (module docstring)."""
        if building_id not in self._ids:
            raise InputError(f"unknown building '{building_id}'; known: {self._ids}")
        base = self._base(building_id)
        end = high_factor if search_direction(parameter, base) > 0 else low_factor
        note = ""
        try:
            found = bisect_flip(
                lambda f: building_id in self.connected(parameter, f, building_id),
                base=base,
                end=end,
                max_solves=max_solves,
            )
        except InputError as error:
            found = (float("nan"), float("nan"), float("nan"), 0)
            note = f"stopped: {error}"
        threshold, low, high, calls = found
        return Threshold(building_id, parameter, base, threshold, low, high, end, calls, note)

    def _base(self, building_id: str) -> bool:
        key = ("base", 1.0, "")
        if key not in self._cache:
            self._cache[key] = self._solve("pipe_cost", 1.0, "")
        return building_id in self._cache[key]

    def table(
        self,
        buildings: Sequence[str],
        parameters: Sequence[str] = PARAMETERS,
        *,
        low_factor: float = 0.25,
        high_factor: float = 4.0,
        max_solves: int = 5,
    ) -> list[Threshold]:
        """Return the threshold of every building along every parameter (in that order)."""
        return [
            self.threshold(
                b, p, low_factor=low_factor, high_factor=high_factor, max_solves=max_solves
            )
            for p in parameters
            for b in buildings
        ]

    @property
    def base_connected(self) -> frozenset[str]:
        """The buildings connected in the base case (solved on first use)."""
        self._base(self._ids[0])
        return self._cache[("base", 1.0, "")]
