"""The district file: pydantic models of the one input a user writes.

Unknown keys are rejected everywhere (``extra="forbid"``) and models are frozen. Paths given
in the file are resolved against the district file's folder by :mod:`tsg.district`. Units are
in the field names.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    FiniteFloat,
    ValidationInfo,
    field_validator,
    model_validator,
)

from tsg.buildings.archetypes import archetype_names
from tsg.design_limits_schema import DesignLimitsOverride

Identifier = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        max_length=64,
        description="lower-case letters, digits, '-' and '_'; starts with a letter or digit",
    ),
]
NonNegative = Annotated[FiniteFloat, Field(ge=0)]
Positive = Annotated[FiniteFloat, Field(gt=0)]
Level = Literal["low", "medium", "high"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _resolve(path: Path | None, info: ValidationInfo) -> Path | None:
    base_dir = (info.context or {}).get("base_dir")
    if path is None or path.is_absolute() or base_dir is None:
        return path
    return (Path(base_dir) / path).resolve()


class Location(_Model):
    """A point in WGS84 (EPSG:4326)."""

    latitude_deg: Annotated[FiniteFloat, Field(ge=-90, le=90)]
    longitude_deg: Annotated[FiniteFloat, Field(ge=-180, le=180)]


class Climate(_Model):
    """Where the hourly weather comes from.

    ``dwd_try``: the built-in DWD test reference year (shipped with demandlib), relabelled to
    ``year``; ``epw``: an EnergyPlus weather file; ``knmi``: a KNMI hourly station file
    ("uurgegevens").
    """

    source: Literal["dwd_try", "epw", "knmi"] = "dwd_try"
    year: Annotated[int, Field(ge=1900, le=2100)] = 2025
    region: Annotated[int, Field(ge=1, le=15)] | None = Field(
        default=None,
        description="DWD TRY climate region (dwd_try only; default 1, North Sea coast)",
    )
    file: Path | None = Field(default=None, description="weather file (epw, knmi)")
    station: int | None = Field(default=None, description="KNMI station number (knmi only)")

    _resolve_file = field_validator("file")(_resolve)

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


class RouteEdge(_Model):
    """One trench between two nodes (building or source ids)."""

    from_id: Identifier
    to_id: Identifier
    length_m: Positive | None = Field(
        default=None, description="trench length [m]; default: straight distance x detour factor"
    )


class Route(_Model):
    """Where the trenches run.

    Give ``geojson`` (LineStrings in WGS84 whose ends lie within ``snap_tolerance_m`` of a
    building or source) or ``edges``; with neither, the toolkit proposes a minimum spanning
    tree over the buildings and sources with lengths = straight distance x ``detour_factor``.
    """

    geojson: Path | None = None
    edges: list[RouteEdge] | None = None
    detour_factor: Annotated[FiniteFloat, Field(ge=1, le=3)] = 1.2
    snap_tolerance_m: Annotated[FiniteFloat, Field(gt=0, le=100)] = 5.0

    _resolve_geojson = field_validator("geojson")(_resolve)

    @property
    def is_proposed(self) -> bool:
        """Whether the toolkit proposes the route (neither GeoJSON nor edges given)."""
        return self.geojson is None and self.edges is None

    @model_validator(mode="after")
    def _one_way(self) -> Route:
        if self.geojson is not None and self.edges is not None:
            raise ValueError("give either 'geojson' or 'edges', not both")
        return self


class Network(_Model):
    """The two-pipe ambient loop: temperature levels [degC], route and design limits."""

    warm_line_c: Annotated[FiniteFloat, Field(ge=0, le=40)]
    cold_line_c: Annotated[FiniteFloat, Field(ge=0, le=40)]
    source: str | None = Field(default=None, description="where the levels come from")
    route: Route = Route()
    design_limits: DesignLimitsOverride | None = Field(
        default=None,
        description="overrides of data/catalogues/design_limits.yaml (velocity, pressure "
        "gradient, pump heads, temperature band, inlet drift)",
    )

    @model_validator(mode="after")
    def _warm_above_cold(self) -> Network:
        if self.warm_line_c <= self.cold_line_c:
            raise ValueError(
                f"warm_line_c ({self.warm_line_c}) must be above cold_line_c ({self.cold_line_c})"
            )
        return self


class Partner(_Model):
    """An alliance partner (stakeholder)."""

    id: Identifier
    name: str
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
    interests: list[str] = Field(default_factory=list)
    influence: Level = "medium"
    interest: Level = Field(default="medium", description="how much the grid matters to them")


class EventCalendar(_Model):
    """Event days of an event-driven building: explicit dates or a number to draw."""

    dates: list[dt.date] | None = None
    events_per_year: Annotated[int, Field(ge=0, le=366)] | None = None
    hours: tuple[int, int] | None = Field(
        default=None, description="local clock hours [start, end) of events; default: opening hours"
    )

    @model_validator(mode="after")
    def _one_way(self) -> EventCalendar:
        if (self.dates is None) == (self.events_per_year is None):
            raise ValueError("give exactly one of 'dates' and 'events_per_year'")
        if self.hours is not None and not 0 <= self.hours[0] < self.hours[1] <= 24:
            raise ValueError(f"hours {list(self.hours)} must satisfy 0 <= start < end <= 24")
        return self


class AnnualDemand(_Model):
    """Overrides of a building's annual demand [MWh/yr]; missing ones use the archetype."""

    heat_mwh: NonNegative | None = None
    dhw_mwh: NonNegative | None = None
    cool_mwh: NonNegative | None = None


class MeasuredProfile(_Model):
    """A measured hourly profile (CSV) that replaces the model for the columns it has."""

    file: Path
    unit: Literal["kw", "kwh_per_hour", "mw", "mwh_per_hour"] = "kw"

    _resolve_file = field_validator("file")(_resolve)


class Building(_Model):
    """A building that may join the grid."""

    id: Identifier
    name: str
    partner: Identifier
    archetype: str
    floor_area_m2: Positive
    location: Location
    annual_demand_mwh: AnnualDemand | None = None
    measured_profile: MeasuredProfile | None = None
    heating_supply_c: Annotated[FiniteFloat, Field(ge=20, le=95)] = Field(
        default=45.0, description="supply temperature of the building's heating system [degC]"
    )
    dhw_supply_c: Annotated[FiniteFloat, Field(ge=40, le=95)] = 60.0
    cooling_supply_c: Annotated[FiniteFloat, Field(ge=5, le=25)] = Field(
        default=16.0,
        description="chilled-water supply temperature of the building's cooling system [degC] "
        "(16: cooling ceilings, activated slabs, air handling without deep dehumidification)",
    )
    reference_heating: Literal["gas_boiler", "air_source_heat_pump"] = Field(
        default="gas_boiler",
        description="the building's own heating when it is not connected (the reference case "
        "of the sizing)",
    )
    events: EventCalendar | None = None
    phase: Literal["existing", "candidate"] = Field(
        default="existing", description="'candidate': may join in a later phase"
    )
    source: str | None = Field(default=None, description="where this building's numbers come from")

    @field_validator("archetype")
    @classmethod
    def _known_archetype(cls, value: str) -> str:
        names = archetype_names()
        if value not in names:
            raise ValueError(f"unknown archetype '{value}'; allowed: {', '.join(names)}")
        return value


class AquiferStorage(_Model):
    """Aquifer thermal energy storage (ATES, Dutch WKO) as balancing unit."""

    type: Literal["ates"]
    id: Identifier
    name: str
    partner: Identifier | None = None
    location: Location
    max_flow_m3_per_h: Positive = Field(description="pump capacity of one well [m3/h]")
    warm_well_c: Annotated[FiniteFloat, Field(ge=0, le=40)]
    cold_well_c: Annotated[FiniteFloat, Field(ge=0, le=40)]
    thermal_balance_tolerance: Annotated[FiniteFloat, Field(ge=0, le=1)] = Field(
        default=0.1,
        description="allowed annual imbalance |heat in - heat out| / max(in, out) [-]",
    )
    source: str | None = None


class WasteHeat(_Model):
    """A waste-heat source that can feed the warm line."""

    type: Literal["waste_heat"]
    id: Identifier
    name: str
    partner: Identifier | None = None
    location: Location
    temperature_c: Annotated[FiniteFloat, Field(ge=0, le=100)]
    capacity_kw: Positive
    annual_mwh: NonNegative | None = None
    price_eur_per_mwh: NonNegative = Field(
        default=0.0,
        description="price paid per MWh of heat delivered to the warm line [EUR/MWh] "
        "(default 0: the owner gives it away to be rid of it)",
    )
    source: str | None = None


class _PlantSite(_Model):
    """A site where the optimiser may build a central plant (the plant's own fields below)."""

    id: Identifier
    name: str
    partner: Identifier | None = Field(
        default=None, description="owner of the site; none: available to every coalition"
    )
    location: Location
    source: str | None = Field(default=None, description="where these numbers come from")


class DryCooler(_PlantSite):
    """A site where the optimiser may build a dry cooler: removes heat from the loop to the air."""

    type: Literal["dry_cooler"]
    max_capacity_kw: Positive | None = Field(
        default=None, description="largest thermal capacity it may get [kW]; default: no limit"
    )


class CentralHeatPump(_PlantSite):
    """A site where the optimiser may build an air-to-water heat pump that heats the loop."""

    type: Literal["central_heat_pump"]
    max_capacity_kw: Positive | None = Field(
        default=None, description="largest heat output it may get [kW]; default: no limit"
    )


class ThermalStorage(_PlantSite):
    """A site where the optimiser may build a water buffer (short-term storage) on the loop."""

    type: Literal["thermal_storage"]
    max_capacity_kwh: Positive | None = Field(
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

SensitivityFactors = Annotated[
    list[Positive],
    Field(
        max_length=20,
        description="multipliers of the base value [-], each > 0; [] = do not vary",
    ),
]


class Sensitivity(_Model):
    """Ranges of the sizing sensitivity table: factors on the base values.

    A parameter left out is varied by the default factors x0.7 and x1.3 (``tsg size``); an
    empty list leaves it out of the table.
    """

    gas_price: SensitivityFactors | None = Field(
        default=None, description="factors on the gas price [-], e.g. [0.7, 1.3]"
    )
    electricity_price: SensitivityFactors | None = Field(
        default=None, description="factors on the electricity price [-]"
    )
    capex_factor: SensitivityFactors | None = Field(
        default=None, description="factors on every investment (pipes, machines, wells) [-]"
    )
    source: str | None = Field(default=None, description="where the ranges come from")

    @field_validator("gas_price", "electricity_price", "capex_factor")
    @classmethod
    def _distinct(cls, value: list[float] | None) -> list[float] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError(f"factors must be distinct, got {value}")
        return value


class Economics(_Model):
    """Overrides of the economic defaults and the ranges of the sizing sensitivity table.

    The defaults are in ``data/catalogues/economics.yaml``.
    """

    gas_price_eur_per_m3: NonNegative | None = None
    electricity_price_eur_per_kwh: NonNegative | None = None
    co2_price_eur_per_t: NonNegative | None = None
    discount_rate: Annotated[FiniteFloat, Field(ge=0, le=0.5)] | None = None
    gas_emission_kg_per_m3: NonNegative | None = None
    electricity_emission_kg_per_kwh: NonNegative | None = None
    lifetimes_yr: dict[str, Annotated[int, Field(ge=1, le=100)]] = Field(default_factory=dict)
    sensitivity: Sensitivity | None = Field(
        default=None,
        description="ranges of the sizing sensitivity table (default: x0.7 and x1.3 in tsg size, "
        "no table in tsg run)",
    )


class Barrier(_Model):
    """An obstacle on the way to the grid, tracked like a risk register."""

    id: Identifier
    description: str
    type: Literal["legal", "financial", "organisational", "technical", "social"]
    status: Literal["open", "in_progress", "resolved", "accepted"] = "open"
    parameter: str | None = Field(
        default=None,
        description="dotted path of the scenario parameter it affects, e.g. "
        "'sources.ates.thermal_balance_tolerance'",
    )
    owner: Identifier | None = Field(default=None, description="partner who owns it")


class TranslationScenario(_Model):
    """Carry this district's design choices to a target district and compare the KPIs."""

    target: str = Field(
        description="built-in district name, or a district file / folder (relative to this file)"
    )
    stability: bool = Field(
        default=False, description="also check the core of both coalition games (2^n - 1 solves)"
    )

    @field_validator("target")
    @classmethod
    def _resolve_target(cls, value: str, info: ValidationInfo) -> str:
        base_dir = (info.context or {}).get("base_dir")
        looks_like_path = "/" in value or value.endswith((".yaml", ".yml"))
        if base_dir is None or not looks_like_path or Path(value).is_absolute():
            return value
        return str((Path(base_dir) / value).resolve())


class SpreadingScenario(_Model):
    """Grow the district step by step with its candidate buildings (``phase: candidate``)."""

    order: Literal["distance", "marginal"] = "distance"
    steps: Annotated[int, Field(ge=1, le=500)] | None = Field(
        default=None, description="number of steps (default: every candidate)"
    )
    candidates_file: Path | None = Field(
        default=None, description="district file whose buildings are added as candidates"
    )
    stability: Literal["none", "screen", "exact"] = Field(
        default="none",
        description="core check per step: screen (2n extra solves, proves an empty core) or "
        "exact (every coalition, up to 8 partners)",
    )

    _resolve_candidates = field_validator("candidates_file")(_resolve)


class MinimumScaleScenario(_Model):
    """Break-even search along a family of scaled copies of the district."""

    family: Literal["size", "density"] = Field(
        default="size", description="size: demand x factor; density: distances / factor"
    )
    low_factor: Annotated[FiniteFloat, Field(gt=0, le=100)] = 0.05
    high_factor: Annotated[FiniteFloat, Field(gt=0, le=100)] = 2.0
    points: Annotated[int, Field(ge=3, le=60)] = Field(
        default=12, description="log-spaced curve points"
    )
    tolerance: Annotated[FiniteFloat, Field(gt=0, le=1)] = Field(
        default=0.01, description="width of the break-even bracket [factor]"
    )

    @model_validator(mode="after")
    def _ordered(self) -> MinimumScaleScenario:
        if not self.low_factor < self.high_factor:
            raise ValueError(
                f"low_factor ({self.low_factor}) must be below high_factor ({self.high_factor})"
            )
        return self


class Scaling(_Model):
    """Scaling scenarios computed by the scaling stage of ``tsg run`` (``DIR/scaling/``)."""

    typical_periods: Annotated[int, Field(ge=1, le=52)] = Field(
        default=3, description="typical days per sizing (many sizings: keep it small)"
    )
    mip_gap: Annotated[FiniteFloat, Field(ge=0, lt=0.5)] = Field(
        default=0.03, description="relative MIP gap per sizing [-]"
    )
    translations: list[TranslationScenario] = Field(default_factory=list)
    spreading: SpreadingScenario | None = None
    minimum_scale: MinimumScaleScenario | None = None


class District(_Model):
    """A district: its buildings, partners, sources, economics and barriers."""

    id: Identifier
    name: str
    description: str | None = None
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "NL"
    location: Location
    time_zone: str = "Europe/Amsterdam"
    climate: Climate = Climate()
    network: Network
    partners: Annotated[list[Partner], Field(min_length=1)]
    buildings: Annotated[list[Building], Field(min_length=1)]
    sources: list[Source] = Field(default_factory=list)
    economics: Economics = Economics()
    barriers: list[Barrier] = Field(default_factory=list)
    seed: int = Field(default=0, description="seed of every random draw (event calendars)")
    scaling: Scaling | None = Field(
        default=None, description="scaling scenarios for the scaling stage of tsg run"
    )

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{value}'; use an IANA name") from None
        return value


def reference_problems(district: District) -> list[tuple[str, str]]:
    """Cross-references that pydantic cannot check field by field.

    Returns
    -------
    list[tuple[str, str]]
        ``(field path, message)`` for every duplicate id and every reference to a partner that
        does not exist; empty when all is well.
    """
    problems: list[tuple[str, str]] = []
    for kind in ("partners", "buildings", "sources", "barriers"):
        seen: set[str] = set()
        for position, item in enumerate(getattr(district, kind)):
            if item.id in seen:
                problems.append((f"{kind}[{position}].id", f"id '{item.id}' is used twice"))
            seen.add(item.id)
    partner_ids = {p.id for p in district.partners}
    references = [(f"buildings[{i}].partner", b.partner) for i, b in enumerate(district.buildings)]
    references += [(f"sources[{i}].partner", s.partner) for i, s in enumerate(district.sources)]
    references += [(f"barriers[{i}].owner", b.owner) for i, b in enumerate(district.barriers)]
    node_ids = {b.id for b in district.buildings} | {s.id for s in district.sources}
    for position, edge in enumerate(district.network.route.edges or []):
        for end in ("from_id", "to_id"):
            if getattr(edge, end) not in node_ids:
                problems.append(
                    (
                        f"network.route.edges[{position}].{end}",
                        f"'{getattr(edge, end)}' is neither a building nor a source id",
                    )
                )
    for field, partner in references:
        if partner is not None and partner not in partner_ids:
            problems.append(
                (field, f"partner '{partner}' is not among the partners: {sorted(partner_ids)}")
            )
    return problems
