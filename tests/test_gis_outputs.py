"""sizing/network.geojson and sizing/network.gpkg, and routes drawn in RD New or WGS84."""

import json

import pandas as pd
import pytest
import yaml
from exchange_helpers import small_district_document

from tsg import run_layout as layout
from tsg.district import load_district
from tsg.grid.layout import to_rd_new
from tsg.route import route_edges

pyogrio = pytest.importorskip("pyogrio")


@pytest.mark.slow
def test_geojson_holds_the_design(small_run_dir):
    collection = json.loads(layout.SIZING_GEOJSON.under(small_run_dir).read_text())
    edges = pd.read_csv(layout.EDGES.under(small_run_dir))
    trenches = [f for f in collection["features"] if f["properties"]["layer"] == "trenches"]
    assert [(t["properties"]["from_id"], t["properties"]["to_id"]) for t in trenches] == list(
        zip(edges.from_id, edges.to_id, strict=True)
    )
    for feature, edge in zip(trenches, edges.itertuples(), strict=True):
        props = feature["properties"]
        assert feature["geometry"]["type"] == "LineString"
        assert props["dn_mm"] == edge.dn_mm and props["built"] == edge.built
        assert props["peak_flow_kw"] == pytest.approx(edge.peak_flow_kw, rel=1e-5)
    # the trench costs add up to the pipes line of the cost table
    lines = pd.read_csv(layout.COST_LINES.under(small_run_dir))
    pipes_eur = lines.loc[lines["item"] == "pipes", "investment_eur"].sum()
    assert sum(t["properties"]["investment_eur"] for t in trenches) == pytest.approx(
        pipes_eur, rel=1e-5
    )
    district = json.loads(layout.DISTRICT.under(small_run_dir).read_text())
    points = {
        f["properties"].get("building_id"): f["geometry"]["coordinates"]
        for f in collection["features"]
        if f["properties"]["layer"] == "buildings"
    }
    for building in district["buildings"]:
        lon, lat = points[building["id"]]
        assert (lat, lon) == pytest.approx(
            (building["location"]["latitude_deg"], building["location"]["longitude_deg"]),
            abs=1e-7,
        )
    plants = [f for f in collection["features"] if f["properties"]["layer"] == "plants"]
    assert [p["properties"]["plant_id"] for p in plants] == ["ates"]


@pytest.mark.slow
def test_geopackage_opens_with_pyogrio(small_run_dir):
    path = layout.SIZING_GPKG.under(small_run_dir)
    layers = dict(pyogrio.list_layers(path).tolist())
    assert layers == {"trenches": "LineString", "buildings": "Point", "plants": "Point"}
    info = pyogrio.read_info(path, layer="trenches")
    edges = pd.read_csv(layout.EDGES.under(small_run_dir))
    assert info["crs"] == "EPSG:4326" and info["features"] == len(edges)
    _, _, geometry, fields = pyogrio.raw.read(path, layer="trenches")
    names = list(info["fields"])
    assert list(fields[names.index("dn_mm")]) == edges["dn_mm"].tolist()
    assert len(geometry) == len(edges)


def _route_district(folder, crs):
    doc = small_district_document()
    nodes = {b["id"]: b["location"] for b in doc["buildings"]}
    nodes.update({s["id"]: s["location"] for s in doc["sources"]})
    pairs = [("ates", "b0000"), ("ates", "b0001"), ("b0000", "b0002"), ("b0001", "c0001")]
    features = []
    for a, b in pairs:
        la, lb = nodes[a], nodes[b]
        # a bend: via the point at a's latitude and b's longitude
        corners = [
            (la["latitude_deg"], la["longitude_deg"]),
            (la["latitude_deg"], lb["longitude_deg"]),
            (lb["latitude_deg"], lb["longitude_deg"]),
        ]
        if crs == "EPSG:28992":
            coords = [list(to_rd_new(lat, lon)) for lat, lon in corners]
        else:
            coords = [[lon, lat] for lat, lon in corners]
        features.append(
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "LineString", "coordinates": coords},
            }
        )
    (folder / "route.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features})
    )
    doc["network"]["route"] = {"geojson": "route.geojson", "crs": crs}
    path = folder / "district.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return load_district(path)


def test_route_in_rd_new_gives_the_same_network_as_in_wgs84(tmp_path):
    (tmp_path / "wgs").mkdir()
    (tmp_path / "rd").mkdir()
    wgs = _route_district(tmp_path / "wgs", "EPSG:4326")
    rd = _route_district(tmp_path / "rd", "EPSG:28992")
    ids = [b.id for b in wgs.buildings] + [s.id for s in wgs.sources]
    a = route_edges(wgs, node_ids=ids)
    b = route_edges(rd, node_ids=ids)
    assert list(zip(a.from_id, a.to_id, strict=True)) == list(zip(b.from_id, b.to_id, strict=True))
    assert b.length_m.tolist() == pytest.approx(a.length_m.tolist(), abs=1e-6)
    # a bent line is longer than the straight distance between its ends
    assert (a.length_m > 10).all()


def test_unknown_crs_is_refused(tmp_path):
    from tsg.cli import main

    doc = small_district_document()
    doc["network"]["route"] = {"edges": [{"from_id": "ates", "to_id": "b0000"}], "crs": "EPSG:3857"}
    path = tmp_path / "district.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    assert main(["validate", str(path)]) == 2
