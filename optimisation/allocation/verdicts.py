"""Stability verdicts of a set of allocations on an interval game; why shares are negative."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from tsg.optimisation.allocation.intervals import (
    CoreVerdict,
    IntervalGame,
    RuleVerdict,
    core_verdict,
    rule_verdict,
)

__all__ = ["AllocationVerdicts", "NegativeShare", "judge", "negative_shares"]


@dataclass(frozen=True)
class NegativeShare:
    """A partner that is paid (negative cost share) under a rule, with the reason.

    Attributes
    ----------
    rule, partner
        Where the negative share occurs.
    cost_eur_per_yr
        The share x_i < 0 [EUR/yr].
    standalone_eur_per_yr
        c({i}) [EUR/yr].
    marginal_saving_eur_per_yr
        c(N without i) + c({i}) - c(N): what the alliance saves because i joins [EUR/yr].
    explanation
        The reason in plain language.

    """

    rule: str
    partner: str
    cost_eur_per_yr: float
    standalone_eur_per_yr: float
    marginal_saving_eur_per_yr: float
    explanation: str


@dataclass(frozen=True)
class AllocationVerdicts:
    """Core and per-rule verdicts within solver tolerance.

    Attributes
    ----------
    core
        Whether the core is non-empty, with the range of the least-core value.
    rules
        Rule -> its verdicts (core membership, individual rationality per partner).
    negative_shares
        Partners paid by a rule, with the reason.

    """

    core: CoreVerdict
    rules: dict[str, RuleVerdict]
    negative_shares: tuple[NegativeShare, ...]

    def to_json_dict(self) -> dict[str, Any]:
        """Return the verdicts as JSON-ready data (numbers in EUR/yr, rounded to cents).

        Returns
        -------
        dict
            ``core`` (``nonempty`` verdict and least-core epsilon bounds), ``rule_verdicts``
            (rule -> ``in_core``, ``individually_rational``, ``blocking_coalition`` and its
            excess bounds, and per partner the stand-alone cost bounds, the margin bounds and
            the verdict), ``negative_shares`` (one object per paid partner and rule).

        """
        return {
            "core": {
                "nonempty": self.core.nonempty,
                "least_core_epsilon_low_eur_per_yr": _money(self.core.epsilon_low_eur_per_yr),
                "least_core_epsilon_high_eur_per_yr": _money(self.core.epsilon_high_eur_per_yr),
            },
            "rule_verdicts": {
                name: {
                    "in_core": rule.in_core,
                    "individually_rational": rule.individually_rational,
                    "blocking_coalition": list(rule.blocking_coalition),
                    "excess_low_eur_per_yr": _money(rule.excess_low_eur_per_yr),
                    "excess_high_eur_per_yr": _money(rule.excess_high_eur_per_yr),
                    "surely_blocking_coalitions": rule.surely_blocking,
                    "possibly_blocking_coalitions": rule.possibly_blocking,
                    "partners": {
                        p: {
                            "individually_rational": v.individually_rational,
                            "standalone_low_eur_per_yr": _money(v.standalone_low_eur_per_yr),
                            "standalone_high_eur_per_yr": _money(v.standalone_high_eur_per_yr),
                            "margin_low_eur_per_yr": _money(v.margin_low_eur_per_yr),
                            "margin_high_eur_per_yr": _money(v.margin_high_eur_per_yr),
                        }
                        for p, v in rule.partners.items()
                    },
                }
                for name, rule in self.rules.items()
            },
            "negative_shares": [
                {
                    "rule": s.rule,
                    "partner": s.partner,
                    "cost_eur_per_yr": _money(s.cost_eur_per_yr),
                    "standalone_eur_per_yr": _money(s.standalone_eur_per_yr),
                    "marginal_saving_eur_per_yr": _money(s.marginal_saving_eur_per_yr),
                    "explanation": s.explanation,
                }
                for s in self.negative_shares
            ],
        }


def _money(value: float) -> float | None:
    """Round to cents for JSON; infinities (a single player) become None."""
    return round(float(value), 2) + 0.0 if np.isfinite(value) else None


def negative_shares(
    igame: IntervalGame,
    allocations: Mapping[str, Mapping[str, float]],
    *,
    assets: Mapping[str, str] | None = None,
) -> tuple[NegativeShare, ...]:
    """Explain every negative cost share: the partner is paid for what it brings.

    Parameters
    ----------
    igame
        The interval game (its designs found, ``upper``, are what the rules share).
    allocations
        Rule -> player -> cost [EUR/yr].
    assets
        Player -> what it brings in words (e.g. ``"ATES ates-1"``), for the explanation.

    Returns
    -------
    tuple of NegativeShare
        One entry per rule and partner with a share below -0.5 EUR/yr, in rule order.

    """
    game = igame.upper_game()
    assets = assets or {}
    found = []
    for rule, allocation in allocations.items():
        for i, player in enumerate(game.players):
            cost = float(allocation[player])
            if cost >= -0.5:
                continue
            alone = float(game.standalone[i])
            others = float(game.costs[game.grand_mask & ~(1 << i)])
            saving = others + alone - game.grand_cost
            brings = assets.get(player) or "what it brings"
            text = (
                f"{player} receives {-cost:,.0f} EUR/yr under {rule}: it is paid for "
                f"{brings}, which the others need. Without {player} the other partners pay "
                f"{others:,.0f} EUR/yr, with it the whole alliance pays {game.grand_cost:,.0f} "
                f"EUR/yr; {player} alone would pay {alone:,.0f} EUR/yr. Its joining saves "
                f"{saving:,.0f} EUR/yr, and {rule} passes part of that saving on to {player}, "
                "more than its own cost."
            )
            found.append(NegativeShare(rule, player, cost, alone, saving, text))
    return tuple(found)


def judge(
    igame: IntervalGame,
    allocations: Mapping[str, Mapping[str, float]],
    *,
    assets: Mapping[str, str] | None = None,
) -> AllocationVerdicts:
    """Compute the core verdict, each rule's verdicts and the negative-share explanations.

    Parameters
    ----------
    igame
        The interval game.
    allocations
        Rule -> player -> cost [EUR/yr], each a share of ``upper(N)``.
    assets
        Player -> what it brings in words (see :func:`negative_shares`).

    Returns
    -------
    AllocationVerdicts

    """
    return AllocationVerdicts(
        core=core_verdict(igame),
        rules={name: rule_verdict(igame, x) for name, x in allocations.items()},
        negative_shares=negative_shares(igame, allocations, assets=assets),
    )
