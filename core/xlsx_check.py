"""An .xlsx file's XML, checked where openpyxl reads it silently or fails vaguely.

openpyxl keeps one of two defined names of the same name without a word, drops
a row numbered 0 or a second row numbered like the one before, and fails on a
number cell holding NaN with "could not read worksheets"; the sheet's XML may
be cut short or declare an entity bomb (expat refuses its expansion).  These
checks find such a thing and say where, in one line: the sheet and the cell or
row, and what is wrong.  Used by File > Open of a workbook
(core/workbook_import.py) and by Import of a sheet (core/importing.py).
Nothing here writes; parsing is expat's (no external entities are fetched).
"""
from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError, iterparse, parse

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
MAX_ROW = 1_048_576
MAX_COLUMN = 16_384       # XFD


def _shown(text) -> str:
    return repr(re.sub(r"[\x00-\x1f\x7f]", " ", str(text))[:60])


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _root(book: zipfile.ZipFile, part: str):
    with book.open(part) as stream:
        return parse(stream).getroot()


def duplicate_defined_name(path: str | Path) -> str | None:
    """"the defined name X is defined twice ..." if the workbook defines a
    name twice in one scope (openpyxl would keep one silently), else None."""
    try:
        with zipfile.ZipFile(path) as book:
            root = _root(book, "xl/workbook.xml")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None      # the file as a whole is refused by whoever reads it
    except ParseError as error:
        return f"xl/workbook.xml: not well-formed XML ({error})"
    seen: set[tuple[str, str | None]] = set()
    for element in root.iter(f"{_MAIN}definedName"):
        key = (str(element.get("name", "")).lower(), element.get("localSheetId"))
        if key in seen:
            return (f"the defined name {element.get('name')} is defined twice; keep one "
                    f"(Formulas > Name Manager)")
        seen.add(key)
    return None


def sheet_parts(book: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part in the archive) for every worksheet, in order."""
    root = _root(book, "xl/workbook.xml")
    rels = _root(book, "xl/_rels/workbook.xml.rels")
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = []
    for sheet in root.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts.append((sheet.get("name", "?"), target))
    return parts


def _problem_in(stream, sheet: str, max_rows: int) -> str | None:
    last_row = rows = 0
    try:
        for _event, element in iterparse(stream):
            if element.tag == f"{_MAIN}row":
                rows += 1
                if rows > max_rows:
                    return None     # the reader stops there too (core.table_reading's limits)
                number = element.get("r")
                if number is not None:
                    if not number.isdigit() or not 1 <= int(number) <= MAX_ROW:
                        return f"sheet {sheet}: a row is numbered {_shown(number)}, not 1 to {MAX_ROW:,}"
                    if int(number) <= last_row:
                        return (f"sheet {sheet}: row {int(number):,} comes after row {last_row:,}; "
                                f"its cells would be lost")
                    last_row = int(number)
                else:
                    last_row += 1
                element.clear()
                continue
            if element.tag != f"{_MAIN}c":
                continue
            reference = element.get("r")
            if reference is not None:
                match = _REFERENCE.fullmatch(reference)
                if (match is None or _column_number(match.group(1)) > MAX_COLUMN
                        or not 1 <= int(match.group(2)) <= MAX_ROW):
                    return f"sheet {sheet}: {_shown(reference)} is not a cell reference (A1 to XFD{MAX_ROW})"
            value = element.find(f"{_MAIN}v")
            if element.get("t", "n") == "n" and value is not None and value.text:
                try:
                    cached = float(value.text)
                except ValueError:
                    cached = math.nan
                if not math.isfinite(cached):
                    return f"{sheet}!{reference}: {_shown(value.text)} is not a finite number"
    except ParseError as error:
        line, column = error.position
        if "amplification" in str(error):
            return (f"sheet {sheet}: refused: its XML entities expand beyond any workbook's size "
                    f"(an entity bomb, line {line}, column {column})")
        return f"sheet {sheet}: not well-formed XML ({error})"
    return None


def sheet_problem(path: str | Path, sheets: list[str] | None = None,
                  max_rows: int = MAX_ROW) -> str | None:
    """The first problem in the named sheets (all when None) within their
    first `max_rows` rows (as far as the caller reads), or None."""
    try:
        with zipfile.ZipFile(path) as book:
            parts = sheet_parts(book)
            if sheets is not None:
                parts = sorted((p for p in parts if p[0] in sheets), key=lambda p: sheets.index(p[0]))
            for sheet, part in parts:
                try:
                    with book.open(part) as stream:
                        problem = _problem_in(stream, sheet, max_rows)
                except KeyError:
                    continue
                if problem is not None:
                    return problem
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError):
        return None
    return None
