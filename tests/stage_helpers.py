"""Helpers of the stage tests: one stage on a loaded district, written into a folder."""

from pathlib import Path

from tsg.demand import DemandResult
from tsg.optimisation.sizing import SizingOptions
from tsg.schema import District
from tsg.stages import RunContext, RunSettings, run_stage


def run_sizing(
    district: District,
    demand: DemandResult,
    *,
    out_dir: Path,
    options: SizingOptions | None = None,
    sensitivity: bool | str = True,
):
    """The sizing stage as ``tsg size`` runs it (sensitivity table by default)."""
    settings = RunSettings(sizing_options=options, sensitivity=sensitivity)
    ctx = RunContext.of(district, out_dir / "district.yaml", demand=demand, settings=settings)
    result, _ = run_stage("sizing", ctx, out_dir)
    return result


def add_ates(doc: dict, *, north_deg: float, flow_m3_per_h: float, **extra) -> None:
    """Put an ATES of the first partner just north of the first building."""
    first = doc["buildings"][0]["location"]
    doc["sources"] = [
        {
            "type": "ates",
            "id": "ates",
            "name": "ATES",
            "partner": doc["partners"][0]["id"],
            "location": {
                "latitude_deg": float(first["latitude_deg"]) + north_deg,
                "longitude_deg": float(first["longitude_deg"]),
            },
            "max_flow_m3_per_h": flow_m3_per_h,
            "warm_well_c": 16.0,
            "cold_well_c": 9.0,
            **extra,
        }
    ]
