"""A label whose new text lays nothing out again unless it needs other room.

A QLabel whose text changes asks its parent's layout to lay out again, and
that layout its parent's, up to the scroll area or the window: at every edit,
for a figure or a status line that changes with each edit (the Economics
tab's lists, the two-way table's status).  SteadyLabel holds a QLabel (so the
text stays selectable, aligned and styled as a label's) in a widget with no
layout: the label's request stops there, and the holder asks its layout for
room only when the new text needs other room than it asked for last (a wider
figure, a status of more or fewer lines).  A style sheet set on the holder
applies to the label in it, as to any child.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class SteadyLabel(QWidget):
    def __init__(self, text: str = "", parent=None, *, wrap: bool = False):
        super().__init__(parent)
        self.label = QLabel(text, self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(wrap)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred,
                             QSizePolicy.Policy.Preferred if wrap else QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(wrap)
        self.setSizePolicy(policy)
        self._asked = self._room()

    # --- what a QLabel offers, on the label -----------------------------------------------

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:   # noqa: N802 (QLabel's name)
        if text == self.label.text():
            return
        self.label.setText(text)
        self._ask_if_needed()

    def setFont(self, font: QFont) -> None:   # noqa: N802
        super().setFont(font)
        self.label.setFont(font)
        self._ask()

    # --- the room it asks for ---------------------------------------------------------------

    def _room(self) -> QSize:
        """What the text needs: its width (one line), its height at this width
        (wrapped)."""
        if self.label.wordWrap():
            return QSize(0, self.label.heightForWidth(max(1, self.width())))
        return QSize(self.label.sizeHint().width(), self.label.sizeHint().height())

    def _ask_if_needed(self) -> None:
        room = self._room()
        if self.label.wordWrap():
            needed = room.height() != self._asked.height()     # more or fewer lines
        else:
            needed = room.width() > self.width() or room.height() != self._asked.height()
        if needed:
            self._ask(room)

    def _ask(self, room: QSize | None = None) -> None:
        self._asked = room if room is not None else self._room()
        self.updateGeometry()

    def sizeHint(self) -> QSize:   # noqa: N802
        return self.label.sizeHint()

    def minimumSizeHint(self) -> QSize:   # noqa: N802
        return self.label.minimumSizeHint()

    def hasHeightForWidth(self) -> bool:   # noqa: N802
        return self.label.wordWrap()

    def heightForWidth(self, width: int) -> int:   # noqa: N802
        return self.label.heightForWidth(width)

    def resizeEvent(self, event) -> None:   # noqa: N802
        super().resizeEvent(event)
        self.label.setGeometry(self.rect())
        if self.label.wordWrap():
            self._asked = self._room()        # the lines at the width laid out

    def changeEvent(self, event) -> None:   # noqa: N802
        super().changeEvent(event)      # a style or font change asks for room itself
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._asked = self._room()  # the room asked for now: the label's new size
