"""Allocation for many partners: sampled Shapley and the least core by constraint generation.

With n partners the exact rules need all 2^n - 1 coalition solves (4,095 for 12 partners).
Above :data:`tsg.stages.allocation.MANY_PARTNERS` the allocation stage uses this module
instead:

* **Shapley, sampled**: random orders of arrival (:func:`optimisation.allocation.shapley_sampled`)
  on optimiser costs, each distinct coalition solved once by a
  :class:`~optimisation.sizing.coalitions.CoalitionSolver` (cached); per partner the estimate,
  its standard error and the 95 % interval (normal approximation).
* **Least core and nucleolus, by constraint generation**
  (:mod:`optimisation.allocation.constraint_generation`): a master LP over the coalitions
  generated so far, one separation MILP per round
  (:class:`~optimisation.sizing.coalition_separation.CoalitionSeparator`) that finds the most
  violated coalition with a proven bound. Reported: eps as an interval, the allocation, the
  generated coalitions, the MILP solves and their gaps, whether the pre-nucleolus is verified.

Both share the same coalition costs (the designs found at the game options' MIP gap).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tsg.allocation_bounds import lower_bound_eur_per_yr
from tsg.optimisation.allocation import SampledShapley, shapley_sampled
from tsg.optimisation.allocation.constraint_generation import (
    GeneratedLeastCore,
    least_core_by_generation,
)
from tsg.optimisation.allocation.game import Coalition
from tsg.optimisation.sizing import SizingInputs, SizingOptions, build_model
from tsg.optimisation.sizing.coalition_separation import CoalitionSeparator
from tsg.optimisation.sizing.coalitions import CoalitionSolver
from tsg.optimisation.sizing.periods import TimeSteps
from tsg.outputs import write_csv, write_json

__all__ = [
    "MANY_JSON",
    "MANY_TABLE",
    "ManyPartnersResult",
    "SEPARATION_GAP",
    "SEPARATION_ROUNDS",
    "SEPARATION_TIME_LIMIT_S",
    "SHAPLEY_SAMPLES",
    "allocate_many",
    "many_summary",
    "many_table",
    "write_many",
]

#: Random orders of arrival for the sampled Shapley value (the seed is fixed: reproducible).
SHAPLEY_SAMPLES = 30
#: Seed of the sampled orders.
SHAPLEY_SEED = 0
#: Absolute MIP gap of each separation, as a fraction of c(N) [-]; also the stopping tolerance.
SEPARATION_GAP = 1e-4
#: Time limit of each separation MILP [s].
SEPARATION_TIME_LIMIT_S = 120.0
#: Most master/separation rounds (least core first, then the pre-nucleolus check).
SEPARATION_ROUNDS = 60
#: Files written to ``DIR/allocation/``.
MANY_JSON = "allocation_many.json"
MANY_TABLE = "allocation_many.csv"

LIMITS = (
    "Shapley is estimated from random orders of arrival: each partner's value has a standard "
    "error and an approximate 95 % interval (normal approximation, 1.96 standard errors); it "
    "sums exactly to c(N) but is not the exact Shapley value.",
    "The least-core value is an interval [epsilon, epsilon_upper] that holds for the true "
    "costs: epsilon is the least core of the generated coalitions with c(N) at its solver "
    "bound, epsilon_upper is proven by the separation MILP's bound and the coalition solves' "
    "bounds; MIP gaps and separations stopped at their time limit widen it. The core verdict "
    "(holds / fails / undecided) is read against that interval.",
    "The nucleolus column is the pre-nucleolus of the generated coalitions (no individual "
    "rationality bounds; equal to the nucleolus when the core is non-empty); it is the "
    "pre-nucleolus of the whole game only when 'nucleolus_verified' is true (Kohlberg check "
    "by separation).",
    "The allocations (Shapley estimates, pre-nucleolus) use the costs of the designs found at "
    "the game options' MIP gap (coalition_gap_max); they are not refined.",
    "The other rules (equal split, proportional, SCRB, equal savings) and the per-rule core "
    "verdicts of the enumerated game are not computed for many partners.",
)


@dataclass(frozen=True)
class ManyPartnersResult:
    """Allocation of an alliance with many partners.

    Attributes
    ----------
    players
        Partners in the game.
    left_out
        Partner -> why it is not a player.
    standalone, grand_cost
        c({i}) per partner and c(N) [EUR/yr].
    shapley
        Sampled Shapley value with standard errors and 95 % half-widths.
    least_core
        Least core and nucleolus by constraint generation.
    coalition_solves
        Distinct coalitions solved (Shapley and constraint generation together).
    max_coalition_gap
        Largest relative MIP gap of those solves [-] (NaN if none reported).
    shapley_time_s, least_core_time_s
        Wall time of each part [s].
    meta
        Facts for ``allocation_many.json``.

    """

    players: tuple[str, ...]
    left_out: dict[str, str]
    standalone: dict[str, float]
    grand_cost: float
    shapley: SampledShapley
    least_core: GeneratedLeastCore
    coalition_solves: int
    max_coalition_gap: float
    shapley_time_s: float
    least_core_time_s: float
    meta: dict


def allocate_many(
    inputs: SizingInputs,
    players: tuple[str, ...],
    *,
    options: SizingOptions,
    steps: TimeSteps,
    left_out: dict[str, str] | None = None,
    n_samples: int = SHAPLEY_SAMPLES,
    seed: int = SHAPLEY_SEED,
    separation_gap: float = SEPARATION_GAP,
    separation_time_limit_s: float = SEPARATION_TIME_LIMIT_S,
    max_rounds: int = SEPARATION_ROUNDS,
    solver: CoalitionSolver | None = None,
    say: Callable[[str], None] | None = None,
) -> ManyPartnersResult:
    """Compute the sampled Shapley value and the constraint-generation least core.

    Parameters
    ----------
    inputs
        Sizing inputs of the whole district.
    players
        Partners in the game (owners of buildings or assets).
    options, steps
        Options and time steps of every coalition solve and of the separation MILP.
    left_out
        Partners that are not players, with the reason (copied to the result).
    n_samples, seed
        Random orders for the sampled Shapley value and their seed.
    separation_gap
        Absolute gap of each separation MILP as a fraction of |c(N)| [-]; also the tolerance
        of the stopping test.
    separation_time_limit_s
        Time limit of each separation MILP [s].
    max_rounds
        Most master/separation rounds.
    solver
        A coalition solver to reuse (default: a new model).
    say
        Progress lines, if given.

    Returns
    -------
    ManyPartnersResult

    """
    solver = solver or CoalitionSolver(build_model(inputs, steps, options=options))
    grand = solver.cost(players)
    start = time.perf_counter()
    shapley = shapley_sampled(solver.cost, n_samples, seed, players=players)
    shapley_time = time.perf_counter() - start
    if say is not None:
        say(f"    sampled Shapley: {n_samples} orders, {shapley.n_evaluations} coalitions")
    gap_eur = separation_gap * max(abs(grand), 1.0)
    separator = CoalitionSeparator(
        build_model(inputs, steps, options=options),
        players,
        abs_gap_eur_per_yr=gap_eur,
        time_limit_s=separation_time_limit_s,
    )

    def lower(coalition: Coalition) -> float:
        """Return the solver's proven lower bound of a coalition's cost (after its solve)."""
        value, info = solver.cost(coalition), solver.info.get(frozenset(coalition))
        if info is None:  # no buildings: exactly 0
            return value
        return lower_bound_eur_per_yr(value, info.bound_eur_per_yr, info.status, options.mip_gap)

    start = time.perf_counter()
    least_core = least_core_by_generation(
        players,
        solver.cost,
        separator,
        lower_cost=lower,
        tolerance_eur_per_yr=gap_eur,
        max_iterations=max_rounds,
        nucleolus=True,
        say=say,
    )
    least_core_time = time.perf_counter() - start
    gaps = [info.gap for info in solver.info.values() if np.isfinite(info.gap)]
    standalone = {p: solver.cost({p}) for p in players}
    meta = {
        "method": "many partners: sampled Shapley, least core by constraint generation",
        "players": list(players),
        "left_out": dict(left_out or {}),
        "coalitions_enumeration_would_need": (1 << len(players)) - 1,
        "coalitions_solved": len(solver.cache),
        "options": {
            "n_typical_periods": options.n_typical_periods,
            "time_steps": steps.n_steps,
            "mip_gap": options.mip_gap,
            "time_limit_s": options.time_limit_s,
        },
        "coalition_gap_max": max(gaps) if gaps else None,
        "coalition_gap_mean": float(np.mean(gaps)) if gaps else None,
        "shapley": {
            "n_samples": shapley.n_samples,
            "seed": seed,
            "evaluations": shapley.n_evaluations,
            "time_s": shapley_time,
        },
        "least_core": {
            "epsilon_eur_per_yr": least_core.epsilon,
            "epsilon_upper_eur_per_yr": least_core.epsilon_upper,
            "epsilon_designs_found_eur_per_yr": least_core.epsilon_found,
            "core": least_core.core_verdict,
            "decided": least_core.decided,
            "nucleolus_verified": least_core.nucleolus_verified,
            "stopped": least_core.stopped,
            "rounds": least_core.iterations,
            "milp_solves": least_core.separations,
            "max_separation_gap_eur_per_yr": least_core.max_separation_gap_eur_per_yr,
            "tolerance_eur_per_yr": least_core.tolerance_eur_per_yr,
            "separation_time_limit_s": separation_time_limit_s,
            "generated": ["+".join(sorted(s)) for s in least_core.coalitions],
            "time_s": least_core_time,
        },
        "limits": list(LIMITS),
    }
    return ManyPartnersResult(
        players=players,
        left_out=dict(left_out or {}),
        standalone=standalone,
        grand_cost=grand,
        shapley=shapley,
        least_core=least_core,
        coalition_solves=len(solver.cache),
        max_coalition_gap=max(gaps) if gaps else float("nan"),
        shapley_time_s=shapley_time,
        least_core_time_s=least_core_time,
        meta=meta,
    )


def many_table(result: ManyPartnersResult) -> pd.DataFrame:
    """One row per partner: stand-alone cost, sampled Shapley with its interval, pre-nucleolus."""
    sh, lc = result.shapley, result.least_core
    rows = []
    for p in result.players:
        half = sh.half_width_95[p]
        rows.append(
            {
                "partner": p,
                "standalone_eur_per_yr": result.standalone[p],
                "shapley_eur_per_yr": sh.values[p],
                "shapley_standard_error": sh.standard_error[p],
                "shapley_low_95": sh.values[p] - half,
                "shapley_high_95": sh.values[p] + half,
                "prenucleolus_eur_per_yr": lc.allocation[p],
            }
        )
    return pd.DataFrame(rows)


def write_many(result: ManyPartnersResult, folder: Path) -> list[Path]:
    """Write ``allocation_many.json`` and ``allocation_many.csv`` into ``folder``.

    Returns
    -------
    list of Path
        The files written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    table = many_table(result)
    document = {
        **result.meta,
        "grand_cost_eur_per_yr": result.grand_cost,
        "partners": table.to_dict(orient="records"),
    }
    return [
        write_json(folder / MANY_JSON, document),
        write_csv(folder / MANY_TABLE, table, index=False),
    ]


def many_summary(result: ManyPartnersResult) -> str:
    """Return a text summary: one line per partner, then the least-core verdict and times."""
    sh, lc = result.shapley, result.least_core
    lines = [
        f"{'partner':<20} {'stand-alone':>13} {'Shapley (95 % interval)':>36} {'pre-nucleolus':>14}"
    ]
    for p in result.players:
        value, half = sh.values[p], sh.half_width_95[p]
        interval = f"{value:,.0f} [{value - half:,.0f}, {value + half:,.0f}]"
        lines.append(
            f"{p:<20} {result.standalone[p]:>13,.0f} {interval:>36} {lc.allocation[p]:>14,.0f}"
        )
    lines += [
        f"sampled Shapley: {sh.n_samples} orders, {sh.n_evaluations} coalitions, "
        f"{result.shapley_time_s:.0f} s",
        f"least core: eps in [{lc.epsilon:,.0f}, {lc.epsilon_upper:,.0f}] EUR/yr (designs "
        f"found: {lc.epsilon_found:,.0f}), core "
        f"{lc.core_verdict}; {lc.iterations} rounds, {lc.separations} separation MILPs, "
        f"{len(lc.coalitions)} coalitions generated, {result.least_core_time_s:.0f} s; "
        f"pre-nucleolus {'verified' if lc.nucleolus_verified else 'not verified'} "
        f"({lc.stopped})",
        f"{result.coalition_solves} coalitions solved instead of {(1 << len(result.players)) - 1}",
    ]
    return "\n".join(lines)
