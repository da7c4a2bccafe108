"""Minimum-scale search: a planted break-even is found within the search tolerance."""

import math

import pytest
from sizing_cases import neighbours, year_steps

from tsg.optimisation.executor import ExecutorSettings, SolveExecutor
from tsg.optimisation.sizing import SizingOptions
from tsg.scaling.minimum_scale import ScaleFamily, break_even, family_inputs, search

EXACT = SizingOptions(n_typical_periods=None, mip_gap=0.0)


def test_planted_linear_family_found_within_tolerance():
    """Fixed backbone cost 30 kEUR/yr against savings of 12 kEUR/yr per unit of demand."""
    crossing = 30_000.0 / 12_000.0
    found = break_even(lambda f: 12_000.0 * f - 30_000.0, 0.1, 10.0, tolerance=1e-3)
    assert found.status == "found"
    assert found.low <= crossing <= found.high
    assert found.high - found.low <= 1e-3
    assert abs(found.value - crossing) <= 0.5e-3


def test_search_statuses_and_curve_bracket():
    assert search(lambda f: f - 5.0, [0.5, 1, 2], tolerance=0.1).status == "never_saves"
    assert search(lambda f: f + 5.0, [0.5, 1, 2], tolerance=0.1).status == "always_saves"
    found = search(lambda f: f - 1.5, [0.5, 1, 2, 4], tolerance=0.01)
    assert found.status == "found" and abs(found.value - 1.5) <= 0.005


def test_density_family_of_a_sizing_case_has_the_planted_crossing():
    """Forced two-building grid: only the trench length changes with the density factor.

    The flows (so the pipe size, heat pumps and energy) do not depend on the distances, so the
    saving is ``A - B / factor`` exactly: two sizings give A and B, the crossing is B / A.
    """
    inputs = neighbours()
    family = ScaleFamily.of(inputs, "density", EXACT, steps=year_steps(inputs))
    assert family.options.force_connect == {"a", "b"}
    s1, s2 = family.saving(1.0), family.saving(0.5)
    slope_b = s1 - s2  # B * (1/0.5 - 1/1)
    a = s1 + slope_b
    crossing = slope_b / a
    found = search(family.saving, [crossing / 4, crossing * 4], tolerance=crossing / 100)
    assert found.status == "found"
    assert found.low <= crossing <= found.high
    assert found.high - found.low <= crossing / 100
    assert family.saving(found.low) <= 0.0 < family.saving(found.high)


def test_size_family_scales_demand():
    inputs = neighbours()
    steps = year_steps(inputs)
    scaled, scaled_steps = family_inputs(inputs, steps, "size", 0.5)
    assert scaled.buildings[0].heat_kw.max() == pytest.approx(200.0)
    assert scaled_steps.heat_kw.max() == pytest.approx(0.5 * steps.heat_kw.max())
    with pytest.raises(ValueError):
        family_inputs(inputs, steps, "size", 0.0)
    family = ScaleFamily.of(inputs, "size", EXACT, steps=steps)
    table = family.table()
    assert math.isclose(table["value"].iloc[0], 1.0)
    assert family.saving(0.5) < family.saving(1.0)


def test_curve_points_on_two_worker_processes_equal_the_sequential_ones():
    inputs = neighbours()
    steps = year_steps(inputs)
    values = [0.5, 0.8, 1.5, 2.0]
    here = ScaleFamily.of(inputs, "density", EXACT, steps=steps)
    there = ScaleFamily.of(inputs, "density", EXACT, steps=steps)
    calls = []
    with SolveExecutor(ExecutorSettings(workers=2)) as executor:
        there.evaluate_many(values, executor=executor, progress=lambda *a: calls.append(a))
    assert calls[-1] == (4, 4)
    for v in values:
        expected = here.saving(v)
        assert there.points[v]["saving_eur_per_yr"] == pytest.approx(expected, rel=1e-9, abs=1e-6)
