"""The glossary says what the code computes (issue 22, item 3).

docs/figures.md and Help > Glossary are generated from core/figures.py, so
each definition there is checked here the hard way: the formula it states is
evaluated by hand from the schedule's inputs and compared with the engine's
figure, on a scenario where the reading the old definition invited gives a
different number (asserted too, so the test cannot pass on a scenario where
both readings agree)."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from core import figures
from core.engine import compute
from core.presets import default_scenario

FEE = 1.25e9


def definition(key: str) -> str:
    return figures.output(key).definition


def test_run_rate_is_the_first_twelve_fees_annualised():
    # Two discounted months (50% off) and a 10% escalator: the first 12 fees are
    # 2 x 0.625B + 10 x 1.25B = 13.75B; the old reading "fixed fee x 12" gives 15B.
    s = default_scenario().with_changes("contract", intro_months=2, intro_discount_pct=50.0,
                                        escalator_pct=10.0)
    r = compute(s)
    assert "sum of fee[1..min(12, term)] x 12 / min(12, term)" in definition("annual_run_rate")
    fee = r.schedule.monthly_fee
    stated = fee[:12].sum() * 12 / 12
    assert stated == pytest.approx(13.75e9, rel=1e-12)
    assert r.key_figures.annual_run_rate == pytest.approx(stated, rel=1e-12)
    assert s.contract.monthly_fee * 12 == 15e9 != pytest.approx(stated)
    # A 6-month term: its 6 fees x 12 / 6 = (2 x 0.625 + 4 x 1.25) x 2 = 12.5B.
    short = compute(s.with_changes("contract", term_months=6))
    assert short.key_figures.annual_run_rate == pytest.approx(12.5e9, rel=1e-12)


def test_token_price_steps_down_on_each_anniversary():
    # $2 per million tokens declining 20% a year: $2.00 in months 1-12, $1.60 in 13-24.
    # Read as continuous, month 12 would be 2 x 0.8 ^ (11/12) = $1.6294.
    s = default_scenario().with_changes("contract", term_months=24).with_changes(
        "projections", token_price_per_million=2.0, token_price_decline_pct_per_year=20.0)
    r = compute(s)
    assert "whole years since the start" in definition("token_price")
    assert "step" in definition("buyer_revenue")
    stated = 2.0 * (1 - 0.20) ** (np.arange(24) // 12)
    assert r.schedule.token_price == pytest.approx(stated, rel=1e-15)
    assert r.schedule.token_price[11] == 2.0 != pytest.approx(2.0 * 0.8 ** (11 / 12))
    # Token revenue: tokens served / 1,000,000 x that month's price, summed.
    revenue = np.sum(r.schedule.tokens_served / 1e6 * stated)
    assert r.key_figures.buyer_revenue == pytest.approx(revenue, rel=1e-12)


def test_provider_npv_with_sunk_capex_adds_no_book_value():
    # Capex sunk (the default): operating cash on the payment dates at the 9% WACC,
    # nothing else.  The old definition added the book value at the end, which here
    # is large (hardware with years of life left).
    r = compute(default_scenario())
    s, k = r.schedule, r.key_figures
    assert r.scenario.hardware.capex_treatment == "sunk"
    assert "when it is sunk, neither" in definition("provider_npv")
    wacc = r.scenario.contract.provider_wacc_pct / 100
    days = (s.payment_date - np.datetime64(r.scenario.contract.start_date, "D")).astype(int)
    df = (1 + wacc) ** (-days / 365)
    operating = s.provider_revenue - s.power_cost - s.opex + s.deposit_flow
    stated = float(np.sum(operating * df))
    assert k.provider_npv == pytest.approx(stated, rel=1e-12)
    with_book_value = stated + s.book_value[-1] * df[-1]
    assert s.book_value[-1] > 1e9 and with_book_value != pytest.approx(stated)


def test_the_termination_fee_is_months_of_the_fee_before_sla_credits():
    # 97% available against a 99% SLA: 2 points x 10% = a 20% credit, so the invoice
    # is 1.0B and the fee 1.25B.  Notice on day one with a 2-month fee: June, July and
    # 29/31 of August of the invoice, plus 2 x 1.25B = 2.935B + 2.5B = 5.435B; on the
    # invoice it would be 2 x 1.0B, 0.5B less.
    s = default_scenario().with_changes("contract", termination_fee_months=2.0) \
        .with_changes("hardware", availability_pct=97.0)
    r = compute(s)
    for key in ("walkaway_exposure", "termination_cost"):
        assert "before SLA credits" in definition(key), key
    sch = r.schedule
    assert sch.invoice[0] == pytest.approx(1.0e9) and sch.monthly_fee[0] == FEE
    stated = 1.0e9 * (2 + 29 / 31) + 2 * sch.monthly_fee[0]
    assert r.key_figures.walkaway_exposure == pytest.approx(stated, rel=1e-12)
    assert sch.termination_cost[0] == pytest.approx(stated, rel=1e-12)
    assert stated - (1.0e9 * (2 + 29 / 31) + 2 * sch.invoice[0]) == pytest.approx(0.5e9)


def test_monthly_fee_and_service_credit_as_stated():
    # A 5% escalator, two months 20% off, 97% available against 99% (20% credit):
    # month 13's fee is 1.25B x 1.05 = 1.3125B (a step on the anniversary, not
    # 1.25B x 1.05 ^ (12/12) reached gradually: month 12 is still 1.25B), and its
    # credit 1.3125B x min(30, 10 x 2) / 100 = 262.5M.
    s = default_scenario().with_changes(
        "contract", escalator_pct=5.0, intro_months=2, intro_discount_pct=20.0) \
        .with_changes("hardware", availability_pct=97.0)
    sch = compute(s).schedule
    assert "whole years since the start" in definition("monthly_fee")
    assert "min(cap, credit per point x points" in definition("service_credit")
    stated_fee = FEE * 1.05 ** (np.arange(36) // 12) * np.where(np.arange(36) < 2, 0.8, 1.0)
    assert sch.monthly_fee == pytest.approx(stated_fee, rel=1e-15)
    assert sch.monthly_fee[11] == FEE and sch.monthly_fee[12] == pytest.approx(1.3125e9)
    assert sch.service_credit == pytest.approx(stated_fee * min(30.0, 10.0 * 2) / 100, rel=1e-12)
    assert sch.service_credit[12] == pytest.approx(262.5e6)


def test_the_dates_used_above():
    assert dt.date(2026, 6, 1) + dt.timedelta(days=90) == dt.date(2026, 8, 30)
