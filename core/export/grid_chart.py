"""The two-way table as the board pack draws it: a heat map as data.

The report (ui/boardroom/chart_painter.py) and the deck (core/export/deck.py)
draw the same thing from a HeatMap: one coloured cell per grid value (a
diverging map about the threshold, red below it, blue above, white at it),
the threshold's contour as line segments, the base case as a marker, and the
axes' tick labels, all in the grid's index coordinates (column j spans
j - 0.5 to j + 0.5), so a drawer only scales them into its rectangle.

The finding the section states ("Buyer NPV stays positive unless the monthly
fee rises above $1.86B or utilization falls below 38.1 %") comes from goal
seek (core.solve) along each input with the other at its base value, so the
thresholds it names are exact, not read off the grid.  Plain Python + numpy.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core import figures
from core.formatting import format_percent
from core.parameters import Scenario
from core.solve import NumericInput, SolveError, numeric_input, solve
from core.sweep import SweepSpec, TwoWayGrid

# The board pack's grid: at most this many values each way (a 201 x 201 grid
# would be 40,000 shapes on a slide); the section says when it was thinned.
PACK_STEPS = 25
# The table of numbers beside the map: at most this many values each way
# (evenly picked grid values, both ends kept).
TABLE_VALUES = 11
# Red (below the threshold), white (at it), blue (above): ColorBrewer RdBu.
DIVERGING = ("#B2182B", "#EF8A62", "#FDDBC7", "#F7F7F7", "#D1E5F0", "#67A9CF", "#2166AC")
MISSING_COLOUR = "#BDBDBD"     # a cell where the figure is undefined
CONTOUR_COLOUR = "#000000"


@dataclass(frozen=True)
class HeatMap:
    key: str
    title: str                          # "Buyer NPV over monthly fee x utilization"
    x_title: str                        # "Monthly fee ($)"
    y_title: str
    colours: tuple[tuple[str, ...], ...]   # [row][column], row 0 = the lowest y
    contour: tuple[tuple[float, float, float, float], ...]   # (x0, y0, x1, y1), index units
    base: tuple[float, float] | None    # the base case in index units; None outside the grid
    x_ticks: tuple[tuple[float, str], ...]   # (index, text)
    y_ticks: tuple[tuple[float, str], ...]
    legend: tuple[tuple[str, str], ...]      # (colour, text), low to high
    contour_text: str                   # what the contour is: "Buyer NPV = $0"
    grid: TwoWayGrid

    @property
    def shape(self) -> tuple[int, int]:
        return self.grid.values.shape


def input_text(spec: NumericInput, value: float) -> str:
    """An input's value with its unit, short enough for a chart's ticks:
    $1.25B, 60 %, 36 months."""
    return spec.text(value, digits=3)


def input_title(spec: NumericInput) -> str:
    return f"{spec.label} ({spec.unit})" if spec.unit else spec.label


def _lower(label: str) -> str:
    """"Monthly fee" -> "monthly fee"; "GPU count" stays as it is."""
    return label if len(label) > 1 and label[1].isupper() else label[:1].lower() + label[1:]


def colour_of(values: np.ndarray, centre: float, spread: float) -> np.ndarray:
    """Hex colours for `values` on the diverging map, centre white, +-spread
    at its ends; NaN grey."""
    anchors = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in DIVERGING], float)
    t = np.clip((np.asarray(values, float) - centre) / (2 * spread) + 0.5, 0.0, 1.0)
    position = np.nan_to_num(t, nan=0.5) * (len(DIVERGING) - 1)
    low = np.minimum(position.astype(int), len(DIVERGING) - 2)
    frac = (position - low)[..., None]
    rgb = np.rint(anchors[low] * (1 - frac) + anchors[low + 1] * frac).astype(int)
    out = np.empty(np.shape(values), dtype=object)
    for index in np.ndindex(out.shape):
        out[index] = ("#%02X%02X%02X" % tuple(rgb[index]) if math.isfinite(values[index])
                      else MISSING_COLOUR)
    return out


def contour_segments(values: np.ndarray, level: float) -> list[tuple[float, float, float, float]]:
    """Marching squares over the grid points: the segments (x0, y0, x1, y1),
    in index units (x the column, y the row), where `values` crosses `level`,
    interpolated linearly along each square's edges.  A square with an
    undefined corner has none; a saddle is split by its centre's side."""
    rows, cols = values.shape
    out = []
    for i in range(rows - 1):
        for j in range(cols - 1):
            corners = ((j, i), (j + 1, i), (j + 1, i + 1), (j, i + 1))   # around the square
            v = [values[r, c] for c, r in corners]
            if not all(math.isfinite(a) for a in v):
                continue
            above = [a >= level for a in v]
            points = []
            for k in range(4):
                a, b = k, (k + 1) % 4
                if above[a] != above[b]:
                    t = (level - v[a]) / (v[b] - v[a])
                    (xa, ya), (xb, yb) = corners[a], corners[b]
                    points.append((xa + t * (xb - xa), ya + t * (yb - ya)))
            if len(points) == 2:
                out.append((*points[0], *points[1]))
            elif len(points) == 4:
                # Points lie on edges 0-1, 1-2, 2-3, 3-0; a centre on corner 0's
                # side joins corner 0's edges' points with each other's.
                centre_above = sum(v) / 4 >= level
                if centre_above == above[0]:
                    out += [(*points[0], *points[1]), (*points[2], *points[3])]
                else:
                    out += [(*points[3], *points[0]), (*points[1], *points[2])]
    return out


def _ticks(values: np.ndarray, spec: NumericInput, count: int = 6) -> tuple[tuple[float, str], ...]:
    picks = np.unique(np.round(np.linspace(0, len(values) - 1, min(count, len(values)))))
    return tuple((float(k), input_text(spec, float(values[int(k)]))) for k in picks)


def heat_map(grid: TwoWayGrid) -> HeatMap:
    x_spec, y_spec = numeric_input(grid.x_input), numeric_input(grid.y_input)
    values = grid.values
    finite = values[np.isfinite(values)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    centre = grid.threshold if grid.threshold is not None else (lo + hi) / 2.0
    spread = max(abs(hi - centre), abs(centre - lo)) or max(abs(centre), 1.0) * 1e-6
    colours = colour_of(values, centre, spread)
    contour: list = []
    if grid.threshold is not None:
        contour = contour_segments(values, grid.threshold)
    base = None
    if grid.base_inside:
        base = (float(np.interp(grid.base_x, grid.x, np.arange(len(grid.x))))
                if grid.x[0] <= grid.x[-1] else float(np.interp(
                    grid.base_x, grid.x[::-1], np.arange(len(grid.x))[::-1])),
                float(np.interp(grid.base_y, grid.y, np.arange(len(grid.y))))
                if grid.y[0] <= grid.y[-1] else float(np.interp(
                    grid.base_y, grid.y[::-1], np.arange(len(grid.y))[::-1])))
    legend_values = np.linspace(centre - spread, centre + spread, 5)
    legend = tuple((str(c), figures.format_value(grid.figure, float(v)))
                   for c, v in zip(colour_of(legend_values, centre, spread), legend_values))
    return HeatMap(
        "two_way", f"{figures.label(grid.figure)} over {_lower(x_spec.label)} x "
        f"{_lower(y_spec.label)}", input_title(x_spec), input_title(y_spec),
        tuple(tuple(row) for row in colours), tuple(contour), base,
        _ticks(grid.x, x_spec), _ticks(grid.y, y_spec), legend,
        "" if grid.threshold is None else
        f"{figures.label(grid.figure)} = {figures.format_value(grid.figure, grid.threshold)}",
        grid)


def even_picks(count: int, most: int) -> np.ndarray:
    """Indices of at most `most` of `count` grid values in even steps, both ends
    kept: every k-th value, k the smallest stride that divides count - 1 and
    leaves at most `most` (25 values -> every 3rd: 9 values, $0.625B apart, as
    the workbook's grid steps; picking 11 by rounding gave steps of 2 and 3
    cells: 90, 85, 77.5, 72.5).  Where no stride divides, every k-th value and
    the last."""
    if count <= most:
        return np.arange(count)
    span = count - 1
    stride = next((k for k in range(1, span + 1)
                   if span % k == 0 and span // k + 1 <= most), None)
    if stride is not None and span // stride + 1 >= max(2, most // 2):
        return np.arange(0, count, stride)
    stride = -(-span // (most - 1))          # ceil: at most `most` with the last added
    return np.unique(np.append(np.arange(0, span, stride), span))


def table_rows(grid: TwoWayGrid, most: int = TABLE_VALUES
               ) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...], bool]:
    """(headers, rows, thinned): the grid's numbers at up to `most` values of
    each input (evenly picked, both ends kept), rows from the highest y down
    as on the map; `thinned` when some values were left out."""
    x_spec, y_spec = numeric_input(grid.x_input), numeric_input(grid.y_input)
    rows_n, cols_n = grid.values.shape
    cols, rows = even_picks(cols_n, most), even_picks(rows_n, most)
    headers = (f"{y_spec.label} \u2193 / {_lower(x_spec.label)} \u2192",
               *(input_text(x_spec, float(grid.x[j])) for j in cols))
    body = tuple((input_text(y_spec, float(grid.y[i])),
                  *(figures.format_value(grid.figure, float(grid.values[i, j])) for j in cols))
                 for i in rows[::-1])
    return headers, body, len(cols) < cols_n or len(rows) < rows_n


def _threshold_text(figure: str, threshold: float) -> str:
    return "zero" if threshold == 0 else figures.format_value(figure, threshold)


def _side_words(figure: str, threshold: float) -> tuple[str, str]:
    """How to say "at or above" and "below" the threshold: "positive" and
    "negative" for zero."""
    if threshold == 0:
        return "positive", "negative"
    text = figures.format_value(figure, threshold)
    return f"at or above {text}", f"below {text}"


def _threshold_along(scenario: Scenario, figure: str, threshold: float, key: str,
                     start: float, stop: float, base: float) -> str | None:
    """"the monthly fee rises above $1.86B": where the figure crosses the
    threshold as the input moves from its base value within [start, stop]
    (the other inputs at their base); None when it does not."""
    spec = numeric_input(key)
    lo, hi = min(start, stop), max(start, stop)
    try:
        found = solve(scenario, figure, threshold, key, lo, hi)
    except SolveError:
        return None
    if not found.reachable or not math.isfinite(found.value):
        return None
    moves = "rises above" if found.value > base else "falls below"
    return f"{_lower(spec.label)} {moves} {input_text(spec, found.value)}"


def finding(scenario: Scenario, spec: SweepSpec, grid: TwoWayGrid) -> tuple[str, list[str]]:
    """The section's title (what the grid shows about the threshold) and the
    sentences that qualify it."""
    name = figures.label(grid.figure)
    x_spec, y_spec = numeric_input(grid.x_input), numeric_input(grid.y_input)
    values = grid.values
    finite = values[np.isfinite(values)]
    f = lambda v: figures.format_value(grid.figure, v)   # noqa: E731
    spread = (f"from {f(float(finite.min()))} to {f(float(finite.max()))}" if finite.size
              else "undefined everywhere")
    sentences = [f"{name} at the base case ({_lower(x_spec.label)} "
                 f"{input_text(x_spec, grid.base_x)}, {_lower(y_spec.label)} "
                 f"{input_text(y_spec, grid.base_y)}) is {f(grid.base_figure)}; over the grid "
                 f"it ranges {spread}."]
    if grid.threshold is None or not finite.size:
        return f"{name} over the grid ranges {spread}", sentences
    t = grid.threshold
    above_word, below_word = _side_words(grid.figure, t)
    above = int((finite >= t).sum())
    sentences.append(f"It is {above_word} in {above:,} of {finite.size:,} cells "
                     f"({format_percent(above / finite.size, 0)})"
                     + (f"; the black line is where it crosses {_threshold_text(grid.figure, t)}."
                        if 0 < above < finite.size else "."))
    if above == finite.size:
        return f"{name} stays {above_word} across the whole grid ({spread})", sentences
    if above == 0:
        return f"{name} stays {below_word} across the whole grid ({spread})", sentences
    clauses = [c for c in (
        _threshold_along(scenario, grid.figure, t, grid.x_input, spec.x.start, spec.x.stop,
                         grid.base_x),
        _threshold_along(scenario, grid.figure, t, grid.y_input, spec.y.start, spec.y.stop,
                         grid.base_y)) if c]
    base_word = above_word if math.isfinite(grid.base_figure) and grid.base_figure >= t \
        else below_word
    if clauses:
        sentences.append("Each threshold holds the other input at its base value; the "
                         "contour shows the combinations of the two.")
        return f"{name} stays {base_word} unless {' or '.join(clauses)}", sentences
    return (f"{name} is {base_word} at the base case; it crosses "
            f"{_threshold_text(grid.figure, t)} only where both "
            f"inputs move"), sentences
