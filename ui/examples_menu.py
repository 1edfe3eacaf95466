"""File > Examples: load a deal from the sample gallery (core/examples.py).

Loading goes through the binding layer (`set_scenario`), so every input,
plot and figure follows.  An example replaces the scenario in the window: if
the user has edited it since it was opened or last loaded, we ask first, so
no work is thrown away by a stray click.
"""
from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox

from core.examples import Example, all_examples
from core.formatting import format_money


class ExamplesMenu(QMenu):
    def __init__(self, window):
        super().__init__("E&xamples", window)
        self.window = window
        self.binding = window.binding
        # The scenario as last opened or loaded: edits since then would be lost.
        self.loaded = window.binding.scenario
        self.setToolTipsVisible(True)
        for item in all_examples():
            action = QAction(item.title, self)
            action.setObjectName(f"example:{item.key}")
            tip = f"{item.summary}\nAssumed: {'; '.join(item.assumptions)}."
            action.setToolTip(tip)
            action.setStatusTip(item.summary)
            action.triggered.connect(lambda _checked=False, e=item: self.load(e))
            self.addAction(action)

    def action_for(self, key: str) -> QAction:
        return next(a for a in self.actions() if a.objectName() == f"example:{key}")

    def has_unsaved_edits(self) -> bool:
        return self.binding.scenario != self.loaded

    def confirm_replace(self, item: Example) -> bool:
        answer = QMessageBox.question(
            self.window, "Load example",
            f"Load the example \u201c{item.title}\u201d?\n\nIt replaces the scenario in this "
            f"window; your edits to \u201c{self.binding.scenario.name}\u201d will be lost.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def load(self, item: Example) -> bool:
        """Show an example in the window; False if the user kept their edits."""
        if self.has_unsaved_edits() and not self.confirm_replace(item):
            return False
        self.loaded = item.scenario
        self.binding.set_scenario(item.scenario)
        from ui.main_window import APP_NAME  # here: main_window installs this menu
        self.window.setWindowTitle(f"{item.scenario.name} \u2014 {APP_NAME}")
        self.window.statusBar().showMessage(
            f"Loaded example: {item.title}, reported {format_money(item.reported_total)}. "
            f"Assumed: {'; '.join(item.assumptions)}.", 15000)
        return True


def install_examples_menu(window) -> ExamplesMenu:
    """Add File > Examples above File > Quit."""
    menu = ExamplesMenu(window)
    window.examples_menu = menu
    window.file_menu.insertMenu(window.quit_action, menu)
    window.file_menu.insertSeparator(window.quit_action)
    return menu
