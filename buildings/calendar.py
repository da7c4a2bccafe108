"""Day types, public holidays and event calendars on an hourly time index."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import holidays as holidays_lib
import numpy as np
import pandas as pd

WORKDAY, SATURDAY, SUNDAY = "workday", "saturday", "sunday"
_NS_PER_DAY = 86_400 * 10**9
_ORDINAL_OF_1970_01_01 = date(1970, 1, 1).toordinal()


def local_day_numbers(index: pd.DatetimeIndex) -> np.ndarray:
    """Return the local calendar day of every time stamp as ``date.toordinal()``."""
    wall_clock_ns = index.tz_localize(None).asi8 if index.tz is not None else index.asi8
    return wall_clock_ns // _NS_PER_DAY + _ORDINAL_OF_1970_01_01


def day_ordinals(days: object) -> np.ndarray:
    """Ordinals of an iterable of dates (for fast membership tests)."""
    return np.fromiter((d.toordinal() for d in days), dtype=np.int64)


@dataclass(frozen=True)
class HourlyCalendar:
    """Calendar facts of an hourly index, computed once and shared by all buildings.

    Attributes
    ----------
    hour
        Local clock hour 0..23 of every time stamp.
    day_type
        ``workday``, ``saturday`` or ``sunday`` (Sundays and public holidays).
    day_number
        Local calendar day as ``date.toordinal()``.
    """

    hour: np.ndarray
    day_type: np.ndarray
    day_number: np.ndarray

    @classmethod
    def from_index(cls, index: pd.DatetimeIndex, *, holidays: dict[date, str]) -> HourlyCalendar:
        """Build the calendar of a (time-zone aware, local) hourly index."""
        return cls(
            hour=index.hour.to_numpy(),
            day_type=day_types(index, holidays=holidays),
            day_number=local_day_numbers(index),
        )


def public_holidays(years: list[int] | range, *, country: str) -> dict[date, str]:
    """Public holidays of a country.

    Parameters
    ----------
    years
        Calendar years to cover.
    country
        ISO 3166-1 alpha-2 code, e.g. ``"NL"``.

    Returns
    -------
    dict[date, str]
        Holiday names by date.
    """
    return dict(holidays_lib.country_holidays(country, years=list(years)))


def day_types(index: pd.DatetimeIndex, *, holidays: dict[date, str]) -> np.ndarray:
    """Day type of every time stamp: ``workday``, ``saturday`` or ``sunday`` (incl. holidays).

    Parameters
    ----------
    index
        Hourly, time-zone aware index in local time.
    holidays
        Dates that count as Sundays.

    Returns
    -------
    numpy.ndarray
        One string per time stamp.
    """
    weekday = index.dayofweek.to_numpy()
    result = np.where(weekday == 5, SATURDAY, np.where(weekday == 6, SUNDAY, WORKDAY))
    is_holiday = np.isin(local_day_numbers(index), day_ordinals(holidays))
    return np.where(is_holiday, SUNDAY, result)


def draw_event_dates(
    *, year: int, events_per_year: int, seed: int, summer_weight: float = 0.5
) -> tuple[date, ...]:
    """Draw a reproducible calendar of event days for a venue.

    Fridays and Saturdays are three times as likely as other days; July and August are less
    likely (``summer_weight``), since indoor venues run fewer events in the summer break.
    These weights are an assumption for venues without a published calendar.

    Parameters
    ----------
    year
        Calendar year.
    events_per_year
        Number of distinct event days (0 .. days in the year).
    seed
        Seed of the random generator; the same seed gives the same calendar.
    summer_weight
        Relative weight of days in July and August [-].

    Returns
    -------
    tuple[date, ...]
        Sorted event days.
    """
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    if not 0 <= events_per_year <= len(days):
        raise ValueError(f"events_per_year must be within 0..{len(days)}, got {events_per_year}")
    weights = np.where(days.dayofweek.isin([4, 5]), 3.0, 1.0)
    weights = weights * np.where(days.month.isin([7, 8]), summer_weight, 1.0)
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(days), size=events_per_year, replace=False, p=weights / weights.sum())
    return tuple(sorted(days[i].date() for i in chosen))
