"""Named scenarios side by side: a bar to switch, duplicate, rename and
delete scenarios, and a Compare tab that overlays their cumulative payments,
lists the inputs in which each scenario differs from the first, tabulates
their key figures with the differences against the first, and draws a
waterfall attributing the change in a chosen figure between a chosen pair
to each input changed (ui/tabs/differences_view.py).

The figures and differences come from core/comparison.py, the inputs that
differ and the waterfall from core/attribution.py.
"""
from __future__ import annotations

import dataclasses
import functools

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QComboBox, QHBoxLayout,
                               QInputDialog, QLabel, QMessageBox, QPushButton, QSplitter, QTableWidget,
                               QTableWidgetItem, QToolBar, QVBoxLayout, QWidget)

from core.attribution import InputDifference, changed_inputs
from core.comparison import Comparison, compare
from core.engine import Results, compute
from core.parameters import Scenario
from ui.app.build_steps import BuiltInSteps
from ui.widgets.plain_text import message_box, plain_tooltip
from ui.plots.common import EachItem, PanelSpec, SeriesPanel
from ui.app.workspace import Workspace, WorkspaceError
from ui.look.themes import theme_manager
from ui.tabs.differences_view import ScenarioDifferences
from ui.widgets.steady_label import SteadyLabel


class ScenarioBar(QToolBar):
    """Scenario: [combo] Duplicate, Rename, Delete.  In the window's Tab order
    (`take_tab_order`): first, as it is the top row, so Tab from a tab's last
    input comes round to the chooser and its buttons."""

    def __init__(self, window, workspace: Workspace):
        super().__init__("Scenarios", window)
        self.setObjectName("scenario-bar")
        self.setMovable(False)
        self.window = window
        self.workspace = workspace
        self.combo = QComboBox()
        self.combo.setMinimumWidth(240)
        self.combo.setToolTip("The scenario shown; each keeps its own inputs and undo history")
        self.duplicate_button = QPushButton("Duplicate")
        self.duplicate_button.setToolTip("Copy this scenario under a new name (e.g. Bull, Bear)")
        self.rename_button = QPushButton("Rename\u2026")
        self.delete_button = QPushButton("Delete")
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(8, 2, 8, 2)
        row.addWidget(QLabel("Scenario:"))
        row.addWidget(self.combo)
        for button in (self.duplicate_button, self.rename_button, self.delete_button):
            row.addWidget(button)
        self.addWidget(holder)
        self.combo.currentIndexChanged.connect(self._chosen)
        self.duplicate_button.clicked.connect(self.duplicate)
        self.rename_button.clicked.connect(self.ask_rename)
        self.delete_button.clicked.connect(self.ask_delete)
        workspace.scenarios_changed.connect(self.refresh)
        self.refresh()

    @property
    def controls(self) -> tuple[QWidget, ...]:
        """The chooser and its buttons, in reading order."""
        return (self.combo, self.duplicate_button, self.rename_button, self.delete_button)

    def take_tab_order(self, followed_by: QWidget) -> None:
        """Put the bar's controls in the Tab order just before `followed_by`
        (the first control below the bar).  Qt's order is circular: what came
        before `followed_by` (the end of the tab shown) now leads to the chooser."""
        before = followed_by.previousInFocusChain()
        while before in self.controls:            # already in place: start before them
            before = before.previousInFocusChain()
        chain = (before, *self.controls)       # each put after the one before it
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def refresh(self) -> None:
        names = self.workspace.names
        if [self.combo.itemText(i) for i in range(self.combo.count())] != names:
            self.combo.blockSignals(True)
            self.combo.clear()
            self.combo.addItems(names)
            self.combo.blockSignals(False)
        if self.combo.currentIndex() != self.workspace.active:
            self.combo.blockSignals(True)
            self.combo.setCurrentIndex(self.workspace.active)
            self.combo.blockSignals(False)
        self.delete_button.setEnabled(len(names) > 1)

    def _chosen(self, index: int) -> None:
        if index >= 0:
            self.workspace.switch(index)

    def _refused(self, error: WorkspaceError) -> None:
        self.window.statusBar().showMessage(str(error), 6000)
        message_box(QMessageBox.Icon.Warning, "Scenarios", str(error),
                    QMessageBox.StandardButton.Ok, self.window).open()

    def duplicate(self) -> None:
        try:
            self.workspace.duplicate()
        except WorkspaceError as error:
            self._refused(error)

    def ask_rename(self) -> QInputDialog:
        dialog = QInputDialog(self.window)
        dialog.setObjectName("rename-scenario")
        dialog.setWindowTitle("Rename scenario")
        dialog.setLabelText("Name:")
        dialog.setTextValue(self.workspace.names[self.workspace.active])
        index = self.workspace.active
        dialog.textValueSelected.connect(lambda name: self.rename(index, name))
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()
        return dialog

    def rename(self, index: int, name: str) -> bool:
        try:
            self.workspace.rename(index, name)
        except WorkspaceError as error:
            self._refused(error)
            return False
        return True

    def ask_delete(self) -> QMessageBox:
        index = self.workspace.active
        box = message_box(QMessageBox.Icon.Question, "Delete scenario",
                          f"Delete the scenario \u201c{self.workspace.names[index]}\u201d?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                          self.window)
        box.setObjectName("delete-scenario")

        def answered(_result) -> None:
            if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes:
                try:
                    self.workspace.remove(index)
                except WorkspaceError as error:
                    self._refused(error)
            box.deleteLater()
        box.finished.connect(answered)
        box.open()
        return box


# Each scenario's cumulative payments, named by the scenario.
PAYMENTS_SPEC = PanelSpec("Cumulative payments by scenario", "Paid to date", (
    EachItem("curves", "cumulative_payment"),
))


class CompareTab(BuiltInSteps, QWidget):
    """Cumulative payments of every scenario overlaid over their key figures
    (left); the inputs that differ over a waterfall of one figure (right).
    A plain widget round the columns' splitter: presentation mode shows all of
    it, not only the right of a horizontal splitter as it does for input tabs."""

    def __init__(self, workspace: Workspace, parent=None, *, later: bool = False):
        super().__init__(parent)
        self.start_build(self._build(workspace), later)   # ui/app/build_steps.py

    def _build(self, workspace: Workspace):
        self.workspace = workspace
        self.comparison: Comparison | None = None
        self.input_rows: list[str] = []      # SECTION.FIELD of each row of the inputs table
        self._stale = True
        # Per edit only the edited scenario's column changes: the others' results
        # and texts are kept, keyed on their scenario objects (replaced, never
        # changed in place, by an edit).
        self._results: dict[int, tuple[Scenario, Results]] = {}
        self._value_texts: dict[int, tuple[Scenario, tuple[str, ...]]] = {}
        self._difference_texts: dict[tuple[int, int],
                                     tuple[Scenario, Scenario, tuple[str, ...]]] = {}
        self._changes: dict[tuple[int, int],
                            tuple[Scenario, Scenario, dict[str, InputDifference]]] = {}
        self._shown_columns: list[tuple[str, ...]] = []    # the key-figure table's texts
        self._shown_inputs: tuple | None = None            # what the inputs table shows
        self.panel = SeriesPanel(PAYMENTS_SPEC)
        yield
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.note = QLabel("Key figures; differences are against the first scenario in the list.")
        self.note.setStyleSheet("color:#4A5560;")
        self.inputs_note = SteadyLabel(" ", wrap=True)   # no relayout when its text stays
        self.inputs_note.setStyleSheet("color:#4A5560;")
        self.inputs_table = QTableWidget()
        self.inputs_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.inputs_table.verticalHeader().setVisible(False)
        self.inputs_table.verticalHeader().setDefaultSectionSize(24)
        yield
        self.differences = ScenarioDifferences(show_inputs=False)

        yield
        figures = QWidget()
        column = QVBoxLayout(figures)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.note)
        column.addWidget(self.table, 1)
        inputs = QWidget()
        column = QVBoxLayout(inputs)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.inputs_note)
        column.addWidget(self.inputs_table, 1)
        # Two columns, each a splitter: what was paid over the figures (left);
        # the few inputs that differ over the waterfall, which needs the height (right).
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.panel)
        left.addWidget(figures)
        left.setSizes([500, 500])
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(inputs)
        right.addWidget(self.differences)
        right.setSizes([320, 680])
        for split in (left, right):
            split.setChildrenCollapsible(False)
        self.columns = QSplitter(Qt.Orientation.Horizontal)
        self.columns.addWidget(left)
        self.columns.addWidget(right)
        # The key figures and their differences take the wider column: on a 1366 x 768
        # screen both scenarios and the difference fit without scrolling.
        self.columns.setSizes([660, 540])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.columns)
        workspace.scenarios_changed.connect(self._changed)
        workspace.binding.results_changed.connect(lambda _r: self._changed())
        # The inputs table's muted cells carry the theme's placeholder colour:
        # a theme switch lays them out again (now if shown, else at the show).
        theme_manager().theme_changed.connect(self._theme_changed)
        yield
        # Built hidden (in idle time), the comparison is drawn now, in a step
        # of its own: the panel's curves and legend made, the tables filled
        # and the page then laid out and rendered with them (ui/window/
        # warm_up.py); the first show updates them (issue 22: it made them,
        # and the panel was laid out again for its legend).
        self.refresh()

    def _changed(self) -> None:
        self._stale = True
        # An edit of the active scenario brings its results within the frame (the
        # binding's coalesced recompute): refresh once then, not now and again then.
        workspace = self.workspace
        results_due = workspace.binding.results.scenario != workspace.scenarios[workspace.active]
        if self.isVisible() and not results_due:
            self.refresh()

    def _theme_changed(self, _theme) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def presentation_view(self) -> QWidget:
        """All of the tab, lent to presentation mode (ui.registry.LendsResults):
        the comparison is its results, tables and waterfall included."""
        return self

    def has_presentation_content(self) -> bool:
        """A comparison needs two scenarios: with one, presentation mode skips it."""
        return len(self.workspace.scenarios) > 1

    def refresh(self) -> None:
        scenarios = self.workspace.scenarios
        self.comparison = compare(scenarios, self._results_of(scenarios))
        self._stale = False
        self.panel.show_source(self.comparison)
        self._show_table(self.comparison, scenarios)
        self._show_inputs(scenarios)
        self.differences.set_scenarios(scenarios)

    def _results_of(self, scenarios: list[Scenario]) -> list[Results]:
        """Each scenario's results: the binding's for the active one when they
        are its (else a recompute is pending: done here), the kept ones for a
        scenario object seen before, computed (by core) for a new one."""
        workspace = self.workspace
        active = workspace.binding.results
        kept = {}
        for i, scenario in enumerate(scenarios):
            if i == workspace.active and active.scenario == scenario:
                results = active
            elif (seen := self._results.get(id(scenario))) and seen[0] is scenario:
                results = seen[1]
            else:
                results = compute(scenario)
            kept[id(scenario)] = (scenario, results)
        self._results = kept
        return [kept[id(s)][1] for s in scenarios]

    def _columns(self, comparison: Comparison, scenarios: list[Scenario]) -> list[tuple[str, ...]]:
        """The key-figure table's text, column by column: each scenario's
        figures, then each other's differences against the first; formatted
        again only for a scenario (or pair) not seen before."""
        rows = comparison.rows
        values, differences = {}, {}
        columns = []
        for i, scenario in enumerate(scenarios):
            seen = self._value_texts.get(id(scenario))
            texts = (seen[1] if seen and seen[0] is scenario
                     else tuple(row.value_text(i) for row in rows))
            values[id(scenario)] = (scenario, texts)
            columns.append(texts)
        first = scenarios[0]
        for i, scenario in enumerate(scenarios[1:], start=1):
            key = (id(first), id(scenario))
            seen = self._difference_texts.get(key)
            texts = (seen[2] if seen and seen[0] is first and seen[1] is scenario
                     else tuple(row.difference_text(i) for row in rows))
            differences[key] = (first, scenario, texts)
            columns.append(texts)
        self._value_texts, self._difference_texts = values, differences
        return columns

    def _show_table(self, comparison: Comparison, scenarios: list[Scenario]) -> None:
        """The key figures in place: only the cells whose text changed are set,
        and only their columns measured again."""
        names = comparison.names
        # "vs the first" is said once, above the table; a long name is cut in the
        # header, whole in its tooltip, so the differences fit a laptop's screen.
        headers = list(names) + [f"\u0394 {name}" for name in names[1:]]
        table = self.table
        if table.columnCount() != len(headers):
            table.setColumnCount(len(headers))
        if table.rowCount() != len(comparison.rows):
            table.setRowCount(len(comparison.rows))
        for column, header in enumerate(headers):
            tip = plain_tooltip(header if column < len(names)
                                else f"{header[2:]} less {names[0]}")
            item = table.horizontalHeaderItem(column)
            if item is None or item.text() != header or item.toolTip() != tip:
                item = QTableWidgetItem(header)
                item.setToolTip(tip)
                table.setHorizontalHeaderItem(column, item)
        labels = [row.label for row in comparison.rows]
        if [(item.text() if (item := table.verticalHeaderItem(r)) else None)
                for r in range(table.rowCount())] != labels:
            table.setVerticalHeaderLabels(labels)
        columns = self._columns(comparison, scenarios)
        shown = self._shown_columns
        for column, texts in enumerate(columns):
            if column < len(shown) and shown[column] == texts:
                continue
            for r, text in enumerate(texts):
                item = table.item(r, column)
                if item is None:
                    self._cell(r, column, text)
                elif item.text() != text:
                    item.setText(text)
            fit_columns_to_values(table, columns=(column,))
        self._shown_columns = columns

    def _show_inputs(self, scenarios: list[Scenario]) -> None:
        """One row per input in which any scenario differs from the first, in
        the order the scenario declares its inputs; a value equal to the
        first's is shown muted."""
        first, others = scenarios[0], scenarios[1:]
        changes = [self._changed_inputs(first, other) for other in others]
        declared = declared_inputs(tuple(type(getattr(first, section))
                                         for section in Scenario.SECTIONS))
        self.input_rows = [key for key in declared if any(key in c for c in changes)]
        if not others:
            self.inputs_note.setText("One scenario: Duplicate it and change the copy to "
                                     "compare inputs.")
        elif not self.input_rows:
            self.inputs_note.setText(f"Every scenario has the same inputs as {first.name}.")
        else:
            self.inputs_note.setText(f"Inputs that differ from {first.name}: "
                                     f"{len(self.input_rows)}.")
        # What the table shows, cell by cell: (text, tooltip, muted); laid out
        # again only when that changes (an edit of an input that differs already,
        # or of one no scenario differs in, changes one cell or none).
        headers = ("Input", *(s.name for s in scenarios))
        rows = []
        for key in self.input_rows:
            some = next(c[key] for c in changes if key in c)
            label = some.label + (f" ({some.unit})" if some.unit else "")
            cells = [(label, key, False), (some.old_text(), "", False)]
            for change in changes:
                difference = change.get(key)
                cells.append((difference.new_text(), "", False) if difference else
                             (some.old_text(), plain_tooltip(f"The same as {first.name}"),
                              True))
            rows.append(tuple(cells))
        # The muted colour is the theme's: a refresh after a theme switch
        # lays the table out again in the new theme's colour.  The
        # application's palette: a hidden table's own follows it only once
        # shown, after the refresh of its first show.
        muted = QBrush(QApplication.palette().placeholderText())
        content = (headers, tuple(rows), muted.color().rgba())
        if content == self._shown_inputs:
            return
        self._shown_inputs = content
        table = self.inputs_table
        table.clear()
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(list(headers))
        table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, (text, tip, is_muted) in enumerate(cells):
                item = QTableWidgetItem(text)
                if tip:
                    item.setToolTip(tip)
                if is_muted:
                    item.setForeground(muted)
                table.setItem(r, c, item)
        table.resizeColumnsToContents()

    def _changed_inputs(self, first: Scenario, other: Scenario) -> dict[str, InputDifference]:
        """core's inputs in which `other` differs from `first`, kept for the pair
        of scenario objects (an edit of one replaces it: a new pair)."""
        key = (id(first), id(other))
        seen = self._changes.get(key)
        if seen is None or seen[0] is not first or seen[1] is not other:
            seen = (first, other, {d.key: d for d in changed_inputs(first, other)})
            if len(self._changes) > 64:      # scenarios gone: forget them
                self._changes.clear()
            self._changes[key] = seen
        return seen[2]

    def input_text(self, label: str, scenario: str) -> str:
        """The inputs table's text for an input (its label) and a scenario's column (tests)."""
        rows = [self.inputs_table.item(r, 0).text() for r in range(self.inputs_table.rowCount())]
        columns = [self.inputs_table.horizontalHeaderItem(c).text()
                   for c in range(self.inputs_table.columnCount())]
        return self.inputs_table.item(rows.index(label), columns.index(scenario)).text()

    def _cell(self, row: int, column: int, text: str) -> None:
        item = QTableWidgetItem(text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, column, item)

    def cell_text(self, label: str, header: str) -> str:
        """The table's text for a figure (row label) and a column header (tests, exports)."""
        rows = [self.table.verticalHeaderItem(r).text() for r in range(self.table.rowCount())]
        columns = [self.table.horizontalHeaderItem(c).text()
                   for c in range(self.table.columnCount())]
        return self.table.item(rows.index(label), columns.index(header)).text()


@functools.cache
def declared_inputs(section_types: tuple[type, ...]) -> tuple[str, ...]:
    """SECTION.FIELD of every input, in the order the scenario declares them
    (found once for the sections' classes, not at every edit)."""
    return tuple(f"{section}.{f.name}" for section, kind in zip(Scenario.SECTIONS, section_types)
                 for f in dataclasses.fields(kind))


def fit_columns_to_values(table: QTableWidget, least: int = 72,
                          columns: tuple[int, ...] | None = None) -> None:
    """Each column (or those given) as wide as its widest value (not its header,
    which is cut in the middle if it must be): a scenario's long name must not
    push the differences off a 1366 x 768 screen."""
    header = table.horizontalHeader()
    if header.textElideMode() != Qt.TextElideMode.ElideMiddle:
        header.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    metrics = table.fontMetrics()
    for column in range(table.columnCount()) if columns is None else columns:
        widest = max((metrics.horizontalAdvance(item.text())
                      for row in range(table.rowCount())
                      if (item := table.item(row, column)) is not None), default=0)
        width = max(least, widest + 16)
        if table.columnWidth(column) != width:
            table.setColumnWidth(column, width)
