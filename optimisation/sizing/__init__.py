"""Sizing optimisation of a thermal smart grid (Pyomo + HiGHS).

Who connects, which pipe size each trench gets, how large the heat pumps, chillers, ATES and
central plants are, and what the whole grid costs per year against every building's own
supply. Split into inputs (:mod:`.inputs`, :mod:`.technologies`), time steps
(:mod:`.periods`), build (:mod:`.model`, :mod:`.costs`), solve (:mod:`.solve`), extract
(:mod:`.extract`, :mod:`.result`) and coalition costs for the allocation game
(:mod:`.coalitions`). :func:`size` runs the whole chain.
"""

from tsg.optimisation.sizing.coalition_batch import coalition_costs
from tsg.optimisation.sizing.coalitions import CoalitionSolver, coalition_cost
from tsg.optimisation.sizing.consumption import reference_consumption
from tsg.optimisation.sizing.inputs import (
    AtesInput,
    BuildingInput,
    EdgeInput,
    HeatSourceInput,
    PipeOption,
    PlantOffer,
    Prices,
    SizingInputs,
)
from tsg.optimisation.sizing.model import SizingModel, build_model
from tsg.optimisation.sizing.options import SizingOptions
from tsg.optimisation.sizing.periods import TimeSteps, full_year, time_steps, typical_periods
from tsg.optimisation.sizing.pipes import max_mass_flow_kg_per_s, pipe_options
from tsg.optimisation.sizing.result import (
    BuildingDesign,
    CostLine,
    EdgeDesign,
    PlantDesign,
    SizingResult,
    SolveReport,
    Totals,
)
from tsg.optimisation.sizing.solve import SolveInfo, solve_model
from tsg.optimisation.sizing.technologies import (
    Technologies,
    capital_recovery_factor,
    load_technologies,
)
from tsg.optimisation.sizing.workflow import size, solve_and_extract

__all__ = [
    "AtesInput",
    "BuildingDesign",
    "BuildingInput",
    "CoalitionSolver",
    "CostLine",
    "EdgeDesign",
    "EdgeInput",
    "HeatSourceInput",
    "PipeOption",
    "PlantDesign",
    "PlantOffer",
    "Prices",
    "SizingInputs",
    "SizingModel",
    "SizingOptions",
    "SizingResult",
    "SolveReport",
    "SolveInfo",
    "Technologies",
    "TimeSteps",
    "Totals",
    "build_model",
    "capital_recovery_factor",
    "coalition_cost",
    "coalition_costs",
    "full_year",
    "load_technologies",
    "max_mass_flow_kg_per_s",
    "pipe_options",
    "reference_consumption",
    "size",
    "solve_and_extract",
    "solve_model",
    "time_steps",
    "typical_periods",
]
