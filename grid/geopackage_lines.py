"""Reading trench routes from a GeoPackage: the line layer, its coordinate system, its lines.

A route GeoPackage holds LineString or MultiLineString features (each part one trench line)
in RD New (EPSG:28992) or WGS84 (EPSG:4326); the coordinate system comes from the layer. The
file is read with pyogrio (``pip install ".[gis]"``); every geometry then goes through the
same checks as a GeoJSON route (:func:`grid.geojson_lines.geometry_lines`).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from pyproj import CRS
from pyproj.exceptions import CRSError

from tsg.common.errors import InputError
from tsg.grid.geojson_lines import MAX_FEATURES, geometry_lines

MAX_GEOPACKAGE_BYTES = 200_000_000
"""Largest route GeoPackage [bytes]."""
ROUTE_CRS = {4326: "EPSG:4326", 28992: "EPSG:28992"}
"""Coordinate systems a route may be drawn in, by EPSG code."""
GIS_HINT = 'pip install ".[gis]"'
"""How to install the GIS extras (pyogrio, shapely)."""

__all__ = ["GIS_HINT", "MAX_GEOPACKAGE_BYTES", "ROUTE_CRS", "geopackage_linestrings"]


def _gis_modules(file: Path) -> tuple[Any, Any]:
    try:
        import pyogrio
        import shapely
    except ImportError:
        raise InputError(
            "reading a GeoPackage route needs pyogrio and shapely, which are not installed: "
            f'{GIS_HINT} (or pip install "thermal-smart-grid[gis]"), or give the route as '
            "GeoJSON",
            file=file,
        ) from None
    return pyogrio, shapely


def _line_layer(pyogrio: Any, file: Path, layer: str | None) -> str:
    try:
        listed = [(str(n), str(t)) for n, t in pyogrio.list_layers(file)]
    except Exception as error:  # pyogrio's DataSourceError and friends
        raise InputError(
            f"not a readable GeoPackage ({str(error)[:200]})", file=file, field="layers"
        ) from None
    names = [n for n, _ in listed]
    lines = [n for n, t in listed if "LineString" in t]
    summary = ", ".join(f"'{n}' ({t})" for n, t in listed) or "none"
    if layer is not None:
        if layer not in names:
            raise InputError(
                f"no layer '{layer}' (network.route.layer); the layers are: {summary}",
                file=file,
                field="layers",
            )
        return layer
    if not lines:
        raise InputError(
            f"no line layer (LineString or MultiLineString); the layers are: {summary}",
            file=file,
            field="layers",
        )
    if len(lines) > 1:
        raise InputError(
            f"{len(lines)} line layers ({', '.join(lines)}); name the route's layer with "
            "network.route.layer",
            file=file,
            field="layers",
        )
    return lines[0]


def _crs(info: dict[str, Any], file: Path, layer: str) -> str:
    text = info.get("crs")
    code = None
    if text:
        try:
            code = CRS.from_user_input(text).to_epsg(min_confidence=70)
        except CRSError:
            code = None
    if code not in ROUTE_CRS:
        shown = str(text)[:80] if text else "none"
        raise InputError(
            f"coordinate system {shown} is not supported; draw the route in RD New "
            "(EPSG:28992) or WGS84 (EPSG:4326)",
            file=file,
            field=f"{layer}.crs",
        )
    return ROUTE_CRS[code]


def geopackage_linestrings(
    path: str | Path, *, layer: str | None = None
) -> tuple[list[tuple[str, np.ndarray]], str]:
    """Read the trench lines of a route GeoPackage, checking the whole layer first.

    Parameters
    ----------
    path
        The ``.gpkg`` file.
    layer
        The layer to read; default: the only layer with LineString or MultiLineString
        geometries.

    Returns
    -------
    list of (str, numpy.ndarray), str
        The field path of every trench line (``<layer>[<fid>].geometry.coordinates``, with
        ``[k]`` appended for part ``k`` of a MultiLineString) with its positions ``(n, 2)``
        ``[x, y]``, and the coordinate system (``"EPSG:28992"`` or ``"EPSG:4326"``).

    Raises
    ------
    InputError
        pyogrio not installed, the file missing or not a GeoPackage, no line layer (or several
        and none named), an unsupported coordinate system, a feature without geometry or with
        another geometry type, a line with fewer than two positions (also an empty part of a
        MultiLineString), too many features. The message names the file and the field.
    """
    file = Path(path)
    try:
        if not file.is_file():
            raise InputError("GeoPackage file not found", file=file)
        size = file.stat().st_size
    except OSError as error:
        raise InputError(f"cannot read GeoPackage ({error.strerror})", file=file) from None
    if size > MAX_GEOPACKAGE_BYTES:
        raise InputError(
            f"file is {size:,} bytes; a route may have at most {MAX_GEOPACKAGE_BYTES:,}", file=file
        )
    pyogrio, shapely = _gis_modules(file)
    name = _line_layer(pyogrio, file, layer)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        info = pyogrio.read_info(file, layer=name)
        crs = _crs(info, file, name)
        if int(info.get("features", 0)) > MAX_FEATURES:
            raise InputError(
                f"{info['features']:,} features; at most {MAX_FEATURES:,} are allowed",
                file=file,
                field=name,
            )
        _, fids, wkb, _ = pyogrio.raw.read(file, layer=name, columns=[], return_fids=True)
    if wkb is None or len(wkb) == 0:
        raise InputError(f"layer '{name}' holds no features", file=file, field=name)
    lines: list[tuple[str, np.ndarray]] = []
    for fid, blob in zip(fids, wkb, strict=True):
        where = f"{name}[{int(fid)}].geometry"
        if blob is None:
            raise InputError("the feature has no geometry", file=file, field=where)
        try:
            geometry = json.loads(shapely.to_geojson(shapely.from_wkb(blob)))
        except (shapely.errors.GEOSException, ValueError) as error:
            raise InputError(
                f"unreadable geometry ({str(error)[:120]})", file=file, field=where
            ) from None
        lines += geometry_lines(geometry, where, file=file, wgs84=crs == "EPSG:4326")
    if len(lines) > MAX_FEATURES:
        raise InputError(
            f"{len(lines):,} trench lines; at most {MAX_FEATURES:,} are allowed", file=file
        )
    return lines, crs
