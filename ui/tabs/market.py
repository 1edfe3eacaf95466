"""The market: rents per GPU model with where each figure comes from, the
forward path, replacement and re-letting, the contract's price against the
market curve and its mark-to-market (live with every edit), and each side's
right to walk valued on a simulated market (core/rights.py) in a worker: a
2,000-path preview after each edit, 20,000 paths once the edits pause.  A
tab built hidden (in idle time) values the scenario then, so that its first
show paints the rights with the tab; a valuation of the scenario in force is
never run again."""
from __future__ import annotations


from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QGroupBox, QHBoxLayout, QLabel, QPushButton, QSplitter,
                               QVBoxLayout, QWidget)

from core import figures, rights
from ui.app.binding import ScenarioBinding
from ui.app.build_steps import BuiltInSteps
from ui.app.lazy_updates import update_when_visible
from ui.app.startup_probe import after_first_paint
from ui.plots.common import PanelSpec, Series, SeriesPanel, monthly_series
from ui.tabs.risk_worker import HiddenRenders, JobRunner, after_idle_builds
from ui.widgets.figure_list import FigureList
from ui.widgets.form_panel import FormPanel
from ui.widgets.import_dialog import open_import_dialog
from ui.widgets.tables import MarketRentTable

REFINE_MS = 300          # the edits have paused this long: run the full path count
VALUE_IF_UNPAINTED_MS = 100   # a tab shown: valued after its paint, or this long at most

PRICE_SPEC = PanelSpec("The contract's price per GPU-hour against the market", "$/GPU-hour", (
    Series("price_per_gpu_hour", "blue", "step", legend="Contract price per GPU-hour"),
    Series("market_rent_per_gpu_hour", "orange", "step",
           legend="Market rent (forward curve, by the fleet's hours)"),
), headroom=0.35)
MTM_SPEC = PanelSpec("Cumulative mark-to-market (buyer's; the provider's is the negative)", "$", (
    Series("cumulative_buyer_mtm", "vermillion", "step"),
), headroom=0.25)
EXERCISE_SPEC = PanelSpec("Chance each side has given notice (both rights, first to walk)", "%", (
    Series("buyer_exercise_cumulative", "blue", "step"),
    Series("provider_exercise_cumulative", "orange", "step"),
), money=False, headroom=0.3)
BOUNDARY_SPEC = PanelSpec("Exercise boundary: the fleet's market rent at which each side walks",
                          "$/GPU-hour", (
    Series("forward_rent_per_gpu_hour", "black", "step", dashed=True),
    Series("buyer_exercise_boundary", "blue", "step"),
    Series("provider_exercise_boundary", "orange", "step"),
), headroom=0.35)
RIGHTS_KEYS = tuple(figures.MARKET_FIGURES)


def rights_source(results, valued: rights.RightsValuation):
    """What the plots read: the valuation's series over the schedule's months."""
    return monthly_series(results, valued.by_month())


class MarketTab(BuiltInSteps, QSplitter):
    def __init__(self, binding: ScenarioBinding, parent=None, *, later: bool = False):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.start_build(self._build(binding), later)   # ui/app/build_steps.py

    def _build(self, binding: ScenarioBinding):
        self.binding = binding
        self.form = FormPanel(binding)
        self.against = FigureList("Against the market", [
            "price_per_gpu_hour", "market_rent_per_gpu_hour", "contract_premium_over_market_pct",
            "buyer_mark_to_market", "provider_mark_to_market"])
        self.form.add_widget(self.against)
        yield
        rents = QGroupBox("Market rent per GPU model (label, date and source beside each)")
        rents_layout = QVBoxLayout(rents)
        self.rent_table = MarketRentTable(binding)
        self.rent_table.setMinimumHeight(190)
        rents_layout.addWidget(self.rent_table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add a rent")
        self.add_button.clicked.connect(self.rent_table.add_rent)
        self.remove_button = QPushButton("Remove selected")
        self.remove_button.clicked.connect(self.rent_table.remove_selected)
        self.import_button = QPushButton("Import a monthly curve\u2026")
        self.import_button.setToolTip("A forward curve per model (month, GPU model, $/GPU-hour) "
                                      "from CSV, xlsx or the clipboard")
        self.import_button.clicked.connect(self.import_curve)
        for button in (self.add_button, self.remove_button, self.import_button):
            buttons.addWidget(button)
        rents_layout.addLayout(buttons)
        self.form.add_widget(rents)
        yield
        self.form.add_group("Forward path", "market", ["forward_path", "rent_change_pct_per_year"])
        self.form.add_group("Replacing and re-letting the capacity", "market", [
            "buyer_replacement_premium_pct", "buyer_replacement_lead_months",
            "provider_relet_discount_pct", "provider_relet_lead_months",
            "provider_own_use_value_per_gpu_hour"])
        self.form.add_group("Simulated market (assumptions: no published estimates)", "market", [
            "rent_vol_pct", "rent_mean_reversion_per_year", "model_rent_correlation_pct",
            "token_price_vol_pct", "token_market_correlation_pct"])
        yield
        self.rights_figures = FigureList("The rights to walk (simulated)", list(RIGHTS_KEYS))
        self.form.add_widget(self.rights_figures)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.form.add_widget(self.status)
        self.form.finish()

        yield
        right = QWidget()
        layout = QVBoxLayout(right)
        layout.setContentsMargins(0, 0, 0, 0)
        self.price_panel = SeriesPanel(PRICE_SPEC)
        yield
        self.mtm_panel = SeriesPanel(MTM_SPEC)
        yield
        self.exercise_panel = SeriesPanel(EXERCISE_SPEC)
        yield
        self.boundary_panel = SeriesPanel(BOUNDARY_SPEC)
        yield
        for panel in (self.price_panel, self.mtm_panel, self.exercise_panel,
                      self.boundary_panel):
            layout.addWidget(panel, 1)
        self.addWidget(self.form)
        self.addWidget(right)
        self.setStretchFactor(1, 1)
        self.setSizes([560, 1000])

        self.valued: rights.RightsValuation | None = None
        self._results = binding.results
        self._running_preview = False
        self._stale = True
        self._painted = False            # since the tab was last shown
        self._awaiting_paint = False
        self.runner = JobRunner(self)
        self.runner.finished.connect(self._show_rights)
        self.runner.failed.connect(self._failed)
        self._refine = QTimer(self)
        self._refine.setSingleShot(True)
        self._refine.timeout.connect(lambda: self._start(rights.FULL_PATHS, preview=False))
        # The first valuation, prepared while the tab is hidden (issue 22).
        self._valued_scenario = None      # the scenario of the valuation shown
        self._hidden_renders = HiddenRenders(
            self, lambda: [self.exercise_panel.plot_widget, self.boundary_panel.plot_widget],
            self.isVisible)
        self.runner.finished.connect(self._hidden_renders.render_if_hidden)
        self._first_value_due = True
        after_idle_builds(self, self._prepare_first_value)
        yield
        update_when_visible(binding, self, self.show_results)
        self.show_results(binding.results)

    # --- the first show: its valuation ready before it -----------------------------------

    def _prepare_first_value(self) -> None:
        """Built hidden (in idle time, after the window's first paint), once the
        window's idle builds are done: the rights valued now, in the worker (the preview, then the full count),
        drawn into the hidden plots and rendered off screen there, so the
        first show paints them in its own frame rather than painting the plots
        and figures again 0.1-0.2 s later (issue 22).  Not when shown meanwhile
        (the show values them), nor when an edit has come since the build."""
        self._first_value_due = False
        if self.isVisible() or self.valued is not None or self.runner.running \
                or self._results is not self.binding.results:
            return
        self.preview()

    @property
    def preparing_first_results(self) -> bool:
        """Hidden and its first valuation not yet computed, refined and rendered
        (bench/run.py waits for it, as for the window's idle builds)."""
        return not self.isVisible() and (
            self._first_value_due or self.runner.running or self._refine.isActive()
            or self._hidden_renders.pending)

    @property
    def work_pending(self) -> bool:
        """Whether the valuation shown may still change without an edit: a
        job runs, or is due once the tab is painted, or the full count is due
        after a preview."""
        return (self.runner.running or self._refine.isActive() or self._awaiting_paint
                or (self._stale and self.isVisible()))

    # --- the market against the contract: the engine's figures, every edit -----------

    def show_results(self, results) -> None:
        self._results = results
        self.against.show_results(results)
        self.price_panel.show_results(results)
        self.mtm_panel.show_results(results)
        self._stale = True
        if self.isVisible():
            self._value_when_painted()

    def showEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._stale:
            self._value_when_painted()

    def hideEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        super().hideEvent(event)
        self._painted = False

    def _value_when_painted(self) -> None:
        """The rights valued now if the tab shown has been painted; else once
        it is (issue 22: a first show within 50 ms): the preview's worker then
        neither competes with the tab's first frame nor lands in it.  An edit
        on the tab shown is valued at once, as before."""
        if self._valuation_current():
            return
        if self._painted:
            self.preview()
        elif not self._awaiting_paint:
            self._awaiting_paint = True
            after_first_paint(self.price_panel.plot_widget.viewport(), self._after_paint)
            QTimer.singleShot(VALUE_IF_UNPAINTED_MS, self._after_paint)   # no paint came

    def _valuation_current(self) -> bool:
        """The valuation shown is of the scenario in force (shown after edits
        elsewhere that came back to it, or an edit that changed nothing): not
        valued again; a preview is refined as after an edit."""
        if self.valued is None or self.runner.running \
                or self._valued_scenario != self.binding.scenario:
            return False
        self._stale = False
        if self.valued.paths < rights.FULL_PATHS and not self._refine.isActive():
            self._running_preview = True
            self._refine.start(REFINE_MS)
        return True

    def _after_paint(self) -> None:
        self._awaiting_paint = False
        self._painted = self.isVisible()
        if self._stale and self._painted and not self._valuation_current():
            self.preview()

    # --- the rights: a worker, never the frame ------------------------------------------

    def preview(self) -> None:
        self._stale = False
        self._start(rights.PREVIEW_PATHS, preview=True)

    def _start(self, paths: int, preview: bool) -> None:
        self._refine.stop()
        self._running_preview = preview
        scenario, results = self.binding.scenario, self._results
        self.runner.start(lambda _progress, _cancelled: (
            results, rights.value_rights(scenario, paths, rights.DEFAULT_SEED), scenario))

    def _show_rights(self, outcome) -> None:
        results, valued, scenario = outcome
        if results is not self._results:
            return       # an older edit's result: the newer one is on its way
        self.valued, self._valued_scenario = valued, scenario
        for key, value in valued.key_figures().items():
            self.rights_figures.values[key].setText(figures.format_value(key, value))
        source = rights_source(results, valued)
        self.exercise_panel.show_source(source)
        self.boundary_panel.show_source(source)
        se = figures.format_value("buyer_termination_right_value", valued.buyer_alone_se)
        if self._running_preview:
            self.status.setText(f"Preview: {valued.paths:,} paths, seed {valued.seed}; "
                                f"{rights.FULL_PATHS:,} follow when the edits pause.")
            self._refine.start(REFINE_MS)
        else:
            self.status.setText(f"{valued.paths:,} paths, seed {valued.seed}; the buyer's right "
                                f"is known to {se} (one standard error). Least-squares Monte "
                                f"Carlo: notice at the start of any month, regressed on 1, x, "
                                f"x\u00b2 of the normalised market rent.")

    def _failed(self, message: str) -> None:
        self.status.setText(f"Not valued: {message}")

    def import_curve(self) -> None:
        return open_import_dialog(self.binding, self, kind="rent_curve")

    def shutdown(self) -> None:
        """Stop the worker (the window is closing)."""
        self._refine.stop()
        self.runner.wait_all()
