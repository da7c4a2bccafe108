"""District file: sources (ATES, waste heat) and sites of central plants."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from tsg.schema.types import Identifier, Location, Name, StrictModel, Text, quantity

MAX_PLANT_KW = 1e6
"""Largest capacity of one source or plant [kW] (1 GW)."""

WellTemperature = quantity(0, 40, "degC")


class AquiferStorage(StrictModel):
    """Aquifer thermal energy storage (ATES, Dutch WKO) as balancing unit."""

    type: Literal["ates"]
    id: Identifier
    name: Name
    partner: Identifier | None = None
    location: Location
    max_flow_m3_per_h: quantity(0, 5000, "m3/h", low_open=True) = Field(
        description="pump capacity of one well [m3/h]: the flow of one doublet"
    )
    doublets: int | None = Field(
        default=None,
        ge=1,
        le=50,
        description="most doublets (warm and cold well pairs) the site and its permit allow; "
        "the optimiser builds whole doublets of max_flow_m3_per_h x cp x (warm - cold) each; "
        "not given: any capacity up to one doublet's",
    )
    warm_well_c: WellTemperature
    cold_well_c: WellTemperature
    thermal_balance_tolerance: quantity(0, 1, "-") = Field(
        default=0.1,
        description="allowed annual imbalance |heat in - heat out| / max(in, out) [-]",
    )
    source: Text | None = None

    @model_validator(mode="after")
    def _warm_above_cold(self) -> AquiferStorage:
        if self.warm_well_c <= self.cold_well_c:
            raise ValueError(
                f"warm_well_c ({self.warm_well_c:g} degC) must be above cold_well_c "
                f"({self.cold_well_c:g} degC)"
            )
        return self


class WasteHeat(StrictModel):
    """A waste-heat source that can feed the warm line."""

    type: Literal["waste_heat"]
    id: Identifier
    name: Name
    partner: Identifier | None = None
    location: Location
    temperature_c: quantity(0, 100, "degC")
    capacity_kw: quantity(0, MAX_PLANT_KW, "kW", low_open=True)
    annual_mwh: quantity(0, 1e7, "MWh/yr") | None = None
    price_eur_per_mwh: quantity(0, 1000, "EUR/MWh") = Field(
        default=0.0,
        description="price paid per MWh of heat delivered to the warm line [EUR/MWh] "
        "(default 0: the owner gives it away to be rid of it)",
    )
    source: Text | None = None

    @model_validator(mode="after")
    def _annual_within_capacity(self) -> WasteHeat:
        most_mwh = self.capacity_kw * 8784 / 1000
        if self.annual_mwh is not None and self.annual_mwh > most_mwh * (1 + 1e-9):
            raise ValueError(
                f"annual_mwh ({self.annual_mwh:g} MWh/yr) exceeds what capacity_kw "
                f"({self.capacity_kw:g} kW) can deliver in a year ({most_mwh:g} MWh)"
            )
        return self


class _PlantSite(StrictModel):
    """A site where the optimiser may build a central plant (the plant's own fields below)."""

    id: Identifier
    name: Name
    partner: Identifier | None = Field(
        default=None, description="owner of the site; none: available to every coalition"
    )
    location: Location
    source: Text | None = Field(default=None, description="where these numbers come from")


class DryCooler(_PlantSite):
    """A site where the optimiser may build a dry cooler: removes heat from the loop to the air."""

    type: Literal["dry_cooler"]
    max_capacity_kw: quantity(0, MAX_PLANT_KW, "kW", low_open=True) | None = Field(
        default=None, description="largest thermal capacity it may get [kW]; default: no limit"
    )


class CentralHeatPump(_PlantSite):
    """A site where the optimiser may build an air-to-water heat pump that heats the loop."""

    type: Literal["central_heat_pump"]
    max_capacity_kw: quantity(0, MAX_PLANT_KW, "kW", low_open=True) | None = Field(
        default=None, description="largest heat output it may get [kW]; default: no limit"
    )


class ThermalStorage(_PlantSite):
    """A site where the optimiser may build a water buffer (short-term storage) on the loop."""

    type: Literal["thermal_storage"]
    max_capacity_kwh: quantity(0, 1e8, "kWh", low_open=True) | None = Field(
        default=None,
        description="largest storage capacity it may get [kWh]; default: bounded by the "
        "district's demand",
    )


Source = Annotated[
    AquiferStorage | WasteHeat | DryCooler | CentralHeatPump | ThermalStorage,
    Field(discriminator="type"),
]
SOURCE_TYPES = ("ates", "waste_heat", "dry_cooler", "central_heat_pump", "thermal_storage")
"""The ``type`` tags of :data:`Source` (the loader drops them from error locations)."""
