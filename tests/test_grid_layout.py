import json
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tsg.common.errors import InputError
from tsg.grid.layout import edges_from_geojson, edges_from_list, propose_layout, to_rd_new


def test_rd_new_reference_point_amersfoort():
    # The RD origin point (Onze Lieve Vrouwetoren, Amersfoort) is at x=155000, y=463000 m,
    # WGS84 52.15517440 N, 5.38720621 E (published RDNAPTRANS reference).
    x, y = to_rd_new(52.15517440, 5.38720621)
    assert x == pytest.approx(155000.0, abs=1.0)
    assert y == pytest.approx(463000.0, abs=1.0)


def test_rd_new_ahoy_distance_plausible():
    # Ahoy 51.8836 N 4.4878 E, pool 51.8838 N 4.4935 E: ~0.0057 deg lon at 51.88 N
    # = 0.0057 * 111320 * cos(51.88 deg) = ~391 m east.
    xa, ya = to_rd_new(51.8836, 4.4878)
    xp, yp = to_rd_new(51.8838, 4.4935)
    d = math.hypot(xp - xa, yp - ya)
    expected = 0.0057 * 111320 * math.cos(math.radians(51.8837))
    assert d == pytest.approx(expected, rel=0.01)
    # vectorised call gives the same numbers
    xs, ys = to_rd_new(np.array([51.8836, 51.8838]), np.array([4.4878, 4.4935]))
    assert xs[0] == pytest.approx(xa) and ys[1] == pytest.approx(yp)


def test_rd_new_rejects_bad_latitude():
    with pytest.raises(InputError):
        to_rd_new(95.0, 4.0)


def test_propose_layout_square_with_centre():
    # Four corners of a 100 m square and a centre: the MST is the star from the centre
    # (4 x 70.7 m = 282.8 m) rather than any path along the sides (3 x 100 m).
    nodes = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d", "ates"],
            "x_m": [0.0, 100.0, 100.0, 0.0, 50.0],
            "y_m": [0.0, 0.0, 100.0, 100.0, 50.0],
        }
    )
    edges = propose_layout(nodes, detour_factor=1.0)
    assert len(edges) == 4
    assert set(edges.from_id) | set(edges.to_id) == set(nodes.id)
    assert (edges[["from_id", "to_id"]] == "ates").any(axis=1).all()
    assert edges.length_m.sum() == pytest.approx(4 * 50 * math.sqrt(2))
    edges12 = propose_layout(nodes)
    assert edges12.length_m.sum() == pytest.approx(1.2 * 4 * 50 * math.sqrt(2))


def test_propose_layout_rejects_duplicates_and_coincident():
    with pytest.raises(InputError):
        propose_layout(pd.DataFrame({"id": ["a", "a"], "x_m": [0, 1], "y_m": [0, 0]}))
    with pytest.raises(InputError, match="same position"):
        propose_layout(pd.DataFrame({"id": ["a", "b"], "x_m": [0, 0], "y_m": [0, 0]}))
    with pytest.raises(InputError, match="detour"):
        propose_layout(
            pd.DataFrame({"id": ["a", "b"], "x_m": [0, 1], "y_m": [0, 0]}), detour_factor=0.9
        )


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 2000), st.integers(0, 2000)), min_size=2, max_size=25, unique=True
    )
)
def test_propose_layout_is_spanning_tree_no_longer_than_star(points):
    nodes = pd.DataFrame(
        {
            "id": [f"n{i}" for i in range(len(points))],
            "x_m": [p[0] for p in points],
            "y_m": [p[1] for p in points],
        }
    )
    edges = propose_layout(nodes, detour_factor=1.0)
    g = nx.Graph()
    g.add_nodes_from(nodes.id)
    g.add_edges_from(zip(edges.from_id, edges.to_id, strict=True))
    assert nx.is_tree(g)
    # an MST is never longer than the star from node 0
    xy = nodes[["x_m", "y_m"]].to_numpy(dtype=float)
    star = np.hypot(*(xy - xy[0]).T).sum()
    assert edges.length_m.sum() <= star + 1e-6


def test_edges_from_list_validates():
    ids = ["a", "b", "c"]
    ok = edges_from_list(
        [
            {"from_id": "a", "to_id": "b", "length_m": 10},
            {"from_id": "b", "to_id": "c", "length_m": 5.5},
        ],
        node_ids=ids,
    )
    assert ok.length_m.tolist() == [10.0, 5.5]
    with pytest.raises(InputError, match="unknown node id 'x'"):
        edges_from_list([{"from_id": "a", "to_id": "x", "length_m": 1}], node_ids=ids)
    with pytest.raises(InputError, match="positive"):
        edges_from_list(
            [
                {"from_id": "a", "to_id": "b", "length_m": 0},
                {"from_id": "b", "to_id": "c", "length_m": 1},
            ],
            node_ids=ids,
        )
    with pytest.raises(InputError, match="not connected"):
        edges_from_list([{"from_id": "a", "to_id": "b", "length_m": 1}], node_ids=ids)
    with pytest.raises(InputError, match="itself"):
        edges_from_list([{"from_id": "a", "to_id": "a", "length_m": 1}], node_ids=ids)
    mesh = [
        {"from_id": "a", "to_id": "b", "length_m": 1},
        {"from_id": "b", "to_id": "c", "length_m": 1},
        {"from_id": "c", "to_id": "a", "length_m": 1},
    ]
    assert len(edges_from_list(mesh, node_ids=ids)) == 3
    with pytest.raises(InputError, match="tree"):
        edges_from_list(mesh, node_ids=ids, allow_mesh=False)
    with pytest.raises(InputError, match="duplicate"):
        edges_from_list(mesh + [{"from_id": "b", "to_id": "a", "length_m": 2}], node_ids=ids)
    with pytest.raises(InputError) as info:
        edges_from_list(
            [{"from_id": "a", "to_id": "b", "length_m": -1}],
            node_ids=["a", "b"],
            file="district.yaml",
        )
    assert info.value.field == "edges[0].length_m"
    assert "district.yaml" in str(info.value)


def test_edges_from_geojson_snaps_and_measures(tmp_path):
    nodes = pd.DataFrame({"id": ["a", "b"], "x_m": [0.0, 30.0], "y_m": [0.0, 40.0]})
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "LineString", "coordinates": [[1, 0], [30, 0], [30, 39]]},
            }
        ],
    }
    path = tmp_path / "trenches.geojson"
    path.write_text(json.dumps(fc))
    edges = edges_from_geojson(path, nodes=nodes, crs_is_wgs84=False)
    assert edges.iloc[0].from_id == "a" and edges.iloc[0].to_id == "b"
    assert edges.iloc[0].length_m == pytest.approx(29 + 39)
    fc["features"][0]["geometry"]["coordinates"][0] = [20, 0]
    with pytest.raises(InputError, match="snap"):
        edges_from_geojson(fc, nodes=nodes, crs_is_wgs84=False)
