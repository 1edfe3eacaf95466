"""A list of figures (ui/widgets/figure_list.py): a new figure repaints its
value and asks the tab for no new layout, yet a figure too wide for the room
it has gets more, never cut; values stay right-aligned and selectable."""
import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QVBoxLayout, QWidget

from core.engine import compute
from core.presets import default_scenario
from ui.widgets.figure_list import FigureList
from tests.ui.conftest import LayoutRequests


@pytest.fixture
def panel(qtbot):
    holder = QWidget()
    figures = FigureList("Buyer", ["total_contract_value", "buyer_npv", "annual_run_rate"])
    QVBoxLayout(holder).addWidget(figures)
    qtbot.addWidget(holder)
    holder.resize(260, 140)
    holder.show()
    qtbot.waitExposed(holder)
    figures.show_results(compute(default_scenario()))
    QCoreApplication.sendPostedEvents()
    QCoreApplication.processEvents()
    return holder, figures


def test_a_new_figure_needs_no_new_layout(qtbot, panel):
    holder, figures = panel
    requests = LayoutRequests()
    for widget in (holder, figures):
        widget.installEventFilter(requests)
    figures.show_results(compute(default_scenario().with_changes("contract", monthly_fee=1.4e9)))
    qtbot.wait(30)
    # $1.4B x 36 months = $50.4B; 12 x $1.4B = $16.8B a year.
    assert figures.text_of("total_contract_value") == "$50.4B"
    assert figures.text_of("annual_run_rate") == "$16.8B"
    assert requests.count == 0


def test_a_wider_figure_gets_room_and_values_stay_right_aligned(qtbot, panel):
    holder, figures = panel
    value = figures.values["total_contract_value"]
    wide = "$123,456,789,012,345.0B"           # far wider than the column laid out
    value.setText(wide)
    qtbot.waitUntil(lambda: value.width() >= QFontMetrics(value.label.font())
                    .horizontalAdvance(wide), timeout=2000)
    assert value.label.geometry() == value.rect()
    assert value.label.alignment() & Qt.AlignmentFlag.AlignRight
    assert value.label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert value.label.font().bold()


def _texts_set(figures) -> list[tuple[str, str]]:
    """Every setText the list makes from here on, as (key, text)."""
    calls: list[tuple[str, str]] = []
    for key, label in figures.values.items():
        original = label.setText
        label.setText = lambda text, key=key, original=original: (
            calls.append((key, text)), original(text))
    return calls


def test_an_edit_sets_only_the_figures_it_changed(qtbot):
    figures = FigureList("Buyer", ["total_contract_value", "buyer_revenue",
                                   "token_price_per_million"])
    qtbot.addWidget(figures)
    figures.show_results(compute(default_scenario()))
    revenue = figures.text_of("buyer_revenue")
    price = figures.text_of("token_price_per_million")
    calls = _texts_set(figures)
    figures.show_results(compute(default_scenario().with_changes("contract", monthly_fee=1.4e9)))
    # $1.4B x 36 months = $50.4B.  The fee changes neither the tokens served
    # nor their price: their figures are not set again.
    assert calls == [("total_contract_value", "$50.4B")]
    assert figures.text_of("buyer_revenue") == revenue
    assert figures.text_of("token_price_per_million") == price
    calls.clear()
    figures.show_results(compute(default_scenario().with_changes("contract", monthly_fee=1.4e9)))
    assert calls == []                  # the same results: nothing set at all


def test_a_figure_set_by_its_tab_is_shown_again_from_the_results(qtbot):
    figures = FigureList("Buyer", ["total_contract_value"])
    qtbot.addWidget(figures)
    results = compute(default_scenario().with_changes("contract", monthly_fee=1.4e9))
    figures.show_results(results)
    figures.values["total_contract_value"].setText("\u2014")   # a tab set it itself
    figures.show_results(results)
    assert figures.text_of("total_contract_value") == "$50.4B"   # $1.4B x 36 months
