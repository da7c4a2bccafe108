"""How far a typical-period design is from the full year (8,760 hourly steps).

The full-year MILP is too large to solve (about 316,000 variables and 676,000 constraints for
Hart van Zuid), so the full-year optimum ``F`` is bracketed by two LPs solved with HiGHS's
interior-point method (no crossover: only the objective is needed):

* **upper bound**: the design's connections and pipe sizes fixed, every capacity and every
  hour re-optimised over the full year. It is the full-year cost of (a re-optimised version
  of) the typical-period design, so ``F <= upper``. The ATES direction is made exact as in
  :func:`optimisation.sizing.solve.solve_model`: a first pass with the convex hull, then every
  hour's direction fixed to the sign of its net flow and solved again.
* **lower bound** (optional, slow): the LP relaxation of the full-year MILP (binaries
  continuous, ATES direction free), so ``lower <= F``. It is loose by the integrality gap of
  the trench and pipe choices (trenches paid in fractions), a few per cent here.

``design_error`` (typical objective against the upper bound) is the aggregation error of the
design: what the typical periods got wrong about the cost of the grid they chose.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import pyomo.environ as pyo

from tsg.optimisation.sizing.inputs import SizingInputs
from tsg.optimisation.sizing.model import SizingModel, build_model
from tsg.optimisation.sizing.options import SizingOptions
from tsg.optimisation.sizing.periods import full_year
from tsg.optimisation.sizing.result import SizingResult
from tsg.optimisation.sizing.solver_runs import appsi_solver, simultaneous_ates

__all__ = ["FullYearCheck", "full_year_check"]

_IPM_OPTIONS = {"solver": "ipm", "run_crossover": "off"}


@dataclass(frozen=True)
class FullYearCheck:
    """A typical-period objective against bounds of the full-year optimum.

    Attributes
    ----------
    typical_eur_per_yr
        Objective of the typical-period design [EUR/yr].
    upper_eur_per_yr
        Full-year cost of the design's connections and pipes, re-optimised [EUR/yr]; NaN when
        the LP did not solve.
    lower_eur_per_yr
        Full-year LP relaxation [EUR/yr]; NaN when not asked for or not solved.
    upper_status, lower_status
        ``optimal``, ``skipped`` or the solver's termination condition.
    build_time_s, upper_time_s, lower_time_s
        Wall times [s].
    variables, constraints
        Size of the full-year model.

    """

    typical_eur_per_yr: float
    upper_eur_per_yr: float
    lower_eur_per_yr: float
    upper_status: str
    lower_status: str
    build_time_s: float
    upper_time_s: float
    lower_time_s: float
    variables: int
    constraints: int

    @property
    def design_error(self) -> float:
        """(typical - upper) / upper [-]: the typical periods' error on the design's cost."""
        return (self.typical_eur_per_yr - self.upper_eur_per_yr) / self.upper_eur_per_yr

    @property
    def worst_error(self) -> float:
        """Largest possible |typical - F| / F with F in [lower, upper] [-] (NaN without lower)."""
        if not math.isfinite(self.lower_eur_per_yr):
            return float("nan")
        return max(
            abs(self.typical_eur_per_yr - bound) / bound
            for bound in (self.lower_eur_per_yr, self.upper_eur_per_yr)
        )


def _solve_lp(sm: SizingModel, time_limit_s: float | None) -> tuple[str, float]:
    """Solve the (binary-free) model with the interior-point method; load it when optimal."""
    from pyomo.contrib.appsi.base import TerminationCondition as TC

    opt = appsi_solver(sm)
    opt.config.time_limit = time_limit_s
    opt.config.warmstart = False
    opt.highs_options = dict(_IPM_OPTIONS)
    try:
        res = opt.solve(sm.model)
    finally:
        opt.highs_options = {}
    if res.termination_condition != TC.optimal:
        return str(res.termination_condition.name), float("nan")
    res.solution_loader.load_vars()
    return "optimal", float(res.best_feasible_objective)


def _upper(sm: SizingModel, design: SizingResult, time_limit_s: float | None) -> tuple[str, float]:
    m, inputs = sm.model, sm.inputs
    connected = set(design.connected_buildings)
    for b, bld in enumerate(inputs.buildings):
        m.y[b].fix(1 if bld.building_id in connected else 0)
    dn_of = {(e.from_id, e.to_id): (e.dn_mm, e.parallel_pipes) for e in design.edges if e.built}
    for k, edge in enumerate(inputs.edges):
        chosen = dn_of.get((edge.from_id, edge.to_id))
        for d in sm.edge_options[k]:
            pipe = inputs.pipes[d]
            m.x[k, d].fix(1 if chosen == (pipe.dn_mm, pipe.parallel) else 0)
    built_kw = {p.plant_id: p.capacity_kw for p in design.plants if p.kind == "ates"}
    for a, src in enumerate(inputs.ates):
        if not src.doublets:
            continue
        n = round(built_kw.get(src.source_id, 0.0) / (src.max_heat_kw / src.doublets or 1.0))
        for k in range(src.doublets):
            m.doublet[a, k].fix(1 if k < n else 0)
    status, objective = _solve_lp(sm, time_limit_s)
    if status == "optimal" and inputs.ates and simultaneous_ates(sm):
        for (a, t), v in m.ates_dir.items():
            v.fix(1 if (m.q_ain[a, t].value or 0.0) >= (m.q_aout[a, t].value or 0.0) else 0)
        m.ates_dir_in.activate()
        m.ates_dir_out.activate()
        status, objective = _solve_lp(sm, time_limit_s)
    return status, objective


def full_year_check(
    inputs: SizingInputs,
    design: SizingResult,
    *,
    options: SizingOptions | None = None,
    lower_bound: bool = False,
    time_limit_s: float | None = 3600.0,
) -> FullYearCheck:
    """Bracket the full-year optimum around a typical-period design.

    Parameters
    ----------
    inputs
        Inputs with the full hourly series.
    design
        The design to check (usually from typical periods), with its objective.
    options
        Model switches of the design (``n_typical_periods`` is ignored).
    lower_bound
        Also solve the full-year LP relaxation (several times slower than the upper bound).
    time_limit_s
        Time limit per LP [s].

    Returns
    -------
    FullYearCheck

    """
    options = replace(
        options or SizingOptions(), n_typical_periods=None, ates_exclusive_direction="never"
    )
    steps = full_year(inputs)
    start = time.perf_counter()
    sm = build_model(inputs, steps, options=options)
    build_s = time.perf_counter() - start
    size = sm.size()
    start = time.perf_counter()
    upper_status, upper = _upper(sm, design, time_limit_s)
    upper_s = time.perf_counter() - start
    lower_status, lower, lower_s = "skipped", float("nan"), 0.0
    if lower_bound:
        m = sm.model
        for v in (*m.y.values(), *m.x.values(), *m.doublet.values()):
            v.unfix()
            v.domain = pyo.UnitInterval
        m.ates_dir.fix(0)
        m.ates_dir_in.deactivate()
        m.ates_dir_out.deactivate()
        start = time.perf_counter()
        lower_status, lower = _solve_lp(sm, time_limit_s)
        lower_s = time.perf_counter() - start
    return FullYearCheck(
        typical_eur_per_yr=design.design.cost_eur_per_yr,
        upper_eur_per_yr=upper,
        lower_eur_per_yr=lower,
        upper_status=upper_status,
        lower_status=lower_status,
        build_time_s=build_s,
        upper_time_s=upper_s,
        lower_time_s=lower_s,
        variables=size["variables"],
        constraints=size["constraints"],
    )
