"""The bundled font: DejaVu Sans ships in resources/fonts and is registered at
start, so text renders on a bare system (no fonts installed, no network to
fetch one).  It becomes the application font only when the system has no
font of its own; otherwise the platform's usual font is kept.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo
from PySide6.QtWidgets import QApplication

FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
BUNDLED_FAMILY = "DejaVu Sans"


def register_bundled_fonts(font_dir: Path = FONT_DIR) -> list[str]:
    """Add every .ttf under font_dir to Qt's font database; the families added."""
    families: list[str] = []
    for path in sorted(font_dir.glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families += [f for f in QFontDatabase.applicationFontFamilies(font_id)
                         if f not in families]
    return families


def fallback_family(system_resolves_to: str, bundled_families: list[str]) -> str | None:
    """The family to impose, or None to keep the platform's font: only when
    the application font resolved to no real font before ours were added."""
    if system_resolves_to or BUNDLED_FAMILY not in bundled_families:
        return None
    return BUNDLED_FAMILY


def install_fonts(app: QApplication) -> str | None:
    """Register the bundled fonts; returns the family imposed, if any."""
    # With no fonts installed, fontconfig still lists the generic aliases
    # (Sans Serif, ...), so ask what the app font actually resolves to.
    system_resolves_to = QFontInfo(app.font()).family()
    family = fallback_family(system_resolves_to, register_bundled_fonts())
    if family is not None:
        font = QFont(family)
        font.setPointSizeF(app.font().pointSizeF() if app.font().pointSizeF() > 0 else 10.0)
        app.setFont(font)
    return family
