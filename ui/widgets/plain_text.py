"""Text that comes from a file (scenario, tranche and GPU model names, field
names in an error) is shown as plain text, and shortened where it is quoted.

Qt renders a string that looks like HTML as rich text in QLabel, QMessageBox
and pyqtgraph legends: `<img src="...">` in a scenario name would make the app
read a local path (a pipe would hang it for good; on Windows a UNC path would
connect to a remote share).  Every place that shows such a string goes
through one of these helpers: labels and message boxes are set to plain text,
tooltips (which Qt always sniffs) are escaped (tests/ui/test_plain_text_everywhere.py
walks every widget the app builds to hold this).
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

# Longest message a box or the status bar shows; a name is cut much shorter.
MAX_MESSAGE = 600
MAX_NAME = 80


def shortened(text: str, limit: int = MAX_MESSAGE) -> str:
    """`text` cut to `limit` characters with an ellipsis, and printable (a lone
    surrogate from a file is shown escaped)."""
    text = str(text).encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def as_html(text: str, limit: int = MAX_NAME) -> str:
    """A name for a place that renders HTML (a pyqtgraph legend): escaped, short."""
    return html.escape(shortened(text, limit), quote=False)


def plain_tooltip(text: str, limit: int = MAX_MESSAGE) -> str:
    """A tooltip that shows `text` as it is.  Qt sniffs every tooltip for rich
    text (a QLabel's setTextFormat does not reach it), so the text is escaped
    inside a paragraph that keeps its line breaks and spaces."""
    escaped = html.escape(shortened(text, limit), quote=False)
    return f"<p style='white-space:pre'>{escaped}</p>"


def plain_label(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def message_box(icon: QMessageBox.Icon, title: str, text: str,
                buttons=QMessageBox.StandardButton.Ok, parent: QWidget | None = None) -> QMessageBox:
    """A QMessageBox whose text is plain and shortened, whatever it quotes."""
    box = QMessageBox(icon, title, shortened(text), buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def escape_legend(legend) -> None:
    """Make a pyqtgraph LegendItem show every name as plain text (it renders HTML):
    names added by `plot(name=...)` and by `legend.addItem(item, name)` alike."""
    add = legend.addItem

    def add_escaped(item, name):
        return add(item, as_html(name))
    legend.addItem = add_escaped
