"""Formatting of money, power and counts for figures, tables and plot axes.

Money shows the sign in front and a B / M / K suffix: -$1.2B is written
"−$1.2B" (a true minus sign), $45,000,000,000 "$45.0B", $7.7762 "$7.78".
"""
from __future__ import annotations

import math

MINUS = "\u2212"
_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))


def _significant(value: float, digits: int) -> str:
    """`value` (>= 1) with `digits` significant figures, e.g. 45 -> "45.0"."""
    if value == 0:
        return "0"
    integer_digits = int(math.floor(math.log10(value))) + 1
    decimals = max(0, digits - integer_digits)
    text = f"{value:.{decimals}f}"
    # Rounding may carry into another digit (999.6 -> "1000"): re-format.
    if len(text.split(".")[0]) > integer_digits and decimals > 0:
        text = f"{value:.{decimals - 1}f}"
    return text


def _scaled(magnitude: float, digits: int, trim: bool) -> str:
    for threshold, suffix in _SUFFIXES:
        # 999.96M rounds to 1000M at 3 figures: show it as 1.00B instead.
        if magnitude >= threshold * (1 - 0.5 * 10 ** -digits):
            number = _significant(magnitude / threshold, digits)
            if trim and "." in number:
                number = number.rstrip("0").rstrip(".")
            return number + suffix
    number = f"{magnitude:,.2f}" if magnitude < 100 else f"{magnitude:,.0f}"
    if trim and "." in number:
        number = number.rstrip("0").rstrip(".")
    return number


def format_money(value: float | None, digits: int = 3, trim: bool = False) -> str:
    """$45.0B, $3.70B, $4.17M, $7.78, −$1.20B; an undefined value is "—"."""
    if value is None or not math.isfinite(value):
        return "\u2014"
    body = _scaled(abs(value), digits, trim)
    # No sign on a value that rounds to zero ("−$0.00" reads as a loss).
    sign = MINUS if value < 0 and any(ch in "123456789" for ch in body) else ""
    return f"{sign}${body}"


def format_quantity(value: float | None, unit: str = "", digits: int = 3,
                    trim: bool = False) -> str:
    """A count or physical quantity with a suffix: 220K GPUs, 389 MW, 1.2B tokens/s."""
    if value is None or not math.isfinite(value):
        return "\u2014"
    sign = MINUS if value < 0 else ""
    body = _scaled(abs(value), digits, trim)
    return f"{sign}{body} {unit}".rstrip()


def format_count(value: float) -> str:
    """A whole count with thousands separators: 220,000."""
    return f"{value:,.0f}"


def format_percent(fraction: float | None, decimals: int = 1) -> str:
    """A rate given as a fraction: 0.2018 -> "20.2%"; undefined -> "—"."""
    if fraction is None or not math.isfinite(fraction):
        return "\u2014"
    sign = MINUS if fraction < 0 else ""
    return f"{sign}{abs(fraction) * 100:,.{decimals}f}%"


def format_month(month: int | None, never: str = "never") -> str:
    """A 1-based contract month: "month 12"; None -> `never`."""
    return never if month is None else f"month {month}"
