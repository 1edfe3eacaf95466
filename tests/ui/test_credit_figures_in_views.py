"""The credit figures (core.figures.CREDIT_FIGURES: expected credit losses,
credit-adjusted NPVs) chosen as a user chooses them: the tornado's output,
a Solve target, the Compare tab's rows and its waterfall; the two-way table
keeps to the key figures, which its workbook sheet writes as formulas.

Worked by hand: the buyer's credit is a BB rating (its hazard does not read
its recovery rate), so the provider's expected loss from the buyer's default
is (1 - R) x a sum that R does not touch: it scales with 1 - R."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from core.engine import compute
from core.figures import CREDIT_FIGURES, KEY_FIGURES
from core.presets import default_scenario
from ui.app.binding import ScenarioBinding
from ui.app.workspace import Workspace

BASE = compute(default_scenario()).credit          # core.credit's own figures
LOSS = "provider_expected_credit_loss"


def pick(combo, data):
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def test_the_base_is_the_reference_deal_s():
    assert BASE.provider_expected_credit_loss == pytest.approx(30.22e6, rel=1e-3)
    assert default_scenario().credit.buyer_basis == "rating"
    assert default_scenario().credit.buyer_recovery_pct == 40.0


def test_the_tornado_of_an_expected_credit_loss(qtbot, window):
    risk = window.tab("risk")
    window.tabs.setCurrentWidget(risk)
    try:
        qtbot.waitUntil(lambda: risk.tornado_result is not None, timeout=10_000)
        pick(risk.tornado_controls.output, LOSS)
        qtbot.waitUntil(lambda: risk.tornado_result.output == LOSS, timeout=30_000)
        result = risk.tornado_result
        assert result.base_output == pytest.approx(BASE.provider_expected_credit_loss, rel=1e-12)
        row = next(r for r in result.rows if r.input.key == "credit.buyer_recovery_pct")
        # Recovery 40% moved -20% / +20%: 32% and 48%; the loss x 0.68 / 0.6 and 0.52 / 0.6.
        assert (row.low_input, row.high_input) == (32.0, 48.0)
        assert row.low_output == pytest.approx(result.base_output * 0.68 / 0.6, rel=1e-12)
        assert row.high_output == pytest.approx(result.base_output * 0.52 / 0.6, rel=1e-12)
        shown = [r.input.key for r in risk.tornado_plot.layers["tornado"].shown_rows]
        assert "credit.buyer_recovery_pct" in shown
        assert CREDIT_FIGURES[LOSS].label in risk.tornado_plot.title.text()
    finally:
        risk.shutdown()


@pytest.fixture
def binding(qtbot):
    return ScenarioBinding(default_scenario())


def test_solve_for_an_expected_credit_loss(qtbot, binding):
    from ui.tabs.solve_tab import SolvePanel
    Workspace(binding)
    panel = SolvePanel(binding)
    qtbot.addWidget(panel)
    panel.show()
    pick(panel.figure, LOSS)
    pick(panel.vary, "credit.buyer_recovery_pct")
    # Half the loss: 1 - R = 0.6 / 2, so R = 70%.
    half = BASE.provider_expected_credit_loss / 2
    panel.target.clear()
    qtbot.keyClicks(panel.target, f"{half / 1e6:.9f}M")
    qtbot.mouseClick(panel.solve_button, Qt.MouseButton.LeftButton)
    assert panel.result is not None and panel.result.reachable
    assert panel.result.value == pytest.approx(70.0, abs=1e-6)
    assert panel.answer.text().startswith("Buyer: recovery rate 70 %"), panel.answer.text()
    assert f"gives {CREDIT_FIGURES[LOSS].label} {CREDIT_FIGURES[LOSS].format(half)}" in \
        panel.answer.text()
    qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    binding.flush()
    assert binding.results.credit.provider_expected_credit_loss == pytest.approx(half, rel=1e-6)


def test_the_solve_picker_has_the_credit_figures_and_the_two_way_table_has_not(qtbot):
    from ui.tabs.solve_common import figure_combo
    from core.sweep import FIGURES as TWO_WAY
    solve = figure_combo("buyer_npv")
    two_way = figure_combo("buyer_npv", TWO_WAY)
    qtbot.addWidget(solve)
    qtbot.addWidget(two_way)

    def data(combo):
        return {combo.itemData(i) for i in range(combo.count())} - {None}
    assert data(solve) == set(KEY_FIGURES) | set(CREDIT_FIGURES)
    assert data(two_way) == set(KEY_FIGURES)
    index = solve.findData("credit_adjusted_buyer_npv")
    assert solve.itemText(index) == "Credit-adjusted buyer NPV"
    assert solve.itemData(index, Qt.ItemDataRole.ToolTipRole) == \
        CREDIT_FIGURES["credit_adjusted_buyer_npv"].definition


def test_compare_two_scenarios_credit_figures_and_their_waterfall(qtbot, compare):
    _window, bar, tab, binding = compare
    qtbot.mouseClick(bar.duplicate_button, Qt.MouseButton.LeftButton)
    copy = bar.combo.currentText()
    binding.set_values("credit", buyer_recovery_pct=70.0)
    qtbot.waitUntil(lambda: tab.input_rows == ["credit.buyer_recovery_pct"], timeout=5000)
    # Recovery 40% -> 70%: the provider's loss halves, its credit-adjusted NPV rises by as much.
    half = BASE.provider_expected_credit_loss / 2
    label = CREDIT_FIGURES[LOSS].label
    assert tab.cell_text(label, copy) == CREDIT_FIGURES[LOSS].format(half)
    assert tab.cell_text(label, f"\u0394 {copy}") == \
        f"\u2212{CREDIT_FIGURES[LOSS].format(half)} (\u221250.0%)"
    npv = CREDIT_FIGURES["credit_adjusted_provider_npv"]
    assert tab.cell_text(npv.label, f"\u0394 {copy}").startswith(f"+{npv.format(half)}")
    # The buyer's loss (from the provider's default) does not read the buyer's recovery.
    assert tab.cell_text(CREDIT_FIGURES["buyer_expected_credit_loss"].label,
                         f"\u0394 {copy}") == "0"
    # The waterfall of the credit-adjusted NPV: one bar, the recovery rate, of +half.
    view = tab.differences
    pick(view.figure, "credit_adjusted_provider_npv")
    heights = list(view.bar_item.opts["height"])
    assert heights[-1] - heights[0] == pytest.approx(half, rel=1e-9)
    assert [b[0] for b in view.bars][1:-1] == ["Buyer: recovery rate", "Interaction"]
    assert heights[1] == pytest.approx(half, rel=1e-9) and heights[2] == pytest.approx(0.0, abs=1)
