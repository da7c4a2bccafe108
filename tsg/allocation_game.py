"""The coalition game of the allocation stage: weights, the rules, assets, the solve table."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from tsg.allocation_bounds import lower_bound_eur_per_yr
from tsg.demand import DemandResult
from tsg.optimisation.allocation import (
    AllocationComparison,
    Game,
    RuleResult,
    compare_rules,
)
from tsg.optimisation.allocation.compare import evaluate_allocation
from tsg.optimisation.sizing import SizingInputs
from tsg.optimisation.sizing.solve import SolveInfo
from tsg.schema import District

__all__ = [
    "partner_assets",
    "partner_weights",
    "proportional_rule",
    "rule_allocations",
    "rule_comparison",
    "solve_table",
    "with_proportional",
]


def partner_weights(
    district: District, demand: DemandResult, players: tuple[str, ...]
) -> tuple[dict[str, float], dict[str, float]]:
    """Annual demand [MWh/yr] and peak demand [kW] of each player's buildings.

    Demand is space heating + hot water + cooling; the peak is the largest hour of the sum
    over the partner's buildings. Players without buildings get 0.

    Parameters
    ----------
    district
        Validated district.
    demand
        Its hourly demand.
    players
        Partner ids.

    Returns
    -------
    tuple of dict
        (annual, peak) per player.

    """
    profiles = demand.profiles
    annual, peak = {}, {}
    for player in players:
        columns = [
            f"{b.id}.{q}"
            for b in district.buildings
            if b.partner == player
            for q in ("heat_kw", "dhw_kw", "cool_kw")
        ]
        total = profiles[columns].sum(axis=1).to_numpy() if columns else np.zeros(1)
        annual[player] = float(total.sum()) / 1000.0
        peak[player] = float(total.max())
    return annual, peak


def proportional_rule(game: Game, weights: dict[str, float]) -> RuleResult:
    """Proportional allocation (weights >= 0, some positive) with its stability."""
    total = sum(weights[p] for p in game.players)
    return evaluate_allocation(
        game, {p: game.grand_cost * weights[p] / total for p in game.players}
    )


def with_proportional(comparison: AllocationComparison, rule: RuleResult) -> AllocationComparison:
    """Put ``proportional`` first in the comparison (its weights may contain zeros)."""
    return replace(comparison, rules={"proportional": rule, **comparison.rules})


def rule_comparison(game: Game, weights: dict[str, float]) -> AllocationComparison:
    """Every rule, with ``proportional`` by annual demand first when some partner has demand."""
    comparison = compare_rules(game)
    if sum(weights.values()) > 0:
        comparison = with_proportional(comparison, proportional_rule(game, weights))
    return comparison


def rule_allocations(
    game: Game, weights: dict[str, float], peaks: dict[str, float]
) -> dict[str, dict[str, float]]:
    """Return rule -> allocation of ``game`` (the allocations whose verdicts are reported).

    Parameters
    ----------
    game
        The game of the designs found.
    weights, peaks
        Annual demand [MWh/yr] and peak demand [kW] per player (``proportional`` and
        ``proportional_peak``; left out when every weight is 0).

    Returns
    -------
    dict
        Rule -> player -> cost [EUR/yr].
    """
    found = {name: r.cost for name, r in rule_comparison(game, weights).rules.items()}
    if sum(peaks.values()) > 0:
        found["proportional_peak"] = proportional_rule(game, peaks).cost
    return found


def partner_assets(inputs: SizingInputs, players: tuple[str, ...]) -> dict[str, str]:
    """Player -> the ATES, heat sources and plants it owns, in words."""
    found: dict[str, list[str]] = {p: [] for p in players}
    for kind, assets in (
        ("ATES", inputs.ates),
        ("heat source", inputs.heat_sources),
        ("plant", inputs.plants),
    ):
        for asset in assets:
            if asset.partner in found:
                name = getattr(asset, "source_id", "") or getattr(asset, "node_id", "")
                found[asset.partner].append(f"{kind} {name}".strip())
    return {p: ", ".join(items) for p, items in found.items() if items}


def solve_table(
    game: Game,
    buildings_of: dict[str, int],
    info: dict[frozenset[str], SolveInfo],
    mip_gap: float,
) -> pd.DataFrame:
    """One row per coalition (mask order): cost, bound, status, gap and time of its solve.

    Coalitions not solved here are ``cached`` (bound unknown) or, without buildings,
    ``no_buildings`` (exactly 0).
    """
    rows = []
    for mask in range(1, 1 << game.n):
        members = frozenset(p for i, p in enumerate(game.players) if mask >> i & 1)
        solved = info.get(members)
        cost = float(game.costs[mask])
        if solved is not None:
            status, gap, seconds = solved.status, solved.gap, solved.solve_time_s
            bound = solved.bound_eur_per_yr
        else:
            has = any(buildings_of[p] for p in members)
            status, gap, seconds = ("cached" if has else "no_buildings"), np.nan, np.nan
            bound = np.nan if has else cost
        rows.append(
            {
                "coalition": "+".join(p for p in game.players if p in members),
                "size": len(members),
                "cost_eur_per_yr": cost,
                "lower_eur_per_yr": lower_bound_eur_per_yr(cost, bound, status, mip_gap),
                "status": status,
                "gap": gap if status != "no_buildings" else 0.0,
                "solve_time_s": seconds,
                "refinements": 0,
            }
        )
    return pd.DataFrame(rows)
