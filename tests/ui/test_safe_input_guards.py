"""ui/app/safe_input.py guards the widgets it reads, each as the style first
polishes it, not the whole application: fields, plots and tables made after
the window (a tab built in idle time, a window opened later) are guarded as
the window's own are."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (QAbstractSpinBox, QApplication, QScrollArea, QSpinBox,
                               QVBoxLayout, QWidget)

from tests.ui.conftest import settle
from ui.app import safe_input


def _wheel(widget: QWidget, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """One notch of the wheel up over the widget's centre, as the mouse sends it."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, 120), Qt.MouseButton.NoButton, modifiers,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


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


def test_wheel_over_a_plot_of_a_tab_built_in_idle_time_zooms_only_with_ctrl(qtbot, window):
    window.show_tab("economics")
    settle(qtbot, window)
    from ui.plots.common import PlotPanel
    panel = window.tab("economics").findChildren(PlotPanel)[0]
    qtbot.wait(10)
    view = panel.plot.getViewBox()
    before = view.viewRange()
    _wheel(panel.plot_widget.viewport())
    qtbot.wait(10)
    assert view.viewRange() == before
    _wheel(panel.plot_widget.viewport(), Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(10)
    assert view.viewRange()[0] != before[0]          # Ctrl + wheel zooms the time axis


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
