"""What differs between two scenarios, and a waterfall of one figure's change.

For the scenario comparison: the inputs whose values differ (label, unit,
the base's value, the other's) and a waterfall chart from the base's figure
to the other's, one bar for each input changed alone (in the order the
scenario declares them) and one for the interaction (core/attribution.py).
`show_pair(base, other)` shows a pair; the figure combo picks the figure.
`set_scenarios(scenarios)` offers a list instead (the Compare scenarios tab):
two pickers choose the pair, the first scenario against the second at first,
and the choice is kept by name while the list changes.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QHeaderView, QLabel, QSplitter,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from core.attribution import Waterfall, changed_inputs, waterfall
from core.palette import OKABE_ITO
from core.parameters import Scenario
from core.solve import SolveError
from ui.plots.panel_plot_item import panel_plot_widget
from ui.widgets.plain_text import shortened
from ui.tabs.solve_common import (figure_combo, figure_label, format_figure, format_figure_tick,
                                  style_plot)
from ui.look.themes import WARNING_STYLE, Theme, current_theme, follow_theme
from ui.widgets.plain_text import plain_tooltip
from ui.widgets.steady_label import SteadyLabel

DEFAULT_FIGURE = "npv_payments"
TOTAL_COLOUR = "#8A939C"        # a mid grey: reads on the light and the dark backgrounds
UP_COLOUR = OKABE_ITO["blue"]
DOWN_COLOUR = OKABE_ITO["vermillion"]
INTERACTION_COLOUR = OKABE_ITO["purple"]
BAR_WIDTH = 0.7
HEADERS = ("Input", "Unit", "Base", "Other")


class ScenarioDifferences(QWidget):
    def __init__(self, parent=None, show_inputs: bool = True):
        super().__init__(parent)
        self.pair: tuple[Scenario, Scenario] | None = None
        self.scenarios: list[Scenario] = []
        self.result: Waterfall | None = None
        self.bars: list[tuple[str, float, float]] = []   # (label, start, end) as drawn
        # What is shown: (base, other, figure) of the waterfall or the message
        # shown instead; an unchanged pair (the same scenario objects) is not
        # drawn again.
        self._shown: tuple | None = None

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(len(HEADERS)):      # a few rows: measuring them is cheap
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.figure = figure_combo(DEFAULT_FIGURE)
        # Plain text (scenario names come from files); no relayout when its text
        # keeps its number of lines.
        self.note = SteadyLabel(" ", wrap=True)
        self.plot_widget = panel_plot_widget(enableMenu=False)   # no options form
        self.plot = self.plot_widget.getPlotItem()
        left = self.plot.getAxis("left")
        left.enableAutoSIPrefix(False)
        # Ticks in the chosen figure's own terms: $1.2B, 15.0%, 36 months.
        left.tickStrings = lambda values, scale, spacing: [
            format_figure_tick(self.figure.currentData(), v * scale) for v in values]
        left.setWidth(70)
        self.plot.getAxis("bottom").setHeight(44)      # labels on two lines
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(y=True, alpha=0.25)
        self.plot.getViewBox().setMouseEnabled(x=False, y=False)
        self.bar_item = pg.BarGraphItem(x=[], height=[], y0=[], width=BAR_WIDTH)
        self.plot.addItem(self.bar_item)

        chart = QWidget()
        chart_layout = QVBoxLayout(chart)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        # The pair pickers: shown only when a list of scenarios is offered.
        self.base_choice, self.other_choice = QComboBox(), QComboBox()
        self.pair_labels = [QLabel("from"), QLabel("to")]
        row = QHBoxLayout()
        row.addWidget(QLabel("Waterfall of"))
        row.addWidget(self.figure, 2)
        for label, combo in zip(self.pair_labels, (self.base_choice, self.other_choice)):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            combo.setToolTip("The scenario the waterfall starts from" if label.text() == "from"
                             else "The scenario it ends at")
            combo.currentIndexChanged.connect(self._pair_chosen)
            row.addWidget(label)
            row.addWidget(combo, 1)
            label.hide()
            combo.hide()
        chart_layout.addLayout(row)
        chart_layout.addWidget(self.plot_widget, 1)
        chart_layout.addWidget(self.note)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(chart)
        split.setSizes([450, 650])
        self.table.setVisible(show_inputs)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.figure.currentIndexChanged.connect(lambda _i: self._refresh())
        self.theme: Theme = current_theme()
        follow_theme(self)

    def apply_theme(self, theme: Theme) -> None:
        """The chart's background, axes, grid and title in a theme (live)."""
        self.theme = theme
        style_plot(self.plot_widget, theme)
        self.plot.showGrid(y=True, alpha=theme.grid_alpha)
        if self.result is not None:
            self._show_waterfall(self.result)

    def show_pair(self, base: Scenario, other: Scenario) -> Waterfall | None:
        self.pair = (base, other)
        return self._refresh()

    def set_scenarios(self, scenarios: list[Scenario]) -> Waterfall | None:
        """Offer these scenarios as the pair to compare, keeping the pair chosen
        (by name) where both are still there; else the first against the second."""
        before = (self.base_choice.currentText(), self.other_choice.currentText())
        if len(self.scenarios) < 2:
            before = ("", "")          # nothing was chosen yet: the first against the second
        self.scenarios = list(scenarios)
        names = [s.name for s in self.scenarios]
        for combo, name, fallback in ((self.base_choice, before[0], 0),
                                      (self.other_choice, before[1], 1)):
            combo.blockSignals(True)
            if [combo.itemText(i) for i in range(combo.count())] != names:
                combo.clear()
                combo.addItems(names)
            combo.setCurrentIndex(names.index(name) if name in names
                                  else min(fallback, len(names) - 1))
            combo.blockSignals(False)
        for widget in (*self.pair_labels, self.base_choice, self.other_choice):
            widget.setVisible(len(names) > 1)
        return self._pair_chosen()

    def choose_pair(self, base: int, other: int) -> Waterfall | None:
        """Pick the pair by position in the list, as a user would in the pickers."""
        self.base_choice.setCurrentIndex(base)
        self.other_choice.setCurrentIndex(other)
        return self.result

    def _pair_chosen(self, *_args) -> Waterfall | None:
        base, other = self.base_choice.currentIndex(), self.other_choice.currentIndex()
        if len(self.scenarios) < 2 or base < 0 or other < 0:
            self._clear("Duplicate a scenario and change it to see what its changes do.")
            self.pair = None
            return None
        if base == other:
            self.pair = None
            self._clear("Choose two different scenarios.")
            return None
        return self.show_pair(self.scenarios[base], self.scenarios[other])

    def _clear(self, message: str) -> None:
        if self._shown == ("cleared", message):
            return
        self._shown = ("cleared", message)
        self.plot_widget.hide()      # an empty chart's axes would read as a result
        self.result = None
        self.bars = []
        self.bar_item.setOpts(x=[], height=[], y0=[])
        self.table.setRowCount(0)
        if self.plot.titleLabel.isVisible():
            # pyqtgraph's setTitle(None) on a label never given text fails.
            self.plot.setTitle(None)
        self.note.setText(message)
        self._note_style("")

    def _note_style(self, style: str) -> None:
        if self.note.styleSheet() != style:       # setting one polishes again, same or not
            self.note.setStyleSheet(style)

    def _refresh(self) -> Waterfall | None:
        if self.pair is None:
            return None
        base, other = self.pair
        figure = self.figure.currentData()
        shown = self._shown
        if (shown is not None and len(shown) == 3 and shown[0] is base
                and shown[1] is other and shown[2] == figure):
            return self.result
        self._shown = (base, other, figure)
        self._show_inputs(base, other)
        try:
            self.result = waterfall(base, other, figure)
        except SolveError as error:
            self.result = None
            self.bars = []
            self.bar_item.setOpts(x=[], height=[], y0=[])
            self.note.setText(str(error))
            self._note_style(WARNING_STYLE)
            self.plot_widget.hide()
            return None
        self._show_waterfall(self.result)
        return self.result

    def _show_inputs(self, base: Scenario, other: Scenario) -> None:
        changes = changed_inputs(base, other)
        self.table.setRowCount(len(changes))
        for i, change in enumerate(changes):
            for j, text in enumerate((change.label, change.unit, change.old_text(),
                                      change.new_text())):
                item = QTableWidgetItem(text)
                item.setToolTip(change.key if j == 0 else plain_tooltip(text))
                self.table.setItem(i, j, item)

    def _show_waterfall(self, result: Waterfall) -> None:
        figure = result.figure
        steps = result.bars()
        # The end bars are the two scenarios, by name (shortened: the whole names
        # are in the note), not "Base" and "Other".
        self.bars = ([(shortened(result.base_name, WATERFALL_NAME), 0.0, result.base_value)]
                     + steps
                     + [(shortened(result.other_name, WATERFALL_NAME), 0.0,
                         result.other_value)])
        starts = np.array([b[1] for b in self.bars])
        ends = np.array([b[2] for b in self.bars])
        colours = [TOTAL_COLOUR]
        for label, start, end in steps:
            colours.append(INTERACTION_COLOUR if label == "Interaction"
                           else UP_COLOUR if end >= start else DOWN_COLOUR)
        colours.append(TOTAL_COLOUR)
        x = np.arange(len(self.bars), dtype=float)
        self.plot_widget.show()
        self.bar_item.setOpts(x=x, y0=starts, height=ends - starts, width=BAR_WIDTH,
                              brushes=[pg.mkBrush(c) for c in colours],
                              pens=[pg.mkPen(c) for c in colours])
        self.plot.getAxis("bottom").setTicks(
            [[(float(i), _two_lines(b[0])) for i, b in enumerate(self.bars)]])
        self.plot.setTitle(f"{figure_label(figure)}: {format_figure(figure, result.base_value)} "
                           f"to {format_figure(figure, result.other_value)}",
                           color=self.theme.plot_foreground)
        self.plot.autoRange()
        alone = ""
        if result.not_alone:
            alone = (" Cannot change alone, so counted in the interaction: "
                     + ", ".join(result.not_alone) + ".")
        self.note.setText(
            f"Base: {result.base_name}; other: {result.other_name}. "
            f"Each bar changes one input alone from the base, in the order the "
            f"scenario declares them; the interaction is what they do together beyond that "
            f"({format_figure(figure, result.interaction)}). Total change "
            f"{format_figure(figure, result.total)}.{alone}")
        self._note_style("")


# The longest scenario name written under a waterfall's end bar.
WATERFALL_NAME = 28


def _two_lines(label: str) -> str:
    """A long axis label broken at the space nearest its middle."""
    if len(label) <= 12 or " " not in label:
        return label
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return label[:cut] + "\n" + label[cut + 1:]
