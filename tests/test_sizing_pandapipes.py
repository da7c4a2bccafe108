"""sizing/network_pandapipes.json: the sized design as a pandapipes net, solved for one hour."""

import json
import warnings

import numpy as np
import pandapipes as pp
import pandas as pd
import pytest

from tsg import run_layout as layout
from tsg.grid.pipe_catalogue import load_pipe_catalogue


@pytest.fixture(scope="module")
def saved_net(small_run_dir):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pp.from_json(str(layout.SIZING_PANDAPIPES.under(small_run_dir)))


@pytest.mark.slow
def test_net_holds_the_built_trenches_of_the_design(small_run_dir, saved_net):
    net = saved_net
    edges = pd.read_csv(layout.EDGES.under(small_run_dir))
    built = edges[edges["built"]]
    assert len(built) > 0
    assert len(net.pipe) == 2 * len(built)  # a warm and a cold pipe per trench
    di_mm = load_pipe_catalogue().set_index("dn_mm")["di_mm"]
    pipes = net.pipe.set_index("name")
    for edge in built.itertuples():
        for line in ("warm", "cold"):
            pipe = pipes.loc[f"{edge.from_id}-{edge.to_id}/{line}"]
            assert pipe.length_km * 1000 == pytest.approx(edge.length_m, rel=1e-5)  # csv: 6 digits
            assert pipe.inner_diameter_mm == pytest.approx(di_mm.loc[edge.dn_mm], rel=1e-9)
    # junctions at the nodes' positions (WGS84 lon, lat), both lines
    district = json.loads(layout.DISTRICT.under(small_run_dir).read_text())
    where = {b["id"]: b["location"] for b in district["buildings"]}
    where.update({s["id"]: s["location"] for s in district["sources"]})
    names = net.junction["name"]
    assert len(net.junction_geodata) == len(net.junction)
    for j, name in names.items():
        node = name.rsplit("/", 1)[0]
        x, y = net.junction_geodata.loc[j, ["x", "y"]]
        assert (x, y) == pytest.approx(
            (where[node]["longitude_deg"], where[node]["latitude_deg"]), abs=1e-7
        )
    # the connected buildings as heat consumers, the ATES as the circulation pumps
    design = json.loads(layout.DESIGN.under(small_run_dir).read_text())
    connected = {b["building_id"] for b in design["buildings"] if b["connected"]}
    assert {n.split("/")[0] for n in net.heat_consumer["name"]} == connected
    assert set(net.circ_pump_pressure["name"]) == {"balancing/heating", "balancing/cooling"}


@pytest.mark.slow
def test_net_runs_the_design_hour_in_pandapipes(small_run_dir, saved_net):
    note = json.loads(layout.VERIFICATION.under(small_run_dir).read_text())["pandapipes_net"]
    assert note["converged"] and note["file"] == layout.SIZING_PANDAPIPES.relative
    net = saved_net
    assert net.heat_consumer["in_service"].any()
    saved = net.res_pipe["mdot_from_kg_per_s"].to_numpy().copy()
    assert np.abs(saved).max() > 0
    net.res_pipe.loc[:, :] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pp.pipeflow(
            net,
            mode="sequential",
            friction_model="colebrook",
            ambient_temperature=float(net.pipe["text_k"].mean()),
            max_iter_colebrook=200,
        )
    assert net.converged
    assert net.res_pipe["mdot_from_kg_per_s"].to_numpy() == pytest.approx(
        saved, rel=1e-3, abs=1e-6
    )
