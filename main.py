"""Compute Deal Modeler: start the desktop app, or answer on the command line.

    python main.py [--tab TAB] [--theme THEME]   open the app on the default scenario
    python main.py [--tab TAB] FILE   open the app on a scenario file
    python main.py kpis [--json] [--paths N] [--seed S]
                                      the key figures (JSON: dollars, hours, months),
                                      the rights to walk on N simulated market paths
    python main.py schedule [--csv]   the monthly schedule
    python main.py deals [--json]     the public deals and their unit prices, beside
                                      the scenario's (core/deals.py)
    python main.py portfolio FILE [--json] [--paths N] [--seed S]
                                      a portfolio's key figures: totals, capacity,
                                      walk-away exposure, concentration (core/portfolio.py),
                                      and its joint simulation on N paths (core/portfolio_risk.py)
    python main.py portfolio FILE --out PATH [--force] [--paths N] [--seed S]
                                      its board pack (.pdf, .pptx) or workbook (.xlsx),
                                      the joint simulation's figures with them
    python main.py solve --figure F --target T --vary SECTION.FIELD
                                      the input value that makes a key figure hit
                                      a target (goal seek), as JSON

`kpis`, `schedule` and `solve` also take a scenario FILE.  Bad arguments and bad
files give a one-line error and exit code 2.  The command-line paths
never import Qt, so they run on a machine without a screen.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import sys

from ui.registry import DEFAULT_TAB, TAB_KEYS  # plain Python: no Qt before the app starts

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument on one line, exit code 2."""

    def error(self, message):
        sys.stderr.write(f"{self.prog}: error: {message} (try --help)\n")
        raise SystemExit(EXIT_USAGE)


# ui.look.themes.THEMES's keys (tests/ui/test_theme_contrast.py keeps them equal);
# written out so that parsing the arguments imports no Qt.
THEME_KEYS = ("light", "dark", "high_contrast")


MIN_PATHS, MAX_PATHS = 100, 200_000


def _path_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--paths must be a whole number, got {text!r}") from None
    if not MIN_PATHS <= value <= MAX_PATHS:
        raise argparse.ArgumentTypeError(f"--paths must be between {MIN_PATHS:,} and "
                                         f"{MAX_PATHS:,}, got {value:,}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seed must be a whole number, got {text!r}") from None
    if not 0 <= value < 2 ** 63:
        raise argparse.ArgumentTypeError(f"--seed must be between 0 and 2^63 - 1, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="main.py", description="Compute Deal Modeler")
    parser.add_argument("--tab", choices=TAB_KEYS, default=DEFAULT_TAB,
                        help="the tab the app opens on")
    parser.add_argument("--theme", choices=THEME_KEYS, default=None,
                        help="the theme to open in (remembered; default: the last one used)")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    kpis = commands.add_parser("kpis", help="print the key figures")
    kpis.add_argument("--json", action="store_true", help="as one JSON object")
    kpis.add_argument("file", nargs="?", help="a scenario file (default: the reference deal)")
    kpis.add_argument("--paths", type=_path_count, default=None, metavar="N",
                      help="simulated market paths for the rights to walk (default 20,000)")
    kpis.add_argument("--seed", type=_seed, default=None, metavar="S",
                      help="the simulation's seed (default 20260601)")
    schedule = commands.add_parser("schedule", help="print the monthly schedule")
    schedule.add_argument("--csv", action="store_true", help="as CSV, one row a month")
    schedule.add_argument("file", nargs="?", help="a scenario file (default: the reference deal)")
    deals = commands.add_parser("deals", help="print the public deals and their unit prices")
    deals.add_argument("--json", action="store_true", help="as JSON (figures with label, date, source)")
    deals.add_argument("file", nargs="?", help="a scenario file to compare (default: the reference deal)")
    portfolio = commands.add_parser("portfolio", help="print a portfolio's key figures")
    portfolio.add_argument("file", help="a portfolio file (resources/example_portfolio.json is one)")
    portfolio.add_argument("--json", action="store_true", help="as one JSON object")
    portfolio.add_argument("--paths", type=_path_count, default=None, metavar="N",
                           help="joint simulation paths (default 10,000)")
    portfolio.add_argument("--seed", type=_seed, default=None, metavar="S",
                           help="the joint simulation's seed (default 20260601)")
    portfolio.add_argument("--out", metavar="PATH",
                           help="write the portfolio's board pack (.pdf report, .pptx deck) or "
                                "its workbook (.xlsx) to PATH instead")
    portfolio.add_argument("--force", action="store_true", help="with --out: overwrite PATH")
    solve = commands.add_parser("solve", help="find the input value that makes a figure hit a target")
    solve.add_argument("file", nargs="?", help="a scenario file (default: the reference deal)")
    solve.add_argument("--figure", required=True, help="a key figure, as `kpis --json` names it")
    solve.add_argument("--target", required=True, type=float, help="the figure's target value (a negative one as --target=-5e9)")
    solve.add_argument("--vary", required=True, metavar="SECTION.FIELD",
                       help="the numeric input to vary, e.g. contract.monthly_fee")
    solve.add_argument("--between", nargs=2, type=float, metavar=("LOW", "HIGH"),
                       help="search this part of the input's range only")
    from ui.window.export_cli import add_export_command  # no Qt until a .png or .pdf is written
    add_export_command(commands)
    return parser


def load_scenario_or_default(path: str | None):
    """The active scenario of a file (ScenarioFileError if bad), or the reference deal."""
    if path is None:
        from core.presets import default_scenario
        return default_scenario()
    from core.scenario_file import load_scenario
    return load_scenario(path)


def kpis_text(as_json: bool, path: str | None = None, paths: int | None = None,
              seed: int | None = None) -> str:
    """The key figures: JSON keyed by field (dollars, hours, months), or one
    line a figure with the label and format every view uses (core.figures);
    then the rights to walk, valued on `paths` simulated market paths from
    `seed` (core/rights.py), with the paths and seed they used."""
    from core import figures, rights
    from core.engine import compute
    scenario = load_scenario_or_default(path)
    results = compute(scenario)
    key_figures = results.key_figures
    paths = rights.FULL_PATHS if paths is None else paths
    seed = rights.DEFAULT_SEED if seed is None else seed
    simulated = rights.value_rights(scenario, paths, seed).key_figures()
    if as_json:
        out = key_figures.as_dict()
        out.update(results.credit.as_dict())
        out.update(simulated)
        out["market_simulation"] = {"paths": paths, "seed": seed}
        return json.dumps(out, indent=2)
    rows = [(o.label, o.format(getattr(key_figures, key)))
            for key, o in figures.KEY_FIGURES.items()]
    rows += [(o.label, o.format(getattr(results.credit, key)))
             for key, o in figures.CREDIT_FIGURES.items()]
    rows += [(o.label, o.format(simulated[key])) for key, o in figures.MARKET_FIGURES.items()]
    rows.append(("Market simulation", f"{paths:,} paths, seed {seed}"))
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {text}" for label, text in rows)


def schedule_text(as_csv: bool, path: str | None = None) -> str:
    from core.engine import compute
    from core.export.schedule_csv import schedule_frame
    frame = schedule_frame(compute(load_scenario_or_default(path)))
    if as_csv:
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False, lineterminator="\n")
        return buffer.getvalue().rstrip("\n")
    return frame.to_string(index=False)


def deals_text(as_json: bool, path: str | None = None) -> str:
    """The public deals normalised, the scenario's own unit prices and the
    finding (core/deals.py); JSON keeps every figure's label, date and source."""
    import dataclasses
    from core.deals import deals_section, table_text
    from core.engine import compute
    scenario = load_scenario_or_default(path)
    section = deals_section(scenario, compute(scenario))
    if as_json:
        return json.dumps({"deals": section.rows,
                           "scenario": dataclasses.asdict(section.scenario),
                           "findings": [f.sentence for f in section.findings]},
                          indent=2, ensure_ascii=False)
    s = section.scenario
    mine = (f"{s.name}: ${s.per_mw_year / 1e6:,.1f}M per MW-year, ${s.per_gpu_hour:,.2f} per "
            f"GPU-hour" if s.per_mw_year and s.per_gpu_hour else f"{s.name}: no GPUs or MW")
    return "\n".join([table_text(section.rows), "", mine,
                      *[f.sentence for f in section.findings]])


def portfolio_text(as_json: bool, path: str, paths: int | None = None,
                   seed: int | None = None) -> str:
    """A portfolio's key figures (core/portfolio.py): JSON in dollars, months, MW and GPUs;
    then its joint simulation on `paths` paths from `seed` (core/portfolio_risk.py), under
    "simulation" in the JSON, keyed as core/figures.py declares PORTFOLIO_RISK_FIGURES."""
    from core.portfolio import key_figures, key_figures_text, read_portfolio
    from core.portfolio_risk import DEFAULT_PATHS, DEFAULT_SEED, simulate_portfolio
    portfolio = read_portfolio(path)
    figures = key_figures(portfolio)
    risk = simulate_portfolio(portfolio, DEFAULT_PATHS if paths is None else paths,
                              DEFAULT_SEED if seed is None else seed)
    if as_json:
        return json.dumps({**figures, "simulation": risk.as_dict()}, indent=2,
                          ensure_ascii=False)
    return key_figures_text(figures) + "\n" + risk.text()


def solve_text(args) -> str:
    """The goal seek's answer as JSON (core/solve.py); SolveError for a bad request."""
    from core.solve import solve
    low, high = args.between if args.between else (None, None)
    result = solve(load_scenario_or_default(args.file), args.figure, args.target, args.vary,
                   low, high)
    return json.dumps(result.as_dict(), indent=2)


def run_app(tab: str, path: str | None = None, theme: str | None = None) -> int:
    from ui.window.launch import run
    return run(tab, path, theme)


def split_app_file(parser: argparse.ArgumentParser, argv: list[str]):
    """`main.py [--tab T] FILE`: (argv without FILE, FILE or None).  A first
    positional word that is not a command and looks like a path (it exists, or
    has a dot or a slash) is the file to open."""
    commands, takes_value = set(), set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            commands.update(action.choices)
        elif isinstance(action, argparse._StoreAction) and action.option_strings:
            takes_value.update(action.option_strings)
    skip_next = False
    for i, word in enumerate(argv):
        if skip_next:
            skip_next = False
            continue
        if word == "--":
            return argv, None
        if word.startswith("-"):
            # An option of the top level that takes a value (--tab hardware).
            skip_next = "=" not in word and word in takes_value
            continue
        if word in commands:
            return argv, None
        if os.path.exists(word) or "." in word or os.sep in word:
            return argv[:i] + argv[i + 1:], word
        return argv, None
    return argv, None


def main(argv: list[str] | None = None) -> int:
    from core.scenario_file import ScenarioFileError  # plain Python: no Qt
    from core.solve import SolveError
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    argv, app_file = split_app_file(parser, argv)
    args = parser.parse_args(argv)
    try:
        if args.command == "kpis":
            print(kpis_text(args.json, args.file, args.paths, args.seed))
        elif args.command == "export":
            from ui.window.export_cli import run_export
            return run_export(args)
        elif args.command == "schedule":
            print(schedule_text(args.csv, args.file))
        elif args.command == "deals":
            print(deals_text(args.json, args.file))
        elif args.command == "portfolio" and args.out:
            from ui.window.export_cli import run_portfolio_export
            return run_portfolio_export(args)
        elif args.command == "portfolio":
            print(portfolio_text(args.json, args.file, args.paths, args.seed))
        elif args.command == "solve":
            print(solve_text(args))
        else:
            if app_file is not None:
                load_scenario_or_default(app_file)  # a bad file: one line, before any window
            return run_app(args.tab, app_file, args.theme)
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    except (ScenarioFileError, SolveError) as error:  # names the file, field or input
        sys.stderr.write(f"main.py: error: {error}\n")
        return EXIT_USAGE
    return 0


if __name__ == "__main__":
    sys.exit(main())
