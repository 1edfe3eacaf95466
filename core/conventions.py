"""The modelling conventions no input settles, declared once.

Help > Conventions is generated from this list (ui/app/help.py), and the
README's conventions quote it; each entry names the module that implements
it and a test that checks it by hand.  DOMAIN.md's conventions (calendar
months, XNPV on actual dates, proration by days) are the ground; these are
the choices made on top of them.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Convention:
    key: str
    title: str
    text: str


CONVENTIONS: tuple[Convention, ...] = (
    Convention(
        "months", "Months and hours",
        "Months run from the start date; hours are actual days x 24."),
    Convention(
        "fee_steps", "Fee steps and the run rate",
        "The fee steps up by the escalator on each anniversary; discounted first months are a "
        "fee step. Annual run rate: the fees of the first 12 months, before SLA credits "
        "(annualised if the term is shorter)."),
    Convention(
        "walkaway", "Walk-away exposure and the cost of ending",
        "Walk-away exposure (the buyer's): notice on a month's first day ends payments after "
        "the notice days, never after the term; each month is paid in the share of its own "
        "days before that end, on the invoice (after SLA credits), plus the termination fee "
        "unless the notice only reaches the term's end (expiry). Without a buyer's right to "
        "terminate, the whole remaining contract. Cost of ending = invoices before the notice "
        "+ that exposure, except where only the provider may terminate (see below)."),
    Convention(
        "delivered_hours", "Delivered hours and H100-equivalents",
        "Delivered GPU-hours = GPUs online x hours x availability. H100-equivalents weigh each "
        "GPU by its inference throughput against the H100 SXM's 2,675 tokens/s (mostly "
        "inference) or by its dense BF16 TFLOPS against 989 (mostly training); every $/H100e "
        "figure says which."),
    Convention(
        "token_price", "Token price",
        "The token price steps down by the yearly decline on each anniversary."),
    Convention(
        "unit_costs", "Unit costs",
        "Cost per million tokens: payments / tokens the capacity can serve at the utilization. "
        "Break-even token price: payments / tokens served (the lower of demand and capacity)."),
    Convention(
        "npv", "Discounting",
        "NPV: each payment discounted on its actual date, (1 + r)^(-days/365), as XNPV; in "
        "advance = first day of the period, in arrears = last day. The provider's flows of a "
        "month (with capex and, at the end, the hardware's book value when bought for the "
        "deal) fall on its payment date: XIRR of the exported column "
        "provider_cash_flow_with_terminal is the provider's IRR."),
    Convention(
        "economic_profit", "Provider's economic profit",
        "EBITDA - opportunity cost: the market rent (cloud rate) the capacity would earn less "
        "its power and opex when the capex is sunk; the capex less its terminal value when "
        "bought for the deal."),
    Convention(
        "lease_term", "Lease term (indicative IFRS 16)",
        "The notice period when the buyer may terminate (B34 when both may) and ending costs "
        "no more than an insignificant penalty; the full term when it may not, is reasonably "
        "certain not to, or would pay a significant penalty; an insignificant termination "
        "penalty is a lease payment; 12 months or less may take the short-term exemption."),
    Convention(
        "power", "Power",
        "The fleet's IT power x PUE is compared with the contracted MW at the meter."),
    Convention(
        "sunk_hardware_age", "Age of sunk hardware",
        "Hardware online before the start date, when its capex is sunk, has already "
        "depreciated: its age at the start is the days from its online date to the start "
        "divided by 365/12 (average months), not whole calendar months, so a day of age "
        "counts the same in every month (92 days is 3.025 months, not 3)."),
    Convention(
        "lease_penalty_date", "Date of the lease's termination penalty",
        "When the lease term is the notice period and notice on the start date would cost a "
        "termination fee, the fee is a lease payment (IFRS 16.27(e)) counted in month 1's "
        "lease payment and dated like it, on month 1's payment date (the start date in "
        "advance, the month's last day in arrears), so XNPV of the exported lease_payment "
        "column on payment_date is the lease liability."),
    Convention(
        "significant_penalty", "A significant termination penalty (IFRS 16 B34)",
        "A termination fee (for notice on the start date) above 'Significant penalty above' "
        "(default 5%) of the contract's invoices from the start to the term's end is more "
        "than an insignificant penalty: the lessee is bound, and the lease term is the full "
        "term; the lease-term sentence says so."),
    Convention(
        "buyer_revenue_not_modelled", "Buyer's revenue not modelled",
        "When the buyer's revenue is not modelled, its token revenue, gross margin and NPV "
        "are n/a (blank in the CSV) in the key figures and in the schedule alike; its cash "
        "flow is then minus its payments."),
    Convention(
        "termination_chances", "Chances of termination",
        "The buyer's and the provider's monthly chances of termination are chances of two "
        "events of the same month that cannot both happen: a pair that adds up to more than "
        "100% is refused, with a message naming both fields."),
    Convention(
        "termination_rows", "Whose notice the termination view shows",
        "Each month of the Termination tab, its plots and exports is the deal ended by notice "
        "given on that month's first day: by the buyer where it may terminate (paying the "
        "termination fee), by the provider where only it may (no fee), and where neither may "
        "the deal runs to term in every row. The walk-away exposure is always the buyer's own."),
    Convention(
        "termination_fee_basis", "The termination fee",
        "Months of the fee in force in the notice month, before SLA credits (the planned "
        "amount in a planned month), paid by the buyer on the notice date when its notice ends "
        "the deal before the term's end; none at expiry."),
    Convention(
        "sla_credit_on_plans", "SLA credits on planned months",
        "A service credit applies to the fixed fee, the per-MW-month price and every month an "
        "invoice plan covers (a fixed amount, whatever the pricing mode); not to a computed "
        "per-GPU-hour fee, which bills only delivered hours."),
    Convention(
        "provider_irr_early_end", "The provider's IRR on an early end",
        "On a Monte Carlo path ended early by notice before the provider's cash, without the "
        "hardware's book value, has paid back the capex, the provider IRR is n/a: the rate "
        "would rest on the book value handed back after a few months' revenue."),
)


def convention(key: str) -> Convention:
    found = next((c for c in CONVENTIONS if c.key == key), None)
    if found is None:
        raise KeyError(f"no convention is declared as {key!r} in core/conventions.py")
    return found


def conventions_markdown() -> str:
    """The list as Markdown bullets (README, exports)."""
    return "\n".join(f"- **{c.title}.** {c.text}" for c in CONVENTIONS)
