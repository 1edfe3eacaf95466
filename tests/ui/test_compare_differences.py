"""The Compare scenarios tab's inputs that differ and its waterfall, driven
as a user would: duplicate a scenario with the scenario bar, change two of
its inputs, read what the tab lists and draws."""
import pytest
from PySide6.QtCore import Qt

BASE = "Colossus lease 2026"
COPY = "Colossus lease 2026 (2)"


def pick(combo, data):
    combo.setCurrentIndex(combo.findData(data))


def test_duplicate_change_two_inputs_and_see_them_and_their_waterfall(qtbot, compare):
    window, bar, tab, binding = compare
    assert tab.input_rows == []
    assert tab.inputs_note.text().startswith("One scenario")
    assert not tab.differences.other_choice.isVisible()
    assert not tab.differences.plot_widget.isVisible()      # no pair: no empty chart

    qtbot.mouseClick(bar.duplicate_button, Qt.MouseButton.LeftButton)
    assert bar.combo.currentText() == COPY
    binding.set_values("contract", monthly_fee=1.5e9)       # what the fee field does
    binding.set_values("contract", term_months=48)
    qtbot.waitUntil(lambda: len(tab.input_rows) == 2, timeout=3000)

    # Exactly the two inputs changed, in the order the scenario declares them.
    assert tab.input_rows == ["contract.term_months", "contract.monthly_fee"]
    assert tab.inputs_table.rowCount() == 2
    assert tab.input_text("Term (months)", BASE) == "36 months"
    assert tab.input_text("Term (months)", COPY) == "48 months"
    assert tab.input_text("Monthly fee ($)", BASE) == "$1,250,000,000"
    assert tab.input_text("Monthly fee ($)", COPY) == "$1,500,000,000"
    assert tab.inputs_note.text() == f"Inputs that differ from {BASE}: 2."

    view = tab.differences
    assert (view.base_choice.currentText(), view.other_choice.currentText()) == (BASE, COPY)
    assert view.plot_widget.isVisible() and view.other_choice.isVisible()
    pick(view.figure, "total_contract_value")
    # By hand: base 36 x $1.25B = $45B, the copy 48 x $1.5B = $72B.  The term alone
    # 48 x 1.25 = $60B (+15B), the fee alone 36 x 1.5 = $54B (+9B); the interaction is
    # the rest, 72 - 45 - 15 - 9 = +3B (12 more months at $0.25B more).
    # The end bars are named after the scenarios (they read "Base" and "Other").
    assert [b[0] for b in view.bars] == [BASE, "Term", "Monthly fee", "Interaction", COPY]
    heights = list(view.bar_item.opts["height"])
    assert heights[0] == 45e9 and heights[-1] == 72e9
    assert heights[1:4] == pytest.approx([15e9, 9e9, 3e9], rel=1e-12)
    level = heights[0]
    for step in heights[1:-1]:           # the bars added in order land on the other exactly
        level += step
    assert level == heights[-1]
    # ... and they add up to the difference the key-figure table shows.
    difference = tab.cell_text("Total contract value", f"\u0394 {COPY}")
    assert difference == "+$27.0B (+60.0%)"
    assert "Total change $27.0B." in view.note.text()

    # A third change shows at once (the tab follows edits), a same-value cell is muted.
    binding.set_values("contract", term_months=36)
    qtbot.waitUntil(lambda: tab.input_rows == ["contract.monthly_fee"], timeout=3000)
    assert [b[0] for b in view.bars] == [BASE, "Monthly fee", "Interaction", COPY]
    assert view.bar_item.opts["height"][-1] == 54e9


def test_the_waterfall_pair_is_chosen_and_kept_by_name(qtbot, compare):
    window, bar, tab, binding = compare
    bar.duplicate()
    binding.set_values("contract", monthly_fee=1.5e9)
    bar.duplicate()                                          # a third, from the second
    binding.set_values("contract", term_months=48)
    qtbot.waitUntil(lambda: len(tab.input_rows) == 2, timeout=3000)
    third = bar.workspace.names[2]                           # "... (2) (2)"
    # The second matches the first in term: its term cell shows the first's value.
    assert tab.input_text("Term (months)", COPY) == "36 months"
    assert tab.input_text("Term (months)", third) == "48 months"

    view = tab.differences
    pick(view.figure, "total_contract_value")
    view.choose_pair(1, 2)                                   # the second against the third
    assert view.result.base_value == 54e9 and view.result.other_value == 72e9
    assert [b[0] for b in view.bars] == [COPY, "Term", "Interaction", third]
    view.choose_pair(2, 2)
    assert view.result is None and view.note.text() == "Choose two different scenarios."
    view.choose_pair(0, 2)
    binding.set_values("contract", escalator_pct=3.0)        # a change keeps the pair
    qtbot.waitUntil(lambda: len(tab.input_rows) == 3, timeout=3000)
    assert (view.base_choice.currentText(), view.other_choice.currentText()) == (BASE, third)
    assert [b[0] for b in view.bars][-2:] == ["Interaction", third]
    assert "Annual escalator" in [b[0] for b in view.bars]


def test_the_differences_fit_a_laptop_screen(qtbot, window):
    """In the real window at 1366 x 768, two scenarios' key figures and the
    difference column fit the table without scrolling: columns as wide as
    their values, not their headers (the difference's header named both
    scenarios and pushed the column off screen)."""
    window.resize(1366, 768)
    window.workspace.duplicate()
    window.binding.set_values("contract", monthly_fee=1.5e9)
    window.show_tab("compare")
    qtbot.wait(50)
    table = window.tab("compare").table
    columns = sum(table.columnWidth(c) for c in range(table.columnCount()))
    assert table.horizontalHeaderItem(2).text() == f"\u0394 {COPY}"
    assert columns <= table.viewport().width(), (columns, table.viewport().width())
    assert not table.horizontalScrollBar().isVisible()


def test_a_fee_edit_changes_only_the_edited_scenarios_cells_and_undo_restores_them(
        qtbot, window):
    """The Compare table follows an edit of the active scenario cell by cell:
    the edited scenario's column and its difference show the new figures, the
    first scenario's cells are left as they are (not set again), and undo brings
    the old figures back (the kept texts are keyed on the scenario objects)."""
    from tests.ui.conftest import settle
    window.workspace.duplicate()                    # the copy is active
    window.show_tab("compare")
    settle(qtbot, window)
    tab = window.tab("compare")
    tcv, run_rate = "Total contract value", "Annual run rate"
    # By hand: 36 months x $1.25B = $45.0B; 12 x $1.25B = $15.0B a year.
    assert tab.cell_text(tcv, BASE) == tab.cell_text(tcv, COPY) == "$45.0B"
    assert tab.cell_text(run_rate, COPY) == "$15.0B"
    assert tab.cell_text(tcv, f"\u0394 {COPY}") == "0"
    set_cells = []
    tab.table.model().dataChanged.connect(
        lambda top, bottom, _roles=(): set_cells.extend(
            (r, c) for r in range(top.row(), bottom.row() + 1)
            for c in range(top.column(), bottom.column() + 1)))
    resets = []
    tab.table.model().modelReset.connect(lambda: resets.append(1))

    window.binding.set_values("contract", monthly_fee=1.5e9)    # what the fee field does
    settle(qtbot, window)
    # By hand: 36 x $1.5B = $54.0B, +$9.00B (three figures) on $45.0B = +20.0%; 12 x $1.5B = $18.0B.
    assert tab.cell_text(tcv, COPY) == "$54.0B"
    assert tab.cell_text(tcv, f"\u0394 {COPY}") == "+$9.00B (+20.0%)"
    assert tab.cell_text(run_rate, COPY) == "$18.0B"
    assert tab.cell_text(run_rate, f"\u0394 {COPY}") == "+$3.00B (+20.0%)"
    assert tab.cell_text(tcv, BASE) == "$45.0B" and tab.cell_text(run_rate, BASE) == "$15.0B"
    assert set_cells and not resets
    assert {c for _r, c in set_cells} <= {1, 2}     # the copy and its difference only
    rows = [tab.table.verticalHeaderItem(r).text() for r in range(tab.table.rowCount())]
    assert (rows.index("Term"), 1) not in set_cells  # 36 months either way: not set again

    set_cells.clear()
    window.undo_action.trigger()
    settle(qtbot, window)
    assert window.binding.scenario.contract.monthly_fee == 1.25e9
    assert tab.cell_text(tcv, COPY) == "$45.0B" and tab.cell_text(run_rate, COPY) == "$15.0B"
    assert tab.cell_text(tcv, f"\u0394 {COPY}") == "0"
    assert tab.cell_text(tcv, BASE) == "$45.0B"
    assert set_cells and {c for _r, c in set_cells} <= {1, 2} and not resets


def test_a_same_as_first_cell_takes_the_new_themes_muted_colour(qtbot, window):
    """The inputs table's muted cells (a value equal to the first scenario's)
    are in the theme's placeholder colour; a refresh after a theme switch whose
    cells read the same (here: switching the active scenario) still lays them
    out in the new theme's colour."""
    from tests.ui.conftest import settle
    from ui.look.themes import theme_manager
    window.workspace.duplicate()                                # the copy is active
    window.binding.set_values("contract", monthly_fee=1.5e9)
    window.workspace.switch(0)
    window.workspace.duplicate()                                # a second copy of the base
    window.show_tab("compare")
    settle(qtbot, window)
    tab = window.tab("compare")
    second = window.workspace.names[2]
    rows = [tab.inputs_table.item(r, 0).text() for r in range(tab.inputs_table.rowCount())]
    columns = [tab.inputs_table.horizontalHeaderItem(c).text()
               for c in range(tab.inputs_table.columnCount())]
    muted_cell = (rows.index("Monthly fee ($)"), columns.index(second))
    assert tab.input_text("Monthly fee ($)", second) == "$1,250,000,000"  # as the base

    def muted_colour():
        return tab.inputs_table.item(*muted_cell).foreground().color().rgba()

    try:
        theme_manager().apply("light")
        window.workspace.switch(1)
        settle(qtbot, window)
        light = muted_colour()
        assert light == tab.inputs_table.palette().placeholderText().color().rgba()
        theme_manager().apply("dark")
        window.workspace.switch(0)                              # the same cells again
        settle(qtbot, window)
        dark = tab.inputs_table.palette().placeholderText().color().rgba()
        assert dark != light and muted_colour() == dark
    finally:
        theme_manager().apply("light")


def test_built_in_idle_time_it_is_drawn_hidden_and_shows_the_latest_figures(qtbot, window):
    """Issue 22: a Compare tab built hidden in idle steps draws its comparison
    then (the payments curve and its legend made, the table filled) so that
    the page is laid out and rendered with them before its first show; an
    edit while it is hidden is shown the moment it is shown."""
    from tests.ui.conftest import settle
    from ui import registry
    window.build_hidden_tabs_when_idle()
    qtbot.waitUntil(lambda: len(window.tab_pages) == len(registry.TABS)
                    and not window.idle_work_pending, timeout=60_000)
    tab = window.tab("compare")
    assert not tab.isVisible()
    # Before: nothing compared (None) until the first show.
    assert tab.comparison is not None
    tcv = "Total contract value"
    assert tab.cell_text(tcv, BASE) == "$45.0B"      # 36 months x $1.25B
    window.binding.set_values("contract", monthly_fee=1.5e9)   # an edit while hidden
    settle(qtbot, window)
    window.show_tab("compare")
    qtbot.waitExposed(tab)
    assert tab.cell_text(tcv, BASE) == "$54.0B"      # 36 x $1.5B, the moment it is shown


def test_built_in_idle_time_then_a_theme_switch_it_shows_the_new_themes_muted_colour(
        qtbot, window):
    """A Compare tab built hidden in idle steps fills its tables then (issue 22);
    the theme switched while it is still hidden, its first show has the muted
    cells (a value equal to the first scenario's) in the new theme's
    placeholder colour, as a tab first filled at its show has (before: the
    colour of the theme in force when it was built, light grey on dark)."""
    from tests.ui.conftest import settle
    from ui import registry
    from ui.look.themes import theme_manager
    window.workspace.duplicate()                                # the copy is active
    window.binding.set_values("contract", monthly_fee=1.5e9)
    window.workspace.switch(0)
    window.workspace.duplicate()                                # a second copy of the base
    settle(qtbot, window)
    theme_manager().apply("light")
    window.build_hidden_tabs_when_idle()
    qtbot.waitUntil(lambda: len(window.tab_pages) == len(registry.TABS)
                    and not window.idle_work_pending, timeout=60_000)
    tab = window.tab("compare")
    assert not tab.isVisible()
    second = window.workspace.names[2]
    try:
        theme_manager().apply("dark")                           # while Compare is hidden
        window.show_tab("compare")
        qtbot.waitExposed(tab)
        settle(qtbot, window)
        rows = [tab.inputs_table.item(r, 0).text() for r in range(tab.inputs_table.rowCount())]
        columns = [tab.inputs_table.horizontalHeaderItem(c).text()
                   for c in range(tab.inputs_table.columnCount())]
        cell = tab.inputs_table.item(rows.index("Monthly fee ($)"), columns.index(second))
        assert cell.text() == "$1,250,000,000"                  # as the base: muted
        dark = tab.inputs_table.palette().placeholderText().color().rgba()
        assert cell.foreground().color().rgba() == dark
        theme_manager().apply("light")                          # and while it is shown
        cell = tab.inputs_table.item(rows.index("Monthly fee ($)"), columns.index(second))
        qtbot.waitUntil(lambda: tab.inputs_table.palette().placeholderText().color().rgba()
                        != dark, timeout=2000)          # the table's palette follows
        light = tab.inputs_table.palette().placeholderText().color().rgba()
        assert cell.foreground().color().rgba() == light
    finally:
        theme_manager().apply("light")
