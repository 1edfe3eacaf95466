"""Every tab of the main window, in order, declared once.

The main window builds its tabs from this list, `main.py --tab KEY` takes its
choices from it, presentation mode picks its slides from it and exports pick
the tabs whose plots they write.  Adding a tab is one module under ui/tabs/
and one line here.

Plain Python, no Qt at import: main.py reads it to parse its arguments before
any window exists; the classes are named by dotted path and imported only
when a window builds them (`load`).
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any, Literal, Protocol

# What a tab's class is given when the main window builds it: the binding to
# the edited scenario, or the workspace (every open scenario).
Needs = Literal["binding", "workspace"]


@dataclass(frozen=True)
class Slide:
    """A tab's view in presentation mode.  `plots` names a results-only plots
    widget ("module:Class", made with no arguments, fed `show_results(results)`)
    that presentation mode builds its own copy of.  None: the tab's results
    depend on more than the scenario's results (the risk tab's runs, every
    open scenario), so the tab lends its own results side for as long as
    presentation lasts: its class implements `LendsResults`.  `side`: the
    perspective the slide belongs to (both, buyer or provider)."""
    key: str
    title: str
    plots: str | None = None
    side: str = "both"

    @property
    def borrowed(self) -> bool:
        return self.plots is None


class LendsResults(Protocol):
    """What a tab whose slide borrows its results side (Slide.plots None)
    implements: the widget to show, brought up to date for showing now (it is
    moved into the presentation and put back after, its type restored)."""

    def presentation_view(self) -> Any:   # a QWidget (no Qt here)
        ...

    # Optional: `has_presentation_content() -> bool`, False when the view would
    # have nothing to show (the comparison with one scenario): presentation
    # mode then skips its slide.


@dataclass(frozen=True)
class Tab:
    key: str                 # `main.py --tab KEY`, window.tab(KEY)
    title: str               # the tab's text
    builds: str              # "module:Class" of the widget that is the tab
    needs: Needs = "binding"
    slides: tuple[Slide, ...] = ()   # none: not shown in presentation mode
    exported: bool = True        # its plots are written by PNG/PDF exports
    # Sides the tab shows figures for; a tab with two follows the key-figure
    # strip's buyer/provider switch (its class has show_perspective(side)).
    perspectives: tuple[str, ...] = ("both",)

    @property
    def follows_perspective(self) -> bool:
        return len(self.perspectives) > 1

    @property
    def slide(self) -> Slide | None:
        """The tab's first slide, or None."""
        return self.slides[0] if self.slides else None


TABS: tuple[Tab, ...] = (
    Tab("contract", "Contract terms", "ui.tabs.contract:ContractTab",
        slides=(Slide("contract", "Contract", "ui.plots.contract_plots:ContractPlots"),)),
    Tab("hardware", "Cluster hardware", "ui.tabs.hardware:HardwareTab",
        slides=(Slide("capacity", "Capacity", "ui.plots.hardware_plots:HardwarePlots"),)),
    Tab("projections", "Projections", "ui.tabs.projections:ProjectionsTab",
        slides=(Slide("unit_economics", "Unit economics",
                      "ui.plots.projection_plots:ProjectionPlots"),)),
    Tab("economics", "Economics", "ui.tabs.economics:EconomicsTab",
        perspectives=("buyer", "provider"),
        slides=(Slide("economics_buyer", "Buyer economics",
                      "ui.plots.economics_plots:BuyerPlots", side="buyer"),
                Slide("economics_provider", "Provider economics",
                      "ui.plots.economics_plots:ProviderPlots", side="provider"))),
    Tab("termination", "Termination", "ui.tabs.termination:TerminationTab",
        slides=(Slide("termination", "Termination", "ui.tabs.termination:TerminationPlots"),)),
    Tab("alternatives", "Alternatives and lease", "ui.tabs.alternatives:AlternativesTab",
        slides=(Slide("alternatives", "Alternatives and lease",
                      "ui.tabs.alternatives:AlternativesPlots"),)),
    Tab("market", "Market", "ui.tabs.market:MarketTab"),
    Tab("credit", "Credit", "ui.tabs.credit:CreditTab"),
    Tab("risk", "Risk", "ui.tabs.risk:RiskTab", perspectives=("buyer", "provider"),
        slides=(Slide("risk", "Risk"),)),
    Tab("solve", "Solve and sweep", "ui.tabs.solve_sweep:SolveSweepTab", exported=False,
        perspectives=("buyer", "provider")),
    Tab("deals", "Public deals", "ui.tabs.deals:DealsTab", needs="workspace", exported=False),
    Tab("portfolio", "Portfolio", "ui.tabs.portfolio:PortfolioTab", needs="workspace",
        exported=False),
    Tab("compare", "Compare scenarios", "ui.tabs.comparison:CompareTab", needs="workspace",
        slides=(Slide("comparison", "Comparison"),)),
)

TAB_KEYS: tuple[str, ...] = tuple(tab.key for tab in TABS)
DEFAULT_TAB = TABS[0].key


def tab(key: str) -> Tab:
    """The tab declared under `key`; KeyError names the key and the known ones."""
    for declared in TABS:
        if declared.key == key:
            return declared
    raise KeyError(f"no tab {key!r} (tabs: {', '.join(TAB_KEYS)})")


def load(dotted: str) -> type:
    """The class named "module:Class", imported now."""
    module, _, name = dotted.partition(":")
    return getattr(import_module(module), name)
