"""Weather input: readers that all return one hourly table layout, and degree days.

Every reader returns a :class:`pandas.DataFrame` following
:mod:`buildings.weather.vocabulary`: a time-zone-aware hourly index named ``time`` (hour
starts) covering one calendar year in the caller's time zone and the columns of
:data:`WEATHER_COLUMNS`.
"""

from tsg.buildings.weather.degree_days import daily_mean_temperature_c, heating_degree_days
from tsg.buildings.weather.dwd_try import (
    DEFAULT_TRY_REGION,
    read_dwd_try,
    read_dwd_try_file,
    try_file_path,
)
from tsg.buildings.weather.epw import read_epw
from tsg.buildings.weather.knmi import read_knmi_hourly
from tsg.buildings.weather.vocabulary import (
    DHI_W_PER_M2,
    GHI_W_PER_M2,
    RELATIVE_HUMIDITY_PCT,
    TEMP_AIR_C,
    WEATHER_COLUMNS,
    WIND_SPEED_M_PER_S,
    hourly_year_index,
    validate_weather,
)

__all__ = [
    "DEFAULT_TRY_REGION",
    "DHI_W_PER_M2",
    "GHI_W_PER_M2",
    "RELATIVE_HUMIDITY_PCT",
    "TEMP_AIR_C",
    "WEATHER_COLUMNS",
    "WIND_SPEED_M_PER_S",
    "daily_mean_temperature_c",
    "heating_degree_days",
    "hourly_year_index",
    "read_dwd_try",
    "read_dwd_try_file",
    "read_epw",
    "read_knmi_hourly",
    "try_file_path",
    "validate_weather",
]
