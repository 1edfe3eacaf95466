"""File > New / Open / Open Recent / Save / Save As, the unsaved-changes
prompt, the window title, settings and autosave, installed on a MainWindow
by `install_file_actions(window)`.

Prompts and file dialogs are window-modal and non-blocking (`open()`, then a
callback), so nothing waits in a nested event loop: closing a window with
unsaved work ignores the close, asks, and closes once the user has chosen.
A file that cannot be opened is reported in a message naming the file and
the field; the window keeps what it had and the file is not touched.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QSlider

from core.presets import default_scenario
from core.scenario_file import (FILE_SUFFIX, ScenarioFileError, ScenarioSaveError, ScenarioSet,
                                read_scenarios, write_scenarios)
from ui.comparison import install_comparison
from ui.recovery import Autosave, default_autosave_dir, find_recoverable
from ui.settings import AppSettings
from ui.workspace import Workspace

FILE_FILTER = f"Scenario files (*{FILE_SUFFIX} *.json);;All files (*)"
STATUS_MS = 6000


class FileActions(QObject):
    def __init__(self, window, workspace: Workspace, settings: AppSettings, autosave_dir: Path):
        super().__init__(window)
        self.window = window
        self.workspace = workspace
        self.settings = settings
        self.path: Path | None = None
        self._closing = False
        self.autosave = Autosave(workspace, autosave_dir, lambda: self.path, self)
        self.autosave.failed.connect(lambda m: window.statusBar().showMessage(m, STATUS_MS))

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

    # --- title and messages ------------------------------------------------------------

    def display_name(self) -> str:
        return self.path.name if self.path else "Untitled"

    def update_title(self) -> None:
        from ui.main_window import APP_NAME  # main_window installs this module
        scenario = self.workspace.binding.scenario.name
        self.window.setWindowTitle(f"{scenario} \u2014 {self.display_name()}[*] \u2014 {APP_NAME}")
        self.window.setWindowModified(self.workspace.is_modified)

    def show_error(self, title: str, message: str) -> QMessageBox:
        self.window.statusBar().showMessage(message, STATUS_MS)
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok,
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
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes",
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
        if watched is self.window and event.type() == QEvent.Type.Close:
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
        self.workspace.load(ScenarioSet((default_scenario(),), 0))

    def open_dialog(self) -> None:
        self.maybe_save(self._ask_open_path, "opening another file")

    def _ask_open_path(self) -> QFileDialog:
        dialog = self._file_dialog("Open scenarios", QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([FILE_FILTER.split(";;")[0], "Exported workbooks (*.xlsx)",
                               "All files (*)"])
        dialog.fileSelected.connect(self.load_file)
        dialog.open()
        return dialog

    def open_path(self, path: str | os.PathLike) -> None:
        """Open a file, asking first about unsaved work (Open Recent)."""
        self.maybe_save(lambda: self.load_file(path), "opening another file")

    def load_file(self, path: str | os.PathLike) -> bool:
        """Show a file's scenarios; on a bad file, say why and keep what was shown."""
        path = Path(path)
        if path.suffix.lower() in (".xlsx", ".xlsm"):  # an exported workbook's inputs
            from ui.import_dialog import open_workbook
            return open_workbook(self, path)
        try:
            scenarios = read_scenarios(path)
        except ScenarioFileError as error:
            self.show_error("Cannot open file", f"Not opened: {error}")
            if not path.exists():
                self.settings.remove_recent_file(str(path.absolute()))
            return False
        self.path = path.absolute()
        self.workspace.load(scenarios)
        self.settings.add_recent_file(self.path)
        self.update_title()
        self.window.statusBar().showMessage(f"Opened {self.path}", STATUS_MS)
        return True

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

    def save_to(self, path: str | os.PathLike, then: Callable[[], None] | None = None) -> bool:
        path = Path(path)
        try:
            write_scenarios(self.workspace.scenario_set(), path)
        except ScenarioSaveError as error:
            self.show_error("Cannot save file", str(error))
            return False
        self.path = path.absolute()
        self.workspace.mark_saved()
        self.settings.add_recent_file(self.path)
        self.update_title()
        self.window.statusBar().showMessage(f"Saved {self.path}", STATUS_MS)
        if then is not None:
            then()
        return True

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
        box = QMessageBox(QMessageBox.Icon.Question, "Recover unsaved work",
                          f"Compute Deal Modeler did not close cleanly. Recover the scenarios "
                          f"autosaved at {when} {origin}?", QMessageBox.StandardButton.NoButton,
                          self.window)
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
        self.workspace.load(scenarios, modified=True)   # unsaved until the user saves
        session.remove()
        self.autosave.save_now()
        self.update_title()
        return True


def install_file_actions(window, settings: AppSettings | None = None,
                         autosave_dir: Path | None = None) -> FileActions:
    """Scenario list, undo, files, autosave and settings on a MainWindow."""
    settings = settings or AppSettings()
    workspace = Workspace(window.binding, window)
    window.workspace = workspace
    actions = FileActions(window, workspace, settings,
                          autosave_dir if autosave_dir is not None else default_autosave_dir())
    window.file_actions = actions
    _install_edit_menu(window, workspace)
    install_comparison(window, workspace)
    from ui.import_dialog import install_data_actions
    install_data_actions(window)  # File > Import..., table copy, View > Monthly schedule
    settings.restore_window(window)
    return actions


def _install_edit_menu(window, workspace: Workspace) -> None:
    undo = workspace.undo_group.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo = workspace.undo_group.createRedoAction(window, "&Redo")
    # Ctrl+Shift+Z everywhere (Qt's standard Redo is Ctrl+Y on Windows).
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    window.undo_action, window.redo_action = undo, redo
    window.edit_menu.addAction(undo)
    window.edit_menu.addAction(redo)
    window.edit_menu.menuAction().setVisible(True)
    # A slider drag is one step, however long the user lingers mid-drag.
    for slider in window.findChildren(QSlider):
        slider.sliderPressed.connect(workspace.recorder.begin_drag)
        slider.sliderReleased.connect(workspace.recorder.end_drag)
