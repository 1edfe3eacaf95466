"""The average monthly fee (core/engine.py KeyFigures, declared in
core/figures.py): the contract value spread evenly over the term, worked out
by hand."""
from __future__ import annotations

import datetime as dt

import pytest

from core import figures
from core.engine import compute
from core.parameters import PRICING_GPU_HOUR, Tranche
from core.presets import default_scenario


def test_the_reference_deal_averages_its_fixed_fee():
    # 36 fixed fees of $1.25B, no escalator, no credits: $45.0B / 36 = $1.25B.
    kf = compute(default_scenario()).key_figures
    assert kf.total_contract_value == 45e9
    assert kf.average_monthly_fee == 1.25e9
    assert figures.format_value("average_monthly_fee", kf.average_monthly_fee) == "$1.25B"


def test_per_gpu_hour_pricing_averages_the_usage_invoices():
    # 1,000 H100 online all of 2027 (365 days = 8,760 hours), 100% available, at
    # $2.00 per GPU-hour: 1,000 x 8,760 x $2 = $17,520,000 over 12 months,
    # $1,460,000 a month on average (no SLA credit on usage pricing).
    s = default_scenario().with_changes(
        "contract", start_date=dt.date(2027, 1, 1), term_months=12,
        pricing_mode=PRICING_GPU_HOUR, price_per_gpu_hour=2.0)
    s = s.with_changes("hardware", availability_pct=100.0, tranches=(
        Tranche("One block", "Memphis, TN", "H100 SXM", 1_000, dt.date(2027, 1, 1)),))
    kf = compute(s).key_figures
    assert kf.total_contract_value == pytest.approx(17_520_000.0, rel=1e-12)
    assert kf.average_monthly_fee == pytest.approx(1_460_000.0, rel=1e-12)


def test_it_is_declared_with_a_definition():
    declared = figures.output("average_monthly_fee")
    assert declared.label == "Average monthly fee"
    assert declared.unit == "$" and declared.fmt == "money"
    assert "Total contract value / months of the term" in declared.definition
