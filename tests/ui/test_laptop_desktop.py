"""A laptop screen: the window fits 1280 x 720 with every tab shown, the wheel
edits only the field that has focus, Ctrl+Z in a field undoes the model edit."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.conftest import settle
from tests.ui.conftest import wheel as _wheel
from ui import registry

LAPTOP = (1280, 720)


def _fits(widget: QWidget) -> bool:
    hint = widget.minimumSizeHint()
    return hint.width() <= LAPTOP[0] and hint.height() <= LAPTOP[1]


def test_every_tab_fits_a_1280_by_720_screen(qtbot, window):
    window.resize(*LAPTOP)
    for key in registry.TAB_KEYS:
        window.show_tab(key)
        qtbot.wait(1)
        page = window.tab(key)
        assert _fits(window), (key, window.minimumSizeHint())
        assert window.minimumSize().width() <= LAPTOP[0], key
        # Nothing pushed the window wider or taller than the screen.
        assert (window.width(), window.height()) == LAPTOP, (key, window.size())
        # The tab is laid out inside the window, not cut off on the right.
        right = page.mapTo(window, QPoint(page.width(), 0)).x()
        assert right <= LAPTOP[0], (key, right)
        assert page.width() >= page.minimumSizeHint().width(), key


def test_a_monte_carlo_run_leaves_the_minimum_size_alone(qtbot, window):
    # Showing Risk runs the tornado and a simulation (live risk); their titles and notes
    # are long sentences, which must wrap rather than widen the window (they made it
    # 1,417 px wide once).
    window.resize(*LAPTOP)
    window.show_tab("risk")
    risk = window.tab("risk")
    qtbot.waitUntil(lambda: risk.simulation_result is not None, timeout=20_000)
    settle(qtbot, window)
    assert _fits(window), window.minimumSizeHint()
    assert (window.width(), window.height()) == LAPTOP


def test_presentation_mode_leaves_the_minimum_size_alone(qtbot, window):
    window.resize(*LAPTOP)
    before = window.minimumSizeHint()
    window.presentation_action.trigger()
    qtbot.waitUntil(lambda: window.presentation_mode.current is not None, timeout=2000)
    qtbot.keyClick(window.presentation_mode.current, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.presentation_mode.current is None, timeout=2000)
    assert window.minimumSizeHint().width() <= max(before.width(), LAPTOP[0])
    assert _fits(window)


def test_wheel_over_an_unfocused_field_changes_nothing(qtbot, window):
    window.show_tab("contract")
    form = window.tab("contract").form
    term = form.fields["term_months"]
    timing = form.fields["payment_timing"]
    window.key_figures.setFocus()
    before = window.binding.scenario
    _wheel(term)
    _wheel(term.lineEdit())
    _wheel(timing)
    settle(qtbot, window)
    assert window.binding.scenario == before
    assert term.value() == before.contract.term_months


def test_wheel_over_a_focused_field_still_steps_it(qtbot, window):
    window.show_tab("contract")
    term = window.tab("contract").form.fields["term_months"]
    term.setFocus()
    qtbot.waitUntil(term.hasFocus, timeout=1000)
    months = window.binding.scenario.contract.term_months
    _wheel(term)
    settle(qtbot, window)
    # One notch up is one single step (1 month).
    assert window.binding.scenario.contract.term_months == months + 1


def test_ctrl_z_inside_a_focused_field_undoes_the_last_edit(qtbot, window):
    window.show_tab("contract")
    window.activateWindow()
    term = window.tab("contract").form.fields["term_months"]
    months = window.binding.scenario.contract.term_months
    term.setFocus()
    qtbot.waitUntil(term.hasFocus, timeout=1000)
    term.lineEdit().selectAll()
    qtbot.keyClicks(term.lineEdit(), "48")
    qtbot.keyClick(term.lineEdit(), Qt.Key.Key_Return)
    settle(qtbot, window)
    assert window.binding.scenario.contract.term_months == 48
    assert term.hasFocus()
    qtbot.keyClick(term.lineEdit(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert window.binding.scenario.contract.term_months == months
    assert term.value() == months
    qtbot.keyClick(term.lineEdit(), Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    settle(qtbot, window)
    assert window.binding.scenario.contract.term_months == 48


@pytest.mark.parametrize("key", ["contract", "economics"])   # economics: built in idle time
def test_wheel_over_a_plot_zooms_only_with_ctrl(qtbot, window, key):
    window.show_tab(key)
    settle(qtbot, window)
    from ui.plots.common import PlotPanel
    panel = window.tab(key).findChildren(PlotPanel)[0]
    qtbot.wait(10)
    view = panel.plot.getViewBox()
    before = view.viewRange()
    _wheel(panel.plot_widget.viewport())
    qtbot.wait(10)
    assert view.viewRange() == before
    _wheel(panel.plot_widget.viewport(), modifiers=Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(10)
    assert view.viewRange()[0] != before[0]   # Ctrl + wheel zooms the time axis


def test_loading_an_example_refreshes_every_greyed_price_field(qtbot, window):
    from core.engine import compute
    from core.examples import example
    window.show_tab("contract")
    tab = window.tab("contract")
    settle(qtbot, window)
    old = {name: tab.price_field(name).value()
           for name in ("price_per_gpu_hour", "price_per_mw_month")}
    item = example("meta-coreweave-2025")
    window.examples_menu.action_for(item.key).trigger()
    settle(qtbot, window)
    scenario = window.binding.scenario
    assert scenario.contract.pricing_mode == "fixed"   # so both rate fields are greyed
    greyed = [n for n in ("monthly_fee", "price_per_gpu_hour", "price_per_mw_month")
              if not tab.form.fields[n].isEnabled()]
    assert greyed == ["price_per_gpu_hour", "price_per_mw_month"]
    total = compute(item.scenario).key_figures.total_contract_value
    # $ per MW-month by its definition: the contract value over contracted MW x months.
    per_mw_month = total / (scenario.hardware.contracted_mw * scenario.contract.term_months)
    assert tab.price_field("price_per_mw_month").value() == pytest.approx(per_mw_month, abs=0.5)
    per_gpu_hour = compute(item.scenario).key_figures.price_per_gpu_hour
    assert tab.price_field("price_per_gpu_hour").value() == pytest.approx(per_gpu_hour, abs=0.01)
    for name, before in old.items():
        assert tab.price_field(name).value() != pytest.approx(before), name
    # The fee field in force still shows the deal's own fee.
    assert tab.price_field("monthly_fee").model_value() == \
        pytest.approx(scenario.contract.monthly_fee, rel=1e-3)


def test_f1_opens_the_guide_with_the_reference_deal_and_about_names_licences(qtbot, window):
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = window.findChild(QWidget, "help:guide")
    assert guide is not None and guide.isVisible()
    text = guide.text.toPlainText()
    # The reference deal's contract value ($45.0B, `main.py kpis`), and every tab's title.
    assert "Total contract value $45.0B" in text
    for declared in registry.TABS:
        assert declared.title in text, declared.title
    about = window.show_help("about").text.toPlainText()
    for name, licence in (("PySide6", "LGPL"), ("pyqtgraph", "MIT"), ("NumPy", "BSD"),
                          ("pandas", "BSD"), ("DejaVu", "DejaVu")):
        assert name in about and licence in about
    assert "0.1.0" in about


def test_help_conventions_lists_every_declared_convention(qtbot, window):
    """Issue 22, item 4: Help > Conventions is generated from core/conventions.py."""
    from core.conventions import CONVENTIONS
    action = next(a for a in window.help_menu.actions() if a.text() == "&Conventions")
    action.trigger()
    page = window.findChild(QWidget, "help:conventions")
    assert page is not None and page.isVisible()
    text = page.text.toPlainText()
    for convention in CONVENTIONS:
        assert convention.title in text and convention.text[:60] in text, convention.key
    # The four conventions issue 22 settled, as the app now computes them.
    assert "divided by 365/12" in text and "month 1's payment date" in text
    assert "adds up to more than 100% is refused" in text and "n/a (blank in the CSV)" in text


def test_ctrl_page_down_and_up_move_between_tabs(qtbot, window):
    window.show_tab("contract")
    window.activateWindow()
    field = window.tab("contract").form.fields["term_months"]
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=1000)
    qtbot.keyClick(field.lineEdit(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.tab(registry.TAB_KEYS[1])
    qtbot.keyClick(window.tabs.currentWidget(), Qt.Key.Key_PageUp,
                   Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.tabs.currentWidget(), Qt.Key.Key_PageUp,
                   Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.tab(registry.TAB_KEYS[-1])   # wraps round


def test_plot_reading_aids_crosshair_leaves_fit_view_and_copy(qtbot, window):
    from ui.plots.common import PlotPanel
    window.show_tab("contract")
    settle(qtbot, window)
    panel = window.tab("contract").findChildren(PlotPanel)[0]
    view = panel.plot.getViewBox()
    fitted = view.viewRange()
    centre = view.sceneBoundingRect().center()
    panel._mouse_moved(centre)
    assert panel.crosshair.isVisible()
    assert panel.readout.text().strip()
    QApplication.sendEvent(panel, QEvent(QEvent.Type.Leave))   # the pointer leaves
    assert not panel.crosshair.isVisible()
    assert panel.readout.text().strip() == ""
    view.scaleBy((0.5, 1))                 # zoomed in on the time axis
    assert view.viewRange()[0] != fitted[0]
    assert panel.fit_action in panel.plot_widget.actions()
    panel.fit_action.trigger()
    assert view.viewRange()[0] == pytest.approx(fitted[0])
    QApplication.clipboard().clear()
    panel.copy_action.trigger()
    image = QApplication.clipboard().image()
    assert image.width() == panel.width() and image.height() == panel.height()


def test_a_window_as_large_as_the_screen_is_shown_maximized(qtbot, window):
    """Clamped to the available area before it is shown, the window would be
    its title bar taller than the screen; shown maximized, the window manager
    fits it whole.  A smaller window is shown as it is."""
    from ui.app.settings import available_area, show_within_screen
    area = available_area(window)
    window.resize(area.width(), area.height())
    show_within_screen(window)
    qtbot.waitUntil(window.isMaximized, timeout=2000)
    # A window smaller than the screen (a plain widget: the main window's own
    # minimum is larger than the offscreen test screen).
    from PySide6.QtWidgets import QWidget
    small = QWidget()
    qtbot.addWidget(small)
    small.resize(area.width() // 2, area.height() // 2)
    show_within_screen(small)
    qtbot.waitExposed(small)
    assert not small.isMaximized() and small.width() == area.width() // 2
