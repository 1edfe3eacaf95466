"""Projections tab plots: prices per GPU-hour, costs per million tokens (one
unit per panel: a token cost under a dollar would lie flat on a GPU-hour
axis), and token capacity against demand with the shortfall shaded."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from ui.plots.common import PanelSpec, Series, SeriesPlots, month_edges

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
    ), money=False),
)
SHORTFALL_BRUSH = (213, 94, 0, 90)


class ProjectionPlots(SeriesPlots):
    def __init__(self, parent=None):
        super().__init__(SPECS, parent)
        self.gpu_hour_panel, self.token_cost_panel, self.demand_panel = self.panels
        plot = self.demand_panel.plot
        # The shortfall band: from capacity up to demand where demand is higher.
        # (A transparent pen, not None: with no pen the curve has no path to fill to.)
        self.shortfall_edge = pg.PlotDataItem(stepMode="center", pen=pg.mkPen(0, 0, 0, 0))
        plot.addItem(self.shortfall_edge)
        self.shortfall_fill = pg.FillBetweenItem(self.item("capacity_tokens_per_s"),
                                                 self.shortfall_edge,
                                                 brush=pg.mkBrush(*SHORTFALL_BRUSH))
        plot.addItem(self.shortfall_fill)
        # A legend swatch: the legend cannot draw a FillBetweenItem itself.
        self.shortfall_swatch = pg.BarGraphItem(x=[0], height=[0], width=1, pen=None,
                                                brush=pg.mkBrush(*SHORTFALL_BRUSH))
        self.demand_panel.legend.addItem(self.shortfall_swatch, "Shortfall")
        self.demand_panel.arrange_legend()

    def show_results(self, results) -> None:
        super().show_results(results)
        s = results.schedule
        self.shortfall_edge.setData(month_edges(s), np.maximum(s.capacity_tokens_per_s,
                                                               s.demand_tokens_per_s))
