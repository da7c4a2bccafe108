"""The accountability section: CO2 and gas avoided, and what each partner contributes and gains.

Reads the CO2 and gas figures of ``sizing/design.json`` and ``simulation/annual_summary.json``,
the cost per partner of ``allocation/allocation.json`` and the CO2 and gas columns of the
sizing tables per partner. Labels made from field names (``co2_avoided_t_per_yr``) and every
other text come from the catalogue of the report's language; numbers are formatted in it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from tsg import run_layout as layout
from tsg.report.alliance import allocation_document, long_table, standalone_costs
from tsg.report.context import Context
from tsg.report.figures import field_header, field_label, flatten, format_number, format_value
from tsg.report.html import Section, esc, key_value_table, note, table
from tsg.report.sections import missing

__all__ = ["ACCOUNT_WORDS", "REFERENCE_RULES", "accountability"]

#: Rule used for "what does each partner pay", first found.
REFERENCE_RULES = ("shapley", "nucleolus", "scrb", "equal_savings")
#: Words of the field names shown here.
ACCOUNT_WORDS = ("co2", "gas", "emission")


def accountability(ctx: Context) -> Section:
    """CO2 and gas avoided, and what each partner contributes and gains."""
    t = ctx.t
    title = t("section.accountability")
    sources = [
        r for r in (layout.DESIGN.relative, layout.SIMULATION_SUMMARY.relative) if ctx.run.has(r)
    ]
    found = allocation_document(ctx)
    if not ctx.run.stage_ran("sizing") and found is None:
        return missing("accountability", title, t("accountability.missing"))
    figures = []
    for relative in sources:
        document = ctx.run.json_object(relative) or {}
        for name, value in flatten(document):
            if any(word in name.lower() for word in ACCOUNT_WORDS):
                label, unit = field_label(name, t.lang)
                figures.append((label, format_value(value, unit=unit, lang=t.lang), unit))
    parts = []
    if figures:
        header = (t("table.quantity"), t("table.value"), t("table.unit"))
        parts.append(
            f"<h3>{esc(t('accountability.h_emissions'))}</h3>"
            + key_value_table(figures, table_id="accountability-figures", header=header)
        )
    else:
        parts.append(note(t("accountability.no_figures")))
    parts.append(_partner_contribution(ctx, found))
    return Section("accountability", title, "".join(parts))


def _partner_contribution(ctx: Context, found: Any) -> str:
    t = ctx.t
    lang = t.lang
    demand = ctx.partner_demand
    header = [t(f"partners.col_{k}") for k in ("partner", "buildings", "heat", "cool")]
    rule, standalone, rules = None, {}, {}
    if found is not None:
        _, rules, _ = found
        rule = next((r for r in REFERENCE_RULES if r in rules), next(iter(rules), None))
        standalone = standalone_costs(long_table(ctx))
        if rule:
            header.append(t("accountability.col_cost", rule=t.rule(rule)))
            if standalone:
                header.append(t("accountability.col_saving"))
    extra = _sizing_per_partner(ctx)
    extra_columns = list(dict.fromkeys(c for values in extra.values() for c in values))
    header += [field_header(c, lang) for c in extra_columns]
    rows = []
    for partner, stats in demand.iterrows():
        row: list[Any] = [ctx.partner_names.get(str(partner), partner)]
        row += [format_value(stats[c], lang=lang) for c in demand.columns]
        if rule:
            cost = rules[rule].get(str(partner))
            alone = standalone.get(str(partner))
            row.append(format_number(cost, unit="EUR/yr", lang=lang) if cost is not None else "")
            if standalone:
                saving = alone - cost if cost is not None and alone is not None else None
                row.append(
                    format_number(saving, unit="EUR/yr", lang=lang) if saving is not None else ""
                )
        values = extra.get(str(partner), {})
        row += [format_value(values[c], lang=lang) if c in values else "" for c in extra_columns]
        rows.append(row)
    caption = t("accountability.caption_rule", rule=t.rule(rule)) if rule else ""
    return f"<h3>{esc(t('accountability.h_partners'))}</h3>" + table(
        header,
        rows,
        table_id="contribution-table",
        caption=caption or t("accountability.caption"),
        numeric=[False] + [True] * (len(header) - 1),
    )


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
