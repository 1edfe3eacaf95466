"""Sensitivity of one output to each input: the tornado.

Inputs are the numeric fields of the scenario's sections, found from their
`quantity()` metadata, and outputs are the numeric fields of KeyFigures, so
fields added to either appear here without a change.  Each input is moved
to a low and a high value (by default -20% / +20% of its base value, clipped
to its allowed range) with every other input at its base, and the output is
recomputed.  Rows are sorted by swing, the absolute difference between the
output at the high and at the low value.

The tornado follows every edit, so it is batched: for an output the path
engine computes (core/path_engine.py's PATH_OUTPUTS, the buyer's and the
provider's main figures) every moved case of an input the path engine reads
is one row of a single `run_paths` call (2 x inputs rows at most).
A case whose moved value equals the base needs no run (its output is the
base's), an input none of those figures reads (UNREAD_INPUTS) leaves them at
the base, and everything else (other outputs, a scenario the
path engine does not model, such as one with a deposit) is recomputed with
`core.engine.compute` case by case.  Either way the figures equal per-case
`compute` to 1e-9 (tests/core/test_risk.py).
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from core import figures
from core.engine import KeyFigures, compute
from core.parameters import Credit, ParameterError, Scenario
from core.path_engine import (PATH_INPUTS, PATH_OUTPUTS, PathEngineMismatch, check_matches_engine,
                              run_paths)

DEFAULT_LOW_PCT = -20.0
DEFAULT_HIGH_PCT = 20.0

# Inputs that none of the path engine's figures (PATH_OUTPUTS) read: the
# cost-of-ending notice month, the lease's borrowing rate and significant-penalty
# threshold, and the deposit.  The
# deposit is here because the path engine refuses any scenario with one (the
# tornado then recomputes every case), so with a batched run it is zero.
# tests/core/test_risk.py holds this list to `compute`.
UNREAD_INPUTS = frozenset({
    "contract.prepayment_months", "contract.termination_notice_month",
    "contract.incremental_borrowing_rate_pct", "contract.lease_significant_penalty_pct",
    # The market's replacement terms and its stochastic model value the rights to
    # walk (core/rights.py), apart from the key figures.
    "market.buyer_replacement_premium_pct", "market.buyer_replacement_lead_months",
    "market.provider_relet_discount_pct", "market.provider_relet_lead_months",
    "market.provider_own_use_value_per_gpu_hour", "market.rent_vol_pct",
    "market.rent_mean_reversion_per_year", "market.model_rent_correlation_pct",
    "market.token_price_vol_pct", "market.token_market_correlation_pct",
}) | frozenset(
    # Counterparty credit (core/credit.py) is computed apart from the key figures
    # (Results.credit).
    f"credit.{f.name}" for f in dataclasses.fields(Credit) if f.metadata.get("kind") == "number")


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
    """The numeric key figures, in declaration order, then the credit figures
    (core.figures.CREDIT_FIGURES: expected losses, credit-adjusted NPVs)."""
    return tuple(f.name for f in dataclasses.fields(KeyFigures)
                 if f.type in ("float", "int", float, int)) + tuple(figures.CREDIT_FIGURES)


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

    @cached_property
    def swing(self) -> float:
        # Worked out once a row: the views, the notes and the default inputs
        # ask each row of every tornado again at every edit (120 times an edit).
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


def _figure(results, output: str) -> float:
    value = figures.result_value(results, output)
    return float(value) if value is not None else math.nan


def _output_of(scenario: Scenario, output: str) -> float:
    return _figure(compute(scenario), output)


def _batched(scenario: Scenario, output: str, base_results) -> bool:
    """Whether the path engine can stand in for `compute` on this output here."""
    if output not in PATH_OUTPUTS:
        return False
    try:
        check_matches_engine(scenario, results=base_results)
    except PathEngineMismatch:
        return False
    return True


def tornado(scenario: Scenario, output: str,
            moves: dict[str, tuple[float, float]] | None = None,
            inputs: tuple[InputRef, ...] | None = None) -> Tornado:
    """The output with each input at its low and its high value.

    `moves` maps an input's key ("contract.monthly_fee") to its (low %, high %)
    change; inputs not in it move by the defaults."""
    if output not in output_names():
        raise KeyError(f"{output} is not a numeric key figure")
    moves = moves or {}
    base_results = compute(scenario)
    base_output = _figure(base_results, output)
    batched = _batched(scenario, output, base_results)
    cases, refused = [], []
    outcomes: dict[tuple[int, int], float] = {}
    batch: list[tuple[int, int, str, float]] = []     # (row, 0 low / 1 high, input key, value)
    for row, ref in enumerate(inputs if inputs is not None else numeric_inputs(scenario)):
        base = ref.value_in(scenario)
        low_pct, high_pct = moves.get(ref.key, (DEFAULT_LOW_PCT, DEFAULT_HIGH_PCT))
        low, high = moved_values(ref, base, low_pct, high_pct)
        cases.append((ref, base, low, high))
        for side, value in enumerate((low, high)):
            if value == base:
                outcomes[row, side] = base_output       # the base scenario, already computed
                continue
            try:
                moved = scenario.with_changes(ref.section, **{ref.name: value})
            except ParameterError as error:
                # A move another rule forbids (a cross-field check): no bar.
                refused.append(f"{ref.label}: {error}")
                outcomes[row, side] = math.nan
                continue
            if batched and ref.key in PATH_INPUTS:
                batch.append((row, side, ref.key, value))
            elif batched and ref.key in UNREAD_INPUTS:
                outcomes[row, side] = base_output
            else:
                outcomes[row, side] = _output_of(moved, output)
    if batch:
        # One run: row r moves one input, every other input keeps the scenario's value.
        values = {}
        for key in {key for _, _, key, _ in batch}:
            section, name = key.split(".")
            values[key] = np.full(len(batch), float(getattr(getattr(scenario, section), name)))
        for index, (_, _, key, value) in enumerate(batch):
            values[key][index] = value
        figures = run_paths(scenario, values, outputs=(output,)).figures[output]
        for index, (row, side, _, _) in enumerate(batch):
            outcomes[row, side] = float(figures[index])
    rows = [TornadoRow(ref, base, low, high, outcomes[row, 0], outcomes[row, 1])
            for row, (ref, base, low, high) in enumerate(cases)]
    rows.sort(key=lambda r: r.swing, reverse=True)
    return Tornado(output, base_output, tuple(rows), tuple(refused))
