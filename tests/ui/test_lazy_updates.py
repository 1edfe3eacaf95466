"""Views on hidden tabs update when shown (or on flush_views), not at each edit."""
from __future__ import annotations

import numpy as np


def fee_bars(window):
    return window.tab("contract").plots.item("payment").opts["height"]


def test_hidden_tab_updates_when_shown(qtbot, window):
    window.show_tab("hardware")
    qtbot.wait(5)
    window.binding.set_values("contract", monthly_fee=2.0e9)
    window.binding.flush()
    # The contract tab is hidden: its plot still shows the old fee ...
    assert np.allclose(fee_bars(window), 1.25e9)
    # ... the visible key figures are current ...
    assert window.binding.results.key_figures.total_contract_value == 72e9
    # ... and the plot catches up the moment its tab is shown.
    window.show_tab("contract")
    assert np.allclose(fee_bars(window), 2.0e9)


def test_flush_views_updates_hidden_views_at_once(qtbot, window):
    window.show_tab("hardware")
    qtbot.wait(5)
    window.binding.set_values("contract", monthly_fee=3.0e9)
    window.binding.flush_views()
    assert np.allclose(fee_bars(window), 3.0e9)
