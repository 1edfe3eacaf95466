"""SeriesCurve draws its curve itself (ui/plots/series_curve.py): the same
pixels as pyqtgraph's PlotCurveItem.paint for every kind of series the app
declares (a line, a step, a dashed line, a fill down to zero, gaps at NaNs),
without going through pyqtgraph's paint; a shadow pen (which a series never
has) still goes through pyqtgraph's."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QImage, QPainter

from ui.look.themes import configure_pyqtgraph
from ui.plots.basics import pen
from ui.plots.series_curve import SeriesCurve

X = np.arange(37, dtype=float) * 30.0
Y = 1e9 * (1.0 + np.sin(np.arange(36) / 5.0))           # 36 months of values

CASES = {
    "line": dict(step=False, fill=None, dashed=False, y=Y),
    "step": dict(step=True, fill=None, dashed=False, y=Y),
    "dashed": dict(step=False, fill=None, dashed=True, y=Y),
    "fill": dict(step=False, fill=(0, 114, 178, 40), dashed=False, y=Y),
    "step fill": dict(step=True, fill=(0, 114, 178, 40), dashed=False, y=Y),
    "gaps": dict(step=False, fill=None, dashed=False, y=np.where(np.arange(36) % 7 == 3,
                                                                 np.nan, Y)),
}


@pytest.fixture
def widgets():
    """The plots a test renders, kept until it ends, then closed as pyqtgraph
    closes a plot (a plot left to the garbage collector may crash a later paint)."""
    made: list = []
    yield made
    for widget in made:
        widget.close()


def _render(widgets, curve: SeriesCurve, x, y) -> np.ndarray:
    widget = pg.PlotWidget()
    widgets.append(widget)
    widget.resize(500, 300)
    widget.getPlotItem().addItem(curve)
    curve.show_values(x, y)
    widget.setRange(xRange=(0, 1100), yRange=(-0.2e9, 2.2e9), padding=0)
    image = QImage(widget.size(), QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    widget.render(painter)
    painter.end()
    return np.frombuffer(image.constBits(), np.uint8).reshape(300, 500, 4).copy()


def _curve(case: dict) -> SeriesCurve:
    return SeriesCurve(pen("#0072B2", 2.0 if case["dashed"] else 2.5, case["dashed"]),
                       step=case["step"],
                       fill_brush=None if case["fill"] is None else pg.mkBrush(*case["fill"]))


@pytest.mark.parametrize("name", list(CASES))
def test_a_series_curve_paints_what_pyqtgraph_paints(qtbot, widgets, monkeypatch, name):
    configure_pyqtgraph()
    case = CASES[name]
    x = X if case["step"] else X[:-1]
    calls = []
    original = pg.PlotCurveItem.paint
    monkeypatch.setattr(pg.PlotCurveItem, "paint",
                        lambda self, *args: (calls.append(self), original(self, *args)))
    ours = _render(widgets, _curve(case), x, case["y"])
    assert calls == []                  # drawn by SeriesCurve.paint alone
    monkeypatch.setattr(SeriesCurve, "paint", pg.PlotCurveItem.paint)   # pyqtgraph's
    theirs = _render(widgets, _curve(case), x, case["y"])
    assert len(calls) == 1
    assert (ours[..., :3] != 255).any()           # something was drawn
    assert np.array_equal(ours, theirs)


def test_a_shadow_pen_goes_through_pyqtgraphs_paint(qtbot, widgets, monkeypatch):
    configure_pyqtgraph()
    calls = []
    original = pg.PlotCurveItem.paint
    monkeypatch.setattr(pg.PlotCurveItem, "paint",
                        lambda self, *args: (calls.append(self), original(self, *args)))
    curve = _curve(CASES["line"])
    curve.setShadowPen(pg.mkPen("#000000", width=5))
    _render(widgets, curve, X[:-1], Y)
    assert calls == [curve]
