"""`python main.py deals [--json] [FILE]`, run as a user would, in a subprocess."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, code: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    command = [sys.executable, "-c", code] if code else [sys.executable, "main.py", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_deals_json_holds_every_deal_with_labels_and_the_finding():
    result = run("deals", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert len(out["deals"]) == 14
    reference = out["deals"][0]
    assert reference["figures"]["mw"] == {"value": 300.0, "bound": "at_least", "label": "R",
                                          "date": "2026-05", "as_stated": "300+",
                                          "source": reference["figures"]["mw"]["source"]}
    # $15B a year / (220,000 GPUs x 8,760 hours) = $7.783, an upper bound
    assert reference["normalised"]["per_gpu_hour"]["value"] == pytest.approx(15e9 / (220_000 * 8_760))
    assert reference["normalised"]["per_gpu_hour"]["label"] == "D"
    # The default scenario: $1.25B x 12 / 300 MW = $50M per MW-year
    assert out["scenario"]["per_mw_year"] == pytest.approx(50e6)
    assert any("2.0x the highest public GPU cloud price per GPU-hour" in f for f in out["findings"])


def test_deals_table_text():
    result = run("deals")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["deal", "type"]
    nebius = next(line for line in lines if line.startswith("Microsoft \u2190 Nebius"))
    assert "\u2265$11.6M" in nebius and "\u2264$3.97" in nebius


def test_deals_of_a_bad_file_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.cdm.json"
    bad.write_text("{}")
    result = run("deals", str(bad))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and str(bad) in result.stderr


def test_deals_imports_no_qt():
    code = ("import sys, main; main.main(['deals']); "
            "assert not any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules), "
            "sorted(m for m in sys.modules if m.startswith('PySide6'))")
    result = run(code=code)
    assert result.returncode == 0, result.stderr


def test_portfolio_json_of_the_example():
    result = run("portfolio", "resources/example_portfolio.json", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    # $45.0B (xAI) + $30.0B (Google, estimated) + $30.0B (Azure) + $7.0B (Hut 8) = $112B
    assert out["total_commitments"] == pytest.approx(112e9)
    assert out["largest_counterparty"] == "SpaceX/xAI"
    assert out["largest_share"] == pytest.approx(45 / 112)
    # HHI by hand: shares 45, 30, 30, 7 of 112
    assert out["hhi"] == pytest.approx(sum((100 * v / 112) ** 2 for v in (45, 30, 30, 7)))
    assert "more than a third" in out["finding"]


def test_portfolio_text_and_a_bad_file(tmp_path):
    result = run("portfolio", "resources/example_portfolio.json")
    assert result.returncode == 0 and "HHI 3,088" in result.stdout
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "compute-deal-modeler/portfolio", "version": 1}')
    result = run("portfolio", str(bad))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert str(bad) in result.stderr
