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

from core.parameters import CAPEX_FOR_DEAL, Scenario
from core.timeline import Capacity, Timeline


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
