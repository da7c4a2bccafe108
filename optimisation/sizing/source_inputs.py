"""Plain, validated inputs of the sizing optimisation: the balancing side.

Aquifer storages, waste-heat sources and the central plants on offer (frozen dataclasses,
re-exported by :mod:`optimisation.sizing.inputs`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from tsg.common.errors import InputError

__all__ = ["AtesInput", "HeatSourceInput", "PlantKind", "PlantOffer"]

PlantKind = Literal["dry_cooler", "central_heat_pump", "thermal_storage"]


@dataclass(frozen=True)
class AtesInput:
    """Aquifer thermal energy storage as balancing unit.

    Parameters
    ----------
    source_id
        Node id in the candidate network.
    partner
        Partner who brings it (site, permit); ``None``: available to every coalition.
    max_heat_kw
        Largest thermal power [kW]: doublets x well flow x cp x well spread.
    doublets
        Most doublets the site allows; the capacity is built in whole doublets of
        ``max_heat_kw / doublets`` each (the investment per kW then buys whole doublets);
        ``None``: any capacity up to ``max_heat_kw``.
    balance_tolerance
        Allowed annual imbalance ``|stored - extracted| / max(stored, extracted)`` [-].
    x_m, y_m
        RD New coordinates [m].

    """

    source_id: str
    partner: str | None
    max_heat_kw: float
    balance_tolerance: float
    x_m: float = float("nan")
    y_m: float = float("nan")
    doublets: int | None = None

    def __post_init__(self) -> None:
        if not (self.max_heat_kw >= 0 and math.isfinite(self.max_heat_kw)):
            raise InputError("ATES max_heat_kw must be >= 0", field="max_heat_kw")
        if self.doublets is not None and self.doublets < 1:
            raise InputError("ATES doublets must be >= 1", field="doublets")
        if not (0.0 <= self.balance_tolerance <= 1.0):
            raise InputError("ATES balance_tolerance must lie in [0, 1]", field="balance_tolerance")


@dataclass(frozen=True)
class HeatSourceInput:
    """A waste-heat source feeding the warm line.

    Parameters
    ----------
    source_id
        Node id.
    partner
        Owner, or ``None``.
    max_heat_kw
        Capacity [kW].
    annual_max_mwh
        Largest annual delivery [MWh/yr]; ``None``: no limit.
    price_eur_per_mwh
        Price paid per MWh delivered [EUR/MWh].
    x_m, y_m
        RD New coordinates [m].

    """

    source_id: str
    partner: str | None
    max_heat_kw: float
    annual_max_mwh: float | None = None
    price_eur_per_mwh: float = 0.0
    x_m: float = float("nan")
    y_m: float = float("nan")


@dataclass(frozen=True)
class PlantOffer:
    """A central plant the optimiser may build at a network node.

    Parameters
    ----------
    kind
        ``dry_cooler`` (removes heat from the loop with outdoor air), ``central_heat_pump``
        (air-to-water, adds heat to the loop) or ``thermal_storage`` (water buffer).
    node_id
        Node where it is connected.
    partner
        Owner, or ``None``: available to every coalition.
    max_kw
        Largest capacity [kW] (storage: [kWh]); ``inf`` for no limit.

    """

    kind: PlantKind
    node_id: str
    partner: str | None = None
    max_kw: float = float("inf")

    @property
    def plant_id(self) -> str:
        """Identifier ``<kind>@<node_id>``."""
        return f"{self.kind}@{self.node_id}"
