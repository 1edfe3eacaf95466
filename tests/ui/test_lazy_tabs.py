"""Tabs are built when first shown (a faster start): the tab bar lists every
tab from the start, a click on one builds it in place, and a tab built late
gets what the window gave the others (the theme, Ctrl+C, one undo step a drag)."""
import pyqtgraph as pg
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

import ui.app.undo

from core.presets import default_scenario
from ui import registry
from ui.look.themes import DEFAULT_THEME, THEMES, theme_manager
from ui.main_window import MainWindow

from tests.ui.conftest import settle


def own_window(qtbot, tmp_path) -> MainWindow:
    from ui.app.settings import AppSettings
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(default_scenario(), settings=settings, autosave_dir=tmp_path / "autosave")
    qtbot.addWidget(window)
    return window


def test_only_the_shown_tab_is_built_and_a_click_builds_another(qtbot, window):
    assert set(window.tab_pages) == {"contract"}
    titles = [window.tabs.tabText(i).replace("&&", "&") for i in range(window.tabs.count())]
    assert titles == [tab.title for tab in registry.TABS]        # every tab listed at once
    index = registry.TAB_KEYS.index("economics")
    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert set(window.tab_pages) == {"contract", "economics"}
    page = window.tab_pages["economics"]
    assert window.tabs.currentWidget() is page and window.tab("economics") is page
    assert window.tabs.indexOf(page) == index and window.tabs.count() == len(registry.TABS)
    assert page.isVisible()
    # It shows the scenario in force: the buyer's cumulative cash curve has a
    # point a month of the 36-month term.
    settle(qtbot, window)
    curve = page.plots.widget(0).item("buyer_cumulative_cash")
    assert len(curve.getData()[0]) == 36


def test_a_window_opened_on_another_tab_builds_only_that_one(qtbot, tmp_path):
    window = own_window(qtbot, tmp_path)
    window.show_tab("hardware")
    window.show()
    qtbot.waitExposed(window)
    assert set(window.tab_pages) == {"hardware"}
    assert window.tabs.currentWidget() is window.tab("hardware")


def test_a_tab_built_after_a_theme_change_takes_the_theme(qtbot, window):
    dark = THEMES["dark"]
    theme_manager().apply("dark")
    try:
        risk = window.tab("risk")     # built now, in the dark theme
        views = risk.findChildren(pg.PlotWidget)
        assert views
        for view in views:
            assert view.backgroundBrush().color() == QColor(dark.plot_background)
        # Its captions are written for the light theme ("color:#333;", dark grey):
        # in the dark theme they take its muted colour, as ThemeManager.apply gives
        # the tabs that existed when the theme changed.
        sheets = [label.styleSheet() for label in risk.findChildren(QLabel)
                  if label.styleSheet()]
        assert sheets
        assert not any("#333" in sheet for sheet in sheets), sheets
        assert any(dark.muted in sheet for sheet in sheets), sheets
    finally:
        theme_manager().apply(DEFAULT_THEME)


def test_a_drag_on_a_tab_built_late_is_one_undo_step(qtbot, tmp_path, monkeypatch):
    # Edits 5 s apart: only the drag itself can merge them into one step.
    clock = iter(range(0, 100_000, 5))
    monkeypatch.setattr(ui.app.undo, "monotonic", lambda: next(clock))
    window = own_window(qtbot, tmp_path)
    window.show_tab("hardware")
    window.show()
    qtbot.waitExposed(window)
    window.show_tab("contract")            # built now, after the Edit menu was made
    slider = window.tab("contract").fee_slider.slider
    slider.setSliderDown(True)             # pressed: the drag starts
    for position in (100, 200, 300):       # $0.5B .. $1.5B a month (slider step $5M)
        slider.setValue(position)
    slider.setSliderDown(False)
    assert window.binding.scenario.contract.monthly_fee == 1.5e9
    window.undo_action.trigger()
    assert window.binding.scenario.contract.monthly_fee == 1.25e9   # the default, in one step


def test_hidden_tabs_are_built_in_idle_time_one_a_turn_after_the_first_paint(qtbot, tmp_path):
    """Issue 22: as ui/app/launch.py does, the tabs not shown are built after the
    window's first paint, each in an event-loop turn of its own, so that a first
    click on one shows it rather than builds it."""
    from PySide6.QtCore import QEvent, QObject

    from ui.app.startup_probe import after_first_paint
    window = own_window(qtbot, tmp_path)
    paints, steps = [], []

    class WindowPaints(QObject):
        def eventFilter(self, _watched, event):
            if event.type() == QEvent.Type.Paint:
                paints.append(event)
            return False

    counter = WindowPaints()
    window.installEventFilter(counter)
    real_step = window._next_idle_step

    def step():
        before = set(window.tab_pages)
        real_step()
        steps.append((len(paints), set(window.tab_pages) - before))

    window._next_idle_step = step
    after_first_paint(window, window.build_hidden_tabs_when_idle)
    window.show()
    assert set(window.tab_pages) == {"contract"}      # the first paint waits for nothing
    qtbot.waitUntil(lambda: len(window.tab_pages) == len(registry.TABS)
                    and not window.idle_work_pending, timeout=60_000)
    hidden = [key for key in registry.TAB_KEYS if key != "contract"]
    # One tab a step, in the tab bar's order, every step after the first paint
    # (the steps between builds ready the tab built last: none builds a tab).
    assert [built for _paints, built in steps if built] == [{key} for key in hidden]
    assert all(len(built) <= 1 for _paints, built in steps)
    assert all(painted >= 1 for painted, _built in steps)
    assert list(window.idle_build_ms) == hidden
    # Still hidden and in place: the window shows the tab it opened on.
    assert window.tabs.currentWidget() is window.tab("contract")
    assert [window.tabs.indexOf(window.tab(key)) for key in registry.TAB_KEYS] == \
        list(range(len(registry.TABS)))
    window.removeEventFilter(counter)
