"""KPIs of a sized district: cost per MWh, savings and CO2 versus the reference, stability.

The *reference* is every building on its own supply (the sizing result's all-reference case).
A subset of the buildings can be named (spreading keeps buildings that have not joined yet in
the model with zero demand); reference cost lines are then limited to that subset.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import pandas as pd

from tsg.optimisation.allocation import Game, core_nonempty
from tsg.optimisation.sizing import CostLine, SizingResult

__all__ = ["GridKpis", "grid_kpis", "partner_charges"]


@dataclass(frozen=True)
class GridKpis:
    """Headline numbers of a sized district.

    Attributes
    ----------
    n_buildings, n_connected, n_partners
        Buildings considered, buildings on the grid, partners owning a considered building.
    demand_mwh_per_yr
        Heat (space heating + hot water) and cooling demand of the considered buildings.
    grid_delivered_mwh_per_yr
        Part of that demand served through the loop.
    total_cost_eur_per_yr, reference_cost_eur_per_yr
        Annualised cost of the design and of the all-reference case.
    saving_eur_per_yr, saving_pct
        Reference minus design [EUR/yr] and as a share of the reference [%].
    cost_eur_per_mwh
        Design cost per MWh of demand delivered (by grid and backup together).
    co2_t_per_yr, reference_co2_t_per_yr, co2_reduction_t_per_yr, co2_reduction_pct
        Emissions of design and reference and the reduction.
    largest_dn_mm, trench_m
        Largest pipe built (0: none) and built trench length.
    ates_capacity_kw, ates_exchange_mwh_per_yr
        Balancing need: ATES capacity and the heat it stores plus returns per year.
    alliance_stable
        Whether the coalition game has a non-empty core (None: no game given).

    """

    n_buildings: int
    n_connected: int
    n_partners: int
    demand_mwh_per_yr: float
    grid_delivered_mwh_per_yr: float
    total_cost_eur_per_yr: float
    reference_cost_eur_per_yr: float
    saving_eur_per_yr: float
    saving_pct: float
    cost_eur_per_mwh: float
    co2_t_per_yr: float
    reference_co2_t_per_yr: float
    co2_reduction_t_per_yr: float
    co2_reduction_pct: float
    largest_dn_mm: int
    trench_m: float
    ates_capacity_kw: float
    ates_exchange_mwh_per_yr: float
    alliance_stable: bool | None

    def as_dict(self) -> dict[str, object]:
        """Plain dict (field order kept)."""
        return asdict(self)


def _pct(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole > 0 else float("nan")


def _reference_lines(
    result: SizingResult, lines: Iterable[CostLine] | None, ids: set[str]
) -> list[CostLine]:
    source = result.reference_costs if lines is None else tuple(lines)
    return [c for c in source if not c.building or c.owner in ids]


def grid_kpis(
    result: SizingResult,
    *,
    building_ids: Iterable[str] | None = None,
    reference_lines: Iterable[CostLine] | None = None,
    game: Game | None = None,
) -> GridKpis:
    """KPIs of a sizing result.

    Parameters
    ----------
    result
        The sized design.
    building_ids
        Buildings to count (default: all of the result). Design cost lines are taken whole
        (buildings left out are expected to have zero demand in the model).
    reference_lines
        All-reference cost lines to use instead of ``result.reference_costs`` (e.g. computed
        once for a model that is re-solved many times); limited to ``building_ids``.
    game
        Coalition cost game of the partners; gives ``alliance_stable``.

    Returns
    -------
    GridKpis

    """
    ids = {b.building_id for b in result.buildings} if building_ids is None else set(building_ids)
    designs = [b for b in result.buildings if b.building_id in ids]
    demand = sum(b.heat_demand_mwh_per_yr + b.cool_demand_mwh_per_yr for b in designs)
    delivered = sum(b.heat_from_grid_mwh_per_yr + b.cold_from_grid_mwh_per_yr for b in designs)
    ref = _reference_lines(result, reference_lines, ids)
    ref_cost = sum(c.total_eur_per_yr for c in ref) if ref else float("nan")
    ref_co2 = sum(c.co2_t_per_yr for c in ref) if ref else float("nan")
    cost = result.design.cost_eur_per_yr
    co2 = result.design.co2_t_per_yr
    built = [e for e in result.edges if e.built]
    ates = [p for p in result.plants if p.kind == "ates"]
    return GridKpis(
        n_buildings=len(designs),
        n_connected=sum(b.connected for b in designs),
        n_partners=len({b.partner for b in designs}),
        demand_mwh_per_yr=demand,
        grid_delivered_mwh_per_yr=delivered,
        total_cost_eur_per_yr=cost,
        reference_cost_eur_per_yr=ref_cost,
        saving_eur_per_yr=ref_cost - cost,
        saving_pct=_pct(ref_cost - cost, ref_cost),
        cost_eur_per_mwh=cost / demand if demand > 0 else float("nan"),
        co2_t_per_yr=co2,
        reference_co2_t_per_yr=ref_co2,
        co2_reduction_t_per_yr=ref_co2 - co2,
        co2_reduction_pct=_pct(ref_co2 - co2, ref_co2),
        largest_dn_mm=max((int(e.dn_mm) for e in built), default=0),
        trench_m=sum(e.length_m for e in built),
        ates_capacity_kw=sum(p.capacity_kw for p in ates),
        ates_exchange_mwh_per_yr=sum(
            p.heat_from_loop_mwh_per_yr + p.heat_to_loop_mwh_per_yr for p in ates
        ),
        alliance_stable=None if game is None else bool(core_nonempty(game)),
    )


def partner_charges(
    result: SizingResult,
    *,
    building_ids: Iterable[str] | None = None,
    reference_lines: Iterable[CostLine] | None = None,
    tolerance_eur_per_yr: float = 1.0,
) -> pd.DataFrame:
    """Compare what the design charges each partner with its buildings' stand-alone cost.

    A partner is charged the cost lines of its own buildings plus a share of every item that
    belongs to no building (pipes, ATES, central plants, whoever owns them), split over the
    connected buildings in proportion to the heat they exchange with the loop (extraction +
    injection; an assumption, the same key the levelised costs use). A connected partner
    *would rather stay out* when its charge exceeds its stand-alone (reference) cost by more
    than ``tolerance_eur_per_yr``.

    Parameters
    ----------
    result
        The sized design.
    building_ids
        Buildings to count (default all).
    reference_lines
        All-reference cost lines (default ``result.reference_costs``).
    tolerance_eur_per_yr
        Margin before a partner counts as better off alone [EUR/yr].

    Returns
    -------
    pandas.DataFrame
        Index ``partner``; columns ``connected_buildings``, ``own_cost_eur_per_yr``,
        ``shared_cost_eur_per_yr``, ``charged_eur_per_yr``, ``standalone_cost_eur_per_yr``,
        ``would_stay_out``.

    """
    ids = {b.building_id for b in result.buildings} if building_ids is None else set(building_ids)
    designs = [b for b in result.buildings if b.building_id in ids]
    owner_partner = {b.building_id: b.partner for b in designs}
    shared = sum(c.total_eur_per_yr for c in result.costs if not c.building)
    loop = {
        b.building_id: b.loop_extraction_mwh_per_yr + b.loop_injection_mwh_per_yr
        for b in designs
        if b.connected
    }
    total_loop = sum(loop.values())
    ref = _reference_lines(result, reference_lines, ids)
    rows = {}
    for partner in sorted(set(owner_partner.values())):
        mine = [b for b in designs if b.partner == partner]
        own = sum(
            c.total_eur_per_yr
            for c in result.costs
            if c.building and owner_partner.get(c.owner) == partner
        )
        share = sum(loop.get(b.building_id, 0.0) for b in mine)
        shared_part = shared * share / total_loop if total_loop > 0 else 0.0
        alone = sum(
            c.total_eur_per_yr for c in ref if c.building and owner_partner.get(c.owner) == partner
        )
        n_connected = sum(b.connected for b in mine)
        charged = own + shared_part
        rows[partner] = {
            "connected_buildings": n_connected,
            "own_cost_eur_per_yr": own,
            "shared_cost_eur_per_yr": shared_part,
            "charged_eur_per_yr": charged,
            "standalone_cost_eur_per_yr": alone if ref else math.nan,
            "would_stay_out": bool(n_connected > 0 and charged > alone + tolerance_eur_per_yr),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "partner"
    return table
