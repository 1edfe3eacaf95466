"""The two-way table in the workbook as live formulas (not Excel's data table).

Sheet "Two-way": the chosen key figure over two inputs, the inputs' values
as editable row and column headers, every cell a formula; sheet "Two-way
model": one block of rows per grid cell, each the part of the model the
figure needs that depends on the two inputs (the dependency closure of the
figure's formula over the Drivers and the Schedule's columns), re-emitted
with the two inputs' names replaced by that cell's header cells.  Everything
else (the other inputs, the columns the two inputs do not reach) is
referenced where it is, so changing any other input on the Inputs sheet
recalculates the whole grid, and a cell whose headers equal the base inputs
equals the Key figures sheet.

The dependency graph is read off the formulas themselves: a Schedule
column's body is generated with a Refs that records the columns it reads,
and defined names and Drivers cells are found in the formula text.  A
block is a full schedule (every month up to the longest term, blank past
the term like the Schedule), so a grid of n x n cells costs n^2 blocks; the
grid is capped at MAX_STEPS values each way (measured: see the report of
issue 16 and `measure` below).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from core import figures
from core.export.workbook_cache import key_figure_cached
from core.export.workbook_schedule import FIRST_ROW, TERM, Column, Refs
from core.parameters import ParameterError
from core.solve import SolveError, numeric_input, with_input
from core.sweep import SweepSpec

SHEET = "Two-way"
MODEL_SHEET = "Two-way model"
# Values each way in the workbook's grid: a block a cell, each a full schedule
# of the columns the figure needs (11 x 11 = 121 blocks).
MAX_STEPS = 11
HEADER_ROW = 6                  # 0-based row of the x values on the Two-way sheet

_NAME = re.compile(r"(?<![A-Za-z0-9_.!$'\"])([A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_(!])")
_DRIVERS_CELL = re.compile(r"Drivers!\$([A-Z]{1,3})\$(\d+)")
_SCHEDULE_RANGE = re.compile(r"Schedule!\$([A-Z]{1,3})\$(\d+):\$([A-Z]{1,3})\$(\d+)")
_RANGE = re.compile(r"(?<![A-Za-z0-9_!$:'])\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?(\d+)"
                    r"(?![A-Za-z0-9_(!])")
_CELL = re.compile(r"(?<![A-Za-z0-9_!$:'])\$?([A-Z]{1,3})\$?(\d+)(?![A-Za-z0-9_(!:])")


class GridUnsupported(ValueError):
    """A figure the grid cannot write as formulas (one line for the sheet)."""


def _quote(sheet: str) -> str:
    return f"'{sheet}'" if " " in sheet or "-" in sheet else sheet


def qualify_drivers(formula: str) -> str:
    """A Drivers formula's own cells (relative, unqualified: "D5", "N5:N7")
    as absolute cells of the Drivers sheet, so it can be written elsewhere."""
    formula = _RANGE.sub(lambda m: f"Drivers!${m[1]}${m[2]}:${m[3]}${m[4]}", formula)
    return _CELL.sub(lambda m: f"Drivers!${m[1]}${m[2]}", formula)


class _Recording(Refs):
    """Refs that notes every column a body reads."""

    def __init__(self, keys: list[str], rows: int):
        super().__init__(keys, rows)
        self.read: set[str] = set()

    def c(self, key: str, m: int) -> str:
        self.read.add(key)
        return super().c(key, m)

    def rng(self, key: str) -> str:
        self.read.add(key)
        return super().rng(key)


class _BlockRefs(Refs):
    """A block's cells: its own columns where it has them (rows as markers,
    see _block_template), the Schedule's otherwise."""

    def __init__(self, schedule: Refs, local: dict[str, str], first_row: int):
        super().__init__(list(schedule.index), schedule.rows)
        self.schedule = schedule
        self.local = local                 # column key -> the block's column letter
        self.first_row = first_row         # Excel row of the block's month 1

    def c(self, key: str, m: int) -> str:
        if key in self.local:
            return f"{self.local[key]}\u00ab{self.first_row + m - 1}\u00bb"
        return f"Schedule!{self.schedule.c(key, m)}"

    def rng(self, key: str) -> str:
        if key in self.local:
            col = self.local[key]
            return (f"${col}$\u00ab{self.first_row}\u00bb:"
                    f"${col}$\u00ab{self.first_row + self.rows - 1}\u00bb")
        return f"Schedule!{self.schedule.rng(key)}"


@dataclass
class _Graph:
    columns: dict[str, Column]
    deps: dict[str, set[str]]          # node -> nodes it reads
    drivers: dict[str, str]            # driver node -> formula (without "=")


def _names_in(text: str, known: set[str]) -> set[str]:
    return {m for m in _NAME.findall(text) if m in known}


def _graph(cols: list[Column], refs: Refs, drivers: dict[str, str], input_names: set[str]
           ) -> _Graph:
    """Nodes: "col:<key>", a Drivers name or cell, an input's name, "sched_<key>"."""
    keys = [c.key for c in cols]
    sched = {f"sched_{k}": f"col:{k}" for k in keys}
    known = set(drivers) | input_names | set(sched)
    deps: dict[str, set[str]] = {}

    def refs_of(text: str) -> set[str]:
        out = {sched.get(n, n) for n in _names_in(text, known)}
        out |= {f"Drivers!${m[0]}${m[1]}" for m in _DRIVERS_CELL.findall(text)}
        for m in _SCHEDULE_RANGE.findall(text):
            out.add(f"col:{keys[_column_index(m[0])]}")
        return out

    formulas = {name: qualify_drivers(f.lstrip("=")) if name.startswith("Drivers!")
                else f.lstrip("=") for name, f in drivers.items()}
    for name, formula in formulas.items():
        deps[name] = refs_of(formula)
    for column in cols:
        node = f"col:{column.key}"
        if column.body is None:
            deps[node] = set()
            continue
        recording = _Recording(keys, refs.rows)
        text = ""
        for m in sorted({1, 2, 3, refs.rows - 1, refs.rows} & set(range(1, refs.rows + 1))):
            text += column.body(recording, m) + ";"
        deps[node] = {f"col:{k}" for k in recording.read} | refs_of(text) | {TERM}
        deps[node].add("col:month")
    return _Graph({c.key: c for c in cols}, deps, formulas)


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _closure(graph: _Graph, start: set[str]) -> set[str]:
    seen, todo = set(), list(start)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        todo += graph.deps.get(node, ())
    return seen


def _reaches(graph: _Graph, nodes: set[str], varied: set[str]) -> set[str]:
    """The nodes among `nodes` whose value depends on a varied input."""
    tainted = set(varied)
    changed = True
    while changed:
        changed = False
        for node in nodes:
            if node not in tainted and graph.deps.get(node, set()) & tainted:
                tainted.add(node)
                changed = True
    return tainted & nodes


@dataclass(frozen=True)
class GridPlan:
    """What one block holds, and where."""
    figure: str
    x_name: str                      # the inputs' defined names
    y_name: str
    scalars: tuple[str, ...]         # driver names / cells re-emitted in each block
    columns: tuple[str, ...]         # Schedule column keys re-emitted in each block
    figure_formula: str


def plan(spec: SweepSpec, cols: list[Column], refs: Refs, drivers: dict[str, str],
         figure_formulas: dict[str, str], input_names: set[str]) -> GridPlan:
    figure = spec.figure
    formula = figure_formulas.get(figure)
    if formula is None or "irr_" in formula:
        raise GridUnsupported(f"{figures.label(figure)} is not written as a grid of formulas "
                              f"here (it needs the IRR flows sheet)")
    x_name = spec.x.input.replace(".", "_")
    y_name = spec.y.input.replace(".", "_")
    for name in (x_name, y_name):
        if name not in input_names:
            raise GridUnsupported(f"{name} is not an input cell of the workbook")
    graph = _graph(cols, refs, drivers, input_names)
    keys = [c.key for c in cols]
    sched = {f"sched_{k}": f"col:{k}" for k in keys}
    known = set(graph.drivers) | input_names | set(sched)
    start = {sched.get(n, n) for n in _names_in(formula, known)}
    start |= {f"Drivers!${m[0]}${m[1]}" for m in _DRIVERS_CELL.findall(formula)}
    start |= {f"col:{keys[_column_index(m[0])]}" for m in _SCHEDULE_RANGE.findall(formula)}
    needed = _closure(graph, start)
    local = _reaches(graph, needed, {x_name, y_name}) - {x_name, y_name}
    scalars = tuple(sorted(n for n in local if not n.startswith("col:")))
    columns = tuple(k for k in keys if f"col:{k}" in local)
    return GridPlan(figure, x_name, y_name, scalars, columns, formula)


def _substitute(text: str, names: dict[str, str], cells: dict[str, str],
                ranges: dict[str, str]) -> str:
    """Names (inputs, drivers, sched_ ranges) and Drivers cells replaced."""
    text = _DRIVERS_CELL.sub(lambda m: cells.get(m[0], m[0]), text)

    def schedule_range(m):
        return ranges.get(m[1], m[0])
    text = _SCHEDULE_RANGE.sub(schedule_range, text)
    return _NAME.sub(lambda m: names.get(m[1], m[1]), text)


def write_grid(book, fmt, spec: SweepSpec, cols: list[Column], refs: Refs,
               drivers: dict[str, str], figure_formulas: dict[str, str],
               input_names: set[str], base_cell: str, values=None) -> None:
    """The Two-way and Two-way model sheets for `spec` (at most MAX_STEPS
    values each way).  `values` (core.export.workbook._BlockValues) gives each
    formula its cached result: the engine run with the grid cell's inputs; the
    model sheet, scratch work, is hidden."""
    sheet = book.add_worksheet(SHEET)
    model = book.add_worksheet(MODEL_SHEET)
    # xlsxwriter scans every formula with some 30 regular expressions for
    # Excel 365's dynamic-array functions (to prefix them "_xlfn."): most of
    # the time of writing the model's ~2,400 cells a block.  The model uses
    # none of them, so its formulas are written as they are.
    if hasattr(model, "_prepare_formula"):
        model._prepare_formula = _as_written
    capped = spec.with_steps_at_most(MAX_STEPS)
    x_spec, y_spec = numeric_input(capped.x.input), numeric_input(capped.y.input)
    name = figures.label(capped.figure)
    sheet.write(0, 0, f"Two-way table: {name} over {x_spec.label.lower()} (across) x "
                      f"{y_spec.label.lower()} (down)", fmt.title)
    try:
        grid_plan = plan(capped, cols, refs, drivers, figure_formulas, input_names)
        xs, ys = capped.x.values(), capped.y.values()
    except (GridUnsupported, SolveError) as error:   # the workbook is written without it
        sheet.write(1, 0, f"No grid: {error}.", fmt.note)
        return
    notes = [
        "Each cell is the model's formula for the figure with the two inputs set to its row's "
        "and column's values (sheet 'Two-way model', a block of rows a cell); every other input "
        "is the Inputs sheet's, so changing one there recalculates the grid.",
        "The values in blue on yellow are inputs: type other values of the two inputs there.",
        f"At most {MAX_STEPS} values each way in the workbook"
        + (f" (the app's table has {spec.x.steps} x {spec.y.steps}; these are "
           f"{len(xs)} x {len(ys)} over the same ranges)."
           if (len(xs), len(ys)) != (spec.x.steps, spec.y.steps) else "."),
    ]
    for i, text in enumerate(notes, start=1):
        sheet.write(i, 0, text, fmt.note)
    sheet.write(4, 0, "Base case (Key figures)", fmt.text)
    sheet.write_formula(4, 1, f"={base_cell}", fmt.for_output(capped.figure, True),
                        values.base(capped.figure) if values is not None else 0)
    corner = f"{y_spec.label} \u2193 / {x_spec.label.lower()} \u2192"
    sheet.write(HEADER_ROW, 0, corner, fmt.header)
    header_format = fmt.input_money if x_spec.unit == "$" else fmt.input_number
    for j, x in enumerate(xs):
        sheet.write_number(HEADER_ROW, 1 + j, float(x), header_format)
    y_format = fmt.input_money if y_spec.unit == "$" else fmt.input_number
    for i, y in enumerate(ys[::-1]):
        sheet.write_number(HEADER_ROW + 1 + i, 0, float(y), y_format)

    # The blocks, one a grid cell, stacked down the model sheet.
    model.write(0, 0, f"Two-way model: {name} for each cell of the Two-way sheet", fmt.title)
    model.write(1, 0, "Each block re-computes the part of the model that the two inputs reach, "
                      "with them replaced by the cell's row and column values; the rest is "
                      "read from the Schedule and Drivers.", fmt.note)
    local_cols = {key: xl_col_to_name(1 + k) for k, key in enumerate(grid_plan.columns)}
    rows_per_block = 2 + len(grid_plan.scalars) + 1 + refs.rows + 1
    q_sheet, q_model = _quote(SHEET), _quote(MODEL_SHEET)
    cell_format = fmt.for_output(capped.figure)
    template = _block_template(grid_plan, cols, refs, drivers, local_cols)
    top = 3
    for i in range(len(ys)):
        for j in range(len(xs)):
            r0 = top
            top += rows_per_block
            table_row = HEADER_ROW + 1 + (len(ys) - 1 - i)
            x_cell = f"{q_sheet}!{xl_rowcol_to_cell(HEADER_ROW, 1 + j, True, True)}"
            y_cell = f"{q_sheet}!{xl_rowcol_to_cell(table_row, 0, True, True)}"
            # Named by position, not value: the headers are inputs the user may change.
            model.write(r0, 0, f"Grid cell: row {HEADER_ROW + 2 + (len(ys) - 1 - i)}, column "
                               f"{xl_col_to_name(1 + j)} of the Two-way sheet", fmt.subtitle)
            model.write(r0 + 1, 0, name, fmt.text)
            for k, scalar in enumerate(grid_plan.scalars):
                model.write(r0 + 2 + k, 0, scalar, fmt.text)
            header = r0 + 2 + len(grid_plan.scalars)
            model.write(header, 0, "Month", fmt.header)
            for k, key in enumerate(grid_plan.columns):
                model.write(header, 1 + k, key, fmt.header)
            cached = _block_values(values, capped, x_spec, y_spec, xs[j], ys[i], grid_plan,
                                   refs.rows)
            for row, col, parts in template:
                formula = _fill(parts, r0, x_cell, y_cell)
                model.write_formula(r0 + row, col, formula,
                                    cell_format if (row, col) == (1, 1) else None,
                                    cached.get((row, col), 0))
            figure_cell = f"{q_model}!{xl_rowcol_to_cell(r0 + 1, 1, True, True)}"
            sheet.write_formula(table_row, 1 + j, f"={figure_cell}", cell_format,
                                cached.get((1, 1), 0))
    last_row = HEADER_ROW + len(ys)
    if capped.threshold is not None:
        sheet.conditional_format(HEADER_ROW + 1, 1, last_row, len(xs), {
            "type": "3_color_scale", "min_color": "#B2182B", "mid_type": "num",
            "mid_value": float(capped.threshold), "mid_color": "#F7F7F7",
            "max_color": "#2166AC"})
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, len(xs), 16)
    model.set_column(0, 0, 34)
    model.set_column(1, len(grid_plan.columns), 16)
    model.hide()
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.print_area(0, 0, last_row, len(xs))
    sheet.fit_to_pages(1, 1)
    sheet.set_footer("&L&A&RPage &P of &N")


def _block_values(values, spec: SweepSpec, x_spec, y_spec, x: float, y: float,
                  grid_plan: "GridPlan", rows: int) -> dict[tuple[int, int], object]:
    """(row in the block, column) -> the cached result of that formula: the
    engine run on the scenario with the cell's two inputs (empty when there are
    no values or the inputs are refused)."""
    if values is None:
        return {}
    try:
        scenario = with_input(with_input(values.results.scenario, x_spec, x), y_spec, y)
        cache, nodes = values.at(scenario)
    except (ParameterError, ValueError):
        return {}
    out: dict[tuple[int, int], object] = {
        (1, 1): key_figure_cached(cache.results.key_figures.as_dict().get(spec.figure))}
    for k, scalar in enumerate(grid_plan.scalars):
        out[(2 + k, 1)] = cache.driver(nodes[scalar])
    first_month = 2 + len(grid_plan.scalars) + 1
    for m in range(1, rows + 1):
        r = first_month + m - 1
        out[(r, 0)] = m
        for k, key in enumerate(grid_plan.columns):
            out[(r, 1 + k)] = cache.month(key, m)
    return out


# A block's formulas are written once with markers: «n» for its own row n
# (1-based, counted from the block's first row), «x» and «y» for the grid
# cell's header cells; each block fills them in (a block costs string joins,
# not a re-generation of the model).
_MARK = re.compile(r"\u00ab(\d+|x|y)\u00bb")


def _block_template(grid_plan: GridPlan, cols: list[Column], refs: Refs,
                    drivers: dict[str, str], local_cols: dict[str, str]
                    ) -> list[tuple[int, int, list[str]]]:
    """(row in the block, column, formula split at its markers) for every formula."""
    scalar_rows = {s: 2 + k for k, s in enumerate(grid_plan.scalars)}      # 0-based in the block
    first_month = 2 + len(grid_plan.scalars) + 1
    block = _BlockRefs(refs, local_cols, 0)
    block.first_row = first_month + 1           # marker rows are 1-based within the block
    names = {grid_plan.x_name: "\u00abx\u00bb", grid_plan.y_name: "\u00aby\u00bb"}
    cells = {}
    for scalar, r in scalar_rows.items():
        address = f"$B$\u00ab{r + 1}\u00bb"
        if scalar.startswith("Drivers!"):
            cells[scalar] = address
        else:
            names[scalar] = address
    for key in grid_plan.columns:
        col = local_cols[key]
        names[f"sched_{key}"] = (f"${col}$\u00ab{first_month + 1}\u00bb:"
                                 f"${col}$\u00ab{first_month + refs.rows}\u00bb")
    ranges = {refs.col(key): names[f"sched_{key}"] for key in grid_plan.columns}
    out = [(1, 1, _substitute(grid_plan.figure_formula, names, cells, ranges))]
    for scalar, r in scalar_rows.items():
        out.append((r, 1, _substitute(_driver(drivers, scalar), names, cells, ranges)))
    for m in range(1, refs.rows + 1):
        r = first_month + m - 1
        month = f"Schedule!{refs.c('month', m)}"
        out.append((r, 0, month))
        for k, key in enumerate(grid_plan.columns):
            body = cols[refs.index[key]].body
            assert body is not None
            out.append((r, 1 + k, _substitute(f'IF({month}>{TERM},"",{body(block, m)})',
                                              names, cells, ranges)))
    return [(row, col, _MARK.split(text)) for row, col, text in out]


def _fill(parts: list[str], top: int, x_cell: str, y_cell: str) -> str:
    """A template's formula for the block whose first row is `top` (0-based)."""
    out = ["=", parts[0]]
    for k in range(1, len(parts), 2):
        mark = parts[k]
        out.append(x_cell if mark == "x" else y_cell if mark == "y" else str(top + int(mark)))
        out.append(parts[k + 1])
    return "".join(out)


def _as_written(formula: str, expand_future_functions: bool = False) -> str:
    return formula[1:] if formula.startswith("=") else formula


def _driver(drivers: dict[str, str], node: str) -> str:
    formula = drivers[node].lstrip("=")
    return qualify_drivers(formula) if node.startswith("Drivers!") else formula
