"""The board pack of the window's scenario: the sections the PDF report, the
deck and presentation mode show, for the tabs ui/registry.py exports, in its
order, built once for one side (`window_pack_inputs`) and rendered from that.

Risk uses the simulation the user ran on the Risk tab when it is of the
scenario shown and of the side's figure (the Risk tab follows View as);
otherwise the export runs one with the side's default settings and a stated
seed (core.export.pack.risk_analysis), or shows the tornado alone when the
user declines.  The other scenarios of the file feed the comparison; the
two-way table is the one the Solve and sweep tab shows when its figure is
the side's, else the side's default.
"""
from __future__ import annotations

from core.export.pack import (PackInputs, RiskAnalysis, Section, board_pack, deal_section,
                              figure_fits, risk_analysis)
from core.monte_carlo import SimulationResult
from core.sweep import SweepSpec
from ui import registry


def exported_tab_keys() -> tuple[str, ...]:
    """The keys of the tabs whose story exports carry, in the window's order."""
    return tuple(tab.key for tab in registry.TABS if tab.exported)


def window_perspective(window) -> str:
    """The side the key-figure strip's switch shows: "buyer" or "provider"."""
    return window.key_figures.switch.perspective


def current_simulation(window, perspective: str | None = None) -> SimulationResult | None:
    """The Risk tab's simulation, if it was run on the scenario now shown and
    (given a perspective) simulates a figure of that side or of both.  Not the
    first results the tab prepares while hidden (issue 22) before it was ever
    shown or asked to run: the pack then runs its own, as it did before the
    tab prepared any (a pack of the same scenario does not depend on whether
    that job was done)."""
    risk = window.tab_pages.get("risk")      # never opened: no simulation was run
    result = getattr(risk, "simulation_result", None)
    if result is None or not getattr(risk, "results_used", False) \
            or getattr(risk, "simulated_scenario", None) != window.binding.scenario:
        return None
    if perspective is not None and not figure_fits(perspective, result.spec.output):
        return None
    return result


def window_risk(window, perspective: str, run_simulation: bool = True) -> RiskAnalysis:
    results = window.binding.results
    return risk_analysis(results, perspective, run_simulation=run_simulation,
                         simulation=current_simulation(window, perspective))


def window_pack_inputs(window, perspective: str | None = None, run_simulation: bool = True
                       ) -> PackInputs:
    """What the pack of the window's scenario is built from, for `perspective`
    (default: the switch's): the results, the side's simulation, the file's
    other scenarios and the two-way table set up."""
    window.binding.flush()
    results = window.binding.results
    perspective = perspective or window_perspective(window)
    from core.engine import compute
    scenarios = window.workspace.scenarios
    others = tuple(compute(s) for i, s in enumerate(scenarios) if i != window.workspace.active)
    return PackInputs(results, perspective, window_risk(window, perspective, run_simulation),
                      others, window_sweep(window))


def window_pack(window, perspective: str | None = None, run_simulation: bool = True
                ) -> list[Section]:
    """The board pack of the window's scenario for `perspective` (default: the
    switch's), with the file's other scenarios for the comparison."""
    return board_pack(window_pack_inputs(window, perspective, run_simulation),
                      exported_tab_keys())


def window_deal(window, perspective: str | None = None) -> Section:
    """The pack's deal on a page (its first section) for `perspective`, from
    the window's results and the Risk tab's simulation if one of the side's
    figure was run (none is run for it: presentation mode runs the Risk tab's)."""
    perspective = perspective or window_perspective(window)
    return deal_section(PackInputs(window.binding.results, perspective,
                                   window_risk(window, perspective, run_simulation=False)))


def window_sweep(window) -> SweepSpec | None:
    """The two-way table as the Solve and sweep tab shows it; None (the pack's
    default) when the tab was never opened, so no table was set up (the
    command line's exports).  The pack uses it only when its figure is the side's."""
    page = window.tab_pages.get("solve")
    try:
        return page.sweep.spec() if page is not None else None
    except AttributeError:
        return None
