"""Getting a hidden tab ready to be shown, in small steps of idle time.

A tab built while hidden has never been laid out (a stacked widget sizes only
the page it shows) and its plots have never been painted: its first show
laid out the whole page, resized every plot (each axis drawn again at the new
size) and painted each plot two or three times while its axes settled their
widths (issue 22: a first click froze the window 60-290 ms).  These steps do
that work while the user is not asking for anything, one small piece an
event-loop turn (ui/main_window.py runs them): the page laid out at the size
it will be shown at, then each plot rendered off screen, twice (the first
render sizes the axes to their labels, the second draws them at that size).
What the user then sees at a first click is the paint of an already laid out
page.  A page shown meanwhile needs none of it (its steps do nothing).
"""
from __future__ import annotations

from typing import Callable

import pyqtgraph as pg
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget


def warm_up_steps(page: QWidget, area: Callable[[], QRect]) -> list[Callable[[], None]]:
    """The steps that ready `page` (hidden) for its first show, in order;
    `area()` is the rectangle the page will be shown in (the tab widget's
    page area under the warnings that tab shows, ui/main_window.py
    _page_area; read when the step runs)."""
    views = page.findChildren(pg.GraphicsView)
    steps: list[Callable[[], None]] = [lambda: lay_out_hidden(page, area())]
    for _pass in range(2):
        steps += [lambda view=view: render_hidden(page, view) for view in views]
    return steps


def lay_out_hidden(page: QWidget, rect: QRect) -> None:
    """Give the hidden page the geometry it will be shown with and lay it out
    (a render of one pixel sends the resize events Qt keeps pending for a
    hidden widget, to the page and every child, and activates their layouts)."""
    if page.isVisible() or not rect.isValid():
        return
    page.setGeometry(rect)
    page.grab(QRect(0, 0, 1, 1))


def render_hidden(page: QWidget, view: pg.GraphicsView) -> None:
    """Paint the plot off screen once: its axes are drawn and cached at the
    size the page is shown at (ui/plots/fast_axis.py keeps the drawing)."""
    if page.isVisible():
        return
    view.grab()
