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
from PySide6.QtGui import QAction, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QVBoxLayout, QWidget

from core import figures
from core.formatting import format_money, format_quantity
from core.monte_carlo import histogram
from core.palette import OKABE_ITO
from ui.boardroom.themes import (PLOT_FOREGROUND, follow_theme, series_colour, style_plot_panel,
                                 theme_manager)
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


def date_axis() -> pg.DateAxisItem:
    return FastDateAxisItem(orientation="bottom", utcOffset=0)


class PlotPanel(QWidget):
    """A titled plot with a legend and a read-out line under it."""

    def __init__(self, title: str, left_axis: pg.AxisItem, left_label: str, parent=None,
                 bottom_axis: pg.AxisItem | None = None, left_width: int = LEFT_AXIS_WIDTH):
        super().__init__(parent)
        # A bottom axis of values (not dates): the zero line is then upright.
        self.values_across = bottom_axis is not None
        self.left_width = left_width          # presentation mode scales it with the type
        self.y_grid = True                    # no grid across named rows (a tornado)
        self.title = QLabel(title)
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        self.title.setWordWrap(True)   # a long title must not widen the window
        self.plot_widget = pg.PlotWidget(axisItems={"bottom": bottom_axis or date_axis(),
                                                    "left": left_axis})
        self.plot = self.plot_widget.getPlotItem()
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
        self.note = QLabel(" ")
        self.note.setWordWrap(True)   # long text must not widen the window
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
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
        """Restyle for a theme (ui.boardroom.themes): called live when the theme changes."""
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
# A plot is a PanelSpec: a title, an axis and a tuple of layer specs.  Each
# spec is a frozen dataclass that says what to draw (a schedule column, a
# stack of a group of columns, a key figure's level, one curve per scenario,
# percentile bands, a tornado, a histogram); `SeriesPanel` makes each layer's
# pyqtgraph items once and updates them in place (setData / setOpts) on every
# `show_source(source)`.  Legends and read-outs take labels and number formats from
# core.figures wherever the thing drawn is a declared figure or column.
#
# The source a panel shows is what its plots are fed: a model's results (its
# schedule and key figures) for the tabs' plots, a core.comparison.Comparison,
# a core.risk.TornadoResult or a core.monte_carlo.SimulationResult.

Kind = Literal["step", "line", "bars"]


@dataclass(frozen=True)
class Extent:
    """What a layer drew: the x and y values the view must cover, and the
    month starts (datetime64) the read-out steps through, if any."""
    x: np.ndarray
    y: np.ndarray
    months: np.ndarray | None = None
    y_range: tuple[float, float] | None = None   # an exact y range (rows of a tornado)


class Layer:
    """The pyqtgraph items of one declared layer of a panel: made once in
    __init__, updated in place by `show`.  `items` names every item."""

    def __init__(self, spec, panel: "SeriesPanel"):
        self.spec = spec
        self.panel = panel
        self.items: dict[str, pg.GraphicsObject] = {}

    def show(self, source) -> Extent:
        raise NotImplementedError

    def describe(self, source, i: int) -> str:
        """The read-out of month i ("" for none)."""
        return ""

    def apply_theme(self, theme) -> None:
        """Restyle what the panel's own styling does not reach."""


def _colour(name: str) -> str:
    return OKABE_ITO.get(name, name)


def _swatch(brush) -> pg.BarGraphItem:
    """A legend entry for what the legend cannot draw itself (a filled band)."""
    return pg.BarGraphItem(x=[0], height=[0], width=1, pen=None, brush=brush)


@dataclass(frozen=True)
class Series:
    """A schedule column (core.figures.COLUMNS) over the months."""
    column: str                  # a MonthlySchedule column (core.figures.COLUMNS)
    colour: str                  # an OKABE_ITO name or a colour
    kind: Kind = "step"          # step: flat over each month; line: through month starts
    width: float = 2.5
    dashed: bool = False
    axis: Literal["left"] = "left"   # one value axis per panel for now
    fill: tuple[int, int, int, int] | None = None   # RGBA shaded down to zero
    legend: str | None = None    # legend text when the plot says more than the label
    symbol: str | None = None    # a marker on each point ("o")

    @property
    def key(self) -> str:
        return self.column

    def layer(self, panel) -> Layer:
        return _SeriesLayer(self, panel)


class _SeriesLayer(Layer):
    def __init__(self, spec: Series, panel):
        super().__init__(spec, panel)
        name = spec.legend or figures.label(spec.column)
        colour = _colour(spec.colour)
        if spec.kind == "bars":
            item = pg.BarGraphItem(x=[0], height=[0], width=1, brush=pg.mkBrush(colour),
                                   pen=pg.mkPen(_colour("blue"), width=0.5))
            panel.plot.addItem(item)
            panel.legend.addItem(item, name)
        else:
            options = {}
            if spec.kind == "step":
                options["stepMode"] = "center"
            if spec.fill is not None:
                options.update(fillLevel=0, brush=pg.mkBrush(*spec.fill))
            if spec.symbol is not None:
                options.update(symbol=spec.symbol, symbolSize=4)
            item = panel.plot.plot(name=name, pen=pen(colour, spec.width, spec.dashed), **options)
        self.items[spec.column] = item

    def show(self, source) -> Extent:
        schedule = source.schedule
        values = getattr(schedule, self.spec.column)
        item = self.items[self.spec.column]
        starts = timestamps(schedule.month_start)
        edges = month_edges(schedule)
        if self.spec.kind == "bars":
            item.setOpts(x=starts + schedule.days * SECONDS_PER_DAY / 2, height=values,
                         width=schedule.days * SECONDS_PER_DAY * 0.8)
        elif self.spec.kind == "step":
            item.setData(edges, values)
        else:
            item.setData(starts, values)
        return Extent(edges, values, schedule.month_start)

    def describe(self, source, i: int) -> str:
        column = self.spec.column
        return f"{figures.label(column)} " \
               f"{figures.format_value(column, getattr(source.schedule, column)[i])}"


@dataclass(frozen=True)
class Stack:
    """A group of columns stacked, one filled step band each, members coming
    and going with the data (GPUs online by model: `schedule.gpus_by_model`).
    The read-out gives the declared total and each member."""
    group: str                   # a dict-of-columns attribute of the schedule
    total: str                   # the declared column the members add up to

    @property
    def key(self) -> str:
        return self.group

    def layer(self, panel) -> Layer:
        return _StackLayer(self, panel)


class _StackLayer(Layer):
    def show(self, source) -> Extent:
        schedule = source.schedule
        group: dict[str, np.ndarray] = getattr(schedule, self.spec.group)
        members = list(group)
        panel = self.panel
        changed = False
        for gone in [m for m in self.items if m not in group]:
            curve = self.items.pop(gone)
            panel.legend.removeItem(curve)
            panel.plot.removeItem(curve)
            changed = True
        edges = month_edges(schedule)
        stacked = np.cumsum([group[m] for m in members], axis=0) if members \
            else np.zeros((0, len(schedule.month_start)))
        for index, member in enumerate(members):
            curve = self.items.get(member)
            if curve is None:
                curve = panel.plot.plot(name=member, stepMode="center", fillLevel=0)
                self.items[member] = curve
                changed = True
            if getattr(curve, "_stack_index", None) != index:
                # Opaque fills: the bands are stacked, and translucent ones would mix.
                colour = QColor(series_colour(index))
                curve.setPen(pen(colour.darker(130).name(), 1.5))
                curve.setBrush(pg.mkBrush(colour))
                # Drawn top-down so each band shows above the ones below it.
                curve.setZValue(-index)
                curve._stack_index = index
            curve.setData(edges, stacked[index])
        if changed:
            # The legend in stack order, whatever order the members arrived in.
            for member in members:
                panel.legend.removeItem(self.items[member])
            for member in members:
                panel.legend.addItem(self.items[member], member)
            panel.arrange_legend()
        return Extent(edges, stacked.ravel(), schedule.month_start)

    def describe(self, source, i: int) -> str:
        schedule = source.schedule
        total = self.spec.total
        group = getattr(schedule, self.spec.group)
        parts = ", ".join(f"{m} {figures.format_value(total, group[m][i])}" for m in group)
        return (f"{figures.label(total)} {figures.format_value(total, getattr(schedule, total)[i])}"
                + (f" ({parts})" if parts else ""))


@dataclass(frozen=True)
class Level:
    """A key figure (core.figures.KEY_FIGURES) drawn flat across the term (the
    contracted MW against the fleet's power).  `flag`: a yes/no schedule
    column the read-out names in the months it holds."""
    figure: str
    colour: str = "black"
    width: float = 2.0
    dashed: bool = True
    flag: str | None = None

    @property
    def key(self) -> str:
        return self.figure

    def layer(self, panel) -> Layer:
        return _LevelLayer(self, panel)


class _LevelLayer(Layer):
    def __init__(self, spec: Level, panel):
        super().__init__(spec, panel)
        self.items[spec.figure] = panel.plot.plot(
            name=figures.label(spec.figure), pen=pen(_colour(spec.colour), spec.width, spec.dashed))

    def show(self, source) -> Extent:
        value = float(getattr(source.key_figures, self.spec.figure))
        edges = month_edges(source.schedule)
        self.items[self.spec.figure].setData([edges[0], edges[-1]], [value, value])
        return Extent(np.array([edges[0], edges[-1]]), np.array([value]))

    def describe(self, source, i: int) -> str:
        figure = self.spec.figure
        text = f"{figures.label(figure)} " \
               f"{figures.format_value(figure, getattr(source.key_figures, figure))}"
        if self.spec.flag is not None and getattr(source.schedule, self.spec.flag)[i]:
            text += f" ({figures.label(self.spec.flag).lower()})"
        return text


@dataclass(frozen=True)
class Shortfall:
    """The gap from one column up to another, shaded where the second is the
    higher (token demand above capacity)."""
    below: str                   # a schedule column: the band's floor
    above: str                   # a schedule column: shaded where it exceeds `below`
    legend: str
    fill: tuple[int, int, int, int] = (213, 94, 0, 90)

    @property
    def key(self) -> str:
        return f"{self.above}-{self.below}"

    def layer(self, panel) -> Layer:
        return _ShortfallLayer(self, panel)


class _ShortfallLayer(Layer):
    def __init__(self, spec: Shortfall, panel):
        super().__init__(spec, panel)
        # Edges with a transparent pen, not None: with no pen a curve has no path to fill to.
        for edge in ("floor", "top"):
            self.items[edge] = pg.PlotDataItem(stepMode="center", pen=pg.mkPen(0, 0, 0, 0))
            panel.plot.addItem(self.items[edge])
        brush = pg.mkBrush(*spec.fill)
        self.items["band"] = pg.FillBetweenItem(self.items["floor"], self.items["top"],
                                                brush=brush)
        panel.plot.addItem(self.items["band"])
        panel.legend.addItem(_swatch(brush), spec.legend)

    def show(self, source) -> Extent:
        schedule = source.schedule
        edges = month_edges(schedule)
        below = getattr(schedule, self.spec.below)
        self.items["floor"].setData(edges, below)
        self.items["top"].setData(edges, np.maximum(below, getattr(schedule, self.spec.above)))
        return Extent(edges, np.zeros(0), schedule.month_start)


@dataclass(frozen=True)
class EachItem:
    """One step curve per item of a collection, named by the item (each
    scenario's cumulative payments, from core.comparison's curves: each has
    `name`, `month_start`, `period_edges` and the declared `column`)."""
    collection: str              # the source's attribute holding the items
    column: str                  # each item's values: a declared column

    @property
    def key(self) -> str:
        return self.collection

    def layer(self, panel) -> Layer:
        return _EachItemLayer(self, panel)


class _EachItemLayer(Layer):
    def __init__(self, spec: EachItem, panel):
        super().__init__(spec, panel)
        self.curves: list[pg.PlotDataItem] = []   # made as needed, kept (hidden when unused)

    def show(self, source) -> Extent:
        panel = self.panel
        collection = getattr(source, self.spec.collection)
        while len(self.curves) < len(collection):
            self.curves.append(panel.plot.plot(stepMode="center"))
        legend_changed = False
        self.items = {}
        xs, ys = [], []
        for i, curve in enumerate(self.curves):
            if i >= len(collection):
                legend_changed |= bool(panel.legend.getLabel(curve))
                curve.setData([], [])
                curve.hide()
                panel.legend.removeItem(curve)
                continue
            item = collection[i]
            values = getattr(item, self.spec.column)
            edges = timestamps(item.period_edges)
            curve.setData(edges, values, stepMode="center")
            curve.setPen(pen(series_colour(i), dashed=i > 0 and i % 2 == 0))
            shown = curve.opts.get("name") == item.name and panel.legend.getLabel(curve)
            curve.opts["name"] = item.name
            curve.show()
            if not shown:    # re-adding an unchanged entry relays the legend out: a second paint
                panel.legend.removeItem(curve)
                panel.legend.addItem(curve, item.name)
                legend_changed = True
            self.items[item.name] = curve
            xs.append(edges)
            ys.append(values)
        if legend_changed:
            panel.arrange_legend()
        months = collection[0].month_start if collection else None
        return Extent(np.concatenate(xs) if xs else np.zeros(0),
                      np.concatenate(ys) if ys else np.zeros(0), months)

    def describe(self, source, i: int) -> str:
        column = self.spec.column
        return ", ".join(
            f"{item.name} {figures.format_value(column, values[min(i, len(values) - 1)])}"
            for item in getattr(source, self.spec.collection)
            if len(values := getattr(item, column)))


@dataclass(frozen=True)
class Bands:
    """Percentile bands over the months: the outer and inner ranges filled,
    the median a line (a fan chart).  `values`: the source's (len(percentiles),
    months) array; `months`: its month starts."""
    values: str
    months: str = "month_start"
    percentiles: tuple[int, ...] = (5, 25, 50, 75, 95)
    colour: str = "blue"

    @property
    def key(self) -> str:
        return self.values

    def layer(self, panel) -> Layer:
        return _BandsLayer(self, panel)


class _BandsLayer(Layer):
    def __init__(self, spec: Bands, panel):
        super().__init__(spec, panel)
        colour = QColor(_colour(spec.colour))
        ps = spec.percentiles
        median = ps[len(ps) // 2]
        for p in ps:
            line = pen(colour.name(), 2.5) if p == median else \
                pen(colour.name(), 1, dashed=p in (ps[0], ps[-1]))
            self.items[f"P{p}"] = curve = pg.PlotDataItem(pen=line)
            panel.plot.addItem(curve)
        panel.legend.addItem(self.items[f"P{median}"], f"Median (P{median})")
        # Pairs from the outside in: P5-P95 then P25-P75.  Within the outer band
        # the fills overlap: the inner one shows at about alpha 120.
        for (low, high), alpha, swatch in zip(zip(ps, reversed(ps)), (40, 80), (40, 120)):
            if low >= high:
                break
            brush = pg.mkBrush(colour.red(), colour.green(), colour.blue(), alpha)
            fill = pg.FillBetweenItem(self.items[f"P{low}"], self.items[f"P{high}"], brush=brush)
            panel.plot.addItem(fill)
            self.items[f"P{low}-P{high}"] = fill
        # Swatches (the legend cannot draw a FillBetweenItem), the inner band first.
        for (low, high), alpha in reversed(list(zip(zip(ps, reversed(ps)), (40, 120)))):
            if low < high:
                panel.legend.addItem(_swatch(pg.mkBrush(colour.red(), colour.green(),
                                                        colour.blue(), alpha)), f"P{low}-P{high}")

    def show(self, source) -> Extent:
        bands = np.asarray(getattr(source, self.spec.values), dtype=float)
        months = getattr(source, self.spec.months)
        starts = timestamps(months)
        for row, p in enumerate(self.spec.percentiles):
            self.items[f"P{p}"].setData(starts, bands[row])
        return Extent(starts, bands.ravel(), months)

    def describe(self, source, i: int) -> str:
        bands = getattr(source, self.spec.values)
        return ", ".join(f"P{p} {format_money(bands[row, i])}"
                         for row, p in enumerate(self.spec.percentiles))


@dataclass(frozen=True)
class Swings:
    """Horizontal bars from a base value to the output with each input at its
    low and at its high value, largest swing at the top (a tornado; the
    source is a core.risk.TornadoResult).  The inputs name the rows."""
    limit: int = 12              # the inputs with the largest swings
    low_colour: str = "blue"
    high_colour: str = "orange"

    @property
    def key(self) -> str:
        return "tornado"

    def layer(self, panel) -> Layer:
        return _SwingsLayer(self, panel)


class _SwingsLayer(Layer):
    def __init__(self, spec: Swings, panel):
        super().__init__(spec, panel)
        for end, colour in (("low", spec.low_colour), ("high", spec.high_colour)):
            bars = pg.BarGraphItem(x0=[0], x1=[0], y=[0], height=0.6,
                                   brush=pg.mkBrush(_colour(colour)), pen=None)
            panel.plot.addItem(bars)
            panel.legend.addItem(bars, f"Input at its {end} value")
            self.items[end] = bars
        # Black: drawn in the theme's foreground colour.
        self.items["base"] = pg.InfiniteLine(angle=90, pen=pen("#000000", 1.5))
        panel.plot.addItem(self.items["base"])
        self.shown_rows: tuple = ()
        self._source = None
        self._fitting = self.rows_that_fit()
        # As many rows as the plot has room for at its type size (a projector's
        # large type fits fewer): drawn again when that number changes.
        panel.plot.getViewBox().sigResized.connect(self._resized)

    def rows_that_fit(self) -> int:
        view = self.panel.plot.getViewBox()
        axis = self.panel.plot.getAxis("left")
        font = axis.style["tickFont"] or axis.font()
        line = QFontMetrics(font).height() * 1.15
        height = view.height()
        if height < 2 * line:          # not laid out yet: the declared limit
            return self.spec.limit
        return int(max(3, min(self.spec.limit, height // line)))

    def _resized(self) -> None:
        fitting = self.rows_that_fit()
        if fitting != self._fitting:
            self._fitting = fitting
            if self._source is not None:
                self.panel.show_source(self._source)

    def show(self, source) -> Extent:
        self._source = source
        self._fitting = self.rows_that_fit()
        moving = [r for r in source.rows if r.swing > 0][:self._fitting]
        self.shown_rows = tuple(moving)
        base = source.base_output if np.isfinite(source.base_output) else 0.0
        y = np.arange(len(moving))[::-1].astype(float)      # largest swing at the top
        low = np.array([r.low_output for r in moving], dtype=float)
        high = np.array([r.high_output for r in moving], dtype=float)
        self.items["low"].setOpts(x0=np.minimum(base, low), x1=np.maximum(base, low), y=y,
                                  height=0.6)
        self.items["high"].setOpts(x0=np.minimum(base, high), x1=np.maximum(base, high), y=y,
                                   height=0.6)
        self.items["base"].setValue(base)
        self.panel.plot.getAxis("left").setTicks(
            [[(float(yy), row_label(r)) for yy, r in zip(y, moving)], []])
        values = np.concatenate(([base], low, high))
        if values.max() == values.min():      # nothing moves: a span round the base
            values = np.array([base - (abs(base) * 0.1 or 1.0), base + (abs(base) * 0.1 or 1.0)])
        return Extent(values, np.zeros(0), y_range=(-0.7, max(len(moving), 1) - 0.3))


def _moves_text(row) -> str:
    def short(value):
        if row.input.unit == "$":
            return format_money(value, trim=True)
        if abs(value) >= 1e4:
            return format_quantity(value, trim=True)
        return f"{value:,.4g}"
    return f"{short(row.low_input)} / {short(row.high_input)}"


def row_label(row) -> str:
    """A tornado row: the input's name and its low / high values, short enough
    for the axis."""
    label = row.input.label if len(row.input.label) <= 24 else row.input.label[:23] + "\u2026"
    return f"{label} ({_moves_text(row)})"


@dataclass(frozen=True)
class Histogram:
    """How many paths fell in each bin of a simulated outcome, the bins wholly
    below zero (losses) in their own colour, with a marked line at each
    percentile (the source is a core.monte_carlo.SimulationResult)."""
    markers: tuple[int, ...] = (5, 50, 95)
    colour: str = "sky"
    loss_colour: str = "vermillion"

    @property
    def key(self) -> str:
        return "outcomes"

    def layer(self, panel) -> Layer:
        return _HistogramLayer(self, panel)


class _HistogramLayer(Layer):
    def __init__(self, spec: Histogram, panel):
        super().__init__(spec, panel)
        self.items["bars"] = pg.BarGraphItem(x0=[0], x1=[0], y0=0, height=[0],
                                             brush=pg.mkBrush(_colour(spec.colour)),
                                             pen=pg.mkPen(_colour("blue"), width=0.5))
        self.items["loss_bars"] = pg.BarGraphItem(x0=[0], x1=[0], y0=0, height=[0],
                                                  brush=pg.mkBrush(_colour(spec.loss_colour)),
                                                  pen=None)
        for name, text in (("bars", "Paths"), ("loss_bars", "Paths with a loss")):
            panel.plot.addItem(self.items[name])
            panel.legend.addItem(self.items[name], text)
        for p in spec.markers:
            # Black lines and labels: drawn in the theme's foreground (apply_theme).
            line = pg.InfiniteLine(angle=90, pen=pen("#000000", 1.2, dashed=p != 50),
                                   label=f"P{p}", labelOpts=dict(position=0.93,
                                                                 color=PLOT_FOREGROUND))
            panel.plot.addItem(line)
            self.items[f"P{p}"] = line

    def show(self, source) -> Extent:
        edges, counts = histogram(source.outcomes)
        below = edges[1:] <= 0    # bins wholly below zero: losses
        self.items["bars"].setOpts(x0=edges[:-1][~below], x1=edges[1:][~below],
                                   height=counts[~below])
        self.items["loss_bars"].setOpts(x0=edges[:-1][below], x1=edges[1:][below],
                                        height=counts[below])
        for p in self.spec.markers:
            self.items[f"P{p}"].setValue(source.outcome_percentiles[p])
        return Extent(edges, counts)

    def apply_theme(self, theme) -> None:
        for p in self.spec.markers:
            self.items[f"P{p}"].label.setColor(theme.plot_foreground)


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
        self.plot.setXRange(x0, x1, padding=0)
        self.plot.setYRange(y0, y1, padding=0)
        self.fitted_ranges = ((x0, x1, 0.0), (y0, y1))
        self.prepare_for_paint()

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

    def item(self, key: str):
        """The plotted item of a key (a schedule column, a level's figure, a
        stacked member), whichever panel holds it."""
        for panel in self.panels:
            items = panel.items
            if key in items:
                return items[key]
        raise KeyError(f"no series of {key!r} in these plots")
