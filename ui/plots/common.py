"""Building blocks of every plot: money and quantity axes, a titled panel
with its legend, hover read-out, zero line, crosshair, Fit view and Copy
chart, and the declared panel (`SeriesPanel`, drawn from a `PanelSpec` of
layers, ui/plots/layers.py) that every plot of the app is.

Plots are made once; each results update calls `setData` on the existing
items, as pyqtgraph intends, rather than rebuilding them.
"""
from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Callable

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.DateAxisItem import (MAX_REGULAR_TIMESTAMP, MIN_REGULAR_TIMESTAMP,
                                                  MONTH_SPACING, YEAR_SPACING, TickSpec,
                                                  ZoomLevel, makeYStepper, utcfromtimestamp)
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QVBoxLayout, QWidget

from core.formatting import format_money, format_quantity
from ui.look.themes import follow_theme, style_plot_panel, theme_manager
from ui.plots.basics import SECONDS_PER_DAY, month_edges, month_label, pen, timestamps
from ui.plots.fast_axis import CachedAxisMixin, FastAxisItem, FastDateAxisItem, nice_range
from ui.plots.one_frame import paint_together
from ui.plots.panel_plot_item import panel_plot_widget
from ui.plots.layers import (Bands, EachItem, Extent, Histogram, Layer, Level, Series,
                             Shortfall, Stack, Swings, row_label)
from ui.widgets.plain_text import escape_legend, plain_label
from ui.widgets.steady_label import SteadyLabel

__all__ = ["SECONDS_PER_DAY", "month_edges", "month_label", "pen", "timestamps",
           "Bands", "EachItem", "Histogram", "Level", "Series", "Shortfall", "Stack", "Swings",
           "row_label", "ValueAxis", "MoneyAxis", "QuantityAxis", "PlotPanel", "fit_ranges",
           "PanelSpec", "SeriesPanel", "SeriesPlots"]

LEFT_AXIS_WIDTH = 70
LEGEND_LEFT = LEFT_AXIS_WIDTH + 6   # the legend starts where the data area does


class ValueAxis(CachedAxisMixin, pg.AxisItem):
    """Money ($1.5B) or counts and quantities (220K), as `money` says; a panel
    whose data changes kind (the risk outputs) flips it with `show_money`."""

    def __init__(self, orientation="left", money: bool = True, unit: str = "", **kwargs):
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)
        self.money = money
        self.unit = unit

    def show_money(self, money: bool) -> None:
        if money != self.money:
            self.money = money
            self.picture = None      # the labels change although the range may not
            self.update()

    def tickStrings(self, values, scale, spacing):
        if self.money:
            return [format_money(v * scale, trim=True) for v in values]
        return [format_quantity(v * scale, trim=True) for v in values]


class MoneyAxis(ValueAxis):
    def __init__(self, orientation="left", **kwargs):
        super().__init__(orientation, money=True, **kwargs)


class QuantityAxis(ValueAxis):
    """Counts and physical quantities with K / M / B suffixes."""

    def __init__(self, orientation="left", unit="", **kwargs):
        super().__init__(orientation, money=False, unit=unit, **kwargs)


def _quarter_stepper(value: float, n: int, first: bool) -> float:
    """pyqtgraph's tick stepper for calendar quarters: the first quarter that
    starts after `value` (first), else the quarter n x 3 months on."""
    if not MIN_REGULAR_TIMESTAMP <= value <= MAX_REGULAR_TIMESTAMP:
        return np.inf
    day = utcfromtimestamp(value)
    month0 = (day.month - 1) // 3 * 3 + 3 if first else day.month - 1 + 3 * n
    start = dt.datetime(day.year + month0 // 12, month0 % 12 + 1, 1)
    return (start - dt.datetime(1970, 1, 1)).total_seconds()


# Years, with the quarters between them named (Apr, Jul, Oct): a deal of a few
# years on pyqtgraph's default axis showed years only, its months unlabelled.
YEARS_AND_QUARTERS = ZoomLevel([
    TickSpec(YEAR_SPACING, makeYStepper(1), "%Y", autoSkip=[1, 5, 10, 25]),
    TickSpec(MONTH_SPACING * 3, _quarter_stepper, "%b", autoSkip=[1, 2]),
], "YYYY")


def date_axis() -> pg.DateAxisItem:
    axis = FastDateAxisItem(orientation="bottom", utcOffset=0)
    finer = list(axis.zoomLevels.items())[1:]
    axis.zoomLevels = OrderedDict([(np.inf, YEARS_AND_QUARTERS), *finer])
    return axis


class PlotPanel(QWidget):
    """A titled plot with a legend and a read-out line under it."""

    def __init__(self, title: str, left_axis: pg.AxisItem, left_label: str, parent=None,
                 bottom_axis: pg.AxisItem | None = None, left_width: int = LEFT_AXIS_WIDTH):
        super().__init__(parent)
        # A bottom axis of values (not dates): the zero line is then upright.
        self.values_across = bottom_axis is not None
        self.left_width = left_width          # presentation mode scales it with the type
        self.y_grid = True                    # no grid across named rows (a tornado)
        # The title and note change with the results (a risk output, a path
        # count): SteadyLabels, so a new text that keeps its lines repaints the
        # label without laying out the panel and the tab above it again.
        # Wrapped: a long title must not widen the window.
        self.title = SteadyLabel(title, wrap=True)
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        # enableMenu=False: no context menus (the panel has its own actions), and
        # the view box's menu is never built (a few ms a plot when a tab is built).
        # The hidden top and right axes too: pyqtgraph's own re-lay out their
        # (empty) titles on every range change (ui/plots/fast_axis.py).
        # PanelPlotItem: pyqtgraph's PlotItem without its options form (never shown).
        self.plot_widget = panel_plot_widget(axisItems={"bottom": bottom_axis or date_axis(),
                                                        "left": left_axis,
                                                        "top": FastAxisItem("top"),
                                                        "right": FastAxisItem("right")},
                                             enableMenu=False)
        self.plot = self.plot_widget.getPlotItem()
        self.plot.hideAxis("top")      # given axes are shown: hidden, as pyqtgraph's are
        self.plot.hideAxis("right")
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.setLabel("left", left_label)
        self.plot.getAxis("left").setWidth(left_width)
        self.plot.setMenuEnabled(False)
        # Dates pan and zoom along x; a value axis is fitted to its data and stays.
        self.plot.getViewBox().setMouseEnabled(x=not self.values_across, y=False)
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
        # A note under the read-out, for panels that state what the data means
        # (shown only by panels whose spec has a `note`).
        self.note = SteadyLabel(" ", wrap=True)   # long text must not widen the window
        # Notes bold their key figure (the histogram's chance of a loss): rich
        # text, as the QLabel it was read it.
        self.note.label.setTextFormat(Qt.TextFormat.AutoText)
        self.note.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        policy = self.note.sizePolicy()         # its height for its width kept
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        self.note.setSizePolicy(policy)
        self.note.hide()
        self.layers: dict[str, Layer] = {}    # a SeriesPanel's declared layers, by key
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.readout)
        layout.addWidget(self.note)
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
        self.zero_line = pg.InfiniteLine(pos=0, angle=90 if self.values_across else 0,
                                         movable=False,
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
        """Restyle for a theme (ui.look.themes): called live when the theme changes."""
        style_plot_panel(self, theme)
        if not self.y_grid:
            self.plot.showGrid(y=False)
        self.note.setStyleSheet(f"color:{theme.muted};")
        for layer in self.layers.values():
            layer.apply_theme(theme)

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
    y_range = (y_low - 0.02 * (y_high - y_low), y_high)
    x_range = (x_edges[0], x_edges[-1], 0.02)
    panel.fitted_ranges = (x_range, y_range)
    show_ranges(panel, x_range, y_range)


def show_ranges(panel: PlotPanel, x_range: tuple, y_range: tuple) -> None:
    """The view at x_range (low, high, padding as a fraction of the span) and
    y_range (low, high), as pyqtgraph's setXRange / setYRange would set them,
    in one setRange call, and in none when the view shows them already: every
    setRange call lays the view out again and signals it, changed or not."""
    x0, x1, x_pad = x_range
    low, high = min(x0, x1), max(x0, x1)
    pad = (high - low) * x_pad        # pyqtgraph's padding (a point is widened, not padded)
    low, high = low - pad, high + pad
    view = panel.plot.getViewBox()
    state = view.state
    if not (state["autoRange"] == [False, False]
            and state["targetRange"][0] == [low, high]
            and state["targetRange"][1] == [min(y_range), max(y_range)]):
        view.setRange(xRange=(low, high), yRange=y_range, padding=0)
    panel.prepare_for_paint()


Layers = tuple  # of Series, Stack, Level, Shortfall, EachItem, Bands, Swings, Histogram


@dataclass(frozen=True)
class PanelSpec:
    title: str
    axis_label: str
    series: Layers
    money: bool = True           # the value axis: money ticks, else counts with K/M/B
    headroom: float = 0.3        # room above the data for the legend
    # The read-out switches month this many days before a month starts: for
    # points at month starts, the nearer point is the one read out.
    hover_shift_days: float = 0.0
    # Values along the bottom instead of dates (tornado, histogram); the left
    # axis then counts (axis_label) or, with `rows`, names the rows.
    values_across: bool = False
    rows: bool = False
    left_width: int = LEFT_AXIS_WIDTH
    x_margin: float = 0.03       # values across: room each side of the data, of its span
    # From the source shown: the title, a note under the plot, and whether the
    # values are money (a risk output may be a count or a rate).
    title_of: Callable[[object], str] | None = None
    note_of: Callable[[object], str] | None = None
    money_of: Callable[[object], bool] | None = None


def monthly_series(results, by_month: dict):
    """A plot source of series that are not schedule columns (credit exposures,
    the rights' exercise chances) over the schedule's months."""
    s = results.schedule
    return SimpleNamespace(schedule=SimpleNamespace(month_start=s.month_start, days=s.days,
                                                    **by_month))


class _ScheduleOnly:
    """A schedule shown without its results (no key figures)."""

    def __init__(self, schedule):
        self.schedule = schedule


class SeriesPanel(PlotPanel):
    """A PlotPanel drawn from a PanelSpec.  `layers[key]` is each declared
    layer, `items[key]` every item they drew (a series' column, a stacked
    member, a level's figure, a percentile "P50", a tornado's "low" bars)."""

    def __init__(self, spec: PanelSpec, parent=None):
        if spec.values_across:
            value_axis = ValueAxis("bottom", money=spec.money)
            left = FastAxisItem("left") if spec.rows else QuantityAxis()
            super().__init__(spec.title, left, spec.axis_label, parent,
                             bottom_axis=value_axis, left_width=spec.left_width)
            self.y_grid = not spec.rows
            self.plot.showGrid(x=True, y=self.y_grid, alpha=0.25)
        else:
            value_axis = ValueAxis("left", money=spec.money)
            super().__init__(spec.title, value_axis, spec.axis_label, parent,
                             left_width=spec.left_width)
        self.value_axis = value_axis
        self.spec = spec
        for layer_spec in spec.series:
            self.layers[layer_spec.key] = layer_spec.layer(self)
        self.note.setVisible(spec.note_of is not None)
        self.arrange_legend()
        self.plot.setYRange(0, 1)
        self.apply_theme(theme_manager().current)   # the layers' items too

    @property
    def items(self) -> dict[str, pg.GraphicsObject]:
        return {key: item for layer in self.layers.values() for key, item in layer.items.items()}

    def show_results(self, results) -> None:
        """A model's results: its schedule and key figures."""
        self.show_source(results)

    def show_schedule(self, schedule) -> None:
        """A schedule's columns (panels with no key-figure layer)."""
        self.show_source(_ScheduleOnly(schedule))

    def show_source(self, source) -> None:
        """Every layer from the source, in place; axes fitted; title, note and
        hover set."""
        spec = self.spec
        extents = [layer.show(source) for layer in self.layers.values()]
        if spec.title_of is not None:
            self.title.setText(spec.title_of(source))
        if spec.note_of is not None:
            self.note.setText(spec.note_of(source))
        if spec.money_of is not None:
            self.value_axis.show_money(spec.money_of(source))
        self._fit(extents)
        months = next((e.months for e in extents if e.months is not None and len(e.months)),
                      None)
        if months is not None:
            self.set_hover(timestamps(months) - spec.hover_shift_days * SECONDS_PER_DAY,
                           lambda i: self.describe(source, i, months))

    def labels_changed_by(self, source) -> list[SteadyLabel]:
        """The title and note whose text show_source(source) would change."""
        spec, out = self.spec, []
        if spec.title_of is not None and spec.title_of(source) != self.title.text():
            out.append(self.title)
        if spec.note_of is not None and spec.note_of(source) != self.note.text():
            out.append(self.note)
        return out

    def _fit(self, extents: list[Extent]) -> None:
        xs = np.concatenate([e.x for e in extents]) if extents else np.zeros(0)
        xs = xs[np.isfinite(xs)]
        x_span = (float(xs.min()), float(xs.max())) if xs.size else (0.0, 1.0)
        if not self.spec.values_across:
            fit_ranges(self, x_span, *(e.y for e in extents), headroom=self.spec.headroom)
            return
        low, high = x_span
        margin = self.spec.x_margin * ((high - low) or 1.0)
        x0, x1 = nice_range(low - margin, high + margin, 6)
        fixed = next((e.y_range for e in extents if e.y_range is not None), None)
        if fixed is not None:
            y0, y1 = fixed
        else:
            ys = np.concatenate([e.y for e in extents])
            ys = ys[np.isfinite(ys)]
            top = float(ys.max()) if ys.size else 1.0
            y0, y1 = nice_range(min(0.0, float(ys.min()) if ys.size else 0.0),
                                top * (1 + self.spec.headroom))
        self.fitted_ranges = ((x0, x1, 0.0), (y0, y1))
        show_ranges(self, (x0, x1, 0.0), (y0, y1))

    def describe(self, source, i: int, months: np.ndarray | None = None) -> str:
        """The read-out of month i: each layer's part, labelled as declared."""
        if months is None:
            months = source.schedule.month_start
        parts = [text for layer in self.layers.values() if (text := layer.describe(source, i))]
        return f"{month_label(months[i])}: " + ", ".join(parts)


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
            panel.show_results(results)
        # The panels repaint in one frame of the window, with the edit's fields
        # and figures, not one frame each (ui/plots/one_frame.py).
        paint_together(panel.plot_widget for panel in self.panels)

    def item(self, key: str):
        """The plotted item of a key (a schedule column, a level's figure, a
        stacked member), whichever panel holds it."""
        for panel in self.panels:
            items = panel.items
            if key in items:
                return items[key]
        raise KeyError(f"no series of {key!r} in these plots")
