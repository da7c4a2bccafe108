"""Day types, holidays, event calendars and activity on a DST-aware local index."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from tsg.buildings.activity import activity_profile
from tsg.buildings.archetypes import load_archetypes
from tsg.buildings.calendar import HourlyCalendar, day_types, draw_event_dates, public_holidays


def _index(year=2025):
    return pd.date_range(
        pd.Timestamp(f"{year}-01-01", tz="Europe/Amsterdam"),
        pd.Timestamp(f"{year + 1}-01-01", tz="Europe/Amsterdam"),
        freq="h",
        inclusive="left",
    )


def test_dutch_holidays_count_as_sundays():
    holidays = public_holidays([2025], country="NL")
    assert date(2025, 4, 21) in holidays  # Easter Monday
    index = _index()
    kinds = pd.Series(day_types(index, holidays=holidays), index=index)
    assert kinds["2025-04-21 12:00"] == "sunday"
    assert kinds["2025-04-22 12:00"] == "workday"
    assert kinds["2025-04-19 12:00"] == "saturday"


def test_office_activity_follows_local_clock_hours_across_dst():
    office = load_archetypes()["office"]
    index = _index()
    activity = pd.Series(
        activity_profile(HourlyCalendar.from_index(index, holidays={}), archetype=office),
        index=index,
    )
    # Monday 31 March 2025, the day after the switch to summer time: 08:00 local is in use
    assert activity["2025-03-31 07:00"] == office.base_activity
    assert activity["2025-03-31 08:00"] == 1.0
    assert activity["2025-03-31 17:00"] == 1.0
    assert activity["2025-03-31 18:00"] == office.base_activity
    assert activity["2025-03-29 12:00"] == office.base_activity  # Saturday closed
    workday_hours = activity[index.dayofweek < 5]
    assert (workday_hours == 1.0).sum() == 261 * 10  # 261 workdays in 2025, 10 h each


def test_event_calendar_is_reproducible_and_favours_weekends():
    first = draw_event_dates(year=2025, events_per_year=120, seed=7)
    assert first == draw_event_dates(year=2025, events_per_year=120, seed=7)
    assert first != draw_event_dates(year=2025, events_per_year=120, seed=8)
    assert len(set(first)) == 120
    weekdays = np.array([d.weekday() for d in first])
    assert np.isin(weekdays, [4, 5]).mean() > 2 / 7  # Friday/Saturday three times as likely
    with pytest.raises(ValueError):
        draw_event_dates(year=2025, events_per_year=400, seed=1)


def test_event_driven_building_is_busy_only_on_event_days():
    arena = load_archetypes()["arena"]
    index = _index()
    activity = pd.Series(
        activity_profile(
            HourlyCalendar.from_index(index, holidays={}),
            archetype=arena,
            event_dates=(date(2025, 6, 6),),
            event_hours=(18, 23),
        ),
        index=index,
    )
    assert (activity == 1.0).sum() == 5
    assert activity["2025-06-06 20:00"] == 1.0
    assert activity["2025-06-07 20:00"] == arena.base_activity
