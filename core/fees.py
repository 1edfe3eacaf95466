"""What the buyer is billed each month: the fee by pricing mode, escalator and
fee steps, SLA service credits, and the deposit's cash flows.

- fixed monthly fee: the fee, optionally scaled by the share of the fleet's
  IT power online (fee steps that follow tranches coming online);
- per GPU-hour: the price x delivered GPU-hours;
- per MW-month: the price x contracted MW (optionally scaled like the fixed fee);
- the escalator steps every price up on each anniversary; the first
  `intro_months` are discounted;
- service credit = fee x min(cap, credit per point x points of availability
  below the SLA); the invoice is the fee less the credit.  Credits apply to
  the fixed fee, the per-MW-month price and every planned month (a fixed
  amount, whatever the pricing mode); not to a computed per-GPU-hour fee,
  which already bills only the delivered hours, so a credit would penalise
  the same shortfall twice;
- a deposit of N months of the fee (the first invoice after any discounted
  months) is paid on the start date and is either applied to the last
  invoices (any excess returned when the term ends) or returned on the day
  the term ends.

An invoice plan (`ContractTerms.invoice_plan`, e.g. imported from the
provider's schedule) gives, for the months it names, the amount billed that
month in nominal dollars.  It replaces the fee in force for those months,
whatever the pricing mode, so no escalator, introductory discount or fee
step applies to a planned month.  Everything downstream of the fee treats a
planned month like any other:
- SLA service credits are still deducted (they are earned by the month's
  availability, which no plan can know): invoice = planned amount - credit;
  with availability at or above the SLA the invoice is the planned amount.
  This holds under per-GPU-hour pricing too: a planned month is a fixed
  amount, not delivered hours x price;
- the deposit is months of the invoice after any discounted months (a
  planned amount if that month is planned), and is applied to the last
  invoices, planned or not;
- termination prorates a planned month by days like any other, and the
  termination fee is months of the fee in force in the notice month (the
  planned amount if that month is planned);
- planned months after the term have no effect.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.finance import discount_factors
from core.parameters import (DEPOSIT_APPLIED, PRICING_FIXED, PRICING_GPU_HOUR, PRICING_MW_MONTH,
                             Scenario, planned_months)
from core.timeline import CapacityOnline, Timeline


def price_factor(scenario: Scenario) -> np.ndarray:
    """Escalator and introductory discount, month by month."""
    c = scenario.contract
    months = np.arange(c.term_months)
    factor = (1.0 + c.escalator_pct / 100.0) ** (months // 12)
    return np.where(months < c.intro_months, factor * (1.0 - c.intro_discount_pct / 100.0), factor)


def fee_in_force(scenario: Scenario, gpu_hours: np.ndarray, capacity_share: np.ndarray) -> np.ndarray:
    """The fee by pricing mode, with the invoice plan's amounts in its months."""
    fee = _computed_fee(scenario, gpu_hours, capacity_share)
    if not scenario.contract.invoice_plan:
        return fee
    planned, amount = invoice_plan(scenario, np.shape(fee)[-1])
    return np.where(planned, amount, fee)


def invoice_plan(scenario: Scenario, months: int) -> tuple[np.ndarray, np.ndarray]:
    """(planned, amount) over `months` months: which are planned, and the
    planned amount billed in each (0 where not planned)."""
    return planned_months(scenario.contract.invoice_plan, months)


def _computed_fee(scenario: Scenario, gpu_hours: np.ndarray, capacity_share: np.ndarray) -> np.ndarray:
    c = scenario.contract
    factor = price_factor(scenario)
    steps = capacity_share if c.fee_follows_capacity == "yes" else 1.0
    if c.pricing_mode == PRICING_GPU_HOUR:
        return c.price_per_gpu_hour * gpu_hours * factor
    if c.pricing_mode == PRICING_MW_MONTH:
        return c.price_per_mw_month * scenario.hardware.contracted_mw * factor * steps
    assert c.pricing_mode == PRICING_FIXED
    return c.monthly_fee * factor * steps


def annual_run_rate(fee: np.ndarray) -> float:
    """One definition for every pricing mode: the fees in force (before
    credits) over the term's first 12 months, annualised when the term is
    shorter: sum(fee[:12]) x 12 / min(12, term)."""
    first_year = fee[:12]
    return float(first_year.sum() * 12.0 / len(first_year)) if len(first_year) else 0.0


def fee_schedule(scenario: Scenario) -> np.ndarray:
    """The fixed monthly fee in force each month (escalator and fee step)."""
    return scenario.contract.monthly_fee * price_factor(scenario)


def credit_pct(scenario: Scenario) -> float:
    """The service credit as a % of the fee: min(cap, credit per point x
    points of availability below the SLA)."""
    c = scenario.contract
    shortfall_points = max(0.0, c.sla_availability_pct - scenario.hardware.availability_pct)
    return min(c.service_credit_cap_pct, c.service_credit_pct_per_point * shortfall_points)


def credited_months(scenario: Scenario, months: int) -> np.ndarray:
    """Which months a service credit applies to: all of them, except computed
    per-GPU-hour fees (undelivered hours are already unbilled); a planned month
    is a fixed amount, so it is credited whatever the pricing mode."""
    if scenario.contract.pricing_mode != PRICING_GPU_HOUR:
        return np.ones(months, dtype=bool)
    planned, _amount = invoice_plan(scenario, months)
    return np.asarray(planned, dtype=bool)


def service_credits(scenario: Scenario, fee: np.ndarray) -> np.ndarray:
    credited = credited_months(scenario, np.shape(fee)[-1])
    return np.where(credited, fee * credit_pct(scenario) / 100.0, 0.0)


@dataclass(frozen=True)
class DepositFlows:
    """The deposit's cash, each part on its own date."""
    paid: float                # by the buyer, on the start date
    applied: np.ndarray        # taken off each month's invoice, on its payment date
    returned: float            # to the buyer, on the day the term ends

    def net_by_month(self) -> np.ndarray:
        """Paid (+) less applied and returned (-), in the month each falls in."""
        flows = -self.applied.copy()
        if flows.size:
            flows[0] += self.paid
            flows[-1] -= self.returned
        return flows


def deposit_flows(scenario: Scenario, invoice: np.ndarray) -> DepositFlows:
    c = scenario.contract
    none = DepositFlows(0.0, np.zeros_like(invoice), 0.0)
    if c.prepayment_months <= 0 or invoice.size == 0:
        return none
    # Months of the fee in force after any discounted first months.
    deposit = c.prepayment_months * float(invoice[min(c.intro_months, invoice.size - 1)])
    if c.prepayment_treatment != DEPOSIT_APPLIED:
        return DepositFlows(deposit, np.zeros_like(invoice), deposit)
    # Applied to the last invoices, latest first, until used up; any excess comes back.
    later = np.concatenate((np.cumsum(invoice[::-1])[::-1][1:], [0.0]))
    applied = np.clip(deposit - later, 0.0, invoice)
    return DepositFlows(deposit, applied, max(0.0, deposit - float(applied.sum())))


@dataclass(frozen=True)
class Billing:
    """What the buyer is billed and pays, and its present value at the buyer's rate."""
    fee: np.ndarray               # the fee in force before credits
    credit: np.ndarray            # SLA service credit
    invoice: np.ndarray           # fee - credit
    deposit: DepositFlows
    deposit_by_month: np.ndarray  # paid (+), applied and returned (-), by month
    payment: np.ndarray           # invoice + deposit by month: the buyer's cash out
    payment_date: np.ndarray      # first day of the period (advance) or last (arrears)
    payment_df: np.ndarray        # buyer's discount factor on the payment date
    payment_pv: np.ndarray        # invoices on their dates; the deposit on its own dates

    @property
    def cumulative_payment(self) -> np.ndarray:
        return np.cumsum(self.payment)


def deposit_pv_by_month(deposit: DepositFlows, payment_df: np.ndarray,
                        term_end_df: float) -> np.ndarray:
    """The deposit's present value, in the month each part falls in: paid on
    the start date (factor 1), applied on payment dates, returned at the end."""
    pv = -deposit.applied * payment_df
    if pv.size:
        pv[0] += deposit.paid
        pv[-1] -= deposit.returned * term_end_df
    return pv


def billing(scenario: Scenario, timeline: Timeline, online: CapacityOnline) -> Billing:
    """fee (pricing mode, escalator, fee steps) - SLA credit = invoice;
    payment = invoice + deposit flows; present values on actual dates (XNPV)."""
    c = scenario.contract
    fee = fee_in_force(scenario, online.gpu_hours, online.capacity_share)
    credit = service_credits(scenario, fee)
    invoice = fee - credit
    deposit = deposit_flows(scenario, invoice)
    by_month = deposit.net_by_month()
    payment_date = timeline.month_start if c.payment_timing == "advance" else timeline.last_day
    rate = c.discount_rate_pct / 100.0
    payment_df = timeline.discount_factors(payment_date, rate)
    term_end_df = float(discount_factors(timeline.bounds[-1:], c.start_date, rate)[0])
    return Billing(fee=fee, credit=credit, invoice=invoice, deposit=deposit,
                   deposit_by_month=by_month, payment=invoice + by_month,
                   payment_date=payment_date, payment_df=payment_df,
                   payment_pv=invoice * payment_df + deposit_pv_by_month(deposit, payment_df,
                                                                         term_end_df))
