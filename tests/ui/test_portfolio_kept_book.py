"""The Portfolio tab's kept book (deals, calendar placements, commitments and
counterparty sums kept between edits, core.portfolio's `kept` dicts) against
the same book computed from scratch after each edit a user makes: a kept
figure that went stale would differ from the fresh one."""
from __future__ import annotations

import datetime

import numpy as np
import pytest

from core.portfolio import EXAMPLE_PATH, concentration, portfolio_of_scenarios, portfolio_totals
from tests.ui.conftest import settle
from tests.ui.test_portfolio_tab import _three_deal_book, layers, lines, shown_rows, tab  # noqa: F401


def assert_as_fresh(tab) -> None:
    """What the tab draws and lists equals core.portfolio on the open scenarios,
    every deal made and computed again (no kept dict, no results given)."""
    fresh = portfolio_of_scenarios(tab.workspace.scenarios, tab.side.currentData())
    totals, conc = portfolio_totals(fresh), concentration(fresh)
    gpus, exposure = lines(tab)
    assert gpus == pytest.approx(list(totals.gpus_online))
    assert exposure == pytest.approx(list(totals.walkaway_exposure))
    rows = shown_rows(tab)
    assert sorted(r[0] for r in rows) == sorted(conc.shares)
    for name, _count, _money, share in rows:
        assert share == f"{conc.shares[name]:.1%}"
    assert sorted(layer[0] for layer in layers(tab)) == pytest.approx(
        sorted(float(c.sum()) for c in totals.commitments.values()))


def test_every_edit_leaves_the_kept_book_as_a_fresh_one(window, tab, qtbot):
    def then(step) -> None:
        step()
        settle(qtbot, window)
        assert len(tab.portfolio.deals) == len(window.workspace.scenarios)
        assert_as_fresh(tab)

    other_side = lambda: tab.side.setCurrentIndex(1 - tab.side.currentIndex())   # noqa: E731
    undo = window.workspace.undo_group.undo
    set_contract = window.binding.set_values
    then(lambda: _three_deal_book(window))
    # The active deal (Hut 8's) renamed into Google's counterparty: two groups merge.
    then(lambda: set_contract("contract", provider="Google Cloud"))
    then(lambda: set_contract("contract", term_months=12))
    then(undo)
    then(undo)
    then(other_side)                                   # the provider's backlog
    then(lambda: set_contract("contract", buyer="Meta"))
    then(lambda: window.workspace.switch(0))
    then(lambda: set_contract("contract", monthly_fee=1e9))
    then(other_side)
    then(lambda: window.workspace.remove(1))
    # The calendar moved: the first deal starts 15 months earlier.
    then(lambda: set_contract("contract", start_date=datetime.date(2025, 3, 1)))
    assert tab.portfolio.deals and portfolio_totals(tab.portfolio).months[0] == np.datetime64(
        "2025-03")
    then(undo)
    then(lambda: set_contract("contract", provider="Hut 8"))
    # Another portfolio file opened beside them, then one of its deals edited.
    then(lambda: tab.open_file(EXAMPLE_PATH))
    then(lambda: window.workspace.switch(2))
    then(lambda: set_contract("contract", monthly_fee=2e9))
    then(other_side)
    then(other_side)
    then(undo)
