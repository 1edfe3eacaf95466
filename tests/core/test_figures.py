"""core.figures: one declaration for every key figure and schedule column,
the named number formats, and the generated glossary."""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest

from core import figures
from core.engine import KeyFigures, MonthlySchedule
from core.formatting import format_by

ROOT = Path(__file__).resolve().parents[2]
MINUS = "\u2212"


def test_every_key_figure_is_declared_in_field_order_and_nothing_else():
    fields = [f.name for f in dataclasses.fields(KeyFigures)]
    assert sorted(figures.KEY_FIGURES) == sorted(fields)
    assert figures.undeclared() == []


def test_every_schedule_column_is_declared_in_csv_order():
    assert list(figures.COLUMNS) == ["month", *MonthlySchedule.columns()]


def test_a_declaration_naming_no_field_is_reported(monkeypatch):
    bogus = figures.Output("walkaway", "Walkaway", "$", "money", "-", "buyer")
    monkeypatch.setattr(figures, "KEY_FIGURES", {**figures.KEY_FIGURES, "walkaway": bogus})
    assert figures.undeclared() == ["KEY_FIGURES['walkaway'] names no KeyFigures field"]


def test_a_missing_declaration_is_reported(monkeypatch):
    # A copy, so that the declaration order is left as it was for the other tests.
    monkeypatch.setattr(figures, "COLUMNS",
                        {k: o for k, o in figures.COLUMNS.items() if k != "lease_interest"})
    assert figures.undeclared() == ["schedule column lease_interest has no declaration"]


def test_declarations_are_complete_sentences_in_sentence_case():
    for o in (*figures.KEY_FIGURES.values(), *figures.COLUMNS.values()):
        assert o.key and o.label and o.definition, o
        assert o.label[0].isupper() and not o.label.endswith("."), o.label
        assert o.definition.endswith("."), o.key
        assert o.side in ("buyer", "provider", "both"), o.key


def test_the_unified_labels():
    assert figures.label("walkaway_exposure") == "Walk-away exposure"
    assert figures.label("facility_mw") == "Power at the meter"
    assert figures.label("breakeven_token_price") == "Break-even token price"


def test_lookup_prefers_key_figures_and_names_an_unknown_key():
    assert figures.output("price_per_gpu_hour") is figures.KEY_FIGURES["price_per_gpu_hour"]
    assert figures.output("book_value") is figures.COLUMNS["book_value"]
    with pytest.raises(KeyError, match="walkaway"):
        figures.output("walkaway")


def test_format_value_by_the_declared_format():
    # $45B contract: 36 x $1.25B; exposure 90 days at $1.25B x 12 / 365 = $3.699B.
    assert figures.format_value("total_contract_value", 45e9) == "$45.0B"
    assert figures.format_value("walkaway_exposure", 90 * 1.25e9 * 12 / 365) == "$3.70B"
    assert figures.format_value("buyer_npv", -1.2e9) == f"{MINUS}$1.20B"
    assert figures.format_value("price_per_gpu_hour", 7.7762) == "$7.78/GPU-hour"
    assert figures.format_value("cost_per_million_tokens", 1.5) == "$1.50/M tokens"
    assert figures.format_value("gpus", 220000) == "220,000 GPUs"
    assert figures.format_value("term_months", 36) == "36 months"
    assert figures.format_value("facility_mw", 389.4) == "389 MW"
    assert figures.format_value("provider_irr", 0.2018) == "20.2%"
    assert figures.format_value("provider_payback_month", 14) == "month 14"
    assert figures.format_value("month_start", np.datetime64("2026-05-01")) == "2026-05-01"
    assert figures.format_value("power_over_contract", np.True_) == "yes"


@pytest.mark.parametrize("value", [None, math.nan, np.float64("nan"), np.datetime64("NaT")])
def test_missing_values_read_n_a(value):
    assert figures.format_value("provider_irr", value) == "n/a"
    assert figures.format_value("termination_end_date", value) == "n/a"


def test_very_large_magnitudes_are_counted_in_words_not_thousands_of_trillions():
    # 25,920,000 T tokens = 2.592e19 = 25.92 quintillion.
    assert figures.format_value("tokens_served", 2.592e19) == "25.9 quintillion tokens"
    # The reference deal's tokens served: 4.60e16 = 46.0 quadrillion (issue 24: "4.60 x 10^16").
    assert figures.format_value("tokens_served", 4.6e16) == "46.0 quadrillion tokens"
    # Beyond sextillions (1e21) a power of ten: 2.59e25 = 25.9 million sextillion.
    assert figures.format_value("tokens_served", 2.59e25) == "2.59 \u00d7 10\u00b2\u2075 tokens"
    assert figures.format_value("tokens_served", 1.2e12) == "1.20T tokens"
    assert format_by("count", 2.5e6, "GPUs") == "2.50M GPUs"


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown number format 'percentage'"):
        format_by("percentage", 1.0)


def test_dates_of_any_kind_format_as_iso():
    assert format_by("date", dt.date(2026, 5, 1)) == "2026-05-01"


def test_glossary_lists_every_figure_and_column():
    doc = figures.glossary_markdown()
    for o in (*figures.KEY_FIGURES.values(), *figures.COLUMNS.values()):
        assert f"| {o.label} | `{o.key}` |" in doc
    assert ("| Walk-away exposure | `walkaway_exposure` | $ | buyer | The buyer's, if it gives "
            "notice on the start date") in doc


def test_committed_glossary_is_current():
    committed = (ROOT / "docs" / "figures.md").read_text("utf-8")
    assert committed == figures.glossary_markdown(), (
        "docs/figures.md is stale: run `python -m core.figures --doc > docs/figures.md`")
