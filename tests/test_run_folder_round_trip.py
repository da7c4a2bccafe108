"""A run folder with every stage, written by ``tsg run`` and read back by the report and summary.

The district is small (three buildings of three partners, one candidate, an ATES) so the whole
pipeline, including every coalition and the three scaling scenarios, runs in about a minute.
Every file on disk must be one that :mod:`tsg.run_layout` defines, every table must have the
layout's columns, the manifest must list every output including the report, and what the
report and ``tsg summary`` show must be what the stage files hold.
"""

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from exchange_helpers import small_district_document
from report_helpers import parse

from tsg import run_layout as layout
from tsg.cli import main
from tsg.outputs import file_sha256
from tsg.report.summary_text import summary_text

pytestmark = pytest.mark.slow

#: Files a run of this district does not write: no sensitivity ranges in the file, and the
#: spreading has no core check ('stability: none'); the PDF only with 'tsg report --pdf'.
NOT_WRITTEN = {layout.SENSITIVITY, layout.SPREADING_COALITIONS, layout.REPORT_PDF}


def _district(folder: Path) -> Path:
    doc = small_district_document()
    doc["scaling"] = {
        "typical_periods": 1,
        "mip_gap": 0.01,
        "translations": [{"target": "district.yaml"}],
        "spreading": {"order": "distance"},
        "minimum_scale": {
            "family": "size",
            "low_factor": 0.2,
            "high_factor": 2.0,
            "points": 3,
            "tolerance": 0.1,
        },
    }
    ids = [b["id"] for b in doc["buildings"]]
    doc["replay"] = {
        "decided_on": "2018-06",
        "source": "test",
        "decision": {"connected": ids[:1], "not_connected": ids[1:]},
        "thresholds": {"parameters": ["pipe_cost"], "max_solves": 2, "typical_periods": 1},
    }
    path = folder / "district.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("round-trip")
    out = folder / "run"
    assert main(["run", str(_district(folder)), "--out", str(out), "--quiet"]) == 0
    return out


def _on_disk(run_dir: Path) -> set[str]:
    return {
        p.relative_to(run_dir).as_posix()
        for p in run_dir.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }


def test_every_file_is_one_the_layout_defines(run_dir):
    unknown = {r for r in _on_disk(run_dir) if not layout.is_known_run_file(r)}
    assert unknown == set()


def test_every_layout_file_is_written(run_dir):
    expected = {f.relative for f in layout.RUN_FILES if f not in NOT_WRITTEN}
    assert expected - _on_disk(run_dir) == set()
    for scenario in ("translate-1", "spreading", "minimum-scale"):
        assert (run_dir / layout.SCALING / scenario).is_dir()


def test_tables_have_the_layout_columns(run_dir):
    checked = 0
    for relative in sorted(_on_disk(run_dir)):
        spec = next(
            (
                f
                for f in (*layout.RUN_FILES, *layout.SCALING_SCENARIO_FILES)
                if f.name == Path(relative).name
            ),
            None,
        )
        if spec is None or not spec.columns or not relative.endswith(".csv"):
            continue
        header = list(pd.read_csv(run_dir / relative, nrows=0).columns)
        expected = list(spec.columns)
        assert (header[: len(expected)] if spec.more_columns else header) == expected, relative
        checked += 1
    assert checked >= 15


def test_manifest_lists_every_output_with_its_hash(run_dir):
    document = json.loads(layout.MANIFEST.under(run_dir).read_text(encoding="utf-8"))
    outputs = document["outputs"]
    assert set(outputs) == _on_disk(run_dir) - {layout.MANIFEST.relative}
    assert layout.REPORT.relative in outputs
    for relative, digest in outputs.items():
        assert file_sha256(run_dir / relative) == digest, relative


def test_report_shows_stand_alone_costs_from_the_allocation_table(run_dir):
    html = layout.REPORT.under(run_dir).read_text(encoding="utf-8")
    table = pd.read_csv(layout.ALLOCATION_TABLE.under(run_dir))
    standalone = table.groupby("partner")["standalone_eur_per_yr"].first()
    assert len(standalone) == 3
    allocation_section = html[html.index('id="allocation"') :]
    assert "stand-alone" in allocation_section
    for value in standalone:
        assert f"{value:,.0f}" in allocation_section
    assert "Not shown" not in html
    # the design section opens with the rounds of the design loop, one row per round
    design = json.loads(layout.DESIGN.under(run_dir).read_text(encoding="utf-8"))
    rounds = html[
        html.index('id="design-rounds"') : html.index("</table>", html.index('id="design-rounds"'))
    ]
    assert rounds.count("<tr") == 1 + len(design["simulation_loop"]["rounds"])
    # individual rationality per partner, its verdict from allocation.csv
    rationality = allocation_section[allocation_section.index('id="rationality-table"') :]
    assert "Individual rationality per partner" in allocation_section
    verdicts = set(table["individually_rational"])
    assert verdicts <= {"holds", "fails", "undecided within solver tolerance"}
    badges = {"holds": "badge-yes", "fails": "badge-no"}
    for verdict in verdicts:
        assert badges.get(verdict, "badge-in_progress") in rationality


def test_rules_table_holds_one_row_per_rule(run_dir):
    rules = pd.read_csv(layout.RULES_TABLE.under(run_dir))
    allocation = json.loads(layout.ALLOCATION_JSON.under(run_dir).read_text(encoding="utf-8"))
    assert list(rules["rule"]) == [*allocation["rules"], "proportional_peak"]
    for _, row in rules.iterrows():
        if row["rule"] in allocation["in_core"]:
            assert allocation["in_core"][row["rule"]] == row["in_core"]
    assert (rules["excess_low_eur_per_yr"] <= rules["excess_high_eur_per_yr"] + 1e-6).all()
    table = pd.read_csv(layout.ALLOCATION_TABLE.under(run_dir))
    assert len(table) == len(rules) * table["partner"].nunique()  # no per-rule flags here


def test_summary_reads_every_stage(run_dir):
    text = summary_text(run_dir)
    allocation = json.loads(layout.ALLOCATION_JSON.under(run_dir).read_text(encoding="utf-8"))
    core = {"holds": "non-empty", "fails": "EMPTY"}.get(
        allocation["core"]["nonempty"], "undecided within solver tolerance"
    )
    assert core in text
    assert str(layout.REPORT.under(run_dir)) in text
    design = json.loads(layout.DESIGN.under(run_dir).read_text(encoding="utf-8"))
    assert design["district"] in json.loads(layout.DISTRICT.under(run_dir).read_text())["id"]


#: A number in running text: not part of an id, a hash or a longer number.
NUMBER_TOKEN = re.compile(r"(?<![\w.,])[-+]?\d[\d,]*(?:\.\d+)?(?![\w])")


def _significant_digits(token: str) -> int:
    text = token.lstrip("+-").replace(",", "")
    whole, _, fraction = text.partition(".")
    digits = (whole + fraction).lstrip("0") if fraction else whole.strip("0")
    return len(digits)


def test_report_numbers_have_at_most_six_significant_digits(run_dir):
    html = layout.REPORT.under(run_dir).read_text(encoding="utf-8")
    text = " ".join(parse(html).text)
    long = [m.group() for m in NUMBER_TOKEN.finditer(text) if _significant_digits(m.group()) > 6]
    assert long == []
    assert _significant_digits("0.2017059637454261") > 6  # what the check catches
    assert _significant_digits("1,273,000") == 4


def test_report_starts_with_the_decision(run_dir):
    assert layout.REPORT.under(run_dir).stat().st_size < 10_000_000
    html = layout.REPORT.under(run_dir).read_text(encoding="utf-8")
    first = re.search(r'<section id="([^"]+)"', html)
    assert first is not None and first.group(1) == "decision"
    text = " ".join(parse(html[first.start() : html.index("</section>", first.start())]).text)
    assert "Shapley value" in text
    assert "solver tolerance" in text
    summary = summary_text(run_dir).splitlines()
    assert summary[3] == "Decision" and "the grid" in summary[4]
