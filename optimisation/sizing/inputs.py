"""Plain, validated inputs of the sizing optimisation (frozen dataclasses, no file access).

Sign and unit conventions: thermal powers in kW (hourly means), energies in kWh or MWh,
money in EUR, coordinates in RD New metres, temperatures in degC. Hourly arrays all have the
same length (8,760 for a normal year) and start at the same hour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from tsg.common.errors import InputError
from tsg.optimisation.sizing.loop_physics import LoopPhysics
from tsg.optimisation.sizing.pipes import CP_WATER_KJ_PER_KG_K, PipeOption
from tsg.optimisation.sizing.prices import Prices
from tsg.optimisation.sizing.source_inputs import AtesInput, HeatSourceInput, PlantOffer
from tsg.optimisation.sizing.technologies import Technologies

__all__ = [
    "CP_WATER_KJ_PER_KG_K",
    "AtesInput",
    "BuildingInput",
    "EdgeInput",
    "HeatSourceInput",
    "PipeOption",
    "PlantOffer",
    "Prices",
    "SizingInputs",
]

ReferenceHeating = Literal["gas_boiler", "air_source_heat_pump", "district_heating", "none"]
REFERENCE_HEATING = ("gas_boiler", "air_source_heat_pump", "district_heating", "none")
ReferenceCooling = Literal["air_chiller", "none"]


def _hourly(name: str, values: np.ndarray, owner: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float).reshape(-1)
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{owner}: {name} must be finite numbers", field=name)
    if np.any(arr < 0):
        raise InputError(f"{owner}: {name} must be >= 0 [kW]", field=name)
    arr = arr.copy()
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class BuildingInput:
    """A building that may join the grid.

    Parameters
    ----------
    building_id
        Unique id; also its node id in the candidate network.
    partner
        Id of the alliance partner that owns it.
    heat_kw, dhw_kw, cool_kw
        Hourly space-heating, hot-water and cooling demand [kW], >= 0.
    x_m, y_m
        RD New coordinates [m].
    heating_supply_c, dhw_supply_c, cooling_supply_c
        Supply temperatures the building needs [degC].
    reference_heating
        Stand-alone heating: ``gas_boiler`` (default), ``air_source_heat_pump``,
        ``district_heating`` (bought at the tariff of :class:`Prices`), or ``none`` (the
        building has no heating of its own and must be served by the grid).
    reference_cooling
        Stand-alone cooling: ``air_chiller`` (air-cooled electric chiller, default) or
        ``none``.
    may_connect
        False keeps the building on its reference supply (e.g. excluded by the user).
    gas_price_eur_per_m3, electricity_price_eur_per_kwh
        What this building pays [EUR/m3], [EUR/kWh] (e.g. by its energy-tax bracket);
        ``None``: the prices of :class:`Prices`.
    full_connection
        When it connects, the grid (with its booster heat pump and loop-side cooling) is its
        only supply: no reference unit stays as backup (a gas-free connection). False: its
        reference units may stay next to the grid connection (partial).

    """

    building_id: str
    partner: str
    heat_kw: np.ndarray
    dhw_kw: np.ndarray
    cool_kw: np.ndarray
    x_m: float
    y_m: float
    heating_supply_c: float = 45.0
    dhw_supply_c: float = 60.0
    cooling_supply_c: float = 16.0
    reference_heating: ReferenceHeating = "gas_boiler"
    reference_cooling: ReferenceCooling = "air_chiller"
    may_connect: bool = True
    gas_price_eur_per_m3: float | None = None
    electricity_price_eur_per_kwh: float | None = None
    full_connection: bool = False

    def __post_init__(self) -> None:
        for name in ("heat_kw", "dhw_kw", "cool_kw"):
            object.__setattr__(
                self, name, _hourly(name, getattr(self, name), f"building '{self.building_id}'")
            )
        if not (len(self.heat_kw) == len(self.dhw_kw) == len(self.cool_kw)):
            raise InputError(
                f"building '{self.building_id}': heat, dhw and cool need the same length",
                field="heat_kw",
            )
        if self.reference_heating not in REFERENCE_HEATING:
            raise InputError(
                f"building '{self.building_id}': reference_heating must be one of "
                f"{', '.join(REFERENCE_HEATING)}, got {self.reference_heating!r}",
                field="reference_heating",
            )
        for name in ("gas_price_eur_per_m3", "electricity_price_eur_per_kwh"):
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and value >= 0):
                raise InputError(
                    f"building '{self.building_id}': {name} must be >= 0, got {value}", field=name
                )
        if self.reference_cooling not in ("air_chiller", "none"):
            raise InputError(
                f"building '{self.building_id}': reference_cooling must be 'air_chiller' or "
                f"'none', got {self.reference_cooling!r}",
                field="reference_cooling",
            )

    @property
    def total_heat_kw(self) -> np.ndarray:
        """Space heating plus hot water [kW]."""
        return self.heat_kw + self.dhw_kw


@dataclass(frozen=True)
class EdgeInput:
    """A candidate trench between two nodes.

    Parameters
    ----------
    from_id, to_id
        Node ids.
    length_m
        Length of the trench (two pipes) [m].
    min_dn_mm
        Smallest pipe size the trench may get when built [mm] (0: any); set by the
        simulation loop of the design (:mod:`tsg.design_loop`) where the simulated year
        needs a larger pipe than the optimiser chose.
    min_parallel
        With ``min_dn_mm``: the trench needs at least the capacity of ``min_parallel`` pipes
        of ``min_dn_mm`` per line side by side (1: a single pipe); options with parallel
        pipes are offered where this or the trench's flow bound exceeds the largest single
        pipe.
    max_heat_kw
        Largest heat flow the trench may carry in any step [kW] (inf: what its pipe
        carries); set by the design loop where a pump-head cut enlarged the pipe to cut the
        friction on a building's path, not to carry more.

    """

    from_id: str
    to_id: str
    length_m: float
    min_dn_mm: int = 0
    min_parallel: int = 1
    max_heat_kw: float = math.inf

    def __post_init__(self) -> None:
        if not (math.isfinite(self.length_m) and self.length_m > 0):
            raise InputError(
                f"edge {self.from_id}-{self.to_id}: length_m must be positive", field="length_m"
            )
        if self.min_dn_mm < 0:
            raise InputError(
                f"edge {self.from_id}-{self.to_id}: min_dn_mm must be >= 0", field="min_dn_mm"
            )
        if self.min_parallel < 1:
            raise InputError(
                f"edge {self.from_id}-{self.to_id}: min_parallel must be >= 1",
                field="min_parallel",
            )
        if not self.max_heat_kw > 0:
            raise InputError(
                f"edge {self.from_id}-{self.to_id}: max_heat_kw must be positive (inf: no "
                f"limit), got {self.max_heat_kw}",
                field="max_heat_kw",
            )


@dataclass(frozen=True, eq=False)
class SizingInputs:
    """Everything the sizing model needs.

    Parameters
    ----------
    buildings
        The buildings (existing and candidates).
    edges
        Candidate trenches (e.g. :func:`grid.layout.propose_layout`); node ids are building
        ids, source ids, or junction ids that appear only in edges.
    pipes
        Pipe sizes (:func:`pipe_options`).
    technologies
        Technology catalogue.
    prices
        Prices, emission factors, discount rate.
    t_warm_c, t_cold_c
        Warm- and cold-line temperatures [degC].
    t_air_c
        Hourly outdoor air temperature [degC] (air-source and air-cooled machines).
    ates
        Aquifer storages.
    heat_sources
        Waste-heat sources.
    plants
        Central plants on offer.
    time_index
        Optional hourly time labels (for reports).
    physics
        Pumping and soil terms with the simulation's physics
        (:class:`~optimisation.sizing.loop_physics.LoopPhysics`); ``None``: pumping as the
        catalogue's flat share of the heat exchanged, no soil.

    """

    buildings: tuple[BuildingInput, ...]
    edges: tuple[EdgeInput, ...]
    pipes: tuple[PipeOption, ...]
    technologies: Technologies
    prices: Prices
    t_warm_c: float
    t_cold_c: float
    t_air_c: np.ndarray
    ates: tuple[AtesInput, ...] = ()
    heat_sources: tuple[HeatSourceInput, ...] = ()
    plants: tuple[PlantOffer, ...] = ()
    time_index: pd.DatetimeIndex | None = field(default=None)
    physics: LoopPhysics | None = None

    def __post_init__(self) -> None:
        for name in ("buildings", "edges", "pipes", "ates", "heat_sources", "plants"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if not self.buildings:
            raise InputError("the sizing needs at least one building", field="buildings")
        t_air = np.asarray(self.t_air_c, dtype=float).reshape(-1)
        if not np.all(np.isfinite(t_air)):
            raise InputError("t_air_c must be finite", field="t_air_c")
        object.__setattr__(self, "t_air_c", t_air)
        n = len(t_air)
        for b in self.buildings:
            if len(b.heat_kw) != n:
                raise InputError(
                    f"building '{b.building_id}' has {len(b.heat_kw)} hours, t_air_c has {n}",
                    field="heat_kw",
                )
        if self.physics is not None and len(self.physics.t_soil_c) != n:
            raise InputError(f"t_soil_c needs {n} hours", field="t_soil_c")
        if self.t_warm_c <= self.t_cold_c:
            raise InputError("t_warm_c must be above t_cold_c", field="t_warm_c")
        ids = [b.building_id for b in self.buildings]
        ids += [s.source_id for s in self.ates] + [s.source_id for s in self.heat_sources]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise InputError(f"node ids used twice: {duplicates}", field="buildings")
        if not self.pipes:
            raise InputError("the pipe catalogue is empty", field="pipes")
        if self.prices.district_heat_eur_per_mwh is None:
            on_heat = [
                b.building_id for b in self.buildings if b.reference_heating == "district_heating"
            ]
            if on_heat:
                raise InputError(
                    f"buildings {on_heat} use district heating but the prices give no tariff",
                    field="district_heat_eur_per_mwh",
                )
        known = set(self.node_ids)
        for plant in self.plants:
            if plant.node_id not in known:
                raise InputError(
                    f"plant {plant.plant_id} sits at unknown node '{plant.node_id}'",
                    field="plants",
                )

    @property
    def n_hours(self) -> int:
        """Number of hours of the series."""
        return len(self.t_air_c)

    @property
    def delta_t_k(self) -> float:
        """Loop temperature spread [K]."""
        return self.t_warm_c - self.t_cold_c

    @property
    def node_ids(self) -> tuple[str, ...]:
        """Buildings, sources, then junctions named only by edges."""
        ids = [b.building_id for b in self.buildings]
        ids += [s.source_id for s in self.ates] + [s.source_id for s in self.heat_sources]
        for e in self.edges:
            for nid in (e.from_id, e.to_id):
                if nid not in ids:
                    ids.append(nid)
        return tuple(ids)

    @property
    def partners(self) -> tuple[str, ...]:
        """Partners owning buildings or assets, in order of first appearance."""
        out: list[str] = []
        owners: Sequence[str | None] = [b.partner for b in self.buildings]
        owners = [*owners, *(s.partner for s in (*self.ates, *self.heat_sources, *self.plants))]
        for p in owners:
            if p is not None and p not in out:
                out.append(p)
        return tuple(out)

    def building(self, building_id: str) -> BuildingInput:
        """Return the building with this id."""
        for b in self.buildings:
            if b.building_id == building_id:
                return b
        raise KeyError(building_id)
