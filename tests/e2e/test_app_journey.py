"""Whole-app journeys: the app starts from the command line, and an analyst
walks through the three tabs editing the reference deal."""
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

# The same real main window the widget tests use.
from tests.ui.conftest import settle, window  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]


def test_python_main_py_opens_the_app_and_keeps_running():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen([sys.executable, "main.py"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(4)
        assert process.poll() is None, process.communicate()[1]
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert "Traceback" not in stderr


def test_analyst_reworks_the_reference_deal(qtbot, window):
    figures = window.key_figures
    # The reference deal as reported (DOMAIN.md).
    assert [figures.text_of(k) for k in ("total_contract_value", "annual_run_rate",
                                         "price_per_gpu_hour", "walkaway_exposure")] == \
        ["$45.0B", "$15.0B", "$7.78/GPU-hour", "$3.67B"]   # exposure: June, July, 29/31 of August

    # Contract: a 3% escalator and the first two months at half price.
    form = window.tab("contract").form.fields
    form["escalator_pct"].setValue(3.0)
    form["intro_months"].setValue(2)
    form["intro_discount_pct"].setValue(50.0)
    settle(qtbot, window)
    fee = 1.25e9
    expected_total = fee * (12 * 1.0 + 12 * 1.03 + 12 * 1.03 ** 2) - 2 * fee * 0.5
    assert window.binding.results.key_figures.total_contract_value == pytest.approx(expected_total)
    assert figures.text_of("total_contract_value") == "$45.1B"

    # Hardware: power fits once the contract covers 400 MW at the meter.
    window.show_tab("hardware")
    window.tab("hardware").form.fields["contracted_mw"].setValue(400.0)
    settle(qtbot, window)
    assert not any("contracted" in w for w in window.binding.results.warnings)

    # Projections: flat demand of 300M tokens/s fits the capacity every month.
    window.show_tab("projections")
    window.tab("projections").form.fields["demand_tokens_per_s"].setValue(300e6)   # tokens/s
    window.tab("projections").growth_slider.spin.setValue(0.0)
    settle(qtbot, window)
    _, demand = window.tab("projections").plots.item("demand_tokens_per_s").getData()
    assert np.allclose(demand, 300e6)
    assert window.binding.results.key_figures.shortfall_months == 0
    # Break-even = payments / tokens served; all demand is served at 300M tokens/s.
    seconds = 1096 * 86_400  # 1 Jun 2026 to 1 Jun 2029, actual days
    assert window.binding.results.key_figures.breakeven_token_price == pytest.approx(
        expected_total / (300e6 * seconds) * 1e6)
    window.repaint()
