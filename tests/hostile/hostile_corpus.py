"""The hostile-input corpus: broken, absurd and malicious inputs, each with the error it gives.

Every case writes its files into a fresh folder and returns the ``tsg`` arguments; the expected
result is exit code 2 with a message naming the file (``file``: a name that must appear) and
the field (``field``: a text that must appear), and no traceback. Cases are small: most stop
at the schema; the rest at the first reader that sees them.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tsg.district import built_in_district_path

HVZ_TEXT = built_in_district_path().read_text(encoding="utf-8")
HVZ = yaml.safe_load(HVZ_TEXT)
EXISTING = [b["id"] for b in HVZ["buildings"] if b.get("phase", "existing") == "existing"]
XY = {n["id"]: n["location"] for n in HVZ["buildings"] + HVZ["sources"]}
HOURS = 8760


@dataclass(frozen=True)
class Case:
    """One hostile input: how to make it and what the message must contain."""

    make: Callable[[Path], list[str]]
    file: str
    field: str | None
    message: str


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def raw(text: str | bytes) -> Callable[[Path], list[str]]:
    """A district file with exactly these contents."""
    return lambda folder: ["validate", str(_write(folder, "district.yaml", text))]


def edited(change: Callable[[dict], Any], **files: str | bytes) -> Callable[[Path], list[str]]:
    """Hart van Zuid with one change, plus extra files next to it."""

    def make(folder: Path) -> list[str]:
        document = copy.deepcopy(HVZ)
        change(document)
        for name, content in files.items():
            _write(folder, name.replace("__", "."), content)
        return ["validate", str(_write(folder, "district.yaml", yaml.safe_dump(document)))]

    return make


def put(path: str, value: Any) -> Callable[[dict], None]:
    """Set a value at a dotted path (list positions as numbers) of the document."""

    def change(document: dict) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        target = document
        for part in parents:
            target = target[part]
        target[last] = value

    return change


def text_edit(old: str, new: str) -> Callable[[Path], list[str]]:
    """Hart van Zuid's own text with one replacement (keeps YAML spellings such as 1e308)."""
    assert old in HVZ_TEXT, old
    return raw(HVZ_TEXT.replace(old, new, 1))


def route(value: Any, **files: str | bytes) -> Callable[[Path], list[str]]:
    """Hart van Zuid with this ``network.route``."""
    return edited(put("network.route", value), **files)


def geojson(content: str | bytes) -> Callable[[Path], list[str]]:
    """Hart van Zuid with a route file of these contents."""
    return route({"geojson": "route.geojson"}, route__geojson=content)


def line(a: str, b: str, shift: float = 0.0) -> dict:
    """A GeoJSON LineString feature from node ``a`` to node ``b``."""
    ends = [[XY[n]["longitude_deg"] + shift, XY[n]["latitude_deg"]] for n in (a, b)]
    return {"type": "Feature", "geometry": {"type": "LineString", "coordinates": ends}}


def collection(*features: Any) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


STAR = [line("ates", b) for b in EXISTING]


def measured(content: str | bytes) -> Callable[[Path], list[str]]:
    """Hart van Zuid with a measured profile of these contents for the arena."""
    return edited(
        put("buildings.0.measured_profile", {"file": "measured.csv"}), measured__csv=content
    )


def costs(content: str | bytes) -> Callable[[Path], list[str]]:
    """``tsg allocate --costs`` on a file of these contents."""
    return lambda folder: ["allocate", "--costs", str(_write(folder, "costs.csv", content))]


def weather(source: str, content: str | bytes) -> Callable[[Path], list[str]]:
    extra = {"station": 344} if source == "knmi" else {}
    return edited(
        put("climate", {"source": source, "file": "weather.txt", **extra}),
        weather__txt=content,
    )


def _nested_mapping(depth: int) -> str:
    return "a: " + "{a: " * depth + "1" + "}" * depth + "\n"


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefg", "bcdefgh", strict=True)
)
PROFILE = "heat\n" + "1\n" * HOURS
D = "district.yaml"
R = "route.geojson"
M = "measured.csv"
C = "costs.csv"

CASES: dict[str, Case] = {
    # --- the YAML reader ---------------------------------------------------------------------
    "complex key": Case(raw("? [a, b]\n: 1\n"), D, None, "plain value"),
    "complex key deep inside": Case(
        text_edit("seed: 2018", "seed: 2018\neconomics: {? {x: 1}: 2}"), D, None, "plain value"
    ),
    "5000 nested brackets": Case(raw("a: " + "[" * 5000 + "]" * 5000), D, None, "nested deeper"),
    "5000 nested braces": Case(raw("a: " + "{" * 5000 + "}" * 5000), D, None, "nested deeper"),
    "deep mappings": Case(raw(_nested_mapping(60)), D, None, "nested deeper"),
    "billion laughs": Case(raw(LAUGHS), D, None, "aliases"),
    "file over 2 MB": Case(raw("# " + "x" * 2_100_000 + "\n"), D, None, "at most 2,000,000"),
    "non-UTF-8 byte": Case(raw(HVZ_TEXT.encode() + b"\n# caf\xe9\n"), D, None, "not UTF-8"),
    "UTF-16 file": Case(raw(HVZ_TEXT.encode("utf-16")), D, None, "not UTF-8"),
    "python tag": Case(raw("id: !!python/object/apply:os.system [ls]\n"), D, None, "invalid YAML"),
    "unknown tag": Case(raw("id: !secret x\n"), D, None, "invalid YAML"),
    "NUL in YAML": Case(raw("id: a\x00b\n"), D, None, "invalid YAML"),
    "duplicate key": Case(raw("id: a\nid: b\n"), D, None, "appears twice"),
    "top-level list": Case(raw("[1, 2, 3]\n"), D, None, "mapping"),
    "top-level text": Case(raw("just text\n"), D, None, "mapping"),
    "binary garbage": Case(raw(bytes(range(256)) * 4), D, None, "UTF-8"),
    "unclosed bracket": Case(raw("id: [a\n"), D, None, "invalid YAML"),
    # --- numbers: bounds, booleans, overflow ---------------------------------------------------
    "seed -1": Case(text_edit("seed: 2018", "seed: -1"), D, "seed", "greater than or equal to 0"),
    "seed true": Case(text_edit("seed: 2018", "seed: true"), D, "seed", "not bool"),
    "seed 2**70": Case(text_edit("seed: 2018", f"seed: {2**70}"), D, "seed", "less than"),
    "seed 1.5": Case(text_edit("seed: 2018", "seed: 1.5"), D, "seed", "whole number"),
    "floor area true": Case(
        edited(put("buildings.0.floor_area_m2", True)), D, "buildings[0].floor_area_m2", "bool"
    ),
    "floor area 1e308": Case(
        text_edit("floor_area_m2: 60000", "floor_area_m2: 1.0e+308"),
        D,
        "buildings[0].floor_area_m2",
        "less than or equal to 5,000,000 [m2]",
    ),
    "floor area 1e308 as YAML text": Case(
        text_edit("floor_area_m2: 60000", "floor_area_m2: 1e308"),
        D,
        "buildings[0].floor_area_m2",
        "is text",
    ),
    "floor area .inf": Case(
        text_edit("floor_area_m2: 60000", "floor_area_m2: .inf"), D, "floor_area_m2", "finite"
    ),
    "floor area 0": Case(
        edited(put("buildings.0.floor_area_m2", 0)), D, "floor_area_m2", "greater than 0"
    ),
    "annual demand 1e306": Case(
        edited(put("buildings.6.annual_demand_mwh", {"heat_mwh": 1e306})),
        D,
        "buildings[6].annual_demand_mwh.heat_mwh",
        "MWh/yr",
    ),
    "annual demand negative": Case(
        edited(put("buildings.6.annual_demand_mwh", {"dhw_mwh": -1})),
        D,
        "annual_demand_mwh.dhw_mwh",
        "greater than or equal to 0",
    ),
    "latitude 91": Case(
        edited(put("buildings.0.location.latitude_deg", 91)), D, "latitude_deg", "90"
    ),
    "longitude true": Case(
        edited(put("buildings.0.location.longitude_deg", True)), D, "longitude_deg", "bool"
    ),
    "supply temperature 500": Case(
        edited(put("buildings.0.heating_supply_c", 500)), D, "heating_supply_c", "[degC]"
    ),
    "ATES flow 1e9": Case(
        edited(put("sources.0.max_flow_m3_per_h", 1e9)), D, "max_flow_m3_per_h", "[m3/h]"
    ),
    "climate year 1800": Case(edited(put("climate.year", 1800)), D, "climate.year", "1,900"),
    "climate region 99": Case(edited(put("climate.region", 99)), D, "climate.region", "15"),
    "discount rate 2": Case(
        edited(put("economics", {"discount_rate": 2})), D, "economics.discount_rate", "0.5"
    ),
    "sensitivity factor 0": Case(
        edited(put("economics", {"sensitivity": {"gas_price": [0, 1.3]}})),
        D,
        "economics.sensitivity.gas_price[0]",
        "greater than 0",
    ),
    "lifetime 0 years": Case(
        edited(put("economics", {"lifetimes_yr": {"pipes": 0}})), D, "lifetimes_yr", "[yr]"
    ),
    "detour factor 10": Case(
        edited(put("network.route", {"detour_factor": 10})), D, "detour_factor", "3"
    ),
    "mip gap 0.5": Case(edited(put("scaling.mip_gap", 0.5)), D, "scaling.mip_gap", "less than"),
    "route edge length 1e9": Case(
        route({"edges": [{"from_id": "ates", "to_id": "hotel", "length_m": 1e9}]}),
        D,
        "network.route.edges[0].length_m",
        "[m]",
    ),
    # --- texts, ids, sizes ---------------------------------------------------------------------
    "id of 65 characters": Case(edited(put("id", "a" * 65)), D, "id", "64"),
    "name of 10,000 characters": Case(
        edited(put("buildings.0.name", "n" * 10_000)), D, "buildings[0].name", "200"
    ),
    "unknown key 10,000 long": Case(edited(put("k" * 10_000, 1)), D, "kkk", "unknown key"),
    "500 broken buildings": Case(
        edited(put("buildings", [{"id": f"b{k}", "floor_area_m2": True} for k in range(500)])),
        D,
        "buildings[0]",
        "and 2480 more",
    ),
    "terminal escape in an archetype": Case(
        edited(put("buildings.0.archetype", "\x1b[2J\x1b[31mcastle\u202e")),
        D,
        "buildings[0].archetype",
        "\\x1b[2J\\x1b[31mcastle\\u202e",
    ),
    "terminal escape in an unknown key": Case(
        edited(put("\x1b]0;owned\x07", 1)), D, "\\x1b]0;owned\\x07", "unknown key"
    ),
    "no buildings": Case(edited(put("buildings", [])), D, "buildings", "at least 1"),
    "path with NUL": Case(
        edited(put("buildings.0.measured_profile", {"file": "a\x00b.csv"})),
        D,
        "measured_profile.file",
        "NUL",
    ),
    "path of 5000 characters": Case(
        edited(put("buildings.0.measured_profile", {"file": "x" * 5000})),
        D,
        "measured_profile.file",
        "too long",
    ),
    # --- rules across fields -------------------------------------------------------------------
    "events 366 in 2025": Case(
        edited(put("buildings.1.events", {"events_per_year": 366})),
        D,
        "buildings[1].events.events_per_year",
        "365 days",
    ),
    "event hours 25": Case(
        edited(put("buildings.0.events.hours", [20, 25])), D, "events.hours", "24"
    ),
    "event dates twice": Case(
        edited(put("buildings.0.events", {"dates": ["2025-03-01", "2025-03-01"]})),
        D,
        "buildings[0].events",
        "distinct",
    ),
    "event date in another year": Case(
        edited(put("buildings.0.events", {"dates": ["2031-03-01"]})),
        D,
        "buildings[0].events.dates",
        "climate year 2025",
    ),
    "country XX": Case(edited(put("country", "XX")), D, "country", "holidays"),
    "country in lower case": Case(edited(put("country", "nl")), D, "country", "pattern"),
    "time zone with a 45-minute offset": Case(
        edited(put("time_zone", "Asia/Kathmandu")), D, "time_zone", "whole number of hours"
    ),
    "climate year 1900 in local mean time": Case(
        edited(put("climate.year", 1900)), D, "time_zone", "whole number of hours"
    ),
    "time zone path": Case(edited(put("time_zone", "../../etc/passwd")), D, "time_zone", "IANA"),
    "cold well warmer than warm well": Case(
        edited(put("sources.0.cold_well_c", 20)), D, "sources[0]", "must be above cold_well_c"
    ),
    "waste heat beyond its capacity": Case(
        edited(
            lambda d: d["sources"].append(
                {
                    "type": "waste_heat",
                    "id": "servers",
                    "name": "Servers",
                    "location": {"latitude_deg": 51.8845, "longitude_deg": 4.4900},
                    "temperature_c": 30,
                    "capacity_kw": 10,
                    "annual_mwh": 1000,
                }
            )
        ),
        D,
        "sources[1]",
        "can deliver",
    ),
    "unknown technology lifetime": Case(
        edited(put("economics", {"lifetimes_yr": {"fusion_reactor": 20}})),
        D,
        "economics.lifetimes_yr",
        "unknown technology 'fusion_reactor'; allowed: ates",
    ),
    "ATES id equals a building id": Case(
        edited(put("sources.0.id", "hotel")), D, "sources[0].id", "used twice"
    ),
    "duplicate partner id": Case(
        edited(put("partners.1.id", "gemeente-rotterdam")), D, "partners[1].id", "used twice"
    ),
    "unknown partner": Case(edited(put("buildings.2.partner", "ikea")), D, "partner", "ikea"),
    "barrier on a building that does not exist": Case(
        edited(put("barriers.0.parameter", "buildings.castle.phase")),
        D,
        "barriers[0].parameter",
        "'castle' is not an id in buildings",
    ),
    "barrier on an unknown section": Case(
        edited(put("barriers.0.parameter", "weather.rain")),
        D,
        "barriers[0].parameter",
        "not a field",
    ),
    "barrier on an unknown field": Case(
        edited(put("barriers.3.parameter", "sources.ates.colour")),
        D,
        "barriers[3].parameter",
        "'colour' is not a field",
    ),
    "building at the north pole": Case(
        edited(put("buildings.2.location", {"latitude_deg": 90, "longitude_deg": 0})),
        D,
        "buildings[2].location",
        "RD New",
    ),
    "building in Sydney": Case(
        edited(put("buildings.2.location", {"latitude_deg": -33.87, "longitude_deg": 151.21})),
        D,
        "buildings[2].location",
        "1,000 km",
    ),
    "district in Sydney": Case(
        edited(put("location", {"latitude_deg": -33.87, "longitude_deg": 151.21})),
        D,
        "location",
        "RD New",
    ),
    "building 100 km away": Case(
        edited(put("buildings.2.location", {"latitude_deg": 52.78, "longitude_deg": 4.49})),
        D,
        "buildings[2].location",
        "within 25 km",
    ),
    "two buildings at one position": Case(
        edited(put("buildings.2.location", dict(XY["ahoy-arena"]))),
        D,
        "buildings[2].location",
        "its own position",
    ),
    "plant site at a building's position": Case(
        edited(
            lambda d: d["sources"].append(
                {
                    "type": "dry_cooler",
                    "id": "roof-cooler",
                    "name": "Dry cooler",
                    "location": dict(XY["hotel"]),
                }
            )
        ),
        D,
        "sources[1].location",
        "its own position",
    ),
    "warm line equals cold line": Case(
        edited(put("network.cold_line_c", 16.0)), D, "network", "must be above"
    ),
    "minimum scale low above high": Case(
        edited(put("scaling.minimum_scale.low_factor", 3)), D, "minimum_scale", "below"
    ),
    # --- the route ----------------------------------------------------------------------------
    "route GeoJSON [1, 2, 3]": Case(geojson("[1, 2, 3]"), R, None, "top level is an array"),
    "route features 5": Case(
        geojson('{"type": "FeatureCollection", "features": 5}'), R, "features", "a number"
    ),
    "route coordinate with one number": Case(
        geojson(
            collection(
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": [[4.48], [4.49, 51.88]]},
                }
            )
        ),
        R,
        "features[0].geometry.coordinates[0]",
        "[x, y]",
    ),
    "route text coordinates": Case(
        geojson(
            collection(
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": [["a", "b"], ["c", "d"]]},
                }
            )
        ),
        R,
        "coordinates[0]",
        "finite numbers",
    ),
    "route geometry is a list": Case(
        geojson(collection({"type": "Feature", "geometry": [1, 2]})),
        R,
        "features[0].geometry",
        "LineString",
    ),
    "route point geometry": Case(
        geojson(
            collection(
                {"type": "Feature", "geometry": {"type": "Point", "coordinates": [4.48, 51.88]}}
            )
        ),
        R,
        "features[0].geometry",
        "'Point'",
    ),
    "route non-UTF-8 byte": Case(geojson(b'{"type": "Feature\xff"}'), R, None, "not UTF-8"),
    "route NaN": Case(
        geojson('{"type": "LineString", "coordinates": [[NaN, 1], [1, 1]]}'), R, None, "NaN"
    ),
    "route nested 100,000 deep": Case(
        geojson('{"features": ' + "[" * 100_000 + "]" * 100_000 + "}"), R, None, "nested"
    ),
    "route not JSON": Case(geojson("type: FeatureCollection"), R, None, "invalid GeoJSON"),
    "route empty collection": Case(geojson(collection()), R, "features", "no features"),
    "route position out of degrees": Case(
        geojson(
            collection(
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": [[500, 51], [4, 51]]},
                }
            )
        ),
        R,
        "coordinates[0]",
        "WGS84",
    ),
    "route line end far from any node": Case(
        geojson(collection(line("ates", "hotel", shift=0.01))), R, "coordinates", "snap"
    ),
    "route GeoJSON self-loop": Case(
        geojson(collection(*STAR, line("hotel", "hotel"))), R, "features[8]", "itself"
    ),
    "route GeoJSON disconnected": Case(geojson(collection(*STAR[:-1])), R, None, "not connected"),
    "route GeoJSON file missing": Case(
        route({"geojson": "nowhere.geojson"}), D, "network.route.geojson", "not found"
    ),
    "route edge self-loop": Case(
        route({"edges": [{"from_id": "ates", "to_id": "ates"}]}), D, "edges[0]", "itself"
    ),
    "route edge twice": Case(
        route(
            {
                "edges": [
                    {"from_id": "ates", "to_id": "hotel"},
                    {"from_id": "hotel", "to_id": "ates"},
                ]
            }
        ),
        D,
        "edges[1]",
        "twice",
    ),
    "route edges disconnected": Case(
        route({"edges": [{"from_id": "ates", "to_id": b} for b in EXISTING[:-1]]}),
        D,
        "network.route.edges",
        "not connected",
    ),
    "route without an ATES": Case(
        edited(
            lambda d: (
                d.__setitem__("sources", []),
                d["network"].__setitem__(
                    "route", {"edges": [{"from_id": "hotel", "to_id": "racc"}]}
                ),
                [b.pop("parameter", None) for b in d["barriers"]],
            )
        ),
        D,
        "network.route",
        "ATES",
    ),
    # --- measured profiles --------------------------------------------------------------------
    "profile columns heat,HEAT": Case(
        measured("heat,HEAT\n" + "1,1\n" * HOURS), M, "heat", "appears twice"
    ),
    "profile columns heat,heat": Case(
        measured("heat,heat\n" + "1,1\n" * HOURS), M, "heat", "appears twice"
    ),
    "profile non-UTF-8": Case(measured(PROFILE.encode() + b"\xff\n"), M, None, "not UTF-8"),
    "profile UTF-16": Case(measured(PROFILE.encode("utf-16")), M, None, "not UTF-8"),
    "profile line of 200,000 characters": Case(
        measured("heat\n" + "1" * 200_000 + "\n"), M, "line 2", "characters"
    ),
    "profile NUL": Case(measured("heat\n1\x00\n" + "1\n" * HOURS), M, None, "NUL"),
    "profile empty": Case(measured(""), M, None, "readable CSV"),
    "profile header only": Case(measured("heat\n"), M, None, "0 rows"),
    "profile ragged rows": Case(measured("heat\n1,2,3\n" + "1\n" * HOURS), M, None, "CSV"),
    "profile infinity": Case(measured("heat\ninf\n" + "1\n" * (HOURS - 1)), M, "heat", "finite"),
    "profile 1e306 MW": Case(
        edited(
            put("buildings.0.measured_profile", {"file": "measured.csv", "unit": "mw"}),
            measured__csv="heat\n1e306\n" + "1\n" * (HOURS - 1),
        ),
        M,
        "heat",
        "at most 1,000,000 kW",
    ),
    "profile with a time column of garbage": Case(
        measured("time,heat\n" + "\x7f,1\n" * HOURS), M, "time", "cannot parse"
    ),
    # --- weather files ------------------------------------------------------------------------
    "EPW garbage": Case(weather("epw", "garbage\n" * 20), "weather.txt", None, ""),
    "EPW binary": Case(weather("epw", bytes(range(256)) * 40), "weather.txt", None, ""),
    "KNMI garbage": Case(weather("knmi", "# STN,YYYYMMDD\n1,2,3\n"), "weather.txt", None, ""),
    # --- the cost file of tsg allocate --costs ------------------------------------------------
    "costs non-UTF-8": Case(costs(b"coalition,cost\nahoy\xe9,1\n"), C, "line 2", "UTF-8"),
    "costs UTF-16": Case(costs("coalition,cost\na,1\n".encode("utf-16")), C, None, "UTF-16"),
    "costs field over 131,072 characters": Case(
        costs("coalition,cost\n" + "a" * 140_000 + ",1\n"), C, "line 2", "131,072"
    ),
    "costs unclosed quote": Case(
        costs('coalition,cost\n"' + "a" * 140_000 + "\n"), C, "line", "131,072"
    ),
    "costs NUL": Case(costs("coalition,cost\na\x00,1\n"), C, "line 2", "NUL"),
    "costs empty": Case(costs(""), C, None, "empty"),
    "costs name of 1,000 characters": Case(
        costs("coalition,cost\n" + "p" * 1000 + ",1\n"), C, "line 2", "at most 100"
    ),
    "costs NaN": Case(costs("coalition,cost\na,nan\n"), C, "line 2", "finite"),
}
