"""Termination explorer: choose the month notice is given on a timeline slider
and read what ending there costs and saves and what it does to both sides'
NPV; the plots show the same for every month, with the chosen one marked."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFormLayout, QGroupBox, QLabel, QSlider, QSplitter, QVBoxLayout,
                               QWidget)

from core import figures
from core.formatting import format_money
from core.parameters import PARTY_BUYER
from core.termination import party_may_end
from ui.app.binding import ScenarioBinding
from ui.widgets.figure_list import FigureList
from ui.widgets.form_panel import FormPanel
from ui.plots.common import MoneyAxis, fit_ranges, PlotPanel, month_label, pen, timestamps
from ui.boardroom.themes import OKABE_ITO
from ui.app.lazy_updates import update_when_visible

# The chosen month's outcome: schedule columns, read at the notice month.
OUTCOME_COLUMNS = ("termination_end_date", "termination_cost", "termination_saving",
                   "buyer_npv_if_ended", "provider_npv_if_ended")


class TerminationPlots(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.cost_panel = PlotPanel("Ending the deal: notice given at the start of each month",
                                    MoneyAxis(), "$")
        self.npv_panel = PlotPanel("NPV if the deal ends there", MoneyAxis(), "$")
        self.npv_panel.plot.setXLink(self.cost_panel.plot)
        plot = self.cost_panel.plot
        self.cost_curve = plot.plot(name="Buyer's payments to the end of notice (+ fee)",
                                    pen=pen(OKABE_ITO["vermillion"], 2.5), symbol="o", symbolSize=4)
        self.saving_curve = plot.plot(name="Saving against running to term",
                                      pen=pen(OKABE_ITO["green"], 2.5), symbol="o", symbolSize=4)
        plot = self.npv_panel.plot
        self.buyer_npv_curve = plot.plot(name="Buyer NPV", pen=pen(OKABE_ITO["blue"], 2.5))
        self.provider_npv_curve = plot.plot(name="Provider NPV", pen=pen(OKABE_ITO["orange"], 2.5))
        self.markers = []
        for panel in (self.cost_panel, self.npv_panel):
            marker = pg.InfiniteLine(angle=90, movable=False,
                                     pen=pen(OKABE_ITO["black"], 1.5, dashed=True))
            panel.plot.addItem(marker)
            self.markers.append(marker)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.cost_panel, 1)
        layout.addWidget(self.npv_panel, 1)

    def show_results(self, results) -> None:
        s = results.schedule
        starts = timestamps(s.month_start)
        self.cost_curve.setData(starts, s.termination_cost)
        self.saving_curve.setData(starts, s.termination_saving)
        self.buyer_npv_curve.setData(starts, s.buyer_npv_if_ended)
        self.provider_npv_curve.setData(starts, s.provider_npv_if_ended)
        fit_ranges(self.cost_panel, starts, s.termination_cost, s.termination_saving,
                   headroom=0.35)
        fit_ranges(self.npv_panel, starts, s.buyer_npv_if_ended, s.provider_npv_if_ended,
                   headroom=0.35)

        def describe_cost(i: int) -> str:
            return (f"Notice {month_label(s.month_start[i])}: pays "
                    f"{format_money(s.termination_cost[i])}, saves "
                    f"{format_money(s.termination_saving[i])}")

        def describe_npv(i: int) -> str:
            return (f"Notice {month_label(s.month_start[i])}: buyer NPV "
                    f"{format_money(s.buyer_npv_if_ended[i])}, provider NPV "
                    f"{format_money(s.provider_npv_if_ended[i])}")

        self.cost_panel.set_hover(starts - 15 * 86_400, describe_cost)
        self.npv_panel.set_hover(starts - 15 * 86_400, describe_npv)

    def mark(self, x: float) -> None:
        for marker in self.markers:
            marker.setValue(x)


class TerminationTab(QSplitter):
    def __init__(self, binding: ScenarioBinding, parent=None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.binding = binding
        self.form = FormPanel(binding)
        chooser = QGroupBox("Notice given on")
        layout = QVBoxLayout(chooser)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setPageStep(3)
        self.notice_label = QLabel()
        font = self.notice_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.notice_label.setFont(font)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.slider)
        self.form.add_widget(chooser)

        self.outcome = QGroupBox("If the deal ends there")
        outcome_form = QFormLayout(self.outcome)
        self.outcome_values: dict[str, QLabel] = {}
        for key in OUTCOME_COLUMNS:
            declared = figures.output(key)
            label = QLabel(declared.label)
            label.setToolTip(declared.definition)
            value = QLabel("\u2014")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setStyleSheet("font-weight:bold;")
            self.outcome_values[key] = value
            outcome_form.addRow(label, value)
        self.rights_note = QLabel()
        self.rights_note.setWordWrap(True)
        self.rights_note.setStyleSheet("color:#7A1A0C;")
        outcome_form.addRow(self.rights_note)
        self.form.add_widget(self.outcome)

        self.full_term = FigureList("Running to term", [
            "total_contract_value", "buyer_npv", "provider_npv", "expected_contract_value"])
        self.form.add_widget(self.full_term)
        self.form.add_group("Termination terms", "contract",
                            ["notice_days", "termination_fee_months", "terminating_party",
                             "buyer_termination_prob_pct", "provider_termination_prob_pct"])
        self.form.finish()
        self.plots = TerminationPlots()
        self.addWidget(self.form)
        self.addWidget(self.plots)
        self.setStretchFactor(1, 1)
        self.setSizes([500, 1100])
        self.slider.valueChanged.connect(lambda _v: self.show_selection())
        update_when_visible(binding, self, self.show_results)
        self.show_results(binding.results)
        self.slider.setValue(min(12, self.slider.maximum()))

    @property
    def notice_month(self) -> int:
        return self.slider.value()

    def show_results(self, results) -> None:
        self.slider.setMaximum(len(results.schedule) - 1)
        self.plots.show_results(results)
        self.full_term.show_results(results)
        self.show_selection()

    def show_selection(self) -> None:
        """Read the chosen month's figures out of the results; nothing is computed here."""
        results = self.binding.results
        s = results.schedule
        k = min(self.notice_month, len(s) - 1)
        self.notice_label.setText(f"{s.month_start[k]} (after {k} months)")
        for key in OUTCOME_COLUMNS:
            self.outcome_values[key].setText(figures.format_value(key, getattr(s, key)[k]))
        scenario = results.scenario
        self.rights_note.setText(
            "" if party_may_end(scenario, PARTY_BUYER)
            else "The contract does not let the buyer end it: this shows what ending would cost "
                 "if the provider agreed.")
        self.rights_note.setVisible(bool(self.rights_note.text()))
        self.plots.mark(float(timestamps(s.month_start[k:k + 1])[0]))
