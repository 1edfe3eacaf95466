"""The Excel workbook: the deal as a live model an analyst can audit and change.

Sheets:
- Inputs: every parameter (label, value, unit) in blue on pale yellow, each
  value a defined name (contract_monthly_fee, ...), and the record tables
  (GPU models, tranches) core/workbook_import.py reads back;
- Drivers: each tranche's model data (looked up by model name), capex,
  depreciation and age, and the scalar steps every month uses (pricing
  mode, SLA credit, deposit, hazards, term end), as formulas;
- Schedule: one row a month up to the longest term allowed, rows past the
  term blank by formula; every pricing mode, escalator, discount, fee steps,
  SLA credits, deposit, capacity, tokens, both sides' economics,
  termination at every month, the alternatives and the lease amortisation
  (core/export/workbook_schedule.py declares the columns);
- Key figures: every key figure as a formula, beside the app's figure when
  the file was made;
- Termination: notice at any month (an input cell) and what it costs;
- IRR flows: the provider's flows on their dates, for XIRR;
- Checks: sums that must tie and balances that must close; the master
  check is TRUE when the workbook agrees with itself;
- Charts: native charts over the Schedule; App schedule: the app's values;
- Two-way, Two-way model: a key figure over two inputs as live formulas
  (core/export/workbook_grid.py).

Each formula cell also carries the app's value as its cached result where
the app has one, so a reader that does not recalculate still shows the
numbers.  Nothing is pasted in place of a formula.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Sequence

import numpy as np
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from core import figures
from core.engine import Results
from core.export.assumptions import (NOT_IN_WORKBOOK, record_tables, scalar_assumptions,
                                     section_title)
from core.export.workbook_cache import (WorkbookCache, cache_for, key_figure_cached,
                                        workbook_cache)
from core.export.workbook_schedule import (FIRST_ROW, MAX_MONTHS, START, TERM, Column,
                                           Fleet, Refs, columns)
from core.palette import OKABE_ITO, SERIES_ORDER
from core.sweep import SweepSpec
from core.parameters import (BUYER_REVENUE_TOKENS, CAPEX_FOR_DEAL, DEPOSIT_APPLIED,
                             H100_DENSE_BF16_TFLOPS, H100_TOKENS_PER_S, H100E_BY_THROUGHPUT,
                             H100E_BY_WORKLOAD, LEASE_FULL, PARTY_BUYER, PARTY_EITHER,
                             PARTY_NEITHER, PARTY_PROVIDER, PRICING_GPU_HOUR, PRICING_MW_MONTH,
                             SHORT_TERM_TAKEN, WORKLOAD_INFERENCE, ClusterHardware,
                             ContractTerms, Projections, choice_text, field_meta)

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Schedule columns on one printed page (with the month and its start repeated).
COLUMNS_PER_PAGE = 12
INPUT_FILL, INPUT_FONT = "#FFF9E0", "#0000FF"
# Defined names of the key figures that earlier versions of the workbook had.
LEGACY_NAMES = {"price_per_gpu_hour": "PricePerGPUHour", "npv_payments": "NPVPayments",
                "price_per_h100e_hour": "PricePerH100eHour", "provider_irr": "ProviderIRR",
                "provider_npv": "ProviderNPV", "buyer_npv": "BuyerNPV",
                "price_per_mw_month": "PricePerMWMonth", "fleet_it_mw": "FleetITMW",
                "gpus": "GPUs", "h100_equivalents": "H100Equivalents"}
# Excel number formats for core.figures' named formats: negatives in parentheses.
NUMBER_FORMATS = {
    "money": "$#,##0;($#,##0);$0", "money_rate": "$#,##0.00##;($#,##0.00##);$0.00",
    "percent": "0.00%;(0.00%)", "count": "#,##0;(#,##0);0", "number": "#,##0.000;(#,##0.000)",
    "mw": "#,##0.0;(#,##0.0);0.0", "month": "0", "date": "yyyy-mm-dd", "bool": "General",
    "tokens": "#,##0;(#,##0);0", "hours": "#,##0;(#,##0);0", "factor": "0.000000;(0.000000)",
    "flag": "0", "scientific": "0.000E+00;(0.000E+00)", "text": "General"}


def key_figure_name(key: str) -> str:
    """The defined name of a key figure: TotalContractValue, WalkawayExposure, ..."""
    return LEGACY_NAMES.get(key) or "".join(part.capitalize() for part in key.split("_"))


DEFINED_NAMES = tuple(key_figure_name(k) for k in figures.KEY_FIGURES)


def excel_serial(day: dt.date) -> int:
    return (day - EXCEL_EPOCH).days


def _choice(section_cls, name: str, value: str) -> str:
    """The text the Inputs sheet shows for a choice value, quoted for a formula."""
    return '"' + choice_text(field_meta(section_cls, name), value) + '"'


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook):
        self.book = book
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.subtitle = book.add_format({"bold": True, "font_size": 11})
        self.note = book.add_format({"italic": True, "font_color": "#4A5560"})
        self.header = book.add_format({"bold": True, "bottom": 1, "bg_color": "#E8EDF2",
                                       "text_wrap": True, "valign": "top"})
        self.working_header = book.add_format({"bold": True, "bottom": 1, "bg_color": "#F3F3F3",
                                               "font_color": "#4A5560", "italic": True,
                                               "text_wrap": True, "valign": "top"})
        self.input = book.add_format({"font_color": INPUT_FONT, "bg_color": INPUT_FILL})
        self.input_date = book.add_format({"font_color": INPUT_FONT, "bg_color": INPUT_FILL,
                                           "num_format": "yyyy-mm-dd"})
        self.input_money = book.add_format({"font_color": INPUT_FONT, "bg_color": INPUT_FILL,
                                            "num_format": NUMBER_FORMATS["money"]})
        self.input_number = book.add_format({"font_color": INPUT_FONT, "bg_color": INPUT_FILL,
                                             "num_format": "#,##0.####"})
        self.text = book.add_format({"valign": "top"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self._numbers: dict[tuple[str, bool], object] = {}

    def number(self, fmt: str, bold: bool = False):
        """A formula cell (black) in the named format."""
        key = (fmt, bold)
        if key not in self._numbers:
            spec: dict[str, object] = {"num_format": NUMBER_FORMATS[fmt],
                                       "font_color": "#000000", "valign": "top", "bold": bold}
            self._numbers[key] = self.book.add_format(spec)
        return self._numbers[key]

    def for_output(self, key: str, bold: bool = False):
        o = figures.output(key)
        return self.number("scientific" if o.unit == "tokens" else o.fmt, bold)


def write_workbook(results: Results, path, months: int = MAX_MONTHS,
                   two_way: SweepSpec | None = None, rights=None) -> None:
    """Write the workbook to a path or a binary file object (core.export.files
    passes a buffer: the bytes then go to disk through core.safe_write).

    `months`: rows of the schedule, the longest term the workbook can take
    (the longest term allowed; tests pass fewer to recalculate faster).
    `two_way`: the two-way table of the Two-way sheets (core/export/workbook_grid.py);
    None leaves them out (the app's exports always pass one: core.export.files).
    `rights`: the rights to walk as valued (core.rights.RightsValuation); None
    values them here on the full path count and the default seed."""
    if months < results.scenario.contract.term_months:
        raise ValueError(f"the schedule needs at least the term's {results.scenario.contract.term_months} rows")
    book = xlsxwriter.Workbook(path if hasattr(path, "write") else str(path),
                               {"nan_inf_to_errors": True})
    try:
        fmt = _Formats(book)
        inputs = book.add_worksheet("Inputs")
        drivers = book.add_worksheet("Drivers")
        schedule = book.add_worksheet("Schedule")
        key_sheet = book.add_worksheet("Key figures")
        termination = book.add_worksheet("Termination")
        irr_sheet = book.add_worksheet("IRR flows")
        checks = book.add_worksheet("Checks")
        charts = book.add_worksheet("Charts")
        app_sheet = book.add_worksheet("App schedule")
        market_sheet = book.add_worksheet("Market")
        credit_sheet = book.add_worksheet("Credit")
        cache = workbook_cache(results)
        tables = _write_inputs(book, inputs, results, fmt)
        driver_formulas: dict[str, str] = {}
        driver_nodes: dict[str, tuple] = {}
        fleet = _write_drivers(book, drivers, results, fmt, tables, driver_formulas, cache,
                               driver_nodes)
        fleet = _with_plans(book, fleet, tables)
        cols, refs = _write_schedule(book, schedule, results, fmt, fleet, months, cache)
        _write_irr_flows(book, irr_sheet, fmt, refs, cache)
        _write_key_figures(book, key_sheet, results, fmt, refs)
        _write_termination(book, termination, results, fmt, refs, cache)
        from core.export import workbook_credit
        _write_checks(book, checks, fmt, refs, fleet, workbook_credit.credit_checks(),
                      workbook_credit.against_app(results))
        _write_charts(book, charts, results, refs, len(fleet.names))
        _write_app_schedule(app_sheet, results, fmt)
        _write_market(market_sheet, results, fmt, rights)
        workbook_credit.write_credit(book, credit_sheet, results, fmt, refs, cache)
        if two_way is not None:
            from core.export.workbook_grid import write_grid
            write_grid(book, fmt, two_way, cols, refs, driver_formulas, key_figure_formulas(refs),
                       {a.key for a in scalar_assumptions(results.scenario)
                        if a.section not in NOT_IN_WORKBOOK},
                       f"'Key figures'!$B${5 + list(figures.KEY_FIGURES).index(two_way.figure)}",
                       _BlockValues(results, driver_nodes))
        from core.export.workbook_cases import write_cases
        write_cases(book, fmt, results, _page_setup)
        book.set_properties({"title": f"{results.scenario.name}: compute lease model",
                             "comments": "Made by Compute Deal Modeler"})
    finally:
        book.close()


def _write_market(sheet, results: Results, fmt: _Formats, rights) -> None:
    """The simulated market's figures (core/rights.py) as values, labelled with
    their paths and seed, and a check that the inputs they were simulated on
    are still the Inputs sheet's (the curve and mark-to-market are formulas on
    the Schedule; these values cannot follow an edit)."""
    from core import rights as rights_model
    from core.export.assumptions import scalar_assumptions
    scenario = results.scenario
    if rights is None:
        rights = rights_model.value_rights(scenario)
    sheet.write(0, 0, f"Market: {scenario.name}", fmt.title)
    sheet.write(1, 0, f"Each side's right to walk, by least-squares Monte Carlo on "
                      f"{rights.paths:,} simulated market paths, seed {rights.seed} "
                      f"(values, not formulas: the app computes them). The forward curve and "
                      f"the mark-to-market are formulas on the Schedule.", fmt.note)
    sheet.write_row(3, 0, ["Figure", "Value", "Unit", "Definition"], fmt.header)
    row = 4
    for key, value in rights.key_figures().items():
        o = figures.output(key)
        sheet.write(row, 0, o.label, fmt.text)
        sheet.write_number(row, 1, value, fmt.for_output(key))
        sheet.write(row, 2, o.unit)
        sheet.write(row, 3, o.definition, fmt.wrap)
        row += 1
    inputs = [a for a in scalar_assumptions(scenario) if a.section == "market"]
    same = ",".join(f'{a.key}="{a.value}"' if isinstance(a.value, str) else f"{a.key}={a.value!r}"
                    for a in inputs)
    row += 1
    sheet.write(row, 0, "Simulated on these market inputs", fmt.text)
    sheet.write_formula(row, 1, f'=IF(AND({same}),"yes","no: the inputs changed since; export '
                                f'again from the app")', fmt.text, "yes")
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 18)
    sheet.set_column(3, 3, 90)
    _page_setup(sheet, row, 3)


class _BlockValues:
    """The cached results of a two-way grid cell's block: the engine run with
    the cell's two inputs (core.export.workbook_grid asks for them)."""

    def __init__(self, results: Results, driver_nodes: dict[str, tuple]):
        self.results = results
        self.driver_nodes = driver_nodes

    def base(self, figure: str):
        return key_figure_cached(self.results.key_figures.as_dict().get(figure))

    def at(self, scenario) -> tuple[WorkbookCache, dict[str, tuple]]:
        return cache_for(scenario), self.driver_nodes


def _page_setup(sheet, last_row: int, last_col: int, *, repeat_rows: int | None = None,
                fit_width: int = 1) -> None:
    """Landscape, fit to `fit_width` pages wide, with a print area and header rows."""
    sheet.set_landscape()
    sheet.set_paper(9)                      # A4; Letter prints the same at fit-to-width
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.print_area(0, 0, last_row, last_col)
    sheet.fit_to_pages(fit_width, 0)
    if repeat_rows is not None:
        sheet.repeat_rows(0, repeat_rows)
    sheet.set_footer("&L&A&RPage &P of &N")


# --- Inputs -------------------------------------------------------------------------------

def _write_inputs(book, sheet, results: Results, fmt: _Formats) -> dict:
    """Writes the Inputs sheet; returns each record table's columns as absolute
    ranges ({"gpu_models": {"name": "Inputs!$A$40:$A$44", ...}, "tranches": ...})
    and each tranche's cells ({"tranche_rows": [{"name": "Inputs!$A$48", ...}]})."""
    scenario = results.scenario
    sheet.write(0, 0, f"Inputs: {scenario.name}", fmt.title)
    sheet.write(1, 0, "Values in blue on yellow are inputs: change them and every other sheet "
                      "recalculates. Each value has the defined name in column E. Formulas are "
                      "black; the Schedule's working columns are grouped (+ above its headers).",
                fmt.note)
    sheet.write_row(3, 0, ["Section", "Parameter", "Value", "Unit", "Name"], fmt.header)
    row = 4
    for item in scalar_assumptions(scenario):
        if item.section in NOT_IN_WORKBOOK:
            continue
        sheet.write(row, 0, section_title(item.section))
        sheet.write(row, 1, item.label)
        if item.kind == "date":
            sheet.write_datetime(row, 2, item.value, fmt.input_date)
        elif item.kind == "number":
            sheet.write_number(row, 2, item.value,
                               fmt.input_money if item.unit == "$" else fmt.input_number)
        else:
            sheet.write_string(row, 2, str(item.value), fmt.input)
        if item.kind == "choice":
            part = getattr(scenario, item.section)
            meta = field_meta(part, item.name)
            sheet.data_validation(row, 2, row, 2, {
                "validate": "list", "source": [choice_text(meta, v) for v in meta["choices"]]})
        sheet.write(row, 3, item.unit)
        sheet.write(row, 4, item.key)
        book.define_name(item.key, f"=Inputs!{xl_rowcol_to_cell(row, 2, True, True)}")
        row += 1

    tables: dict = {"tranche_rows": []}
    for table in record_tables(scenario):
        row += 1
        sheet.write(row, 0, f"{section_title(table.section)}: {table.title}", fmt.title)
        row += 1
        headers = [f"{label} ({unit})" if unit else label
                   for label, unit in zip(table.columns, table.units)]
        sheet.write_row(row, 0, headers, fmt.header)
        row += 1
        first = row
        for record in table.rows:
            cells = {}
            for col, (value, kind, unit) in enumerate(zip(record, table.kinds, table.units)):
                if kind == "date":
                    sheet.write_datetime(row, col, value, fmt.input_date)
                elif kind == "number":
                    sheet.write_number(row, col, value,
                                       fmt.input_money if unit == "$" else fmt.input_number)
                else:
                    sheet.write_string(row, col, str(value), fmt.input)
                cells[table.fields[col]] = f"Inputs!{xl_rowcol_to_cell(row, col, True, True)}"
            if table.name == "tranches":
                tables["tranche_rows"].append(cells)
            row += 1
        tables[table.name] = {
            field: f"Inputs!{xl_rowcol_to_cell(first, col, True, True)}:"
                   f"{xl_rowcol_to_cell(max(first, row - 1), col, True, True)}"
            for col, field in enumerate(table.fields)}
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 34)
    sheet.set_column(2, 2, 20)
    sheet.set_column(3, 3, 22)
    sheet.set_column(4, 5, 36)
    sheet.freeze_panes(4, 0)
    _page_setup(sheet, row, 5, repeat_rows=3)
    return tables


# Monthly plans on the Inputs sheet: the defined names of their columns, which the
# Schedule's fee and demand formulas look each month up in.
PLAN_NAMES = {"invoice_plan": {"month": "plan_invoice_month", "amount": "plan_invoice_amount"},
              "demand_plan": {"month": "plan_demand_month", "tokens": "plan_demand_tokens"},
              "rent_curve": {"month": "plan_rent_month", "gpu_model": "plan_rent_model",
                             "rent": "plan_rent_value"}}


def _with_plans(book, fleet: Fleet, tables: dict) -> Fleet:
    """Names the columns of the plan tables the Inputs sheet has, and tells the
    Schedule's formulas which plans there are."""
    for kind, names in PLAN_NAMES.items():
        for field, name in names.items():
            if kind in tables:
                book.define_name(name, f"={tables[kind][field]}")
    return dataclasses.replace(fleet, invoice_plan="invoice_plan" in tables,
                               demand_plan="demand_plan" in tables,
                               rent_curve="rent_curve" in tables)


# --- Drivers: the fleet and the scalar steps --------------------------------------------------

_FLEET_COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    # key, header, format
    ("name", "Tranche", None), ("site", "Site", None), ("model", "GPU model", None),
    ("count", "GPU count (GPUs)", "count"), ("online", "Online date", "date"),
    ("kw", "IT power per GPU (kW)", "number"), ("h100e", "H100e per GPU", "number"),
    ("tokens_per_s", "Inference throughput (tokens/s per GPU)", "count"),
    ("capex_per_gpu", "All-in capex per GPU ($)", "money"), ("hbm", "HBM (TB)", "count"),
    ("in_term", "Online within the term", "bool"), ("gpu_capex", "GPU capex ($)", "money"),
    ("facility_capex", "Facility capex ($)", "money"), ("capex", "Capex ($)", "money"),
    ("gpu_rate", "GPU depreciation ($/month)", "money"),
    ("facility_rate", "Facility depreciation ($/month)", "money"),
    ("age", "Months in service at the start", "number"),
    ("book_at_start", "Book value at the start ($)", "money"),
    ("gpus_in_term", "GPUs in the term (GPUs)", "count"),
    ("it_kw_in_term", "IT power in the term (kW)", "count"),
    ("h100e_in_term", "H100e in the term", "number"),
    # The market (core/market.py): the tranche's model's rent row.
    ("rent", "Market rent today ($/GPU-hour)", "money"),
    ("quote_1m", "1-month quote ($/GPU-hour)", "money"),
    ("quote_1y", "1-year quote ($/GPU-hour)", "money"),
    ("quote_3y", "3-year quote ($/GPU-hour)", "money"),
    ("rent_source", "Market rent: label, date, source", None),
)


def _write_drivers(book, sheet, results: Results, fmt: _Formats, tables: dict,
                   formulas_out: dict | None = None, cache: WorkbookCache | None = None,
                   nodes_out: dict | None = None) -> Fleet:
    """`formulas_out`, when given, receives every formula written here (by its
    defined name, or "Drivers!$X$n" for a tranche's cell), for the two-way
    grid (core/export/workbook_grid.py) to re-emit with inputs substituted;
    `nodes_out` what each of them is for a WorkbookCache (WorkbookCache.driver).
    `cache`: the formulas' cached results (None: computed here)."""
    cache = cache or workbook_cache(results)
    nodes = nodes_out if nodes_out is not None else {}
    scenario = results.scenario
    sheet.write(0, 0, "Drivers: the fleet and the steps every month uses", fmt.title)
    sheet.write(1, 0, "Formulas over the Inputs sheet. A tranche takes its model's data by the "
                      "model's name; capex counts only tranches online within the term.", fmt.note)
    col = {key: i for i, (key, _, _) in enumerate(_FLEET_COLUMNS)}
    header_row = 3
    sheet.write_row(header_row, 0, [h for _, h, _ in _FLEET_COLUMNS], fmt.header)
    sheet.set_row(header_row, 45)
    models = tables.get("gpu_models", {})
    rows = tables["tranche_rows"]
    cells: dict[str, list[str]] = {key: [] for key, _, _ in _FLEET_COLUMNS}

    def here(key, r, absolute=False):
        return xl_rowcol_to_cell(r, col[key], absolute, absolute)

    for i, source in enumerate(rows):
        r = header_row + 1 + i

        def lookup(field):
            return f"INDEX({models[field]},MATCH({here('model', r)},{models['name']},0))"

        def rent_lookup(field, missing="0"):
            if "rents" not in tables:
                return missing
            rents = tables["rents"]
            return (f"IFERROR(INDEX({rents[field]},MATCH({here('model', r)},{rents['gpu_model']},0)),"
                    f"{missing})")

        bought_age = (f"IF(drv_capex_bought,0,MAX(0,{START}-{here('online', r)})/(365/12))")
        formulas = {
            "name": f"={source['name']}", "site": f"={source['site']}",
            "model": f"={source['gpu_model']}", "count": f"={source['gpu_count']}",
            "online": f"={source['online_date']}",
            "kw": f"={lookup('it_kw_per_gpu')}",
            "h100e": f"=IF(drv_h100e_by_throughput,{lookup('tokens_per_s')}/{H100_TOKENS_PER_S!r},"
                     f"{lookup('bf16_dense_tflops')}/{H100_DENSE_BF16_TFLOPS!r})",
            "tokens_per_s": f"={lookup('tokens_per_s')}",
            "capex_per_gpu": f"={lookup('capex_per_gpu')}",
            "hbm": f"={here('count', r)}*{lookup('hbm_gb')}/1000",
            "in_term": f"={here('online', r)}<drv_term_end",
            "gpu_capex": f"=IF({here('in_term', r)},{here('count', r)}*{here('capex_per_gpu', r)},0)",
            "facility_capex": f"=IF({here('in_term', r)},{here('count', r)}*{here('kw', r)}/1000"
                              f"*hardware_pue*hardware_facility_capex_per_mw,0)",
            "capex": f"={here('gpu_capex', r)}+{here('facility_capex', r)}",
            "gpu_rate": f"={here('gpu_capex', r)}*(1-hardware_residual_value_pct/100)"
                        f"/drv_gpu_life_months",
            "facility_rate": f"={here('facility_capex', r)}/drv_facility_life_months",
            "age": f"={bought_age}",
            "book_at_start": f"={here('capex', r)}-{here('gpu_rate', r)}*MIN({here('age', r)},"
                             f"drv_gpu_life_months)-{here('facility_rate', r)}*MIN({here('age', r)},"
                             f"drv_facility_life_months)",
            "gpus_in_term": f"=IF({here('in_term', r)},{here('count', r)},0)",
            "it_kw_in_term": f"=IF({here('in_term', r)},{here('count', r)}*{here('kw', r)},0)",
            "h100e_in_term": f"=IF({here('in_term', r)},{here('count', r)}*{here('h100e', r)},0)",
            "rent": f"={rent_lookup('rent_per_gpu_hour')}",
            "quote_1m": f"={rent_lookup('quote_1_month')}",
            "quote_1y": f"={rent_lookup('quote_1_year')}",
            "quote_3y": f"={rent_lookup('quote_3_year')}",
            "rent_source": "=" + (rent_lookup('label', '""') + '&" "&' + rent_lookup('as_of', '""')
                                  + '&", "&' + rent_lookup('source', '"no market rent: priced at 0"')
                                  if "rents" in tables else '"no market rent: priced at 0"'),
        }
        for key, _, number_format in _FLEET_COLUMNS:
            cell_format = fmt.number(number_format) if number_format else fmt.text
            sheet.write_formula(r, col[key], formulas[key], cell_format,
                                cache.driver(("fleet", key, i)))
            cells[key].append(f"Drivers!{here(key, r, True)}")
            nodes[f"Drivers!{here(key, r, True)}"] = ("fleet", key, i)
            if formulas_out is not None:
                formulas_out[f"Drivers!{here(key, r, True)}"] = formulas[key]
    total_row = header_row + 1 + len(rows)
    sheet.write(total_row, 0, "Fleet in the term", fmt.subtitle)
    first, last = header_row + 1, max(header_row + 1, total_row - 1)
    for key in ("gpus_in_term", "it_kw_in_term", "h100e_in_term", "capex", "book_at_start"):
        span = f"{xl_rowcol_to_cell(first, col[key])}:{xl_rowcol_to_cell(last, col[key])}"
        sheet.write_formula(total_row, col[key], f"=SUM({span})" if rows else "=0",
                            fmt.number(dict((k, f or "text") for k, _, f in _FLEET_COLUMNS)[key],
                                       True), cache.driver(("total", key)))
        nodes[f"drv_fleet_{key}"] = ("total", key)
        book.define_name(f"drv_fleet_{key}", f"=Drivers!{xl_rowcol_to_cell(total_row, col[key], True, True)}")
        if formulas_out is not None:
            formulas_out[f"drv_fleet_{key}"] = f"=SUM({span})" if rows else "=0"

    def text(cls, name, value):
        return _choice(cls, name, value)

    c, hw, pj = ContractTerms, ClusterHardware, Projections
    scalars = [
        ("drv_h100e_by_throughput", "H100e weighted by inference throughput", "bool",
         f"=OR(hardware_h100e_weighting={text(hw, 'h100e_weighting', H100E_BY_THROUGHPUT)},"
         f"AND(hardware_h100e_weighting={text(hw, 'h100e_weighting', H100E_BY_WORKLOAD)},"
         f"hardware_workload={text(hw, 'workload', WORKLOAD_INFERENCE)}))"),
        ("drv_term_end", "Term ends (the day after the last month)", "date",
         f"=EDATE({START},{TERM})"),
        ("drv_fleet_it_mw", "Fleet IT power (MW)", "mw", "=drv_fleet_it_kw_in_term/1000"),
        ("drv_gpu_life_months", "GPU depreciation life (months)", "number",
         "=hardware_depreciation_life_years*12"),
        ("drv_facility_life_months", "Facility depreciation life (months)", "number",
         "=hardware_facility_life_years*12"),
        ("drv_payment_advance", "Paid in advance", "bool",
         f"=contract_payment_timing={text(c, 'payment_timing', 'advance')}"),
        ("drv_pricing_gpu_hour", "Priced per GPU-hour", "bool",
         f"=contract_pricing_mode={text(c, 'pricing_mode', PRICING_GPU_HOUR)}"),
        ("drv_pricing_mw_month", "Priced per MW-month", "bool",
         f"=contract_pricing_mode={text(c, 'pricing_mode', PRICING_MW_MONTH)}"),
        ("drv_fee_steps", "Fee steps with tranches", "bool",
         f"=contract_fee_follows_capacity={text(c, 'fee_follows_capacity', 'yes')}"),
        ("drv_credit_pct", "Service credit (% of fee)", "number",
         "=MIN(contract_service_credit_cap_pct,contract_service_credit_pct_per_point"
         "*MAX(0,contract_sla_availability_pct-hardware_availability_pct))"),
        ("drv_deposit_applied", "Deposit applied to the last fees", "bool",
         f"=contract_prepayment_treatment={text(c, 'prepayment_treatment', DEPOSIT_APPLIED)}"),
        # Months of the invoice in force after any discounted first months.
        ("drv_deposit", "Deposit paid on the start date ($)", "money",
         f"=IF(contract_prepayment_months>0,contract_prepayment_months*INDEX(sched_invoice,"
         f"MIN(contract_intro_months,{TERM}-1)+1),0)"),
        ("drv_deposit_returned", "Deposit returned when the term ends ($)", "money",
         "=IF(drv_deposit_applied,MAX(0,drv_deposit-SUM(sched_deposit_applied)),drv_deposit)"),
        ("drv_buyer_term_end_df", "Buyer's discount factor at the term's end", "factor",
         f"=(1+contract_discount_rate_pct/100)^(-(drv_term_end-{START})/365)"),
        ("drv_provider_term_end_df", "Provider's discount factor at the term's end", "factor",
         f"=(1+contract_provider_wacc_pct/100)^(-(drv_term_end-{START})/365)"),
        ("drv_capex_bought", "Capex bought for the deal", "bool",
         f"=hardware_capex_treatment={text(hw, 'capex_treatment', CAPEX_FOR_DEAL)}"),
        ("drv_lease_full", "Lease term is the full term", "bool",
         f"=contract_lease_term_basis={text(c, 'lease_term_basis', LEASE_FULL)}"),
        ("drv_hazard_buyer", "Buyer's chance of ending, counted (per month)", "factor",
         f"=IF(OR(contract_terminating_party={text(c, 'terminating_party', PARTY_EITHER)},"
         f"contract_terminating_party={text(c, 'terminating_party', PARTY_BUYER)}),"
         f"contract_buyer_termination_prob_pct/100,0)"),
        ("drv_hazard_provider", "Provider's chance of ending, counted (per month)", "factor",
         f"=IF(OR(contract_terminating_party={text(c, 'terminating_party', PARTY_EITHER)},"
         f"contract_terminating_party={text(c, 'terminating_party', PARTY_PROVIDER)}),"
         f"contract_provider_termination_prob_pct/100,0)"),
        ("drv_hazard", "Chance the deal ends in a month", "factor",
         "=MIN(1,drv_hazard_buyer+drv_hazard_provider)"),
        ("drv_total_invoices", "Invoices over the term ($)", "money", "=SUM(sched_invoice)"),
        ("drv_buyer_may_end", "The buyer may terminate", "bool",
         f"=OR(contract_terminating_party={text(c, 'terminating_party', PARTY_EITHER)},"
         f"contract_terminating_party={text(c, 'terminating_party', PARTY_BUYER)})"),
        ("drv_anyone_may_end", "Either side may terminate", "bool",
         f"=contract_terminating_party<>{text(c, 'terminating_party', PARTY_NEITHER)}"),
        ("drv_buyer_revenue_modelled", "Buyer's revenue modelled (tokens x price)", "bool",
         f"=projections_buyer_revenue_model={text(pj, 'buyer_revenue_model', BUYER_REVENUE_TOKENS)}"),
        # IFRS 16 B34: a fee above the threshold share of the payments is significant.
        ("drv_lease_penalty_significant", "Termination fee is a significant penalty", "bool",
         "=AND(drv_buyer_may_end,NOT(drv_lease_full),INDEX(sched_fee_if_ended_early,1)"
         ">contract_lease_significant_penalty_pct/100*drv_total_invoices)"),
        ("drv_lease_notice_term", "Lease term is the notice period", "bool",
         "=AND(drv_buyer_may_end,NOT(drv_lease_full),NOT(drv_lease_penalty_significant))"),
        # IFRS 16.27(e): the fee that notice on the start date would cost is a lease payment.
        ("drv_lease_penalty", "Termination fee counted as a lease payment ($)", "money",
         "=IF(drv_lease_notice_term,INDEX(sched_fee_if_ended_early,1),0)"),
        ("drv_lease_term_months", "Lease term (months)", "count",
         '=COUNTIF(sched_lease_share,">0")'),
        ("drv_lease_exempt", "Short-term exemption taken (no liability)", "bool",
         f"=AND(drv_lease_term_months<=12,contract_lease_short_term_exemption="
         f"{text(c, 'lease_short_term_exemption', SHORT_TERM_TAKEN)})"),
        ("drv_party_text", "Who may terminate when the buyer may not", "text",
         f"=IF(contract_terminating_party={text(c, 'terminating_party', PARTY_PROVIDER)},"
         f"\"only the provider\",\"neither party\")"),
    ]
    row = total_row + 2
    sheet.write(row, 0, "Steps every month uses", fmt.title)
    row += 1
    sheet.write_row(row, 0, ["Step", "", "", "Value", "Name"], fmt.header)
    for name, label, number_format, formula in scalars:
        row += 1
        sheet.write(row, 0, label)
        sheet.write_formula(row, 3, formula, fmt.number(number_format),
                            cache.driver(("step", name)))
        nodes[name] = ("step", name)
        sheet.write(row, 4, name)
        book.define_name(name, f"=Drivers!{xl_rowcol_to_cell(row, 3, True, True)}")
        if formulas_out is not None:
            formulas_out[name] = formula
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 2, 16)
    sheet.set_column(3, len(_FLEET_COLUMNS) - 1, 15)
    sheet.freeze_panes(header_row + 1, 1)
    _page_setup(sheet, row, len(_FLEET_COLUMNS) - 1, repeat_rows=header_row, fit_width=2)
    return Fleet(names=tuple(t.name for t in scenario.hardware.tranches),
                 count=tuple(cells["count"]), online=tuple(cells["online"]),
                 kw=tuple(cells["kw"]), h100e=tuple(cells["h100e"]),
                 tokens_per_s=tuple(cells["tokens_per_s"]), capex=tuple(cells["capex"]),
                 gpu_rate=tuple(cells["gpu_rate"]), facility_rate=tuple(cells["facility_rate"]),
                 age=tuple(cells["age"]), model=tuple(cells["model"]), rent=tuple(cells["rent"]),
                 quote_1m=tuple(cells["quote_1m"]), quote_1y=tuple(cells["quote_1y"]),
                 quote_3y=tuple(cells["quote_3y"]))


# --- Schedule ---------------------------------------------------------------------------------

def _write_schedule(book, sheet, results: Results, fmt: _Formats, fleet: Fleet, months: int,
                    cache: WorkbookCache):
    cols = columns(fleet)
    refs = Refs([c.key for c in cols], months)
    n = len(results.schedule)
    for i, column in enumerate(cols):
        header_format = fmt.working_header if column.working else fmt.header
        sheet.write(0, i, column.header, header_format)
        if column.fmt in NUMBER_FORMATS:
            number_format = (fmt.number("scientific")
                             if column.key in figures.COLUMNS
                             and figures.output(column.key).unit == "tokens"
                             else fmt.number(column.fmt))
        else:
            number_format = fmt.text
        for m in range(1, months + 1):
            r = FIRST_ROW + m - 2
            if column.key == "month":
                sheet.write_number(r, i, m, number_format)
                continue
            month = refs.c("month", m)
            assert column.body is not None      # only the month column has no formula
            sheet.write_formula(r, i, f'=IF({month}>{TERM},"",{column.body(refs, m)})',
                                number_format, cache.month(column.key, m))
        book.define_name(f"sched_{column.key}", f"=Schedule!{refs.rng(column.key)}")
    sheet.set_row(0, 60)
    sheet.freeze_panes(1, 2)
    # Working columns (the model's intermediate steps) are an outline level
    # below, collapsed: "+" above the header shows them; they do not print.
    for i, column in enumerate(cols):
        width = 7 if column.key == "month" else 15
        sheet.set_column(i, i, width, None,
                         {"level": 1, "hidden": True} if column.working else {})
    sheet.outline_settings(True, False, True, False)
    # One group of columns a page (a long group over several), each page readable.
    breaks, previous, since = [], cols[0].group, 0
    for i, column in enumerate(cols):
        if column.working:
            continue
        if column.group != previous or since == COLUMNS_PER_PAGE:
            breaks.append(i)
            previous, since = column.group, 0
        since += 1
    sheet.set_v_pagebreaks(breaks)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.set_margins(left=0.3, right=0.3, top=0.5, bottom=0.5)
    sheet.print_area(0, 0, max(1, n), len(cols) - 1)
    sheet.repeat_rows(0)
    sheet.repeat_columns(0, 1)
    sheet.set_print_scale(60)
    sheet.set_footer("&L&A (the term's months as exported)&RPage &P of &N")
    return cols, refs


# --- IRR flows --------------------------------------------------------------------------------

def _write_irr_flows(book, sheet, fmt: _Formats, R: Refs, cache: WorkbookCache) -> None:
    """The provider's cash flow with the terminal value, dated by the payment
    date (core.economics.provider_view): its XIRR is the provider IRR.  Rows
    past the term are zero on the first payment date, since XIRR takes no blanks."""
    sheet.write(0, 0, "Provider's flows for the IRR", fmt.title)
    sheet.write(1, 0, "Provider IRR = XIRR(column C, column B)", fmt.note)
    sheet.write_row(2, 0, ["Month", "Payment date", "Cash flow with terminal value ($)"],
                    fmt.header)
    sheet.set_row(2, 30)
    first = 3
    term = len(cache.schedule["month"])
    for m in range(1, R.rows + 1):
        r = first + m - 1
        past = f'{_sched("month", m, R)}>{TERM}'
        within = min(m, term) if m <= term else 1
        sheet.write_formula(r, 0, f"={_sched('month', m, R)}", fmt.number("month"), m)
        sheet.write_formula(r, 1, f'=IF({past},INDEX(sched_payment_date,1),'
                                  f'{_sched("payment_date", m, R)})', fmt.number("date"),
                            cache.month("payment_date", within))
        sheet.write_formula(r, 2, f'=IF({past},0,{_sched("provider_cash_flow_with_terminal", m, R)})',
                            fmt.number("money"),
                            cache.month("provider_cash_flow_with_terminal", m) if m <= term else 0)
    last = first + R.rows - 1
    book.define_name("irr_dates", f"='IRR flows'!$B${first + 1}:$B${last + 1}")
    book.define_name("irr_flows", f"='IRR flows'!$C${first + 1}:$C${last + 1}")
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 2, 22)
    sheet.set_column(3, 4, 12)
    sheet.freeze_panes(3, 0)
    # Printed: the term's months as exported.
    _page_setup(sheet, first + max(1, term) - 1, 4, repeat_rows=2)


def _sched(key: str, m: int, R: Refs) -> str:
    return f"Schedule!{R.c(key, m)}"


# --- Key figures ------------------------------------------------------------------------------

def key_figure_formulas(R: Refs) -> dict[str, str]:
    """Every key figure as a formula over the Schedule's named columns."""
    fee = R.col("monthly_fee")
    tcv = "SUM(sched_invoice)"

    def ratio(numerator, denominator):
        return f'IF({denominator}>0,{numerator}/{denominator},"n/a")'

    def crossing(kind):
        return (f'IF(SIGN(INDEX(sched_cumulative_payment,1)-INDEX(sched_cumulative_{kind}_cost,1))=0,'
                f'1,IF(COUNT(sched_{kind}_crossing)=0,"n/a",MIN(sched_{kind}_crossing)))')

    notice = "contract_termination_notice_month"

    def buyer(formula):
        return f'IF(drv_buyer_revenue_modelled,{formula},"n/a")'
    return {
        "total_contract_value": tcv,
        # One definition for every pricing mode: the first 12 months' fees, annualised.
        "annual_run_rate": f"SUM(Schedule!${fee}${FIRST_ROW}:${fee}${FIRST_ROW + 11})*12"
                           f"/MIN(12,{TERM})",
        "average_monthly_fee": ratio(tcv, TERM),
        "term_months": TERM,
        "walkaway_exposure": "INDEX(sched_walkaway_exposure,1)",
        "walkaway_exposure_basis": _EXPOSURE_BASIS,
        "price_per_gpu_hour": ratio(tcv, "SUM(sched_gpu_hours_delivered)"),
        "price_per_h100e_hour": ratio(tcv, "SUM(sched_h100e_hours_delivered)"),
        "price_per_mw_month": ratio(tcv, f"(hardware_contracted_mw*{TERM})"),
        "cost_per_million_tokens": ratio(f"{tcv}*1000000", "SUM(sched_tokens_capacity)"),
        "breakeven_token_price": ratio(f"{tcv}*1000000", "SUM(sched_tokens_served)"),
        "npv_payments": "SUM(sched_payment_pv)",
        "fleet_it_mw": "drv_fleet_it_mw",
        "facility_mw": "drv_fleet_it_mw*hardware_pue",
        "contracted_mw": "hardware_contracted_mw",
        "gpus": "drv_fleet_gpus_in_term",
        "h100_equivalents": "drv_fleet_h100e_in_term",
        "h100e_weighting": f'IF(drv_h100e_by_throughput,"by inference throughput (H100 SXM = '
                           f'{H100_TOKENS_PER_S:,.0f} tokens/s)","by training FLOPS (H100 SXM = '
                           f'{H100_DENSE_BF16_TFLOPS:,.0f} dense BF16 TFLOPS)")',
        "gpu_hours_delivered": "SUM(sched_gpu_hours_delivered)",
        "tokens_served": "SUM(sched_tokens_served)",
        "shortfall_months": "SUM(sched_short_of_demand)",
        "token_price_per_million": "projections_token_price_per_million",
        "buyer_revenue": buyer("SUM(sched_buyer_revenue)"),
        "buyer_margin": buyer("SUM(sched_buyer_margin)"),
        "buyer_npv": buyer("SUM(sched_revenue_pv)-SUM(sched_payment_pv)"),
        "provider_revenue": "SUM(sched_provider_revenue)",
        "provider_ebitda": "SUM(sched_provider_ebitda)",
        "provider_ebit": "SUM(sched_provider_ebit)",
        "provider_capex": "drv_fleet_capex",
        "provider_npv": "SUM(sched_provider_flow_pv)",
        "provider_irr": 'IFERROR(XIRR(irr_flows,irr_dates),"n/a")',
        "provider_payback_month": 'IF(COUNT(sched_payback_candidate)=0,"n/a",'
                                  'MIN(sched_payback_candidate))',
        "provider_opportunity_cost": "SUM(sched_provider_opportunity_cost)",
        "provider_economic_profit": "SUM(sched_provider_economic_profit)",
        "provider_economic_npv": "SUM(sched_economic_profit_pv)",
        "provider_book_value_at_end": f"INDEX(sched_book_value,{TERM})",
        "expected_contract_value": f"SUM(sched_chance_weighted_payments)+(1-drv_hazard)^{TERM}*{tcv}",
        "termination_notice_month": notice,
        "termination_cost_at_notice_month":
            f'IF({notice}<{TERM},INDEX(sched_termination_cost,{notice}+1),"n/a")',
        "termination_saving_at_notice_month":
            f'IF({notice}<{TERM},INDEX(sched_termination_saving,{notice}+1),"n/a")',
        "lease_liability": "INDEX(sched_lease_liability,1)",
        "lease_term_months": "drv_lease_term_months",
        "lease_term_reason": _LEASE_TERM_REASON,
        "cloud_cost": "SUM(sched_cloud_cost)",
        "build_cost": "SUM(sched_build_cost)",
        "cloud_cost_pv": "SUM(sched_cloud_cost_pv_month)",
        "build_cost_pv": "SUM(sched_build_cost_pv_month)",
        "breakeven_month_vs_cloud": crossing("cloud"),
        "breakeven_cloud_rate": ratio(tcv, "SUM(sched_h100e_hours_delivered)"),
        "build_crossover_month": crossing("build"),
        "contract_premium_over_market_pct":
            f'IF(SUM(sched_market_value)>0,({tcv}/SUM(sched_market_value)-1)*100,"n/a")',
        "market_rent_per_gpu_hour": ratio("SUM(sched_market_value)",
                                          "SUM(sched_gpu_hours_delivered)"),
        "buyer_mark_to_market": "SUM(sched_buyer_mtm)",
        "provider_mark_to_market": "SUM(sched_provider_mtm)",
    }


# core.termination.exposure_basis, as a formula.
_EXPOSURE_BASIS = (
    "IF(drv_buyer_may_end,\"The buyer's: \"&contract_notice_days&\" days' notice of invoices\""
    "&IF(contract_termination_fee_months>0,\" plus a termination fee of \""
    "&contract_termination_fee_months&\" months of the fee\",\"\")"
    "&\" (the buyer may terminate; no fee when the notice only reaches the term's end).\","
    "\"The buyer's: every remaining invoice, since \"&drv_party_text"
    "&\" may terminate and the buyer is bound to the whole term.\")")

# core.alternatives.lease_term_reason, as a formula.
_LEASE_TERM_REASON = (
    'IF(NOT(drv_buyer_may_end),"Full term of "&drv_lease_term_months&" months: "&drv_party_text'
    '&" may terminate, so the lessee is bound for the whole term",'
    'IF(drv_lease_full,"Full term of "&drv_lease_term_months&" months: the lessee may terminate '
    'but is judged reasonably certain not to",IF(drv_lease_penalty_significant,"Full term of "'
    '&drv_lease_term_months&" months: the lessee may end it on notice, but the termination fee is '
    'more than "&contract_lease_significant_penalty_pct&"% of the payments to the term\'s end, a '
    'significant penalty (IFRS 16 B34), so the lease term is lengthened to the full term",'
    '"The "&contract_notice_days&"-day notice period ("'
    '&drv_lease_term_months&" months): "&IF(contract_terminating_party="'
    + choice_text(field_meta(ContractTerms, "terminating_party"), PARTY_EITHER)
    + '","both parties may end the lease on notice (IFRS 16 B34)","the lessee may end it on notice '
    'and is not judged reasonably certain to continue")&IF(drv_lease_penalty>0,", with the '
    'termination fee counted as a lease payment (IFRS 16.27(e))",""))))'
    '&IF(drv_lease_term_months<=12,"; 12 months or less, so the short-term exemption "'
    '&IF(drv_lease_exempt,"is taken: no liability is recognised","may be taken"),"")&"."')


DEFINITION_WIDTH = 110


def _lines(text: str, width: int) -> int:
    """Lines a wrapped text takes in a column `width` characters wide (a row's height)."""
    return max(1, -(-len(text) * 11 // (10 * width)))


def _write_key_figures(book, sheet, results: Results, fmt: _Formats, R: Refs) -> None:
    k = results.key_figures.as_dict()
    formulas = key_figure_formulas(R)
    sheet.write(0, 0, f"Key figures: {results.scenario.name}", fmt.title)
    sheet.write_formula(1, 0, '="Buyer: "&contract_buyer&"; provider: "&contract_provider'
                              '&"; term "&contract_term_months&" months from "'
                              '&TEXT(contract_start_date,"yyyy-mm-dd")', fmt.note,
                        f"Buyer: {results.scenario.contract.buyer}; provider: "
                        f"{results.scenario.contract.provider}; term "
                        f"{results.scenario.contract.term_months} months from "
                        f"{results.scenario.contract.start_date:%Y-%m-%d}")
    sheet.write(2, 0, "Column B is a formula over the Schedule and Inputs; column C is the app's "
                      "figure when this file was made (it does not follow edits).", fmt.note)
    sheet.write_row(3, 0, ["Figure", "Value (formula)", "App's figure when exported",
                           "Difference", "Name", "Unit", "Definition"], fmt.header)
    sheet.set_row(3, 30)
    for i, key in enumerate(figures.KEY_FIGURES):
        r = 4 + i
        o = figures.output(key)
        app = k.get(key)
        cell_format = fmt.for_output(key, bold=True)
        sheet.write(r, 0, o.label, fmt.text)
        if isinstance(app, str):
            sheet.write_formula(r, 1, f"={formulas[key]}", fmt.wrap, app)
            sheet.write_string(r, 2, app, fmt.wrap)
            sheet.write(r, 4, key_figure_name(key), fmt.text)
            sheet.write(r, 6, o.definition, fmt.wrap)
            book.define_name(key_figure_name(key), f"='Key figures'!$B${r + 1}")
            sheet.set_row(r, 15 * max(_lines(app, 22), _lines(o.definition, DEFINITION_WIDTH)))
            continue
        number = None if app is None else float(app)
        finite = number is not None and bool(np.isfinite(number))
        sheet.write_formula(r, 1, f"={formulas[key]}", cell_format,
                            number if finite else "n/a")
        if number is not None and finite:
            sheet.write_number(r, 2, number, fmt.for_output(key))
        else:
            sheet.write_string(r, 2, "n/a", fmt.text)
        sheet.write_formula(r, 3, f'=IF(AND(ISNUMBER(B{r + 1}),ISNUMBER(C{r + 1})),'
                                  f'B{r + 1}-C{r + 1},"")', fmt.for_output(key),
                            0 if finite else "")
        sheet.write(r, 4, key_figure_name(key), fmt.text)
        sheet.write(r, 5, o.unit, fmt.text)
        sheet.write(r, 6, o.definition, fmt.wrap)
        book.define_name(key_figure_name(key), f"='Key figures'!$B${r + 1}")
        sheet.set_row(r, 15 * _lines(o.definition, DEFINITION_WIDTH))
    last = 4 + len(figures.KEY_FIGURES) - 1
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 3, 20)
    sheet.set_column(4, 4, 28)
    sheet.set_column(5, 5, 14)
    sheet.set_column(6, 6, DEFINITION_WIDTH)
    sheet.freeze_panes(4, 1)
    _page_setup(sheet, last, 6, repeat_rows=3)


# --- Termination at any month ------------------------------------------------------------------

def _write_termination(book, sheet, results: Results, fmt: _Formats, R: Refs,
                       cache: WorkbookCache) -> None:
    sheet.write(0, 0, "Ending the deal early: notice at any month", fmt.title)
    label = field_meta(ContractTerms, "termination_notice_month")["label"]
    sheet.write(1, 0, "Notice is given on the first day of the month that many months after the "
                      "start date (12 = the first anniversary).", fmt.note)
    sheet.write(2, 0, f"Change '{label}' on the Inputs sheet (contract_termination_notice_month).",
                fmt.note)
    sheet.write_row(3, 0, ["Item", "Value", "Unit"], fmt.header)
    sheet.write(4, 0, label)
    c = results.scenario.contract
    sheet.write_formula(4, 1, "=contract_termination_notice_month", fmt.number("count"),
                        c.termination_notice_month)
    sheet.write(4, 2, "months")
    month = "Termination!$B$6"
    m = min(c.termination_notice_month + 1, c.term_months)

    def at(key):
        return f"=INDEX(sched_{key},{month})", cache.month(key, m)
    rows = [
        ("Month notice is given in (the term's last month at the latest)",
         (f"=MIN(contract_termination_notice_month+1,{TERM})", m), "month", "month"),
        ("Notice given on", at("month_start"), "date", "date"),
        ("Notice period", ("=contract_notice_days", c.notice_days), "days", "count"),
        (figures.label("termination_end_date"), at("termination_end_date"), "date", "date"),
        ("Invoices to the end of notice", at("paid_to_notice_end"), "$", "money"),
        ("Termination fee (none when the notice only reaches the term's end)",
         at("fee_if_ended_early"), "$", "money"),
        (figures.label("termination_cost"), at("termination_cost"), "$", "money"),
        (figures.label("termination_saving"), at("termination_saving"), "$", "money"),
        (figures.label("walkaway_exposure"), at("walkaway_exposure"), "$", "money"),
        (figures.label("buyer_npv_if_ended"), at("buyer_npv_if_ended"), "$", "money"),
        (figures.label("provider_npv_if_ended"), at("provider_npv_if_ended"), "$", "money"),
        (figures.label("expected_contract_value"),
         ("=ExpectedContractValue",
          key_figure_cached(results.key_figures.expected_contract_value)), "$", "money"),
    ]
    names = {figures.label("termination_cost"): "TerminationCost",
             figures.label("walkaway_exposure"): "TerminationWalkawayExposure"}
    for i, (label, (formula, value), unit, number_format) in enumerate(rows):
        r = 5 + i
        sheet.write(r, 0, label)
        sheet.write_formula(r, 1, formula, fmt.number(number_format), value)
        sheet.write(r, 2, unit)
        if label in names:
            book.define_name(names[label], f"=Termination!$B${r + 1}")
    sheet.set_column(0, 0, 64)
    sheet.set_column(1, 1, 20)
    sheet.set_column(2, 4, 12)
    _page_setup(sheet, 5 + len(rows), 4)


# --- Checks -------------------------------------------------------------------------------------

# Only the provider may terminate (the Inputs sheet's "May terminate").
PROVIDER_ONLY = "AND(drv_anyone_may_end,NOT(drv_buyer_may_end))"


def _close(a: str, b: str) -> str:
    """a equals b to a millionth (relative), or to a dollar near zero."""
    return f"ABS(({a})-({b}))<=0.000001*MAX(1,ABS({b}))"


def _write_checks(book, sheet, fmt: _Formats, R: Refs, fleet: Fleet,
                  more: Sequence[tuple[str, str]] = (),
                  against_app: Sequence[tuple[str, str, object]] = ()) -> None:
    """The checks the master check is over (`more`: other sheets' own), then
    `against_app` (label, formula, cached result): the workbook's figures
    against the app's when the file was made, outside the master check, since
    an edit changes the workbook's figures but not the app's."""
    last = f"INDEX(sched_{{}},{TERM})"
    checks = [
        ("Rows: one filled row for each month of the term, blank after",
         f"AND(COUNT(sched_payment)={TERM},COUNT(sched_invoice)={TERM})"),
        ("Fees less service credits equal the invoices",
         _close("SUM(sched_monthly_fee)-SUM(sched_service_credit)", "SUM(sched_invoice)")),
        ("The deposit paid is applied or returned in full (deposit flows sum to zero)",
         _close("SUM(sched_deposit_flow)", "0")),
        ("Payments sum to the total contract value (the deposit nets out)",
         _close("SUM(sched_payment)", "TotalContractValue")),
        ("Cumulative payments at the end equal the payments' sum",
         _close(last.format("cumulative_payment"), "SUM(sched_payment)")),
        ("Cumulative payments PV at the end equals the NPV of payments",
         _close(last.format("cumulative_payment_pv"), "NPVPayments")),
        ("Provider revenue equals the invoices",
         _close("ProviderRevenue", "TotalContractValue")),
        ("EBITDA less depreciation equals EBIT",
         _close("SUM(sched_provider_ebitda)-SUM(sched_depreciation)", "ProviderEbit")),
        ("Book value: at the start less depreciation equals at the end",
         _close("drv_fleet_book_at_start-SUM(sched_depreciation)", "ProviderBookValueAtEnd")),
        ("Provider cumulative cash at the end equals its cash flows' sum",
         _close(last.format("provider_cumulative_cash"), "SUM(sched_provider_cash_flow)")),
        ("Buyer gross margin equals token revenue less invoices (revenue modelled)",
         "OR(NOT(drv_buyer_revenue_modelled),"
         + _close("SUM(sched_buyer_revenue)-TotalContractValue", "SUM(sched_buyer_margin)") + ")"),
        ("Buyer cumulative cash at the end equals revenue less payments",
         _close(last.format("buyer_cumulative_cash"), "SUM(sched_buyer_revenue)-SUM(sched_payment)")),
        ("Termination cost plus saving equals the total contract value, every month",
         _close(f"{TERM}*TotalContractValue",
                "SUM(sched_termination_cost)+SUM(sched_termination_saving)")),
        ("Lease: liability plus interest equals the lease payments (or no liability: exempt)",
         f"OR(drv_lease_exempt,{_close('LeaseLiability+SUM(sched_lease_interest)', 'SUM(sched_lease_payment)')})"),
        # Where only the provider may terminate, the cost of ending is what its notice
        # costs the buyer, not the buyer's own walk-away exposure (core/termination.py).
        ("Walk-away exposure at the start plus nothing paid before equals the cost of ending "
         "in month 1 (unless only the provider may terminate)",
         f"OR({PROVIDER_ONLY},"
         + _close("INDEX(sched_walkaway_exposure,1)", "INDEX(sched_termination_cost,1)") + ")"),
        ("Cost of ending = invoices before the notice + walk-away exposure, every month "
         "(unless only the provider may terminate)",
         f"OR({PROVIDER_ONLY},"
         + _close("SUM(sched_termination_cost)",
                  "SUM(sched_walkaway_exposure)+SUM(sched_cumulative_invoice)-SUM(sched_invoice)")
         + ")"),
        ("Provider NPV: cash flow with terminal value sums to cash flows plus the terminal value",
         _close("SUM(sched_provider_cash_flow_with_terminal)",
                "SUM(sched_provider_cash_flow)+SUM(sched_provider_terminal_value)")),
        ("Economic profit equals EBITDA less the opportunity cost",
         _close("ProviderEconomicProfit", "ProviderEbitda-ProviderOpportunityCost")),
        ("Lease: the closing balance at the end of the term is zero",
         _close(last.format("lease_closing"), "0")),
        ("Cumulative cloud and build costs at the end equal their sums",
         f"AND({_close(last.format('cumulative_cloud_cost'), 'CloudCost')},"
         f"{_close(last.format('cumulative_build_cost'), 'BuildCost')})"),
        ("GPUs online never exceed the fleet in the term",
         "MAX(sched_gpus_online)<=drv_fleet_gpus_in_term+0.000001"),
        *more,
    ]
    sheet.write(0, 0, "Checks: the workbook agrees with itself", fmt.title)
    sheet.write(1, 0, "Each check is TRUE when the sums tie or the balance closes (to a "
                      "millionth). The master check is TRUE when every check is.", fmt.note)
    sheet.write(3, 0, "Master check", fmt.subtitle)
    first = 6
    sheet.write_formula(3, 1, f"=AND(B{first + 1}:B{first + len(checks)})",
                        fmt.book.add_format({"bold": True}), True)
    book.define_name("MasterCheck", "=Checks!$B$4")
    sheet.write_row(5, 0, ["Check", "Result"], fmt.header)
    for i, (label, formula) in enumerate(checks):
        sheet.write(first + i, 0, label)
        sheet.write_formula(first + i, 1, f"={formula}", fmt.text, True)
    failed = {"type": "cell", "criteria": "==", "value": "FALSE",
              "format": fmt.book.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"})}
    sheet.conditional_format(3, 1, 3, 1, failed)
    sheet.conditional_format(first, 1, first + len(checks) - 1, 1, failed)
    row = first + len(checks) + 1
    if against_app:
        sheet.write(row, 0, "Against the app when the file was made (not in the master check: "
                            "FALSE after an edit, until exported again)", fmt.subtitle)
        for label, formula, value in against_app:
            row += 1
            sheet.write(row, 0, label)
            sheet.write_formula(row, 1, f"={formula}", fmt.text, value)
        sheet.conditional_format(row - len(against_app) + 1, 1, row, 1, failed)
    sheet.set_column(0, 0, 90)
    sheet.set_column(1, 1, 14)
    sheet.set_column(2, 3, 12)
    _page_setup(sheet, row, 3)


# --- Charts and the app's schedule ----------------------------------------------------------------

def _write_charts(book, sheet, results: Results, R: Refs, tranches: int) -> None:
    n = len(results.schedule)
    if n == 0:
        return

    def rng(key: str) -> str:
        col = R.col(key)
        return f"=Schedule!${col}${FIRST_ROW}:${col}${FIRST_ROW + n - 1}"

    categories = rng("month_start")

    def series(key: str, colour: str, **extra) -> dict:
        # Named as core.figures labels the schedule column.
        return dict(name=figures.label(key), categories=categories, values=rng(key),
                    line={"color": colour, "width": 2.25}, **extra)

    payments = book.add_chart({"type": "column"})
    payments.add_series(dict(name=figures.label("payment"), categories=categories,
                             values=rng("payment"), gap=30,
                             fill={"color": OKABE_ITO["sky"]},
                             border={"color": OKABE_ITO["blue"]}))
    payments.set_title({"name": "Monthly payment"})
    payments.set_y_axis({"num_format": "$#,##0.0,,,\"B\"", "name": "$ per month"})

    # The walk-away exposure is a stock: with the other stocks, not on "$ per month".
    cumulative = book.add_chart({"type": "line"})
    for key, colour in (("cumulative_payment", "blue"), ("cumulative_payment_pv", "green"),
                        ("cumulative_cloud_cost", "orange"), ("cumulative_build_cost", "purple"),
                        ("walkaway_exposure", "vermillion")):
        cumulative.add_series(series(key, OKABE_ITO[colour]))
    cumulative.set_title({"name": "Cumulative spend (lease, cloud, build) and walk-away exposure"})
    cumulative.set_y_axis({"num_format": "$#,##0,,,\"B\"", "name": "$"})

    gpus = book.add_chart({"type": "area", "subtype": "stacked"})
    for i in range(tranches):
        colour = OKABE_ITO[SERIES_ORDER[i % len(SERIES_ORDER)]]
        gpus.add_series(dict(name=results.scenario.hardware.tranches[i].name,
                             categories=categories, values=rng(f"gpus_{i}"),
                             fill={"color": colour}))
    gpus.set_title({"name": "GPUs online by tranche"})
    gpus.set_y_axis({"num_format": "#,##0", "name": "GPUs"})

    provider = book.add_chart({"type": "line"})
    provider.add_series(series("provider_cumulative_cash", OKABE_ITO["blue"]))
    provider.add_series(series("buyer_cumulative_cash", OKABE_ITO["vermillion"]))
    provider.set_title({"name": "Cumulative cash: provider and buyer"})
    provider.set_y_axis({"num_format": "$#,##0,,,\"B\";($#,##0,,,\"B\")", "name": "$"})

    for chart in (payments, cumulative, gpus, provider):
        chart.set_x_axis({"date_axis": True, "num_format": "mmm yyyy", "name": "Month"})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 760, "height": 360})
        chart.show_hidden_data()       # the tranche columns are grouped (hidden) working columns
    sheet.write(0, 0, f"Charts: {results.scenario.name} (drawn from the Schedule sheet over the "
                      f"{n} months of the term as exported; after changing the term, extend "
                      f"each series' range)")
    sheet.insert_chart("A3", payments)
    sheet.insert_chart("A23", cumulative)
    if tranches:
        sheet.insert_chart("M3", gpus)
    sheet.insert_chart("M23", provider)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.print_area(0, 0, 42, 24)
    sheet.fit_to_pages(1, 1)


def _write_app_schedule(sheet, results: Results, fmt: _Formats) -> None:
    frame = results.schedule.to_frame()
    sheet.write(0, 0, "The app's monthly schedule, every column, as values when the file was "
                      "made (for reference: it does not follow edits).", fmt.note)
    sheet.write_row(1, 0, [figures.header(name) for name in frame.columns], fmt.header)
    sheet.set_row(1, 45)
    for c, name in enumerate(frame.columns):
        column = frame[name]
        o = figures.output(name)
        cell_format = fmt.number("scientific" if o.unit == "tokens" else o.fmt)
        for r, value in enumerate(column):
            if hasattr(value, "date") and not isinstance(value, (int, float)):
                sheet.write_datetime(r + 2, c, value.date(), cell_format)
            elif isinstance(value, (bool, np.bool_)):
                sheet.write_boolean(r + 2, c, bool(value))
            else:
                value = float(value)
                if np.isfinite(value):
                    sheet.write_number(r + 2, c, value, cell_format)
                else:
                    sheet.write_string(r + 2, c, "n/a")
    sheet.freeze_panes(2, 1)
    sheet.set_column(0, len(frame.columns) - 1, 15)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.print_area(0, 0, len(frame) + 1, len(frame.columns) - 1)
    sheet.repeat_rows(1)
    sheet.repeat_columns(0)
    sheet.fit_to_pages(4, 0)
