"""A tab widget that does not repaint every page at each layout request.

Qt's QTabWidget answers every LayoutRequest it receives with its private
setUpLayout(), which places the tab bar and the page stack and then calls
update() on the whole widget.  A LayoutRequest reaches it from inside any
page whenever a widget there asks for new geometry: a label whose text
changed (a status line, a figure beside a plot) does, on every edit.  So
one changed label repainted every plot, table and field of the tab shown
(the Solve & sweep and Risk tabs, measured: a whole-window paint an edit).

Where the tab bar and the page stack go depends only on the tab widget's
own size, its tab bar and corner widgets, never on what a page holds;
resizes, shows and tab changes lay them out through their own handlers.  So
a LayoutRequest that comes when none of those changed since the last one is
answered by passing the news up (the widget's size hint may follow its
pages') and nothing else: the page's own layout already placed its widgets,
and each repaints what it changed.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QTabWidget


class TabWidget(QTabWidget):
    """QTabWidget without the whole-widget repaint on a page's layout request."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._laid_out_for = None

    def _layout_key(self) -> tuple:
        bar = self.tabBar()
        corners = tuple(
            None if widget is None else (widget.isVisible(), widget.sizeHint().toTuple())
            for widget in (self.cornerWidget(Qt.Corner.TopLeftCorner),
                           self.cornerWidget(Qt.Corner.TopRightCorner)))
        return (self.size().toTuple(), bar.isVisible(), bar.sizeHint().toTuple(),
                bar.geometry().getRect(), self.tabPosition(), self.documentMode(), self.count(),
                corners)

    def event(self, event) -> bool:
        if event.type() != QEvent.Type.LayoutRequest:
            return super().event(event)
        if self._layout_key() == self._laid_out_for:
            self.updateGeometry()
            return True
        handled = super().event(event)
        self._laid_out_for = self._layout_key()     # as placed now
        return handled
