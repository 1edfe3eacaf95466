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

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from core import figures
from core.calendar import to_date
from core.engine import Results
from core.formatting import format_percent
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


def who_may_end(scenario) -> str:
    """Who the contract lets end it, as a sentence's subject: "either party",
    "the buyer alone", "the provider alone", "neither party"."""
    return {"either": "either party", "buyer": "the buyer alone",
            "provider": "the provider alone", "neither": "neither party"}.get(
        scenario.contract.terminating_party, scenario.contract.terminating_party)


def _walk_away_when(results: Results) -> str:
    """"month 12 (notice on 2027-06-01)"."""
    month = walk_away_month(results)
    return (f"month {month} (notice on "
            f"{_f('month_start', results.schedule.month_start[month])})")


def _provider_price(results: Results) -> Finding:
    """What the provider sells: its price per GPU-hour against the market rent."""
    k = results.key_figures
    rent = (f"{_f('market_rent_per_gpu_hour', k.market_rent_per_gpu_hour)} (the fleet's "
            f"forward market rents)")
    market = float(np.sum(results.schedule.provider_market_rent))
    verdict = "more than" if k.total_contract_value > market else "no more than"
    return Finding("unit_cost", (
        f"The deal sells capacity at {_f('price_per_gpu_hour', k.price_per_gpu_hour)} "
        f"({_f('price_per_h100e_hour', k.price_per_h100e_hour)}) against a market rent of "
        f"{rent}: {_f('total_contract_value', k.total_contract_value)} over the term, "
        f"{verdict} the same capacity would earn at market "
        f"({_f('provider_market_rent', market)})."), "provider")


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
            f"The buyer cannot walk away: the contract lets {who_may_end(results.scenario)} "
            f"end it, so the buyer is committed to "
            f"{_f('total_contract_value', k.total_contract_value)}."), "buyer")
    # Paid to date, the extra cost of leaving and the exposure kept apart (core/walk_away.py).
    return Finding("walk_away_buyer", leaving_sentence(results), "buyer")


def _walk_away_provider(results: Results) -> Finding:
    c = results.scenario.contract
    k = results.key_figures
    if not party_may_end(results.scenario, "provider"):
        return Finding("walk_away_provider", (
            f"The provider cannot walk away: the contract lets {who_may_end(results.scenario)} "
            f"end it, so its NPV is "
            f"{_f('provider_npv', k.provider_npv)} if the buyer stays."), "provider")
    month = walk_away_month(results)
    s = results.schedule
    ended = s.provider_npv_if_ended[month]
    # Where the buyer may terminate too, the schedule's row is the buyer's notice,
    # with the termination fee the provider receives (core/termination.py).
    who = ("the deal ends" if party_may_end(results.scenario, "buyer")
           and c.termination_fee_months else "the provider ends the deal")
    fee = (" (on the buyer's notice, with its termination fee)"
           if who == "the deal ends" else "")
    return Finding("walk_away_provider", (
        f"If {who} at {_walk_away_when(results)}{fee}, payments stop "
        f"{c.notice_days} days later and the provider's NPV is "
        f"{_f('provider_npv_if_ended', ended)}, "
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
    if k.buyer_npv is None or not np.isfinite(k.buyer_npv):
        return Finding("buyer_economics", (
            f"The buyer's revenue, margin and NPV are not stated: "
            f"{undefined_reason(results.scenario, 'buyer_npv')}; its payments are worth "
            f"{_f('npv_payments', k.npv_payments)} today."), "buyer")
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


def _risk(results: Results, simulation) -> Finding:
    statement = risk_statement(results.scenario, simulation)
    return Finding("risk", statement.summary, figures.output(simulation.spec.output).side)


@dataclass(frozen=True)
class RiskStatement:
    """What a simulation supports saying, for the pack, the summary and the Risk tab."""
    headline: str                  # the risk section's title
    sentences: tuple[str, ...]     # the levels, the chance of a loss, what was varied
    summary: str                   # the executive summary's sentence
    defined: bool                  # whether the outcome has any value to state


def varied_text(scenario, spec) -> str:
    """What a simulation varied and how: "monthly fee $1.00B to $1.50B, term
    29 to 43 months (triangular, most likely the scenario's value)"."""
    from core.solve import numeric_input
    parts = []
    for u in spec.uncertainties:
        declared = numeric_input(u.key)
        parts.append(f"{_lower_first(declared.label)} {input_value_text(declared, u.low)} to "
                     f"{input_value_text(declared, u.high)}")
    kinds = sorted({u.distribution for u in spec.uncertainties})
    if not parts:
        varied = "no input"
    else:
        varied = (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0])
        varied += f" ({', '.join(kinds)}, about the scenario's values)"
    c = scenario.contract
    chances = [f"{who} {pct:g}% a month" for who, pct, may in (
        ("buyer", c.buyer_termination_prob_pct, party_may_end(scenario, "buyer")),
        ("provider", c.provider_termination_prob_pct, party_may_end(scenario, "provider")))
        if may and pct > 0]
    if spec.termination and chances:
        varied += f"; notice drawn at the contract's chances ({', '.join(chances)})"
    return varied


def _lower_first(label: str) -> str:
    """A label inside a sentence: "Provider's WACC" -> "provider's WACC"; "PUE" stays."""
    first = label.split(" ")[0]
    return label if first.isupper() else label[0].lower() + label[1:]


def input_value_text(declared, value: float) -> str:
    """An input's value in a sentence: "$1.60 per M tokens", "29 months", "$1B"."""
    unit = declared.unit
    if unit.startswith("$ "):
        return f"${value:,.2f}{unit[1:]}"
    if unit.startswith("$/"):
        return f"${value:,.2f}{unit[1:]}"
    if unit.startswith("%") and math.isfinite(value):
        return f"{value:,.3g}{unit}"           # 9%/yr, 60%, 0%/month
    return declared.text(value, 3)


def undefined_reason(scenario, output: str) -> str:
    """Why `output` is n/a in `scenario`, as a clause."""
    from core.parameters import BUYER_REVENUE_NONE
    if (figures.output(output).side == "buyer"
            and scenario.projections.buyer_revenue_model == BUYER_REVENUE_NONE):
        return "the buyer's revenue is not modelled"
    return "the model gives it no value"


def _share(fraction: float) -> str:
    """A chance as a percentage: two decimals below 1% (0.14%), else one."""
    return format_percent(fraction, 2 if 0 < fraction < 0.01 else 1)


def risk_statement(scenario, simulation) -> RiskStatement:
    """The findings a simulation supports: no range or chance for a figure
    that is n/a; a chance of a loss only where a loss is possible under what
    was varied (core.monte_carlo.worst_outcome), with its standard error when
    below 1%; and always what was varied and how."""
    from core.monte_carlo import PERCENTILES, loss_standard_error, worst_outcome
    spec = simulation.spec
    name = figures.label(spec.output)
    varied = varied_text(scenario, spec)
    runs = f"{spec.paths:,} simulated paths (seed {spec.seed})"
    how = f"varying {varied}" if spec.uncertainties else "with no input varied"
    outcomes = np.asarray(simulation.outcomes, dtype=float)
    defined = int(np.isfinite(outcomes).sum())
    if defined == 0:
        why = undefined_reason(scenario, spec.output)
        headline = f"{name} is not defined here ({why}): no range or chance of a loss is stated"
        sentence = f"{name} is not defined ({why}), so {runs} {how} give it no range."
        return RiskStatement(headline, (sentence,), sentence, False)

    def level(q: int) -> str:
        return _f(spec.output, simulation.outcome_percentiles[q])
    spread = f"{name} from {level(5)} (P5) to {level(95)} (P95)"
    levels = f"Simulated {name}: " + ", ".join(f"P{q} {level(q)}" for q in PERCENTILES) + "."
    sentences = [levels]
    if defined < outcomes.size:
        sentences.append(f"{name} is n/a on {outcomes.size - defined:,} of the paths; the "
                         f"levels are of the other {defined:,}.")
    if not figures.below_zero_is_loss(spec.output):   # a cost, a price or a count
        headline = f"Simulated {_lower_first(spread)}"
        summary = (f"In {runs}, {how}, the median of {name} is {level(50)} "
                   f"(P5 {level(5)}, P95 {level(95)}).")
        sentences.append(f"Varied: {varied}.")
        return RiskStatement(headline, tuple(sentences), summary, True)
    try:
        worst = worst_outcome(scenario, spec)
    except ValueError:
        worst = -math.inf
    p = simulation.probability_of_loss
    if math.isfinite(worst) and worst >= 0:
        loss = (f"no loss is possible within what was varied: at the worst of every range "
                f"{name} is {_f(spec.output, worst)}")
        headline = f"No loss within the ranges varied: {spread}"
    elif p == 0:
        bound = 3.0 / spec.paths          # the "rule of three": 95% upper bound on a zero count
        loss = (f"none of the paths ends in a loss ({name} below zero), a chance below "
                f"{_share(bound)} at 95% confidence")
        headline = f"No simulated path loses: {spread}"
    elif p < 0.01:
        error = loss_standard_error(p, spec.paths)
        loss = (f"the chance of a loss ({name} below zero) is {_share(p)} (standard error "
                f"{_share(error)})")
        headline = f"A {_share(p)} chance of a loss (\u00b1{_share(error)}): {spread}"
    else:
        loss = f"the chance of a loss ({name} below zero) is {_share(p)}"
        headline = f"A {_share(p)} chance of a loss: {spread}"
    sentences.append(loss[0].upper() + loss[1:] + ".")
    sentences.append(f"Varied: {varied}.")
    summary = f"In {runs}, {how}, {loss}; the median {name} is {level(50)}."
    return RiskStatement(headline, tuple(sentences), summary, True)


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
        first = _provider_price(results) if perspective == "provider" else _unit_cost(results)
        findings = [first, _walk_away_buyer(results),
                    _walk_away_provider(results), _capacity(results),
                    _buyer_economics(results), _provider_return(results)]
        if simulation is not None:
            findings.append(_risk(results, simulation))
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
