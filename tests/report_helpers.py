"""Helpers of the report tests: runs, a hostile district, faked stage files, HTML parsing.

Stage files of the later stages (simulation, sizing, allocation, scaling) are faked with small
documents in the shapes the report expects.
"""

import json
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import yaml

from tsg import run_layout as layout
from tsg.district import built_in_district_path
from tsg.outputs import write_table
from tsg.pipeline import run_pipeline
from tsg.progress import Progress

HOSTILE_BUILDING = "<script>alert(1)</script>"
HOSTILE_PARTNER = "</script><b>x"
HOSTILE_PLAYER = "</script><script>alert(4)</script>"


def make_run(out_dir: Path, district_file: Path | None = None) -> Path:
    """Demand stage of a district (default: the built-in one) into out_dir."""
    path = district_file or built_in_district_path()
    run_pipeline(
        path, out_dir=out_dir, progress=Progress(quiet=True), stages=frozenset(), command="test"
    )
    return out_dir


def hostile_district(folder: Path) -> Path:
    """A copy of the built-in district with names that try to inject markup."""
    document = yaml.safe_load(built_in_district_path().read_text(encoding="utf-8"))
    document["buildings"][0]["name"] = HOSTILE_BUILDING
    document["partners"][0]["name"] = HOSTILE_PARTNER
    document["partners"][1]["interests"] = ['"><script>alert(3)</script>']
    document["barriers"][0]["description"] = "<img src=x onerror=alert(2)>"
    document["description"] = "</title><script>alert(5)</script>"
    path = folder / "district.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def _write_json(path: Path, document) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")


def _network(district: dict) -> dict:
    """A star-and-chain network in WGS84 through the district's buildings, ATES at the root."""
    source = district["sources"][0]
    points = [(source["id"], source["location"], "ates")]
    points += [(b["id"], b["location"], "building") for b in district["buildings"]]
    features = []
    for k, (ident, location, kind) in enumerate(points):
        xy = [location["longitude_deg"], location["latitude_deg"]]
        props = {"id": ident, "kind": kind}
        if k == 1:
            props["name"] = HOSTILE_BUILDING  # a hostile property value in the GeoJSON
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": xy},
                "properties": props,
            }
        )
        if k:
            parent = points[max(0, k - 3)][1]
            line = [[parent["longitude_deg"], parent["latitude_deg"]], xy]
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": line},
                    "properties": {
                        "id": f"p{k}",
                        "dn": [50, 80, 100, 150, 200, 250][k % 6],
                        "length_m": 100.0 + k,
                        "peak_mdot_kg_per_s": (-1) ** k * (5.0 + k),
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}


def write_stage_files(run_dir: Path, *, hostile: bool = False) -> None:
    """Small simulation, sizing, allocation and scaling outputs in the documented shapes."""
    district = json.loads((run_dir / "district.json").read_text(encoding="utf-8"))
    partners = [p["id"] for p in district["partners"]][:4]
    if hostile:
        partners[-1] = HOSTILE_PLAYER
    _write_json(
        run_dir / "simulation/annual_summary.json",
        {
            "hours": 8760,
            "converged_hours": 8760,
            "balancing_heat_mwh_per_yr": -2345.6,
            "pump_elec_mwh_per_yr": 41.2,
            "max_velocity_m_per_s": 1.45,
            "energy_residual_rel": 0.0004,
            "gas_avoided_m3_per_yr": 1.9e6,
            "per_building": [{"building": "hotel", "heat_mwh_per_yr": 1260.0}],
        },
    )
    _write_json(run_dir / "simulation/network.geojson", _network(district))
    (run_dir / "simulation/design_checks.csv").write_text(
        "check,value,limit,ok\nmax_velocity_m_per_s,1.45,2.0,true\n"
        "max_pressure_gradient_pa_per_m,310,250,false\n",
        encoding="utf-8",
    )
    _write_json(
        run_dir / "sizing/design.json",
        {
            "objective_eur_per_yr": 1.234e6,
            "connected": ["ahoy-arena", "racc", "hotel"],
            "co2_avoided_t_per_yr": 3456.7,
            "plants": {"ates": {"capacity_kw": 5200.0}},
        },
    )
    rows = "".join(
        f"{p},{100000 * (k + 1)},{20000 * (k + 1)},{150.5 * (k + 1)}\n"
        for k, p in enumerate(partners)
    )
    (run_dir / "sizing/cost_per_partner.csv").write_text(
        "partner,capex_eur,annual_cost_eur_per_yr,co2_avoided_t_per_yr\n" + rows, encoding="utf-8"
    )
    standalone = {p: 300000.0 + 50000 * k for k, p in enumerate(partners)}
    grand = 0.8 * sum(standalone.values())
    rules = {
        "equal_split": {p: grand / len(partners) for p in partners},
        "shapley": {p: 0.8 * standalone[p] for p in partners},
        "nucleolus": {
            p: 0.8 * standalone[p] + (1000 if k == 0 else -1000 / 3) for k, p in enumerate(partners)
        },
    }
    undecided = "undecided within solver tolerance"
    in_core = {"equal_split": "fails", "shapley": "holds", "nucleolus": undecided}
    _write_json(
        run_dir / "allocation/allocation.json",
        {
            "players": partners,
            "rules": rules,
            "least_core_epsilon": -12345.5,
            "core": {
                "nonempty": "holds",
                "least_core_epsilon_low_eur_per_yr": -20000.0,
                "least_core_epsilon_high_eur_per_yr": -12345.5,
            },
            "in_core": in_core,
            "individually_rational": {rule: "holds" for rule in rules},
            "negative_shares": [],
        },
    )
    # written through the pipeline's own writer, so the fixture has the columns a run writes
    rows = [
        {
            "rule": rule,
            "partner": p,
            "cost_eur_per_yr": costs[p],
            "standalone_eur_per_yr": standalone[p],
            "standalone_low_eur_per_yr": 0.99 * standalone[p],
            "saving_eur_per_yr": standalone[p] - costs[p],
            "saving_pct": 100.0 * (standalone[p] - costs[p]) / standalone[p],
            "co2_reduction_t_per_yr": float("nan"),
            "co2_reduction_share": float("nan"),
            "individually_rational": "holds",
            "rationality_margin_low_eur_per_yr": 0.99 * standalone[p] - costs[p],
            "rationality_margin_high_eur_per_yr": standalone[p] - costs[p],
        }
        for rule, costs in rules.items()
        for p in partners
    ]
    spec = layout.ALLOCATION_TABLE
    write_table(spec.under(run_dir), pd.DataFrame(rows), spec=spec)
    per_rule = [
        {
            "rule": rule,
            "in_core": verdict,
            "individually_rational": "holds",
            "blocking_coalition": "+".join(partners[:2]),
            "excess_low_eur_per_yr": -5000.0 if verdict != "fails" else 1500.0,
            "excess_high_eur_per_yr": 2500.0 if verdict == undecided else 1500.0,
            "surely_blocking": int(verdict == "fails"),
            "possibly_blocking": int(verdict != "holds"),
        }
        for rule, verdict in in_core.items()
    ]
    spec = layout.RULES_TABLE
    write_table(spec.under(run_dir), pd.DataFrame(per_rule), spec=spec)
    _write_json(
        run_dir / "scaling/translation.json",
        {
            "target": "delft-campus",
            "demand_overlap": 0.31,
            "saving_eur_per_yr": 210000.0,
            "stable": True,
        },
    )
    (run_dir / "scaling/minimum_scale.csv").write_text(
        "buildings,saving_eur_per_yr,stable\n2,-5000,false\n4,12000,true\n8,56000,true\n",
        encoding="utf-8",
    )


def write_decision_files(run_dir: Path) -> None:
    """A sized design against its reference and the MIP gap of every coalition.

    Needs :func:`write_stage_files` first (the players come from its allocation).
    """
    players = json.loads(layout.ALLOCATION_JSON.under(run_dir).read_text())["players"]
    design = {
        "total_cost_eur_per_yr": 900_000.0,
        "reference_cost_eur_per_yr": 1_000_000.0,
        "design": {"cost_eur_per_yr": 900_000.0, "gas_m3_per_yr": 1.0e5, "co2_t_per_yr": 300.0},
        "reference": {"cost_eur_per_yr": 1.0e6, "gas_m3_per_yr": 5.0e5, "co2_t_per_yr": 1100.0},
        "solve": {"gap": 0.01},
    }
    _write_json(layout.DESIGN.under(run_dir), design)
    rows = [f"{p},1,{300000 + 1000 * k},optimal,0.02,1.0" for k, p in enumerate(players)]
    layout.COALITION_SOLVES.under(run_dir).write_text(
        "coalition,size,cost_eur_per_yr,status,gap,solve_time_s\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )


class Elements(HTMLParser):
    """Collects start tags with attributes, script bodies and the visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)

    def ids(self) -> set[str]:
        return {attrs["id"] for _, attrs in self.tags if attrs.get("id")}


def parse(text: str) -> Elements:
    elements = Elements()
    elements.feed(text)
    elements.close()
    return elements


def external_references(elements: Elements) -> list[str]:
    """Attribute values that would make the browser fetch something from elsewhere."""
    found = []
    for tag, attrs in elements.tags:
        for name, value in attrs.items():
            if name in (
                "src",
                "href",
                "xlink:href",
                "action",
                "srcset",
                "poster",
                "data",
                "background",
            ):
                text = (value or "").strip().lower()
                if text.startswith(("http:", "https:", "//", "ftp:")):
                    found.append(f"<{tag} {name}={value!r}>")
        if tag == "link":
            found.append(f"<link {attrs}>")
    return found
