"""Projections tab plots: prices per GPU-hour, costs per million tokens (one
unit per panel: a token cost under a dollar would lie flat on a GPU-hour
axis), and token capacity against demand with the shortfall shaded."""
from __future__ import annotations

from ui.plots.common import PanelSpec, Series, Shortfall
from ui.plots.panels_in_steps import PanelsInSteps

SPECS = (
    PanelSpec("Price per GPU-hour over time", "$ per GPU-hour", (
        Series("price_per_gpu_hour", "blue"),
        Series("price_per_h100e_hour", "sky", width=2, dashed=True),
    ), headroom=0.1),
    PanelSpec("Token costs over time", "$ per million tokens", (
        Series("cost_per_million_tokens", "green", legend="Cost per million tokens (capacity)"),
        Series("breakeven_token_price", "vermillion", width=2, dashed=True,
               legend="Break-even price per million tokens (served)"),
    ), headroom=0.1),
    PanelSpec("Token capacity against demand", "tokens per second", (
        Series("capacity_tokens_per_s", "blue", legend="Capacity"),
        Series("demand_tokens_per_s", "orange", legend="Demand"),
        Shortfall("capacity_tokens_per_s", "demand_tokens_per_s", legend="Shortfall"),
    ), money=False),
)


class ProjectionPlots(PanelsInSteps):
    def _build(self):
        yield from self.panels_in_steps(SPECS)
        self.gpu_hour_panel, self.token_cost_panel, self.demand_panel = self.panels
