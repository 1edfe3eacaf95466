"""A probe for measuring cold start: with CDM_QUIT_AFTER_PAINT=1 in the
environment, the app quits as soon as its main window has been painted once,
printing "painted" on stdout.  installer/measure_startup.py times the
executable from launch to that exit; the tests use it to check that the
packaged app reaches a painted window.  Without the variable it does nothing.

`after_first_paint` runs start-up work that can wait (the crash-recovery
offer) once the window has been painted.
"""
from __future__ import annotations

import os

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ENV_VAR = "CDM_QUIT_AFTER_PAINT"


class _QuitAfterFirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # Children paint in the same pass; quit once it has finished.
            QTimer.singleShot(0, lambda: self._quit(watched))
        return False

    @staticmethod
    def _quit(window):
        print("painted", flush=True)
        window.close()   # a clean close where nothing is unsaved (autosave stops)
        # exit(), not quit(): quit() asks every window to close, and an open
        # dialog (crash recovery, unsaved changes) would veto it.
        QApplication.exit(0)


class _AfterFirstPaint(QObject):
    def __init__(self, window: QWidget, call):
        super().__init__(window)
        self._call = call

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._call)   # once the whole window has painted
        return False


def after_first_paint(window: QWidget, call) -> None:
    """Call `call()` once the window has been painted for the first time:
    for start-up work that can wait until the user sees the window."""
    window.installEventFilter(_AfterFirstPaint(window, call))


def quit_after_first_paint_if_asked(window: QWidget) -> bool:
    if os.environ.get(ENV_VAR) != "1":
        return False
    probe = _QuitAfterFirstPaint(window)
    window.installEventFilter(probe)
    return True
