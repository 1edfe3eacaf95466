"""File > New / Open / Open Recent / Save / Save As, the unsaved-changes
prompt, the window title, settings and autosave (the main window makes one).

Prompts and file dialogs are window-modal and non-blocking (`open()`, then a
callback), so nothing waits in a nested event loop: closing a window with
unsaved work ignores the close, asks, and closes once the user has chosen.
File > Open and Open Recent read the file on a worker thread with progress
and Cancel (ui.widgets.background_read), and show it once read.
A file that cannot be opened is reported in a message naming the file and
the field; the window keeps what it had and the file is not touched.  Every
message shows names from files as plain text, shortened (ui.widgets.plain_text).

Saving goes through core.safe_write: a read-only file is refused, a symbolic
link is written through, and a file another program changed since it was
opened or last saved is overwritten only after the user says so.  At start,
temporaries left by a save that was killed are removed from the autosave
folder and the folders of recent files (and a hard-linked file whose save was
killed gets its whole old version back).

While autosave cannot write (ui.app.recovery), a lasting indicator at the
right of the status bar says why and offers Save As; it goes once a retry
succeeds.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QLabel, QMenu, QMessageBox,
                               QPushButton, QSlider, QWidget)

from core.engine import compute
from core.presets import default_scenario
from core.safe_write import FileStamp, clean_stale_temporaries, stamp_of
from core.scenario_file import (FILE_SUFFIX, ScenarioFileChanged, ScenarioFileError,
                                ScenarioSaveError, ScenarioSet, read_scenarios, write_scenarios)
from ui.app import APP_NAME
from ui.widgets.background_read import BackgroundRead, read_in_background
from ui.app.recovery import Autosave, default_autosave_dir, find_recoverable
from ui.app.settings import AppSettings
from ui.app.workspace import Workspace
from ui.widgets.plain_text import as_html, message_box, shortened

FILE_FILTER = f"Scenario files (*{FILE_SUFFIX} *.json);;All files (*)"
STATUS_MS = 6000


class FileActions(QObject):
    def __init__(self, window, workspace: Workspace, settings: AppSettings, autosave_dir: Path):
        super().__init__(window)
        self.window = window
        self.workspace = workspace
        self.settings = settings
        self.path: Path | None = None
        self.stamp: FileStamp | None = None   # self.path as opened or last saved
        self._closing = False
        self.autosave = Autosave(workspace, autosave_dir, lambda: self.path, self)
        self.autosave.failed.connect(lambda m: window.statusBar().showMessage(m, STATUS_MS))
        self.autosave_off = self._autosave_indicator()
        self.autosave.trouble_changed.connect(self._show_autosave_trouble)
        self.autosave.check_folder()

        menu = window.file_menu
        first = menu.actions()[0] if menu.actions() else None
        self.new_action = self._action("&New", QKeySequence.StandardKey.New, self.new)
        self.open_action = self._action("&Open\u2026", QKeySequence.StandardKey.Open,
                                        self.open_dialog)
        self.recent_menu = QMenu("Open &Recent", window)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.save_action = self._action("&Save", QKeySequence.StandardKey.Save, self.save)
        self.save_as_action = self._action("Save &As\u2026", QKeySequence.StandardKey.SaveAs,
                                           self.save_as)
        for action in (self.new_action, self.open_action):
            menu.insertAction(first, action)
        menu.insertMenu(first, self.recent_menu)
        for action in (self.save_action, self.save_as_action):
            menu.insertAction(first, action)
        menu.insertSeparator(first)
        self._fill_recent()

        workspace.modified_changed.connect(lambda _m: self.update_title())
        workspace.scenarios_changed.connect(self.update_title)
        window.installEventFilter(self)
        self.update_title()

    def _action(self, text: str, shortcut, slot) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    # --- autosave that cannot write -------------------------------------------------------

    def _autosave_indicator(self) -> QWidget:
        """Hidden until autosave cannot write: what is wrong, and Save As."""
        indicator = QWidget(self.window)
        indicator.setObjectName("autosave-off")
        layout = QHBoxLayout(indicator)
        layout.setContentsMargins(0, 0, 0, 0)
        self.autosave_off_label = QLabel(indicator)
        self.autosave_off_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.autosave_off_label.font()
        font.setBold(True)
        self.autosave_off_label.setFont(font)
        button = QPushButton("Save As\u2026", indicator)
        button.setObjectName("autosave-off-save-as")
        button.clicked.connect(lambda _checked=False: self.save_as())
        layout.addWidget(self.autosave_off_label)
        layout.addWidget(button)
        self.window.statusBar().addPermanentWidget(indicator)
        indicator.hide()
        return indicator

    def _show_autosave_trouble(self, reason: str) -> None:
        self.autosave_off_label.setText(f"\u26a0 Autosave is off: {reason}" if reason else "")
        # Rich text (<p>) of escaped text: the folder's name shows as it is.
        self.autosave_off.setToolTip("<p>" + as_html(
            f"Unsaved changes are not being autosaved to {self.autosave.directory} "
            f"({reason}). Save your work with Save As elsewhere; autosave tries again every "
            f"few seconds and this goes away once it writes.", 600) + "</p>" if reason else "")
        self.autosave_off.setVisible(bool(reason))

    # --- title and messages ------------------------------------------------------------

    def display_name(self) -> str:
        return self.path.name if self.path else "Untitled"

    def update_title(self) -> None:
        scenario = self.workspace.binding.scenario.name
        self.window.setWindowTitle(f"{scenario} \u2014 {self.display_name()}[*] \u2014 {APP_NAME}")
        if self.window.isWindowModified() != self.workspace.is_modified:
            # Set only when it changes: Qt retitles the window and sends an event each time.
            self.window.setWindowModified(self.workspace.is_modified)

    def show_error(self, title: str, message: str) -> QMessageBox:
        self.window.statusBar().showMessage(shortened(message, 200), STATUS_MS)
        box = message_box(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok,
                          self.window)
        box.setObjectName("file-error")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    # --- unsaved changes ---------------------------------------------------------------

    def maybe_save(self, then: Callable[[], None], doing: str) -> None:
        """Run `then` once unsaved work is saved or knowingly discarded."""
        if not self.workspace.is_modified:
            then()
            return
        box = message_box(QMessageBox.Icon.Question, "Unsaved changes",
                          f"Save the changes to \u201c{self.display_name()}\u201d before "
                          f"{doing}?", QMessageBox.StandardButton.Save
                          | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self.window)
        box.setObjectName("unsaved-changes")
        box.setInformativeText("Your changes are lost if you don't save them.")
        box.setDefaultButton(QMessageBox.StandardButton.Save)

        def answered(_result) -> None:
            role = box.standardButton(box.clickedButton())
            box.deleteLater()
            if role == QMessageBox.StandardButton.Save:
                self.save(then)
            elif role == QMessageBox.StandardButton.Discard:
                then()
        box.finished.connect(answered)
        box.open()

    def eventFilter(self, watched, event) -> bool:
        # Each event to the window passes here (its paints): the class first.
        if isinstance(event, QCloseEvent) and watched is self.window:
            if self._closing or not self.workspace.is_modified:
                self._closed_cleanly()
                return False
            event.ignore()
            self.maybe_save(self._close_now, "closing")
            return True
        return False

    def _close_now(self) -> None:
        self._closing = True
        self.window.close()

    def _closed_cleanly(self) -> None:
        self.settings.save_window(self.window)
        self.autosave.stop()

    # --- new, open, save -----------------------------------------------------------------

    def new(self) -> None:
        self.maybe_save(self._new, "starting a new scenario")

    def _new(self) -> None:
        self.path = None
        self.stamp = None
        self.workspace.load(ScenarioSet((default_scenario(),), 0))

    def open_dialog(self) -> None:
        self.maybe_save(self._ask_open_path, "opening another file")

    def _ask_open_path(self) -> QFileDialog:
        dialog = self._file_dialog("Open scenarios", QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([FILE_FILTER.split(";;")[0], "Exported workbooks (*.xlsx)",
                               "All files (*)"])
        dialog.fileSelected.connect(self.open_in_background)
        dialog.open()
        return dialog

    def open_path(self, path: str | os.PathLike) -> None:
        """Open a file, asking first about unsaved work (Open Recent)."""
        self.maybe_save(lambda: self.open_in_background(path), "opening another file")

    def open_in_background(self, path: str | os.PathLike) -> BackgroundRead:
        """File > Open: the file is read on a worker thread (progress, Cancel),
        then shown; on a bad file, say why and keep what was shown."""
        path = Path(path)
        self.window.statusBar().showMessage(shortened(f"Reading {path}\u2026", 200), STATUS_MS)
        return read_in_background(
            self.window, f"Reading {shortened(path.name, 80)}\u2026",
            lambda _check: self._read(path), lambda read: self._show_read(path, read),
            lambda error: self._not_read(path, error),
            lambda: self.window.statusBar().showMessage(
                shortened(f"Not opened: reading {path} was cancelled", 200), STATUS_MS))

    def load_file(self, path: str | os.PathLike) -> bool:
        """Read a file and show its scenarios, here and now (the command line's
        file at start, tests); on a bad file, say why and keep what was shown."""
        from core.workbook_import import WorkbookImportError   # only when one is opened
        path = Path(path)
        try:
            read = self._read(path)
        except (ScenarioFileError, WorkbookImportError) as error:
            self._not_read(path, error)
            return False
        self._show_read(path, read)
        return True

    @staticmethod
    def _read(path: Path):
        """What a file holds (either thread; changes nothing): ("workbook",
        scenario, results) or ("scenarios", stamp, ScenarioSet, results), with the
        shown scenario's results computed here too (on the worker: a scenario of
        6,000 tranches takes half a second)."""
        if path.suffix.lower() in (".xlsx", ".xlsm"):  # an exported workbook's inputs
            from core.workbook_import import read_workbook_scenario
            scenario = read_workbook_scenario(path)
            return ("workbook", scenario, compute(scenario))
        stamp = stamp_of(path)
        scenarios = read_scenarios(path)
        return ("scenarios", stamp, scenarios, compute(scenarios.current))

    def _not_read(self, path: Path, error: BaseException) -> None:
        from core.workbook_import import WorkbookImportError
        if isinstance(error, WorkbookImportError):
            box = self.show_error("Cannot open workbook", f"Not opened: {error}")
            box.setDetailedText("\n".join(error.details()))
            return
        if not isinstance(error, ScenarioFileError):
            raise error   # a bug, not a bad file: let it be seen
        self.show_error("Cannot open file", f"Not opened: {error}")
        if not path.exists():
            self.settings.remove_recent_file(str(path.absolute()))

    def _show_read(self, path: Path, read) -> None:
        if read[0] == "workbook":
            from ui.widgets.import_dialog import show_workbook
            show_workbook(self, path, read[1], read[2])
            return
        _, stamp, scenarios, results = read
        self.path = path.absolute()
        self.stamp = stamp
        self.workspace.load(scenarios, results=results)
        self.settings.add_recent_file(self.path)
        self.update_title()
        self.window.statusBar().showMessage(shortened(f"Opened {self.path}", 200), STATUS_MS)

    def save(self, then: Callable[[], None] | None = None) -> bool:
        if self.path is None:
            self.save_as(then)
            return False
        return self.save_to(self.path, then)

    def save_as(self, then: Callable[[], None] | None = None) -> QFileDialog:
        dialog = self._file_dialog("Save scenarios as", QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(FILE_SUFFIX.lstrip("."))
        dialog.selectFile(self.path.name if self.path else
                          f"{self.workspace.binding.scenario.name}{FILE_SUFFIX}")
        dialog.fileSelected.connect(lambda chosen: self.save_to(chosen, then))
        dialog.open()
        return dialog

    def save_to(self, path: str | os.PathLike, then: Callable[[], None] | None = None,
                overwrite_changes: bool = False) -> bool:
        """Save; False if not saved (a message says why, or a question is open
        about a file another program changed)."""
        path = Path(path)
        # The file this window opened or saved must be as it left it (Save As
        # to another file has had the dialog's own overwrite question).
        same_file = self.path is not None and path.absolute() == self.path
        expected = self.stamp if same_file and not overwrite_changes else None
        try:
            stamp = write_scenarios(self.workspace.scenario_set(), path, expected=expected)
        except ScenarioFileChanged:
            self.ask_overwrite_changed(path, then)
            return False
        except ScenarioSaveError as error:
            self.show_error("Cannot save file", str(error))
            return False
        self.path = path.absolute()
        self.stamp = stamp
        self.workspace.mark_saved()
        self.settings.add_recent_file(self.path)
        self.update_title()
        self.window.statusBar().showMessage(shortened(f"Saved {self.path}", 200), STATUS_MS)
        if then is not None:
            then()
        return True

    def ask_overwrite_changed(self, path: Path, then: Callable[[], None] | None) -> QMessageBox:
        """Another program changed the file since it was opened or saved here."""
        box = message_box(QMessageBox.Icon.Warning, "File changed on disk",
                          f"\u201c{path.name}\u201d was changed by another program since you "
                          f"opened or last saved it. Replace it with your version, losing "
                          f"those changes?", QMessageBox.StandardButton.NoButton, self.window)
        box.setObjectName("file-changed")
        replace = box.addButton("Replace", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Save As\u2026", QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)

        def answered(_result) -> None:
            chosen = box.clickedButton()
            box.deleteLater()
            if chosen is replace:
                self.save_to(path, then, overwrite_changes=True)
            elif chosen is not cancel and chosen is not None:
                self.save_as(then)
        box.finished.connect(answered)
        box.open()
        return box

    def _file_dialog(self, caption: str, mode) -> QFileDialog:
        start = str(self.path.parent) if self.path else str(Path.home())
        dialog = QFileDialog(self.window, caption, start, FILE_FILTER)
        dialog.setObjectName("scenario-file-dialog")
        dialog.setAcceptMode(mode)
        # Qt's own dialog: the same on every platform, and drivable in tests.
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        return dialog

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = self.settings.recent_files()
        for path in files:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
        self.recent_menu.setEnabled(bool(files))

    # --- recovery -------------------------------------------------------------------------

    def offer_recovery(self) -> QMessageBox | None:
        """After a crash: offer the newest autosaved session left behind."""
        sessions = [s for s in find_recoverable(self.autosave.directory)
                    if s.scenarios_path != self.autosave.path]
        if not sessions:
            return None
        session = sessions[0]
        when = dt.datetime.fromtimestamp(session.saved_at).strftime("%Y-%m-%d %H:%M")
        origin = f"from \u201c{Path(session.source).name}\u201d" if session.source else "(never saved)"
        # A read-only or full autosave folder is said here too: what is recovered
        # cannot be autosaved again until it is writable.
        trouble = (f" Autosave is off ({self.autosave.trouble}, in {self.autosave.directory}): "
                   f"save the recovered work with Save As." if self.autosave.trouble else "")
        box = message_box(QMessageBox.Icon.Question, "Recover unsaved work",
                          f"Compute Deal Modeler did not close cleanly. Recover the scenarios "
                          f"autosaved at {when} {origin}?{trouble}",
                          QMessageBox.StandardButton.NoButton, self.window)
        box.setObjectName("recover-session")
        recover = box.addButton("Recover", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(recover)

        def answered(_result) -> None:
            chosen = box.clickedButton()
            box.deleteLater()
            if chosen is recover:
                self.recover(session)
            else:
                session.remove()
        box.finished.connect(answered)
        box.open()
        return box

    def recover(self, session) -> bool:
        try:
            scenarios = session.read()
        except ScenarioFileError as error:
            self.show_error("Cannot recover", f"Not recovered: {error}")
            return False
        self.path = Path(session.source) if session.source else None
        self.stamp = None   # whatever is on disk now: the user chooses by saving
        self.workspace.load(scenarios, modified=True)   # unsaved until the user saves
        session.remove()
        self.autosave.save_now()
        self.update_title()
        return True


def clean_temporaries(autosave_dir: Path, settings: AppSettings) -> int:
    """Remove temporaries left by saves that were killed midway: in the autosave
    folder and the folders of recent files (where saves go)."""
    folders = {Path(autosave_dir)} | {Path(f).parent for f in settings.recent_files()}
    return sum(clean_stale_temporaries(folder) for folder in folders)


def install_edit_menu(window, workspace: Workspace) -> tuple[QAction, QAction]:
    """Edit > Undo and Redo of the workspace's undo group."""
    undo = workspace.undo_group.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo = workspace.undo_group.createRedoAction(window, "&Redo")
    # Ctrl+Shift+Z everywhere (Qt's standard Redo is Ctrl+Y on Windows).
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    window.edit_menu.addAction(undo)
    window.edit_menu.addAction(redo)
    window.edit_menu.menuAction().setVisible(True)
    # A slider drag is one step, however long the user lingers mid-drag.
    def group_drags(root) -> None:
        for slider in root.findChildren(QSlider):
            if not slider.property("drag_is_one_step"):   # once a slider
                slider.setProperty("drag_is_one_step", True)
                slider.sliderPressed.connect(workspace.recorder.begin_drag)
                slider.sliderReleased.connect(workspace.recorder.end_drag)
    group_drags(window)
    # Tabs are built when first shown (ui/main_window.py): theirs when they are.
    for_each_tab_page = getattr(window, "for_each_tab_page", None)
    if for_each_tab_page is not None:
        for_each_tab_page(group_drags)
    return undo, redo
