"""The schedule CSV writes whole numbers as integers and never "-0.0"."""
from __future__ import annotations

import csv
import io

from core.engine import compute
from core.export.schedule_csv import schedule_csv_text, write_schedule_csv
from core.presets import default_scenario


def test_whole_numbers_are_written_as_integers_and_no_negative_zero(tmp_path):
    path = tmp_path / "schedule.csv"
    write_schedule_csv(compute(default_scenario()), path)
    text = path.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    # June 2026 has 30 days; the reference fleet is 220,000 GPUs from the start.
    assert rows[0]["days"] == "30"
    assert rows[1]["days"] == "31"
    assert rows[0]["gpus_online"] == "220000"
    assert rows[0]["month"] == "1"
    # The deposit flow of month 2 was -0.0 (nothing returned): now plain 0.
    assert rows[1]["deposit_flow"] == "0"
    assert "-0.0" not in text.replace("e-0", "")
    assert all(not cell.startswith("-0") or cell.startswith("-0.") and float(cell) != 0
               for row in rows for cell in row.values())
    # A fractional column keeps its decimals: the discount factor of month 2 is below 1.
    assert 0.9 < float(rows[1]["discount_factor"]) < 1.0 and "." in rows[1]["discount_factor"]


def test_cli_and_file_write_the_same_text():
    import main
    assert main.schedule_text(True) == schedule_csv_text(compute(default_scenario())).rstrip("\n")
