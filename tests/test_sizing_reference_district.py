"""Hart van Zuid: the typical-period design against the full year (opt-in: about 15 minutes)."""

import os

import pytest

from tsg.optimisation.sizing import SizingOptions, size
from tsg.optimisation.sizing.full_year_check import full_year_check
from tsg.sizing_inputs import sizing_inputs

FULL_YEAR = os.environ.get("TSG_SIZING_FULL_YEAR") == "1"


@pytest.mark.slow
@pytest.mark.skipif(
    not FULL_YEAR,
    reason="the full-year LP of 8,760 hours takes 10-20 minutes on 2 cores; set "
    "TSG_SIZING_FULL_YEAR=1 (benchmarks/sizing.py prints the same comparison)",
)
def test_typical_periods_within_two_percent_of_the_full_year_cost_of_the_design(hvz, hvz_demand):
    inputs = sizing_inputs(hvz, hvz_demand)
    options = SizingOptions(n_typical_periods=12)
    typical = size(inputs, options=options, with_reference=False)
    check = full_year_check(inputs, typical, options=options)
    assert check.upper_status == "optimal"
    assert abs(check.design_error) <= 0.02
