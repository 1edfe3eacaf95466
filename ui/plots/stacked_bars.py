"""Bars stacked in layers (a portfolio's commitments by month, one layer a
counterparty) drawn by one plot item.

A pyqtgraph BarGraphItem a layer costs, at each edit, a setOpts per layer
that moved (a deal's layer and every one above it), the scene's bookkeeping
of each of those items (their bounding rectangles asked for again and again)
and a paint call each.  One item holds every layer's rectangles instead and
draws them in the layers' order, each as BarGraphItem draws its own (one
drawRects in the layer's brush, no pen): the same pixels.  A layer is worked
out again only when its heights or its base change (every layer's bases
and rectangles in a few array operations), and the memory drawRects reads a
layer's rectangles from is wrapped once, not at every paint.

The legend keeps a BarGraphItem a layer (`legend_items`, never added to the
plot): its sample shows the layer's brush, and a click on it hides or shows
the layer, as it did when the layer was that item.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from pyqtgraph.Qt.internals import PrimitiveArray
from PySide6.QtCore import QRectF


class StackedBars(pg.GraphicsObject):
    """Layers of bars at the same x, each on top of the ones before."""

    def __init__(self, width: float):
        super().__init__()
        self._width = width                   # of every bar, in x's units
        self.legend_items: list[pg.BarGraphItem] = []
        self._x = np.zeros(0)
        self._columns: tuple[np.ndarray, np.ndarray] = (np.zeros(0), np.zeros(0))
        # Each layer: its rectangles, its lowest and highest y (as
        # BarGraphItem's data bounds) and the arguments drawRects takes for
        # its rectangles (None until first shown); the heights and bases the
        # layers show, one row a layer.
        self._layers: list[list] = []
        self._heights = np.zeros((0, 0))
        self._bases = np.zeros((0, 0))
        self._brushes: list = []
        self._bounds: tuple[tuple, tuple] = ((None, None), (None, None))
        self._no_pen = pg.mkPen(None)

    def set_layers(self, x: np.ndarray, brushes: list) -> None:
        """A new calendar and set of layers (their brushes, bottom first), all
        empty until show(); their legend items made again."""
        self.legend_items = []
        self._brushes = [pg.mkBrush(brush) for brush in brushes]
        for brush in self._brushes:
            legend = pg.BarGraphItem(x=[0.0], height=[0.0], width=1.0, brush=brush,
                                     pen=self._no_pen)
            legend.visibleChanged.connect(self.update)
            self.legend_items.append(legend)
        self._x = np.asarray(x, dtype=float)
        # As BarGraphItem normalises x and width (the same arithmetic, so the same rectangles).
        x0 = self._x - self._width / 2.
        t0, t1 = x0, x0 + self._width
        self._columns = (np.minimum(t0, t1, dtype=np.float64),
                         np.maximum(t0, t1, dtype=np.float64))
        self._layers = [[PrimitiveArray(QRectF, 4), None, None, None] for _ in brushes]
        self._heights = np.full((len(brushes), len(x)), np.nan)
        self._bases = np.full((len(brushes), len(x)), np.nan)
        self.prepareGeometryChange()
        self._bounds = ((None, None), (None, None))
        self.update()

    def show(self, heights: list[np.ndarray]) -> np.ndarray:
        """Each layer's heights (bottom first, in set_layers' order) stacked;
        only the layers whose heights or base changed are worked out again.
        Returns the stack's top."""
        layers = min(len(self._layers), len(heights))
        # Every layer's base at once: a running sum down the layers from zero
        # (accumulate adds one row to the sum so far at a time, in the layers'
        # order): the same numbers as adding the layers one by one.  Row i of
        # `tops` is the base of layer i, row i + 1 its top.
        stacked = np.zeros((layers + 1, len(self._x)))
        if layers:
            stacked[1:] = heights[:layers]
        tops = np.add.accumulate(stacked, axis=0)
        held_heights, held_bases = self._heights[:layers], self._bases[:layers]
        # A layer is worked out again when a height or its base changed (a NaN,
        # as before the first show, never equals itself).
        same = ((stacked[1:] == held_heights) & (tops[:-1] == held_bases)).all(axis=1)
        changed = np.flatnonzero(~same)
        if len(changed):
            # Each bar's rectangle as BarGraphItem makes it from its base and top,
            # for every layer at once.
            y0 = np.minimum(tops[:-1], tops[1:], dtype=np.float64)
            y1 = np.maximum(tops[:-1], tops[1:], dtype=np.float64)
            spans = y1 - y0
            x0, x1 = self._columns
            lows, highs = (y0.min(axis=1), y1.max(axis=1)) if len(x0) else ((), ())
            for i in changed:
                layer = self._layers[i]
                held_heights[i] = stacked[i + 1]
                held_bases[i] = tops[i]
                rects = layer[0]
                if layer[3] is None:
                    # First shown: its columns (the calendar's, as long as the
                    # layers are), and where drawRects reads its rectangles:
                    # the same memory from then on.
                    rects.resize(len(x0))
                    rects.ndarray()[:, 0] = x0
                    rects.ndarray()[:, 2] = x1 - x0
                    layer[3] = rects.drawargs()
                memory = rects.ndarray()
                memory[:, 1] = y0[i]
                memory[:, 3] = spans[i]
                layer[1:3] = (float(lows[i]), float(highs[i])) if len(x0) else (None, None)
            self._find_bounds()
            self.update()
            self.informViewBoundsChanged()
        return tops[-1]

    def drawn(self, layer: int) -> np.ndarray:
        """The rectangles drawn for a layer: rows of (x, y, width, height)."""
        return self._layers[layer][0].ndarray().copy()

    def _find_bounds(self) -> None:
        bounds = ((None, None), (None, None))
        if self._layers and len(self._x):
            x0, x1 = self._columns
            bounds = ((float(np.min(x0)), float(np.max(x1))),
                      (min(layer[1] for layer in self._layers),
                       max(layer[2] for layer in self._layers)))
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):   # noqa: N802
        return self._bounds[ax]

    def boundingRect(self) -> QRectF:   # noqa: N802 (Qt's name)
        (x0, x1), (y0, y1) = self._bounds
        if x0 is None or y0 is None:
            return QRectF()
        return QRectF(x0, y0, x1 - x0, y1 - y0)

    def paint(self, painter, *_args) -> None:
        painter.setPen(self._no_pen)
        for legend, brush, layer in zip(self.legend_items, self._brushes, self._layers):
            if legend.isVisible() and layer[3] is not None:
                painter.setBrush(brush)
                painter.drawRects(*layer[3])
