"""The one set of design limits of the ambient loop, read from ``design_limits.yaml``.

The catalogue lives in ``tsg/data/catalogues/design_limits.yaml`` (repository folder
``data/``); every number carries a source or an assumption. The same limits give the
optimiser's pipe capacities (:mod:`optimisation.sizing.pipes`), the pipe sizes by rule of the
network simulation (:mod:`grid.sizing`), the central pump lift of the simulated loop
(:class:`grid.network.LoopSpec`) and the design checks of every simulated year
(:mod:`grid.design_checks`). A district file may override them (``network.design_limits``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from tsg.common import data_path
from tsg.common.errors import InputError
from tsg.common.units import CP_WATER_KJ_PER_KG_K
from tsg.grid.water_flow import pressure_gradient_pa_per_m, water_density_kg_per_m3

__all__ = [
    "LIMIT_UNITS",
    "DesignLimits",
    "check_catalogue_carries",
    "limits_record",
    "load_design_limits",
    "pipe_capacity_kg_per_s",
    "with_overrides",
]

#: Unit of every limit (the names end in it, see the README glossary).
LIMIT_UNITS: dict[str, str] = {
    "max_velocity_m_per_s": "m/s",
    "max_pressure_gradient_pa_per_m": "Pa/m",
    "central_pump_head_bar": "bar",
    "building_pump_head_bar": "bar",
    "min_temperature_c": "degC",
    "max_temperature_c": "degC",
    "max_inlet_drift_k": "K",
}
_POSITIVE = (
    "max_velocity_m_per_s",
    "max_pressure_gradient_pa_per_m",
    "central_pump_head_bar",
    "building_pump_head_bar",
    "max_inlet_drift_k",
)


@dataclass(frozen=True)
class DesignLimits:
    """Design limits of the ambient loop (meaning and sources in ``design_limits.yaml``).

    Parameters
    ----------
    max_velocity_m_per_s
        Largest mean pipe velocity [m/s], > 0.
    max_pressure_gradient_pa_per_m
        Largest friction gradient of a pipe [Pa/m], > 0.
    central_pump_head_bar
        Head available at the central pump [bar], > 0: the lift of the simulated loop; a
        building whose warm and cold path needs more friction than this needs its own pump.
    building_pump_head_bar
        Head available at each building's own pump [bar], > 0.
    min_temperature_c, max_temperature_c
        Allowed band of every junction temperature [degC], min below max.
    max_inlet_drift_k
        How far a heating building's inlet may fall below the nominal warm line, or a cooling
        building's inlet rise above the nominal cold line [K], > 0.

    Raises
    ------
    InputError
        A limit that is not finite, a non-positive limit, or min >= max temperature.

    """

    max_velocity_m_per_s: float
    max_pressure_gradient_pa_per_m: float
    central_pump_head_bar: float
    building_pump_head_bar: float
    min_temperature_c: float
    max_temperature_c: float
    max_inlet_drift_k: float

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if not (isinstance(value, int | float) and math.isfinite(value)):
                raise InputError(f"must be a finite number, got {value!r}", field=item.name)
            if item.name in _POSITIVE and value <= 0:
                raise InputError(
                    f"must be positive ({LIMIT_UNITS[item.name]}), got {value}", field=item.name
                )
        if self.min_temperature_c >= self.max_temperature_c:
            raise InputError(
                f"min_temperature_c ({self.min_temperature_c}) must be below max_temperature_c "
                f"({self.max_temperature_c})",
                field="min_temperature_c",
            )


def _checked(values: Mapping[str, float], *, file: Path | None, prefix: str) -> DesignLimits:
    """Build limits, re-raising a problem with the file and the full field name."""
    try:
        return DesignLimits(**values)
    except InputError as error:
        raise InputError(error.message, file=file, field=f"{prefix}{error.field}") from None


@functools.lru_cache(maxsize=8)
def _load(file: Path) -> DesignLimits:
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read the design limits: {exc}", file=file) from exc
    if not isinstance(raw, dict):
        raise InputError("must be a YAML mapping of limit names to entries", file=file)
    unknown = sorted(set(raw) - set(LIMIT_UNITS))
    if unknown:
        raise InputError(
            f"unknown limit; allowed: {list(LIMIT_UNITS)}", file=file, field=unknown[0]
        )
    values: dict[str, Any] = {}
    for name, unit in LIMIT_UNITS.items():
        entry = raw.get(name)
        if not isinstance(entry, dict) or "value" not in entry:
            raise InputError(f"missing entry with a 'value' [{unit}]", file=file, field=name)
        if not str(entry.get("source", "")).strip():
            raise InputError(
                "every number needs a 'source' (or 'assumption: ...')", file=file, field=name
            )
        if str(entry.get("unit", unit)) != unit:
            raise InputError(f"unit must be '{unit}'", file=file, field=f"{name}.unit")
        values[name] = entry["value"]
    return _checked(values, file=file, prefix="")


def load_design_limits(path: str | Path | None = None) -> DesignLimits:
    """Read the design limits (the one place their defaults live).

    Parameters
    ----------
    path
        YAML file; default the shipped ``tsg/data/catalogues/design_limits.yaml``.

    Returns
    -------
    DesignLimits

    Raises
    ------
    InputError
        Unreadable file, a missing or unknown entry, a number without source, a wrong unit or
        a limit out of range; the message names the file and the field.

    """
    file = Path(path) if path is not None else data_path("catalogues", "design_limits.yaml")
    return _load(file.resolve())


def with_overrides(
    limits: DesignLimits,
    overrides: Mapping[str, float | None] | None,
    *,
    file: str | Path | None = None,
    prefix: str = "network.design_limits.",
) -> DesignLimits:
    """Return the limits with some values replaced (e.g. a district file's).

    Parameters
    ----------
    limits
        The base limits.
    overrides
        Limit name -> value; ``None`` values are ignored.
    file
        Where the overrides come from (named in errors).
    prefix
        Prefix of the field names in errors.

    Returns
    -------
    DesignLimits

    Raises
    ------
    InputError
        An unknown name or a result out of range (naming ``file`` and ``prefix + name``).

    """
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    unknown = sorted(set(given) - set(LIMIT_UNITS))
    if unknown:
        raise InputError(
            f"unknown design limit; allowed: {list(LIMIT_UNITS)}",
            file=file,
            field=f"{prefix}{unknown[0]}",
        )
    if not given:
        return limits
    try:
        return replace(limits, **given)
    except InputError as error:
        # the only check across fields is the temperature band: name the bound the file gives
        name = error.field if error.field in given else "max_temperature_c"
        raise InputError(error.message, file=file, field=f"{prefix}{name}") from None


def limits_record(limits: DesignLimits) -> dict[str, dict[str, float | str]]:
    """Return the limits as JSON-friendly ``{name: {"value": v, "unit": u}}``."""
    return {
        name: {"value": float(getattr(limits, name)), "unit": unit}
        for name, unit in LIMIT_UNITS.items()
    }


def pipe_capacity_kg_per_s(
    *,
    di_mm: float,
    roughness_mm: float,
    max_velocity_m_per_s: float,
    max_pressure_gradient_pa_per_m: float,
    t_water_c: float = 15.0,
) -> float:
    """Largest mass flow a pipe carries within a velocity and a pressure-gradient limit [kg/s].

    The pressure gradient grows monotonically with the flow, so the limit is found by
    bisection; the returned value is the lower end of the final bracket (never above the
    limit), so that :func:`grid.pipe_catalogue.size_pipe_by_rule` accepts this pipe for it.

    Parameters
    ----------
    di_mm
        Inner diameter [mm].
    roughness_mm
        Wall roughness [mm].
    max_velocity_m_per_s
        Velocity limit [m/s].
    max_pressure_gradient_pa_per_m
        Pressure-gradient limit [Pa/m].
    t_water_c
        Water temperature for density and viscosity [degC].

    Returns
    -------
    float
        Mass flow [kg/s].

    """
    rho = water_density_kg_per_m3(t_water_c)
    area = math.pi * (di_mm / 1000.0) ** 2 / 4.0
    upper = max_velocity_m_per_s * rho * area

    def gradient(mdot: float) -> float:
        return pressure_gradient_pa_per_m(
            mdot_kg_per_s=mdot, di_mm=di_mm, roughness_mm=roughness_mm, t_water_c=t_water_c
        )

    if gradient(upper) <= max_pressure_gradient_pa_per_m:
        return upper * (1.0 - 1e-9)
    low, high = 0.0, upper
    for _ in range(60):
        mid = 0.5 * (low + high)
        low, high = (mid, high) if gradient(mid) <= max_pressure_gradient_pa_per_m else (low, mid)
    return low


def check_catalogue_carries(
    limits: DesignLimits,
    catalogue: pd.DataFrame,
    *,
    peak_demand_kw: Mapping[str, float],
    delta_t_k: float,
    where: Mapping[str, tuple[Path | None, str]],
    t_water_c: float = 15.0,
) -> None:
    """Refuse limits under which the largest catalogue pipe could connect no building at all.

    Rule: within the velocity and pressure-gradient limits, the largest catalogue pipe must
    carry the peak demand of the smallest building at the loop's temperature spread.
    Otherwise no trench could serve even one building and every design would be empty (the
    sizing) or overloaded (the simulation).

    Parameters
    ----------
    limits
        The limits to check.
    catalogue
        Pipe catalogue (columns ``dn_mm``, ``di_mm``, ``roughness_mm``).
    peak_demand_kw
        Building id -> peak thermal demand [kW] (the larger of heating and cooling).
    delta_t_k
        Loop temperature spread warm - cold [K].
    where
        Limit name -> (file, field) the value comes from, named in the error.
    t_water_c
        Water temperature for fluid properties [degC].

    Raises
    ------
    InputError
        Naming the binding limit's file and field, what the largest pipe carries and the
        smallest value of that limit that would connect the smallest building.

    """
    peaks = {k: float(v) for k, v in peak_demand_kw.items() if v > 0}
    if not peaks or catalogue.empty:
        return
    building = min(peaks, key=peaks.get)
    need_kw = peaks[building]
    need_kg_per_s = need_kw / (CP_WATER_KJ_PER_KG_K * delta_t_k)
    big = catalogue.sort_values("di_mm").iloc[-1]
    vmax, gmax = limits.max_velocity_m_per_s, limits.max_pressure_gradient_pa_per_m
    carries = pipe_capacity_kg_per_s(
        di_mm=float(big.di_mm),
        roughness_mm=float(big.roughness_mm),
        max_velocity_m_per_s=vmax,
        max_pressure_gradient_pa_per_m=gmax,
        t_water_c=t_water_c,
    )
    if carries >= need_kg_per_s:
        return
    area_m2 = math.pi * (float(big.di_mm) / 1000.0) ** 2 / 4.0
    v_need = need_kg_per_s / (water_density_kg_per_m3(t_water_c) * area_m2)
    g_need = pressure_gradient_pa_per_m(
        mdot_kg_per_s=need_kg_per_s,
        di_mm=float(big.di_mm),
        roughness_mm=float(big.roughness_mm),
        t_water_c=t_water_c,
    )
    short = [
        (name, needed)
        for name, needed, limit in (
            ("max_velocity_m_per_s", v_need, vmax),
            ("max_pressure_gradient_pa_per_m", g_need, gmax),
        )
        if needed > limit
    ]
    if not short:  # short of the need by rounding only
        return
    name = short[0][0]
    wanted = " and ".join(f"{n} >= {x:.3g} {LIMIT_UNITS[n]}" for n, x in short)
    file, field = where.get(name, (None, name))
    carries_kw = carries * CP_WATER_KJ_PER_KG_K * delta_t_k
    raise InputError(
        f"with {vmax:g} m/s and {gmax:g} Pa/m the largest catalogue pipe (DN {int(big.dn_mm)}) "
        f"carries at most {carries:.3g} kg/s, {carries_kw:.3g} kW at "
        f"the loop spread of {delta_t_k:g} K: less than the peak demand of the smallest "
        f"building ('{building}', {need_kw:.3g} kW), so no building could be connected. "
        "Allowed: limits under which the largest catalogue pipe carries the smallest "
        f"building's peak; here {wanted}",
        file=file,
        field=field,
    )
