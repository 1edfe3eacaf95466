"""File > Open and Import read on a worker thread, with progress and Cancel:
the window keeps running its event loop during the read, and nothing changes
until the read is done (or anything at all when it is cancelled)."""
from __future__ import annotations

import dataclasses
import threading

from PySide6.QtCore import QTimer

import ui.window.file_actions as file_actions_module
from core.presets import default_scenario
from core.scenario_file import ScenarioSet, write_scenarios
from core.table_reading import MAX_COLUMNS
from ui.widgets.import_dialog import PREVIEW_ROWS


def ticking(qtbot, window):
    """A heartbeat on the UI thread: (ticks, event the worker waits for)."""
    ticks, beat = [], threading.Event()
    timer = QTimer(window, interval=5)

    def tick() -> None:
        ticks.append(1)
        if len(ticks) >= 3:
            beat.set()
    timer.timeout.connect(tick)
    timer.start()
    return ticks, beat


def test_file_open_reads_on_a_worker_while_the_window_runs(qtbot, window, tmp_path, monkeypatch):
    """The read waits until the UI thread has ticked three times: on the UI
    thread it could never finish (the timer would never fire)."""
    path = tmp_path / "deal.cdm.json"
    opened = dataclasses.replace(default_scenario(), name="Read in the background")
    write_scenarios(ScenarioSet((opened,), 0), path)
    ticks, beat = ticking(qtbot, window)
    real_read = file_actions_module.FileActions._read

    def read_after_heartbeats(file):
        assert beat.wait(10), "the UI thread did not run during the read"
        return real_read(file)
    monkeypatch.setattr(file_actions_module.FileActions, "_read", staticmethod(read_after_heartbeats))
    job = window.file_actions.open_in_background(path)
    assert job.running and window.workspace.names != ["Read in the background"]
    qtbot.waitUntil(lambda: window.workspace.names == ["Read in the background"], timeout=10_000)
    assert len(ticks) >= 3
    assert window.file_actions.path == path


def test_file_open_of_a_bad_file_in_the_background_says_why(qtbot, window, tmp_path):
    path = tmp_path / "bad.cdm.json"
    path.write_text("{")
    before = window.workspace.scenario_set()
    window.file_actions.open_in_background(path)
    qtbot.waitUntil(lambda: "Not opened" in window.statusBar().currentMessage(), timeout=10_000)
    assert window.workspace.scenario_set() == before


def test_import_reads_in_the_background_and_cancel_changes_nothing(qtbot, window, tmp_path):
    path = tmp_path / "capacity.csv"
    path.write_text("Tranche,Site,GPU model,GPU count,Online date\n"
                    + "T,Memphis,H100 SXM,1,2026-06-01\n" * 5_000)
    window.import_action.trigger()
    dialog = window.import_dialog
    job = dialog.read_file_in_background(path)
    job.cancel()                                    # as the progress dialog's Cancel does
    qtbot.waitUntil(lambda: "cancelled" in dialog.source.text(), timeout=10_000)
    assert dialog.table is None and not dialog.import_button.isEnabled()

    dialog.read_file_in_background(path)            # and read to the end
    qtbot.waitUntil(lambda: dialog.table is not None, timeout=20_000)
    assert len(dialog.table.rows) == 5_000 and dialog.checked.ok   # checked on the worker
    # The preview lays out the first rows only (5,000 took a second on the UI thread).
    assert dialog.preview.rowCount() == PREVIEW_ROWS
    assert f"first {PREVIEW_ROWS} of 5,000 rows" in dialog.summary.text()
    assert dialog.import_button.isEnabled()


def test_column_pickers_never_list_more_than_the_column_limit(qtbot, window, tmp_path):
    """The issue: 16,384 columns gave 81,925 entries in each picker; now the
    file is refused in one line and the pickers stay empty."""
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(16_384)) + "\n")
    window.import_action.trigger()
    dialog = window.import_dialog
    dialog.read_file_in_background(path)
    qtbot.waitUntil(lambda: "Not read" in dialog.summary.text(), timeout=10_000)
    assert f"at most {MAX_COLUMNS:,}" in dialog.summary.text()
    assert all(c.count() <= MAX_COLUMNS + 1 for c in dialog.column_choosers.values())


def test_an_opened_file_is_computed_with_the_read_not_again_on_the_ui_thread(qtbot, window,
                                                                            tmp_path):
    """The results come with the read (on the worker for File > Open): showing a
    scenario of 6,000 tranches no longer waits for its compute on the UI thread."""
    path = tmp_path / "deal.cdm.json"
    opened = default_scenario().with_changes("contract", notice_days=45)
    write_scenarios(ScenarioSet((opened,), 0), path)
    assert window.file_actions.load_file(path)
    assert not window.binding.recompute_pending
    assert window.binding.results.scenario is window.binding.scenario
    assert window.binding.scenario.contract.notice_days == 45
