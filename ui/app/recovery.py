"""Autosave and crash recovery.

While a window has unsaved changes, its scenarios are written to a session
file in the user's data folder once each edit has settled: SETTLE_MS after
the last edit, and at most MAX_WAIT_MS after the first of a burst (a long
slider drag), so at most two seconds of work are lost however the app dies,
from the first edit on.  These writes run on a worker thread (encoding a
large workspace takes time); a structural edit (a tranche or GPU model added
or removed, a scenario added, renamed or deleted) is written at once.  Every
write goes through core.safe_write, so a kill mid-write leaves the previous
session file whole.  Each running window holds a QLockFile beside its session file; a
clean close or a save deletes the session.  On the next start, a session
whose lock is stale (its process is gone) was left by a crash, and the app
offers to recover it (also from a folder that has become read-only, saying so).

Autosave cannot stop silently: while it cannot write, for whatever reason
(the disk full, the folder read-only, the workspace too large, the lock
really held by another window), `trouble` says why and `trouble_changed`
tells the window, which shows it until a write succeeds; it retries every
RETRY_MS.  The folder is tried at start, so a read-only one is said at once.
"""
from __future__ import annotations

import errno
import json
import os
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, QSysInfo, QTimer, Signal

from core.safe_write import WriteError, reason_of, write_bytes
from core.scenario_file import (MAX_FILE_BYTES, ScenarioFileError, ScenarioSaveError, ScenarioSet,
                                read_scenarios, write_scenarios)

# An edit is settled when no other follows within SETTLE_MS; a burst of edits
# is written at the latest MAX_WAIT_MS after its first.  Writing takes well
# under the remaining half second, so at most two seconds of work are at risk.
SETTLE_MS = 400
MAX_WAIT_MS = 1500
STRUCTURAL_FIELDS = ("gpu_models", "tranches")
# While autosave cannot write, it tries again this often.
RETRY_MS = 5000


def default_autosave_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(base or Path.home() / ".local" / "share") / "compute-deal-modeler" / "autosave"


@dataclass(frozen=True)
class RecoverableSession:
    scenarios_path: Path
    source: str | None        # the file the scenarios came from, if any
    saved_at: float

    def remove(self) -> None:
        stem = self.scenarios_path.name[: -len(".cdm.json")]
        for suffix in (".cdm.json", ".meta.json", ".lock"):
            try:
                (self.scenarios_path.parent / f"{stem}{suffix}").unlink()
            except OSError:
                pass   # gone, or a read-only folder: it is offered again next time

    def read(self) -> ScenarioSet:
        return read_scenarios(self.scenarios_path)


def find_recoverable(directory: Path) -> list[RecoverableSession]:
    """Sessions left by windows that did not close cleanly, newest first."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    found = []
    for scenarios_path in directory.glob("session-*.cdm.json"):
        stem = scenarios_path.name[: -len(".cdm.json")]
        lock = QLockFile(str(directory / f"{stem}.lock"))
        lock.setStaleLockTime(0)   # a running window's lock never goes stale by age
        if lock.tryLock(0):
            lock.unlock()
        elif _owner_running(lock):
            continue   # a running window's session
        # else: a stale lock Qt cannot remove (a read-only folder): its process is gone
        source = None
        try:
            meta = json.loads((directory / f"{stem}.meta.json").read_text("utf-8"))
            source = meta.get("source") if isinstance(meta.get("source"), str) else None
        except (OSError, ValueError):
            pass
        found.append(RecoverableSession(scenarios_path, source, scenarios_path.stat().st_mtime))
    return sorted(found, key=lambda s: s.saved_at, reverse=True)


def _owner_running(lock: QLockFile) -> bool:
    """The process named in a lock file is alive (or there is no telling)."""
    info = lock.getLockInfo()
    if not isinstance(info, tuple) or len(info) < 2 or not info[0]:
        return False
    pid, host = info[0], info[1]
    if host and host != QSysInfo.machineHostName():
        return True   # another machine's process: no telling
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def folder_trouble(directory: Path) -> str | None:
    """Why nothing can be written in `directory` (created if need be), or None:
    a small file is written, synced and removed."""
    probe = Path(directory) / f".probe-{uuid.uuid4().hex}"
    try:
        Path(directory).mkdir(parents=True, exist_ok=True)
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, b"autosave" * 512)
            os.fsync(fd)
        finally:
            os.close(fd)
            os.unlink(probe)
    except OSError as error:
        return reason_of(error)
    return None


class Autosave(QObject):
    saved = Signal(str)      # path of the session file written
    failed = Signal(str)     # message
    trouble_changed = Signal(str)   # why autosave cannot write now, or "" once it writes again
    _written = Signal(object)   # from the worker thread: None, or (message, reason)

    def __init__(self, workspace, directory: Path, source_of, parent: QObject | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.directory = Path(directory)
        self.source_of = source_of   # () -> the file the window shows, or None
        stem = f"session-{uuid.uuid4().hex}"
        self.path = self.directory / f"{stem}.cdm.json"
        self.meta_path = self.directory / f"{stem}.meta.json"
        self._lock = QLockFile(str(self.directory / f"{stem}.lock"))
        self._lock.setStaleLockTime(0)   # stale only when its process is gone
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._deadline = QTimer(self, singleShot=True, interval=MAX_WAIT_MS)
        for timer in (self._settle, self._deadline):
            timer.timeout.connect(self.save_in_background)
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="autosave")
        self._pending: Future | None = None
        self._stopped = False
        self._written.connect(self._report)
        self.trouble = ""
        self._retry = QTimer(self, interval=RETRY_MS)
        self._retry.timeout.connect(self.retry)
        workspace.structure_changed.connect(self.save_now)
        workspace.binding.edit_made.connect(self._maybe_structural)
        workspace.binding.scenario_changed.connect(self._scenario_changed)
        workspace.modified_changed.connect(self._modified_changed)

    @property
    def scheduled(self) -> bool:
        """An edit waits to be written."""
        return self._settle.isActive() or self._deadline.isActive()

    def _scenario_changed(self, _scenario) -> None:
        self.schedule()

    def schedule(self) -> None:
        """After an edit: write once edits settle (and within MAX_WAIT_MS)."""
        self._settle.start()
        if not self._deadline.isActive():
            self._deadline.start()

    def _maybe_structural(self, _before, _after, key: str) -> None:
        names = key.partition(":")[2].split(",")
        if not key or any(name in STRUCTURAL_FIELDS for name in names):
            self.save_now()

    def _modified_changed(self, modified: bool) -> None:
        if modified:
            self.schedule()
        else:
            self.discard()

    def check_folder(self) -> bool:
        """At start: can the folder be written?  If not, `trouble` says why at once."""
        reason = folder_trouble(self.directory)
        if reason:
            self._set_trouble(reason)
        return reason is None

    def _set_trouble(self, reason: str) -> None:
        if reason and not self._stopped:
            self._retry.start()
        else:
            self._retry.stop()
        if reason != self.trouble:
            self.trouble = reason
            self.trouble_changed.emit(reason)

    def retry(self) -> None:
        """While autosave cannot write: try again (the work, or the folder alone)."""
        if self._stopped:
            self._retry.stop()
        elif self.workspace.is_modified:
            self.save_in_background()
        elif folder_trouble(self.directory) is None:
            self._set_trouble("")

    def _claim(self) -> bool:
        """The folder exists and this window holds its session's lock."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            if not self._lock.isLocked() and not self._lock.tryLock(0):
                if self._lock.error() == QLockFile.LockError.LockFailedError:
                    raise OSError(errno.EBUSY, "another window holds this session's lock")
                # Not taken for another reason: find it by writing in the folder.
                raise OSError(errno.EIO, folder_trouble(self.directory)
                              or "its lock file cannot be created")
        except OSError as error:
            reason = error.strerror if error.errno in (errno.EBUSY, errno.EIO) else reason_of(error)
            self._report((f"Autosave failed: {reason} ({self.directory})", reason))
            return False
        return True

    def _write(self, scenarios: ScenarioSet, source) -> tuple[str, str] | None:
        """Write the session (either thread); None, or the failure's message and reason."""
        try:
            # The meta file first: a session file is never without its source.
            write_bytes(self.meta_path, json.dumps(
                {"source": None if source is None else str(source)}).encode("utf-8"))
            write_scenarios(scenarios, self.path)
        except (WriteError, ScenarioSaveError, OSError) as error:
            reason = (f"the workspace is over the {MAX_FILE_BYTES // 1_000_000} MB a file may "
                      f"hold" if error.errno == errno.EFBIG else reason_of(error))
            return f"Autosave failed: {error}", reason
        return None

    def _report(self, failure) -> None:
        if failure is None:
            self._set_trouble("")
            self.saved.emit(str(self.path))
        else:
            message, reason = failure
            self._set_trouble(reason)
            self.failed.emit(message)

    def _wait_for_worker(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def save_in_background(self) -> bool:
        """Write the unsaved work on the worker thread; False if there is none."""
        self._settle.stop()
        self._deadline.stop()
        if self._stopped or not self.workspace.is_modified or not self._claim():
            return False
        scenarios, source = self.workspace.scenario_set(), self.source_of()   # immutable
        self._pending = self._worker.submit(
            lambda: self._written.emit(self._write(scenarios, source)))
        return True

    def save_now(self) -> bool:
        """Write the unsaved work before returning; False if none or on failure."""
        self._settle.stop()
        self._deadline.stop()
        self._wait_for_worker()
        if self._stopped or not self.workspace.is_modified or not self._claim():
            return False
        failure = self._write(self.workspace.scenario_set(), self.source_of())
        self._report(failure)
        return failure is None

    def flush(self) -> None:
        """Wait until every write asked for so far is on disk (tests, shutdown)."""
        self._wait_for_worker()

    def discard(self) -> None:
        """No unsaved work any more (saved, or closed cleanly): remove the session."""
        self._settle.stop()
        self._deadline.stop()
        self._wait_for_worker()
        for path in (self.path, self.meta_path):
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError:
                pass
        if self._lock.isLocked():
            self._lock.unlock()

    def stop(self) -> None:
        self._stopped = True
        self._retry.stop()
        self.discard()
        self._worker.shutdown(wait=True)


def load_recovered(session: RecoverableSession) -> ScenarioSet:
    """The scenarios of a crashed session; ScenarioFileError if its file is bad."""
    return session.read()


__all__ = ["Autosave", "RecoverableSession", "find_recoverable", "default_autosave_dir",
           "ScenarioFileError", "load_recovered"]
