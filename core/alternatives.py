"""The buyer's alternatives on the same delivered compute, and the lease view.

Alternatives: renting on demand pays the cloud rate for every delivered
H100-equivalent hour; building pays each tranche's capex (GPUs plus facility
per MW) when it comes online, then power and opex; the lease pays the deal's
cash payments.  Cumulative costs are compared month by month, and the month
where two lines cross is reported (None if they never do).

Lease view (indicative, not accounting advice): the lease term is the
non-cancellable notice period (the payments due if notice were given on the
start date) or the full term when continuing is judged reasonably certain.
The liability is the present value of the term's payments at the incremental
borrowing rate, discounted on actual dates; each month's opening balance is
the present value, on the period's first day, of the payments still to come;
interest = closing - opening + payment.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.finance import discount_factors
from core.parameters import LEASE_FULL, Scenario
from core.timeline import Timeline


@dataclass(frozen=True)
class LeaseView:
    payment: np.ndarray
    in_term: np.ndarray        # bool: the month is (partly) within the lease term
    opening: np.ndarray
    interest: np.ndarray
    closing: np.ndarray
    term_months: int

    @property
    def liability(self) -> float:
        return float(self.opening[0]) if self.opening.size else 0.0


def lease_view(scenario: Scenario, timeline: Timeline, invoice: np.ndarray,
               payment_date: np.ndarray, notice_paid_fraction: np.ndarray) -> LeaseView:
    c = scenario.contract
    in_term = np.ones_like(invoice) if c.lease_term_basis == LEASE_FULL else notice_paid_fraction
    payment = invoice * in_term
    rate = c.incremental_borrowing_rate_pct / 100.0
    payment_df = discount_factors(payment_date, c.start_date, rate)
    start_df = discount_factors(timeline.month_start, c.start_date, rate)
    remaining = np.cumsum((payment * payment_df)[::-1])[::-1]
    opening = remaining / start_df
    closing = np.append(opening[1:], 0.0)
    # No balance after the lease term: rows past it are zero.
    # The term counts months in it, paid or not (free first months included).
    months_in_term = in_term > 0
    return LeaseView(payment=payment, in_term=months_in_term, opening=opening,
                     interest=closing - opening + payment, closing=closing,
                     term_months=int(np.count_nonzero(months_in_term)))
