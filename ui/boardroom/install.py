"""Installs the boardroom features on the main window: File > Export...,
View > Presentation mode (F5) and View > Theme."""
from __future__ import annotations


def install_boardroom(window) -> None:
    from ui.boardroom.export_menu import install_export_actions
    from ui.boardroom.presentation import install_presentation
    from ui.boardroom.theme_menu import install_theme_menu
    install_export_actions(window)
    install_presentation(window)
    install_theme_menu(window)
