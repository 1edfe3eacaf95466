"""Keyboard use: Tab goes through the window in reading order, and from a
tab's last input comes round to the scenario bar (ScenarioBar in
ui/tabs/comparison.py) and its buttons."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTabBar

from tests.ui.conftest import settle
from ui import registry


def press_tab(qtbot, shift: bool = False):
    """One Tab (or Shift+Tab) to the widget with the focus, as a keyboard does;
    the widget that has the focus afterwards."""
    focused = QApplication.focusWidget()
    modifier = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(focused, Qt.Key.Key_Backtab if shift else Qt.Key.Key_Tab, modifier)
    return QApplication.focusWidget()


@pytest.mark.parametrize("key, last_input", [("contract", "incremental_borrowing_rate_pct"),
                                              ("projections", "token_price_decline_pct_per_year")])
def test_tab_from_the_last_input_reaches_the_scenario_bar_and_its_buttons(
        qtbot, window, key, last_input):
    window.workspace.duplicate()          # two scenarios: Delete is enabled too
    window.show_tab(key)
    settle(qtbot, window)
    window.activateWindow()
    tab, bar = window.tab(key), window.scenario_bar
    assert list(tab.form.fields)[-1] == last_input
    field = tab.form.fields[last_input]
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=1000)
    passed = []
    focused = press_tab(qtbot)
    while focused is not bar.combo and len(passed) < 10:
        passed.append(focused)
        focused = press_tab(qtbot)
    assert focused is bar.combo
    # On the way only the rest of the tab shown (its plots), nothing of another tab.
    assert all(tab.isAncestorOf(widget) for widget in passed)
    assert [press_tab(qtbot) for _ in range(3)] == [
        bar.duplicate_button, bar.rename_button, bar.delete_button]
    # Then on down the page: the View-as switch, then the tab bar.
    after_bar = press_tab(qtbot)
    assert after_bar is window.key_figures.switch.buttons["buyer"], after_bar.text()
    following = press_tab(qtbot)
    assert isinstance(following, QTabBar) or window.key_figures.isAncestorOf(following)
    # And Shift+Tab from the chooser goes back into the tab.
    bar.combo.setFocus()
    qtbot.waitUntil(bar.combo.hasFocus, timeout=1000)
    assert tab.isAncestorOf(press_tab(qtbot, shift=True))


@pytest.mark.parametrize("key", registry.TAB_KEYS)
def test_tab_never_traps_the_keyboard_in_a_tab(qtbot, window, key):
    """From the tab bar, Tab goes through the tab shown (an editable table cell by
    cell, a read-only one in one step) and comes round to the scenario bar."""
    window.show_tab(key)
    settle(qtbot, window)
    window.activateWindow()
    window.tabs.tabBar().setFocus()
    qtbot.waitUntil(window.tabs.tabBar().hasFocus, timeout=1000)
    for _ in range(400):            # the risk tab's editable table: a few hundred cells
        if press_tab(qtbot) is window.scenario_bar.combo:
            break
    assert QApplication.focusWidget() is window.scenario_bar.combo


def test_tab_leaves_an_editable_table_at_its_last_cell_and_shift_tab_at_its_first(qtbot, window):
    window.show_tab("hardware")
    settle(qtbot, window)
    window.activateWindow()
    table = window.tab("hardware").tranche_table
    model = table.model()
    last = model.index(model.rowCount() - 1, model.columnCount() - 1)
    table.setFocus()
    qtbot.waitUntil(table.hasFocus, timeout=1000)
    table.setCurrentIndex(model.index(0, 0))
    assert press_tab(qtbot) is table and table.currentIndex() == model.index(0, 1)  # next cell
    table.setCurrentIndex(last)
    after = press_tab(qtbot)
    assert after is not table and not table.isAncestorOf(after)      # on, not back to (0, 0)
    table.setFocus()
    table.setCurrentIndex(model.index(0, 0))
    before = press_tab(qtbot, shift=True)
    assert before is not table and not table.isAncestorOf(before)
