"""Run a solver once on a built sizing model and load what it found.

The layer below :mod:`tsg.optimisation.sizing.solve` (the solve session with its
fix-and-resolve steps) and :mod:`tsg.optimisation.sizing.feasibility` (diagnostics), so that
both use it without importing each other. ``appsi_highs`` keeps one persistent HiGHS instance
per model, so re-solving after fixing variables or changing mutable parameters only sends the
changes; any other name goes through ``pyomo.environ.SolverFactory``.
"""

from __future__ import annotations

import math
import os
import tempfile

import numpy as np
import pyomo.environ as pyo
from pyomo.environ import ComponentMap

from tsg.common.errors import InputError
from tsg.optimisation.sizing.layout import layout_values
from tsg.optimisation.sizing.model import SizingModel
from tsg.optimisation.sizing.result import SizingResult

__all__ = [
    "appsi_solver",
    "fixed_binaries_lp",
    "highs_options",
    "run_solver",
    "simultaneous_ates",
    "solve_lp",
    "try_solve",
    "within_gap",
]

# time-limit and gap option names of common solvers (SolverFactory interface)
_GENERIC_OPTIONS = {
    "highs": ("time_limit", "mip_rel_gap"),
    "cbc": ("sec", "ratio"),
    "glpk": ("tmlim", "mipgap"),
    "gurobi": ("TimeLimit", "MIPGap"),
    "gurobi_direct": ("TimeLimit", "MIPGap"),
    "gurobi_persistent": ("TimeLimit", "MIPGap"),
    "cplex": ("timelimit", "mipgap"),
    "scip": ("limits/time", "limits/gap"),
}


_FAST_WITH_START = {
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_root_reduced_cost": False,
    "mip_heuristic_run_feasibility_jump": False,
    "mip_pscost_minreliable": 2,
    # a restart after the root's cut rounds throws those cuts away and separates again; with
    # the start already near the optimum only the bound is left to prove (Hart van Zuid at a
    # 1 % gap: 71 s -> 35-40 s, the same design and bound)
    "mip_allow_restart": False,
}


def highs_options(sm: SizingModel, base: dict | None = None) -> dict:
    """Return HiGHS options for one run: ``base`` plus the model's thread count, if set.

    Parameters
    ----------
    sm
        The model (its ``options.threads``: ``None`` leaves HiGHS its own choice).
    base
        Options of this run (copied).

    Returns
    -------
    dict
        Option name -> value.

    """
    options = dict(base or {})
    if sm.options.threads is not None:
        options["threads"] = sm.options.threads
    return options


def appsi_solver(sm: SizingModel):
    """Return the model's persistent HiGHS instance (made on first use, kept in its cache)."""
    from pyomo.contrib.appsi.solvers import Highs

    opt = sm.solver_cache.get("appsi_highs")
    if opt is None:
        opt = Highs()
        opt.config.load_solution = False
        opt.config.stream_solver = False
        sm.solver_cache["appsi_highs"] = opt
    if not opt.available():
        raise RuntimeError("HiGHS (highspy) is not available; install highspy")
    return opt


def _binaries(sm: SizingModel) -> list:
    m = sm.model
    return [
        v
        for v in (*m.y.values(), *m.x.values(), *m.doublet.values())
        if not v.fixed and v.is_binary()
    ]


def _fixed_start(sm: SizingModel, values: ComponentMap, time_limit_s: float | None) -> bool:
    """Fix the free binaries to ``values``, solve the LP that is left and load it (a MIP start).

    Returns whether a feasible start was loaded; the binaries are free again either way.
    """
    from pyomo.contrib.appsi.base import TerminationCondition as TC

    opt = appsi_solver(sm)
    opt.config.time_limit = time_limit_s
    opt.config.warmstart = False
    free = [v for v in _binaries(sm) if v in values]
    try:
        for v in free:
            v.fix(values[v])
        res = opt.solve(sm.model)
        if res.termination_condition != TC.optimal:
            return False
        res.solution_loader.load_vars()
        return True
    finally:
        for v in free:
            v.unfix()


def _rounded_start(sm: SizingModel, time_limit_s: float | None) -> bool:
    """Load a feasible design built by rounding the LP relaxation (a MIP start).

    The relaxation's buildings that use the grid connect; each trench with flow gets the
    smallest allowed pipe that carries its relaxed peak flow. With these binaries fixed, the
    LP gives the rest. Returns whether a feasible start was loaded; the model's domains and
    fixings are restored either way.
    """
    from pyomo.contrib.appsi.base import TerminationCondition as TC

    m, opt = sm.model, appsi_solver(sm)
    free = _binaries(sm)
    if not free:
        return False
    opt.config.time_limit = time_limit_s
    opt.config.warmstart = False
    try:
        for v in free:
            v.domain = pyo.UnitInterval
        res = opt.solve(m)
        if res.termination_condition != TC.optimal:
            return False
        res.solution_loader.load_vars()
    finally:
        for v in free:
            v.domain = pyo.Binary
    values = ComponentMap()
    nt = sm.steps.n_steps
    built = {}
    for k in range(len(sm.inputs.edges)):
        peak = max(abs(m.f[k, t].value or 0.0) for t in range(nt))
        options = sorted(sm.edge_options[k], key=lambda d: sm.inputs.pipes[d].max_heat_kw)
        fits = [d for d in options if sm.inputs.pipes[d].max_heat_kw >= peak - 1e-6]
        built[k] = (fits[0] if fits else options[-1]) if peak > 1e-6 else None
    for (k, d), v in m.x.items():
        values[v] = 1.0 if built[k] == d else 0.0
    ids = [b.building_id for b in sm.inputs.buildings]
    for b, v in m.y.items():
        uses = sum((m.q_nh[b, t].value or 0) + (m.q_nc[b, t].value or 0) for t in range(nt))
        reached = any(
            built[k] is not None
            for k, e in enumerate(sm.inputs.edges)
            if ids[b] in (e.from_id, e.to_id)
        )
        values[v] = 1.0 if uses > 1e-6 and reached else 0.0
    for a, src in enumerate(sm.inputs.ates):
        if not src.doublets:
            continue
        # enough whole doublets for the relaxed capacity
        need = (m.cap_ates[a].value or 0.0) / (src.max_heat_kw / src.doublets)
        for k in range(src.doublets):
            values[m.doublet[a, k]] = 1.0 if k < math.ceil(need - 1e-6) else 0.0
    return _fixed_start(sm, values, time_limit_s)


def _run_appsi(
    sm: SizingModel, time_limit_s: float | None, mip_gap: float, start: SizingResult | None
) -> tuple[str, float]:
    from pyomo.contrib.appsi.base import TerminationCondition as TC

    opt = appsi_solver(sm)
    opt.highs_options = highs_options(sm)
    started = start is not None and _fixed_start(sm, layout_values(sm, start), time_limit_s)
    started = started or _rounded_start(sm, time_limit_s)
    opt.config.time_limit = time_limit_s
    opt.config.mip_gap = mip_gap
    opt.config.warmstart = started
    # with a good start the root heuristics and a restart only cost time (measured on Hart
    # van Zuid: 110 s -> 30 s at a 0.5 % gap); cheaper pseudo-cost reliability speeds up
    # branching
    opt.highs_options = highs_options(sm, _FAST_WITH_START if started else None)
    res = opt.solve(sm.model)
    tc = res.termination_condition
    bound = res.best_objective_bound
    bound = float(bound) if bound is not None and np.isfinite(bound) else float("nan")
    if tc == TC.optimal:
        res.solution_loader.load_vars()
        return "optimal", bound
    if tc in (TC.infeasible, TC.infeasibleOrUnbounded):
        return "infeasible", bound
    if tc == TC.unbounded:
        return "unbounded", bound
    if tc in (TC.maxTimeLimit, TC.maxIterations, TC.interrupted):
        if res.best_feasible_objective is not None and np.isfinite(res.best_feasible_objective):
            res.solution_loader.load_vars()
            return "time_limit", bound
        return "no_solution", bound
    return f"error ({tc})", bound


def _run_generic(
    sm: SizingModel, name: str, time_limit_s: float | None, mip_gap: float
) -> tuple[str, float]:
    from pyomo.opt import TerminationCondition as TC

    opt = sm.solver_cache.get(name) or pyo.SolverFactory(name)
    sm.solver_cache[name] = opt
    if opt is None or not opt.available(exception_flag=False):
        raise InputError(f"solver '{name}' is not available on this machine", field="solver")
    limit_key, gap_key = _GENERIC_OPTIONS.get(name, (None, None))
    if limit_key and time_limit_s is not None:
        opt.options[limit_key] = time_limit_s
    if gap_key:
        opt.options[gap_key] = mip_gap
    res = opt.solve(sm.model, load_solutions=False)
    tc = res.solver.termination_condition
    bound = float("nan")
    try:
        bound = float(res.problem.lower_bound)
    except (TypeError, ValueError, AttributeError):
        pass
    if tc in (TC.optimal, TC.locallyOptimal, TC.globallyOptimal):
        sm.model.solutions.load_from(res)
        return "optimal", bound
    if tc in (TC.infeasible, TC.infeasibleOrUnbounded):
        return "infeasible", bound
    if tc == TC.unbounded:
        return "unbounded", bound
    if tc in (TC.maxTimeLimit, TC.maxIterations):
        if len(res.solution) > 0:
            sm.model.solutions.load_from(res)
            return "time_limit", bound
        return "no_solution", bound
    return f"error ({tc})", bound


def fixed_binaries_lp(sm: SizingModel, time_limit_s: float | None) -> bool:
    """Re-solve with the loaded connections and pipe sizes fixed (an LP); load it if optimal.

    Returns whether a solution was loaded; the binaries' fixings are restored either way.
    """
    appsi_solver(sm).highs_options = highs_options(sm)
    values = ComponentMap((v, 1.0 if (v.value or 0.0) > 0.5 else 0.0) for v in _binaries(sm))
    return _fixed_start(sm, values, time_limit_s)


def run_solver(
    sm: SizingModel,
    solver: str,
    time_limit_s: float | None,
    mip_gap: float,
    start: SizingResult | None = None,
) -> tuple[str, float]:
    """Solve once and load the solution found.

    Parameters
    ----------
    sm
        The built model.
    solver, time_limit_s, mip_gap
        Solver name, time limit [s] and relative gap.
    start
        A design whose layout (connections, pipes, doublets) starts the search where the
        model allows it (``appsi_highs`` only; else, or when infeasible, the rounded LP
        relaxation starts it).

    Returns
    -------
    tuple
        Status (``optimal``, ``time_limit`` with a design loaded, ``infeasible``,
        ``unbounded``, ``no_solution`` or ``error (...)``) and the solver's bound [EUR/yr]
        (NaN when unknown).
    """
    if solver == "appsi_highs":
        return _run_appsi(sm, time_limit_s, mip_gap, start)
    return _run_generic(sm, solver, time_limit_s, mip_gap)


#: HiGHS options of a binary-free LP of which only the solution is needed (no crossover).
IPM_OPTIONS = {"solver": "ipm", "run_crossover": "off"}


def solve_lp(sm: SizingModel, time_limit_s: float | None) -> tuple[str, float]:
    """Solve a binary-free (fixed) model with HiGHS's interior-point method; load it if optimal.

    A full-year model has hundreds of thousands of rows. Pyomo's persistent HiGHS interface
    takes minutes to hand them over expression by expression; the model is written as an LP
    file by Pyomo's writer instead, read by ``highspy`` and the solution loaded back into the
    model's variables (about 5 times faster on Hart van Zuid's full year). Fixed variables
    are constants of the file and keep their values.

    Returns
    -------
    status, objective : str, float
        ``optimal`` and the objective [EUR/yr], or HiGHS's model status and NaN.
    """
    import highspy

    with tempfile.TemporaryDirectory(prefix="tsg-lp-") as folder:
        path = os.path.join(folder, "model.lp")
        _, smap_id = sm.model.write(path, io_options={"symbolic_solver_labels": False})
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        highs.readModel(path)
    for name, value in IPM_OPTIONS.items():
        highs.setOptionValue(name, value)
    highs.setOptionValue("threads", 1)
    if time_limit_s is not None:
        highs.setOptionValue("time_limit", float(time_limit_s))
    highs.run()
    status = highs.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        sm.model.solutions.delete_symbol_map(smap_id)
        return highs.modelStatusToString(status).lower(), float("nan")
    by_symbol = sm.model.solutions.symbol_map[smap_id].bySymbol
    names = highs.getLp().col_names_
    for name, value in zip(names, highs.getSolution().col_value, strict=True):
        var = by_symbol.get(name)
        if var is not None and not var.fixed:
            var.set_value(float(value), skip_validation=True)
    sm.model.solutions.delete_symbol_map(smap_id)
    return "optimal", float(highs.getInfo().objective_function_value)


def within_gap(objective: float, reference: float, gap: float) -> bool:
    """Whether ``objective`` exceeds ``reference`` by at most the relative ``gap``."""
    return bool(np.isfinite(reference)) and objective - reference <= gap * max(abs(objective), 1e-9)


def simultaneous_ates(sm: SizingModel, tol_kw: float = 1e-3) -> bool:
    """Whether the loaded solution charges and discharges an ATES in the same time step."""
    m = sm.model
    for a in range(len(sm.inputs.ates)):
        for t in range(sm.steps.n_steps):
            if (m.q_ain[a, t].value or 0) > tol_kw and (m.q_aout[a, t].value or 0) > tol_kw:
                return True
    return False


def try_solve(sm: SizingModel, *, solver: str, time_limit_s: float | None) -> bool:
    """Solve quietly; return whether a feasible design was found (used by diagnostics)."""
    status, _ = run_solver(sm, solver, time_limit_s, sm.options.mip_gap)
    return status in ("optimal", "time_limit")
