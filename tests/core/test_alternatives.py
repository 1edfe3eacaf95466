"""The buyer's alternatives and the lease view (core/alternatives.py), by hand.

Alternatives on the same delivered compute: renting every delivered
GPU-hour at its model's forward market rent (core/market.py); building the same fleet (capex when a
tranche comes online, then power and opex).  Lease view: the liability is the
present value at the incremental borrowing rate, on actual dates, of the
payments within the lease term (the notice period, or the full term).
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from core.engine import compute
from core.parameters import (CAPEX_FOR_DEAL, CAPEX_SUNK, LEASE_FULL, LEASE_NOTICE, PARTY_BUYER,
                             PARTY_NEITHER, PARTY_PROVIDER, SHORT_TERM_TAKEN, Tranche)
from core.market import preset_rent
from core.presets import default_scenario
from tests.helpers import add_months, period_hours

START = dt.date(2026, 6, 1)
# The reference deal is mostly inference: H100-equivalents by tokens/s against
# the H100's 2,675 (H200 4,016, GB200 12,000 in the presets).
GB200_H100E = 12_000 / 2_675
H200_H100E = 4_016 / 2_675


def hours(i: int) -> int:
    """Hours in period i (0-based) from START: actual days x 24."""
    return period_hours(START, i)


def df(rate: float, date: dt.date) -> float:
    return (1 + rate) ** (-(date - START).days / 365)


def h100(count=1_000, online=START, name="H100 block"):
    return Tranche(name, "Memphis, TN", "H100 SXM", count, online)


def gb200(count=1_000, online=START, name="GB200 block"):
    return Tranche(name, "Memphis, TN", "GB200", count, online)


def rents(**by_model):
    """A flat market (yearly change 0) at these rents per GPU-hour (H100="H100 SXM")."""
    names = {"H100": "H100 SXM"}
    return dict(rents=tuple(preset_rent(names.get(m, m), r) for m, r in by_model.items()),
                rent_change_pct_per_year=0.0)


def case(term=3, fee=2e6, tranches=None, hardware=None, projections=None, market=None,
         **contract):
    s = default_scenario().with_changes("contract", term_months=term, monthly_fee=fee, **contract)
    s = s.with_changes("hardware", tranches=tuple(tranches or [h100()]), contracted_mw=200.0,
                       pue=1.25, power_price_per_mwh=50.0, staff_opex_per_month=100_000.0)
    if hardware:
        s = s.with_changes("hardware", **hardware)
    if projections:
        s = s.with_changes("projections", **projections)
    if market:
        s = s.with_changes("market", **market)
    return s


def test_the_hand_hours():
    assert [hours(i) for i in range(6)] == [720, 744, 744, 720, 744, 720]   # Jun-Nov 2026


# --- renting on demand ---------------------------------------------------------------

def test_cloud_cost_is_each_models_gpu_hours_times_its_rent():
    r = compute(case(tranches=[h100(), gb200()], market=rents(H100=2.5, GB200=4.0)))
    # 1,000 H100 at $2.50 and 1,000 GB200 at $4.00: $6,500 per hour of the month.
    expected = [(1_000 * 2.5 + 1_000 * 4.0) * hours(i) for i in range(3)]
    assert r.schedule.cloud_cost == pytest.approx(expected, rel=1e-12)
    assert r.schedule.cumulative_cloud_cost == pytest.approx(np.cumsum(expected), rel=1e-12)
    assert r.key_figures.cloud_cost == pytest.approx(sum(expected), rel=1e-12)


def test_cloud_cost_counts_only_delivered_hours():
    r = compute(case(sla_availability_pct=90.0, hardware=dict(availability_pct=90.0),
                     market=rents(H100=2.0)))
    assert r.schedule.cloud_cost == pytest.approx([1_000 * h * 0.9 * 2.0 for h in (720, 744, 744)],
                                                  rel=1e-12)


def test_breakeven_cloud_rate_is_the_price_per_h100e_hour():
    r = compute(case())
    # $6M over 1,000 H100 x 2,208 h = $2.717 per H100-hour
    rate = 6e6 / (1_000 * (720 + 744 + 744))
    k = r.key_figures
    assert k.breakeven_cloud_rate == pytest.approx(rate, rel=1e-12)
    assert k.breakeven_cloud_rate == pytest.approx(k.price_per_h100e_hour, rel=1e-12)
    # Renting the H100s at that rate costs exactly what the lease does over the term.
    at_rate = compute(case(market=rents(H100=rate))).key_figures
    assert at_rate.cloud_cost == pytest.approx(6e6, rel=1e-12)


def test_lease_and_cloud_cross_when_lease_payments_catch_up():
    # Two free months, then $3M a month; cloud at $2.50 on 1,000 H100: $1.8M or $1.86M a month.
    r = compute(case(term=6, fee=3e6, intro_months=2, intro_discount_pct=100.0,
                     market=rents(H100=2.5)))
    lease = np.cumsum([0, 0, 3e6, 3e6, 3e6, 3e6])
    cloud = np.cumsum([1_000 * hours(i) * 2.5 for i in range(6)])
    # lease - cloud: -1.8, -3.66, -2.52, -1.32, -0.18, +1.02 ($M): they cross in month 6.
    assert list((lease - cloud) / 1e6) == pytest.approx([-1.8, -3.66, -2.52, -1.32, -0.18, 1.02])
    assert r.key_figures.breakeven_month_vs_cloud == 6


def test_lease_above_cloud_throughout_never_crosses():
    # $2M a month against $1.8M-$1.86M of cloud: the lease stays dearer.
    assert compute(case(term=12)).key_figures.breakeven_month_vs_cloud is None


# --- building it oneself --------------------------------------------------------------

# 1,000 H100 + 1,000 GB200: GPUs $40M + $60M; IT 1.4 + 1.7 = 3.1 MW x PUE 1.25 = 3.875 MW
# at the meter x $10M = $38.75M of facility; capex $138.75M.
BUILD_CAPEX = 40e6 + 60e6 + 3.875 * 10e6
BUILD_OPEX = BUILD_CAPEX * 0.03 / 12 + 100_000         # $446,875 a month


@pytest.mark.parametrize("treatment", [CAPEX_SUNK, CAPEX_FOR_DEAL])
def test_build_cost_is_capex_power_opex(treatment):
    # Building costs the buyer the capex whatever the provider's own capex treatment.
    r = compute(case(tranches=[h100(), gb200()], hardware=dict(capex_treatment=treatment)))
    power = [3.875 * hours(i) * 50.0 for i in range(3)]
    expected = [BUILD_CAPEX + power[0] + BUILD_OPEX, power[1] + BUILD_OPEX, power[2] + BUILD_OPEX]
    assert BUILD_CAPEX == 138.75e6
    assert r.schedule.build_cost == pytest.approx(expected, rel=1e-12)
    assert r.key_figures.build_cost == pytest.approx(sum(expected), rel=1e-12)


def test_build_capex_in_the_month_a_tranche_comes_online():
    # The GB200 block comes online on 1 Aug 2026: its $60M + 1.7 x 1.25 MW x $10M then.
    r = compute(case(tranches=[h100(), gb200(online=dt.date(2026, 8, 1))]))
    h100_capex = 40e6 + 1.75 * 10e6
    gb200_capex = 60e6 + 2.125 * 10e6
    power = [1.75 * 720 * 50, 1.75 * 744 * 50, 3.875 * 744 * 50]
    opex = [h100_capex * 0.03 / 12 + 1e5] * 2 + [(h100_capex + gb200_capex) * 0.03 / 12 + 1e5]
    expected = [h100_capex + power[0] + opex[0], power[1] + opex[1],
                gb200_capex + power[2] + opex[2]]
    assert r.schedule.build_cost == pytest.approx(expected, rel=1e-12)


def test_lease_and_build_cross():
    # $10M a month leased against $57.5M up front for 1,000 H100 (1.75 MW at the meter).
    r = compute(case(term=12, fee=10e6))
    capex = 40e6 + 1.75 * 10e6
    lease, build, crossed = 0.0, capex, None
    for i in range(12):
        lease += 10e6
        build += 1.75 * hours(i) * 50 + capex * 0.03 / 12 + 1e5
        if crossed is None and lease > build:
            crossed = i + 1
    assert crossed == 6                      # $60M against $59.35M
    assert r.key_figures.build_crossover_month == crossed


# --- the default scenario: against the July 2026 3-year rents (MARKET.md §1) ----------

def test_reference_never_breaks_even_against_cloud():
    k = compute(default_scenario()).key_figures
    h100e = 150_000 + 50_000 * H200_H100E + 20_000 * GB200_H100E
    # H100 $2.00, H200 $2.90, GB200 $4.00: $525,000 an hour, x 26,304 h = $13.81B against
    # $45B: the lines never cross.
    assert k.cloud_cost == pytest.approx((150_000 * 2.0 + 50_000 * 2.9 + 20_000 * 4.0) * 26_304,
                                         rel=1e-12)
    assert k.breakeven_month_vs_cloud is None
    rate = 45e9 / (h100e * 26_304)
    assert rate == pytest.approx(5.43, abs=0.005)
    assert k.breakeven_cloud_rate == pytest.approx(rate, rel=1e-12)
    assert k.breakeven_cloud_rate == pytest.approx(k.price_per_h100e_hour, rel=1e-12)


def test_reference_lease_and_build_cross_in_month_12():
    k = compute(default_scenario()).key_figures
    it_mw = (150_000 * 1.40 + 50_000 * 1.40 + 20_000 * 1.70) / 1000
    capex = 150_000 * 40_000 + 50_000 * 45_000 + 20_000 * 60_000 + it_mw * 1.24 * 10e6
    lease, build, crossed = 0.0, capex, None
    for i in range(36):
        lease += 1.25e9
        build += it_mw * 1.24 * hours(i) * 62.0 + capex * 0.03 / 12 + 5e6
        if crossed is None and lease > build:
            crossed = i + 1
    assert crossed == 12
    assert k.build_crossover_month == crossed


# --- the lease view ------------------------------------------------------------------

def test_reference_lease_liability_over_the_notice_period():
    k = compute(default_scenario()).key_figures
    # Notice on the start date ends payments 30 Aug 2026: June and July, 29/31 of August,
    # paid on 1 Jun, 1 Jul, 1 Aug; at the 7% incremental borrowing rate.
    fee = 1.25e9
    liability = fee + fee * 1.07 ** (-30 / 365) + fee * 29 / 31 * 1.07 ** (-61 / 365)
    assert k.lease_term_months == 3
    assert k.lease_liability == pytest.approx(liability, rel=1e-12)


def test_full_term_lease_liability():
    s = default_scenario().with_changes("contract", lease_term_basis=LEASE_FULL)
    k = compute(s).key_figures
    liability = sum(1.25e9 * df(0.07, add_months(START, i)) for i in range(36))
    assert k.lease_term_months == 36
    assert k.lease_liability == pytest.approx(liability, rel=1e-12)
    assert k.lease_liability > compute(default_scenario()).key_figures.lease_liability


def test_lease_liability_in_arrears():
    k = compute(case(term=6, payment_timing="arrears", notice_days=45)).key_figures
    # Notice on 1 Jun ends payments 16 Jul: June and 15/31 of July, on 30 Jun and 31 Jul.
    liability = 2e6 * df(0.07, dt.date(2026, 6, 30)) + 2e6 * 15 / 31 * df(0.07, dt.date(2026, 7, 31))
    assert k.lease_liability == pytest.approx(liability, rel=1e-12)
    assert k.lease_term_months == 2


def test_lease_uses_the_incremental_borrowing_rate_not_the_discount_rate():
    a = compute(case(term=6, incremental_borrowing_rate_pct=5.0, discount_rate_pct=10.0))
    b = compute(case(term=6, incremental_borrowing_rate_pct=5.0, discount_rate_pct=20.0))
    assert a.key_figures.lease_liability == b.key_figures.lease_liability
    assert a.key_figures.lease_liability == pytest.approx(
        2e6 + 2e6 * 1.05 ** (-30 / 365) + 2e6 * 29 / 31 * 1.05 ** (-61 / 365), rel=1e-12)


def test_no_notice_no_lease_liability():
    k = compute(case(notice_days=0, lease_term_basis=LEASE_NOTICE)).key_figures
    assert k.lease_liability == 0.0
    assert k.lease_term_months == 0


@pytest.mark.parametrize("basis, months", [(LEASE_NOTICE, 3), (LEASE_FULL, 36)])
def test_lease_term_does_not_depend_on_free_months(basis, months):
    s = default_scenario().with_changes("contract", intro_months=2, intro_discount_pct=100.0,
                                        lease_term_basis=basis)
    assert compute(s).key_figures.lease_term_months == months


@pytest.mark.parametrize("basis, timing", [(LEASE_NOTICE, "advance"), (LEASE_FULL, "advance"),
                                           (LEASE_NOTICE, "arrears"), (LEASE_FULL, "arrears")])
def test_amortisation_identities(basis, timing):
    r = compute(default_scenario().with_changes("contract", lease_term_basis=basis,
                                                payment_timing=timing))
    s, k = r.schedule, r.key_figures
    opening, payment = s.lease_liability, s.lease_payment
    interest, closing = s.lease_interest, s.lease_closing
    scale = 1.25e9
    assert opening[0] == k.lease_liability
    assert closing == pytest.approx(opening - payment + interest, abs=1e-6 * scale)
    assert closing[:-1] == pytest.approx(opening[1:], abs=1e-6 * scale)
    term = k.lease_term_months
    assert closing[term - 1] == pytest.approx(0.0, abs=1e-6 * scale)
    assert np.all(opening[term:] == 0) and np.all(payment[term:] == 0)
    # Over the lease, the payments repay the liability and its interest.
    assert payment.sum() == pytest.approx(k.lease_liability + interest.sum(), rel=1e-12)
    assert np.all(interest[:term] >= 0)


def test_first_month_interest_by_hand():
    s = compute(default_scenario()).schedule
    fee = 1.25e9
    liability = fee + fee * 1.07 ** (-30 / 365) + fee * 29 / 31 * 1.07 ** (-61 / 365)
    # Paid in advance on 1 Jun: the rest accrues 7% for June's 30 days.
    interest = (liability - fee) * (1.07 ** (30 / 365) - 1)
    assert s.lease_payment[:3] == pytest.approx([fee, fee, fee * 29 / 31], rel=1e-12)
    assert s.lease_interest[0] == pytest.approx(interest, rel=1e-9)
    assert s.lease_closing[0] == pytest.approx(liability - fee + interest, rel=1e-12)


# --- issue 11, item 5: the lease term follows the contract's rights ----------------------

NOTICE_LIABILITY = (1.25e9 + 1.25e9 * 1.07 ** (-30 / 365)
                    + 1.25e9 * 29 / 31 * 1.07 ** (-61 / 365))   # June, July, 29/31 of August


@pytest.mark.parametrize("party", [PARTY_PROVIDER, PARTY_NEITHER])
def test_a_lessee_without_a_right_to_terminate_is_bound_for_the_full_term(party):
    # "Notice period" is the user's choice, but the buyer cannot give notice: 36 months.
    s = default_scenario().with_changes("contract", terminating_party=party,
                                        lease_term_basis=LEASE_NOTICE)
    k = compute(s).key_figures
    liability = sum(1.25e9 * df(0.07, add_months(START, i)) for i in range(36))
    assert k.lease_term_months == 36
    assert k.lease_liability == pytest.approx(liability, rel=1e-12)
    assert "bound for the whole term" in k.lease_term_reason


def test_both_parties_on_notice_give_the_notice_period_b34():
    k = compute(default_scenario()).key_figures
    assert k.lease_term_months == 3
    assert k.lease_liability == pytest.approx(NOTICE_LIABILITY, rel=1e-12)
    assert "IFRS 16 B34" in k.lease_term_reason and "short-term" in k.lease_term_reason


def test_a_lessee_only_right_keeps_the_users_judgement():
    s = default_scenario().with_changes("contract", terminating_party=PARTY_BUYER)
    assert compute(s).key_figures.lease_term_months == 3
    full = s.with_changes("contract", lease_term_basis=LEASE_FULL)
    k = compute(full).key_figures
    assert k.lease_term_months == 36 and "reasonably certain" in k.lease_term_reason


def test_the_termination_penalty_is_a_lease_payment():
    # A 1-month fee ($1.25B, 2.8% of the $45B of payments: below the 5% threshold, so
    # insignificant) due on notice at the start is paid with month 1's payment, in
    # advance on the start date (discount factor 1): the liability is the notice
    # months' PV + $1.25B.  (This test used a 2-month fee, $2.5B = 5.6%: a significant
    # penalty, which now lengthens the term; issue 22, item 5.)
    s = default_scenario().with_changes("contract", termination_fee_months=1.0)
    r = compute(s)
    assert r.key_figures.lease_term_months == 3
    assert r.key_figures.lease_liability == pytest.approx(NOTICE_LIABILITY + 1.25e9, rel=1e-12)
    assert r.schedule.lease_payment[0] == pytest.approx(1.25e9 + 1.25e9, rel=1e-12)
    assert "IFRS 16.27(e)" in r.key_figures.lease_term_reason


# --- issue 22, items 4 and 5: the penalty's date, and a significant penalty -----------------

def test_the_penalty_is_dated_with_month_ones_lease_payment_in_arrears():
    # Arrears: payments on 30 Jun (29 days after the start), 31 Jul (60), 31 Aug (91);
    # the lease term is June, July and 29/31 of August; the 1-month fee ($1.25B) is in
    # month 1's lease payment and dated like it, on 30 Jun, at the 7% borrowing rate:
    #   (1.25B + 1.25B) x 1.07^(-29/365) + 1.25B x 1.07^(-60/365)
    #   + 1.25B x 29/31 x 1.07^(-91/365) = $4.873B (it was dated on 1 Jun, $1.25B x
    #   (1 - 1.07^(-29/365)) = $6.7M more, so XNPV of the exported column missed it).
    s = default_scenario().with_changes("contract", termination_fee_months=1.0,
                                        payment_timing="arrears")
    r = compute(s)
    by_hand = (2.5e9 * 1.07 ** (-29 / 365) + 1.25e9 * 1.07 ** (-60 / 365)
               + 1.25e9 * 29 / 31 * 1.07 ** (-91 / 365))
    assert by_hand == pytest.approx(4.8726e9, rel=1e-4)
    assert r.key_figures.lease_liability == pytest.approx(by_hand, rel=1e-12)
    # XNPV of the lease_payment column on the payment_date column is the liability.
    days = (r.schedule.payment_date - np.datetime64("2026-06-01")).astype(int)
    xnpv = float(np.sum(r.schedule.lease_payment * 1.07 ** (-days / 365)))
    assert xnpv == pytest.approx(r.key_figures.lease_liability, rel=1e-12)


def test_a_significant_termination_fee_lengthens_the_lease_term():
    # A 2-month fee, $2.5B, is 5.56% of the $45B of payments to the term's end: above
    # the 5% default, a significant penalty (IFRS 16 B34): the term is the full 36
    # months and the liability that of the full term (no penalty in it).
    s = default_scenario().with_changes("contract", termination_fee_months=2.0)
    k = compute(s).key_figures
    full = compute(s.with_changes("contract", lease_term_basis=LEASE_FULL)).key_figures
    assert k.lease_term_months == 36
    assert k.lease_liability == pytest.approx(full.lease_liability, rel=1e-12)
    assert ("more than 5% of the payments" in k.lease_term_reason
            and "significant penalty" in k.lease_term_reason
            and "lengthened to the full term" in k.lease_term_reason)
    # With the threshold at 6% the same fee is insignificant: the 3-month notice
    # period, the fee a lease payment on the start date.
    lenient = compute(s.with_changes("contract", lease_significant_penalty_pct=6.0)).key_figures
    assert lenient.lease_term_months == 3
    assert lenient.lease_liability == pytest.approx(NOTICE_LIABILITY + 2.5e9, rel=1e-12)
    assert "IFRS 16.27(e)" in lenient.lease_term_reason


def test_short_term_exemption_taken_recognises_no_liability():
    s = default_scenario().with_changes("contract", lease_short_term_exemption=SHORT_TERM_TAKEN)
    r = compute(s)
    assert r.key_figures.lease_term_months == 3
    assert r.key_figures.lease_liability == 0.0
    assert np.all(r.schedule.lease_liability == 0) and np.all(r.schedule.lease_interest == 0)
    # The term's payments are still shown (expensed): June, July, 29/31 of August.
    assert r.schedule.lease_payment[:3] == pytest.approx([1.25e9, 1.25e9, 1.25e9 * 29 / 31])
    assert "no liability" in r.key_figures.lease_term_reason
    # A 36-month term cannot take it.
    full = s.with_changes("contract", lease_term_basis=LEASE_FULL)
    assert compute(full).key_figures.lease_liability > 40e9 * 0.8


# --- issue 11, item 9: build against lease, discounted ----------------------------------

def test_build_and_cloud_costs_discounted_like_the_lease_payments():
    # 1,000 H100 for 12 months at $10M a month: building costs $57.5M up front, then
    # 1.75 MW x hours x $50/MWh and $243,750 of opex a month.  Each month on its payment
    # date (the 1st, in advance) at the buyer's 10%, like npv_payments.
    r = compute(case(term=12, fee=10e6, market=rents(H100=2.5)))
    k = r.key_figures
    capex = 40e6 + 1.75 * 10e6
    opex = capex * 0.03 / 12 + 100_000
    dates = [add_months(START, i) for i in range(12)]
    build = [(capex if i == 0 else 0.0) + 1.75 * hours(i) * 50.0 + opex for i in range(12)]
    assert k.build_cost_pv == pytest.approx(sum(b * df(0.10, d) for b, d in zip(build, dates)),
                                            rel=1e-12)
    cloud = [1_000 * hours(i) * 2.5 for i in range(12)]
    assert k.cloud_cost_pv == pytest.approx(sum(c * df(0.10, d) for c, d in zip(cloud, dates)),
                                            rel=1e-12)
    assert k.npv_payments == pytest.approx(sum(10e6 * df(0.10, d) for d in dates), rel=1e-12)
    # Discounting favours the lease: the build's capex is all up front.
    assert k.build_cost_pv / k.npv_payments > k.build_cost / k.total_contract_value


def test_the_alternatives_charts_footnote_says_the_cloud_is_at_the_market_rent():
    # The flat cloud rate per H100-hour went with the market issue (format 4): the
    # footnote under the chart in the pack and the deck said it was still the basis.
    from core.engine import compute
    from core.export.charts import chart_source
    from core.presets import default_scenario
    note = chart_source(compute(default_scenario()), "alternatives")
    assert "each model's market rent" in note and "H100-hour" not in note
