"""Allocation from a district: coalition costs from the sizing model, rules, files, command."""

import argparse
import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import yaml

from tsg.commands import allocate
from tsg.cost_file import read_cost_file
from tsg.demand import district_demand
from tsg.district import load_district
from tsg.optimisation.sizing import SizingOptions, build_model, solve_and_extract, time_steps
from tsg.sizing_inputs import sizing_inputs
from tsg.stages import RunContext, RunSettings, allocation, run_stage
from tsg.synthetic import synthetic_district_document

OPTIONS = SizingOptions(n_typical_periods=1, mip_gap=1e-6, time_limit_s=60.0)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Three partners with one building each, 60 m apart, and one partner without any."""
    doc = synthetic_district_document(
        n_buildings=3,
        seed=5,
        n_partners=3,
        mix={"residential": 1.0, "cinema": 1.0, "hotel": 1.0},
    )
    doc["partners"].append({"id": "advisor", "name": "Advisor", "role": "building_owner"})
    path = tmp_path_factory.mktemp("district") / "district.yaml"
    path.write_text(yaml.safe_dump(json.loads(json.dumps(doc, default=float))), encoding="utf-8")
    district = load_district(path)
    return path, district, district_demand(district, district_file=path)


@pytest.fixture(scope="module")
def stage(small, tmp_path_factory):
    path, district, demand = small
    out = tmp_path_factory.mktemp("run")
    settings = RunSettings(allocation_options=OPTIONS, processes=1)
    ctx = RunContext.of(district, path, demand=demand, settings=settings)
    result, _ = run_stage("allocation", ctx, out)
    return out, result


def test_players_are_the_partners_that_own_something(stage):
    _, result = stage
    assert result.players == ("partner-0", "partner-1", "partner-2")
    assert list(result.left_out) == ["advisor"]
    assert "no building or source" in result.left_out["advisor"]
    assert result.limited == ()
    assert set(result.solves["status"]) <= {"optimal"}
    assert len(result.solves) == 7


def test_single_partner_pays_its_stand_alone_cost_from_the_sizing_model(small, stage):
    """c({i}) is the sizing optimum of partner i's buildings with every other building on
    its reference supply (excluded from the grid), minus those reference costs; it is at
    most i's reference cost (a single building may gain from a loop of its own)."""
    _, district, demand = small
    _, result = stage
    inputs = sizing_inputs(district, demand)
    steps = time_steps(inputs, n_periods=OPTIONS.n_typical_periods)
    design = solve_and_extract(build_model(inputs, steps, options=OPTIONS))
    assert result.game.grand_cost == pytest.approx(design.design.cost_eur_per_yr, rel=1e-6)
    reference = {b.building_id: b.reference_cost_eur_per_yr for b in design.buildings}
    for b in design.buildings:  # one building per partner
        others = frozenset(reference) - {b.building_id}
        alone = solve_and_extract(
            build_model(inputs, steps, options=replace(OPTIONS, exclude=others)),
            with_reference=False,
        )
        expected = alone.design.cost_eur_per_yr - sum(reference[o] for o in others)
        assert result.game.cost([b.partner]) == pytest.approx(expected, rel=1e-6)
        assert result.game.cost([b.partner]) <= reference[b.building_id] * (1 + 1e-9)


def test_every_rule_sums_to_the_grand_coalition_cost(stage):
    _, result = stage
    grand = result.game.grand_cost
    rules = {**result.comparison.rules, "proportional_peak": result.peak_rule}
    assert list(result.comparison.rules)[0] == "proportional"
    for name, rule in rules.items():
        assert sum(rule.cost.values()) == pytest.approx(grand, rel=1e-9), name
    total = sum(result.weights.values())
    for p in result.players:
        expected = grand * result.weights[p] / total
        assert result.comparison.rules["proportional"].cost[p] == pytest.approx(expected)


def test_files_and_cost_file_round_trip(stage):
    out, result = stage
    folder = out / "allocation"
    assert {p.name for p in folder.iterdir()} == {
        "allocation.json",
        "allocation.csv",
        "rules.csv",
        "coalition_costs.csv",
        "coalition_solves.csv",
        "allocation_meta.json",
        "allocation_chart.png",
        "allocation.xlsx",
    }
    game = read_cost_file(folder / "coalition_costs.csv")
    assert game.players == result.game.players
    np.testing.assert_array_equal(game.costs, result.game.costs)
    doc = json.loads((folder / "allocation.json").read_text())
    assert list(doc) == [
        "players",
        "rules",
        "least_core_epsilon",
        "core",
        "in_core",
        "individually_rational",
        "rule_verdicts",
        "negative_shares",
        "notes",
    ]
    assert list(doc["rules"]) == [
        "proportional",
        "equal_split",
        "equal_savings",
        "shapley",
        "nucleolus",
        "scrb",
        "least_core",
    ]
    table = result.comparison
    assert doc["rules"]["shapley"] == pytest.approx(table.rules["shapley"].cost)
    csv = (folder / "allocation.csv").read_text().splitlines()
    assert csv[0].startswith("rule,partner,cost_eur_per_yr,standalone_eur_per_yr")
    assert len(csv) == 1 + 8 * 3
    rules = pd.read_csv(folder / "rules.csv")
    assert list(rules["rule"]) == [*doc["rules"], "proportional_peak"]
    # solved to a gap of 1e-6 every verdict is decided and agrees with the exact checks
    for name, rule in {**table.rules, "proportional_peak": result.peak_rule}.items():
        row = rules.set_index("rule").loc[name]
        assert row["in_core"] == ("holds" if rule.in_core else "fails"), name
        assert row["individually_rational"] == (
            "holds" if rule.individually_rational else "fails"
        ), name
    assert doc["core"]["nonempty"] == ("holds" if table.core_nonempty else "fails")
    solves = pd.read_csv(folder / "coalition_solves.csv")
    assert (solves["lower_eur_per_yr"] <= solves["cost_eur_per_yr"] + 1e-6).all()
    assert (solves["cost_eur_per_yr"] - solves["lower_eur_per_yr"]).max() <= 1e-5 * (
        solves["cost_eur_per_yr"].abs().max()
    )
    meta = json.loads((folder / "allocation_meta.json").read_text())
    assert meta["left_out"] == result.left_out
    assert meta["time_limited"] == []


def test_co2_shares_sum_to_one(stage):
    out, _ = stage
    table = pd.read_csv(out / "allocation" / "allocation.csv")
    sums = table.groupby("rule")["co2_reduction_share"].sum()
    assert np.allclose(sums.to_numpy(), 1.0, atol=1e-3)


def test_command_end_to_end(small, tmp_path, capsys, monkeypatch):
    path, _, _ = small
    monkeypatch.setattr(allocation, "GAME_OPTIONS", OPTIONS)
    parser = argparse.ArgumentParser()
    allocate.add_parser(parser.add_subparsers())
    out = tmp_path / "run"
    args = parser.parse_args(["allocate", str(path), "--out", str(out), "--json", "--quiet"])
    assert args.handler(args) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["players"] == ["partner-0", "partner-1", "partner-2"]
    assert (out / "allocation" / "allocation_chart.png").stat().st_size > 1000
    costs = read_cost_file(out / "allocation" / "coalition_costs.csv")
    assert sum(doc["rules"]["shapley"].values()) == pytest.approx(costs.grand_cost)
