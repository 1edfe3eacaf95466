"""Economics tab plots, one set per perspective.

Buyer: token revenue against payments with the margin; cumulative cash; the
break-even token price against the price charged.  Provider: the monthly
P&L (revenue, power, opex, depreciation, EBITDA, EBIT); cumulative cash and
the hardware's book value.
"""
from __future__ import annotations

from ui.plots.common import PanelSpec, Series
from ui.plots.panels_in_steps import PanelsInSteps

BUYER_SPECS = (
    PanelSpec("Buyer: token revenue against payments", "$ per month", (
        Series("buyer_revenue", "green"),
        Series("invoice", "blue", legend="Payments (invoices)"),
        Series("buyer_margin", "orange", width=2, fill=(230, 159, 0, 60)),
    )),
    PanelSpec("Buyer: cumulative cash", "$", (
        Series("buyer_cumulative_cash", "blue", "line", fill=(0, 114, 178, 40),
               legend="Cumulative cash (revenue - payments)"),
    )),
    PanelSpec("Break-even token price against the price charged", "$ per million tokens", (
        Series("token_price", "green", legend="Token price charged"),
        Series("breakeven_token_price", "vermillion", legend="Break-even price (tokens served)"),
        Series("cost_per_million_tokens", "sky", width=2, dashed=True,
               legend="Cost per million tokens (capacity)"),
    )),
)
PROVIDER_SPECS = (
    PanelSpec("Provider: monthly P&L", "$ per month", (
        Series("provider_revenue", "blue", legend="Revenue (after SLA credits)"),
        Series("provider_ebitda", "green", legend="EBITDA"),
        Series("provider_ebit", "green", width=2, dashed=True, legend="EBIT"),
        Series("depreciation", "purple", width=2),
        Series("power_cost", "vermillion", width=2, legend="Power"),
        # Black (drawn in the theme's foreground), dotted: not a second orange.
        Series("opex", "black", width=2, dashed=True, legend="Maintenance and staff"),
        Series("provider_economic_profit", "sky", width=2, dashed=True),
    )),
    PanelSpec("Provider: cumulative cash and book value", "$", (
        Series("provider_cumulative_cash", "blue", "line", fill=(0, 114, 178, 40),
               legend="Cumulative cash (after capex if bought)"),
        Series("book_value", "purple", "line", width=2, dashed=True,
               legend="Book value of the hardware"),
    )),
)


class BuyerPlots(PanelsInSteps):
    def _build(self):
        yield from self.panels_in_steps(BUYER_SPECS)
        self.flows_panel, self.cash_panel, self.price_panel = self.panels


class ProviderPlots(PanelsInSteps):
    def _build(self):
        yield from self.panels_in_steps(PROVIDER_SPECS)
        self.pnl_panel, self.cash_panel = self.panels
