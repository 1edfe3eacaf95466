"""core/timeline.py directly: the contract's periods, the capacity online in
each, and the share of each period paid when the deal ends on a given day.
Expected values are worked with plain datetime (tests/helpers.py)."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from core.parameters import Tranche
from core.presets import default_scenario
from core.timeline import build_capacity, build_timeline, paid_fraction
from tests.helpers import add_months, period_hours

START = dt.date(2027, 1, 31)   # month-end: the periods clip to February's length


def scenario(term=4, tranches=None):
    s = default_scenario().with_changes("contract", start_date=START, term_months=term)
    if tranches is not None:
        s = s.with_changes("hardware", tranches=tuple(tranches))
    return s


def test_periods_follow_the_calendar_from_a_month_end_start():
    timeline = build_timeline(scenario(term=4))
    bounds = [add_months(START, i) for i in range(5)]
    # 31 Jan, 28 Feb, 31 Mar, 30 Apr, 31 May 2027.
    assert [d.isoformat() for d in bounds] == ["2027-01-31", "2027-02-28", "2027-03-31",
                                               "2027-04-30", "2027-05-31"]
    assert list(timeline.bounds) == [np.datetime64(d, "D") for d in bounds]
    assert list(timeline.month_start) == list(timeline.bounds[:-1])
    assert list(timeline.last_day) == [np.datetime64(d, "D") - np.timedelta64(1, "D")
                                       for d in bounds[1:]]
    assert list(timeline.days) == [28.0, 31.0, 30.0, 31.0]
    assert list(timeline.day_start) == [0, 28, 59, 89, 120]
    assert list(timeline.hours) == [period_hours(START, i) for i in range(4)]
    assert list(timeline.seconds) == [h * 3600 for h in timeline.hours]
    assert timeline.months == 4


def test_a_tranche_counts_from_its_online_date_prorated_by_days():
    late = Tranche(name="Late", gpu_model="H100 SXM", gpu_count=3100,
                   online_date=dt.date(2027, 3, 15))
    early = Tranche(name="Early", gpu_model="GB200", gpu_count=1000, online_date=START)
    s = scenario(term=4, tranches=[early, late])
    capacity = build_capacity(s, build_timeline(s))
    assert capacity.gpus_by_tranche[0].tolist() == [1000.0] * 4
    # Period 1 runs 28 Feb .. 30 Mar (31 days); online from 15 Mar: 31 Mar - 15 Mar = 16 days.
    assert capacity.gpus_by_tranche[1].tolist() == pytest.approx([0.0, 3100 * 16 / 31,
                                                                 3100.0, 3100.0])
    assert capacity.online_month.tolist() == [0, 1]
    assert capacity.in_term.tolist() == [True, True]
    assert capacity.counts.tolist() == [1000.0, 3100.0]
    assert capacity.kw.tolist() == [1.7, 1.4]
    # A mostly-inference scenario weighs GPUs by tokens/s against the H100 SXM's 2,675.
    assert capacity.h100e.tolist() == pytest.approx([12000 / 2675, 1.0])
    assert capacity.tokens_per_s.tolist() == [12000, 2675]
    assert capacity.capex_per_gpu.tolist() == [60000, 40000]
    assert set(capacity.gpus_by_model) == {"GB200", "H100 SXM"}


def test_a_tranche_after_the_term_is_not_in_it():
    after = Tranche(name="After", gpu_model="H100 SXM", gpu_count=10,
                    online_date=dt.date(2028, 1, 1))
    s = scenario(term=4, tranches=[after])
    capacity = build_capacity(s, build_timeline(s))
    assert capacity.in_term.tolist() == [False]
    assert capacity.online_month.tolist() == [4]    # the term's length: never online
    assert capacity.gpus_by_tranche.tolist() == [[0.0] * 4]


def test_no_tranches_is_an_empty_fleet():
    s = scenario(term=3, tranches=[])
    capacity = build_capacity(s, build_timeline(s))
    assert capacity.gpus_by_tranche.shape == (0, 3)
    assert capacity.gpus_by_model == {}


def test_paid_fraction_prorates_the_period_the_deal_ends_in():
    timeline = build_timeline(scenario(term=4))    # periods of 28, 31, 30, 31 days
    # Ending on day 0 pays nothing; on day 42, all of period 0 and 14 of period 1's 31 days;
    # on day 120 (the end of the term), everything.
    paid = paid_fraction(timeline, np.array([0, 42, 120]))
    np.testing.assert_allclose(paid, [[0, 0, 0, 0], [1, 14 / 31, 0, 0], [1, 1, 1, 1]])
