"""Both sides of the deal, month by month.

Provider: revenue is the invoices (fees after SLA credits); power cost is the
fleet's facility MW x hours x $/MWh; opex is maintenance (a share of capex a
year) plus staff; depreciation is straight-line over the hardware's life to
its residual value (GPUs) and over the facility's life to nothing; EBITDA =
revenue - power - opex; EBIT = EBITDA - depreciation.  When the capex is
bought for the deal, each tranche's capex (GPUs plus facility per MW at the
meter) is spent when it comes online and the book value at the end of the
term is counted as a terminal value; when it is sunk (built for the
provider's own use), the deal carries no investment and no terminal value.
Beside that accounting view, the economic view charges the capacity's
opportunity cost (`provider_opportunity_cost`): the market rent it could earn
elsewhere when sunk, the capital when bought.

Buyer: revenue is tokens served (the lower of demand and capacity) x a
blended price per million tokens that steps down by the yearly decline on
each anniversary; gross margin = revenue - invoices; cash = revenue - payments.
Revenue is dated the last day of each month, payments on their dates.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.fees import Billing
from core.finance import first_month_at_or_above, xirr
from core.parameters import BUYER_REVENUE_TOKENS, CAPEX_FOR_DEAL, Scenario
from core.timeline import Capacity, CapacityOnline, Timeline
from core.tokens import TokenFlows


@dataclass(frozen=True)
class ProviderCosts:
    capex_spent: np.ndarray       # cash out in the month a tranche is bought
    power_cost: np.ndarray
    maintenance: np.ndarray
    staff: np.ndarray
    depreciation: np.ndarray
    book_value: np.ndarray        # at the end of each month
    capex_total: float            # of the tranches online within the term

    @property
    def opex(self) -> np.ndarray:
        return self.maintenance + self.staff


def _accumulated_months(fraction: np.ndarray, age_at_start: np.ndarray, life_months: float):
    """Months of depreciation taken by the end of each month, capped at the life."""
    return np.minimum(age_at_start[:, None] + np.cumsum(fraction, axis=1), life_months)


def provider_costs(scenario: Scenario, timeline: Timeline, capacity: Capacity,
                   facility_mw_online: np.ndarray, bought: bool) -> ProviderCosts:
    hw = scenario.hardware
    n = timeline.months
    in_term = capacity.in_term
    gpu_capex = np.where(in_term, capacity.counts * capacity.capex_per_gpu, 0.0)
    facility_capex = np.where(
        in_term, capacity.counts * capacity.kw / 1000.0 * hw.pue * hw.facility_capex_per_mw, 0.0)
    capex = gpu_capex + facility_capex
    fraction = np.divide(capacity.gpus_by_tranche, capacity.counts[:, None],
                         out=np.zeros_like(capacity.gpus_by_tranche),
                         where=capacity.counts[:, None] > 0)

    capex_spent = np.zeros(n)
    if bought and len(capex):
        np.add.at(capex_spent, np.minimum(capacity.online_month, n - 1)[in_term], capex[in_term])

    # Sunk hardware online before the start has already aged; bought hardware is new.
    online = np.array([np.datetime64(t.online_date, "D") for t in hw.tranches],
                      dtype="datetime64[D]")
    if bought or not len(online):
        age_at_start = np.zeros(len(online))
    else:
        days_before = (timeline.bounds[0] - online).astype(int).astype(float)
        age_at_start = np.clip(days_before, 0, None) / (365.0 / 12.0)

    gpu_life = hw.depreciation_life_years * 12.0
    facility_life = hw.facility_life_years * 12.0
    gpu_rate = gpu_capex * (1.0 - hw.residual_value_pct / 100.0) / gpu_life
    facility_rate = facility_capex / facility_life
    gpu_taken = _accumulated_months(fraction, age_at_start, gpu_life)
    facility_taken = _accumulated_months(fraction, age_at_start, facility_life)
    starting_gpu = np.minimum(age_at_start, gpu_life)
    starting_facility = np.minimum(age_at_start, facility_life)
    depreciation_by_tranche = (
        gpu_rate[:, None] * np.diff(gpu_taken, axis=1, prepend=starting_gpu[:, None])
        + facility_rate[:, None] * np.diff(facility_taken, axis=1,
                                           prepend=starting_facility[:, None]))
    on_books = np.cumsum(fraction > 0, axis=1) > 0
    book_by_tranche = np.where(on_books,
                               capex[:, None] - gpu_rate[:, None] * gpu_taken
                               - facility_rate[:, None] * facility_taken, 0.0)

    capex_online = capex @ fraction if len(capex) else np.zeros(n)
    return ProviderCosts(
        capex_spent=capex_spent,
        power_cost=facility_mw_online * timeline.hours * hw.power_price_per_mwh,
        maintenance=capex_online * hw.maintenance_pct_per_year / 100.0 / 12.0,
        staff=np.full(n, hw.staff_opex_per_month),
        depreciation=depreciation_by_tranche.sum(axis=0),
        book_value=book_by_tranche.sum(axis=0),
        capex_total=float(capex.sum()),
    )


def provider_opportunity_cost(scenario: Scenario, ebitda: np.ndarray, market_rent: np.ndarray,
                               power_cost: np.ndarray, opex: np.ndarray, capex_spent: np.ndarray,
                               terminal_value: np.ndarray) -> np.ndarray:
    """What the capacity would have earned for the provider without the deal,
    month by month, so that economic profit = EBITDA - opportunity cost.

    Capex sunk (the provider owns the capacity anyway): renting the same
    delivered H100-equivalent hours at the market rate (the cloud rate input),
    less the power and opex that renting would take too:
        opportunity cost = market rent - power - opex,
    so economic profit = invoices - market rent.
    Capex bought for the deal: the capacity exists only for it, and its
    opportunity cost is the capital: capex less the hardware's terminal value,
        opportunity cost = capex - terminal value,
    so economic profit = EBITDA - capex + terminal value."""
    if capex_bought_for_deal(scenario):
        return capex_spent - terminal_value
    return market_rent - power_cost - opex


def capex_bought_for_deal(scenario: Scenario) -> bool:
    return scenario.hardware.capex_treatment == CAPEX_FOR_DEAL


def token_price(scenario: Scenario, months: int) -> np.ndarray:
    """Blended price per million tokens, stepping down by the yearly decline on
    each anniversary: price x (1 - decline) ^ (whole years since the start)."""
    pj = scenario.projections
    decline = pj.token_price_decline_pct_per_year / 100.0
    return pj.token_price_per_million * (1.0 - decline) ** (np.arange(months) // 12)


@dataclass(frozen=True)
class BuyerView:
    """The buyer's revenue, margin and cash, and their value at its discount rate."""
    modelled: bool               # False: revenue not modelled (zero here, n/a in key figures)
    token_price: np.ndarray      # $ per million tokens
    revenue: np.ndarray          # tokens served / 1e6 x token price
    revenue_df: np.ndarray       # on the last day of each month
    margin: np.ndarray           # revenue - invoice
    cash_flow: np.ndarray        # revenue - payment
    npv: float                   # sum(revenue x revenue_df) - sum(payment_pv)


def buyer_view(scenario: Scenario, timeline: Timeline, tokens: TokenFlows,
               bill: Billing) -> BuyerView:
    c, pj = scenario.contract, scenario.projections
    n = timeline.months
    price = token_price(scenario, n)
    modelled = pj.buyer_revenue_model == BUYER_REVENUE_TOKENS
    revenue = tokens.tokens_served / 1e6 * price if modelled else np.zeros(n)
    revenue_df = timeline.discount_factors(timeline.last_day, c.discount_rate_pct / 100.0)
    return BuyerView(modelled=modelled, token_price=price, revenue=revenue,
                     revenue_df=revenue_df, margin=revenue - bill.invoice,
                     cash_flow=revenue - bill.payment,
                     npv=float(np.sum(revenue * revenue_df) - np.sum(bill.payment_pv)))


@dataclass(frozen=True)
class ProviderView:
    """The provider's accounts (EBITDA, EBIT), cash, value at its WACC and economic view."""
    bought: bool                 # capex bought for the deal (else sunk)
    costs: ProviderCosts
    ebitda: np.ndarray           # invoice - power - opex
    ebit: np.ndarray             # ebitda - depreciation
    cash_flow: np.ndarray        # payment - power - opex - capex
    terminal_value: np.ndarray   # book value of bought hardware, in the last month
    cash_flow_with_terminal: np.ndarray
    payment_df: np.ndarray       # WACC factors on the payment dates
    start_df: np.ndarray         # WACC factors on each month's first day
    operating_pv: np.ndarray     # (invoice - power - opex) x payment_df
    capex_pv: np.ndarray         # capex x payment_df
    npv: float                   # XNPV of cash_flow_with_terminal at the WACC
    irr: float                   # XIRR of cash_flow_with_terminal on the payment dates
    market_rent: np.ndarray      # delivered GPU-hours of each model x its forward market rent
    opportunity_cost: np.ndarray
    economic_profit: np.ndarray  # ebitda - opportunity cost

    @property
    def cumulative_cash(self) -> np.ndarray:
        return np.cumsum(self.cash_flow)

    @property
    def payback_month(self) -> int | None:
        return first_month_at_or_above(self.cumulative_cash)


def provider_view(scenario: Scenario, timeline: Timeline, capacity: Capacity,
                  online: CapacityOnline, bill: Billing, market_rent: np.ndarray,
                  costs: ProviderCosts | None = None) -> ProviderView:
    """`market_rent`: the delivered GPU-hours at the market's forward rents
    (core/market.py), what the capacity would earn let at market; `costs`:
    provider_costs(scenario, timeline, capacity, online.facility_mw, bought)
    when the caller has it.
    Every provider flow of a month falls on its payment date, so that one
    exported column (cash_flow_with_terminal, dated by payment_date) gives the
    NPV (XNPV at the WACC) and the IRR (XIRR): cash received (invoices and
    deposit) less power, opex and capex, and in the last month the hardware's
    book value when the capex was bought for the deal."""
    c = scenario.contract
    n = timeline.months
    bought = capex_bought_for_deal(scenario)
    if costs is None:
        costs = provider_costs(scenario, timeline, capacity, online.facility_mw, bought)
    ebitda = bill.invoice - costs.power_cost - costs.opex
    cash = bill.payment - costs.power_cost - costs.opex - costs.capex_spent
    rate = c.provider_wacc_pct / 100.0
    payment_df = timeline.discount_factors(bill.payment_date, rate)
    terminal = np.zeros(n)
    if bought and n:
        terminal[-1] = float(costs.book_value[-1])
    flow = cash + terminal
    opportunity = provider_opportunity_cost(scenario, ebitda, market_rent, costs.power_cost,
                                            costs.opex, costs.capex_spent, terminal)
    return ProviderView(
        bought=bought, costs=costs, ebitda=ebitda, ebit=ebitda - costs.depreciation,
        cash_flow=cash, terminal_value=terminal, cash_flow_with_terminal=flow,
        payment_df=payment_df,
        start_df=timeline.discount_factors(timeline.month_start, rate),
        operating_pv=ebitda * payment_df, capex_pv=costs.capex_spent * payment_df,
        npv=float(np.sum(flow * payment_df)), irr=xirr(flow, bill.payment_date),
        market_rent=market_rent, opportunity_cost=opportunity,
        economic_profit=ebitda - opportunity)
