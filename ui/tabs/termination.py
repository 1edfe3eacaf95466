"""Termination explorer: choose the month notice is given on a timeline slider
and read what ending there costs and saves and what it does to both sides'
NPV; the plots show the same for every month, with the chosen one marked.

The slider is a second view of the input "Cost of ending: notice after"
(contract.termination_notice_month), the field under Termination terms the
other: moving either moves both, it is one undoable edit, and the exports
(the board pack, the workbook's Termination sheet) use it."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QSlider, QSplitter, QVBoxLayout

from core import figures
from core.parameters import PARTY_BUYER
from core.termination import expected_value_basis, party_may_end, rows_basis
from ui.app.binding import ScenarioBinding
from ui.widgets.figure_list import FigureList
from ui.widgets.steady_label import SteadyLabel
from ui.widgets.form_panel import FormPanel
from ui.plots.common import PanelSpec, Series, pen, timestamps
from ui.plots.panels_in_steps import PanelsInSteps
from ui.look.themes import OKABE_ITO
from ui.app.build_steps import BuiltInSteps
from ui.app.lazy_updates import update_when_visible

# The chosen month's outcome: schedule columns, read at the notice month.
OUTCOME_COLUMNS = ("termination_end_date", "termination_cost", "termination_saving",
                   "buyer_npv_if_ended", "provider_npv_if_ended")


SPECS = (
    PanelSpec("Ending the deal: notice given at the start of each month", "$", (
        Series("termination_cost", "vermillion", "line", symbol="o",
               legend="Buyer's payments to the end of notice (+ fee)"),
        Series("termination_saving", "green", "line", symbol="o",
               legend="Saving against running to term"),
    ), headroom=0.35, hover_shift_days=15),
    PanelSpec("NPV if the deal ends there", "$", (
        Series("buyer_npv_if_ended", "blue", "line", legend="Buyer NPV"),
        Series("provider_npv_if_ended", "orange", "line", legend="Provider NPV"),
    ), headroom=0.35, hover_shift_days=15),
)


class TerminationPlots(PanelsInSteps):
    """The outcome of giving notice in every month, with the chosen one marked."""

    def _build(self):
        yield from self.panels_in_steps(SPECS)
        self.cost_panel, self.npv_panel = self.panels
        self.markers = []
        for panel in self.panels:
            marker = pg.InfiniteLine(angle=90, movable=False,
                                     pen=pen(OKABE_ITO["black"], 1.5, dashed=True))
            panel.plot.addItem(marker)
            self.markers.append(marker)

    def mark(self, x: float) -> None:
        for marker in self.markers:
            marker.setValue(x)


class TerminationTab(BuiltInSteps, QSplitter):
    def __init__(self, binding: ScenarioBinding, parent=None, *, later: bool = False):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.start_build(self._build(binding), later)   # ui/app/build_steps.py

    def _build(self, binding: ScenarioBinding):
        self.binding = binding
        self.form = FormPanel(binding)
        chooser = QGroupBox("Notice given on")
        layout = QVBoxLayout(chooser)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setPageStep(3)
        self.slider.setMinimum(1)          # the input's minimum: notice after a month at least
        self._showing = False              # set while the slider follows the input
        self.notice_label = QLabel()
        font = self.notice_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.notice_label.setFont(font)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.slider)
        self.form.add_widget(chooser)

        yield
        self.outcome = QGroupBox("If the deal ends there")
        outcome_form = QFormLayout(self.outcome)
        self.outcome_values: dict[str, SteadyLabel] = {}
        for key in OUTCOME_COLUMNS:
            declared = figures.output(key)
            label = QLabel(declared.label)
            label.setToolTip(declared.definition)
            # A new figure repaints its value alone (SteadyLabel): the form is not
            # laid out again at each edit that changes it (a fee edit changes three).
            value = SteadyLabel("\u2014")
            value.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            bold = QFont(value.font())   # a font, not a style sheet: the text follows the theme
            bold.setBold(True)
            value.setFont(bold)
            self.outcome_values[key] = value
            outcome_form.addRow(label, value)
        self.rights_note = QLabel()
        self.rights_note.setWordWrap(True)
        self.rights_note.setStyleSheet("color:#7A1A0C;")
        outcome_form.addRow(self.rights_note)
        self.form.add_widget(self.outcome)

        yield
        self.full_term = FigureList("Running to term", [
            "total_contract_value", "buyer_npv", "provider_npv", "expected_contract_value",
            "walkaway_exposure_basis"])
        self.form.add_widget(self.full_term)
        # Which method the expected contract value uses (core/termination.py says it).
        self.expected_basis = QLabel()
        self.expected_basis.setWordWrap(True)
        self.expected_basis.setTextFormat(Qt.PlainText)
        self.form.add_widget(self.expected_basis)
        self.form.add_group("Termination terms", "contract",
                            ["notice_days", "termination_fee_months", "terminating_party",
                             "termination_notice_month",
                             "buyer_termination_prob_pct", "provider_termination_prob_pct"])
        self.form.finish()
        yield
        self.plots = TerminationPlots(later=True)
        yield from self.plots.steps_left()
        self.addWidget(self.form)
        self.addWidget(self.plots)
        self.setStretchFactor(1, 1)
        self.setSizes([500, 1100])
        yield
        self.slider.valueChanged.connect(self._slider_moved)
        self.slider.sliderReleased.connect(self._set_notice_month)
        update_when_visible(binding, self, self.show_results)
        self.show_results(binding.results)

    @property
    def notice_month(self) -> int:
        return self.slider.value()

    def _slider_moved(self, _value: int) -> None:
        """Dragging previews the month; a release, a key or a click sets the input."""
        self.show_selection()
        if not self._showing and not self.slider.isSliderDown():
            self._set_notice_month()

    def _set_notice_month(self) -> None:
        if self.slider.value() != self.binding.scenario.contract.termination_notice_month:
            self.binding.set_values("contract", termination_notice_month=self.slider.value())

    def show_results(self, results) -> None:
        self._showing = True
        try:
            self.slider.setMaximum(max(1, len(results.schedule) - 1))
            if not self.slider.isSliderDown():
                self.slider.setValue(results.scenario.contract.termination_notice_month)
        finally:
            self._showing = False
        self.plots.show_results(results)
        self.full_term.show_results(results)
        self.expected_basis.setText(expected_value_basis(results.scenario))
        self.show_selection()

    def show_selection(self) -> None:
        """Read the chosen month's figures out of the results; nothing is computed here."""
        results = self.binding.results
        s = results.schedule
        k = min(self.notice_month, len(s) - 1)
        self.notice_label.setText(f"{s.month_start[k]} (after {k} months)")
        for key in OUTCOME_COLUMNS:
            self.outcome_values[key].setText(figures.format_value(key, getattr(s, key)[k]))
        # Whose notice each month shows follows the contract's rights (core/termination.py).
        scenario = results.scenario
        self.rights_note.setText("" if party_may_end(scenario, PARTY_BUYER)
                                 else rows_basis(scenario))
        self.rights_note.setVisible(bool(self.rights_note.text()))
        self.plots.mark(float(timestamps(s.month_start[k:k + 1])[0]))
