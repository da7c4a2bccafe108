"""Hand a sized design to the annual network simulation (``grid``): edges and hourly loads.

The optimiser decides capacities on (typical) time steps; the simulation needs every hour.
Each connected building runs its loop-side units first, up to their capacity, and its own
(backup) units cover the rest: loop heat = ``min(demand, capacity)`` converted with the same
substation efficiencies the model used. This is the dispatch a building controller would
use; it ignores the network limits the optimiser respected on the modelled steps, so the
simulation checks them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tsg.optimisation.sizing.inputs import SizingInputs
from tsg.optimisation.sizing.performance import coefficients
from tsg.optimisation.sizing.periods import full_year
from tsg.optimisation.sizing.result import SizingResult

__all__ = ["design_loop_loads_kw"]


def design_loop_loads_kw(result: SizingResult, inputs: SizingInputs) -> pd.DataFrame:
    """Hourly net loop load of every connected building for the whole series [kW].

    Parameters
    ----------
    result
        A sizing result.
    inputs
        The inputs it was computed from (full hourly series).

    Returns
    -------
    pandas.DataFrame
        One row per hour (``inputs.time_index`` when given), one column per connected
        building; > 0: the building takes heat from the loop (the sign convention of
        :func:`grid.annual.simulate_hours`).

    """
    steps = full_year(inputs)
    coef = coefficients(inputs, steps)
    columns = {}
    for b, bld in enumerate(inputs.buildings):
        design = result.building(bld.building_id)
        if not design.connected:
            continue
        heat = np.minimum(steps.total_heat_kw[b], design.heat_pump_kw)
        cool = np.minimum(steps.cool_kw[b], design.network_cooling_kw)
        loop_h = 1.0 - coef.loop_heat_elec_per_kwh[b]
        loop_c = 1.0 + coef.loop_cool_elec_per_kwh[b]
        columns[bld.building_id] = heat * loop_h - cool * loop_c
    index = inputs.time_index if inputs.time_index is not None else None
    return pd.DataFrame(columns, index=index)
