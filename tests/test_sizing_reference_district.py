"""Hart van Zuid: typical periods against the full year (opt-in: several minutes)."""

import os

import pytest

from optimisation.sizing import SizingOptions, size
from optimisation.sizing.workflow import full_year_bounds
from tsg.sizing_stage import sizing_inputs

FULL_YEAR = os.environ.get("TSG_SIZING_FULL_YEAR") == "1"


@pytest.mark.slow
@pytest.mark.skipif(
    not FULL_YEAR,
    reason="full-year LPs of 8,760 hours take several minutes; set TSG_SIZING_FULL_YEAR=1 "
    "(benchmarks/sizing.py prints the same comparison)",
)
def test_typical_periods_within_two_percent_of_the_full_year(hvz, hvz_demand):
    inputs = sizing_inputs(hvz, hvz_demand)
    options = SizingOptions(n_typical_periods=12)
    typical = size(inputs, options=options, with_reference=False)
    lower, upper, _ = full_year_bounds(inputs, typical, options=options)
    assert lower <= upper * (1 + 1e-6)
    cost = typical.design.cost_eur_per_yr
    # the full-year optimum lies in [lower, upper]
    assert abs(cost - lower) <= 0.02 * lower
    assert abs(cost - upper) <= 0.02 * lower
