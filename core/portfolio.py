"""A portfolio: several compute deals seen from one party, a buyer's compute
book or a provider's backlog, added up month by month.

A portfolio file (JSON, `FORMAT_NAME`) names the party and its side and holds
the deals, each a scenario with its counterparty: either a whole scenario
object (as a scenario file stores one, core/scenario_file.py) or a public deal
by its key in resources/public_deals.json, opened as core.deals.deal_scenario
opens it (its unknowns filled by stated assumptions), with optional
`changes` to its sections.  Every assumption and estimate is listed with the
deal it belongs to.

Totals (`portfolio_totals`) put every deal's monthly schedule on one calendar
(each contract period counted in the calendar month it starts in) and add:
commitments by counterparty (the buyer's payments, or the provider's
revenue), capacity (GPUs, IT MW and H100e online) and the buyer's walk-away
exposure.  Concentration (`concentration`): each counterparty's share of the
commitments over the whole book, the largest share and the
Herfindahl-Hirschman index (sum of squared percentage shares, 0 to 10,000),
with a finding when one counterparty holds more than a third.

The joint simulation on common market paths with correlated counterparty
defaults is core/portfolio_risk.py; its one input of the book,
`default_correlation_pct`, is stored in the file (optional: DEFAULT_CORRELATION_PCT).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.deals import Deal, DealFileError, deal_scenario, public_deals
from core.engine import Results, compute
from core.formatting import format_money
from core.parameters import ParameterError, Scenario
from core.scenario_file import (ScenarioFileError, _decode_object,
                                _parse_float, _parse_int, _read_regular_file,
                                _reject_duplicate_keys)

FORMAT_NAME = "compute-deal-modeler/portfolio"
FORMAT_VERSION = 1
SIDES = ("buyer", "provider")
MAX_DEALS = 200
TOP_LEVEL = ("format", "version", "name", "party", "side", "about", "deals",
             "default_correlation_pct")
CONCENTRATION_THRESHOLD = 1 / 3
# The counterparties' default correlation (core/portfolio_risk.py): the
# correlation of their latent credit variables in a one-factor Gaussian copula.
# [E] Basel II's internal-ratings formula gives corporates 12% to 24%; the
# midpoint-high 20% is assumed, as AI compute counterparties share one boom.
# A file without the field reads with it.
DEFAULT_CORRELATION_PCT = 20.0
DEFAULT_CORRELATION_SOURCE = ("[E] assumed: Basel II IRB asset correlation for corporates, "
                              "12-24% (BCBS, June 2006, paragraph 272)")
EXAMPLE_PATH = Path(__file__).resolve().parents[1] / "resources" / "example_portfolio.json"


class PortfolioFileError(ScenarioFileError):
    """A portfolio file was refused: one line naming the file, the deal and the field."""


@dataclass(frozen=True)
class PortfolioDeal:
    counterparty: str
    scenario: Scenario
    assumptions: tuple[str, ...]     # what was assumed or estimated, each said so
    results: Results
    public: Deal | None = None       # the public deal it was opened from (its figures' sources)


@dataclass(frozen=True)
class Portfolio:
    name: str
    party: str
    side: str                        # buyer or provider
    deals: tuple[PortfolioDeal, ...]
    # The counterparties' default correlation, % (DEFAULT_CORRELATION_PCT's note).
    default_correlation_pct: float = DEFAULT_CORRELATION_PCT


# --- reading -------------------------------------------------------------------------

def _text(data: dict, name: str, where: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise PortfolioFileError("expected text of 1 to 200 characters", f"{where}{name}")
    return value


def _deal(data: Any, index: int, public: dict) -> PortfolioDeal:
    where = f"deals[{index}]"
    if not isinstance(data, dict):
        raise PortfolioFileError("expected an object", where)
    known = ("counterparty", "scenario", "public_deal", "changes", "assumptions")
    for key in data:
        if key not in known:
            raise PortfolioFileError(f"unknown field; a portfolio deal has {', '.join(known)}",
                                     f"{where}.{str(key)[:40]}")
    counterparty = _text(data, "counterparty", f"{where}.")
    stated = data.get("assumptions", [])
    if not isinstance(stated, list) or not all(isinstance(a, str) for a in stated):
        raise PortfolioFileError("expected a list of texts", f"{where}.assumptions")
    if ("scenario" in data) == ("public_deal" in data):
        raise PortfolioFileError("expected either a scenario or a public_deal key", where)
    if "scenario" in data:
        scenario = _decode_object(Scenario, data["scenario"], f"{where}.scenario", False)
        assumed: tuple[str, ...] = ()
        record = None
    else:
        key = data["public_deal"]
        if key not in public:
            raise PortfolioFileError(f"no public deal {str(key)[:40]!r}; deals: "
                                     f"{', '.join(public)}", f"{where}.public_deal")
        record = public[key]
        scenario, assumed = deal_scenario(record)
    changes = data.get("changes", {})
    if not isinstance(changes, dict):
        raise PortfolioFileError("expected an object of sections", f"{where}.changes")
    for section, fields in changes.items():
        if section not in Scenario.SECTIONS or not isinstance(fields, dict):
            raise PortfolioFileError(f"expected an object of fields of one of "
                                     f"{', '.join(Scenario.SECTIONS)}",
                                     f"{where}.changes.{str(section)[:40]}")
        try:
            scenario = scenario.with_changes(section, **fields)
        except (ParameterError, TypeError) as error:
            raise PortfolioFileError(str(error), f"{where}.changes.{section}") from None
    return PortfolioDeal(counterparty, scenario, tuple(stated) + assumed, compute(scenario),
                         record)


def decode_portfolio(document: Any) -> Portfolio:
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise PortfolioFileError(f"not a portfolio file (expected \"format\": \"{FORMAT_NAME}\")",
                                 "format")
    if document.get("version") != FORMAT_VERSION:
        raise PortfolioFileError(f"expected version {FORMAT_VERSION}", "version")
    for name in document:
        if name not in TOP_LEVEL:
            raise PortfolioFileError(f"unknown field; a portfolio file has {', '.join(TOP_LEVEL)}",
                                     str(name)[:40])
    side = document.get("side")
    if side not in SIDES:
        raise PortfolioFileError("expected buyer or provider", "side")
    raw = document.get("deals")
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_DEALS:
        raise PortfolioFileError(f"expected a list of 1 to {MAX_DEALS} deals", "deals")
    correlation = document.get("default_correlation_pct", DEFAULT_CORRELATION_PCT)
    if (isinstance(correlation, bool) or not isinstance(correlation, (int, float))
            or not 0.0 <= correlation <= 100.0):
        raise PortfolioFileError("expected a number from 0 to 100 (%)", "default_correlation_pct")
    public = {d.key: d for d in public_deals()}
    deals = tuple(_deal(item, i, public) for i, item in enumerate(raw))
    return Portfolio(_text(document, "name", ""), _text(document, "party", ""), side, deals,
                     float(correlation))


def read_portfolio(path: str | os.PathLike) -> Portfolio:
    """A portfolio file; PortfolioFileError (one line naming the file, the deal
    and the field) on any problem.  Never writes."""
    path = Path(path)
    try:
        data = _read_regular_file(path)
        document = json.loads(data.decode("utf-8-sig"), object_pairs_hook=_reject_duplicate_keys,
                              parse_int=_parse_int, parse_float=_parse_float)
        return decode_portfolio(document)
    except UnicodeDecodeError:
        raise PortfolioFileError("not UTF-8 text; expected a JSON portfolio file",
                                 file=path) from None
    except json.JSONDecodeError as error:
        raise PortfolioFileError(f"not valid JSON ({error.msg} at line {error.lineno}); "
                                 f"expected a JSON portfolio file", file=path) from None
    except (ScenarioFileError, DealFileError) as error:
        raise PortfolioFileError(error.detail, error.field, path) from None


# --- totals month by month -------------------------------------------------------------

@dataclass(frozen=True)
class PortfolioTotals:
    """The book on one calendar: `months` are the first days of the calendar
    months (datetime64[M]); every array has one value a month."""
    months: np.ndarray
    commitments: dict[str, np.ndarray]   # by counterparty: payments (buyer) / revenue (provider)
    total_commitments: np.ndarray
    gpus_online: np.ndarray
    it_mw_online: np.ndarray
    h100e_online: np.ndarray
    walkaway_exposure: np.ndarray        # the buyer's, summed over the deals


def _commitment(deal: PortfolioDeal, side: str) -> np.ndarray:
    s = deal.results.schedule
    return s.payment if side == "buyer" else s.provider_revenue


def _on_calendar(deal: PortfolioDeal, side: str, first: np.datetime64, n: int) -> np.ndarray:
    """(5, n): the deal's commitments, GPUs, IT MW, H100e online and walk-away
    exposure, each period in the calendar month it starts in."""
    s = deal.results.schedule
    index = (s.month_start.astype("datetime64[M]") - first).astype(int)
    rows = (_commitment(deal, side), s.gpus_online, s.it_mw_online, s.h100e_online,
            s.walkaway_exposure)
    return np.array([np.bincount(index, weights=r, minlength=n) for r in rows])


def _month(day: np.datetime64) -> int:
    """The calendar month a day falls in, as months since 1970-01."""
    return int(day.astype("datetime64[M]").astype(np.int64))


def portfolio_totals(portfolio: Portfolio, kept: dict | None = None) -> PortfolioTotals:
    """Each deal's monthly figures placed in the calendar month its period
    starts in, then added: the portfolio's month m = sum over deals of the
    deal's periods starting in month m.  `kept`: a dict this function fills
    and reads back, so that an edit of one deal works out that deal alone
    (the Portfolio tab): under "deals", by each deal's results, its first and
    last month and its figures placed on the calendar (kept while the
    results, the side and the calendar are the same); under
    "commitments", by counterparty, its deals' placed figures and their
    commitments added up (kept while those are the same arrays).  The
    capacity and exposure sums are always taken again over every deal's
    placed figures, in the book's order (50 deals x 240 months x 5 figures:
    microseconds), and a counterparty's commitments are added again, in the
    same order, whenever one of its deals changed: a kept book's totals are
    the same numbers as a fresh one's, never drifting as a running total
    would."""
    side = portfolio.side
    held = kept.get("deals", {}) if kept is not None else {}
    # Each deal: [results, first month, last month, where placed, placed figures].
    entries = []
    for deal in portfolio.deals:
        entry = held.get(id(deal.results))
        if entry is None or entry[0] is not deal.results:
            months = deal.results.schedule.month_start
            entry = [deal.results, _month(months[0]), _month(months[-1]), None, None]
        entries.append(entry)
    # The calendar: from the earliest first period to the latest last one.
    first_index = min(entry[1] for entry in entries)
    n = max(entry[2] for entry in entries) - first_index + 1
    first = np.datetime64(first_index, "M")
    months = np.arange(first, first + np.timedelta64(n, "M"), dtype="datetime64[M]")
    where = (side, first_index, n)
    placed = []
    for deal, entry in zip(portfolio.deals, entries):
        if entry[3] != where:
            entry[3:] = (where, _on_calendar(deal, side, first, n))
        placed.append(entry[4])
    # Each counterparty's deals' placed figures, in the book's order.
    groups: dict[str, list[np.ndarray]] = {}
    for deal, rows in zip(portfolio.deals, placed):
        groups.setdefault(deal.counterparty, []).append(rows)
    held_sums = kept.get("commitments", {}) if kept is not None else {}
    sums = {}
    for counterparty, members in groups.items():
        entry = held_sums.get(counterparty)
        if entry is None or len(entry[0]) != len(members) or any(
                a is not b for a, b in zip(entry[0], members)):
            total = members[0][0].copy()
            for rows in members[1:]:
                total = total + rows[0]
            entry = (members, total)
        sums[counterparty] = entry
    if kept is not None:
        kept["deals"] = {id(entry[0]): entry for entry in entries}
        kept["commitments"] = sums
    commitments = {counterparty: entry[1] for counterparty, entry in sums.items()}
    gpus, mw, h100e, exposure = np.sum(placed, axis=0)[1:]
    total = np.sum(list(commitments.values()), axis=0)
    return PortfolioTotals(months, commitments, total, gpus, mw, h100e, exposure)


# --- concentration ---------------------------------------------------------------------

@dataclass(frozen=True)
class Concentration:
    shares: dict[str, float]             # counterparty -> share of the book's commitments
    largest: str
    largest_share: float
    hhi: float                           # sum of (share x 100)^2: 0 to 10,000
    finding: str                         # "" unless one counterparty holds more than a third


def concentration(portfolio: Portfolio, kept: dict | None = None) -> Concentration:
    """Shares of the commitments over the whole book (buyer: payments;
    provider: revenue), the largest, and HHI = sum of squared percentage shares.
    `kept`: a dict this function fills with each deal's commitments over its
    term and reads back while the deal's results and the side are the same
    (an edit of one deal adds up that deal's alone: the Portfolio tab)."""
    side = portfolio.side
    old = kept if kept is not None else {}
    now: dict = {}
    totals: dict[str, float] = {}
    for deal in portfolio.deals:
        entry = old.get(id(deal.results))
        if entry is None or entry[0] is not deal.results or entry[1] != side:
            entry = (deal.results, side, float(_commitment(deal, side).sum()))
        now[id(deal.results)] = entry
        totals[deal.counterparty] = totals.get(deal.counterparty, 0.0) + entry[2]
    if kept is not None:
        kept.clear()
        kept.update(now)
    whole = sum(totals.values())
    shares = {name: (value / whole if whole > 0 else 0.0) for name, value in totals.items()}
    largest = max(shares, key=shares.__getitem__)
    hhi = sum((100 * share) ** 2 for share in shares.values())
    what = "commitments" if portfolio.side == "buyer" else "revenue"
    finding = ""
    if shares[largest] > CONCENTRATION_THRESHOLD:
        finding = (f"{largest} holds {shares[largest]:.0%} of {portfolio.party}'s {what} "
                   f"({format_money(totals[largest])} of {format_money(whole)}): more than a "
                   f"third; HHI {hhi:,.0f}.")
    return Concentration(shares, largest, shares[largest], hhi, finding)


# --- key figures (the command line) --------------------------------------------------------

def key_figures(portfolio: Portfolio) -> dict[str, Any]:
    """The portfolio's key figures as plain data (dollars, months, MW, GPUs)."""
    totals = portfolio_totals(portfolio)
    conc = concentration(portfolio)
    peak = int(np.argmax(totals.walkaway_exposure))
    return {
        "name": portfolio.name, "party": portfolio.party, "side": portfolio.side,
        "deals": [{"counterparty": d.counterparty, "scenario": d.scenario.name,
                   "start": d.scenario.contract.start_date.isoformat(),
                   "term_months": d.scenario.contract.term_months,
                   "total_contract_value": d.results.key_figures.total_contract_value,
                   "assumptions": list(d.assumptions)} for d in portfolio.deals],
        "first_month": str(totals.months[0]), "last_month": str(totals.months[-1]),
        "total_commitments": float(totals.total_commitments.sum()),
        "commitments_by_counterparty": {k: float(v.sum()) for k, v in totals.commitments.items()},
        "peak_monthly_commitment": float(totals.total_commitments.max()),
        "peak_gpus_online": float(totals.gpus_online.max()),
        "peak_it_mw_online": float(totals.it_mw_online.max()),
        "peak_h100e_online": float(totals.h100e_online.max()),
        "peak_walkaway_exposure": float(totals.walkaway_exposure[peak]),
        "peak_walkaway_month": str(totals.months[peak]),
        "shares": conc.shares, "largest_counterparty": conc.largest,
        "largest_share": conc.largest_share, "hhi": conc.hhi, "finding": conc.finding,
    }


def key_figures_text(figures: dict[str, Any]) -> str:
    side = "commitments" if figures["side"] == "buyer" else "revenue"
    lines = [f"{figures['name']}: {figures['party']} as {figures['side']}, "
             f"{len(figures['deals'])} deals, {figures['first_month']} to {figures['last_month']}"]
    for d in figures["deals"]:
        lines.append(f"  {d['counterparty']}: {format_money(d['total_contract_value'])} over "
                     f"{d['term_months']} months from {d['start']}"
                     + (f" (assumed: {'; '.join(d['assumptions'])})" if d["assumptions"] else ""))
    lines += [
        f"Total {side}: {format_money(figures['total_commitments'])}",
        f"Peak month: {format_money(figures['peak_monthly_commitment'])}",
        f"Peak capacity: {figures['peak_gpus_online']:,.0f} GPUs, "
        f"{figures['peak_it_mw_online']:,.0f} MW IT, {figures['peak_h100e_online']:,.0f} H100e",
        f"Peak walk-away exposure: {format_money(figures['peak_walkaway_exposure'])} "
        f"({figures['peak_walkaway_month']})",
        f"Largest counterparty: {figures['largest_counterparty']} "
        f"{figures['largest_share']:.1%}; HHI {figures['hhi']:,.0f}",
    ]
    if figures["finding"]:
        lines.append(figures["finding"])
    return "\n".join(lines)


# --- the open scenarios as a book (the Portfolio tab) ----------------------------------------

def portfolio_of_scenarios(scenarios, side: str, results=None,
                           name: str = "Open scenarios",
                           default_correlation_pct: float = DEFAULT_CORRELATION_PCT,
                           kept: dict | None = None) -> Portfolio:
    """Every scenario as one deal of a book: the counterparty is each deal's
    provider (a buyer's compute book) or its buyer (a provider's backlog); the
    party is the name most of them share on the other side.  `results` may
    give some scenarios' results already computed (None for the others).
    `kept`: a dict this function fills with each deal it made, by its
    scenario's identity, and reads back while the deal's scenario, results
    and counterparty are the same (an edit of one deal makes that deal
    alone: the Portfolio tab)."""
    if side not in SIDES:
        raise ValueError(f"side must be one of {', '.join(SIDES)}")
    given = list(results) if results is not None else [None] * len(scenarios)
    old = kept if kept is not None else {}
    now: dict = {}
    deals = []
    for scenario, known in zip(scenarios, given):
        c = scenario.contract
        counterparty = (c.provider if side == "buyer" else c.buyer) or scenario.name
        deal = old.get(id(scenario))
        if deal is None or deal.scenario is not scenario or known is None \
                or deal.results is not known or deal.counterparty != counterparty:
            deal = PortfolioDeal(counterparty, scenario, (),
                                 known if known is not None else compute(scenario))
        now[id(scenario)] = deal
        deals.append(deal)
    if kept is not None:
        kept.clear()
        kept.update(now)
    parties = [(d.scenario.contract.buyer if side == "buyer" else d.scenario.contract.provider)
               for d in deals]
    party = max(set(parties), key=parties.count) if parties else ""
    return Portfolio(name, party, side, tuple(deals), default_correlation_pct)
