"""The example notebook runs top to bottom, and its numbers agree with each other.

The code cells of ``examples/hart_van_zuid.ipynb`` are executed in order in one namespace,
as a kernel would (no Jupyter needed); the test then checks the objects the notebook made
against independent references: the profiles against the annual table, Shapley against the
grand coalition's cost (efficiency), the written folder against its manifest.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tsg import run_layout as layout
from tsg.outputs import file_sha256

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "hart_van_zuid.ipynb"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def namespace(tmp_path_factory):
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    assert 8 <= len(code) <= 12
    folder = tmp_path_factory.mktemp("notebook")
    scope: dict = {"__name__": "__main__"}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        for position, source in enumerate(code):
            exec(compile(source, f"{NOTEBOOK.name}[{position}]", "exec"), scope)  # noqa: S102
    scope["_out"] = folder / "results" / "hart-van-zuid-notebook"
    return scope


def test_demand_profiles_add_up_to_the_annual_table(namespace):
    demand = namespace["demand"]
    heat = demand.profiles.filter(like=".heat_kw").sum().sum() / 1000.0
    table = demand.buildings.drop(index="TOTAL", errors="ignore")
    assert heat == pytest.approx(table["space_heat_mwh_per_yr"].sum(), rel=1e-6)


def test_design_saves_against_the_reference_and_connects_buildings(namespace):
    result = namespace["design"].result
    assert result.connected_buildings
    assert result.design.cost_eur_per_yr < result.reference.cost_eur_per_yr
    by_partner = result.cost_by_partner()
    assert by_partner["cost_eur_per_yr"].sum() == pytest.approx(result.design.cost_eur_per_yr)


def test_verification_reuses_the_design_of_the_same_context(namespace):
    hvz = namespace["hvz"]
    assert hvz.results["sizing"] is namespace["design"]
    assert namespace["verification"].comparison["hours"] == 8760


def test_shapley_shares_the_grand_coalition_cost(namespace):
    rules: pd.DataFrame = namespace["rules"]
    game = namespace["allocation"].game
    assert rules["shapley"].sum() == pytest.approx(game.grand_cost, rel=1e-9)
    assert np.isfinite(rules.to_numpy(dtype=float)).all()


def test_written_folder_is_the_run_layout_with_a_complete_manifest(namespace):
    out = namespace["_out"]
    manifest = json.loads(layout.MANIFEST.under(out).read_text(encoding="utf-8"))
    for relative in (
        layout.REPORT.relative,
        layout.DESIGN.relative,
        layout.VERIFICATION.relative,
        layout.ALLOCATION_TABLE.relative,
        layout.SIMULATION_SUMMARY.relative,
    ):
        assert file_sha256(out / relative) == manifest["outputs"][relative]
