"""ui/app/safe_input.py guards the widgets it reads, each as the style first
polishes it, not the whole application: fields, plots and tables made after
the window (a tab built in idle time, a window opened later) are guarded as
the window's own are."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractSpinBox, QApplication, QScrollArea, QSpinBox,
                               QVBoxLayout, QWidget)

from tests.ui.conftest import settle
from tests.ui.conftest import wheel as _wheel
from ui.app import safe_input


def test_a_field_made_after_the_window_ignores_the_wheel_until_focused(qtbot, window):
    """A spin box in a window opened after the main window: the wheel over it
    unfocused leaves it alone; focused, it steps the value."""
    safe_input.install()
    holder = QWidget()
    layout = QVBoxLayout(holder)
    spin = QSpinBox()
    spin.setRange(0, 100)
    spin.setValue(50)
    layout.addWidget(spin)
    layout.addSpacing(2000)                  # room to scroll
    area = QScrollArea()
    area.setWidget(holder)
    area.resize(200, 200)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    spin.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    window.key_figures.setFocus()
    _wheel(spin)
    _wheel(spin.lineEdit())
    # Unfocused: the value stays (the event is refused; Qt hands a real wheel on
    # to the scroll area, a synthesised one, as here, stops).
    assert spin.value() == 50
    area.activateWindow()
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus, timeout=1000)
    _wheel(spin)
    assert spin.value() == 51                         # focused: one step


def test_wheel_over_an_unfocused_field_of_a_tab_built_in_idle_time(qtbot, window):
    """The Projections tab is built after the window (in idle time or at its
    first show): its fields are guarded too."""
    window.show_tab("projections")
    settle(qtbot, window)
    tab = window.tab("projections")
    field = next(f for f in tab.form.fields.values() if isinstance(f, QAbstractSpinBox))
    window.key_figures.setFocus()
    before = window.binding.scenario
    shown = field.value()
    _wheel(field)
    _wheel(field.lineEdit())
    settle(qtbot, window)
    assert window.binding.scenario == before
    assert field.value() == shown


def test_tab_leaves_a_read_only_table_painted_by_plain_fusion(qtbot, window):
    """The two-way table paints with Fusion itself (use_plain_style), so the
    application's style never polishes it: it is guarded all the same, and
    Tab moves on from it in one step rather than through its 625 cells."""
    window.show_tab("solve")
    settle(qtbot, window)
    table = window.tab("solve").sweep.table
    assert table.style() is not QApplication.style()
    window.activateWindow()
    table.setFocus()
    qtbot.waitUntil(table.hasFocus, timeout=1000)
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    after = QApplication.focusWidget()
    assert after is not table and not table.isAncestorOf(after)
