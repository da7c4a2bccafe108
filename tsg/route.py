"""The trench route of a district: given as GeoJSON, GeoPackage or edges, or proposed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tsg.common import InputError
from tsg.grid.geopackage_lines import geopackage_linestrings
from tsg.grid.layout import (
    edges_from_list,
    propose_layout,
    snap_geojson_edges,
    snap_lines,
    to_rd_new,
)
from tsg.schema import District


def district_nodes(district: District, *, building_ids: list[str] | None = None) -> pd.DataFrame:
    """Locate buildings and all sources in RD New: columns ``id``, ``x_m``, ``y_m``.

    Parameters
    ----------
    district
        The validated district.
    building_ids
        Buildings to include; ``None`` = all.
    """
    points = [
        (b.id, b.location)
        for b in district.buildings
        if building_ids is None or b.id in building_ids
    ]
    points += [(s.id, s.location) for s in district.sources]
    x_m, y_m = to_rd_new([p.latitude_deg for _, p in points], [p.longitude_deg for _, p in points])
    return pd.DataFrame({"id": [i for i, _ in points], "x_m": x_m, "y_m": y_m})


def _listed_edges(district: District, nodes: pd.DataFrame) -> pd.DataFrame:
    route = district.network.route
    xy = nodes.set_index("id")[["x_m", "y_m"]]
    rows = []
    for edge in route.edges or []:
        length_m = edge.length_m
        if length_m is None:
            (x0, y0), (x1, y1) = xy.loc[edge.from_id], xy.loc[edge.to_id]
            length_m = float(np.hypot(x1 - x0, y1 - y0)) * route.detour_factor
        rows.append({"from_id": edge.from_id, "to_id": edge.to_id, "length_m": length_m})
    return pd.DataFrame(rows, columns=["from_id", "to_id", "length_m"])


def route_edges(
    district: District, *, node_ids: list[str], reached_only: bool = False
) -> pd.DataFrame:
    """Trenches that connect the given nodes (buildings and sources).

    A route given in the district file (GeoJSON or edges) may also reach nodes that are not
    simulated (e.g. candidate buildings): those trenches are left out, and what remains must
    still connect the given nodes.

    Parameters
    ----------
    district
        The validated district.
    node_ids
        Ids of the buildings and sources to connect.
    reached_only
        With a route given in the district file: connect only the given nodes that the route
        reaches and leave the others out (default: every given node must be reached). No
        effect on a proposed route.

    Returns
    -------
    pandas.DataFrame
        ``from_id``, ``to_id``, ``length_m`` [m].

    Raises
    ------
    InputError
        When the given route does not connect the nodes (message names the route).
    """
    route = district.network.route
    all_nodes = district_nodes(district)
    if route.is_proposed:
        subset = all_nodes[all_nodes["id"].isin(node_ids)]
        missing = sorted(set(node_ids) - set(subset["id"]))
        if missing:
            raise ValueError(f"nodes without a location: {missing}")
        return propose_layout(subset.reset_index(drop=True), detour_factor=route.detour_factor)
    if route.geopackage is not None:
        lines, crs = geopackage_linestrings(route.geopackage, layer=route.layer)
        rows = snap_lines(
            lines,
            nodes=all_nodes,
            snap_tolerance_m=route.snap_tolerance_m,
            crs_is_wgs84=crs == "EPSG:4326",
            file=route.geopackage,
        )
        source, field = route.geopackage, None
    elif route.geojson is not None:
        rows = snap_geojson_edges(
            route.geojson,
            nodes=all_nodes,
            snap_tolerance_m=route.snap_tolerance_m,
            crs_is_wgs84=route.crs == "EPSG:4326",
            file=route.geojson,
        )
        source, field = route.geojson, None
    else:
        rows = _listed_edges(district, all_nodes)
        source, field = None, "network.route.edges"
    kept = rows[rows["from_id"].isin(node_ids) & rows["to_id"].isin(node_ids)]
    kept = kept.reset_index(drop=True)
    if reached_only:
        reached = set(kept["from_id"]) | set(kept["to_id"])
        node_ids = [n for n in node_ids if n in reached]
        if not node_ids:
            return pd.DataFrame(columns=["from_id", "to_id", "length_m"])
    try:
        return edges_from_list(kept, node_ids=node_ids, file=source)
    except InputError as error:
        where = error.field
        if source is not None and where and where.startswith("edges["):
            k = int(where.removeprefix("edges[").split("]")[0])
            where = str(kept["field"].iloc[k])  # the line of the edge in the route file
        raise InputError(
            f"the route given in the district file: {error.message}",
            file=error.file,
            field=field or where,
        ) from None


def check_route(district: District, *, district_file: Path) -> None:
    """Check a route given in the district file as the later stages will use it.

    The rules: the GeoJSON, the GeoPackage or the edge list is well formed, every trench
    joins two different buildings or sources (line ends within ``snap_tolerance_m``), no pair
    twice; the network simulation needs an ATES source and a route that connects it with every
    existing building; and the trenches among all the nodes the route reaches form one
    connected network (what the sizing uses). A proposed route (none given) always passes.

    Raises
    ------
    InputError
        Naming the district file (edge list) or the GeoJSON / GeoPackage file, and the field.
    """
    route = district.network.route
    if route.is_proposed:
        return
    if not any(s.type == "ates" for s in district.sources):
        raise InputError(
            "a route given in the district file needs an ATES source (type: ates) as the "
            "balancing unit of the network simulation",
            file=district_file,
            field="network.route",
        )
    ates = next(s.id for s in district.sources if s.type == "ates")
    existing = [b.id for b in district.buildings if b.phase == "existing"]
    everything = [b.id for b in district.buildings] + [s.id for s in district.sources]
    try:
        route_edges(district, node_ids=everything, reached_only=True)
        route_edges(district, node_ids=[*existing, ates])
    except InputError as error:
        if error.file is not None:
            raise
        raise InputError(error.message, file=district_file, field=error.field) from None
