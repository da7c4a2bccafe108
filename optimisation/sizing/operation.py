"""The design operated hour by hour over the full year: every design decision fixed.

The sizing model decides on typical periods. To hand the simulation an operation that the
optimiser itself would run, and to price the design's year, the full-year model is built
(8,760 hourly steps) with everything the design decided fixed -- who connects, the pipe size
of every trench, the ATES doublets and every capacity of the grid (heat pumps, loop cooling,
ATES, waste heat, central plants) -- and only the hourly operation left free. A building's own
(reference) units may grow beyond the design's: the typical periods can miss an hour in which
the grid cannot take a building's load (e.g. every building cooling at once beyond the ATES
capacity), and then the building's own unit must cover it; the growth is paid for and
reported (:attr:`OperatedYear.reference_growth_kw`). It is an LP,
solved with HiGHS's interior-point method. The ATES direction is made exact as in
:func:`optimisation.sizing.full_year_check.full_year_check`: where the first pass charges
and discharges in the same hour, each hour's direction is fixed to the sign of its net flow
and the LP solved again.

Its objective is the design's annual cost when it is operated over the real year rather
than the typical periods (:class:`OperatedYear`); its hourly dispatch respects every
capacity, every pipe's capacity and the ATES permit's balance, and is what
:func:`optimisation.sizing.handover.operated_dispatch` hands to the simulation.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np

from tsg.optimisation.sizing.extract import cost_lines, soil_gain_mwh_per_yr, values
from tsg.optimisation.sizing.inputs import SizingInputs
from tsg.optimisation.sizing.layout import layout_values
from tsg.optimisation.sizing.model import SizingModel, build_model
from tsg.optimisation.sizing.options import SizingOptions
from tsg.optimisation.sizing.periods import TimeSteps, full_year
from tsg.optimisation.sizing.result import CostLine, SizingResult
from tsg.optimisation.sizing.solver_runs import simultaneous_ates, solve_lp

__all__ = ["OperatedYear", "fix_design", "operate_design", "solve_fixed"]

#: Growth of a building's own unit below which it counts as none [kW] (solver tolerance).
_GROWTH_TOLERANCE_KW = 0.5


@dataclass(frozen=True)
class OperatedYear:
    """The full-year operation of a fixed design.

    Attributes
    ----------
    status
        ``optimal`` or the solver's termination condition (then every number is NaN).
    cost_eur_per_yr
        Annual cost of the design operated over the full year [EUR/yr].
    lines
        Its cost lines (one per item, as :attr:`SizingResult.lines`).
    heat_from_grid_kw, cold_from_grid_kw
        Heat and cold each building takes through the loop, shape (buildings, hours) [kW].
    ates_in_kw, ates_out_kw
        ATES charge (heat from the loop) and discharge, shape (ATES, hours) [kW].
    heat_source_kw
        Heat each waste-heat source gives, shape (sources, hours) [kW].
    plant_kw, plant_out_kw
        Heat each central plant moves (storage: charge) and storage discharge, shape
        (plants, hours) [kW].
    soil_gain_mwh_per_yr
        Heat the built trenches gain from the soil in the model [MWh/yr] (< 0: lost).
    trench_peak_kw
        Largest heat flow of each candidate trench over the year, in ``inputs.edges`` order
        [kW] (0 where not built).
    reference_growth_kw
        Per building whose own units had to grow: ``(heating_kw, cooling_kw)`` beyond the
        design's capacities.
    build_s, solve_s
        Wall times [s].
    """

    status: str
    cost_eur_per_yr: float
    lines: tuple[CostLine, ...]
    heat_from_grid_kw: np.ndarray
    cold_from_grid_kw: np.ndarray
    ates_in_kw: np.ndarray
    ates_out_kw: np.ndarray
    heat_source_kw: np.ndarray
    plant_kw: np.ndarray
    plant_out_kw: np.ndarray
    soil_gain_mwh_per_yr: float
    build_s: float
    solve_s: float
    reference_growth_kw: dict[str, tuple[float, float]] = field(default_factory=dict)
    trench_peak_kw: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def optimal(self) -> bool:
        """True when the LP solved to optimality."""
        return self.status == "optimal"

    def ates_mwh_per_yr(self) -> tuple[float, float]:
        """Return the heat the ATES takes from and gives to the loop over the year [MWh/yr]."""
        return float(self.ates_in_kw.sum()) / 1000.0, float(self.ates_out_kw.sum()) / 1000.0


def fix_design(sm: SizingModel, design: SizingResult, *, capacities: bool) -> None:
    """Fix the design's decisions in a (full-year) model.

    Parameters
    ----------
    sm
        A built model of the design's inputs.
    design
        The design: connections, pipe sizes per trench and ATES doublets are always fixed.
    capacities
        Also fix every capacity of the grid (heat pumps, loop cooling, ATES, waste heat,
        central plants) to the design's and keep the reference units at least at the
        design's; ``False`` leaves them to the model.
    """
    m, inputs = sm.model, sm.inputs
    for var, value in layout_values(sm, design).items():
        var.fix(value)
    if not capacities:
        return
    built_kw = {p.plant_id: p.capacity_kw for p in design.plants}
    for b, bld in enumerate(inputs.buildings):
        unit = design.building(bld.building_id)
        m.cap_hp[b].fix(unit.heat_pump_kw)
        m.cap_nc[b].fix(unit.network_cooling_kw)
        if not m.cap_rh[b].fixed:
            m.cap_rh[b].setlb(unit.reference_heating_kw)
        if not m.cap_rc[b].fixed:
            m.cap_rc[b].setlb(unit.reference_cooling_kw)
    for a, src in enumerate(inputs.ates):
        m.cap_ates[a].fix(built_kw.get(src.source_id, 0.0))
    for s, src in enumerate(inputs.heat_sources):
        m.cap_hs[s].fix(built_kw.get(src.source_id, 0.0))
    for p, plant in enumerate(inputs.plants):
        m.cap_plant[p].fix(built_kw.get(plant.plant_id, 0.0))


def solve_fixed(sm: SizingModel, time_limit_s: float | None) -> tuple[str, float]:
    """Solve a model with its binaries fixed; exact ATES directions where a pass mixes them.

    The first pass treats the ATES direction as its convex hull; where it charges and
    discharges in the same hour, each hour's direction is fixed to the sign of its net flow
    and the LP is solved again.

    Returns
    -------
    status, objective : str, float
        As :func:`~optimisation.sizing.solver_runs.solve_lp`.
    """
    m = sm.model
    status, objective = solve_lp(sm, time_limit_s)
    if status == "optimal" and sm.inputs.ates and simultaneous_ates(sm):
        for (a, t), v in m.ates_dir.items():
            v.fix(1 if (m.q_ain[a, t].value or 0.0) >= (m.q_aout[a, t].value or 0.0) else 0)
        m.ates_dir_in.activate()
        m.ates_dir_out.activate()
        status, objective = solve_lp(sm, time_limit_s)
    return status, objective


def operate_design(
    inputs: SizingInputs,
    design: SizingResult,
    *,
    options: SizingOptions | None = None,
    time_limit_s: float | None = 600.0,
    steps: TimeSteps | None = None,
    pipe_capacity_share: float = 1.0,
) -> OperatedYear:
    """Operate a fixed design over the full year at least cost.

    Parameters
    ----------
    inputs
        The design's sizing inputs with the full hourly series (the last design round's,
        with its pipe floors and physics).
    design
        The design.
    options
        Model switches of the design (``n_typical_periods`` is ignored).
    time_limit_s
        Time limit per LP [s].
    steps
        Time steps to operate it on (default: the full year; other steps, e.g. the design's
        own typical periods, give arrays per step and a cost weighted by them).
    pipe_capacity_share
        Share of each pipe's capacity (its flow at the design limits) the operation may use
        (0 < share <= 1): headroom for hours in which the simulated water's spread or
        temperature makes the same heat a larger flow or pressure drop.

    Returns
    -------
    OperatedYear
        With ``status`` other than ``optimal`` when the fixed design cannot be operated
        (e.g. a full connection whose pipe cannot carry its peak) or the LP did not solve.
    """
    options = replace(
        options or SizingOptions(), n_typical_periods=None, ates_exclusive_direction="never"
    )
    if not 0 < pipe_capacity_share <= 1:
        raise ValueError(f"pipe_capacity_share must lie in (0, 1], got {pipe_capacity_share}")
    start = time.perf_counter()
    if pipe_capacity_share < 1:
        pipes = tuple(
            replace(
                p,
                max_heat_kw=p.max_heat_kw * pipe_capacity_share,
                max_mdot_kg_per_s=p.max_mdot_kg_per_s * pipe_capacity_share,
            )
            for p in inputs.pipes
        )
        edges = tuple(
            replace(e, max_heat_kw=e.max_heat_kw * pipe_capacity_share) for e in inputs.edges
        )
        inputs = replace(inputs, pipes=pipes, edges=edges)
    sm = build_model(inputs, full_year(inputs) if steps is None else steps, options=options)
    fix_design(sm, design, capacities=True)
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    status, _ = solve_fixed(sm, time_limit_s)
    solve_s = time.perf_counter() - start
    m, nt = sm.model, sm.steps.n_steps
    shape = {
        "b": (len(inputs.buildings), nt),
        "a": (len(inputs.ates), nt),
        "s": (len(inputs.heat_sources), nt),
        "p": (len(inputs.plants), nt),
    }
    if status != "optimal":
        nan = {k: np.full(v, np.nan) for k, v in shape.items()}
        return OperatedYear(
            status, float("nan"), (), nan["b"], nan["b"], nan["a"], nan["a"], nan["s"],
            nan["p"], nan["p"], float("nan"), build_s, solve_s,
        )  # fmt: skip
    lines = cost_lines(sm)
    growth = {}
    for b, bld in enumerate(inputs.buildings):
        unit = design.building(bld.building_id)
        more = (
            float(m.cap_rh[b].value or 0.0) - unit.reference_heating_kw,
            float(m.cap_rc[b].value or 0.0) - unit.reference_cooling_kw,
        )
        if max(more) > _GROWTH_TOLERANCE_KW:
            growth[bld.building_id] = (max(more[0], 0.0), max(more[1], 0.0))
    return OperatedYear(
        status=status,
        cost_eur_per_yr=float(sum(line.total_eur_per_yr for line in lines)),
        lines=lines,
        heat_from_grid_kw=values(m.q_nh, shape["b"]),
        cold_from_grid_kw=values(m.q_nc, shape["b"]),
        ates_in_kw=values(m.q_ain, shape["a"]),
        ates_out_kw=values(m.q_aout, shape["a"]),
        heat_source_kw=values(m.q_hs, shape["s"]),
        plant_kw=values(m.q_plant, shape["p"]),
        plant_out_kw=values(m.q_plant_out, shape["p"]),
        soil_gain_mwh_per_yr=soil_gain_mwh_per_yr(sm),
        build_s=build_s,
        solve_s=solve_s,
        reference_growth_kw=growth,
        trench_peak_kw=np.abs(values(m.f, (len(inputs.edges), nt))).max(axis=1, initial=0.0),
    )
