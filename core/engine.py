"""The engine: pure functions from a Scenario to Results.

Everything is computed as numpy arrays over the contract's months; there is no
loop over months.  Conventions (DOMAIN.md):

- period i starts on the start date plus i months; hours are actual days x 24;
- the fee steps up by the escalator on each anniversary, and the first
  `intro_months` are billed at a discount;
- walk-away exposure when notice is given on day T is the fees for the notice
  days, prorated daily at fee x 12 / 365, up to the end of the term, plus the
  termination fee (months of the fee then in force);
- a tranche counts from its online date, prorated by days in its first month;
- delivered GPU-hours = GPUs online x hours x availability;
- token capacity = GPUs x tokens/s x availability x utilization; tokens served
  are the lower of demand and capacity;
- cost per million tokens = payments / token capacity; the break-even token
  price = payments / tokens served (what the buyer must charge on the tokens
  it sells to cover the fee);
- NPV discounts each payment on its actual date, (1 + r) ^ (-days / 365) from
  the start date, as XNPV does; in advance = first day of the period, in
  arrears = last day.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.calendar import days_between, period_bounds
from core.parameters import H100_DENSE_BF16_TFLOPS, Scenario

DAYS_PER_YEAR = 365.0
# Facility power may exceed the contract by this much before we warn (rounding).
POWER_TOLERANCE_MW = 1e-6


@dataclass(frozen=True)
class MonthlySchedule:
    """One row a month; every array has the term's length."""
    month_start: np.ndarray           # datetime64[D]
    days: np.ndarray
    payment_date: np.ndarray          # datetime64[D]
    monthly_fee: np.ndarray           # the fee in force, after escalator and steps ($)
    payment: np.ndarray               # $
    cumulative_payment: np.ndarray    # $
    walkaway_exposure: np.ndarray     # $ if notice is given on the period's first day
    discount_factor: np.ndarray
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

    # Columns of the CSV and DataFrame, in order.
    COLUMNS = ("month_start", "days", "payment_date", "monthly_fee", "payment",
               "cumulative_payment", "walkaway_exposure", "discount_factor", "payment_pv",
               "cumulative_payment_pv",
               "gpus_online", "h100e_online", "it_mw_online", "facility_mw_online",
               "power_over_contract", "gpu_hours_delivered", "h100e_hours_delivered",
               "price_per_gpu_hour", "price_per_h100e_hour", "capacity_tokens_per_s",
               "demand_tokens_per_s", "surplus_tokens_per_s", "tokens_capacity",
               "tokens_served", "cost_per_million_tokens", "breakeven_token_price")

    def __len__(self) -> int:
        return len(self.payment)

    def to_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame({name: getattr(self, name) for name in self.COLUMNS})
        frame.insert(0, "month", np.arange(1, len(self) + 1))
        return frame


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


def fee_schedule(scenario: Scenario) -> np.ndarray:
    """The fee in force each month: escalated on anniversaries, stepped down
    in the discounted first months."""
    c = scenario.contract
    months = np.arange(c.term_months)
    fee = c.monthly_fee * (1.0 + c.escalator_pct / 100.0) ** (months // 12)
    return np.where(months < c.intro_months, fee * (1.0 - c.intro_discount_pct / 100.0), fee)


def walkaway_exposure(bounds: np.ndarray, fee: np.ndarray, notice_days: int,
                      termination_fee_months: float) -> np.ndarray:
    """Exposure if notice is given on the first day of each period."""
    day_starts = days_between(bounds, bounds[0]).astype(int)
    total_days = day_starts[-1]
    period_of_day = np.searchsorted(day_starts, np.arange(total_days), side="right") - 1
    daily_fee = fee[period_of_day] * 12.0 / DAYS_PER_YEAR
    cumulative = np.concatenate(([0.0], np.cumsum(daily_fee)))
    notice_end = np.minimum(day_starts[:-1] + notice_days, total_days)
    return cumulative[notice_end] - cumulative[day_starts[:-1]] + termination_fee_months * fee


def compute(scenario: Scenario) -> Results:
    c, hw, pj = scenario.contract, scenario.hardware, scenario.projections
    n = c.term_months
    bounds = period_bounds(c.start_date, n)
    month_start, month_end = bounds[:-1], bounds[1:]
    days = (month_end - month_start).astype(int).astype(float)
    hours = days * 24.0
    seconds = hours * 3600.0

    fee = fee_schedule(scenario)
    payment = fee.copy()
    cumulative = np.cumsum(payment)
    if c.payment_timing == "advance":
        payment_date = month_start
    else:
        payment_date = month_end - np.timedelta64(1, "D")
    discount_factor = (1.0 + c.discount_rate_pct / 100.0) ** (
        -days_between(payment_date, c.start_date) / DAYS_PER_YEAR)
    payment_pv = payment * discount_factor
    exposure = walkaway_exposure(bounds, fee, c.notice_days, c.termination_fee_months)

    # Capacity: tranches x months, each tranche's share of the month online.
    availability = hw.availability_pct / 100.0
    utilization = hw.utilization_pct / 100.0
    if hw.tranches:
        online = np.array([np.datetime64(t.online_date, "D") for t in hw.tranches])
        online_days = np.clip((month_end[None, :] - online[:, None]).astype(int), 0, None)
        fraction = np.minimum(online_days, days[None, :]) / days[None, :]
        counts = np.array([t.gpu_count for t in hw.tranches], dtype=float)
        models = [hw.model(t.gpu_model) for t in hw.tranches]
        kw = np.array([m.it_kw_per_gpu for m in models])
        h100e = np.array([m.bf16_dense_tflops / H100_DENSE_BF16_TFLOPS for m in models])
        tps = np.array([m.tokens_per_s for m in models])
        gpus_by_tranche = counts[:, None] * fraction
    else:
        gpus_by_tranche = np.zeros((0, n))
        kw = h100e = tps = counts = np.zeros(0)
    gpus_online = gpus_by_tranche.sum(axis=0)
    gpus_by_model: dict[str, np.ndarray] = {}
    for t, row in zip(hw.tranches, gpus_by_tranche):
        gpus_by_model[t.gpu_model] = gpus_by_model.get(t.gpu_model, 0.0) + row
    h100e_online = h100e @ gpus_by_tranche
    it_mw = kw @ gpus_by_tranche / 1000.0
    facility_mw = it_mw * hw.pue
    power_over = facility_mw > hw.contracted_mw + POWER_TOLERANCE_MW

    gpu_hours = gpus_online * hours * availability
    h100e_hours = h100e_online * hours * availability
    capacity_tps = (tps @ gpus_by_tranche) * availability * utilization
    demand_tps = pj.demand_tokens_per_s * (1.0 + pj.demand_growth_pct_per_month / 100.0) ** np.arange(n)
    tokens_capacity = capacity_tps * seconds
    tokens_served = np.minimum(demand_tps, capacity_tps) * seconds

    schedule = MonthlySchedule(
        month_start=month_start, days=days, payment_date=payment_date, monthly_fee=fee,
        payment=payment, cumulative_payment=cumulative, walkaway_exposure=exposure,
        discount_factor=discount_factor, payment_pv=payment_pv,
        cumulative_payment_pv=np.cumsum(payment_pv),
        gpus_online=gpus_online, gpus_by_model=gpus_by_model, h100e_online=h100e_online,
        it_mw_online=it_mw, facility_mw_online=facility_mw, power_over_contract=power_over,
        gpu_hours_delivered=gpu_hours, h100e_hours_delivered=h100e_hours,
        price_per_gpu_hour=_ratio(payment, gpu_hours),
        price_per_h100e_hour=_ratio(payment, h100e_hours),
        capacity_tokens_per_s=capacity_tps, demand_tokens_per_s=demand_tps,
        surplus_tokens_per_s=capacity_tps - demand_tps,
        tokens_capacity=tokens_capacity, tokens_served=tokens_served,
        cost_per_million_tokens=_ratio(payment * 1e6, tokens_capacity),
        breakeven_token_price=_ratio(payment * 1e6, tokens_served),
    )

    total = float(cumulative[-1])
    # The fleet: tranches that come online before the term ends.
    in_term = gpus_by_tranche.any(axis=1) if n else np.zeros(len(counts), dtype=bool)
    counts = np.where(in_term, counts, 0.0)
    fleet_it_mw = float(kw @ counts / 1000.0)
    key_figures = KeyFigures(
        total_contract_value=total,
        annual_run_rate=c.monthly_fee * 12.0,
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
        gpus=int(counts.sum()),
        h100_equivalents=float(h100e @ counts),
        gpu_hours_delivered=float(gpu_hours.sum()),
        tokens_served=float(tokens_served.sum()),
        shortfall_months=int(np.count_nonzero(demand_tps > capacity_tps)),
    )

    warnings = []
    if power_over.any():
        first = int(np.argmax(power_over))
        warnings.append(
            f"The fleet draws {facility_mw.max():,.0f} MW at the meter "
            f"({it_mw.max():,.0f} MW IT x PUE {hw.pue:g}), more than the contracted "
            f"{hw.contracted_mw:,.0f} MW, from {month_start[first]}.")
    if key_figures.shortfall_months:
        warnings.append(f"Demand exceeds capacity in {key_figures.shortfall_months} of {n} months.")
    return Results(scenario, schedule, key_figures, tuple(warnings))
