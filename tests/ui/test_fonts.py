"""The bundled DejaVu Sans: registered at start, imposed only on a bare system."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtGui import QFontDatabase

from ui.app.fonts import BUNDLED_FAMILY, FONT_DIR, fallback_family, register_bundled_fonts

ROOT = Path(__file__).resolve().parents[2]


def test_the_font_files_and_licence_ship_in_resources():
    assert (FONT_DIR / "DejaVuSans.ttf").stat().st_size > 100_000
    assert (FONT_DIR / "DejaVuSans-Bold.ttf").stat().st_size > 100_000
    assert "Bitstream" in (FONT_DIR / "LICENSE-DejaVu.txt").read_text()


def test_registering_adds_dejavu_sans_to_qt(qapp):
    assert BUNDLED_FAMILY in register_bundled_fonts()
    assert BUNDLED_FAMILY in QFontDatabase.families()
    assert "Bold" in QFontDatabase.styles(BUNDLED_FAMILY)


def test_the_platform_font_is_kept_when_the_system_has_fonts():
    assert fallback_family("Liberation Sans", [BUNDLED_FAMILY]) is None
    assert fallback_family("", [BUNDLED_FAMILY]) == BUNDLED_FAMILY
    assert fallback_family("", []) is None   # nothing to impose


def test_on_a_system_without_fonts_the_app_font_is_dejavu(tmp_path):
    # An empty fontconfig configuration: the system offers no font at all.
    (tmp_path / "fonts.conf").write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f'<cachedir>{tmp_path}/cache</cachedir></fontconfig>')
    script = textwrap.dedent("""
        from PySide6.QtGui import QFontInfo
        from PySide6.QtWidgets import QApplication
        from ui.app.fonts import install_fonts
        app = QApplication([])
        before = QFontInfo(app.font()).family()
        imposed = install_fonts(app)
        print(before, imposed, QFontInfo(app.font()).family(), sep="|")
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               FONTCONFIG_FILE=str(tmp_path / "fonts.conf"))
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    before, imposed, resolved = result.stdout.strip().splitlines()[-1].split("|")
    assert before == ""          # nothing to draw text with

    assert imposed == BUNDLED_FAMILY
    assert resolved == BUNDLED_FAMILY
