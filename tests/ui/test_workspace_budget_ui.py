"""Every way into a workspace keeps to its budget (core.scenario_file.MAX_RECORDS):
refused before anything changes, in one line saying the limit."""
from __future__ import annotations

import dataclasses

import pytest

from core.presets import default_scenario
from core.scenario_file import MAX_RECORDS, records_in
from ui.app.binding import ScenarioBinding
from ui.app.workspace import Workspace, WorkspaceError


def with_tranches(scenario, count: int):
    tranche = scenario.hardware.tranches[0]
    return dataclasses.replace(scenario, hardware=dataclasses.replace(
        scenario.hardware, tranches=(tranche,) * count))


@pytest.fixture
def workspace(qtbot):
    binding = ScenarioBinding(default_scenario())
    return Workspace(binding)


def test_duplicate_is_refused_when_the_copy_would_not_fit(workspace):
    """The issue: 10,000 tranches duplicated nine times went past what can be saved."""
    workspace.binding.set_scenario(with_tranches(workspace.binding.scenario, 3_500))
    before = workspace.scenario_set()
    with pytest.raises(WorkspaceError, match=f"at most {MAX_RECORDS:,}") as refused:
        workspace.duplicate()
    assert "\n" not in str(refused.value)
    assert workspace.scenario_set() == before


def test_an_edit_adding_rows_past_the_budget_is_refused_and_changes_nothing(workspace):
    """Import and paste reach the scenario through set_values: a block that
    would not fit beside the other scenarios is refused like a bad value."""
    binding = workspace.binding
    binding.set_scenario(with_tranches(binding.scenario, 2_990))
    workspace.duplicate()                          # 2 x (2,990 + 5 GPU models) = 5,990
    assert records_in(workspace.scenarios) == MAX_RECORDS - 10
    refusals = []
    binding.edit_refused.connect(lambda field, message: refusals.append((field, message)))
    before = workspace.scenario_set()
    tranches = binding.scenario.hardware.tranches
    assert not binding.set_values("hardware", tranches=tranches + tranches[:100])
    assert refusals and refusals[0][0] == "tranches"
    assert f"at most {MAX_RECORDS:,}" in refusals[0][1]
    assert workspace.scenario_set() == before
    assert binding.set_values("hardware", tranches=tranches[:-100])   # shrinking is always fine


def test_adding_several_scenarios_is_all_or_none(workspace):
    """A portfolio file adds its deals together: when not all fit, none is added."""
    big = with_tranches(workspace.binding.scenario, 2_000)
    before = workspace.scenario_set()
    with pytest.raises(WorkspaceError, match=f"at most {MAX_RECORDS:,}"):
        workspace.check_room([big, big, big])      # 3 x 2,005 beside the 8 there are
    workspace.check_room([big, big])              # these fit
    assert workspace.scenario_set() == before
