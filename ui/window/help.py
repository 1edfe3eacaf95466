"""Help > Guide (F1), Help > Conventions and Help > About.

The guide walks through the reference deal (core.presets.default_scenario)
tab by tab; its figures are computed and formatted when it is opened, with
the labels and formats of core.figures, so the text never drifts from what
the tabs show.  Conventions is generated from core/conventions.py.  About
names the version and the licences of the software the app bundles.
"""
from __future__ import annotations

from html import escape
from importlib import metadata

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from core import figures
from core.conventions import CONVENTIONS
from core.engine import compute
from core.presets import default_scenario
from core.market import PRESET_SOURCE
from ui import registry
from ui.app import APP_NAME

# Bundled software: (name, distribution for its version or None, licence).
BUNDLED = (
    ("Python", None, "PSF License"),
    ("Qt for Python (PySide6)", "PySide6", "LGPL v3"),
    ("Qt", "PySide6", "LGPL v3"),
    ("pyqtgraph", "pyqtgraph", "MIT"),
    ("NumPy", "numpy", "BSD 3-Clause"),
    ("pandas", "pandas", "BSD 3-Clause"),
    ("DejaVu Sans fonts", None, "Bitstream Vera / DejaVu licence (free, see "
                                "resources/fonts/LICENSE-DejaVu.txt)"),
)


def app_version() -> str:
    try:
        return metadata.version("compute-deal-modeler")
    except metadata.PackageNotFoundError:
        return "0.1.0"   # running from a source checkout (pyproject.toml's version)


def _version_of(name: str, distribution: str | None) -> str:
    if name == "Qt":
        from PySide6.QtCore import qVersion
        return qVersion()
    if distribution == "PySide6":
        import PySide6
        return PySide6.__version__
    if distribution is None:
        return ""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ""


def about_html() -> str:
    import platform
    rows = []
    for name, distribution, licence in BUNDLED:
        version = platform.python_version() if name == "Python" else _version_of(name, distribution)
        rows.append(f"<tr><td>{escape(name)}</td><td>{escape(version)}</td>"
                    f"<td>{escape(licence)}</td></tr>")
    return (f"<h2>{escape(APP_NAME)} {escape(app_version())}</h2>"
            "<p>Models GPU compute lease deals: payments, exposure, unit economics, "
            "termination, alternatives and risk, for the buyer and the provider.</p>"
            "<p>Bundled software and licences:</p>"
            "<table cellspacing='0' cellpadding='4' border='1'>"
            "<tr><th>Software</th><th>Version</th><th>Licence</th></tr>"
            + "".join(rows) + "</table>"
            "<p>Qt and PySide6 are used under the LGPL v3: they are loaded as shared "
            "libraries and may be replaced by the user.</p>")


def conventions_html() -> str:
    """Help > Conventions: core/conventions.py's list, one item each."""
    items = "".join(f"<li><p><b>{escape(c.title)}.</b> {escape(c.text)}</p></li>"
                    for c in CONVENTIONS)
    return f"<h2>Conventions</h2><ul>{items}</ul>"


def guide_html() -> str:
    from core.deals import deals_section
    """The reference deal, tab by tab, with its own figures."""
    scenario = default_scenario()
    results = compute(scenario)
    kf = results.key_figures

    def fig(key: str) -> str:
        source = results.credit if key in figures.CREDIT_FIGURES else kf
        return (f"<b>{escape(figures.output(key).label)}</b> "
                f"{escape(figures.format_value(key, getattr(source, key)))}")

    c = scenario.contract
    steps = [
        ("contract",
         f"The reference deal: {escape(c.buyer)} leases the {escape(c.provider)} cluster for "
         f"{c.term_months} months from {c.start_date:%B %Y}. The form on the left holds the "
         f"terms (fee, escalator, deposit, SLA, notice); the plots on the right show each "
         f"month's payment and what walking away would cost. Key figures above every tab: "
         f"{fig('total_contract_value')}, {fig('annual_run_rate')}, "
         f"{fig('walkaway_exposure')}."),
        ("hardware",
         f"The GPU fleet, its tranches and power: {fig('gpus')}, {fig('fleet_it_mw')}, "
         f"{fig('facility_mw')}, {fig('contracted_mw')}. A yellow "
         f"bar under the key figures warns when the fleet needs more power than contracted."),
        ("projections",
         f"Demand, utilization and token prices turn the capacity into unit costs: "
         f"{fig('price_per_gpu_hour')}, {fig('cost_per_million_tokens')}, "
         f"{fig('breakeven_token_price')}."),
        ("economics",
         f"The deal for each side; the View as switch (top right) chooses buyer or "
         f"provider. Buyer: {fig('buyer_npv')}. Provider: {fig('provider_npv')}."),
        ("termination",
         "Move the slider to a month to see what ending the deal there costs and saves "
         "(the 'If the deal ends there' box), and the plots of every month's outcome."),
        ("alternatives",
         f"The lease against renting the same compute on demand and building it: "
         f"{fig('cloud_cost')}, {fig('build_cost')}; and an indicative lease liability."),
        ("market",
         f"The deal against the market: rents per GPU model (presets [E] from the "
         f"{escape(PRESET_SOURCE)}), their forward path, and the mark-to-market: "
         f"{fig('contract_premium_over_market_pct')}, {fig('buyer_mark_to_market')}. Each side's "
         f"right to give notice at the start of any month is valued by least-squares Monte Carlo "
         f"on simulated rents (a common and a per-model mean-reverting factor about the forward "
         f"curve): backwards from the last month, the gain from walking less what waiting "
         f"realises is regressed on 1, x, x\u00b2 of the normalised rent, and a side walks where "
         f"the fit is above zero. Volatility, mean reversion and correlations are assumptions "
         f"you set."),
        ("credit",
         f"Counterparty credit: each party's hazard rate from a spread and recovery (h = "
         f"spread / (1 - R)), an annual default probability (h = -ln(1 - p)) or a rating's "
         f"generic rate, with presets from public CDS and bond spreads (label, date and source "
         f"beside each) and an optional guarantor. What each side loses if the other defaults in "
         f"a month, and the expected loss, (1 - R) \u03a3 exposure x discount factor x "
         f"[S(t-1) - S(t)]: {fig('buyer_expected_credit_loss')}, "
         f"{fig('credit_adjusted_buyer_npv')}."),
        ("risk",
         "A tornado of one output against every input moved low and high, and a Monte Carlo "
         "simulation over the inputs you mark uncertain: press Run."),
        ("solve",
         "Solve: which value of one input gives a target figure. Sweep: a figure over a grid "
         "of two inputs."),
        ("deals",
         "The public compute deals of 2025-2026 beside this one, each normalised to $ per "
         "MW-year, per GPU-hour and per H100e-hour, with every figure's label ([R] reported, "
         "[E] estimate, [D] derived), date and source: "
         + escape(" ".join(f.sentence for f in deals_section(scenario, compute(scenario)).findings))
         + " Open as scenario adds a deal beside yours, its unknowns assumed and listed."),
        ("portfolio",
         "The open scenarios added up as one book (a buyer's compute book or a provider's "
         "backlog): commitments by counterparty, walk-away exposure and GPUs online by month, "
         "and how concentrated the book is. Open the example: Anthropic's compute book built "
         "from the public deals, every assumption listed. File > Export portfolio... writes "
         "the book as a PDF report, a PowerPoint deck or an Excel workbook, with every "
         "figure's label, date and source."),
        ("compare",
         "Every open scenario side by side (File > Examples opens the sample deals beside "
         "yours), with the differences and what drives them."),
    ]
    # Each tab's title as registered (ui/registry.py), in the window's order.
    text_of = dict(steps)
    items = "".join(f"<li><p><b>{escape(declared.title)}</b>: {text_of[declared.key]}</p></li>"
                    for declared in registry.TABS if declared.key in text_of)
    return ("<h2>A walk through the reference deal</h2>"
            "<p>Each tab holds inputs on the left and results on the right. Drag the divider "
            "to give the plots more room. The mouse wheel changes a field only after you "
            "click into it; over a plot, Ctrl + wheel zooms and right-click &gt; Fit view "
            "returns. Ctrl+PgUp / Ctrl+PgDown move between tabs; Ctrl+Z undoes the last "
            "edit, even inside a field.</p>"
            f"<ol>{items}</ol>"
            "<p>Help &gt; Glossary defines every figure; File &gt; Export writes PNG, PDF, "
            "CSV and workbook files.</p>")


class HelpDialog(QDialog):
    """A read-only page of help text (the guide or About)."""

    def __init__(self, title: str, html: str, parent=None, size=(760, 620)):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        self.text.setHtml(html)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(*size)
