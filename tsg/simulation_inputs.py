"""From a district and its demand to the inputs of the network simulation.

Buildings -> substations (:func:`grid.substation.substation_loads`) -> hourly loop-side load
per building; buildings + balancing unit -> minimum spanning tree in RD New
(:func:`grid.layout.propose_layout`) -> pipe sizes by rule (:mod:`grid.sizing`); weather ->
seasonal soil temperature (:mod:`grid.soil`).

Choices made here (stated in the outputs):

* only buildings with ``phase == "existing"`` join unless ``include_candidates``;
* the balancing unit is the district's first ATES source; without one it is placed at the
  centroid of the connected buildings (the summary says so). Waste heat, dry coolers,
  central heat pumps and thermal storages are not part of this simulation of the existing
  buildings: the optimiser sizes them (:mod:`tsg.stages.sizing`), and the verification of
  the sized design simulates the built ones as feed-in points
  (:mod:`tsg.verification_stage`); here the loop is balanced by the balancing unit alone;
* substations: booster heat pumps for space heating (to ``heating_supply_c``) and hot water
  (to ``dhw_supply_c``), cooling at the building's ``cooling_supply_c`` (default: the
  archetype's; free cooling while the cold line is at least the heat exchanger's approach
  below it, else a Carnot chiller); efficiencies and approach temperatures from the
  technology catalogue through
  :func:`optimisation.sizing.performance.loop_substation_spec`, the optimiser's function.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tsg.common.errors import InputError
from tsg.demand import DemandResult
from tsg.design_limits import district_design_limits, district_loop
from tsg.grid.design_limits import DesignLimits
from tsg.grid.layout import propose_layout, to_rd_new
from tsg.grid.network import LoopSpec
from tsg.grid.sizing import SizingRule, size_edges_by_peak_flow
from tsg.grid.soil import soil_temperature_c
from tsg.grid.substation import SubstationSpec, substation_loads
from tsg.optimisation.sizing.performance import loop_substation_spec
from tsg.optimisation.sizing.technologies import load_technologies
from tsg.route import route_edges
from tsg.schema import District

__all__ = ["NetworkInputs", "network_inputs"]

CARNOT_EFFICIENCY = load_technologies().building_heat_pump.carnot_efficiency
"""Fraction of the Carnot COP reached by booster heat pumps and chillers [-] (the catalogue's
``building_heat_pump.carnot_efficiency``, which the optimiser uses too)."""

CENTROID_ID = "balancing-unit"


@dataclass(frozen=True)
class NetworkInputs:
    """Everything the network simulation needs, derived from a district.

    Attributes
    ----------
    nodes
        Columns ``id``, ``kind`` ('building' / 'balancing'), ``name``, ``latitude_deg``,
        ``longitude_deg``, ``x_m``, ``y_m`` (RD New [m]).
    edges
        Trenches: ``from_id``, ``to_id``, ``length_m`` [m], ``design_mdot_kg_per_s``,
        ``dn_mm``, ``parallel_pipes``, ``undersized`` (the most parallel pipes of the largest
        catalogue size, still above the design limits).
    building_ids
        Connected buildings.
    balancing_id
        Node id of the balancing unit.
    balancing_note
        Where the balancing unit comes from (district ATES source or district centroid).
    loop
        Line temperatures and pump data.
    substations
        Per building id the table of :func:`grid.substation.substation_loads` at the nominal
        line temperatures.
    substation_specs
        Per building id its substation data (supply temperatures, Carnot efficiency).
    loads_kw
        Hourly loop-side load per building [kW] (> 0 takes heat), columns ``building_ids``.
    demand_kw
        Hourly thermal demand per building, columns ``<id>.<heat_kw|dhw_kw|cool_kw>``.
    t_soil_c
        Hourly undisturbed soil temperature at pipe depth [°C].
    sizing
        The sizing rule used.
    limits
        The design limits (of the rule, the central pump lift and the design checks).

    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    building_ids: tuple[str, ...]
    balancing_id: str
    balancing_note: str
    loop: LoopSpec
    substations: dict[str, pd.DataFrame]
    substation_specs: dict[str, SubstationSpec]
    loads_kw: pd.DataFrame
    demand_kw: pd.DataFrame
    t_soil_c: pd.Series
    sizing: SizingRule
    limits: DesignLimits


def building_demand_kw(inputs: NetworkInputs) -> dict[str, pd.DataFrame]:
    """Per building id its hourly ``heat_kw``, ``dhw_kw``, ``cool_kw`` demand table [kW]."""
    quantities = ["heat_kw", "dhw_kw", "cool_kw"]
    return {
        b: inputs.demand_kw[[f"{b}.{q}" for q in quantities]].set_axis(quantities, axis=1)
        for b in inputs.building_ids
    }


def _nodes(district: District, buildings: list) -> tuple[pd.DataFrame, str, str]:
    rows = [
        {
            "id": b.id,
            "kind": "building",
            "name": b.name,
            "latitude_deg": b.location.latitude_deg,
            "longitude_deg": b.location.longitude_deg,
        }
        for b in buildings
    ]
    ates = [s for s in district.sources if s.type == "ates"]
    if ates:
        src = ates[0]
        bid = src.id
        note = f"district ATES source '{src.id}' ({src.name})"
        lat, lon = src.location.latitude_deg, src.location.longitude_deg
        name = src.name
    else:
        bid = CENTROID_ID
        note = (
            "the district has no ATES source: a balancing unit is assumed at the centroid of "
            "the connected buildings"
        )
        lat = float(np.mean([r["latitude_deg"] for r in rows]))
        lon = float(np.mean([r["longitude_deg"] for r in rows]))
        name = "Balancing unit (assumed at the centroid)"
    if bid in {r["id"] for r in rows}:
        raise InputError(f"source id '{bid}' is also a building id", field="sources")
    rows.append(
        {"id": bid, "kind": "balancing", "name": name, "latitude_deg": lat, "longitude_deg": lon}
    )
    nodes = pd.DataFrame(rows)
    x, y = to_rd_new(nodes.latitude_deg.to_numpy(), nodes.longitude_deg.to_numpy())
    nodes["x_m"], nodes["y_m"] = x, y
    return nodes, bid, note


def network_inputs(
    district: District,
    demand: DemandResult,
    *,
    include_candidates: bool = False,
    sizing: SizingRule | None = None,
    limits: DesignLimits | None = None,
) -> NetworkInputs:
    """Derive the network, its hourly loads and the soil temperature from a district.

    Parameters
    ----------
    district
        The validated district.
    demand
        Its weather and hourly demand (:func:`tsg.demand.district_demand`).
    include_candidates
        Also connect buildings with ``phase == "candidate"`` (default: existing only).
    sizing
        Pipe sizing rule (default: the velocity and gradient of ``limits``).
    limits
        Design limits (default :func:`tsg.design_limits.district_design_limits`: the
        catalogue's with the district file's overrides).

    Returns
    -------
    NetworkInputs

    Raises
    ------
    InputError
        No building to connect, two nodes at the same place, ids that clash, or design
        limits under which no catalogue pipe carries even the smallest building's peak.

    """
    buildings = [b for b in district.buildings if include_candidates or b.phase == "existing"]
    if not buildings:
        raise InputError(
            "no building with phase 'existing' to connect (use --include-candidates)",
            field="buildings",
        )
    nodes, balancing_id, note = _nodes(district, buildings)
    if limits is None:
        limits = district_design_limits(district, demand)
    if sizing is None:
        sizing = SizingRule.from_limits(limits)
    loop = district_loop(district, limits)
    tech = load_technologies()
    substations: dict[str, pd.DataFrame] = {}
    specs: dict[str, SubstationSpec] = {}
    demand_cols = []
    for b in buildings:
        cols = [f"{b.id}.{q}" for q in ("heat_kw", "dhw_kw", "cool_kw")]
        demand_cols += cols
        table = demand.profiles[cols].set_axis(["heat_kw", "dhw_kw", "cool_kw"], axis=1)
        spec = specs[b.id] = loop_substation_spec(
            heating_supply_c=b.heating_supply_c,
            dhw_supply_c=b.dhw_supply_c,
            cooling_supply_c=b.cooling_supply_c,
            technologies=tech,
        )
        substations[b.id] = substation_loads(
            table, spec=spec, t_warm_c=loop.t_warm_c, t_cold_c=loop.t_cold_c
        )
    loads = pd.DataFrame({bid: s.network_heat_kw for bid, s in substations.items()})
    if balancing_id == CENTROID_ID and not district.network.route.is_proposed:
        raise InputError(
            "a route given in the district file needs an ATES source as balancing unit",
            field="network.route",
        )
    layout = (
        propose_layout(
            nodes[["id", "x_m", "y_m"]], detour_factor=district.network.route.detour_factor
        )
        if balancing_id == CENTROID_ID
        else route_edges(district, node_ids=nodes["id"].tolist())
    )
    edges = size_edges_by_peak_flow(
        layout,
        building_heat_kw=loads,
        balancing_id=balancing_id,
        delta_t_k=loop.delta_t_k,
        rule=sizing,
        allow_undersized=True,
        max_parallel=tech.network.max_parallel_pipes,
    )
    return NetworkInputs(
        nodes=nodes,
        edges=edges,
        building_ids=tuple(b.id for b in buildings),
        balancing_id=balancing_id,
        balancing_note=note,
        loop=loop,
        substations=substations,
        substation_specs=specs,
        loads_kw=loads,
        demand_kw=demand.profiles[demand_cols],
        t_soil_c=soil_temperature_c(demand.weather["temp_air_c"]),
        sizing=sizing,
        limits=limits,
    )
