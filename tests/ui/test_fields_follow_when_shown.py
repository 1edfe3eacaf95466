"""Fields on a hidden tab follow the scenario when the tab is shown
(ui/widgets/fields.py, FieldFollower): an edit on one tab, an undo, a file
opened, an example loaded or another scenario chosen all leave every field
showing the value in force when its tab is next shown.

The discount rate has a field on the Contract tab and one on the Economics
tab (its buyer form), so an edit typed on one tab changes a field on the other.
"""
from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt

from core.presets import default_scenario
from core.scenario_file import save_scenario
from tests.ui.conftest import type_into


def contract_rate(window):
    return window.tab("contract").form.fields["discount_rate_pct"]


def economics_rate(window):
    return window.tab("economics").buyer_form.fields["discount_rate_pct"]


def test_an_edit_on_one_tab_shows_on_another_when_it_is_shown_and_undo_too(qtbot, window):
    before = window.binding.scenario.contract.discount_rate_pct
    assert before != 12.5
    hidden = economics_rate(window)          # built, not shown: the Contract tab is
    window.show_tab("contract")
    assert not hidden.isVisible()
    type_into(qtbot, contract_rate(window), "12.5")
    assert window.binding.scenario.contract.discount_rate_pct == 12.5
    window.show_tab("economics")
    assert hidden.isVisible()
    assert hidden.value() == 12.5
    assert hidden.text() == "12.50 %/yr"
    # Undone while the Economics tab is hidden: shown again, it has the old rate.
    window.show_tab("contract")
    window.undo_action.trigger()
    assert window.binding.scenario.contract.discount_rate_pct == before
    assert contract_rate(window).value() == before      # the tab on screen follows at once
    window.show_tab("economics")
    assert hidden.value() == before
    # And redone while hidden: the new rate again.
    window.show_tab("contract")
    window.redo_action.trigger()
    window.show_tab("economics")
    assert hidden.value() == 12.5


def test_a_hidden_field_waits_until_shown_and_the_one_on_screen_does_not(qtbot, window):
    """The mechanism itself: an edit costs nothing on a field off screen (it
    keeps its text until shown), while the same field on screen follows at
    once.  Flushing the views (exports, tests) brings it up to date too."""
    hidden = economics_rate(window)
    window.show_tab("contract")
    before = hidden.value()
    window.binding.set_values("contract", discount_rate_pct=before + 1.0)
    assert contract_rate(window).value() == before + 1.0
    assert hidden.value() == before                  # not touched while hidden
    window.binding.flush_views()
    assert hidden.value() == before + 1.0
    window.binding.set_values("contract", discount_rate_pct=before + 2.0)
    window.show_tab("economics")
    assert hidden.value() == before + 2.0


def test_a_file_opened_while_a_tab_is_hidden_shows_on_it(qtbot, window, tmp_path):
    hidden = window.tab("hardware").form.fields["power_price_per_mwh"]
    window.show_tab("contract")
    scenario = default_scenario()
    scenario = dataclasses.replace(scenario, hardware=dataclasses.replace(
        scenario.hardware, power_price_per_mwh=81.25))
    path = tmp_path / "priced.cdm.json"
    save_scenario(scenario, path)
    assert window.file_actions.load_file(path)
    window.show_tab("hardware")
    assert hidden.value() == 81.25
    assert hidden.text() == "$81.25 per MWh"


def test_an_example_and_another_scenario_show_on_hidden_tabs(qtbot, window):
    megawatts = window.tab("hardware").form.fields["contracted_mw"]
    term = window.tab("termination")
    window.show_tab("contract")
    default_mw = window.binding.scenario.hardware.contracted_mw
    window.examples_menu.action_for("meta-coreweave-2025").trigger()
    assert window.binding.scenario.hardware.contracted_mw == 160.0     # CoreWeave's, not 300
    assert default_mw != 160.0
    window.show_tab("hardware")
    assert megawatts.value() == 160.0
    # Back to the first scenario (the scenario bar's chooser) while Hardware is
    # hidden: its field has the first scenario's megawatts when shown.
    window.show_tab("contract")
    window.workspace.switch(0)
    assert window.binding.scenario.hardware.contracted_mw == default_mw
    window.show_tab("hardware")
    assert megawatts.value() == default_mw
    # A choice field on a hidden tab follows too (the terminating party).
    window.show_tab("contract")
    choice = window.tab("contract").form.fields["terminating_party"]
    other = next(choice.itemData(i) for i in range(choice.count())
                 if choice.itemData(i) != choice.currentData())
    choice.setCurrentIndex(choice.findData(other))
    assert window.binding.scenario.contract.terminating_party == other
    hidden_choice = term.form.fields["terminating_party"]     # the Termination tab's
    window.show_tab("termination")
    assert hidden_choice.currentData() == other


def test_a_greyed_price_on_the_hidden_contract_tab_shows_the_deal_in_force(qtbot, window):
    """Per-GPU-hour pricing: the greyed monthly fee shows the average fee the
    price comes to (5,786,880,000 GPU-hours over the term, as in
    tests/ui/test_contract_tab.py, / 36 months).  Undone while the Contract tab
    is hidden, it shows the undone price's average when shown again."""
    tab = window.tab("contract")
    pricing = tab.form.fields["pricing_mode"]
    pricing.setCurrentIndex(pricing.findData("per_gpu_hour"))
    type_into(qtbot, tab.price_field("price_per_gpu_hour"), "8.00")
    window.binding.flush()
    fee = tab.price_field("monthly_fee")
    assert fee.text() == "$1,285,973,333"          # 5,786,880,000 x $8.00 / 36
    window.show_tab("hardware")
    window.undo_action.trigger()                   # back to $7.78 an hour
    window.binding.flush()
    window.show_tab("contract")
    assert fee.text() == "$1,250,609,067"          # 5,786,880,000 x $7.78 / 36
