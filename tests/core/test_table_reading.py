"""Reading tables within limits (core.table_reading through core.importing):
each hostile shape is refused in one line saying the limit, or read, without
loading more than the limits allow.  The files are made in tmp_path."""
from __future__ import annotations

import openpyxl
import pytest

from core.importing import ImportFileError, read_file, read_pasted
from core.table_reading import (MAX_COLUMNS, MAX_ROWS, MAX_SOURCE_ROWS, ReadCancelled,
                                read_csv_rows, unique_headers)


def one_line_refusal(call) -> str:
    with pytest.raises(ImportFileError) as refused:
        call()
    message = str(refused.value)
    assert "\n" not in message and len(message) < 300, message
    return message


def test_a_million_row_csv_is_refused_after_the_row_past_the_limit(tmp_path):
    path = tmp_path / "million.csv"
    path.write_text("GPU model,GPU count\n" + "H100 SXM,1\n" * 1_000_000)
    assert f"more than {MAX_ROWS:,} rows" in one_line_refusal(lambda: read_file(path))


def test_ten_million_short_rows_within_the_byte_limit_are_refused_the_same_way(tmp_path):
    path = tmp_path / "ten-million.csv"
    path.write_bytes(b"1\n" * 10_000_000)            # 20 MB: the most Import reads
    assert f"more than {MAX_ROWS:,} rows" in one_line_refusal(lambda: read_file(path))


def test_a_million_blank_lines_are_not_read_to_the_end(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_bytes(b"Tranche,GPU count\n" + b"\n" * (MAX_SOURCE_ROWS + 10))
    assert f"more than {MAX_SOURCE_ROWS:,} rows, blank ones included" in one_line_refusal(
        lambda: read_file(path))


def test_sixteen_thousand_columns_are_refused_at_the_first_row(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(16_384)) + "\n" + "1," * 16_383 + "1\n")
    message = one_line_refusal(lambda: read_file(path))
    assert f"at most {MAX_COLUMNS:,}" in message and "16,384 columns" in message


def test_a_header_repeating_one_name_a_million_times_is_refused_as_too_wide(tmp_path):
    path = tmp_path / "repeated.csv"
    path.write_text(",".join(["Site"] * 1_000_000) + "\n")
    assert f"at most {MAX_COLUMNS:,}" in one_line_refusal(lambda: read_file(path))


def test_repeated_headers_are_made_unique_in_one_pass():
    assert unique_headers(["Site", "Site", "", "Site (2)", "", "Site"]) == (
        "Site", "Site (3)", "", "Site (2)", "", "Site (4)")
    many = unique_headers(["Site"] * 200_000)       # quadratic renaming took minutes
    assert len(set(many)) == 200_000 and many[-1] == "Site (200000)"


def test_a_pasted_block_a_hundred_thousand_columns_wide_is_refused():
    block = "\t".join(["1"] * 100_000)
    assert "100,000 columns" in one_line_refusal(lambda: read_pasted(block))


def test_a_pasted_block_within_the_limits_reads_as_before():
    table = read_pasted("Tranche\tGPUs\nA\t10\n\nB\t20")
    assert table.headers == ("Tranche", "GPUs")
    assert table.rows == (("A", "10"), ("B", "20"))
    assert table.row_numbers == (2, 4)                # the blank line keeps its number


def test_a_sheet_past_the_row_limit_is_refused_streaming(tmp_path):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Tranches")
    sheet.append(["Tranche", "GPU count"])
    for i in range(MAX_ROWS + 1):
        sheet.append([f"T{i}", i])
    path = tmp_path / "long.xlsx"
    book.save(path)
    assert f"more than {MAX_ROWS:,} rows" in one_line_refusal(lambda: read_file(path))


def test_a_far_cell_is_never_reached(tmp_path):
    """One value at XFD1048576: the sheet's rows are read up to one column past
    the limit, so the far cell (and the million-row gap before it) costs nothing."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Tranche", "GPU count"])
    sheet.append(["A", 1])
    sheet["XFD1048576"] = 1
    path = tmp_path / "far.xlsx"
    book.save(path)
    table = read_file(path)
    assert table.headers == ("Tranche", "GPU count") and table.rows == (("A", 1),)


def test_a_read_reports_progress_and_stops_when_cancelled(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("Tranche,GPU count\n" + ("A" * 60 + ",1\n") * 5_000)
    seen = []

    def check(fraction: float) -> None:
        seen.append(fraction)
        if len(seen) == 3:
            raise ReadCancelled()
    with pytest.raises(ReadCancelled):
        read_csv_rows(path, check)
    assert len(seen) == 3 and 0 < seen[0] < seen[2] <= 1
