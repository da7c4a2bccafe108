"""Solve a built sizing model (HiGHS through highspy by default) and explain failures.

The solve session: relaxed ATES directions first, then exact directions repaired by an LP or
a second MIP. Single solver runs are in :mod:`tsg.optimisation.sizing.solver_runs`.

Failures: a model without a feasible design raises :class:`common.errors.InputError` whose
message names the cause found by :func:`optimisation.sizing.feasibility.explain_infeasibility`
(user input); an unbounded model, a solver error or a time-out without any design raise
``RuntimeError``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo

from tsg.common.errors import InputError
from tsg.optimisation.sizing.feasibility import explain_infeasibility
from tsg.optimisation.sizing.model import SizingModel
from tsg.optimisation.sizing.result import SizingResult
from tsg.optimisation.sizing.solver_runs import (
    fixed_binaries_lp,
    run_solver,
    simultaneous_ates,
    within_gap,
)

__all__ = ["SolveInfo", "solve_model"]


@dataclass(frozen=True)
class SolveInfo:
    """How a solve went.

    Attributes
    ----------
    solver
        Solver name.
    status
        ``optimal`` or ``time_limit`` (a feasible design, gap possibly above the target).
    objective_eur_per_yr
        Objective of the loaded design [EUR/yr].
    bound_eur_per_yr
        Best lower bound [EUR/yr] (NaN when the solver does not report one).
    solve_time_s
        Wall time of all solver calls [s].
    n_solves
        Solver calls: 1, 2 when the ATES direction had to be fixed and the design was repaired
        by an LP, 3 when that repair left the gap and the MIP was solved again.

    """

    solver: str
    status: str
    objective_eur_per_yr: float
    bound_eur_per_yr: float
    solve_time_s: float
    n_solves: int

    @property
    def gap(self) -> float:
        """Relative gap between design and bound [-] (NaN if unknown)."""
        if not np.isfinite(self.bound_eur_per_yr):
            return float("nan")
        return abs(self.objective_eur_per_yr - self.bound_eur_per_yr) / max(
            abs(self.objective_eur_per_yr), 1e-9
        )


def solve_model(
    sm: SizingModel,
    *,
    solver: str | None = None,
    time_limit_s: float | None = None,
    mip_gap: float | None = None,
    explain: bool = True,
    start: SizingResult | None = None,
) -> SolveInfo:
    """Solve the model and load the design into its variables.

    Parameters
    ----------
    sm
        Built model.
    solver, time_limit_s, mip_gap
        Override the model's options (``None``: use ``sm.options``).
    explain
        On infeasibility, look for the cause (re-solves relaxed variants) before raising.
    start
        A design whose layout starts the search (see
        :func:`~optimisation.sizing.solver_runs.run_solver`).

    Returns
    -------
    SolveInfo

    Raises
    ------
    InputError
        No feasible design exists; the message names the cause.
    RuntimeError
        Unbounded model, solver error, or time-out before any design was found.

    """
    opts = sm.options
    solver = solver or opts.solver
    limit = opts.time_limit_s if time_limit_s is None else time_limit_s
    gap = opts.mip_gap if mip_gap is None else mip_gap
    started_at = time.perf_counter()
    auto = opts.ates_exclusive_direction == "auto" and opts.ates_balance and sm.inputs.ates
    m = sm.model
    if auto:
        m.ates_dir.fix(0)
        m.ates_dir_in.deactivate()
        m.ates_dir_out.deactivate()
    status, bound = run_solver(sm, solver, limit, gap, start)
    n_solves = 1
    if status in ("optimal", "time_limit") and auto and simultaneous_ates(sm):
        # fix each step's direction to the sign of the relaxed net flow and solve again; the
        # relaxed solve's bound stays a valid lower bound of the exact problem
        for (a, t), v in m.ates_dir.items():
            v.fix(1 if (m.q_ain[a, t].value or 0.0) >= (m.q_aout[a, t].value or 0.0) else 0)
        m.ates_dir_in.activate()
        m.ates_dir_out.activate()
        # first try the cheap repair: the same connections and pipes, the rest as an LP; when
        # exact directions cost less than the gap on top of the relaxed design, a second MIP
        # would not be worth its time (its bound is not valid for the exact problem anyway, so
        # the reported gap against the first bound stays honest either way)
        relaxed = float(pyo.value(m.total_cost))
        repaired = solver == "appsi_highs" and fixed_binaries_lp(sm, limit)
        n_solves += 1
        if not (repaired and within_gap(float(pyo.value(m.total_cost)), relaxed, gap)):
            status, _ = run_solver(sm, solver, limit, gap)
            n_solves += 1
    elapsed = time.perf_counter() - started_at
    if status == "infeasible":
        if explain:
            raise InputError(explain_infeasibility(sm, solver=solver, time_limit_s=limit))
        raise InputError("no feasible design exists for these inputs")
    if status == "unbounded":
        raise RuntimeError(
            "the sizing model is unbounded (a cost without lower bound); this is a bug"
        )
    if status == "no_solution":
        raise RuntimeError(
            f"{solver} found no feasible design within the time limit of {limit} s; raise the "
            "time limit, use fewer typical periods or a larger MIP gap"
        )
    if status.startswith("error"):
        raise RuntimeError(f"solver {solver} failed: {status}")
    return SolveInfo(
        solver=solver,
        status=status,
        objective_eur_per_yr=float(pyo.value(sm.model.total_cost)),
        bound_eur_per_yr=bound,
        solve_time_s=elapsed,
        n_solves=n_solves,
    )
