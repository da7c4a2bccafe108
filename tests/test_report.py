"""The run report (tsg report) and the terminal summary (tsg summary), without a browser.

Stage files of the later stages (simulation, sizing, allocation, scaling) are faked with small
documents in the documented shapes (tests/report_helpers.py).
"""

import argparse
import json
import math
import shutil

import pandas as pd
import pytest
from report_helpers import (
    HOSTILE_BUILDING,
    HOSTILE_PARTNER,
    HOSTILE_PLAYER,
    external_references,
    hostile_district,
    make_run,
    parse,
    write_stage_files,
)

from tsg.commands import report as report_command
from tsg.commands import summary as summary_command
from tsg.common.errors import InputError
from tsg.report import REPORT_FILE, build_report, write_report
from tsg.report.figures import format_number, split_unit
from tsg.report.generic import json_html
from tsg.report.html import escape_json_text, script_json
from tsg.report.network_map import render

STAGE_SECTIONS = ("simulation", "design", "allocation", "accountability", "scaling")


def parser():
    """An argparse parser with only the report and summary subcommands."""
    root = argparse.ArgumentParser(prog="tsg")
    sub = root.add_subparsers(dest="command", required=True)
    report_command.add_parser(sub)
    summary_command.add_parser(sub)
    return root


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def reference_run(tmp_path_factory):
    out = make_run(tmp_path_factory.mktemp("report-run"))
    write_report(out)
    return out


@pytest.fixture(scope="session")
def reference_html(reference_run):
    return (reference_run / REPORT_FILE).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def staged_run(reference_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("staged") / "run"
    shutil.copytree(reference_run, out)
    write_stage_files(out)
    write_report(out)
    return out


@pytest.fixture(scope="session")
def hostile_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    out = make_run(folder / "run", hostile_district(folder))
    write_stage_files(out, hostile=True)
    write_report(out)
    return out


# ---------------------------------------------------------------- the reference run


def test_reference_report_has_key_sections_and_the_partner_table(
    reference_run, reference_html, hvz
):
    elements = parse(reference_html)
    ids = elements.ids()
    for section in ("summary", "demand", "network", "stakeholders", "barriers", "provenance"):
        assert section in ids
    assert {"partner-table", "building-table", "barrier-table", "stakeholder-grid"} <= ids
    assert {"chart-daily", "chart-duration", "chart-buildings"} <= ids
    text = " ".join(elements.text)
    for partner in hvz.partners:
        assert partner.name in text
    for building in hvz.buildings:
        assert building.name in text
    for barrier in hvz.barriers:
        assert barrier.id in text
    assert "sources.ates.thermal_balance_tolerance" in text
    assert 'class="error"' not in reference_html
    size = (reference_run / REPORT_FILE).stat().st_size
    assert size < 10_000_000, size


def test_reference_report_is_self_contained(reference_html):
    elements = parse(reference_html)
    assert external_references(elements) == []
    assert not any(tag in ("link", "iframe", "img", "object", "embed") for tag, _ in elements.tags)
    assert not any(attrs.get("src") for tag, attrs in elements.tags if tag == "script")
    assert "@import" not in reference_html
    csp = [
        a
        for t, a in elements.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp and "default-src 'none'" in csp[0]["content"]
    assert reference_html.count("plotly.js v") == 1  # the library is embedded exactly once


def test_sections_of_stages_that_did_not_run_are_omitted_with_a_note(reference_html):
    for section in STAGE_SECTIONS:
        start = reference_html.index(f'<section id="{section}"')
        body = reference_html[start : reference_html.index("</section>", start)]
        assert 'class="report-section missing"' in body
        assert body.count('<p class="note">') == 1
        assert "<table" not in body


def test_report_command_writes_the_file_atomically(reference_run, capsys):
    args = parser().parse_args(["report", str(reference_run)])
    assert args.handler(args) == 0
    assert "report.html" in capsys.readouterr().out
    assert not list(reference_run.glob(".report.html.*"))
    assert (reference_run / REPORT_FILE).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("command", ["report", "summary"])
def test_missing_run_folder_is_an_input_error(tmp_path, command):
    args = parser().parse_args([command, str(tmp_path / "nowhere")])
    with pytest.raises(InputError, match="does not exist"):
        args.handler(args)
    (tmp_path / "empty").mkdir()
    args = parser().parse_args([command, str(tmp_path / "empty")])
    with pytest.raises(InputError, match="not a run folder"):
        args.handler(args)


def test_summary_prints_the_key_figures_aligned(reference_run, capsys):
    args = parser().parse_args(["summary", str(reference_run)])
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("Hart van Zuid (Rotterdam) [hart-van-zuid]")
    indicators = {
        line.split(",")[0]: float(line.split(",")[1])
        for line in (reference_run / "indicators.csv").read_text().splitlines()[1:]
    }
    lines = {
        line.strip().split("  ")[0]: line for line in out.splitlines() if line.startswith("  ")
    }
    heat = lines["heat demand (space + hot water)"]
    assert f"{indicators['heat_mwh_per_yr']:,.0f}" in heat and heat.rstrip().endswith("MWh/yr")
    assert "directly exchangeable, sum of min(heat, cooling)" in lines
    assert (
        f"{indicators['demand_overlap']:.3f}"
        in lines["demand overlap, 2 sum min(H, C) / sum (H + C)"]
    )
    value_columns = {
        line.index(line.split()[-2]) + len(line.split()[-2])
        for line in (heat, lines["cooling demand"])
    }
    assert len(value_columns) == 1  # values right-aligned in one column
    assert "not run: simulation, sizing, allocation, scaling" in out


# ---------------------------------------------------------------- later stages (faked)


def _section(html_text: str, ident: str) -> str:
    start = html_text.index(f'<section id="{ident}"')
    return html_text[start : html_text.index("</section>", start)]


def test_stage_files_render_their_sections(staged_run):
    text = (staged_run / REPORT_FILE).read_text(encoding="utf-8")
    assert 'class="error"' not in text
    for section in STAGE_SECTIONS:
        assert 'class="report-section missing"' not in _section(text, section), section
    simulation = _section(text, "simulation")
    assert "Pump electric" in simulation and "MWh/yr" in simulation
    assert "max_pressure_gradient_pa_per_m" in simulation and "badge-no" in simulation
    design = _section(text, "design")
    assert "Cost per partner" in design and "Objective" in design and "3,457" in design
    allocation = _section(text, "allocation")
    assert 'id="allocation-table"' in allocation and 'id="chart-allocation"' in allocation
    assert "Gemeente Rotterdam" in allocation and "Shapley value" in allocation
    assert "-12,346" in allocation or "-12,345" in allocation  # least-core epsilon
    assert "The core is non-empty" in allocation
    stability = allocation[allocation.index('id="stability-table"') :]
    assert stability.count("badge-yes") >= 2 and "badge-no" in stability
    assert "undecided" in stability and "-5,000 .. 2,500" in stability  # nucleolus excess
    rationality = allocation[allocation.index('id="rationality-table"') :]
    table = pd.read_csv(staged_run / "allocation/allocation.csv")
    for value in table.groupby("partner")["standalone_eur_per_yr"].first():
        assert f"{0.99 * value:,.0f} .. {value:,.0f}" in rationality  # stand-alone bounds
    accountability = _section(text, "accountability")
    assert "CO2 avoided" in accountability and "Gas avoided" in accountability
    assert 'id="contribution-table"' in accountability and "saving vs stand-alone" in accountability
    contribution = accountability[accountability.index('id="contribution-table"') :]
    assert "CO2 avoided [t/yr]" in contribution and "301" in contribution  # from the sizing CSV
    scaling = _section(text, "scaling")
    assert "Minimum scale" in scaling and "Translation" in scaling and "delft-campus" in scaling
    network = _section(text, "network")
    geojson = json.loads((staged_run / "simulation/network.geojson").read_text())
    pipes = [f for f in geojson["features"] if f["geometry"]["type"] == "LineString"]
    assert network.count("<polyline") == len(pipes)
    assert network.count('fill="#0b3b4a"') == len(pipes)  # one flow arrow per pipe
    assert "site plan" not in network


def test_summary_shows_what_later_stages_wrote(staged_run, capsys):
    args = parser().parse_args(["summary", str(staged_run)])
    args.handler(args)
    out = capsys.readouterr().out
    assert "simulation/annual_summary.json" in out and "Pump electric" in out
    assert "sizing/design.json" in out and "CO2 avoided" in out
    assert "non-empty" in out and "rules not in the core" in out
    assert "scaling/translation.json" in out
    assert "not run" not in out


def test_a_broken_stage_file_gives_a_note_not_a_failure(staged_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(staged_run, run)
    (run / "allocation/allocation.json").write_text("{not json", encoding="utf-8")
    (run / "sizing/design.json").write_text('["a list"]', encoding="utf-8")
    text = build_report(run)
    allocation = _section(text, "allocation")
    assert 'class="error"' in allocation and "allocation/allocation.json" in allocation
    assert "not a JSON object" in _section(text, "design")
    assert 'id="partner-table"' in text and 'id="chart-daily"' in text


# ---------------------------------------------------------------- escaping


def test_hostile_names_are_escaped_and_create_no_elements(hostile_run, reference_html):
    text = (hostile_run / REPORT_FILE).read_text(encoding="utf-8")
    elements, reference = parse(text), parse(reference_html)
    staged_extra = 1  # the allocation chart of the faked allocation stage
    assert len(elements.scripts) == len(reference.scripts) + staged_extra
    assert not any(tag in ("b", "img") for tag, _ in elements.tags)
    assert all(not any(k.startswith("on") for k in attrs) for _, attrs in elements.tags)
    for script in elements.scripts:  # only the library, chart calls and the print helper
        body = script.strip()
        assert body.startswith(
            ("/**\n* plotly.js", "(function () { var figure", "(function () {\n")
        )
        if body.startswith("(function () { var figure"):
            assert "<" not in body and ">" not in body and "&" not in body
    visible = "".join(elements.text)
    for hostile in (
        HOSTILE_BUILDING,
        HOSTILE_PARTNER,
        "<img src=x onerror=alert(2)>",
        HOSTILE_PLAYER,
    ):
        assert hostile in visible, hostile
    assert escape_json_text('"</script>"') == '"\\u003c/script\\u003e"'
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_json_in_scripts_cannot_break_out():
    value = {"name": "</script><script>alert(1)</script> & \u2028"}
    text = script_json(value)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == value


# ---------------------------------------------------------------- small pieces


@pytest.mark.parametrize(
    ("name", "label", "unit"),
    [
        ("heat_mwh_per_yr", "Heat", "MWh/yr"),
        ("max_velocity_m_per_s", "Max velocity", "m/s"),
        ("co2_avoided_t_per_yr", "CO2 avoided", "t/yr"),
        ("plants.ates.capacity_kw", "Plants ates: capacity", "kW"),
        ("demand_overlap", "Demand overlap", ""),
    ],
)
def test_split_unit(name, label, unit):
    assert split_unit(name) == (label, unit)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (20618.5, "20,618"),
        (0.21156, "0.212"),
        (3.456, "3.46"),
        (12.34, "12.3"),
        (3.0, "3"),
        (-0.0, "0"),
        (math.nan, "n/a"),
        (True, "yes"),
    ],
)
def test_format_number(value, text):
    assert format_number(value) == text


def test_map_accepts_metric_coordinates_and_escapes_names():
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [92000.0, 433000.0]},
                "properties": {"id": "a", "name": "<i>A</i>"},
            },
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [92400.0, 433300.0]},
                "properties": {"id": "ates"},
            },
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[92000.0, 433000.0], [92400.0, 433300.0]],
                },
                "properties": {"DN": 100, "mdot_kg_per_s": 3.0},
            },
        ],
    }
    svg = render(geojson)
    assert "<i>" not in svg and "&lt;i&gt;A&lt;/i&gt;" in svg
    assert svg.count("<polyline") == 1 and "<rect" in svg  # ATES drawn as the balancing unit
    assert ">50 m<" in svg  # scale bar of about a fifth of the 400 m span


def test_generic_json_shows_matrices_and_records():
    html_text = json_html(
        {"rules": {"a": {"x": 1.0, "y": 2.0}, "b": {"x": 3.0, "y": 4.0}}, "rows": [{"k": "<v>"}]}
    )
    assert html_text.count("<table") == 3 - 1  # matrix + records (no scalar figures)
    assert "&lt;v&gt;" in html_text
