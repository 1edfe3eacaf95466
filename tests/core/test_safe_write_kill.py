"""A save killed at any point leaves the whole old or the whole new version.

Fault injection: a child process saves with os.write, os.ftruncate, os.fsync,
os.replace and os.unlink wrapped, and dies (os._exit, no clean-up runs) at
the N-th of those calls, or midway through a write after so many bytes.  The
file is then opened again as the app opens it (core.scenario_file, which
settles an interrupted save first): each link holds the old or the new bytes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.safe_write import KEEP_PREFIX, clean_stale_temporaries, finish_interrupted_save

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, os, sys
sys.path.insert(0, sys.argv[1])
import core.safe_write as sw
target, data, kill_at, cut = sys.argv[2], open(sys.argv[3], "rb").read(), int(sys.argv[4]), int(sys.argv[5])
calls = []
def wrap(name):
    real = getattr(os, name)
    def wrapped(*args):
        calls.append(name)
        if len(calls) == kill_at:
            if name == "write" and cut:
                real(args[0], bytes(args[1][:cut]))   # part of this write reaches the disk
            os._exit(9)
        return real(*args)
    setattr(os, name, wrapped)
for name in ("write", "ftruncate", "fsync", "replace", "unlink"):
    wrap(name)
sw.write_bytes(target, data)
print(json.dumps(calls))
"""

OLD = b'{"old": "' + b"o" * 3000 + b'"}\n'   # longer than the new: the old tail matters
NEW = b'{"new": "' + b"n" * 1000 + b'"}\n'


def save_killed(tmp_path, target, kill_at: int, cut: int = 0) -> subprocess.CompletedProcess:
    new_file = tmp_path / "new.bytes"
    new_file.write_bytes(NEW)
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    return subprocess.run([sys.executable, str(script), str(ROOT), str(target), str(new_file),
                           str(kill_at), str(cut)], capture_output=True, text=True, timeout=60)


def hard_linked(folder: Path) -> tuple[Path, Path]:
    folder.mkdir()
    first, second = folder / "a.cdm.json", folder / "b.cdm.json"
    first.write_bytes(OLD)
    os.link(first, second)
    return first, second


def kill_points(tmp_path) -> list[tuple[int, int]]:
    """Every call of an unkilled save, and three byte cuts inside each write."""
    first, _ = hard_linked(tmp_path / "dry")
    done = save_killed(tmp_path, first, kill_at=0)
    assert done.returncode == 0, done.stderr
    calls = json.loads(done.stdout)
    assert calls.count("ftruncate") == 1 and "fsync" in calls   # the in-place path ran
    points = [(i, 0) for i in range(1, len(calls) + 1)]
    points += [(i, cut) for i, name in enumerate(calls, 1) if name == "write"
               for cut in (1, 500, 2000)]
    return points


def test_a_hard_linked_save_killed_anywhere_leaves_old_or_new_in_both_links(tmp_path):
    from core.scenario_file import ScenarioFileError, read_scenarios
    outcomes = set()
    for n, (kill_at, cut) in enumerate(kill_points(tmp_path)):
        first, second = hard_linked(tmp_path / f"run{n}")
        result = save_killed(tmp_path, first, kill_at, cut)
        assert result.returncode == 9, result.stderr
        # The app opens the file again (not a scenario file: the refusal is about
        # its content, after the interrupted save was settled).
        with pytest.raises(ScenarioFileError):
            read_scenarios(first)
        assert first.read_bytes() in (OLD, NEW), (kill_at, cut)
        assert second.read_bytes() == first.read_bytes()
        assert os.stat(first).st_ino == os.stat(second).st_ino
        assert not [p for p in first.parent.iterdir() if p.name.startswith(KEEP_PREFIX)]
        outcomes.add(first.read_bytes())
    assert outcomes == {OLD, NEW}   # kills before and after the point of no return


def test_before_the_fix_a_kill_before_the_truncate_left_a_broken_file(tmp_path):
    """What the issue saw: new bytes followed by the old tail, for both links.
    Now the other link is whole as soon as the app settles the save."""
    first, second = hard_linked(tmp_path / "links")
    dry = save_killed(tmp_path, hard_linked(tmp_path / "dry")[0], kill_at=0)
    before_truncate = json.loads(dry.stdout).index("ftruncate") + 1
    assert save_killed(tmp_path, first, before_truncate).returncode == 9
    assert second.read_bytes() == NEW + OLD[len(NEW):]   # mixed until settled
    assert clean_stale_temporaries(first.parent) == 1    # as the app does at start
    assert second.read_bytes() == OLD == first.read_bytes()


def test_an_in_place_save_that_cannot_keep_the_old_version_is_refused(tmp_path, monkeypatch):
    import core.safe_write as sw
    first, second = hard_linked(tmp_path / "links")

    def no_room(*_):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(sw, "_temporary_beside", no_room)
    with pytest.raises(sw.WriteError, match="2 hard links.*could not be kept.*disk is full"):
        sw.write_bytes(first, NEW)
    assert first.read_bytes() == OLD == second.read_bytes()


def test_settling_is_a_no_op_without_a_kept_version(tmp_path):
    path = tmp_path / "a.cdm.json"
    path.write_bytes(OLD)
    assert finish_interrupted_save(path) is False
    assert path.read_bytes() == OLD
