"""A tab's construction spread over small steps of idle time.

The main window builds the tabs the user has not opened in idle time after
its first paint (ui/main_window.py); a whole tab at once is 70-250 ms of the
main thread, and a click that comes meanwhile waits for all of it (issue 22).
A tab class that mixes in `BuiltInSteps` writes its constructor's work as a
generator, `yield` where a step may end (after its form, after each plots
widget, after a table ...), and hands it to `start_build`:

    class EconomicsTab(BuiltInSteps, QSplitter):
        def __init__(self, binding, parent=None, *, later=False):
            super().__init__(Qt.Orientation.Horizontal, parent)
            self.start_build(self._build(binding), later)

`Tab(binding)` is built whole, as any widget; `Tab(binding, later=True)` is
only the empty widget, and each `build_step()` does one step more
(`finish_build()` the rest at once: the user opened the tab meanwhile).  A
part of a tab can be built in steps the same way (`steps_left`).

A step that shows the scenario's results in a view also connects that view
to later results (ui/app/lazy_updates.py) in the same step: an edit between
two steps is then never lost.
"""
from __future__ import annotations

from typing import Iterator


class BuiltInSteps:
    """Mix in before the Qt class (see the module docstring)."""

    _remaining_build: Iterator[None] | None = None

    def start_build(self, steps: Iterator[None], later: bool) -> None:
        """`steps`: the constructor's work, a generator; run now unless `later`."""
        self._remaining_build = steps
        if not later:
            self.finish_build()

    @property
    def built(self) -> bool:
        return self._remaining_build is None

    def build_step(self) -> bool:
        """One more step of the build; True once the build is complete."""
        if self._remaining_build is None:
            return True
        try:
            next(self._remaining_build)
        except StopIteration:
            self._remaining_build = None
        return self._remaining_build is None

    def steps_left(self) -> Iterator[None]:
        """The build's remaining steps, for a tab whose part is itself built in
        steps: `self.part = Part(binding, later=True)`, then
        `yield from self.part.steps_left()`."""
        while not self.build_step():
            yield

    def finish_build(self) -> None:
        """The steps left, at once."""
        while not self.build_step():
            pass
