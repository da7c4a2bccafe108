"""The design loop in the report: each round's cost, violated hours and enlarged trenches.

``sizing/design.json`` -> ``simulation_loop`` (:mod:`tsg.design_loop`) records every solve of
the design with its simulated year; this table shows them and says whether the final design
is buildable as is, or which element fails and why.
"""

from __future__ import annotations

from typing import Any

from tsg.report.figures import format_number
from tsg.report.html import esc, note, table
from tsg.report.i18n import Texts

__all__ = ["design_rounds_html"]

_LOOP_CHECKS = ("velocity", "pressure_gradient", "building_pump_head")


def design_rounds_html(design: Any, t: Texts) -> str:
    """Render the rounds of ``design.json``'s ``simulation_loop`` (empty when there is none).

    Parameters
    ----------
    design
        The parsed ``sizing/design.json``.
    t
        The report's texts.

    Returns
    -------
    str
        HTML: a heading, a verdict sentence and one row per round.
    """
    loop = design.get("simulation_loop") if isinstance(design, dict) else None
    if not isinstance(loop, dict) or not isinstance(loop.get("rounds"), list):
        return ""
    lang = t.lang

    def number(value: Any, unit: str = "") -> str:
        return format_number(float(value), unit=unit, lang=lang) if value is not None else ""

    rows = []
    for r in loop["rounds"]:
        if not isinstance(r, dict):
            continue
        hours = r.get("violated_hours") or {}
        others = sum(int(v) for k, v in hours.items() if k not in _LOOP_CHECKS)
        rows.append(
            [
                r.get("round"),
                t("rounds.how_repaired") if r.get("solve") == "repaired" else t("rounds.how_mip"),
                number(r.get("cost_eur_per_yr")),
                *(number(hours.get(check, 0)) for check in _LOOP_CHECKS),
                number(others),
                len(r.get("cuts") or []),
                number(r.get("solve_time_s")),
                number(r.get("certify_time_s", 0.0)),
            ]
        )
    header = [
        t("rounds.round"),
        t("rounds.how"),
        t("rounds.cost"),
        t("rounds.velocity"),
        t("rounds.gradient"),
        t("rounds.pump_head"),
        t("rounds.other"),
        t("rounds.enlarged"),
        t("rounds.solve_s"),
        t("rounds.certify_s"),
    ]
    if loop.get("buildable_as_is"):
        verdict = note(t("rounds.buildable", n=len(rows)))
    else:
        reasons = "; ".join(
            f"{u.get('element_id')}: {u.get('reason')}"
            for u in loop.get("not_buildable_because") or []
            if isinstance(u, dict)
        )
        verdict = note(
            t("rounds.not_buildable", reason=loop.get("stop_reason", ""))
            + (f" {reasons}" if reasons else ""),
            kind="warn",
        )
    return (
        f"<h3>{esc(t('rounds.title'))}</h3>"
        + verdict
        + note(t("rounds.how_note"))
        + table(
            header,
            rows,
            numeric=[True, False, *[True] * (len(header) - 2)],
            table_id="design-rounds",
        )
    )
