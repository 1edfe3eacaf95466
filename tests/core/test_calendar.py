"""Monthly periods on actual dates (DOMAIN.md: time runs in calendar months
from the start date; hours in a month are its actual days x 24)."""
from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from core.calendar import days_between, period_bounds, to_date
from tests.helpers import add_months


def test_reference_term_bounds():
    bounds = period_bounds(dt.date(2026, 6, 1), 36)
    assert len(bounds) == 37                        # 36 periods have 37 boundaries
    assert bounds.dtype == np.dtype("datetime64[D]")
    assert to_date(bounds[0]) == dt.date(2026, 6, 1)
    assert to_date(bounds[-2]) == dt.date(2029, 5, 1)   # the 36th period: May 2029
    assert to_date(bounds[-1]) == dt.date(2029, 6, 1)
    assert all(to_date(b).day == 1 for b in bounds)


def test_reference_term_has_1096_days():
    # 1 Jun 2026 to 1 Jun 2029: 365 + 365 + 366 (Feb 2028 is a leap month) = 1,096 days
    bounds = period_bounds(dt.date(2026, 6, 1), 36)
    days = (bounds[1:] - bounds[:-1]).astype(int)
    assert days.sum() == (dt.date(2029, 6, 1) - dt.date(2026, 6, 1)).days == 365 + 365 + 366
    assert list(days[:3]) == [30, 31, 31]          # June, July, August 2026
    assert days[20] == 29                           # period 21 is February 2028


def test_end_of_month_start_is_clipped():
    bounds = [to_date(b) for b in period_bounds(dt.date(2026, 1, 31), 4)]
    assert bounds == [dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31),
                      dt.date(2026, 4, 30), dt.date(2026, 5, 31)]


def test_leap_february_clipping():
    bounds = [to_date(b) for b in period_bounds(dt.date(2028, 1, 30), 2)]
    assert bounds == [dt.date(2028, 1, 30), dt.date(2028, 2, 29), dt.date(2028, 3, 30)]


def test_single_month():
    bounds = period_bounds(dt.date(2026, 2, 1), 1)
    assert [to_date(b) for b in bounds] == [dt.date(2026, 2, 1), dt.date(2026, 3, 1)]


def test_days_between_counts_actual_days():
    bounds = period_bounds(dt.date(2026, 6, 1), 3)
    assert list(days_between(bounds, dt.date(2026, 6, 1))) == [0.0, 30.0, 61.0, 92.0]
    assert days_between(bounds, dt.date(2026, 6, 1)).dtype == float


def test_to_date_returns_a_python_date():
    value = to_date(np.datetime64("2026-06-01"))
    assert type(value) is dt.date and value == dt.date(2026, 6, 1)


@settings(max_examples=200, deadline=None)
@given(start=st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)),
       months=st.integers(1, 240))
def test_bounds_match_datetime_month_arithmetic(start, months):
    bounds = period_bounds(start, months)
    assert len(bounds) == months + 1
    for i in sorted({0, 1, months // 2, months - 1, months}):
        assert to_date(bounds[i]) == add_months(start, i)
    lengths = (bounds[1:] - bounds[:-1]).astype(int)
    assert lengths.min() >= 28 and lengths.max() <= 31
