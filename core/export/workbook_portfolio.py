"""The portfolio's workbook (core/portfolio.py): a book of deals an analyst
can audit and change.

Sheets:
- Portfolio: the concentration on top (each counterparty's commitments,
  share and Herfindahl-Hirschman points, the index, the largest share and
  counterparty, whether one holds more than a third), then one column a
  deal of its monthly commitments (the buyer's payments, or the provider's
  revenue) on the book's calendar, headed by its counterparty and the
  scenario it comes from.  The deals' months are values (the app computes
  each deal; its own workbook is the live model of it); every total, share
  and the index are formulas over them, so a deal's months typed over
  move the whole sheet.  Defined names: PortfolioTotal, PortfolioHHI,
  LargestShare, LargestCounterparty.
- Sources: every deal, credit and market figure behind the book with its
  label ([R]/[E]/[D]), date and source, and what each deal assumes.

Each formula carries its value as the cached result (the sums and shares
computed here as the formula computes them), so a reader that does not
recalculate shows the figures.
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from core.export.portfolio_pack import deal_figures, source_lines, what_is_committed
from core.portfolio import CONCENTRATION_THRESHOLD, Portfolio, concentration, portfolio_totals
from core.portfolio_risk import PortfolioRisk

MONEY = "$#,##0;($#,##0);$0"
SHEET = "Portfolio"
TOP = 4                    # the concentration table's header row
SOURCE_COLUMN_WIDTH = 90   # characters: the width of a landscape page
SOURCE_CHARACTERS_PER_LINE = 80   # of a wrapped source line in that column (a margin spare)


def _abs(row: int, col: int) -> str:
    return xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)


def write_portfolio_workbook(portfolio: Portfolio, path, risk: PortfolioRisk | None = None
                             ) -> None:
    """Write the workbook to a path or a binary file object; with `risk` (the
    joint simulation, core/portfolio_risk.py's PortfolioRisk) a Joint
    simulation sheet of its figures."""
    totals = portfolio_totals(portfolio)
    conc = concentration(portfolio)
    by_deal = deal_figures(portfolio)
    what = what_is_committed(portfolio.side).capitalize()
    book = xlsxwriter.Workbook(path if hasattr(path, "write") else str(path))
    try:
        title = book.add_format({"bold": True, "font_size": 14})
        note = book.add_format({"italic": True, "font_color": "#4A5560"})
        header = book.add_format({"bold": True, "bottom": 1, "bg_color": "#E8EDF2",
                                  "text_wrap": True, "valign": "top"})
        money = book.add_format({"num_format": MONEY})
        bold_money = book.add_format({"num_format": MONEY, "bold": True})
        percent = book.add_format({"num_format": "0.0%"})
        points = book.add_format({"num_format": "#,##0"})
        month = book.add_format({"num_format": "mmm yyyy", "align": "left"})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        label = book.add_format({"bold": True, "valign": "top"})
        sheet = book.add_worksheet(SHEET)
        sheet.write(0, 0, f"Portfolio: {portfolio.name}", title)
        sheet.write(1, 0, f"{portfolio.party}'s book as {portfolio.side}. Each deal's monthly "
                          f"{what.lower()}: values from the app [D], headed by the scenario "
                          f"they come from.", note)
        sheet.write(2, 0, "Totals, shares, HHI and the largest share: formulas over them. "
                          "Sources and assumptions: the Sources sheet.", note)

        # The monthly block's place, known before the concentration refers to it.
        ranked = sorted(conc.shares.items(), key=lambda kv: -kv[1])
        k = len(ranked)
        block = TOP + k + 9     # the monthly block's header row: below the 4 facts, a row between
        who_row, scenario_row, total_row = block + 1, block + 2, block + 3
        first_month_row = block + 4
        n, d = len(totals.months), len(by_deal)
        first_col, last_col = 1, d
        total_col = d + 1
        counterparties = f"{_abs(who_row, first_col)}:{_abs(who_row, last_col)}"
        deal_totals = f"{_abs(total_row, first_col)}:{_abs(total_row, last_col)}"

        # --- concentration --------------------------------------------------------------
        sheet.write(TOP - 1, 0, "Concentration", label)
        sheet.write_row(TOP, 0, ["Counterparty", "Deals", what, "Share", "HHI points"], header)
        whole = float(sum(f.total for f in by_deal))
        sums = {name: float(sum(f.total for f in by_deal if f.deal.counterparty == name))
                for name, _s in ranked}
        all_row = TOP + 1 + k
        whole_cell = _abs(all_row, 2)
        for i, (name, _share) in enumerate(ranked):
            r = TOP + 1 + i
            sheet.write_string(r, 0, name)
            sheet.write_formula(r, 1, f"=COUNTIF({counterparties},A{r + 1})", None,
                                sum(1 for f in by_deal if f.deal.counterparty == name))
            sheet.write_formula(r, 2, f"=SUMIF({counterparties},A{r + 1},{deal_totals})",
                                money, sums[name])
            share = sums[name] / whole if whole > 0 else 0.0
            sheet.write_formula(r, 3, f"=IF({whole_cell}>0,C{r + 1}/{whole_cell},0)", percent,
                                share)
            sheet.write_formula(r, 4, f"=(100*D{r + 1})^2", points, (100 * share) ** 2)
        first, last = TOP + 2, all_row
        sheet.write_string(all_row, 0, "All", label)
        sheet.write_formula(all_row, 1, f"=SUM(B{first}:B{last})", None, len(by_deal))
        sheet.write_formula(all_row, 2, f"=SUM(C{first}:C{last})", bold_money, whole)
        sheet.write_formula(all_row, 3, f"=SUM(D{first}:D{last})", percent,
                            sum(sums[n_] / whole for n_ in sums) if whole > 0 else 0.0)
        hhi = sum((100 * sums[n_] / whole) ** 2 for n_ in sums) if whole > 0 else 0.0
        sheet.write_formula(all_row, 4, f"=SUM(E{first}:E{last})", points, hhi)
        largest = max(sums.values()) / whole if whole > 0 else 0.0
        facts = (
            ("Herfindahl-Hirschman index (0 to 10,000)", f"=E{all_row + 1}", points, hhi,
             "PortfolioHHI"),
            ("Largest share", f"=MAX(D{first}:D{last})", percent, largest, "LargestShare"),
            ("Largest counterparty",
             f"=INDEX(A{first}:A{last},MATCH(MAX(D{first}:D{last}),D{first}:D{last},0))", None,
             conc.largest, "LargestCounterparty"),
            ("One counterparty holds more than a third",
             f'=IF(MAX(D{first}:D{last})>1/3,"yes","no")', None,
             "yes" if largest > CONCENTRATION_THRESHOLD else "no", ""),
        )
        for i, (text, formula, fmt, value, name) in enumerate(facts):
            r = all_row + 2 + i
            sheet.write_string(r, 0, text, label)
            sheet.write_formula(r, 2, formula, fmt, value)
            if name:
                book.define_name(name, f"='{SHEET}'!{_abs(r, 2)}")
        book.define_name("PortfolioTotal", f"='{SHEET}'!{whole_cell}")

        # --- the deals month by month ---------------------------------------------------------
        sheet.write(block - 1, 0, f"{what} by month, deal by deal", label)
        sheet.write_row(block, 0, ["Month", *(f"Deal {i + 1}" for i in range(d)), "All deals"],
                        header)
        sheet.write_string(who_row, 0, "Counterparty", label)
        sheet.write_string(scenario_row, 0, "Scenario (source)", label)
        sheet.write_string(total_row, 0, f"{what} over the book", label)
        for j, f in enumerate(by_deal):
            col = first_col + j
            sheet.write_string(who_row, col, f.deal.counterparty, label)
            sheet.write_string(scenario_row, col, f.deal.scenario.name, wrap)
            column = xl_col_to_name(col)
            sheet.write_formula(total_row, col, f"=SUM({column}{first_month_row + 1}:"
                                                f"{column}{first_month_row + n})", bold_money,
                                f.total)
            for m in range(n):
                sheet.write_number(first_month_row + m, col, float(f.commitments[m]), money)
        last_name = xl_col_to_name(last_col)
        sheet.write_formula(total_row, total_col,
                            f"=SUM(B{total_row + 1}:{last_name}{total_row + 1})", bold_money,
                            whole)
        for m, start in enumerate(totals.months):
            r = first_month_row + m
            day = dt.date.fromisoformat(str(np.datetime64(start, "D")))
            sheet.write_datetime(r, 0, dt.datetime(day.year, day.month, day.day), month)
            sheet.write_formula(r, total_col, f"=SUM(B{r + 1}:{last_name}{r + 1})", money,
                                float(sum(f.commitments[m] for f in by_deal)))
        sheet.set_column(0, 0, 38)
        sheet.set_column(1, total_col, 20)
        sheet.set_row(scenario_row, 48)
        sheet.freeze_panes(first_month_row, 1)
        sheet.set_landscape()
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(block, total_row)
        sheet.set_footer("&L&A&RPage &P of &N")

        sources = book.add_worksheet("Sources")
        sources.write(0, 0, f"Sources: {portfolio.name}", title)
        sources.write(1, 0, "Each figure's label: [R] reported, [E] estimate, [D] derived; "
                            "its date and source follow it.", note)
        for i, line in enumerate(source_lines(portfolio)):
            sources.write_string(3 + i, 0, line, wrap)
            # Readers that do not lay out rows (LibreOffice's conversion) need the height.
            sources.set_row(3 + i, 15 * math.ceil(len(line) / SOURCE_CHARACTERS_PER_LINE))
        sources.set_column(0, 0, SOURCE_COLUMN_WIDTH)
        sources.set_landscape()
        sources.set_paper(9)
        sources.fit_to_pages(1, 0)
        if risk is not None:
            _write_risk(book.add_worksheet("Joint simulation"), risk, title, note, header,
                        money, percent, label)
        book.set_properties({"title": f"{portfolio.name}: compute portfolio",
                             "comments": "Made by Compute Deal Modeler"})
    finally:
        book.close()


def _write_risk(sheet, risk: PortfolioRisk, title, note, header, money, percent, label) -> None:
    """The joint simulation's figures as values (the app simulates them; a
    formula cannot), with the paths and the seed they come from."""
    sheet.write(0, 0, f"Joint simulation: {risk.figure_label}", title)
    sheet.write(1, 0, f"Every deal on the same simulated market paths, each counterparty's "
                      f"default drawn once for all its deals: {risk.paths:,} paths, seed "
                      f"{risk.seed}, default correlation {risk.default_correlation_pct:g}% [D]. "
                      f"Values, not formulas: export again after a change.", note)
    figures = (("Without a default", risk.deterministic), ("Mean", risk.mean),
               ("P5", risk.p5), ("Median (P50)", risk.p50), ("P95", risk.p95),
               ("Standard deviation", risk.std),
               ("What defaults cost on average", risk.expected_credit_loss))
    sheet.write_row(3, 0, ["Figure", "Value"], header)
    for i, (text, value) in enumerate(figures):
        sheet.write_string(4 + i, 0, text, label)
        sheet.write_number(4 + i, 1, float(value), money)
    row = 5 + len(figures)
    sheet.write_row(row, 0, ["Deal", "Counterparty", "Without a default", "Mean",
                             "Contribution to the standard deviation", "Share"], header)
    for i, c in enumerate(risk.contributions):
        r = row + 1 + i
        sheet.write_string(r, 0, c.name)
        sheet.write_string(r, 1, c.counterparty)
        for j, value in enumerate((c.deterministic, c.mean, c.contribution)):
            sheet.write_number(r, 2 + j, float(value), money)
        sheet.write_number(r, 5, float(c.share), percent)
    row += len(risk.contributions) + 2
    sheet.write_row(row, 0, ["Counterparty", "Chance of default before its last deal ends"],
                    header)
    for i, (who, chance) in enumerate(dict(risk.default_probability).items()):
        sheet.write_string(row + 1 + i, 0, who)
        sheet.write_number(row + 1 + i, 1, float(chance), percent)
    sheet.set_column(0, 1, 36)
    sheet.set_column(2, 5, 22)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
