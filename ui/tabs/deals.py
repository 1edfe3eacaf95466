"""Deals tab: the public compute deals of MARKET.md §2 (and the user's own)
side by side with the current scenario.

One chart per deal type and measure (GPU cloud per GPU-hour and per MW-year,
colocation per MW-year): each deal a bar, the scenario's bar highlighted and
moved at every edit.  Under them the finding line and the table, each figure
with its bound and label, and its date, source and assumption in the cell's
tooltip.  "Open as scenario" adds the selected deal as a new scenario beside
the others, its unknowns filled by stated assumptions (core.deals.deal_scenario).
"Import deals..." reads a CSV or .xlsx table of deals into the user deals file.

Everything shown is core/deals.py's; this module only draws it.  Text from a
deals file is shown as plain text (table items; tooltips escaped).
"""
from __future__ import annotations

import html
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QLabel, QPushButton,
                               QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from core.deals import (COLOCATION, DEAL_TYPES, GPU_CLOUD, TABLE_COLUMNS, DealFileError,
                        NormalisedDeal, all_deals, deal_scenario, deals_from_table, findings,
                        normalise, read_deals, scenario_prices, table_rows, user_deals_path,
                        write_user_deals)
from core.importing import ImportFileError, read_file
from ui.app.build_steps import BuiltInSteps
from ui.app.lazy_updates import update_when_visible
from ui.app.recovery import default_autosave_dir
from ui.app.workspace import Workspace, WorkspaceError
from ui.look.themes import series_colour
from ui.plots.common import MoneyAxis, PlotPanel
from ui.plots.fast_axis import FastAxisItem
from ui.widgets.import_dialog import choose_table_file
from ui.widgets.plain_text import plain_label, shortened

# (deal type, measure, title) of each chart.
CHARTS = ((GPU_CLOUD, "per_gpu_hour", "GPU cloud: $ per GPU-hour"),
          (GPU_CLOUD, "per_mw_year", "GPU cloud: $ per MW-year"),
          (COLOCATION, "per_mw_year", "Colocation: $ per MW-year (power and shell only)"))
DEAL_COLOUR = series_colour(1)        # Okabe-Ito sky blue
SCENARIO_COLOUR = series_colour(2)    # Okabe-Ito vermillion: the scenario stands out
NAME_AXIS_WIDTH = 190
NAME_LENGTH = 24          # a bar's name, cut to fit the axis (pyqtgraph drops what does not fit)


def _tooltip(text: str) -> str:
    """Text from a file as a tooltip Qt shows as it is (escaped: tooltips render HTML)."""
    return "<p style='white-space:pre-wrap'>" + html.escape(shortened(text)) + "</p>"


class DealChart(PlotPanel):
    """One deal type's unit prices as horizontal bars, the scenario's highlighted."""

    def __init__(self, deal_type: str, measure: str, title: str, parent=None):
        self.names = FastAxisItem("left")
        super().__init__(title, self.names, "", parent, bottom_axis=MoneyAxis("bottom"),
                         left_width=NAME_AXIS_WIDTH)
        self.deal_type, self.measure = deal_type, measure
        self.plot.getViewBox().setMouseEnabled(x=False, y=False)
        self.bars = pg.BarGraphItem(x0=[], y=[], height=0.6, width=[])
        self.plot.addItem(self.bars)
        self.rows: list[tuple[str, float, bool]] = []

    def show_prices(self, deals: tuple[NormalisedDeal, ...], scenario_name: str,
                    scenario_value: float | None) -> None:
        rows = []
        for n in deals:
            price = getattr(n, self.measure)
            if n.deal.deal_type == self.deal_type and price.value is not None:
                mark = {"at_least": " \u2265", "at_most": " \u2264", "about": " ~"}.get(price.bound, "")
                rows.append((shortened(n.deal.title, NAME_LENGTH) + mark, price.value, False))
        rows.sort(key=lambda r: r[1])
        if self.deal_type == GPU_CLOUD and scenario_value is not None:
            rows.append(("\u25b6 " + shortened(scenario_name, NAME_LENGTH - 2), scenario_value, True))
        self.rows = rows
        self.bars.setOpts(x0=[0.0] * len(rows), y=list(range(len(rows))),
                          width=[r[1] for r in rows], height=0.6,
                          brushes=[pg.mkBrush(SCENARIO_COLOUR if r[2] else DEAL_COLOUR)
                                   for r in rows], pens=[pg.mkPen(None)] * len(rows))
        self.names.setTicks([[(i, r[0]) for i, r in enumerate(rows)]])
        top = max((r[1] for r in rows), default=1.0)
        self.plot.setXRange(0, top * 1.08, padding=0)
        self.plot.setYRange(-0.6, len(rows) - 0.4, padding=0)
        self.fitted_ranges = ((0, top * 1.08, 0), (-0.6, len(rows) - 0.4))

    def scenario_bar(self) -> float | None:
        """The scenario's bar length, or None (for tests and the read-out)."""
        return next((value for _n, value, mine in self.rows if mine), None)


class DealsTab(BuiltInSteps, QWidget):
    def __init__(self, workspace: Workspace, parent=None, *, later: bool = False):
        super().__init__(parent)
        self.start_build(self._build(workspace), later)   # ui/app/build_steps.py

    def _build(self, workspace: Workspace):
        self.workspace = workspace
        self.binding = workspace.binding
        self._user_file: Path | None = None
        self.normalised: tuple[NormalisedDeal, ...] = ()

        self.charts = []
        for chart in CHARTS:
            yield       # a step each chart
            self.charts.append(DealChart(*chart))
        yield
        charts = QWidget()
        row = QHBoxLayout(charts)
        row.setContentsMargins(0, 0, 0, 0)
        for chart in self.charts:
            row.addWidget(chart, 1)

        yield
        self.finding = plain_label(QLabel(" "))
        self.finding.setObjectName("deals-finding")
        self.finding.setWordWrap(True)
        font = self.finding.font()
        font.setBold(True)
        self.finding.setFont(font)
        self.scenario_line = plain_label(QLabel(" "))
        self.scenario_line.setWordWrap(True)

        self.table = QTableWidget(0, len(TABLE_COLUMNS))
        self.table.setObjectName("deals-table")
        self.table.setHorizontalHeaderLabels(list(TABLE_COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self._fit_when_shown = False      # see _fit_columns

        self.open_button = QPushButton("Open as scenario")
        self.open_button.setToolTip("Add the selected deal as a new scenario beside the others; "
                                    "what the deal does not state is assumed, and said so")
        self.open_button.clicked.connect(self.open_selected)
        self.import_button = QPushButton("Import deals\u2026")
        self.import_button.setToolTip("Your own deals from a CSV or .xlsx table (one row a deal: "
                                      "buyer, provider, type, announced, value, term_months, mw, "
                                      "gpus, gpu_model, label, source); kept in your deals file")
        self.import_button.clicked.connect(self.choose_import_file)
        self.message = plain_label(QLabel(" "))
        self.message.setObjectName("deals-message")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.message, 1)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.finding)
        lower_layout.addWidget(self.scenario_line)
        lower_layout.addWidget(self.table, 1)
        lower_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(charts)
        splitter.addWidget(lower)
        splitter.setSizes([300, 320])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)

        yield
        # The user's deals sit in the window's data folder: a tab built in idle
        # steps is in the window by now, and reads them here, not at its first
        # show (issue 22: the file read and the table filled again were half
        # of that show); a tab built whole, outside a window, when first shown.
        self._user_file_known = self._in_window()
        if self._user_file_known:
            self.user_deals_file()
        self.normalised = self._read_deals()
        yield
        self._fill_table()
        yield
        update_when_visible(self.binding, self, self.show_results)
        self.show_results(self.binding.results)

    def _in_window(self) -> bool:
        return getattr(self.window(), "file_actions", None) is not None

    def showEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        if not self._user_file_known:
            self._user_file_known = True
            self.user_deals_file()
            self.reload_deals()
        elif self._fit_when_shown:
            self._fit_columns_at_show()
        super().showEvent(event)

    # --- the deals ------------------------------------------------------------------------

    def user_deals_file(self) -> Path:
        """The user's deals: user_deals.json beside the window's autosave folder
        (the app's data folder; a test window's own tmp folder)."""
        if self._user_file is None:
            actions = getattr(self.window(), "file_actions", None)
            base = actions.autosave.directory if actions is not None else default_autosave_dir()
            self._user_file = user_deals_path(Path(base).parent)
        return self._user_file

    def set_user_deals_file(self, path: Path) -> None:
        self._user_file, self._user_file_known = Path(path), True
        self.reload_deals()

    def reload_deals(self) -> None:
        self.normalised = self._read_deals()
        self._fill_table()
        self.show_results(self.binding.results)

    def _read_deals(self) -> tuple[NormalisedDeal, ...]:
        """The public deals and the user's (its file), normalised."""
        try:
            deals = all_deals(self._user_file)
        except DealFileError as error:
            self.message.setText(f"Your deals were not read: {shortened(str(error))}")
            deals = all_deals(None)
        return tuple(normalise(d) for d in deals)

    def _fill_table(self) -> None:
        rows = table_rows(self.normalised)
        self.table.setRowCount(len(rows))
        for r, (row, n) in enumerate(zip(rows, self.normalised)):
            tips = self._tips(n)
            for c, column in enumerate(TABLE_COLUMNS):
                item = QTableWidgetItem(str(row[column]))
                tip = tips.get(column)
                if tip:
                    item.setToolTip(_tooltip(tip))
                self.table.setItem(r, c, item)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Each column as wide as its text.  Hidden, Qt leaves the last column
        at the room the header stretches it to, where shown it widens it to
        its text: a table filled hidden (a tab built in idle time) fits its
        columns again when first shown (showEvent)."""
        self._fit_when_shown = not self.isVisible()
        self.table.resizeColumnsToContents()

    def _fit_columns_at_show(self) -> None:
        """The columns fitted at the first show, and the scroll bar that
        brings laid out at once, before the page's paint: Qt lays it out in
        a later turn, which painted the table again (issue 22)."""
        self._fit_columns()
        self.table.updateGeometries()
        QCoreApplication.sendPostedEvents(self.table, QEvent.Type.MetaCall)

    @staticmethod
    def _tips(n: NormalisedDeal) -> dict[str, str]:
        d = n.deal

        def figure(f) -> str:
            return f"{f.as_stated or f.value} \u2014 [{f.label}] {f.date}, {f.source}" if f else ""
        tips = {"value": "\n".join(figure(f) for f in (d.value_low, d.value_high) if f),
                "term": figure(d.term_months), "MW": figure(d.mw), "GPUs": figure(d.gpus),
                "deal": f"{d.title}{', ' + d.site if d.site else ''} ({d.origin})",
                "$/MW-year": f"[D] {n.per_mw_year.assumption}",
                "$/GPU-hour": f"[D] {n.per_gpu_hour.assumption}",
                "$/H100e-hour": f"[D] {n.per_h100e_hour.assumption}",
                "rights and terms": "; ".join(t for t in (d.rights, d.notes) if t)}
        return tips

    # --- the scenario among them -------------------------------------------------------------

    def show_results(self, results) -> None:
        scenario = self.binding.scenario
        prices = scenario_prices(scenario, results)
        for chart in self.charts:
            chart.show_prices(self.normalised, scenario.name, getattr(prices, chart.measure))
        found = findings(prices, self.normalised, scenario)
        self.finding.setText(" ".join(f.sentence for f in found) or
                             f"{scenario.name} lies within the range of the public "
                             f"{DEAL_TYPES[prices.deal_type]} deals.")
        gpu_hour = f"${prices.per_gpu_hour:,.2f}" if prices.per_gpu_hour else "n/a"
        mw_year = f"${prices.per_mw_year / 1e6:,.1f}M" if prices.per_mw_year else "n/a"
        self.scenario_line.setText(
            f"The scenario: {gpu_hour} per GPU-hour, {mw_year} per MW-year [D]: "
            f"{prices.assumption}. Deal unit prices are [D]: 8,760 hours a year; "
            f"\u2265 / \u2264 mark bounds (hover a cell for its label, date, source and "
            f"assumption).")

    # --- actions -------------------------------------------------------------------------------

    def selected_deal(self):
        rows = self.table.selectionModel().selectedRows()
        return self.normalised[rows[0].row()].deal if rows else None

    def open_selected(self) -> bool:
        deal = self.selected_deal()
        if deal is None:
            self.message.setText("Select a deal in the table first.")
            return False
        scenario, assumed = deal_scenario(deal)
        try:
            self.workspace.add(scenario)
        except WorkspaceError as error:
            self.message.setText(str(error))
            return False
        self.message.setText(f"Opened \u201c{shortened(self.workspace.names[self.workspace.active], 80)}"
                             f"\u201d. Assumed: " + "; ".join(assumed) + ".")
        return True

    def choose_import_file(self) -> QFileDialog:
        return choose_table_file(self, "Import deals from", str(Path.home()),
                                 "deals-import-file-dialog", self.import_file)

    def import_file(self, path) -> bool:
        """Add the deals of a CSV or .xlsx table to the user's deals file; a
        refused cell imports nothing and is named in the message."""
        try:
            deals, refused = deals_from_table(read_file(path))
        except ImportFileError as error:
            self.message.setText(f"Not imported: {shortened(str(error))}")
            return False
        if refused:
            self.message.setText(f"Not imported ({len(refused)} refused): {refused[0]}")
            return False
        target = self.user_deals_file()
        try:
            kept = read_deals(target, origin="user") if target.exists() else ()
            taken = {d.key for d in kept}
            new = tuple(d for d in deals if d.key not in taken)
            write_user_deals(kept + new, target)
        except (DealFileError, OSError) as error:
            self.message.setText(f"Not imported: {shortened(str(error))}")
            return False
        self.message.setText(f"Imported {len(new)} deal(s) into {target}.")
        self.reload_deals()
        return True
