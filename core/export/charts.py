"""The report's charts as data: title, axis and series per chart, taken from
the schedule.  The xlsx and pptx writers draw native charts from these; they
mirror the app's plots (contract, capacity, unit economics).  A series drawn
from a schedule column is named by core.figures, as everywhere else."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import figures
from core.calendar import to_date
from core.engine import Results
from core.palette import OKABE_ITO, SERIES_ORDER


@dataclass(frozen=True)
class Series:
    name: str
    values: np.ndarray
    kind: str          # "bar", "line", "area" (stacked) or "hbar" (horizontal bars)
    colour: str        # hex
    column: str = ""   # the schedule column it comes from, where there is one


def column_series(column: str, values: np.ndarray, kind: str, colour: str) -> Series:
    """A schedule column's series, named as core.figures labels the column."""
    return Series(figures.label(column), values, kind, colour, column)


@dataclass(frozen=True)
class ChartSpec:
    key: str
    title: str
    axis_title: str
    value_kind: str    # "money" or "quantity"
    series: tuple[Series, ...]
    # The categories when they are not the schedule's months (a tornado's inputs,
    # a histogram's bins); None: one category a month.
    categories: tuple[str, ...] | None = None

    def has_data(self) -> bool:
        """Whether some series has a finite point: no export draws an empty chart."""
        return any(np.isfinite(np.asarray(s.values, dtype=float)).any() for s in self.series)


def month_labels(results: Results) -> list[str]:
    return [to_date(d).strftime("%b %Y") for d in results.schedule.month_start]


def report_charts(results: Results) -> list[ChartSpec]:
    s = results.schedule
    c = OKABE_ITO
    models = list(s.gpus_by_model)
    contracted = np.full(len(s), results.key_figures.contracted_mw)
    return [
        ChartSpec("payments", "Monthly payment and walk-away exposure", "$ per month", "money", (
            column_series("payment", s.payment, "bar", c["sky"]),
            column_series("walkaway_exposure", s.walkaway_exposure, "line", c["vermillion"]))),
        ChartSpec("cumulative", "Cumulative spend", "$", "money", (
            column_series("cumulative_payment", s.cumulative_payment, "line", c["blue"]),
            column_series("cumulative_payment_pv", s.cumulative_payment_pv, "line",
                          c["green"]))),
        ChartSpec("capacity", "GPUs online by model", "GPUs", "quantity", tuple(
            Series(model, s.gpus_by_model[model], "area",
                   c[SERIES_ORDER[i % len(SERIES_ORDER)]])
            for i, model in enumerate(models))),
        ChartSpec("power", "Power against the contract", "MW", "quantity", (
            column_series("facility_mw_online", s.facility_mw_online, "line", c["vermillion"]),
            column_series("it_mw_online", s.it_mw_online, "line", c["blue"]),
            Series(figures.label("contracted_mw"), contracted, "line", c["black"]))),
        ChartSpec("unit_costs", "Unit costs over time", "$", "money", (
            column_series("price_per_gpu_hour", s.price_per_gpu_hour, "line", c["blue"]),
            column_series("price_per_h100e_hour", s.price_per_h100e_hour, "line", c["sky"]),
            column_series("cost_per_million_tokens", s.cost_per_million_tokens, "line",
                          c["green"]),
            column_series("breakeven_token_price", s.breakeven_token_price, "line",
                          c["vermillion"]))),
        ChartSpec("demand", "Token capacity against demand", "tokens per second", "quantity", (
            column_series("capacity_tokens_per_s", s.capacity_tokens_per_s, "line", c["blue"]),
            column_series("demand_tokens_per_s", s.demand_tokens_per_s, "line", c["orange"]))),
    ]
