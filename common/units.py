"""Unit conversions and physical constants used across the toolkit (defined once).

Temperatures inside the toolkit are degC; :data:`C_TO_K` converts where a library needs
kelvin (pandapipes). Water's heat capacity is one constant for the optimiser and the network
model alike, so their heat-to-flow conversions agree exactly.
"""

from __future__ import annotations

__all__ = [
    "C_TO_K",
    "CP_WATER_J_PER_KG_K",
    "CP_WATER_KJ_PER_KG_K",
    "KWH_PER_MWH",
    "PA_PER_BAR",
    "SECONDS_PER_HOUR",
    "W_PER_KW",
]

#: degC -> K offset [K].
C_TO_K = 273.15
#: Specific heat capacity of water at 10-20 degC [J/(kg K)] (4.18-4.19 kJ/(kg K) in steam
#: tables; the low-temperature loop never leaves that range, so one value is used).
CP_WATER_J_PER_KG_K = 4186.0
#: The same in kJ/(kg K) (kW = kg/s x kJ/(kg K) x K).
CP_WATER_KJ_PER_KG_K = CP_WATER_J_PER_KG_K / 1000.0
#: kWh in one MWh.
KWH_PER_MWH = 1000.0
#: W in one kW.
W_PER_KW = 1000.0
#: Pa in one bar.
PA_PER_BAR = 1.0e5
#: Seconds in one hour.
SECONDS_PER_HOUR = 3600.0
