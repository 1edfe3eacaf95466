"""Long computations off the GUI thread: one job at a time, cancellable,
restartable, with progress.

`JobRunner.start(work)` runs `work(progress, cancelled)` in the runner's
worker thread (one, kept while the runner lives: _Worker).  A new start
cancels the job in flight (its cancel flag is checked between chunks of
work) and its late result is dropped, so only the newest job reports.  A
process that ends with a job in flight (the export command renders the Risk
tab, whose live simulation starts when shown, and exits without closing the
window) cancels it and waits for it at exit: at most one chunk of work, and
never inside a frame.

Two things keep the workers off the GUI thread's frames (issue 22).  Python
runs one thread at a time, and a thread that wants the interpreter while a
worker computes waits until the worker hands it over: by default up to 5 ms
(sys.getswitchinterval()), at each return from Qt to a Python slot, so a
results frame painted while a worker ran took several such waits.  The
workers' threads therefore run with a 0.5 ms switch interval (set when the
first job starts: the GUI thread waits at most that), and `AfterPaint` starts
a job once the frame under way has been painted, so the edit's own frame is
not shared with the job it starts.
"""
from __future__ import annotations

import atexit
import queue
import sys
import threading
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal

Work = Callable[[Callable[[float], None], Callable[[], bool]], Any]
SWITCH_INTERVAL_S = 0.0005   # the longest the GUI thread waits for a computing worker


class AfterPaint(QObject):
    """Calls queued now run after the frame under way is painted: Qt posts a
    window's repaint (UpdateRequest) at low priority, and these are posted
    below it.  A call queued again under the same key before it runs is run
    once."""
    _EVENT = QEvent.Type(QEvent.registerEventType())
    _PRIORITY = Qt.EventPriority.LowEventPriority.value - 1

    def __init__(self, parent=None):
        super().__init__(parent)
        self._due: dict[str, Callable[[], None]] = {}

    def call(self, key: str, call: Callable[[], None]) -> None:
        if not self._due:
            QCoreApplication.postEvent(self, QEvent(self._EVENT), self._PRIORITY)
        self._due[key] = call

    def cancel(self, key: str) -> None:
        self._due.pop(key, None)

    def pending(self, key: str) -> bool:
        return key in self._due

    @property
    def any_pending(self) -> bool:
        return bool(self._due)

    def event(self, event) -> bool:   # noqa: D401 (Qt's name)
        if event.type() != self._EVENT:
            return super().event(event)
        due, self._due = self._due, {}
        for call in due.values():
            call()
        return True


IDLE_POLL_MS = 50


def after_idle_builds(widget: QObject, call: Callable[[], None]) -> None:
    """`call()` once the window of `widget` has no idle build or warm-up step
    left (ui/main_window.py idle_work_pending; at once for a window without
    them): a worker started meanwhile held Python's interpreter through those
    steps, a tab's warm-up step 35 -> 60-70 ms of wall time (issue 22)."""
    def check() -> None:
        if getattr(widget.window(), "idle_work_pending", False):
            QTimer.singleShot(IDLE_POLL_MS, widget, check)
        else:
            call()
    QTimer.singleShot(0, widget, check)


class HiddenRenders(QObject):
    """A hidden tab's plots rendered off screen after a worker's result was
    drawn into them, one an event-loop turn, twice each (as
    ui/window/warm_up.py: the first render sizes the axes to their labels,
    the second draws them at that size): the tab's first show then paints
    axes already drawn (issue 22).  Nothing while `shown()` is true."""

    def __init__(self, parent: QObject, views: Callable[[], list], shown: Callable[[], bool]):
        super().__init__(parent)
        self._views, self._shown = views, shown
        self._due: list = []

    @property
    def pending(self) -> bool:
        return bool(self._due)

    def render_if_hidden(self, _result=None) -> None:
        if self._shown():
            return
        again = not self._due
        self._due = list(self._views()) * 2
        if again:
            QTimer.singleShot(0, self, self._next)

    def _next(self) -> None:
        if not self._due or self._shown():
            self._due = []
            return
        self._due.pop(0).grab()
        if self._due:
            QTimer.singleShot(0, self, self._next)


class _Job:
    """One job: its id, its work and its cancel flag (checked between chunks)."""

    __slots__ = ("job_id", "work", "_cancel")

    def __init__(self, job_id: int, work: Work):
        self.job_id = job_id
        self.work = work
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Relay(QObject):
    """A runner's signals from its worker: emitted in the worker thread, they
    reach the runner in the GUI thread (queued)."""
    progressed = Signal(int, float)     # job id, fraction done
    succeeded = Signal(int, object)     # job id, result (None if cancelled)
    failed = Signal(int, str)           # job id, message for the user


class _Worker:
    """A thread that runs a runner's jobs, kept for the runner's life.  A
    thread started for each job (a QThread and its signals, made, connected,
    started, finished and deleted) cost the GUI thread about 0.4 ms of each
    Risk edit (issue 22); a job handed to an idle thread costs a queue's put.
    A job started while the runner's threads are all busy (with a cancelled
    job that has not reached its next check) gets a thread of its own, as
    before: it never waits for the job it replaced."""

    def __init__(self, relay: _Relay):
        self._relay = relay
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.job: _Job | None = None        # the job running now
        self._thread = threading.Thread(target=self._run, name="JobRunner", daemon=True)
        _STARTED.add(self)
        self._thread.start()

    @property
    def idle(self) -> bool:
        """No job running, none handed over and not yet begun."""
        return self.job is None and self._jobs.empty()

    def submit(self, job: _Job) -> None:
        self._jobs.put(job)

    def stop(self) -> None:
        """Cancel the job running and end the thread once it returns."""
        job = self.job
        if job is not None:
            job.cancel()
        self._jobs.put(None)

    def wait(self, timeout_s: float) -> bool:
        self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def _run(self) -> None:
        try:
            while (job := self._jobs.get()) is not None:
                self.job = job
                try:
                    if not job.cancelled:      # cancelled before it began: never run
                        self._run_one(job)
                finally:
                    self.job = None
        except RuntimeError:      # the runner is gone (its relay deleted): nothing to tell
            pass
        finally:
            _STARTED.discard(self)

    def _run_one(self, job: _Job) -> None:
        relay = self._relay
        try:
            result = job.work(lambda f: relay.progressed.emit(job.job_id, f),
                              lambda: job.cancelled)
        except ValueError as error:     # core's refusals carry a message for the user
            outcome = (relay.failed, str(error))
        except Exception as error:      # noqa: BLE001 - never a traceback in the user's face
            if not _alive(relay):
                raise RuntimeError("the runner is gone") from None
            outcome = (relay.failed, f"The computation failed: {error}")
        else:
            outcome = (relay.succeeded, None if job.cancelled else result)
        signal, value = outcome
        signal.emit(job.job_id, value)    # RuntimeError when the runner is gone


def _alive(relay: QObject) -> bool:
    try:
        relay.objectName()
    except RuntimeError:
        return False
    return True


_STARTED: set[_Worker] = set()    # every worker thread still running, for the exit wait


@atexit.register
def _finish_at_exit() -> None:
    for worker in list(_STARTED):
        worker.stop()
        worker.wait(10.0)
    _STARTED.clear()


class JobRunner(QObject):
    progressed = Signal(float)
    finished = Signal(object)     # the newest job's result
    failed = Signal(str)
    cancelled = Signal()
    running_changed = Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._next_id = 0
        self._current: _Job | None = None
        self._relay = _Relay(self)
        self._relay.progressed.connect(self._progressed)
        self._relay.succeeded.connect(self._succeeded)
        self._relay.failed.connect(self._failed)
        # The worker threads (one, unless a start found it busy), in a list that
        # the runner's end reaches too: they then end (a tab closed), each once
        # its job returns.
        self._workers: list[_Worker] = []
        self.destroyed.connect(lambda _o=None, workers=self._workers: [w.stop() for w in workers])

    @property
    def running(self) -> bool:
        return self._current is not None

    def start(self, work: Work) -> None:
        if sys.getswitchinterval() > SWITCH_INTERVAL_S:
            sys.setswitchinterval(SWITCH_INTERVAL_S)
        self._cancel_current()
        self._next_id += 1
        job = _Job(self._next_id, work)
        worker = next((w for w in self._workers if w.idle), None)
        if worker is None:
            worker = _Worker(self._relay)
            self._workers.append(worker)
        self._current = job
        worker.submit(job)
        self.running_changed.emit(True)

    def cancel(self) -> None:
        if self._current is not None:
            self._cancel_current()
            self.cancelled.emit()
            self.running_changed.emit(False)

    def wait_all(self, timeout_ms: int = 5000) -> None:
        """Cancel everything and wait for the thread to end (closing the
        window); a later start starts a thread again."""
        self._cancel_current()
        while self._workers:
            worker = self._workers.pop()
            worker.stop()
            worker.wait(timeout_ms / 1000)

    def _cancel_current(self) -> None:
        if self._current is not None:
            self._current.cancel()
            self._current = None

    def _is_current(self, job_id: int) -> bool:
        return self._current is not None and self._current.job_id == job_id

    def _progressed(self, job_id: int, fraction: float) -> None:
        if self._is_current(job_id):
            self.progressed.emit(fraction)

    def _succeeded(self, job_id: int, result) -> None:
        if self._is_current(job_id):
            self._current = None
            self.running_changed.emit(False)
            if result is not None:
                self.finished.emit(result)

    def _failed(self, job_id: int, message: str) -> None:
        if self._is_current(job_id):
            self._current = None
            self.running_changed.emit(False)
            self.failed.emit(message)
