"""Key figures: names with units to labels, numbers to text, JSON documents to rows.

Stage outputs follow the project's naming convention (units in names, e.g.
``pump_elec_mwh_per_yr``), so a generic reader can show any of them with a readable label and
unit without knowing the stage's format.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

from tsg.report.i18n import DEFAULT_LANGUAGE, catalogue

#: Significant digits of numbers of a million and more.
SIGNIFICANT_LARGE = 4
#: Items of a list shown in a table cell.
MAX_LIST_ITEMS = 6
#: A number written as text (``"0.2017059637454261"``, ``"-3e5"``).
NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")

#: Unit suffixes of quantity names, longest first.
UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_eur_per_mwh", "EUR/MWh"),
    ("_eur_per_kwh", "EUR/kWh"),
    ("_eur_per_yr", "EUR/yr"),
    ("_eur_per_kw", "EUR/kW"),
    ("_eur_per_m", "EUR/m"),
    ("_eur_per_t", "EUR/t"),
    ("_mwh_per_m_per_yr", "MWh/(m yr)"),
    ("_mwh_per_yr", "MWh/yr"),
    ("_kwh_per_yr", "kWh/yr"),
    ("_gwh_per_yr", "GWh/yr"),
    ("_t_per_yr", "t/yr"),
    ("_kg_per_yr", "kg/yr"),
    ("_m3_per_yr", "m3/yr"),
    ("_m3_per_h", "m3/h"),
    ("_kg_per_s", "kg/s"),
    ("_m_per_s", "m/s"),
    ("_pa_per_m", "Pa/m"),
    ("_kg_per_m3", "kg/m3"),
    ("_kg_per_kwh", "kg/kWh"),
    ("_k_d", "K d"),
    ("_pct", "%"),
    ("_percent", "%"),
    ("_eur", "EUR"),
    ("_meur", "MEUR"),
    ("_mwh", "MWh"),
    ("_kwh", "kWh"),
    ("_gwh", "GWh"),
    ("_mw", "MW"),
    ("_kw", "kW"),
    ("_w", "W"),
    ("_bar", "bar"),
    ("_pa", "Pa"),
    ("_m2", "m2"),
    ("_m3", "m3"),
    ("_mm", "mm"),
    ("_yr", "yr"),
    ("_kg", "kg"),
    ("_t", "t"),
    ("_c", "degC"),
    ("_k", "K"),
    ("_m", "m"),
    ("_s", "s"),
    ("_h", "h"),
)

#: Readable labels of the demand indicators of ``indicators.csv``.
INDICATOR_LABELS = {
    "heat_mwh_per_yr": "heat demand (space + hot water)",
    "cool_mwh_per_yr": "cooling demand",
    "peak_heat_kw": "peak heat",
    "peak_cool_kw": "peak cooling",
    "simultaneity_heat": "simultaneity, heat (peak of sum / sum of peaks)",
    "simultaneity_cool": "simultaneity, cooling",
    "exchangeable_mwh_per_yr": "directly exchangeable, sum of min(heat, cooling)",
    "demand_overlap": "demand overlap, 2 sum min(H, C) / sum (H + C)",
    "heating_degree_days_k_d": "heating degree days (base 18 degC)",
}

_WORDS = {
    "co2": "CO2",
    "dhw": "hot water",
    "ates": "ATES",
    "dn": "DN",
    "npv": "NPV",
    "capex": "capex",
    "opex": "opex",
    "om": "O&M",
    "mdot": "mass flow",
    "elec": "electric",
    "cop": "COP",
    "n": "number of",
}


def _strip_unit(word: str) -> tuple[str, str]:
    """``heat_mwh_per_yr`` -> ``("heat", "MWh/yr")``; ``(word, "")`` without a unit suffix."""
    for suffix, text in UNIT_SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)], text
    return word, ""


def split_unit(name: str) -> tuple[str, str]:
    """Split a quantity name into a readable label and its unit.

    Parameters
    ----------
    name
        E.g. ``"heat_mwh_per_yr"`` or ``"network.max_velocity_m_per_s"``.

    Returns
    -------
    tuple[str, str]
        ``("Heat", "MWh/yr")``; the unit is ``""`` when the name carries none.
    """
    *context, last = name.split(".")
    last, unit = _strip_unit(last)
    if not unit and context:
        # a unit on the parent object holds for its members: demand_mwh.heat -> MWh
        context[-1], unit = _strip_unit(context[-1])
    words = [_WORDS.get(word, word) for word in last.split("_") if word]
    label = " ".join(words)
    if context:
        label = f"{' '.join(context).replace('_', ' ')}: {label}"
    return (label[:1].upper() + label[1:]) if label else name, unit


#: Thousands and decimal separators per language (``en``: 1,234.5; ``nl``: 1.234,5).
SEPARATORS = {"en": (",", "."), "nl": (".", ",")}


def _word(key: str, lang: str) -> str:
    """Return a word of the catalogue (``value.yes``, ``value.no``, ``value.na``) in ``lang``."""
    return catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE)[key]


def format_number(value: float, *, unit: str = "", lang: str = DEFAULT_LANGUAGE) -> str:
    """Format a number for people: thousands separators, digits by magnitude.

    The one number format of the report and of ``tsg summary``.

    Parameters
    ----------
    value
        The number.
    unit
        Its unit; shares (``-`` or ``""``) below 1 keep three decimals.
    lang
        Language of the separators (:data:`SEPARATORS`): ``en`` writes 1,234,567.8, ``nl``
        writes 1.234.567,8.

    Returns
    -------
    str
        E.g. ``"20,618"``, ``"0.212"``, ``"3.4"``, ``"n/a"`` for NaN (in ``nl``: ``"20.618"``,
        ``"0,212"``, ``"3,4"``, ``"n.v.t."``).
    """
    if isinstance(value, bool):
        return _word("value.yes" if value else "value.no", lang)
    number = float(value)
    if math.isnan(number):
        return _word("value.na", lang)
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    size = abs(number)
    if size >= 1e6:
        # never more than four significant digits for millions: 1,273,313 -> 1,273,000
        exponent = math.floor(math.log10(size)) - (SIGNIFICANT_LARGE - 1)
        text = f"{round(number, -exponent):,.0f}"
    elif number == int(number):
        text = f"{int(number):,}"
    elif size >= 100 or (size == int(size) and size >= 10):
        text = f"{number:,.0f}"
    elif size >= 10:
        text = f"{number:,.1f}"
    elif size >= 1 or unit not in ("", "-"):
        text = f"{number:,.2f}"
    else:
        text = f"{number:.3g}"
    if text in ("-0", "-0.0", "-0.00"):
        return "0"
    thousands, decimal = SEPARATORS.get(lang, SEPARATORS[DEFAULT_LANGUAGE])
    return text.translate(str.maketrans({",": thousands, ".": decimal}))


def format_value(value: Any, *, unit: str = "", lang: str = DEFAULT_LANGUAGE) -> str:
    """Format a scalar of any type (numbers via :func:`format_number`, in ``lang``).

    Lists show their first :data:`MAX_LIST_ITEMS` items and how many more there are.
    """
    if value is None:
        return _word("value.na", lang)
    if isinstance(value, bool):
        return _word("value.yes" if value else "value.no", lang)
    if isinstance(value, int | float):
        return format_number(value, unit=unit, lang=lang)
    if isinstance(value, list):
        shown = ", ".join(format_value(item, lang=lang) for item in value[:MAX_LIST_ITEMS])
        more = len(value) - MAX_LIST_ITEMS
        return f"{shown}, ... (+{more})" if more > 0 else shown
    return str(value)


def unit_text(unit: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Return a unit in ``lang``: ``EUR/yr`` reads ``EUR/jr`` in Dutch (``unit.per_yr``)."""
    if unit == "yr":
        return _word("unit.yr", lang)
    return unit.replace("/yr", _word("unit.per_yr", lang))


def field_label(name: str, lang: str = DEFAULT_LANGUAGE) -> tuple[str, str]:
    """Label and unit of a field name in ``lang``: each dotted part from the catalogue.

    A part ``co2_avoided`` (its unit suffix stripped) reads ``field.co2_avoided`` of the
    catalogue; parts the catalogue lacks read as :func:`split_unit` makes them.

    Parameters
    ----------
    name
        E.g. ``"design.co2_t_per_yr"``.
    lang
        Language of the label and unit.

    Returns
    -------
    tuple[str, str]
        ``("Design: CO2 emissions", "t/yr")`` in English, ``("Ontwerp: CO2-uitstoot",
        "t/jr")`` in Dutch.
    """
    english, unit = split_unit(name)
    words = catalogue(lang)

    def lookup(part: str) -> str | None:
        # the whole part first (co2_eur_per_yr: a cost), then without its unit (co2)
        return words.get(f"field.{part}") or words.get(f"field.{_strip_unit(part)[0]}")

    parts = name.split(".")
    found = [lookup(part) for part in parts]
    if not any(found):
        return english, unit_text(unit, lang)
    read = [
        text or " ".join(_WORDS.get(w, w) for w in _strip_unit(part)[0].split("_") if w)
        for part, text in zip(parts, found, strict=True)
    ]
    label = read[-1] if len(read) == 1 else f"{' '.join(read[:-1])}: {read[-1]}"
    return label[:1].upper() + label[1:], unit_text(unit, lang)


def field_header(name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Return a column header from a field name in ``lang``: ``label [unit]``."""
    label, unit = field_label(name, lang)
    return f"{label} [{unit}]" if unit else label


def is_scalar(value: Any) -> bool:
    """Numbers, booleans, strings and ``None``."""
    return value is None or isinstance(value, bool | int | float | str)


def scalar_list(value: Any, *, limit: int = 8) -> bool:
    """Tell whether a value is a short list of scalars (shown inline, joined by commas)."""
    return isinstance(value, list) and len(value) <= limit and all(is_scalar(v) for v in value)


def records(value: Any) -> bool:
    """Tell whether a value is a non-empty list of objects (shown as a table)."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def flatten(document: Mapping[str, Any], *, max_depth: int = 3) -> Iterator[tuple[str, Any]]:
    """Scalar leaves of a JSON object as ``(dotted name, value)``, in document order.

    Lists of objects and long lists are skipped (they are tables, not key figures); short
    lists of scalars are kept as lists.

    Parameters
    ----------
    document
        A JSON object.
    max_depth
        Nesting levels to descend.
    """

    def walk(node: Mapping[str, Any], prefix: str, depth: int) -> Iterator[tuple[str, Any]]:
        for key, value in node.items():
            name = f"{prefix}{key}"
            if is_scalar(value) or scalar_list(value):
                yield name, value
            elif isinstance(value, Mapping) and depth < max_depth:
                yield from walk(value, f"{name}.", depth + 1)

    yield from walk(document, "", 1)


def key_figures(document: Mapping[str, Any], *, limit: int = 40) -> list[tuple[str, str, str]]:
    """``(label, value, unit)`` rows of a JSON object's scalar leaves, at most ``limit``."""
    rows = []
    for name, value in flatten(document):
        if isinstance(value, str) and len(value) > 160:
            value = value[:157] + "..."
        label, unit = split_unit(name)
        rows.append((label, format_value(value, unit=unit), unit))
        if len(rows) >= limit:
            break
    return rows
