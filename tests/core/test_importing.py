"""Importing tranches and GPU models: the same rows from CSV, from an .xlsx
sheet and from a pasted block give the same scenario; a bad cell is refused
by row, column and reason, and the scenario is unchanged."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from core.importing import (CellRefusal, ImportFileError, check_table, guess_columns,
                            import_records, read_file, read_pasted, sheet_names, table_as_tsv)
from core.parameters import GpuModel, Tranche
from core.presets import default_scenario
from tests.helpers import write_csv

HEADERS = ["Tranche", "Site", "GPU model", "GPU count (GPUs)", "Online date"]
ROWS = [["Colossus 1", "Memphis, TN", "H100 SXM", "150,000", "2026-06-01"],
        ["Colossus 2", "Memphis, TN", "GB200", "110000", "2027-01-15"]]
# What those rows mean, written out by hand.
EXPECTED = (Tranche("Colossus 1", "Memphis, TN", "H100 SXM", 150_000, dt.date(2026, 6, 1)),
            Tranche("Colossus 2", "Memphis, TN", "GB200", 110_000, dt.date(2027, 1, 15)))




def write_xlsx(path, headers, rows, sheet="Capacity", offset_sheet=True):
    book = openpyxl.Workbook()
    if offset_sheet:
        book.active.title = "Notes"
        book.active["A1"] = "not the data"
        ws = book.create_sheet(sheet)
    else:
        ws = book.active
        ws.title = sheet
    ws.append(headers)
    for row in rows:
        # Native cell types, as an analyst's sheet holds them.
        ws.append([row[0], row[1], row[2], int(row[3].replace(",", "")),
                   dt.datetime.fromisoformat(row[4])])
    book.save(path)
    return path


def scenario_with_gb200():
    s = default_scenario()
    assert "GB200" in {m.name for m in s.hardware.gpu_models}
    return s


def test_csv_xlsx_and_pasted_block_give_the_same_scenario(tmp_path):
    base = scenario_with_gb200()
    from_csv, checked_csv = import_records(base, "tranches",
                                           read_file(write_csv(tmp_path / "t.csv", HEADERS, ROWS)))
    xlsx = write_xlsx(tmp_path / "t.xlsx", HEADERS, ROWS)
    assert sheet_names(xlsx) == ["Notes", "Capacity"]
    from_xlsx, checked_xlsx = import_records(base, "tranches", read_file(xlsx, sheet="Capacity"))
    pasted = "\r\n".join("\t".join(r) for r in [HEADERS] + ROWS) + "\r\n"  # as Excel copies
    from_paste, checked_paste = import_records(base, "tranches", read_pasted(pasted))
    for checked in (checked_csv, checked_xlsx, checked_paste):
        assert checked.refusals == ()
    assert from_csv.hardware.tranches == EXPECTED
    assert from_csv == from_xlsx == from_paste
    assert from_csv == base.with_changes("hardware", tranches=EXPECTED)


def test_a_pasted_block_without_headers_maps_columns_in_table_order():
    block = "\n".join("\t".join(r) for r in ROWS)
    table = read_pasted(block)
    assert table.headers == ("",) * 5 and table.first_row == 1
    scenario, checked = import_records(scenario_with_gb200(), "tranches", table)
    assert checked.refusals == () and scenario.hardware.tranches == EXPECTED


@pytest.mark.parametrize("bad, column, reason", [
    ("-5", "GPU count (GPUs)", "GPU count must be between 0 and 10,000,000 GPUs; -5 is out of range"),
    ("12.5", "GPU count (GPUs)", "GPU count must be a whole number, got 12.5"),
    ("lots", "GPU count (GPUs)", "GPU count must be a number, got 'lots'"),
    ("20 MW", "GPU count (GPUs)", "GPU count is in GPUs, not MW"),
])
def test_a_bad_cell_is_refused_by_row_column_and_reason(tmp_path, bad, column, reason):
    base = scenario_with_gb200()
    rows = [list(ROWS[0]), list(ROWS[1])]
    rows[1][3] = bad     # the second data row: spreadsheet row 3, column D
    scenario, checked = import_records(base, "tranches",
                                       read_file(write_csv(tmp_path / "bad.csv", HEADERS, rows)))
    assert checked.refusals == (CellRefusal(3, column, reason, "D3"),)
    assert str(checked.refusals[0]) == f"D3 (row 3, column {column!r}): {reason}"
    assert scenario is base


def test_a_column_in_another_unit_is_refused_and_dates_must_be_dates(tmp_path):
    base = scenario_with_gb200()
    headers = ["GPU model", "IT power per GPU (W)", "Dense BF16", "HBM (GB)", "Capex", "Tokens/s"]
    rows = [["X1", "1400", "989", "80", "$40,000", "2675"]]
    _, checked = import_records(base, "gpu_models",
                                read_file(write_csv(tmp_path / "m.csv", headers, rows)))
    assert [str(r) for r in checked.refusals] == [
        "B2 (row 2, column 'IT power per GPU (W)'): the column is in W, but IT power per GPU is in kW"]
    rows = [list(ROWS[0])]
    rows[0][4] = "01/06/2026"   # ambiguous (June or January): refused, not guessed
    _, checked = import_records(base, "tranches", read_file(write_csv(tmp_path / "d.csv", HEADERS, rows)))
    assert [r.reason for r in checked.refusals] == [
        "Online date must be a date as YYYY-MM-DD, got '01/06/2026'"]


def test_unknown_model_and_duplicate_model_names_are_refused(tmp_path):
    base = scenario_with_gb200()
    rows = [list(ROWS[0]), list(ROWS[0])]
    rows[1][2] = "Z9000"
    rows[1][3] = "-1"
    _, checked = import_records(base, "tranches", read_file(write_csv(tmp_path / "u.csv", HEADERS, rows)))
    # Every bad cell of a row is named, not just the first.
    assert [(r.cell, r.reason) for r in checked.refusals] == [
        ("C3", "GPU model 'Z9000' is not defined; defined models: B200, GB200, GB300, H100 SXM, H200"),
        ("D3", "GPU count must be between 0 and 10,000,000 GPUs; -1 is out of range")]
    headers = ["GPU model", "IT power per GPU (kW)", "Dense BF16 (TFLOPS)", "HBM (GB)",
               "All-in capex per GPU ($)", "Inference throughput (tokens/s)"]
    rows = [["X1", "1.4", "989", "80", "40000", "2675"]] * 2
    _, checked = import_records(base, "gpu_models",
                                read_file(write_csv(tmp_path / "m.csv", headers, rows)))
    assert [(r.cell, r.reason) for r in checked.refusals] == [("A3", "'X1' is already on row 2")]


def test_gpu_models_replace_by_name_and_add_new_ones(tmp_path):
    base = default_scenario()
    headers = ["GPU model", "IT power per GPU (kW)", "Dense BF16 (TFLOPS)", "HBM (GB)",
               "All-in capex per GPU ($)", "Inference throughput (tokens/s)"]
    rows = [["H100 SXM", "1.5", "989", "80", "$41,000", "2700"],
            ["MI355X", "1.9", "2300", "288", "50000", "9000"]]
    scenario, checked = import_records(base, "gpu_models",
                                       read_file(write_csv(tmp_path / "m.csv", headers, rows)))
    assert checked.refusals == ()
    models = {m.name: m for m in scenario.hardware.gpu_models}
    assert models["H100 SXM"] == GpuModel("H100 SXM", 1.5, 989.0, 80.0, 41_000.0, 2_700.0)
    assert models["MI355X"] == GpuModel("MI355X", 1.9, 2300.0, 288.0, 50_000.0, 9_000.0)
    # Models the file does not mention stay, in their place.
    assert [m.name for m in scenario.hardware.gpu_models] == \
        [m.name for m in base.hardware.gpu_models] + ["MI355X"]


def test_chosen_columns_override_the_guess(tmp_path):
    headers = ["when", "n", "who", "where", "what"]
    rows = [[r[4], r[3], r[0], r[1], r[2]] for r in ROWS]
    table = read_file(write_csv(tmp_path / "odd.csv", headers, rows))
    assert guess_columns("tranches", table.headers) == {}
    columns = {"online_date": 0, "gpu_count": 1, "name": 2, "site": 3, "gpu_model": 4}
    scenario, checked = import_records(scenario_with_gb200(), "tranches", table, columns)
    assert checked.refusals == () and scenario.hardware.tranches == EXPECTED
    _, unmapped = import_records(scenario_with_gb200(), "tranches", table)
    assert "no column is chosen for Tranche" in unmapped.refusals[0].reason


def test_files_that_are_not_tables_give_one_line(tmp_path):
    not_xlsx = tmp_path / "fake.xlsx"
    not_xlsx.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportFileError) as error:
        read_file(not_xlsx)
    assert "fake.xlsx" in str(error.value) and "\n" not in str(error.value)
    with pytest.raises(ImportFileError, match="no sheet named 'Nope'"):
        read_file(write_xlsx(tmp_path / "t.xlsx", HEADERS, ROWS), sheet="Nope")
    with pytest.raises(ImportFileError, match="no such file"):
        read_file(tmp_path / "absent.csv")


def test_tsv_copied_out_pastes_back():
    text = table_as_tsv(HEADERS, [[t.name, t.site, t.gpu_model, t.gpu_count, t.online_date]
                                  for t in EXPECTED])
    assert text.splitlines()[1] == "Colossus 1\tMemphis, TN\tH100 SXM\t150000\t2026-06-01"
    scenario, checked = import_records(scenario_with_gb200(), "tranches", read_pasted(text))
    assert checked.refusals == () and scenario.hardware.tranches == EXPECTED


def test_check_table_marks_refused_cells_for_the_preview(tmp_path):
    rows = [list(ROWS[0]), list(ROWS[1])]
    rows[0][4] = "soon"
    table = read_file(write_csv(tmp_path / "p.csv", HEADERS, rows))
    checked = check_table("tranches", table, guess_columns("tranches", table.headers),
                          scenario_with_gb200())
    assert checked.refused_cells == {(0, 4)}
    assert checked.records == (EXPECTED[1],) and not checked.ok


def test_copied_text_a_spreadsheet_would_run_is_marked_as_text():
    # Each case by hand: a formula start (=, +, -, @, tab, CR) gets the apostrophe
    # unless the whole cell is a number as a spreadsheet writes one.
    text = table_as_tsv(["=1+1", "Name"], [["=HYPERLINK(\"http://x\")", -2.5], ["-2+3", "-2.5"],
                                           ["@A1", "+3"], ["\t=1", "-1,234.50"],
                                           ["\r=1", "-12%"], ["-", "-$1,250"]])
    assert text.splitlines() == ["'=1+1\tName", "'=HYPERLINK(\"http://x\")\t-2.5",
                                 "'-2+3\t-2.5", "'@A1\t+3", "' =1\t-1,234.50", "' =1\t-12%",
                                 "'-\t-$1,250"]
    table = read_pasted(text)
    assert table.headers == ("=1+1", "Name")
    assert [row[0] for row in table.rows][:3] == ["=HYPERLINK(\"http://x\")", "-2+3", "@A1"]
