"""ESDL quantities and units: building and reading ``QuantityAndUnitType`` values.

Shared by the exporter and the importer so that both speak the same units: energy in MWh,
power in W (ESDL's base unit for ``power`` attributes), money in EUR.
"""

from __future__ import annotations

from typing import Any

from tsg.common import InputError

__all__ = [
    "MULTIPLIERS",
    "TSG_TO_ESDL_SOURCE",
    "esdl_module",
    "design_kpis",
    "energy_mwh",
    "new_id",
    "quantity",
    "single_value",
]

#: ESDL multiplier names and their factor.
MULTIPLIERS = {
    "NONE": 1.0,
    "MILLI": 1e-3,
    "KILO": 1e3,
    "MEGA": 1e6,
    "GIGA": 1e9,
    "TERA": 1e12,
    "PETA": 1e15,
}

#: District source types and the ESDL class that stands for them.
TSG_TO_ESDL_SOURCE = {
    "ates": "ATES",
    "waste_heat": "ResidualHeatSource",
    "dry_cooler": "GenericConversion",
    "central_heat_pump": "HeatPump",
    "thermal_storage": "HeatStorage",
}

#: Joules per MWh.
J_PER_MWH = 3.6e9


def esdl_module() -> Any:
    """Import pyesdl's ``esdl`` module; an :class:`InputError` says how to install it."""
    try:
        import esdl
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise InputError(
            "ESDL needs the optional package pyesdl: pip install 'thermal-smart-grid[esdl]'"
        ) from error
    return esdl


def new_id(kind: str, name: str) -> str:
    """Make a readable, unique-per-district ESDL id, e.g. ``HeatingDemand.b0001``."""
    return f"{kind}.{name}"


def quantity(esdl: Any, physical: str, unit: str, multiplier: str = "NONE", **per: str) -> Any:
    """Build an ``esdl.QuantityAndUnitType``.

    Parameters
    ----------
    esdl
        The pyesdl module.
    physical, unit, multiplier
        Names of ``PhysicalQuantityEnum``, ``UnitEnum`` and ``MultiplierEnum`` literals.
    **per
        ``perTimeUnit``, ``perUnit`` or ``perMultiplier`` literal names.
    """
    qau = esdl.QuantityAndUnitType(
        physicalQuantity=getattr(esdl.PhysicalQuantityEnum, physical),
        unit=getattr(esdl.UnitEnum, unit),
        multiplier=getattr(esdl.MultiplierEnum, multiplier),
    )
    if "perTimeUnit" in per:
        qau.perTimeUnit = getattr(esdl.TimeUnitEnum, per["perTimeUnit"])
    if "perUnit" in per:
        qau.perUnit = getattr(esdl.UnitEnum, per["perUnit"])
    if "perMultiplier" in per:
        qau.perMultiplier = getattr(esdl.MultiplierEnum, per["perMultiplier"])
    return qau


def single_value(esdl: Any, value: float, qau: Any, name: str) -> Any:
    """Build an ``esdl.SingleValue`` profile with its quantity and unit."""
    return esdl.SingleValue(
        id=new_id("SingleValue", name), value=float(value), profileQuantityAndUnit=qau
    )


def energy_mwh(qau: Any, value: float, *, where: str, file: str) -> float:
    """Convert an ESDL energy value to MWh.

    Parameters
    ----------
    qau
        Its ``QuantityAndUnitType`` (``WATTHOUR`` or ``JOULE`` with any multiplier).
    value
        The number.
    where
        The asset, for the message.
    file
        The ESDL file, for the message.

    Raises
    ------
    InputError
        The unit is not an energy unit the toolkit knows.
    """
    unit = qau.unit.name if qau is not None and qau.unit is not None else "NONE"
    multiplier = MULTIPLIERS.get(qau.multiplier.name if qau is not None else "NONE")
    per_time = qau.perTimeUnit.name if qau is not None and qau.perTimeUnit is not None else "NONE"
    if multiplier is None or per_time not in ("NONE", "YEAR"):
        raise InputError(
            f"{where}: unknown unit {_describe(qau)}; expected an energy in Wh or J "
            "(per year or without time unit)",
            file=file,
        )
    if unit == "WATTHOUR":
        return value * multiplier / 1e6
    if unit == "JOULE":
        return value * multiplier / J_PER_MWH
    raise InputError(
        f"{where}: unknown unit {_describe(qau)}; expected an energy in Wh or J", file=file
    )


def _describe(qau: Any) -> str:
    if qau is None:
        return "(none)"
    parts = [qau.multiplier.name if qau.multiplier else "", qau.unit.name if qau.unit else ""]
    text = " ".join(p for p in parts if p and p != "NONE") or "NONE"
    if qau.perTimeUnit is not None and qau.perTimeUnit.name != "NONE":
        text += f" per {qau.perTimeUnit.name}"
    return text


def design_kpis(esdl: Any, design: dict) -> Any:
    """Build the ``esdl.KPIs`` of a sized design (``sizing/design.json``).

    KPIs: total and reference cost [EUR/yr], investment and NPV [EUR], CO2 emission of design
    and reference [t/yr], electricity use [MWh/yr].
    """
    values = (
        ("total cost", design["total_cost_eur_per_yr"], "EURO", "YEAR"),
        ("reference cost", design["reference_cost_eur_per_yr"], "EURO", "YEAR"),
        ("investment", design["design"]["investment_eur"], "EURO", None),
        ("net present value", design["npv_eur"], "EURO", None),
        ("CO2 emission", design["design"]["co2_t_per_yr"], "TONNE", "YEAR"),
        ("reference CO2 emission", design["reference"]["co2_t_per_yr"], "TONNE", "YEAR"),
        ("electricity use", design["design"]["electricity_mwh_per_yr"], "WATTHOUR", "YEAR"),
    )
    kpis = esdl.KPIs(id="KPIs.design", description="sized design of tsg")
    for name, value, unit, per in values:
        if value is None:
            continue
        physical = {"EURO": "COST", "TONNE": "EMISSION", "WATTHOUR": "ENERGY"}[unit]
        multiplier = "MEGA" if unit == "WATTHOUR" else "NONE"
        qau = quantity(esdl, physical, unit, multiplier, **({"perTimeUnit": per} if per else {}))
        kpis.kpi.append(
            esdl.DoubleKPI(
                id=new_id("KPI", name.replace(" ", "_")),
                name=name,
                value=float(value),
                quantityAndUnit=qau,
            )
        )
    return kpis
