"""Files, undo, unsaved changes, recovery and scenario comparison, driven
as a user drives them.  Each window gets its own settings file and autosave
folder (tmp_path), so nothing touches the user's."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

import ui.app.undo
from core.presets import default_scenario
from core.scenario_file import load_scenario, save_scenario
from tests.ui.conftest import settle, type_into
from ui.main_window import MainWindow
from ui.app.recovery import find_recoverable
from ui.app.settings import AppSettings
from ui.look.themes import configure_pyqtgraph

ROOT = Path(__file__).resolve().parents[2]


def make_settings(tmp_path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def isolated(tmp_path):
    """Settings and an autosave folder of the test's own, for MainWindow(...)."""
    return make_settings(tmp_path), tmp_path / "autosave"


@pytest.fixture
def window(qtbot, isolated):
    configure_pyqtgraph()
    settings, autosave = isolated
    main_window = MainWindow(default_scenario(), settings=settings, autosave_dir=autosave)
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitExposed(main_window)
    return main_window


def fee_spin(window):
    return window.tab("contract").fee_slider.spin


def child(window, cls, name):
    widget = window.findChild(cls, name)
    assert widget is not None and widget.isVisible(), f"no {name} shown"
    return widget


def click(box: QMessageBox, button) -> None:
    box.button(button).click()


@pytest.fixture
def slow_hands(monkeypatch):
    """Edits 5 s apart, so that only a slider drag merges them into one step."""
    clock = iter(range(0, 100_000, 5))
    monkeypatch.setattr(ui.app.undo, "monotonic", lambda: next(clock))


# --- undo and redo -------------------------------------------------------------------

def test_edit_undo_redo_with_the_keyboard(qtbot, window):
    type_into(qtbot, fee_spin(window), "1000M")         # $1.0B a month
    settle(qtbot, window)
    assert window.key_figures.text_of("total_contract_value") == "$36.0B"
    assert window.isWindowModified()
    assert window.undo_action.text().replace("&", "") == "Undo Monthly fee"

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert window.binding.scenario.contract.monthly_fee == 1.25e9
    assert fee_spin(window).value() == 1.25e9            # the widget followed
    assert window.key_figures.text_of("total_contract_value") == "$45.0B"
    assert not window.isWindowModified()                 # back to the state as opened

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    settle(qtbot, window)
    assert window.binding.scenario.contract.monthly_fee == 1.0e9
    assert fee_spin(window).value() == 1.0e9
    assert window.key_figures.text_of("total_contract_value") == "$36.0B"


def test_a_slider_drag_is_one_undo_step(qtbot, window, slow_hands):
    stack = window.workspace.undo_group.activeStack()
    slider = window.tab("contract").fee_slider.slider
    slider.setSliderDown(True)
    for position in (100, 200, 300, 400):          # $0.5B .. $2.0B a month
        slider.setValue(position)
    slider.setSliderDown(False)
    assert window.binding.scenario.contract.monthly_fee == 2.0e9
    assert stack.count() == 1
    window.undo_action.trigger()
    assert window.binding.scenario.contract.monthly_fee == 1.25e9
    assert window.tab("contract").fee_slider.slider.value() == 250


def test_edits_apart_in_time_or_to_other_fields_are_separate_steps(qtbot, window, monkeypatch):
    times = iter([0.0, 0.2, 10.0, 10.1])
    monkeypatch.setattr(ui.app.undo, "monotonic", lambda: next(times))
    notice = window.tab("contract").form.fields["notice_days"]
    stack = window.workspace.undo_group.activeStack()
    type_into(qtbot, notice, "100")       # t = 0
    type_into(qtbot, notice, "120")       # t = 0.2: merged with the one before
    type_into(qtbot, notice, "150")       # t = 10: a new step
    window.tab("contract").form.fields["escalator_pct"].setValue(3.0)   # another field
    assert stack.count() == 3
    window.undo_action.trigger()
    assert window.binding.scenario.contract.escalator_pct == 0.0
    window.undo_action.trigger()
    assert window.binding.scenario.contract.notice_days == 120
    window.undo_action.trigger()
    assert window.binding.scenario.contract.notice_days == 90
    assert notice.value() == 90


def test_a_refused_edit_is_not_an_undo_step(qtbot, window):
    type_into(qtbot, window.tab("contract").form.fields["notice_days"], "5000")
    assert window.workspace.undo_group.activeStack().count() == 0
    assert not window.isWindowModified()


# --- saving, opening, unsaved changes --------------------------------------------------

def save_via_dialog(qtbot, window, path: Path) -> None:
    dialog = child(window, QFileDialog, "scenario-file-dialog")
    dialog.selectFile(str(path))
    dialog.accept()
    qtbot.waitUntil(lambda: path.exists(), timeout=3000)


def test_save_as_writes_the_file_and_the_title_follows(qtbot, window, tmp_path, isolated):
    settings, _ = isolated
    type_into(qtbot, fee_spin(window), "1500M")
    assert window.windowTitle().startswith("Colossus lease 2026 \u2014 Untitled[*]")
    window.file_actions.save_action.trigger()            # no file yet: Save As
    path = tmp_path / "bull.cdm.json"
    save_via_dialog(qtbot, window, path)
    assert load_scenario(path).contract.monthly_fee == 1.5e9
    assert load_scenario(path) == window.binding.scenario
    assert "bull.cdm.json[*]" in window.windowTitle()
    assert not window.isWindowModified()
    assert settings.recent_files()[0] == str(path)

    type_into(qtbot, fee_spin(window), "1600M")
    assert window.isWindowModified()
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)   # Save
    assert load_scenario(path).contract.monthly_fee == 1.6e9
    assert not window.isWindowModified()


def test_closing_with_unsaved_changes_asks(qtbot, window):
    type_into(qtbot, fee_spin(window), "1000M")
    assert window.close() is False                 # the close waits for an answer
    box = child(window, QMessageBox, "unsaved-changes")
    assert "Save the changes to \u201cUntitled\u201d before closing?" in box.text()
    click(box, QMessageBox.StandardButton.Cancel)
    qtbot.wait(10)
    assert window.isVisible()
    assert window.binding.scenario.contract.monthly_fee == 1.0e9   # nothing lost

    window.close()
    click(child(window, QMessageBox, "unsaved-changes"), QMessageBox.StandardButton.Discard)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=3000)


def test_closing_and_choosing_save_saves_then_closes(qtbot, window, tmp_path):
    path = tmp_path / "deal.cdm.json"
    save_scenario(default_scenario(), path)
    assert window.file_actions.load_file(path)
    type_into(qtbot, fee_spin(window), "900M")
    window.close()
    click(child(window, QMessageBox, "unsaved-changes"), QMessageBox.StandardButton.Save)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=3000)
    assert load_scenario(path).contract.monthly_fee == 0.9e9


def test_opening_a_bad_file_says_why_and_keeps_everything(qtbot, window, tmp_path):
    type_into(qtbot, fee_spin(window), "1000M")
    bad = tmp_path / "broken.cdm.json"
    good = tmp_path / "good.cdm.json"
    save_scenario(default_scenario(), good)
    bad.write_text(good.read_text("utf-8").replace('"term_months": 36', '"term_months": "36"'),
                   "utf-8")
    before = bad.read_bytes()
    window.file_actions.open_path(bad)
    box = child(window, QMessageBox, "unsaved-changes")        # unsaved work first
    click(box, QMessageBox.StandardButton.Discard)
    # The file is read on a worker thread; the message comes when it is read.
    qtbot.waitUntil(lambda: any(b.objectName() == "file-error" and b.isVisible()
                                for b in window.findChildren(QMessageBox)), timeout=10_000)
    error = child(window, QMessageBox, "file-error")
    assert str(bad) in error.text()
    assert "scenarios[0].contract.term_months" in error.text()
    assert "expected a whole number between 1 and 240 months" in error.text()
    assert bad.read_bytes() == before
    # The window kept what it had, edits included.
    assert window.binding.scenario.contract.monthly_fee == 1.0e9
    assert window.isWindowModified()


def test_open_recent_and_settings_persist_between_runs(qtbot, tmp_path, isolated, monkeypatch):
    settings, _ = isolated
    path = tmp_path / "recent.cdm.json"
    save_scenario(default_scenario().with_changes("contract", term_months=24), path)
    configure_pyqtgraph()
    first = MainWindow(default_scenario(), settings=settings, autosave_dir=tmp_path / "autosave")
    qtbot.addWidget(first)
    first.show()
    assert first.file_actions.load_file(path)
    default_size = first.size()
    first.resize(1300, 800)
    first.tabs.setCurrentIndex(1)
    qtbot.wait(10)
    size = first.size()             # as the (offscreen) screen allows it
    assert size != default_size
    first.close()
    assert settings.qsettings.value("window/geometry") is not None

    # A full-HD screen: the offscreen one (800 x 800) is smaller than the window's
    # minimum, and restoring clamps to the screen (tested on its own in test_hostile_inputs).
    monkeypatch.setattr("ui.app.settings.available_area", lambda _w: QRect(0, 0, 1920, 1080))
    second = MainWindow(default_scenario(), settings=settings, autosave_dir=tmp_path / "autosave")
    qtbot.addWidget(second)
    second.show()
    assert second.size() == size
    assert second.tabs.currentIndex() == 1
    assert settings.theme() == "light"
    second.file_actions.recent_menu.aboutToShow.emit()
    recent = second.file_actions.recent_menu.actions()
    assert [a.text() for a in recent] == [str(path)]
    recent[0].trigger()                 # read on a worker thread, then shown
    qtbot.waitUntil(lambda: second.binding.scenario.contract.term_months == 24, timeout=10_000)


# --- recovery after a crash ------------------------------------------------------------

CRASHING_SESSION = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {root!r})
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication
    import ui.main_window
    from ui.app.settings import AppSettings
    settings = AppSettings(QSettings({ini!r}, QSettings.Format.IniFormat))
    from core.presets import default_scenario
    app = QApplication([])
    window = ui.main_window.MainWindow(default_scenario(), settings=settings,
                                       autosave_dir={autosave!r})
    window.binding.set_values("contract", monthly_fee=2.0e9)
    window.workspace.duplicate()                 # a structural edit: autosaved at once
    assert os.path.exists(window.file_actions.autosave.path)
    os._exit(9)                                  # the crash: no clean shutdown
""")


def test_after_a_crash_the_next_start_offers_recovery(qtbot, tmp_path, isolated):
    settings, autosave = isolated
    script = CRASHING_SESSION.format(root=str(ROOT), ini=str(tmp_path / "crash.ini"),
                                     autosave=str(autosave))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    crashed = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                             text=True, timeout=120)
    assert crashed.returncode == 9, crashed.stderr
    assert len(find_recoverable(autosave)) == 1

    configure_pyqtgraph()
    window = MainWindow(default_scenario(), settings=settings, autosave_dir=autosave)
    qtbot.addWidget(window)
    window.show()
    box = window.file_actions.offer_recovery()
    assert box is not None and "did not close cleanly" in box.text()
    next(b for b in box.buttons() if b.text() == "Recover").click()
    qtbot.waitUntil(lambda: len(window.workspace.names) == 2, timeout=3000)
    assert window.workspace.names == ["Colossus lease 2026", "Colossus lease 2026 (2)"]
    assert window.binding.scenario.contract.monthly_fee == 2.0e9
    assert window.isWindowModified()               # recovered work is not yet saved
    assert find_recoverable(autosave) == []        # offered once; now this session's


def test_autosave_writes_only_unsaved_work_and_a_clean_close_removes_it(qtbot, window,
                                                                     isolated):
    _, autosave_dir = isolated
    autosave = window.file_actions.autosave
    assert autosave.save_now() is False            # nothing unsaved
    window.binding.set_values("contract", notice_days=30)
    assert autosave.save_now() is True
    assert load_scenario(autosave.path).contract.notice_days == 30
    window.undo_action.trigger()                   # back to clean: nothing to recover
    assert not autosave.path.exists()
    window.binding.set_values("contract", notice_days=45)
    autosave.save_now()
    window.close()
    click(child(window, QMessageBox, "unsaved-changes"), QMessageBox.StandardButton.Discard)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=3000)
    assert list(autosave_dir.glob("session-*")) == []


# --- several scenarios and the comparison ------------------------------------------------

def test_duplicate_rename_switch_and_compare(qtbot, window, slow_hands):
    bar = window.scenario_bar
    bar.duplicate_button.click()
    assert window.workspace.names == ["Colossus lease 2026", "Colossus lease 2026 (2)"]
    dialog = bar.ask_rename()
    dialog.setTextValue("Bull")
    dialog.accept()
    assert bar.combo.currentText() == "Bull"
    type_into(qtbot, fee_spin(window), "1500M")             # Bull: $1.5B a month
    settle(qtbot, window)

    bar.combo.setCurrentIndex(0)                           # back to the base
    assert fee_spin(window).value() == 1.25e9
    bar.combo.setCurrentIndex(1)
    assert fee_spin(window).value() == 1.5e9

    window.tabs.setCurrentWidget(window.tab("compare"))
    qtbot.wait(20)
    tab = window.tab("compare")
    base = "Colossus lease 2026"
    # 36 x $1.5B = $54.0B against 36 x $1.25B = $45.0B: +$9.00B, +20%.
    assert tab.cell_text("Total contract value", base) == "$45.0B"
    assert tab.cell_text("Total contract value", "Bull") == "$54.0B"
    assert tab.cell_text("Total contract value", "\u0394 Bull") == "+$9.00B (+20.0%)"
    assert tab.cell_text("Annual run rate", "\u0394 Bull") == "+$3.00B (+20.0%)"
    assert tab.cell_text("GPUs", "\u0394 Bull") == "0"
    ends = {name: curve.getData()[1][-1] for name, curve in tab.panel.items.items()}
    assert ends == {base: 45e9, "Bull": 54e9}

    # An edit to the shown scenario updates the comparison live.
    type_into(qtbot, fee_spin(window), "1000M")
    settle(qtbot, window)
    assert tab.cell_text("Total contract value", "\u0394 Bull") == "\u2212$9.00B (\u221220.0%)"

    # Undo is per scenario: undoing in Bull does not touch the base.
    window.undo_action.trigger()
    assert window.binding.scenario.contract.monthly_fee == 1.5e9
    assert window.workspace.scenarios[0].contract.monthly_fee == 1.25e9


def test_several_scenarios_are_saved_in_one_file(qtbot, window, tmp_path):
    window.workspace.duplicate("Bear")
    window.binding.set_values("contract", term_months=12)
    path = tmp_path / "two.cdm.json"
    assert window.file_actions.save_to(path)
    from core.scenario_file import read_scenarios
    saved = read_scenarios(path)
    assert [s.name for s in saved.scenarios] == ["Colossus lease 2026", "Bear"]
    assert saved.active == 1 and saved.current.contract.term_months == 12


def test_renaming_to_a_name_in_use_is_refused(qtbot, window):
    window.workspace.duplicate("Bear")
    assert window.scenario_bar.rename(1, "Colossus lease 2026") is False
    assert window.workspace.names == ["Colossus lease 2026", "Bear"]
    assert "already called" in window.statusBar().currentMessage()
