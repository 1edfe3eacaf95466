"""Contract tab plots: monthly payments with walk-away exposure, and
cumulative spend (nominal and discounted)."""
from __future__ import annotations

from ui.plots.common import PanelSpec, Series, SeriesPlots

SPECS = (
    PanelSpec("Monthly payment and walk-away exposure", "$ per month", (
        Series("payment", "sky", "bars", legend="Monthly payment"),
        Series("walkaway_exposure", "vermillion",
               legend="Walk-away exposure (notice given that month)"),
    )),
    PanelSpec("Cumulative spend", "$", (
        Series("cumulative_payment", "blue", "line", fill=(0, 114, 178, 40)),
        Series("cumulative_payment_pv", "green", "line", width=2, dashed=True,
               legend="Cumulative present value"),
    )),
)


class ContractPlots(SeriesPlots):
    def __init__(self, parent=None):
        super().__init__(SPECS, parent)
        self.payments_panel, self.cumulative_panel = self.panels
