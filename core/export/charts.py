"""The report's charts as data: title, axis and series per chart, taken from
the schedule.  The xlsx and pptx writers draw native charts from these; they
mirror the app's plots (contract, capacity, unit economics).  A series drawn
from a schedule column is named by core.figures, as everywhere else."""
from __future__ import annotations

import datetime as dt
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


# What each chart rests on, beyond the scenario's inputs: its footnote in the deck.
CHART_ASSUMPTIONS = {
    "payments": "payments are the invoices after SLA credits and the deposit; the exposure is "
                "notice given on each month's first day",
    "cumulative": "present values at the buyer's discount rate, on actual payment dates (XNPV)",
    "capacity": "each tranche counts from its online date, pro rata by days",
    "power": "facility power is IT power x PUE",
    "unit_costs": "invoices over delivered GPU-hours (availability applied)",
    "token_costs": "invoices over tokens served (cost) or that could be served (break-even)",
    "demand": "capacity at the stated availability and utilisation",
    "buyer_pnl": "token revenue = tokens served x the token price",
    "buyer_cash": "token revenue less payments",
    "provider_pnl": "EBITDA = invoices less power and opex",
    "provider_cash": "book value by straight-line depreciation",
    "termination_cost": "notice given on each month's first day, invoices pro rata to its end",
    "npv_if_ended": "each side's NPV at its own rate if notice is given that month",
    "alternatives": "cloud = the delivered GPU-hours at each model's market rent; build = capex, "
                    "power and opex",
    "lease": "IFRS 16: liability at the incremental borrowing rate",
    "tornado": "one input at a time 20% lower and higher, all others at the base case",
    "histogram": "Monte Carlo paths over the ranges stated in the summary",
    "fan": "Monte Carlo paths over the ranges stated in the summary",
    "comparison": "each scenario on its own dates and inputs",
    "two_way": "two inputs varied over the grid, every other input at the base case",
}


def chart_source(results: Results, key: str) -> str:
    """The footnote under a chart: where its figures come from and what they assume."""
    assumption = CHART_ASSUMPTIONS.get(key)
    return (f"Source: Compute Deal Modeler, \u201c{results.scenario.name}\u201d: [D] derived "
            f"from the inputs listed at the end"
            + (f"; {assumption}." if assumption else "."))


def series_notes(chart: ChartSpec, categories: list[str]) -> list[str]:
    """A speaker-notes line per series: its first and last values, its low and
    its high, each with its category (a month, an input)."""
    from core.formatting import format_by
    fmt = "money" if chart.value_kind == "money" else "number"
    lines = []
    for series in chart.series:
        values = np.asarray(series.values, dtype=float)
        finite = np.flatnonzero(np.isfinite(values))
        if not finite.size:
            continue
        low, high = finite[np.argmin(values[finite])], finite[np.argmax(values[finite])]

        def at(i):
            label = categories[i] if i < len(categories) else str(i + 1)
            return f"{format_by(fmt, float(values[i]))} ({label})"
        lines.append(f"{series.name}: {at(finite[0])} to {at(finite[-1])}; low {at(low)}, "
                     f"high {at(high)}.")
    return lines


def on_common_months(everything, column: str) -> tuple[tuple[str, ...], list[np.ndarray]]:
    """Several scenarios' schedule column on one calendar: the months any of them
    covers, in order, each scenario's values in its own months and NaN (no
    point) elsewhere, so a June 2026 deal and a January 2027 one line up by
    date, not by month number."""
    def month_of(day) -> tuple[int, int]:
        date = to_date(day)
        return date.year, date.month
    months = sorted({month_of(d) for r in everything for d in r.schedule.month_start})
    index = {m: i for i, m in enumerate(months)}
    series = []
    for r in everything:
        values = np.full(len(months), np.nan)
        for day, value in zip(r.schedule.month_start, getattr(r.schedule, column)):
            values[index[month_of(day)]] = value
        series.append(values)
    labels = tuple(dt.date(y, m, 1).strftime("%b %Y") for y, m in months)
    return labels, series
