"""Economic parameters of a district: catalogue defaults with the district's overrides.

Energy prices and emission factors come from the price set of ``economics.price_year``
(:mod:`tsg.prices`); a price or emission factor the district file sets keeps precedence.
"""

from __future__ import annotations

from functools import cache

import yaml

from tsg.common import data_path
from tsg.prices import PriceSet, price_set
from tsg.schema import District

ECONOMICS_CATALOGUE = ("catalogues", "economics.yaml")

SENSITIVITY_PARAMETERS = ("gas_price", "electricity_price", "capex_factor")
"""Parameters of the sizing sensitivity, as named under ``economics.sensitivity``."""

DEFAULT_SENSITIVITY_FACTORS = (0.7, 1.3)
"""Factors of a parameter the district file gives no range for: -30 % and +30 % of the base
value (assumption: the order of the swings of Dutch energy prices and cost estimates)."""


@cache
def _catalogue() -> dict:
    return yaml.safe_load(data_path(*ECONOMICS_CATALOGUE).read_text(encoding="utf-8"))


def default_economics() -> dict[str, object]:
    """Return the values of ``economics.yaml`` by name (``lifetimes_yr`` as a dict of years)."""
    catalogue = _catalogue()
    values: dict[str, object] = {
        name: entry["value"] for name, entry in catalogue.items() if name != "lifetimes_yr"
    }
    values["lifetimes_yr"] = {k: v["value"] for k, v in catalogue["lifetimes_yr"].items()}
    return values


def resolved_economics(district: District) -> dict[str, object]:
    """Return the catalogue defaults overridden by what the district file sets.

    Parameters
    ----------
    district
        The validated district.

    Returns
    -------
    dict
        ``price_year``, ``gas_price_eur_per_m3`` (the year's price in the first tax bracket),
        ``electricity_price_eur_per_kwh`` (the year's average price at the grid's shared
        consumption), ``co2_price_eur_per_t``, ``discount_rate``, ``gas_emission_kg_per_m3``,
        ``electricity_emission_kg_per_kwh``, ``district_heat_eur_per_mwh``,
        ``district_heat_fixed_eur_per_yr``, ``district_heat_emission_kg_per_kwh``,
        ``technology_cost_index`` (the year's technology costs against the catalogues') and
        ``lifetimes_yr`` (component -> years). Buildings pay by their bracket
        (:func:`building_prices`) unless the district file sets the price.
    """
    prices = district_price_set(district)
    values = default_economics()
    values |= {
        "gas_price_eur_per_m3": prices.gas.average_price(0.0),
        "electricity_price_eur_per_kwh": prices.electricity.average_price(
            prices.shared_electricity_kwh
        ),
        "gas_emission_kg_per_m3": prices.gas.emission_kg,
        "electricity_emission_kg_per_kwh": prices.electricity.emission_kg,
        "district_heat_eur_per_mwh": prices.district_heat_eur_per_mwh,
        "district_heat_fixed_eur_per_yr": prices.district_heat_fixed_eur_per_yr,
        "district_heat_emission_kg_per_kwh": prices.district_heat_emission_kg_per_kwh,
        "technology_cost_index": prices.technology_cost_index,
    }
    overrides = district.economics.model_dump(exclude_none=True, exclude={"sensitivity"})
    lifetimes = {**values["lifetimes_yr"], **overrides.pop("lifetimes_yr", {})}
    return {**values, **overrides, "lifetimes_yr": lifetimes}


def district_price_set(district: District) -> PriceSet:
    """Return the price set of the district's ``economics.price_year``."""
    return price_set(district.economics.price_year)


def building_prices(
    district: District,
    gas_m3_per_yr: float,
    electricity_kwh_per_yr: float,
    floor_area_m2: float = 0.0,
    dwellings: int = 1,
) -> tuple[float | None, float | None]:
    """Return what a building pays for gas [EUR/m3] and electricity [EUR/kWh].

    Parameters
    ----------
    district
        The validated district.
    gas_m3_per_yr, electricity_kwh_per_yr
        The building's annual consumption on its reference supply (heating and cooling).
    floor_area_m2
        Its floor area: its other electricity (lighting, fans, appliances) is
        ``other_electricity_kwh_per_m2`` of the price set times this, and counts towards the
        electricity bracket.
    dwellings
        Connections the building stands for (a residential block of ``dwellings`` homes): each
        pays the brackets on an equal share of the consumption, so the building's average price
        is that of one dwelling's consumption.

    Returns
    -------
    tuple
        The average price over the energy-tax brackets at that consumption (commodity plus
        tax / consumption, :meth:`tsg.prices.CarrierPrices.average_price`), used as a linear
        price; ``None`` where the district file sets the price (everyone pays that).
    """
    if dwellings < 1:
        raise ValueError(f"dwellings must be >= 1, got {dwellings}")
    prices = district_price_set(district)
    econ = district.economics
    gas = (
        None
        if econ.gas_price_eur_per_m3 is not None
        else prices.gas.average_price(gas_m3_per_yr / dwellings)
    )
    elec_kwh_per_yr = electricity_kwh_per_yr + prices.other_electricity_kwh_per_m2 * floor_area_m2
    elec = (
        None
        if econ.electricity_price_eur_per_kwh is not None
        else prices.electricity.average_price(elec_kwh_per_yr / dwellings)
    )
    return gas, elec


def sensitivity_ranges(district: District) -> dict[str, tuple[tuple[float, ...], bool]]:
    """Return the factors of each sensitivity parameter and whether the district gives them.

    Parameters
    ----------
    district
        The validated district.

    Returns
    -------
    dict
        For ``gas_price``, ``electricity_price`` and ``capex_factor``: ``(factors, given)``,
        the district file's factors with ``given = True``, or :data:`DEFAULT_SENSITIVITY_FACTORS`
        with ``given = False`` where the file names none. An empty tuple: not varied.
    """
    ranges = district.economics.sensitivity
    out: dict[str, tuple[tuple[float, ...], bool]] = {}
    for name in SENSITIVITY_PARAMETERS:
        factors = None if ranges is None else getattr(ranges, name)
        if factors is None:
            out[name] = (DEFAULT_SENSITIVITY_FACTORS, False)
        else:
            out[name] = (tuple(float(f) for f in factors), True)
    return out
