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
    "summary.core_undecided": "onbeslist binnen de oplosnauwkeurigheid",
    "summary.undecided_rules": "regels onbeslist binnen de oplosnauwkeurigheid",
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
    "checks.col_limit": "ontwerpgrens",
    "checks.limits": "Ontwerpgrenzen",
    "checks.none": "Geen ontwerpgrens wordt in enig geldig uur overschreden.",
    "checks.col_element": "element",
    "checks.col_check": "toets",
    "checks.col_hours": "uren overschreden [h]",
    "checks.col_worst": "slechtste waarde",
    "checks.col_limit_value": "grens",
    "checks.col_unit": "eenheid",
    "checks.caption": "Ontwerptoetsen: {pairs} combinaties van element en toets, {hours} "
    "overschreden elementuren",
    "checks.more": "Nog {n} combinaties van element en toets niet getoond; elke overschrijding"
    " per uur staat in",
    "checks.all": "Elke overschrijding per uur staat in",
    "table.first_rows": "Eerste {shown} van {total} rijen",
    "table.first_columns": "eerste {shown} van {total} kolommen",
    "table.full_table_is": "{what}; de volledige tabel staat in",
    "table.no_figures": "het bestand bevat geen cijfers om te tonen",
    "stage.not_object": "geen JSON-object; niet getoond",
    "stage.no_simulation": "De netsimulatie is niet uitgevoerd (geen map simulation/).",
    "stage.empty_simulation": "De map simulation/ bevat nog geen samenvatting of toetsen.",
    "stage.no_sizing": "De dimensionering is niet uitgevoerd (geen map sizing/).",
    "stage.empty_sizing": "De map sizing/ bevat nog geen ontwerp of kostentabellen.",
    "rounds.title": "Ontwerprondes met de jaarsimulatie",
    "rounds.round": "Ronde",
    "rounds.cost": "Kosten [EUR/jr]",
    "rounds.velocity": "Snelheid [u]",
    "rounds.gradient": "Drukverval [u]",
    "rounds.pump_head": "Opvoerhoogte gebouwpomp [u]",
    "rounds.other": "Overige controles [u]",
    "rounds.enlarged": "Sleuven vergroot",
    "rounds.solve_s": "Oplossen [s]",
    "rounds.how": "Ontwerp",
    "rounds.how_mip": "volledig opgelost",
    "rounds.how_repaired": "gerepareerd",
    "rounds.certify_s": "Laatste volledige oplossing [s]",
    "rounds.how_note": "Ronde 1 lost het volledige dimensioneringsmodel op. Latere rondes "
    "houden de vorige indeling met de vergrote sleuven aan en optimaliseren de rest opnieuw "
    "(gerepareerd). Het ontwerp waarop de lus eindigt, wordt getoetst door een volledige "
    "oplossing die ervan uitgaat: het blijft staan als de kosten binnen de tolerantie van de "
    "solver boven de ondergrens van die oplossing liggen; een goedkopere indeling zou in een "
    "volgende ronde worden gesimuleerd.",
    "rounds.buildable": "Na {n} ronde(s) blijft het gesimuleerde jaar binnen elke grens voor "
    "snelheid, drukverval en opvoerhoogte: het ontwerp is zo te bouwen.",
    "rounds.not_buildable": "Niet zo te bouwen: {reason}.",
    "operation.title": "De optimalisatie tegenover de gesimuleerde bedrijfsvoering van het ontwerp",
    "operation.quantity": "Grootheid",
    "operation.typical": "Optimalisatie, typische dagen",
    "operation.full_year": "Optimalisatie, heel jaar",
    "operation.simulation": "Simulatie",
    "operation.difference": "Simulatie t.o.v. typische dagen [%]",
    "operation.cost": "Jaarkosten [EUR/jr]",
    "operation.ates_to_loop": "WKO-warmte naar het net [MWh/jr]",
    "operation.ates_from_loop": "WKO-warmte uit het net [MWh/jr]",
    "operation.pumping": "Pompstroom [MWh/jr]",
    "operation.soil": "Warmte uit de bodem [MWh/jr]",
    "operation.lp": "De simulatie rekende elk uur zoals de optimalisatie het vaste ontwerp een "
    "heel jaar bedrijft; de gesimuleerde kosten prijzen dat jaar met de gesimuleerde pompstroom "
    "en WKO-warmte.",
    "operation.rules": "De simulatie rekende een inzet volgens vaste regels (de bedrijfsvoering "
    "van de optimalisatie over het hele jaar liep niet); geen gesimuleerde kosten.",
    "stage.no_scaling": "Geen opschalingsanalyse in deze berekening (het wijkbestand heeft "
    "geen onderdeel scaling).",
    "stage.empty_scaling": "De map scaling/ bevat nog geen tabellen.",
    "provenance.missing": "Geen manifest.json in de rekenmap.",
    "provenance.command": "opdracht",
    "provenance.created_utc": "gemaakt (UTC)",
    "provenance.toolkit_version": "versie van tsg",
    "provenance.python": "Python",
    "provenance.seed": "startwaarde van toevalstrekkingen",
    "provenance.item": "onderdeel",
    "provenance.input": "invoer",
    "provenance.path": "pad",
    "provenance.hash": "SHA-256 (eerste 16)",
    "provenance.inputs": "Invoer",
    "provenance.outputs": "{n} uitvoerbestanden staan met hun SHA-256 in manifest.json.",
    "chart.heat": "ruimteverwarming",
    "chart.dhw": "tapwater",
    "chart.cool": "koeling",
    "chart.exchange": "direct uitwisselbaar",
    "chart.daily_mean": "daggemiddelde [kW]",
    "chart.heat_total": "warmte (ruimte + tapwater)",
    "chart.district_kw": "vraag van de wijk [kW]",
    "chart.hours_above": "uren van het jaar op of boven",
    "chart.annual_mwh": "jaarvraag [MWh/jr]",
    "scaling.existing": "bestaand",
    "scaling.marginal": "extra besparing door de kandidaat (groen: gunstig, rood: kost geld)",
    "scaling.district_saving": "besparing van de wijk tegenover eigen voorziening",
    "scaling.saving_axis": "besparing [EUR/jr]",
    "scaling.step_axis": "stap: toegevoegde kandidaat",
    "scaling.translation": "Vertaling naar {target}",
    "scaling.conditions": "Succesvoorwaarden van de referentie in het doelgebied: {holds} "
    "gelden, {differs} wijken af, {fails} falen. Het doelgebied is gedimensioneerd met de "
    "lustemperaturen en technieken van de referentie.",
    "scaling.conditions_caption": "Voorwaarden",
    "scaling.kpis_caption": "Kerncijfers naast elkaar",
    "scaling.no_tables": "geen tabellen in {folder}",
    "scaling.spreading": "Uitbreiding",
    "scaling.spreading_not_run": "de uitbreidingsberekening is niet uitgevoerd",
    "scaling.spreading_headline": "{steps} kandidaten toegevoegd, een per stap (volgorde: "
    "{order}); {beneficial} verlagen de kosten van de wijk. Besparing bij de laatste stap: "
    "{saving} EUR/jr; grootste leiding DN{dn}.",
    "scaling.steps_caption": "Stappen",
    "scaling.size_meaning": "vraag x factor",
    "scaling.density_meaning": "afstanden / factor",
    "scaling.break_even": "Het net is goedkoper dan eigen voorziening boven een factor van "
    "ongeveer {factor} ({meaning}; interval {low}-{high}).",
    "scaling.always_saves": "Het net bespaart over het hele onderzochte bereik ({meaning}).",
    "scaling.never_saves": "Het net is in het onderzochte bereik nooit goedkoper dan eigen "
    "voorziening ({meaning}).",
    "scaling.minimum": "Minimale schaal",
    "scaling.curve_caption": "Kromme",
    "scaling.no_scenarios": "Geen scaling/scenarios.json in de rekenmap.",
    "scaling.no_scenario": "Het onderdeel scaling van het wijkbestand noemt geen scenario.",
    "scaling.settings": "Elke dimensionering hier gebruikt {periods} typische dagen en een "
    "MIP-gap van {gap}.",
    "unit.per_yr": "/jr",
    "unit.yr": "jr",
    "indicator.heat_mwh_per_yr": "warmtevraag (ruimte + tapwater)",
    "indicator.cool_mwh_per_yr": "koudevraag",
    "indicator.peak_heat_kw": "piek warmte",
    "indicator.peak_cool_kw": "piek koude",
    "indicator.simultaneity_heat": "gelijktijdigheid, warmte (piek van de som / som van de pieken)",
    "indicator.simultaneity_cool": "gelijktijdigheid, koude",
    "indicator.exchangeable_mwh_per_yr": "direct uitwisselbaar, som van min(warmte, koude)",
    "indicator.demand_overlap": "overlap van de vraag, 2 som min(W, K) / som (W + K)",
    "indicator.heating_degree_days_k_d": "graaddagen (basis 18 degC)",
    # waarden
    "value.yes": "ja",
    "value.no": "nee",
    "value.na": "n.v.t.",
    "value.undecided": "onbeslist",
    # kostenverdeling
    "allocation.missing": "De kostenverdeling is niet uitgevoerd (geen "
    "allocation/allocation.json).",
    "allocation.col_partner": "partner",
    "allocation.col_standalone": "alleen",
    "allocation.caption": "Jaarkosten per partner volgens elke regel [EUR/jr]",
    "allocation.chart_caption": "Toegedeelde jaarkosten per partner; de zwarte streepjes tonen "
    "wat elke partner alleen zou betalen.",
    "chart.standalone": "kosten alleen",
    "chart.annual_cost": "jaarkosten [EUR/jr]",
    "allocation.h_stability": "Stabiliteit",
    "core.holds": "De core is niet leeg voor alle kosten binnen de grenzen van de solver: "
    "sommige verdelingen laten geen groep partners er alleen beter van worden.",
    "core.fails": "De core is LEEG voor alle kosten binnen de grenzen van de solver: bij elke "
    "verdeling wordt een groep partners er alleen beter van.",
    "core.undecided": "Of de core leeg is, is onbeslist binnen de oplosnauwkeurigheid: de "
    "kosten van de coalities zijn alleen bekend tot op de MIP-gaps van hun berekening, en "
    "binnen die grenzen kan de core leeg zijn of niet.",
    "allocation.epsilon_range": "Least-core epsilon tussen {range} EUR/jr binnen de grenzen "
    "(het kleinste grootste overschot x(S) - c(S) dat een verdeling kan halen; hoogstens 0 "
    "betekent stabiel).",
    "allocation.epsilon": "Least-core epsilon: {epsilon} EUR/jr (het kleinste grootste "
    "overschot x(S) - c(S) dat een verdeling kan halen; hoogstens 0 betekent stabiel).",
    "stability.col_rule": "regel",
    "stability.col_in_core": "in de core (stabiel)",
    "stability.col_rational": "individueel rationeel",
    "stability.col_blocking": "sterkst blokkerende coalitie",
    "stability.col_excess": "haar overschot x(S) - c(S) [EUR/jr]",
    "allocation.stability_note": "ja / nee gelden voor alle kosten van de coalities binnen "
    "de grenzen van de solver; onbeslist: de MIP-gaps van de coalitieberekeningen beslissen.",
    "allocation.h_rationality": "Individuele rationaliteit per partner",
    "rationality.col_standalone": "alleen [EUR/jr]",
    "rationality.caption": "Kosten alleen c({i}) (ondergrens .. gevonden ontwerp) en, per "
    "regel, of de partner hoogstens dat betaalt (ja / nee / onbeslist) met de marge "
    "c({i}) - x_i [EUR/jr]",
    "allocation.h_paid": "Partners die geld ontvangen",
    "allocation.paid": "{partner} ontvangt {amount} EUR/jr volgens {rule}: de partner wordt "
    "betaald voor wat hij inbrengt en de anderen nodig hebben. Zijn deelname bespaart de "
    "alliantie {saving} EUR/jr; alleen zou hij {alone} EUR/jr betalen, en de regel geeft meer "
    "van die besparing door dan zijn eigen kosten.",
    # verantwoording
    "accountability.missing": "Vraagt de stappen dimensionering en kostenverdeling (vermeden "
    "CO2 en gas, kosten per partner); geen van beide is uitgevoerd.",
    "accountability.h_emissions": "Uitstoot en gas",
    "accountability.no_figures": "Geen cijfers over CO2 of gas in sizing/design.json of "
    "simulation/annual_summary.json.",
    "accountability.h_partners": "Per partner",
    "accountability.col_cost": "kosten, {rule} [EUR/jr]",
    "accountability.col_saving": "besparing t.o.v. alleen [EUR/jr]",
    "accountability.caption": "Bijdrage per partner",
    "accountability.caption_rule": "Bijdrage per partner (kosten volgens {rule})",
    # netkaart
    "map.title_network": "netkaart",
    "map.title_site": "situatie",
    "map.pipe_id": "leiding {id}",
    "map.heat_building": "gebouw, vooral warmte",
    "map.cold_building": "gebouw, vooral koude",
    "map.balancing": "balanseenheid",
    "map.pipe": "leiding",
    "map.pipe_sizes": "leiding (breedte: DN {low} tot {high}; pijl: piekstroom)",
    "scaling.break_even_mark": "omslagpunt {factor}",
    "scaling.factor_axis": "schaalfactor [-]",
    # soorten en status van knelpunten
    "barrier_type.legal": "juridisch",
    "barrier_type.financial": "financieel",
    "barrier_type.organisational": "organisatorisch",
    "barrier_type.technical": "technisch",
    "barrier_type.social": "sociaal",
    "barrier_status.open": "open",
    "barrier_status.in_progress": "in behandeling",
    "barrier_status.resolved": "opgelost",
    "barrier_status.accepted": "geaccepteerd",
    # stappen (tsg summary)
    "stage_name.simulation": "simulatie",
    "stage_name.sizing": "dimensionering",
    "stage_name.allocation": "kostenverdeling",
    "stage_name.scaling": "opschaling",
}
