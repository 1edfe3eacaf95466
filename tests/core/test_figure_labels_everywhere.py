"""Every place in core that shows a figure labels it as core.figures does: the
CLI's text, the comparison table, the export's key-figure page, the risk
outputs and the workbook's schedule headers."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from core import figures, rights, risk
from core.comparison import compare
from core.engine import compute
from core.export.key_figures import HEADLINE, headline_figures
from core.export.workbook import write_workbook
from core.presets import default_scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def results():
    return compute(default_scenario())


def test_cli_text_shows_every_key_figure_with_its_label_and_format(results):
    out = subprocess.run([sys.executable, "main.py", "kpis"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    shown = [re.split(r"\s{2,}", line.strip(), maxsplit=1) for line in out.splitlines()]
    n = len(figures.KEY_FIGURES)
    assert [label for label, _ in shown[:n]] == [o.label for o in figures.KEY_FIGURES.values()]
    k = results.key_figures
    assert [text for _, text in shown[:n]] == [figures.format_value(key, getattr(k, key))
                                               for key in figures.KEY_FIGURES]
    # Then counterparty credit (core/credit.py), then the rights to walk, valued
    # on the default paths and seed (core/rights.py).
    c = len(figures.CREDIT_FIGURES)
    assert shown[n:n + c] == [[o.label, figures.format_value(key, getattr(results.credit, key))]
                              for key, o in figures.CREDIT_FIGURES.items()]
    simulated = rights.value_rights(default_scenario()).key_figures()
    assert shown[n + c:] == [[o.label, figures.format_value(key, simulated[key])]
                         for key, o in figures.MARKET_FIGURES.items()] + [
        ["Market simulation", f"{rights.FULL_PATHS:,} paths, seed {rights.DEFAULT_SEED}"]]


def test_comparison_rows_use_the_declared_labels(results):
    comparison = compare([default_scenario()], [results])
    assert comparison.rows
    for row in comparison.rows:
        assert row.label == figures.label(row.key)
        assert row.value_text(0) == figures.format_value(row.key, row.values[0])


def test_export_headline_uses_the_declared_labels(results):
    shown = headline_figures(results)
    assert [label for label, _ in shown] == [figures.label(key) for key in HEADLINE]


def test_risk_outputs_use_the_declared_labels():
    names = risk.output_names()
    assert names
    for name in names:
        assert risk.output_label(name) == figures.label(name)


def test_workbook_schedule_headers_use_the_declared_labels(results, tmp_path):
    path = tmp_path / "deal.xlsx"
    write_workbook(results, path)
    headers = [c.value for c in openpyxl.load_workbook(path)["Schedule"][1]]
    # Month, days, payment and the other schedule columns the workbook rebuilds.
    for key in ("month", "days", "monthly_fee", "payment", "payment_date",
                "cumulative_payment", "walkaway_exposure", "discount_factor", "payment_pv",
                "cumulative_payment_pv", "gpus_online", "gpu_hours_delivered",
                "price_per_gpu_hour"):
        assert figures.header(key) in headers, key
    key_sheet = openpyxl.load_workbook(path)["Key figures"]
    labels = {row[4].value: row[0].value for row in key_sheet.iter_rows(min_row=5, max_row=9)}
    assert labels["TotalContractValue"] == figures.label("total_contract_value")
    assert labels["WalkawayExposure"] == figures.label("walkaway_exposure")


def test_report_chart_series_from_a_column_carry_its_label(results):
    from core.export.pack import BUILDERS, PackInputs, board_pack
    sections = board_pack(PackInputs(results), tuple(BUILDERS))
    named = [s for section in sections for chart in section.charts for s in chart.series
             if s.column]
    assert len(named) >= 10
    # One unit an axis: the exposure (a stock) is not on the monthly payment's
    # "$ per month" axis, and $ per GPU-hour is not on one axis with $ per M tokens.
    charts = {chart.key: chart for section in sections for chart in section.charts}
    assert [s.column for s in charts["payments"].series] == ["payment"]
    assert "walkaway_exposure" in [s.column for s in charts["cumulative"].series]
    assert {s.column for s in charts["unit_costs"].series} == {"price_per_gpu_hour",
                                                               "price_per_h100e_hour"}
    assert charts["token_costs"].axis_title == "$ per million tokens"
    for series in named:
        assert series.name == figures.label(series.column)


def test_the_providers_pl_draws_light_revenue_bars_under_its_lines(results):
    """EBITDA runs just below revenue (the reference provider: $1.19B against
    $1.25B a month): drawn over dark revenue bars it was lost; the bars are the
    light sky blue, the lines on them."""
    from core.export.pack import BUILDERS, PackInputs, board_pack
    from core.palette import OKABE_ITO
    sections = board_pack(PackInputs(results, "provider"), ("economics",))
    chart = next(c for s in sections for c in s.charts if c.key == "provider_pnl")
    revenue = next(s for s in chart.series if s.column == "provider_revenue")
    assert revenue.kind == "bar" and revenue.colour == OKABE_ITO["sky"]
    assert all(s.kind == "line" for s in chart.series if s is not revenue)
