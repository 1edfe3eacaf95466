"""Import capacity tranches and GPU models from CSV, .xlsx or a pasted block.

Files are read a row at a time within limits on rows, columns and cells
(core.table_reading: the csv module, openpyxl in read-only mode); a block
pasted from a spreadsheet is tab-separated text (what Excel and LibreOffice
put on the clipboard).  Every source becomes the same thing: a table of
cells under column headers (repeated headers made unique: "Site (2)").

The user chooses which source column feeds which field (`guess_columns`
proposes a mapping from the headers).  `check_table` then checks every cell
against its field's metadata in core/parameters.py -- kind, unit, range,
whole numbers, text length -- and the records against each other and the
scenario (unique model names, tranches naming a defined model).  Each
refused cell becomes a `CellRefusal` naming the row (as the source numbers
it: spreadsheet rows count the header as row 1), the column (its header in
the source) and the reason.  Only a table with no refusal can be applied,
and `apply_import` returns a new scenario; the one passed in is unchanged.

Tranches replace the scenario's tranches; GPU models replace the models of
the same name and add new ones (tranches refer to models by name, so a
model the import does not mention stays).

Monthly plans -- an invoice plan (month, amount $) and a demand plan (month,
tokens over the month) -- are two columns: the month is a month number
(1 = the month of the contract's start date) or a date, which counts as the
month of the term it falls in.  Months must fall within the term and appear
once; an imported plan replaces the scenario's plan of that kind.
"""
from __future__ import annotations

import csv
import dataclasses
import functools
import datetime as dt
import math
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.calendar import period_bounds
from core.parameters import (choice_text, choice_value, MAX_DATE, MIN_DATE, GpuModel, ParameterError, Scenario, Tranche,
                             MarketRent, PlannedDemand, PlannedInvoice, PlannedRent, format_range)
from core.scenario_file import MAX_RECORDS
from core.table_reading import (Check, ReadCancelled, TableTooLarge, read_csv_rows,
                                 read_pasted_rows, read_xlsx_rows, unique_headers,
                                 xlsx_sheet_names)

# What can be imported: the ClusterHardware field and its record type.
RECORD_TYPES: dict[str, type] = {"tranches": Tranche, "gpu_models": GpuModel}
KIND_TITLES = {"tranches": "Capacity tranches", "gpu_models": "GPU models"}
# Monthly plans: the field, its section and its record type.
PLAN_KINDS: dict[str, str] = {"invoice_plan": "contract", "demand_plan": "projections"}
RECORD_TYPES.update(invoice_plan=PlannedInvoice, demand_plan=PlannedDemand)
KIND_TITLES.update(invoice_plan="Invoice plan", demand_plan="Demand plan")
# The market (core/market.py): rents per GPU model, and a monthly rent curve per
# model (month, GPU model, rent), which is a plan whose months repeat, once a model.
PLAN_KINDS["rent_curve"] = "market"
RECORD_TYPES.update(rents=MarketRent, rent_curve=PlannedRent)
KIND_TITLES.update(rents="Market rents", rent_curve="Market rent curve")
# The workspace budget: more rows than a workspace may hold are never read
# (core.table_reading stops there).
MAX_ROWS = MAX_RECORDS
MAX_FILE_BYTES = 20_000_000
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ImportFileError(ValueError):
    """A file or block that cannot be read at all; one line, naming the file."""


@dataclass(frozen=True)
class CellRefusal:
    """One refused cell.  `row` is the row number the user sees in the source
    (a spreadsheet's row number; for a pasted block, its line); `column` the
    source column's header (or its letter when it has none); `cell` the
    spreadsheet reference when there is one (C12)."""
    row: int
    column: str
    reason: str
    cell: str = ""

    def __str__(self) -> str:
        where = f"{self.cell} (row {self.row}, column {self.column!r})" if self.cell else \
            f"row {self.row}, column {self.column!r}"
        return _one_line(f"{where}: {self.reason}")


@dataclass(frozen=True)
class SourceTable:
    """Cells under headers, as read from a file, a sheet or a pasted block.
    `first_row` is the row number of the first data row in the source."""
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    first_row: int = 2
    origin: str = ""
    row_numbers: tuple[int, ...] = ()   # each data row's number in the source (blank rows skipped)

    def column_letter(self, index: int) -> str:
        letters, n = "", index + 1
        while n:
            n, rem = divmod(n - 1, 26)
            letters = chr(65 + rem) + letters
        return letters


@dataclass(frozen=True)
class CheckedTable:
    """The result of checking a source table for one record kind."""
    kind: str                                   # "tranches" or "gpu_models"
    columns: dict[str, int]                     # field name -> source column index
    records: tuple[Any, ...]                    # the records of rows with no refusal
    refusals: tuple[CellRefusal, ...]
    refused_cells: frozenset[tuple[int, int]]   # (data row index, source column index)

    @property
    def ok(self) -> bool:
        return not self.refusals and bool(self.records)

    def summary(self) -> str:
        if self.refusals:
            return (f"{len(self.refusals)} cell(s) refused; nothing imported. "
                    f"First: {self.refusals[0]}")
        if self.kind in PLAN_KINDS:
            return (f"{len(self.records)} month(s) of the {KIND_TITLES[self.kind].lower()} "
                    f"ready to import")
        return f"{len(self.records)} {KIND_TITLES[self.kind].lower()} ready to import"


def _one_line(text: str) -> str:
    return _CONTROL.sub(" ", text)


def importable_fields(kind: str) -> list[dataclasses.Field]:
    """The record type's user-editable fields, in declaration order."""
    return [f for f in dataclasses.fields(RECORD_TYPES[kind]) if "kind" in f.metadata]


def field_header(f: dataclasses.Field) -> str:
    """"IT power per GPU (kW)": the header the app's own exports use."""
    unit = f.metadata.get("unit", "")
    return f"{f.metadata['label']} ({unit})" if unit else f.metadata["label"]


# --- reading ---------------------------------------------------------------------------------

def _cell(value: Any) -> Any:
    """A cell as read: blank (None, NaN) is "", text is stripped."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value.strip() if isinstance(value, str) else value


def _table_from_rows(header: tuple, numbered: list[tuple[int, tuple]], has_header: bool,
                     origin: str) -> SourceTable:
    """A SourceTable from rows read within the limits (core.table_reading):
    blank rows are already left out, each row keeps its number in the source."""
    width = max([len(header)] + [len(r) for _, r in numbered])
    headers = unique_headers(str(_cell(h)) for h in header) if has_header else ()
    headers = headers + ("",) * (width - len(headers))
    rows = tuple(tuple(_cell(v) for v in r) + ("",) * (width - len(r)) for _, r in numbered)
    first_row = 2 if has_header else 1
    if not rows:
        return SourceTable(headers, (), first_row, origin)
    return SourceTable(headers, rows, numbered[0][0], origin, tuple(n for n, _ in numbered))


def row_number(table: SourceTable, index: int) -> int:
    return table.row_numbers[index] if table.row_numbers else table.first_row + index


def sheet_names(path: str | os.PathLike) -> list[str]:
    """The sheets of an .xlsx file; [] for a CSV file."""
    path = Path(path)
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        return []
    _check_file(path)
    try:
        return [str(s) for s in xlsx_sheet_names(path)]
    except Exception as error:  # zip, XML or openpyxl errors: all mean "not a workbook"
        raise ImportFileError(f"{path}: not a readable .xlsx workbook ({_one_line(str(error))[:120]})")


def _check_file(path: Path) -> None:
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImportFileError(f"{path}: larger than {MAX_FILE_BYTES // 1_000_000} MB; not a table to import")


def read_file(path: str | os.PathLike, sheet: str | None = None,
              check: Check | None = None) -> SourceTable:
    """A CSV file, or one sheet of an .xlsx file (the first by default),
    with its first row as headers; read a row at a time within the limits of
    core.table_reading (`check(fraction)` reports progress and may raise
    ReadCancelled)."""
    path = Path(path)
    _check_file(path)
    suffix = path.suffix.lower()
    try:
        if suffix in EXCEL_SUFFIXES:
            names = sheet_names(path)
            if sheet is not None and sheet not in names:
                raise ImportFileError(f"{path}: no sheet named {sheet!r}; sheets: {', '.join(names)}")
            name, header, numbered = read_xlsx_rows(path, sheet, check)
            origin = f"{path.name}, sheet {name}"
        else:
            header, numbered = read_csv_rows(path, check)
            origin = path.name
    except (ImportFileError, ReadCancelled):
        raise
    except TableTooLarge as error:
        raise ImportFileError(str(error)) from None
    except UnicodeDecodeError:
        raise ImportFileError(f"{path}: not UTF-8 text; save the sheet as CSV (UTF-8)")
    except (csv.Error, ValueError, KeyError, OSError, zipfile.BadZipFile) as error:
        raise ImportFileError(f"{path}: cannot be read as a table ({_one_line(str(error))[:160]})")
    return _table_from_rows(header, numbered, True, origin)


def read_pasted(text: str, header: bool | None = None) -> SourceTable:
    """A block copied from a spreadsheet: rows on lines, cells separated by
    tabs.  `header=None` takes the first line as headers when none of its
    cells is a number or a date (a copied header row)."""
    if not text.strip():
        raise ImportFileError("the clipboard holds no cells to paste")
    try:
        rows = read_pasted_rows(text)
    except TableTooLarge as error:
        raise ImportFileError(str(error)) from None
    except csv.Error as error:
        raise ImportFileError(f"pasted block: not tab-separated cells ({_one_line(str(error))[:120]})")
    if header is None:
        first = [str(v).strip() for v in rows[0]]
        header = len(rows) > 1 and all(v and _number_text(v) is None and _date_text(v) is None
                                       for v in first)
    first_number = 1 if header else 0
    numbered = [(first_number + i, tuple(r)) for i, r in enumerate(rows[1:] if header else rows, 1)]
    numbered = [(n, r) for n, r in numbered if any(str(v).strip() for v in r)]
    return _table_from_rows(tuple(rows[0]) if header else (), numbered, bool(header),
                            "pasted block")


# --- mapping columns ---------------------------------------------------------------------------

def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


@functools.lru_cache(maxsize=1024)   # asked once per cell, of a few headers
def _header_unit(header: str) -> str | None:
    match = re.search(r"\(([^()]*)\)\s*$", str(header))
    return match.group(1).strip() if match else None


def guess_columns(kind: str, headers: tuple[str, ...]) -> dict[str, int]:
    """Field -> source column, matched on the field's name, label, the app's
    own header ("GPU count (GPUs)") or the table's header; columns without a
    header are taken in field order."""
    if not any(headers):
        return {f.name: i for i, f in enumerate(importable_fields(kind)) if i < len(headers)}
    from_header: dict[str, int] = {}
    names = [_norm(h) for h in headers]
    stripped = [_norm(re.sub(r"\([^()]*\)\s*$", "", h)) for h in headers]
    for f in importable_fields(kind):
        candidates = {_norm(f.name), _norm(f.metadata["label"]), _norm(field_header(f))}
        candidates |= {_norm(a) for a in ALIASES.get(kind, {}).get(f.name, ())}
        for i, (name, bare) in enumerate(zip(names, stripped)):
            if (name in candidates or bare in candidates) and i not in from_header.values():
                from_header[f.name] = i
                break
    return from_header


# The tables' own headers in the app (ui/tables.py), so a block copied out of
# the app pastes back.
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "tranches": {"name": ("Tranche", "Name"), "gpu_count": ("GPUs", "Count"),
                 "online_date": ("Online", "Date")},
    "gpu_models": {"name": ("GPU model", "Model", "Name"), "it_kw_per_gpu": ("IT kW/GPU",),
                   "bf16_dense_tflops": ("BF16 TFLOPS", "TFLOPS"), "hbm_gb": ("HBM GB",),
                   "capex_per_gpu": ("Capex $/GPU", "Capex"), "tokens_per_s": ("Tokens/s",)},
    "invoice_plan": {"month": ("Date", "Period", "Month number", "Invoice date", "Month start"),
                     "amount": ("Amount", "Invoice", "Amount ($)", "Invoice ($)", "Billed")},
    "rent_curve": {"month": ("Date", "Period", "Month number", "Month start"),
                   "gpu_model": ("Model", "GPU"), "rent": ("Rent", "$/GPU-hour", "Price",
                                                            "Rent ($/GPU-h)", "Forward")},
    "rents": {"gpu_model": ("Model", "GPU"), "rent_per_gpu_hour": ("Rent", "Market rent"),
              "quote_1_month": ("1-month",), "quote_1_year": ("1-year",),
              "quote_3_year": ("3-year",)},
    "demand_plan": {"month": ("Date", "Period", "Month number", "Month start"),
                    "tokens": ("Tokens", "Demand", "Tokens per month", "Demand (tokens)")},
}


def plan_month(value: Any, scenario: Scenario) -> Any:
    """A plan's month cell as a month number: a date counts as the month of
    the term it falls in (1 = the period that starts on the start date);
    anything else is returned for parse_cell to check as a number.  Raises
    ValueError for a date outside the term."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise ValueError(f"Month must be a month number or a date, got {value}")
        value = value.date()
    elif isinstance(value, str) and _date_text(value.strip()) is not None:
        value = _date_text(value.strip())
    if not isinstance(value, dt.date):
        return value
    c = scenario.contract
    bounds = period_bounds(c.start_date, c.term_months)
    day = np.datetime64(value, "D")
    if not bounds[0] <= day < bounds[-1]:
        raise ValueError(f"{value} is outside the term ({bounds[0]} to "
                         f"{bounds[-1] - np.timedelta64(1, 'D')})")
    return int(np.searchsorted(bounds, day, side="right"))


# --- checking one cell ------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d*)?([eE][+-]?\d+)?$")


def _number_text(text: str) -> float | None:
    text = text.replace("\u00a0", "").replace(" ", "")
    if not text or not _NUMBER.match(text) or not re.search(r"\d", text):
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _date_text(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10]) if re.match(r"^\d{4}-\d{2}-\d{2}( 00:00(:00)?)?$", text) \
            else None
    except ValueError:
        return None


def _units_match(given: str, unit: str) -> bool:
    return _norm(given) == _norm(unit) or given.strip().lower() == unit.strip().lower()


def parse_cell(f: dataclasses.Field, value: Any, column_unit: str | None = None) -> Any:
    """The value of one cell for a field; raises ValueError with the reason."""
    meta = f.metadata
    kind = meta["kind"]
    label = meta["label"]
    if value == "" or value is None:
        if kind == "text":
            return ""      # a blank site or buyer is allowed; a record may still refuse it
        raise ValueError(f"{label} is empty")
    if kind == "number":
        unit = meta.get("unit", "")
        if column_unit is not None and column_unit and unit and not _units_match(column_unit, unit):
            raise ValueError(f"the column is in {column_unit}, but {label} is in {unit}")
        if isinstance(value, bool):
            raise ValueError(f"{label} must be a number, got {value}")
        if isinstance(value, (int, float)):
            number = float(value)
        else:
            text = str(value).strip()
            if unit == "$" or unit.startswith("$ "):
                text = re.sub(r"^([+-]?)\$", r"\1", text)
            rest = _number_split(text)
            if rest is None:
                raise ValueError(f"{label} must be a number, got {_shown(value)}")
            number, given_unit = rest
            if given_unit and not (unit and (_units_match(given_unit, unit)
                                             or (unit.startswith("%") and given_unit == "%"))):
                raise ValueError(f"{label} is in {unit or 'no unit'}, not {given_unit}")
        if not math.isfinite(number):
            raise ValueError(f"{label} must be a finite number, got {_shown(value)}")
        if f.type in ("int", int):
            if not number.is_integer():
                raise ValueError(f"{label} must be a whole number, got {number:g}")
            number = int(number)
        lo, hi = meta.get("minimum"), meta.get("maximum")
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            raise ValueError(f"{label} must be between {format_range(meta)}; "
                             f"{number:,g} is out of range")
        return number
    if kind == "date":
        if isinstance(value, dt.datetime):
            if value.time() != dt.time(0):
                raise ValueError(f"{label} must be a date without a time, got {value}")
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        else:
            parsed = _date_text(str(value).strip())
            if parsed is None:
                raise ValueError(f"{label} must be a date as YYYY-MM-DD, got {_shown(value)}")
            day = parsed
        if not MIN_DATE <= day <= MAX_DATE:
            raise ValueError(f"{label} must be between {MIN_DATE} and {MAX_DATE}; {day} is out of range")
        return day
    text = value if isinstance(value, str) else _plain(value)
    text = text.strip()
    if kind == "text":
        if len(text) > meta["max_length"]:
            raise ValueError(f"{label} must be at most {meta['max_length']} characters")
        return text
    if kind == "choice":
        # A sheet shows a choice's text ("fixed monthly fee"); the scenario stores its value.
        value = choice_value(meta, text)
        if value not in meta["choices"]:
            shown = ", ".join(choice_text(meta, c) for c in meta["choices"])
            raise ValueError(f"{label} must be one of {shown}; got {_shown(text)}")
        return value
    raise ValueError(f"{label}: cannot be imported")


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number_split(text: str) -> tuple[float, str] | None:
    """"1.4 kW" -> (1.4, "kW"); "40,000" -> (40000.0, ""); "12%" -> (12.0, "%")."""
    match = re.match(r"^\s*([+-]?[\d.,]+(?:[eE][+-]?\d+)?)\s*(.*?)\s*$", text)
    if not match:
        return None
    number = _number_text(match.group(1))
    if number is None:
        return None
    return number, match.group(2)


def _shown(value: Any) -> str:
    text = _one_line(str(value))
    return repr(text if len(text) <= 40 else text[:37] + "...")


# --- checking a table -----------------------------------------------------------------------

def check_table(kind: str, table: SourceTable, columns: dict[str, int],
                scenario: Scenario) -> CheckedTable:
    """Check every mapped cell of every row -- each against its field's
    metadata, a tranche's model against the scenario's models, a GPU model's
    name against the rows above -- and build the records of rows with no
    refused cell."""
    if kind not in RECORD_TYPES:
        raise KeyError(kind)
    fields = importable_fields(kind)
    refusals: list[CellRefusal] = []
    refused: set[tuple[int, int]] = set()

    def column_name(index: int) -> str:
        header = table.headers[index] if index < len(table.headers) else ""
        return header or f"column {table.column_letter(index)}"

    def refuse(row_index: int, col_index: int | None, reason: str, field_name: str) -> None:
        column = column_name(col_index) if col_index is not None else field_name
        cell = (f"{table.column_letter(col_index)}{row_number(table, row_index)}"
                if col_index is not None and table.origin != "pasted block" else "")
        refusals.append(CellRefusal(row_number(table, row_index), column, reason, cell))
        if col_index is not None:
            refused.add((row_index, col_index))

    missing = [f for f in fields if f.name not in columns]
    for f in missing:
        # Tranches need every field; a GPU model's unmapped figures would be silently invented.
        refusals.append(CellRefusal(table.first_row - 1 if table.first_row > 1 else 1,
                                    f.metadata["label"],
                                    f"no column is chosen for {f.metadata['label']}"))
    if missing or not table.rows:
        if not table.rows:
            refusals.append(CellRefusal(table.first_row, "", "the table has no rows"))
        return CheckedTable(kind, dict(columns), (), tuple(refusals), frozenset(refused))

    known = {m.name for m in scenario.hardware.gpu_models}
    first_with: dict[str, int] = {}     # GPU model name -> the row it is first on
    month_on: dict[int, int] = {}       # a plan's month -> the row it is first on
    model_month_on: dict[tuple, int] = {}   # a rent curve's (month, model) -> its row
    term = scenario.contract.term_months
    records: list[tuple[int, Any]] = []
    for r, row in enumerate(table.rows):
        values, ok = {}, True
        for f in fields:
            c = columns[f.name]
            raw = row[c] if c < len(row) else ""
            try:
                if kind in PLAN_KINDS and f.name == "month":
                    raw = plan_month(raw, scenario)
                values[f.name] = parse_cell(f, raw, _header_unit(column_name(c)))
                if kind in PLAN_KINDS and f.name == "month":
                    if values["month"] > term:
                        raise ValueError(f"month {values['month']} is after the term's "
                                         f"{term} months")
                    if kind != "rent_curve":     # its months repeat, once a model
                        if values["month"] in month_on:
                            raise ValueError(f"month {values['month']} is already on row "
                                             f"{month_on[values['month']]}")
                        month_on[values["month"]] = row_number(table, r)
                if kind == "rent_curve" and f.name == "gpu_model" and "month" in values:
                    key = (values["month"], values["gpu_model"])
                    if key in model_month_on:
                        raise ValueError(f"month {key[0]} of {_shown(key[1])} is already on "
                                         f"row {model_month_on[key]}")
                    model_month_on[key] = row_number(table, r)
                if kind == "gpu_models" and f.name == "name" and values["name"] in first_with:
                    # The scenario refuses two models of one name (tranches refer to them by it).
                    raise ValueError(f"{_shown(values['name'])} is already on row "
                                     f"{first_with[values['name']]}")
                if kind == "tranches" and f.name == "gpu_model" and values[f.name] not in known:
                    raise ValueError(f"GPU model {_shown(values[f.name])} is not defined; defined "
                                     f"models: {', '.join(sorted(known)) or 'none'}")
            except ValueError as error:
                refuse(r, c, str(error), f.name)
                ok = False
        if kind == "gpu_models" and isinstance(values.get("name"), str):
            first_with.setdefault(values["name"], row_number(table, r))
        if not ok:
            continue
        try:
            records.append((r, RECORD_TYPES[kind](**values)))
        except ParameterError as error:
            refuse(r, columns.get(error.field), str(error), error.field)

    refusals.sort(key=lambda x: (x.row, x.cell or x.column))
    return CheckedTable(kind, dict(columns), tuple(rec for _, rec in records), tuple(refusals),
                        frozenset(refused))


def apply_import(scenario: Scenario, checked: CheckedTable) -> Scenario:
    """The scenario with the checked records in it.  Raises ValueError (with
    the first refusal) if any cell was refused: nothing is half-imported."""
    if checked.refusals:
        raise ValueError(checked.summary())
    hardware = scenario.hardware
    if checked.kind == "rent_curve":
        # An imported curve is what the forward path follows from now on.
        plan = tuple(sorted(checked.records, key=lambda e: (e.gpu_model, e.month)))
        return scenario.with_changes("market", rent_curve=plan, forward_path="imported")
    if checked.kind == "rents":
        return scenario.with_changes("market", rents=tuple(checked.records))
    if checked.kind in PLAN_KINDS:
        plan = tuple(sorted(checked.records, key=lambda e: e.month))
        return scenario.with_changes(PLAN_KINDS[checked.kind], **{checked.kind: plan})
    if checked.kind == "tranches":
        return scenario.with_changes("hardware", tranches=tuple(checked.records))
    new = {m.name: m for m in checked.records}
    kept = tuple(new.pop(m.name, m) for m in hardware.gpu_models)
    return scenario.with_changes("hardware", gpu_models=kept + tuple(new.values()))


def import_records(scenario: Scenario, kind: str, table: SourceTable,
                   columns: dict[str, int] | None = None) -> tuple[Scenario, CheckedTable]:
    """Check and apply in one go (columns guessed from the headers if not
    given).  On refusal, returns the scenario passed in, unchanged."""
    checked = check_table(kind, table, guess_columns(kind, table.headers) if columns is None
                          else columns, scenario)
    if checked.refusals:
        return scenario, checked
    return apply_import(scenario, checked), checked


def table_as_tsv(headers: list[str], rows: list[list[Any]]) -> str:
    """Rows as tab-separated text, as spreadsheets copy and paste them."""
    def cell(v: Any) -> str:
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return re.sub(r"[\t\r\n]+", " ", str(v))
    lines = ["\t".join(cell(h) for h in headers)] if headers else []
    lines += ["\t".join(cell(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"
