"""Context indicators of a district and their comparison with a reference district."""

from __future__ import annotations

import pandas as pd

from tsg.buildings.indicators import heat_and_cool_kw
from tsg.demand import DemandResult
from tsg.economics import resolved_economics
from tsg.route import district_nodes
from tsg.scaling.conditions import compare_context, load_conditions
from tsg.scaling.context import ContextIndicators, ContextInputs, context_indicators
from tsg.schema import District


def district_context(district: District, demand: DemandResult) -> ContextIndicators:
    """Context indicators of a district's existing buildings (candidates left out).

    Partners count when they own an existing building or a source.
    """
    existing = [b for b in district.buildings if b.phase == "existing"]
    building_ids = [b.id for b in existing]
    heat_kw, cool_kw = heat_and_cool_kw(demand.profiles)
    partners = {b.partner for b in existing} | {s.partner for s in district.sources if s.partner}
    economics = resolved_economics(district)
    return context_indicators(
        ContextInputs(
            heat_kw=heat_kw[building_ids],
            cool_kw=cool_kw[building_ids],
            nodes=district_nodes(district, building_ids=building_ids),
            n_partners=len(partners),
            ates_allowed=any(s.type == "ates" for s in district.sources),
            gas_price_eur_per_m3=economics["gas_price_eur_per_m3"],
            electricity_price_eur_per_kwh=economics["electricity_price_eur_per_kwh"],
        )
    )


def context_comparison(reference: ContextIndicators, target: ContextIndicators) -> pd.DataFrame:
    """Success conditions of the shipped catalogue checked for a target against a reference."""
    conditions, tolerance = load_conditions()
    return compare_context(reference, target, conditions=conditions, similarity_tolerance=tolerance)
