"""Nederlandse teksten van het rapport en van ``tsg summary`` (sleutel -> tekst)."""

TEXTS: dict[str, str] = {
    # page
    "page.title": "{name}: rapport thermisch smart grid",
    "page.kind": "Rapport thermisch smart grid",
    "page.district": "wijk {id}",
    "page.run": "berekend {created} UTC",
    "page.toolkit": "tsg {version}",
    "page.contents": "inhoud",
    "page.not_readable": "Niet leesbaar: {problem}",
    "page.not_shown": "Niet getoond: {error}",
    "page.unexpected": "Niet getoond: de bestanden van deze stap hebben een onverwachte vorm "
    "({kind}: {error}).",
    "page.full_table": "{shown} van {total} rijen getoond; de volledige tabel staat in {file}.",
    # sections
    "section.decision": "Besluit",
    "section.summary": "Samenvatting van de wijk",
    "section.demand": "Vraagprofielen",
    "section.network": "Netkaart",
    "section.simulation": "Jaarsimulatie",
    "section.design": "Ontwerp en kosten",
    "section.allocation": "Kostenverdeling",
    "section.stakeholders": "Belanghebbenden",
    "section.barriers": "Knelpuntenregister",
    "section.accountability": "Verantwoording",
    "section.scaling": "Opschaling",
    "section.provenance": "Herkomst",
    # decision page
    "decision.h_build": "Moet het net worden aangelegd?",
    "decision.h_partners": "Wat elke partner betaalt en bespaart",
    "decision.h_barriers": "Open knelpunten",
    "decision.no_sizing": "De dimensionering is niet uitgevoerd: er zijn geen ontwerpkosten om "
    "met de referentievoorziening te vergelijken.",
    "decision.build_yes": "Leg het net aan: het ontwerp kost {design} EUR/jr, {saving} EUR/jr "
    "minder dan de referentievoorziening ({reference} EUR/jr).",
    "decision.build_no": "Leg het net niet aan zoals ontworpen: het kost {design} EUR/jr, "
    "{extra} EUR/jr meer dan de referentievoorziening ({reference} EUR/jr).",
    "decision.build_undecided": "Onbeslist binnen de oplosnauwkeurigheid: ontwerp ({design} "
    "EUR/jr) en referentie ({reference} EUR/jr) verschillen minder dan de MIP-gap van de "
    "dimensionering ({tolerance} EUR/jr).",
    "decision.costs_caption": "Wat het net per jaar kost en bespaart, tegenover de "
    "referentievoorziening van elk gebouw apart",
    "decision.col_quantity": "grootheid",
    "decision.col_grid": "met het net",
    "decision.col_reference": "referentie",
    "decision.col_saving": "besparing",
    "decision.col_unit": "eenheid",
    "decision.row_cost": "jaarkosten",
    "decision.row_investment": "investering",
    "decision.row_gas": "gasverbruik",
    "decision.row_co2": "CO2-uitstoot",
    "decision.row_electricity": "elektriciteitsverbruik",
    "decision.no_allocation": "De kostenverdeling is niet uitgevoerd: nog geen kosten per partner.",
    "decision.partners_intro": "Kosten verdeeld volgens {rule}; andere regels ({others}):",
    "decision.all_rules": "alle regels",
    "decision.col_partner": "partner",
    "decision.col_buildings": "gebouwen",
    "decision.col_alone": "betaalt alleen [EUR/jr]",
    "decision.col_pays": "betaalt in het net, {rule} [EUR/jr]",
    "decision.col_saves": "bespaart [EUR/jr]",
    "decision.player_counts": "Waarom het aantal partners verschilt: de wijk noemt {partners} "
    "partners; {players} daarvan bezitten een gebouw of installatie (bron) van het "
    "gedimensioneerde ontwerp en delen in de kosten. {outside} bezitten geen van beide in het "
    "ontwerp en doen niet mee in de kostenverdeling: {names}.",
    "decision.no_open_barriers": "Geen open knelpunten in het wijkbestand.",
    "decision.open_barriers": "{n} knelpunten niet opgelost",
    # stability
    "stability.stable": "De alliantie is stabiel: geen groep partners zou alleen minder "
    "betalen (least-core epsilon {epsilon} EUR/jr, groter dan de oplosnauwkeurigheid van "
    "{tolerance} EUR/jr).",
    "stability.unstable": "De alliantie is niet stabiel (core LEEG): een groep partners zou "
    "alleen {epsilon} EUR/jr minder betalen, meer dan de oplosnauwkeurigheid van {tolerance} "
    "EUR/jr.",
    "stability.undecided": "Stabiliteit onbeslist binnen de oplosnauwkeurigheid: de least-core "
    "epsilon ({epsilon} EUR/jr) is kleiner dan de kostenonzekerheid door de MIP-gaps "
    "({tolerance} EUR/jr).",
    "stability.unknown": "Stabiliteit onbekend: de kostenverdeling geeft geen least-core epsilon.",
    "stability.rule_in_core": "De verdeling volgens {rule} ligt in de core.",
    "stability.rule_not_in_core": "De verdeling volgens {rule} ligt niet in de core: een groep "
    "zou liever uittreden.",
    # barriers
    "barrier.col_id": "knelpunt",
    "barrier.col_type": "soort",
    "barrier.col_status": "status",
    "barrier.col_description": "omschrijving",
    "barrier.col_owner": "eigenaar",
    # allocation rules
    "rule.shapley": "Shapley-waarde",
    "rule.nucleolus": "nucleolus",
    "rule.scrb": "scheidbare kosten, resterende baten",
    "rule.equal_savings": "gelijke besparing",
    "rule.equal_split": "gelijke delen",
    "rule.proportional": "naar rato van de vraag",
    "rule.least_core": "least core",
    # tsg summary
    "summary.run_folder": "rekenmap: {path}",
    "summary.demand": "Vraag (indicators.csv)",
    "summary.allocation": "Kostenverdeling (allocation/allocation.json)",
    "summary.core": "core",
    "summary.core_nonempty": "niet leeg",
    "summary.core_empty": "LEEG",
    "summary.epsilon": "least-core epsilon",
    "summary.in_core": "regels in de core",
    "summary.not_in_core": "regels niet in de core",
    "summary.none": "geen",
    "summary.not_run": "niet uitgevoerd: {stages}",
    "summary.report": "rapport: {path}",
    "summary.empty": "(leeg)",
    "summary.no_figures": "(geen kerncijfers)",
    "summary.more": "... nog {n} in {file}",
    "summary.not_readable": "niet leesbaar: {reason}",
    "summary.decision": "Besluit",
    "summary_section.missing": "Geen district.json of summary.csv in de rekenmap.",
    "card.heat_mwh_per_yr": "warmtevraag (ruimte + tapwater)",
    "card.cool_mwh_per_yr": "koudevraag",
    "card.exchangeable_mwh_per_yr": "direct uitwisselbaar",
    "card.demand_overlap": "overlap van de vraag",
    "card.peak_heat_kw": "piek warmte",
    "card.peak_cool_kw": "piek koude",
    "card.buildings": "gebouwen",
    "card.partners": "partners (alle in de wijk genoemd)",
    "summary_section.loop": "Tweepijps lagetemperatuurnet: warme leiding {warm} degC, koude "
    "leiding {cold} degC.",
    "table.total": "Totaal",
    "buildings.col_building": "gebouw",
    "buildings.col_partner": "partner",
    "buildings.col_archetype": "type",
    "buildings.col_phase": "fase",
    "buildings.col_area": "vloeroppervlak [m2]",
    "buildings.col_heat": "warmte [MWh/jr]",
    "buildings.col_cool": "koude [MWh/jr]",
    "buildings.col_peak_heat": "piek warmte [kW]",
    "buildings.col_peak_cool": "piek koude [kW]",
    "buildings.caption": "Gebouwen (warmte = ruimteverwarming + tapwater; de pieken in de "
    "totaalrij zijn pieken van het opgetelde profiel)",
    "demand.missing": "Geen profielen in de rekenmap (de vraagstap is niet uitgevoerd).",
    "demand.intro": "Uurlijkse vraag van elk gebouw, opgeteld over de wijk. Hieronder "
    "daggemiddelden; de uurwaarden staan in profiles.csv en profiles.parquet, warmtekaarten "
    "per gebouw in plots/.",
    "demand.daily_caption": "Daggemiddelde vraag van de wijk. Direct uitwisselbaar: het "
    "daggemiddelde van min(warmte, koude) per uur, bruikbaar zonder opslag.",
    "demand.duration_caption": "Belastingduurkrommen: uurlijkse vraag van de wijk, gesorteerd "
    "vanaf het hoogste uur.",
    "demand.buildings_caption": "Jaarvraag per gebouw",
    "demand.largest": " (de {n} grootste van {total}).",
    "demand.indicators": "Indicatoren",
    "table.quantity": "grootheid",
    "table.value": "waarde",
    "table.unit": "eenheid",
    "network.caption": "Leidingen uit simulation/network.geojson: dikte naar nominale "
    "diameter, pijl in de richting van de piekstroom. Beweeg over een leiding of gebouw voor "
    "de cijfers.",
    "network.missing": "Geen net gesimuleerd en geen locaties van gebouwen bekend.",
    "network.site_note": "De netsimulatie is niet uitgevoerd (geen "
    "simulation/network.geojson); alleen een situatieschets van gebouwen en bronnen.",
    "network.site_caption": "Gebouwen en bronnen uit het wijkbestand.",
    "stakeholders.missing": "De wijk noemt geen partners.",
    "stakeholders.manage": "nauw betrekken",
    "stakeholders.satisfy": "tevreden houden",
    "stakeholders.inform": "informeren",
    "stakeholders.monitor": "volgen",
    "level.high": "hoog",
    "level.medium": "middel",
    "level.low": "laag",
    "stakeholders.grid_caption": "Invloed (rijen) tegen belang bij het net (kolommen)",
    "partners.col_partner": "partner",
    "partners.col_role": "rol",
    "partners.col_influence": "invloed",
    "partners.col_interest": "belang",
    "partners.col_interests": "belangen",
    "partners.col_buildings": "gebouwen",
    "partners.col_heat": "warmte [MWh/jr]",
    "partners.col_cool": "koude [MWh/jr]",
    "partners.caption": "Partners: rollen, belangen en de vraag van hun gebouwen",
    "barriers.missing": "Het wijkbestand noemt geen knelpunten.",
    "barriers.count": "{kind} {n} ({open} open)",
    "barrier.col_parameter": "scenarioparameter",
    "barriers.by_type": "Per soort: {counts}.",
}
