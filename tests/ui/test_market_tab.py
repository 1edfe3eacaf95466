"""The Market tab, driven as a user drives it: the market figures follow an
edit at once, the rights to walk arrive from the worker (a preview, then the
full path count), and each rent shows where it comes from."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from core import figures, rights
from tests.ui.conftest import settle


def test_market_figures_follow_a_rent_edit_and_the_rights_arrive(qtbot, window):
    tab = window.tab("market")
    window.show_tab("market")
    settle(qtbot, window)
    # (150k x $2.00 + 50k x $2.90 + 20k x $4.00) / 220k = $2.39; $45B over $13.81B = +226%.
    assert tab.against.text_of("market_rent_per_gpu_hour") == "$2.39/GPU-hour"
    assert tab.against.text_of("contract_premium_over_market_pct") == "226 %"
    # Each rent with its label, date and source beside it.
    row = [tab.rent_table.item(0, c).text() for c in range(tab.rent_table.columnCount())]
    assert row[0] == "H100 SXM" and row[5:] == [
        "[E]", "Jul 2026", "SemiAnalysis AI Cloud TCO rate card / InferenceX, Jul 2026"]
    # The rights: the preview's 2,000 paths, then 20,000 once the edits pause.
    qtbot.waitUntil(lambda: tab.valued is not None and tab.valued.paths == rights.FULL_PATHS,
                    timeout=120_000)
    shown = tab.rights_figures.text_of("buyer_termination_right_value")
    assert shown == figures.format_value("buyer_termination_right_value", tab.valued.buyer_alone)
    assert "20,000 paths, seed" in tab.status.text()

    # The H100 rent typed as $7.78: (150k x 7.78 + 50k x 2.90 + 20k x 4.00) / 220k = $6.33.
    item = tab.rent_table.item(0, 1)
    item.setData(Qt.ItemDataRole.EditRole, 7.78)
    settle(qtbot, window)
    rent = window.binding.scenario.market.rent_for("H100 SXM")
    assert rent.rent_per_gpu_hour == 7.78
    assert tab.against.text_of("market_rent_per_gpu_hour") == "$6.33/GPU-hour"
    market = (150_000 * 7.78 + 50_000 * 2.9 + 20_000 * 4.0) * 26_304
    assert window.binding.results.key_figures.contract_premium_over_market_pct == pytest.approx(
        (45e9 / market - 1) * 100)


def test_a_refused_rent_is_reported_and_the_table_returns(qtbot, window):
    tab = window.tab("market")
    window.show_tab("market")
    settle(qtbot, window)
    tab.rent_table.item(0, 1).setData(Qt.ItemDataRole.EditRole, -1.0)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: tab.rent_table.item(0, 1).text() == "2", timeout=2000)
    assert window.binding.scenario.market.rent_for("H100 SXM").rent_per_gpu_hour == 2.0


def test_a_monthly_curve_pasted_into_the_import_dialog_becomes_the_forward_path(qtbot, window):
    tab = window.tab("market")
    window.show_tab("market")
    dialog = tab.import_curve()
    assert dialog.kind_key == "rent_curve"
    assert dialog.use_text("Month\tGPU model\tRent\n1\tH100 SXM\t3.5\n2\tH100 SXM\t3.0\n")
    assert dialog.apply()
    settle(qtbot, window)
    market = window.binding.scenario.market
    assert market.forward_path == "imported"
    assert [(e.month, e.gpu_model, e.rent) for e in market.rent_curve] == [
        (1, "H100 SXM", 3.5), (2, "H100 SXM", 3.0)]
    # June: (150k x $3.50 + 50k x $2.90 + 20k x $4.00) / 220k = $3.41 per GPU-hour.
    s = window.binding.results.schedule
    assert s.market_rent_per_gpu_hour[0] == pytest.approx((150_000 * 3.5 + 145_000 + 80_000)
                                                          / 220_000)


def test_a_tab_shown_is_valued_after_its_first_paint_and_an_edit_on_it_at_once(qtbot, window):
    """Issue 22: the rights' worker starts once the tab shown has painted, so
    that it neither competes with nor lands in the click's frame; with the tab
    on screen, an edit starts it at once (before any paint), as before."""
    from PySide6.QtCore import QEvent, QObject

    tab = window.tab("market")
    # Built hidden, it values the scenario it was built with first (below).
    qtbot.waitUntil(lambda: not tab.preparing_first_results, timeout=120_000)
    events: list[str] = []

    class Paints(QObject):
        def eventFilter(self, watched, event):   # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint:
                events.append("paint")
            return False

    watcher = Paints(tab)
    tab.price_panel.plot_widget.viewport().installEventFilter(watcher)
    start = tab.runner.start
    tab.runner.start = lambda work: (events.append("valued"), start(work))[1]
    fee = window.binding.scenario.contract.monthly_fee
    window.binding.set_values("contract", monthly_fee=fee + 5e6)   # while the tab is hidden
    settle(qtbot, window)
    assert events == []
    window.show_tab("market")
    qtbot.waitUntil(lambda: "valued" in events, timeout=5000)
    assert events.index("paint") < events.index("valued")
    qtbot.waitUntil(lambda: tab.valued is not None, timeout=60_000)
    assert tab.valued.paths == rights.PREVIEW_PATHS or tab.valued.paths == rights.FULL_PATHS

    events.clear()
    window.binding.set_values("contract", monthly_fee=fee + 9e6)   # on the tab shown
    qtbot.waitUntil(lambda: not window.binding.recompute_pending, timeout=2000)
    assert events and events[0] == "valued"      # before the edit's frame is painted


def test_a_tab_built_hidden_shows_its_valuation_at_its_first_show(qtbot, window):
    # Issue 22: the rights valued, drawn and rendered while the tab was hidden,
    # so the first show paints them in its own frame; a show after edits that
    # came back to the same scenario values nothing again.
    import numpy as np
    tab = window.tab("market")
    assert not tab.isVisible()
    qtbot.waitUntil(lambda: not tab.preparing_first_results, timeout=120_000)
    valued = tab.valued
    assert valued.paths == rights.FULL_PATHS and tab._valued_scenario == window.binding.scenario
    # The core's own figure for that scenario, seed and count.
    again = rights.value_rights(window.binding.scenario, rights.FULL_PATHS, rights.DEFAULT_SEED)
    assert valued.buyer_alone == again.buyer_alone
    started = []
    tab.runner.running_changed.connect(lambda on: on and started.append(1))
    fee = window.binding.scenario.contract.monthly_fee
    window.binding.set_values("contract", monthly_fee=fee + 5e6)    # hidden: an edit ...
    settle(qtbot, window)
    window.binding.set_values("contract", monthly_fee=fee)          # ... and its undo
    settle(qtbot, window)
    window.show_tab("market")
    settle(qtbot, window)
    qtbot.wait(400)           # past the time a valuation after the paint would start
    assert started == [] and tab.valued is valued
    assert tab.rights_figures.text_of("buyer_termination_right_value") == figures.format_value(
        "buyer_termination_right_value", valued.buyer_alone)
    drawn = tab.exercise_panel.items["buyer_exercise_cumulative"].getData()[1]
    assert np.nanmax(drawn) > 0
    # An edit on the tab shown values the new scenario.
    window.binding.set_values("contract", monthly_fee=fee + 9e6)
    qtbot.waitUntil(lambda: tab._valued_scenario == window.binding.scenario, timeout=120_000)
    assert started
    tab.shutdown()
