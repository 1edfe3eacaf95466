"""Named cases on the Risk tab: base, upside and downside side by side with
the probability-weighted figure (core/cases.py computes; this shows).

The first row holds each case's weight, which the user types (one undoable
edit a weight); the rows below are the side's figures (View as) in each
case and weighted.  "Make base, upside and downside" fills the scenario's
cases from the side's tornado (core.cases.default_cases); "Remove the cases"
empties them.  The cases are stored in the scenario file."""
from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout)

from core.cases import CASE_FIGURES, case_table, default_cases, describe
from core.parameters import ParameterError
from ui.app.binding import ScenarioBinding
from ui.app.lazy_updates import update_when_visible

SIDE_FIGURE = {"buyer": "buyer_npv", "provider": "provider_npv"}


class CasesPanel(QGroupBox):
    def __init__(self, binding: ScenarioBinding, parent=None):
        super().__init__("Named cases", parent)
        self.binding = binding
        self.side = "buyer"
        self.table = QTableWidget(0, 0)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setMinimumHeight(150)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.make_button = QPushButton("Make base, upside and downside")
        self.make_button.setToolTip("Base as the scenario (50%); upside and downside move the "
                                    "three inputs with the largest tornado swings 20% each way "
                                    "(25% each). Type the weights in the first row.")
        self.remove_button = QPushButton("Remove the cases")
        buttons = QHBoxLayout()
        buttons.addWidget(self.make_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self.make_button.clicked.connect(self.make_cases)
        self.remove_button.clicked.connect(self.remove_cases)
        self.table.itemChanged.connect(self._weight_edited)
        update_when_visible(binding, self, lambda _r: self.refresh(), now=binding.results)

    def show_perspective(self, side: str) -> None:
        self.side = side
        self.refresh()

    def make_cases(self) -> None:
        scenario = self.binding.scenario
        cases = default_cases(dataclasses.replace(scenario, cases=()), SIDE_FIGURE[self.side])
        self.binding.set_scenario(dataclasses.replace(scenario, cases=cases))
        self.refresh()

    def remove_cases(self) -> None:
        self.binding.set_scenario(dataclasses.replace(self.binding.scenario, cases=()))
        self.refresh()

    def _weight_edited(self, item: QTableWidgetItem) -> None:
        if item.row() != 0:
            return
        scenario = self.binding.scenario
        text = item.text().strip().rstrip("%").strip()
        try:
            weight = float(text.replace(",", ""))
            cases = list(scenario.cases)
            cases[item.column()] = dataclasses.replace(cases[item.column()], weight_pct=weight)
        except (ValueError, ParameterError) as error:
            message = str(error) if isinstance(error, ParameterError) else \
                f"Weight: '{text}' is not a number"
            self.note.setText(message)
            self.refresh(keep_note=True)
            return
        self.binding.set_scenario(dataclasses.replace(scenario, cases=tuple(cases)))
        self.refresh()

    def refresh(self, keep_note: bool = False) -> None:
        scenario = self.binding.scenario
        cases = scenario.cases
        self.remove_button.setEnabled(bool(cases))
        blocked = self.table.blockSignals(True)
        try:
            if not cases:
                self.table.setRowCount(0)
                self.table.setColumnCount(0)
                if not keep_note:
                    self.note.setText("No named cases: make a base, an upside and a downside, "
                                      "then type how likely each is.")
                return
            keys = CASE_FIGURES[self.side]
            try:
                computed = case_table(scenario, keys)
            except ValueError as error:
                self.note.setText(str(error))
                return
            rows = computed.rows()
            self.table.setColumnCount(len(cases) + 1)
            self.table.setRowCount(len(rows) + 1)
            self.table.setHorizontalHeaderLabels([*computed.names, "Weighted"])
            self.table.setVerticalHeaderLabels(["Weight (%)", *(row[0] for row in rows)])
            for col, case in enumerate(cases):
                weight = QTableWidgetItem(f"{case.weight_pct:g}")
                weight.setToolTip(f"{case.name}: {describe(case)}. Type its weight.")
                self.table.setItem(0, col, weight)
            total = QTableWidgetItem(f"{sum(computed.weights):g}")
            total.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(0, len(cases), total)
            for r, row in enumerate(rows, start=1):
                for col, text in enumerate(row[1:]):
                    cell = QTableWidgetItem(text)
                    cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(r, col, cell)
            if not keep_note:
                self.note.setText("; ".join(f"{c.name}: {describe(c)}" for c in cases)
                                  + ". Weighted = sum of weight x figure / sum of weights.")
        finally:
            self.table.blockSignals(blocked)
