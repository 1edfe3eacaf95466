"""File > Export...: choose a file, its type names the format.  An existing
file is overwritten only after the user says so; errors are shown in a
message box, never as a traceback."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from core.export.target import ExportError, TargetExists, check_target, export_format
from ui.boardroom.export_files import export_to_file
from ui.widgets.plain_text import message_box, shortened

FILTERS = {
    "pdf": "PDF report (*.pdf)",
    "xlsx": "Excel workbook, live formulas (*.xlsx)",
    "pptx": "PowerPoint deck (*.pptx)",
    "png": "PNG image of the current view (*.png)",
    "png-each": "PNG images, one per plot (*.png)",
    "csv": "Monthly schedule as CSV (*.csv)",
}


def _suffix_for(chosen_filter: str) -> tuple[str, bool]:
    for key, text in FILTERS.items():
        if text == chosen_filter:
            return (".png", True) if key == "png-each" else (f".{key}", False)
    return ".pdf", False


def ask_and_export(window) -> list[Path] | None:
    """The File > Export... dialog and what follows it."""
    name = window.binding.scenario.name
    path, chosen = QFileDialog.getSaveFileName(
        window, "Export", str(Path.home() / f"{name}.pdf"), ";;".join(FILTERS.values()),
        FILTERS["pdf"], QFileDialog.Option.DontConfirmOverwrite)
    if not path:
        return None
    suffix, each_plot = _suffix_for(chosen)
    if Path(path).suffix.lower() not in (".png", ".pdf", ".xlsx", ".pptx", ".csv"):
        path += suffix
    return export_with_confirmation(window, path, each_plot, ask_simulation=ask_to_simulate)


def confirm_overwrite(window, message: str) -> bool:
    box = message_box(QMessageBox.Icon.Question, "Replace the file?",
                      f"{message.split(' (use --force')[0]}.\n\nReplace it?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, window)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Yes


def show_export_error(window, title: str, message: str) -> None:
    """The one message of a failed export: plain text, shortened."""
    box = message_box(QMessageBox.Icon.Warning, title, message, parent=window)
    box.setObjectName("export-error")
    box.exec()


def ask_to_simulate(window) -> bool:
    """Whether the report's risk section may run the simulation (none has run on
    this scenario); No gives the tornado alone."""
    box = message_box(QMessageBox.Icon.Question, "Run the simulation?",
                      "No simulation has run on this scenario. Run one for the risk section "
                      "(10,000 paths, seed 1, the Risk tab's default ranges)?\n\n"
                      "No: the risk section shows the tornado alone.",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, window)
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    return box.exec() == QMessageBox.StandardButton.Yes


def export_with_confirmation(window, path: str, each_plot: bool = False,
                             confirm=confirm_overwrite, ask_simulation=None
                             ) -> list[Path] | None:
    """Export; if a file exists, ask before replacing it.  None if not done.
    With `ask_simulation` (the File > Export... dialog passes ask_to_simulate),
    a report or deck made before any simulation of the scenario asks whether
    to run one; without it the simulation runs."""
    try:
        run_simulation = True
        if export_format(path) in ("pdf", "pptx"):
            check_target(path, True)    # a bad place is refused before any question
            from ui.boardroom.board_pack import current_simulation, window_perspective
            if ask_simulation is not None and current_simulation(
                    window, window_perspective(window)) is None:
                run_simulation = ask_simulation(window)
        try:
            written = export_to_file(window, path, overwrite=False, each_plot=each_plot,
                                     run_simulation=run_simulation)
        except TargetExists as exists:
            if not confirm(window, str(exists)):
                window.statusBar().showMessage("Export cancelled: the existing file is kept.",
                                               6000)
                return None
            written = export_to_file(window, path, overwrite=True, each_plot=each_plot,
                                     run_simulation=run_simulation)
    except ExportError as error:
        window.statusBar().showMessage(shortened(f"Export failed: {error}"), 8000)
        show_export_error(window, "Export failed", str(error))
        return None
    shown = written[0] if len(written) == 1 else f"{len(written)} files beside {written[0]}"
    window.statusBar().showMessage(f"Exported {shown}", 8000)
    return written


def add_export_action(window) -> QAction:
    """File > Export... (Ctrl+E), above File > Quit."""
    action = QAction("&Export...", window)
    action.setShortcut(QKeySequence("Ctrl+E"))
    action.setStatusTip("Export a PDF report, an Excel workbook, a PowerPoint deck, PNG or CSV")
    action.triggered.connect(lambda: ask_and_export(window))
    window.file_menu.insertAction(window.quit_action, action)
    window.file_menu.insertSeparator(window.quit_action)
    return action


PORTFOLIO_FILTERS = {
    "pdf": "PDF report of the portfolio (*.pdf)",
    "pptx": "PowerPoint deck of the portfolio (*.pptx)",
    "xlsx": "Excel workbook of the portfolio (*.xlsx)",
}


def export_portfolio_with_confirmation(window, path: str, confirm=confirm_overwrite
                                       ) -> Path | None:
    """Export the book the Portfolio tab shows (the open scenarios added up),
    its joint simulation on the tab's paths and seed (the same seed gives the
    tab's figures); if the file exists, ask before replacing it.  None if not done."""
    from ui.boardroom.portfolio_export import export_portfolio
    window.binding.flush()
    page = window.tab("portfolio")
    page.refresh()                       # the book as it is now, even if the tab is hidden
    try:
        try:
            written = export_portfolio(page.portfolio, path, overwrite=False,
                                       paths=page.paths.value(), seed=page.seed.value())
        except TargetExists as exists:
            if not confirm(window, str(exists)):
                window.statusBar().showMessage("Export cancelled: the existing file is kept.",
                                               6000)
                return None
            written = export_portfolio(page.portfolio, path, overwrite=True,
                                       paths=page.paths.value(), seed=page.seed.value())
    except ExportError as error:
        window.statusBar().showMessage(shortened(f"Export failed: {error}"), 8000)
        show_export_error(window, "Export failed", str(error))
        return None
    window.statusBar().showMessage(f"Exported the portfolio to {written}", 8000)
    return written


def ask_and_export_portfolio(window) -> Path | None:
    """The File > Export portfolio... dialog and what follows it."""
    path, chosen = QFileDialog.getSaveFileName(
        window, "Export portfolio", str(Path.home() / "portfolio.pdf"),
        ";;".join(PORTFOLIO_FILTERS.values()), PORTFOLIO_FILTERS["pdf"],
        QFileDialog.Option.DontConfirmOverwrite)
    if not path:
        return None
    if Path(path).suffix.lower() not in (".pdf", ".pptx", ".xlsx"):
        path += next((f".{k}" for k, text in PORTFOLIO_FILTERS.items() if text == chosen), ".pdf")
    return export_portfolio_with_confirmation(window, path)


def add_portfolio_export_action(window) -> QAction:
    """File > Export portfolio..., below File > Export...: the Portfolio tab's book."""
    action = QAction("Export &portfolio...", window)
    action.setStatusTip("Export the Portfolio tab's book (the open scenarios added up) as a "
                        "PDF report, a PowerPoint deck or an Excel workbook")
    action.triggered.connect(lambda: ask_and_export_portfolio(window))
    actions = window.file_menu.actions()
    after = actions.index(window.export_action) + 1
    window.file_menu.insertAction(actions[after] if after < len(actions) else None, action)
    return action
