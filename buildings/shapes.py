"""Hourly shapes of hot water and cooling (relative, not yet scaled).

Space heating is in :mod:`buildings.heating` (it meets an annual demand and a design load).

Each function returns a non-negative array with one value per hour; :mod:`buildings.profiles`
scales it to the annual demand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tsg.buildings.archetypes import Archetype


def cooling_drive_k(
    weather: pd.DataFrame, *, archetype: Archetype, activity: np.ndarray
) -> np.ndarray:
    """Cooling drive [K]: how far outdoor conditions plus gains exceed the balance temperature.

    ``drive = T_out + k_solar * GHI + k_internal * activity - T_balance``, clipped at zero. The
    drive vanishes in cold weather even in full use, because outdoor air then removes the
    internal gains (economiser / free ventilation cooling).

    Parameters
    ----------
    weather
        ``temp_air_c`` [degC] and ``ghi_w_per_m2`` [W/m2].
    archetype
        Balance temperature and gain coefficients.
    activity
        Hourly activity [-].

    Returns
    -------
    numpy.ndarray
        Drive per hour [K], >= 0.
    """
    drive = (
        weather["temp_air_c"].to_numpy()
        + archetype.solar_gain_k_per_kw_m2 * weather["ghi_w_per_m2"].to_numpy() / 1000.0
        + archetype.internal_gain_k * activity
        - archetype.cooling_balance_c
    )
    return np.clip(drive, 0.0, None)


def cooling_shape(
    weather: pd.DataFrame, *, archetype: Archetype, activity: np.ndarray
) -> np.ndarray:
    """Relative hourly cooling shape, summing to 1 (or all zeros when nothing drives cooling).

    A constant process part (``process_cool_share``) plus a comfort part proportional to the
    cooling drive times activity (cooling plant runs while the building is in use).

    Returns
    -------
    numpy.ndarray
        Relative shape; all zeros when neither process nor comfort cooling occurs.
    """
    comfort = cooling_drive_k(weather, archetype=archetype, activity=activity) * activity
    process = np.full(len(activity), 1.0 / len(activity))
    if comfort.sum() <= 0.0:
        return process if archetype.process_cool_share > 0 else np.zeros(len(activity))
    share = archetype.process_cool_share
    return share * process + (1.0 - share) * comfort / comfort.sum()


def hot_water_shape(
    index: pd.DatetimeIndex, *, archetype: Archetype, activity: np.ndarray
) -> np.ndarray:
    """Relative hourly domestic-hot-water shape, summing to 1.

    Follows the archetype's 24 clock-hour weights where given (homes, hotels), otherwise the
    building's activity (offices, venues, pools: near-constant when base activity is high).

    Returns
    -------
    numpy.ndarray
        Relative shape.
    """
    if archetype.dhw_hourly_weights is not None:
        weights = np.asarray(archetype.dhw_hourly_weights)[index.hour.to_numpy()]
    else:
        weights = activity
    return weights / weights.sum()
