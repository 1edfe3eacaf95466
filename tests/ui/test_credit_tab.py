"""The Credit tab, driven as a user drives it: a preset fills one side's
credit (its label, date and source shown), a typed spread moves the expected
loss, and a whole guarantee at zero spread removes it."""
from __future__ import annotations

import math

from PySide6.QtCore import Qt

from core import credit, figures
from tests.ui.conftest import settle


def test_a_preset_and_a_typed_spread_move_the_expected_loss(qtbot, window):
    tab = window.tab("credit")
    window.show_tab("credit")
    settle(qtbot, window)
    before = window.binding.results.credit.buyer_expected_credit_loss
    assert tab.figures.text_of("buyer_expected_credit_loss") == figures.format_value(
        "buyer_expected_credit_loss", before)
    assert "[R] Jun 2026" in tab.sources["provider"].text()
    # Choose CoreWeave for the provider: 643 bp -> hazard 10.72% a year.
    chooser = tab.presets["provider"]
    chooser.setCurrentIndex(chooser.findText("CoreWeave"))
    chooser.activated.emit(chooser.currentIndex())
    settle(qtbot, window)
    assert window.binding.scenario.credit.party("provider") == credit.PRESETS["CoreWeave"]
    assert "hazard 10.72% a year ([R] early Dec 2025" in tab.sources["provider"].text()
    assert chooser.currentIndex() == 0                      # ready for the next choice
    worse = window.binding.results.credit.buyer_expected_credit_loss
    # Same exposure, hazard x 643/140: the loss rises by about that (less the
    # survival's curvature), so between 3.5x and 4.6x.
    assert 3.5 * before < worse < 4.6 * before
    # Type a spread of 0: no hazard, no expected loss.
    field = tab.form.fields["provider_spread_bp"]
    field.lineEdit().selectAll()
    qtbot.keyClicks(field.lineEdit(), "0")
    qtbot.keyClick(field.lineEdit(), Qt.Key.Key_Return)
    settle(qtbot, window)
    assert window.binding.results.credit.buyer_expected_credit_loss == 0.0
    assert tab.figures.text_of("buyer_expected_credit_loss") == "$0.00"


def test_the_probability_shown_is_the_credit_triangle(qtbot, window):
    tab = window.tab("credit")
    window.show_tab("credit")
    settle(qtbot, window)
    term_years = window.binding.results.schedule.days.sum() / 365.0
    p = 1 - math.exp(-0.0140 / 0.6 * term_years)          # SpaceX 140 bp, 40%
    assert tab.figures.text_of("provider_default_probability") == f"{100 * p:.1f}%"


def test_choosing_a_rating_shows_its_table_label_date_and_source(qtbot, window):
    """The rating field's tooltip carries the rating table with its label,
    date and source (an estimate: MARKET.md gives no rating table), and the
    side's source line under the form names them once a rating is chosen."""
    tab = window.tab("credit")
    window.show_tab("credit")
    settle(qtbot, window)
    tip = tab.form.fields["buyer_rating"].toolTip()
    for rating, pct in credit.RATING_DEFAULT_PCT.items():
        assert f"{rating} {pct:g}%" in tip
    assert f"{credit.RATING_LABEL} {credit.RATING_SOURCE}; {credit.RATING_DATE}" in tip
    # The reference deal's buyer is a BB proxy: 0.55% a year.
    assert window.binding.scenario.credit.buyer_basis == "rating"
    line = tab.sources["buyer"].text()
    assert "rating BB (0.55% a year" in line
    assert f"{credit.RATING_LABEL} {credit.RATING_SOURCE}, {credit.RATING_DATE}" in line
