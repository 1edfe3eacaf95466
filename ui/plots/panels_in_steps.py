"""Stacked plots whose panels can be made one an idle step.

A SeriesPlots makes all its panels in its constructor: 60-70 ms for three,
one idle step too long when the main window builds a hidden tab in idle
time (issue 22: no step over about 50 ms; ui/app/build_steps.py).  A
`PanelsInSteps` subclass declares what it builds in `_build`, a generator:
`yield from self.panels_in_steps(SPECS)` and then its own set-up.
`Plots()` is built whole, as before (presentation mode, exports, tests);
`Plots(later=True)` is an empty stack that its tab builds on with
`yield from plots.steps_left()`, a panel a step.
"""
from __future__ import annotations

from typing import Iterator

from ui.app.build_steps import BuiltInSteps
from ui.plots.common import PanelSpec, SeriesPanel, SeriesPlots


class PanelsInSteps(BuiltInSteps, SeriesPlots):
    def __init__(self, parent=None, *, later: bool = False):
        super().__init__((), parent)      # no panel yet: `_build` adds them
        self.start_build(self._build(), later)

    def _build(self) -> Iterator[None]:
        raise NotImplementedError

    def panels_in_steps(self, specs: tuple[PanelSpec, ...]) -> Iterator[None]:
        """A panel for each spec, a step each, stacked and linked as
        SeriesPlots(specs) stacks and links them: top to bottom, equal
        stretch, every x axis linked to the first panel's."""
        layout = self.layout()
        for spec in specs:
            if self.panels:
                yield
            panel = SeriesPanel(spec)
            if self.panels:
                panel.plot.setXLink(self.panels[0].plot)
            layout.addWidget(panel, 1)
            self.panels.append(panel)
