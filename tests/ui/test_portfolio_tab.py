"""The Portfolio tab: the open scenarios added up, the example book opened
beside them, and an edit of one deal followed."""
from __future__ import annotations

import dataclasses

import pytest

from core.portfolio import EXAMPLE_PATH, portfolio_totals, read_portfolio
from tests.ui.conftest import WindowRepaints, settle


@pytest.fixture
def tab(window, qtbot):
    page = window.tab("portfolio")
    window.tabs.setCurrentIndex(window.tabs.indexOf(page))
    qtbot.waitExposed(page)
    return page


def stacked_total(tab) -> float:
    """The heights of every bar drawn in the stacked commitments."""
    return sum(float(tab.stack.drawn(i)[:, 3].sum()) for i in range(len(tab.stack_items)))


def test_one_scenario_is_a_book_of_one(tab):
    # The reference deal alone: 36 x $1.25B = $45.0B, all with one counterparty.
    assert stacked_total(tab) == pytest.approx(45e9)
    assert "HHI 10,000" in tab.finding.text()
    assert tab.table.rowCount() == 1 and tab.table.item(0, 3).text() == "100.0%"


def test_the_example_opens_beside_the_scenario_and_an_edit_moves_it(window, tab, qtbot):
    assert tab.open_file(EXAMPLE_PATH)
    assert len(window.workspace.names) == 5
    example = portfolio_totals(read_portfolio(EXAMPLE_PATH))
    # The example's $112B plus the reference scenario's own $45.0B
    assert stacked_total(tab) == pytest.approx(float(example.total_commitments.sum()) + 45e9)
    settle(qtbot, window)
    before = stacked_total(tab)
    # The active scenario is the last deal added (Hut 8's lease: $7.0B over 180 months);
    # halving its price per MW-month takes $3.5B off the book.
    price = window.binding.scenario.contract.price_per_mw_month
    window.binding.set_values("contract", price_per_mw_month=price / 2)
    settle(qtbot, window)
    assert stacked_total(tab) == pytest.approx(before - 3.5e9, rel=1e-9)


def test_a_bad_portfolio_file_changes_nothing(window, tab, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    assert not tab.open_file(bad)
    assert window.workspace.names == ["Colossus lease 2026"]
    assert str(bad) in tab.message.text()


def test_an_edit_computes_no_other_scenario(window, tab, qtbot, monkeypatch):
    assert tab.open_file(EXAMPLE_PATH)
    settle(qtbot, window)
    import core.portfolio
    calls = []
    real = core.portfolio.compute
    monkeypatch.setattr(core.portfolio, "compute", lambda s: calls.append(s) or real(s))
    window.binding.set_values("contract", notice_days=30)
    settle(qtbot, window)
    assert calls == []          # the active one from the binding, the others kept
    # The book as a provider's backlog (every deal another counterparty): the same
    # results, none computed again.
    tab.side.setCurrentIndex(tab.side.findData("provider"))
    assert tab.portfolio.side == "provider" and calls == []


def simulated(tab, qtbot, before=None):
    """Wait until the worker's newest result is on screen."""
    qtbot.waitUntil(lambda: tab.risk is not None and tab.risk is not before
                    and not tab.runner.running and not tab._after_paint.pending("simulate"),
                    timeout=30_000)
    return tab.risk


def test_the_joint_simulation_is_shown_with_its_paths_seed_and_contributions(window, tab, qtbot):
    from core import figures
    from core.portfolio_risk import simulate_portfolio
    assert tab.open_file(EXAMPLE_PATH)
    settle(qtbot, window)
    first = simulated(tab, qtbot)
    tab.paths.setValue(2_000)                     # as typed (no keyboard tracking) and entered
    tab.seed.setValue(42)
    risk = simulated(tab, qtbot, first)
    assert (risk.paths, risk.seed) == (2_000, 42)
    # The tab shows what core computes for the book on screen, with those paths and seed.
    again = simulate_portfolio(tab.portfolio, 2_000, 42)
    assert risk.mean == again.mean and risk.p95 == again.p95
    text = tab.status.text()
    assert f"P95 {figures.format_value('portfolio_p95', again.p95)}" in text
    assert "2,000 paths, seed 42" in tab.distribution.note.text()
    # One row a deal (the reference scenario and the example's four), its contribution.
    cell = lambda r, c: tab.contributions.model().index(r, c).data()  # noqa: E731 (as shown)
    assert tab.contributions.model().rowCount() == 5
    by_name = {c.name: c for c in again.contributions}
    for r in range(5):
        counterparty = cell(r, 1)
        share = cell(r, 5)
        match = [c for c in by_name.values() if c.counterparty == counterparty]
        assert share in {figures.format_value("deal_contribution_share", c.share) for c in match}
    # The counterparties' table has each one's chance of default.
    chances = {tab.table.item(r, 0).text(): tab.table.item(r, 4).text()
               for r in range(tab.table.rowCount())}
    assert chances["Hut 8"] == figures.format_value("counterparty_default_probability",
                                                    again.default_probability["Hut 8"])


def test_the_correlation_and_an_edit_run_the_simulation_again(window, tab, qtbot):
    tab.paths.setValue(1_000)
    first = simulated(tab, qtbot)
    tab.correlation.setValue(0.0)
    independent = simulated(tab, qtbot, first)
    assert independent.default_correlation_pct == 0.0
    # An edit of the deal: half the fee, half the cost without defaults.
    before = independent.deterministic
    fee = window.binding.scenario.contract.monthly_fee
    window.binding.set_values("contract", monthly_fee=fee / 2)
    settle(qtbot, window)
    edited = simulated(tab, qtbot, independent)
    assert edited.deterministic == pytest.approx(before / 2, rel=1e-9)


def test_an_edit_moves_the_bars_it_does_not_build_them_again(window, tab, qtbot):
    assert tab.open_file(EXAMPLE_PATH)
    settle(qtbot, window)
    items = list(tab.stack_items)
    legend_rows = len(tab.commitments.legend.items)
    before = stacked_total(tab)
    price = window.binding.scenario.contract.price_per_mw_month
    window.binding.set_values("contract", price_per_mw_month=price / 2)
    settle(qtbot, window)
    # The same bar items and legend, their heights moved ($3.5B off Hut 8's lease).
    assert tab.stack_items == items and len(tab.commitments.legend.items) == legend_rows
    assert stacked_total(tab) == pytest.approx(before - 3.5e9, rel=1e-9)
    # A new counterparty (the book as a provider's backlog: its buyers) builds them again.
    tab.side.setCurrentIndex(tab.side.findData("provider"))
    assert tab.stack_items != items


def test_a_providers_backlog_simulates_its_npv_and_names_losses(window, tab, qtbot):
    tab.paths.setValue(1_000)
    buyer = simulated(tab, qtbot)
    assert buyer.figure_label == "Buyer's total cost (PV)"
    legend = lambda: [label.text for _sample, label in tab.distribution.legend.items]  # noqa: E731
    assert "Paths with a loss" not in legend()       # a cost below zero is not a loss
    tab.side.setCurrentIndex(tab.side.findData("provider"))
    provider = simulated(tab, qtbot, buyer)
    assert provider.figure_label == "Provider's NPV" and provider.side == "provider"
    assert "Paths with a loss" in legend()           # an NPV below zero is
    assert "Distribution: Provider's NPV" == tab.distribution.title.text()


def _three_deal_book(window):
    """The reference deal (SpaceX (xAI): 36 x $1.25B = $45.0B) and two more of
    the same start: Google Cloud 36 x $0.5B = $18.0B, Hut 8 24 x $0.25B =
    $6.0B (the active one, added last)."""
    base = window.binding.scenario
    for name, provider, fee, months in (("Google deal", "Google Cloud", 0.5e9, 36),
                                        ("Hut 8 deal", "Hut 8", 0.25e9, 24)):
        scenario = base.with_changes("contract", provider=provider, monthly_fee=fee,
                                     term_months=months)
        window.workspace.add(dataclasses.replace(scenario, name=name))


def shown_rows(tab) -> list[tuple[str, ...]]:
    return [tuple(tab.table.item(r, c).text() for c in range(4))
            for r in range(tab.table.rowCount())]


def layers(tab) -> list[tuple[float, float, float]]:
    """Each stacked layer as drawn: (its sum, its tallest bar, the top of its
    tallest stack)."""
    out = []
    for i in range(len(tab.stack_items)):
        bars = tab.stack.drawn(i)            # rows of (x, y, width, height)
        out.append((float(bars[:, 3].sum()), float(bars[:, 3].max()),
                    float((bars[:, 1] + bars[:, 3]).max())))
    return out


def contribution_cells(tab) -> list[list[str]]:
    model = tab.contributions.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def run_as_shown(tab) -> list[list[str]]:
    """The contributions table as the latest run's figures, formatted as declared."""
    from core import figures
    keys = ("deal_simulated_mean", "deal_simulated_std", "deal_contribution",
            "deal_contribution_share")
    return [[c.name, c.counterparty] + [figures.format_value(k, v) for k, v in
                                        zip(keys, (c.mean, c.std, c.contribution, c.share))]
            for c in tab.risk.contributions]


def lines(tab):
    """The GPUs-online and walk-away-exposure lines as drawn."""
    return list(tab.capacity_curve.yData), list(tab.exposure_curve.yData)


def test_an_edit_of_one_deal_of_three_then_its_undo_and_a_removal(window, tab, qtbot):
    # Every figure here worked by hand; the tab places only the edited deal again
    # (its other deals' figures kept), so these fail if a kept figure goes stale.
    from core.engine import compute
    gpus = compute(window.binding.scenario).schedule.gpus_online   # the reference deal's
    _three_deal_book(window)
    settle(qtbot, window)
    # Three copies of the reference deal's hardware: 3x its GPUs for the first 24
    # months (Hut 8's term), 2x for the last 12.
    shown_gpus, shown_exposure = lines(tab)
    assert shown_gpus == pytest.approx(list(3 * gpus[:24]) + list(2 * gpus[24:]))
    # $69.0B: shares 45/69 = 65.2%, 18/69 = 26.1%, 6/69 = 8.7%;
    # HHI = 10,000 x (45^2 + 18^2 + 6^2) / 69^2 = 23,850,000 / 4,761 = 5,009.
    before_rows = [("SpaceX (xAI)", "1", "$45.0B", "65.2%"), ("Google Cloud", "1", "$18.0B", "26.1%"),
                   ("Hut 8", "1", "$6.00B", "8.7%")]
    assert shown_rows(tab) == before_rows
    assert "HHI 5,009" in tab.finding.text() and "$45.0B of $69.0B" in tab.finding.text()
    # Layers in the book's order: $1.25B, $0.5B on top (1.75B), $0.25B on top (2.0B).
    assert layers(tab) == pytest.approx([(45e9, 1.25e9, 1.25e9), (18e9, 0.5e9, 1.75e9),
                                         (6e9, 0.25e9, 2.0e9)])

    # Hut 8's fee doubled: $12.0B of $75.0B; shares 60%, 24%, 16%;
    # HHI = 10,000 x (45^2 + 18^2 + 12^2) / 75^2 = 24,930,000 / 5,625 = 4,432.
    tab.paths.setValue(1_000)
    first_run = simulated(tab, qtbot)
    assert contribution_cells(tab) == run_as_shown(tab)
    window.binding.set_values("contract", monthly_fee=0.5e9)
    settle(qtbot, window)
    # The new run's every cell (Hut 8's mean and spread, and everyone's contribution).
    edited_run = simulated(tab, qtbot, first_run)
    assert contribution_cells(tab) == run_as_shown(tab)
    assert edited_run.contributions[2].mean != first_run.contributions[2].mean
    assert shown_rows(tab) == [("SpaceX (xAI)", "1", "$45.0B", "60.0%"),
                               ("Google Cloud", "1", "$18.0B", "24.0%"),
                               ("Hut 8", "1", "$12.0B", "16.0%")]
    assert "HHI 4,432" in tab.finding.text() and "$45.0B of $75.0B" in tab.finding.text()
    assert layers(tab) == pytest.approx([(45e9, 1.25e9, 1.25e9), (18e9, 0.5e9, 1.75e9),
                                         (12e9, 0.5e9, 2.25e9)])
    # A fee moves no GPU; the exposure line is the deals' own exposures added
    # month by month (each deal computed alone; all start in the same month).
    edited_gpus, edited_exposure = lines(tab)
    assert edited_gpus == shown_gpus
    own = [compute(s).schedule.walkaway_exposure for s in window.workspace.scenarios]
    added = [sum(float(e[m]) for e in own if m < len(e)) for m in range(36)]
    assert edited_exposure == pytest.approx(added, abs=0.005)      # to the cent
    assert edited_exposure != shown_exposure

    # Undone (Edit > Undo): the figures before the edit again.
    window.workspace.undo_group.undo()
    settle(qtbot, window)
    assert shown_rows(tab) == before_rows
    assert lines(tab) == (shown_gpus, shown_exposure)
    simulated(tab, qtbot, edited_run)
    assert contribution_cells(tab) == run_as_shown(tab)
    assert "HHI 5,009" in tab.finding.text()
    assert layers(tab) == pytest.approx([(45e9, 1.25e9, 1.25e9), (18e9, 0.5e9, 1.75e9),
                                         (6e9, 0.25e9, 2.0e9)])

    # Google's deal removed: $51.0B, shares 45/51 = 88.2%, 6/51 = 11.8%;
    # HHI = 10,000 x (45^2 + 6^2) / 51^2 = 20,610,000 / 2,601 = 7,924.
    window.workspace.remove(window.workspace.names.index("Google deal"))
    settle(qtbot, window)
    assert shown_rows(tab) == [("SpaceX (xAI)", "1", "$45.0B", "88.2%"),
                               ("Hut 8", "1", "$6.00B", "11.8%")]
    assert "HHI 7,924" in tab.finding.text()
    assert lines(tab)[0] == pytest.approx(list(2 * gpus[:24]) + list(gpus[24:]))
    assert layers(tab) == pytest.approx([(45e9, 1.25e9, 1.25e9), (6e9, 0.25e9, 1.5e9)])
    # ... and added again (last now): the three deals' figures as at first.
    google = window.binding.scenario.with_changes("contract", provider="Google Cloud",
                                                  monthly_fee=0.5e9, term_months=36)
    window.workspace.add(dataclasses.replace(google, name="Google deal"))
    settle(qtbot, window)
    assert shown_rows(tab) == before_rows
    assert "HHI 5,009" in tab.finding.text()
    assert layers(tab) == pytest.approx([(45e9, 1.25e9, 1.25e9), (6e9, 0.25e9, 1.5e9),
                                         (18e9, 0.5e9, 2.0e9)])

    # The bottom deal edited (the layers above it move down): SpaceX's fee $1.0B,
    # $36.0B of $60.0B: 60%, 10%, 30%; HHI = 3,600 + 100 + 900 = 4,600.
    window.workspace.switch(0)
    window.binding.set_values("contract", monthly_fee=1.0e9)
    settle(qtbot, window)
    assert shown_rows(tab) == [("SpaceX (xAI)", "1", "$36.0B", "60.0%"),
                               ("Google Cloud", "1", "$18.0B", "30.0%"),
                               ("Hut 8", "1", "$6.00B", "10.0%")]
    assert "HHI 4,600" in tab.finding.text()
    assert layers(tab) == pytest.approx([(36e9, 1.0e9, 1.0e9), (6e9, 0.25e9, 1.25e9),
                                         (18e9, 0.5e9, 1.75e9)])


def test_the_finding_grows_to_a_second_line_and_back(window, tab, qtbot):
    # The finding is laid out apart from the tab (a new text repaints it alone):
    # a text that needs two lines at the tab's width gets them, and one line again
    # gives the room back; the text is never cut.
    one_line = tab.finding.height()
    tab.finding_line.set_text("Provider 1 holds 40% of the book's commitments. " * 12)
    qtbot.waitUntil(lambda: tab.finding.height() > one_line)
    assert tab.finding.height() >= tab.finding.heightForWidth(tab.finding.width())
    assert tab.finding.geometry() == tab.finding_line.rect()      # shown whole, not clipped
    tab.refresh()                       # the book's own (one-line) finding again
    qtbot.waitUntil(lambda: tab.finding.height() == one_line)
    assert tab.finding.geometry() == tab.finding_line.rect()
    assert "HHI 10,000" in tab.finding.text()


def test_the_status_says_running_in_the_edits_own_frame(window, tab, qtbot):
    # The status's new text is set with the edit's figures (before the window
    # paints them), not in a repaint of its own once the run starts after it.
    from core import figures
    tab.paths.setValue(1_000)
    first = simulated(tab, qtbot)
    assert tab.status.text().startswith("P5 ")
    fee = window.binding.scenario.contract.monthly_fee
    window.binding.set_values("contract", monthly_fee=fee / 2)
    window.binding.flush()               # the recompute and its views, no event delivered
    assert tab.status.text() == "Running 1,000 paths, seed 20260601\u2026"
    assert not tab.runner.running        # the run itself starts once the frame is painted
    edited = simulated(tab, qtbot, first)
    assert tab.status.text().startswith(f"P5 {figures.format_value('portfolio_p5', edited.p5)}")


def _book_of(window, deals: int) -> None:
    """`deals` more deals beside the reference one, each with a counterparty
    of its own and a fee of $0.1B-$0.1B x deals (the active one added last)."""
    base = window.binding.scenario
    for i in range(deals):
        scenario = base.with_changes("contract", provider=f"Provider {i + 1}",
                                     monthly_fee=0.1e9 * (i + 1), term_months=24)
        window.workspace.add(dataclasses.replace(scenario, name=f"Deal {i + 1}"))


def test_a_run_repaints_only_the_contribution_cells_whose_text_changed(window, tab, qtbot):
    # A $1 fee edit moves every deal's contribution and share (the book's spread
    # changes), but to three figures their texts stay the same: those cells are
    # not painted again; the edited deal's mean moves by $1 x 24 (its text too
    # stays).  Then a doubled fee: the cells whose text changes are repainted
    # and show the new run's figures, off-screen rows too when scrolled to.
    _book_of(window, 2)
    tab.paths.setValue(1_000)
    settle(qtbot, window)
    first = simulated(tab, qtbot)
    model = tab.contributions.model()
    before = contribution_cells(tab)            # (each cell made, as the table paints it)
    assert before == run_as_shown(tab)
    repainted: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, _roles: repainted.extend(
        (r, c) for r in range(a.row(), b.row() + 1) for c in range(a.column(), b.column() + 1)))
    fee = window.binding.scenario.contract.monthly_fee
    window.binding.set_values("contract", monthly_fee=fee + 1.0)
    settle(qtbot, window)
    nudged = simulated(tab, qtbot, first)
    assert [c.contribution for c in nudged.contributions] != \
        [c.contribution for c in first.contributions]
    assert contribution_cells(tab) == run_as_shown(tab) == before
    assert repainted == []
    window.binding.set_values("contract", monthly_fee=2 * fee)
    settle(qtbot, window)
    doubled = simulated(tab, qtbot, nudged)
    after = contribution_cells(tab)
    assert after == run_as_shown(tab)
    changed = {(r, c) for r in range(len(after)) for c in range(len(after[r]))
               if after[r][c] != before[r][c]}
    assert changed and set(repainted) == changed
    assert doubled is tab.risk


def test_contribution_rows_off_screen_show_the_newest_run_when_scrolled_to(window, tab, qtbot):
    # More deals than the table shows: rows painted once (scrolled to the end)
    # and then off screen while a run changes their figures show the new run's
    # when scrolled back to.
    _book_of(window, 14)
    tab.paths.setValue(1_000)
    settle(qtbot, window)
    first = simulated(tab, qtbot)
    view = tab.contributions
    view.scrollToBottom()
    qtbot.wait(20)                          # the end painted (its cells made)
    view.scrollToTop()
    qtbot.wait(20)
    assert view.rowAt(view.viewport().height() - 1) not in (-1, 14)   # the end is off screen
    old_bottom = [view.model().index(14, c).data() for c in range(6)]
    fee = window.binding.scenario.contract.monthly_fee
    window.binding.set_values("contract", monthly_fee=fee * 3)
    settle(qtbot, window)
    simulated(tab, qtbot, first)
    view.scrollToBottom()
    qtbot.wait(20)
    assert contribution_cells(tab) == run_as_shown(tab)
    assert [view.model().index(14, c).data() for c in range(6)] != old_bottom


def test_contribution_changes_off_screen_are_signalled_and_repaint_nothing_shown(window, tab,
                                                                               qtbot):
    # Every cell whose text a run changes is signalled (the model's contract);
    # the rows on screen only where their text changed, the rows off screen in
    # one block, which the table repaints none of.
    _book_of(window, 14)
    tab.paths.setValue(1_000)
    settle(qtbot, window)
    first = simulated(tab, qtbot)
    view, model = tab.contributions, tab.contributions.model()
    view.scrollToTop()
    qtbot.wait(20)
    last_shown = view.rowAt(view.viewport().height() - 1)
    assert last_shown not in (-1, 14)                    # the end is off screen
    before = contribution_cells(tab)
    signalled: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(lambda a, b, _roles: signalled.append(
        (a.row(), b.row(), a.column(), b.column())))
    fee = window.binding.scenario.contract.monthly_fee
    window.binding.set_values("contract", monthly_fee=fee * 3)
    settle(qtbot, window)
    simulated(tab, qtbot, first)
    after = contribution_cells(tab)
    assert after == run_as_shown(tab)
    changed = {(r, c) for r in range(15) for c in range(6) if after[r][c] != before[r][c]}
    assert {(r, c) for r, c in changed if r > last_shown}      # a change off screen
    covered = {(r, c) for r0, r1, c0, c1 in signalled
               for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    assert changed <= covered
    shown_signalled = {(r, c) for r, c in covered if r <= last_shown}
    assert shown_signalled == {(r, c) for r, c in changed if r <= last_shown}


def test_the_distribution_is_binned_off_the_gui_thread(window, tab, qtbot, monkeypatch):
    # The run's outcomes are binned in the worker: the bars shown are the bins
    # core.monte_carlo.histogram makes of the run's own outcomes, after an edit
    # and its undo, and the GUI thread bins nothing.
    import threading

    import numpy as np

    import ui.plots.layers
    from core.monte_carlo import histogram
    binned_on: list[str] = []
    real = ui.plots.layers.histogram
    monkeypatch.setattr(ui.plots.layers, "histogram", lambda outcomes, *a: binned_on.append(
        threading.current_thread().name) or real(outcomes, *a))

    def bars_shown():
        items = tab.distribution.items
        edges = np.unique(np.concatenate([items[k].opts[x] for k in ("bars", "loss_bars")
                                          for x in ("x0", "x1")]))
        heights = [h for k in ("bars", "loss_bars") for h in items[k].opts["height"]]
        return list(edges), sorted(heights)

    def bars_of(risk):
        edges, counts = histogram(risk.outcomes)
        return list(edges), sorted(counts)

    tab.paths.setValue(1_000)
    first = simulated(tab, qtbot)
    assert bars_shown() == bars_of(first)
    fee = window.binding.scenario.contract.monthly_fee
    window.binding.set_values("contract", monthly_fee=fee / 2)
    settle(qtbot, window)
    edited = simulated(tab, qtbot, first)
    assert bars_shown() == bars_of(edited) != bars_of(first)
    window.workspace.undo_group.undo()
    settle(qtbot, window)
    undone = simulated(tab, qtbot, edited)
    assert bars_shown() == bars_of(undone) == bars_of(first)
    assert threading.main_thread().name not in binned_on


def test_an_edit_is_painted_in_one_repaint_of_the_window_and_all_of_it(window, tab, qtbot):
    # The edit's frame (until the joint simulation it starts is started) paints
    # the window once: the commitments, the exposure, the key figures and the
    # status together (each chart's scene ran a repaint of its own).  What the
    # window then shows (the offscreen screen's copy of it) is what it draws
    # afresh: no chart left as it was.
    from PySide6.QtWidgets import QApplication
    _three_deal_book(window)
    tab.paths.setValue(1_000)
    settle(qtbot, window)
    first = simulated(tab, qtbot)
    before = stacked_total(tab)
    paints = WindowRepaints()
    window.installEventFilter(paints)
    window.binding.set_values("contract", monthly_fee=0.5e9)      # Hut 8's fee doubled
    app = QApplication.instance()
    app.processEvents()                           # the recompute and the charts' changes
    while tab._after_paint.pending("simulate"):  # ... until the run starts
        app.processEvents()
    window.removeEventFilter(paints)
    assert stacked_total(tab) == pytest.approx(before + 6e9, rel=1e-9)
    assert tab.status.text().startswith("Running")
    on_screen = window.screen().grabWindow(window.winId()).toImage()
    drawn = window.grab().toImage().convertToFormat(on_screen.format())
    assert on_screen == drawn
    assert paints.count == 1
    simulated(tab, qtbot, first)
