"""Risk plots: the tornado (one output against each input moved low / high),
the fan chart of cumulative cash over time (P5-P95 bands), and the histogram
of the simulated outcome.  Built once; updates call setData / setOpts."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from core.formatting import format_money, format_percent, format_quantity
from core.monte_carlo import PERCENTILES, histogram
from core.risk import format_output, output_is_money, output_label
from ui.plots.common import MoneyAxis, PlotPanel, QuantityAxis, month_label, pen, timestamps
from ui.plots.fast_axis import CachedAxisMixin, FastAxisItem, nice_range
from ui.boardroom.themes import OKABE_ITO

TORNADO_BARS = 12     # the inputs with the largest swings


def _title(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.1)
    label.setFont(font)
    label.setWordWrap(True)   # a long title must not widen the window
    return label


def _prepare(plot) -> None:
    """After setData and ranges: the view's transform now, not in the paint
    (which would paint the plot a second time); nothing while hidden."""
    if plot.getViewBox().isVisible():
        plot.getViewBox().prepareForPaint()


class _ValueAxis(CachedAxisMixin, pg.AxisItem):
    """Money or quantities, chosen by the output shown."""

    def __init__(self, orientation="bottom"):
        super().__init__(orientation)
        self.enableAutoSIPrefix(False)
        self.money = True

    def tickStrings(self, values, scale, spacing):
        if self.money:
            return [format_money(v * scale, trim=True) for v in values]
        return [format_quantity(v * scale, trim=True) for v in values]


class TornadoPlot(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = _title("Tornado")
        self.value_axis = _ValueAxis("bottom")
        self.plot_widget = pg.PlotWidget(axisItems={"bottom": self.value_axis,
                                                    "left": FastAxisItem("left")})
        self.plot = self.plot_widget.getPlotItem()
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=True, y=False, alpha=0.25)
        self.plot.getViewBox().setMouseEnabled(x=False, y=False)
        self.plot.getAxis("left").setWidth(250)
        self.low_bars = pg.BarGraphItem(x0=[0], x1=[0], y=[0], height=0.6,
                                        brush=pg.mkBrush(OKABE_ITO["blue"]), pen=None)
        self.high_bars = pg.BarGraphItem(x0=[0], x1=[0], y=[0], height=0.6,
                                         brush=pg.mkBrush(OKABE_ITO["orange"]), pen=None)
        self.plot.addItem(self.low_bars)
        self.plot.addItem(self.high_bars)
        self.base_line = pg.InfiniteLine(angle=90, pen=pen(OKABE_ITO["black"], 1.5))
        self.plot.addItem(self.base_line)
        self.note = QLabel(" ")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color:#333;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.note)
        self.shown_rows: tuple = ()

    def show_tornado(self, result) -> None:
        name = result.output
        self.title.setText(f"Tornado: {output_label(name)} (base {format_output(name, result.base_output)})")
        self.value_axis.money = output_is_money(name)
        moving = [r for r in result.rows if r.swing > 0][:TORNADO_BARS]
        self.shown_rows = tuple(moving)
        base = result.base_output if np.isfinite(result.base_output) else 0.0
        y = np.arange(len(moving))[::-1].astype(float)      # largest swing at the top
        low = np.array([r.low_output for r in moving], dtype=float)
        high = np.array([r.high_output for r in moving], dtype=float)
        self.low_bars.setOpts(x0=np.minimum(base, low), x1=np.maximum(base, low), y=y, height=0.6)
        self.high_bars.setOpts(x0=np.minimum(base, high), x1=np.maximum(base, high), y=y,
                               height=0.6)
        self.base_line.setValue(base)
        ticks = [(float(yy), tick_label(r)) for yy, r in zip(y, moving)]
        self.plot.getAxis("left").setTicks([ticks, []])
        values = np.concatenate(([base], low, high)) if moving else np.array([base])
        lo, hi = float(values.min()), float(values.max())
        span = (hi - lo) or abs(base) * 0.1 or 1.0
        self.plot.setXRange(*nice_range(lo - 0.08 * span, hi + 0.08 * span, 6), padding=0)
        self.plot.setYRange(-0.7, max(len(moving), 1) - 0.3, padding=0)
        _prepare(self.plot)
        still = len([r for r in result.rows if r.swing == 0])
        parts = [f"{output_label(name)} with each input at its "
                 f"<span style='color:{OKABE_ITO['blue']}'>\u25a0 low</span> and "
                 f"<span style='color:{OKABE_ITO['orange']}'>\u25a0 high</span> value "
                 "(in brackets), all others at their base."]
        if still:
            parts.append(f"{still} inputs do not move it.")
        if result.refused:
            parts.append(f"{len(result.refused)} moves were refused by the model.")
        self.note.setText(" ".join(parts))


def _moves_text(row) -> str:
    def short(value):
        if row.input.unit == "$":
            return format_money(value, trim=True)
        if abs(value) >= 1e4:
            return format_quantity(value, trim=True)
        return f"{value:,.4g}"
    return f"{short(row.low_input)} / {short(row.high_input)}"


def tick_label(row) -> str:
    """An input's name and its low / high values, short enough for the axis."""
    label = row.input.label if len(row.input.label) <= 24 else row.input.label[:23] + "\u2026"
    return f"{label} ({_moves_text(row)})"


class FanChart(PlotPanel):
    """Percentile bands of the buyer's cumulative cash over time."""

    def __init__(self, parent=None):
        super().__init__("Cumulative cash: P5-P95 bands", MoneyAxis(), "$", parent)
        plot = self.plot
        band = OKABE_ITO["blue"]
        self.curves = {p: pg.PlotDataItem(pen=pen(band, 1, dashed=p in (5, 95)) if p != 50 else
                                          pen(band, 2.5)) for p in PERCENTILES}
        for curve in self.curves.values():
            plot.addItem(curve)
        self.outer = pg.FillBetweenItem(self.curves[5], self.curves[95],
                                        brush=pg.mkBrush(0, 114, 178, 40))
        self.inner = pg.FillBetweenItem(self.curves[25], self.curves[75],
                                        brush=pg.mkBrush(0, 114, 178, 80))
        # Within P5-P95 the two fills overlap: P25-P75 shows at about alpha 120.
        plot.addItem(self.outer)
        plot.addItem(self.inner)
        self.legend.addItem(self.curves[50], "Median (P50)")
        # Swatches: the legend cannot draw a FillBetweenItem itself.
        for alpha, text in ((120, "P25-P75"), (40, "P5-P95")):
            swatch = pg.BarGraphItem(x=[0], height=[0], width=1, pen=None,
                                     brush=pg.mkBrush(0, 114, 178, alpha))
            self.legend.addItem(swatch, text)
        self.arrange_legend()
        zero = pg.InfiniteLine(pos=0, angle=0, pen=pen(OKABE_ITO["black"], 1))
        plot.addItem(zero)

    def show_simulation(self, result) -> None:
        self.title.setText(f"{result.cash_label}: percentile bands over "
                           f"{result.spec.paths:,} paths")
        starts = timestamps(result.month_start)
        bands = result.cash_percentiles
        for row, p in enumerate(PERCENTILES):
            self.curves[p].setData(starts, bands[row])
        lo, hi = float(min(bands.min(), 0.0)), float(max(bands.max(), 0.0))
        # Whole nice steps: a preview and its refinement, or two nearby edits,
        # usually keep the same axis (not redrawn).
        self.plot.setYRange(*nice_range(lo, hi), padding=0)
        self.plot.setXRange(starts[0], starts[-1], padding=0.02)
        _prepare(self.plot)

        def describe(i: int) -> str:
            values = ", ".join(f"P{p} {format_money(bands[row, i])}"
                               for row, p in enumerate(PERCENTILES))
            return f"{month_label(result.month_start[i])}: {values}"
        self.set_hover(starts, describe)


class OutcomeHistogram(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = _title("Distribution of the outcome")
        self.value_axis = _ValueAxis("bottom")
        self.plot_widget = pg.PlotWidget(axisItems={"bottom": self.value_axis,
                                                    "left": QuantityAxis()})
        self.plot = self.plot_widget.getPlotItem()
        self.plot.setMenuEnabled(False)
        self.plot.setLabel("left", "paths")
        self.plot.getAxis("left").setWidth(70)
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.getViewBox().setMouseEnabled(x=False, y=False)
        self.bars = pg.BarGraphItem(x0=[0], x1=[0], y0=0, height=[0],
                                    brush=pg.mkBrush(OKABE_ITO["sky"]),
                                    pen=pg.mkPen(OKABE_ITO["blue"], width=0.5))
        self.loss_bars = pg.BarGraphItem(x0=[0], x1=[0], y0=0, height=[0],
                                         brush=pg.mkBrush(OKABE_ITO["vermillion"]), pen=None)
        self.plot.addItem(self.bars)
        self.plot.addItem(self.loss_bars)
        self.markers = {p: pg.InfiniteLine(angle=90, pen=pen(OKABE_ITO["black"], 1.2,
                                                             dashed=p != 50),
                                           label=f"P{p}", labelOpts=dict(position=0.93,
                                                                         color="#222"))
                        for p in (5, 50, 95)}
        for line in self.markers.values():
            self.plot.addItem(line)
        self.note = QLabel(" ")
        self.note.setWordWrap(True)   # long text must not widen the window
        self.note.setStyleSheet("color:#333;")
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.note)

    def show_simulation(self, result) -> None:
        name = result.spec.output
        self.title.setText(f"Distribution of {output_label(name)}")
        self.value_axis.money = output_is_money(name)
        edges, counts = histogram(result.outcomes)
        below = edges[1:] <= 0    # bins wholly below zero: losses, in vermillion
        self.bars.setOpts(x0=edges[:-1][~below], x1=edges[1:][~below], height=counts[~below])
        self.loss_bars.setOpts(x0=edges[:-1][below], x1=edges[1:][below], height=counts[below])
        for p, line in self.markers.items():
            line.setValue(result.outcome_percentiles[p])
        top = float(counts.max()) if counts.size else 1.0
        self.plot.setYRange(*nice_range(0.0, top * 1.15), padding=0)
        span = float(edges[-1] - edges[0]) or 1.0
        self.plot.setXRange(*nice_range(edges[0] - 0.03 * span, edges[-1] + 0.03 * span, 6),
                            padding=0)
        _prepare(self.plot)
        self.note.setText(
            f"Mean {format_output(name, result.mean)}. <b>Probability of a loss</b> "
            f"({output_label(name)} below zero, the vermillion bars): "
            f"<b>{format_percent(result.probability_of_loss)}</b>")
