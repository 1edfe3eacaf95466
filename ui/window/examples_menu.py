"""File > Examples: load a deal from the sample gallery (core/examples.py).

An example opens as a new named scenario beside the user's (Workspace.add),
never over them: the user's scenario stays in the scenario bar, unchanged,
and every input, plot and figure follows the example.  Without a workspace
(or with a full one) the example replaces the scenario shown as one edit
("Replace scenario"), so Edit > Undo brings the user's back.
"""
from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from core.examples import Example, all_examples
from core.formatting import format_money
from ui.app.workspace import WorkspaceError


class ExamplesMenu(QMenu):
    def __init__(self, window):
        super().__init__("E&xamples", window)
        self.window = window
        self.binding = window.binding
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

    def load(self, item: Example) -> None:
        """Open an example as a new scenario beside the user's."""
        workspace = getattr(self.window, "workspace", None)
        try:
            if workspace is None:
                raise WorkspaceError("no workspace")
            workspace.add(item.scenario)
            undo = " Your scenario is still in the scenario bar."
        except WorkspaceError:
            if not self.binding.set_scenario(item.scenario):
                return   # over the workspace budget: the refusal is shown
            undo = " Edit > Undo goes back." \
                if getattr(self.window, "undo_action", None) is not None else ""
        # Short enough for the status bar; the assumptions are in the tooltip.
        self.window.statusBar().showMessage(
            f"Loaded example: {item.scenario.name}, reported "
            f"{format_money(item.reported_total)}; GPUs, power and dates are assumptions "
            f"(see the menu's tooltip).{undo}", 15000)
