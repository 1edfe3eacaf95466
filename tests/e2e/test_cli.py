"""The command line, run as a user would: `python main.py ...` in a subprocess."""
from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

START = dt.date(2026, 6, 1)
FEE = 1.25e9
# 1 Jun 2026 to 1 Jun 2029: 1,096 days (Feb 2028 has 29) x 24 = 26,304 hours.
TERM_HOURS = 26_304
H100E = 200_000 + 20_000 * 2_500 / 989      # 200k Hopper + 20k GB200 at 2,500/989 TFLOPS
IT_MW = (150_000 * 1.40 + 50_000 * 1.40 + 20_000 * 1.70) / 1000   # presets' all-in kW

KEYS = ("total_contract_value", "annual_run_rate", "term_months", "walkaway_exposure",
        "price_per_gpu_hour", "price_per_h100e_hour", "price_per_mw_month",
        "cost_per_million_tokens", "breakeven_token_price", "npv_payments", "fleet_it_mw",
        "facility_mw", "gpus")
CSV_COLUMNS = ("month_start", "payment", "cumulative_payment", "gpus_online", "it_mw_online",
               "gpu_hours_delivered", "tokens_served", "walkaway_exposure")


def run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def month_start(i: int) -> dt.date:
    year, month0 = divmod(START.month - 1 + i, 12)
    return dt.date(START.year + year, month0 + 1, 1)


@pytest.fixture(scope="module")
def kpis() -> dict:
    result = run("kpis", "--json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr

    def refuse(constant):
        raise AssertionError(f"non-standard JSON constant {constant}")
    return json.loads(result.stdout, parse_constant=refuse)


@pytest.fixture(scope="module")
def schedule_rows() -> list[dict]:
    result = run("schedule", "--csv")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


# --- kpis --json -------------------------------------------------------------------

def test_kpis_json_has_the_keys(kpis):
    missing = [k for k in KEYS if k not in kpis]
    assert not missing


def test_kpis_contract_figures(kpis):
    assert kpis["total_contract_value"] == 36 * FEE == 45e9          # exact
    assert kpis["annual_run_rate"] == 12 * FEE == 15e9               # exact
    assert kpis["term_months"] == 36
    # 90 days prorated at fee x 12 / 365
    assert kpis["walkaway_exposure"] == pytest.approx(90 * FEE * 12 / 365, rel=1e-9)
    assert kpis["walkaway_exposure"] == pytest.approx(3.699e9, rel=1e-3)


def test_kpis_unit_prices(kpis):
    assert kpis["gpus"] == 220_000
    assert kpis["price_per_gpu_hour"] == pytest.approx(45e9 / (220_000 * TERM_HOURS), rel=1e-9)
    assert kpis["price_per_gpu_hour"] == pytest.approx(7.78, rel=0.01)
    assert kpis["price_per_h100e_hour"] == pytest.approx(45e9 / (H100E * TERM_HOURS), rel=1e-9)
    assert kpis["price_per_mw_month"] == pytest.approx(45e9 / (300 * 36), rel=1e-9)
    assert kpis["price_per_mw_month"] == pytest.approx(4.17e6, rel=0.01)


def test_kpis_power(kpis):
    assert kpis["fleet_it_mw"] == pytest.approx(IT_MW, rel=1e-9)             # 314 MW
    assert kpis["facility_mw"] == pytest.approx(IT_MW * 1.24, rel=1e-9)      # 389.36 MW
    assert kpis["facility_mw"] > 300   # DOMAIN: the fleet does not fit in 300 MW


def test_kpis_npv(kpis):
    # XNPV of 36 payments in advance at 10%/yr from the start date.
    npv = sum(FEE * 1.10 ** (-(month_start(i) - START).days / 365) for i in range(36))
    assert kpis["npv_payments"] == pytest.approx(npv, rel=1e-9)


def test_kpis_tokens(kpis):
    # Capacity: (150k x 2,675 + 50k x 4,016 + 20k x 12,000) tokens/s x 100% available
    # x 60% utilised; demand 400M tokens/s growing 2% a month.
    capacity = (150_000 * 2_675 + 50_000 * 4_016 + 20_000 * 12_000) * 1.00 * 0.60
    seconds = [(month_start(i + 1) - month_start(i)).days * 86_400 for i in range(36)]
    served = sum(min(400e6 * 1.02 ** i, capacity) * s for i, s in enumerate(seconds))
    assert kpis["cost_per_million_tokens"] == pytest.approx(
        45e9 * 1e6 / (capacity * TERM_HOURS * 3600), rel=1e-9)
    assert kpis["breakeven_token_price"] == pytest.approx(45e9 * 1e6 / served, rel=1e-9)


def test_kpis_text_mode():
    result = run("kpis")
    assert result.returncode == 0
    assert "total_contract_value" in result.stdout
    assert "45000000000" in result.stdout


# --- schedule --csv ----------------------------------------------------------------

def test_schedule_csv_has_36_rows_and_columns(schedule_rows):
    assert len(schedule_rows) == 36
    assert set(CSV_COLUMNS) <= set(schedule_rows[0])


def test_schedule_csv_dates_are_iso(schedule_rows):
    assert schedule_rows[0]["month_start"] == "2026-06-01"
    assert [dt.date.fromisoformat(r["month_start"]) for r in schedule_rows] == \
        [month_start(i) for i in range(36)]
    assert schedule_rows[-1]["month_start"] == "2029-05-01"


def test_schedule_csv_values(schedule_rows):
    assert float(schedule_rows[-1]["cumulative_payment"]) == 45e9
    assert all(float(r["payment"]) == FEE for r in schedule_rows)
    assert float(schedule_rows[0]["gpus_online"]) == 220_000
    assert float(schedule_rows[0]["it_mw_online"]) == pytest.approx(IT_MW)
    assert float(schedule_rows[0]["gpu_hours_delivered"]) == pytest.approx(220_000 * 30 * 24)
    assert float(schedule_rows[0]["walkaway_exposure"]) == pytest.approx(90 * FEE * 12 / 365)
    # The last month: only its 31 days remain.
    assert float(schedule_rows[-1]["walkaway_exposure"]) == pytest.approx(31 * FEE * 12 / 365)
    assert calendar.monthrange(2029, 5)[1] == 31


# --- bad arguments -----------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("frobnicate",),            # unknown command
    ("kpis", "--bogus"),        # unknown flag on a command
    ("--bogus",),               # unknown flag at the top
    ("schedule", "--json"),     # a flag of another command
])
def test_bad_arguments_exit_2_with_one_line(args):
    result = run(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip("\n").split("\n")
    assert len(lines) == 1 and lines[0].strip(), result.stderr
    assert "error" in lines[0]
    assert result.stdout == ""
