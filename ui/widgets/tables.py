"""Editable tables of records: capacity tranches and GPU models.

A table shows a tuple of frozen dataclass records.  Any cell edit rebuilds
the whole tuple and hands it to the binding layer; a record core refuses
(a negative count, an unknown model) is reported and the table returns to
the records in force.

Ctrl+V pastes a block copied from a spreadsheet (tab-separated, with or
without its header row), checked cell by cell as any import is
(core/importing.py), as one undoable edit (a single value goes into the
current cell, as if typed); Ctrl+C copies the selected rows
out as tab-separated text with a header row.  `TableCopier.watch` gives
every other table under a widget the same Ctrl+C.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QHeaderView, QStyledItemDelegate,
                               QTableView, QTableWidget, QTableWidgetItem)

from core.importing import (ImportFileError, check_table, guess_columns, parse_cell, read_pasted,
                            table_as_tsv)
from core.parameters import FIGURE_LABELS, GpuModel, MarketRent, ParameterError, Tranche, field_meta
from core.market import renamed_models
from ui.app.binding import ScenarioBinding
from ui.widgets.fields import field_tooltip, to_qdate


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


_UNREAD = object()   # RecordTable._shown before the cells are read back


class RecordTable(QTableWidget):
    columns: tuple[Column, ...] = ()
    record_type: type = object
    section = "hardware"       # the Scenario section that holds the records
    field_name = ""            # the field of that section the table edits
    records_edited = Signal()

    def __init__(self, binding: ScenarioBinding, parent=None):
        super().__init__(0, len(self.columns), parent)
        self.binding = binding
        self.setHorizontalHeaderLabels([c.header for c in self.columns])
        for i, column in enumerate(self.columns):
            # What the column means, from core's declaration (as the form's fields say it).
            self.horizontalHeaderItem(i).setToolTip(
                field_tooltip(field_meta(self.record_type, column.attribute)))
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
        # The records the cells show, read back once and kept until a cell is
        # edited: every edit anywhere (a fee on the Contract tab) asks the table
        # whether its records changed, and reading 60 tranches back from the
        # cells took 2 ms of each frame (bench/run.py long_term).
        self._shown: tuple | None | object = _UNREAD
        binding.scenario_changed.connect(lambda _s: self.show_records())
        self.show_records()
        self.resizeColumnsToContents()

    def records_in_force(self) -> tuple:
        return getattr(getattr(self.binding.scenario, self.section), self.field_name)

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
        self._shown = records

    def _cell_value(self, row: int, col: int):
        item = self.item(row, col)
        value = item.data(Qt.ItemDataRole.EditRole) if item else None
        if isinstance(value, QDate):
            return value.toPython()
        return value

    def _records_shown(self) -> tuple | None:
        """The records the cells show (None: they show no valid records)."""
        if self._shown is _UNREAD:
            self._shown = self._read_shown()
        return self._shown

    def _read_shown(self) -> tuple | None:
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
        self._shown = _UNREAD    # the cells changed: read them again when asked
        try:
            records = self._read_records()
        except ParameterError as error:
            self.binding.refuse(error)
            records = None
        if records is None or not self.commit(records):
            # Not now: the delegate is still committing its editor into this item.
            QTimer.singleShot(0, self.show_records_forced)

    def commit(self, records: tuple) -> bool:
        return self.binding.set_values(self.section, **{self.field_name: records})

    def show_records_forced(self) -> None:
        self.setRowCount(0)
        self._shown = _UNREAD
        self.show_records()

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.selectedIndexes()})

    # --- copy and paste ----------------------------------------------------------------------

    def keyPressEvent(self, event) -> None:
        if self.state() != QAbstractItemView.State.EditingState:
            if event.matches(QKeySequence.StandardKey.Paste):
                self.paste_text(QGuiApplication.clipboard().text())
                event.accept()
                return
            if event.matches(QKeySequence.StandardKey.Copy):
                QGuiApplication.clipboard().setText(self.copy_text())
                event.accept()
                return
        super().keyPressEvent(event)

    def _paste_one_value(self, text: str, label: str) -> bool:
        """One value copied from a spreadsheet cell goes into the current
        cell, as if typed there (checked the same way)."""
        value = text.strip("\r\n")
        item = self.currentItem()
        if "\t" in value or "\n" in value or item is None or not value:
            return False
        column = self.columns[item.column()]
        spec = next(f for f in dataclasses.fields(self.record_type) if f.name == column.attribute)
        try:
            parsed = parse_cell(spec, value.strip())
        except ValueError as error:
            self.binding.refuse(ParameterError(self.field_name, label, f"Not pasted: {error}"))
            return True
        item.setData(Qt.ItemDataRole.EditRole, to_qdate(parsed) if column.kind is dt.date
                     else column.kind(parsed))
        return True

    def copy_text(self) -> str:
        """The selected rows (every row if none is selected) as tab-separated
        text, under the table's headers; values as typed (2026-06-01, 150000)
        so that the block pastes back here or into a spreadsheet."""
        rows = self.selected_rows() or list(range(self.rowCount()))
        return table_as_tsv([c.header for c in self.columns],
                            [[self._cell_value(r, c) for c in range(len(self.columns))]
                             for r in rows])

    def paste_text(self, text: str) -> bool:
        """Paste a block: it overwrites rows from the first selected one (all
        rows when all are selected), adding rows past the end; with nothing
        selected it is appended.  Every cell is checked first; a refused cell
        is reported by row, column and reason, and nothing changes."""
        label = {"tranches": "Capacity tranches", "gpu_models": "GPU models",
                 "rents": "Market rents"}.get(self.field_name, self.field_name)
        if self._paste_one_value(text, label):
            return True
        try:
            table = read_pasted(text)
        except ImportFileError as error:
            self.binding.refuse(ParameterError(self.field_name, label, f"Not pasted: {error}"))
            return False
        headers = table.headers
        if any(headers):
            # The app's own headers ("GPUs") as well as the fields' labels.
            by_header = {c.header.lower(): c.attribute for c in self.columns}
            columns = guess_columns(self.field_name, headers)
            for i, h in enumerate(headers):
                if h.lower() in by_header and by_header[h.lower()] not in columns:
                    columns[by_header[h.lower()]] = i
        else:
            columns = {c.attribute: i for i, c in enumerate(self.columns) if i < len(headers)}
        checked = check_table(self.field_name, table, columns, self.binding.scenario)
        if checked.refusals:
            first = checked.refusals[0]
            more = f" ({len(checked.refusals) - 1} more cell(s) refused)" if len(checked.refusals) > 1 else ""
            self.binding.refuse(ParameterError(self.field_name, label,
                                               f"Not pasted: {first}{more}"))
            return False
        records = list(self.records_in_force())
        rows = self.selected_rows()
        if rows and len(rows) == len(records):
            start, records = 0, []
        else:
            start = rows[0] if rows else len(records)
        pasted = list(checked.records)
        records[start:start + len(pasted)] = pasted
        return self.commit(tuple(records))


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
        # A renamed model takes its tranches and its market rent row with it, in one edit.
        old = self.records_in_force()
        renames = ({a.name: b.name for a, b in zip(old, records) if a.name != b.name}
                   if len(old) == len(records) else {})
        hardware = self.binding.scenario.hardware
        tranches = tuple(dataclasses.replace(t, gpu_model=renames.get(t.gpu_model, t.gpu_model))
                         for t in hardware.tranches)
        market = ({"market": renamed_models(self.binding.scenario.market, renames)}
                  if renames else None)
        return self.binding.set_values("hardware", gpu_models=records, tranches=tranches,
                                       follow_ups=market)

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


class MarketRentTable(RecordTable):
    """Today's market rent and quotes per GPU model, each with where the figure
    comes from (label, date, source) beside it."""
    columns = (Column("GPU model", "gpu_model", str), Column("Rent $/GPU-h", "rent_per_gpu_hour", float),
               Column("1-month", "quote_1_month", float), Column("1-year", "quote_1_year", float),
               Column("3-year", "quote_3_year", float), Column("Label", "label", str),
               Column("As of", "as_of", str), Column("Source", "source", str))
    record_type = MarketRent
    section = "market"
    field_name = "rents"

    def __init__(self, binding: ScenarioBinding, parent=None):
        super().__init__(binding, parent)
        self.setItemDelegateForColumn(0, ChoiceDelegate(
            lambda: [m.name for m in self.binding.scenario.hardware.gpu_models], self))
        self.setItemDelegateForColumn(5, ChoiceDelegate(lambda: list(FIGURE_LABELS), self))

    def add_rent(self) -> None:
        """A row for the first GPU model of the hardware without a rent, the user's figure."""
        have = {r.gpu_model for r in self.records_in_force()}
        missing = [m.name for m in self.binding.scenario.hardware.gpu_models if m.name not in have]
        if not missing:
            self.binding.refuse(ParameterError("rents", "Market rents",
                                               "Every GPU model already has a market rent"))
            return
        self.commit(self.records_in_force() + (MarketRent(gpu_model=missing[0], label="[U]",
                                                          as_of="", source="the user"),))

    def remove_selected(self) -> None:
        rows = set(self.selected_rows())
        if rows:
            self.commit(tuple(r for i, r in enumerate(self.records_in_force()) if i not in rows))


class TableCopier(QObject):
    """Ctrl+C on a read-only table: the selected cells as shown, tab-separated
    under the column headers, as a spreadsheet takes them."""

    def watch(self, root) -> int:
        """Give Ctrl+C to every table under `root` that does not handle it
        itself (the record tables do); how many tables now have it."""
        views = [v for v in root.findChildren(QTableView) if not isinstance(v, RecordTable)]
        for view in views:
            view.installEventFilter(self)
        return len(views)

    def eventFilter(self, watched, event) -> bool:
        if (isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress
                and isinstance(watched, QTableView)
                and event.matches(QKeySequence.StandardKey.Copy)
                and watched.state() != QAbstractItemView.State.EditingState):
            QGuiApplication.clipboard().setText(view_as_tsv(watched))
            return True
        return False


def view_as_tsv(view: QTableView) -> str:
    """The selected cells' rows and columns (all when nothing is selected) of
    any table view, as shown, under its headers."""
    model = view.model()
    indexes = view.selectionModel().selectedIndexes() if view.selectionModel() else []
    rows = sorted({i.row() for i in indexes}) or list(range(model.rowCount()))
    cols = sorted({i.column() for i in indexes}) or list(range(model.columnCount()))
    cols = [c for c in cols if not view.isColumnHidden(c)]
    rows = [r for r in rows if not view.isRowHidden(r)]
    headers = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in cols]

    def text(r: int, c: int) -> str:
        value = model.index(r, c).data(Qt.ItemDataRole.DisplayRole)
        return "" if value is None else str(value)
    return table_as_tsv(headers, [[text(r, c) for c in cols] for r in rows])
