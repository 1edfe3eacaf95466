"""Hundreds of edit-recompute-repaint cycles in one process.

PySide6 6.12.0 on Python 3.11 corrupted None's reference count and aborted
after about 50 plot redraws; this catches such an upgrade at once.
"""
import numpy as np

from tests.ui.conftest import settle

CYCLES = 300


def test_hundreds_of_redraws_stay_alive_and_correct(qtbot, window):
    spin = window.tab("contract").fee_slider.spin
    tabs = ("contract", "hardware", "projections")
    for cycle in range(CYCLES):
        window.show_tab(tabs[cycle % 3])
        spin.setValue(1000.0 + cycle)          # $M a month
        settle(qtbot, window)
        window.repaint()                        # paint every plot of the tab now
    last_fee = (1000.0 + CYCLES - 1) * 1e6
    assert window.binding.results.key_figures.total_contract_value == 36 * last_fee
    _, heights = (window.tab("contract").plots.item("payment").opts[k] for k in ("x", "height"))
    assert np.allclose(heights, last_fee)
