"""Undo and redo of every edit: each change the binding accepts becomes a
step on a QUndoStack (one stack per named scenario, in a QUndoGroup).

Consecutive edits of the same field merge into one step when they come
within MERGE_WINDOW_S of each other or during one slider drag, so dragging a
slider or typing a name undoes in one go.
"""
from __future__ import annotations

import dataclasses
import functools
from time import monotonic

from PySide6.QtGui import QUndoCommand

from core.importing import KIND_TITLES
from core.parameters import Scenario, field_meta

MERGE_WINDOW_S = 1.0
_MERGE_IDS: dict[str, int] = {}


def merge_id(key: str) -> int:
    """A stable QUndoCommand id per edited field; -1 (never merge) for whole scenarios."""
    if not key:
        return -1
    return _MERGE_IDS.setdefault(key, len(_MERGE_IDS) + 1)


def describe_edit(scenario: Scenario, key: str) -> str:
    """"Monthly fee" for "contract:monthly_fee": what the Edit menu shows."""
    if not key:
        return "Replace scenario"
    section = key.split(":", 1)[0]
    return _edit_labels(type(getattr(scenario, section, None)), key)


@functools.lru_cache(maxsize=512)
def _edit_labels(section_type: type, key: str) -> str:
    # By the section's class and the key: the labels are declared, so each
    # edit of a field (every step of a drag) reads them once.
    names = key.split(":", 1)[1]
    labels = []
    for name in names.split(","):
        try:
            meta = field_meta(section_type, name)
            # A table (tranches, GPU models, plans) has no metadata: its import title.
            labels.append(meta.get("label") or KIND_TITLES.get(name, name))
        except (KeyError, AttributeError, TypeError):
            labels.append(name)
    return ", ".join(labels)


class ScenarioEdit(QUndoCommand):
    """One accepted edit: the scenario before and after.  It is applied when
    made, so the first redo() that push() calls does nothing."""

    def __init__(self, binding, before: Scenario, after: Scenario, key: str, drag: int | None):
        super().__init__(describe_edit(after, key))
        self.binding = binding
        self.before, self.after = before, after
        self.key = key
        self.drag = drag          # the slider drag it was made in, if any
        self.at = monotonic()
        self._applied = True

    def id(self) -> int:
        return merge_id(self.key)

    def _show(self, scenario: Scenario) -> None:
        if self.key:
            # The scenario's name is the list's business (rename), not a field edit's.
            scenario = dataclasses.replace(scenario, name=self.binding.scenario.name)
        self.binding.restore_scenario(scenario)

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self._show(self.after)

    def undo(self) -> None:
        self._show(self.before)

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, ScenarioEdit) or other.key != self.key:
            return False
        same_drag = self.drag is not None and self.drag == other.drag
        if not same_drag and other.at - self.at > MERGE_WINDOW_S:
            return False
        self.after, self.at = other.after, other.at
        if self.after == self.before:
            self.setObsolete(True)   # back where it started: no step at all
        return True


class EditRecorder:
    """Turns the binding's accepted edits into steps on the active stack."""

    def __init__(self, binding, stack_of):
        self.binding = binding
        self.stack_of = stack_of      # () -> the QUndoStack of the active scenario
        self.drag: int | None = None
        self._drags = 0
        binding.edit_made.connect(self.record)

    def record(self, before: Scenario, after: Scenario, key: str) -> None:
        self.stack_of().push(ScenarioEdit(self.binding, before, after, key, self.drag))

    def begin_drag(self) -> None:
        self._drags += 1
        self.drag = self._drags

    def end_drag(self) -> None:
        self.drag = None
