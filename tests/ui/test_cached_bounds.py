"""The bounding rectangles the scene asks for several times a paint are kept
(ui/plots/layers.py PointMarkers, ui/plots/series_curve.py SeriesCurve's
pixel size), and follow both what they are made of: new data, and a view
whose range or size changed (the pixel's size in data units changes then).

Expected rectangles are worked out by hand: the view maps its x and y range
onto its width and height in pixels, so one pixel is (range / pixels) data
units; the markers' rectangle is their points' with a marker's size (5 px)
more each way, and a curve's is its data's plus pyqtgraph's pen padding,
the pen's width x 0.7072 pixels each way."""
from __future__ import annotations

import numpy as np
import pytest

from core.engine import compute
from core.presets import default_scenario
from ui.plots.common import PanelSpec, Series, SeriesPanel, timestamps

SPEC = PanelSpec("Marked", "$", (Series("cumulative_payment", "vermillion", "line",
                                        symbol="o"),))


@pytest.fixture
def panel(qtbot):
    panel = SeriesPanel(SPEC)
    qtbot.addWidget(panel)
    panel.resize(700, 400)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def pixel(panel) -> tuple[float, float]:
    """One pixel in data units, x and y, from the view's range and size."""
    view = panel.plot.getViewBox()
    (x0, x1), (y0, y1) = view.viewRange()
    return (x1 - x0) / view.width(), (y1 - y0) / view.height()


def show_fee(qtbot, panel, fee: float):
    schedule = compute(default_scenario().with_changes("contract", monthly_fee=fee)).schedule
    panel.show_schedule(schedule)
    qtbot.wait(20)
    return timestamps(schedule.month_start), schedule.cumulative_payment


def assert_rect(rect, x, y, pad_x, pad_y):
    assert rect.left() == pytest.approx(float(np.min(x)) - pad_x, rel=1e-9)
    assert rect.right() == pytest.approx(float(np.max(x)) + pad_x, rel=1e-9)
    assert rect.top() == pytest.approx(float(np.min(y)) - pad_y, rel=1e-9)
    assert rect.bottom() == pytest.approx(float(np.max(y)) + pad_y, rel=1e-9)


def zoom_in(qtbot, panel, x) -> None:
    """The view on the first half of the term: a pixel is half as wide."""
    panel.plot.setXRange(float(x[0]), float(x[len(x) // 2]), padding=0)
    qtbot.wait(20)


def test_the_markers_rectangle_follows_new_points_and_a_zoom(qtbot, panel):
    markers = panel.items["markers"]
    x, y = show_fee(qtbot, panel, 1.25e9)
    px, py = pixel(panel)
    assert_rect(markers.boundingRect(), x, y, 5 * px, 5 * py)
    # New points (a fee edit): the rectangle reaches the new total paid,
    # $2.0B x 36 months, on an axis fitted to it (a new pixel size too).
    x, y = show_fee(qtbot, panel, 2.0e9)
    assert float(np.max(y)) == pytest.approx(2.0e9 * 36)
    px, py = pixel(panel)
    assert_rect(markers.boundingRect(), x, y, 5 * px, 5 * py)
    # A small edit ($2.05B: $73.8B paid) moves the points inside the same axis
    # steps: the view, and so the pixel's size, stay; the rectangle follows.
    x, y = show_fee(qtbot, panel, 2.05e9)
    assert float(np.max(y)) == pytest.approx(2.05e9 * 36)
    assert pixel(panel) == (px, py)
    assert_rect(markers.boundingRect(), x, y, 5 * px, 5 * py)
    # A zoom: half the span over the same pixels, so half the margin in x.
    zoom_in(qtbot, panel, x)
    zoomed_px, zoomed_py = pixel(panel)
    assert zoomed_px < 0.6 * px       # about half: the padded range was a little wider
    assert_rect(markers.boundingRect(), x, y, 5 * zoomed_px, 5 * zoomed_py)


def test_the_curves_rectangle_follows_new_data_and_a_zoom(qtbot, panel):
    curve = panel.items["cumulative_payment"]
    pad = curve.opts["pen"].widthF() * 0.7072       # pyqtgraph's padding, in pixels
    x, y = show_fee(qtbot, panel, 1.25e9)
    px, py = pixel(panel)
    assert_rect(curve.boundingRect(), x, y, pad * px, pad * py)
    x, y = show_fee(qtbot, panel, 2.0e9)
    px, py = pixel(panel)
    assert_rect(curve.boundingRect(), x, y, pad * px, pad * py)
    zoom_in(qtbot, panel, x)
    zoomed_px, zoomed_py = pixel(panel)
    assert_rect(curve.boundingRect(), x, y, pad * zoomed_px, pad * zoomed_py)
    # A taller view (the window resized): a pixel is fewer dollars.
    panel.resize(700, 600)
    qtbot.waitUntil(lambda: pixel(panel)[1] < zoomed_py * 0.9, timeout=2000)
    qtbot.wait(20)
    tall_px, tall_py = pixel(panel)
    assert_rect(curve.boundingRect(), x, y, pad * tall_px, pad * tall_py)
