"""The legend's sample of a series, drawn as pyqtgraph's ItemSample draws it
but without making its pens and brushes again at every paint.

pyqtgraph's ItemSample.paint passes the item's pen and brush through mkPen /
mkBrush on each paint (a copy of a QPen, through a chain of Python checks):
the Risk tab's seven samples are painted at each edit's repaint of their
plots, 259 mkPen calls in 30 edits (issue 22).  A QPen or QBrush is set as it
is (QPainter copies it, as mkPen did); anything else still goes through
mkPen / mkBrush, so the sample looks exactly as pyqtgraph's.
"""
from __future__ import annotations

import pyqtgraph as pg
from pyqtgraph import functions as fn
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QPainter, QPen, QPolygonF

_TRIANGLE = QPolygonF([QPointF(2, 18), QPointF(18, 2), QPointF(18, 18)])
_SQUARE = QRectF(2, 2, 18, 18)


def _pen(value) -> QPen:
    return value if isinstance(value, QPen) else fn.mkPen(value)


def _brush(value) -> QBrush:
    return value if isinstance(value, QBrush) else fn.mkBrush(value)


class SeriesSample(pg.ItemSample):
    """pyqtgraph's ItemSample, its pens and brushes set as they are."""

    def paint(self, p, *args):
        item = self.item
        opts = item.opts
        if opts.get("symbol") is not None or isinstance(item, pg.ScatterPlotItem) \
                or not item.isVisible():
            super().paint(p, *args)       # symbols, scatter, the hidden eye: pyqtgraph's
            return
        if opts.get("antialias"):
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(_pen(opts["pen"]))
        p.drawLine(0, 11, 20, 11)
        if opts.get("fillLevel") is not None and opts.get("fillBrush") is not None:
            p.setBrush(_brush(opts["fillBrush"]))
            p.setPen(_pen(opts["pen"]))
            p.drawPolygon(_TRIANGLE)
        if isinstance(item, pg.BarGraphItem):
            p.setBrush(_brush(opts["brush"]))
            p.drawRect(_SQUARE)
