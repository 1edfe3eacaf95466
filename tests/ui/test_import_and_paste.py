"""Data in and out of the window, driven as a user does: paste a block from
a spreadsheet into the tranche table (one undo step), copy tables out as
tab-separated text, File > Import..., File > Open of an exported workbook,
and the monthly schedule grid."""
from __future__ import annotations

import csv
import datetime as dt

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextDocument
from PySide6.QtWidgets import QMessageBox

from core.engine import compute
from core.export.workbook import write_workbook
from core.parameters import Tranche
from core.presets import default_scenario
from tests.ui.conftest import settle

BLOCK = ("Tranche\tSite\tGPU model\tGPUs\tOnline date\r\n"
         "Colossus 1\tMemphis, TN\tH100 SXM\t150,000\t2026-06-01\r\n"
         "Colossus 2\tMemphis, TN\tGB200\t110000\t2027-01-15\r\n")
EXPECTED = (Tranche("Colossus 1", "Memphis, TN", "H100 SXM", 150_000, dt.date(2026, 6, 1)),
            Tranche("Colossus 2", "Memphis, TN", "GB200", 110_000, dt.date(2027, 1, 15)))



def undo_steps(window) -> int:
    return window.workspace.undo_group.activeStack().count()


def paste_into(qtbot, table, text, select_all=True):
    QGuiApplication.clipboard().setText(text)
    table.setFocus()
    if select_all:
        table.selectAll()
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_pasting_a_block_replaces_the_tranches_in_one_undo_step(qtbot, window):
    window.show_tab("hardware")
    table = window.tab("hardware").tranche_table
    before, steps = window.binding.scenario, undo_steps(window)
    paste_into(qtbot, table, BLOCK)
    assert window.binding.scenario.hardware.tranches == EXPECTED
    assert table.rowCount() == 2 and table.item(1, 0).text() == "Colossus 2"
    assert undo_steps(window) == steps + 1
    window.undo_action.trigger()
    assert window.binding.scenario == before
    assert table.rowCount() == len(before.hardware.tranches)
    settle(qtbot, window)


def test_pasting_rows_without_headers_appends_them(qtbot, window):
    window.show_tab("hardware")
    table = window.tab("hardware").tranche_table
    table.clearSelection()
    before = window.binding.scenario.hardware.tranches
    paste_into(qtbot, table, "Colossus 3\tMemphis, TN\tGB300\t1000\t2027-06-01\n", select_all=False)
    assert window.binding.scenario.hardware.tranches == before + (
        Tranche("Colossus 3", "Memphis, TN", "GB300", 1_000, dt.date(2027, 6, 1)),)


def test_one_value_pastes_into_the_current_cell(qtbot, window):
    window.show_tab("hardware")
    table = window.tab("hardware").tranche_table
    first = window.binding.scenario.hardware.tranches[0]
    table.setCurrentCell(0, 3)
    paste_into(qtbot, table, "75,000\r\n", select_all=False)
    assert window.binding.scenario.hardware.tranches[0] == \
        Tranche(first.name, first.site, first.gpu_model, 75_000, first.online_date)
    before = window.binding.scenario
    paste_into(qtbot, table, "lots\n", select_all=False)
    assert window.binding.scenario == before
    assert window.message.text() == "Not applied: Not pasted: GPU count must be a number, got 'lots'"


def test_a_bad_pasted_cell_is_refused_by_row_column_and_reason(qtbot, window):
    window.show_tab("hardware")
    table = window.tab("hardware").tranche_table
    before, steps = window.binding.scenario, undo_steps(window)
    paste_into(qtbot, table, BLOCK.replace("110000", "-3"))
    assert window.binding.scenario == before and undo_steps(window) == steps
    message = window.message.text()
    # Line 3 of the block (its header is line 1), in the GPUs column.
    assert message == ("Not applied: Not pasted: row 3, column 'GPUs': GPU count must be between "
                       "0 and 10,000,000 GPUs; -3 is out of range")
    assert window.message.isVisible()


def test_copy_out_of_the_tranche_table_pastes_back(qtbot, window):
    window.show_tab("hardware")
    table = window.tab("hardware").tranche_table
    paste_into(qtbot, table, BLOCK)
    table.selectAll()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text()
    assert copied.splitlines() == ["Tranche\tSite\tGPU model\tGPUs\tOnline date",
                                   "Colossus 1\tMemphis, TN\tH100 SXM\t150000\t2026-06-01",
                                   "Colossus 2\tMemphis, TN\tGB200\t110000\t2027-01-15"]
    # Into the GPU model table it is refused (no GPU model columns), nothing changes.
    models = window.binding.scenario.hardware.gpu_models
    paste_into(qtbot, window.tab("hardware").model_table, copied)
    assert window.binding.scenario.hardware.gpu_models == models
    assert "no column is chosen for IT power per GPU" in window.message.text()


FORMULA_NAMES = ('=HYPERLINK("http://example.com/x","click")', "=1+1", "-2+3", "@SUM(A1)")


def test_ctrl_c_marks_formula_like_names_as_text_and_keeps_numbers(qtbot, window):
    """Pasted into a spreadsheet, "=1+1" would run; the apostrophe is the
    spreadsheets' own mark for text.  "-2.5" is a number and stays one."""
    window.show_tab("hardware")
    table = window.tab("hardware").tranche_table
    names = FORMULA_NAMES + ("-2.5",)
    block = "Tranche\tSite\tGPU model\tGPUs\tOnline date\n" + "".join(
        f"{name}\t+Site\tH100 SXM\t{1000 + i}\t2026-06-01\n" for i, name in enumerate(names))
    paste_into(qtbot, table, block)
    pasted = window.binding.scenario.hardware.tranches
    assert [t.name for t in pasted] == list(names) and pasted[0].site == "+Site"
    table.selectAll()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text()
    assert [line.split("\t")[:2] for line in copied.splitlines()[1:]] == [
        ['\'=HYPERLINK("http://example.com/x","click")', "'+Site"], ["'=1+1", "'+Site"],
        ["'-2+3", "'+Site"], ["'@SUM(A1)", "'+Site"], ["-2.5", "'+Site"]]
    # Pasted back into the app, the names are as they were.
    paste_into(qtbot, table, copied)
    assert window.binding.scenario.hardware.tranches == pasted
    # A read-only table (Compare's inputs): a scenario named "=1+1" heads a column.
    window.workspace.duplicate("=1+1")
    window.show_tab("compare")
    settle(qtbot, window)
    view = window.tab("compare").inputs_table
    view.clearSelection()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert "'=1+1" in QGuiApplication.clipboard().text().splitlines()[0].split("\t")


def test_copy_out_of_a_read_only_table(qtbot, window):
    window.show_tab("alternatives")
    settle(qtbot, window)
    view = window.tab("alternatives").amortisation
    view.clearSelection()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QGuiApplication.clipboard().text().splitlines()
    assert len(lines) == view.rowCount() + 1
    assert lines[0].split("\t") == [view.horizontalHeaderItem(c).text()
                                    for c in range(view.columnCount())]
    assert lines[1].split("\t")[0] == view.item(0, 0).text()


def test_file_import_of_a_csv_is_one_undoable_edit(qtbot, window, tmp_path):
    path = tmp_path / "capacity.csv"
    with open(path, "w", newline="") as out:   # "Memphis, TN" needs quoting
        csv.writer(out).writerows(line.split("\t") for line in BLOCK.splitlines())
    steps = undo_steps(window)
    before = window.binding.scenario
    window.import_action.trigger()
    dialog = window.import_dialog
    assert dialog.use_file(path)
    assert dialog.preview.rowCount() == 2 and dialog.import_button.isEnabled()
    assert dialog.refusals.count() == 0
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert window.binding.scenario.hardware.tranches == EXPECTED
    assert undo_steps(window) == steps + 1
    window.undo_action.trigger()
    assert window.binding.scenario == before


def test_file_import_shows_refused_cells_and_imports_nothing(qtbot, window, tmp_path):
    path = tmp_path / "capacity.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Plan"
    sheet.append(["Tranche", "Site", "GPU model", "GPU count (GPUs)", "Online date"])
    sheet.append(["Colossus 1", "Memphis, TN", "H100 SXM", 150_000, dt.datetime(2026, 6, 1)])
    sheet.append(["<b>Colossus 2</b>", "Memphis, TN", "Z9", 1.5, dt.datetime(2027, 1, 15)])
    book.save(path)
    before = window.binding.scenario
    window.import_action.trigger()
    dialog = window.import_dialog
    assert dialog.use_file(path)
    assert dialog.sheet.currentText() == "Plan"
    lines = [dialog.refusals.item(i).text() for i in range(dialog.refusals.count())]
    assert lines == [
        "C3 (row 3, column 'GPU model'): GPU model 'Z9' is not defined; defined models: "
        "B200, GB200, GB300, H100 SXM, H200",
        "D3 (row 3, column 'GPU count (GPUs)'): GPU count must be a whole number, got 1.5"]
    assert not dialog.import_button.isEnabled()
    bad = dialog.preview.item(1, 3)
    shown = QTextDocument()
    shown.setHtml(bad.toolTip())        # as Qt shows a tooltip (escaped: see plain_tooltip)
    assert shown.toPlainText() == "GPU count must be a whole number, got 1.5"
    assert bad.background().color().name() != dialog.preview.item(0, 3).background().color().name()
    # Text from the file stays plain text in the preview.
    assert dialog.preview.item(1, 0).text() == "<b>Colossus 2</b>"
    assert not dialog.apply()
    assert window.binding.scenario == before
    dialog.reject()


def test_file_open_reads_back_an_exported_workbook(qtbot, window, tmp_path):
    path = tmp_path / "deal.xlsx"
    write_workbook(compute(default_scenario()), path)
    book = openpyxl.load_workbook(path)
    for name, value in (("contract_monthly_fee", 1.1e9), ("contract_term_months", 24)):
        sheet, cell = next(iter(book.defined_names[name].destinations))
        book[sheet][cell.replace("$", "")].value = value
    book.save(path)
    assert window.file_actions.load_file(path)
    assert window.binding.scenario == default_scenario().with_changes(
        "contract", monthly_fee=1.1e9, term_months=24)
    assert window.file_actions.path is None          # Save never writes JSON over the workbook
    assert window.workspace.is_modified


def test_file_open_of_a_workbook_with_a_bad_cell_says_which(qtbot, window, tmp_path):
    path = tmp_path / "deal.xlsx"
    write_workbook(compute(default_scenario()), path)
    book = openpyxl.load_workbook(path)
    sheet, cell = next(iter(book.defined_names["contract_monthly_fee"].destinations))
    book[sheet][cell.replace("$", "")].value = "lots"
    book.save(path)
    before = window.binding.scenario
    assert not window.file_actions.load_file(path)
    box = window.findChild(QMessageBox, "file-error")
    assert box is not None
    assert box.text() == (f"Not opened: {path}: 1 value(s) refused: Inputs!{cell.replace('$', '')} "
                          f"(row {cell.split('$')[-1]}, column 'Monthly fee'): Monthly fee must "
                          "be a number, got 'lots'")
    assert window.binding.scenario == before
    box.close()


def test_the_schedule_grid_filters_by_concern_and_copies(qtbot, window):
    action = next(a for a in window.view_menu.actions() if "schedule" in a.text().lower())
    action.trigger()
    grid = window.schedule_grid
    qtbot.waitUntil(grid.isVisible)
    settle(qtbot, window)
    assert grid.model.rowCount() == 36
    grid.concern.setCurrentText("Provider")
    shown = grid.shown_columns()
    assert "provider_ebitda" in shown and "payment" not in shown and shown[0] == "month"
    grid.concern.setCurrentText("Contract and payments")
    lines = grid.copy_text().splitlines()
    assert len(lines) == 37
    header = lines[0].split("\t")
    last = dict(zip(header, lines[-1].split("\t")))
    payment = next(h for h in header if h.startswith("Cumulative pay") and "PV" not in h
                   or h == "cumulative_payment")
    # 36 payments of $1.25B: $45.0B by the last month, at full precision.
    assert float(last[payment]) == 45e9
    # A refused edit elsewhere does not touch it; an accepted one updates it while visible.
    window.binding.set_values("contract", term_months=24)
    settle(qtbot, window)
    assert grid.model.rowCount() == 24
