"""Contract tab plots: monthly payments with walk-away exposure, and
cumulative spend (nominal and discounted)."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from core.formatting import format_money
from ui.plots.common import (SECONDS_PER_DAY, MoneyAxis, fit_ranges, PlotPanel, month_edges, month_label,
                             pen, timestamps)
from ui.boardroom.themes import OKABE_ITO


class ContractPlots(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.payments_panel = PlotPanel("Monthly payment and walk-away exposure", MoneyAxis(),
                                        "$ per month")
        self.cumulative_panel = PlotPanel("Cumulative spend", MoneyAxis(), "$")
        self.cumulative_panel.plot.setXLink(self.payments_panel.plot)

        plot = self.payments_panel.plot
        self.payment_bars = pg.BarGraphItem(x=[0], height=[0], width=1,
                                            brush=pg.mkBrush(OKABE_ITO["sky"]),
                                            pen=pg.mkPen(OKABE_ITO["blue"], width=0.5))
        plot.addItem(self.payment_bars)
        self.payments_panel.legend.addItem(self.payment_bars, "Monthly payment")
        self.exposure_curve = plot.plot(name="Walk-away exposure (notice given that month)",
                                        pen=pen(OKABE_ITO["vermillion"], 2.5), stepMode="center")
        plot.setYRange(0, 1)

        plot = self.cumulative_panel.plot
        self.cumulative_curve = plot.plot(name="Cumulative payments", pen=pen(OKABE_ITO["blue"], 2.5),
                                          fillLevel=0, brush=pg.mkBrush(0, 114, 178, 40))
        self.cumulative_pv_curve = plot.plot(name="Cumulative present value",
                                             pen=pen(OKABE_ITO["green"], 2, dashed=True))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.payments_panel, 1)
        layout.addWidget(self.cumulative_panel, 1)

    def show_results(self, results) -> None:
        schedule = results.schedule
        starts = timestamps(schedule.month_start)
        edges = month_edges(schedule)
        mids = starts + schedule.days * SECONDS_PER_DAY / 2
        self.payment_bars.setOpts(x=mids, height=schedule.payment,
                                  width=schedule.days * SECONDS_PER_DAY * 0.8)
        self.exposure_curve.setData(edges, schedule.walkaway_exposure)
        fit_ranges(self.payments_panel, edges, schedule.payment, schedule.walkaway_exposure)

        self.cumulative_curve.setData(starts, schedule.cumulative_payment)
        self.cumulative_pv_curve.setData(starts, schedule.cumulative_payment_pv)

        def describe_payments(i: int) -> str:
            return (f"{month_label(schedule.month_start[i])}: payment "
                    f"{format_money(schedule.payment[i])}, walk-away exposure "
                    f"{format_money(schedule.walkaway_exposure[i])}")

        def describe_cumulative(i: int) -> str:
            return (f"{month_label(schedule.month_start[i])}: paid to date "
                    f"{format_money(schedule.cumulative_payment[i])}, present value "
                    f"{format_money(schedule.cumulative_payment_pv[i])}")

        self.payments_panel.set_hover(starts, describe_payments)
        self.cumulative_panel.set_hover(starts, describe_cumulative)
