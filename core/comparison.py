"""Side-by-side comparison of named scenarios: their key figures, the
differences against the first (the base), and the curves to overlay.

Views show what this module computes; they compute nothing themselves.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from core import figures
from core.engine import Results, compute
from core.formatting import MINUS
from core.parameters import Scenario

# The figures compared, in order: key figures, then the credit figures that
# value each side (core.figures.CREDIT_FIGURES); labels and formats from core.figures.
FIGURES = (
    "total_contract_value", "annual_run_rate", "npv_payments", "walkaway_exposure",
    "price_per_gpu_hour", "price_per_h100e_hour", "price_per_mw_month",
    "cost_per_million_tokens", "breakeven_token_price", "term_months", "gpus",
    "h100_equivalents", "facility_mw", "gpu_hours_delivered", "tokens_served",
    "shortfall_months",
    "buyer_expected_credit_loss", "credit_adjusted_buyer_npv",
    "provider_expected_credit_loss", "credit_adjusted_provider_npv",
)


def _finite(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def format_difference(key: str, value: float | None) -> str:
    """A difference in the figure `key`, sign in front: +$1.20B, −$3.70B, +12 months, 0."""
    if value is None:
        return figures.format_value(key, None)
    if value == 0:
        return "0"
    text = figures.format_value(key, abs(value))
    if not any(ch in "123456789" for ch in text.split(" ")[0]):
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
    values: tuple[float | None, ...]        # one per scenario
    differences: tuple[float | None, ...]   # against the base; the base's own is 0
    relative: tuple[float | None, ...]      # difference / base value (None if base is 0)

    def value_text(self, i: int) -> str:
        return figures.format_value(self.key, self.values[i])

    def difference_text(self, i: int) -> str:
        text = format_difference(self.key, self.differences[i])
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
    for key in FIGURES:
        values = tuple(_finite(figures.result_value(r, key)) for r in computed)
        base = values[0]
        differences = tuple(None if v is None or base is None else v - base for v in values)
        relative = tuple(None if d is None or not base else d / abs(base) for d in differences)
        rows.append(ComparisonRow(key, figures.label(key), values, differences, relative))
    curves = tuple(Curve(s.name, r.schedule.month_start, _edges(r.schedule),
                         r.schedule.cumulative_payment) for s, r in zip(scenarios, computed))
    return Comparison(tuple(s.name for s in scenarios), tuple(rows), curves)
