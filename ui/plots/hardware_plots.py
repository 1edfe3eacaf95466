"""Hardware tab plots: GPUs online by model (stacked), and the fleet's power
(IT and at the meter) against the contracted MW."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget

from core.formatting import format_count, format_quantity
from ui.plots.common import (PanelSpec, PlotPanel, QuantityAxis, Series, SeriesPanel, fit_ranges,
                             month_edges, month_label, pen, timestamps)
from ui.boardroom.themes import OKABE_ITO, series_colour

POWER_SPEC = PanelSpec("Power against the contract", "MW", (
    Series("facility_mw_online", "vermillion", legend="Facility MW (IT x PUE)"),
    Series("it_mw_online", "blue", width=2, legend="IT MW"),
), money=False)


class HardwarePlots(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.capacity_panel = PlotPanel("GPUs online by model", QuantityAxis(), "GPUs")
        self.power_panel = SeriesPanel(POWER_SPEC)
        self.power_panel.plot.setXLink(self.capacity_panel.plot)
        # One stacked, filled step curve per GPU model, kept between updates.
        self.model_curves: dict[str, pg.PlotDataItem] = {}

        plot = self.power_panel.plot
        # The contracted MW: one level, not a schedule column.
        self.contract_curve = plot.plot(name="Contracted MW",
                                        pen=pen(OKABE_ITO["black"], 2, dashed=True))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.capacity_panel, 1)
        layout.addWidget(self.power_panel, 1)

    def _curve_for(self, model: str, index: int) -> pg.PlotDataItem:
        colour = QColor(series_colour(index))
        curve = self.model_curves.get(model)
        if curve is None:
            curve = self.capacity_panel.plot.plot(name=model, stepMode="center", fillLevel=0)
            self.model_curves[model] = curve
        # Opaque fills: the bands are stacked, and translucent ones would mix colours.
        curve.setPen(pen(colour.darker(130).name(), 1.5))
        curve.setBrush(pg.mkBrush(colour))
        return curve

    def show_results(self, results) -> None:
        schedule = results.schedule
        edges = month_edges(schedule)
        starts = timestamps(schedule.month_start)
        models = list(schedule.gpus_by_model)
        for gone in set(self.model_curves) - set(models):
            curve = self.model_curves.pop(gone)
            self.capacity_panel.legend.removeItem(curve)
            self.capacity_panel.plot.removeItem(curve)
        # Draw the stack top-down so each model's band shows above the ones below it.
        stacked = np.cumsum([schedule.gpus_by_model[m] for m in models], axis=0) \
            if models else np.zeros((0, len(schedule)))
        for index, model in enumerate(models):
            curve = self._curve_for(model, index)
            curve.setData(edges, stacked[index])
            curve.setZValue(-index)
        fit_ranges(self.capacity_panel, edges, *stacked)

        self.power_panel.show_schedule(schedule)
        contracted = results.key_figures.contracted_mw
        self.contract_curve.setData([edges[0], edges[-1]], [contracted, contracted])
        fit_ranges(self.power_panel, edges, schedule.facility_mw_online, [contracted])

        def describe_capacity(i: int) -> str:
            parts = ", ".join(f"{m} {format_count(schedule.gpus_by_model[m][i])}" for m in models)
            return (f"{month_label(schedule.month_start[i])}: "
                    f"{format_count(schedule.gpus_online[i])} GPUs"
                    + (f" ({parts})" if parts else ""))

        def describe_power(i: int) -> str:
            over = "  over the contract" if schedule.power_over_contract[i] else ""
            return (f"{self.power_panel.describe(schedule, i)}, contracted "
                    f"{format_quantity(contracted, 'MW')}{over}")

        self.capacity_panel.set_hover(starts, describe_capacity)
        self.power_panel.set_hover(starts, describe_power)
