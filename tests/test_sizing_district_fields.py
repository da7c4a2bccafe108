"""District-file fields the sizing uses: reference heating, cooling supply, plant sites, waste-heat
price, sensitivity ranges and a given route as the candidate network.

Tiny districts (two or three buildings a few tens of metres apart) and two typical days keep
every solve at about a second.
"""

import copy
import json

import numpy as np
import pandas as pd
import pytest
import yaml
from stage_helpers import run_sizing

from tsg.cli import main
from tsg.common.errors import InputError
from tsg.demand import district_demand
from tsg.design_limits import district_design_limits, district_loop
from tsg.district import built_in_district_path, load_district
from tsg.economics import resolved_economics, sensitivity_ranges
from tsg.grid.fast_annual import simulate_year
from tsg.grid.network import build_network
from tsg.grid.soil import soil_temperature_c
from tsg.optimisation.sizing import SizingOptions, build_model, solve_and_extract, time_steps
from tsg.optimisation.sizing.handover import design_loop_loads_kw, operated_dispatch
from tsg.optimisation.sizing.operation import operate_design
from tsg.progress import Progress
from tsg.route import route_edges
from tsg.simulation_inputs import network_inputs
from tsg.sizing_inputs import sizing_inputs, unreached_nodes
from tsg.verification_stage import compute_verification, verify_design

LAT, LON = 51.8840, 4.4885
OPTIONS = SizingOptions(n_typical_periods=2, mip_gap=0.001)


def _at(north_m: float, east_m: float) -> dict:
    return {"latitude_deg": LAT + north_m / 111_320.0, "longitude_deg": LON + east_m / 68_700.0}


def _office(building_id: str, north_m: float, east_m: float, **extra) -> dict:
    """An office whose cooling (1,500 MWh/yr) dwarfs its heating (110 MWh/yr)."""
    return {
        "id": building_id,
        "name": building_id,
        "partner": "owner",
        "archetype": "office",
        "floor_area_m2": 20_000,
        "location": _at(north_m, east_m),
        "annual_demand_mwh": {"heat_mwh": 100.0, "dhw_mwh": 10.0, "cool_mwh": 1500.0},
        **extra,
    }


def _document(**changes) -> dict:
    document = {
        "id": "tiny",
        "name": "Tiny district",
        "location": _at(0, 0),
        "network": {"warm_line_c": 16.0, "cold_line_c": 10.0},
        "partners": [
            {"id": "owner", "name": "Owner", "role": "building_owner"},
            {"id": "utility", "name": "Utility", "role": "energy_company"},
        ],
        "buildings": [_office("office-a", 0, 0), _office("office-b", 40, 0)],
        "sources": [],
    }
    document.update(changes)
    return document


def _load(tmp_path, document, name="district.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    district = load_district(path)
    return district, district_demand(district, district_file=path)


def _solve(district, demand):
    inputs = sizing_inputs(district, demand)
    steps = time_steps(inputs, n_periods=OPTIONS.n_typical_periods, period_hours=24)
    return inputs, solve_and_extract(build_model(inputs, steps, options=OPTIONS))


DRY_COOLER = {
    "type": "dry_cooler",
    "id": "dry-cooler",
    "name": "Dry cooler on the car park",
    "location": _at(20, 15),
}


# --- the district file -------------------------------------------------------------------------


def test_new_fields_load_with_their_defaults(tmp_path):
    document = _document(
        sources=[
            {**DRY_COOLER, "partner": "utility", "max_capacity_kw": 800},
            {
                "type": "central_heat_pump",
                "id": "central-hp",
                "name": "Air-source heat pump",
                "location": _at(-20, 15),
            },
            {
                "type": "thermal_storage",
                "id": "buffer",
                "name": "Buffer tank",
                "location": _at(60, 15),
                "max_capacity_kwh": 5000,
                "source": "assumption: room for a 100 m3 tank",
            },
            {
                "type": "waste_heat",
                "id": "server-room",
                "name": "Server room",
                "location": _at(-30, -30),
                "temperature_c": 30.0,
                "capacity_kw": 200.0,
                "price_eur_per_mwh": 12.5,
            },
        ],
        economics={"sensitivity": {"gas_price": [0.5, 1.5], "capex_factor": []}},
    )
    document["buildings"][1]["reference_heating"] = "air_source_heat_pump"
    document["buildings"][1]["cooling_supply_c"] = 12.0
    path = tmp_path / "district.yaml"
    path.write_text(yaml.safe_dump(document))
    district = load_district(path)
    a, b = district.buildings
    assert (a.reference_heating, a.cooling_supply_c) == ("gas_boiler", 16.0)
    assert (b.reference_heating, b.cooling_supply_c) == ("air_source_heat_pump", 12.0)
    dry, hp, buffer, waste = district.sources
    assert (dry.type, dry.partner, dry.max_capacity_kw) == ("dry_cooler", "utility", 800.0)
    assert (hp.partner, hp.max_capacity_kw) == (None, None)
    assert buffer.max_capacity_kwh == 5000.0
    assert waste.price_eur_per_mwh == 12.5
    ranges = sensitivity_ranges(district)
    assert ranges == {
        "gas_price": ((0.5, 1.5), True),
        "electricity_price": ((0.7, 1.3), False),
        "capex_factor": ((), True),
    }
    # the ranges are no price override
    assert "sensitivity" not in resolved_economics(district)
    assert main(["validate", str(path)]) == 0


HVZ = yaml.safe_load(built_in_district_path().read_text())


def _edited(path, value):
    document = copy.deepcopy(HVZ)
    target = document
    for key in path[:-1]:
        target = target.setdefault(key, {}) if isinstance(key, str) else target[key]
    if isinstance(target, list) and path[-1] == len(target):
        target.append(value)
    else:
        target[path[-1]] = value
    return document


def _plant(kind, **extra):
    return {"type": kind, "id": "plant", "name": "Plant", "location": _at(0, 300), **extra}


INVALID = {
    "cooling supply too warm": (
        _edited(["buildings", 0, "cooling_supply_c"], 30),
        "buildings[0].cooling_supply_c",
        "less than or equal to 25",
    ),
    "cooling supply not a number": (
        _edited(["buildings", 0, "cooling_supply_c"], "cold"),
        "buildings[0].cooling_supply_c",
        "number",
    ),
    "unknown reference heating": (
        _edited(["buildings", 1, "reference_heating"], "heat_network"),
        "buildings[1].reference_heating",
        "'gas_boiler', 'air_source_heat_pump' or 'district_heating'",
    ),
    "dry cooler with negative capacity": (
        _edited(["sources", 1], _plant("dry_cooler", max_capacity_kw=-5)),
        "sources[1].max_capacity_kw",
        "greater than 0",
    ),
    "storage capacity in kW": (
        _edited(["sources", 1], _plant("thermal_storage", max_capacity_kw=500)),
        "sources[1].max_capacity_kw",
        "unknown key",
    ),
    "central heat pump of an unknown partner": (
        _edited(["sources", 1], _plant("central_heat_pump", partner="nobody")),
        "sources[1].partner",
        "'nobody' is not among the partners",
    ),
    "plant without location": (
        _edited(["sources", 1], {"type": "dry_cooler", "id": "plant", "name": "Plant"}),
        "sources[1].location",
        "required",
    ),
    "negative waste-heat price": (
        _edited(
            ["sources", 1],
            {
                "type": "waste_heat",
                "id": "plant",
                "name": "Plant",
                "location": _at(0, 300),
                "temperature_c": 30,
                "capacity_kw": 100,
                "price_eur_per_mwh": -3,
            },
        ),
        "sources[1].price_eur_per_mwh",
        "greater than or equal to 0",
    ),
    "source type lists the new kinds": (
        _edited(["sources", 0, "type"], "geothermal"),
        "sources[0]",
        "'dry_cooler', 'central_heat_pump', 'thermal_storage'",
    ),
    "zero sensitivity factor": (
        _edited(["economics", "sensitivity"], {"gas_price": [0.7, 0]}),
        "economics.sensitivity.gas_price[1]",
        "greater than 0",
    ),
    "repeated sensitivity factor": (
        _edited(["economics", "sensitivity"], {"electricity_price": [1.2, 1.2]}),
        "economics.sensitivity.electricity_price",
        "distinct",
    ),
    "unknown sensitivity parameter": (
        _edited(["economics", "sensitivity"], {"discount_rate": [0.5]}),
        "economics.sensitivity.discount_rate",
        "unknown key",
    ),
    "sensitivity factors not a list": (
        _edited(["economics", "sensitivity"], {"capex_factor": 1.3}),
        "economics.sensitivity.capex_factor",
        "list",
    ),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_new_fields_give_one_clear_message(case, tmp_path, capsys):
    document, field, message = INVALID[case]
    path = tmp_path / "district.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"field '{field}'" in err or f"{field}:" in err, err
    assert message in err, err


def test_schema_describes_the_new_fields(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    defs = schema["$defs"]
    assert {"DryCooler", "CentralHeatPump", "ThermalStorage", "Sensitivity"} <= set(defs)
    building = defs["Building"]["properties"]
    assert building["cooling_supply_c"]["default"] is None
    assert "degC" in building["cooling_supply_c"]["description"]
    assert "archetype" in building["cooling_supply_c"]["description"]
    assert "m2" in building["pool_water_surface_m2"]["description"]
    climate = defs["Climate"]["properties"]["design_temperature_c"]
    assert climate["default"] == -10.0 and "degC" in climate["description"]
    assert set(building["reference_heating"]["enum"]) == {
        "gas_boiler",
        "air_source_heat_pump",
        "district_heating",
    }
    price_year = defs["Economics"]["properties"]["price_year"]
    assert price_year["default"] == 2025 and "prices.yaml" in price_year["description"]
    assert "kWh" in defs["ThermalStorage"]["properties"]["max_capacity_kwh"]["description"]
    assert defs["WasteHeat"]["properties"]["price_eur_per_mwh"]["default"] == 0.0


# --- sizing inputs -----------------------------------------------------------------------------


def test_building_fields_and_plant_sites_reach_the_sizing_inputs(tmp_path):
    document = _document(
        sources=[
            {**DRY_COOLER, "partner": "utility", "max_capacity_kw": 800},
            {
                "type": "central_heat_pump",
                "id": "central-hp",
                "name": "HP",
                "location": _at(-20, 15),
            },
            {
                "type": "thermal_storage",
                "id": "buffer",
                "name": "Tank",
                "location": _at(60, 15),
                "max_capacity_kwh": 5000,
            },
            {
                "type": "waste_heat",
                "id": "server-room",
                "name": "Server room",
                "location": _at(-30, -30),
                "temperature_c": 30.0,
                "capacity_kw": 200.0,
                "price_eur_per_mwh": 12.5,
            },
        ]
    )
    document["buildings"][1]["reference_heating"] = "air_source_heat_pump"
    document["buildings"][1]["cooling_supply_c"] = 12.0
    district, demand = _load(tmp_path, document)
    inputs = sizing_inputs(district, demand)
    a, b = inputs.buildings
    assert (a.reference_heating, a.cooling_supply_c) == ("gas_boiler", 16.0)
    assert (b.reference_heating, b.cooling_supply_c) == ("air_source_heat_pump", 12.0)
    offers = {p.node_id: p for p in inputs.plants}
    assert offers["dry-cooler"].kind == "dry_cooler"
    assert (offers["dry-cooler"].partner, offers["dry-cooler"].max_kw) == ("utility", 800.0)
    assert offers["central-hp"].kind == "central_heat_pump"
    assert offers["central-hp"].max_kw == float("inf")
    assert (offers["buffer"].kind, offers["buffer"].max_kw) == ("thermal_storage", 5000.0)
    assert inputs.heat_sources[0].price_eur_per_mwh == 12.5
    # every plant site is a node of the candidate network (spanning tree over all nodes)
    ends = {e.from_id for e in inputs.edges} | {e.to_id for e in inputs.edges}
    assert {"dry-cooler", "central-hp", "buffer", "server-room", "office-a", "office-b"} == ends
    assert len(inputs.edges) == 5
    assert "utility" in inputs.partners
    assert unreached_nodes(district, inputs) == []


def test_the_simulation_uses_each_buildings_cooling_supply_and_ignores_plant_sites(tmp_path):
    document = _document(sources=[DRY_COOLER])
    document["buildings"][1]["cooling_supply_c"] = 8.0
    district, demand = _load(tmp_path, document)
    inputs = network_inputs(district, demand)
    specs = inputs.substation_specs
    assert (specs["office-a"].t_cooling_supply_c, specs["office-b"].t_cooling_supply_c) == (
        16.0,
        8.0,
    )
    # the dry cooler is no balancing unit: without an ATES it sits at the centroid
    assert inputs.balancing_id == "balancing-unit"
    assert "dry-cooler" not in set(inputs.nodes["id"])
    # 16 degC chilled water: free cooling from the 10 degC cold line; 8 degC: a chiller
    assert inputs.substations["office-a"]["elec_cooling_kw"].sum() == 0
    assert inputs.substations["office-b"]["elec_cooling_kw"].sum() > 0


def test_a_given_route_is_the_candidate_network_of_the_sizing(tmp_path, capsys):
    ates = {
        "type": "ates",
        "id": "ates",
        "name": "ATES",
        "location": _at(-30, 0),
        "max_flow_m3_per_h": 50,
        "warm_well_c": 16.0,
        "cold_well_c": 9.0,
    }
    buildings = [
        _office("office-a", 0, 0),
        _office("office-b", 40, 0),
        _office("office-c", 0, 40, phase="candidate"),
    ]
    route = {
        "edges": [
            {"from_id": "ates", "to_id": "office-a", "length_m": 120.0},
            {"from_id": "ates", "to_id": "office-b"},
        ],
        "detour_factor": 1.5,
    }
    document = _document(
        buildings=buildings,
        sources=[ates, DRY_COOLER],
        network={"warm_line_c": 16.0, "cold_line_c": 10.0, "route": route},
    )
    district, demand = _load(tmp_path, document)
    # a plant site off the given route could never be used: the district file is wrong
    with pytest.raises(InputError, match="dry-cooler.*not reached by the route") as error:
        sizing_inputs(district, demand)
    assert error.value.field == "sources[1].location"
    assert main(["validate", str(tmp_path / "district.yaml")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "sources[1].location" in err and "dry-cooler" in err
    on_route = copy.deepcopy(document)
    on_route["network"]["route"]["edges"].append({"from_id": "ates", "to_id": "dry-cooler"})
    district, demand = _load(tmp_path, on_route, name="on_route.yaml")
    inputs = sizing_inputs(district, demand)
    edges = {
        (e.from_id, e.to_id): e.length_m
        for e in inputs.edges
        if "dry-cooler" not in (e.from_id, e.to_id)
    }
    # the spanning tree would run through the dry cooler; the route goes via the ATES
    assert set(edges) == {("ates", "office-a"), ("ates", "office-b")}
    assert edges["ates", "office-a"] == 120.0
    simulated = route_edges(district, node_ids=["office-a", "office-b", "ates"])
    assert edges["ates", "office-b"] == pytest.approx(
        simulated.set_index("to_id").loc["office-b", "length_m"]
    )
    # off the route: the candidate cannot connect
    assert unreached_nodes(district, inputs) == ["office-c"]
    steps = time_steps(inputs, n_periods=2, period_hours=24)
    result = solve_and_extract(build_model(inputs, steps, options=OPTIONS))
    assert not result.building("office-c").connected
    assert set(edges) <= {(e.from_id, e.to_id) for e in result.edges}

    without_route = copy.deepcopy(document)
    del without_route["network"]["route"]
    district, demand = _load(tmp_path, without_route, name="mst.yaml")
    mst = sizing_inputs(district, demand)
    assert {("dry-cooler", "office-a"), ("dry-cooler", "office-b")} <= {
        (e.from_id, e.to_id) for e in mst.edges
    }
    assert unreached_nodes(district, mst) == []


# --- behaviour of the optimiser ----------------------------------------------------------------


def test_dry_cooler_from_the_file_is_built_when_cooling_dominates(tmp_path):
    # constant (process) cooling of 1,500 MWh/yr per office: comfort cooling alone comes in
    # warm weather, when a dry cooler on a 16/10 degC loop (air below 13 degC) cannot reject it
    (tmp_path / "cool.csv").write_text("cool\n" + f"{1_500_000 / 8760:.4f}\n" * 8760)

    def process_cooled(**changes):
        document = _document(**changes)
        for building in document["buildings"]:
            building["measured_profile"] = {"file": "cool.csv"}
        return document

    district, demand = _load(tmp_path, process_cooled(sources=[DRY_COOLER]))
    inputs, result = _solve(district, demand)
    plant = next(p for p in result.plants if p.kind == "dry_cooler")
    assert plant.plant_id == "dry_cooler@dry-cooler"
    assert plant.capacity_kw > 100.0
    # it rejects a large part of the 2 x 1,500 MWh of cooling heat (in the cold half year)
    assert plant.heat_from_loop_mwh_per_yr > 500.0
    assert set(result.connected_buildings) == {"office-a", "office-b"}
    built = {(e.from_id, e.to_id) for e in result.edges if e.built}
    assert any("dry-cooler" in pair for pair in built)

    # without the offer the loop has nowhere to put the heat: the design costs more
    bare, bare_demand = _load(tmp_path, process_cooled(), name="bare.yaml")
    _, without = _solve(bare, bare_demand)
    assert not [p for p in without.plants if p.kind == "dry_cooler"]
    assert result.design.cost_eur_per_yr < without.design.cost_eur_per_yr

    # a capacity limit in the file binds
    limited = process_cooled(sources=[{**DRY_COOLER, "max_capacity_kw": 300}])
    district, demand = _load(tmp_path, limited, name="limited.yaml")
    _, capped = _solve(district, demand)
    dry = next(p for p in capped.plants if p.kind == "dry_cooler")
    assert dry.capacity_kw == pytest.approx(300.0, rel=1e-6)


def test_reference_heating_air_source_heat_pump_prices_the_reference_with_electricity(tmp_path):
    document = _document()
    document["buildings"][1]["reference_heating"] = "air_source_heat_pump"
    district, demand = _load(tmp_path, document)
    _, result = _solve(district, demand)
    lines = {(c.owner, c.item): c for c in result.reference_costs}
    boiler = lines["office-a", "reference_heating"]
    heat_pump = lines["office-b", "reference_heating"]
    assert boiler.gas_m3_per_yr > 0 and boiler.electricity_kwh_per_yr == 0
    assert heat_pump.gas_m3_per_yr == 0 and heat_pump.electricity_kwh_per_yr > 0
    # same demand: the heat pump uses less final energy than the boiler (COP > 1 vs < 1)
    gas_kwh = boiler.gas_m3_per_yr * 8.79  # lower heating value 31.65 MJ/m3
    assert heat_pump.electricity_kwh_per_yr < 0.6 * gas_kwh
    assert heat_pump.investment_eur > boiler.investment_eur


def test_sensitivity_factors_from_the_file_are_the_table(tmp_path):
    document = _document(
        sources=[DRY_COOLER],
        economics={"sensitivity": {"gas_price": [0.5, 2.0], "capex_factor": []}},
    )
    district, demand = _load(tmp_path, document)
    stage = run_sizing(
        district,
        demand,
        out_dir=tmp_path / "ranges",
        options=OPTIONS,
        sensitivity="if_given",
    )
    table = pd.read_csv(tmp_path / "ranges" / "sizing" / "sensitivity.csv")
    assert (
        list(table.parameter)
        == ["base"] + ["gas_price_eur_per_m3"] * 2 + ["electricity_price_eur_per_kwh"] * 2
    )
    assert list(table.factor) == [1.0, 0.5, 2.0, 0.7, 1.3]
    assert list(table.factors_from.fillna("")) == ["", *["district file"] * 2, *["default"] * 2]
    gas = table[table.parameter == "gas_price_eur_per_m3"].set_index("factor")
    base_gas = resolved_economics(district)["gas_price_eur_per_m3"]
    assert gas.loc[2.0, "value"] == pytest.approx(2.0 * base_gas)
    # dearer gas makes the reference (gas boilers) dearer
    assert gas.loc[2.0, "reference_cost_eur_per_yr"] > gas.loc[0.5, "reference_cost_eur_per_yr"]
    assert len(stage.sensitivity) == 5
    note = json.loads((tmp_path / "ranges" / "sizing" / "design.json").read_text())
    assert "gas_price x0.5, x2 (district file)" in note["sensitivity_note"]
    assert "capex_factor not varied (district file)" in note["sensitivity_note"]
    assert "electricity_price x0.7, x1.3 (default)" in note["sensitivity_note"]


def test_tsg_run_mode_writes_the_table_only_when_the_file_gives_ranges(tmp_path):
    district, demand = _load(tmp_path, _document())
    run_sizing(
        district,
        demand,
        out_dir=tmp_path / "run",
        options=OPTIONS,
        sensitivity="if_given",
    )
    folder = tmp_path / "run" / "sizing"
    assert not (folder / "sensitivity.csv").exists()
    doc = json.loads((folder / "design.json").read_text())
    assert "no sensitivity table" in doc["sensitivity_note"]
    assert doc["candidate_network"] == {
        "from": "minimum spanning tree over all buildings and sources",
        "not_reached": [],
    }
    # tsg size (True) on the same file: defaults for all three, said in the note
    run_sizing(
        district,
        demand,
        out_dir=tmp_path / "size",
        options=OPTIONS,
        sensitivity=True,
    )
    table = pd.read_csv(tmp_path / "size" / "sizing" / "sensitivity.csv")
    assert len(table) == 7 and set(table.factors_from.dropna()) == {"default"}
    doc = json.loads((tmp_path / "size" / "sizing" / "design.json").read_text())
    assert "defaults x0.7 and x1.3" in doc["sensitivity_note"]
    with pytest.raises(ValueError, match="if_given"):
        run_sizing(
            district,
            demand,
            out_dir=tmp_path / "bad",
            options=OPTIONS,
            sensitivity="always",
        )


def test_a_dry_cooler_feeds_the_simulated_network_with_the_hourly_balance_closed(tmp_path):
    ates = {
        "type": "ates",
        "id": "ates",
        "name": "ATES",
        "location": _at(-30, 0),
        "max_flow_m3_per_h": 100,
        "warm_well_c": 16.0,
        "cold_well_c": 9.0,
    }
    district, demand = _load(tmp_path, _document(sources=[ates, DRY_COOLER]))
    stage = run_sizing(
        district,
        demand,
        out_dir=tmp_path,
        options=OPTIONS,
        sensitivity=False,
    )
    # the ATES must stay in balance, so the surplus of cooling heat goes to the dry cooler
    dry = next(p for p in stage.result.plants if p.kind == "dry_cooler")
    assert dry.capacity_kw > 0 and dry.heat_from_loop_mwh_per_yr > 100.0
    assert (tmp_path / "sizing" / "network_map.png").stat().st_size > 0
    verification = verify_design(
        district,
        demand,
        stage.result,
        stage.inputs,
        out_dir=tmp_path,
        progress=Progress(quiet=True),
    )
    comparison = verification.comparison
    assert comparison["valid_hours"] == 8760
    assert "plants_note" not in comparison
    # the dry cooler is a node of the simulated network with its own substation
    year = verification.year
    assert "dry-cooler" in year.building_ids
    assert "dry-cooler" in set(year.junctions.node_id)
    k = list(year.building_ids).index("dry-cooler")
    heat = year.bld_heat_delivered_kw[:, k]
    # it takes the optimiser's annual heat from the loop (within 2 %), never more than its
    # capacity in an hour and never gives heat
    simulated_mwh = float(heat.sum()) / 1000.0
    assert simulated_mwh == pytest.approx(dry.heat_from_loop_mwh_per_yr, rel=0.02)
    assert float(heat.max()) <= dry.capacity_kw * (1 + 1e-6)
    assert float(heat.min()) >= -1e-6
    (row,) = comparison["plants_mwh_per_yr"]
    assert row["plant_id"] == "dry_cooler@dry-cooler" and row["node_id"] == "dry-cooler"
    assert row["simulation"]["from_loop"] == pytest.approx(simulated_mwh)
    assert abs(row["relative_difference"]) <= 0.02 and row["note"] == ""
    assert row["optimiser"]["from_loop"] == dry.heat_from_loop_mwh_per_yr
    # the balancing unit now stands for the ATES alone
    balancing = comparison["balancing_mwh_per_yr"]
    assert balancing["lumped"] == ["ates"]
    ates_design = next(p for p in stage.result.plants if p.kind == "ates")
    assert balancing["optimiser"]["from_loop"] == ates_design.heat_from_loop_mwh_per_yr
    # every hour: buildings + plant = balancing unit + soil, within the solver's tolerance
    delivered = year.bld_heat_delivered_kw.sum(axis=1)
    unit = year.hours.balancing_heat_kw.to_numpy(dtype=float)
    soil = year.pipe_soil_gain_kw.sum(axis=1)
    gross = np.maximum.reduce([np.abs(year.bld_heat_delivered_kw).sum(axis=1), abs(unit)])
    assert np.all(np.abs(unit + soil - delivered) <= 5e-3 * gross + 1e-6)
    # pandapipes solves the plant's hours as the fast solver does
    hours = np.flatnonzero(heat > 0)[[0, -1]].tolist() + [int(np.argmax(heat))]
    _pandapipes_agrees(district, demand, stage, year, hours)
    # as the optimiser operates it over the full year: the dry cooler's node load is its LP
    # heat (> 0: takes heat), and the simulation takes that heat from the loop
    operated, plants, lp_year = _operated_year(district, demand, stage)
    p = [x.plant_id for x in stage.inputs.plants].index("dry_cooler@dry-cooler")
    assert np.allclose(plants["dry-cooler"].to_numpy(), operated.plant_kw[p])
    assert float(operated.plant_kw[p].max()) <= dry.capacity_kw * (1 + 1e-6)
    lp_heat = lp_year.bld_heat_delivered_kw[:, list(lp_year.building_ids).index("dry-cooler")]
    assert float(lp_heat.sum()) == pytest.approx(float(operated.plant_kw[p].sum()), rel=0.02)


def _operated_year(district, demand, stage):
    """The design operated over the full year: the LP, its plant loads and its simulated year."""
    operated = operate_design(stage.inputs, stage.result, options=OPTIONS)
    assert operated.optimal
    _, plants = operated_dispatch(stage.result, stage.inputs, operated)
    verified = compute_verification(
        district,
        demand,
        stage.result,
        stage.inputs,
        progress=Progress(quiet=True),
        operated=operated,
    )
    return operated, plants, verified.year


def _pandapipes_agrees(district, demand, stage, year, hours) -> None:
    """The design's hours solved with pandapipes: every element's heat as the fast solver's."""
    network = build_network(
        edges=stage.result.design_edges(),
        building_ids=year.building_ids,
        balancing_id="ates",
        loop=district_loop(district, district_design_limits(district)),
    )
    loads = design_loop_loads_kw(stage.result, stage.inputs)
    loads.index = demand.profiles.index
    t_soil = soil_temperature_c(demand.weather["temp_air_c"])
    reference = simulate_year(
        network,
        building_heat_kw=loads.iloc[hours],
        t_soil_c=t_soil.iloc[hours],
        force_pandapipes=True,
    )
    assert reference.valid.all()
    assert reference.bld_heat_delivered_kw == pytest.approx(
        year.bld_heat_delivered_kw[hours], rel=1e-3, abs=1e-3
    )
    assert reference.hours.balancing_heat_kw.to_numpy(dtype=float) == pytest.approx(
        year.hours.balancing_heat_kw.to_numpy(dtype=float)[hours], rel=5e-3, abs=1.0
    )


def test_a_thermal_storage_charges_and_discharges_at_its_node_within_rate_and_charge(tmp_path):
    ates = {
        "type": "ates",
        "id": "ates",
        "name": "ATES",
        "location": _at(-30, 0),
        "max_flow_m3_per_h": 20,
        "warm_well_c": 16.0,
        "cold_well_c": 9.0,
    }
    tank = {"type": "thermal_storage", "id": "tank", "name": "Tank", "location": _at(20, 15)}
    heated = {"heat_mwh": 1500.0, "dhw_mwh": 10.0, "cool_mwh": 100.0}
    buildings = [
        _office("office-a", 0, 0, annual_demand_mwh=heated),
        _office("office-b", 40, 0, annual_demand_mwh=heated),
    ]
    district, demand = _load(tmp_path, _document(sources=[ates, tank], buildings=buildings))
    stage = run_sizing(district, demand, out_dir=tmp_path, options=OPTIONS, sensitivity=False)
    store = next(p for p in stage.result.plants if p.kind == "thermal_storage")
    assert store.capacity_kw > 0 and store.heat_from_loop_mwh_per_yr > 1.0
    verification = verify_design(
        district,
        demand,
        stage.result,
        stage.inputs,
        out_dir=tmp_path,
        progress=Progress(quiet=True),
    )
    year = verification.year
    assert verification.comparison["valid_hours"] == 8760
    k = list(year.building_ids).index("tank")
    heat = year.bld_heat_delivered_kw[:, k]
    # it charges and discharges the optimiser's energy (within 2 %) ...
    assert float(heat.clip(min=0).sum()) / 1000 == pytest.approx(
        store.heat_from_loop_mwh_per_yr, rel=0.02
    )
    assert float(-heat.clip(max=0).sum()) / 1000 == pytest.approx(
        store.heat_to_loop_mwh_per_yr, rel=0.02
    )
    # ... within its charge rate and between empty and full (the simulation delivers the
    # dispatched load within its tolerance)
    rate = stage.inputs.technologies.thermal_storage.max_c_rate_per_h * store.capacity_kw
    assert float(np.abs(heat).max()) <= rate * (1 + 1e-6)
    charge = np.cumsum(heat)
    assert charge.min() >= -1e-3 * store.capacity_kw
    assert charge.max() <= store.capacity_kw * (1 + 1e-3)
    # and every hour closes: buildings + storage = balancing unit + soil
    delivered = year.bld_heat_delivered_kw.sum(axis=1)
    unit = year.hours.balancing_heat_kw.to_numpy(dtype=float)
    soil = year.pipe_soil_gain_kw.sum(axis=1)
    gross = np.maximum.reduce([np.abs(year.bld_heat_delivered_kw).sum(axis=1), abs(unit)])
    assert np.all(np.abs(unit + soil - delivered) <= 5e-3 * gross + 1e-6)
    # pandapipes solves the charging and discharging hours as the fast solver does
    hours = [int(np.argmax(heat)), int(np.argmin(heat)), int(np.flatnonzero(heat < 0)[0])]
    _pandapipes_agrees(district, demand, stage, year, hours)
    # as the optimiser operates it over the full year: the tank's node load is its LP charge
    # minus its discharge, within its rate, and the simulation moves that heat
    operated, plants, lp_year = _operated_year(district, demand, stage)
    p = [x.kind for x in stage.inputs.plants].index("thermal_storage")
    by_hand = operated.plant_kw[p] - operated.plant_out_kw[p]
    assert np.allclose(plants["tank"].to_numpy(), by_hand)
    assert float(np.abs(by_hand).max()) <= rate * (1 + 1e-6)
    lp_heat = lp_year.bld_heat_delivered_kw[:, list(lp_year.building_ids).index("tank")]
    for sign in (1.0, -1.0):
        assert float((sign * lp_heat).clip(min=0).sum()) == pytest.approx(
            float((sign * by_hand).clip(min=0).sum()), rel=0.02
        )


# --- connection modes and the gas-free policy ------------------------------------------------


def _heated_office(building_id: str, north_m: float, east_m: float, **extra) -> dict:
    """An office with real heating (1,000 MWh/yr) next to its cooling."""
    return _office(
        building_id,
        north_m,
        east_m,
        annual_demand_mwh={"heat_mwh": 1000.0, "dhw_mwh": 50.0, "cool_mwh": 800.0},
        **extra,
    )


def _with_ates(document: dict) -> dict:
    document["sources"] = [
        {
            "type": "ates",
            "id": "ates",
            "name": "ATES",
            "location": _at(20, -20),
            "max_flow_m3_per_h": 150,
            "warm_well_c": 16.0,
            "cold_well_c": 9.0,
        }
    ]
    return document


def _gas_m3(lines, building_id: str) -> float:
    return sum(c.gas_m3_per_yr for c in lines if c.owner == building_id)


def test_a_full_connection_keeps_no_backup_and_a_partial_one_may(tmp_path):
    document = _with_ates(
        _document(
            buildings=[
                _heated_office("office-a", 0, 0, connection="full"),
                _heated_office("office-b", 40, 0, connection="partial"),
            ]
        )
    )
    district, demand = _load(tmp_path, document)
    inputs, result = _solve(district, demand)
    assert [b.full_connection for b in inputs.buildings] == [True, False]
    full = result.building("office-a")
    if full.connected:  # connected fully: no boiler and no gas stay
        assert _gas_m3(result.costs, "office-a") == 0.0
        assert all(
            c.investment_eur == 0.0
            for c in result.costs
            if c.owner == "office-a" and c.item == "reference_heating"
        )


def test_a_gas_free_district_keeps_no_gas(tmp_path):
    document = _with_ates(
        _document(buildings=[_heated_office("office-a", 0, 0), _heated_office("office-b", 40, 0)])
    )
    document["network"]["gas_free"] = True
    district, demand = _load(tmp_path, document)
    inputs, result = _solve(district, demand)
    assert all(b.full_connection for b in inputs.buildings)
    # off the grid a building heats with an air-source heat pump, on it the grid alone serves
    assert {b.reference_heating for b in inputs.buildings} == {"air_source_heat_pump"}
    assert sum(c.gas_m3_per_yr for c in result.costs) == 0.0
    assert sum(c.gas_m3_per_yr for c in result.reference_costs) == 0.0
    # the same district without the policy burns gas in its reference case
    document["network"]["gas_free"] = False
    district, demand = _load(tmp_path, document, name="with_gas.yaml")
    _, with_gas = _solve(district, demand)
    assert sum(c.gas_m3_per_yr for c in with_gas.reference_costs) > 0.0


def test_a_partial_connection_in_a_gas_free_district_is_an_error(tmp_path, capsys):
    document = _document(buildings=[_office("office-a", 0, 0, connection="partial")])
    document["network"]["gas_free"] = True
    path = tmp_path / "district.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "buildings[0].connection" in err and "gas_free" in err


def test_ates_is_built_in_whole_doublets(tmp_path):
    document = _with_ates(
        _document(buildings=[_heated_office("office-a", 0, 0), _heated_office("office-b", 40, 0)])
    )
    document["sources"][0].update({"max_flow_m3_per_h": 15, "doublets": 4})
    district, demand = _load(tmp_path, document)
    inputs, result = _solve(district, demand)
    (ates,) = inputs.ates
    per_doublet = 15 * 998.78 / 3600 * 4.186 * (16.0 - 9.0)  # m3/h -> kg/s x cp x spread
    assert ates.doublets == 4
    assert ates.max_heat_kw / 4 == pytest.approx(per_doublet, rel=2e-3)
    built = next(p for p in result.plants if p.kind == "ates").capacity_kw
    n = built / (ates.max_heat_kw / 4)
    assert n == pytest.approx(round(n), abs=1e-6) and 1 <= round(n) <= 4
