"""The portfolio's board pack (core/export/portfolio_pack.py) and deck
(core/export/portfolio_deck.py): the pack carries core.portfolio's figures
for the example book, its finding is worked by hand on three-deal books,
and the deck read back has a title placeholder holding each finding and
charts holding the book's months."""
from __future__ import annotations

import io

import numpy as np
import pytest
from pptx import Presentation

from core.export.portfolio_deck import write_portfolio_deck
from core.export.portfolio_pack import deal_figures, headline, portfolio_pack, source_lines
from core.formatting import format_money
from core.portfolio import (EXAMPLE_PATH, concentration, portfolio_of_scenarios,
                            portfolio_totals, read_portfolio)
from core.presets import default_scenario


@pytest.fixture(scope="module")
def example():
    return read_portfolio(EXAMPLE_PATH)


def section(sections, key):
    return next(s for s in sections if s.key == key)


def three_deals(fees_millions):
    """12-month deals from one start, providers A, B, C, ..., at these fees a month
    (the reference deal's terms otherwise: no escalator, discount or credits)."""
    base = default_scenario()
    scenarios = [base.with_changes("contract", monthly_fee=fee * 1e6, term_months=12,
                                   provider=name, buyer="Lab")
                 for fee, name in zip(fees_millions, "ABCD")]
    return portfolio_of_scenarios(scenarios, "buyer")


def test_the_pack_carries_the_portfolios_own_figures(example):
    sections = portfolio_pack(example)
    totals = portfolio_totals(example)
    conc = concentration(example)
    overview = section(sections, "portfolio")
    stacked, exposure = overview.charts
    # One stacked series a counterparty, month by month equal to the book's.
    assert [s.name for s in stacked.series] == list(totals.commitments)
    assert {s.kind for s in stacked.series} == {"area"}
    for series in stacked.series:
        np.testing.assert_array_equal(series.values, totals.commitments[series.name])
    np.testing.assert_array_equal(exposure.series[0].values, totals.walkaway_exposure)
    assert len(stacked.categories) == len(totals.months) == 182     # Nov 2025 to Dec 2040
    assert stacked.categories[0] == "Nov 2025" and stacked.categories[-1] == "Dec 2040"
    # The concentration: the finding of core.portfolio, and each share in the table.
    shares = section(sections, "portfolio_concentration")
    assert shares.title == conc.finding.rstrip(".")
    table = shares.tables[0]
    for row in table.rows[:-1]:
        assert row[2] == format_money(float(totals.commitments[row[0]].sum()))
        assert row[3] == f"{conc.shares[row[0]]:.1%}"
    assert table.rows[-1][-1] == f"{conc.hhi:,.0f}" == "3,088"
    # The deals add up to the book month by month, to the cent.
    by_deal = deal_figures(example)
    np.testing.assert_allclose(sum(f.commitments for f in by_deal), totals.total_commitments,
                               rtol=0, atol=0.01)
    np.testing.assert_allclose(sum(f.walkaway_exposure for f in by_deal),
                               totals.walkaway_exposure, rtol=0, atol=0.01)


def test_the_example_headline_worked_by_hand(example):
    # Shares: SpaceX/xAI 45/112 = 40.2%, Google and Azure 30/112 = 26.8% each, Fluidstack
    # 7/112 = 6.25%.  The fewest holding three quarters: 40.2 + 26.8 = 67.0% is short,
    # + 26.8 = 93.75% is not: three of four.
    assert headline(example) == ("Three of four counterparties hold 94% of Anthropic's $112B "
                                 "of commitments; SpaceX/xAI alone 40%")


def test_the_headline_and_hhi_worked_by_hand_on_three_deals():
    # $60M, $30M and $10M a month for 12 months: $720M, $360M, $120M of $1.20B, shares
    # 60%, 30%, 10%; 60% is short of three quarters, 90% is not: two of three.
    # HHI = 60^2 + 30^2 + 10^2 = 3,600 + 900 + 100 = 4,600.
    book = three_deals((60, 30, 10))
    assert headline(book) == ("Two of three counterparties hold 90% of Lab's $1.20B of "
                              "commitments; A alone 60%")
    sections = portfolio_pack(book)
    shares = section(sections, "portfolio_concentration")
    assert shares.title == ("A holds 60% of Lab's commitments ($720M of $1.20B): more than a "
                            "third; HHI 4,600")
    assert [row[4] for row in shares.tables[0].rows] == ["3,600", "900", "100", "4,600"]
    # The cards: $100M a month together, every month; the three deals start on the reference
    # deal's 1 Jun 2026 and run 12 months, so all expire in May 2027.
    cards = dict(section(sections, "key_figures").tables[0].rows)
    assert cards["Total commitments"] == "$1.20B"
    assert cards["Peak month"] == "$100M (Jun 2026)"
    assert cards["Deals / counterparties"] == "3 / 3"
    assert cards["Largest: A"] == "60.0%" and cards["Herfindahl-Hirschman index"] == "4,600"
    assert cards["First expiry"] == "May 2027"
    # $80M, $10M, $10M: A alone 80%, the others 20%; HHI 6,400 + 100 + 100 = 6,600.
    assert headline(three_deals((80, 10, 10))) == ("A alone holds 80% of Lab's $1.20B of "
                                                   "commitments; the other two hold 20%")
    # $40M, $35M, $25M: 40%, 75% with two... three quarters reached at two: two of three.
    assert headline(three_deals((40, 35, 25))).startswith("Two of three counterparties hold 75%")
    # $34M, $33M, $33M: none below the last reaches three quarters: spread over three.
    assert headline(three_deals((34, 33, 33))) == (
        "Lab's $1.20B of commitments spread over three counterparties; the largest, A, "
        "holds 34%")
    # 34% is more than a third (34^2 + 33^2 + 33^2 = 1,156 + 1,089 + 1,089 = 3,334) ...
    assert section(portfolio_pack(three_deals((34, 33, 33))), "portfolio_concentration").title \
        == "A holds 34% of Lab's commitments ($408M of $1.20B): more than a third; HHI 3,334"
    # ... four equal deals are not: the largest and HHI instead (4 x 25^2 = 2,500).
    four = three_deals((25, 25, 25, 25))
    assert section(portfolio_pack(four), "portfolio_concentration").title \
        == "No counterparty holds more than a third: the largest, A, 25%; HHI 2,500"
    assert headline(four) == ("Three of four counterparties hold 75% of Lab's $1.20B of "
                              "commitments; A alone 25%")


def test_the_calendar_puts_the_first_expiry_first(example):
    calendar = section(portfolio_pack(example), "portfolio_calendar")
    # SpaceX/xAI's 36 months from Jun 2026 end in May 2029, before the 60-month deals of
    # Nov / Dec 2025 (Oct / Nov 2030) and the 180-month lease (Dec 2040).
    assert calendar.title == ("SpaceX/xAI's deal expires first, in May 2029: $1.25B a month "
                              "of capacity to renew or replace")
    assert [row[0] for row in calendar.tables[0].rows] == [
        "SpaceX/xAI", "Google Cloud", "Microsoft Azure", "Fluidstack (Hut 8)"]
    assert [row[2] for row in calendar.tables[0].rows] == [
        "May 2029", "Oct 2030", "Nov 2030", "Dec 2040"]


def test_every_deal_credit_and_market_figure_is_labelled_dated_and_sourced(example):
    lines = source_lines(example)
    text = "\n".join(lines)
    # The reported value of the reference deal, as resources/public_deals.json states it.
    assert "value ~$45.0B" in lines[0] and "[R] 2026-05, MARKET.md" in lines[0]
    for deal in example.deals:
        assert f"public deal {deal.public.key}" in text
        for assumption in deal.assumptions:
            assert assumption in text
    # Each counterparty's own credit line with its label and source ...
    assert text.count("Credit of ") == 4
    assert "Credit of Google Cloud: Google Cloud: rating AA" in text and "stand in" not in text
    # ... and a credit that is another name's (the reference deal's provider's, in
    # scenarios whose provider was renamed) is said to stand in.
    renamed = "\n".join(source_lines(three_deals((60, 30, 10))))
    assert "not A's own: the scenario's credit inputs for the provider stand in" in renamed
    assert "[E] Jul 2026, SemiAnalysis" in text     # the market rents' label and date
    sources = [s for s in portfolio_pack(example) if s.key == "portfolio_sources"]
    assert [line for s in sources for line in s.sentences] == lines


def test_the_deck_titles_every_slide_with_its_finding(example):
    buffer = io.BytesIO()
    write_portfolio_deck(example, buffer)
    deck = Presentation(io.BytesIO(buffer.getvalue()))
    slides = list(deck.slides)
    assert slides[0].shapes.title.text == example.name
    titles = [slide.shapes.title.text for slide in slides]
    assert all(titles)
    sections = portfolio_pack(example)
    assert titles[1] == headline(example) == sections[0].title
    # The stacked chart holds each counterparty's months.
    chart = next(shape.chart for shape in slides[1].shapes if shape.has_chart)
    totals = portfolio_totals(example)
    for series in chart.plots[0].series:
        np.testing.assert_allclose(series.values, totals.commitments[series.name])
    assert len(chart.plots[0].categories) == 182


def test_a_providers_backlog_speaks_of_revenue():
    # Two buyers at $90M and $10M a month for 12 months: $1.08B and $120M of $1.20B of the
    # provider's revenue, 90% and 10%; no walk-away exposure chart (it is the buyer's).
    base = default_scenario()
    scenarios = [base.with_changes("contract", monthly_fee=fee * 1e6, term_months=12,
                                   buyer=name, provider="Cloud")
                 for fee, name in ((90, "X"), (10, "Y"))]
    book = portfolio_of_scenarios(scenarios, "provider")
    overview = portfolio_pack(book)[0]
    assert overview.title == ("X alone holds 90% of Cloud's $1.20B of revenue; the other "
                              "counterparty holds 10%")
    assert [c.key for c in overview.charts] == ["portfolio_commitments"]


def test_the_joint_simulation_section_carries_its_figures_paths_and_seed(example):
    from core.export.portfolio_pack import joint_simulation
    risk = joint_simulation(example, paths=2_000, seed=7)
    sections = portfolio_pack(example, risk)
    simulated = section(sections, "portfolio_risk")
    top = max(risk.contributions, key=lambda c: c.share)
    assert simulated.title == (f"{risk.figure_label}: {format_money(risk.p5)} to "
                               f"{format_money(risk.p95)} (P5-P95), mean "
                               f"{format_money(risk.mean)}; {top.counterparty} drives "
                               f"{top.share:.0%} of the spread")
    assert "2,000 paths, seed 7" in simulated.sentences[0]
    rows = {row[0]: row for row in simulated.tables[0].rows}
    for c in risk.contributions:
        assert rows[c.counterparty][1:] == (format_money(c.deterministic), format_money(c.mean),
                                            format_money(c.contribution), f"{c.share:.1%}")
    # The contributions add up to the book's standard deviation (the Euler allocation).
    assert sum(c.contribution for c in risk.contributions) == pytest.approx(risk.std, rel=1e-9)
    # Without a simulation there is no section (the pack of a deal alone leaves it out).
    assert "portfolio_risk" not in [s.key for s in portfolio_pack(example)]
