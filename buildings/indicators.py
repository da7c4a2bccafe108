"""Demand indicators of a district: annual energy, peaks, simultaneity, exchange potential."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from tsg.buildings.profiles import building_quantity

KWH_PER_MWH = 1000.0


@dataclass(frozen=True)
class DistrictIndicators:
    """District-level demand indicators.

    Attributes
    ----------
    heat_mwh_per_yr, cool_mwh_per_yr
        Annual heat demand (space heating + hot water) and cooling demand of all buildings.
    peak_heat_kw, peak_cool_kw
        Peak of the summed hourly heat and cooling demand.
    simultaneity_heat, simultaneity_cool
        Peak of the sum divided by the sum of the buildings' own peaks [-] (1 = all peak at once).
    exchangeable_mwh_per_yr
        Directly exchangeable energy, sum over hours of min(H_t, C_t) (H: district heat demand,
        C: district cooling demand), in demand terms before heat pumps and chillers.
    demand_overlap
        2 * sum_t min(H_t, C_t) / sum_t (H_t + C_t) [-]: 0 = heat and cold never coincide,
        1 = they match hour by hour.
    heating_degree_days_k_d
        Heating degree days of the weather year, base 18 degC [K d].
    """

    heat_mwh_per_yr: float
    cool_mwh_per_yr: float
    peak_heat_kw: float
    peak_cool_kw: float
    simultaneity_heat: float
    simultaneity_cool: float
    exchangeable_mwh_per_yr: float
    demand_overlap: float
    heating_degree_days_k_d: float

    def as_table(self) -> pd.DataFrame:
        """Return the indicators as a table with columns ``indicator``, ``value``, ``unit``."""
        units = {
            "heat_mwh_per_yr": "MWh/yr",
            "cool_mwh_per_yr": "MWh/yr",
            "peak_heat_kw": "kW",
            "peak_cool_kw": "kW",
            "simultaneity_heat": "-",
            "simultaneity_cool": "-",
            "exchangeable_mwh_per_yr": "MWh/yr",
            "demand_overlap": "-",
            "heating_degree_days_k_d": "K d",
        }
        return pd.DataFrame(
            [{"indicator": k, "value": v, "unit": units[k]} for k, v in asdict(self).items()]
        )


def heat_and_cool_kw(profiles: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-building heat (space heating + hot water) and cooling demand [kW], building columns."""
    heat = building_quantity(profiles, "heat_kw") + building_quantity(profiles, "dhw_kw")
    return heat, building_quantity(profiles, "cool_kw")


def building_summary(profiles: pd.DataFrame) -> pd.DataFrame:
    """Annual demand and peaks per building, with a final ``TOTAL`` row.

    Parameters
    ----------
    profiles
        Hourly profiles with columns ``<building_id>.<quantity>`` [kW].

    Returns
    -------
    pandas.DataFrame
        Index ``building_id``; columns ``space_heat_mwh_per_yr``, ``dhw_mwh_per_yr``,
        ``heat_mwh_per_yr`` (space heating + hot water), ``cool_mwh_per_yr``, ``peak_heat_kw``,
        ``peak_cool_kw``, ``full_load_hours_heat_h``, ``full_load_hours_cool_h``. The ``TOTAL``
        row sums energies; its peaks are the peaks of the summed profile (not sums of peaks).
    """
    heat, cool = heat_and_cool_kw(profiles)
    space = building_quantity(profiles, "heat_kw")
    dhw = building_quantity(profiles, "dhw_kw")
    table = pd.DataFrame(
        {
            "space_heat_mwh_per_yr": space.sum() / KWH_PER_MWH,
            "dhw_mwh_per_yr": dhw.sum() / KWH_PER_MWH,
            "heat_mwh_per_yr": heat.sum() / KWH_PER_MWH,
            "cool_mwh_per_yr": cool.sum() / KWH_PER_MWH,
            "peak_heat_kw": heat.max(),
            "peak_cool_kw": cool.max(),
        }
    )
    total = table.sum()
    total["peak_heat_kw"] = heat.sum(axis=1).max()
    total["peak_cool_kw"] = cool.sum(axis=1).max()
    table.loc["TOTAL"] = total
    with np.errstate(divide="ignore", invalid="ignore"):
        table["full_load_hours_heat_h"] = (
            table["heat_mwh_per_yr"] * KWH_PER_MWH / table["peak_heat_kw"]
        ).where(table["peak_heat_kw"] > 0, 0.0)
        table["full_load_hours_cool_h"] = (
            table["cool_mwh_per_yr"] * KWH_PER_MWH / table["peak_cool_kw"]
        ).where(table["peak_cool_kw"] > 0, 0.0)
    table.index.name = "building_id"
    return table


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator / denominator) if denominator > 0 else 0.0


def district_indicators(
    profiles: pd.DataFrame, *, heating_degree_days_k_d: float
) -> DistrictIndicators:
    """District-level indicators of hourly demand profiles.

    Parameters
    ----------
    profiles
        Hourly profiles with columns ``<building_id>.<quantity>`` [kW].
    heating_degree_days_k_d
        Heating degree days of the weather year that made the profiles [K d].

    Returns
    -------
    DistrictIndicators
    """
    heat, cool = heat_and_cool_kw(profiles)
    heat_total = heat.sum(axis=1).to_numpy()
    cool_total = cool.sum(axis=1).to_numpy()
    exchangeable_kwh = float(np.minimum(heat_total, cool_total).sum())
    return DistrictIndicators(
        heat_mwh_per_yr=float(heat_total.sum()) / KWH_PER_MWH,
        cool_mwh_per_yr=float(cool_total.sum()) / KWH_PER_MWH,
        peak_heat_kw=float(heat_total.max()),
        peak_cool_kw=float(cool_total.max()),
        simultaneity_heat=_ratio(heat_total.max(), heat.max().sum()),
        simultaneity_cool=_ratio(cool_total.max(), cool.max().sum()),
        exchangeable_mwh_per_yr=exchangeable_kwh / KWH_PER_MWH,
        demand_overlap=_ratio(2.0 * exchangeable_kwh, float((heat_total + cool_total).sum())),
        heating_degree_days_k_d=heating_degree_days_k_d,
    )
