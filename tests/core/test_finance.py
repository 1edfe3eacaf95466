"""Discounting on actual dates (core/finance.py) against numpy-financial and
against the XNPV convention worked out with Python's datetime.

XNPV: a flow on date d is worth flow x (1 + r) ^ (-days(d - valuation) / 365).
When the flows fall exactly 365 days apart, that is the periodic NPV that
numpy-financial computes (first flow undiscounted), and XIRR is its IRR.
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.finance import (day_offsets, discount_factors, first_crossing,
                          first_month_at_or_above, xirr, xnpv)

# 2025, 2026 and 2027 are not leap years: these dates are exactly 365 days apart.
YEARLY = [dt.date(2025, 1, 1), dt.date(2026, 1, 1), dt.date(2027, 1, 1), dt.date(2028, 1, 1)]


def d64(dates) -> np.ndarray:
    return np.array(dates, dtype="datetime64[D]")


def hand_xnpv(rate, flows, dates, valuation) -> float:
    return sum(f * (1 + rate) ** (-(d - valuation).days / 365) for f, d in zip(flows, dates))


def test_yearly_dates_are_365_days_apart():
    assert [(b - a).days for a, b in zip(YEARLY, YEARLY[1:])] == [365, 365, 365]


# --- discount factors and XNPV -------------------------------------------------------

def test_day_offsets_are_actual_days():
    dates = [dt.date(2026, 6, 1), dt.date(2026, 7, 1), dt.date(2028, 3, 1)]
    # 30 days of June; 2028 is a leap year: 1 Jun 2026 -> 1 Mar 2028 is 639 days.
    assert list(day_offsets(d64(dates), dt.date(2026, 6, 1))) == [0, 30, 639]
    assert (dt.date(2028, 3, 1) - dt.date(2026, 6, 1)).days == 639


def test_discount_factors_follow_xnpv_convention():
    start = dt.date(2026, 6, 1)
    dates = [start, dt.date(2026, 7, 1), dt.date(2027, 6, 1), dt.date(2028, 6, 1)]
    factors = discount_factors(d64(dates), start, 0.10)
    # 0, 30, 365 and 731 days (Feb 2028 has 29 days).
    expected = [1.0, 1.10 ** (-30 / 365), 1 / 1.10, 1.10 ** (-731 / 365)]
    assert factors == pytest.approx(expected, rel=1e-14)
    assert factors[0] == 1.0
    assert factors[2] == pytest.approx(1 / 1.1, rel=1e-14)   # exactly a 365-day year


def test_zero_rate_discount_factors_are_one():
    dates = d64([dt.date(2026, 6, 1), dt.date(2030, 1, 1)])
    assert list(discount_factors(dates, dt.date(2026, 6, 1), 0.0)) == [1.0, 1.0]


def test_flow_before_valuation_is_compounded():
    # A flow 365 days before the valuation date is worth (1 + r) times more.
    factor = discount_factors(d64([dt.date(2025, 6, 1)]), dt.date(2026, 6, 1), 0.08)
    assert factor[0] == pytest.approx(1.08, rel=1e-14)


@pytest.mark.parametrize("rate", [0.0, 0.05, 0.09, 0.25])
def test_xnpv_equals_npf_npv_for_flows_365_days_apart(rate):
    flows = [-1_000.0, 300.0, 400.0, 500.0]
    # npf.npv discounts the first flow by (1 + r)^0, the next by (1 + r)^1, ...
    periodic = npf.npv(rate, flows)
    assert xnpv(rate, np.array(flows), d64(YEARLY), YEARLY[0]) == pytest.approx(periodic,
                                                                                 rel=1e-12)
    # ... and written out by hand: -1000 + 300/(1+r) + 400/(1+r)^2 + 500/(1+r)^3
    by_hand = -1_000 + 300 / (1 + rate) + 400 / (1 + rate) ** 2 + 500 / (1 + rate) ** 3
    assert periodic == pytest.approx(by_hand, rel=1e-12)


def test_xnpv_on_irregular_dates_by_hand():
    start = dt.date(2026, 6, 1)
    dates = [dt.date(2026, 6, 1), dt.date(2026, 6, 30), dt.date(2026, 8, 31), dt.date(2029, 5, 31)]
    flows = [-5e6, 1e6, 2e6, 3e6]
    expected = hand_xnpv(0.07, flows, dates, start)
    assert xnpv(0.07, np.array(flows), d64(dates), start) == pytest.approx(expected, rel=1e-13)


def test_xnpv_leap_day_counts_as_a_day():
    # 1 Feb 2028 -> 1 Mar 2028 is 29 days; 1 Feb 2027 -> 1 Mar 2027 is 28.
    f28 = xnpv(0.1, np.array([100.0]), d64([dt.date(2027, 3, 1)]), dt.date(2027, 2, 1))
    f29 = xnpv(0.1, np.array([100.0]), d64([dt.date(2028, 3, 1)]), dt.date(2028, 2, 1))
    assert f28 == pytest.approx(100 * 1.1 ** (-28 / 365), rel=1e-14)
    assert f29 == pytest.approx(100 * 1.1 ** (-29 / 365), rel=1e-14)
    assert f29 < f28


# --- XIRR ------------------------------------------------------------------------

@pytest.mark.parametrize("flows", [
    [-1_000.0, 300.0, 400.0, 500.0],
    [-100.0, 39.0, 59.0, 55.0],           # numpy-financial's documented example (4 years)
    [-1_000.0, 0.0, 0.0, 1_331.0],        # exactly 10% a year: 1,000 x 1.1^3 = 1,331
    [-100.0, 0.0, 0.0, 74.0],             # a loss: about -9.55% a year
    [-500.0, 600.0, 0.0, 0.0],            # 20% in one year
])
def test_xirr_equals_npf_irr_for_flows_365_days_apart(flows):
    rate = xirr(np.array(flows), d64(YEARLY))
    assert rate == pytest.approx(npf.irr(flows), abs=1e-9)
    # XNPV at the XIRR is zero (in the test's own datetime arithmetic).
    assert hand_xnpv(rate, flows, YEARLY, YEARLY[0]) == pytest.approx(0.0, abs=1e-6)


def test_xirr_round_numbers_by_hand():
    assert xirr(np.array([-1_000.0, 0.0, 0.0, 1_331.0]), d64(YEARLY)) == pytest.approx(0.10,
                                                                                      abs=1e-10)
    # Half the money back after a year: -50%.
    assert xirr(np.array([-100.0, 50.0]), d64(YEARLY[:2])) == pytest.approx(-0.5, abs=1e-10)
    # Doubled in exactly two 365-day years: sqrt(2) - 1.
    assert xirr(np.array([-100.0, 200.0]), d64([YEARLY[0], YEARLY[2]])) == pytest.approx(
        math.sqrt(2) - 1, abs=1e-10)


def test_xirr_is_not_applicable_when_the_flows_have_two_rates():
    # -100 now, +230 in a year, -132 in two: XNPV = 0 when -100 x^2 + 230 x - 132 = 0 with
    # x = 1 + r, so x = (230 +/- sqrt(230^2 - 4 x 100 x 132)) / 200 = (230 +/- 10) / 200:
    # r = 10% and r = 20%.  No one IRR to report: n/a (a spreadsheet returns whichever
    # root its guess leads to).
    flows = np.array([-100.0, 230.0, -132.0])
    assert math.isnan(xirr(flows, d64(YEARLY[:3])))
    # Both really are roots (the hand check above).
    for rate in (0.10, 0.20):
        assert hand_xnpv(rate, list(flows), YEARLY[:3], YEARLY[0]) == pytest.approx(0.0, abs=1e-9)


def test_xirr_on_monthly_actual_dates_makes_hand_xnpv_zero():
    # Invest 10M on 1 Jun 2026, receive 1M on the first of each of the next 12 months.
    dates = [dt.date(2026, 6, 1)] + [dt.date(2026 + (5 + i) // 12, (5 + i) % 12 + 1, 1)
                                      for i in range(1, 13)]
    assert dates[1] == dt.date(2026, 7, 1) and dates[-1] == dt.date(2027, 6, 1)
    flows = [-10e6] + [1e6] * 12
    rate = xirr(np.array(flows), d64(dates))
    assert hand_xnpv(rate, flows, dates, dates[0]) == pytest.approx(0.0, abs=1e-3)
    # The root is bracketed: a rate 0.1 point lower gives a positive XNPV, higher negative.
    assert hand_xnpv(rate - 0.001, flows, dates, dates[0]) > 0
    assert hand_xnpv(rate + 0.001, flows, dates, dates[0]) < 0
    # 12M back on 10M within a year (about 35% a year): well above 20%, below 50%.
    assert 0.2 < rate < 0.5


def test_xirr_values_at_the_first_date_whatever_the_order():
    flows = np.array([1_331.0, -1_000.0])
    dates = d64([YEARLY[3], YEARLY[0]])
    assert xirr(flows, dates) == pytest.approx(0.10, abs=1e-10)


@pytest.mark.parametrize("flows", [
    [100.0, 200.0, 300.0, 400.0],     # nothing invested: no rate of return
    [-100.0, -200.0, -1.0, -4.0],     # nothing returned
    [0.0, 0.0, 0.0, 0.0],
])
def test_xirr_is_nan_without_a_sign_change(flows):
    assert math.isnan(xirr(np.array(flows), d64(YEARLY)))


def test_xirr_large_return_is_found():
    # 1 in, 100 out a year later: 9,900% a year, beyond the first bracket of 100%.
    assert xirr(np.array([-1.0, 100.0]), d64(YEARLY[:2])) == pytest.approx(99.0, rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(investment=st.integers(10, 10**9),
       returns=st.lists(st.integers(0, 10**9), min_size=3, max_size=3))
def test_xirr_matches_npf_irr_on_random_yearly_flows(investment, returns):
    # One sign change (invest, then receive): a unique IRR above -100%.
    assume(sum(returns) > 0.05 * investment)
    flows = [-float(investment), *map(float, returns)]
    expected = npf.irr(flows)
    assume(np.isfinite(expected) and -0.95 < expected < 50)
    assert xirr(np.array(flows), d64(YEARLY)) == pytest.approx(expected, abs=1e-8)


# --- payback and crossings -------------------------------------------------------

def test_first_month_at_or_above_is_one_based():
    # Cumulative cash -3, -1, 0, 2: reaches zero in the third month.
    assert first_month_at_or_above(np.array([-3.0, -1.0, 0.0, 2.0])) == 3
    assert first_month_at_or_above(np.array([5.0, 6.0])) == 1
    assert first_month_at_or_above(np.array([-3.0, -2.0])) is None
    assert first_month_at_or_above(np.array([1.0, 2.0, 3.0]), threshold=2.5) == 3
    assert first_month_at_or_above(np.array([])) is None


def test_first_crossing_of_two_cumulative_lines():
    # a - b: -1, -0.5, +0.1, +0.5: the lines cross in month 3.
    a = np.array([1.0, 2.0, 3.0, 4.0])
    b = np.array([2.0, 2.5, 2.9, 3.5])
    assert first_crossing(a, b) == 3
    assert first_crossing(b, a) == 3            # symmetric
    assert first_crossing(a, a - 1.0) is None   # a always above
    assert first_crossing(a, np.array([1.0, 0.0, 0.0, 0.0])) == 1   # equal at the start
    assert first_crossing(np.array([]), np.array([])) is None
