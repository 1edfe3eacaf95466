"""PanelPlotItem (ui/plots/panel_plot_item.py) is pyqtgraph's PlotItem without
the options form: everything PlotItem sets up is there, the form's values
start as the form's do and change as its widgets would, and a plot draws the
same pixels."""
from __future__ import annotations

import inspect
import re

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.PlotItem import plotConfigTemplate_generic as form_template
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QWidget

from ui.plots.panel_plot_item import PanelPlotItem, PlotOptions, panel_plot_widget

# Every widget of the form PlotItem's own methods read or set.
_READ = sorted(set(re.findall(r"ctrl\.(\w+)", inspect.getsource(pg.PlotItem))))


def test_every_attribute_plot_item_sets_is_set(qtbot):
    """A pyqtgraph upgrade that adds to PlotItem.__init__ fails here."""
    real, light = pg.PlotItem(enableMenu=False), PanelPlotItem(enableMenu=False)
    assert set(vars(real)) <= set(vars(light))


def test_the_options_start_as_the_forms_widgets_do(qtbot):
    holder = QWidget()
    qtbot.addWidget(holder)
    form = form_template.Ui_Form()
    form.setupUi(holder)
    options = PlotOptions()
    assert _READ and "xGridCheck" in _READ
    for name in _READ:
        widget, value = getattr(form, name), getattr(options, name)
        if isinstance(widget, (QAbstractButton, QGroupBox)):
            assert value.isChecked() == widget.isChecked(), name
        elif hasattr(widget, "value"):
            assert (value.value(), value.maximum()) == (widget.value(), widget.maximum()), name
        else:
            assert value.count() == widget.count() == 0, name


def test_options_change_as_the_forms_widgets_do(qtbot):
    """Set through PlotItem's own methods on both: the same state, and the
    same effect on the plot (the grid, downsampling, log mode)."""
    real, light = pg.PlotItem(enableMenu=False), PanelPlotItem(enableMenu=False)
    for item in (real, light):
        item.showGrid(x=True, y=False, alpha=0.25)
        item.setDownsampling(ds=4, auto=False, mode="mean")
        item.setClipToView(True)
        item.setLogMode(y=True)
    for name in _READ:
        widget, value = getattr(real.ctrl, name), getattr(light.ctrl, name)
        if hasattr(widget, "isChecked"):
            assert value.isChecked() == widget.isChecked(), name
        elif hasattr(widget, "value"):
            assert value.value() == widget.value(), name
    assert light.downsampleMode() == real.downsampleMode() == (4, False, "mean")
    assert light.ctrl.meanRadio.isChecked() and not light.ctrl.peakRadio.isChecked()
    for side in ("left", "bottom"):
        assert light.getAxis(side).grid == real.getAxis(side).grid
    assert light.getAxis("bottom").grid == 63      # int(0.25 x 255): the x grid only
    assert light.getAxis("left").grid is False


def test_a_plot_draws_the_same_pixels(qtbot):
    x = np.arange(24, dtype=float)
    images = []
    for widget in (pg.PlotWidget(enableMenu=False), panel_plot_widget(enableMenu=False)):
        qtbot.addWidget(widget)
        widget.resize(400, 300)
        plot = widget.getPlotItem()
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.addLegend()
        plot.plot(x, np.sin(x / 3), pen=pg.mkPen("#0072B2", width=2), name="sine")
        plot.plot(x, np.cos(x / 3), pen=pg.mkPen("#D55E00", width=2), name="cosine")
        plot.setXRange(0, 23)
        widget.show()
        qtbot.waitExposed(widget)
        images.append(widget.grab().toImage())
    assert images[0] == images[1]
