"""Portfolio tab: the open scenarios added up as one book, a buyer's compute
book or a provider's backlog (core/portfolio.py).

Commitments by month stacked by counterparty, the walk-away exposure and the
GPUs online over the same calendar, each counterparty's share and the
Herfindahl-Hirschman index, with a finding when one counterparty holds more
than a third.  *Open portfolio...* adds the deals of a portfolio file as
scenarios beside the others (the example: Anthropic's compute book from the
public deals, every assumption listed).

The joint simulation (core/portfolio_risk.py): every deal on the same market
paths, each counterparty's default correlated with the others' by the
correlation set here; the distribution of the book's figure (the buyer's
total cost, or the provider's NPV) with its P5, P50 and P95, each deal's
contribution to its spread and each counterparty's chance of default.  It
runs in a worker thread (ui/tabs/risk_worker.py), started once the edit's own
frame is painted; a newer edit cancels it, and the last result stays on
screen, marked as running, until the new one lands.

An edit changes one deal: the others' results are kept (by identity), each
deal's PortfolioDeal, figures on the calendar and commitments over its term
too, and each counterparty's commitments added up while none of its deals
changed (core.portfolio's `kept` dicts: the same numbers as from scratch);
the stacked bars are one item (ui/plots/stacked_bars.py) whose layers and
legend are made once per set of counterparties and calendar, an edit working
out again only the layers that moved; a line whose values did not change is
not set again (a fee edit moves no GPU); table cells are made once and their
text set when it changes; the deals' contributions are a model repainted
only where a text changed; the finding and the status are labels outside
the layout, so a new text never lays the tab out again, and the status says
a run is starting in the edit's own frame.  The run's outcomes are binned,
and every text the tab shows of it formatted, in the worker.  The charts'
views are opaque to Qt (they paint every pixel they repaint).

File > Export portfolio... writes the book shown here as a report, deck or
workbook (ui/boardroom/portfolio_export.py).
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from types import SimpleNamespace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSize, Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDoubleSpinBox, QFileDialog,
                               QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSpinBox,
                               QTableView, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from core import figures
from core.formatting import format_money
from core.portfolio import (DEFAULT_CORRELATION_PCT, DEFAULT_CORRELATION_SOURCE, EXAMPLE_PATH,
                            PortfolioFileError, concentration, portfolio_of_scenarios,
                            portfolio_totals, read_portfolio)
from core.monte_carlo import histogram
from core.portfolio_risk import DEFAULT_PATHS, DEFAULT_SEED, PortfolioRisk, simulate_portfolio
from ui.app.build_steps import BuiltInSteps
from ui.app.lazy_updates import update_when_visible
from ui.app.workspace import Workspace, WorkspaceError
from ui.look.themes import ERROR_STYLE, series_colour
from ui.plots.common import MoneyAxis, PanelSpec, PlotPanel, QuantityAxis, SeriesPanel, fit_ranges
from ui.plots.basics import timestamps
from ui.plots.layers import Histogram
from ui.plots.one_frame import paint_together
from ui.plots.series_curve import SeriesCurve
from ui.plots.stacked_bars import StackedBars
from ui.tabs.risk_worker import AfterPaint, JobRunner
from ui.widgets.plain_text import plain_label, shortened

SIDES = {"buyer": "a buyer's compute book (commitments)", "provider": "a provider's backlog (revenue)"}
MONTH_SECONDS = 30.44 * 86_400
FILE_FILTER = "Portfolio files (*.json);;All files (*)"
MIN_PATHS, MAX_PATHS = 1_000, 200_000
# The deals' contribution table: core/figures.py's declarations, in this order.
CONTRIBUTION_KEYS = ("deal_simulated_mean", "deal_simulated_std", "deal_contribution",
                     "deal_contribution_share")
LOSS_LEGEND = "Paths with a loss"


class _SteadyText(QWidget):
    """A label held in a widget without a layout: a new text repaints the
    label alone and lays the tab out again only when it needs another height
    (a label in a layout asks the whole tab and window to be laid out again
    at every new text: about 2 ms a frame with the 50-deal book).  A wrapped
    label's height is that of its lines at the width it has; a one-line
    label takes the height the layout gives it, as it did in the layout."""

    def __init__(self, label: QLabel):
        super().__init__()
        self.label = label
        label.setParent(self)
        policy = label.sizePolicy()
        self.setSizePolicy(policy.horizontalPolicy(), QSizePolicy.Policy.Fixed
                           if label.wordWrap() else policy.verticalPolicy())
        self._hint = label.sizeHint()
        self._fit()

    def set_text(self, text: str) -> None:
        if text == self.label.text():
            return             # (an edit's finding, to three figures, is often the same)
        self.label.setText(text)
        self._fit()

    def _fit(self) -> None:
        label = self.label
        if label.wordWrap():
            height = label.heightForWidth(self.width()) if self.width() > 0 \
                else label.sizeHint().height()
            if height != self.maximumHeight():
                self.setFixedHeight(height)
            if label.height() != height or label.width() != self.width():
                label.setGeometry(0, 0, self.width(), height)
        else:
            hint = label.sizeHint()
            # A width the layout ignores may change freely; a height (a font, a
            # line more) or a width the layout heeds lays the tab out again.
            if hint.height() != self._hint.height() or (
                    hint.width() != self._hint.width()
                    and self.sizePolicy().horizontalPolicy() != QSizePolicy.Policy.Ignored):
                self.updateGeometry()
            self._hint = hint

    def sizeHint(self):   # noqa: N802 (Qt's name)
        if not self.label.wordWrap():
            return self.label.sizeHint()
        return QSize(self.label.sizeHint().width(), self.maximumHeight())

    def minimumSizeHint(self):   # noqa: N802 (Qt's name)
        if not self.label.wordWrap():
            return self.label.minimumSizeHint()
        return QSize(self.label.minimumSizeHint().width(), self.maximumHeight())

    def resizeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        self.label.setGeometry(self.rect())
        self._fit()
        super().resizeEvent(event)


def _show_line(panel: PlotPanel, curve: SeriesCurve, x: np.ndarray, edges: np.ndarray,
               y: np.ndarray) -> None:
    """A line and its chart's ranges; left as they are when neither the
    calendar nor the values changed (a fee edit moves no GPU: that chart is
    not drawn again)."""
    if curve.show_values(x, y):
        fit_ranges(panel, edges, y, headroom=0.1)


def _set_text(table: QTableWidget, row: int, column: int, text: str) -> None:
    """A cell's text, its item made once and changed only when the text does."""
    item = table.item(row, column)
    if item is None:
        table.setItem(row, column, QTableWidgetItem(text))
    elif item.text() != text:
        item.setText(text)


def _two_lines(text: str) -> str:
    """A header on two lines, broken at the space nearest its middle."""
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return text
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return text[:cut] + "\n" + text[cut + 1:]


def _headers(table: QTableWidget, texts: list[str], keys: list[str | None]) -> None:
    """Column headers: declared labels (core/figures.py) on two lines, each
    figure's definition as its tooltip."""
    table.setHorizontalHeaderLabels([_two_lines(t) for t in texts])
    for column, key in enumerate(keys):
        if key is not None:
            table.horizontalHeaderItem(column).setToolTip(figures.output(key).definition)


_DISPLAY = Qt.ItemDataRole.DisplayRole
# Each contribution's fields in the order of CONTRIBUTION_KEYS (columns 2 on).
_CONTRIBUTION_FIELDS = ("mean", "std", "contribution", "share")


class _ContributionsModel(QAbstractTableModel):
    """The deals' contributions to the simulation's spread, one row a deal.
    Every cell's text is made with the run, in the worker
    (_distribution_source): the table asks each cell it paints for seven
    roles, and the text is a look-up."""

    def __init__(self, parent=None):
        super().__init__(parent)
        texts = ["deal", "counterparty"] + [figures.label(k) for k in CONTRIBUTION_KEYS]
        self._headers = [_two_lines(t) for t in texts]
        self._tooltips = [None, None] + [figures.output(k).definition for k in CONTRIBUTION_KEYS]
        self._texts: list[tuple[str, ...]] = []     # a row a deal: its cells' texts

    def rowCount(self, parent=QModelIndex()) -> int:   # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self._texts)

    def columnCount(self, parent=QModelIndex()) -> int:   # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index, role=_DISPLAY):
        if role != _DISPLAY:
            return None
        return self._texts[index.row()][index.column()]

    def headerData(self, section, orientation,   # noqa: N802 (Qt's name)
                   role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltips[section]
        return None

    def show(self, texts, shown: range | None = None) -> None:
        """A run's rows of texts (_contribution_texts).  The same deals again:
        a cell is painted again only when its text changes (an edit moves
        every deal's contribution and share, one deal's mean and spread; most
        texts, to three figures, stay as they were).  In the rows on screen
        (`shown`; None: all), each run of rows of a column to paint again is
        one dataChanged, which repaints those cells alone; the changed rows
        above and below them are one dataChanged each, which repaints
        nothing (the table reads them when scrolled to)."""
        texts, old = list(texts), self._texts
        changed = ([r for r, (a, b) in enumerate(zip(texts, old)) if a != b]
                   if len(texts) == len(old) else None)
        if changed is None or any(texts[r][:2] != old[r][:2] for r in changed):
            self.beginResetModel()
            self._texts = texts
            self.endResetModel()
            return
        self._texts = texts
        if not changed:
            return
        shown = range(len(texts)) if shown is None else shown
        last = len(self._headers) - 1
        for rows in ([r for r in changed if r < shown.start],
                     [r for r in changed if r >= shown.stop]):
            if rows:
                self.dataChanged.emit(self.index(rows[0], 2), self.index(rows[-1], last),
                                      [_DISPLAY])
        on_screen = [r for r in changed if r in shown]
        for column in range(2, last + 1):
            rows = [r for r in on_screen if texts[r][column] != old[r][column]]
            start = 0
            for i in range(1, len(rows) + 1):
                if i == len(rows) or rows[i] != rows[i - 1] + 1:
                    self.dataChanged.emit(self.index(rows[start], column),
                                          self.index(rows[i - 1], column), [_DISPLAY])
                    start = i


def _rows_on_screen(view: QTableView) -> range:
    """The rows of a table on screen, partly shown ones included."""
    rows = view.model().rowCount()
    first = view.rowAt(0)
    if first < 0:
        return range(0)
    last = view.rowAt(view.viewport().height() - 1)
    return range(first, (rows if last < 0 else last + 1))


def _distribution_source(risk: PortfolioRisk) -> SimpleNamespace:
    """The histogram layer's source (a simulation's outcomes and percentiles,
    and their bins) with every text the tab shows of the run (the status,
    each deal's contribution cells, each counterparty's chance of default):
    made in the worker, so that neither the binning of the outcomes nor the
    formatting of 50 deals' figures is the GUI thread's."""
    f = figures.format_value
    status = (f"P5 {f('portfolio_p5', risk.p5)} \u00b7 P50 {f('portfolio_p50', risk.p50)} \u00b7 "
              f"P95 {f('portfolio_p95', risk.p95)} \u00b7 mean {f('portfolio_mean', risk.mean)} "
              f"({figures.label('portfolio_deterministic').lower()} "
              f"{f('portfolio_deterministic', risk.deterministic)})")
    return SimpleNamespace(outcomes=risk.outcomes, risk=risk, bins=histogram(risk.outcomes),
                           outcome_percentiles={5: risk.p5, 50: risk.p50, 95: risk.p95},
                           status=status, contribution_texts=_contribution_texts(risk),
                           chance_texts={name: f("counterparty_default_probability", p)
                                         for name, p in risk.default_probability.items()})


def _contribution_texts(risk: PortfolioRisk) -> list[tuple[str, ...]]:
    """The contributions table's cells, a row a deal: its name, its
    counterparty and its figures formatted as core/figures.py declares them."""
    formats = [(figures.output(key).formatter(), field)
               for key, field in zip(CONTRIBUTION_KEYS, _CONTRIBUTION_FIELDS)]
    return [(shortened(c.name, 60), shortened(c.counterparty, 40))
            + tuple(format_(getattr(c, field)) for format_, field in formats)
            for c in risk.contributions]


DISTRIBUTION_SPEC = PanelSpec(
    "Joint simulation", "paths", (Histogram(markers=(5, 50, 95)),), values_across=True,
    headroom=0.15,
    title_of=lambda s: f"Distribution: {s.risk.figure_label}",
    note_of=lambda s: (f"{figures.label('portfolio_mean')} "
                       f"{figures.format_value(s.risk.figure_key, s.risk.mean)}; "
                       f"{s.risk.paths:,} paths, seed {s.risk.seed}"))


class PortfolioTab(BuiltInSteps, QWidget):
    def __init__(self, workspace: Workspace, parent=None, *, later: bool = False):
        super().__init__(parent)
        self.start_build(self._build(workspace), later)   # ui/app/build_steps.py

    def _build(self, workspace: Workspace):
        self.workspace = workspace
        self.binding = workspace.binding
        self.side = QComboBox()
        for key, text in SIDES.items():
            self.side.addItem(text, key)
        self.side.currentIndexChanged.connect(lambda _i: self.refresh())
        self.open_button = QPushButton("Open portfolio\u2026")
        self.open_button.setToolTip("Add the deals of a portfolio file as scenarios beside yours")
        self.open_button.clicked.connect(self.choose_file)
        self.example_button = QPushButton("Open the example")
        self.example_button.setToolTip("Anthropic's compute book from the public deals "
                                       "(every assumption listed)")
        self.example_button.clicked.connect(lambda: self.open_file(EXAMPLE_PATH))
        top = QHBoxLayout()
        top.addWidget(QLabel("The open scenarios as"))
        top.addWidget(self.side)
        top.addWidget(self.open_button)
        top.addWidget(self.example_button)
        top.addStretch(1)

        self.finding = plain_label(QLabel(" "))
        self.finding.setObjectName("portfolio-finding")
        self.finding.setWordWrap(True)
        font = self.finding.font()
        font.setBold(True)
        self.finding.setFont(font)
        self.finding_line = _SteadyText(self.finding)
        self.message = plain_label(QLabel(" "))
        self.message.setWordWrap(True)

        yield
        self.commitments = PlotPanel("Commitments by month, by counterparty", MoneyAxis(), "$")
        yield
        self.exposure = PlotPanel("Walk-away exposure, all deals", MoneyAxis(), "$")
        yield
        self.capacity = PlotPanel("GPUs online, all deals", QuantityAxis(unit="GPUs"), "GPUs")
        # Curves without PlotDataItem's wrapper (its setData costs three times
        # the curve's own, and these have no legend, symbols or downsampling),
        # their bounds and the pixel's size kept (ui/plots/series_curve.py).
        self.exposure_curve = SeriesCurve(pen=pg.mkPen(series_colour(5), width=2))
        self.capacity_curve = SeriesCurve(pen=pg.mkPen(series_colour(3), width=2))
        self.exposure.plot.addItem(self.exposure_curve)
        self.capacity.plot.addItem(self.capacity_curve)
        self.stack = StackedBars(width=MONTH_SECONDS * 0.9)
        self.commitments.plot.addItem(self.stack)
        self.stack_items: list[pg.BarGraphItem] = []    # the layers' legend entries
        self._stack_key: tuple = ()          # the counterparties and calendar the bars show
        charts = QHBoxLayout()
        charts.addWidget(self.commitments, 2)
        charts.addWidget(self.exposure, 1)
        charts.addWidget(self.capacity, 1)

        yield
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("portfolio-table")
        _headers(self.table, ["counterparty", "deals", "commitments", "share",
                              figures.label("counterparty_default_probability")],
                 [None, None, None, None, "counterparty_default_probability"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((110, 45, 90, 55)):
            self.table.setColumnWidth(column, width)

        # The joint simulation: its settings, its status, its distribution and the deals' table.
        self.paths = QSpinBox()
        self.paths.setRange(MIN_PATHS, MAX_PATHS)
        self.paths.setSingleStep(1_000)
        self.paths.setGroupSeparatorShown(True)
        self.paths.setValue(DEFAULT_PATHS)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(DEFAULT_SEED)
        self.correlation = QDoubleSpinBox()
        self.correlation.setRange(0.0, 100.0)
        self.correlation.setSingleStep(5.0)
        self.correlation.setDecimals(0)
        self.correlation.setSuffix(" %")
        self.correlation.setValue(DEFAULT_CORRELATION_PCT)
        self.correlation.setToolTip("The counterparties' default correlation (a one-factor "
                                    "Gaussian copula): 0 independent, 100 all together. "
                                    f"Default {DEFAULT_CORRELATION_PCT:g}%: "
                                    f"{DEFAULT_CORRELATION_SOURCE}.")
        for box in (self.paths, self.seed, self.correlation):
            box.setKeyboardTracking(False)
            box.valueChanged.connect(lambda _v: self.simulate())
        self.status = plain_label(QLabel(" "))
        self.status.setObjectName("portfolio-simulation-status")
        # One line whose width the layout ignores: a new text repaints the label
        # alone, never lays the tab out again (two texts an edit: running, done).
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status_line = _SteadyText(self.status)
        settings = QHBoxLayout()
        for text, box in (("Joint simulation: paths", self.paths), ("seed", self.seed),
                          ("default correlation", self.correlation)):
            settings.addWidget(QLabel(text))
            settings.addWidget(box)
        settings.addWidget(self.status_line, 1)

        yield
        self.distribution = SeriesPanel(DISTRIBUTION_SPEC)
        yield
        self.contributions = QTableView()
        self.contributions.setObjectName("portfolio-contributions")
        self.contributions.setModel(_ContributionsModel(self.contributions))
        self.contributions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.contributions.verticalHeader().setVisible(False)
        self.contributions.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((150, 105, 75, 75, 85)):
            self.contributions.setColumnWidth(column, width)
        # Each chart's view paints every pixel it repaints (its background
        # brush is opaque, at whole pixels): Qt need not fill its area with the
        # window's colour first, as it does for a widget that may not.
        for panel in (self.commitments, self.exposure, self.capacity, self.distribution):
            panel.plot_widget.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        lower = QHBoxLayout()
        lower.addWidget(self.table, 2)
        lower.addWidget(self.distribution, 2)
        lower.addWidget(self.contributions, 3)

        yield
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.finding_line)
        layout.addLayout(charts, 1)
        layout.addLayout(settings)
        layout.addLayout(lower, 1)
        layout.addWidget(self.message)
        self.portfolio = None
        self.risk: PortfolioRisk | None = None
        # What the last refresh worked out of each deal, kept for the next while the
        # deal's results are the same (core/portfolio.py): its PortfolioDeal (with
        # its results: an edit computes no other deal), its figures on the
        # calendar and its counterparty's sums, its commitments.
        self._deals: dict = {}
        self._placed: dict = {}
        self._sums: dict = {}
        self._calendar: tuple = ()    # ((first month, months), x, bar edges) of the last refresh
        self._money_texts: dict[str, tuple] = {}   # counterparty -> (its commitments, text)
        self._chance_texts: dict[str, str] = {}   # counterparty -> its chance of default, as shown
        self._cell_texts: dict[tuple[int, int], str] = {}   # the counterparties' table's
        # The deals of the portfolio files opened, by side, by the identity of their
        # scenario: a deal still as the file had it, in a book of the file's side, keeps
        # the file's assumptions and public record (the exports list its sources); once
        # edited its terms are the open scenario's own.  Its counterparty stays the
        # tab's (the scenario's provider or buyer): an edit never renames it.
        self.opened: dict[str, dict] = {}
        yield
        self._after_paint = AfterPaint(self)
        self.runner = JobRunner(self)
        self.runner.finished.connect(self._show_risk)
        self.runner.failed.connect(self._risk_failed)
        update_when_visible(self.binding, self, lambda _results: self.refresh())
        workspace.structure_changed.connect(self._workspace_changed)
        workspace.scenarios_changed.connect(self._workspace_changed)
        self.refresh()

    def _workspace_changed(self) -> None:
        if self.binding.results.scenario != self.binding.scenario:
            return      # its results follow within a frame (results_changed refreshes then)
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        if getattr(self, "_stale", False):
            self._stale = False
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        """The open scenarios as a book (the active one with the binding's results)."""
        scenarios = self.workspace.scenarios
        # An edit changes the active scenario only: the others' results are kept
        # (scenarios are frozen values), so an edit computes nothing here.
        # Looked up by identity (hashing 50 scenarios is slower than computing one).
        # The book's deals of the last refresh hold the others' (the same
        # results whatever the side).
        results = self.binding.results
        active, held = results.scenario, self._deals
        known = []
        for s in scenarios:
            if s is active:
                known.append(results)
            else:
                deal = held.get(id(s))
                known.append(deal.results if deal is not None and deal.scenario is s else None)
        book = portfolio_of_scenarios(scenarios, self.side.currentData(), known,
                                      default_correlation_pct=self.correlation.value(),
                                      kept=self._deals)
        opened = self.opened.get(book.side, {})
        if opened:
            def as_opened(deal):
                entry = opened.get(id(deal.scenario))
                return (dataclasses.replace(deal, assumptions=entry[1].assumptions,
                                            public=entry[1].public)
                        if entry is not None and entry[0] is deal.scenario else deal)
            book = dataclasses.replace(book, deals=tuple(as_opened(d) for d in book.deals))
        self.portfolio = book
        totals = portfolio_totals(self.portfolio, self._placed)
        conc = concentration(self.portfolio, self._sums)
        x, edges = self._on_calendar(totals.months)
        bottom = self._show_stacks(x, totals.commitments)
        fit_ranges(self.commitments, edges, bottom)
        _show_line(self.exposure, self.exposure_curve, x, edges, totals.walkaway_exposure)
        _show_line(self.capacity, self.capacity_curve, x, edges, totals.gpus_online)
        what = "commitments" if self.portfolio.side == "buyer" else "revenue"
        self.finding_line.set_text(conc.finding or
                             f"{len(self.portfolio.deals)} deal(s), "
                             f"{format_money(float(totals.total_commitments.sum()))} of {what}; "
                             f"largest counterparty {conc.largest} {conc.largest_share:.0%}, "
                             f"HHI {conc.hhi:,.0f}.")
        by_count: dict[str, int] = {}
        for deal in self.portfolio.deals:
            by_count[deal.counterparty] = by_count.get(deal.counterparty, 0) + 1
        if self.table.rowCount() != len(conc.shares):
            self.table.setRowCount(len(conc.shares))
            self._cell_texts = {k: v for k, v in self._cell_texts.items()
                                if k[0] < len(conc.shares)}
        money = self._money_texts
        for r, (name, share) in enumerate(sorted(conc.shares.items(), key=lambda kv: -kv[1])):
            # A counterparty's commitments are the same array while none of its
            # deals changed (portfolio_totals keeps it): its text too.
            held = money.get(name)
            if held is None or held[0] is not totals.commitments[name]:
                held = money[name] = (totals.commitments[name],
                                      format_money(float(totals.commitments[name].sum())))
            cells = (name, str(by_count[name]), held[1], f"{share:.1%}")
            for c, text in enumerate(cells):
                self._cell(r, c, text)
        if len(money) > len(conc.shares):
            self._money_texts = {name: money[name] for name in conc.shares if name in money}
        self._fill_default_chances()
        self._one_paint()
        self.simulate()

    def _on_calendar(self, months: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The calendar's months as the charts' x (POSIX seconds) and the bars'
        edges, worked out again only when the calendar changes."""
        key = (months[0], len(months)) if len(months) else None
        if not self._calendar or self._calendar[0] != key:
            x = timestamps(months.astype("datetime64[D]"))
            edges = np.append(x, x[-1] + MONTH_SECONDS) - MONTH_SECONDS / 2
            self._calendar = (key, x, edges)
        return self._calendar[1], self._calendar[2]

    def _one_paint(self) -> None:
        """The charts painted in one repaint of the window with the rest of the
        edit's frame (ui/plots/one_frame.py: each chart's scene ran a repaint
        of its own; the commitments and the exposure were two)."""
        paint_together(panel.plot_widget for panel in (self.commitments, self.exposure,
                                                        self.capacity))

    def _show_stacks(self, x: np.ndarray, commitments: dict[str, np.ndarray]) -> np.ndarray:
        """The commitments stacked by counterparty (one item draws every layer:
        ui/plots/stacked_bars.py); the layers and the legend are made again
        only when the counterparties or the calendar change (an edit of one
        deal moves its layer and those above it).  The stack's top."""
        key = (tuple(commitments), len(x), float(x[0]) if len(x) else 0.0)
        if key != self._stack_key:
            self.commitments.legend.clear()
            self.stack.set_layers(x, [series_colour(i + 1) for i in range(len(commitments))])
            for legend, name in zip(self.stack.legend_items, commitments):
                self.commitments.legend.addItem(legend, shortened(name, 40))
            self.commitments.arrange_legend()
            self.stack_items = list(self.stack.legend_items)
            self._stack_key = key
        return self.stack.show(list(commitments.values()))

    # --- the joint simulation -------------------------------------------------------------

    def simulate(self) -> None:
        """Run the joint simulation of the book on screen, once the frame under
        way is painted (a newer call before then runs once).  The status says
        so in that frame: set after it, the text was a window repaint of its own."""
        if self.portfolio is not None and self.isVisible():
            self._show_running()
        self._after_paint.call("simulate", self._start)

    def _show_running(self) -> None:
        """The status of a run starting with the paths and seed set now."""
        text = f"Running {self.paths.value():,} paths, seed {self.seed.value()}\u2026"
        if self.status.styleSheet():      # (setting one, even "", polishes the label again)
            self.status.setStyleSheet("")
        if self.status.text() != text:
            self.status_line.set_text(text)

    def _start(self) -> None:
        if self.portfolio is None or not self.isVisible():
            self._stale = True
            return
        # The correlation as set now (the book on screen may be older than its change).
        book = dataclasses.replace(self.portfolio,
                                   default_correlation_pct=self.correlation.value())
        paths, seed = self.paths.value(), self.seed.value()
        self._show_running()              # (shown by simulate() unless the tab was hidden)
        # Its progress is not shown: a run is over in about a second, and each step
        # would be one more paint while the edit's results land.
        self.runner.start(lambda _progress, cancelled: _distribution_source(simulate_portfolio(
            book, paths, seed, cancelled=cancelled)))

    def _risk_failed(self, message: str) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status_line.set_text(f"Not run: {shortened(message)}")

    def _show_risk(self, run: SimpleNamespace) -> None:
        """A run's result (_distribution_source: its texts made in the worker) shown."""
        self.risk = risk = run.risk
        self._chance_texts = run.chance_texts
        self.status_line.set_text(run.status)
        # "Paths with a loss" only for a figure whose value below zero is one (an NPV).
        legend, losses = self.distribution.legend, self.distribution.items["loss_bars"]
        shown = any(sample.item is losses for sample, _label in legend.items)
        if figures.below_zero_is_loss(risk.figure_key) != shown:
            if shown:
                legend.removeItem(losses)
            else:
                legend.addItem(losses, LOSS_LEGEND)
        self.distribution.show_source(run)
        self.contributions.model().show(run.contribution_texts,
                                        _rows_on_screen(self.contributions))
        self._fill_default_chances()

    def _cell(self, row: int, column: int, text: str) -> None:
        """A cell of the counterparties' table, set only when its text changes
        (known here: asking the table for an item and its text costs more)."""
        if self._cell_texts.get((row, column)) != text:
            _set_text(self.table, row, column, text)
            self._cell_texts[(row, column)] = text

    def _fill_default_chances(self) -> None:
        """Each counterparty's chance of default from the last simulation (blank
        for one it has not seen yet), as the run's worker formatted it."""
        texts = self._chance_texts
        for r in range(self.table.rowCount()):
            self._cell(r, 4, texts.get(self._cell_texts[(r, 0)], ""))

    def shutdown(self) -> None:
        """Stop the worker (the window is closing)."""
        self._after_paint.cancel("simulate")
        self.runner.wait_all()

    def choose_file(self) -> QFileDialog:
        dialog = QFileDialog(self, "Open portfolio", str(Path.home()), FILE_FILTER)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.fileSelected.connect(self.open_file)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()
        return dialog

    def open_file(self, path) -> bool:
        """Add a portfolio file's deals as scenarios; a bad file changes nothing."""
        try:
            portfolio = read_portfolio(path)
        except PortfolioFileError as error:
            self.message.setText(f"Not opened: {shortened(str(error))}")
            return False
        side = self.side.findData(portfolio.side)
        try:
            # All or none: what does not fit is refused before anything changes.
            self.workspace.check_room([deal.scenario for deal in portfolio.deals])
            added = [self.workspace.add(deal.scenario) for deal in portfolio.deals]
        except WorkspaceError as error:
            self.message.setText(str(error))
            return False
        # The workspace holds each deal's scenario as a copy of its own (renamed if the
        # name was taken): the file's deals are known by those.
        held = self.workspace.scenarios
        self.opened.setdefault(portfolio.side, {}).update(
            {id(held[i]): (held[i], deal) for i, deal in zip(added, portfolio.deals)})
        self.side.setCurrentIndex(side)
        assumed = sum(len(d.assumptions) for d in portfolio.deals)
        self.message.setText(f"Added the {len(portfolio.deals)} deals of {portfolio.name} "
                             f"({assumed} assumptions, listed by `main.py portfolio FILE`).")
        self.refresh()
        return True
