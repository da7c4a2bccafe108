"""The design's annual cost re-evaluated with its simulated operation.

Three numbers for one design [EUR/yr]:

* **typical periods**: the optimiser's objective (the design was solved on typical days);
* **operated over the full year**: the design with every decision fixed and each of the
  8,760 hours dispatched at least cost (:func:`~optimisation.sizing.operation.operate_design`);
* **with the simulated operation**: that year's cost with what the annual network simulation
  measured in place of the optimiser's linear physics: the electricity of the central and the
  buildings' circulation pumps (hour by hour from the pressure drops) and the ATES well pumps'
  electricity on the heat the simulated ATES really moved (the soil exchange of the pipes at
  their simulated water temperatures changes it), each at the shared items' electricity price
  plus the CO2 price on its emissions.

The difference of the last to the first is what the typical periods and the optimiser's physics
together got wrong about the design's cost.
"""

from __future__ import annotations

from tsg.common.units import KWH_PER_MWH
from tsg.optimisation.sizing.inputs import SizingInputs
from tsg.optimisation.sizing.operation import OperatedYear
from tsg.optimisation.sizing.result import SizingResult

__all__ = ["operated_cost_record"]


def _line_kwh(operated: OperatedYear, item: str) -> float:
    return sum(line.electricity_kwh_per_yr for line in operated.lines if line.item == item)


def operated_cost_record(
    result: SizingResult,
    inputs: SizingInputs,
    operated: OperatedYear,
    *,
    simulated_pump_mwh_per_yr: float,
    simulated_ates_moved_mwh_per_yr: float,
) -> dict:
    """Return the design's annual cost three ways (see the module docstring).

    Parameters
    ----------
    result, inputs
        The design and its sizing inputs.
    operated
        The design operated over the full year (optimal).
    simulated_pump_mwh_per_yr
        Circulation-pump electricity of the simulated year, central and buildings [MWh/yr].
    simulated_ates_moved_mwh_per_yr
        Heat the simulated ATES took from and gave to the loop, summed [MWh/yr].

    Returns
    -------
    dict
        ``typical_periods_eur_per_yr``, ``operated_full_year_eur_per_yr``,
        ``simulated_operation_eur_per_yr``, the corrections that lead from the second to the
        third (``corrections``: kWh and EUR per item) and ``relative_difference`` (third
        against first).
    """
    prices = inputs.prices
    eur_per_kwh = (
        prices.electricity_price_eur_per_kwh
        + prices.electricity_emission_kg_per_kwh / 1000.0 * prices.co2_price_eur_per_t
    )
    in_mwh, out_mwh = operated.ates_mwh_per_yr()
    ates_kwh_per_kwh = inputs.technologies.ates_pump_kwh_per_kwh
    corrections = {
        "pumping": {
            "optimiser_kwh_per_yr": _line_kwh(operated, "pumping"),
            "simulation_kwh_per_yr": simulated_pump_mwh_per_yr * KWH_PER_MWH,
        },
        "ates_well_pumps": {
            "optimiser_kwh_per_yr": ates_kwh_per_kwh * (in_mwh + out_mwh) * KWH_PER_MWH,
            "simulation_kwh_per_yr": ates_kwh_per_kwh
            * simulated_ates_moved_mwh_per_yr
            * KWH_PER_MWH,
        },
    }
    for row in corrections.values():
        row["eur_per_yr"] = (row["simulation_kwh_per_yr"] - row["optimiser_kwh_per_yr"]) * (
            eur_per_kwh
        )
    typical = result.design.cost_eur_per_yr
    simulated = operated.cost_eur_per_yr + sum(row["eur_per_yr"] for row in corrections.values())
    return {
        "typical_periods_eur_per_yr": typical,
        "operated_full_year_eur_per_yr": operated.cost_eur_per_yr,
        "simulated_operation_eur_per_yr": simulated,
        "corrections": corrections,
        "electricity_eur_per_kwh": eur_per_kwh,
        "relative_difference": (simulated - typical) / typical if typical else None,
        "note": "typical periods: the optimiser's objective; operated over the full year: "
        "every design decision fixed, each hour dispatched at least cost; with the simulated "
        "operation: that year with the simulation's pump electricity and ATES heat",
    }
