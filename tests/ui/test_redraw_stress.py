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
        spin.setValue((1000.0 + cycle) * 1e6)  # $1.0B a month and up
        settle(qtbot, window)
        window.repaint()                        # paint every plot of the tab now
    last_fee = (1000.0 + CYCLES - 1) * 1e6
    assert window.binding.results.key_figures.total_contract_value == 36 * last_fee
    _, heights = (window.tab("contract").plots.item("payment").opts[k] for k in ("x", "height"))
    assert np.allclose(heights, last_fee)


def test_hundreds_of_redraws_in_every_theme(qtbot, window):
    """A hundred edits in each theme (light, dark, high contrast), each painted,
    on tabs with cached axes, risk workers and the two-way table."""
    import pyqtgraph as pg

    from ui.look.themes import THEMES, theme_manager
    spin = window.tab("contract").fee_slider.spin
    tabs = ("contract", "economics", "risk", "solve")
    axis = window.tab("contract").plots.panels[0].plot.getAxis("left")
    try:
        for t, key in enumerate(("light", "dark", "high_contrast")):
            theme_manager().apply(key)
            for cycle in range(100):
                window.show_tab(tabs[cycle % len(tabs)])
                spin.setValue((900.0 + 100 * t + cycle) * 1e6)   # dollars a month
                settle(qtbot, window)
                window.repaint()
            window.show_tab("contract")
            window.repaint()
            # The last edit's fee is on the plot, and its axis is drawn in the theme.
            fee = (900.0 + 100 * t + 99) * 1e6
            assert window.binding.results.key_figures.total_contract_value == 36 * fee
            heights = window.tab("contract").plots.item("payment").opts["height"]
            assert np.allclose(heights, fee)
            assert axis.textPen().color() == pg.mkColor(THEMES[key].plot_foreground)
            assert axis._axis_pixmap is not None
    finally:
        window.tab("risk").shutdown()
        theme_manager().apply("light")
