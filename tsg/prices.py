"""Price sets by year (``data/catalogues/prices.yaml``): energy tax by consumption bracket.

A consumer's energy tax is levied per bracket of its annual consumption: each bracket's rate
applies to the part of the consumption inside it. The sizing model needs linear prices, so a
consumer pays its *effective average price* at its reference consumption (what it uses on its
own supply, known from its demand before the solve): commodity plus ``tax(q) / q``. A connected
building uses less gas and a different amount of electricity, yet keeps that price. The
approximation is exact for a building whose gas use stops entirely (its whole bill goes, and
that is ``q`` times the average) and where the consumption stays inside one bracket; in between,
the real saving is priced at the upper brackets' lower rates, so the model overstates the
saving of a building that keeps part of its gas (by at most the difference between the average
and the marginal rate on the gas saved).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import yaml

from tsg.common import data_path

__all__ = [
    "Bracket",
    "CarrierPrices",
    "PriceSet",
    "default_price_year",
    "price_set",
    "price_years",
    "tax_bill",
]

PRICES_CATALOGUE = ("catalogues", "prices.yaml")


@dataclass(frozen=True)
class Bracket:
    """One energy-tax bracket: consumption up to ``up_to`` (``None``: no limit) at ``rate``."""

    up_to: float | None
    rate: float


def tax_bill(consumption: float, brackets: Sequence[Bracket]) -> float:
    """Return the annual energy tax of a consumption [EUR/yr].

    Parameters
    ----------
    consumption
        Annual consumption [m3/yr or kWh/yr], >= 0.
    brackets
        Brackets in increasing order of ``up_to``; the last has ``up_to = None``.

    Returns
    -------
    float
        Sum over the brackets of the rate times the part of the consumption inside the bracket.
    """
    bill, lower = 0.0, 0.0
    for bracket in brackets:
        upper = float("inf") if bracket.up_to is None else float(bracket.up_to)
        if consumption > lower:
            bill += bracket.rate * (min(consumption, upper) - lower)
        lower = upper
    return bill


@dataclass(frozen=True)
class CarrierPrices:
    """Prices of gas [EUR/m3] or electricity [EUR/kWh] in one year.

    Attributes
    ----------
    commodity
        Supply and network price per unit, excluding taxes.
    brackets
        Energy-tax brackets (energy tax plus ODE) per unit.
    emission_kg
        Emission factor [kg CO2 per unit].
    """

    commodity: float
    brackets: tuple[Bracket, ...]
    emission_kg: float

    def average_price(self, consumption: float) -> float:
        """Commodity plus the average tax per unit at this annual consumption.

        A consumption of zero pays the first bracket's rate (its marginal price).
        """
        if consumption <= 0:
            return self.commodity + self.brackets[0].rate
        return self.commodity + tax_bill(consumption, self.brackets) / consumption


@dataclass(frozen=True)
class PriceSet:
    """The prices of one year.

    Attributes
    ----------
    year
        Price year.
    gas, electricity
        Gas per m3 and electricity per kWh.
    shared_electricity_kwh
        Annual consumption at which the grid's shared equipment is priced [kWh/yr].
    other_electricity_kwh_per_m2
        A building's electricity besides heating and cooling per m2 of floor area
        [kWh/(m2 yr)] (counts towards its electricity-tax bracket).
    district_heat_eur_per_mwh, district_heat_fixed_eur_per_yr
        District-heating tariff: per MWh delivered and per connection and year.
    district_heat_emission_kg_per_kwh
        Emission factor of district heat [kg CO2/kWh delivered].
    technology_cost_index
        Technology costs of the year against those of the technology and pipe catalogues
        (price level 2025) [-]: every investment is multiplied by it.
    """

    year: int
    gas: CarrierPrices
    electricity: CarrierPrices
    shared_electricity_kwh: float
    other_electricity_kwh_per_m2: float
    district_heat_eur_per_mwh: float
    district_heat_fixed_eur_per_yr: float
    district_heat_emission_kg_per_kwh: float
    technology_cost_index: float = 1.0


@cache
def _catalogue() -> dict:
    return yaml.safe_load(data_path(*PRICES_CATALOGUE).read_text(encoding="utf-8"))


def price_years() -> tuple[int, ...]:
    """Return the years the catalogue has a price set for, ascending."""
    return tuple(sorted(int(y) for y in _catalogue()["years"]))


def default_price_year() -> int:
    """Return the catalogue's default price year."""
    return int(_catalogue()["default_year"])


def _carrier(entry: dict, price_key: str, emission_key: str) -> CarrierPrices:
    brackets = tuple(
        Bracket(None if b["up_to"] is None else float(b["up_to"]), float(b["eb"]) + float(b["ode"]))
        for b in entry["tax_brackets"]
    )
    return CarrierPrices(
        commodity=float(entry[price_key]["value"]),
        brackets=brackets,
        emission_kg=float(entry[emission_key]["value"]),
    )


def price_set(year: int) -> PriceSet:
    """Return the price set of a year.

    Raises
    ------
    KeyError
        No price set for this year (the district schema allows only :func:`price_years`).
    """
    catalogue = _catalogue()
    entry = catalogue["years"][year]
    heat = entry["district_heating"]
    return PriceSet(
        year=year,
        gas=_carrier(entry["gas"], "commodity_eur_per_m3", "emission_kg_per_m3"),
        electricity=_carrier(entry["electricity"], "commodity_eur_per_kwh", "emission_kg_per_kwh"),
        shared_electricity_kwh=float(catalogue["shared_electricity_kwh_per_yr"]["value"]),
        other_electricity_kwh_per_m2=float(catalogue["other_electricity_kwh_per_m2"]["value"]),
        district_heat_eur_per_mwh=float(heat["variable_eur_per_mwh"]["value"]),
        district_heat_fixed_eur_per_yr=float(heat["fixed_eur_per_yr"]["value"]),
        district_heat_emission_kg_per_kwh=float(heat["emission_kg_per_kwh"]["value"]),
        technology_cost_index=float(entry["technology_costs"]["index"]["value"]),
    )
