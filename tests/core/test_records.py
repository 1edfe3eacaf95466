"""The engine's records, one per concern (core/timeline.py capacity_online,
core/tokens.py, core/fees.py billing), each against a small case by hand."""
from __future__ import annotations

import datetime as dt

import pytest

from core.fees import billing
from core.parameters import Tranche
from core.presets import default_scenario
from core.timeline import build_capacity, build_timeline, capacity_online
from core.tokens import token_flows

START = dt.date(2026, 6, 1)


def small():
    # 1,000 H100 from the start, 1,000 H200 from 16 Jun (15 of June's 30 days);
    # 2 months, $2M a month, 98% available against a 99% SLA (a 10% credit).
    s = default_scenario().with_changes("contract", term_months=2, monthly_fee=2e6)
    tranches = (Tranche("a", "x", "H100 SXM", 1_000, START),
                Tranche("b", "x", "H200", 1_000, dt.date(2026, 6, 16)))
    return s.with_changes("hardware", tranches=tranches, availability_pct=98.0,
                          utilization_pct=50.0)


def test_capacity_online_by_hand():
    s = small()
    t = build_timeline(s)
    o = capacity_online(s, t, build_capacity(s, t))
    assert o.gpus_online == pytest.approx([1_500, 2_000])             # the H200s half of June
    assert o.gpu_hours == pytest.approx([1_500 * 720 * 0.98, 2_000 * 744 * 0.98])
    # H100e by inference throughput: an H200 is 4,016 / 2,675
    assert o.h100e_online[1] == pytest.approx(1_000 + 1_000 * 4_016 / 2_675)
    assert o.it_mw == pytest.approx([1.5 * 1.40, 2.0 * 1.40])
    assert o.fleet_it_mw == pytest.approx(2.8)


def test_token_flows_by_hand():
    s = small().with_changes("projections", demand_tokens_per_s=3e6,
                             demand_growth_pct_per_month=10.0)
    t = build_timeline(s)
    tk = token_flows(s, t, build_capacity(s, t))
    june = (1_000 * 2_675 + 500 * 4_016) * 0.98 * 0.5                  # 2,294,770 tokens/s
    july = (1_000 * 2_675 + 1_000 * 4_016) * 0.98 * 0.5                # 3,278,590 tokens/s
    assert tk.capacity_tokens_per_s == pytest.approx([june, july])
    assert tk.demand_tokens_per_s == pytest.approx([3e6, 3.3e6])
    assert tk.tokens_served == pytest.approx([june * 30 * 86_400, july * 31 * 86_400])
    assert tk.shortfall_months == 2


def test_billing_by_hand():
    s = small()
    t = build_timeline(s)
    o = capacity_online(s, t, build_capacity(s, t))
    b = billing(s, t, o)
    assert b.fee == pytest.approx([2e6, 2e6])
    assert b.credit == pytest.approx([0.2e6, 0.2e6])                  # 1 point x 10%
    assert b.payment == pytest.approx([1.8e6, 1.8e6])
    # 1 Jun and 1 Jul at the buyer's 10%
    assert b.payment_pv == pytest.approx([1.8e6, 1.8e6 * 1.10 ** (-30 / 365)])
    assert b.cumulative_payment == pytest.approx([1.8e6, 3.6e6])
