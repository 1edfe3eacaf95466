"""The strip of key figures above the tabs, the buyer / provider perspective
switch, and the warnings under them."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (QButtonGroup, QFrame, QHBoxLayout, QLabel, QPushButton,
                               QSizePolicy, QVBoxLayout, QWidget)

from core import figures
from ui.look.themes import WARNING_STYLE, Theme, current_theme, theme_manager

BUYER, PROVIDER = "buyer", "provider"
# The sizes a card's figure may take, times the window's font: the largest that fits.
FIT_SCALES = (1.75, 1.5, 1.3, 1.15, 1.0, 0.9)
_UNSHOWN = object()     # a card's value before its first figure


# The strip's figures (KeyFigures fields); label, tooltip (the definition)
# and number format come from core.figures.
COMMON_FIGURES = ("total_contract_value", "annual_run_rate", "price_per_gpu_hour",
                  "cost_per_million_tokens", "walkaway_exposure", "npv_payments")
# No card repeats another (the expected contract value is the total unless
# termination chances are typed: it stays on the Termination tab), and the
# provider's cards mean something when its capex is sunk, as in the reference
# deal (its IRR is then n/a and its payback month 1: both stay on Economics):
# its NPV and what the contract is worth against the market curve.
PERSPECTIVE_FIGURES = {
    BUYER: ("buyer_npv", "buyer_mark_to_market"),
    PROVIDER: ("provider_npv", "provider_mark_to_market"),
}


class FigureValue(QWidget):
    """A card's figure: one line that repaints itself when it changes and
    asks for no new layout.  A QLabel's setText asks its card, the strip and
    the window to lay out again, at every edit on every tab (about half a
    millisecond a frame); the card gives this its width, its height is fixed,
    and the card picks the font that fits (FigureCard._fit_value).  Its colour is the
    style sheet's `color`, as a label's, so the themes restyle it the same way.
    It paints its own background, the theme's card background (the card's
    style sheet's), so a new figure repaints it alone, not the card, the strip
    and the window under it."""

    def __init__(self, text: str = "", parent=None):
        super().__init__(parent)
        self._text = text
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:   # noqa: N802 (QLabel's name)
        if text != self._text:
            self._text = text
            self.update()

    def sizeHint(self) -> QSize:   # noqa: N802
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance(self._text), metrics.height())

    def paintEvent(self, _event) -> None:   # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(current_theme().card_background))
        painter.setPen(self.palette().color(_TEXT_ROLE))
        painter.drawText(self.rect(), _LEFT_MIDDLE, self._text)


_TEXT_ROLE = QPalette.ColorRole.WindowText
_LEFT_MIDDLE = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class FigureCard(QFrame):
    def __init__(self, key: str, parent=None):
        super().__init__(parent)
        self.key = key
        declared = figures.output(key)
        self.setObjectName("FigureCard")
        self.setStyleSheet("#FigureCard { background:#F4F6F8; border:1px solid #D5DAE0; "
                           "border-radius:6px; }")
        self.title = QLabel(declared.label)
        self.title.setStyleSheet("color:#4A5560;")
        # Long labels wrap instead of widening the strip past a 1280 px screen.
        self.title.setWordWrap(True)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.value = FigureValue("\u2014")
        self._base_size = self.value.font().pointSizeF()
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.75)
        font.setBold(True)
        self.value.setFont(font)
        # As tall as the largest size, whatever size _fit_value picks: the strip
        # keeps its height, so a figure that needs a smaller size does not move
        # (and repaint) everything under it.
        self.value.setFixedHeight(QFontMetrics(font).height())
        self.value.setStyleSheet("color:#0B2239;")
        # The sizes _fit_value tries, largest first, each font and its metrics
        # made once (not at every figure shown).
        self._sizes = []
        for scale in FIT_SCALES:
            sized = QFont(font)
            sized.setPointSizeF(self._base_size * scale)
            self._sizes.append((sized, QFontMetrics(sized)))
        self._size = 0                 # the index of the size in use (1.75x)
        self._value: object = _UNSHOWN
        self._waiting = None       # key figures that came while hidden
        self.setToolTip(declared.definition)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(90)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.value)

    def show_value(self, key_figures) -> None:
        if not self.isVisible() and self.window().isVisible():
            # The other side's card (View as): its figure when it is shown.
            self._waiting = key_figures
            return
        self._waiting = None
        value = getattr(key_figures, self.key)
        if value == self._value or (value != value and self._value != self._value):
            return     # the same figure as shown (NaN as NaN): not formatted again
        self._value = value
        text = figures.format_value(self.key, value)
        if text == self.value.text():
            return     # the same text as shown: its size still fits (most edits, most cards)
        self.value.setText(text)
        self._fit_value()

    def showEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        self.show_waiting()
        super().showEvent(event)

    def show_waiting(self) -> None:
        """The figure that came while the card was hidden, now."""
        if self._waiting is not None:
            self.show_value(self._waiting)

    def resizeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_value()

    def _fit_value(self) -> None:
        """The figure in the largest size up to 1.75x that fits the card: a
        narrow card shows "$7.78/GPU-hour" smaller, never cut off."""
        room = self.value.width()
        if room <= 0:
            return
        text = self.value.text()
        last = len(self._sizes) - 1
        size = next((i for i, (_font, metrics) in enumerate(self._sizes)
                     if i == last or metrics.horizontalAdvance(text) <= room), last)
        if size != self._size:
            self._size = size
            self.value.setFont(self._sizes[size][0])


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
        manager = theme_manager()
        manager.theme_changed.connect(self.apply_theme)
        self.apply_theme(manager.current)

    def apply_theme(self, theme: Theme) -> None:
        """The side on is filled in the theme's highlight, in every theme (Fusion's
        pressed shade is invisible on dark and high contrast); the other has the
        theme's button and an outline.  Colours only: a bold face would change
        the buttons' size, and the strip's layout, at each switch."""
        sheet = (f"QPushButton {{ background:{theme.button}; color:{theme.text}; "
                 f"border:1px solid {theme.input_border}; border-radius:3px; "
                 f"padding:3px 10px; }}"
                 f"QPushButton:checked {{ background:{theme.highlight}; "
                 f"color:{theme.highlight_text}; border:1px solid {theme.highlight}; }}")
        for button in self.buttons.values():
            button.setStyleSheet(sheet)

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
        for key in COMMON_FIGURES:
            self.cards[key] = card = FigureCard(key)
            row.addWidget(card, 1)
        for side, keys in PERSPECTIVE_FIGURES.items():
            for key in keys:
                self.cards[key] = card = FigureCard(key)
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
        self._results = None
        self._concern = ""
        self._twin: QLabel | None = None     # warnings_height measures on it
        self.show_perspective(BUYER)

    def show_perspective(self, side: str) -> None:
        for key, cards in self.perspective_cards.items():
            for card in cards:
                card.setVisible(key == side)

    def text_of(self, name: str) -> str:
        card = self.cards[name]
        card.show_waiting()
        return card.value.text()

    def show_results(self, results) -> None:
        for card in self.cards.values():
            card.show_value(results.key_figures)
        self._results = results
        self._show_warnings()

    def show_concern(self, concern: str) -> None:
        """Show the warnings about `concern` (the tab shown: contract, hardware,
        projections ...) and only those: each warning appears once, on the tab
        whose inputs and plots it is about, not as a banner on every screen."""
        if concern != self._concern:
            self._concern = concern
            self._show_warnings()

    def _warnings_about(self, concern: str) -> list[str]:
        results = self._results
        return [text for text, about in zip(results.warnings, results.warning_concerns)
                if about == concern] if results is not None else []

    def warnings_height(self, concern: str) -> int:
        """The height the warnings about `concern` would take in the strip (the
        line(s) and the spacing above), 0 if there are none: the tab area is
        that much shorter while such a tab is shown, and the main window lays
        out a hidden tab at the size it will be shown at (ui/window/warm_up.py).
        Measured on a twin of the warnings line, never shown."""
        shown = self._warnings_about(concern)
        if not shown:
            return 0
        if self._twin is None:
            self._twin = QLabel()
            self._twin.setWordWrap(True)
            self._twin.setTextFormat(Qt.TextFormat.PlainText)
        twin = self._twin
        if twin.styleSheet() != self.warnings.styleSheet():   # a theme's colours
            twin.setStyleSheet(self.warnings.styleSheet())
        twin.setFont(self.warnings.font())
        twin.setText("\u26a0 " + "   \u26a0 ".join(shown))
        twin.ensurePolished()
        margins = self.layout().contentsMargins()
        width = self.width() - margins.left() - margins.right()
        return twin.heightForWidth(width) + self.layout().spacing()

    def _show_warnings(self) -> None:
        shown = self._warnings_about(self._concern)
        if shown:
            self.warnings.setText("\u26a0 " + "   \u26a0 ".join(shown))
            self.warnings.show()
        else:
            self.warnings.hide()
