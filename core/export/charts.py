"""The report's charts as data: title, axis and series per chart, taken from
the schedule.  The xlsx and pptx writers draw native charts from these; they
mirror the app's plots (contract, capacity, unit economics)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.calendar import to_date
from core.engine import Results
from core.palette import OKABE_ITO, SERIES_ORDER


@dataclass(frozen=True)
class Series:
    name: str
    values: np.ndarray
    kind: str          # "bar", "line" or "area" (stacked)
    colour: str        # hex
    column: str = ""   # the schedule column it comes from, where there is one


@dataclass(frozen=True)
class ChartSpec:
    key: str
    title: str
    axis_title: str
    value_kind: str    # "money" or "quantity"
    series: tuple[Series, ...]


def month_labels(results: Results) -> list[str]:
    return [to_date(d).strftime("%b %Y") for d in results.schedule.month_start]


def report_charts(results: Results) -> list[ChartSpec]:
    s = results.schedule
    c = OKABE_ITO
    models = list(s.gpus_by_model)
    contracted = np.full(len(s), results.key_figures.contracted_mw)
    return [
        ChartSpec("payments", "Monthly payment and walk-away exposure", "$ per month", "money", (
            Series("Monthly payment", s.payment, "bar", c["sky"], "payment"),
            Series("Walk-away exposure (notice given that month)", s.walkaway_exposure, "line",
                   c["vermillion"], "walkaway_exposure"))),
        ChartSpec("cumulative", "Cumulative spend", "$", "money", (
            Series("Cumulative payments", s.cumulative_payment, "line", c["blue"],
                   "cumulative_payment"),
            Series("Cumulative present value", s.cumulative_payment_pv, "line", c["green"],
                   "cumulative_payment_pv"))),
        ChartSpec("capacity", "GPUs online by model", "GPUs", "quantity", tuple(
            Series(model, s.gpus_by_model[model], "area",
                   c[SERIES_ORDER[i % len(SERIES_ORDER)]])
            for i, model in enumerate(models))),
        ChartSpec("power", "Power against the contract", "MW", "quantity", (
            Series("Facility MW (IT x PUE)", s.facility_mw_online, "line", c["vermillion"],
                   "facility_mw_online"),
            Series("IT MW", s.it_mw_online, "line", c["blue"], "it_mw_online"),
            Series("Contracted MW", contracted, "line", c["black"]))),
        ChartSpec("unit_costs", "Unit costs over time", "$", "money", (
            Series("$ per GPU-hour", s.price_per_gpu_hour, "line", c["blue"],
                   "price_per_gpu_hour"),
            Series("$ per H100-equivalent hour", s.price_per_h100e_hour, "line", c["sky"],
                   "price_per_h100e_hour"),
            Series("Cost per million tokens (capacity)", s.cost_per_million_tokens, "line",
                   c["green"], "cost_per_million_tokens"),
            Series("Break-even price per million tokens (served)", s.breakeven_token_price,
                   "line", c["vermillion"], "breakeven_token_price"))),
        ChartSpec("demand", "Token capacity against demand", "tokens per second", "quantity", (
            Series("Capacity", s.capacity_tokens_per_s, "line", c["blue"],
                   "capacity_tokens_per_s"),
            Series("Demand", s.demand_tokens_per_s, "line", c["orange"],
                   "demand_tokens_per_s"))),
    ]
