"""Direct tests of the binding layer (ui/app/binding.py), the input fields
(ui/widgets/fields.py) and the workspace (ui/app/workspace.py), without a
main window: each driven as a view or a user would."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from core.presets import default_scenario
from ui.app.binding import ScenarioBinding
from ui.app.workspace import Workspace, WorkspaceError
from ui.look.themes import INVALID_FIELD_STYLE
from ui.widgets.fields import ChoiceField, NumberField


@pytest.fixture
def binding(qtbot):
    return ScenarioBinding(default_scenario())


def record(signal) -> list:
    seen = []
    signal.connect(lambda *args: seen.append(args))
    return seen


# --- binding -----------------------------------------------------------------------------

def test_an_accepted_edit_is_announced_and_recomputed_once(binding):
    accepted, results = record(binding.edit_accepted), record(binding.results_changed)
    assert binding.set_values("contract", monthly_fee=2.0e9)
    assert binding.set_values("contract", monthly_fee=3.0e9)   # within the same frame
    assert accepted == [("monthly_fee",), ("monthly_fee",)]
    assert binding.recompute_pending
    binding.flush()
    assert len(results) == 1                                   # two edits, one recompute
    # 36 months at $3.0B, no escalator in the reference deal.
    assert binding.results.key_figures.total_contract_value == pytest.approx(36 * 3.0e9)


def test_a_refused_edit_names_the_field_and_changes_nothing(binding):
    refused = record(binding.edit_refused)
    before = binding.scenario
    assert not binding.set_values("contract", term_months=0)   # the minimum is 1
    assert refused[0][0] == "term_months"
    assert "Term" in refused[0][1]
    assert binding.scenario is before
    assert not binding.recompute_pending


def test_setting_the_value_in_force_is_not_an_edit(binding):
    made = record(binding.edit_made)
    assert binding.set_values("contract", monthly_fee=binding.scenario.contract.monthly_fee)
    assert made == [] and not binding.recompute_pending


# --- fields ------------------------------------------------------------------------------

def test_a_number_field_applies_a_typed_value_on_enter(qtbot, binding):
    field = NumberField(binding, "contract", "notice_days")
    qtbot.addWidget(field)
    field.show()
    field.lineEdit().selectAll()
    qtbot.keyClicks(field.lineEdit(), "30")
    assert binding.scenario.contract.notice_days == 90         # not while typing
    qtbot.keyClick(field.lineEdit(), Qt.Key.Key_Return)
    assert binding.scenario.contract.notice_days == 30


def test_a_number_field_marks_a_refused_value_and_follows_the_model(qtbot, binding):
    field = NumberField(binding, "contract", "term_months")
    qtbot.addWidget(field)
    field.setValue(0)                                          # below the minimum of 1
    assert field.styleSheet() == INVALID_FIELD_STYLE
    assert binding.scenario.contract.term_months == 36
    assert field.value() == 36                                 # not focused: shows the value in force
    binding.set_values("contract", term_months=24)             # e.g. an undo or a load
    assert field.value() == 24


def test_a_choice_field_edits_and_follows_the_scenario(qtbot, binding):
    field = ChoiceField(binding, "contract", "payment_timing")
    qtbot.addWidget(field)
    assert field.currentText() == "advance"
    field.setCurrentText("arrears")
    assert binding.scenario.contract.payment_timing == "arrears"
    binding.set_values("contract", payment_timing="advance")
    assert field.currentText() == "advance"


# --- workspace ---------------------------------------------------------------------------

def test_duplicate_rename_switch_and_remove_keep_each_scenarios_edits(qtbot, binding):
    workspace = Workspace(binding)
    name = binding.scenario.name
    assert workspace.duplicate() == 1
    assert workspace.names == [name, f"{name} (2)"]
    binding.set_values("contract", monthly_fee=2.0e9)          # edits the copy only
    workspace.switch(0)
    assert binding.scenario.contract.monthly_fee == 1.25e9
    workspace.switch(1)
    assert binding.scenario.contract.monthly_fee == 2.0e9
    workspace.rename(1, "Higher fee")
    assert workspace.names == [name, "Higher fee"]
    with pytest.raises(WorkspaceError, match="already called"):
        workspace.rename(0, "Higher fee")
    assert workspace.is_modified
    workspace.remove(0)
    assert workspace.names == ["Higher fee"] and workspace.active == 0
    with pytest.raises(WorkspaceError, match="last scenario"):
        workspace.remove(0)


def test_undo_is_per_scenario_and_saving_makes_it_clean(qtbot, binding):
    workspace = Workspace(binding)
    binding.set_values("contract", notice_days=30)
    assert workspace.is_modified
    workspace.undo_group.undo()
    assert binding.scenario.contract.notice_days == 90
    binding.set_values("contract", notice_days=60)
    workspace.mark_saved()
    assert not workspace.is_modified
