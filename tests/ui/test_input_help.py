"""Every input on the forms says what it means: its tooltip (shown on hover)
is the label and core/parameters.py's help text, then, for a number, its range."""
from __future__ import annotations

import dataclasses

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from core.parameters import Scenario
from ui.widgets.fields import ChoiceField, DateField, NumberField, TextField


def _form_fields(window) -> dict[tuple[str, str], object]:
    found = {}
    for kind in (NumberField, TextField, ChoiceField, DateField):
        for widget in window.findChildren(kind):
            found.setdefault((widget.bound.section, widget.bound.name), widget)
    return found


def test_every_form_input_shows_its_help_in_the_tooltip(qtbot, window):
    fields = _form_fields(window)
    declared = {(section, f.name): f.metadata
                for section in Scenario.SECTIONS
                for f in dataclasses.fields(getattr(window.binding.scenario, section))
                if f.metadata.get("kind")}
    # Every input of the three sections has a field on some tab.
    assert set(declared) <= set(fields), set(declared) - set(fields)
    for key, meta in declared.items():
        tip = fields[key].toolTip()
        assert tip.startswith(f"{meta['label']}: {meta['help']}"), key
        if meta["kind"] == "number":
            assert "\nAllowed: between " in tip, key


def test_hovering_a_field_shows_what_it_means(qtbot, window):
    # The WACC field, hovered: Qt shows the help text as the tooltip.
    window.show_tab("contract")
    field = _form_fields(window)["contract", "provider_wacc_pct"]
    field.window().activateWindow()
    centre = field.rect().center()
    QApplication.sendEvent(field, QHelpEvent(QEvent.Type.ToolTip, centre,
                                             field.mapToGlobal(centre)))
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert "weighted average cost of capital" in QToolTip.text()
    assert "Allowed: between 0 and 100 %/yr" in QToolTip.text()
    QToolTip.hideText()


def test_the_tranche_and_gpu_model_tables_say_what_each_column_means(qtbot, window):
    from core.parameters import GpuModel, Tranche, field_meta
    from ui.widgets.tables import GpuModelTable, TrancheTable
    page = window.tab("hardware")
    tables = {kind: page.findChildren(kind)[0] for kind in (TrancheTable, GpuModelTable)}
    for table, record in ((tables[TrancheTable], Tranche), (tables[GpuModelTable], GpuModel)):
        for i, column in enumerate(table.columns):
            meta = field_meta(record, column.attribute)
            tip = table.horizontalHeaderItem(i).toolTip()
            assert tip == f"{meta['label']}: {meta['help']}", column.attribute
    # One worked by hand: the GPU count's help names what it counts.
    assert "GPU" in tables[TrancheTable].horizontalHeaderItem(3).toolTip()
