import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tsg.common.errors import InputError
from tsg.grid.substation import SubstationSpec, carnot_cop, substation_loads


def _demand(heat, dhw, cool):
    return pd.DataFrame({"heat_kw": heat, "dhw_kw": dhw, "cool_kw": cool})


def test_hand_computed_cops_and_balances():
    # the evaporator cools warm-line water to the cold line (12 C), so with no approach the
    # refrigerant evaporates at 12 C: heating supply 45 C: COP = 0.5 * 318.15 / 33 = 4.82045
    # DHW 60 C: COP = 0.5 * 333.15 / 48 = 3.47031
    spec = SubstationSpec(t_heating_supply_c=45.0, t_dhw_c=60.0, t_cooling_supply_c=16.0)
    out = substation_loads(_demand([100.0], [20.0], [0.0]), spec=spec, t_warm_c=18.0, t_cold_c=12.0)
    cop_h = 0.5 * 318.15 / 33.0
    cop_w = 0.5 * 333.15 / 48.0
    assert out.cop_heating.iloc[0] == pytest.approx(cop_h, rel=1e-12)
    assert out.cop_dhw.iloc[0] == pytest.approx(cop_w, rel=1e-12)
    expected_extract = 100 * (1 - 1 / cop_h) + 20 * (1 - 1 / cop_w)
    assert out.network_heat_kw.iloc[0] == pytest.approx(expected_extract, rel=1e-12)
    assert out.elec_kw.iloc[0] == pytest.approx(100 / cop_h + 20 / cop_w, rel=1e-12)
    # first law: loop heat + electricity = delivered heat
    assert out.network_heat_kw.iloc[0] + out.elec_kw.iloc[0] == pytest.approx(120.0)
    assert not out.heating_direct.iloc[0] and not out.dhw_direct.iloc[0]


def test_free_cooling_and_chiller():
    spec = SubstationSpec(t_cooling_supply_c=16.0, chiller_eer=4.0)
    # cold line 12 C <= 16 C: free cooling, injection = cooling load, no electricity
    free = substation_loads(_demand([0.0], [0.0], [50.0]), spec=spec, t_warm_c=18, t_cold_c=12)
    assert free.free_cooling.iloc[0]
    assert free.network_heat_kw.iloc[0] == pytest.approx(-50.0)
    assert free.elec_kw.iloc[0] == 0.0
    assert np.isnan(free.eer_cooling.iloc[0])
    # cold line 17 C > 16 C: chiller EER 4 -> injection 50 * 1.25 = 62.5, elec 12.5
    ch = substation_loads(_demand([0.0], [0.0], [50.0]), spec=spec, t_warm_c=22, t_cold_c=17)
    assert not ch.free_cooling.iloc[0]
    assert ch.network_heat_kw.iloc[0] == pytest.approx(-62.5)
    assert ch.elec_cooling_kw.iloc[0] == pytest.approx(12.5)
    # boundary: exactly at the supply temperature still counts as free cooling
    edge = substation_loads(_demand([0.0], [0.0], [1.0]), spec=spec, t_warm_c=20, t_cold_c=16)
    assert edge.free_cooling.iloc[0]


def test_carnot_chiller_eer_by_hand():
    spec = SubstationSpec(t_cooling_supply_c=8.0, carnot_efficiency=0.5, max_cop=20.0)
    # evaporator 8 C (281.15 K), condenser at warm line 20 C: EER = 0.5 * 281.15 / 12
    out = substation_loads(_demand([0.0], [0.0], [10.0]), spec=spec, t_warm_c=20, t_cold_c=14)
    eer = 0.5 * 281.15 / 12.0
    assert out.eer_cooling.iloc[0] == pytest.approx(eer)
    assert out.network_inject_kw.iloc[0] == pytest.approx(10 * (1 + 1 / eer))
    # with the default cap of 10 the EER is limited
    capped = substation_loads(
        _demand([0.0], [0.0], [10.0]),
        spec=SubstationSpec(t_cooling_supply_c=8.0),
        t_warm_c=20,
        t_cold_c=14,
    )
    assert capped.eer_cooling.iloc[0] == pytest.approx(10.0)


def test_approach_and_cap():
    approaches = {"evaporator_approach_k": 3.0, "condenser_approach_k": 3.0}
    spec = SubstationSpec(t_heating_supply_c=35.0, max_cop=5.0, **approaches)
    # condenser 38 C, evaporator 12 - 3 = 9 C: 0.5 * 311.15 / 29 = 5.365 -> capped at 5
    out = substation_loads(_demand([60.0], [0.0], [0.0]), spec=spec, t_warm_c=18, t_cold_c=12)
    assert out.cop_heating.iloc[0] == pytest.approx(5.0)
    assert out.elec_heating_kw.iloc[0] == pytest.approx(12.0)
    spec2 = SubstationSpec(t_heating_supply_c=35.0, max_cop=20.0, **approaches)
    out2 = substation_loads(_demand([60.0], [0.0], [0.0]), spec=spec2, t_warm_c=18, t_cold_c=12)
    assert out2.cop_heating.iloc[0] == pytest.approx(0.5 * 311.15 / 29.0)


def test_heat_exchanger_approach_decides_direct_use():
    # free cooling needs the cold line hx_approach_k below the chilled-water supply
    spec = SubstationSpec(t_cooling_supply_c=16.0, hx_approach_k=2.5, chiller_eer=4.0)
    ok = substation_loads(_demand([0.0], [0.0], [1.0]), spec=spec, t_warm_c=20, t_cold_c=13.5)
    short = substation_loads(_demand([0.0], [0.0], [1.0]), spec=spec, t_warm_c=20, t_cold_c=14)
    assert ok.free_cooling.iloc[0] and not short.free_cooling.iloc[0]
    # direct heating needs the warm line hx_approach_k above the heating supply
    heat = SubstationSpec(t_heating_supply_c=25.0, hx_approach_k=2.5)
    direct = substation_loads(_demand([1.0], [0.0], [0.0]), spec=heat, t_warm_c=27.5, t_cold_c=20)
    boost = substation_loads(_demand([1.0], [0.0], [0.0]), spec=heat, t_warm_c=27.0, t_cold_c=20)
    assert direct.heating_direct.iloc[0] and not boost.heating_direct.iloc[0]


def test_direct_heating_when_loop_is_hot_enough():
    spec = SubstationSpec(t_heating_supply_c=25.0)
    out = substation_loads(_demand([40.0], [0.0], [0.0]), spec=spec, t_warm_c=30, t_cold_c=20)
    assert out.heating_direct.iloc[0]
    assert np.isnan(out.cop_heating.iloc[0])
    assert out.network_heat_kw.iloc[0] == pytest.approx(40.0)
    assert out.elec_heating_kw.iloc[0] == 0.0


def test_hourly_temperatures_and_index_preserved():
    idx = pd.date_range("2025-01-01", periods=3, freq="h")
    d = pd.DataFrame(
        {"heat_kw": [10.0, 10.0, 0.0], "dhw_kw": 0.0, "cool_kw": [0.0, 0, 5]}, index=idx
    )
    out = substation_loads(
        d, spec=SubstationSpec(), t_warm_c=[18.0, 14.0, 20.0], t_cold_c=[12.0, 8.0, 14.0]
    )
    assert (out.index == idx).all()
    # colder source -> lower COP
    assert out.cop_heating.iloc[1] < out.cop_heating.iloc[0]


@settings(max_examples=60, deadline=None)
@given(
    heat=st.floats(0, 1e4),
    dhw=st.floats(0, 1e3),
    cool=st.floats(0, 1e4),
    t_cold=st.floats(2, 25),
    spread=st.floats(1, 10),
    eta=st.floats(0.2, 0.8),
    t_sup=st.floats(25, 75),
    t_cs=st.floats(5, 20),
)
def test_energy_balances_hold_everywhere(heat, dhw, cool, t_cold, spread, eta, t_sup, t_cs):
    spec = SubstationSpec(t_heating_supply_c=t_sup, t_cooling_supply_c=t_cs, carnot_efficiency=eta)
    out = substation_loads(
        _demand([heat], [dhw], [cool]), spec=spec, t_warm_c=t_cold + spread, t_cold_c=t_cold
    ).iloc[0]
    assert out.network_extract_kw + out.elec_heating_kw + out.elec_dhw_kw == pytest.approx(
        heat + dhw, rel=1e-9, abs=1e-9
    )
    assert out.network_inject_kw == pytest.approx(cool + out.elec_cooling_kw, rel=1e-9, abs=1e-9)
    assert out.network_heat_kw == pytest.approx(
        out.network_extract_kw - out.network_inject_kw, rel=1e-9, abs=1e-6
    )
    assert out.elec_kw >= 0 and out.network_extract_kw >= 0 and out.network_inject_kw >= 0
    for c in ("cop_heating", "cop_dhw", "eer_cooling"):
        assert np.isnan(out[c]) or 0 < out[c] <= spec.max_cop


def test_carnot_cop_no_lift_is_nan():
    assert np.isnan(carnot_cop(t_sink_c=20.0, t_source_c=20.0, efficiency=0.5))
    assert carnot_cop(t_sink_c=35.0, t_source_c=10.0, efficiency=1.0) == pytest.approx(
        308.15 / 25.0
    )


def test_input_errors():
    with pytest.raises(InputError, match="carnot_efficiency"):
        SubstationSpec(carnot_efficiency=1.5)
    with pytest.raises(InputError, match="cool_kw"):
        substation_loads(
            pd.DataFrame({"heat_kw": [1.0], "dhw_kw": [0.0]}),
            spec=SubstationSpec(),
            t_warm_c=18,
            t_cold_c=12,
        )
    with pytest.raises(InputError, match=">= 0"):
        substation_loads(
            _demand([-1.0], [0.0], [0.0]), spec=SubstationSpec(), t_warm_c=18, t_cold_c=12
        )
    with pytest.raises(InputError, match="warmer"):
        substation_loads(
            _demand([1.0], [0.0], [0.0]), spec=SubstationSpec(), t_warm_c=10, t_cold_c=12
        )
    with pytest.raises(InputError, match="one value per hour"):
        substation_loads(
            _demand([1.0], [0.0], [0.0]), spec=SubstationSpec(), t_warm_c=[18, 18], t_cold_c=12
        )
