"""Helpers the model's tests share: contract dates and hours worked out with
plain datetime and calendar.monthrange, independently of core.calendar; a
CSV file written as a user's would be; LibreOffice converting an export with
every formula recalculated.

A plain module rather than conftest.py: tests/ui has its own conftest, and
`from conftest import ...` would find whichever was imported last."""
from __future__ import annotations

import calendar
import csv
import datetime as dt
import shutil
import subprocess

import pytest


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later, clipped to that month's length."""
    year, month0 = divmod(start.month - 1 + months, 12)
    year += start.year
    return dt.date(year, month0 + 1, min(start.day, calendar.monthrange(year, month0 + 1)[1]))


def period_hours(start: dt.date, i: int) -> int:
    """Hours in period i (0-based) of a contract starting on `start`: actual days x 24."""
    return (add_months(start, i + 1) - add_months(start, i)).days * 24


def write_csv(path, headers, rows):
    """A CSV file of one header row and `rows`, as a spreadsheet saves it."""
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


# A LibreOffice profile that recalculates every formula of an .xlsx on load
# (its default keeps the cached results, which openpyxl drops).
LIBREOFFICE_ALWAYS_RECALCULATES = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode"
 oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def libreoffice(tmp_path, path, to: str):
    """`path` converted by LibreOffice (headless) to `to` ("xlsx", "pdf"),
    every formula recalculated on load; the test is skipped without it."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = tmp_path / "lo-profile" / "user"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "registrymodifications.xcu").write_text(LIBREOFFICE_ALWAYS_RECALCULATES)
    out = tmp_path / f"lo-{to}"
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
                    "--headless", "--convert-to", to, "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=600)
    return out / f"{path.stem}.{to}"
