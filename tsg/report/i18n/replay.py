"""Texts of the report's historical-replay section (English and Dutch)."""

ENGLISH: dict[str, str] = {
    "section.replay": "Historical replay",
    "replay.missing": "No replay: the district file has no replay section.",
    "replay.verdict_yes": "The optimiser reproduces the decision of {date}: all {total} "
    "buildings as decided.",
    "replay.verdict_no": "The optimiser does not reproduce the decision of {date}: {matches} of "
    "{total} buildings as decided; it differs for {differ}.",
    "replay.source": "Decision and its source: {source}",
    "replay.gap_note": "The design is optimal to within {gap} EUR/yr (its solver gap): a "
    "connection worth less than that to the grid may go either way in the design; the "
    "threshold model's column is solved to its own gap.",
    "replay.col_building": "building",
    "replay.col_historical": "decided then",
    "replay.col_optimiser": "design",
    "replay.col_cheap": "threshold model",
    "replay.col_match": "same",
    "replay.col_own_saving": "own saving in the design [EUR/yr]",
    "replay.connected": "connected",
    "replay.not_connected": "not connected",
    "replay.yes": "yes",
    "replay.no": "no",
    "replay.h_thresholds": "Thresholds that flip each connection",
    "replay.thresholds_intro": "Each parameter scaled by a factor and the design re-solved "
    "({periods} typical days, MIP gap {gap}); the factor is bisected between 1 and {low} or "
    "{high}, whichever works against the decision, with at most {solves} solves per building "
    "and parameter ({total} solves, {seconds} s in all). An empty factor: no flip within the "
    "range.",
    "replay.model_differs": "The cheap model of the search connects {connected}; the thresholds "
    "are measured from its decisions (column 'at factor 1').",
    "replay.col_parameter": "parameter",
    "replay.col_base": "at factor 1",
    "replay.col_factor": "flips at factor",
    "replay.col_flips_to": "flips to",
    "replay.col_base_value": "base value",
    "replay.col_value": "value at the flip",
    "replay.col_unit": "unit",
    "replay.param.pipe_cost": "trench cost per metre",
    "replay.param.gas_price": "gas price",
    "replay.param.demand": "the building's demand",
    "replay.no_flip": "none up to x{end}",
    "replay.chart_caption": "Factor on each parameter at which a connection flips (1: the values "
    "of the district file; logarithmic axis). Open markers: no flip up to the end of the range "
    "searched.",
    "replay.chart_x": "factor on the base value [-]",
    "replay.chart_no_flip": "no flip (searched to)",
}

DUTCH: dict[str, str] = {
    "section.replay": "Historische terugblik",
    "replay.missing": "Geen terugblik: het wijkbestand heeft geen replay-sectie.",
    "replay.verdict_yes": "De optimalisatie herhaalt het besluit van {date}: alle {total} "
    "gebouwen zoals besloten.",
    "replay.verdict_no": "De optimalisatie herhaalt het besluit van {date} niet: {matches} van "
    "{total} gebouwen zoals besloten; anders voor {differ}.",
    "replay.source": "Besluit en bron: {source}",
    "replay.gap_note": "Het ontwerp is optimaal tot op {gap} EUR/jr (de gap van de solver): een "
    "aansluiting die het net minder waard is, kan in het ontwerp beide kanten op vallen; de "
    "kolom van het drempelmodel is met zijn eigen gap opgelost.",
    "replay.col_building": "gebouw",
    "replay.col_historical": "toen besloten",
    "replay.col_optimiser": "ontwerp",
    "replay.col_cheap": "drempelmodel",
    "replay.col_match": "gelijk",
    "replay.col_own_saving": "eigen besparing in het ontwerp [EUR/jr]",
    "replay.connected": "aangesloten",
    "replay.not_connected": "niet aangesloten",
    "replay.yes": "ja",
    "replay.no": "nee",
    "replay.h_thresholds": "Drempels waarbij een aansluiting omslaat",
    "replay.thresholds_intro": "Elke parameter met een factor geschaald en het ontwerp opnieuw "
    "opgelost ({periods} typische dagen, MIP-gap {gap}); de factor wordt gehalveerd tussen 1 en "
    "{low} of {high}, de kant die tegen het besluit in werkt, met hooguit {solves} oplossingen "
    "per gebouw en parameter ({total} oplossingen, {seconds} s in totaal). Geen factor: slaat "
    "niet om binnen het bereik.",
    "replay.model_differs": "Het goedkope model van de zoektocht sluit {connected} aan; de "
    "drempels gaan uit van zijn besluiten (kolom 'bij factor 1').",
    "replay.col_parameter": "parameter",
    "replay.col_base": "bij factor 1",
    "replay.col_factor": "slaat om bij factor",
    "replay.col_flips_to": "wordt",
    "replay.col_base_value": "basiswaarde",
    "replay.col_value": "waarde bij omslag",
    "replay.col_unit": "eenheid",
    "replay.param.pipe_cost": "sleufkosten per meter",
    "replay.param.gas_price": "gasprijs",
    "replay.param.demand": "vraag van het gebouw",
    "replay.no_flip": "geen tot x{end}",
    "replay.chart_caption": "Factor op elke parameter waarbij een aansluiting omslaat (1: de "
    "waarden van het wijkbestand; logaritmische as). Open symbolen: geen omslag tot het einde "
    "van het doorzochte bereik.",
    "replay.chart_x": "factor op de basiswaarde [-]",
    "replay.chart_no_flip": "geen omslag (gezocht tot)",
}
