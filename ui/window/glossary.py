"""Help > Glossary: every key figure and schedule column with its unit, side
and definition, as core.figures declares them (the same text as
docs/figures.md).  Every piece of text is HTML-escaped: the window shows it
as written, whatever characters a definition holds."""
from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from core import figures


def glossary_html() -> str:
    parts = ["<p>Invoices are the fees after SLA credits; payments are invoices plus the "
             "deposit's cash. Side says whose figure it is.</p>"]
    for title, table in (("Key figures", figures.KEY_FIGURES),
                         ("Counterparty credit", figures.CREDIT_FIGURES),
                         ("Monthly schedule columns", figures.COLUMNS)):
        parts.append(f"<h3>{escape(title)}</h3>")
        parts.append("<table cellspacing='0' cellpadding='4' border='1'>"
                     "<tr><th>Label</th><th>Key</th><th>Unit</th><th>Side</th>"
                     "<th>Definition</th></tr>")
        for o in table.values():
            parts.append(f"<tr><td>{escape(o.label)}</td><td><code>{escape(o.key)}</code></td>"
                         f"<td>{escape(o.unit) or '-'}</td><td>{escape(o.side)}</td>"
                         f"<td>{escape(o.definition)}</td></tr>")
        parts.append("</table>")
    return "".join(parts)


class GlossaryDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Glossary of figures and columns")
        self.text = QTextBrowser()
        self.text.setHtml(glossary_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(900, 640)
