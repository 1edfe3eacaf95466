"""A titled list of key figures (label: value); labels and number formats
come from core.figures, so a figure reads here as it does everywhere."""
from __future__ import annotations

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
            self.values[key].setText(figures.format_value(key, getattr(source, key)))

    def text_of(self, key: str) -> str:
        return self.values[key].text()
