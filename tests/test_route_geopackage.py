"""Routes drawn as GeoPackage (RD New or WGS84) and as MultiLineStrings; their bad inputs."""

import json
import sys

import numpy as np
import pytest
import yaml
from exchange_helpers import small_district_document

from tsg.cli import main
from tsg.district import load_district
from tsg.grid.layout import to_rd_new
from tsg.route import route_edges

pyogrio = pytest.importorskip("pyogrio")
shapely = pytest.importorskip("shapely")

PAIRS = [("ates", "b0000"), ("ates", "b0001"), ("b0000", "b0002"), ("b0001", "c0001")]


def _lines_wgs84(doc):
    """A bent line [lon, lat] per pair: via a's latitude and b's longitude."""
    nodes = {b["id"]: b["location"] for b in doc["buildings"]}
    nodes.update({s["id"]: s["location"] for s in doc["sources"]})
    lines = []
    for a, b in PAIRS:
        la, lb = nodes[a], nodes[b]
        lines.append(
            [
                [la["longitude_deg"], la["latitude_deg"]],
                [lb["longitude_deg"], la["latitude_deg"]],
                [lb["longitude_deg"], lb["latitude_deg"]],
            ]
        )
    return lines


def _rd(line):
    lon, lat = np.asarray(line).T
    x, y = to_rd_new(lat, lon)
    return np.column_stack([x, y]).tolist()


def _write_gpkg(path, geometries, *, crs, layer="trenches", geometry_type="MultiLineString"):
    pyogrio.raw.write(
        str(path),
        geometry=np.asarray(shapely.to_wkb(geometries), dtype=object),
        field_data=[np.arange(len(geometries))],
        fields=["trench"],
        layer=layer,
        driver="GPKG",
        geometry_type=geometry_type,
        crs=crs,
        append=path.exists(),
    )


def _district_file(folder, route):
    doc = small_district_document()
    doc["network"]["route"] = route
    path = folder / "district.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def _geojson(folder, geometries):
    features = [{"type": "Feature", "properties": {}, "geometry": g} for g in geometries]
    (folder / "route.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features})
    )


def test_geopackage_in_rd_new_gives_the_same_network_as_geojson_in_wgs84(tmp_path):
    lines = _lines_wgs84(small_district_document())
    # GeoJSON in WGS84: two LineStrings and one MultiLineString of the other two lines
    (tmp_path / "wgs").mkdir()
    _geojson(
        tmp_path / "wgs",
        [
            {"type": "LineString", "coordinates": lines[0]},
            {"type": "MultiLineString", "coordinates": [lines[1], lines[2]]},
            {"type": "LineString", "coordinates": lines[3]},
        ],
    )
    wgs = load_district(_district_file(tmp_path / "wgs", {"geojson": "route.geojson"}))
    # the same lines in RD New in a GeoPackage, next to a point layer
    (tmp_path / "rd").mkdir()
    gpkg = tmp_path / "rd" / "route.gpkg"
    rd_lines = [_rd(line) for line in lines]
    parts = [
        shapely.MultiLineString([rd_lines[0]]),
        shapely.MultiLineString([rd_lines[1], rd_lines[2]]),
        shapely.MultiLineString([rd_lines[3]]),
    ]
    _write_gpkg(gpkg, parts, crs="EPSG:28992")
    _write_gpkg(
        gpkg,
        [shapely.Point(rd_lines[0][0])],
        crs="EPSG:28992",
        layer="valves",
        geometry_type="Point",
    )
    rd = load_district(_district_file(tmp_path / "rd", {"geopackage": "route.gpkg"}))
    ids = [b.id for b in wgs.buildings] + [s.id for s in wgs.sources]
    a = route_edges(wgs, node_ids=ids)
    b = route_edges(rd, node_ids=ids)
    assert len(a) == len(PAIRS)
    assert list(zip(a.from_id, a.to_id, strict=True)) == list(zip(b.from_id, b.to_id, strict=True))
    assert b.length_m.tolist() == pytest.approx(a.length_m.tolist(), abs=0.5)
    assert (a.length_m > 10).all()
    # a layer named explicitly, in WGS84
    (tmp_path / "named").mkdir()
    named = tmp_path / "named" / "route.gpkg"
    _write_gpkg(
        named,
        [shapely.LineString(line) for line in lines],
        crs="EPSG:4326",
        layer="ours",
        geometry_type="LineString",
    )
    _write_gpkg(
        named,
        [shapely.LineString(lines[0])],
        crs="EPSG:4326",
        layer="theirs",
        geometry_type="LineString",
    )
    district = load_district(
        _district_file(tmp_path / "named", {"geopackage": "route.gpkg", "layer": "ours"})
    )
    c = route_edges(district, node_ids=ids)
    assert c.length_m.tolist() == pytest.approx(a.length_m.tolist(), abs=0.5)
    assert main(["validate", str(tmp_path / "named" / "district.yaml")]) == 0


def _refused(path, capsys, *expected):
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for text in expected:
        assert text in err, err
    return err


def test_geopackage_without_a_line_layer_is_refused(tmp_path, capsys):
    gpkg = tmp_path / "route.gpkg"
    _write_gpkg(
        gpkg,
        [shapely.Point(92_000, 436_000)],
        crs="EPSG:28992",
        layer="valves",
        geometry_type="Point",
    )
    path = _district_file(tmp_path, {"geopackage": "route.gpkg"})
    _refused(path, capsys, str(gpkg), "field 'layers'", "no line layer", "'valves' (Point)")


def test_geopackage_in_an_unknown_crs_is_refused(tmp_path, capsys):
    gpkg = tmp_path / "route.gpkg"
    _write_gpkg(
        gpkg, [shapely.LineString([(0, 0), (10, 10)])], crs="EPSG:3857", geometry_type="LineString"
    )
    path = _district_file(tmp_path, {"geopackage": "route.gpkg"})
    _refused(path, capsys, str(gpkg), "field 'trenches.crs'", "EPSG:3857", "EPSG:28992")


def test_crs_with_a_geopackage_is_refused(tmp_path, capsys):
    path = _district_file(tmp_path, {"geopackage": "route.gpkg", "crs": "EPSG:4326"})
    _refused(path, capsys, str(path), "network.route", "comes from the file")


def test_multilinestring_with_an_empty_part_is_refused(tmp_path, capsys):
    lines = _lines_wgs84(small_district_document())
    _geojson(tmp_path, [{"type": "MultiLineString", "coordinates": [lines[0], []]}])
    path = _district_file(tmp_path, {"geojson": "route.geojson"})
    _refused(
        path,
        capsys,
        str(tmp_path / "route.geojson"),
        "field 'features[0].geometry.coordinates[1]'",
        "is empty",
    )
    gpkg = tmp_path / "route.gpkg"
    broken = shapely.from_wkt(f"MULTILINESTRING (({_rd(lines[0])[0][0]} 0, 1 1), EMPTY)")
    _write_gpkg(gpkg, [broken], crs="EPSG:28992")
    path = _district_file(tmp_path, {"geopackage": "route.gpkg"})
    _refused(path, capsys, str(gpkg), "field 'trenches[1].geometry.coordinates[1]'", "is empty")


def test_geopackage_without_pyogrio_names_the_install(tmp_path, capsys, monkeypatch):
    gpkg = tmp_path / "route.gpkg"
    _write_gpkg(
        gpkg, [shapely.LineString([(0, 0), (10, 10)])], crs="EPSG:28992", geometry_type="LineString"
    )
    path = _district_file(tmp_path, {"geopackage": "route.gpkg"})
    monkeypatch.setitem(sys.modules, "pyogrio", None)  # import pyogrio raises ImportError
    _refused(path, capsys, str(gpkg), 'pip install ".[gis]"')
