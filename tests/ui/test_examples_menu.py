"""File > Examples driven as a user drives it: the menu, the loaded deal in
every view, opened as a new scenario beside the user's own."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from core.examples import all_examples
from tests.ui.conftest import settle


def test_file_menu_lists_the_gallery_above_quit(window):
    actions = window.file_menu.actions()
    examples = window.examples_menu.menuAction()
    assert examples in actions
    assert actions.index(examples) < actions.index(window.quit_action)
    assert [a.text() for a in window.examples_menu.actions()] == \
        [e.title for e in all_examples()]
    assert all("Assumed:" in a.toolTip() for a in window.examples_menu.actions())


def test_loading_an_example_shows_it_in_every_view(qtbot, window):
    window.examples_menu.action_for("meta-coreweave-2025").trigger()
    settle(qtbot, window)
    # $14.2B over 72 months: $197.2M a month, $2.37B a year; no exit right, so
    # walking away on day one costs the whole term (72 monthly fees).
    figures = window.key_figures
    assert figures.text_of("total_contract_value") == "$14.2B"
    assert figures.text_of("annual_run_rate") == "$2.37B"
    assert window.binding.results.key_figures.walkaway_exposure == \
        pytest.approx(14.2e9)
    form = window.tab("contract").form.fields
    assert form["buyer"].text() == "Meta"
    assert form["provider"].text() == "CoreWeave"
    assert form["term_months"].value() == 72
    assert form["start_date"].date().toPython() == dt.date(2026, 1, 1)
    table = window.tab("hardware").tranche_table
    assert table.rowCount() == 1
    assert "GB300" in [table.item(0, c).text() for c in range(table.columnCount())
                       if table.item(0, c) is not None]
    assert window.windowTitle().startswith("Meta \u2013 CoreWeave 2025")
    assert "14.2B" in window.statusBar().currentMessage()


def test_each_example_loads_to_its_reported_value(qtbot, window):
    for item in all_examples():
        window.examples_menu.action_for(item.key).trigger()
        settle(qtbot, window)
        shown = window.binding.scenario
        # Opened beside the others: the reference deal's own example gets "(2)".
        assert shown.name.startswith(item.scenario.name)
        assert dataclasses.replace(shown, name=item.scenario.name) == item.scenario
        assert window.binding.results.key_figures.total_contract_value == \
            pytest.approx(item.reported_total)


def test_an_example_opens_beside_the_users_edited_scenario(qtbot, window):
    window.tab("contract").form.fields["notice_days"].setValue(180)
    settle(qtbot, window)
    mine = window.binding.scenario
    window.examples_menu.action_for("microsoft-nebius-2025").trigger()
    settle(qtbot, window)
    assert window.binding.scenario.contract.buyer == "Microsoft"
    assert window.key_figures.text_of("total_contract_value") == "$17.4B"
    assert window.workspace.names == [mine.name, "Microsoft \u2013 Nebius 2025"]
    assert window.workspace.active == 1
    assert "scenario bar" in window.statusBar().currentMessage()

    window.workspace.switch(0)      # the user's scenario, as they left it
    settle(qtbot, window)
    assert window.binding.scenario == mine
    assert window.tab("contract").form.fields["notice_days"].value() == 180
    assert window.tab("contract").form.fields["buyer"].text() == "Anthropic"
    assert window.key_figures.text_of("total_contract_value") == "$45.0B"
