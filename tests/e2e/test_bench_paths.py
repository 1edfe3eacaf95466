"""Benchmark results are committed: they name no place on the machine they ran
on (issue 22: bench/quiet-2026-11-24-s4.json recorded the build folder of the
engineer who ran it)."""
from __future__ import annotations

import importlib.util
import json
import os
import re
import stat
import sys
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[2]
# An absolute path: a slash-rooted run of at least two folders (/work/s4/..., /tmp/x/...)
# or a Windows drive.  Fractions such as "1/2/2.5" are not rooted.
ABSOLUTE = re.compile(r"(?:^|[\s(\"'=])/[\w.-]+/[\w.-]+|\b[A-Za-z]:\\")


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def load_bench():
    """bench/run.py as a module, its start-up changes to the environment undone."""
    with mock.patch.dict(os.environ), mock.patch.object(sys, "path", list(sys.path)):
        spec = importlib.util.spec_from_file_location("bench_run_for_test", ROOT / "bench" / "run.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module


def test_the_committed_results_name_no_path_of_a_machine():
    files = sorted((ROOT / "bench").glob("*.json"))
    assert files
    for path in files:
        found = [text for text in strings(json.loads(path.read_text())) if ABSOLUTE.search(text)]
        assert found == [], path.name


def test_the_pattern_finds_the_paths_it_is_for():
    # The note the code before wrote, and two others: the check above can fail.
    assert ABSOLUTE.search("warm start, median of 3 (/work/s4/dist/compute-deal-modeler)")
    assert ABSOLUTE.search("/tmp/s3speed-before/build")
    assert ABSOLUTE.search("C:\\Users\\me\\app.exe")
    assert not ABSOLUTE.search("y ranges in 1/2/2.5/5 steps, 25 x 25")


def test_the_packaged_start_note_names_the_build_without_its_folder(tmp_path):
    bench = load_bench()
    # A stand-in for a one-folder build outside the repository: it "paints" at once.
    exe = tmp_path / "builds" / "compute-deal-modeler"
    exe.parent.mkdir()
    exe.write_text("#!/bin/sh\necho painted\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    seconds, note = bench.measure_packaged(1, exe)
    assert seconds is not None and seconds > 0
    assert str(tmp_path) not in note and not ABSOLUTE.search(note)
    assert "compute-deal-modeler" in note
    # Not built: the note says where it looked, relative to the repository.
    _none, missing = bench.measure_packaged(1, ROOT / "installer" / "dist" / "nothing-here")
    assert "installer/dist/nothing-here" in missing and str(ROOT) not in missing
    assert json.dumps({"packaged_start_note": note}).find(str(tmp_path)) == -1
