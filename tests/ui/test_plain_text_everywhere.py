"""Text from a file or the clipboard is never rendered as HTML, anywhere.

Qt renders a QLabel's or QMessageBox's text as rich text when its format is
AutoText and Qt.mightBeRichText says so, and every tooltip that way; pyqtgraph's
labels and legends always render HTML.  `<img src="/nonexistent/x.png">` in a
name would make the app read that path (a pipe would hang it; on Windows a UNC
path reaches a remote share).  This test loads scenarios whose every name is
such a string, builds every tab, opens the dialogs, triggers the refusals that
quote names (a paste into the tranche table, deleting a GPU model in use, an
import with a refused cell), and walks every widget, item, header and graphics
item: none may hold the data where Qt would render it as rich text.  (The
status bar draws its messages as plain text itself, so it needs no check.)
"""
from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QComboBox, QGraphicsTextItem,
                               QGraphicsView, QHeaderView, QLabel, QMessageBox, QTabBar)

from core.presets import default_scenario
from core.scenario_file import ScenarioSet
from ui import registry

IMG = '<img src="/nonexistent/x.png">Img deal'
BOLD = "<b>Bold deal</b>"
MODEL = "<b>Bold GPU</b>"
TRANCHE = '<img src="/nonexistent/t.png">T1'
SITE = "<i>Site</i>"
PASTED = "<b>Pasted GPU</b>"
DATA = (IMG, BOLD, MODEL, TRANCHE, SITE, PASTED, "<u>Third</u>")
# What each would look like once rendered as HTML (the tags gone).
RENDERED = ("Img deal", "Bold deal", "Bold GPU", "T1", "Site", "Pasted GPU", "Third")


def hostile_scenarios() -> ScenarioSet:
    base = default_scenario()
    hardware = base.hardware
    old_model = hardware.tranches[0].gpu_model
    models = tuple(dataclasses.replace(m, name=MODEL) if m.name == old_model else m
                   for m in hardware.gpu_models)
    tranches = tuple(dataclasses.replace(t, gpu_model=MODEL if t.gpu_model == old_model
                                         else t.gpu_model,
                                         name=TRANCHE if i == 0 else t.name, site=SITE)
                     for i, t in enumerate(hardware.tranches))
    first = dataclasses.replace(base, name=IMG, hardware=dataclasses.replace(
        hardware, gpu_models=models, tranches=tranches))
    # The second differs in its fee and a tranche's name (differences quote both);
    # the third equals the first but for its name ("The same as <first>" tooltips).
    second = dataclasses.replace(
        first, name=BOLD,
        contract=dataclasses.replace(first.contract, monthly_fee=1.0e9),
        hardware=dataclasses.replace(first.hardware, tranches=(
            dataclasses.replace(tranches[0], name="<b>Other tranche</b>"),) + tranches[1:]))
    third = dataclasses.replace(first, name="<u>Third</u>")
    return ScenarioSet((first, second, third), 0)


def _holds_data(text: str) -> bool:
    return any(d in text for d in DATA)


def _rendered_data(plain: str) -> bool:
    """Plain text that shows a name with its tags gone: it was rendered as HTML."""
    return any(r in plain and d not in plain for d, r in zip(DATA, RENDERED))


def rich_text_from_data(where: str) -> list[str]:
    """Every place, among all the application's widgets, where data would be
    rendered as rich text."""
    found = []

    def tooltip(owner: str, text) -> None:
        if isinstance(text, str) and _holds_data(text):
            found.append(f"{where}: tooltip of {owner}: {text[:120]!r}")

    def shown(owner: str, text: str, text_format) -> None:
        if (_holds_data(text) and text_format != Qt.TextFormat.PlainText
                and (text_format == Qt.TextFormat.RichText or GuiQt.mightBeRichText(text))):
            found.append(f"{where}: {owner} renders {text[:120]!r} as rich text")

    for widget in QApplication.allWidgets():
        name = f"{type(widget).__name__}({widget.objectName()})"
        tooltip(name, widget.toolTip())
        if isinstance(widget, QMessageBox):
            shown(name, widget.text(), widget.textFormat())
            shown(name + ".informativeText", widget.informativeText(), widget.textFormat())
        elif isinstance(widget, QLabel):
            shown(name, widget.text(), widget.textFormat())
        if isinstance(widget, QTabBar):
            for i in range(widget.count()):
                tooltip(f"{name} tab {i}", widget.tabToolTip(i))
        models = []
        if (isinstance(widget, QAbstractItemView) and widget.model() is not None
                and not isinstance(widget, QHeaderView)):   # its table's model, walked there
            models.append(widget.model())
        if isinstance(widget, QComboBox):
            models.append(widget.model())
        for model in models:
            from PySide6.QtCore import QModelIndex
            rows = min(model.rowCount(QModelIndex()), 400)
            try:
                cols = min(model.columnCount(QModelIndex()), 60)
            except TypeError:     # a list model keeps its columnCount private: one column
                cols = 1
            for r in range(rows):
                for c in range(cols):
                    tooltip(f"{name} cell {r},{c}",
                            model.index(r, c).data(Qt.ItemDataRole.ToolTipRole))
            for orientation, count in ((Qt.Orientation.Horizontal, cols),
                                       (Qt.Orientation.Vertical, rows)):
                for i in range(count):
                    tooltip(f"{name} header {i}",
                            model.headerData(i, orientation, Qt.ItemDataRole.ToolTipRole))
        if isinstance(widget, QGraphicsView) and widget.scene() is not None:
            for item in widget.scene().items():
                tooltip(f"{name} item {type(item).__name__}", item.toolTip())
                if isinstance(item, QGraphicsTextItem) and _rendered_data(item.toPlainText()):
                    found.append(f"{where}: {name} draws {item.toPlainText()[:120]!r} "
                                 "from HTML")
    return found


@pytest.fixture
def hostile_window(qtbot, tmp_path):
    from ui.app.settings import AppSettings
    from ui.look.themes import configure_pyqtgraph
    from ui.main_window import MainWindow
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    configure_pyqtgraph()
    window = MainWindow(default_scenario(), settings=settings, autosave_dir=tmp_path / "autosave")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.workspace.load(hostile_scenarios())
    return window


def test_no_text_from_a_file_or_the_clipboard_is_rendered_as_rich_text(qtbot, hostile_window):
    window = hostile_window
    found = []
    for key in registry.TAB_KEYS:
        window.show_tab(key)
        window.binding.flush()
        window.binding.flush_views()
        qtbot.wait(1)
    found += rich_text_from_data("every tab built")   # Compare: inputs and differences

    # A paste into the tranche table naming a GPU model no scenario has.
    hardware = window.tab("hardware")
    window.show_tab("hardware")
    table = hardware.tranche_table
    table.clearSelection()
    assert not table.paste_text(f"Tranche\tSite\tGPU model\tGPUs\tOnline date\n"
                                f"X\tY\t{PASTED}\t100\t2027-01-01\n")
    assert "Pasted GPU" in window.message.text()       # the refusal is shown
    found += rich_text_from_data("paste refused")

    # Deleting the GPU model the tranches use.
    models = hardware.model_table
    row = [m.name for m in models.records_in_force()].index(MODEL)
    models.selectRow(row)
    models.remove_selected()
    assert "Bold GPU" in window.message.text()
    found += rich_text_from_data("model delete refused")

    # Import with a refused cell quoting the data, and the dialogs.
    from ui.widgets.import_dialog import open_import_dialog
    dialog = open_import_dialog(window.binding, window, "tranches")
    dialog.use_text(f"Tranche\tSite\tGPU model\tGPUs\tOnline date\n"
                    f"X\tY\t{PASTED}\t100\t2027-01-01\n{TRANCHE}\t{SITE}\t{MODEL}\tmany\t2027\n")
    assert dialog.checked is not None and not dialog.checked.ok
    window.show_glossary()
    window.show_help("guide")
    window.workspace.switch(1)
    box = window.scenario_bar.ask_delete()
    found += rich_text_from_data("dialogs open")
    box.done(0)
    dialog.done(0)

    # Presentation mode borrows the views, through every slide.
    presentation = window.presentation_mode.enter()
    for index in range(len(presentation.view_keys)):
        presentation.set_view(index)
        qtbot.wait(1)
    found += rich_text_from_data("presentation mode")
    presentation.finish()
    assert found == [], "\n".join(found)


def test_a_plain_tooltip_shows_its_text_as_it_is():
    from PySide6.QtGui import QTextDocument
    from ui.widgets.plain_text import plain_tooltip
    text = 'GPU model \'<img src="/nonexistent/x.png">\' & <b>x</b>\n  second line'
    tip = plain_tooltip(text)
    assert GuiQt.mightBeRichText(tip)          # Qt renders it as HTML ...
    document = QTextDocument()
    document.setHtml(tip)
    assert document.toPlainText() == text      # ... which shows the text itself, spaces kept
