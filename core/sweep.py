"""Two-way tables: one key figure over a grid of two inputs.

"Buyer's NPV over monthly fee x utilization": each input gets a range and a
number of steps; every cell is the figure with those two inputs set and the
rest of the scenario as it stands.  The whole grid is one batched call
through the vectorised engine (core/path_engine.py, one path per cell) where
it models the figure and both inputs and agrees with `compute` on the
scenario; otherwise each cell is `compute()`d in turn, and the grid says so
(`cell_by_cell_because`).  The grid also carries where the scenario's own
values lie (the base case) and where the figure crosses a threshold (NPV = 0):
the cells on either side of the crossing and the crossing points along the
grid's edges, interpolated linearly.

Rows are the second input (y), columns the first (x): values[i, j] is the
figure at y[i], x[j].  Plain Python + numpy; no Qt.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.parameters import Scenario
from core import figures
from core.solve import FIGURES as SOLVE_FIGURES
from core.solve import (SolveError, check_figure, evaluate, figure_value, numeric_input,
                        results_for)

MAX_STEPS = 201
DEFAULT_STEPS = 25
# A grid computed cell by cell may take about this long; a larger one is refused
# (two_way's `max_cell_by_cell_s`), said in one line with the size that fits.
# A grid of the default size (25 x 25, about 0.6 s) is never refused.
CELL_BY_CELL_SECONDS = 1.5


@dataclass(frozen=True)
class Axis:
    """One input of the grid: its SECTION.FIELD and an inclusive range in steps."""
    input: str
    start: float
    stop: float
    steps: int = DEFAULT_STEPS

    def values(self) -> np.ndarray:
        spec = numeric_input(self.input)
        if not 2 <= int(self.steps) <= MAX_STEPS:
            raise SolveError(f"{spec.label} ({self.input}): steps must be between 2 and "
                             f"{MAX_STEPS}, got {self.steps}")
        lo, hi = min(self.start, self.stop), max(self.start, self.stop)
        if not (math.isfinite(lo) and math.isfinite(hi)) or lo == hi:
            raise SolveError(f"{spec.label} ({self.input}): the range {self.start:,g} to "
                             f"{self.stop:,g} is empty")
        if (spec.minimum is not None and lo < spec.minimum) or \
                (spec.maximum is not None and hi > spec.maximum):
            raise SolveError(f"{spec.label} ({self.input}) can only vary between "
                             f"{spec.minimum:,g} and {spec.maximum:,g}")
        out = np.linspace(self.start, self.stop, int(self.steps))
        return np.round(out) if spec.whole else out


def default_axis(scenario: Scenario, key: str, steps: int = DEFAULT_STEPS) -> Axis:
    """A range around the input's current value: half to one and a half times
    it, within the input's limits (its whole range when it is zero)."""
    spec = numeric_input(key)
    current = spec.current(scenario)
    lo_limit = spec.minimum if spec.minimum is not None else -abs(current) - 1.0
    hi_limit = spec.maximum if spec.maximum is not None else abs(current) + 1.0
    if current == 0:
        lo, hi = lo_limit, hi_limit
    else:
        lo, hi = sorted((current * 0.5, current * 1.5))
        lo, hi = max(lo, lo_limit), min(hi, hi_limit)
    if lo == hi:
        lo, hi = lo_limit, hi_limit
    if spec.whole:
        # Evenly spaced whole values: a whole step, as many steps as fit.
        lo, hi = math.ceil(lo), math.floor(hi)
        step = max(1, math.ceil((hi - lo) / (steps - 1)))
        steps = max(2, (hi - lo) // step + 1)
        hi = lo + step * (steps - 1)
    return Axis(key, float(lo), float(hi), int(steps))


@dataclass(frozen=True)
class TwoWayGrid:
    figure: str
    x_input: str
    y_input: str
    x: np.ndarray                     # (columns,)
    y: np.ndarray                     # (rows,)
    values: np.ndarray                # (rows, columns): figure at y[i], x[j]; NaN undefined
    base_x: float                     # the scenario's own values of the two inputs
    base_y: float
    base_figure: float
    base_cell: tuple[int, int]        # (row, column) nearest the base case
    base_inside: bool                 # the base case lies within both ranges
    threshold: float | None
    crossing: np.ndarray              # (rows, columns) bool: the figure crosses the threshold here
    contour: np.ndarray               # (points, 2): (x, y) where it crosses, along the grid's edges
    cell_by_cell_because: str | None  # None: the whole grid in one batched call

    @property
    def batched(self) -> bool:
        return self.cell_by_cell_because is None

    def same_cells(self, other: "TwoWayGrid | None") -> bool:
        """True when `other` has the same figure, axes, threshold and cell
        values (NaN where this has NaN): only the base case may differ.  An
        edit of one of the grid's own inputs changes no cell (each cell sets
        that input itself), so a view needs to move only its base marker."""
        return (other is not None and other.figure == self.figure
                and other.x_input == self.x_input and other.y_input == self.y_input
                and other.threshold == self.threshold
                and other.cell_by_cell_because == self.cell_by_cell_because
                and np.array_equal(other.x, self.x) and np.array_equal(other.y, self.y)
                and np.array_equal(other.values, self.values, equal_nan=True))


# The figures a two-way table may show: the key figures (the workbook writes
# the table as formulas over its Key figures sheet, which the credit figures
# are not on).
FIGURES: tuple[str, ...] = tuple(f for f in figures.KEY_FIGURES if f in SOLVE_FIGURES)


def two_way(scenario: Scenario, figure: str, x: Axis, y: Axis,
            threshold: float | None = None, results=None,
            max_cell_by_cell_s: float | None = None) -> TwoWayGrid:
    """The figure over the grid of x's values (columns) by y's (rows).
    `results`: compute(scenario) when the caller has it (the app's live grid
    does), so the vectorised engine's check against it needs no second compute.
    `max_cell_by_cell_s`: a grid that must be computed cell by cell and would
    take longer (estimated: cells x one compute) is refused (SolveError)."""
    check_figure(figure)
    if figure not in FIGURES:
        raise SolveError(f"a two-way table shows a key figure, not {figure!r}")
    if x.input == y.input:
        raise SolveError(f"the two inputs of a two-way table must differ; both are {x.input}")
    xs, ys = x.values(), y.values()
    results = results_for(scenario, results)     # once: the check and the base case use it
    grid_x, grid_y = np.meshgrid(xs, ys)       # (rows, columns)
    if grid_x.size <= DEFAULT_STEPS * DEFAULT_STEPS:
        max_cell_by_cell_s = None
    flat, why = evaluate(scenario, figure, {x.input: grid_x.ravel(), y.input: grid_y.ravel()},
                         results, max_seconds=max_cell_by_cell_s)
    values = flat.reshape(grid_x.shape)

    base_x = numeric_input(x.input).current(scenario)
    base_y = numeric_input(y.input).current(scenario)
    base_cell = (int(np.argmin(np.abs(ys - base_y))), int(np.argmin(np.abs(xs - base_x))))
    inside = bool(xs.min() <= base_x <= xs.max() and ys.min() <= base_y <= ys.max())
    if threshold is None:
        crossing, contour = np.zeros(values.shape, dtype=bool), np.zeros((0, 2))
    else:
        crossing, contour = _crossings(xs, ys, values, float(threshold))
    base_figure = figure_value(results, figure)
    return TwoWayGrid(figure, x.input, y.input, xs, ys, values, base_x, base_y,
                      base_figure, base_cell, inside,
                      None if threshold is None else float(threshold), crossing, contour, why)


def _crossings(xs: np.ndarray, ys: np.ndarray, values: np.ndarray, threshold: float):
    """Cells with a neighbour on the other side of the threshold (at or above
    it vs below), and the crossing points on the edges between them."""
    finite = np.isfinite(values)
    above = values >= threshold
    crossing = np.zeros(values.shape, dtype=bool)
    points = []
    # Along rows (x varies), then along columns (y varies).
    for axis in (1, 0):
        lo_parts, hi_parts = [slice(None)] * 2, [slice(None)] * 2
        lo_parts[axis], hi_parts[axis] = slice(None, -1), slice(1, None)
        lo, hi = tuple(lo_parts), tuple(hi_parts)
        edge = finite[lo] & finite[hi] & (above[lo] != above[hi])
        crossing[lo] |= edge
        crossing[hi] |= edge
        rows, cols = np.nonzero(edge)
        v0, v1 = values[lo][edge], values[hi][edge]
        t = (threshold - v0) / (v1 - v0)
        if axis == 1:
            px = xs[cols] + t * (xs[cols + 1] - xs[cols])
            py = ys[rows]
        else:
            px = xs[cols]
            py = ys[rows] + t * (ys[rows + 1] - ys[rows])
        points.append(np.column_stack((px, py)))
    return crossing, np.concatenate(points) if points else np.zeros((0, 2))


# The two-way table the board pack and the workbook carry when the user has
# not set one up: the sweep tab's own default (the buyer's NPV over the monthly
# fee x utilization, each half to one and a half times its value, NPV = 0).
DEFAULT_FIGURE = "buyer_npv"
DEFAULT_X = "contract.monthly_fee"
DEFAULT_Y = "hardware.utilization_pct"


@dataclass(frozen=True)
class SweepSpec:
    """What a two-way table shows: the figure, its two axes and the threshold
    of the contour (None: no contour).  Qt-free, so that the sweep tab's
    settings can reach the exports."""
    figure: str
    x: Axis
    y: Axis
    threshold: float | None = 0.0

    def grid(self, scenario: Scenario) -> TwoWayGrid:
        return two_way(scenario, self.figure, self.x, self.y, self.threshold)

    def with_steps_at_most(self, steps: int) -> "SweepSpec":
        """The same ranges with at most `steps` values each way."""
        return SweepSpec(self.figure, Axis(self.x.input, self.x.start, self.x.stop,
                                           min(int(self.x.steps), steps)),
                         Axis(self.y.input, self.y.start, self.y.stop,
                              min(int(self.y.steps), steps)), self.threshold)


# The provider's figures do not read utilization (the buyer's use of the
# capacity); availability moves both its SLA credits and its costs' hours.
DEFAULT_PROVIDER_Y = "hardware.availability_pct"


def default_y(figure: str) -> str:
    """The default table's second input for `figure`: availability for a
    provider's figure, utilization otherwise."""
    from core.figures import output
    return DEFAULT_PROVIDER_Y if output(figure).side == "provider" else DEFAULT_Y


def default_spec(scenario: Scenario, figure: str = DEFAULT_FIGURE,
                 steps: int = DEFAULT_STEPS) -> SweepSpec:
    """`figure` over the monthly fee x utilization (availability for a
    provider's figure) around the scenario's own values (default_axis), with
    the contour at zero."""
    return SweepSpec(figure, default_axis(scenario, DEFAULT_X, steps),
                     default_axis(scenario, default_y(figure), steps), 0.0)
