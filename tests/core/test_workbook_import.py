"""File > Open of an exported workbook: the Inputs sheet, read by defined
names, gives back the scenario; edits made in Excel (here with openpyxl)
come back; refused values are named cell by cell and nothing is returned."""
from __future__ import annotations

import dataclasses
import datetime as dt

import openpyxl
import pytest

from core.engine import compute
from core.examples import all_examples
from core.export.workbook import write_workbook
from core.presets import default_scenario
from core.workbook_import import WorkbookImportError, read_workbook_scenario


def exported(tmp_path, scenario=None):
    path = tmp_path / "deal.xlsx"
    write_workbook(compute(scenario or default_scenario()), path)
    return path


def cell_of(book, name):
    sheet, coordinate = next(iter(book.defined_names[name].destinations))
    return book[sheet][coordinate.replace("$", "")]


def test_an_exported_workbook_reads_back_as_the_same_scenario(tmp_path):
    assert read_workbook_scenario(exported(tmp_path)) == default_scenario()


def test_fee_and_term_edited_in_the_workbook_come_back(tmp_path):
    path = exported(tmp_path)
    book = openpyxl.load_workbook(path)
    cell_of(book, "contract_monthly_fee").value = 1.1e9
    cell_of(book, "contract_term_months").value = 24
    book.save(path)
    edited = default_scenario().with_changes("contract", monthly_fee=1.1e9, term_months=24)
    scenario = read_workbook_scenario(path)
    assert scenario == edited
    # And the engine sees the edit: 24 payments of $1.1B = $26.4B.
    assert compute(scenario).key_figures.total_contract_value == pytest.approx(26.4e9, rel=1e-12)


def test_tranche_rows_edited_in_the_workbook_come_back(tmp_path):
    path = exported(tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book["Inputs"]
    row = next(r for r in range(1, sheet.max_row + 1)
               if sheet.cell(r, 1).value == "Colossus 1 (H200)")
    sheet.cell(row, 4).value = 60_000
    sheet.cell(row, 5).value = dt.datetime(2026, 9, 1)
    book.save(path)
    base = default_scenario()
    tranches = tuple(dataclasses.replace(t, gpu_count=60_000, online_date=dt.date(2026, 9, 1))
                     if t.name == "Colossus 1 (H200)" else t for t in base.hardware.tranches)
    assert read_workbook_scenario(path) == base.with_changes("hardware", tranches=tranches)


def test_every_example_round_trips(tmp_path):
    for example in all_examples():
        scenario = example.scenario
        assert read_workbook_scenario(exported(tmp_path, scenario)) == scenario


def test_refused_values_are_named_cell_by_cell(tmp_path):
    path = exported(tmp_path)
    book = openpyxl.load_workbook(path)
    fee, term = cell_of(book, "contract_monthly_fee"), cell_of(book, "contract_term_months")
    fee.value = -5
    term.value = "three years"
    book.save(path)
    before = path.read_bytes()
    with pytest.raises(WorkbookImportError) as caught:
        read_workbook_scenario(path)
    lines = caught.value.details()
    # Term is declared above the fee, so its row comes first.
    assert lines == [
        f"Inputs!{term.coordinate} (row {term.row}, column 'Term'): "
        "Term must be a number, got 'three years'",
        f"Inputs!{fee.coordinate} (row {fee.row}, column 'Monthly fee'): "
        "Monthly fee must be between $0 and $50,000,000,000; -$5 is out of range"]
    assert "\n" not in str(caught.value) and "(and 1 more)" in str(caught.value)
    assert path.read_bytes() == before


def test_a_workbook_without_inputs_is_refused_in_one_line(tmp_path):
    path = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(WorkbookImportError, match="no Inputs sheet"):
        read_workbook_scenario(path)
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a zip")
    with pytest.raises(WorkbookImportError, match="not a readable .xlsx workbook"):
        read_workbook_scenario(junk)
