"""The workbook's monthly schedule as formulas: one row for each month up to
the longest term allowed, every cell a formula over the Inputs (defined
names) and the Drivers sheet, blank past the term (IF(month>term,"",...)).

Each column is declared once (key, header, number format, formula); columns
that are the app's schedule columns carry the app's values as their cached
results, are headed with core.figures' labels and get a defined name
`sched_<key>` over all its rows, so another sheet (a two-way table, a check)
can reuse them.  Working columns (the model's intermediate steps) are headed
in words with their unit.  The formulas follow core/engine.py and the
modules it calls; the comments name the step each one mirrors.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from xlsxwriter.utility import xl_col_to_name

from core import figures
from core.parameters import (FORWARD_IMPORTED, FORWARD_QUOTES, ContractTerms, Market, choice_text,
                             field_meta)

MAX_MONTHS = int(field_meta(ContractTerms, "term_months")["maximum"])
HEADER_ROW = 1                      # Excel row of the headers
FIRST_ROW = 2                       # Excel row of month 1
SHEET = "Schedule"
TERM = "contract_term_months"
START = "contract_start_date"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    fmt: str                         # a core.figures format, or "factor" / "flag"
    body: Callable[["Refs", int], str] | None   # month (1-based) -> formula without "="
    group: str
    working: bool = False            # an intermediate step, not an app column


class Refs:
    """Cell addresses on the Schedule sheet, by column key."""

    def __init__(self, keys: list[str], rows: int = MAX_MONTHS):
        self.index = {key: i for i, key in enumerate(keys)}
        self.rows = rows                 # months the sheet has a row for
        self.last_row = FIRST_ROW + rows - 1

    def col(self, key: str) -> str:
        return xl_col_to_name(self.index[key])

    def c(self, key: str, m: int) -> str:
        """The cell of `key` in month m (relative)."""
        return f"{self.col(key)}{FIRST_ROW + m - 1}"

    def rng(self, key: str) -> str:
        """Every month's row of `key`, absolute."""
        col = self.col(key)
        return f"${col}${FIRST_ROW}:${col}${self.last_row}"

    def at(self, key: str, index: str) -> str:
        """The value of `key` in the month the expression `index` gives."""
        return f"INDEX({self.rng(key)},{index})"

    def prev(self, key: str, m: int, first: str = "0") -> str:
        """Last month's `key`, or `first` in month 1."""
        return first if m == 1 else self.c(key, m - 1)

    def cumulative(self, key: str, source: str, m: int) -> str:
        return self.c(source, m) if m == 1 else f"{self.c(key, m - 1)}+{self.c(source, m)}"


@dataclass(frozen=True)
class Fleet:
    """Cells of the Drivers sheet for each tranche (absolute, with the sheet)."""
    names: tuple[str, ...]
    count: tuple[str, ...]
    online: tuple[str, ...]
    kw: tuple[str, ...]
    h100e: tuple[str, ...]
    tokens_per_s: tuple[str, ...]
    capex: tuple[str, ...]
    gpu_rate: tuple[str, ...]
    facility_rate: tuple[str, ...]
    age: tuple[str, ...]
    # Whether the Inputs sheet has an invoice plan (defined names plan_invoice_month,
    # plan_invoice_amount) and a demand plan (plan_demand_month, plan_demand_tokens).
    invoice_plan: bool = False
    demand_plan: bool = False
    # The market (core/market.py): each tranche's model and its rent row's cells on the
    # Drivers sheet, and whether the Inputs sheet has an imported rent curve (defined
    # names plan_rent_month, plan_rent_model, plan_rent_value).
    model: tuple[str, ...] = ()
    rent: tuple[str, ...] = ()
    quote_1m: tuple[str, ...] = ()
    quote_1y: tuple[str, ...] = ()
    quote_3y: tuple[str, ...] = ()
    rent_curve: bool = False


def _sum(terms: list[str]) -> str:
    return "+".join(terms) if terms else "0"


def _planned(values: str, months: str, month: str, otherwise: str, per: str = "") -> str:
    """The plan table's value for `month` (divided by `per` if given) where
    the plan has that month, else `otherwise`: a planned month overrides the
    computed one (core/fees.py, core/tokens.py)."""
    found = f"INDEX({values},MATCH({month},{months},0))" + (f"/{per}" if per else "")
    return f"IFERROR({found},{otherwise})"


def _discount(rate_pct: str, days: str) -> str:
    """(1 + rate) ^ (-days / 365), the engine's discount factor on actual dates."""
    return f"(1+{rate_pct}/100)^(-({days})/365)"


def _forward_text(value: str) -> str:
    """A forward-path choice as the Inputs sheet shows it, quoted for a formula."""
    return '"' + choice_text(field_meta(Market, "forward_path"), value) + '"'


def _market_rent(fleet: Fleet, R: Refs, k: int, m: int) -> str:
    """Tranche k's forward market rent in month m ($/GPU-hour), as core/market.py
    builds it: a rent curve's month where imported, else quotes bootstrapped
    piecewise flat, else today's rent moved by the yearly change by days."""
    month = R.c("month", m)
    yearly = (f"{fleet.rent[k]}*(1+market_rent_change_pct_per_year/100)"
              f"^(({R.c('month_start', m)}-{START})/365)")
    q1, q12, q36 = fleet.quote_1m[k], fleet.quote_1y[k], fleet.quote_3y[k]
    quotes = (f"IF({month}=1,{q1},IF({month}<=12,MAX(0,(12*{q12}-{q1})/11),"
              f"MAX(0,(36*{q36}-12*{q12})/24)))")
    path = f"IF(market_forward_path={_forward_text(FORWARD_QUOTES)},{quotes},{yearly})"
    if fleet.rent_curve:
        found = f"plan_rent_month,{month},plan_rent_model,{fleet.model[k]}"
        path = (f"IF(AND(market_forward_path={_forward_text(FORWARD_IMPORTED)},"
                f"COUNTIFS({found})>0),SUMIFS(plan_rent_value,{found}),{path})")
    return path


def columns(fleet: Fleet) -> list[Column]:
    """Every column of the Schedule sheet, in order."""
    T = range(len(fleet.names))
    out: list[Column] = []

    def add(key, body, group, fmt=None, header=None, working=False):
        if header is None:
            header = figures.header(key)
        if fmt is None:
            fmt = figures.output(key).fmt
        out.append(Column(key, header, fmt, body, group, working))

    # --- Calendar and what the buyer is billed (core/timeline.py, core/fees.py) ---
    g = "Contract and payments"
    add("month", None, g)
    add("month_start", lambda R, m: f"EDATE({START},{R.c('month', m)}-1)", g)
    add("next_start", lambda R, m: f"EDATE({START},{R.c('month', m)})", g, "date",
        "Next month starts", working=True)
    add("days", lambda R, m: f"{R.c('next_start', m)}-{R.c('month_start', m)}", g)
    add("payment_date", lambda R, m: f"IF(drv_payment_advance,{R.c('month_start', m)},"
                                     f"{R.c('next_start', m)}-1)", g)
    add("price_factor",
        lambda R, m: f"(1+contract_escalator_pct/100)^INT(({R.c('month', m)}-1)/12)"
                     f"*IF({R.c('month', m)}<=contract_intro_months,"
                     f"1-contract_intro_discount_pct/100,1)",
        g, "factor", "Price factor (escalator x discount)", working=True)
    add("capacity_share",
        lambda R, m: f"IF(drv_fleet_it_mw>0,{R.c('it_mw_online', m)}/drv_fleet_it_mw,0)",
        g, "factor", "Share of the fleet's power online", working=True)
    def computed_fee(R, m):
        return (f"{R.c('price_factor', m)}*IF(drv_pricing_gpu_hour,"
                f"contract_price_per_gpu_hour*{R.c('gpu_hours_delivered', m)},"
                f"IF(drv_fee_steps,{R.c('capacity_share', m)},1)"
                f"*IF(drv_pricing_mw_month,contract_price_per_mw_month*hardware_contracted_mw,"
                f"contract_monthly_fee))")
    if fleet.invoice_plan:
        # core/fees.py: a planned month's fee is the plan's amount, as it stands.
        add("monthly_fee", lambda R, m: _planned("plan_invoice_amount", "plan_invoice_month",
                                                 R.c('month', m), computed_fee(R, m)), g)
    else:
        add("monthly_fee", computed_fee, g)
    # No credit on per-GPU-hour pricing: undelivered hours are already unbilled.
    add("service_credit", lambda R, m: f"IF(drv_pricing_gpu_hour,0,{R.c('monthly_fee', m)}"
                                       f"*drv_credit_pct/100)", g)
    add("invoice", lambda R, m: f"{R.c('monthly_fee', m)}-{R.c('service_credit', m)}", g)
    add("invoices_after",
        lambda R, m: f"IF({R.c('month', m)}={TERM},0,"
                     f"{R.c('invoice', m + 1)}+{R.c('invoices_after', m + 1)})"
        if m < R.rows else "0", g, "money", "Invoices after this month ($)", working=True)
    # A deposit applied to the last invoices, latest first, until used up.
    add("deposit_applied",
        lambda R, m: f"IF(drv_deposit_applied,MAX(0,MIN(drv_deposit-{R.c('invoices_after', m)},"
                     f"{R.c('invoice', m)})),0)", g, "money", "Deposit applied ($)", working=True)
    add("deposit_flow",
        lambda R, m: f"-{R.c('deposit_applied', m)}+IF({R.c('month', m)}=1,drv_deposit,0)"
                     f"-IF({R.c('month', m)}={TERM},drv_deposit_returned,0)", g)
    add("payment", lambda R, m: f"{R.c('invoice', m)}+{R.c('deposit_flow', m)}", g)
    add("cumulative_payment", lambda R, m: R.cumulative("cumulative_payment", "payment", m), g)
    add("cumulative_invoice",
        lambda R, m: R.cumulative("cumulative_invoice", "invoice", m),
        g, "money", "Cumulative invoices ($)", working=True)
    # Notice given on the month's first day ends notice days later, never after the term.
    add("termination_end_date",
        lambda R, m: f"MIN({R.c('month_start', m)}+contract_notice_days,drv_term_end)", g)
    # The month that day falls in: whole months from the start date to it, plus one.
    add("notice_end_month",
        lambda R, m: (lambda e: f"MIN({TERM},(YEAR({e})-YEAR({START}))*12+MONTH({e})"
                                f"-MONTH({START})-IF(EDATE({START},(YEAR({e})-YEAR({START}))*12"
                                f"+MONTH({e})-MONTH({START}))>{e},1,0)+1)")(
            R.c("termination_end_date", m)),
        g, "month", "Month the notice ends in", working=True)
    add("notice_end_share",
        lambda R, m: f"({R.c('termination_end_date', m)}"
                     f"-{R.at('month_start', R.c('notice_end_month', m))})"
                     f"/{R.at('days', R.c('notice_end_month', m))}",
        g, "factor", "Share of that month paid", working=True)
    # Each month is paid in the share of its own days before the notice ends.
    add("paid_to_notice_end",
        lambda R, m: _to_notice_end(R, m, "cumulative_invoice", "invoice"),
        g, "money", "Invoices to the end of notice ($)", working=True)
    # A notice that only reaches the term's end is expiry: no termination fee.
    add("fee_if_ended_early",
        lambda R, m: f"IF({R.c('termination_end_date', m)}<drv_term_end,"
                     f"contract_termination_fee_months*{R.c('monthly_fee', m)},0)",
        g, "money", "Termination fee if the notice ends the deal early ($)", working=True)
    # Without a right to terminate the buyer is bound to every remaining invoice.
    add("walkaway_exposure",
        lambda R, m: f"IF(drv_buyer_may_end,{R.c('paid_to_notice_end', m)}"
                     f"+{R.c('fee_if_ended_early', m)},drv_total_invoices)"
                     f"-({R.c('cumulative_invoice', m)}-{R.c('invoice', m)})", g)
    add("discount_factor",
        lambda R, m: _discount("contract_discount_rate_pct", f"{R.c('payment_date', m)}-{START}"), g)
    # Invoices and the applied deposit on the payment date; the deposit paid on the
    # start date and returned on the day the term ends (core.fees.deposit_pv_by_month).
    add("payment_pv",
        lambda R, m: f"({R.c('invoice', m)}-{R.c('deposit_applied', m)})*{R.c('discount_factor', m)}"
                     f"+IF({R.c('month', m)}=1,drv_deposit,0)"
                     f"-IF({R.c('month', m)}={TERM},drv_deposit_returned*drv_buyer_term_end_df,0)", g)
    add("cumulative_payment_pv",
        lambda R, m: R.cumulative("cumulative_payment_pv", "payment_pv", m), g)

    # --- Capacity online (core/timeline.py): a tranche counts from its online date ---
    g = "Capacity"
    for k in T:
        add(f"months_online_{k}",
            lambda R, m, k=k: f"{R.prev(f'months_online_{k}', m)}+MAX(0,MIN({R.c('days', m)},"
                              f"{R.c('next_start', m)}-{fleet.online[k]}))/{R.c('days', m)}",
            g, "factor", f"Months online to date: {fleet.names[k]}", working=True)
    for k in T:
        add(f"gpus_{k}", lambda R, m, k=k: f"{fleet.count[k]}*({_share(R, k, m)})",
            g, "count", f"GPUs online: {fleet.names[k]}", working=True)

    def weighted(R, m, attribute):
        return _sum([f"{R.c(f'gpus_{k}', m)}*{attribute[k]}" for k in T])

    add("gpus_online", lambda R, m: _sum([R.c(f"gpus_{k}", m) for k in T]), g)
    add("h100e_online", lambda R, m: weighted(R, m, fleet.h100e), g)
    add("it_mw_online", lambda R, m: f"({weighted(R, m, fleet.kw)})/1000", g)
    add("facility_mw_online", lambda R, m: f"{R.c('it_mw_online', m)}*hardware_pue", g)
    add("power_over_contract",
        lambda R, m: f"{R.c('facility_mw_online', m)}>hardware_contracted_mw+0.000001", g)
    add("gpu_hours_delivered",
        lambda R, m: f"{R.c('gpus_online', m)}*{R.c('days', m)}*24*hardware_availability_pct/100", g)
    # The market (core/market.py): each tranche's GPU-hours at its model's forward rent.
    for k in T:
        add(f"rent_{k}", lambda R, m, k=k: _market_rent(fleet, R, k, m), g, "money",
            f"Market rent: {fleet.names[k]} ($/GPU-hour)", working=True)
    add("market_value",
        lambda R, m: f"({_sum([R.c(f'gpus_{k}', m) + '*' + R.c(f'rent_{k}', m) for k in T])})"
                     f"*{R.c('days', m)}*24*hardware_availability_pct/100",
        g, "money", "Market value of the delivered GPU-hours ($)", working=True)
    add("h100e_hours_delivered",
        lambda R, m: f"{R.c('h100e_online', m)}*{R.c('days', m)}*24*hardware_availability_pct/100", g)
    add("price_per_gpu_hour",
        lambda R, m: f'IF({R.c("gpu_hours_delivered", m)}>0,'
                     f'{R.c("invoice", m)}/{R.c("gpu_hours_delivered", m)},"n/a")', g)
    add("price_per_h100e_hour",
        lambda R, m: f'IF({R.c("h100e_hours_delivered", m)}>0,'
                     f'{R.c("invoice", m)}/{R.c("h100e_hours_delivered", m)},"n/a")', g)

    # --- Tokens and the buyer's side (core/tokens.py, core/economics.py) ---
    g = "Buyer"
    add("capacity_tokens_per_s",
        lambda R, m: f"({weighted(R, m, fleet.tokens_per_s)})*hardware_availability_pct/100"
                     f"*hardware_utilization_pct/100", g)
    def growth_demand(R, m):
        return (f"projections_demand_tokens_per_s*(1+projections_demand_growth_pct_per_month/100)"
                f"^({R.c('month', m)}-1)")
    if fleet.demand_plan:
        # core/tokens.py: a planned month's demand is its tokens over the month's seconds.
        add("demand_tokens_per_s", lambda R, m: _planned(
            "plan_demand_tokens", "plan_demand_month", R.c('month', m), growth_demand(R, m),
            per=f"({R.c('days', m)}*86400)"), g)
    else:
        add("demand_tokens_per_s", growth_demand, g)
    add("surplus_tokens_per_s",
        lambda R, m: f"{R.c('capacity_tokens_per_s', m)}-{R.c('demand_tokens_per_s', m)}", g)
    add("short_of_demand",
        lambda R, m: f"IF({R.c('demand_tokens_per_s', m)}>{R.c('capacity_tokens_per_s', m)},1,0)",
        g, "flag", "Short of demand (1 = yes)", working=True)
    add("tokens_capacity",
        lambda R, m: f"{R.c('capacity_tokens_per_s', m)}*{R.c('days', m)}*86400", g)
    add("tokens_served",
        lambda R, m: f"MIN({R.c('demand_tokens_per_s', m)},{R.c('capacity_tokens_per_s', m)})"
                     f"*{R.c('days', m)}*86400", g)
    add("cost_per_million_tokens",
        lambda R, m: f'IF({R.c("tokens_capacity", m)}>0,'
                     f'{R.c("invoice", m)}*1000000/{R.c("tokens_capacity", m)},"n/a")', g)
    add("breakeven_token_price",
        lambda R, m: f'IF({R.c("tokens_served", m)}>0,'
                     f'{R.c("invoice", m)}*1000000/{R.c("tokens_served", m)},"n/a")', g)
    # Steps down by the yearly decline on each anniversary.
    add("token_price",
        lambda R, m: f"projections_token_price_per_million*(1-projections_token_price_decline_pct_per_year"
                     f"/100)^INT(({R.c('month', m)}-1)/12)", g)
    add("buyer_revenue",
        lambda R, m: f"IF(drv_buyer_revenue_modelled,{R.c('tokens_served', m)}/1000000"
                     f"*{R.c('token_price', m)},0)", g)
    add("buyer_margin", lambda R, m: f"{R.c('buyer_revenue', m)}-{R.c('invoice', m)}", g)
    add("buyer_cash_flow", lambda R, m: f"{R.c('buyer_revenue', m)}-{R.c('payment', m)}", g)
    add("buyer_cumulative_cash",
        lambda R, m: R.cumulative("buyer_cumulative_cash", "buyer_cash_flow", m), g)
    # Revenue is dated the month's last day.
    add("revenue_pv",
        lambda R, m: f"{R.c('buyer_revenue', m)}*"
                     + _discount("contract_discount_rate_pct", f"{R.c('next_start', m)}-1-{START}"),
        g, "money", "Token revenue PV ($)", working=True)
    add("buyer_net_pv",
        lambda R, m: f"{R.c('revenue_pv', m)}-{R.c('invoice', m)}*{R.c('discount_factor', m)}",
        g, "money", "Revenue PV less invoice PV ($)", working=True)
    add("cumulative_buyer_net_pv",
        lambda R, m: R.cumulative("cumulative_buyer_net_pv", "buyer_net_pv", m),
        g, "money", "Cumulative revenue PV less invoice PV ($)", working=True)

    # --- The provider's side (core/economics.py) ---
    g = "Provider"
    add("provider_revenue", lambda R, m: R.c("invoice", m), g)
    add("power_cost",
        lambda R, m: f"{R.c('facility_mw_online', m)}*{R.c('days', m)}*24*hardware_power_price_per_mwh", g)
    add("opex",
        lambda R, m: f"({_sum([f'{fleet.capex[k]}*({_share(R, k, m)})' for k in T])})"
                     f"*hardware_maintenance_pct_per_year/100/12+hardware_staff_opex_per_month", g)

    def taken(R, k, m, life, previous=False):
        months = R.prev(f"months_online_{k}", m) if previous else R.c(f"months_online_{k}", m)
        return f"MIN({fleet.age[k]}+{months},{life})"

    gpu_life, facility_life = "drv_gpu_life_months", "drv_facility_life_months"
    # Straight line over the months in service, capped at each life.
    add("depreciation",
        lambda R, m: _sum([f"{fleet.gpu_rate[k]}*({taken(R, k, m, gpu_life)}-"
                           f"{taken(R, k, m, gpu_life, True)})+{fleet.facility_rate[k]}*("
                           f"{taken(R, k, m, facility_life)}-{taken(R, k, m, facility_life, True)})"
                           for k in T]), g)
    add("provider_ebitda",
        lambda R, m: f"{R.c('invoice', m)}-{R.c('power_cost', m)}-{R.c('opex', m)}", g)
    add("provider_ebit", lambda R, m: f"{R.c('provider_ebitda', m)}-{R.c('depreciation', m)}", g)
    # Each tranche's capex falls in the month it comes online.
    add("capex_if_bought",
        lambda R, m: _sum([f"IF(AND({R.c(f'months_online_{k}', m)}>0,"
                           f"{R.prev(f'months_online_{k}', m)}=0),{fleet.capex[k]},0)" for k in T]),
        g, "money", "Capex if bought for the deal ($)", working=True)
    add("provider_capex",
        lambda R, m: f"IF(drv_capex_bought,{R.c('capex_if_bought', m)},0)", g)
    add("provider_cash_flow",
        lambda R, m: f"{R.c('payment', m)}-{R.c('power_cost', m)}-{R.c('opex', m)}"
                     f"-{R.c('provider_capex', m)}", g)
    add("book_value",
        lambda R, m: _sum([f"IF({R.c(f'months_online_{k}', m)}>0,{fleet.capex[k]}-{fleet.gpu_rate[k]}"
                           f"*{taken(R, k, m, gpu_life)}-{fleet.facility_rate[k]}"
                           f"*{taken(R, k, m, facility_life)},0)" for k in T]), g)
    add("provider_terminal_value",
        lambda R, m: f"IF(AND(drv_capex_bought,{R.c('month', m)}={TERM}),{R.c('book_value', m)},0)", g)
    add("provider_cash_flow_with_terminal",
        lambda R, m: f"{R.c('provider_cash_flow', m)}+{R.c('provider_terminal_value', m)}", g)
    add("provider_cumulative_cash",
        lambda R, m: R.cumulative("provider_cumulative_cash", "provider_cash_flow", m), g)
    add("payback_candidate",
        lambda R, m: f'IF({R.c("provider_cumulative_cash", m)}>=0,{R.c("month", m)},"")',
        g, "month", "Month if cumulative cash is not negative", working=True)
    add("provider_market_rent",
        lambda R, m: R.c('market_value', m), g)
    add("provider_opportunity_cost",
        lambda R, m: f"IF(drv_capex_bought,{R.c('provider_capex', m)}-{R.c('provider_terminal_value', m)},"
                     f"{R.c('provider_market_rent', m)}-{R.c('power_cost', m)}-{R.c('opex', m)})", g)
    add("provider_economic_profit",
        lambda R, m: f"{R.c('provider_ebitda', m)}-{R.c('provider_opportunity_cost', m)}", g)
    # Every provider flow of a month falls on its payment date.
    add("provider_payment_df",
        lambda R, m: _discount("contract_provider_wacc_pct", f"{R.c('payment_date', m)}-{START}"),
        g, "factor", "Discount factor at the WACC, payment date", working=True)
    add("provider_start_df",
        lambda R, m: _discount("contract_provider_wacc_pct", f"{R.c('month_start', m)}-{START}"),
        g, "factor", "Discount factor at the WACC, month start", working=True)
    add("provider_flow_pv",
        lambda R, m: f"{R.c('provider_cash_flow_with_terminal', m)}*{R.c('provider_payment_df', m)}",
        g, "money", "Cash flow with terminal value, PV at the WACC ($)", working=True)
    add("economic_profit_pv",
        lambda R, m: f"{R.c('provider_economic_profit', m)}*{R.c('provider_payment_df', m)}",
        g, "money", "Economic profit PV at the WACC ($)", working=True)
    add("operating_pv",
        lambda R, m: f"{R.c('provider_ebitda', m)}*{R.c('provider_payment_df', m)}",
        g, "money", "EBITDA PV at the WACC ($)", working=True)
    add("cumulative_operating_pv",
        lambda R, m: R.cumulative("cumulative_operating_pv", "operating_pv", m),
        g, "money", "Cumulative EBITDA PV ($)", working=True)
    add("capex_pv",
        lambda R, m: f"{R.c('provider_capex', m)}*{R.c('provider_payment_df', m)}",
        g, "money", "Capex PV at the WACC ($)", working=True)
    add("cumulative_capex_pv",
        lambda R, m: R.cumulative("cumulative_capex_pv", "capex_pv", m),
        g, "money", "Cumulative capex PV ($)", working=True)

    # --- Ending early (core/termination.py): notice on the month's first day ---
    g = "Termination"
    add("termination_cost",
        lambda R, m: f"IF(drv_buyer_may_end,{R.c('paid_to_notice_end', m)}"
                     f"+{R.c('fee_if_ended_early', m)},drv_total_invoices)", g)
    add("termination_saving",
        lambda R, m: f"drv_total_invoices-{R.c('termination_cost', m)}", g)
    add("buyer_npv_if_ended",
        lambda R, m: f"{_to_notice_end(R, m, 'cumulative_buyer_net_pv', 'buyer_net_pv')}"
                     f"-{R.c('fee_if_ended_early', m)}*"
                     + _discount("contract_discount_rate_pct", f"{R.c('month_start', m)}-{START}"),
        g)
    # The last month with anything paid; hardware bought by then is kept at book value.
    add("ended_in_month",
        lambda R, m: f"MAX(1,IF({R.c('notice_end_share', m)}>0,{R.c('notice_end_month', m)},"
                     f"{R.c('notice_end_month', m)}-1))",
        g, "month", "Last month with a payment", working=True)
    add("provider_npv_if_ended",
        lambda R, m: (lambda e: f"{_to_notice_end(R, m, 'cumulative_operating_pv', 'operating_pv')}"
                                f"+{R.c('fee_if_ended_early', m)}*{R.c('provider_start_df', m)}"
                                f"+IF(drv_capex_bought,{R.at('book_value', e)}"
                                f"*{R.at('provider_payment_df', e)}"
                                f"-{R.at('cumulative_capex_pv', e)},0)")(R.c("ended_in_month", m)),
        g)
    add("chance_weighted_payments",
        lambda R, m: f"(1-drv_hazard)^({R.c('month', m)}-1)*(drv_hazard*{R.c('paid_to_notice_end', m)}"
                     f"+drv_hazard_buyer*{R.c('fee_if_ended_early', m)})",
        g, "money", "Payments if ended, weighted by the chance ($)", working=True)

    # --- Alternatives and the lease view (core/alternatives.py) ---
    g = "Alternatives and lease"
    add("cloud_cost",
        lambda R, m: R.c('market_value', m), g)
    add("build_cost",
        lambda R, m: f"{R.c('capex_if_bought', m)}+{R.c('power_cost', m)}+{R.c('opex', m)}", g)
    add("cumulative_cloud_cost",
        lambda R, m: R.cumulative("cumulative_cloud_cost", "cloud_cost", m), g)
    add("cumulative_build_cost",
        lambda R, m: R.cumulative("cumulative_build_cost", "build_cost", m), g)
    for other in ("cloud", "build"):
        add(f"{other}_cost_pv_month",
            lambda R, m, o=other: f"{R.c(f'{o}_cost', m)}*{R.c('discount_factor', m)}",
            g, "money", f"{other.capitalize()} cost PV at the buyer's rate ($)", working=True)
        add(f"{other}_crossing",
            lambda R, m, o=other: f'IF(SIGN({R.c("cumulative_payment", m)}-{R.c(f"cumulative_{o}_cost", m)})'
                                  f'<>SIGN({R.c("cumulative_payment", 1)}-{R.c(f"cumulative_{o}_cost", 1)}),'
                                  f'{R.c("month", m)},"")',
            g, "month", f"Month if the lease and {other} lines have crossed", working=True)
    # The lease term: the notice period from the start date when the buyer may
    # terminate and is not reasonably certain to continue, else the full term.
    add("lease_share",
        lambda R, m: f"IF(drv_lease_notice_term,MAX(0,MIN(1,({R.c('termination_end_date', 1)}"
                     f"-{R.c('month_start', m)})/{R.c('days', m)})),1)",
        g, "factor", "Share of the month in the lease term", working=True)
    add("in_lease_term", lambda R, m: f"{R.c('lease_share', m)}>0", g)
    # The termination fee that notice on the start date costs is a lease payment, on that day.
    add("lease_payment",
        lambda R, m: f"{R.c('invoice', m)}*{R.c('lease_share', m)}"
                     f"+IF({R.c('month', m)}=1,drv_lease_penalty,0)", g)
    add("lease_payment_pv",
        lambda R, m: f"{R.c('invoice', m)}*{R.c('lease_share', m)}*"
                     + _discount("contract_incremental_borrowing_rate_pct",
                                 f"{R.c('payment_date', m)}-{START}")
                     + f"+IF({R.c('month', m)}=1,drv_lease_penalty,0)",
        g, "money", "Lease payment PV at the borrowing rate ($)", working=True)
    add("lease_remaining_pv",
        lambda R, m: f"{R.c('lease_payment_pv', m)}+IF({R.c('month', m)}={TERM},0,"
                     f"{R.c('lease_remaining_pv', m + 1)})" if m < R.rows
        else R.c("lease_payment_pv", m),
        g, "money", "PV of the lease payments still to come ($)", working=True)
    # A short-term lease expensed under the exemption carries no liability.
    add("lease_liability",
        lambda R, m: f"IF(drv_lease_exempt,0,{R.c('lease_remaining_pv', m)}/"
                     + _discount("contract_incremental_borrowing_rate_pct",
                                 f"{R.c('month_start', m)}-{START}") + ")", g)
    add("lease_closing",
        lambda R, m: f"IF({R.c('month', m)}={TERM},0,{R.c('lease_liability', m + 1)})"
        if m < R.rows else "0", g)
    add("lease_interest",
        lambda R, m: f"IF(drv_lease_exempt,0,{R.c('lease_closing', m)}-{R.c('lease_liability', m)}"
                     f"+{R.c('lease_payment', m)})", g)

    # --- Mark-to-market against the forward market rents (core/market.py) ---
    g = "Market"
    add("market_rent_per_gpu_hour",
        lambda R, m: f'IF({R.c("gpu_hours_delivered", m)}>0,'
                     f'{R.c("market_value", m)}/{R.c("gpu_hours_delivered", m)},"n/a")', g)
    add("buyer_mtm",
        lambda R, m: f"({R.c('market_value', m)}-{R.c('invoice', m)})*{R.c('discount_factor', m)}",
        g)
    add("cumulative_buyer_mtm",
        lambda R, m: R.cumulative("cumulative_buyer_mtm", "buyer_mtm", m), g)
    add("provider_mtm", lambda R, m: f"-{R.c('buyer_mtm', m)}", g)
    return out


def _to_notice_end(R: Refs, m: int, cumulative: str, monthly: str) -> str:
    """A monthly column summed to the end of the notice given in month m, the
    month the notice ends in counted in its paid share (core.timeline.paid_fraction)."""
    p = R.c("notice_end_month", m)
    return f"({R.at(cumulative, p)}-{R.at(monthly, p)}*(1-{R.c('notice_end_share', m)}))"


def _share(R: Refs, k: int, m: int) -> str:
    """Share of month m that tranche k is online: its months online to date, less last month's."""
    this = R.c(f"months_online_{k}", m)
    return this if m == 1 else f"{this}-{R.c(f'months_online_{k}', m - 1)}"


def app_values(results, key: str) -> np.ndarray | None:
    """The app's column `key` when the schedule has one, for the cached results."""
    if key == "month":
        return np.arange(1, len(results.schedule) + 1)
    if key in results.schedule.COLUMNS:
        return np.asarray(getattr(results.schedule, key))
    return None
