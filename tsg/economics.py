"""Economic parameters of a district: catalogue defaults with the district's overrides."""

from __future__ import annotations

from functools import cache

import yaml

from tsg.common import data_path
from tsg.schema import District

ECONOMICS_CATALOGUE = ("catalogues", "economics.yaml")

SENSITIVITY_PARAMETERS = ("gas_price", "electricity_price", "capex_factor")
"""Parameters of the sizing sensitivity, as named under ``economics.sensitivity``."""

DEFAULT_SENSITIVITY_FACTORS = (0.7, 1.3)
"""Factors of a parameter the district file gives no range for: -30 % and +30 % of the base
value (assumption: the order of the swings of Dutch energy prices and cost estimates)."""


@cache
def _catalogue() -> dict:
    return yaml.safe_load(data_path(*ECONOMICS_CATALOGUE).read_text(encoding="utf-8"))


def default_economics() -> dict[str, object]:
    """Return the catalogue's values by name (``lifetimes_yr`` as a dict of years)."""
    catalogue = _catalogue()
    values: dict[str, object] = {
        name: entry["value"] for name, entry in catalogue.items() if name != "lifetimes_yr"
    }
    values["lifetimes_yr"] = {k: v["value"] for k, v in catalogue["lifetimes_yr"].items()}
    return values


def resolved_economics(district: District) -> dict[str, object]:
    """Return the catalogue defaults overridden by what the district file sets.

    Parameters
    ----------
    district
        The validated district.

    Returns
    -------
    dict
        ``gas_price_eur_per_m3``, ``electricity_price_eur_per_kwh``, ``co2_price_eur_per_t``,
        ``discount_rate``, ``gas_emission_kg_per_m3``, ``electricity_emission_kg_per_kwh`` and
        ``lifetimes_yr`` (component -> years).
    """
    values = default_economics()
    overrides = district.economics.model_dump(exclude_none=True, exclude={"sensitivity"})
    lifetimes = {**values["lifetimes_yr"], **overrides.pop("lifetimes_yr", {})}
    return {**values, **overrides, "lifetimes_yr": lifetimes}


def sensitivity_ranges(district: District) -> dict[str, tuple[tuple[float, ...], bool]]:
    """Return the factors of each sensitivity parameter and whether the district gives them.

    Parameters
    ----------
    district
        The validated district.

    Returns
    -------
    dict
        For ``gas_price``, ``electricity_price`` and ``capex_factor``: ``(factors, given)``,
        the district file's factors with ``given = True``, or :data:`DEFAULT_SENSITIVITY_FACTORS`
        with ``given = False`` where the file names none. An empty tuple: not varied.
    """
    ranges = district.economics.sensitivity
    out: dict[str, tuple[tuple[float, ...], bool]] = {}
    for name in SENSITIVITY_PARAMETERS:
        factors = None if ranges is None else getattr(ranges, name)
        if factors is None:
            out[name] = (DEFAULT_SENSITIVITY_FACTORS, False)
        else:
            out[name] = (tuple(float(f) for f in factors), True)
    return out
