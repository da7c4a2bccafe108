"""English texts of the report and of ``tsg summary`` (key -> text with ``{placeholders}``)."""

TEXTS: dict[str, str] = {
    # page
    "page.title": "{name}: thermal smart grid report",
    "page.kind": "Thermal smart grid report",
    "page.district": "district {id}",
    "page.run": "run {created} UTC",
    "page.toolkit": "tsg {version}",
    "page.contents": "contents",
    "page.not_readable": "Not readable: {problem}",
    "page.not_shown": "Not shown: {error}",
    "page.unexpected": "Not shown: the stage files have an unexpected shape ({kind}: {error}).",
    "page.full_table": "{shown} of {total} rows shown; the full table is {file}.",
    # sections
    "section.decision": "Decision",
    "section.summary": "District summary",
    "section.demand": "Demand profiles",
    "section.network": "Network map",
    "section.simulation": "Annual simulation",
    "section.design": "Design and costs",
    "section.allocation": "Cost allocation",
    "section.stakeholders": "Stakeholders",
    "section.barriers": "Barrier register",
    "section.accountability": "Accountability",
    "section.scaling": "Scaling",
    "section.provenance": "Provenance",
    # decision page
    "decision.h_build": "Should the grid be built?",
    "decision.h_partners": "What each partner pays and saves",
    "decision.h_barriers": "Open barriers",
    "decision.no_sizing": "The sizing did not run: there is no design cost to compare with the "
    "reference supply.",
    "decision.build_yes": "Build the grid: the design costs {design} EUR/yr, {saving} EUR/yr less "
    "than the reference supply ({reference} EUR/yr).",
    "decision.build_no": "Do not build the grid as designed: it costs {design} EUR/yr, {extra} "
    "EUR/yr more than the reference supply ({reference} EUR/yr).",
    "decision.build_undecided": "Undecided within solver tolerance: the design ({design} EUR/yr) "
    "and the reference ({reference} EUR/yr) differ by less than the sizing's MIP gap "
    "({tolerance} EUR/yr).",
    "decision.costs_caption": "What the grid costs and saves per year, against the reference "
    "supply of every building on its own",
    "decision.col_quantity": "quantity",
    "decision.col_grid": "with the grid",
    "decision.col_reference": "reference",
    "decision.col_saving": "saving",
    "decision.col_unit": "unit",
    "decision.row_cost": "annual cost",
    "decision.row_investment": "investment",
    "decision.row_gas": "gas use",
    "decision.row_co2": "CO2 emissions",
    "decision.row_electricity": "electricity use",
    "decision.no_allocation": "The cost allocation did not run: no cost per partner yet.",
    "decision.partners_intro": "Costs shared by the {rule} rule; other rules ({others}):",
    "decision.all_rules": "all rules",
    "decision.col_partner": "partner",
    "decision.col_buildings": "buildings",
    "decision.col_alone": "pays alone [EUR/yr]",
    "decision.col_pays": "pays in the grid, {rule} [EUR/yr]",
    "decision.col_saves": "saves [EUR/yr]",
    "decision.player_counts": "Why partner counts differ: the district names {partners} "
    "partners; {players} of them own buildings or assets and share the cost. {outside} own "
    "neither and are not players of the allocation: {names}.",
    "decision.no_open_barriers": "No open barriers in the district file.",
    "decision.open_barriers": "{n} barriers not resolved",
    # stability
    "stability.stable": "The alliance is stable: no group of partners would pay less on its "
    "own (least-core epsilon {epsilon} EUR/yr, beyond the solver tolerance of {tolerance} "
    "EUR/yr).",
    "stability.unstable": "The alliance is not stable (core EMPTY): some group of partners "
    "would pay {epsilon} EUR/yr less on its own, more than the solver tolerance of {tolerance} "
    "EUR/yr.",
    "stability.undecided": "Stability undecided within solver tolerance: the least-core "
    "epsilon ({epsilon} EUR/yr) is smaller than the cost uncertainty from the MIP gaps "
    "({tolerance} EUR/yr).",
    "stability.unknown": "Stability unknown: the allocation gives no least-core epsilon.",
    "stability.rule_in_core": "The {rule} allocation is in the core.",
    "stability.rule_not_in_core": "The {rule} allocation is not in the core: some group would "
    "rather leave.",
    # barriers
    "barrier.col_id": "barrier",
    "barrier.col_type": "type",
    "barrier.col_status": "status",
    "barrier.col_description": "description",
    "barrier.col_owner": "owner",
    # allocation rules
    "rule.shapley": "Shapley value",
    "rule.nucleolus": "nucleolus",
    "rule.scrb": "separable costs, remaining benefits",
    "rule.equal_savings": "equal savings",
    "rule.equal_split": "equal split",
    "rule.proportional": "proportional to demand",
    "rule.least_core": "least core",
    # tsg summary
    "summary.run_folder": "run folder: {path}",
    "summary.demand": "Demand (indicators.csv)",
    "summary.allocation": "Cost allocation (allocation/allocation.json)",
    "summary.core": "core",
    "summary.core_nonempty": "non-empty",
    "summary.core_empty": "EMPTY",
    "summary.epsilon": "least-core epsilon",
    "summary.in_core": "rules in the core",
    "summary.not_in_core": "rules not in the core",
    "summary.none": "none",
    "summary.not_run": "not run: {stages}",
    "summary.report": "report: {path}",
    "summary.empty": "(empty)",
    "summary.no_figures": "(no key figures)",
    "summary.more": "... {n} more in {file}",
    "summary.not_readable": "not readable: {reason}",
    "summary.decision": "Decision",
}
