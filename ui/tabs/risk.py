"""Risk tab: a tornado of one output against every input moved low / high, and
a Monte Carlo simulation over ranges of the uncertain inputs.

Both computations are core's (core/risk.py, core/monte_carlo.py) and run in
worker threads (ui/tabs/risk_worker.py), so the window never waits on them.  The
tornado is recomputed only while the tab is shown, after the model's results
change; the simulation runs on demand and restarts when the scenario is
edited while it runs.
"""
from __future__ import annotations

import math

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFormLayout, QGroupBox,
                               QHBoxLayout, QHeaderView, QLabel, QProgressBar, QPushButton,
                               QScrollArea, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from core.formatting import format_percent
from core.monte_carlo import (DEFAULT_PATHS, DEFAULT_UNCERTAIN, DISTRIBUTIONS, MAX_PATHS,
                              PERCENTILES, SimulationSpec,
                              Uncertainty, default_uncertainty, simulate, simulated_inputs)
from core.path_engine import PATH_OUTPUTS
from core.risk import (DEFAULT_HIGH_PCT, DEFAULT_LOW_PCT, format_output, numeric_inputs,
                       output_label, output_names, tornado)
from ui.app.binding import ScenarioBinding
from ui.plots.risk_plots import FanChart, OutcomeHistogram, TornadoPlot
from ui.tabs.risk_worker import JobRunner
from ui.boardroom.themes import ERROR_STYLE

DEFAULT_TORNADO_OUTPUT = "buyer_npv"
DEFAULT_SIMULATION_OUTPUT = "buyer_npv"
RESTART_MS = 50   # an edit burst (a slider drag) restarts the simulation once


def _output_combo(names, default: str) -> QComboBox:
    combo = QComboBox()
    for name in names:
        combo.addItem(output_label(name), name)
    index = combo.findData(default)
    combo.setCurrentIndex(max(index, 0))
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
        form = QFormLayout()
        form.addRow("Output", self.output)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignLeft)

    def moves(self) -> dict[str, tuple[float, float]]:
        """Each input's (low %, high %); a cell that is not a number counts as the default."""
        out = {}
        for row, ref in enumerate(self.inputs):
            out[ref.key] = (_number(self.table.item(row, 1), DEFAULT_LOW_PCT),
                            _number(self.table.item(row, 2), DEFAULT_HIGH_PCT))
        return out

    def reset(self) -> None:
        self.table.blockSignals(True)
        for row in range(len(self.inputs)):
            self.table.item(row, 1).setText(f"{DEFAULT_LOW_PCT:g}")
            self.table.item(row, 2).setText(f"{DEFAULT_HIGH_PCT:g}")
        self.table.blockSignals(False)
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


class UncertaintyTable(QTableWidget):
    """Which inputs vary in the simulation, and how.  A row the user has not
    edited follows the scenario: low / most likely / high = -20% / base / +20%."""
    COLUMNS = ("Vary", "Input", "Distribution", "Low", "Most likely", "High")

    def __init__(self, scenario, parent=None):
        self.inputs = simulated_inputs(scenario)
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
        self.distributions: list[QComboBox] = []
        self.blockSignals(True)
        for row, ref in enumerate(self.inputs):
            vary = QTableWidgetItem()
            vary.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            vary.setCheckState(Qt.CheckState.Checked if ref.key in DEFAULT_UNCERTAIN
                               else Qt.CheckState.Unchecked)
            self.setItem(row, 0, vary)
            name = QTableWidgetItem(f"{ref.label} ({ref.unit})" if ref.unit else ref.label)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.setItem(row, 1, name)
            combo = QComboBox()
            combo.addItems(list(DISTRIBUTIONS))
            combo.setToolTip("Triangular: low / most likely / high. Uniform: low to high. "
                             "Normal: mean = most likely, low and high its P5 and P95.")
            combo.currentTextChanged.connect(lambda _t, key=ref.key: self._row_edited(key))
            self.distributions.append(combo)
            self.setCellWidget(row, 2, combo)
            for column in (3, 4, 5):
                self.setItem(row, column, QTableWidgetItem())
        self.blockSignals(False)
        self.follow(scenario)
        self.itemChanged.connect(self._item_changed)

    def _row_edited(self, key: str) -> None:
        self.edited.add(key)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() >= 3:
            self.edited.add(self.inputs[item.row()].key)

    def follow(self, scenario) -> None:
        """Rows the user has not edited take -20% / base / +20% of the scenario's value."""
        self.blockSignals(True)
        for row, ref in enumerate(self.inputs):
            if ref.key in self.edited:
                continue
            u = default_uncertainty(ref, ref.value_in(scenario))
            for column, value in zip((3, 4, 5), (u.low, u.most_likely, u.high)):
                self.item(row, column).setText(_cell_text(value))
        self.blockSignals(False)

    def set_varied(self, key: str, on: bool) -> None:
        row = [r.key for r in self.inputs].index(key)
        self.item(row, 0).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def uncertainties(self) -> tuple[Uncertainty, ...]:
        """The checked rows; raises ValueError naming a cell that is not a number."""
        out = []
        for row, ref in enumerate(self.inputs):
            if self.item(row, 0).checkState() != Qt.CheckState.Checked:
                continue
            numbers = []
            for column in (3, 4, 5):
                text = self.item(row, column).text()
                try:
                    numbers.append(float(text.replace(",", "").replace("\u2212", "-")))
                except ValueError:
                    raise ValueError(f"{ref.label}: {self.COLUMNS[column].lower()} "
                                     f"'{text}' is not a number") from None
            out.append(Uncertainty(ref.key, self.distributions[row].currentText(), *numbers))
        return tuple(out)


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
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.status = QLabel(" ")
        self.status.setWordWrap(True)
        self.summary = QLabel(" ")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

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


class RiskTab(QSplitter):
    def __init__(self, binding: ScenarioBinding, parent=None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.binding = binding
        self.tornado_controls = TornadoControls(binding.scenario)
        self.simulation_controls = SimulationControls(binding.scenario)
        column = QWidget()
        column_layout = QVBoxLayout(column)
        column_layout.setContentsMargins(6, 6, 6, 6)
        column_layout.addWidget(self.tornado_controls, 1)
        column_layout.addWidget(self.simulation_controls, 2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(column)
        scroll.setMinimumWidth(520)

        self.tornado_plot = TornadoPlot()
        self.fan_chart = FanChart()
        self.histogram = OutcomeHistogram()
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.fan_chart)
        lower.addWidget(self.histogram)
        lower.setSizes([560, 440])
        plots = QSplitter(Qt.Orientation.Vertical)
        plots.addWidget(self.tornado_plot)
        plots.addWidget(lower)
        self.addWidget(scroll)
        self.addWidget(plots)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setSizes([600, 1000])

        self.tornado_runner = JobRunner(self)
        self.tornado_runner.finished.connect(self._show_tornado)
        self.tornado_runner.failed.connect(self.tornado_plot.note.setText)
        self.tornado_result = None
        self._tornado_stale = True

        self.simulation_runner = JobRunner(self)
        self.simulation_runner.progressed.connect(self._progressed)
        self.simulation_runner.finished.connect(self._show_simulation)
        self.simulation_runner.failed.connect(self._simulation_failed)
        self.simulation_runner.running_changed.connect(self._running_changed)
        self.simulation_result = None
        # The scenario the shown result was simulated on (exports use it only if current).
        self.simulated_scenario = None
        self._running_scenario = None
        self._restart = QTimer(self)
        self._restart.setSingleShot(True)
        self._restart.timeout.connect(self.run_simulation)

        c = self.simulation_controls
        c.run_button.clicked.connect(self.run_simulation)
        c.cancel_button.clicked.connect(self.cancel_simulation)
        self.tornado_controls.output.currentIndexChanged.connect(lambda _i: self._tornado_due())
        self.tornado_controls.table.itemChanged.connect(lambda _i: self._tornado_due())
        binding.results_changed.connect(lambda _r: self._tornado_due())
        binding.scenario_changed.connect(self._scenario_changed)

    # --- tornado: recomputed while the tab is shown ------------------------------

    def _tornado_due(self) -> None:
        self._tornado_stale = True
        if self.isVisible():
            self.refresh_tornado()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._tornado_stale:
            self.refresh_tornado()

    def refresh_tornado(self) -> None:
        self._tornado_stale = False
        scenario = self.binding.scenario
        output = self.tornado_controls.output.currentData()
        moves = self.tornado_controls.moves()
        self.tornado_runner.start(lambda _p, _c: tornado(scenario, output, moves))

    def _show_tornado(self, result) -> None:
        self.tornado_result = result
        self.tornado_plot.show_tornado(result)

    # --- Monte Carlo ---------------------------------------------------------------

    def run_simulation(self) -> None:
        c = self.simulation_controls
        try:
            spec = c.spec()
        except ValueError as error:
            self._simulation_failed(str(error))
            return
        scenario = self.binding.scenario
        self._running_scenario = scenario
        c.status.setStyleSheet("")
        c.status.setText(f"Running {spec.paths:,} paths\u2026")
        c.progress.setValue(0)
        self.simulation_runner.start(
            lambda progress, cancelled: simulate(scenario, spec, progress, cancelled))

    def cancel_simulation(self) -> None:
        self._restart.stop()
        self.simulation_runner.cancel()
        self.simulation_controls.status.setText("Cancelled.")

    def _scenario_changed(self, scenario) -> None:
        self.simulation_controls.table.follow(scenario)
        if self.simulation_runner.running or self._restart.isActive():
            self.simulation_controls.status.setText("The scenario changed: restarting\u2026")
            self._restart.start(RESTART_MS)
        elif self.simulation_result is not None:
            self.simulation_controls.status.setText(
                "The scenario has changed since this result: run the simulation again.")

    def _running_changed(self, running: bool) -> None:
        c = self.simulation_controls
        c.cancel_button.setEnabled(running)
        c.run_button.setText("Restart" if running else "Run simulation")

    def _progressed(self, fraction: float) -> None:
        self.simulation_controls.progress.setValue(round(fraction * 100))

    def _simulation_failed(self, message: str) -> None:
        c = self.simulation_controls
        c.status.setStyleSheet(ERROR_STYLE)
        c.status.setText(f"Not run: {message}")

    def _show_simulation(self, result) -> None:
        self.simulation_result = result
        self.simulated_scenario = self._running_scenario
        c = self.simulation_controls
        c.progress.setValue(100)
        c.status.setStyleSheet("")
        spec = result.spec
        c.status.setText(f"Done: {spec.paths:,} paths, seed {spec.seed}, "
                         f"{len(spec.uncertainties)} inputs varied; notice given on "
                         f"{format_percent(result.ended_early_share)} of paths.")
        name = spec.output
        levels = ", ".join(f"P{p} {format_output(name, result.outcome_percentiles[p])}"
                           for p in PERCENTILES)
        c.summary.setText(
            f"<b>{output_label(name)}</b>: {levels}.<br>"
            f"<b>Probability of a loss</b> ({output_label(name)} below zero): "
            f"<b>{format_percent(result.probability_of_loss)}</b>")
        self.fan_chart.show_simulation(result)
        self.histogram.show_simulation(result)

    def shutdown(self) -> None:
        """Stop the worker threads (the window is closing)."""
        self._restart.stop()
        self.tornado_runner.wait_all()
        self.simulation_runner.wait_all()
