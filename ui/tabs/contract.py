"""Contract terms tab: parties, dates, pricing, deposit and SLA, termination
and discounting, beside the payment and exposure plots."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter

from core.parameters import PRICING_FIXED, PRICING_GPU_HOUR, PRICING_MW_MONTH
from ui.app.binding import ScenarioBinding
from ui.widgets.fields import SliderField
from ui.widgets.form_panel import FormPanel
from ui.plots.contract_plots import ContractPlots
from ui.app.lazy_updates import update_when_visible
from ui.widgets.plan_indicator import PlanIndicator

# Which price field each pricing mode uses; the others are greyed out.
PRICE_FIELDS = {PRICING_FIXED: "monthly_fee", PRICING_GPU_HOUR: "price_per_gpu_hour",
                PRICING_MW_MONTH: "price_per_mw_month"}


class ContractTab(QSplitter):
    def __init__(self, binding: ScenarioBinding, parent=None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.binding = binding
        self.form = FormPanel(binding)
        self.fee_slider = SliderField(binding, "contract", "monthly_fee", 0.0, 5e9)
        self.form.add_group("Parties and term", "contract",
                            ["buyer", "provider", "start_date", "term_months"])
        self.form.add_group("Pricing", "contract",
                            ["pricing_mode", "monthly_fee", "price_per_gpu_hour",
                             "price_per_mw_month", "fee_follows_capacity", "escalator_pct",
                             "intro_months", "intro_discount_pct", "payment_timing"],
                            custom={"monthly_fee": self.fee_slider})
        # Beside the pricing it overrides: whether an invoice plan is in force.
        self.invoice_plan = PlanIndicator(binding, "invoice_plan")
        self.form.add_widget(self.invoice_plan)
        self.form.add_group("Deposit and SLA", "contract",
                            ["prepayment_months", "prepayment_treatment", "sla_availability_pct",
                             "service_credit_pct_per_point", "service_credit_cap_pct"])
        self.form.add_group("Termination", "contract",
                            ["notice_days", "termination_fee_months", "terminating_party",
                             "termination_notice_month",
                             "buyer_termination_prob_pct", "provider_termination_prob_pct"])
        self.form.add_group("Discounting", "contract",
                            ["discount_rate_pct", "provider_wacc_pct",
                             "incremental_borrowing_rate_pct"])
        self.form.finish()
        self.plots = ContractPlots()
        self.addWidget(self.form)
        self.addWidget(self.plots)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setSizes([520, 1080])
        update_when_visible(binding, self, self.plots.show_results)
        binding.scenario_changed.connect(lambda _s: self._enable_price_fields())
        # Greyed price fields show the deal in force in their unit: after a load
        # or any edit, never the last deal's figures (while the tab is hidden,
        # when it is shown).
        update_when_visible(binding, self, self._show_equivalent_prices)
        self.plots.show_results(binding.results)
        self._enable_price_fields()
        self._show_equivalent_prices(binding.results)

    def price_field(self, name: str):
        """The number box of a price field (the monthly fee's sits beside its slider)."""
        widget = self.form.fields[name]
        return getattr(widget, "spin", widget)

    def _enable_price_fields(self) -> None:
        in_use = PRICE_FIELDS[self.binding.scenario.contract.pricing_mode]
        for name in PRICE_FIELDS.values():
            self.form.fields[name].setEnabled(name == in_use)
            if name == in_use:
                self.price_field(name).show_equivalent(None)

    def _show_equivalent_prices(self, results) -> None:
        in_use = PRICE_FIELDS[results.scenario.contract.pricing_mode]
        kf = results.key_figures
        equivalents = {
            "monthly_fee": kf.average_monthly_fee,
            "price_per_gpu_hour": kf.price_per_gpu_hour,
            "price_per_mw_month": kf.price_per_mw_month}
        for name, value in equivalents.items():
            if name != in_use:
                self.price_field(name).show_equivalent(
                    value if value == value else None)   # NaN (no GPUs): the field's own
