"""The plot panel's paint path (issue 13): each plot paints once per edit,
and an axis whose range did not change is not drawn again."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject

from ui.plots.common import PlotPanel

EDITS = 6


class PaintCounter(QObject):
    """Counts the paint events each plot's viewport receives."""

    def __init__(self, panels):
        super().__init__()
        self.counts = {id(p): 0 for p in panels}
        self._panel_of = {}
        for panel in panels:
            viewport = panel.plot_widget.viewport()
            self._panel_of[id(viewport)] = id(panel)
            viewport.installEventFilter(self)

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            self.counts[self._panel_of[id(watched)]] += 1
        return False


def edit_and_idle(qtbot, window, fee):
    window.binding.set_values("contract", monthly_fee=fee)
    qtbot.waitUntil(lambda: not window.binding.recompute_pending, timeout=2000)
    qtbot.wait(40)     # every posted event, layout and paint


def test_each_plot_paints_once_per_edit(qtbot, window):
    # The Hardware tab's plots (GPUs online, power against the contract) do not
    # depend on the fee: there each edit paints them not at all.
    for key, paints in (("contract", EDITS), ("hardware", 0), ("economics", EDITS),
                        ("termination", EDITS)):
        window.show_tab(key)
        panels = [p for p in window.tab(key).findChildren(PlotPanel) if p.isVisible()]
        assert panels, key
        edit_and_idle(qtbot, window, 1.0e9)
        counter = PaintCounter(panels)
        for i in range(EDITS):
            # Fees far apart ($1.5B..$4.0B a month): the y ranges move on every edit.
            edit_and_idle(qtbot, window, 1.5e9 + 0.5e9 * i)
        assert list(counter.counts.values()) == [paints] * len(panels), key


def test_an_edit_inside_the_axis_steps_does_not_redraw_the_axes(qtbot, window):
    window.show_tab("contract")
    panels = window.tab("contract").plots.panels
    edit_and_idle(qtbot, window, 1.25e9)
    axes = [panel.plot.getAxis(name) for panel in panels for name in ("left", "bottom")]
    drawn = [axis._axis_pixmap for axis in axes]
    assert all(pixmap is not None for pixmap in drawn)
    # A dollar a month more moves every curve a little, not the nice-step ranges
    # (0..$60B cumulative, 0..$5B a month) nor the 36 months.
    ranges = [panel.plot.getViewBox().viewRange() for panel in panels]
    edit_and_idle(qtbot, window, 1.25e9 + 1.0)
    assert [panel.plot.getViewBox().viewRange() for panel in panels] == ranges
    assert [axis._axis_pixmap for axis in axes] == drawn
    assert all(a is b for a, b in zip((axis._axis_pixmap for axis in axes), drawn))
    # The data did move: the last cumulative payment is 36 dollars more.
    cumulative = window.tab("contract").plots.item("cumulative_payment").getData()[1]
    assert cumulative[-1] == 36 * (1.25e9 + 1.0)


def test_a_theme_change_redraws_the_cached_axes(qtbot, window):
    from ui.look.themes import THEMES, theme_manager
    window.show_tab("contract")
    axis = window.tab("contract").plots.panels[0].plot.getAxis("left")
    qtbot.wait(40)
    before = axis._axis_pixmap
    try:
        theme_manager().apply("dark")
        qtbot.wait(40)
        assert axis._axis_pixmap is not before
        assert axis.textPen().color() == pg.mkColor(THEMES["dark"].plot_foreground)
    finally:
        theme_manager().apply("light")
