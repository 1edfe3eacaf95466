"""Hardware tab plots: GPUs online by model (stacked), and the fleet's power
(IT and at the meter) against the contracted MW."""
from __future__ import annotations

from ui.plots.common import Level, PanelSpec, Series, Stack
from ui.plots.panels_in_steps import PanelsInSteps

SPECS = (
    PanelSpec("GPUs online by model", "GPUs", (
        Stack("gpus_by_model", total="gpus_online"),
    ), money=False),
    PanelSpec("Power against the contract", "MW", (
        Series("facility_mw_online", "vermillion", legend="Facility MW (IT x PUE)"),
        Series("it_mw_online", "blue", width=2, legend="IT MW"),
        Level("contracted_mw", flag="power_over_contract"),
    ), money=False),
)


class HardwarePlots(PanelsInSteps):
    def _build(self):
        yield from self.panels_in_steps(SPECS)
        self.capacity_panel, self.power_panel = self.panels
