"""The sized design for GIS: ``sizing/network.geojson`` and ``sizing/network.gpkg``.

Three layers in WGS84 (EPSG:4326): ``trenches`` (LineStrings: ends, length, DN, built, peak
flow, pipe cost of the trench), ``buildings`` (Points: partner, connected, heat pump and network
cooling size) and ``plants`` (Points: kind, capacity). The GeoJSON holds all three in one
FeatureCollection (property ``layer``); the GeoPackage, written with pyogrio when it is
installed (``pip install 'thermal-smart-grid[gis]'``), one layer each.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from tsg.grid.layout import to_wgs84
from tsg.optimisation.sizing import SizingInputs, SizingResult
from tsg.outputs import write_atomically, write_json

__all__ = ["design_layers", "write_geojson", "write_geopackage"]

Layer = list[tuple[list[tuple[float, float]], dict[str, Any]]]


def _lon_lat(xy: tuple[float, float]) -> tuple[float, float]:
    lat, lon = to_wgs84(xy[0], xy[1])
    return (round(float(lon), 8), round(float(lat), 8))


def design_layers(
    result: SizingResult, inputs: SizingInputs, node_xy: dict[str, tuple[float, float]]
) -> dict[str, Layer]:
    """Build the three layers of the design: positions [lon, lat] and properties per feature.

    Parameters
    ----------
    result
        The sized design.
    inputs
        Its inputs (node positions in RD New, the pipe catalogue with costs).
    node_xy
        Extra node positions in RD New [m] (plant sites).

    Returns
    -------
    dict
        ``trenches``, ``buildings``, ``plants``: lists of (positions, properties).
    """
    xy = {b.building_id: (b.x_m, b.y_m) for b in inputs.buildings}
    xy.update({s.source_id: (s.x_m, s.y_m) for s in (*inputs.ates, *inputs.heat_sources)})
    xy.update(node_xy)
    xy.update({p.plant_id: xy[p.node_id] for p in inputs.plants if p.node_id in xy})
    cost_per_m = {(p.dn_mm, p.parallel): p.cost_eur_per_m for p in inputs.pipes}
    trenches: Layer = []
    for e in result.edges:
        if e.from_id not in xy or e.to_id not in xy:
            continue
        cost = cost_per_m.get((e.dn_mm, e.parallel_pipes), 0.0) * e.length_m if e.built else 0.0
        trenches.append(
            (
                [_lon_lat(xy[e.from_id]), _lon_lat(xy[e.to_id])],
                {
                    "from_id": e.from_id,
                    "to_id": e.to_id,
                    "length_m": float(e.length_m),
                    "dn_mm": int(e.dn_mm) if e.built else 0,
                    "parallel_pipes": int(e.parallel_pipes) if e.built else 0,
                    "built": bool(e.built),
                    "peak_flow_kw": float(e.peak_flow_kw),
                    "peak_mdot_kg_per_s": float(e.peak_mdot_kg_per_s),
                    "investment_eur": float(cost),
                },
            )
        )
    buildings: Layer = [
        (
            [_lon_lat(xy[b.building_id])],
            {
                "building_id": b.building_id,
                "partner": b.partner,
                "connected": bool(b.connected),
                "heat_pump_kw": float(b.heat_pump_kw),
                "network_cooling_kw": float(b.network_cooling_kw),
            },
        )
        for b in result.buildings
        if b.building_id in xy
    ]
    plants: Layer = [
        (
            [_lon_lat(xy[p.plant_id])],
            {
                "plant_id": p.plant_id,
                "kind": p.kind,
                "partner": p.partner or "",
                "capacity_kw": float(p.capacity_kw),
            },
        )
        for p in result.plants
        if p.plant_id in xy
    ]
    return {"trenches": trenches, "buildings": buildings, "plants": plants}


def write_geojson(path: Path, layers: dict[str, Layer]) -> Path:
    """Write the layers as one GeoJSON FeatureCollection (RFC 7946, WGS84)."""
    features = []
    for name, layer in layers.items():
        for positions, properties in layer:
            geometry = (
                {"type": "LineString", "coordinates": [list(p) for p in positions]}
                if name == "trenches"
                else {"type": "Point", "coordinates": list(positions[0])}
            )
            features.append(
                {
                    "type": "Feature",
                    "geometry": geometry,
                    "properties": {"layer": name, **properties},
                }
            )
    return write_json(path, {"type": "FeatureCollection", "features": features})


def write_geopackage(path: Path, layers: dict[str, Layer]) -> Path | None:
    """Write the layers as a GeoPackage (one layer each); None when pyogrio is not installed."""
    try:
        import numpy as np
        import pyogrio.raw
        import shapely
    except ImportError:
        return None

    def write(temporary: Path) -> None:
        with warnings.catch_warnings():
            # the temporary name ends in .tmp, not .gpkg (the final name does)
            warnings.filterwarnings("ignore", message=".*extension", category=RuntimeWarning)
            _write_layers(temporary)

    def _write_layers(temporary: Path) -> None:
        for name, layer in layers.items():
            if not layer:
                continue
            if name == "trenches":
                shapes = [shapely.LineString(positions) for positions, _ in layer]
            else:
                shapes = [shapely.Point(positions[0]) for positions, _ in layer]
            fields = list(layer[0][1])
            pyogrio.raw.write(
                str(temporary),
                geometry=np.asarray(shapely.to_wkb(shapes), dtype=object),
                field_data=[np.asarray([props[f] for _, props in layer]) for f in fields],
                fields=fields,
                layer=name,
                driver="GPKG",
                geometry_type="LineString" if name == "trenches" else "Point",
                crs="EPSG:4326",
                append=temporary.exists() and temporary.stat().st_size > 0,
            )

    return write_atomically(path, lambda p: (p.unlink(missing_ok=True), write(p))[1])
