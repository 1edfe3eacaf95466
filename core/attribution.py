"""What differs between two scenarios, and how much each difference moves a figure.

`changed_inputs(base, other)` lists the inputs whose values differ (numbers,
choices, dates, texts, and the GPU model and tranche lists as wholes), in the
order the scenario declares them: contract, hardware, projections, each in
its fields' order.

`waterfall(base, other, figure)` attributes the change in one key figure to
those inputs, one at a time in that stated order: each step is the figure
with that one input changed from the base and every other input as in the
base, less the base figure.  Changed together, the inputs do not in general
add up (a higher fee and a longer term move the contract value by more than
each alone), so the rest is shown as the interaction term:

    total = figure(other) - figure(base) = sum(steps) + interaction

and `interaction` is chosen so that adding the steps in order, then the
interaction, gives the total exactly in floating point.  An input that cannot
be changed alone (a tranche on a GPU model only the other scenario defines)
or whose change alone leaves the figure undefined has no step of its own: its
effect is in the interaction, and `not_alone` names it.

Plain Python + numpy; no Qt.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from core.engine import compute
from core.formatting import format_money, format_quantity
from core.parameters import ParameterError, Scenario, field_meta
from core.solve import SolveError, check_figure, figure_value

# The hardware lists compared as wholes: (field, label).
_LISTS = {"gpu_models": "GPU models", "tranches": "Capacity tranches"}


@dataclass(frozen=True)
class InputDifference:
    key: str          # SECTION.FIELD
    label: str
    unit: str
    old: object       # the base scenario's value
    new: object       # the other scenario's

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def field(self) -> str:
        return self.key.split(".", 1)[1]

    def old_text(self) -> str:
        return _value_text(self.old, self.unit)

    def new_text(self) -> str:
        return _value_text(self.new, self.unit)


def _value_text(value, unit: str) -> str:
    """A value as shown in the list of differences: plain text."""
    if isinstance(value, tuple):
        if value and all(hasattr(v, "month") for v in value):
            return _plan_text(value)
        names = ", ".join(getattr(v, "name", str(v)) for v in value)
        return f"{len(value)}: {names}" if value else "none"
    if isinstance(value, float) or isinstance(value, int) and not isinstance(value, bool):
        number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.6g}"
        if unit == "$":
            return f"${number}"
        return f"{number} {unit}".rstrip()
    return str(value)


def _plan_text(plan: tuple) -> str:
    """A monthly plan (invoice or demand) in a line: its months and its total,
    e.g. "3 months (1-3), total $3.30B"."""
    value_field = next(f for f in dataclasses.fields(plan[0]) if f.name != "month")
    meta = field_meta(plan[0], value_field.name)
    total = sum(getattr(p, value_field.name) for p in plan)
    months = sorted(p.month for p in plan)
    span = f"{months[0]}" if len(months) == 1 else f"{months[0]}\u2013{months[-1]}"
    total_text = (format_money(total) if meta["unit"] == "$"
                  else f"{format_quantity(total)} {meta['unit']}".rstrip())
    return f"{len(plan)} month{'s' if len(plan) != 1 else ''} ({span}), total {total_text}"


def changed_inputs(base: Scenario, other: Scenario) -> tuple[InputDifference, ...]:
    """The inputs whose values differ, in declaration order (the scenario's name is not an input)."""
    out = []
    for section in Scenario.SECTIONS:
        a, b = getattr(base, section), getattr(other, section)
        for f in dataclasses.fields(a):
            old, new = getattr(a, f.name), getattr(b, f.name)
            if old == new:
                continue
            meta = f.metadata
            label = meta.get("label") or _LISTS.get(f.name, f.name.replace("_", " ").capitalize())
            out.append(InputDifference(f"{section}.{f.name}", label, meta.get("unit", ""),
                                       old, new))
    return tuple(out)


@dataclass(frozen=True)
class WaterfallStep:
    change: InputDifference
    effect: float | None      # figure with this input alone changed, less the base; None: not alone
    figure_alone: float | None


@dataclass(frozen=True)
class Waterfall:
    figure: str
    base_name: str
    other_name: str
    base_value: float
    other_value: float
    total: float              # other_value - base_value
    steps: tuple[WaterfallStep, ...]
    interaction: float        # total - the steps, added in order
    not_alone: tuple[str, ...]  # inputs whose effect is only in the interaction

    def bars(self) -> list[tuple[str, float, float]]:
        """(label, start, end) for each bar after the base: the steps in
        order, then the interaction, ending at the other scenario's value."""
        out, level = [], self.base_value
        for step in self.steps:
            if step.effect is None:
                continue
            out.append((step.change.label, level, level + step.effect))
            level += step.effect
        out.append(("Interaction", level, level + self.interaction))
        return out


def waterfall(base: Scenario, other: Scenario, figure: str) -> Waterfall:
    """Attribute other - base in `figure` to each changed input (see the module's docstring)."""
    check_figure(figure)
    base_value = figure_value(compute(base), figure)
    other_value = figure_value(compute(other), figure)
    if not (math.isfinite(base_value) and math.isfinite(other_value)):
        which = base.name if not math.isfinite(base_value) else other.name
        raise SolveError(f"{figure} is undefined in scenario {which!r}: nothing to attribute")
    total = other_value - base_value
    steps, not_alone = [], []
    for change in changed_inputs(base, other):
        try:
            alone = base.with_changes(change.section, **{change.field: change.new})
            value = figure_value(compute(alone), figure)
        except (ParameterError, KeyError, ValueError):
            value = math.nan
        if math.isfinite(value):
            steps.append(WaterfallStep(change, value - base_value, value))
        else:
            steps.append(WaterfallStep(change, None, None))
            not_alone.append(change.key)
    running = 0.0
    for step in steps:
        if step.effect is not None:
            running += step.effect
    interaction = _closing_term(running, total)
    return Waterfall(figure, base.name, other.name, base_value, other_value, total,
                     tuple(steps), interaction, tuple(not_alone))


def _closing_term(running: float, total: float) -> float:
    """The float x nearest total - running for which running + x == total in
    floating point (exact subtraction can miss by an ulp after rounding)."""
    x = total - running
    for _ in range(64):
        got = running + x
        if got == total:
            return float(x)
        x = np.nextafter(x, math.inf if got < total else -math.inf)
    return float(total - running)   # unreachable in practice; the nearest there is
