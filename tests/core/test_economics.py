"""Both sides of the deal (core/economics.py through the engine), by hand.

Provider case: 1,000 H100 online on the start date, 1 Jun 2026.
  GPU capex       1,000 x $40,000                 = $40.0M
  facility        1,000 x 1.40 kW x PUE 1.25      = 1.75 MW x $10M/MW = $17.5M
  capex                                             $57.5M
  power           1.75 MW x 720 / 744 h x $50/MWh = $63,000 (June), $65,100 (July, August)
  maintenance     $57.5M x 3% / 12                = $143,750 a month
  staff                                             $100,000 a month
  GPU dep.        $40M x (1 - 10%) / 60 months    = $600,000 a month
  facility dep.   $17.5M / 240 months             = $72,916.67 a month

Buyer case: the same GPUs at 50% utilisation serve up to 1,000 x 2,675 x 0.5
= 1,337,500 tokens/s; demand 1M tokens/s growing 20% a month; a blended
$2 per million tokens declining 30% a year (continuously: x 0.7 ^ (i / 12)).

Every expected value is computed here from those inputs, never read off the engine.
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest

from core.engine import compute
from core.parameters import CAPEX_FOR_DEAL, CAPEX_SUNK, DEPOSIT_APPLIED, Tranche
from core.market import preset_rent
from core.presets import default_scenario
from tests.helpers import add_months

START = dt.date(2026, 6, 1)
FEE = 2e6

GPU_CAPEX = 40e6
FACILITY_MW = 1_000 * 1.40 / 1000 * 1.25             # 1.75 MW at the meter
FACILITY_CAPEX = FACILITY_MW * 10e6                  # $17.5M
CAPEX = GPU_CAPEX + FACILITY_CAPEX                   # $57.5M
POWER_PRICE = 50.0
MAINTENANCE = CAPEX * 0.03 / 12                      # $143,750
STAFF = 100_000.0
OPEX = MAINTENANCE + STAFF                           # $243,750
GPU_DEP = GPU_CAPEX * 0.9 / 60                       # $600,000
FACILITY_DEP = FACILITY_CAPEX / 240                  # $72,916.67
DEP = GPU_DEP + FACILITY_DEP


def days(i: int, start: dt.date = START) -> int:
    return (add_months(start, i + 1) - add_months(start, i)).days


def df(rate: float, date: dt.date, start: dt.date = START) -> float:
    """XNPV's discount factor on actual dates."""
    return (1 + rate) ** (-(date - start).days / 365)


def h100(count=1_000, online=START, name="H100 block"):
    return Tranche(name, "Memphis, TN", "H100 SXM", count, online)


def provider_case(term=3, fee=FEE, capex=CAPEX_SUNK, tranches=None, hardware=None, **contract):
    s = default_scenario().with_changes("contract", term_months=term, monthly_fee=fee, **contract)
    s = s.with_changes("hardware", tranches=tuple(tranches or [h100()]), contracted_mw=200.0,
                       pue=1.25, power_price_per_mwh=POWER_PRICE, staff_opex_per_month=STAFF,
                       capex_treatment=capex)
    if hardware:
        s = s.with_changes("hardware", **hardware)
    return s


def power(i: int) -> float:
    return FACILITY_MW * days(i) * 24 * POWER_PRICE


def test_the_hand_figures():
    assert CAPEX == 57.5e6
    assert [power(i) for i in range(3)] == pytest.approx([63_000, 65_100, 65_100])
    assert OPEX == 243_750
    assert DEP == pytest.approx(672_916.6667, abs=1e-3)


# --- provider: P&L -------------------------------------------------------------------

@pytest.fixture(scope="module")
def sunk():
    return compute(provider_case())


def test_provider_revenue_power_opex(sunk):
    s = sunk.schedule
    assert list(s.provider_revenue) == [FEE] * 3
    # Facility MW x hours x $/MWh
    assert s.power_cost == pytest.approx([63_000.0, 65_100.0, 65_100.0], rel=1e-12)
    # Maintenance (3% of capex a year) + staff
    assert s.opex == pytest.approx([243_750.0] * 3, rel=1e-12)


def test_provider_ebitda_ebit(sunk):
    s, k = sunk.schedule, sunk.key_figures
    ebitda = [FEE - power(i) - OPEX for i in range(3)]
    assert ebitda[0] == pytest.approx(1_693_250.0)
    assert s.provider_ebitda == pytest.approx(ebitda, rel=1e-12)
    assert s.depreciation == pytest.approx([DEP] * 3, rel=1e-12)
    assert s.provider_ebit == pytest.approx([e - DEP for e in ebitda], rel=1e-12)
    assert k.provider_ebitda == pytest.approx(sum(ebitda), rel=1e-12)
    assert k.provider_ebit == pytest.approx(sum(ebitda) - 3 * DEP, rel=1e-12)
    assert k.provider_revenue == 3 * FEE


def test_book_value_straight_line(sunk):
    # $57.5M less $672,916.67 a month.
    assert sunk.schedule.book_value == pytest.approx([CAPEX - DEP * k for k in (1, 2, 3)],
                                                     rel=1e-12)
    assert sunk.key_figures.provider_book_value_at_end == pytest.approx(55_481_250.0, rel=1e-12)
    assert sunk.key_figures.provider_capex == CAPEX


def test_gpu_depreciation_stops_at_the_residual_value():
    # GPU life 1 year, 15-month term: $40M x 90% / 12 = $3M a month for 12 months, then 0.
    r = compute(provider_case(term=15, capex=CAPEX_FOR_DEAL,
                              hardware=dict(depreciation_life_years=1.0)))
    expected = [3e6 + FACILITY_DEP] * 12 + [FACILITY_DEP] * 3
    assert r.schedule.depreciation == pytest.approx(expected, rel=1e-12)
    # At the end: the GPUs' 10% residual, $4M, plus the facility less 15 months.
    assert r.key_figures.provider_book_value_at_end == pytest.approx(
        4e6 + FACILITY_CAPEX - 15 * FACILITY_DEP, rel=1e-12)
    assert r.key_figures.provider_book_value_at_end == pytest.approx(20_406_250.0, rel=1e-12)


def test_residual_value_and_facility_life():
    # 50% residual, facility over 10 years: GPU $40M x 50% / 60, facility $17.5M / 120.
    r = compute(provider_case(hardware=dict(residual_value_pct=50.0, facility_life_years=10.0)))
    dep = 40e6 * 0.5 / 60 + 17.5e6 / 120
    assert r.schedule.depreciation == pytest.approx([dep] * 3, rel=1e-12)
    assert r.schedule.book_value[-1] == pytest.approx(CAPEX - 3 * dep, rel=1e-12)


def test_sunk_hardware_online_before_the_start_has_aged():
    # Online 1 Jun 2025: 365 days = 12 months (of 365/12 days) of depreciation taken.
    online = dt.date(2025, 6, 1)
    assert (START - online).days == 365
    r = compute(provider_case(tranches=[h100(online=online)]))
    assert r.schedule.depreciation == pytest.approx([DEP] * 3, rel=1e-12)
    assert r.schedule.book_value == pytest.approx([CAPEX - DEP * (12 + k) for k in (1, 2, 3)],
                                                  rel=1e-12)


def test_sunk_hardware_age_is_days_over_average_month_length():
    # Convention (core/conventions.py, issue 22 item 4): online 1 Mar 2026, 92 days
    # (March 31 + April 30 + May 31) before the 1 Jun 2026 start, is 92 / (365/12) =
    # 3.0247 months old, not 3 calendar months: after June, 4.0247 months of $672,917
    # taken, book value $57.5M - $2,708,259 = $54,791,741 (calendar: $16,592 more).
    online = dt.date(2026, 3, 1)
    assert (START - online).days == 92
    age = 92 / (365 / 12)
    assert age == pytest.approx(3.0247, abs=1e-4)
    r = compute(provider_case(tranches=[h100(online=online)]))
    assert r.schedule.book_value[0] == pytest.approx(CAPEX - DEP * (age + 1), rel=1e-12)
    assert r.schedule.book_value[0] == pytest.approx(54_791_741, abs=1)
    assert CAPEX - DEP * 4 - r.schedule.book_value[0] == pytest.approx(16_592, abs=1)


def test_sunk_gpus_past_their_life_are_at_residual():
    # Online 1 Jun 2021: 1,826 days (2024 is a leap year) > 5 years: GPUs at 10%.
    online = dt.date(2021, 6, 1)
    age = (START - online).days / (365 / 12)
    assert (START - online).days == 1_826 and age > 60
    r = compute(provider_case(tranches=[h100(online=online)]))
    assert r.schedule.depreciation == pytest.approx([FACILITY_DEP] * 3, rel=1e-12)
    assert r.schedule.book_value[-1] == pytest.approx(
        4e6 + FACILITY_CAPEX - FACILITY_DEP * (age + 3), rel=1e-12)


def test_bought_tranche_mid_month_costs_and_depreciates_from_its_online_day():
    # A second 1,000 H100 bought for the deal, online 16 Jul 2026 (16 of 31 days).
    r = compute(provider_case(capex=CAPEX_FOR_DEAL,
                              tranches=[h100(), h100(online=dt.date(2026, 7, 16), name="B")]))
    s = r.schedule
    share = 16 / 31
    assert s.provider_capex == pytest.approx([CAPEX, CAPEX, 0.0], rel=1e-12)
    assert s.depreciation == pytest.approx([DEP, DEP * (1 + share), 2 * DEP], rel=1e-12)
    assert s.opex == pytest.approx([OPEX, STAFF + MAINTENANCE * (1 + share),
                                    STAFF + 2 * MAINTENANCE], rel=1e-12)
    assert s.power_cost == pytest.approx(
        [63_000.0, FACILITY_MW * (1 + share) * 744 * POWER_PRICE, 2 * 65_100.0], rel=1e-12)
    # Book at the end: the first block 3 months old, the second 1 + 16/31 months.
    assert s.book_value[-1] == pytest.approx(2 * CAPEX - DEP * (3 + 1 + share), rel=1e-12)
    assert r.key_figures.provider_capex == 2 * CAPEX


# --- provider: cash, payback, IRR and NPV, sunk against bought ---------------------

def test_sunk_capex_no_investment(sunk):
    s, k = sunk.schedule, sunk.key_figures
    cash = [FEE - power(i) - OPEX for i in range(3)]
    assert not s.provider_capex.any()
    assert s.provider_cash_flow == pytest.approx(cash, rel=1e-12)
    assert s.provider_cumulative_cash == pytest.approx(np.cumsum(cash), rel=1e-12)
    assert k.provider_payback_month == 1
    assert math.isnan(k.provider_irr)                      # nothing invested
    assert k.as_dict()["provider_irr"] is None
    # NPV at the 9% WACC, flows on the payment dates (1 Jun, 1 Jul, 1 Aug), no terminal value.
    npv = sum(c * df(0.09, add_months(START, i)) for i, c in enumerate(cash))
    assert k.provider_npv == pytest.approx(npv, rel=1e-12)


def test_bought_capex_cash_npv_and_irr_on_actual_dates():
    r = compute(provider_case(capex=CAPEX_FOR_DEAL))
    s, k = r.schedule, r.key_figures
    operating = [FEE - power(i) - OPEX for i in range(3)]
    assert s.provider_capex == pytest.approx([CAPEX, 0.0, 0.0])
    assert s.provider_cash_flow == pytest.approx([operating[0] - CAPEX, *operating[1:]],
                                                 rel=1e-12)
    assert k.provider_payback_month is None            # $5M back on $57.5M in 3 months
    book = CAPEX - 3 * DEP                              # $55,481,250 at the end of August
    dates = [add_months(START, i) for i in range(3)]
    # Every provider flow of a month on its payment date, the book value with August's.
    npv = (sum(c * df(0.09, d) for c, d in zip(operating, dates)) - CAPEX
           + book * df(0.09, dates[-1]))
    assert k.provider_npv == pytest.approx(npv, rel=1e-12)
    # IRR: the XNPV of the same flows on the same dates is zero at it (hand datetime).
    flows = [operating[0] - CAPEX, operating[1], operating[2] + book]
    when = dates
    assert sum(f * df(k.provider_irr, d) for f, d in zip(flows, when)) == pytest.approx(
        0.0, abs=1e-6 * CAPEX)
    assert sum(f * df(k.provider_irr - 0.001, d) for f, d in zip(flows, when)) > 0
    assert sum(f * df(k.provider_irr + 0.001, d) for f, d in zip(flows, when)) < 0


def test_bought_payback_month_by_hand():
    # $10M a month against $57.5M: cumulative cash first >= 0 in month 6.
    r = compute(provider_case(term=12, fee=10e6, capex=CAPEX_FOR_DEAL))
    cumulative, payback = -CAPEX, None
    for i in range(12):
        cumulative += 10e6 - power(i) - OPEX
        if payback is None and cumulative >= 0:
            payback = i + 1
    assert payback == 6
    assert r.key_figures.provider_payback_month == payback
    assert r.schedule.provider_cumulative_cash[-1] == pytest.approx(cumulative, rel=1e-12)


def test_irr_and_npv_match_numpy_financial_when_flows_are_365_days_apart():
    # From 1 Jan 2025 for 25 months, no fee, no power, no opex, no facility: the only
    # flows are $40M of GPUs on 1 Jan 2025 and their book value at the term's end,
    # dated with the last month's payment on 1 Jan 2027, 730 days (two 365-day years)
    # later: $40M - 25 x $600,000 = $25M.
    start = dt.date(2025, 1, 1)
    assert (dt.date(2027, 1, 1) - start).days == 730
    s = provider_case(term=25, fee=0.0, capex=CAPEX_FOR_DEAL, start_date=start,
                      tranches=[h100(online=start)],
                      hardware=dict(power_price_per_mwh=0.0, maintenance_pct_per_year=0.0,
                                    staff_opex_per_month=0.0, facility_capex_per_mw=0.0))
    k = compute(s).key_figures
    flows = [-40e6, 0.0, 25e6]
    assert k.provider_book_value_at_end == pytest.approx(25e6, rel=1e-12)
    assert k.provider_irr == pytest.approx(npf.irr(flows), abs=1e-9)
    assert k.provider_irr == pytest.approx(0.625 ** 0.5 - 1, abs=1e-9)   # sqrt(25 / 40) - 1
    assert k.provider_npv == pytest.approx(npf.npv(0.09, flows), rel=1e-12)
    assert k.provider_npv == pytest.approx(-40e6 + 25e6 / 1.09 ** 2, rel=1e-12)


@pytest.mark.parametrize("timing", ["advance", "arrears"])
def test_provider_npv_is_zero_at_its_irr(timing):
    # 100 H100 bought for a 12-month deal at $300k a month, no staff.
    tranches = [h100(100)]
    base = provider_case(term=12, fee=0.3e6, capex=CAPEX_FOR_DEAL, tranches=tranches,
                         payment_timing=timing, hardware=dict(staff_opex_per_month=0.0))
    irr = compute(base).key_figures.provider_irr
    assert 0 < irr < 1
    at_irr = base.with_changes("contract", provider_wacc_pct=irr * 100)
    # 100 x $40k + 0.175 MW x $10M = $5.75M invested: zero to well within a dollar.
    assert compute(at_irr).key_figures.provider_npv == pytest.approx(0.0, abs=1e-3)


def test_provider_npv_is_zero_at_its_irr_with_a_deposit_in_arrears():
    base = provider_case(term=12, fee=0.3e6, capex=CAPEX_FOR_DEAL, tranches=[h100(100)],
                         payment_timing="arrears", prepayment_months=3.0,
                         prepayment_treatment=DEPOSIT_APPLIED,
                         hardware=dict(staff_opex_per_month=0.0))
    irr = compute(base).key_figures.provider_irr
    at_irr = base.with_changes("contract", provider_wacc_pct=irr * 100)
    assert compute(at_irr).key_figures.provider_npv == pytest.approx(0.0, abs=1.0)


def test_provider_cash_includes_the_deposit():
    r = compute(provider_case(prepayment_months=1.0, prepayment_treatment=DEPOSIT_APPLIED))
    # $2M deposit on 1 Jun, applied to August's fee.
    assert r.schedule.provider_cash_flow == pytest.approx(
        [2 * FEE - power(0) - OPEX, FEE - power(1) - OPEX, -power(2) - OPEX], rel=1e-12)


# --- buyer -----------------------------------------------------------------------------

CAPACITY = 1_000 * 2_675 * 1.0 * 0.5           # 1,337,500 tokens/s
DEMAND = [1e6, 1.2e6, 1.44e6]                  # August's demand exceeds capacity
SERVED = [1e6, 1.2e6, CAPACITY]
SECONDS = [30 * 86_400, 31 * 86_400, 31 * 86_400]
PRICES = [2.0 * 0.7 ** (i // 12) for i in range(3)]     # steps yearly: $2 all of year 1
BUYER_FEE = 4e6


def buyer_case(term=3, **contract):
    s = default_scenario().with_changes("contract", term_months=term, monthly_fee=BUYER_FEE,
                                        **contract)
    s = s.with_changes("hardware", tranches=(h100(),), contracted_mw=200.0, utilization_pct=50.0)
    return s.with_changes("projections", demand_tokens_per_s=1e6, demand_growth_pct_per_month=20.0,
                          token_price_per_million=2.0, token_price_decline_pct_per_year=30.0)


@pytest.fixture(scope="module")
def buyer():
    return compute(buyer_case())


def revenue() -> list[float]:
    # tokens served / 1e6 x the declining price
    return [t * sec / 1e6 * p for t, sec, p in zip(SERVED, SECONDS, PRICES)]


def test_buyer_revenue_is_tokens_served_times_declining_price(buyer):
    s = buyer.schedule
    assert s.token_price == pytest.approx(PRICES, rel=1e-12)
    assert revenue()[0] == pytest.approx(5_184_000.0)         # 1M x 2,592,000 s / 1M x $2
    assert s.buyer_revenue == pytest.approx(revenue(), rel=1e-12)
    assert buyer.key_figures.buyer_revenue == pytest.approx(sum(revenue()), rel=1e-12)


def test_token_price_after_a_year_is_down_by_the_yearly_decline():
    s = compute(buyer_case(term=13)).schedule
    # The price steps down on the anniversary (issue 11, item 9), not monthly:
    assert s.token_price[12] == pytest.approx(2.0 * 0.7, rel=1e-12)     # month 13: $1.40
    assert s.token_price[:12] == pytest.approx([2.0] * 12, rel=1e-12)   # not 2 x 0.7^(6/12)


def test_buyer_margin_and_cumulative_cash(buyer):
    s, k = buyer.schedule, buyer.key_figures
    margin = [r - BUYER_FEE for r in revenue()]
    assert s.buyer_margin == pytest.approx(margin, rel=1e-12)
    assert s.buyer_cash_flow == pytest.approx(margin, rel=1e-12)
    assert s.buyer_cumulative_cash == pytest.approx(np.cumsum(margin), rel=1e-12)
    assert k.buyer_margin == pytest.approx(sum(margin), rel=1e-12)


def test_buyer_margin_uses_invoices_and_cash_uses_payments():
    # A one-month deposit applied to the last fee: paid $8M, $4M, $0.
    s = compute(buyer_case(prepayment_months=1.0)).schedule
    assert s.buyer_margin == pytest.approx([r - BUYER_FEE for r in revenue()], rel=1e-12)
    cash = [r - p for r, p in zip(revenue(), [8e6, 4e6, 0.0])]
    assert s.buyer_cash_flow == pytest.approx(cash, rel=1e-12)
    assert s.buyer_cumulative_cash[-1] == pytest.approx(sum(revenue()) - 12e6, rel=1e-12)


@pytest.mark.parametrize("timing", ["advance", "arrears"])
def test_buyer_npv_at_the_buyers_rate(timing):
    k = compute(buyer_case(payment_timing=timing, discount_rate_pct=12.0,
                           provider_wacc_pct=30.0)).key_figures
    last_days = [dt.date(2026, 6, 30), dt.date(2026, 7, 31), dt.date(2026, 8, 31)]
    pay_days = [add_months(START, i) for i in range(3)] if timing == "advance" else last_days
    # Revenue on the last day of each month, payments on their dates; 12%, not the WACC.
    npv = (sum(r * df(0.12, d) for r, d in zip(revenue(), last_days))
           - sum(BUYER_FEE * df(0.12, d) for d in pay_days))
    assert k.buyer_npv == pytest.approx(npv, rel=1e-12)


def test_breakeven_token_price_over_time(buyer):
    # What the buyer must charge per million tokens served to cover each invoice.
    expected = [BUYER_FEE * 1e6 / (t * sec) for t, sec in zip(SERVED, SECONDS)]
    assert buyer.schedule.breakeven_token_price == pytest.approx(expected, rel=1e-12)


# --- the default scenario: the board's questions -------------------------------------

REF_GPU_CAPEX = 150_000 * 40_000 + 50_000 * 45_000 + 20_000 * 60_000      # $9.45B
REF_IT_MW = (150_000 * 1.40 + 50_000 * 1.40 + 20_000 * 1.70) / 1000      # 314 MW
REF_FACILITY_MW = REF_IT_MW * 1.24                                         # 389.36 MW
REF_FACILITY_CAPEX = REF_FACILITY_MW * 10e6                                # $3.8936B
REF_CAPEX = REF_GPU_CAPEX + REF_FACILITY_CAPEX                             # $13.3436B
REF_OPEX = REF_CAPEX * 0.03 / 12 + 5e6                                     # $38.359M a month
REF_FEE = 1.25e9


def ref_power(i: int) -> float:
    return REF_FACILITY_MW * days(i) * 24 * 62.0


def ref_book_at_end() -> float:
    # GPUs: 90% over 60 months, 36 taken; facility: over 240 months, 36 taken.
    return REF_GPU_CAPEX * (1 - 0.9 * 36 / 60) + REF_FACILITY_CAPEX * (1 - 36 / 240)


def test_reference_capex_and_book_value():
    k = compute(default_scenario()).key_figures
    assert REF_CAPEX == pytest.approx(13.3436e9, rel=1e-12)
    assert k.provider_capex == pytest.approx(REF_CAPEX, rel=1e-12)
    assert ref_book_at_end() == pytest.approx(7.65656e9, rel=1e-12)
    assert k.provider_book_value_at_end == pytest.approx(ref_book_at_end(), rel=1e-12)


def test_reference_provider_with_capex_sunk():
    k = compute(default_scenario()).key_figures
    assert default_scenario().hardware.capex_treatment == CAPEX_SUNK
    assert math.isnan(k.provider_irr)          # no investment to return
    assert k.provider_payback_month == 1       # the first month's cash is positive
    assert REF_FEE - ref_power(0) - REF_OPEX > 0
    npv = sum((REF_FEE - ref_power(i) - REF_OPEX) * df(0.09, add_months(START, i))
              for i in range(36))
    assert k.provider_npv == pytest.approx(npv, rel=1e-12)


@pytest.fixture(scope="module")
def reference_bought():
    return compute(default_scenario().with_changes("hardware", capex_treatment=CAPEX_FOR_DEAL))


def test_reference_provider_payback_with_capex_bought(reference_bought):
    cumulative, payback = -REF_CAPEX, None
    for i in range(36):
        cumulative += REF_FEE - ref_power(i) - REF_OPEX
        if payback is None and cumulative >= 0:
            payback = i + 1
    # 11 x ~$1.19B falls short of $13.34B; the 12th month covers it.
    assert payback == 12
    assert reference_bought.key_figures.provider_payback_month == payback


def test_reference_provider_irr_and_npv_with_capex_bought(reference_bought):
    k = reference_bought.key_figures
    dates = [add_months(START, i) for i in range(36)]
    operating = [REF_FEE - ref_power(i) - REF_OPEX for i in range(36)]
    # The book value at the term's end comes with May 2029's flows, on 1 May 2029.
    flows = [operating[0] - REF_CAPEX, *operating[1:-1], operating[-1] + ref_book_at_end()]
    when = dates
    npv = sum(f * df(0.09, d) for f, d in zip(flows, when))
    assert k.provider_npv == pytest.approx(npv, rel=1e-12)
    irr = k.provider_irr
    assert sum(f * df(irr, d) for f, d in zip(flows, when)) == pytest.approx(0.0,
                                                                            abs=1e-6 * REF_CAPEX)
    assert sum(f * df(irr - 0.001, d) for f, d in zip(flows, when)) > 0
    assert sum(f * df(irr + 0.001, d) for f, d in zip(flows, when)) < 0
    # Paid back within a year, then two more years and the hardware: over 100% a year.
    assert irr > 1.0


def test_reference_cost_per_million_tokens_against_price():
    r = compute(default_scenario())
    s, k = r.schedule, r.key_figures
    capacity = (150_000 * 2_675 + 50_000 * 4_016 + 20_000 * 12_000) * 0.60   # 505.23M tokens/s
    term_seconds = 26_304 * 3_600
    cost = 45e9 * 1e6 / (capacity * term_seconds)
    assert cost == pytest.approx(0.9406, abs=1e-4)
    assert k.cost_per_million_tokens == pytest.approx(cost, rel=1e-12)
    assert k.token_price_per_million == 2.0
    assert k.cost_per_million_tokens < k.token_price_per_million
    # Month by month: the price steps down 30% each anniversary while the fee does not;
    # the break-even price per token served first exceeds it in month 33 (Feb 2029,
    # 28 days of tokens against a whole month's fee, at $0.98 per million).
    prices, breakeven = [], []
    for i in range(36):
        seconds = days(i) * 86_400
        served = min(400e6 * 1.02 ** i, capacity) * seconds
        prices.append(2.0 * 0.7 ** (i // 12))
        breakeven.append(REF_FEE * 1e6 / served)
    assert s.token_price == pytest.approx(prices, rel=1e-12)
    assert s.breakeven_token_price == pytest.approx(breakeven, rel=1e-12)
    first_loss = next(i for i in range(36) if breakeven[i] > prices[i]) + 1
    assert first_loss == 33 and add_months(START, 32) == dt.date(2029, 2, 1)
    assert int(np.argmax(s.breakeven_token_price > s.token_price)) + 1 == first_loss


def test_reference_buyer_revenue_and_npv():
    r = compute(default_scenario())
    capacity = (150_000 * 2_675 + 50_000 * 4_016 + 20_000 * 12_000) * 0.60
    revenue = [min(400e6 * 1.02 ** i, capacity) * days(i) * 86_400 / 1e6 * 2.0 * 0.7 ** (i // 12)
               for i in range(36)]
    # June 2026: 400M tokens/s x 2,592,000 s = 1.0368e15 tokens x $2 / 1M = $2.0736B
    assert revenue[0] == pytest.approx(2.0736e9)
    assert r.schedule.buyer_revenue == pytest.approx(revenue, rel=1e-12)
    npv = sum(rv * df(0.10, add_months(START, i + 1) - dt.timedelta(days=1))
              - REF_FEE * df(0.10, add_months(START, i)) for i, rv in enumerate(revenue))
    assert r.key_figures.buyer_npv == pytest.approx(npv, rel=1e-12)


def test_provider_irr_is_xirr_of_one_exported_column(tmp_path, reference_bought):
    """Issue 11, item 8: the CSV alone reproduces the provider's IRR and NPV.
    XIRR of provider_cash_flow_with_terminal dated by payment_date, solved here
    by bisection on the CSV's own numbers (no engine code)."""
    from core.export.schedule_csv import write_schedule_csv
    path = tmp_path / "schedule.csv"
    write_schedule_csv(reference_bought, path)
    frame = pd.read_csv(path)
    flows = frame["provider_cash_flow_with_terminal"].to_numpy(float)
    dates = [dt.date.fromisoformat(d) for d in frame["payment_date"]]
    # The last row carries the hardware's book value at the term's end.
    assert frame["provider_terminal_value"].iloc[-1] == pytest.approx(ref_book_at_end(), rel=1e-9)
    assert flows[-1] == pytest.approx(frame["provider_cash_flow"].iloc[-1] + ref_book_at_end(),
                                      rel=1e-12)

    def xnpv(rate):
        return sum(f * (1 + rate) ** (-(d - dates[0]).days / 365) for f, d in zip(flows, dates))

    low, high = 0.0, 100.0
    assert xnpv(low) > 0 > xnpv(high)
    for _ in range(200):
        mid = (low + high) / 2
        low, high = (mid, high) if xnpv(mid) > 0 else (low, mid)
    k = reference_bought.key_figures
    assert k.provider_irr == pytest.approx(low, rel=1e-9)
    # The same column at the 9% WACC is the provider's NPV.
    assert k.provider_npv == pytest.approx(
        sum(f * df(0.09, d) for f, d in zip(flows, dates)), rel=1e-9)


# --- issue 11, item 7: the capacity's opportunity cost ----------------------------------

def test_sunk_capex_charges_the_market_rent_it_forgoes():
    # 1,000 H100 delivered 720, 744, 744 hours; at a flat market rent of $2.50 per GPU-hour
    # the provider could rent them for $1.80M, $1.86M, $1.86M.  Renting would take the
    # same power and opex, so economic profit = invoices - rent = $2M - rent a month:
    # $0.20M + $0.14M + $0.14M = $0.48M, against an accounting EBITDA near $5.4M.
    r = compute(provider_case().with_changes("market", rents=(preset_rent("H100 SXM", 2.5),),
                                             rent_change_pct_per_year=0.0))
    s, k = r.schedule, r.key_figures
    rent = [1_000 * h * 2.5 for h in (720, 744, 744)]
    assert s.provider_market_rent == pytest.approx(rent, rel=1e-12)
    assert s.provider_opportunity_cost == pytest.approx(
        [rent[i] - power(i) - OPEX for i in range(3)], rel=1e-12)
    assert s.provider_economic_profit == pytest.approx([FEE - x for x in rent], rel=1e-12)
    assert k.provider_economic_profit == pytest.approx(480_000.0, rel=1e-12)
    assert k.provider_ebitda == pytest.approx(sum(FEE - power(i) - OPEX for i in range(3)),
                                              rel=1e-12)
    dates = [add_months(START, i) for i in range(3)]
    assert k.provider_economic_npv == pytest.approx(
        sum((FEE - x) * df(0.09, d) for x, d in zip(rent, dates)), rel=1e-12)


def test_reference_deal_economic_profit_is_the_fee_over_market_rent():
    # $45B of invoices against (150k x $2.00 + 50k x $2.90 + 20k x $4.00) x 26,304 h =
    # $13.81B of market rent (MARKET.md §1, July 2026).
    k = compute(default_scenario()).key_figures
    rent = (150_000 * 2.0 + 50_000 * 2.9 + 20_000 * 4.0) * 26_304
    assert rent == pytest.approx(13.81e9, rel=1e-3)
    assert k.provider_economic_profit == pytest.approx(45e9 - rent, rel=1e-12)
    assert k.provider_economic_profit < k.provider_ebitda


def test_bought_capex_charges_the_capital_net_of_what_is_left():
    # Bought for the deal: the opportunity cost is the $57.5M capex less the book
    # value at the end ($57.5M - 3 x DEP), so economic profit = EBITDA - 3 x DEP.
    k = compute(provider_case(capex=CAPEX_FOR_DEAL)).key_figures
    assert k.provider_opportunity_cost == pytest.approx(3 * DEP, rel=1e-9)
    assert k.provider_economic_profit == pytest.approx(k.provider_ebitda - 3 * DEP, rel=1e-9)


def test_buyer_revenue_not_modelled_is_not_applicable_in_the_schedule_too():
    # Convention (core/conventions.py, issue 22 item 4): without a revenue model the
    # key figures said n/a while the schedule showed $0 of revenue and a margin of
    # minus the invoice (-$1.25B a month); now n/a in both, blank in the CSV, and the
    # cash flow is minus the payment.
    from core.export.schedule_csv import schedule_csv_text
    from core.parameters import BUYER_REVENUE_NONE
    r = compute(default_scenario().with_changes("projections",
                                                buyer_revenue_model=BUYER_REVENUE_NONE))
    s, k = r.schedule, r.key_figures
    assert math.isnan(k.buyer_revenue) and math.isnan(k.buyer_margin)
    assert np.all(np.isnan(s.buyer_revenue)) and np.all(np.isnan(s.buyer_margin))
    assert s.buyer_cash_flow == pytest.approx(-s.payment, rel=1e-15)
    header, first = schedule_csv_text(r).splitlines()[:2]
    cells = dict(zip(header.split(","), first.split(",")))
    assert cells["buyer_revenue"] == "" and cells["buyer_margin"] == ""
    assert float(cells["buyer_cash_flow"]) == -1.25e9
