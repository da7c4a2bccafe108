"""Typed result of a sizing run (frozen dataclasses) and its tables / JSON form.

Money in EUR (investments) and EUR/yr (annual costs), energy in MWh/yr or m³/yr, CO2 in t/yr.
The *reference* is every building on its own supply (gas boiler or air-source heat pump plus
air-cooled chiller), priced with the same catalogue and the same time steps.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import pandas as pd

__all__ = [
    "BuildingDesign",
    "CostLine",
    "EdgeDesign",
    "PlantDesign",
    "SizingResult",
    "SolveReport",
    "Totals",
]


@dataclass(frozen=True)
class CostLine:
    """Annual cost of one item (a unit of a building or a shared asset).

    ``total_eur_per_yr = annuity + om + energy + co2 + purchase``; ``energy`` prices the
    electricity and gas, ``co2`` the CO2 price on their emissions.
    """

    owner: str
    item: str
    partner: str | None
    building: bool
    service: str
    investment_eur: float
    annuity_eur_per_yr: float
    om_eur_per_yr: float
    energy_eur_per_yr: float
    co2_eur_per_yr: float
    purchase_eur_per_yr: float
    electricity_kwh_per_yr: float
    gas_m3_per_yr: float
    co2_t_per_yr: float

    @property
    def total_eur_per_yr(self) -> float:
        """Sum of all annual parts [EUR/yr]."""
        return (
            self.annuity_eur_per_yr
            + self.om_eur_per_yr
            + self.energy_eur_per_yr
            + self.co2_eur_per_yr
            + self.purchase_eur_per_yr
        )


@dataclass(frozen=True)
class Totals:
    """Totals of a design or of the reference.

    Attributes
    ----------
    cost_eur_per_yr
        Total annualised cost [EUR/yr].
    investment_eur
        Total investment [EUR].
    operating_eur_per_yr
        O&M + energy + CO2 + heat bought [EUR/yr].
    electricity_mwh_per_yr, gas_m3_per_yr, co2_t_per_yr
        Annual energy use and emissions.

    """

    cost_eur_per_yr: float
    investment_eur: float
    operating_eur_per_yr: float
    electricity_mwh_per_yr: float
    gas_m3_per_yr: float
    co2_t_per_yr: float

    @classmethod
    def of(cls, lines: tuple[CostLine, ...]) -> Totals:
        """Sum cost lines."""
        return cls(
            cost_eur_per_yr=sum(c.total_eur_per_yr for c in lines),
            investment_eur=sum(c.investment_eur for c in lines),
            operating_eur_per_yr=sum(c.total_eur_per_yr - c.annuity_eur_per_yr for c in lines),
            electricity_mwh_per_yr=sum(c.electricity_kwh_per_yr for c in lines) / 1000.0,
            gas_m3_per_yr=sum(c.gas_m3_per_yr for c in lines),
            co2_t_per_yr=sum(c.co2_t_per_yr for c in lines),
        )


@dataclass(frozen=True)
class BuildingDesign:
    """Design of one building.

    Attributes
    ----------
    building_id, partner
        Identity.
    connected
        Joins the grid.
    heat_pump_kw, network_cooling_kw
        Loop-side booster heat pump and cooling unit (free-cooling exchanger or chiller) [kW].
    reference_heating
        Technology of its own heating (``gas_boiler``, ``air_source_heat_pump``, ``none``).
    reference_heating_kw, reference_cooling_kw
        Own units (the whole supply when not connected; peak backup when connected) [kW].
    heat_demand_mwh_per_yr, cool_demand_mwh_per_yr
        Demand (space heating + hot water; cooling) [MWh/yr].
    heat_from_grid_mwh_per_yr, cold_from_grid_mwh_per_yr
        Part of the demand served through the loop [MWh/yr].
    loop_extraction_mwh_per_yr, loop_injection_mwh_per_yr
        Heat taken from / put into the loop [MWh/yr].
    cost_eur_per_yr
        The building's own items (units and their energy) [EUR/yr]; shared network costs are
        not included (they are reported apart and shared by the allocation rules).
    reference_cost_eur_per_yr
        Cost of the building on its own supply [EUR/yr] (NaN if it has none).

    """

    building_id: str
    partner: str
    connected: bool
    heat_pump_kw: float
    network_cooling_kw: float
    reference_heating: str
    reference_heating_kw: float
    reference_cooling_kw: float
    heat_demand_mwh_per_yr: float
    cool_demand_mwh_per_yr: float
    heat_from_grid_mwh_per_yr: float
    cold_from_grid_mwh_per_yr: float
    loop_extraction_mwh_per_yr: float
    loop_injection_mwh_per_yr: float
    cost_eur_per_yr: float
    reference_cost_eur_per_yr: float


@dataclass(frozen=True)
class EdgeDesign:
    """A candidate trench and the pipe size chosen for it (``dn_mm`` None: not built).

    Flows are the largest over the modelled steps; ``mdot`` = heat / (cp x loop spread).
    ``parallel_pipes``: identical pipes of ``dn_mm`` side by side per line (1: one pipe, 0:
    not built); capacities are those of all of them.
    """

    from_id: str
    to_id: str
    length_m: float
    dn_mm: int | None
    parallel_pipes: int
    capacity_kw: float
    capacity_mdot_kg_per_s: float
    peak_flow_kw: float
    peak_mdot_kg_per_s: float

    @property
    def built(self) -> bool:
        """Whether the trench is built."""
        return self.dn_mm is not None


@dataclass(frozen=True)
class PlantDesign:
    """A balancing unit or central plant: capacity and annual heat exchanged with the loop.

    ``capacity_kw`` is kWh for thermal storage. ``heat_from_loop_mwh_per_yr``: heat it took
    from the loop (ATES charging, dry cooler, storage charging); ``heat_to_loop_mwh_per_yr``:
    heat it gave. ``balance_ratio`` (ATES only): ``|in - out| / max(in, out)``.
    """

    plant_id: str
    kind: str
    partner: str | None
    capacity_kw: float
    heat_from_loop_mwh_per_yr: float
    heat_to_loop_mwh_per_yr: float
    balance_ratio: float = float("nan")


@dataclass(frozen=True)
class SolveReport:
    """How the design was solved.

    Attributes
    ----------
    solver, status
        Solver name and ``optimal`` or ``time_limit``.
    objective_eur_per_yr, bound_eur_per_yr
        Objective of the design and the solver's lower bound [EUR/yr] (NaN when unknown).
    gap
        Relative gap between them [-] (NaN when unknown).
    build_time_s, solve_time_s
        Wall time of the model build and of all solver calls [s].
    n_solves
        Solver calls.
    variables, binaries, constraints
        Model size.
    """

    solver: str = ""
    status: str = ""
    objective_eur_per_yr: float = float("nan")
    bound_eur_per_yr: float = float("nan")
    gap: float = float("nan")
    build_time_s: float = float("nan")
    solve_time_s: float = float("nan")
    n_solves: int = 0
    variables: int = 0
    binaries: int = 0
    constraints: int = 0


@dataclass(frozen=True)
class SizingResult:
    """Everything a sizing run decided and what it costs.

    Attributes
    ----------
    buildings, edges, plants
        The design.
    costs
        Cost lines of the design.
    reference_costs
        Cost lines of the all-reference case (empty when some building has no reference).
    design, reference
        Totals (``reference`` is None when it does not exist).
    lcoh_eur_per_mwh, lcoc_eur_per_mwh
        Levelised cost of heat and of cold of the design [EUR/MWh]: heat (cold) items plus
        the shared items split by the loop energy (extraction vs injection), divided by the
        annual heat (cooling) demand.
    npv_eur
        Net present value versus the reference [EUR]: annual cost saving x annuity factor
        over ``horizon_yr``.
    simple_payback_yr
        Extra investment / annual operating saving [yr] (inf when nothing is saved, 0 when
        the design needs no extra investment).
    horizon_yr
        Horizon of the NPV [yr].
    solve
        Solver, status, objective, bound, gap, times, model size.
    periods
        Time steps used (number, aggregation error).
    options
        The model switches.
    soil_gain_mwh_per_yr
        Heat the built trenches gain from the soil [MWh/yr] (< 0: lost; 0 without soil physics).

    """

    buildings: tuple[BuildingDesign, ...]
    edges: tuple[EdgeDesign, ...]
    plants: tuple[PlantDesign, ...]
    costs: tuple[CostLine, ...]
    reference_costs: tuple[CostLine, ...]
    design: Totals
    reference: Totals | None
    lcoh_eur_per_mwh: float
    lcoc_eur_per_mwh: float
    npv_eur: float
    simple_payback_yr: float
    horizon_yr: float
    solve: SolveReport = field(default_factory=SolveReport)
    periods: dict[str, object] = field(default_factory=dict)
    options: dict[str, object] = field(default_factory=dict)
    soil_gain_mwh_per_yr: float = 0.0

    @property
    def total_cost_eur_per_yr(self) -> float:
        """Total annualised cost of the design [EUR/yr]."""
        return self.design.cost_eur_per_yr

    @property
    def connected_buildings(self) -> tuple[str, ...]:
        """Ids of the buildings that join the grid."""
        return tuple(b.building_id for b in self.buildings if b.connected)

    def building(self, building_id: str) -> BuildingDesign:
        """Return one building's design."""
        for b in self.buildings:
            if b.building_id == building_id:
                return b
        raise KeyError(building_id)

    def design_edges(self) -> pd.DataFrame:
        """Built trenches as an edge table for :func:`grid.network.build_network`.

        Returns
        -------
        pandas.DataFrame
            Columns ``from_id``, ``to_id``, ``length_m`` [m], ``dn_mm``, ``parallel_pipes``.

        """
        cols = ["from_id", "to_id", "length_m", "dn_mm", "parallel_pipes"]
        rows = [{c: getattr(e, c) for c in cols} for e in self.edges if e.built]
        return pd.DataFrame(rows, columns=cols)

    def cost_table(self) -> pd.DataFrame:
        """One row per cost line (design), with ``total_eur_per_yr``."""
        rows = [{**asdict(c), "total_eur_per_yr": c.total_eur_per_yr} for c in self.costs]
        return pd.DataFrame(rows)

    def cost_by_component(self) -> pd.DataFrame:
        """Annual cost per item kind (heat pumps, pipes, ATES, ...) [EUR/yr, EUR]."""
        table = self.cost_table()
        cols = [
            "investment_eur",
            "annuity_eur_per_yr",
            "om_eur_per_yr",
            "energy_eur_per_yr",
            "co2_eur_per_yr",
            "purchase_eur_per_yr",
            "total_eur_per_yr",
        ]
        return table.groupby("item", sort=False)[cols].sum()

    def cost_by_building(self) -> pd.DataFrame:
        """Per building: design cost of its own items, reference cost and saving [EUR/yr]."""
        rows = [
            {
                "building_id": b.building_id,
                "partner": b.partner,
                "connected": b.connected,
                "cost_eur_per_yr": b.cost_eur_per_yr,
                "reference_cost_eur_per_yr": b.reference_cost_eur_per_yr,
                "saving_before_shared_eur_per_yr": b.reference_cost_eur_per_yr - b.cost_eur_per_yr,
            }
            for b in self.buildings
        ]
        return pd.DataFrame(rows).set_index("building_id")

    def cost_by_partner(self) -> pd.DataFrame:
        """Per partner: own buildings, owned assets; unowned shared items under ``(shared)``."""
        table = self.cost_table()
        table["partner"] = table["partner"].fillna("(shared)")
        ref = pd.DataFrame(
            [
                {"partner": c.partner or "(shared)", "ref": c.total_eur_per_yr}
                for c in self.reference_costs
            ],
            columns=["partner", "ref"],
        )
        out = table.groupby("partner", sort=False).agg(
            investment_eur=("investment_eur", "sum"), cost_eur_per_yr=("total_eur_per_yr", "sum")
        )
        out["reference_cost_eur_per_yr"] = (
            ref.groupby("partner")["ref"].sum().reindex(out.index).fillna(0.0)
        )
        return out

    def to_json_dict(self) -> dict[str, object]:
        """Plain JSON-serialisable form (NaN and inf become None)."""

        def clean(value: object) -> object:
            if isinstance(value, float) and not math.isfinite(value):
                return None
            if isinstance(value, dict):
                return {str(k): clean(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [clean(v) for v in value]
            return value

        doc = {
            "total_cost_eur_per_yr": self.design.cost_eur_per_yr,
            "reference_cost_eur_per_yr": None
            if self.reference is None
            else self.reference.cost_eur_per_yr,
            "connected_buildings": list(self.connected_buildings),
            "design": asdict(self.design),
            "reference": None if self.reference is None else asdict(self.reference),
            "lcoh_eur_per_mwh": self.lcoh_eur_per_mwh,
            "lcoc_eur_per_mwh": self.lcoc_eur_per_mwh,
            "npv_eur": self.npv_eur,
            "simple_payback_yr": self.simple_payback_yr,
            "horizon_yr": self.horizon_yr,
            "buildings": [asdict(b) for b in self.buildings],
            "edges": [{**asdict(e), "built": e.built} for e in self.edges],
            "plants": [asdict(p) for p in self.plants],
            "costs": [{**asdict(c), "total_eur_per_yr": c.total_eur_per_yr} for c in self.costs],
            "solve": asdict(self.solve),
            "periods": self.periods,
            "options": self.options,
            "soil_gain_mwh_per_yr": self.soil_gain_mwh_per_yr,
        }
        return clean(doc)  # type: ignore[return-value]
