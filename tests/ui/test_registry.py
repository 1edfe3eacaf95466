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
    assert followers == ["economics"]
    economics = window.tab("economics")
    window.show_tab("economics")
    assert economics.plots.currentIndex() == 0            # buyer first
    window.key_figures.switch.changed.emit("provider")
    assert economics.plots.currentIndex() == 1
    assert economics.forms.currentIndex() == 1
