"""The benchmark that holds the app to its frame budget, measured as a user feels it.

    python bench/run.py [--json] [--quick] [--out FILE] [--packaged EXECUTABLE]
                        [--only tabs,risk_drag,...] [--rights]

Every figure is wall-clock time on this machine (offscreen Qt, the real
MainWindow at 1560 x 960, the default scenario unless said otherwise), and
every frame figure is a median and a p95 over many edits.

Main-thread CPU time beside wall time (`*_cpu_median_ms`, `*_cpu_p95_ms`,
`*_first_show_cpu_ms`): for every tab's edits, every first show, the slider
drag and the Risk drag, the same span is also measured as the GUI thread's
CPU time (time.thread_time() on the thread that runs the event loop: the
main thread here).  On a machine shared with other work, wall time counts
the time the thread waited for a core; CPU time does not (the CPU it did
use still runs slower when the cores' caches and hyperthreads are shared),
so compare CPU figures run against run, and wall figures only on a quiet
machine.  Inside the CPU figure: all the thread computed in the span (the
edit's call, the recompute, every slot, layout and paint, and the bench's
own event counting); not inside: the worker threads' computing and any
time the thread slept or waited for a lock.

--only CASES measures some cases (comma-separated, see CASES; the others
are null in the output): e.g. `--only tabs,risk_drag` for the tabs' edits,
first shows and the Risk drag.

What is inside an edit's timing ("edit to idle")
    From the call that changes the value (the binding's `set_values`, the
    Enter key in a spin box, or one mouse move on the slider) until the Qt event
    loop has nothing left to do for it: `processEvents()` is called again and
    again until one call delivers no event at all (counted by an event filter
    on the application, which sees every event, posted or sent) and the
    binding has no recompute pending.  That takes in the coalesced recompute
    (core.engine.compute), every results_changed slot (plots, key figures,
    tables), every event pyqtgraph and Qt posted (layout, updates), and the
    paint of the window (the backing store flush of the offscreen platform).
    The last, empty processEvents() call is inside the timing too (tens of
    microseconds), and so is the event filter's counting (about a microsecond
    an event).
What is not inside it
    The wait of the binding's 16 ms coalescing timer: edits are spaced 25 ms
    apart (untimed sleep), as a user's are, so the recompute is due at once.

The Risk tab (tab_risk, issue 22): the main thread's work an edit causes,
results included
    The tab starts two worker threads on every edit (the tornado, and a
    Monte Carlo preview of 2,000 paths) whose results come back to the main
    thread and are painted there: main-thread work the edit caused, which
    competes with the next frame of a drag.  So tab_risk_median_ms /
    p95_ms time each edit from the set_values call until (1) the loop is
    idle after the edit's own frame, then (2) both the tornado's result and
    the 2,000-path preview's result of that edit have been delivered to the
    tab (a new `tornado_result` shown; the simulation runner's `finished`
    signal with a 2,000-path result), and (3) the loop is idle again
    after them: their plots, labels and the window painted.  Inside the
    figure: the set_values call, and the wall time of every processEvents()
    call that delivered at least one event in that span (the recompute, the
    results' slots, layouts, paints, the workers' progress signals, and any
    wait of those calls for a worker to hand back Python's interpreter
    lock).  Not inside: the time the main thread is idle waiting for the
    workers (it sleeps 0.2 ms after a call that delivered nothing, so the
    workers run); the workers' own computing.  Before each edit the bench
    waits, untimed, until no worker runs.  Reported beside it:
    risk_edit_frame_* (the edit to the first idle, as every other tab, the
    figure tab_risk was before issue 22), risk_results_wall_* (the same span
    as tab_risk in wall time, the workers' computing included: when the
    results are on screen), risk_results_cpu_median_ms (the main thread's
    CPU time in the timed calls: steadier on a busy machine) and
    risk_paint_events_median (paint events of all widgets in the span).
    `risk_tornado_followed_ms` is the time from the edit until the tornado
    worker has finished and its result is painted; `risk_preview_on_screen_ms`
    from the edit until the Monte Carlo preview is shown and the loop is
    idle again (issue 13: within 50 ms).
    The compositor / screen: offscreen, the frame ends when Qt has painted its
    backing store.

Cases (in this order, in one window; a tab shown once stays built, and its
hidden widgets that follow every edit, such as the tranche table, are inside
the later cases' timings as they are for a user who has visited every tab)
    tab_<key>: the monthly fee moved by $1M-$50M with that tab shown, for each
    of the nine tabs (contract, hardware, projections, economics, termination,
    alternatives, risk, solve, compare).  On Solve & sweep that edit also
    recomputes the visible two-way table.  The fee is the same edit on every tab, so
    the tabs compare; a tab whose plots do not depend on the fee still pays
    for the key-figure strip and its own refresh.
    tab_switch_after_edit_<key>: the switch to tab <key> just after a fee edit
    made on another tab (TAB_SWITCHES: to Contract terms from Cluster
    hardware, to Economics from Contract terms): the edit and its frame run to
    idle untimed, then show_tab(key) is timed to idle.  Inside: what the tab's
    views left for the show while hidden (plots and figures that update when
    shown, fields that follow the scenario when shown, the greyed equivalent
    prices), its layout and paint.  _cpu_median_ms (main-thread CPU, the
    figure to compare on a busy machine) and _median_ms (wall), over
    max(6, edits // 4) switches; measured with the tabs case (`--only tabs`).
    typed_value: a fee typed into the Contract tab's spin box; timed from the
    Enter key press (the call that applies the value) to idle.
    slider_drag: the Contract tab's fee slider pressed on its handle, then
    moved by QTest mouse moves, 1 px a move, back and forth over up to 40 px;
    the time per move, each to idle.
    risk_drag: the fee dragged with the Risk tab shown (the fee slider is on
    the Contract tab, hidden meanwhile: its QSlider is set one step, $5M, a
    move, the signal path of a drag, back and forth over 40 steps), one move
    every 25 ms, the workers never waited for.  Each move: the main thread's
    work from the move until the next move (measured as tab_risk's: the
    processEvents() calls that delivered events), so its own frame plus any
    worker results that landed meanwhile; a call under way at the 25 ms mark
    is counted whole.  Median and p95 per move.
    two_way_grid: the Solve & sweep tab's two-way table (25 x 25 cells by
    default) recomputed by its Recompute call: core.sweep.two_way, heat map,
    contour and the 625-cell table, to idle.  two_way_grid_core_median_ms is
    core.sweep.two_way alone, outside the event loop.  (Recompute draws the
    heat map and every cell again even when no cell changed.)
    two_way_live: the Solve & sweep tab shown and the token price edited, an
    input off the grid's axes, so that every one of the 625 cells changes:
    the scenario's compute, the grid's, heat map, contour and table, to idle.
    (On tab_solve the fee is edited, the grid's own x axis: no cell changes,
    each cell sets the fee itself, and only the base case moves.)
    long_term: the Contract tab with a 240-month term and 60 tranches (one
    coming online each 4 months), fee edits as above.
    matplotlib_frame: the Contract tab's two charts drawn with matplotlib
    (FigureCanvasQTAgg in a shown window of the same size): compute, redraw
    every artist, canvas.draw(), then to idle on the same basis.  The ratio is
    its median over ours on tab_contract (> 1: we are faster).

Figures outside the event loop
    tornado_ms: core.risk.tornado of every numeric input (low and high) for
    buyer NPV on the default scenario, median.
    monte_carlo_*: core.monte_carlo.simulate with the Risk tab's default
    uncertain inputs and termination as a random event, on the default
    scenario with a 120-month term: a preview of 2,000 paths, 10,000 paths and
    100,000 paths (median time; peak memory of the run by tracemalloc, which
    sees numpy's allocations, measured on a separate run so that tracing does
    not slow the timed ones).
    portfolio_edit: see measure_portfolio_edit (issue 27): the Portfolio tab
    with the 50-deal, 240-month book as the window's scenarios, one deal's fee
    edited, timed as tab_risk from the edit until the joint simulation it
    started (10,000 paths) is painted: the main thread's work
    (portfolio_edit_median_ms, _cpu_), the edit's own frame (_frame_), and
    the wall time to the new distribution on screen (_wall_).
    portfolio_joint_simulation_ms: core.portfolio_risk.simulate_portfolio
    of a buyer's book of 50 deals of 240 months each (portfolio_book_scenarios:
    12 providers, half the deals replaced at market for the rest of the term
    on a provider default), 10,000 paths, default seed and chunk; median wall
    time of 5 warm calls (each deal's credit and market inputs cached, as
    after an edit), with the process CPU time beside it (_cpu_ms), the first
    call with those inputs computed inside it (_cold_ms) and the peak memory
    by tracemalloc (_peak_mb).  Inside: the whole call; not inside: the
    deals' engine results (computed when the book is built).

The rights to walk (issue 25; `--rights` runs these alone, without the window)
    rights_<months>m_<paths>_ms / _cpu_ms: core.rights.value_rights (both
    rights, least-squares Monte Carlo, the deal's arrays built once outside
    the timing) on the default scenario (36 months) and on it with a 240-month
    term, 20,000 paths and the 2,000-path preview: median wall and process
    CPU time over the repeats (the machine is shared: CPU time says how much
    of the wall was waiting); rights_240m_20000_peak_mb: tracemalloc's peak of
    a separate run.  market_preview_on_screen_*: in the window, from a fee edit
    until the Market tab has shown the 2,000-path preview of the new scenario
    and the event loop is idle (measure_market_preview).

Start-up (each run in a fresh, empty profile: no settings, no autosaved
sessions; the bench's own window uses one too, so nothing it does reaches the
user's profile)
    cold_start_s: `python main.py` started as a subprocess
    (CDM_QUIT_AFTER_PAINT=1, offscreen), median of 5 runs: from Popen until
    the line "painted" is read from its stdout.  Inside: the interpreter's
    start, every import, QApplication, the main window with the tab it opens
    on (Contract terms) built, show, the first paint of the whole window
    (ui/app/startup_probe.py prints once the paint event of the window has
    been handled and the event loop turns).  Not inside: the tabs not shown
    (each is built when first shown: tab_<key>_first_show_ms), the crash-
    recovery offer (after the first paint), the exit.  Warm: the files are in
    the page cache after the first run.
    cold_start_import_s: the same start's imports alone (`python -X
    importtime`'s total for the modules main.py imports before the window),
    to say how much of cold_start_s is imports.
    packaged_start_s: the same measure of the one-folder build's executable
    (installer/build.sh puts it in installer/dist/compute-deal-modeler/;
    --packaged names another), warm: one untimed run first, then the median
    of 3.  Null, with the note "not built", when there is no build.
    tab_<key>_first_show_ms: for each tab in turn, the first show_tab(key)
    of the bench's freshly opened window, to idle as above: building the tab
    (a placeholder until then: ui/main_window.py), its first results and its
    first paint.  Contract terms is the tab the window opens on, so it was
    built before the window was first painted (inside cold_start_s) and its
    figure is only the switch back to it.  Before tabs were built lazily,
    every tab was built with the window, and these figures were the switch
    alone.  Since issue 22 the window builds the tabs not shown in idle time
    after its first paint, one an event-loop turn (ui/app/launch.py does the
    same): the bench waits for those builds (untimed) before the cases, so
    tab_<key>_first_show_ms is the first show of a tab built in idle time
    (its layout, first results and first paint), and idle_build_<key>_ms is
    each idle step (the tab's construction, MainWindow.idle_build_ms): a
    click that comes during a step waits for it.  Null when the code has no
    idle builds (the code before issue 22).  Since the second round of issue
    22 each built tab is also readied in idle steps of its own (laid out at
    the size it is shown at, each plot rendered off screen: ui/window/
    warm_up.py); idle_build_<key>_steps and _max_step_ms count and bound
    all of that tab's steps (MainWindow.idle_step_ms); the bench waits for
    them too.  Since the third round each tab's construction is itself cut
    into the steps the tab declares (ui/app/build_steps.py: its form parts,
    each plots widget, each table, then its views given the results):
    idle_build_<key>_ms is then the sum of those construction steps (wall),
    idle_build_<key>_build_steps how many they were, and
    idle_build_<key>_max_step_cpu_ms the longest of all the tab's idle
    steps in main-thread CPU time (MainWindow.idle_step_cpu_ms; steadier
    than the wall figure on a shared machine).  The window also lays a tab
    switch out for the new tab's warnings before showing the page (ui/
    main_window.py _before_switch): that is inside the first show.  The first shows come in the order of TAB_KEYS, each after the
    previous tab's fee edits (so each tab shown has results that changed
    while it was hidden: its first show includes applying them), then the
    tabs with no fee case (market, credit, deals, portfolio).
    tab_risk_first_results_* and tab_market_first_results_*: the same first
    show, on until the results of the worker jobs it starts are painted.
    Both tabs start their jobs once the tab's first frame is painted (the
    Risk tab its tornado and 2,000-path Monte Carlo preview, in one job; the
    Market tab the 2,000-path preview of the rights to walk), so the results
    and their paint land after tab_<key>_first_show_ms ends.  Timed as
    tab_risk's edits: from the show_tab call until (1) the loop is idle (the
    first show's span, all of it), then (2) the tab shows results of the
    scenario in force and no job of the tab runs or is due (a result that
    starts another job is waited for too): the results of the jobs the show
    started (Risk: a tornado and a simulation shown; Market: the rights'
    preview), or those the tab had ready when shown (since this figure was
    added both tabs, built hidden in idle time, compute, draw and render their
    first results while hidden; the bench waits for that, untimed, with the
    idle builds: `preparing_first_results`), and (3) the loop is idle again
    after them: their plots, figures, labels and the window painted.
    tab_<key>_first_results_ms: the first show's wall time plus the wall
    time of every processEvents() call after it that delivered at least one
    event (the results' slots, layouts, paints, and
    any wait of those calls for a worker to hand back Python's interpreter
    lock); not inside: the main thread idle waiting for the workers (0.2 ms
    sleeps) and the workers' computing.  _cpu_ms: the main thread's CPU time
    in the same calls (the figure to compare on a busy machine); _wall_ms:
    the wall time from the show_tab call until the results are on screen and
    the loop idle, the workers' computing and the waits included;
    _paint_events: paint events of all widgets in the whole span.  Not one
    of the results: the refinement to the full path count, started by a
    timer 300 ms after a preview lands, when the edits have paused (a job
    of its own, painted in a frame of its own).  Measured with the tabs case.

Targets (issue 13; the benchmark reports them, no test times anything): see TARGETS.
bench/profile_frame.py runs one case under cProfile (or reports its CPU time)
to say where a frame goes.
--quick uses small counts (for the smoke test).  --fast-axis measures the
prototype of ui/plots/fast_axis.py installed on every pyqtgraph axis.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
DEFAULT_PACKAGED = ROOT / "installer" / "dist" / "compute-deal-modeler" / "compute-deal-modeler"
PROFILE_VARS = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")


def fresh_profile() -> dict[str, str]:
    """Environment variables for an empty user profile (settings, autosaves)."""
    folder = Path(tempfile.mkdtemp(prefix="cdm-bench-profile-"))
    return {name: str(folder / name.lower()) for name in PROFILE_VARS}


# The bench's own window: settings and autosaves in a throwaway profile, never
# the user's (an edited window closed at the end would leave an autosave there,
# and the next start would offer to recover it).
os.environ.update(fresh_profile())

TAB_KEYS = ("contract", "hardware", "projections", "economics", "termination", "alternatives",
            "risk", "solve", "compare")
TARGETS = {  # figure: the most it may be
    **{f"tab_{key}_median_ms": 8.0 for key in TAB_KEYS},
    **{f"tab_{key}_p95_ms": 16.0 for key in TAB_KEYS},
    "long_term_median_ms": 16.0,
    # Issue 16: the 25 x 25 two-way table recomputes within one frame (60 Hz).
    "two_way_grid_median_ms": 16.7,
    "two_way_live_median_ms": 16.7,
    # Issue 22: a tab's first show within 50 ms (a click never freezes the window).
    **{f"tab_{key}_first_show_ms": 50.0 for key in TAB_KEYS},
    # ... and the Risk and Market tabs' first show with the results of the jobs
    # it starts (the main thread's work; the workers' time is outside).
    "tab_risk_first_results_ms": 50.0,
    "tab_market_first_results_ms": 50.0,
    "slider_drag_p95_ms": 16.0,
    "risk_drag_p95_ms": 16.0,
    "risk_preview_on_screen_p95_ms": 50.0,
    "market_preview_on_screen_p95_ms": 50.0,
    "tornado_ms": 10.0,
    "monte_carlo_2000_ms": 30.0,
    "monte_carlo_10000_ms": 60.0,
    "monte_carlo_100000_ms": 1000.0,
    "monte_carlo_100000_peak_mb": 400.0,
    # Issue 27: the joint simulation of 10,000 paths x 50 deals of 240 months.
    "portfolio_joint_simulation_ms": 1000.0,
    "portfolio_edit_median_ms": 16.0,
    # Issue 25: both rights to walk by least-squares Monte Carlo.
    "rights_36m_20000_ms": 60.0,
    "rights_240m_20000_ms": 400.0,
    "cold_start_s": 0.8,
    "packaged_start_s": 1.0,
}
MIN_MATPLOTLIB_RATIO = 10.0
# The groups of figures, in the order measured (--only picks some).
CASES = ("tabs", "risk_drag", "risk_followed", "risk_preview", "typed", "slider", "long_term",
         "two_way", "two_way_live", "portfolio", "market_preview", "matplotlib", "core",
         "rights", "start")
FEE_STEP = 1e6      # each edit moves the monthly fee by $1M..$50M, so every edit changes the model
EDIT_GAP_S = 0.025  # untimed pause between edits: the coalescing timer is due at once


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(times: list[float], cpu: list[float] | None = None) -> dict[str, float]:
    """Median and p95 of wall times (ms); with `cpu`, the main thread's CPU
    time of the same spans beside them (cpu_median_ms, cpu_p95_ms)."""
    out = {"median_ms": round(statistics.median(times), 2),
           "p95_ms": round(percentile(times, 95), 2), "n": len(times)}
    if cpu:
        out.update(cpu_median_ms=round(statistics.median(cpu), 2),
                   cpu_p95_ms=round(percentile(cpu, 95), 2))
    return out


class EventLoop:
    """Drives the event loop to idle and counts what it delivered."""

    def __init__(self, app, binding):
        from PySide6.QtCore import QEvent, QObject

        class Counter(QObject):
            events = 0
            paints = 0

            def eventFilter(self, _watched, event):
                Counter.events += 1
                if event.type() == QEvent.Type.Paint:
                    Counter.paints += 1
                return False

        self.app, self.binding = app, binding
        self.counter = Counter()
        app.installEventFilter(self.counter)

    def drain(self, busy=lambda: False) -> int:
        """processEvents() until a call delivers nothing, no recompute is due
        and `busy()` is false; the paints seen on the way."""
        counter = type(self.counter)
        paints_before = counter.paints
        while True:
            counter.events = 0
            self.app.processEvents()
            if counter.events == 0 and not self.binding.recompute_pending and not busy():
                return counter.paints - paints_before

    def work(self, done=lambda: True, until: float | None = None) -> tuple[float, int, float]:
        """The main thread's work, in seconds: processEvents() again and again,
        summing the wall time of each call that delivered at least one event
        and sleeping 0.2 ms after a call that delivered none (as a blocked
        event loop would, leaving the workers the interpreter), until a call
        delivers nothing, no recompute is due and `done()` is true; or, with
        `until` (a perf_counter time), until then and the loop is idle.
        Returns (seconds busy, paints seen, seconds of the main thread's CPU
        in the same calls: steadier than wall time on a busy machine, and
        without the time spent waiting for a worker to hand back the
        interpreter)."""
        counter = type(self.counter)
        paints_before, busy, cpu = counter.paints, 0.0, 0.0
        while True:
            counter.events = 0
            start, start_cpu = time.perf_counter(), time.thread_time()
            self.app.processEvents()
            end, end_cpu = time.perf_counter(), time.thread_time()
            if counter.events:
                busy += end - start
                cpu += end_cpu - start_cpu
                continue
            finished = (end >= until) if until is not None else done()
            if finished and not self.binding.recompute_pending:
                return busy, counter.paints - paints_before, cpu
            time.sleep(0.0002)

    def settle(self, seconds: float = 0.3) -> None:
        """Untimed: let timers and workers finish, then drain."""
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            self.app.processEvents()
            time.sleep(0.005)
        self.drain()


def fee_edits(window, loop: EventLoop, edits: int, busy=lambda: False,
              cpu: list[float] | None = None) -> list[float]:
    """Wall ms of each fee edit to idle; the main thread's CPU ms of each
    appended to `cpu` when given (the same span: time.thread_time())."""
    binding = window.binding
    base = binding.scenario.contract.monthly_fee
    times = []
    for i in range(edits):
        time.sleep(EDIT_GAP_S)
        start, start_cpu = time.perf_counter(), time.thread_time()
        binding.set_values("contract", monthly_fee=base + (i % 50 + 1) * FEE_STEP)
        paints = loop.drain(busy)
        times.append((time.perf_counter() - start) * 1000.0)
        if cpu is not None:
            cpu.append((time.thread_time() - start_cpu) * 1000.0)
        if paints == 0:
            raise RuntimeError("an edit did not paint the window")
    binding.set_values("contract", monthly_fee=base)
    loop.settle(0.05)
    return times


class FirstResults:
    """Watches for the results of the jobs a tab's first show starts (FIRST_RESULTS):
    `done()` once they have been delivered to the tab and no job of the tab
    runs (a result that starts another job, such as a tornado that ticks
    other inputs and so runs the preview again, is waited for too).  The
    refinement to the full path count, started by a timer once the edits have
    paused (300 ms), is not one of them.  Connected just after the show_tab
    call (results come back through the event loop, so none is missed)."""

    def __init__(self, window, key: str):
        self.window, self.key = window, key
        self.landed: list = []
        self.tab = None

    def connect(self) -> None:
        self.tab = self.window.tab(self.key)
        self._runner().finished.connect(self.landed.append)

    def disconnect(self) -> None:
        self._runner().finished.disconnect(self.landed.append)

    def _runner(self):
        return self.tab.simulation_runner if self.key == "risk" else self.tab.runner

    def done(self) -> bool:
        tab = self.tab
        if self.key == "risk":
            # A tornado and a simulation shown, the simulation's of the scenario
            # now (the preview, or results the tab had ready when shown), no job
            # running or due to start.
            after_paint = getattr(tab, "_after_paint", None)
            return (tab.tornado_result is not None and tab.simulation_result is not None
                    and tab.simulated_scenario == self.window.binding.scenario
                    and not tab._tornado_stale and not tab._simulation_stale
                    and not tab.simulation_runner.running and not tab.tornado_runner.running
                    and not (after_paint is not None and after_paint._due))
        from core import rights
        # The rights' preview of the results the tab shows, or a valuation of
        # the scenario now that the tab had ready when shown; nothing running.
        current = (getattr(tab, "_valued_scenario", None) == self.window.binding.scenario
                   and not tab._stale)
        return (current or any(landed[1].paths == rights.PREVIEW_PATHS
                               and landed[0] is tab._results for landed in self.landed)
                ) and not tab.runner.running


FIRST_RESULTS = ("risk", "market")   # tabs whose first show starts worker jobs


def measure_first_show(window, loop: EventLoop, key: str) -> dict:
    """The first show of tab `key` (tab_<key>_first_show_ms, _cpu_ms: the
    show_tab call to the first idle) and, for FIRST_RESULTS, on to the results
    of the jobs it started painted (tab_<key>_first_results_*: see the module
    docstring)."""
    watch = FirstResults(window, key) if key in FIRST_RESULTS else None
    start, start_cpu = time.perf_counter(), time.thread_time()
    window.show_tab(key)     # the first time: the tab is built now
    if watch is not None:
        watch.connect()
    paints = loop.drain()
    first_show_ms = (time.perf_counter() - start) * 1000.0
    first_show_cpu_ms = (time.thread_time() - start_cpu) * 1000.0
    out = {"first_show_ms": round(first_show_ms, 1),
           "first_show_cpu_ms": round(first_show_cpu_ms, 1)}
    if watch is not None:
        rest, later_paints, rest_cpu = loop.work(watch.done)
        wall_ms = (time.perf_counter() - start) * 1000.0
        watch.disconnect()
        out.update(first_results_ms=round(first_show_ms + rest * 1000.0, 1),
                   first_results_cpu_ms=round(first_show_cpu_ms + rest_cpu * 1000.0, 1),
                   first_results_wall_ms=round(wall_ms, 1),
                   first_results_paint_events=paints + later_paints)
    return out


def measure_tabs(window, loop: EventLoop, edits: int) -> dict[str, dict]:
    """Each of TAB_KEYS shown for the first time, then its fee edits; then the
    first show of the other registered tabs (no edits: market, credit, ...)."""
    from ui import registry
    out = {}
    for key in TAB_KEYS + tuple(k for k in registry.TAB_KEYS if k not in TAB_KEYS):
        time.sleep(EDIT_GAP_S)
        first_show = measure_first_show(window, loop, key)
        loop.settle()
        if key not in TAB_KEYS:
            out[key] = {}
        elif key == "risk":
            out[key] = measure_risk_results(window, loop, edits)
        else:
            cpu: list[float] = []
            out[key] = summary(fee_edits(window, loop, edits, cpu=cpu), cpu)
        out[key].update(first_show)
    return out


# (tab shown while the fee is edited, tab switched to): see tab_switch_after_edit_<key>.
TAB_SWITCHES = (("hardware", "contract"), ("contract", "economics"))


def measure_tab_switches(window, loop: EventLoop, switches: int) -> dict[str, dict]:
    """For each of TAB_SWITCHES: a fee edit made with the first tab shown
    (untimed, to idle), then the switch to the second timed to idle."""
    binding = window.binding
    base = binding.scenario.contract.monthly_fee
    out = {}
    for edited_on, key in TAB_SWITCHES:
        times, cpu = [], []
        for i in range(switches):
            window.show_tab(edited_on)
            loop.settle(0.05)
            binding.set_values("contract", monthly_fee=base + (i % 50 + 1) * FEE_STEP)
            loop.drain()
            time.sleep(EDIT_GAP_S)
            start, start_cpu = time.perf_counter(), time.thread_time()
            window.show_tab(key)
            loop.drain()
            times.append((time.perf_counter() - start) * 1000.0)
            cpu.append((time.thread_time() - start_cpu) * 1000.0)
        out[key] = summary(times, cpu)
    binding.set_values("contract", monthly_fee=base)
    loop.settle(0.05)
    return out


def risk_workers_idle(window, loop: EventLoop) -> None:
    """Untimed: wait until neither of the Risk tab's workers runs, then idle."""
    tab = window.tab("risk")
    loop.settle(0.0)
    while tab.tornado_runner.running or tab.simulation_runner.running:
        loop.settle(0.01)


def measure_risk_results(window, loop: EventLoop, edits: int) -> dict:
    """The fee edited with the Risk tab shown, timed as the main thread's work
    from the edit until its results are painted (see the module docstring):
    the edit's frame, then the tornado's and the 2,000-path preview's results
    landing and painted, then idle.  Also the edit's frame alone (to the first
    idle, as every other tab's), the wall time to the end, and the paint
    events an edit caused."""
    import ui.tabs.risk as risk_module
    tab = window.tab("risk")
    landed: list[str] = []
    on_simulation = lambda r: landed.append(                               # noqa: E731
        "preview" if r.spec.paths == risk_module.PREVIEW_PATHS else "full")
    tab.simulation_runner.finished.connect(on_simulation)
    binding = window.binding
    base = binding.scenario.contract.monthly_fee
    work, frame, wall, paints, cpu = [], [], [], [], []
    for i in range(edits):
        risk_workers_idle(window, loop)
        time.sleep(EDIT_GAP_S)
        landed.clear()
        tornado_before = tab.tornado_result
        start, start_cpu = time.perf_counter(), time.thread_time()
        binding.set_values("contract", monthly_fee=base + (i % 50 + 1) * FEE_STEP)
        busy, busy_cpu = time.perf_counter() - start, time.thread_time() - start_cpu
        first, first_paints, first_cpu = loop.work()
        # The tornado shown is a new one (it may come from its own worker or
        # with the preview, issue 22) and the preview has been shown.
        second, later_paints, second_cpu = loop.work(
            lambda: tab.tornado_result is not tornado_before and "preview" in landed)
        wall.append((time.perf_counter() - start) * 1000.0)
        work.append((busy + first + second) * 1000.0)
        cpu.append((busy_cpu + first_cpu + second_cpu) * 1000.0)
        frame.append((busy + first) * 1000.0)
        paints.append(first_paints + later_paints)
        if first_paints == 0:
            raise RuntimeError("an edit did not paint the window")
    tab.simulation_runner.finished.disconnect(on_simulation)
    binding.set_values("contract", monthly_fee=base)
    risk_workers_idle(window, loop)
    result = summary(work)
    frame_only, wall_only = summary(frame), summary(wall)
    result.update(edit_frame_median_ms=frame_only["median_ms"],
                  edit_frame_p95_ms=frame_only["p95_ms"],
                  wall_median_ms=wall_only["median_ms"], wall_p95_ms=wall_only["p95_ms"],
                  paint_events_median=statistics.median(paints),
                  cpu_median_ms=summary(cpu)["median_ms"], cpu_p95_ms=summary(cpu)["p95_ms"])
    return result


def measure_risk_drag(window, loop: EventLoop, moves: int) -> dict:
    """The fee dragged with the Risk tab shown: the Contract tab's fee slider
    (hidden meanwhile) moved one step ($5M) a move, back and forth over 40
    steps, one move every 25 ms, without waiting for the workers.  Each move
    is timed as the main thread's work from the move until the next one: its
    frame and whatever worker results land before the next move (a preview of
    an earlier move, a tornado), plus the rest of any call under way at the
    25 ms mark.  That is what competes with the next frame of the drag."""
    window.show_tab("risk")
    risk_workers_idle(window, loop)
    loop.settle(0.3)
    slider = window.tab("contract").fee_slider.slider
    origin = slider.value()
    direction = 1 if origin + 40 <= slider.maximum() else -1
    slider.setSliderDown(True)
    times, cpu = [], []
    for i in range(1, moves + 1):
        phase = i % 80
        before = window.binding.scenario
        start, start_cpu = time.perf_counter(), time.thread_time()
        slider.setValue(origin + direction * (phase if phase <= 40 else 80 - phase))
        busy, busy_cpu = time.perf_counter() - start, time.thread_time() - start_cpu
        rest, _paints, rest_cpu = loop.work(until=start + EDIT_GAP_S)
        times.append((busy + rest) * 1000.0)
        cpu.append((busy_cpu + rest_cpu) * 1000.0)
        if window.binding.scenario == before:
            raise RuntimeError("a move of the fee slider did not change the fee")
    slider.setSliderDown(False)
    slider.setValue(origin)
    risk_workers_idle(window, loop)
    loop.settle(0.5)
    return summary(times, cpu)


def measure_risk_followed(window, loop: EventLoop, edits: int) -> dict:
    """Edit to the tornado worker finished and its result painted."""
    tab = window.tab("risk")
    window.tabs.setCurrentWidget(tab)
    loop.settle()
    times = fee_edits(window, loop, edits, busy=lambda: tab.tornado_runner.running)
    return summary(times)


def measure_risk_preview(window, loop: EventLoop, edits: int) -> dict | None:
    """Edit to the Monte Carlo preview on screen (live risk): from the fee edit
    until the worker's 2,000-path preview of the new scenario has been shown
    (fan chart and histogram set) and the event loop is idle again.  Edits are
    25 ms apart, as in a drag, so the refinement to the full count never
    starts.  None when the Risk tab has no live simulation (before issue 13)."""
    import ui.tabs.risk as risk_module
    if not hasattr(risk_module, "PREVIEW_PATHS"):
        return None
    tab = window.tab("risk")
    window.show_tab("risk")
    loop.settle(1.0)
    shown = []
    tab.simulation_runner.finished.connect(shown.append)
    binding = window.binding
    base = binding.scenario.contract.monthly_fee
    times = []
    for i in range(edits):
        loop.settle(0.0)
        while tab.simulation_runner.running or tab.tornado_runner.running:
            loop.settle(0.01)
        time.sleep(EDIT_GAP_S)
        shown.clear()
        start = time.perf_counter()
        binding.set_values("contract", monthly_fee=base + (i % 50 + 1) * FEE_STEP)
        loop.drain(busy=lambda: not any(r.spec.paths == risk_module.PREVIEW_PATHS
                                        for r in shown))
        times.append((time.perf_counter() - start) * 1000.0)
    tab.simulation_runner.finished.disconnect(shown.append)
    binding.set_values("contract", monthly_fee=base)
    loop.settle(0.5)
    return summary(times)


def measure_market_preview(window, loop: EventLoop, edits: int) -> dict:
    """Edit to the rights' preview on screen (the Market tab, issue 25): from
    the fee edit until the worker's 2,000-path valuation of the new scenario
    has been shown (key figures, the exercise and boundary plots) and the
    event loop is idle again.  Edits 25 ms apart: the 20,000-path refinement
    never starts."""
    from core import rights
    tab = window.tab("market")
    window.show_tab("market")
    loop.settle(1.0)
    shown = []
    tab.runner.finished.connect(shown.append)
    binding = window.binding
    base = binding.scenario.contract.monthly_fee
    times = []
    for i in range(edits):
        loop.settle(0.0)
        while tab.runner.running:
            loop.settle(0.01)
        time.sleep(EDIT_GAP_S)
        shown.clear()
        start = time.perf_counter()
        binding.set_values("contract", monthly_fee=base + (i % 50 + 1) * FEE_STEP)
        loop.drain(busy=lambda: not any(valued.paths == rights.PREVIEW_PATHS
                                        and results is tab._results for results, valued, *_ in shown))
        times.append((time.perf_counter() - start) * 1000.0)
    tab.runner.finished.disconnect(shown.append)
    binding.set_values("contract", monthly_fee=base)
    loop.settle(0.5)
    return summary(times)


def measure_typed(window, loop: EventLoop, edits: int) -> dict:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    window.show_tab("contract")
    loop.settle()
    spin = window.tab("contract").fee_slider.spin
    base = window.binding.scenario.contract.monthly_fee      # whole dollars, as the box shows
    times = []
    for i in range(edits):
        spin.setFocus()
        spin.selectAll()
        QTest.keyClicks(spin, f"{base + (i % 50 + 1) * 1e5:.0f}")   # $0.1M steps
        loop.drain()
        time.sleep(EDIT_GAP_S)
        before = window.binding.scenario
        start = time.perf_counter()
        QTest.keyClick(spin, Qt.Key.Key_Return)
        loop.drain()
        times.append((time.perf_counter() - start) * 1000.0)
        if window.binding.scenario == before:
            raise RuntimeError("typing a fee did not change the scenario")
    return summary(times)


def fee_slider_handle(window):
    """The contract tab's fee slider and the centre (x, y) of its handle,
    where a user's press catches it."""
    from PySide6.QtWidgets import QStyle, QStyleOptionSlider
    slider = window.tab("contract").fee_slider.slider
    option = QStyleOptionSlider()
    slider.initStyleOption(option)
    handle = slider.style().subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                           QStyle.SubControl.SC_SliderHandle, slider)
    return slider, handle.center().x(), handle.center().y()


def measure_slider(window, loop: EventLoop, moves: int) -> dict:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    window.show_tab("contract")
    loop.settle()
    slider, x0, y = fee_slider_handle(window)
    # Back and forth, 1 px a move, over the wider side of the groove (at most 40 px).
    room_right, room_left = slider.width() - 4 - x0, x0 - 4
    direction = 1 if room_right >= room_left else -1
    amplitude = max(4, min(40, max(room_right, room_left)))
    QTest.mousePress(slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(x0, y))
    loop.drain()
    if not slider.isSliderDown():
        raise RuntimeError("the press did not catch the slider's handle")
    times: list[float] = []
    cpu: list[float] = []
    changed = 0
    x = x0
    for i in range(1, moves + 1):
        phase = i % (2 * amplitude)
        x = x0 + direction * (phase if phase <= amplitude else 2 * amplitude - phase)
        time.sleep(EDIT_GAP_S)
        before = window.binding.scenario
        start, start_cpu = time.perf_counter(), time.thread_time()
        QTest.mouseMove(slider, QPoint(x, y))
        loop.drain()
        times.append((time.perf_counter() - start) * 1000.0)
        cpu.append((time.thread_time() - start_cpu) * 1000.0)
        changed += window.binding.scenario != before
    QTest.mouseRelease(slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       QPoint(x, y))
    loop.settle(0.05)
    if changed < moves // 2:
        raise RuntimeError(f"the slider drag changed the fee on only {changed} of {moves} moves")
    result = summary(times, cpu)
    result["moves_that_changed_the_fee"] = changed
    return result


def measure_two_way(window, loop: EventLoop, edits: int) -> dict:
    """The Solve & sweep tab's 25 x 25 two-way table recomputed (its Recompute
    button's call): core.sweep.two_way, the heat map, contour and 625-cell table,
    to idle; and core.sweep.two_way alone, outside the event loop."""
    from core.sweep import two_way
    window.show_tab("solve")
    loop.settle()
    sweep = window.tab("solve").sweep
    times = []
    for _ in range(edits):
        time.sleep(EDIT_GAP_S)
        start = time.perf_counter()
        grid = sweep.recompute()
        loop.drain()
        times.append((time.perf_counter() - start) * 1000.0)
        if grid is None:
            raise RuntimeError("the two-way table did not recompute: " + sweep.status.text())
    rows, cols = grid.values.shape
    x, y, threshold = sweep.x.axis(), sweep.y.axis(), sweep.threshold_value()
    scenario, figure = window.binding.scenario, sweep.figure.currentData()
    core_times = []
    for _ in range(edits):
        start = time.perf_counter()
        two_way(scenario, figure, x, y, threshold)
        core_times.append((time.perf_counter() - start) * 1000.0)
    result = summary(times)
    result.update(cells=f"{cols}x{rows}", core_median_ms=summary(core_times)["median_ms"])
    return result


def measure_two_way_live(window, loop: EventLoop, edits: int) -> dict:
    """The Solve & sweep tab shown, an input off the grid's axes edited (the
    token price, up by 0.1%-5%): the scenario's compute and every cell of
    the 25 x 25 grid changes, to idle.  (A fee edit, tab_solve, changes no
    cell while the fee is the grid's x axis: each cell sets the fee itself.)"""
    window.show_tab("solve")
    loop.settle()
    binding, sweep = window.binding, window.tab("solve").sweep
    base = binding.scenario.projections.token_price_per_million
    times, before = [], sweep.grid
    for i in range(edits):
        time.sleep(EDIT_GAP_S)
        start = time.perf_counter()
        binding.set_values("projections", token_price_per_million=base * (1 + (i % 50 + 1) / 1000))
        loop.drain()
        times.append((time.perf_counter() - start) * 1000.0)
        if sweep.grid is None or sweep.grid.same_cells(before):
            raise RuntimeError("the live two-way table did not change with the token price")
        before = sweep.grid
    binding.set_values("projections", token_price_per_million=base)
    loop.settle(0.05)
    return summary(times)


def long_term_scenario(scenario):
    import dataclasses
    import datetime as dt

    from core.parameters import Tranche
    models = [m.name for m in scenario.hardware.gpu_models]
    start = scenario.contract.start_date
    tranches = []
    for i in range(60):
        month = start.month - 1 + 4 * i
        online = dt.date(start.year + month // 12, month % 12 + 1, 1)
        tranches.append(Tranche(f"Tranche {i + 1}", "Memphis, TN", models[i % len(models)],
                                5_000, online))
    hardware = dataclasses.replace(scenario.hardware, tranches=tuple(tranches))
    return dataclasses.replace(scenario, hardware=hardware,
                               contract=dataclasses.replace(scenario.contract, term_months=240))


def measure_long_term(window, loop: EventLoop, edits: int) -> dict:
    before = window.binding.scenario
    window.binding.set_scenario(long_term_scenario(before))
    window.show_tab("contract")
    loop.settle()
    result = summary(fee_edits(window, loop, edits))
    window.binding.set_scenario(before)
    loop.settle()
    return result


def portfolio_worker_idle(tab, loop: EventLoop) -> None:
    """Untimed: wait until the Portfolio tab's simulation is not running, then idle."""
    loop.settle(0.0)
    while tab.runner.running or tab._after_paint.pending("simulate"):
        loop.settle(0.01)


def measure_portfolio_edit(window, loop: EventLoop, edits: int) -> dict:
    """The Portfolio tab with the 50-deal, 240-month book open (the window's
    scenarios: portfolio_book_scenarios), one deal's monthly fee edited.
    Timed as tab_risk is (the module docstring): from the set_values call
    until the loop is idle after the edit's own frame (the book's totals,
    concentration, stacked commitments, exposure and capacity repainted),
    then until the joint simulation the edit started (10,000 paths, in the
    worker) has been delivered and painted (status, distribution, the deals'
    and counterparties' tables) and the loop is idle again.  portfolio_edit_*:
    the main thread's work in that span (the processEvents() calls that
    delivered events), the paint of the worker's result included, the
    worker's computing not; _frame_*: the edit to the first idle alone;
    _wall_*: the whole span in wall time (the simulation's 10,000 paths
    included: when the new distribution is on screen); _cpu_: the main
    thread's CPU time in the timed calls."""
    workspace, binding = window.workspace, window.binding
    for scenario in portfolio_book_scenarios():
        workspace.add(scenario)
    workspace.remove(0)                     # the reference deal: the book is the 50 alone
    window.show_tab("portfolio")
    tab = window.tab("portfolio")
    portfolio_worker_idle(tab, loop)
    landed: list = []
    on_result = landed.append
    tab.runner.finished.connect(on_result)
    base = binding.scenario.contract.monthly_fee
    work, frame, wall, cpu, frame_cpu = [], [], [], [], []
    for i in range(edits):
        portfolio_worker_idle(tab, loop)
        time.sleep(EDIT_GAP_S)
        landed.clear()
        start, start_cpu = time.perf_counter(), time.thread_time()
        binding.set_values("contract", monthly_fee=base + (i % 50 + 1) * FEE_STEP)
        busy, busy_cpu = time.perf_counter() - start, time.thread_time() - start_cpu
        first, first_paints, first_cpu = loop.work()
        second, _later, second_cpu = loop.work(lambda: bool(landed))
        wall.append((time.perf_counter() - start) * 1000.0)
        work.append((busy + first + second) * 1000.0)
        cpu.append((busy_cpu + first_cpu + second_cpu) * 1000.0)
        frame_cpu.append((busy_cpu + first_cpu) * 1000.0)
        frame.append((busy + first) * 1000.0)
        if first_paints == 0:
            raise RuntimeError("an edit did not paint the window")
    tab.runner.finished.disconnect(on_result)
    binding.set_values("contract", monthly_fee=base)
    portfolio_worker_idle(tab, loop)
    result = summary(work)
    result.update(frame=summary(frame), wall=summary(wall), cpu=summary(cpu),
                  frame_cpu=summary(frame_cpu), deals=len(workspace.scenarios))
    return result


def measure_matplotlib(app, loop: EventLoop, edits: int) -> dict:
    """The Contract tab's curves (payment bars, exposure steps, cumulative and
    present-value lines) in matplotlib's Qt canvas, per edit, to idle."""
    import matplotlib
    matplotlib.use("QtAgg")
    import numpy as np
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

    from core.engine import compute
    from core.presets import default_scenario
    figure = Figure(figsize=(11.0, 8.0), dpi=100)
    top, bottom = figure.subplots(2, 1)
    canvas = FigureCanvasQTAgg(figure)
    canvas.resize(1100, 800)
    canvas.show()
    loop.settle(0.1)
    base = default_scenario()
    scenarios = [base.with_changes("contract", monthly_fee=base.contract.monthly_fee
                                   + (i % 50 + 1) * FEE_STEP) for i in range(edits)]
    times = []
    for scenario in scenarios:
        time.sleep(EDIT_GAP_S)
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
        canvas.draw()
        canvas.update()
        loop.drain()
        times.append((time.perf_counter() - start) * 1000.0)
    canvas.close()
    return summary(times)


def risk_spec(paths: int):
    from core.monte_carlo import SimulationSpec, default_uncertainty, simulated_inputs
    from ui.tabs.risk import DEFAULT_SIMULATION_OUTPUT, DEFAULT_UNCERTAIN
    scenario = simulation_scenario()
    refs = {ref.key: ref for ref in simulated_inputs(scenario)}
    uncertainties = tuple(default_uncertainty(refs[key], refs[key].value_in(scenario))
                          for key in DEFAULT_UNCERTAIN)
    return SimulationSpec(uncertainties=uncertainties, output=DEFAULT_SIMULATION_OUTPUT,
                          paths=paths, seed=1, termination=True)


def simulation_scenario():
    from core.presets import default_scenario
    return default_scenario().with_changes(
        "contract", term_months=120, buyer_termination_prob_pct=0.5,
        provider_termination_prob_pct=0.5)


def measure_monte_carlo(paths: int, repeats: int) -> dict:
    from core.monte_carlo import simulate
    scenario, spec = simulation_scenario(), risk_spec(paths)
    simulate(scenario, spec)      # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        simulate(scenario, spec)
        times.append((time.perf_counter() - start) * 1000.0)
    tracemalloc.start()
    simulate(scenario, spec)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"median_ms": round(statistics.median(times), 1), "peak_mb": round(peak / 2**20, 1),
            "paths": paths, "months": 120, "repeats": repeats}


def measure_tornado(repeats: int) -> dict:
    from core.presets import default_scenario
    from core.risk import numeric_inputs, tornado
    scenario = default_scenario()
    tornado(scenario, "buyer_npv")
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        tornado(scenario, "buyer_npv")
        times.append((time.perf_counter() - start) * 1000.0)
    return {"median_ms": round(statistics.median(times), 2),
            "inputs": len(numeric_inputs(scenario))}


BOOK_DEALS = 50
BOOK_MONTHS = 240
BOOK_COUNTERPARTIES = 12


def portfolio_book_scenarios(deals: int = BOOK_DEALS, months: int = BOOK_MONTHS) -> list:
    """A buyer's book for the portfolio cases: `deals` deals of `months` months
    each (the longest the issue asks for), starting over two years, with 12
    providers at spreads from 80 bp to 630 bp (a third with a 20% wrong-way
    link), each deal one GPU model of five, 10,000-60,000 GPUs in two tranches
    a year apart, $50M-$600M a month."""
    import dataclasses
    import datetime as dt

    from core.parameters import CREDIT_SPREAD, PARTY_BUYER, Tranche
    from core.presets import default_scenario
    base = default_scenario()
    models = [m.name for m in base.hardware.gpu_models]
    out = []
    for i in range(deals):
        month = 5 + i % 24
        start = dt.date(2026 + month // 12, month % 12 + 1, 1)
        later = dt.date(start.year + 1, start.month, 1)
        model = models[i % len(models)]
        gpus = 10_000 + (i * 7_919) % 50_001
        hardware = dataclasses.replace(base.hardware, tranches=(
            Tranche(f"Site {i + 1} phase 1", "Memphis, TN", model, gpus // 2, start),
            Tranche(f"Site {i + 1} phase 2", "Memphis, TN", model, gpus - gpus // 2, later)))
        c = i % BOOK_COUNTERPARTIES
        scenario = dataclasses.replace(
            base, name=f"Book deal {i + 1}", hardware=hardware,
            contract=dataclasses.replace(base.contract, start_date=start, term_months=months,
                                         monthly_fee=50e6 + (i * 37e6) % 550e6,
                                         provider=f"Provider {c + 1}"))
        if i % 2:
            scenario = scenario.with_changes("contract", terminating_party=PARTY_BUYER)
        scenario = scenario.with_changes(
            "credit", provider_name=f"Provider {c + 1}", provider_basis=CREDIT_SPREAD,
            provider_spread_bp=80.0 + 50.0 * c, provider_recovery_pct=40.0,
            provider_wrong_way_pct=20.0 if c % 3 == 0 else 0.0)
        out.append(scenario)
    return out


def portfolio_book(deals: int = BOOK_DEALS, months: int = BOOK_MONTHS):
    from core.portfolio import portfolio_of_scenarios
    return portfolio_of_scenarios(portfolio_book_scenarios(deals, months), "buyer",
                                  name=f"{deals}-deal bench book")


def measure_portfolio_simulation(repeats: int, paths: int = 10_000) -> dict:
    """core.portfolio_risk.simulate_portfolio of the 50-deal, 240-month book,
    10,000 paths, the default seed and chunk.  Inside the timing: the whole
    call (every deal's market value and exposures on the defaulting paths,
    the defaults, the percentiles and contributions); the deals' own engine
    results (portfolio_of_scenarios) are computed before it.  `cold`: the
    first call, with each deal's credit and market inputs (core.engine
    .credit_flows, core.rights.deal_arrays) computed inside it; `warm`: those
    cached (as after an edit, when only the edited deal's are new).  Wall and
    process CPU time (the machine is shared); peak memory by tracemalloc on a
    separate run."""
    from core import portfolio_risk
    book = portfolio_book()
    portfolio_risk.forget_deal_inputs()
    start, cpu = time.perf_counter(), time.process_time()
    portfolio_risk.simulate_portfolio(book, paths)
    cold = ((time.perf_counter() - start) * 1000.0, (time.process_time() - cpu) * 1000.0)
    walls, cpus = [], []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        portfolio_risk.simulate_portfolio(book, paths)
        walls.append((time.perf_counter() - start) * 1000.0)
        cpus.append((time.process_time() - cpu) * 1000.0)
    tracemalloc.start()
    portfolio_risk.simulate_portfolio(book, paths)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"median_ms": round(statistics.median(walls), 1),
            "cpu_median_ms": round(statistics.median(cpus), 1),
            "cold_ms": round(cold[0], 1), "cold_cpu_ms": round(cold[1], 1),
            "peak_mb": round(peak / 2**20, 1), "paths": paths, "deals": BOOK_DEALS,
            "months": BOOK_MONTHS, "repeats": repeats}


def measure_rights(repeats: int) -> dict:
    """Both rights to walk valued (core/rights.py): median wall and CPU ms."""
    from core import rights
    from core.presets import default_scenario
    figures = {}
    for months in (36, 240):
        scenario = default_scenario().with_changes("contract", term_months=months)
        deal = rights.deal_arrays(scenario)
        for paths in (rights.PREVIEW_PATHS, rights.FULL_PATHS):
            rights.value_rights(scenario, paths, deal=deal)      # warm up
            walls, cpus = [], []
            for _ in range(repeats):
                wall, cpu = time.perf_counter(), time.process_time()
                rights.value_rights(scenario, paths, deal=deal)
                walls.append((time.perf_counter() - wall) * 1000.0)
                cpus.append((time.process_time() - cpu) * 1000.0)
            figures[f"rights_{months}m_{paths}_ms"] = round(statistics.median(walls), 1)
            figures[f"rights_{months}m_{paths}_cpu_ms"] = round(statistics.median(cpus), 1)
    tracemalloc.start()
    rights.value_rights(scenario, rights.FULL_PATHS, deal=deal)
    figures["rights_240m_20000_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    tracemalloc.stop()
    return figures


def time_to_paint(command: list[str], cwd: Path) -> float:
    env = dict(os.environ, CDM_QUIT_AFTER_PAINT="1", QT_QPA_PLATFORM="offscreen",
               **fresh_profile())
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
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
        raise RuntimeError(f"{command[-1]} did not report a painted window")
    return elapsed


def measure_cold_start(repeats: int) -> float:
    return statistics.median(time_to_paint([sys.executable, str(ROOT / "main.py")], ROOT)
                             for _ in range(repeats))


def measure_import_share() -> float:
    """Seconds of imports in one start of main.py (python -X importtime: the
    sum of every module's own time), run to its first paint."""
    env = dict(os.environ, CDM_QUIT_AFTER_PAINT="1", QT_QPA_PLATFORM="offscreen",
               **fresh_profile())
    result = subprocess.run([sys.executable, "-X", "importtime", str(ROOT / "main.py")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    total_us = 0
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if line.startswith("import time:") and len(parts) == 3 and parts[0].split(":")[1].strip().isdigit():
            total_us += int(parts[0].split(":")[1])
    return total_us / 1e6


def shown_path(path: Path) -> str:
    """A path as the results may record it: relative to the repository, or
    the file's name alone; never where this machine keeps it (issue 22)."""
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name


def measure_packaged(repeats: int, exe: Path = DEFAULT_PACKAGED) -> tuple[float | None, str]:
    if not exe.exists():
        return None, f"not built: no one-folder build at {shown_path(exe)} (installer/build.sh)"
    time_to_paint([str(exe)], exe.parent)     # the first run warms the page cache
    return (statistics.median(time_to_paint([str(exe)], exe.parent) for _ in range(repeats)),
            f"warm start, median of {repeats} ({shown_path(exe)})")


def machine() -> dict:
    load = os.getloadavg()
    return {"cpus": os.cpu_count(), "loadavg_1_5_15": [round(v, 2) for v in load],
            "python": platform.python_version(), "platform": platform.platform()}


def open_window(app, window) -> tuple:
    """`window` (a MainWindow) at the bench's size, shown, its hidden tabs
    built in idle time after its first paint as ui/app/launch.py does, and
    waited for (untimed); returns (window, its EventLoop)."""
    window.resize(1560, 960)
    idle_builds = hasattr(window, "build_hidden_tabs_when_idle")
    if idle_builds:      # as ui/app/launch.py: the hidden tabs built after the first paint
        from ui.app.startup_probe import after_first_paint
        after_first_paint(window, window.build_hidden_tabs_when_idle)
    window.show()
    loop = EventLoop(app, window.binding)
    loop.settle(0.5)
    from ui import registry
    while idle_builds and (len(window.tab_pages) < len(registry.TABS)
                           or getattr(window, "idle_work_pending", False)):
        loop.settle(0.05)
    # A tab that readies its first results while hidden (the Risk tab: its
    # tornado and simulation computed in a worker, drawn and rendered off
    # screen) does so before the cases too.
    while any(getattr(page, "preparing_first_results", False)
              for page in window.tab_pages.values()):
        loop.settle(0.05)
    return window, loop


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quick", action="store_true", help="small counts (smoke test)")
    parser.add_argument("--out", type=Path, help="also write the JSON to this file")
    parser.add_argument("--fast-axis", action="store_true",
                        help="measure the prototype of ui/plots/fast_axis.py on every axis")
    parser.add_argument("--packaged", type=Path, default=DEFAULT_PACKAGED,
                        help="the one-folder build's executable (default: installer/dist's)")
    parser.add_argument("--only", help="measure only these cases, comma-separated (the others "
                        "are null): " + ", ".join(CASES))
    parser.add_argument("--rights", action="store_true",
                        help="only the rights to walk's figures (no window)")
    args = parser.parse_args(argv)
    quick = args.quick
    if args.rights:
        figures = {"machine_before": machine(), **measure_rights(3 if quick else 9),
                   "machine_after": machine()}
        figures["targets_met"] = {key: figures[key] <= limit for key, limit in TARGETS.items()
                                  if key in figures}
        print(json.dumps(figures) if args.json else "\n".join(
            f"{key:34} {value}" for key, value in figures.items()))
        if args.out:
            args.out.write_text(json.dumps(figures, indent=1) + "\n")
        return 0
    edits = 8 if quick else 60
    machine_before = machine()

    from PySide6.QtWidgets import QApplication

    from core.presets import default_scenario
    from ui.main_window import MainWindow
    from ui.look.themes import configure_pyqtgraph
    app = QApplication.instance() or QApplication([sys.argv[0]])
    configure_pyqtgraph()
    if args.fast_axis:
        from ui.plots.fast_axis import install_globally
        install_globally()
    window, loop = open_window(app, MainWindow(default_scenario()))
    from ui import registry

    only = set(args.only.split(",")) if args.only else set(CASES)
    unknown = only - set(CASES)
    if unknown:
        parser.error(f"--only: no case {', '.join(sorted(unknown))} (cases: {', '.join(CASES)})")

    def case(name, measure):
        return measure() if name in only else None

    tabs = case("tabs", lambda: measure_tabs(window, loop, edits))
    tab_switches = case("tabs", lambda: measure_tab_switches(window, loop, max(6, edits // 4)))
    risk_drag = case("risk_drag", lambda: measure_risk_drag(window, loop, 20 if quick else 120))
    risk_followed = case("risk_followed",
                         lambda: measure_risk_followed(window, loop, max(4, edits // 3)))
    risk_preview = case("risk_preview",
                        lambda: measure_risk_preview(window, loop, max(4, edits // 3)))
    market_preview = case("market_preview",
                          lambda: measure_market_preview(window, loop, max(4, edits // 3)))
    typed = case("typed", lambda: measure_typed(window, loop, max(4, edits // 2)))
    slider = case("slider", lambda: measure_slider(window, loop, 20 if quick else 120))
    long_term = case("long_term", lambda: measure_long_term(window, loop, edits))
    grid = case("two_way", lambda: measure_two_way(window, loop, max(4, edits // 2)))
    grid_live = case("two_way_live", lambda: measure_two_way_live(window, loop, edits))
    book_edit = case("portfolio", lambda: measure_portfolio_edit(window, loop, max(4, edits // 3)))
    mpl = case("matplotlib", lambda: measure_matplotlib(app, loop, max(4, edits // 2)))
    window.tab("risk").shutdown()
    window.tab("portfolio").shutdown()
    window.close()
    app.removeEventFilter(loop.counter)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0

    tornado_figures = case("core", lambda: measure_tornado(3 if quick else 10))
    mc = case("core", lambda: {
        **{paths: measure_monte_carlo(paths, 2 if quick else 7) for paths in (2_000, 10_000)},
        100_000: measure_monte_carlo(100_000 if not quick else 20_000, 1 if quick else 3)})
    book_simulation = case("portfolio", lambda: measure_portfolio_simulation(2 if quick else 5))
    rights_figures = case("rights", lambda: measure_rights(3 if quick else 9))
    packaged, packaged_note = ((None, "skipped (--quick)") if quick
                               else (None, "skipped (--only)") if "start" not in only
                               else measure_packaged(3, args.packaged.resolve()))

    def get(result, key):
        return None if result is None else result[key]

    figures = {"machine_before": machine_before, "edits_per_case": edits,
               "fast_axis_prototype": args.fast_axis,
               "cases": [name for name in CASES if name in only]}
    for key, value in (tabs or {}).items():
        if "median_ms" not in value:
            continue       # a tab measured for its first show only
        figures[f"tab_{key}_median_ms"] = value["median_ms"]
        figures[f"tab_{key}_p95_ms"] = value["p95_ms"]
        figures[f"tab_{key}_cpu_median_ms"] = value["cpu_median_ms"]
        figures[f"tab_{key}_cpu_p95_ms"] = value["cpu_p95_ms"]
    for key, value in (tabs or {}).items():
        figures[f"tab_{key}_first_show_ms"] = value["first_show_ms"]
        figures[f"tab_{key}_first_show_cpu_ms"] = value["first_show_cpu_ms"]
    for key in FIRST_RESULTS:
        value = (tabs or {}).get(key, {})
        for figure in ("ms", "cpu_ms", "wall_ms", "paint_events"):
            figures[f"tab_{key}_first_results_{figure}"] = value.get(f"first_results_{figure}")
    for key in registry.TAB_KEYS:
        build = getattr(window, "idle_build_ms", {}).get(key)
        figures[f"idle_build_{key}_ms"] = None if build is None else round(build, 1)
        steps = getattr(window, "idle_step_ms", {}).get(key)
        figures[f"idle_build_{key}_max_step_ms"] = None if not steps else round(max(steps), 1)
        figures[f"idle_build_{key}_steps"] = None if not steps else len(steps)
        cpu = getattr(window, "idle_step_cpu_ms", {}).get(key)
        figures[f"idle_build_{key}_max_step_cpu_ms"] = None if not cpu else round(max(cpu), 1)
        built_in = getattr(window, "idle_build_steps", {}).get(key)
        figures[f"idle_build_{key}_build_steps"] = built_in
    for key, value in (tab_switches or {}).items():
        figures[f"tab_switch_after_edit_{key}_median_ms"] = value["median_ms"]
        figures[f"tab_switch_after_edit_{key}_cpu_median_ms"] = value["cpu_median_ms"]
    risk = get(tabs, "risk")
    figures.update({
        "risk_edit_frame_median_ms": get(risk, "edit_frame_median_ms"),
        "risk_edit_frame_p95_ms": get(risk, "edit_frame_p95_ms"),
        "risk_results_wall_median_ms": get(risk, "wall_median_ms"),
        "risk_results_wall_p95_ms": get(risk, "wall_p95_ms"),
        "risk_paint_events_median": get(risk, "paint_events_median"),
        "risk_results_cpu_median_ms": get(risk, "cpu_median_ms"),
        "risk_results_cpu_p95_ms": get(risk, "cpu_p95_ms"),
        "risk_drag_median_ms": get(risk_drag, "median_ms"),
        "risk_drag_p95_ms": get(risk_drag, "p95_ms"),
        "risk_drag_cpu_median_ms": get(risk_drag, "cpu_median_ms"),
        "risk_drag_cpu_p95_ms": get(risk_drag, "cpu_p95_ms"),
        "risk_drag_moves": get(risk_drag, "n"),
    })
    figures.update({
        "risk_tornado_followed_median_ms": get(risk_followed, "median_ms"),
        "risk_tornado_followed_p95_ms": get(risk_followed, "p95_ms"),
        "risk_preview_on_screen_median_ms": get(risk_preview, "median_ms"),
        "risk_preview_on_screen_p95_ms": get(risk_preview, "p95_ms"),
        "market_preview_on_screen_median_ms": get(market_preview, "median_ms"),
        "market_preview_on_screen_p95_ms": get(market_preview, "p95_ms"),
        "typed_value_median_ms": get(typed, "median_ms"),
        "typed_value_p95_ms": get(typed, "p95_ms"),
        "slider_drag_median_ms": get(slider, "median_ms"),
        "slider_drag_p95_ms": get(slider, "p95_ms"),
        "slider_drag_cpu_median_ms": get(slider, "cpu_median_ms"),
        "slider_drag_cpu_p95_ms": get(slider, "cpu_p95_ms"),
        "slider_drag_moves": get(slider, "n"),
        "long_term_median_ms": get(long_term, "median_ms"),
        "long_term_p95_ms": get(long_term, "p95_ms"),
        "two_way_grid_median_ms": get(grid, "median_ms"),
        "two_way_grid_p95_ms": get(grid, "p95_ms"),
        "two_way_grid_cells": get(grid, "cells"),
        "two_way_grid_core_median_ms": get(grid, "core_median_ms"),
        "two_way_live_median_ms": get(grid_live, "median_ms"),
        "two_way_live_p95_ms": get(grid_live, "p95_ms"),
        "portfolio_edit_median_ms": get(book_edit, "median_ms"),
        "portfolio_edit_p95_ms": get(book_edit, "p95_ms"),
        "portfolio_edit_cpu_median_ms": book_edit and book_edit["cpu"]["median_ms"],
        "portfolio_edit_frame_median_ms": book_edit and book_edit["frame"]["median_ms"],
        "portfolio_edit_frame_cpu_median_ms": book_edit and book_edit["frame_cpu"]["median_ms"],
        "portfolio_edit_wall_median_ms": book_edit and book_edit["wall"]["median_ms"],
        "portfolio_edit_deals": get(book_edit, "deals"),
        "matplotlib_frame_median_ms": get(mpl, "median_ms"),
        "matplotlib_frame_p95_ms": get(mpl, "p95_ms"),
        "matplotlib_ratio": (round(mpl["median_ms"] / tabs["contract"]["median_ms"], 2)
                             if mpl and tabs else None),
        "tornado_ms": get(tornado_figures, "median_ms"),
        "tornado_inputs": get(tornado_figures, "inputs"),
        "monte_carlo_2000_ms": mc and mc[2_000]["median_ms"],
        "monte_carlo_10000_ms": mc and mc[10_000]["median_ms"],
        "monte_carlo_10000_peak_mb": mc and mc[10_000]["peak_mb"],
        "monte_carlo_100000_ms": mc and mc[100_000]["median_ms"],
        "monte_carlo_100000_peak_mb": mc and mc[100_000]["peak_mb"],
        "monte_carlo_100000_paths_run": mc and mc[100_000]["paths"],
        "monte_carlo_months": 120,
        "cold_start_s": case("start", lambda: round(measure_cold_start(1 if quick else 5), 3)),
        "cold_start_import_s": case("start", lambda: round(measure_import_share(), 3)),
        "portfolio_joint_simulation_ms": get(book_simulation, "median_ms"),
        "portfolio_joint_simulation_cpu_ms": get(book_simulation, "cpu_median_ms"),
        "portfolio_joint_simulation_cold_ms": get(book_simulation, "cold_ms"),
        "portfolio_joint_simulation_cold_cpu_ms": get(book_simulation, "cold_cpu_ms"),
        "portfolio_joint_simulation_peak_mb": get(book_simulation, "peak_mb"),
        **(rights_figures or {}),
        "packaged_start_s": None if packaged is None else round(packaged, 3),
        "packaged_start_note": packaged_note,
        "bench_process_peak_rss_mb": round(peak_rss_mb, 1),
        "machine_after": machine(),
    })
    met = {key: figures[key] <= limit for key, limit in TARGETS.items()
           if figures.get(key) is not None}
    if figures["matplotlib_ratio"] is not None:
        met["matplotlib_ratio"] = figures["matplotlib_ratio"] >= MIN_MATPLOTLIB_RATIO
    figures["targets_met"] = met
    text = json.dumps(figures)
    if args.out:
        args.out.write_text(json.dumps(figures, indent=1) + "\n")
    if args.json:
        print(text)
    else:
        for key, value in figures.items():
            print(f"{key:34} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
