"""A titled list of key figures (label: value); labels and number formats
come from core.figures, so a figure reads here as it does everywhere."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QSizePolicy, QWidget

from core import figures


class FigureValue(QWidget):
    """A figure in the list: a selectable, right-aligned label in a holder
    with no layout.  A QLabel whose text changes asks its list, the form
    panel and the scroll area to lay out again (at every edit, on each tab
    with a list); the label's request stops at this holder, which asks for
    room again only when the new figure would not fit (its size hint is the
    label's)."""

    def __init__(self, text: str, parent=None):
        super().__init__(parent)
        self.label = QLabel(text, self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:   # noqa: N802 (QLabel's name)
        if text == self.label.text():
            return
        self.label.setText(text)
        if self.label.sizeHint().width() > self.width():
            self.updateGeometry()          # it would be cut: the list makes room once

    def setFont(self, font: QFont) -> None:   # noqa: N802
        super().setFont(font)
        self.label.setFont(font)
        self.updateGeometry()

    def sizeHint(self) -> QSize:   # noqa: N802
        return self.label.sizeHint()

    def minimumSizeHint(self) -> QSize:   # noqa: N802
        return self.label.minimumSizeHint()

    def resizeEvent(self, event) -> None:   # noqa: N802
        super().resizeEvent(event)
        self.label.setGeometry(self.rect())


class FigureList(QGroupBox):
    def __init__(self, title: str, keys: list[str], parent=None):
        """keys: KeyFigures fields (or Results.credit's), in the order shown."""
        super().__init__(title, parent)
        self.keys = list(keys)
        self.values: dict[str, QLabel | FigureValue] = {}
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
            value = FigureValue("\u2014")
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
