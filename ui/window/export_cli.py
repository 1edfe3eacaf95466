"""`python main.py export [SCENARIO] --out PATH [--force] [--each-plot]`.

The format is PATH's suffix: .csv, .xlsx and .pptx are written without Qt;
.png and .pdf draw the app's views, on Qt's offscreen platform when there is
no display.  Errors are one line on stderr: exit 2 for bad arguments, a bad
scenario file or an existing file without --force; exit 1 when the file
cannot be written (unwritable folder, disk full: the previous file is kept,
nothing is printed on stdout).  Every format is written through
core.safe_write and its bytes checked before it replaces anything.
"""
from __future__ import annotations

import os
import sys

EXIT_CANNOT_WRITE = 1
EXIT_USAGE = 2


def add_export_command(commands) -> None:
    export = commands.add_parser(
        "export", help="export to PDF, Excel, PowerPoint, PNG or CSV (format from --out)")
    export.add_argument("scenario", nargs="?", metavar="SCENARIO",
                        help="a scenario file (default: the reference deal)")
    export.add_argument("--out", required=True, metavar="PATH",
                        help="the file to write: .pdf, .xlsx, .pptx, .png or .csv")
    export.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    export.add_argument("--each-plot", action="store_true",
                        help="with .png: one image per plot, PATH-<tab>-<plot>.png")
    export.add_argument("--perspective", choices=("buyer", "provider", "both"), default="both",
                        help="with .pdf / .pptx: whose story the report and deck tell "
                             "(default: both)")
    export.add_argument("--no-simulation", action="store_true",
                        help="with .pdf / .pptx: show the tornado alone rather than run the "
                             "simulation (10,000 paths, seed 1) for the risk section")


def _scenario(path: str | None):
    if path is None:
        from core.presets import default_scenario
        return default_scenario()
    from core.scenario_file import load_scenario
    return load_scenario(path)


def _fail(message: str, code: int, command: str = "export") -> int:
    sys.stderr.write(f"main.py {command}: error: {message}\n")
    return code


def run_export(args) -> int:
    from core.export.files import QT_FREE_FORMATS, write_file_export
    from core.export.target import ExportError, TargetExists, export_format
    from core.scenario_file import ScenarioFileError
    try:
        kind = export_format(args.out)
        if args.each_plot and kind != "png":
            return _fail("--each-plot goes with a .png file", EXIT_USAGE)
        scenario = _scenario(args.scenario)
        if kind in QT_FREE_FORMATS:
            from core.engine import compute
            results = compute(scenario)
            sections = _pack(results, args) if kind == "pptx" else None
            written = [write_file_export(results, args.out, args.force, sections=sections)
                       and args.out]
        else:
            written = _export_with_views(scenario, args)
    except ScenarioFileError as error:
        return _fail(str(error), EXIT_USAGE)
    except TargetExists as error:
        return _fail(str(error), EXIT_USAGE)
    except ExportError as error:
        code = EXIT_USAGE if "must end in" in str(error) else EXIT_CANNOT_WRITE
        return _fail(str(error), code)
    for path in written:
        print(path)
    return 0


def _pack(results, args):
    """The board pack for the command line's perspective, tabs as ui/registry.py
    lists them (a file's one scenario: no comparison)."""
    from core.export.pack import PackInputs, board_pack, risk_analysis
    from ui.boardroom.board_pack import exported_tab_keys
    risk = risk_analysis(results, args.perspective, run_simulation=not args.no_simulation)
    return board_pack(PackInputs(results, args.perspective, risk), exported_tab_keys())


def _quiet_application():
    """The QApplication the views draw in, on the offscreen platform without a
    display; Qt's own warnings silenced (the command's one line says what happened)."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    def quiet(kind, _context, message) -> None:
        # Qt's own warnings ("libpng error: Write Error", platform notes) are not
        # for the user: the one line of run_export says what happened.
        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            sys.stderr.write(f"main.py export: Qt: {message}\n")
    qInstallMessageHandler(quiet)
    return QApplication.instance() or QApplication([sys.argv[0]])


def run_portfolio_export(args) -> int:
    """`main.py portfolio FILE --out PATH [--force]`: the portfolio's report,
    deck or workbook (ui/boardroom/portfolio_export.py); the same exit codes
    as `export`."""
    from core.export.target import ExportError, TargetExists, export_format
    from core.portfolio import read_portfolio
    from core.scenario_file import ScenarioFileError
    try:
        portfolio = read_portfolio(args.file)
        if export_format(args.out) == "pdf":
            _quiet_application()
        from ui.boardroom.portfolio_export import export_portfolio
        written = export_portfolio(portfolio, args.out, args.force, paths=args.paths,
                                   seed=args.seed)
    except ScenarioFileError as error:
        return _fail(str(error), EXIT_USAGE, "portfolio")
    except TargetExists as error:
        return _fail(str(error), EXIT_USAGE, "portfolio")
    except ExportError as error:
        usage = "must end in" in str(error) or "a portfolio exports to" in str(error)
        return _fail(str(error), EXIT_USAGE if usage else EXIT_CANNOT_WRITE, "portfolio")
    print(written)
    return 0


def _export_with_views(scenario, args) -> list:
    app = _quiet_application()
    from ui.boardroom.export_files import export_to_file
    from ui.boardroom.export_views import settle
    from ui.main_window import MainWindow
    from ui.look.themes import configure_pyqtgraph
    configure_pyqtgraph()
    window = MainWindow(scenario)
    if args.perspective in ("buyer", "provider"):
        # The window viewed as the side asked for: its tabs follow (Risk, Solve and sweep).
        window.key_figures.switch.set_perspective(args.perspective)
    window.resize(1600, 1000)
    window.show()
    settle()
    try:
        return export_to_file(window, args.out, args.force, args.each_plot,
                              perspective=args.perspective,
                              run_simulation=not args.no_simulation)
    finally:
        window.hide()   # not close(): closing may ask about unsaved work
        app.processEvents()
