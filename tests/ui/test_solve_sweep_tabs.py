"""The Solve panel and the two-way table (ui/tabs/), driven as a user would.

They are built on a binding and the workspace's undo stacks, as the main
window builds them, but on their own: the lead registers them as a tab.
"""
import numpy as np
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

from core.engine import compute
from core.parameters import CAPEX_FOR_DEAL
from core.presets import default_scenario
from core.solve import figure_value, numeric_input, with_input
from ui.app.binding import ScenarioBinding
from ui.tabs.solve_common import format_figure, parse_number
from ui.tabs.solve_tab import SolvePanel
from ui.tabs.sweep_tab import TwoWayTable
from ui.look.themes import configure_pyqtgraph
from ui.app.workspace import Workspace


@pytest.fixture
def binding(qtbot):
    scenario = default_scenario().with_changes("hardware", capex_treatment=CAPEX_FOR_DEAL)
    return ScenarioBinding(scenario)


@pytest.fixture
def workspace(binding):
    return Workspace(binding)


@pytest.fixture
def panel(qtbot, binding, workspace):
    widget = SolvePanel(binding)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def pick(combo, data):
    """Choose a combo entry as a user would (by its index)."""
    combo.setCurrentIndex(combo.findData(data))


def type_target(qtbot, panel, text):
    panel.target.clear()
    qtbot.keyClicks(panel.target, text)


# --- Solve -----------------------------------------------------------------------------

def test_solve_accept_and_undo(qtbot, panel, binding, workspace):
    stack = workspace.undo_group.activeStack()
    pick(panel.figure, "provider_irr")
    pick(panel.vary, "contract.monthly_fee")
    type_target(qtbot, panel, "15%")
    qtbot.mouseClick(panel.solve_button, Qt.MouseButton.LeftButton)
    result = panel.result
    assert result is not None and result.reachable
    assert result.target == 0.15
    assert panel.answer.text().startswith("Monthly fee $")
    assert "gives Provider IRR 15.0% (target 15.0%" in panel.answer.text()   # core.figures: percent, 1 decimal
    assert panel.apply_button.isEnabled()
    assert stack.count() == 0

    qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    assert binding.scenario.contract.monthly_fee == result.value
    binding.flush()
    assert binding.results.key_figures.provider_irr == pytest.approx(0.15, abs=1e-6)
    assert stack.count() == 1                       # one undoable edit
    assert stack.undoText() == "Monthly fee"
    assert not panel.apply_button.isEnabled()

    stack.undo()
    assert binding.scenario.contract.monthly_fee == 1.25e9
    binding.flush()
    assert binding.results.key_figures.provider_irr == pytest.approx(
        compute(default_scenario().with_changes(
            "hardware", capex_treatment=CAPEX_FOR_DEAL)).key_figures.provider_irr)
    stack.redo()
    assert binding.scenario.contract.monthly_fee == result.value


def test_an_unreachable_target_offers_the_closest_value(qtbot, panel, binding):
    # 36 x the $50B maximum fee = $1.8T: $2T is out of reach.
    pick(panel.figure, "total_contract_value")
    type_target(qtbot, panel, "2T")
    qtbot.keyClick(panel.target, Qt.Key.Key_Return)
    assert panel.result is not None and not panel.result.reachable
    text = panel.answer.text()
    assert text.startswith("No Monthly fee in $0 to $50B gives Total contract value $2.00T")
    assert "from $0.00 to $1.80T" in text
    assert panel.apply_button.text() == "Apply closest"
    qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    assert binding.scenario.contract.monthly_fee == 50e9


@pytest.mark.parametrize("figure, target, shown", [
    ("provider_irr", "1e306", "1.00 \u00d7 10\u00b3\u2070\u2078%"),     # was "inf%"
    ("buyer_npv", "1.7e308", "$1.70 \u00d7 10\u00b3\u2070\u2078"),
])
def test_an_absurd_target_is_stated_in_a_power_of_ten(qtbot, panel, figure, target, shown):
    pick(panel.figure, figure)
    type_target(qtbot, panel, target)
    qtbot.keyClick(panel.target, Qt.Key.Key_Return)
    text = panel.answer.text()
    assert f" {shown}" in text
    assert "inf" not in text and re.search(r"\d{16}", text.replace(",", "")) is None, text


def test_a_target_that_is_not_a_number_is_refused_in_words(qtbot, panel, binding):
    type_target(qtbot, panel, "<b>lots</b>")
    qtbot.mouseClick(panel.solve_button, Qt.MouseButton.LeftButton)
    assert panel.result is None
    assert panel.answer.text() == "Target: '<b>lots</b>' is not a number (e.g. 0.15, 15%, 1.25B)"
    assert panel.answer.textFormat() == Qt.TextFormat.PlainText
    assert not panel.apply_button.isEnabled()


def test_an_answer_goes_stale_when_the_scenario_changes(qtbot, panel, binding):
    pick(panel.figure, "total_contract_value")
    type_target(qtbot, panel, "36B")
    qtbot.mouseClick(panel.solve_button, Qt.MouseButton.LeftButton)
    assert panel.result.value == pytest.approx(1e9)     # 36 x $1B
    binding.set_values("contract", term_months=48)      # an edit elsewhere
    assert not panel.apply_button.isEnabled()
    assert panel.answer.text().endswith("(The scenario has changed since: solve again.)")


def test_number_entry():
    assert parse_number("15%") == 0.15
    assert parse_number("$1.25B") == 1.25e9
    assert parse_number("\u22122.5M") == -2.5e6
    assert parse_number("45e9") == 45e9
    assert parse_number("1,000") == 1000
    assert parse_number("60%", percent_as_fraction=False) == 60
    with pytest.raises(ValueError):
        parse_number("1.2.3")


# --- Two-way table ---------------------------------------------------------------------

@pytest.fixture
def table(qtbot, binding):
    configure_pyqtgraph()
    widget = TwoWayTable(binding)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def engine_value(scenario, grid, row, col):
    case = with_input(scenario, numeric_input(grid.x_input), grid.x[col])
    case = with_input(case, numeric_input(grid.y_input), grid.y[row])
    return figure_value(compute(case), grid.figure)


def test_the_table_shows_the_grid_with_the_base_case_and_the_contour(table, binding):
    grid = table.grid
    assert grid.batched and grid.values.shape == (25, 25)
    assert (grid.x_input, grid.y_input, grid.figure) == (
        "contract.monthly_fee", "hardware.utilization_pct", "buyer_npv")
    # Fee $625M-$1.875B (half to 1.5 x $1.25B), utilization 30-90%: base at the middle.
    assert grid.base_cell == (12, 12) and grid.base_inside
    assert table.cell_text(12, 12) == format_figure("buyer_npv", grid.base_figure)
    assert table.cell_data(12, 12, Qt.ItemDataRole.FontRole).bold()
    assert table.cell_data(11, 12, Qt.ItemDataRole.FontRole) is None     # not bold
    assert table.cell_text(0, 24) == format_figure(
        "buyer_npv", engine_value(binding.scenario, grid, 0, 24))
    assert grid.crossing.any()                               # NPV turns negative in the grid
    assert not table.contour.boundingRect().isEmpty()
    assert "in one batched call" in table.status.text()


def test_the_table_recomputes_when_another_input_changes(qtbot, table, binding):
    before = table.grid.values.copy()
    binding.set_values("projections", token_price_per_million=3.0)
    qtbot.waitUntil(lambda: not binding.recompute_pending, timeout=2000)
    grid = table.grid
    assert not np.array_equal(grid.values, before)
    for row, col in ((0, 0), (12, 12), (24, 7)):
        assert grid.values[row, col] == pytest.approx(
            engine_value(binding.scenario, grid, row, col), rel=1e-9)
    assert grid.base_figure == binding.results.key_figures.buyer_npv


def test_new_numbers_in_the_same_frame_update_the_cells_not_the_table(qtbot, table, binding):
    """Another input changes the numbers, not the axes: the model reports its
    cells changed (the view keeps its headers), the text in every cell is the
    new grid's, and every column is wide enough for its widest number."""
    model = table.table.model()
    resets = []
    model.modelReset.connect(lambda: resets.append(True))
    with qtbot.waitSignal(model.dataChanged, timeout=2000) as changed:
        binding.set_values("projections", token_price_per_million=3.0)
    top_left, bottom_right = changed.args[:2]
    assert (top_left.row(), top_left.column()) == (0, 0)
    assert (bottom_right.row(), bottom_right.column()) == (24, 24)
    assert not resets
    grid = table.grid
    # Row 0 of the view is the grid's top row (the highest utilization).
    for row, col in ((0, 0), (12, 12), (24, 24), (3, 17)):
        shown = model.index(24 - row, col).data()
        assert shown == format_figure("buyer_npv", engine_value(binding.scenario, grid, row, col))
    bold = QFontMetrics(model.bold)
    for col in range(25):
        widest = max(bold.horizontalAdvance(model.index(r, col).data()) for r in range(25))
        assert widest < table.table.columnWidth(col)
    # New steps are a new frame: the table is rebuilt with the new headers.
    table.x.steps.setValue(5)
    qtbot.waitUntil(lambda: model.columnCount() == 5, timeout=2000)
    assert resets and model.headerData(4, Qt.Orientation.Horizontal) == "$1.875B"


def test_an_edit_of_an_axis_input_moves_only_the_base_case(qtbot, table, binding):
    """The fee is the grid's x axis: each cell sets the fee itself, so a fee
    edit changes no cell.  The star and the bold cell move to the new fee;
    the cells, their texts and the colour levels stay, and the table reports
    only the two cells whose font changed."""
    model = table.table.model()
    texts = [row[:] for row in model.texts]
    levels = tuple(table.colour_bar.levels())
    changed = []
    model.dataChanged.connect(lambda a, b, *_: changed.append(
        ((a.row(), a.column()), (b.row(), b.column()))))
    # Fee $625M-$1.875B in 25 steps of $52.08M: $1.25B is column 12; $1.40B
    # is nearest column 15 ($1.40625B).
    binding.set_values("contract", monthly_fee=1.40e9)
    qtbot.waitUntil(lambda: table.grid.base_x == 1.40e9, timeout=2000)
    assert table.grid.base_cell == (12, 15)
    assert model.texts == texts
    assert tuple(table.colour_bar.levels()) == levels
    # View row 12 is grid row 12 (the middle); the old and the new bold cell.
    assert sorted(changed) == [((12, 12), (12, 12)), ((12, 15), (12, 15))]
    assert table.cell_data(12, 15, Qt.ItemDataRole.FontRole).bold()
    assert table.cell_data(12, 12, Qt.ItemDataRole.FontRole) is None
    xs, ys = table.base_marker.getData()
    assert (xs[0], ys[0]) == (1.40e9, 60.0)
    assert "Base case: " + format_figure("buyer_npv", binding.results.key_figures.buyer_npv) \
        in table.status.text()


def test_the_colour_levels_are_centred_on_the_threshold_in_nice_steps():
    from ui.tabs.sweep_tab import colour_levels
    # Spread 3.2B about 0: steps for about 20 intervals of 6.4B are 0.5B
    # (0.32B rounds up to 0.5B), so +-3.5B; a grid 100M wider keeps them.
    assert colour_levels(-3.2e9, 1.1e9, 0.0) == (-3.5e9, 3.5e9)
    assert colour_levels(-3.3e9, 1.1e9, 0.0) == (-3.5e9, 3.5e9)
    # About a threshold of 15% with values 12%-20%: spread 5 points, step
    # 0.5 point (10 / 20), so 15% +- 5 points.
    low, high = colour_levels(0.12, 0.20, 0.15)
    assert (low, high) == pytest.approx((0.10, 0.20))
    # No threshold: the range itself, out to steps of 0.01 (0.2 / 20).
    assert colour_levels(0.104, 0.297, None) == pytest.approx((0.10, 0.30))


def test_choosing_another_input_takes_its_default_range(qtbot, table):
    pick(table.x.input, "contract.term_months")
    qtbot.waitUntil(lambda: table.grid.x_input == "contract.term_months", timeout=2000)
    assert (table.x.start.text(), table.x.stop.text()) == ("18", "54")
    assert list(table.grid.x) == list(range(18, 55, 2))
    assert table.table.model().columnCount() == 19
    assert table.table.model().headerData(0, Qt.Orientation.Horizontal) == "18 months"


def test_a_bad_range_is_reported_and_the_last_grid_kept(qtbot, table):
    shown = table.grid
    table.y.stop.setText("120")
    table.y.stop.editingFinished.emit()
    qtbot.waitUntil(lambda: "between 0 and 100" in table.status.text(), timeout=2000)
    assert table.grid is shown


def test_a_figure_the_vectorised_engine_lacks_is_computed_cell_by_cell(qtbot, table, binding):
    table.x.steps.setValue(4)
    table.y.steps.setValue(3)
    pick(table.figure, "build_cost")
    qtbot.waitUntil(lambda: table.grid.figure == "build_cost", timeout=5000)
    assert not table.grid.batched
    assert "cell by cell" in table.status.text()
    assert table.grid.values[1, 2] == pytest.approx(
        engine_value(binding.scenario, table.grid, 1, 2), rel=1e-9)


def test_a_large_cell_by_cell_grid_waits_for_recompute(qtbot, table, binding):
    pick(table.figure, "build_cost")       # 25 x 25 cells, computed one by one
    qtbot.waitUntil(lambda: table.grid.figure == "build_cost", timeout=10000)
    shown = table.grid
    binding.set_values("hardware", power_price_per_mwh=80.0)
    qtbot.waitUntil(lambda: "out of date" in table.status.text(), timeout=2000)
    assert table.grid is shown
    qtbot.mouseClick(table.recompute_button, Qt.MouseButton.LeftButton)
    assert table.grid is not shown
    assert table.grid.base_figure == pytest.approx(binding.results.key_figures.build_cost)
    assert "out of date" not in table.status.text()


# --- Scenario differences ------------------------------------------------------------

def test_differences_and_waterfall_of_two_scenarios(qtbot):
    import dataclasses
    from ui.tabs.differences_view import ScenarioDifferences
    view = ScenarioDifferences()
    qtbot.addWidget(view)
    view.show()
    base = default_scenario()
    other = dataclasses.replace(
        base.with_changes("contract", monthly_fee=1.4e9, term_months=48, escalator_pct=3.0),
        name="Renegotiated")
    pick(view.figure, "total_contract_value")
    result = view.show_pair(base, other)
    cells = [[view.table.item(i, j).text() for j in range(4)]
             for i in range(view.table.rowCount())]
    assert cells == [["Term", "months", "36 months", "48 months"],
                     ["Monthly fee", "$", "$1,250,000,000", "$1,400,000,000"],
                     ["Annual escalator", "%/yr", "0 %/yr", "3 %/yr"]]
    # By hand (tests/core/test_attribution.py): $45B; +15B (48 months), +5.4B ($1.4B),
    # +1.3635B (3%/yr), then the interaction to 12 x 1.4 x (1 + 1.03 + 1.0609 + 1.092727)
    # = $70.2849336B.
    labels = [b[0] for b in view.bars]
    assert labels == ["Colossus lease 2026", "Term", "Monthly fee", "Annual escalator",
                      "Interaction", "Renegotiated"]
    assert "Base: Colossus lease 2026; other: Renegotiated." in view.note.text()
    heights = view.bar_item.opts["height"]
    assert list(heights[:4]) == pytest.approx([45e9, 15e9, 5.4e9, 1.3635e9], rel=1e-12)
    assert heights[4] == pytest.approx(70.2849336e9 - 45e9 - 21.7635e9, rel=1e-9)
    assert heights[5] == pytest.approx(70.2849336e9, rel=1e-12)
    assert view.bar_item.opts["y0"][4] + heights[4] == pytest.approx(70.2849336e9, rel=1e-12)
    assert "Total change $25.3B" in view.note.text()
    assert result is view.result

    pick(view.figure, "provider_irr")               # capex sunk: no IRR in either
    assert view.result is None
    assert "undefined" in view.note.text()
    pick(view.figure, "buyer_npv")
    assert view.result.figure == "buyer_npv" and len(view.bars) == 6


# --- Pickers ---------------------------------------------------------------------------

def test_figure_picker_groups_figures_by_side_under_their_labels(qtbot):
    from PySide6.QtCore import Qt as _Qt
    from core.figures import KEY_FIGURES
    from ui.tabs.solve_common import figure_combo, input_combo
    combo = figure_combo("provider_irr")
    qtbot.addWidget(combo)
    texts = [combo.itemText(i) for i in range(combo.count())]
    data = [combo.itemData(i) for i in range(combo.count())]
    headings = [i for i, d in enumerate(data) if d is None]
    assert [texts[i] for i in headings] == ["Buyer", "Provider", "Both sides"]
    for i in headings:                         # a heading cannot be chosen
        assert not combo.model().item(i).isEnabled()
    # Every key figure once, then the credit figures, under the heading of its side in
    # core/figures.py.
    from core.figures import CREDIT_FIGURES
    declared = {**KEY_FIGURES, **CREDIT_FIGURES}
    assert sorted(d for d in data if d is not None) == sorted(declared)
    buyer, provider, both = headings
    assert data[buyer + 1:provider] == [k for k, o in declared.items() if o.side == "buyer"]
    assert data[both + 1:] == [k for k, o in declared.items() if o.side == "both"]
    assert combo.currentText() == "Provider IRR"
    assert texts[data.index("breakeven_cloud_rate")] == "Break-even cloud rate"
    assert combo.itemData(data.index("buyer_npv"), _Qt.ItemDataRole.ToolTipRole).startswith(
        "Token revenue (dated the last day of each month)")

    inputs = input_combo("contract.monthly_fee")
    qtbot.addWidget(inputs)
    assert inputs.currentText() == "Monthly fee ($)"
    assert inputs.itemText(0) == "Contract" and inputs.itemData(0) is None
    assert inputs.itemText(inputs.findData("hardware.utilization_pct")) == "Utilization (%)"


# --- Themes ----------------------------------------------------------------------------

def _luminance(colour) -> float:
    """WCAG relative luminance of a QColor."""
    def channel(c):
        c = c / 255.0
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return (0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green())
            + 0.0722 * channel(colour.blue()))


def _contrast(a, b) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("key", ["dark", "high_contrast", "light"])
def test_the_heat_map_and_the_waterfall_follow_the_theme(qtbot, table, key):
    from PySide6.QtGui import QColor
    from ui.look.themes import THEMES, theme_manager
    from ui.tabs.differences_view import ScenarioDifferences
    view = ScenarioDifferences()
    qtbot.addWidget(view)
    theme = THEMES[key]
    try:
        theme_manager().apply(key)
        for plot_widget in (table.plot_widget, view.plot_widget):
            assert plot_widget.backgroundBrush().color() == QColor(theme.plot_background)
        for axis in (table.plot.getAxis("left"), table.plot.getAxis("bottom"),
                     table.colour_bar.axis, view.plot.getAxis("left")):
            assert axis.textPen().color() == QColor(theme.plot_foreground)
            # Tick labels readable on the plot's background (WCAG AA: 4.5).
            assert _contrast(axis.textPen().color(), QColor(theme.plot_background)) >= 4.5
        # The cells on the contour: their text readable on their fill in this theme.
        rows, cols = table.grid.values.shape
        marked = [(r, c) for r in range(rows) for c in range(cols) if table.grid.crossing[r, c]]
        assert marked
        ink = table.cell_data(*marked[0], Qt.ItemDataRole.ForegroundRole).color()
        fill = table.cell_data(*marked[0], Qt.ItemDataRole.BackgroundRole).color()
        assert _contrast(ink, fill) >= 4.5
        # An axis built later (another input chosen) is drawn in the theme as well.
        pick(table.x.input, "contract.term_months")
        qtbot.waitUntil(lambda: table.grid.x_input == "contract.term_months", timeout=2000)
        assert table.plot.getAxis("bottom").textPen().color() == QColor(theme.plot_foreground)
    finally:
        theme_manager().apply("light")


def test_a_scenario_off_the_grid_recentres_its_axes(qtbot, table, binding):
    """Opening the Microsoft-Nebius example (a fee of about $290M a month, off a
    $625M-$1.875B grid) centres the fee axis on its fee again, half to one and a
    half times it, so the base case is on the map (the grid kept the last
    scenario's axes: the star off the map); utilization, still within its range,
    keeps its axis."""
    from core.examples import example
    scenario = example("microsoft-nebius-2025").scenario
    fee = scenario.contract.monthly_fee
    before_y = (table.grid.y[0], table.grid.y[-1])
    binding.set_scenario(scenario)
    qtbot.waitUntil(lambda: table.grid.base_x == fee, timeout=3000)
    assert table.grid.x[0] == pytest.approx(0.5 * fee) and table.grid.x[-1] == pytest.approx(1.5 * fee)
    assert (table.grid.y[0], table.grid.y[-1]) == before_y
    xs, _ys = table.base_marker.getData()
    assert table.grid.x[0] <= xs[0] <= table.grid.x[-1]
    assert table.grid.base_cell == (12, 12)
    # The example does not model the buyer's revenue: its NPV is n/a everywhere,
    # said in one line, not 625 "n/a" cells under a star on the old grid.
    assert table.status.text() == ("Buyer NPV is n/a in every cell of this grid and for the "
                                   "scenario itself (what it needs is not modelled): choose "
                                   "another figure.")
