"""Side-by-side comparison of named scenarios: their key figures, the
differences against the first (the base), and the curves to overlay.

Views show what this module computes; they compute nothing themselves.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from core.engine import Results, compute
from core.formatting import MINUS, format_money, format_quantity
from core.parameters import Scenario

# (KeyFigures field, label, kind): kind picks the formatting.
FIGURES = (
    ("total_contract_value", "Total contract value", "money"),
    ("annual_run_rate", "Annual run rate", "money"),
    ("npv_payments", "NPV of payments", "money"),
    ("walkaway_exposure", "Walk-away exposure", "money"),
    ("price_per_gpu_hour", "$ / GPU-hour", "money"),
    ("price_per_h100e_hour", "$ / H100e-hour", "money"),
    ("price_per_mw_month", "$ / MW-month", "money"),
    ("cost_per_million_tokens", "$ / M tokens", "money"),
    ("breakeven_token_price", "Break-even $ / M tokens", "money"),
    ("term_months", "Term", "months"),
    ("gpus", "GPUs", "GPUs"),
    ("h100_equivalents", "H100-equivalents", "H100e"),
    ("facility_mw", "Power at the meter", "MW"),
    ("gpu_hours_delivered", "GPU-hours delivered", "GPU-h"),
    ("tokens_served", "Tokens served", "tokens"),
    ("shortfall_months", "Months short of demand", "months"),
)


def _finite(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def format_value(kind: str, value: float | None) -> str:
    if value is None:
        return "\u2014"
    if kind == "money":
        return format_money(value)
    if kind == "months":
        return f"{value:,.0f} months"
    return format_quantity(value, kind)


def format_difference(kind: str, value: float | None) -> str:
    """A difference with its sign in front: +$1.20B, −$3.70B, +12 months, 0."""
    if value is None:
        return "\u2014"
    if value == 0:
        return "0"
    text = format_value(kind, abs(value))
    if not any(ch in "123456789" for ch in text):
        return "0"   # rounds to nothing at the precision shown: no sign
    return ("+" if value > 0 else MINUS) + text


def format_relative(value: float | None) -> str:
    if value is None:
        return ""
    if value == 0:
        return "0%"
    text = f"{abs(value) * 100:,.1f}%"
    if not any(ch in "123456789" for ch in text):
        return "0%"
    return f"{'+' if value > 0 else MINUS}{text}"


@dataclass(frozen=True)
class ComparisonRow:
    key: str
    label: str
    kind: str
    values: tuple[float | None, ...]        # one per scenario
    differences: tuple[float | None, ...]   # against the base; the base's own is 0
    relative: tuple[float | None, ...]      # difference / base value (None if base is 0)

    def value_text(self, i: int) -> str:
        return format_value(self.kind, self.values[i])

    def difference_text(self, i: int) -> str:
        text = format_difference(self.kind, self.differences[i])
        relative = format_relative(self.relative[i])
        return f"{text} ({relative})" if relative and text != "0" else text


@dataclass(frozen=True)
class Curve:
    name: str
    month_start: np.ndarray            # datetime64[D]
    period_edges: np.ndarray           # datetime64[D], one more than months: for step plots
    cumulative_payment: np.ndarray     # $


@dataclass(frozen=True)
class Comparison:
    names: tuple[str, ...]
    rows: tuple[ComparisonRow, ...]
    curves: tuple[Curve, ...]

    def row(self, key: str) -> ComparisonRow:
        return next(r for r in self.rows if r.key == key)


def _edges(schedule) -> np.ndarray:
    starts = schedule.month_start
    if len(starts) == 0:
        return starts
    return np.append(starts, starts[-1] + np.timedelta64(int(schedule.days[-1]), "D"))


def compare(scenarios: Sequence[Scenario],
            results: Sequence[Results | None] | None = None) -> Comparison:
    """Key figures of each scenario and their differences against the first.
    `results` may give some scenarios' results already computed."""
    if not scenarios:
        raise ValueError("nothing to compare: no scenarios")
    given = list(results) if results is not None else [None] * len(scenarios)
    computed = [r if r is not None else compute(s) for s, r in zip(scenarios, given)]
    rows = []
    for key, label, kind in FIGURES:
        if not all(hasattr(r.key_figures, key) for r in computed):
            continue
        values = tuple(_finite(getattr(r.key_figures, key)) for r in computed)
        base = values[0]
        differences = tuple(None if v is None or base is None else v - base for v in values)
        relative = tuple(None if d is None or not base else d / abs(base) for d in differences)
        rows.append(ComparisonRow(key, label, kind, values, differences, relative))
    curves = tuple(Curve(s.name, r.schedule.month_start, _edges(r.schedule),
                         r.schedule.cumulative_payment) for s, r in zip(scenarios, computed))
    return Comparison(tuple(s.name for s in scenarios), tuple(rows), curves)
