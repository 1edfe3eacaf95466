"""Axes that cost nothing while what they show stays the same.

The profile of an edit (issue 13) puts most of a frame in pyqtgraph's
AxisItem.paint: it replays a cached QPicture (tick labels, and with
showGrid the grid lines across the whole plot) on every paint, about 3-11 ms
an axis, and it throws that picture away on every setRange, even when the
range did not change.  This module changes four things, nothing else:

- `setRange` with the range the axis already shows does nothing (pyqtgraph
  regenerates the picture and schedules a repaint regardless);
- the axis (labels, ticks, grid) is drawn once into a pixmap at the screen's
  pixel ratio, and each paint blits that pixmap (a memory copy) instead of
  replaying a QPicture (which re-resolves each label's font, every time);
- `nice_range` widens a data range outward to whole steps of a nice number
  (1, 2, 2.5 or 5 x 10^k), so a plot whose data moves by a dollar keeps the
  same axis and grid, and the two points above then apply;
- the axis title's HTML is set only when it changed (pyqtgraph re-sets it,
  and lays it out again, on every pen, style or scale call).

`CachedAxisMixin` goes in front of any AxisItem class (`class MoneyAxis(
CachedAxisMixin, pg.AxisItem)`); `FastAxisItem` and `FastDateAxisItem` are
the plain ones.  `install_globally()` puts the two methods on pg.AxisItem
itself: the benchmark uses it to measure the prototype on today's plots
(bench/run.py --fast-axis); the plot panel should subclass instead.
"""
from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPaintEngine, QPainter, QPicture, QPixmap

NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


def nice_step(span: float, target_ticks: int = 5) -> float:
    """The smallest 1 / 2 / 2.5 / 5 x 10^k step that cuts `span` into at most
    `target_ticks` intervals (span 0 or not finite: 1)."""
    if not math.isfinite(span) or span <= 0:
        return 1.0
    raw = span / max(1, target_ticks)
    power = 10.0 ** math.floor(math.log10(raw))
    for step in NICE_STEPS:
        if step * power >= raw * (1 - 1e-12):
            return step * power
    return 10.0 * power


def nice_range(low: float, high: float, target_ticks: int = 5) -> tuple[float, float]:
    """(low, high) widened outward to whole nice steps: 0..1.37e9 -> 0..1.5e9.
    Data that moves a little inside a step leaves the result unchanged."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return (0.0, 1.0)
    if low > high:
        low, high = high, low
    if low == high:
        half = abs(low) * 0.05 or 0.5
        low, high = low - half, high + half
    step = nice_step(high - low, target_ticks)
    # A bound already on a step stays there: -0.05 / 0.005 is -10.000000000000002
    # in floating point, which floor() would take a whole step further out.
    return (math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step)


def _same_range(old, mn: float, mx: float) -> bool:
    return old is not None and len(old) == 2 and old[0] == mn and old[1] == mx


class CachedAxisMixin:
    """setRange that skips an unchanged range; paint that blits a pixmap."""

    _axis_pixmap: QPixmap | None = None
    _axis_pixmap_key = None

    def setRange(self, mn: float, mx: float):
        if _same_range(getattr(self, "range", None), mn, mx) and self.picture is not None:
            return          # nothing to redraw: the labels and grid are what they were
        _ORIGINAL_SET_RANGE(self, mn, mx)

    def boundingRect(self):
        """pyqtgraph's, but a value axis with a grid keeps the 15 px its labels may
        extend beyond its ends: pyqtgraph drops that margin when a grid is drawn,
        so the label of a tick near the bottom (the "$0" a few pixels above the
        plot's edge) fell outside and was hidden."""
        # Kept while what it is made of stays: the scene asks for it a few times
        # an item on every paint of the plot (18 times an edit on the Contract
        # tab), each a chain of Python calls through the view box.
        view = self.linkedView()
        key = (self.geometry(), None if view is None else view.geometry(), self.grid,
               self.style.get("hideOverlappingLabels"), self.style.get("tickLength"),
               self.orientation)
        cached = getattr(self, "_bounding_rect", None)
        if cached is not None and cached[0] == key:
            return QRectF(cached[1])
        rect = self._uncached_bounding_rect()
        self._bounding_rect = (key, QRectF(rect))
        return rect

    def _uncached_bounding_rect(self):
        rect = pg.AxisItem.boundingRect(self)
        margin = self.style.get("hideOverlappingLabels")
        if (self.orientation in ("left", "right") and self.grid is not False
                and self.linkedView() is not None and margin is not True):
            extra = 15 if margin is False else int(margin)
            rect = rect.adjusted(0, -extra, 0, extra)
        return rect

    def _updateLabel(self):
        """pyqtgraph's, but the label's HTML is set only when it changed: every
        pen, text pen, tick pen, scale and style call re-sets it, and each
        setHtml lays the label out again (a quarter of a millisecond): a
        plot's axes did it about 20 times while a tab was built and again on
        each theme change, with the same text."""
        html = self.labelString()
        if html != getattr(self, "_label_html", None):
            self.label.setHtml(html)
            self._label_html = html
        self._adjustSize()
        self.picture = None
        self.update()

    def paint(self, p, opt, widget):
        if p.paintEngine() is not None and p.paintEngine().type() not in _PIXEL_ENGINES:
            # A PDF, SVG or printer page: drawn as vectors, as pyqtgraph does, never
            # as a pixmap (exports stay sharp at any zoom).
            self._draw_vectors(p)
            return
        device = p.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        rect = self.boundingRect()
        key = (rect.x(), rect.y(), rect.width(), rect.height(), ratio, p.renderHints())
        # getattr: install_globally() puts this method on classes without the attributes.
        pixmap = getattr(self, "_axis_pixmap", None)
        if (self.picture is None or pixmap is None
                or getattr(self, "_axis_pixmap_key", None) != key):
            # Drawn straight into the pixmap: replaying a QPicture re-resolves
            # every label's font and was the slow part, whether onto the
            # screen or into a pixmap.
            size = QSize(max(1, math.ceil(rect.width() * ratio)),
                         max(1, math.ceil(rect.height() * ratio)))
            pixmap = QPixmap(size)
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            try:
                painter.setRenderHints(p.renderHints())
                painter.translate(-rect.topLeft())
                if self.style["tickFont"]:
                    painter.setFont(self.style["tickFont"])
                specs = self.generateDrawSpecs(painter)
                if specs is not None:
                    self.drawPicture(painter, *specs)
            finally:
                painter.end()
            # pyqtgraph sets `picture` to None whenever the axis must be redrawn:
            # a non-None value marks the pixmap as current.
            self.picture = _DRAWN
            self._axis_pixmap, self._axis_pixmap_key = pixmap, key
        p.drawPixmap(QPointF(rect.topLeft()), pixmap)


    def _draw_vectors(self, p) -> None:
        p.save()
        try:
            if self.style["tickFont"]:
                p.setFont(self.style["tickFont"])
            specs = self.generateDrawSpecs(p)
            if specs is not None:
                _ORIGINAL_DRAW_PICTURE(self, p, *specs)
        finally:
            p.restore()

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):
        """pyqtgraph's drawPicture, but a thin straight tick or grid line is a
        one-pixel fillRect: a translucent grid line drawn with drawLine took
        about 0.1-0.3 ms (Qt's aliased stroker blends pixel by pixel), the
        same line as a filled rectangle about 15x less."""
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        pen, p1, p2 = axisSpec
        p.setPen(pen)
        p.drawLine(p1, p2)
        for pen, p1, p2 in tickSpecs:
            rect = _pixel_line(pen, p1, p2)
            if rect is not None:
                p.fillRect(rect, pen.color())
            else:
                p.setPen(pen)
                p.drawLine(p1, p2)
        if self.style["tickFont"] is not None:
            p.setFont(self.style["tickFont"])
        p.setPen(self.textPen())
        p.setClipRect(self.boundingRect().toAlignedRect())
        for rect, flags, text in textSpecs:
            p.drawText(rect, int(flags), text)


def _pixel_line(pen, p1, p2) -> QRectF | None:
    """The one-pixel-wide rectangle an aliased, one-pixel, solid, horizontal or
    vertical line covers (the same pixels as Qt's drawLine: checked against it
    on a rendered plot, tests/ui/test_fast_axis.py); None for any other line."""
    if (pen.style() != Qt.PenStyle.SolidLine or pen.widthF() > 1.0
            or pen.brush().style() != Qt.BrushStyle.SolidPattern):
        return None
    x1, y1, x2, y2 = p1.x(), p1.y(), p2.x(), p2.y()
    if y1 == y2:
        left, right = sorted((x1, x2))
        return QRectF(math.floor(left), math.floor(y1), math.floor(right) - math.floor(left) + 1, 1)
    if x1 == x2:
        top, bottom = sorted((y1, y2))
        return QRectF(math.floor(x1), math.floor(top), 1, math.floor(bottom) - math.floor(top) + 1)
    return None


# Paint engines that draw into pixels (the screen, images, pixmaps): the
# cached pixmap is the same pixels.  Any other engine (PDF, SVG, printer,
# QPicture) gets vectors.
_PIXEL_ENGINES = (QPaintEngine.Type.Raster, QPaintEngine.Type.OpenGL2, QPaintEngine.Type.X11)

_DRAWN = QPicture()   # stands in for pyqtgraph's picture: "drawn, see the pixmap"


_ORIGINAL_SET_RANGE = pg.AxisItem.setRange
_ORIGINAL_PAINT = pg.AxisItem.paint
_ORIGINAL_DRAW_PICTURE = pg.AxisItem.drawPicture


class FastAxisItem(CachedAxisMixin, pg.AxisItem):
    pass


class FastDateAxisItem(CachedAxisMixin, pg.DateAxisItem):
    pass


def install_globally() -> None:
    """Give every AxisItem (and subclass) the cached paint and setRange.  For
    measuring the prototype on today's plots; production code subclasses."""
    pg.AxisItem.setRange = CachedAxisMixin.setRange
    pg.AxisItem.paint = CachedAxisMixin.paint
    pg.AxisItem.drawPicture = CachedAxisMixin.drawPicture


def uninstall_globally() -> None:
    pg.AxisItem.setRange = _ORIGINAL_SET_RANGE
    pg.AxisItem.paint = _ORIGINAL_PAINT
    pg.AxisItem.drawPicture = _ORIGINAL_DRAW_PICTURE
