"""What the buyer is billed (core/fees.py through the engine), worked out by hand.

Small cases: 1,000 H100 (1.40 kW IT each), a few months from 1 Jun 2026
(June 30 days = 720 h, July and August 31 days = 744 h), round prices.
Expected values are computed here from the inputs, never read off the engine.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from core.engine import compute
from core.parameters import (DEPOSIT_APPLIED, DEPOSIT_RETURNED, PRICING_FIXED, PRICING_GPU_HOUR,
                             PRICING_MW_MONTH, Tranche)
from core.presets import default_scenario
from tests.helpers import add_months, period_hours

START = dt.date(2026, 6, 1)
FEE = 2e6
GPU_HOUR_PRICE = 3.0          # $ per delivered GPU-hour
MW_PRICE = 1e6                # $ per contracted MW-month
CONTRACTED_MW = 200.0


def hours(i: int) -> int:
    """Hours in period i (0-based) from START: actual days x 24."""
    return period_hours(START, i)


def scenario(term=3, fee=FEE, tranches=None, hardware=None, projections=None, **contract):
    """The default scenario on a small fleet with a shorter term and some changes."""
    s = default_scenario().with_changes("contract", term_months=term, monthly_fee=fee, **contract)
    s = s.with_changes("hardware", tranches=tuple(tranches if tranches is not None else [h100()]),
                       contracted_mw=CONTRACTED_MW)
    if hardware:
        s = s.with_changes("hardware", **hardware)
    if projections:
        s = s.with_changes("projections", **projections)
    return s


def h100(count=1_000, online=START, name="H100 block"):
    return Tranche(name, "Memphis, TN", "H100 SXM", count, online)


def gb200(count=1_000, online=START, name="GB200 block"):
    return Tranche(name, "Memphis, TN", "GB200", count, online)


def xnpv_by_hand(rate, flows, dates):
    return sum(f * (1 + rate) ** (-(d - START).days / 365) for f, d in zip(flows, dates))


def test_hours_of_the_first_months():
    assert [hours(i) for i in range(4)] == [720, 744, 744, 720]   # Jun, Jul, Aug, Sep


# --- the three pricing modes ---------------------------------------------------------

def test_fixed_monthly_fee():
    r = compute(scenario(pricing_mode=PRICING_FIXED))
    assert list(r.schedule.monthly_fee) == [FEE] * 3
    assert list(r.schedule.invoice) == [FEE] * 3
    assert r.key_figures.total_contract_value == 3 * FEE


def test_per_gpu_hour_on_delivered_hours():
    r = compute(scenario(pricing_mode=PRICING_GPU_HOUR, price_per_gpu_hour=GPU_HOUR_PRICE))
    # 1,000 GPUs x 720 / 744 / 744 h x $3
    expected = [2_160_000.0, 2_232_000.0, 2_232_000.0]
    assert r.schedule.invoice == pytest.approx(expected, rel=1e-12)
    assert r.key_figures.total_contract_value == pytest.approx(6_624_000.0, rel=1e-12)
    # The effective price per delivered GPU-hour is then the price itself.
    assert r.key_figures.price_per_gpu_hour == pytest.approx(GPU_HOUR_PRICE, rel=1e-12)
    # The run rate is the first year's fees annualised: 6.624M / 3 months x 12.
    assert r.key_figures.annual_run_rate == pytest.approx(6_624_000.0 * 4, rel=1e-12)


def test_per_gpu_hour_pays_only_delivered_hours():
    # 95% available (SLA 95%, so no service credit): 5% fewer hours billed.
    r = compute(scenario(pricing_mode=PRICING_GPU_HOUR, price_per_gpu_hour=GPU_HOUR_PRICE,
                         sla_availability_pct=95.0, hardware=dict(availability_pct=95.0)))
    assert r.schedule.invoice == pytest.approx(
        [1_000 * 720 * 0.95 * 3, 1_000 * 744 * 0.95 * 3, 1_000 * 744 * 0.95 * 3], rel=1e-12)
    assert r.schedule.service_credit.sum() == 0.0


def test_per_gpu_hour_follows_a_tranche_coming_online_mid_month():
    # A second 1,000 H100 online 16 Jul 2026: 16 of July's 31 days.
    r = compute(scenario(pricing_mode=PRICING_GPU_HOUR, price_per_gpu_hour=GPU_HOUR_PRICE,
                         tranches=[h100(), h100(1_000, dt.date(2026, 7, 16), "Later")]))
    assert r.schedule.invoice == pytest.approx(
        [1_000 * 720 * 3, (1_000 * 744 + 1_000 * 16 * 24) * 3, 2_000 * 744 * 3], rel=1e-12)


def test_per_mw_month_on_contracted_mw():
    r = compute(scenario(pricing_mode=PRICING_MW_MONTH, price_per_mw_month=MW_PRICE))
    # 200 MW x $1M, whatever the days in the month or the GPUs online.
    assert list(r.schedule.invoice) == pytest.approx([200e6] * 3, rel=1e-12)
    assert r.key_figures.price_per_mw_month == pytest.approx(MW_PRICE, rel=1e-12)
    assert r.key_figures.total_contract_value == pytest.approx(600e6, rel=1e-12)


def test_the_monthly_fee_is_ignored_by_usage_pricing():
    a = compute(scenario(fee=FEE, pricing_mode=PRICING_MW_MONTH, price_per_mw_month=MW_PRICE))
    b = compute(scenario(fee=9e9, pricing_mode=PRICING_MW_MONTH, price_per_mw_month=MW_PRICE))
    assert list(a.schedule.invoice) == list(b.schedule.invoice)


# --- the escalator, in each mode -----------------------------------------------------

def test_escalator_fixed():
    fee = compute(scenario(term=25, escalator_pct=10.0)).schedule.monthly_fee
    assert list(fee[:12]) == [FEE] * 12
    assert fee[12:24] == pytest.approx([FEE * 1.1] * 12, rel=1e-12)     # year 2
    assert fee[24] == pytest.approx(FEE * 1.21, rel=1e-12)              # year 3: 1.1^2


def test_escalator_per_gpu_hour():
    s = scenario(term=13, escalator_pct=10.0, pricing_mode=PRICING_GPU_HOUR,
                 price_per_gpu_hour=GPU_HOUR_PRICE)
    invoice = compute(s).schedule.invoice
    assert add_months(START, 11) == dt.date(2027, 5, 1) and hours(11) == 744
    assert add_months(START, 12) == dt.date(2027, 6, 1) and hours(12) == 720
    assert invoice[11] == pytest.approx(1_000 * 744 * 3.0, rel=1e-12)        # May 2027: $3.00
    assert invoice[12] == pytest.approx(1_000 * 720 * 3.0 * 1.1, rel=1e-12)  # June 2027: $3.30
    expected = [1_000 * hours(i) * 3.0 * (1.1 if i >= 12 else 1.0) for i in range(13)]
    assert invoice == pytest.approx(expected, rel=1e-12)


def test_escalator_per_mw_month():
    s = scenario(term=13, escalator_pct=10.0, pricing_mode=PRICING_MW_MONTH,
                 price_per_mw_month=MW_PRICE)
    invoice = compute(s).schedule.invoice
    assert invoice == pytest.approx([200e6] * 12 + [220e6], rel=1e-12)


def test_intro_discount_per_gpu_hour():
    s = scenario(intro_months=2, intro_discount_pct=50.0, pricing_mode=PRICING_GPU_HOUR,
                 price_per_gpu_hour=GPU_HOUR_PRICE)
    assert compute(s).schedule.invoice == pytest.approx(
        [1_000 * 720 * 3 * 0.5, 1_000 * 744 * 3 * 0.5, 1_000 * 744 * 3], rel=1e-12)


# --- fee steps that follow tranches ------------------------------------------------

# 1,000 H100 (1.40 kW) = 1.4 MW IT from the start, 1,000 GB200 (1.70 kW) = 1.7 MW
# later: the fleet is 3.1 MW IT.  A fee of $3.1M is then $1M per MW online.
STEP_FEE = 3.1e6


def test_fee_steps_up_when_a_tranche_comes_online():
    s = scenario(fee=STEP_FEE, fee_follows_capacity="yes",
                 tranches=[h100(), gb200(online=dt.date(2026, 7, 1))])
    fee = compute(s).schedule.monthly_fee
    # June: 1.4 of 3.1 MW online -> $1.4M; from July all 3.1 MW -> $3.1M.
    assert fee == pytest.approx([1.4e6, 3.1e6, 3.1e6], rel=1e-12)


def test_fee_step_prorated_when_a_tranche_comes_online_mid_month():
    s = scenario(fee=STEP_FEE, fee_follows_capacity="yes",
                 tranches=[h100(), gb200(online=dt.date(2026, 7, 16))])
    fee = compute(s).schedule.monthly_fee
    # July: GB200 online 16 of 31 days -> (1.4 + 1.7 x 16/31) MW of 3.1.
    assert fee == pytest.approx([1.4e6, 1.4e6 + 1.7e6 * 16 / 31, 3.1e6], rel=1e-12)


def test_fee_steps_off_bills_the_full_fee():
    s = scenario(fee=STEP_FEE, fee_follows_capacity="no",
                 tranches=[h100(), gb200(online=dt.date(2026, 7, 1))])
    assert list(compute(s).schedule.monthly_fee) == [STEP_FEE] * 3


def test_fee_steps_ignore_a_tranche_after_the_term():
    # A third tranche online in 2030 is not part of this 3-month deal's fleet.
    s = scenario(fee=STEP_FEE, fee_follows_capacity="yes",
                 tranches=[h100(), gb200(online=dt.date(2026, 7, 1)),
                           h100(5_000, dt.date(2030, 1, 1), "Much later")])
    assert compute(s).schedule.monthly_fee == pytest.approx([1.4e6, 3.1e6, 3.1e6], rel=1e-12)


def test_fee_steps_per_mw_month():
    s = scenario(fee_follows_capacity="yes", pricing_mode=PRICING_MW_MONTH,
                 price_per_mw_month=MW_PRICE, tranches=[h100(), gb200(online=dt.date(2026, 7, 1))])
    # 200 MW x $1M = $200M, x 1.4/3.1 in June.
    assert compute(s).schedule.monthly_fee == pytest.approx(
        [200e6 * 1.4 / 3.1, 200e6, 200e6], rel=1e-12)


def test_fee_steps_and_escalator_multiply():
    s = scenario(term=13, fee=STEP_FEE, fee_follows_capacity="yes", escalator_pct=10.0,
                 tranches=[h100(), gb200(online=dt.date(2027, 6, 1))])
    fee = compute(s).schedule.monthly_fee
    # Months 1-12: 1.4 of 3.1 MW at year-1 prices; month 13 (June 2027): all of it x 1.1.
    assert fee == pytest.approx([1.4e6] * 12 + [3.1e6 * 1.1], rel=1e-12)


def test_fee_steps_do_not_double_count_per_gpu_hour():
    # Per GPU-hour pricing already follows the GPUs online: the switch changes nothing.
    tranches = [h100(), gb200(online=dt.date(2026, 7, 1))]
    common = dict(pricing_mode=PRICING_GPU_HOUR, price_per_gpu_hour=GPU_HOUR_PRICE,
                  tranches=tranches)
    yes = compute(scenario(fee_follows_capacity="yes", **common)).schedule.invoice
    no = compute(scenario(fee_follows_capacity="no", **common)).schedule.invoice
    expected = [1_000 * 720 * 3, 2_000 * 744 * 3, 2_000 * 744 * 3]
    assert yes == pytest.approx(expected, rel=1e-12)
    assert no == pytest.approx(expected, rel=1e-12)


# --- SLA service credits -----------------------------------------------------------

@pytest.mark.parametrize("availability, sla, per_point, cap, credit_pct", [
    (97.0, 99.0, 10.0, 30.0, 20.0),    # 2 points short x 10% = 20%, under the cap
    (95.0, 99.0, 10.0, 30.0, 30.0),    # 4 points x 10% = 40%, capped at 30%
    (98.5, 99.0, 10.0, 30.0, 5.0),     # half a point x 10% = 5%
    (90.0, 99.0, 10.0, 100.0, 90.0),   # 9 points x 10% = 90%, cap 100%
    (99.0, 99.0, 10.0, 30.0, 0.0),     # on the SLA: nothing
    (100.0, 99.0, 10.0, 30.0, 0.0),    # above it: nothing (no bonus)
    (97.0, 99.0, 10.0, 0.0, 0.0),      # a zero cap: nothing
    (97.0, 99.0, 0.0, 30.0, 0.0),      # no credit per point: nothing
])
def test_service_credit_points_short_times_credit_capped(availability, sla, per_point, cap,
                                                         credit_pct):
    r = compute(scenario(sla_availability_pct=sla, service_credit_pct_per_point=per_point,
                         service_credit_cap_pct=cap, hardware=dict(availability_pct=availability)))
    credit = FEE * credit_pct / 100
    s = r.schedule
    assert s.service_credit == pytest.approx([credit] * 3, rel=1e-12, abs=1e-6)
    assert s.invoice == pytest.approx([FEE - credit] * 3, rel=1e-12)
    assert s.payment == pytest.approx([FEE - credit] * 3, rel=1e-12)
    # The provider's revenue is after credits.
    assert s.provider_revenue == pytest.approx([FEE - credit] * 3, rel=1e-12)
    assert r.key_figures.total_contract_value == pytest.approx(3 * (FEE - credit), rel=1e-12)
    assert any("service credits" in w for w in r.warnings) == (credit_pct > 0)


def test_no_service_credit_on_a_per_gpu_hour_fee():
    # 97% available against a 99% SLA: 3% fewer hours are billed, and that is the
    # whole penalty (issue 11, item 9): a 20% credit on top would charge the same
    # shortfall twice ($1,676,160 instead of $2,095,200).
    r = compute(scenario(pricing_mode=PRICING_GPU_HOUR, price_per_gpu_hour=GPU_HOUR_PRICE,
                         hardware=dict(availability_pct=97.0)))
    june_fee = 1_000 * 720 * 0.97 * 3          # 2,095,200
    assert r.schedule.monthly_fee[0] == pytest.approx(june_fee, rel=1e-12)
    assert r.schedule.service_credit[0] == 0.0
    assert r.schedule.invoice[0] == pytest.approx(2_095_200.0, rel=1e-12)


def test_service_credit_still_applies_to_a_per_mw_month_fee():
    # The same 2-point shortfall on a per-MW-month price: a 20% credit.
    r = compute(scenario(pricing_mode=PRICING_MW_MONTH, hardware=dict(availability_pct=97.0)))
    fee = r.schedule.monthly_fee[0]
    assert r.schedule.service_credit[0] == pytest.approx(0.2 * fee, rel=1e-12)


def test_one_run_rate_definition_for_every_pricing_mode():
    # The fees of the first 12 months, annualised when shorter.  Fixed $1.25B with
    # the first 2 months at 50% off: (2 x 0.625 + 10 x 1.25) = $13.75B, not 12 x $1.25B.
    s = default_scenario().with_changes("contract", intro_months=2, intro_discount_pct=50.0)
    assert compute(s).key_figures.annual_run_rate == pytest.approx(13.75e9, rel=1e-12)
    # Per GPU-hour on 1,000 GPUs at $3, a 3-month term (720 + 744 + 744 hours):
    # $6,624,000 over 3 months, x 12 / 3.
    r = compute(scenario(pricing_mode=PRICING_GPU_HOUR, price_per_gpu_hour=GPU_HOUR_PRICE))
    assert r.key_figures.annual_run_rate == pytest.approx(6_624_000.0 * 4, rel=1e-12)


# --- deposit: applied to the last fees, or returned --------------------------------

def deposit_case(months, treatment, timing="advance", term=6):
    return compute(scenario(term=term, prepayment_months=months, prepayment_treatment=treatment,
                            payment_timing=timing))


def test_deposit_applied_to_the_last_fees():
    s = deposit_case(2.0, DEPOSIT_APPLIED).schedule
    # 2 months x $2M paid on the start date, then the last two fees are covered.
    assert list(s.deposit_flow) == pytest.approx([4e6, 0, 0, 0, -2e6, -2e6])
    assert list(s.payment) == pytest.approx([6e6, 2e6, 2e6, 2e6, 0, 0])
    assert s.cumulative_payment[-1] == pytest.approx(6 * FEE)
    assert list(s.invoice) == [FEE] * 6          # the invoices do not change


def test_partial_month_deposit_applied_latest_first():
    s = deposit_case(1.5, DEPOSIT_APPLIED).schedule
    # $3M: the last fee in full ($2M), then $1M off the one before.
    assert list(s.deposit_flow) == pytest.approx([3e6, 0, 0, 0, -1e6, -2e6])
    assert list(s.payment) == pytest.approx([5e6, 2e6, 2e6, 2e6, 1e6, 0])


def test_deposit_returned_at_the_end():
    s = deposit_case(2.0, DEPOSIT_RETURNED).schedule
    assert list(s.deposit_flow) == pytest.approx([4e6, 0, 0, 0, 0, -4e6])
    assert list(s.payment) == pytest.approx([6e6, 2e6, 2e6, 2e6, 2e6, -2e6])
    assert s.cumulative_payment[-1] == pytest.approx(6 * FEE)


def test_no_deposit_no_flows():
    s = deposit_case(0.0, DEPOSIT_RETURNED).schedule
    assert not s.deposit_flow.any()
    assert list(s.payment) == [FEE] * 6


def test_deposit_npv_applied_in_advance():
    k = deposit_case(2.0, DEPOSIT_APPLIED).key_figures
    dates = [add_months(START, i) for i in range(6)]      # 1 Jun ... 1 Nov 2026
    expected = xnpv_by_hand(0.10, [6e6, 2e6, 2e6, 2e6, 0, 0], dates)
    assert k.npv_payments == pytest.approx(expected, rel=1e-12)


def test_deposit_npv_applied_in_arrears():
    k = deposit_case(2.0, DEPOSIT_APPLIED, timing="arrears").key_figures
    # The deposit on 1 Jun; fees on the last day of June, July, August, September;
    # nothing to pay at the end of October and November.
    last_days = [add_months(START, i + 1) - dt.timedelta(days=1) for i in range(4)]
    assert last_days == [dt.date(2026, 6, 30), dt.date(2026, 7, 31), dt.date(2026, 8, 31),
                         dt.date(2026, 9, 30)]
    expected = 4e6 + xnpv_by_hand(0.10, [2e6] * 4, last_days)
    assert k.npv_payments == pytest.approx(expected, rel=1e-12)


def test_a_returned_deposit_costs_the_buyer_more_than_an_applied_one():
    # Applied: $2M back on 1 Oct and $2M on 1 Nov; returned: $4M back at the end.
    applied = deposit_case(2.0, DEPOSIT_APPLIED).key_figures.npv_payments
    returned = deposit_case(2.0, DEPOSIT_RETURNED).key_figures.npv_payments
    no_deposit = deposit_case(0.0, DEPOSIT_APPLIED).key_figures.npv_payments
    assert no_deposit < applied < returned


def test_returned_deposit_is_dated_at_the_end_of_the_term():
    k = deposit_case(2.0, DEPOSIT_RETURNED).key_figures
    fees = xnpv_by_hand(0.10, [FEE] * 6, [add_months(START, i) for i in range(6)])
    # Returned on the term's last day (30 Nov 2026) or the day it ends (1 Dec 2026).
    on_last_day = 4e6 + fees - 4e6 * 1.10 ** (-(dt.date(2026, 11, 30) - START).days / 365)
    on_end = 4e6 + fees - 4e6 * 1.10 ** (-(dt.date(2026, 12, 1) - START).days / 365)
    assert on_last_day * (1 - 1e-12) <= k.npv_payments <= on_end * (1 + 1e-12)


def test_deposit_larger_than_the_term_is_not_lost():
    s = deposit_case(2.0, DEPOSIT_APPLIED, term=1).schedule
    # $4M paid, $2M applied to the only fee: the other $2M must come back.
    assert s.payment.sum() == pytest.approx(s.invoice.sum()) == pytest.approx(FEE)


def test_deposit_is_months_of_the_fee_not_of_a_discounted_first_invoice():
    s = compute(scenario(term=6, intro_months=2, intro_discount_pct=100.0,
                         prepayment_months=2.0)).schedule
    assert list(s.invoice[:3]) == [0.0, 0.0, FEE]
    # 2 months of the $2M fee.
    assert s.deposit_flow[0] == pytest.approx(2 * FEE)


# --- advance and arrears ------------------------------------------------------------

def test_payment_dates_advance_and_arrears():
    advance = compute(scenario(payment_timing="advance")).schedule.payment_date
    arrears = compute(scenario(payment_timing="arrears")).schedule.payment_date
    as_dates = lambda a: [d.astype("datetime64[D]").astype(dt.date) for d in a]   # noqa: E731
    assert as_dates(advance) == [dt.date(2026, 6, 1), dt.date(2026, 7, 1), dt.date(2026, 8, 1)]
    assert as_dates(arrears) == [dt.date(2026, 6, 30), dt.date(2026, 7, 31), dt.date(2026, 8, 31)]


@pytest.mark.parametrize("timing", ["advance", "arrears"])
def test_npv_with_escalator_on_actual_dates(timing):
    s = scenario(term=13, escalator_pct=10.0, payment_timing=timing, discount_rate_pct=8.0)
    if timing == "advance":
        dates = [add_months(START, i) for i in range(13)]
    else:
        dates = [add_months(START, i + 1) - dt.timedelta(days=1) for i in range(13)]
    flows = [FEE * (1.1 if i >= 12 else 1.0) for i in range(13)]
    assert compute(s).key_figures.npv_payments == pytest.approx(
        xnpv_by_hand(0.08, flows, dates), rel=1e-12)


def test_per_gpu_hour_shortfall_is_explained_in_a_warning():
    r = compute(scenario(pricing_mode=PRICING_GPU_HOUR, price_per_gpu_hour=GPU_HOUR_PRICE,
                         hardware=dict(availability_pct=97.0)))
    assert any("bills only delivered hours" in w for w in r.warnings)
