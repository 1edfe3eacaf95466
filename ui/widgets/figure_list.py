"""A titled list of figures (label: value) read from the key figures."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel

from core.formatting import format_money


class FigureList(QGroupBox):
    def __init__(self, title: str, rows: list[tuple[str, str, Callable]], parent=None):
        """rows: (label, KeyFigures attribute, formatter)."""
        super().__init__(title, parent)
        self.rows = rows
        self.values: dict[str, QLabel] = {}
        form = QFormLayout(self)
        for label, attribute, _formatter in rows:
            value = QLabel("\u2014")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            font = QFont(value.font())
            font.setBold(True)
            value.setFont(font)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.values[attribute] = value
            form.addRow(label, value)

    def show_results(self, results) -> None:
        figures = results.key_figures
        for _label, attribute, formatter in self.rows:
            self.values[attribute].setText((formatter or format_money)(getattr(figures, attribute)))

    def text_of(self, attribute: str) -> str:
        return self.values[attribute].text()
