"""Districts for the scaling analyses: design choices carried over, candidates, sizing one.

Choices made here (the domain code in :mod:`scaling` takes them as inputs):

* the *design choices* carried from a reference to a target are the loop temperatures
  (warm and cold line) and the technology set; the technology catalogue and pipe catalogue are
  the same model for every district here, so only the temperatures are copied;
* scaling runs use cheap sizing options by default (:data:`CHEAP_OPTIONS`: 3 typical days,
  3 % gap, 120 s limit per solve); ``benchmarks/scaling.py`` reports their error against the
  full model (12 typical days, 1 % gap);
* candidates of a spreading run are the buildings with ``phase: candidate`` or the buildings
  of another district file (their partners join as new partners).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tsg.common.errors import InputError
from tsg.demand import DemandResult, district_demand
from tsg.district import load_district
from tsg.optimisation.sizing import SizingInputs, SizingOptions, SizingResult, size, time_steps
from tsg.optimisation.sizing.coalition_batch import coalition_costs
from tsg.scaling.kpis import GridKpis, grid_kpis
from tsg.schema import District
from tsg.sizing_inputs import sizing_inputs

__all__ = [
    "CHEAP_OPTIONS",
    "SizedDistrict",
    "size_district",
    "translation_kpis",
    "with_candidates",
    "with_design_of",
]

CHEAP_OPTIONS = SizingOptions(n_typical_periods=3, mip_gap=0.03, time_limit_s=120.0)
"""Sizing options of scaling runs (many solves): 3 typical days, 3 % gap."""


@dataclass(frozen=True)
class SizedDistrict:
    """A district, its sizing inputs, its design and KPIs."""

    district: District
    inputs: SizingInputs
    result: SizingResult
    kpis: GridKpis


def with_design_of(target: District, reference: District) -> District:
    """Return the target with the reference's design choices (loop temperatures)."""
    network = target.network.model_copy(
        update={
            "warm_line_c": reference.network.warm_line_c,
            "cold_line_c": reference.network.cold_line_c,
        }
    )
    return target.model_copy(update={"network": network})


def size_district(
    district: District,
    district_file: Path,
    *,
    options: SizingOptions = CHEAP_OPTIONS,
    stability: bool = False,
    demand: DemandResult | None = None,
) -> SizedDistrict:
    """Demand, sizing inputs, design and KPIs of a district.

    Parameters
    ----------
    district, district_file
        The district and the file it came from (for messages).
    options
        Sizing options.
    stability
        Also compute the coalition game of the partners (2^n - 1 solves) and check its core.
    demand
        The district's demand when already computed (else computed here).

    Returns
    -------
    SizedDistrict

    """
    if demand is None:
        demand = district_demand(district, district_file=district_file)
    inputs = sizing_inputs(district, demand)
    steps = time_steps(
        inputs, n_periods=options.n_typical_periods, period_hours=options.period_hours
    )
    result = size(inputs, options=options, steps=steps)
    game = coalition_costs(inputs, options=options, steps=steps) if stability else None
    return SizedDistrict(district, inputs, result, grid_kpis(result, game=game))


def translation_kpis(reference: SizedDistrict, target: SizedDistrict) -> pd.DataFrame:
    """KPIs side by side: columns ``kpi``, ``reference``, ``target``, ``difference``."""
    ref, tgt = reference.kpis.as_dict(), target.kpis.as_dict()
    rows = []
    for key in ref:
        a, b = ref[key], tgt[key]
        numeric = isinstance(a, int | float) and isinstance(b, int | float)
        numeric = numeric and not isinstance(a, bool) and not isinstance(b, bool)
        rows.append(
            {"kpi": key, "reference": a, "target": b, "difference": b - a if numeric else None}
        )
    return pd.DataFrame(rows)


def with_candidates(district: District, candidates_file: Path) -> tuple[District, list[str]]:
    """Add the buildings (and their partners) of another district file as candidates.

    Returns
    -------
    tuple
        The combined district and the candidate ids (``phase: candidate`` ones included).

    Raises
    ------
    InputError
        A candidate id clashes with a building of the district.

    """
    extra = load_district(candidates_file)
    known = {b.id for b in district.buildings}
    clash = sorted(known & {b.id for b in extra.buildings})
    if clash:
        raise InputError(f"candidate ids already in the district: {clash}", file=candidates_file)
    partner_ids = {p.id for p in district.partners}
    partners = [*district.partners, *(p for p in extra.partners if p.id not in partner_ids)]
    added = [b.model_copy(update={"phase": "candidate"}) for b in extra.buildings]
    combined = district.model_copy(
        update={"buildings": [*district.buildings, *added], "partners": partners}
    )
    return combined, candidate_ids(combined)


def candidate_ids(district: District) -> list[str]:
    """Ids of the district's candidate buildings (``phase: candidate``)."""
    return [b.id for b in district.buildings if b.phase == "candidate"]
