"""The optimiser against the simulated operation of its design, for people.

``sizing/verification.json`` (:mod:`tsg.verification_stage`) compares what the optimiser
assumed with the simulated year: annual cost (typical periods, operated over the full year,
with the simulated operation), heat the ATES moves, pump electricity and soil exchange. This
table shows those numbers side by side with their differences.
"""

from __future__ import annotations

from typing import Any

from tsg.report.figures import format_number
from tsg.report.html import esc, note, table
from tsg.report.i18n import Texts

__all__ = ["operation_table_html"]


def _get(record: Any, *keys: str) -> float | None:
    for key in keys:
        if not isinstance(record, dict):
            return None
        record = record.get(key)
    return float(record) if isinstance(record, int | float) else None


def operation_table_html(verification: Any, t: Texts) -> str:
    """Render the optimiser-against-simulation table (empty without a compared year).

    Parameters
    ----------
    verification
        The parsed ``sizing/verification.json``.
    t
        The report's texts.

    Returns
    -------
    str
        HTML: a heading, a sentence on the dispatch the simulation ran and one row per
        quantity (optimiser on typical periods, optimiser over the full year, simulation,
        simulation against typical periods in %).
    """
    if not isinstance(verification, dict) or "pump_electricity_mwh_per_yr" not in verification:
        return ""
    lang = t.lang
    cost = verification.get("annual_cost_eur_per_yr") or {}
    balancing = verification.get("balancing_mwh_per_yr") or {}
    pump = verification.get("pump_electricity_mwh_per_yr") or {}
    soil = verification.get("soil_net_gain_mwh_per_yr") or {}
    quantities = [
        (
            t("operation.cost"),
            _get(cost, "typical_periods_eur_per_yr"),
            _get(cost, "operated_full_year_eur_per_yr"),
            _get(cost, "simulated_operation_eur_per_yr"),
        ),
        *(
            (
                t(f"operation.ates_{way}"),
                _get(balancing, "optimiser", way),
                _get(balancing, "operated_full_year", way),
                _get(balancing, "simulation", way),
            )
            for way in ("to_loop", "from_loop")
        ),
        (t("operation.pumping"), _get(pump, "optimiser"), None, _get(pump, "simulation")),
        (
            t("operation.soil"),
            _get(soil, "optimiser"),
            _get(soil, "operated_full_year"),
            _get(soil, "simulation"),
        ),
    ]

    def number(value: float | None) -> str:
        return "" if value is None else format_number(value, lang=lang)

    rows = []
    for label, typical, operated, simulated in quantities:
        difference = (
            format_number(100.0 * (simulated - typical) / typical, unit="%", lang=lang)
            if typical and simulated is not None
            else ""
        )
        rows.append([label, number(typical), number(operated), number(simulated), difference])
    header = [
        t("operation.quantity"),
        t("operation.typical"),
        t("operation.full_year"),
        t("operation.simulation"),
        t("operation.difference"),
    ]
    source = (verification.get("dispatch") or {}).get("source")
    sentence = t("operation.lp" if source == "full_year_lp" else "operation.rules")
    return (
        f"<h3>{esc(t('operation.title'))}</h3>"
        + note(sentence)
        + table(header, rows, numeric=[False, True, True, True, True], table_id="operation")
    )
