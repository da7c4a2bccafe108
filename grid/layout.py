"""Network layout: coordinates, candidate trenches between buildings.

All coordinates inside the toolkit are Dutch RD New (EPSG:28992) metres, so distances are
plain Euclidean distances. Inputs in WGS84 are converted with :func:`to_rd_new`.

Edge tables returned by this module have the columns

``from_id`` (str)
    Node id at one end.
``to_id`` (str)
    Node id at the other end.
``length_m`` (float)
    Trench length [m] (one line; a two-pipe network lays two pipes of this length).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from pyproj import Transformer

from tsg.common.errors import InputError
from tsg.grid.geojson_lines import linestrings

EDGE_COLUMNS = ["from_id", "to_id", "length_m"]
NODE_COLUMNS = ["id", "x_m", "y_m"]

__all__ = [
    "EDGE_COLUMNS",
    "NODE_COLUMNS",
    "edges_from_geojson",
    "edges_from_list",
    "edges_to_graph",
    "propose_layout",
    "snap_geojson_edges",
    "snap_lines",
    "to_rd_new",
    "to_wgs84",
]


@lru_cache(maxsize=1)
def _wgs84_to_rd() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)


@lru_cache(maxsize=1)
def _rd_to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)


def to_wgs84(x_m: Any, y_m: Any) -> tuple[Any, Any]:
    """Convert Dutch RD New (EPSG:28992) coordinates to WGS84 latitude/longitude.

    Parameters
    ----------
    x_m, y_m
        RD New easting and northing [m], scalar or array.

    Returns
    -------
    latitude_deg, longitude_deg
        WGS84 [deg] (same shape as the input).

    Raises
    ------
    InputError
        If a coordinate is not finite.
    """
    x = np.asarray(x_m, dtype=float)
    y = np.asarray(y_m, dtype=float)
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise InputError("RD New coordinates must be finite numbers", field="x_m")
    lon, lat = _rd_to_wgs84().transform(x, y)
    if np.ndim(x_m) == 0 and np.ndim(y_m) == 0:
        return float(lat), float(lon)
    return np.asarray(lat), np.asarray(lon)


def to_rd_new(latitude_deg: Any, longitude_deg: Any) -> tuple[Any, Any]:
    """Convert WGS84 latitude/longitude to Dutch RD New (EPSG:28992) coordinates.

    Parameters
    ----------
    latitude_deg
        Latitude [deg north], scalar or array.
    longitude_deg
        Longitude [deg east], scalar or array.

    Returns
    -------
    x_m, y_m
        RD New easting and northing [m] (same shape as the input).

    Raises
    ------
    InputError
        If a coordinate is not finite or outside the valid latitude/longitude range.

    """
    lat = np.asarray(latitude_deg, dtype=float)
    lon = np.asarray(longitude_deg, dtype=float)
    if not (np.all(np.isfinite(lat)) and np.all(np.isfinite(lon))):
        raise InputError("latitude/longitude must be finite numbers", field="latitude_deg")
    if np.any(np.abs(lat) > 90.0):
        raise InputError("latitude must lie in [-90, 90] degrees", field="latitude_deg")
    if np.any(np.abs(lon) > 180.0):
        raise InputError("longitude must lie in [-180, 180] degrees", field="longitude_deg")
    x, y = _wgs84_to_rd().transform(lon, lat)
    if np.ndim(latitude_deg) == 0 and np.ndim(longitude_deg) == 0:
        return float(x), float(y)
    return np.asarray(x), np.asarray(y)


def _check_nodes(nodes: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in NODE_COLUMNS if c not in nodes.columns]
    if missing:
        raise InputError(f"node table lacks columns {missing}; required: {NODE_COLUMNS}")
    out = nodes[NODE_COLUMNS].copy()
    out["id"] = out["id"].astype(str)
    if out["id"].duplicated().any():
        dup = sorted(out.loc[out["id"].duplicated(), "id"].unique())
        raise InputError(f"duplicate node ids: {dup}", field="id")
    for col in ("x_m", "y_m"):
        vals = pd.to_numeric(out[col], errors="coerce")
        if vals.isna().any() or not np.all(np.isfinite(vals.to_numpy())):
            raise InputError(f"node coordinates must be finite numbers in '{col}'", field=col)
        out[col] = vals.astype(float)
    return out.reset_index(drop=True)


def propose_layout(nodes: pd.DataFrame, *, detour_factor: float = 1.2) -> pd.DataFrame:
    """Propose a tree network connecting all nodes: the Euclidean minimum spanning tree.

    Parameters
    ----------
    nodes
        Columns ``id`` (node id), ``x_m``, ``y_m`` (RD New coordinates [m]).
        Nodes are buildings, the balancing unit (ATES) and optional junctions.
    detour_factor
        Trench length / straight distance [-], >= 1. The default 1.2 is an assumption: streets
        rarely allow straight trenches between buildings.

    Returns
    -------
    pandas.DataFrame
        Edge table with columns ``from_id``, ``to_id``, ``length_m`` [m] (n_nodes - 1 rows,
        sorted by ``from_id``, ``to_id``; ``from_id`` < ``to_id`` as strings).

    Raises
    ------
    InputError
        Missing columns, duplicate ids, non-finite coordinates, fewer than two nodes,
        two nodes at the same position, or ``detour_factor < 1``.

    """
    if not np.isfinite(detour_factor) or detour_factor < 1.0:
        raise InputError(f"detour_factor must be >= 1, got {detour_factor}", field="detour_factor")
    tbl = _check_nodes(nodes)
    if len(tbl) < 2:
        raise InputError("a layout needs at least two nodes", field="id")
    xy = tbl[["x_m", "y_m"]].to_numpy()
    dist = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    iu = np.triu_indices(len(tbl), k=1)
    if np.any(dist[iu] <= 0.0):
        i, j = (k[np.argmin(dist[iu])] for k in iu)
        raise InputError(
            f"nodes '{tbl.id[i]}' and '{tbl.id[j]}' share the same position", field="x_m"
        )
    graph = nx.Graph()
    ids = tbl["id"].tolist()
    graph.add_nodes_from(ids)
    graph.add_weighted_edges_from(
        (ids[i], ids[j], float(dist[i, j])) for i, j in zip(*iu, strict=True)
    )
    tree = nx.minimum_spanning_tree(graph, weight="weight", algorithm="kruskal")
    rows = []
    for a, b, data in tree.edges(data=True):
        lo, hi = sorted((a, b))
        rows.append((lo, hi, data["weight"] * detour_factor))
    out = pd.DataFrame(rows, columns=EDGE_COLUMNS)
    return out.sort_values(["from_id", "to_id"], ignore_index=True)


def edges_from_list(
    edges: pd.DataFrame | Iterable[Mapping[str, Any]],
    *,
    node_ids: Iterable[str],
    allow_mesh: bool = True,
    file: str | Path | None = None,
) -> pd.DataFrame:
    """Validate a user-given edge list.

    Parameters
    ----------
    edges
        Table or iterable of mappings with keys ``from_id``, ``to_id``, ``length_m`` [m].
    node_ids
        All node ids that exist (buildings, balancing unit, junctions). Every node must be
        connected.
    allow_mesh
        If False, the graph must be a tree (n_nodes - 1 edges). If True, meshes are allowed.
    file
        Source file name, only used in error messages.

    Returns
    -------
    pandas.DataFrame
        Edge table ``from_id``, ``to_id`` (str), ``length_m`` [m] in the input order.

    Raises
    ------
    InputError
        Unknown ids, self loops, duplicate edges, non-positive or non-finite lengths, a graph
        that is not connected, or a mesh when ``allow_mesh`` is False.

    """
    tbl = pd.DataFrame(list(edges)) if not isinstance(edges, pd.DataFrame) else edges.copy()
    missing = [c for c in EDGE_COLUMNS if c not in tbl.columns]
    if missing:
        raise InputError(f"edge list lacks columns {missing}; required: {EDGE_COLUMNS}", file=file)
    tbl = tbl[EDGE_COLUMNS].reset_index(drop=True)
    tbl["from_id"] = tbl["from_id"].astype(str)
    tbl["to_id"] = tbl["to_id"].astype(str)
    ids = [str(i) for i in node_ids]
    known = set(ids)
    if len(known) != len(ids):
        raise InputError("node ids are not unique", file=file, field="node_ids")
    lengths = pd.to_numeric(tbl["length_m"], errors="coerce")
    for k, row in tbl.iterrows():
        for col in ("from_id", "to_id"):
            if row[col] not in known:
                raise InputError(
                    f"unknown node id '{row[col]}'; known ids: {sorted(known)}",
                    file=file,
                    field=f"edges[{k}].{col}",
                )
        if row["from_id"] == row["to_id"]:
            raise InputError(
                f"edge connects node '{row['from_id']}' to itself", file=file, field=f"edges[{k}]"
            )
        val = lengths.iloc[k]
        if not np.isfinite(val) or val <= 0.0:
            raise InputError(
                f"length_m must be a positive finite number, got {row['length_m']!r}",
                file=file,
                field=f"edges[{k}].length_m",
            )
    tbl["length_m"] = lengths.astype(float)
    pair = tbl[["from_id", "to_id"]].apply(lambda r: tuple(sorted(r)), axis=1)
    if pair.duplicated().any():
        k = int(np.flatnonzero(pair.duplicated().to_numpy())[0])
        raise InputError(f"duplicate edge {pair.iloc[k]}", file=file, field=f"edges[{k}]")
    graph = edges_to_graph(tbl, node_ids=ids)
    if not nx.is_connected(graph):
        parts = sorted((sorted(c) for c in nx.connected_components(graph)), key=len)
        raise InputError(
            f"network is not connected; separate parts: {parts}", file=file, field="edges"
        )
    if not allow_mesh and graph.number_of_edges() != graph.number_of_nodes() - 1:
        raise InputError(
            "network must be a tree (no meshes) but has "
            f"{graph.number_of_edges()} edges for {graph.number_of_nodes()} nodes",
            file=file,
            field="edges",
        )
    return tbl


def edges_to_graph(edges: pd.DataFrame, *, node_ids: Iterable[str] | None = None) -> nx.Graph:
    """Build an undirected networkx graph with edge attribute ``length_m`` [m]."""
    graph = nx.Graph()
    if node_ids is not None:
        graph.add_nodes_from(str(i) for i in node_ids)
    for row in edges.itertuples(index=False):
        graph.add_edge(str(row.from_id), str(row.to_id), length_m=float(row.length_m))
    return graph


def edges_from_geojson(
    geojson: str | Path | Mapping[str, Any],
    *,
    nodes: pd.DataFrame,
    snap_tolerance_m: float = 5.0,
    crs_is_wgs84: bool = True,
    file: str | Path | None = None,
) -> pd.DataFrame:
    """Read trenches drawn as GeoJSON LineStrings, snap their ends to nodes and validate them.

    Same as :func:`snap_geojson_edges` followed by :func:`edges_from_list` over all nodes (so
    the route must connect every node).
    """
    rows = snap_geojson_edges(
        geojson,
        nodes=nodes,
        snap_tolerance_m=snap_tolerance_m,
        crs_is_wgs84=crs_is_wgs84,
        file=file,
    )
    source = file if file is not None else (geojson if isinstance(geojson, Path) else None)
    return edges_from_list(rows, node_ids=nodes["id"].astype(str).tolist(), file=source)


def snap_geojson_edges(
    geojson: str | Path | Mapping[str, Any],
    *,
    nodes: pd.DataFrame,
    snap_tolerance_m: float = 5.0,
    crs_is_wgs84: bool = True,
    file: str | Path | None = None,
) -> pd.DataFrame:
    """Read trenches drawn as GeoJSON lines and snap their ends to nodes (no checks).

    ``geojson`` is a FeatureCollection (mapping, JSON text or path to a ``.geojson`` file) of
    LineString or MultiLineString features (each part one trench) in WGS84 [lon, lat]
    (RFC 7946), or in RD New [x_m, y_m] when ``crs_is_wgs84`` is False; the other parameters
    and the result are those of :func:`snap_lines`.
    """
    lines, file = linestrings(geojson, crs_is_wgs84=crs_is_wgs84, file=file)
    return snap_lines(
        lines, nodes=nodes, snap_tolerance_m=snap_tolerance_m, crs_is_wgs84=crs_is_wgs84, file=file
    )


def snap_lines(
    lines: Sequence[tuple[str, np.ndarray]],
    *,
    nodes: pd.DataFrame,
    snap_tolerance_m: float = 5.0,
    crs_is_wgs84: bool = True,
    file: str | Path | None = None,
) -> pd.DataFrame:
    """Snap the ends of trench lines to nodes (no checks of the resulting edges).

    Parameters
    ----------
    lines
        (field path, positions ``(n, 2)`` [x, y]) per trench line, e.g. from
        :func:`grid.geojson_lines.linestrings`.
    nodes
        Node table ``id``, ``x_m``, ``y_m`` (RD New [m]).
    snap_tolerance_m
        Maximum distance [m] between a line end and the node it is attached to.
    crs_is_wgs84
        Whether the positions are WGS84 [lon, lat] (default) or already RD New [m].
    file
        Source file name, only used in error messages.

    Returns
    -------
    pandas.DataFrame
        Edge table ``from_id``, ``to_id``, ``length_m`` (the polyline length in RD New [m]),
        and ``field`` (the field path of the line), not yet checked for duplicates or
        connectivity (see :func:`edges_from_list`).

    """
    tbl = _check_nodes(nodes)
    xy_nodes = tbl[["x_m", "y_m"]].to_numpy()
    rows = []
    for where, coords in lines:
        if crs_is_wgs84:
            x, y = to_rd_new(coords[:, 1], coords[:, 0])
            coords = np.column_stack([x, y])
        else:
            coords = coords[:, :2]
        ends = []
        for end in (coords[0], coords[-1]):
            d = np.hypot(*(xy_nodes - end).T)
            i = int(np.argmin(d))
            if d[i] > snap_tolerance_m:
                raise InputError(
                    f"line end is {d[i]:.1f} m from the nearest node '{tbl.id[i]}' "
                    f"(snap tolerance {snap_tolerance_m} m)",
                    file=file,
                    field=where,
                )
            ends.append(tbl.id[i])
        length = float(np.sum(np.hypot(*np.diff(coords, axis=0).T)))
        rows.append({"from_id": ends[0], "to_id": ends[1], "length_m": length, "field": where})
    return pd.DataFrame(rows, columns=[*EDGE_COLUMNS, "field"])
