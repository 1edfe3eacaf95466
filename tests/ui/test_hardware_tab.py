"""The hardware tab's tables and plots, driven through their editors."""
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QSpinBox

from tests.ui.conftest import settle


def edit_cell(qtbot, table, row, column, text):
    """Open the cell's editor as a double-click would, type, press Enter."""
    table.setCurrentCell(row, column)
    table.editItem(table.item(row, column))
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not table
    if hasattr(editor, "selectAll"):
        editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(10)  # the delegate commits on the next turn of the event loop
    return editor


def test_editing_a_gpu_count_changes_the_capacity_plot(qtbot, window):
    tab = window.tab("hardware")
    window.show_tab("hardware")
    editor = edit_cell(qtbot, tab.tranche_table, 0, 3, "100000")
    assert isinstance(editor, QSpinBox)
    settle(qtbot, window)
    assert window.binding.scenario.hardware.tranches[0].gpu_count == 100_000
    _, h100 = tab.plots.item("H100 SXM").getData()
    assert np.allclose(h100, 100_000)
    # The stack: H100 100k, + H200 50k, + GB200 20k on top.
    _, top = tab.plots.item("GB200").getData()
    assert np.allclose(top, 170_000)
    # 1.25B x 36 / (170,000 GPUs x 26,304 hours in the term).
    assert np.isclose(window.binding.results.key_figures.price_per_gpu_hour,
                      45e9 / (170_000 * 26_304))


def test_a_negative_gpu_count_is_refused(qtbot, window):
    tab = window.tab("hardware")
    edit_cell(qtbot, tab.tranche_table, 1, 3, "-5")
    assert window.message.isVisible()
    assert "GPU count" in window.message.text()
    qtbot.waitUntil(lambda: tab.tranche_table.item(1, 3).data(Qt.ItemDataRole.EditRole) == 50_000)
    assert window.binding.scenario.hardware.tranches[1].gpu_count == 50_000


def test_a_later_tranche_steps_up_capacity_and_power(qtbot, window):
    tab = window.tab("hardware")
    tab.add_tranche_button.click()
    settle(qtbot, window)
    tranches = window.binding.scenario.hardware.tranches
    assert len(tranches) == 4 and tranches[-1].online_date.isoformat() == "2027-06-01"
    assert tab.tranche_table.rowCount() == 4
    _, gpus = tab.plots.item("GB300").getData()
    # 220k before June 2027, 230k after (the new tranche is 10,000 GB300).
    assert gpus[0] == 220_000 and gpus[-1] == 230_000
    _, facility = tab.plots.power_panel.items["facility_mw_online"].getData()
    assert np.isclose(facility[-1], (150_000 * 1.4 + 50_000 * 1.4 + 20_000 * 1.7
                                     + 10_000 * 1.7) / 1000 * 1.24)


def test_renaming_a_gpu_model_carries_its_tranches(qtbot, window):
    tab = window.tab("hardware")
    edit_cell(qtbot, tab.model_table, 0, 0, "H100 SXM5")
    settle(qtbot, window)
    hardware = window.binding.scenario.hardware
    assert hardware.gpu_models[0].name == "H100 SXM5"
    assert hardware.tranches[0].gpu_model == "H100 SXM5"
    assert "H100 SXM5" in tab.plots.capacity_panel.items
    assert "H100 SXM" not in tab.plots.capacity_panel.items


def test_removing_a_model_in_use_is_refused(qtbot, window):
    tab = window.tab("hardware")
    tab.model_table.selectRow(0)
    tab.remove_model_button.click()
    assert window.message.isVisible()
    assert "H100 SXM" in window.message.text()
    assert len(window.binding.scenario.hardware.gpu_models) == 5


def test_power_warning_shows_and_clears(qtbot, window):
    window.show_tab("hardware")          # where the power finding is shown
    assert window.key_figures.warnings.isVisible()
    assert "389 MW" in window.key_figures.warnings.text()
    spin = window.tab("hardware").form.fields["contracted_mw"]
    spin.setValue(400.0)
    settle(qtbot, window)
    assert "contracted" not in window.key_figures.warnings.text() \
        or not window.key_figures.warnings.isVisible()
    _, contracted = window.tab("hardware").plots.item("contracted_mw").getData()
    assert np.allclose(contracted, 400.0)


def test_renaming_a_gpu_model_renames_its_market_rent_row_and_one_undo_restores_both(
        qtbot, window):
    # Issue 25: the H100's market rent row ($2.00, SemiAnalysis Jul 2026 [E]) follows the
    # rename with its figures and source, and the Market tab's table shows the new name.
    tab = window.tab("hardware")
    before = window.binding.scenario.market.rents
    mtm = window.binding.results.key_figures.buyer_mark_to_market
    assert before[0].gpu_model == "H100 SXM"
    edit_cell(qtbot, tab.model_table, 0, 0, "H100 SXM5")
    settle(qtbot, window)
    rents = window.binding.scenario.market.rents
    assert rents[0].gpu_model == "H100 SXM5"
    assert rents[0] == before[0].__class__(**{**before[0].__dict__, "gpu_model": "H100 SXM5"})
    assert rents[1:] == before[1:]
    # Still priced: no warning of a model with no market rent, the same mark-to-market
    # (without the rename it read -$34.1B, the H100s priced at $0, not -$27.2B).
    assert not any("No market rent" in w for w in window.binding.results.warnings)
    assert window.binding.results.key_figures.buyer_mark_to_market == mtm
    market_tab = window.tab("market")
    window.show_tab("market")
    settle(qtbot, window)
    assert market_tab.rent_table.item(0, 0).text() == "H100 SXM5"
    # One undo restores the model's name, its tranches and its rent row together; the
    # Edit menu names the tables by their titles (it said "Undo gpu_models, tranches").
    assert window.undo_action.isEnabled()
    assert window.undo_action.text().replace("&", "") == "Undo GPU models, Capacity tranches"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    scenario = window.binding.scenario
    assert scenario.hardware.gpu_models[0].name == "H100 SXM"
    assert scenario.hardware.tranches[0].gpu_model == "H100 SXM"
    assert scenario.market.rents == before
    assert market_tab.rent_table.item(0, 0).text() == "H100 SXM"
