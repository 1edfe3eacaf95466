"""Draws a board-pack chart (core.export.charts.ChartSpec) with QPainter, as
vectors, for the PDF report: columns, lines over them, stacked areas and a
tornado's horizontal bars, with ticks written as every view writes money and
quantities.  Labels that would collide are thinned, never overlapped."""
from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, \
    QPolygonF

from core.export.charts import ChartSpec
from core.formatting import format_money, format_quantity

GRID = QColor("#D5DAE0")
INK = QColor("#1A1A1A")
MUTED = QColor("#4A5560")


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont("DejaVu Sans")
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def nice_ticks(low: float, high: float, count: int = 6) -> list[float]:
    """Round tick values covering [low, high]: steps of 1, 2, 2.5 or 5 x 10^k."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0, 1.0]
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(1, count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value < high + step * 0.999:
        ticks.append(0.0 if abs(value) < step * 1e-9 else value)
        value += step
    return ticks


def _tick_text(spec: ChartSpec, value: float) -> str:
    if spec.value_kind == "money":
        return format_money(value, trim=True)
    return format_quantity(value, trim=True)


def _values(spec: ChartSpec) -> list[np.ndarray]:
    return [np.asarray(s.values, dtype=float) for s in spec.series]


def _chart_title(painter: QPainter, rect: QRectF, title: str) -> float:
    """Antialiasing on, the chart's title across the top of `rect`; returns
    the height it takes."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setFont(_font(10, True))
    painter.setPen(INK)
    title_h = QFontMetricsF(painter.font(), painter.device()).height() * 1.4
    painter.drawText(QRectF(rect.left(), rect.top(), rect.width(), title_h),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
    return title_h


def draw_chart(painter: QPainter, rect: QRectF, spec: ChartSpec, categories: list[str]) -> None:
    """The chart, its title, axes and legend, inside `rect`."""
    device = painter.device()
    painter.save()
    title_h = _chart_title(painter, rect, spec.title)
    small = _font(7.5)
    metrics = QFontMetricsF(small, device)
    legend_h = _legend(painter, rect, spec, metrics, measure=True)
    body = QRectF(rect.left(), rect.top() + title_h, rect.width(),
                  rect.height() - title_h - legend_h)
    if all(s.kind == "hbar" for s in spec.series):
        _horizontal(painter, body, spec, categories, metrics)
    else:
        _vertical(painter, body, spec, categories, metrics)
    _legend(painter, rect, spec, metrics, measure=False)
    painter.restore()


def _legend(painter, rect, spec, metrics, measure: bool) -> float:
    """Lays the legend out in rows under the chart; returns its height."""
    row_h = metrics.height() * 1.5
    swatch = metrics.height() * 1.2
    x, rows = rect.left(), 1
    placed = []
    for series in spec.series:
        width = swatch + metrics.horizontalAdvance(series.name) + metrics.averageCharWidth() * 4
        if x + width > rect.right() and x > rect.left():
            x, rows = rect.left(), rows + 1
        placed.append((x, rows, series))
        x += width
    height = rows * row_h
    if measure:
        return height
    painter.setFont(_font(7.5))
    top = rect.bottom() - height
    for x, row, series in placed:
        y = top + (row - 1) * row_h + row_h / 2
        colour = QColor(series.colour)
        if series.kind == "line":
            painter.setPen(QPen(colour, 2))
            painter.drawLine(QPointF(x, y), QPointF(x + swatch, y))
        else:
            painter.fillRect(QRectF(x, y - swatch / 3, swatch, swatch * 2 / 3), colour)
        painter.setPen(INK)
        painter.drawText(QRectF(x + swatch * 1.3, y - row_h / 2, rect.width(), row_h),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, series.name)
    return height


def _range(spec: ChartSpec) -> tuple[float, float]:
    values = _values(spec)
    stacked = [v for v, s in zip(values, spec.series) if s.kind == "area"]
    candidates = [v for v, s in zip(values, spec.series) if s.kind != "area"]
    if stacked:
        candidates.append(np.nansum(np.vstack(stacked), axis=0))
    every = np.concatenate(candidates) if candidates else np.zeros(1)
    finite = every[np.isfinite(every)]
    if finite.size == 0:
        return 0.0, 1.0
    return min(0.0, float(finite.min())), max(0.0, float(finite.max()))


def _vertical(painter, body: QRectF, spec: ChartSpec, categories, metrics) -> None:
    low, high = _range(spec)
    ticks = nice_ticks(low, high)
    labels = [_tick_text(spec, t) for t in ticks]
    axis_w = max(metrics.horizontalAdvance(t) for t in labels) + metrics.averageCharWidth() * 2
    label_h = metrics.height() * 1.6
    plot = QRectF(body.left() + axis_w + metrics.height() * 1.4, body.top() + metrics.height(),
                  body.width() - axis_w - metrics.height() * 1.4 - metrics.averageCharWidth(),
                  body.height() - label_h - metrics.height())
    lo, hi = ticks[0], ticks[-1]

    def y_of(v: float) -> float:
        return plot.bottom() - (v - lo) / (hi - lo) * plot.height()

    painter.setFont(_font(7.5))
    for tick, text in zip(ticks, labels):
        y = y_of(tick)
        painter.setPen(QPen(GRID, 0.6))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(MUTED)
        painter.drawText(QRectF(body.left(), y - metrics.height(), axis_w + metrics.height(),
                                metrics.height() * 2),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
    # The axis title, turned to read up the left edge.
    painter.save()
    painter.translate(body.left() + metrics.height() * 0.2, plot.center().y())
    painter.rotate(-90)
    painter.drawText(QRectF(-plot.height() / 2, 0, plot.height(), metrics.height() * 1.2),
                     Qt.AlignmentFlag.AlignCenter, spec.axis_title)
    painter.restore()

    n = max(1, len(categories))
    slot = plot.width() / n
    # Every k-th category label, so that labels keep a gap between them.
    widest = max((metrics.horizontalAdvance(c) for c in categories), default=0.0)
    every = max(1, math.ceil((widest + metrics.averageCharWidth() * 2) / slot))
    painter.setPen(MUTED)
    for i in range(0, len(categories), every):
        x = plot.left() + (i + 0.5) * slot
        painter.drawText(QRectF(x - widest, plot.bottom() + metrics.height() * 0.3, widest * 2,
                                metrics.height() * 1.2),
                         Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, categories[i])

    values = _values(spec)
    zero = y_of(0.0) if lo <= 0 <= hi else plot.bottom()
    # Stacked areas first, then columns, then lines on top.
    base = np.zeros(n)
    for series, v in zip(spec.series, values):
        if series.kind != "area":
            continue
        v = np.nan_to_num(v[:n])
        top = base + v
        polygon = QPolygonF([QPointF(plot.left() + (i + 0.5) * slot, y_of(top[i]))
                             for i in range(len(v))]
                            + [QPointF(plot.left() + (i + 0.5) * slot, y_of(base[i]))
                               for i in reversed(range(len(v)))])
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor(series.colour)))
        painter.drawPolygon(polygon)
        base = top
    bars = [(s, v) for s, v in zip(spec.series, values) if s.kind == "bar"]
    for b, (series, v) in enumerate(bars):
        width = slot * 0.8 / len(bars)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor(series.colour)))
        for i, value in enumerate(v[:n]):
            if not math.isfinite(value):
                continue
            x = plot.left() + i * slot + slot * 0.1 + b * width
            y = y_of(float(value))
            painter.drawRect(QRectF(x, min(y, zero), width, abs(zero - y)))
    for series, v in zip(spec.series, values):
        if series.kind != "line":
            continue
        path = QPainterPath()
        drawing = False
        for i, value in enumerate(v[:n]):
            if not math.isfinite(value):
                drawing = False
                continue
            point = QPointF(plot.left() + (i + 0.5) * slot, y_of(float(value)))
            if drawing:
                path.lineTo(point)
            else:
                path.moveTo(point)
                drawing = True
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(series.colour), 1.8))
        painter.drawPath(path)
    painter.setPen(QPen(MUTED, 0.8))
    painter.drawLine(QPointF(plot.left(), zero), QPointF(plot.right(), zero))


def _horizontal(painter, body: QRectF, spec: ChartSpec, categories, metrics) -> None:
    low, high = _range(spec)
    ticks = nice_ticks(low, high)
    lo, hi = ticks[0], ticks[-1]
    names_w = max((metrics.horizontalAdvance(c) for c in categories), default=0.0) \
        + metrics.averageCharWidth() * 2
    plot = QRectF(body.left() + names_w, body.top() + metrics.height() * 0.5,
                  body.width() - names_w - metrics.averageCharWidth() * 4,
                  body.height() - metrics.height() * 3.2)

    def x_of(v: float) -> float:
        return plot.left() + (v - lo) / (hi - lo) * plot.width()

    painter.setFont(_font(7.5))
    texts = [_tick_text(spec, t) for t in ticks]
    widest = max(metrics.horizontalAdvance(t) for t in texts)
    every = max(1, math.ceil((widest + metrics.averageCharWidth() * 2)
                             / (plot.width() / max(1, len(ticks) - 1))))
    for k, (tick, text) in enumerate(zip(ticks, texts)):
        x = x_of(tick)
        painter.setPen(QPen(GRID, 0.6))
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        if k % every == 0:
            painter.setPen(MUTED)
            painter.drawText(QRectF(x - widest, plot.bottom() + metrics.height() * 0.2,
                                    widest * 2, metrics.height() * 1.2),
                             Qt.AlignmentFlag.AlignHCenter, text)
    painter.drawText(QRectF(plot.left(), plot.bottom() + metrics.height() * 1.5, plot.width(),
                            metrics.height() * 1.2), Qt.AlignmentFlag.AlignHCenter,
                     spec.axis_title)
    n = max(1, len(categories))
    slot = plot.height() / n
    for i, name in enumerate(categories):
        painter.setPen(INK)
        painter.drawText(QRectF(body.left(), plot.top() + i * slot, names_w - metrics.averageCharWidth(),
                                slot), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         name)
    zero = x_of(0.0)
    for series, v in zip(spec.series, _values(spec)):
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor(series.colour)))
        for i, value in enumerate(v[:n]):
            if not math.isfinite(value):
                continue
            x = x_of(float(value))
            painter.drawRect(QRectF(min(x, zero), plot.top() + i * slot + slot * 0.15,
                                    abs(x - zero), slot * 0.7))
    painter.setPen(QPen(MUTED, 0.8))
    painter.drawLine(QPointF(zero, plot.top()), QPointF(zero, plot.bottom()))


def draw_heat_map(painter: QPainter, rect: QRectF, heat) -> None:
    """The two-way table's heat map (core.export.grid_chart.HeatMap) inside
    `rect`: its title, the cells, the threshold's contour, the base case's
    star, the axes' ticks and titles, and the colour key."""
    device = painter.device()
    painter.save()
    title_h = _chart_title(painter, rect, heat.title)
    small = _font(7.5)
    metrics = QFontMetricsF(small, device)
    line = metrics.height()
    ticks_w = max(metrics.horizontalAdvance(t) for _i, t in heat.y_ticks) + line * 0.6
    plot = QRectF(rect.left() + line * 1.5 + ticks_w, rect.top() + title_h,
                  0.0, rect.height() - title_h - line * 5.2)
    plot.setWidth(rect.right() - plot.left() - line)
    rows, cols = heat.shape
    cell_w, cell_h = plot.width() / cols, plot.height() / rows
    painter.setPen(Qt.PenStyle.NoPen)
    # Cells a hair wider than their slot: no seams between them.
    for i in range(rows):
        for j in range(cols):
            painter.setBrush(QColor(heat.colours[i][j]))
            painter.drawRect(QRectF(plot.left() + j * cell_w, plot.bottom() - (i + 1) * cell_h,
                                    cell_w + 0.4, cell_h + 0.4))

    def at(x: float, y: float) -> QPointF:
        return QPointF(plot.left() + (x + 0.5) * cell_w, plot.bottom() - (y + 0.5) * cell_h)

    painter.setPen(QPen(QColor("#000000"), 2.2))
    for x0, y0, x1, y1 in heat.contour:
        painter.drawLine(at(x0, y0), at(x1, y1))
    if heat.base is not None:
        centre, radius = at(*heat.base), line * 0.8
        star = QPolygonF([QPointF(centre.x() + (radius if k % 2 == 0 else radius * 0.45)
                                  * math.sin(k * math.pi / 5),
                                  centre.y() - (radius if k % 2 == 0 else radius * 0.45)
                                  * math.cos(k * math.pi / 5)) for k in range(10)])
        painter.setPen(QPen(QColor("#000000"), 1.2))
        painter.setBrush(QColor("#FFFFFF"))
        painter.drawPolygon(star)
    painter.setFont(small)
    painter.setPen(MUTED)
    for index, text in heat.x_ticks:
        x = at(index, 0).x()
        painter.drawText(QRectF(x - ticks_w * 2, plot.bottom() + line * 0.3, ticks_w * 4, line),
                         Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, text)
    for index, text in heat.y_ticks:
        y = at(0, index).y()
        painter.drawText(QRectF(plot.left() - ticks_w, y - line, ticks_w - line * 0.4, line * 2),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
    painter.setPen(INK)
    painter.drawText(QRectF(plot.left(), plot.bottom() + line * 1.4, plot.width(), line * 1.2),
                     Qt.AlignmentFlag.AlignHCenter, heat.x_title)
    painter.save()
    painter.translate(rect.left() + line * 0.2, plot.center().y())
    painter.rotate(-90)
    painter.drawText(QRectF(-plot.height() / 2, 0, plot.height(), line * 1.2),
                     Qt.AlignmentFlag.AlignCenter, heat.y_title)
    painter.restore()
    # The key: a swatch and its value for each of the map's colours, and the star and line.
    y = plot.bottom() + line * 3.2
    x = plot.left()
    swatch = line * 1.1
    for colour, text in heat.legend:
        painter.setPen(QPen(QColor("#A0A0A0"), 0.6))
        painter.setBrush(QColor(colour))
        painter.drawRect(QRectF(x, y, swatch, swatch))
        painter.setPen(INK)
        width = metrics.horizontalAdvance(text)
        painter.drawText(QRectF(x + swatch * 1.3, y - line * 0.2, width + line, line * 1.5),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        x += swatch * 1.3 + width + line * 1.5
    if heat.contour:
        painter.setPen(QPen(QColor("#000000"), 2.2))
        painter.drawLine(QPointF(x, y + swatch / 2), QPointF(x + swatch * 1.5, y + swatch / 2))
        painter.setPen(INK)
        text = heat.contour_text
        painter.drawText(QRectF(x + swatch * 1.8, y - line * 0.2, rect.right() - x, line * 1.5),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        x += swatch * 1.8 + metrics.horizontalAdvance(text) + line * 1.5
    if heat.base is not None:
        painter.setPen(INK)
        painter.drawText(QRectF(x, y - line * 0.2, rect.right() - x, line * 1.5),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         "\u2606 the base case")
    painter.restore()
