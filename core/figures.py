"""One declaration per output: the label, unit, number format, definition and
side of every key figure and every schedule column.

The twin of `quantity()` in core/parameters.py, for what the model computes
rather than what it is given.  The key-figure strip, the tabs, the comparison
table, the risk outputs, the exports, the CLI's text and the glossary
(docs/figures.md, `python -m core.figures --doc`) take labels, units and
formats from here and nowhere else, so one figure reads one way everywhere.

Definitions state the formula in words as core/engine.py computes it (see
its docstring and DOMAIN.md).  "Invoices" are the fees after SLA credits;
"payments" are invoices plus the deposit's cash.
"""
from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass
from typing import Any, Literal

from core.formatting import FORMATS, format_by, formatter_for

Side = Literal["buyer", "provider", "both"]


@dataclass(frozen=True)
class Output:
    key: str          # the KeyFigures field or MonthlySchedule column name
    label: str        # display label, sentence case
    unit: str         # "$", "$/GPU-hour", "MW", "GPUs", "months", ...
    fmt: str          # one of core.formatting.FORMATS
    definition: str   # one line: the formula in words
    side: Side

    def format(self, value: Any) -> str:
        return format_by(self.fmt, value, self.unit)

    def formatter(self):
        """`format` as a function of a float, set up once for many values."""
        return formatter_for(self.fmt, self.unit)


def _declare(*outputs: Output) -> dict[str, Output]:
    return {o.key: o for o in outputs}


# Every field of core.engine.KeyFigures, in display order.
KEY_FIGURES: dict[str, Output] = _declare(
    Output("total_contract_value", "Total contract value", "$", "money",
           "Sum of the invoices (fees after SLA credits) over the term.", "both"),
    Output("annual_run_rate", "Annual run rate", "$", "money",
           "The fees in force (before SLA credits, after any introductory discount, planned "
           "amounts in planned months) over the term's first 12 months, annualised when the "
           "term is shorter: sum of fee[1..min(12, term)] x 12 / min(12, term); the same for "
           "every pricing mode.", "both"),
    Output("average_monthly_fee", "Average monthly fee", "$", "money",
           "Total contract value / months of the term: the fixed monthly fee that would bill "
           "the same over the term (what a greyed monthly fee shows under usage pricing).",
           "both"),
    Output("term_months", "Term", "months", "count",
           "Months from the start date to the end of the term.", "both"),
    Output("walkaway_exposure", "Walk-away exposure", "$", "money",
           "The buyer's, if it gives notice on the start date: each month's invoice (after SLA "
           "credits) in the share of its own days before the notice ends (never after the term), "
           "plus the termination fee (months of the fee in force before SLA credits) unless the "
           "notice only reaches the term's end; the whole remaining contract when the buyer may "
           "not terminate.", "buyer"),
    Output("walkaway_exposure_basis", "Exposure basis", "", "text",
           "Whose exposure the walk-away figure is and what it counts (the contract's "
           "termination rights).", "buyer"),
    Output("price_per_gpu_hour", "Price per GPU-hour", "$/GPU-hour", "money_rate",
           "Total contract value / GPU-hours delivered over the term.", "both"),
    Output("price_per_h100e_hour", "Price per H100e-hour", "$/H100e-hour", "money_rate",
           "Total contract value / H100-equivalent hours delivered over the term.", "both"),
    Output("price_per_mw_month", "Price per MW-month", "$/MW-month", "money_rate",
           "Total contract value / (contracted MW x months of the term).", "both"),
    Output("cost_per_million_tokens", "Cost per million tokens", "$/M tokens", "money_rate",
           "Total contract value x 1,000,000 / the tokens the capacity can serve over the term "
           "(GPUs x tokens/s x availability x utilization x seconds).", "buyer"),
    Output("breakeven_token_price", "Break-even token price", "$/M tokens", "money_rate",
           "Total contract value x 1,000,000 / tokens served: what the buyer must charge per "
           "million tokens it sells to cover the invoices.", "buyer"),
    Output("npv_payments", "NPV of payments", "$", "money",
           "The buyer's payments (invoices and deposit cash) discounted on their actual dates "
           "at the buyer's discount rate, as XNPV does.", "buyer"),
    Output("fleet_it_mw", "Fleet IT power", "MW", "mw",
           "IT power of every tranche online within the term: GPUs x kW per GPU / 1,000.",
           "both"),
    Output("facility_mw", "Power at the meter", "MW", "mw",
           "Fleet IT power x PUE.", "both"),
    Output("contracted_mw", "Contracted power", "MW", "mw",
           "Power at the meter the contract provides for (an input).", "both"),
    Output("gpus", "GPUs", "GPUs", "count",
           "GPUs in every tranche that comes online within the term.", "both"),
    Output("h100_equivalents", "H100-equivalents", "H100e", "number",
           "Those GPUs, each weighted by its model's H100-equivalence.", "both"),
    Output("h100e_weighting", "H100-equivalents weighted", "", "text",
           "How every H100e and $/H100e figure weighs a GPU: inference throughput against the "
           "H100 SXM's 2,675 tokens/s, or dense BF16 TFLOPS against its 989.", "both"),
    Output("gpu_hours_delivered", "GPU-hours delivered", "GPU-hours", "hours",
           "Sum over the months of GPUs online x hours in the month x availability.", "both"),
    Output("tokens_served", "Tokens served", "tokens", "tokens",
           "Sum over the months of the lower of demand and capacity (tokens/s) x seconds in "
           "the month.", "buyer"),
    Output("shortfall_months", "Months short of demand", "months", "count",
           "Months in which demand (tokens/s) exceeds capacity.", "buyer"),
    Output("token_price_per_million", "Token price at the start", "$/M tokens", "money_rate",
           "The buyer's blended price per million tokens in the first month (an input).",
           "buyer"),
    Output("buyer_revenue", "Token revenue", "$", "money",
           "Sum over the months of tokens served / 1,000,000 x that month's token price (the "
           "price at the start x (1 - the yearly decline) ^ whole years since the start: it "
           "steps down on each anniversary).", "buyer"),
    Output("buyer_margin", "Buyer gross margin", "$", "money",
           "Token revenue less invoices, over the term.", "buyer"),
    Output("buyer_npv", "Buyer NPV", "$", "money",
           "Token revenue (dated the last day of each month) less payments (on their dates), "
           "discounted at the buyer's rate.", "buyer"),
    Output("provider_revenue", "Provider revenue", "$", "money",
           "Invoices over the term (fees after SLA credits).", "provider"),
    Output("provider_ebitda", "Provider EBITDA", "$", "money",
           "Revenue less power cost less opex, over the term.", "provider"),
    Output("provider_ebit", "Provider EBIT", "$", "money",
           "EBITDA less depreciation, over the term.", "provider"),
    Output("provider_capex", "Provider capex", "$", "money",
           "Capex of the fleet (GPUs plus facility per MW at the meter), whether sunk or bought "
           "for the deal.", "provider"),
    Output("provider_npv", "Provider NPV", "$", "money",
           "Operating cash (invoices less power and opex) and the deposit's cash, each month on "
           "its payment date, discounted on actual dates at the provider's WACC; when the capex "
           "is bought for the deal, less that capex and plus the hardware's book value at the "
           "end of the term; when it is sunk, neither (no investment, no terminal value).",
           "provider"),
    Output("provider_irr", "Provider IRR", "%/yr", "percent",
           "The annual rate at which the provider NPV's flows, on their actual dates, sum to "
           "zero; n/a with no investment (capex sunk), when flows that change sign more than "
           "once have several such rates, and on a Monte Carlo path ended early by notice "
           "before the provider's cash (without the hardware's book value) has paid back the "
           "capex: the rate would rest on book value handed back after a few months' revenue "
           "(302% a year for the reference deal, capex bought, ended on day one).", "provider"),
    Output("provider_payback_month", "Provider payback", "month", "month",
           "The first month in which the provider's cumulative cash is not negative; n/a if "
           "never.", "provider"),
    Output("provider_opportunity_cost", "Provider opportunity cost", "$", "money",
           "Capex sunk: the market rent the capacity would earn (delivered GPU-hours of each "
           "model x its forward market rent) less its power and opex; capex bought: capex less the terminal value.",
           "provider"),
    Output("provider_economic_profit", "Provider economic profit", "$", "money",
           "Provider EBITDA less the opportunity cost, over the term.", "provider"),
    Output("provider_economic_npv", "Provider economic NPV", "$", "money",
           "Each month's economic profit on its payment date, discounted at the provider's "
           "WACC.", "provider"),
    Output("provider_book_value_at_end", "Provider book value at the end", "$", "money",
           "The hardware's book value when the term ends (straight-line depreciation to the "
           "GPUs' residual value and the facility's zero).", "provider"),
    Output("expected_contract_value", "Expected contract value (typed chances)", "$", "money",
           "Payments to the end of the term weighted by the monthly chances of termination "
           "typed as inputs (the method: typed chances, not the simulated market): in each "
           "month, the chance the deal ends there x what is paid if it does, plus the chance it "
           "survives x the total; with no chances typed, the total. The simulated market's "
           "figure is the expected contract value (simulated rights).", "both"),
    Output("termination_notice_month", "Notice given after", "months", "count",
           "Months after the start at which the cost-of-ending figures assume the buyer gives "
           "notice (an input; 12 = the first anniversary).", "buyer"),
    Output("termination_cost_at_notice_month", "Cost of ending at the notice month", "$",
           "money",
           "Invoices before the notice plus the walk-away exposure at that notice; n/a when "
           "the term is not longer than the notice month.", "buyer"),
    Output("termination_saving_at_notice_month", "Saving from ending at the notice month",
           "$", "money",
           "Total contract value less the cost of ending at the notice month; n/a likewise.",
           "buyer"),
    Output("lease_liability", "Lease liability", "$", "money",
           "Present value of the lease term's payments at the incremental borrowing rate, on "
           "actual dates (indicative, not accounting advice).", "buyer"),
    Output("lease_term_months", "Lease term", "months", "count",
           "From the contract's rights: the notice period when the buyer may terminate (IFRS 16 "
           "B34 when both may), the full term when it may not or is reasonably certain not to.",
           "buyer"),
    Output("lease_term_reason", "Lease term basis", "", "text",
           "One sentence: the rights behind the lease term, the termination penalty counted as "
           "a lease payment, and whether the short-term exemption may be taken.", "buyer"),
    Output("cloud_cost", "Cloud cost", "$", "money",
           "Renting the same delivered GPU-hours at the market: each model's GPU-hours x its "
           "forward market rent (core/market.py), over the term.", "buyer"),
    Output("build_cost", "Build cost", "$", "money",
           "Building the same fleet: each tranche's capex when it comes online, plus power and "
           "opex, over the term.", "buyer"),
    Output("cloud_cost_pv", "Cloud cost (PV)", "$", "money",
           "Cloud cost, each month on its payment date, discounted at the buyer's rate: to "
           "compare with the NPV of payments.", "buyer"),
    Output("build_cost_pv", "Build cost (PV)", "$", "money",
           "Build cost, each month on its payment date, discounted at the buyer's rate.",
           "buyer"),
    Output("breakeven_month_vs_cloud", "Break-even month against cloud", "month", "month",
           "The first month in which the lease's cumulative payments and the cloud's cumulative "
           "cost cross; n/a if they never do.", "buyer"),
    Output("breakeven_cloud_rate", "Break-even cloud rate", "$/H100e-hour", "money_rate",
           "The flat rate per H100-equivalent hour at which renting costs what the lease does: "
           "total contract value / H100e-hours delivered.", "buyer"),
    Output("build_crossover_month", "Build crossover month", "month", "month",
           "The first month in which the lease's cumulative payments and building's cumulative "
           "cost cross; n/a if they never do.", "buyer"),
    Output("contract_premium_over_market_pct", "Contract premium over market", "%", "count",
           "Total contract value / the market value of the same delivered GPU-hours (each "
           "model's hours x its forward market rent) - 1: how much the deal pays above the "
           "market; also how far the whole curve must rise for renting to cost the same.",
           "both"),
    Output("market_rent_per_gpu_hour", "Market rent per GPU-hour", "$/GPU-hour", "money_rate",
           "The market value of the delivered GPU-hours (each model's forward rent) / those "
           "hours: the fleet's average market rent, beside the price per GPU-hour.", "both"),
    Output("buyer_mark_to_market", "Buyer's mark-to-market", "$", "money",
           "Sum over months of delivered GPU-hours of each model x (forward market rent - the "
           "contract's price per GPU-hour), each month on its payment date discounted at the "
           "buyer's rate (XNPV): negative when the deal pays above the market.", "buyer"),
    Output("provider_mark_to_market", "Provider's mark-to-market", "$", "money",
           "The negative of the buyer's mark-to-market: what the contract is worth to the "
           "provider above letting the capacity at the forward market rents.", "provider"),
)

# Counterparty credit (core/credit.py): computed by the engine with the key
# figures, kept apart from them (Results.credit) so that the workbook, whose
# key figures are formulas, gains them when it writes their formulas.
CREDIT_FIGURES: dict[str, Output] = _declare(
    Output("provider_default_probability", "Chance the provider defaults", "%", "percent",
           "1 - exp(-h T), as a fraction in JSON: the provider's default probability over the term T, h its hazard "
           "rate (spread / (1 - recovery), -ln(1 - annual probability), or its rating's "
           "generic rate; core/credit.py).", "buyer"),
    Output("buyer_default_probability", "Chance the buyer defaults", "%", "percent",
           "1 - exp(-h T): the buyer's default probability over the term, from its hazard "
           "rate.", "provider"),
    Output("buyer_peak_credit_exposure", "Buyer's peak exposure to the provider", "$", "money",
           "The largest monthly figure of what a provider default would cost the buyer: the "
           "deposit held, a month paid in advance, and replacing the capacity (the token margin "
           "lost over the lead time, then the replacement premium) over the months the "
           "provider owed.", "buyer"),
    Output("provider_peak_credit_exposure", "Provider's peak exposure to the buyer", "$",
           "money",
           "The largest monthly figure of what a buyer default would cost the provider: a "
           "month's invoice unpaid in arrears, and the invoices to when the buyer could have "
           "walked (its notice and fee) less re-letting, less the deposit held.", "provider"),
    Output("buyer_expected_credit_loss", "Buyer's expected credit loss", "$", "money",
           "CVA: (1 - R) x Σ over months of the buyer's exposure x discount factor x the "
           "chance the provider defaults that month, S(t-1) - S(t); a guaranteed share at the "
           "guarantor's hazard and recovery.", "buyer"),
    Output("provider_expected_credit_loss", "Provider's expected credit loss", "$", "money",
           "CVA: (1 - R) x Σ over months of the provider's exposure x discount factor x the "
           "chance the buyer defaults that month.", "provider"),
    Output("credit_adjusted_buyer_npv", "Credit-adjusted buyer NPV", "$", "money",
           "Buyer NPV - the buyer's expected credit loss.", "buyer"),
    Output("credit_adjusted_provider_npv", "Credit-adjusted provider NPV", "$", "money",
           "Provider NPV - the provider's expected credit loss.", "provider"),
)

# Counterparty credit month by month (Results.credit_by_month), as the Credit tab plots it.
CREDIT_SERIES: dict[str, Output] = _declare(
    Output("buyer_credit_exposure", "Buyer's exposure to the provider", "$", "money",
           "What a provider default in this month would cost the buyer, in money of the month's "
           "first day: the deposit held, the month's invoice if paid in advance, and replacing "
           "the capacity over the months the provider owed (its notice if it may walk): the "
           "token margin lost over the lead time, then (1 + premium) x the market value less "
           "the invoice; floored at 0.", "buyer"),
    Output("provider_credit_exposure", "Provider's exposure to the buyer", "$", "money",
           "What a buyer default in this month would cost the provider, in money of the "
           "month's first day: the month's invoice if paid in arrears, the invoices to when the "
           "buyer could have walked (its notice and fee) less re-letting after the lead time, "
           "less the deposit held; floored at 0.", "provider"),
    Output("buyer_expected_credit_loss_by_month", "Buyer's expected credit loss", "$", "money",
           "(1 - R) x the buyer's exposure x discount factor x the chance the provider "
           "defaults in the month, S(t-1) - S(t).", "buyer"),
    Output("provider_expected_credit_loss_by_month", "Provider's expected credit loss", "$",
           "money",
           "(1 - R) x the provider's exposure x discount factor x the chance the buyer "
           "defaults in the month.", "provider"),
)

# Figures of the stochastic market (core/rights.py), computed off the engine
# on simulated paths (a worker in the app; `kpis --paths N --seed S`).
MARKET_FIGURES: dict[str, Output] = _declare(
    Output("buyer_termination_right_value", "Buyer's right to walk", "$", "money",
           "The contract's value to the buyer with its right to give notice at the start of any "
           "month, less without it, by least-squares Monte Carlo on the simulated market (its "
           "own right alone).", "buyer"),
    Output("provider_termination_right_value", "Provider's right to walk", "$", "money",
           "The contract's value to the provider with its right to give notice, less without "
           "it (its own right alone), by least-squares Monte Carlo.", "provider"),
    Output("buyer_value_both_rights", "Buyer's gain from an early end (both rights)", "$",
           "money",
           "The buyer's gain from the deal ending early when both sides hold their rights and "
           "the first to give notice on each path ends it, against running to term.", "buyer"),
    Output("provider_value_both_rights", "Provider's gain from an early end (both rights)",
           "$", "money",
           "The provider's gain from the deal ending early when both sides hold their rights, "
           "first to give notice ending it, against running to term.", "provider"),
    Output("expected_contract_value_rights", "Expected contract value (simulated rights)", "$",
           "money",
           "What the buyer pays (invoices to the end of the notice, and the termination fee "
           "when it gave the notice; every invoice where nobody does), averaged over the "
           "simulated market paths with both sides holding their rights and the first to give "
           "notice ending the deal (the method: simulated rights, on the paths and seed stated "
           "beside it; the typed chances' figure is the expected contract value (typed "
           "chances)).", "both"),
    Output("buyer_exercise_probability", "Chance the buyer walks", "%", "count",
           "Share of simulated paths on which the buyer gives notice before the term's end, "
           "both rights held, first to give notice ending the deal.", "buyer"),
    Output("provider_exercise_probability", "Chance the provider walks", "%", "count",
           "Share of simulated paths on which the provider gives notice before the term's end, "
           "both rights held, first to give notice ending the deal.", "provider"),
)

# The simulated market month by month (core/rights.py), as the Market tab plots it.
MARKET_SERIES: dict[str, Output] = _declare(
    Output("buyer_exercise_cumulative", "Chance the buyer has walked", "%", "count",
           "Share of simulated paths on which the buyer has given notice by the month's first "
           "day, both rights held, first to give notice ending the deal.", "buyer"),
    Output("provider_exercise_cumulative", "Chance the provider has walked", "%", "count",
           "Share of simulated paths on which the provider has given notice by the month's "
           "first day, both rights held.", "provider"),
    Output("buyer_exercise_boundary", "Buyer's exercise boundary", "$/GPU-hour", "money_rate",
           "The fleet's market rent at or below which the buyer gives notice on the month's "
           "first day (where its regressed gain from walking crosses zero); n/a where it never "
           "or always would.", "buyer"),
    Output("provider_exercise_boundary", "Provider's exercise boundary", "$/GPU-hour",
           "money_rate",
           "The fleet's market rent at or above which the provider gives notice; n/a where it "
           "never or always would.", "provider"),
    Output("forward_rent_per_gpu_hour", "Forward market rent", "$/GPU-hour", "money_rate",
           "The fleet's forward market rent per delivered GPU-hour (each model's forward rent "
           "weighted by its hours), about which the simulated rents move.", "both"),
)

# "month" and every column of core.engine.MonthlySchedule, in CSV order.
COLUMNS: dict[str, Output] = _declare(
    Output("month", "Month", "", "count",
           "The contract month, counted from 1.", "both"),
    Output("month_start", "Month start", "date", "date",
           "The start date plus (month - 1) months.", "both"),
    Output("days", "Days", "days", "count",
           "Days in the month (hours are days x 24).", "both"),
    Output("payment_date", "Payment date", "date", "date",
           "The month's first day when paid in advance, its last day when paid in arrears.",
           "both"),
    Output("monthly_fee", "Monthly fee", "$", "money",
           "The fee in force before SLA credits, by pricing mode, x (1 + escalator) ^ whole "
           "years since the start (a step on each anniversary) x (1 - the introductory "
           "discount) in the first discounted months; the plan's amount in a planned month.",
           "both"),
    Output("service_credit", "Service credit", "$", "money",
           "Monthly fee x min(cap, credit per point x points of availability below the SLA) / "
           "100; none on a computed per-GPU-hour fee (it bills only delivered hours), but a "
           "planned month is credited whatever the pricing.", "both"),
    Output("invoice", "Invoice", "$", "money",
           "Monthly fee less the service credit.", "both"),
    Output("deposit_flow", "Deposit flow", "$", "money",
           "Deposit paid (+) on the start date, or applied to fees / returned (-).", "both"),
    Output("payment", "Payment", "$", "money",
           "The buyer's cash that month: invoice plus deposit flow.", "buyer"),
    Output("cumulative_payment", "Cumulative payments", "$", "money",
           "Payments summed to the end of the month.", "buyer"),
    Output("walkaway_exposure", "Walk-away exposure", "$", "money",
           "If the buyer gives notice on the month's first day: each month's invoice in the "
           "share of its own days before the notice ends (never after the term), plus the "
           "termination fee (months of the fee in force in the notice month, before SLA "
           "credits) unless that is the term's end; without a buyer's right, the whole "
           "remaining contract. Always the buyer's own notice: where only the provider may "
           "terminate, the termination cost shows the provider's instead.", "buyer"),
    Output("discount_factor", "Discount factor", "", "number",
           "(1 + the buyer's rate) ^ (-days from the start date to the payment date / 365).",
           "buyer"),
    Output("payment_pv", "Payment PV", "$", "money",
           "The month's invoice x its discount factor, plus the deposit's cash at its own "
           "dates' factors.", "buyer"),
    Output("cumulative_payment_pv", "Cumulative payments PV", "$", "money",
           "Payment PVs summed to the end of the month.", "buyer"),
    Output("gpus_online", "GPUs online", "GPUs", "count",
           "GPUs online, averaged over the month (a tranche counts from its online date).",
           "both"),
    Output("h100e_online", "H100e online", "H100e", "number",
           "GPUs online weighted by each model's H100-equivalence.", "both"),
    Output("it_mw_online", "IT power", "MW", "mw",
           "GPUs online x kW per GPU / 1,000.", "both"),
    Output("facility_mw_online", "Power at the meter", "MW", "mw",
           "IT power online x PUE.", "both"),
    Output("power_over_contract", "Power over contract", "", "bool",
           "Whether power at the meter exceeds the contracted MW.", "both"),
    Output("gpu_hours_delivered", "GPU-hours delivered", "GPU-hours", "hours",
           "GPUs online x hours in the month x availability.", "both"),
    Output("h100e_hours_delivered", "H100e-hours delivered", "H100e-hours", "hours",
           "H100e online x hours in the month x availability.", "both"),
    Output("price_per_gpu_hour", "Price per GPU-hour", "$/GPU-hour", "money_rate",
           "Invoice / GPU-hours delivered that month; n/a with no GPUs.", "both"),
    Output("price_per_h100e_hour", "Price per H100e-hour", "$/H100e-hour", "money_rate",
           "Invoice / H100e-hours delivered that month; n/a with no GPUs.", "both"),
    Output("capacity_tokens_per_s", "Token capacity", "tokens/s", "tokens",
           "GPUs online x tokens/s per GPU x availability x utilization.", "buyer"),
    Output("demand_tokens_per_s", "Token demand", "tokens/s", "tokens",
           "Demand at the start, growing each month at the monthly rate.", "buyer"),
    Output("surplus_tokens_per_s", "Token surplus", "tokens/s", "tokens",
           "Capacity less demand; negative is a shortfall.", "buyer"),
    Output("tokens_capacity", "Tokens the capacity can serve", "tokens", "tokens",
           "Token capacity x seconds in the month.", "buyer"),
    Output("tokens_served", "Tokens served", "tokens", "tokens",
           "The lower of demand and capacity x seconds in the month.", "buyer"),
    Output("cost_per_million_tokens", "Cost per million tokens", "$/M tokens", "money_rate",
           "Invoice x 1,000,000 / the tokens the capacity can serve that month.", "buyer"),
    Output("breakeven_token_price", "Break-even token price", "$/M tokens", "money_rate",
           "Invoice x 1,000,000 / tokens served that month.", "buyer"),
    Output("token_price", "Token price", "$/M tokens", "money_rate",
           "The buyer's blended price per million tokens: the price at the start x (1 - the "
           "yearly decline) ^ whole years since the start (a step on each anniversary).",
           "buyer"),
    Output("buyer_revenue", "Token revenue", "$", "money",
           "Tokens served / 1,000,000 x the token price; n/a (blank) when the buyer's revenue "
           "is not modelled.", "buyer"),
    Output("buyer_margin", "Buyer gross margin", "$", "money",
           "Token revenue less the invoice; n/a (blank) when the buyer's revenue is not "
           "modelled.", "buyer"),
    Output("buyer_cash_flow", "Buyer cash flow", "$", "money",
           "Token revenue less the payment (minus the payment when the revenue is not "
           "modelled).", "buyer"),
    Output("buyer_cumulative_cash", "Buyer cumulative cash", "$", "money",
           "Buyer cash flow summed to the end of the month.", "buyer"),
    Output("provider_revenue", "Provider revenue", "$", "money",
           "The invoice (fee after SLA credits).", "provider"),
    Output("power_cost", "Power cost", "$", "money",
           "Power at the meter x hours x the price per MWh.", "provider"),
    Output("opex", "Opex", "$", "money",
           "Maintenance (a share of capex a year) plus staff.", "provider"),
    Output("depreciation", "Depreciation", "$", "money",
           "Straight line over the hardware's life to its residual value and over the "
           "facility's life to nothing.", "provider"),
    Output("provider_ebitda", "Provider EBITDA", "$", "money",
           "Provider revenue less power cost less opex.", "provider"),
    Output("provider_ebit", "Provider EBIT", "$", "money",
           "EBITDA less depreciation.", "provider"),
    Output("provider_capex", "Provider capex", "$", "money",
           "Capex spent for the deal as tranches come online (0 when sunk).", "provider"),
    Output("provider_cash_flow", "Provider cash flow", "$", "money",
           "Payment received less power cost, opex and capex (no terminal value).", "provider"),
    Output("provider_terminal_value", "Provider terminal value", "$", "money",
           "The book value of hardware bought for the deal, in the last month only (0 when the "
           "capex is sunk).", "provider"),
    Output("provider_cash_flow_with_terminal", "Provider cash flow with terminal value", "$",
           "money",
           "Provider cash flow plus the terminal value, dated by the payment date: its XIRR is "
           "the provider IRR and its XNPV at the WACC the provider NPV.", "provider"),
    Output("provider_cumulative_cash", "Provider cumulative cash", "$", "money",
           "Provider cash flow summed to the end of the month.", "provider"),
    Output("provider_market_rent", "Market rent on the capacity", "$", "money",
           "Delivered GPU-hours of each model x its forward market rent: what the provider "
           "could earn renting the same capacity.", "provider"),
    Output("provider_opportunity_cost", "Provider opportunity cost", "$", "money",
           "Capex sunk: market rent less power and opex; capex bought: capex, less the terminal "
           "value in the last month.", "provider"),
    Output("provider_economic_profit", "Provider economic profit", "$", "money",
           "Provider EBITDA less the opportunity cost.", "provider"),
    Output("book_value", "Book value", "$", "money",
           "The provider's hardware at the end of the month: capex less depreciation taken.",
           "provider"),
    Output("termination_cost", "Termination cost", "$", "money",
           "The buyer's total payments if the deal ends by notice given on the month's first "
           "day: its invoices to the end of the notice (the last month pro rata by its days), "
           "plus the termination fee (months of the fee before SLA credits) when the buyer gives "
           "the notice, except when it only reaches the term's end (expiry). Whose notice follows "
           "who may terminate: the buyer's where it may; the provider's, with no fee, where only "
           "the provider may; where neither may, the deal runs to term and this is every "
           "invoice.", "buyer"),
    Output("termination_saving", "Termination saving", "$", "money",
           "Total contract value less the termination cost (0 where neither party may "
           "terminate).", "buyer"),
    Output("termination_end_date", "Payments stop on", "date", "date",
           "The day payments stop if notice is given on the month's first day (by the buyer "
           "where it may terminate, else by the provider): notice days later, never after the "
           "term; the day after the term where neither party may terminate.", "both"),
    Output("buyer_npv_if_ended", "Buyer NPV if ended", "$", "money",
           "At the buyer's rate: token revenue less invoices to the day payments stop, less the "
           "termination fee (on the notice date) when the buyer gives the notice; whose notice "
           "as for the termination cost (the full term's where neither may terminate).",
           "buyer"),
    Output("provider_npv_if_ended", "Provider NPV if ended", "$", "money",
           "At the provider's WACC: operating cash to the day payments stop, plus the "
           "termination fee when the buyer gives the notice, less capex bought by then plus the "
           "book value kept; whose notice as for the termination cost (the full term's where "
           "neither may terminate).", "provider"),
    Output("cloud_cost", "Cloud cost", "$", "money",
           "GPU-hours delivered of each model x its forward market rent (the Market tab's "
           "curve).", "buyer"),
    Output("build_cost", "Build cost", "$", "money",
           "Capex of the tranches coming online plus power cost and opex of building it.",
           "buyer"),
    Output("cumulative_cloud_cost", "Cumulative cloud cost", "$", "money",
           "Cloud cost summed to the end of the month.", "buyer"),
    Output("cumulative_build_cost", "Cumulative build cost", "$", "money",
           "Build cost summed to the end of the month.", "buyer"),
    Output("lease_payment", "Lease payment", "$", "money",
           "The invoice, for months within the lease term (the last pro rata).", "buyer"),
    Output("in_lease_term", "In lease term", "", "bool",
           "Whether the month falls within the lease term.", "buyer"),
    Output("lease_liability", "Lease liability", "$", "money",
           "Opening balance: present value, on the month's first day, of the lease payments "
           "still to come.", "buyer"),
    Output("lease_interest", "Lease interest", "$", "money",
           "Closing balance less opening balance plus the lease payment.", "buyer"),
    Output("lease_closing", "Lease closing balance", "$", "money",
           "The next month's opening balance (0 after the last).", "buyer"),
    Output("market_rent_per_gpu_hour", "Market rent per GPU-hour", "$/GPU-hour", "money_rate",
           "The month's delivered GPU-hours of each model x its forward market rent, over the "
           "delivered GPU-hours (n/a with none).", "both"),
    Output("buyer_mtm", "Buyer's mark-to-market", "$", "money",
           "(Market value of the month's delivered GPU-hours - the invoice) x the buyer's "
           "discount factor on the payment date.", "buyer"),
    Output("cumulative_buyer_mtm", "Cumulative buyer's mark-to-market", "$", "money",
           "The buyer's mark-to-market summed to the end of the month.", "buyer"),
    Output("provider_mtm", "Provider's mark-to-market", "$", "money",
           "The negative of the buyer's mark-to-market.", "provider"),
)


# The portfolio's joint simulation (core/portfolio_risk.py): the Portfolio tab,
# `main.py portfolio FILE --json --paths N --seed S`, the pack and the workbook.
PORTFOLIO_RISK_FIGURES: dict[str, Output] = _declare(
    Output("portfolio_buyer_cost_pv", "Buyer's total cost (PV)", "$", "money",
           "A buyer's book on each joint path: Σ over deals of the PV of its payments plus what "
           "its provider's default costs it, (1 - R) x the exposure in the month of the "
           "default x its discount factor, each deal discounted to the book's first month at "
           "its own rate.", "buyer"),
    Output("portfolio_provider_npv", "Provider's NPV", "$", "money",
           "A provider's backlog on each joint path: Σ over deals of the provider NPV less what "
           "its buyer's default costs it, (1 - R) x the exposure in the month of the default x "
           "its discount factor, each deal discounted to the book's first month at its WACC.",
           "provider"),
    Output("portfolio_deterministic", "Without defaults", "$", "money",
           "The book's figure with no default: Σ over deals of its own figure (PV of payments "
           "or provider NPV) discounted to the book's first month.", "both"),
    Output("portfolio_mean", "Mean", "$", "money",
           "The average of the book's figure over the joint paths.", "both"),
    Output("portfolio_p5", "P5", "$", "money",
           "The 5th percentile of the book's figure over the joint paths.", "both"),
    Output("portfolio_p50", "P50 (median)", "$", "money",
           "The median of the book's figure over the joint paths.", "both"),
    Output("portfolio_p95", "P95", "$", "money",
           "The 95th percentile of the book's figure over the joint paths.", "both"),
    Output("portfolio_std", "Standard deviation", "$", "money",
           "The standard deviation of the book's figure over the joint paths (divided by the "
           "paths).", "both"),
    Output("portfolio_expected_credit_loss", "Expected credit loss (simulated)", "$", "money",
           "|Mean - the figure without defaults|: what the counterparties' defaults cost the "
           "book on average.", "both"),
    Output("deal_simulated_mean", "Deal mean", "$", "money",
           "The deal's share of the book's figure, averaged over the joint paths.", "both"),
    Output("deal_simulated_std", "Deal std dev", "$", "money",
           "The standard deviation of the deal's share of the book's figure over the paths.",
           "both"),
    Output("deal_contribution", "Contribution to std dev", "$", "money",
           "Euler (covariance) allocation of the book's standard deviation: cov(X_i, X) / "
           "std(X), X_i the deal's figure and X the book's; the deals' contributions add up to "
           "std(X).", "both"),
    Output("deal_contribution_share", "Share of std dev", "%", "percent",
           "The deal's contribution over the book's standard deviation: cov(X_i, X) / var(X); "
           "the shares add up to 100%.", "both"),
    Output("counterparty_default_probability", "Chance of default", "%", "percent",
           "The share of joint paths on which the counterparty defaults before its last deal "
           "in the book ends (its hazard from its first deal's credit).", "both"),
)


def result_value(results: Any, key: str) -> Any:
    """The value of a key figure (KEY_FIGURES) or a credit figure
    (CREDIT_FIGURES) in core.engine's Results: None or NaN where undefined."""
    source = results.credit if key in CREDIT_FIGURES else results.key_figures
    return getattr(source, key)


def output(key: str) -> Output:
    """The declaration of a key figure or, failing that, a schedule column."""
    found = (KEY_FIGURES.get(key) or COLUMNS.get(key) or CREDIT_FIGURES.get(key)
             or CREDIT_SERIES.get(key) or MARKET_FIGURES.get(key) or MARKET_SERIES.get(key)
             or PORTFOLIO_RISK_FIGURES.get(key))
    if found is None:
        raise KeyError(f"no output is declared as {key!r} in core/figures.py")
    return found


# The figures whose value below zero is a loss to their side: margins, profits,
# NPVs and the provider's return.  For a cost, a price or a count, "below
# zero" is not a loss, and no view or export speaks of a chance of one.
GAINS: frozenset[str] = frozenset({
    "buyer_margin", "buyer_npv", "provider_ebitda", "provider_ebit", "provider_npv",
    "provider_irr", "provider_economic_profit", "provider_economic_npv",
    "termination_saving_at_notice_month", "portfolio_provider_npv",
})


def below_zero_is_loss(key: str) -> bool:
    """Whether the figure `key` below zero means its side loses (GAINS)."""
    output(key)   # an unknown key is an error, not "no"
    return key in GAINS


def label(key: str) -> str:
    return output(key).label


def header(key: str) -> str:
    """A table or CSV-documentation header: the label, and the unit in brackets
    when the label does not already say it: "Payment ($)", "GPUs online"."""
    o = output(key)
    if not o.unit or o.unit == "date" or (not o.unit.startswith("$")
                                          and o.unit.lower() in o.label.lower()):
        return o.label
    return f"{o.label} ({o.unit})"


def format_value(key: str, value: Any) -> str:
    """`value` of the output `key` as every view shows it; "n/a" for None / NaN."""
    return output(key).format(value)


def undeclared() -> list[str]:
    """KeyFigures fields and schedule columns with no declaration, and
    declarations that name no field: empty when this module is complete."""
    from core.credit import CreditFigures
    from core.engine import KeyFigures, MonthlySchedule
    fields = [f.name for f in dataclasses.fields(KeyFigures)]
    credit = [f.name for f in dataclasses.fields(CreditFigures)]
    columns = ["month", *MonthlySchedule.columns()]
    problems = [f"KeyFigures.{k} has no declaration" for k in fields if k not in KEY_FIGURES]
    problems += [f"KEY_FIGURES[{k!r}] names no KeyFigures field" for k in KEY_FIGURES
                 if k not in fields]
    problems += [f"CreditFigures.{k} has no declaration" for k in credit
                 if k not in CREDIT_FIGURES]
    problems += [f"CREDIT_FIGURES[{k!r}] names no CreditFigures field" for k in CREDIT_FIGURES
                 if k not in credit]
    problems += [f"schedule column {k} has no declaration" for k in columns if k not in COLUMNS]
    problems += [f"COLUMNS[{k!r}] names no schedule column" for k in COLUMNS if k not in columns]
    problems += [f"{o.key}: unknown format {o.fmt!r}" for o in (*KEY_FIGURES.values(),
                                                                 *CREDIT_FIGURES.values(),
                                                                 *PORTFOLIO_RISK_FIGURES.values(),
                                                                 *COLUMNS.values())
                 if o.fmt not in FORMATS]
    return problems


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def glossary_markdown() -> str:
    """docs/figures.md: every key figure and schedule column, with its definition."""
    lines = [
        "# Figures and columns",
        "",
        "Generated by `python -m core.figures --doc > docs/figures.md` from core/figures.py; "
        "do not edit by hand.",
        "",
        "Invoices are the fees after SLA credits; payments are invoices plus the deposit's cash. "
        "Side says whose figure it is: the buyer's, the provider's, or both.",
        "",
    ]
    for title, key_title, table in (("Key figures", "Key (`kpis --json`)", KEY_FIGURES),
                                    ("Counterparty credit", "Key (`kpis --json`)",
                                     CREDIT_FIGURES),
                                    ("Counterparty credit by month (the Credit tab)", "Series",
                                     CREDIT_SERIES),
                                    ("Simulated market figures",
                                     "Key (`kpis --json --paths N --seed S`)", MARKET_FIGURES),
                                    ("Simulated market by month (the Market tab)", "Series",
                                     MARKET_SERIES),
                                    ("Portfolio joint simulation (the Portfolio tab)",
                                     "Key (`portfolio --json --paths N --seed S`)",
                                     PORTFOLIO_RISK_FIGURES),
                                    ("Monthly schedule columns", "Column (`schedule --csv`)",
                                     COLUMNS)):
        lines += [f"## {title}", "",
                  f"| Label | {key_title} | Unit | Side | Definition |",
                  "|---|---|---|---|---|"]
        lines += [f"| {_cell(o.label)} | `{o.key}` | {_cell(o.unit) or '-'} | {o.side} | "
                  f"{_cell(o.definition)} |" for o in table.values()]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:] == ["--doc"]:
        sys.stdout.write(glossary_markdown())
    else:
        sys.stderr.write("usage: python -m core.figures --doc > docs/figures.md\n")
        sys.exit(2)
