"""Headlines the data supports: what a simulation lets the pack, the summary
and the Risk tab say (core.summary.risk_statement), and what the default
simulation varies (core.monte_carlo.default_spec).

Before: "A 0.0% chance of a loss: Buyer NPV from n/a (P5) to n/a (P95)" on
the OpenAI-Oracle example (the buyer's revenue not modelled), a grey heat map
of 121 n/a cells, the provider's "0.0%" from a simulation of power, PUE and
opex alone while its tornado showed the fee, term and availability swinging
its NPV by $8-16B, and no word of what was varied."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from core import figures
from core.engine import compute
from core.examples import example
from core.export.pack import PackInputs, board_pack, risk_analysis
from core.monte_carlo import (SimulationResult, SimulationSpec, Uncertainty, default_spec,
                              loss_standard_error, simulate, worst_outcome)
from core.presets import default_scenario
from core.summary import executive_summary, risk_statement
from core.sweep import Axis, SweepSpec
from ui.registry import TABS

TAB_KEYS = tuple(tab.key for tab in TABS if tab.exported)
ORACLE = "openai-oracle-2025"


def _text(sections) -> str:
    parts = []
    for s in sections:
        parts += [s.title, *s.sentences]
        parts += [c for t in s.tables for row in t.rows for c in row]
        for chart in s.charts:
            parts += [chart.title, *(x.name for x in chart.series), *(chart.categories or ())]
    return "\n".join(parts)


def test_the_provider_simulation_varies_its_largest_swings():
    spec = default_spec(default_scenario(), "provider_npv")
    keys = [u.key for u in spec.uncertainties]
    # The reading of the provider's tornado: fee, term and availability
    # swing its NPV most ($16B, $13B, $12B); power, PUE and opex barely move it.
    assert keys[:3] == ["contract.monthly_fee", "contract.term_months",
                        "hardware.availability_pct"]
    # Five swings, and the market (issue 25): -/+ 40% / sqrt(3 years) = 23.09%/yr about
    # the flat market's 0%/yr (core.monte_carlo.market_spread_pct).
    assert len(keys) == 6 and keys[-1] == "market.rent_change_pct_per_year"
    market = spec.uncertainties[-1]
    assert (market.low, market.most_likely, market.high) == pytest.approx(
        (-40 / 3 ** 0.5, 0.0, 40 / 3 ** 0.5), rel=1e-12)
    assert "hardware.pue" not in keys
    fee = spec.uncertainties[0]
    assert (fee.low, fee.most_likely, fee.high) == (1.0e9, 1.25e9, 1.5e9)   # -20% / +20%
    term = spec.uncertainties[1]
    assert (term.low, term.high) == (29, 43)     # 36 x 0.8 = 28.8 and 36 x 1.2 = 43.2, whole


def test_the_buyer_simulation_varies_the_fee_too():
    keys = [u.key for u in default_spec(default_scenario(), "buyer_npv").uncertainties]
    assert len(keys) == 6 and "contract.monthly_fee" in keys
    assert keys[-1] == "market.rent_change_pct_per_year"
    assert keys[0] == "projections.token_price_per_million"


def test_worst_outcome_is_the_worst_corner_computed_by_the_engine():
    """The provider's default ranges, the worse end of each: fee $1.0B, term 29
    months, availability 80%, WACC 10.8%, maintenance 3.6% (no termination:
    its chances are zero).  compute() of that scenario is the bound."""
    scenario = default_scenario()
    spec = default_spec(scenario, "provider_npv")
    corner = dataclasses.replace(
        scenario,
        contract=dataclasses.replace(scenario.contract, monthly_fee=1.0e9, term_months=29,
                                     provider_wacc_pct=10.8),
        hardware=dataclasses.replace(scenario.hardware, availability_pct=80.0,
                                     maintenance_pct_per_year=3.6))
    expected = compute(corner).key_figures.provider_npv
    assert worst_outcome(scenario, spec) == pytest.approx(expected, rel=1e-9)
    assert expected > 0


def test_no_chance_of_a_loss_is_stated_where_none_is_possible():
    scenario = default_scenario()
    sim = simulate(scenario, default_spec(scenario, "provider_npv", paths=2_000))
    statement = risk_statement(scenario, sim)
    assert statement.headline.startswith("No loss within the ranges varied: Provider NPV from")
    assert "chance" not in statement.headline
    worst = figures.format_value("provider_npv", worst_outcome(scenario, sim.spec))
    assert f"at the worst of every range Provider NPV is {worst}" in statement.summary
    # ... and the summary says what was varied and how.
    assert ("varying monthly fee $1B to $1.5B, term 29 months to 43 months, availability "
            "80% to 100%") in statement.summary
    assert "(triangular, about the scenario's values)" in statement.summary


def test_a_small_chance_carries_its_standard_error():
    scenario = default_scenario()
    sim = simulate(scenario, default_spec(scenario, "buyer_npv"))
    p = sim.probability_of_loss
    assert 0 < p < 0.01
    # sqrt(p (1 - p) / n): 14 of 10,000 paths -> sqrt(0.0014 x 0.9986 / 10,000) = 0.000374.
    assert loss_standard_error(0.0014, 10_000) == pytest.approx(math.sqrt(0.0014 * 0.9986 / 1e4))
    statement = risk_statement(scenario, sim)
    share = f"{p * 100:.2f}%"
    error = f"{loss_standard_error(p, 10_000) * 100:.2f}%"
    assert statement.headline.startswith(f"A {share} chance of a loss (\u00b1{error}): Buyer NPV")
    assert f"is {share} (standard error {error})" in statement.summary


def test_no_losing_path_where_a_loss_is_possible_gives_a_bound_not_zero():
    """A fee range wide enough for the buyer to lose at its worst corner, but
    no path below zero: the statement gives the 95% bound 3 / n, not "0.0%"."""
    scenario = default_scenario()
    spec = SimulationSpec((Uncertainty("contract.monthly_fee", "triangular", 1.0e9, 1.25e9,
                                       3.0e9),), "buyer_npv", paths=1_000, seed=1)
    assert worst_outcome(scenario, spec) < 0          # a fee of $3B a month loses
    outcomes = np.full(1_000, 5.0e9)                  # yet no path did
    result = SimulationResult(spec, outcomes, {q: 5.0e9 for q in (5, 25, 50, 75, 95)}, 0.0,
                              5.0e9, np.zeros(0, dtype="datetime64[D]"), np.zeros((5, 0)),
                              "cash", 0.0)
    statement = risk_statement(scenario, result)
    assert "0.0%" not in statement.headline and "0.00%" not in statement.summary
    assert "a chance below 0.30% at 95% confidence" in statement.summary   # 3 / 1,000


def test_oracle_packs_state_no_range_or_chance_of_an_undefined_figure():
    scenario = example(ORACLE).scenario
    results = compute(scenario)
    assert results.key_figures.buyer_npv is None or not math.isfinite(
        results.key_figures.buyer_npv)
    for side in ("buyer", "provider", "both"):
        sections = board_pack(PackInputs(results, side, risk_analysis(results, side)), TAB_KEYS)
        text = _text(sections)
        assert "n/a (P5)" not in text and "n/a (P95)" not in text
        assert "0.0% chance" not in text
        assert "earns the buyer n/a" not in text
        for section in sections:
            for chart in section.charts:
                assert chart.has_data(), (section.key, chart.key)
            for heat in section.heat_maps:
                assert np.isfinite(heat.grid.values).any()
    buyer = board_pack(PackInputs(results, "buyer", risk_analysis(results, "buyer")), TAB_KEYS)
    risk = next(s for s in buyer if s.key == "risk")
    # The buyer's NPV is not defined: its risk is shown on what it pays.
    assert risk.title.startswith("Simulated NPV of payments from")
    assert "Buyer NPV is not defined here, so the risk is shown on NPV of payments." \
        in risk.sentences
    summary = next(s for s in buyer if s.key == "summary")
    assert any("The buyer's revenue, margin and NPV are not stated: the buyer's revenue is "
               "not modelled" in s for s in summary.sentences)


def test_a_two_way_table_with_nothing_defined_is_one_line():
    """The app's table of the buyer's NPV on the Oracle example: every cell
    n/a.  Before: a grey heat map and 121 "n/a" cells."""
    results = compute(example(ORACLE).scenario)
    spec = SweepSpec("buyer_npv", Axis("contract.monthly_fee", 2.5e9, 7.5e9, 11),
                     Axis("hardware.utilization_pct", 30.0, 90.0, 11), 0.0)
    sections = board_pack(PackInputs(results, "buyer", sweep=spec), TAB_KEYS)
    two_way = next(s for s in sections if s.key == "two_way")
    assert not two_way.heat_maps and not two_way.tables
    assert two_way.title == "Buyer NPV is not defined over the two-way table"
    assert two_way.sentences == ("Buyer NPV is n/a in every cell of monthly fee x "
                                 "utilization: the buyer's revenue is not modelled.",)


def test_the_provider_summary_keeps_its_risk_sentence():
    results = compute(default_scenario())
    sim = simulate(results.scenario, default_spec(results.scenario, "provider_npv", paths=500))
    findings = executive_summary(results, "provider", sim)
    assert [f.key for f in findings if f.key == "risk"] == ["risk"]
    # A buyer's simulation has no place in the provider's summary.
    buyer_sim = simulate(results.scenario, default_spec(results.scenario, "buyer_npv", paths=500))
    assert "risk" not in [f.key for f in executive_summary(results, "provider", buyer_sim)]


@pytest.mark.parametrize("key", [e.key for e in __import__("core.examples", fromlist=["x"])
                                 .all_examples()])
@pytest.mark.parametrize("side", ["buyer", "provider"])
def test_every_examples_pack_states_only_what_its_data_supports(key, side):
    """Each example of File > Examples, for each side: no n/a range, no chance
    of a loss where none is possible, no chart or map with nothing defined."""
    results = compute(example(key).scenario)
    risk = risk_analysis(results, side)
    sections = board_pack(PackInputs(results, side, risk), TAB_KEYS)
    text = _text(sections)
    assert "n/a (P5)" not in text and "n/a (P95)" not in text and "n/a, a gross" not in text
    for section in sections:
        for chart in section.charts:
            assert chart.has_data(), (section.key, chart.key)
        for heat in section.heat_maps:
            assert np.isfinite(heat.grid.values).any(), section.key
    sim = risk.simulation
    assert sim is not None
    worst = worst_outcome(results.scenario, sim.spec)
    if "chance of a loss" in text:
        assert worst < 0           # stated only where a loss is possible
    # The simulation varies the side's largest swings: the tornado's first five
    # inputs a simulation can vary (fewer only where fewer move the figure), and the
    # market's yearly rent change (issue 25) unless it is among them.
    from core.monte_carlo import MARKET_KEY, TERMINATION_KEYS, simulated_inputs
    varied = {ref.key for ref in simulated_inputs(results.scenario)} - set(TERMINATION_KEYS)
    movers = [row.input.key for row in risk.tornado.rows
              if row.swing > 0 and row.input.key in varied]
    expected = movers[:5] + ([] if MARKET_KEY in movers[:5] else [MARKET_KEY])
    assert [u.key for u in sim.spec.uncertainties] == expected
    assert min(5, len(movers)) >= 4
