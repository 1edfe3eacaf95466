"""The contract tab driven as a user drives it."""
import numpy as np
import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import settle, type_into


def test_typing_a_monthly_fee_changes_key_figures_and_curves(qtbot, window):
    tab = window.tab("contract")
    fee_spin = tab.fee_slider.spin
    assert window.key_figures.text_of("total_contract_value") == "$45.0B"
    type_into(qtbot, fee_spin, "1000M")  # $1.0B as an analyst writes it
    settle(qtbot, window)
    # 36 months x $1.0B; run rate 12 x $1.0B; exposure June, July, 29/31 of August x $1.0B.
    assert window.key_figures.text_of("total_contract_value") == "$36.0B"
    assert window.key_figures.text_of("annual_run_rate") == "$12.0B"
    assert window.key_figures.text_of("walkaway_exposure") == "$2.94B"
    _, heights = tab.plots.item("payment").opts["x"], tab.plots.item("payment").opts["height"]
    assert np.allclose(heights, 1e9)
    _, cumulative = tab.plots.item("cumulative_payment").getData()
    assert cumulative[-1] == 36e9
    _, exposure = tab.plots.item("walkaway_exposure").getData()
    assert np.isclose(exposure[0], 1e9 * (2 + 29 / 31))


def test_dragging_the_fee_slider_updates_live(qtbot, window):
    slider = window.tab("contract").fee_slider.slider
    results = []
    window.binding.results_changed.connect(results.append)
    slider.setSliderDown(True)
    for position in (100, 200, 300, 400):   # 0..1000 spans $0..$5B
        slider.setValue(position)
        settle(qtbot, window)
    slider.setSliderDown(False)
    # Each step of the drag was drawn: $0.5B, $1.0B, $1.5B, $2.0B a month.
    assert [r.key_figures.total_contract_value for r in results] == [
        36 * 0.5e9, 36 * 1.0e9, 36 * 1.5e9, 36 * 2.0e9]
    assert window.key_figures.text_of("total_contract_value") == "$72.0B"


def test_out_of_range_notice_is_refused_with_a_visible_message(qtbot, window):
    spin = window.tab("contract").form.fields["notice_days"]
    type_into(qtbot, spin, "5000")
    assert window.message.isVisible()
    assert "Notice period" in window.message.text()
    assert "0 and 3,650 days" in window.message.text()
    # The model kept its value, and the box shows it again, outlined.
    assert window.binding.scenario.contract.notice_days == 90
    assert spin.value() == 90
    assert "border" in spin.styleSheet()
    settle(qtbot, window)
    assert window.key_figures.text_of("walkaway_exposure") == "$3.67B"   # 1.25B x (2 + 29/31)


def test_a_valid_edit_after_a_refusal_clears_the_message(qtbot, window):
    spin = window.tab("contract").form.fields["notice_days"]
    type_into(qtbot, spin, "-1")
    assert window.message.isVisible()
    type_into(qtbot, spin, "180")
    assert not window.message.isVisible()
    settle(qtbot, window)
    assert window.binding.results.key_figures.walkaway_exposure == pytest.approx(
        1.25e9 * (5 + 27 / 30), rel=1e-12)   # 180 days: June to October, 27/30 of November


def test_bursts_of_edits_are_coalesced_into_one_recompute(qtbot, window):
    spin = window.tab("contract").form.fields["escalator_pct"]
    results = []
    window.binding.results_changed.connect(results.append)
    for value in range(1, 11):
        spin.setValue(float(value))
    settle(qtbot, window)
    assert len(results) == 1
    # The one recompute used the last value: month 13 pays 1.25B x 1.10.
    assert np.isclose(results[0].schedule.payment[12], 1.25e9 * 1.10)


def test_hover_reads_out_the_month_and_values(qtbot, window):
    plots = window.tab("contract").plots
    schedule = window.binding.results.schedule
    x = schedule.month_start[3].astype("datetime64[s]").astype(np.int64) + 5 * 86400
    text = plots.payments_panel.hover_at(float(x))
    assert text == "Sep 2026: Payment $1.25B"
    assert plots.payments_panel.readout.text() == text
    # Notice on 1 Sep ends 30 Nov: September, October, 29/30 of November = $3.708B
    assert plots.exposure_panel.hover_at(float(x)) == "Sep 2026: Walk-away exposure $3.71B"


def test_payment_timing_in_arrears_lowers_the_npv(qtbot, window):
    before = window.binding.results.key_figures.npv_payments
    window.tab("contract").form.fields["payment_timing"].setCurrentText("arrears")
    settle(qtbot, window)
    assert window.binding.scenario.contract.payment_timing == "arrears"
    assert window.binding.results.key_figures.npv_payments < before


def test_the_greyed_monthly_fee_shows_the_declared_average_monthly_fee(qtbot, window):
    tab = window.tab("contract")
    fee = tab.price_field("monthly_fee")
    assert fee.text() == "$1,250,000,000"           # fixed pricing: the fee in force, $45.0B / 36
    pricing = tab.form.fields["pricing_mode"]
    pricing.setCurrentIndex(pricing.findData("per_gpu_hour"))     # as picked from the list
    settle(qtbot, window)
    assert not tab.form.fields["monthly_fee"].isEnabled()
    # 220,000 GPUs online from the start, 100% available, 1,096 days (Jun 2026 - May 2029,
    # with 29 Feb 2028) x 24 = 26,304 hours: 5,786,880,000 GPU-hours x $7.78 =
    # $45,021,926,400 over 36 months = $1,250,609,066.67 a month, shown in whole dollars.
    assert window.binding.results.key_figures.average_monthly_fee == pytest.approx(
        45_021_926_400 / 36, rel=1e-12)
    assert fee.text() == "$1,250,609,067"
    assert window.binding.scenario.contract.monthly_fee == 1.25e9    # the input is untouched


def test_a_refused_fee_puts_the_slider_back_and_a_valid_value_clears_the_outline(qtbot, window):
    """Typing 99B (over the fee's range) is refused: the model and the box keep
    $1.25B, and the slider, which the typed value had pushed to its end, goes back
    to 1.25 / 5 x 1000 = 250.  Typing the value in force again is valid: the
    refusal's outline goes (it stayed, since the value did not change)."""
    fee = window.tab("contract").fee_slider
    type_into(qtbot, fee.spin, "99B")
    assert window.message.isVisible()
    assert window.binding.scenario.contract.monthly_fee == 1.25e9
    assert fee.spin.value() == 1.25e9
    assert fee.slider.value() == 250
    assert "border" in fee.spin.styleSheet()
    type_into(qtbot, fee.spin, "1.25B")
    assert fee.spin.styleSheet() == ""
    assert fee.slider.value() == 250


def test_a_greyed_price_is_repainted_only_when_its_shown_figure_changes(qtbot, window):
    """A fee edit moves the greyed price per GPU-hour; while the cent shown
    stays, the field is left as it is (Qt repaints a spin box at every
    setValue, the same text or not); a new cent is shown."""
    from PySide6.QtCore import QEvent
    from tests.ui.conftest import EventCounter
    tab = window.tab("contract")
    window.show_tab("contract")
    qtbot.wait(40)
    field = tab.price_field("price_per_gpu_hour")
    assert not field.isEnabled() and field.text() == "$7.78"
    paints = EventCounter(QEvent.Type.Paint)
    field.installEventFilter(paints)
    # The price per GPU-hour is the fee over the same 5,786,880,000 GPU-hours (36
    # months): $1.25B x 36 / 5.78688e9 = $7.7762; $1.251B: x 1.0008 = $7.7824.
    window.binding.set_values("contract", monthly_fee=1.251e9)
    settle(qtbot, window)
    qtbot.wait(30)
    assert window.binding.results.key_figures.price_per_gpu_hour == pytest.approx(
        1.251e9 * 36 / 5_786_880_000, rel=1e-12)
    assert field.text() == "$7.78"
    assert paints.count == 0
    # $1.26B: x 1.008 = $7.8384, a new cent shown.
    window.binding.set_values("contract", monthly_fee=1.26e9)
    settle(qtbot, window)
    qtbot.wait(30)
    assert field.text() == "$7.84"
    assert paints.count >= 1
