"""The Solve and sweep tab: goal seek on any key figure (left) beside a live
two-way table of one figure over two inputs (right).  Both read the binding's
scenario; Solve applies its answer through the binding as one undoable edit."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QSplitter

from ui.app.binding import ScenarioBinding
from ui.tabs.solve_tab import SolvePanel
from ui.tabs.sweep_tab import TwoWayTable


class SolveSweepTab(QSplitter):
    def __init__(self, binding: ScenarioBinding, parent=None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.solve = SolvePanel(binding)
        self.sweep = TwoWayTable(binding)
        solve_scroll = QScrollArea()
        solve_scroll.setWidgetResizable(True)
        solve_scroll.setWidget(self.solve)
        self.addWidget(solve_scroll)
        self.addWidget(self.sweep)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setChildrenCollapsible(False)
