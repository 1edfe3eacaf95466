"""Live risk (issue 13): dragging the fee slider while the Risk tab is shown,
the tornado and the Monte Carlo preview follow every settled edit, computed
in worker threads that the GUI thread never waits on."""
from __future__ import annotations

import dataclasses
import threading

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QStyle, QStyleOptionSlider

import ui.tabs.risk as risk_module
import ui.tabs.risk_worker as risk_worker
from core.engine import compute
from core.monte_carlo import simulate
from ui.widgets.fields import SliderField

STOPS = 8     # handle positions across the groove, each a settled edit


def handle_centre(slider) -> QPoint:
    option = QStyleOptionSlider()
    slider.initStyleOption(option)
    return slider.style().subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                         QStyle.SubControl.SC_SliderHandle, slider).center()


@pytest.fixture
def threads_seen(monkeypatch):
    """Which threads ran core's tornado and simulation, and any wait on a worker."""
    seen = {"tornado": [], "simulate": [], "waits": 0}

    def tornado(*args, **kwargs):
        seen["tornado"].append(threading.current_thread() is threading.main_thread())
        return real_tornado(*args, **kwargs)

    def simulation(*args, **kwargs):
        seen["simulate"].append(threading.current_thread() is threading.main_thread())
        return real_simulate(*args, **kwargs)

    def wait(self, *args):
        seen["waits"] += 1
        return real_wait(self, *args)

    real_tornado, real_simulate = risk_module.tornado, risk_module.simulate
    real_wait = risk_worker._Worker.wait
    monkeypatch.setattr(risk_module, "tornado", tornado)
    monkeypatch.setattr(risk_module, "simulate", simulation)
    monkeypatch.setattr(risk_worker._Worker, "wait", wait)
    return seen


def test_dragging_the_fee_moves_the_tornado_and_the_monte_carlo_preview(qtbot, window,
                                                                         threads_seen):
    risk = window.tab("risk")
    window.show_tab("risk")
    qtbot.waitUntil(lambda: risk.tornado_result is not None, timeout=10_000)
    # The fee slider as the Contract tab builds it, in a window of its own beside the
    # Risk tab: the user drags the fee and watches risk follow.
    fee = SliderField(window.binding, "contract", "monthly_fee", 0.0, 5e9)
    qtbot.addWidget(fee)
    fee.resize(400, 40)
    fee.show()
    qtbot.waitExposed(fee)
    slider = fee.slider
    slider.setValue(100)                     # start near the left end: $0.5B a month
    qtbot.waitUntil(lambda: not window.binding.recompute_pending, timeout=2000)
    # The user chooses what varies (the inputs ticked now, kept as the fee moves):
    # by default the ticks follow the tornado's largest swings, which change with
    # the fee, and medians of different varied sets are not comparable.
    first = risk.simulation_controls.table.item(0, 0)
    first.setCheckState(Qt.CheckState.Unchecked if first.checkState() == Qt.CheckState.Checked
                        else Qt.CheckState.Checked)
    first.setCheckState(Qt.CheckState.Unchecked if first.checkState() == Qt.CheckState.Checked
                        else Qt.CheckState.Checked)
    assert risk.simulation_controls.table.ticks_edited

    previews = []
    risk.simulation_runner.finished.connect(previews.append)
    centre = handle_centre(slider)
    QTest.mousePress(slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    assert slider.isSliderDown()
    left, right = centre.x(), slider.width() - 6
    fees, medians = [], []
    for stop in range(1, STOPS + 1):
        x = left + (right - left) * stop // STOPS
        QTest.mouseMove(slider, QPoint(x, centre.y()))
        qtbot.waitUntil(lambda: not window.binding.recompute_pending, timeout=2000)
        scenario = window.binding.scenario
        fees.append(scenario.contract.monthly_fee)
        # The tornado's base is buyer NPV of the scenario now on screen (core's figure).
        npv = compute(scenario).key_figures.buyer_npv
        qtbot.waitUntil(lambda: np.isclose(risk.tornado_result.base_output, npv, rtol=1e-9),
                        timeout=10_000)
        # A 2,000-path preview of this scenario is shown: core gives the same
        # outcomes for the same scenario, spec and seed.
        spec = dataclasses.replace(risk.simulation_controls.spec(),
                                   paths=risk_module.PREVIEW_PATHS)
        expected = simulate(scenario, spec).outcomes
        qtbot.waitUntil(lambda: any(r.spec.paths == 2_000 and r.outcomes.shape == expected.shape
                                    and np.array_equal(r.outcomes, expected)
                                    for r in previews), timeout=10_000)
        previews.clear()
        # ... and drawn: the fan chart's median is the shown result's P50.
        shown = risk.simulation_result
        drawn = risk.fan_chart.items["P50"].getData()[1]
        assert np.array_equal(drawn, shown.cash_percentiles[2])
        medians.append(drawn.copy())
    QTest.mouseRelease(slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       QPoint(right, centre.y()))

    # Every stop was a new fee, further right each time, reaching the top of the range.
    assert all(a < b for a, b in zip(fees, fees[1:]))
    assert fees[-1] >= 4.5e9
    # A higher fee lowers the buyer's cash: each stop's median path ends lower.
    assert all(a[-1] > b[-1] for a, b in zip(medians, medians[1:])), [m[-1] for m in medians]
    # Core ran in the workers only, and the GUI thread never waited on one.
    assert threads_seen["tornado"] and threads_seen["simulate"]
    assert not any(threads_seen["tornado"]) and not any(threads_seen["simulate"])
    assert threads_seen["waits"] == 0
    risk.shutdown()


def test_a_hidden_risk_tab_does_no_work_until_shown(qtbot, window, threads_seen):
    window.show_tab("contract")
    qtbot.wait(50)
    threads_seen["tornado"].clear()
    threads_seen["simulate"].clear()
    for fee in (1.1e9, 1.2e9, 1.3e9):
        window.binding.set_values("contract", monthly_fee=fee)
        qtbot.waitUntil(lambda: not window.binding.recompute_pending, timeout=2000)
    qtbot.wait(50)
    assert threads_seen["tornado"] == [] and threads_seen["simulate"] == []
    risk = window.tab("risk")
    window.show_tab("risk")
    # Shown: one tornado and one preview, of the latest scenario.
    qtbot.waitUntil(lambda: risk.simulation_result is not None, timeout=10_000)
    qtbot.waitUntil(lambda: risk.tornado_result is not None, timeout=10_000)
    assert np.isclose(risk.tornado_result.base_output,
                      compute(window.binding.scenario).key_figures.buyer_npv, rtol=1e-9)
    assert len(threads_seen["tornado"]) == 1
    risk.shutdown()
