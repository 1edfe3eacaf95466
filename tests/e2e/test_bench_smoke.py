"""bench/run.py runs and prints one JSON object with the figures the issue
asks for (the figures themselves are not pass/fail: see README, Performance)."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"edit_to_repaint_ms_median", "edit_to_repaint_ms_p95", "monte_carlo_ms",
        "cold_start_s", "peak_rss_mb", "matplotlib_ratio"}


def test_bench_quick_prints_the_figures_as_json():
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--json", "--quick"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert KEYS <= set(figures)
    for key in KEYS:
        assert isinstance(figures[key], (int, float)) and figures[key] > 0, key
    assert figures["edits"] == 20 and figures["monte_carlo_months"] == 120
    assert set(figures["targets_met"]) == KEYS - {"matplotlib_ratio"}
