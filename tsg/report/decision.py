"""The decision page: should the alliance build the grid, who pays and saves what, is it stable.

Reads ``sizing/design.json`` (design against reference), ``allocation/allocation.json`` and
``allocation/allocation.csv`` (cost per partner and rule, stand-alone costs),
``allocation/coalition_solves.csv`` (MIP gap per coalition) and the district's barriers.
Every number carries its unit; the solver tolerance decides when a verdict is undecided.
"""

from __future__ import annotations

import math
from typing import Any

from tsg import run_layout as layout
from tsg.report.context import Context
from tsg.report.figures import format_number, unit_text
from tsg.report.html import Section, badge, esc, note, table

__all__ = [
    "DEFAULT_RULE",
    "build_verdict",
    "decision",
    "decision_lines",
    "gap_tolerance",
    "stability_text",
    "stability_verdict",
]

#: Rule shown on the decision page when the allocation has it (else the first rule).
DEFAULT_RULE = "shapley"
#: Barrier statuses that are no longer open.
CLOSED = ("resolved",)


def _number(value: float, lang: str) -> str:
    return format_number(value, unit="EUR/yr", lang=lang)


def gap_tolerance(ctx: Context) -> float | None:
    """Largest cost uncertainty of any coalition from its MIP gap [EUR/yr].

    Each coalition's optimum lies between ``cost x (1 - gap)`` and ``cost``; the tolerance is
    the largest ``gap x cost`` of ``allocation/coalition_solves.csv`` (``None`` when missing).
    """
    frame = ctx.run.csv(layout.COALITION_SOLVES.relative)
    if frame is None or not {"gap", "cost_eur_per_yr"} <= set(frame.columns):
        return None
    spread = (frame["gap"].abs() * frame["cost_eur_per_yr"].abs()).dropna()
    return float(spread.max()) if len(spread) else None


def stability_verdict(epsilon: float | None, tolerance: float | None) -> str:
    """``stable``, ``unstable``, ``undecided`` (within tolerance) or ``unknown``.

    Parameters
    ----------
    epsilon
        Least-core epsilon [EUR/yr]: at most 0 means the core is non-empty.
    tolerance
        Cost uncertainty from the MIP gaps [EUR/yr] (``None``: exact).
    """
    if epsilon is None or math.isnan(epsilon):
        return "unknown"
    if tolerance is not None and abs(epsilon) <= tolerance:
        return "undecided"
    return "stable" if epsilon <= 0 else "unstable"


def build_verdict(ctx: Context, design: dict[str, Any] | None) -> str:
    """Return one sentence: build the grid, do not, or undecided within the sizing's MIP gap."""
    t = ctx.t
    if design is None:
        return t("decision.no_sizing")
    grid = _float(design.get("total_cost_eur_per_yr"))
    reference = _float(design.get("reference_cost_eur_per_yr"))
    gap = _float((design.get("solve") or {}).get("gap"))
    tolerance = abs(grid * gap) if not math.isnan(gap) else 0.0
    saving = reference - grid
    values = {"design": _number(grid, t.lang), "reference": _number(reference, t.lang)}
    if abs(saving) <= tolerance:
        key, values["tolerance"] = "decision.build_undecided", _number(tolerance, t.lang)
    elif saving > 0:
        key, values["saving"] = "decision.build_yes", _number(saving, t.lang)
    else:
        key, values["extra"] = "decision.build_no", _number(-saving, t.lang)
    return t(key, **values)


def _build(ctx: Context, design: dict[str, Any] | None) -> list[str]:
    t = ctx.t
    parts = [f'<p class="verdict">{esc(build_verdict(ctx, design))}</p>']
    if design is None:
        return parts
    rows = []
    quantities = (
        ("cost_eur_per_yr", "decision.row_cost", "EUR/yr"),
        ("investment_eur", "decision.row_investment", "EUR"),
        ("gas_m3_per_yr", "decision.row_gas", "m3/yr"),
        ("co2_t_per_yr", "decision.row_co2", "t/yr"),
        ("electricity_mwh_per_yr", "decision.row_electricity", "MWh/yr"),
    )
    with_grid, without = design.get("design") or {}, design.get("reference") or {}
    for name, label, unit in quantities:
        if name not in with_grid or name not in without:
            continue
        a, b = _float(with_grid[name]), _float(without[name])
        shown = unit_text(unit, t.lang)
        rows.append(
            [t(label), *(format_number(v, unit=unit, lang=t.lang) for v in (a, b, b - a)), shown]
        )
    if rows:
        header = [
            t(k)
            for k in (
                "decision.col_quantity",
                "decision.col_grid",
                "decision.col_reference",
                "decision.col_saving",
                "decision.col_unit",
            )
        ]
        parts.append(
            table(
                header,
                rows,
                table_id="decision-costs",
                caption=t("decision.costs_caption"),
                numeric=[False, True, True, True, False],
            )
        )
    return parts


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _standalone(ctx: Context) -> dict[str, float]:
    frame = ctx.run.csv(layout.ALLOCATION_TABLE.relative)
    if frame is None or not {"partner", "standalone_eur_per_yr"} <= set(frame.columns):
        return {}
    first = frame.groupby(frame["partner"].astype(str))["standalone_eur_per_yr"].first()
    return {str(p): float(v) for p, v in first.items()}


def _partners(ctx: Context, document: dict[str, Any]) -> list[str]:
    t = ctx.t
    rules = document.get("rules") if isinstance(document.get("rules"), dict) else {}
    players = [str(p) for p in document.get("players") or []]
    if not rules or not players:
        return []
    rule = DEFAULT_RULE if DEFAULT_RULE in rules else next(iter(rules))
    costs = {str(p): _float(v) for p, v in (rules[rule] or {}).items()}
    alone = _standalone(ctx)
    counts = ctx.partner_demand["buildings"].to_dict() if ctx.partner_names else {}
    rows = []
    for player in players:
        pays, solo = costs.get(player, math.nan), alone.get(player, math.nan)
        rows.append(
            [
                ctx.partner_names.get(player, player),
                format_number(counts.get(player, 0), lang=t.lang),
                _number(solo, t.lang) if alone else "",
                _number(pays, t.lang),
                _number(solo - pays, t.lang) if alone else "",
            ]
        )
    rule_name = t.rule(rule)
    header = [
        t("decision.col_partner"),
        t("decision.col_buildings"),
        t("decision.col_alone"),
        t("decision.col_pays", rule=rule_name),
        t("decision.col_saves"),
    ]
    others = [r for r in rules if r != rule]
    links = ", ".join(t.rule(r) for r in others)
    intro = t("decision.partners_intro", rule=rule_name, others=links or "-")
    return [
        f'<p>{esc(intro)} <a href="#allocation">{esc(t("decision.all_rules"))}</a></p>',
        table(header, rows, table_id="decision-partners", numeric=[False, True, True, True, True]),
        *_player_counts(ctx, players),
        _stability(ctx, document, rule, rule_name),
    ]


def _owners(ctx: Context) -> list[str]:
    """Partners that own a building or an asset (source) of the district."""
    owned = {str(b.get("partner")) for b in ctx.items("buildings")}
    owned |= {str(s.get("partner")) for s in ctx.items("sources") if s.get("partner")}
    return [p for p in ctx.partner_names if p in owned]


def _player_counts(ctx: Context, players: list[str]) -> list[str]:
    partners = list(ctx.partner_names)
    outside = [p for p in partners if p not in players]
    if not outside:
        return []
    names = ", ".join(ctx.partner_names[p] for p in outside)
    text = ctx.t(
        "decision.player_counts",
        partners=len(partners),
        players=len(players),
        outside=len(outside),
        names=names,
    )
    return [f'<p class="small" id="partner-counts">{esc(text)}</p>']


def stability_text(ctx: Context, document: dict[str, Any]) -> str:
    """Return one sentence: stable, not stable or undecided within the coalitions' MIP gaps."""
    raw = document.get("least_core_epsilon")
    epsilon = _float(raw) if isinstance(raw, int | float) else None
    tolerance = gap_tolerance(ctx)
    verdict = stability_verdict(epsilon, tolerance)
    core = document.get("core")
    if isinstance(core, dict) and "nonempty" in core:
        # the allocation stage decided it against every coalition's solver bounds
        verdict = {True: "stable", "holds": "stable", False: "unstable", "fails": "unstable"}.get(
            core["nonempty"], "undecided"
        )
    t = ctx.t
    values = {
        "epsilon": _number(epsilon if epsilon is not None else math.nan, t.lang),
        "tolerance": _number(tolerance if tolerance is not None else math.nan, t.lang),
    }
    return t(f"stability.{verdict}", **values)


def decision_lines(ctx: Context) -> list[str]:
    """Return the decision in plain sentences (for ``tsg summary``): build, stability, barriers."""
    lines = [build_verdict(ctx, ctx.run.json_object(layout.DESIGN.relative))]
    allocation = ctx.run.json_object(layout.ALLOCATION_JSON.relative)
    if allocation is not None:
        lines.append(stability_text(ctx, allocation))
    still_open = [b for b in ctx.items("barriers") if str(b.get("status", "open")) not in CLOSED]
    if still_open:
        lines.append(ctx.t("decision.open_barriers", n=len(still_open)))
    return lines


def _stability(ctx: Context, document: dict[str, Any], rule: str, rule_name: str) -> str:
    t = ctx.t
    parts = [f'<p class="verdict" id="stability-verdict">{esc(stability_text(ctx, document))}</p>']
    in_core = document.get("in_core")
    value = in_core.get(rule) if isinstance(in_core, dict) else None
    keys = {True: "in_core", "holds": "in_core", False: "not_in_core", "fails": "not_in_core"}
    if value in keys:
        parts.append(f"<p>{esc(t('stability.rule_' + keys[value], rule=rule_name))}</p>")
    return "".join(parts)


def _barriers(ctx: Context) -> list[str]:
    t = ctx.t
    open_items = [b for b in ctx.items("barriers") if str(b.get("status", "open")) not in CLOSED]
    if not open_items:
        return [f"<p>{esc(t('decision.no_open_barriers'))}</p>"]
    rows = []
    for barrier in open_items:
        status = str(barrier.get("status", "open"))
        owner = barrier.get("owner")
        rows.append(
            [
                barrier.get("id"),
                t.term("barrier_type", barrier.get("type")),
                badge(t.term("barrier_status", status), kind=status),
                barrier.get("description"),
                ctx.partner_names.get(str(owner), owner) if owner else "",
            ]
        )
    header = [t(f"barrier.col_{k}") for k in ("id", "type", "status", "description", "owner")]
    caption = t("decision.open_barriers", n=len(open_items))
    return [table(header, rows, table_id="decision-barriers", caption=caption)]


def decision(ctx: Context) -> Section:
    """Build the first section: build or not, costs and savings, partners, stability, barriers."""
    t = ctx.t
    title = t("section.decision")
    design = ctx.run.json_object(layout.DESIGN.relative)
    allocation = ctx.run.json_object(layout.ALLOCATION_JSON.relative)
    parts = [f"<h3>{esc(t('decision.h_build'))}</h3>", *_build(ctx, design)]
    parts.append(f"<h3>{esc(t('decision.h_partners'))}</h3>")
    if allocation is None:
        parts.append(note(t("decision.no_allocation")))
        parts += _player_counts(ctx, _owners(ctx))
    else:
        parts += _partners(ctx, allocation)
    parts.append(f"<h3>{esc(t('decision.h_barriers'))}</h3>")
    parts += _barriers(ctx)
    return Section("decision", title, "".join(parts), available=True)
