"""Economics tab plots, one set per perspective.

Buyer: token revenue against payments with the margin; cumulative cash; the
break-even token price against the price charged.  Provider: the monthly
P&L (revenue, power, opex, depreciation, EBITDA, EBIT); cumulative cash and
the hardware's book value.
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from core.formatting import format_money
from ui.plots.common import (MoneyAxis, PlotPanel, fit_ranges, month_edges, month_label, pen,
                             timestamps)
from ui.boardroom.themes import OKABE_ITO


class BuyerPlots(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.flows_panel = PlotPanel("Buyer: token revenue against payments", MoneyAxis(),
                                     "$ per month")
        self.cash_panel = PlotPanel("Buyer: cumulative cash", MoneyAxis(), "$")
        self.price_panel = PlotPanel("Break-even token price against the price charged",
                                     MoneyAxis(), "$ per million tokens")
        for panel in (self.cash_panel, self.price_panel):
            panel.plot.setXLink(self.flows_panel.plot)
        plot = self.flows_panel.plot
        self.revenue_curve = plot.plot(name="Token revenue", pen=pen(OKABE_ITO["green"], 2.5),
                                       stepMode="center")
        self.invoice_curve = plot.plot(name="Payments (invoices)", pen=pen(OKABE_ITO["blue"], 2.5),
                                       stepMode="center")
        self.margin_curve = plot.plot(name="Gross margin", pen=pen(OKABE_ITO["orange"], 2),
                                      stepMode="center", fillLevel=0,
                                      brush=pg.mkBrush(230, 159, 0, 60))
        self.cash_curve = self.cash_panel.plot.plot(
            name="Cumulative cash (revenue - payments)", pen=pen(OKABE_ITO["blue"], 2.5),
            fillLevel=0, brush=pg.mkBrush(0, 114, 178, 40))
        plot = self.price_panel.plot
        self.token_price_curve = plot.plot(name="Token price charged", pen=pen(OKABE_ITO["green"], 2.5),
                                           stepMode="center")
        self.breakeven_curve = plot.plot(name="Break-even price (tokens served)",
                                         pen=pen(OKABE_ITO["vermillion"], 2.5), stepMode="center")
        self.token_cost_curve = plot.plot(name="Cost per million tokens (capacity)",
                                          pen=pen(OKABE_ITO["sky"], 2, dashed=True),
                                          stepMode="center")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for panel in (self.flows_panel, self.cash_panel, self.price_panel):
            layout.addWidget(panel, 1)

    def show_results(self, results) -> None:
        s = results.schedule
        edges, starts = month_edges(s), timestamps(s.month_start)
        self.revenue_curve.setData(edges, s.buyer_revenue)
        self.invoice_curve.setData(edges, s.invoice)
        self.margin_curve.setData(edges, s.buyer_margin)
        fit_ranges(self.flows_panel, edges, s.buyer_revenue, s.invoice, s.buyer_margin)
        self.cash_curve.setData(starts, s.buyer_cumulative_cash)
        fit_ranges(self.cash_panel, edges, s.buyer_cumulative_cash)
        self.token_price_curve.setData(edges, s.token_price)
        self.breakeven_curve.setData(edges, s.breakeven_token_price)
        self.token_cost_curve.setData(edges, s.cost_per_million_tokens)
        fit_ranges(self.price_panel, edges, s.token_price, s.breakeven_token_price,
                   s.cost_per_million_tokens)

        def describe_flows(i: int) -> str:
            return (f"{month_label(s.month_start[i])}: revenue {format_money(s.buyer_revenue[i])}, "
                    f"payments {format_money(s.invoice[i])}, margin {format_money(s.buyer_margin[i])}")

        def describe_cash(i: int) -> str:
            return (f"{month_label(s.month_start[i])}: cumulative cash "
                    f"{format_money(s.buyer_cumulative_cash[i])}")

        def describe_price(i: int) -> str:
            return (f"{month_label(s.month_start[i])}: price {format_money(s.token_price[i])}, "
                    f"break-even {format_money(s.breakeven_token_price[i])}, cost "
                    f"{format_money(s.cost_per_million_tokens[i])} per million tokens")

        self.flows_panel.set_hover(starts, describe_flows)
        self.cash_panel.set_hover(starts, describe_cash)
        self.price_panel.set_hover(starts, describe_price)


class ProviderPlots(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.pnl_panel = PlotPanel("Provider: monthly P&L", MoneyAxis(), "$ per month")
        self.cash_panel = PlotPanel("Provider: cumulative cash and book value", MoneyAxis(), "$")
        self.cash_panel.plot.setXLink(self.pnl_panel.plot)
        plot = self.pnl_panel.plot
        self.pnl_curves = {
            "provider_revenue": plot.plot(name="Revenue (after SLA credits)",
                                          pen=pen(OKABE_ITO["blue"], 2.5), stepMode="center"),
            "provider_ebitda": plot.plot(name="EBITDA", pen=pen(OKABE_ITO["green"], 2.5),
                                         stepMode="center"),
            "provider_ebit": plot.plot(name="EBIT", pen=pen(OKABE_ITO["green"], 2, dashed=True),
                                       stepMode="center"),
            "depreciation": plot.plot(name="Depreciation", pen=pen(OKABE_ITO["purple"], 2),
                                      stepMode="center"),
            "power_cost": plot.plot(name="Power", pen=pen(OKABE_ITO["vermillion"], 2),
                                    stepMode="center"),
            "opex": plot.plot(name="Maintenance and staff", pen=pen(OKABE_ITO["orange"], 2),
                              stepMode="center"),
        }
        plot = self.cash_panel.plot
        self.cash_curve = plot.plot(name="Cumulative cash (after capex if bought)",
                                    pen=pen(OKABE_ITO["blue"], 2.5), fillLevel=0,
                                    brush=pg.mkBrush(0, 114, 178, 40))
        self.book_curve = plot.plot(name="Book value of the hardware",
                                    pen=pen(OKABE_ITO["purple"], 2, dashed=True))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pnl_panel, 1)
        layout.addWidget(self.cash_panel, 1)

    def show_results(self, results) -> None:
        s = results.schedule
        edges, starts = month_edges(s), timestamps(s.month_start)
        for name, curve in self.pnl_curves.items():
            curve.setData(edges, getattr(s, name))
        fit_ranges(self.pnl_panel, edges, *(getattr(s, name) for name in self.pnl_curves))
        self.cash_curve.setData(starts, s.provider_cumulative_cash)
        self.book_curve.setData(starts, s.book_value)
        fit_ranges(self.cash_panel, edges, s.provider_cumulative_cash, s.book_value)

        def describe_pnl(i: int) -> str:
            return (f"{month_label(s.month_start[i])}: revenue {format_money(s.provider_revenue[i])}, "
                    f"power {format_money(s.power_cost[i])}, opex {format_money(s.opex[i])}, "
                    f"EBITDA {format_money(s.provider_ebitda[i])}, "
                    f"depreciation {format_money(s.depreciation[i])}, "
                    f"EBIT {format_money(s.provider_ebit[i])}")

        def describe_cash(i: int) -> str:
            return (f"{month_label(s.month_start[i])}: cumulative cash "
                    f"{format_money(s.provider_cumulative_cash[i])}, book value "
                    f"{format_money(s.book_value[i])}")

        self.pnl_panel.set_hover(starts, describe_pnl)
        self.cash_panel.set_hover(starts, describe_cash)
