"""Pieces shared by the Solve panel and the two-way table: the figure and
input pickers, and numbers typed and shown the way an analyst writes them
("15%", "$1.25B", "45e9").

Figures are named by their KeyFigures field until core/figures.py gives
them labels; `figure_label` is the one place to switch over.
"""
from __future__ import annotations

import math
import re

from PySide6.QtWidgets import QComboBox

from core.formatting import format_money, format_percent, format_quantity
from core.solve import FIGURES, NumericInput, numeric_inputs

_SUFFIX = {"k": 1e3, "m": 1e6, "b": 1e9, "bn": 1e9, "t": 1e12}
_NUMBER = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*(k|m|bn|b|t)?\s*(%)?$")
# Figures that are fractions shown as percentages, counts of months, and other units.
_PERCENT = {"provider_irr"}
_MONTH_NUMBERS = {"provider_payback_month", "breakeven_month_vs_cloud", "build_crossover_month"}
_MONTHS = {"term_months", "shortfall_months", "lease_term_months"}
_UNITS = {"gpus": "GPUs", "h100_equivalents": "H100e", "fleet_it_mw": "MW", "facility_mw": "MW",
          "contracted_mw": "MW", "gpu_hours_delivered": "GPU-h", "tokens_served": "tokens"}


def figure_label(name: str) -> str:
    """What a user sees for a key figure (its field name, readable, for now)."""
    words = name.replace("_", " ").replace("irr", "IRR").replace("npv", "NPV")
    return words[:1].upper() + words[1:]


def is_percent_figure(name: str) -> bool:
    return name in _PERCENT


def format_figure(name: str, value: float | None) -> str:
    """A key figure's value as the app shows it: money, a percentage, months, a count."""
    if value is None or not math.isfinite(value):
        return "\u2014"
    if name in _PERCENT:
        return format_percent(value, 2)
    if name in _MONTH_NUMBERS:
        return f"month {value:,.0f}"
    if name in _MONTHS:
        return f"{value:,.0f} months"
    if name in _UNITS:
        return format_quantity(value, _UNITS[name])
    return format_money(value)


def format_input(spec: NumericInput, value: float) -> str:
    """An input's value with its unit: $1.25B, 60 %, 36 months."""
    if not math.isfinite(value):
        return "\u2014"
    if spec.unit == "$":
        return format_money(value, digits=4, trim=True)
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.6g}"
    return f"{number} {spec.unit}".rstrip()


def compact_number(value: float) -> str:
    """A number to put in an entry box, that `parse_number` reads back exactly
    for up to six significant figures: 625M, 1.875B, 60, 0.15."""
    for threshold, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if abs(value) >= threshold:
            return f"{value / threshold:.6g}{suffix}"
    return f"{value:.6g}"


def parse_number(text: str, percent_as_fraction: bool = True) -> float:
    """"1.25B", "$625M", "45e9", "15%" (0.15), "1,000": ValueError if not a number."""
    cleaned = text.strip().replace(",", "").replace("$", "").replace("\u2212", "-").lower()
    match = _NUMBER.match(cleaned)
    if not match:
        raise ValueError(f"{text.strip() or 'nothing'!r} is not a number (e.g. 0.15, 15%, 1.25B)")
    value = float(match.group(1)) * _SUFFIX.get(match.group(2) or "", 1.0)
    if match.group(3) and percent_as_fraction:
        value /= 100.0
    if not math.isfinite(value):
        raise ValueError(f"{text.strip()!r} is not a finite number")
    return value


def figure_combo(default: str) -> QComboBox:
    combo = QComboBox()
    for name in FIGURES:
        combo.addItem(figure_label(name), name)
    combo.setCurrentIndex(max(0, combo.findData(default)))
    combo.setMaxVisibleItems(20)
    return combo


def input_combo(default: str) -> QComboBox:
    """Every numeric input, "Monthly fee ($) - contract", its SECTION.FIELD as data."""
    combo = QComboBox()
    for spec in numeric_inputs():
        unit = f" ({spec.unit})" if spec.unit else ""
        combo.addItem(f"{spec.label}{unit} \u2014 {spec.section}", spec.key)
    combo.setCurrentIndex(max(0, combo.findData(default)))
    combo.setMaxVisibleItems(20)
    return combo
