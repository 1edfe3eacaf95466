"""The Risk tab driven as a user drives it: the tornado follows the chosen
output, a simulation runs in a worker thread (the UI keeps ticking), can be
cancelled and restarted, and follows each edit (a preview, then the full
path count once the edits pause)."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer

from core.engine import compute
from core.monte_carlo import SimulationSpec, Uncertainty, simulate
from tests.ui.conftest import settle


@pytest.fixture
def risk(qtbot, window):
    window.tabs.setCurrentWidget(window.tab("risk"))
    qtbot.waitUntil(lambda: window.tab("risk").tornado_result is not None, timeout=10_000)
    yield window.tab("risk")
    window.tab("risk").shutdown()


def choose(combo, name):
    combo.setCurrentIndex(combo.findData(name))


def test_tornado_shows_the_chosen_output_sorted_by_swing(qtbot, window, risk):
    choose(risk.tornado_controls.output, "total_contract_value")
    qtbot.waitUntil(lambda: risk.tornado_result.output == "total_contract_value", timeout=10_000)
    rows = risk.tornado_plot.layers["tornado"].shown_rows
    assert [r.input.key for r in rows[:2]] == ["contract.monthly_fee", "contract.term_months"]
    assert rows[0].low_output == 36 * 1.0e9 and rows[0].high_output == 36 * 1.5e9
    # The bars drawn are those rows, as the change from the base 36 x $1.25B = $45B (one
    # convention with the exports): the fee's low bar from -$9B to 0, its high to +$9B.
    x0, x1 = risk.tornado_plot.items["low"].opts["x0"], risk.tornado_plot.items["high"].opts["x1"]
    assert x0[0] == 36e9 - 45e9 and x1[0] == 36 * 1.5e9 - 45e9
    assert risk.tornado_plot.items["low"].opts["x1"][0] == 0.0
    assert risk.tornado_plot.layers["tornado"].items["base"].value() == 0.0
    ticks = risk.tornado_plot.plot.getAxis("left")._tickLevels[0]
    assert ticks[0][1] == "Monthly fee ($1B / $1.5B)"      # the top row, its low / high values
    assert "Total contract value" in risk.tornado_plot.title.text()

    # Edit the fee's move to -50% / +50% in the table: the tornado follows.
    table = risk.tornado_controls.table
    row = [r.key for r in risk.tornado_controls.inputs].index("contract.monthly_fee")
    table.item(row, 1).setText("-50")
    table.item(row, 2).setText("50")
    qtbot.waitUntil(lambda: risk.tornado_plot.layers["tornado"].shown_rows[0].low_output == 36 * 0.625e9,
                    timeout=10_000)


def test_tornado_follows_a_model_edit_while_shown(qtbot, window, risk):
    choose(risk.tornado_controls.output, "total_contract_value")
    qtbot.waitUntil(lambda: risk.tornado_result.output == "total_contract_value", timeout=10_000)
    window.binding.set_values("contract", monthly_fee=2.0e9)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: risk.tornado_result.base_output == 72e9, timeout=10_000)


def test_simulation_start_cancel_restart_with_the_ui_responsive(qtbot, window, risk):
    controls = risk.simulation_controls
    controls.paths.setValue(400_000)        # long enough to cancel midway
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    progress = []
    risk.simulation_runner.progressed.connect(progress.append)

    shown = risk.simulation_result       # the live run since the tab was shown, if it is done
    qtbot.mouseClick(controls.run_button, Qt.MouseButton.LeftButton)
    assert controls.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: len(progress) >= 1, timeout=20_000)
    qtbot.mouseClick(controls.cancel_button, Qt.MouseButton.LeftButton)
    assert not risk.simulation_runner.running
    assert controls.status.text() == "Cancelled."
    assert risk.simulation_result is shown
    qtbot.wait(400)                # a cancelled run never reports, and no refinement follows
    assert risk.simulation_result is shown
    assert not risk.simulation_runner.running

    controls.paths.setValue(20_000)
    controls.seed.setValue(7)
    ticks.clear()
    qtbot.mouseClick(controls.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: risk.simulation_result is not shown, timeout=30_000)
    timer.stop()
    result = risk.simulation_result
    assert result.spec.paths == 20_000 and result.spec.seed == 7
    assert controls.progress.value() == 100
    # The event loop kept running during the simulation.
    assert len(ticks) >= 2
    # Results on screen: the same as core gives for the same spec and seed.
    again = simulate(window.binding.scenario, result.spec)
    assert np.array_equal(again.outcomes, result.outcomes)
    # What the run supports (core.summary.risk_statement): a loss is possible under
    # the ranges varied, so its chance (or its bound) is stated.
    assert "Buyer NPV below zero" in controls.summary.text()
    assert "Simulated Buyer NPV: P5" in controls.summary.text()
    median = risk.fan_chart.items["P50"].getData()[1]
    assert np.array_equal(median, result.cash_percentiles[2])


def test_an_edit_while_running_previews_then_refines_the_new_scenario(qtbot, window, risk):
    controls = risk.simulation_controls
    controls.paths.setValue(300_000)
    qtbot.mouseClick(controls.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controls.progress.value() > 0, timeout=20_000)
    shown = []
    risk.simulation_runner.finished.connect(lambda r: shown.append(r.spec.paths))
    window.binding.set_values("contract", monthly_fee=1.0e9)
    controls.paths.setValue(5_000)          # the refinement reads the controls anew
    qtbot.waitUntil(lambda: shown[-1:] == [5_000], timeout=30_000)
    # The 300,000-path run was dropped; a 2,000-path preview came first, then the full count.
    assert shown == [2_000, 5_000]
    result = risk.simulation_result
    expected = simulate(window.binding.scenario, result.spec)
    assert np.array_equal(expected.outcomes, result.outcomes)
    assert controls.status.text().startswith("Done: 5,000 paths")


def test_chosen_inputs_and_a_bad_cell_give_a_message(qtbot, window, risk):
    controls = risk.simulation_controls
    table = controls.table
    for ref in table.inputs:
        table.set_varied(ref.key, False)
    table.set_varied("contract.monthly_fee", True)
    row = [r.key for r in table.inputs].index("contract.monthly_fee")
    table.item(row, 2).setText("uniform")
    assert table.uncertainties() == (Uncertainty("contract.monthly_fee", "uniform",
                                                 1.0e9, 1.25e9, 1.5e9),)
    table.item(row, 5).setText("lots")
    qtbot.mouseClick(controls.run_button, Qt.MouseButton.LeftButton)
    assert "Monthly fee: high 'lots' is not a number" in controls.status.text()
    assert not risk.simulation_runner.running
    # An edited row keeps the user's values when the scenario changes.
    table.item(row, 5).setText("2,000,000,000")
    window.binding.set_values("contract", monthly_fee=1.1e9)
    assert table.uncertainties()[0].high == 2.0e9


def test_before_the_first_result_an_empty_state_then_the_live_plots(qtbot, window):
    # A hidden Risk tab does no work, so it still shows its empty state (no axes over
    # nothing); shown, it simulates at once (live risk) and the plots replace it.
    risk = window.tab("risk")
    assert risk.simulation_views.currentWidget() is risk.empty_state
    assert not risk.fan_chart.isVisibleTo(risk) and not risk.histogram.isVisibleTo(risk)
    assert "No simulation yet" in risk.empty_note.text()
    window.show_tab("risk")
    qtbot.waitUntil(lambda: risk.simulation_result is not None, timeout=30_000)
    assert risk.simulation_views.currentIndex() == 1
    assert risk.fan_chart.isVisible() and risk.histogram.isVisible()
    risk.shutdown()


def test_a_tornado_cell_that_is_not_a_number_is_refused_with_a_message(qtbot, window, risk):
    controls = risk.tornado_controls
    row = [r.key for r in controls.inputs].index("contract.monthly_fee")
    controls.table.item(row, 1).setText("abc")
    assert controls.table.item(row, 1).text() == "-20"     # back to the value in force
    assert controls.message.isVisible()
    assert "'abc' is not a number" in controls.message.text()
    assert "Monthly fee" in controls.message.text()
    assert controls.moves()["contract.monthly_fee"] == (-20.0, 20.0)
    controls.table.item(row, 1).setText("-35")
    assert not controls.message.isVisible()
    assert controls.moves()["contract.monthly_fee"] == (-35.0, 20.0)


def test_the_outputs_are_grouped_by_side_with_the_declared_labels(qtbot, window):
    from core import figures
    combo = window.tab("risk").tornado_controls.output
    groups, heading = {}, None
    for i in range(combo.count()):
        name = combo.itemData(i)
        if name is None:                      # a heading: bold, not selectable
            heading = combo.itemText(i)
            assert not combo.model().item(i).isEnabled()
            continue
        groups.setdefault(heading, []).append(name)
        assert combo.itemText(i) == figures.label(name)
        assert combo.itemData(i, Qt.ItemDataRole.ToolTipRole) == figures.output(name).definition
    side_of = {"Buyer": "buyer", "Provider": "provider", "Both sides": "both"}
    assert set(groups) == set(side_of)
    for title, names in groups.items():
        assert {figures.output(n).side for n in names} == {side_of[title]}
    # The provider's outputs are offered (the issue found none), e.g. its NPV and IRR.
    assert {"provider_npv", "provider_irr"} <= set(groups["Provider"])
    assert combo.currentData() == "buyer_npv"


def test_a_provider_outcome_is_simulated_with_the_providers_cash_in_the_fan(qtbot, window, risk):
    controls = risk.simulation_controls
    combo = controls.output
    # The simulation offers the provider's figures under its heading.
    names = [combo.itemData(i) for i in range(combo.count())]
    heading = [combo.itemText(i) for i in range(combo.count())].index("Provider")
    assert {"provider_npv", "provider_irr", "provider_ebitda",
            "provider_economic_profit"} <= set(names[heading:])
    table = controls.table
    for ref in table.inputs:
        table.set_varied(ref.key, False)
    table.set_varied("hardware.power_price_per_mwh", True)     # 49.6 / 62 / 74.4 $/MWh
    controls.termination.setChecked(False)
    controls.paths.setValue(5_000)
    controls.seed.setValue(3)
    choose(combo, "provider_npv")
    qtbot.mouseClick(controls.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: risk.simulation_result is not None
                    and risk.simulation_result.spec.output == "provider_npv"
                    and risk.simulation_result.spec.paths == 5_000, timeout=30_000)
    result = risk.simulation_result
    # The same numbers as core gives for the same spec and seed.
    again = simulate(window.binding.scenario, SimulationSpec(
        uncertainties=(Uncertainty("hardware.power_price_per_mwh", "triangular",
                                   49.6, 62.0, 74.4),),
        output="provider_npv", paths=5_000, seed=3, termination=False))
    assert np.array_equal(again.outcomes, result.outcomes)
    assert risk.histogram.title.text() == "Distribution of Provider NPV"
    # No chance of a loss is stated: none is possible within the ranges varied.
    assert "No loss is possible within what was varied" in controls.summary.text()
    assert "chance" not in controls.summary.text()
    # The fan is the provider's cumulative cash: a symmetric power price leaves its
    # median at the engine's, and the last month's spread is the power bill's (NPV
    # and cash fall linearly with the price).
    assert risk.fan_chart.title.text().startswith("Provider's cumulative cash")
    median = risk.fan_chart.items["P50"].getData()[1]
    assert np.array_equal(median, again.cash_percentiles[2])
    engine = compute(window.binding.scenario)
    assert median[-1] == pytest.approx(engine.schedule.provider_cumulative_cash[-1], rel=1e-3)
    assert min(result.outcomes) < engine.key_figures.provider_npv < max(result.outcomes)


def test_the_tornado_of_the_provider_npv_equals_compute(qtbot, window, risk):
    choose(risk.tornado_controls.output, "provider_npv")
    qtbot.waitUntil(lambda: risk.tornado_result.output == "provider_npv", timeout=10_000)
    scenario = window.binding.scenario
    top = risk.tornado_plot.layers["tornado"].shown_rows[0]
    # The fee moves the provider's revenue most: each case as compute() gives it.
    assert top.input.key == "contract.monthly_fee"
    for fee, got in ((1.0e9, top.low_output), (1.5e9, top.high_output)):
        moved = compute(scenario.with_changes("contract", monthly_fee=fee))
        assert got == pytest.approx(moved.key_figures.provider_npv, rel=1e-9)
    power = next(r for r in risk.tornado_result.rows
                 if r.input.key == "hardware.power_price_per_mwh")
    assert power.swing > 0        # a provider input moves a provider output
    assert "Provider NPV" in risk.tornado_plot.title.text()


def test_a_live_preview_leaves_run_and_cancel_alone_a_full_run_does_not(qtbot, window, risk):
    """An edit previews 2,000 paths (a few frames): Cancel stays greyed and
    Run keeps its name; the full run that follows the pause can be cancelled."""
    from ui.tabs.risk import PREVIEW_PATHS
    controls = risk.simulation_controls
    assert controls.paths.value() > PREVIEW_PATHS      # the default previews first
    # The first show's own preview and full run over (on a busy machine the full
    # run could otherwise come before the edit, or still be running at it).
    qtbot.waitUntil(lambda: controls.status.text().startswith("Done")
                    and not risk.simulation_runner.running, timeout=20_000)
    seen = []    # (a preview?, Cancel enabled, Run's text) each time a run starts
    risk.simulation_runner.running_changed.connect(
        lambda running: running and seen.append(
            (risk._running_preview, controls.cancel_button.isEnabled(),
             controls.run_button.text())))
    # The last run's "Done" must not count: wait for the run this edit starts.
    controls.status.setText("")
    window.binding.set_values("contract", monthly_fee=1.3e9)
    qtbot.waitUntil(lambda: any(not preview for preview, _c, _t in seen)
                    and not risk.simulation_runner.running
                    and controls.status.text().startswith("Done"), timeout=20_000)
    assert seen[0] == (True, False, "Run simulation")
    assert (False, True, "Restart") in seen
    assert not controls.cancel_button.isEnabled()
    assert controls.run_button.text() == "Run simulation"


def test_a_distribution_is_chosen_in_a_combo_made_while_its_cell_is_edited(qtbot, window, risk):
    # The 32 rows show their distributions as text, without a combo each (issue 22:
    # 32 combos were built in one idle step and painted at the first show); a click
    # on a row's cell opens the choices, and the choice is the row's from then on.
    from PySide6.QtWidgets import QComboBox
    table = risk.simulation_controls.table
    assert len(table.inputs) == 32
    assert table.viewport().findChildren(QComboBox) == []
    assert [table.distribution(row) for row in range(32)] == ["triangular"] * 32
    row = [r.key for r in table.inputs].index("contract.monthly_fee")
    for ref in table.inputs:
        table.set_varied(ref.key, ref.key == "contract.monthly_fee")
    index = table.model().index(row, 2)
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(index).center())
    combo = table.indexWidget(index)
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["triangular", "uniform",
                                                                  "normal"]
    combo.setCurrentIndex(1)
    combo.activated.emit(1)          # the user picks "uniform" in its list
    qtbot.waitUntil(lambda: table.indexWidget(index) is None, timeout=2000)
    assert table.distribution(row) == "uniform"
    # The row is the user's now: the simulation varies the fee uniformly over the
    # -20% / +20% of $1.25B it showed, and the row keeps them when the fee is edited.
    window.binding.set_values("contract", monthly_fee=2.0e9)
    settle(qtbot, window)
    assert table.uncertainties() == (Uncertainty("contract.monthly_fee", "uniform",
                                                 1.0e9, 1.25e9, 1.5e9),)
    qtbot.waitUntil(lambda: risk.simulation_result is not None
                    and risk.simulation_result.spec.uncertainties == table.uncertainties(),
                    timeout=30_000)


def test_a_first_show_paints_the_tab_before_its_jobs_start(qtbot, window):
    # Shown for the first time, the tab is painted first, then its tornado and
    # simulation start (their results drawn in the same frame doubled a first show,
    # issue 22); they are of the scenario as it is when they start.
    from PySide6.QtCore import QEvent, QObject
    risk = window.tab("risk")

    class Paints(QObject):
        count = 0

        def eventFilter(self, _watched, event):   # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint:
                Paints.count += 1
            return False

    paints = Paints()
    risk.simulation_controls.table.viewport().installEventFilter(paints)
    painted_at_start = []
    risk.simulation_runner.running_changed.connect(
        lambda running: running and painted_at_start.append(Paints.count))
    window.tabs.setCurrentWidget(risk)
    window.binding.set_values("contract", monthly_fee=1.1e9)    # before the catch-up runs
    qtbot.waitUntil(lambda: risk.simulation_result is not None, timeout=30_000)
    assert painted_at_start and painted_at_start[0] > 0
    assert risk.simulated_scenario.contract.monthly_fee == 1.1e9
    expected = simulate(window.binding.scenario, risk.simulation_result.spec)
    assert np.array_equal(expected.outcomes, risk.simulation_result.outcomes)
    risk.shutdown()


def ticked_keys(table) -> tuple[str, ...]:
    return tuple(ref.key for row, ref in enumerate(table.inputs)
                 if table.item(row, 0).checkState() == Qt.CheckState.Checked)


def varied_keys(result) -> tuple[str, ...]:
    return tuple(u.key for u in result.spec.uncertainties)


def test_a_first_show_runs_one_preview_varying_the_swings_and_the_market(qtbot, window):
    # The default varied set is the tornado's five largest swings and the market
    # (core.monte_carlo.default_keys; README: "The Risk tab varies the market by
    # default").  The first show's tornado must tick that same set: it ticked the
    # swings alone, which unticked the market row and ran the preview a second
    # time (the same inputs: the table's read was kept), then left the market
    # out of every simulation after the next edit.
    from core.monte_carlo import MARKET_KEY, default_keys
    import ui.tabs.risk as risk_module
    risk = window.tab("risk")
    landed = []
    risk.simulation_runner.finished.connect(landed.append)
    window.tabs.setCurrentWidget(risk)
    qtbot.waitUntil(lambda: any(r.spec.paths > risk_module.PREVIEW_PATHS for r in landed),
                    timeout=30_000)
    assert [r.spec.paths for r in landed] == [risk_module.PREVIEW_PATHS, 10_000]
    table = risk.simulation_controls.table
    expected = set(default_keys(window.binding.scenario, "buyer_npv"))
    assert MARKET_KEY in expected and len(expected) == 6
    assert set(ticked_keys(table)) == expected
    assert all(set(varied_keys(r)) == expected for r in landed)
    # After an edit (it re-reads the table: the fee row follows the fee) the
    # market is still varied.
    landed.clear()
    window.binding.set_values("contract", monthly_fee=1.3e9)
    qtbot.waitUntil(lambda: bool(landed), timeout=30_000)
    assert MARKET_KEY in ticked_keys(table) and MARKET_KEY in varied_keys(landed[0])
    risk.shutdown()


def test_ticks_moved_by_view_as_are_the_inputs_next_simulated(qtbot, window, risk):
    # View as provider: the simulation's outcome becomes the provider's NPV and
    # the ticks move to its largest swings and the market; the next run varies
    # those rows, not the buyer's (the table's read was kept across a tick).
    from core.monte_carlo import default_keys
    qtbot.waitUntil(lambda: risk.simulation_result is not None
                    and not risk.simulation_runner.running, timeout=30_000)
    table = risk.simulation_controls.table
    buyer = set(ticked_keys(table))
    window.key_figures.switch.set_perspective("provider")
    provider = set(default_keys(window.binding.scenario, "provider_npv"))
    assert provider != buyer and set(ticked_keys(table)) == provider
    qtbot.waitUntil(lambda: risk.simulation_result.spec.output == "provider_npv",
                    timeout=30_000)
    assert set(varied_keys(risk.simulation_result)) == provider


def built_hidden_and_ready(qtbot, window):
    """The Risk tab built while another tab is shown (as the window's idle
    builds do), its first results prepared."""
    risk = window.tab("risk")
    assert not risk.isVisible()
    qtbot.waitUntil(lambda: not risk.preparing_first_results, timeout=30_000)
    return risk


def test_a_tab_built_hidden_shows_its_results_at_its_first_show(qtbot, window):
    # Issue 22: the first show paints the results in its own frame, computed and
    # drawn while the tab was hidden, rather than empty plots and the results
    # 0.1-0.2 s later in a second paint of every plot.
    risk = built_hidden_and_ready(qtbot, window)
    scenario = window.binding.scenario
    result = risk.simulation_result
    assert risk.simulated_scenario == scenario and result.spec.paths == 10_000   # refined
    assert np.array_equal(result.outcomes, simulate(scenario, result.spec).outcomes)
    assert risk.tornado_result.base_output == pytest.approx(
        compute(scenario).key_figures.buyer_npv, rel=1e-12)
    started = []
    risk.simulation_runner.running_changed.connect(lambda on: on and started.append("sim"))
    risk.tornado_runner.running_changed.connect(lambda on: on and started.append("tornado"))
    window.tabs.setCurrentWidget(risk)
    settle(qtbot, window)
    qtbot.wait(400)          # past the time a refinement would start
    assert started == [] and risk.simulation_result is result
    # On screen: the plots (not the empty state), the fan chart's median the result's P50.
    assert risk.simulation_views.currentIndex() == 1 and risk.fan_chart.isVisible()
    assert np.array_equal(risk.fan_chart.items["P50"].getData()[1], result.cash_percentiles[2])
    risk.shutdown()


def test_an_edit_while_hidden_runs_at_the_first_show_and_its_undo_does_not(qtbot, window):
    risk = built_hidden_and_ready(qtbot, window)
    prepared = risk.simulation_result
    # An edit elsewhere: the hidden tab runs nothing; shown, it runs the new scenario.
    window.binding.set_values("contract", monthly_fee=1.1e9)
    settle(qtbot, window)
    assert not risk.simulation_runner.running and risk.simulation_result is prepared
    window.tabs.setCurrentWidget(risk)
    qtbot.waitUntil(lambda: risk.simulated_scenario.contract.monthly_fee == 1.1e9,
                    timeout=30_000)
    npv = compute(window.binding.scenario).key_figures.buyer_npv
    qtbot.waitUntil(lambda: risk.tornado_result.base_output == pytest.approx(npv, rel=1e-12),
                    timeout=30_000)
    shown = risk.simulation_result
    assert np.array_equal(shown.outcomes,
                          simulate(window.binding.scenario, shown.spec).outcomes)
    # Hidden again, the fee edited and put back: shown, the results of that very
    # scenario and settings are kept, no job runs.
    qtbot.waitUntil(lambda: not risk.simulation_runner.running
                    and risk.simulation_result.spec.paths == 10_000, timeout=30_000)
    kept, kept_tornado = risk.simulation_result, risk.tornado_result
    window.show_tab("contract")
    window.binding.set_values("contract", monthly_fee=1.3e9)
    settle(qtbot, window)
    window.binding.set_values("contract", monthly_fee=1.1e9)
    settle(qtbot, window)
    started = []
    risk.simulation_runner.running_changed.connect(lambda on: on and started.append("sim"))
    risk.tornado_runner.running_changed.connect(lambda on: on and started.append("tornado"))
    window.tabs.setCurrentWidget(risk)
    settle(qtbot, window)
    qtbot.wait(400)
    assert started == []
    assert risk.simulation_result is kept and risk.tornado_result is kept_tornado
    risk.shutdown()


def test_an_edit_elsewhere_while_a_hidden_preview_waits_to_be_refined_stops_the_refinement(
        qtbot, window):
    # A hidden tab's first preview (2,000 paths) is refined to the full count
    # REFINE_MS later.  An edit made elsewhere in that time makes the preview
    # stale: refining it then would simulate the new scenario with the old
    # ranges (the table follows the scenario only when shown), a run the first
    # show throws away.  So the edit stops the refinement: no run starts until
    # the tab is shown, and shown, it runs the new scenario.
    risk = window.tab("risk")
    assert not risk.isVisible()
    qtbot.waitUntil(lambda: risk._refine.isActive(), timeout=30_000)   # the preview shown
    preview = risk.simulation_result
    assert preview.spec.paths == 2_000
    started = []
    risk.simulation_runner.running_changed.connect(lambda on: on and started.append("sim"))
    window.binding.set_values("contract", monthly_fee=1.1e9)
    settle(qtbot, window)
    qtbot.wait(500)          # past REFINE_MS (300 ms)
    assert started == [] and risk.simulation_result is preview
    assert not risk.preparing_first_results
    window.tabs.setCurrentWidget(risk)
    qtbot.waitUntil(lambda: risk.simulated_scenario.contract.monthly_fee == 1.1e9
                    and risk.simulation_result.spec.paths == 10_000
                    and not risk.simulation_runner.running, timeout=30_000)
    shown = risk.simulation_result
    assert np.array_equal(shown.outcomes, simulate(window.binding.scenario, shown.spec).outcomes)
    risk.shutdown()


def test_simulation_reads_each_rows_cells_after_an_edit_its_undo_and_a_typed_cell(qtbot, window, risk):
    """The table keeps each row's reading until that row's cells change: a fee
    edit, its undo, a typed cell and an untick each reach the next simulation."""
    table = risk.simulation_controls.table
    row = [r.key for r in table.inputs].index("contract.monthly_fee")
    table.item(row, 0).setCheckState(Qt.CheckState.Checked)

    def fee():
        found = [u for u in risk.simulation_controls.spec().uncertainties
                 if u.key == "contract.monthly_fee"]
        return (found[0].low, found[0].most_likely, found[0].high) if found else None

    # -20% / base / +20% of the reference $1.25B a month.
    assert fee() == pytest.approx((1.0e9, 1.25e9, 1.5e9))
    window.binding.set_values("contract", monthly_fee=2.0e9)
    settle(qtbot, window)
    assert fee() == pytest.approx((1.6e9, 2.0e9, 2.4e9))    # 0.8 / 1 / 1.2 x $2B
    window.workspace.undo_group.undo()
    settle(qtbot, window)
    assert fee() == pytest.approx((1.0e9, 1.25e9, 1.5e9))
    table.item(row, 5).setText("3000000000")               # the user's high: $3B
    assert fee() == pytest.approx((1.0e9, 1.25e9, 3.0e9))
    table.item(row, 0).setCheckState(Qt.CheckState.Unchecked)
    assert fee() is None


def test_the_market_rows_default_follows_a_term_edit_and_its_undo(qtbot, window, risk):
    """The market's rent change row spreads by the rent's volatility over the
    root of the term in years (core.monte_carlo.market_spread_pct): it follows
    a term edit although its own value (0) stays."""
    from core.monte_carlo import MARKET_KEY
    table = risk.simulation_controls.table
    row = [r.key for r in table.inputs].index(MARKET_KEY)

    def shown():
        return tuple(float(table.item(row, c).text().replace("\u2212", "-")) for c in (3, 4, 5))

    vol = window.binding.scenario.market.rent_vol_pct           # 40%/yr, the reference deal
    # 36 months: 40 / sqrt(3) = 23.094; 120 months: 40 / sqrt(10) = 12.649.
    assert shown() == pytest.approx((-vol / 3 ** 0.5, 0.0, vol / 3 ** 0.5), abs=1e-3)
    window.binding.set_values("contract", term_months=120)
    settle(qtbot, window)
    assert shown() == pytest.approx((-vol / 10 ** 0.5, 0.0, vol / 10 ** 0.5), abs=1e-3)
    window.workspace.undo_group.undo()
    settle(qtbot, window)
    assert shown() == pytest.approx((-vol / 3 ** 0.5, 0.0, vol / 3 ** 0.5), abs=1e-3)


def test_a_first_show_paints_the_page_once_and_the_screen_shows_it_whole(qtbot, window):
    """Each widget shown posts itself a repaint (UpdateLater); a plot scene's
    queued update, taken before the first paint, sent the window's paint ahead
    of them: the page was painted whole, then whole again when they came (the
    controls, tables and titles twice at every first show, about 10 ms).  Now
    the titles, which the show does not change, are painted once, and the
    screen is the window as it is: nothing of the tab shown before is left."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication
    risk = built_hidden_and_ready(qtbot, window)
    # The plots' titles: the show changes none of their texts.
    watched = {"tornado title": risk.tornado_plot.title,
               "fan chart title": risk.fan_chart.title,
               "histogram title": risk.histogram.title}

    class Paints(QObject):
        def __init__(self):
            super().__init__()
            self.count = {name: 0 for name in watched}
            for widget in watched.values():
                widget.installEventFilter(self)

        def eventFilter(self, target, event):   # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint:
                for name, widget in watched.items():
                    if widget is target:
                        self.count[name] += 1
            return False

    paints = Paints()
    window.show_tab("risk")
    qtbot.wait(100)          # every posted event, layout and paint of the show
    assert paints.count == {name: 1 for name in watched}, paints.count
    screen = QApplication.primaryScreen().grabWindow(window.winId()).toImage()
    assert screen == window.grab().toImage().convertToFormat(screen.format())
    risk.shutdown()


def test_an_edit_reads_again_only_the_rows_of_the_section_it_replaced(qtbot, window, risk,
                                                                     monkeypatch):
    """The uncertain inputs' rows follow every edit, reading again only the rows
    of the scenario section the edit replaced (and the market's row, whose
    spread reads the contract's term and the market's volatility): a fee edit
    read all 32 rows' values (issue 22)."""
    import threading

    from core.monte_carlo import MARKET_KEY
    from core.risk import InputRef
    table = risk.simulation_controls.table
    rows = {ref.key: row for row, ref in enumerate(table.inputs)}

    def shown(key):
        return tuple(float(table.item(rows[key], c).text().replace(",", "").replace(
            "\u2212", "-")) for c in (3, 4, 5))

    read = []        # the sections of the values read on the GUI thread (the workers'
    real_value_in = InputRef.value_in        # tornado reads every input's)

    def value_in(ref, scenario):
        if threading.current_thread() is threading.main_thread():
            read.append(ref.section)
        return real_value_in(ref, scenario)

    monkeypatch.setattr(InputRef, "value_in", value_in)
    window.binding.set_values("contract", monthly_fee=1.6e9)
    settle(qtbot, window)
    assert read and set(read) == {"contract", "market"}, set(read)
    assert read.count("market") == 1                      # the market's row alone
    # -20% / base / +20%: 80% and 120% of 1.6e9.
    assert shown("contract.monthly_fee") == (1.28e9, 1.6e9, 1.92e9)
    read.clear()
    window.binding.set_values("hardware", utilization_pct=90.0)
    settle(qtbot, window)
    assert set(read) == {"hardware"}
    # 80% of 90, 90, and 120% of it (108) clipped to the field's maximum, 100%.
    assert shown("hardware.utilization_pct") == pytest.approx((72.0, 90.0, 100.0))
    # The market's volatility: its row spreads 60 / sqrt(3) = 34.641 either side of 0.
    read.clear()
    window.binding.set_values("market", rent_vol_pct=60.0)
    settle(qtbot, window)
    assert set(read) == {"market"}
    assert shown(MARKET_KEY) == pytest.approx((-60 / 3 ** 0.5, 0.0, 60 / 3 ** 0.5), abs=1e-3)
