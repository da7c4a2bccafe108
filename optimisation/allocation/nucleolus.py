"""Nucleolus, pre-nucleolus and least core of a cost game, by a sequence of LPs.

Excess of coalition S at allocation x (cost convention): e(S, x) = x(S) - c(S), what S pays
above its own cost; positive excess means S would be better off alone. The nucleolus
lexicographically minimises the vector of excesses sorted from largest to smallest.

Algorithm (Maschler, Peleg & Shapley 1979; with the correction stressed by Guajardo &
Jörnsten 2015, "Common mistakes in computing the nucleolus", EJOR 241(3):931-935):

1. Solve ``min t`` s.t. ``e(S, x) <= t`` for the free coalitions, ``e(S, x) = fixed value``
   for the fixed ones, ``x(N) = c(N)`` (and ``x_i <= c({i})`` for the nucleolus proper).
2. Fix only the coalitions that are tight (``e(S, x) = t*``) in *every* optimal solution.
   A coalition with a positive dual price is such a coalition (complementary slackness). The
   other candidates, tight in the solver's solution, are tested with a slack-maximising LP
   over the optimal face: ``max sum z_S`` s.t. ``e(S, x) + z_S <= t*``, ``0 <= z_S <= 1``.
   Any candidate with ``z_S > 0`` can be slack and stays free; the LP is repeated on the rest
   until no further candidate can be slack. This is equivalent to one LP per candidate but
   usually needs one or two LPs per stage. Fixing every coalition that happens to be tight
   in one optimal vertex is the common mistake: it can cut off the nucleolus.
3. Drop free coalitions whose excess is already determined (vector in the span of the fixed
   ones). Stop when the fixed coalitions span R^n; x is then unique.

Each stage raises the rank of the fixed set, so at most n stages are needed. Costs are
shifted by the stand-alone costs and scaled to [-1, 1] before solving (the nucleolus is
covariant under such transformations), which keeps the LP tolerances meaningful for costs
of millions of euro.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from tsg.common.errors import InputError
from tsg.optimisation.allocation.game import Game, coalition_sums, membership_matrix

#: Tolerance (in normalised cost units, costs scaled to at most 1) for "tight" and "slack".
TIGHT_TOL = 1e-7
#: Relaxation of the optimal value when exploring the optimal face.
FACE_RELAX = 1e-9
#: Tolerance for linear dependence of coalition vectors.
RANK_TOL = 1e-8
#: A dual price above this marks a coalition tight in every optimal solution (well above
#: HiGHS' dual feasibility tolerance; smaller positive duals are checked by the slack LP).
DUAL_TOL = 1e-6
#: Savings below this fraction of the largest cost are treated as rounding noise (zero).
NOISE = 1e-9


@dataclass(frozen=True)
class LeastCore:
    """Least core of a cost game.

    Attributes
    ----------
    allocation
        A point of the least core, player -> cost [EUR/yr]: the pre-nucleolus, which is the
        lexicographic centre of the least core (equal to the nucleolus when the core is
        non-empty).
    epsilon
        Smallest eps such that some efficient x has x(S) <= c(S) + eps for every proper
        non-empty coalition S [EUR/yr]. Negative: the core has an interior (every coalition
        saves at least -eps); zero: the core is non-empty but thin; positive: the core is
        empty and eps is the smallest subsidy per coalition that would make it non-empty.

    """

    allocation: dict[str, float]
    epsilon: float


@dataclass(frozen=True)
class _Normalised:
    """Game shifted by stand-alone costs and scaled: c'(S) = (c(S) - sum c_i) / scale."""

    a: np.ndarray  # membership of proper non-empty coalitions, (m, n)
    c: np.ndarray  # normalised costs of those coalitions, (m,)
    grand: float  # normalised c(N)
    scale: float
    shift: np.ndarray  # stand-alone costs


def _normalise(game: Game) -> _Normalised:
    """Shift and scale the game so the LPs work on numbers of order 1.

    Shifted costs within :data:`NOISE` (relative to the largest cost) of zero are rounding
    noise of the shift and are set to exactly zero, so nearly additive games stay additive.
    """
    n = game.n
    shifted = game.costs - coalition_sums(game.standalone)
    magnitude = max(float(np.max(np.abs(game.costs))), float(np.max(np.abs(shifted))))
    shifted[np.abs(shifted) <= NOISE * magnitude] = 0.0
    scale = float(np.max(np.abs(shifted)))
    scale = scale if scale > 0.0 else 1.0
    proper = np.arange(1, (1 << n) - 1)
    return _Normalised(
        a=membership_matrix(n)[proper],
        c=shifted[proper] / scale,
        grand=float(shifted[-1] / scale),
        scale=scale,
        shift=game.standalone.copy(),
    )


def _solve(
    cost: np.ndarray,
    a_ub: sparse.csr_array | np.ndarray,
    b_ub: np.ndarray,
    a_eq: np.ndarray,
    b_eq: np.ndarray,
    bounds: list[tuple[float | None, float | None]],
):
    """Solve one LP with HiGHS and fail loudly if it is not optimal."""
    result = linprog(
        cost,
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=a_eq,
        b_eq=b_eq,
        bounds=bounds,
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(f"nucleolus LP failed: {result.message}")
    return result


class _Sequence:
    """State of the nucleolus LP sequence on a normalised game."""

    def __init__(self, norm: _Normalised, imputations: bool) -> None:
        self.norm = norm
        self.n = norm.a.shape[1]
        self.x_upper = 0.0 if imputations else None  # x'_i <= 0  <=>  x_i <= c({i})
        self.free = np.ones(norm.a.shape[0], dtype=bool)
        self.eq_rows: list[np.ndarray] = [np.ones(self.n)]
        self.eq_rhs: list[float] = [norm.grand]
        self.basis = np.ones((1, self.n)) / np.sqrt(self.n)
        self._drop_determined()

    # -------------------------------------------------------------- linear algebra
    def _residual(self, rows: np.ndarray) -> np.ndarray:
        """Norm of the part of each row outside the span of the fixed coalitions."""
        projected = rows @ self.basis.T @ self.basis
        return np.linalg.norm(rows - projected, axis=1)

    def _add_equality(self, row: np.ndarray, rhs: float) -> bool:
        """Add a fixed coalition if it is independent of the fixed ones."""
        rest = row - row @ self.basis.T @ self.basis
        norm = float(np.linalg.norm(rest))
        if norm <= RANK_TOL:
            return False
        self.basis = np.vstack([self.basis, rest / norm])
        self.eq_rows.append(row)
        self.eq_rhs.append(rhs)
        return True

    def _drop_determined(self) -> None:
        """Free coalitions in the span of the fixed ones have a constant excess: drop them."""
        idx = np.flatnonzero(self.free)
        if idx.size:
            self.free[idx[self._residual(self.norm.a[idx]) <= RANK_TOL]] = False

    @property
    def rank(self) -> int:
        """Rank of the fixed coalitions (including N)."""
        return self.basis.shape[0]

    # -------------------------------------------------------------- LPs
    def _bounds(self, extra: int, extra_bounds: tuple[float | None, float | None]):
        return [(None, self.x_upper)] * self.n + [extra_bounds] * extra

    def _eq(self, extra: int) -> tuple[np.ndarray, np.ndarray]:
        a_eq = np.array(self.eq_rows)
        return np.hstack([a_eq, np.zeros((a_eq.shape[0], extra))]), np.array(self.eq_rhs)

    def minimise_max_excess(self) -> tuple[float, np.ndarray, np.ndarray]:
        """Stage LP: min t s.t. excess of free coalitions <= t. Returns t, x, duals."""
        idx = np.flatnonzero(self.free)
        a_ub = np.hstack([self.norm.a[idx], -np.ones((idx.size, 1))])
        a_eq, b_eq = self._eq(1)
        cost = np.zeros(self.n + 1)
        cost[-1] = 1.0
        res = _solve(cost, a_ub, self.norm.c[idx], a_eq, b_eq, self._bounds(1, (None, None)))
        return float(res.x[-1]), res.x[: self.n], -res.ineqlin.marginals

    def can_be_slack(self, t_star: float, candidates: np.ndarray) -> np.ndarray:
        """Which candidates (row indices) have e(S, x) < t* for some optimal x (one LP)."""
        idx = np.flatnonzero(self.free)
        k = candidates.size
        z_part = sparse.csr_array(
            (np.ones(k), (np.searchsorted(idx, candidates), np.arange(k))),
            shape=(idx.size, k),
        )
        a_ub = sparse.hstack([sparse.csr_array(self.norm.a[idx]), z_part], format="csr")
        b_ub = self.norm.c[idx] + t_star + FACE_RELAX
        a_eq, b_eq = self._eq(k)
        cost = np.concatenate([np.zeros(self.n), -np.ones(k)])
        res = _solve(cost, a_ub, b_ub, a_eq, b_eq, self._bounds(k, (0.0, 1.0)))
        return res.x[self.n :] > TIGHT_TOL

    def always_tight(self, t_star: float, x: np.ndarray, duals: np.ndarray) -> np.ndarray:
        """Row indices of free coalitions tight in every optimal solution of the stage LP."""
        idx = np.flatnonzero(self.free)
        excess = self.norm.a[idx] @ x - self.norm.c[idx]
        tight_here = excess >= t_star - TIGHT_TOL
        sure = idx[tight_here & (duals > DUAL_TOL)]
        unsure = idx[tight_here & (duals <= DUAL_TOL)]
        while unsure.size:
            slack = self.can_be_slack(t_star, unsure)
            if not slack.any():
                break
            unsure = unsure[~slack]
        found = np.union1d(sure, unsure)
        if found.size == 0:  # numerical trouble only: fall back to the most binding ones
            found = idx[excess >= excess.max() - TIGHT_TOL]
        return found

    def run(self) -> np.ndarray:
        """Run the LP sequence; return the normalised allocation."""
        x = np.full(self.n, self.norm.grand / self.n)
        while self.rank < self.n and self.free.any():
            t_star, x, duals = self.minimise_max_excess()
            for row in self.always_tight(t_star, x, duals):
                self._add_equality(self.norm.a[row], float(self.norm.c[row] + t_star))
                self.free[row] = False
            self._drop_determined()
        if self.rank == self.n:
            x = np.linalg.solve(np.array(self.eq_rows), np.array(self.eq_rhs))
        return x


def _check_imputations(game: Game, norm: _Normalised) -> None:
    """Raise if no allocation gives every partner at most its stand-alone cost."""
    total = float(game.standalone.sum())
    if norm.grand > 0.0:
        raise InputError(
            f"the grand coalition costs {game.grand_cost:.2f} EUR/yr, more than the sum of the "
            f"stand-alone costs ({total:.2f}); no allocation is individually rational, so the "
            "nucleolus is undefined (use prenucleolus=True for the pre-nucleolus)",
            field="costs",
        )


def nucleolus_values(game: Game, *, prenucleolus: bool = False) -> np.ndarray:
    """Return the (pre-)nucleolus as an array in player order [EUR/yr].

    Parameters
    ----------
    game
        The cost game.
    prenucleolus
        ``False``: the nucleolus over imputations (x_i <= c({i})). ``True``: the pre-nucleolus
        over all efficient allocations. Both coincide when the core is non-empty.

    Returns
    -------
    numpy.ndarray
        Allocated costs summing to c(N).

    """
    if game.n == 1:
        return np.array([game.grand_cost])
    norm = _normalise(game)
    if not prenucleolus:
        _check_imputations(game, norm)
    x_norm = _Sequence(norm, imputations=not prenucleolus).run()
    return x_norm * norm.scale + norm.shift


def nucleolus(game: Game, *, prenucleolus: bool = False) -> dict[str, float]:
    """Return the nucleolus [EUR/yr per player].

    Parameters
    ----------
    game
        The cost game.
    prenucleolus
        Compute the pre-nucleolus (no individual-rationality bounds) instead.

    Returns
    -------
    dict
        Player -> allocated cost; sums to c(N). The allocation minimises the largest excess
        x(S) - c(S), then the second largest, and so on; it lies in the core whenever the core
        is non-empty.

    Raises
    ------
    InputError
        ``prenucleolus=False`` and c(N) exceeds the sum of stand-alone costs (no imputation).

    """
    return game.as_dict(nucleolus_values(game, prenucleolus=prenucleolus))


def least_core_epsilon(game: Game) -> float:
    """Return the least-core value eps* [EUR/yr] (one LP).

    Parameters
    ----------
    game
        The cost game.

    Returns
    -------
    float
        min over efficient x of max over proper non-empty S of x(S) - c(S). The core is
        non-empty iff eps* <= 0. For a single player there is no proper coalition; returns
        ``-inf``.

    """
    if game.n == 1:
        return float("-inf")
    norm = _normalise(game)
    sequence = _Sequence(norm, imputations=False)
    t_star, _, _ = sequence.minimise_max_excess()
    return t_star * norm.scale


def least_core(game: Game) -> LeastCore:
    """Return the least core value and a documented point of the least core.

    Parameters
    ----------
    game
        The cost game.

    Returns
    -------
    LeastCore
        ``epsilon`` = eps* and ``allocation`` = the pre-nucleolus. The least core is usually a
        set; the pre-nucleolus is its lexicographic centre (its first LP is the least-core LP),
        so it is a unique, reproducible choice. It equals the nucleolus when eps* <= 0.

    """
    return LeastCore(
        allocation=nucleolus(game, prenucleolus=True),
        epsilon=least_core_epsilon(game),
    )


def _restricted(
    rows: np.ndarray, costs: np.ndarray, grand_cost: float, standalone: np.ndarray
) -> _Sequence:
    """LP sequence over the given coalitions only (rows 0/1, shifted and scaled as above)."""
    rows = np.asarray(rows, dtype=float)
    shifted = np.asarray(costs, dtype=float) - rows @ standalone
    grand = float(grand_cost - standalone.sum())
    scale = max(float(np.max(np.abs(shifted), initial=0.0)), abs(grand)) or 1.0
    norm = _Normalised(rows, shifted / scale, grand / scale, scale, standalone.copy())
    return _Sequence(norm, imputations=False)


def restricted_least_core(
    rows: np.ndarray,
    costs: np.ndarray,
    grand_cost: float,
    standalone: np.ndarray,
    *,
    centre: bool = False,
) -> tuple[float, np.ndarray]:
    """Least core (and its lexicographic centre) over a subset of the coalitions.

    Parameters
    ----------
    rows
        0/1 membership of the proper coalitions taken into account, shape ``(m, n)``; must
        include every singleton.
    costs
        c(S) of those coalitions [EUR/yr].
    grand_cost
        c(N) [EUR/yr].
    standalone
        c({i}) in player order [EUR/yr] (used to shift the costs for numerics).
    centre
        ``False``: return a solver's optimal x of the least-core LP. ``True``: the
        pre-nucleolus of the game restricted to these coalitions (a point of their least core).

    Returns
    -------
    tuple
        eps over these coalitions [EUR/yr] and the allocation in player order [EUR/yr].

    """
    standalone = np.asarray(standalone, dtype=float)
    sequence = _restricted(rows, costs, grand_cost, standalone)
    t_star, x, _ = sequence.minimise_max_excess()
    if centre:
        x = sequence.run()
    scale = sequence.norm.scale
    return t_star * scale, x * scale + standalone
