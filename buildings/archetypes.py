"""Building archetypes: default specific demand and the parameters of the hourly shapes.

The catalogue lives in ``data/catalogues/archetypes.yaml`` with a source or an assumption for
every number; this module turns it into frozen :class:`Archetype` objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from tsg.buildings.pool import PoolParameters
from tsg.common import InputError, data_path

DAY_TYPES = ("workday", "saturday", "sunday")
"""Day types of opening hours; public holidays count as ``sunday``."""

ARCHETYPE_CATALOGUE = ("catalogues", "archetypes.yaml")


@dataclass(frozen=True)
class Archetype:
    """Default demand and hourly-shape parameters of one kind of building.

    Attributes
    ----------
    name
        Catalogue key, e.g. ``"office"``.
    heat_kwh_per_m2, dhw_kwh_per_m2, cool_kwh_per_m2
        Default specific annual space heating, domestic hot water and cooling demand
        [kWh thermal / (m2 yr)].
    design_heat_w_per_m2
        Space-heating load at the design outdoor temperature [W/m2] (see
        :mod:`buildings.heating`).
    cooling_supply_c
        Chilled-water supply temperature of the archetype's cooling system [degC] (6-10 for
        air handling with dehumidification, about 16 for cooling ceilings and slabs).
    heating_limit_c
        No space heating on days whose mean outdoor temperature reaches this [degC].
    opening_hours
        Per day type (``workday``, ``saturday``, ``sunday``) a ``(start_h, end_h)`` pair of local
        clock hours in use, or ``None`` when closed.
    base_activity
        Activity outside opening hours as a fraction of full use [-].
    event_driven
        Whether full use happens only on event days of the building's event calendar.
    cooling_balance_c
        Outdoor temperature at which the empty building starts to need cooling without sun
        [degC]; full use lowers it by ``internal_gain_k``.
    internal_gain_k
        Addition to the cooling drive at full use [K].
    solar_gain_k_per_kw_m2
        Lift of the cooling drive per kW/m2 of global horizontal irradiance [K m2/kW].
    process_cool_share
        Share of annual cooling that runs constantly [-].
    dhw_hourly_weights
        Optional 24 relative weights of hot-water use per local clock hour.
    heating_setback_share
        Space-heating load outside use (night, weekend, closed and non-event days) as a share
        of the load in use at the same outdoor temperature [-], in (0, 1]; 1: no set-back.
    heating_boost_h
        Hours before each period of use in which the heating recovers from the set-back
        (morning boost) [h]; 0: none.
    heating_boost_factor
        Load during the boost as a multiple of the load in use [-], >= 1; the boost at the
        design outdoor temperature is the design heat load (see :mod:`buildings.heating`).
    default_events_per_year
        Event days drawn when an event-driven building has no calendar of its own.
    pool
        Pool-water physics of a swimming pool (``None`` for other archetypes).
    """

    name: str
    heat_kwh_per_m2: float
    dhw_kwh_per_m2: float
    cool_kwh_per_m2: float
    design_heat_w_per_m2: float
    cooling_supply_c: float
    heating_limit_c: float
    opening_hours: dict[str, tuple[int, int] | None]
    base_activity: float
    event_driven: bool
    cooling_balance_c: float
    internal_gain_k: float
    solar_gain_k_per_kw_m2: float
    process_cool_share: float
    dhw_hourly_weights: tuple[float, ...] | None = None
    heating_setback_share: float = 1.0
    heating_boost_h: int = 0
    heating_boost_factor: float = 1.0
    default_events_per_year: int = 0
    pool: PoolParameters | None = None

    def __post_init__(self) -> None:
        for day_type in DAY_TYPES:
            hours = self.opening_hours.get(day_type)
            if hours is not None and not 0 <= hours[0] < hours[1] <= 24:
                raise ValueError(f"archetype {self.name}: opening hours {hours} not in 0..24")
        if not 0.0 <= self.base_activity <= 1.0:
            raise ValueError(f"archetype {self.name}: base_activity must be within 0..1")
        if not 0.0 <= self.process_cool_share <= 1.0:
            raise ValueError(f"archetype {self.name}: process_cool_share must be within 0..1")
        if not self.design_heat_w_per_m2 > 0.0:
            raise ValueError(f"archetype {self.name}: design_heat_w_per_m2 must be > 0")
        if not 0.0 < self.heating_setback_share <= 1.0:
            raise ValueError(f"archetype {self.name}: heating_setback_share must be in (0, 1]")
        if not 0 <= self.heating_boost_h <= 12 or not self.heating_boost_factor >= 1.0:
            raise ValueError(
                f"archetype {self.name}: heating_boost_h must be 0..12 and "
                "heating_boost_factor >= 1"
            )
        if self.dhw_hourly_weights is not None and len(self.dhw_hourly_weights) != 24:
            raise ValueError(f"archetype {self.name}: dhw_hourly_weights needs 24 values")


_NUMBER_FIELDS = (
    "heat_kwh_per_m2",
    "dhw_kwh_per_m2",
    "cool_kwh_per_m2",
    "design_heat_w_per_m2",
    "cooling_supply_c",
    "heating_limit_c",
    "base_activity",
    "cooling_balance_c",
    "internal_gain_k",
    "solar_gain_k_per_kw_m2",
    "process_cool_share",
)


def _number(value: object) -> object:
    """Return a catalogue number given bare or as ``{value: ..., source: ...}``."""
    return value["value"] if isinstance(value, dict) else value


def _heating_pattern_fields(entry: dict | None) -> dict[str, float | int]:
    """Return the set-back and boost of a catalogue entry's ``heating_pattern`` (none: flat)."""
    if entry is None:
        return {}
    boost_h = float(_number(entry["boost_h"]))
    if not boost_h.is_integer():
        raise ValueError(f"heating_pattern.boost_h must be a whole number of hours, got {boost_h}")
    return {
        "heating_setback_share": float(_number(entry["setback_share"])),
        "heating_boost_h": int(boost_h),
        "heating_boost_factor": float(_number(entry["boost_factor"])),
    }


def _archetype_from_entry(name: str, entry: dict, path: Path) -> Archetype:
    try:
        hours = {
            day: None
            if entry["opening_hours"].get(day) is None
            else tuple(entry["opening_hours"][day])
            for day in DAY_TYPES
        }
        weights = entry.get("dhw_hourly_weights")
        pool = entry.get("pool")
        return Archetype(
            name=name,
            **{field: float(_number(entry[field])) for field in _NUMBER_FIELDS},
            pool=None
            if pool is None
            else PoolParameters(**{key: float(_number(value)) for key, value in pool.items()}),
            opening_hours=hours,
            event_driven=bool(entry["event_driven"]),
            dhw_hourly_weights=None if weights is None else tuple(float(w) for w in weights),
            default_events_per_year=int(entry.get("default_events_per_year", 0)),
            **_heating_pattern_fields(entry.get("heating_pattern")),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(
            f"invalid archetype entry: {error}", file=path, field=f"archetypes.{name}"
        ) from None


def load_archetypes(path: Path | None = None) -> dict[str, Archetype]:
    """Read an archetype catalogue.

    Parameters
    ----------
    path
        A YAML catalogue with the layout of ``data/catalogues/archetypes.yaml``; ``None`` reads
        the shipped one.

    Returns
    -------
    dict[str, Archetype]
        Archetypes by name.
    """
    if path is None:
        return dict(_shipped_archetypes())
    return _read_catalogue(Path(path))


@cache
def _shipped_archetypes() -> tuple[tuple[str, Archetype], ...]:
    return tuple(_read_catalogue(data_path(*ARCHETYPE_CATALOGUE)).items())


def _read_catalogue(path: Path) -> dict[str, Archetype]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise InputError(f"cannot read archetype catalogue: {error}", file=path) from None
    if not isinstance(document, dict) or not isinstance(document.get("archetypes"), dict):
        raise InputError("expected a mapping 'archetypes: {name: {...}}'", file=path)
    return {
        name: _archetype_from_entry(name, entry, path)
        for name, entry in document["archetypes"].items()
    }


def archetype_names() -> tuple[str, ...]:
    """Names of the shipped archetypes, sorted."""
    return tuple(sorted(name for name, _ in _shipped_archetypes()))
