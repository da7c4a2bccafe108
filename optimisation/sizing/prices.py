"""Prices of the sizing model: energy, emission factors, district-heating tariff, discount rate."""

from __future__ import annotations

import math
from dataclasses import dataclass

from tsg.common.errors import InputError

__all__ = ["Prices"]


@dataclass(frozen=True)
class Prices:
    """Energy prices, emission factors and the discount rate.

    Parameters
    ----------
    gas_price_eur_per_m3
        Gas price [EUR/m³] of a consumer without a price of its own (a building can have one:
        :class:`~tsg.optimisation.sizing.inputs.BuildingInput`).
    electricity_price_eur_per_kwh
        Electricity price [EUR/kWh] of the shared items (network pumps, ATES, central
        plants) and of buildings without a price of their own.
    co2_price_eur_per_t
        CO2 price [EUR/t] on the emissions of the energy used.
    gas_emission_kg_per_m3, electricity_emission_kg_per_kwh
        Emission factors [kg CO2/m³], [kg CO2/kWh].
    discount_rate
        Real discount rate [1/yr].
    district_heat_eur_per_mwh
        District-heating tariff per MWh delivered [EUR/MWh]; ``None``: no district heating
        (a building with ``reference_heating = district_heating`` then is an input error).
    district_heat_fixed_eur_per_yr
        Fixed district-heating charge per connection [EUR/yr].
    district_heat_emission_kg_per_kwh
        Emission factor of district heat [kg CO2/kWh delivered].
    grant_share
        Share of the grid's investments (connections, building heat pumps and chillers on the
        loop, pipes, ATES, plants) paid by a grant [-]; the reference units get none.
    technology_cost_index
        Technology costs of the price year against the catalogues' [-] (> 0): every
        investment, the reference units' too, is multiplied by it (1: the catalogues' year).

    """

    gas_price_eur_per_m3: float
    electricity_price_eur_per_kwh: float
    co2_price_eur_per_t: float
    gas_emission_kg_per_m3: float
    electricity_emission_kg_per_kwh: float
    discount_rate: float
    district_heat_eur_per_mwh: float | None = None
    district_heat_fixed_eur_per_yr: float = 0.0
    district_heat_emission_kg_per_kwh: float = 0.0
    grant_share: float = 0.0
    technology_cost_index: float = 1.0

    def __post_init__(self) -> None:
        for name, value in self.__dict__.items():
            if value is None and name == "district_heat_eur_per_mwh":
                continue
            if not (math.isfinite(value) and value >= 0):
                raise InputError(f"{name} must be a finite number >= 0, got {value}", field=name)
        if self.technology_cost_index <= 0:
            raise InputError(
                f"technology_cost_index must be > 0, got {self.technology_cost_index}",
                field="technology_cost_index",
            )
        if self.grant_share >= 1:
            raise InputError(
                f"grant_share must lie in [0, 1), got {self.grant_share}", field="grant_share"
            )
