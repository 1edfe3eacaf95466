"""The main window: key figures above three tabs, a message bar for refused
edits, and the menus."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QLabel, QMainWindow, QMessageBox, QTabWidget, QVBoxLayout,
                               QWidget)

from core.parameters import Scenario
from ui.binding import ScenarioBinding
from ui.alternatives_tab import AlternativesTab
from ui.contract_tab import ContractTab
from ui.economics_tab import EconomicsTab
from ui.examples_menu import install_examples_menu
from ui.file_actions import install_file_actions
from ui.boardroom import install_boardroom
from ui.hardware_tab import HardwareTab
from ui.key_figures import KeyFigureStrip
from ui.projections_tab import ProjectionsTab
from ui.risk_tab import install_risk_tab
from ui.termination_tab import TerminationTab
from ui.theme import ERROR_STYLE

APP_NAME = "Compute Deal Modeler"
MESSAGE_MS = 8000
TAB_KEYS = ("contract", "hardware", "projections", "economics", "termination", "alternatives")

CONVENTIONS = """<p><b>Conventions</b></p>
<ul>
<li>Months run from the start date; hours are actual days x 24.</li>
<li>The fee steps up by the escalator on each anniversary; discounted first months are a fee step.
Annual run rate: the fees of the first 12 months (annualised if the term is shorter).</li>
<li>Walk-away exposure (the buyer's): notice on a month's first day ends payments after the notice
days, never after the term; each month is paid in the share of its own days before that end, on the
invoice (after SLA credits), plus the termination fee unless the notice only reaches the term's end
(expiry). Without a buyer's right to terminate, the whole remaining contract. Cost of ending =
invoices before the notice + that exposure.</li>
<li>Delivered GPU-hours = GPUs online x hours x availability. H100-equivalents weigh each GPU by its
inference throughput against the H100 SXM's 2,675 tokens/s (mostly inference) or by its dense BF16
TFLOPS against 989 (mostly training); every $/H100e figure says which.</li>
<li>SLA credits reduce fixed and per-MW-month fees; per-GPU-hour pricing already bills only delivered
hours, so it earns no credit. The token price steps down by the yearly decline on each anniversary.</li>
<li>Cost per million tokens: payments / tokens the capacity can serve at the utilization.
Break-even token price: payments / tokens served (the lower of demand and capacity).</li>
<li>NPV: each payment discounted on its actual date, (1 + r)^(-days/365), as XNPV; in advance =
first day of the period, in arrears = last day. The provider's flows of a month (with capex and, at
the end, the hardware's book value) fall on its payment date: XIRR of the exported column
provider_cash_flow_with_terminal is the provider's IRR.</li>
<li>Provider's economic profit = EBITDA - opportunity cost: the market rent (cloud rate) the capacity
would earn less its power and opex when the capex is sunk; the capex less its terminal value when
bought for the deal.</li>
<li>Lease term (indicative IFRS 16): the notice period when the buyer may terminate (B34 when both
may), the full term when it may not or is reasonably certain not to; a termination penalty is a
lease payment; 12 months or less may take the short-term exemption.</li>
<li>Power: the fleet's IT power x PUE is compared with the contracted MW at the meter.</li>
</ul>"""


class MainWindow(QMainWindow):
    def __init__(self, scenario: Scenario, parent=None):
        super().__init__(parent)
        self.binding = ScenarioBinding(scenario, self)
        self.setWindowTitle(f"{scenario.name} \u2014 {APP_NAME}")

        self.key_figures = KeyFigureStrip()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self.message.hide)

        self.tabs = QTabWidget()
        self.contract_tab = ContractTab(self.binding)
        self.hardware_tab = HardwareTab(self.binding)
        self.projections_tab = ProjectionsTab(self.binding)
        self.tabs.addTab(self.contract_tab, "Contract terms")
        self.tabs.addTab(self.hardware_tab, "Cluster hardware")
        self.economics_tab = EconomicsTab(self.binding)
        self.termination_tab = TerminationTab(self.binding)
        self.alternatives_tab = AlternativesTab(self.binding)
        self.tabs.addTab(self.projections_tab, "Projections")
        self.tabs.addTab(self.economics_tab, "Economics")
        self.tabs.addTab(self.termination_tab, "Termination")
        self.tabs.addTab(self.alternatives_tab, "Alternatives and lease")
        install_risk_tab(self)
        self.key_figures.switch.changed.connect(self.economics_tab.show_perspective)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.key_figures)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._build_menus()
        install_examples_menu(self)
        install_boardroom(self)  # File > Export..., View > Presentation mode, View > Theme

        self.binding.results_changed.connect(self.key_figures.show_results)
        self.binding.edit_refused.connect(self.show_refusal)
        self.binding.edit_accepted.connect(self._clear_refusal)
        self.key_figures.show_results(self.binding.results)
        self.resize(1560, 960)
        install_file_actions(self)  # File > New/Open/Save, Edit > Undo, scenarios, autosave

    def _build_menus(self) -> None:
        # Features add their actions to these menus (see e.g. File > Quit).
        self.file_menu = self.menuBar().addMenu("&File")
        self.edit_menu = self.menuBar().addMenu("&Edit")
        self.view_menu = self.menuBar().addMenu("&View")
        self.help_menu = self.menuBar().addMenu("&Help")
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)
        conventions = QAction("&Conventions", self)
        conventions.triggered.connect(
            lambda: QMessageBox.information(self, "Conventions", CONVENTIONS))
        self.help_menu.addAction(conventions)
        for menu in (self.edit_menu, self.view_menu):
            menu.menuAction().setVisible(False)  # shown once a feature fills them

    def show_tab(self, key: str) -> None:
        """Show a tab by key (see TAB_KEYS)."""
        self.tabs.setCurrentWidget(getattr(self, f"{key}_tab"))

    def show_refusal(self, _field: str, message: str) -> None:
        self.message.setText(f"Not applied: {message}")
        self.message.show()
        self.statusBar().showMessage(message, MESSAGE_MS)
        self._message_timer.start(MESSAGE_MS)

    def _clear_refusal(self, _field: str) -> None:
        self.message.hide()
