"""Design checks for people: per element and check the hours violated, worst value and limit.

The simulation (``simulation/annual_summary.json``) and the verification of the sized design
(``sizing/verification.json``) hold a ``design_checks`` object: ``limits`` (value and unit
per limit), ``violations`` (one record per element and check, most hours first) and
``per_hour_table`` (the CSV file next to it with one row per violation and hour). This module
renders it as a table of at most :data:`MAX_CHECK_ROWS` rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tsg.report.figures import format_number, format_value
from tsg.report.html import Cell, esc, more_rows_note, note, table
from tsg.report.i18n import ENGLISH, Texts

__all__ = ["MAX_CHECK_ROWS", "checks_summary", "checks_summary_html"]

#: Most rows of the summary table; the rest is counted in a note.
MAX_CHECK_ROWS = 30


def checks_summary(document: Any) -> Mapping[str, Any] | None:
    """Return the ``design_checks`` object of a stage JSON document, if it has one."""
    if not isinstance(document, Mapping):
        return None
    checks = document.get("design_checks")
    if isinstance(checks, Mapping) and isinstance(checks.get("violations"), list):
        return checks
    return None


def _hours(record: Mapping[str, Any]) -> float:
    value = record.get("hours_violated")
    return float(value) if isinstance(value, int | float) else 0.0


def _number(value: Any, unit: str, lang: str) -> Cell | str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Cell(esc(format_number(value, unit=unit, lang=lang)), numeric=True)
    return format_value(value, lang=lang)


def checks_summary_html(checks: Mapping[str, Any], *, folder: str, t: Texts = ENGLISH) -> str:
    """Render design checks: the limits, then per element and check the violations.

    Parameters
    ----------
    checks
        The ``design_checks`` object (see the module docstring).
    folder
        Run-folder relative folder of the JSON file (the per-hour CSV file is next to it).
    t
        Texts of the report's language.

    Returns
    -------
    str
        HTML: a table of the limits, a table of at most :data:`MAX_CHECK_ROWS` rows (element,
        check, hours violated, worst value, limit, unit; most hours first) and a note on how
        many more rows the CSV file holds.
    """
    csv_name = f"{folder}/{checks.get('per_hour_table', '')}".strip("/")
    parts = []
    limits = checks.get("limits")
    if isinstance(limits, Mapping) and limits:
        rows = [
            (
                str(name).replace("_", " "),
                _number(entry.get("value"), str(entry.get("unit", "")), t.lang),
                str(entry.get("unit", "")),
            )
            for name, entry in limits.items()
            if isinstance(entry, Mapping)
        ]
        parts.append(
            table(
                [t("checks.col_limit"), t("table.value"), t("table.unit")],
                rows,
                caption=t("checks.limits"),
            )
        )
    records = [r for r in checks["violations"] if isinstance(r, Mapping)]
    if not records:
        parts.append(note(t("checks.none")))
        return "".join(parts)
    records = sorted(records, key=_hours, reverse=True)
    body = []
    for record in records[:MAX_CHECK_ROWS]:
        unit = str(record.get("unit", ""))
        element = f"{record.get('element', '')} {record.get('element_id', '')}".strip()
        if record.get("line"):
            element += f" ({record['line']} line)"
        body.append(
            [
                element,
                str(record.get("check", "")).replace("_", " "),
                _number(record.get("hours_violated"), "h", t.lang),
                _number(record.get("worst_value"), unit, t.lang),
                _number(record.get("limit"), unit, t.lang),
                unit,
            ]
        )
    total = sum(_hours(r) for r in records)
    parts.append(
        table(
            [
                t(f"checks.col_{name}")
                for name in ("element", "check", "hours", "worst", "limit_value", "unit")
            ],
            body,
            caption=t(
                "checks.caption", pairs=len(records), hours=format_number(total, lang=t.lang)
            ),
            numeric=[False, False, True, True, True, False],
        )
    )
    more = len(records) - MAX_CHECK_ROWS
    text = t("checks.more", n=more) if more > 0 else t("checks.all")
    parts.append(more_rows_note(MAX_CHECK_ROWS, len(records), csv_name, text=text))
    return "".join(parts)
