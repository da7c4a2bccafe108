"""Simple cost-sharing rules: proportional, equal split, equal savings and SCRB.

Every rule returns a dict player -> allocated cost [EUR/yr] that sums to c(N).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from tsg.common.errors import InputError
from tsg.optimisation.allocation.game import Game


def check_weights(game: Game, weights: Mapping[str, float]) -> np.ndarray:
    """Validate weights (one positive finite number per player) and return them as an array.

    Parameters
    ----------
    game
        The cost game.
    weights
        Player -> weight, e.g. annual heat demand [MWh/yr] or peak load [kW].

    Returns
    -------
    numpy.ndarray
        Weights in player order.

    Raises
    ------
    InputError
        A player is missing or unknown, or a weight is not a positive finite number.

    """
    unknown = [name for name in weights if name not in game.players]
    if unknown:
        raise InputError(
            f"weights name unknown players: {', '.join(map(str, unknown))}; "
            f"players are {', '.join(game.players)}",
            field="weights",
        )
    missing = [name for name in game.players if name not in weights]
    if missing:
        raise InputError(
            f"weights are missing for {', '.join(missing)}; give one weight per player",
            field="weights",
        )
    values = []
    for name in game.players:
        try:
            value = float(weights[name])
        except (TypeError, ValueError):
            raise InputError(
                f"weight of {name!r} is {weights[name]!r}; it must be a number", field="weights"
            ) from None
        if not math.isfinite(value) or value <= 0.0:
            raise InputError(
                f"weight of {name!r} is {value}; weights must be positive finite numbers",
                field="weights",
            )
        values.append(value)
    return np.array(values, dtype=float)


def proportional(game: Game, weights: Mapping[str, float]) -> dict[str, float]:
    """Share c(N) in proportion to positive weights.

    Parameters
    ----------
    game
        The cost game.
    weights
        Player -> positive weight (annual demand, peak load, floor area, ...).

    Returns
    -------
    dict
        x_i = c(N) * w_i / sum_j w_j.

    """
    w = check_weights(game, weights)
    return game.as_dict(game.grand_cost * w / w.sum())


def equal_split(game: Game) -> dict[str, float]:
    """Share c(N) equally: x_i = c(N) / n.

    Parameters
    ----------
    game
        The cost game.

    Returns
    -------
    dict
        Player -> allocated cost.

    """
    return game.as_dict(np.full(game.n, game.grand_cost / game.n))


def equal_savings(game: Game) -> dict[str, float]:
    """Give every partner the same saving: x_i = c({i}) - (sum_j c({j}) - c(N)) / n.

    Parameters
    ----------
    game
        The cost game.

    Returns
    -------
    dict
        Player -> allocated cost.

    """
    savings = float(game.standalone.sum()) - game.grand_cost
    return game.as_dict(game.standalone - savings / game.n)


def scrb_values(game: Game) -> np.ndarray:
    """Separable costs remaining benefits, as an array in player order.

    Parameters
    ----------
    game
        The cost game.

    Returns
    -------
    numpy.ndarray
        x_i = SC_i + NSC * r_i^+ / sum_j r_j^+, see :func:`scrb`.

    """
    n, grand = game.n, game.grand_cost
    full = game.grand_mask
    separable = np.array([grand - game.costs[full & ~(1 << i)] for i in range(n)])
    remaining = game.standalone - separable
    non_separable = grand - float(separable.sum())
    positive = np.clip(remaining, 0.0, None)
    if positive.sum() > 0.0:
        shares = positive / positive.sum()
    else:
        shares = np.full(n, 1.0 / n)
    return separable + non_separable * shares


def scrb(game: Game) -> dict[str, float]:
    r"""Share costs by the separable costs remaining benefits (SCRB) method.

    Parameters
    ----------
    game
        The cost game.

    Returns
    -------
    dict
        Player -> allocated cost; sums to c(N).

    Notes
    -----
    - Separable cost SC_i = c(N) - c(N \ {i}): what partner i adds to the grand coalition.
    - Alternative cost = c({i}); remaining benefit r_i = c({i}) - SC_i.
    - Non-separable cost NSC = c(N) - sum_j SC_j is shared in proportion to the positive parts
      r_i^+ = max(r_i, 0): x_i = SC_i + NSC * r_i^+ / sum_j r_j^+.

    Edge cases: a partner with r_i <= 0 (joining the others costs at least as much as going
    alone) gets no share of NSC and pays its separable cost. If no partner has a positive
    remaining benefit, NSC is split equally. With one player x = c(N). NSC can be negative
    (the separable costs exceed c(N)); it is then a refund shared in the same proportions.

    """
    return game.as_dict(scrb_values(game))
