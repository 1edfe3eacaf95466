"""Settings that persist between runs (QSettings): window layout, recent
files and the theme's name.  A saved window size is clamped to the screen
it opens on (a corrupt or foreign 30000 x 30000 would allocate gigabytes of
backing store).  Tests pass their own QSettings (an INI file in a
temporary folder) so they never touch the user's."""
from __future__ import annotations

import os

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication

ORGANIZATION = "Compute Deal Modeler"
APPLICATION = "Compute Deal Modeler"
MAX_RECENT = 8
# The keys of ui.look.themes.THEMES (a test keeps them equal); the first is the default.
THEMES = ("light", "dark", "high_contrast")


def default_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION,
                     APPLICATION)


class AppSettings:
    def __init__(self, settings: QSettings | None = None):
        self.qsettings = settings if settings is not None else default_settings()

    # --- recent files -------------------------------------------------------------------

    def recent_files(self) -> list[str]:
        value = self.qsettings.value("files/recent", [])
        if isinstance(value, str):       # QSettings gives a one-element list as a string
            value = [value]
        return [str(v) for v in (value or []) if str(v)][:MAX_RECENT]

    def add_recent_file(self, path: str | os.PathLike) -> list[str]:
        path = os.path.abspath(path)
        files = [path] + [f for f in self.recent_files() if f != path]
        self.qsettings.setValue("files/recent", files[:MAX_RECENT])
        self.qsettings.sync()
        return files[:MAX_RECENT]

    def remove_recent_file(self, path: str) -> None:
        self.qsettings.setValue("files/recent", [f for f in self.recent_files() if f != path])
        self.qsettings.sync()

    # --- window layout and theme --------------------------------------------------------

    def save_window(self, window) -> None:
        self.qsettings.setValue("window/geometry", window.saveGeometry())
        self.qsettings.setValue("window/state", window.saveState())
        self.qsettings.setValue("window/size", window.size())
        self.qsettings.setValue("window/tab", window.tabs.currentIndex())
        self.qsettings.sync()

    def restore_window(self, window) -> bool:
        geometry = self.qsettings.value("window/geometry")
        if not isinstance(geometry, QByteArray) or geometry.isEmpty():
            return False
        window.restoreGeometry(geometry)
        size = self.qsettings.value("window/size")
        if isinstance(size, QSize) and size.isValid() and not window.isMaximized():
            window.resize(size)   # restoreGeometry alone may not size an unshown window
        clamp_to_screen(window)
        state = self.qsettings.value("window/state")
        if isinstance(state, QByteArray):
            window.restoreState(state)
        try:
            window.tabs.setCurrentIndex(int(self.qsettings.value("window/tab", 0)))
        except (TypeError, ValueError):
            pass
        return True

    def theme(self) -> str:
        theme = str(self.qsettings.value("appearance/theme", THEMES[0]))
        return theme if theme in THEMES else THEMES[0]

    def set_theme(self, theme: str) -> None:
        if theme not in THEMES:
            raise ValueError(f"Unknown theme {theme!r}; themes: {', '.join(THEMES)}")
        self.qsettings.setValue("appearance/theme", theme)
        self.qsettings.sync()


def available_area(window) -> QRect:
    """The usable part of the screen the window is on (or the primary screen)."""
    screen = QGuiApplication.screenAt(window.geometry().center()) or \
        QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1920, 1080)


def clamp_to_screen(window) -> None:
    """Keep a restored window within the available screen: no larger than it,
    and with its top-left corner on it."""
    area = available_area(window)
    frame = window.frameGeometry()
    extra_w = max(0, frame.width() - window.width())
    extra_h = max(0, frame.height() - window.height())
    width = max(1, min(window.width(), area.width() - extra_w))
    height = max(1, min(window.height(), area.height() - extra_h))
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    x = min(max(window.x(), area.left()), area.right() - width + 1)
    y = min(max(window.y(), area.top()), area.bottom() - height + 1)
    if (x, y) != (window.x(), window.y()):
        window.move(x, y)


def show_within_screen(window) -> None:
    """Show the window whole on its screen.  Before it is shown the window
    manager's frame (its title bar) is unknown, so a window clamped to the
    available area would be that much taller than the screen, its bottom row
    off it (seen at 1280 x 720 under openbox).  A window that fills the
    available area in either direction is shown maximized instead: the
    window manager then fits it, frame and all."""
    area = available_area(window)
    if window.isMaximized() or window.width() >= area.width() \
            or window.height() >= area.height():
        window.showMaximized()
    else:
        window.show()
