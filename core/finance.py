"""Discounting on actual dates (XNPV / XIRR conventions) and crossings.

A cash flow on date d is worth flow x (1 + r) ^ (-days(d - valuation) / 365)
at the valuation date, as a spreadsheet's XNPV computes it, so that an
exported workbook reproduces the app's figures.
"""
from __future__ import annotations

import math

import numpy as np

DAYS_PER_YEAR = 365.0


def day_offsets(dates: np.ndarray, valuation) -> np.ndarray:
    return (np.asarray(dates, dtype="datetime64[D]") - np.datetime64(valuation, "D")).astype(float)


def discount_factors(dates: np.ndarray, valuation, rate: float) -> np.ndarray:
    """(1 + rate) ^ (-days / 365) for each date; rate as a fraction (0.10)."""
    return (1.0 + rate) ** (-day_offsets(dates, valuation) / DAYS_PER_YEAR)


def xnpv(rate: float, flows: np.ndarray, dates: np.ndarray, valuation) -> float:
    return float(np.sum(np.asarray(flows, dtype=float) * discount_factors(dates, valuation, rate)))


# Rates scanned for the roots of XNPV (more than one root: no single IRR).
IRR_GRID = 4001


def xirr(flows: np.ndarray, dates: np.ndarray) -> float:
    """The annual rate at which XNPV of the flows is zero, valued at the first
    date; NaN when the flows do not change sign (no investment to return) and
    when they have more than one such rate (flows whose sign changes more than
    once can: there is then no one IRR to report, and a spreadsheet's XIRR
    returns whichever its first guess leads to)."""
    flows = np.asarray(flows, dtype=float)
    if not (np.any(flows < 0) and np.any(flows > 0)):
        return math.nan
    years = day_offsets(dates, np.min(dates)) / DAYS_PER_YEAR

    def npv(rate: float) -> float:
        return float(np.sum(flows * np.exp(-years * math.log1p(rate))))

    # Every root on (-0.9999, 1e6): XNPV on a grid of rates even in log(1 + r),
    # then each sign change bisected; robust where Newton is not.
    rates = np.expm1(np.linspace(math.log1p(-0.9999), math.log1p(1e6), IRR_GRID))
    with np.errstate(over="ignore", invalid="ignore"):
        grid = np.exp(-np.outer(np.log1p(rates), years)) @ flows
    signs = np.sign(grid)
    changes = np.flatnonzero(np.isfinite(grid[:-1]) & np.isfinite(grid[1:])
                             & (signs[:-1] * signs[1:] < 0))
    exact = np.flatnonzero(grid == 0.0)
    if len(changes) + len(exact) != 1:
        return math.nan
    if len(exact):
        return float(rates[exact[0]])
    low, high = float(rates[changes[0]]), float(rates[changes[0] + 1])
    f_low = npv(low)
    for _ in range(200):
        mid = (low + high) / 2.0
        f_mid = npv(mid)
        if f_mid == 0 or (high - low) < 1e-12 * max(1.0, abs(mid)):
            return mid
        if f_low * f_mid < 0:
            high = mid
        else:
            low, f_low = mid, f_mid
    return (low + high) / 2.0


def first_month_at_or_above(values: np.ndarray, threshold: float = 0.0) -> int | None:
    """1-based month at which `values` first reaches the threshold; None if never."""
    hits = np.flatnonzero(np.asarray(values) >= threshold)
    return int(hits[0]) + 1 if hits.size else None


def first_crossing(a: np.ndarray, b: np.ndarray) -> int | None:
    """1-based month at which a - b first changes sign from its sign in month 1
    (where two cumulative cost lines cross); None if they never cross."""
    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    if diff.size == 0:
        return None
    start_sign = np.sign(diff[0])
    if start_sign == 0:
        return 1
    changed = np.flatnonzero(np.sign(diff) != start_sign)
    return int(changed[0]) + 1 if changed.size else None
