"""Reading an ESDL file: load it, walk its areas, locate assets, read annual demands.

Used by :mod:`tsg.exchange.esdl_import`. Every problem a user can cause (not XML, not ESDL, a
unit the toolkit does not know) raises :class:`tsg.common.InputError` naming the file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tsg.common import InputError
from tsg.exchange.esdl_units import MULTIPLIERS, energy_mwh, esdl_module
from tsg.grid.layout import to_wgs84

__all__ = [
    "all_assets",
    "annual_energy_mwh",
    "asset_location",
    "identifier",
    "load_energy_system",
]

#: EPSG codes of coordinate reference systems an ESDL geometry may name.
RD_NEW = ("EPSG:28992", "28992", "RD", "RDNEW", "RD_NEW")


def load_energy_system(path: Path) -> Any:
    """Load an ESDL file and return its ``esdl.EnergySystem``.

    Raises
    ------
    InputError
        The file is missing, not XML or not an ESDL energy system.
    """
    esdl = esdl_module()
    from esdl.esdl_handler import EnergySystemHandler

    if not path.is_file():
        raise InputError("file not found", file=path)
    text = path.read_text(encoding="utf-8", errors="replace")
    if not text.lstrip().startswith("<"):
        raise InputError("not an ESDL file: the file is not XML", file=path)
    try:
        system = EnergySystemHandler().load_from_string(text)
    except Exception as error:  # pyecore/lxml raise many kinds on bad input
        text_of_error = str(error).strip()
        detail = text_of_error.splitlines()[0][:200] if text_of_error else ""
        if detail in ("", "None"):
            detail = f"{type(error).__name__} (no ESDL EnergySystem in it)"
        raise InputError(f"not a readable ESDL file: {detail}", file=path) from None
    if not isinstance(system, esdl.EnergySystem):
        raise InputError(
            f"not an ESDL energy system: the root element is {type(system).__name__}", file=path
        )
    return system


def all_assets(system: Any) -> list[Any]:
    """Every asset directly in an area of the system (sub-areas included, not nested ones)."""
    found: list[Any] = []

    def visit(area: Any) -> None:
        if area is None:
            return
        found.extend(area.asset)
        for sub in area.area:
            visit(sub)

    for instance in system.instance:
        visit(instance.area)
    return found


def identifier(text: str, taken: set[str]) -> str:
    """Make a district identifier (lower case, digits, ``-``, ``_``) from an ESDL id.

    The identifier is unique in ``taken``, which it joins.
    """
    base = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")[:60] or "asset"
    if not base[0].isalnum():
        base = f"x{base}"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def _point_wgs84(point: Any) -> tuple[float, float]:
    crs = (point.CRS or "").upper().replace(" ", "")
    if crs and any(crs.endswith(code) for code in RD_NEW):
        lat, lon = to_wgs84(float(point.lon), float(point.lat))
        return float(lat), float(lon)
    return float(point.lat), float(point.lon)


def _points(geometry: Any) -> list[Any]:
    name = type(geometry).__name__
    if name == "Point":
        return [geometry]
    if name == "Line":
        return list(geometry.point)
    if name == "Polygon" and geometry.exterior is not None:
        return list(geometry.exterior.point)
    if name == "MultiPolygon" and geometry.polygon:
        return _points(geometry.polygon[0])
    return []


def asset_location(asset: Any) -> tuple[float, float] | None:
    """Locate an asset: (latitude, longitude) [deg, WGS84], None without a geometry.

    The location is its point, or the mean of its polygon or line points; geometries in RD New
    (``CRS`` EPSG:28992) are converted.
    """
    points = _points(asset.geometry) if asset.geometry is not None else []
    if not points:
        return None
    coords = [_point_wgs84(p) for p in points]
    if type(asset.geometry).__name__ == "Polygon" and len(coords) > 1 and coords[0] == coords[-1]:
        coords = coords[:-1]
    return (
        sum(c[0] for c in coords) / len(coords),
        sum(c[1] for c in coords) / len(coords),
    )


def line_ends(asset: Any) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """Return the first and last point of a pipe's line [deg, WGS84], None without a line."""
    points = _points(asset.geometry) if asset.geometry is not None else []
    if len(points) < 2:
        return None
    return _point_wgs84(points[0]), _point_wgs84(points[-1])


def _profile_mwh(profile: Any, where: str, file: str) -> float | None:
    qau = profile.profileQuantityAndUnit
    kind = type(profile).__name__
    if qau is not None and type(qau).__name__ == "QuantityAndUnitReference":
        qau = qau.reference
    physical = qau.physicalQuantity.name if qau is not None and qau.physicalQuantity else ""
    if kind == "SingleValue":
        if physical in ("ENERGY", "") and qau is not None:
            return energy_mwh(qau, float(profile.value), where=where, file=file)
        return None
    if kind != "DateTimeProfile" or not profile.element:
        return None
    if physical == "ENERGY":
        return sum(energy_mwh(qau, float(e.value), where=where, file=file) for e in profile.element)
    if physical == "POWER":
        unit = qau.unit.name if qau.unit is not None else "NONE"
        factor = MULTIPLIERS.get(qau.multiplier.name if qau.multiplier else "NONE")
        if unit != "WATT" or factor is None:
            raise InputError(f"{where}: unknown unit of a power profile: {unit}", file=file)
        watt_hours = sum(
            float(e.value) * (e.to - e.from_).total_seconds() / 3600.0 for e in profile.element
        )
        return watt_hours * factor / 1e6
    return None


def annual_energy_mwh(demand: Any, *, file: str) -> float | None:
    """Read the annual energy of a demand asset [MWh/yr].

    From the profiles on its in-ports (energy as ``SingleValue`` or ``DateTimeProfile``, or a
    power profile integrated over its hours), else ``power`` x ``fullLoadHours``; None when the
    file gives neither.

    Raises
    ------
    InputError
        A profile's unit is not one the toolkit knows.
    """
    where = f"{type(demand).__name__} '{demand.id}'"
    for port in demand.port:
        if type(port).__name__ != "InPort":
            continue
        for profile in port.profile:
            value = _profile_mwh(profile, where, file)
            if value is not None:
                return value
    if demand.power and demand.fullLoadHours:
        return float(demand.power) * float(demand.fullLoadHours) / 1e6
    return None
