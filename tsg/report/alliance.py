"""Sections for the alliance: cost allocation with core stability, and accountability.

``allocation/allocation.json`` has the documented shape ``{"players": [...], "rules": {rule:
{player: cost}}, "least_core_epsilon": number, "core": {"nonempty": verdict, ...bounds},
"in_core": {rule: verdict}, "negative_shares": [...]}``; a verdict reads "holds", "fails" or
"undecided within solver tolerance" (booleans of older runs are read as holds / fails).
``allocation/allocation.csv`` (long format, optional) adds stand-alone costs and individual
rationality per partner with margin bounds; ``allocation/rules.csv`` the per-rule verdicts.
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
RULES_CSV = layout.RULES_TABLE.relative
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


def _verdict(value: Any) -> str | None:
    """Return holds / fails / undecided from a verdict string or an old boolean."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "holds"):
        return "holds"
    if text in ("false", "0", "no", "fails"):
        return "fails"
    return "undecided within solver tolerance"


def _yes_no(value: Any) -> Cell | str:
    verdict = _verdict(value)
    if verdict is None:
        return ""
    kind = {"holds": "yes", "fails": "no"}.get(verdict, "in_progress")
    return badge({"holds": "yes", "fails": "no"}.get(verdict, "undecided"), kind=kind)


def _money_range(low: Any, high: Any) -> str:
    """``low .. high`` [EUR/yr], or one amount when both round alike."""
    low_text = format_number(_float(low), unit="EUR/yr")
    high_text = format_number(_float(high), unit="EUR/yr")
    return high_text if low_text == high_text else f"{low_text} .. {high_text}"


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
        _stability(document, rules, ctx.run.csv(RULES_CSV)),
        _rationality(players, names, long),
        _paid(document),
    ]
    return Section("allocation", title, "".join(parts))


def _paid(document: dict[str, Any]) -> str:
    """Why a partner receives money (negative cost share), one paragraph per rule and partner."""
    items = document.get("negative_shares")
    texts = [
        str(item.get("explanation", ""))
        for item in (items if isinstance(items, list) else [])
        if isinstance(item, dict)
    ]
    if not texts:
        return ""
    return "<h3>Partners who are paid</h3>" + "".join(f"<p>{esc(t)}</p>" for t in texts)


CORE_TEXT = {
    "holds": "The core is non-empty for every cost within the solver's bounds: some "
    "allocations leave no group of partners better off on its own.",
    "fails": "The core is EMPTY for every cost within the solver's bounds: every allocation "
    "leaves some group of partners better off on its own.",
    "undecided within solver tolerance": "Whether the core is empty is undecided within "
    "solver tolerance: the coalition costs are known only up to the MIP gaps of their solves, "
    "and within those bounds the core may be empty or not.",
}


def _stability(
    document: dict[str, Any], rules: dict[str, Any], per_rule: pd.DataFrame | None
) -> str:
    core = document.get("core") if isinstance(document.get("core"), dict) else {}
    in_core = document.get("in_core") if isinstance(document.get("in_core"), dict) else {}
    rational = document.get("individually_rational")
    rational = rational if isinstance(rational, dict) else {}
    found = {}
    if per_rule is not None and "rule" in per_rule:
        found = {str(r["rule"]): r for _, r in per_rule.iterrows()}
    rows = []
    for rule in dict.fromkeys([*rules, *found]):
        row = found.get(rule, {})
        excess = ""
        if "excess_low_eur_per_yr" in row:
            excess = _money_range(row["excess_low_eur_per_yr"], row["excess_high_eur_per_yr"])
        rows.append(
            [
                rule.replace("_", " "),
                _yes_no(row.get("in_core", in_core.get(rule))),
                _yes_no(row.get("individually_rational", rational.get(rule))),
                str(row.get("blocking_coalition", "") or "").replace("+", " + "),
                excess,
            ]
        )
    text = []
    nonempty = _verdict(core.get("nonempty", document.get("core_nonempty")))
    if nonempty is not None:
        text.append(CORE_TEXT[nonempty])
    low, high = (
        core.get("least_core_epsilon_low_eur_per_yr"),
        core.get("least_core_epsilon_high_eur_per_yr"),
    )
    epsilon = document.get("least_core_epsilon")
    if isinstance(low, int | float) and isinstance(high, int | float):
        text.append(
            f"Least-core epsilon between {_money_range(low, high)} EUR/yr over the bounds (the "
            "smallest largest excess x(S) - c(S) any allocation can reach; at most 0 means "
            "stable)."
        )
    elif isinstance(epsilon, int | float):
        text.append(
            f"Least-core epsilon: {format_number(epsilon, unit='EUR/yr')} EUR/yr (the smallest "
            "largest excess x(S) - c(S) any allocation can reach; at most 0 means stable)."
        )
    header = [
        "rule",
        "in the core (stable)",
        "individually rational",
        "most blocking coalition",
        "its excess x(S) - c(S) [EUR/yr]",
    ]
    return (
        "<h3>Stability</h3>"
        + "".join(f"<p>{esc(t)}</p>" for t in text)
        + table(header, rows, table_id="stability-table")
        + note(
            "yes / no hold for every coalition cost within the solver's bounds; undecided: "
            "the MIP gaps of the coalition solves decide."
        )
    )


def _rationality(players: list[str], names: dict[str, str], long: pd.DataFrame | None) -> str:
    """Per partner: stand-alone cost (bounds) and, per rule, individual rationality and margin."""
    needed = {"individually_rational", "rationality_margin_low_eur_per_yr"}
    if long is None or not needed <= set(long.columns):
        return ""
    rules = list(dict.fromkeys(long["rule"]))
    header = ["partner", "stand-alone [EUR/yr]", *(r.replace("_", " ") for r in rules)]
    rows = []
    for player in players:
        mine = long[long["partner"] == player].set_index("rule")
        if mine.empty:
            continue
        first = mine.iloc[0]
        alone = _money_range(
            first.get("standalone_low_eur_per_yr", first["standalone_eur_per_yr"]),
            first["standalone_eur_per_yr"],
        )
        cells: list[Any] = [Cell(_name_with_id(names, player)), alone]
        for rule in rules:
            if rule not in mine.index:
                cells.append("")
                continue
            row = mine.loc[rule]
            margin = _money_range(
                row["rationality_margin_low_eur_per_yr"], row["rationality_margin_high_eur_per_yr"]
            )
            verdict = _yes_no(row["individually_rational"])
            mark = verdict.html if isinstance(verdict, Cell) else ""
            cells.append(Cell(f"{mark} <span class=small>{esc(margin)}</span>", numeric=True))
        rows.append(cells)
    return "<h3>Individual rationality per partner</h3>" + table(
        header,
        rows,
        table_id="rationality-table",
        caption="Stand-alone cost c({i}) (lower bound .. design found) and, per rule, whether "
        "the partner pays at most that (yes / no / undecided) with the margin c({i}) - x_i "
        "[EUR/yr]",
        numeric=[False] + [True] * (len(header) - 1),
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
