"""Ending the deal early (core/termination.py through the engine), by hand.

Convention (termination.py): notice given on the first day of month k ends
payments `notice_days` later, never after the term; the month it ends in is
paid pro rata by its days; the termination fee is months of the fee in force
in month k, paid by the buyer when the buyer ends the deal before the term's
end (a notice that only reaches the natural end is expiry: no fee).

The 3-month case: $2M a month from 1 Jun 2026 (June 30 days, July 31,
August 31: 92 days), 45 days' notice, a one-month termination fee.
  notice 1 Jun -> ends 16 Jul: June + 15/31 of July
  notice 1 Jul -> ends 15 Aug: June, July + 14/31 of August
  notice 1 Aug -> 106 days > 92: the whole term, expiry (no fee)
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from core.engine import compute
from core.parameters import (CAPEX_FOR_DEAL, CAPEX_SUNK, PARTY_BUYER, PARTY_EITHER,
                             PARTY_NEITHER, PARTY_PROVIDER, Tranche)
from core.presets import default_scenario
from tests.helpers import add_months

START = dt.date(2026, 6, 1)
F = 2e6
PAID = [1 + 15 / 31, 2 + 14 / 31, 3.0]          # months paid if notice is given in month 1, 2, 3
P = [F * p for p in PAID]


def df(rate: float, date: dt.date) -> float:
    return (1 + rate) ** (-(date - START).days / 365)


def h100(count=1_000, online=START):
    return Tranche("H100 block", "Memphis, TN", "H100 SXM", count, online)


def case(term=3, fee=F, notice_days=45, termination_fee_months=1.0, hardware=None,
         projections=None, **contract):
    s = default_scenario().with_changes(
        "contract", term_months=term, monthly_fee=fee, notice_days=notice_days,
        termination_fee_months=termination_fee_months, **contract)
    s = s.with_changes("hardware", tranches=(h100(),), contracted_mw=200.0, pue=1.25,
                       power_price_per_mwh=50.0, staff_opex_per_month=100_000.0)
    if hardware:
        s = s.with_changes("hardware", **hardware)
    return s.with_changes("projections", **(projections or dict(
        demand_tokens_per_s=1e6, demand_growth_pct_per_month=0.0,
        token_price_per_million=2.0, token_price_decline_pct_per_year=0.0)))


def paid_months_by_hand(notice: dt.date, notice_days: int, term_end: dt.date, starts):
    """Months paid when notice is given on `notice`: whole months before the end,
    the month it ends in prorated by its days."""
    end = min(notice + dt.timedelta(days=notice_days), term_end)
    paid = 0.0
    for a, b in zip(starts, starts[1:]):
        paid += min(max((end - a).days, 0), (b - a).days) / (b - a).days
    return paid


def test_the_hand_fractions():
    starts = [add_months(START, i) for i in range(4)]
    assert [paid_months_by_hand(starts[k], 45, starts[-1], starts) for k in range(3)] == \
        pytest.approx(PAID, rel=1e-15)
    assert START + dt.timedelta(days=45) == dt.date(2026, 7, 16)


# --- cost of ending at month k, and the saving -----------------------------------------

@pytest.fixture(scope="module")
def three():
    return compute(case())


def test_cost_of_ending_each_month(three):
    s = three.schedule
    # payments to the end of notice + the one-month termination fee; notice on
    # 1 Aug only reaches the term's end (expiry): the contract, no fee.
    assert s.termination_cost == pytest.approx([P[0] + F, P[1] + F, 3 * F], rel=1e-12)
    assert s.termination_saving == pytest.approx([3 * F - P[0] - F, 3 * F - P[1] - F, 0.0],
                                                 rel=1e-12, abs=1e-6)


def test_cost_without_a_termination_fee():
    r = compute(case(termination_fee_months=0.0))
    # Without a fee, the cost is the payments up to 16 Jul, 15 Aug, and the whole term.
    assert r.schedule.termination_cost == pytest.approx(P, rel=1e-12)
    assert r.schedule.termination_saving == pytest.approx([3 * F - p for p in P], rel=1e-12)


def test_zero_notice_costs_the_months_before_plus_the_fee():
    r = compute(case(term=4, notice_days=0, termination_fee_months=1.5))
    assert r.schedule.termination_cost == pytest.approx([k * F + 1.5 * F for k in range(4)],
                                                        rel=1e-12)


def test_notice_longer_than_the_term_costs_the_whole_term():
    r = compute(case(notice_days=365, termination_fee_months=0.0))
    assert r.schedule.termination_cost == pytest.approx([3 * F] * 3, rel=1e-12)
    assert r.schedule.termination_saving == pytest.approx([0.0] * 3, abs=1e-6)


def test_termination_fee_uses_the_fee_in_force_at_notice():
    r = compute(case(term=24, notice_days=0, termination_fee_months=2.0, escalator_pct=10.0))
    # Notice on 1 Jun 2027 (month 13): 12 months paid at $2M, a fee of 2 x $2.2M.
    assert r.schedule.termination_cost[12] == pytest.approx(12 * F + 2 * F * 1.1, rel=1e-12)
    assert r.schedule.termination_cost[11] == pytest.approx(11 * F + 2 * F, rel=1e-12)


def test_termination_pays_invoices_after_service_credits():
    # 97% available against 99%: a 20% credit, so $1.6M a month is paid; the fee is on $2M.
    r = compute(case(hardware=dict(availability_pct=97.0)))
    assert r.schedule.termination_cost == pytest.approx([0.8 * P[0] + F, 0.8 * P[1] + F,
                                                         0.8 * P[2]], rel=1e-12)


# --- the default scenario: notice on the first anniversary -------------------------------

def test_reference_cost_of_ending_with_notice_on_the_first_anniversary():
    k = compute(default_scenario()).key_figures
    notice = dt.date(2027, 6, 1)                 # the first anniversary
    end = notice + dt.timedelta(days=90)
    assert end == dt.date(2027, 8, 30)           # June 30 + July 31 + 29 days of August
    # 12 months paid, then June and July 2027 in full and 29 of August's 31 days.
    cost = 12 * 1.25e9 + 1.25e9 * (30 / 30 + 31 / 31 + 29 / 31)
    assert cost == pytest.approx(18.669354838709677e9, rel=1e-15)
    assert k.termination_notice_month == 12
    assert k.termination_cost_at_notice_month == pytest.approx(cost, rel=1e-12)
    assert k.termination_saving_at_notice_month == pytest.approx(45e9 - cost, rel=1e-12)
    # One proration: walk-away exposure on day one is the same 90 days, June and
    # July in full and 29 of August's 31 days ($3.669B; no longer 90 x fee x 12 / 365).
    assert k.walkaway_exposure == pytest.approx(1.25e9 * (2 + 29 / 31), rel=1e-12)


def test_reference_cost_curve_rises_then_reaches_the_total():
    s = compute(default_scenario()).schedule
    assert np.all(np.diff(s.termination_cost[:-1]) > 0)
    # Notice on 1 Apr 2029 (61 days left) or 1 May 2029: the whole term, $45B.
    assert s.termination_cost[-2:] == pytest.approx([45e9, 45e9], rel=1e-12)
    # Notice on 1 Mar 2029: ends 30 May, so 29 of May's 31 days are paid.
    assert dt.date(2029, 3, 1) + dt.timedelta(days=90) == dt.date(2029, 5, 30)
    assert s.termination_cost[-3] == pytest.approx(45e9 - 1.25e9 * 2 / 31, rel=1e-12)
    # Notice on day one: June, July and 29 of August's 31 days.
    assert s.termination_cost[0] == pytest.approx(1.25e9 * (2 + 29 / 31), rel=1e-12)


# --- both sides' NPV if the deal ends at month k ------------------------------------------

REVENUE = [30 * 86_400 * 2.0, 31 * 86_400 * 2.0, 31 * 86_400 * 2.0]  # 1M tokens/s x $2 / 1M
LAST_DAYS = [dt.date(2026, 6, 30), dt.date(2026, 7, 31), dt.date(2026, 8, 31)]
PAY_DAYS = [dt.date(2026, 6, 1), dt.date(2026, 7, 1), dt.date(2026, 8, 1)]
FRACTIONS = [[1, 15 / 31, 0], [1, 1, 14 / 31], [1, 1, 1]]
POWER = [1.75 * h * 50.0 for h in (720, 744, 744)]        # 1.75 MW at the meter x $50/MWh
OPEX = 57.5e6 * 0.03 / 12 + 100_000                       # maintenance + staff
DEP = 40e6 * 0.9 / 60 + 17.5e6 / 240


def test_buyer_npv_if_ended(three):
    # Revenue (served 1M tokens/s at $2) on the last day, fees on the first, at 10%;
    # the termination fee on the day notice is given.
    expected = [sum(f * (r * df(0.10, ld) - F * df(0.10, pd))
                    for f, r, ld, pd in zip(row, REVENUE, LAST_DAYS, PAY_DAYS))
                - (F if k < 2 else 0.0) * df(0.10, PAY_DAYS[k])   # no fee at expiry
                for k, row in enumerate(FRACTIONS)]
    assert three.schedule.buyer_npv_if_ended == pytest.approx(expected, rel=1e-12)


def test_provider_npv_if_ended_capex_sunk(three):
    # Operating cash on the payment dates at the 9% WACC, plus the fee received.
    expected = [sum(f * (F - pw - OPEX) * df(0.09, pd)
                    for f, pw, pd in zip(row, POWER, PAY_DAYS))
                + (F if k < 2 else 0.0) * df(0.09, PAY_DAYS[k])   # no fee at expiry
                for k, row in enumerate(FRACTIONS)]
    assert three.schedule.provider_npv_if_ended == pytest.approx(expected, rel=1e-12)


def test_provider_npv_if_ended_capex_bought():
    r = compute(case(hardware=dict(capex_treatment=CAPEX_FOR_DEAL)))
    # The deal ends in July, August, August: the provider keeps the hardware at its book
    # value at the end of that month ($57.5M less 2 or 3 months), dated like all the
    # provider's flows of that month on its payment date, 1 Jul / 1 Aug.
    end_month = [1, 2, 2]
    month_end = PAY_DAYS
    expected = []
    for k, row in enumerate(FRACTIONS):
        operating = sum(f * (F - pw - OPEX) * df(0.09, pd) for f, pw, pd in zip(row, POWER, PAY_DAYS))
        book = 57.5e6 - DEP * (end_month[k] + 1)
        fee = F if k < 2 else 0.0                        # no fee at expiry
        expected.append(operating + fee * df(0.09, PAY_DAYS[k]) - 57.5e6
                        + book * df(0.09, month_end[end_month[k]]))
    assert r.schedule.provider_npv_if_ended == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("capex", [CAPEX_SUNK, CAPEX_FOR_DEAL])
def test_npv_if_ended_in_the_last_month_equals_running_to_term(capex):
    # No termination fee, no deposit: notice in the last month ends with the term.
    r = compute(case(term=12, termination_fee_months=0.0, notice_days=90,
                     hardware=dict(capex_treatment=capex)))
    assert r.schedule.buyer_npv_if_ended[-1] == pytest.approx(r.key_figures.buyer_npv, rel=1e-12)
    assert r.schedule.provider_npv_if_ended[-1] == pytest.approx(r.key_figures.provider_npv,
                                                                 rel=1e-12)


# --- who may end it, and the expected contract value -----------------------------------

def expected_value(hazard_buyer, hazard_provider):
    """Notice given at the start of month k with probability h if the deal is still on;
    the buyer pays the fee when it is the buyer that ends it before the term's end
    (notice in month 3 only reaches it: expiry, no fee)."""
    h = hazard_buyer + hazard_provider
    value = 0.0
    for k in range(3):
        survived = (1 - h) ** k
        value += survived * (h * P[k] + hazard_buyer * (F if k < 2 else 0.0))
    return value + (1 - h) ** 3 * 3 * F


@pytest.mark.parametrize("party, hazard_buyer, hazard_provider", [
    (PARTY_EITHER, 0.10, 0.05),
    (PARTY_BUYER, 0.10, 0.0),       # the provider's chance is ignored
    (PARTY_PROVIDER, 0.0, 0.05),    # the buyer's chance (and its fee) is ignored
    (PARTY_NEITHER, 0.0, 0.0),      # runs to term
])
def test_expected_contract_value(party, hazard_buyer, hazard_provider):
    r = compute(case(terminating_party=party, buyer_termination_prob_pct=10.0,
                     provider_termination_prob_pct=5.0))
    assert r.key_figures.expected_contract_value == pytest.approx(
        expected_value(hazard_buyer, hazard_provider), rel=1e-12)


def test_expected_contract_value_written_out():
    # Either party, 10% + 5% a month: survive a month with 85%.  Notice in
    # month 3 only reaches the term's end: no fee (issue 11, item 2; it was
    # $5,919,822.58 with the fee, 0.85^2 x 0.10 x $2M = $144,500 too high).
    ev = (0.15 * P[0] + 0.10 * F
          + 0.85 * (0.15 * P[1] + 0.10 * F)
          + 0.85 ** 2 * (0.15 * P[2])
          + 0.85 ** 3 * 3 * F)
    assert ev == pytest.approx(5_775_322.58, abs=0.01)
    k = compute(case(buyer_termination_prob_pct=10.0, provider_termination_prob_pct=5.0)).key_figures
    assert k.expected_contract_value == pytest.approx(ev, rel=1e-12)


def test_no_chance_of_termination_expects_the_total():
    k = compute(case()).key_figures
    assert k.expected_contract_value == 3 * F
    assert compute(default_scenario()).key_figures.expected_contract_value == 45e9


def test_certain_termination_by_the_provider_in_month_one():
    # 100% a month, provider only: notice on day one, no fee: June + 15/31 of July.
    k = compute(case(terminating_party=PARTY_PROVIDER, provider_termination_prob_pct=100.0)) \
        .key_figures
    assert k.expected_contract_value == pytest.approx(P[0], rel=1e-12)


# --- issue 11, items 1-4: the scenarios that exposed them ---------------------------------

def test_cost_of_ending_is_not_applicable_when_the_term_is_not_longer_than_the_notice_month():
    # A 1-month deal at $1.25B: notice "on the first anniversary" cannot be given.
    # It used to show the last month's figure: $1.25B + 2 x $1.25B fee = $3.75B.
    s = default_scenario().with_changes("contract", term_months=1, termination_fee_months=2.0)
    k = compute(s).key_figures
    assert np.isnan(k.termination_cost_at_notice_month)
    assert np.isnan(k.termination_saving_at_notice_month)
    assert k.as_dict()["termination_cost_at_notice_month"] is None
    assert k.as_dict()["termination_saving_at_notice_month"] is None
    # A 12-month term: notice after 12 months is past the term too.
    k12 = compute(s.with_changes("contract", term_months=12)).key_figures
    assert k12.as_dict()["termination_cost_at_notice_month"] is None


def test_cost_of_ending_at_a_notice_month_the_user_chooses():
    # The 3-month case, notice after 1 month (1 Jul): June, July, 14/31 of August + $2M fee.
    k = compute(case(termination_notice_month=1)).key_figures
    assert k.termination_notice_month == 1
    assert k.termination_cost_at_notice_month == pytest.approx(F * (2 + 14 / 31) + F, rel=1e-12)
    assert k.termination_saving_at_notice_month == pytest.approx(3 * F - F * (2 + 14 / 31) - F,
                                                                 rel=1e-12)


def test_no_termination_fee_when_the_notice_only_reaches_the_natural_end():
    # The reference deal with a one-month fee: notice on 1 Mar 2029 ends 30 May
    # (early: 29/31 of May paid + the $1.25B fee); on 1 Apr or 1 May 2029 the 90
    # days pass the 31 May end: expiry, the contract's $45B and no fee (it was $46.25B).
    s = compute(default_scenario().with_changes("contract", termination_fee_months=1.0)).schedule
    assert s.termination_cost[-2:] == pytest.approx([45e9, 45e9], rel=1e-12)
    assert s.termination_saving[-2:] == pytest.approx([0.0, 0.0], abs=1e-3)
    assert s.termination_cost[-3] == pytest.approx(45e9 - 1.25e9 * 2 / 31 + 1.25e9, rel=1e-12)
    assert s.walkaway_exposure[-1] == pytest.approx(1.25e9, rel=1e-12)      # May's invoice
    # Ending early still costs the fee: notice on 1 Mar 2029 saves 2/31 of May
    # but pays a $1.25B fee, a genuine loss of $1.169B against running to term.
    assert s.termination_saving[-3] == pytest.approx(1.25e9 * 2 / 31 - 1.25e9, rel=1e-12)


def test_walkaway_exposure_is_net_of_credits_and_agrees_with_the_cost_of_ending():
    # 97% available against a 99% SLA: 2 points x 10% = a 20% credit, so $1.0B is
    # invoiced a month.  Notice on day one: June, July and 29/31 of August of the
    # invoice, $1.0B x (2 + 29/31) = $2,935,483,870.97, plus 1 month of the $1.25B fee.
    s = default_scenario().with_changes("contract", termination_fee_months=1.0) \
        .with_changes("hardware", availability_pct=97.0)
    r = compute(s)
    expected = 1.0e9 * (2 + 29 / 31) + 1.25e9
    assert r.key_figures.walkaway_exposure == pytest.approx(expected, rel=1e-12)
    sch = r.schedule
    assert sch.termination_cost[0] == pytest.approx(expected, rel=1e-12)
    # Every notice month: cost of ending = invoices before it + walk-away exposure, to the cent.
    paid_before = np.concatenate(([0.0], np.cumsum(sch.invoice)[:-1]))
    assert np.max(np.abs(sch.termination_cost - paid_before - sch.walkaway_exposure)) < 0.01


@pytest.mark.parametrize("party", [PARTY_NEITHER, PARTY_PROVIDER])
def test_buyer_without_a_right_to_terminate_is_exposed_to_the_whole_remaining_contract(party):
    # The reference deal: with no buyer's right the headline was 90 days of fees;
    # the buyer is bound to all 36 x $1.25B = $45B, and to (36 - k) x $1.25B at month k.
    r = compute(default_scenario().with_changes("contract", terminating_party=party))
    k = r.key_figures
    assert k.walkaway_exposure == pytest.approx(45e9, rel=1e-12)
    assert r.schedule.walkaway_exposure == pytest.approx(
        [(36 - i) * 1.25e9 for i in range(36)], rel=1e-12)
    assert "buyer's" in k.walkaway_exposure_basis and "bound" in k.walkaway_exposure_basis


# --- issue 22, item 2: every column of the termination view follows the rights -----------

def test_neither_party_may_terminate_every_row_runs_to_term():
    # No notice ends the deal: payments stop at the term's end (1 Sep 2026, the day
    # after 31 Aug) in every row, the cost is the contract's 3 x $2M, the saving 0,
    # and both NPVs are those of the full term (the FRACTIONS row [1, 1, 1]).
    # Before: the row for month 1 said payments stop on 16 Jul while costing $6M.
    r = compute(case(terminating_party=PARTY_NEITHER))
    s, k = r.schedule, r.key_figures
    assert [str(d) for d in s.termination_end_date] == ["2026-09-01"] * 3
    assert s.termination_cost == pytest.approx([3 * F] * 3, rel=1e-12)
    assert s.termination_saving == pytest.approx([0.0] * 3, abs=1e-6)
    full_buyer = sum(r_ * df(0.10, ld) - F * df(0.10, pd)
                     for r_, ld, pd in zip(REVENUE, LAST_DAYS, PAY_DAYS))
    assert s.buyer_npv_if_ended == pytest.approx([full_buyer] * 3, rel=1e-12)
    assert s.provider_npv_if_ended == pytest.approx([k.provider_npv] * 3, rel=1e-12)
    # The buyer is bound: cost of ending = invoices before k + walk-away exposure.
    paid_before = np.concatenate(([0.0], np.cumsum(s.invoice)[:-1]))
    assert np.max(np.abs(s.termination_cost - paid_before - s.walkaway_exposure)) < 0.01


def test_provider_only_rows_are_the_providers_notice_without_the_buyers_fee():
    # Only the provider may end it: row k is the provider's notice on the first day
    # of month k (ends 16 Jul, 15 Aug; 1 Aug only reaches the term's end), and the
    # one-month fee ($2M) is never paid: the cost is P[k] (June + 15/31 of July, ...).
    # Before: the cost was the whole $6M in every row while the buyer's NPV if
    # ended deducted the $2M fee the buyer can never owe.
    r = compute(case(terminating_party=PARTY_PROVIDER))
    s = r.schedule
    assert [str(d) for d in s.termination_end_date] == ["2026-07-16", "2026-08-15", "2026-09-01"]
    assert s.termination_cost == pytest.approx(P, rel=1e-12)
    assert s.termination_saving == pytest.approx([3 * F - p for p in P], rel=1e-12, abs=1e-6)
    buyer = [sum(f * (r_ * df(0.10, ld) - F * df(0.10, pd))
                 for f, r_, ld, pd in zip(row, REVENUE, LAST_DAYS, PAY_DAYS)) for row in FRACTIONS]
    assert s.buyer_npv_if_ended == pytest.approx(buyer, rel=1e-12)
    provider = [sum(f * (F - pw - OPEX) * df(0.09, pd) for f, pw, pd in zip(row, POWER, PAY_DAYS))
                for row in FRACTIONS]
    assert s.provider_npv_if_ended == pytest.approx(provider, rel=1e-12)
    # The buyer's own walk-away exposure stays the whole remaining contract.
    assert s.walkaway_exposure == pytest.approx([3 * F, 2 * F, F], rel=1e-12)


@pytest.mark.parametrize("party", [PARTY_EITHER, PARTY_BUYER])
def test_a_buyer_who_may_terminate_pays_the_fee_in_every_column(party):
    # Row 1 (notice 1 Jun, ends 16 Jul): P[0] + the $2M fee, in the cost and both NPVs.
    r = compute(case(terminating_party=party))
    s = r.schedule
    without_fee = compute(case(terminating_party=PARTY_PROVIDER)).schedule
    assert s.termination_cost[0] == pytest.approx(P[0] + F, rel=1e-12)
    assert s.buyer_npv_if_ended[0] == pytest.approx(without_fee.buyer_npv_if_ended[0] - F,
                                                    rel=1e-12)
    assert s.provider_npv_if_ended[0] == pytest.approx(without_fee.provider_npv_if_ended[0] + F,
                                                       rel=1e-12)


def test_buyer_only_right_keeps_the_notice_exposure():
    k = compute(default_scenario().with_changes("contract", terminating_party=PARTY_BUYER)) \
        .key_figures
    assert k.walkaway_exposure == pytest.approx(1.25e9 * (2 + 29 / 31), rel=1e-12)
    assert "90 days' notice" in k.walkaway_exposure_basis
