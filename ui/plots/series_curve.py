"""The curve item of every declared series: a pyqtgraph PlotCurveItem
updated only when its data changed, with its bounds known from the data.

pyqtgraph's PlotDataItem (what `PlotItem.plot()` makes) wraps a
PlotCurveItem in machinery for log axes, downsampling, clipping to the
view, symbols and FFTs, none of which a plot here uses; each of its setData
calls re-sets every pen, brush and option on the inner curve and checks the
data for NaNs twice.  Drawn by the PlotCurveItem itself, a series updates in
about a third of the time, and looks the same: same pen, fill, step mode,
antialiasing, and NaNs shown as gaps (PlotDataItem's "auto" connection).

`show_values(x, y)` leaves the item as it is when x and y are the values it
shows (a fee edit leaves the power, the token revenue, the depreciation as
they were): no new path, no bounds, no repaint.

Its `paint` draws what PlotCurveItem.paint draws, in the same calls and
order, without the checks for what a series never uses (OpenGL, export
options, a composition mode, a shadow pen, an outlined fill): those go
through pyqtgraph's (about 0.05 ms a curve a paint, issue 22).

`SeriesBars` is pyqtgraph's BarGraphItem with its bounding rectangle kept
until the bars or the view change: the scene asks for it a few times on each
paint, and pyqtgraph's works it out every time (the pixel's size included).
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.PlotCurveItem import OpenGLHelpers
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter


class SeriesCurve(pg.PlotCurveItem):
    """A PlotCurveItem with PlotDataItem's look: `step` draws stepMode
    'center' (len(x) == len(y) + 1), `fill_brush` fills down to zero."""

    def __init__(self, pen, name: str | None = None, step: bool = False,
                 fill_brush=None):
        options = {} if fill_brush is None else {"fillLevel": 0, "brush": fill_brush}
        super().__init__(pen=pen, name=name, **options)
        # Set after: the (empty) data the item is made with is not a step's.
        self.opts["stepMode"] = "center" if step else None
        if fill_brush is not None:
            # The legend's sample draws a fill from PlotDataItem's key for the brush.
            self.opts["fillBrush"] = fill_brush
        # What show_values last set: the data's bytes, the arrays the item then
        # held (any other setData makes both stale) and their bounds.
        self._shown_key: tuple[bytes, bytes] | None = None
        self._shown_arrays: tuple | None = None
        self._bounds: tuple[tuple, tuple] = ((None, None), (None, None))
        self._pixel_vectors: tuple | None = None    # pixelVectors() at this view transform

    def show_values(self, x, y) -> bool:
        """Show x, y (NaNs as gaps); nothing is done when they are the values
        shown.  True when the data changed."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        if not y.size and self.opts["stepMode"]:
            x = np.zeros(1)          # no values: one edge, as a step curve needs
        key = (x.tobytes(), y.tobytes())
        if key == self._shown_key and self._holds_shown():
            return False
        finite_x, finite_y = np.isfinite(x), np.isfinite(y)
        all_finite = bool(finite_x.all() and finite_y.all())
        # The bounds the view box and the paint ask for, found once here.
        xs, ys = (x, y) if all_finite else (x[finite_x], y[finite_y])
        self._bounds = ((float(xs.min()), float(xs.max())) if xs.size else (None, None),
                        (float(ys.min()), float(ys.max())) if ys.size else (None, None))
        # As PlotDataItem's "auto" connection: all points joined when all are
        # finite, else a gap at each NaN.
        self.setData(x=x, y=y, connect="all" if all_finite else "finite",
                     skipFiniteCheck=all_finite)
        self._shown_key = key
        self._shown_arrays = (self.xData, self.yData)
        return True

    def pixelVectors(self, direction=None):   # noqa: N802 (pyqtgraph's name)
        """pyqtgraph's, kept until the view's transform changes when asked
        without a direction (as boundingRect asks, after every new data): the
        pixel's size in data units walks the item's transforms to the view
        (about 0.05 ms a curve an edit).  Copies, as pyqtgraph returns."""
        if direction is not None:
            return super().pixelVectors(direction)
        vectors = self._pixel_vectors
        if vectors is None:
            vectors = super().pixelVectors()
            if None in vectors:
                return vectors           # not on a view yet: asked again when it is
            self._pixel_vectors = vectors
        return (pg.Point(vectors[0]), pg.Point(vectors[1]))

    def viewTransformChanged(self):   # noqa: N802 (pyqtgraph's name)
        self._pixel_vectors = None
        super().viewTransformChanged()

    @pg.debug.warnOnException       # as pyqtgraph's: an exception in a paint would crash
    def paint(self, p, opt, widget):
        x = self.xData
        if x is None or len(x) == 0:
            return
        opts = self.opts
        if (self._exportOpts is not False or opts["compositionMode"] is not None
                or opts["shadowPen"] is not None or opts["fillOutline"]
                or isinstance(widget, _GL_WIDGET)):
            pg.PlotCurveItem.paint(self, p, opt, widget)
            return
        p.setRenderHint(_ANTIALIASING, opts["antialias"])
        brush = opts["brush"]
        if opts["fillLevel"] is not None and brush is not None \
                and brush.style() != Qt.BrushStyle.NoBrush:
            paths = (self._getFillPathList(widget) if self._shouldUseFillPathList()
                     else [self._getFillPath()])
            for path in paths:
                p.fillPath(path, brush)
        pen = opts["pen"]
        if pen is None or pen.style() == Qt.PenStyle.NoPen:
            return
        p.setPen(pen)
        if self._shouldUseDrawLineSegments(pen):
            p.drawLines(*self._getLineSegments())
        else:
            p.drawPath(self.getPath())

    def _holds_shown(self) -> bool:
        return (self._shown_arrays is not None and self.xData is self._shown_arrays[0]
                and self.yData is self._shown_arrays[1])

    def dataBounds(self, ax, frac=1.0, orthoRange=None):   # noqa: N802 (pyqtgraph's name)
        pen = self.opts["pen"]
        if (frac < 1.0 or orthoRange is not None or self._bounds[ax][0] is None
                or not self._holds_shown() or self.opts["shadowPen"] is not None
                or (pen is not None and not pen.isCosmetic())):
            return super().dataBounds(ax, frac, orthoRange)
        low, high = self._bounds[ax]
        level = self.opts["fillLevel"]
        if ax == 1 and level not in (None, "enclosed"):
            low, high = min(low, level), max(high, level)
        return (low, high)


_ANTIALIASING = QPainter.RenderHint.Antialiasing
_GL_WIDGET = OpenGLHelpers.GraphicsViewGLWidget    # what PlotCurveItem.paint checks for


class SeriesBars(pg.BarGraphItem):
    """A BarGraphItem whose bounding rectangle is worked out once per change
    of its bars (setOpts) or of the view's transform."""

    _bounding_rect: QRectF | None = None

    def setOpts(self, **opts):   # noqa: N802 (pyqtgraph's name)
        self._bounding_rect = None
        super().setOpts(**opts)

    def viewTransformChanged(self):   # noqa: N802 (pyqtgraph's name)
        self._bounding_rect = None
        super().viewTransformChanged()

    def boundingRect(self):   # noqa: N802 (Qt's name)
        if self._bounding_rect is None:
            self._bounding_rect = super().boundingRect()
        return QRectF(self._bounding_rect)


class SeriesFill(pg.FillBetweenItem):
    """A FillBetweenItem between two SeriesCurves, its outline made straight
    from their data when both are lines of finite points: the first curve's
    points then the second's reversed, the path pyqtgraph's updatePath builds
    by taking the curves' paths apart (each turned into polygons, one of them
    reversed first), at about a third of its cost (issue 22).  Anything else
    (steps, gaps, no data) goes through pyqtgraph's."""

    def updatePath(self):   # noqa: N802 (pyqtgraph's name)
        curves = self.curves
        if curves is not None and all(_plain_line(c) for c in curves):
            (x1, y1), (x2, y2) = ((c.xData, c.yData) for c in curves)
            path = pg.functions.arrayToQPath(np.concatenate((x1, x2[::-1])),
                                             np.concatenate((y1, y2[::-1])),
                                             connect="all", finiteCheck=False)
            path.setFillRule(self.fillRule())
            self.setPath(path)
            return
        super().updatePath()


def _plain_line(curve) -> bool:
    """A SeriesCurve showing what show_values set, every point finite and
    joined, not as steps, with at least one point."""
    return (isinstance(curve, SeriesCurve) and curve._holds_shown()
            and curve.opts["connect"] == "all" and curve.opts["skipFiniteCheck"]
            and not curve.opts["stepMode"] and curve.xData is not None
            and len(curve.xData) > 0 and len(curve.xData) == len(curve.yData))
