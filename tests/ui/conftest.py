"""Fixtures for widget tests: the real main window on the default scenario,
with a profile of its own (settings file and autosave folder under the test's
tmp_path), so that no test reads or leaves anything in the user's."""
import pytest
from PySide6.QtCore import QSettings

from core.presets import default_scenario
from ui.main_window import MainWindow
from ui.look.themes import configure_pyqtgraph


@pytest.fixture
def window(qtbot, tmp_path):
    from ui.app.settings import AppSettings
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    configure_pyqtgraph()
    main_window = MainWindow(default_scenario(), settings=settings,
                             autosave_dir=tmp_path / "autosave")
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitExposed(main_window)
    return main_window


def settle(qtbot, window):
    """Wait for the coalesced recompute to run and the views to update."""
    qtbot.waitUntil(lambda: not window.binding.recompute_pending, timeout=2000)
    # Views on hidden tabs update when shown (ui/app/lazy_updates.py); tests read
    # them directly, so bring them up to date too.
    window.binding.flush_views()
    qtbot.wait(1)
