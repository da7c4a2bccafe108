"""The allocation stage: district + demand -> coalition costs c(S) -> rules -> ``DIR/allocation/``.

Choices made here (the domain packages take them as inputs):

* players: the district's partners that own at least one building or source; the others
  cannot change any c(S) and are left out (listed in ``allocation_meta.json``);
* c(S): :func:`tsg.optimisation.sizing.coalitions.coalition_costs` on the run context's sizing
  inputs (:mod:`tsg.sizing_inputs`), one model restricted by fixing variables, the same
  time steps and options for every S (:data:`GAME_OPTIONS`: coarser than the design of
  ``tsg size`` so that 2^n - 1 solves stay within minutes), on two local worker processes
  (``RunSettings.processes``) or a Dask cluster (``RunSettings.scheduler``) through
  :class:`tsg.optimisation.executor.SolveExecutor`, one HiGHS thread per solve; coalitions
  already solved with the same model, options and gap are read from the cache folder
  ``RunSettings.cache_dir`` (:mod:`tsg.optimisation.sizing.coalition_cache`);
* bounds: each c(S) is the design found (upper) and the solver's proven bound (lower); every
  verdict (core, each rule in the core, individual rationality) is decided against both
  (:mod:`tsg.optimisation.allocation.intervals`) and the coalitions that keep one undecided are
  solved again at tighter gaps (:func:`tsg.allocation_bounds.refine`, gap floor
  ``RunSettings.gap_floor``, time budget ``RunSettings.refine_budget_s``); the rules share the
  designs found after refinement;
* proportional weights: each partner's annual heat + hot water + cooling demand [MWh/yr]
  (``proportional``); a second variant by the peak of its summed hourly demand [kW]
  (``proportional_peak``, in the CSV only: the JSON rule names are fixed). Partners without
  demand (an asset owner) get weight 0;
* CO2: from the grand-coalition design and its all-reference case with the same options;
  building items count for their partner, shared items (network, ATES, plants) are split in
  proportion to each rule's cost shares (who pays a share of the shared assets owns that
  share of their emissions).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tsg import run_layout as layout
from tsg.allocation_bounds import (
    GAP_FLOOR,
    REFINE_BUDGET_S,
    interval_game,
    lower_bound_eur_per_yr,
    refine,
)
from tsg.allocation_game import (
    partner_assets,
    partner_weights,
    proportional_rule,
    rule_allocations,
    rule_comparison,
    solve_table,
)
from tsg.allocation_many import ManyPartnersResult, allocate_many, write_many
from tsg.allocation_outputs import write_allocation_outputs
from tsg.optimisation.allocation import (
    AllocationComparison,
    Game,
    IntervalGame,
    RuleResult,
)
from tsg.optimisation.allocation.verdicts import AllocationVerdicts, judge
from tsg.optimisation.executor import ExecutorSettings, SolveExecutor
from tsg.optimisation.sizing import (
    SizingOptions,
    SizingResult,
    build_model,
    solve_and_extract,
    time_steps,
)
from tsg.optimisation.sizing.coalition_batch import CoalitionBatch, coalition_costs
from tsg.optimisation.sizing.coalitions import CoalitionSolver
from tsg.optimisation.sizing.solve import SolveInfo
from tsg.stages.context import RunContext

__all__ = [
    "GAME_OPTIONS",
    "MANY_PARTNERS",
    "PROCESSES",
    "AllocationStageResult",
    "compute",
    "partner_weights",
    "write",
]

GAME_OPTIONS = SizingOptions(n_typical_periods=2, mip_gap=0.03, time_limit_s=30.0, threads=1)
"""Options of every coalition solve: 2 typical days (plus the peak days tsam adds), 3 % MIP
gap, 30 s per solve, one HiGHS thread. Measured on Hart van Zuid
(``benchmarks/allocation_district.py``): 2-3 s per coalition on an idle core (7 s mean on a
loaded machine) instead of about 60 s for the design of ``tsg size`` (12 days, 1 %); c(N)
within 0.04 % of that design."""

PROCESSES = 2
"""Worker processes for the coalition solves."""

MANY_PARTNERS = 10
"""Above this many players the stage does not enumerate the 2^n - 1 coalitions: it samples the
Shapley value and finds the least core and nucleolus by constraint generation
(:mod:`tsg.allocation_many`)."""


@dataclass(frozen=True)
class AllocationStageResult:
    """What the allocation stage produced.

    Attributes
    ----------
    players
        Partners in the game (district order).
    left_out
        Partner -> why it is not a player.
    game
        c(S) of every non-empty coalition [EUR/yr].
    comparison
        The rules side by side (``proportional`` by annual demand included).
    peak_rule
        The proportional allocation by peak demand, with its stability.
    weights, peak_weights
        Partner -> annual demand [MWh/yr] / peak demand [kW].
    intervals
        Lower bound and design found of every coalition cost [EUR/yr] (after refinement).
    verdicts
        Core and per-rule verdicts within solver tolerance, reasons for negative shares.
    solves
        One row per coalition: ``coalition``, ``cost_eur_per_yr`` (the design found),
        ``lower_eur_per_yr`` (the proven bound), ``status`` (``optimal``, ``time_limit``,
        ``no_buildings`` or ``cached``), ``gap`` (final), ``solve_time_s`` (all solves),
        ``refinements`` (re-solves at a tighter gap).
    limited
        Coalitions whose solve stopped at the time limit (their c(S) is an upper bound).
    grand_design
        The grand coalition's design and reference with the game options.
    options
        The options used for every coalition.
    wall_time_s
        Wall time of all coalition solves [s].
    meta
        Facts for ``allocation_meta.json`` (players, left-out partners, weights, options,
        limited solves, notes).

    """

    players: tuple[str, ...]
    left_out: dict[str, str]
    game: Game
    intervals: IntervalGame
    verdicts: AllocationVerdicts
    comparison: AllocationComparison
    peak_rule: RuleResult
    weights: dict[str, float]
    peak_weights: dict[str, float]
    solves: pd.DataFrame
    limited: tuple[str, ...]
    grand_design: SizingResult
    options: SizingOptions
    wall_time_s: float
    meta: dict


def compute(ctx: RunContext) -> AllocationStageResult | ManyPartnersResult:
    """Compute every coalition's cost and share it with every rule.

    Parameters
    ----------
    ctx
        The run context; ``ctx.settings.allocation_options`` are the options of every
        coalition solve (default :data:`GAME_OPTIONS`), ``ctx.settings.processes`` the local
        worker processes (default :data:`PROCESSES`) or ``ctx.settings.scheduler`` a Dask
        cluster, ``ctx.settings.cache_dir`` the cache of solved coalitions.

    Returns
    -------
    AllocationStageResult or ManyPartnersResult
        The latter with more than :data:`MANY_PARTNERS` players.

    Raises
    ------
    tsg.common.errors.InputError
        No partner owns a building or source, some coalition has no feasible design, the
        worker count is below 1 or the scheduler cannot be reached.
    tsg.optimisation.executor.ExecutorError
        A worker died.

    """
    options = ctx.settings.allocation_options or GAME_OPTIONS
    settings = ctx.settings
    processes = PROCESSES if settings.processes is None else settings.processes
    where = ExecutorSettings(workers=processes, scheduler=settings.scheduler)
    with SolveExecutor(where) as executor:
        return _compute(ctx, options, executor)


def _compute(
    ctx: RunContext, options: SizingOptions, executor: SolveExecutor
) -> AllocationStageResult:
    district, demand, progress = ctx.district, ctx.demand, ctx.progress
    inputs = ctx.sizing_inputs
    with progress.step("time steps for the coalition game"):
        steps = time_steps(
            inputs, n_periods=options.n_typical_periods, period_hours=options.period_hours
        )
    owners = set(inputs.partners)
    players = tuple(p.id for p in district.partners if p.id in owners)
    players += tuple(p for p in inputs.partners if p not in players)
    left_out = {
        p.id: "owns no building or source, so it changes no coalition's cost"
        for p in district.partners
        if p.id not in owners
    }
    for partner, reason in left_out.items():
        progress.say(f"    {partner} is not a player: {reason}")
    if len(players) > MANY_PARTNERS:
        with progress.step(f"{len(players)} partners: sampled Shapley and least core"):
            return allocate_many(
                inputs,
                players,
                options=options,
                steps=steps,
                left_out=left_out,
                say=progress.say,
            )
    buildings_of = {p: sum(b.partner == p for b in inputs.buildings) for p in players}
    n_coalitions = (1 << len(players)) - 1
    with progress.step(f"grand coalition and its reference ({steps.n_steps} time steps)"):
        sm = build_model(inputs, steps, options=options)
        grand = solve_and_extract(sm)
    info: dict[frozenset[str], SolveInfo] = {}
    batch = CoalitionBatch(
        inputs,
        options=options,
        steps=steps,
        executor=executor,
        cache_dir=ctx.settings.cache_dir,
        solver=CoalitionSolver(sm),
        progress=progress.counter("coalition solves"),
    )
    start = time.perf_counter()
    with progress.step(
        f"c(S) of {n_coalitions} coalitions of {len(players)} partners "
        f"({executor.settings.describe()})"
    ):
        cache = {frozenset(players): grand.design.cost_eur_per_yr}
        game = coalition_costs(inputs, players=players, cache=cache, solve_info=info, batch=batch)
        if batch.cached:
            progress.say(f"    {batch.cached} read from the cache, {batch.solved} solved")
    solved, from_cache = batch.solved, batch.cached
    wall = time.perf_counter() - start
    solves = solve_table(game, buildings_of, info, options.mip_gap)
    grand_row = solves["coalition"] == "+".join(players)
    report = grand.solve
    solves.loc[grand_row, ["lower_eur_per_yr", "status", "gap", "solve_time_s"]] = [
        lower_bound_eur_per_yr(
            game.grand_cost, report.bound_eur_per_yr, report.status, options.mip_gap
        ),
        report.status,
        report.gap,
        report.solve_time_s,
    ]
    weights, peaks = partner_weights(district, demand, players)
    gap_floor = ctx.settings.gap_floor or GAP_FLOOR
    budget_s = ctx.settings.refine_budget_s
    budget_s = REFINE_BUDGET_S if budget_s is None else budget_s
    with progress.step("verdicts within solver tolerance, refining undecided ones"):
        refined = refine(
            interval_game(players, solves),
            solves,
            allocate=lambda g: rule_allocations(g, weights, peaks),
            resolve_many=batch.resolve,
            batch_size=executor.parallel,
            gap_floor=gap_floor,
            budget_s=budget_s,
            say=progress.say,
        )
    solves, intervals = refined.solves, refined.game
    game = intervals.upper_game()
    limited = tuple(solves.loc[solves["status"] == "time_limit", "coalition"])
    if limited:
        progress.say(
            f"    WARNING: {len(limited)} coalition solves stopped at the time limit of "
            f"{options.time_limit_s} s (their c(S) is an upper bound): {', '.join(limited)}"
        )
    with progress.step("sharing rules and their stability"):
        comparison = rule_comparison(game, weights)
        peak_rule = proportional_rule(game, peaks) if sum(peaks.values()) > 0 else None
        rules = rule_allocations(game, weights, peaks)
        verdicts = judge(intervals, rules, assets=partner_assets(inputs, players))
    meta = {
        "district": district.id,
        "players": list(players),
        "left_out": left_out,
        "weights_annual_demand_mwh_per_yr": weights,
        "weights_peak_demand_kw": peaks,
        "options": {
            "n_typical_periods": options.n_typical_periods,
            "time_steps": steps.n_steps,
            "mip_gap": options.mip_gap,
            "time_limit_s": options.time_limit_s,
            "processes": None if executor.settings.scheduler else executor.settings.workers,
            "workers": executor.settings.describe(),
        },
        "coalitions": n_coalitions,
        "solved": solved,
        "from_cache": from_cache,
        "refinement_solved": batch.solved - solved,
        "refinement_from_cache": batch.cached - from_cache,
        "time_limited": list(limited),
        "wall_time_s": wall,
        "refinement": refined.meta(gap_floor, budget_s),
        "notes": list(comparison.notes),
    }
    return AllocationStageResult(
        players=players,
        left_out=left_out,
        game=game,
        intervals=intervals,
        verdicts=verdicts,
        comparison=comparison,
        peak_rule=peak_rule,
        weights=weights,
        peak_weights=peaks,
        solves=solves,
        limited=limited,
        grand_design=grand,
        options=options,
        wall_time_s=wall,
        meta=meta,
    )


def write(stage: AllocationStageResult | ManyPartnersResult, out_dir: Path) -> list[Path]:
    """Write ``out_dir/allocation/``.

    Files: ``allocation.json`` (players, rules, core and per-rule verdicts with bounds, why a
    partner is paid), ``allocation.csv`` (one row per rule and partner: cost, stand-alone cost,
    saving, CO2 reduction and its share, individual rationality), ``rules.csv`` (verdicts per
    rule), ``coalition_costs.csv`` (``coalition,cost``, readable
    by ``tsg allocate --costs``), ``coalition_solves.csv`` (status, gap, time per coalition),
    ``allocation_meta.json`` and ``allocation_chart.png``.

    Returns
    -------
    list of Path
        The files written.
    """
    if isinstance(stage, ManyPartnersResult):
        return write_many(stage, out_dir / layout.ALLOCATION_JSON.folder)
    return write_allocation_outputs(
        out_dir / layout.ALLOCATION_JSON.folder,
        comparison=stage.comparison,
        verdicts=stage.verdicts,
        game=stage.game,
        peak_rule=stage.peak_rule,
        solves=stage.solves,
        grand=stage.grand_design,
        meta=stage.meta,
    )
