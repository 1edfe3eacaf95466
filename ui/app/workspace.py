"""The named scenarios open in a window (for example Base, Bull, Bear): the
active one lives in the binding, the others wait here, each with its own undo
history.  Duplicate, rename, switch and delete; whether anything is unsaved.
Every way in keeps to the workspace budget (core.scenario_file.MAX_RECORDS):
loading, duplicating, adding and every edit through the binding are refused,
before anything changes, when the workspace would hold more.
"""
from __future__ import annotations

import dataclasses

import shiboken6

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoGroup, QUndoStack

from core.parameters import Scenario
from core.scenario_file import (MAX_NAME_LENGTH, MAX_SCENARIOS, ScenarioSet, over_budget,
                                records_in)
from ui.app.undo import EditRecorder


class WorkspaceError(ValueError):
    """A refused list operation (duplicate name, deleting the last scenario)."""


class Workspace(QObject):
    scenarios_changed = Signal()          # names, order or the active one changed (not an edit)
    structure_changed = Signal()          # a scenario added, renamed or deleted
    modified_changed = Signal(bool)

    def __init__(self, binding, parent: QObject | None = None):
        super().__init__(parent)
        self.binding = binding
        self.undo_group = QUndoGroup(self)
        self._scenarios: list[Scenario] = [binding.scenario]
        self._stacks: list[QUndoStack] = [self._new_stack()]
        self._active = 0
        self._structure_modified = False
        self._modified = False
        self.undo_group.setActiveStack(self._stacks[0])
        self.recorder = EditRecorder(binding, lambda: self._stacks[self._active])
        binding.scenario_changed.connect(self._keep_active)
        binding.room_for = self.room_for

    # --- reading ---------------------------------------------------------------------

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.scenarios]

    @property
    def scenarios(self) -> list[Scenario]:
        out = list(self._scenarios)
        out[self._active] = self.binding.scenario
        return out

    @property
    def active(self) -> int:
        return self._active

    @property
    def is_modified(self) -> bool:
        return self._modified

    def scenario_set(self) -> ScenarioSet:
        return ScenarioSet(tuple(self.scenarios), self._active)

    def room_for(self, scenario: Scenario, replacing: int | None = None) -> str | None:
        """None if the workspace could hold `scenario` in place of scenario
        `replacing` (the active one by default; -1: beside the others); otherwise
        why not, in one line saying the limit."""
        replacing = self._active if replacing is None else replacing
        others = [s for i, s in enumerate(self.scenarios) if i != replacing]
        problem = over_budget(records_in(others + [scenario]))
        return None if problem is None else f"the workspace would hold {problem}."

    # --- changing the list -------------------------------------------------------------

    def load(self, scenarios: ScenarioSet, modified: bool = False, results=None) -> None:
        """Replace everything (a file opened, New, a recovery); histories start afresh.
        `results`: the active scenario's, when computed off the UI thread."""
        for stack in self._stacks:
            self.undo_group.removeStack(stack)
            stack.deleteLater()
        self._scenarios = list(scenarios.scenarios)
        self._stacks = [self._new_stack() for _ in self._scenarios]
        self._active = scenarios.active
        self.undo_group.setActiveStack(self._stacks[self._active])
        self.binding.restore_scenario(self._scenarios[self._active], results)
        self._structure_modified = modified
        self._update_modified()
        self.scenarios_changed.emit()

    def switch(self, index: int) -> None:
        if index == self._active or not 0 <= index < len(self._scenarios):
            return
        self._scenarios[self._active] = self.binding.scenario
        self._active = index
        self.undo_group.setActiveStack(self._stacks[index])
        self.binding.restore_scenario(self._scenarios[index])
        self.scenarios_changed.emit()

    def duplicate(self, name: str | None = None) -> int:
        """Copy the active scenario under a new name and switch to it."""
        if len(self._scenarios) >= MAX_SCENARIOS:
            raise WorkspaceError(f"A file holds at most {MAX_SCENARIOS} scenarios.")
        current = self.binding.scenario
        name = self._check_name(name) if name is not None else self.unused_name(current.name)
        self._check_room(current)
        self._scenarios[self._active] = current
        self._scenarios.append(dataclasses.replace(current, name=name))
        self._stacks.append(self._new_stack())
        self._structure_edited()
        self.switch(len(self._scenarios) - 1)
        return self._active

    def add(self, scenario: Scenario) -> int:
        """A new scenario beside the others (an example), under its own name or
        an unused variant of it; it becomes the active one."""
        if len(self._scenarios) >= MAX_SCENARIOS:
            raise WorkspaceError(f"A file holds at most {MAX_SCENARIOS} scenarios.")
        self._check_room(scenario)
        self._scenarios[self._active] = self.binding.scenario
        name = scenario.name if scenario.name not in self.names \
            else self.unused_name(scenario.name)
        self._scenarios.append(dataclasses.replace(scenario, name=name))
        self._stacks.append(self._new_stack())
        self._structure_edited()
        self.switch(len(self._scenarios) - 1)
        return self._active

    def rename(self, index: int, name: str) -> None:
        if self.names[index] == name:
            return
        name = self._check_name(name)
        if index == self._active:
            self.binding.restore_scenario(dataclasses.replace(self.binding.scenario, name=name))
        else:
            self._scenarios[index] = dataclasses.replace(self._scenarios[index], name=name)
        self._structure_edited()
        self.scenarios_changed.emit()

    def remove(self, index: int) -> None:
        if len(self._scenarios) == 1:
            raise WorkspaceError("The last scenario cannot be deleted.")
        self._scenarios[self._active] = self.binding.scenario
        del self._scenarios[index]
        stack = self._stacks.pop(index)
        self.undo_group.removeStack(stack)
        stack.deleteLater()
        if index < self._active or self._active == len(self._scenarios):
            self._active -= 1
        self.undo_group.setActiveStack(self._stacks[self._active])
        self.binding.restore_scenario(self._scenarios[self._active])
        self._structure_edited()
        self.scenarios_changed.emit()

    def mark_saved(self) -> None:
        for stack in self._stacks:
            stack.setClean()
        self._structure_modified = False
        self._update_modified()

    def unused_name(self, name: str) -> str:
        base = name[: MAX_NAME_LENGTH - 10]
        names = set(self.names)
        for n in range(2, MAX_SCENARIOS + 2):
            candidate = f"{base} ({n})"
            if candidate not in names:
                return candidate
        raise WorkspaceError("No free scenario name.")

    # --- internals -----------------------------------------------------------------------

    def _check_room(self, added: Scenario) -> None:
        self.check_room([added])

    def check_room(self, added: list[Scenario]) -> None:
        """WorkspaceError (one line, saying the limit) unless all of `added`
        fit beside the scenarios there are: asked before adding several, so that
        none is added when not all fit."""
        if len(self._scenarios) + len(added) > MAX_SCENARIOS:
            raise WorkspaceError(f"Not added: the workspace would hold "
                                 f"{len(self._scenarios) + len(added)} scenarios; a file holds "
                                 f"at most {MAX_SCENARIOS}.")
        problem = over_budget(records_in(self.scenarios + list(added)))
        if problem:
            raise WorkspaceError(f"Not added: the workspace would hold {problem}.")

    def _check_name(self, name: str) -> str:
        name = name.strip()
        if not name:
            raise WorkspaceError("A scenario needs a name.")
        if len(name) > MAX_NAME_LENGTH:
            raise WorkspaceError(f"A scenario name has at most {MAX_NAME_LENGTH} characters.")
        if name in self.names:
            raise WorkspaceError(f"Another scenario is already called \u201c{name}\u201d.")
        return name

    def _new_stack(self) -> QUndoStack:
        stack = QUndoStack(self)
        self.undo_group.addStack(stack)
        stack.cleanChanged.connect(self._stack_clean_changed)  # a method: disconnects on delete
        return stack

    def _keep_active(self, scenario: Scenario) -> None:
        renamed = scenario.name != self._scenarios[self._active].name
        self._scenarios[self._active] = scenario
        if not renamed:
            # An edit of the active scenario's inputs: its name, the list and the
            # active one are as they were (views of its figures follow results_changed).
            return
        if self.names.count(scenario.name) > 1:
            # A whole scenario replaced (an example) may bring a name in use.
            others = set(self.names[:self._active] + self.names[self._active + 1:])
            if scenario.name in others:
                self.binding.restore_scenario(
                    dataclasses.replace(scenario, name=self.unused_name(scenario.name)))
                return
        self.scenarios_changed.emit()

    def _structure_edited(self) -> None:
        self._structure_modified = True
        self._update_modified()
        self.structure_changed.emit()

    def _stack_clean_changed(self, _clean: bool) -> None:
        self._update_modified()

    def _update_modified(self) -> None:
        # Stacks may already be gone while the window is being destroyed.
        modified = self._structure_modified or any(
            shiboken6.isValid(s) and not s.isClean() for s in self._stacks)
        if modified != self._modified:
            self._modified = modified
            self.modified_changed.emit(modified)
