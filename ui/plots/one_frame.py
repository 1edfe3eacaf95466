"""The plots of a view painted in one frame of their window, not one each.

An edit that moves the curves of three plots makes each plot's scene dirty;
Qt then processes each scene's dirty items in a queued call of its own
(QGraphicsScene's _q_processDirtyItems), and that call, once the scene's
views know their dirty regions, sends the window's pending UpdateRequest at
once (QGraphicsView's dispatchPendingUpdateRequests).  So the window was
repainted and flushed once per plot, one after the other, and once more for
the edited field and the key figures: four backing-store syncs an edit on the
Contract tab, three on Economics (issue 22, bench/profile_frame.py).

`paint_together(views)`, called once a view has given every plot its new
data, delivers the plots' scenes' queued calls now, holding back the
UpdateRequest each sends, and posts one in its place: the window then paints the plots, the
fields and the figures in a single sync.  What is painted, and where, is what
Qt would have painted: the same dirty regions, only in one pass.  On the
offscreen platform the benchmark uses a flush costs next to nothing, and the
main thread's CPU an edit moves within the noise; on a screen each sync is
one more flush to the display, and the user no longer sees an edit's field
and figures a frame before its plots.
"""
from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QGraphicsView, QWidget

_LOW_PRIORITY = Qt.EventPriority.LowEventPriority.value   # as Qt posts an UpdateRequest


class _HeldUpdateRequests(QObject):
    """An event filter on a window that swallows its UpdateRequests and
    remembers that one came."""

    def __init__(self):
        super().__init__()
        self.held = False

    def eventFilter(self, _watched, event) -> bool:   # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.UpdateRequest:
            self.held = True
            return True
        return False


def paint_together(views: Iterable[QGraphicsView]) -> None:
    """Process the dirty items of each shown view's scene now, every window's
    UpdateRequest held back until all are done, then post one per window
    that had one: the views paint in that window's next frame, together."""
    by_window: dict[int, tuple[QWidget, list[QGraphicsView]]] = {}
    for view in views:
        if view.isVisible() and view.scene() is not None:
            window = view.window()
            by_window.setdefault(id(window), (window, []))[1].append(view)
    for window, shown in by_window.values():
        holder = _HeldUpdateRequests()
        window.installEventFilter(holder)
        try:
            for view in shown:
                # The scene's queued call itself, taken from the queue: called
                # directly instead, it stayed queued, and ran once more after
                # the views' changes, sending the window's repaint there and
                # then, ahead of the layouts the changes had asked for (a
                # plot's note laid out after that frame was painted again in
                # the next).
                QCoreApplication.sendPostedEvents(view.scene(), QEvent.Type.MetaCall)
        finally:
            window.removeEventFilter(holder)
            if holder.held:
                # Qt marks the request as sent when it posts one and clears the
                # mark when the window syncs: this one takes the place of those
                # held back, even if a scene's call failed (none held back and
                # none posted again, the window would never repaint).
                QCoreApplication.postEvent(window, QEvent(QEvent.Type.UpdateRequest),
                                           _LOW_PRIORITY)
