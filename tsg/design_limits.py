"""A district's design limits: the catalogue's, with the district file's overrides.

One function for every stage (simulation, sizing, verification, allocation, scaling), so all
of them use the same limits (:mod:`grid.design_limits`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tsg.common import data_path
from tsg.demand import DemandResult
from tsg.grid.design_checks import summarise_checks
from tsg.grid.design_limits import (
    LIMIT_UNITS,
    DesignLimits,
    check_catalogue_carries,
    limits_record,
    load_design_limits,
    with_overrides,
)
from tsg.grid.network import LoopSpec
from tsg.grid.pipe_catalogue import load_pipe_catalogue
from tsg.schema import District

__all__ = ["catalogue_path", "checks_record", "district_design_limits", "district_loop"]

FIELD_PREFIX = "network.design_limits."


def district_design_limits(district: District, demand: DemandResult | None = None) -> DesignLimits:
    """Return the design limits of a district.

    Parameters
    ----------
    district
        The validated district; ``network.design_limits`` overrides the catalogue.
    demand
        Its demand; when given, the limits must let the largest catalogue pipe carry the peak
        demand of the smallest building (:func:`grid.design_limits.check_catalogue_carries`).

    Returns
    -------
    DesignLimits

    Raises
    ------
    InputError
        Overrides out of range, or limits under which no building could be connected; the
        message names the district file (or the catalogue) and the field.

    """
    file = None if demand is None else demand.district_file
    override = district.network.design_limits
    given = {} if override is None else override.model_dump(exclude_none=True)
    limits = with_overrides(load_design_limits(), given, file=file, prefix=FIELD_PREFIX)
    if demand is not None:
        where = {
            name: (file, f"{FIELD_PREFIX}{name}") if name in given else (catalogue_path(), name)
            for name in LIMIT_UNITS
        }
        profiles = demand.profiles
        peaks = {
            b.id: max(
                float((profiles[f"{b.id}.heat_kw"] + profiles[f"{b.id}.dhw_kw"]).max()),
                float(profiles[f"{b.id}.cool_kw"].max()),
            )
            for b in district.buildings
        }
        check_catalogue_carries(
            limits,
            load_pipe_catalogue(),
            peak_demand_kw=peaks,
            delta_t_k=district.network.warm_line_c - district.network.cold_line_c,
            where=where,
        )
    return limits


def district_loop(district: District, limits: DesignLimits) -> LoopSpec:
    """Return the loop of a district: line temperatures, central pump lift of the limits.

    Parameters
    ----------
    district
        The validated district (warm and cold line temperatures).
    limits
        Its design limits: the central pump lifts ``central_pump_head_bar`` and heating
        buildings return no colder than ``min_temperature_c``.

    Returns
    -------
    LoopSpec

    """
    return LoopSpec(
        t_warm_c=district.network.warm_line_c,
        t_cold_c=district.network.cold_line_c,
        plift_bar=limits.central_pump_head_bar,
        min_return_c=limits.min_temperature_c,
    )


def catalogue_path() -> Path:
    """Return the design-limits catalogue file (an input of every run)."""
    return data_path("catalogues", "design_limits.yaml")


def checks_record(checks: pd.DataFrame, limits: DesignLimits, *, table: str) -> dict:
    """Design checks for people: the limits and per element and check the hours violated.

    Parameters
    ----------
    checks
        Per-hour violations (:func:`grid.design_checks.design_checks`).
    limits
        The limits checked.
    table
        File name of the per-hour table (next to the JSON file).

    Returns
    -------
    dict
        ``limits`` (value and unit per limit), ``violations`` (records of
        :func:`grid.design_checks.summarise_checks`: ``element``, ``element_id``, ``line``,
        ``check``, ``hours_violated``, ``worst_value``, ``limit``, ``unit``; most hours first),
        ``per_hour_table`` (the CSV file with one row per element and hour).
    """
    summary = summarise_checks(checks)
    return {
        "limits": limits_record(limits),
        "violations": summary.to_dict(orient="records"),
        "per_hour_table": table,
    }
