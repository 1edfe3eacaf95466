"""The workbook's Cases sheet: the scenario's named cases (core/cases.py)
side by side, and the probability-weighted figure as a live formula.

A case is a whole recomputation of the model with some inputs changed, which
the sheet cannot redo by formula without a copy of the model per case: each
case's figures are the app's values, labelled so.  The names, weights and
changed inputs are inputs (blue on pale yellow); the weighted figure is
SUMPRODUCT(weights, figures) / SUM(weights), as core.cases.weighted_figure
computes it (n/a when the weights sum to zero or a weighted case's figure is
n/a), with the app's value as its cached result.  File > Open of the
workbook reads the cases back from this sheet (core/workbook_import.py:
`read_cases`), so a weight changed in Excel comes back into the app.

Layout (read back by the labels in column A and the header row):
  Case    | <name> ... | Weighted | Unit | Key
  Weight  | <%> ...    |          | %    | weight_pct
  <subheading CHANGES_HEADING>
  <input label> | <value or blank: as the scenario> ... | | <unit> | <section.field>
  <subheading FIGURES_HEADING>
  <figure label> | <app's value> ... | =weighted formula | <unit> | <figure key>
"""
from __future__ import annotations

import math

from xlsxwriter.utility import xl_rowcol_to_cell

from core import figures
from core.cases import CASE_FIGURES, case_table
from core.engine import Results
from core.export.workbook_cache import key_figure_cached
from core.solve import SolveError, numeric_input

SHEET = "Cases"
HEADER_ROW = 4                   # 0-based row of the "Case" header
CASE_HEADER, WEIGHT_LABEL, KEY_HEADER = "Case", "Weight", "Key"
CHANGES_HEADING = "Inputs each case changes (blank: as the scenario)"
FIGURES_HEADING = ("Figures: values the app computed for each case (a case is a whole "
                   "recomputation of the model); the weighted figure is a live formula")


def case_figure_keys() -> tuple[str, ...]:
    """Every figure either side's case table shows (core.cases.CASE_FIGURES), once."""
    return tuple(dict.fromkeys(key for keys in CASE_FIGURES.values() for key in keys))


def weighted_formula(weights: str, values: str) -> str:
    """sum(w x v) / sum(w), "n/a" as core.cases.weighted_figure says it."""
    return (f'=IF(OR(SUM({weights})<=0,SUMPRODUCT(({weights}>0)*ISTEXT({values}))>0),"n/a",'
            f"SUMPRODUCT({weights},{values})/SUM({weights}))")


def write_cases(book, fmt, results: Results, page_setup) -> None:
    """The Cases sheet; none when the scenario has no named cases.  `fmt` and
    `page_setup` are the workbook's (core.export.workbook)."""
    scenario = results.scenario
    if not scenario.cases:
        return
    sheet = book.add_worksheet(SHEET)
    keys = case_figure_keys()
    try:
        table = case_table(scenario, keys)
    except ValueError as error:      # a case the model refuses (a ParameterError)
        table = None
        refusal = str(error)
    n = len(scenario.cases)
    weighted_col, unit_col, key_col = n + 1, n + 2, n + 3
    sheet.write(0, 0, f"Cases: {scenario.name}", fmt.title)
    # The notes wrap within the printed width (two lines each).
    note = book.add_format({"italic": True, "font_color": "#4A5560", "text_wrap": True,
                            "valign": "top"})
    for row, text in ((1, "Each case is the scenario with the inputs below changed, computed by "
                          "the app as a whole model: its figures are values, not formulas (they "
                          "do not follow an edit here; export again from the app)."),
                      (2, "The names, weights and changed inputs are inputs: File > Open of this "
                          "workbook reads them back. The weighted figure is SUMPRODUCT(weights, "
                          "figures) / SUM(weights): change a weight and it follows.")):
        sheet.merge_range(row, 0, row, key_col, text, note)
        sheet.set_row(row, 30)
    r = HEADER_ROW
    sheet.write(r, 0, CASE_HEADER, fmt.header)
    for i, case in enumerate(scenario.cases):
        sheet.write_string(r, 1 + i, case.name, fmt.input)
    sheet.write_row(r, weighted_col, ["Weighted", "Unit", KEY_HEADER], fmt.header)
    weight_row = r + 1
    sheet.write(weight_row, 0, WEIGHT_LABEL, fmt.text)
    for i, case in enumerate(scenario.cases):
        sheet.write_number(weight_row, 1 + i, case.weight_pct, fmt.input_number)
    sheet.write(weight_row, unit_col, "%")
    sheet.write(weight_row, key_col, "weight_pct")
    weights = (f"{xl_rowcol_to_cell(weight_row, 1, True, True)}:"
               f"{xl_rowcol_to_cell(weight_row, n, True, True)}")

    r = weight_row + 2
    sheet.write(r, 0, CHANGES_HEADING, fmt.subtitle)
    r += 1
    changed = list(dict.fromkeys(ch.input for case in scenario.cases for ch in case.changes))
    for key in changed:
        try:
            declared = numeric_input(key)
            label, unit = declared.label, declared.unit
        except SolveError:
            label, unit = key, ""
        sheet.write(r, 0, label, fmt.text)
        for i, case in enumerate(scenario.cases):
            value = next((ch.value for ch in case.changes if ch.input == key), None)
            if value is None:
                sheet.write_blank(r, 1 + i, None, fmt.input_number)
            else:
                sheet.write_number(r, 1 + i, value, fmt.input_number)
        sheet.write(r, unit_col, unit)
        sheet.write(r, key_col, key)
        r += 1

    r += 1
    sheet.write(r, 0, FIGURES_HEADING, fmt.subtitle)
    r += 1
    if table is None:
        sheet.write(r, 0, f"The cases cannot be computed: {refusal}", fmt.note)
    else:
        for key in keys:
            sheet.write(r, 0, figures.label(key), fmt.text)
            number = fmt.for_output(key)
            for i, value in enumerate(table.values[key]):
                if math.isfinite(value):
                    sheet.write_number(r, 1 + i, value, number)
                else:
                    sheet.write_string(r, 1 + i, "n/a", number)
            values = f"{xl_rowcol_to_cell(r, 1)}:{xl_rowcol_to_cell(r, n)}"
            sheet.write_formula(r, weighted_col, weighted_formula(weights, values),
                                fmt.for_output(key, bold=True),
                                key_figure_cached(table.weighted[key]))
            sheet.write(r, unit_col, figures.output(key).unit)
            sheet.write(r, key_col, key)
            r += 1
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, n, 16)
    sheet.set_column(weighted_col, weighted_col, 18)
    sheet.set_column(unit_col, unit_col, 8)
    sheet.set_column(key_col, key_col, 26)
    page_setup(sheet, r, key_col)
