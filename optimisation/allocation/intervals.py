"""Interval cost games: verdicts that hold within solver tolerance.

A MIP solve stopped at a relative gap ``g`` gives a design of cost ``upper`` and a proven
bound ``lower`` (``upper - lower <= g * |upper|``): the true optimal c(S) lies in
``[lower(S), upper(S)]``. Every stability verdict is therefore computed against both ends and
reads :data:`HOLDS` (true for every game in the box), :data:`FAILS` (false for every game in
the box) or :data:`UNDECIDED` (the solver tolerance decides).

Conventions
-----------
* An allocation ``x`` shares the cost of the design found for the grand coalition,
  ``upper(N)`` (that design is what the alliance builds and pays), so x(N) = c(N) holds by
  construction; uncertain are the alternatives c(S) of the proper coalitions.
* ``x`` is surely in the core iff ``x(S) <= lower(S)`` for every proper S, and surely not iff
  some ``x(S) > upper(S)``.
* The core of the true game is non-empty iff its least-core value eps* <= 0. eps* grows
  with c(N) and shrinks when any proper c(S) grows, so over the box it ranges from eps*(game
  with proper S at ``upper`` and N at ``lower``) to eps*(proper S at ``lower``, N at
  ``upper``): the core is surely non-empty iff the second is <= 0 and surely empty iff the
  first is > 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from tsg.common.errors import InputError
from tsg.optimisation.allocation.game import Game, coalition_sums
from tsg.optimisation.allocation.nucleolus import least_core

__all__ = [
    "FAILS",
    "HOLDS",
    "UNDECIDED",
    "CoreVerdict",
    "IntervalGame",
    "PartnerVerdict",
    "RuleVerdict",
    "core_verdict",
    "deciding_coalitions",
    "rule_verdict",
    "verdict",
]

HOLDS = "holds"
FAILS = "fails"
UNDECIDED = "undecided within solver tolerance"

#: Relative tolerance of every comparison (times max(1, largest |cost|)) [-].
REL_TOL = 1e-7


def verdict(surely: bool, surely_not: bool) -> str:
    """Return :data:`HOLDS`, :data:`FAILS` or :data:`UNDECIDED`.

    Parameters
    ----------
    surely
        The statement is true for every game within the bounds.
    surely_not
        The statement is false for every game within the bounds.

    Returns
    -------
    str
        The verdict.

    """
    if surely:
        return HOLDS
    return FAILS if surely_not else UNDECIDED


@dataclass(frozen=True, eq=False)
class IntervalGame:
    """A cost game whose coalition costs are known between a lower and an upper bound.

    Parameters
    ----------
    players
        Player names (bit ``i`` of a coalition mask is ``players[i]``).
    lower_eur_per_yr, upper_eur_per_yr
        Arrays of length ``2**n``: proven lower bound and cost of the design found per
        coalition mask [EUR/yr]; index 0 (the empty coalition) is 0 in both.

    Raises
    ------
    InputError
        Wrong lengths, non-finite values or a lower bound above its upper bound.

    """

    players: tuple[str, ...]
    lower_eur_per_yr: np.ndarray
    upper_eur_per_yr: np.ndarray

    def __post_init__(self) -> None:
        upper = Game(self.players, self.upper_eur_per_yr)  # validates players and length
        lower = Game(upper.players, self.lower_eur_per_yr)
        tol = REL_TOL * max(1.0, float(np.max(np.abs(upper.costs))))
        above = np.flatnonzero(lower.costs > upper.costs + tol)
        if above.size:
            label = "+".join(upper.members(int(above[0])))
            raise InputError(
                f"coalition {label!r}: lower bound {lower.costs[above[0]]} is above its cost "
                f"{upper.costs[above[0]]}",
                field="costs",
            )
        object.__setattr__(self, "players", upper.players)
        object.__setattr__(self, "lower_eur_per_yr", np.minimum(lower.costs, upper.costs))
        object.__setattr__(self, "upper_eur_per_yr", upper.costs)

    @classmethod
    def exact(cls, game: Game) -> IntervalGame:
        """Return the game with zero-width intervals (every cost known exactly)."""
        return cls(game.players, game.costs, game.costs)

    @property
    def n(self) -> int:
        """Number of players."""
        return len(self.players)

    @property
    def grand_mask(self) -> int:
        """Bitmask of the grand coalition."""
        return (1 << self.n) - 1

    @property
    def tolerance_eur_per_yr(self) -> float:
        """Absolute tolerance of the comparisons [EUR/yr]."""
        return REL_TOL * max(1.0, float(np.max(np.abs(self.upper_eur_per_yr))))

    def upper_game(self) -> Game:
        """Return the game of the designs found (what the sharing rules share)."""
        return Game(self.players, self.upper_eur_per_yr)

    def extreme(self, proper: str, grand: str) -> Game:
        """Return the game with proper coalitions at one bound, the grand coalition at the other.

        Parameters
        ----------
        proper, grand
            ``"lower"`` or ``"upper"`` each.

        """
        bounds = {"lower": self.lower_eur_per_yr, "upper": self.upper_eur_per_yr}
        costs = bounds[proper].copy()
        costs[self.grand_mask] = bounds[grand][self.grand_mask]
        return Game(self.players, costs)

    def members(self, mask: int) -> tuple[str, ...]:
        """Return the member names of coalition ``mask``."""
        return tuple(p for i, p in enumerate(self.players) if mask >> i & 1)


@dataclass(frozen=True)
class CoreVerdict:
    """Whether the core is non-empty, over every game within the bounds.

    Attributes
    ----------
    nonempty
        :data:`HOLDS` (surely non-empty), :data:`FAILS` (surely empty) or :data:`UNDECIDED`.
    epsilon_low_eur_per_yr, epsilon_high_eur_per_yr
        Range of the least-core value eps* over the box [EUR/yr]; the core is non-empty iff
        eps* <= 0.

    """

    nonempty: str
    epsilon_low_eur_per_yr: float
    epsilon_high_eur_per_yr: float


@dataclass(frozen=True)
class PartnerVerdict:
    """Individual rationality of one partner: x_i <= c({i}).

    Attributes
    ----------
    cost_eur_per_yr
        Allocated cost x_i.
    standalone_low_eur_per_yr, standalone_high_eur_per_yr
        Bounds of the stand-alone cost c({i}).
    margin_low_eur_per_yr, margin_high_eur_per_yr
        Bounds of c({i}) - x_i (positive: the partner gains by joining).
    individually_rational
        :data:`HOLDS`, :data:`FAILS` or :data:`UNDECIDED`.

    """

    cost_eur_per_yr: float
    standalone_low_eur_per_yr: float
    standalone_high_eur_per_yr: float
    margin_low_eur_per_yr: float
    margin_high_eur_per_yr: float
    individually_rational: str


@dataclass(frozen=True)
class RuleVerdict:
    """Stability of one allocation over every game within the bounds.

    Attributes
    ----------
    in_core
        :data:`HOLDS`, :data:`FAILS` or :data:`UNDECIDED`.
    individually_rational
        The same for "every partner pays at most its stand-alone cost".
    blocking_coalition
        Members of the surely blocking coalition with the largest certain excess when the
        verdict fails, else of the coalition with the largest possible excess (empty for one
        player).
    excess_low_eur_per_yr, excess_high_eur_per_yr
        Bounds of that coalition's excess x(S) - c(S) [EUR/yr] (positive: it pays more than
        on its own).
    surely_blocking, possibly_blocking
        Number of proper coalitions with x(S) > upper(S), and with x(S) > lower(S).
    partners
        Player -> :class:`PartnerVerdict`.

    """

    in_core: str
    individually_rational: str
    blocking_coalition: tuple[str, ...]
    excess_low_eur_per_yr: float
    excess_high_eur_per_yr: float
    surely_blocking: int
    possibly_blocking: int
    partners: dict[str, PartnerVerdict]


def _allocation_array(igame: IntervalGame, allocation: Mapping[str, float]) -> np.ndarray:
    return igame.upper_game().as_array(allocation)


def core_verdict(igame: IntervalGame) -> CoreVerdict:
    """Decide core non-emptiness over the box of games (two least-core LPs).

    Parameters
    ----------
    igame
        The interval game.

    Returns
    -------
    CoreVerdict
        The verdict and the range of eps*.

    """
    if igame.n == 1:
        return CoreVerdict(HOLDS, float("-inf"), float("-inf"))
    low = least_core(igame.extreme("upper", "lower")).epsilon
    high = least_core(igame.extreme("lower", "upper")).epsilon
    tol = igame.tolerance_eur_per_yr
    return CoreVerdict(verdict(high <= tol, low > tol), float(low), float(high))


def rule_verdict(igame: IntervalGame, allocation: Mapping[str, float]) -> RuleVerdict:
    """Decide core membership and individual rationality of one allocation.

    Parameters
    ----------
    igame
        The interval game.
    allocation
        Player -> allocated cost [EUR/yr] (a share of ``upper(N)``).

    Returns
    -------
    RuleVerdict
        Verdicts, the most blocking coalition with its excess bounds, and per partner.

    """
    x = _allocation_array(igame, allocation)
    tol = igame.tolerance_eur_per_yr
    sums = coalition_sums(x)
    proper = slice(1, igame.grand_mask)
    high = (sums - igame.lower_eur_per_yr)[proper]
    low = (sums - igame.upper_eur_per_yr)[proper]
    if high.size == 0:
        in_core, blocking, bounds = HOLDS, (), (float("-inf"), float("-inf"))
    else:
        in_core = verdict(bool(np.all(high <= tol)), bool(np.any(low > tol)))
        worst = int(np.argmax(low)) if in_core == FAILS else int(np.argmax(high))
        blocking = igame.members(worst + 1)
        bounds = (float(low[worst]), float(high[worst]))
    partners = {}
    for i, player in enumerate(igame.players):
        alone_low = float(igame.lower_eur_per_yr[1 << i])
        alone_high = float(igame.upper_eur_per_yr[1 << i])
        margin_low, margin_high = alone_low - x[i], alone_high - x[i]
        partners[player] = PartnerVerdict(
            cost_eur_per_yr=float(x[i]),
            standalone_low_eur_per_yr=alone_low,
            standalone_high_eur_per_yr=alone_high,
            margin_low_eur_per_yr=float(margin_low),
            margin_high_eur_per_yr=float(margin_high),
            individually_rational=verdict(margin_low >= -tol, margin_high < -tol),
        )
    rational = [p.individually_rational for p in partners.values()]
    return RuleVerdict(
        in_core=in_core,
        individually_rational=verdict(
            all(v == HOLDS for v in rational), any(v == FAILS for v in rational)
        ),
        blocking_coalition=blocking,
        excess_low_eur_per_yr=bounds[0],
        excess_high_eur_per_yr=bounds[1],
        surely_blocking=int(np.sum(low > tol)),
        possibly_blocking=int(np.sum(high > tol)),
        partners=partners,
    )


def _binding(game: Game, tol: float) -> set[int]:
    """Return the coalitions whose excess reaches eps* at the least-core point."""
    lc = least_core(game)
    x = game.as_array(lc.allocation)
    excess = coalition_sums(x) - game.costs
    proper = np.arange(1, game.grand_mask)
    return {int(m) for m in proper[excess[1 : game.grand_mask] >= lc.epsilon - tol]}


def deciding_coalitions(
    igame: IntervalGame,
    allocations: Mapping[str, Mapping[str, float]],
    *,
    core: CoreVerdict | None = None,
) -> list[int]:
    """Return the coalitions whose tighter bounds could decide an undecided verdict.

    Parameters
    ----------
    igame
        The interval game.
    allocations
        Rule -> allocation (player -> cost [EUR/yr]) whose verdicts matter.
    core
        The core verdict (default: computed).

    Returns
    -------
    list of int
        Coalition masks with a non-zero interval, single partners first (they decide
        individual rationality and solve fastest), then widest first: for an undecided rule the
        proper coalitions with ``lower(S) < x(S) <= upper(S)`` (this includes the partners of
        an undecided individual rationality); for an undecided core the coalitions that set
        eps* in either extreme game, and the grand coalition.

    """
    tol = igame.tolerance_eur_per_yr
    width = igame.upper_eur_per_yr - igame.lower_eur_per_yr
    found: set[int] = set()
    for allocation in allocations.values():
        sums = coalition_sums(_allocation_array(igame, allocation))
        open_ = (sums > igame.lower_eur_per_yr + tol) & (sums <= igame.upper_eur_per_yr + tol)
        open_[[0, igame.grand_mask]] = False
        found.update(int(m) for m in np.flatnonzero(open_))
    core = core or core_verdict(igame)
    if core.nonempty == UNDECIDED:
        found.add(igame.grand_mask)
        found |= _binding(igame.extreme("upper", "lower"), tol)
        found |= _binding(igame.extreme("lower", "upper"), tol)
    single = {1 << i for i in range(igame.n)}
    return sorted(
        (m for m in found if width[m] > tol), key=lambda m: (m not in single, -width[m], m)
    )
