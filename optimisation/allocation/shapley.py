"""Shapley value: exact (all coalitions) and sampled (random orders of arrival).

The Shapley value charges each partner its marginal cost c(S + i) - c(S), averaged over all
orders in which the partners could join the grand coalition.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from tsg.common.errors import InputError
from tsg.optimisation.allocation.game import Coalition, Game

#: Two-sided normal quantile for the 95 % confidence half-width of sampled estimates.
Z_95 = 1.959963984540054


def _order_weights(n: int) -> np.ndarray:
    """Return w[s] = s! (n - 1 - s)! / n!, the probability that i finds exactly s before it."""
    return np.array(
        [1.0 / (n * math.comb(n - 1, s)) for s in range(n)],
        dtype=float,
    )


def shapley_values(game: Game) -> np.ndarray:
    """Return the exact Shapley value as an array in player order.

    Parameters
    ----------
    game
        The cost game.

    Returns
    -------
    numpy.ndarray
        phi_i = sum over S not containing i of |S|! (n-|S|-1)! / n! * (c(S + i) - c(S)).

    """
    n = game.n
    masks = np.arange(1 << n, dtype=np.int64)
    weights = _order_weights(n)[np.minimum(game.sizes, n - 1)]
    phi = np.empty(n, dtype=float)
    for i in range(n):
        without = masks[(masks >> i & 1) == 0]
        marginal = game.costs[without | (1 << i)] - game.costs[without]
        phi[i] = float(np.dot(weights[without], marginal))
    return phi


def shapley_exact(game: Game) -> dict[str, float]:
    """Return the exact Shapley value [EUR/yr per player].

    Parameters
    ----------
    game
        The cost game (at most :data:`~optimisation.allocation.game.MAX_PLAYERS` players).

    Returns
    -------
    dict
        Player -> allocated cost; sums to c(N).

    Notes
    -----
    Runs in O(n 2**n) with numpy; 10 players take about a millisecond.

    """
    return game.as_dict(shapley_values(game))


@dataclass(frozen=True)
class SampledShapley:
    """Sampled Shapley value with its uncertainty.

    Attributes
    ----------
    values
        Player -> estimated Shapley cost [EUR/yr]; the estimates sum exactly to c(N) because
        every sampled order charges exactly c(N) in total.
    standard_error
        Player -> standard error of the estimate [EUR/yr] (sample standard deviation of the
        marginal costs divided by sqrt(n_samples)).
    half_width_95
        Player -> half-width of the approximate 95 % confidence interval, 1.96 standard errors.
    n_samples
        Number of sampled orders of arrival.
    n_evaluations
        Number of distinct coalitions whose cost was computed.

    """

    values: dict[str, float]
    standard_error: dict[str, float]
    half_width_95: dict[str, float]
    n_samples: int
    n_evaluations: int


def shapley_sampled(
    game_or_cost_function: Game | Callable[[Coalition], float],
    n_samples: int,
    seed: int | None = None,
    *,
    players: Iterable[str] | None = None,
) -> SampledShapley:
    """Estimate the Shapley value by sampling random orders of arrival.

    Parameters
    ----------
    game_or_cost_function
        Either a :class:`Game`, or a function mapping a ``frozenset`` of player names to c(S)
        [EUR/yr] (then ``players`` is required). A function is called at most once per
        coalition (results are cached), so expensive cost models, e.g. one optimisation per
        coalition, can be used with 30 or more players.
    n_samples
        Number of random orders (permutations); at least 2. The standard error falls as
        1 / sqrt(n_samples).
    seed
        Seed for :func:`numpy.random.default_rng`; equal seeds give equal results.
    players
        Player names; required with a cost function, must be omitted with a game.

    Returns
    -------
    SampledShapley
        Estimates, standard errors and 95 % half-widths.

    Raises
    ------
    InputError
        Fewer than 2 samples, missing or duplicated players, or a non-finite cost.

    """
    if isinstance(n_samples, bool) or not isinstance(n_samples, int | np.integer):
        raise InputError(f"n_samples must be an integer, got {n_samples!r}", field="n_samples")
    if n_samples < 2:
        raise InputError(
            f"n_samples must be at least 2 to estimate an error, got {n_samples}",
            field="n_samples",
        )
    rng = np.random.default_rng(seed)
    if isinstance(game_or_cost_function, Game):
        if players is not None:
            raise InputError("players is given by the game; do not pass it", field="players")
        names = game_or_cost_function.players
        marginals, evaluations = _marginals_from_game(game_or_cost_function, n_samples, rng)
    else:
        if players is None:
            raise InputError("a cost function needs the list of players", field="players")
        names = _player_tuple(players)
        marginals, evaluations = _marginals_from_function(
            game_or_cost_function, names, n_samples, rng
        )
    mean = marginals.mean(axis=0)
    se = marginals.std(axis=0, ddof=1) / math.sqrt(n_samples)
    return SampledShapley(
        values=dict(zip(names, map(float, mean), strict=True)),
        standard_error=dict(zip(names, map(float, se), strict=True)),
        half_width_95=dict(zip(names, map(float, Z_95 * se), strict=True)),
        n_samples=int(n_samples),
        n_evaluations=evaluations,
    )


def _player_tuple(players: Iterable[str]) -> tuple[str, ...]:
    """Validate a player list given with a cost function."""
    names = tuple(players)
    if not names:
        raise InputError("at least one player is needed", field="players")
    if len(set(names)) != len(names):
        raise InputError("player names must be unique", field="players")
    return names


def _marginals_from_game(
    game: Game, n_samples: int, rng: np.random.Generator
) -> tuple[np.ndarray, int]:
    """Marginal costs (n_samples x n, player order) for random orders on an enumerated game."""
    n = game.n
    orders = rng.permuted(np.tile(np.arange(n, dtype=np.int64), (n_samples, 1)), axis=1)
    masks = np.cumsum(np.left_shift(1, orders), axis=1)  # distinct bits: sum == union
    costs = game.costs[masks]
    steps = np.diff(costs, axis=1, prepend=0.0)
    marginals = np.empty_like(steps)
    np.put_along_axis(marginals, orders, steps, axis=1)
    return marginals, int(np.unique(masks).size)


def _marginals_from_function(
    cost: Callable[[Coalition], float],
    players: tuple[str, ...],
    n_samples: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, int]:
    """Marginal costs for random orders, calling ``cost`` once per distinct coalition."""
    n = len(players)
    cache: dict[int, float] = {0: 0.0}
    marginals = np.empty((n_samples, n), dtype=float)
    for row in range(n_samples):
        order = rng.permutation(n)
        mask, previous = 0, 0.0
        for i in order:
            mask |= 1 << int(i)
            value = cache.get(mask)
            if value is None:
                value = _evaluate(cost, players, mask)
                cache[mask] = value
            marginals[row, i] = value - previous
            previous = value
    return marginals, len(cache) - 1


def _evaluate(cost: Callable[[Coalition], float], players: tuple[str, ...], mask: int) -> float:
    """Call the cost function on coalition ``mask`` and check the result."""
    members = frozenset(name for i, name in enumerate(players) if mask >> i & 1)
    value = float(cost(members))
    if not math.isfinite(value):
        raise InputError(
            f"cost function returned {value} for coalition {'+'.join(sorted(members))!r}; "
            "costs must be finite numbers",
            field="costs",
        )
    return value
