"""The engine: pure functions from a Scenario to Results.

Everything is computed as numpy arrays over the contract's months; there is no
loop over months.  The pieces live in their own modules (timeline, fees,
economics, termination, alternatives); this one puts them together into the
monthly schedule and the key figures.  Conventions (DOMAIN.md):

- period i starts on the start date plus i months; hours are actual days x 24;
- the fee (by pricing mode) steps up by the escalator on each anniversary,
  and the first `intro_months` are billed at a discount; SLA credits reduce
  the invoice; a deposit is paid on the start date;
- walk-away exposure when notice is given on day T is the fees for the notice
  days, prorated daily at fee x 12 / 365, up to the end of the term, plus the
  termination fee (months of the fee then in force);
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
from typing import TYPE_CHECKING

import numpy as np

from core import alternatives, economics, fees, termination
from core.finance import discount_factors, first_crossing, first_month_at_or_above, xirr
from core.parameters import PRICING_FIXED, Scenario
from core.timeline import build_capacity, build_timeline

if TYPE_CHECKING:
    import pandas as pd

DAYS_PER_YEAR = 365.0
# Facility power may exceed the contract by this much before we warn (rounding).
POWER_TOLERANCE_MW = 1e-6
# "The cost of walking away at month 12": notice given on the first anniversary.
ANNIVERSARY_MONTH = 12

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
    walkaway_exposure: np.ndarray     # $ if notice is given on the period's first day
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
    provider_cumulative_cash: np.ndarray
    book_value: np.ndarray            # provider's hardware, end of month
    termination_cost: np.ndarray      # buyer's payments if notice is given this month, + fee
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
        import pandas as pd   # here, not at the top: only frames need it (0.15-0.3 s at start-up)
        frame = pd.DataFrame({name: getattr(self, name) for name in self.columns()})
        frame.insert(0, "month", np.arange(1, len(self) + 1))
        return frame


MonthlySchedule.COLUMNS = MonthlySchedule.columns()


@dataclass(frozen=True)
class KeyFigures:
    total_contract_value: float
    annual_run_rate: float
    term_months: int
    walkaway_exposure: float
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
    provider_book_value_at_end: float
    expected_contract_value: float
    termination_cost_at_month_12: float   # notice given on the first anniversary
    termination_saving_at_month_12: float
    lease_liability: float
    lease_term_months: int
    cloud_cost: float
    build_cost: float
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


def walkaway_exposure(bounds: np.ndarray, fee: np.ndarray, notice_days: int,
                      termination_fee_months: float) -> np.ndarray:
    """Exposure if notice is given on the first day of each period."""
    day_starts = (bounds - bounds[0]).astype(int)
    total_days = day_starts[-1]
    period_of_day = np.searchsorted(day_starts, np.arange(total_days), side="right") - 1
    daily_fee = fee[period_of_day] * 12.0 / DAYS_PER_YEAR
    cumulative = np.concatenate(([0.0], np.cumsum(daily_fee)))
    notice_end = np.minimum(day_starts[:-1] + notice_days, total_days)
    return cumulative[notice_end] - cumulative[day_starts[:-1]] + termination_fee_months * fee


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
    exposure = walkaway_exposure(timeline.bounds, fee, c.notice_days, c.termination_fee_months)

    # The buyer's side.
    token_price = economics.token_price(scenario, n)
    revenue = tokens_served / 1e6 * token_price
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
    provider_term_end_df = discount_factors(timeline.bounds[-1:], c.start_date, provider_rate)
    end_df = discount_factors(timeline.bounds[1:], c.start_date, provider_rate)
    operating_pv = (invoice - costs.power_cost - costs.opex) * provider_payment_df
    capex_pv = costs.capex_spent * provider_start_df
    terminal_value = float(costs.book_value[-1]) if bought and n else 0.0
    provider_npv = float(np.sum(operating_pv)
                         + np.sum(_deposit_pv_by_month(deposit_flows, provider_payment_df,
                                                       provider_term_end_df))
                         - np.sum(capex_pv) + terminal_value * (end_df[-1] if n else 0.0))
    # The same flows on the same dates as the NPV: operating cash and applied
    # deposit on the payment dates, capex on the first day of its month, the
    # deposit paid on the start date, and the deposit returned and the
    # hardware's book value on the day the term ends.
    operating_cash = invoice - costs.power_cost - costs.opex - deposit_flows.applied
    irr_flows = np.concatenate((operating_cash, -costs.capex_spent,
                                [deposit_flows.paid, terminal_value - deposit_flows.returned]))
    irr_dates = np.concatenate((payment_date, month_start, timeline.bounds[:1],
                                timeline.bounds[-1:]))
    provider_irr = xirr(irr_flows, irr_dates)
    provider_cumulative = np.cumsum(provider_cash)

    # Ending early.
    curves = termination.termination_curves(
        scenario, timeline, fee=fee, invoice=invoice, revenue_pv=revenue * revenue_df,
        invoice_pv_buyer=invoice * payment_df,
        start_df_buyer=discount_factors(month_start, c.start_date, buyer_rate),
        provider_operating_pv=operating_pv, provider_capex_pv=capex_pv,
        provider_book_value=costs.book_value, provider_bought=bought,
        end_df_provider=end_df, start_df_provider=provider_start_df)

    # The buyer's alternatives on the same delivered compute, and the lease view.
    cloud_cost = h100e_hours * pj.cloud_rate_per_h100_hour
    build = costs if bought else economics.provider_costs(
        scenario, timeline, capacity, facility_mw, bought=True)
    build_cost = build.capex_spent + build.power_cost + build.opex
    lease = alternatives.lease_view(scenario, timeline, invoice, payment_date,
                                    curves.paid_fraction[0] if n else np.zeros(0))

    schedule = MonthlySchedule(
        month_start=month_start, days=timeline.days, payment_date=payment_date,
        monthly_fee=fee, service_credit=credit, invoice=invoice, deposit_flow=deposit,
        payment=payment, cumulative_payment=cumulative, walkaway_exposure=exposure,
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
        provider_cumulative_cash=provider_cumulative, book_value=costs.book_value,
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
    at_anniversary = min(ANNIVERSARY_MONTH, n - 1)
    key_figures = KeyFigures(
        total_contract_value=total,
        annual_run_rate=_annual_run_rate(scenario, fee),
        term_months=n,
        walkaway_exposure=float(exposure[0]),
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
        gpu_hours_delivered=float(gpu_hours.sum()),
        tokens_served=float(tokens_served.sum()),
        shortfall_months=int(np.count_nonzero(demand_tps > capacity_tps)),
        token_price_per_million=pj.token_price_per_million,
        buyer_revenue=float(revenue.sum()),
        buyer_margin=float((revenue - invoice).sum()),
        buyer_npv=buyer_npv,
        provider_revenue=total,
        provider_ebitda=float(ebitda.sum()),
        provider_ebit=float(ebit.sum()),
        provider_capex=costs.capex_total,
        provider_npv=provider_npv,
        provider_irr=provider_irr,
        provider_payback_month=first_month_at_or_above(provider_cumulative),
        provider_book_value_at_end=float(costs.book_value[-1]),
        expected_contract_value=curves.expected_contract_value,
        termination_cost_at_month_12=float(curves.termination_cost[at_anniversary]),
        termination_saving_at_month_12=float(curves.termination_saving[at_anniversary]),
        lease_liability=lease.liability,
        lease_term_months=lease.term_months,
        cloud_cost=float(cloud_cost.sum()),
        build_cost=float(build_cost.sum()),
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


def _annual_run_rate(scenario: Scenario, fee: np.ndarray) -> float:
    """The fixed fee x 12; for usage pricing, the first full year's fees annualised."""
    if scenario.contract.pricing_mode == PRICING_FIXED:
        return scenario.contract.monthly_fee * 12.0
    first_year = fee[:12]
    return float(first_year.sum() * 12.0 / len(first_year)) if len(first_year) else 0.0


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
    return tuple(warnings)
