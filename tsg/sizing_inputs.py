"""A district and its demand as inputs of the sizing model (the choices the toolkit makes).

Choices made here (the domain package :mod:`tsg.optimisation.sizing` takes them as inputs):

* candidate network: the route of the district file (``network.route``: its edges or its
  GeoJSON, :func:`tsg.route.route_edges`, the same trenches as the network simulation) when
  one is given; buildings and sources the route does not reach cannot connect (``design.json``
  lists them under ``candidate_network``). Without a route: the minimum spanning tree over all
  buildings (existing and candidates) and all sources with the route's detour factor
  (:func:`grid.layout.propose_layout`);
* ATES thermal power = well flow x cp x (warm well - cold well); owned by its partner;
* waste heat costs ``price_eur_per_mwh`` of the district file (default 0 EUR/MWh, assumption:
  the owner gives it away to be rid of it) up to its capacity and annual amount;
* dry coolers, central heat pumps and thermal storages of the district file are plant sites:
  the optimiser may build one there (node = the source's id) up to ``max_capacity_kw``
  (storage: ``max_capacity_kwh``), owned by the source's partner or by no one;
* every building's chilled-water supply is its ``cooling_supply_c`` (default: the archetype's, as
  the network simulation uses) and its reference supply its ``reference_heating`` (default a gas
  boiler) plus an air-cooled chiller;
* prices and emission factors come from the price set of ``economics.price_year``
  (``prices.yaml``), the discount rate from ``economics.yaml``, each with the district's
  overrides; a building pays the average price over the energy-tax brackets at its reference
  consumption plus, for electricity, its other use per m2, a residential building of
  ``dwellings`` homes at one dwelling's share (:func:`tsg.economics.building_prices`;
  the district heating tariff for
  ``reference_heating: district_heating``), shared equipment the price at the grid's assumed
  consumption;
* sensitivity: gas price, electricity price and all investments scaled by the factors of
  ``economics.sensitivity`` in the district file, x0.7 and x1.3 where it gives none
  (:mod:`tsg.sensitivity`), each case re-solved on the same model.
  ``tsg size`` always writes the table; ``tsg run`` only when the district file gives ranges.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from tsg.common.units import CP_WATER_KJ_PER_KG_K, SECONDS_PER_HOUR
from tsg.demand import DemandResult
from tsg.design_limits import district_design_limits, district_loop
from tsg.economics import building_prices, resolved_economics
from tsg.grid.layout import to_rd_new
from tsg.grid.pipe_catalogue import load_pipe_catalogue
from tsg.grid.soil import soil_temperature_c
from tsg.grid.water_flow import water_density_kg_per_m3
from tsg.optimisation.sizing import (
    AtesInput,
    BuildingInput,
    EdgeInput,
    HeatSourceInput,
    PlantOffer,
    Prices,
    SizingInputs,
    load_technologies,
    pipe_options,
    reference_consumption,
)
from tsg.optimisation.sizing.loop_physics import LoopPhysics, central_pump_kwh_per_kwh
from tsg.route import check_sources_reached, route_edges
from tsg.schema import District

__all__ = [
    "loop_physics",
    "price_summary",
    "sizing_inputs",
    "source_xy_rd_new",
    "unreached_nodes",
]


def loop_physics(
    district: District, demand: DemandResult, building_pump_kwh_per_kwh: dict | None = None
) -> LoopPhysics:
    """Return the loop's pumping and soil terms with the simulation's physics and limits.

    The central pump lifts the design limits' ``central_pump_head_bar`` at the simulated
    loop's pump efficiency; the soil temperature is the simulation's
    (:func:`grid.soil.soil_temperature_c` of the demand's weather).
    """
    limits = district_design_limits(district)
    loop = district_loop(district, limits)
    t_mean = 0.5 * (loop.t_warm_c + loop.t_cold_c)
    return LoopPhysics(
        central_pump_kwh_per_kwh=central_pump_kwh_per_kwh(
            head_bar=loop.plift_bar,
            delta_t_k=loop.t_warm_c - loop.t_cold_c,
            pump_efficiency=loop.pump_efficiency,
            rho_kg_per_m3=water_density_kg_per_m3(t_mean),
            cp_kj_per_kg_k=CP_WATER_KJ_PER_KG_K,
        ),
        t_soil_c=soil_temperature_c(demand.weather["temp_air_c"]).to_numpy(dtype=float),
        building_pump_kwh_per_kwh=building_pump_kwh_per_kwh or {},
    )


def _full_connection(district: District, connection: str | None) -> bool:
    """Return True when a building connects fully: it says so, or the district is gas-free."""
    return connection == "full" or (connection is None and district.network.gas_free)


def _reference_heating(district: District, reference: str) -> str:
    """Return the stand-alone heating; under gas_free a gas boiler becomes a heat pump."""
    if district.network.gas_free and reference == "gas_boiler":
        return "air_source_heat_pump"
    return reference


def sizing_inputs(district: District, demand: DemandResult) -> SizingInputs:
    """Translate a district and its demand into sizing inputs.

    Parameters
    ----------
    district
        Validated district.
    demand
        Its weather and hourly demand.

    Returns
    -------
    SizingInputs
        Candidate trenches from the district's route (or the spanning tree); buildings the
        route does not reach cannot connect (see :func:`unreached_nodes`).

    Raises
    ------
    InputError
        Two nodes at the same position (spanning tree), a given route whose parts do not
        connect the nodes it reaches or that does not reach a source, or design limits out
        of range or under which no catalogue pipe carries even the smallest building's peak.

    """
    econ = resolved_economics(district)
    tech = load_technologies().with_lifetimes(
        {k: v for k, v in econ["lifetimes_yr"].items() if k != "pipes"}
    )
    catalogue = load_pipe_catalogue()
    if "pipes" in econ["lifetimes_yr"]:
        catalogue = catalogue.assign(lifetime_yr=float(econ["lifetimes_yr"]["pipes"]))
    delta_t = district.network.warm_line_c - district.network.cold_line_c
    pipes = pipe_options(
        catalogue,
        delta_t_k=delta_t,
        limits=district_design_limits(district, demand),
        cost_column=tech.network.pipe_cost_column,
        pipes_per_trench=tech.network.pipes_per_trench,
        max_parallel=tech.network.max_parallel_pipes,
        parallel_civil_factor=tech.network.parallel_civil_factor,
        # the limits must hold in the colder line too, where the water is more viscous
        t_water_c=min(district.network.warm_line_c, district.network.cold_line_c),
    )
    profiles = demand.profiles
    buildings = []
    for b in district.buildings:
        x, y = to_rd_new(b.location.latitude_deg, b.location.longitude_deg)
        buildings.append(
            BuildingInput(
                building_id=b.id,
                partner=b.partner,
                heat_kw=profiles[f"{b.id}.heat_kw"].to_numpy(dtype=float),
                dhw_kw=profiles[f"{b.id}.dhw_kw"].to_numpy(dtype=float),
                cool_kw=profiles[f"{b.id}.cool_kw"].to_numpy(dtype=float),
                x_m=x,
                y_m=y,
                heating_supply_c=b.heating_supply_c,
                dhw_supply_c=b.dhw_supply_c,
                cooling_supply_c=b.cooling_supply_c,
                reference_heating=_reference_heating(district, b.reference_heating),
                full_connection=_full_connection(district, b.connection),
            )
        )
    ates, sources, plants = [], [], []
    for s in district.sources:
        x, y = to_rd_new(s.location.latitude_deg, s.location.longitude_deg)
        if s.type == "ates":
            mdot = s.max_flow_m3_per_h * water_density_kg_per_m3(s.cold_well_c) / SECONDS_PER_HOUR
            spread = max(s.warm_well_c - s.cold_well_c, 0.0)
            ates.append(
                AtesInput(
                    source_id=s.id,
                    partner=s.partner,
                    max_heat_kw=(s.doublets or 1) * mdot * CP_WATER_KJ_PER_KG_K * spread,
                    balance_tolerance=s.thermal_balance_tolerance,
                    doublets=s.doublets,
                    x_m=x,
                    y_m=y,
                )
            )
        elif s.type == "waste_heat":
            sources.append(
                HeatSourceInput(
                    source_id=s.id,
                    partner=s.partner,
                    max_heat_kw=s.capacity_kw,
                    annual_max_mwh=s.annual_mwh,
                    price_eur_per_mwh=s.price_eur_per_mwh,
                    x_m=x,
                    y_m=y,
                )
            )
        else:
            limit = s.max_capacity_kwh if s.type == "thermal_storage" else s.max_capacity_kw
            plants.append(
                PlantOffer(
                    kind=s.type,
                    node_id=s.id,
                    partner=s.partner,
                    max_kw=float("inf") if limit is None else float(limit),
                )
            )
    node_ids = [b.id for b in district.buildings] + [s.id for s in district.sources]
    edges = (
        route_edges(district, node_ids=node_ids, reached_only=True)
        if len(node_ids) > 1
        else pd.DataFrame(columns=["from_id", "to_id", "length_m"])
    )
    if len(node_ids) > 1:
        check_sources_reached(district, edges, district_file=demand.district_file)
    inputs = SizingInputs(
        buildings=tuple(buildings),
        edges=tuple(EdgeInput(r.from_id, r.to_id, float(r.length_m)) for r in edges.itertuples()),
        pipes=pipes,
        technologies=tech,
        prices=Prices(
            gas_price_eur_per_m3=float(econ["gas_price_eur_per_m3"]),
            electricity_price_eur_per_kwh=float(econ["electricity_price_eur_per_kwh"]),
            co2_price_eur_per_t=float(econ["co2_price_eur_per_t"]),
            gas_emission_kg_per_m3=float(econ["gas_emission_kg_per_m3"]),
            electricity_emission_kg_per_kwh=float(econ["electricity_emission_kg_per_kwh"]),
            discount_rate=float(econ["discount_rate"]),
            district_heat_eur_per_mwh=float(econ["district_heat_eur_per_mwh"]),
            district_heat_fixed_eur_per_yr=float(econ["district_heat_fixed_eur_per_yr"]),
            district_heat_emission_kg_per_kwh=float(econ["district_heat_emission_kg_per_kwh"]),
            grant_share=float(econ.get("grant_share", 0.0)),
            technology_cost_index=float(econ.get("technology_cost_index", 1.0)),
        ),
        t_warm_c=district.network.warm_line_c,
        t_cold_c=district.network.cold_line_c,
        t_air_c=demand.weather["temp_air_c"].to_numpy(dtype=float),
        ates=tuple(ates),
        heat_sources=tuple(sources),
        plants=tuple(plants),
        time_index=profiles.index,
        physics=loop_physics(district, demand),
    )
    return _priced_by_bracket(district, inputs)


def _priced_by_bracket(district: District, inputs: SizingInputs) -> SizingInputs:
    """Give every building the prices of its energy-tax brackets (reference consumption)."""
    gas, elec = reference_consumption(inputs)
    buildings = []
    by_id = {b.id: b for b in district.buildings}
    for b, building in enumerate(inputs.buildings):
        entry = by_id[building.building_id]
        gas_price, elec_price = building_prices(
            district, float(gas[b]), float(elec[b]), entry.floor_area_m2, entry.dwellings
        )
        buildings.append(
            dataclasses.replace(
                building, gas_price_eur_per_m3=gas_price, electricity_price_eur_per_kwh=elec_price
            )
        )
    return dataclasses.replace(inputs, buildings=tuple(buildings))


def source_xy_rd_new(sources, source_id: str) -> tuple[float, float]:
    """RD New coordinates [m] of the district source with this id."""
    source = next(s for s in sources if s.id == source_id)
    x, y = to_rd_new(source.location.latitude_deg, source.location.longitude_deg)
    return float(x), float(y)


def unreached_nodes(district: District, inputs: SizingInputs) -> list[str]:
    """Return the buildings and sources of the district that no candidate trench reaches.

    Parameters
    ----------
    district
        Validated district.
    inputs
        Its sizing inputs (:func:`sizing_inputs`).

    Returns
    -------
    list[str]
        Ids in the district file's order; they cannot connect (buildings) or be used
        (sources). Empty for a proposed route over two or more nodes.
    """
    reached = {e.from_id for e in inputs.edges} | {e.to_id for e in inputs.edges}
    ids = [b.id for b in district.buildings] + [s.id for s in district.sources]
    return [i for i in ids if i not in reached]


def price_summary(district: District, inputs: SizingInputs) -> dict[str, object]:
    """Return the prices the sizing used, for ``design.json``.

    Parameters
    ----------
    district
        Validated district.
    inputs
        Its sizing inputs (:func:`sizing_inputs`).

    Returns
    -------
    dict
        ``price_year``, the model's gas [EUR/m3] and electricity [EUR/kWh] prices (shared
        equipment and the sensitivity's base), the district-heating tariff, and per building
        the prices of its energy-tax brackets.
    """
    p = inputs.prices
    return {
        "price_year": district.economics.price_year,
        "catalogue": "data/catalogues/prices.yaml",
        "gas_price_eur_per_m3": p.gas_price_eur_per_m3,
        "electricity_price_eur_per_kwh": p.electricity_price_eur_per_kwh,
        "district_heat_eur_per_mwh": p.district_heat_eur_per_mwh,
        "district_heat_fixed_eur_per_yr": p.district_heat_fixed_eur_per_yr,
        "by_building": {
            b.building_id: {
                name: getattr(p, name) if getattr(b, name) is None else getattr(b, name)
                for name in ("gas_price_eur_per_m3", "electricity_price_eur_per_kwh")
            }
            for b in inputs.buildings
        },
        "note": "average price over the energy-tax brackets at the building's reference "
        "consumption (a residential building's per dwelling: its consumption / dwellings), "
        "applied as a linear price (district-file prices override)",
    }
