"""District file: economics overrides and the ranges of the sizing sensitivity table."""

from __future__ import annotations

from functools import cache

import yaml
from pydantic import Field, field_validator

from tsg.common import data_path
from tsg.prices import default_price_year, price_years
from tsg.schema.types import StrictModel, Text, quantity, whole


@cache
def lifetime_keys() -> tuple[str, ...]:
    """Technologies whose lifetime ``economics.lifetimes_yr`` may override (the catalogue's)."""
    text = data_path("catalogues", "economics.yaml").read_text(encoding="utf-8")
    return tuple(sorted(yaml.safe_load(text)["lifetimes_yr"]))


SensitivityFactors = list[quantity(0, 100, "-", low_open=True)]


class Sensitivity(StrictModel):
    """Ranges of the sizing sensitivity table: factors on the base values.

    A parameter left out is varied by the default factors x0.7 and x1.3 (``tsg size``); an
    empty list leaves it out of the table.
    """

    gas_price: SensitivityFactors | None = Field(
        default=None, max_length=20, description="factors on the gas price [-], e.g. [0.7, 1.3]"
    )
    electricity_price: SensitivityFactors | None = Field(
        default=None, max_length=20, description="factors on the electricity price [-]"
    )
    capex_factor: SensitivityFactors | None = Field(
        default=None,
        max_length=20,
        description="factors on every investment (pipes, machines, wells) [-]",
    )
    source: Text | None = Field(default=None, description="where the ranges come from")

    @field_validator("gas_price", "electricity_price", "capex_factor")
    @classmethod
    def _distinct(cls, value: list[float] | None) -> list[float] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError(f"factors must be distinct, got {value}")
        return value


class Economics(StrictModel):
    """Overrides of the economic defaults and the ranges of the sizing sensitivity table.

    The defaults are in ``data/catalogues/economics.yaml``; prices, energy-tax brackets and
    emission factors by year in ``data/catalogues/prices.yaml`` (``price_year``).
    """

    price_year: int = Field(
        default=default_price_year(),
        description="year of the price set (energy prices, energy-tax brackets, emission "
        "factors, district-heating tariff) in data/catalogues/prices.yaml",
    )
    gas_price_eur_per_m3: quantity(0, 50, "EUR/m3") | None = None
    electricity_price_eur_per_kwh: quantity(0, 10, "EUR/kWh") | None = None
    co2_price_eur_per_t: quantity(0, 10000, "EUR/t") | None = None
    discount_rate: quantity(0, 0.5, "-") | None = None
    gas_emission_kg_per_m3: quantity(0, 10, "kg/m3") | None = None
    electricity_emission_kg_per_kwh: quantity(0, 5, "kg/kWh") | None = None
    grant_share: quantity(0, 1, "-", high_open=True) = Field(
        default=0.0,
        description="share of the grid's investments (connections, loop-side heat pumps and "
        "chillers, pipes, ATES, plants) paid by a grant [-]: a capex reduction; the buildings' "
        "own reference units get none",
    )
    lifetimes_yr: dict[str, whole(1, 100, "yr")] = Field(
        default_factory=dict,
        description="technical lifetime by technology [yr]; keys: those of "
        "data/catalogues/economics.yaml (pipes, heat_pump, chiller, ates, gas_boiler)",
    )
    sensitivity: Sensitivity | None = Field(
        default=None,
        description="ranges of the sizing sensitivity table (default: x0.7 and x1.3 in tsg size, "
        "no table in tsg run)",
    )

    @field_validator("price_year")
    @classmethod
    def _known_year(cls, value: int) -> int:
        if value not in price_years():
            allowed = ", ".join(str(y) for y in price_years())
            raise ValueError(f"no price set for {value}; allowed years: {allowed}")
        return value

    @field_validator("lifetimes_yr")
    @classmethod
    def _known_technologies(cls, value: dict[str, int]) -> dict[str, int]:
        unknown = sorted(set(value) - set(lifetime_keys()))
        if unknown:
            shown = unknown[0] if len(unknown[0]) <= 64 else unknown[0][:61] + "..."
            raise ValueError(f"unknown technology '{shown}'; allowed: {', '.join(lifetime_keys())}")
        return value
