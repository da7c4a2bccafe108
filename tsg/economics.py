"""Economic parameters of a district: catalogue defaults with the district's overrides."""

from __future__ import annotations

from functools import cache

import yaml

from common import data_path
from tsg.schema import District

ECONOMICS_CATALOGUE = ("catalogues", "economics.yaml")


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
    overrides = district.economics.model_dump(exclude_none=True)
    lifetimes = {**values["lifetimes_yr"], **overrides.pop("lifetimes_yr", {})}
    return {**values, **overrides, "lifetimes_yr": lifetimes}
