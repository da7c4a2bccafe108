"""The sizing sensitivity table: prices and investments scaled, each case re-solved.

The factors come from the district file's ``economics.sensitivity``
(:func:`tsg.economics.sensitivity_ranges`), x0.7 and x1.3 where it gives none; every case is
re-solved on the one built model by changing its mutable parameters.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from tsg.economics import (
    DEFAULT_SENSITIVITY_FACTORS,
    SENSITIVITY_PARAMETERS,
    sensitivity_ranges,
)
from tsg.optimisation.sizing import SizingModel, SizingResult, solve_and_extract
from tsg.schema import District

__all__ = ["SensitivityMode", "sensitivity_plan", "sensitivity_table"]

SensitivityMode = bool | Literal["if_given"]
"""``True``: always compute the sensitivity table (defaults where the district file gives no
range); ``False``: never; ``"if_given"``: only when the district file has
``economics.sensitivity``."""

_MODEL_PARAMETERS = {
    "gas_price": "gas_price",
    "electricity_price": "elec_price",
    "capex_factor": "capex_factor",
}
_TABLE_LABELS = {
    "gas_price": "gas_price_eur_per_m3",
    "electricity_price": "electricity_price_eur_per_kwh",
    "capex_factor": "capex_factor",
}


def sensitivity_table(
    sm: SizingModel,
    base: SizingResult,
    *,
    ranges: Mapping[str, Sequence[float]] | None = None,
    given: Collection[str] = (),
) -> pd.DataFrame:
    """Re-solve the built model with each parameter scaled; one row per case.

    Parameters
    ----------
    sm
        The built :class:`optimisation.sizing.SizingModel` of the base case.
    base
        The base result.
    ranges
        Factors (multipliers of the base value [-]) per parameter ``gas_price``,
        ``electricity_price``, ``capex_factor``; a parameter left out or with no factors is
        not varied. Default: :data:`DEFAULT_SENSITIVITY_FACTORS` for all three.
    given
        Parameters whose factors come from the district file (column ``factors_from``).

    Returns
    -------
    pandas.DataFrame
        Columns ``parameter``, ``factor``, ``value``, ``factors_from`` (``district file``,
        ``default``; empty for the base row), ``total_cost_eur_per_yr``,
        ``reference_cost_eur_per_yr``, ``saving_eur_per_yr``, ``npv_eur``, ``n_connected``,
        ``connected``, ``trench_m``.

    Raises
    ------
    ValueError
        An unknown parameter name or a factor that is not a positive finite number.

    """
    if ranges is None:
        ranges = dict.fromkeys(SENSITIVITY_PARAMETERS, DEFAULT_SENSITIVITY_FACTORS)
    unknown = sorted(set(ranges) - set(SENSITIVITY_PARAMETERS))
    if unknown:
        raise ValueError(f"unknown sensitivity parameters {unknown}; use {SENSITIVITY_PARAMETERS}")
    for name, factors in ranges.items():
        if not all(np.isfinite(f) and f > 0 for f in factors):
            raise ValueError(f"{name}: factors must be positive finite numbers, got {factors}")
    m = sm.model

    def row(parameter: str, factor: float, value: float, origin: str, result: SizingResult) -> dict:
        ref = result.reference.cost_eur_per_yr if result.reference else float("nan")
        return {
            "parameter": parameter,
            "factor": factor,
            "value": value,
            "factors_from": origin,
            "total_cost_eur_per_yr": result.design.cost_eur_per_yr,
            "reference_cost_eur_per_yr": ref,
            "saving_eur_per_yr": ref - result.design.cost_eur_per_yr,
            "npv_eur": result.npv_eur,
            "n_connected": len(result.connected_buildings),
            "connected": " ".join(result.connected_buildings),
            "trench_m": sum(e.length_m for e in result.edges if e.built),
        }

    rows = [row("base", 1.0, float("nan"), "", base)]
    for name in SENSITIVITY_PARAMETERS:
        factors = ranges.get(name, ())
        if not factors:
            continue
        param = getattr(m, _MODEL_PARAMETERS[name])
        original = float(pyo.value(param))
        origin = "district file" if name in given else "default"
        try:
            for factor in factors:
                param.set_value(original * factor)
                result = solve_and_extract(sm)
                rows.append(row(_TABLE_LABELS[name], factor, original * factor, origin, result))
        finally:
            param.set_value(original)
    return pd.DataFrame(rows)


def sensitivity_plan(
    district: District, sensitivity: SensitivityMode
) -> tuple[dict[str, tuple[float, ...]] | None, list[str], str]:
    """Return the factors per parameter (``None``: no table), the file's parameters, a note.

    The note goes into ``design.json`` and says where each range comes from.

    Raises
    ------
    ValueError
        ``sensitivity`` is not True, False or ``"if_given"``.
    """
    if sensitivity not in (True, False, "if_given"):
        raise ValueError(f"sensitivity must be True, False or 'if_given', got {sensitivity!r}")
    plan = sensitivity_ranges(district)
    given = [name for name, (_, from_file) in plan.items() if from_file]
    in_file = district.economics.sensitivity is not None
    if sensitivity is False or (sensitivity == "if_given" and not in_file):
        why = (
            "the district file gives no ranges (economics.sensitivity)"
            if sensitivity == "if_given"
            else "switched off"
        )
        return None, given, f"no sensitivity table: {why}"
    ranges = {name: factors for name, (factors, _) in plan.items()}
    parts = []
    for name, (factors, from_file) in plan.items():
        shown = ", ".join(f"x{f:g}" for f in factors) or "not varied"
        parts.append(f"{name} {shown} ({'district file' if from_file else 'default'})")
    note = "sensitivity ranges: " + "; ".join(parts)
    if len(given) < len(plan):
        defaults = " and ".join(f"x{f:g}" for f in DEFAULT_SENSITIVITY_FACTORS)
        note += (
            f"; the defaults {defaults} apply where the district file gives no range "
            "(economics.sensitivity)"
        )
    return ranges, given, note
