"""Editable tables of records: capacity tranches and GPU models.

A table shows a tuple of frozen dataclass records.  Any cell edit rebuilds
the whole tuple and hands it to the binding layer; a record core refuses
(a negative count, an unknown model) is reported and the table returns to
the records in force.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QHeaderView, QStyledItemDelegate,
                               QTableWidget, QTableWidgetItem)

from core.parameters import GpuModel, ParameterError, Tranche
from ui.app.binding import ScenarioBinding
from ui.widgets.fields import to_qdate


@dataclasses.dataclass(frozen=True)
class Column:
    header: str
    attribute: str
    kind: type  # str, int, float or dt.date


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box editor whose choices are read when the editor opens."""

    def __init__(self, choices, parent=None):
        super().__init__(parent)
        self._choices = choices

    def createEditor(self, parent, option, index):
        editor = QComboBox(parent)
        editor.addItems(self._choices())
        return editor

    def setEditorData(self, editor, index):
        editor.setCurrentText(index.data(Qt.ItemDataRole.EditRole))

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class DisplayDelegate(QStyledItemDelegate):
    """Dates as ISO (2026-06-01) and numbers with thousands separators,
    whatever the system locale."""

    def displayText(self, value, locale):
        if isinstance(value, QDate):
            return value.toString("yyyy-MM-dd")
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int):
            return f"{value:,}"
        if isinstance(value, float):
            return f"{value:,.2f}".rstrip("0").rstrip(".")
        return super().displayText(value, locale)

    def createEditor(self, parent, option, index):
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QDateEdit):
            editor.setDisplayFormat("yyyy-MM-dd")
            editor.setCalendarPopup(True)
        return editor


class RecordTable(QTableWidget):
    columns: tuple[Column, ...] = ()
    record_type: type = object
    field_name = ""            # the ClusterHardware field the table edits
    records_edited = Signal()

    def __init__(self, binding: ScenarioBinding, parent=None):
        super().__init__(0, len(self.columns), parent)
        self.binding = binding
        self.setHorizontalHeaderLabels([c.header for c in self.columns])
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().setVisible(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setItemDelegate(DisplayDelegate(self))
        self.itemChanged.connect(self._cell_edited)
        binding.scenario_changed.connect(lambda _s: self.show_records())
        self.show_records()
        self.resizeColumnsToContents()

    def records_in_force(self) -> tuple:
        return getattr(self.binding.scenario.hardware, self.field_name)

    def show_records(self) -> None:
        records = self.records_in_force()
        if self._records_shown() == records:
            return
        self.blockSignals(True)
        self.setRowCount(len(records))
        for row, record in enumerate(records):
            for col, column in enumerate(self.columns):
                value = getattr(record, column.attribute)
                item = QTableWidgetItem()
                if column.kind is dt.date:
                    item.setData(Qt.ItemDataRole.EditRole, to_qdate(value))
                else:
                    item.setData(Qt.ItemDataRole.EditRole, column.kind(value))
                if column.kind is not str:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(row, col, item)
        self.blockSignals(False)

    def _cell_value(self, row: int, col: int):
        item = self.item(row, col)
        value = item.data(Qt.ItemDataRole.EditRole) if item else None
        if isinstance(value, QDate):
            return value.toPython()
        return value

    def _records_shown(self) -> tuple | None:
        try:
            return tuple(self.record_type(**{c.attribute: self._cell_value(r, i)
                                             for i, c in enumerate(self.columns)})
                         for r in range(self.rowCount()))
        except (ParameterError, TypeError):
            return None

    def _read_records(self) -> tuple:
        """The records as edited; raises ParameterError for a refused value."""
        records = []
        for row in range(self.rowCount()):
            values = {c.attribute: self._cell_value(row, i) for i, c in enumerate(self.columns)}
            for column in self.columns:
                if column.kind is float and isinstance(values[column.attribute], int):
                    values[column.attribute] = float(values[column.attribute])
            records.append(self.record_type(**values))
        return tuple(records)

    def _cell_edited(self, _item) -> None:
        try:
            records = self._read_records()
        except ParameterError as error:
            self.binding.refuse(error)
            records = None
        if records is None or not self.commit(records):
            # Not now: the delegate is still committing its editor into this item.
            QTimer.singleShot(0, self.show_records_forced)

    def commit(self, records: tuple) -> bool:
        return self.binding.set_values("hardware", **{self.field_name: records})

    def show_records_forced(self) -> None:
        self.setRowCount(0)
        self.show_records()

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.selectedIndexes()})


class TrancheTable(RecordTable):
    columns = (Column("Tranche", "name", str), Column("Site", "site", str),
               Column("GPU model", "gpu_model", str), Column("GPUs", "gpu_count", int),
               Column("Online date", "online_date", dt.date))
    record_type = Tranche
    field_name = "tranches"

    def __init__(self, binding: ScenarioBinding, parent=None):
        super().__init__(binding, parent)
        self.setItemDelegateForColumn(2, ChoiceDelegate(
            lambda: [m.name for m in self.binding.scenario.hardware.gpu_models], self))

    def add_tranche(self) -> None:
        hardware = self.binding.scenario.hardware
        if not hardware.gpu_models:
            self.binding.refuse(ParameterError("tranches", "Capacity tranches",
                                               "Add a GPU model before adding a tranche"))
            return
        start = self.binding.scenario.contract.start_date
        online = start.replace(year=start.year + 1)
        new = Tranche(name=f"Tranche {len(hardware.tranches) + 1}", site="",
                      gpu_model=hardware.gpu_models[-1].name, gpu_count=10_000,
                      online_date=online)
        self.commit(hardware.tranches + (new,))

    def remove_selected(self) -> None:
        rows = set(self.selected_rows())
        if rows:
            self.commit(tuple(t for i, t in enumerate(self.records_in_force()) if i not in rows))


class GpuModelTable(RecordTable):
    columns = (Column("GPU model", "name", str), Column("IT kW/GPU", "it_kw_per_gpu", float),
               Column("BF16 TFLOPS", "bf16_dense_tflops", float), Column("HBM GB", "hbm_gb", float),
               Column("Capex $/GPU", "capex_per_gpu", float),
               Column("Tokens/s", "tokens_per_s", float))
    record_type = GpuModel
    field_name = "gpu_models"

    def commit(self, records: tuple) -> bool:
        # A renamed model takes its tranches with it.
        old = self.records_in_force()
        renames = ({a.name: b.name for a, b in zip(old, records) if a.name != b.name}
                   if len(old) == len(records) else {})
        hardware = self.binding.scenario.hardware
        tranches = tuple(dataclasses.replace(t, gpu_model=renames.get(t.gpu_model, t.gpu_model))
                         for t in hardware.tranches)
        return self.binding.set_values("hardware", gpu_models=records, tranches=tranches)

    def add_model(self, preset: GpuModel) -> None:
        names = {m.name for m in self.records_in_force()}
        name, n = preset.name, 2
        while name in names:
            name, n = f"{preset.name} ({n})", n + 1
        self.commit(self.records_in_force() + (dataclasses.replace(preset, name=name),))

    def remove_selected(self) -> None:
        rows = set(self.selected_rows())
        if rows:
            self.commit(tuple(m for i, m in enumerate(self.records_in_force()) if i not in rows))
