"""File > Export portfolio...: the book the Portfolio tab shows, written as a
user writes it (the example opened on the tab, then the menu's export), read
back; a deal opened from the file keeps the file's counterparty and sources
until it is edited."""
from __future__ import annotations

import openpyxl
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from core.portfolio import EXAMPLE_PATH
from tests.ui.conftest import settle
from ui.window.export_menu import export_portfolio_with_confirmation


@pytest.fixture
def tab(window, qtbot):
    page = window.tab("portfolio")
    window.tabs.setCurrentIndex(window.tabs.indexOf(page))
    qtbot.waitExposed(page)
    return page


def counterparties(path):
    sheet = openpyxl.load_workbook(path, data_only=True)["Portfolio"]
    header = next(r for r in range(1, 40) if sheet.cell(r, 1).value == "Month")
    return {sheet.cell(header + 1, c).value: sheet.cell(header + 3, c).value
            for c in range(2, sheet.max_column) if sheet.cell(header + 1, c).value}


def test_the_menu_exports_the_tabs_book(window, tab, qtbot, tmp_path):
    actions = [a.text() for a in window.file_menu.actions()]
    assert actions.index("Export &portfolio...") == actions.index("&Export...") + 1
    qtbot.mouseClick(tab.example_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    workbook = tmp_path / "book.xlsx"
    assert export_portfolio_with_confirmation(window, str(workbook)) == workbook
    # The reference scenario (its provider "SpaceX (xAI)") and the example's four deals, each
    # under its provider's name as the tab shows it.
    names = counterparties(workbook)
    assert set(names) == {"SpaceX (xAI)", "SpaceX/xAI", "Google Cloud", "Microsoft Azure",
                          "Hut 8"}
    # The book in the workbook is the tab's: its stacked bars' total.
    shown = sum(float(tab.stack.drawn(i)[:, 3].sum()) for i in range(len(tab.stack_items)))
    assert sum(names.values()) == pytest.approx(shown, abs=0.01)
    report = tmp_path / "book.pdf"
    tab.paths.setValue(3_000)           # the tab's joint simulation settings go with it
    tab.seed.setValue(11)
    assert export_portfolio_with_confirmation(window, str(report)) == report
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(report)).pages)
    assert "hut8-2025): value ~$7.00B" in text     # the file's deal, its sources (no "fl" ligature)
    assert "3,000 paths, seed 11" in text
    # Exporting again asks before replacing; No keeps the file.
    before = report.read_bytes()
    assert export_portfolio_with_confirmation(window, str(report),
                                              confirm=lambda _w, _m: False) is None
    assert report.read_bytes() == before


def test_an_edited_deal_exports_as_the_open_scenario(window, tab, qtbot, tmp_path):
    assert tab.open_file(EXAMPLE_PATH)
    settle(qtbot, window)
    hut8 = next(d for d in tab.portfolio.deals if d.counterparty == "Hut 8")
    assert hut8.public.key == "fluidstack-hut8-2025" and hut8.assumptions
    # The active scenario is the last deal added (Hut 8's lease): edited, it is no longer
    # the file's deal, so it exports with its own terms and no public record.
    price = window.binding.scenario.contract.price_per_mw_month
    window.binding.set_values("contract", price_per_mw_month=price / 2)
    settle(qtbot, window)
    edited = next(d for d in tab.portfolio.deals if d.counterparty == "Hut 8")
    assert edited.public is None and edited.assumptions == ()
    workbook = tmp_path / "edited.xlsx"
    assert export_portfolio_with_confirmation(window, str(workbook)) == workbook
    assert counterparties(workbook)["Hut 8"] == pytest.approx(3.5e9, rel=1e-9)   # half $7.0B


def test_the_menu_action_asks_for_a_file_and_takes_the_format_from_the_filter(
        window, tab, qtbot, tmp_path, monkeypatch):
    from ui.window import export_menu
    chosen = tmp_path / "compute book"          # no suffix typed: the filter's is added
    monkeypatch.setattr(export_menu.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(chosen), export_menu.PORTFOLIO_FILTERS["pptx"]))
    window.portfolio_export_action.trigger()
    written = tmp_path / "compute book.pptx"
    assert written.exists()
    assert window.statusBar().currentMessage() == f"Exported the portfolio to {written}"
    from pptx import Presentation
    titles = [s.shapes.title.text for s in Presentation(str(written)).slides]
    # The reference deal alone: one counterparty holds the whole $45.0B.
    assert titles[1] == ("One counterparty, SpaceX (xAI), holds all of Anthropic's $45.0B of "
                         "commitments")


def test_the_files_sources_hold_only_for_the_files_side(window, tab, qtbot):
    assert tab.open_file(EXAMPLE_PATH)        # a buyer's book
    settle(qtbot, window)
    assert sum(d.public is not None for d in tab.portfolio.deals) == 4
    # Seen as a provider's backlog, each deal's counterparty is its buyer: the file's
    # deals (a buyer's book) are not this book's.
    tab.side.setCurrentIndex(tab.side.findData("provider"))
    settle(qtbot, window)
    assert {d.counterparty for d in tab.portfolio.deals} == {
        "Anthropic", "Fluidstack (for Anthropic)"}
    assert all(d.public is None for d in tab.portfolio.deals)
