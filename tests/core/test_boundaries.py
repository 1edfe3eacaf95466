"""The enforced boundaries: the import contracts in pyproject.toml (core imports
no Qt, pyqtgraph, shiboken6 or ui; ui/ in layers that import only downward) and
mypy on core/ with no errors."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
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
    # Every declared contract was checked (a contract the tool skipped or a renamed
    # one would otherwise pass as "0 broken"); lint-imports wraps long names.
    kept = " ".join(result.stdout.split())
    for contract in _contracts():
        assert f"{' '.join(contract['name'].split())} KEPT" in kept, contract["name"]


def _contracts() -> list[dict]:
    with open(ROOT / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["tool"]["importlinter"]["contracts"]


def _ui_layers() -> list[set[str]]:
    """The layers of ui/ as pyproject.toml declares them, top first: each a set of
    the names under ui/ it holds ("a | b" and "a : b" put two in one layer)."""
    [contract] = [c for c in _contracts() if c["type"] == "layers" and c.get("containers") == ["ui"]]
    return [{name.strip() for name in re.split(r"[|:]", layer)} for layer in contract["layers"]]


def test_every_ui_package_and_module_is_in_a_layer():
    # The layers contract is exhaustive, so lint-imports refuses a new package it does
    # not list; this keeps that option from being dropped unnoticed.
    [contract] = [c for c in _contracts() if c["type"] == "layers" and c.get("containers") == ["ui"]]
    assert contract.get("exhaustive") is True
    declared = set().union(*_ui_layers())
    present = {path.stem if path.is_file() else path.name
               for path in (ROOT / "ui").iterdir()
               if (path.suffix == ".py" and path.stem != "__init__")
               or (path / "__init__.py").exists()}
    assert present == declared


def test_the_classes_the_registry_names_sit_below_every_module_that_loads_them():
    # ui/registry.py names tab and plot classes by dotted path and registry.load imports
    # them when a tab or slide is first shown: an import lint-imports cannot see.  Each
    # named module must sit in a layer below every module that calls registry.load.
    from ui import registry

    layers = _ui_layers()

    def layer_of(module: str) -> int:
        top = module.split(".")[1]
        return next(i for i, names in enumerate(layers) if top in names)

    loaders = {".".join(path.relative_to(ROOT).with_suffix("").parts)
               for path in (ROOT / "ui").rglob("*.py")
               if "registry.load(" in path.read_text(encoding="utf-8")}
    assert loaders   # main_window and the presentation today
    named = {tab.builds for tab in registry.TABS} | {
        slide.plots for tab in registry.TABS for slide in tab.slides if slide.plots}
    for dotted in named:
        module = dotted.partition(":")[0]
        for loader in loaders:
            assert layer_of(module) > layer_of(loader), (dotted, loader)


def test_mypy_finds_no_errors_in_core():
    # /dev/null as the cache: nothing is written into the tree.
    result = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", "/dev/null"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout
