"""The main window owns its menus' objects (issue 10): File > Import...,
View > Monthly schedule and Ctrl+C on tables are members it makes in one
place, and no module hangs attributes on the window from outside."""
from __future__ import annotations

import ast
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QTableView

from tests.ui.conftest import settle

UI = Path(__file__).resolve().parents[2] / "ui"


def _menu_texts(menu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if a.text()]


def test_file_import_sits_above_export_and_opens_the_dialog(qtbot, window):
    texts = _menu_texts(window.file_menu)
    assert texts.index("Import\u2026") == texts.index("Export...") - 1
    assert window.import_dialog is None
    window.import_action.trigger()
    dialog = window.import_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.binding is window.binding
    dialog.reject()


def test_view_monthly_schedule_shows_and_hides_the_grid(qtbot, window):
    action = next(a for a in window.view_menu.actions()
                  if a.text().replace("&", "") == "Monthly schedule")
    assert not window.schedule_dock.isVisible()
    action.trigger()
    settle(qtbot, window)
    assert window.schedule_dock.isVisible()
    assert window.schedule_grid.isVisible() and window.schedule_dock.widget() is window.schedule_grid
    # The reference deal's 36 months, one row each.
    assert window.schedule_grid.model.rowCount() == 36
    action.trigger()
    assert not window.schedule_dock.isVisible()


def test_ctrl_c_copies_a_read_only_table_as_shown(qtbot, window):
    window.show_tab("compare")
    settle(qtbot, window)
    table = next(v for v in window.tab("compare").findChildren(QTableView) if v.isVisible()
                 and v.model().rowCount() > 0)
    table.setFocus()
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text().splitlines()
    model = table.model()
    # A header row, then one line per row shown, cells separated by tabs.
    assert len(copied) == 1 + model.rowCount()
    assert copied[0].split("\t")[0] == str(model.headerData(0, Qt.Orientation.Horizontal) or "")


def test_no_module_hangs_attributes_on_the_window():
    """`window.x = ...` outside the main window itself is what issue 10 removed
    (install_* functions did it): the window makes its members."""
    found = []
    for path in sorted(UI.rglob("*.py")):
        if path.name == "main_window.py":
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
            for target in targets:
                for leaf in ast.walk(target):
                    if isinstance(leaf, ast.Attribute) and isinstance(leaf.value, ast.Name) \
                            and leaf.value.id == "window":
                        found.append(f"{path.relative_to(UI.parent)}:{node.lineno}")
    assert not found, found


def test_the_schedule_opens_at_a_quarter_of_the_window_and_leaves_the_plots_room(qtbot, window):
    """View > Monthly schedule on the Risk tab at 1366 x 768: the dock takes a
    quarter of the window (Qt gave it half, crushing the tornado and histogram
    into overlapping labels); the user's own height is kept after that."""
    window.resize(1366, 768)
    window.show_tab("risk")
    qtbot.wait(50)
    plots_before = window.tab("risk").widget(1).height()
    window.schedule_dock.toggleViewAction().trigger()
    qtbot.wait(50)
    dock = window.schedule_dock.height()
    assert 150 <= dock <= window.height() // 4 + 10, (dock, window.height())
    assert window.tab("risk").widget(1).height() >= plots_before - dock - 20
    window.resizeDocks([window.schedule_dock], [300], Qt.Orientation.Vertical)
    qtbot.wait(50)
    dragged = window.schedule_dock.height()
    assert dragged > dock + 40
    window.schedule_dock.toggleViewAction().trigger()        # closed, then opened again
    window.schedule_dock.toggleViewAction().trigger()
    qtbot.wait(50)
    assert abs(window.schedule_dock.height() - dragged) <= 5
