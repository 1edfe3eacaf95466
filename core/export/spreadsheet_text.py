"""Text cells a spreadsheet must not read as formulas.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula
(and LibreOffice and Excel skip a leading tab or carriage return first), so a
tranche named `=HYPERLINK("http://...")` copied out of the app would run when
pasted.  Such text is prefixed with an apostrophe, the spreadsheets' own mark
for "this is text" (OWASP's advice for CSV injection); a number written as text
(`-2.5`, `+3`, `-1,234.50`, `-12%`) stays as it is, so it is pasted as a number.
The workbook export needs none of this: xlsxwriter's write_string stores text
as text.  The clipboard (core.importing.table_as_tsv) goes through here.
"""
from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\$?(\d{1,3}(,\d{3})+|\d*)(\.\d+)?([eE][+-]?\d+)?%?")


def is_plain_number(text: str) -> bool:
    return any(c.isdigit() for c in text) and _NUMBER.fullmatch(text) is not None


def spreadsheet_text(text: str) -> str:
    """`text` as a spreadsheet should take it: as text, never as a formula."""
    if text.startswith(FORMULA_STARTS) and not is_plain_number(text):
        return "'" + text
    return text


def unescaped(text: str) -> str:
    """The text `spreadsheet_text` escaped, as it was (a block the app copied,
    pasted back into it)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) \
            and not is_plain_number(text[1:]):
        return text[1:]
    return text
