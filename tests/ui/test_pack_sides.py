"""One pack, one side: every page of the PDF and every slide of the deck,
exported for a side (from the app in its View as, or `--perspective`), is
about that side.  The walk looks for the other side's figure labels (core/figures.py's
`side`) in the text; the assumptions pages list the inputs, which both
sides share, and are left out of it.

Before: the provider's PDF carried the buyer's NPV two-way table, its Risk
section from the app paired the provider's tornado with the buyer's
simulation, its summary lost its risk sentence, and its termination page and
monthly schedule were the buyer's."""
from __future__ import annotations

import re
import unicodedata

import pytest
from pptx import Presentation
from pypdf import PdfReader

from core import figures
from ui.boardroom.export_files import export_to_file

OTHER = {"buyer": "provider", "provider": "buyer"}


def side_labels(side: str) -> list[str]:
    """The labels of every figure and schedule column declared for `side` alone."""
    declared = {**figures.KEY_FIGURES, **figures.COLUMNS}
    return sorted({o.label for o in declared.values() if o.side == side})


def _pattern(label: str) -> re.Pattern:
    # Whole words; a one-word label ("Payment", "Opex") as written (capitalised),
    # so that "payments stop" in a sentence is not the column "Payment".
    flags = re.IGNORECASE if " " in label else 0
    return re.compile(r"(?<![\w-])" + re.escape(label) + r"(?![\w-])", flags)


def other_sides_labels(text: str, side: str) -> list[str]:
    """The labels of the other side's figures found in `text`."""
    return [label for label in side_labels(OTHER[side]) if _pattern(label).search(text)]


def test_the_walk_finds_a_label_of_the_other_side():
    # The check itself: it must be able to fail.
    assert other_sides_labels("Walk-away exposure $3.67B", "provider") == ["Walk-away exposure"]
    assert other_sides_labels("Provider NPV $38.0B", "buyer") == ["Provider NPV"]
    assert other_sides_labels("payments stop 90 days later", "provider") == []


def pdf_pages(path) -> list[str]:
    return [" ".join(unicodedata.normalize("NFKC", page.extract_text()).split())
            for page in PdfReader(str(path)).pages]


def deck_slides(path) -> list[str]:
    out = []
    for slide in Presentation(str(path)).slides:
        # The kicker ("ASSUMPTIONS · Inputs") first, then the title placeholder, as on paper.
        shapes = sorted(slide.shapes, key=lambda shape: shape.is_placeholder)
        texts = [shape.text_frame.text for shape in shapes if shape.has_text_frame]
        for shape in slide.shapes:
            if shape.has_chart:
                chart = shape.chart
                texts += [s.name for p in chart.plots for s in p.series]
                texts += [str(c) for p in chart.plots for c in p.categories]
                if chart.value_axis.has_title:
                    texts.append(chart.value_axis.axis_title.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
        out.append(" ".join(" ".join(texts).split()))
    return out


def _leaks(pages: list[str], side: str) -> list[tuple[int, list[str], str]]:
    return [(number, found, page[:90]) for number, page in enumerate(pages, start=1)
            if not page.startswith("ASSUMPTIONS")
            and (found := other_sides_labels(page, side))]


@pytest.mark.parametrize("side", ["buyer", "provider"])
def test_every_page_and_slide_is_the_sides_own(qtbot, window, tmp_path, side):
    """Viewed as the side after a simulation of the *other* side's figure and a
    two-way table of it (as the app leaves them when a user switches view),
    the exports carry the side's own figures alone."""
    risk = window.tab("risk")
    window.show_tab("risk")
    risk.run_simulation()
    qtbot.waitUntil(lambda: risk.simulation_result is not None
                    and risk.simulation_result.spec.paths >= 10_000, timeout=30_000)
    window.tab("solve")                     # built, its table set up (the buyer's NPV)
    window.key_figures.switch.set_perspective(side)
    pdf, deck = tmp_path / f"{side}.pdf", tmp_path / f"{side}.pptx"
    export_to_file(window, pdf)
    export_to_file(window, deck)
    pages, slides = pdf_pages(pdf), deck_slides(deck)
    assert _leaks(pages, side) == []
    assert _leaks(slides, side) == []
    text = " ".join(pages)
    npv = figures.label(f"{side}_npv")
    assert f"{npv} moves most with" in text                  # its tornado
    assert f"Distribution of {npv} over" in text              # its simulation
    assert f"TWO-WAY TABLE" in text and f"{npv} at the base case" in text
    summary = next(p for p in pages if p.startswith("EXECUTIVE SUMMARY"))
    assert "simulated paths" in summary                       # its risk sentence kept
    if side == "provider":
        assert "the provider's NPV is" in next(p for p in pages if p.startswith("TERMINATION"))
        schedule = pages[-1]
        assert "Provider cumulative cash" in schedule and "Power cost" in schedule


def test_the_command_lines_pdf_and_deck_carry_the_same_two_way_table(tmp_path):
    """`export --perspective provider`: the PDF carried the buyer's NPV table,
    the deck the provider's."""
    import subprocess
    import sys
    import os
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    titles = {}
    for suffix in ("pdf", "pptx"):
        out = tmp_path / f"provider.{suffix}"
        subprocess.run([sys.executable, "main.py", "export", "--out", str(out),
                        "--perspective", "provider", "--no-simulation"], check=True, env=env,
                       capture_output=True)
        pages = pdf_pages(out) if suffix == "pdf" else deck_slides(out)
        assert _leaks(pages, "provider") == []
        two_way = [p for p in pages if p.startswith("TWO-WAY TABLE")]
        assert two_way and all("Provider NPV" in p for p in two_way)
        titles[suffix] = two_way[0]
    assert "Provider NPV stays positive" in titles["pdf"]
    assert "Provider NPV stays positive" in titles["pptx"]


def test_presentation_mode_shows_the_sides_cards_and_summary(qtbot, window):
    """Viewed as the provider, presentation mode's cards and summary are the
    provider's (before: the buyer's walk-away exposure and NPV of payments)."""
    window.key_figures.switch.set_perspective("provider")
    window.activateWindow()
    window.presentation_action.trigger()
    presentation = window.presentation_mode.current
    qtbot.waitExposed(presentation)
    titles = [label.text() for label in presentation.cards.titles]
    assert "Provider NPV" in titles
    assert other_sides_labels(" ".join(titles), "provider") == []
    # The risk run on entry is the provider's: its sentence stays in the summary.
    qtbot.waitUntil(lambda: "simulated paths" in presentation.summary.body.text(),
                    timeout=30_000)
    assert other_sides_labels(presentation.summary.body.text(), "provider") == []
    presentation.close()
    qtbot.waitUntil(lambda: window.presentation_mode.current is None, timeout=2000)


def test_the_command_line_pack_of_an_example_without_buyer_revenue(tmp_path):
    """`export --perspective buyer` of OpenAI-Oracle (the buyer's revenue not
    modelled): before, "A 0.0% chance of a loss: Buyer NPV from n/a (P5) to n/a
    (P95)", a grey heat map and 121 n/a cells.  No table was set up (the
    command line has no app state): the buyer's two-way table is its NPV of
    payments, every cell defined."""
    import os
    import subprocess
    import sys
    from core.examples import example
    from core.scenario_file import save_scenario
    scenario = tmp_path / "oracle.json"
    save_scenario(example("openai-oracle-2025").scenario, scenario)
    out = tmp_path / "oracle.pdf"
    subprocess.run([sys.executable, "main.py", "export", str(scenario), "--out", str(out),
                    "--perspective", "buyer"], check=True, capture_output=True,
                   env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    pages = pdf_pages(out)
    text = " ".join(pages)
    assert "n/a" not in text
    assert "chance of a loss" not in text
    two_way = [p for p in pages if p.startswith("TWO-WAY TABLE")]
    assert two_way and all("NPV of payments" in p for p in two_way)
    risk = next(p for p in pages if p.startswith("RISK"))
    assert "Simulated NPV of payments from" in risk
