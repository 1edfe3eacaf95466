"""Tokens: what the fleet can serve against what the buyer's demand asks.

- capacity (tokens/s) = sum over tranches of GPUs online x tokens/s per GPU,
  x availability x utilization;
- demand (tokens/s) = demand at start x (1 + monthly growth) ^ month index;
- tokens the capacity can serve in a month = capacity x seconds in it;
- tokens served = the lower of demand and capacity, x seconds.

A demand plan (`Projections.demand_plan`) gives, for the months it names,
the tokens the buyer wants served over the month; it replaces the growth
curve in those months, as a rate: planned tokens / seconds in the month.
So a planned month's tokens served are min(planned tokens, capacity x
seconds), and its shortfall is planned tokens > what the capacity serves.
Planned months after the term have no effect.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.parameters import Scenario, planned_months
from core.timeline import Capacity, Timeline


@dataclass(frozen=True)
class TokenFlows:
    capacity_tokens_per_s: np.ndarray
    demand_tokens_per_s: np.ndarray
    tokens_capacity: np.ndarray      # tokens the capacity can serve in the month
    tokens_served: np.ndarray        # min(demand, capacity) x seconds

    @property
    def shortfall_months(self) -> int:
        """Months in which demand exceeds what the capacity can serve."""
        return int(np.count_nonzero(self.demand_tokens_per_s > self.capacity_tokens_per_s))


def token_flows(scenario: Scenario, timeline: Timeline, capacity: Capacity) -> TokenFlows:
    hw, pj = scenario.hardware, scenario.projections
    capacity_tps = ((capacity.tokens_per_s @ capacity.gpus_by_tranche)
                    * hw.availability_pct / 100.0 * hw.utilization_pct / 100.0)
    demand_tps = (pj.demand_tokens_per_s
                  * (1.0 + pj.demand_growth_pct_per_month / 100.0) ** np.arange(timeline.months))
    if pj.demand_plan:
        planned, tokens = demand_plan(scenario, timeline.months)
        demand_tps = np.where(planned, tokens / timeline.seconds, demand_tps)
    return TokenFlows(
        capacity_tokens_per_s=capacity_tps, demand_tokens_per_s=demand_tps,
        tokens_capacity=capacity_tps * timeline.seconds,
        tokens_served=np.minimum(demand_tps, capacity_tps) * timeline.seconds)


def demand_plan(scenario: Scenario, months: int) -> tuple[np.ndarray, np.ndarray]:
    """(planned, tokens) over `months` months: which are planned, and the
    planned tokens over each (0 where not planned)."""
    return planned_months(scenario.projections.demand_plan, months)
