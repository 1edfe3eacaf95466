"""Issue 22, first show of a tab: tabs not shown are built and readied in idle
time (laid out at the size they will be shown at, their plots rendered off
screen), in small steps; a tab hidden while the scenario is edited is not
redrawn at each edit and shows the figures in force when it is shown."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from ui import registry


def warmed_up(qtbot, window):
    window.build_hidden_tabs_when_idle()
    qtbot.waitUntil(lambda: len(window.tab_pages) == len(registry.TABS)
                    and not window.idle_work_pending, timeout=60_000)


def test_a_hidden_tab_is_laid_out_and_its_axes_drawn_before_its_first_show(qtbot, window):
    warmed_up(qtbot, window)
    page = window.tab("economics")
    assert not page.isVisible()
    # The size of the page area it will be shown in (a stacked widget lays out
    # only the page it shows: before, a hidden tab kept the size it was built at).
    assert page.geometry() == window.tabs.currentWidget().geometry()
    panels = window.tab("economics").buyer_plots.panels
    sizes = [panel.plot_widget.size() for panel in panels]
    for panel in panels:
        for side in ("left", "bottom"):
            axis = panel.plot.getAxis(side)
            # Drawn and kept (ui/plots/fast_axis.py): the first show blits it.
            assert getattr(axis, "_axis_pixmap", None) is not None, (panel.spec.title, side)
    # Every step of it was timed, the construction's first (several: its form,
    # each plots widget ..., ui/app/build_steps.py).
    steps = window.idle_step_ms["economics"]
    built_in = window.idle_build_steps["economics"]
    assert built_in > 5
    assert sum(steps[:built_in]) == window.idle_build_ms["economics"]
    # Then 1 layout + 2 renders of each plot view (buyer's and provider's).
    views = page.findChildren(pg.GraphicsView)
    assert len(steps) == built_in + 1 + 2 * len(views)
    # Shown, its plots keep the size they were laid out at (nothing to resize).
    window.show_tab("economics")
    assert [panel.plot_widget.size() for panel in panels] == sizes


def test_a_tab_hidden_during_edits_is_not_redrawn_and_shows_the_new_figures_when_shown(
        qtbot, window):
    warmed_up(qtbot, window)
    invoices = window.tab("economics").buyer_plots.item("invoice")
    before = np.array(invoices.yData, copy=True)
    # The default deal: $1.25B a month, invoiced in full every month.
    assert np.nanmax(before) == 1.25e9
    window.binding.set_values("contract", monthly_fee=2.0e9)
    qtbot.waitUntil(lambda: not window.binding.recompute_pending, timeout=2000)
    qtbot.wait(20)
    # Hidden: not redrawn at the edit ...
    assert np.array_equal(invoices.yData, before)
    # ... and current the moment it is shown: $2B a month.
    window.show_tab("economics")
    assert np.nanmax(invoices.yData) == 2.0e9


def test_a_hidden_risk_tab_catches_its_uncertain_inputs_up_when_shown(qtbot, window):
    risk = window.tab("risk")          # built, hidden
    # Built hidden, it readies its first results (of the scenario then) first.
    qtbot.waitUntil(lambda: not risk.preparing_first_results, timeout=30_000)
    table = risk.simulation_controls.table
    fee_row = [ref.key for ref in table.inputs].index("contract.monthly_fee")
    shown = lambda: [table.item(fee_row, c).text() for c in (3, 4, 5)]   # noqa: E731
    # -20% / base / +20% of the default $1.25B.
    assert shown() == ["1,000,000,000", "1,250,000,000", "1,500,000,000"]
    window.binding.set_values("contract", monthly_fee=1.6e9)
    qtbot.waitUntil(lambda: not window.binding.recompute_pending, timeout=2000)
    assert shown() == ["1,000,000,000", "1,250,000,000", "1,500,000,000"]   # hidden: not yet
    window.show_tab("risk")
    # $1.28B, $1.6B, $1.92B: -20% / the fee / +20%, before the simulation reads them.
    assert shown() == ["1,280,000,000", "1,600,000,000", "1,920,000,000"]
    previews = []
    risk.simulation_runner.finished.connect(previews.append)
    qtbot.waitUntil(lambda: bool(previews), timeout=20_000)
    fee = next(u for u in previews[-1].spec.uncertainties if u.key == "contract.monthly_fee")
    assert (fee.low, fee.most_likely, fee.high) == (1.28e9, 1.6e9, 1.92e9)
    risk.shutdown()
