"""Named cases: base, upside and downside, each a set of input changes with
the weight the user gives it (core.parameters.Case, stored in the scenario
file), their figures side by side and the probability-weighted figure.

The weighted figure is sum(weight x figure) / sum(weights) over the cases;
it is n/a when the weights sum to zero or the figure is n/a in a weighted
case.  `default_cases` makes a first set from the side's tornado: the three
inputs that move its figure most, at their -20% / +20% ends.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Callable, Sequence

from core import figures
from core.engine import Results, compute
from core.parameters import Case, CaseChange, ParameterError, Scenario
from core.risk import tornado

CASES_SHOWN = 3       # inputs each made case moves (the tornado's largest swings)
# The figures the cases are shown with, for each side (the pack's and the Risk tab's table).
CASE_FIGURES = {
    "both": ("total_contract_value", "buyer_npv", "provider_npv"),
    "buyer": ("total_contract_value", "buyer_npv", "npv_payments", "walkaway_exposure"),
    "provider": ("total_contract_value", "provider_npv", "provider_ebitda"),
}


def case_scenario(scenario: Scenario, case: Case) -> Scenario:
    """The scenario with the case's inputs at the case's values (its name
    carries the case's); ParameterError when a rule refuses the combination."""
    changed = dataclasses.replace(scenario, cases=())
    for change in case.changes:
        section, _dot, name = change.input.partition(".")
        value = change.value
        if isinstance(getattr(getattr(changed, section), name), int):
            value = int(round(value))
        changed = changed.with_changes(section, **{name: value})
    return dataclasses.replace(changed, name=f"{scenario.name}: {case.name}")


@dataclass(frozen=True)
class CaseTable:
    """Figures by case: `values[key][i]` is the figure in case i."""
    names: tuple[str, ...]
    weights: tuple[float, ...]          # percent, as the user set them
    keys: tuple[str, ...]
    values: dict[str, tuple[float, ...]]
    weighted: dict[str, float]          # NaN: n/a

    def rows(self) -> list[tuple[str, ...]]:
        """(label, each case's figure, the weighted figure), formatted as declared."""
        return [(figures.label(key),
                 *(figures.format_value(key, v) for v in self.values[key]),
                 figures.format_value(key, self.weighted[key])) for key in self.keys]


def _number(value) -> float:
    return math.nan if value is None else float(value)


def weighted_figure(values: Sequence[float], weights: Sequence[float]) -> float:
    """sum(w x v) / sum(w); NaN when the weights sum to zero or a weighted value is n/a."""
    total = float(sum(weights))
    if total <= 0:
        return math.nan
    if any(w > 0 and not math.isfinite(v) for v, w in zip(values, weights)):
        return math.nan
    return sum(w * v for v, w in zip(values, weights) if w > 0) / total


def case_table(scenario: Scenario, keys: Sequence[str],
               results_of: Callable[[Scenario], Results] = compute) -> CaseTable:
    """Each key figure in each of the scenario's cases, and weighted."""
    cases = scenario.cases
    computed = [results_of(case_scenario(scenario, case)).key_figures for case in cases]
    weights = tuple(case.weight_pct for case in cases)
    values = {key: tuple(_number(getattr(k, key)) for k in computed) for key in keys}
    return CaseTable(tuple(c.name for c in cases), weights, tuple(keys), values,
                     {key: weighted_figure(values[key], weights) for key in keys})


def default_cases(scenario: Scenario, output: str) -> tuple[Case, ...]:
    """Base (the scenario as it is, 50%), upside and downside (25% each): the
    CASES_SHOWN inputs that move `output` most, each at the end of its
    -20% / +20% move that raises it (upside) or lowers it (downside)."""
    swing = tornado(scenario, output)
    rows = [row for row in swing.rows if row.swing > 0][:CASES_SHOWN]
    up, down = [], []
    for row in rows:
        better_high = row.high_output >= row.low_output
        high, low = CaseChange(row.input.key, float(row.high_input)), \
            CaseChange(row.input.key, float(row.low_input))
        up.append(high if better_high else low)
        down.append(low if better_high else high)
    return (Case("Base", 50.0, ()), Case("Upside", 25.0, tuple(up)),
            Case("Downside", 25.0, tuple(down)))


def describe(case: Case) -> str:
    """"monthly fee $1B, term 29 months" (the scenario's values: "as the scenario")."""
    from core.solve import numeric_input
    from core.summary import input_value_text
    if not case.changes:
        return "as the scenario"
    parts = []
    for change in case.changes:
        try:
            declared = numeric_input(change.input)
        except (KeyError, ValueError):
            parts.append(f"{change.input} {change.value:g}")
            continue
        label = declared.label
        label = label if label.split(" ")[0].isupper() else label[0].lower() + label[1:]
        parts.append(f"{label} {input_value_text(declared, change.value)}")
    return ", ".join(parts)


__all__ = ["CASE_FIGURES", "Case", "CaseChange", "CaseTable", "ParameterError", "case_scenario", "case_table",
           "default_cases", "describe", "weighted_figure"]
