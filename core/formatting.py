"""Formatting of money, power and counts for figures, tables and plot axes.

Money shows the sign in front and a B / M / K suffix: -$1.2B is written
"−$1.2B" (a true minus sign), $45,000,000,000 "$45.0B", $7.7762 "$7.78".
A rate keeps its unit after the number ("$7.78/GPU-hour"); whole counts show
no decimals ("220,000 GPUs"); magnitudes beyond trillions are written in
words ("25.9 quadrillion tokens"), beyond sextillions as a power of ten
("2.59 × 10²⁵"), never "25920T".

`format_by(fmt, value, unit)` is the one entry point for a named format; the
names are those core.figures declares for every output.
"""
from __future__ import annotations

import math
from typing import Callable

MINUS = "\u2212"
_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
# Beyond a thousand trillion a suffix stops being readable: words, to sextillions
# (a board reads "46.0 quadrillion tokens", not "4.60 × 10¹⁶"), then a power of ten.
_WORDS = ((1e21, "sextillion"), (1e18, "quintillion"), (1e15, "quadrillion"))
_POWER_OF_TEN_FROM = 1e24
_SUPERSCRIPT = str.maketrans("0123456789-", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207b")


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
    for threshold, word in _WORDS:
        # Beyond trillions, counts in words: 4.60e16 is "46.0 quadrillion".
        if threshold * (1 - 0.5 * 10 ** -digits) <= magnitude < _POWER_OF_TEN_FROM \
                * (1 - 0.5 * 10 ** -digits):
            number = _significant(magnitude / threshold, digits)
            if len(number.split(".")[0]) > 3:        # 999.96 quadrillion: one word up
                continue
            if trim and "." in number:
                number = number.rstrip("0").rstrip(".")
            return f"{number} {word}"
    if magnitude >= _POWER_OF_TEN_FROM * (1 - 0.5 * 10 ** -digits):
        # 999.96T rounds to 1.00 x 10^15, not 9.99 x 10^14 or "1000T".
        exponent = max(15, int(math.floor(math.log10(magnitude))))
        mantissa = magnitude / 10 ** exponent
        if float(f"{mantissa:.{digits - 1}f}") >= 10:   # 9.996 rounds up to 10.0
            exponent += 1
            mantissa /= 10
        number = f"{mantissa:.{digits - 1}f}"
        if trim and "." in number:
            number = number.rstrip("0").rstrip(".")
        return f"{number} \u00d7 10{str(exponent).translate(_SUPERSCRIPT)}"
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


NOT_AVAILABLE = "n/a"
# The named formats core.figures may declare; format_by knows each of them.
FORMATS = ("money", "money_rate", "percent", "count", "number", "mw", "month", "date", "bool",
           "tokens", "hours", "text")


def _is_missing(value) -> bool:
    """None, NaN or NaT: a value that is not there."""
    if value is None or str(value) == "NaT":
        return True
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):   # a date or some text: present
        return False


def _rate_suffix(unit: str) -> str:
    """What follows the money of a rate: "/GPU-hour" of "$/GPU-hour"."""
    return unit[1:] if unit.startswith("$") else unit


def _with_unit(number: str, unit: str) -> str:
    return f"{number} {unit}" if unit else number


def format_by(fmt: str, value, unit: str = "") -> str:
    """`value` in the named format `fmt` with its `unit`: one number style app-wide.

    money       $45.0B, −$1.20B            (unit "$")
    money_rate  $7.78/GPU-hour             (unit "$/GPU-hour": the part after "$" follows)
    percent     20.2%                      (the value is a fraction: 0.202)
    count       220,000 GPUs; 36 months    (no decimals; 1.2M and up with a suffix)
    number      0.962; 1.20M H100e         (3 significant figures)
    mw          389 MW; 12.5 MW
    month       month 12                   (a 1-based contract month)
    date        2026-05-01
    bool        yes / no
    tokens      1.20T tokens; 3.40M tokens/s
    hours       1.90B GPU-hours
    text        a sentence the model states (e.g. whose exposure a figure is)
    None, NaN and NaT are "n/a".
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown number format {fmt!r}; known: {', '.join(FORMATS)}")
    if _is_missing(value):
        return NOT_AVAILABLE
    if fmt == "text":
        return str(value)
    if fmt == "date":
        return str(value)[:10]
    if fmt == "bool":
        return "yes" if bool(value) else "no"
    if fmt == "month":
        return format_month(int(value))
    value = float(value)
    if fmt == "money":
        return format_money(value)
    if fmt == "money_rate":
        return format_money(value) + _rate_suffix(unit)
    if fmt == "percent":
        return format_percent(value)
    if fmt == "count":
        sign = MINUS if value < 0 and round(abs(value)) else ""
        body = (f"{round(abs(value)):,.0f}" if abs(value) < 1e6
                else _scaled(abs(value), 3, False))
        return _with_unit(sign + body, unit)
    if fmt == "mw":
        sign = MINUS if value < 0 and round(abs(value), 1) else ""
        body = f"{abs(value):,.1f}" if abs(value) < 100 else f"{abs(value):,.0f}"
        return _with_unit(sign + body, unit or "MW")
    if fmt == "number" and abs(value) < 1:
        sign = MINUS if value < 0 and round(abs(value), 3) else ""
        return _with_unit(f"{sign}{abs(value):.3f}", unit)
    return format_quantity(value, unit)


def formatter_for(fmt: str, unit: str = "") -> Callable[[float], str]:
    """`format_by(fmt, value, unit)` as a function of a float alone, for many
    values of one format (the 625 cells of a two-way table): the format's
    checks are made once, not once a value.  The same text for every value."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown number format {fmt!r}; known: {', '.join(FORMATS)}")
    isfinite = math.isfinite
    if fmt == "money":
        return lambda value: format_money(value) if isfinite(value) else NOT_AVAILABLE
    if fmt == "money_rate":
        per = _rate_suffix(unit)
        return lambda value: format_money(value) + per if isfinite(value) else NOT_AVAILABLE
    if fmt == "percent":
        return lambda value: format_percent(value) if isfinite(value) else NOT_AVAILABLE
    return lambda value: format_by(fmt, value, unit)
