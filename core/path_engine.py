"""The engine's figures for many paths at once: numpy over paths x months.

A Monte Carlo run needs the deal's payments, capacity, tokens and cash for
thousands of sampled input sets; calling `core.engine.compute` for each
would take seconds.  `run_paths` recomputes the engine
(fees by pricing mode, SLA credits, capacity, tokens, token revenue, NPVs,
cumulative cash) with every sampled input as a column of values (one per
path), broadcast against the months.  It can end a path early, as
core/termination.py does: notice given on the first day of a month ends
payments (and delivery) `notice_days` later, the last partial month prorated
by days, and a buyer who gives notice pays the termination fee then.
The provider's side (core/economics.py: EBITDA, EBIT, NPV and IRR at its
WACC, cumulative cash, the economic view) is computed too when one of its
figures is wanted (`_ProviderPaths`); on a path that ends early it follows
core/termination.py's provider NPV if ended.  Not modelled here: the deposit
(prepayment).
An invoice plan and a demand plan (core/fees.py, core/tokens.py) are fixed
inputs: in their months they replace the fee and the demand on every path,
whatever is sampled (a planned month past a path's term has no effect).

Without an early end, a single path equals `compute` on the same inputs
(tests/core/test_path_engine.py holds it to that, and `check_matches_engine`
does at run time, so a scenario the engine models in ways this module does
not is refused rather than simulated wrongly).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.calendar import days_between, period_bounds
from core.economics import capex_bought_for_deal
from core.engine import compute
from core.fees import invoice_plan
from core.finance import IRR_GRID
from core.market import forward_curve
from core.parameters import FORWARD_IMPORTED, FORWARD_QUOTES
from core.tokens import demand_plan
from core.timeline import h100e_per_gpu
from core.parameters import (BUYER_REVENUE_TOKENS, PARTY_BUYER, PARTY_EITHER, PRICING_FIXED, PRICING_GPU_HOUR,
                             PRICING_MW_MONTH, Scenario)

DAYS_PER_YEAR = 365.0

# The numeric inputs this module reads; a sampled input outside this set is
# refused (the figures here would not move with it).
PATH_INPUTS = frozenset({
    "contract.term_months", "contract.monthly_fee", "contract.escalator_pct",
    "contract.intro_months", "contract.intro_discount_pct", "contract.notice_days",
    "contract.termination_fee_months", "contract.discount_rate_pct",
    "contract.buyer_termination_prob_pct", "contract.provider_termination_prob_pct",
    "contract.price_per_gpu_hour", "contract.price_per_mw_month", "contract.sla_availability_pct",
    "contract.service_credit_pct_per_point", "contract.service_credit_cap_pct",
    "hardware.contracted_mw", "hardware.pue", "hardware.availability_pct",
    "hardware.utilization_pct",
    "projections.demand_tokens_per_s", "projections.demand_growth_pct_per_month",
    "projections.token_price_per_million", "projections.token_price_decline_pct_per_year",
    # The provider's economics.
    "contract.provider_wacc_pct", "hardware.power_price_per_mwh",
    "hardware.depreciation_life_years", "hardware.residual_value_pct",
    "hardware.facility_capex_per_mw", "hardware.facility_life_years",
    "hardware.maintenance_pct_per_year", "hardware.staff_opex_per_month",
    # The market's forward path (core/market.py): the provider's opportunity cost.
    "market.rent_change_pct_per_year",
})
# The key figures computed here, per path.
PATH_OUTPUTS = ("total_contract_value", "annual_run_rate", "term_months", "walkaway_exposure",
                "price_per_gpu_hour", "price_per_h100e_hour", "price_per_mw_month",
                "cost_per_million_tokens", "breakeven_token_price", "npv_payments",
                "fleet_it_mw", "facility_mw", "contracted_mw", "gpus", "h100_equivalents",
                "gpu_hours_delivered", "tokens_served", "shortfall_months",
                "token_price_per_million", "buyer_revenue", "buyer_margin", "buyer_npv",
                "provider_revenue", "provider_ebitda", "provider_ebit", "provider_npv",
                "provider_irr", "provider_payback_month", "provider_opportunity_cost",
                "provider_economic_profit", "provider_economic_npv",
                "provider_book_value_at_end", "buyer_mark_to_market", "provider_mark_to_market")
# The provider's figures among them: computed only when one is wanted.
PROVIDER_PATH_OUTPUTS = tuple(name for name in PATH_OUTPUTS if name.startswith("provider_"))
# What the fan chart shows, as the engine's schedule.buyer_cumulative_cash and,
# for a provider's figure, schedule.provider_cumulative_cash.
CASH_SERIES_LABEL = "Buyer's cumulative cash (token revenue less payments)"
PROVIDER_CASH_SERIES_LABEL = "Provider's cumulative cash (fees less power, opex and capex)"


class PathEngineMismatch(ValueError):
    """The scenario uses terms this module does not model; the message says which."""


@dataclass(frozen=True)
class PathResults:
    month_start: np.ndarray          # (months,) datetime64[D]
    payment: np.ndarray              # (paths, months) $
    cumulative_cash: np.ndarray      # (paths, months) $, negative = paid out
    figures: dict[str, np.ndarray]   # key figure -> (paths,)
    ended_early: np.ndarray          # (paths,) bool: notice was given in the term
    # (paths, months) $, the provider's cash (schedule.provider_cumulative_cash);
    # None unless a provider figure was wanted.
    provider_cumulative_cash: np.ndarray | None = None

    @property
    def paths(self) -> int:
        return self.payment.shape[0]


def _ratio(numerator, denominator) -> np.ndarray:
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    safe = np.where(denominator > 0, denominator, 1.0)
    return np.where(denominator > 0, numerator / safe, np.nan)


def _power(base, exponent):
    """base ** exponent; for a column of sampled bases, as exp(log(base) x exponent),
    which is about twice as fast over paths x months (and equal to 1e-15)."""
    if np.ndim(base) == 0 or np.any(base <= 0):
        return base ** exponent
    return np.exp(np.log(base) * exponent)


def _path_count(values: dict[str, np.ndarray], *extra) -> int:
    sizes = {len(np.atleast_1d(v)) for v in values.values()}
    sizes |= {len(e) for e in extra if e is not None}
    if len(sizes) > 1:
        raise ValueError(f"sampled inputs differ in length: {sorted(sizes)}")
    return sizes.pop() if sizes else 1


def run_paths(scenario: Scenario, values: dict[str, np.ndarray] | None = None,
              notice_month: np.ndarray | None = None, buyer_notice: np.ndarray | None = None,
              months: int | None = None, outputs=None) -> PathResults:
    """Figures per path.  `values` maps "section.field" to one value per path
    (other inputs keep the scenario's); `notice_month[p]` is the period on
    whose first day notice is given (at or past the term: never), and
    `buyer_notice[p]` whether the buyer gave it (and so pays the fee).
    `months` widens the month grid (to the longest term of a whole run).
    `outputs`: the key figures wanted (default: all of PATH_OUTPUTS); the
    others are left out of `figures`, and the month-by-month work only they
    need is skipped (a simulation wants one figure and the cash)."""
    values = values or {}
    unknown = set(values) - PATH_INPUTS
    if unknown:
        raise ValueError(f"not modelled per path: {', '.join(sorted(unknown))}")
    wanted = set(PATH_OUTPUTS if outputs is None else outputs)

    def want(*names: str) -> bool:
        return not wanted.isdisjoint(names)
    paths = _path_count(values, notice_month, buyer_notice)

    def get(key: str):
        """A sampled input as a (paths, 1) column, else the scenario's scalar."""
        if key in values:
            return np.asarray(values[key], dtype=float).reshape(-1, 1)
        section, name = key.split(".")
        return float(getattr(getattr(scenario, section), name))

    def per_path(x) -> np.ndarray:
        """A scalar or (paths, 1) column as one value per path."""
        return np.broadcast_to(np.asarray(x, dtype=float).reshape(-1), (paths,))

    c, hw = scenario.contract, scenario.hardware
    term = per_path(get("contract.term_months")).astype(int)
    n = int(max(term.max(), months or 0))
    bounds = period_bounds(c.start_date, n)
    day_start = days_between(bounds, bounds[0])          # (n + 1,)
    days = np.diff(day_start)
    hours, seconds = days * 24.0, days * 86_400.0
    month = np.arange(n)
    in_term = month[None, :] < term[:, None]              # (paths, n)

    # When each path's deal ends: the term's end, or notice_days after notice.
    term_end = day_start[term]
    notice_days = np.asarray(get("contract.notice_days")).reshape(-1)
    if notice_month is not None:
        notice_month = np.asarray(notice_month).astype(int)
        ended_early = notice_month < term
        notice_day = day_start[np.minimum(notice_month, n)]
        end_day = np.where(ended_early, np.minimum(notice_day + notice_days, term_end), term_end)
    else:
        ended_early = np.zeros(paths, dtype=bool)
        end_day = term_end
    if ended_early.any():
        share = np.clip((end_day[:, None] - day_start[None, :-1]) / days[None, :], 0.0, 1.0)
    else:   # every path runs its whole term, which ends on a month's boundary
        share = in_term.astype(float)

    # Capacity: fixed tranches, so their months online are the same on every path.
    availability = get("hardware.availability_pct") / 100.0
    utilization = get("hardware.utilization_pct") / 100.0
    if hw.tranches:
        online = np.array([np.datetime64(t.online_date, "D") for t in hw.tranches])
        online_days = np.clip((bounds[None, 1:] - online[:, None]).astype(int), 0, None)
        fraction = np.minimum(online_days, days[None, :]) / days[None, :]
        counts = np.array([t.gpu_count for t in hw.tranches], dtype=float)
        models = [hw.model(t.gpu_model) for t in hw.tranches]
        kw = np.array([m.it_kw_per_gpu for m in models])
        h100e = h100e_per_gpu(scenario, models)
        tps = np.array([m.tokens_per_s for m in models])
        gpus_by_tranche = counts[:, None] * fraction
        # A tranche is in the fleet if it comes online before the path's term ends.
        fleet = online[None, :] < bounds[term][:, None]     # (paths, tranches)
    else:
        gpus_by_tranche = np.zeros((0, n))
        kw = h100e = tps = counts = np.zeros(0)
        fleet = np.zeros((paths, 0), dtype=bool)
    gpus_online = gpus_by_tranche.sum(axis=0)
    h100e_online = h100e @ gpus_by_tranche
    it_mw = kw @ gpus_by_tranche / 1000.0
    fleet_counts = fleet * counts[None, :]
    fleet_it_mw = fleet_counts @ kw / 1000.0
    full_gpu_hours = gpus_online * hours * availability          # the whole month delivered
    capacity_tps = (tps @ gpus_by_tranche) * availability * utilization
    demand_tps = get("projections.demand_tokens_per_s") * _power(
        1.0 + get("projections.demand_growth_pct_per_month") / 100.0, month)
    if scenario.projections.demand_plan:      # core/tokens.py: planned tokens over the month
        demand_planned, demand_tokens = demand_plan(scenario, n)
        demand_tps = np.where(demand_planned, demand_tokens / seconds, demand_tps)
    tokens_served = np.minimum(demand_tps, capacity_tps) * seconds * share

    # The fee by pricing mode (core/fees.py), then SLA credits.
    factor = (1.0 + get("contract.escalator_pct") / 100.0) ** (month // 12)
    factor = np.where(month < get("contract.intro_months"),
                      factor * (1.0 - get("contract.intro_discount_pct") / 100.0), factor)
    with np.errstate(divide="ignore", invalid="ignore"):
        capacity_share = np.where(fleet_it_mw[:, None] > 0,
                                  it_mw[None, :] / fleet_it_mw[:, None], 0.0)
    steps = capacity_share if c.fee_follows_capacity == "yes" else 1.0
    if c.pricing_mode == PRICING_GPU_HOUR:
        fee = get("contract.price_per_gpu_hour") * full_gpu_hours * factor
    elif c.pricing_mode == PRICING_MW_MONTH:
        fee = get("contract.price_per_mw_month") * get("hardware.contracted_mw") * factor * steps
    else:
        fee = get("contract.monthly_fee") * factor * steps
    fee = np.broadcast_to(fee, (paths, n))
    fee_planned = np.zeros(n, dtype=bool)
    if c.invoice_plan:                         # core/fees.py: the planned amount is the fee
        fee_planned, planned_amount = invoice_plan(scenario, n)
        fee = np.where(fee_planned, planned_amount, fee)
    fee = fee * in_term
    shortfall_points = np.maximum(0.0, get("contract.sla_availability_pct")
                                  - get("hardware.availability_pct"))
    credit_pct = np.minimum(get("contract.service_credit_cap_pct"),
                            get("contract.service_credit_pct_per_point") * shortfall_points)
    # core/fees.py: a computed per-GPU-hour fee bills only delivered hours, so no
    # credit; a planned month is a fixed amount, credited whatever the pricing.
    credited = fee_planned if c.pricing_mode == PRICING_GPU_HOUR else np.ones(n, dtype=bool)
    invoice = fee - np.where(credited, fee * credit_pct / 100.0, 0.0)
    paid_invoice = invoice * share

    # The termination fee: months of the fee in force, paid on notice by a buyer who ends it.
    termination_fee_months = per_path(get("contract.termination_fee_months"))
    termination_fee = np.zeros(paths)
    at = np.zeros(paths, dtype=int)
    if notice_month is not None and buyer_notice is not None:
        # No fee when the notice only reaches the term's end: that is expiry.
        pays_fee = ended_early & (end_day < term_end) & np.asarray(buyer_notice, dtype=bool)
        at = np.minimum(notice_month, n - 1)
        fee_then = np.take_along_axis(fee, at[:, None], axis=1)[:, 0]
        termination_fee = np.where(pays_fee, termination_fee_months * fee_then, 0.0)
    payment = paid_invoice.copy()
    payment[np.arange(paths), at] += termination_fee

    buyer_rate = get("contract.discount_rate_pct") / 100.0
    payment_day = day_start[:-1] if c.payment_timing == "advance" else day_start[1:] - 1.0
    payment_df = _power(1.0 + buyer_rate, -payment_day / DAYS_PER_YEAR)
    start_df = (1.0 + per_path(buyer_rate)) ** (-day_start[at] / DAYS_PER_YEAR)
    npv_payments = np.sum(paid_invoice * payment_df, axis=1)

    # The buyer's revenue (core/economics.py): tokens served at a declining price,
    # dated the last day of the month.
    token_price = get("projections.token_price_per_million") * _power(
        1.0 - get("projections.token_price_decline_pct_per_year") / 100.0, month // 12)
    revenue = tokens_served / 1e6 * token_price
    revenue_modelled = scenario.projections.buyer_revenue_model == BUYER_REVENUE_TOKENS
    if not revenue_modelled:      # core/engine.py: no revenue, buyer figures n/a
        revenue = revenue * 0.0
    revenue_df = _power(1.0 + buyer_rate, -(day_start[1:] - 1.0) / DAYS_PER_YEAR)
    buyer_npv = np.sum(revenue * revenue_df, axis=1) - npv_payments - termination_fee * start_df
    cumulative_cash = np.cumsum(revenue - payment, axis=1)

    contracted_mw = per_path(get("hardware.contracted_mw"))
    total = payment.sum(axis=1)
    pue = per_path(get("hardware.pue"))
    # Each figure as a function, so that only the wanted ones (and the
    # month-by-month arrays only they need) are computed.
    gpu_hours_sum = lambda: (full_gpu_hours * share).sum(axis=1)          # noqa: E731

    def walkaway_exposure():
        # Notice on day 0 (core/termination.py): each month's invoice in the share
        # of its days before the notice ends (never after the term), plus the fee
        # unless that is the term's end; without a buyer's right to terminate,
        # every invoice of the term.
        if c.terminating_party not in (PARTY_EITHER, PARTY_BUYER):
            return np.sum(invoice * in_term, axis=1)
        notice_end = np.minimum(notice_days, term_end)
        overlap = np.clip(notice_end[:, None] - day_start[None, :-1], 0.0, days[None, :])
        return (np.sum(invoice * overlap / days[None, :], axis=1)
                + np.where(notice_end < term_end, termination_fee_months * fee[:, 0], 0.0))

    def annual_run_rate():
        # core/fees.py: the fees of the first 12 months, annualised if the term is shorter.
        first_year = np.minimum(term, 12)
        return (fee[:, :12].sum(axis=1)) * 12.0 / first_year

    def shortfall_months():
        short = np.broadcast_to(demand_tps > capacity_tps, (paths, n)) & in_term
        return np.count_nonzero(short, axis=1).astype(float)

    recipes = {
        "total_contract_value": lambda: total,
        "annual_run_rate": annual_run_rate,
        "term_months": lambda: term.astype(float),
        "walkaway_exposure": walkaway_exposure,
        "price_per_gpu_hour": lambda: _ratio(total, gpu_hours_sum()),
        "price_per_h100e_hour": lambda: _ratio(
            total, (h100e_online * hours * availability * share).sum(axis=1)),
        "price_per_mw_month": lambda: _ratio(total, contracted_mw * term),
        "cost_per_million_tokens": lambda: _ratio(
            total * 1e6, (capacity_tps * seconds * share).sum(axis=1)),
        "breakeven_token_price": lambda: _ratio(total * 1e6, tokens_served.sum(axis=1)),
        "npv_payments": lambda: npv_payments + termination_fee * start_df,
        "fleet_it_mw": lambda: fleet_it_mw,
        "facility_mw": lambda: fleet_it_mw * pue,
        "contracted_mw": lambda: contracted_mw.astype(float),
        "gpus": lambda: fleet_counts.sum(axis=1),
        "h100_equivalents": lambda: fleet_counts @ h100e,
        "gpu_hours_delivered": gpu_hours_sum,
        "tokens_served": lambda: tokens_served.sum(axis=1),
        "shortfall_months": shortfall_months,
        "token_price_per_million": lambda: per_path(get("projections.token_price_per_million")),
        "buyer_revenue": lambda: revenue.sum(axis=1),
        "buyer_margin": lambda: (revenue - paid_invoice).sum(axis=1),
        "buyer_npv": lambda: buyer_npv,
    }
    provider_cash = None
    if want(*PROVIDER_PATH_OUTPUTS, "buyer_mark_to_market"):
        # What the delivered GPU-hours would cost at the forward market rent (core/market.py).
        market_rent = _market_value(scenario, day_start[:-1], gpus_by_tranche,
                                    get("market.rent_change_pct_per_year")) * hours * availability
        # The buyer's mark-to-market (core/market.py): the months delivered, each in its share.
        buyer_mtm = lambda: ((market_rent - invoice) * share * payment_df).sum(axis=1)  # noqa: E731
        recipes["buyer_mark_to_market"] = buyer_mtm
        recipes["provider_mark_to_market"] = lambda: -buyer_mtm()
    if want(*PROVIDER_PATH_OUTPUTS):
        provider = _ProviderPaths(
            scenario, get, paths, day_start, payment_day, share, gpus_by_tranche, counts, kw,
            fleet, it_mw, market_rent, invoice, termination_fee, at,
            ended_early & (end_day < term_end))
        recipes.update(provider.recipes())
        provider_cash = provider.cumulative_cash
    figures = {name: recipes[name]() for name in PATH_OUTPUTS if name in wanted}
    if not revenue_modelled:      # core/engine.py: buyer figures n/a without a revenue model
        for name in ("buyer_revenue", "buyer_margin", "buyer_npv"):
            if name in figures:
                figures[name] = np.full(paths, np.nan)
    return PathResults(month_start=bounds[:-1], payment=payment, cumulative_cash=cumulative_cash,
                       figures=figures, ended_early=ended_early,
                       provider_cumulative_cash=provider_cash)


def _market_value(scenario: Scenario, day_start: np.ndarray, gpus_by_tranche: np.ndarray,
                  change) -> np.ndarray:
    """Σ over tranches of GPUs online x their model's forward rent (core/market.py),
    per hour delivered; a model with no market rent counts 0, as in the engine.
    `change`: the yearly rent change, the scenario's or a (paths, 1) column: the
    months that follow it scale by ((1 + change) / (1 + the scenario's)) ^ (days / 365)."""
    market = scenario.market
    curve = forward_curve(market, day_start)
    zero = np.zeros(len(day_start))
    tranches = scenario.hardware.tranches
    if not tranches:
        return zero
    rents = np.array([zero if (r := curve.for_model(t.gpu_model)) is None else r
                      for t in tranches])
    if np.ndim(change) == 0 or market.forward_path == FORWARD_QUOTES:
        return (rents * gpus_by_tranche).sum(axis=0)
    # Which months of each tranche follow the yearly change (an imported month does not).
    follows = np.ones_like(rents, dtype=bool)
    if market.forward_path == FORWARD_IMPORTED:
        named = {(e.gpu_model, e.month) for e in market.rent_curve}
        for i, t in enumerate(tranches):
            for m in range(len(day_start)):
                follows[i, m] = (t.gpu_model, m + 1) not in named
    moving = (rents * gpus_by_tranche * follows).sum(axis=0)
    fixed = (rents * gpus_by_tranche * ~follows).sum(axis=0)
    base = 1.0 + market.rent_change_pct_per_year / 100.0
    ratio = np.exp((np.log1p(np.asarray(change, float) / 100.0) - np.log(base))
                   * (np.asarray(day_start, float) / 365.0))
    return moving * ratio + fixed


class _ProviderPaths:
    """The provider's side of the engine (core/economics.py) for every path:
    operating cash (invoices less power and opex, each month in the share of
    its days the deal runs), capex of the fleet bought for the deal as its
    tranches come online, depreciation and book value, the value at the WACC,
    the IRR and the economic view.  A path that ends early follows
    core/termination.py's provider NPV if ended: operating cash to the end,
    the termination fee on the notice month's first day, capex bought by the
    month the deal ends in, and the hardware kept at its book value at the end
    of that month, dated on that month's payment date.  The figures are
    computed only when asked for (`recipes`)."""

    def __init__(self, scenario: Scenario, get, paths: int, day_start: np.ndarray,
                 payment_day: np.ndarray, share: np.ndarray, gpus_by_tranche: np.ndarray,
                 counts: np.ndarray, kw: np.ndarray, fleet: np.ndarray, it_mw: np.ndarray,
                 market_rent: np.ndarray, invoice: np.ndarray, termination_fee: np.ndarray,
                 at: np.ndarray, ended_early: np.ndarray | None = None):
        hw = scenario.hardware
        n = share.shape[1]
        self.paths, self.share, self.termination_fee, self.at = paths, share, termination_fee, at
        self.ended_early = (np.zeros(paths, dtype=bool) if ended_early is None
                            else np.broadcast_to(ended_early, (paths,)))
        self.bought = capex_bought_for_deal(scenario)
        self.rows = np.arange(paths)
        self.day_start, self.payment_day = day_start, payment_day
        days = np.diff(day_start).astype(float)
        # The month each path's deal ends in: the last one with anything paid.
        self.end_month = np.maximum(np.count_nonzero(share > 0, axis=1) - 1, 0)
        runs = np.arange(n)[None, :] <= self.end_month[:, None]

        # Capex of each tranche in each path's fleet (core/economics.provider_costs).
        pue = get("hardware.pue")
        if hw.tranches:
            capex_per_gpu = np.array([hw.model(t.gpu_model).capex_per_gpu for t in hw.tranches])
            online = np.array([np.datetime64(t.online_date, "D") for t in hw.tranches])
        else:
            capex_per_gpu = np.zeros(0)
            online = np.zeros(0, dtype="datetime64[D]")
        gpu_capex = fleet * (counts * capex_per_gpu)[None, :]                 # (paths, tranches)
        facility_capex = (fleet * (counts * kw / 1000.0)[None, :] * pue
                          * get("hardware.facility_capex_per_mw"))
        capex = gpu_capex + facility_capex
        fraction = np.divide(gpus_by_tranche, counts[:, None], out=np.zeros_like(gpus_by_tranche),
                             where=counts[:, None] > 0)
        capex_spent = np.zeros((paths, n))
        if self.bought:
            starts = gpus_by_tranche > 0
            for t in np.flatnonzero(starts.any(axis=1)):
                capex_spent[:, int(np.argmax(starts[t]))] += capex[:, t]
            capex_spent *= runs          # nothing bought after the deal has ended
        self.capex_spent = capex_spent

        power = it_mw * pue * days * 24.0 * get("hardware.power_price_per_mwh")
        maintenance = (capex @ fraction) * get("hardware.maintenance_pct_per_year") / 100.0 / 12.0
        self.power_and_opex = power + maintenance + get("hardware.staff_opex_per_month")
        self.operating = (invoice - self.power_and_opex) * share
        self.market_rent = market_rent
        self.invoice = invoice

        # Depreciation, straight line by tranche to the residual value (GPUs) or
        # nothing (facility); sunk hardware online before the start has aged.
        if self.bought or not len(online):
            age = np.zeros(len(online))
        else:
            before = (np.datetime64(scenario.contract.start_date, "D") - online).astype(int)
            age = np.clip(before.astype(float), 0, None) / (365.0 / 12.0)

        def life(key: str):
            months_ = np.asarray(get(key), dtype=float) * 12.0
            return months_.reshape(-1, 1, 1) if months_.ndim else months_
        gpu_life, facility_life = life("hardware.depreciation_life_years"), life(
            "hardware.facility_life_years")
        gpu_rate = (gpu_capex * (1.0 - get("hardware.residual_value_pct") / 100.0)
                    / np.reshape(gpu_life, np.shape(gpu_life)[:2]))
        facility_rate = facility_capex / np.reshape(facility_life, np.shape(facility_life)[:2])
        taken_so_far = age[:, None] + np.cumsum(fraction, axis=1)              # (tranches, n)
        gpu_taken = np.minimum(taken_so_far, gpu_life)
        facility_taken = np.minimum(taken_so_far, facility_life)
        start_gpu = np.minimum(age[:, None], gpu_life)
        start_facility = np.minimum(age[:, None], facility_life)
        self.depreciation = (
            np.einsum("pt,ptn->pn", np.broadcast_to(gpu_rate, capex.shape),
                      np.broadcast_to(np.diff(gpu_taken, axis=-1, prepend=start_gpu),
                                      capex.shape + (n,)))
            + np.einsum("pt,ptn->pn", np.broadcast_to(facility_rate, capex.shape),
                        np.broadcast_to(np.diff(facility_taken, axis=-1, prepend=start_facility),
                                        capex.shape + (n,))))
        on_books = np.cumsum(fraction > 0, axis=1) > 0
        book = np.where(on_books, capex[:, :, None] - gpu_rate[:, :, None] * gpu_taken
                        - facility_rate[:, :, None] * facility_taken, 0.0).sum(axis=1)
        self.book_at_end = np.broadcast_to(book, (paths, n))[self.rows, self.end_month]
        self.terminal = self.book_at_end if self.bought else np.zeros(paths)

        rate = get("contract.provider_wacc_pct") / 100.0
        self.payment_df = np.broadcast_to(_power(1.0 + rate, -payment_day / DAYS_PER_YEAR),
                                          (paths, n))
        self.fee_df = (1.0 + np.broadcast_to(np.asarray(rate, dtype=float).reshape(-1), (paths,))
                       ) ** (-day_start[at] / DAYS_PER_YEAR)
        self.end_df = self.payment_df[self.rows, self.end_month]
        cash = self.operating - capex_spent
        cash[self.rows, at] += termination_fee
        self.cumulative_cash = np.cumsum(cash, axis=1)

    def _ebitda(self) -> np.ndarray:
        return self.operating.sum(axis=1) + self.termination_fee

    def _opportunity(self) -> np.ndarray:
        """core/economics.provider_opportunity_cost, month by month, the deal's months only."""
        if self.bought:
            return self.capex_spent.sum(axis=1) - self.terminal
        return ((self.market_rent - self.power_and_opex) * self.share).sum(axis=1)

    def _npv(self) -> np.ndarray:
        return (np.sum((self.operating - self.capex_spent) * self.payment_df, axis=1)
                + self.termination_fee * self.fee_df + self.terminal * self.end_df)

    def _economic_npv(self) -> np.ndarray:
        if self.bought:      # EBITDA - capex + terminal value: the NPV's own flows
            return self._npv()
        profit = (self.invoice - self.market_rent) * self.share
        return np.sum(profit * self.payment_df, axis=1) + self.termination_fee * self.fee_df

    def _irr(self) -> np.ndarray:
        """XIRR of the flows with the terminal value; n/a (NaN) on a path ended
        early by notice before the provider's cash (the termination fee in, the
        terminal value not) has paid back the capex: its rate would rest on the
        hardware's book value handed back after a few months' revenue (302% a
        year for the reference deal bought for the deal and ended on day one)."""
        flows = self.operating - self.capex_spent
        flows[self.rows, self.end_month] += self.terminal
        irr = xirr_paths(flows, self.payment_day, self.termination_fee,
                         self.day_start[self.at].astype(float))
        paid_back = self.cumulative_cash[self.rows, self.end_month] >= 0
        return np.where(self.ended_early & ~paid_back, np.nan, irr)

    def _payback_month(self) -> np.ndarray:
        reached = self.cumulative_cash >= 0
        return np.where(reached.any(axis=1), np.argmax(reached, axis=1) + 1.0, np.nan)

    def recipes(self) -> dict:
        return {
            "provider_revenue": lambda: (self.invoice * self.share).sum(axis=1)
            + self.termination_fee,
            "provider_ebitda": self._ebitda,
            "provider_ebit": lambda: self._ebitda() - (self.depreciation * self.share).sum(axis=1),
            "provider_npv": self._npv,
            "provider_irr": self._irr,
            "provider_payback_month": self._payback_month,
            "provider_opportunity_cost": self._opportunity,
            "provider_economic_profit": lambda: self._ebitda() - self._opportunity(),
            "provider_economic_npv": self._economic_npv,
            "provider_book_value_at_end": lambda: self.book_at_end.copy(),
        }


def xirr_paths(flows: np.ndarray, flow_days: np.ndarray, extra: np.ndarray | None = None,
               extra_days: np.ndarray | None = None) -> np.ndarray:
    """core.finance.xirr for every row of `flows` (paths x months, dated
    `flow_days` days from the start), with each row's `extra` flow on its own
    day: the same grid of rates, the same single-root rule (NaN without a
    sign change or with several roots) and the same bisection, run on every
    path at once.  The grid costs IRR_GRID x months x paths multiply-adds."""
    flows = np.asarray(flows, dtype=float)
    paths = flows.shape[0]
    extra = np.zeros(paths) if extra is None else np.asarray(extra, dtype=float)
    extra_days = np.zeros(paths) if extra_days is None else np.asarray(extra_days, dtype=float)
    out = np.full(paths, np.nan)
    signed = ((flows < 0).any(axis=1) | (extra < 0)) & ((flows > 0).any(axis=1) | (extra > 0))
    if not signed.any():
        return out
    rows = np.flatnonzero(signed)
    flows, extra, extra_days = flows[rows], extra[rows], extra_days[rows]
    origin = float(np.min(flow_days))
    years = (np.asarray(flow_days, dtype=float) - origin) / DAYS_PER_YEAR
    extra_years = (extra_days - origin) / DAYS_PER_YEAR
    rates = np.expm1(np.linspace(math.log1p(-0.9999), math.log1p(1e6), IRR_GRID))
    growth = np.log1p(rates)
    with np.errstate(over="ignore", invalid="ignore"):
        grid = np.exp(-np.outer(growth, years)) @ flows.T                  # (rates, rows)
        has = np.flatnonzero(extra)
        if has.size:     # few distinct days (month starts): one factor column for each
            days_, which = np.unique(extra_years[has], return_inverse=True)
            grid[:, has] += np.exp(-np.outer(growth, days_))[:, which] * extra[has]
    finite = np.isfinite(grid)
    above, below = (grid > 0) & finite, (grid < 0) & finite
    changes = (above[:-1] & below[1:]) | (below[:-1] & above[1:])
    exact = grid == 0.0
    single = changes.sum(axis=0) + exact.sum(axis=0) == 1
    found = np.full(len(rows), np.nan)
    on_grid = single & exact.any(axis=0)
    found[on_grid] = rates[np.argmax(exact[:, on_grid], axis=0)]
    bisect = np.flatnonzero(single & ~on_grid)

    def npv(rate: np.ndarray, which: np.ndarray) -> np.ndarray:
        g = np.log1p(rate)[:, None]
        return (np.sum(flows[which] * np.exp(-years[None, :] * g), axis=1)
                + extra[which] * np.exp(-extra_years[which] * g[:, 0]))

    if bisect.size:
        step = np.argmax(changes[:, bisect], axis=0)
        low, high = rates[step], rates[step + 1]
        f_low = npv(low, bisect)
        active = np.ones(bisect.size, dtype=bool)
        for _ in range(200):
            idx = np.flatnonzero(active)
            if not idx.size:
                break
            mid = (low[idx] + high[idx]) / 2.0
            f_mid = npv(mid, bisect[idx])
            done = (f_mid == 0) | ((high[idx] - low[idx]) < 1e-12 * np.maximum(1.0, np.abs(mid)))
            found[bisect[idx[done]]] = mid[done]
            active[idx[done]] = False
            go_on = ~done
            lower = go_on & (f_low[idx] * f_mid < 0)
            upper = go_on & ~(f_low[idx] * f_mid < 0)
            high[idx[lower]] = mid[lower]
            low[idx[upper]] = mid[upper]
            f_low[idx[upper]] = f_mid[upper]
        left = bisect[active]
        found[left] = (low[active] + high[active]) / 2.0
    out[rows] = found
    return out


def check_matches_engine(scenario: Scenario, rel: float = 1e-9, results=None) -> None:
    """Raise PathEngineMismatch if, for the scenario as it stands, one path
    here differs from `compute` on any figure of PATH_OUTPUTS.  `results`:
    `compute(scenario)` when the caller has it already."""
    if getattr(scenario.contract, "prepayment_months", 0) > 0:
        raise PathEngineMismatch(
            "The simulation does not model a prepayment or deposit yet: set Prepayment / deposit "
            "to 0 to simulate (the tornado covers it).")
    if results is None:
        results = compute(scenario)
    engine = results.key_figures
    paths = run_paths(scenario)
    path = paths.figures
    differ = []
    for name in PATH_OUTPUTS:
        expected = getattr(engine, name)
        got = float(path[name][0])
        expected = math.nan if expected is None else float(expected)
        if math.isnan(expected) and math.isnan(got):
            continue
        if not math.isclose(got, expected, rel_tol=rel, abs_tol=1e-9):
            differ.append(name)
    if not np.allclose(paths.cumulative_cash[0], results.schedule.buyer_cumulative_cash,
                       rtol=rel, atol=1e-6):
        differ.append("buyer_cumulative_cash")
    provider_cash = paths.provider_cumulative_cash
    assert provider_cash is not None          # every figure was wanted, the provider's too
    if not np.allclose(provider_cash[0], results.schedule.provider_cumulative_cash,
                       rtol=rel, atol=1e-6):
        differ.append("provider_cumulative_cash")
    if differ:
        raise PathEngineMismatch(
            "The simulation cannot model this scenario yet: its path engine disagrees with the "
            f"main model on {', '.join(differ)}. The tornado is unaffected.")
