"""The workbook's two-way table is live: each cell is the model's formula
with the two inputs substituted.  Exported, an input typed into the Inputs
sheet (and a header typed into the grid) with openpyxl, recalculated by
LibreOffice, every cell equals core.sweep's grid on the same inputs."""
from __future__ import annotations

import numpy as np
import openpyxl
import pytest

from core.engine import compute
from core.export.workbook import write_workbook
from core.export.workbook_grid import HEADER_ROW, MAX_STEPS, MODEL_SHEET, SHEET
from core.presets import default_scenario
from core.solve import numeric_input, with_input
from core.sweep import Axis, SweepSpec, two_way
from tests.helpers import libreoffice

ROWS = 60   # schedule rows (and rows a block): room for the 36-month term and more

def recalculated(tmp_path, path):
    """The workbook after LibreOffice recalculated every formula (values only)."""
    return openpyxl.load_workbook(libreoffice(tmp_path, path, "xlsx"), data_only=True)


def set_input(book, name, value):
    sheet, coordinate = next(iter(book.defined_names[name].destinations))
    book[sheet][coordinate.replace("$", "")].value = value


def defined(book, name):
    sheet, coordinate = next(iter(book.defined_names[name].destinations))
    return book[sheet][coordinate.replace("$", "")].value


def grid_of(book, rows, cols):
    """(x headers, y headers from the top, values[row from the top][column])."""
    sheet = book[SHEET]
    xs = [sheet.cell(HEADER_ROW + 1, 2 + j).value for j in range(cols)]
    ys = [sheet.cell(HEADER_ROW + 2 + i, 1).value for i in range(rows)]
    values = [[sheet.cell(HEADER_ROW + 2 + i, 2 + j).value for j in range(cols)]
              for i in range(rows)]
    return xs, ys, values


def test_the_grid_follows_another_input_and_its_own_headers(tmp_path):
    # Buyer NPV over fee $0.625B / $1.25B / $1.875B x utilization 30 / 60 / 90 %:
    # the middle cell is the base case (fee $1.25B, utilization 60 %).
    spec = SweepSpec("buyer_npv", Axis("contract.monthly_fee", 0.625e9, 1.875e9, 3),
                     Axis("hardware.utilization_pct", 30.0, 90.0, 3), 0.0)
    path = tmp_path / "grid.xlsx"
    write_workbook(compute(default_scenario()), path, months=ROWS, two_way=spec)
    book = openpyxl.load_workbook(path)
    # A third input, typed on the Inputs sheet: the fee escalates 3 % a year and
    # the buyer discounts at 12 %; and the grid's right column is typed as $2.2B.
    set_input(book, "contract_escalator_pct", 3.0)
    set_input(book, "contract_discount_rate_pct", 12.0)
    book[SHEET].cell(HEADER_ROW + 1, 4).value = 2.2e9
    book.save(path)
    after = recalculated(tmp_path, path)

    scenario = default_scenario().with_changes("contract", escalator_pct=3.0,
                                               discount_rate_pct=12.0)
    expected = two_way(scenario, "buyer_npv", Axis("contract.monthly_fee", 0.625e9, 1.25e9, 2),
                       Axis("hardware.utilization_pct", 30.0, 90.0, 3))
    fee, util = numeric_input("contract.monthly_fee"), numeric_input("hardware.utilization_pct")
    xs, ys, values = grid_of(after, 3, 3)
    assert xs == [0.625e9, 1.25e9, 2.2e9] and ys == [90, 60, 30]
    for i, y in enumerate(ys):
        for j, x in enumerate(xs):
            if j < 2:     # the app's grid, rows from the bottom up
                want = expected.values[2 - i, j]
            else:         # the typed header: compute() at $2.2B
                want = compute(with_input(with_input(scenario, fee, x), util, y)
                               ).key_figures.buyer_npv
            assert values[i][j] == pytest.approx(want, rel=1e-6), (x, y)
    # The base case's cell is the Key figures sheet's Buyer NPV, recalculated too.
    assert values[1][1] == pytest.approx(defined(after, "BuyerNPV"), rel=1e-9)
    assert defined(after, "BuyerNPV") == pytest.approx(
        compute(scenario).key_figures.buyer_npv, rel=1e-6)


def test_a_grid_over_the_term_reaches_the_drivers(tmp_path):
    """The term moves every row and the fleet's capex window; PUE the facility's
    capex (Drivers): the provider's NPV over both, against compute()."""
    spec = SweepSpec("provider_npv", Axis("contract.term_months", 24, 48, 2),
                     Axis("hardware.pue", 1.1, 1.4, 2), None)
    path = tmp_path / "term.xlsx"
    write_workbook(compute(default_scenario()), path, months=ROWS, two_way=spec)
    book = openpyxl.load_workbook(path)
    set_input(book, "hardware_power_price_per_mwh", 95.0)
    book.save(path)
    after = recalculated(tmp_path, path)
    scenario = default_scenario().with_changes("hardware", power_price_per_mwh=95.0)
    expected = spec.grid(scenario)
    _xs, _ys, values = grid_of(after, 2, 2)
    got = np.array(values, dtype=float)[::-1]        # rows from the bottom, as the grid
    assert got == pytest.approx(expected.values, rel=1e-6)


def test_a_large_grid_is_capped_and_says_so(tmp_path):
    spec = SweepSpec("buyer_npv", Axis("contract.monthly_fee", 0.5e9, 2.5e9, 25),
                     Axis("hardware.utilization_pct", 20.0, 100.0, 25), 0.0)
    path = tmp_path / "big.xlsx"
    write_workbook(compute(default_scenario()), path, months=40, two_way=spec)
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET]
    notes = " ".join(str(sheet.cell(r, 1).value) for r in range(1, 5))
    assert f"At most {MAX_STEPS} values each way" in notes and "25 x 25" in notes
    xs, ys, values = grid_of(book, MAX_STEPS, MAX_STEPS)
    assert xs[0] == 0.5e9 and xs[-1] == 2.5e9 and ys[0] == 100 and ys[-1] == 20
    assert sheet.cell(HEADER_ROW + 1, 2 + MAX_STEPS).value is None
    # Every cell is a formula reading its block on the model sheet.
    assert all(str(v).startswith(f"='{MODEL_SHEET}'!") for row in values for v in row)


def test_a_figure_that_needs_the_irr_sheet_is_explained_not_written(tmp_path):
    spec = SweepSpec("provider_irr", Axis("contract.monthly_fee", 0.5e9, 2.5e9, 3),
                     Axis("hardware.utilization_pct", 20.0, 100.0, 3), None)
    path = tmp_path / "irr.xlsx"
    write_workbook(compute(default_scenario()), path, months=40, two_way=spec)
    book = openpyxl.load_workbook(path)
    assert "IRR flows" in str(book[SHEET].cell(2, 1).value)
    assert book[MODEL_SHEET].max_row == 1


def test_a_grid_that_cannot_be_made_leaves_a_note_and_the_rest_of_the_workbook(tmp_path):
    spec = SweepSpec("buyer_npv", Axis("contract.monthly_fee", 1e9, 1e9, 3),
                     Axis("hardware.utilization_pct", 20.0, 100.0, 3), 0.0)
    path = tmp_path / "empty.xlsx"
    write_workbook(compute(default_scenario()), path, months=40, two_way=spec)
    book = openpyxl.load_workbook(path)
    assert book[SHEET].cell(2, 1).value == (
        "No grid: Monthly fee (contract.monthly_fee): the range 1e+09 to 1e+09 is empty.")
    assert "Key figures" in book.sheetnames and book[MODEL_SHEET].max_row == 1
