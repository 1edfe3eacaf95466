"""The executive summary: the findings a board reads first, computed from the
model, never typed.

Five to eight sentences, each a finding with its figure (formatted as
core.figures declares it): what the deal costs per GPU-hour against renting
and building, what walking away costs each side and when payments stop,
whether capacity meets demand and when it stops, each side's economics, the
probability of a loss once a simulation has run, and then every warning the
engine raised, word for word.  The perspective (buyer, provider or both)
picks the findings that side cares about.

It heads the PDF report, the deck and presentation mode.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from core import figures
from core.calendar import to_date
from core.engine import Results
from core.formatting import format_by, format_percent
from core.parameters import CAPEX_SUNK
from core.termination import party_may_end
from core.walk_away import leaving_headline, leaving_sentence, notice_month

Perspective = Literal["buyer", "provider", "both"]
PERSPECTIVES: tuple[str, ...] = ("buyer", "provider", "both")


@dataclass(frozen=True)
class Finding:
    key: str         # what the finding is about: "unit_cost", "walk_away_buyer", ...
    text: str        # one sentence, ending in a full stop
    side: str        # "buyer", "provider" or "both"


def _f(key: str, value) -> str:
    """A key figure or schedule value as every view shows it."""
    return figures.format_value(key, value)


def _month_and_date(results: Results, month: int) -> str:
    """"month 13 (Jun 2027)" for a 1-based contract month."""
    start = to_date(results.schedule.month_start[month - 1])
    return f"month {month} ({start:%b %Y})"


def walk_away_month(results: Results) -> int:
    """Months elapsed when notice is given in the walk-away findings: the
    scenario's notice month (12, the first anniversary, by default; as the key
    figure "Cost of ending at the notice month"), or the start of the last
    month of a shorter term."""
    return notice_month(results)


def _walk_away_when(results: Results) -> str:
    """"month 12 (notice on 2027-06-01)"."""
    month = walk_away_month(results)
    return (f"month {month} (notice on "
            f"{_f('month_start', results.schedule.month_start[month])})")


def _unit_cost(results: Results) -> Finding:
    k = results.key_figures
    rent = (f"{_f('market_rent_per_gpu_hour', k.market_rent_per_gpu_hour)} (the fleet's "
            f"forward market rents)")
    cheaper = min((k.cloud_cost, "renting"), (k.build_cost, "building"))
    verdict = ("more than" if k.total_contract_value > cheaper[0] else "no more than")
    return Finding("unit_cost", (
        f"The deal costs {_f('price_per_gpu_hour', k.price_per_gpu_hour)} "
        f"({_f('price_per_h100e_hour', k.price_per_h100e_hour)}) against a market rent of "
        f"{rent}: {_f('total_contract_value', k.total_contract_value)} over the term, "
        f"{verdict} renting the same hours ({_f('cloud_cost', k.cloud_cost)}) or building the "
        f"fleet ({_f('build_cost', k.build_cost)})."), "both")


def _walk_away_buyer(results: Results) -> Finding:
    c = results.scenario.contract
    k = results.key_figures
    if not party_may_end(results.scenario, "buyer"):
        return Finding("walk_away_buyer", (
            f"The buyer cannot walk away: the contract lets only the "
            f"{c.terminating_party} end it, so the buyer is committed to "
            f"{_f('total_contract_value', k.total_contract_value)}."), "buyer")
    # Paid to date, the extra cost of leaving and the exposure kept apart (core/walk_away.py).
    return Finding("walk_away_buyer", leaving_sentence(results), "buyer")


def _walk_away_provider(results: Results) -> Finding:
    c = results.scenario.contract
    k = results.key_figures
    if not party_may_end(results.scenario, "provider"):
        return Finding("walk_away_provider", (
            f"The provider cannot walk away: the contract lets only the "
            f"{c.terminating_party} end it, so its NPV is "
            f"{_f('provider_npv', k.provider_npv)} if the buyer stays."), "provider")
    month = walk_away_month(results)
    s = results.schedule
    ended = s.provider_npv_if_ended[month]
    return Finding("walk_away_provider", (
        f"If the provider ends the deal at {_walk_away_when(results)}, payments stop "
        f"{c.notice_days} days later and its NPV is {_f('provider_npv_if_ended', ended)}, "
        f"against {_f('provider_npv', k.provider_npv)} for the full term."), "provider")


def _capacity(results: Results) -> Finding:
    k = results.key_figures
    s = results.schedule
    n = len(s)
    short = np.flatnonzero(np.asarray(s.surplus_tokens_per_s) < 0)
    if short.size == 0:
        text = (f"Capacity meets demand in every month of the {n}-month term "
                f"({_f('tokens_served', k.tokens_served)} served).")
    elif short[0] == 0:
        text = (f"Capacity falls short of demand from the first month: short in "
                f"{k.shortfall_months} of {n} months.")
    else:
        first = int(short[0]) + 1
        text = (f"Capacity meets demand for the first {first - 1} months; from "
                f"{_month_and_date(results, first)} demand exceeds it, short in "
                f"{k.shortfall_months} of {n} months.")
    return Finding("capacity", text, "buyer")


def _buyer_economics(results: Results) -> Finding:
    k = results.key_figures
    rate = format_percent(results.scenario.contract.discount_rate_pct / 100)
    return Finding("buyer_economics", (
        f"Selling the tokens it serves at {_f('token_price_per_million', k.token_price_per_million)} "
        f"(falling yearly) earns the buyer {_f('buyer_revenue', k.buyer_revenue)}, a gross "
        f"margin of {_f('buyer_margin', k.buyer_margin)} and an NPV of "
        f"{_f('buyer_npv', k.buyer_npv)} at {rate}."), "buyer")


def _provider_return(results: Results) -> Finding:
    k = results.key_figures
    scenario = results.scenario
    wacc = format_percent(scenario.contract.provider_wacc_pct / 100)
    if k.provider_irr is None or not np.isfinite(k.provider_irr):
        why = ("no IRR, its capex being sunk" if scenario.hardware.capex_treatment == CAPEX_SUNK
               else "no IRR")
        irr = f"{why},"
    else:
        irr = f"an IRR of {_f('provider_irr', k.provider_irr)}"
    payback = ("it never pays back" if k.provider_payback_month is None
               else f"payback in {_f('provider_payback_month', k.provider_payback_month)}")
    return Finding("provider_return", (
        f"The provider's NPV is {_f('provider_npv', k.provider_npv)} at a {wacc} WACC, with "
        f"{irr} and {payback}, on revenue of {_f('provider_revenue', k.provider_revenue)} and "
        f"EBITDA of {_f('provider_ebitda', k.provider_ebitda)}."), "provider")


def _risk(simulation) -> Finding:
    spec = simulation.spec
    name = spec.output
    median = _f(name, simulation.outcome_percentiles[50])
    if not figures.below_zero_is_loss(name):   # a cost, a price or a count
        return Finding("risk", (
            f"In {spec.paths:,} simulated paths (seed {spec.seed}) the median of "
            f"{figures.label(name)} is {median} (P5 {_f(name, simulation.outcome_percentiles[5])}, "
            f"P95 {_f(name, simulation.outcome_percentiles[95])})."), figures.output(name).side)
    return Finding("risk", (
        f"In {spec.paths:,} simulated paths (seed {spec.seed}) the probability of a loss "
        f"({figures.label(name)} below zero) is {format_percent(simulation.probability_of_loss)}"
        f"; the median is {median}."),
        figures.output(name).side)


def _applies(side: str, perspective: str) -> bool:
    return perspective == "both" or side in ("both", perspective)


def executive_summary(results: Results, perspective: str = "both",
                      simulation=None) -> list[Finding]:
    """The findings for `perspective`, most important first, then every
    warning.  `simulation` is a core.monte_carlo.SimulationResult, or None
    before one has run (the risk finding is then left out)."""
    if perspective not in PERSPECTIVES:
        raise ValueError(f"perspective must be one of {', '.join(PERSPECTIVES)}; "
                         f"got {perspective!r}")
    if len(results.schedule) == 0:
        findings = [Finding("empty", "The term has no months: there is nothing to value.",
                            "both")]
    else:
        findings = [_unit_cost(results), _walk_away_buyer(results),
                    _walk_away_provider(results), _capacity(results),
                    _buyer_economics(results), _provider_return(results)]
        if simulation is not None:
            findings.append(_risk(simulation))
        findings = [f for f in findings if _applies(f.side, perspective)]
    findings += [Finding("warning", f"Warning: {text.rstrip('.')}.", "both")
                 for text in results.warnings]
    return findings


def summary_sentences(results: Results, perspective: str = "both",
                      simulation=None) -> list[str]:
    """The summary as plain sentences."""
    return [f.text for f in executive_summary(results, perspective, simulation)]


def walk_away_headline(results: Results) -> str:
    """A title that states the termination finding: "Walking away at month 12
    costs $18.7B; notice takes 90 days"."""
    c = results.scenario.contract
    if len(results.schedule) == 0:
        return "Termination: the term has no months"
    if not party_may_end(results.scenario, "buyer"):
        return f"The buyer cannot walk away; notice takes {c.notice_days} days"
    return leaving_headline(results)
