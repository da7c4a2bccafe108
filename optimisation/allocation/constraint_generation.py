"""Least core of a cost game by constraint generation: no enumeration of the coalitions.

The least-core value is ``eps* = min over efficient x of max over proper S of x(S) - c(S)``.
With many players the ``2**n - 2`` constraints cannot all be written down, so the master LP
keeps only the coalitions generated so far (the singletons at the start) and a *separation*
oracle looks for the coalition the current allocation violates most:

1. master: ``min eps`` s.t. ``x(S) - eps <= c(S)`` for the generated S, ``x(N) = c(N)``;
   the point handed to the separation is the pre-nucleolus of the generated coalitions (the
   lexicographic centre of the master's least core, a stabilised point);
2. separation: ``U >= max over S not generated of x(S) - c(S)`` and the coalitions that
   attain it (for a sizing model: one MILP, :mod:`tsg.optimisation.sizing.coalition_separation`;
   for a table of costs: :func:`enumerated_separation`);
3. the coalitions found are added with their cost ``c(S)`` (from the cost function, the same
   c(S) an enumerated game would use); stop when ``U <= eps + tolerance``.

Every master value is a lower bound of eps* (fewer constraints), and every separation gives
an upper bound ``max(eps_k, U_k)`` at its point x_k, so the result is an interval that holds
even when the separation stops at a time limit or a MIP gap (its bound is then used, not its
incumbent). This module knows nothing about the sizing model: the separation is a callable.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from tsg.common.errors import InputError
from tsg.optimisation.allocation.game import Coalition, Game, coalition_sums
from tsg.optimisation.allocation.nucleolus import restricted_least_core

__all__ = [
    "GeneratedLeastCore",
    "Separate",
    "Separation",
    "enumerated_separation",
    "least_core_by_generation",
]


@dataclass(frozen=True)
class Separation:
    """What one call of the separation found.

    Attributes
    ----------
    coalitions
        Coalitions found, most violated first (proper, non-empty, not among the excluded);
        may be empty.
    bound_eur_per_yr
        Proven upper bound on ``max x(S) - c(S)`` over the proper coalitions not excluded
        [EUR/yr] (``inf`` when the solver proved nothing).
    found_eur_per_yr
        ``x(S) - c(S)`` of the first coalition found, as the separation evaluated it [EUR/yr]
        (``-inf`` when none was found).
    status
        ``optimal`` (bound within the separation's gap) or ``time_limit``.
    solve_time_s
        Wall time of the separation [s].

    """

    coalitions: tuple[Coalition, ...]
    bound_eur_per_yr: float
    found_eur_per_yr: float = float("-inf")
    status: str = "optimal"
    solve_time_s: float = 0.0

    @property
    def gap_eur_per_yr(self) -> float:
        """Bound minus what was found [EUR/yr]: how far from proven the separation is."""
        if not np.isfinite(self.found_eur_per_yr):
            return float("inf")
        return max(0.0, self.bound_eur_per_yr - self.found_eur_per_yr)


#: A separation oracle: (allocation player -> EUR/yr, coalitions to skip) -> Separation.
Separate = Callable[[Mapping[str, float], Collection[Coalition]], Separation]


@dataclass(frozen=True)
class GeneratedLeastCore:
    """Least core found by constraint generation.

    Attributes
    ----------
    players
        Player names.
    epsilon
        Proven lower bound of the least-core value [EUR/yr]: eps over the generated
        coalitions, with c(N) at its lower bound (``lower_cost``) and the other coalitions at
        the designs found (a coalition can only cost less than its design found).
    epsilon_upper
        Proven upper bound of the least-core value [EUR/yr]: at the best separated point x_k,
        the larger of the separation's bound and ``x_k(S) - lower bound of c(S)`` over the
        generated coalitions. The least-core value lies in ``[epsilon, epsilon_upper]``.
    epsilon_found
        eps over the generated coalitions with the costs of the designs found [EUR/yr] (the
        value an enumeration of those costs would give once the generation has converged).
    allocation
        Player -> cost [EUR/yr], summing to c(N): the pre-nucleolus of the generated
        coalitions at the last separated point; its largest excess over *all* coalitions is
        at most ``max_excess_upper``.
    max_excess_upper
        Upper bound of ``max over proper S of x(S) - c(S)`` at ``allocation`` [EUR/yr].
    coalitions
        Generated coalition -> c(S) [EUR/yr] (singletons first, then in the order found).
    iterations
        Master LPs solved with a separation after them.
    separations
        Calls of the separation (MILP solves for a sizing model).
    evaluations
        Calls of the cost function (c(N) and every generated coalition).
    max_separation_gap_eur_per_yr
        Largest gap (bound minus found) of the separations [EUR/yr].
    tolerance_eur_per_yr
        Absolute tolerance of the stopping test [EUR/yr].
    stopped
        ``converged`` (the least-core value decided; with ``nucleolus=True`` also the
        pre-nucleolus verified), ``no_new_coalition`` (the separation's bound stays above
        ``eps + tolerance`` but it found nothing new: solver tolerance) or ``max_iterations``.
    nucleolus_verified
        Whether ``allocation`` is proven to be the pre-nucleolus of the whole game (within
        the tolerance): every coalition not generated has an excess at most the level at
        which the generated coalitions, sorted by excess, reach full rank (Kohlberg's
        criterion then carries over from the generated coalitions to all of them).
    time_s
        Wall time [s].

    """

    players: tuple[str, ...]
    epsilon: float
    epsilon_upper: float
    epsilon_found: float
    allocation: dict[str, float]
    max_excess_upper: float
    coalitions: dict[Coalition, float]
    iterations: int
    separations: int
    evaluations: int
    max_separation_gap_eur_per_yr: float
    tolerance_eur_per_yr: float
    stopped: str
    nucleolus_verified: bool
    time_s: float

    @property
    def decided(self) -> bool:
        """Whether the least-core value is known within the tolerance."""
        return self.epsilon_upper - self.epsilon <= self.tolerance_eur_per_yr

    @property
    def core_verdict(self) -> str:
        """``holds`` (core non-empty), ``fails`` (empty) or ``undecided`` within the bounds."""
        if self.epsilon_upper <= self.tolerance_eur_per_yr:
            return "holds"
        if self.epsilon > self.tolerance_eur_per_yr:
            return "fails"
        return "undecided"


def _rows(players: tuple[str, ...], coalitions: Iterable[Coalition]) -> np.ndarray:
    return np.array([[1.0 if p in s else 0.0 for p in players] for s in coalitions])


def _full_rank_level(rows: np.ndarray, excess: np.ndarray, tol: float) -> float:
    """Excess level at which the coalitions with excess >= level, with N, span R^n.

    The pre-nucleolus x of the generated coalitions satisfies Kohlberg's criterion on them:
    every collection ``{S: e(S, x) >= a}`` (with N) is balanced. Once such a collection spans
    R^n, adding any coalitions keeps the criterion, so when no other coalition has an excess
    above this level, x is the pre-nucleolus of the whole game. Excesses within ``tol`` of
    each other count as one level.
    """
    n = rows.shape[1]
    order = np.argsort(-excess, kind="stable")
    chosen = [np.ones(n)]
    for k, row in enumerate(order):
        chosen.append(rows[row])
        level = float(excess[row])
        tied = k + 1 < order.size and excess[order[k + 1]] >= level - tol
        if not tied and np.linalg.matrix_rank(np.array(chosen)) >= n:
            return level
    return float("-inf")


def least_core_by_generation(
    players: Iterable[str],
    cost: Callable[[Coalition], float],
    separate: Separate,
    *,
    tolerance_eur_per_yr: float | None = None,
    max_iterations: int = 200,
    nucleolus: bool = False,
    lower_cost: Callable[[Coalition], float] | None = None,
    say: Callable[[str], None] | None = None,
) -> GeneratedLeastCore:
    """Least-core value and a least-core point, generating only the coalitions that bind.

    Parameters
    ----------
    players
        Player names (at least two).
    cost
        c(S) [EUR/yr] of a ``frozenset`` of players (called once per generated coalition).
    separate
        The separation oracle (:data:`Separate`).
    tolerance_eur_per_yr
        Stop when the separation's bound is within this of the master's eps (default
        ``1e-6 * max(|c(N)|, 1)``).
    max_iterations
        Most master/separation rounds.
    nucleolus
        Go on generating until the allocation is verified to be the pre-nucleolus of the
        whole game (see :func:`_full_rank_level`); ``False`` stops as soon as the least-core
        value is decided.
    lower_cost
        Proven lower bound of c(S) [EUR/yr], called right after ``cost`` on the same
        coalition (e.g. the solver's bound of that solve); default: ``cost`` is exact.
    say
        Called with one line per round (progress), if given.

    Returns
    -------
    GeneratedLeastCore

    Raises
    ------
    InputError
        Fewer than two players, duplicated players or a non-finite cost.

    """
    names = tuple(players)
    if len(names) < 2 or len(set(names)) != len(names):
        raise InputError("constraint generation needs two or more distinct players")
    start = time.perf_counter()
    grand_set = frozenset(names)
    evaluations = 0

    def evaluate(s: Coalition) -> float:
        nonlocal evaluations
        evaluations += 1
        value = float(cost(s))
        if not np.isfinite(value):
            raise InputError(f"cost of coalition {'+'.join(sorted(s))!r} is {value}")
        low[s] = value if lower_cost is None else min(value, float(lower_cost(s)))
        return value

    low: dict[Coalition, float] = {}

    grand = evaluate(grand_set)
    tol = 1e-6 * max(abs(grand), 1.0) if tolerance_eur_per_yr is None else tolerance_eur_per_yr
    generated = {frozenset([p]): evaluate(frozenset([p])) for p in names}
    standalone = np.array([generated[frozenset([p])] for p in names])
    best_upper, best = float("inf"), None
    nucleolus_verified = False
    iterations = separations = 0
    max_gap = 0.0
    stopped = "max_iterations"
    while iterations < max_iterations:
        iterations += 1
        keys = list(generated)
        rows, costs = _rows(names, keys), np.array([generated[k] for k in keys])
        eps, x = restricted_least_core(rows, costs, grand, standalone, centre=True)
        level = _full_rank_level(rows, rows @ x - costs, tol)
        worst = float(np.max(rows @ x - np.array([low[k] for k in keys])))
        point = dict(zip(names, map(float, x), strict=True))
        found = separate(point, (*generated, grand_set))
        separations += 1
        if np.isfinite(found.found_eur_per_yr):
            max_gap = max(max_gap, found.gap_eur_per_yr)
        upper = max(eps, worst, found.bound_eur_per_yr)
        best_upper = min(best_upper, upper)
        best = (point, upper)
        nucleolus_verified = found.bound_eur_per_yr <= level + tol
        new = [s for s in found.coalitions if s and s != grand_set and s not in generated]
        for s in new:
            generated[s] = evaluate(s)
        if say is not None:
            say(
                f"    round {iterations}: eps {eps:,.0f} EUR/yr, separation bound "
                f"{found.bound_eur_per_yr:,.0f} ({found.status}, {found.solve_time_s:.1f} s), "
                f"{len(generated)} coalitions"
            )
        if found.bound_eur_per_yr <= eps + tol and (not nucleolus or nucleolus_verified):
            stopped = "converged"
            break
        if not new:
            stopped = "no_new_coalition"
            break
    keys = list(generated)
    rows, costs = _rows(names, keys), np.array([generated[k] for k in keys])
    eps_final, _ = restricted_least_core(rows, costs, grand, standalone)
    eps_low, _ = restricted_least_core(rows, costs, low[grand_set], standalone)
    assert best is not None
    return GeneratedLeastCore(
        players=names,
        epsilon=float(min(eps_low, eps_final)),
        epsilon_upper=float(max(best_upper, eps_final)),
        epsilon_found=float(eps_final),
        allocation=best[0],
        max_excess_upper=float(best[1]),
        coalitions=generated,
        iterations=iterations,
        separations=separations,
        evaluations=evaluations,
        max_separation_gap_eur_per_yr=float(max_gap),
        tolerance_eur_per_yr=float(tol),
        stopped=stopped,
        nucleolus_verified=bool(nucleolus_verified),
        time_s=time.perf_counter() - start,
    )


def enumerated_separation(game: Game, per_round: int = 1) -> Separate:
    """Return a separation oracle that checks every coalition of an enumerated game (exact).

    Parameters
    ----------
    game
        The cost game (its costs are the c(S) the oracle uses).
    per_round
        Coalitions returned per call (the most violated ones).

    Returns
    -------
    Separate
        The oracle; its bound is the exact largest excess over the coalitions not excluded.

    """
    sizes = game.sizes

    def separate(x: Mapping[str, float], excluded: Collection[Coalition]) -> Separation:
        excess = coalition_sums(game.as_array(x)) - game.costs
        skip = (sizes == 0) | (sizes == game.n)
        for s in excluded:
            skip[game.mask(s)] = True
        excess = np.where(skip, -np.inf, excess)
        order = np.argsort(-excess, kind="stable")[:per_round]
        order = order[np.isfinite(excess[order])]
        coalitions = tuple(frozenset(game.members(int(m))) for m in order)
        bound = float(excess[order[0]]) if order.size else float("-inf")
        return Separation(coalitions, bound, bound)

    return separate
