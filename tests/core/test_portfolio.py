"""A portfolio adds its deals up: totals against each deal's own schedule month
by month, concentration worked by hand, a one-deal book equal to its deal, and
files read strictly."""
from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from core.engine import compute
from core.portfolio import (EXAMPLE_PATH, Portfolio, PortfolioDeal, PortfolioFileError,
                            concentration, key_figures, portfolio_totals, read_portfolio)
from core.presets import default_scenario
from core.scenario_file import encode_document, ScenarioSet


def _deal(counterparty: str, fee: float, months: int, start=dt.date(2026, 6, 1)) -> PortfolioDeal:
    scenario = default_scenario().with_changes("contract", monthly_fee=fee, term_months=months,
                                               start_date=start)
    return PortfolioDeal(counterparty, scenario, (), compute(scenario))


def test_example_totals_equal_the_deals_own_figures_month_by_month():
    portfolio = read_portfolio(EXAMPLE_PATH)
    totals = portfolio_totals(portfolio)
    # Each deal's periods, placed by hand in the calendar month they start in.
    by_month: dict[tuple[int, int], list[float]] = {}
    for deal in portfolio.deals:
        s = deal.results.schedule
        for start, payment, exposure in zip(s.month_start, s.payment, s.walkaway_exposure):
            day = start.astype(dt.date)
            entry = by_month.setdefault((day.year, day.month), [0.0, 0.0])
            entry[0] += float(payment)
            entry[1] += float(exposure)
    assert len(totals.months) == len(by_month)
    for i, month in enumerate(totals.months):
        day = month.astype(dt.date)
        payment, exposure = by_month[(day.year, day.month)]
        assert abs(totals.total_commitments[i] - payment) < 0.005        # to the cent
        assert abs(totals.walkaway_exposure[i] - exposure) < 0.005
    # ... and the counterparties' stacks add up to the total in every month
    stacked = sum(totals.commitments.values())
    assert max(abs(stacked - totals.total_commitments)) < 0.005


def test_concentration_by_hand_on_three_deals():
    portfolio = Portfolio("three", "Lab", "buyer", (
        _deal("A", 1.0e9, 36),     # $36B
        _deal("B", 0.5e9, 36),     # $18B
        _deal("C", 0.5e9, 12),     # $6B
    ))
    conc = concentration(portfolio)
    # shares 36/60, 18/60, 6/60 = 60%, 30%, 10%: HHI = 3,600 + 900 + 100 = 4,600
    assert conc.shares == pytest.approx({"A": 0.6, "B": 0.3, "C": 0.1})
    assert conc.largest == "A" and conc.largest_share == pytest.approx(0.6)
    assert conc.hhi == pytest.approx(4_600)
    assert conc.finding.startswith("A holds 60% of Lab's commitments ($36.0B of $60.0B)")
    # Under a third each: no finding.  Three equal: HHI = 3 x 33.3^2 = 3,333.
    even = Portfolio("even", "Lab", "buyer", tuple(_deal(n, 0.5e9, 36) for n in "XYZ"))
    assert concentration(even).finding == ""
    assert concentration(even).hhi == pytest.approx(10_000 / 3)


def test_one_deal_portfolio_equals_that_deal():
    deal = _deal("SpaceX/xAI", 1.25e9, 36)
    portfolio = Portfolio("one", "Anthropic", "buyer", (deal,))
    totals = portfolio_totals(portfolio)
    s = deal.results.schedule
    assert list(totals.total_commitments) == list(s.payment)
    assert list(totals.gpus_online) == list(s.gpus_online)
    assert list(totals.walkaway_exposure) == list(s.walkaway_exposure)
    figures = key_figures(portfolio)
    assert figures["total_commitments"] == deal.results.key_figures.total_contract_value == 45e9
    assert figures["hhi"] == 10_000 and figures["largest_share"] == 1.0
    provider = Portfolio("one", "SpaceX", "provider", (deal,))
    assert list(portfolio_totals(provider).total_commitments) == list(s.provider_revenue)


def test_deals_in_different_months_share_one_calendar():
    portfolio = Portfolio("two", "Lab", "buyer", (_deal("A", 1e9, 2, dt.date(2026, 1, 1)),
                                                  _deal("B", 2e9, 2, dt.date(2026, 2, 1))))
    totals = portfolio_totals(portfolio)
    # Jan: A; Feb: A + B; Mar: B
    assert [str(m) for m in totals.months] == ["2026-01", "2026-02", "2026-03"]
    assert list(totals.total_commitments) == [1e9, 3e9, 2e9]


def test_scenario_objects_and_bad_files(tmp_path):
    scenario = encode_document(ScenarioSet((default_scenario(),), 0))["scenarios"][0]
    document = {"format": "compute-deal-modeler/portfolio", "version": 1, "name": "Book",
                "party": "Anthropic", "side": "buyer",
                "deals": [{"counterparty": "SpaceX/xAI", "scenario": scenario},
                          {"counterparty": "Nobody", "public_deal": "no-such-deal"}]}
    path = tmp_path / "book.json"
    path.write_text(json.dumps(document))
    with pytest.raises(PortfolioFileError) as error:
        read_portfolio(path)
    assert str(error.value).startswith(f"{path}: deals[1].public_deal: no public deal")
    document["deals"].pop()
    document["deals"][0]["scenario"]["contract"]["term_months"] = 0
    path.write_text(json.dumps(document))
    with pytest.raises(PortfolioFileError, match=r"deals\[0\]\.scenario\.contract\.term_months"):
        read_portfolio(path)
    document["deals"][0]["scenario"]["contract"]["term_months"] = 36
    path.write_text(json.dumps(document))
    assert key_figures(read_portfolio(path))["total_commitments"] == 45e9


def test_example_marks_every_assumption():
    portfolio = read_portfolio(EXAMPLE_PATH)
    assert [d.counterparty for d in portfolio.deals] == [
        "SpaceX/xAI", "Google Cloud", "Microsoft Azure", "Fluidstack (Hut 8)"]
    assert all(d.assumptions for d in portfolio.deals)
    google = portfolio.deals[1]
    assert google.results.key_figures.total_contract_value == pytest.approx(30e9)
    assert google.assumptions[0].startswith("[E]")


def test_totals_kept_between_calls_place_only_the_deal_that_changed():
    # portfolio_totals(book, kept): the same totals as from scratch, and a deal
    # whose results did not change is not placed again (its placed figures are
    # the same array objects as the call before), nor are the commitments of a
    # counterparty none of whose deals changed added up again.
    deals = [_deal(name, fee, months) for name, fee, months in
             (("A", 1.0e9, 36), ("B", 0.5e9, 24), ("C", 0.2e9, 48))]
    book = Portfolio("three", "Lab", "buyer", tuple(deals))
    kept: dict = {}
    first = portfolio_totals(book, kept)
    placed_before = {key: entry[4] for key, entry in kept["deals"].items()}
    edited = _deal("B", 0.25e9, 24)             # B halved: $6B less over 24 months
    book2 = Portfolio("three", "Lab", "buyer", (deals[0], edited, deals[2]))
    second = portfolio_totals(book2, kept)
    fresh = portfolio_totals(book2)
    assert abs(float(second.total_commitments.sum()) - (float(first.total_commitments.sum())
                                                        - 6e9)) < 0.01
    # Kept or not, the same numbers to the last bit (each sum taken in the same order).
    for name in ("months", "total_commitments", "gpus_online", "it_mw_online", "h100e_online",
                 "walkaway_exposure"):
        assert getattr(second, name).tobytes() == getattr(fresh, name).tobytes()
    assert list(second.commitments) == list(fresh.commitments) == ["A", "B", "C"]
    for name, values in fresh.commitments.items():
        assert second.commitments[name].tobytes() == values.tobytes()
    again = {key: entry[4] for key, entry in kept["deals"].items()}
    assert again[id(deals[0].results)] is placed_before[id(deals[0].results)]
    assert again[id(deals[2].results)] is placed_before[id(deals[2].results)]
    assert id(deals[1].results) not in again and len(again) == 3
    # B's counterparty's commitments added up again (to $6B); A's and C's kept.
    assert second.commitments["A"] is first.commitments["A"]
    assert second.commitments["C"] is first.commitments["C"]
    assert float(second.commitments["B"].sum()) == pytest.approx(6e9)


def test_concentration_kept_between_calls_is_the_fresh_one():
    # concentration(book, kept): each deal's commitments over its term kept by its
    # results; the shares and HHI are those from scratch, to the last bit.
    # B halved: $36B + $6B + $9.6B = $51.6B.
    deals = [_deal(name, fee, months) for name, fee, months in
             (("A", 1.0e9, 36), ("B", 0.5e9, 24), ("C", 0.2e9, 48))]
    kept: dict = {}
    concentration(Portfolio("three", "Lab", "buyer", tuple(deals)), kept)
    book = Portfolio("three", "Lab", "buyer", (deals[0], _deal("B", 0.25e9, 24), deals[2]))
    got, fresh = concentration(book, kept), concentration(book)
    assert got == fresh
    assert got.shares == pytest.approx({"A": 36 / 51.6, "B": 6 / 51.6, "C": 9.6 / 51.6})
    assert len(kept) == 3


def test_a_book_of_scenarios_kept_makes_only_the_edited_deal_again():
    # portfolio_of_scenarios(..., kept=): each deal whose scenario and results are
    # the objects of the call before is that call's deal; the edited one is new,
    # with its new results; the side's counterparties and party as from scratch.
    from core.portfolio import portfolio_of_scenarios
    base = default_scenario()
    scenarios = [base.with_changes("contract", provider=f"P{i}", monthly_fee=1e9 * (i + 1))
                 for i in range(3)]
    results = [compute(s) for s in scenarios]
    kept: dict = {}
    first = portfolio_of_scenarios(scenarios, "buyer", results, kept=kept)
    edited = scenarios[1].with_changes("contract", monthly_fee=5e9)
    now_scenarios = [scenarios[0], edited, scenarios[2]]
    now_results = [results[0], compute(edited), results[2]]
    second = portfolio_of_scenarios(now_scenarios, "buyer", now_results, kept=kept)
    assert second.deals[0] is first.deals[0] and second.deals[2] is first.deals[2]
    assert second.deals[1] is not first.deals[1]
    assert second.deals[1].scenario is edited and second.deals[1].results is now_results[1]
    assert second == portfolio_of_scenarios(now_scenarios, "buyer", now_results)
    # The other side: its own deals (the buyer as counterparty), none taken from the buyer's.
    provider = portfolio_of_scenarios(now_scenarios, "provider", now_results, kept=kept)
    assert [d.counterparty for d in provider.deals] == [base.contract.buyer] * 3
    assert provider == portfolio_of_scenarios(now_scenarios, "provider", now_results)


def test_kept_totals_follow_an_edit_its_undo_and_a_removed_and_added_deal():
    # The Portfolio tab's path: one kept dict across calls, each book built
    # from the deals as they are now.  Every call must equal the totals from
    # scratch to the cent, month by month, and the concentration worked by hand.
    a, b, c = (_deal("A", 1.0e9, 36), _deal("B", 0.5e9, 36), _deal("C", 0.25e9, 24))
    kept: dict = {}

    def check(deals, total, shares, hhi):
        book = Portfolio("three", "Lab", "buyer", tuple(deals))
        got, fresh = portfolio_totals(book, kept), portfolio_totals(book)
        assert len(got.months) == len(fresh.months)
        for name in ("total_commitments", "gpus_online", "it_mw_online", "h100e_online",
                     "walkaway_exposure"):
            assert np.max(np.abs(getattr(got, name) - getattr(fresh, name))) < 0.005
        assert list(got.commitments) == list(fresh.commitments)
        for name, values in fresh.commitments.items():
            assert np.max(np.abs(got.commitments[name] - values)) < 0.005
        assert float(got.total_commitments.sum()) == pytest.approx(total, abs=0.01)
        conc = concentration(book)
        assert conc.shares == pytest.approx(shares) and conc.hhi == pytest.approx(hhi)
        return got

    # $36B + $18B + $6B = $60B: 60%, 30%, 10%; HHI 3,600 + 900 + 100 = 4,600.
    first = check((a, b, c), 60e9, {"A": 0.6, "B": 0.3, "C": 0.1}, 4_600)
    # C doubled: $12B of $66B; HHI = 10,000 x (36^2 + 18^2 + 12^2) / 66^2 = 4,049.6
    edited = _deal("C", 0.5e9, 24)
    check((a, b, edited), 66e9, {"A": 36 / 66, "B": 18 / 66, "C": 12 / 66},
          10_000 * (36**2 + 18**2 + 12**2) / 66**2)
    # Undone (the old deal again): exactly the first totals.
    undone = check((a, b, c), 60e9, {"A": 0.6, "B": 0.3, "C": 0.1}, 4_600)
    assert np.array_equal(undone.total_commitments, first.total_commitments)
    assert np.array_equal(undone.walkaway_exposure, first.walkaway_exposure)
    # B removed: $42B, 36/42 and 6/42; HHI = 10,000 x (36^2 + 6^2) / 42^2 = 7,551.0
    check((a, c), 42e9, {"A": 36 / 42, "C": 6 / 42}, 10_000 * (36**2 + 6**2) / 42**2)
    # A longer deal added (48 months: the calendar grows): $0.1B x 48 = $4.8B of $64.8B.
    d = _deal("D", 0.1e9, 48)
    longer = check((a, b, c, d), 64.8e9,
                   {"A": 36 / 64.8, "B": 18 / 64.8, "C": 6 / 64.8, "D": 4.8 / 64.8},
                   10_000 * (36**2 + 18**2 + 6**2 + 4.8**2) / 64.8**2)
    assert len(longer.months) == 48 and len(first.months) == 36
