"""The tornado: every input moved low and high, sorted by swing, checked
against direct recomputation with compute() and against hand-worked values."""
from __future__ import annotations

import dataclasses
import math

import pytest

from core.engine import KeyFigures, compute
from core.figures import CREDIT_FIGURES, result_value
from core.parameters import CAPEX_FOR_DEAL, PRICING_GPU_HOUR, PRICING_MW_MONTH, ParameterError
from core.path_engine import PATH_INPUTS, PATH_OUTPUTS
from core.presets import default_scenario
from core.risk import (UNREAD_INPUTS, InputRef, moved_values, numeric_inputs,
                       output_is_money, output_label, output_names, tornado)

FEE = 1.25e9


def test_inputs_are_the_numeric_fields_of_every_section():
    scenario = default_scenario()
    refs = numeric_inputs(scenario)
    keys = {ref.key for ref in refs}
    expected = {f"{section}.{f.name}" for section in ("contract", "hardware", "projections",
                                                      "market", "credit")
                for f in dataclasses.fields(getattr(scenario, section))
                if f.metadata.get("kind") == "number"}
    assert keys == expected
    assert "contract.monthly_fee" in keys and "contract.buyer" not in keys
    fee = next(r for r in refs if r.key == "contract.monthly_fee")
    assert (fee.label, fee.unit, fee.whole) == ("Monthly fee", "$", False)
    assert next(r for r in refs if r.key == "contract.term_months").whole


def test_outputs_are_the_numeric_key_figures_then_the_credit_figures():
    from core.figures import CREDIT_FIGURES
    assert output_names() == tuple(f.name for f in dataclasses.fields(KeyFigures)
                                   if f.type in ("float", "int")) + tuple(CREDIT_FIGURES)
    assert output_label("npv_payments") == "NPV of payments"
    assert output_label("total_contract_value") == "Total contract value"
    assert output_is_money("total_contract_value") and output_is_money("price_per_mw_month")
    assert not output_is_money("facility_mw") and not output_is_money("term_months")


def test_moves_are_clipped_to_the_range_and_rounded_for_whole_numbers():
    ref = InputRef("hardware", "availability_pct", "Availability", "%", 0.0, 100.0, False)
    assert moved_values(ref, 100.0, -20, 20) == (80.0, 100.0)
    term = InputRef("contract", "term_months", "Term", "months", 1, 240, True)
    assert moved_values(term, 36, -20, 20) == (29, 43)       # 28.8 and 43.2 rounded


def test_tornado_of_total_contract_value_by_hand():
    result = tornado(default_scenario(), "total_contract_value")
    assert result.base_output == 36 * FEE
    first, second = result.rows[:2]
    # Fee 1.0B / 1.5B over 36 months: swing 18.0B, the largest.
    assert first.input.key == "contract.monthly_fee"
    assert (first.low_output, first.high_output) == (36 * 1.0e9, 36 * 1.5e9)
    assert first.swing == pytest.approx(18.0e9)
    # Term 29 / 43 months at 1.25B: swing 17.5B, second.
    assert second.input.key == "contract.term_months"
    assert (second.low_input, second.high_input) == (29, 43)
    assert (second.low_output, second.high_output) == (29 * FEE, 43 * FEE)
    # Inputs the total does not depend on have no bar, and sort last.
    demand = next(r for r in result.rows if r.input.key == "projections.demand_tokens_per_s")
    assert demand.swing == 0 and result.rows[-1].swing == 0


def test_tornado_rows_equal_direct_recomputation_and_are_sorted():
    scenario = default_scenario()
    result = tornado(scenario, "cost_per_million_tokens")
    swings = [row.swing for row in result.rows]
    assert swings == sorted(swings, reverse=True)
    assert len(result.rows) == len(numeric_inputs(scenario))
    for row in result.rows[:6]:
        for value, got in ((row.low_input, row.low_output), (row.high_input, row.high_output)):
            changed = scenario.with_changes(row.input.section, **{row.input.name: value})
            assert got == compute(changed).key_figures.cost_per_million_tokens
    utilization = next(r for r in result.rows if r.input.key == "hardware.utilization_pct")
    # Token capacity is proportional to utilization: 48% and 72% against the base 60%.
    assert utilization.low_output == pytest.approx(result.base_output * 60 / 48, rel=1e-12)
    assert utilization.high_output == pytest.approx(result.base_output * 60 / 72, rel=1e-12)


def test_per_input_moves_override_the_default():
    result = tornado(default_scenario(), "total_contract_value",
                     moves={"contract.monthly_fee": (-50.0, 10.0)})
    fee = next(r for r in result.rows if r.input.key == "contract.monthly_fee")
    assert (fee.low_input, fee.high_input) == (0.625e9, 1.375e9)
    assert (fee.low_output, fee.high_output) == (36 * 0.625e9, 36 * 1.375e9)
    # Fee swing now 27.0B, still above the term's 17.5B.
    assert result.rows[0] is fee


def test_unknown_output_is_refused():
    with pytest.raises(KeyError):
        tornado(default_scenario(), "not_a_figure")


def _per_case_key_figures(scenario, refs):
    """compute() of every input's low and high case, one at a time (the reference)."""
    out = {}
    for ref in refs:
        low, high = moved_values(ref, ref.value_in(scenario), -20.0, 20.0)
        for value in (low, high):
            try:
                out[ref.key, value] = compute(
                    scenario.with_changes(ref.section, **{ref.name: value}))
            except ParameterError:
                out[ref.key, value] = None
    return out


def _assert_rows_equal_per_case(result, reference):
    for row in result.rows:
        for value, got in ((row.low_input, row.low_output), (row.high_input, row.high_output)):
            figures = reference[row.input.key, value]
            expected = (result_value(figures, result.output) if figures is not None
                        else None)
            expected = math.nan if expected is None else float(expected)
            if math.isnan(expected):
                assert math.isnan(got), (row.input.key, value)
            else:
                assert got == pytest.approx(expected, rel=1e-9, abs=1e-9), (row.input.key, value)


VARIANTS = {
    "reference deal": {},
    "gpu-hour pricing, escalator, intro discount, arrears, fee, SLA shortfall": dict(
        contract=dict(pricing_mode=PRICING_GPU_HOUR, escalator_pct=3.0, intro_months=4,
                      intro_discount_pct=25.0, payment_timing="arrears",
                      termination_fee_months=2.0, term_months=60),
        hardware=dict(availability_pct=97.0)),
    "MW-month pricing, fee follows capacity": dict(
        contract=dict(pricing_mode=PRICING_MW_MONTH, fee_follows_capacity="yes")),
    # The provider's side with an investment: capex, terminal value and an IRR.
    "capex bought for the deal, 48 months": dict(
        contract=dict(term_months=48), hardware=dict(capex_treatment=CAPEX_FOR_DEAL)),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_batched_tornado_equals_per_case_compute_for_every_output(variant):
    scenario = default_scenario()
    for section, changes in VARIANTS[variant].items():
        scenario = scenario.with_changes(section, **changes)
    refs = numeric_inputs(scenario)
    reference = _per_case_key_figures(scenario, refs)
    for output in output_names():
        if output in CREDIT_FIGURES:
            continue    # computed case by case already (no batch to check); worked by hand in
                        # tests/ui/test_credit_figures_in_views.py
        _assert_rows_equal_per_case(tornado(scenario, output), reference)


@pytest.mark.parametrize("output", ["buyer_npv", "provider_npv", "provider_irr"])
def test_tornado_of_a_path_output_is_one_batched_run(monkeypatch, output):
    import core.risk as risk
    calls = {"compute": 0, "run_paths": 0}
    real_compute, real_run_paths = risk.compute, risk.run_paths

    def counting_compute(scenario):
        calls["compute"] += 1
        return real_compute(scenario)

    def counting_run_paths(scenario, values=None, *args, **kw):
        calls["run_paths"] += 1
        calls["rows"] = len(next(iter(values.values())))
        return real_run_paths(scenario, values, *args, **kw)

    monkeypatch.setattr(risk, "compute", counting_compute)
    monkeypatch.setattr(risk, "run_paths", counting_run_paths)
    scenario = default_scenario()
    result = tornado(scenario, output)
    # The base scenario once; every moved case in one run of the path engine.
    assert calls["compute"] == 1 and calls["run_paths"] == 1
    moved = [ref for ref in numeric_inputs(scenario) if ref.key in PATH_INPUTS]
    assert calls["rows"] <= 2 * len(moved)
    assert len(result.rows) == len(numeric_inputs(scenario))


def test_a_deposit_falls_back_to_per_case_compute_with_the_same_figures():
    # The path engine refuses a deposit, so every case is a compute() of its own.
    scenario = default_scenario().with_changes("contract", prepayment_months=2.0)
    refs = numeric_inputs(scenario)
    reference = _per_case_key_figures(scenario, refs)
    _assert_rows_equal_per_case(tornado(scenario, "buyer_npv"), reference)


def test_unread_inputs_leave_every_path_figure_unchanged():
    # The list the batched tornado relies on, checked against compute itself;
    # every other numeric input is one the path engine reads.
    scenario = default_scenario()
    assert {ref.key for ref in numeric_inputs(scenario)} == PATH_INPUTS | UNREAD_INPUTS
    base = compute(scenario).key_figures
    for ref in numeric_inputs(scenario):
        if ref.key not in UNREAD_INPUTS or ref.key == "contract.prepayment_months":
            continue
        for value in moved_values(ref, ref.value_in(scenario), -50.0, 50.0):
            figures = compute(scenario.with_changes(ref.section, **{ref.name: value})).key_figures
            for name in PATH_OUTPUTS:
                moved, kept = getattr(figures, name), getattr(base, name)
                assert moved == kept or (moved != moved and kept != kept), (ref.key, name)


def test_a_rows_swing_is_its_spread_worked_out_once_and_its_own():
    """TornadoRow.swing is kept once worked out (the views ask it of every row
    at every edit); each row keeps its own: a row made from another by
    dataclasses.replace has the spread of its own outputs."""
    from core.risk import TornadoRow
    row = TornadoRow(input=numeric_inputs(default_scenario())[0], base_input=10.0,
                     low_input=8.0, high_input=12.0, low_output=5.0, high_output=2.0)
    assert row.swing == 3.0 == row.swing          # |2 - 5|
    wider = dataclasses.replace(row, high_output=9.0)
    assert (wider.swing, row.swing) == (4.0, 3.0)  # |9 - 5|, and the first unchanged
    undefined = dataclasses.replace(row, low_output=float("nan"))
    assert undefined.swing == 0.0                  # a move the model refused: no swing
