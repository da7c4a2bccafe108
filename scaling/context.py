"""Context indicators: the measurable conditions under which a thermal smart grid succeeds.

Platform31's first scaling type, *translation*, copies a solution to a district with a
comparable context. These indicators make "comparable" a number for any district.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from tsg.grid.layout import propose_layout

KWH_PER_MWH = 1000.0
GAS_KWH_PER_M3 = 31.65 / 3.6
"""Lower heating value of Dutch natural gas [kWh/m3] (31.65 MJ/m3, CBS)."""


@dataclass(frozen=True)
class ContextInputs:
    """What the context indicators need to know about a district (plain data).

    Attributes
    ----------
    heat_kw, cool_kw
        Hourly heat (space heating + hot water) and cooling demand [kW], one column per
        building id.
    nodes
        Buildings and the balancing unit in RD New: columns ``id``, ``x_m``, ``y_m``.
    n_partners
        Number of alliance partners.
    ates_allowed
        Whether the district has aquifer storage (permit / suitable aquifer).
    gas_price_eur_per_m3, electricity_price_eur_per_kwh
        Reference energy prices.
    detour_factor
        Trench length over straight distance for the proposed layout [-].
    """

    heat_kw: pd.DataFrame
    cool_kw: pd.DataFrame
    nodes: pd.DataFrame
    n_partners: int
    ates_allowed: bool
    gas_price_eur_per_m3: float
    electricity_price_eur_per_kwh: float
    detour_factor: float = 1.2


@dataclass(frozen=True)
class ContextIndicators:
    """Context of a district, each with its unit in the name.

    Attributes
    ----------
    n_buildings, n_partners
        Counts.
    heat_mwh_per_yr, cool_mwh_per_yr
        Annual demand.
    demand_overlap
        ``2 sum_t min(H_t, C_t) / sum_t (H_t + C_t)`` [-].
    heat_to_cool_ratio
        Annual heat over annual cooling demand [-] (inf without cooling).
    trench_length_m
        Length of the proposed tree layout (minimum spanning tree x detour factor) [m].
    linear_heat_density_mwh_per_m_yr
        Annual heat plus cooling demand per metre of trench [MWh/(m yr)]: a 5GDHC grid moves
        both.
    anchor_load_share
        Share of the largest building in annual heat plus cooling demand [-].
    ates_allowed
        Aquifer storage available.
    electricity_to_gas_price_ratio
        Electricity price per kWh over gas price per kWh (lower heating value) [-].
    """

    n_buildings: int
    n_partners: int
    heat_mwh_per_yr: float
    cool_mwh_per_yr: float
    demand_overlap: float
    heat_to_cool_ratio: float
    trench_length_m: float
    linear_heat_density_mwh_per_m_yr: float
    anchor_load_share: float
    ates_allowed: bool
    electricity_to_gas_price_ratio: float

    def as_dict(self) -> dict[str, float | int | bool]:
        """Return the indicators by name."""
        return asdict(self)


def context_indicators(inputs: ContextInputs) -> ContextIndicators:
    """Compute the context indicators of a district.

    Parameters
    ----------
    inputs
        Demand, locations, partners and prices of the district.

    Returns
    -------
    ContextIndicators
    """
    heat_total = inputs.heat_kw.sum(axis=1).to_numpy()
    cool_total = inputs.cool_kw.sum(axis=1).to_numpy()
    heat_kwh, cool_kwh = float(heat_total.sum()), float(cool_total.sum())
    both_kwh = heat_kwh + cool_kwh
    per_building_kwh = (
        inputs.heat_kw.sum()
        + inputs.cool_kw.reindex(columns=inputs.heat_kw.columns, fill_value=0.0).sum()
    )
    if len(inputs.nodes) >= 2:
        edges = propose_layout(inputs.nodes, detour_factor=inputs.detour_factor)
        trench_m = float(edges["length_m"].sum())
    else:
        trench_m = 0.0
    gas_eur_per_kwh = inputs.gas_price_eur_per_m3 / GAS_KWH_PER_M3
    return ContextIndicators(
        n_buildings=int(inputs.heat_kw.shape[1]),
        n_partners=inputs.n_partners,
        heat_mwh_per_yr=heat_kwh / KWH_PER_MWH,
        cool_mwh_per_yr=cool_kwh / KWH_PER_MWH,
        demand_overlap=(
            2.0 * float(np.minimum(heat_total, cool_total).sum()) / both_kwh if both_kwh else 0.0
        ),
        heat_to_cool_ratio=heat_kwh / cool_kwh if cool_kwh else float("inf"),
        trench_length_m=trench_m,
        linear_heat_density_mwh_per_m_yr=(
            both_kwh / KWH_PER_MWH / trench_m if trench_m else float("inf")
        ),
        anchor_load_share=float(per_building_kwh.max() / both_kwh) if both_kwh else 0.0,
        ates_allowed=inputs.ates_allowed,
        electricity_to_gas_price_ratio=(
            inputs.electricity_price_eur_per_kwh / gas_eur_per_kwh
            if gas_eur_per_kwh
            else float("inf")
        ),
    )
