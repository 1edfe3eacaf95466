"""The engine against figures worked out by hand from DOMAIN.md.

Every expected value below is computed in the test from DOMAIN.md's inputs
and conventions (plain Python datetime for the calendar), never copied from
the engine's output.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.engine import KeyFigures, MonthlySchedule, Results, compute, fee_schedule
from core.parameters import H100E_BY_FLOPS, H100E_BY_THROUGHPUT, WORKLOAD_TRAINING, Tranche
from core.presets import GPU_PRESETS, default_scenario
from tests.helpers import add_months

START = dt.date(2026, 6, 1)
FEE = 1.25e9                        # DOMAIN: about $1.25B per month
# 1 Jun 2026 to 1 Jun 2029 is 365 + 365 + 366 = 1,096 days (Feb 2028 has 29),
# so the 36-month term delivers 1,096 x 24 = 26,304 hours per GPU.
TERM_HOURS = 26_304
H100_KW, GB200_KW = 1.40, 1.70      # presets: SemiAnalysis all-in kW / 1.24
# The reference deal is mostly inference, so H100-equivalents are by inference
# throughput: tokens/s against the H100's 2,675 (H200 4,016; GB200 12,000).
H200_H100E = 4_016 / 2_675
GB200_H100E = 12_000 / 2_675


def month_starts(start: dt.date, months: int) -> list[dt.date]:
    return [add_months(start, i) for i in range(months + 1)]


def as_dates(array) -> list[dt.date]:
    return [d.astype("datetime64[D]").astype(dt.date) for d in array]


def scenario(term=3, fee=FEE, tranches=None, hardware=None, projections=None, **contract):
    """The default scenario with a shorter term and some changes."""
    s = default_scenario().with_changes("contract", term_months=term, monthly_fee=fee, **contract)
    if tranches is not None:
        s = s.with_changes("hardware", tranches=tuple(tranches))
    if hardware:
        s = s.with_changes("hardware", **hardware)
    if projections:
        s = s.with_changes("projections", **projections)
    return s


def h100(count, online=START, name="H100 block"):
    return Tranche(name, "Memphis, TN", "H100 SXM", count, online)


@pytest.fixture(scope="module")
def reference() -> Results:
    return compute(default_scenario())


# --- DOMAIN.md's derived-figure table -------------------------------------------

def test_hours_in_the_reference_term():
    assert (dt.date(2029, 6, 1) - START).days * 24 == TERM_HOURS


def test_total_contract_value_is_exactly_45b(reference):
    assert reference.key_figures.total_contract_value == 36 * 1.25e9 == 45.0e9


def test_annual_run_rate_is_exactly_15b(reference):
    assert reference.key_figures.annual_run_rate == 12 * 1.25e9 == 15.0e9


def test_walkaway_exposure_is_90_days_prorated(reference):
    # Notice on 1 Jun 2026 ends 30 Aug: June and July in full, 29 of August's
    # 31 days, each month prorated by its own days (the termination cost's
    # proration; DOMAIN's 90 x fee x 12 / 365 = $3.699B was a second one).
    exposure = reference.key_figures.walkaway_exposure
    assert START + dt.timedelta(days=90) == dt.date(2026, 8, 30)
    assert exposure == pytest.approx(FEE * (2 + 29 / 31), rel=1e-12)
    assert exposure == pytest.approx(3.669e9, rel=1e-3)


def test_price_per_delivered_gpu_hour(reference):
    price = reference.key_figures.price_per_gpu_hour
    assert price == pytest.approx(45e9 / (220_000 * TERM_HOURS), rel=1e-12)
    assert price == pytest.approx(7.78, rel=0.01)
    # DOMAIN's own convention (365-day year / 12 = 730 h a month) agrees within 1%.
    assert price == pytest.approx(1.25e9 / (220_000 * 365 * 24 / 12), rel=0.01)


def test_price_per_mw_month(reference):
    price = reference.key_figures.price_per_mw_month
    assert price == pytest.approx(45e9 / (300 * 36), rel=1e-12)
    assert price == pytest.approx(4.17e6, rel=0.01)


def test_reference_fleet(reference):
    k = reference.key_figures
    assert k.gpus == 220_000
    assert k.term_months == 36
    assert k.contracted_mw == 300.0
    # 150k H100 at 1 + 50k H200 at 1.501 + 20k GB200 at 4.486 = 314,785 H100e
    h100e = 150_000 + 50_000 * H200_H100E + 20_000 * GB200_H100E
    assert h100e == pytest.approx(314_785.05, abs=0.01)
    assert k.h100e_weighting.startswith("by inference throughput")
    assert k.h100_equivalents == pytest.approx(h100e, rel=1e-12)
    assert k.price_per_h100e_hour == pytest.approx(45e9 / (h100e * TERM_HOURS), rel=1e-12)
    assert k.gpu_hours_delivered == pytest.approx(220_000 * TERM_HOURS, rel=1e-12)


def test_reference_power_and_warning(reference):
    k = reference.key_figures
    it_mw = (150_000 * H100_KW + 50_000 * H100_KW + 20_000 * GB200_KW) / 1000   # 314 MW
    assert k.fleet_it_mw == pytest.approx(it_mw, rel=1e-12)
    assert k.facility_mw == pytest.approx(it_mw * 1.24, rel=1e-12)           # 389.36 MW
    assert k.facility_mw > 300
    power = [w for w in reference.warnings if "contracted" in w]
    assert len(power) == 1
    assert "389 MW" in power[0] and "300 MW" in power[0]
    assert reference.schedule.power_over_contract.all()


def test_reference_npv_in_advance_xnpv():
    # 36 payments on the first of each month, 10%/yr, (1 + r) ^ (-days / 365).
    dates = month_starts(START, 36)[:-1]
    npv = sum(FEE * 1.10 ** (-(d - START).days / 365) for d in dates)
    assert compute(default_scenario()).key_figures.npv_payments == pytest.approx(npv, rel=1e-12)


def test_reference_schedule(reference):
    s = reference.schedule
    assert len(s) == 36
    starts = month_starts(START, 36)
    assert as_dates(s.month_start) == starts[:-1]
    assert list(s.days) == [(b - a).days for a, b in zip(starts[:-1], starts[1:])]
    assert s.cumulative_payment[-1] == 45e9
    assert s.cumulative_payment[0] == FEE
    assert np.all(s.gpus_online == 220_000)
    assert s.gpu_hours_delivered[0] == pytest.approx(220_000 * 30 * 24)   # June: 30 days
    assert s.gpus_by_model["H100 SXM"][0] == 150_000
    assert s.gpus_by_model["GB200"][-1] == 20_000
    # Demand: 400M tokens/s growing 2% a month.
    assert s.demand_tokens_per_s[12] == pytest.approx(400e6 * 1.02 ** 12, rel=1e-12)


# --- fee steps ---------------------------------------------------------------------

def test_escalator_steps_on_anniversaries():
    s = scenario(term=36, escalator_pct=3.0)
    fee = compute(s).schedule.monthly_fee
    assert np.all(fee[:12] == FEE)                                   # months 1-12
    assert fee[12:24] == pytest.approx([FEE * 1.03] * 12, rel=1e-12)       # months 13-24
    assert fee[24:36] == pytest.approx([FEE * 1.03 ** 2] * 12, rel=1e-12)  # months 25-36
    total = compute(s).key_figures.total_contract_value
    assert total == pytest.approx(12 * FEE * (1 + 1.03 + 1.0609), rel=1e-12)
    assert list(fee_schedule(s)) == list(fee)


def test_negative_escalator():
    fee = compute(scenario(term=13, escalator_pct=-10.0)).schedule.monthly_fee
    assert fee[11] == FEE and fee[12] == pytest.approx(FEE * 0.9)


def test_intro_discount_fee_step():
    s = scenario(term=36, intro_months=2, intro_discount_pct=20.0)
    sched = compute(s).schedule
    assert list(sched.payment[:2]) == pytest.approx([FEE * 0.8] * 2)
    assert np.all(sched.payment[2:] == FEE)
    assert compute(s).key_figures.total_contract_value == pytest.approx(2 * 1.0e9 + 34 * FEE)


def test_intro_discount_and_escalator_combine():
    fee = compute(scenario(term=24, intro_months=14, intro_discount_pct=50.0,
                           escalator_pct=4.0)).schedule.monthly_fee
    assert fee[0] == pytest.approx(FEE * 0.5)
    assert fee[13] == pytest.approx(FEE * 1.04 * 0.5)   # month 14: escalated and discounted
    assert fee[14] == pytest.approx(FEE * 1.04)


# --- walk-away exposure ------------------------------------------------------------

def notice_months_by_hand(notice: dt.date, notice_days: int, term_end: dt.date):
    """(period start, share of it paid) for each period from the notice on:
    payments end notice_days later, never after the term's end."""
    end = min(notice + dt.timedelta(days=notice_days), term_end)
    out, a = [], notice
    while a < end:
        b = add_months(a, 1)
        out.append((a, min((end - a).days, (b - a).days) / (b - a).days))
        a = b
    return out


def test_termination_fee_is_added_to_exposure():
    k = compute(scenario(term=36, termination_fee_months=2.0)).key_figures
    assert k.walkaway_exposure == pytest.approx(FEE * (2 + 29 / 31) + 2 * FEE, rel=1e-12)


def test_zero_notice_leaves_only_the_termination_fee():
    exposure = compute(scenario(term=6, notice_days=0, termination_fee_months=1.5)) \
        .schedule.walkaway_exposure
    assert exposure == pytest.approx([1.5 * FEE] * 6)


def test_exposure_capped_by_the_remaining_term(reference):
    exposure = reference.schedule.walkaway_exposure
    term_end = dt.date(2029, 6, 1)
    # Notice on 1 Mar 2029: ends 30 May; March, April and 29 of May's 31 days.
    assert exposure[-3] == pytest.approx(FEE * (2 + 29 / 31), rel=1e-12)
    # Notice on 1 Apr 2029: only April (30) and May (31) remain: two invoices.
    assert exposure[-2] == pytest.approx(2 * FEE, rel=1e-12)
    # Notice on 1 May 2029, the last month: its invoice.
    assert exposure[-1] == pytest.approx(FEE, rel=1e-12)
    by_hand = [FEE * sum(share for _, share in
                         notice_months_by_hand(add_months(START, k), 90, term_end))
               for k in range(36)]
    assert exposure == pytest.approx(by_hand, rel=1e-12)


def test_exposure_of_a_contract_shorter_than_the_notice():
    # Two months (June 30 + July 31 days) < 90 days' notice: both invoices, no fee.
    assert compute(scenario(term=2, termination_fee_months=1.0)).key_figures.walkaway_exposure \
        == pytest.approx(2 * FEE, rel=1e-12)


def test_exposure_spanning_an_anniversary_uses_each_months_fee():
    exposure = compute(scenario(term=36, escalator_pct=3.0)).schedule.walkaway_exposure
    # Notice on 1 Apr 2027 (month 11) ends 30 Jun 2027: April and May at the
    # year-1 fee, then 29 of June 2027's 30 days at the escalated fee.
    assert add_months(START, 10) == dt.date(2027, 4, 1)
    assert dt.date(2027, 4, 1) + dt.timedelta(days=90) == dt.date(2027, 6, 30)
    assert exposure[10] == pytest.approx(2 * FEE + FEE * 1.03 * 29 / 30, rel=1e-12)


def test_termination_fee_uses_the_fee_in_force():
    exposure = compute(scenario(term=36, escalator_pct=3.0, termination_fee_months=2.0)) \
        .schedule.walkaway_exposure
    # Notice on 1 Jun 2027 (month 13) ends 30 Aug: June, July, 29/31 of August and
    # 2 months of fee, all at fee x 1.03.
    assert exposure[12] == pytest.approx(FEE * 1.03 * (2 + 29 / 31) + 2 * FEE * 1.03, rel=1e-12)


# --- NPV: advance and arrears (XNPV) -----------------------------------------------

@pytest.mark.parametrize("timing", ["advance", "arrears"])
def test_npv_xnpv_three_months(timing):
    fee = 100e6
    if timing == "advance":
        dates = [dt.date(2026, 6, 1), dt.date(2026, 7, 1), dt.date(2026, 8, 1)]
    else:   # the last day of each period
        dates = [dt.date(2026, 6, 30), dt.date(2026, 7, 31), dt.date(2026, 8, 31)]
    rate = 0.08
    expected = sum(fee * (1 + rate) ** (-(d - START).days / 365) for d in dates)
    r = compute(scenario(term=3, fee=fee, payment_timing=timing, discount_rate_pct=8.0))
    assert as_dates(r.schedule.payment_date) == dates
    assert r.key_figures.npv_payments == pytest.approx(expected, rel=1e-12)
    assert r.schedule.payment_pv == pytest.approx(
        [fee * (1 + rate) ** (-(d - START).days / 365) for d in dates], rel=1e-12)


def test_arrears_npv_below_advance_npv():
    advance = compute(scenario(term=12, payment_timing="advance")).key_figures.npv_payments
    arrears = compute(scenario(term=12, payment_timing="arrears")).key_figures.npv_payments
    assert arrears < advance < 12 * FEE


def test_first_advance_payment_is_undiscounted_and_zero_rate_npv_is_total():
    r = compute(scenario(term=6))
    assert r.schedule.discount_factor[0] == 1.0
    zero = compute(scenario(term=6, discount_rate_pct=0.0)).key_figures
    assert zero.npv_payments == pytest.approx(6 * FEE, rel=1e-12)


# --- capacity: tranches, power, H100-equivalents -----------------------------------

def test_tranche_online_mid_month_is_prorated_by_days():
    # 30,000 H100 online 16 Jun 2026: 15 of June's 30 days (16th to 30th).
    r = compute(scenario(term=3, tranches=[h100(30_000, dt.date(2026, 6, 16))]))
    s = r.schedule
    assert s.gpus_online == pytest.approx([30_000 * 15 / 30, 30_000, 30_000])
    assert s.gpu_hours_delivered == pytest.approx([30_000 * 15 * 24, 30_000 * 31 * 24,
                                                   30_000 * 31 * 24])
    assert r.key_figures.price_per_gpu_hour == pytest.approx(
        3 * FEE / (30_000 * (15 + 31 + 31) * 24), rel=1e-12)


def test_tranches_before_and_after_the_start():
    r = compute(scenario(term=3, tranches=[
        h100(10_000, dt.date(2025, 2, 1), "Colossus 1"),      # long online already
        h100(5_000, dt.date(2026, 7, 1), "Colossus 2"),       # from the second month
        h100(7_000, dt.date(2027, 1, 1), "Later"),            # after this term
    ]))
    assert r.schedule.gpus_online == pytest.approx([10_000, 15_000, 15_000])


def test_availability_scales_delivered_hours():
    # An SLA at 95% earns no service credit, so the whole fee is paid.
    r = compute(scenario(term=1, tranches=[h100(1_000)], hardware=dict(availability_pct=95.0),
                         sla_availability_pct=95.0))
    assert r.schedule.gpu_hours_delivered[0] == pytest.approx(1_000 * 30 * 24 * 0.95)
    assert r.key_figures.price_per_gpu_hour == pytest.approx(FEE / (1_000 * 30 * 24 * 0.95))


@pytest.mark.parametrize("hardware", [dict(workload=WORKLOAD_TRAINING),
                                      dict(h100e_weighting=H100E_BY_FLOPS)])
def test_h100_equivalents_by_dense_bf16(hardware):
    gb200 = Tranche("NVL72", "Memphis, TN", "GB200", 1_000, START)
    r = compute(scenario(term=1, tranches=[gb200, h100(500)], hardware=hardware))
    h100e = 1_000 * 2_500 / 989 + 500 * 989 / 989
    assert r.key_figures.h100e_weighting.startswith("by training FLOPS")
    assert r.key_figures.h100_equivalents == pytest.approx(h100e, rel=1e-12)
    assert r.schedule.h100e_online[0] == pytest.approx(h100e, rel=1e-12)
    assert r.schedule.h100e_hours_delivered[0] == pytest.approx(h100e * 30 * 24, rel=1e-12)
    assert r.key_figures.price_per_h100e_hour == pytest.approx(FEE / (h100e * 30 * 24), rel=1e-12)


def test_h100_equivalents_by_inference_throughput():
    # Issue 11, item 6: an H200 serves 4,016 tokens/s against the H100's 2,675 in the
    # presets, so it counts 1.501 H100e (not 1.00 by FLOPS); a GB200 4.486 (not 2.53).
    h200 = Tranche("H200 block", "Memphis, TN", "H200", 1_000, START)
    gb200 = Tranche("NVL72", "Memphis, TN", "GB200", 1_000, START)
    r = compute(scenario(term=1, tranches=[h200, gb200, h100(500)],
                         hardware=dict(workload=WORKLOAD_TRAINING,
                                       h100e_weighting=H100E_BY_THROUGHPUT)))
    h100e = 1_000 * 4_016 / 2_675 + 1_000 * 12_000 / 2_675 + 500    # 6,487.3
    assert r.key_figures.h100_equivalents == pytest.approx(h100e, rel=1e-12)
    assert r.key_figures.price_per_h100e_hour == pytest.approx(FEE / (h100e * 30 * 24), rel=1e-12)
    assert r.key_figures.h100e_weighting == "by inference throughput (H100 SXM = 2,675 tokens/s)"


def test_it_and_facility_mw_within_contract_no_warning():
    # 100,000 H100 x 1.40 kW = 140 MW IT; x PUE 1.24 = 173.6 MW < 200 MW.
    r = compute(scenario(term=3, tranches=[h100(100_000)], hardware=dict(contracted_mw=200.0)))
    assert r.key_figures.fleet_it_mw == pytest.approx(100_000 * 1.40 / 1000)
    assert r.key_figures.facility_mw == pytest.approx(100_000 * 1.40 / 1000 * 1.24)
    assert r.schedule.it_mw_online == pytest.approx([140.0] * 3)
    assert r.schedule.facility_mw_online == pytest.approx([173.6] * 3)
    assert not r.schedule.power_over_contract.any()
    assert not [w for w in r.warnings if "MW" in w]


def test_power_warning_when_facility_exceeds_contract():
    # 173.6 MW at the meter against 150 MW contracted.
    r = compute(scenario(term=3, tranches=[h100(100_000)], hardware=dict(contracted_mw=150.0)))
    assert r.schedule.power_over_contract.all()
    warnings = [w for w in r.warnings if "MW" in w]
    assert len(warnings) == 1
    assert "174 MW" in warnings[0] and "150 MW" in warnings[0]


def test_power_warning_names_the_first_month_over():
    # June: 100k H100 = 173.6 MW; from July another 50k: 150k x 1.40 x 1.24 = 260.4 MW > 200.
    r = compute(scenario(term=3, tranches=[h100(100_000), h100(50_000, dt.date(2026, 7, 1), "B")],
                         hardware=dict(contracted_mw=200.0)))
    assert list(r.schedule.power_over_contract) == [False, True, True]
    assert r.schedule.facility_mw_online[1] == pytest.approx(150_000 * 1.40 / 1000 * 1.24)
    assert any("2026-07-01" in w for w in r.warnings)


def test_exact_fit_does_not_warn():
    # 100,000 x 1.40 kW = 140 MW x PUE 1.25 = 175 MW, exactly the contract.
    r = compute(scenario(term=2, tranches=[h100(100_000)],
                         hardware=dict(contracted_mw=175.0, pue=1.25)))
    assert not r.schedule.power_over_contract.any()
    assert not [w for w in r.warnings if "MW" in w]


# --- tokens ------------------------------------------------------------------------

TOKEN_FEE = 2e6


@pytest.fixture(scope="module")
def tokens_case() -> Results:
    """1,000 H100 (2,675 tokens/s each), 90% available, 50% utilised, demand
    1M tokens/s growing 10% a month, three months from 1 Jun 2026; an SLA of
    90% so that no service credit reduces the fee."""
    return compute(scenario(term=3, fee=TOKEN_FEE, tranches=[h100(1_000)],
                            sla_availability_pct=90.0,
                            hardware=dict(availability_pct=90.0, utilization_pct=50.0),
                            projections=dict(demand_tokens_per_s=1e6,
                                             demand_growth_pct_per_month=10.0)))


CAPACITY = 1_000 * 2_675 * 0.90 * 0.50          # 1,203,750 tokens/s
DEMAND = [1e6, 1e6 * 1.1, 1e6 * 1.1 ** 2]         # 1.21M in August > capacity
SECONDS = [30 * 86_400, 31 * 86_400, 31 * 86_400]  # June, July, August


def test_token_capacity_and_demand(tokens_case):
    s = tokens_case.schedule
    assert s.capacity_tokens_per_s == pytest.approx([CAPACITY] * 3)
    assert s.demand_tokens_per_s == pytest.approx(DEMAND)
    assert s.surplus_tokens_per_s == pytest.approx([CAPACITY - d for d in DEMAND])
    assert s.tokens_capacity == pytest.approx([CAPACITY * x for x in SECONDS])


def test_tokens_served_is_min_of_demand_and_capacity(tokens_case):
    served = [min(d, CAPACITY) * x for d, x in zip(DEMAND, SECONDS)]
    assert tokens_case.schedule.tokens_served == pytest.approx(served)
    assert tokens_case.key_figures.tokens_served == pytest.approx(sum(served))
    assert tokens_case.key_figures.shortfall_months == 1
    assert "Demand exceeds capacity in 1 of 3 months." in tokens_case.warnings


def test_cost_per_million_tokens_and_breakeven(tokens_case):
    capacity_tokens = [CAPACITY * x for x in SECONDS]
    served = [min(d, CAPACITY) * x for d, x in zip(DEMAND, SECONDS)]
    s, k = tokens_case.schedule, tokens_case.key_figures
    # cost per million tokens = payments / token capacity
    assert s.cost_per_million_tokens == pytest.approx([TOKEN_FEE * 1e6 / c for c in capacity_tokens])
    assert k.cost_per_million_tokens == pytest.approx(3 * TOKEN_FEE * 1e6 / sum(capacity_tokens))
    # break-even token price = payments / tokens served
    assert s.breakeven_token_price == pytest.approx([TOKEN_FEE * 1e6 / t for t in served])
    assert k.breakeven_token_price == pytest.approx(3 * TOKEN_FEE * 1e6 / sum(served))
    assert k.breakeven_token_price > k.cost_per_million_tokens


def test_no_demand_gives_undefined_breakeven():
    k = compute(scenario(term=2, tranches=[h100(1_000)],
                         projections=dict(demand_tokens_per_s=0.0))).key_figures
    assert k.tokens_served == 0.0
    assert math.isnan(k.breakeven_token_price)
    assert k.as_dict()["breakeven_token_price"] is None
    assert k.shortfall_months == 0


# --- zero GPUs ---------------------------------------------------------------------

@pytest.mark.parametrize("tranches", [[], [h100(0)]], ids=["no tranches", "zero count"])
def test_zero_gpus_gives_nan_prices_and_null_in_dict(tranches):
    r = compute(scenario(term=3, tranches=tranches))
    k = r.key_figures
    assert k.gpus == 0
    for name in ("price_per_gpu_hour", "price_per_h100e_hour", "cost_per_million_tokens",
                 "breakeven_token_price"):
        assert math.isnan(getattr(k, name)), name
    assert np.isnan(r.schedule.price_per_gpu_hour).all()
    d = k.as_dict()
    for name in ("price_per_gpu_hour", "price_per_h100e_hour", "cost_per_million_tokens",
                 "breakeven_token_price"):
        assert d[name] is None, name
    assert d["total_contract_value"] == 3 * FEE        # the money is still defined
    assert d["price_per_mw_month"] == pytest.approx(3 * FEE / (300 * 3))
    json.dumps(d, allow_nan=False)                      # valid JSON, no NaN


def test_zero_contracted_mw_gives_undefined_price_per_mw_month():
    k = compute(scenario(term=2, hardware=dict(contracted_mw=0.0))).key_figures
    assert math.isnan(k.price_per_mw_month)
    assert k.as_dict()["price_per_mw_month"] is None


def test_as_dict_has_every_key_figure(reference):
    d = reference.key_figures.as_dict()
    assert list(d) == [f for f in KeyFigures.__dataclass_fields__]
    assert d["total_contract_value"] == 45e9
    json.dumps(d, allow_nan=False)


# --- schedule shape ----------------------------------------------------------------

REQUIRED_COLUMNS = ("month_start", "payment", "cumulative_payment", "gpus_online",
                    "it_mw_online", "gpu_hours_delivered", "tokens_served",
                    "walkaway_exposure", "h100e_online", "payment_pv")


def test_to_frame_columns(reference):
    frame = reference.schedule.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["month", *MonthlySchedule.COLUMNS]
    assert set(REQUIRED_COLUMNS) <= set(frame.columns)
    assert len(frame) == 36
    assert list(frame["month"]) == list(range(1, 37))
    assert pd.api.types.is_datetime64_any_dtype(frame["month_start"])
    assert frame["month_start"].iloc[0] == pd.Timestamp("2026-06-01")
    assert frame["cumulative_payment"].iloc[-1] == 45e9


@settings(max_examples=30, deadline=None)
@given(term=st.integers(1, 240),
       start=st.dates(dt.date(2000, 1, 1), dt.date(2080, 12, 31)),
       fee=st.floats(0.0, 50e9))
def test_schedule_length_is_the_term(term, start, fee):
    r = compute(scenario(term=term, fee=fee, start_date=start,
                         tranches=[h100(1_000, start)]))
    s = r.schedule
    assert len(s) == term
    for name in MonthlySchedule.COLUMNS:
        assert len(getattr(s, name)) == term, name
    assert len(s.to_frame()) == term
    assert s.cumulative_payment[-1] == pytest.approx(term * fee, rel=1e-9)
    assert r.key_figures.total_contract_value == pytest.approx(term * fee, rel=1e-9)
    # Hours: the term's actual days x 24.
    days = (add_months(start, term) - start).days
    assert s.days.sum() == days
    assert r.key_figures.gpu_hours_delivered == pytest.approx(1_000 * days * 24, rel=1e-12)


def test_fleet_totals_leave_out_tranches_online_after_the_term():
    scenario = default_scenario()
    late = dataclasses.replace(scenario.hardware.tranches[-1], name="After the term",
                               online_date=dt.date(2030, 1, 1))
    scenario = scenario.with_changes("hardware", tranches=scenario.hardware.tranches + (late,))
    figures = compute(scenario).key_figures
    assert figures.gpus == 220_000
    # 150k x 1.40 + 50k x 1.40 + 20k x 1.70 kW = 314 MW IT.
    assert figures.fleet_it_mw == pytest.approx(314.0)
