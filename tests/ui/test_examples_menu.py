"""File > Examples driven as a user drives it: the menu, the loaded deal in
every view, and the question that protects unsaved edits."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from core.examples import all_examples
from tests.ui.conftest import settle


def answer_next_question(qtbot, button: QMessageBox.StandardButton, seen: list[str]):
    """Click `button` on the next modal question, as a user would."""
    def click():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)
            return
        seen.append(box.text())
        box.button(button).click()
    QTimer.singleShot(10, click)


def test_file_menu_lists_the_gallery_above_quit(window):
    actions = window.file_menu.actions()
    examples = window.examples_menu.menuAction()
    assert examples in actions
    assert actions.index(examples) < actions.index(window.quit_action)
    assert [a.text() for a in window.examples_menu.actions()] == \
        [e.title for e in all_examples()]


def test_loading_an_example_shows_it_in_every_view(qtbot, window):
    window.examples_menu.action_for("meta-coreweave-2025").trigger()
    settle(qtbot, window)
    # $14.2B over 72 months: $197.2M a month, $2.37B a year; no exit right, so
    # walking away on day one costs the whole term (2,191 days x fee x 12 / 365).
    figures = window.key_figures
    assert figures.text_of("total_contract_value") == "$14.2B"
    assert figures.text_of("annual_run_rate") == "$2.37B"
    assert window.binding.results.key_figures.walkaway_exposure == \
        __import__("pytest").approx(2_191 * 14.2e9 / 72 * 12 / 365)
    form = window.contract_tab.form.fields
    assert form["buyer"].text() == "Meta"
    assert form["provider"].text() == "CoreWeave"
    assert form["term_months"].value() == 72
    assert form["start_date"].date().toPython() == dt.date(2026, 1, 1)
    table = window.hardware_tab.tranche_table
    assert table.rowCount() == 1
    assert "GB300" in [table.item(0, c).text() for c in range(table.columnCount())
                       if table.item(0, c) is not None]
    assert window.windowTitle().startswith("Meta \u2013 CoreWeave 2025")
    assert "14.2B" in window.statusBar().currentMessage()


def test_an_untouched_scenario_is_replaced_without_asking(qtbot, window, monkeypatch):
    asked = []
    monkeypatch.setattr(window.examples_menu, "confirm_replace",
                        lambda item: asked.append(item) or True)
    window.examples_menu.action_for("openai-oracle-2025").trigger()
    window.examples_menu.action_for("colossus-2026").trigger()
    settle(qtbot, window)
    assert asked == []
    assert window.key_figures.text_of("total_contract_value") == "$45.0B"


def test_edits_are_kept_when_the_user_cancels(qtbot, window):
    window.contract_tab.form.fields["notice_days"].setValue(180)
    settle(qtbot, window)
    seen: list[str] = []
    answer_next_question(qtbot, QMessageBox.StandardButton.Cancel, seen)
    window.examples_menu.action_for("microsoft-nebius-2025").trigger()
    settle(qtbot, window)
    assert len(seen) == 1 and "will be lost" in seen[0]
    assert window.binding.scenario.contract.notice_days == 180
    assert window.binding.scenario.contract.buyer == "Anthropic"
    assert window.key_figures.text_of("total_contract_value") == "$45.0B"


def test_edits_are_replaced_when_the_user_agrees(qtbot, window):
    window.contract_tab.form.fields["notice_days"].setValue(180)
    settle(qtbot, window)
    seen: list[str] = []
    answer_next_question(qtbot, QMessageBox.StandardButton.Yes, seen)
    window.examples_menu.action_for("microsoft-nebius-2025").trigger()
    settle(qtbot, window)
    assert len(seen) == 1
    assert window.binding.scenario.contract.buyer == "Microsoft"
    assert window.key_figures.text_of("total_contract_value") == "$17.4B"
    # The loaded example is the new baseline: switching again does not ask.
    window.examples_menu.action_for("meta-coreweave-2025").trigger()
    settle(qtbot, window)
    assert len(seen) == 1
    assert window.binding.scenario.contract.buyer == "Meta"
