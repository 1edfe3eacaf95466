"""Ending the deal early: the cost of ending at every month, both sides' NPV
if it ends there, and the expected contract value under monthly chances of
termination.

Notice given on the first day of month k ends payments `notice_days` later
(never after the term); the period it ends in is paid pro rata by days.  The
termination fee (months of the fee then in force) is paid by the buyer when
the buyer ends the deal.  The provider, if it bought the capex for the deal,
keeps the hardware at its book value when the deal ends.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.parameters import PARTY_BUYER, PARTY_EITHER, PARTY_PROVIDER, Scenario
from core.timeline import Timeline, paid_fraction


@dataclass(frozen=True)
class TerminationCurves:
    paid_fraction: np.ndarray        # notice month x month
    termination_cost: np.ndarray     # buyer's payments to the end of notice + fee
    termination_saving: np.ndarray   # against running to term
    buyer_npv_if_ended: np.ndarray
    provider_npv_if_ended: np.ndarray
    end_date: np.ndarray             # datetime64[D], the day payments stop
    expected_contract_value: float


def party_may_end(scenario: Scenario, party: str) -> bool:
    allowed = scenario.contract.terminating_party
    return allowed == PARTY_EITHER or allowed == party


def termination_curves(scenario: Scenario, timeline: Timeline, *, fee: np.ndarray,
                       invoice: np.ndarray, revenue_pv: np.ndarray, invoice_pv_buyer: np.ndarray,
                       start_df_buyer: np.ndarray, provider_operating_pv: np.ndarray,
                       provider_capex_pv: np.ndarray, provider_book_value: np.ndarray,
                       provider_bought: bool, end_df_provider: np.ndarray,
                       start_df_provider: np.ndarray) -> TerminationCurves:
    c = scenario.contract
    n = timeline.months
    total_days = timeline.day_start[-1]
    end_days = np.minimum(timeline.day_start[:-1] + c.notice_days, total_days)
    paid = paid_fraction(timeline, end_days)
    termination_fee = c.termination_fee_months * fee
    payments_to_end = paid @ invoice
    total = float(invoice.sum())

    # The month the deal ends in: the last one with anything paid.
    end_month = np.maximum((paid > 0).sum(axis=1) - 1, 0)
    buyer_npv = paid @ (revenue_pv - invoice_pv_buyer) - termination_fee * start_df_buyer
    provider_npv = paid @ provider_operating_pv + termination_fee * start_df_provider
    if provider_bought:
        # Capex of tranches bought by the month the deal ends; hardware kept at book value.
        bought_by = np.cumsum(provider_capex_pv)[end_month]
        provider_npv = provider_npv - bought_by + provider_book_value[end_month] * end_df_provider[end_month]

    hazard_buyer = c.buyer_termination_prob_pct / 100.0 if party_may_end(scenario, PARTY_BUYER) else 0.0
    hazard_provider = (c.provider_termination_prob_pct / 100.0
                       if party_may_end(scenario, PARTY_PROVIDER) else 0.0)
    hazard = min(1.0, hazard_buyer + hazard_provider)
    survival = (1.0 - hazard) ** np.arange(n + 1)
    expected = float(np.sum(survival[:-1] * (hazard * payments_to_end
                                             + hazard_buyer * termination_fee))
                     + survival[-1] * total)
    return TerminationCurves(
        paid_fraction=paid,
        termination_cost=payments_to_end + termination_fee,
        termination_saving=total - payments_to_end - termination_fee,
        buyer_npv_if_ended=buyer_npv,
        provider_npv_if_ended=provider_npv,
        end_date=timeline.bounds[0] + end_days.astype("timedelta64[D]"),
        expected_contract_value=expected,
    )
