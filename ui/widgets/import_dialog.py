"""File > Import...: capacity tranches, GPU models or a monthly plan (the
contract's invoice plan, the projections' demand plan) from a CSV file, a
sheet of an .xlsx workbook, or a block on the clipboard.

The user chooses the file, the sheet and which column feeds which field;
the preview shows every row with each refused cell marked (its reason in
the tooltip and in the list below), and Import is enabled only when no cell
is refused.  Importing is one edit through the binding, so Edit > Undo takes
it back in one step.  Reading and checking are core/importing.py's; this
module only shows them.  A chosen file is read on a worker thread with
progress and Cancel (ui.widgets.background_read).  Text read from a file is
shown as plain text.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QGroupBox, QHBoxLayout, QLabel, QListWidget, QPushButton,
                               QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from core.importing import (KIND_TITLES, PLAN_KINDS, CheckedTable, ImportFileError, SourceTable,
                            apply_import, check_table, field_header, guess_columns,
                            importable_fields, read_file, read_pasted, row_number, sheet_names)
from ui.widgets.plain_text import plain_tooltip

from ui.widgets.background_read import BackgroundRead, read_in_background

FILE_FILTER = "Tables (*.csv *.tsv *.txt *.xlsx *.xlsm);;All files (*)"
NO_COLUMN = "(none)"
# The preview shows the first rows and the list the first refusals (every row
# is checked): 6,000 rows took a second to lay out on the UI thread.
PREVIEW_ROWS = 500
MAX_LISTED = 1_000
REFUSED_BRUSH = QBrush(QColor("#F8D0D0"))


def _plain_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label



def choose_table_file(parent, title: str, start: str, name: str, chosen) -> QFileDialog:
    """The window-modal dialog that picks a CSV or .xlsx table (Qt's own, the
    same on every platform); `chosen(path)` is called with the file picked."""
    dialog = QFileDialog(parent, title, start, FILE_FILTER)
    dialog.setObjectName(name)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.fileSelected.connect(chosen)
    dialog.finished.connect(lambda _r: dialog.deleteLater())
    dialog.open()
    return dialog

class ImportDialog(QDialog):
    def __init__(self, binding, parent=None, kind: str = "tranches"):
        super().__init__(parent)
        self.setObjectName("import-dialog")
        self.setWindowTitle("Import tranches, GPU models, a monthly plan or market rents")
        self.binding = binding
        self.path: Path | None = None
        self.table: SourceTable | None = None
        self.checked: CheckedTable | None = None

        self.source = _plain_label("No file chosen.")
        choose = QPushButton("Choose file\u2026")
        choose.clicked.connect(self.choose_file)
        paste = QPushButton("Use the clipboard")
        paste.setToolTip("Cells copied from a spreadsheet (tab-separated)")
        paste.clicked.connect(lambda: self.use_text(QGuiApplication.clipboard().text()))
        self.kind = QComboBox()
        for key, title in KIND_TITLES.items():
            self.kind.addItem(title, key)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.sheet = QComboBox()
        self.sheet.setEnabled(False)
        self.sheet.currentTextChanged.connect(lambda _t: self.read_sheet_in_background())

        top = QHBoxLayout()
        top.addWidget(choose)
        top.addWidget(paste)
        top.addWidget(self.source, 1)
        form = QFormLayout()
        form.addRow("Import", self.kind)
        form.addRow("Sheet", self.sheet)

        self.mapping_box = QGroupBox("Columns")
        self.mapping = QFormLayout(self.mapping_box)
        self.column_choosers: dict[str, QComboBox] = {}

        self.preview = QTableWidget()
        self.preview.setObjectName("import-preview")
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.refusals = QListWidget()
        self.refusals.setObjectName("import-refusals")
        self.summary = _plain_label()

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.preview)
        splitter.addWidget(self.refusals)
        splitter.setStretchFactor(0, 3)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        left_layout.addWidget(self.mapping_box)
        left_layout.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(left)
        middle.addWidget(splitter, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.resize(1000, 600)
        self._build_choosers()

    # --- source ------------------------------------------------------------------------------

    @property
    def kind_key(self) -> str:
        return self.kind.currentData()

    def choose_file(self) -> QFileDialog:
        start = str(self.path.parent) if self.path else str(Path.home())
        return choose_table_file(self, "Import from", start, "import-file-dialog",
                                 self.read_file_in_background)

    def use_file(self, path) -> bool:
        path = Path(path)
        try:
            sheets = sheet_names(path)
        except ImportFileError as error:
            return self._source_failed(str(error))
        self.path = path
        self.sheet.blockSignals(True)
        self.sheet.clear()
        self.sheet.addItems(sheets)
        self.sheet.setEnabled(bool(sheets))
        self.sheet.blockSignals(False)
        return self._read_sheet()

    def read_file_in_background(self, path, sheet: str | None = None) -> BackgroundRead:
        """The file (its first sheet, or `sheet`) read on a worker thread, with
        progress and Cancel; shown when read, and nothing changes until then."""
        path = Path(path)

        kind, scenario = self.kind_key, self.binding.scenario   # immutable: safe to share

        def read(check):
            names = sheet_names(path)
            table = read_file(path, sheet, check)
            return names, table, check_table(kind, table, guess_columns(kind, table.headers),
                                             scenario)

        def show(result) -> None:
            names, table, checked = result
            self.path = path
            self.sheet.blockSignals(True)
            self.sheet.clear()
            self.sheet.addItems(names)
            if sheet is not None:
                self.sheet.setCurrentText(sheet)
            self.sheet.setEnabled(bool(names))
            self.sheet.blockSignals(False)
            self.source.setText(f"{table.origin}: {len(table.rows)} row(s)")
            same = self.kind_key == kind and self.binding.scenario == scenario
            self._set_table(table, checked if same else None)

        def failed(error) -> None:
            if not isinstance(error, ImportFileError):
                raise error   # a bug, not a bad file: let it be seen
            self._source_failed(str(error))
        self.source.setText(f"Reading {path.name}\u2026")
        return read_in_background(self, f"Reading {path.name}\u2026", read, show, failed,
                                  lambda: self.source.setText(f"Reading {path.name} was cancelled"))

    def read_sheet_in_background(self) -> BackgroundRead | None:
        if self.path is None:
            return None
        return self.read_file_in_background(self.path, self.sheet.currentText() or None)

    def use_text(self, text: str) -> bool:
        try:
            table = read_pasted(text)
        except ImportFileError as error:
            return self._source_failed(str(error))
        self.path = None
        self.sheet.clear()
        self.sheet.setEnabled(False)
        self.source.setText(f"Pasted block: {len(table.rows)} row(s)")
        self._set_table(table)
        return True

    def _read_sheet(self) -> bool:
        if self.path is None:
            return False
        try:
            table = read_file(self.path, self.sheet.currentText() or None)
        except ImportFileError as error:
            return self._source_failed(str(error))
        self.source.setText(f"{table.origin}: {len(table.rows)} row(s)")
        self._set_table(table)
        return True

    def _source_failed(self, message: str) -> bool:
        self.table = None
        self.checked = None
        self.source.setText(message)
        self.preview.clear()
        self.preview.setRowCount(0)
        self.refusals.clear()
        self.summary.setText(f"Not read: {message}")
        self.import_button.setEnabled(False)
        return False

    def _set_table(self, table: SourceTable, checked: CheckedTable | None = None) -> None:
        """Show a table read; `checked` (with the guessed columns), when the
        worker has checked it already."""
        self.table = table
        self._build_choosers(guess_columns(self.kind_key, table.headers), checked)

    def _kind_changed(self) -> None:
        self._build_choosers(guess_columns(self.kind_key, self.table.headers) if self.table else {})

    # --- columns -----------------------------------------------------------------------------

    def _source_columns(self) -> list[str]:
        if self.table is None:
            return []
        return [h or f"column {self.table.column_letter(i)}" for i, h in enumerate(self.table.headers)]

    def _build_choosers(self, guessed: dict[str, int] | None = None,
                        checked: CheckedTable | None = None) -> None:
        while self.mapping.rowCount():
            self.mapping.removeRow(0)
        self.column_choosers = {}
        names = self._source_columns()
        for f in importable_fields(self.kind_key):
            chooser = QComboBox()
            chooser.addItem(NO_COLUMN, -1)
            for i, name in enumerate(names):
                chooser.addItem(name, i)
            if guessed and f.name in guessed:
                chooser.setCurrentIndex(chooser.findData(guessed[f.name]))
            chooser.currentIndexChanged.connect(lambda _i: self.recheck())
            self.column_choosers[f.name] = chooser
            self.mapping.addRow(field_header(f), chooser)
        self.recheck(checked)

    def columns(self) -> dict[str, int]:
        return {name: c.currentData() for name, c in self.column_choosers.items()
                if c.currentData() is not None and c.currentData() >= 0}

    def set_column(self, field_name: str, source_index: int | None) -> None:
        chooser = self.column_choosers[field_name]
        chooser.setCurrentIndex(chooser.findData(-1 if source_index is None else source_index))

    # --- checking and preview ------------------------------------------------------------------

    def recheck(self, checked: CheckedTable | None = None) -> None:
        if self.table is None:
            self.checked = None
            self.import_button.setEnabled(False)
            self.summary.setText("Choose a CSV or .xlsx file, or use cells copied from a spreadsheet.")
            return
        self.checked = checked if checked is not None else check_table(
            self.kind_key, self.table, self.columns(), self.binding.scenario)
        self._show_preview()
        self.refusals.clear()
        refusals = self.checked.refusals
        self.refusals.addItems([str(r) for r in refusals[:MAX_LISTED]] + (
            [f"\u2026 and {len(refusals) - MAX_LISTED:,} more"] if len(refusals) > MAX_LISTED else []))
        shown = "" if len(self.table.rows) <= PREVIEW_ROWS else (
            f" (the preview shows the first {PREVIEW_ROWS:,} of {len(self.table.rows):,} rows)")
        self.summary.setText(self.checked.summary() + shown)
        self.import_button.setEnabled(self.checked.ok)

    def _show_preview(self) -> None:
        fields = importable_fields(self.kind_key)
        mapped = self.columns()
        reasons = {}
        for refusal in self.checked.refusals:
            reasons.setdefault((refusal.row, refusal.column), []).append(refusal.reason)
        names = self._source_columns()
        self.preview.clear()
        self.preview.setColumnCount(len(fields))
        rows = self.table.rows[:PREVIEW_ROWS]   # a preview: all of them are checked
        self.preview.setRowCount(len(rows))
        self.preview.setHorizontalHeaderLabels(
            [f"{field_header(f)}\n\u2190 {names[mapped[f.name]]}" if f.name in mapped
             else f"{field_header(f)}\n(no column)" for f in fields])
        self.preview.setVerticalHeaderLabels(
            [str(row_number(self.table, r)) for r in range(len(rows))])
        for r, row in enumerate(rows):
            for c, f in enumerate(fields):
                source = mapped.get(f.name)
                value = row[source] if source is not None and source < len(row) else ""
                if isinstance(value, dt.datetime) and value.time() == dt.time(0):
                    value = value.date()
                item = QTableWidgetItem("" if value is None else
                                        value.isoformat() if isinstance(value, dt.date) else str(value))
                if source is not None and (r, source) in self.checked.refused_cells:
                    item.setBackground(REFUSED_BRUSH)
                    why = reasons.get((row_number(self.table, r), names[source]), [])
                    item.setToolTip(plain_tooltip("\n".join(why)))
                self.preview.setItem(r, c, item)
        self.preview.resizeColumnsToContents()

    # --- applying ------------------------------------------------------------------------------

    def apply(self) -> bool:
        """Import as one edit (one undo step); the dialog closes on success."""
        if self.checked is None or not self.checked.ok:
            return False
        scenario = apply_import(self.binding.scenario, self.checked)
        field = self.checked.kind      # "tranches", "gpu_models" or a plan: the one field it changes
        section = PLAN_KINDS.get(field) or ("market" if field == "rents" else "hardware")
        problem = self.binding.no_room_for(scenario)
        if problem:   # said here, where the user is looking; nothing changes
            self.summary.setText(f"Not imported: {problem}")
            return False
        changes = {field: getattr(getattr(scenario, section), field)}
        if field == "rent_curve":      # an imported curve is the forward path from now on
            changes["forward_path"] = scenario.market.forward_path
        done = self.binding.set_values(section, **changes)
        if done:
            self.accept()
        return done


def open_import_dialog(binding, parent, kind: str = "tranches") -> ImportDialog:
    """The import dialog, open (window-modal) over `parent`; it deletes itself when closed."""
    dialog = ImportDialog(binding, parent, kind)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def import_action(parent) -> QAction:
    """File > Import...: the action (the main window connects and places it)."""
    action = QAction("&Import\u2026", parent)
    action.setObjectName("import-action")
    action.setStatusTip("Capacity tranches or GPU models from a CSV file, a workbook or the "
                        "clipboard")
    return action


def show_workbook(actions, path, scenario, results=None) -> None:
    """A workbook the app exported, read: its Inputs become the scenario,
    unsaved (Save asks where: the workbook is never overwritten).  Refused
    cells were listed, one per line, in the message's details."""
    from core.scenario_file import ScenarioSet
    actions.path = None
    actions.workspace.load(ScenarioSet((scenario,), 0), modified=True, results=results)
    actions.update_title()
    actions.window.statusBar().showMessage(f"Read the inputs of {path}", 6000)
