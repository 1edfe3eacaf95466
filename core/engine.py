"""The engine: pure functions from a Scenario to Results.

Everything is computed as numpy arrays over the contract's months; there is no
loop over months.  The pieces live in their own modules (timeline, fees,
economics, termination, alternatives); this one puts them together into the
monthly schedule and the key figures.  Conventions (DOMAIN.md):

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
  the period, in arrears on the last; the buyer's revenue on the last day.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core import alternatives, economics, fees, termination
from core.finance import discount_factors, first_crossing, first_month_at_or_above, xirr
from core.parameters import BUYER_REVENUE_TOKENS, PARTY_BUYER, PRICING_GPU_HOUR, Scenario
from core.timeline import build_capacity, build_timeline, h100e_weighting_label

DAYS_PER_YEAR = 365.0
# A figure that has no meaning for the scenario: null in JSON, "n/a" on screen.
NOT_APPLICABLE = float("nan")
# Facility power may exceed the contract by this much before we warn (rounding).
POWER_TOLERANCE_MW = 1e-6

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
    provider_market_rent: np.ndarray  # the same delivered H100e-hours at the cloud rate
    provider_opportunity_cost: np.ndarray  # sunk: market rent - power - opex; bought: capex - terminal
    provider_economic_profit: np.ndarray   # EBITDA - opportunity cost
    book_value: np.ndarray            # provider's hardware, end of month
    termination_cost: np.ndarray      # buyer's total payments if it walks away this month
    termination_saving: np.ndarray    # against running to term
    termination_end_date: np.ndarray  # datetime64[D]: the day payments would stop
    buyer_npv_if_ended: np.ndarray
    provider_npv_if_ended: np.ndarray
    cloud_cost: np.ndarray            # renting the same H100-equivalent hours on demand
    build_cost: np.ndarray            # capex + power + opex of building it
    cumulative_cloud_cost: np.ndarray
    cumulative_build_cost: np.ndarray
    lease_payment: np.ndarray         # payments within the lease term
    in_lease_term: np.ndarray         # bool
    lease_liability: np.ndarray       # opening balance
    lease_interest: np.ndarray
    lease_closing: np.ndarray

    def __len__(self) -> int:
        return len(self.payment)

    @classmethod
    def columns(cls) -> tuple[str, ...]:
        """Columns of the CSV and DataFrame, in order (every array field)."""
        return tuple(f.name for f in dataclasses.fields(cls) if f.name != "gpus_by_model")

    def to_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame({name: getattr(self, name) for name in self.columns()})
        frame.insert(0, "month", np.arange(1, len(self) + 1))
        return frame


MonthlySchedule.COLUMNS = MonthlySchedule.columns()


@dataclass(frozen=True)
class KeyFigures:
    total_contract_value: float
    annual_run_rate: float
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


def _ratio(numerator, denominator):
    """numerator / denominator, NaN where the denominator is zero."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0),
                       np.nan)
    return out if out.ndim else float(out)


def compute(scenario: Scenario) -> Results:
    c, hw, pj = scenario.contract, scenario.hardware, scenario.projections
    n = c.term_months
    timeline = build_timeline(scenario)
    capacity = build_capacity(scenario, timeline)
    month_start = timeline.month_start

    # Capacity online.
    availability = hw.availability_pct / 100.0
    utilization = hw.utilization_pct / 100.0
    gpus = capacity.gpus_by_tranche
    gpus_online = gpus.sum(axis=0)
    h100e_online = capacity.h100e @ gpus
    it_mw = capacity.kw @ gpus / 1000.0
    facility_mw = it_mw * hw.pue
    power_over = facility_mw > hw.contracted_mw + POWER_TOLERANCE_MW
    fleet_counts = np.where(capacity.in_term, capacity.counts, 0.0)
    fleet_it_mw = float(capacity.kw @ fleet_counts / 1000.0)
    gpu_hours = gpus_online * timeline.hours * availability
    h100e_hours = h100e_online * timeline.hours * availability
    capacity_tps = (capacity.tokens_per_s @ gpus) * availability * utilization
    demand_tps = pj.demand_tokens_per_s * (1.0 + pj.demand_growth_pct_per_month / 100.0) ** np.arange(n)
    tokens_capacity = capacity_tps * timeline.seconds
    tokens_served = np.minimum(demand_tps, capacity_tps) * timeline.seconds

    # What the buyer is billed and pays.
    capacity_share = it_mw / fleet_it_mw if fleet_it_mw > 0 else np.zeros(n)
    fee = fees.fee_in_force(scenario, gpu_hours, capacity_share)
    credit = fees.service_credits(scenario, fee)
    invoice = fee - credit
    deposit_flows = fees.deposit_flows(scenario, invoice)
    deposit = deposit_flows.net_by_month()
    payment = invoice + deposit
    cumulative = np.cumsum(payment)
    payment_date = month_start if c.payment_timing == "advance" else timeline.last_day
    buyer_rate = c.discount_rate_pct / 100.0
    provider_rate = c.provider_wacc_pct / 100.0
    payment_df = discount_factors(payment_date, c.start_date, buyer_rate)
    term_end_df = discount_factors(timeline.bounds[-1:], c.start_date, buyer_rate)
    payment_pv = invoice * payment_df + _deposit_pv_by_month(deposit_flows, payment_df,
                                                             term_end_df)

    # The buyer's side.
    token_price = economics.token_price(scenario, n)
    revenue_modelled = pj.buyer_revenue_model == BUYER_REVENUE_TOKENS
    # Not modelled: no revenue in the schedule (cash is the payments alone) and
    # the buyer's revenue, margin and NPV are n/a in the key figures.
    revenue = tokens_served / 1e6 * token_price if revenue_modelled else np.zeros(n)
    revenue_df = discount_factors(timeline.last_day, c.start_date, buyer_rate)
    buyer_cash = revenue - payment
    buyer_npv = float(np.sum(revenue * revenue_df) - np.sum(payment_pv))

    # The provider's side.
    bought = economics.capex_bought_for_deal(scenario)
    costs = economics.provider_costs(scenario, timeline, capacity, facility_mw, bought)
    ebitda = invoice - costs.power_cost - costs.opex
    ebit = ebitda - costs.depreciation
    provider_cash = payment - costs.power_cost - costs.opex - costs.capex_spent
    provider_payment_df = discount_factors(payment_date, c.start_date, provider_rate)
    provider_start_df = discount_factors(month_start, c.start_date, provider_rate)
    end_df = discount_factors(timeline.bounds[1:], c.start_date, provider_rate)
    operating_pv = (invoice - costs.power_cost - costs.opex) * provider_payment_df
    capex_pv = costs.capex_spent * provider_payment_df
    # The provider's flows of a month all fall on its payment date, so that one
    # exported column (provider_cash_flow_with_terminal, dated by payment_date)
    # reproduces the provider's NPV (XNPV at the WACC) and IRR (XIRR): cash
    # received (invoices and deposit) less power, opex and capex, and in the
    # last month the hardware's book value when the capex was bought for the deal.
    terminal = np.zeros(n)
    if bought and n:
        terminal[-1] = float(costs.book_value[-1])
    provider_flow = provider_cash + terminal
    provider_npv = float(np.sum(provider_flow * provider_payment_df))
    provider_irr = xirr(provider_flow, payment_date)
    provider_cumulative = np.cumsum(provider_cash)
    market_rent = h100e_hours * pj.cloud_rate_per_h100_hour
    opportunity = economics.provider_opportunity_cost(
        scenario, ebitda, market_rent, costs.power_cost, costs.opex, costs.capex_spent, terminal)
    economic_profit = ebitda - opportunity

    # Ending early.
    curves = termination.termination_curves(
        scenario, timeline, fee=fee, invoice=invoice, revenue_pv=revenue * revenue_df,
        invoice_pv_buyer=invoice * payment_df,
        start_df_buyer=discount_factors(month_start, c.start_date, buyer_rate),
        provider_operating_pv=operating_pv, provider_capex_pv=capex_pv,
        provider_book_value=costs.book_value, provider_bought=bought,
        end_df_provider=provider_payment_df, start_df_provider=provider_start_df)

    # The buyer's alternatives on the same delivered compute, and the lease view.
    cloud_cost = h100e_hours * pj.cloud_rate_per_h100_hour
    build = costs if bought else economics.provider_costs(
        scenario, timeline, capacity, facility_mw, bought=True)
    build_cost = build.capex_spent + build.power_cost + build.opex
    lease = alternatives.lease_view(
        scenario, timeline, invoice, payment_date,
        curves.paid_fraction[0] if n else np.zeros(0),
        notice_penalty=(c.termination_fee_months * float(fee[0])
                        if n and termination.party_may_end(scenario, PARTY_BUYER)
                        and curves.ends_early[0] else 0.0))

    schedule = MonthlySchedule(
        month_start=month_start, days=timeline.days, payment_date=payment_date,
        monthly_fee=fee, service_credit=credit, invoice=invoice, deposit_flow=deposit,
        payment=payment, cumulative_payment=cumulative,
        walkaway_exposure=curves.walkaway_exposure,
        discount_factor=payment_df, payment_pv=payment_pv,
        cumulative_payment_pv=np.cumsum(payment_pv),
        gpus_online=gpus_online, gpus_by_model=capacity.gpus_by_model, h100e_online=h100e_online,
        it_mw_online=it_mw, facility_mw_online=facility_mw, power_over_contract=power_over,
        gpu_hours_delivered=gpu_hours, h100e_hours_delivered=h100e_hours,
        price_per_gpu_hour=_ratio(invoice, gpu_hours),
        price_per_h100e_hour=_ratio(invoice, h100e_hours),
        capacity_tokens_per_s=capacity_tps, demand_tokens_per_s=demand_tps,
        surplus_tokens_per_s=capacity_tps - demand_tps,
        tokens_capacity=tokens_capacity, tokens_served=tokens_served,
        cost_per_million_tokens=_ratio(invoice * 1e6, tokens_capacity),
        breakeven_token_price=_ratio(invoice * 1e6, tokens_served),
        token_price=token_price, buyer_revenue=revenue, buyer_margin=revenue - invoice,
        buyer_cash_flow=buyer_cash, buyer_cumulative_cash=np.cumsum(buyer_cash),
        provider_revenue=invoice, power_cost=costs.power_cost, opex=costs.opex,
        depreciation=costs.depreciation, provider_ebitda=ebitda, provider_ebit=ebit,
        provider_capex=costs.capex_spent, provider_cash_flow=provider_cash,
        provider_terminal_value=terminal, provider_cash_flow_with_terminal=provider_flow,
        provider_cumulative_cash=provider_cumulative, book_value=costs.book_value,
        provider_market_rent=market_rent, provider_opportunity_cost=opportunity,
        provider_economic_profit=economic_profit,
        termination_cost=curves.termination_cost, termination_saving=curves.termination_saving,
        termination_end_date=curves.end_date,
        buyer_npv_if_ended=curves.buyer_npv_if_ended,
        provider_npv_if_ended=curves.provider_npv_if_ended,
        cloud_cost=cloud_cost, build_cost=build_cost,
        cumulative_cloud_cost=np.cumsum(cloud_cost),
        cumulative_build_cost=np.cumsum(build_cost),
        lease_payment=lease.payment, in_lease_term=lease.in_term,
        lease_liability=lease.opening,
        lease_interest=lease.interest, lease_closing=lease.closing,
    )

    total = float(invoice.sum())
    notice_at = c.termination_notice_month
    notice_in_term = notice_at < n
    key_figures = KeyFigures(
        total_contract_value=total,
        annual_run_rate=fees.annual_run_rate(fee),
        term_months=n,
        walkaway_exposure=float(curves.walkaway_exposure[0]) if n else 0.0,
        walkaway_exposure_basis=termination.exposure_basis(scenario),
        price_per_gpu_hour=_ratio(total, gpu_hours.sum()),
        price_per_h100e_hour=_ratio(total, h100e_hours.sum()),
        price_per_mw_month=_ratio(total, hw.contracted_mw * n),
        cost_per_million_tokens=_ratio(total * 1e6, tokens_capacity.sum()),
        breakeven_token_price=_ratio(total * 1e6, tokens_served.sum()),
        npv_payments=float(payment_pv.sum()),
        fleet_it_mw=fleet_it_mw,
        facility_mw=fleet_it_mw * hw.pue,
        contracted_mw=hw.contracted_mw,
        gpus=int(fleet_counts.sum()),
        h100_equivalents=float(capacity.h100e @ fleet_counts),
        h100e_weighting=h100e_weighting_label(scenario),
        gpu_hours_delivered=float(gpu_hours.sum()),
        tokens_served=float(tokens_served.sum()),
        shortfall_months=int(np.count_nonzero(demand_tps > capacity_tps)),
        token_price_per_million=pj.token_price_per_million,
        buyer_revenue=float(revenue.sum()) if revenue_modelled else NOT_APPLICABLE,
        buyer_margin=float((revenue - invoice).sum()) if revenue_modelled else NOT_APPLICABLE,
        buyer_npv=buyer_npv if revenue_modelled else NOT_APPLICABLE,
        provider_revenue=total,
        provider_ebitda=float(ebitda.sum()),
        provider_ebit=float(ebit.sum()),
        provider_capex=costs.capex_total,
        provider_npv=provider_npv,
        provider_irr=provider_irr,
        provider_payback_month=first_month_at_or_above(provider_cumulative),
        provider_opportunity_cost=float(opportunity.sum()),
        provider_economic_profit=float(economic_profit.sum()),
        provider_economic_npv=float(np.sum(economic_profit * provider_payment_df)),
        provider_book_value_at_end=float(costs.book_value[-1]),
        expected_contract_value=curves.expected_contract_value,
        termination_notice_month=notice_at,
        termination_cost_at_notice_month=(float(curves.termination_cost[notice_at])
                                          if notice_in_term else float("nan")),
        termination_saving_at_notice_month=(float(curves.termination_saving[notice_at])
                                            if notice_in_term else float("nan")),
        lease_liability=lease.liability,
        lease_term_months=lease.term_months,
        lease_term_reason=lease.reason,
        cloud_cost=float(cloud_cost.sum()),
        build_cost=float(build_cost.sum()),
        cloud_cost_pv=float(np.sum(cloud_cost * payment_df)),
        build_cost_pv=float(np.sum(build_cost * payment_df)),
        breakeven_month_vs_cloud=first_crossing(cumulative, np.cumsum(cloud_cost)),
        breakeven_cloud_rate=_ratio(total, h100e_hours.sum()),
        build_crossover_month=first_crossing(cumulative, np.cumsum(build_cost)),
    )
    return Results(scenario, schedule, key_figures, _warnings(scenario, key_figures, schedule))


def _deposit_pv_by_month(deposit: fees.DepositFlows, payment_df: np.ndarray,
                        term_end_df: np.ndarray) -> np.ndarray:
    """The deposit's present value, in the month each part falls in: paid on
    the start date (factor 1), applied on payment dates, returned at the end."""
    pv = -deposit.applied * payment_df
    if pv.size:
        pv[0] += deposit.paid
        pv[-1] -= deposit.returned * float(term_end_df[0])
    return pv


def _warnings(scenario: Scenario, figures: KeyFigures, schedule: MonthlySchedule) -> tuple[str, ...]:
    hw = scenario.hardware
    warnings = []
    over = schedule.power_over_contract
    if over.any():
        first = int(np.argmax(over))
        warnings.append(
            f"The fleet draws {schedule.facility_mw_online.max():,.0f} MW at the meter "
            f"({schedule.it_mw_online.max():,.0f} MW IT x PUE {hw.pue:g}), more than the contracted "
            f"{hw.contracted_mw:,.0f} MW, from {schedule.month_start[first]}.")
    if figures.shortfall_months:
        warnings.append(f"Demand exceeds capacity in {figures.shortfall_months} of "
                        f"{figures.term_months} months.")
    if schedule.service_credit.any():
        warnings.append(f"Availability {hw.availability_pct:g}% is below the SLA's "
                        f"{scenario.contract.sla_availability_pct:g}%: service credits apply.")
    elif (scenario.contract.pricing_mode == PRICING_GPU_HOUR
          and hw.availability_pct < scenario.contract.sla_availability_pct):
        warnings.append(f"Availability {hw.availability_pct:g}% is below the SLA's "
                        f"{scenario.contract.sla_availability_pct:g}%: per-GPU-hour pricing "
                        f"bills only delivered hours, so no service credit is added.")
    return tuple(warnings)
