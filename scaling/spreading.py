"""Spreading: grow a district step by step with candidate buildings.

One sizing model of the whole district (existing buildings and every candidate) is built once
and re-solved per step (persistent HiGHS; only bounds change): a candidate that has not
joined yet has ``member = 0`` (no demand) and ``y = 0``. At its step a candidate is forced
onto the grid; its *marginal saving* is the district's saving with it minus the saving of the
last accepted state. A candidate is *beneficial* when that is positive; a beneficial candidate
stays forced on the grid, one that is not stays in the district on its own supply (free to
join later if the optimiser wants it). The reference (all buildings on their own supply) is
solved once; a subset's reference is the sum over its buildings.

Order: ``distance`` takes next the candidate nearest to the centroid of the buildings in the
district so far; ``marginal`` takes the largest *estimated* value: the candidate's own saving
in one sizing of everything (reference cost minus its own design cost, before shared items)
minus the annuity + O&M of the smallest pipe from it to the nearest building so far (a cheap
estimate, one solve; the measured marginal saving is reported next to it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from optimisation.sizing import (
    SizingInputs,
    SizingOptions,
    TimeSteps,
    build_model,
    capital_recovery_factor,
    solve_and_extract,
    time_steps,
)
from optimisation.sizing.workflow import reference_cost_lines
from scaling.kpis import grid_kpis, partner_charges

__all__ = ["SpreadResult", "spread"]

Order = Literal["distance", "marginal"]


@dataclass(frozen=True)
class SpreadResult:
    """Steps of a spreading run.

    Attributes
    ----------
    steps
        One row per step (step 0: the existing buildings): candidate, partner, distance,
        estimated value, marginal saving, beneficial, new partners, partners who would rather
        stay out, and the KPIs of :class:`scaling.kpis.GridKpis`.
    partners
        Per step and partner: charge versus stand-alone cost (:func:`partner_charges`).

    """

    steps: pd.DataFrame
    partners: pd.DataFrame


def _positions(inputs: SizingInputs) -> dict[str, np.ndarray]:
    return {b.building_id: np.array([b.x_m, b.y_m]) for b in inputs.buildings}


def _pipe_annual_eur_per_m(inputs: SizingInputs) -> float:
    pipe = min(inputs.pipes, key=lambda p: p.cost_eur_per_m)
    crf = capital_recovery_factor(
        discount_rate=inputs.prices.discount_rate, lifetime_yr=pipe.lifetime_yr
    )
    return pipe.cost_eur_per_m * (crf + pipe.om_fraction_per_yr)


def _nearest_m(pos: dict[str, np.ndarray], bid: str, members: Sequence[str]) -> float:
    return float(min(np.linalg.norm(pos[bid] - pos[m]) for m in members))


def _centroid_m(pos: dict[str, np.ndarray], bid: str, members: Sequence[str]) -> float:
    centre = np.mean([pos[m] for m in members], axis=0)
    return float(np.linalg.norm(pos[bid] - centre))


def spread(
    inputs: SizingInputs,
    candidates: Sequence[str],
    *,
    order: Order = "distance",
    n_steps: int | None = None,
    options: SizingOptions | None = None,
    steps: TimeSteps | None = None,
    tolerance_eur_per_yr: float = 1.0,
) -> SpreadResult:
    """Grow the district by its candidates, one per step.

    Parameters
    ----------
    inputs
        Sizing inputs of every building (existing and candidates).
    candidates
        Ids of the candidate buildings; all other buildings form step 0.
    order
        ``distance`` or ``marginal`` (see the module docstring).
    n_steps
        Number of candidates to add (default all).
    options
        Sizing options (cheap ones advised: 2-4 typical days, a few % gap).
    steps
        Precomputed time steps.
    tolerance_eur_per_yr
        A candidate is beneficial when its marginal saving exceeds this.

    Returns
    -------
    SpreadResult

    """
    options = options or SizingOptions(n_typical_periods=3, mip_gap=0.02)
    ids = [b.building_id for b in inputs.buildings]
    unknown = sorted(set(candidates) - set(ids))
    if unknown:
        raise ValueError(f"unknown candidate buildings: {unknown}")
    index = {bid: k for k, bid in enumerate(ids)}
    partner_of = {b.building_id: b.partner for b in inputs.buildings}
    members = [bid for bid in ids if bid not in set(candidates)]
    if not members:
        raise ValueError("the district needs at least one existing building")
    pending = list(candidates)
    n_steps = len(pending) if n_steps is None else min(n_steps, len(pending))
    if steps is None:
        steps = time_steps(
            inputs, n_periods=options.n_typical_periods, period_hours=options.period_hours
        )
    sm = build_model(inputs, steps, options=options)
    m = sm.model
    reference = reference_cost_lines(sm)
    pos = _positions(inputs)
    estimate: dict[str, float] = {}
    if order == "marginal":
        full = solve_and_extract(sm, with_reference=False)
        own = {b.building_id: b.cost_eur_per_yr for b in full.buildings}
        ref_own = {
            bid: sum(c.total_eur_per_yr for c in reference or () if c.owner == bid) for bid in ids
        }
        estimate = {bid: ref_own[bid] - own[bid] for bid in pending}
    pipe_eur_per_m = _pipe_annual_eur_per_m(inputs)

    forced: set[str] = set()

    def restrict(active: Sequence[str]) -> None:
        for bid, k in index.items():
            inside = bid in active
            m.member[k].fix(1.0 if inside else 0.0)
            if not inside:
                m.y[k].fix(0)
            elif bid in forced:
                m.y[k].fix(1)
            else:
                m.y[k].unfix()

    rows, partner_rows = [], []

    def record(step: int, candidate: str | None, info: dict) -> float:
        result = solve_and_extract(sm, with_reference=False)
        kpis = grid_kpis(result, building_ids=members, reference_lines=reference)
        charges = partner_charges(
            result,
            building_ids=members,
            reference_lines=reference,
            tolerance_eur_per_yr=tolerance_eur_per_yr,
        )
        out = sorted(charges.index[charges["would_stay_out"]])
        rows.append(
            {
                "step": step,
                "candidate": candidate or "",
                **info,
                "partners_rather_out": " ".join(out),
                **kpis.as_dict(),
                "gap": result.solve.get("gap"),
                "solve_time_s": result.solve.get("solve_time_s"),
            }
        )
        partner_rows.append(charges.reset_index().assign(step=step))
        return kpis.saving_eur_per_yr

    restrict(members)
    accepted = record(0, None, {"partner": "", "new_partners": ""})
    for step in range(1, n_steps + 1):
        if order == "distance":
            candidate = min(pending, key=lambda c: _centroid_m(pos, c, members))
        else:
            candidate = max(
                pending,
                key=lambda c: estimate[c] - pipe_eur_per_m * _nearest_m(pos, c, members),
            )
        pending.remove(candidate)
        distance = _nearest_m(pos, candidate, members)
        value = estimate.get(candidate, math.nan) - pipe_eur_per_m * distance
        partner = partner_of[candidate]
        new_partner = partner not in {partner_of[b] for b in members}
        members.append(candidate)
        forced.add(candidate)
        restrict(members)
        info = {
            "partner": partner,
            "new_partners": partner if new_partner else "",
            "nearest_m": distance,
            "centroid_distance_m": _centroid_m(pos, candidate, members[:-1]),
            "estimated_value_eur_per_yr": value,
        }
        saving = record(step, candidate, info)
        marginal = saving - accepted
        beneficial = marginal > tolerance_eur_per_yr
        rows[-1]["marginal_saving_eur_per_yr"] = marginal
        rows[-1]["beneficial"] = beneficial
        if beneficial:
            accepted = saving
        else:
            forced.discard(candidate)
    table = pd.DataFrame(rows)
    first = ["step", "candidate", "partner", "beneficial", "marginal_saving_eur_per_yr"]
    table = table[[c for c in first if c in table] + [c for c in table if c not in first]]
    return SpreadResult(steps=table, partners=pd.concat(partner_rows, ignore_index=True))
