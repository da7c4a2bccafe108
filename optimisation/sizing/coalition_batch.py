"""Batches of coalition solves: through the executor, with the cache on disk.

:class:`CoalitionBatch` sends coalitions (first solves at the options' gap, or re-solves at a
tighter one) to a :class:`~optimisation.executor.SolveExecutor`; every worker builds the
district's model once (:func:`build_coalition_solver`, one HiGHS thread) and restricts it per
coalition. With a cache folder, a coalition already solved with the same model, options and
gap is read from :class:`~optimisation.sizing.coalition_cache.CoalitionCache` instead.
:func:`coalition_costs` turns the costs of every coalition into an allocation game.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from tsg.common.errors import InputError
from tsg.optimisation.allocation import Game
from tsg.optimisation.executor import (
    ExecutorSettings,
    ProgressFn,
    SolveExecutor,
    WorkerSetup,
)
from tsg.optimisation.sizing.coalition_cache import CoalitionCache, model_digest
from tsg.optimisation.sizing.coalitions import CoalitionSolver
from tsg.optimisation.sizing.inputs import SizingInputs
from tsg.optimisation.sizing.model import build_model
from tsg.optimisation.sizing.options import SizingOptions
from tsg.optimisation.sizing.periods import TimeSteps, time_steps
from tsg.optimisation.sizing.solve import SolveInfo

__all__ = [
    "CoalitionBatch",
    "Job",
    "build_coalition_solver",
    "coalition_costs",
    "solve_job",
]

#: One solve: the coalition's members and the MIP gap (``None``: the options' gap).
Job = tuple[frozenset[str], float | None]


def build_coalition_solver(
    inputs: SizingInputs, options: SizingOptions, steps: TimeSteps
) -> CoalitionSolver:
    """Build the district's model once (one HiGHS thread unless set) and wrap it."""
    if options.threads is None:
        options = replace(options, threads=1)
    return CoalitionSolver(build_model(inputs, steps, options=options))


def solve_job(solver: CoalitionSolver, job: Job) -> tuple[float, SolveInfo | None]:
    """Solve one coalition on a worker's model: c(S) [EUR/yr] and how it went.

    ``None`` as solve info: the coalition has no buildings (c(S) = 0, nothing solved).
    """
    members, gap = job
    if gap is None:
        value = solver.cost(members)
        return value, solver.info.get(members)
    return solver.resolve(members, mip_gap=gap)


class CoalitionBatch:
    """Solves batches of coalitions of one district model.

    Parameters
    ----------
    inputs, options, steps
        The model of the whole district (the same for every coalition).
    executor
        Where the solves run (default: in this process).
    cache_dir
        Folder of the cache on disk; ``None``: no cache.
    solver
        A model of this district already built here, used when the batch runs in this process.
    progress
        Called with (done, total) during each batch of solves.

    Attributes
    ----------
    solved, cached
        Coalition solves run and entries read from the cache so far.
    info
        How each coalition's latest solve went (from the cache too).

    """

    def __init__(
        self,
        inputs: SizingInputs,
        *,
        options: SizingOptions,
        steps: TimeSteps,
        executor: SolveExecutor | None = None,
        cache_dir: str | Path | None = None,
        solver: CoalitionSolver | None = None,
        progress: ProgressFn | None = None,
    ) -> None:
        self.inputs, self.options = inputs, options
        self.executor = executor or SolveExecutor()
        self.digest = model_digest(inputs, steps, options)
        self.setup = WorkerSetup(self.digest, build_coalition_solver, (inputs, options, steps))
        self.cache = None if cache_dir is None else CoalitionCache(cache_dir, self.digest)
        self.solver = solver
        self.progress = progress
        self.solved = 0
        self.cached = 0
        self.info: dict[frozenset[str], SolveInfo] = {}

    def run(self, jobs: Sequence[Job]) -> dict[Job, tuple[float, SolveInfo | None]]:
        """Solve (or read from the cache) every job; return job -> (c(S), solve info)."""
        results: dict[Job, tuple[float, SolveInfo | None]] = {}
        todo = []
        for job in dict.fromkeys(jobs):
            gap = self.options.mip_gap if job[1] is None else job[1]
            hit = self.cache.get(job[0], gap) if self.cache is not None else None
            if hit is None:
                todo.append(job)
                continue
            results[job] = hit
            self.info[job[0]] = hit[1]
            self.cached += 1
        pairs = self.executor.map(
            self.setup, solve_job, todo, local_state=self.solver, progress=self.progress
        )
        for job, (value, info) in pairs:
            results[job] = (value, info)
            if info is None:
                continue
            self.solved += 1
            self.info[job[0]] = info
            if self.cache is not None:
                gap = self.options.mip_gap if job[1] is None else job[1]
                self.cache.put(job[0], gap, value, info)
        return results

    def costs(self, coalitions: Iterable[frozenset[str]]) -> dict[frozenset[str], float]:
        """c(S) [EUR/yr] of each coalition at the options' gap."""
        jobs = [(frozenset(c), None) for c in coalitions]
        return {job[0]: value for job, (value, _) in self.run(jobs).items()}

    def resolve(
        self, jobs: Sequence[tuple[frozenset[str], float]]
    ) -> list[tuple[float, SolveInfo]]:
        """Solve coalitions again at the given gaps; results in the order of ``jobs``."""
        done = self.run([(frozenset(m), float(g)) for m, g in jobs])
        out = []
        for members, gap in jobs:
            value, info = done[(frozenset(members), float(gap))]
            if info is None:
                raise InputError(f"coalition {sorted(members)} has no buildings to solve")
            out.append((value, info))
        return out


def coalition_costs(
    inputs: SizingInputs,
    *,
    players: Iterable[str] | None = None,
    options: SizingOptions | None = None,
    steps: TimeSteps | None = None,
    processes: int = 1,
    cache: Mapping[frozenset[str], float] | None = None,
    solver: CoalitionSolver | None = None,
    solve_info: dict[frozenset[str], SolveInfo] | None = None,
    batch: CoalitionBatch | None = None,
) -> Game:
    """c(S) of every non-empty coalition of partners, as an allocation game.

    Parameters
    ----------
    inputs
        Sizing inputs of the whole district.
    players
        Partner ids (default: every partner owning buildings or assets). Partners without
        buildings or assets may be listed; they add nothing on their own.
    options
        Model switches (the same for every coalition).
    steps
        Time steps (default from ``options``), computed once for all coalitions.
    processes
        Local worker processes when no ``batch`` is given (each builds the model once); 1 =
        in this process.
    cache
        Known costs per coalition; they are not solved again.
    solver
        A :class:`CoalitionSolver` to reuse in this process (when no ``batch`` is given).
    solve_info
        When given, filled with how each coalition solved (or read from the disk cache) went
        (status ``optimal`` or ``time_limit``, gap, time); coalitions from ``cache`` or
        without buildings are absent.
    batch
        Where and how to solve (executor, disk cache, progress); default: ``processes``
        local processes without a disk cache.

    Returns
    -------
    optimisation.allocation.Game
        The cost game (players in the given order).

    """
    options = options or SizingOptions()
    names = tuple(players) if players is not None else inputs.partners
    if not names:
        raise InputError("no players: no partner owns a building or an asset", field="players")
    extra = set(names) - set(inputs.partners)
    known = dict(cache or {})
    coalitions = [
        frozenset(c) for r in range(1, len(names) + 1) for c in itertools.combinations(names, r)
    ]
    todo = []
    for c in coalitions:
        core = c - extra
        if c in known:
            continue
        if core in known:
            known[c] = known[core]
        elif not core:
            known[c] = 0.0
        else:
            todo.append(core)
    todo = list(dict.fromkeys(todo))
    if todo:
        own = batch is None
        if batch is None:
            if steps is None and solver is not None:
                steps = solver.sm.steps
            if steps is None:
                steps = time_steps(
                    inputs, n_periods=options.n_typical_periods, period_hours=options.period_hours
                )
            executor = SolveExecutor(ExecutorSettings(workers=max(1, processes)))
            batch = CoalitionBatch(
                inputs, options=options, steps=steps, executor=executor, solver=solver
            )
        try:
            known.update(batch.costs(todo))
        finally:
            if own:
                batch.executor.close()
        if solve_info is not None:
            solve_info.update({c: batch.info[c] for c in todo if c in batch.info})
    for c in coalitions:
        if c not in known:
            known[c] = known[c - extra]
    return Game.from_mapping(names, {c: known[c] for c in coalitions})
