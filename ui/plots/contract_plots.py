"""Contract tab plots: monthly payments, walk-away exposure, and cumulative
spend (nominal and discounted).  Payments and exposure have a panel each, so
a large exposure (a deal with no exit right) never flattens the payment bars."""
from __future__ import annotations

from ui.plots.common import PanelSpec, Series, SeriesPlots

SPECS = (
    PanelSpec("Monthly payment", "$ per month", (
        Series("payment", "sky", "bars", legend="Monthly payment"),
    ), headroom=0.1),
    PanelSpec("Walk-away exposure", "$", (
        Series("walkaway_exposure", "vermillion",
               legend="Walk-away exposure (notice given that month)"),
    ), headroom=0.1),
    PanelSpec("Cumulative spend", "$", (
        Series("cumulative_payment", "blue", "line", fill=(0, 114, 178, 40)),
        Series("cumulative_payment_pv", "green", "line", width=2, dashed=True,
               legend="Cumulative present value"),
    )),
)


class ContractPlots(SeriesPlots):
    def __init__(self, parent=None):
        super().__init__(SPECS, parent)
        self.payments_panel, self.exposure_panel, self.cumulative_panel = self.panels
