"""One set of design limits: catalogue, optimiser capacities, design checks, errors, summary."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import yaml

from tsg.cli import main
from tsg.common import data_path
from tsg.common.errors import InputError
from tsg.district import built_in_district_path
from tsg.grid.design_checks import (
    CHECK_COLUMNS,
    design_checks,
    pump_assist_hours,
    summarise_checks,
)
from tsg.grid.design_limits import (
    DesignLimits,
    check_catalogue_carries,
    load_design_limits,
    with_overrides,
)
from tsg.grid.network import LoopSpec
from tsg.grid.pipe_catalogue import load_pipe_catalogue
from tsg.grid.sizing import SizingRule
from tsg.grid.year_result import HOUR_COLUMNS, YearResult
from tsg.optimisation.sizing import load_technologies, pipe_options
from tsg.schema.design_limits import DesignLimitsOverride
from tsg.simulation_inputs import network_inputs
from tsg.sizing_inputs import sizing_inputs

LIMITS = load_design_limits()
# Water at 15 degC (IAPWS-95 via standard tables): density 999.10 kg/m3, dynamic viscosity
# 1.138e-3 Pa s. Independent of the toolkit's own property functions.
RHO_15_KG_PER_M3 = 999.10
MU_15_PA_S = 1.138e-3
CP_KJ_PER_KG_K = 4.186


# --- one set, one place ---------------------------------------------------------------------


def test_every_user_of_the_limits_reads_the_catalogue_values():
    assert LoopSpec().plift_bar == LIMITS.central_pump_head_bar
    assert LoopSpec().min_return_c == LIMITS.min_temperature_c
    rule = SizingRule()
    assert rule.max_velocity_m_per_s == LIMITS.max_velocity_m_per_s
    assert rule.max_pressure_gradient_pa_per_m == LIMITS.max_pressure_gradient_pa_per_m
    network = load_technologies().network
    assert not hasattr(network, "max_velocity_m_per_s")
    assert not hasattr(network, "max_pressure_gradient_pa_per_m")


def test_catalogue_values_have_sources_and_sensible_ranges():
    assert 0.5 <= LIMITS.max_velocity_m_per_s <= 3.0
    assert 50.0 <= LIMITS.max_pressure_gradient_pa_per_m <= 300.0
    assert LIMITS.min_temperature_c < LIMITS.max_temperature_c


# --- optimiser capacities at the shared limits ----------------------------------------------


def _option(dn_mm: int, limits: DesignLimits = LIMITS):
    options = pipe_options(load_pipe_catalogue(), delta_t_k=6.0, limits=limits)
    return next(o for o in options if o.dn_mm == dn_mm)


def test_largest_pipe_capacity_is_the_velocity_limit_by_hand():
    # DN 450 (di 368.0 mm): at 2 m/s the friction is far below 100 Pa/m, so the velocity binds
    di_m = 0.368
    by_hand_kg_per_s = LIMITS.max_velocity_m_per_s * RHO_15_KG_PER_M3 * math.pi * di_m**2 / 4
    option = _option(450)
    assert option.max_mdot_kg_per_s == pytest.approx(by_hand_kg_per_s, rel=1e-3)
    assert option.max_heat_kw == pytest.approx(by_hand_kg_per_s * CP_KJ_PER_KG_K * 6.0, rel=1e-3)
    # a district that halves the velocity limit halves the capacity
    slow = with_overrides(LIMITS, {"max_velocity_m_per_s": LIMITS.max_velocity_m_per_s / 2})
    assert _option(450, slow).max_mdot_kg_per_s == pytest.approx(by_hand_kg_per_s / 2, rel=1e-3)


def test_small_pipe_capacity_is_the_gradient_limit_by_hand():
    # DN 110 (di 90.0 mm, roughness 0.01 mm): the gradient binds; Darcy-Weisbach with the
    # Swamee-Jain friction factor (within about 1 % of Colebrook) at the optimiser's flow
    di_m, eps_m = 0.090, 0.01e-3
    option = _option(110)
    velocity = option.max_mdot_kg_per_s / (RHO_15_KG_PER_M3 * math.pi * di_m**2 / 4)
    reynolds = RHO_15_KG_PER_M3 * velocity * di_m / MU_15_PA_S
    friction = 0.25 / math.log10(eps_m / (3.7 * di_m) + 5.74 / reynolds**0.9) ** 2
    gradient = friction / di_m * RHO_15_KG_PER_M3 * velocity**2 / 2
    assert velocity < LIMITS.max_velocity_m_per_s
    assert gradient == pytest.approx(LIMITS.max_pressure_gradient_pa_per_m, rel=0.02)


# --- design checks of a synthetic year ------------------------------------------------------


def _year() -> YearResult:
    """Four hours, two pipes (100 m), two junctions, one heating building; hour 2 invalid."""
    n_h = 4
    index = pd.date_range("2025-01-01", periods=n_h, freq="h", tz="Europe/Amsterdam")
    hours = pd.DataFrame(index=index, columns=HOUR_COLUMNS)
    hours["converged"] = [True, True, False, True]
    hours["reason"] = ["", "", "did not converge", ""]
    hours["balancing_direction"] = ["heating", "heating", "failed", "cooling"]
    v, g = LIMITS.max_velocity_m_per_s, LIMITS.max_pressure_gradient_pa_per_m
    velocity = np.array([[v - 0.01, 0.1], [v + 0.01, 0.1], [3 * v, 0.1], [v, 2 * v]])
    gradient_pa_per_m = np.array([[g, 1.0], [g + 1, 1.0], [9 * g, 1.0], [1.0, 3 * g]])
    t_min, t_max = LIMITS.min_temperature_c, LIMITS.max_temperature_c
    t_node = np.array([[t_min, 12.0], [t_min - 0.5, 12.0], [t_min - 9, 12.0], [12.0, t_max + 1]])
    nan2 = np.full((n_h, 2), np.nan)
    head = LIMITS.building_pump_head_bar
    # building pressure difference (inlet - outlet) [bar]; central lift = central head
    dp = np.array([[-(head + 0.1)], [0.05], [-5.0], [-0.1]])
    return YearResult(
        index=index,
        junctions=pd.DataFrame({"node_id": ["a", "b"], "line": ["warm", "cold"]}),
        pipes=pd.DataFrame(
            {
                "edge": [0, 1],
                "from_id": ["ates", "ates"],
                "to_id": ["a", "b"],
                "line": ["warm", "cold"],
                "dn_mm": [110, 110],
                "length_m": [100.0, 100.0],
            }
        ),
        building_ids=("a",),
        hours=hours,
        t_node_c=t_node,
        p_node_bar=nan2.copy(),
        pipe_mdot_kg_per_s=nan2.copy(),
        pipe_velocity_m_per_s=velocity,
        pipe_dp_bar=gradient_pa_per_m * 100.0 / 1e5,
        pipe_t_in_c=nan2.copy(),
        pipe_t_out_c=nan2.copy(),
        pipe_soil_gain_kw=nan2.copy(),
        bld_mode=np.array([[1], [1], [1], [1]], dtype=np.int8),
        bld_heat_requested_kw=np.full((n_h, 1), 100.0),
        bld_heat_delivered_kw=np.full((n_h, 1), 100.0),
        bld_mdot_kg_per_s=np.full((n_h, 1), 4.0),
        bld_t_in_c=np.full((n_h, 1), 18.0),
        bld_t_out_c=np.full((n_h, 1), 12.0),
        bld_dp_bar=dp,
    )


def test_design_checks_flag_exactly_the_hours_above_the_shared_limits():
    loop = LoopSpec(t_warm_c=18.0, t_cold_c=12.0)
    checks = design_checks(_year(), loop=loop)
    assert list(checks.columns) == CHECK_COLUMNS
    found = {(r.check, r.element_id, r.hour) for r in checks.itertuples()}
    expected = {
        ("velocity", "ates-a", 1),  # v + 0.01 (hour 0: just below, hour 3: equal)
        ("velocity", "ates-b", 3),  # 2 v
        ("pressure_gradient", "ates-a", 1),  # g + 1 (hour 0: equal)
        ("pressure_gradient", "ates-b", 3),  # 3 g
        ("temperature_min", "a", 1),  # 0.5 K below (hour 0: equal)
        ("temperature_max", "b", 3),  # 1 K above
        ("building_pump_head", "a", 0),  # head + 0.1 bar
        # the central pump lifts exactly its head: a building's pump assisting it is no
        # violation, only beyond the building pump's own head (hour 0 above)
    }
    assert found == expected  # hour 2 is invalid: never checked
    velocity = checks[checks.check == "velocity"].set_index("element_id")
    assert velocity.loc["ates-b", "value"] == pytest.approx(2 * LIMITS.max_velocity_m_per_s)
    assert set(velocity.limit) == {LIMITS.max_velocity_m_per_s}
    head = checks[checks.check == "building_pump_head"].iloc[0]
    assert head.value == pytest.approx(LIMITS.building_pump_head_bar + 0.1)
    assert head.limit == LIMITS.building_pump_head_bar


def test_stricter_limits_flag_more_hours():
    strict = replace(LIMITS, max_velocity_m_per_s=0.05)
    checks = design_checks(_year(), loop=LoopSpec(t_warm_c=18.0, t_cold_c=12.0), limits=strict)
    hours = sorted(checks[checks.check == "velocity"].hour.tolist())
    assert hours == [0, 0, 1, 1, 3, 3]  # every valid pipe-hour: 0.1 m/s > 0.05 m/s


# --- the summary for people -----------------------------------------------------------------


def test_summary_counts_hours_and_takes_the_worst_value_per_element_and_check():
    rows = [
        ("velocity", "pipe", "x-y", "warm", 0, 2.5, 2.0, "m/s"),
        ("velocity", "pipe", "x-y", "warm", 5, 3.1, 2.0, "m/s"),
        ("velocity", "pipe", "x-y", "warm", 9, 2.2, 2.0, "m/s"),
        ("velocity", "pipe", "x-y", "cold", 9, 2.4, 2.0, "m/s"),
        ("temperature_min", "junction", "n1", "cold", 3, 3.5, 4.0, "degC"),
        ("temperature_min", "junction", "n1", "cold", 4, 2.0, 4.0, "degC"),
    ]
    table = pd.DataFrame(
        [(c, e, i, ln, h, None, v, lim, u) for c, e, i, ln, h, v, lim, u in rows],
        columns=CHECK_COLUMNS,
    )
    summary = summarise_checks(table)
    assert list(summary.columns) == [
        "element",
        "element_id",
        "line",
        "check",
        "hours_violated",
        "worst_value",
        "limit",
        "unit",
    ]
    got = [
        (r.element_id, r.line, r.check, r.hours_violated, r.worst_value, r.limit)
        for r in summary.itertuples()
    ]
    assert got == [
        ("x-y", "warm", "velocity", 3, 3.1, 2.0),  # most hours first; highest velocity
        ("n1", "cold", "temperature_min", 2, 2.0, 4.0),  # lowest temperature is the worst
        ("x-y", "cold", "velocity", 1, 2.4, 2.0),
    ]
    assert summarise_checks(table.iloc[0:0]).empty


# --- bad limits give a clear error ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("max_velocity_m_per_s", 0.0),
        ("max_pressure_gradient_pa_per_m", -5.0),
        ("central_pump_head_bar", 0.0),
        ("building_pump_head_bar", -0.1),
        ("max_inlet_drift_k", 0.0),
        ("max_velocity_m_per_s", float("nan")),
    ],
)
def test_non_positive_limits_are_refused_naming_the_field(name, value):
    with pytest.raises(InputError) as error:
        replace(LIMITS, **{name: value})
    assert error.value.field == name


def test_catalogue_file_errors_name_the_file_and_field(tmp_path):
    source = data_path("catalogues", "design_limits.yaml")
    text = source.read_text(encoding="utf-8")
    bad = tmp_path / "limits.yaml"
    bad.write_text(text.replace("value: 100.0", "value: -100.0"), encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_design_limits(bad)
    assert error.value.file == bad.resolve()
    assert error.value.field == "max_pressure_gradient_pa_per_m"
    assert "positive" in error.value.message
    unsourced = tmp_path / "unsourced.yaml"
    unsourced.write_text(
        text.replace('source: "assumption: the highest infiltration', 'note: "the highest'),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as error:
        load_design_limits(unsourced)
    assert error.value.field == "max_temperature_c" and "source" in error.value.message


def test_overrides_name_the_district_field():
    with pytest.raises(InputError) as error:
        with_overrides(LIMITS, {"max_temperature_c": LIMITS.min_temperature_c - 1}, file="d.yaml")
    assert error.value.field == "network.design_limits.max_temperature_c"
    assert str(error.value.file) == "d.yaml"
    with pytest.raises(InputError) as error:
        with_overrides(LIMITS, {"max_speed": 1.0})
    assert error.value.field == "network.design_limits.max_speed"
    assert "max_velocity_m_per_s" in error.value.message


def test_limits_under_which_no_building_fits_the_largest_pipe_are_refused():
    catalogue = load_pipe_catalogue()
    where = {"max_pressure_gradient_pa_per_m": ("d.yaml", "network.design_limits.x")}
    peaks = {"small": 50.0, "big": 5000.0}
    # 50 kW at 6 K is 1.99 kg/s: DN 450 carries it at far below 1 Pa/m, so 1 Pa/m passes
    check_catalogue_carries(
        replace(LIMITS, max_pressure_gradient_pa_per_m=1.0),
        catalogue,
        peak_demand_kw=peaks,
        delta_t_k=6.0,
        where=where,
    )
    with pytest.raises(InputError) as error:
        check_catalogue_carries(
            replace(LIMITS, max_pressure_gradient_pa_per_m=1e-4),
            catalogue,
            peak_demand_kw=peaks,
            delta_t_k=6.0,
            where=where,
        )
    assert error.value.field == "network.design_limits.x"
    assert "'small'" in error.value.message and "DN 450" in error.value.message
    # velocity: 1.99 kg/s in DN 450 (di 368 mm) is 0.0187 m/s by hand
    with pytest.raises(InputError) as error:
        check_catalogue_carries(
            replace(LIMITS, max_velocity_m_per_s=0.01),
            catalogue,
            peak_demand_kw=peaks,
            delta_t_k=6.0,
            where={},
        )
    need = 50.0 / (CP_KJ_PER_KG_K * 6.0) / (RHO_15_KG_PER_M3 * math.pi * 0.368**2 / 4)
    assert error.value.field == "max_velocity_m_per_s"
    assert f"max_velocity_m_per_s >= {need:.3g} m/s" in error.value.message


# --- the district file's overrides reach every stage ----------------------------------------


def _with_limits(district, **limits):
    network = district.network.model_copy(update={"design_limits": DesignLimitsOverride(**limits)})
    return district.model_copy(update={"network": network})


def test_district_overrides_reach_the_optimiser_and_the_simulation(hvz, hvz_demand):
    base = {o.dn_mm: o.max_mdot_kg_per_s for o in sizing_inputs(hvz, hvz_demand).pipes}
    slow = _with_limits(hvz, max_velocity_m_per_s=1.0, central_pump_head_bar=0.45)
    pipes = {o.dn_mm: o.max_mdot_kg_per_s for o in sizing_inputs(slow, hvz_demand).pipes}
    assert pipes[450] == pytest.approx(base[450] / LIMITS.max_velocity_m_per_s, rel=1e-6)
    inputs = network_inputs(slow, hvz_demand)
    assert inputs.limits.max_velocity_m_per_s == 1.0
    assert inputs.sizing.max_velocity_m_per_s == 1.0
    assert inputs.loop.plift_bar == 0.45
    assert inputs.limits.max_pressure_gradient_pa_per_m == LIMITS.max_pressure_gradient_pa_per_m


def test_limits_no_pipe_can_meet_stop_the_stage_naming_the_district_field(hvz, hvz_demand):
    hopeless = _with_limits(hvz, max_pressure_gradient_pa_per_m=1e-6)
    with pytest.raises(InputError) as error:
        sizing_inputs(hopeless, hvz_demand)
    assert error.value.file == hvz_demand.district_file
    assert error.value.field == "network.design_limits.max_pressure_gradient_pa_per_m"
    assert "no building could be connected" in error.value.message


def test_cli_refuses_a_zero_limit_with_exit_code_2(tmp_path, capsys):
    document = yaml.safe_load(built_in_district_path().read_text(encoding="utf-8"))
    document["network"]["design_limits"] = {"max_velocity_m_per_s": 0}
    path = tmp_path / "district.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "district.yaml" in err and "network.design_limits.max_velocity_m_per_s" in err
    assert "Traceback" not in err


def test_validate_refuses_a_temperature_band_that_is_empty_with_the_catalogue(tmp_path, capsys):
    document = yaml.safe_load(built_in_district_path().read_text(encoding="utf-8"))
    document["network"]["design_limits"] = {"max_temperature_c": LIMITS.min_temperature_c - 1}
    path = tmp_path / "district.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "network.design_limits" in err and "max_temperature_c" in err
    assert "must be below" in err


def test_pump_assist_hours_count_valid_hours_with_a_negative_pressure_difference():
    # hours 0 and 3 have dp < 0 (the building's pump adds head); hour 2 is invalid
    assert pump_assist_hours(_year()) == {"a": 2}
