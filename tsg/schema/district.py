"""District file: the top level, climate, network and route, partners and barriers."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from pydantic import Field, field_validator, model_validator

from tsg.schema.buildings import Building
from tsg.schema.design_limits import DesignLimitsOverride
from tsg.schema.economics import Economics
from tsg.schema.replay import Replay
from tsg.schema.scaling import Scaling
from tsg.schema.sources import Source
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

MAX_BUILDINGS = 2000
"""Most buildings in one district file."""


@cache
def holiday_countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes whose public holidays the ``holidays`` package knows."""
    return frozenset(holidays.list_supported_countries())


class Climate(StrictModel):
    """Where the hourly weather comes from.

    ``dwd_try``: the built-in DWD test reference year (shipped with demandlib), relabelled to
    ``year``; ``epw``: an EnergyPlus weather file; ``knmi``: a KNMI hourly station file
    ("uurgegevens").
    """

    source: Literal["dwd_try", "epw", "knmi"] = "dwd_try"
    year: whole(1900, 2100) = 2025
    region: whole(1, 15) | None = Field(
        default=None,
        description="DWD TRY climate region (dwd_try only; default 1, North Sea coast)",
    )
    file: Path | None = Field(default=None, description="weather file (epw, knmi)")
    station: whole(1, 9999) | None = Field(
        default=None, description="KNMI station number (knmi only)"
    )
    design_temperature_c: quantity(-30, 10, "degC") = Field(
        default=-10.0,
        description="design outdoor temperature of the buildings' heat load [degC] (-10 in "
        "the Netherlands: ISSO 51, NEN-EN 12831); the archetypes' W/m2 hold at it",
    )

    _resolve_file = field_validator("file")(resolve_path)

    @model_validator(mode="after")
    def _fields_fit_source(self) -> Climate:
        if self.source in ("epw", "knmi") and self.file is None:
            raise ValueError(f"climate source '{self.source}' needs 'file'")
        if self.source == "dwd_try" and self.file is not None:
            raise ValueError("climate source 'dwd_try' is built in and takes no 'file'")
        if self.source != "dwd_try" and self.region is not None:
            raise ValueError("'region' is only for climate source 'dwd_try'")
        if self.source != "knmi" and self.station is not None:
            raise ValueError("'station' is only for climate source 'knmi'")
        return self


class RouteEdge(StrictModel):
    """One trench between two nodes (building or source ids)."""

    from_id: Identifier
    to_id: Identifier
    length_m: quantity(0, 100_000, "m", low_open=True) | None = Field(
        default=None, description="trench length [m]; default: straight distance x detour factor"
    )


class Route(StrictModel):
    """Where the trenches run.

    Give ``geojson`` or ``geopackage`` (LineStrings or MultiLineStrings whose line ends lie
    within ``snap_tolerance_m`` of a building or source) or ``edges``; with none, the toolkit
    proposes a minimum spanning tree over the buildings and sources with lengths = straight
    distance x ``detour_factor``.
    """

    geojson: Path | None = None
    geopackage: Path | None = Field(
        default=None,
        description='a GeoPackage (.gpkg, read with pyogrio: pip install ".[gis]") with the '
        "trench lines; its coordinate system (EPSG:28992 or EPSG:4326) comes from the file",
    )
    layer: Text | None = Field(
        default=None,
        description="the GeoPackage layer with the trench lines; default: its only line layer",
    )
    crs: Literal["EPSG:4326", "EPSG:28992"] = Field(
        default="EPSG:4326",
        description="coordinate system of the GeoJSON positions: EPSG:4326 (WGS84, [lon, lat] "
        "in degrees, RFC 7946) or EPSG:28992 (RD New, [x, y] in metres)",
    )
    edges: list[RouteEdge] | None = Field(default=None, max_length=20_000)
    detour_factor: quantity(1, 3, "-") = 1.2
    snap_tolerance_m: quantity(0, 100, "m", low_open=True) = 5.0

    _resolve_geojson = field_validator("geojson", "geopackage")(resolve_path)

    @property
    def is_proposed(self) -> bool:
        """Whether the toolkit proposes the route (no GeoJSON, GeoPackage or edges given)."""
        return self.line_file is None and self.edges is None

    @property
    def line_file(self) -> Path | None:
        """The GeoJSON or GeoPackage file with the trench lines, if one is given."""
        return self.geojson if self.geojson is not None else self.geopackage

    @model_validator(mode="after")
    def _one_way(self) -> Route:
        given = [k for k in ("geojson", "geopackage", "edges") if getattr(self, k) is not None]
        if len(given) > 1:
            raise ValueError(f"give one of 'geojson', 'geopackage' and 'edges', not {given}")
        if self.geojson is not None and self.geojson.suffix.lower() == ".gpkg":
            raise ValueError("a .gpkg file is a GeoPackage: give it as 'geopackage'")
        if self.layer is not None and self.geopackage is None:
            raise ValueError("'layer' names a layer of a 'geopackage'")
        if self.geopackage is not None and "crs" in self.model_fields_set:
            raise ValueError(
                "the coordinate system of a GeoPackage comes from the file; leave out 'crs'"
            )
        return self


class Network(StrictModel):
    """The two-pipe ambient loop: temperature levels [degC], route and design limits."""

    warm_line_c: quantity(0, 40, "degC")
    cold_line_c: quantity(0, 40, "degC")
    source: Text | None = Field(default=None, description="where the levels come from")
    route: Route = Route()
    design_limits: DesignLimitsOverride | None = Field(
        default=None,
        description="overrides of data/catalogues/design_limits.yaml (velocity, pressure "
        "gradient, pump heads, temperature band, inlet drift)",
    )
    gas_free: bool = Field(
        default=False,
        description="district policy: no building keeps gas; every connection is 'full' and "
        "a building that stays off the grid heats with an air-source heat pump instead of a "
        "gas boiler",
    )

    @model_validator(mode="after")
    def _warm_above_cold(self) -> Network:
        if self.warm_line_c <= self.cold_line_c:
            raise ValueError(
                f"warm_line_c ({self.warm_line_c}) must be above cold_line_c ({self.cold_line_c})"
            )
        return self


Level = Literal["low", "medium", "high"]


class Partner(StrictModel):
    """An alliance partner (stakeholder)."""

    id: Identifier
    name: Name
    role: Literal[
        "municipality",
        "energy_company",
        "developer",
        "venue",
        "building_owner",
        "housing_association",
        "health_care",
        "education",
        "other",
    ]
    interests: list[Text] = Field(default_factory=list, max_length=50)
    influence: Level = "medium"
    interest: Level = Field(default="medium", description="how much the grid matters to them")


class Barrier(StrictModel):
    """An obstacle on the way to the grid, tracked like a risk register."""

    id: Identifier
    description: Text
    type: Literal["legal", "financial", "organisational", "technical", "social"]
    status: Literal["open", "in_progress", "resolved", "accepted"] = "open"
    parameter: Annotated[str, Field(max_length=300)] | None = Field(
        default=None,
        description="dotted path of the scenario parameter it affects, e.g. "
        "'sources.ates.thermal_balance_tolerance' (section, id of a building, source or "
        "partner, field); checked against the district",
    )
    owner: Identifier | None = Field(default=None, description="partner who owns it")


class District(StrictModel):
    """A district: its buildings, partners, sources, economics and barriers."""

    id: Identifier
    name: Name
    description: Text | None = None
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = Field(
        default="NL",
        description="ISO 3166-1 alpha-2 code of a country the 'holidays' package knows",
    )
    location: Location
    time_zone: Annotated[str, Field(max_length=64)] = "Europe/Amsterdam"
    report_language: Literal["en", "nl"] = Field(
        default="en",
        description="default language of tsg report and tsg summary (--lang overrides it)",
    )
    climate: Climate = Climate()
    network: Network
    partners: Annotated[list[Partner], Field(min_length=1, max_length=200)]
    buildings: Annotated[list[Building], Field(min_length=1, max_length=MAX_BUILDINGS)]
    sources: list[Source] = Field(default_factory=list, max_length=200)
    economics: Economics = Economics()
    barriers: list[Barrier] = Field(default_factory=list, max_length=500)
    seed: whole(0, 2**31 - 1) = Field(
        default=0, description="seed of every random draw (event calendars)"
    )
    scaling: Scaling | None = Field(
        default=None, description="scaling scenarios for the scaling stage of tsg run"
    )
    replay: Replay | None = Field(
        default=None,
        description="a historical decision to compare the design with, and the threshold "
        "search that flips each building's connection (replay stage of tsg run)",
    )

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError(f"unknown time zone '{value}'; use an IANA name") from None
        return value

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        if value not in holiday_countries():
            raise ValueError(
                f"country '{value}' is not known to the 'holidays' package (public holidays); "
                f"use an ISO 3166-1 alpha-2 code such as NL, BE, DE, DK, GB"
            )
        return value
