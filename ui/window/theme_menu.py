"""View > Theme: light (the default, for projectors), dark, high contrast.

The choice is remembered in the settings (ui/app/settings.py) by the main window."""
from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup

from ui.look.themes import DEFAULT_THEME, THEMES, theme_manager


class _ThemeGroup(QActionGroup):
    """The theme actions; keeps the tick on the theme in force."""

    def __init__(self, parent):
        super().__init__(parent)
        self.setExclusive(True)
        self.by_key: dict[str, QAction] = {}

    def show_theme(self, theme) -> None:
        action = self.by_key.get(theme.key)
        if action is not None:
            action.setChecked(True)


def add_theme_menu(window) -> dict[str, QAction]:
    """View > Theme: one checkable action per theme, by theme key."""
    menu = window.view_menu.addMenu("&Theme")
    group = _ThemeGroup(window)
    actions = group.by_key
    manager = theme_manager()
    manager.add_root(window)
    for key, theme in THEMES.items():
        action = QAction(theme.name, window)
        action.setCheckable(True)
        action.setChecked(key == manager.current.key)
        action.triggered.connect(lambda _checked=False, key=key: manager.apply(key))
        group.addAction(action)
        menu.addAction(action)
        actions[key] = action
    # Keep the tick right when the theme is changed another way.
    manager.theme_changed.connect(group.show_theme)
    window.view_menu.menuAction().setVisible(True)
    if manager.current.key != DEFAULT_THEME:
        manager.apply(manager.current.key)   # a new window in a themed session
    return actions
