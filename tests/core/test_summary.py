"""The executive summary of the default scenario (the Colossus lease: $1.25B a
month for 36 months from 1 June 2026, 90 days' notice, no termination fee),
its figures worked out by hand."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from core.engine import compute
from core.monte_carlo import SimulationResult, SimulationSpec
from core.presets import default_scenario
from core.summary import executive_summary, summary_sentences, walk_away_headline


@pytest.fixture(scope="module")
def results():
    return compute(default_scenario())


def _by_key(findings):
    return {f.key: f.text for f in findings}


def test_both_sides_read_six_findings_and_both_warnings(results):
    findings = executive_summary(results, "both")
    keys = [f.key for f in findings]
    assert keys == ["unit_cost", "walk_away_buyer", "walk_away_provider", "capacity",
                    "buyer_economics", "provider_return", "warning", "warning"]
    text = _by_key(findings)
    # 36 x $1.25B = $45.0B; the cloud rate of the default scenario is $2.50 per H100-hour.
    assert "$45.0B over the term" in text["unit_cost"]
    assert "$7.78/GPU-hour" in text["unit_cost"] and "$2.50/H100e-hour" in text["unit_cost"]
    # Notice on 1 June 2027 after 12 months paid (12 x $1.25B = $15.0B), plus the 90 days'
    # notice to 30 August: June, July and 29/31 of August, $1.25B x 2.935 = $3.669B:
    # $18.67B; $45.0B - $18.67B = $26.3B saved.
    # Paid to date, the extra cost of leaving and the exposure each named (issue 24: "costs
    # $18.7B" counted the $15.0B already paid, and the exposure took the same verb).
    assert text["walk_away_buyer"].startswith(
        "Leaving at month 12 (notice on 2027-06-01): the buyer has paid $15.0B to date and "
        "leaving adds $3.67B (90 days' notice")
    # 1 June 2027 + 90 days = 30 August 2027.
    assert "payments stop on 2027-08-30" in text["walk_away_buyer"]
    assert "$18.7B in all, $26.3B less than running to term" in text["walk_away_buyer"]
    # At the start: 1 June to 30 August, $1.25B x (2 + 29/31) = $3.67B.
    assert ("the walk-away exposure, what leaving adds on the start date, is $3.67B"
            in text["walk_away_buyer"])
    assert "costs" not in text["walk_away_buyer"]
    assert "NPV is $38.0B at a 9.0% WACC" in text["provider_return"]
    assert "capex being sunk" in text["provider_return"]
    assert [f.text for f in findings if f.key == "warning"] == [
        f"Warning: {w.rstrip('.')}." for w in results.warnings]
    assert "more than the contracted 300 MW" in findings[-2].text


def test_capacity_says_when_it_stops_meeting_demand(results):
    text = _by_key(executive_summary(results, "buyer"))["capacity"]
    # Demand grows 2% a month; the fleet is whole from the start, so once demand passes
    # capacity it stays past it: short from month 13 (June 2027) to 36, 24 months.
    assert text == ("Capacity meets demand for the first 12 months; from month 13 (Jun 2027) "
                    "demand exceeds it, short in 24 of 36 months.")


def test_each_side_reads_its_own_findings(results):
    buyer = [f.key for f in executive_summary(results, "buyer")]
    provider = [f.key for f in executive_summary(results, "provider")]
    assert "walk_away_provider" not in buyer and "provider_return" not in buyer
    assert "walk_away_buyer" not in provider and "buyer_economics" not in provider
    assert "walk_away_provider" in provider and "provider_return" in provider
    for side in ("buyer", "provider", "both"):
        assert 5 <= len(summary_sentences(results, side)) <= 8


def test_a_buyer_who_may_not_terminate_is_told_so(results):
    scenario = default_scenario()
    scenario = dataclasses.replace(scenario, contract=dataclasses.replace(
        scenario.contract, terminating_party="provider"))
    text = _by_key(executive_summary(compute(scenario), "buyer"))["walk_away_buyer"]
    assert text.startswith("The buyer cannot walk away") and "$45.0B" in text


def test_probability_of_a_loss_once_a_simulation_has_run(results):
    # Four paths, one below zero: a 25% chance of a loss.
    outcomes = np.array([-1e9, 2e9, 3e9, 4e9])
    simulation = SimulationResult(
        spec=SimulationSpec(output="buyer_npv", paths=4, seed=7), outcomes=outcomes,
        outcome_percentiles={5: -0.4e9, 25: 1.25e9, 50: 2.5e9, 75: 3.25e9, 95: 3.85e9},
        probability_of_loss=0.25, mean=2e9, month_start=np.array([], dtype="datetime64[D]"),
        cash_percentiles=np.zeros((5, 0)), cash_label="", ended_early_share=0.0)
    text = _by_key(executive_summary(results, "buyer", simulation))["risk"]
    assert text == ("In 4 simulated paths (seed 7) the probability of a loss (Buyer NPV below "
                    "zero) is 25.0%; the median is $2.50B.")
    assert "risk" not in _by_key(executive_summary(results, "buyer"))


def test_headline_states_the_walk_away_finding(results):
    # 12 x $1.25B paid = $15.0B; notice to 30 August adds $1.25B x (2 + 29/31) = $3.67B.
    assert walk_away_headline(results) == \
        "Leaving at month 12 adds $3.67B to the $15.0B paid; notice takes 90 days"


def test_unknown_perspective_is_refused(results):
    with pytest.raises(ValueError, match="perspective"):
        executive_summary(results, "lessor")


def test_the_risk_line_of_a_cost_speaks_of_no_loss(results):
    # Walk-away exposure is a cost: below zero it would not be a loss, so the line gives
    # its median and spread, not a "probability of a loss".  Four paths, made up.
    outcomes = np.array([3.5e9, 3.6e9, 3.7e9, 3.8e9])
    simulation = SimulationResult(
        spec=SimulationSpec(output="walkaway_exposure", paths=4, seed=7), outcomes=outcomes,
        outcome_percentiles={5: 3.5e9, 25: 3.55e9, 50: 3.65e9, 75: 3.75e9, 95: 3.8e9},
        probability_of_loss=0.0, mean=3.65e9, month_start=np.array([], dtype="datetime64[D]"),
        cash_percentiles=np.zeros((5, 0)), cash_label="", ended_early_share=0.0)
    text = _by_key(executive_summary(results, "buyer", simulation))["risk"]
    assert text == ("In 4 simulated paths (seed 7) the median of Walk-away exposure is $3.65B "
                    "(P5 $3.50B, P95 $3.80B).")


def test_only_margins_profits_npvs_and_returns_can_be_a_loss():
    from core import figures
    assert figures.below_zero_is_loss("buyer_npv") and figures.below_zero_is_loss("provider_irr")
    assert not figures.below_zero_is_loss("walkaway_exposure")   # a cost
    assert not figures.below_zero_is_loss("price_per_gpu_hour")  # a price
    assert not figures.below_zero_is_loss("shortfall_months")    # a count
    with pytest.raises(KeyError):
        figures.below_zero_is_loss("no_such_figure")
