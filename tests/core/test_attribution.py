"""Scenario differences and the waterfall (core/attribution.py)."""
import dataclasses
import datetime as dt

import pytest

from core.attribution import _closing_term, changed_inputs, waterfall
from core.parameters import GpuModel, Tranche
from core.presets import default_scenario
from core.solve import SolveError


def other_deal():
    base = default_scenario()
    changed = (base.with_changes("contract", monthly_fee=1.4e9, term_months=48, escalator_pct=3.0)
               .with_changes("hardware", utilization_pct=70.0))
    return base, dataclasses.replace(changed, name="Renegotiated")


def test_changed_inputs_in_declaration_order_with_labels_units_and_values():
    base, other = other_deal()
    changes = changed_inputs(base, other)
    assert [(c.key, c.label, c.unit, c.old, c.new) for c in changes] == [
        ("contract.term_months", "Term", "months", 36, 48),
        ("contract.monthly_fee", "Monthly fee", "$", 1.25e9, 1.4e9),
        ("contract.escalator_pct", "Annual escalator", "%/yr", 0.0, 3.0),
        ("hardware.utilization_pct", "Utilization", "%", 60.0, 70.0),
    ]
    assert changes[1].old_text() == "$1,250,000,000"
    assert changes[0].new_text() == "48 months"
    assert changed_inputs(base, base) == ()


def test_waterfall_of_the_contract_value_by_hand():
    # Base: 36 x $1.25B = $45B.  Alone: 48 months -> $60B (+15B); $1.4B -> 36 x 1.4
    # = $50.4B (+5.4B); 3%/yr -> 12 x 1.25 x (1 + 1.03 + 1.0609) = $46.3635B
    # (+1.3635B); utilization does not bill.  Together: 12 x 1.4 x (1 + 1.03 +
    # 1.0609 + 1.092727) = $70.2849336B, so +25.2849336B, of which
    # 25.2849336 - 21.7635 = 3.5214336B is interaction.
    base, other = other_deal()
    result = waterfall(base, other, "total_contract_value")
    assert result.base_value == 45e9
    assert result.total == pytest.approx(25.2849336e9, rel=1e-12)
    assert [s.change.key for s in result.steps] == [
        "contract.term_months", "contract.monthly_fee", "contract.escalator_pct",
        "hardware.utilization_pct"]
    assert [s.effect for s in result.steps] == pytest.approx([15e9, 5.4e9, 1.3635e9, 0.0],
                                                             rel=1e-12, abs=1e-3)
    assert result.interaction == pytest.approx(3.5214336e9, rel=1e-9)
    assert result.not_alone == ()


@pytest.mark.parametrize("figure", ["total_contract_value", "buyer_npv", "npv_payments",
                                    "walkaway_exposure", "breakeven_token_price"])
def test_steps_and_interaction_add_up_to_the_total_exactly(figure):
    base, other = other_deal()
    result = waterfall(base, other, figure)
    assert sum(s.effect for s in result.steps) + result.interaction == result.total
    assert result.total == result.other_value - result.base_value
    bars = result.bars()
    assert bars[0][1] == result.base_value
    assert bars[-1][0] == "Interaction"
    assert bars[-1][2] == pytest.approx(result.other_value, rel=1e-12)


def test_an_input_that_cannot_change_alone_goes_into_the_interaction():
    # A tranche of a GPU model only the other scenario defines cannot be added
    # to the base alone (its model is unknown there).
    base = default_scenario()
    hw = base.hardware
    new_model = GpuModel("B300", it_kw_per_gpu=1.9, bf16_dense_tflops=2_500, hbm_gb=288,
                         capex_per_gpu=70_000, tokens_per_s=16_000)
    other = base.with_changes(
        "hardware", gpu_models=hw.gpu_models + (new_model,),
        tranches=hw.tranches + (Tranche("Colossus 2 (B300)", "Memphis, TN", "B300", 10_000,
                                        dt.date(2026, 6, 1)),))
    changes = changed_inputs(base, other)
    assert [(c.key, c.label) for c in changes] == [("hardware.gpu_models", "GPU models"),
                                                   ("hardware.tranches", "Capacity tranches")]
    assert changes[1].new_text().startswith("4: Colossus 1 (H100)")
    result = waterfall(base, other, "tokens_served")
    assert result.not_alone == ("hardware.tranches",)
    assert result.steps[0].effect == 0.0          # a model no tranche uses serves nothing
    assert result.steps[1].effect is None
    assert result.interaction == result.total > 0  # 10,000 more GPUs serve more tokens


def test_a_figure_undefined_in_either_scenario_is_refused():
    base, other = other_deal()          # capex sunk: no provider IRR
    with pytest.raises(SolveError, match="undefined in scenario 'Colossus lease 2026'"):
        waterfall(base, other, "provider_irr")


@pytest.mark.parametrize("steps, total", [([0.1, 0.2], 0.3), ([1e16, 1.0, -1e16], 3.0),
                                          ([0.1] * 10, 1.0), ([1 / 3, 1 / 7], 0.5)])
def test_the_closing_term_makes_the_sum_exact(steps, total):
    running = 0.0
    for s in steps:
        running += s
    assert running + _closing_term(running, total) == total


def test_a_changed_invoice_plan_reads_as_its_months_and_total():
    from core.parameters import PlannedInvoice
    base = default_scenario()
    plan = (PlannedInvoice(1, 1.0e9), PlannedInvoice(2, 1.1e9), PlannedInvoice(3, 1.2e9))
    other = base.with_changes("contract", invoice_plan=plan)
    [difference] = [d for d in changed_inputs(base, other) if d.key == "contract.invoice_plan"]
    assert difference.old_text() == "none"
    # 1.0B + 1.1B + 1.2B = $3.30B over months 1 to 3.
    assert difference.new_text() == "3 months (1\u20133), total $3.30B"
