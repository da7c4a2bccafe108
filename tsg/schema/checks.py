"""Rules across fields of a district that pydantic cannot check one field at a time.

Each rule returns ``(field path, message)`` pairs; :func:`reference_problems` collects them.
The rules, as the messages state them:

* ids are unique among partners and among barriers, and one id names at most one building or
  source (the network's nodes share one namespace);
* every partner, owner and route-edge end refers to something that exists; a route edge joins
  two different nodes and no pair twice;
* the time zone's UTC offset is a whole number of hours throughout the climate year (the
  profiles are hourly; Europe/Amsterdam was not, before 1940);
* a drawn event calendar has at most as many events as the climate year has days, and
  explicit event dates lie in the climate year;
* a barrier's ``parameter`` is a dotted path that exists in the district (a list section is
  followed by the id of one of its items, e.g. ``sources.ates.thermal_balance_tolerance``);
* the buildings of a ``replay`` decision exist;
* locations: distances are computed in Dutch RD New (EPSG:28992), so every location lies
  within :data:`MAX_CRS_DISTANCE_KM` of its origin (Amersfoort), where its distances are off by
  less than 1 %; every building and source lies within :data:`MAX_EXTENT_KM` of the district's
  ``location``; no two buildings or sources are closer than :data:`MIN_SEPARATION_M`.
"""

from __future__ import annotations

import calendar
import math
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel
from scipy.spatial import cKDTree

from tsg.schema.district import District
from tsg.schema.types import Location

Problem = tuple[str, str]

RD_NEW_ORIGIN_DEG = (52.15517, 5.38721)
"""Latitude and longitude of the origin of RD New (Amersfoort) [deg]."""
MAX_CRS_DISTANCE_KM = 1000.0
"""Largest distance of a location from the RD New origin [km]."""
MAX_EXTENT_KM = 25.0
"""Largest distance of a building or source from the district's location [km]."""
MIN_SEPARATION_M = 1.0
"""Smallest distance between two buildings or sources [m]."""
EARTH_RADIUS_M = 6_371_000.0


def _great_circle_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _nodes(district: District) -> list[tuple[str, str, Location]]:
    """(field path, id, location) of every building and source."""
    nodes = [(f"buildings[{i}]", b.id, b.location) for i, b in enumerate(district.buildings)]
    nodes += [(f"sources[{i}]", s.id, s.location) for i, s in enumerate(district.sources)]
    return nodes


def _duplicate_ids(district: District) -> list[Problem]:
    problems: list[Problem] = []
    for kind in ("partners", "barriers"):
        seen: set[str] = set()
        for position, item in enumerate(getattr(district, kind)):
            if item.id in seen:
                problems.append((f"{kind}[{position}].id", f"id '{item.id}' is used twice"))
            seen.add(item.id)
    first: dict[str, str] = {}
    for field, node_id, _ in _nodes(district):
        if node_id in first:
            problems.append(
                (
                    f"{field}.id",
                    f"id '{node_id}' is used twice (also {first[node_id]}); buildings and "
                    "sources share one set of ids",
                )
            )
        first.setdefault(node_id, field)
    return problems


def _references(district: District) -> list[Problem]:
    problems: list[Problem] = []
    partner_ids = {p.id for p in district.partners}
    references = [(f"buildings[{i}].partner", b.partner) for i, b in enumerate(district.buildings)]
    references += [(f"sources[{i}].partner", s.partner) for i, s in enumerate(district.sources)]
    references += [(f"barriers[{i}].owner", b.owner) for i, b in enumerate(district.barriers)]
    node_ids = {b.id for b in district.buildings} | {s.id for s in district.sources}
    pairs: dict[tuple[str, ...], int] = {}
    for position, edge in enumerate(district.network.route.edges or []):
        field = f"network.route.edges[{position}]"
        for end in ("from_id", "to_id"):
            if getattr(edge, end) not in node_ids:
                problems.append(
                    (
                        f"{field}.{end}",
                        f"'{getattr(edge, end)}' is neither a building nor a source id",
                    )
                )
        if edge.from_id == edge.to_id:
            problems.append(
                (field, f"edge joins '{edge.from_id}' to itself; a trench joins two nodes")
            )
        pair = tuple(sorted((edge.from_id, edge.to_id)))
        if pair in pairs:
            problems.append(
                (field, f"edge {list(pair)} is given twice (also edges[{pairs[pair]}])")
            )
        pairs.setdefault(pair, position)
    for field, partner in references:
        if partner is not None and partner not in partner_ids:
            problems.append(
                (field, f"partner '{partner}' is not among the partners: {sorted(partner_ids)}")
            )
    return problems


def _calendars(district: District) -> list[Problem]:
    year = district.climate.year
    days = 366 if calendar.isleap(year) else 365
    problems: list[Problem] = []
    for position, building in enumerate(district.buildings):
        events = building.events
        if events is None:
            continue
        field = f"buildings[{position}].events"
        if events.events_per_year is not None and events.events_per_year > days:
            problems.append(
                (
                    f"{field}.events_per_year",
                    f"{events.events_per_year} events do not fit in the {days} days of the "
                    f"climate year {year}; allowed: 0 to {days}",
                )
            )
        outside = [d for d in events.dates or [] if d.year != year]
        if outside:
            problems.append(
                (
                    f"{field}.dates",
                    f"date {outside[0].isoformat()} is not in the climate year {year} "
                    "(climate.year); give dates of that year",
                )
            )
    return problems


def _time_zone(district: District) -> list[Problem]:
    """Check that the time zone is a whole number of hours from UTC all the climate year."""
    year = district.climate.year
    start = pd.Timestamp(year=year, month=1, day=1, tz="UTC") - pd.Timedelta(days=1)
    hours = pd.date_range(start, periods=(367 + 2) * 24, freq="h")
    local = hours.tz_convert(district.time_zone).tz_localize(None)
    offsets = (local - hours.tz_localize(None)).total_seconds()
    odd = np.flatnonzero(np.asarray(offsets) % 3600 != 0)
    if not odd.size:
        return []
    seconds = int(offsets[odd[0]])
    sign, seconds = ("+" if seconds >= 0 else "-"), abs(seconds)
    text = f"{sign}{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return [
        (
            "time_zone",
            f"'{district.time_zone}' is UTC{text} in the climate year {year} (climate.year); "
            "the hourly profiles need a time zone whose offset is a whole number of hours "
            "throughout the year",
        )
    ]


def _parameter_problem(district: District, path: str) -> str | None:
    """Why a barrier's dotted parameter path does not exist in the district (``None``: fine)."""
    parts = path.split(".")
    node: Any = district
    walked: list[str] = []
    for part in parts:
        where = ".".join(walked) or "the district"
        if isinstance(node, BaseModel):
            fields = type(node).model_fields
            if part not in fields:
                return f"'{part}' is not a field of {where}; fields: {', '.join(fields)}"
            node = getattr(node, part)
        elif isinstance(node, list | tuple) and all(hasattr(i, "id") for i in node):
            ids = {item.id: item for item in node}
            if part not in ids:
                shown = ", ".join(sorted(ids)) or "none"
                return f"'{part}' is not an id in {where}; ids: {shown}"
            node = ids[part]
        elif isinstance(node, dict):
            if part not in node:
                return (
                    f"'{part}' is not a key of {where}; keys: {', '.join(map(str, node)) or 'none'}"
                )
            node = node[part]
        elif node is None:
            return None  # an optional section left out: its fields may still be a scenario
        else:
            return f"{where} is a value, it has no part '{part}'"
        walked.append(part)
    return None


def _barrier_parameters(district: District) -> list[Problem]:
    problems = []
    for position, barrier in enumerate(district.barriers):
        if barrier.parameter is None:
            continue
        reason = _parameter_problem(district, barrier.parameter)
        if reason is not None:
            problems.append(
                (
                    f"barriers[{position}].parameter",
                    f"'{barrier.parameter}' does not exist: {reason} (write section.id.field, "
                    "e.g. sources.ates.thermal_balance_tolerance)",
                )
            )
    return problems


def _positions(district: District) -> list[Problem]:
    nodes = _nodes(district)
    centre = (district.location.latitude_deg, district.location.longitude_deg)
    located = [("location", "the district", district.location)] + [
        (f"{f}.location", f"'{i}'", loc) for f, i, loc in nodes
    ]
    for field, _, loc in located:
        point = (loc.latitude_deg, loc.longitude_deg)
        far_km = _great_circle_m(point, RD_NEW_ORIGIN_DEG) / 1000
        if far_km > MAX_CRS_DISTANCE_KM:
            return [
                (
                    field,
                    f"({point[0]:g}, {point[1]:g}) lies {far_km:,.0f} km from Amersfoort; the "
                    "toolkit measures distances in Dutch RD New (EPSG:28992), so locations must "
                    f"lie within {MAX_CRS_DISTANCE_KM:,.0f} km of it (latitude_deg, longitude_deg "
                    "in WGS84 degrees)",
                )
            ]
    for field, label, loc in located[1:]:
        far_km = _great_circle_m((loc.latitude_deg, loc.longitude_deg), centre) / 1000
        if far_km > MAX_EXTENT_KM:
            return [
                (
                    field,
                    f"{label} lies {far_km:,.1f} km from the district location; every building "
                    f"and source must lie within {MAX_EXTENT_KM:g} km of it",
                )
            ]
    if len(nodes) < 2:
        return []
    lat = np.radians([loc.latitude_deg for _, _, loc in nodes])
    lon = np.radians([loc.longitude_deg for _, _, loc in nodes])
    xy = EARTH_RADIUS_M * np.column_stack(
        [(lon - math.radians(centre[1])) * math.cos(math.radians(centre[0])), lat]
    )
    close = sorted(cKDTree(xy).query_pairs(MIN_SEPARATION_M))
    if not close:
        return []
    i, j = close[0]
    distance = float(np.hypot(*(xy[i] - xy[j])))
    return [
        (
            f"{nodes[j][0]}.location",
            f"'{nodes[j][1]}' lies {distance:.1f} m from {nodes[i][0]} ('{nodes[i][1]}'); every "
            f"building and source needs its own position, at least {MIN_SEPARATION_M:g} m apart",
        )
    ]


def _gas_free(district: District) -> list[Problem]:
    """Under ``network.gas_free`` no building may ask for a partial connection."""
    if not district.network.gas_free:
        return []
    return [
        (
            f"buildings[{i}].connection",
            "'partial' keeps a gas boiler next to the grid, which network.gas_free forbids; "
            "use 'full' or leave it out",
        )
        for i, b in enumerate(district.buildings)
        if b.connection == "partial"
    ]


def _replay_buildings(district: District) -> list[Problem]:
    if district.replay is None:
        return []
    known = {b.id for b in district.buildings}
    decision = district.replay.decision
    return [
        (f"replay.decision.{side}", f"unknown building '{bid}'")
        for side in ("connected", "not_connected")
        for bid in getattr(decision, side)
        if bid not in known
    ]


def reference_problems(district: District) -> list[Problem]:
    """Cross-field rules of a validated district (see the module docstring).

    Returns
    -------
    list[tuple[str, str]]
        ``(field path, message)`` for every broken rule; empty when all is well.
    """
    return (
        _duplicate_ids(district)
        + _references(district)
        + _calendars(district)
        + _time_zone(district)
        + _barrier_parameters(district)
        + _positions(district)
        + _gas_free(district)
        + _replay_buildings(district)
    )
