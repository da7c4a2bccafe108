"""The cost allocation section: cost per partner and rule, core stability, partners paid.

``allocation/allocation.json`` has the documented shape ``{"players": [...], "rules": {rule:
{player: cost}}, "least_core_epsilon": number, "core": {"nonempty": verdict, ...bounds},
"in_core": {rule: verdict}, "negative_shares": [...]}``; a verdict reads "holds", "fails" or
"undecided within solver tolerance" (booleans of older runs are read as holds / fails).
``allocation/allocation.csv`` (long format, optional) adds stand-alone costs and individual
rationality per partner with margin bounds; ``allocation/rules.csv`` the per-rule verdicts.
Every text comes from the catalogue of the report's language, every number from
:func:`~tsg.report.figures.format_number` in that language.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from tsg import run_layout as layout
from tsg.report import charts
from tsg.report.context import Context
from tsg.report.figures import format_number
from tsg.report.html import Cell, Section, badge, esc, note, table
from tsg.report.i18n import Texts
from tsg.report.run_folder import StageFileError
from tsg.report.sections import missing

ALLOCATION_JSON = layout.ALLOCATION_JSON.relative
ALLOCATION_CSV = layout.ALLOCATION_TABLE.relative
RULES_CSV = layout.RULES_TABLE.relative
#: Verdict -> (catalogue key of its word, badge kind).
VERDICT_BADGES = {
    "holds": ("value.yes", "yes"),
    "fails": ("value.no", "no"),
    "undecided": ("value.undecided", "in_progress"),
}


def allocation_document(
    ctx: Context,
) -> tuple[list[str], dict[str, dict[str, float]], dict[str, Any]] | None:
    """Players, rule -> player -> cost, and the whole document; ``None`` when missing.

    Raises
    ------
    StageFileError
        ``allocation.json`` lacks the players or the rules.
    """
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


def long_table(ctx: Context) -> pd.DataFrame | None:
    """Return ``allocation.csv`` when it has the documented columns (else ``None``)."""
    frame = ctx.run.csv(ALLOCATION_CSV)
    if frame is None or not {"rule", "partner"} <= set(frame.columns):
        return None
    return frame.assign(partner=frame["partner"].astype(str), rule=frame["rule"].astype(str))


def standalone_costs(frame: pd.DataFrame | None) -> dict[str, float]:
    """Partner -> stand-alone cost [EUR/yr] of the long table (empty when it has none)."""
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
    return "undecided"


def _yes_no(value: Any, t: Texts) -> Cell | str:
    verdict = _verdict(value)
    if verdict is None:
        return ""
    key, kind = VERDICT_BADGES[verdict]
    return badge(t(key), kind=kind)


def _money(value: Any, t: Texts) -> str:
    return format_number(_float(value), unit="EUR/yr", lang=t.lang)


def _money_range(low: Any, high: Any, t: Texts) -> str:
    """``low .. high`` [EUR/yr], or one amount when both round alike."""
    low_text, high_text = _money(low, t), _money(high, t)
    return high_text if low_text == high_text else f"{low_text} .. {high_text}"


def allocation(ctx: Context) -> Section:
    """Allocated cost per partner and rule, stability per rule, the core and the least core."""
    t = ctx.t
    title = t("section.allocation")
    found = allocation_document(ctx)
    if found is None:
        return missing("allocation", title, t("allocation.missing"))
    players, rules, document = found
    long = long_table(ctx)
    standalone = standalone_costs(long)
    names = ctx.partner_names
    header = [
        t("allocation.col_partner"),
        *([t("allocation.col_standalone")] if standalone else []),
        *(t.rule(r) for r in rules),
    ]
    rows = []
    for player in players:
        values = [standalone.get(player)] if standalone else []
        values += [rules[r].get(player) for r in rules]
        rows.append(
            [
                Cell(_name_with_id(names, player)),
                *(_money(v, t) if v is not None else "" for v in values),
            ]
        )
    totals = [sum(standalone.values())] if standalone else []
    totals += [sum(v for p, v in rules[r].items() if p in players) for r in rules]
    rows.append([t("table.total"), *(_money(v, t) for v in totals)])
    parts = [
        table(
            header,
            rows,
            table_id="allocation-table",
            caption=t("allocation.caption"),
            numeric=[False] + [True] * (len(header) - 1),
            total_last=True,
        ),
        charts.embed(
            charts.allocation(players, rules, names, standalone=standalone or None, t=t),
            "chart-allocation",
            caption=t("allocation.chart_caption"),
        ),
        _stability(document, rules, ctx.run.csv(RULES_CSV), t),
        _rationality(players, names, long, t),
        _paid(document, names, t),
    ]
    return Section("allocation", title, "".join(parts))


def _paid(document: dict[str, Any], names: dict[str, str], t: Texts) -> str:
    """Why a partner receives money (negative cost share), one paragraph per rule and partner.

    The sentence is built from the entry's figures in the report's language; an entry of an
    older run without them shows its ``explanation`` as written.
    """
    items = document.get("negative_shares")
    texts = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        needed = ("rule", "partner", "cost_eur_per_yr", "standalone_eur_per_yr")
        if all(item.get(k) is not None for k in needed):
            partner = str(item["partner"])
            saving = item.get("marginal_saving_eur_per_yr")
            texts.append(
                t(
                    "allocation.paid",
                    partner=names.get(partner, partner),
                    amount=_money(-_float(item["cost_eur_per_yr"]), t),
                    rule=t.rule(str(item["rule"])),
                    alone=_money(item["standalone_eur_per_yr"], t),
                    saving=_money(saving, t),
                )
            )
        elif item.get("explanation"):
            texts.append(str(item["explanation"]))
    if not texts:
        return ""
    heading = f"<h3>{esc(t('allocation.h_paid'))}</h3>"
    return heading + "".join(f"<p>{esc(text)}</p>" for text in texts)


def _stability_rows(
    document: dict[str, Any], rules: dict[str, Any], per_rule: pd.DataFrame | None, t: Texts
) -> list[list[Any]]:
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
            excess = _money_range(row["excess_low_eur_per_yr"], row["excess_high_eur_per_yr"], t)
        rows.append(
            [
                t.rule(rule),
                _yes_no(row.get("in_core", in_core.get(rule)), t),
                _yes_no(row.get("individually_rational", rational.get(rule)), t),
                str(row.get("blocking_coalition", "") or "").replace("+", " + "),
                excess,
            ]
        )
    return rows


def _stability(
    document: dict[str, Any], rules: dict[str, Any], per_rule: pd.DataFrame | None, t: Texts
) -> str:
    core = document.get("core") if isinstance(document.get("core"), dict) else {}
    text = []
    nonempty = _verdict(core.get("nonempty", document.get("core_nonempty")))
    if nonempty is not None:
        text.append(t(f"core.{nonempty}"))
    low, high = (
        core.get("least_core_epsilon_low_eur_per_yr"),
        core.get("least_core_epsilon_high_eur_per_yr"),
    )
    epsilon = document.get("least_core_epsilon")
    if isinstance(low, int | float) and isinstance(high, int | float):
        text.append(t("allocation.epsilon_range", range=_money_range(low, high, t)))
    elif isinstance(epsilon, int | float):
        text.append(t("allocation.epsilon", epsilon=_money(epsilon, t)))
    header = [
        t(f"stability.col_{k}") for k in ("rule", "in_core", "rational", "blocking", "excess")
    ]
    return (
        f"<h3>{esc(t('allocation.h_stability'))}</h3>"
        + "".join(f"<p>{esc(line)}</p>" for line in text)
        + table(header, _stability_rows(document, rules, per_rule, t), table_id="stability-table")
        + note(t("allocation.stability_note"))
    )


def _rationality(
    players: list[str], names: dict[str, str], long: pd.DataFrame | None, t: Texts
) -> str:
    """Per partner: stand-alone cost (bounds) and, per rule, individual rationality and margin."""
    needed = {"individually_rational", "rationality_margin_low_eur_per_yr"}
    if long is None or not needed <= set(long.columns):
        return ""
    rules = list(dict.fromkeys(long["rule"]))
    header = [
        t("allocation.col_partner"),
        t("rationality.col_standalone"),
        *(t.rule(r) for r in rules),
    ]
    rows = []
    for player in players:
        mine = long[long["partner"] == player].set_index("rule")
        if mine.empty:
            continue
        first = mine.iloc[0]
        alone = _money_range(
            first.get("standalone_low_eur_per_yr", first["standalone_eur_per_yr"]),
            first["standalone_eur_per_yr"],
            t,
        )
        cells: list[Any] = [Cell(_name_with_id(names, player)), alone]
        for rule in rules:
            if rule not in mine.index:
                cells.append("")
                continue
            row = mine.loc[rule]
            margin = _money_range(
                row["rationality_margin_low_eur_per_yr"],
                row["rationality_margin_high_eur_per_yr"],
                t,
            )
            verdict = _yes_no(row["individually_rational"], t)
            mark = verdict.html if isinstance(verdict, Cell) else ""
            cells.append(Cell(f"{mark} <span class=small>{esc(margin)}</span>", numeric=True))
        rows.append(cells)
    return f"<h3>{esc(t('allocation.h_rationality'))}</h3>" + table(
        header,
        rows,
        table_id="rationality-table",
        caption=t("rationality.caption"),
        numeric=[False] + [True] * (len(header) - 1),
    )
