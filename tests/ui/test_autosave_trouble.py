"""Autosave cannot stop silently: while it cannot write, a lasting indicator in
the status bar says why (the right reason) and offers Save As; autosave retries
and the indicator goes once a write succeeds.  A read-only autosave folder is
said at start, and after a crash."""
from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QPushButton

import ui.app.recovery as recovery
from core.presets import default_scenario
from core.safe_write import WriteError
from core.scenario_file import ScenarioSet, load_scenario, write_scenarios
from ui.app.settings import AppSettings
from ui.look.themes import configure_pyqtgraph
from ui.main_window import MainWindow


def open_window(qtbot, tmp_path, autosave_dir) -> MainWindow:
    configure_pyqtgraph()
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(default_scenario(), settings=settings, autosave_dir=autosave_dir)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def read_only_folder(tmp_path):
    """A real read-only file system (a tmpfs mounted ro), or a folder without
    write permission where the tests do not run as root."""
    folder = tmp_path / "profile"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)],
                             capture_output=True).returncode == 0

    def make_read_only():
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        else:
            folder.chmod(0o500)
            if os.access(folder, os.W_OK):
                pytest.skip("CANNOT MAKE A READ-ONLY FOLDER HERE (root without mount rights)")
    yield folder, make_read_only
    if mounted:
        subprocess.run(["umount", str(folder)], check=False)
    else:
        folder.chmod(0o700)


def test_a_full_disk_is_said_until_a_retry_writes(qtbot, window, monkeypatch):
    """The issue: a full disk was a 6-second status message, blaming the lock."""
    autosave = window.file_actions.autosave
    indicator = window.file_actions.autosave_off
    assert not indicator.isVisible()

    def full(*_args, **_kwargs):
        raise WriteError("session.cdm.json: not written (the disk is full)", errno.ENOSPC)
    monkeypatch.setattr(recovery, "write_bytes", full)
    window.binding.set_values("contract", notice_days=33)
    assert autosave.save_now() is False
    assert indicator.isVisible()
    text = window.file_actions.autosave_off_label.text()
    assert "the disk is full" in text and "lock" not in text
    window.statusBar().clearMessage()                  # the passing message is gone ...
    assert indicator.isVisible()                       # ... the indicator is not

    # Save As is offered from the indicator.
    indicator.findChild(QPushButton, "autosave-off-save-as").click()
    dialog = window.findChild(QFileDialog, "scenario-file-dialog")
    assert dialog is not None and dialog.isVisible()
    dialog.reject()

    monkeypatch.undo()                                 # room on the disk again
    autosave._retry.setInterval(10)                    # retry soon rather than in 5 s
    qtbot.waitUntil(lambda: not indicator.isVisible(), timeout=5000)
    autosave.flush()
    assert load_scenario(autosave.path).contract.notice_days == 33


def test_a_read_only_autosave_folder_is_said_at_start(qtbot, tmp_path, read_only_folder):
    folder, make_read_only = read_only_folder
    make_read_only()
    window = open_window(qtbot, tmp_path, folder / "autosave")
    assert window.file_actions.autosave_off.isVisible()
    text = window.file_actions.autosave_off_label.text()
    assert "read-only" in text or "permission denied" in text, text


CRASHED = textwrap.dedent("""
    import os, sys
    from PySide6.QtCore import QLockFile
    lock = QLockFile(sys.argv[1])
    assert lock.tryLock(0)
    os._exit(9)                          # the crash: the lock stays, naming a dead process
""")


def test_after_a_crash_a_read_only_folder_still_offers_recovery_and_says_so(
        qtbot, tmp_path, read_only_folder):
    folder, make_read_only = read_only_folder
    autosave_dir = folder / "autosave"
    autosave_dir.mkdir()
    crashed = default_scenario().with_changes("contract", notice_days=44)
    write_scenarios(ScenarioSet((crashed,), 0), autosave_dir / "session-dead.cdm.json")
    done = subprocess.run([sys.executable, "-c", CRASHED, str(autosave_dir / "session-dead.lock")])
    assert done.returncode == 9
    make_read_only()
    window = open_window(qtbot, tmp_path, autosave_dir)
    box = window.file_actions.offer_recovery()
    assert box is not None, "nothing offered after a crash"
    assert "Autosave is off" in box.text()
    next(b for b in box.buttons() if b.text() == "Recover").click()
    qtbot.waitUntil(lambda: window.binding.scenario.contract.notice_days == 44, timeout=3000)
    assert window.file_actions.autosave_off.isVisible()


@pytest.mark.parametrize("code, said", [(errno.EROFS, "the disk is read-only"),
                                        (errno.EACCES, "permission denied"),
                                        (errno.EFBIG, "over the 16 MB a file may hold")])
def test_each_failure_is_said_with_its_own_reason(qtbot, window, monkeypatch, code, said):
    from core.scenario_file import ScenarioSaveError

    def refused(*_args, **_kwargs):
        raise ScenarioSaveError(code, "session.cdm.json: not saved")
    monkeypatch.setattr(recovery, "write_scenarios", refused)
    window.binding.set_values("contract", notice_days=34)
    assert window.file_actions.autosave.save_now() is False
    assert said in window.file_actions.autosave_off_label.text()
