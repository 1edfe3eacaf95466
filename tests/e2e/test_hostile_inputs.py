"""Hostile inputs through the command line and the app's Open, Save and Export:
broken and malicious scenario files, special files, links, read-only and
changed-on-disk targets, full disks, the largest workspace the limits allow,
an oversized saved window.  Each case must give one clear message, no
traceback, no hang (every subprocess has a timeout), and leave the user's
files byte-identical.
"""
from __future__ import annotations

import copy
import errno
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtWidgets import QMessageBox

import core.safe_write as sw
import core.scenario_file as sf
from core.presets import default_scenario
from core.scenario_file import ScenarioFileError, ScenarioSet, encode_document, read_scenarios

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120   # seconds: a hang fails the test instead of blocking the suite


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=TIMEOUT, errors="replace")


def document() -> dict:
    return copy.deepcopy(encode_document(ScenarioSet((default_scenario(),), 0)))


def dumped(doc: dict, **replace_raw: str) -> bytes:
    """JSON with escapes (a lone surrogate becomes the text \\ud800, as in the
    files that broke the app); `replace_raw` puts raw text (numbers too long for
    Python to print) in place of a "@NAME@" string."""
    text = json.dumps(doc, indent=1, ensure_ascii=True)
    for name, raw in replace_raw.items():
        text = text.replace(f'"@{name}@"', raw)
    return text.encode("ascii")


def with_fee(raw: str) -> bytes:
    doc = document()
    doc["scenarios"][0]["contract"]["monthly_fee"] = "@FEE@"
    return dumped(doc, FEE=raw)


def named(where: str, name) -> bytes:
    doc = document()
    scenario = doc["scenarios"][0]
    if where == "scenario":
        scenario["name"] = name
    elif where == "tranche":
        scenario["hardware"]["tranches"][0]["name"] = name
    else:   # an unknown field
        scenario["contract"][name] = 1
    return dumped(doc)


# name -> (file bytes, words the message must hold)
BAD_FILES = {
    "309-digit-number": (with_fee("9" * 309), "a number of 309 characters"),
    "5000-digit-number": (with_fee("9" * 5000), "a number of 5,000 characters"),
    "1e400": (with_fee("1e400"), "contract.monthly_fee"),
    "5000-digit-decimal": (with_fee("1." + "0" * 5000), "contract.monthly_fee"),
    "surrogate-scenario-name": (named("scenario", "Deal \ud800"), "scenarios[0].name"),
    "surrogate-tranche-name": (named("tranche", "\udc80"), "tranches[0].name"),
    "surrogate-field-name": (named("field", "x\ud800"), "unknown field"),
    "rich-text-field-name": (named("field", '<img src="/no/such/pipe">'), "unknown field"),
    "4-MB-field-name": (named("field", "k" * 4_000_000), "unknown field"),
    "deeply-nested": (b"[" * 200_000, "scenario file"),
    "not-utf8": (b"\xff\xfe\x00garbage", "not UTF-8"),
    "empty": (b"", "empty"),
    "too-large": (b" " * (sf.MAX_FILE_BYTES + 10), "larger than"),
}


def assert_one_clear_line(result, words: str) -> str:
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr[:2000]
    assert words in lines[0], lines[0][:500]
    assert len(lines[0]) < 1000     # a 4 MB name is not printed whole
    return lines[0]


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory) -> dict[str, tuple[Path, bytes, str]]:
    folder = tmp_path_factory.mktemp("bad")
    files = {}
    for name, (data, words) in BAD_FILES.items():
        path = folder / f"{name}.cdm.json"
        path.write_bytes(data)
        files[name] = (path, data, words)
    fifo = folder / "pipe.cdm.json"
    os.mkfifo(fifo)
    files["fifo"] = (fifo, None, "not a regular file")
    directory = folder / "folder.cdm.json"
    directory.mkdir()
    files["folder"] = (directory, None, "is a folder")
    files["device"] = (Path("/dev/zero"), None, "not a regular file")
    return files


def unchanged(path: Path, data: bytes | None) -> bool:
    return data is None or path.read_bytes() == data


# --- the command line ---------------------------------------------------------------

@pytest.mark.parametrize("case", list(BAD_FILES) + ["fifo", "folder", "device"])
def test_the_command_line_refuses_each_bad_file_on_one_line(bad_files, case):
    path, data, words = bad_files[case]
    assert_one_clear_line(run_cli("kpis", str(path)), words)
    assert unchanged(path, data)


@pytest.mark.parametrize("case", ["fifo", "5000-digit-number", "surrogate-scenario-name"])
def test_export_and_app_start_refuse_bad_files_without_writing(bad_files, tmp_path, case):
    path, data, words = bad_files[case]
    out = tmp_path / "out.xlsx"
    result = run_cli("export", str(path), "--out", str(out))
    assert result.returncode == 2
    assert_one_clear_line(result, words)
    assert not out.exists()
    started = run_cli(str(path))   # `main.py FILE`: refused before any window opens
    assert started.returncode == 2
    assert_one_clear_line(started, words)
    assert unchanged(path, data)


@pytest.fixture
def full_disk(tmp_path):
    """A 96 KiB tmpfs holding a user's old export, with about 8 KiB left."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs",
                              str(mount_point)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip("CANNOT MOUNT A TMPFS HERE (needs root and mount rights): the real full "
                    "disk is not tested; test_an_injected_full_disk_* still covers ENOSPC "
                    f"({mounted.stderr.strip()})")
    try:
        (mount_point / "filler").write_bytes(b"f" * 56 * 1024)
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


@pytest.mark.parametrize("kind", ["pdf", "xlsx", "pptx", "csv", "png"])
def test_a_real_full_disk_export_fails_clearly_and_keeps_the_old_file(full_disk, kind):
    old = full_disk / f"deal.{kind}"
    old.write_bytes(b"the user's previous export " * 1000)   # 27 KB
    before = old.read_bytes()
    result = run_cli("export", "--out", str(old), "--force")
    assert result.returncode == 1, result.stdout + result.stderr
    line = assert_one_clear_line(result, "not written")
    assert "disk is full" in line or "incomplete" in line or "empty" in line
    assert result.stdout == ""             # no path printed: nothing was exported
    assert old.read_bytes() == before
    assert sorted(p.name for p in full_disk.iterdir()) == [f"deal.{kind}", "filler"]


# --- generated files: the reader only ever refuses with one clean message ------------------

HOSTILE_VALUES = st.one_of(
    st.integers(min_value=-10**60, max_value=10**60),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(["<b>x</b>", '<img src="/dev/zero">', "\ud800", "\udfff", "", " ",
                     "2026-02-30", "9999-01-01", None, True, [], {}]),
)


def _leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, path + (index,))
    else:
        yield path


LEAVES = list(_leaves(document()))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(st.sampled_from(LEAVES), HOSTILE_VALUES), min_size=1,
                        max_size=4),
       extra_key=st.one_of(st.none(), st.text(min_size=1, max_size=200)))
def test_generated_files_load_exactly_or_are_refused_on_one_line(tmp_path, changes, extra_key):
    doc = document()
    for path, value in changes:
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    if extra_key is not None:
        doc["scenarios"][0]["hardware"][extra_key] = 0
    file = tmp_path / "generated.cdm.json"
    file.write_bytes(dumped(doc))
    before = file.read_bytes()
    try:
        loaded = read_scenarios(file)
    except ScenarioFileError as error:
        message = str(error)
        assert "\n" not in message and len(message) < 1000
        message.encode("utf-8")          # printable: no lone surrogate reaches a terminal
    else:
        # What the app opens, it can save, and reopen unchanged.
        again = tmp_path / "again.cdm.json"
        sf.write_scenarios(loaded, again)
        assert read_scenarios(again) == loaded
    assert file.read_bytes() == before


# --- the app: Open, Save, Export --------------------------------------------------------

@pytest.fixture
def app_window(qtbot, tmp_path):
    from ui.main_window import MainWindow
    from ui.app.settings import AppSettings
    from ui.look.themes import configure_pyqtgraph
    settings_ = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    configure_pyqtgraph()
    window = MainWindow(default_scenario(), settings=settings_, autosave_dir=tmp_path / "autosave")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def error_box(window, name="file-error") -> QMessageBox:
    boxes = [b for b in window.findChildren(QMessageBox) if b.objectName() == name
             and b.isVisible()]
    assert len(boxes) == 1, [b.objectName() for b in window.findChildren(QMessageBox)]
    return boxes[0]


def close_boxes(window) -> None:
    for box in window.findChildren(QMessageBox):
        box.done(0)


@pytest.mark.parametrize("case", list(BAD_FILES) + ["fifo", "folder", "device"])
def test_the_app_refuses_each_bad_file_with_one_plain_message(qtbot, app_window, bad_files,
                                                               case):
    path, data, words = bad_files[case]
    before = app_window.binding.scenario
    assert app_window.file_actions.load_file(path) is False
    box = error_box(app_window)
    assert box.textFormat() == Qt.TextFormat.PlainText   # names from the file are not HTML
    assert words in box.text() and len(box.text()) <= 600
    assert app_window.binding.scenario == before
    assert unchanged(path, data)
    close_boxes(app_window)


def test_names_from_a_file_are_shown_as_text_not_html(qtbot, app_window, tmp_path):
    doc = document()
    scenario = doc["scenarios"][0]
    scenario["name"] = '<img src="/no/such/pipe">Deal'
    model = '<i>H100</i> & co'
    scenario["hardware"]["gpu_models"][0]["name"] = model
    for tranche in scenario["hardware"]["tranches"]:
        if tranche["gpu_model"] == "H100 SXM":
            tranche["gpu_model"] = model
    file = tmp_path / "html.cdm.json"
    file.write_bytes(dumped(doc))
    assert app_window.file_actions.load_file(file)
    app_window.show_tab("hardware")
    app_window.binding.flush_views()
    from ui.plots.common import PlotPanel
    labels = [label.text for panel in app_window.findChildren(PlotPanel)
              for _sample, label in panel.legend.items]
    # Escaped by hand: < is &lt;, > is &gt;, & is &amp; (a legend renders HTML).
    assert "&lt;i&gt;H100&lt;/i&gt; &amp; co" in labels
    assert not any("<i>" in text for text in labels)
    readouts = [panel.readout for panel in app_window.findChildren(PlotPanel)]
    assert all(r.textFormat() == Qt.TextFormat.PlainText for r in readouts)
    # The scenario list's Delete question quotes the scenario name.
    app_window.workspace.duplicate()
    app_window.workspace.switch(0)
    box = app_window.scenario_bar.ask_delete()
    assert '<img src="/no/such/pipe">Deal' in box.text()
    assert box.textFormat() == Qt.TextFormat.PlainText
    close_boxes(app_window)


def edited_and_saved(qtbot, window, path: Path) -> None:
    assert window.file_actions.save_to(path)
    window.binding.set_values("contract", notice_days=45)
    assert window.isWindowModified()


def test_save_writes_through_a_symbolic_link(qtbot, app_window, tmp_path):
    shared = tmp_path / "shared" / "deal.cdm.json"
    shared.parent.mkdir()
    sf.save_scenario(default_scenario(), shared)
    link = tmp_path / "link.cdm.json"
    link.symlink_to(shared)
    assert app_window.file_actions.load_file(link)
    app_window.binding.set_values("contract", notice_days=45)
    assert app_window.file_actions.save()
    assert link.is_symlink()
    assert sf.load_scenario(shared).contract.notice_days == 45


def test_save_keeps_a_hard_link_shared(qtbot, app_window, tmp_path):
    first = tmp_path / "a.cdm.json"
    sf.save_scenario(default_scenario(), first)
    os.link(first, tmp_path / "b.cdm.json")
    assert app_window.file_actions.load_file(first)
    app_window.binding.set_values("contract", notice_days=45)
    assert app_window.file_actions.save()
    assert sf.load_scenario(tmp_path / "b.cdm.json").contract.notice_days == 45


def test_save_refuses_a_read_only_file(qtbot, app_window, tmp_path):
    file = tmp_path / "locked.cdm.json"
    sf.save_scenario(default_scenario(), file)
    before = file.read_bytes()
    file.chmod(0o444)
    assert app_window.file_actions.load_file(file)
    app_window.binding.set_values("contract", notice_days=45)
    assert app_window.file_actions.save() is False
    assert "read-only" in error_box(app_window).text()
    assert file.read_bytes() == before
    assert app_window.isWindowModified()        # the title keeps its "*": nothing was saved
    close_boxes(app_window)


def test_save_asks_before_replacing_a_file_changed_on_disk(qtbot, app_window, tmp_path):
    file = tmp_path / "deal.cdm.json"
    sf.save_scenario(default_scenario(), file)
    assert app_window.file_actions.load_file(file)
    app_window.binding.set_values("contract", notice_days=45)
    theirs = default_scenario().with_changes("contract", term_months=24)
    sf.save_scenario(theirs, file)              # another program's save
    their_bytes = file.read_bytes()
    assert app_window.file_actions.save() is False
    box = error_box(app_window, "file-changed")
    cancel = box.button(QMessageBox.StandardButton.Cancel)
    cancel.click()
    assert file.read_bytes() == their_bytes
    assert app_window.isWindowModified()
    app_window.file_actions.save()
    box = error_box(app_window, "file-changed")
    next(b for b in box.buttons() if b.text() == "Replace").click()
    qtbot.waitUntil(lambda: not app_window.isWindowModified(), timeout=3000)
    assert sf.load_scenario(file).contract.notice_days == 45


def test_an_injected_full_disk_on_save_keeps_the_file_and_the_unsaved_mark(
        qtbot, app_window, tmp_path, monkeypatch):
    file = tmp_path / "deal.cdm.json"
    edited_and_saved(qtbot, app_window, file)
    before = file.read_bytes()

    def full(_fd, _data):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(sw.os, "write", full)
    assert app_window.file_actions.save() is False
    monkeypatch.undo()
    assert "the disk is full" in error_box(app_window).text()
    assert file.read_bytes() == before
    assert app_window.isWindowModified()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".cdm~")) == []
    close_boxes(app_window)


def test_a_long_legal_file_name_saves(qtbot, app_window, tmp_path):
    file = tmp_path / ("d" * 246 + ".cdm.json")    # 255 bytes, the file system's limit
    assert app_window.file_actions.save_to(file)
    assert sf.load_scenario(file) == app_window.binding.scenario


@pytest.mark.parametrize("kind", ["csv", "xlsx", "pptx", "pdf", "png"])
def test_an_injected_full_disk_on_export_is_one_message_and_keeps_the_old_file(
        qtbot, app_window, tmp_path, monkeypatch, kind):
    import ui.window.export_menu as export_menu
    target = tmp_path / f"deal.{kind}"
    target.write_bytes(b"the user's previous export")
    shown = []
    monkeypatch.setattr(export_menu, "show_export_error",
                        lambda _w, title, text: shown.append((title, text)))

    def full(_fd, _data):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(sw.os, "write", full)
    result = export_menu.export_with_confirmation(app_window, str(target),
                                                  confirm=lambda _w, _m: True)
    assert result is None
    assert len(shown) == 1 and "the disk is full" in shown[0][1]
    assert target.read_bytes() == b"the user's previous export"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == f".{kind}"
                  or p.name.startswith(".cdm~")) == [target.name]


# --- what the app writes, it opens --------------------------------------------------------

def largest_workspace() -> ScenarioSet:
    """100 scenarios of 55 tranches and 5 GPU models: the workspace budget (6,000
    records) in full; once 100 x 300 tranches, a workspace the app could not reopen."""
    import dataclasses
    base = default_scenario()
    tranche = base.hardware.tranches[0]
    per_scenario = sf.MAX_RECORDS // sf.MAX_SCENARIOS - len(base.hardware.gpu_models)
    tranches = tuple(dataclasses.replace(tranche, name=f"Tranche {i}")
                     for i in range(per_scenario))
    base = dataclasses.replace(base, hardware=dataclasses.replace(base.hardware,
                                                                  tranches=tranches))
    return ScenarioSet(tuple(dataclasses.replace(base, name=f"Scenario {i}")
                             for i in range(sf.MAX_SCENARIOS)), 0)


def test_the_largest_workspace_saves_autosaves_and_reopens(qtbot, app_window, tmp_path):
    from ui.app.recovery import find_recoverable
    big = largest_workspace()
    app_window.workspace.load(big, modified=True)
    file = tmp_path / "big.cdm.json"
    assert app_window.file_actions.save_to(file)
    assert file.stat().st_size > 1_000_000
    assert app_window.file_actions.load_file(file)
    assert app_window.workspace.scenario_set() == big
    app_window.binding.set_values("contract", notice_days=45)
    autosave = app_window.file_actions.autosave
    assert autosave.save_now()
    assert len(autosave.workspace.names) == 100
    recovered = read_scenarios(autosave.path)
    assert len(recovered.scenarios) == 100 and sf.records_in(recovered.scenarios) == sf.MAX_RECORDS
    assert find_recoverable(autosave.directory) == []   # this window's own session


def test_a_workspace_too_large_to_reopen_is_not_saved(qtbot, app_window, tmp_path, monkeypatch):
    file = tmp_path / "deal.cdm.json"
    assert app_window.file_actions.save_to(file)
    before = file.read_bytes()
    monkeypatch.setattr(sf, "MAX_FILE_BYTES", 1_000_000)
    app_window.workspace.load(largest_workspace(), modified=True)
    assert app_window.file_actions.save_to(file) is False
    assert "could not be opened again" in error_box(app_window).text()
    assert file.read_bytes() == before
    close_boxes(app_window)


# --- a foreign saved window size -----------------------------------------------------------

def test_an_oversized_saved_window_is_clamped_to_the_screen(qtbot, tmp_path):
    from ui.main_window import MainWindow
    from ui.app.settings import AppSettings
    ini = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    probe = MainWindow(default_scenario())
    qtbot.addWidget(probe)
    ini.setValue("window/geometry", probe.saveGeometry())
    ini.setValue("window/size", QSize(30000, 30000))
    ini.sync()
    window = MainWindow(default_scenario())
    qtbot.addWidget(window)
    AppSettings(ini).restore_window(window)
    area = window.screen().availableGeometry()
    # Never larger than the screen, unless the window's own minimum is.
    assert window.width() <= max(area.width(), window.minimumSizeHint().width())
    assert window.height() <= max(area.height(), window.minimumSizeHint().height())
    assert window.width() < 30000 and window.height() < 30000


# --- hostile workbooks: File > Open and the command line ---------------------------------------
# Each is the app's own export with one part of the archive changed by hand.

BOMB = ('<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in zip("abcdefg", "bcdefgh"))
        + "]>")   # &h; is 10^8 characters


def _fee_cell(xml: str, value: str) -> str:
    return re.sub(r'(<c r="C9"[^>]*><v>)[^<]*', lambda m: m.group(1) + value, xml, count=1)


FEE_NAME = '<definedName name="contract_monthly_fee">Inputs!$C$9</definedName>'
WORKBOOK_CASES = {   # name -> (part, change, words the one line must hold)
    "name-on-a-range": ("xl/workbook.xml", lambda x: x.replace(FEE_NAME, FEE_NAME.replace(
        "$C$9", "$C$9:$C$10")), "contract_monthly_fee points at 'Inputs!$C$9:$C$10', not one cell"),
    "name-on-a-column": ("xl/workbook.xml", lambda x: x.replace(FEE_NAME, FEE_NAME.replace(
        "$C$9", "$C:$C")), "contract_monthly_fee points at 'Inputs!$C:$C', not one cell"),
    "name-on-ref-error": ("xl/workbook.xml", lambda x: x.replace(FEE_NAME, FEE_NAME.replace(
        "$C$9", "#REF!")), "contract_monthly_fee points at 'Inputs!#REF!'"),
    "name-missing": ("xl/workbook.xml", lambda x: x.replace(FEE_NAME, ""),
                     "Inputs ('Monthly fee'): the defined name contract_monthly_fee is missing"),
    "name-twice": ("xl/workbook.xml", lambda x: x.replace(FEE_NAME, FEE_NAME.replace(
        "$C$9", "$Z$1") + FEE_NAME), "the defined name contract_monthly_fee is defined twice"),
    "malformed-inputs": ("xl/worksheets/sheet1.xml", lambda x: x[:len(x) // 2],
                         "sheet Inputs: not well-formed XML"),
    "entity-bomb": ("xl/worksheets/sheet1.xml",
                    lambda x: _fee_cell(x.replace("<worksheet", BOMB + "<worksheet", 1), "&h;"),
                    "sheet Inputs: refused: its XML entities expand"),
    "nan-cell": ("xl/worksheets/sheet1.xml", lambda x: _fee_cell(x, "NaN"),
                 "Inputs!C9: 'NaN' is not a finite number"),
    "inf-cell": ("xl/worksheets/sheet1.xml", lambda x: _fee_cell(x, "-INF"),
                 "Inputs!C9: '-INF' is not a finite number"),
}


@pytest.fixture(scope="module")
def hostile_workbooks(tmp_path_factory) -> dict[str, tuple[Path, bytes, str]]:
    from core.engine import compute
    from core.export.workbook import write_workbook
    folder = tmp_path_factory.mktemp("workbooks")
    base = folder / "export.xlsx"
    write_workbook(compute(default_scenario()), base, months=36)
    files = {}
    with zipfile.ZipFile(base) as source:
        for name, (part, change, words) in WORKBOOK_CASES.items():
            path = folder / f"{name}.xlsx"
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
                for item in source.infolist():
                    data = source.read(item.filename)
                    if item.filename == part:
                        changed = change(data.decode("utf-8")).encode("utf-8")
                        assert changed != data, name     # the case changes the file
                        data = changed
                    out.writestr(copy.copy(item), data)   # writestr changes its info
            files[name] = (path, path.read_bytes(), words)
    return files


@pytest.mark.parametrize("case", list(WORKBOOK_CASES))
def test_the_command_line_refuses_each_hostile_workbook_on_one_line(hostile_workbooks, case):
    path, data, words = hostile_workbooks[case]
    result = run_cli("kpis", str(path))
    assert result.returncode == 2
    line = assert_one_clear_line(result, words)
    assert str(path) in line
    assert unchanged(path, data)


@pytest.mark.parametrize("case", list(WORKBOOK_CASES))
def test_the_app_refuses_each_hostile_workbook_with_one_message(qtbot, app_window,
                                                               hostile_workbooks, case):
    path, data, words = hostile_workbooks[case]
    before = app_window.binding.scenario
    assert app_window.file_actions.load_file(path) is False
    box = error_box(app_window)
    assert words in box.text() and "\n" not in box.text() and str(path) in box.text()
    assert app_window.binding.scenario == before
    assert unchanged(path, data)
    close_boxes(app_window)


# --- names an export's format cannot hold; file names the system cannot take -----------------

def test_names_with_control_characters_export_to_a_deck(tmp_path):
    """The loader accepts control characters in names (JSON escapes them); the
    deck used to die in lxml ("All strings must be XML compatible").  (The
    workbook holds them as _x0001_ escapes; the PDF draws text.)"""
    from xml.etree import ElementTree
    from core.engine import compute
    from core.export.files import write_file_export
    doc = document()
    doc["scenarios"][0]["name"] = "Deal\u0001\u000b\ufffe one"
    doc["scenarios"][0]["hardware"]["tranches"][0]["name"] = "T\u0002"
    doc["scenarios"][0]["hardware"]["tranches"][0]["site"] = "S\u001f"
    file = tmp_path / "control.cdm.json"
    file.write_bytes(dumped(doc))
    out = tmp_path / "deal.pptx"
    write_file_export(compute(sf.load_scenario(file)), out)
    with zipfile.ZipFile(out) as archive:
        for part in archive.namelist():       # every part is well-formed XML
            if part.endswith(".xml"):
                ElementTree.fromstring(archive.read(part))
        slides = b"".join(archive.read(p) for p in archive.namelist()
                          if p.startswith("ppt/slides/slide"))
    assert "Deal one".encode() in slides      # the name, its control characters dropped


@pytest.mark.parametrize("kind", ["csv", "pdf"])
def test_an_export_file_name_over_255_bytes_is_one_line(tmp_path, kind):
    out = tmp_path / ("\u00e9" * 128 + f".{kind}")          # 256 + 4 bytes in UTF-8
    result = run_cli("export", "--out", str(out), "--no-simulation")
    assert result.returncode == 1                          # README: unwritable path, exit 1
    assert_one_clear_line(result, "the file name is 260 bytes long")
    assert list(tmp_path.iterdir()) == []


def test_an_export_file_name_over_255_bytes_is_one_message_in_the_app(
        qtbot, app_window, tmp_path, monkeypatch):
    import ui.window.export_menu as export_menu
    shown = []
    monkeypatch.setattr(export_menu, "show_export_error",
                        lambda _w, title, text: shown.append((title, text)))
    out = tmp_path / ("x" * 300 + ".xlsx")
    assert export_menu.export_with_confirmation(app_window, str(out)) is None
    assert len(shown) == 1 and "the file name is 305 bytes long" in shown[0][1]
    assert not any(p.suffix == ".xlsx" or p.name.startswith(".cdm~") for p in tmp_path.iterdir())


# --- hostile tables for File > Import -------------------------------------------------------

TRANCHE_HEADER = "Tranche,Site,GPU model,GPUs,Online date\n"
TRANCHE_ROW = "A,Memphis,H100 SXM,100,2026-06-01\n"


def _import(path: Path, scenario=None):
    from core.importing import check_table, guess_columns, read_file
    table = read_file(path)
    return check_table("tranches", table, guess_columns("tranches", table.headers),
                       scenario or default_scenario())


@pytest.mark.parametrize("rows, words", [
    # The first data row one field longer: pandas took column A as an index and shifted
    # every other column left, refusing "GPU model '100'" in column C.
    ("A,Memphis,H100 SXM,100,2026-06-01,EXTRA\n" + TRANCHE_ROW,
     "row 2 has 6 fields but the header has 5: column F of row 2 is under no header"),
    (TRANCHE_ROW + "B,Memphis,H100 SXM,100,2026-06-01,EXTRA\n",
     "row 3 has 6 fields but the header has 5: column F of row 3 is under no header"),
])
def test_a_row_with_extra_fields_is_refused_naming_its_row_and_column(tmp_path, rows, words):
    from core.importing import ImportFileError
    path = tmp_path / "extra.csv"
    path.write_text(TRANCHE_HEADER + rows)
    with pytest.raises(ImportFileError) as error:
        _import(path)
    assert words in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize("encoding, words", [("utf-16-le", "little-endian UTF-16 text"),
                                             ("utf-16-be", "big-endian UTF-16 text")])
def test_utf16_without_a_byte_order_mark_is_named(tmp_path, encoding, words):
    """Before: read as UTF-8 (NUL bytes are valid UTF-8) into headers like
    'T\\x00r\\x00...', refused as five missing columns."""
    from core.importing import ImportFileError
    path = tmp_path / "utf16.csv"
    path.write_bytes((TRANCHE_HEADER + TRANCHE_ROW).encode(encoding))
    with pytest.raises(ImportFileError, match=f"{words} without a byte-order mark"):
        _import(path)


def _sheet_with(tmp_path, change) -> Path:
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Capacity"
    for line in (TRANCHE_HEADER, TRANCHE_ROW, "B,Memphis,H100 SXM,200,2026-06-01\n",
                 "C,Memphis,H100 SXM,300,2026-06-01\n"):
        sheet.append([int(v) if v.isdigit() else v for v in line.strip().split(",")])
    good = tmp_path / "good.xlsx"
    book.save(good)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                changed = change(data.decode())
                assert changed != data.decode()
                data = changed.encode()
            out.writestr(copy.copy(item), data)
    return bad


@pytest.mark.parametrize("change, words", [
    # Each of these lost row B (or its name) without a word.
    (lambda x: x.replace('<row r="3"', '<row r="0"'), "a row is numbered '0'"),
    (lambda x: x.replace('<row r="3"', '<row r="2"'), "row 2 comes after row 2"),
    (lambda x: x.replace('<c r="A3"', '<c r="XFE3"'), "'XFE3' is not a cell reference"),
    (lambda x: re.sub(r'r="([A-E])3"', r'r="\g<1>0"', x), "'A0' is not a cell reference"),
    (lambda x: x.replace('<c r="B3"', '<c r="B3B"'), "'B3B' is not a cell reference"),
])
def test_a_bad_row_or_cell_reference_is_refused_not_dropped(tmp_path, change, words):
    from core.importing import ImportFileError
    path = _sheet_with(tmp_path, change)
    with pytest.raises(ImportFileError) as error:
        _import(path)
    assert f"sheet Capacity: {words}" in str(error.value) and "nothing imported" in str(error.value)


def test_import_messages_format_numbers_as_their_field_and_stay_short(tmp_path):
    import dataclasses
    path = tmp_path / "big.csv"
    path.write_text(TRANCHE_HEADER + "A,Memphis,H100 SXM,10000001,2026-06-01\n"
                    + "B,Memphis,<b>Nope</b>,1,2026-06-01\n")
    base = default_scenario()
    model = base.hardware.gpu_models[0]
    models = tuple(dataclasses.replace(model, name=f"Model {i:04d}") for i in range(2000))
    scenario = dataclasses.replace(base, hardware=dataclasses.replace(
        base.hardware, gpu_models=models + base.hardware.gpu_models))
    refusals = [str(r) for r in _import(path, scenario).refusals]
    # 10,000,001 as the field shows a count (before: "1e+07 is out of range").
    assert refusals[0] == ("D2 (row 2, column 'GPUs'): GPU count must be between 0 and "
                           "10,000,000 GPUs; 10,000,001 is out of range")
    # 2,005 models: ten named, then how many more (before: one 13 KB line).
    assert refusals[1].endswith("H200, Model 0000, Model 0001, Model 0002, Model 0003, "
                                "Model 0004 ... and 1,995 more")
    assert len(refusals[1]) < 400


def test_no_message_counts_a_row_from_0(hostile_workbooks, tmp_path):
    """A defined name missing from a workbook was "Inputs!? (row 0, column ...)"."""
    from core.workbook_import import WorkbookImportError, read_workbook_scenario
    path, _data, words = hostile_workbooks["name-missing"]
    with pytest.raises(WorkbookImportError) as error:
        read_workbook_scenario(path)
    assert "row 0" not in str(error.value) and "?" not in str(error.value)
    assert words in str(error.value)


# --- the workspace budget, kills mid-save, far cells, reading off the UI thread -------------

def inputs_workbook(path: Path, scenario, far_cell: bool = False) -> Path:
    """A workbook with the export's Inputs sheet only (what File > Open reads),
    quicker to make than the whole export."""
    import xlsxwriter
    from core.engine import compute
    from core.export.workbook import _Formats, _write_inputs
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Inputs")
    _write_inputs(book, sheet, compute(scenario), _Formats(book))
    if far_cell:
        sheet.write(1048575, 16383, 1)               # Inputs!XFD1048576
    book.close()
    return path


def test_a_workbook_with_a_far_cell_opens(qtbot, app_window, tmp_path):
    """The issue: one value at Inputs!XFD1048576 froze File > Open for 69 s, then
    MemoryError.  The sheet is streamed within its rows and columns."""
    path = inputs_workbook(tmp_path / "far.xlsx", default_scenario(), far_cell=True)
    assert app_window.file_actions.load_file(path)
    assert app_window.binding.scenario == default_scenario()


def test_a_workbook_past_the_workspace_budget_is_refused_in_one_line(qtbot, app_window,
                                                                    tmp_path):
    """The issue: 120,000 tranche rows opened after a 15.6 s freeze into a
    workspace that could never be saved."""
    import dataclasses
    base = default_scenario()
    tranche = base.hardware.tranches[0]
    big = dataclasses.replace(base, hardware=dataclasses.replace(base.hardware, tranches=tuple(
        dataclasses.replace(tranche, name=f"T{i}") for i in range(sf.MAX_RECORDS + 1))))
    path = inputs_workbook(tmp_path / "big.xlsx", big)
    before = app_window.workspace.scenario_set()
    assert app_window.file_actions.load_file(path) is False
    text = error_box(app_window, "file-error").text()
    assert f"more than {sf.MAX_RECORDS:,} rows" in text and "\n" not in text
    assert app_window.workspace.scenario_set() == before
    close_boxes(app_window)


def test_duplicating_past_the_budget_is_refused_and_autosave_keeps_up(qtbot, app_window):
    """The issue: 10,000 tranches duplicated nine times went past 16 MB, and
    autosave stopped with a message that vanished."""
    import dataclasses
    from PySide6.QtWidgets import QMessageBox
    base = app_window.binding.scenario
    tranche = base.hardware.tranches[0]
    app_window.binding.set_scenario(dataclasses.replace(base, hardware=dataclasses.replace(
        base.hardware, tranches=(tranche,) * 2_500)))
    bar = app_window.scenario_bar
    bar.duplicate_button.click()                      # 2 x 2,505: within 6,000
    assert len(app_window.workspace.names) == 2
    bar.duplicate_button.click()                      # 3 x 2,505: refused
    assert len(app_window.workspace.names) == 2
    boxes = [b for b in app_window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and f"at most {sf.MAX_RECORDS:,}" in boxes[0].text()
    close_boxes(app_window)
    assert app_window.file_actions.autosave.save_now()
    assert not app_window.file_actions.autosave_off.isVisible()


def test_a_hard_linked_file_saved_by_the_app_survives_a_kill_mid_save(qtbot, app_window,
                                                                     tmp_path, monkeypatch):
    """Killed after the new, shorter bytes are written but before the truncate
    (the issue's case, simulated in process: the save stops there and no clean-up
    runs): the next Open gives the whole old version back, in both links."""
    first, second = tmp_path / "a.cdm.json", tmp_path / "b.cdm.json"
    app_window.workspace.rename(0, "A scenario with a long name " * 5)
    assert app_window.file_actions.save_to(first)
    os.link(first, second)
    old = first.read_bytes()
    app_window.workspace.rename(0, "Short")

    class Killed(BaseException):
        pass

    def killed(*_args):
        raise Killed()
    monkeypatch.setattr(sw.os, "ftruncate", killed)
    monkeypatch.setattr(sw, "_finish_keep", lambda *_args: None)   # a kill runs nothing more
    with pytest.raises(Killed):
        app_window.file_actions.save_to(first)
    monkeypatch.undo()
    assert second.read_bytes() != old                 # new bytes, then the old tail
    assert app_window.file_actions.load_file(second)
    assert first.read_bytes() == old == second.read_bytes()
    assert app_window.workspace.names[0].startswith("A scenario with a long name")
