"""core/ is the model: it must import and run without Qt."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_core_runs_without_importing_qt():
    code = ("import sys; from core.presets import default_scenario; from core.engine import compute;"
            " compute(default_scenario());"
            " bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'shiboken'))];"
            " print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_module_under_core_imports_qt():
    offenders = [p.name for p in (ROOT / "core").rglob("*.py")
                 if any(word in p.read_text() for word in ("import PySide6", "from PySide6",
                                                           "import pyqtgraph"))]
    assert offenders == []
