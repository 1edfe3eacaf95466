"""The two-way table at its largest (201 x 201): a grid computed cell by cell
that would take more than about a second is refused in one line, before any
cell is computed; a large batched grid is computed on a worker thread, and the
newest one is shown."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from core.presets import default_scenario
from core.sweep import MAX_STEPS, two_way
from ui.app.binding import ScenarioBinding
from ui.look.themes import configure_pyqtgraph
from ui.tabs.sweep_tab import TwoWayTable


@pytest.fixture
def table(qtbot):
    configure_pyqtgraph()
    widget = TwoWayTable(ScenarioBinding(default_scenario()))
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: widget.grid is not None, timeout=10_000)
    return widget


def at_most_steps(table) -> None:
    for axis in (table.x, table.y):
        axis.steps.setValue(MAX_STEPS)


def test_a_cell_by_cell_grid_too_large_for_a_second_is_refused_in_one_line(qtbot, table):
    """The issue: 201 x 201 of build_cost froze the window for 53 s on Recompute."""
    table.figure.setCurrentIndex(table.figure.findData("build_cost"))
    qtbot.waitUntil(lambda: table.grid.figure == "build_cost", timeout=10_000)
    shown = table.grid
    at_most_steps(table)
    qtbot.mouseClick(table.recompute_button, Qt.MouseButton.LeftButton)
    text = table.status.text()
    assert "40,401 cells one by one" in text and "use at most" in text and "\n" not in text
    assert table.grid is shown                      # nothing computed, nothing changed


def test_a_large_batched_grid_is_computed_on_a_worker_and_the_newest_shown(qtbot, table):
    binding = table.binding
    at_most_steps(table)
    table.recompute()
    assert table.computing                          # the UI thread is free meanwhile
    binding.set_values("contract", monthly_fee=1.3e9)   # an edit while it computes
    qtbot.waitUntil(lambda: not table.computing and table.grid.values.shape == (201, 201),
                    timeout=60_000)
    expected = two_way(binding.scenario, table.grid.figure, table.x.axis(), table.y.axis(),
                       table.threshold_value())
    # The grid shown is the one after the edit (the base case's figure moved with it).
    assert table.grid.base_figure == pytest.approx(expected.base_figure)
    np.testing.assert_allclose(table.grid.values, expected.values)
