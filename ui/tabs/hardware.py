"""Cluster hardware tab: facility, capacity tranches and GPU models, beside
the capacity and power plots."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QGroupBox, QHBoxLayout, QPushButton, QSplitter,
                               QVBoxLayout)

from core.presets import GPU_PRESETS
from ui.app.binding import ScenarioBinding
from ui.widgets.form_panel import FormPanel
from ui.plots.hardware_plots import HardwarePlots
from ui.widgets.tables import GpuModelTable, TrancheTable
from ui.app.build_steps import BuiltInSteps
from ui.app.lazy_updates import update_when_visible


class HardwareTab(BuiltInSteps, QSplitter):
    def __init__(self, binding: ScenarioBinding, parent=None, *, later: bool = False):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.start_build(self._build(binding), later)   # ui/app/build_steps.py

    def _build(self, binding: ScenarioBinding):
        self.form = FormPanel(binding)
        self.form.add_group("Facility", "hardware",
                            ["contracted_mw", "pue", "power_price_per_mwh", "availability_pct",
                             "utilization_pct", "workload", "h100e_weighting"])

        self.tranche_table = TrancheTable(binding)
        self.add_tranche_button = QPushButton("Add tranche")
        self.remove_tranche_button = QPushButton("Remove selected")
        self.add_tranche_button.clicked.connect(self.tranche_table.add_tranche)
        self.remove_tranche_button.clicked.connect(self.tranche_table.remove_selected)
        self.form.add_widget(self._table_group(
            "Capacity tranches", self.tranche_table,
            [self.add_tranche_button, self.remove_tranche_button]), 1)

        yield
        self.model_table = GpuModelTable(binding)
        self.preset_choice = QComboBox()
        self.preset_choice.addItems(list(GPU_PRESETS))
        self.add_model_button = QPushButton("Add preset")
        self.remove_model_button = QPushButton("Remove selected")
        self.add_model_button.clicked.connect(
            lambda: self.model_table.add_model(GPU_PRESETS[self.preset_choice.currentText()]))
        self.remove_model_button.clicked.connect(self.model_table.remove_selected)
        self.form.add_widget(self._table_group(
            "GPU models", self.model_table,
            [self.preset_choice, self.add_model_button, self.remove_model_button]), 1)

        yield
        self.plots = HardwarePlots(later=True)
        yield from self.plots.steps_left()
        self.addWidget(self.form)
        self.addWidget(self.plots)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setSizes([640, 960])
        yield
        update_when_visible(binding, self, self.plots.show_results)
        self.plots.show_results(binding.results)

    @staticmethod
    def _table_group(title, table, buttons) -> QGroupBox:
        group = QGroupBox(title)
        layout = QVBoxLayout(group)
        table.setMinimumHeight(150)
        layout.addWidget(table, 1)
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        return group
