"""The decision page (first section of the report), the language catalogues and ``--lang``.

Runs the demand stage of the built-in district and adds sizing and allocation files in the
shapes the pipeline writes (design against reference, cost per rule, MIP gap per coalition).
"""

import json
import re
import shutil
import string

import pytest
import yaml
from report_helpers import make_run, parse, write_decision_files, write_stage_files

from tsg import run_layout as layout
from tsg.cli import main
from tsg.common.errors import InputError
from tsg.district import built_in_district_path, load_district
from tsg.report import REPORT_FILE, SECTIONS, build_report, write_report
from tsg.report.decision import stability_verdict
from tsg.report.i18n import LANGUAGES
from tsg.report.summary_text import summary_text


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogues_have_the_same_keys_and_placeholders():
    english, dutch = LANGUAGES["en"], LANGUAGES["nl"]
    assert set(english) == set(dutch)
    for key, text in english.items():
        assert text.strip() and dutch[key].strip(), key
        assert _fields(text) == _fields(dutch[key]), key


def test_every_section_has_a_title_in_every_language():
    for lang, texts in LANGUAGES.items():
        for ident, _, _ in SECTIONS:
            assert f"section.{ident}" in texts, (lang, ident)


@pytest.mark.parametrize(
    ("epsilon", "tolerance", "verdict"),
    [
        (-5000.0, 1000.0, "stable"),
        (-500.0, 1000.0, "undecided"),
        (800.0, 1000.0, "undecided"),
        (5000.0, 1000.0, "unstable"),
        (-1.0, None, "stable"),
        (None, 10.0, "unknown"),
    ],
)
def test_stability_verdict_respects_the_solver_tolerance(epsilon, tolerance, verdict):
    assert stability_verdict(epsilon, tolerance) == verdict


@pytest.fixture(scope="module")
def decided_run(tmp_path_factory):
    """Demand of the built-in district, faked later stages, a design and the coalition gaps."""
    out = make_run(tmp_path_factory.mktemp("decision") / "run")
    write_stage_files(out)
    write_decision_files(out)
    return out


def _section_text(html: str, ident: str) -> str:
    start = html.index(f'id="{ident}"')
    return " ".join("".join(parse(html[start : html.index("</section>", start)]).text).split())


def test_decision_is_the_first_section_and_says_what_to_decide(decided_run):
    html = build_report(decided_run)
    first = re.search(r'<section id="([^"]+)"', html)
    assert first is not None and first.group(1) == "decision"
    text = _section_text(html, "decision")
    assert "Build the grid" in text and "100,000 EUR/yr less" in text
    assert "400,000" in text  # gas saved [m3/yr]
    assert "800" in text  # CO2 saved [t/yr]
    # epsilon -12,345.5 against 2% of at most 303,000 EUR/yr: decided
    assert "The alliance is stable" in text and "-12,346" in text
    assert "Shapley value" in text
    district = json.loads(layout.DISTRICT.under(decided_run).read_text())
    open_ids = [b["id"] for b in district["barriers"] if b.get("status") != "resolved"]
    assert all(ident in text for ident in open_ids)
    if len(district["partners"]) > 4:  # the faked allocation has four players
        assert "Why partner counts differ" in text


def test_a_small_epsilon_is_undecided_within_solver_tolerance(decided_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(decided_run, run)
    path = layout.ALLOCATION_JSON.under(run)
    document = json.loads(path.read_text())
    # a run folder from before the interval verdicts: no 'core', only the point epsilon
    del document["core"]
    document["least_core_epsilon"] = -100.0
    path.write_text(json.dumps(document), encoding="utf-8")
    text = _section_text(build_report(run), "decision")
    assert "undecided within solver tolerance" in text
    assert "EMPTY" not in text


def test_the_interval_verdict_of_the_allocation_decides_stability(decided_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(decided_run, run)
    path = layout.ALLOCATION_JSON.under(run)
    document = json.loads(path.read_text())
    # a large negative epsilon, but the bounds of the coalition costs leave it open
    document["least_core_epsilon"] = -1e6
    document["core"]["nonempty"] = "undecided within solver tolerance"
    path.write_text(json.dumps(document), encoding="utf-8")
    text = _section_text(build_report(run), "decision")
    assert "undecided within solver tolerance" in text
    assert "The alliance is stable" not in text


def test_dutch_report_and_summary(decided_run, capsys):
    html = build_report(decided_run, lang="nl")
    assert '<html lang="nl">' in html
    assert "Besluit" in _section_text(html, "decision")
    assert "Leg het net aan" in html
    assert main(["summary", str(decided_run), "--lang", "nl"]) == 0
    assert "rekenmap" in capsys.readouterr().out
    assert "run folder" in summary_text(decided_run, lang="en")


def test_report_command_takes_the_language(decided_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(decided_run, run)
    assert main(["report", str(run), "--lang", "nl"]) == 0
    assert '<html lang="nl">' in (run / REPORT_FILE).read_text(encoding="utf-8")
    with pytest.raises(InputError):
        write_report(run, lang="fr")


def _district_with_language(folder, language):
    document = yaml.safe_load(built_in_district_path().read_text(encoding="utf-8"))
    document["report_language"] = language
    path = folder / "district.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_district_file_sets_the_default_language(tmp_path):
    path = _district_with_language(tmp_path, "nl")
    assert load_district(path).report_language == "nl"
    assert load_district(built_in_district_path()).report_language == "en"
    run = make_run(tmp_path / "run", path)
    assert '<html lang="nl">' in build_report(run)
    assert '<html lang="en">' in build_report(run, lang="en")
    assert "rekenmap" in summary_text(run)


def test_unknown_district_language_is_rejected(tmp_path):
    with pytest.raises(InputError, match="report_language"):
        load_district(_district_with_language(tmp_path, "fr"))


def test_pdf_without_chromium_is_a_clear_error(decided_run, tmp_path, monkeypatch, capsys):
    run = tmp_path / "run"
    shutil.copytree(decided_run, run)
    monkeypatch.setenv("PATH", str(tmp_path / "no-browsers-here"))
    assert main(["report", str(run), "--pdf"]) == 2
    error = capsys.readouterr().err
    assert "needs headless Chromium" in error and "not installed" in error
    assert not (run / layout.REPORT_PDF.relative).exists()
    assert (run / REPORT_FILE).is_file()  # the HTML report is written all the same
