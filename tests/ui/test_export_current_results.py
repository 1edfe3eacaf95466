"""The plots an export renders from the Risk and Market tabs are of the
scenario being exported: each tab prepares its first results while hidden
(issue 22), so after an edit elsewhere it holds the results of the scenario
before the edit until shown and valued again."""
import pytest

from core.engine import compute
from tests.ui.conftest import settle
from ui.boardroom.export_views import tab_panels


def test_exported_risk_and_market_plots_are_of_the_scenario_exported(qtbot, window):
    risk, market = window.tab("risk"), window.tab("market")
    qtbot.waitUntil(lambda: not risk.preparing_first_results
                    and not market.preparing_first_results, timeout=60_000)
    prepared = risk.simulated_scenario
    assert prepared == window.binding.scenario and market.valued is not None
    # An edit on another tab: both hidden tabs still hold the old scenario's results.
    window.binding.set_values("contract", monthly_fee=1.1e9)
    settle(qtbot, window)
    scenario = window.binding.scenario
    assert risk.simulated_scenario != scenario
    seen = set()
    for title, panel in tab_panels(window):     # what the PNG/PDF exports render
        if panel in (risk.tornado_plot, risk.fan_chart, risk.histogram):
            seen.add("risk")
            assert risk.simulated_scenario == scenario, title
            # The tornado's base is the scenario's own NPV (the engine's key figure).
            assert risk.tornado_result.base_output == pytest.approx(
                compute(scenario).key_figures.buyer_npv, rel=1e-12)
        if panel in (market.exercise_panel, market.boundary_panel):
            seen.add("market")
            assert market._valued_scenario == scenario, title
    assert seen == {"risk", "market"}
    risk.shutdown()
    market.shutdown()


def test_the_board_pack_runs_its_own_simulation_until_the_risk_tab_is_shown(qtbot, window):
    # The pack takes "the simulation the user ran on the Risk tab" (board_pack.py);
    # the first results the hidden tab prepares are not one: a pack of the same
    # scenario was the pack's own run (core.export.pack.risk_analysis) whether
    # or not that background job had finished.
    import numpy as np
    from core.export.pack import risk_analysis
    from ui.boardroom.board_pack import current_simulation, window_risk
    risk = window.tab("risk")
    qtbot.waitUntil(lambda: not risk.preparing_first_results, timeout=60_000)
    assert risk.simulation_result is not None        # prepared while hidden
    assert current_simulation(window, "buyer") is None
    own = risk_analysis(window.binding.results, "buyer", run_simulation=True, simulation=None)
    packed = window_risk(window, "buyer")
    assert np.array_equal(packed.simulation.outcomes, own.simulation.outcomes)
    assert packed.note == own.note
    # Shown, the tab's run is the user's: the pack takes it.
    window.tabs.setCurrentWidget(risk)
    qtbot.waitUntil(lambda: not risk.work_pending, timeout=60_000)
    assert current_simulation(window, "buyer") is risk.simulation_result
    risk.shutdown()
