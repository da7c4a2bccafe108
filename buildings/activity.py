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
