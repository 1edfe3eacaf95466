"""Projections tab: demand assumptions beside unit costs and capacity
against demand."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter

from ui.app.binding import ScenarioBinding
from ui.widgets.fields import SliderField
from ui.widgets.form_panel import FormPanel
from ui.plots.projection_plots import ProjectionPlots
from ui.app.build_steps import BuiltInSteps
from ui.app.lazy_updates import update_when_visible
from ui.widgets.plan_indicator import PlanIndicator


class ProjectionsTab(BuiltInSteps, QSplitter):
    def __init__(self, binding: ScenarioBinding, parent=None, *, later: bool = False):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.start_build(self._build(binding), later)   # ui/app/build_steps.py

    def _build(self, binding: ScenarioBinding):
        self.form = FormPanel(binding)
        self.growth_slider = SliderField(binding, "projections", "demand_growth_pct_per_month",
                                         -10.0, 20.0)
        self.form.add_group("Demand", "projections",
                            ["demand_tokens_per_s", "demand_growth_pct_per_month"],
                            custom={"demand_growth_pct_per_month": self.growth_slider})
        # Beside the growth curve it overrides: whether a demand plan is in force.
        self.demand_plan = PlanIndicator(binding, "demand_plan")
        self.form.add_widget(self.demand_plan)
        self.form.add_group("Revenue", "projections",
                            ["buyer_revenue_model", "token_price_per_million",
                             "token_price_decline_pct_per_year"])
        self.form.finish()
        yield
        self.plots = ProjectionPlots(later=True)
        yield from self.plots.steps_left()
        self.addWidget(self.form)
        self.addWidget(self.plots)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setSizes([470, 1100])
        yield
        update_when_visible(binding, self, self.plots.show_results)
        self.plots.show_results(binding.results)
