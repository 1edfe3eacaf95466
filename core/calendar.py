"""Monthly periods on actual dates, as numpy datetime64[D] arrays.

Period i runs from the start date plus i calendar months (same day of the
month, clipped to the month's length) up to, not including, the next one.
"""
from __future__ import annotations

import datetime as dt

import numpy as np


def period_bounds(start: dt.date, months: int) -> np.ndarray:
    """The months + 1 boundaries of `months` periods, as datetime64[D]."""
    first_month = np.datetime64(start, "M")
    month_firsts = (first_month + np.arange(months + 2)).astype("datetime64[D]")
    month_lengths = (month_firsts[1:] - month_firsts[:-1]).astype(int)
    day_offset = np.minimum(start.day - 1, month_lengths - 1)
    return month_firsts[:-1] + day_offset


def to_date(day: np.datetime64) -> dt.date:
    return day.astype("datetime64[D]").astype(dt.date)


def days_between(later: np.ndarray, earlier) -> np.ndarray:
    return (later - np.datetime64(earlier, "D")).astype("timedelta64[D]").astype(float)
