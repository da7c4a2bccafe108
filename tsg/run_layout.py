"""The run folder as code: every file a run writes, where it goes and its columns.

Writers (the stages, ``tsg allocate``, ``tsg scale``, the report) and readers (the report,
``tsg summary``) name run files only through the :class:`OutputFile` constants of this module,
so a file cannot be written under one name and read under another, and a table cannot gain or
lose a column on one side only (``tests/test_run_folder_round_trip.py`` writes a run with every
stage and checks each file against this module).

Layout of ``tsg run DISTRICT --out DIR``::

    DIR/district.json, profiles.csv, profiles.parquet, summary.csv, indicators.csv,
        plots/, manifest.json, report.html
    DIR/simulation/   annual network simulation of the existing buildings
    DIR/sizing/       optimised design, its costs and its verification by simulation;
                      replay.json and thresholds.csv when the district file has ``replay``
    DIR/allocation/   coalition game and sharing rules
    DIR/scaling/      scenarios.json and one folder per scenario (translate-<n>/, spreading/,
                      minimum-scale/); ``tsg scale ... --out DIR`` writes one scenario's files
                      into DIR/scaling/
"""

from __future__ import annotations

from pathlib import PurePosixPath

from tsg.output_file import OutputFile

__all__ = [
    "ALLOCATION_COLUMNS",
    "CHECK_COLUMNS",
    "RULES_COLUMNS",
    "RUN_FILES",
    "SCALING_SCENARIO_FILES",
    "THRESHOLD_COLUMNS",
    "STAGE_FOLDERS",
    "RUN_MARKERS",
    "OutputFile",
]


#: Columns of the design-check tables (as ``tsg.grid.design_checks.CHECK_COLUMNS``; the
#: writers check every table against its columns, so the two cannot drift apart silently).
CHECK_COLUMNS = ("check", "element", "element_id", "line", "hour", "time", "value", "limit", "unit")

#: Stage folders of a run folder.
STAGE_FOLDERS = ("simulation", "sizing", "allocation", "scaling")

# --- top level: district and demand -------------------------------------------------------
DISTRICT = OutputFile("district.json", "the validated district file (JSON)")
PROFILES_CSV = OutputFile(
    "profiles.csv",
    "hourly demand [kW thermal, hourly mean]; time is ISO 8601 with UTC offset, hour start",
    columns=("time",),
    more_columns="<building_id>.<heat_kw|dhw_kw|cool_kw>",
)
PROFILES_PARQUET = OutputFile(
    "profiles.parquet", "the same table as profiles.csv (time as timestamps)", columns=("time",)
)
SUMMARY = OutputFile(
    "summary.csv",
    "annual demand and peaks per building, plus a TOTAL row (peaks of the summed profile)",
    columns=(
        "building_id",
        "space_heat_mwh_per_yr",
        "dhw_mwh_per_yr",
        "heat_mwh_per_yr",
        "cool_mwh_per_yr",
        "peak_heat_kw",
        "peak_cool_kw",
        "full_load_hours_heat_h",
        "full_load_hours_cool_h",
    ),
)
INDICATORS = OutputFile(
    "indicators.csv", "district indicators", columns=("indicator", "value", "unit")
)
PLOTS = "plots"
LOAD_DURATION = OutputFile("plots/load_duration.png", "load-duration curves of the district")
MONTHLY_DEMAND = OutputFile("plots/monthly_demand.png", "monthly heat and cooling demand")
MANIFEST = OutputFile("manifest.json", "SHA-256 of every input and output, versions, seed, command")
REPORT = OutputFile("report.html", "the self-contained HTML report")
REPORT_PDF = OutputFile("report.pdf", "the report printed to A4 (tsg report --pdf only)")

# --- simulation ---------------------------------------------------------------------------
SIMULATION_SUMMARY = OutputFile(
    "simulation/annual_summary.json",
    "energy balance, ATES balance, direct-exchange share, pump energy of the simulated year; "
    "design_checks: the design limits and per element and check the hours violated, worst "
    "value, limit and unit",
)
SIMULATION_CHECKS = OutputFile(
    "simulation/design_checks.csv",
    "every violation of the design limits, per element and hour",
    columns=CHECK_COLUMNS,
)
SIMULATION_GEOJSON = OutputFile("simulation/network.geojson", "the network (WGS84, QGIS)")
SIMULATION_PANDAPIPES = OutputFile(
    "simulation/network.pandapipes.json", "the pandapipes net (pandapipes.from_json)"
)
SIMULATION_NODES = OutputFile("simulation/hourly_nodes.parquet", "per hour and junction")
SIMULATION_PIPES = OutputFile("simulation/hourly_pipes.parquet", "per hour and pipe")
SIMULATION_BUILDINGS = OutputFile("simulation/hourly_buildings.parquet", "per hour and building")
SIMULATION_HOURS = OutputFile("simulation/hourly_network.parquet", "per hour, whole network")
SIMULATION_MAP = OutputFile("simulation/network_map.png", "map of the simulated network")
SIMULATION_TEMPERATURES = OutputFile("simulation/temperatures.png", "line temperatures")
SIMULATION_BALANCING = OutputFile(
    "simulation/balancing_load_duration.png", "load-duration curve of the balancing unit"
)

# --- sizing -------------------------------------------------------------------------------
#: The parts of a cost item [EUR, EUR/yr], in the order of the cost tables.
COST_PARTS = (
    "investment_eur",
    "annuity_eur_per_yr",
    "om_eur_per_yr",
    "energy_eur_per_yr",
    "co2_eur_per_yr",
    "purchase_eur_per_yr",
)
DESIGN = OutputFile("sizing/design.json", "the optimised design: connections, sizes, costs")
COSTS_BY_COMPONENT = OutputFile(
    "sizing/costs_by_component.csv",
    "annual cost per component [EUR, EUR/yr]",
    columns=("item", *COST_PARTS, "total_eur_per_yr"),
)
COSTS_BY_BUILDING = OutputFile(
    "sizing/costs_by_building.csv",
    "annual cost per building against its reference supply [EUR/yr]",
    columns=(
        "building_id",
        "partner",
        "connected",
        "cost_eur_per_yr",
        "reference_cost_eur_per_yr",
        "saving_before_shared_eur_per_yr",
    ),
)
COSTS_BY_PARTNER = OutputFile(
    "sizing/costs_by_partner.csv",
    "investment and annual cost per partner [EUR, EUR/yr]",
    columns=("partner", "investment_eur", "cost_eur_per_yr", "reference_cost_eur_per_yr"),
)
COST_LINES = OutputFile(
    "sizing/cost_lines.csv",
    "every cost item of the design",
    columns=(
        "owner",
        "item",
        "partner",
        "building",
        "service",
        *COST_PARTS,
        "electricity_kwh_per_yr",
        "gas_m3_per_yr",
        "co2_t_per_yr",
        "total_eur_per_yr",
    ),
)
EDGES = OutputFile(
    "sizing/edges.csv",
    "DN per trench of the candidate network (parallel_pipes: pipes of that DN side by side per "
    "line, 0 where not built)",
    columns=(
        "from_id",
        "to_id",
        "length_m",
        "dn_mm",
        "parallel_pipes",
        "capacity_kw",
        "capacity_mdot_kg_per_s",
        "peak_flow_kw",
        "peak_mdot_kg_per_s",
        "built",
    ),
)
SENSITIVITY = OutputFile("sizing/sensitivity.csv", "re-solves with one parameter changed")
THRESHOLD_COLUMNS = (
    *("building_id", "parameter", "base_decision", "threshold_factor", "flips_to"),
    *("bracket_low", "bracket_high", "searched_to", "base_value", "threshold_value", "unit"),
    *("solves", "note"),
)
THRESHOLDS = OutputFile(
    "sizing/thresholds.csv",
    "replay: per building and parameter (pipe_cost, gas_price, demand) the factor [-] that "
    "flips its connection (empty: no flip within the range searched), found by bisection on "
    "cheap re-solves; base and threshold values in the unit given",
    columns=THRESHOLD_COLUMNS,
)
REPLAY = OutputFile(
    "sizing/replay.json",
    "replay: the historical decision against the optimiser's per building, the verdict, the "
    "settings of the threshold search",
)
COSTS_XLSX = OutputFile(
    "sizing/costs.xlsx", "the CSV tables of sizing/ as one Excel sheet each, units in headers"
)
SIZING_MAP = OutputFile("sizing/network_map.png", "map of the design")
SIZING_GEOJSON = OutputFile(
    "sizing/network.geojson",
    "the design in WGS84: trenches (DN, built, peak flow, cost), "
    "buildings and plants as points (layer property)",
)
SIZING_GPKG = OutputFile("sizing/network.gpkg", "the same as a GeoPackage (with pyogrio)")
SIZING_PANDAPIPES = OutputFile(
    "sizing/network_pandapipes.json",
    "the sized design as a pandapipes net (pandapipes.from_json), solved for the design hour",
)
VERIFICATION = OutputFile(
    "sizing/verification.json",
    "the design run through the annual simulation, compared; design_checks: the design limits "
    "and per element and check the hours violated, worst value, limit and unit",
)
VERIFICATION_CHECKS = OutputFile(
    "sizing/verification_checks.csv",
    "every violation of the design limits in the simulated design, per element and hour",
    columns=CHECK_COLUMNS,
)

# --- allocation ---------------------------------------------------------------------------
#: Columns of ``allocation.csv``, the same for ``tsg run`` and ``tsg allocate``.
ALLOCATION_COLUMNS = (
    "rule",
    "partner",
    "cost_eur_per_yr",
    "standalone_eur_per_yr",
    "standalone_low_eur_per_yr",
    "saving_eur_per_yr",
    "saving_pct",
    "co2_reduction_t_per_yr",
    "co2_reduction_share",
    "individually_rational",
    "rationality_margin_low_eur_per_yr",
    "rationality_margin_high_eur_per_yr",
)
#: Columns of ``rules.csv``: one row per rule, its verdicts within solver tolerance.
RULES_COLUMNS = tuple(
    "rule in_core individually_rational blocking_coalition excess_low_eur_per_yr "
    "excess_high_eur_per_yr surely_blocking possibly_blocking".split()
)
ALLOCATION_JSON = OutputFile(
    "allocation/allocation.json",
    "rule -> partner -> cost [EUR/yr]; core and per-rule verdicts (holds / fails / undecided "
    "within solver tolerance) with their bounds; why a partner is paid (negative share)",
)
ALLOCATION_TABLE = OutputFile(
    "allocation/allocation.csv",
    "one row per rule and partner: cost, stand-alone cost (design found and lower bound), "
    "saving, CO2, individual rationality (verdict and margin bounds) [EUR/yr]",
    columns=ALLOCATION_COLUMNS,
)
RULES_TABLE = OutputFile(
    "allocation/rules.csv",
    "one row per rule: in the core and individually rational (holds / fails / undecided "
    "within solver tolerance), most blocking coalition, its excess x(S) - c(S) bounds "
    "[EUR/yr], counts of surely and possibly blocking coalitions",
    columns=RULES_COLUMNS,
)
COALITION_COSTS = OutputFile(
    "allocation/coalition_costs.csv",
    "the cost game, readable by tsg allocate --costs [EUR/yr]",
    columns=("coalition", "cost"),
)
COALITION_SOLVES = OutputFile(
    "allocation/coalition_solves.csv",
    "per coalition: cost of the design found and proven lower bound [EUR/yr], status, final "
    "MIP gap [-], time of all its solves [s], re-solves at a tighter gap",
    columns=tuple(
        "coalition size cost_eur_per_yr lower_eur_per_yr status gap solve_time_s "
        "refinements".split()
    ),
)
ALLOCATION_META = OutputFile(
    "allocation/allocation_meta.json",
    "who was left out and why, options, refinement of the bounds (gap floor, time budget, "
    "re-solves, final gaps)",
)
ALLOCATION_CHART = OutputFile("allocation/allocation_chart.png", "cost per partner and rule")
ALLOCATION_XLSX = OutputFile(
    "allocation/allocation.xlsx", "the CSV tables of allocation/ as one Excel sheet each"
)

# --- scaling ------------------------------------------------------------------------------
SCENARIOS = OutputFile("scaling/scenarios.json", "what the scaling stage ran, headline numbers")
#: Folder of the scaling stage; scenario folders sit inside it.
SCALING = "scaling"

# Files of one scaling scenario, relative to the scenario's folder.
CONTEXT_COMPARISON_CSV = OutputFile(
    "context_comparison.csv",
    "success conditions of the reference checked in the target",
    columns=(
        "indicator",
        "reference",
        "target",
        "threshold",
        "reference_meets",
        "relative_difference",
        "status",
        "source",
    ),
)
CONTEXT_COMPARISON_JSON = OutputFile("context_comparison.json", "the same as JSON")
TRANSLATION_KPIS = OutputFile(
    "translation_kpis.csv",
    "KPIs of both sized districts side by side",
    columns=("kpi", "reference", "target", "difference"),
)
SPREADING_STEPS = OutputFile(
    "spreading_steps.csv",
    "KPIs per spreading step",
    columns=("step", "candidate", "partner", "beneficial", "marginal_saving_eur_per_yr"),
    more_columns="district KPIs of the step",
)
SPREADING_PARTNERS = OutputFile(
    "spreading_partners.csv",
    "per step and partner: own, shared and charged cost, stand-alone cost",
    columns=(
        "partner",
        "connected_buildings",
        "own_cost_eur_per_yr",
        "shared_cost_eur_per_yr",
        "charged_eur_per_yr",
        "standalone_cost_eur_per_yr",
        "would_stay_out",
        "step",
    ),
)
SPREADING_COALITIONS = OutputFile(
    "spreading_coalitions.csv", "per step: the coalitions of the core check"
)
SPREADING_CHART = OutputFile("spreading.png", "saving per step")
MINIMUM_SCALE_CURVE = OutputFile(
    "minimum_scale_curve.csv",
    "saving against the family parameter",
    columns=(
        "value",
        "saving_eur_per_yr",
        "saving_pct",
        "total_cost_eur_per_yr",
        "reference_cost_eur_per_yr",
        "demand_mwh_per_yr",
        "n_connected",
        "trench_m",
        "solve_time_s",
    ),
)
MINIMUM_SCALE_JSON = OutputFile("minimum_scale.json", "the break-even and the search")
MINIMUM_SCALE_CHART = OutputFile("minimum_scale.png", "saving against the family parameter")

#: Files that mark a folder as a run folder (any one is enough).
RUN_MARKERS = (DISTRICT.relative, SUMMARY.relative, INDICATORS.relative, MANIFEST.relative)

#: Files of one scaling scenario folder.
SCALING_SCENARIO_FILES: tuple[OutputFile, ...] = (
    CONTEXT_COMPARISON_CSV,
    CONTEXT_COMPARISON_JSON,
    TRANSLATION_KPIS,
    SPREADING_STEPS,
    SPREADING_PARTNERS,
    SPREADING_COALITIONS,
    SPREADING_CHART,
    MINIMUM_SCALE_CURVE,
    MINIMUM_SCALE_JSON,
    MINIMUM_SCALE_CHART,
)

#: Every file of a run folder outside the scenario folders, in the order defined above.
RUN_FILES: tuple[OutputFile, ...] = tuple(
    value
    for value in dict(globals()).values()
    if isinstance(value, OutputFile) and value not in SCALING_SCENARIO_FILES
)


def heatmap(building_id: str) -> OutputFile:
    """Day x hour heat map of one building's demand (``plots/heatmap_<building_id>.png``)."""
    return OutputFile(f"{PLOTS}/heatmap_{building_id}.png", f"day x hour demand of {building_id}")


def is_known_run_file(relative: str) -> bool:
    """Whether a path inside a run folder is one this module defines.

    Plots (``plots/*.png``, one heat map per building) and scenario files inside
    ``scaling/<scenario>/`` are matched by folder and name.
    """
    path = PurePosixPath(relative)
    if path.parent.as_posix() == PLOTS and path.name.startswith("heatmap_"):
        return path.suffix == ".png"
    if path.parts[0] == SCALING and len(path.parts) == 3:
        return path.name in {f.name for f in SCALING_SCENARIO_FILES}
    return relative in {f.relative for f in RUN_FILES}
