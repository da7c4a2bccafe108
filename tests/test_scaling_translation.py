"""Translation KPIs: a district translated onto itself reproduces its KPIs exactly; CLI runs."""

import json

import pandas as pd
import pytest
import yaml

from tsg.cli import main
from tsg.synthetic import synthetic_district_document


@pytest.fixture(scope="module")
def small_file(tmp_path_factory):
    doc = synthetic_district_document(n_buildings=3, seed=3, n_partners=2, spacing_m=50.0)
    doc["buildings"][2]["phase"] = "candidate"
    path = tmp_path_factory.mktemp("district") / "district.yaml"
    path.write_text(yaml.safe_dump(json.loads(json.dumps(doc, default=float))), encoding="utf-8")
    return path


def _run(*argv):
    return main([*map(str, argv), "--quiet", "--periods", "1", "--gap", "0"])


def test_translating_onto_itself_reproduces_the_kpis(small_file, tmp_path):
    assert _run("scale", "translate", small_file, small_file, "--out", tmp_path) == 0
    table = pd.read_csv(tmp_path / "scaling" / "translation_kpis.csv")
    assert (tmp_path / "scaling" / "context_comparison.csv").exists()
    assert len(table) >= 15
    assert list(table["reference"].astype(str)) == list(table["target"].astype(str))
    kpis = table.set_index("kpi")["reference"]
    assert float(kpis["n_buildings"]) == 3
    assert float(kpis["cost_eur_per_mwh"]) > 0


def test_no_sizing_keeps_the_quick_comparison(small_file, tmp_path):
    assert _run("scale", "translate", small_file, small_file, "--out", tmp_path, "--no-sizing") == 0
    assert (tmp_path / "scaling" / "context_comparison.csv").exists()
    assert not (tmp_path / "scaling" / "translation_kpis.csv").exists()


def test_spread_and_minimum_commands_write_their_outputs(small_file, tmp_path, capsys):
    assert _run("scale", "spread", small_file, "--out", tmp_path, "--order", "marginal") == 0
    steps = pd.read_csv(tmp_path / "scaling" / "spreading_steps.csv")
    assert list(steps["step"]) == [0, 1] and steps["candidate"].iloc[1] == "b0002"
    assert (tmp_path / "scaling" / "spreading.png").stat().st_size > 0
    argv = ["scale", "minimum", small_file, "--out", tmp_path, "--points", "3"]
    assert _run(*argv, "--low", "0.2", "--high", "1.5", "--tolerance", "0.1") == 0
    doc = json.loads((tmp_path / "scaling" / "minimum_scale.json").read_text())
    assert doc["status"] in {"found", "always_saves", "never_saves"}
    assert (tmp_path / "scaling" / "minimum_scale.png").stat().st_size > 0
    assert "break-even" in capsys.readouterr().out
