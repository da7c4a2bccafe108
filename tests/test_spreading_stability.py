"""Spreading with a core check per step: is the grand alliance still in the core?

Three tiny districts with known answers (a 24-hour "year", exact solves):

* a heated building and a row of cooled ones: every grid beats the stand-alone supplies, the
  core has an interior (``exact`` True, the screen does not disprove it);
* three buildings that each heat and cool at once, 50 m apart in a triangle: a building
  needs a trench to use the loop, a pair shares one (saves a trench), the three need two, so
  c(i) = A + p, c(ij) = 2A + p, c(N) = 3A + 2p and the core is empty (least-core epsilon
  p / 3); with a fourth, far partner the 2n-coalition screen proves it on its own;
* candidates that have not joined yet (a far building of an existing partner) stay out of
  every coalition.
"""

import json

import numpy as np
import pandas as pd
import pytest
import yaml
from sizing_cases import building, inputs, year_steps

from tsg.cli import main
from tsg.common.errors import InputError
from tsg.district import load_district
from tsg.optimisation.allocation import Game, least_core_epsilon
from tsg.optimisation.sizing import SizingOptions
from tsg.scaling.spreading import MAX_EXACT_PARTNERS, spread
from tsg.synthetic import synthetic_district_document

EXACT = SizingOptions(n_typical_periods=None, mip_gap=0.0)


def _game(result, step):
    """The cost game of a step from the coalition table (every coalition must be there)."""
    rows = result.coalitions[result.coalitions["step"] == step]
    players = max(rows["coalition"], key=len).split("+")
    costs = {
        tuple(c.split("+")): v
        for c, v in zip(rows["coalition"], rows["cost_eur_per_yr"], strict=True)
    }
    return Game.from_mapping(players, costs)


def _stable(row):
    """alliance_stable of a steps row as None / True / False (the column may be bool dtype)."""
    value = row["alliance_stable"]
    return None if value is None or value != value else bool(value)


def _costs(result, step):
    rows = result.coalitions[result.coalitions["step"] == step]
    return dict(zip(rows["coalition"], rows["cost_eur_per_yr"], strict=True))


@pytest.fixture(scope="module")
def row_district():
    """Heat at one end, three coolers in a row, and a far candidate of the heat partner."""
    items = [
        building("a", heat=800.0),
        building("b", cool=200.0, x=50.0),
        building("c", cool=200.0, x=100.0),
        building("d", cool=200.0, x=150.0),
        building("a2", heat=400.0, x=-3000.0, partner="p-a"),
    ]
    edges = [("a", "b", 60.0), ("b", "c", 60.0), ("c", "d", 60.0), ("a", "a2", 3000.0)]
    inp = inputs(items, edges)
    steps = year_steps(inp)
    return {
        mode: spread(inp, ["c", "d", "a2"], n_steps=2, options=EXACT, steps=steps, stability=mode)
        for mode in ("screen", "exact")
    }


@pytest.fixture(scope="module")
def triangle():
    """Three buildings heating and cooling at once, pairwise 50 m apart; c joins at step 1."""
    items = [
        building("a", heat=400.0, cool=330.0),
        building("b", heat=400.0, cool=330.0, x=50.0),
        building("c", heat=400.0, cool=330.0, x=25.0),
    ]
    inp = inputs(items, [("a", "b", 50.0), ("b", "c", 50.0), ("a", "c", 50.0)])
    steps = year_steps(inp)
    return {
        mode: spread(inp, ["c"], options=EXACT, steps=steps, stability=mode)
        for mode in ("none", "screen", "exact")
    }


def test_complementary_pair_is_in_the_core(row_district):
    for mode, result in row_district.items():
        step0 = result.steps.iloc[0]
        costs = _costs(result, 0)
        assert step0["core_check"] == mode and step0["core_partners"] == 2
        assert costs["p-a+p-b"] == pytest.approx(step0["total_cost_eur_per_yr"], rel=1e-9)
        saving = costs["p-a"] + costs["p-b"] - costs["p-a+p-b"]
        assert saving > 0.05 * costs["p-a+p-b"]  # the grid beats both stand-alone supplies
        # two players: the core is non-empty iff c(N) <= c(a) + c(b); eps* = -saving / 2
        assert _stable(step0) is True
        assert step0["least_core_epsilon_eur_per_yr"] == pytest.approx(-saving / 2, rel=1e-6)


def test_four_partners_screen_does_not_disprove_and_exact_confirms(row_district):
    screen = row_district["screen"].steps.set_index("step").loc[2]
    exact = row_district["exact"].steps.set_index("step").loc[2]
    assert screen["core_partners"] == exact["core_partners"] == 4
    assert _stable(screen) is None
    assert screen["core_reason"] == "not disproved by the 2n-coalition screen"
    assert np.isnan(screen["least_core_epsilon_eur_per_yr"])
    assert screen["core_solves"] <= 2 * 4
    assert _stable(exact) is True
    game = _game(row_district["exact"], 2)
    assert game.n == 4
    eps = least_core_epsilon(game)
    assert exact["least_core_epsilon_eur_per_yr"] == pytest.approx(eps, rel=1e-6)
    assert eps < -0.05 * game.grand_cost
    # the screen's coalitions are the exact game's, solved on the same model
    for coalition, cost in _costs(row_district["screen"], 2).items():
        assert cost == pytest.approx(_costs(row_district["exact"], 2)[coalition], rel=1e-6)
    assert (row_district["exact"].steps["core_time_s"] > 0).all()


def test_candidates_not_yet_joined_stay_out_of_every_coalition(row_district):
    for result in row_district.values():
        assert "a2" not in set(result.steps["candidate"])
        for step in (0, 1, 2):
            alone = _costs(result, step)["p-a"]
            # p-a's stand-alone cost is building a's reference, without the candidate a2
            standalone = result.partners.query("step == @step").set_index("partner")
            assert alone == pytest.approx(
                standalone.loc["p-a", "standalone_cost_eur_per_yr"], rel=1e-6
            )
        first = _costs(result, 0)["p-a"]
        assert _costs(result, 2)["p-a"] == pytest.approx(first, rel=1e-9)


def test_triangle_core_is_empty(triangle):
    none = triangle["none"]
    assert (none.steps["core_check"] == "none").all() and none.coalitions.empty
    assert none.steps["alliance_stable"].isna().all()
    for mode in ("screen", "exact"):
        result = triangle[mode]
        step0, step1 = result.steps.iloc[0], result.steps.iloc[1]
        assert _stable(step0) is True  # a pair shares a trench
        assert _stable(step1) is False
        assert step1["core_partners"] == 3
        assert "marginal costs" in step1["core_reason"] and "add up to" in step1["core_reason"]
        costs = _costs(result, 1)
        alone = [costs[p] for p in ("p-a", "p-b", "p-c")]
        pairs = [costs[p] for p in ("p-a+p-b", "p-a+p-c", "p-b+p-c")]
        grand = costs["p-a+p-b+p-c"]
        assert np.ptp(alone) < 1e-6 * grand and np.ptp(pairs) < 1e-6 * grand  # symmetric
        # by hand: c(i) = A + p, c(ij) = 2A + p, c(N) = 3A + 2p with p the trench per year
        trench = 2 * alone[0] - pairs[0]
        assert trench > 100.0
        assert grand == pytest.approx(3 * alone[0] - trench, rel=1e-7)
        # sum_i c(N) - c(N \ {i}) = 3A + 3p > c(N) = 3A + 2p, and eps* = p / 3
        assert 3 * (grand - pairs[0]) - grand == pytest.approx(trench, rel=1e-4)
        eps = step1["least_core_epsilon_eur_per_yr"]
        assert eps == pytest.approx(trench / 3, rel=1e-4)
        assert eps == pytest.approx(least_core_epsilon(_game(result, 1)), rel=1e-6)


def test_screen_proves_the_core_empty_with_four_partners():
    """The triangle plus a far partner who stays on its own: |P| = 4, only the screen runs."""
    items = [
        building("a", heat=400.0, cool=330.0),
        building("b", heat=400.0, cool=330.0, x=50.0),
        building("c", heat=400.0, cool=330.0, x=25.0),
        building("far", heat=2.0, x=3000.0),
        building("e", heat=400.0, x=-3000.0, partner="p-a"),  # never joins
    ]
    edges = [("a", "b", 50.0), ("b", "c", 50.0), ("a", "c", 50.0), ("c", "far", 2950.0)]
    edges.append(("a", "e", 3000.0))
    inp = inputs(items, edges)
    result = spread(
        inp, ["c", "e"], n_steps=1, options=EXACT, steps=year_steps(inp), stability="screen"
    )
    step1 = result.steps.iloc[1]
    assert step1["candidate"] == "c" and step1["core_partners"] == 4
    assert _stable(step1) is False
    assert "add up to" in step1["core_reason"]
    assert np.isnan(step1["least_core_epsilon_eur_per_yr"])  # not every coalition is known
    costs = _costs(result, 1)
    assert len(costs) == 2 * 4 + 1  # singletons, N \ {i} and N
    players = ["p-a", "p-b", "p-c", "p-far"]
    grand = costs["+".join(players)]
    marginal = sum(grand - costs["+".join(q for q in players if q != p)] for p in players)
    assert marginal > grand + 100.0
    # e (p-a's candidate) is out: p-a alone costs what p-b alone costs
    assert costs["p-a"] == pytest.approx(costs["p-b"], rel=1e-7)
    # step 0 (a, b and the far partner) is stable: a pair shares a trench
    assert _stable(result.steps.iloc[0]) is True


def test_exact_refuses_too_many_partners_before_solving():
    items = [building(f"b{k}", heat=10.0, x=10.0 * k) for k in range(MAX_EXACT_PARTNERS + 1)]
    inp = inputs(items, [(f"b{k}", f"b{k + 1}", 10.0) for k in range(MAX_EXACT_PARTNERS)])
    with pytest.raises(InputError, match="screen"):
        spread(inp, ["b8", "b7"], options=EXACT, stability="exact")
    with pytest.raises(InputError, match="unknown stability"):
        spread(inp, ["b8"], options=EXACT, stability="full")  # type: ignore[arg-type]


def _district_file(folder, spreading=None):
    doc = synthetic_district_document(n_buildings=3, seed=3, n_partners=2, spacing_m=50.0)
    doc["buildings"][2]["phase"] = "candidate"
    doc = json.loads(json.dumps(doc, default=float))
    if spreading is not None:
        doc["scaling"] = {"spreading": spreading}
    path = folder / "district.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


def test_district_file_takes_the_check(tmp_path):
    path = _district_file(tmp_path, {"stability": "exact"})
    assert load_district(path).scaling.spreading.stability == "exact"
    assert load_district(_district_file(tmp_path, {})).scaling.spreading.stability == "none"
    with pytest.raises(InputError) as caught:
        load_district(_district_file(tmp_path, {"stability": "full"}))
    assert caught.value.field == "scaling.spreading.stability"


def test_cli_writes_the_coalitions(tmp_path, capsys):
    path = _district_file(tmp_path)
    out = tmp_path / "out"
    args = ["scale", "spread", str(path), "--out", str(out), "--periods", "1", "--gap", "0"]
    assert main([*args, "--stability", "screen", "--quiet"]) == 0
    assert "core: " in capsys.readouterr().out
    steps = pd.read_csv(out / "scaling" / "spreading_steps.csv")
    coalitions = pd.read_csv(out / "scaling" / "spreading_coalitions.csv")
    assert (steps["core_check"] == "screen").all()
    assert set(coalitions["step"]) == set(steps["step"])
    assert {"core_reason", "core_time_s", "least_core_epsilon_eur_per_yr"} <= set(steps)
