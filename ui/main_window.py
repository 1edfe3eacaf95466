"""The main window: key figures above the tabs (built from ui/registry.py), a
message bar for refused edits, the scenario bar and the menus."""
from __future__ import annotations

import time
from collections import deque
from pathlib import Path
from typing import Callable

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QRect, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QApplication, QLabel, QMainWindow, QVBoxLayout,
                               QWidget)

from core.parameters import Scenario
from ui import registry
from ui.app import APP_NAME
from ui.app.binding import ScenarioBinding
from ui.app.build_steps import BuiltInSteps
from ui.window.examples_menu import ExamplesMenu
from ui.window.glossary import GlossaryDialog
from ui.window.help import HelpDialog, about_html, conventions_html, guide_html
from ui.widgets.import_dialog import ImportDialog, import_action, open_import_dialog
from ui.window.file_actions import FileActions, clean_temporaries, install_edit_menu
from ui.app.recovery import default_autosave_dir
from ui.app import safe_input
from ui.app.settings import AppSettings, clamp_to_screen
from ui.app.workspace import Workspace
from ui.window.export_menu import add_export_action, add_portfolio_export_action
from ui.boardroom.presentation import PresentationMode
from ui.window.theme_menu import add_theme_menu
from ui.window.warm_up import warm_up_steps
from ui.look.themes import (DEFAULT_THEME, ERROR_STYLE, restyle_widget, style_plot_widget,
                                 theme_manager)
from ui.tabs.comparison import ScenarioBar
from ui.widgets.key_figures import BUYER, KeyFigureStrip
from ui.widgets.schedule_grid import ScheduleGrid, schedule_dock
from ui.widgets.tab_widget import TabWidget
from ui.widgets.tables import TableCopier
from ui.widgets.plain_text import plain_label, shortened

MESSAGE_MS = 8000
TAB_KEYS = registry.TAB_KEYS


def _tab_text(declared: registry.Tab) -> str:
    # "&&": "Solve & sweep" shows its ampersand, not a mnemonic on " ".
    return declared.title.replace("&", "&&")


def _style_in_current_theme(page: QWidget) -> None:
    """A tab built after another theme was applied gets it, as ThemeManager.apply
    gives the widgets that existed then (widgets are written for the default)."""
    theme = theme_manager().current
    if theme.key == DEFAULT_THEME:
        return
    for widget in [page, *page.findChildren(QWidget)]:
        restyle_widget(widget, theme)
        if isinstance(widget, pg.PlotWidget):
            style_plot_widget(widget, theme)


class _UnbuiltTab(QWidget):
    """Holds a tab's place in the tab bar until the tab is first shown."""

    def __init__(self, key: str):
        super().__init__()
        self.key = key


class MainWindow(QMainWindow):
    """`settings` and `autosave_dir` default to the user's; tests pass their own."""

    def __init__(self, scenario: Scenario, parent=None, settings: AppSettings | None = None,
                 autosave_dir: Path | None = None):
        super().__init__(parent)
        self.binding = ScenarioBinding(scenario, self)
        self.workspace = Workspace(self.binding, self)   # the open scenarios, undo
        self.setWindowTitle(f"{scenario.name} \u2014 {APP_NAME}")

        self.key_figures = KeyFigureStrip()
        self.message = plain_label(QLabel())     # a refusal quotes names from files
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self.message.hide)

        # Tabs are built when first shown (or asked for by `tab(key)`): until
        # then a placeholder holds their place in the tab bar.  Building all
        # nine took most of the cold start (bench/run.py cold_start_s).
        self.tabs = TabWidget()
        self.tab_pages: dict[str, QWidget] = {}     # the tabs built so far
        self._unbuilt: dict[str, _UnbuiltTab] = {}
        self._page_hooks: list[Callable[[QWidget], None]] = []
        for declared in registry.TABS:
            placeholder = _UnbuiltTab(declared.key)
            self._unbuilt[declared.key] = placeholder
            self.tabs.addTab(placeholder, _tab_text(declared))
        self.tabs.tabBar().tabBarClicked.connect(self._before_click_switch)
        self.tabs.currentChanged.connect(self._build_if_shown)
        self.tabs.currentChanged.connect(self._settle_before_paint)
        self.tabs.currentChanged.connect(self._take_focus_along)
        self._focus_into_page = False      # set by _before_switch
        self.tabs.currentChanged.connect(self._show_concern)
        self._show_concern(self.tabs.currentIndex())
        self._idle_builds: QTimer | None = None     # build_hidden_tabs_when_idle
        # What is left to do in idle time: (tab key, step); a tab's build, then
        # the steps that ready it for its first show (ui/window/warm_up.py).
        self._idle_steps: deque[tuple[str, Callable[[], bool | None]]] = deque()
        self._building: dict[str, QWidget] = {}   # tabs begun in idle steps, not finished
        # Each tab built in idle time: its construction's steps, summed (wall ms).
        self.idle_build_ms: dict[str, float] = {}
        self.idle_build_steps: dict[str, int] = {}   # how many steps that took
        self.idle_step_ms: dict[str, list[float]] = {}   # every idle step of each tab
        self.idle_step_cpu_ms: dict[str, list[float]] = {}   # the same, main-thread CPU

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.key_figures)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self.examples_menu = ExamplesMenu(self)   # File > Examples, above File > Quit
        self.file_menu.insertMenu(self.quit_action, self.examples_menu)
        self.file_menu.insertSeparator(self.quit_action)
        self.export_action = add_export_action(self)          # File > Export...
        self.portfolio_export_action = add_portfolio_export_action(self)   # ... portfolio...
        self.presentation_mode = PresentationMode(self)        # View > Presentation mode
        self.presentation_action = self.presentation_mode.action
        self.theme_actions = add_theme_menu(self)             # View > Theme
        self.for_each_tab_page(_style_in_current_theme)        # tabs built later, too

        self.binding.results_changed.connect(self.key_figures.show_results)
        self.binding.edit_refused.connect(self.show_refusal)
        self.binding.edit_accepted.connect(self._clear_refusal)
        self.key_figures.show_results(self.binding.results)
        self.resize(1560, 960)
        # File > New/Open/Save, the title, settings and autosave; Edit > Undo/Redo.
        settings = settings or AppSettings()
        self.file_actions = FileActions(
            self, self.workspace, settings,
            autosave_dir if autosave_dir is not None else default_autosave_dir())
        self.undo_action, self.redo_action = install_edit_menu(self, self.workspace)
        self.scenario_bar = ScenarioBar(self, self.workspace)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.scenario_bar)
        if not settings.restore_window(self):
            clamp_to_screen(self)   # 1560 x 960 is more than a laptop's screen
        self.settings = settings
        # The theme chosen last time, and remembered whenever it changes.
        themes = theme_manager()
        if settings.theme() != themes.current.key:
            themes.apply(settings.theme())
        themes.theme_changed.connect(self._remember_theme)
        self._remembers_theme = True
        clean_temporaries(self.file_actions.autosave.directory, settings)
        self._build_data_actions()     # after the tables exist
        # The wheel edits only a focused field; Ctrl+Z in a field undoes the model's edit.
        safe_input.install(self)
        self.for_each_tab_page(safe_input.strong_focus)
        # Tab follows reading order: the scenario bar, the View-as switch, the tabs; from
        # a tab's last control Tab comes round to the scenario bar.
        self.scenario_bar.take_tab_order(self.key_figures.switch.buttons[BUYER])
        self._page_hooks.append(self._bar_after_new_tab)

    def _build_menus(self) -> None:
        # Features add their actions to these menus (see e.g. File > Quit).
        self.file_menu = self.menuBar().addMenu("&File")
        self.edit_menu = self.menuBar().addMenu("&Edit")
        self.view_menu = self.menuBar().addMenu("&View")
        self.help_menu = self.menuBar().addMenu("&Help")
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)
        conventions = QAction("&Conventions", self)
        conventions.triggered.connect(lambda: self.show_help("conventions"))
        self.help_menu.addAction(conventions)
        self.glossary_action = QAction("&Glossary", self)
        self.glossary_action.setStatusTip("Every figure and column: unit, side and definition")
        self.glossary_action.triggered.connect(self.show_glossary)
        self.help_menu.addAction(self.glossary_action)
        self.guide_action = QAction("&Guide", self)
        self.guide_action.setShortcut(QKeySequence.StandardKey.HelpContents)   # F1
        self.guide_action.setStatusTip("A walk through the reference deal, tab by tab")
        self.guide_action.triggered.connect(lambda: self.show_help("guide"))
        self.help_menu.insertAction(conventions, self.guide_action)
        self.help_menu.addSeparator()
        self.about_action = QAction(f"&About {APP_NAME}", self)
        self.about_action.triggered.connect(lambda: self.show_help("about"))
        self.help_menu.addAction(self.about_action)
        # Ctrl+PgDown / Ctrl+PgUp: the next / previous tab, wherever the focus is.
        for keys, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, step=step: self.step_tab(step))
            self.addAction(action)
        for menu in (self.edit_menu, self.view_menu):
            menu.menuAction().setVisible(False)  # shown once a feature fills them

    def _build_data_actions(self) -> None:
        """File > Import..., View > Monthly schedule and Ctrl+C on every table:
        the window's own members, all made here."""
        self.import_dialog: ImportDialog | None = None     # the one open, if any
        self.import_action = import_action(self)
        self.import_action.triggered.connect(lambda _checked=False: self.open_import())
        self.file_menu.insertAction(self.export_action, self.import_action)   # above Export...
        self.schedule_dock = schedule_dock(self.binding, self)
        grid = self.schedule_dock.widget()
        assert isinstance(grid, ScheduleGrid)
        self.schedule_grid = grid
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.schedule_dock)
        self._schedule_dock_sized = False
        self.schedule_dock.visibilityChanged.connect(self._size_schedule_dock)
        self.view_menu.addAction(self.schedule_dock.toggleViewAction())
        self.view_menu.menuAction().setVisible(True)
        self.table_copier = TableCopier(self)
        self.table_copier.watch(self)
        self.for_each_tab_page(self.table_copier.watch)   # tabs built later, too

    def _size_schedule_dock(self, visible: bool) -> None:
        """The first time the schedule opens it takes a quarter of the window's
        height (Qt gave it half: the Risk tab's plots were crushed into
        overlapping labels); after that it keeps the height the user drags it to."""
        if visible and not self._schedule_dock_sized:
            self._schedule_dock_sized = True
            self.resizeDocks([self.schedule_dock], [max(160, self.height() // 4)],
                             Qt.Orientation.Vertical)

    def open_import(self, kind: str = "tranches") -> ImportDialog:
        """File > Import...: tranches or GPU models from a file or the clipboard."""
        self.import_dialog = open_import_dialog(self.binding, self, kind)
        return self.import_dialog

    def step_tab(self, step: int) -> None:
        count = self.tabs.count()
        index = (self.tabs.currentIndex() + step) % count
        self._before_switch(index)
        self.tabs.setCurrentIndex(index)

    def _before_click_switch(self, index: int) -> None:
        """A press on a tab: the tab bar reports any button's, but only the
        left one switches tabs (a right or middle click on another tab hid
        the page shown for a switch that never came: a blank page area)."""
        if QApplication.mouseButtons() & Qt.MouseButton.LeftButton:
            self._before_switch(index)

    def _before_switch(self, index: int) -> None:
        """Before the tab at `index` becomes current (a click on its tab, a
        step, show_tab): when the key figure strip shows other warnings above
        it than above the tab shown now, the strip shows them and the window
        is laid out for them first, so that the page is shown at its final
        size at once.  Else the stacked widget shows it at the size of the
        page area now, the new warnings resize it a moment later, and every
        plot of it is resized and its axes drawn again before its first paint
        (most of a first show: issue 22).  The page leaving is hidden first,
        keeping its size: the new layout resizes nothing that is shown.
        It is hidden first whatever the warnings: Qt then marks its area
        for repaint as a whole, and the new page's widgets, each marked when
        the stacked widget turns its updates back on, are painted once in
        that repaint; else Qt paints each opaque one (a form's scrolled
        content, a plot) on its own, then the labels and fields in it, and
        the content under them, again (a form's first show painted it
        twice)."""
        page, leaving = self.tabs.widget(index), self.tabs.currentWidget()
        if page is None or page is leaving or not self.isVisible():
            return
        key = page.key if isinstance(page, _UnbuiltTab) else next(
            (k for k, built in self.tab_pages.items() if built is page), "")
        strip = self.key_figures
        same_area = strip.warnings_height(key) == strip.warnings_height(self.current_tab_key())
        kept = leaving.geometry() if leaving is not None else None
        if leaving is not None:
            # Hidden with the focus in it, Qt moves the focus out of the page:
            # it goes into the new page instead, as the stacked widget does.
            focus = QApplication.focusWidget()
            self._focus_into_page = focus is not None and leaving.isAncestorOf(focus)
            leaving.hide()
        if same_area:
            return          # the page area stays as it is
        strip.show_concern(key)
        for widget in (strip, self.centralWidget()):   # the strip's new height, then the window's
            if widget is not None and widget.layout() is not None:
                widget.layout().activate()
        if leaving is not None and kept is not None:
            leaving.setGeometry(kept)   # hidden: as it was, for its next show

    def show_help(self, which: str) -> HelpDialog:
        """Help > Guide (F1), Help > Conventions or Help > About, one window each."""
        name = f"help:{which}"
        dialog = self.findChild(HelpDialog, name)
        if dialog is None:
            title, html = {"guide": ("Guide", guide_html()),
                           "conventions": ("Conventions", conventions_html()),
                           }.get(which) or (f"About {APP_NAME}", about_html())
            dialog = HelpDialog(title, html, self)
            dialog.setObjectName(name)
        dialog.show()
        dialog.raise_()
        return dialog

    def _remember_theme(self, theme) -> None:
        self.settings.set_theme(theme.key)

    def tab(self, key: str) -> QWidget:
        """The widget of the tab declared under `key` in ui/registry.py, built
        now if it has not been shown yet."""
        declared = registry.tab(key)   # KeyError naming the key and the known ones
        page = self.tab_pages.get(key)
        return page if page is not None else self._build_tab(declared)

    def _bar_after_new_tab(self, page: QWidget) -> None:
        """Qt puts a tab built late at the end of the window's focus chain,
        after the scenario bar: the bar goes after it again, so that Tab from
        the tab's last input still comes round to the bar, then the View-as
        switch (tests/ui/test_tab_order.py)."""
        last, widget = None, page
        while widget is page or page.isAncestorOf(widget):
            if widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                last = widget      # Qt orders only widgets that take focus
            widget = widget.nextInFocusChain()
        if last is None:
            return
        chain = (last, *self.scenario_bar.controls)
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def for_each_tab_page(self, hook: Callable[[QWidget], None]) -> None:
        """Call `hook(page)` for every tab page built so far and for each one
        built later (tabs are built when first shown): for set-up that walks a
        tab's widgets, such as giving every table Ctrl+C."""
        self._page_hooks.append(hook)
        for page in list(self.tab_pages.values()):
            hook(page)

    def _build_tab(self, declared: registry.Tab) -> QWidget:
        """Build the tab now (what idle steps left of it, if they began it) and
        put it in its placeholder's place."""
        page = self._building.pop(declared.key, None)
        if page is None:
            page = self._construct(declared, later=False)
        else:
            page.finish_build()
        return self._install(declared, page)

    def _construct(self, declared: registry.Tab, later: bool) -> QWidget:
        """The tab's widget; with `later`, a tab built in steps (ui/app/
        build_steps.py) is only begun: its steps are left to do."""
        needs = {"binding": self.binding, "workspace": self.workspace}[declared.needs]
        cls = registry.load(declared.builds)
        if later and issubclass(cls, BuiltInSteps):
            page = cls(needs, later=True)
            # Held by its placeholder meanwhile: a window closed mid-build
            # takes the half-built tab with it.
            page.setParent(self._unbuilt[declared.key])
            page.hide()
            return page
        return cls(needs)

    def _install(self, declared: registry.Tab, page: QWidget) -> QWidget:
        self.tab_pages[declared.key] = page
        if declared.follows_perspective:
            switch = self.key_figures.switch
            page.show_perspective(switch.perspective)
            switch.changed.connect(page.show_perspective)
        # The page takes its placeholder's place; the current tab stays current
        # (signals blocked: nothing changed for a listener).
        placeholder = self._unbuilt.pop(declared.key)
        index = self.tabs.indexOf(placeholder)
        blocked = self.tabs.blockSignals(True)
        try:
            was_current = self.tabs.currentWidget() is placeholder
            self.tabs.insertTab(index, page, _tab_text(declared))
            if was_current:
                self.tabs.setCurrentIndex(index)
            self.tabs.removeTab(index + 1)
        finally:
            self.tabs.blockSignals(blocked)
        placeholder.deleteLater()
        for hook in self._page_hooks:
            hook(page)
        return page

    def build_hidden_tabs_when_idle(self) -> None:
        """Build the tabs not built yet and ready them for their first show, in
        idle time, one small step an event-loop turn: each tab's construction
        in the steps it declares (ui/app/build_steps.py: its form, each plots
        widget, each table ...), then its layout at the size it will be shown
        at, then each of its plots rendered off screen (ui/window/warm_up.py).
        A first click on a tab is then the paint of a laid out page, not its
        construction, layout and settling (issue 22: 60-290 ms, the window
        frozen), and a click that comes during a step waits for that step
        only.  Called once the window has been painted for the first time
        (ui/app/launch.py), so it never delays that paint.  Each step is timed
        (`idle_step_ms` wall, `idle_step_cpu_ms` the main thread's CPU; the
        construction's steps summed in `idle_build_ms`); input that arrives
        meanwhile is handled between steps, and a tab clicked before its turn,
        or half-built, is built (the rest of it) by the click as before (its
        remaining steps then do nothing).  The steps end when every tab is
        built and readied."""
        for key in self._unbuilt:
            self._idle_steps.append((key, lambda key=key: self._begin_in_idle_time(key)))
        if self._idle_builds is None:
            self._idle_builds = QTimer(self)
            self._idle_builds.setSingleShot(True)
            self._idle_builds.timeout.connect(self._next_idle_step)
        self._idle_builds.start(0)

    @property
    def idle_work_pending(self) -> bool:
        """Whether idle steps remain (tabs to build or to ready for showing)."""
        return bool(self._idle_steps)

    def _next_idle_step(self) -> None:
        if not self._idle_steps:
            return
        key, step = self._idle_steps.popleft()
        start, start_cpu = time.perf_counter(), time.thread_time()
        building = step()
        wall = (time.perf_counter() - start) * 1000.0
        self.idle_step_ms.setdefault(key, []).append(wall)
        self.idle_step_cpu_ms.setdefault(key, []).append(
            (time.thread_time() - start_cpu) * 1000.0)
        if building:
            self.idle_build_ms[key] = self.idle_build_ms.get(key, 0.0) + wall
            self.idle_build_steps[key] = self.idle_build_steps.get(key, 0) + 1
        if self._idle_steps:
            self._idle_builds.start(0)     # the next one in a turn of its own

    def _begin_in_idle_time(self, key: str) -> bool:
        if key not in self._unbuilt or key in self._building:
            return False        # shown (and built) meanwhile
        page = self._construct(registry.tab(key), later=True)
        if isinstance(page, BuiltInSteps) and not page.built:
            self._building[key] = page
            self._idle_steps.appendleft((key, lambda: self._build_step_in_idle_time(key)))
        else:
            self._installed_in_idle_time(key, page)
        return True

    def _build_step_in_idle_time(self, key: str) -> bool:
        page = self._building.get(key)
        if page is None:
            return False        # shown (and finished) meanwhile
        if page.build_step():
            del self._building[key]
            self._installed_in_idle_time(key, page)
        else:
            self._idle_steps.appendleft((key, lambda: self._build_step_in_idle_time(key)))
        return True

    def _installed_in_idle_time(self, key: str, page: QWidget) -> None:
        self._install(registry.tab(key), page)
        # Its warm-up next, before the next tab's build: a click on it soon after
        # finds it ready.
        steps = warm_up_steps(page, lambda: self._page_area(key))
        self._idle_steps.extendleft((key, step) for step in reversed(steps))

    def _page_area(self, key: str) -> QRect:
        """The rectangle the tab `key` will be shown in: the page area of the
        tab widget, shorter or taller by the warnings about that tab the key
        figure strip will show above it (ui/widgets/key_figures.py)."""
        area = QRect(self.tabs.currentWidget().geometry())
        strip = self.key_figures
        if strip.isVisible():
            shown = self.current_tab_key()
            area.setHeight(area.height() + strip.warnings_height(shown)
                           - strip.warnings_height(key))
        return area

    def _build_if_shown(self, _index: int = -1) -> None:
        """Build the current tab if it is still a placeholder and the window is
        on screen (before that, showEvent does it, so that a window made and
        never shown, or moved to another tab before it is shown, builds
        only what it shows)."""
        placeholder = self.tabs.currentWidget()
        if isinstance(placeholder, _UnbuiltTab) and self.isVisible():
            self._build_tab(registry.tab(placeholder.key))

    def _take_focus_along(self, _index: int = -1) -> None:
        """The focus was on the page that _before_switch hid: to the new page's
        last focused widget, else its first that takes Tab (QStackedWidget's
        rule when it hides the page itself)."""
        if not self._focus_into_page:
            return
        self._focus_into_page = False
        page = self.tabs.currentWidget()
        target = page.focusWidget() if page is not None else None
        widget = page
        while target is None and widget is not None:
            widget = widget.nextInFocusChain()
            if widget is page:
                break
            if (page.isAncestorOf(widget) and widget.isEnabled() and widget.isVisibleTo(page)
                    and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
                target = widget
        if target is not None:
            target.setFocus(Qt.FocusReason.TabFocusReason)

    def _settle_before_paint(self, _index: int = -1) -> None:
        """The tab just made current, settled before its first paint rather
        than by it: the layout requests its new figures posted (labels of
        another width), then its plots.  pyqtgraph moves a view's items
        (linked axes, ranges set while hidden, text anchored to the data)
        when the view is about to paint, which schedules another paint of
        the view, whose own preparation moved a linked one: a first show
        painted the window three to eight times (issue 22).  Prepared here and
        the scenes' queued updates taken now, it paints twice at most.
        Each widget shown posts itself an update (QEvent.UpdateLater) that
        Qt delivers after the paint the scenes' updates start here: taken
        before it, they are in that paint, and do not paint the whole page
        a second time once the loop turns (issue 22, first shows)."""
        page = self.tabs.currentWidget()
        if page is None or not self.isVisible():
            return
        scenes = [view.scene() for view in page.findChildren(pg.GraphicsView)
                  if view.isVisible()]
        for scene in scenes:
            scene.prepareForPaint()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.UpdateLater)
        for scene in scenes:
            QCoreApplication.sendPostedEvents(scene, QEvent.Type.MetaCall)

    def showEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        placeholder = self.tabs.currentWidget()
        if isinstance(placeholder, _UnbuiltTab):
            self._build_tab(registry.tab(placeholder.key))
        super().showEvent(event)

    def current_tab_key(self) -> str:
        """The key (ui/registry.py) of the tab shown."""
        page = self.tabs.currentWidget()
        if isinstance(page, _UnbuiltTab):
            return page.key
        return next((key for key, built in self.tab_pages.items() if built is page), "")

    def _show_concern(self, _index: int) -> None:
        # The strip shows the warnings about the tab shown (a tab's key names the
        # part of the scenario it edits: contract, hardware, projections).
        self.key_figures.show_concern(self.current_tab_key())

    def show_tab(self, key: str) -> None:
        """Show a tab by key (see ui/registry.py)."""
        page = self.tab(key)
        self._before_switch(self.tabs.indexOf(page))
        self.tabs.setCurrentWidget(page)

    def closeEvent(self, event) -> None:
        # Reached only once the close is accepted (unsaved work asks first):
        # tabs with work in flight (the risk tab's simulations) stop it.
        super().closeEvent(event)
        if event.isAccepted():
            # No more idle steps: a tab half-built goes with its placeholder.
            self._idle_steps.clear()
            if self._idle_builds is not None:
                self._idle_builds.stop()
            if self._remembers_theme:   # a closed window no longer speaks for the theme
                self._remembers_theme = False
                theme_manager().theme_changed.disconnect(self._remember_theme)
            for page in self.tab_pages.values():
                shutdown = getattr(page, "shutdown", None)
                if callable(shutdown):
                    shutdown()

    def show_glossary(self) -> GlossaryDialog:
        dialog = self.findChild(GlossaryDialog)
        if dialog is None:
            dialog = GlossaryDialog(self)
        dialog.show()
        dialog.raise_()
        return dialog

    def show_refusal(self, _field: str, message: str) -> None:
        self.message.setText(shortened(f"Not applied: {message}"))
        self.message.show()
        self.statusBar().showMessage(message, MESSAGE_MS)
        self._message_timer.start(MESSAGE_MS)

    def _clear_refusal(self, _field: str) -> None:
        self.message.hide()
