"""Named cases on the Risk tab: made from the side's tornado, weights typed
by the user (one undoable edit each), the side's figures by case and
weighted, following View as, and carried into the exports."""
from __future__ import annotations

import dataclasses
import unicodedata

from PySide6.QtCore import Qt
from pypdf import PdfReader

from core.parameters import Case, CaseChange
from ui.boardroom.export_files import export_to_file

FEE = "contract.monthly_fee"


def _cell(panel, row: int, col: int) -> str:
    return panel.table.item(row, col).text()


def _row(panel, label: str) -> list[str]:
    table = panel.table
    row = next(r for r in range(table.rowCount())
               if table.verticalHeaderItem(r).text() == label)
    return [table.item(row, c).text() for c in range(table.columnCount())]


def test_make_cases_then_type_a_weight(qtbot, window):
    window.show_tab("risk")
    panel = window.tab("risk").cases
    stack = window.workspace.undo_group.activeStack()
    assert panel.table.rowCount() == 0 and "No named cases" in panel.note.text()
    qtbot.mouseClick(panel.make_button, Qt.MouseButton.LeftButton)
    cases = window.binding.scenario.cases
    assert [c.name for c in cases] == ["Base", "Upside", "Downside"]
    assert [panel.table.horizontalHeaderItem(c).text() for c in range(4)] == [
        "Base", "Upside", "Downside", "Weighted"]
    assert [_cell(panel, 0, c) for c in range(4)] == ["50", "25", "25", "100"]
    # The user makes the downside likelier: 50 / 25 / 40 (sum 115).
    panel.table.item(0, 2).setText("40")
    assert window.binding.scenario.cases[2].weight_pct == 40.0
    assert _cell(panel, 0, 3) == "115"
    assert stack.count() == 2                         # made, then one weight
    stack.undo()
    assert window.binding.scenario.cases[2].weight_pct == 25.0
    # A weight that is not a number is refused with a message; nothing changes.
    panel.table.item(0, 1).setText("lots")
    assert "Weight: 'lots' is not a number" in panel.note.text()
    assert window.binding.scenario.cases[1].weight_pct == 25.0


def test_the_weighted_figure_by_hand_and_view_as(qtbot, window):
    """Fee cases of the 36-month deal: $36.0B, $45.0B and $54.0B billed,
    weighted 60 / 30 / 10 = 21.6 + 13.5 + 5.4 = $40.5B."""
    window.show_tab("risk")
    panel = window.tab("risk").cases
    scenario = dataclasses.replace(window.binding.scenario, cases=(
        Case("Downside", 60.0, (CaseChange(FEE, 1.0e9),)), Case("Base", 30.0, ()),
        Case("Upside", 10.0, (CaseChange(FEE, 1.5e9),))))
    window.binding.set_scenario(scenario)
    window.binding.flush_views()
    assert _row(panel, "Total contract value") == ["$36.0B", "$45.0B", "$54.0B", "$40.5B"]
    labels = [panel.table.verticalHeaderItem(r).text() for r in range(panel.table.rowCount())]
    assert "Buyer NPV" in labels and "Provider NPV" not in labels
    window.key_figures.switch.set_perspective("provider")
    labels = [panel.table.verticalHeaderItem(r).text() for r in range(panel.table.rowCount())]
    assert "Provider NPV" in labels and "Buyer NPV" not in labels


def test_the_cases_reach_the_pdf(qtbot, window, tmp_path):
    scenario = dataclasses.replace(window.binding.scenario, cases=(
        Case("Downside", 60.0, (CaseChange(FEE, 1.0e9),)), Case("Base", 30.0, ()),
        Case("Upside", 10.0, (CaseChange(FEE, 1.5e9),))))
    window.binding.set_scenario(scenario)
    path = tmp_path / "cases.pdf"
    export_to_file(window, path, run_simulation=False)
    text = " ".join(" ".join(unicodedata.normalize("NFKC", page.extract_text()).split())
                    for page in PdfReader(str(path)).pages)
    assert "CASES \u00b7 FIGURES BY CASE" in text
    assert "Total contract value $36.0B $45.0B $54.0B $40.5B" in text
