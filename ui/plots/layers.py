"""What a declared plot can draw: the layer kinds of a PanelSpec
(ui/plots/common.py).

A plot is a PanelSpec: a title, an axis and a tuple of layer specs.  Each
spec is a frozen dataclass that says what to draw (a schedule column, a
stack of a group of columns, a key figure's level, one curve per scenario,
percentile bands, a tornado, a histogram); `SeriesPanel` makes each layer's
pyqtgraph items once and updates them in place (setData / setOpts) on every
`show_source(source)`.  Legends and read-outs take labels and number formats from
core.figures wherever the thing drawn is a declared figure or column.

The source a panel shows is what its plots are fed: a model's results (its
schedule and key figures) for the tabs' plots, a core.comparison.Comparison,
a core.risk.TornadoResult or a core.monte_carlo.SimulationResult.

Each kind is a frozen dataclass (the declaration) and a Layer (its pyqtgraph
items, made once and updated in place by `show(source)`, returning the Extent
the panel fits its axes to).  Adding a kind is one dataclass with `key` and
`layer(panel)`, and its Layer.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPolygonF

from core import figures
from core.formatting import format_money
from core import tornado_convention as tornado
from core.monte_carlo import histogram
from core.tornado_convention import row_label
from core.palette import OKABE_ITO
from ui.look.themes import PLOT_FOREGROUND, series_colour
from ui.plots.basics import SECONDS_PER_DAY, month_edges, pen, timestamps
from ui.plots.series_curve import SeriesBars, SeriesCurve, SeriesFill


class LayerPanel(Protocol):
    """What a layer uses of the panel it draws on (a SeriesPanel, ui/plots/common.py):
    said here so that this module, below common.py, never imports it."""
    plot: pg.PlotItem
    legend: pg.LegendItem

    def arrange_legend(self) -> None: ...

    def show_source(self, source) -> None: ...


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

    def __init__(self, spec, panel: LayerPanel):
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


class PointMarkers(pg.GraphicsObject):
    """A round marker of `size` pixels on each point of a series, drawn in
    one call (QPainter.drawPoints with a round, cosmetic pen).  pyqtgraph's
    own symbols (a ScatterPlotItem) rebuild a record of every spot at each
    setData: two marked series cost the Termination tab about a millisecond
    an edit (8.0 -> 7.0 ms, edit to idle).  Only round markers, which is all
    a Series asks for."""

    def __init__(self, colour: str, size: float = 5.0):
        super().__init__()
        self._pen = pg.mkPen(colour, width=size)
        self._pen.setCosmetic(True)
        self._pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self._size = size
        self._points = QPolygonF()
        self._bounding_rect: QRectF | None = None

    def setData(self, x, y) -> None:   # noqa: N802 (pyqtgraph's name)
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        keep = np.isfinite(x) & np.isfinite(y)
        x, y = x[keep], y[keep]
        self.prepareGeometryChange()
        self._points = pg.functions.arrayToQPolygonF(x, y) if x.size else QPolygonF()
        self._bounding_rect = None
        self.update()

    def viewTransformChanged(self) -> None:   # noqa: N802 (pyqtgraph's name)
        # The markers' margin is in pixels: its size in data units changed.
        self.prepareGeometryChange()
        self._bounding_rect = None
        super().viewTransformChanged()

    def dataBounds(self, axis: int, frac: float = 1.0, orthoRange=None):   # noqa: N802
        if not self._points.size():
            return (None, None)
        rect = self._points.boundingRect()
        return (rect.left(), rect.right()) if axis == 0 else (rect.top(), rect.bottom())

    def boundingRect(self) -> QRectF:   # noqa: N802 (Qt's name)
        # The data's rectangle and half a marker more each way, in data units.
        # Kept until the points or the view's transform change (setData,
        # viewTransformChanged): the scene asks for it several times a paint,
        # and the pixel's size in data units walks the item's transforms
        # (0.2 ms an edit on the Termination tab, issue 22).
        if self._bounding_rect is None:
            if not self._points.size():
                return QRectF()
            px, py = self.pixelWidth() or 0.0, self.pixelHeight() or 0.0
            self._bounding_rect = self._points.boundingRect().adjusted(
                -px * self._size, -py * self._size, px * self._size, py * self._size)
        return QRectF(self._bounding_rect)

    def paint(self, painter, *_args) -> None:
        if self._points.size():
            painter.setPen(self._pen)
            painter.drawPoints(self._points)


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
    symbol: str | None = None    # "o": a round marker on each point (PointMarkers)

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
            item = SeriesBars(x=[0], height=[0], width=1, brush=pg.mkBrush(colour),
                              pen=pg.mkPen(_colour("blue"), width=0.5))
            panel.plot.addItem(item)
            panel.legend.addItem(item, name)
        else:
            item = SeriesCurve(pen(colour, spec.width, spec.dashed), name=name,
                               step=spec.kind == "step",
                               fill_brush=None if spec.fill is None else pg.mkBrush(*spec.fill))
            panel.plot.addItem(item)      # and to the legend, by its name
            if spec.symbol is not None:
                self.items["markers"] = PointMarkers(colour)
                panel.plot.addItem(self.items["markers"])
        self.items[spec.column] = item
        self._shown_bars: tuple[bytes, ...] | None = None   # (month starts, days, values)

    def show(self, source) -> Extent:
        schedule = source.schedule
        values = getattr(schedule, self.spec.column)
        item = self.items[self.spec.column]
        starts = timestamps(schedule.month_start)
        edges = month_edges(schedule)
        extent = Extent(edges, values, schedule.month_start)
        # A column the edit did not change (a fee edit leaves the token
        # revenue, the power cost, the depreciation as they were) keeps its
        # item as it is: no new path to build, no bounds to find again.
        if self.spec.kind == "bars":
            shown = (values.tobytes(), starts.tobytes(), schedule.days.tobytes())
            if shown != self._shown_bars:
                self._shown_bars = shown
                item.setOpts(x=starts + schedule.days * SECONDS_PER_DAY / 2, height=values,
                             width=schedule.days * SECONDS_PER_DAY * 0.8)
            return extent
        changed = item.show_values(edges if self.spec.kind == "step" else starts, values)
        if changed and "markers" in self.items:
            self.items["markers"].setData(starts, values)
        return extent

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
                curve = SeriesCurve(None, name=member, step=True,
                                    fill_brush=pg.mkBrush(0, 0, 0, 0))
                panel.plot.addItem(curve)
                self.items[member] = curve
                changed = True
            if getattr(curve, "_stack_index", None) != index:
                # Opaque fills: the bands are stacked, and translucent ones would mix.
                colour = QColor(series_colour(index))
                curve.setPen(pen(colour.darker(130).name(), 1.5))
                curve.setBrush(pg.mkBrush(colour))
                curve.opts["fillBrush"] = curve.opts["brush"]   # the legend's sample
                # Drawn top-down so each band shows above the ones below it.
                curve.setZValue(-index)
                curve._stack_index = index
            curve.show_values(edges, stacked[index])
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
        name = figures.label(spec.figure)
        self.items[spec.figure] = SeriesCurve(pen(_colour(spec.colour), spec.width, spec.dashed),
                                              name=name)
        panel.plot.addItem(self.items[spec.figure])      # and to the legend, by its name

    def show(self, source) -> Extent:
        value = float(getattr(source.key_figures, self.spec.figure))
        edges = month_edges(source.schedule)
        self.items[self.spec.figure].show_values([edges[0], edges[-1]], [value, value])
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
            self.items[edge] = SeriesCurve(pg.mkPen(0, 0, 0, 0), step=True)
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
        self.items["floor"].show_values(edges, below)
        self.items["top"].show_values(edges, np.maximum(below, getattr(schedule, self.spec.above)))
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
        self.curves: list[SeriesCurve] = []   # made as needed, kept (hidden when unused)

    def show(self, source) -> Extent:
        panel = self.panel
        collection = getattr(source, self.spec.collection)
        while len(self.curves) < len(collection):
            self.curves.append(SeriesCurve(None, step=True))
            panel.plot.addItem(self.curves[-1])
        legend_changed = False
        self.items = {}
        xs, ys = [], []
        for i, curve in enumerate(self.curves):
            if i >= len(collection):
                legend_changed |= bool(panel.legend.getLabel(curve))
                curve.show_values([], [])
                curve.hide()
                panel.legend.removeItem(curve)
                continue
            item = collection[i]
            values = getattr(item, self.spec.column)
            edges = timestamps(item.period_edges)
            curve.show_values(edges, values)
            line = pen(series_colour(i), dashed=i > 0 and i % 2 == 0)
            if curve.opts["pen"] != line:
                curve.setPen(line)
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
            # A SeriesCurve (ui/plots/series_curve.py): set only when its
            # percentile moved, its bounds found once.
            self.items[f"P{p}"] = curve = SeriesCurve(line)
            panel.plot.addItem(curve)
        panel.legend.addItem(self.items[f"P{median}"], f"Median (P{median})")
        # Pairs from the outside in: P5-P95 then P25-P75.  Within the outer band
        # the fills overlap: the inner one shows at about alpha 120.
        for (low, high), alpha, swatch in zip(zip(ps, reversed(ps)), (40, 80), (40, 120)):
            if low >= high:
                break
            brush = pg.mkBrush(colour.red(), colour.green(), colour.blue(), alpha)
            # SeriesFill: its outline made from the curves' data (series_curve.py).
            fill = SeriesFill(self.items[f"P{low}"], self.items[f"P{high}"], brush=brush)
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
        # Each fill follows both of its curves (sigPlotChanged): four fills drawn
        # for two bands at every result.  The curves are set quietly, only those
        # whose percentile moved, and a fill drawn once after, only when one of
        # its curves moved: an identical result (an edit the simulation does not
        # see) sets nothing.
        moved = set()
        for row, p in enumerate(self.spec.percentiles):
            curve = self.items[f"P{p}"]
            blocked = curve.blockSignals(True)
            try:
                if curve.show_values(starts, bands[row]):
                    moved.add(curve)
            finally:
                curve.blockSignals(blocked)
        for item in self.items.values():
            if isinstance(item, SeriesFill) and moved.intersection(item.curves):
                item.updatePath()
        return Extent(starts, bands.ravel(), months)

    def describe(self, source, i: int) -> str:
        bands = getattr(source, self.spec.values)
        return ", ".join(f"P{p} {format_money(bands[row, i])}"
                         for row, p in enumerate(self.spec.percentiles))


@dataclass(frozen=True)
class Swings:
    """Horizontal bars of the change in the output from its base value with
    each input at its low and at its high value, largest swing at the top (a
    tornado; the source is a core.risk.TornadoResult), as core/tornado_convention.py
    sets out for every view.  The inputs and their low / high values name the rows."""
    limit: int = 12              # the inputs with the largest swings
    low_colour: str = tornado.LOW_COLOUR
    high_colour: str = tornado.HIGH_COLOUR

    @property
    def key(self) -> str:
        return "tornado"

    def layer(self, panel) -> Layer:
        return _SwingsLayer(self, panel)


class _SwingsLayer(Layer):
    def __init__(self, spec: Swings, panel):
        super().__init__(spec, panel)
        for end, colour in (("low", spec.low_colour), ("high", spec.high_colour)):
            # SeriesBars: its bounding rectangle found once per change of its bars.
            bars = SeriesBars(x0=[0], x1=[0], y=[0], height=0.6,
                              brush=pg.mkBrush(_colour(colour)), pen=None)
            panel.plot.addItem(bars)
            panel.legend.addItem(bars, tornado.LOW_LABEL if end == "low" else tornado.HIGH_LABEL)
            self.items[end] = bars
        # Black: drawn in the theme's foreground colour.
        self.items["base"] = pg.InfiniteLine(angle=90, pen=pen("#000000", 1.5))
        panel.plot.addItem(self.items["base"])
        self.shown_rows: tuple = ()
        self._shown_bars: dict[str, tuple[bytes, bytes, bytes]] = {}   # (x0, x1, y) by end
        self._source = None
        self._ticks: list | None = None
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
        # Bars are the change from the base case: the base is the zero line.
        low, high = tornado.changes(base, moving)
        # Each end's bars set only when they changed (an edit that moves only
        # the high ends keeps the low bars as they were).
        for end, change in (("low", low), ("high", high)):
            x0, x1 = np.minimum(0.0, change), np.maximum(0.0, change)
            shown = (x0.tobytes(), x1.tobytes(), y.tobytes())
            if shown != self._shown_bars.get(end):
                self._shown_bars[end] = shown
                self.items[end].setOpts(x0=x0, x1=x1, y=y, height=0.6)
        self.items["base"].setValue(0.0)      # InfiniteLine: nothing done when already there
        # The rows' names: set (and the axis drawn again) only when they changed;
        # an edit that moves the outputs and not the inputs' ranges keeps them.
        ticks = [[(float(yy), row_label(r)) for yy, r in zip(y, moving)], []]
        if ticks != self._ticks:
            self._ticks = ticks
            self.panel.plot.getAxis("left").setTicks(ticks)
        values = np.concatenate(([0.0], low, high))
        if values.max() == values.min():      # nothing moves: a span round the base
            span = abs(base) * 0.1 or 1.0
            values = np.array([-span, span])
        return Extent(values, np.zeros(0), y_range=(-0.7, max(len(moving), 1) - 0.3))


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


class _PercentileLine(pg.InfiniteLine):
    """A vertical marker line with a fixed label (its percentile, "P50"),
    moved across by `move_to` at the cost of the move alone.

    pyqtgraph's setValue re-derives the line's bounding rectangle and, through
    sigPositionChanged, its label's place and text from the view (about half
    a millisecond a line, three lines a simulation result).  A vertical line
    moved along x keeps both in its own coordinates: its rectangle is the
    view's y span, and the label sits at the same fraction of it.  Only the
    label's side can change (right of the line in the view's left half, left
    of it in the right half), as pyqtgraph's InfLineLabel.updatePosition
    picks it.  A change of the view still goes through pyqtgraph
    (viewTransformChanged re-derives all of it)."""

    def move_to(self, x: float) -> bool:
        """The line at x; nothing is done when it is there.  True when it moved."""
        if self.p[0] == x:
            return False
        self.p = [x, 0.0]
        # The line's cached view mapping only; its bounding rectangle stays.
        pg.GraphicsItem.viewTransformChanged(self)
        pg.GraphicsObject.setPos(self, pg.Point(x, 0.0))
        label = self.label
        view_rect = self.viewRect()
        if label.isVisible() and view_rect is not None:
            side = pg.Point(label.anchors[0 if view_rect.center().y() < 0 else 1])
            if label.anchor != side:
                label.setAnchor(side)
        return True


class _HistogramLayer(Layer):
    def __init__(self, spec: Histogram, panel):
        super().__init__(spec, panel)
        # SeriesBars: their bounding rectangle worked out once per change, not
        # at every ask of each paint.
        self.items["bars"] = SeriesBars(x0=[0], x1=[0], y0=0, height=[0],
                                        brush=pg.mkBrush(_colour(spec.colour)),
                                        pen=pg.mkPen(_colour("blue"), width=0.5))
        self.items["loss_bars"] = SeriesBars(x0=[0], x1=[0], y0=0, height=[0],
                                             brush=pg.mkBrush(_colour(spec.loss_colour)),
                                             pen=None)
        for name, text in (("bars", "Paths"), ("loss_bars", "Paths with a loss")):
            panel.plot.addItem(self.items[name])
            panel.legend.addItem(self.items[name], text)
        for p in spec.markers:
            # Black lines and labels: drawn in the theme's foreground (apply_theme).
            line = _PercentileLine(angle=90, pen=pen("#000000", 1.2, dashed=p != 50),
                                   label=f"P{p}", labelOpts=dict(position=0.93,
                                                                 color=PLOT_FOREGROUND))
            panel.plot.addItem(line)
            self.items[f"P{p}"] = line
        # The outcomes last binned (their bytes) and their bins, and the bins
        # the bars show (edges' and counts' bytes): the same outcomes are not
        # binned again, the same bins not set again.
        self._binned: tuple[bytes, np.ndarray, np.ndarray] | None = None
        self._bars_key: tuple[bytes, bytes] | None = None

    def show(self, source) -> Extent:
        outcomes = np.asarray(source.outcomes, dtype=float)
        key = outcomes.tobytes()
        if self._binned is None or self._binned[0] != key:
            # A source may carry its outcomes' bins, made off the GUI thread.
            bins = getattr(source, "bins", None)
            edges, counts = histogram(outcomes) if bins is None else bins
            if self._bars_key != (bars_key := (edges.tobytes(), counts.tobytes())):
                below = edges[1:] <= 0    # bins wholly below zero: losses
                self.items["bars"].setOpts(x0=edges[:-1][~below], x1=edges[1:][~below],
                                           height=counts[~below])
                self.items["loss_bars"].setOpts(x0=edges[:-1][below], x1=edges[1:][below],
                                                height=counts[below])
                self._bars_key = bars_key
            self._binned = (key, edges, counts)
        _, edges, counts = self._binned
        for p in self.spec.markers:
            self.items[f"P{p}"].move_to(float(source.outcome_percentiles[p]))
        return Extent(edges, counts)

    def apply_theme(self, theme) -> None:
        for p in self.spec.markers:
            self.items[f"P{p}"].label.setColor(theme.plot_foreground)
