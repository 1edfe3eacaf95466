"""Start the desktop app."""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from core.presets import default_scenario
from ui.app.fonts import install_fonts
from ui.app import APP_NAME
from ui.main_window import MainWindow
from ui.registry import DEFAULT_TAB
from ui.app.startup_probe import after_first_paint, quit_after_first_paint_if_asked
from ui.app.settings import show_within_screen
from ui.look.themes import configure_pyqtgraph, theme_manager

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def run(tab: str = DEFAULT_TAB, path: str | None = None, theme: str | None = None) -> int:
    """Open the app on a tab, and on a scenario file if `path` is given; `theme`
    (a key of ui.look.themes.THEMES) replaces the remembered theme."""
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("Compute Deal Modeler")
    app.setWindowIcon(QIcon(str(RESOURCES / "icon.svg")))
    install_fonts(app)  # bundled DejaVu Sans: text renders on a bare system
    configure_pyqtgraph()
    window = MainWindow(default_scenario())
    if path is not None:
        window.file_actions.load_file(path)
    window.show_tab(tab)
    if theme is not None:
        theme_manager().apply(theme)
    quit_after_first_paint_if_asked(window)  # cold-start measurement only
    # After a crash: the autosaved scenarios, offered once the window is on
    # screen (looking for them locks each session file: tens of ms).
    after_first_paint(window, window.file_actions.offer_recovery)
    # Then the tabs not shown, one an event-loop turn (a first click on one is
    # then a show, not a build).
    after_first_paint(window, window.build_hidden_tabs_when_idle)
    show_within_screen(window)
    return app.exec()
