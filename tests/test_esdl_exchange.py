"""ESDL export and import: ``tsg export esdl`` and ``tsg import esdl``.

The references are independent of the exporter: the run folder's own files (district.json,
summary.csv, sizing/edges.csv, sizing/design.json) read with pandas/json, and an ESDL file
written directly with pyesdl.
"""

import json
from datetime import datetime, timedelta

import pandas as pd
import pytest
import yaml

from tsg import api
from tsg import run_layout as layout
from tsg.cli import main
from tsg.district import built_in_district_path, load_district
from tsg.route import route_edges

esdl = pytest.importorskip("esdl")
from esdl.esdl_handler import EnergySystemHandler  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def hvz_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("hvz-esdl") / "run"
    # one design round: the export reads the design's files, not how the loop got there
    ctx = api.open_district(built_in_district_path(), settings=api.RunSettings(design_rounds=1))
    api.size(ctx)
    api.write(ctx, out, report=False)
    return out


def _export_import(run_dir, folder, capsys):
    esdl_file = folder / "district.esdl"
    assert main(["export", "esdl", str(run_dir), "--out", str(esdl_file)]) == 0
    assert main(["import", "esdl", str(esdl_file), "--out", str(folder / "imported")]) == 0
    district_file = folder / "imported" / "district.yaml"
    assert main(["validate", str(district_file)]) == 0
    captured = capsys.readouterr()
    return esdl_file, load_district(district_file), captured.err


def _check_round_trip(run_dir, imported):
    original = json.loads(layout.DISTRICT.under(run_dir).read_text())
    summary = pd.read_csv(layout.SUMMARY.under(run_dir)).set_index("building_id")
    got = {b.id: b for b in imported.buildings}
    assert list(got) == [b["id"] for b in original["buildings"]]
    for building in original["buildings"]:
        b = got[building["id"]]
        assert b.floor_area_m2 == pytest.approx(building["floor_area_m2"])
        assert b.archetype == building["archetype"]
        assert b.partner == building["partner"]
        assert b.phase == building.get("phase", "existing")
        assert b.location.latitude_deg == pytest.approx(building["location"]["latitude_deg"])
        row = summary.loc[building["id"]]
        assert b.annual_demand_mwh.heat_mwh == pytest.approx(row["space_heat_mwh_per_yr"])
        assert b.annual_demand_mwh.dhw_mwh == pytest.approx(row["dhw_mwh_per_yr"])
        assert b.annual_demand_mwh.cool_mwh == pytest.approx(row["cool_mwh_per_yr"])
    sources = {s["id"]: s for s in original["sources"]}
    assert {s.id: s.type for s in imported.sources} == {k: v["type"] for k, v in sources.items()}
    for source in imported.sources:
        if source.type == "ates":
            assert source.warm_well_c == sources[source.id]["warm_well_c"]
            assert source.cold_well_c == sources[source.id]["cold_well_c"]
            assert source.max_flow_m3_per_h == sources[source.id]["max_flow_m3_per_h"]
    edges = pd.read_csv(layout.EDGES.under(run_dir))
    if imported.network.route.edges is not None:
        route = {(e.from_id, e.to_id): e.length_m for e in imported.network.route.edges}
    else:  # proposed again by the toolkit, over every building and source
        nodes = [b.id for b in imported.buildings] + [s.id for s in imported.sources]
        table = route_edges(imported, node_ids=nodes)
        route = {(r.from_id, r.to_id): r.length_m for r in table.itertuples()}
    route = {tuple(sorted(k)): v for k, v in route.items()}
    expected = {tuple(sorted((e.from_id, e.to_id))): e.length_m for e in edges.itertuples()}
    assert route == pytest.approx(expected, rel=1e-5)
    assert imported.network.warm_line_c == original["network"]["warm_line_c"]
    assert imported.network.cold_line_c == original["network"]["cold_line_c"]


def test_hart_van_zuid_round_trip(hvz_run, tmp_path, capsys):
    esdl_file, imported, err = _export_import(hvz_run, tmp_path, capsys)
    _check_round_trip(hvz_run, imported)
    # its pipes reach existing buildings only through candidates: the route is proposed again
    assert imported.network.route.is_proposed
    assert "through candidate buildings" in err and "cannot use" not in err


def test_synthetic_round_trip(small_run_dir, tmp_path, capsys):
    esdl_file, imported, err = _export_import(small_run_dir, tmp_path, capsys)
    _check_round_trip(small_run_dir, imported)
    assert len(imported.network.route.edges) == 4
    assert err == ""


def test_export_holds_the_sized_design(small_run_dir, tmp_path):
    esdl_file = tmp_path / "d.esdl"
    assert main(["export", "esdl", str(small_run_dir), "--out", str(esdl_file)]) == 0
    system = EnergySystemHandler().load_file(str(esdl_file))
    design = json.loads(layout.DESIGN.under(small_run_dir).read_text())
    edges = pd.read_csv(layout.EDGES.under(small_run_dir))
    area = system.instance[0].area
    pipes = [a for a in area.asset if isinstance(a, esdl.Pipe)]
    assert len(pipes) == len(edges)
    for pipe, edge in zip(pipes, edges.itertuples(), strict=True):
        assert pipe.innerDiameter * 1000 == pytest.approx(edge.dn_mm)
        assert pipe.length == pytest.approx(edge.length_m)
        assert (pipe.state == esdl.AssetStateEnum.ENABLED) == edge.built
        assert len(pipe.geometry.point) == 2
    pumps = {a.id: a for b in area.asset if isinstance(b, esdl.Building) for a in b.asset}
    for building in design["buildings"]:
        if building["connected"]:
            pump = pumps[f"HeatPump.{building['building_id']}"]
            assert pump.power == pytest.approx(building["heat_pump_kw"] * 1e3)
    ates = next(a for a in area.asset if isinstance(a, esdl.ATES))
    cost_lines = pd.DataFrame(design["costs"])
    invest = cost_lines.loc[cost_lines["owner"] == "ates", "investment_eur"].sum()
    assert ates.costInformation.investmentCosts.value == pytest.approx(invest)
    lines_pipes = cost_lines.loc[cost_lines["item"] == "pipes", "investment_eur"].sum()
    pipe_eur = sum(p.costInformation.investmentCosts.value for p in pipes if p.costInformation)
    assert pipe_eur == pytest.approx(lines_pipes, rel=1e-6)
    kpis = {k.name: k.value for k in area.KPIs.kpi}
    assert kpis["total cost"] == pytest.approx(design["total_cost_eur_per_yr"])
    assert kpis["investment"] == pytest.approx(design["design"]["investment_eur"])


def _qau(physical, unit, multiplier="NONE", per_time=None):
    qau = esdl.QuantityAndUnitType(
        physicalQuantity=getattr(esdl.PhysicalQuantityEnum, physical),
        unit=getattr(esdl.UnitEnum, unit),
        multiplier=getattr(esdl.MultiplierEnum, multiplier),
    )
    if per_time:
        qau.perTimeUnit = getattr(esdl.TimeUnitEnum, per_time)
    return qau


def _hand_made(path, heat_unit=("WATTHOUR", "GIGA")):
    """An ESDL file written with pyesdl only: a building with an RD New polygon, an aggregated
    consumer with an hourly power profile, an ATES, a gas heater, pipes through a joint."""
    handler = EnergySystemHandler()
    system = handler.create_empty_energy_system("hand made", "test")
    area = system.instance[0].area
    carrier = esdl.HeatCommodity(id="loop", supplyTemperature=18.0, returnTemperature=12.0)
    system.energySystemInformation = esdl.EnergySystemInformation(id="info")
    system.energySystemInformation.carriers = esdl.Carriers(id="carriers")
    system.energySystemInformation.carriers.carrier.append(carrier)
    # Building as an RD New square of 20 m around (92000, 434000) [m]
    ring = esdl.SubPolygon()
    for dx, dy in ((0, 0), (20, 0), (20, 20), (0, 20), (0, 0)):
        ring.point.append(esdl.Point(lon=92000.0 + dx, lat=434000.0 + dy, CRS="EPSG:28992"))
    house = esdl.Building(id="Office-A", name="Office A", floorArea=8000.0, owner="Owner X")
    house.geometry = esdl.Polygon(exterior=ring, CRS="EPSG:28992")
    house.type.append(esdl.BuildingTypeEnum.OFFICE)
    heat = esdl.HeatingDemand(id="heat-a", type=esdl.HeatDemandTypeEnum.SH_AND_HTW)
    port = esdl.InPort(id="heat-a-in", carrier=carrier)
    port.profile.append(
        esdl.SingleValue(
            id="sv1",
            value=0.5,
            profileQuantityAndUnit=_qau("ENERGY", heat_unit[0], heat_unit[1], "YEAR"),
        )
    )
    heat.port.append(port)
    house.asset.append(heat)
    house.asset.append(esdl.GasHeater(id="boiler-a"))
    area.asset.append(house)
    # An aggregated consumer with 48 h of 100 kW cooling as a DateTimeProfile
    cool = esdl.CoolingDemand(
        id="cool-b", name="Cooled hall", geometry=esdl.Point(lat=51.8850, lon=4.4900)
    )
    cport = esdl.InPort(id="cool-b-in", carrier=carrier)
    profile = esdl.DateTimeProfile(id="p", profileQuantityAndUnit=_qau("POWER", "WATT", "KILO"))
    start = datetime(2025, 1, 1)
    for h in range(48):
        profile.element.append(
            esdl.ProfileElement(
                from_=start + timedelta(hours=h), to=start + timedelta(hours=h + 1), value=100.0
            )
        )
    cport.profile.append(profile)
    cool.port.append(cport)
    area.asset.append(cool)
    ates = esdl.ATES(
        id="ATES-1",
        name="Doublet",
        geometry=esdl.Point(lat=51.8845, lon=4.4890),
        maxStorageTemperature=17.0,
        minStorageTemperature=8.0,
        maximumFlowRate=80.0,
    )
    area.asset.append(ates)
    area.asset.append(esdl.PVInstallation(id="pv", geometry=esdl.Point(lat=51.88, lon=4.49)))
    area.asset.append(
        esdl.HeatStorage(id="buffer", geometry=esdl.Point(lat=51.8846, lon=4.4895), capacity=3.6e9)
    )
    handler.save(filename=str(path))
    return path


def test_import_of_a_file_written_with_pyesdl(tmp_path, capsys):
    from tsg.grid.layout import to_rd_new

    path = _hand_made(tmp_path / "hand.esdl")
    assert main(["import", "esdl", str(path), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "1 x GasHeater (in a building)" in err and "1 x PVInstallation" in err
    assert "Traceback" not in err
    district = load_district(tmp_path / "out" / "district.yaml")
    office, hall = district.buildings
    assert (office.id, office.archetype, office.floor_area_m2) == ("office-a", "office", 8000.0)
    x, y = to_rd_new(office.location.latitude_deg, office.location.longitude_deg)
    assert (x, y) == pytest.approx((92010.0, 434010.0), abs=0.01)
    assert office.annual_demand_mwh.heat_mwh == pytest.approx(500.0)  # 0.5 GWh
    assert hall.annual_demand_mwh.cool_mwh == pytest.approx(4.8)  # 48 h x 100 kW
    assert [p.name for p in district.partners] == ["Owner X", "unknown-owner"]
    ates, buffer = district.sources
    assert (ates.type, ates.warm_well_c, ates.cold_well_c) == ("ates", 17.0, 8.0)
    assert (buffer.type, buffer.max_capacity_kwh) == ("thermal_storage", pytest.approx(1000.0))
    assert ates.max_flow_m3_per_h == 80.0
    assert (district.network.warm_line_c, district.network.cold_line_c) == (18.0, 12.0)
    assert district.network.route.is_proposed
    assert main(["validate", str(tmp_path / "out" / "district.yaml")]) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("this is not xml", "not XML"),
        ("<note><to>x</to></note>", "not a readable ESDL file"),
    ],
)
def test_bad_files_exit_2_with_a_message(tmp_path, capsys, content, message):
    path = tmp_path / "bad.esdl"
    path.write_text(content)
    assert main(["import", "esdl", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_no_buildings_exit_2(tmp_path, capsys):
    handler = EnergySystemHandler()
    handler.create_empty_energy_system("empty", "nothing")
    handler.save(filename=str(tmp_path / "empty.esdl"))
    assert main(["import", "esdl", str(tmp_path / "empty.esdl"), "--out", str(tmp_path)]) == 2
    assert "no buildings" in capsys.readouterr().err


def test_unknown_unit_exit_2(tmp_path, capsys):
    path = _hand_made(tmp_path / "unit.esdl", heat_unit=("DEGREES_CELSIUS", "NONE"))
    assert main(["import", "esdl", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "unknown unit" in err and "heat-a" in err


def test_import_writes_yaml_without_python_tags(tmp_path, small_run_dir):
    esdl_file = tmp_path / "x.esdl"
    assert main(["export", "esdl", str(small_run_dir), "--out", str(esdl_file)]) == 0
    assert main(["import", "esdl", str(esdl_file), "--out", str(tmp_path / "i")]) == 0
    assert isinstance(yaml.safe_load((tmp_path / "i" / "district.yaml").read_text()), dict)


def test_hourly_profiles_sum_to_the_annual_demand(small_run_dir, tmp_path):
    esdl_file = tmp_path / "h.esdl"
    assert main(["export", "esdl", str(small_run_dir), "--out", str(esdl_file), "--hourly"]) == 0
    system = EnergySystemHandler().load_file(str(esdl_file))
    profiles = pd.read_csv(layout.PROFILES_CSV.under(small_run_dir))
    building = next(a for a in system.instance[0].area.asset if isinstance(a, esdl.Building))
    cooling = next(a for a in building.asset if isinstance(a, esdl.CoolingDemand))
    hourly = next(p for p in cooling.port[0].profile if isinstance(p, esdl.DateTimeProfile))
    assert len(hourly.element) == len(profiles)
    values = [e.value for e in hourly.element]
    assert values == pytest.approx(profiles[f"{building.id}.cool_kw"].tolist())


def test_export_of_a_folder_without_a_design_exits_2(tmp_path, capsys):
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "district.json").write_text("{}")
    out = tmp_path / "x.esdl"
    assert main(["export", "esdl", str(tmp_path / "run"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "design.json is missing" in err and "Traceback" not in err
    assert not out.exists()
    assert main(["export", "esdl", str(tmp_path / "nothing"), "--out", str(out)]) == 2
