"""Projections tab plots: unit costs over time, and token capacity against
demand with the shortfall shaded."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from core.formatting import format_money, format_quantity
from ui.plots.common import (MoneyAxis, PlotPanel, fit_ranges, QuantityAxis, month_edges, month_label, pen,
                             timestamps)
from ui.boardroom.themes import OKABE_ITO


class ProjectionPlots(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.unit_cost_panel = PlotPanel("Unit costs over time", MoneyAxis(), "$")
        self.demand_panel = PlotPanel("Token capacity against demand", QuantityAxis(),
                                      "tokens per second")
        self.demand_panel.plot.setXLink(self.unit_cost_panel.plot)

        plot = self.unit_cost_panel.plot
        self.gpu_hour_curve = plot.plot(name="$ per GPU-hour", pen=pen(OKABE_ITO["blue"], 2.5),
                                        stepMode="center")
        self.h100e_hour_curve = plot.plot(name="$ per H100-equivalent hour",
                                          pen=pen(OKABE_ITO["sky"], 2, dashed=True),
                                          stepMode="center")
        self.token_cost_curve = plot.plot(name="Cost per million tokens (capacity)",
                                          pen=pen(OKABE_ITO["green"], 2.5), stepMode="center")
        self.breakeven_curve = plot.plot(name="Break-even price per million tokens (served)",
                                         pen=pen(OKABE_ITO["vermillion"], 2), stepMode="center")

        plot = self.demand_panel.plot
        self.capacity_curve = plot.plot(name="Capacity", pen=pen(OKABE_ITO["blue"], 2.5),
                                        stepMode="center")
        self.demand_curve = plot.plot(name="Demand", pen=pen(OKABE_ITO["orange"], 2.5),
                                      stepMode="center")
        # The upper edge of the shortfall band: demand where it exceeds capacity.
        # (A transparent pen, not None: with no pen the curve has no path to fill to.)
        self.shortfall_edge = pg.PlotDataItem(stepMode="center", pen=pg.mkPen(0, 0, 0, 0))
        plot.addItem(self.shortfall_edge)
        self.shortfall_fill = pg.FillBetweenItem(self.capacity_curve, self.shortfall_edge,
                                                 brush=pg.mkBrush(213, 94, 0, 90))
        plot.addItem(self.shortfall_fill)
        # A legend swatch: the legend cannot draw a FillBetweenItem itself.
        self.shortfall_swatch = pg.BarGraphItem(x=[0], height=[0], width=1, pen=None,
                                                brush=pg.mkBrush(213, 94, 0, 90))
        self.demand_panel.legend.addItem(self.shortfall_swatch, "Shortfall")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.unit_cost_panel, 1)
        layout.addWidget(self.demand_panel, 1)

    def show_results(self, results) -> None:
        s = results.schedule
        edges = month_edges(s)
        starts = timestamps(s.month_start)
        self.gpu_hour_curve.setData(edges, s.price_per_gpu_hour)
        self.h100e_hour_curve.setData(edges, s.price_per_h100e_hour)
        self.token_cost_curve.setData(edges, s.cost_per_million_tokens)
        self.breakeven_curve.setData(edges, s.breakeven_token_price)
        fit_ranges(self.unit_cost_panel, edges, s.price_per_gpu_hour, s.price_per_h100e_hour,
                   s.cost_per_million_tokens, s.breakeven_token_price)

        self.capacity_curve.setData(edges, s.capacity_tokens_per_s)
        self.demand_curve.setData(edges, s.demand_tokens_per_s)
        self.shortfall_edge.setData(edges, np.maximum(s.capacity_tokens_per_s,
                                                      s.demand_tokens_per_s))
        fit_ranges(self.demand_panel, edges, s.capacity_tokens_per_s, s.demand_tokens_per_s)

        def describe_costs(i: int) -> str:
            return (f"{month_label(s.month_start[i])}: {format_money(s.price_per_gpu_hour[i])}"
                    f" per GPU-hour, {format_money(s.price_per_h100e_hour[i])} per H100e-hour, "
                    f"{format_money(s.cost_per_million_tokens[i])} per M tokens, break-even "
                    f"{format_money(s.breakeven_token_price[i])}")

        def describe_demand(i: int) -> str:
            surplus = s.surplus_tokens_per_s[i]
            word = "surplus" if surplus >= 0 else "shortfall"
            return (f"{month_label(s.month_start[i])}: capacity "
                    f"{format_quantity(s.capacity_tokens_per_s[i], 'tokens/s')}, demand "
                    f"{format_quantity(s.demand_tokens_per_s[i], 'tokens/s')}, {word} "
                    f"{format_quantity(abs(surplus), 'tokens/s')}")

        self.unit_cost_panel.set_hover(starts, describe_costs)
        self.demand_panel.set_hover(starts, describe_demand)
