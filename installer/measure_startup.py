"""Measure the packaged app: its size on disk and its start to a painted window.

    .venv/bin/python installer/measure_startup.py [EXECUTABLE] [--runs N]

EXECUTABLE defaults to the one-folder build, installer/dist/compute-deal-modeler/.
The app is started on a private Xvfb screen with CDM_QUIT_AFTER_PAINT=1
(ui/app/startup_probe.py): it quits right after its main window is first painted,
so launch-to-exit is the time to a painted window (plus a few milliseconds to
exit).  The first run is cold: the kernel's page cache is dropped before it
when we are allowed to (root on Linux); the others are warm.  A benchmark, not
a test: timings depend on the machine.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EXE = ROOT / "installer" / "dist" / "compute-deal-modeler" / "compute-deal-modeler"


def folder_size(path: Path) -> int:
    """Bytes on disk, as `du` counts them (blocks allocated)."""
    return sum(p.lstat().st_blocks * 512 for p in path.rglob("*") if not p.is_symlink())


def drop_page_cache() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def time_to_paint(exe: Path, env: dict) -> float:
    start = time.perf_counter()
    try:
        result = subprocess.run([str(exe)], env=env, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        raise SystemExit(f"measure_startup: {exe} did not paint and quit within 60 s") from None
    elapsed = time.perf_counter() - start
    if result.returncode != 0 or "painted" not in result.stdout:
        raise SystemExit(f"measure_startup: the app did not paint its window "
                         f"(exit {result.returncode}): {result.stderr.strip()[-400:]}")
    return elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("exe", nargs="?", type=Path, default=DEFAULT_EXE)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    exe = args.exe.resolve()
    if not exe.is_file():
        parser.error(f"{exe} not found; build it first with installer/build.sh")
    if shutil.which("Xvfb") is None:
        parser.error("Xvfb is needed: apt-get install -y xvfb")

    display = f":{random.randint(500, 900)}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    profile = tempfile.mkdtemp(prefix="cdm-measure-")
    try:
        time.sleep(1.0)
        # A fresh profile: a first start, with no autosave or settings of the user's.
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", CDM_QUIT_AFTER_PAINT="1",
                   XDG_DATA_HOME=profile, XDG_CONFIG_HOME=profile)
        cold_dropped = drop_page_cache()
        cold = time_to_paint(exe, env)
        warm = [time_to_paint(exe, env) for _ in range(max(0, args.runs - 1))]
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)

    if exe.parent.name == exe.name:   # a one-folder build: measure the folder
        print(f"size of {exe.parent}: {folder_size(exe.parent) / 1e6:.0f} MB")
    else:
        print(f"size of {exe}: {exe.stat().st_size / 1e6:.0f} MB")
    label = "cold (page cache dropped)" if cold_dropped else "first run (page cache not dropped)"
    print(f"start to a painted window, {label}: {cold:.2f} s")
    if warm:
        print(f"start to a painted window, warm, {len(warm)} runs: median "
              f"{statistics.median(warm):.2f} s, max {max(warm):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
