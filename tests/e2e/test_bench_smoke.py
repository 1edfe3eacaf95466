"""bench/run.py runs and prints one JSON object with every figure issue 13 asks
for (the figures themselves are not pass/fail: no test times anything)."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TABS = ("contract", "hardware", "projections", "economics", "termination", "alternatives",
        "risk", "solve", "compare")
TIMES = ({f"tab_{tab}_{stat}_ms" for tab in TABS for stat in ("median", "p95")}
         | {"typed_value_median_ms", "typed_value_p95_ms", "slider_drag_median_ms",
            "slider_drag_p95_ms", "long_term_median_ms", "long_term_p95_ms",
            "risk_tornado_followed_median_ms", "matplotlib_frame_median_ms", "matplotlib_ratio",
            "two_way_grid_median_ms", "two_way_grid_core_median_ms",
            "risk_preview_on_screen_median_ms",
            "tornado_ms", "monte_carlo_2000_ms", "monte_carlo_10000_ms", "monte_carlo_100000_ms",
            "monte_carlo_100000_peak_mb", "cold_start_s", "portfolio_joint_simulation_ms",
            "portfolio_joint_simulation_cpu_ms", "portfolio_edit_median_ms",
            "portfolio_edit_cpu_median_ms",
            *(f"tab_switch_after_edit_{tab}_{stat}_ms" for tab in ("contract", "economics")
              for stat in ("median", "cpu_median")),
            # A first show on to the results of the jobs it starts painted.
            *(f"tab_{tab}_first_results_{stat}" for tab in ("risk", "market")
              for stat in ("ms", "cpu_ms", "wall_ms", "paint_events"))})


def test_bench_quick_prints_every_figure_as_json(tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--json", "--quick",
                             "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert TIMES <= set(figures)
    for key in TIMES:
        assert isinstance(figures[key], (int, float)) and figures[key] > 0, key
    assert figures["edits_per_case"] == 8 and figures["monte_carlo_months"] == 120
    assert figures["slider_drag_moves"] == 20
    # Every numeric field of the default scenario: contract 20, hardware 11,
    # projections 4, market 11 and credit 14.
    assert figures["tornado_inputs"] == 60
    # --quick does not start the packaged app; the note says so.
    assert figures["packaged_start_s"] is None and "skipped" in figures["packaged_start_note"]
    assert {"loadavg_1_5_15", "cpus"} <= set(figures["machine_before"])
    assert set(figures["targets_met"]) >= {"tab_contract_median_ms", "matplotlib_ratio",
                                           "monte_carlo_100000_peak_mb",
                                           "tab_risk_first_results_ms",
                                           "tab_market_first_results_ms"}
    for tab in ("risk", "market"):    # the span goes on from the first show
        assert figures[f"tab_{tab}_first_results_ms"] >= figures[f"tab_{tab}_first_show_ms"]
        assert figures[f"tab_{tab}_first_results_wall_ms"] >= figures[f"tab_{tab}_first_results_ms"]
    assert json.loads(out.read_text()) == figures      # --out writes the same figures


def test_bench_rights_alone_prints_the_rights_figures(tmp_path):
    # --rights: the rights to walk's cases only (issue 25), without the window.
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--rights",
                             "--json", "--quick"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    for months in (36, 240):
        for paths in (2_000, 20_000):
            for stat in ("ms", "cpu_ms"):
                value = figures[f"rights_{months}m_{paths}_{stat}"]
                assert isinstance(value, (int, float)) and value > 0
    assert figures["rights_240m_20000_peak_mb"] > 0
    assert set(figures["targets_met"]) == {"rights_36m_20000_ms", "rights_240m_20000_ms"}
