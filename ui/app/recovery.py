"""Autosave and crash recovery.

While a window has unsaved changes, its scenarios are written every minute,
and at once after a structural edit (a tranche or GPU model added or removed,
a scenario added, renamed or deleted), to a session file in the user's data
folder.  Each running window holds a QLockFile beside its session file; a
clean close or a save deletes the session.  On the next start, a session
whose lock is stale (its process is gone) was left by a crash, and the app
offers to recover it.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, QTimer, Signal

from core.scenario_file import (ScenarioFileError, ScenarioSaveError, ScenarioSet,
                                read_scenarios, write_scenarios)

AUTOSAVE_INTERVAL_MS = 60_000
STRUCTURAL_FIELDS = ("gpu_models", "tranches")


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
            except FileNotFoundError:
                pass

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
        if not lock.tryLock(0):
            continue   # a running window's session
        lock.unlock()
        source = None
        try:
            meta = json.loads((directory / f"{stem}.meta.json").read_text("utf-8"))
            source = meta.get("source") if isinstance(meta.get("source"), str) else None
        except (OSError, ValueError):
            pass
        found.append(RecoverableSession(scenarios_path, source, scenarios_path.stat().st_mtime))
    return sorted(found, key=lambda s: s.saved_at, reverse=True)


class Autosave(QObject):
    saved = Signal(str)      # path of the session file written
    failed = Signal(str)     # message

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
        self.timer = QTimer(self)
        self.timer.setInterval(AUTOSAVE_INTERVAL_MS)
        self.timer.timeout.connect(self.save_now)
        self.timer.start()
        workspace.structure_changed.connect(self.save_now)
        workspace.binding.edit_made.connect(self._maybe_structural)
        workspace.modified_changed.connect(self._modified_changed)

    def _maybe_structural(self, _before, _after, key: str) -> None:
        names = key.partition(":")[2].split(",")
        if not key or any(name in STRUCTURAL_FIELDS for name in names):
            self.save_now()

    def _modified_changed(self, modified: bool) -> None:
        if not modified:
            self.discard()

    def save_now(self) -> bool:
        if not self.workspace.is_modified:
            return False
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            if not self._lock.isLocked() and not self._lock.tryLock(0):
                raise OSError("the autosave lock is held by another window")
            write_scenarios(self.workspace.scenario_set(), self.path)
            source = self.source_of()
            self.meta_path.write_text(json.dumps({"source": None if source is None
                                                  else str(source)}), "utf-8")
        except (OSError, ScenarioSaveError) as error:
            self.failed.emit(f"Autosave failed: {error}")
            return False
        self.saved.emit(str(self.path))
        return True

    def discard(self) -> None:
        """No unsaved work any more (saved, or closed cleanly): remove the session."""
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
        self.timer.stop()
        self.discard()


def load_recovered(session: RecoverableSession) -> ScenarioSet:
    """The scenarios of a crashed session; ScenarioFileError if its file is bad."""
    return session.read()


__all__ = ["Autosave", "RecoverableSession", "find_recoverable", "default_autosave_dir",
           "ScenarioFileError", "load_recovered"]
