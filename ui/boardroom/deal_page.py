"""The deal on a page in presentation mode: the pack's first page
(core.export.pack.deal_section) drawn on screen, nothing computed here.

The section's verdict heads the page (its kicker, which side it is for, goes
in the presentation's header); the term sheet sits beside
the side's key figures, the largest risks below, and what the figures assume
last, as the PDF's page 1 and the deck's first slide lay them out.  Every
label is plain text (names come from files) and wraps; the type is the
largest, from a quarter over the presentation's size down to 60% of it, at
which the whole page fits the room it is given, so nothing is cut on any
screen and a projector's spare room goes to larger type.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from core.export.pack import Section, Table
from ui.look.themes import Theme

# Column widths of each table, relative (the PDF's proportions).
TERM_SHEET_STRETCH = (1, 3)
KEY_FIGURES_STRETCH = (3, 2)
RISKS_STRETCH = (3, 4, 5)
GROWTH = 1.25      # the most the page's type grows past the presentation's body type


def _label(text: str = "", wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)     # names from a file: never HTML
    label.setWordWrap(wrap)
    label.setText(text)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


class TableView(QWidget):
    """A pack table (core.export.pack.Table) as a grid of wrapped labels, the
    header row bold and muted; `right` columns aligned right (numbers)."""

    def __init__(self, stretch: tuple[int, ...], right: tuple[int, ...] = (),
                 bold_first: bool = False, parent=None):
        super().__init__(parent)
        self.stretch, self.right, self.bold_first = stretch, right, bold_first
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(4)
        for column, factor in enumerate(stretch):
            self.grid.setColumnStretch(column, factor)
        self.headers: list[QLabel] = []
        self.cells: list[QLabel] = []
        self.table: Table | None = None

    def show_table(self, table: Table | None) -> None:
        for label in self.headers + self.cells:
            self.grid.removeWidget(label)
            label.setParent(None)
            label.deleteLater()
        self.headers, self.cells, self.table = [], [], table
        self.setVisible(table is not None)
        if table is None:
            return
        for column, text in enumerate(table.headers):
            label = _label(text)
            if column in self.right:
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(label, 0, column)
            label.show()        # now, not on the next event-loop turn: the page fits it
            self.headers.append(label)
        for row, values in enumerate(table.rows, start=1):
            for column, text in enumerate(values):
                label = _label(str(text))
                if column in self.right:
                    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
                self.grid.addWidget(label, row, column)
                label.show()
                self.cells.append(label)

    def set_size(self, pixels: int) -> None:
        columns = len(self.stretch)
        for labels, header in ((self.headers, True), (self.cells, False)):
            for i, label in enumerate(labels):
                font = QFont(label.font())
                font.setPixelSize(pixels)
                font.setBold(header or (self.bold_first and i % columns == 0))
                label.setFont(font)

    def apply_theme(self, theme: Theme) -> None:
        for label in self.headers:
            label.setStyleSheet(f"color:{theme.muted};")
        for label in self.cells:
            label.setStyleSheet(f"color:{theme.text};")


class DealPage(QWidget):
    """The deal section (core.export.pack.deal_section) on one screen."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.kicker = _label()
        self.headline = _label()
        self.term_sheet = TableView(TERM_SHEET_STRETCH, bold_first=True)
        self.key_figures = TableView(KEY_FIGURES_STRETCH, right=(1,))
        self.risks_title = _label()
        self.risks = TableView(RISKS_STRETCH, right=(2,))
        self.assumes_title = _label("What the figures assume")
        self.assumes = _label()
        tables = QHBoxLayout()
        tables.setSpacing(32)
        tables.addWidget(self.term_sheet, 57)
        tables.addWidget(self.key_figures, 43)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 0)
        layout.setSpacing(6)
        self.kicker.hide()      # the presentation's header says it (`heading`)
        layout.addWidget(self.headline)
        layout.addSpacing(4)
        layout.addLayout(tables)
        layout.addSpacing(4)
        layout.addWidget(self.risks_title)
        layout.addWidget(self.risks)
        layout.addSpacing(4)
        layout.addWidget(self.assumes_title)
        layout.addWidget(self.assumes)
        layout.addStretch(1)
        self.section: Section | None = None
        self.base = self.largest = self.pixels = 18

    @property
    def headline_text(self) -> str:
        return self.headline.text()

    @property
    def heading(self) -> str:
        """The kicker without the scenario's name, which the presentation's
        header already shows: "The deal on a page, for Anthropic, the buyer"."""
        if self.section is None:
            return "The deal on a page"
        _name, _colon, rest = self.section.kicker.rpartition(": ")
        rest = rest or self.section.kicker
        return rest[:1].upper() + rest[1:]

    def show_section(self, deal: Section) -> None:
        """The pack's deal section: its tables are the term sheet, the key
        figures and (when the tornado has any swing) the largest risks."""
        self.section = deal
        self.kicker.setText(deal.kicker)
        self.headline.setText(deal.title)
        self.term_sheet.show_table(deal.tables[0])
        self.key_figures.show_table(deal.tables[1])
        risks = deal.tables[2] if len(deal.tables) > 2 else None
        self.risks_title.setText(risks.title if risks is not None else "")
        self.risks_title.setVisible(risks is not None)
        self.risks.show_table(risks)
        self.assumes.setText("\n".join(deal.sentences))
        if getattr(self, "_theme", None) is not None:
            self.apply_theme(self._theme)
        self.fit()
        QTimer.singleShot(0, self.fit)   # again once the new labels are laid out

    def set_size(self, pixels: int) -> None:
        """The presentation's body type: the page takes up to a quarter more
        where the screen has room (a projector), and shrinks to fit."""
        self.base = pixels
        self.largest = round(pixels * GROWTH)
        self.fit()

    def _apply_size(self, pixels: int) -> None:
        self.pixels = pixels
        for label, factor, bold in ((self.kicker, 0.85, False), (self.headline, 1.3, True),
                                    (self.risks_title, 0.95, True),
                                    (self.assumes_title, 0.85, True), (self.assumes, 0.85, False)):
            font = QFont(label.font())
            font.setPixelSize(max(11, int(pixels * factor)))
            font.setBold(bold)
            label.setFont(font)
        for table in (self.term_sheet, self.key_figures, self.risks):
            table.set_size(pixels)
            # Its item in the page's layout caches its height for a width: drop it.
            table.grid.invalidate()
            table.updateGeometry()
        self.layout().invalidate()

    def _needed_height(self) -> int:
        self.ensurePolished()       # the labels' style sheets (padding, rules) count
        layout = self.layout()
        layout.activate()
        height = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        return height if height > 0 else layout.totalSizeHint().height()

    def fit(self) -> None:
        """The largest type, down to 60% of the presentation's, that fits."""
        if self.width() <= 0 or self.height() <= 0:
            self._apply_size(self.largest)
            return
        smallest = max(9, int(self.base * 0.6))
        for pixels in range(self.largest, smallest - 1, -1):
            self._apply_size(pixels)
            if self._needed_height() <= self.height():
                break

    def apply_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.kicker.setStyleSheet(f"color:{theme.muted};")
        self.headline.setStyleSheet(f"color:{theme.card_value};")
        for label in (self.risks_title,):
            label.setStyleSheet(f"color:{theme.text};")
        for label in (self.assumes_title, self.assumes):
            label.setStyleSheet(f"color:{theme.muted};")
        for table in (self.term_sheet, self.key_figures, self.risks):
            table.apply_theme(theme)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.fit()
