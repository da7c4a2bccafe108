"""Random mutations of a district document for property-based tests (hypothesis).

A mutation picks a place in the parsed YAML document and breaks it: replaces the value with a
hostile one (wrong type, boolean, huge, tiny, NaN, infinite, long text, NUL, ...), scales a
number, deletes or duplicates an entry, adds an unknown key, or points an id elsewhere.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from hypothesis import strategies as st

HOSTILE_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    2,
    0.5,
    -0.0,
    1e-300,
    5e-324,
    1e308,
    -1e308,
    float("nan"),
    float("inf"),
    float("-inf"),
    2**31,
    2**63,
    2**70,
    -(2**70),
    365,
    366,
    24,
    25,
    "",
    "x",
    "x" * 5000,
    "1e308",
    "NaN",
    "true",
    "../../etc/passwd",
    "a\x00b",
    "\u202e\ufeff",
    "ahoy-arena",
    "ates",
    "eneco",
    "hotel",
    [],
    [1],
    [None],
    [[[]]],
    {},
    {"a": 1},
    {"latitude_deg": 90, "longitude_deg": 0},
    dt.date(2025, 2, 28),
    dt.date(1999, 1, 1),
    [dt.date(2025, 1, 1), dt.date(2025, 1, 1)],
    [0, 24],
    [24, 0],
    [-1, 5],
]
SCALES = [0.0, -1.0, 1e-9, 0.999, 1.001, 10.0, 1e6, 1e300]


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path (tuple of keys and positions) into a parsed document, the root excluded."""
    found = []
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else []
    )
    for key, value in items:
        found.append((*prefix, key))
        found.extend(paths(value, (*prefix, key)))
    return found


def _parent(document: Any, path: tuple) -> tuple[Any, Any]:
    node = document
    for key in path[:-1]:
        node = node[key]
    return node, path[-1]


def _ids(document: dict) -> list[str]:
    found = []
    for section in ("partners", "buildings", "sources", "barriers"):
        items = document.get(section)
        if isinstance(items, list):
            found += [
                i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)
            ]
    return found or ["x"]


@st.composite
def one_mutation(draw: st.DrawFn, document: dict) -> str:
    """Apply one random mutation to ``document`` in place; return a description."""
    every = paths(document)
    path = draw(st.sampled_from(every))
    parent, key = _parent(document, path)
    value = parent[key]
    kind = draw(
        st.sampled_from(["replace", "replace", "scale", "delete", "duplicate", "unknown", "id"])
    )
    if kind == "scale" and isinstance(value, int | float) and not isinstance(value, bool):
        new = value * draw(st.sampled_from(SCALES))
        parent[key] = int(new) if isinstance(value, int) and abs(new) < 2**80 else new
    elif kind == "delete":
        del parent[key]
    elif kind == "duplicate" and isinstance(parent, list):
        parent.insert(key, copy.deepcopy(value))
    elif kind == "unknown" and isinstance(value, dict):
        value[draw(st.sampled_from(["colour", "x" * 300, "1", "id "]))] = 1
    elif kind == "id":
        parent[key] = draw(st.sampled_from(_ids(document)))
    else:
        kind = "replace"
        parent[key] = copy.deepcopy(
            draw(
                st.one_of(
                    st.sampled_from(HOSTILE_VALUES),
                    st.floats(),
                    st.integers(),
                    st.text(max_size=20),
                )
            )
        )
    return f"{kind} {'.'.join(map(str, path))}"


@st.composite
def mutated(draw: st.DrawFn, base: dict, most: int = 3) -> tuple[dict, list[str]]:
    """A deep copy of ``base`` with 1 to ``most`` mutations, and their descriptions."""
    document = copy.deepcopy(base)
    done = [draw(one_mutation(document)) for _ in range(draw(st.integers(1, most)))]
    return document, done


# in-range extremes: mutations that pass validation and reach the demand model
EXTREMES: dict[str, list[Any]] = {
    "floor_area_m2": [1e-9, 1.0, 5e6],
    "heating_supply_c": [20, 95],
    "dhw_supply_c": [40, 95],
    "cooling_supply_c": [5, 25],
    "annual_demand_mwh": [
        {"heat_mwh": 0.0},
        {"heat_mwh": 1e6, "dhw_mwh": 1e6, "cool_mwh": 1e6},
        {"cool_mwh": 1e-12},
        {"dhw_mwh": 0.0, "cool_mwh": 0.0, "heat_mwh": 0.0},
    ],
    "events": [
        {"events_per_year": 0},
        {"events_per_year": 365},
        {"events_per_year": 1, "hours": [23, 24]},
        {"events_per_year": 200, "hours": [0, 24]},
        {"dates": []},
        {"dates": [dt.date(2025, 12, 31), dt.date(2025, 3, 30)], "hours": [2, 3]},
    ],
    "archetype": ["arena", "residential", "swimming_pool", "hospital", "office", "retail"],
}
DISTRICT_EXTREMES: dict[str, list[Any]] = {
    "seed": [0, 2**31 - 1],
    "country": ["NL", "US", "JP", "AU", "IS", "BR"],
    "time_zone": ["UTC", "Pacific/Kiritimati", "America/St_Johns", "Asia/Kathmandu"],
    "climate": [{"year": 1900}, {"year": 2100}, {"year": 2024}, {"region": 15, "year": 2028}],
}


@st.composite
def demand_mutation(draw: st.DrawFn, base: dict, most: int = 3) -> tuple[dict, list[str]]:
    """A copy of ``base`` with in-range extremes (mostly valid) and sometimes a hostile value."""
    document = copy.deepcopy(base)
    done = []
    for _ in range(draw(st.integers(1, most))):
        if draw(st.booleans()):
            position = draw(st.integers(0, len(document["buildings"]) - 1))
            field = draw(st.sampled_from(sorted(EXTREMES)))
            document["buildings"][position][field] = copy.deepcopy(
                draw(st.sampled_from(EXTREMES[field]))
            )
            done.append(f"buildings[{position}].{field}")
        elif draw(st.integers(0, 3)):
            field = draw(st.sampled_from(sorted(DISTRICT_EXTREMES)))
            document[field] = copy.deepcopy(draw(st.sampled_from(DISTRICT_EXTREMES[field])))
            done.append(field)
        else:
            done.append(draw(one_mutation(document)))
    return document, done


YAML_PIECES = [
    "[",
    "]",
    "{",
    "}",
    ":",
    ": ",
    "- ",
    "? ",
    "&a ",
    "*a",
    "!!",
    "!!python/name:os.system",
    "<<: *a",
    "#",
    "'",
    '"',
    "\\",
    "\t",
    "\n",
    "\n  ",
    "---\n",
    "...\n",
    "|",
    ">",
    "%YAML 1.1",
    "~",
    "null",
    "true",
    "1e308",
    ".nan",
    "-.inf",
    "0x1F",
    "0o17",
    "2025-13-45",
    "\u00e9",
    "\u202e",
    "\x85",
    "\ufeff",
    ",",
    "%",
    "@",
    "`",
]


@st.composite
def yaml_text_mutation(draw: st.DrawFn, text: str, most: int = 4) -> str:
    """``text`` with 1 to ``most`` edits: YAML-special pieces inserted, spans cut or repeated."""
    for _ in range(draw(st.integers(1, most))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "insert", "cut", "repeat"]))
        if kind == "insert":
            piece = draw(st.one_of(st.sampled_from(YAML_PIECES), st.text(max_size=5)))
            text = text[:at] + piece + text[at:]
        else:
            end = min(len(text), at + draw(st.integers(1, 200)))
            text = text[:at] + (text[at:end] * 2 if kind == "repeat" else "") + text[end:]
    return text
