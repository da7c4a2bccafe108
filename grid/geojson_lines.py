"""Reading trench routes drawn as GeoJSON: every part of the structure checked before use.

A route file is a FeatureCollection of LineString features (or one Feature, or one bare
LineString geometry). Positions are ``[x, y]`` or ``[x, y, z]`` numbers; with WGS84 (RFC 7946)
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

__all__ = ["MAX_FEATURES", "MAX_GEOJSON_BYTES", "MAX_POSITIONS", "linestrings", "load_geojson"]


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
    elif kind in ("Feature", "LineString"):
        entries = [("(top level)", data)]
    else:
        raise InputError(
            f"'type' is {str(kind)[:40]!r}; expected 'FeatureCollection' (or one 'Feature' or "
            "'LineString')",
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
            feature.get("geometry", feature) if feature.get("type") != "LineString" else (feature)
        )
        where = field if geometry is feature else f"{field}.geometry"
        if not isinstance(geometry, Mapping) or geometry.get("type") != "LineString":
            got = geometry.get("type") if isinstance(geometry, Mapping) else _kind(geometry)
            raise InputError(
                f"geometry is {str(got)[:40]!r}; only LineString geometries are supported",
                file=file,
                field=where,
            )
        geometries.append((where, geometry))
    return geometries


def _positions(geometry: Mapping, where: str, file: Any, wgs84: bool) -> np.ndarray:
    field = f"{where}.coordinates"
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        raise InputError(
            "a LineString needs an array of at least two [x, y] positions", file=file, field=field
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
        The field path of every LineString with its positions ``(n, 2)`` ``[x, y]``, and the
        file to name in later messages.

    Raises
    ------
    InputError
        Anything that is not a FeatureCollection of LineStrings with valid positions.
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
        (where, _positions(geometry, where, file, crs_is_wgs84))
        for where, geometry in _features(data, file)
    ]
    return lines, file
