"""Building blocks of every plot: date and money axes, a titled panel, and a
hover read-out of the date and values under the cursor.

Plots are made once; each results update calls `setData` on the existing
items, as pyqtgraph intends, rather than rebuilding them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QVBoxLayout, QWidget

from core import figures
from core.formatting import format_money, format_quantity
from core.palette import OKABE_ITO
from ui.boardroom.themes import follow_theme, style_plot_panel
from ui.plots.fast_axis import CachedAxisMixin, FastAxisItem, FastDateAxisItem, nice_range
from ui.widgets.plain_text import escape_legend, plain_label

SECONDS_PER_DAY = 86_400.0
LEFT_AXIS_WIDTH = 70
LEGEND_LEFT = LEFT_AXIS_WIDTH + 6   # the legend starts where the data area does


def timestamps(days: np.ndarray) -> np.ndarray:
    """datetime64[D] -> POSIX seconds (UTC), what DateAxisItem reads."""
    return days.astype("datetime64[s]").astype(np.int64).astype(float)


def month_edges(schedule) -> np.ndarray:
    """The n + 1 period boundaries, for step curves (stepMode='center')."""
    starts = timestamps(schedule.month_start)
    if len(starts) == 0:
        return np.zeros(1)
    return np.append(starts, starts[-1] + schedule.days[-1] * SECONDS_PER_DAY)


class MoneyAxis(CachedAxisMixin, pg.AxisItem):
    def __init__(self, orientation="left", **kwargs):
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):
        return [format_money(v * scale, trim=True) for v in values]


class QuantityAxis(CachedAxisMixin, pg.AxisItem):
    """Counts and physical quantities with K / M / B suffixes."""

    def __init__(self, orientation="left", unit="", **kwargs):
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)
        self.unit = unit

    def tickStrings(self, values, scale, spacing):
        return [format_quantity(v * scale, trim=True) for v in values]


def date_axis() -> pg.DateAxisItem:
    return FastDateAxisItem(orientation="bottom", utcOffset=0)


class PlotPanel(QWidget):
    """A titled plot with a legend and a read-out line under it."""

    def __init__(self, title: str, left_axis: pg.AxisItem, left_label: str, parent=None):
        super().__init__(parent)
        self.title = QLabel(title)
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        self.title.setWordWrap(True)   # a long title must not widen the window
        # enableMenu=False: no context menus (the panel has its own actions), and
        # the view box's menu is never built (a few ms a plot when a tab is built).
        # The hidden top and right axes too: pyqtgraph's own re-lay out their
        # (empty) titles on every range change (ui/plots/fast_axis.py).
        self.plot_widget = pg.PlotWidget(axisItems={"bottom": date_axis(), "left": left_axis,
                                                    "top": FastAxisItem("top"),
                                                    "right": FastAxisItem("right")},
                                         enableMenu=False)
        self.plot = self.plot_widget.getPlotItem()
        self.plot.hideAxis("top")      # given axes are shown: hidden, as pyqtgraph's are
        self.plot.hideAxis("right")
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.setLabel("left", left_label)
        self.plot.getAxis("left").setWidth(LEFT_AXIS_WIDTH)
        self.plot.getViewBox().setMouseEnabled(x=True, y=False)
        # The legend sits above the data, in a band of its own (legends on the data
        # hide it): anchored to the plot item's top, past the value axis, with the
        # plot's top row as tall as the legend (_reserve_legend_room).
        self.legend = self.plot.addLegend(offset=(LEGEND_LEFT, 1), labelTextSize="9pt")
        self.legend.setParentItem(self.plot)
        self.legend.layout.setContentsMargins(4, 0, 4, 0)
        self.legend.geometryChanged.connect(self._reserve_legend_room)
        self.legend.setBrush(pg.mkBrush(255, 255, 255, 210))
        escape_legend(self.legend)   # names from a file are shown as text, never HTML
        self.readout = plain_label(QLabel(" "))
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.readout.setStyleSheet("color:#333;")
        # A long read-out is cut at the panel's edge rather than widening the window.
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.readout)
        self._hover_x = np.zeros(0)
        self._hover_text: Callable[[int], str] | None = None
        self._hover_index: int | None = None
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)
        self._add_reading_aids()
        follow_theme(self)

    def prepare_for_paint(self) -> None:
        """Bring the view's transform and auto ranges up to date now, after
        setData and the ranges, rather than inside the paint: pyqtgraph does
        it on its scene's sigPrepareForPaint, and moving the items' transform
        there schedules a second paint of the plot.  Done now, the frame
        paints each plot once.  Nothing to do for a plot that is not shown:
        its next paint prepares itself."""
        if self.plot_widget.isVisible():
            self.plot.getViewBox().prepareForPaint()
            # Infinite lines (zero line, crosshair, markers) size themselves to the
            # view lazily, inside the paint, which then schedules a second paint:
            # size them now.
            for item in self.plot.items:
                if isinstance(item, pg.InfiniteLine):
                    item.boundingRect()

    def _reserve_legend_room(self) -> None:
        rows = self.legend.layout.rowCount() if self.legend.items else 0
        self.plot.layout.setRowFixedHeight(0, self.legend.height() + 2 if rows else 0)

    def arrange_legend(self) -> None:
        """Up to three entries a row (entries added later, such as a shaded
        band's swatch, call it again)."""
        count = len(self.legend.items)
        self.legend.setColumnCount(max(1, min(count, 3)))
        self.legend.updateSize()
        self._reserve_legend_room()

    # --- reading aids: zero line, crosshair, Fit view, Copy chart ------------------------

    def _add_reading_aids(self) -> None:
        # Black: the themes draw it in their foreground colour (themes._recolour_black).
        self.zero_line = pg.InfiniteLine(pos=0, angle=0, movable=False,
                                         pen=pg.mkPen("#000000", width=1))
        self.zero_line.setZValue(-5)
        self.plot.addItem(self.zero_line, ignoreBounds=True)
        self.crosshair = pg.InfiniteLine(angle=90, movable=False,
                                         pen=pg.mkPen("#000000", width=1,
                                                      style=Qt.PenStyle.DotLine))
        self.crosshair.hide()
        self.plot.addItem(self.crosshair, ignoreBounds=True)
        self.fitted_ranges: tuple | None = None   # set by fit_ranges
        self.fit_action = QAction("&Fit view", self)
        self.fit_action.setToolTip("Back to the whole term and every value")
        self.fit_action.triggered.connect(self.fit_view)
        self.copy_action = QAction("&Copy chart", self)
        self.copy_action.triggered.connect(self.copy_chart)
        self.plot_widget.addAction(self.fit_action)
        self.plot_widget.addAction(self.copy_action)
        self.plot_widget.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def fit_view(self) -> None:
        """The fitted view (after Ctrl + wheel zooms or a pan)."""
        if self.fitted_ranges is not None:
            (x0, x1, x_pad), (y0, y1) = self.fitted_ranges
            self.plot.setXRange(x0, x1, padding=x_pad)
            self.plot.setYRange(y0, y1, padding=0)
        else:
            self.plot.autoRange()

    def copy_chart(self) -> None:
        """The panel, title and read-out included, as an image on the clipboard."""
        QApplication.clipboard().setImage(self.grab().toImage())

    def clear_hover(self) -> None:
        """The pointer left: no crosshair, no read-out."""
        self.crosshair.hide()
        self._hover_index = None
        self.readout.setText(" ")

    def leaveEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        self.clear_hover()
        super().leaveEvent(event)

    def apply_theme(self, theme) -> None:
        """Restyle for a theme (ui.boardroom.themes): called live when the theme changes."""
        style_plot_panel(self, theme)

    def set_hover(self, month_starts: np.ndarray, describe: Callable[[int], str]) -> None:
        """Where the read-out looks up the month under the cursor."""
        self._hover_x = month_starts
        self._hover_text = describe
        if self._hover_index is not None and self._hover_index < len(month_starts):
            self.readout.setText(describe(self._hover_index))

    def hover_at(self, x: float) -> str:
        """The read-out for a point at x (POSIX seconds)."""
        if self._hover_text is None or len(self._hover_x) == 0:
            return " "
        index = int(np.clip(np.searchsorted(self._hover_x, x, side="right") - 1,
                            0, len(self._hover_x) - 1))
        self._hover_index = index
        text = self._hover_text(index)
        self.readout.setText(text)
        return text

    def _mouse_moved(self, scene_pos) -> None:
        view = self.plot.getViewBox()
        if view.sceneBoundingRect().contains(scene_pos):
            x = view.mapSceneToView(scene_pos).x()
            self.crosshair.setValue(x)
            self.crosshair.show()
            self.hover_at(x)
        else:
            self.clear_hover()


def fit_ranges(panel: PlotPanel, x_edges, *series, headroom: float = 0.3) -> None:
    """Show the x span and every series from at least zero, with room above
    for the legend; NaNs (undefined ratios) are ignored."""
    values = [np.asarray(s, dtype=float) for s in series]
    finite = np.concatenate([v[np.isfinite(v)] for v in values]) if values else np.zeros(0)
    low = min(0.0, float(finite.min())) if finite.size else 0.0
    high = max(0.0, float(finite.max())) if finite.size else 0.0
    span = (high - low) or 1.0
    # Whole nice steps: data that moves within a step (a fee edit of a few
    # dollars, most slider moves) leaves the axis, its labels and grid as they
    # were, and the cached axis is not redrawn (ui/plots/fast_axis.py).
    # The 2% below the lowest value (zero lines stay clear of the axis) is of
    # the nice span, so it moves only when the steps do.
    y_low, y_high = nice_range(low, high + headroom * span)
    panel.plot.setYRange(y_low - 0.02 * (y_high - y_low), y_high, padding=0)
    panel.plot.setXRange(x_edges[0], x_edges[-1], padding=0.02)
    panel.fitted_ranges = ((x_edges[0], x_edges[-1], 0.02),
                           (y_low - 0.02 * (y_high - y_low), y_high))
    panel.prepare_for_paint()


def pen(colour: str, width: float = 2.0, dashed: bool = False):
    style = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
    return pg.mkPen(colour, width=width, style=style)


def month_label(day: np.datetime64) -> str:
    return str(day.astype("datetime64[D]").item().strftime("%b %Y"))


# --- Declarative panels ------------------------------------------------------------------
# A plot of schedule columns is a list of `Series`; `SeriesPanel` builds its
# pyqtgraph items once and updates them in place.  Legend and hover read-out
# take each column's label and number format from core.figures.

Kind = Literal["step", "line", "bars"]


@dataclass(frozen=True)
class Series:
    column: str                  # a MonthlySchedule column (core.figures.COLUMNS)
    colour: str                  # an OKABE_ITO name or a colour
    kind: Kind = "step"          # step: flat over each month; line: through month starts
    width: float = 2.5
    dashed: bool = False
    axis: Literal["left"] = "left"   # one value axis per panel for now
    fill: tuple[int, int, int, int] | None = None   # RGBA shaded down to zero
    legend: str | None = None    # legend text when the plot says more than the label
    symbol: str | None = None    # a marker on each point ("o")


@dataclass(frozen=True)
class PanelSpec:
    title: str
    axis_label: str
    series: tuple[Series, ...]
    money: bool = True           # money ticks, else counts with K/M/B
    headroom: float = 0.3        # room above the data for the legend
    # The read-out switches month this many days before a month starts: for
    # points at month starts, the nearer point is the one read out.
    hover_shift_days: float = 0.0


def _colour(name: str) -> str:
    return OKABE_ITO.get(name, name)


class SeriesPanel(PlotPanel):
    """A PlotPanel drawn from a PanelSpec.  `items[column]` is the pyqtgraph
    item of each series, made once."""

    def __init__(self, spec: PanelSpec, parent=None):
        axis = MoneyAxis() if spec.money else QuantityAxis()
        super().__init__(spec.title, axis, spec.axis_label, parent)
        self.spec = spec
        self.items: dict[str, pg.GraphicsObject] = {}
        for series in spec.series:
            declared = figures.output(series.column)
            name = series.legend or declared.label
            colour = _colour(series.colour)
            if series.kind == "bars":
                item = pg.BarGraphItem(x=[0], height=[0], width=1, brush=pg.mkBrush(colour),
                                       pen=pg.mkPen(_colour("blue"), width=0.5))
                self.plot.addItem(item)
                self.legend.addItem(item, name)
            else:
                options = {}
                if series.kind == "step":
                    options["stepMode"] = "center"
                if series.fill is not None:
                    options.update(fillLevel=0, brush=pg.mkBrush(*series.fill))
                if series.symbol is not None:
                    options.update(symbol=series.symbol, symbolSize=4)
                item = self.plot.plot(name=name, pen=pen(colour, series.width, series.dashed),
                                      **options)
            self.items[series.column] = item
        self.arrange_legend()
        self.plot.setYRange(0, 1)

    def show_schedule(self, schedule) -> None:
        """Every series from the schedule, in place; axes fitted; hover set."""
        starts = timestamps(schedule.month_start)
        edges = month_edges(schedule)
        for series in self.spec.series:
            values = getattr(schedule, series.column)
            item = self.items[series.column]
            if series.kind == "bars":
                item.setOpts(x=starts + schedule.days * SECONDS_PER_DAY / 2, height=values,
                             width=schedule.days * SECONDS_PER_DAY * 0.8)
            elif series.kind == "step":
                item.setData(edges, values)
            else:
                item.setData(starts, values)
        fit_ranges(self, edges, *(getattr(schedule, s.column) for s in self.spec.series),
                   headroom=self.spec.headroom)

        self.set_hover(starts - self.spec.hover_shift_days * SECONDS_PER_DAY,
                       lambda i: self.describe(schedule, i))

    def describe(self, schedule, i: int) -> str:
        """The read-out of month i: each series' label and value, as declared."""
        parts = [f"{figures.label(s.column)} "
                 f"{figures.format_value(s.column, getattr(schedule, s.column)[i])}"
                 for s in self.spec.series]
        return f"{month_label(schedule.month_start[i])}: " + ", ".join(parts)


class SeriesPlots(QWidget):
    """Panels stacked top to bottom, x axes linked: a tab's results side.
    `panels[i]` follows `specs[i]`."""

    def __init__(self, specs: tuple[PanelSpec, ...], parent=None):
        super().__init__(parent)
        self.panels = [SeriesPanel(spec) for spec in specs]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for panel in self.panels:
            if panel is not self.panels[0]:
                panel.plot.setXLink(self.panels[0].plot)
            layout.addWidget(panel, 1)

    def show_results(self, results) -> None:
        for panel in self.panels:
            panel.show_schedule(results.schedule)

    def item(self, column: str):
        """The plotted item of a schedule column, whichever panel holds it."""
        for panel in self.panels:
            if column in panel.items:
                return panel.items[column]
        raise KeyError(f"no series of {column!r} in these plots")
