"""Comparison of named scenarios: figures and differences against the base,
checked against hand-computed values."""
import dataclasses

import numpy as np
import pytest

from core.comparison import compare, format_difference
from core.engine import compute
from core.presets import default_scenario


def named(scenario, name):
    return dataclasses.replace(scenario, name=name)


def test_differences_against_the_first_scenario():
    base = named(default_scenario(), "Base")
    bull = named(base.with_changes("contract", monthly_fee=1.5e9), "Bull")
    bear = named(base.with_changes("contract", term_months=24), "Bear")
    result = compare([base, bull, bear])
    assert result.names == ("Base", "Bull", "Bear")
    total = result.row("total_contract_value")
    assert total.values == (45e9, 54e9, 30e9)                # 36 x 1.25, 36 x 1.5, 24 x 1.25
    assert total.differences == (0.0, 9e9, -15e9)
    assert total.relative[1] == pytest.approx(0.2)
    assert total.relative[2] == pytest.approx(-1 / 3)
    assert total.difference_text(1) == "+$9.00B (+20.0%)"
    assert total.difference_text(2) == "\u2212$15.0B (\u221233.3%)"
    term = result.row("term_months")
    assert term.differences == (0, 0, -12)
    assert term.difference_text(2).startswith("\u221212 months")
    assert result.row("gpus").difference_text(1) == "0"


def test_curves_are_each_scenarios_cumulative_payments():
    base = named(default_scenario(), "Base")
    short = named(base.with_changes("contract", term_months=12), "Short")
    result = compare([base, short])
    assert [len(c.cumulative_payment) for c in result.curves] == [36, 12]
    assert result.curves[1].cumulative_payment[-1] == 12 * 1.25e9
    # Step edges: one more than months, the last at the end of the term (1 Jun 2027).
    assert result.curves[1].period_edges[-1] == np.datetime64("2027-06-01")


def test_given_results_are_used_and_undefined_figures_show_a_dash():
    base = named(default_scenario(), "Base")
    empty = named(base.with_changes("hardware", tranches=()), "No GPUs")
    result = compare([base, empty], [compute(base), None])
    price = result.row("price_per_gpu_hour")
    assert price.values[1] is None and price.differences[1] is None
    assert price.value_text(1) == "n/a" and price.difference_text(1) == "n/a"
    assert format_difference("total_contract_value", -1.2e9) == "\u2212$1.20B"
    # A difference too small to show is 0, without a sign (not "−$0.00").
    assert format_difference("total_contract_value", -0.004) == "0"


def test_nothing_to_compare_is_an_error():
    with pytest.raises(ValueError):
        compare([])
