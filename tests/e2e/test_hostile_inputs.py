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
import subprocess
import sys
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
