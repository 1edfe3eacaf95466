"""Helpers the model's tests share: contract dates and hours worked out with
plain datetime and calendar.monthrange, independently of core.calendar.

A plain module rather than conftest.py: tests/ui has its own conftest, and
`from conftest import ...` would find whichever was imported last."""
from __future__ import annotations

import calendar
import datetime as dt


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later, clipped to that month's length."""
    year, month0 = divmod(start.month - 1 + months, 12)
    year += start.year
    return dt.date(year, month0 + 1, min(start.day, calendar.monthrange(year, month0 + 1)[1]))


def period_hours(start: dt.date, i: int) -> int:
    """Hours in period i (0-based) of a contract starting on `start`: actual days x 24."""
    return (add_months(start, i + 1) - add_months(start, i)).days * 24
