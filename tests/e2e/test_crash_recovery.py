"""Crash recovery as it happens: the real app (`ui.window.launch.run`, as main.py starts
it) in a subprocess with a fresh profile, killed with SIGKILL two seconds
after an edit; the next start offers the edit back.  And a save killed after
its temporary file was written leaves the old file whole, and the temporary
is cleaned at the next start."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from core.presets import default_scenario
from core.safe_write import TEMP_PREFIX
from core.scenario_file import load_scenario, save_scenario

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120

EDIT_THEN_WAIT = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    import ui.window.launch

    app = QApplication([sys.argv[0]])

    def edit():
        window = next(w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow")
        window.binding.set_values("contract", notice_days=77)   # what the form's field does
        print("EDITED", flush=True)
    QTimer.singleShot(1000, edit)
    sys.exit(ui.window.launch.run("contract"))
""")

RECOVER_SAVE_AND_QUIT = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox
    import ui.window.launch

    app = QApplication([sys.argv[0]])

    def window():
        return next(w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow")

    def answer():
        boxes = [b for b in window().findChildren(QMessageBox)
                 if b.objectName() == "recover-session"]
        print("OFFERED", len(boxes), flush=True)
        if boxes:
            next(b for b in boxes[0].buttons() if b.text() == "Recover").click()
        QTimer.singleShot(300, report)

    def report():
        w = window()
        print("NOTICE", w.binding.scenario.contract.notice_days, w.isWindowModified(), flush=True)
        w.file_actions.save_to({saved!r})
        w.close()                     # a clean exit: nothing may be left behind
    QTimer.singleShot(1500, answer)
    sys.exit(ui.window.launch.run("contract"))
""")


def fresh_profile(tmp_path: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME",
                 "XDG_STATE_HOME", "XDG_RUNTIME_DIR"):
        folder = tmp_path / "profile" / name.lower()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        env[name] = str(folder)
    return env


def wait_for_line(process: subprocess.Popen, word: str, timeout: float = TIMEOUT) -> str:
    """The first stdout line starting with `word`; fails (and kills) on a timeout."""
    found: list[str] = []

    def read() -> None:
        for line in process.stdout:
            if line.startswith(word):
                found.append(line.strip())
                return
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    if not found:
        process.kill()
        raise AssertionError(f"no {word!r} line within {timeout} s: "
                             f"{process.stderr.read()[-2000:] if process.stderr else ''}")
    return found[0]


def test_a_kill_two_seconds_after_an_edit_loses_nothing(tmp_path):
    assert default_scenario().contract.notice_days != 77
    env = fresh_profile(tmp_path)
    crashed = subprocess.Popen([sys.executable, "-c", EDIT_THEN_WAIT.format(root=str(ROOT))],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        wait_for_line(crashed, "EDITED")
        time.sleep(2.0)                       # the promise: at most two seconds of work lost
        os.kill(crashed.pid, signal.SIGKILL)
        assert crashed.wait(timeout=TIMEOUT) == -signal.SIGKILL
    finally:
        if crashed.poll() is None:
            crashed.kill()
    autosave = Path(env["XDG_DATA_HOME"]) / "compute-deal-modeler" / "autosave"
    assert list(autosave.glob("session-*.cdm.json"))   # the edit reached the disk

    saved = tmp_path / "recovered.cdm.json"
    restarted = subprocess.run(
        [sys.executable, "-c", RECOVER_SAVE_AND_QUIT.format(root=str(ROOT), saved=str(saved))],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert restarted.returncode == 0, restarted.stderr[-2000:]
    assert "OFFERED 1" in restarted.stdout, restarted.stdout
    assert "NOTICE 77 True" in restarted.stdout   # recovered, and marked unsaved until saved
    assert load_scenario(saved).contract.notice_days == 77
    # A clean exit leaves no session, lock or temporary behind.
    assert sorted(p.name for p in autosave.iterdir()) == []


KILLED_MID_SAVE = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, {root!r})
    import core.safe_write as sw
    from core.presets import default_scenario
    from core.scenario_file import save_scenario

    def stuck(*_args):                 # the temporary is written: hang before the rename
        print("WRITTEN", flush=True)
        time.sleep(600)
    sw.os.replace = stuck
    save_scenario(default_scenario().with_changes("contract", term_months=24), {file!r})
""")


def test_a_kill_during_a_save_keeps_the_old_file_and_the_temporary_is_cleaned(tmp_path):
    file = tmp_path / "deal.cdm.json"
    save_scenario(default_scenario(), file)
    before = file.read_bytes()
    saving = subprocess.Popen([sys.executable, "-c",
                               KILLED_MID_SAVE.format(root=str(ROOT), file=str(file))],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_line(saving, "WRITTEN")
        os.kill(saving.pid, signal.SIGKILL)
        saving.wait(timeout=TIMEOUT)
    finally:
        if saving.poll() is None:
            saving.kill()
    assert file.read_bytes() == before
    left = [p.name for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert len(left) == 1                      # what the kill left behind ...

    # ... is removed when the app next starts (the file's folder is a recent one).
    from PySide6.QtCore import QSettings
    from ui.window.file_actions import clean_temporaries
    from ui.app.settings import AppSettings
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    settings.add_recent_file(file)
    assert clean_temporaries(tmp_path / "autosave", settings) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deal.cdm.json", "settings.ini"]
