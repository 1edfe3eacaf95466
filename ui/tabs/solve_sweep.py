"""The Solve and sweep tab: goal seek on any key figure (left) beside a live
two-way table of one figure over two inputs (right).  Both read the binding's
scenario; Solve applies its answer through the binding as one undoable edit.
Both follow View as: switched to the provider, a buyer's figure becomes the
provider's NPV (and back)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QSplitter

from ui.app.build_steps import BuiltInSteps
from ui.app.binding import ScenarioBinding
from ui.tabs.solve_common import follow_side
from ui.tabs.solve_tab import SolvePanel
from ui.tabs.sweep_tab import TwoWayTable


class SolveSweepTab(BuiltInSteps, QSplitter):
    def __init__(self, binding: ScenarioBinding, parent=None, *, later: bool = False):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.start_build(self._build(binding), later)   # ui/app/build_steps.py

    def _build(self, binding: ScenarioBinding):
        self.solve = SolvePanel(binding)
        yield
        self.sweep = TwoWayTable(binding, later=True)
        yield from self.sweep.steps_left()
        yield
        solve_scroll = QScrollArea()
        solve_scroll.setWidgetResizable(True)
        solve_scroll.setWidget(self.solve)
        self.addWidget(solve_scroll)
        self.addWidget(self.sweep)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setChildrenCollapsible(False)

    def show_perspective(self, side: str) -> None:
        """View as changed: each figure of the other side becomes `side`'s NPV;
        the two-way table then takes that figure's default inputs."""
        follow_side(self.solve.figure, side)
        if follow_side(self.sweep.figure, side):
            self.sweep.follow_figure()
