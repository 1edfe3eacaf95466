"""Economics tab: the deal from the buyer's or the provider's side, as the
perspective switch chooses: figures and inputs on the left, plots on the right."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget

from ui.app.binding import ScenarioBinding
from ui.widgets.figure_list import FigureList
from ui.widgets.form_panel import FormPanel
from ui.widgets.key_figures import BUYER, PROVIDER
from ui.plots.economics_plots import BuyerPlots, ProviderPlots
from ui.app.build_steps import BuiltInSteps
from ui.app.lazy_updates import update_when_visible


class EconomicsTab(BuiltInSteps, QSplitter):
    def __init__(self, binding: ScenarioBinding, parent=None, *, later: bool = False):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.start_build(self._build(binding), later)   # ui/app/build_steps.py

    def _build(self, binding: ScenarioBinding):
        self.buyer_form = FormPanel(binding)
        self.buyer_figures = FigureList("Buyer", [
            "buyer_revenue", "buyer_margin", "buyer_npv", "token_price_per_million",
            "cost_per_million_tokens", "breakeven_token_price"])
        self.buyer_form.add_widget(self.buyer_figures)
        self.buyer_form.add_group("Revenue", "projections",
                                  ["buyer_revenue_model", "token_price_per_million",
                                   "token_price_decline_pct_per_year"])
        self.buyer_form.add_group("Discounting", "contract", ["discount_rate_pct"])
        self.buyer_form.finish()
        yield

        self.provider_form = FormPanel(binding)
        self.provider_figures = FigureList("Provider", [
            "provider_revenue", "provider_ebitda", "provider_ebit", "provider_capex",
            "provider_npv", "provider_irr", "provider_payback_month",
            "provider_book_value_at_end", "provider_opportunity_cost",
            "provider_economic_profit", "provider_economic_npv"])
        self.provider_form.add_widget(self.provider_figures)
        self.provider_form.add_group("Capex and costs", "hardware",
                                     ["capex_treatment", "depreciation_life_years",
                                      "residual_value_pct", "facility_capex_per_mw",
                                      "facility_life_years", "maintenance_pct_per_year",
                                      "staff_opex_per_month", "power_price_per_mwh"])
        self.provider_form.add_group("Discounting", "contract", ["provider_wacc_pct"])
        note = QLabel("Sunk: the provider built the cluster for itself, so the deal carries no "
                      "investment and has no IRR. Bought: capex is spent as each tranche comes "
                      "online and the book value at the end is counted as a terminal value.")
        note.setWordWrap(True)
        note.setStyleSheet("color:#4A5560;")
        self.provider_form.add_widget(note)
        self.provider_form.finish()
        yield

        self.forms = QStackedWidget()
        self.forms.addWidget(self.buyer_form)
        self.forms.addWidget(self.provider_form)
        self.buyer_plots = BuyerPlots(later=True)
        yield from self.buyer_plots.steps_left()
        yield
        self.provider_plots = ProviderPlots(later=True)
        yield from self.provider_plots.steps_left()
        yield
        self.plots = QStackedWidget()
        self.plots.addWidget(self.buyer_plots)
        self.plots.addWidget(self.provider_plots)
        self.addWidget(self.forms)
        self.addWidget(self.plots)
        self.setStretchFactor(1, 1)
        self.setSizes([500, 1100])
        for view in (self.buyer_figures, self.provider_figures, self.buyer_plots,
                     self.provider_plots):
            # A step each: connected and shown the results in force together.
            yield
            update_when_visible(binding, view, view.show_results)
            view.show_results(binding.results)

    def show_perspective(self, side: str) -> None:
        index = 0 if side == BUYER else 1
        assert side in (BUYER, PROVIDER)
        self.forms.setCurrentIndex(index)
        self.plots.setCurrentIndex(index)
