"""`python main.py portfolio FILE --json --paths N --seed S`: the joint
simulation's figures beside the key figures, as a user runs it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.figures import PORTFOLIO_RISK_FIGURES
from core.portfolio import read_portfolio
from core.portfolio_risk import simulate_portfolio

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = "resources/example_portfolio.json"


def run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_portfolio_json_carries_the_simulation_with_its_paths_and_seed():
    result = run("portfolio", EXAMPLE, "--json", "--paths", "600", "--seed", "7")
    assert result.returncode == 0, result.stderr
    sim = json.loads(result.stdout)["simulation"]
    assert (sim["paths"], sim["seed"], sim["figure"]) == (600, 7, "portfolio_buyer_cost_pv")
    # The same call in this process: the command prints simulate_portfolio's figures.
    risk = simulate_portfolio(read_portfolio(ROOT / EXAMPLE), 600, 7)
    assert sim["portfolio_mean"] == pytest.approx(risk.mean, rel=1e-12)
    assert sim["portfolio_p95"] == pytest.approx(risk.p95, rel=1e-12)
    # Every figure key it prints is declared once in core/figures.py.
    keys = {k for k in sim if k.startswith(("portfolio_", "deal_", "counterparty_"))}
    keys |= {k for c in sim["contributions"] for k in c if k.startswith(("portfolio_", "deal_"))}
    assert keys <= set(PORTFOLIO_RISK_FIGURES)
    assert sum(c["deal_contribution"] for c in sim["contributions"]) == pytest.approx(
        sim["portfolio_std"], rel=1e-9)


def test_portfolio_text_names_the_simulation_and_refuses_bad_paths():
    result = run("portfolio", EXAMPLE, "--paths", "500", "--seed", "3")
    assert result.returncode == 0, result.stderr
    assert "Joint simulation, 500 paths, seed 3: Buyer's total cost (PV) mean $" in result.stdout
    bad = run("portfolio", EXAMPLE, "--paths", "ten")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
