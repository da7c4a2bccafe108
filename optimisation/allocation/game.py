"""Cooperative cost games stored as one cost per coalition bitmask.

A coalition of the players ``players[0..n-1]`` is encoded as the integer whose bit ``i`` is
set when player ``i`` is a member (bit 0 is the first player). The empty coalition is mask 0
and always costs 0; the grand coalition is mask ``2**n - 1``. Storing costs in a numpy array
indexed by mask lets the exact methods (Shapley value, nucleolus, core checks) vectorise over
all coalitions at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from tsg.common.errors import InputError

#: Most players an explicitly enumerated game may have (2**20 - 1 coalitions, 8 MB of costs).
MAX_PLAYERS = 20

#: A coalition given by its member names.
Coalition = frozenset[str]


def popcounts(n: int) -> np.ndarray:
    """Return the number of members of every coalition mask ``0 .. 2**n - 1``.

    Parameters
    ----------
    n
        Number of players.

    Returns
    -------
    numpy.ndarray
        Integer array of length ``2**n``.

    """
    masks = np.arange(1 << n, dtype=np.int64)
    counts = np.zeros(1 << n, dtype=np.int64)
    for i in range(n):
        counts += (masks >> i) & 1
    return counts


def membership_matrix(n: int) -> np.ndarray:
    """Return the 0/1 matrix ``A[mask, i]`` telling whether player ``i`` is in coalition ``mask``.

    Parameters
    ----------
    n
        Number of players.

    Returns
    -------
    numpy.ndarray
        Float array of shape ``(2**n, n)``.

    """
    masks = np.arange(1 << n, dtype=np.int64)[:, None]
    return ((masks >> np.arange(n, dtype=np.int64)[None, :]) & 1).astype(float)


def coalition_sums(values: np.ndarray) -> np.ndarray:
    """Return ``x(S)`` for every coalition mask, given one value per player.

    Parameters
    ----------
    values
        Array of length ``n`` (one entry per player, in player order).

    Returns
    -------
    numpy.ndarray
        Array of length ``2**n``; entry ``mask`` is the sum of ``values`` over the members.

    """
    values = np.asarray(values, dtype=float)
    sums = np.zeros(1, dtype=float)
    for value in values:
        # Masks with bit i set are the previous block shifted by 2**i.
        sums = np.concatenate([sums, sums + value])
    return sums


def _check_players(players: Iterable[str]) -> tuple[str, ...]:
    """Validate player names and return them as a tuple."""
    names = tuple(players)
    if not names:
        raise InputError("a game needs at least one player", field="players")
    seen: set[str] = set()
    for name in names:
        if not isinstance(name, str) or not name.strip():
            raise InputError(
                f"player names must be non-empty strings, got {name!r}", field="players"
            )
        if name in seen:
            raise InputError(f"player {name!r} is listed twice", field="players")
        seen.add(name)
    if len(names) > MAX_PLAYERS:
        raise InputError(
            f"{len(names)} players given; exact cost games support at most {MAX_PLAYERS} "
            f"players (2**{MAX_PLAYERS} - 1 coalitions). For more players use "
            "shapley_sampled with a cost function",
            field="players",
        )
    return names


@dataclass(frozen=True, eq=False)
class Game:
    """A cost game: the optimal annual cost of every non-empty coalition.

    Parameters
    ----------
    players
        Player names, in a fixed order; player ``i`` is bit ``i`` of a coalition mask.
    costs
        Array of length ``2**n`` with ``costs[mask]`` = c(S) in EUR/yr; ``costs[0]`` (the empty
        coalition) must be 0. The array is copied and made read-only. Games compare by
        identity (``eq=False``), not by value.

    Raises
    ------
    InputError
        Empty, duplicated or too many players, wrong array length, a non-finite cost or a
        non-zero cost for the empty coalition.

    """

    players: tuple[str, ...]
    costs: np.ndarray

    def __post_init__(self) -> None:
        players = _check_players(self.players)
        costs = np.array(self.costs, dtype=float, copy=True).reshape(-1)
        expected = 1 << len(players)
        if costs.shape != (expected,):
            raise InputError(
                f"{len(players)} players need {expected} coalition costs (including the empty "
                f"coalition at index 0), got {costs.size}",
                field="costs",
            )
        bad = np.flatnonzero(~np.isfinite(costs))
        if bad.size:
            label = "+".join(_members(players, int(bad[0])))
            raise InputError(
                f"cost of coalition {label!r} is {costs[bad[0]]}; costs must be finite numbers",
                field="costs",
            )
        if costs[0] != 0.0:
            raise InputError("the empty coalition must cost 0", field="costs")
        costs.setflags(write=False)
        object.__setattr__(self, "players", players)
        object.__setattr__(self, "costs", costs)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_mapping(cls, players: Iterable[str], costs: Mapping[Iterable[str], float]) -> Game:
        """Build a game from a mapping coalition -> cost.

        Parameters
        ----------
        players
            Player names in the order to use.
        costs
            One entry per non-empty coalition; keys are any iterable of member names
            (``frozenset``, tuple, ...); a plain string key is one player's name. The empty
            coalition may be omitted.

        Returns
        -------
        Game
            The game.

        Raises
        ------
        InputError
            A coalition names an unknown player or a player twice, the same coalition appears
            twice, a coalition is missing, or a cost is not a finite number.

        """
        names = _check_players(players)
        index = {name: i for i, name in enumerate(names)}
        array = np.zeros(1 << len(names), dtype=float)
        seen = np.zeros(1 << len(names), dtype=bool)
        seen[0] = True
        for key, cost in costs.items():
            members = [key] if isinstance(key, str) else list(key)
            mask = 0
            for member in members:
                if member not in index:
                    raise InputError(
                        f"coalition {_label(members)!r} names unknown player {member!r}; "
                        f"known players: {', '.join(names)}",
                        field="costs",
                    )
                bit = 1 << index[member]
                if mask & bit:
                    raise InputError(
                        f"coalition {_label(members)!r} lists player {member!r} twice",
                        field="costs",
                    )
                mask |= bit
            if mask == 0:
                if float(cost) != 0.0:
                    raise InputError("the empty coalition must cost 0", field="costs")
                continue
            if seen[mask]:
                raise InputError(f"coalition {_label(members)!r} is given twice", field="costs")
            seen[mask] = True
            array[mask] = _finite(cost, members)
        missing = np.flatnonzero(~seen)
        if missing.size:
            label = "+".join(_members(names, int(missing[0])))
            raise InputError(
                f"cost of coalition {label!r} is missing ({missing.size} of "
                f"{(1 << len(names)) - 1} coalitions missing); every non-empty coalition "
                "needs a cost",
                field="costs",
            )
        return cls(names, array)

    @classmethod
    def from_function(cls, players: Iterable[str], cost: Callable[[Coalition], float]) -> Game:
        """Build a game by evaluating ``cost`` on every non-empty coalition.

        Parameters
        ----------
        players
            Player names in the order to use.
        cost
            Function of a ``frozenset`` of member names returning c(S) in EUR/yr.

        Returns
        -------
        Game
            The game.

        """
        names = _check_players(players)
        array = np.zeros(1 << len(names), dtype=float)
        for mask in range(1, 1 << len(names)):
            members = _members(names, mask)
            array[mask] = _finite(cost(frozenset(members)), members)
        return cls(names, array)

    # ------------------------------------------------------------------ accessors
    @property
    def n(self) -> int:
        """Number of players."""
        return len(self.players)

    @property
    def grand_mask(self) -> int:
        """Bitmask of the grand coalition N."""
        return (1 << self.n) - 1

    @property
    def grand_cost(self) -> float:
        """Cost c(N) of the grand coalition [EUR/yr]."""
        return float(self.costs[self.grand_mask])

    @cached_property
    def standalone(self) -> np.ndarray:
        """Stand-alone costs c({i}) in player order [EUR/yr]."""
        return np.array([self.costs[1 << i] for i in range(self.n)], dtype=float)

    @cached_property
    def sizes(self) -> np.ndarray:
        """Number of members of every coalition mask."""
        return popcounts(self.n)

    def mask(self, coalition: Iterable[str]) -> int:
        """Return the bitmask of a coalition given by member names.

        Parameters
        ----------
        coalition
            Member names.

        Returns
        -------
        int
            The bitmask.

        Raises
        ------
        InputError
            A name is not a player of the game.

        """
        index = {name: i for i, name in enumerate(self.players)}
        members = [coalition] if isinstance(coalition, str) else list(coalition)
        mask = 0
        for member in members:
            if member not in index:
                raise InputError(
                    f"unknown player {member!r}; known players: {', '.join(self.players)}"
                )
            mask |= 1 << index[member]
        return mask

    def members(self, mask: int) -> tuple[str, ...]:
        """Return the member names of coalition ``mask`` in player order."""
        return _members(self.players, mask)

    def cost(self, coalition: Iterable[str]) -> float:
        """Return c(S) for a coalition given by member names [EUR/yr]."""
        return float(self.costs[self.mask(coalition)])

    def savings(self) -> np.ndarray:
        """Return the savings game v(S) = sum_{i in S} c({i}) - c(S) for every mask."""
        return coalition_sums(self.standalone) - self.costs

    def as_dict(self, values: np.ndarray) -> dict[str, float]:
        """Return a per-player array as a dict player -> float."""
        return {name: float(v) for name, v in zip(self.players, values, strict=True)}

    def as_array(self, allocation: Mapping[str, float]) -> np.ndarray:
        """Return an allocation dict as an array in player order.

        Raises
        ------
        InputError
            The dict misses a player, names an unknown one or holds a non-finite value.

        """
        unknown = sorted(set(allocation) - set(self.players))
        if unknown:
            raise InputError(f"allocation names unknown players: {', '.join(unknown)}")
        missing = [p for p in self.players if p not in allocation]
        if missing:
            raise InputError(f"allocation misses players: {', '.join(missing)}")
        values = np.array([float(allocation[p]) for p in self.players], dtype=float)
        if not np.all(np.isfinite(values)):
            raise InputError("allocated costs must be finite numbers")
        return values

    def transformed(self, scale: float, shift: np.ndarray | None = None) -> Game:
        """Return the strategically equivalent game ``scale * c(S) + shift(S)``.

        Parameters
        ----------
        scale
            Positive factor.
        shift
            Per-player additive amounts (default zero).

        Returns
        -------
        Game
            The transformed game.

        """
        if shift is None:
            shift = np.zeros(self.n)
        return Game(self.players, scale * self.costs + coalition_sums(shift))


def _members(players: tuple[str, ...], mask: int) -> tuple[str, ...]:
    """Member names of ``mask`` in player order."""
    return tuple(name for i, name in enumerate(players) if mask >> i & 1)


def _label(members: Iterable[str]) -> str:
    """Coalition label ``a+b+c`` as written in cost files."""
    return "+".join(str(m) for m in members)


def _finite(cost: object, members: Iterable[str]) -> float:
    """Convert a cost to float, raising InputError for NaN, inf or non-numbers."""
    try:
        value = float(cost)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(
            f"cost of coalition {_label(members)!r} is {cost!r}; it must be a number",
            field="costs",
        ) from None
    if not math.isfinite(value):
        raise InputError(
            f"cost of coalition {_label(members)!r} is {value}; costs must be finite numbers",
            field="costs",
        )
    return value
