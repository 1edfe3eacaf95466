"""ui/plots/fast_axis.py: nice ranges worked by hand, the same pixels as
pyqtgraph's own axes, and no redraw for a range that did not change."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest

from ui.plots.fast_axis import FastAxisItem, FastDateAxisItem, nice_range, nice_step
from ui.look.themes import configure_pyqtgraph


def test_nice_steps_and_ranges_by_hand():
    # 1.37e9 in 5 ticks: 2.74e8 a tick, rounded up to the next of 1 / 2 / 2.5 / 5 x 1e8.
    assert nice_step(1.37e9) == 5e8
    assert nice_step(1.0e9) == 2e8          # exactly 2e8 a tick
    assert nice_step(120.0) == 25.0         # 24 a tick -> 2.5 x 10
    assert nice_range(0.0, 1.37e9) == (0.0, 1.5e9)
    # The data moved by $70M: the axis stays where it was.
    assert nice_range(0.0, 1.30e9) == (0.0, 1.5e9)
    assert nice_range(-3.2e9, 7.9e9) == (-5e9, 1e10)    # 11.1e9 / 5 -> 5e9 steps
    # A single value: +-5% of it (4.75..5.25), out to steps of 0.1 (0.5 / 5).
    assert nice_range(5.0, 5.0) == pytest.approx((4.7, 5.3), rel=1e-12)
    assert nice_range(float("nan"), 1.0) == (0.0, 1.0)


def _render(axis_items: dict, y_range=(-0.15e9, 3.15e9)) -> np.ndarray:
    widget = pg.PlotWidget(axisItems=axis_items)
    widget.resize(900, 400)
    plot = widget.getPlotItem()
    plot.showGrid(x=True, y=True, alpha=0.25)
    plot.plot([0, 10, 20, 30], [0, 1e9, 3e9, 2e9], pen=pg.mkPen("#D55E00", width=2))
    # Every tick label well inside the axis (pyqtgraph hides one at an end: see
    # test_a_label_at_the_bottom_of_a_gridded_axis_is_drawn).
    plot.setYRange(*y_range, padding=0)
    plot.setXRange(0, 30, padding=0)
    widget.show()
    image = widget.grab().toImage()
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(),
                                                                 image.bytesPerLine()).copy()
    widget.close()
    return pixels


def test_the_same_pixels_as_pyqtgraphs_axes(qtbot):
    configure_pyqtgraph()
    ours = _render({"left": FastAxisItem("left"), "bottom": FastAxisItem("bottom")})
    theirs = _render({"left": pg.AxisItem("left"), "bottom": pg.AxisItem("bottom")})
    assert ours.shape == theirs.shape
    # Grid lines, ticks and labels in the same places: at most a few bytes of
    # 1.2 M differ (the blend of a line's end pixel); a grid line one pixel off
    # would change thousands.
    assert np.count_nonzero(ours != theirs) < 100


def test_a_label_at_the_bottom_of_a_gridded_axis_is_drawn(qtbot, monkeypatch):
    """fit_ranges starts a plot 2% of its span below zero: on a 170 px axis the
    zero tick is 3 px above the bottom and half its label (about 7 px) below it.
    pyqtgraph drops the 15 px its labels may overhang when a grid is drawn, and
    hid that "0"; ours keeps it."""
    configure_pyqtgraph()
    drawn = {}

    def recording(cls):
        real = cls.drawPicture

        def draw(self, p, axis_spec, tick_specs, text_specs):
            drawn.setdefault(cls.__name__, set()).update(t for _r, _f, t in text_specs)
            return real(self, p, axis_spec, tick_specs, text_specs)
        monkeypatch.setattr(cls, "drawPicture", draw)

    recording(pg.AxisItem)
    recording(FastAxisItem)
    for axis in (pg.AxisItem("left"), FastAxisItem("left")):
        widget = pg.PlotWidget(axisItems={"left": axis})
        qtbot.addWidget(widget)
        widget.resize(900, 200)
        plot = widget.getPlotItem()
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.setYRange(-0.066e9, 3.3e9, padding=0)
        widget.show()
        widget.grab()
    assert "0" not in drawn["AxisItem"]          # pyqtgraph's own hides it
    assert "0" in drawn["FastAxisItem"]


def test_an_unchanged_range_is_not_redrawn(qtbot, monkeypatch):
    configure_pyqtgraph()
    axis = FastAxisItem("left")
    widget = pg.PlotWidget(axisItems={"left": axis, "bottom": FastDateAxisItem("bottom")})
    qtbot.addWidget(widget)
    widget.resize(600, 300)
    widget.show()
    plot = widget.getPlotItem()
    plot.setYRange(0, 100, padding=0)
    widget.grab()
    generated = []
    real = FastAxisItem.generateDrawSpecs
    monkeypatch.setattr(FastAxisItem, "generateDrawSpecs",
                        lambda self, p: generated.append(1) or real(self, p))
    for _ in range(3):
        plot.setYRange(0, 100, padding=0)       # the range it already shows
        widget.grab()
    assert generated == []
    plot.setYRange(0, 200, padding=0)           # a new range: drawn once
    widget.grab()
    widget.grab()
    assert generated == [1]
    assert axis.range == pytest.approx([0, 200])


def test_a_deals_dates_are_labelled_by_year_and_quarter(qtbot, monkeypatch):
    """The reference term, June 2026 to May 2029, on a 900 px date axis: the
    years and the quarters between them (Apr, Jul, Oct) are labelled, on the
    first of their month (pyqtgraph's default showed the years only)."""
    import datetime as dt
    from ui.plots.common import date_axis
    configure_pyqtgraph()
    drawn = []
    real = FastDateAxisItem.drawPicture
    monkeypatch.setattr(FastDateAxisItem, "drawPicture",
                        lambda self, p, a, t, texts: drawn.extend(x for _r, _f, x in texts)
                        or real(self, p, a, t, texts))
    axis = date_axis()
    widget = pg.PlotWidget(axisItems={"bottom": axis})
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    start = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc).timestamp()
    end = dt.datetime(2029, 6, 1, tzinfo=dt.timezone.utc).timestamp()
    widget.getPlotItem().setXRange(start, end, padding=0)
    widget.show()
    widget.grab()
    assert {"2027", "2028", "2029"} <= set(drawn)
    assert {"Jul", "Oct", "Apr"} <= set(drawn)
    ticks = dict(axis.tickValues(start, end, 900))       # {spacing: values}: years, quarters
    quarters = [dt.datetime.fromtimestamp(t, dt.timezone.utc) for t in ticks[min(ticks)]]
    assert quarters and all(d.day == 1 and d.month in (4, 7, 10) for d in quarters), quarters
