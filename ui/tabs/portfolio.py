"""Portfolio tab: the open scenarios added up as one book, a buyer's compute
book or a provider's backlog (core/portfolio.py).

Commitments by month stacked by counterparty, the walk-away exposure and the
GPUs online over the same calendar, each counterparty's share and the
Herfindahl-Hirschman index, with a finding when one counterparty holds more
than a third.  *Open portfolio...* adds the deals of a portfolio file as
scenarios beside the others (the example: Anthropic's compute book from the
public deals, every assumption listed).  The joint simulation on common market
paths is not here yet (it needs the market and credit models).  File > Export
portfolio... writes the book shown here as a report, deck or workbook
(ui/boardroom/portfolio_export.py).
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QLabel,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from core.formatting import format_money
from core.portfolio import (EXAMPLE_PATH, PortfolioFileError, concentration,
                            portfolio_of_scenarios, portfolio_totals, read_portfolio)
from ui.app.lazy_updates import update_when_visible
from ui.app.workspace import Workspace, WorkspaceError
from ui.look.themes import series_colour
from ui.plots.common import MoneyAxis, PlotPanel, QuantityAxis, fit_ranges
from ui.plots.basics import timestamps
from ui.widgets.plain_text import plain_label, shortened

SIDES = {"buyer": "a buyer's compute book (commitments)", "provider": "a provider's backlog (revenue)"}
MONTH_SECONDS = 30.44 * 86_400
FILE_FILTER = "Portfolio files (*.json);;All files (*)"


class PortfolioTab(QWidget):
    def __init__(self, workspace: Workspace, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self.binding = workspace.binding
        self.side = QComboBox()
        for key, text in SIDES.items():
            self.side.addItem(text, key)
        self.side.currentIndexChanged.connect(lambda _i: self.refresh())
        self.open_button = QPushButton("Open portfolio\u2026")
        self.open_button.setToolTip("Add the deals of a portfolio file as scenarios beside yours")
        self.open_button.clicked.connect(self.choose_file)
        self.example_button = QPushButton("Open the example")
        self.example_button.setToolTip("Anthropic's compute book from the public deals "
                                       "(every assumption listed)")
        self.example_button.clicked.connect(lambda: self.open_file(EXAMPLE_PATH))
        top = QHBoxLayout()
        top.addWidget(QLabel("The open scenarios as"))
        top.addWidget(self.side)
        top.addWidget(self.open_button)
        top.addWidget(self.example_button)
        top.addStretch(1)

        self.finding = plain_label(QLabel(" "))
        self.finding.setObjectName("portfolio-finding")
        self.finding.setWordWrap(True)
        font = self.finding.font()
        font.setBold(True)
        self.finding.setFont(font)
        self.message = plain_label(QLabel(" "))
        self.message.setWordWrap(True)

        self.commitments = PlotPanel("Commitments by month, by counterparty", MoneyAxis(), "$")
        self.exposure = PlotPanel("Walk-away exposure, all deals", MoneyAxis(), "$")
        self.capacity = PlotPanel("GPUs online, all deals", QuantityAxis(unit="GPUs"), "GPUs")
        self.exposure_curve = self.exposure.plot.plot(pen=pg.mkPen(series_colour(5), width=2))
        self.capacity_curve = self.capacity.plot.plot(pen=pg.mkPen(series_colour(3), width=2))
        self.stack_items: list[pg.BarGraphItem] = []
        charts = QHBoxLayout()
        charts.addWidget(self.commitments, 2)
        charts.addWidget(self.exposure, 1)
        charts.addWidget(self.capacity, 1)

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("portfolio-table")
        self.table.setHorizontalHeaderLabels(["counterparty", "deals", "commitments", "share"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMaximumHeight(170)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.finding)
        layout.addLayout(charts, 1)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        self.portfolio = None
        self._results: dict = {}      # Scenario -> Results of the last refresh
        # The deals of the portfolio files opened, by side and scenario: a deal still as
        # the file had it, in a book of the file's side, keeps the file's counterparty,
        # assumptions and public record (the exports list its sources); once edited it
        # is the open scenario's own.
        self.opened: dict[str, dict] = {}
        update_when_visible(self.binding, self, lambda _results: self.refresh())
        workspace.structure_changed.connect(self._workspace_changed)
        workspace.scenarios_changed.connect(self._workspace_changed)
        self.refresh()

    def _workspace_changed(self) -> None:
        if self.binding.results.scenario != self.binding.scenario:
            return      # its results follow within a frame (results_changed refreshes then)
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        if getattr(self, "_stale", False):
            self._stale = False
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        """The open scenarios as a book (the active one with the binding's results)."""
        scenarios = self.workspace.scenarios
        # An edit changes the active scenario only: the others' results are kept
        # (scenarios are frozen values), so an edit computes nothing here.
        results = self.binding.results
        cache = {results.scenario: results}
        known = [cache.get(s) or self._results.get(s) for s in scenarios]
        book = portfolio_of_scenarios(scenarios, self.side.currentData(), known)
        known_deals = self.opened.get(book.side, {})
        if known_deals:
            book = dataclasses.replace(book, deals=tuple(
                dataclasses.replace(known_deals[d.scenario], results=d.results)
                if d.scenario in known_deals else d for d in book.deals))
        self.portfolio = book
        self._results = {d.scenario: d.results for d in self.portfolio.deals}
        totals = portfolio_totals(self.portfolio)
        conc = concentration(self.portfolio)
        x = timestamps(totals.months.astype("datetime64[D]"))
        for item in self.stack_items:
            self.commitments.plot.removeItem(item)
        self.stack_items = []
        self.commitments.legend.clear()
        bottom = np.zeros(len(x))
        for i, (name, values) in enumerate(totals.commitments.items()):
            bars = pg.BarGraphItem(x=x, height=values, y0=bottom.copy(), width=MONTH_SECONDS * 0.9,
                                   brush=pg.mkBrush(series_colour(i + 1)), pen=pg.mkPen(None))
            self.commitments.plot.addItem(bars)
            self.commitments.legend.addItem(bars, shortened(name, 40))
            self.stack_items.append(bars)
            bottom += values
        self.commitments.arrange_legend()
        self.exposure_curve.setData(x, totals.walkaway_exposure)
        self.capacity_curve.setData(x, totals.gpus_online)
        edges = np.append(x, x[-1] + MONTH_SECONDS) - MONTH_SECONDS / 2
        fit_ranges(self.commitments, edges, bottom)
        fit_ranges(self.exposure, edges, totals.walkaway_exposure, headroom=0.1)
        fit_ranges(self.capacity, edges, totals.gpus_online, headroom=0.1)
        what = "commitments" if self.portfolio.side == "buyer" else "revenue"
        self.finding.setText(conc.finding or
                             f"{len(self.portfolio.deals)} deal(s), "
                             f"{format_money(float(totals.total_commitments.sum()))} of {what}; "
                             f"largest counterparty {conc.largest} {conc.largest_share:.0%}, "
                             f"HHI {conc.hhi:,.0f}.")
        by_count: dict[str, int] = {}
        for deal in self.portfolio.deals:
            by_count[deal.counterparty] = by_count.get(deal.counterparty, 0) + 1
        self.table.setRowCount(len(conc.shares))
        for r, (name, share) in enumerate(sorted(conc.shares.items(), key=lambda kv: -kv[1])):
            cells = (name, str(by_count[name]),
                     format_money(float(totals.commitments[name].sum())), f"{share:.1%}")
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def choose_file(self) -> QFileDialog:
        dialog = QFileDialog(self, "Open portfolio", str(Path.home()), FILE_FILTER)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.fileSelected.connect(self.open_file)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()
        return dialog

    def open_file(self, path) -> bool:
        """Add a portfolio file's deals as scenarios; a bad file changes nothing."""
        try:
            portfolio = read_portfolio(path)
        except PortfolioFileError as error:
            self.message.setText(f"Not opened: {shortened(str(error))}")
            return False
        side = self.side.findData(portfolio.side)
        try:
            # All or none: what does not fit is refused before anything changes.
            self.workspace.check_room([deal.scenario for deal in portfolio.deals])
            for deal in portfolio.deals:
                self.workspace.add(deal.scenario)
        except WorkspaceError as error:
            self.message.setText(str(error))
            return False
        self.opened.setdefault(portfolio.side, {}).update(
            {deal.scenario: deal for deal in portfolio.deals})
        self.side.setCurrentIndex(side)
        assumed = sum(len(d.assumptions) for d in portfolio.deals)
        self.message.setText(f"Added the {len(portfolio.deals)} deals of {portfolio.name} "
                             f"({assumed} assumptions, listed by `main.py portfolio FILE`).")
        self.refresh()
        return True
