"""File > Open of the workbook the app exports: its Inputs sheet back into a
scenario, so inputs changed in Excel come back into the app.

core/export/workbook.py writes every scalar input in column C of the Inputs
sheet under a defined name `section_field` (contract_monthly_fee), and the
record tables (GPU models, tranches) below them, each under a title row
"Cluster hardware: GPU models" and a header row.  This module reads the
scalars by those defined names (wherever a user moved the cells) and the
record tables by their titles, and checks every value with the same rules
as any import (core/importing.py): kind, unit, range.  The monthly plans
(an invoice plan under "Contract terms: Invoice plan", a demand plan under
"Projections: Demand plan") are read the same way when the sheet has them;
without them the scenario has none.  The named cases (names, weights and
the inputs each changes) are read from the Cases sheet
(core/export/workbook_cases.py) when the workbook has one.

Every refused value is reported, cell by cell ("Inputs!C9 (Monthly fee):
..."), in one `WorkbookImportError`; nothing is returned then, so the
caller's scenario is unchanged.  Reading never writes the file.
"""
from __future__ import annotations

import dataclasses
import os
import zipfile
from pathlib import Path

from core.export.assumptions import NOT_IN_WORKBOOK, TABLE_TITLES, section_title
from core.export.workbook_cases import (CASE_HEADER, CHANGES_HEADING, FIGURES_HEADING,
                                        KEY_HEADER, SHEET as CASES_SHEET, WEIGHT_LABEL)
from core.importing import (PLAN_KINDS, RECORD_TYPES, CellRefusal, SourceTable, _one_line,
                            _shown, check_table, guess_columns, parse_cell)
from core.parameters import (Case, CaseChange, ClusterHardware, ContractTerms, Credit, Market,
                             ParameterError, Scenario, field_meta)
from core.safe_write import finish_interrupted_save
from core.scenario_file import MAX_RECORDS, over_budget
from core.table_reading import open_workbook_streaming
from core.xlsx_check import duplicate_defined_name, sheet_parts, sheet_problem

INPUTS_SHEET = "Inputs"
TITLE_PREFIX = "Inputs: "
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
MAX_FILE_BYTES = 50_000_000
MAX_TERM = int(field_meta(ContractTerms, "term_months")["maximum"])
# Sections an earlier export did not write: a workbook with none of their
# names takes their defaults (one with some of them must have all).
ADDED_LATER = ("credit",)
# Workbooks written before 0.1.0's "GPU models" say "Gpu models": both are read.
_TABLE_TITLES = {kind: (title, "Gpu models") if kind == "gpu_models" else (title,)
                 for kind, title in TABLE_TITLES.items()}


class WorkbookImportError(ValueError):
    """The workbook was refused.  `refusals` lists every refused cell; the
    message is one line naming the file and the first of them (and how many
    more)."""

    def __init__(self, file: str | os.PathLike, detail: str,
                 refusals: tuple[CellRefusal, ...] = ()):
        self.file = str(file)
        self.detail = detail
        self.refusals = refusals
        self.more = f" (and {len(refusals) - 1:,} more)" if len(refusals) > 1 else ""
        super().__init__(_one_line(f"{self.file}: {detail}{self.more}"))

    def details(self) -> list[str]:
        """One line per refused cell, for a list the user can read."""
        return [str(r) for r in self.refusals] or [self.detail]


def is_workbook(path: str | os.PathLike) -> bool:
    return Path(path).suffix.lower() in WORKBOOK_SUFFIXES


def _load(path: Path):
    finish_interrupted_save(path)   # a save killed midway: the whole old version back
    if not path.is_file():
        raise WorkbookImportError(path, "no such file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise WorkbookImportError(path, f"larger than {MAX_FILE_BYTES // 1_000_000} MB; "
                                        "not a workbook this app exported")
    # What openpyxl would read silently (a name defined twice, a row of the
    # Inputs sheet numbered out of order) or fail on vaguely is said first.
    problem = duplicate_defined_name(path) or sheet_problem(
        path, [INPUTS_SHEET, CASES_SHEET], max_rows=MAX_SHEET_ROWS)
    if problem is not None:
        raise WorkbookImportError(path, problem)
    try:
        # Cached values: an input an analyst typed as a formula (=1.1e9) reads as its result.
        # Read-only: sheets are streamed (_InputsSheet), never loaded whole.
        return open_workbook_streaming(path)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, SyntaxError) as error:
        raise _unreadable(path, error) from None


# How much of the Inputs sheet is read: its inputs and tables fit well within
# (two tables at the workspace budget, two plans of 240 months, the sections);
# a cell beyond (one far cell at XFD1048576) is never reached.
MAX_SHEET_ROWS = 2 * MAX_RECORDS + 2_000
MAX_SHEET_COLUMNS = 64


@dataclasses.dataclass(frozen=True)
class _Cell:
    value: object
    row: int


class _InputsSheet:
    """The Inputs sheet read once, a row at a time, within MAX_SHEET_ROWS x
    MAX_SHEET_COLUMNS; looked up by coordinate ("C9") and by rows."""

    def __init__(self, sheet):
        rows = sheet.iter_rows(max_col=MAX_SHEET_COLUMNS, values_only=True)
        self.rows = [tuple(row) for _, row in zip(range(MAX_SHEET_ROWS), rows)]

    def __getitem__(self, coordinate: str) -> _Cell:
        from openpyxl.utils.cell import coordinate_to_tuple
        try:
            row, column = coordinate_to_tuple(coordinate)
        except (ValueError, TypeError):
            return _Cell(None, 0)   # not one cell (a range): read as empty, refused as such
        values = self.rows[row - 1] if row <= len(self.rows) else ()
        return _Cell(values[column - 1] if column <= len(values) else None, row)

    def iter_rows(self, values_only: bool = True):
        return iter(self.rows)


def read_workbook_scenario(path: str | os.PathLike) -> Scenario:
    """The scenario in an exported workbook's Inputs sheet; WorkbookImportError
    (one line naming the file, the sheet and cell, and the reason) otherwise."""
    path = Path(path)
    try:
        return _read_scenario(path)
    except WorkbookImportError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, SyntaxError) as error:
        # A sheet read lazily (streaming) fails here rather than in _load.
        raise _unreadable(path, error) from None


def _read_scenario(path: Path) -> Scenario:
    book = _load(path)
    if INPUTS_SHEET not in book.sheetnames:
        raise WorkbookImportError(path, f"no {INPUTS_SHEET} sheet; not a workbook this app exported")
    try:
        sheet = _InputsSheet(book[INPUTS_SHEET])
        cases_rows = (_InputsSheet(book[CASES_SHEET]).rows if CASES_SHEET in book.sheetnames
                      else None)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, SyntaxError) as error:
        raise _unreadable(path, error) from None
    finally:
        book.close()
    refusals: list[CellRefusal] = []
    base = Scenario()

    sections = {}
    for section in Scenario.SECTIONS:
        if section in NOT_IN_WORKBOOK:
            continue      # not written to the workbook: its defaults (NOT_IN_WORKBOOK)
        part = getattr(base, section)
        if section in ADDED_LATER and not any(
                f"{section}_{f.name}" in book.defined_names
                for f in dataclasses.fields(part) if "kind" in f.metadata):
            continue      # a workbook exported before it had the section: its defaults
        values = {}
        for f in dataclasses.fields(part):
            if "kind" not in f.metadata:
                continue
            key = f"{section}_{f.name}"
            label = f.metadata["label"]
            if key not in book.defined_names:
                refusals.append(CellRefusal(0, label, f"the defined name {key} is missing",
                                            INPUTS_SHEET))
                continue
            coordinate = _one_cell(book.defined_names[key])
            if coordinate is None:
                refusals.append(CellRefusal(
                    0, label, f"the defined name {key} points at "
                              f"{_shown(book.defined_names[key].attr_text)}, not one cell of "
                              f"{INPUTS_SHEET}", INPUTS_SHEET))
                continue
            cell = sheet[coordinate]
            try:
                values[f.name] = parse_cell(f, cell.value)
            except (ValueError, TypeError) as error:
                refusals.append(CellRefusal(cell.row, label, str(error),
                                            f"{INPUTS_SHEET}!{coordinate}"))
        sections[section] = values

    tables = {}
    for kind in ("gpu_models", "tranches"):
        table = _record_table(sheet, kind)
        if table is not None and len(table.rows) > MAX_RECORDS:
            raise WorkbookImportError(path, f"{INPUTS_SHEET} sheet: the {kind.replace('_', ' ')} "
                                            f"table has more than {MAX_RECORDS:,} rows; a "
                                            f"workspace may hold at most {MAX_RECORDS:,} "
                                            f"tranches and GPU models, so that it can always "
                                            f"be saved")
        if table is None or not table.rows:
            # The export leaves out an empty table (a scenario with no tranches).
            tables[kind] = ()
            continue
        scope = base if kind == "gpu_models" else _scope_for_tranches(tables.get("gpu_models"))
        checked = check_table(kind, table, guess_columns(kind, table.headers), scope)
        refusals.extend(dataclasses.replace(r, cell=f"{INPUTS_SHEET}!{r.cell}" if r.cell else
                                            INPUTS_SHEET) for r in checked.refusals)
        tables[kind] = checked.records

    if not refusals:
        try:
            contract = type(base.contract)(**sections["contract"])
            hardware = ClusterHardware(**sections["hardware"], gpu_models=tables["gpu_models"],
                                       tranches=tables["tranches"])
            projections = type(base.projections)(**sections["projections"])
        except ParameterError as error:
            refusals.append(CellRefusal(0, error.label, str(error), INPUTS_SHEET))
    if not refusals:
        # The plans' dates count from the workbook's own start date.  A month after the
        # term reads back as saved (the scenario may hold one; the engine ignores it
        # and warns), so the scope's term is the longest allowed.
        plans = {}
        scope = Scenario(contract=dataclasses.replace(contract, term_months=MAX_TERM))
        for kind, section in PLAN_KINDS.items():
            table = _record_table(sheet, kind, section)
            if table is None or not table.rows:
                plans[kind] = ()
                continue
            checked = check_table(kind, table, guess_columns(kind, table.headers), scope)
            refusals.extend(dataclasses.replace(r, cell=f"{INPUTS_SHEET}!{r.cell}" if r.cell else
                                                INPUTS_SHEET) for r in checked.refusals)
            # A rent curve by model, then month (as an import orders it).
            plans[kind] = tuple(sorted(checked.records,
                                       key=lambda e: (getattr(e, "gpu_model", ""), e.month)))
        market_rents = _market_rents(sheet, base, refusals)
        if not refusals:
            contract = dataclasses.replace(contract, invoice_plan=plans["invoice_plan"])
            projections = dataclasses.replace(projections, demand_plan=plans["demand_plan"])
            try:
                market = Market(**sections["market"], rents=market_rents,
                                rent_curve=plans["rent_curve"])
                credit = Credit(**sections.get("credit", {}))
            except ParameterError as error:
                refusals.append(CellRefusal(0, error.label, str(error), f"{INPUTS_SHEET}"))
    cases = _read_cases(cases_rows, refusals) if cases_rows is not None else ()
    if refusals:
        refusals.sort(key=lambda r: r.row)
        raise WorkbookImportError(path, f"{len(refusals)} value(s) refused: {refusals[0]}",
                                  tuple(refusals))
    problem = over_budget(len(hardware.tranches) + len(hardware.gpu_models))
    if problem:
        raise WorkbookImportError(path, f"holds {problem}")
    try:
        return Scenario(name=_scenario_name(sheet) or path.stem, contract=contract,
                        hardware=hardware, projections=projections, market=market, credit=credit,
                        cases=cases)
    except ParameterError as error:     # a case's input out of its range
        raise WorkbookImportError(path, f"{CASES_SHEET} sheet: {error}") from None


def _read_cases(rows: list[tuple], refusals: list) -> tuple[Case, ...]:
    """The named cases on the Cases sheet (core/export/workbook_cases.py's
    layout): the names in the "Case" header row up to "Weighted", the weights
    in the "Weight" row, and each changed input's row (its key in the "Key"
    column, a blank cell: as the scenario) up to the figures' heading."""
    from openpyxl.utils.cell import get_column_letter

    def cell(r: int, c: int) -> str:
        return f"{CASES_SHEET}!{get_column_letter(c + 1)}{r + 1}"

    def first(label: str, start: int = 0) -> int | None:
        return next((i for i in range(start, len(rows))
                     if rows[i] and isinstance(rows[i][0], str) and rows[i][0].strip() == label),
                    None)

    header = first(CASE_HEADER)
    weight_row = first(WEIGHT_LABEL, header or 0)
    changes_row = first(CHANGES_HEADING, weight_row or 0)
    if header is None or weight_row is None or changes_row is None \
            or "Weighted" not in rows[header] or KEY_HEADER not in rows[header]:
        refusals.append(CellRefusal(0, "Cases", f"the {CASES_SHEET} sheet has no "
                                                f"{CASE_HEADER!r} header, {WEIGHT_LABEL!r} row "
                                                f"and inputs' heading", CASES_SHEET))
        return ()
    count = rows[header].index("Weighted") - 1
    key_col = rows[header].index(KEY_HEADER)
    names = [rows[header][1 + i] for i in range(count)]
    weights = [rows[weight_row][1 + i] if 1 + i < len(rows[weight_row]) else None
               for i in range(count)]
    changes: list[list[CaseChange]] = [[] for _ in range(count)]
    before = len(refusals)
    for r in range(changes_row + 1, len(rows)):
        row = tuple(rows[r]) + (None,) * (key_col + 1)
        if row[0] in (None, "") or row[0] == FIGURES_HEADING:
            break
        key = row[key_col]
        for i in range(count):
            value = row[1 + i]
            if value in (None, ""):
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                refusals.append(CellRefusal(r + 1, str(names[i]), f"{row[0]} must be a number, "
                                            f"got {_shown(value)}", cell(r, 1 + i)))
                continue
            try:
                changes[i].append(CaseChange(str(key), float(value)))
            except ParameterError as error:
                refusals.append(CellRefusal(r + 1, str(names[i]), str(error), cell(r, 1 + i)))
    cases = []
    for i in range(count):
        name, weight = names[i], weights[i]
        if isinstance(weight, bool) or not isinstance(weight, (int, float)):
            refusals.append(CellRefusal(weight_row + 1, str(name), f"the weight must be a "
                                        f"number, got {_shown(weight)}", cell(weight_row, 1 + i)))
            continue
        try:
            cases.append(Case("" if name is None else str(name), float(weight),
                              tuple(changes[i])))
        except ParameterError as error:
            refusals.append(CellRefusal(weight_row + 1, str(name), str(error),
                                        cell(weight_row, 1 + i)))
    return tuple(cases) if len(refusals) == before else ()


def _market_rents(sheet, base: Scenario, refusals: list) -> tuple:
    """The Market rents table (core/market.py), or the presets if the workbook has none."""
    table = _record_table(sheet, "rents", "market")
    if table is None or not table.rows:
        return base.market.rents
    checked = check_table("rents", table, guess_columns("rents", table.headers), base)
    refusals.extend(dataclasses.replace(r, cell=f"{INPUTS_SHEET}!{r.cell}" if r.cell else
                                        INPUTS_SHEET) for r in checked.refusals)
    return checked.records


def _one_cell(name) -> str | None:
    """The cell (C9) a defined name points at, if it is one cell of the Inputs
    sheet: not a range, a whole column, another sheet or a broken reference."""
    from openpyxl.utils.cell import coordinate_from_string
    from openpyxl.utils.exceptions import CellCoordinatesException
    try:
        destinations = list(name.destinations)
    except (ValueError, TypeError, KeyError):
        return None
    if len(destinations) != 1 or destinations[0][0] != INPUTS_SHEET:
        return None
    coordinate = destinations[0][1].replace("$", "")
    try:
        column, row = coordinate_from_string(coordinate)
    except (ValueError, TypeError, CellCoordinatesException):
        return None
    return coordinate if 1 <= row <= 1_048_576 and len(column) <= 3 else None


def _unreadable(path: Path, error: BaseException) -> WorkbookImportError:
    """Why openpyxl could not read the workbook, at the sheet and cell (the
    Inputs sheet first), else what openpyxl said, on one line."""
    problem = sheet_problem(path, _inputs_first(path), max_rows=MAX_SHEET_ROWS)
    if problem is not None:
        return WorkbookImportError(path, problem)
    return WorkbookImportError(path, f"not a readable .xlsx workbook ({_one_line(str(error))[:120]})")


def _inputs_first(path: Path) -> list[str] | None:
    try:
        with zipfile.ZipFile(path) as book:
            names = [name for name, _part in sheet_parts(book)]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError):
        return None
    return sorted(names, key=lambda name: name != INPUTS_SHEET)


def _scenario_name(sheet) -> str:
    title = sheet["A1"].value
    if isinstance(title, str) and title.startswith(TITLE_PREFIX):
        return title[len(TITLE_PREFIX):].strip()[:200]
    return ""


def _scope_for_tranches(models) -> Scenario:
    """A scenario whose GPU models are the workbook's, to check tranches against."""
    hardware = ClusterHardware(gpu_models=tuple(models or ()))
    return Scenario(hardware=hardware)


def _record_table(sheet: _InputsSheet, kind: str, section: str = "hardware") -> SourceTable | None:
    """The rows under "Cluster hardware: <title>" (or the section's title) and
    its header row, up to the first blank row."""
    titles = {f"{section_title(section)}: {title}"
              for title in _TABLE_TITLES.get(kind, (TABLE_TITLES.get(kind)
                                                    or kind.replace("_", " ").capitalize(),))}
    rows = sheet.rows
    for index, row in enumerate(rows):
        if row and isinstance(row[0], str) and row[0].strip() in titles:
            break
    else:
        return None
    if index + 1 >= len(rows):
        return None
    width = len([f for f in dataclasses.fields(RECORD_TYPES[kind])
                 if "kind" in f.metadata])
    headers = tuple("" if v is None else str(v).strip() for v in rows[index + 1][:width])
    data: list[tuple] = []
    numbers: list[int] = []
    for offset, row in enumerate(rows[index + 2:]):
        cells = tuple("" if v is None else (v.strip() if isinstance(v, str) else v)
                      for v in (tuple(row) + (None,) * width)[:width])
        if all(v == "" for v in cells) or len(data) > MAX_RECORDS:
            break   # past the workspace budget: refused by the caller, unread
        data.append(cells)
        numbers.append(index + 3 + offset)     # 1-based sheet rows: title, header, then data
    return SourceTable(headers, tuple(data), numbers[0] if numbers else index + 3,
                       f"{INPUTS_SHEET} sheet", tuple(numbers))
