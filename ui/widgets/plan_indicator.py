"""Whether a monthly plan is in force, on the tab whose figures it replaces:
the contract tab for the invoice plan, the projections tab for the demand
plan (core/fees.py and core/tokens.py say what a plan replaces).

The group says which months are planned and what they add up to, opens the
import dialog for that plan, and clears it: one edit through the binding, so
Edit > Undo brings the plan back.
"""
from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from core.formatting import format_money, format_quantity
from core.importing import KIND_TITLES, PLAN_KINDS

# What each plan replaces, in the words the tab's fields use.
REPLACES = {"invoice_plan": "the computed fee (pricing, escalator, discount); SLA credits "
                            "still apply",
            "demand_plan": "the growth curve's demand"}


def _months_text(months: list[int]) -> str:
    """[1, 2, 3, 7] -> "1-3, 7": runs of months, as a reader lists them."""
    runs, start = [], None
    for i, m in enumerate(months):
        if start is None:
            start = m
        if i + 1 == len(months) or months[i + 1] != m + 1:
            runs.append(str(start) if start == m else f"{start}\u2013{m}")
            start = None
    return ", ".join(runs)


def plan_summary(kind: str, scenario) -> str:
    """One or two sentences: the plan in force, or that there is none."""
    plan = getattr(getattr(scenario, PLAN_KINDS[kind]), kind)
    title = KIND_TITLES[kind]
    if not plan:
        what = "invoice is computed" if kind == "invoice_plan" else "demand follows the growth curve"
        return f"No {title.lower()}: every month's {what}."
    term = scenario.contract.term_months
    months = sorted(e.month for e in plan)
    in_term = [e for e in plan if e.month <= term]
    if kind == "invoice_plan":
        total = format_money(sum(e.amount for e in in_term))
    else:
        total = format_quantity(sum(e.tokens for e in in_term), "tokens")
    which = "month" if len(months) == 1 else "months"
    text = (f"{title} in force: {len(months)} month(s) planned ({which} {_months_text(months)}), "
            f"{total} within the term. It replaces {REPLACES[kind]}.")
    late = len(plan) - len(in_term)
    if late:
        text += f" {late} month(s) fall after the {term}-month term and have no effect."
    return text


class PlanIndicator(QGroupBox):
    """The plan's state, with Import... and Clear."""

    def __init__(self, binding, kind: str, parent=None):
        super().__init__(KIND_TITLES[kind], parent)
        self.binding = binding
        self.kind = kind
        self.section = PLAN_KINDS[kind]
        self.setObjectName(f"{kind.replace('_', '-')}-indicator")
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.import_button = QPushButton("Import\u2026")
        self.import_button.setToolTip(f"Import the {KIND_TITLES[kind].lower()} from a CSV or "
                                      f".xlsx file or cells copied from a spreadsheet "
                                      f"(a month or date column and a value column)")
        self.import_button.clicked.connect(lambda _c=False: self.open_import())
        self.clear_button = QPushButton("Clear plan")
        self.clear_button.setToolTip("Back to the computed months (Edit > Undo restores the plan)")
        self.clear_button.clicked.connect(lambda _c=False: self.clear())
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addLayout(buttons)
        self._shown: tuple | None = None      # (plan, term) the label says
        binding.scenario_changed.connect(self.show_scenario)
        self.show_scenario(binding.scenario)

    @property
    def in_force(self) -> bool:
        return bool(getattr(getattr(self.binding.scenario, self.section), self.kind))

    def show_scenario(self, scenario) -> None:
        plan = getattr(getattr(scenario, self.section), self.kind)
        # What the summary reads: every edit anywhere reaches here, few change it.
        shown = (plan, scenario.contract.term_months)
        if shown == self._shown:
            return
        self._shown = shown
        self.label.setText(plan_summary(self.kind, scenario))
        self.clear_button.setEnabled(bool(plan))

    def clear(self) -> bool:
        """Remove the plan: one undoable edit.  Made as a whole-scenario edit,
        which never merges with the one before: a plan imported and cleared
        within a second (ui/app/undo.py merges edits of one field that close
        together) must still come back with Undo."""
        if not self.in_force:
            return False
        part = getattr(self.binding.scenario, self.section)
        self.binding.set_scenario(dataclasses.replace(
            self.binding.scenario, **{self.section: dataclasses.replace(part, **{self.kind: ()})}))
        return True

    def open_import(self):
        from ui.widgets.import_dialog import ImportDialog   # the dialog only when asked for
        dialog = ImportDialog(self.binding, self.window(), self.kind)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.import_dialog = dialog
        return dialog
