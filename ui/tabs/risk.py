"""Risk tab: a tornado of one output against every input moved low / high, and
a Monte Carlo simulation over ranges of the uncertain inputs.

Both computations are core's (core/risk.py, core/monte_carlo.py) and run in
worker threads (ui/tabs/risk_worker.py), so the window never waits on them:
the GUI thread only starts a job and shows what its signal delivers.  Both
follow every settled edit while the tab is shown (a hidden tab catches up
when shown): the tornado is recomputed (one batched call, a few ms), and the
simulation is re-run as a preview of PREVIEW_PATHS paths, on screen within a
few frames, then refined to the full path count once the edits pause for
REFINE_MS.  A newer edit cancels whatever is in flight; the fan chart and
histogram update in place.

What an edit costs the GUI thread (issue 22): the edit's tornado and preview
are one job in one worker thread (the tornado first, a few ms), started once
the edit's own frame is painted (risk_worker.AfterPaint); their results come
back together and are drawn in one pass and painted in one frame, while no
worker computes.  (Two jobs in two threads came back a few ms apart, each
painted in frames of its own, and competed with the GUI thread for Python's
interpreter while it drew the first.)  A change of the tornado's own
controls runs the tornado alone, and of the simulation's, the simulation.
The texts set with each result (the plots' titles and notes, the run's
summary) lay out only the panel they are in, not the tab and the window
(ui.widgets.steady_label, SteadySplitter); a job cancelled by a newer edit stops at its
next check and its result is never shown.

The first show (issue 22): a tab built hidden, in idle time, computes its first
tornado and simulation then, draws them into its hidden plots and renders those
off screen, so that its first show paints the results in its own frame; a show
finds results of the scenario and settings in force kept, not run again.
"""
from __future__ import annotations

import dataclasses
import math

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFormLayout, QGroupBox,
                               QHBoxLayout, QHeaderView, QLabel, QProgressBar, QPushButton,
                               QScrollArea, QSpinBox, QSplitter, QStackedWidget, QStyle,
                               QStyledItemDelegate, QStyleOptionComboBox,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from core import figures
from core.formatting import format_percent
from core.monte_carlo import (DEFAULT_PATHS, DISTRIBUTIONS, FAN_PATHS, MARKET_KEY, MAX_PATHS,
                              SimulationSpec, Uncertainty, default_keys, default_uncertainty,
                              market_spread_pct, simulate, simulated_inputs, swing_keys,
                              with_market)
from core.summary import risk_statement
from core.path_engine import PATH_OUTPUTS
from core.risk import (DEFAULT_HIGH_PCT, DEFAULT_LOW_PCT, numeric_inputs,
                       output_label, output_names, tornado)
from ui.app.build_steps import BuiltInSteps
from ui.app.binding import ScenarioBinding
from ui.plots.common import SeriesPanel
from ui.plots.one_frame import paint_together
from ui.plots.risk_plots import FAN_SPEC, HISTOGRAM_SPEC, TORNADO_SPEC
from ui.tabs.cases_panel import CasesPanel
from ui.tabs.risk_worker import AfterPaint, HiddenRenders, JobRunner, after_idle_builds
from ui.tabs.solve_common import SIDE_GROUPS, add_heading, follow_side
from ui.look.themes import ERROR_STYLE
from ui.widgets.steady_label import SteadyLabel

# The fallback inputs (core.monte_carlo), which bench/run.py simulates.
from core.monte_carlo import DEFAULT_UNCERTAIN  # noqa: E402
DEFAULT_TORNADO_OUTPUT = "buyer_npv"
DEFAULT_SIMULATION_OUTPUT = "buyer_npv"
PREVIEW_PATHS = 2_000   # the live preview after each settled edit (about 10-15 ms of work)
REFINE_MS = 300         # the edits have paused this long: run the full path count


def _output_combo(names, default: str) -> QComboBox:
    """The outputs under their side's heading (buyer, provider, both sides), by
    the labels of core.figures, with each definition as its tooltip."""
    combo = QComboBox()
    names = list(names)
    for side, title in SIDE_GROUPS:
        grouped = [n for n in names if figures.output(n).side == side]
        if not grouped:
            continue
        add_heading(combo, title)
        for name in grouped:
            combo.addItem(output_label(name), name)
            combo.setItemData(combo.count() - 1, figures.output(name).definition,
                              Qt.ItemDataRole.ToolTipRole)
    index = combo.findData(default)
    combo.setCurrentIndex(index if index >= 0 else 1)   # 0 is a heading
    return combo


class TornadoControls(QGroupBox):
    """The output and each input's low / high move, in percent of its base value."""
    COLUMNS = ("Input", "Low %", "High %")

    def __init__(self, scenario, parent=None):
        super().__init__("Tornado", parent)
        self.output = _output_combo(output_names(), DEFAULT_TORNADO_OUTPUT)
        self.inputs = numeric_inputs(scenario)
        self.table = QTableWidget(len(self.inputs), 3)
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(220)
        for row, ref in enumerate(self.inputs):
            item = QTableWidgetItem(ref.label)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            item.setToolTip(f"{ref.label} ({ref.unit})" if ref.unit else ref.label)
            self.table.setItem(row, 0, item)
            self.table.setItem(row, 1, QTableWidgetItem(f"{DEFAULT_LOW_PCT:g}"))
            self.table.setItem(row, 2, QTableWidgetItem(f"{DEFAULT_HIGH_PCT:g}"))
        self.reset_button = QPushButton("Reset all to \u221220% / +20%")
        self.reset_button.clicked.connect(self.reset)
        # A cell that is not a number is refused: it returns to its last value
        # and this line says why (it never counts silently as the default).
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self._accepted = {(row, col): self.table.item(row, col).text()
                          for row in range(len(self.inputs)) for col in (1, 2)}
        self._moves: dict[str, tuple[float, float]] | None = None   # read once a change
        self.table.itemChanged.connect(self._check_cell)
        form = QFormLayout()
        form.addRow("Output", self.output)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignLeft)

    def _check_cell(self, item: QTableWidgetItem) -> None:
        self._moves = None
        row, col = item.row(), item.column()
        if col not in (1, 2):
            return
        text = item.text().strip()
        try:
            value = float(text.replace(",", "").replace("\u2212", "-").rstrip("%"))
            ok = math.isfinite(value)
        except ValueError:
            ok = False
        if ok:
            self._accepted[(row, col)] = text
            self.message.hide()
            return
        previous = self._accepted.get((row, col), "")
        self.table.blockSignals(True)
        item.setText(previous)
        self.table.blockSignals(False)
        self.message.setText(f"{self.inputs[row].label}, {self.COLUMNS[col]}: {text!r} is "
                             f"not a number (a percent such as -20 or 15); kept {previous}.")
        self.message.show()

    def moves(self) -> dict[str, tuple[float, float]]:
        """Each input's (low %, high %); a cell that is not a number counts as the
        default.  Read from the table once after each change of it (every edit
        of the scenario asks)."""
        if self._moves is None:
            self._moves = {ref.key: (_number(self.table.item(row, 1), DEFAULT_LOW_PCT),
                                     _number(self.table.item(row, 2), DEFAULT_HIGH_PCT))
                           for row, ref in enumerate(self.inputs)}
        return dict(self._moves)

    def reset(self) -> None:
        self._moves = None
        self.table.blockSignals(True)
        for row in range(len(self.inputs)):
            self.table.item(row, 1).setText(f"{DEFAULT_LOW_PCT:g}")
            self.table.item(row, 2).setText(f"{DEFAULT_HIGH_PCT:g}")
            self._accepted[(row, 1)] = f"{DEFAULT_LOW_PCT:g}"
            self._accepted[(row, 2)] = f"{DEFAULT_HIGH_PCT:g}"
        self.table.blockSignals(False)
        self.message.hide()
        self.table.itemChanged.emit(self.table.item(0, 1))


def _number(item: QTableWidgetItem | None, default: float) -> float:
    try:
        value = float(item.text().replace(",", "").replace("\u2212", "-"))
    except (AttributeError, ValueError):
        return default
    return value if math.isfinite(value) else default


def _cell_text(value: float) -> str:
    """1,000,000,000 rather than 1e+09; 6.224 as it is."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.6g}"


# What market_spread_pct reads besides the market row's own value.
MARKET_SPREAD_SECTIONS = frozenset({"contract", "market"})

DISTRIBUTION_TIP = ("Triangular: low / most likely / high. Uniform: low to high. "
                    "Normal: mean = most likely, low and high its P5 and P95.")


class DistributionDelegate(QStyledItemDelegate):
    """A row's distribution chosen in a combo that exists only while its cell
    is edited; the choice is written to the cell as soon as it is made."""

    def createEditor(self, parent, option, index):   # noqa: N802 (Qt's name)
        combo = QComboBox(parent)
        combo.addItems(list(DISTRIBUTIONS))
        combo.setToolTip(DISTRIBUTION_TIP)
        combo.activated.connect(lambda _i, c=combo: self._chosen(c))
        return combo

    def paint(self, painter, option, index) -> None:
        """The cell drawn as a closed combo box (its frame, text and arrow), so
        the choice reads as one to make, as the combo per row did."""
        box = QStyleOptionComboBox()
        box.initFrom(option.widget)
        box.rect = option.rect.adjusted(1, 1, -1, -1)
        box.currentText = index.data() or ""
        box.editable = False
        style = option.widget.style()
        style.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, box, painter, option.widget)
        style.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, box, painter, option.widget)

    def _chosen(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo)

    def setEditorData(self, editor, index) -> None:   # noqa: N802 (Qt's name)
        editor.setCurrentText(index.data())

    def setModelData(self, editor, model, index) -> None:   # noqa: N802 (Qt's name)
        if index.data() != editor.currentText():
            model.setData(index, editor.currentText())


class UncertaintyTable(QTableWidget):
    """Which inputs vary in the simulation, and how.  A row the user has not
    edited follows the scenario: low / most likely / high = -20% / base / +20%."""
    COLUMNS = ("Vary", "Input", "Distribution", "Low", "Most likely", "High")

    def __init__(self, scenario, parent=None, output: str = "buyer_npv"):
        self.inputs = simulated_inputs(scenario)
        # Ticked at first: the inputs that move the outcome most (its tornado's
        # largest swings), until the user ticks or unticks one.
        ticked = default_keys(scenario, output)
        self.ticks_edited = False
        self._ticked = frozenset(ticked)     # the keys the boxes were last ticked for
        super().__init__(len(self.inputs), len(self.COLUMNS), parent)
        self.setHorizontalHeaderLabels(self.COLUMNS)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        # Room for the inputs' names; wide numbers scroll sideways rather than squeeze them.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((40, 200, 105, 110, 110, 110)):
            self.setColumnWidth(column, width)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setMinimumHeight(240)
        self.edited: set[str] = set()
        self._followed: dict[str, object] = {}    # what each row's shown default was made from
        # The scenario's sections the rows were last followed from (none yet).
        self._sections_read = sorted({ref.section for ref in self.inputs} | MARKET_SPREAD_SECTIONS)
        self._sections_followed: dict[str, object] = {}
        self._uncertainties: tuple[Uncertainty, ...] | None = None   # read once a change
        # Each row's reading (None: unticked), dropped when that row's cells
        # change: an edit rewrites one or two followed rows, and reading all 32
        # rows' cells again cost ~0.5 ms an edit (issue 22).
        self._row_read: dict[int, Uncertainty | None] = {}
        # Each row's distribution is its cell's text, edited in a combo made only
        # while the cell is edited (DistributionDelegate): a combo per row cost
        # 32 widgets built in one idle step and painted at the first show (issue 22).
        self.setItemDelegateForColumn(2, DistributionDelegate(self))
        self.clicked.connect(self._open_distribution)
        self.blockSignals(True)
        for row, ref in enumerate(self.inputs):
            vary = QTableWidgetItem()
            vary.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            vary.setCheckState(Qt.CheckState.Checked if ref.key in ticked
                               else Qt.CheckState.Unchecked)
            self.setItem(row, 0, vary)
            name = QTableWidgetItem(f"{ref.label} ({ref.unit})" if ref.unit else ref.label)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.setItem(row, 1, name)
            distribution = QTableWidgetItem(DISTRIBUTIONS[0])
            distribution.setToolTip(DISTRIBUTION_TIP)
            self.setItem(row, 2, distribution)
            for column in (3, 4, 5):
                self.setItem(row, column, QTableWidgetItem())
        self.blockSignals(False)
        self.follow(scenario)
        self.itemChanged.connect(self._item_changed)

    def _open_distribution(self, index) -> None:
        """One click on a distribution opens its choices (as the combo did)."""
        if index.column() == 2:
            self.edit(index)

    def distribution(self, row: int) -> str:
        return self.item(row, 2).text()

    def _item_changed(self, item: QTableWidgetItem) -> None:
        self._uncertainties = None
        self._row_read.pop(item.row(), None)
        if item.column() >= 2:     # a distribution or a number: the user's from now on
            self.edited.add(self.inputs[item.row()].key)
        elif item.column() == 0:
            self.ticks_edited = True

    def tick(self, keys) -> bool:
        """Tick exactly `keys` (the default inputs), unless the user has chosen
        what varies; returns whether any tick changed."""
        if self.ticks_edited:
            return False
        keys = frozenset(keys)
        if keys == self._ticked:
            return False      # what the boxes show (each edit's tornado asks again)
        self._ticked = keys
        changed = False
        self.blockSignals(True)
        for row, ref in enumerate(self.inputs):
            state = Qt.CheckState.Checked if ref.key in keys else Qt.CheckState.Unchecked
            if self.item(row, 0).checkState() != state:
                self.item(row, 0).setCheckState(state)
                self._row_read.pop(row, None)
                changed = True
        self.blockSignals(False)
        if changed:
            self._uncertainties = None     # the next simulation reads the new ticks
            self.viewport().update()
        return changed

    def follow(self, scenario) -> None:
        """Rows the user has not edited take -20% / base / +20% of the scenario's
        value (only rows whose value changed are written again: an edit changes
        one or two)."""
        # A scenario's sections are immutable, and an edit replaces only the
        # section it changes: rows of a section that is the one last followed
        # (and the market's row, whose spread reads the contract's term too)
        # show its values already, and are not read again (issue 22).
        last = self._sections_followed
        changed = {section for section in last if getattr(scenario, section) is not last[section]}
        self._sections_followed = {section: getattr(scenario, section)
                                   for section in self._sections_read}
        self.blockSignals(True)
        for row, ref in enumerate(self.inputs):
            if ref.key in self.edited:
                continue
            if last and ref.section not in changed and not (
                    ref.key == MARKET_KEY and changed & MARKET_SPREAD_SECTIONS):
                continue
            value = ref.value_in(scenario)
            # What the row's default reads: its value, and for the market's
            # rent change the spread from the rent's volatility and the term.
            followed = ((value, market_spread_pct(scenario)) if ref.key == MARKET_KEY
                        else value)
            if self._followed.get(ref.key, math.nan) == followed:
                continue
            self._followed[ref.key] = followed
            self._uncertainties = None
            self._row_read.pop(row, None)
            u = default_uncertainty(ref, value, scenario)
            for column, shown in zip((3, 4, 5), (u.low, u.most_likely, u.high)):
                self.item(row, column).setText(_cell_text(shown))
        self.blockSignals(False)

    def set_varied(self, key: str, on: bool) -> None:
        row = [r.key for r in self.inputs].index(key)
        self.item(row, 0).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def uncertainties(self) -> tuple[Uncertainty, ...]:
        """The checked rows; raises ValueError naming a cell that is not a number.
        Read from the table once after each change of it."""
        if self._uncertainties is None:
            self._uncertainties = self._read_uncertainties()
        return self._uncertainties

    def _read_uncertainties(self) -> tuple[Uncertainty, ...]:
        out = []
        for row in range(len(self.inputs)):
            if row not in self._row_read:
                self._row_read[row] = self._read_row(row)   # raises: not kept
            read = self._row_read[row]
            if read is not None:
                out.append(read)
        return tuple(out)

    def _read_row(self, row: int) -> Uncertainty | None:
        """The row's uncertainty from its cells, None if it is not ticked."""
        ref = self.inputs[row]
        if self.item(row, 0).checkState() != Qt.CheckState.Checked:
            return None
        numbers = []
        for column in (3, 4, 5):
            text = self.item(row, column).text()
            try:
                numbers.append(float(text.replace(",", "").replace("\u2212", "-")))
            except ValueError:
                raise ValueError(f"{ref.label}: {self.COLUMNS[column].lower()} "
                                 f"'{text}' is not a number") from None
        return Uncertainty(ref.key, self.distribution(row), *numbers)


class SteadySplitter(QSplitter):
    """A splitter of the results side that lays out again only when one of its
    widgets asks for other room (issue 22).  A plot's title or note set with
    each result lays the plot out, and the plot then asks its splitter, which
    asked the tab, the tab widget and the window to lay out again, at every
    edit, although no size had changed.  A splitter's layout reads its
    widgets' size hints, limits, policies and visibility alone: when none of
    these changed since it last laid out, the request is dropped."""

    def __init__(self, orientation, parent=None):
        super().__init__(orientation, parent)
        self._room_seen: tuple | None = None

    def _room(self) -> tuple:
        out = []
        for i in range(self.count()):
            w = self.widget(i)
            policy = w.sizePolicy()
            out.append((w.isHidden(), w.sizeHint().toTuple(), w.minimumSizeHint().toTuple(),
                        w.minimumSize().toTuple(), w.maximumSize().toTuple(),
                        policy.horizontalPolicy(), policy.verticalPolicy()))
        return tuple(out)

    def event(self, event) -> bool:   # noqa: D401 (Qt's name)
        if event.type() == QEvent.Type.LayoutRequest:
            room = self._room()
            if room == self._room_seen:
                return True
            self._room_seen = room
        return super().event(event)


class SummaryLabel(SteadyLabel):
    """The run's summary, a SteadyLabel that knows when a new text cannot need
    other room: each preview's sentences are the last one's with other
    figures, and words as wide as the last text's, in the same order, at the
    same width and font, wrap into the same lines.  Measuring the words (a
    few microseconds each) then replaces laying the whole text out at the
    label's width (heightForWidth, about 0.3 ms of each edit, issue 22)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._measured: tuple | None = None    # (width, font, word widths) last laid out

    def _ask_if_needed(self) -> None:
        label = self.label
        metrics = QFontMetricsF(label.font())
        measured = (self.width(), label.font().key(),
                    tuple(metrics.horizontalAdvance(word) for word in label.text().split(" ")))
        if measured == self._measured:
            return
        self._measured = measured
        super()._ask_if_needed()

    def resizeEvent(self, event) -> None:   # noqa: N802
        super().resizeEvent(event)
        self._measured = None

    def changeEvent(self, event) -> None:   # noqa: N802
        super().changeEvent(event)
        self._measured = None


class SimulationControls(QGroupBox):
    def __init__(self, scenario, parent=None):
        super().__init__("Monte Carlo simulation", parent)
        self.output = _output_combo(PATH_OUTPUTS, DEFAULT_SIMULATION_OUTPUT)
        self.table = UncertaintyTable(scenario)
        self.paths = QSpinBox()
        self.paths.setRange(100, MAX_PATHS)
        self.paths.setSingleStep(1000)
        self.paths.setGroupSeparatorShown(True)
        self.paths.setValue(DEFAULT_PATHS)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2_147_483_647)
        self.seed.setValue(1)
        self.seed.setToolTip("The same seed and inputs give the same result.")
        self.termination = QCheckBox("Termination as a random event (monthly chances from "
                                     "Contract terms)")
        self.termination.setChecked(True)
        self.run_button = QPushButton("Run simulation")
        # It reads "Restart" while a run is under way (each edit starts one):
        # a fixed size for the longer text, so that the row is not laid out
        # again twice an edit.
        self.run_button.setFixedSize(
            max(self.run_button.fontMetrics().horizontalAdvance(text)
                for text in ("Restart", "Run simulation")) + 32,
            self.run_button.sizeHint().height())
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        # Each edit's preview sets the summary (and a run's end the status): as
        # SteadyLabels, a new text lays out the tab only when it needs another
        # height (a QLabel's re-laid the column, the tab and the window).
        self.status = SteadyLabel(" ", wrap=True)
        self.summary = SummaryLabel(" ", wrap=True)
        self.summary.label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        # Two lines kept for each, the most they take at the usual width: a
        # preview's one-line status and the full run's two lines then do not
        # move the controls below up and down.
        for holder in (self.status, self.summary):
            label = holder.label
            holder.setMinimumHeight(2 * label.fontMetrics().lineSpacing()
                                    + 2 * label.margin() + 4)

        form = QFormLayout()
        form.addRow("Outcome", self.output)
        form.addRow("Paths", self.paths)
        form.addRow("Seed", self.seed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Uncertain inputs (tick to vary):"))
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.termination)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.summary)

    def spec(self) -> SimulationSpec:
        return SimulationSpec(uncertainties=self.table.uncertainties(),
                              output=self.output.currentData(), paths=self.paths.value(),
                              seed=self.seed.value(), termination=self.termination.isChecked())


class RiskTab(BuiltInSteps, QSplitter):
    def __init__(self, binding: ScenarioBinding, parent=None, *, later: bool = False):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.start_build(self._build(binding), later)   # ui/app/build_steps.py

    def _build(self, binding: ScenarioBinding):
        self.binding = binding
        self.tornado_controls = TornadoControls(binding.scenario)
        yield
        self.simulation_controls = SimulationControls(binding.scenario)
        yield
        column = QWidget()
        column_layout = QVBoxLayout(column)
        column_layout.setContentsMargins(6, 6, 6, 6)
        column_layout.addWidget(self.tornado_controls, 1)
        column_layout.addWidget(self.simulation_controls, 2)
        self.cases = CasesPanel(binding)
        column_layout.addWidget(self.cases, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(column)
        scroll.setMinimumWidth(520)

        yield
        self.tornado_plot = SeriesPanel(TORNADO_SPEC)
        yield
        self.fan_chart = SeriesPanel(FAN_SPEC)
        yield
        self.histogram = SeriesPanel(HISTOGRAM_SPEC)
        yield
        lower = SteadySplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.fan_chart)
        lower.addWidget(self.histogram)
        lower.setSizes([560, 440])
        # Before the first run: a plain invitation with its own Run button, not
        # two plots with axes over nothing.
        self.empty_state = QWidget()
        empty_layout = QVBoxLayout(self.empty_state)
        empty_layout.addStretch(1)
        self.empty_note = QLabel("No simulation yet. It runs when this tab is shown and again "
                                 "after every edit; tick the uncertain inputs on the left to "
                                 "choose what varies.")
        self.empty_note.setWordWrap(True)
        self.empty_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_run_button = QPushButton("&Run simulation")
        empty_layout.addWidget(self.empty_note)
        empty_layout.addWidget(self.empty_run_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(1)
        self.simulation_views = QStackedWidget()
        self.simulation_views.addWidget(self.empty_state)
        self.simulation_views.addWidget(lower)
        # The results side: shown here, or lent to presentation mode (presentation_view).
        self.results_side = plots = SteadySplitter(Qt.Orientation.Vertical)
        plots.addWidget(self.tornado_plot)
        plots.addWidget(self.simulation_views)
        # Tornado and simulation share the height: on a 720-pixel screen the fan
        # chart and histogram were left a sliver.
        plots.setStretchFactor(0, 1)
        plots.setStretchFactor(1, 1)
        plots.setSizes([500, 500])
        self.addWidget(scroll)
        self.addWidget(plots)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setSizes([500, 1100])

        plots.installEventFilter(self)
        self.tornado_runner = JobRunner(self)
        self.tornado_runner.finished.connect(self._tornado_landed)
        self.tornado_runner.failed.connect(self.tornado_plot.note.setText)
        self.tornado_result = None       # the tornado shown
        self._tornado_stale = True
        # The tornado computed in the simulation's job (an edit's), until shown.
        self._riding_tornado: dict | None = None
        self._after_paint = AfterPaint(self)

        self.simulation_runner = JobRunner(self)
        self.simulation_runner.progressed.connect(self._progressed)
        self.simulation_runner.finished.connect(self._show_simulation)
        self.simulation_runner.failed.connect(self._simulation_failed)
        self.simulation_runner.running_changed.connect(self._running_changed)
        self.simulation_result = None      # the newest result shown, preview or full
        # The scenario the shown result was simulated on (exports use it only if current).
        self.simulated_scenario = None
        self._running_scenario = None
        self._statements: dict[int, object] = {}   # id(result) -> its RiskStatement
        self._simulation_stale = True
        self._running_preview = False
        self._refine = QTimer(self)
        self._refine.setSingleShot(True)
        self._refine.timeout.connect(self._run_full_count)

        c = self.simulation_controls
        c.run_button.clicked.connect(self.run_simulation)
        self.empty_run_button.clicked.connect(self.run_simulation)
        c.cancel_button.clicked.connect(self.cancel_simulation)
        self.tornado_controls.output.currentIndexChanged.connect(lambda _i: self._tornado_due())
        self.tornado_controls.table.itemChanged.connect(lambda _i: self._tornado_due())
        # The simulation's own choices re-run it live too (paths and seed: on Run).
        c.output.currentIndexChanged.connect(lambda _i: self._simulation_due())
        c.termination.toggled.connect(lambda _on: self._simulation_due())
        c.table.itemChanged.connect(lambda _i: self._simulation_due())
        binding.results_changed.connect(lambda _r: self._results_changed())
        binding.scenario_changed.connect(self._scenario_changed)
        # The first results, prepared while the tab is hidden (issue 22).
        self._tornado_shown_for: tuple | None = None   # (scenario, output, moves) of the tornado shown
        self._hidden_renders = HiddenRenders(self, lambda: [panel.plot_widget for panel in (
            self.tornado_plot, self.fan_chart, self.histogram)], self.results_side.isVisible)
        self.simulation_runner.finished.connect(self._hidden_renders.render_if_hidden)
        self.tornado_runner.finished.connect(self._hidden_renders.render_if_hidden)
        self._first_results_due = True
        # Whether the results side has been shown (on the tab or lent to
        # presentation mode) or a run asked for (Run; presentation mode): until
        # then its results are the ones prepared hidden, which the board pack
        # does not take as the user's run.
        self.results_used = False
        after_idle_builds(self, self._prepare_first_results)

    # --- the first show: its results ready before it -----------------------------------

    def _prepare_first_results(self) -> None:
        """Built hidden (in idle time, after the window's first paint), once the
        window's idle builds are done: the first
        tornado and preview are computed now, in the worker, drawn into the
        hidden plots and rendered off screen there (HiddenRenders), so a
        first show paints the results in its own frame: no empty plots painted
        and then painted again with the results, each axis drawn twice
        (issue 22: 60-110 ms of the GUI thread from the click to the results).
        Not when the tab is shown meanwhile: the show runs them."""
        self._first_results_due = False
        if self.results_side.isVisible() or self.simulation_result is not None \
                or self.simulation_runner.running:
            return
        self._catch_up()

    @property
    def preparing_first_results(self) -> bool:
        """Hidden and its first results not yet computed, refined and rendered
        (bench/run.py waits for them, as for the window's idle builds)."""
        return not self.results_side.isVisible() and (
            self._first_results_due or self.simulation_runner.running
            or self.tornado_runner.running or self._refine.isActive()
            or self._after_paint.pending("edit") or self._hidden_renders.pending)

    def _keep_current_results(self) -> None:
        """Shown again (or for the first time) after edits made elsewhere: a
        tornado or simulation shown of the scenario and settings in force now
        (the edits came back to them, or none reached this tab's inputs) is not
        run again."""
        scenario = self.binding.scenario
        if self._tornado_stale and self._tornado_shown_for is not None \
                and self._tornado_shown_for == (scenario,
                                                self.tornado_controls.output.currentData(),
                                                self.tornado_controls.moves()):
            self._tornado_stale = False
        shown = self.simulation_result
        if not self._simulation_stale or shown is None or self.simulation_runner.running \
                or self.simulated_scenario != scenario:
            return
        try:
            spec = self.simulation_controls.spec()
        except ValueError:
            return           # the run refuses it: _run_stale_jobs says why
        if shown.spec == dataclasses.replace(spec, paths=shown.spec.paths) \
                and shown.spec.paths in (spec.paths, min(spec.paths, PREVIEW_PATHS)):
            self._simulation_stale = False
            if shown.spec.paths < spec.paths:
                self._running_preview = True
                self._refine.start(REFINE_MS)     # a preview shown: refined as after an edit

    def _results_changed(self) -> None:
        """An edit: the tornado and the preview, as one job once the frame under
        way is painted."""
        self._tornado_stale = self._simulation_stale = True
        if self.results_side.isVisible():
            self._after_paint.call("edit", self._run_stale_jobs_if_shown)
        else:
            # A hidden preview waiting to be refined is stale now: refined, it
            # would run the new scenario with the old ranges (the table follows
            # the scenario when shown), a run the first show throws away.
            self._refine.stop()

    def _run_stale_jobs_if_shown(self) -> None:
        if self.results_side.isVisible():
            self._run_stale_jobs()

    def _run_stale_jobs(self) -> None:
        """What went stale: the preview, with the tornado in the same job if that
        is stale too; or the tornado alone."""
        if not self._simulation_stale:
            if self._tornado_stale:
                self.refresh_tornado()
            return
        self._simulation_stale = False
        spec = self._spec()
        if spec is None:
            if self._tornado_stale:
                self.refresh_tornado()
            return
        preview = spec.paths > PREVIEW_PATHS
        if preview:
            spec = dataclasses.replace(spec, paths=PREVIEW_PATHS)
        tornado_job = None
        if self._tornado_stale:
            self._tornado_stale = False
            tornado_job = (self.binding.scenario, self.tornado_controls.output.currentData(),
                           self.tornado_controls.moves())
            self.tornado_runner.cancel()      # a tornado in flight is of an older scenario
        self._start_simulation(spec, preview, tornado_job)

    # --- tornado: recomputed while the tab is shown ------------------------------

    def _tornado_due(self) -> None:
        """Recompute when shown, once the frame under way is painted."""
        self._tornado_stale = True
        if self.results_side.isVisible():
            self._after_paint.call("tornado", self._refresh_stale_tornado)

    def _refresh_stale_tornado(self) -> None:
        if self._tornado_stale and self.results_side.isVisible():
            self.refresh_tornado()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # The rows are current in the frame that shows them; the jobs start once
        # it is painted: their results, drawn in the same frame as the tab,
        # doubled a first show (issue 22).
        self.simulation_controls.table.follow(self.binding.scenario)
        self._after_paint.call("edit", self._catch_up_if_shown)

    def _catch_up_if_shown(self) -> None:
        if self.results_side.isVisible():
            self._catch_up()

    def _catch_up(self) -> None:
        """The results side is being shown: what went stale meanwhile runs now,
        from the uncertain inputs' rows as the scenario now has them."""
        self.simulation_controls.table.follow(self.binding.scenario)
        self._keep_current_results()
        self._run_stale_jobs()

    def presentation_view(self) -> QWidget:
        """The results side, lent to presentation mode (ui.registry.LendsResults):
        the plots follow edits while they are shown there too."""
        if self._tornado_stale:
            self.refresh_tornado()
        return self.results_side

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        if watched is self.results_side and event.type() == QEvent.Type.Show:
            self.results_used = True
        # Shown in presentation mode (the tab itself is not): catch up as on showEvent.
        if watched is self.results_side and event.type() == QEvent.Type.Show \
                and not self.isVisible():
            self._catch_up()
        return super().eventFilter(watched, event)

    def refresh_tornado(self) -> None:
        self._tornado_stale = False
        scenario = self.binding.scenario
        output = self.tornado_controls.output.currentData()
        moves = self.tornado_controls.moves()
        self.tornado_runner.start(lambda _p, _c: tornado(scenario, output, moves))

    def _tornado_landed(self, result) -> None:
        self._show_tornado(result)

    def _show_riding_tornado(self) -> None:
        """The tornado computed in the simulation's job, if that job had one."""
        riding, self._riding_tornado = self._riding_tornado, None
        if not riding:
            return
        if "result" in riding:
            self._show_tornado(riding["result"], riding.get("swing_keys"), riding.get("inputs"))
        elif "error" in riding:
            self.tornado_plot.note.setText(riding["error"])

    def _show_tornado(self, result, keys: tuple[str, ...] | None = None,
                      inputs: tuple | None = None) -> None:
        """`keys`: swing_keys of the result, when the worker computed them;
        `inputs`: the (scenario, output, moves) it was computed for, if known."""
        self.tornado_result = result
        self._tornado_shown_for = inputs
        self.tornado_plot.show_source(result)
        # The simulation varies what moves its outcome most: this tornado's
        # largest swings and the market (as default_keys), when it is of the
        # same figure and the user has not chosen the inputs.
        c = self.simulation_controls
        if result.output == c.output.currentData():
            if keys is None:
                keys = swing_keys(self.binding.scenario, result)
            if keys and c.table.tick(with_market(keys)):
                self._simulation_due()

    # --- Monte Carlo ---------------------------------------------------------------

    def _simulation_due(self) -> None:
        """Preview when shown, once the frame under way is painted."""
        self._simulation_stale = True
        if self.results_side.isVisible():
            self._after_paint.call("simulation", self._preview_stale_simulation)

    def _preview_stale_simulation(self) -> None:
        if self._simulation_stale and self.results_side.isVisible():
            self.preview_simulation()

    def preview_simulation(self) -> None:
        """The live run after an edit: PREVIEW_PATHS paths now, the full count
        when the edits pause (a spec of no more paths than that runs in full)."""
        self._simulation_stale = False
        spec = self._spec()
        if spec is None:
            return
        if spec.paths <= PREVIEW_PATHS:
            self._start_simulation(spec, preview=False)
        else:
            self._start_simulation(dataclasses.replace(spec, paths=PREVIEW_PATHS), preview=True)

    def run_simulation(self) -> None:
        """The full path count, now, asked for (Run; presentation mode)."""
        self.results_used = True
        self._run_full_count()

    def _run_full_count(self) -> None:
        """The full path count, now (asked for, or the edits have paused)."""
        spec = self._spec()
        if spec is not None:
            c = self.simulation_controls
            c.status.setStyleSheet("")
            c.status.setText(f"Running {spec.paths:,} paths\u2026")
            c.progress.setValue(0)
            self._start_simulation(spec, preview=False)

    def _spec(self) -> SimulationSpec | None:
        try:
            return self.simulation_controls.spec()
        except ValueError as error:
            self._refine.stop()
            self.simulation_runner.cancel()
            self._simulation_failed(str(error))
            return None

    def _start_simulation(self, spec: SimulationSpec, preview: bool,
                          tornado_job: tuple | None = None) -> None:
        """The GUI thread only hands the job over: core runs in the worker thread
        and its result comes back through the runner's signal.  With
        `tornado_job` (scenario, output, moves), the same job computes that
        tornado first; it is shown with the simulation's result."""
        self._refine.stop()
        self._running_preview = preview
        scenario = self.binding.scenario
        self._running_scenario = scenario
        riding: dict | None = {} if tornado_job is not None else None
        self._riding_tornado = riding
        statements = self._statements

        def work(progress, cancelled):
            if tornado_job is not None:
                try:
                    riding["result"] = swung = tornado(*tornado_job)
                    riding["inputs"] = tornado_job
                    # The simulation's default inputs from it, here rather than
                    # on the GUI thread when shown (a millisecond of each edit).
                    riding["swing_keys"] = swing_keys(tornado_job[0], swung)
                except ValueError as error:        # core's refusal, for the user
                    riding["error"] = str(error)
            # A preview's progress is not shown (_progressed): not sent either,
            # each a call into the GUI thread while the worker computes.
            result = simulate(scenario, spec, None if preview else progress, cancelled)
            if result is not None and not cancelled():   # a cancelled one is dropped
                # Its wording too, off the GUI thread (a path run).
                statements[id(result)] = risk_statement(scenario, result)
            return result

        self.simulation_runner.start(work)

    def cancel_simulation(self) -> None:
        self._refine.stop()
        riding = self._riding_tornado
        self.simulation_runner.cancel()
        if riding is not None:
            # The tornado rode with the cancelled job: shown if it was computed,
            # else run on its own.
            if riding:
                self._show_riding_tornado()
            else:
                self._riding_tornado = None
                self._tornado_stale = True
                if self.results_side.isVisible():
                    self.refresh_tornado()
        self.simulation_controls.status.setText("Cancelled.")

    def _scenario_changed(self, scenario) -> None:
        # A hidden tab's table follows when it is next shown (_catch_up): an
        # edit on another tab pays nothing here.  (Its results side alone may be
        # shown, in presentation mode: its simulations read the table.)
        if self.isVisible() or self.results_side.isVisible():
            self.simulation_controls.table.follow(scenario)

    def _running_changed(self, running: bool) -> None:
        # A live preview takes a few frames: not a run to wait on or cancel.
        # Its Cancel and Restart would blink at every edit.
        if running and self._running_preview:
            return
        c = self.simulation_controls
        c.cancel_button.setEnabled(running)
        c.run_button.setText("Restart" if running else "Run simulation")

    def _progressed(self, fraction: float) -> None:
        # A preview is over within a few frames: its progress is not shown (each
        # step would be one more paint of the bar while the edit's results land).
        if not self._running_preview:
            self.simulation_controls.progress.setValue(round(fraction * 100))

    def _simulation_failed(self, message: str) -> None:
        self._show_riding_tornado()     # computed before the simulation failed
        c = self.simulation_controls
        c.status.setStyleSheet(ERROR_STYLE)
        c.status.setText(f"Not run: {message}")

    def _show_simulation(self, result) -> None:
        self.simulation_result = result
        self.simulated_scenario = self._running_scenario
        self.simulation_views.setCurrentIndex(1)   # the plots, once there is a result
        # The tornado computed in this job and the simulation, in one paint.
        # Qt's graphics scene, when it hands an item's change to its views,
        # also runs the window's pending paint there and then: each plot's
        # scene, in a pass of the event loop of its own, painted the window
        # again.  So the scenes' changes are delivered here, with the updates
        # of the plots and of their titles and notes off: the window's paint
        # that delivery runs holds none of them (a note set with its updates on,
        # even after the delivery, was painted in two frames).  Turned on again,
        # each is painted whole, in one frame with the labels below, set after
        # (issue 22).  Only what a result changes is held: holding the whole
        # results side repainted every widget under it at every result (the
        # tab's pane and the window's background across the side, the
        # splitters' handles, the read-outs, the titles that stay).
        riding = self._riding_tornado
        shown = ((self.tornado_plot, riding.get("result")),) if riding else ()
        shown += ((self.fan_chart, result), (self.histogram, result))
        views = [panel.plot_widget for panel, _source in shown]
        # The labels whose text changes (a title or note set to the text it has
        # is not painted again; a tornado that failed changes its note).
        held = [label for panel, source in shown
                for label in (panel.labels_changed_by(source) if source is not None
                              else [panel.note])]
        for widget in held:
            widget.setUpdatesEnabled(False)
        try:
            self._show_riding_tornado()
            self.fan_chart.show_source(result)
            self.histogram.show_source(result)
            paint_together(views)
        finally:
            for widget in held:
                widget.setUpdatesEnabled(True)
        self._show_run_text(result)

    def _show_run_text(self, result) -> None:
        """The status line and the summary of a run shown."""
        c = self.simulation_controls
        if c.status.styleSheet():      # setting it, even to the same, restyles the label
            c.status.setStyleSheet("")
        spec = result.spec
        if self._running_preview:
            full = c.paths.value()
            c.status.setText(f"Preview: {spec.paths:,} paths, seed {spec.seed}; the full "
                             f"{full:,} follow when the edits pause.")
            self._refine.start(REFINE_MS)
        else:
            c.progress.setValue(100)
            fan = (f" The fan chart comes from the first {FAN_PATHS:,} paths."
                   if spec.paths > FAN_PATHS else "")
            c.status.setText(f"Done: {spec.paths:,} paths, seed {spec.seed}, "
                             f"{len(spec.uncertainties)} inputs varied; notice given on "
                             f"{format_percent(result.ended_early_share)} of paths.{fan}")
        # What the run supports saying (core.summary.risk_statement): no levels
        # for an n/a figure, a chance of a loss only where one is possible.
        statement = self._statements.pop(id(result), None) or risk_statement(
            self._running_scenario or self.binding.scenario, result)
        self._statements.clear()
        c.summary.setText(" ".join(statement.sentences[:2]))

    def show_perspective(self, side: str) -> None:
        """View as changed: the tornado and the simulation show `side`'s NPV
        when they showed the other side's figure (a both sides' figure stays)."""
        follow_side(self.tornado_controls.output, side)
        self.cases.show_perspective(side)
        c = self.simulation_controls
        if follow_side(c.output, side) and c.table.tick(
                default_keys(self.binding.scenario, c.output.currentData())):
            self._simulation_due()

    @property
    def work_pending(self) -> bool:
        """Whether a job runs, is due to start once the frame under way is
        painted, or is due when the edits pause (the full run after a
        preview): what the tab shows may still change without an edit."""
        return (self.tornado_runner.running or self.simulation_runner.running
                or self._after_paint.any_pending or self._refine.isActive()
                or self._first_results_due or self._hidden_renders.pending)

    def shutdown(self) -> None:
        """Stop the worker threads (the window is closing)."""
        self._refine.stop()
        self.tornado_runner.wait_all()
        self.simulation_runner.wait_all()
