"""The tab registry (ui/registry.py): every declared tab is built by the main
window, shown by `show_tab`, offered by `main.py --tab`, and nothing else."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import main
from ui import registry

ROOT = Path(__file__).resolve().parents[2]


def test_the_registry_imports_no_qt():
    # main.py reads it to parse --tab before any window exists.
    code = ("import sys, ui.registry; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'shiboken6', 'pyqtgraph')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_window_has_exactly_the_declared_tabs_in_order(window):
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["Contract terms", "Cluster hardware", "Projections", "Economics",
                      "Termination", "Alternatives and lease", "Market", "Credit", "Risk",
                      "Solve and sweep", "Public deals", "Portfolio", "Compare scenarios"]


@pytest.mark.parametrize("declared", registry.TABS, ids=lambda t: t.key)
def test_every_tab_is_built_shown_by_key_and_offered_on_the_command_line(qtbot, window,
                                                                         declared):
    page = window.tab(declared.key)
    assert isinstance(page, registry.load(declared.builds))
    window.show_tab(declared.key)
    assert window.tabs.currentWidget() is page
    assert window.tabs.tabText(window.tabs.currentIndex()) == declared.title.replace("&", "&&")
    assert main.build_parser().parse_args(["--tab", declared.key]).tab == declared.key


def test_an_unknown_tab_is_refused_by_name(window):
    with pytest.raises(KeyError, match="no tab 'charts'"):
        window.show_tab("charts")


def test_the_perspective_switch_reaches_the_tabs_that_follow_it(qtbot, window):
    followers = [t.key for t in registry.TABS if t.follows_perspective]
    assert followers == ["economics", "risk", "solve"]
    economics = window.tab("economics")
    window.show_tab("economics")
    assert economics.plots.currentIndex() == 0            # buyer first
    window.key_figures.switch.changed.emit("provider")
    assert economics.plots.currentIndex() == 1
    assert economics.forms.currentIndex() == 1


def test_risk_and_solve_and_sweep_follow_view_as(qtbot, window):
    """They ignored View as: in the Provider view the tornado, the simulation,
    goal seek and the two-way table still showed the buyer's NPV."""
    risk, solve = window.tab("risk"), window.tab("solve")
    assert risk.tornado_controls.output.currentData() == "buyer_npv"
    assert solve.sweep.figure.currentData() == "buyer_npv"
    window.key_figures.switch.set_perspective("provider")
    assert risk.tornado_controls.output.currentData() == "provider_npv"
    assert risk.simulation_controls.output.currentData() == "provider_npv"
    assert solve.solve.figure.currentData() == "provider_npv"
    assert solve.sweep.figure.currentData() == "provider_npv"
    # Its default's second input: availability (utilization does not move the provider's NPV).
    assert solve.sweep.y.key == "hardware.availability_pct"
    qtbot.waitUntil(lambda: solve.sweep.spec() is not None
                    and solve.sweep.spec().figure == "provider_npv")
    # A figure of both sides is the user's choice and stays.
    index = solve.sweep.figure.findData("total_contract_value")
    solve.sweep.figure.setCurrentIndex(index)
    window.key_figures.switch.set_perspective("buyer")
    assert solve.sweep.figure.currentData() == "total_contract_value"
    assert risk.tornado_controls.output.currentData() == "buyer_npv"
    assert solve.sweep.y.key == "hardware.availability_pct"   # the table's inputs stay too
