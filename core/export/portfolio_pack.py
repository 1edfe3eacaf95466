"""The board pack of a portfolio (core/portfolio.py): what the PDF report and
the deck say about a book of deals, section by section, as data (the
pages are drawn by ui/boardroom/export_views.py and core/export/deck.py from
the same core.export.pack.Section the deal's pack uses).

Each section's title is its finding: how concentrated the book is ("Three
of four counterparties hold 94% of Anthropic's $112B of commitments;
SpaceX/xAI alone 40%"), what the concentration measures say, when the
deals expire, and the deals side by side.  Every figure is the portfolio's
own (core.portfolio: portfolio_totals, concentration); every chart has its
months or counterparties as categories.  The last sections list every
deal, credit and market figure behind the book with its label ([R]
reported, [E] estimate, [D] derived), date and source, and what each deal
assumes.

The joint simulation (core/portfolio_risk.py, `joint_simulation`): `risk`
takes its result and adds the book's P5-P95, mean and median, each deal's
contribution to its spread and each counterparty's chance of default, the
paths and the seed stated; without one the section is left out.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from core import credit
from core.calendar import to_date
from core.deals import BOUNDS, FIGURE_WORDS, DealFigure
from core.export.charts import ChartSpec, Series
from core.export.pack import Section, Table
from core.formatting import format_count, format_money
from core.palette import OKABE_ITO, SERIES_ORDER
from core.portfolio import (CONCENTRATION_THRESHOLD, DEFAULT_CORRELATION_PCT,
                            DEFAULT_CORRELATION_SOURCE, Portfolio,
                            PortfolioDeal, concentration, portfolio_totals)
from core.portfolio_risk import DEFAULT_PATHS, DEFAULT_SEED, PortfolioRisk, simulate_portfolio
from core.summary import who_may_end

# The share of the book the headline's "k counterparties hold" reaches: the fewest
# counterparties whose shares add up to at least this much.
MOST_OF_THE_BOOK = 0.75
# Of the sources' bullets on a slide (the deck's default) and on a report's page.
SOURCE_CHARACTERS_PER_PAGE = 1_100
REPORT_SOURCE_CHARACTERS_PER_PAGE = 3_600
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten")


def number_word(n: int) -> str:
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else f"{n:,}"


def what_is_committed(side: str) -> str:
    """What the book adds up: the buyer's payments or the provider's revenue."""
    return "commitments" if side == "buyer" else "revenue"


@dataclass(frozen=True)
class DealFigures:
    """One deal's figures on the book's calendar."""
    deal: PortfolioDeal
    commitments: np.ndarray          # a value a month of the book's calendar
    walkaway_exposure: np.ndarray
    total: float
    first_month: np.datetime64
    last_month: np.datetime64


def deal_figures(portfolio: Portfolio) -> list[DealFigures]:
    """Each deal's commitments and walk-away exposure on the book's calendar:
    the deal alone as a book (core.portfolio.portfolio_totals), moved to the
    book's first month; they add up to the book's totals month by month."""
    book = portfolio_totals(portfolio)
    out = []
    for deal in portfolio.deals:
        alone = portfolio_totals(Portfolio(portfolio.name, portfolio.party, portfolio.side,
                                           (deal,)))
        offset = int((alone.months[0] - book.months[0]).astype(int))
        commitments, exposure = np.zeros(len(book.months)), np.zeros(len(book.months))
        commitments[offset:offset + len(alone.months)] = alone.total_commitments
        exposure[offset:offset + len(alone.months)] = alone.walkaway_exposure
        out.append(DealFigures(deal, commitments, exposure, float(alone.total_commitments.sum()),
                               alone.months[0], alone.months[-1]))
    return out


def month_text(month: Any) -> str:
    """A calendar month (numpy datetime64) as "Jun 2026"."""
    return to_date(np.datetime64(month, "D")).strftime("%b %Y")


def headline(portfolio: Portfolio) -> str:
    """The book's finding: the fewest counterparties holding at least three
    quarters of it, and the largest alone ("Three of four counterparties hold
    94% of Anthropic's $112B of commitments; SpaceX/xAI alone 40%")."""
    conc = concentration(portfolio)
    totals = portfolio_totals(portfolio)
    whole = float(totals.total_commitments.sum())
    what = what_is_committed(portfolio.side)
    ranked = sorted(conc.shares.items(), key=lambda kv: -kv[1])
    n = len(ranked)
    book = f"{portfolio.party}'s {format_money(whole)} of {what}"
    if n == 1:
        return f"One counterparty, {ranked[0][0]}, holds all of {book}"
    held, k = 0.0, 0
    for _name, share in ranked:
        held += share
        k += 1
        if held >= MOST_OF_THE_BOOK - 1e-12:
            break
    largest, share = ranked[0]
    if k == 1:
        others = f"other {number_word(n - 1)} hold" if n > 2 else "other counterparty holds"
        return f"{largest} alone holds {share:.0%} of {book}; the {others} {1 - share:.0%}"
    if k == n:
        return (f"{book[0].upper()}{book[1:]} spread over {number_word(n)} counterparties; "
                f"the largest, {largest}, holds {share:.0%}")
    return (f"{number_word(k).capitalize()} of {number_word(n)} counterparties hold {held:.0%} "
            f"of {book}; {largest} alone {share:.0%}")


def _colour(i: int) -> str:
    return OKABE_ITO[SERIES_ORDER[i % len(SERIES_ORDER)]]


def _overview(portfolio: Portfolio, months: tuple[str, ...]) -> Section:
    totals = portfolio_totals(portfolio)
    conc = concentration(portfolio)
    what = what_is_committed(portfolio.side)
    peak = int(np.argmax(totals.total_commitments))
    worst = int(np.argmax(totals.walkaway_exposure))
    sentences = [
        f"{portfolio.party}'s book as {portfolio.side}: {len(portfolio.deals)} deals from "
        f"{months[0]} to {months[-1]}, {format_money(float(totals.total_commitments.sum()))} "
        f"of {what} in all, peaking at {format_money(float(totals.total_commitments[peak]))} "
        f"in {months[peak]}.",
        f"Largest counterparty {conc.largest}, {conc.largest_share:.1%} of the {what}; "
        f"Herfindahl-Hirschman index {conc.hhi:,.0f} (of 10,000: one counterparty).",
    ]
    if portfolio.side == "buyer":
        sentences.append(
            f"Walking away from every deal at once costs most in {months[worst]}: "
            f"{format_money(float(totals.walkaway_exposure[worst]))} (each deal's fees to the end "
            f"of its notice plus its termination fee; a deal that cannot be ended, its "
            f"remaining payments).")
    sentences.append("Every figure here is derived [D] from the deals' terms, each term's label, "
                     "date and source listed at the end.")
    charts: tuple[ChartSpec, ...] = (
        ChartSpec("portfolio_commitments", f"{what.capitalize()} by month, by counterparty",
                  "$ per month", "money", tuple(
                      Series(name, values, "area", _colour(i))
                      for i, (name, values) in enumerate(totals.commitments.items())),
                  categories=months),
        ChartSpec("portfolio_exposure", "Walk-away exposure, all deals", "$", "money", (
            Series("Walk-away exposure, all deals", totals.walkaway_exposure, "line",
                   _colour(5)),), categories=months),
    )
    if portfolio.side != "buyer":
        charts = charts[:1]     # the exposure is the buyer's: not the provider's story
    return Section("portfolio", "Portfolio", headline(portfolio), tuple(sentences), charts)


def key_figures_section(portfolio: Portfolio, by_deal: list[DealFigures],
                        months: tuple[str, ...]) -> Section:
    """The book's headline figures (drawn as cards in the report and the deck)."""
    totals = portfolio_totals(portfolio)
    conc = concentration(portfolio)
    what = what_is_committed(portfolio.side)
    first = min(by_deal, key=lambda f: (f.last_month, f.deal.counterparty))
    peak = int(np.argmax(totals.total_commitments))
    rows = [(f"Total {what}", format_money(float(totals.total_commitments.sum()))),
            ("Peak month", f"{format_money(float(totals.total_commitments[peak]))} "
                           f"({months[peak]})"),
            ("Deals / counterparties", f"{len(portfolio.deals)} / {len(conc.shares)}"),
            (f"Largest: {conc.largest}", f"{conc.largest_share:.1%}"),
            ("Herfindahl-Hirschman index", f"{conc.hhi:,.0f}"),
            ("First expiry", f"{month_text(first.last_month)}")]
    if portfolio.side == "buyer":
        worst = int(np.argmax(totals.walkaway_exposure))
        rows.append(("Peak walk-away exposure",
                     f"{format_money(float(totals.walkaway_exposure[worst]))} ({months[worst]})"))
    rows.append(("Peak GPUs online", format_count(float(totals.gpus_online.max()))))
    rows.append(("Peak IT power online", f"{format_count(float(totals.it_mw_online.max()))} MW"))
    return Section("key_figures", "Key figures", "The book's headline figures", (), (),
                   (Table("Key figures", ("Figure", "Value"), tuple(rows)),))


def _concentration(portfolio: Portfolio) -> Section:
    conc = concentration(portfolio)
    totals = portfolio_totals(portfolio)
    what = what_is_committed(portfolio.side)
    deals_of: dict[str, int] = {}
    for deal in portfolio.deals:
        deals_of[deal.counterparty] = deals_of.get(deal.counterparty, 0) + 1
    ranked = sorted(conc.shares.items(), key=lambda kv: -kv[1])
    if conc.finding:
        title = conc.finding.rstrip(".")
    else:
        title = (f"No counterparty holds more than a third: the largest, {conc.largest}, "
                 f"{conc.largest_share:.0%}; HHI {conc.hhi:,.0f}")
    sentences = (
        f"Each counterparty's share of the {what} over the whole book; the "
        f"Herfindahl-Hirschman index is the sum of the squared percentage shares, from near 0 "
        f"(many small counterparties) to 10,000 (one).",
        f"{number_word(len(ranked)).capitalize()} counterparties; "
        f"{sum(1 for _n, s in ranked if s > CONCENTRATION_THRESHOLD)} above a third.",
    )
    rows = tuple((name, str(deals_of[name]), format_money(float(totals.commitments[name].sum())),
                  f"{share:.1%}", f"{(100 * share) ** 2:,.0f}") for name, share in ranked)
    rows += (("All", str(len(portfolio.deals)),
              format_money(float(totals.total_commitments.sum())), "100.0%",
              f"{conc.hhi:,.0f}"),)
    chart = ChartSpec("portfolio_shares", f"{what.capitalize()} by counterparty, whole book",
                      "$", "money", (Series(what.capitalize(), np.array(
                          [float(totals.commitments[name].sum()) for name, _s in ranked]),
                          "hbar", _colour(0)),),
                      categories=tuple(name for name, _s in ranked))
    return Section("portfolio_concentration", "Portfolio \u00b7 Concentration", title, sentences,
                   (chart,), (Table("Share by counterparty", (
                       "Counterparty", "Deals", what.capitalize(), "Share", "HHI"),
                       rows),))


def _ends(deal: PortfolioDeal) -> dt.date:
    s = deal.results.schedule
    return to_date(s.month_start[-1]) if len(s) else deal.scenario.contract.start_date


def _calendar(portfolio: Portfolio, by_deal: list[DealFigures], months: tuple[str, ...]
              ) -> Section:
    """When each deal starts and expires, who may end it early and on what
    notice: the dates the book must be renewed or replaced by."""
    totals = portfolio_totals(portfolio)
    order = sorted(by_deal, key=lambda f: (f.last_month, f.deal.counterparty))
    first = order[0]
    last_month = first.commitments[np.flatnonzero(first.commitments)[-1]] \
        if np.flatnonzero(first.commitments).size else 0.0
    what = "capacity to renew or replace" if portfolio.side == "buyer" else "revenue to re-let"
    title = (f"{first.deal.counterparty}'s deal expires first, in {month_text(first.last_month)}: "
             f"{format_money(float(last_month))} a month of {what}")
    sentences = []
    for f in order:
        c = f.deal.scenario.contract
        may = who_may_end(f.deal.scenario)
        sentences.append(
            f"{f.deal.counterparty}: {month_text(f.first_month)} to "
            f"{month_text(f.last_month)} ({c.term_months} months); {may} may end it early"
            + (f", on {c.notice_days} days' notice" if c.terminating_party != "neither" else "")
            + ".")
    rows = tuple((f.deal.counterparty, month_text(f.first_month), month_text(f.last_month),
                  f"{f.deal.scenario.contract.term_months} months",
                  who_may_end(f.deal.scenario),
                  f"{f.deal.scenario.contract.notice_days} days"
                  if f.deal.scenario.contract.terminating_party != "neither" else "\u2014",
                  format_money(float(f.commitments[np.flatnonzero(f.commitments)[-1]]))
                  if np.flatnonzero(f.commitments).size else "\u2014")
                 for f in order)
    chart = ChartSpec("portfolio_capacity", "GPUs online, all deals", "GPUs", "quantity", (
        Series("GPUs online, all deals", totals.gpus_online, "line", _colour(3)),),
        categories=months)
    return Section("portfolio_calendar", "Portfolio \u00b7 Expiry calendar", title,
                   tuple(sentences[:6]), (chart,),
                   (Table("Dates and rights", ("Counterparty", "Starts", "Expires", "Term",
                                              "May end early", "Notice",
                                              "Last month"), rows),))


def _basis(deal: PortfolioDeal) -> str:
    """Where a deal's terms come from, short: the public record's label and date."""
    if deal.public is not None:
        labels = sorted({f.label for f in deal.public.figures().values()})
        dates = sorted({f.date for f in deal.public.figures().values()})
        stated = (f"the public deal {deal.public.key} [{'/'.join(labels)}] "
                  f"{dates[-1] if dates else ''}").strip()
    else:
        stated = "its own inputs [D]"
    return stated + (f"; {len(deal.assumptions)} assumed" if deal.assumptions else "")


def _deals(portfolio: Portfolio, by_deal: list[DealFigures]) -> Section:
    whole = sum(f.total for f in by_deal)
    largest = max(by_deal, key=lambda f: f.total)
    what = what_is_committed(portfolio.side)
    title = (f"{number_word(len(by_deal)).capitalize()} deals, {format_money(whole)} of {what}: "
             f"the largest {largest.deal.counterparty}'s {format_money(largest.total)}")
    headers: tuple[str, ...] = ("Counterparty", "Starts", "Term", "First month's fee",
                                what.capitalize(), "Share")
    if portfolio.side == "buyer":
        headers += ("Peak walk-away",)
    rows = []
    for f in sorted(by_deal, key=lambda f: -f.total):
        d = f.deal
        s = d.results.schedule
        row: tuple[str, ...] = (
            d.counterparty, month_text(f.first_month), f"{d.scenario.contract.term_months} months",
            format_money(float(s.monthly_fee[0])) if len(s) else "\u2014",
            format_money(f.total), f"{f.total / whole:.1%}" if whole > 0 else "\u2014")
        if portfolio.side == "buyer":
            row += (format_money(float(f.walkaway_exposure.max())),)
        rows.append(row)
    sentences = (
        f"Each deal's {what} {'are' if portfolio.side == 'buyer' else 'is'} the model's [D], "
        f"computed from its terms; where the terms "
        f"come from and what was assumed are listed under Sources.",
        *(f"{d.counterparty}: the scenario \u201c{d.scenario.name}\u201d; terms from "
          f"{_basis(d)}." for d in portfolio.deals),
    )
    return Section("portfolio_deals", "Portfolio \u00b7 The deals", title, sentences, (),
                   (Table("Deal by deal", headers, tuple(rows)),))


def _figure_text(name: str, figure: DealFigure) -> str:
    if name.startswith("value"):
        number = format_money(figure.value)
    elif name == "term_months":
        number = f"{figure.value:,.0f} months"
    elif name == "mw":
        return f"{BOUNDS[figure.bound]}{format_count(figure.value)} MW"
    else:
        return f"{BOUNDS[figure.bound]}{format_count(figure.value)} GPUs"
    return f"{FIGURE_WORDS[name]} {BOUNDS[figure.bound]}{number}"


def _words(name: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", name.lower())) - {"the", "and", "with", "for", "of"}


def source_lines(portfolio: Portfolio) -> list[str]:
    """Every deal, credit and market figure behind the book, a line each group,
    with its label, date and source; then what each deal assumes."""
    lines: list[str] = []
    for deal in portfolio.deals:
        if deal.public is not None:
            groups: dict[tuple[str, str, str], list[str]] = {}
            for name, figure in deal.public.figures().items():
                groups.setdefault((figure.label, figure.date, figure.source), []).append(
                    _figure_text(name, figure))
            stated = "; ".join(f"{', '.join(texts)} [{label}] {date}, {source}"
                               for (label, date, source), texts in groups.items())
            lines.append(f"{deal.counterparty} (public deal {deal.public.key}): {stated}.")
        else:
            lines.append(f"{deal.counterparty}: the terms of the scenario "
                         f"\u201c{deal.scenario.name}\u201d [D] (its inputs, listed in its own "
                         f"pack and workbook).")
    for deal in portfolio.deals:
        if deal.assumptions:
            lines.append(f"Assumed for {deal.counterparty}: {'; '.join(deal.assumptions)}.")
    side = "provider" if portfolio.side == "buyer" else "buyer"
    for deal in portfolio.deals:
        party = deal.scenario.credit.party(side)
        line = f"Credit of {deal.counterparty}: {credit.describe(party)}"
        if not _words(party.name) & _words(deal.counterparty):
            line += (f"; not {deal.counterparty}'s own: the scenario's credit inputs for the "
                     f"{side} stand in")
        lines.append(line + ".")
    lines.append(f"Default correlation between counterparties (the joint simulation): "
                 f"{portfolio.default_correlation_pct:g}%"
                 + (f" {DEFAULT_CORRELATION_SOURCE}." if portfolio.default_correlation_pct
                    == DEFAULT_CORRELATION_PCT else " [E] the portfolio file's."))
    rents: dict[tuple[str, str, str], set[str]] = {}
    for deal in portfolio.deals:
        models = {t.gpu_model for t in deal.scenario.hardware.tranches}
        for rent in deal.scenario.market.rents:
            if rent.gpu_model in models:
                rents.setdefault((rent.label, rent.as_of, rent.source), set()).add(
                    f"{rent.gpu_model} ${rent.rent_per_gpu_hour:,.2f}")
    for (label, as_of, source), texts in rents.items():
        lines.append(f"Market rents per GPU-hour of the deals' GPUs: {', '.join(sorted(texts))} "
                     f"{label} {as_of}, {source}.")
    return lines


def _sources(portfolio: Portfolio, per_page: int) -> list[Section]:
    """The source lines on pages of at most `per_page` characters."""
    pages: list[list[str]] = [[]]
    for line in source_lines(portfolio):
        if pages[-1] and sum(map(len, pages[-1])) + len(line) > per_page:
            pages.append([])
        pages[-1].append(line)
    title = ("Every deal, credit and market figure with its label, date and source: "
             "[R] reported, [E] estimate, [D] derived")
    return [Section("portfolio_sources", "Portfolio \u00b7 Sources"
                    + (f" ({i + 1} of {len(pages)})" if len(pages) > 1 else ""),
                    title, tuple(page)) for i, page in enumerate(pages)]


def _lower_first(text: str) -> str:
    """"Buyer's total cost (PV)" as a phrase's inner words: "buyer's total cost (PV)"."""
    return text[:1].lower() + text[1:]


def joint_simulation(portfolio: Portfolio, paths: int | None = None,
                     seed: int | None = None) -> PortfolioRisk:
    """The book's joint simulation on `paths` paths from `seed` (defaults:
    core.portfolio_risk's, as `main.py portfolio` runs it)."""
    return simulate_portfolio(portfolio, DEFAULT_PATHS if paths is None else paths,
                              DEFAULT_SEED if seed is None else seed)


def risk_section(portfolio: Portfolio, risk: PortfolioRisk) -> Section:
    """The joint simulation (core/portfolio_risk.py's PortfolioRisk): every deal
    on the same market paths, each counterparty's default drawn on them; the
    book's P5-P95, its mean, and each deal's contribution to its spread, with
    the paths and the seed stated."""
    from core.monte_carlo import histogram
    name = risk.figure_label
    title = (f"{name}: {format_money(risk.p5)} to {format_money(risk.p95)} (P5-P95), mean "
             f"{format_money(risk.mean)}")
    top = max(risk.contributions, key=lambda c: c.share, default=None)
    if top is not None and top.share > 0:
        title += f"; {top.counterparty} drives {top.share:.0%} of the spread"
    chances = sorted(dict(risk.default_probability).items(), key=lambda kv: -kv[1])
    sentences = [
        f"Every deal on the same simulated market paths, each counterparty's default drawn "
        f"once for all its deals: {risk.paths:,} paths, seed {risk.seed} [D]; default "
        f"correlation {risk.default_correlation_pct:g}%.",
        f"Without a default: {format_money(risk.deterministic)}; defaults cost "
        f"{format_money(risk.expected_credit_loss)} on average; median "
        f"{format_money(risk.p50)}, standard deviation {format_money(risk.std)}.",
        "Chance of default before its last deal ends: " + "; ".join(
            f"{who} {chance:.1%}" for who, chance in chances) + ".",
        *risk.notes[:2],
    ]
    rows = tuple((c.counterparty, format_money(c.deterministic), format_money(c.mean),
                  format_money(c.contribution), f"{c.share:.1%}")
                 for c in sorted(risk.contributions, key=lambda c: -abs(c.contribution)))
    charts: tuple[ChartSpec, ...] = ()
    edges, counts = histogram(np.asarray(risk.outcomes, dtype=float), bins=20)
    if counts.size:
        middles = (edges[:-1] + edges[1:]) / 2
        charts = (ChartSpec("portfolio_risk", f"Distribution of the {_lower_first(name)} over "
                                              f"{risk.paths:,} paths", "paths", "quantity",
                            (Series("Paths", counts.astype(float), "bar", _colour(1)),),
                            categories=tuple(format_money(float(m)) for m in middles)),)
    return Section("portfolio_risk", "Portfolio \u00b7 Joint simulation", title,
                   tuple(sentences), charts,
                   (Table(f"Each deal's contribution to the spread of the {_lower_first(name)}",
                          ("Counterparty", "If none defaults", "Mean", "Adds to std",
                           "Share of std"), rows),))


def _risk(portfolio: Portfolio, risk: PortfolioRisk | None) -> list[Section]:
    """Hook for the joint simulation: its section when a result is given."""
    return [] if risk is None else [risk_section(portfolio, risk)]


def portfolio_pack(portfolio: Portfolio, risk: PortfolioRisk | None = None,
                   source_characters: int = SOURCE_CHARACTERS_PER_PAGE) -> list[Section]:
    """The portfolio's sections in order: the book and its finding, the
    concentration, the expiry calendar, the deals, the joint simulation
    (with `risk`), and the sources, `source_characters` of them a page (a
    slide's worth by default; REPORT_SOURCE_CHARACTERS_PER_PAGE for the report)."""
    totals = portfolio_totals(portfolio)
    months = tuple(month_text(m) for m in totals.months)
    by_deal = deal_figures(portfolio)
    return [_overview(portfolio, months), key_figures_section(portfolio, by_deal, months),
            _concentration(portfolio),
            _calendar(portfolio, by_deal, months), _deals(portfolio, by_deal),
            *_risk(portfolio, risk), *_sources(portfolio, source_characters)]


# What each portfolio chart rests on: its footnote in the deck.
CHART_ASSUMPTIONS = {
    "portfolio_commitments": "each deal's months placed in the calendar month they start in",
    "portfolio_exposure": "notice given on every deal on the month's first day; a deal that "
                          "cannot be ended counts its remaining payments",
    "portfolio_shares": "each counterparty's total over the whole book",
    "portfolio_capacity": "each tranche counted from its online date, pro rata by days",
    "portfolio_risk": "every deal on the same simulated market paths and counterparty defaults",
}


def portfolio_chart_source(portfolio: Portfolio, key: str) -> str:
    """The footnote under a portfolio chart: where it comes from and what it assumes."""
    assumption = CHART_ASSUMPTIONS.get(key)
    return (f"Source: Compute Deal Modeler, portfolio \u201c{portfolio.name}\u201d: [D] derived "
            f"from each deal's terms (sources listed at the end)"
            + (f"; {assumption}." if assumption else "."))
