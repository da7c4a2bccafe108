"""Sections for the alliance: cost allocation with core stability, and accountability.

``allocation/allocation.json`` has the documented shape ``{"players": [...], "rules": {rule:
{player: cost}}, "core_nonempty": bool, "least_core_epsilon": number, "in_core": {rule:
bool}}``; ``allocation/allocation.csv`` (long format, optional) adds stand-alone costs and
individual rationality.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from tsg import run_layout as layout
from tsg.report import charts
from tsg.report.context import Context
from tsg.report.figures import flatten, format_number, format_value, split_unit
from tsg.report.html import Cell, Section, badge, esc, key_value_table, note, table
from tsg.report.run_folder import StageFileError
from tsg.report.sections import missing

ALLOCATION_JSON = layout.ALLOCATION_JSON.relative
ALLOCATION_CSV = layout.ALLOCATION_TABLE.relative
#: Rule used for "what does each partner pay" in the accountability section, first found.
REFERENCE_RULES = ("shapley", "nucleolus", "scrb", "equal_savings")
ACCOUNT_WORDS = ("co2", "gas", "emission")


def _allocation(
    ctx: Context,
) -> tuple[list[str], dict[str, dict[str, float]], dict[str, Any]] | None:
    """Players, rule -> player -> cost, and the whole document; ``None`` when missing."""
    document = ctx.run.json_object(ALLOCATION_JSON)
    if document is None:
        return None
    players, rules = document.get("players"), document.get("rules")
    if not isinstance(players, list) or not isinstance(rules, dict):
        raise StageFileError(ALLOCATION_JSON, "expected 'players' (list) and 'rules' (object)")
    costs = {}
    for rule, values in rules.items():
        if not isinstance(values, dict):
            raise StageFileError(ALLOCATION_JSON, f"rule {rule!r} is not an object")
        costs[str(rule)] = {str(p): _float(v) for p, v in values.items()}
    return [str(p) for p in players], costs, document


def _name_with_id(names: dict[str, str], ident: str) -> str:
    """Partner name with its id below (escaped); just the id when the name is unknown."""
    if ident not in names:
        return esc(ident)
    return f"{esc(names[ident])}<br><span class=small>{esc(ident)}</span>"


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _long_table(ctx: Context) -> pd.DataFrame | None:
    """``allocation.csv`` when it has the documented columns."""
    frame = ctx.run.csv(ALLOCATION_CSV)
    if frame is None or not {"rule", "partner"} <= set(frame.columns):
        return None
    return frame.assign(partner=frame["partner"].astype(str), rule=frame["rule"].astype(str))


def _standalone(frame: pd.DataFrame | None) -> dict[str, float]:
    if frame is None or "standalone_eur_per_yr" not in frame:
        return {}
    first = frame.groupby("partner")["standalone_eur_per_yr"].first()
    return {str(p): float(v) for p, v in first.items()}


def _yes_no(value: Any) -> Cell | str:
    if value is None:
        return ""
    good = str(value).strip().lower() in ("true", "1", "yes")
    return badge("yes" if good else "no", kind="yes" if good else "no")


def allocation(ctx: Context) -> Section:
    """Allocated cost per partner and rule, stability per rule, the core and the least core."""
    title = "Cost allocation"
    found = _allocation(ctx)
    if found is None:
        return missing(
            "allocation", title, "The cost allocation did not run (no allocation/allocation.json)."
        )
    players, rules, document = found
    long = _long_table(ctx)
    standalone = _standalone(long)
    names = ctx.partner_names
    header = [
        "partner",
        *(["stand-alone"] if standalone else []),
        *(r.replace("_", " ") for r in rules),
    ]
    rows = []
    for player in players:
        values = [standalone.get(player)] if standalone else []
        values += [rules[r].get(player) for r in rules]
        rows.append(
            [
                Cell(_name_with_id(names, player)),
                *(format_number(v, unit="EUR/yr") if v is not None else "" for v in values),
            ]
        )
    totals = [sum(standalone.values())] if standalone else []
    totals += [sum(v for p, v in rules[r].items() if p in players) for r in rules]
    rows.append(["Total", *(format_number(v, unit="EUR/yr") for v in totals)])
    parts = [
        table(
            header,
            rows,
            table_id="allocation-table",
            caption="Annual cost per partner under each rule [EUR/yr]",
            numeric=[False] + [True] * (len(header) - 1),
            total_last=True,
        ),
        charts.embed(
            charts.allocation(players, rules, names, standalone=standalone or None),
            "chart-allocation",
            caption="Allocated annual cost per partner; the black bars mark what each partner "
            "would pay alone.",
        ),
        _stability(document, rules, long),
    ]
    return Section("allocation", title, "".join(parts))


def _stability(document: dict[str, Any], rules: dict[str, Any], long: pd.DataFrame | None) -> str:
    in_core = document.get("in_core") if isinstance(document.get("in_core"), dict) else {}
    rational = {}
    if long is not None and "individually_rational" in long:
        rational = long.groupby("rule")["individually_rational"].first().to_dict()
    rows = [[r.replace("_", " "), _yes_no(in_core.get(r)), _yes_no(rational.get(r))] for r in rules]
    nonempty = document.get("core_nonempty")
    epsilon = document.get("least_core_epsilon")
    text = []
    if nonempty is not None:
        text.append(
            "The core is non-empty: some allocations leave no group of partners better off "
            "on its own."
            if nonempty
            else "The core is EMPTY: every allocation leaves some group of partners better "
            "off on its own."
        )
    if isinstance(epsilon, int | float):
        text.append(
            f"Least-core epsilon: {format_number(epsilon, unit='EUR/yr')} EUR/yr (the smallest "
            "largest excess x(S) - c(S) any allocation can reach; at most 0 means stable)."
        )
    header = ["rule", "in the core (stable)", "individually rational"]
    return (
        "<h3>Stability</h3>"
        + "".join(f"<p>{esc(t)}</p>" for t in text)
        + table(header, rows, table_id="stability-table")
    )


def accountability(ctx: Context) -> Section:
    """CO2 and gas avoided, and what each partner contributes and gains."""
    title = "Accountability"
    sources = [
        r for r in (layout.DESIGN.relative, layout.SIMULATION_SUMMARY.relative) if ctx.run.has(r)
    ]
    found = _allocation(ctx)
    if not ctx.run.stage_ran("sizing") and found is None:
        return missing(
            "accountability",
            title,
            "Needs the sizing and allocation stages (CO2 and gas avoided, cost per partner); "
            "neither ran.",
        )
    figures = []
    for relative in sources:
        document = ctx.run.json_object(relative) or {}
        for name, value in flatten(document):
            if any(word in name.lower() for word in ACCOUNT_WORDS):
                label, unit = split_unit(name)
                figures.append((label, format_value(value, unit=unit), unit))
    parts = []
    if figures:
        parts.append(
            "<h3>Emissions and gas</h3>"
            + key_value_table(figures, table_id="accountability-figures")
        )
    else:
        parts.append(
            note("No CO2 or gas figures in sizing/design.json or simulation/annual_summary.json.")
        )
    parts.append(_partner_contribution(ctx, found))
    return Section("accountability", title, "".join(parts))


def _partner_contribution(ctx: Context, found: Any) -> str:
    demand = ctx.partner_demand
    header = ["partner", "buildings", "heat [MWh/yr]", "cooling [MWh/yr]"]
    rule, standalone = None, {}
    if found is not None:
        players, rules, _ = found
        rule = next((r for r in REFERENCE_RULES if r in rules), next(iter(rules), None))
        standalone = _standalone(_long_table(ctx))
        if rule:
            header.append(f"cost, {rule.replace('_', ' ')} [EUR/yr]")
            if standalone:
                header.append("saving vs stand-alone [EUR/yr]")
    extra = _sizing_per_partner(ctx)
    extra_columns = list(dict.fromkeys(c for values in extra.values() for c in values))
    header += [_with_unit(c) for c in extra_columns]
    rows = []
    for partner, stats in demand.iterrows():
        row: list[Any] = [ctx.partner_names.get(str(partner), partner)]
        row += [format_value(stats[c]) for c in demand.columns]
        if rule:
            cost = rules[rule].get(str(partner))
            alone = standalone.get(str(partner))
            row.append(format_number(cost, unit="EUR/yr") if cost is not None else "")
            if standalone:
                saving = alone - cost if cost is not None and alone is not None else None
                row.append(format_number(saving, unit="EUR/yr") if saving is not None else "")
        values = extra.get(str(partner), {})
        row += [format_value(values[c]) if c in values else "" for c in extra_columns]
        rows.append(row)
    caption = "Contribution per partner" + (f" (costs by the {rule} rule)" if rule else "")
    return "<h3>Per partner</h3>" + table(
        header,
        rows,
        table_id="contribution-table",
        caption=caption,
        numeric=[False] + [True] * (len(header) - 1),
    )


def _with_unit(name: str) -> str:
    label, unit = split_unit(name)
    return f"{label} [{unit}]" if unit else label


def _sizing_per_partner(ctx: Context) -> dict[str, dict[str, float]]:
    """CO2 and gas columns of the sizing tables per partner (files named ``*partner*.csv``).

    Returns
    -------
    dict
        Partner id -> column name -> value; the partner is the column ``partner``,
        ``partner_id`` or ``player``, else the first column.
    """
    found: dict[str, dict[str, float]] = {}
    for relative in ctx.run.files("sizing", (".csv",)):
        if "partner" not in relative.rsplit("/", 1)[-1].lower():
            continue
        frame = ctx.run.csv(relative)
        if frame is None or frame.empty:
            continue
        key = next((c for c in ("partner", "partner_id", "player") if c in frame), frame.columns[0])
        columns = [
            c
            for c in frame.columns
            if any(word in str(c).lower() for word in ACCOUNT_WORDS)
            and pd.api.types.is_numeric_dtype(frame[c])
        ]
        for _, row in frame.iterrows():
            for column in columns:
                found.setdefault(str(row[key]), {})[str(column)] = float(row[column])
    return found
