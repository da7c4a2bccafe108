"""Sizing stage and ``tsg size`` on a small synthetic district; typical periods."""

import argparse
import json

import numpy as np
import pandas as pd
import pytest
import yaml
from stage_helpers import run_sizing

from tsg.commands import size as size_command
from tsg.demand import district_demand
from tsg.district import load_district
from tsg.optimisation.sizing import SizingOptions, full_year, typical_periods
from tsg.sizing_inputs import sizing_inputs
from tsg.synthetic import synthetic_district_document


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    doc = synthetic_district_document(n_buildings=4, seed=3, n_partners=2)
    doc["sources"] = [
        {
            "type": "ates",
            "id": "ates",
            "name": "ATES",
            "partner": doc["partners"][0]["id"],
            "location": doc["buildings"][0]["location"],
            "max_flow_m3_per_h": 100,
            "warm_well_c": 16.0,
            "cold_well_c": 9.0,
        }
    ]
    doc["sources"][0]["location"] = {
        "latitude_deg": float(doc["buildings"][0]["location"]["latitude_deg"]) + 0.0003,
        "longitude_deg": float(doc["buildings"][0]["location"]["longitude_deg"]),
    }
    path = tmp_path_factory.mktemp("district") / "district.yaml"
    path.write_text(yaml.safe_dump(json.loads(json.dumps(doc, default=float))), encoding="utf-8")
    district = load_district(path)
    return path, district, district_demand(district, district_file=path)


def test_sizing_inputs_from_a_district(small):
    _, district, demand = small
    inp = sizing_inputs(district, demand)
    assert [b.building_id for b in inp.buildings] == [b.id for b in district.buildings]
    assert len(inp.edges) == len(district.buildings)  # spanning tree incl. the ATES
    ates = inp.ates[0]
    # 100 m3/h x 7 K
    assert ates.max_heat_kw == pytest.approx(100 * 999.8 / 3600 * 4.186 * 7, rel=1e-3)
    assert inp.n_hours == 8760


def test_typical_periods_keep_energy_and_report_error(small):
    _, district, demand = small
    inp = sizing_inputs(district, demand)
    steps = typical_periods(inp, n_periods=6)
    assert steps.weights_h.sum() == pytest.approx(8760)
    assert steps.n_periods >= 6
    exact = full_year(inp)
    np.testing.assert_allclose(
        (steps.weights_h * steps.total_heat_kw).sum(axis=1),
        exact.total_heat_kw.sum(axis=1),
        rtol=1e-6,
    )
    assert 0 <= steps.error.weighted_rmse < 1
    assert steps.error.max_energy_error < 1e-6


def test_stage_writes_design_tables_map_and_sensitivity(small, tmp_path):
    _, district, demand = small
    stage = run_sizing(
        district,
        demand,
        out_dir=tmp_path,
        options=SizingOptions(n_typical_periods=3),
    )
    folder = tmp_path / "sizing"
    names = {p.name for p in folder.iterdir()}
    assert names == {
        "design.json",
        "costs_by_component.csv",
        "costs_by_building.csv",
        "costs_by_partner.csv",
        "cost_lines.csv",
        "edges.csv",
        "sensitivity.csv",
        "network_map.png",
        "costs.xlsx",
        "network.geojson",
        "network.gpkg",
    }
    doc = json.loads((folder / "design.json").read_text())
    assert doc["total_cost_eur_per_yr"] == pytest.approx(stage.result.design.cost_eur_per_yr)
    edges = pd.read_csv(folder / "edges.csv")
    assert {"from_id", "to_id", "length_m", "dn_mm", "built"} <= set(edges.columns)
    table = pd.read_csv(folder / "sensitivity.csv")
    assert len(table) == 7
    gas = table[table.parameter == "gas_price_eur_per_m3"].set_index("factor")
    # dearer gas makes the reference dearer
    assert gas.loc[1.3, "reference_cost_eur_per_yr"] > gas.loc[0.7, "reference_cost_eur_per_yr"]
    partner = pd.read_csv(folder / "costs_by_partner.csv", index_col=0)
    assert partner["cost_eur_per_yr"].sum() == pytest.approx(stage.result.design.cost_eur_per_yr)


def test_size_command(small, tmp_path, capsys):
    path, _, _ = small
    parser = argparse.ArgumentParser()
    size_command.add_parser(parser.add_subparsers())
    args = parser.parse_args(
        [
            "size",
            str(path),
            "--out",
            str(tmp_path),
            "--typical-periods",
            "2",
            "--no-sensitivity",
            "--quiet",
        ]
    )
    assert args.handler(args) == 0
    assert "buildings connect" in capsys.readouterr().out
    assert (tmp_path / "sizing" / "design.json").is_file()
    assert not (tmp_path / "sizing" / "sensitivity.csv").exists()
