"""Views on hidden tabs update when they are shown, not on every edit.

Every tab's plots listen to the model's results; redrawing the hidden ones
at each edit cost more than the visible tab itself (bench/run.py).  A view
installed with `update_when_visible` is updated at once while its widget is
visible; while hidden, it keeps only the latest results and applies them
when the widget is next shown, or on `binding.flush_views()` (for code that
reads views directly, as tests do).
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget


class _VisibleOnlyUpdater(QObject):
    def __init__(self, binding, widget: QWidget, slot: Callable[[object], None]):
        super().__init__(widget)
        self._widget = widget
        self._slot = slot
        self._pending = None
        widget.installEventFilter(self)
        binding.results_changed.connect(self._results)
        binding.flushed.connect(self.apply_pending)

    def _results(self, results) -> None:
        if self._widget.isVisible():
            self._pending = None
            self._slot(results)
        else:
            self._pending = results

    def apply_pending(self) -> None:
        if self._pending is not None:
            results, self._pending = self._pending, None
            self._slot(results)

    def eventFilter(self, watched, event) -> bool:
        # Each event to the tab passes here: its Python class says Show
        # more cheaply than event.type() (an enum made at each call).
        if isinstance(event, QShowEvent):
            self.apply_pending()
        return False


def update_when_visible(binding, widget: QWidget, slot: Callable[[object], None],
                        now=None) -> None:
    """Call `slot(results)` on each results change while `widget` is visible;
    while it is hidden, once with the latest results when it is shown.
    `now`: results to show at once if the widget is visible, else when it is
    first shown (a view hidden at start-up, such as the schedule dock, costs
    nothing until then)."""
    updater = _VisibleOnlyUpdater(binding, widget, slot)
    if now is not None:
        updater._results(now)
