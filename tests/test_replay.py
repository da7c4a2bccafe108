"""The historical replay: the 2018 district, the threshold bisection, the report section."""

import copy
import dataclasses
import math

import pandas as pd
import pytest
import yaml
from report_helpers import make_run
from sizing_cases import PRICES, building, inputs, neighbours, year_steps

from tsg import run_layout as layout
from tsg.common import InputError
from tsg.district import built_in_district_path, load_district, resolve_district_argument
from tsg.optimisation.sizing import SizingOptions, size
from tsg.optimisation.sizing.thresholds import ThresholdSearch, bisect_flip, search_direction
from tsg.outputs import write_json, write_table
from tsg.report import build_report
from tsg.stages.replay import threshold_rows, verdict

DISTRICT = "hart-van-zuid-2018"
EXACT = SizingOptions(n_typical_periods=None, mip_gap=0.0)


def test_2018_district_is_built_in_and_holds_what_was_known_then():
    path = resolve_district_argument(DISTRICT)
    assert path == built_in_district_path(DISTRICT)
    district = load_district(path)
    assert district.economics.price_year == 2018
    assert 0 < district.economics.grant_share < 0.2
    supply = {b.id: b.reference_heating for b in district.buildings}
    assert supply["ahoy-arena"] == supply["racc"] == "district_heating"
    assert supply["hotel"] == supply["cinema"] == "air_source_heat_pump"  # no gas after 1 July 2018
    decision = district.replay.decision
    assert set(decision.connected) == {"ahoy-arena", "racc", "hotel", "cinema"}
    assert set(decision.not_connected) == {"swimming-pool", "theatre-library"}
    assert set(decision.connected + decision.not_connected) == set(supply)
    assert district.replay.thresholds.low_factor < 1 < district.replay.thresholds.high_factor


def test_replay_naming_an_unknown_building_is_an_input_error(tmp_path):
    document = yaml.safe_load(built_in_district_path(DISTRICT).read_text(encoding="utf-8"))
    changed = copy.deepcopy(document)
    changed["replay"]["decision"]["connected"].append("opera")
    path = tmp_path / "district.yaml"
    path.write_text(yaml.safe_dump(changed), encoding="utf-8")
    with pytest.raises(InputError, match="opera"):
        load_district(path)


def test_bisection_brackets_a_known_step_within_its_stated_tolerance():
    calls = []

    def decide(factor):
        calls.append(factor)
        return factor < 2.5  # connected below 2.5

    threshold, low, high, n = bisect_flip(decide, base=True, end=4.0, max_solves=6)
    assert n == len(calls) == 6
    assert low <= 2.5 <= high
    assert high / low == pytest.approx(4.0 ** (1 / 2**5))
    assert math.isnan(bisect_flip(lambda f: True, base=True, end=4.0, max_solves=6)[0])
    assert search_direction("pipe_cost", True) == 1
    assert search_direction("gas_price", True) == search_direction("demand", True) == -1
    assert search_direction("pipe_cost", False) == -1


def _pipes_eur_per_yr(result):
    return sum(c.annuity_eur_per_yr + c.om_eur_per_yr for c in result.costs if c.item == "pipes")


def test_trench_cost_threshold_equals_saving_over_trench_annuity():
    """Building c at the end of a 600 m trench: it flips out where the pipe-cost factor times
    its trench's annuity eats its saving, f* = 1 + saving / trench annuity."""
    inp = neighbours(distant_m=600.0)
    steps = year_steps(inp)
    base = size(inp, options=EXACT, steps=steps, with_reference=False)
    without = size(
        inp,
        options=dataclasses.replace(EXACT, exclude=frozenset({"c"})),
        steps=steps,
        with_reference=False,
    )
    assert "c" in base.connected_buildings
    saving = without.design.cost_eur_per_yr - base.design.cost_eur_per_yr
    trench = _pipes_eur_per_yr(base) - _pipes_eur_per_yr(without)
    expected = 1.0 + saving / trench
    assert 1.5 < expected < 4.0
    search = ThresholdSearch(inp, EXACT, steps)
    found = search.threshold("c", "pipe_cost", low_factor=0.25, high_factor=4.0, max_solves=8)
    assert found.base_connected and found.flips_to == "not connected"
    assert found.bracket_low <= expected <= found.bracket_high
    assert found.threshold_factor == pytest.approx(expected, rel=0.012)
    # cheaper trenches never drop a connected building: searched upwards only
    assert found.searched_to == 4.0
    table = threshold_rows([found], inp)
    assert list(table.columns) == list(layout.THRESHOLD_COLUMNS)
    row = table.iloc[0]
    assert row["threshold_value"] == pytest.approx(row["base_value"] * found.threshold_factor)


def test_grant_lowers_the_grids_investment_but_not_the_reference_units():
    items = [building("a", heat=400.0), building("b", cool=330.0, x=50.0)]
    plain = inputs(items, [("a", "b", 60.0)])
    granted = dataclasses.replace(plain, prices=dataclasses.replace(PRICES, grant_share=0.4))
    options = dataclasses.replace(EXACT, force_connect=frozenset({"a", "b"}))
    steps = year_steps(plain)
    r0 = size(plain, options=options, steps=steps, with_reference=False)
    r1 = size(granted, options=options, steps=steps, with_reference=False)

    def investment(result, item):
        return sum(c.investment_eur for c in result.costs if c.item == item)

    assert investment(r1, "pipes") == pytest.approx(0.6 * investment(r0, "pipes"))
    assert investment(r1, "connection") == pytest.approx(0.6 * investment(r0, "connection"))
    assert r1.design.cost_eur_per_yr < r0.design.cost_eur_per_yr
    with pytest.raises(InputError, match="grant_share"):
        dataclasses.replace(PRICES, grant_share=1.0)


def test_verdict_compares_building_by_building():
    out = verdict(["a", "b"], ["c"], {"a", "c"})
    assert out["matches"] == 1 and not out["reproduced"]
    assert [r["match"] for r in out["buildings"]] == [True, False, False]
    assert verdict(["a"], ["c"], {"a"})["reproduced"]


@pytest.fixture(scope="module")
def replay_run(tmp_path_factory):
    """Demand stage of the 2018 district plus faked replay files."""
    out = make_run(tmp_path_factory.mktemp("replay"), built_in_district_path(DISTRICT))
    document = {
        "district": DISTRICT,
        "decided_on": "2018-06",
        "source": "RUGGEDISED news",
        "design": verdict(
            ["ahoy-arena", "racc", "hotel", "cinema"],
            ["swimming-pool", "theatre-library"],
            {"ahoy-arena", "racc", "hotel", "cinema", "swimming-pool"},
        ),
        "design_solver_gap_eur_per_yr": 12000.0,
        "threshold_search": {
            "range": [0.25, 4.0],
            "typical_periods": 4,
            "mip_gap": 0.01,
            "max_solves": 5,
            "solves": 40,
            "wall_time_s": 321.0,
        },
    }
    write_json(layout.REPLAY.under(out), document)
    rows = [
        [
            "swimming-pool",
            "pipe_cost",
            "connected",
            3.1,
            "not connected",
            2.9,
            3.3,
            4.0,
            120.0,
            372.0,
            "EUR/m",
            5,
            "",
        ],
        [
            "theatre-library",
            "gas_price",
            "not connected",
            None,
            "",
            None,
            None,
            4.0,
            0.54,
            None,
            "EUR/m3",
            1,
            "",
        ],
    ]
    frame = pd.DataFrame(rows, columns=list(layout.THRESHOLD_COLUMNS))
    write_table(layout.THRESHOLDS.under(out), frame, spec=layout.THRESHOLDS)
    return out


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_report_shows_the_verdict_and_the_threshold_table(replay_run, lang):
    html = build_report(replay_run, lang=lang)
    assert 'id="replay-verdict"' in html
    assert 'id="replay-thresholds"' in html
    assert "chart-replay-thresholds" in html
    assert "Zwemcentrum Rotterdam" in html
    if lang == "en":
        assert "does not reproduce the decision of 2018-06: 5 of 6" in html
        assert "trench cost per metre" in html and "none up to x4" in html
        assert "optimal to within 12,000 EUR/yr" in html
    else:
        assert "herhaalt het besluit van 2018-06 niet" in html
        assert "sleufkosten per meter" in html
