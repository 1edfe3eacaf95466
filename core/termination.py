"""Ending the deal early: what walking away costs the buyer at every notice
date, both sides' NPV if the deal ends there, and the expected contract value
under monthly chances of termination.

One proration, used by every figure here (walk-away exposure, the cost of
ending, the lease view's notice period, the expected value):

- notice given on the first day of month k ends payments `notice_days` later,
  never after the term; each month is paid in the share of its own days that
  fall before that end (`timeline.paid_fraction`), on the invoice (the fee
  after SLA credits: what the buyer actually pays);
- a notice that only reaches the term's natural end is expiry, not an early
  ending: no termination fee;
- otherwise the buyer who ends the deal pays the termination fee, months of
  the fee in force in month k;
- the buyer can walk away only if the contract gives it the right ("either
  party" or "buyer only"); without it the buyer is bound to every remaining
  invoice, and that is its walk-away exposure and its cost of ending.

Every column of the month-by-month view (the day payments stop, the cost and
saving of ending, both sides' NPV if ended) follows who may terminate; row k
is the deal ended by notice given on the first day of month k by:
- the buyer, when it may ("either party" or "buyer only"): it pays the
  termination fee, and the provider receives it;
- the provider, when only it may: payments stop when its notice ends, and
  no termination fee is paid (the fee is the buyer's price of leaving, as in
  the expected value and the Monte Carlo);
- nobody, when neither may: the deal runs to term in every row (payments
  stop at the term's end, the cost is the whole contract, the saving 0, the
  NPVs those of the full term).
The walk-away exposure is always the buyer's own (what it owes if it wants
out), so where the buyer may end the deal, or neither party may, cost of
ending = invoices before k + walk-away exposure, to the cent; where only the
provider may, the cost is what the buyer pays if the provider ends it.

The provider, if it bought the capex for the deal,
keeps the hardware at its book value at the end of the month the deal ends
in, dated (like all its flows of that month) on that month's payment date.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.parameters import PARTY_BUYER, PARTY_EITHER, PARTY_PROVIDER, Scenario
from core.timeline import Timeline, paid_fraction


@dataclass(frozen=True)
class TerminationCurves:
    paid_fraction: np.ndarray        # notice month x month, share of each month paid
    ends_early: np.ndarray           # bool per notice month: the notice ends before the term
    walkaway_exposure: np.ndarray    # buyer's payments from the notice date on
    termination_cost: np.ndarray     # buyer's total payments if it walks away then
    termination_saving: np.ndarray   # against running to term
    buyer_npv_if_ended: np.ndarray
    provider_npv_if_ended: np.ndarray
    end_date: np.ndarray             # datetime64[D], the day payments stop
    expected_contract_value: float


def party_may_end(scenario: Scenario, party: str) -> bool:
    allowed = scenario.contract.terminating_party
    return allowed == PARTY_EITHER or allowed == party


def notice_end_days(timeline: Timeline, notice_days: int) -> np.ndarray:
    """Days from the start on which notice given on each month's first day
    ends the payments: `notice_days` later, never after the term."""
    return np.minimum(timeline.day_start[:-1] + notice_days, timeline.day_start[-1])


def walkaway_exposure(paid: np.ndarray, invoice: np.ndarray, termination_fee: np.ndarray,
                      ends_early: np.ndarray, buyer_may_end: bool,
                      from_notice: np.ndarray | None = None,
                      paid_from_notice: np.ndarray | None = None) -> np.ndarray:
    """What the buyer pays from notice on the first day of month k (rows k):
    the invoices still due, each month in its paid share, plus the termination
    fee if the notice ends the deal before its term; the whole remaining
    contract when the buyer has no right to end it.  `from_notice` (1 where
    month >= notice month) and `paid_from_notice` (paid x from_notice): a
    NoticeSchedule's, when the caller has them."""
    n = invoice.size
    if from_notice is None:
        from_notice = np.triu(np.ones((n, n)))         # month i >= notice month k
    if not buyer_may_end:
        return from_notice @ invoice
    if paid_from_notice is None:
        paid_from_notice = paid * from_notice
    return paid_from_notice @ invoice + np.where(ends_early, termination_fee, 0.0)


def exposure_basis(scenario: Scenario) -> str:
    """One sentence: whose exposure the walk-away figure is and what it counts."""
    c = scenario.contract
    if party_may_end(scenario, PARTY_BUYER):
        fee = (f" plus a termination fee of {c.termination_fee_months:g} months of the fee"
               if c.termination_fee_months else "")
        return (f"The buyer's: {c.notice_days} days' notice of invoices{fee} "
                f"(the buyer may terminate; no fee when the notice only reaches the term's end).")
    who = "only the provider" if c.terminating_party == PARTY_PROVIDER else "neither party"
    return (f"The buyer's: every remaining invoice, since {who} may terminate "
            f"and the buyer is bound to the whole term.")


def rows_basis(scenario: Scenario) -> str:
    """One sentence: whose termination each month of the termination view shows."""
    c = scenario.contract
    if party_may_end(scenario, PARTY_BUYER):
        fee = (f", paying {c.termination_fee_months:g} months of the fee"
               if c.termination_fee_months else "")
        return f"Each month shows the buyer giving notice then{fee}."
    if party_may_end(scenario, PARTY_PROVIDER):
        return ("Only the provider may terminate: each month shows the provider giving notice "
                "then, with no termination fee; the buyer stays bound to the whole term.")
    return ("Neither party may terminate: every month shows the deal running to term "
            "(payments stop at the term's end).")


def typed_chances(scenario: Scenario) -> tuple[float, float]:
    """The monthly chances (%) the expected contract value uses: each side's
    typed chance, 0 for a side that may not terminate."""
    c = scenario.contract
    return (c.buyer_termination_prob_pct if party_may_end(scenario, PARTY_BUYER) else 0.0,
            c.provider_termination_prob_pct if party_may_end(scenario, PARTY_PROVIDER) else 0.0)


def expected_value_basis(scenario: Scenario) -> str:
    """One sentence: which method the expected contract value uses (the typed
    monthly chances, and what they are), and where the other one is."""
    buyer, provider = typed_chances(scenario)
    other = ("The simulated market's figure, both rights held and the first to give notice "
             "ending the deal, is the expected contract value (simulated rights).")
    if buyer == 0 and provider == 0:
        return ("The expected contract value (typed chances) uses the monthly chances of "
                "termination typed as inputs; none is typed, so it is the total. " + other)
    return (f"The expected contract value (typed chances) uses the monthly chances of "
            f"termination typed as inputs: the buyer's {buyer:g}% and the provider's "
            f"{provider:g}% a month. " + other)


@dataclass(frozen=True)
class NoticeSchedule:
    """When notice on each month's first day ends the payments, and the share
    of each month then paid: what the curves read of the timeline, the notice
    period and who may terminate (nothing of the fees)."""
    end_days: np.ndarray        # per notice month: days from the start to the end of payments
    ends_early: np.ndarray      # bool per notice month: the notice ends before the term
    paid: np.ndarray            # notice month x month, share of each month paid
    from_notice: np.ndarray     # notice month x month: 1 where month >= notice month
    paid_from_notice: np.ndarray  # paid x from_notice
    end_month: np.ndarray       # per notice month: the last month with anything paid


def notice_schedule(scenario: Scenario, timeline: Timeline) -> NoticeSchedule:
    """The notice schedule of the scenario's notice period and rights on `timeline`
    (reads the contract's notice_days and terminating_party only)."""
    n = timeline.months
    anyone_may_end = party_may_end(scenario, PARTY_BUYER) or party_may_end(scenario, PARTY_PROVIDER)
    end_days = notice_end_days(timeline, scenario.contract.notice_days)
    if not anyone_may_end:     # no notice can end it: every row runs to term
        end_days = np.full_like(end_days, timeline.day_start[-1])
    paid = paid_fraction(timeline, end_days)
    from_notice = np.triu(np.ones((n, n)))             # month i >= notice month k
    return NoticeSchedule(end_days=end_days, ends_early=end_days < timeline.day_start[-1],
                          paid=paid, from_notice=from_notice,
                          paid_from_notice=paid * from_notice,
                          end_month=np.maximum((paid > 0).sum(axis=1) - 1, 0))


def termination_curves(scenario: Scenario, timeline: Timeline, *, fee: np.ndarray,
                       invoice: np.ndarray, revenue_pv: np.ndarray, invoice_pv_buyer: np.ndarray,
                       start_df_buyer: np.ndarray, provider_operating_pv: np.ndarray,
                       provider_capex_pv: np.ndarray, provider_book_value: np.ndarray,
                       provider_bought: bool, end_df_provider: np.ndarray,
                       start_df_provider: np.ndarray,
                       notice: NoticeSchedule | None = None) -> TerminationCurves:
    """`notice`: notice_schedule(scenario, timeline), when the caller has it."""
    c = scenario.contract
    n = timeline.months
    buyer_may_end = party_may_end(scenario, PARTY_BUYER)
    if notice is None:
        notice = notice_schedule(scenario, timeline)
    end_days, ends_early, paid = notice.end_days, notice.ends_early, notice.paid
    termination_fee = c.termination_fee_months * fee
    # Only a buyer who ends the deal before the term's end pays the fee.
    fee_if_early = np.where(ends_early & buyer_may_end, termination_fee, 0.0)
    payments_to_end = paid @ invoice
    total = float(invoice.sum())

    exposure = walkaway_exposure(paid, invoice, termination_fee, ends_early, buyer_may_end,
                                 notice.from_notice, notice.paid_from_notice)
    cost = payments_to_end + fee_if_early

    # The month the deal ends in: the last one with anything paid.
    end_month = notice.end_month
    buyer_npv = paid @ (revenue_pv - invoice_pv_buyer) - fee_if_early * start_df_buyer
    provider_npv = paid @ provider_operating_pv + fee_if_early * start_df_provider
    if provider_bought:
        # Capex of tranches bought by the month the deal ends; hardware kept at book value.
        bought_by = np.cumsum(provider_capex_pv)[end_month]
        provider_npv = provider_npv - bought_by + provider_book_value[end_month] * end_df_provider[end_month]

    hazard_buyer, hazard_provider = (pct / 100.0 for pct in typed_chances(scenario))
    hazard = min(1.0, hazard_buyer + hazard_provider)
    survival = (1.0 - hazard) ** np.arange(n + 1)
    expected = float(np.sum(survival[:-1] * (hazard * payments_to_end
                                             + hazard_buyer * fee_if_early))
                     + survival[-1] * total)
    return TerminationCurves(
        paid_fraction=paid,
        ends_early=ends_early,
        walkaway_exposure=exposure,
        termination_cost=cost,
        termination_saving=total - cost,
        buyer_npv_if_ended=buyer_npv,
        provider_npv_if_ended=provider_npv,
        end_date=timeline.bounds[0] + end_days.astype("timedelta64[D]"),
        expected_contract_value=expected,
    )


def termination_view(scenario: Scenario, timeline: Timeline, bill, buyer, provider,
                     notice: NoticeSchedule | None = None) -> TerminationCurves:
    """The curves from the records of billing (core/fees.py), the buyer and the
    provider (core/economics.py); `notice` as termination_curves'."""
    c = scenario.contract
    return termination_curves(
        scenario, timeline, fee=bill.fee, invoice=bill.invoice,
        revenue_pv=buyer.revenue * buyer.revenue_df,
        invoice_pv_buyer=bill.invoice * bill.payment_df,
        start_df_buyer=timeline.discount_factors(timeline.month_start,
                                                 c.discount_rate_pct / 100.0),
        provider_operating_pv=provider.operating_pv, provider_capex_pv=provider.capex_pv,
        provider_book_value=provider.costs.book_value, provider_bought=provider.bought,
        end_df_provider=provider.payment_df, start_df_provider=provider.start_df,
        notice=notice)


def notice_penalty_at_start(scenario: Scenario, curves: TerminationCurves,
                            fee: np.ndarray) -> float:
    """The termination fee the buyer would pay for notice on the start date
    (0 without a buyer's right, or when that notice only reaches the term's end)."""
    if not fee.size or not party_may_end(scenario, PARTY_BUYER) or not curves.ends_early[0]:
        return 0.0
    return scenario.contract.termination_fee_months * float(fee[0])
