"""All cost-sharing rules side by side, with their stability."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tsg.common.errors import InputError
from tsg.optimisation.allocation.game import Game
from tsg.optimisation.allocation.nucleolus import least_core, nucleolus
from tsg.optimisation.allocation.shapley import shapley_exact
from tsg.optimisation.allocation.simple_rules import (
    equal_savings,
    equal_split,
    proportional,
    scrb,
)
from tsg.optimisation.allocation.stability import core_check, individually_rational

#: Rule names in report order ("proportional" only appears when weights are given).
RULE_NAMES = (
    "proportional",
    "equal_split",
    "equal_savings",
    "shapley",
    "nucleolus",
    "scrb",
    "least_core",
)


@dataclass(frozen=True)
class RuleResult:
    """One rule's allocation and its stability.

    Attributes
    ----------
    cost
        Player -> allocated cost [EUR/yr]; sums to c(N).
    saving
        Player -> c({i}) - x_i [EUR/yr], the saving versus building alone.
    in_core
        Whether no coalition pays more than its own cost.
    blocking_coalition
        The coalition with the largest excess x(S) - c(S).
    margin
        That excess [EUR/yr] (positive: the coalition would leave).
    individually_rational
        Whether every partner pays at most its stand-alone cost.

    """

    cost: dict[str, float]
    saving: dict[str, float]
    in_core: bool
    blocking_coalition: tuple[str, ...]
    margin: float
    individually_rational: bool


@dataclass(frozen=True)
class AllocationComparison:
    """Several cost-sharing rules applied to one game.

    Attributes
    ----------
    players
        Player names in game order.
    standalone
        Player -> stand-alone cost c({i}) [EUR/yr].
    grand_cost
        c(N) [EUR/yr].
    rules
        Rule name -> result, in :data:`RULE_NAMES` order.
    core_nonempty
        Whether the core is non-empty (least_core_epsilon <= 0 within tolerance).
    least_core_epsilon
        eps* [EUR/yr], see :class:`~optimisation.allocation.nucleolus.LeastCore`.
    notes
        Remarks about substitutions, e.g. the pre-nucleolus used because no individually
        rational allocation exists.

    """

    players: tuple[str, ...]
    standalone: dict[str, float]
    grand_cost: float
    rules: dict[str, RuleResult]
    core_nonempty: bool
    least_core_epsilon: float
    notes: tuple[str, ...] = field(default=())

    def to_json_dict(self) -> dict[str, Any]:
        """Return the comparison as a JSON-ready dict.

        Returns
        -------
        dict
            ``{"players": [...], "rules": {rule: {player: cost}}, "core_nonempty": bool,
            "least_core_epsilon": number, "in_core": {rule: bool}}``; costs in EUR/yr rounded
            to 1e-6.

        """
        return {
            "players": list(self.players),
            "rules": {
                name: {p: _number(v) for p, v in result.cost.items()}
                for name, result in self.rules.items()
            },
            "core_nonempty": bool(self.core_nonempty),
            "least_core_epsilon": _number(self.least_core_epsilon),
            "in_core": {name: bool(result.in_core) for name, result in self.rules.items()},
        }


def _number(value: float) -> float:
    """Round for reports; turns -0.0 into 0.0."""
    return round(float(value), 6) + 0.0


def evaluate_allocation(game: Game, cost: dict[str, float]) -> RuleResult:
    """Attach savings and stability (core, blocking coalition, rationality) to an allocation."""
    check = core_check(game, cost)
    return RuleResult(
        cost=cost,
        saving={p: game.cost([p]) - v for p, v in cost.items()},
        in_core=check.in_core,
        blocking_coalition=check.blocking_coalition,
        margin=check.margin,
        individually_rational=individually_rational(game, cost),
    )


def compare_rules(
    game: Game, *, weights: Mapping[str, float] | None = None
) -> AllocationComparison:
    """Apply every rule to the game and test each allocation's stability.

    Parameters
    ----------
    game
        The cost game.
    weights
        Player -> positive weight for the proportional rule; without weights the
        proportional rule is left out.

    Returns
    -------
    AllocationComparison
        Rules in the order proportional, equal_split, equal_savings, shapley, nucleolus,
        scrb, least_core, plus core non-emptiness and the least-core epsilon.

    Notes
    -----
    When c(N) exceeds the sum of stand-alone costs no allocation is individually rational
    and the nucleolus is undefined; the pre-nucleolus is reported under "nucleolus" and a
    note says so.

    """
    notes: list[str] = []
    lc = least_core(game)
    rules: list[tuple[str, Callable[[], dict[str, float]]]] = []
    if weights is not None:
        rules.append(("proportional", lambda: proportional(game, weights)))
    rules += [
        ("equal_split", lambda: equal_split(game)),
        ("equal_savings", lambda: equal_savings(game)),
        ("shapley", lambda: shapley_exact(game)),
        ("nucleolus", lambda: _nucleolus_or_pre(game, notes)),
        ("scrb", lambda: scrb(game)),
        ("least_core", lambda: lc.allocation),
    ]
    results = {name: evaluate_allocation(game, rule()) for name, rule in rules}
    epsilon = lc.epsilon
    tol = 1e-7 * max(1.0, float(abs(game.costs).max()))
    return AllocationComparison(
        players=game.players,
        standalone=game.as_dict(game.standalone),
        grand_cost=game.grand_cost,
        rules=results,
        core_nonempty=bool(epsilon <= tol),
        least_core_epsilon=float(epsilon) if game.n > 1 else 0.0,
        notes=tuple(notes),
    )


def _nucleolus_or_pre(game: Game, notes: list[str]) -> dict[str, float]:
    """Nucleolus, or the pre-nucleolus (with a note) when no imputation exists."""
    try:
        return nucleolus(game)
    except InputError:
        notes.append(
            "c(N) exceeds the sum of stand-alone costs: no allocation is individually "
            "rational; 'nucleolus' shows the pre-nucleolus"
        )
        return nucleolus(game, prenucleolus=True)
