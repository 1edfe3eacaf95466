"""The contract's months and the capacity online in each: the base that fees,
economics, termination and alternatives are all computed on."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.calendar import days_between, period_bounds
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

    @property
    def months(self) -> int:
        return len(self.days)


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


def build_capacity(scenario: Scenario, timeline: Timeline) -> Capacity:
    hw = scenario.hardware
    n = timeline.months
    tranches = hw.tranches
    if not tranches:
        empty = np.zeros(0)
        return Capacity(np.zeros((0, n)), np.zeros(0, dtype=bool), np.zeros(0, dtype=int),
                        empty, empty, empty, empty, empty, {})
    month_end = timeline.bounds[1:]
    online = np.array([np.datetime64(t.online_date, "D") for t in tranches])
    # Days of each period the tranche is online, as a share of the period.
    online_days = np.clip((month_end[None, :] - online[:, None]).astype(int), 0, None)
    fraction = np.minimum(online_days, timeline.days[None, :]) / timeline.days[None, :]
    counts = np.array([t.gpu_count for t in tranches], dtype=float)
    models = [hw.model(t.gpu_model) for t in tranches]
    gpus_by_tranche = counts[:, None] * fraction
    in_term = fraction.any(axis=1)
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
