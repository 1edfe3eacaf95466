"""Contract terms tab: parties, dates, fees, termination and discounting,
beside the payment and exposure plots."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter

from ui.binding import ScenarioBinding
from ui.fields import SliderField
from ui.form_panel import FormPanel
from ui.plots.contract_plots import ContractPlots


class ContractTab(QSplitter):
    def __init__(self, binding: ScenarioBinding, parent=None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.form = FormPanel(binding)
        self.fee_slider = SliderField(binding, "contract", "monthly_fee", 0.0, 5e9)
        self.form.add_group("Parties and term", "contract",
                            ["buyer", "provider", "start_date", "term_months"])
        self.form.add_group("Fees", "contract",
                            ["monthly_fee", "escalator_pct", "intro_months", "intro_discount_pct",
                             "payment_timing"],
                            custom={"monthly_fee": self.fee_slider})
        self.form.add_group("Termination", "contract", ["notice_days", "termination_fee_months"])
        self.form.add_group("Discounting", "contract", ["discount_rate_pct"])
        self.form.finish()
        self.plots = ContractPlots()
        self.addWidget(self.form)
        self.addWidget(self.plots)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setSizes([470, 1100])
        binding.results_changed.connect(self.plots.show_results)
        self.plots.show_results(binding.results)
