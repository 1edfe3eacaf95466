"""The strip of key figures above the tabs, the buyer / provider perspective
switch, and the warnings under them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QButtonGroup, QFrame, QHBoxLayout, QLabel, QPushButton,
                               QVBoxLayout, QWidget)

from core.formatting import format_money, format_month, format_percent
from ui.boardroom.themes import WARNING_STYLE

BUYER, PROVIDER = "buyer", "provider"


@dataclass(frozen=True)
class Figure:
    attribute: str            # a KeyFigures field
    title: str
    tooltip: str
    formatter: Callable = format_money


def _irr(value) -> str:
    # No investment (capex sunk) leaves no rate of return to speak of.
    return format_percent(value) if value is not None and value == value else "n/a"


COMMON_FIGURES = (
    Figure("total_contract_value", "Total contract value", "Sum of all invoices to the end of the term"),
    Figure("annual_run_rate", "Annual run rate", "Monthly fee x 12"),
    Figure("price_per_gpu_hour", "$ / GPU-hour", "Invoices / delivered GPU-hours over the term"),
    Figure("cost_per_million_tokens", "$ / M tokens",
           "Invoices / tokens the capacity can serve at the assumed utilization, per million"),
    Figure("walkaway_exposure", "Walk-away exposure",
           "Fees for the notice period (prorated daily at fee x 12 / 365) plus any termination "
           "fee, if notice is given at the start"),
    Figure("npv_payments", "NPV of payments",
           "Payments discounted on actual dates at the buyer's rate"),
)
PERSPECTIVE_FIGURES = {
    BUYER: (
        Figure("buyer_npv", "Buyer NPV",
               "Token revenue less payments, discounted at the buyer's rate"),
        Figure("expected_contract_value", "Expected value",
               "Contract value weighted by the monthly chances of termination"),
    ),
    PROVIDER: (
        Figure("provider_npv", "Provider NPV",
               "Operating cash less capex (if bought for the deal) plus book value at the end, "
               "at the provider's WACC"),
        Figure("provider_irr", "Provider IRR",
               "On actual dates; n/a when the capex is sunk (no investment to return)", _irr),
        Figure("provider_payback_month", "Payback",
               "First month in which the provider's cumulative cash is not negative",
               format_month),
    ),
}


class FigureCard(QFrame):
    def __init__(self, figure: Figure, parent=None):
        super().__init__(parent)
        self.figure = figure
        self.setObjectName("FigureCard")
        self.setStyleSheet("#FigureCard { background:#F4F6F8; border:1px solid #D5DAE0; "
                           "border-radius:6px; }")
        self.title = QLabel(figure.title)
        self.title.setStyleSheet("color:#4A5560;")
        self.value = QLabel("\u2014")
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.75)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setStyleSheet("color:#0B2239;")
        self.setToolTip(figure.tooltip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.value)

    def show_value(self, key_figures) -> None:
        self.value.setText(self.figure.formatter(getattr(key_figures, self.figure.attribute)))


class PerspectiveSwitch(QWidget):
    """Buyer or provider: which side's figures and plots are shown."""
    changed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.buttons = {}
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        caption = QLabel("View as")
        caption.setStyleSheet("color:#4A5560;")
        layout.addWidget(caption)
        for key, text in ((BUYER, "Buyer"), (PROVIDER, "Provider")):
            button = QPushButton(text)
            button.setCheckable(True)
            self.group.addButton(button)
            self.buttons[key] = button
            layout.addWidget(button)
            button.toggled.connect(lambda on, key=key: on and self.changed.emit(key))
        self.buttons[BUYER].setChecked(True)

    @property
    def perspective(self) -> str:
        return BUYER if self.buttons[BUYER].isChecked() else PROVIDER

    def set_perspective(self, key: str) -> None:
        self.buttons[key].setChecked(True)


class KeyFigureStrip(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.cards: dict[str, FigureCard] = {}
        self.perspective_cards: dict[str, list[FigureCard]] = {BUYER: [], PROVIDER: []}
        row = QHBoxLayout()
        row.setSpacing(8)
        for figure in COMMON_FIGURES:
            self.cards[figure.attribute] = card = FigureCard(figure)
            row.addWidget(card, 1)
        for side, figures in PERSPECTIVE_FIGURES.items():
            for figure in figures:
                self.cards[figure.attribute] = card = FigureCard(figure)
                self.perspective_cards[side].append(card)
                row.addWidget(card, 1)
        self.switch = PerspectiveSwitch()
        row.addWidget(self.switch)
        self.switch.changed.connect(self.show_perspective)
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
        self.show_perspective(BUYER)

    def show_perspective(self, side: str) -> None:
        for key, cards in self.perspective_cards.items():
            for card in cards:
                card.setVisible(key == side)

    def text_of(self, name: str) -> str:
        return self.cards[name].value.text()

    def show_results(self, results) -> None:
        for card in self.cards.values():
            card.show_value(results.key_figures)
        if results.warnings:
            self.warnings.setText("\u26a0 " + "   \u26a0 ".join(results.warnings))
            self.warnings.show()
        else:
            self.warnings.hide()
