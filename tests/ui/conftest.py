"""Fixtures for widget tests: the real main window on the default scenario,
with a profile of its own (settings file and autosave folder under the test's
tmp_path), so that no test reads or leaves anything in the user's."""
import gc

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from core.presets import default_scenario
from ui.main_window import MainWindow
from ui.look.themes import configure_pyqtgraph


@pytest.fixture(autouse=True, scope="module")
def _widgets_deleted_after_each_file(qapp):
    """The widgets a test file closed are deleted, and their Python wrappers
    collected, before the next file (and before the interpreter exits).
    Left to the interpreter's exit, pyqtgraph items outlived their views in
    an order Qt does not survive: tests/ui/test_series_panel.py run alone
    passed all 14 tests, then the process died of a segmentation fault at
    exit (every run, since at least a86bdc9)."""
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


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


@pytest.fixture
def compare(qtbot):
    """The Compare scenarios tab under the scenario bar, on the reference deal:
    (window, bar, tab, binding)."""
    from PySide6.QtWidgets import QMainWindow

    from ui.app.binding import ScenarioBinding
    from ui.app.workspace import Workspace
    from ui.tabs.comparison import CompareTab, ScenarioBar
    configure_pyqtgraph()
    binding = ScenarioBinding(default_scenario())
    workspace = Workspace(binding)
    window = QMainWindow()
    qtbot.addWidget(window)
    bar = ScenarioBar(window, workspace)
    window.addToolBar(bar)
    tab = CompareTab(workspace)
    window.setCentralWidget(tab)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    return window, bar, tab, binding


class EventCounter(QObject):
    """An event filter that counts the events of one type a widget receives."""

    def __init__(self, kind: QEvent.Type):
        super().__init__()
        self.kind = kind
        self.count = 0

    def eventFilter(self, _watched, event):   # noqa: N802 (Qt's name)
        if event.type() == self.kind:
            self.count += 1
        return False


class LayoutRequests(EventCounter):
    """Counts the layout requests a widget receives (a new text that lays the
    tab or window out again shows as one more)."""

    def __init__(self):
        super().__init__(QEvent.Type.LayoutRequest)


class WindowRepaints(EventCounter):
    """Counts the UpdateRequests a window acts on: each one paints what is
    dirty and flushes it to the screen (a request held back and replaced by
    ui/plots/one_frame.py never reaches a filter installed before it)."""

    def __init__(self):
        super().__init__(QEvent.Type.UpdateRequest)


def wheel(widget, steps: int = 1, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """`steps` notches of the wheel up (120 eighths of a degree each) over the
    widget's centre, as the mouse sends them."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton, modifiers,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def type_into(qtbot, spin, text) -> None:
    """Type `text` into a spin box as a user does: focus, select all, type, Enter."""
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)
