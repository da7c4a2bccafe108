"""The full-year check of a design: exact on cases where typical periods lose nothing."""

import numpy as np
import pytest
from sizing_cases import building, inputs, neighbours

from tsg.optimisation.sizing import AtesInput, SizingOptions, size
from tsg.optimisation.sizing.full_year_check import full_year_check
from tsg.optimisation.sizing.periods import full_year


def _check(inp, options, steps=None, *, lower_bound=True):
    design = size(inp, options=options, steps=steps, with_reference=False)
    return design, full_year_check(inp, design, options=options, lower_bound=lower_bound)


def test_a_full_year_design_is_its_own_upper_bound():
    inp = neighbours()
    options = SizingOptions(n_typical_periods=None, mip_gap=1e-6)
    design, check = _check(inp, options, steps=full_year(inp))
    assert check.upper_status == "optimal" and check.lower_status == "optimal"
    # same model, binaries fixed at the optimum: the LP gives the MILP's objective back
    assert check.upper_eur_per_yr == pytest.approx(design.design.cost_eur_per_yr, rel=1e-5)
    assert abs(check.design_error) < 1e-5
    assert check.lower_eur_per_yr <= check.upper_eur_per_yr * (1 + 1e-7)


def test_identical_days_make_typical_periods_exact():
    """Four identical days with an ATES: one typical day stands for all of them."""
    hours = 96
    day = np.r_[np.full(12, 300.0), np.full(12, 50.0)]
    blds = [
        building("heat", heat=np.tile(day, 4), hours=hours),
        building("cool", cool=np.tile(day[::-1], 4), x=80.0, hours=hours),
    ]
    ates = (AtesInput("ates", None, max_heat_kw=2000.0, balance_tolerance=0.1, x_m=40.0, y_m=0),)
    inp = inputs(
        blds, [("heat", "ates", 40.0), ("cool", "ates", 40.0)], hours=hours, ates=ates, t_air=8.0
    )
    options = SizingOptions(n_typical_periods=1, mip_gap=1e-6)
    design, check = _check(inp, options, lower_bound=False)
    assert design.periods["n_periods"] >= 1
    assert check.upper_status == "optimal" and check.lower_status == "skipped"
    assert abs(check.design_error) < 1e-5
    assert np.isnan(check.worst_error)
