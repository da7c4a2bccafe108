"""The report shows design checks as one summary table, not the per-hour rows."""

from __future__ import annotations

import json
import re

from report_helpers import make_run

from tsg import run_layout as layout
from tsg.report import build_report
from tsg.report.checks_section import MAX_CHECK_ROWS, checks_summary_html


def _records(n: int) -> list[dict]:
    # hours 1..n in a scrambled order; element ids say their hours
    order = [(11 * k) % n + 1 for k in range(n)]
    return [
        {
            "element": "pipe",
            "element_id": f"e{hours:02d}",
            "line": "warm",
            "check": "velocity",
            "hours_violated": hours,
            "worst_value": 2.0 + hours / 100,
            "limit": 2.0,
            "unit": "m/s",
        }
        for hours in order
    ]


def _checks(n: int) -> dict:
    return {
        "limits": {"max_velocity_m_per_s": {"value": 2.0, "unit": "m/s"}},
        "violations": _records(n),
        "per_hour_table": layout.VERIFICATION_CHECKS.name,
    }


def _body_rows(html_text: str) -> list[str]:
    caption = html_text.index("Design checks:")
    tbody = html_text[html_text.index("<tbody>", caption) : html_text.index("</tbody>", caption)]
    return re.findall(r"<tr.*?</tr>", tbody, flags=re.S)


def test_at_most_thirty_rows_most_hours_first_and_a_line_for_the_rest():
    html_text = checks_summary_html(_checks(35), folder="sizing")
    rows = _body_rows(html_text)
    assert len(rows) == MAX_CHECK_ROWS == 30
    ids = [re.search(r"e(\d\d)", row).group(1) for row in rows]
    assert ids == [f"{h:02d}" for h in range(35, 5, -1)]
    assert "5 more element and check pairs" in html_text
    assert layout.VERIFICATION_CHECKS.relative in html_text
    assert "2.35" in rows[0] and "m/s" in rows[0]  # worst value of the 35-hour pipe
    assert "design limit" in html_text and "max velocity m per s" in html_text


def test_few_rows_show_all_and_no_violation_says_so():
    html_text = checks_summary_html(_checks(3), folder="simulation")
    assert len(_body_rows(html_text)) == 3 and "more element" not in html_text
    empty = checks_summary_html({**_checks(1), "violations": []}, folder="sizing")
    assert "No design limit is violated" in empty


def test_report_design_section_shows_the_summary_not_the_per_hour_rows(tmp_path):
    run = make_run(tmp_path / "run")
    layout.DESIGN.under(run).parent.mkdir()
    layout.DESIGN.under(run).write_text(json.dumps({"objective_eur_per_yr": 1.0}))
    verification = {"valid_hours": 8760, "design_checks": _checks(35)}
    layout.VERIFICATION.under(run).write_text(json.dumps(verification))
    layout.VERIFICATION_CHECKS.under(run).write_text(
        "check,element,element_id,line,hour,time,value,limit,unit\n"
        "velocity,pipe,e35,warm,4,2025-01-01T04:00:00+01:00,2.2,2.0,m/s\n"
    )
    text = build_report(run)
    start = text.index('<section id="design"')
    design = text[start : text.index("</section>", start)]
    assert len(_body_rows(design)) == MAX_CHECK_ROWS
    assert "2025-01-01T04:00" not in design  # the per-hour table is not rendered
    assert "5 more element and check pairs" in design
