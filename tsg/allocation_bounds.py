"""Bounds of the coalition costs from the solver, and their adaptive refinement.

Every coalition solve stops at a MIP gap: its design costs ``upper`` and the solver proves
``lower`` (its best bound; when it reports none, ``upper - gap * |upper|`` with the gap it was
asked for). :func:`interval_game` turns the per-coalition solve table into an
:class:`~optimisation.allocation.IntervalGame`; :func:`refine` re-solves, at tighter gaps,
only the coalitions whose bounds keep a verdict undecided, until every verdict is decided,
every such coalition reached the gap floor, or the time budget is spent.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tsg.optimisation.allocation import Game, IntervalGame, deciding_coalitions
from tsg.optimisation.sizing.solve import SolveInfo

__all__ = [
    "GAP_FLOOR",
    "REFINE_BUDGET_S",
    "Refinement",
    "interval_game",
    "lower_bound_eur_per_yr",
    "refine",
]

GAP_FLOOR = 0.001
"""Tightest relative MIP gap the refinement asks for [-] (0.1 %)."""

REFINE_BUDGET_S = 300.0
"""Wall time the refinement may spend on re-solves [s]; it stops after the solve running
when the budget runs out."""

#: Re-solve a coalition at this fraction of its current gap (never below the floor).
TIGHTEN = 0.25


def lower_bound_eur_per_yr(
    upper_eur_per_yr: float, bound_eur_per_yr: float, status: str, mip_gap: float
) -> float:
    """Return the lower bound of a coalition cost from one solve.

    Parameters
    ----------
    upper_eur_per_yr
        Cost of the design found [EUR/yr].
    bound_eur_per_yr
        The solver's best bound [EUR/yr] (NaN when not reported).
    status
        ``optimal`` (gap reached), ``time_limit`` or ``no_buildings`` (exact 0).
    mip_gap
        Relative gap the solve was asked for [-].

    Returns
    -------
    float
        The bound when reported (never above ``upper``); else ``upper - mip_gap * |upper|``
        for an optimal solve and ``upper - |upper|`` (nothing proven) after a time limit.

    """
    if status == "no_buildings":
        return upper_eur_per_yr
    if math.isfinite(bound_eur_per_yr):
        return min(bound_eur_per_yr, upper_eur_per_yr)
    width = mip_gap if status == "optimal" else 1.0
    return upper_eur_per_yr - width * abs(upper_eur_per_yr)


def interval_game(players: tuple[str, ...], solves: pd.DataFrame) -> IntervalGame:
    """Return the interval game of a solve table (rows in coalition-mask order 1 .. 2**n - 1).

    Parameters
    ----------
    players
        Player names in game order.
    solves
        Columns ``cost_eur_per_yr`` (upper) and ``lower_eur_per_yr``.

    Returns
    -------
    IntervalGame

    """
    upper = np.concatenate([[0.0], solves["cost_eur_per_yr"].to_numpy(dtype=float)])
    lower = np.concatenate([[0.0], solves["lower_eur_per_yr"].to_numpy(dtype=float)])
    return IntervalGame(players, lower, upper)


@dataclass(frozen=True)
class Refinement:
    """What the refinement did.

    Attributes
    ----------
    game
        The interval game after refinement.
    solves
        The solve table with the final cost, bound, status, gap, the summed solve time and
        the number of re-solves (``refinements``) per coalition.
    resolved
        Re-solves made.
    time_s
        Wall time of the refinement [s].
    stopped
        ``decided`` (no verdict depends on the bounds any more), ``gap floor`` (the
        coalitions that could decide one are at the floor) or ``time budget``.

    """

    game: IntervalGame
    solves: pd.DataFrame
    resolved: int
    time_s: float
    stopped: str

    def meta(self, gap_floor: float, budget_s: float) -> dict[str, object]:
        """Return the facts for ``allocation_meta.json``."""
        return {
            "gap_floor": gap_floor,
            "time_budget_s": budget_s,
            "resolved": self.resolved,
            "time_s": self.time_s,
            "stopped": self.stopped,
            "max_gap": _finite_or_none(self.solves["gap"].max()),
            "mean_gap": _finite_or_none(self.solves["gap"].mean()),
        }


def _finite_or_none(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def _gap(igame: IntervalGame, mask: int) -> float:
    upper = igame.upper_eur_per_yr[mask]
    return float(upper - igame.lower_eur_per_yr[mask]) / max(abs(float(upper)), 1e-9)


def refine(
    igame: IntervalGame,
    solves: pd.DataFrame,
    *,
    allocate: Callable[[Game], Mapping[str, Mapping[str, float]]],
    resolve: Callable[[frozenset[str], float], tuple[float, SolveInfo]] | None = None,
    resolve_many: Callable[[list[tuple[frozenset[str], float]]], list[tuple[float, SolveInfo]]]
    | None = None,
    batch_size: int = 1,
    gap_floor: float = GAP_FLOOR,
    budget_s: float = REFINE_BUDGET_S,
    say: Callable[[str], None] = lambda _text: None,
) -> Refinement:
    """Re-solve the coalitions that decide undecided verdicts at tighter gaps.

    Parameters
    ----------
    igame
        Interval game of the first solves.
    solves
        Its solve table (see :func:`interval_game`); a copy is updated.
    allocate
        Game of the designs found -> rule -> allocation; called again after every round
        because better designs change what the rules share.
    resolve
        (members, mip gap [-]) -> (cost of the design found [EUR/yr], solve info).
    resolve_many
        Instead of ``resolve``: a list of (members, gap) -> their results in that order, e.g.
        a batch on the executor (:class:`tsg.optimisation.sizing.coalition_batch.CoalitionBatch`).
    batch_size
        Coalitions sent to ``resolve_many`` at once (the budget is checked between batches).
    gap_floor
        Tightest gap asked for [-].
    budget_s
        Wall-time budget of the re-solves [s].
    say
        Where progress lines go.

    Returns
    -------
    Refinement

    """
    start = time.perf_counter()
    table = solves.copy()
    if "refinements" not in table:
        table["refinements"] = 0
    asked: dict[int, float] = {}
    resolved, stopped = 0, "decided"
    while True:
        candidates = [
            m
            for m in deciding_coalitions(igame, allocate(igame.upper_game()))
            if asked.get(m, math.inf) > gap_floor and _gap(igame, m) > gap_floor
        ]
        if not candidates:
            if deciding_coalitions(igame, allocate(igame.upper_game())):
                stopped = "gap floor"
            break
        if time.perf_counter() - start >= budget_s:
            stopped = "time budget"
            break
        say(f"    refining {len(candidates)} coalition costs that decide a verdict")
        lower, upper = igame.lower_eur_per_yr.copy(), igame.upper_eur_per_yr.copy()
        size = max(1, batch_size) if resolve_many is not None else 1
        for first in range(0, len(candidates), size):
            if time.perf_counter() - start >= budget_s:
                break
            masks = candidates[first : first + size]
            jobs = []
            for mask in masks:
                gap = TIGHTEN * min(_gap(igame, mask), asked.get(mask, math.inf))
                asked[mask] = max(gap_floor, gap)
                jobs.append((frozenset(igame.members(mask)), asked[mask]))
            if resolve_many is not None:
                results = resolve_many(jobs)
            elif resolve is not None:
                results = [resolve(members, gap) for members, gap in jobs]
            else:
                raise TypeError("refine needs resolve or resolve_many")
            for mask, (value, info) in zip(masks, results, strict=True):
                resolved += _update(table, mask, asked[mask], value, info, lower, upper)
        igame = IntervalGame(igame.players, lower, upper)
    return Refinement(igame, table, resolved, time.perf_counter() - start, stopped)


def _update(
    table: pd.DataFrame,
    mask: int,
    target: float,
    value: float,
    info: SolveInfo,
    lower: np.ndarray,
    upper: np.ndarray,
) -> int:
    """Enter a re-solve into the solve table and the bounds; return 1."""
    row = table.index[mask - 1]
    new_upper = min(float(upper[mask]), value)
    bound = lower_bound_eur_per_yr(value, info.bound_eur_per_yr, info.status, target)
    upper[mask] = new_upper
    lower[mask] = min(max(float(lower[mask]), bound), new_upper)
    table.loc[row, "cost_eur_per_yr"] = upper[mask]
    table.loc[row, "lower_eur_per_yr"] = lower[mask]
    table.loc[row, "status"] = info.status
    table.loc[row, "gap"] = (upper[mask] - lower[mask]) / max(abs(upper[mask]), 1e-9)
    seconds = table.loc[row, "solve_time_s"]
    table.loc[row, "solve_time_s"] = (0.0 if pd.isna(seconds) else seconds) + (info.solve_time_s)
    table.loc[row, "refinements"] += 1
    return 1
