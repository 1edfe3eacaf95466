"""StackedBars (ui/plots/stacked_bars.py): layers of bars drawn by one item
look exactly as one pyqtgraph BarGraphItem a layer did, after the layers
move, and a click on a layer's legend entry hides it."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from ui.look.themes import configure_pyqtgraph, series_colour
from ui.plots.stacked_bars import StackedBars

MONTH = 30.44 * 86_400
X = 1.78e9 + MONTH * np.arange(24)


@pytest.fixture(autouse=True)
def _views_gone(qtbot):
    """The plots made here closed, deleted and collected before the next test
    (pyqtgraph's items otherwise outlive their scenes until a later collection)."""
    yield
    import gc
    for view in list(_VIEWS):
        view.close()
        view.deleteLater()
    _VIEWS.clear()
    qtbot.wait(1)
    gc.collect()


_VIEWS: list = []


def _plot(qtbot):
    configure_pyqtgraph()
    view = pg.PlotWidget()
    _VIEWS.append(view)
    view.resize(420, 300)
    view.setXRange(X[0] - MONTH, X[-1] + MONTH, padding=0)
    view.setYRange(0, 3.2e9, padding=0)
    view.getPlotItem().hideButtons()     # (the auto-range button shows under the mouse)
    legend = view.getPlotItem().addLegend()
    view.show()
    qtbot.waitExposed(view)
    return view, legend


def _as_bar_items(view, legend, layers):
    """The same layers as one BarGraphItem each (as the Portfolio tab drew them)."""
    bottom = np.zeros(len(X))
    items = []
    for i, height in enumerate(layers):
        bars = pg.BarGraphItem(x=X, height=height, y0=bottom.copy(), width=MONTH * 0.9,
                               brush=pg.mkBrush(series_colour(i + 1)), pen=pg.mkPen(None))
        view.addItem(bars)
        legend.addItem(bars, f"Provider {i + 1}")
        items.append(bars)
        bottom = bottom + height
    return items


def _as_stack(view, legend, layers):
    stack = StackedBars(width=MONTH * 0.9)
    view.addItem(stack)
    stack.set_layers(X, [series_colour(i + 1) for i in range(len(layers))])
    for i, item in enumerate(stack.legend_items):
        legend.addItem(item, f"Provider {i + 1}")
    top = stack.show(layers)
    return stack, top


def _pixels(view):
    for _ in range(5):
        pg.QtWidgets.QApplication.processEvents()
    return view.grab().toImage()


LAYERS = [np.linspace(1e9, 0.2e9, 24), np.where(np.arange(24) < 12, 0.5e9, 0.0),
          np.full(24, 0.25e9), 0.1e9 * (1 + np.arange(24) % 3)]


def test_the_stack_draws_what_a_bar_item_a_layer_drew(qtbot):
    reference, ref_legend = _plot(qtbot)
    items = _as_bar_items(reference, ref_legend, LAYERS)
    view, legend = _plot(qtbot)
    stack, top = _as_stack(view, legend, LAYERS)
    assert top == pytest.approx(sum(LAYERS))
    assert _pixels(view) == _pixels(reference)
    # The second layer's heights doubled: it and the two above it move.
    moved = [LAYERS[0], 2 * LAYERS[1], LAYERS[2], LAYERS[3]]
    bottom = np.zeros(len(X))
    for item, height in zip(items, moved):
        item.setOpts(height=height, y0=bottom.copy())
        bottom = bottom + height
    assert stack.show(moved) == pytest.approx(bottom)
    assert _pixels(view) == _pixels(reference)
    drawn = stack.drawn(2)                           # (x, y, width, height) a bar
    assert drawn[:, 1] == pytest.approx(LAYERS[0] + 2 * LAYERS[1])
    assert drawn[:, 3] == pytest.approx(LAYERS[2])
    # And back (an undo): the first picture again.
    for item, height, base in zip(items, LAYERS, np.cumsum([np.zeros(24)] + LAYERS[:-1], axis=0)):
        item.setOpts(height=height, y0=base)
    stack.show(LAYERS)
    assert _pixels(view) == _pixels(reference)


def test_a_click_on_a_legend_entry_hides_its_layer(qtbot):
    reference, ref_legend = _plot(qtbot)
    items = _as_bar_items(reference, ref_legend, LAYERS)
    view, legend = _plot(qtbot)
    stack, _top = _as_stack(view, legend, LAYERS)
    shown = _pixels(view)
    sample, _label = legend.items[1]
    where = view.mapFromScene(sample.mapToScene(sample.boundingRect().center()))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(where.x(), where.y()))
    assert not stack.legend_items[1].isVisible()
    items[1].setVisible(False)                       # as a click on its sample hid it
    ref_legend.items[1][0].update()
    assert _pixels(view) != shown
    assert _pixels(view) == _pixels(reference)


def test_layers_set_again_on_a_longer_calendar_draw_what_bar_items_drew(qtbot):
    # The layers made again (a new calendar, one layer fewer) after they were
    # shown: each draws its new rectangles, none the memory of the layers before.
    reference, ref_legend = _plot(qtbot)
    view, legend = _plot(qtbot)
    stack, _top = _as_stack(view, legend, LAYERS)
    longer = np.append(X, X[-1] + MONTH * np.arange(1, 7))
    layers = [np.resize(layer, len(longer)) for layer in LAYERS[:3]]
    stack.set_layers(longer, [series_colour(i + 1) for i in range(3)])
    legend.clear()
    for i, item in enumerate(stack.legend_items):
        legend.addItem(item, f"Provider {i + 1}")
    top = stack.show(layers)
    bottom = np.zeros(len(longer))
    for i, height in enumerate(layers):
        bars = pg.BarGraphItem(x=longer, height=height, y0=bottom.copy(), width=MONTH * 0.9,
                               brush=pg.mkBrush(series_colour(i + 1)), pen=pg.mkPen(None))
        reference.addItem(bars)
        ref_legend.addItem(bars, f"Provider {i + 1}")
        bottom = bottom + height
    assert top.tobytes() == bottom.tobytes()      # the same sums, in the same order
    for plot in (view, reference):
        plot.setXRange(longer[0] - MONTH, longer[-1] + MONTH, padding=0)
    assert _pixels(view) == _pixels(reference)
