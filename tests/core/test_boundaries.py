"""The enforced boundaries: the import contracts in pyproject.toml (core imports
no Qt, pyqtgraph, shiboken6 or ui) and mypy on core/ with no errors."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    # The test extra pins both tools: missing, they fail the suite, never skip it.
    path = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert path, f"{name} is not installed: pip install the project's test extra"
    return path


def test_import_contracts_are_kept():
    result = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_mypy_finds_no_errors_in_core():
    # /dev/null as the cache: nothing is written into the tree.
    result = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", "/dev/null"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout
