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
