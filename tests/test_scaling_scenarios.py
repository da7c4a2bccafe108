"""Scaling scenarios from the district file: validation, the run stage and its report section."""

import json

import pandas as pd
import pytest
import yaml

from tsg.cli import main
from tsg.common.errors import InputError
from tsg.district import load_district
from tsg.synthetic import synthetic_district_document

SCENARIOS = {
    "typical_periods": 1,
    "mip_gap": 0.0,
    "translations": [{"target": "district.yaml"}],
    "spreading": {"order": "distance"},
    "minimum_scale": {"low_factor": 0.2, "high_factor": 1.5, "points": 3, "tolerance": 0.1},
}


def _document(scaling=None):
    doc = synthetic_district_document(n_buildings=3, seed=3, n_partners=2, spacing_m=50.0)
    doc["buildings"][2]["phase"] = "candidate"
    doc = json.loads(json.dumps(doc, default=float))
    if scaling is not None:
        doc["scaling"] = scaling
    return doc


def _write(folder, doc):
    path = folder / "district.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scenarios")
    path = _write(folder, _document(SCENARIOS))
    out = folder / "out"
    skips = ["--skip", "simulation", "--skip", "sizing", "--skip", "allocation"]
    assert main(["run", str(path), "--out", str(out), "--quiet", *skips]) == 0
    return out


def test_the_stage_writes_every_scenario(run_dir):
    scaling = run_dir / "scaling"
    for relative in (
        "scenarios.json",
        "translate-1/context_comparison.csv",
        "translate-1/translation_kpis.csv",
        "spreading/spreading_steps.csv",
        "spreading/spreading.png",
        "minimum-scale/minimum_scale.json",
        "minimum-scale/minimum_scale_curve.csv",
    ):
        assert (scaling / relative).is_file(), relative
    manifest = json.loads((run_dir / "manifest.json").read_text())
    outputs = json.dumps(manifest)
    assert "scaling/scenarios.json" in outputs and "spreading_steps.csv" in outputs


def test_translating_onto_itself_gives_equal_kpis(run_dir):
    table = pd.read_csv(run_dir / "scaling" / "translate-1" / "translation_kpis.csv")
    assert list(table["reference"].astype(str)) == list(table["target"].astype(str))
    summary = json.loads((run_dir / "scaling" / "scenarios.json").read_text())
    (translation,) = summary["translations"]
    # identical indicators: each condition holds or fails in both, none differs
    assert "differs" not in translation["conditions"]
    cost = translation["kpis"]["total_cost_eur_per_yr"]
    assert cost["reference"] == pytest.approx(cost["target"], rel=1e-9)


def test_the_summary_agrees_with_the_tables(run_dir):
    summary = json.loads((run_dir / "scaling" / "scenarios.json").read_text())
    steps = pd.read_csv(run_dir / "scaling" / "spreading" / "spreading_steps.csv")
    spreading = summary["spreading"]
    assert spreading["steps"] == len(steps) - 1 == 1
    assert spreading["beneficial"] == int((steps["beneficial"] == True).sum())  # noqa: E712
    # the CSV keeps 6 significant digits
    assert spreading["final_saving_eur_per_yr"] == pytest.approx(
        steps["saving_eur_per_yr"].iloc[-1], rel=1e-5
    )
    minimum = summary["minimum_scale"]
    curve = pd.read_csv(run_dir / "scaling" / "minimum-scale" / "minimum_scale_curve.csv")
    assert minimum["sizings"] == len(curve)

    def saving_at(value):
        # the CSV keeps 6 significant digits
        (row,) = curve.index[(curve["value"] - value).abs() <= 1e-5 * value]
        return curve.loc[row, "saving_eur_per_yr"]

    if minimum["status"] == "found":
        low, high = minimum["bracket"]
        assert high - low <= 0.1 + 1e-9
        # the bracket ends are evaluated points: no saving at the low end, a saving at the high
        assert saving_at(low) <= 0 < saving_at(high)
    elif minimum["status"] == "always_saves":
        assert curve["saving_eur_per_yr"].min() > 0


def test_the_report_shows_the_scenarios(run_dir):
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    section = html[html.index('id="scaling"') : html.index('id="provenance"')]
    assert "Translation to" in section and "Spreading" in section and "Minimum scale" in section
    assert section.count("Plotly.newPlot") == 2


def test_a_district_without_scenarios_has_no_scaling_folder(tmp_path):
    path = _write(tmp_path, _document())
    out = tmp_path / "out"
    skips = ["--skip", "simulation", "--skip", "sizing", "--skip", "allocation"]
    assert main(["run", str(path), "--out", str(out), "--quiet", *skips]) == 0
    assert not (out / "scaling").exists()
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "the district file has no scaling section" in html


@pytest.mark.parametrize(
    ("scaling", "field", "words"),
    [
        (
            {"translations": [{"target": "no-such-district"}]},
            "scaling.translations[0].target",
            "built-in",
        ),
        (
            {"minimum_scale": {"low_factor": 2.0, "high_factor": 1.0}},
            "scaling.minimum_scale",
            "below",
        ),
        ({"minimum_scale": {"points": 2}}, "scaling.minimum_scale.points", "3"),
        ({"spreading": {"order": "random"}}, "scaling.spreading.order", "distance"),
        (
            {"spreading": {"candidates_file": "missing.yaml"}},
            "scaling.spreading.candidates_file",
            "not found",
        ),
        ({"typical_periods": 0}, "scaling.typical_periods", "1"),
    ],
)
def test_bad_scenarios_name_the_field(tmp_path, scaling, field, words):
    path = _write(tmp_path, _document(scaling))
    with pytest.raises(InputError) as caught:
        load_district(path)
    assert caught.value.field == field
    assert words in caught.value.message


def test_a_relative_target_resolves_against_the_district_file(tmp_path):
    (tmp_path / "sub").mkdir()
    _write(tmp_path / "sub", _document())
    path = _write(tmp_path, _document({"translations": [{"target": "sub/district.yaml"}]}))
    district = load_district(path)
    assert district.scaling.translations[0].target == str(
        (tmp_path / "sub" / "district.yaml").resolve()
    )
