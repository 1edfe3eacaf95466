"""The workbook's Cases sheet (core/export/workbook_cases.py): each named
case's weight, changed inputs and figures as the app computed them, the
weighted figure as a live formula with the app's value cached, written and
read back with openpyxl; File > Open reads the cases back."""
from __future__ import annotations

import dataclasses

import openpyxl
import pytest

from core.cases import case_table
from core.engine import compute
from core.export.workbook import write_workbook
from core.export.workbook_cases import case_figure_keys
from core.parameters import Case, CaseChange
from core.presets import default_scenario
from core.workbook_import import WorkbookImportError, read_workbook_scenario

FEE, TERM = "contract.monthly_fee", "contract.term_months"
CASES = (Case("Downside", 60.0, (CaseChange(FEE, 1.0e9), CaseChange(TERM, 24.0))),
         Case("Base", 30.0, ()),
         Case("Upside", 10.0, (CaseChange(FEE, 1.5e9),)))


def _scenario():
    return dataclasses.replace(default_scenario(), cases=CASES)


def _written(tmp_path, scenario):
    path = tmp_path / "cases.xlsx"
    write_workbook(compute(scenario), path, months=48)
    return path


def _rows(sheet):
    """Each row of the sheet by its key (column "Key")."""
    header = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Case")
    key_col = header.index("Key")
    return header, {row[key_col]: row for row in sheet.iter_rows(values_only=True)
                    if len(row) > key_col and row[key_col] not in (None, "Key")}


def test_the_cases_sheet_holds_the_apps_figures_and_the_weighted_formula(tmp_path):
    scenario = _scenario()
    path = _written(tmp_path, scenario)
    cached = openpyxl.load_workbook(path, data_only=True)["Cases"]
    header, rows = _rows(cached)
    assert header[:5] == ("Case", "Downside", "Base", "Upside", "Weighted")
    assert rows["weight_pct"][1:4] == (60, 30, 10)
    # The inputs each case changes; a blank cell is "as the scenario".
    assert rows[FEE][1:4] == (1.0e9, None, 1.5e9)
    assert rows[TERM][1:4] == (24, None, None)
    # Every case figure's value is the app's, to the cent.
    table = case_table(scenario, case_figure_keys())
    for key in case_figure_keys():
        assert rows[key][1:4] == pytest.approx(table.values[key], abs=0.005), key
        assert rows[key][4] == pytest.approx(table.weighted[key], abs=0.005), key
    # By hand (no escalator, no credits: the contract value is fee x term):
    # $1.0B x 24 = $24.0B, $1.25B x 36 = $45.0B, $1.5B x 36 = $54.0B;
    # weighted 60 / 30 / 10: (0.6 x 24 + 0.3 x 45 + 0.1 x 54) = 14.4 + 13.5 + 5.4 = $33.3B.
    assert rows["total_contract_value"][1:4] == pytest.approx((24.0e9, 45.0e9, 54.0e9))
    assert rows["total_contract_value"][4] == pytest.approx(33.3e9, abs=0.005)
    # The weighted figure is a live formula over the weights row and the figure's row.
    formulas = openpyxl.load_workbook(path)["Cases"]
    _header, live = _rows(formulas)
    weighted = live["total_contract_value"][4]
    assert weighted.startswith("=") and "SUMPRODUCT($B$6:$D$6,B" in weighted
    assert "/SUM($B$6:$D$6)" in weighted


def test_the_cases_come_back_through_file_open(tmp_path):
    scenario = _scenario()
    path = _written(tmp_path, scenario)
    assert read_workbook_scenario(path).cases == CASES
    # A weight changed in Excel comes back.
    book = openpyxl.load_workbook(path)
    book["Cases"]["B6"].value = 80
    book.save(path)
    assert read_workbook_scenario(path).cases[0] == dataclasses.replace(CASES[0], weight_pct=80.0)


def test_a_refused_weight_is_named_by_its_cell(tmp_path):
    path = _written(tmp_path, _scenario())
    book = openpyxl.load_workbook(path)
    book["Cases"]["C6"].value = "likely"
    book.save(path)
    with pytest.raises(WorkbookImportError, match=r"Cases!C6.*weight must be a number"):
        read_workbook_scenario(path)


def test_a_scenario_without_cases_has_no_cases_sheet(tmp_path):
    path = _written(tmp_path, default_scenario())
    assert "Cases" not in openpyxl.load_workbook(path, read_only=True).sheetnames
    assert read_workbook_scenario(path).cases == ()
