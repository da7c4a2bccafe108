"""A small synthetic district (3 buildings of 3 partners, one candidate, an ATES) for tests of
the exchange formats (Excel, ESDL, GIS)."""

import json
from pathlib import Path

import yaml

from tsg.synthetic import synthetic_district_document


def small_district_document() -> dict:
    doc = synthetic_district_document(
        n_buildings=3,
        seed=5,
        n_partners=3,
        mix={"residential": 1.0, "cinema": 1.0, "hotel": 1.0},
    )
    doc = json.loads(json.dumps(doc, default=float))
    doc["buildings"].append(
        {
            "id": "c0001",
            "name": "candidate office",
            "archetype": "office",
            "floor_area_m2": 5000.0,
            "partner": "partner-2",
            "phase": "candidate",
            "location": {"latitude_deg": 51.8840, "longitude_deg": 4.4890},
        }
    )
    doc["sources"] = [
        {
            "type": "ates",
            "id": "ates",
            "name": "ATES doublet",
            "partner": "partner-0",
            "location": {"latitude_deg": 51.8832, "longitude_deg": 4.4880},
            "max_flow_m3_per_h": 100,
            "warm_well_c": 16.0,
            "cold_well_c": 9.0,
            "thermal_balance_tolerance": 0.1,
        }
    ]
    doc.pop("scaling", None)
    return doc


def small_district(folder: Path) -> Path:
    path = folder / "district.yaml"
    path.write_text(yaml.safe_dump(small_district_document(), sort_keys=False), encoding="utf-8")
    return path
