"""The tsg command line end to end on the built-in example."""

import hashlib
import json
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

from tsg.cli import build_parser, main
from tsg.commands import COMMANDS
from tsg.outputs import write_atomically, write_json


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    assert (
        main(
            [
                "run",
                "--out",
                str(out),
                "--quiet",
                "--skip",
                "sizing",
                "--skip",
                "allocation",
                "--skip",
                "scaling",
            ]
        )
        == 0
    )
    return out


def test_run_writes_profiles_in_the_documented_layout(run_dir, hvz):
    csv = pd.read_csv(run_dir / "profiles.csv")
    assert len(csv) == 8760
    assert csv.columns[0] == "time"
    assert csv["time"].iloc[0] == "2025-01-01T00:00:00+01:00"
    assert csv["time"].iloc[4000].endswith("+02:00")  # summer time
    times = pd.to_datetime(csv["time"], utc=True)
    assert (times.diff().dropna() == pd.Timedelta(hours=1)).all()
    expected = [f"{b.id}.{q}" for b in hvz.buildings for q in ("heat_kw", "dhw_kw", "cool_kw")]
    assert list(csv.columns[1:]) == expected
    parquet = pd.read_parquet(run_dir / "profiles.parquet")
    assert list(parquet.columns) == ["time", *expected]
    pd.testing.assert_frame_equal(
        parquet[expected].reset_index(drop=True), csv[expected], check_exact=False, atol=1e-4
    )


def test_run_writes_summary_indicators_plots_and_manifest(run_dir, hvz_path):
    summary = pd.read_csv(run_dir / "summary.csv", index_col="building_id")
    profiles = pd.read_csv(run_dir / "profiles.csv")
    cool_columns = [c for c in profiles.columns if c.endswith(".cool_kw")]
    assert summary.loc["TOTAL", "cool_mwh_per_yr"] == pytest.approx(
        profiles[cool_columns].to_numpy().sum() / 1000, rel=1e-4
    )
    indicators = pd.read_csv(run_dir / "indicators.csv").set_index("indicator")
    assert {"demand_overlap", "exchangeable_mwh_per_yr", "heating_degree_days_k_d"} <= set(
        indicators.index
    )
    pngs = sorted((run_dir / "plots").glob("*.png"))
    assert len(pngs) == 2 + 11  # load duration, monthly bars, one heatmap per building
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
    manifest = json.loads((run_dir / "manifest.json").read_text())
    district_hash = hashlib.sha256(hvz_path.read_bytes()).hexdigest()
    assert manifest["inputs"][str(hvz_path)] == district_hash
    assert (
        manifest["outputs"]["profiles.csv"]
        == hashlib.sha256((run_dir / "profiles.csv").read_bytes()).hexdigest()
    )
    assert manifest["seed"] == 2018 and manifest["dependencies"]["pandas"]
    assert not list(run_dir.rglob("*.tmp"))


@pytest.mark.slow
def test_run_without_a_district_runs_the_stages_on_hart_van_zuid(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # allocation (127 coalitions through the optimiser) has its own tests and benchmark; the
    # design loop's later rounds and the full-year operation have theirs (test_design_loop,
    # test_full_year_operation): one round here
    args = ["run", "--quiet", "--skip", "allocation", "--skip", "scaling", "--design-rounds", "1"]
    assert main(args) == 0
    out = tmp_path / "results" / "hart-van-zuid"
    for name in (
        "profiles.csv",
        "simulation/annual_summary.json",
        "sizing/design.json",
        "sizing/verification.json",
        "report.html",
    ):
        assert (out / name).is_file(), name
    verification = json.loads((out / "sizing" / "verification.json").read_text())
    assert verification["valid_hours"] == verification["hours"] == 8760
    rounds = json.loads((out / "sizing" / "design.json").read_text())["simulation_loop"]["rounds"]
    assert len(rounds) == 1
    manifest = json.loads((out / "manifest.json").read_text())
    assert {"sizing/design.json", "sizing/verification.json", "profiles.csv"} <= set(
        manifest["outputs"]
    )


def test_schema_prints_the_json_schema(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert {"buildings", "partners", "network", "climate", "barriers"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False


def test_version_and_help_on_every_command(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out.startswith("tsg ")
    parser = build_parser()
    names = parser._subparsers._group_actions[0].choices
    assert {"run", "validate", "schema", "profiles", "allocate", "scale"} <= set(names)
    assert len(COMMANDS) == len(names)
    for arguments in [[name] for name in names] + [["scale", "translate"]]:
        with pytest.raises(SystemExit) as stop:
            main([*arguments, "--help"])
        assert stop.value.code == 0


def test_console_script_exits_2_without_traceback(tmp_path):
    tsg = shutil.which("tsg")
    assert tsg, "the tsg console script is installed with the package"
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n")
    result = subprocess.run([tsg, "validate", str(bad)], capture_output=True, text=True)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "bad.yaml" in result.stderr


def test_validate_reports_a_valid_district(capsys):
    assert main(["validate", "hart-van-zuid"]) == 0
    assert "valid: 11 buildings, 7 partners" in capsys.readouterr().out


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("old")

    def failing(path):
        path.write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_atomically(target, failing)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_atomic_write_gives_normal_file_permissions(tmp_path):
    import os

    umask = os.umask(0)
    os.umask(umask)
    target = write_atomically(tmp_path / "shared.csv", lambda p: p.write_text("x"))
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_json_outputs_are_strict_json(tmp_path):
    document = {
        "nan": float("nan"),
        "inf": float("inf"),
        "numpy": np.float64(2.5),
        "count": np.int64(3),
        "flag": np.bool_(True),
        "pair": (1, float("-inf")),
    }
    path = write_json(tmp_path / "x.json", document)
    text = path.read_text(encoding="utf-8")
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text) == {
        "nan": None,
        "inf": None,
        "numpy": 2.5,
        "count": 3,
        "flag": True,
        "pair": [1, None],
    }


def test_design_rounds_below_one_exit_2_naming_the_option(capsys):
    assert main(["run", "--quiet", "--design-rounds", "0"]) == 2
    err = capsys.readouterr().err
    assert "--design-rounds" in err and "at least 1" in err and "Traceback" not in err
