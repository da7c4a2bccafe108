"""Reading trench routes drawn as GeoJSON: every part of the structure checked before use.

A route file is a FeatureCollection of LineString or MultiLineString features (or one Feature,
or one bare geometry); every LineString, and every part of a MultiLineString, is one trench
line. Positions are ``[x, y]`` or ``[x, y, z]`` numbers; with WGS84 (RFC 7946)
``x`` is the longitude in [-180, 180] and ``y`` the latitude in [-90, 90].
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from tsg.common.errors import InputError

MAX_GEOJSON_BYTES = 20_000_000
"""Largest route file [bytes]."""
MAX_FEATURES = 20_000
"""Most features (trenches) in one route file."""
MAX_POSITIONS = 100_000
"""Most positions of one LineString."""

LINE_TYPES = ("LineString", "MultiLineString")
"""Geometry types a route may hold."""

__all__ = [
    "LINE_TYPES",
    "MAX_FEATURES",
    "MAX_GEOJSON_BYTES",
    "MAX_POSITIONS",
    "geometry_lines",
    "linestrings",
    "load_geojson",
]


def _no_constants(name: str) -> float:
    raise ValueError(f"{name} is not allowed in GeoJSON (numbers must be finite)")


def load_geojson(path: str | Path) -> Any:
    """Parse a GeoJSON file: size limit, UTF-8, strict JSON (no NaN, no deep nesting).

    Raises
    ------
    InputError
        The file is missing, too large, not UTF-8 or not JSON; the message names the file.
    """
    file = Path(path)
    try:
        if not file.is_file():
            raise InputError("GeoJSON file not found", file=file)
        size = file.stat().st_size
        if size > MAX_GEOJSON_BYTES:
            raise InputError(
                f"file is {size:,} bytes; a route may have at most {MAX_GEOJSON_BYTES:,}",
                file=file,
            )
        data = file.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read GeoJSON ({error.strerror})", file=file) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"not UTF-8 text: byte 0x{data[error.start]:02x} at offset {error.start}; GeoJSON "
            "is UTF-8 (RFC 7946)",
            file=file,
        ) from None
    return parse_geojson_text(text, file=file)


def parse_geojson_text(text: str, *, file: str | Path | None = None) -> Any:
    """Parse GeoJSON text strictly (see :func:`load_geojson`)."""
    try:
        return json.loads(text, parse_constant=_no_constants)
    except RecursionError:
        raise InputError("invalid GeoJSON: nested too deeply", file=file) from None
    except ValueError as error:
        raise InputError(f"invalid GeoJSON: {error}", file=file) from None


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a text", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, int | float) else "null"
    )


def _features(data: Any, file: str | Path | None) -> list[tuple[str, Any]]:
    """(field path, geometry) of every feature."""
    if not isinstance(data, Mapping):
        raise InputError(
            f"the top level is {_kind(data)}; expected an object: a FeatureCollection of "
            "LineString features",
            file=file,
        )
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise InputError(
                f"'features' is {_kind(features)}; expected an array of LineString features",
                file=file,
                field="features",
            )
        if len(features) > MAX_FEATURES:
            raise InputError(
                f"{len(features):,} features; at most {MAX_FEATURES:,} are allowed",
                file=file,
                field="features",
            )
        entries = [(f"features[{k}]", feature) for k, feature in enumerate(features)]
    elif kind in ("Feature", *LINE_TYPES):
        entries = [("(top level)", data)]
    else:
        raise InputError(
            f"'type' is {str(kind)[:40]!r}; expected 'FeatureCollection' (or one 'Feature' or "
            "'LineString' / 'MultiLineString')",
            file=file,
            field="type",
        )
    if not entries:
        raise InputError("GeoJSON holds no features", file=file, field="features")
    geometries = []
    for field, feature in entries:
        if not isinstance(feature, Mapping):
            raise InputError(
                f"a feature is {_kind(feature)}; expected an object", file=file, field=field
            )
        geometry = (
            feature.get("geometry", feature) if feature.get("type") not in LINE_TYPES else feature
        )
        where = field if geometry is feature else f"{field}.geometry"
        geometries.append((where, geometry))
    return geometries


def geometry_lines(
    geometry: Any, where: str, *, file: str | Path | None = None, wgs84: bool = True
) -> list[tuple[str, np.ndarray]]:
    """Read the trench lines of one geometry: a LineString, or each part of a MultiLineString.

    Parameters
    ----------
    geometry
        A parsed GeoJSON geometry object.
    where
        Field path of the geometry, named in messages.
    file
        File named in messages.
    wgs84
        Whether positions are WGS84 [lon, lat] (checked against the degree ranges).

    Returns
    -------
    list of (str, numpy.ndarray)
        The field path of every line's positions and the positions ``(n, 2)`` ``[x, y]``.

    Raises
    ------
    InputError
        Another geometry type, a line with fewer than two positions (also an empty part of a
        MultiLineString) or an invalid position.
    """
    kind = geometry.get("type") if isinstance(geometry, Mapping) else None
    if kind not in LINE_TYPES:
        got = kind if isinstance(geometry, Mapping) else _kind(geometry)
        raise InputError(
            f"geometry is {str(got)[:40]!r}; only LineString and MultiLineString geometries "
            "are supported",
            file=file,
            field=where,
        )
    coordinates = geometry.get("coordinates")
    if kind == "LineString":
        field = f"{where}.coordinates"
        return [(field, _positions(coordinates, field, file, wgs84))]
    if not isinstance(coordinates, list) or not coordinates:
        raise InputError(
            "a MultiLineString needs an array of parts, each an array of at least two [x, y] "
            "positions",
            file=file,
            field=f"{where}.coordinates",
        )
    if len(coordinates) > MAX_FEATURES:
        raise InputError(
            f"{len(coordinates):,} parts; at most {MAX_FEATURES:,}",
            file=file,
            field=f"{where}.coordinates",
        )
    fields = [f"{where}.coordinates[{k}]" for k in range(len(coordinates))]
    return [
        (field, _positions(part, field, file, wgs84, part=True))
        for field, part in zip(fields, coordinates, strict=True)
    ]


def _positions(
    coordinates: Any, field: str, file: Any, wgs84: bool, *, part: bool = False
) -> np.ndarray:
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        what = "a part of a MultiLineString" if part else "a LineString"
        if not isinstance(coordinates, list):
            got = f"is {_kind(coordinates)}"
        else:
            got = "is empty" if not coordinates else "has one position"
        raise InputError(
            f"{what} needs an array of at least two [x, y] positions; this one {got}",
            file=file,
            field=field,
        )
    if len(coordinates) > MAX_POSITIONS:
        raise InputError(
            f"{len(coordinates):,} positions; at most {MAX_POSITIONS:,}", file=file, field=field
        )
    rows = []
    for k, position in enumerate(coordinates):
        valid = (
            isinstance(position, list)
            and 2 <= len(position) <= 3
            and all(
                isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                for v in position
            )
        )
        if not valid:
            raise InputError(
                f"position {str(position)[:60]} is not [x, y] or [x, y, z] with finite numbers",
                file=file,
                field=f"{field}[{k}]",
            )
        x, y = float(position[0]), float(position[1])
        if wgs84 and not (-180 <= x <= 180 and -90 <= y <= 90):
            raise InputError(
                f"position [{x:g}, {y:g}] is not [longitude, latitude] in WGS84 degrees "
                "(longitude in [-180, 180], latitude in [-90, 90])",
                file=file,
                field=f"{field}[{k}]",
            )
        rows.append((x, y))
    return np.asarray(rows, dtype=float)


def linestrings(
    geojson: str | Path | Mapping[str, Any],
    *,
    crs_is_wgs84: bool = True,
    file: str | Path | None = None,
) -> tuple[list[tuple[str, np.ndarray]], str | Path | None]:
    """Read the LineStrings of a route, checking the whole structure first.

    Parameters
    ----------
    geojson
        A path to a GeoJSON file, GeoJSON text (starting with ``{``) or a parsed mapping.
    crs_is_wgs84
        Whether positions are WGS84 [lon, lat] (checked against the degree ranges).
    file
        File named in messages (default: the path, if one is given).

    Returns
    -------
    list of (str, numpy.ndarray), file
        The field path of every trench line's positions (a LineString's ``coordinates``, or
        ``coordinates[k]`` for part ``k`` of a MultiLineString) with the positions ``(n, 2)``
        ``[x, y]``, and the file to name in later messages.

    Raises
    ------
    InputError
        Anything that is not a FeatureCollection of LineStrings or MultiLineStrings with valid
        positions.
    """
    if isinstance(geojson, Path) or (
        isinstance(geojson, str) and not geojson.lstrip().startswith("{")
    ):
        file = file or geojson
        data = load_geojson(geojson)
    elif isinstance(geojson, str):
        data = parse_geojson_text(geojson, file=file)
    else:
        data = geojson
    lines = [
        line
        for where, geometry in _features(data, file)
        for line in geometry_lines(geometry, where, file=file, wgs84=crs_is_wgs84)
    ]
    if len(lines) > MAX_FEATURES:
        raise InputError(
            f"{len(lines):,} trench lines; at most {MAX_FEATURES:,} are allowed", file=file
        )
    return lines, file
