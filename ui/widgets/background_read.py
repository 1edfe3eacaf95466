"""Reading a file off the UI thread, with progress and Cancel.

File > Open and Import read their file on a worker thread: the window keeps
painting and answering while a large or hostile file is read.  The reading
function gets a `check(fraction)` to call now and then (core.table_reading
does, every few hundred rows): it moves the progress bar and, once the user
has pressed Cancel, raises ReadCancelled so the read stops where it is.  The
result (or the exception) comes back to the UI thread by a queued signal, and
only then is anything changed.  While a read runs, a window-modal progress
dialog (shown after SHOW_AFTER_MS, so a quick read shows none) keeps the user
from starting another.
"""
from __future__ import annotations

import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from core.table_reading import ReadCancelled

SHOW_AFTER_MS = 300
STEPS = 1000


class BackgroundRead(QObject):
    """One read: `read(check)` runs on a worker thread; `done(result)`,
    `failed(error)` or `cancelled()` is emitted on the UI thread."""
    done = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    _progress = Signal(float)
    _finished = Signal(object, object)   # from the worker: (result, error)

    def __init__(self, parent: QWidget, label: str, read: Callable[[Callable[[float], None]], Any]):
        super().__init__(parent)
        self._read = read
        self._cancel = threading.Event()
        self.running = False
        self.dialog = QProgressDialog(label, "Cancel", 0, STEPS, parent)
        self.dialog.setObjectName("reading-progress")
        self.dialog.setWindowTitle("Reading")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self._progress.connect(lambda f: self.dialog.setValue(int(f * STEPS)))
        self._finished.connect(self._end)

    def start(self) -> "BackgroundRead":
        self.running = True
        self.dialog.setValue(0)
        threading.Thread(target=self._run, name="background-read", daemon=True).start()
        return self

    def cancel(self) -> None:
        self._cancel.set()

    def _check(self, fraction: float) -> None:
        if self._cancel.is_set():
            raise ReadCancelled()
        self._progress.emit(max(0.0, min(1.0, fraction)))

    def _run(self) -> None:
        try:
            self._check(0.0)
            result = self._read(self._check)
        except BaseException as error:   # handed to the UI thread, never raised here
            self._finished.emit(None, error)
        else:
            self._finished.emit(result, None)

    def _end(self, result, error) -> None:
        self.running = False
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()
        if isinstance(error, ReadCancelled) or (error is None and self._cancel.is_set()):
            self.cancelled.emit()
        elif error is not None:
            self.failed.emit(error)
        else:
            self.done.emit(result)
        self.deleteLater()


def read_in_background(parent: QWidget, label: str, read, on_done: Callable[[Any], None],
                       on_failed: Callable[[BaseException], None],
                       on_cancelled: Callable[[], None] | None = None) -> BackgroundRead:
    """Start `read(check)` on a worker; the callbacks run on the UI thread."""
    job = BackgroundRead(parent, label, read)
    job.done.connect(on_done)
    job.failed.connect(on_failed)
    if on_cancelled is not None:
        job.cancelled.connect(on_cancelled)
    return job.start()
