r"""Spreading: grow a district step by step with candidate buildings.

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

Stability (``stability``): is the grand alliance of a step in the core of the partners'
cost game? The players P of a step are the partners owning a building in the district at
that step or an asset (ATES, waste-heat source, plant; assets stay in the model at every
step); candidates that have not joined yet are out of every coalition, also when their
partner is in it. c(N) is the step's design (with its candidate forced onto the grid); c(S)
of a proper coalition S is re-solved on the same model, restricted as
:func:`optimisation.sizing.coalitions.restrict_to_coalition` does (buildings of S that have
joined, with their connections free; assets of S's partners and unowned ones), and cached
over the steps while S and its buildings do not change.

* ``screen``: c(N \ {i}) and c({i}) for every partner (at most 2|P| solves per step). In
  the core x_i >= c(N) - c(N \ {i}), so the core is empty when c(N) - c(N \ {i}) >
  c({i}) for some i, or when these marginal costs add up to more than c(N). A step that
  passes is *not disproved* (``alliance_stable`` None), unless these coalitions are the
  whole game (|P| <= 3), which is then decided as ``exact`` does.
* ``exact``: every coalition (2^|P| - 2 solves per step, |P| <= 8) and the least-core
  epsilon eps* (:func:`optimisation.allocation.least_core_epsilon`); the core is non-empty
  iff eps* <= 0.

MIP gap: every c(S) is only known between the solver's lower bound and the design found.
The checks therefore use the bounds, not a fixed tolerance: emptiness is claimed only when a
condition fails with c(N) at its lower bound and every other coalition at its design cost
(an upper bound of its optimum); non-emptiness only when eps* <= 0 with c(N) at its design
cost and every other coalition at its lower bound (eps* grows with c(N) and falls with the
other costs). Both claims then hold for the optimal costs and for the designs found. In
between the verdict is None ("within the MIP gap"). A solve without a reported bound counts
as ``objective x (1 - mip_gap)`` when it ended optimal. On top, a numerical tolerance of
1e-7 x c(N) is allowed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from tsg.optimisation.sizing import (
    SizingInputs,
    SizingOptions,
    TimeSteps,
    build_model,
    capital_recovery_factor,
    solve_and_extract,
    time_steps,
)
from tsg.optimisation.sizing.coalitions import restrict_to_coalition, y_fixings
from tsg.optimisation.sizing.workflow import reference_cost_lines
from tsg.scaling.kpis import grid_kpis, partner_charges
from tsg.scaling.spreading_core import (
    MAX_EXACT_PARTNERS,
    STABILITY_CHECKS,
    Stability,
    StepCoreCheck,
    check_stability_request,
)

__all__ = ["MAX_EXACT_PARTNERS", "STABILITY_CHECKS", "SpreadResult", "Stability", "spread"]

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
        ``core_check`` (``none``, ``screen``, ``exact``) and with a check
        ``alliance_stable`` (True: core non-empty, False: empty, None: not decided),
        ``core_reason``, ``least_core_epsilon_eur_per_yr`` (when every coalition is known),
        ``core_partners``, ``core_solves`` (new coalition solves) and ``core_time_s`` (their
        wall time, the step's own solve not included).
    partners
        Per step and partner: charge versus stand-alone cost (:func:`partner_charges`).
    coalitions
        With ``stability``: per step the coalitions of the check: ``coalition`` (partners
        joined by ``+``), ``n_partners``, ``cost_eur_per_yr``, ``lower_bound_eur_per_yr``,
        ``source`` (``step design`` for the grand coalition, ``solved``, ``reused`` from an
        earlier step, ``no buildings``: cost 0) and ``solve_time_s``. Empty without a check.

    """

    steps: pd.DataFrame
    partners: pd.DataFrame
    coalitions: pd.DataFrame = field(default_factory=pd.DataFrame)


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
    stability: Stability = "none",
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
    stability
        Per step, check whether the grand alliance is in the core (see the module docstring):
        ``none``, ``screen`` (at most 2|P| extra solves per step, proves emptiness) or
        ``exact`` (every coalition, at most :data:`MAX_EXACT_PARTNERS` partners).

    Returns
    -------
    SpreadResult

    Raises
    ------
    InputError
        Unknown ``stability``, or ``exact`` while a step could have more than
        :data:`MAX_EXACT_PARTNERS` partners.
    ValueError
        Unknown candidates, or no existing building.

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
    asset_owners = {
        a.partner
        for a in (*inputs.ates, *inputs.heat_sources, *inputs.plants)
        if a.partner is not None
    }
    check_stability_request(stability, partner_of, members, pending, asset_owners, n_steps)
    if steps is None:
        steps = time_steps(
            inputs, n_periods=options.n_typical_periods, period_hours=options.period_hours
        )
    sm = build_model(inputs, steps, options=options)
    m = sm.model
    base_y = y_fixings(sm)
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
        # buildings that have joined are in (connections as built, the forced ones on the
        # grid), the others out; every asset available
        restrict_to_coalition(sm, inputs.partners, base_y=base_y, buildings=active)
        for bid in forced:
            m.y[index[bid]].fix(1)

    partner_rows: list[pd.DataFrame] = []
    rows: list[dict[str, object]] = []
    core = StepCoreCheck(
        sm,
        inputs,
        stability=stability,
        options=options,
        base_y=base_y,
        asset_owners=asset_owners,
        restore=lambda: restrict(members),
    )

    def record(step: int, candidate: str | None, info: dict) -> float:
        result = solve_and_extract(sm, with_reference=False)
        kpis = grid_kpis(result, building_ids=members, reference_lines=reference)
        check = core.check(step, members, result.solve)
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
                "gap": result.solve.gap,
                "solve_time_s": result.solve.solve_time_s,
                **check,
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
    return SpreadResult(
        steps=table,
        partners=pd.concat(partner_rows, ignore_index=True),
        coalitions=pd.DataFrame(core.rows),
    )
