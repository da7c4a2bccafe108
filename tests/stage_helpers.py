"""Helpers of the stage tests: one stage on a loaded district, written into a folder."""

from pathlib import Path

import numpy as np
import pandas as pd

from tsg.demand import DemandResult
from tsg.grid.year_result import HOUR_COLUMNS, YearResult
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


def stub_year(
    pipes: pd.DataFrame, mdot: np.ndarray, dp_building_bar: np.ndarray, buildings
) -> YearResult:
    """A simulated year with the given pipe flows and building pump heads; the rest neutral."""
    n_h, n_p = mdot.shape
    index = pd.date_range("2025-01-01", periods=n_h, freq="h", tz="Europe/Amsterdam")
    hours = pd.DataFrame(index=index, columns=HOUR_COLUMNS)
    hours["converged"] = True
    hours["reason"] = ""
    hours["balancing_direction"] = "heating"
    nan = np.full((n_h, n_p), np.nan)
    nb = len(buildings)
    return YearResult(
        index=index,
        junctions=pd.DataFrame({"node_id": [], "line": []}),
        pipes=pipes,
        building_ids=tuple(buildings),
        hours=hours,
        t_node_c=np.full((n_h, 0), 15.0),
        p_node_bar=np.full((n_h, 0), np.nan),
        pipe_mdot_kg_per_s=mdot,
        pipe_velocity_m_per_s=nan.copy(),
        pipe_dp_bar=nan.copy(),
        pipe_t_in_c=np.full((n_h, n_p), 15.0),
        pipe_t_out_c=nan.copy(),
        pipe_soil_gain_kw=nan.copy(),
        bld_mode=np.ones((n_h, nb), dtype=np.int8),
        bld_heat_requested_kw=np.zeros((n_h, nb)),
        bld_heat_delivered_kw=np.zeros((n_h, nb)),
        bld_mdot_kg_per_s=np.zeros((n_h, nb)),
        bld_t_in_c=np.full((n_h, nb), 18.0),
        bld_t_out_c=np.full((n_h, nb), 12.0),
        bld_dp_bar=dp_building_bar,
    )
