"""Stability checks: individual rationality, core membership, core non-emptiness."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from tsg.optimisation.allocation.game import Game, coalition_sums
from tsg.optimisation.allocation.nucleolus import least_core_epsilon

#: Relative tolerance for core and rationality checks (times max(1, |c(N)|)) [-].
REL_TOL = 1e-7


def _tolerance(game: Game) -> float:
    """Absolute tolerance [EUR/yr] scaled with the size of the costs."""
    return REL_TOL * max(1.0, float(np.max(np.abs(game.costs))))


@dataclass(frozen=True)
class CoreCheck:
    """Result of a core-membership test.

    Attributes
    ----------
    in_core
        True if the allocation is efficient (x(N) = c(N)) and no coalition pays more than
        its own cost.
    blocking_coalition
        Members of the proper non-empty coalition S with the largest excess x(S) - c(S)
        (the coalition most tempted to leave); empty for a single player.
    margin
        That largest excess [EUR/yr]: positive = S pays this much more than going alone;
        zero or negative = S saves at least -margin.
    efficiency_gap
        x(N) - c(N) [EUR/yr]; must be (numerically) zero for a core allocation.

    """

    in_core: bool
    blocking_coalition: tuple[str, ...]
    margin: float
    efficiency_gap: float


def individually_rational(game: Game, allocation: Mapping[str, float]) -> bool:
    """Return whether every partner pays at most its stand-alone cost, x_i <= c({i}).

    Parameters
    ----------
    game
        The cost game.
    allocation
        Player -> allocated cost [EUR/yr].

    Returns
    -------
    bool
        True when no partner would rather build alone.

    """
    x = game.as_array(allocation)
    return bool(np.all(x <= game.standalone + _tolerance(game)))


def rationality_violations(game: Game, allocation: Mapping[str, float]) -> dict[str, float]:
    """Return the partners paying more than alone, with the excess x_i - c({i}) [EUR/yr].

    Parameters
    ----------
    game
        The cost game.
    allocation
        Player -> allocated cost [EUR/yr].

    Returns
    -------
    dict
        Player -> amount above its stand-alone cost; empty when individually rational.

    """
    x = game.as_array(allocation)
    over = x - game.standalone
    tol = _tolerance(game)
    return {p: float(e) for p, e in zip(game.players, over, strict=True) if e > tol}


def core_check(game: Game, allocation: Mapping[str, float]) -> CoreCheck:
    """Test core membership and find the most-blocking coalition.

    Parameters
    ----------
    game
        The cost game.
    allocation
        Player -> allocated cost [EUR/yr].

    Returns
    -------
    CoreCheck
        Membership, the coalition with the largest excess x(S) - c(S) and that excess.

    """
    x = game.as_array(allocation)
    excess = coalition_sums(x) - game.costs
    gap = float(excess[game.grand_mask])
    proper = excess[1 : game.grand_mask]
    if proper.size == 0:
        blocking, margin = (), float("-inf")
    else:
        worst = int(np.argmax(proper)) + 1
        blocking, margin = game.members(worst), float(excess[worst])
    tol = _tolerance(game)
    in_core = abs(gap) <= tol and margin <= tol
    return CoreCheck(in_core, blocking, margin, gap)


def in_core(game: Game, allocation: Mapping[str, float]) -> bool:
    """Return whether the allocation lies in the core (see :func:`core_check`)."""
    return core_check(game, allocation).in_core


def core_nonempty(game: Game) -> bool:
    """Return whether the core is non-empty, i.e. the least-core value eps* <= 0 (one LP).

    Parameters
    ----------
    game
        The cost game.

    Returns
    -------
    bool
        True if some allocation of c(N) leaves no coalition paying more than its own cost.

    """
    return least_core_epsilon(game) <= _tolerance(game)
