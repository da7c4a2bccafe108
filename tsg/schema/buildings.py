"""District file: buildings, their demand overrides, measured profiles and event calendars."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from tsg.buildings.archetypes import archetype_names, load_archetypes
from tsg.schema.types import (
    Identifier,
    Location,
    Name,
    StrictModel,
    Text,
    quantity,
    resolve_path,
    whole,
)

MAX_FLOOR_AREA_M2 = 5e6
"""Largest floor area of one building [m2] (the largest buildings on earth have about 2e6)."""
MAX_ANNUAL_MWH = 1e6
"""Largest annual demand of one building and quantity [MWh/yr] (1 TWh/yr)."""
MAX_DWELLINGS = 100_000
"""Most dwellings in one building entry (a whole neighbourhood given as one block)."""


class EventCalendar(StrictModel):
    """Event days of an event-driven building: explicit dates or a number to draw.

    ``events_per_year`` may not exceed the days of the climate year (checked by the loader).
    """

    dates: list[dt.date] | None = Field(default=None, max_length=366)
    events_per_year: whole(0, 366, "events per year") | None = None
    hours: tuple[whole(0, 24, "h"), whole(0, 24, "h")] | None = Field(
        default=None, description="local clock hours [start, end) of events; default: opening hours"
    )

    @model_validator(mode="after")
    def _one_way(self) -> EventCalendar:
        if (self.dates is None) == (self.events_per_year is None):
            raise ValueError("give exactly one of 'dates' and 'events_per_year'")
        if self.hours is not None and not 0 <= self.hours[0] < self.hours[1] <= 24:
            raise ValueError(f"hours {list(self.hours)} must satisfy 0 <= start < end <= 24")
        if self.dates is not None and len(set(self.dates)) != len(self.dates):
            twice = sorted({d for d in self.dates if self.dates.count(d) > 1})
            raise ValueError(f"dates must be distinct; given twice: {twice[0].isoformat()}")
        return self


AnnualMWh = quantity(0, MAX_ANNUAL_MWH, "MWh/yr")


class AnnualDemand(StrictModel):
    """Overrides of a building's annual demand [MWh/yr]; missing ones use the archetype."""

    heat_mwh: AnnualMWh | None = None
    dhw_mwh: AnnualMWh | None = None
    cool_mwh: AnnualMWh | None = None


class MeasuredProfile(StrictModel):
    """A measured hourly profile (CSV) that replaces the model for the columns it has."""

    file: Path
    unit: Literal["kw", "kwh_per_hour", "mw", "mwh_per_hour"] = "kw"

    _resolve_file = field_validator("file")(resolve_path)


class Building(StrictModel):
    """A building that may join the grid."""

    id: Identifier
    name: Name
    partner: Identifier
    archetype: str
    floor_area_m2: quantity(0, MAX_FLOOR_AREA_M2, "m2", low_open=True)
    location: Location
    annual_demand_mwh: AnnualDemand | None = None
    measured_profile: MeasuredProfile | None = None
    heating_supply_c: quantity(20, 95, "degC") = Field(
        default=45.0, description="supply temperature of the building's heating system [degC]"
    )
    dhw_supply_c: quantity(40, 95, "degC") = 60.0
    cooling_supply_c: quantity(5, 25, "degC") | None = Field(
        default=None,
        description="chilled-water supply temperature of the building's cooling system [degC] "
        "(6-10: air handling with dehumidification; about 16: cooling ceilings, activated "
        "slabs); default: the archetype's cooling_supply_c",
    )
    pool_water_surface_m2: quantity(0, MAX_FLOOR_AREA_M2, "m2") | None = Field(
        default=None,
        description="water surface of a swimming pool's basins [m2] (swimming_pool only); "
        "default: the archetype's water_surface_per_floor_area x floor area",
    )
    dwellings: whole(1, MAX_DWELLINGS, "dwellings") = Field(
        default=1,
        description="number of dwellings of a residential building (residential only): each "
        "dwelling is its own connection in the energy-tax brackets, with an equal share of "
        "the building's consumption",
    )
    reference_heating: Literal["gas_boiler", "air_source_heat_pump", "district_heating"] = Field(
        default="gas_boiler",
        description="the building's own heating when it is not connected (the reference case "
        "of the sizing); district_heating: bought at the tariff of the price year "
        "(data/catalogues/prices.yaml)",
    )
    connection: Literal["partial", "full"] | None = Field(
        default=None,
        description="'full': when connected, the grid and the building's own heat pump and "
        "loop-side cooling are its only supply (gas-free); 'partial': its boiler and chiller "
        "may stay as backup; default: 'full' under network.gas_free, else 'partial'",
    )
    events: EventCalendar | None = None
    phase: Literal["existing", "candidate"] = Field(
        default="existing", description="'candidate': may join in a later phase"
    )
    source: Text | None = Field(default=None, description="where this building's numbers come from")

    @model_validator(mode="after")
    def _archetype_defaults(self) -> Building:
        if self.cooling_supply_c is None:
            archetype = load_archetypes()[self.archetype]
            object.__setattr__(self, "cooling_supply_c", archetype.cooling_supply_c)
        if self.pool_water_surface_m2 is not None and self.archetype != "swimming_pool":
            raise ValueError("'pool_water_surface_m2' is only for archetype 'swimming_pool'")
        if self.dwellings != 1 and self.archetype != "residential":
            raise ValueError("'dwellings' is only for archetype 'residential'")
        return self

    @field_validator("archetype")
    @classmethod
    def _known_archetype(cls, value: str) -> str:
        names = archetype_names()
        if value not in names:
            shown = value if len(value) <= 64 else value[:61] + "..."
            raise ValueError(f"unknown archetype '{shown}'; allowed: {', '.join(names)}")
        return value
