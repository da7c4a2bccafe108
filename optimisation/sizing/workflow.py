"""One call from inputs to result: time steps -> build -> solve -> extract (+ reference case)."""

from __future__ import annotations

import math
from dataclasses import asdict, replace

import numpy as np

from tsg.common.errors import InputError
from tsg.optimisation.sizing.extract import (
    building_designs,
    cost_lines,
    edge_designs,
    plant_designs,
    soil_gain_mwh_per_yr,
)
from tsg.optimisation.sizing.inputs import SizingInputs
from tsg.optimisation.sizing.model import SizingModel, build_model
from tsg.optimisation.sizing.options import SizingOptions
from tsg.optimisation.sizing.periods import TimeSteps, time_steps
from tsg.optimisation.sizing.result import CostLine, SizingResult, SolveReport, Totals
from tsg.optimisation.sizing.solve import SolveInfo, solve_model
from tsg.optimisation.sizing.technologies import capital_recovery_factor

__all__ = ["reference_cost_lines", "size", "solve_and_extract"]


def reference_cost_lines(sm: SizingModel) -> tuple[CostLine, ...] | None:
    """Solve the all-reference case on the same model and return its cost lines.

    Every building is kept off the grid (``y = 0``, no trench built); the model's fixings
    are restored afterwards. Returns None when some building has no reference supply.
    """
    m = sm.model
    if any(
        b.reference_heating == "none" or b.reference_cooling == "none" for b in sm.inputs.buildings
    ):
        return None
    saved = {index: (v.fixed, v.value) for index, v in m.y.items()}
    saved_x = {index: (v.fixed, v.value) for index, v in m.x.items()}
    try:
        m.y.fix(0)
        m.x.fix(0)
        solve_model(sm, explain=False)
        return cost_lines(sm)
    except InputError:
        return None
    finally:
        for store, var in ((saved, m.y), (saved_x, m.x)):
            for index, (fixed, value) in store.items():
                if fixed:
                    var[index].fix(value)
                else:
                    var[index].unfix()


def _levelised(lines: tuple[CostLine, ...], service: str, demand_mwh: float, share: float) -> float:
    own = sum(c.total_eur_per_yr for c in lines if c.service == service)
    shared = sum(c.total_eur_per_yr for c in lines if c.service == "shared")
    if demand_mwh <= 0:
        return float("nan")
    return (own + share * shared) / demand_mwh


def _options_dict(options: SizingOptions) -> dict[str, object]:
    out = asdict(options)
    for key, value in out.items():
        if isinstance(value, frozenset | set):
            out[key] = sorted(value)
    return out


def solve_and_extract(
    sm: SizingModel,
    *,
    with_reference: bool = True,
    reference_lines: tuple[CostLine, ...] | None = None,
    start: SizingResult | None = None,
) -> SizingResult:
    """Solve a built model, then the reference case, and assemble the result.

    Parameters
    ----------
    sm
        Built model (its mutable parameters and fixings as wanted).
    with_reference
        Also solve the all-reference case (needed for NPV, payback and reference costs).
    reference_lines
        Cost lines of the all-reference case solved before on the same inputs (e.g. by an
        earlier round of the design loop): used instead of solving it again.
    start
        A design whose layout starts the search (e.g. the design loop's candidate).

    Returns
    -------
    SizingResult

    """
    info: SolveInfo = solve_model(sm, start=start)
    lines = cost_lines(sm)
    edges = edge_designs(sm)
    plants = plant_designs(sm)
    soil_mwh = soil_gain_mwh_per_yr(sm)  # before the reference case reloads the variables
    designs = building_designs(sm, lines, ())
    ref_lines = reference_lines
    if ref_lines is None and with_reference:
        ref_lines = reference_cost_lines(sm)
    if ref_lines is not None:
        ref_by_building = {
            b.building_id: sum(
                c.total_eur_per_yr for c in ref_lines if c.building and c.owner == b.building_id
            )
            for b in sm.inputs.buildings
        }
        designs = tuple(
            replace(d, reference_cost_eur_per_yr=float(ref_by_building[d.building_id]))
            for d in designs
        )
    design = Totals.of(lines)
    reference = None if ref_lines is None else Totals.of(ref_lines)
    extraction = sum(d.loop_extraction_mwh_per_yr for d in designs)
    injection = sum(d.loop_injection_mwh_per_yr for d in designs)
    share_heat = extraction / (extraction + injection) if extraction + injection > 0 else 0.5
    heat_mwh = sum(d.heat_demand_mwh_per_yr for d in designs)
    cool_mwh = sum(d.cool_demand_mwh_per_yr for d in designs)
    horizon = sm.options.horizon_yr
    if reference is not None:
        crf = capital_recovery_factor(
            discount_rate=sm.inputs.prices.discount_rate, lifetime_yr=horizon
        )
        npv = (reference.cost_eur_per_yr - design.cost_eur_per_yr) / crf
        extra = design.investment_eur - reference.investment_eur
        saving = reference.operating_eur_per_yr - design.operating_eur_per_yr
        payback = 0.0 if extra <= 0 else (extra / saving if saving > 0 else math.inf)
    else:
        npv, payback = float("nan"), float("nan")
    size_info = sm.size()
    solve = SolveReport(
        solver=info.solver,
        status=info.status,
        objective_eur_per_yr=info.objective_eur_per_yr,
        bound_eur_per_yr=info.bound_eur_per_yr,
        gap=info.gap,
        build_time_s=sm.build_time_s,
        solve_time_s=info.solve_time_s,
        n_solves=info.n_solves,
        **size_info,
    )
    return SizingResult(
        buildings=designs,
        edges=edges,
        plants=plants,
        costs=lines,
        reference_costs=() if ref_lines is None else ref_lines,
        design=design,
        reference=reference,
        lcoh_eur_per_mwh=_levelised(lines, "heat", heat_mwh, share_heat),
        lcoc_eur_per_mwh=_levelised(lines, "cold", cool_mwh, 1.0 - share_heat),
        npv_eur=float(npv),
        simple_payback_yr=float(payback),
        horizon_yr=horizon,
        solve=solve,
        periods=sm.steps.describe(),
        options=_options_dict(sm.options),
        soil_gain_mwh_per_yr=soil_mwh,
    )


def size(
    inputs: SizingInputs,
    *,
    options: SizingOptions | None = None,
    steps: TimeSteps | None = None,
    with_reference: bool = True,
) -> SizingResult:
    """Size a thermal grid: typical periods (or full year), build, solve, extract.

    Parameters
    ----------
    inputs
        Validated inputs.
    options
        Model and solver switches (default :class:`SizingOptions`).
    steps
        Precomputed time steps (default: from ``options``).
    with_reference
        Also solve the all-reference case.

    Returns
    -------
    SizingResult

    Raises
    ------
    InputError
        No feasible design (the message names the cause) or invalid options.
    RuntimeError
        Solver failure.

    """
    options = options or SizingOptions()
    if steps is None:
        steps = time_steps(
            inputs, n_periods=options.n_typical_periods, period_hours=options.period_hours
        )
    sm = build_model(inputs, steps, options=options)
    result = solve_and_extract(sm, with_reference=with_reference)
    if not np.isfinite(result.design.cost_eur_per_yr):
        raise RuntimeError("the design has a non-finite cost; this is a bug")
    return result
