"""The strip of key figures above the tabs, and the warnings under it."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from core.formatting import format_money
from ui.theme import WARNING_STYLE

# (attribute of KeyFigures, title, tooltip)
FIGURES = (
    ("total_contract_value", "Total contract value", "Sum of all payments to the end of the term"),
    ("annual_run_rate", "Annual run rate", "Monthly fee x 12"),
    ("price_per_gpu_hour", "$ / GPU-hour", "Payments / delivered GPU-hours over the term"),
    ("cost_per_million_tokens", "$ / M tokens",
     "Payments / tokens the capacity can serve at the assumed utilization, per million"),
    ("walkaway_exposure", "Walk-away exposure",
     "Fees for the notice period (prorated daily at fee x 12 / 365) plus any termination fee, "
     "if notice is given at the start"),
    ("npv_payments", "NPV of payments", "Payments discounted on actual dates at the buyer's rate"),
)


class FigureCard(QFrame):
    def __init__(self, title: str, tooltip: str, parent=None):
        super().__init__(parent)
        self.setObjectName("FigureCard")
        self.setStyleSheet("#FigureCard { background:#F4F6F8; border:1px solid #D5DAE0; "
                           "border-radius:6px; }")
        self.title = QLabel(title)
        self.title.setStyleSheet("color:#4A5560;")
        self.value = QLabel("\u2014")
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setStyleSheet("color:#0B2239;")
        self.setToolTip(tooltip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.value)


class KeyFigureStrip(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.cards: dict[str, FigureCard] = {}
        row = QHBoxLayout()
        row.setSpacing(8)
        for name, title, tooltip in FIGURES:
            card = FigureCard(title, tooltip)
            self.cards[name] = card
            row.addWidget(card, 1)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(WARNING_STYLE)
        self.warnings.setTextFormat(Qt.TextFormat.PlainText)
        self.warnings.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.setSpacing(6)
        layout.addLayout(row)
        layout.addWidget(self.warnings)

    def text_of(self, name: str) -> str:
        return self.cards[name].value.text()

    def show_results(self, results) -> None:
        figures = results.key_figures
        for name, card in self.cards.items():
            card.value.setText(format_money(getattr(figures, name)))
        if results.warnings:
            self.warnings.setText("\u26a0 " + "   \u26a0 ".join(results.warnings))
            self.warnings.show()
        else:
            self.warnings.hide()
