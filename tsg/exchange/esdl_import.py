"""An ESDL energy system as a district file.

What becomes what:

- ``esdl.Building`` (and ``BuildingUnit``/``GenericBuilding``) -> a building: id, name, floor
  area, location (point or polygon centre; RD New converted to WGS84), owner -> partner,
  archetype (from the exporter's description, else the ESDL building type), annual demand from
  its ``HeatingDemand`` (space heating, hot tap water) and ``CoolingDemand`` assets [MWh/yr];
- a ``HeatingDemand``/``CoolingDemand`` outside a building (an aggregated consumer) -> a
  building of its own (archetype office, floor area from its heat demand and the archetype's
  intensity);
- ``ATES`` -> ``ates``, ``ResidualHeatSource`` -> ``waste_heat``, ``HeatPump`` outside a
  building -> ``central_heat_pump``, ``HeatStorage`` -> ``thermal_storage``, and any asset
  whose description starts with ``tsg source: <type>``;
- ``Pipe`` -> a route edge between the buildings or sources at its ends (followed through
  joints, else the nearest node within 25 m of the line's end); when a pipe cannot be placed
  the route is left to the toolkit;
- the ``HeatCommodity`` with temperatures between 0 and 40 degC -> the loop temperatures.

Every other asset is listed in one warning.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx

from tsg.buildings.archetypes import load_archetypes
from tsg.common import InputError
from tsg.exchange.esdl_export import ARCHETYPE_PREFIX, SOURCE_PREFIX
from tsg.exchange.esdl_read import (
    all_assets,
    annual_energy_mwh,
    asset_location,
    identifier,
    line_ends,
    load_energy_system,
)
from tsg.grid.layout import to_rd_new

__all__ = ["ImportResult", "esdl_district_document"]

#: ESDL building types and the archetype used for them.
TYPE_ARCHETYPES = {
    "RESIDENTIAL": "residential",
    "OFFICE": "office",
    "HOTEL": "hotel",
    "SHOPPING": "retail",
    "HEALTHCARE": "hospital",
    "EDUCATION": "school",
    "SPORTS": "swimming_pool",
    "GATHERING": "convention_centre",
}
#: ESDL classes of sources and their district type.
SOURCE_CLASSES = {
    "ATES": "ates",
    "ResidualHeatSource": "waste_heat",
    "HeatPump": "central_heat_pump",
    "HeatStorage": "thermal_storage",
}
#: Assets the importer reads or that the toolkit sizes itself (never reported as unused).
READ_OR_SIZED = {"Pipe", "Joint", "HeatingDemand", "CoolingDemand", "HeatExchange", "HeatPump"}
BUILDING_CLASSES = ("Building", "BuildingUnit", "GenericBuilding")
#: Largest distance between a pipe end and the node it is snapped to [m].
SNAP_M = 25.0
DEFAULT_LOOP_C = (16.0, 10.0)
#: Joules per kWh (ESDL storage capacity is in J).
J_PER_KWH = 3.6e6

ImportResult = tuple[dict, list[str]]


def _demands(assets: list[Any], file: str) -> dict[str, float]:
    totals = {"heat_mwh": 0.0, "dhw_mwh": 0.0, "cool_mwh": 0.0}
    for asset in assets:
        kind = type(asset).__name__
        if kind not in ("HeatingDemand", "CoolingDemand"):
            continue
        energy = annual_energy_mwh(asset, file=file)
        if energy is None:
            continue
        if kind == "CoolingDemand":
            totals["cool_mwh"] += energy
        elif getattr(asset, "type", None) is not None and asset.type.name == "HOT_TAPWATER":
            totals["dhw_mwh"] += energy
        else:
            totals["heat_mwh"] += energy
    return totals


def _archetype(asset: Any) -> str:
    description = asset.description or ""
    if description.startswith(ARCHETYPE_PREFIX):
        return description[len(ARCHETYPE_PREFIX) :].strip()
    for building_type in getattr(asset, "type", None) or []:
        if building_type.name in TYPE_ARCHETYPES:
            return TYPE_ARCHETYPES[building_type.name]
    return "office"


def _floor_area(asset: Any, archetype: str, demand: dict[str, float]) -> tuple[float, bool]:
    area = getattr(asset, "floorArea", None)
    if area:
        return float(area), False
    intensity = load_archetypes()[archetype]
    heat = demand["heat_mwh"] + demand["dhw_mwh"]
    per_m2 = intensity.heat_kwh_per_m2 + intensity.dhw_kwh_per_m2
    return max(heat * 1000.0 / per_m2, 1.0), True


def _loop_temperatures(system: Any, notes: list[str]) -> tuple[float, float]:
    info = system.energySystemInformation
    carriers = info.carriers.carrier if info is not None and info.carriers is not None else []
    for carrier in carriers:
        if type(carrier).__name__ != "HeatCommodity":
            continue
        warm, cold = carrier.supplyTemperature, carrier.returnTemperature
        if 0 < cold < warm <= 40:
            return float(warm), float(cold)
    notes.append(
        "no HeatCommodity with supply and return temperature between 0 and 40 degC: "
        f"loop temperatures set to {DEFAULT_LOOP_C[0]}/{DEFAULT_LOOP_C[1]} degC"
    )
    return DEFAULT_LOOP_C


def _source(asset: Any, kind: str, sid: str, location: tuple, loop: tuple, partner: str | None):
    doc: dict[str, Any] = {
        "type": kind,
        "id": sid,
        "name": asset.name or sid,
        "location": {"latitude_deg": location[0], "longitude_deg": location[1]},
    }
    if partner:
        doc["partner"] = partner
    if kind == "ates":
        doc["warm_well_c"] = float(asset.maxStorageTemperature or loop[0])
        doc["cold_well_c"] = float(asset.minStorageTemperature or loop[1])
        if asset.maximumFlowRate:
            doc["max_flow_m3_per_h"] = float(asset.maximumFlowRate)
    elif kind == "waste_heat":
        doc["temperature_c"] = loop[0]
        doc["capacity_kw"] = float(asset.power or 0.0) / 1e3
    elif kind == "thermal_storage" and getattr(asset, "capacity", None):
        doc["max_capacity_kwh"] = float(asset.capacity) / J_PER_KWH
    return doc


def _node_of(asset: Any, node_ids: dict[int, str], seen: set[int]) -> str | None:
    """Find the node (building or source id) an asset belongs to, following joints."""
    if id(asset) in node_ids:
        return node_ids[id(asset)]
    container = asset.eContainer()
    if container is not None and id(container) in node_ids:
        return node_ids[id(container)]
    if type(asset).__name__ != "Joint" or id(asset) in seen:
        return None
    seen.add(id(asset))
    for port in asset.port:
        for other in port.connectedTo:
            owner = other.energyasset
            if owner is None or type(owner).__name__ == "Pipe":
                continue
            node = _node_of(owner, node_ids, seen)
            if node is not None:
                return node
    return None


def _pipe_ends(pipe: Any, node_ids: dict, node_xy: dict[str, tuple]) -> list[str | None]:
    ends: list[str | None] = []
    for port_kind in ("InPort", "OutPort"):
        node = None
        for port in pipe.port:
            if type(port).__name__ == port_kind:
                for other in port.connectedTo:
                    if other.energyasset is not None:
                        node = node or _node_of(other.energyasset, node_ids, set())
        ends.append(node)
    line = line_ends(pipe)
    if None in ends and line is not None:
        for i, (lat, lon) in enumerate(line):
            if ends[i] is None:
                x, y = to_rd_new(lat, lon)
                nearest = min(node_xy, key=lambda n: math.dist(node_xy[n], (x, y)), default=None)
                if nearest is not None and math.dist(node_xy[nearest], (x, y)) <= SNAP_M:
                    ends[i] = nearest
    return ends


def esdl_district_document(path: Path) -> ImportResult:
    """Turn an ESDL file into a district document (the content of ``district.yaml``).

    Parameters
    ----------
    path
        The ESDL file.

    Returns
    -------
    document, notes
        The district document and the things the toolkit could not use (for the warning).

    Raises
    ------
    InputError
        The file is not ESDL, has no buildings or demands, or uses a unit the toolkit does not
        know.
    """
    system = load_energy_system(path)
    file = str(path)
    notes: list[str] = []
    loop = _loop_temperatures(system, notes)
    taken: set[str] = set()
    partners: dict[str, str] = {}
    node_ids: dict[int, str] = {}
    node_xy: dict[str, tuple[float, float]] = {}
    buildings, sources, unused = [], [], Counter()
    no_location = []

    def partner_of(asset: Any) -> str:
        owner = getattr(asset, "owner", None) or "unknown-owner"
        return partners.setdefault(owner, identifier(owner, set(partners.values())))

    for asset in all_assets(system):
        kind = type(asset).__name__
        location = asset_location(asset)
        description = asset.description or ""
        source_kind = (
            description[len(SOURCE_PREFIX) :].strip()
            if description.startswith(SOURCE_PREFIX)
            else SOURCE_CLASSES.get(kind)
        )
        is_building = kind in BUILDING_CLASSES
        is_consumer = kind in ("HeatingDemand", "CoolingDemand")
        if (is_building or is_consumer or source_kind) and location is None:
            no_location.append(f"{kind} '{asset.id}'")
            continue
        if is_building or is_consumer:
            members = list(asset.asset) if is_building else [asset]
            demand = _demands(members, file)
            if is_consumer and not any(demand.values()):
                unused[f"{kind} without annual energy"] += 1
                continue
            archetype = _archetype(asset)
            area, estimated = _floor_area(asset, archetype, demand)
            bid = identifier(asset.id, taken)
            doc = {
                "id": bid,
                "name": asset.name or bid,
                "partner": partner_of(asset),
                "archetype": archetype,
                "floor_area_m2": round(area, 3),
                "location": {"latitude_deg": location[0], "longitude_deg": location[1]},
                "source": f"ESDL {path.name}: {kind} '{asset.id}'"
                + (" (floor area estimated from its heat demand)" if estimated else ""),
            }
            if any(demand.values()):
                doc["annual_demand_mwh"] = {k: round(v, 6) for k, v in demand.items()}
            state = getattr(asset, "state", None)
            if state is not None and state.name == "OPTIONAL":
                doc["phase"] = "candidate"
            buildings.append(doc)
            for member in members:
                if type(member).__name__ not in READ_OR_SIZED:
                    unused[f"{type(member).__name__} (in a building)"] += 1
            for member in [asset, *members]:
                node_ids[id(member)] = bid
        elif source_kind:
            sid = identifier(asset.id, taken)
            owner = partner_of(asset) if getattr(asset, "owner", None) else None
            sources.append(_source(asset, source_kind, sid, location, loop, owner))
            node_ids[id(asset)] = sid
        elif kind not in READ_OR_SIZED:
            unused[kind] += 1
        if id(asset) in node_ids:
            node_xy[node_ids[id(asset)]] = to_rd_new(*location)
    if not buildings:
        raise InputError(
            "the ESDL energy system has no buildings or heating/cooling demands with a location "
            "and annual energy; nothing to import",
            file=path,
        )
    candidates = {b["id"] for b in buildings if b.get("phase") == "candidate"}
    route = _route(all_assets(system), node_ids, node_xy, candidates, notes)
    if unused:
        listing = ", ".join(f"{n} x {k}" for k, n in sorted(unused.items()))
        notes.insert(0, f"assets the toolkit cannot use, left out: {listing}")
    if no_location:
        notes.append(f"assets without a location, left out: {', '.join(no_location)}")
    lat = sum(b["location"]["latitude_deg"] for b in buildings) / len(buildings)
    lon = sum(b["location"]["longitude_deg"] for b in buildings) / len(buildings)
    document = {
        "id": identifier(system.id or path.stem, set()),
        "name": system.name or path.stem,
        "description": f"imported from ESDL {path.name}",
        "location": {"latitude_deg": lat, "longitude_deg": lon},
        "network": {
            "warm_line_c": loop[0],
            "cold_line_c": loop[1],
            "source": f"ESDL {path.name}",
            **({"route": route} if route else {}),
        },
        "partners": [
            {"id": pid, "name": name, "role": "building_owner"} for name, pid in partners.items()
        ],
        "buildings": buildings,
        "sources": sources,
    }
    _party_names(system, document)
    return document, notes


def _party_names(system: Any, document: dict) -> None:
    parties = system.parties.party if system.parties is not None else []
    names = {p.id: p.name for p in parties if p.name}
    for partner in document["partners"]:
        partner["name"] = names.get(partner["name"], partner["name"])


def _route(
    assets: list[Any], node_ids: dict, node_xy: dict, candidates: set[str], notes: list[str]
) -> dict | None:
    edges, loose = {}, []
    for pipe in (a for a in assets if type(a).__name__ == "Pipe"):
        ends = _pipe_ends(pipe, node_ids, node_xy)
        if None in ends or ends[0] == ends[1]:
            loose.append(pipe.id)
            continue
        key = tuple(sorted(ends))
        edge = {"from_id": ends[0], "to_id": ends[1]}
        if pipe.length and pipe.length > 0:
            edge["length_m"] = float(pipe.length)
        edges.setdefault(key, edge)
    if loose:
        notes.append(
            f"{len(loose)} pipe(s) do not end at a building or source "
            f"({', '.join(loose[:5])}{', ...' if len(loose) > 5 else ''}): the route is left "
            "to the toolkit (minimum spanning tree)"
        )
        return None
    if not edges:
        return None
    graph = nx.Graph(list(edges))
    graph.add_nodes_from(node_xy)
    existing = graph.subgraph(n for n in graph if n not in candidates)
    if existing.number_of_nodes() > 1 and not nx.is_connected(existing):
        notes.append(
            "the pipes connect the existing buildings and sources only through candidate "
            "buildings, which a district route may not do: the route is left to the toolkit "
            "(minimum spanning tree over all buildings and sources, lengths = straight distance "
            "x detour factor)"
        )
        return None
    return {"edges": list(edges.values())}
