"""The benchmark that holds the app to its frame budget.

    python bench/run.py [--json] [--quick]

Measures, in one run on this machine:

- edit_to_repaint_ms_median / _p95: set one input in the real main window
  (offscreen), flush the coalesced recompute (every plot and figure bound to
  the results updates) and repaint the window; over 200 edits.  Views on
  hidden tabs update when their tab is shown (ui/app/lazy_updates.py);
- monte_carlo_ms: 10,000 paths over 120 months, the engine alone (median of 5);
- cold_start_s: `python main.py` to the first painted window (median of 3);
- peak_rss_mb: the app process's peak resident memory after a Monte Carlo
  run through the Risk tab;
- matplotlib_ratio: the same edits redrawn with matplotlib (Agg) on the same
  curves of the contract tab, divided by our edit-to-repaint median (> 1
  means we are faster).

Targets (2-core machine): median <= 16 ms, p95 <= 33 ms, Monte Carlo <= 150 ms,
cold start <= 1.5 s, peak RSS <= 300 MB.  --quick uses small counts (for the
smoke test).  Not part of the test suite's pass/fail.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGETS = {"edit_to_repaint_ms_median": 16.0, "edit_to_repaint_ms_p95": 33.0,
           "monte_carlo_ms": 150.0, "cold_start_s": 1.5, "peak_rss_mb": 300.0}
FEE_STEP = 1e6      # each edit moves the monthly fee by $1M, so every edit changes the model


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def measure_edits(window, app, edits: int) -> list[float]:
    binding = window.binding
    base = binding.scenario.contract.monthly_fee
    for _ in range(5):        # warm caches and first-paint work
        app.processEvents()
    times = []
    for i in range(edits):
        start = time.perf_counter()
        binding.set_values("contract", monthly_fee=base + (i % 50 + 1) * FEE_STEP)
        binding.flush()
        window.repaint()      # paints every visible view from its new data, now
        times.append((time.perf_counter() - start) * 1000.0)
        # Untimed: the updates pyqtgraph posted, which the event loop would fold
        # into the same frame; here they repaint once more after the measure.
        app.processEvents()
    return times


def measure_monte_carlo(repeats: int, paths: int) -> float:
    from core.monte_carlo import SimulationSpec, Uncertainty, simulate
    from core.presets import default_scenario
    scenario = default_scenario().with_changes(
        "contract", term_months=120, buyer_termination_prob_pct=0.5,
        provider_termination_prob_pct=0.5)
    spec = SimulationSpec(uncertainties=(
        Uncertainty("hardware.utilization_pct", "triangular", 40, 60, 80),
        Uncertainty("projections.demand_growth_pct_per_month", "triangular", 0, 2, 4),
        Uncertainty("projections.token_price_per_million", "uniform", 1.0, 2.0, 3.0),
        Uncertainty("contract.discount_rate_pct", "normal", 8, 10, 12)),
        output="buyer_npv", paths=paths, seed=1)
    simulate(scenario, spec)      # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        simulate(scenario, spec)
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def measure_cold_start(repeats: int) -> float:
    env = dict(os.environ, CDM_QUIT_AFTER_PAINT="1", QT_QPA_PLATFORM="offscreen")
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(ROOT / "main.py")], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            line = proc.stdout.readline()
            elapsed = time.perf_counter() - start
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass   # it painted but did not quit by itself: end it (the figure stands)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if "painted" not in line:
            raise RuntimeError("main.py did not report a painted window")
        times.append(elapsed)
    return statistics.median(times)


def run_simulation_in_app(window, app, paths: int) -> None:
    tab = window.tab("risk")
    tab.simulation_controls.paths.setValue(paths)
    tab.run_simulation()
    deadline = time.monotonic() + 120
    while tab.simulation_runner.running and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    app.processEvents()
    if tab.simulation_result is None:
        raise RuntimeError("the Risk tab's simulation did not finish")


def measure_matplotlib(results_list) -> list[float]:
    """The contract tab's curves (payment bars, exposure steps, cumulative and
    present-value lines) redrawn with matplotlib's Agg backend, per edit."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from core.engine import compute
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(11.0, 8.0), dpi=100)
    times = []
    for scenario in results_list:
        start = time.perf_counter()
        s = compute(scenario).schedule
        x = s.month_start.astype("datetime64[D]")
        top.clear()
        bottom.clear()
        top.bar(x, s.payment, width=np.asarray(s.days) * 0.8, color="#56B4E9",
                label="Monthly payment")
        top.step(x, s.walkaway_exposure, where="post", color="#D55E00",
                 label="Walk-away exposure")
        top.legend(loc="upper left")
        top.grid(alpha=0.25)
        bottom.plot(x, s.cumulative_payment, color="#0072B2", label="Cumulative payments")
        bottom.fill_between(x, s.cumulative_payment, alpha=0.15, color="#0072B2")
        bottom.plot(x, s.cumulative_payment_pv, "--", color="#009E73",
                    label="Cumulative present value")
        bottom.legend(loc="upper left")
        bottom.grid(alpha=0.25)
        figure.canvas.draw()
        times.append((time.perf_counter() - start) * 1000.0)
    plt.close(figure)
    return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quick", action="store_true", help="small counts (smoke test)")
    args = parser.parse_args(argv)
    edits = 20 if args.quick else 200
    mc_paths = 1_000 if args.quick else 10_000

    from PySide6.QtWidgets import QApplication

    from core.presets import default_scenario
    from ui.main_window import MainWindow
    from ui.boardroom.themes import configure_pyqtgraph
    app = QApplication.instance() or QApplication([sys.argv[0]])
    configure_pyqtgraph()
    window = MainWindow(default_scenario())
    window.show()
    edit_times = measure_edits(window, app, edits)

    monte_carlo_ms = measure_monte_carlo(2 if args.quick else 5, mc_paths)
    run_simulation_in_app(window, app, mc_paths)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0

    base = default_scenario().contract.monthly_fee
    scenarios = [default_scenario().with_changes("contract", monthly_fee=base + (i % 50 + 1)
                                                 * FEE_STEP) for i in range(edits)]
    mpl_times = measure_matplotlib(scenarios)
    window.tab("risk").shutdown()
    window.close()

    median = statistics.median(edit_times)
    figures = {
        "edit_to_repaint_ms_median": round(median, 2),
        "edit_to_repaint_ms_p95": round(percentile(edit_times, 95), 2),
        "monte_carlo_ms": round(monte_carlo_ms, 1),
        "cold_start_s": round(measure_cold_start(1 if args.quick else 3), 3),
        "peak_rss_mb": round(peak_rss_mb, 1),
        "matplotlib_ratio": round(statistics.median(mpl_times) / median, 2),
        "edits": edits,
        "monte_carlo_paths": mc_paths,
        "monte_carlo_months": 120,
        "matplotlib_edit_ms_median": round(statistics.median(mpl_times), 2),
    }
    figures["targets_met"] = {k: figures[k] <= v for k, v in TARGETS.items()}
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:28} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
