"""The deck carries the board pack: every section for the perspective, the
summary's sentences with the app's figures, titles that state the finding,
and no empty chart.  Read back with python-pptx."""
from __future__ import annotations

import dataclasses
import os

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from core.engine import compute
from core.figures import format_value
from core.export.files import write_file_export
from core.export.pack import PackInputs, board_pack, risk_analysis
from core.presets import default_scenario
from core.summary import summary_sentences
from ui.registry import TABS

TAB_KEYS = tuple(tab.key for tab in TABS if tab.exported)


@pytest.fixture(scope="module")
def results():
    return compute(default_scenario())


def _deck(results, tmp_path, perspective, run_simulation=True, others=()):
    risk = risk_analysis(results, perspective, run_simulation=run_simulation)
    sections = board_pack(PackInputs(results, perspective, risk, others), TAB_KEYS)
    path = tmp_path / f"deck-{perspective}.pptx"
    write_file_export(results, path, sections=sections)
    return Presentation(str(path)), path


def _slides(deck):
    """(kicker, title, every text of the slide) per slide."""
    out = []
    for slide in deck.slides:
        texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        out.append((texts[0] if texts else "", texts[1] if len(texts) > 1 else "",
                    "\n".join(texts)))
    return out


def _charts(deck):
    return [shape.chart for slide in deck.slides for shape in slide.shapes
            if shape.shape_type == MSO_SHAPE_TYPE.CHART]


def test_buyer_deck_has_every_section_and_the_summary_first(results, tmp_path):
    deck, _path = _deck(results, tmp_path, "buyer")
    slides = _slides(deck)
    kickers = [kicker.split(" \u00b7 ")[0] for kicker, _t, _x in slides[1:]]
    order = list(dict.fromkeys(kickers))
    assert order == ["EXECUTIVE SUMMARY", "KEY FIGURES", "CONTRACT", "CAPACITY",
                     "UNIT ECONOMICS", "BUYER ECONOMICS", "TERMINATION", "ALTERNATIVES",
                     "LEASE VIEW", "MARKET", "RISK", "TWO-WAY TABLE", "WARNINGS", "ASSUMPTIONS"]
    summary = slides[1][2]
    for sentence in summary_sentences(results, "buyer", risk_analysis(results).simulation):
        assert sentence in summary
    # The app's figures: 36 x $1.25B; 12 months paid + 90 days' notice = $18.7B.
    assert "$45.0B over the term" in summary and "costs the buyer $18.7B" in summary
    titles = {kicker.split(" \u00b7 ")[0]: title for kicker, title, _x in slides}
    assert titles["TERMINATION"] == "Walking away at month 12 costs $18.7B; notice takes 90 days"
    assert titles["CONTRACT"].startswith("The deal costs $45.0B over 36 months")
    assert titles["RISK"].startswith("A ") and "chance of a loss" in titles["RISK"]
    warnings = next(text for kicker, _t, text in slides if kicker == "WARNINGS")
    for warning in results.warnings:
        assert warning in warnings
    assert "PROVIDER ECONOMICS" not in kickers


def test_provider_deck_tells_the_providers_story(results, tmp_path):
    deck, _path = _deck(results, tmp_path, "provider")
    slides = _slides(deck)
    kickers = {kicker.split(" \u00b7 ")[0] for kicker, _t, _x in slides}
    assert "PROVIDER ECONOMICS" in kickers
    assert "BUYER ECONOMICS" not in kickers and "LEASE VIEW" not in kickers
    title = next(t for k, t, _x in slides if k.startswith("PROVIDER ECONOMICS"))
    assert title.startswith("The provider's NPV is $38.0B")
    # The provider's risk: what moves its own NPV, and its NPV simulated (the
    # provider's inputs varied), with the provider's cumulative cash in the fan.
    risk = risk_analysis(results, "provider")
    assert risk.simulation.spec.output == "provider_npv"
    assert {u.key for u in risk.simulation.spec.uncertainties} == {
        "hardware.power_price_per_mwh", "hardware.pue", "hardware.maintenance_pct_per_year",
        "hardware.staff_opex_per_month"}
    # Power, PUE, maintenance and staff -20% / +20% move the $38.0B NPV by well under
    # $1B either way (power: at most the contracted 300 MW x 8,760 h x $62/MWh x 3 years
    # = $0.49B in all).
    levels = risk.simulation.outcome_percentiles
    assert 37.0e9 < levels[5] < 38.0e9 < levels[95] < 39.0e9
    p5, p95 = (format_value("provider_npv", levels[q]) for q in (5, 95))
    risk_title = next(t for k, t, _x in slides if k.startswith("RISK"))
    assert risk_title == f"A 0.0% chance of a loss: Provider NPV from {p5} (P5) to {p95} (P95)"
    risk_text = "\n".join(x for k, _t, x in slides if k.startswith("RISK"))
    assert "Provider NPV moves most with monthly fee" in risk_text
    assert "Provider's cumulative cash" in risk_text
    chart_kickers = [k for k, _t, _x in slides if k.startswith("PROVIDER ECONOMICS")]
    assert chart_kickers == ["PROVIDER ECONOMICS \u00b7 Provider: monthly P&L",
                             "PROVIDER ECONOMICS \u00b7 Provider: cumulative cash and book value"]


@pytest.mark.parametrize("perspective", ["buyer", "provider", "both"])
def test_no_chart_is_empty(results, tmp_path, perspective):
    deck, _path = _deck(results, tmp_path, perspective)
    charts = _charts(deck)
    assert len(charts) >= 14
    for chart in charts:
        for plot in chart.plots:
            assert list(plot.categories)
            for series in plot.series:
                assert any(v is not None for v in series.values), series.name


def test_risk_runs_the_simulation_with_a_stated_seed_or_shows_the_tornado_alone(results,
                                                                                  tmp_path):
    deck, _path = _deck(results, tmp_path, "buyer")
    risk = [text for kicker, _t, text in _slides(deck) if kicker.startswith("RISK")]
    assert len(risk) == 3                       # tornado, histogram, fan chart
    assert "10,000 paths, seed 1" in risk[0]
    tornado = next(shape.chart for slide in deck.slides for shape in slide.shapes
                   if shape.shape_type == MSO_SHAPE_TYPE.CHART
                   and slide.shapes[0].text_frame.text.startswith("RISK"))
    assert [s.name for s in tornado.plots[0].series] == ["Input lower", "Input higher"]

    declined, _path = _deck(results, tmp_path, "both", run_simulation=False)
    risk = [(kicker, text) for kicker, _t, text in _slides(declined) if kicker.startswith("RISK")]
    assert len(risk) == 1 and "the tornado alone" in risk[0][1]


def test_comparison_when_the_file_holds_several_scenarios(results, tmp_path):
    base = default_scenario()
    longer = dataclasses.replace(base, name="Four years", contract=dataclasses.replace(
        base.contract, term_months=48))
    deck, _path = _deck(results, tmp_path, "both", others=(compute(longer),))
    slides = _slides(deck)
    compare = [text for kicker, _t, text in slides if kicker.startswith("COMPARISON")]
    # 48 x $1.25B = $60.0B against 36 x $1.25B = $45.0B.
    title = next(t for k, t, _x in slides if k.startswith("COMPARISON"))
    assert title == ("2 scenarios: the deal costs from $45.0B (Colossus lease 2026) to "
                     "$60.0B (Four years)")
    cells = [cell.text for slide in deck.slides for shape in slide.shapes if shape.has_table
             for row in shape.table.rows for cell in row.cells]
    assert "Four years" in cells and "$60.0B" in cells
    assert compare


def test_every_assumption_has_its_unit(results, tmp_path):
    deck, _path = _deck(results, tmp_path, "buyer")
    rows = [[cell.text for cell in row.cells] for slide in deck.slides for shape in slide.shapes
            if shape.has_table for row in shape.table.rows]
    by_name = {row[1]: row for row in rows if len(row) == 4}
    assert by_name["Notice period"][2:] == ["90", "days"]
    assert by_name["Monthly fee"][2:] == ["$1.25B", "$"]
    assert by_name["PUE"][2:] == ["1.24", "\u2014"]


def test_the_deck_has_the_users_normal_permissions(results, tmp_path):
    mask = os.umask(0o022)
    os.umask(mask)
    _deck_read, path = _deck(results, tmp_path, "buyer", run_simulation=False)
    # Not owner-only: 0666 less the umask, as any program the user runs writes a file.
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
