"""pyqtgraph imported through `ui` copies Qt's names lazily (ui/fast_pyqtgraph_import.py):
its mirror modules hold only what pyqtgraph used, every name still resolves to
PySide6's own object, and PySide6's modules are left as they were."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

REPORT = """
import json, sys
{first}
import pyqtgraph
import PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets
out = {{}}
for name in ("QtCore", "QtGui", "QtWidgets"):
    mirror, source = getattr(pyqtgraph.Qt, name), getattr(PySide6, name)
    names = [n for n in dir(source) if not n.startswith("__")]
    out[name] = {{
        "held": sum(n in mirror.__dict__ for n in names),
        "names": len(names),
        "same": all(getattr(mirror, n) is getattr(source, n) for n in names),
        "dir": sorted(dir(source)),
    }}
print(json.dumps(out))
"""


def report(first: str) -> dict:
    result = subprocess.run([sys.executable, "-c", REPORT.format(first=first)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_mirrors_fill_lazily_with_the_same_objects():
    lazy = report("import ui")          # as the app imports it
    eager = report("")                  # pyqtgraph on its own
    for name in ("QtCore", "QtGui", "QtWidgets"):
        # pyqtgraph on its own copies every name; through `ui`, fewer than half
        # are fetched by the end of its import.
        assert eager[name]["held"] == eager[name]["names"]
        assert lazy[name]["held"] < lazy[name]["names"] / 2, name
        # Every name reaches the same PySide6 object, and PySide6's modules list
        # the same names as without the lazy copy (their own __dir__ is back).
        assert lazy[name]["same"] and eager[name]["same"]
        assert lazy[name]["dir"] == eager[name]["dir"]
