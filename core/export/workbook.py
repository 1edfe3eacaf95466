"""The Excel workbook: a live model, not a dump of numbers.

Sheets:
- Inputs: every parameter (label, value, unit), each value a defined name
  (contract_monthly_fee, ...), and the record tables (GPU models, tranches);
- Schedule: one row a month whose cells are formulas over the inputs:
  period dates (EDATE), the fee in force (escalator, discounted first
  months), payments, cumulative spend, walk-away exposure (each month of
  the notice paid in the share of its own days, capped at the term's end,
  plus the termination fee unless the notice only reaches the end; the
  rest of the term when the buyer may not terminate), discount factors on actual dates, GPUs online per
  tranche, delivered GPU-hours and the price per GPU-hour;
- Key figures: formulas with the defined names TotalContractValue,
  AnnualRunRate, WalkawayExposure, PricePerGPUHour and NPVPayments (XNPV),
  beside the app's own figures and the difference;
- Charts: native charts over the Schedule's cells;
- App schedule: every column of the app's schedule, as values.

Each formula cell also carries the app's value as its cached result, so a
reader that does not recalculate still shows the numbers.  If the app's
payments are not the fixed fee schedule (a pricing mode the formulas do not
model), payments are written as values and the sheet says so.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from core import figures
from core.calendar import to_date
from core.engine import Results, fee_schedule
from core.parameters import PARTY_BUYER
from core.termination import party_may_end
from core.export.assumptions import record_tables, scalar_assumptions, section_title
from core.palette import OKABE_ITO, SERIES_ORDER

EXCEL_EPOCH = dt.date(1899, 12, 30)
DEFINED_NAMES = ("TotalContractValue", "AnnualRunRate", "WalkawayExposure", "PricePerGPUHour",
                 "NPVPayments")


def excel_serial(day: dt.date) -> int:
    return (day - EXCEL_EPOCH).days


def _dates(array: np.ndarray) -> list[dt.date]:
    return [to_date(d) for d in array]


def payments_follow_fee_schedule(results: Results) -> bool:
    """True if the app's fees and payments are the fixed fee schedule the
    formulas model (escalator and discounted first months, no credits or
    deposit)."""
    expected = fee_schedule(results.scenario)
    s = results.schedule
    return bool(np.allclose(s.payment, expected, rtol=1e-12, atol=0.0)
                and np.allclose(s.monthly_fee, expected, rtol=1e-12, atol=0.0))


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook):
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.note = book.add_format({"italic": True, "font_color": "#4A5560"})
        self.header = book.add_format({"bold": True, "bottom": 1, "bg_color": "#E8EDF2",
                                       "text_wrap": True, "valign": "top"})
        self.input = book.add_format({"font_color": "#0000FF", "bg_color": "#FFF9E0"})
        self.input_money = book.add_format({"font_color": "#0000FF", "bg_color": "#FFF9E0",
                                            "num_format": "$#,##0"})
        self.input_number = book.add_format({"font_color": "#0000FF", "bg_color": "#FFF9E0",
                                             "num_format": "#,##0.####"})
        self.input_date = book.add_format({"font_color": "#0000FF", "bg_color": "#FFF9E0",
                                           "num_format": "yyyy-mm-dd"})
        self.date = book.add_format({"num_format": "yyyy-mm-dd"})
        self.money = book.add_format({"num_format": "$#,##0"})
        self.money_cents = book.add_format({"num_format": "$#,##0.0000"})
        self.number = book.add_format({"num_format": "#,##0"})
        self.decimal = book.add_format({"num_format": "0.000000000"})
        self.bold_money = book.add_format({"bold": True, "num_format": "$#,##0"})
        self.bold_money_cents = book.add_format({"bold": True, "num_format": "$#,##0.0000"})
        self.text = book.add_format({})


def write_workbook(results: Results, path) -> None:
    """Write the workbook to a path or a binary file object (core.export.files
    passes a buffer: the bytes then go to disk through core.safe_write)."""
    book = xlsxwriter.Workbook(path if hasattr(path, "write") else str(path),
                               {"nan_inf_to_errors": True})
    try:
        fmt = _Formats(book)
        inputs = book.add_worksheet("Inputs")
        schedule = book.add_worksheet("Schedule")
        key_sheet = book.add_worksheet("Key figures")
        charts = book.add_worksheet("Charts")
        app_sheet = book.add_worksheet("App schedule")
        tranche_cells = _write_inputs(book, inputs, results, fmt)
        layout = _write_schedule(schedule, results, fmt, tranche_cells)
        _write_key_figures(book, key_sheet, results, fmt, layout)
        _write_charts(book, charts, results, layout)
        _write_app_schedule(app_sheet, results, fmt)
        book.set_properties({"title": f"{results.scenario.name}: compute lease model",
                             "comments": "Made by Compute Deal Modeler"})
    finally:
        book.close()


def _write_inputs(book, sheet, results: Results, fmt: _Formats) -> list[tuple[str, str]]:
    """Writes the Inputs sheet; returns (count cell, online-date cell) per tranche."""
    scenario = results.scenario
    sheet.write(0, 0, f"Inputs: {scenario.name}", fmt.title)
    sheet.write(1, 0, "Values in blue are inputs: change them and every other sheet "
                      "recalculates. Each value has the defined name in column E.", fmt.note)
    sheet.write_row(3, 0, ["Section", "Parameter", "Value", "Unit", "Name"], fmt.header)
    row = 4
    for item in scalar_assumptions(scenario):
        sheet.write(row, 0, section_title(item.section))
        sheet.write(row, 1, item.label)
        if item.kind == "date":
            sheet.write_datetime(row, 2, item.value, fmt.input_date)
        elif item.kind == "number":
            sheet.write_number(row, 2, item.value,
                               fmt.input_money if item.unit == "$" else fmt.input_number)
        else:
            sheet.write_string(row, 2, str(item.value), fmt.input)
        sheet.write(row, 3, item.unit)
        sheet.write(row, 4, item.key)
        book.define_name(item.key, f"=Inputs!{xl_rowcol_to_cell(row, 2, True, True)}")
        row += 1

    tranche_cells: list[tuple[str, str]] = []
    for table in record_tables(scenario):
        row += 1
        sheet.write(row, 0, f"{section_title(table.section)}: {table.title}", fmt.title)
        row += 1
        headers = [f"{label} ({unit})" if unit else label
                   for label, unit in zip(table.columns, table.units)]
        sheet.write_row(row, 0, headers, fmt.header)
        row += 1
        for record in table.rows:
            for col, (value, kind, unit) in enumerate(zip(record, table.kinds, table.units)):
                if kind == "date":
                    sheet.write_datetime(row, col, value, fmt.input_date)
                elif kind == "number":
                    sheet.write_number(row, col, value,
                                       fmt.input_money if unit == "$" else fmt.input_number)
                else:
                    sheet.write_string(row, col, str(value), fmt.input)
            if table.name == "tranches":
                count = xl_rowcol_to_cell(row, table.fields.index("gpu_count"), True, True)
                online = xl_rowcol_to_cell(row, table.fields.index("online_date"), True, True)
                tranche_cells.append((f"Inputs!{count}", f"Inputs!{online}"))
            row += 1
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 2, 18)
    sheet.set_column(3, 3, 16)
    sheet.set_column(4, 5, 30)
    return tranche_cells


class _Layout:
    """Where the Schedule's columns are, for the key figures and charts."""

    def __init__(self, n: int):
        self.n = n
        self.first = 1          # first data row (0-based), Excel row 2
        self.last = n           # last data row (0-based)
        self.columns: dict[str, int] = {}

    def range(self, key: str, sheet: str = "Schedule") -> str:
        col = self.columns[key]
        return (f"{sheet}!{xl_rowcol_to_cell(self.first, col, True, True)}:"
                f"{xl_rowcol_to_cell(self.last, col, True, True)}")

    def cell(self, key: str, row: int) -> str:
        return xl_rowcol_to_cell(row, self.columns[key])

    def first_cell(self, key: str, sheet: str = "Schedule") -> str:
        return f"{sheet}!{xl_rowcol_to_cell(self.first, self.columns[key], True, True)}"


def _write_schedule(sheet, results: Results, fmt: _Formats,
                    tranche_cells: list[tuple[str, str]]) -> _Layout:
    s = results.schedule
    n = len(s)
    layout = _Layout(n)
    names = [t.name for t in results.scenario.hardware.tranches]
    payments_live = payments_follow_fee_schedule(results)
    columns = ["month", "period_start", "next_start", "days", "monthly_fee", "payment",
               "payment_date", "cumulative_payment", "accrued_to_start", "notice_end",
               "notice_end_period", "walkaway_exposure", "discount_factor", "payment_pv",
               "cumulative_payment_pv"]
    columns += [f"tranche_{i}" for i in range(len(tranche_cells))]
    columns += ["gpus_online", "gpu_hours_delivered", "price_per_gpu_hour"]
    layout.columns = {key: i for i, key in enumerate(columns)}
    # Schedule columns are headed as core.figures declares them; the rest are the
    # workbook's own working columns.
    headers = {key: figures.header(key) for key in columns if key in figures.COLUMNS}
    headers.update({
        "period_start": "Period start", "next_start": "Next period start",
        "accrued_to_start": "Fees before the period start ($)",
        "notice_end": "Notice given at period start ends", "notice_end_period":
        "Period the notice ends in"})
    for i, name in enumerate(names):
        headers[f"tranche_{i}"] = f"GPUs online: {name}"
    sheet.write_row(0, 0, [headers[key] for key in columns], fmt.header)
    sheet.set_row(0, 45)
    sheet.freeze_panes(1, 2)

    bounds = np.append(s.month_start, s.month_start[-1] + np.timedelta64(int(s.days[-1]), "D")) \
        if n else s.month_start
    starts, nexts, paydates = _dates(s.month_start), _dates(bounds[1:]), _dates(s.payment_date)
    accrued = np.concatenate(([0.0], np.cumsum(s.monthly_fee)))[:-1]
    # Walk-away exposure (core/termination.py): each month paid in the share of
    # its own days before the notice ends; no termination fee when the notice
    # only reaches the term's end; the rest of the term when the buyer may not end it.
    buyer_may_end = party_may_end(results.scenario, PARTY_BUYER)
    total_hours = s.days * 24.0
    last = layout.last
    col = layout.columns

    def ref(key: str, row: int, absolute: bool = False) -> str:
        return xl_rowcol_to_cell(row, col[key], absolute, absolute)

    def whole(key: str) -> str:
        return (f"{xl_rowcol_to_cell(layout.first, col[key], True, True)}:"
                f"{xl_rowcol_to_cell(last, col[key], True, True)}")

    term_end = ref("next_start", last, True)
    for i in range(n):
        r = i + 1
        sheet.write_number(r, col["month"], i + 1)
        sheet.write_formula(r, col["period_start"],
                            f"=EDATE(contract_start_date,{ref('month', r)}-1)", fmt.date,
                            excel_serial(starts[i]))
        sheet.write_formula(r, col["next_start"],
                            f"=EDATE(contract_start_date,{ref('month', r)})", fmt.date,
                            excel_serial(nexts[i]))
        sheet.write_formula(r, col["days"], f"={ref('next_start', r)}-{ref('period_start', r)}",
                            fmt.number, s.days[i])
        if payments_live:
            sheet.write_formula(
                r, col["monthly_fee"],
                f"=contract_monthly_fee*(1+contract_escalator_pct/100)"
                f"^INT(({ref('month', r)}-1)/12)*IF({ref('month', r)}<=contract_intro_months,"
                f"1-contract_intro_discount_pct/100,1)", fmt.money, s.monthly_fee[i])
            sheet.write_formula(r, col["payment"], f"={ref('monthly_fee', r)}", fmt.money,
                                s.payment[i])
        else:
            sheet.write_number(r, col["monthly_fee"], s.monthly_fee[i], fmt.money)
            sheet.write_number(r, col["payment"], s.payment[i], fmt.money)
        sheet.write_formula(
            r, col["payment_date"],
            f'=IF(contract_payment_timing="advance",{ref("period_start", r)},'
            f'{ref("next_start", r)}-1)', fmt.date, excel_serial(paydates[i]))
        sheet.write_formula(
            r, col["cumulative_payment"],
            f"=SUM({ref('payment', 1, True)}:{ref('payment', r)})", fmt.money,
            s.cumulative_payment[i])
        if i == 0:
            sheet.write_number(r, col["accrued_to_start"], 0, fmt.money)
        else:
            sheet.write_formula(
                r, col["accrued_to_start"],
                f"={ref('accrued_to_start', r - 1)}+{ref('monthly_fee', r - 1)}",
                fmt.money, accrued[i])
        sheet.write_formula(
            r, col["notice_end"],
            f"=MIN({ref('period_start', r)}+contract_notice_days,{term_end})", fmt.date)
        sheet.write_formula(
            r, col["notice_end_period"],
            f"=MATCH({ref('notice_end', r)},{whole('period_start')},1)", fmt.number)
        period = ref("notice_end_period", r)
        if not payments_live:   # credits: the exposure is on invoices the sheet does not model
            sheet.write_number(r, col["walkaway_exposure"], s.walkaway_exposure[i], fmt.money)
        elif not buyer_may_end:
            sheet.write_formula(
                r, col["walkaway_exposure"],
                f"=SUM({ref('payment', r)}:{ref('payment', last)})", fmt.money,
                s.walkaway_exposure[i])
        else:
            sheet.write_formula(
                r, col["walkaway_exposure"],
                f"=INDEX({whole('accrued_to_start')},{period})"
                f"+({ref('notice_end', r)}-INDEX({whole('period_start')},{period}))"
                f"/INDEX({whole('days')},{period})*INDEX({whole('monthly_fee')},{period})"
                f"-{ref('accrued_to_start', r)}"
                f"+IF({ref('notice_end', r)}<{term_end},"
                f"contract_termination_fee_months*{ref('monthly_fee', r)},0)",
                fmt.money, s.walkaway_exposure[i])
        sheet.write_formula(
            r, col["discount_factor"],
            f"=(1+contract_discount_rate_pct/100)^(-({ref('payment_date', r)}"
            f"-contract_start_date)/365)", fmt.decimal, s.discount_factor[i])
        if payments_live:
            sheet.write_formula(r, col["payment_pv"],
                                f"={ref('payment', r)}*{ref('discount_factor', r)}", fmt.money,
                                s.payment_pv[i])
        else:  # credits and deposits are discounted on dates of their own
            sheet.write_number(r, col["payment_pv"], s.payment_pv[i], fmt.money)
        sheet.write_formula(
            r, col["cumulative_payment_pv"],
            f"=SUM({ref('payment_pv', 1, True)}:{ref('payment_pv', r)})", fmt.money,
            s.cumulative_payment_pv[i])
        for k, (count, online) in enumerate(tranche_cells):
            sheet.write_formula(
                r, col[f"tranche_{k}"],
                f"={count}*MAX(0,MIN({ref('days', r)},{ref('next_start', r)}-{online}))"
                f"/{ref('days', r)}", fmt.number)
        if tranche_cells:
            first_tranche = col["tranche_0"]
            span = (f"{xl_rowcol_to_cell(r, first_tranche)}:"
                    f"{xl_rowcol_to_cell(r, first_tranche + len(tranche_cells) - 1)}")
            sheet.write_formula(r, col["gpus_online"], f"=SUM({span})", fmt.number,
                                s.gpus_online[i])
        else:
            sheet.write_number(r, col["gpus_online"], 0, fmt.number)
        sheet.write_formula(
            r, col["gpu_hours_delivered"],
            f"={ref('gpus_online', r)}*{ref('days', r)}*24*hardware_availability_pct/100",
            fmt.number, s.gpus_online[i] * total_hours[i] * results.scenario.hardware.availability_pct / 100)
        price = s.price_per_gpu_hour[i]
        sheet.write_formula(
            r, col["price_per_gpu_hour"],
            f'=IF({ref("gpu_hours_delivered", r)}>0,'
            f'{ref("payment", r)}/{ref("gpu_hours_delivered", r)},"")',
            fmt.money_cents, float(price) if np.isfinite(price) else "")
    if not payments_live:
        sheet.write(n + 2, 0, "Note: fees, payments and their present values are the app's "
                              "values, not formulas: the scenario's pricing (mode, SLA credits, "
                              "deposit or capacity steps) is not the fixed monthly fee the "
                              "formulas model.", fmt.note)
    sheet.set_column(0, 0, 7)
    sheet.set_column(1, len(columns) - 1, 15)
    return layout


def _write_key_figures(book, sheet, results: Results, fmt: _Formats, layout: _Layout) -> None:
    k = results.key_figures
    sheet.write(0, 0, f"Key figures: {results.scenario.name}", fmt.title)
    sheet.write(1, 0, "Formulas over the Schedule and Inputs; column C is the app's figure "
                      "when this file was made.", fmt.note)
    sheet.write_row(3, 0, ["Figure", "Value (formula)", "App's figure", "Difference", "Name"],
                    fmt.header)
    gpu_hours = layout.range("gpu_hours_delivered")
    first_paydate = layout.first_cell("payment_date")
    run_rate = ("=contract_monthly_fee*12"
                if np.isclose(k.annual_run_rate, results.scenario.contract.monthly_fee * 12,
                              rtol=1e-12) else f"={k.annual_run_rate!r}")
    rows = [
        (figures.label("total_contract_value"), "TotalContractValue",
         f"=SUM({layout.range('payment')})", k.total_contract_value, fmt.bold_money),
        (figures.label("annual_run_rate"), "AnnualRunRate", run_rate, k.annual_run_rate,
         fmt.bold_money),
        (figures.label("walkaway_exposure"), "WalkawayExposure",
         f"={layout.first_cell('walkaway_exposure')}", k.walkaway_exposure, fmt.bold_money),
        (figures.label("price_per_gpu_hour"), "PricePerGPUHour",
         f'=IF(SUM({gpu_hours})>0,TotalContractValue/SUM({gpu_hours}),"")',
         k.price_per_gpu_hour, fmt.bold_money_cents),
        # XNPV discounts to its first date; bring that back to the start date, the app's
        # valuation date (they differ when payments are in arrears).
        (figures.label("npv_payments"), "NPVPayments",
         f"=XNPV(contract_discount_rate_pct/100,{layout.range('payment')},"
         f"{layout.range('payment_date')})"
         f"*(1+contract_discount_rate_pct/100)^(-({first_paydate}-contract_start_date)/365)"
         if payments_follow_fee_schedule(results) else f"=SUM({layout.range('payment_pv')})",
         k.npv_payments, fmt.bold_money),
    ]
    for i, (label, name, formula, app_value, cell_format) in enumerate(rows):
        r = 4 + i
        finite = app_value is not None and np.isfinite(app_value)
        sheet.write(r, 0, label)
        sheet.write_formula(r, 1, formula, cell_format, float(app_value) if finite else "")
        if finite:
            sheet.write_number(r, 2, float(app_value), cell_format)
            sheet.write_formula(r, 3, f'=IF(ISNUMBER(B{r + 1}),B{r + 1}-C{r + 1},"")',
                                fmt.money_cents, 0)
        sheet.write(r, 4, name)
        book.define_name(name, f"='Key figures'!$B${r + 1}")
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, 3, 22)
    sheet.set_column(4, 4, 22)


def _write_charts(book, sheet, results: Results, layout: _Layout) -> None:
    n = layout.n
    if n == 0:
        return
    categories = layout.range("period_start")

    def series(key: str, colour: str, **extra) -> dict:
        # Named as core.figures labels the schedule column.
        return dict(name=figures.label(key), categories=categories, values=layout.range(key),
                    line={"color": colour, "width": 2.25}, **extra)

    payments = book.add_chart({"type": "column"})
    payments.add_series(dict(name=figures.label("payment"), categories=categories,
                             values=layout.range("payment"), gap=30,
                             fill={"color": OKABE_ITO["sky"]},
                             border={"color": OKABE_ITO["blue"]}))
    exposure = book.add_chart({"type": "line"})
    exposure.add_series(series("walkaway_exposure", OKABE_ITO["vermillion"]))
    payments.combine(exposure)
    payments.set_title({"name": "Monthly payment and walk-away exposure"})
    payments.set_y_axis({"num_format": "$#,##0,,,\"B\"", "name": "$ per month"})

    cumulative = book.add_chart({"type": "line"})
    cumulative.add_series(series("cumulative_payment", OKABE_ITO["blue"]))
    cumulative.add_series(series("cumulative_payment_pv", OKABE_ITO["green"]))
    cumulative.set_title({"name": "Cumulative spend"})
    cumulative.set_y_axis({"num_format": "$#,##0,,,\"B\"", "name": "$"})

    gpus = book.add_chart({"type": "area", "subtype": "stacked"})
    tranches = [key for key in layout.columns if key.startswith("tranche_")]
    for i, key in enumerate(tranches):
        colour = OKABE_ITO[SERIES_ORDER[i % len(SERIES_ORDER)]]
        gpus.add_series(dict(name=results.scenario.hardware.tranches[i].name,
                             categories=categories, values=layout.range(key),
                             fill={"color": colour}))
    gpus.set_title({"name": "GPUs online by tranche"})
    gpus.set_y_axis({"num_format": "#,##0", "name": "GPUs"})

    price = book.add_chart({"type": "line"})
    price.add_series(series("price_per_gpu_hour", OKABE_ITO["blue"]))
    price.set_title({"name": "Price per delivered GPU-hour"})
    price.set_y_axis({"num_format": "$0.00", "name": "$ per GPU-hour"})

    for chart in (payments, cumulative, gpus, price):
        chart.set_x_axis({"date_axis": True, "num_format": "mmm yyyy", "name": "Month"})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 760, "height": 360})
    sheet.write(0, 0, f"Charts: {results.scenario.name} (drawn from the Schedule sheet)")
    sheet.insert_chart("A3", payments)
    sheet.insert_chart("A23", cumulative)
    if tranches:
        sheet.insert_chart("M3", gpus)
    sheet.insert_chart("M23", price)


def _write_app_schedule(sheet, results: Results, fmt: _Formats) -> None:
    frame = results.schedule.to_frame()
    sheet.write(0, 0, "The app's monthly schedule, every column, as values (for reference).",
                fmt.note)
    sheet.write_row(1, 0, list(frame.columns), fmt.header)
    for c, name in enumerate(frame.columns):
        column = frame[name]
        for r, value in enumerate(column):
            if hasattr(value, "date") and not isinstance(value, (int, float)):
                sheet.write_datetime(r + 2, c, value.date(), fmt.date)
            elif isinstance(value, (bool, np.bool_)):
                sheet.write_boolean(r + 2, c, bool(value))
            else:
                value = float(value)
                if np.isfinite(value):
                    sheet.write_number(r + 2, c, value)
                else:
                    sheet.write_string(r + 2, c, "")
    sheet.freeze_panes(2, 1)
    sheet.set_column(0, len(frame.columns) - 1, 14)
