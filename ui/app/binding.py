"""The binding layer: owns the current scenario, recomputes, emits results.

Widgets call `set_values`; the change is validated by core (a refused value
emits `edit_refused` with the message and changes nothing).  Accepted changes
emit `scenario_changed` at once, so inputs stay in step, and schedule one
recompute: bursts of edits are coalesced so that at most one recompute and
one `results_changed` run per frame.  Every plot and figure listens to
`results_changed`; none of them computes.

An edit that adds tranches or GPU models asks `room_for` (set by the
workspace: the workspace budget of core.scenario_file) first, and is refused
like a bad value when the workspace could not hold it.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEvent, QObject, QTimer, Signal

from core.engine import Results, compute
from core.parameters import ParameterError, Scenario

FRAME_MS = 16  # one frame at 60 Hz
# A recompute due at once is posted as this event (see _schedule_recompute).
_RECOMPUTE_DUE = QEvent.Type(QEvent.registerEventType())


class ScenarioBinding(QObject):
    scenario_changed = Signal(object)   # Scenario
    results_changed = Signal(object)    # Results
    edit_refused = Signal(str, str)     # field name, message for the user
    edit_accepted = Signal(str)         # field name
    flushed = Signal()                  # flush_views(): views deferred while hidden update now
    # Every accepted change: (before, after, key).  The key names what was
    # edited ("contract:monthly_fee"; "" for a whole scenario); ui/app/undo.py
    # records these as undoable steps.
    edit_made = Signal(object, object, str)

    def __init__(self, scenario: Scenario, parent: QObject | None = None):
        super().__init__(parent)
        self._scenario = scenario
        self._results = compute(scenario)
        self._since_last = QElapsedTimer()
        self._since_last.start()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._recompute)
        self._posted = False      # a recompute posted as an event, not yet run
        # (scenario) -> None, or why the workspace could not hold it in place of this one.
        self.room_for: Callable[[Scenario], str | None] | None = None

    @property
    def scenario(self) -> Scenario:
        return self._scenario

    @property
    def results(self) -> Results:
        return self._results

    @property
    def recompute_pending(self) -> bool:
        return self._timer.isActive() or self._posted

    def set_values(self, section: str, *, follow_ups: dict[str, dict] | None = None,
                   **changes) -> bool:
        """Apply an edit; False (and `edit_refused`) if core refuses it.
        `follow_ups`: other sections' changes the edit carries with it, in the
        same step of the undo stack (a renamed GPU model's market rent row)."""
        try:
            scenario = self._scenario.with_changes(section, **changes)
            for other, more in (follow_ups or {}).items():
                scenario = scenario.with_changes(other, **more)
        except ParameterError as error:
            self.edit_refused.emit(error.field, str(error))
            return False
        if scenario == self._scenario:
            return True
        problem = self.no_room_for(scenario)
        if problem:
            self.edit_refused.emit(next(iter(changes), ""), problem)
            return False
        before, self._scenario = self._scenario, scenario
        for name in changes:
            self.edit_accepted.emit(name)
        self.scenario_changed.emit(scenario)
        self._schedule_recompute()
        self.edit_made.emit(before, scenario, f"{section}:{','.join(sorted(changes))}")
        return True

    def refuse(self, error: ParameterError) -> None:
        """Report a value refused while a view was assembling an edit."""
        self.edit_refused.emit(error.field, str(error))

    def set_scenario(self, scenario: Scenario) -> bool:
        """Replace the whole scenario as one edit; False (and `edit_refused`) if
        the workspace could not hold it."""
        problem = self.no_room_for(scenario)
        if problem:
            self.edit_refused.emit("", problem)
            return False
        before = self._scenario
        self.restore_scenario(scenario)
        if scenario != before:
            self.edit_made.emit(before, scenario, "")
        return True

    def no_room_for(self, scenario: Scenario) -> str | None:
        """None, or why the workspace could not hold `scenario` in place of this one."""
        grows = (len(scenario.hardware.tranches) + len(scenario.hardware.gpu_models)
                 > len(self._scenario.hardware.tranches) + len(self._scenario.hardware.gpu_models))
        return self.room_for(scenario) if grows and self.room_for is not None else None

    def restore_scenario(self, scenario: Scenario, results: Results | None = None) -> None:
        """Show a scenario without recording an edit (undo, redo, switching).
        `results`: compute(scenario), when it was computed off the UI thread (a
        file read on a worker), so it is not computed again here."""
        self._scenario = scenario
        self.scenario_changed.emit(scenario)
        if results is not None and results.scenario is scenario:
            self._timer.stop()
            self._posted = False
            self._since_last.restart()
            self._results = results
            self.results_changed.emit(results)
            return
        self._schedule_recompute()

    def flush(self) -> None:
        """Run a pending recompute now (for exports and tests)."""
        if self._timer.isActive() or self._posted:
            self._timer.stop()
            self._posted = False       # the posted event finds nothing to do
            self._recompute()

    def flush_views(self) -> None:
        """Run a pending recompute and bring every view up to date, also those
        on hidden tabs that otherwise update when shown (exports, tests)."""
        self.flush()
        self.flushed.emit()

    def _schedule_recompute(self) -> None:
        if self._timer.isActive() or self._posted:
            return  # already due this frame: the edit is coalesced into it
        wait = max(0, FRAME_MS - self._since_last.elapsed())
        if wait:
            self._timer.start(wait)
            return
        # Due at once: posted as an event rather than a zero timer.  Qt delivers
        # posted events before timers and the window's UpdateRequest (posted at
        # low priority) after them, so the edit's own widgets (the edited field,
        # a table row that follows the scenario) and its results are painted in
        # one frame, not in two passes one after the other (issue 22).
        self._posted = True
        QCoreApplication.postEvent(self, QEvent(_RECOMPUTE_DUE))

    def event(self, event) -> bool:   # noqa: D401 (Qt's name)
        if event.type() != _RECOMPUTE_DUE:
            return super().event(event)
        if self._posted:               # not flushed meanwhile
            self._posted = False
            self._recompute()
        return True

    def _recompute(self) -> None:
        self._timer.stop()
        self._posted = False
        self._since_last.restart()
        self._results = compute(self._scenario)
        self.results_changed.emit(self._results)
