"""The `tsg simulate` stage: files, formats, energy balance, command line."""

import argparse
import json

import numpy as np
import pandapipes as pp
import pandas as pd
import pytest
import yaml

from tsg.commands import simulate
from tsg.common.errors import InputError
from tsg.demand import district_demand
from tsg.district import load_district
from tsg.grid.annual_summary import network_totals
from tsg.grid.design_limits import load_design_limits
from tsg.progress import Progress
from tsg.simulation_inputs import network_inputs
from tsg.simulation_stage import run_simulation

EXPECTED_FILES = {
    "network.geojson",
    "network.pandapipes.json",
    "hourly_nodes.parquet",
    "hourly_pipes.parquet",
    "hourly_buildings.parquet",
    "hourly_network.parquet",
    "annual_summary.json",
    "design_checks.csv",
    "network_map.png",
    "temperatures.png",
    "balancing_load_duration.png",
    "manifest.json",
}


def small_district(tmp_path, *, with_ates=True):
    document = {
        "id": "mini",
        "name": "Mini district",
        "location": {"latitude_deg": 51.884, "longitude_deg": 4.4885},
        "network": {"warm_line_c": 16.0, "cold_line_c": 10.0},
        "partners": [{"id": "p", "name": "P", "role": "other"}],
        "buildings": [
            {
                "id": "office",
                "name": "Office",
                "partner": "p",
                "archetype": "office",
                "floor_area_m2": 4000,
                "location": {"latitude_deg": 51.8840, "longitude_deg": 4.4880},
            },
            {
                "id": "homes",
                "name": "Homes",
                "partner": "p",
                "archetype": "residential",
                "floor_area_m2": 3000,
                "heating_supply_c": 35.0,
                "location": {"latitude_deg": 51.8846, "longitude_deg": 4.4890},
            },
            {
                "id": "shop",
                "name": "Shop",
                "partner": "p",
                "archetype": "retail",
                "floor_area_m2": 2000,
                "location": {"latitude_deg": 51.8836, "longitude_deg": 4.4895},
            },
            {
                "id": "later",
                "name": "Candidate",
                "partner": "p",
                "archetype": "hotel",
                "floor_area_m2": 2000,
                "phase": "candidate",
                "location": {"latitude_deg": 51.8850, "longitude_deg": 4.4875},
            },
        ],
    }
    if with_ates:
        document["sources"] = [
            {
                "type": "ates",
                "id": "wko",
                "name": "ATES",
                "location": {"latitude_deg": 51.8842, "longitude_deg": 4.4886},
                "max_flow_m3_per_h": 100,
                "warm_well_c": 16,
                "cold_well_c": 9,
            }
        ]
    path = tmp_path / "district.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def parse(argv):
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    simulate.add_parser(sub)
    return parser.parse_args(argv)


def test_simulate_command_writes_every_file(tmp_path, capsys):
    path = small_district(tmp_path)
    args = parse(["simulate", str(path), "--out", str(tmp_path / "out"), "--quiet"])
    assert args.handler(args) == 0
    folder = tmp_path / "out" / "simulation"
    assert {p.name for p in folder.iterdir()} == EXPECTED_FILES
    assert "valid hours" in capsys.readouterr().out
    geo = json.loads((folder / "network.geojson").read_text())
    assert geo["type"] == "FeatureCollection"
    lines = [f for f in geo["features"] if f["geometry"]["type"] == "LineString"]
    points = [f for f in geo["features"] if f["geometry"]["type"] == "Point"]
    assert len(lines) == 3 and len(points) == 4  # 3 existing buildings + ATES, MST
    for f in lines:
        (lon0, lat0), (lon1, lat1) = f["geometry"]["coordinates"]
        assert 4.4 < lon0 < 4.6 and 51.8 < lat0 < 51.9
        assert f["properties"]["dn_mm"] > 0 and f["properties"]["length_m"] > 0
        assert f["properties"]["peak_mdot_kg_per_s"] > 0
        shares = [f["properties"][k] for k in ("share_forward", "share_backward", "share_no_flow")]
        assert sum(shares) == pytest.approx(1.0)
    net = pp.from_json(str(folder / "network.pandapipes.json"))
    assert len(net.pipe) == 6 and len(net.heat_consumer) == 6
    nodes = pd.read_parquet(folder / "hourly_nodes.parquet")
    assert len(nodes) == 8760 * 8 and {"t_c", "p_bar", "line"} <= set(nodes.columns)
    pipes = pd.read_parquet(folder / "hourly_pipes.parquet")
    assert len(pipes) == 8760 * 6
    bld = pd.read_parquet(folder / "hourly_buildings.parquet")
    assert set(bld.building_id.astype(str)) == {"office", "homes", "shop"}
    summary = json.loads((folder / "annual_summary.json").read_text())
    assert summary["hours"] == 8760 and summary["balancing_unit"]["id"] == "wko"
    assert 0.0 <= summary["totals"]["direct_exchange_share"] <= 1.0
    assert summary["totals"]["max_energy_residual_rel"] < 5e-3
    checks = pd.read_csv(folder / "design_checks.csv")
    assert list(checks.columns)[:3] == ["check", "element", "element_id"]


def test_candidates_centroid_and_errors(tmp_path):
    path = small_district(tmp_path, with_ates=False)
    district = load_district(path)
    demand = district_demand(district, district_file=path)
    inputs = network_inputs(district, demand, include_candidates=True)
    assert "later" in inputs.building_ids and "centroid" in inputs.balancing_note
    assert inputs.t_soil_c.mean() == pytest.approx(demand.weather.temp_air_c.mean(), abs=0.3)
    assert 2.0 < (inputs.t_soil_c.max() - inputs.t_soil_c.min()) / 2 < 8.0
    nobody = district.model_copy(
        update={
            "buildings": [b.model_copy(update={"phase": "candidate"}) for b in district.buildings]
        }
    )
    with pytest.raises(InputError, match="existing"):
        network_inputs(nobody, demand)


@pytest.mark.slow
def test_reference_district_energy_balance_closes_every_hour(tmp_path, hvz, hvz_demand):
    result = run_simulation(hvz, hvz_demand, out_dir=tmp_path, progress=Progress(quiet=True))
    year = result.year
    h = year.hours
    ok = year.valid
    # the homes at the end of their branch get water less than 3 K above the cold line in
    # winter; their heat pump then returns it below the cold line (not a flagged hour).
    # Known issue (issue 13 inputs): one near-balanced spring hour (27 March 11:00, net building
    # load about -130 kW) does not converge in the fast solver nor in pandapipes; at most that
    # one hour may be flagged, and only for non-convergence.
    assert result.summary["flagged_hours"] <= 1, h.reason[~ok].value_counts()
    assert h.reason[~ok].str.contains("not converged").all()
    homes = year.building_ids.index("homes")
    boosted = (year.bld_mode[:, homes] == 1) & (year.bld_t_out_c[:, homes] < 10.0 - 1e-6)
    assert boosted.sum() > 20
    # ... by 3 K, but not below the minimum return temperature of the design limits
    floor_c = load_design_limits().min_temperature_c
    np.testing.assert_allclose(
        year.bld_t_out_c[boosted, homes],
        np.maximum(year.bld_t_in_c[boosted, homes] - 3.0, floor_c),
        atol=1e-6,
    )
    # every solved hour closes within 0.5 %
    assert (h.energy_residual_rel[ok] < 5e-3).all()
    # independent check of the balance from the per-element arrays
    q_bld = np.nansum(year.bld_heat_delivered_kw[ok], axis=1)
    soil = np.nansum(year.pipe_soil_gain_kw[ok], axis=1)
    residual = h.balancing_heat_kw[ok].to_numpy() + soil - q_bld
    gross = np.maximum(np.abs(year.bld_heat_delivered_kw[ok]).sum(axis=1), 1.0)
    assert np.all(np.abs(residual) / gross < 5e-3)
    totals = network_totals(year)
    assert totals["balancing_net_heat_to_loop_mwh"] == pytest.approx(
        totals["buildings_extract_mwh"]
        - totals["buildings_inject_mwh"]
        - totals["soil_net_gain_mwh"],
        rel=5e-3,
    )
    assert result.summary["balancing_unit"]["id"] == "ates"
