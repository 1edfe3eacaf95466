"""`main.py solve`, run as a user would: goal seek on the command line, JSON out."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def answer(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""

    def refuse(constant):
        raise AssertionError(f"non-standard JSON constant {constant}")
    return json.loads(result.stdout, parse_constant=refuse)


@pytest.fixture
def bought_file(tmp_path):
    """The reference deal with the provider buying the fleet for it (so it has an IRR)."""
    from core.parameters import CAPEX_FOR_DEAL
    from core.presets import default_scenario
    from core.scenario_file import save_scenario
    path = tmp_path / "bought.cdm.json"
    save_scenario(default_scenario().with_changes("hardware", capex_treatment=CAPEX_FOR_DEAL),
                  path)
    return path


def test_solve_the_fee_for_a_provider_irr_of_15_percent(bought_file):
    from core.engine import compute
    from core.scenario_file import load_scenario
    out = answer(run("solve", str(bought_file), "--figure", "provider_irr", "--target", "0.15",
                     "--vary", "contract.monthly_fee"))
    assert out["reachable"] is True
    assert out["input"] == "contract.monthly_fee"
    assert out["iterations"] > 0
    scenario = load_scenario(bought_file).with_changes("contract", monthly_fee=out["value"])
    assert compute(scenario).key_figures.provider_irr == pytest.approx(0.15, abs=1e-6)


def test_solve_on_the_reference_deal_by_hand():
    # 36 monthly fees of F = $36B  ->  F = $1B.
    out = answer(run("solve", "--figure", "total_contract_value", "--target", "36e9",
                     "--vary", "contract.monthly_fee"))
    assert out["value"] == pytest.approx(1e9, rel=1e-12)
    assert out["achieved"] == pytest.approx(36e9, rel=1e-12)


def test_an_unreachable_target_is_reported_not_an_error():
    # Utilization 0-100% moves nothing the buyer pays: $45B whatever it is.
    out = answer(run("solve", "--figure", "total_contract_value", "--target=-1e9",
                     "--vary", "hardware.utilization_pct", "--between", "20", "80"))
    assert out["reachable"] is False
    assert out["figure_range"] == [45e9, 45e9]
    assert out["input_range"] == [20.0, 80.0]
    assert out["message"].startswith("No value of Utilization between 20 and 80")


@pytest.mark.parametrize("args, says", [
    (("--figure", "irr", "--target", "0.15", "--vary", "contract.monthly_fee"), "unknown figure"),
    (("--figure", "buyer_npv", "--target", "0", "--vary", "contract.fees"), "unknown input"),
    (("--figure", "buyer_npv", "--target", "zero", "--vary", "contract.monthly_fee"),
     "invalid float"),
    (("--figure", "buyer_npv", "--target", "0"), "--vary"),
    (("--figure", "buyer_npv", "--target", "0", "--vary", "hardware.utilization_pct",
      "--between", "50", "120"), "between 0 and 100"),
    (("nowhere.cdm.json", "--figure", "buyer_npv", "--target", "0", "--vary",
      "contract.monthly_fee"), "no such file"),
])
def test_bad_arguments_exit_2_with_one_line(args, says):
    result = run("solve", *args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip("\n").split("\n")
    assert len(lines) == 1 and says in lines[0], result.stderr
    assert result.stdout == ""
