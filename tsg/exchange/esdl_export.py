"""A run folder as one ESDL ``EnergySystem``: the district and its sized design.

Read from the run folder (names from :mod:`tsg.run_layout`): ``district.json`` (buildings,
partners, sources, network temperatures), ``summary.csv`` (annual demand and peaks),
``sizing/design.json`` (heat pumps, network cooling, plants, costs, KPIs) and
``sizing/edges.csv`` (the candidate network with DN per trench), optionally ``profiles.csv``
(hourly demand, with ``hourly=True``).

What is written, in one ``esdl.Area`` of one ``esdl.Instance``:

- per building an ``esdl.Building`` (floor area, location, owner, type) holding an
  ``esdl.HeatingDemand`` for space heating and one for hot tap water, an ``esdl.CoolingDemand``,
  the building heat pump (``esdl.HeatPump``) and the network cooling heat exchanger
  (``esdl.HeatExchange``) when the design connects the building; a demand's ``power`` is its
  peak [W] and its in-port carries the annual energy [MWh/yr] as ``esdl.SingleValue`` (and the
  hourly profile [kW] as ``esdl.DateTimeProfile`` with ``hourly=True``);
- per source an ESDL asset (``ATES``, ``ResidualHeatSource``, ``GenericConversion`` for a dry
  cooler, ``HeatPump``, ``HeatStorage``) with its sized capacity;
- per node an ``esdl.Joint`` and per trench an ``esdl.Pipe`` between the joints (length,
  inner diameter, DN in its name, ``state`` ENABLED when built, OPTIONAL otherwise, geometry as
  an ``esdl.Line`` of two ``esdl.Point`` in WGS84);
- ``esdl.CostInformation`` (investment [EUR], fixed O&M [EUR/yr]) on every asset with a cost
  line (pipes: the investment per trench of ``sizing/network.geojson``), and ``esdl.KPIs`` of
  the design on the area.
"""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path
from typing import Any

import pandas as pd

from tsg import run_layout as layout
from tsg.common import InputError
from tsg.exchange.esdl_units import (
    TSG_TO_ESDL_SOURCE,
    design_kpis,
    esdl_module,
    new_id,
    quantity,
    single_value,
)

__all__ = [
    "ARCHETYPE_PREFIX",
    "ARCHETYPE_TYPES",
    "SOURCE_PREFIX",
    "export_esdl",
    "run_energy_system",
]

#: District archetypes and the ESDL building type that fits them best.
ARCHETYPE_TYPES = {
    "office": "OFFICE",
    "retail": "SHOPPING",
    "hotel": "HOTEL",
    "arena": "GATHERING",
    "convention_centre": "GATHERING",
    "swimming_pool": "SPORTS",
    "theatre": "GATHERING",
    "cinema": "GATHERING",
    "residential": "RESIDENTIAL",
    "school": "EDUCATION",
    "hospital": "HEALTHCARE",
}

#: Prefix of a building description that keeps the district archetype (read by the importer).
ARCHETYPE_PREFIX = "tsg archetype: "
#: Prefix of a source description that keeps the district source type (read by the importer).
SOURCE_PREFIX = "tsg source: "


def _read_json(path: Path) -> dict:
    if not path.is_file():
        raise InputError(
            f"not a sized run folder: {path.name} is missing (run 'tsg run' or 'tsg size' first)",
            file=path,
        )
    return json.loads(path.read_text(encoding="utf-8"))


def _point(esdl: Any, location: dict) -> Any:
    return esdl.Point(lat=float(location["latitude_deg"]), lon=float(location["longitude_deg"]))


def _ports(esdl: Any, asset: Any, carrier: Any) -> tuple[Any, Any]:
    in_port = esdl.InPort(id=new_id("InPort", asset.id), name="In", carrier=carrier)
    out_port = esdl.OutPort(id=new_id("OutPort", asset.id), name="Out", carrier=carrier)
    asset.port.append(in_port)
    asset.port.append(out_port)
    return in_port, out_port


def _costs(esdl: Any, lines: pd.DataFrame, name: str) -> Any | None:
    if lines.empty:
        return None
    euro = quantity(esdl, "COST", "EURO")
    euro_per_yr = quantity(esdl, "COST", "EURO", perTimeUnit="YEAR")
    return esdl.CostInformation(
        id=new_id("CostInformation", name),
        investmentCosts=single_value(
            esdl, lines["investment_eur"].sum(), euro, f"investment.{name}"
        ),
        fixedOperationalAndMaintenanceCosts=single_value(
            esdl, lines["om_eur_per_yr"].sum(), euro_per_yr, f"om.{name}"
        ),
    )


def _demand(
    esdl: Any,
    kind: str,
    building_id: str,
    annual_mwh: float,
    peak_kw: float | None,
    profile_kw: pd.Series | None,
    carrier: Any,
) -> Any:
    cls, suffix, demand_type = {
        "heat": (esdl.HeatingDemand, "space", "SPACE_HEATING"),
        "dhw": (esdl.HeatingDemand, "dhw", "HOT_TAPWATER"),
        "cool": (esdl.CoolingDemand, "cool", None),
    }[kind]
    name = f"{building_id}.{suffix}"
    asset = cls(id=new_id(cls.__name__, name), name=name)
    if peak_kw is not None:
        asset.power = float(peak_kw) * 1e3
    if demand_type is not None:
        asset.type = getattr(esdl.HeatDemandTypeEnum, demand_type)
    in_port, _ = _ports(esdl, asset, carrier)
    energy = quantity(esdl, "ENERGY", "WATTHOUR", "MEGA", perTimeUnit="YEAR")
    in_port.profile.append(single_value(esdl, annual_mwh, energy, f"annual.{name}"))
    if profile_kw is not None:
        hourly = esdl.DateTimeProfile(
            id=new_id("DateTimeProfile", name),
            profileQuantityAndUnit=quantity(esdl, "POWER", "WATT", "KILO"),
        )
        for start, value in profile_kw.items():
            stamp = start.to_pydatetime().astimezone(UTC).replace(tzinfo=None)
            end = stamp + pd.Timedelta(hours=1).to_pytimedelta()
            hourly.element.append(esdl.ProfileElement(from_=stamp, to=end, value=float(value)))
        in_port.profile.append(hourly)
    return asset


def run_energy_system(run_dir: Path, *, hourly: bool = False) -> Any:
    """Build the ``esdl.EnergySystem`` of a sized run folder.

    Parameters
    ----------
    run_dir
        A run folder with ``district.json``, ``summary.csv``, ``sizing/design.json`` and
        ``sizing/edges.csv``.
    hourly
        Add the hourly demand [kW] of ``profiles.csv`` to every demand's in-port (8,760
        elements per demand; large).

    Returns
    -------
    esdl.EnergySystem
    """
    esdl = esdl_module()
    district = _read_json(layout.DISTRICT.under(run_dir))
    design = _read_json(layout.DESIGN.under(run_dir))
    summary = pd.read_csv(layout.SUMMARY.under(run_dir)).set_index("building_id")
    edges = pd.read_csv(layout.EDGES.under(run_dir))
    costs = pd.DataFrame(design["costs"])
    profiles = None
    if hourly:
        profiles = pd.read_csv(layout.PROFILES_CSV.under(run_dir))
        profiles.index = pd.to_datetime(profiles.pop("time"), utc=True)

    system = esdl.EnergySystem(
        id=district["id"], name=district["name"], description=district.get("description") or ""
    )
    network = district["network"]
    carrier = esdl.HeatCommodity(
        id="HeatCommodity.loop",
        name="ambient loop",
        supplyTemperature=float(network["warm_line_c"]),
        returnTemperature=float(network["cold_line_c"]),
    )
    info = esdl.EnergySystemInformation(id="EnergySystemInformation")
    info.carriers = esdl.Carriers(id="Carriers")
    info.carriers.carrier.append(carrier)
    system.energySystemInformation = info
    system.parties = esdl.Parties()
    for partner in district["partners"]:
        system.parties.party.append(esdl.Party(id=partner["id"], name=partner["name"]))
    area = esdl.Area(id=new_id("Area", district["id"]), name=district["name"])
    system.instance.append(
        esdl.Instance(id=new_id("Instance", district["id"]), name="sized design", area=area)
    )

    joints: dict[str, Any] = {}
    node_points: dict[str, dict] = {}
    by_building = {b["building_id"]: b for b in design["buildings"]}
    for building in district["buildings"]:
        bid = building["id"]
        node_points[bid] = building["location"]
        row = summary.loc[bid]
        sized = by_building.get(bid, {})
        house = esdl.Building(
            id=bid,
            name=building["name"],
            floorArea=float(building["floor_area_m2"]),
            geometry=_point(esdl, building["location"]),
            owner=building["partner"],
            description=ARCHETYPE_PREFIX + building["archetype"],
            state=esdl.AssetStateEnum.ENABLED
            if building.get("phase", "existing") == "existing"
            else esdl.AssetStateEnum.OPTIONAL,
        )
        house.type.append(
            getattr(esdl.BuildingTypeEnum, ARCHETYPE_TYPES.get(building["archetype"], "OTHER"))
        )
        for kind, column, peak in (
            ("heat", "space_heat_mwh_per_yr", "peak_heat_kw"),
            ("dhw", "dhw_mwh_per_yr", None),
            ("cool", "cool_mwh_per_yr", "peak_cool_kw"),
        ):
            series = None
            if profiles is not None and f"{bid}.{kind}_kw" in profiles:
                series = profiles[f"{bid}.{kind}_kw"]
            house.asset.append(
                _demand(esdl, kind, bid, row[column], row[peak] if peak else None, series, carrier)
            )
        lines = costs[costs["owner"] == bid]
        if sized.get("connected"):
            pump = esdl.HeatPump(
                id=new_id("HeatPump", bid),
                name=f"heat pump {bid}",
                power=float(sized["heat_pump_kw"]) * 1e3,
            )
            pump.costInformation = _costs(esdl, lines[lines["item"] == "heat_pump"], pump.id)
            cooling = esdl.HeatExchange(
                id=new_id("HeatExchange", bid),
                name=f"network cooling {bid}",
                capacity=float(sized["network_cooling_kw"]) * 1e3,
            )
            cooling.costInformation = _costs(
                esdl, lines[lines["item"] == "network_cooling"], cooling.id
            )
            joint = esdl.Joint(
                id=new_id("Joint", bid),
                name=f"connection {bid}",
                geometry=_point(esdl, building["location"]),
            )
            joint.costInformation = _costs(esdl, lines[lines["item"] == "connection"], joint.id)
            for asset in (pump, cooling):
                _ports(esdl, asset, carrier)
                house.asset.append(asset)
        else:
            joint = esdl.Joint(
                id=new_id("Joint", bid),
                name=f"connection {bid}",
                geometry=_point(esdl, building["location"]),
            )
        joints[bid] = joint
        area.asset.append(house)

    plants = {p["plant_id"]: p for p in design.get("plants", [])}
    for source in district["sources"]:
        sid = source["id"]
        node_points[sid] = source["location"]
        cls = getattr(esdl, TSG_TO_ESDL_SOURCE[source["type"]])
        asset = cls(
            id=sid,
            name=source["name"],
            description=SOURCE_PREFIX + source["type"],
            geometry=_point(esdl, source["location"]),
        )
        if source.get("partner"):
            asset.owner = source["partner"]
        capacity_w = float(plants.get(sid, {}).get("capacity_kw", 0.0)) * 1e3
        _source_fields(esdl, asset, source, capacity_w)
        asset.costInformation = _costs(esdl, costs[costs["owner"] == sid], sid)
        _ports(esdl, asset, carrier)
        area.asset.append(asset)
        joints[sid] = esdl.Joint(
            id=new_id("Joint", sid),
            name=f"connection {sid}",
            geometry=_point(esdl, source["location"]),
        )
    for joint in joints.values():
        _ports(esdl, joint, carrier)
        area.asset.append(joint)
    _connect_nodes(area, joints)

    trench_eur = _trench_investments(run_dir)
    for edge in edges.itertuples(index=False):
        pipe = _pipe(esdl, edge, joints, node_points, carrier)
        if edge.built and (edge.from_id, edge.to_id) in trench_eur:
            lines = pd.DataFrame(
                {"investment_eur": [trench_eur[(edge.from_id, edge.to_id)]], "om_eur_per_yr": [0.0]}
            )
            pipe.costInformation = _costs(esdl, lines, pipe.id)
        area.asset.append(pipe)
    area.KPIs = design_kpis(esdl, design)
    return system


def _trench_investments(run_dir: Path) -> dict[tuple[str, str], float]:
    """Pipe investment per trench [EUR] from ``sizing/network.geojson`` (empty without it)."""
    path = layout.SIZING_GEOJSON.under(run_dir)
    if not path.is_file():
        return {}
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return {
        (f["properties"]["from_id"], f["properties"]["to_id"]): f["properties"]["investment_eur"]
        for f in features
        if f["properties"].get("layer") == "trenches"
    }


def _source_fields(esdl: Any, asset: Any, source: dict, capacity_w: float) -> None:
    kind = source["type"]
    if kind == "ates":
        asset.maximumFlowRate = float(source["max_flow_m3_per_h"])
        asset.maxStorageTemperature = float(source["warm_well_c"])
        asset.minStorageTemperature = float(source["cold_well_c"])
        asset.maxChargeRate = asset.maxDischargeRate = capacity_w
    elif kind == "waste_heat":
        asset.power = float(source["capacity_kw"]) * 1e3
    elif kind == "thermal_storage":
        if source.get("max_capacity_kwh") is not None:
            asset.capacity = float(source["max_capacity_kwh"]) * 3.6e6
    else:
        asset.power = capacity_w


def _connect_nodes(area: Any, joints: dict[str, Any]) -> None:
    """Connect each node's joint to the assets of its building or to its source."""
    for asset in list(area.asset):
        members = list(asset.asset) if hasattr(asset, "floorArea") else [asset]
        joint = joints.get(asset.id)
        if joint is None:
            continue
        for member in members:
            ports = {type(p).__name__: p for p in member.port}
            if "InPort" not in ports or member.__class__.__name__.endswith("Demand"):
                continue
            joint.port[1].connectedTo.append(ports["InPort"])


def _size(edge: Any) -> str:
    """``DN 450``, or ``2 x DN 450`` for parallel pipes (one ESDL pipe stands for all)."""
    n = int(getattr(edge, "parallel_pipes", 1) or 1)
    return f"DN {int(edge.dn_mm)}" if n <= 1 else f"{n} x DN {int(edge.dn_mm)}"


def _pipe(esdl: Any, edge: Any, joints: dict, node_points: dict, carrier: Any) -> Any:
    name = f"{edge.from_id}-{edge.to_id}"
    pipe = esdl.Pipe(
        id=new_id("Pipe", name),
        name=f"{_size(edge)} {name}" if edge.dn_mm > 0 else f"not sized {name}",
        length=float(edge.length_m),
        innerDiameter=float(edge.dn_mm) / 1000.0,
        state=esdl.AssetStateEnum.ENABLED if edge.built else esdl.AssetStateEnum.OPTIONAL,
        geometry=esdl.Line(
            point=[_point(esdl, node_points[edge.from_id]), _point(esdl, node_points[edge.to_id])]
        ),
    )
    in_port, out_port = _ports(esdl, pipe, carrier)
    in_port.connectedTo.append(joints[edge.from_id].port[1])
    out_port.connectedTo.append(joints[edge.to_id].port[0])
    return pipe


def export_esdl(run_dir: Path, out_file: Path, *, hourly: bool = False) -> Path:
    """Write the run folder's district and sized design as an ESDL file.

    Parameters
    ----------
    run_dir
        The run folder.
    out_file
        The ``.esdl`` file to write.
    hourly
        Include the hourly demand profiles (see :func:`run_energy_system`).

    Returns
    -------
    Path
        ``out_file``.
    """
    from esdl.esdl_handler import EnergySystemHandler, StringURI

    from tsg.outputs import write_text

    handler = EnergySystemHandler()
    system = run_energy_system(run_dir, hourly=hourly)
    handler.resource = handler.rset.create_resource(StringURI(out_file.name))
    handler.resource.append(system)
    return write_text(out_file, handler.to_string())
