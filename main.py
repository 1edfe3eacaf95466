"""Compute Deal Modeler: start the desktop app, or answer on the command line.

    python main.py [--tab TAB]        open the app on the default scenario
    python main.py kpis [--json]      the key figures (JSON: dollars, hours, months)
    python main.py schedule [--csv]   the monthly schedule

Bad arguments give a one-line error and exit code 2.  The command-line paths
never import Qt, so they run on a machine without a screen.
"""
from __future__ import annotations

import argparse
import io
import json
import sys

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument on one line, exit code 2."""

    def error(self, message):
        sys.stderr.write(f"{self.prog}: error: {message} (try --help)\n")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="main.py", description="Compute Deal Modeler")
    parser.add_argument("--tab", choices=("contract", "hardware", "projections", "economics",
                                          "termination", "alternatives"),
                        default="contract", help="the tab the app opens on")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    kpis = commands.add_parser("kpis", help="print the key figures")
    kpis.add_argument("--json", action="store_true", help="as one JSON object")
    schedule = commands.add_parser("schedule", help="print the monthly schedule")
    schedule.add_argument("--csv", action="store_true", help="as CSV, one row a month")
    from ui.export_cli import add_export_command  # no Qt until a .png or .pdf is written
    add_export_command(commands)
    return parser


def kpis_text(as_json: bool) -> str:
    from core.engine import compute
    from core.presets import default_scenario
    figures = compute(default_scenario()).key_figures.as_dict()
    if as_json:
        return json.dumps(figures, indent=2)
    width = max(map(len, figures))
    return "\n".join(f"{name:<{width}}  {value}" for name, value in figures.items())


def schedule_text(as_csv: bool) -> str:
    from core.engine import compute
    from core.presets import default_scenario
    frame = compute(default_scenario()).schedule.to_frame()
    for column in frame.columns:
        if str(frame[column].dtype).startswith("datetime64"):
            frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    if as_csv:
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False, lineterminator="\n")
        return buffer.getvalue().rstrip("\n")
    return frame.to_string(index=False)


def run_app(tab: str) -> int:
    from ui.app import run
    return run(tab)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(argv)
    try:
        if args.command == "kpis":
            print(kpis_text(args.json))
        elif args.command == "export":
            from ui.export_cli import run_export
            return run_export(args)
        elif args.command == "schedule":
            print(schedule_text(args.csv))
        else:
            return run_app(args.tab)
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
