"""Where a benchmark case's frame goes: bench/run.py's edits under cProfile.

    python bench/profile_frame.py CASE [--edits N] [--sort cumulative|tottime] [--lines 40]

CASE is a tab key (contract, hardware, ..., compare: the fee edited with that
tab shown), `long_term` (the Contract tab, 240 months x 60 tranches),
`slider` (the fee slider dragged), `two_way_live` (the Solve & sweep tab,
the token price edited: every cell of the two-way table changes) or
`risk_results` (the Risk tab's fee edit until its tornado and 2,000-path
preview have landed and are painted, as bench/run.py's tab_risk; the
profile then also holds the 0.2 ms sleeps of the wait for the workers:
`time.sleep`, not the frame's; its CPU figure is, as tab_risk's, that of
the calls that delivered events, the whole span's printed beside it) or
`portfolio` (the Portfolio tab with the 50-deal, 240-month book, one deal's fee edited until the joint simulation
it started is painted: bench/run.py's measure_portfolio_edit, its setup
reused; the same 0.2 ms sleeps while the worker computes), or `risk_first` /
`market_first` (the tab's first show until the results of the jobs it starts
are painted: bench/run.py's tab_<key>_first_results_*, in a window whose
hidden tabs were built in idle time as the bench's; with --all-tabs the
tabs of the fee cases are shown first; one show a run, so --edits is
ignored: run it several times), or `first_show:KEY` (any tab's first show
to idle, bench/run.py's tab_<KEY>_first_show_*, in the same window; for
risk and market also on to their results, as risk_first / market_first).  The profile covers exactly what
bench/run.py times for the case (edit to idle, see its docstring), summed
over the edits; the untimed gaps and the settling between edits are outside
it.  Prints the top functions and the median wall and main-thread CPU time
of an edit (CPU time is steadier than wall time on a busy machine).
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/run.py: the same window, loop and edits)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case")
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=45)
    parser.add_argument("--all-tabs", action="store_true",
                        help="show every tab once first (built, following edits), as the bench does")
    parser.add_argument("--cpu", action="store_true",
                        help="profile main-thread CPU time (time.thread_time), not wall time")
    parser.add_argument("--no-profile", action="store_true",
                        help="no profiler: the wall and main-thread CPU time an edit")
    args = parser.parse_args(argv)

    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from core.presets import default_scenario
    from ui.look.themes import configure_pyqtgraph
    from ui.main_window import MainWindow
    app = QApplication.instance() or QApplication([sys.argv[0]])
    configure_pyqtgraph()
    first_show = args.case.endswith("_first") or args.case.startswith("first_show:")
    if first_show:       # the bench's window: hidden tabs built in idle time
        from ui import registry
        shown_key = (args.case.removeprefix("first_show:") if args.case.startswith("first_show:")
                     else args.case.removesuffix("_first"))
        if args.case.endswith("_first") and shown_key not in run.FIRST_RESULTS:
            parser.error(f"{args.case}: a first show with results is one of "
                         + ", ".join(f"{key}_first" for key in run.FIRST_RESULTS))
        if shown_key not in registry.TAB_KEYS:
            parser.error(f"{args.case}: first_show:KEY takes a tab key: "
                         + ", ".join(registry.TAB_KEYS))
        window, loop = run.open_window(app, MainWindow(default_scenario()))
    else:
        window = MainWindow(default_scenario())
        window.resize(1560, 960)
        window.show()
        loop = run.EventLoop(app, window.binding)
        loop.settle(0.5)
    if args.all_tabs:     # as in bench/run.py, every tab has been shown before
        for key in run.TAB_KEYS:
            if first_show and key == shown_key:
                continue
            window.show_tab(key)
            loop.settle(0.2)
    if first_show:
        profiler = cProfile.Profile(time.thread_time) if args.cpu else cProfile.Profile()
        if args.no_profile:
            profiler.enable = profiler.disable = lambda: None
        # As in the bench, the results changed while the tab was hidden.
        base = window.binding.scenario.contract.monthly_fee
        window.binding.set_values("contract", monthly_fee=base + run.FEE_STEP)
        window.binding.set_values("contract", monthly_fee=base)
        loop.settle(0.3)
        time.sleep(run.EDIT_GAP_S)
        profiler.enable()
        figures = run.measure_first_show(window, loop, shown_key)
        profiler.disable()
        if not args.no_profile:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.lines)
            print(out.getvalue())
        line = (f"{args.case}: first show {figures['first_show_ms']} ms wall, "
                f"{figures['first_show_cpu_ms']} ms main-thread CPU")
        if "first_results_ms" in figures:      # a tab whose first show starts jobs
            line += (f"; to its results painted {figures['first_results_ms']} ms (main "
                     f"thread's work), {figures['first_results_cpu_ms']} ms main-thread CPU, "
                     f"{figures['first_results_wall_ms']} ms wall to on screen, "
                     f"{figures['first_results_paint_events']} paint events")
        print(line + ("" if args.no_profile else " (profiled: cProfile adds overhead)"))
        run.risk_workers_idle(window, loop)
        for key in run.FIRST_RESULTS:
            window.tab(key).shutdown()
        window.close()
        return 0
    if args.case == "long_term":
        window.binding.set_scenario(run.long_term_scenario(window.binding.scenario))
    if args.case == "portfolio":      # as measure_portfolio_edit: the book alone
        for scenario in run.portfolio_book_scenarios():
            window.workspace.add(scenario)
        window.workspace.remove(0)
    tab = {"long_term": "contract", "slider": "contract", "two_way_live": "solve",
           "risk_results": "risk"}.get(
        args.case, args.case)
    window.show_tab(tab)
    loop.settle(0.5)

    profiler = cProfile.Profile(time.thread_time) if args.cpu else cProfile.Profile()
    if args.no_profile:
        profiler.enable = profiler.disable = lambda: None
    times, cpu, span_cpu = [], [], []
    binding = window.binding
    base = binding.scenario.contract.monthly_fee
    if args.case == "slider":
        slider, x0, y = run.fee_slider_handle(window)
        QTest.mousePress(slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(x0, y))
        loop.drain()
        for i in range(args.edits):
            time.sleep(run.EDIT_GAP_S)
            x = x0 + (i % 40 if (i // 40) % 2 == 0 else 40 - i % 40)
            start, start_cpu = time.perf_counter(), time.thread_time()
            profiler.enable()
            QTest.mouseMove(slider, QPoint(x, y))
            loop.drain()
            profiler.disable()
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
        QTest.mouseRelease(slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           QPoint(x0, y))
    elif args.case == "risk_results":
        import ui.tabs.risk as risk_module
        risk = window.tab("risk")
        landed: list[str] = []
        risk.simulation_runner.finished.connect(lambda r: landed.append(
            "preview" if r.spec.paths == risk_module.PREVIEW_PATHS else "full"))
        for i in range(args.edits):
            run.risk_workers_idle(window, loop)
            time.sleep(run.EDIT_GAP_S)
            landed.clear()
            shown = risk.tornado_result
            start, start_cpu = time.perf_counter(), time.thread_time()
            profiler.enable()
            binding.set_values("contract", monthly_fee=base + (i % 50 + 1) * run.FEE_STEP)
            busy_cpu = time.thread_time() - start_cpu
            _first, _paints, first_cpu = loop.work()
            _second, _paints, second_cpu = loop.work(
                lambda: risk.tornado_result is not shown and "preview" in landed)
            profiler.disable()
            times.append((time.perf_counter() - start) * 1000)
            # As bench/run.py's tab_risk CPU figure: the calls that delivered
            # events, not the polling while the workers compute (a
            # processEvents() that delivers nothing and a 0.2 ms sleep, about
            # 35 us of CPU each: 1.5-3 ms an edit, more the slower the worker,
            # where an event loop would block without using the CPU).  The
            # whole span's CPU is printed beside it.
            cpu.append((busy_cpu + first_cpu + second_cpu) * 1000)
            span_cpu.append((time.thread_time() - start_cpu) * 1000)
    elif args.case == "portfolio":
        book = window.tab("portfolio")
        run.portfolio_worker_idle(book, loop)
        landed: list = []
        book.runner.finished.connect(landed.append)
        for i in range(args.edits):
            run.portfolio_worker_idle(book, loop)
            time.sleep(run.EDIT_GAP_S)
            landed.clear()
            start, start_cpu = time.perf_counter(), time.thread_time()
            profiler.enable()
            binding.set_values("contract", monthly_fee=base + (i % 50 + 1) * run.FEE_STEP)
            busy, busy_cpu = time.perf_counter() - start, time.thread_time() - start_cpu
            first, _paints, first_cpu = loop.work()
            second, _paints, second_cpu = loop.work(lambda: bool(landed))
            profiler.disable()
            # As the bench: the calls that delivered events, not the wait for the worker.
            times.append((busy + first + second) * 1000)
            cpu.append((busy_cpu + first_cpu + second_cpu) * 1000)
        book.shutdown()
    else:
        for i in range(args.edits):
            time.sleep(run.EDIT_GAP_S)
            start, start_cpu = time.perf_counter(), time.thread_time()
            profiler.enable()
            if args.case == "two_way_live":
                price = binding.scenario.projections.token_price_per_million
                binding.set_values("projections", token_price_per_million=price
                                   * (1.001 if i % 2 == 0 else 1 / 1.001))
            else:
                binding.set_values("contract", monthly_fee=base + (i % 50 + 1) * run.FEE_STEP)
            loop.drain()
            profiler.disable()
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
    if not args.no_profile:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.lines)
        print(out.getvalue())
    times.sort()
    cpu.sort()
    span_cpu.sort()
    print(f"{args.case}: {len(times)} edits, median {times[len(times) // 2]:.2f} ms wall, "
          f"{cpu[len(cpu) // 2]:.2f} ms main-thread CPU"
          + (f" (the whole span, the polling while the workers compute included: "
             f"{span_cpu[len(span_cpu) // 2]:.2f} ms)" if span_cpu else "")
          + ("" if args.no_profile else " (profiled: cProfile adds overhead)"))
    window.tab("risk").shutdown() if "risk" in window.tab_pages else None
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
