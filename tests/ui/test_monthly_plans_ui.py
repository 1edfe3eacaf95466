"""Monthly plans in the window, driven as a user does: import an invoice plan
from the contract tab (a pasted block), see it in force, see its amounts in
the monthly schedule grid, clear it and undo the clearing; a demand plan on
the projections tab through File > Import...; a bad cell refused with the
scenario unchanged."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from core.parameters import PlannedDemand, PlannedInvoice
from tests.ui.conftest import settle

PLAN_BLOCK = "Month\tAmount ($)\n1\t1,000,000,000\n2\t1.1e9\n2026-08-01\t1200000000\n"
PLAN = (PlannedInvoice(1, 1.0e9), PlannedInvoice(2, 1.1e9), PlannedInvoice(3, 1.2e9))


def undo_steps(window) -> int:
    return window.workspace.undo_group.activeStack().count()


def test_an_invoice_plan_imported_on_the_contract_tab_is_in_force_shown_and_cleared(qtbot, window):
    window.show_tab("contract")
    indicator = window.tab("contract").invoice_plan
    assert indicator.label.text().startswith("No invoice plan")
    assert not indicator.clear_button.isEnabled()
    before, steps = window.binding.scenario, undo_steps(window)

    qtbot.mouseClick(indicator.import_button, Qt.MouseButton.LeftButton)
    dialog = indicator.import_dialog
    assert dialog.kind_key == "invoice_plan"
    QGuiApplication.clipboard().setText(PLAN_BLOCK)
    assert dialog.use_text(QGuiApplication.clipboard().text())
    assert dialog.refusals.count() == 0 and dialog.import_button.isEnabled()
    assert dialog.summary.text() == "3 month(s) of the invoice plan ready to import"
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    assert window.binding.scenario.contract.invoice_plan == PLAN
    assert undo_steps(window) == steps + 1
    # 1.0 + 1.1 + 1.2 = $3.30B planned, all within the 36-month term.
    assert indicator.label.text() == (
        "Invoice plan in force: 3 month(s) planned (months 1\u20133), $3.30B within the term. "
        "It replaces the computed fee (pricing, escalator, discount); SLA credits still apply.")
    assert indicator.clear_button.isEnabled()

    # The schedule grid shows the planned fees, then the computed $1.25B from month 4.
    action = next(a for a in window.view_menu.actions() if "schedule" in a.text().lower())
    action.trigger()
    grid = window.schedule_grid
    qtbot.waitUntil(grid.isVisible)
    settle(qtbot, window)
    grid.concern.setCurrentText("Contract and payments")
    lines = grid.copy_text().splitlines()
    header = lines[0].split("\t")
    fee_column = next(i for i, h in enumerate(header) if h.startswith("Monthly fee")
                      or h == "monthly_fee")
    fees = [float(line.split("\t")[fee_column]) for line in lines[1:5]]
    assert fees == [1.0e9, 1.1e9, 1.2e9, 1.25e9]

    # Clear: one undoable edit; Undo brings the plan back.
    qtbot.mouseClick(indicator.clear_button, Qt.MouseButton.LeftButton)
    assert window.binding.scenario == before
    assert indicator.label.text().startswith("No invoice plan")
    window.undo_action.trigger()
    assert window.binding.scenario.contract.invoice_plan == PLAN
    assert indicator.label.text().startswith("Invoice plan in force")
    settle(qtbot, window)


def test_a_bad_plan_cell_is_refused_and_nothing_is_imported(qtbot, window):
    window.show_tab("contract")
    indicator = window.tab("contract").invoice_plan
    before = window.binding.scenario
    qtbot.mouseClick(indicator.import_button, Qt.MouseButton.LeftButton)
    dialog = indicator.import_dialog
    assert dialog.use_text("Month\tAmount ($)\n1\t1e9\n0\t-5\n")
    lines = [dialog.refusals.item(i).text() for i in range(dialog.refusals.count())]
    assert lines == [
        "row 3, column 'Amount ($)': Planned invoice must be between $0 and $50,000,000,000; "
        "-5 is out of range",
        "row 3, column 'Month': Month must be between 1 and 240; 0 is out of range"]
    assert not dialog.import_button.isEnabled() and not dialog.apply()
    assert window.binding.scenario == before
    dialog.reject()


def test_a_demand_plan_through_file_import_shows_on_the_projections_tab(qtbot, window, tmp_path):
    path = tmp_path / "demand.csv"
    path.write_text("Date,Tokens\n2026-07-15,5e15\n", "utf-8")
    window.show_tab("projections")
    indicator = window.tab("projections").demand_plan
    assert indicator.label.text() == "No demand plan: every month's demand follows the growth curve."
    window.import_action.trigger()
    dialog = window.import_dialog
    dialog.kind.setCurrentIndex(dialog.kind.findData("demand_plan"))
    assert dialog.use_file(path)
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    # 2026-07-15 falls in month 2.
    assert window.binding.scenario.projections.demand_plan == (PlannedDemand(2, 5e15),)
    assert indicator.label.text().startswith(
        "Demand plan in force: 1 month(s) planned (month 2), 5.00 quadrillion tokens "
        "within the term.")
    qtbot.mouseClick(indicator.clear_button, Qt.MouseButton.LeftButton)
    assert window.binding.scenario.projections.demand_plan == ()
    settle(qtbot, window)
