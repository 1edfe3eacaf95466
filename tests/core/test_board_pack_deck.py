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
from core.palette import OKABE_ITO
from ui.plots.layers import Swings
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


def _plain(text: str) -> str:
    """A deck text as read aloud: non-breaking spaces, hyphens and joiners as plain text."""
    return text.replace("\u00a0", " ").replace("\u2011", "-").replace("\u2060", "")


def _kicker(slide) -> str:
    """The slide's first text box: the part of the analysis over its title."""
    return next((shape.text_frame.text for shape in slide.shapes
                 if shape.has_text_frame and not shape.is_placeholder), "")


def _slides(deck):
    """(kicker, title, every text of the slide) per slide: the title is the
    title placeholder's, the kicker the first text box's."""
    out = []
    for slide in deck.slides:
        texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        boxes = [shape.text_frame.text for shape in slide.shapes
                 if shape.has_text_frame and not shape.is_placeholder]
        title = slide.shapes.title.text if slide.shapes.title is not None else ""
        out.append((boxes[0] if boxes else "", title, _plain("\n".join(texts))))
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
                     "LEASE VIEW", "MARKET", "CREDIT", "RISK", "TWO-WAY TABLE", "WARNINGS",
                     "ASSUMPTIONS"]
    summary = slides[1][2]
    for sentence in summary_sentences(results, "buyer", risk_analysis(results).simulation):
        assert sentence in summary
    # The app's figures: 36 x $1.25B; 12 months paid + 90 days' notice = $18.7B.
    assert "$45.0B over the term" in summary and "$18.7B in all" in summary
    titles = {kicker.split(" \u00b7 ")[0]: title for kicker, title, _x in slides}
    assert titles["TERMINATION"] == \
        "Leaving at month 12 adds $3.67B to the $15.0B paid; notice takes 90 days"
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
    # The provider's risk: what moves its own NPV, and its NPV simulated over the
    # five inputs that swing it most (before: power, PUE, maintenance and staff,
    # which move it by well under $1B) and the market (issue 25), with the provider's
    # cumulative cash in the fan.
    risk = risk_analysis(results, "provider")
    assert risk.simulation.spec.output == "provider_npv"
    assert [u.key for u in risk.simulation.spec.uncertainties] == [
        "contract.monthly_fee", "contract.term_months", "hardware.availability_pct",
        "contract.provider_wacc_pct", "hardware.maintenance_pct_per_year",
        "market.rent_change_pct_per_year"]
    levels = risk.simulation.outcome_percentiles
    p5, p95 = (format_value("provider_npv", levels[q]) for q in (5, 95))
    risk_title = next(t for k, t, _x in slides if k.startswith("RISK"))
    # No path can lose (the worst corner of the ranges keeps a positive NPV): no chance stated.
    assert risk_title == f"No loss within the ranges varied: Provider NPV from {p5} (P5) to {p95} (P95)"
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
    # The provider's pack has no unit economics (the buyer's tokens) and no lease view.
    assert len(charts) >= (11 if perspective == "provider" else 14)
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
                   and _kicker(slide).startswith("RISK"))
    # One convention with the app's Risk tab (issue 24: the colours meant the opposite):
    # blue = the input at its low value, orange = at its high, bars the change in the
    # figure, each row with the input's low / high values.
    low, high = tornado.plots[0].series
    assert (low.name, high.name) == ("Input at its low value", "Input at its high value")
    assert str(low.format.fill.fore_color.rgb) == OKABE_ITO["blue"].lstrip("#").upper()
    assert str(high.format.fill.fore_color.rgb) == OKABE_ITO["orange"].lstrip("#").upper()
    rows = list(tornado.plots[0].categories)
    # Buyer NPV moves most with the fee: $1.25B 20% lower / higher is $1B / $1.5B.
    fee = rows.index("Monthly fee ($1B / $1.5B)")
    # A lower fee raises the buyer's NPV: the low bar is the change, above zero.
    assert low.values[fee] > 0 > high.values[fee]
    app = Swings()
    assert (app.low_colour, app.high_colour) == ("blue", "orange")

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
    cells = [_plain(cell.text) for slide in deck.slides for shape in slide.shapes
             if shape.has_table for row in shape.table.rows for cell in row.cells]
    assert "Four years" in cells and "$60.0B" in cells
    assert compare


def test_the_comparison_chart_lines_scenarios_up_by_date(results):
    """Issue 24: a June 2026 deal was drawn from January 2027 beside one that
    starts then. On one calendar: Jun 2026 to the later deal's last month, the
    later deal with no point before January 2027."""
    import datetime as dt
    later = default_scenario().with_changes("contract", start_date=dt.date(2027, 1, 1))
    later = dataclasses.replace(later, name="Later")
    sections = board_pack(PackInputs(results, "both", others=(compute(later),)), ("compare",))
    chart = next(s for s in sections if s.key == "compare").charts[0]
    months = list(chart.categories)
    # Jun 2026 .. May 2029 (36) and Jan 2027 .. Dec 2029 (36): Jun 2026 .. Dec 2029, 43 months.
    assert months[0] == "Jun 2026" and months[-1] == "Dec 2029" and len(months) == 43
    first, second = chart.series
    january = months.index("Jan 2027")
    assert first.values[0] == 1.25e9 and first.values[january] == 8 * 1.25e9
    assert all(v != v for v in second.values[:january])          # NaN: no point before
    assert second.values[january] == 1.25e9
    assert second.values[-1] == 36 * 1.25e9


def test_every_assumption_has_its_unit(results, tmp_path):
    deck, _path = _deck(results, tmp_path, "buyer")
    rows = [[_plain(cell.text) for cell in row.cells] for slide in deck.slides
            for shape in slide.shapes if shape.has_table for row in shape.table.rows]
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


def test_every_slide_is_titled_by_its_finding_in_the_title_placeholder(results, tmp_path):
    """PowerPoint's outline view and accessibility checker read a slide's
    title placeholder: every slide has one, holding the section's finding (the
    deck's name on the first), and the finding is nowhere else a text box."""
    risk = risk_analysis(results, "buyer")
    sections = board_pack(PackInputs(results, "buyer", risk), TAB_KEYS)
    deck, _path = _deck(results, tmp_path, "buyer")
    findings = {section.title for section in sections} | {"The headline figures"}
    slides = list(deck.slides)
    # The first slide is the deal on a page: its verdict is its title, the
    # scenario's name in the line above.
    deal = next(section for section in sections if section.key == "deal")
    assert slides[0].shapes.title.text == deal.title
    assert any(results.scenario.name.upper() in s.text_frame.text.upper()
               for s in slides[0].shapes if s.has_text_frame and not s.is_placeholder)
    for number, slide in enumerate(slides[1:], start=2):
        title = slide.shapes.title
        assert title is not None and title.is_placeholder, number
        assert title.text in findings, (number, title.text)
        boxes = [s.text_frame.text for s in slide.shapes
                 if s.has_text_frame and not s.is_placeholder]
        assert title.text not in boxes, number
    # The summary's finding and the termination's, as the pack states them.
    titles = [s.shapes.title.text for s in slides]
    assert next(t for t in titles if t.startswith("Leaving")) == \
        "Leaving at month 12 adds $3.67B to the $15.0B paid; notice takes 90 days"


def test_slide_numbers_sources_under_charts_and_speaker_notes(results, tmp_path):
    """Every slide after the first carries its number as PowerPoint's
    slide-number field; every chart slide a "Source:" footnote; every slide
    speaker notes, a chart's with its series' first and last values."""
    from pptx.enum.shapes import PP_PLACEHOLDER
    from pptx.oxml.ns import qn
    deck, _path = _deck(results, tmp_path, "buyer")
    for number, slide in enumerate(list(deck.slides)[1:], start=2):
        numbers = [p for p in slide.placeholders
                   if p.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER]
        assert len(numbers) == 1, number
        field = numbers[0]._element.find(".//" + qn("a:fld"))
        assert field is not None and field.get("type") == "slidenum"
        assert field.findtext(qn("a:t")) == str(number)
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        assert notes.strip(), number
        charts = [s for s in slide.shapes if s.has_chart]
        if charts or any(s.name == "Base case" for s in slide.shapes):
            sources = [s.text_frame.text for s in slide.shapes
                       if s.has_text_frame and s.text_frame.text.startswith("Source: ")]
            assert len(sources) == 1, number
            assert results.scenario.name in sources[0]
    payments = next(s for s in deck.slides if any(
        sh.has_chart for sh in s.shapes) and "Monthly payment" in _slides_of(s))
    # The first month's payment: $1.25B (Jun 2026).
    assert "Payment: $1.25B (Jun 2026)" in payments.notes_slide.notes_text_frame.text


def _slides_of(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def test_no_value_in_a_deck_table_can_wrap(results, tmp_path):
    """Issue 24: a minus sign wrapped onto the line above its number. Every
    body cell of every table: word wrap off, no breaking space or hyphen, and
    its text (measured in DejaVu Sans, wider than the deck's Calibri) narrower
    than its column less the cell's margins."""
    from PIL import ImageFont
    from pptx.oxml.ns import qn
    from pptx.util import Pt
    font = ImageFont.truetype("DejaVuSans.ttf", 100)
    deck, _path = _deck(results, tmp_path, "buyer")
    cells = 0
    for slide in deck.slides:
        for shape in slide.shapes:
            if not shape.has_table:
                continue
            table = shape.table
            for r, row in enumerate(table.rows):
                if r == 0:
                    continue
                for c, cell in enumerate(row.cells):
                    text = cell.text
                    body = cell.text_frame._txBody.find(qn("a:bodyPr"))
                    assert body.get("wrap") == "none", text
                    assert " " not in text and "-" not in text, text
                    size = cell.text_frame.paragraphs[0].runs[0].font.size
                    width = font.getlength(text) / 100 * size
                    room = table.columns[c].width - cell.margin_left - cell.margin_right
                    assert width <= room, (text, width, room)
                    cells += 1
                    if "\u2212" in text:
                        assert "\u2212\u2060" in text, text
    assert cells > 100


def test_a_long_finding_shrinks_to_its_title_box():
    """The provider's verdict (about 200 characters) does not fit a 1-inch title
    box 12.3 inches wide at 22 pt (four lines of 26.4 pt = 106 pt > 72 pt): it
    takes the largest size at which it fits; a short finding keeps its size."""
    from pptx.util import Inches
    from core.export.deck import WIDTH, fitted_title_size, text_width
    width, height = WIDTH - Inches(1.0), Inches(1.0)
    verdict = ("Worth $38.0B to SpaceX (xAI) (NPV at its 9%/yr WACC), most exposed to monthly "
               "fee ($15.9B swing); no loss within the ranges varied; the deal pays 3.3x the "
               "market rent, a mark-to-market of $27.2B to the provider.")
    size = fitted_title_size(verdict, 22, width, height)
    assert 16 <= size < 22
    # At that size its words, wrapped at the width, take at most 72 pt of lines.
    assert text_width(verdict, size) * 1.1 <= width * (72 // (size * 1.2))
    assert fitted_title_size("Short finding", 26, width, height) == 26
