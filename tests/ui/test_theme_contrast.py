"""Every tab in every theme: each label's text against the background it is
actually drawn on (rendered, not guessed) meets WCAG AA 4.5:1, and no plot
keeps a light background in the dark themes."""
from __future__ import annotations

from collections import Counter

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

from tests.ui.conftest import settle
from ui import registry
from ui.look.themes import THEMES, theme_manager

AA_TEXT = 4.5


def luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_matches_known_pairs():
    # Black on white is 21:1 by definition; #767676 on white is the AA edge, 4.54:1.
    assert contrast(QColor("#000000"), QColor("#FFFFFF")) == pytest.approx(21.0)
    assert contrast(QColor("#767676"), QColor("#FFFFFF")) == pytest.approx(4.54, abs=0.01)


def text_contrast(image, rect: QRect) -> float:
    """The drawn text's contrast: the commonest pixel is the background, the
    text is the pixel that stands out most from it (a glyph's stem)."""
    pixels = Counter()
    for y in range(rect.top(), rect.bottom() + 1):
        for x in range(rect.left(), rect.right() + 1):
            pixels[image.pixel(x, y)] += 1
    background = QColor.fromRgb(pixels.most_common(1)[0][0])
    return max(contrast(QColor.fromRgb(p), background) for p in pixels)


def _labels_on_show(window):
    for label in window.findChildren(QLabel):
        if not label.isVisible() or not label.text().strip() or label.width() < 4:
            continue
        if label.pixmap() is not None and not label.pixmap().isNull():
            continue
        yield label


@pytest.mark.parametrize("theme_key", list(THEMES))
def test_every_label_is_readable_and_plots_follow_the_theme(qtbot, window, theme_key):
    manager = theme_manager()
    manager.apply(theme_key)
    theme = THEMES[theme_key]
    try:
        window.resize(1366, 768)
        failures = []
        for key in registry.TAB_KEYS:
            window.show_tab(key)
            settle(qtbot, window)
            qtbot.wait(5)
            image = window.grab().toImage()
            for label in _labels_on_show(window):
                # Only the part on screen: a label half scrolled out of its panel is
                # clipped there, and what is drawn in its place is not its text.
                shown = label.visibleRegion().boundingRect().intersected(label.contentsRect())
                if shown.height() < label.contentsRect().height():
                    continue
                top_left = label.mapTo(window, shown.topLeft())
                rect = QRect(top_left, shown.size()).intersected(image.rect())
                if rect.width() < 4 or rect.height() < 4:
                    continue
                ratio = text_contrast(image, rect)
                if ratio < AA_TEXT:
                    failures.append(f"{key}: {label.text()[:40]!r} {ratio:.2f}")
            if luminance(QColor(theme.plot_background)) < 0.2:
                for view in window.tab(key).findChildren(pg.GraphicsView):
                    if not view.isVisible():
                        continue
                    colour = view.backgroundBrush().color()
                    if luminance(colour) > 0.4:
                        failures.append(f"{key}: light plot {colour.name()} in {type(view)}")
        assert not failures, "\n".join(failures)
    finally:
        manager.apply("light")


def test_theme_keys_are_the_same_everywhere():
    import main
    from ui.app import settings
    assert tuple(THEMES) == settings.THEMES == main.THEME_KEYS


def test_the_theme_is_remembered(qtbot, tmp_path):
    from PySide6.QtCore import QSettings
    from core.presets import default_scenario
    from ui.app.settings import AppSettings
    from ui.main_window import MainWindow
    ini = str(tmp_path / "settings.ini")
    first = MainWindow(default_scenario(), settings=AppSettings(
        QSettings(ini, QSettings.Format.IniFormat)), autosave_dir=tmp_path / "autosave")
    qtbot.addWidget(first)
    try:
        first.theme_actions["dark"].trigger()
        first.close()
        theme_manager().apply("light")       # a new session starts light...
        second = MainWindow(default_scenario(), settings=AppSettings(
            QSettings(ini, QSettings.Format.IniFormat)), autosave_dir=tmp_path / "autosave")
        qtbot.addWidget(second)
        assert theme_manager().current.key == "dark"   # ...and opens in the saved one
        assert second.theme_actions["dark"].isChecked()
    finally:
        theme_manager().apply("light")


def test_dark_theme_recolours_the_chosen_month_line(qtbot, window):
    window.show_tab("termination")
    marker = window.tab("termination").plots.markers[0]
    assert marker.pen.color().name() == "#000000"
    theme_manager().apply("dark")
    try:
        assert marker.pen.color().name() == THEMES["dark"].series_black.lower()
    finally:
        theme_manager().apply("light")
    assert marker.pen.color().name() == "#000000"


NON_TEXT = 3.0      # WCAG 2.1 SC 1.4.11: a control's boundary against what is next to it


def _edge(image, field, window, side: str):
    """The pixels of a field's left or top edge as drawn, with the colours just
    outside and just inside it: (outside, edge pixels, inside)."""
    rect = QRect(field.mapTo(window, field.rect().topLeft()), field.size())
    if side == "left":
        y = rect.center().y()
        return (QColor.fromRgb(image.pixel(rect.left() - 3, y)),
                [QColor.fromRgb(image.pixel(rect.left() + dx, y)) for dx in (0, 1)],
                QColor.fromRgb(image.pixel(rect.left() + 3, rect.top() + 4)))   # above any text
    y = rect.top()
    return (QColor.fromRgb(image.pixel(rect.center().x(), y - 3)),
            [QColor.fromRgb(image.pixel(x, y)) for x in range(rect.left() + 6, rect.right() - 24)],
            QColor.fromRgb(image.pixel(rect.center().x(), y + 4)))


@pytest.mark.parametrize("theme_key", list(THEMES))
def test_input_borders_are_visible_and_greyed_fields_look_greyed(qtbot, window, theme_key):
    """Rendered: every enabled input field of the contract form has a border at
    3:1 or more against the panel around it and its own fill; the greyed price
    fields (fixed pricing is in force) have a dashed border, broken where an
    enabled field's is whole."""
    from ui.widgets.fields import ChoiceField, DateField, NumberField, TextField
    manager = theme_manager()
    manager.apply(theme_key)
    try:
        window.resize(1366, 768)
        window.show_tab("contract")
        settle(qtbot, window)
        tab = window.tab("contract")
        window.activateWindow()
        tab.form.setFocus()            # no field with the focus: its frame is the highlight
        qtbot.wait(5)
        image = window.grab().toImage()
        kinds = (NumberField, ChoiceField, TextField, DateField)
        fields = [f for kind in kinds for f in tab.findChildren(kind)
                  if f.isVisible() and f.visibleRegion().boundingRect().height() == f.height()]
        enabled = [f for f in fields if f.isEnabled()]
        greyed = [f for f in fields if not f.isEnabled()]
        assert len(enabled) >= 10 and len(greyed) == 2     # $/GPU-hour and $/MW-month
        failures = []
        for field in enabled:
            outside, edge, inside = _edge(image, field, window, "left")
            border = max(contrast(pixel, outside) for pixel in edge)
            if border < NON_TEXT:
                failures.append(f"{field.bound.name}: border {border:.2f}:1 against the panel")
            against_fill = max(contrast(pixel, inside) for pixel in edge)
            if against_fill < NON_TEXT:
                failures.append(f"{field.bound.name}: border {against_fill:.2f}:1 against the field")
            _outside, top, _inside = _edge(image, field, window, "top")
            broken = sum(contrast(pixel, outside) < 1.5 for pixel in top) / len(top)
            if broken > 0.05:
                failures.append(f"{field.bound.name}: enabled border broken ({broken:.0%})")
        for field in greyed:
            outside, top, _inside = _edge(image, field, window, "top")
            broken = sum(contrast(pixel, outside) < 1.5 for pixel in top) / len(top)
            if broken < 0.25:
                failures.append(f"{field.bound.name}: greyed border not dashed ({broken:.0%})")
        assert not failures, "\n".join(failures)
    finally:
        manager.apply("light")


@pytest.mark.parametrize("theme_key", list(THEMES))
def test_an_unticked_check_box_in_a_table_is_visible(qtbot, theme_key):
    """The Risk tab's Vary column: an unticked box's outline stands at 3:1 or
    more against the cell it sits in (Fusion's own outline is the window colour
    darkened, 1.3:1 on the dark theme's cells)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTableWidget, QTableWidgetItem
    manager = theme_manager()
    manager.apply(theme_key)
    try:
        table = QTableWidget(1, 1)
        qtbot.addWidget(table)
        item = QTableWidgetItem("Monthly fee")
        item.setCheckState(Qt.CheckState.Unchecked)
        table.setItem(0, 0, item)
        table.setColumnWidth(0, 200)
        table.resize(260, 120)
        table.show()
        qtbot.waitExposed(table)
        image = table.viewport().grab().toImage()
        cell = table.visualItemRect(item)
        fill = QColor.fromRgb(image.pixel(cell.right() - 4, cell.center().y()))
        # The indicator sits at the cell's left, before the text.
        box = [QColor.fromRgb(image.pixel(x, y))
               for x in range(cell.left(), cell.left() + 24)
               for y in range(cell.top() + 1, cell.bottom())]
        assert max(contrast(pixel, fill) for pixel in box) >= NON_TEXT
    finally:
        manager.apply("light")
