"""The Portfolio tab: the open scenarios added up, the example book opened
beside them, and an edit of one deal followed."""
from __future__ import annotations

import pytest

from core.portfolio import EXAMPLE_PATH, portfolio_totals, read_portfolio
from tests.ui.conftest import settle


@pytest.fixture
def tab(window, qtbot):
    page = window.tab("portfolio")
    window.tabs.setCurrentIndex(window.tabs.indexOf(page))
    qtbot.waitExposed(page)
    return page


def stacked_total(tab) -> float:
    return sum(float(sum(item.opts["height"])) for item in tab.stack_items)


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
