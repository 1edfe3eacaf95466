"""The buyer's alternatives on the same delivered compute, and the lease view.

Alternatives: renting pays each model's forward market rent (core/market.py)
for every delivered GPU-hour of that model; building pays each tranche's capex (GPUs plus facility
per MW) when it comes online, then power and opex; the lease pays the deal's
cash payments.  Cumulative costs are compared month by month, and the month
where two lines cross is reported (None if they never do).

Lease view (indicative IFRS 16 / ASC 842, not accounting advice).  The lease
term follows from the contract's enforceable rights (DOMAIN.md):
- the buyer (lessee) has no right to terminate ("provider only" or "neither"):
  it is bound for the whole term;
- the buyer may terminate ("buyer only", or "either party": IFRS 16 B34, the
  lease is not enforceable beyond the notice when both may end it): the
  non-cancellable notice period, plus the rest of the term when the buyer is
  judged reasonably certain not to terminate (the user's judgement,
  `lease_term_basis`);
- unless ending on the start date costs more than an insignificant penalty
  (IFRS 16 B34): a termination fee above `lease_significant_penalty_pct` of
  the contract's invoices from the start to the term's end is significant,
  and the lease term is lengthened to the full term;
- when the term is the notice period and notice on the start date would end
  the deal early, the termination fee is a lease payment (IFRS 16.27(e)),
  counted in month 1's lease payment and dated on its payment date (the
  start date in advance, the month's last day in arrears);
- a lease term of 12 months or less may take the short-term exemption
  (`lease_short_term_exemption`): payments are expensed, no liability.
The liability is the present value of the term's payments at the incremental
borrowing rate, discounted on actual dates; each month's opening balance is
the present value, on the period's first day, of the payments still to come;
interest = closing - opening + payment.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import economics
from core.economics import ProviderCosts
from core.fees import Billing
from core.finance import first_crossing
from core.parameters import (LEASE_FULL, PARTY_BUYER, PARTY_EITHER, PARTY_NEITHER,
                             PARTY_PROVIDER, SHORT_TERM_TAKEN, Scenario)
from core.timeline import Capacity, CapacityOnline, Timeline


@dataclass(frozen=True)
class LeaseView:
    payment: np.ndarray
    in_term: np.ndarray        # bool: the month is (partly) within the lease term
    opening: np.ndarray
    interest: np.ndarray
    closing: np.ndarray
    term_months: int
    reason: str                # one sentence: why the term is what it is

    @property
    def liability(self) -> float:
        return float(self.opening[0]) if self.opening.size else 0.0


SHORT_TERM_MONTHS = 12


def penalty_is_significant(scenario: Scenario, notice_penalty: float,
                           invoice: np.ndarray) -> bool:
    """IFRS 16 B34: a termination fee (for notice on the start date) above the
    stated share of the contract's payments from the start to the term's end is
    more than an insignificant penalty."""
    threshold = scenario.contract.lease_significant_penalty_pct / 100.0
    return notice_penalty > threshold * float(invoice.sum())


def lease_term_reason(scenario: Scenario, term_months: int, penalty: float,
                      exempt: bool, significant: bool = False) -> str:
    """The lease term's reasoning in one sentence (IFRS 16 B34, 27(e), short-term)."""
    c = scenario.contract
    if c.terminating_party in (PARTY_PROVIDER, PARTY_NEITHER):
        who = "only the provider" if c.terminating_party == PARTY_PROVIDER else "neither party"
        why = (f"Full term of {term_months} months: {who} may terminate, so the lessee is "
               f"bound for the whole term")
    elif c.lease_term_basis == LEASE_FULL:
        why = (f"Full term of {term_months} months: the lessee may terminate but is judged "
               f"reasonably certain not to")
    elif significant:
        why = (f"Full term of {term_months} months: the lessee may end it on notice, but the "
               f"termination fee is more than {c.lease_significant_penalty_pct:g}% of the "
               f"payments to the term's end, a significant penalty (IFRS 16 B34), so the lease "
               f"term is lengthened to the full term")
    else:
        rights = ("both parties may end the lease on notice (IFRS 16 B34)"
                  if c.terminating_party == PARTY_EITHER
                  else "the lessee may end it on notice and is not judged reasonably certain "
                       "to continue")
        why = (f"The {c.notice_days}-day notice period ({term_months} months): {rights}")
        if penalty > 0:
            why += ", with the termination fee counted as a lease payment (IFRS 16.27(e))"
    if term_months <= SHORT_TERM_MONTHS:
        why += ("; 12 months or less, so the short-term exemption "
                + ("is taken: no liability is recognised" if exempt else "may be taken"))
    return why + "."


def lease_view(scenario: Scenario, timeline: Timeline, invoice: np.ndarray,
               payment_date: np.ndarray, notice_paid_fraction: np.ndarray,
               notice_penalty: float = 0.0) -> LeaseView:
    """`notice_paid_fraction`: the share of each month paid when notice is given
    on the start date; `notice_penalty`: the termination fee that notice would
    cost (0 when it only reaches the term's end)."""
    c = scenario.contract
    buyer_may_end = c.terminating_party in (PARTY_EITHER, PARTY_BUYER)
    notice_term = buyer_may_end and c.lease_term_basis != LEASE_FULL
    # A significant penalty binds the lessee: the term is lengthened to the full term.
    significant = notice_term and penalty_is_significant(scenario, notice_penalty, invoice)
    notice_term = notice_term and not significant
    in_term = notice_paid_fraction if notice_term else np.ones_like(invoice)
    penalty = notice_penalty if notice_term and invoice.size else 0.0
    payment = invoice * in_term
    if penalty:
        payment = payment.copy()
        payment[0] += penalty
    rate = c.incremental_borrowing_rate_pct / 100.0
    payment_df = timeline.discount_factors(payment_date, rate)
    start_df = timeline.discount_factors(timeline.month_start, rate)
    # The penalty is a lease payment of month 1, dated like it on month 1's payment
    # date (the start date in advance, its last day in arrears), so XNPV of the
    # lease_payment column on the payment dates is the liability.
    payment_pv = invoice * in_term * payment_df
    if penalty:
        payment_pv[0] += penalty * payment_df[0]
    # The term counts months in it, paid or not (free first months included).
    months_in_term = in_term > 0
    term_months = int(np.count_nonzero(months_in_term))
    exempt = (term_months <= SHORT_TERM_MONTHS
              and c.lease_short_term_exemption == SHORT_TERM_TAKEN)
    reason = lease_term_reason(scenario, term_months, penalty, exempt, significant)
    if exempt:
        zeros = np.zeros_like(invoice)
        return LeaseView(payment=payment, in_term=months_in_term, opening=zeros,
                         interest=zeros.copy(), closing=zeros.copy(), term_months=term_months,
                         reason=reason)
    remaining = np.cumsum(payment_pv[::-1])[::-1]
    opening = remaining / start_df
    closing = np.append(opening[1:], 0.0)
    # No balance after the lease term: rows past it are zero.
    return LeaseView(payment=payment, in_term=months_in_term, opening=opening,
                     interest=closing - opening + payment, closing=closing,
                     term_months=term_months, reason=reason)


@dataclass(frozen=True)
class AlternativesView:
    """Renting on demand and building, against the lease's payments."""
    cloud_cost: np.ndarray       # delivered GPU-hours x each model's market rent
    build_cost: np.ndarray       # capex (when a tranche comes online) + power + opex
    cloud_cost_pv: float         # at the buyer's rate, on the payment dates
    build_cost_pv: float
    breakeven_month_vs_cloud: int | None   # cumulative lease and cloud cross
    build_crossover_month: int | None      # cumulative lease and build cross


def alternatives_view(scenario: Scenario, timeline: Timeline, capacity: Capacity,
                      online: CapacityOnline, bill: Billing,
                      provider_costs: ProviderCosts | None,
                      market_value: np.ndarray) -> AlternativesView:
    """`provider_costs`: the provider's own costs when it bought the capex (the
    same as building), else None and they are computed as if bought;
    `market_value`: the delivered GPU-hours of each model at its forward
    market rent (core/market.py), the cost of renting them instead."""
    cloud = market_value
    build = provider_costs or economics.provider_costs(scenario, timeline, capacity,
                                                       online.facility_mw, bought=True)
    build_cost = build.capex_spent + build.power_cost + build.opex
    cumulative = bill.cumulative_payment
    return AlternativesView(
        cloud_cost=cloud, build_cost=build_cost,
        cloud_cost_pv=float(np.sum(cloud * bill.payment_df)),
        build_cost_pv=float(np.sum(build_cost * bill.payment_df)),
        breakeven_month_vs_cloud=first_crossing(cumulative, np.cumsum(cloud)),
        build_crossover_month=first_crossing(cumulative, np.cumsum(build_cost)))
