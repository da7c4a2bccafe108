"""Trench routes: proposed, listed as edges, drawn as GeoJSON; subsets and broken routes."""

import copy
import json

import numpy as np
import pytest
import yaml

from tsg.common import InputError
from tsg.district import built_in_district_path, load_district
from tsg.route import district_nodes, route_edges

VALID = yaml.safe_load(built_in_district_path().read_text())
EXISTING = [b["id"] for b in VALID["buildings"] if b.get("phase", "existing") == "existing"]
NODES = [*EXISTING, "ates"]
STAR = [{"from_id": "ates", "to_id": b} for b in EXISTING]


def _district(tmp_path, route, extra=None):
    document = copy.deepcopy(VALID)
    document["network"]["route"] = route
    (tmp_path / "district.yaml").write_text(yaml.safe_dump(document))
    for name, text in (extra or {}).items():
        (tmp_path / name).write_text(text)
    return load_district(tmp_path / "district.yaml")


def _straight_m(district, a, b):
    xy = district_nodes(district).set_index("id")
    return float(np.hypot(*(xy.loc[a, ["x_m", "y_m"]] - xy.loc[b, ["x_m", "y_m"]])))


def test_listed_edges_without_length_use_straight_distance_times_detour(tmp_path):
    district = _district(tmp_path, {"edges": STAR, "detour_factor": 1.5})
    edges = route_edges(district, node_ids=NODES)
    assert len(edges) == len(EXISTING)
    row = edges[(edges.to_id == "hotel")].iloc[0]
    assert row.length_m == pytest.approx(1.5 * _straight_m(district, "ates", "hotel"))


def test_listed_edges_keep_given_lengths_and_drop_unsimulated_nodes(tmp_path):
    edges = [{**e, "length_m": 100.0} for e in STAR]
    edges.append({"from_id": "bus-station", "to_id": "shopping-centre", "length_m": 50.0})
    district = _district(tmp_path, {"edges": edges})
    result = route_edges(district, node_ids=NODES)
    assert (result.length_m == 100.0).all() and "shopping-centre" not in set(result.to_id)


def test_geojson_route_is_snapped_to_nodes(tmp_path):
    plain = _district(tmp_path, {"edges": STAR})
    xy = {b.id: b.location for b in plain.buildings} | {s.id: s.location for s in plain.sources}
    features = [
        {
            "type": "Feature",
            "properties": {},
            "geometry": {
                "type": "LineString",
                "coordinates": [
                    [xy["ates"].longitude_deg, xy["ates"].latitude_deg],
                    [xy[b].longitude_deg + 1e-5, xy[b].latitude_deg],
                ],
            },
        }  # about 0.7 m off
        for b in EXISTING
    ]
    geojson = json.dumps({"type": "FeatureCollection", "features": features})
    district = _district(tmp_path, {"geojson": "route.geojson"}, {"route.geojson": geojson})
    edges = route_edges(district, node_ids=NODES)
    assert set(edges.to_id) | set(edges.from_id) == set(NODES)
    row = edges[(edges.to_id == "hotel") | (edges.from_id == "hotel")].iloc[0]
    assert row.length_m == pytest.approx(_straight_m(district, "ates", "hotel"), abs=1.5)


def test_route_that_does_not_connect_the_buildings_is_an_input_error(tmp_path):
    district = _district(tmp_path, {"edges": STAR[:-1]})
    with pytest.raises(InputError, match="not connected") as caught:
        route_edges(district, node_ids=NODES)
    assert caught.value.field == "network.route.edges"


def test_unknown_node_in_route_is_rejected_when_loading(tmp_path):
    with pytest.raises(InputError, match="neither a building nor a source") as caught:
        _district(tmp_path, {"edges": [{"from_id": "ates", "to_id": "castle"}]})
    assert caught.value.field == "network.route.edges[0].to_id"


def test_proposed_route_is_a_spanning_tree(hvz):
    edges = route_edges(hvz, node_ids=NODES)
    assert len(edges) == len(NODES) - 1
