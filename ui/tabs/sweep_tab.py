"""The two-way table: one key figure over a grid of two inputs, live.

Choose the figure, two inputs with their ranges and steps, and a threshold
(NPV = 0).  The grid (core/sweep.py) is drawn as a heat map, coloured
diverging about the threshold, with the threshold's contour over it and the
base case (the scenario's own values) marked; the numbers are in the table
beside it, the base case's cell in bold and the cells on the contour shaded.
The grid recomputes whenever the scenario's results change (any other
input) while the panel is visible: one batched call through the vectorised
engine, within a frame for 25 x 25; the status line says when a figure
needs `compute()` cell by cell instead.  A batched grid of more than
LIVE_BATCHED_LIMIT cells (201 x 201 takes about half a second) is computed on a
worker thread, so edits stay quick; the newest one is shown when done.  A
grid computed cell by cell that would take more than about a second
(core.sweep.CELL_BY_CELL_SECONDS) is refused in one line with the size that fits.
"""
from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import (QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRectF, Qt,
                            QTimer, Signal)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (QAbstractItemView, QGridLayout, QGroupBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QSpinBox, QSplitter,
                               QTableView, QVBoxLayout, QWidget)

from core.figures import output
from core.solve import SolveError, numeric_input, path_engine_refusal
from core.sweep import CELL_BY_CELL_SECONDS, DEFAULT_PROVIDER_Y, DEFAULT_STEPS, FIGURES, \
    MAX_STEPS, Axis, SweepSpec, TwoWayGrid, default_axis, default_y, two_way
from ui.app.binding import ScenarioBinding
from ui.app.build_steps import BuiltInSteps
from ui.app.lazy_updates import update_when_visible
from ui.widgets.steady_label import SteadyLabel
from ui.plots.common import MoneyAxis, QuantityAxis
from ui.plots.panel_plot_item import panel_plot_widget
from ui.tabs.solve_common import (CROSSING_COLOURS, compact_number, figure_combo,
                                  figure_label, figure_title, format_figure, format_figure_tick,
                                  format_input, input_combo, input_label, is_percent_figure,
                                  parse_number, style_axis, style_plot)
from ui.look.themes import (ERROR_STYLE, WARNING_STYLE, Theme, current_theme, follow_theme,
                                 use_plain_style)
from ui.plots.fast_axis import nice_range

DEFAULT_FIGURE = "buyer_npv"
DEFAULT_X = "contract.monthly_fee"
DEFAULT_Y = "hardware.utilization_pct"
# Diverging blue-white-red, reversed: red below the threshold.  The same in
# every theme (the colours are the data); the contour, at the threshold, lies
# on the map's near-white middle, so it is drawn black in every theme too.
COLOUR_MAP = "CET-D1"
CONTOUR_COLOUR = "#000000"
CONTOUR_WIDTH = 2.5
# A grid computed cell by cell (about a millisecond a cell) recomputes on every
# edit only up to this size; a larger one waits for Recompute.
LIVE_CELL_LIMIT = 100
# A batched grid larger than this (50 x 50) is computed on a worker thread.
LIVE_BATCHED_LIMIT = 2_500
LEVEL_STEPS = 20


def _axis_item(key: str, orientation: str) -> pg.AxisItem:
    spec = numeric_input(key)
    if spec.unit == "$":
        return MoneyAxis(orientation)
    return QuantityAxis(orientation, unit=spec.unit)


def colour_levels(lo: float, hi: float, threshold: float | None) -> tuple[float, float]:
    """The values at the two ends of the colour map, for a grid from `lo` to
    `hi`: centred on the threshold (so that its colour is the map's neutral
    middle) and out to whole nice steps beyond the farther extreme; without
    a threshold, the grid's range widened to nice steps.  A grid that moves a
    little keeps its levels, and the colour bar's axis is not drawn again."""
    # Steps of about a twentieth of the span: the ends stay within a step of
    # the data, so the colours keep nearly all their contrast.
    if threshold is None:
        return nice_range(lo, hi, LEVEL_STEPS)
    spread = max(abs(hi - threshold), abs(threshold - lo))
    low, high = nice_range(-spread, spread, LEVEL_STEPS)    # symmetric: -k and +k steps
    return threshold + low, threshold + high


_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_DIGITS_AS_ZERO = str.maketrans("123456789", "000000000")


class GridModel(QAbstractTableModel):
    """The grid's numbers for the table: rows from the highest y down, as on
    the heat map; the base case's cell bold, the cells on the contour marked.
    A model, not a table of items: a new grid of the same shape and axes is
    one dataChanged over the whole range (the view keeps its headers and
    sizes), a new shape one reset; only the cells in view are asked for."""

    ALIGN = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.grid: TwoWayGrid | None = None
        self.texts: list[list[str]] = []          # [table row][column]
        self.columns: list[str] = []
        self.rows: list[str] = []
        self.on_contour: list[list[bool]] = []    # [table row][column]
        self.base: tuple[int, int] | None = None  # (table row, column) of the base case
        self.bold = QFont()
        self.bold.setBold(True)
        self.crossing_fill, self.crossing_ink = QBrush(), QBrush()
        self._answers = {_DISPLAY: self._text, _ALIGNMENT: self._align, _FONT: self._font,
                         _TOOLTIP: self._tooltip, _BACKGROUND: self._fill,
                         _FOREGROUND: self._ink}

    def show_grid(self, grid: TwoWayGrid, fill: str, ink: str) -> None:
        x_spec, y_spec = numeric_input(grid.x_input), numeric_input(grid.y_input)
        base = self._base_of(grid)
        columns = [format_input(x_spec, v) for v in grid.x]
        rows = [format_input(y_spec, v) for v in grid.y[::-1]]
        text = output(grid.figure).formatter()
        texts = [[text(v) for v in row] for row in grid.values[::-1].tolist()]
        on_contour = grid.crossing[::-1].tolist()
        same_frame = (self.grid is not None and columns == self.columns and rows == self.rows)
        if not same_frame:
            self.beginResetModel()
        self.grid, self.columns, self.rows, self.texts = grid, columns, rows, texts
        self.on_contour, self.base = on_contour, base
        self.crossing_fill, self.crossing_ink = QBrush(QColor(fill)), QBrush(QColor(ink))
        if not same_frame:
            self.endResetModel()
        elif rows and columns:
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(columns) - 1))

    @staticmethod
    def _base_of(grid: TwoWayGrid) -> tuple[int, int] | None:
        """The base case's (table row, column); None when outside the grid."""
        if not grid.base_inside:
            return None
        return len(grid.y) - 1 - grid.base_cell[0], grid.base_cell[1]

    def show_base(self, grid: TwoWayGrid) -> None:
        """The same cells with the base case moved: only its old and new cells change."""
        old, self.grid, self.base = self.base, grid, self._base_of(grid)
        for cell in {old, self.base} - {None}:
            index = self.index(*cell)
            self.dataChanged.emit(index, index)

    def source(self, index: QModelIndex | QPersistentModelIndex) -> tuple[int, int]:
        """The grid's (row, column) for a table index."""
        return len(self.rows) - 1 - index.row(), index.column()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        # Asked about eight times for every cell painted: plain int roles and
        # one dictionary lookup, the common answers first.
        answer = self._answers.get(role)
        if answer is None or self.grid is None:
            return None
        return answer(index.row(), index.column())

    def _text(self, row: int, col: int) -> str:
        return self.texts[row][col]

    def _align(self, _row: int, _col: int) -> int:
        return self.ALIGN

    def _font(self, row: int, col: int):
        return self.bold if self.base == (row, col) else None

    def _tooltip(self, row: int, col: int):
        return "The base case (nearest cell)" if self.base == (row, col) else None

    def _fill(self, row: int, col: int):
        return self.crossing_fill if self.on_contour[row][col] else None

    def _ink(self, row: int, col: int):
        return self.crossing_ink if self.on_contour[row][col] else None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        labels = self.columns if orientation == Qt.Orientation.Horizontal else self.rows
        return labels[section] if 0 <= section < len(labels) else None


class AxisControls:
    """An input combo with from / to boxes and a step count."""

    def __init__(self, default: str):
        self.input = input_combo(default)
        self.start = QLineEdit()
        self.stop = QLineEdit()
        self.steps = QSpinBox()
        self.steps.setRange(2, MAX_STEPS)
        self.steps.setValue(DEFAULT_STEPS)
        for box in (self.start, self.stop):
            box.setMaximumWidth(110)

    @property
    def key(self) -> str:
        return self.input.currentData()

    def show_axis(self, axis: Axis) -> None:
        self.start.setText(compact_number(axis.start))
        self.stop.setText(compact_number(axis.stop))
        self.steps.setValue(axis.steps)

    def axis(self) -> Axis:
        label = numeric_input(self.key).label
        try:
            start = parse_number(self.start.text(), percent_as_fraction=False)
            stop = parse_number(self.stop.text(), percent_as_fraction=False)
        except ValueError as error:
            raise SolveError(f"{label}: {error}") from None
        return Axis(self.key, start, stop, self.steps.value())


class TwoWayTable(BuiltInSteps, QWidget):
    # From the worker: (grid or SolveError, (spec, redraw), generation, ms)
    _computed = Signal(object, object, int, float)

    def __init__(self, binding: ScenarioBinding, parent=None, *, later: bool = False):
        super().__init__(parent)
        self.start_build(self._build(binding), later)   # ui/app/build_steps.py

    def _build(self, binding: ScenarioBinding):
        self.binding = binding
        self.grid: TwoWayGrid | None = None
        # Each grid asked for has a number; a grid computed on the worker is shown
        # only if none was asked for since (an edit during the computation).
        self._generation = 0
        self.computing = False
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="two-way")
        self._computed.connect(self._grid_computed)
        self.shown_spec: SweepSpec | None = None   # the settings of the grid on screen
        self.last_ms = math.nan
        self._axes_shown: tuple[str, str] | None = None
        self._figure_shown: str | None = None
        self._rect_shown: QRectF | None = None

        self.figure = figure_combo(DEFAULT_FIGURE, FIGURES)
        self.threshold = QLineEdit("0")
        self.threshold.setPlaceholderText("none")
        self.threshold.setToolTip("Draw the contour where the figure crosses this value "
                                  "(empty: no contour).")
        self.threshold.setMaximumWidth(110)
        self.x = AxisControls(DEFAULT_X)
        self.y = AxisControls(DEFAULT_Y)
        for controls in (self.x, self.y):
            controls.show_axis(default_axis(binding.scenario, controls.key))

        controls = QGroupBox("Two-way table")
        grid = QGridLayout(controls)
        grid.addWidget(QLabel("Figure"), 0, 0)
        grid.addWidget(self.figure, 0, 1)
        grid.addWidget(QLabel("Contour at"), 0, 2)
        grid.addWidget(self.threshold, 0, 3)
        for row, (name, axis) in enumerate((("Across (x)", self.x), ("Down (y)", self.y)), 1):
            grid.addWidget(QLabel(name), row, 0)
            grid.addWidget(axis.input, row, 1)
            grid.addWidget(QLabel("from"), row, 2)
            grid.addWidget(axis.start, row, 3)
            grid.addWidget(QLabel("to"), row, 4)
            grid.addWidget(axis.stop, row, 5)
            grid.addWidget(QLabel("steps"), row, 6)
            grid.addWidget(axis.steps, row, 7)
        grid.setColumnStretch(1, 1)

        yield
        # Its text changes at each edit (the time a grid took): a SteadyLabel
        # lays the tab out again only when the status needs other lines.
        self.status = SteadyLabel(" ", wrap=True)
        self.recompute_button = QPushButton("Recompute")
        self.recompute_button.setToolTip("Compute the grid for the scenario as it stands now.")
        self.recompute_button.clicked.connect(lambda: self.recompute())
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.recompute_button)

        self.plot_widget = panel_plot_widget(enableMenu=False)   # no options form
        self.plot = self.plot_widget.getPlotItem()
        self.plot.setMenuEnabled(False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        yield
        colours = pg.colormap.get(COLOUR_MAP)
        colours.reverse()          # below the threshold (a loss, for NPV) red, above blue
        self.colour_bar = pg.ColorBarItem(colorMap=colours, interactive=False, width=14)
        # The bar's ticks in the figure's own terms ($1.2B, 15.0%), wide enough to show.
        self.colour_bar.axis.tickStrings = lambda values, scale, spacing: [
            format_figure_tick(self.figure.currentData(), v * scale) for v in values]
        self.colour_bar.axis.enableAutoSIPrefix(False)
        self.colour_bar.axis.setWidth(84)   # ticks and the figure's name
        self.colour_bar.setImageItem(self.image, insert_in=self.plot)
        self.contour = pg.IsocurveItem(level=0.0, pen=pg.mkPen(CONTOUR_COLOUR, width=CONTOUR_WIDTH),
                                       axisOrder="row-major")
        self.contour.setParentItem(self.image)       # shares the image's cell coordinates
        self.base_marker = pg.ScatterPlotItem(size=16, symbol="star",
                                              pen=pg.mkPen("#000000", width=1.5),
                                              brush=pg.mkBrush("#FFFFFF"))
        self.plot.addItem(self.base_marker)
        self.base_marker.setZValue(10)

        yield
        self.model = GridModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        use_plain_style(self.table)     # numbers only: no fields to outline
        # Sized once per update (_show_table) from the texts' widths: asking the
        # view to measure would ask the model for all 625 cells' size hints.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.plot_widget)
        split.addWidget(self.table)
        split.setSizes([600, 600])
        layout = QVBoxLayout(self)
        layout.addWidget(controls)
        layout.addLayout(status_row)
        layout.addWidget(split, 1)

        # Control edits recompute once the event loop is free (a burst is one grid).
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.timeout.connect(self.recompute)
        self.figure.currentIndexChanged.connect(self._schedule)
        self.threshold.editingFinished.connect(self._schedule)
        for axis in (self.x, self.y):
            axis.input.currentIndexChanged.connect(lambda _i, a=axis: self._input_changed(a))
            axis.start.editingFinished.connect(self._schedule)
            axis.stop.editingFinished.connect(self._schedule)
            axis.steps.valueChanged.connect(self._schedule)
        update_when_visible(binding, self, self._results_changed)
        self.theme: Theme = current_theme()
        self.recompute()
        follow_theme(self)

    def apply_theme(self, theme: Theme) -> None:
        """Restyle the heat map's frame, axes and colour bar, and the table's
        marked cells, for a theme (called live when it changes)."""
        self.theme = theme
        style_plot(self.plot_widget, theme)
        style_axis(self.colour_bar.axis, theme)
        self.contour.setPen(pg.mkPen(CONTOUR_COLOUR, width=CONTOUR_WIDTH * theme.pen_scale))
        if self.grid is not None:
            self._show_table(self.grid)

    # --- computing --------------------------------------------------------------------

    def _schedule(self, *_args) -> None:
        self._pending.start(0)

    def _input_changed(self, axis: AxisControls) -> None:
        axis.show_axis(default_axis(self.binding.scenario, axis.key))
        self._schedule()

    def _recentre_on_scenario(self) -> bool:
        """An axis whose range no longer holds the scenario's own value (an example
        opened, another scenario shown, the input taken past the grid's edge) is
        centred on it again, half to one and a half times it, as when first set
        up: the base case stays on the grid (it kept the last scenario's axes,
        its star off the map).  True if an axis moved."""
        moved = False
        for controls in (self.x, self.y):
            try:
                axis = controls.axis()
            except SolveError:
                continue                       # a typed bound being corrected: leave it
            value = numeric_input(controls.key).current(self.binding.scenario)
            if not min(axis.start, axis.stop) <= value <= max(axis.start, axis.stop):
                controls.show_axis(default_axis(self.binding.scenario, controls.key,
                                                axis.steps))
                moved = True
        return moved

    def follow_figure(self) -> None:
        """The figure changed side (View as): a down axis left at one side's
        default input (utilization for the buyer, availability for the
        provider) takes the new figure's, over its default range."""
        wanted = default_y(self.figure.currentData())
        if self.y.key in (DEFAULT_Y, DEFAULT_PROVIDER_Y) and self.y.key != wanted:
            index = self.y.input.findData(wanted)
            if index >= 0:
                self.y.input.setCurrentIndex(index)     # its range follows (_input_changed)

    def threshold_value(self) -> float | None:
        text = self.threshold.text().strip()
        if not text:
            return None
        return parse_number(text, percent_as_fraction=is_percent_figure(self.figure.currentData()))

    def _results_changed(self, _results) -> None:
        if self._recentre_on_scenario():
            self.recompute()
            return
        grid = self.grid
        if grid is not None and not grid.batched and grid.values.size > LIVE_CELL_LIMIT:
            self.status.setText(f"{figure_label(grid.figure)} is computed cell by cell "
                                f"({grid.cell_by_cell_because}): the grid is out of date; "
                                f"Recompute to bring it up to date.")
            self._say_style(WARNING_STYLE)
            return
        self.recompute(redraw=False)

    def recompute(self, redraw: bool = True) -> TwoWayGrid | None:
        """The grid for the scenario as it stands and the choices as they are.
        `redraw`: draw the heat map and table again even if no cell changed
        (Recompute does; a live update after an edit of one of the grid's own
        inputs moves only the base case).  Returns the grid, or None when it
        was refused or is being computed on the worker (shown when done)."""
        self._pending.stop()
        self._generation += 1
        try:
            try:
                threshold = self.threshold_value()
            except ValueError as error:
                raise SolveError(f"Contour at: {error}") from None
            x, y = self.x.axis(), self.y.axis()
        except SolveError as error:
            return self._refused(error)
        scenario, results, figure = self.binding.scenario, self.binding.results, \
            self.figure.currentData()
        spec = SweepSpec(figure, x, y, threshold)
        if x.steps * y.steps > LIVE_BATCHED_LIMIT and \
                path_engine_refusal(scenario, figure, [x.input, y.input]) is None:
            self._compute_on_worker(scenario, results, spec, redraw)
            return None
        grid, ms = self._compute(scenario, results, spec)
        return self._grid_computed(grid, (spec, redraw), self._generation, ms)

    @staticmethod
    def _compute(scenario, results, spec: SweepSpec) -> tuple[TwoWayGrid | SolveError, float]:
        """The grid (either thread: everything it reads is immutable) and its time."""
        start = time.perf_counter()
        try:
            grid: TwoWayGrid | SolveError = two_way(
                scenario, spec.figure, spec.x, spec.y, spec.threshold, results=results,
                max_cell_by_cell_s=CELL_BY_CELL_SECONDS)
        except SolveError as error:
            grid = error
        return grid, (time.perf_counter() - start) * 1000.0

    def _compute_on_worker(self, scenario, results, spec: SweepSpec, redraw: bool) -> None:
        generation = self._generation
        self.computing = True
        self.status.setText(f"{figure_label(spec.figure)}: computing {spec.x.steps} x "
                            f"{spec.y.steps} cells\u2026")

        def work() -> None:
            grid, ms = self._compute(scenario, results, spec)
            self._computed.emit(grid, (spec, redraw), generation, ms)
        self._worker.submit(work)

    def _grid_computed(self, grid, asked, generation: int, ms: float) -> TwoWayGrid | None:
        if generation != self._generation:
            return None   # asked for again since: the newer one is on its way
        self.computing = False
        if isinstance(grid, SolveError):
            return self._refused(grid)
        spec, redraw = asked
        self.last_ms = ms
        previous, self.grid = self.grid, grid
        self.shown_spec = spec
        self._show(grid, None if redraw else previous)
        return grid

    def _refused(self, error: SolveError) -> None:
        self.computing = False
        self.status.setText(str(error))
        self._say_style(ERROR_STYLE)
        return None

    # --- display ----------------------------------------------------------------------

    def _say_style(self, sheet: str) -> None:
        # Only when it changes: setting a style sheet, even the same one,
        # polishes the label again and repaints the controls around it.
        if self.status.styleSheet() != sheet:
            self.status.setStyleSheet(sheet)

    def _show(self, grid: TwoWayGrid, previous: TwoWayGrid | None = None) -> None:
        """The grid on screen; when no cell changed (the edit was of one of the
        grid's own inputs), only the base case moves."""
        rows, cols = grid.values.shape
        how = ("in one batched call" if grid.batched
               else f"cell by cell ({grid.cell_by_cell_because})")
        self.status.setText(f"{figure_label(grid.figure)}: {cols} x {rows} cells, {how}, "
                            f"{self.last_ms:.1f} ms. Base case: "
                            f"{format_figure(grid.figure, grid.base_figure)}"
                            + ("" if grid.base_inside else " (outside the grid)") + ".")
        self._say_style("" if grid.batched else WARNING_STYLE)
        if grid.same_cells(previous):
            self._show_base(grid)
            self.model.show_base(grid)
            return
        self._show_heat_map(grid)
        self._show_table(grid)

    def _show_base(self, grid: TwoWayGrid) -> None:
        self.base_marker.setData([grid.base_x], [grid.base_y])

    def _show_heat_map(self, grid: TwoWayGrid) -> None:
        values = grid.values
        finite = np.isfinite(values)
        dx = (grid.x[-1] - grid.x[0]) / max(len(grid.x) - 1, 1)
        dy = (grid.y[-1] - grid.y[0]) / max(len(grid.y) - 1, 1)
        rect = QRectF(grid.x[0] - dx / 2, grid.y[0] - dy / 2, dx * len(grid.x), dy * len(grid.y))
        if not finite.any():
            # Nothing defined: an empty map over the grid's own axes, the star where
            # the scenario is (it stayed on the last grid's), and the status says why.
            self.image.clear()
            self.contour.setData(None)
            self.plot.setRange(rect, padding=0)
            self._show_base(grid)
            base = ("" if np.isfinite(grid.base_figure) else
                    " and for the scenario itself (what it needs is not modelled)")
            self.status.setText(f"{figure_label(grid.figure)} is n/a in every cell of this "
                                f"grid{base}: choose another figure.")
            self._say_style(WARNING_STYLE)
            return
        lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
        self.image.setImage(values, autoLevels=False)
        levels = colour_levels(lo, hi, grid.threshold)
        if levels != tuple(self.colour_bar.levels()):
            self.colour_bar.setLevels(levels)      # the bar's axis is drawn again only now
        self.image.setRect(rect)
        if grid.threshold is None:
            self.contour.setData(None)
        else:
            # NaN cells (undefined figure) take the largest value: no false crossing.
            self.contour.setData(np.where(finite, values, hi), grid.threshold)
        self._show_base(grid)
        if self._axes_shown != (grid.x_input, grid.y_input):
            self._axes_shown = (grid.x_input, grid.y_input)
            for orientation, key in (("bottom", grid.x_input), ("left", grid.y_input)):
                self.plot.setAxisItems({orientation: _axis_item(key, orientation)})
                self.plot.setLabel(orientation, input_label(numeric_input(key)))
                style_axis(self.plot.getAxis(orientation), self.theme)
        if self._figure_shown != grid.figure:
            self._figure_shown = grid.figure
            self.colour_bar.axis.setLabel(figure_title(grid.figure))
            style_axis(self.colour_bar.axis, self.theme)
        if rect != self._rect_shown:      # a new range: show all of it; else keep the zoom
            self._rect_shown = rect
            self.plot.getViewBox().setRange(rect, padding=0)

    def _show_table(self, grid: TwoWayGrid) -> None:
        """Rows run from the highest y down, as on the heat map."""
        fill, ink = CROSSING_COLOURS.get(self.theme.key, CROSSING_COLOURS["light"])
        self.model.show_grid(grid, fill, ink)
        metrics, bold = self.table.fontMetrics(), QFontMetrics(self.model.bold)
        header = QFontMetrics(self.table.horizontalHeader().font())
        # Digits share one width, so a text is as wide as its digits written
        # as 0s: "-$1.25B" as "-$0.00B".  A grid has a handful of such
        # templates; each is measured once, not each of the 625 texts.
        template_width: dict[str, int] = {}
        for j, title in enumerate(self.model.columns):
            widest = 0
            for template in {row[j].translate(_DIGITS_AS_ZERO) for row in self.model.texts}:
                width = template_width.get(template)
                if width is None:
                    width = template_width[template] = bold.horizontalAdvance(template)
                widest = max(widest, width)
            width = max(widest, header.horizontalAdvance(title)) + 14
            if self.table.columnWidth(j) != width:
                self.table.setColumnWidth(j, width)
        width = max((metrics.horizontalAdvance(t) for t in self.model.rows), default=0) + 14
        if self.table.verticalHeader().width() != width:
            self.table.verticalHeader().setFixedWidth(width)

    def spec(self) -> SweepSpec | None:
        """The settings of the grid on screen (the last that computed), for the
        exports: the board pack draws this table; None before any did."""
        return self.shown_spec

    def cell_text(self, row: int, col: int) -> str:
        """The table's text for grid row `row` (y[row]) and column `col` (x[col])."""
        rows = self.model.rowCount()
        return self.model.texts[rows - 1 - row][col]

    def cell_data(self, row: int, col: int, role: Qt.ItemDataRole):
        """What the table shows for grid cell (row, col) in `role` (font, colours)."""
        rows = self.model.rowCount()
        return self.model.index(rows - 1 - row, col).data(role)
