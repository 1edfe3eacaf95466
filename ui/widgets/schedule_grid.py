"""The monthly schedule as a read-only table: one row a month, one column
per schedule column, filterable by concern (contract and payments,
capacity, tokens, provider, termination, alternatives and lease), and
copyable as tab-separated text (Ctrl+C or the Copy button: the selected
cells, or the shown columns of every month, with full-precision values so a
spreadsheet can compute with them).

Labels, units and formats come from core/figures.py's column declarations
when that module exists; until then the columns are named by their keys
and numbers shown with thousands separators.  Shown as a dock under the
tabs (View > Monthly schedule); it updates only while visible.
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDockWidget, QHBoxLayout, QLabel,
                               QPushButton, QTableView, QVBoxLayout, QWidget)

from core.importing import table_as_tsv
from ui.app.lazy_updates import update_when_visible

try:  # core/figures.py: one declaration per schedule column (label, unit, format)
    from core import figures as _figures
except ImportError:  # not merged yet: column keys and plain number formats
    _figures = None

ALL = "All columns"
# Which concern each schedule column belongs to; a column not listed is "Other".
CONCERNS: dict[str, tuple[str, ...]] = {
    "Contract and payments": (
        "month_start", "days", "payment_date", "monthly_fee", "service_credit", "invoice",
        "deposit_flow", "payment", "cumulative_payment", "walkaway_exposure", "discount_factor",
        "payment_pv", "cumulative_payment_pv"),
    "Capacity": (
        "gpus_online", "h100e_online", "it_mw_online", "facility_mw_online",
        "power_over_contract", "gpu_hours_delivered", "h100e_hours_delivered",
        "price_per_gpu_hour", "price_per_h100e_hour"),
    "Tokens and the buyer": (
        "capacity_tokens_per_s", "demand_tokens_per_s", "surplus_tokens_per_s",
        "tokens_capacity", "tokens_served", "cost_per_million_tokens", "breakeven_token_price",
        "token_price", "buyer_revenue", "buyer_margin", "buyer_cash_flow",
        "buyer_cumulative_cash"),
    "Provider": (
        "provider_revenue", "power_cost", "opex", "depreciation", "provider_ebitda",
        "provider_ebit", "provider_capex", "provider_cash_flow", "provider_cumulative_cash",
        "book_value"),
    "Termination": (
        "walkaway_exposure", "termination_cost", "termination_saving", "termination_end_date",
        "buyer_npv_if_ended", "provider_npv_if_ended"),
    "Alternatives and lease": (
        "cloud_cost", "build_cost", "cumulative_cloud_cost", "cumulative_build_cost",
        "lease_payment", "in_lease_term", "lease_liability", "lease_interest", "lease_closing"),
}
OTHER = "Other"


def column_label(key: str) -> str:
    if _figures is not None:
        try:
            output = _figures.output(key)
            return f"{output.label} ({output.unit})" if output.unit and output.unit != "date" \
                else output.label
        except KeyError:
            pass
    return key


def plain_value(value):
    """A cell's value as Python: dates as dates, numpy scalars as numbers."""
    if isinstance(value, np.datetime64):
        return value.astype("datetime64[D]").astype(dt.date)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def format_cell(key: str, value) -> str:
    value = plain_value(value)
    if _figures is not None:
        try:
            return _figures.format_value(key, value)
        except KeyError:
            pass
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return "n/a"
        value = value + 0.0       # -0.0 (a deposit flow of nothing) shows as 0
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.4g}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def concern_of(key: str) -> list[str]:
    found = [name for name, keys in CONCERNS.items() if key in keys]
    return found or [OTHER]


class ScheduleModel(QAbstractTableModel):
    """The schedule's frame; DisplayRole is formatted, UserRole the value."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.keys: list[str] = []
        self.values: list[np.ndarray] = []

    def show_results(self, results) -> None:
        frame = results.schedule.to_frame()
        self.beginResetModel()
        self.keys = list(frame.columns)
        self.values = [frame[k].to_numpy() for k in self.keys]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or not self.values else len(self.values[0])

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.keys)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        key, value = self.keys[index.column()], self.values[index.column()][index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return format_cell(key, value)
        if role == Qt.ItemDataRole.UserRole:
            return plain_value(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return column_label(self.keys[section]) if section < len(self.keys) else None
        return str(section + 1)


class ScheduleGrid(QWidget):
    def __init__(self, binding, parent=None):
        super().__init__(parent)
        self.setObjectName("schedule-grid")
        self.binding = binding
        self.model = ScheduleModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.concern = QComboBox()
        self.concern.setObjectName("schedule-concern")
        self.concern.addItems([ALL, *CONCERNS, OTHER])
        self.concern.currentTextChanged.connect(lambda _t: self.apply_filter())
        copy = QPushButton("Copy")
        copy.setToolTip("The selected cells, or every month of the shown columns, as "
                        "tab-separated text for a spreadsheet")
        copy.clicked.connect(self.copy)
        copy_action = QAction(self.view)
        copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        copy_action.triggered.connect(self.copy)
        self.addAction(copy_action)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show"))
        bar.addWidget(self.concern)
        bar.addStretch(1)
        bar.addWidget(copy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        update_when_visible(binding, self, self.show_results)
        self.show_results(binding.results)

    def show_results(self, results) -> None:
        first = not self.model.keys
        self.model.show_results(results)
        self.apply_filter()
        if first:
            self.view.resizeColumnsToContents()

    def apply_filter(self) -> None:
        chosen = self.concern.currentText()
        for column, key in enumerate(self.model.keys):
            shown = chosen == ALL or key == "month" or chosen in concern_of(key)
            self.view.setColumnHidden(column, not shown)

    def shown_columns(self) -> list[str]:
        return [k for c, k in enumerate(self.model.keys) if not self.view.isColumnHidden(c)]

    def copy_text(self) -> str:
        """Selected cells (their rows and columns), else every row of the
        shown columns; values at full precision, dates ISO."""
        indexes = self.view.selectionModel().selectedIndexes()
        rows = sorted({i.row() for i in indexes}) or list(range(self.model.rowCount()))
        cols = sorted({i.column() for i in indexes}) or list(range(self.model.columnCount()))
        cols = [c for c in cols if not self.view.isColumnHidden(c)]
        headers = [self.model.headerData(c, Qt.Orientation.Horizontal) for c in cols]
        return table_as_tsv(headers, [[_tsv_value(self.model.index(r, c).data(Qt.ItemDataRole.UserRole))
                                       for c in cols] for r in rows])

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.copy_text())


def _tsv_value(value):
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return value


def schedule_dock(binding, parent) -> QDockWidget:
    """The monthly schedule grid in a dock, hidden at first; its toggle action
    reads "Monthly schedule" (the main window puts the dock and the action in
    place: View > Monthly schedule)."""
    dock = QDockWidget("Monthly schedule", parent)
    dock.setObjectName("schedule-dock")
    dock.setWidget(ScheduleGrid(binding, dock))
    dock.hide()
    dock.toggleViewAction().setText("Monthly &schedule")
    return dock
