"""PNG and PDF exports from the running app, and File > Export's rules:
files read back and checked for content, never overwritten without asking."""
from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest
from PySide6.QtGui import QImage
from pypdf import PdfReader

from ui.boardroom.export_files import export_to_file
from ui.window.export_menu import export_with_confirmation


def test_png_of_the_current_view_is_twice_the_screen_resolution(qtbot, window, tmp_path):
    qtbot.wait(20)
    path = tmp_path / "view.png"
    assert export_to_file(window, path) == [path]
    image = QImage(str(path))
    view = window.centralWidget()
    assert (image.width(), image.height()) == (view.width() * 2, view.height() * 2)
    # Not blank: the plots' Okabe-Ito sky-blue bars are in it.
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    assert "#56b4e9" in colours and len(colours) > 20


def test_each_plot_png(qtbot, window, tmp_path):
    written = export_to_file(window, tmp_path / "deal.png", each_plot=True)
    names = [p.name for p in written]
    assert "deal-contract-terms-monthly-payment.png" in names
    assert "deal-contract-terms-walk-away-exposure.png" in names
    assert "deal-cluster-hardware-power-against-the-contract.png" in names
    # Named by the declared title, not the one shown ("Tornado: Buyer NPV (base $19.0B)"),
    # so the file keeps its name from one edit to the next.
    assert "deal-risk-tornado.png" in names
    assert len(names) >= 6
    image = QImage(str(written[0]))
    panel = window.tab("contract").plots.payments_panel
    assert image.width() == panel.width() * 2
    assert window.tabs.currentIndex() == 0   # the user's tab is restored


def _pdf_pages(path):
    # NFKC: the PDF font writes "fi" as a ligature; whitespace joined as one space.
    return [" ".join(unicodedata.normalize("NFKC", page.extract_text()).split())
            for page in PdfReader(str(path)).pages]


def test_pdf_report_has_title_assumptions_figures_plots_and_schedule(qtbot, window, tmp_path):
    path = tmp_path / "report.pdf"
    export_to_file(window, path)
    reader = PdfReader(str(path))
    pages = _pdf_pages(path)
    n = len(pages)
    assert "Colossus lease 2026" in pages[0] and "Anthropic" in pages[0] \
        and "SpaceX" in pages[0]
    assert "EXECUTIVE SUMMARY" in pages[1]
    assert "Key figures" in pages[2] and "$45.0B" in pages[2] and "$3.67B" in pages[2] \
        and "$7.78" in pages[2]
    text = "\n".join(pages)
    assert "Monthly fee" in text and "Notice period" in text
    assert "Monthly payment" in text and "Walk-away exposure" in text
    assert "Power against the contract" in text
    # The last month of the default 36-month deal from June 2026 starts on 1 May 2029,
    # written in the declared date format.
    assert "Monthly schedule (months 1" in text and "2029-05-01" in pages[-1]
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {n}" in page
    # Vector pages: the chart pages hold no raster images.
    plot_page = next(p for p, t in zip(reader.pages, pages) if "Cumulative spend" in t)
    assert not list(plot_page.images)


def test_pdf_carries_every_section_for_the_buyer(qtbot, window, tmp_path):
    from core.summary import summary_sentences
    path = tmp_path / "buyer.pdf"
    export_to_file(window, path, perspective="buyer")
    pages = _pdf_pages(path)
    text = "\n".join(pages)
    kickers = ["EXECUTIVE SUMMARY", "CONTRACT", "CAPACITY", "UNIT ECONOMICS", "BUYER ECONOMICS",
               "TERMINATION", "ALTERNATIVES", "LEASE VIEW", "RISK", "TWO-WAY TABLE", "WARNINGS",
               "ASSUMPTIONS"]
    firsts = [next(i for i, page in enumerate(pages) if page.startswith(kicker))
              for kicker in kickers]
    assert firsts == sorted(firsts)          # in the registry's order, the summary first
    assert "PROVIDER ECONOMICS" not in text
    # Sentences wrap across lines: compare with whitespace joined.
    summary = pages[firsts[0]]
    for sentence in summary_sentences(window.binding.results, "buyer"):
        assert " ".join(sentence.split()) in summary
    assert "Leaving at month 12 adds $3.67B to the $15.0B paid; notice takes 90 days" in text
    # Before any run on the Risk tab, the report runs the simulation itself (seed stated)
    # and draws the tornado, the histogram and the fan chart: no empty risk chart.
    assert "Simulated for this export: 10,000 paths, seed 1" in text
    assert "Buyer NPV: change with each input 20% lower / higher" in text
    assert "Distribution of Buyer NPV over 10,000 paths" in text
    assert "percentiles by month" in text
    assert "00:00:00" not in text and "59.750" not in text   # the old empty risk axes


def test_pdf_for_the_provider_has_its_plots_and_declined_risk_is_the_tornado(qtbot, window,
                                                                             tmp_path):
    path = tmp_path / "provider.pdf"
    export_to_file(window, path, perspective="provider", run_simulation=False)
    text = "\n".join(_pdf_pages(path))
    assert "PROVIDER ECONOMICS" in text and "BUYER ECONOMICS" not in text
    assert "Provider: monthly P&L" in text and "Provider: cumulative cash and book value" in text
    assert "The provider's NPV is $38.0B" in text
    assert "the tornado alone" in text and "Distribution of" not in text
    assert "Provider NPV: change with each input" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
def test_pdf_pages_render(qtbot, window, tmp_path):
    path = tmp_path / "report.pdf"
    export_to_file(window, path)
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "5", "-l", "6", str(path),
                    str(tmp_path / "page")], check=True)
    image = QImage(str(sorted(tmp_path.glob("page-*.png"))[-1]))
    assert image.width() > image.height() > 100    # A4 landscape


def test_export_asks_before_replacing_and_keeps_the_file_on_no(qtbot, window, tmp_path):
    path = tmp_path / "deal.xlsx"
    path.write_bytes(b"the user's workbook")
    asked = []
    result = export_with_confirmation(window, str(path),
                                      confirm=lambda _w, message: asked.append(message) or False)
    assert result is None and "already exists" in asked[0]
    assert path.read_bytes() == b"the user's workbook"
    result = export_with_confirmation(window, str(path), confirm=lambda _w, _m: True)
    assert result == [path] and path.read_bytes()[:2] == b"PK"


def test_export_to_an_unwritable_place_says_why(qtbot, window, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("ui.window.export_menu.show_export_error",
                        lambda _parent, title, text: shown.append((title, text)))
    assert export_with_confirmation(window, str(tmp_path / "no" / "such" / "deal.pdf")) is None
    assert shown and shown[0][0] == "Export failed" and "does not exist" in shown[0][1]


def test_menu_export_asks_before_simulating_and_no_gives_the_tornado_alone(qtbot, window,
                                                                          tmp_path):
    asked = []
    path = tmp_path / "deck.pptx"
    written = export_with_confirmation(window, str(path),
                                       ask_simulation=lambda _w: asked.append(1) or False)
    assert written == [path] and asked == [1]
    from pptx import Presentation
    texts = [shape.text_frame.text for slide in Presentation(str(path)).slides
             for shape in slide.shapes if shape.has_text_frame]
    assert any("the tornado alone" in t for t in texts)
    assert not any("Distribution of" in t for t in texts)


def test_pdf_carries_the_two_way_table_the_sweep_tab_shows(qtbot, window, tmp_path):
    from core import figures
    from core.engine import compute
    from core.presets import default_scenario
    from core.solve import numeric_input, with_input
    sweep = window.tab("solve").sweep
    # The user sets up a 5 x 5 table: fee $0.5B..$2.5B, utilization 20..100 %.
    sweep.x.start.setText("500M")
    sweep.x.stop.setText("2.5B")
    sweep.x.steps.setValue(5)
    sweep.y.start.setText("20")
    sweep.y.stop.setText("100")
    sweep.y.steps.setValue(5)
    assert sweep.recompute() is not None
    path = tmp_path / "two-way.pdf"
    export_to_file(window, path, perspective="buyer", run_simulation=False)
    pages = _pdf_pages(path)
    map_page = next(p for p in pages if p.startswith("TWO-WAY TABLE Buyer NPV stays"))
    assert "Buyer NPV over monthly fee x utilization" in map_page
    assert "Buyer NPV = $0.00" in map_page and "the base case" in map_page
    assert "No two-way table was set up" not in map_page
    table_page = next(p for p in pages if p.startswith("TWO-WAY TABLE \u00b7 BUYER NPV"))
    assert "$500M $1B $1.5B $2B $2.5B" in table_page
    # The numbers are compute()'s: the 100 % row, fee $0.5B..$2.5B.
    row = ["100 %"]
    for fee in (0.5e9, 1.0e9, 1.5e9, 2.0e9, 2.5e9):
        scenario = with_input(with_input(default_scenario(), numeric_input("contract.monthly_fee"),
                                         fee), numeric_input("hardware.utilization_pct"), 100.0)
        row.append(figures.format_value("buyer_npv", compute(scenario).key_figures.buyer_npv))
    assert " ".join(row) in table_page


def test_pdf_schedule_headings_and_cells_are_the_declared_ones(qtbot, window, tmp_path):
    """The schedule pages head each column with its core.figures label and
    write its numbers in the declared format."""
    path = tmp_path / "report.pdf"
    export_to_file(window, path)
    last = _pdf_pages(path)[-1]
    for heading in ("Walk-away exposure", "Power at the meter", "Cumulative payments",
                    "GPU-hours delivered", "Price per GPU-hour", "Payment PV"):
        assert heading in last
    # May 2029, the 36th month: the $1.25B fee, $45.0B paid to date (36 x $1.25B).
    assert "$1.25B" in last and "$45.0B" in last
