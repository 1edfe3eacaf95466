"""The command line, run as a user would: `python main.py ...` in a subprocess."""
from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

START = dt.date(2026, 6, 1)
FEE = 1.25e9
# 1 Jun 2026 to 1 Jun 2029: 1,096 days (Feb 2028 has 29) x 24 = 26,304 hours.
TERM_HOURS = 26_304
# Mostly inference: H100-equivalents by tokens/s against the H100's 2,675
# (150k H100 + 50k H200 at 4,016 + 20k GB200 at 12,000).
H100E = 150_000 + 50_000 * 4_016 / 2_675 + 20_000 * 12_000 / 2_675
IT_MW = (150_000 * 1.40 + 50_000 * 1.40 + 20_000 * 1.70) / 1000   # presets' all-in kW

KEYS = ("total_contract_value", "annual_run_rate", "term_months", "walkaway_exposure",
        "price_per_gpu_hour", "price_per_h100e_hour", "price_per_mw_month",
        "cost_per_million_tokens", "breakeven_token_price", "npv_payments", "fleet_it_mw",
        "facility_mw", "gpus", "buyer_expected_credit_loss", "provider_expected_credit_loss",
        "credit_adjusted_buyer_npv", "credit_adjusted_provider_npv")
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


def test_kpis_credit_figures(kpis):
    # Credit-adjusted = NPV - the expected credit loss (core/credit.py), both positive.
    assert kpis["buyer_expected_credit_loss"] > 0 and kpis["provider_expected_credit_loss"] > 0
    assert kpis["credit_adjusted_buyer_npv"] == pytest.approx(
        kpis["buyer_npv"] - kpis["buyer_expected_credit_loss"])
    assert kpis["credit_adjusted_provider_npv"] == pytest.approx(
        kpis["provider_npv"] - kpis["provider_expected_credit_loss"])


def test_kpis_contract_figures(kpis):
    assert kpis["total_contract_value"] == 36 * FEE == 45e9          # exact
    assert kpis["annual_run_rate"] == 12 * FEE == 15e9               # exact
    assert kpis["term_months"] == 36
    # 90 days from 1 Jun 2026: June, July and 29 of August's 31 days
    assert kpis["walkaway_exposure"] == pytest.approx(FEE * (2 + 29 / 31), rel=1e-9)
    assert kpis["walkaway_exposure"] == pytest.approx(3.669e9, rel=1e-3)


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
    # Labelled and formatted as every view shows them (core.figures): 36 x $1.25B = $45.0B;
    # notice on 1 Jun ends 30 Aug: June, July and 29 of August's 31 days,
    # $1.25B x (2 + 29/31) = $3.67B.
    lines = dict(re.split(r"\s{2,}", line.strip(), maxsplit=1)
                 for line in result.stdout.splitlines())
    assert lines["Total contract value"] == "$45.0B"
    assert lines["Walk-away exposure"] == "$3.67B"
    assert lines["Term"] == "36 months"


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
    assert float(schedule_rows[0]["walkaway_exposure"]) == pytest.approx(FEE * (2 + 29 / 31))
    # The last month: only its invoice remains (no fee: that is expiry).
    assert float(schedule_rows[-1]["walkaway_exposure"]) == pytest.approx(FEE)
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


# --- scenario files ------------------------------------------------------------------

@pytest.fixture
def bull_file(tmp_path):
    from core.presets import default_scenario
    from core.scenario_file import save_scenario
    path = tmp_path / "bull.cdm.json"
    save_scenario(default_scenario().with_changes("contract", monthly_fee=1.5e9), path)
    return path


def test_kpis_of_a_scenario_file(bull_file):
    result = run("kpis", str(bull_file), "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["total_contract_value"] == 36 * 1.5e9
    assert figures["annual_run_rate"] == 12 * 1.5e9


def test_schedule_of_a_scenario_file(bull_file):
    result = run("schedule", "--csv", str(bull_file))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert float(rows[-1]["cumulative_payment"]) == 54e9


@pytest.mark.parametrize("command", [("kpis", "--json"), ("schedule", "--csv"), ()])
def test_a_bad_file_exits_2_with_one_line_naming_file_and_field(bull_file, command):
    text = bull_file.read_text("utf-8").replace('"notice_days": 90', '"notice_days": -1')
    bull_file.write_text(text, "utf-8")
    before = bull_file.read_bytes()
    result = run(*command, str(bull_file))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip("\n").split("\n")
    assert len(lines) == 1, result.stderr
    assert str(bull_file) in lines[0]
    assert "scenarios[0].contract.notice_days" in lines[0]
    assert "between 0 and 3,650 days" in lines[0]
    assert result.stdout == ""
    assert bull_file.read_bytes() == before


def test_a_missing_file_exits_2(tmp_path):
    result = run("kpis", str(tmp_path / "nowhere.cdm.json"))
    assert result.returncode == 2
    assert "no such file" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("argv,expected", [
    (["deal.cdm.json"], ([], "deal.cdm.json")),
    (["--tab", "hardware", "deal.cdm.json"], (["--tab", "hardware"], "deal.cdm.json")),
    (["--tab=hardware", "dir/deal"], (["--tab=hardware"], "dir/deal")),
    (["kpis", "deal.cdm.json"], (["kpis", "deal.cdm.json"], None)),
    (["frobnicate"], (["frobnicate"], None)),   # not a path: argparse refuses the command
])
def test_the_app_takes_a_file_beside_its_options(argv, expected):
    sys.path.insert(0, str(ROOT))
    import main
    assert main.split_app_file(main.build_parser(), argv) == expected


def test_python_main_py_file_opens_the_app(bull_file):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen([sys.executable, "main.py", str(bull_file)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        try:
            process.wait(timeout=4)
        except subprocess.TimeoutExpired:
            pass
        assert process.poll() is None, process.communicate()[1]
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert "Traceback" not in stderr


# --- deal economics: the new kpis and schedule columns ----------------------------

def test_kpis_json_has_the_deal_economics_keys(kpis):
    keys = ("buyer_npv", "provider_npv", "provider_irr", "provider_payback_month",
            "expected_contract_value", "lease_liability", "breakeven_month_vs_cloud")
    assert not [k for k in keys if k not in kpis]


def test_kpis_provider_with_capex_sunk(kpis):
    # The default: the cluster was built for the provider's own use, so nothing is
    # invested in the deal: no IRR (null in JSON), paid back in the first month.
    assert kpis["provider_irr"] is None
    assert kpis["provider_payback_month"] == 1
    # NPV at the 9% WACC of fee - power - opex on the first of each month:
    # power 389.36 MW x hours x $62/MWh; opex 3% a year of $13.3436B capex + $5M staff.
    capex = 150_000 * 40_000 + 50_000 * 45_000 + 20_000 * 60_000 + IT_MW * 1.24 * 10e6
    assert capex == pytest.approx(13.3436e9)
    npv = 0.0
    for i in range(36):
        hours = (month_start(i + 1) - month_start(i)).days * 24
        cash = FEE - IT_MW * 1.24 * hours * 62.0 - (capex * 0.03 / 12 + 5e6)
        npv += cash * 1.09 ** (-(month_start(i) - START).days / 365)
    assert kpis["provider_npv"] == pytest.approx(npv, rel=1e-9)


def test_kpis_buyer_npv(kpis):
    # Revenue: tokens served (demand 400M tokens/s growing 2% a month, capped at the
    # 505.23M tokens/s capacity) x $2 per million, down 30% each anniversary, on each month's
    # last day; less the fees on the first; at the buyer's 10%.
    capacity = (150_000 * 2_675 + 50_000 * 4_016 + 20_000 * 12_000) * 0.60
    npv = 0.0
    for i in range(36):
        seconds = (month_start(i + 1) - month_start(i)).days * 86_400
        revenue = min(400e6 * 1.02 ** i, capacity) * seconds / 1e6 * 2.0 * 0.7 ** (i // 12)
        last_day = month_start(i + 1) - dt.timedelta(days=1)
        npv += revenue * 1.10 ** (-(last_day - START).days / 365)
        npv -= FEE * 1.10 ** (-(month_start(i) - START).days / 365)
    assert kpis["buyer_npv"] == pytest.approx(npv, rel=1e-9)


def test_kpis_expected_value_lease_and_cloud(kpis):
    # No monthly chance of termination: the whole $45B is expected.
    assert kpis["expected_contract_value"] == 45e9
    # The lease term is the 90-day notice: 1 Jun and 1 Jul in full, 29/31 of August,
    # at the 7% incremental borrowing rate.
    liability = FEE + FEE * 1.07 ** (-30 / 365) + FEE * 29 / 31 * 1.07 ** (-61 / 365)
    assert kpis["lease_liability"] == pytest.approx(liability, rel=1e-9)
    # Cloud at $2.50 per H100-hour never costs as much as the lease: no break-even month.
    assert kpis["breakeven_month_vs_cloud"] is None
    assert kpis["breakeven_cloud_rate"] == pytest.approx(45e9 / (H100E * TERM_HOURS), rel=1e-9)
    # Notice on the first anniversary: 12 months + June, July and 29/31 of August 2027.
    assert kpis["termination_notice_month"] == 12
    assert kpis["termination_cost_at_notice_month"] == pytest.approx(
        12 * FEE + FEE * (2 + 29 / 31), rel=1e-9)


def test_schedule_csv_has_the_deal_economics_columns(schedule_rows):
    columns = ("buyer_revenue", "buyer_margin", "provider_revenue", "power_cost", "opex",
               "depreciation", "provider_ebitda", "provider_cash_flow", "lease_liability")
    assert not [c for c in columns if c not in schedule_rows[0]]


def test_schedule_csv_deal_economics_values(schedule_rows):
    first = {k: float(schedule_rows[0][k]) for k in (
        "buyer_revenue", "buyer_margin", "provider_revenue", "power_cost", "opex", "depreciation",
        "provider_ebitda", "provider_cash_flow", "lease_liability")}
    gpu_capex = 150_000 * 40_000 + 50_000 * 45_000 + 20_000 * 60_000      # $9.45B
    facility_capex = IT_MW * 1.24 * 10e6                                   # $3.8936B
    # June 2026: 400M tokens/s x 2,592,000 s x $2 per million = $2.0736B
    assert first["buyer_revenue"] == pytest.approx(2.0736e9, rel=1e-9)
    assert first["buyer_margin"] == pytest.approx(2.0736e9 - FEE, rel=1e-9)
    assert first["provider_revenue"] == FEE
    power = IT_MW * 1.24 * 720 * 62.0                                      # 389.36 MW x 720 h
    opex = (gpu_capex + facility_capex) * 0.03 / 12 + 5e6
    assert first["power_cost"] == pytest.approx(power, rel=1e-9)
    assert first["opex"] == pytest.approx(opex, rel=1e-9)
    assert first["depreciation"] == pytest.approx(gpu_capex * 0.9 / 60 + facility_capex / 240,
                                                  rel=1e-9)
    assert first["provider_ebitda"] == pytest.approx(FEE - power - opex, rel=1e-9)
    assert first["provider_cash_flow"] == pytest.approx(FEE - power - opex, rel=1e-9)  # sunk
    liability = FEE + FEE * 1.07 ** (-30 / 365) + FEE * 29 / 31 * 1.07 ** (-61 / 365)
    assert first["lease_liability"] == pytest.approx(liability, rel=1e-9)
    # The opening balance on 1 Jul: July's fee and 29/31 of August's, 31 days later.
    assert float(schedule_rows[1]["lease_liability"]) == pytest.approx(
        FEE + FEE * 29 / 31 * 1.07 ** (-31 / 365), rel=1e-9)
    assert all(float(r["lease_liability"]) == 0.0 for r in schedule_rows[3:])


# --- the market and the rights to walk (core/market.py, core/rights.py) ---------------

def test_kpis_json_has_the_market_figures_with_paths_and_seed():
    first = json.loads(run("kpis", "--json", "--paths", "500", "--seed", "3").stdout)
    again = json.loads(run("kpis", "--json", "--paths", "500", "--seed", "3").stdout)
    assert first["market_simulation"] == {"paths": 500, "seed": 3}
    keys = ("contract_premium_over_market_pct", "buyer_mark_to_market", "provider_mark_to_market",
            "buyer_termination_right_value", "provider_termination_right_value",
            "buyer_exercise_probability", "provider_exercise_probability")
    assert all(isinstance(first[k], float) for k in keys)
    assert {k: first[k] for k in keys} == {k: again[k] for k in keys}     # the same seed
    # $45B against (150k x $2.00 + 50k x $2.90 + 20k x $4.00) x 26,304 h = $13.81B.
    assert first["contract_premium_over_market_pct"] == pytest.approx(
        (45e9 / (525_000 * 26_304) - 1) * 100, rel=1e-12)
    assert first["provider_mark_to_market"] == -first["buyer_mark_to_market"]
    assert 0 <= first["buyer_exercise_probability"] + first["provider_exercise_probability"] <= 100
    # Both expected contract values, each named by its method: the typed chances' (none
    # typed: the total, $45B) and the simulated rights' (the buyer walks at once).
    assert first["expected_contract_value"] == 45e9
    assert 0 < first["expected_contract_value_rights"] < 45e9
    text = run("kpis", "--paths", "500", "--seed", "3").stdout
    assert "Expected contract value (typed chances)" in text
    assert "Expected contract value (simulated rights)" in text


def test_kpis_refuses_a_path_count_out_of_range_on_one_line():
    result = run("kpis", "--json", "--paths", "5")
    assert result.returncode == 2
    assert "--paths must be between 100 and 200,000" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
