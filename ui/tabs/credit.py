"""Counterparty credit: each party's credit with presets (label, date and
source shown), an optional guarantor, the wrong-way correlations; what each
side would lose if the other defaulted, month by month; the expected credit
losses and the credit-adjusted NPVs (core/credit.py computes them all)."""
from __future__ import annotations


from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGroupBox, QLabel, QSplitter, QVBoxLayout

from core import credit
from ui.app.binding import ScenarioBinding
from ui.app.build_steps import BuiltInSteps
from ui.app.lazy_updates import update_when_visible
from ui.plots.common import PanelSpec, Series, monthly_series
from ui.plots.panels_in_steps import PanelsInSteps
from ui.widgets.figure_list import FigureList
from ui.widgets.form_panel import FormPanel

CHOOSE = "Apply a preset\u2026"
SIDES = (("provider", "Provider's credit (what the buyer is exposed to)"),
         ("buyer", "Buyer's credit (what the provider is exposed to)"))
PARTY_FIELDS = ("name", "basis", "spread_bp", "recovery_pct", "annual_default_pct", "rating",
                "label", "as_of", "source", "guarantor_name", "guaranteed_pct",
                "guarantor_spread_bp", "guarantor_recovery_pct")
CREDIT_FIGURES = ("provider_default_probability", "buyer_default_probability",
                  "buyer_peak_credit_exposure", "provider_peak_credit_exposure",
                  "buyer_expected_credit_loss", "provider_expected_credit_loss",
                  "buyer_npv", "credit_adjusted_buyer_npv",
                  "provider_npv", "credit_adjusted_provider_npv")
FORMULA = ("Expected loss (CVA) = (1 - R) x \u03a3 over months of exposure(t) x discount "
           "factor(t) x [S(t-1) - S(t)], survival S(t) = exp(-h t), hazard h = spread / "
           "(1 - R), or -ln(1 - p) from an annual probability or a rating's generic rate. A "
           "guaranteed share takes the guarantor's hazard and recovery.")

SPECS = (
    PanelSpec("What a default in the month would cost the other side", "$", (
        Series("buyer_credit_exposure", "blue", "step",
               legend="Buyer's loss if the provider defaults"),
        Series("provider_credit_exposure", "orange", "step",
               legend="Provider's loss if the buyer defaults"),
    ), headroom=0.35),
    PanelSpec("Expected credit loss by month (loss x chance of default, discounted)", "$", (
        Series("buyer_expected_credit_loss_by_month", "blue", "step", legend="Buyer's"),
        Series("provider_expected_credit_loss_by_month", "orange", "step",
               legend="Provider's"),
    ), headroom=0.35),
)


class CreditPlots(PanelsInSteps):
    """Each side's exposure profile and expected loss, month by month."""

    def _build(self):
        yield from self.panels_in_steps(SPECS)


def credit_source(results):
    """What the plots read: the credit series over the schedule's months."""
    return monthly_series(results, results.credit_by_month)


class CreditTab(BuiltInSteps, QSplitter):
    def __init__(self, binding: ScenarioBinding, parent=None, *, later: bool = False):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.start_build(self._build(binding), later)   # ui/app/build_steps.py

    def _build(self, binding: ScenarioBinding):
        self.binding = binding
        self.form = FormPanel(binding)
        self.figures = FigureList("Credit-adjusted", list(CREDIT_FIGURES))
        self.form.add_widget(self.figures)
        formula = QLabel(FORMULA)
        formula.setWordWrap(True)
        formula.setTextFormat(Qt.TextFormat.PlainText)
        self.form.add_widget(formula)
        self.presets: dict[str, QComboBox] = {}
        self.sources: dict[str, QLabel] = {}
        for side, title in SIDES:
            yield       # a step each side
            box = QGroupBox(title)
            layout = QVBoxLayout(box)
            chooser = QComboBox()
            chooser.addItems([CHOOSE, *credit.PRESETS])
            chooser.setToolTip("Fill this side's credit from a preset (MARKET.md \u00a73); "
                               "every field stays editable.")
            chooser.activated.connect(lambda _i, s=side: self.apply_preset(s))
            source = QLabel()
            source.setWordWrap(True)
            source.setTextFormat(Qt.TextFormat.PlainText)   # sources are typed by users
            layout.addWidget(chooser)
            layout.addWidget(source)
            self.presets[side], self.sources[side] = chooser, source
            self.form.add_widget(box)
            self.form.add_group(f"{side.capitalize()}: credit and guarantor", "credit",
                                [f"{side}_{name}" for name in PARTY_FIELDS])
        yield
        self.form.add_group("Wrong-way risk (simulated market)", "credit",
                            ["provider_wrong_way_pct", "buyer_wrong_way_pct"])
        self.form.finish()
        yield
        self.plots = CreditPlots(later=True)
        yield from self.plots.steps_left()
        self.addWidget(self.form)
        self.addWidget(self.plots)
        self.setStretchFactor(1, 1)
        self.setSizes([500, 1100])
        yield
        update_when_visible(binding, self, self.show_results)
        self.show_results(binding.results)

    def apply_preset(self, side: str) -> None:
        chooser = self.presets[side]
        name = chooser.currentText()
        chooser.setCurrentIndex(0)
        if name not in credit.PRESETS:
            return
        changed = self.binding.scenario.credit.with_party(side, credit.PRESETS[name])
        fields = {f"{side}_{n}": getattr(changed, f"{side}_{n}") for n in PARTY_FIELDS}
        self.binding.set_values("credit", **fields)

    def show_results(self, results) -> None:
        self.plots.show_results(credit_source(results))
        self.figures.show_results(results)
        for side, _title in SIDES:
            self.sources[side].setText(credit.describe(results.scenario.credit.party(side)))
