r"""Core checks of a partners' cost game whose costs are only known within a MIP gap.

Every c(S) comes from a sizing solve: a design (an upper bound of the optimum) and the
solver's lower bound (:class:`CoalitionCost`). :func:`screen_core` tests the necessary
conditions from the 2n coalitions N \ {i} and {i}; :func:`exact_core` decides from every
coalition by the least-core epsilon. Emptiness is claimed only when it holds for every cost
inside the bounds, non-emptiness likewise; otherwise the verdict is None ("within the MIP
gap"). Used per step by :func:`scaling.spreading.spread`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tsg.optimisation.allocation import Game, least_core_epsilon

__all__ = [
    "CoalitionCost",
    "CoreVerdict",
    "coalition_label",
    "exact_core",
    "lower_bound",
    "screen_core",
]


@dataclass(frozen=True)
class CoalitionCost:
    """c(S) of one coalition: the design found and the solver's lower bound [EUR/yr]."""

    cost: float
    lower: float
    solve_time_s: float = 0.0


@dataclass(frozen=True)
class CoreVerdict:
    """Whether the core is non-empty (True), empty (False) or undecided (None), and why."""

    stable: bool | None
    reason: str
    epsilon: float = math.nan


def lower_bound(objective: float, bound: float, status: str, gap: float) -> float:
    """Return a valid lower bound of the optimum (the solver's, else one from the gap)."""
    if math.isfinite(bound):
        return min(bound, objective)
    if status == "optimal":
        return objective - gap * abs(objective)
    return -math.inf


def coalition_label(coalition: frozenset[str], players: Sequence[str]) -> str:
    """Name a coalition by its partners in player order, joined by ``+``."""
    return "+".join(p for p in players if p in coalition)


def screen_core(
    players: Sequence[str],
    grand: CoalitionCost,
    costs: Mapping[frozenset[str], CoalitionCost],
    tol: float,
) -> CoreVerdict | None:
    """Check the 2n-coalition conditions; a verdict when one fails (proven or within the gap)."""
    everyone = frozenset(players)
    unproven = []
    for i in players:
        rest, alone = costs[everyone - {i}], costs[frozenset({i})]
        if grand.lower - rest.cost > alone.cost + tol:
            return CoreVerdict(
                False,
                f"core empty: c(N) - c(N\\{{{i}}}) = {grand.cost - rest.cost:,.0f} > "
                f"c({{{i}}}) = {alone.cost:,.0f} EUR/yr (the grand alliance costs more than "
                f"{i} alone plus the others together)",
            )
        if grand.cost - rest.cost > alone.cost + tol:
            unproven.append(f"c(N) - c(N\\{{{i}}}) > c({{{i}}})")
    marginal = sum(grand.cost - costs[everyone - {i}].cost for i in players)
    marginal_low = sum(grand.lower - costs[everyone - {i}].cost for i in players)
    if marginal_low > grand.lower + tol:
        return CoreVerdict(
            False,
            f"core empty: the partners' marginal costs c(N) - c(N\\{{i}}) add up to "
            f"{marginal:,.0f} > c(N) = {grand.cost:,.0f} EUR/yr (each partner must pay at "
            "least its marginal cost)",
        )
    if marginal > grand.cost + tol:
        unproven.append("sum of c(N) - c(N\\{i}) > c(N)")
    if unproven:
        return CoreVerdict(
            None,
            "not proven: " + "; ".join(unproven) + " by the designs found, but within the MIP gap",
        )
    return None


def exact_core(
    players: Sequence[str],
    grand: CoalitionCost,
    costs: Mapping[frozenset[str], CoalitionCost],
    tol: float,
) -> CoreVerdict:
    """Decide by the least-core epsilon of the point game and the two bounding games."""
    everyone = frozenset(players)
    if len(players) == 1:
        return CoreVerdict(True, "one partner: the core is its own cost")

    def eps(grand_value: float, proper: str) -> float:
        values = {c: getattr(v, proper) for c, v in costs.items() if c != everyone}
        if not all(math.isfinite(v) for v in values.values()) or not math.isfinite(grand_value):
            return math.nan
        return least_core_epsilon(Game.from_mapping(players, {**values, everyone: grand_value}))

    point = eps(grand.cost, "cost")
    low = eps(grand.lower, "cost")
    high = eps(grand.cost, "lower")
    if low > tol:
        return CoreVerdict(
            False,
            f"core empty: least-core epsilon {point:,.0f} EUR/yr > 0 (every split of c(N) "
            "leaves some coalition paying more than on its own)",
            point,
        )
    if high <= tol:
        return CoreVerdict(
            True, f"core non-empty: least-core epsilon {point:,.0f} EUR/yr <= 0", point
        )
    return CoreVerdict(
        None,
        f"undecided within the MIP gap: least-core epsilon between {low:,.0f} and "
        f"{high:,.0f} EUR/yr",
        point,
    )
