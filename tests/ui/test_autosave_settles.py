"""Autosave after each settled edit: the first edit of a session is on disk
without waiting for a timer of a minute, a burst of edits is written once it
settles, and saving removes the session."""
from __future__ import annotations

import pytest

from core.scenario_file import load_scenario
from ui.app.recovery import MAX_WAIT_MS, SETTLE_MS



def test_the_promise_fits_in_two_seconds():
    # Settle, plus the longest wait into a burst, with room for the write itself.
    assert SETTLE_MS < MAX_WAIT_MS <= 1500


def test_the_first_edit_is_autosaved_once_it_settles(qtbot, window):
    autosave = window.file_actions.autosave
    assert not autosave.path.exists()
    window.binding.set_values("contract", notice_days=31)
    assert autosave.scheduled                     # not written yet: edits may follow
    window.binding.set_values("contract", notice_days=32)
    qtbot.waitUntil(lambda: autosave.path.exists() and not autosave.scheduled, timeout=5000)
    autosave.flush()
    assert load_scenario(autosave.path).contract.notice_days == 32   # the burst's last value


def test_saving_removes_the_session(qtbot, window, tmp_path):
    autosave = window.file_actions.autosave
    window.binding.set_values("contract", notice_days=31)
    qtbot.waitUntil(lambda: autosave.path.exists(), timeout=5000)
    assert window.file_actions.save_to(tmp_path / "deal.cdm.json")
    assert sorted(p.name for p in (tmp_path / "autosave").iterdir()) == []
