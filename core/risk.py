"""Sensitivity of one output to each input: the tornado.

Inputs are the numeric fields of the scenario's sections, found from their
`quantity()` metadata, and outputs are the numeric fields of KeyFigures, so
fields added to either appear here without a change.  Each input is moved
to a low and a high value (by default -20% / +20% of its base value, clipped
to its allowed range) with every other input at its base, and the output is
recomputed with `core.engine.compute`.  Rows are sorted by swing, the
absolute difference between the output at the high and at the low value.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from core import figures
from core.engine import KeyFigures, compute
from core.parameters import ParameterError, Scenario

DEFAULT_LOW_PCT = -20.0
DEFAULT_HIGH_PCT = 20.0


@dataclass(frozen=True)
class InputRef:
    """One numeric input: a field of a scenario section."""
    section: str
    name: str
    label: str
    unit: str
    minimum: float | None
    maximum: float | None
    whole: bool          # an int field (months, days): moved values are rounded

    @property
    def key(self) -> str:
        return f"{self.section}.{self.name}"

    def value_in(self, scenario: Scenario):
        return getattr(getattr(scenario, self.section), self.name)

    def clip(self, value: float) -> float:
        """`value` brought inside the field's range (and to a whole number)."""
        if self.minimum is not None:
            value = max(value, self.minimum)
        if self.maximum is not None:
            value = min(value, self.maximum)
        return int(round(value)) if self.whole else float(value)


def numeric_inputs(scenario: Scenario) -> tuple[InputRef, ...]:
    """Every numeric field of every section, in declaration order."""
    refs = []
    for section in Scenario.SECTIONS:
        for f in dataclasses.fields(getattr(scenario, section)):
            meta = f.metadata
            if meta.get("kind") != "number":
                continue
            refs.append(InputRef(section, f.name, meta["label"], meta.get("unit", ""),
                                 meta.get("minimum"), meta.get("maximum"),
                                 f.type in ("int", int)))
    return tuple(refs)


def output_names() -> tuple[str, ...]:
    """The numeric key figures, in declaration order."""
    return tuple(f.name for f in dataclasses.fields(KeyFigures)
                 if f.type in ("float", "int", float, int))


def output_label(name: str) -> str:
    """The output's label, as core.figures declares it."""
    return figures.label(name)


def output_is_money(name: str) -> bool:
    """Dollars (an amount or a price) rather than a count, power or rate of return."""
    return figures.output(name).fmt in ("money", "money_rate")


def format_output(name: str, value: float | None) -> str:
    """An output's value as every view shows it (core.figures)."""
    return figures.format_value(name, value)


@dataclass(frozen=True)
class TornadoRow:
    input: InputRef
    base_input: float
    low_input: float
    high_input: float
    low_output: float      # the output with the input at its low value
    high_output: float

    @property
    def swing(self) -> float:
        if not (math.isfinite(self.low_output) and math.isfinite(self.high_output)):
            return 0.0
        return abs(self.high_output - self.low_output)


@dataclass(frozen=True)
class Tornado:
    output: str
    base_output: float
    rows: tuple[TornadoRow, ...]   # largest swing first
    refused: tuple[str, ...]       # messages for moves the model refused


def moved_values(ref: InputRef, base: float, low_pct: float, high_pct: float) -> tuple[float, float]:
    """The low and high values of an input moved by percentages of its base."""
    return (ref.clip(base * (1.0 + low_pct / 100.0)), ref.clip(base * (1.0 + high_pct / 100.0)))


def _output_of(scenario: Scenario, output: str) -> float:
    value = getattr(compute(scenario).key_figures, output)
    return float(value) if value is not None else math.nan


def tornado(scenario: Scenario, output: str,
            moves: dict[str, tuple[float, float]] | None = None,
            inputs: tuple[InputRef, ...] | None = None) -> Tornado:
    """The output with each input at its low and its high value.

    `moves` maps an input's key ("contract.monthly_fee") to its (low %, high %)
    change; inputs not in it move by the defaults."""
    if output not in output_names():
        raise KeyError(f"{output} is not a numeric key figure")
    moves = moves or {}
    rows, refused = [], []
    for ref in inputs if inputs is not None else numeric_inputs(scenario):
        base = ref.value_in(scenario)
        low_pct, high_pct = moves.get(ref.key, (DEFAULT_LOW_PCT, DEFAULT_HIGH_PCT))
        low, high = moved_values(ref, base, low_pct, high_pct)
        outcomes = []
        for value in (low, high):
            try:
                outcomes.append(_output_of(scenario.with_changes(ref.section, **{ref.name: value}),
                                           output))
            except ParameterError as error:
                # A move another rule forbids (a cross-field check): no bar.
                refused.append(f"{ref.label}: {error}")
                outcomes.append(math.nan)
        rows.append(TornadoRow(ref, base, low, high, outcomes[0], outcomes[1]))
    rows.sort(key=lambda row: row.swing, reverse=True)
    return Tornado(output, _output_of(scenario, output), tuple(rows), tuple(refused))
