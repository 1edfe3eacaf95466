"""Reading a table (a CSV file, a sheet of an .xlsx workbook, a pasted block)
within limits, a row at a time, so that no file of any shape takes long or
much memory.

- CSV is read by the csv module a row at a time; .xlsx by openpyxl in
  read-only (streaming) mode, asking for at most MAX_COLUMNS + 1 columns, so a
  far cell (XFD1048576) costs nothing and a million-row sheet is left after
  the row past the limit.
- Limits: MAX_ROWS non-blank rows (the workspace budget: a table longer than
  a workspace may hold could never be imported), MAX_COLUMNS columns,
  MAX_CELLS cells and MAX_SOURCE_ROWS rows blank or not; past any of them
  reading stops and TableTooLarge says which limit, in one line.
- `check(fraction)` is called every CHECK_EVERY rows with the share read so
  far: the caller shows progress, and raises ReadCancelled to stop.
- Repeated headers are made unique in linear time ("Site", "Site (2)", ...).
"""
from __future__ import annotations

import csv
import io
import os
import threading
from pathlib import Path
from typing import Any, Callable, Iterable

from core.scenario_file import MAX_RECORDS

MAX_ROWS = MAX_RECORDS
MAX_COLUMNS = 256
MAX_CELLS = 500_000
# Lines read in all, blank ones included (a spreadsheet's most): 10M blank lines
# took 7.5 s to read through.
MAX_SOURCE_ROWS = 1_048_576
CHECK_EVERY = 256
# The delimiter is sniffed from the first lines only: csv.Sniffer took 5 s on
# 64 KB of one-character lines.
_SNIFF_BYTES = 16 * 1024
_SNIFF_LINES = 20

Check = Callable[[float], None]


class ReadCancelled(Exception):
    """The user cancelled a read; nothing changes."""


class TableTooLarge(ValueError):
    """A table past a limit (rows, columns or cells); the message is one line."""


def unique_headers(headers: Iterable[str]) -> tuple[str, ...]:
    """Each header once: a repeat becomes "Name (2)", "Name (3)", ... (blank
    headers stay blank: they are shown by column letter).  Linear: one count
    per name and one set of the names given."""
    headers = list(headers)
    taken = set(headers)
    seen: dict[str, int] = {}
    out: list[str] = []
    for header in headers:
        if not header:
            out.append(header)
            continue
        count = seen.get(header, 0) + 1
        seen[header] = count
        if count == 1:
            out.append(header)
            continue
        candidate = f"{header} ({count})"
        while candidate in taken:
            count += 1
            candidate = f"{header} ({count})"
        seen[header] = count
        taken.add(candidate)
        out.append(candidate)
    return tuple(out)


def _too_wide(where: str, columns: int) -> TableTooLarge:
    # A sheet's rows are cut one column past the limit: its width is not known.
    shown = f"more than {MAX_COLUMNS:,}" if columns == MAX_COLUMNS + 1 else f"{columns:,}"
    return TableTooLarge(f"{where}: {shown} columns; at most {MAX_COLUMNS:,} can be read")


def _too_long(where: str) -> TableTooLarge:
    return TableTooLarge(f"{where}: more than {MAX_ROWS:,} rows; at most {MAX_ROWS:,} can be "
                         f"imported (a workspace holds at most {MAX_RECORDS:,} tranches and GPU "
                         f"models)")


def _too_many_cells(where: str) -> TableTooLarge:
    return TableTooLarge(f"{where}: more than {MAX_CELLS:,} cells; at most {MAX_CELLS:,} can be "
                         f"read")


def bounded_rows(rows: Iterable[Any], where: str, check: Check | None,
                 total: int | None = None) -> tuple[tuple, list[tuple[int, tuple]]]:
    """(header row, [(source row number, row)] of the non-blank rows after it),
    within the limits.  Rows are numbered from 1 as the source numbers them."""
    header: tuple = ()
    numbered: list[tuple[int, tuple]] = []
    cells = 0
    blank: object = None
    for number, row in enumerate(rows, 1):
        if check is not None and number % CHECK_EVERY == 0:
            check(min(1.0, max(len(numbered) / MAX_ROWS, number / total if total else 0.0)))
        if number > MAX_SOURCE_ROWS:
            raise TableTooLarge(f"{where}: more than {MAX_SOURCE_ROWS:,} rows, blank ones "
                                f"included; at most {MAX_SOURCE_ROWS:,} can be read")
        if row is blank:
            continue   # openpyxl fills a gap of rows with one empty row object: O(1) each
        row = tuple(row)
        width = len(row)
        while width and (row[width - 1] is None or row[width - 1] == ""):
            width -= 1   # trailing empty cells are no columns
        if width > MAX_COLUMNS:
            raise _too_wide(where, width)
        if number == 1:
            header = tuple(row[:width])
            continue
        if not width:
            blank = row
            continue   # a blank row is no record (its number is kept by the others)
        if len(numbered) == MAX_ROWS:
            raise _too_long(where)
        cells += width
        if cells > MAX_CELLS:
            raise _too_many_cells(where)
        numbered.append((number, tuple(row[:width])))
    return header, numbered


def _sniff_delimiter(sample: str) -> str:
    sample = "\n".join(sample.split("\n", _SNIFF_LINES)[:_SNIFF_LINES])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


class _CountingReader(io.RawIOBase):
    """A binary file that counts the bytes read (for progress)."""

    def __init__(self, raw):
        self.raw, self.count = raw, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.raw.readinto(buffer)
        self.count += n or 0
        return n


def read_csv_rows(path: str | os.PathLike, check: Check | None = None):
    """(header, numbered rows) of a CSV file (UTF-8, with or without a BOM;
    the delimiter sniffed from its start)."""
    path = Path(path)
    size = max(1, path.stat().st_size)
    with open(path, "rb") as raw:
        sample = raw.read(_SNIFF_BYTES).decode("utf-8-sig", errors="ignore")
        raw.seek(0)
        counting = _CountingReader(raw)
        text = io.TextIOWrapper(io.BufferedReader(counting), encoding="utf-8-sig", newline="")
        delimiter = _sniff_delimiter(sample)

        def lines():
            # A line far wider than the limit is refused before the csv module
            # splits it (a million fields took 0.4 s in one call, holding the GIL).
            for line in text:
                fields = line.count(delimiter) + 1
                if fields > 4 * MAX_COLUMNS:
                    raise _too_wide(str(path), fields)
                yield line
        reader = csv.reader(lines(), delimiter=delimiter)

        def progress(fraction: float) -> None:
            if check is not None:
                check(max(fraction, counting.count / size))
        return bounded_rows(reader, str(path), progress if check else None)


_LOADING = threading.Lock()


def open_workbook_streaming(path: str | os.PathLike):
    """A workbook opened by openpyxl in read-only mode, values only, with its
    sheets unsized: openpyxl looks for each sheet's <dimension> when it opens
    the workbook, and in a sheet without one it parsed the whole sheet to find
    none (151 s for a million rows).  Nothing here needs the sizes: rows are
    cut at a column limit and read until the caller stops."""
    import openpyxl   # only when a workbook is read
    import openpyxl.reader.excel as excel_reader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class UnsizedSheet(ReadOnlyWorksheet):
        def _get_size(self) -> None:
            return None

    with _LOADING:   # the swap below is seen by this load only
        excel_reader.ReadOnlyWorksheet = UnsizedSheet
        try:
            return openpyxl.load_workbook(path, read_only=True, data_only=True,
                                          keep_links=False)
        finally:
            excel_reader.ReadOnlyWorksheet = ReadOnlyWorksheet


def _open_book(path: Path):
    return open_workbook_streaming(path)


def xlsx_sheet_names(path: str | os.PathLike) -> list[str]:
    """The sheets of a workbook (its index only: no sheet is read)."""
    book = _open_book(Path(path))
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _sheet_rows_hint(worksheet) -> int | None:
    """The sheet's rows from its <dimension>, read from the head of its XML
    only (for progress; None when there is none)."""
    import re
    try:
        with worksheet._get_source() as source:
            head = source.read(4096)
    except (OSError, KeyError, AttributeError):
        return None
    match = re.search(rb"<(?:\w+:)?dimension[^>]*ref=\"[A-Z]+\d+:[A-Z]+(\d+)\"", head)
    return int(match.group(1)) if match else None


def read_xlsx_rows(path: str | os.PathLike, sheet: str | None = None,
                   check: Check | None = None):
    """(sheet name, header, numbered rows) of one sheet (the first by default),
    streamed: at most MAX_COLUMNS + 1 columns of each row are asked for."""
    path = Path(path)
    book = _open_book(path)
    try:
        name = sheet if sheet is not None else book.sheetnames[0]
        worksheet = book[name]
        # Unsized (open_workbook_streaming): each row is cut one column past the
        # limit, and reading stops past the row limit.
        rows = worksheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
        header, numbered = bounded_rows(rows, f"{path}, sheet {name}", check,
                                        _sheet_rows_hint(worksheet))
        return name, header, numbered
    finally:
        book.close()


def read_pasted_rows(text: str) -> list[list[str]]:
    """Tab-separated lines (a block copied from a spreadsheet) as rows of
    strings; the limits are checked on the text before a row is split."""
    lines = text.rstrip("\r\n").split("\n")
    if len(lines) > MAX_ROWS + 1:
        raise _too_long("pasted block")
    for line in lines:
        columns = line.count("\t") + 1
        if columns > MAX_COLUMNS:
            raise _too_wide("pasted block", columns)
    if sum(line.count("\t") + 1 for line in lines) > MAX_CELLS + MAX_COLUMNS:
        raise _too_many_cells("pasted block")
    return [row for row in csv.reader(io.StringIO("\n".join(lines)), delimiter="\t")] or [[]]


__all__: list[Any] = ["MAX_CELLS", "MAX_COLUMNS", "MAX_ROWS", "ReadCancelled", "TableTooLarge",
                      "bounded_rows", "read_csv_rows", "read_pasted_rows", "read_xlsx_rows",
                      "unique_headers", "xlsx_sheet_names"]
