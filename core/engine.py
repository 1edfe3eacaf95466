"""The engine: pure functions from a Scenario to Results.

Everything is computed as numpy arrays over the contract's months; there is no
loop over months.  Each concern is computed by its own module and returned as
its own record, and `compute()` is the sequence of those calls:

    timeline, capacity  core/timeline.py   (months; tranches online; CapacityOnline)
    tokens              core/tokens.py     (TokenFlows: capacity against demand)
    billing             core/fees.py       (Billing: fee, credits, invoice, deposit, PV)
    buyer, provider     core/economics.py  (BuyerView, ProviderView)
    termination         core/termination.py (TerminationCurves)
    alternatives, lease core/alternatives.py (AlternativesView, LeaseView)
    market              core/market.py     (MarketView: forward rents, mark-to-market)
    credit              core/credit.py     (CreditView: exposures, expected credit losses)

this module lays the records out as the monthly schedule (the CSV's columns)
and the key figures.  The steps an edit does not feed (the timeline, the
fleet, the provider's costs, tokens, delivered value, the notice schedule)
are kept between calls, keyed on the inputs they read (core/kept.py).  Conventions (DOMAIN.md):

- period i starts on the start date plus i months; hours are actual days x 24;
- the fee (by pricing mode) steps up by the escalator on each anniversary,
  and the first `intro_months` are billed at a discount; SLA credits reduce
  the invoice; a deposit is paid on the start date;
- walk-away exposure when notice is given on the first day of month k is the
  buyer's invoices still due: each month in the share of its own days before
  the notice ends (never after the term), plus the termination fee (months of
  the fee then in force) unless the notice only reaches the term's end; the
  whole remaining contract when the buyer has no right to terminate
  (core/termination.py; the cost of ending is the invoices before k plus it);
- a tranche counts from its online date, prorated by days in its first month;
- delivered GPU-hours = GPUs online x hours x availability;
- token capacity = GPUs x tokens/s x availability x utilization; tokens served
  are the lower of demand and capacity;
- cost per million tokens = invoices / token capacity; the break-even token
  price = invoices / tokens served (what the buyer must charge on the tokens
  it sells to cover the fee);
- NPV discounts each flow on its actual date, (1 + r) ^ (-days / 365) from
  the start date, as XNPV does; payments in advance fall on the first day of
  the period, in arrears on the last; the buyer's revenue on the last day;
- an invoice plan, when given, is the fee in force for the months it names
  (core/fees.py says how credits, deposit and termination treat it); a
  demand plan is the demand in the months it names (core/tokens.py).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from core import alternatives, credit, economics, fees, market, termination
from core.kept import Kept
from core.parameters import PRICING_GPU_HOUR, Scenario
from core.timeline import (Capacity, CapacityOnline, Timeline, build_capacity, build_timeline,
                           capacity_online, h100e_weighting_label)
from core.tokens import TokenFlows, token_flows

if TYPE_CHECKING:
    import pandas as pd

# A figure that has no meaning for the scenario: null in JSON, "n/a" on screen.
NOT_APPLICABLE = float("nan")

fee_schedule = fees.fee_schedule


@dataclass(frozen=True)
class MonthlySchedule:
    """One row a month; every array has the term's length."""
    month_start: np.ndarray           # datetime64[D]
    days: np.ndarray
    payment_date: np.ndarray          # datetime64[D]
    monthly_fee: np.ndarray           # the fee in force before credits ($)
    service_credit: np.ndarray        # $
    invoice: np.ndarray               # fee less credits ($)
    deposit_flow: np.ndarray          # deposit paid (+) or applied / returned (-) ($)
    payment: np.ndarray               # cash the buyer pays: invoice + deposit flow ($)
    cumulative_payment: np.ndarray    # $
    walkaway_exposure: np.ndarray     # $ the buyer pays from notice on the period's first day
    discount_factor: np.ndarray       # buyer's rate, on the payment date
    payment_pv: np.ndarray            # $
    cumulative_payment_pv: np.ndarray  # $
    gpus_online: np.ndarray           # average over the month
    gpus_by_model: dict[str, np.ndarray]
    h100e_online: np.ndarray
    it_mw_online: np.ndarray
    facility_mw_online: np.ndarray
    power_over_contract: np.ndarray   # bool
    gpu_hours_delivered: np.ndarray
    h100e_hours_delivered: np.ndarray
    price_per_gpu_hour: np.ndarray    # $ (NaN with no GPUs)
    price_per_h100e_hour: np.ndarray
    capacity_tokens_per_s: np.ndarray
    demand_tokens_per_s: np.ndarray
    surplus_tokens_per_s: np.ndarray  # negative = shortfall
    tokens_capacity: np.ndarray
    tokens_served: np.ndarray
    cost_per_million_tokens: np.ndarray
    breakeven_token_price: np.ndarray
    token_price: np.ndarray           # buyer's blended price per million tokens
    buyer_revenue: np.ndarray
    buyer_margin: np.ndarray          # revenue - invoice
    buyer_cash_flow: np.ndarray       # revenue - payment
    buyer_cumulative_cash: np.ndarray
    provider_revenue: np.ndarray      # invoices (after SLA credits)
    power_cost: np.ndarray
    opex: np.ndarray                  # maintenance + staff
    depreciation: np.ndarray
    provider_ebitda: np.ndarray
    provider_ebit: np.ndarray
    provider_capex: np.ndarray        # spent for the deal (0 when sunk)
    provider_cash_flow: np.ndarray    # cash received - power - opex - capex (no terminal value)
    provider_terminal_value: np.ndarray  # book value of hardware bought for the deal, last month
    provider_cash_flow_with_terminal: np.ndarray  # XIRR of it on payment_date = provider_irr
    provider_cumulative_cash: np.ndarray
    provider_market_rent: np.ndarray  # the same delivered GPU-hours at the market's forward rents
    provider_opportunity_cost: np.ndarray  # sunk: market rent - power - opex; bought: capex - terminal
    provider_economic_profit: np.ndarray   # EBITDA - opportunity cost
    book_value: np.ndarray            # provider's hardware, end of month
    termination_cost: np.ndarray      # buyer's total payments if it walks away this month
    termination_saving: np.ndarray    # against running to term
    termination_end_date: np.ndarray  # datetime64[D]: the day payments would stop
    buyer_npv_if_ended: np.ndarray
    provider_npv_if_ended: np.ndarray
    cloud_cost: np.ndarray            # renting the same GPU-hours at the market's forward rents
    build_cost: np.ndarray            # capex + power + opex of building it
    cumulative_cloud_cost: np.ndarray
    cumulative_build_cost: np.ndarray
    lease_payment: np.ndarray         # payments within the lease term
    in_lease_term: np.ndarray         # bool
    lease_liability: np.ndarray       # opening balance
    lease_interest: np.ndarray
    lease_closing: np.ndarray
    market_rent_per_gpu_hour: np.ndarray   # the fleet's forward market rent, by its GPU-hours
    buyer_mtm: np.ndarray             # (market value - invoice) x buyer's discount factor
    cumulative_buyer_mtm: np.ndarray
    provider_mtm: np.ndarray          # the negative of the buyer's

    COLUMNS: ClassVar[tuple[str, ...]]   # set below, from the fields

    def __len__(self) -> int:
        return len(self.payment)

    @classmethod
    def columns(cls) -> tuple[str, ...]:
        """Columns of the CSV and DataFrame, in order (every array field)."""
        return tuple(f.name for f in dataclasses.fields(cls) if f.name != "gpus_by_model")

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd   # here, not at the top: only frames need it (0.15-0.3 s at start-up)
        frame = pd.DataFrame({name: getattr(self, name) for name in self.columns()})
        frame.insert(0, "month", np.arange(1, len(self) + 1))
        return frame


MonthlySchedule.COLUMNS = MonthlySchedule.columns()


@dataclass(frozen=True)
class KeyFigures:
    total_contract_value: float
    annual_run_rate: float
    average_monthly_fee: float            # the contract value spread evenly over the term
    term_months: int
    walkaway_exposure: float              # the buyer's, notice on the start date
    walkaway_exposure_basis: str          # whose exposure and what it counts, one sentence
    price_per_gpu_hour: float
    price_per_h100e_hour: float
    price_per_mw_month: float
    cost_per_million_tokens: float
    breakeven_token_price: float
    npv_payments: float
    fleet_it_mw: float
    facility_mw: float
    contracted_mw: float
    gpus: int
    h100_equivalents: float
    h100e_weighting: str                  # what every H100e and $/H100e figure is weighted by
    gpu_hours_delivered: float
    tokens_served: float
    shortfall_months: int
    token_price_per_million: float        # at the start
    buyer_revenue: float
    buyer_margin: float
    buyer_npv: float
    provider_revenue: float
    provider_ebitda: float
    provider_ebit: float
    provider_capex: float                 # of the fleet, whether sunk or bought
    provider_npv: float
    provider_irr: float                   # annual, on actual dates; NaN with no investment
    provider_payback_month: int | None
    provider_opportunity_cost: float      # the capacity's other use (economic view)
    provider_economic_profit: float       # EBITDA - opportunity cost
    provider_economic_npv: float          # the same, monthly, discounted at the WACC
    provider_book_value_at_end: float
    expected_contract_value: float
    termination_notice_month: int         # notice given this many months after the start
    termination_cost_at_notice_month: float    # NaN (null) when the term is not longer
    termination_saving_at_notice_month: float
    lease_liability: float
    lease_term_months: int
    lease_term_reason: str                # one sentence: the rights that set the term
    cloud_cost: float
    build_cost: float
    cloud_cost_pv: float                  # at the buyer's rate, each month on its payment date
    build_cost_pv: float                  # likewise: compare with npv_payments
    breakeven_month_vs_cloud: int | None  # lease and cloud cumulative costs cross
    breakeven_cloud_rate: float           # cloud $/H100-hour at which renting costs the same
    build_crossover_month: int | None     # lease and build cumulative costs cross
    contract_premium_over_market_pct: float   # contract value / market value of its hours - 1
    market_rent_per_gpu_hour: float       # the market value of the delivered hours / the hours
    buyer_mark_to_market: float           # Σ (market value - invoice) x discount factor
    provider_mark_to_market: float        # the negative

    def as_dict(self) -> dict:
        out = dataclasses.asdict(self)
        # JSON has no NaN: an undefined ratio is null.
        return {k: (None if isinstance(v, float) and not np.isfinite(v) else v)
                for k, v in out.items()}


@dataclass(frozen=True)
class Results:
    scenario: Scenario
    schedule: MonthlySchedule
    key_figures: KeyFigures
    warnings: tuple[str, ...]
    credit: credit.CreditFigures      # declared in core.figures.CREDIT_FIGURES
    credit_by_month: dict[str, np.ndarray]   # core.figures.CREDIT_SERIES, one value a month
    # What each warning is about: the part of the scenario ("contract",
    # "hardware", "projections") whose inputs and plots it concerns, so that a
    # view shows it once, where it matters, not as a banner on every screen.
    warning_concerns: tuple[str, ...] = ()


def _ratio(numerator, denominator):
    """numerator / denominator, NaN where the denominator is not positive (a
    float for two numbers, else an array)."""
    if np.ndim(numerator) == 0 and np.ndim(denominator) == 0:
        d = float(denominator)
        return float(numerator) / d if d > 0 else NOT_APPLICABLE
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.full(np.broadcast(numerator, denominator).shape, np.nan)
    return np.divide(numerator, denominator, out=out, where=denominator > 0)


def compute(scenario: Scenario) -> Results:
    """The schedule and key figures, one concern at a time; each step is a
    module's function that returns its own record."""
    parts = records(scenario)
    schedule = _schedule(parts)
    key_figures = _key_figures(scenario, parts)
    found = _warnings(scenario, key_figures, schedule, parts.market.warnings)
    concerns, warnings = zip(*found) if found else ((), ())
    return Results(scenario, schedule, key_figures, tuple(warnings),
                   credit=credit.credit_figures(parts.credit, key_figures.buyer_npv,
                                                key_figures.provider_npv),
                   credit_by_month=parts.credit.by_month(), warning_concerns=tuple(concerns))


def records(scenario: Scenario) -> "_Parts":
    """Every step's record (timeline, capacity, billing, both sides, termination,
    alternatives, lease): the engine's working, for a reader that needs more
    than the schedule's columns (the workbook's cached intermediate steps).
    The steps that read neither the fees nor the rates are kept between calls
    (`_kept_steps`): a fee edit builds only what the fee changes."""
    kept, bill, buyer, markets, provider, curves = _priced_steps(scenario)
    timeline, capacity, online = kept.timeline, kept.capacity, kept.online
    options = alternatives.alternatives_view(scenario, timeline, capacity, online, bill,
                                             kept.build_costs, markets.market_value)
    lease = alternatives.lease_view(
        scenario, timeline, bill.invoice, bill.payment_date,
        curves.paid_fraction[0] if timeline.months else np.zeros(0),
        notice_penalty=termination.notice_penalty_at_start(scenario, curves, bill.fee))
    credits = credit.credit_view(scenario.credit, scenario.market,
                                 _credit_flows(scenario, timeline, bill, buyer, markets, curves))
    return _Parts(timeline, capacity, online, kept.tokens, bill, buyer, provider, curves, options,
                  lease, markets, credits)


def _priced_steps(scenario: Scenario):
    """The steps both `records` and `credit_flows` build on the kept ones:
    billing, both sides' views, the market's and the termination curves."""
    kept = _kept_steps(scenario)
    timeline, capacity, online = kept.timeline, kept.capacity, kept.online
    bill = fees.billing(scenario, timeline, online)
    buyer = economics.buyer_view(scenario, timeline, kept.tokens, bill)
    markets = market.market_view(scenario, timeline.day_start, timeline.hours,
                                 capacity.gpus_by_model, bill.invoice, bill.payment_df,
                                 delivered=kept.delivered)
    provider = economics.provider_view(scenario, timeline, capacity, online, bill,
                                       markets.market_value, costs=kept.provider_costs)
    curves = termination.termination_view(scenario, timeline, bill, buyer, provider,
                                          notice=kept.notice)
    return kept, bill, buyer, markets, provider, curves


@dataclass(frozen=True)
class _KeptSteps:
    """The steps of `records` that read neither the fees nor the discount
    rates, for one scenario (each array read-only: shared between computes)."""
    timeline: Timeline
    capacity: Capacity
    online: CapacityOnline
    tokens: TokenFlows
    delivered: market.DeliveredValue
    provider_costs: economics.ProviderCosts      # as the provider's capex is treated
    build_costs: economics.ProviderCosts         # as if bought for the deal (building it)
    notice: termination.NoticeSchedule


# The last few scenarios' steps, each keyed on exactly the inputs it reads
# (core/kept.py): the timeline on the start date and term; the fleet and the
# provider's costs on those and the hardware, and with each fleet its tokens
# by the projections and its delivered value by the market (so the hardware,
# whose hash walks every tranche, is hashed once a compute); the notice
# schedule on the term, the notice period and who may terminate.  Kept few: a
# 240-month notice schedule holds 240 x 240 arrays (and core/credit.py's
# windows kept with them).
_TIMELINES = Kept(8)
_FLEETS = Kept(8)
_NOTICES = Kept(8)


def _kept_steps(scenario: Scenario) -> _KeptSteps:
    c, hw = scenario.contract, scenario.hardware
    when = (c.start_date, c.term_months)
    timeline = _TIMELINES.get(when, lambda: build_timeline(scenario))

    def fleet():
        capacity = build_capacity(scenario, timeline)
        online = capacity_online(scenario, timeline, capacity)
        bought = economics.capex_bought_for_deal(scenario)
        build = economics.provider_costs(scenario, timeline, capacity, online.facility_mw,
                                         bought=True)
        own = build if bought else economics.provider_costs(
            scenario, timeline, capacity, online.facility_mw, bought=False)
        return capacity, online, own, build, Kept(4), Kept(4)
    capacity, online, own_costs, build_costs, tokens_by, delivered_by = _FLEETS.get((when, hw),
                                                                                   fleet)
    tokens = tokens_by.get(scenario.projections,
                           lambda: token_flows(scenario, timeline, capacity))
    delivered = delivered_by.get(scenario.market, lambda: market.delivered_value(
        scenario, timeline.day_start, timeline.hours, capacity.gpus_by_model))
    notice = _NOTICES.get((when, c.notice_days, c.terminating_party),
                          lambda: termination.notice_schedule(scenario, timeline))
    return _KeptSteps(timeline, capacity, online, tokens, delivered, own_costs, build_costs,
                      notice)


@dataclass(frozen=True)
class _Parts:
    """The records compute() gathers, one per concern."""
    timeline: Timeline
    capacity: Capacity
    online: CapacityOnline
    tokens: TokenFlows
    bill: fees.Billing
    buyer: economics.BuyerView
    provider: economics.ProviderView
    curves: termination.TerminationCurves
    options: alternatives.AlternativesView
    lease: alternatives.LeaseView
    market: market.MarketView
    credit: credit.CreditView


def credit_flows(scenario: Scenario) -> credit.DealFlows:
    """The deal's monthly figures core/credit.py reads, from the scenario alone
    (the simulated credit losses on the rights' market paths, the portfolio's
    joint simulation): the steps of `records` they need, not the alternatives,
    the lease or the credit view itself."""
    kept, bill, buyer, markets, provider, curves = _priced_steps(scenario)
    timeline = kept.timeline
    return _credit_flows(scenario, timeline, bill, buyer, markets, curves)


def _credit_flows(scenario: Scenario, t: Timeline, b: fees.Billing, buyer: economics.BuyerView,
                  m: market.MarketView, curves: termination.TerminationCurves
                  ) -> credit.DealFlows:
    """The monthly figures core/credit.py's exposures read."""
    c = scenario.contract
    n = t.months
    rate_b, rate_p = c.discount_rate_pct / 100.0, c.provider_wacc_pct / 100.0
    held = b.deposit.paid - np.cumsum(b.deposit.applied)
    return credit.DealFlows(
        invoice=b.invoice, revenue=buyer.revenue if buyer.modelled else np.zeros(n),
        market_value=m.market_value,
        gpu_hours=np.sum(list(m.gpu_hours_by_model.values()), axis=0) if m.gpu_hours_by_model
        else np.zeros(n),
        df_buyer=b.payment_df,
        df_provider=t.discount_factors(b.payment_date, rate_p),
        start_df_buyer=t.discount_factors(t.month_start, rate_b),
        start_df_provider=t.discount_factors(t.month_start, rate_p),
        paid=curves.paid_fraction,
        fee_if_early=np.where(curves.ends_early, c.termination_fee_months * b.fee, 0.0),
        deposit_held=np.maximum(held, 0.0), advance=c.payment_timing == "advance",
        buyer_may_walk=termination.party_may_end(scenario, "buyer"),
        provider_may_walk=termination.party_may_end(scenario, "provider"),
        years=t.day_start / credit.DAYS_PER_YEAR)


def _schedule(p: _Parts) -> MonthlySchedule:
    """The records laid out one row a month (the CSV's columns)."""
    t, o, tk, b, buyer, pv, costs = (p.timeline, p.online, p.tokens, p.bill, p.buyer, p.provider,
                                     p.provider.costs)
    return MonthlySchedule(
        month_start=t.month_start, days=t.days, payment_date=b.payment_date,
        monthly_fee=b.fee, service_credit=b.credit, invoice=b.invoice,
        deposit_flow=b.deposit_by_month, payment=b.payment,
        cumulative_payment=b.cumulative_payment,
        walkaway_exposure=p.curves.walkaway_exposure,
        discount_factor=b.payment_df, payment_pv=b.payment_pv,
        cumulative_payment_pv=np.cumsum(b.payment_pv),
        gpus_online=o.gpus_online, gpus_by_model=dict(p.capacity.gpus_by_model),
        h100e_online=o.h100e_online, it_mw_online=o.it_mw, facility_mw_online=o.facility_mw,
        power_over_contract=o.power_over_contract,
        gpu_hours_delivered=o.gpu_hours, h100e_hours_delivered=o.h100e_hours,
        price_per_gpu_hour=_ratio(b.invoice, o.gpu_hours),
        price_per_h100e_hour=_ratio(b.invoice, o.h100e_hours),
        capacity_tokens_per_s=tk.capacity_tokens_per_s,
        demand_tokens_per_s=tk.demand_tokens_per_s,
        surplus_tokens_per_s=tk.capacity_tokens_per_s - tk.demand_tokens_per_s,
        tokens_capacity=tk.tokens_capacity, tokens_served=tk.tokens_served,
        cost_per_million_tokens=_ratio(b.invoice * 1e6, tk.tokens_capacity),
        breakeven_token_price=_ratio(b.invoice * 1e6, tk.tokens_served),
        token_price=buyer.token_price,
        # Not modelled: n/a (blank in the CSV) here as in the key figures (core/conventions.py).
        buyer_revenue=buyer.revenue if buyer.modelled else np.full(t.months, NOT_APPLICABLE),
        buyer_margin=buyer.margin if buyer.modelled else np.full(t.months, NOT_APPLICABLE),
        buyer_cash_flow=buyer.cash_flow, buyer_cumulative_cash=np.cumsum(buyer.cash_flow),
        provider_revenue=b.invoice, power_cost=costs.power_cost, opex=costs.opex,
        depreciation=costs.depreciation, provider_ebitda=pv.ebitda, provider_ebit=pv.ebit,
        provider_capex=costs.capex_spent, provider_cash_flow=pv.cash_flow,
        provider_terminal_value=pv.terminal_value,
        provider_cash_flow_with_terminal=pv.cash_flow_with_terminal,
        provider_cumulative_cash=pv.cumulative_cash, book_value=costs.book_value,
        provider_market_rent=pv.market_rent, provider_opportunity_cost=pv.opportunity_cost,
        provider_economic_profit=pv.economic_profit,
        termination_cost=p.curves.termination_cost,
        termination_saving=p.curves.termination_saving,
        termination_end_date=p.curves.end_date,
        buyer_npv_if_ended=p.curves.buyer_npv_if_ended,
        provider_npv_if_ended=p.curves.provider_npv_if_ended,
        cloud_cost=p.options.cloud_cost, build_cost=p.options.build_cost,
        cumulative_cloud_cost=np.cumsum(p.options.cloud_cost),
        cumulative_build_cost=np.cumsum(p.options.build_cost),
        lease_payment=p.lease.payment, in_lease_term=p.lease.in_term,
        lease_liability=p.lease.opening,
        lease_interest=p.lease.interest, lease_closing=p.lease.closing,
        market_rent_per_gpu_hour=p.market.market_rent_per_gpu_hour,
        buyer_mtm=p.market.buyer_mtm, cumulative_buyer_mtm=np.cumsum(p.market.buyer_mtm),
        provider_mtm=p.market.provider_mtm,
    )


def _key_figures(scenario: Scenario, p: _Parts) -> KeyFigures:
    """Totals and ratios over the term; n/a (NaN) where a figure has no meaning."""
    c, hw = scenario.contract, scenario.hardware
    n = p.timeline.months
    o, tk, b, buyer, pv, curves = p.online, p.tokens, p.bill, p.buyer, p.provider, p.curves
    total = float(b.invoice.sum())
    notice_at = c.termination_notice_month
    notice_in_term = notice_at < n
    return KeyFigures(
        total_contract_value=total,
        annual_run_rate=fees.annual_run_rate(b.fee),
        average_monthly_fee=_ratio(total, n),
        term_months=n,
        walkaway_exposure=float(curves.walkaway_exposure[0]) if n else 0.0,
        walkaway_exposure_basis=termination.exposure_basis(scenario),
        price_per_gpu_hour=_ratio(total, o.gpu_hours.sum()),
        price_per_h100e_hour=_ratio(total, o.h100e_hours.sum()),
        price_per_mw_month=_ratio(total, hw.contracted_mw * n),
        cost_per_million_tokens=_ratio(total * 1e6, tk.tokens_capacity.sum()),
        breakeven_token_price=_ratio(total * 1e6, tk.tokens_served.sum()),
        npv_payments=float(b.payment_pv.sum()),
        fleet_it_mw=o.fleet_it_mw,
        facility_mw=o.fleet_it_mw * hw.pue,
        contracted_mw=hw.contracted_mw,
        gpus=int(o.fleet_counts.sum()),
        h100_equivalents=float(p.capacity.h100e @ o.fleet_counts),
        h100e_weighting=h100e_weighting_label(scenario),
        gpu_hours_delivered=float(o.gpu_hours.sum()),
        tokens_served=float(tk.tokens_served.sum()),
        shortfall_months=tk.shortfall_months,
        token_price_per_million=scenario.projections.token_price_per_million,
        buyer_revenue=float(buyer.revenue.sum()) if buyer.modelled else NOT_APPLICABLE,
        buyer_margin=float(buyer.margin.sum()) if buyer.modelled else NOT_APPLICABLE,
        buyer_npv=buyer.npv if buyer.modelled else NOT_APPLICABLE,
        provider_revenue=total,
        provider_ebitda=float(pv.ebitda.sum()),
        provider_ebit=float(pv.ebit.sum()),
        provider_capex=pv.costs.capex_total,
        provider_npv=pv.npv,
        provider_irr=pv.irr,
        provider_payback_month=pv.payback_month,
        provider_opportunity_cost=float(pv.opportunity_cost.sum()),
        provider_economic_profit=float(pv.economic_profit.sum()),
        provider_economic_npv=float(np.sum(pv.economic_profit * pv.payment_df)),
        provider_book_value_at_end=float(pv.costs.book_value[-1]),
        expected_contract_value=curves.expected_contract_value,
        termination_notice_month=notice_at,
        termination_cost_at_notice_month=(float(curves.termination_cost[notice_at])
                                          if notice_in_term else NOT_APPLICABLE),
        termination_saving_at_notice_month=(float(curves.termination_saving[notice_at])
                                            if notice_in_term else NOT_APPLICABLE),
        lease_liability=p.lease.liability,
        lease_term_months=p.lease.term_months,
        lease_term_reason=p.lease.reason,
        cloud_cost=float(p.options.cloud_cost.sum()),
        build_cost=float(p.options.build_cost.sum()),
        cloud_cost_pv=p.options.cloud_cost_pv,
        build_cost_pv=p.options.build_cost_pv,
        breakeven_month_vs_cloud=p.options.breakeven_month_vs_cloud,
        breakeven_cloud_rate=_ratio(total, o.h100e_hours.sum()),
        build_crossover_month=p.options.build_crossover_month,
        contract_premium_over_market_pct=p.market.premium_over_market_pct,
        market_rent_per_gpu_hour=_ratio(float(p.market.market_value.sum()), o.gpu_hours.sum()),
        buyer_mark_to_market=p.market.buyer_total,
        provider_mark_to_market=p.market.provider_total,
    )


def _warnings(scenario: Scenario, figures: KeyFigures, schedule: MonthlySchedule,
              market_warnings: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(concern, text) of each warning: the part of the scenario it is about
    (the market's: the Market tab's)."""
    hw = scenario.hardware
    warnings: list[tuple[str, str]] = [("market", text) for text in market_warnings]
    over = schedule.power_over_contract
    if over.any():
        first = int(np.argmax(over))
        warnings.append(("hardware",
            f"The fleet draws {schedule.facility_mw_online.max():,.0f} MW at the meter "
            f"({schedule.it_mw_online.max():,.0f} MW IT x PUE {hw.pue:g}), more than the contracted "
            f"{hw.contracted_mw:,.0f} MW, from {schedule.month_start[first]}."))
    if figures.shortfall_months:
        warnings.append(("projections",
                         f"Demand exceeds capacity in {figures.shortfall_months} of "
                         f"{figures.term_months} months."))
    if schedule.service_credit.any():
        warnings.append(("contract",
                         f"Availability {hw.availability_pct:g}% is below the SLA's "
                         f"{scenario.contract.sla_availability_pct:g}%: service credits apply."))
    elif (scenario.contract.pricing_mode == PRICING_GPU_HOUR
          and hw.availability_pct < scenario.contract.sla_availability_pct):
        warnings.append(("contract",
                         f"Availability {hw.availability_pct:g}% is below the SLA's "
                         f"{scenario.contract.sla_availability_pct:g}%: per-GPU-hour pricing "
                         f"bills only delivered hours, so no service credit is added."))
    for plan, name, concern in ((scenario.contract.invoice_plan, "invoice plan", "contract"),
                                (scenario.projections.demand_plan, "demand plan",
                                 "projections")):
        late = sorted(e.month for e in plan if e.month > figures.term_months)
        if late:
            shown = ", ".join(str(m) for m in late[:5]) + (" ..." if len(late) > 5 else "")
            warnings.append((concern, f"The {name} has {len(late)} month(s) after the "
                             f"{figures.term_months}-month term ({shown}); they have no effect."))
    return warnings
