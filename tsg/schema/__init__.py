"""The district file: pydantic models of the one input a user writes.

Unknown keys are rejected everywhere (``extra="forbid"``) and models are frozen. Paths given
in the file are resolved against the district file's folder by :mod:`tsg.district`. Units are
in the field names; every number is bounded (:mod:`tsg.schema.types`), and the rules across
fields are in :mod:`tsg.schema.checks`.
"""

from tsg.schema.buildings import AnnualDemand, Building, EventCalendar, MeasuredProfile
from tsg.schema.checks import reference_problems
from tsg.schema.district import (
    Barrier,
    Climate,
    District,
    Network,
    Partner,
    Route,
    RouteEdge,
)
from tsg.schema.economics import Economics, Sensitivity
from tsg.schema.replay import HistoricalDecision, Replay, Thresholds
from tsg.schema.scaling import (
    MinimumScaleScenario,
    Scaling,
    SpreadingScenario,
    TranslationScenario,
)
from tsg.schema.sources import (
    SOURCE_TYPES,
    AquiferStorage,
    CentralHeatPump,
    DryCooler,
    Source,
    ThermalStorage,
    WasteHeat,
)
from tsg.schema.types import Identifier, Location

__all__ = [
    "SOURCE_TYPES",
    "AnnualDemand",
    "AquiferStorage",
    "Barrier",
    "Building",
    "CentralHeatPump",
    "Climate",
    "District",
    "DryCooler",
    "Economics",
    "EventCalendar",
    "HistoricalDecision",
    "Identifier",
    "Location",
    "MeasuredProfile",
    "MinimumScaleScenario",
    "Network",
    "Partner",
    "Replay",
    "Route",
    "RouteEdge",
    "Scaling",
    "Sensitivity",
    "Source",
    "SpreadingScenario",
    "ThermalStorage",
    "Thresholds",
    "TranslationScenario",
    "WasteHeat",
    "reference_problems",
]
