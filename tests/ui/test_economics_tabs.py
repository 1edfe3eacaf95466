"""The perspective switch, the termination explorer and the alternatives view,
driven as a user drives them."""
import numpy as np
import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import settle

FEE = 1.25e9


def test_switching_perspective_changes_figures_and_plots(qtbot, window):
    strip = window.key_figures
    window.show_tab("economics")
    assert strip.cards["buyer_npv"].isVisible()
    assert not strip.cards["provider_mark_to_market"].isVisible()
    assert window.tab("economics").plots.currentWidget() is window.tab("economics").buyer_plots
    qtbot.mouseClick(strip.switch.buttons["provider"], Qt.MouseButton.LeftButton)
    assert strip.cards["provider_mark_to_market"].isVisible()
    assert not strip.cards["buyer_npv"].isVisible()
    assert window.tab("economics").plots.currentWidget() is window.tab("economics").provider_plots
    # Capex sunk by default: no investment, so no IRR; the cash pays back in month 1.
    # Both on the Economics tab, not among the headline cards, where they would say
    # nothing: the strip shows the contract's mark-to-market against the rent curve.
    provider_figures = window.tab("economics").provider_figures
    assert provider_figures.text_of("provider_irr") == "n/a"
    assert provider_figures.text_of("provider_payback_month") == "month 1"
    assert "provider_irr" not in strip.cards and "provider_payback_month" not in strip.cards


def test_capex_bought_for_the_deal_gives_an_irr_and_a_later_payback(qtbot, window):
    window.key_figures.switch.set_perspective("provider")
    window.show_tab("economics")
    combo = window.tab("economics").provider_form.fields["capex_treatment"]
    combo.setCurrentText("bought for this deal")
    settle(qtbot, window)
    figures = window.binding.results.key_figures
    # Capex: 150k x $40k + 50k x $45k + 20k x $60k of GPUs + 389.36 MW x $10M of facility.
    assert figures.provider_capex == pytest.approx(9.45e9 + 3.8936e9)
    provider_figures = window.tab("economics").provider_figures
    assert provider_figures.text_of("provider_payback_month") == "month 12"
    assert provider_figures.text_of("provider_irr").endswith("%")
    assert window.tab("economics").provider_figures.text_of("provider_capex") == "$13.3B"
    _, cash = window.tab("economics").provider_plots.item("provider_cumulative_cash").getData()
    # Month 1: the fee in, the whole capex out, June's power (389.36 MW x 720 h x $62)
    # and opex (3%/12 of capex + $5M staff).
    power = 389.36 * 720 * 62
    opex = 13.3436e9 * 0.03 / 12 + 5e6
    assert cash[0] == pytest.approx(FEE - 13.3436e9 - power - opex)


def test_a_fee_edit_sets_the_outcome_of_ending_without_laying_the_form_out_again(
        qtbot, window):
    """The chosen month's outcome changes with every fee edit (three of its
    five figures): each repaints its value (SteadyLabel), and neither the
    outcome box nor the form around it is laid out again."""
    from tests.ui.conftest import LayoutRequests
    tab = window.tab("termination")
    window.show_tab("termination")
    qtbot.wait(40)
    assert tab.notice_month == 12          # the reference deal's month: 2027-06-01
    requests = LayoutRequests()
    watched = [tab.outcome, tab.form]
    widget = tab.outcome.parentWidget()
    while widget is not None and widget is not tab.form:
        watched.append(widget)
        widget = widget.parentWidget()
    for widget in watched:
        widget.installEventFilter(requests)
    for fee in (1.6e9, 2.0e9):
        window.binding.set_values("contract", monthly_fee=fee)
        settle(qtbot, window)
        qtbot.wait(30)
        # 12 months paid, then June, July and 29 of August's 31 days; the rest of
        # the 36 months saved.
        paid = fee * (12 + 2 + 29 / 31)
        assert window.binding.results.schedule.termination_cost[12] == pytest.approx(paid)
        assert tab.outcome_values["termination_cost"].text() == f"${paid / 1e9:.1f}B"
        assert tab.outcome_values["termination_saving"].text() == \
            f"${(fee * 36 - paid) / 1e9:.1f}B"
    assert requests.count == 0
    value = tab.outcome_values["termination_cost"]
    assert value.isVisible() and value.label.font().bold()
    assert value.label.alignment() & Qt.AlignmentFlag.AlignRight


def test_the_termination_slider_reads_out_the_cost_of_ending(qtbot, window):
    tab = window.tab("termination")
    window.show_tab("termination")
    tab.slider.setValue(12)      # notice on 2027-06-01, the first anniversary
    assert tab.notice_label.text() == "2027-06-01 (after 12 months)"
    # 12 months paid, then 90 days: June and July in full, 29 of August's 31 days.
    cost = FEE * (12 + 2 + 29 / 31)
    assert tab.outcome_values["termination_cost"].text() == "$18.7B"
    assert tab.outcome_values["termination_end_date"].text() == "2027-08-30"
    assert window.binding.results.schedule.termination_cost[12] == pytest.approx(cost)
    assert tab.outcome_values["termination_saving"].text() == "$26.3B"
    marker_before = tab.plots.markers[0].value()
    tab.slider.setValue(24)
    # 24 months, then June, July and 29 of August's 31 days again.
    assert window.binding.results.schedule.termination_cost[24] == pytest.approx(
        FEE * (24 + 2 + 29 / 31))
    assert tab.outcome_values["termination_cost"].text() == "$33.7B"
    assert tab.plots.markers[0].value() > marker_before


def test_a_termination_fee_moves_the_cost_curve(qtbot, window):
    tab = window.tab("termination")
    _, before = tab.plots.item("termination_cost").getData()
    tab.form.fields["termination_fee_months"].setValue(2.0)
    settle(qtbot, window)
    _, after = tab.plots.item("termination_cost").getData()
    # The fee is added wherever the notice ends the deal early; notice on 1 Apr or
    # 1 May 2029 only reaches the term's end (expiry): no fee.
    assert np.allclose(after[:-2] - before[:-2], 2 * FEE)
    assert np.allclose(after[-2:], before[-2:])
    assert window.key_figures.text_of("walkaway_exposure") == "$6.17B"  # 3.669B + 2.5B


def test_the_termination_tab_follows_who_may_terminate(qtbot, window):
    """Issue 22, item 2: the rows, the read-out and the plots follow "May terminate"."""
    tab = window.tab("termination")
    window.show_tab("termination")
    tab.form.fields["termination_fee_months"].setValue(2.0)
    tab.form.fields["terminating_party"].setCurrentText("neither")
    settle(qtbot, window)
    tab.slider.setValue(1)       # notice on 2026-07-01
    settle(qtbot, window)
    # Neither may end it: the row runs to term, payments stop the day after 31 May
    # 2029 (it said 2026-09-29 while costing the whole contract), 36 x $1.25B = $45.0B.
    assert tab.outcome_values["termination_end_date"].text() == "2029-06-01"
    assert tab.outcome_values["termination_cost"].text() == "$45.0B"
    assert tab.rights_note.isVisible() and "Neither party" in tab.rights_note.text()
    _, cost = tab.plots.item("termination_cost").getData()
    assert np.allclose(cost, 45e9)
    # Provider only: its notice on 1 Jul 2026 ends 29 Sep: June, July, August and 28
    # of September's 30 days, $1.25B x 3.9333 = $4.92B, and no fee (it was $45.0B,
    # and the buyer's NPV if ended lost the 2 x $1.25B fee it can never owe).
    tab.form.fields["terminating_party"].setCurrentText("provider only")
    settle(qtbot, window)
    assert tab.outcome_values["termination_end_date"].text() == "2026-09-29"
    assert window.binding.results.schedule.termination_cost[1] == pytest.approx(
        FEE * (3 + 28 / 30))
    assert tab.outcome_values["termination_cost"].text() == "$4.92B"
    assert "Only the provider" in tab.rights_note.text()


def test_alternatives_state_where_the_lines_cross(qtbot, window):
    tab = window.tab("alternatives")
    window.show_tab("alternatives")
    text = tab.statement.text()
    # (150k x $2.00 + 50k x $2.90 + 20k x $4.00) / 220k GPUs = $2.39 per GPU-hour (MARKET.md).
    assert ("Renting at the market's forward rents (on average $2.39/GPU-hour) costs less than "
            "the lease in every month") in text
    # $45B / ($525,000 an hour x 26,304 h) - 1 = 225.9%.
    assert "the whole market curve were 226 % higher" in text
    assert "from month 12" in text
    # Rents rising 500% a year: renting overtakes the lease within the term.
    tab.form.fields["rent_change_pct_per_year"].setValue(500.0)
    settle(qtbot, window)
    s = window.binding.results.schedule
    month = int(np.argmax(s.cumulative_cloud_cost >= s.cumulative_payment)) + 1
    assert 1 < month <= 36
    assert f"cross in month {month} " in tab.statement.text()


def test_a_fee_edit_restates_the_crossing_and_the_lease_rows_without_a_new_layout(
        qtbot, window):
    """A fee edit changes the crossing statement (the premium over the market)
    and the lease rows' payments: the statement repaints itself (SteadyLabel),
    the form is not laid out again, and the table keeps its cells, their new
    text set in place."""
    from tests.ui.conftest import LayoutRequests
    tab = window.tab("alternatives")
    window.show_tab("alternatives")
    qtbot.wait(40)
    table = tab.amortisation
    cells = [[table.item(row, col) for col in range(table.columnCount())]
             for row in range(table.rowCount())]
    requests = LayoutRequests()
    widget = tab.statement.parentWidget()
    while widget is not None and widget is not tab:
        widget.installEventFilter(requests)
        widget = widget.parentWidget()
    window.binding.set_values("contract", monthly_fee=1.6e9)
    settle(qtbot, window)
    qtbot.wait(30)
    # $1.6B x 36 / ($525,000 an hour x 26,304 h) - 1 = 317.1% (the premium at
    # $1.25B is 225.9%: test_alternatives_state_where_the_lines_cross).
    assert "the whole market curve were 317 % higher" in tab.statement.text()
    assert requests.count == 0
    assert tab.statement.isVisible() and tab.statement.label.font().bold()
    assert tab.statement.height() >= tab.statement.label.heightForWidth(tab.statement.width())
    assert table.rowCount() == 3
    # The 90 days' notice: June, July and 29 of August's 31 days (1.6 x 29/31 = 1.497).
    assert [table.item(row, 3).text() for row in range(3)] == ["$1.60B", "$1.60B", "$1.50B"]
    assert [table.item(row, 0).text() for row in range(3)] == ["Jun 2026", "Jul 2026",
                                                               "Aug 2026"]
    assert all(table.item(row, col) is cells[row][col]
               for row in range(3) for col in range(table.columnCount()))
    # More rows (the full term): the new ones are made, figures right-aligned.
    tab.form.fields["lease_term_basis"].setCurrentText("full term")
    settle(qtbot, window)
    assert table.rowCount() == 36
    assert table.item(35, 0).text() == "May 2029" and table.item(35, 4).text() == "$0.00"
    assert table.item(35, 3).textAlignment() == int(Qt.AlignmentFlag.AlignRight
                                                    | Qt.AlignmentFlag.AlignVCenter)
    assert table.item(35, 0).textAlignment() != table.item(35, 3).textAlignment()


def test_lease_view_switches_between_notice_period_and_full_term(qtbot, window):
    tab = window.tab("alternatives")
    assert tab.amortisation.rowCount() == 3
    assert tab.lease_figures.text_of("lease_term_months") == "3 months"
    tab.form.fields["lease_term_basis"].setCurrentText("full term")
    settle(qtbot, window)
    assert tab.amortisation.rowCount() == 36
    assert window.binding.results.key_figures.lease_liability > 30e9
    assert tab.amortisation.item(35, 4).text() == "$0.00"


def test_pricing_mode_greys_out_the_prices_not_in_use(qtbot, window):
    form = window.tab("contract").form.fields
    assert form["monthly_fee"].isEnabled() and not form["price_per_gpu_hour"].isEnabled()
    form["pricing_mode"].setCurrentText("per GPU-hour")
    settle(qtbot, window)
    assert form["price_per_gpu_hour"].isEnabled() and not form["monthly_fee"].isEnabled()
    # $7.78 x 220,000 GPUs x 26,304 hours over the term.
    assert window.binding.results.key_figures.total_contract_value == pytest.approx(
        7.78 * 220_000 * 26_304)


def test_the_termination_slider_and_field_are_one_input_the_exports_use(qtbot, window):
    """Issue 24: the slider at 18 while the export said 12. The slider and the
    field "Cost of ending: notice after" are two views of one input: a drag
    sets it on release, the field moves the slider, and
    the board pack's termination finding is at that month."""
    from core.export.pack import PackInputs, board_pack
    tab = window.tab("termination")
    window.show_tab("termination")
    field = tab.form.fields["termination_notice_month"]
    assert tab.slider.value() == 12 == field.value()
    tab.slider.setSliderDown(True)
    for month in range(13, 19):
        tab.slider.setValue(month)               # dragging previews, the input waits
    assert window.binding.scenario.contract.termination_notice_month == 12
    assert tab.notice_label.text() == "2027-12-01 (after 18 months)"
    tab.slider.setSliderDown(False)              # released: the input is set once
    settle(qtbot, window)
    assert window.binding.scenario.contract.termination_notice_month == 18
    assert field.value() == 18
    # 18 months paid ($22.5B); 90 days from 1 Dec 2027: December, January and 28 of
    # February's 29 days (2028 is a leap year), $1.25B x (2 + 28/29) = $3.71B more.
    pack = board_pack(PackInputs(window.binding.results, "buyer"), ("termination",))
    termination = next(s for s in pack if s.key == "termination")
    assert termination.title == ("Leaving at month 18 adds $3.71B to the $22.5B paid; "
                                 "notice takes 90 days")
    field.setValue(6)                            # the field moves the slider
    settle(qtbot, window)
    assert tab.slider.value() == 6
    assert tab.notice_label.text() == "2026-12-01 (after 6 months)"


def test_the_expected_contract_value_says_which_method_it_uses(qtbot, window):
    """Issue 25, item 5: the typed monthly chances, named with their values; the
    simulated rights' figure is another, named one."""
    tab = window.tab("termination")
    window.show_tab("termination")
    settle(qtbot, window)
    name = tab.full_term.layout().labelForField(tab.full_term.values["expected_contract_value"])
    assert name.text() == "Expected contract value (typed chances)"
    # None typed: it is the total ($45.0B), and the label says so.
    assert "none is typed, so it is the total" in tab.expected_basis.text()
    assert "simulated rights" in tab.expected_basis.text()
    tab.form.fields["buyer_termination_prob_pct"].setValue(0.5)
    settle(qtbot, window)
    assert "the buyer's 0.5% and the provider's 0% a month" in tab.expected_basis.text()
    # Provider only: the buyer's typed chance is not used, and the text says 0%.
    tab.form.fields["terminating_party"].setCurrentText("provider only")
    settle(qtbot, window)
    assert "none is typed" in tab.expected_basis.text()
