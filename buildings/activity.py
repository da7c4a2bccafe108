"""Hourly activity of a building: how much it is in use, 0 (empty) .. 1 (full use)."""

from __future__ import annotations

from datetime import date

import numpy as np

from tsg.buildings.archetypes import DAY_TYPES, Archetype
from tsg.buildings.calendar import HourlyCalendar, day_ordinals


def _in_hours(hour: np.ndarray, hours: tuple[int, int] | None) -> np.ndarray:
    if hours is None:
        return np.zeros(hour.shape, dtype=bool)
    return (hour >= hours[0]) & (hour < hours[1])


def activity_profile(
    calendar: HourlyCalendar,
    *,
    archetype: Archetype,
    event_dates: tuple[date, ...] = (),
    event_hours: tuple[int, int] | None = None,
) -> np.ndarray:
    """Activity of a building in every hour [-], between ``base_activity`` and 1.

    Regular buildings are in full use during their opening hours of the day type. Event-driven
    buildings (arena, convention centre) are in full use only on event days, during the event
    hours (default: the archetype's opening hours of that day type), and at base activity on
    all other days.

    Parameters
    ----------
    calendar
        Local clock hours, day types (holidays count as Sundays) and days of the index.
    archetype
        Opening hours and base activity.
    event_dates
        Event days of an event-driven building.
    event_hours
        ``(start_h, end_h)`` local clock hours of events; ``None`` uses opening hours.

    Returns
    -------
    numpy.ndarray
        Activity per hour.
    """
    in_use = np.zeros(len(calendar.hour), dtype=bool)
    for day_type in DAY_TYPES:
        hours = archetype.opening_hours[day_type] if event_hours is None else event_hours
        in_use |= (calendar.day_type == day_type) & _in_hours(calendar.hour, hours)
    if archetype.event_driven:
        in_use &= np.isin(calendar.day_number, day_ordinals(event_dates))
    return np.where(in_use, 1.0, archetype.base_activity)


def heating_pattern(activity: np.ndarray, *, archetype: Archetype) -> np.ndarray:
    """Return the weekday/hour pattern of space heating [-]: set-back, morning boost and use.

    1 in hours of full use (``activity >= 1``); ``heating_boost_factor`` in the
    ``heating_boost_h`` hours before each period of use (recovery from the set-back);
    ``heating_setback_share`` in all other hours. :func:`buildings.heating.space_heating_kw`
    multiplies its heat-loss line by this pattern.

    Parameters
    ----------
    activity
        Hourly activity of the building (:func:`activity_profile`).
    archetype
        Set-back share, boost hours and boost factor.

    Returns
    -------
    numpy.ndarray
        Pattern per hour, > 0.
    """
    in_use = np.asarray(activity) >= 1.0
    boost = np.zeros(len(in_use), dtype=bool)
    for lead_h in range(1, archetype.heating_boost_h + 1):
        boost[:-lead_h] |= in_use[lead_h:]
    boost &= ~in_use
    pattern = np.full(len(in_use), archetype.heating_setback_share)
    pattern[boost] = archetype.heating_boost_factor
    pattern[in_use] = 1.0
    return pattern
