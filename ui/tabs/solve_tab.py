"""The Solve panel: goal seek on the scenario in the binding.

Pick a key figure, type its target, pick the input to vary, and Solve: the
answer (core/solve.py) shows the input's value and the figure it gives, or
says the target is out of reach and why.  Apply sets the input through the
binding, so it is one step on the undo stack like any edit.  When the
scenario changes after a solve, the answer is marked out of date and cannot
be applied until solved again.
"""
from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout, QWidget)

from core.parameters import format_range
from core.solve import SolveError, SolveResult, numeric_input, solve
from ui.app.binding import ScenarioBinding
from ui.tabs.solve_common import (figure_combo, figure_label, format_figure, format_input,
                                  input_combo, is_percent_figure, parse_number)
from ui.look.themes import ERROR_STYLE, WARNING_STYLE

DEFAULT_FIGURE = "buyer_npv"
DEFAULT_INPUT = "contract.monthly_fee"


class SolvePanel(QWidget):
    def __init__(self, binding: ScenarioBinding, parent=None):
        super().__init__(parent)
        self.binding = binding
        self.result: SolveResult | None = None
        self._applying = False

        self.figure = figure_combo(DEFAULT_FIGURE)
        self.target = QLineEdit("0")
        self.target.setPlaceholderText("e.g. 0, 15%, 1.25B")
        self.target.setToolTip("The value the figure should take: 0.15 or 15% for a rate, "
                               "1.25B or 1250000000 for money.")
        self.vary = input_combo(DEFAULT_INPUT)
        self.range_note = QLabel()
        self.range_note.setTextFormat(Qt.TextFormat.PlainText)
        self.range_note.setStyleSheet("color:#4A5560;")
        self.solve_button = QPushButton("Solve")
        self.solve_button.setDefault(True)
        self.answer = QLabel("Choose a figure, its target and the input to vary, then Solve.")
        self.answer.setTextFormat(Qt.TextFormat.PlainText)   # messages may quote typed text
        self.answer.setWordWrap(True)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.apply_button = QPushButton("Apply")
        self.apply_button.setEnabled(False)
        self.apply_button.setToolTip("Set the input to the value found (one undoable edit).")

        group = QGroupBox("Solve for")
        form = QFormLayout(group)
        form.addRow("Figure", self.figure)
        form.addRow("Target", self.target)
        form.addRow("By changing", self.vary)
        form.addRow("", self.range_note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.solve_button)
        buttons.addWidget(self.apply_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(group)
        # Outside the form: a wrapped label in a form row is cut to one line's height.
        layout.addWidget(self.answer)
        layout.addStretch(1)

        self.solve_button.clicked.connect(self.solve)
        self.target.returnPressed.connect(self.solve)
        self.apply_button.clicked.connect(self.apply)
        self.vary.currentIndexChanged.connect(self._show_range)
        self.figure.currentIndexChanged.connect(self._forget)
        self.vary.currentIndexChanged.connect(self._forget)
        self.target.textEdited.connect(self._forget)
        binding.scenario_changed.connect(self._scenario_changed)
        self._show_range()

    # --- what the user picked ---------------------------------------------------------

    @property
    def figure_name(self) -> str:
        return self.figure.currentData()

    @property
    def input_key(self) -> str:
        return self.vary.currentData()

    def choose(self, figure: str, target: str, vary: str) -> None:
        """Set the three choices (as a user would pick and type them)."""
        self.figure.setCurrentIndex(self.figure.findData(figure))
        self.vary.setCurrentIndex(self.vary.findData(vary))
        self.target.setText(target)
        self._forget()

    # --- actions ----------------------------------------------------------------------

    def solve(self) -> SolveResult | None:
        try:
            target = parse_number(self.target.text())
        except ValueError as error:
            self._say(f"Target: {error}", ERROR_STYLE)
            return None
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.result = solve(self.binding.scenario, self.figure_name, target, self.input_key)
        except SolveError as error:
            self.result = None
            self._say(str(error), ERROR_STYLE)
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._show_answer(self.result)
        return self.result

    def apply(self) -> bool:
        """Set the input to the value found: one edit through the binding."""
        result = self.result
        if result is None or not math.isfinite(result.value):
            return False
        spec = numeric_input(result.input)
        value = int(round(result.value)) if spec.whole else result.value
        self._applying = True
        try:
            accepted = self.binding.set_values(spec.section, **{spec.field: value})
        finally:
            self._applying = False
        if accepted:
            self.result = None     # applied: undo and redo are the Edit menu's
            self.apply_button.setEnabled(False)
            self._say(f"Applied: {spec.label} is now {format_input(spec, value)}, giving "
                      f"{figure_label(result.figure)} {format_figure(result.figure, result.achieved)}."
                      " Undo to go back.", "")
        return accepted

    # --- display ----------------------------------------------------------------------

    def _show_answer(self, result: SolveResult) -> None:
        spec = numeric_input(result.input)
        name = figure_label(result.figure)
        target = format_figure(result.figure, result.target)
        if result.reachable:
            text = (f"{spec.label} {format_input(spec, result.value)} gives {name} "
                    f"{format_figure(result.figure, result.achieved)} (target {target}; now "
                    f"{format_input(spec, result.current_value)}, giving "
                    f"{format_figure(result.figure, result.current_figure)}).")
            style = ""
        elif not math.isfinite(result.value):
            text = (f"{name} is undefined for every {spec.label} in "
                    f"{format_input(spec, result.input_range[0])} to "
                    f"{format_input(spec, result.input_range[1])}: no value reaches {target}.")
            style = WARNING_STYLE
        else:
            low, high = result.figure_range
            text = (f"No {spec.label} in {format_input(spec, result.input_range[0])} to "
                    f"{format_input(spec, result.input_range[1])} gives {name} {target}: "
                    f"it ranges from {format_figure(result.figure, low)} to "
                    f"{format_figure(result.figure, high)} there. Closest: "
                    f"{format_input(spec, result.value)}, giving "
                    f"{format_figure(result.figure, result.achieved)}.")
            style = WARNING_STYLE
        if result.other_crossings:
            text += (f" The target is also crossed at {result.other_crossings} other "
                     f"place{'s' if result.other_crossings > 1 else ''} in the range; this is "
                     f"the one nearest the current value.")
        self._say(text, style)
        self.apply_button.setEnabled(math.isfinite(result.value)
                                     and result.value != result.current_value)
        self.apply_button.setText("Apply" if result.reachable else "Apply closest")

    def _say(self, text: str, style: str) -> None:
        self.answer.setText(text)
        self.answer.setStyleSheet(style)

    def _show_range(self) -> None:
        spec = numeric_input(self.input_key)
        meta = {"unit": spec.unit, "minimum": spec.minimum, "maximum": spec.maximum}
        whole = ", whole values" if spec.whole else ""
        self.range_note.setText(f"Searched between {format_range(meta)}{whole}")
        self.target.setToolTip("Type a percentage (15%) or a fraction (0.15)"
                               if is_percent_figure(self.figure_name) else
                               "Type a number: 0, 1.25B, 45e9")

    def _forget(self, *_args) -> None:
        """A choice changed: the last answer no longer answers it."""
        if self.result is not None:
            self.result = None
            self.apply_button.setEnabled(False)
            self._say("Solve again for the new choice.", "")

    def _scenario_changed(self, _scenario) -> None:
        if self._applying or self.result is None:
            return
        self.result = None
        self.apply_button.setEnabled(False)
        self._say(self.answer.text() + " (The scenario has changed since: solve again.)",
                  WARNING_STYLE)
