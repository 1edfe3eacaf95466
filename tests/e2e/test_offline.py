"""Offline for real: the app never opens a network connection.

In-process, Python's socket layer is patched so that any attempt to resolve
a name, open an internet socket or connect anywhere is recorded and refused;
the app then starts, recomputes, loads an example and writes every export
there is.  The test fails on any attempt, even one the app would have
swallowed.  A second test runs the real program under `unshare -n` (no
network namespace at all: this also catches Qt's C++ code) where the
sandbox allows it.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from core.presets import default_scenario
from tests.ui.conftest import settle

ROOT = Path(__file__).resolve().parents[2]
INTERNET = (socket.AF_INET, socket.AF_INET6)


@pytest.fixture
def no_network(monkeypatch):
    """Refuse and record every network attempt made through Python's sockets."""
    attempts: list[str] = []

    def refuse(what):
        def blocked(*args, **kwargs):
            attempts.append(f"{what}{args[1:] if what.startswith('socket.') else args}")
            raise OSError(f"network blocked by the offline test: {what}")
        return blocked

    original_init = socket.socket.__init__

    def guarded_init(self, family=-1, type=-1, proto=-1, fileno=None):
        if family in INTERNET or (family == -1 and fileno is None):
            attempts.append(f"socket.socket(family={family})")
            raise OSError("network blocked by the offline test: internet socket")
        original_init(self, family, type, proto, fileno)

    monkeypatch.setattr(socket.socket, "__init__", guarded_init)
    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex",
                 "gethostbyaddr", "getnameinfo"):
        monkeypatch.setattr(socket, name, refuse(name))
    return attempts


def test_the_blocker_catches_an_attempt(no_network):
    # A guard that cannot fail proves nothing: show that it does catch one.
    with pytest.raises(OSError):
        socket.create_connection(("example.com", 443), timeout=1)
    with pytest.raises(OSError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    assert len(no_network) == 2


def _export_formats() -> list[str]:
    """Every export format the app has: the Qt-free ones, plus the ones the
    `export` command draws with Qt once that command exists."""
    from core.export.files import QT_FREE_FORMATS
    import main
    commands = next((a for a in main.build_parser()._actions
                     if getattr(a, "choices", None) and "kpis" in a.choices), None)
    has_export_command = commands is not None and "export" in commands.choices
    return list(QT_FREE_FORMATS) + (["png", "pdf"] if has_export_command else [])


def test_start_recompute_examples_and_exports_without_network(qtbot, qapp, no_network, tmp_path):
    from core.engine import compute
    from core.export.files import QT_FREE_FORMATS, write_file_export
    from ui.app.fonts import install_fonts
    from ui.main_window import MainWindow
    from ui.look.themes import configure_pyqtgraph

    # Start-up, as ui/window/launch.py does it.
    install_fonts(qapp)
    configure_pyqtgraph()
    window = MainWindow(default_scenario())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    # An example from the gallery, and a recompute after an edit.
    window.examples_menu.action_for("meta-coreweave-2025").trigger()
    settle(qtbot, window)
    assert window.key_figures.text_of("total_contract_value") == "$14.2B"
    window.tab("contract").form.fields["term_months"].setValue(60)
    settle(qtbot, window)
    assert window.binding.results.key_figures.total_contract_value == pytest.approx(
        60 * 14.2e9 / 72)

    # Every export.
    results = compute(window.binding.scenario)
    written = []
    for kind in _export_formats():
        target = tmp_path / f"deal.{kind}"
        if kind in QT_FREE_FORMATS:
            write_file_export(results, target)
        else:
            import main
            assert main.main(["export", "--out", str(target)]) == 0
        written.append(target)
    for target in written:
        assert target.stat().st_size > 0, target

    assert no_network == []


def _unshare_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


needs_unshare = pytest.mark.skipif(not _unshare_works(),
                                   reason="unshare -n is not permitted in this sandbox")


@needs_unshare
def test_kpis_in_a_namespace_without_network_match_the_normal_run():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    normal = subprocess.run([sys.executable, "main.py", "kpis", "--json"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    offline = subprocess.run(["unshare", "-n", sys.executable, "main.py", "kpis", "--json"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert offline.returncode == 0, offline.stderr
    assert json.loads(offline.stdout) == json.loads(normal.stdout)


@needs_unshare
def test_the_app_paints_its_window_in_a_namespace_without_network(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CDM_QUIT_AFTER_PAINT="1",
               XDG_DATA_HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path))
    result = subprocess.run(["unshare", "-n", sys.executable, "main.py"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "painted" in result.stdout
    assert "Traceback" not in result.stderr
