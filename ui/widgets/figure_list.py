"""A titled list of key figures (label: value); labels and number formats
come from core.figures, so a figure reads here as it does everywhere.

An edit sets only the figures it changed: a figure whose value is the one
shown (a fee edit leaves the token revenue and price as they were) is
neither formatted nor set again."""
from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel

from core import figures
from ui.widgets.steady_label import SteadyLabel


class FigureList(QGroupBox):
    def __init__(self, title: str, keys: list[str], parent=None):
        """keys: KeyFigures fields (or Results.credit's), in the order shown."""
        super().__init__(title, parent)
        self.keys = list(keys)
        self.values: dict[str, QLabel | SteadyLabel] = {}
        # key -> (the value show_results last set, the text it set for it)
        self._shown: dict[str, tuple[Any, str]] = {}
        form = QFormLayout(self)
        for key in self.keys:
            declared = figures.output(key)
            if declared.fmt == "text":
                # A sentence the model states (why the lease term is what it is):
                # the whole row, wrapped, under the figures it explains.
                sentence = QLabel("\u2014")
                sentence.setTextFormat(Qt.TextFormat.PlainText)
                sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                sentence.setWordWrap(True)
                sentence.setToolTip(f"{declared.label}: {declared.definition}")
                self.values[key] = sentence
                form.addRow(sentence)
                continue
            # A new figure repaints its value alone (SteadyLabel): no new layout.
            value = SteadyLabel("\u2014")
            value.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            font = QFont(value.font())
            font.setBold(True)
            value.setFont(font)
            self.values[key] = value
            name = QLabel(declared.label)
            name.setToolTip(declared.definition)
            form.addRow(name, value)

    def show_results(self, results) -> None:
        key_figures = results.key_figures
        for key in self.keys:
            source = key_figures if key not in figures.CREDIT_FIGURES else results.credit
            value = getattr(source, key)
            label = self.values[key]
            shown = self._shown.get(key)
            # The text checked too: a tab may have set the label itself since.
            if shown is not None and _same(shown[0], value) and label.text() == shown[1]:
                continue
            text = figures.format_value(key, value)
            label.setText(text)
            self._shown[key] = (value, text)

    def text_of(self, key: str) -> str:
        return self.values[key].text()


def _same(shown: Any, value: Any) -> bool:
    """The value shown, to the bit that formatting can see: the same type and
    equal, and for a float the same sign (-0.0 may read "-$0")."""
    if type(shown) is not type(value):
        return False
    try:
        equal = bool(shown == value)
    except (TypeError, ValueError):
        return False
    if equal and isinstance(value, float):
        return math.copysign(1.0, shown) == math.copysign(1.0, value)
    return equal
