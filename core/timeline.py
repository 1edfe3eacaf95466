"""The contract's months and the capacity online in each: the base that fees,
economics, termination and alternatives are all computed on."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.calendar import days_between, period_bounds
from core.finance import discount_factors
from core.parameters import (H100_DENSE_BF16_TFLOPS, H100_TOKENS_PER_S, H100E_BY_FLOPS,
                             H100E_BY_THROUGHPUT, H100E_BY_WORKLOAD, WORKLOAD_INFERENCE,
                             GpuModel, Scenario)


def h100e_weighting(scenario: Scenario) -> str:
    """The weighting in force: throughput or FLOPS (following the workload if so set)."""
    hw = scenario.hardware
    if hw.h100e_weighting == H100E_BY_WORKLOAD:
        return H100E_BY_THROUGHPUT if hw.workload == WORKLOAD_INFERENCE else H100E_BY_FLOPS
    return hw.h100e_weighting


def h100e_weighting_label(scenario: Scenario) -> str:
    """What every $/H100e figure is per: names the weighting and its H100 reference."""
    if h100e_weighting(scenario) == H100E_BY_THROUGHPUT:
        return f"by inference throughput (H100 SXM = {H100_TOKENS_PER_S:,.0f} tokens/s)"
    return f"by training FLOPS (H100 SXM = {H100_DENSE_BF16_TFLOPS:,.0f} dense BF16 TFLOPS)"


def h100e_per_gpu(scenario: Scenario, models: list[GpuModel]) -> np.ndarray:
    """H100-equivalents of one GPU of each model: tokens/s / 2,675 (inference
    throughput) or dense BF16 TFLOPS / 989 (training)."""
    if h100e_weighting(scenario) == H100E_BY_THROUGHPUT:
        return np.array([m.tokens_per_s / H100_TOKENS_PER_S for m in models], dtype=float)
    return np.array([m.bf16_dense_tflops / H100_DENSE_BF16_TFLOPS for m in models], dtype=float)


@dataclass(frozen=True)
class Timeline:
    bounds: np.ndarray         # n + 1 period boundaries, datetime64[D]
    month_start: np.ndarray    # datetime64[D]
    last_day: np.ndarray       # the last day of each period, datetime64[D]
    day_start: np.ndarray      # n + 1 boundaries as days from the start (int)
    days: np.ndarray           # float
    hours: np.ndarray
    seconds: np.ndarray
    # discount_factors' results on this timeline's own dates, by (dates, rate).
    _factors: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def months(self) -> int:
        return len(self.days)

    def discount_factors(self, dates: np.ndarray, rate: float) -> np.ndarray:
        """core.finance.discount_factors(dates, start date, rate) (read-only):
        kept on this timeline when `dates` is its month_start or last_day (the
        engine keeps the timeline across edits that leave the term alone)."""
        on = "month_start" if dates is self.month_start else (
            "last_day" if dates is self.last_day else None)
        if on is None:
            return discount_factors(dates, self.bounds[0], rate)
        kept = self._factors.get((on, rate))
        if kept is None:
            kept = discount_factors(dates, self.bounds[0], rate)
            kept.flags.writeable = False
            self._factors[(on, rate)] = kept
        return kept


@dataclass(frozen=True)
class Capacity:
    gpus_by_tranche: np.ndarray    # tranches x months, average GPUs online
    in_term: np.ndarray            # bool per tranche: online before the term ends
    online_month: np.ndarray       # int per tranche: period index it comes online (0 if before)
    counts: np.ndarray             # GPUs per tranche
    kw: np.ndarray                 # IT kW per GPU, per tranche
    h100e: np.ndarray              # H100-equivalents per GPU, per tranche
    tokens_per_s: np.ndarray
    capex_per_gpu: np.ndarray
    gpus_by_model: dict[str, np.ndarray]


def build_timeline(scenario: Scenario) -> Timeline:
    c = scenario.contract
    bounds = period_bounds(c.start_date, c.term_months)
    days = (bounds[1:] - bounds[:-1]).astype(int).astype(float)
    return Timeline(bounds=bounds, month_start=bounds[:-1],
                    last_day=bounds[1:] - np.timedelta64(1, "D"),
                    day_start=days_between(bounds, bounds[0]).astype(int),
                    days=days, hours=days * 24.0, seconds=days * 86_400.0)


def online_fraction(timeline: Timeline, tranches) -> np.ndarray:
    """tranches x months: the share of each period a tranche is online (its days
    online in the period over the period's days)."""
    month_end = timeline.bounds[1:]
    online = np.array([np.datetime64(t.online_date, "D") for t in tranches])
    online_days = np.clip((month_end[None, :] - online[:, None]).astype(int), 0, None)
    return np.minimum(online_days, timeline.days[None, :]) / timeline.days[None, :]


def build_capacity(scenario: Scenario, timeline: Timeline) -> Capacity:
    hw = scenario.hardware
    n = timeline.months
    tranches = hw.tranches
    if not tranches:
        empty = np.zeros(0)
        return Capacity(np.zeros((0, n)), np.zeros(0, dtype=bool), np.zeros(0, dtype=int),
                        empty, empty, empty, empty, empty, {})
    fraction = online_fraction(timeline, tranches)
    counts = np.array([t.gpu_count for t in tranches], dtype=float)
    models = [hw.model(t.gpu_model) for t in tranches]
    gpus_by_tranche = counts[:, None] * fraction
    in_term = np.asarray(fraction.any(axis=1), dtype=bool)
    online_month = np.where(in_term, np.argmax(fraction > 0, axis=1), n)
    gpus_by_model: dict[str, np.ndarray] = {}
    for t, row in zip(tranches, gpus_by_tranche):
        gpus_by_model[t.gpu_model] = gpus_by_model.get(t.gpu_model, 0.0) + row
    return Capacity(
        gpus_by_tranche=gpus_by_tranche, in_term=in_term, online_month=online_month,
        counts=counts,
        kw=np.array([m.it_kw_per_gpu for m in models]),
        h100e=h100e_per_gpu(scenario, models),
        tokens_per_s=np.array([m.tokens_per_s for m in models]),
        capex_per_gpu=np.array([m.capex_per_gpu for m in models]),
        gpus_by_model=gpus_by_model)


def paid_fraction(timeline: Timeline, end_days: np.ndarray) -> np.ndarray:
    """rows x months: the share of each period paid when the deal ends on day
    `end_days[row]` (days from the start); the period it ends in is prorated by days."""
    starts = timeline.day_start[:-1][None, :].astype(float)
    return np.clip((np.asarray(end_days, dtype=float)[:, None] - starts) / timeline.days[None, :],
                   0.0, 1.0)


@dataclass(frozen=True)
class CapacityOnline:
    """The fleet month by month: what is online, what it draws, what it delivers."""
    gpus_online: np.ndarray        # average GPUs online in the month
    h100e_online: np.ndarray       # the same, in H100-equivalents (h100e_per_gpu)
    it_mw: np.ndarray              # GPUs x IT kW per GPU / 1000
    facility_mw: np.ndarray        # it_mw x PUE, at the meter
    power_over_contract: np.ndarray  # facility_mw > contracted MW
    gpu_hours: np.ndarray          # gpus_online x hours x availability
    h100e_hours: np.ndarray        # h100e_online x hours x availability
    fleet_counts: np.ndarray       # GPUs per tranche, 0 for a tranche after the term
    fleet_it_mw: float             # IT MW of the whole fleet in the term
    capacity_share: np.ndarray     # it_mw / fleet_it_mw (the fee step that follows tranches)


# Facility power may exceed the contract by this much before it counts as over (rounding).
POWER_TOLERANCE_MW = 1e-6


def capacity_online(scenario: Scenario, timeline: Timeline, capacity: Capacity) -> CapacityOnline:
    """GPUs online x hours x availability = delivered GPU-hours; IT MW x PUE
    against the contracted MW."""
    hw = scenario.hardware
    availability = hw.availability_pct / 100.0
    gpus = capacity.gpus_by_tranche
    gpus_online = gpus.sum(axis=0)
    h100e_online = capacity.h100e @ gpus
    it_mw = capacity.kw @ gpus / 1000.0
    facility_mw = it_mw * hw.pue
    fleet_counts = np.where(capacity.in_term, capacity.counts, 0.0)
    fleet_it_mw = float(capacity.kw @ fleet_counts / 1000.0)
    return CapacityOnline(
        gpus_online=gpus_online, h100e_online=h100e_online, it_mw=it_mw,
        facility_mw=facility_mw,
        power_over_contract=facility_mw > hw.contracted_mw + POWER_TOLERANCE_MW,
        gpu_hours=gpus_online * timeline.hours * availability,
        h100e_hours=h100e_online * timeline.hours * availability,
        fleet_counts=fleet_counts, fleet_it_mw=fleet_it_mw,
        capacity_share=(it_mw / fleet_it_mw if fleet_it_mw > 0 else np.zeros(timeline.months)))
