"""The per-step core check of a spreading run (see :mod:`tsg.scaling.spreading`).

:class:`StepCoreCheck` solves the coalitions a step's check needs on the spreading model,
restricted as :func:`tsg.optimisation.sizing.coalitions.restrict_to_coalition` does, caches
them over the steps while a coalition and its buildings do not change, and decides the
verdict against the solver's bounds (:mod:`tsg.scaling.core_check`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

from tsg.common.errors import InputError
from tsg.optimisation.sizing import SizingInputs, SizingOptions
from tsg.optimisation.sizing.coalitions import restrict_to_coalition
from tsg.optimisation.sizing.model import SizingModel
from tsg.optimisation.sizing.result import SolveReport
from tsg.optimisation.sizing.solve import solve_model
from tsg.scaling.core_check import (
    CoalitionCost,
    CoreVerdict,
    coalition_label,
    exact_core,
    lower_bound,
    screen_core,
)

__all__ = [
    "MAX_EXACT_PARTNERS",
    "REL_TOL",
    "STABILITY_CHECKS",
    "Stability",
    "StepCoreCheck",
    "check_stability_request",
]

Stability = Literal["none", "screen", "exact"]

#: The values of ``spread(stability=...)``.
STABILITY_CHECKS: tuple[str, ...] = ("none", "screen", "exact")
#: Most partners a step may have for ``stability="exact"`` (2^8 - 1 coalitions per step).
MAX_EXACT_PARTNERS = 8
#: Numerical tolerance of the core checks, relative to c(N) [-].
REL_TOL = 1e-7


class StepCoreCheck:
    """Core checks of the steps of one spreading run on one model.

    Parameters
    ----------
    sm
        The spreading model (every building, every asset).
    inputs
        Its sizing inputs.
    stability
        ``none``, ``screen`` or ``exact``.
    options
        Sizing options (the MIP gap bounds solves that report no bound).
    base_y
        Connection fixings of the unrestricted model.
    asset_owners
        Partners owning an asset (players at every step).
    restore
        Restores the step's own restriction after the coalition solves.
    """

    def __init__(
        self,
        sm: SizingModel,
        inputs: SizingInputs,
        *,
        stability: Stability,
        options: SizingOptions,
        base_y: dict,
        asset_owners: set[str],
        restore: Callable[[], None],
    ) -> None:
        self.sm, self.inputs, self.stability, self.options = sm, inputs, stability, options
        self.base_y, self.asset_owners, self.restore = base_y, asset_owners, restore
        self.partner_of = {b.building_id: b.partner for b in inputs.buildings}
        self.rows: list[dict[str, object]] = []
        self._known: dict[tuple[frozenset[str], frozenset[str]], CoalitionCost] = {}

    def coalition_cost(
        self, coalition: frozenset[str], members: Sequence[str]
    ) -> tuple[CoalitionCost, str]:
        """Cost bounds of a coalition of a step's partners, and where they came from."""
        inside = frozenset(b for b in members if self.partner_of[b] in coalition)
        if not inside:
            return CoalitionCost(0.0, 0.0), "no buildings"
        key = (coalition, inside)
        if key in self._known:
            return self._known[key], "reused"
        restrict_to_coalition(self.sm, coalition, base_y=self.base_y, buildings=inside)
        try:
            info = solve_model(self.sm)
        except InputError as error:
            raise InputError(f"coalition {sorted(coalition)}: {error.message}") from None
        self._known[key] = CoalitionCost(
            info.objective_eur_per_yr,
            lower_bound(
                info.objective_eur_per_yr,
                info.bound_eur_per_yr,
                info.status,
                self.options.mip_gap,
            ),
            info.solve_time_s,
        )
        return self._known[key], "solved"

    def check(self, step: int, members: Sequence[str], solve: SolveReport) -> dict[str, object]:
        """Decide whether the step's grand alliance is in the core; the step-table columns."""
        out: dict[str, object] = {"core_check": self.stability}
        if self.stability == "none":
            return out
        start = time.perf_counter()
        present = {self.partner_of[b] for b in members} | self.asset_owners
        players = [p for p in self.inputs.partners if p in present]
        everyone = frozenset(players)
        objective = solve.objective_eur_per_yr
        grand = CoalitionCost(
            objective,
            lower_bound(objective, solve.bound_eur_per_yr, solve.status, self.options.mip_gap),
            solve.solve_time_s,
        )
        n = len(players)
        if self.stability == "exact" or n <= 3:
            wanted = [
                frozenset(p for k, p in enumerate(players) if mask >> k & 1)
                for mask in range(1, (1 << n) - 1)
            ]
        else:
            wanted = [frozenset({p}) for p in players] + [everyone - {p} for p in players]
        costs: dict[frozenset[str], CoalitionCost] = {}
        solves = 0
        try:
            for coalition in dict.fromkeys(wanted):
                costs[coalition], source = self.coalition_cost(coalition, members)
                solves += source == "solved"
                self.rows.append(_coalition_row(step, coalition, players, costs, source))
        finally:
            self.restore()
        costs[everyone] = grand
        self.rows.append(_coalition_row(step, everyone, players, costs, "step design"))
        tol = REL_TOL * max(1.0, abs(objective))
        verdict = None if n == 1 else screen_core(players, grand, costs, tol)
        if len(costs) == (1 << n) - 1:
            # every coalition is known: the least core decides, a failed screen names why
            exact = exact_core(players, grand, costs, tol)
            if verdict is None or verdict.stable is not False:
                verdict = exact
            else:
                verdict = CoreVerdict(False, verdict.reason, exact.epsilon)
        elif verdict is None:
            verdict = CoreVerdict(None, "not disproved by the 2n-coalition screen")
        out.update(
            {
                "alliance_stable": verdict.stable,
                "core_reason": verdict.reason,
                "least_core_epsilon_eur_per_yr": verdict.epsilon,
                "core_partners": n,
                "core_solves": solves,
                "core_time_s": time.perf_counter() - start,
            }
        )
        return out


def _coalition_row(
    step: int,
    coalition: frozenset[str],
    players: Sequence[str],
    costs: Mapping[frozenset[str], CoalitionCost],
    source: str,
) -> dict[str, object]:
    cost = costs[coalition]
    return {
        "step": step,
        "coalition": coalition_label(coalition, players),
        "n_partners": len(coalition),
        "cost_eur_per_yr": cost.cost,
        "lower_bound_eur_per_yr": cost.lower,
        "source": source,
        "solve_time_s": cost.solve_time_s if source in ("solved", "step design") else 0.0,
    }


def check_stability_request(
    stability: str,
    partner_of: Mapping[str, str],
    members: Sequence[str],
    pending: Sequence[str],
    asset_owners: set[str],
    n_steps: int,
) -> None:
    """Reject an unknown check, or ``exact`` when a step could have too many partners."""
    if stability not in STABILITY_CHECKS:
        raise InputError(
            f"unknown stability check {stability!r}; choose one of {', '.join(STABILITY_CHECKS)}",
            field="stability",
        )
    if stability != "exact":
        return
    present = {partner_of[b] for b in members} | asset_owners
    new = {partner_of[b] for b in pending} - present
    most = len(present) + min(n_steps, len(new))
    if most > MAX_EXACT_PARTNERS:
        raise InputError(
            f"stability 'exact' solves every coalition of the partners of a step (2^n - 1), "
            f"allowed up to {MAX_EXACT_PARTNERS} partners; this run can reach {most} "
            f"({len(present)} at the start, {len(new)} new among the candidates). Use "
            "'screen' (2n solves per step, proves emptiness) or fewer steps",
            field="stability",
        )
