"""Alternatives and lease view for the buyer: the lease against renting on
demand and building the same capacity, where the cumulative costs cross, and
the lease liability with its amortisation (indicative, not accounting advice)."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QGroupBox, QHeaderView, QSplitter, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from core.figures import format_value
from core.formatting import format_money
from ui.app.binding import ScenarioBinding
from ui.widgets.figure_list import FigureList
from ui.widgets.form_panel import FormPanel
from ui.widgets.steady_label import SteadyLabel
from ui.look.themes import use_plain_style
from ui.plots.common import PanelSpec, Series, SeriesPanel, SeriesPlots, month_label
from ui.app.build_steps import BuiltInSteps
from ui.app.lazy_updates import update_when_visible

COST_SPEC = PanelSpec("Cumulative cost of the same delivered compute", "$", (
    Series("cumulative_payment", "blue", "line", legend="Lease (the deal)"),
    Series("cumulative_cloud_cost", "orange", "line", legend="Renting on demand"),
    Series("cumulative_build_cost", "green", "line", legend="Building it (capex + power + opex)"),
))
# The lease view as a plot, for presentation mode (the tab shows it as a table).
LEASE_SPEC = PanelSpec("Lease liability and payments (indicative)", "$", (
    Series("lease_payment", "sky", "bars"),
    Series("lease_liability", "blue", "line"),
))
AMORTISATION_COLUMNS = ("Month", "Opening balance", "Interest", "Payment", "Closing balance")


def crossing_statement(results) -> str:
    """Where the cumulative cost lines cross, in words (read from the results)."""
    figures = results.key_figures
    s = results.schedule
    rent = format_value("market_rent_per_gpu_hour", figures.market_rent_per_gpu_hour)
    lines = []
    month = figures.breakeven_month_vs_cloud
    cheaper_cloud = s.cumulative_cloud_cost[0] < s.cumulative_payment[0]
    if month is None:
        side = "less" if cheaper_cloud else "more"
        lines.append(f"Renting at the market's forward rents (on average {rent}) costs {side} "
                     f"than the lease in every month. The lease matches renting if the whole "
                     f"market curve were "
                     f"{format_value('contract_premium_over_market_pct', figures.contract_premium_over_market_pct)}"
                     f" higher.")
    else:
        lines.append(f"The lease and renting at the market's forward rents (on average {rent}) "
                     f"cross in month {month} ({month_label(s.month_start[month - 1])}).")
    month = figures.build_crossover_month
    if month is None:
        side = "less" if s.cumulative_build_cost[-1] < s.cumulative_payment[-1] else "more"
        lines.append(f"Building costs {side} than the lease throughout the term.")
    else:
        lines.append(f"Building the same capacity costs less than the lease from month {month} "
                     f"({month_label(s.month_start[month - 1])}) on.")
    return "\n".join(lines)


class AlternativesPlots(SeriesPlots):
    """The results only: alternatives' cumulative costs and the lease view."""

    def __init__(self, parent=None):
        super().__init__((COST_SPEC, LEASE_SPEC), parent)


class AlternativesTab(BuiltInSteps, QSplitter):
    def __init__(self, binding: ScenarioBinding, parent=None, *, later: bool = False):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.start_build(self._build(binding), later)   # ui/app/build_steps.py

    def _build(self, binding: ScenarioBinding):
        self.form = FormPanel(binding)
        # A new statement (a fee edit changes its premium) repaints it alone: the
        # form is laid out again only when it needs more or fewer lines (SteadyLabel).
        self.statement = SteadyLabel(wrap=True)
        bold = QFont(self.statement.font())   # a font, not a style sheet: follows the theme
        bold.setBold(True)
        self.statement.setFont(bold)
        self.statement.label.setMargin(4)
        crossing = QGroupBox("Where the lines cross")
        QVBoxLayout(crossing).addWidget(self.statement)
        self.form.add_widget(crossing)
        self.totals = FigureList("Over the term, same delivered compute", [
            "total_contract_value", "cloud_cost", "build_cost", "breakeven_cloud_rate"])
        self.form.add_widget(self.totals)
        self.form.add_group("Market rents (the Market tab has each model's)", "market",
                            ["rent_change_pct_per_year"])
        self.form.add_group("Lease view (indicative, not accounting advice)", "contract",
                            ["lease_term_basis", "lease_significant_penalty_pct",
                             "lease_short_term_exemption", "incremental_borrowing_rate_pct"])
        self.lease_figures = FigureList("Lease liability", [
            "lease_liability", "lease_term_months", "lease_term_reason"])
        self.form.add_widget(self.lease_figures)
        self.form.finish()

        yield
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.cost_panel = SeriesPanel(COST_SPEC)
        right_layout.addWidget(self.cost_panel, 3)
        yield
        table_box = QGroupBox("Lease liability amortisation (indicative, not accounting advice)")
        self.amortisation = QTableWidget(0, len(AMORTISATION_COLUMNS))
        self.amortisation.setHorizontalHeaderLabels(AMORTISATION_COLUMNS)
        self.amortisation.verticalHeader().setVisible(False)
        self.amortisation.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.amortisation.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        use_plain_style(self.amortisation)   # text cells only: no field to outline
        QVBoxLayout(table_box).addWidget(self.amortisation)
        right_layout.addWidget(table_box, 2)
        self.addWidget(self.form)
        self.addWidget(right)
        self.setStretchFactor(1, 1)
        self.setSizes([500, 1100])
        yield
        update_when_visible(binding, self, self.show_results)
        self.show_results(binding.results)

    def show_results(self, results) -> None:
        s = results.schedule
        self.cost_panel.show_schedule(s)
        self.statement.setText(crossing_statement(results))
        self.totals.show_results(results)
        self.lease_figures.show_results(results)
        rows = np.flatnonzero(s.in_lease_term)
        table = self.amortisation
        table.setRowCount(len(rows))
        for row, i in enumerate(rows):
            cells = (f"{month_label(s.month_start[i])}", format_money(s.lease_liability[i]),
                     format_money(s.lease_interest[i]), format_money(s.lease_payment[i]),
                     format_money(s.lease_closing[i]))
            for col, text in enumerate(cells):
                # A cell's text is set only when it changed (a fee edit leaves the
                # months as they were): a new item repaints its cell and the style
                # draws it again.
                item = table.item(row, col)
                if item is None:
                    item = QTableWidgetItem(text)
                    if col:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                              | Qt.AlignmentFlag.AlignVCenter)
                    table.setItem(row, col, item)
                elif item.text() != text:
                    item.setText(text)
