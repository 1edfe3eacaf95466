"""Goal seek (core/solve.py): answers checked by recomputing, or by hand.

The default scenario bills a fixed $1.25B a month for 36 months with no
escalator and no SLA credits (availability 100% >= SLA 99%), so its total
contract value is fee x term: the hand-worked answers below use that.
"""
import math

import pytest

from core.engine import compute
from core.parameters import CAPEX_FOR_DEAL, CAPEX_SUNK
from core.presets import default_scenario
from core.solve import (FIGURES, SolveError, numeric_input, numeric_inputs, solve)


def test_fee_for_a_provider_irr_of_15_percent_recomputes_to_15_percent():
    scenario = default_scenario().with_changes("hardware", capex_treatment=CAPEX_FOR_DEAL)
    result = solve(scenario, "provider_irr", 0.15, "contract.monthly_fee")
    assert result.reachable
    assert result.iterations > 0
    assert 0 < result.value < scenario.contract.monthly_fee   # 15% needs less than the 202% fee
    again = compute(scenario.with_changes("contract", monthly_fee=result.value))
    assert again.key_figures.provider_irr == pytest.approx(0.15, abs=1e-6)
    assert result.achieved == pytest.approx(0.15, abs=1e-6)
    assert "Monthly fee" in result.message


def test_fee_for_a_contract_value_by_hand():
    # 36 x fee = $36B  ->  fee = $1B.
    result = solve(default_scenario(), "total_contract_value", 36e9, "contract.monthly_fee")
    assert result.reachable
    assert result.value == pytest.approx(1e9, rel=1e-12)
    assert result.sampled_in_one_batch          # TCV and the fee: the vectorised engine


def test_an_unreachable_target_says_so_with_the_closest_value_and_the_range():
    # The fee may go up to $50B: 36 x $50B = $1.8T at most, never $2T.
    result = solve(default_scenario(), "total_contract_value", 2e12, "contract.monthly_fee")
    assert not result.reachable
    assert result.value == 50e9
    assert result.achieved == pytest.approx(1.8e12)
    assert result.figure_range == pytest.approx((0.0, 1.8e12))
    assert result.input_range == (0.0, 50e9)
    assert result.message.startswith("No value of Monthly fee between 0 and 50,000,000,000")
    # The figure as it is shown everywhere: its label and money format.
    assert "Total contract value = $2.00T: it ranges from $0.00 to $1.80T" in result.message


def test_a_narrower_range_is_searched_only():
    # $40B is reached at a fee of $1.11B, outside [$1.2B, $1.3B]: 43.2B..46.8B.
    result = solve(default_scenario(), "total_contract_value", 40e9, "contract.monthly_fee",
                   low=1.2e9, high=1.3e9)
    assert not result.reachable
    assert result.value == 1.2e9
    assert result.figure_range == pytest.approx((43.2e9, 46.8e9))


def test_a_whole_number_input_takes_whole_values():
    # $60B / $1.25B = 48 months exactly; $61B lies between 48 ($60B) and 49 ($61.25B).
    exact = solve(default_scenario(), "total_contract_value", 60e9, "contract.term_months")
    assert exact.reachable and exact.value == 48
    between = solve(default_scenario(), "total_contract_value", 61e9, "contract.term_months")
    assert not between.reachable
    assert between.value == 49 and between.achieved == pytest.approx(61.25e9)
    assert "between 48 and 49" in between.message


def test_a_figure_undefined_over_the_whole_range():
    # Sunk capex: the provider invests nothing, so there is no IRR at any fee.
    scenario = default_scenario().with_changes("hardware", capex_treatment=CAPEX_SUNK)
    result = solve(scenario, "provider_irr", 0.15, "contract.monthly_fee")
    assert not result.reachable
    assert math.isnan(result.value)
    assert "undefined" in result.message
    assert result.as_dict()["value"] is None       # JSON has no NaN


def test_a_figure_that_jumps_over_the_target_is_not_reached():
    # Months short of demand is a count: it steps from 10 to 11, never 10.5.
    result = solve(default_scenario(), "shortfall_months", 10.5,
                   "projections.demand_growth_pct_per_month")
    assert not result.reachable
    assert result.achieved in (10.0, 11.0)
    assert "jumps past" in result.message


def test_the_break_even_fee_for_the_buyer():
    # Buyer's NPV falls as the fee rises: the fee found makes it zero when recomputed.
    scenario = default_scenario()
    result = solve(scenario, "buyer_npv", 0.0, "contract.monthly_fee")
    assert result.reachable
    npv = compute(scenario.with_changes("contract", monthly_fee=result.value)).key_figures.buyer_npv
    assert abs(npv) < 1.0     # within a dollar, on payments worth tens of billions


@pytest.mark.parametrize("figure, vary, message", [
    ("irr", "contract.monthly_fee", "unknown figure 'irr'"),
    ("buyer_npv", "contract.fee", "unknown input 'contract.fee'"),
    ("buyer_npv", "contract.pricing_mode", "unknown input"),
])
def test_bad_requests_are_refused_in_one_line(figure, vary, message):
    with pytest.raises(SolveError, match=message) as error:
        solve(default_scenario(), figure, 0.0, vary)
    assert "\n" not in str(error.value)


def test_a_range_outside_the_inputs_limits_is_refused():
    with pytest.raises(SolveError, match=r"between 0 and 100"):
        solve(default_scenario(), "buyer_npv", 0.0, "hardware.utilization_pct", low=10, high=120)


def test_inputs_and_figures_are_listed_from_the_model():
    keys = [i.key for i in numeric_inputs()]
    assert keys[:2] == ["contract.term_months", "contract.monthly_fee"]
    assert "hardware.utilization_pct" in keys and "market.rent_change_pct_per_year" in keys
    assert "contract.pricing_mode" not in keys            # a choice, not a number
    fee = numeric_input("contract.monthly_fee")
    assert (fee.label, fee.unit, fee.minimum, fee.maximum, fee.whole) == (
        "Monthly fee", "$", 0.0, 50e9, False)
    assert numeric_input("contract.term_months").whole
    assert "provider_irr" in FIGURES and "buyer_npv" in FIGURES


def test_the_answer_shows_the_figure_as_declared_not_a_float():
    """Buyer NPV = 0 is found at a fee of about $1.856B to a billionth of the
    figure's spread: the root leaves a few millionths of a dollar, which the
    message printed as 'buyer_npv = 7.62939e-06'; the figure's label and money
    format say '$0.00' (nothing of it is in cents)."""
    result = solve(default_scenario(), "buyer_npv", 0.0, "contract.monthly_fee")
    assert result.reachable
    assert abs(result.achieved) < 1.0
    assert result.message.startswith("Monthly fee $1,855,")
    assert result.message.endswith("gives Buyer NPV = $0.00")
    assert "e-0" not in result.message and "buyer_npv" not in result.message
