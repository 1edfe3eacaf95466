"""The workbook's Credit sheet: counterparty credit (core/credit.py) as live
formulas over the Inputs, the Schedule and the Drivers.

Each party's hazard rate from its Inputs (spread / (1 - recovery), -ln(1 - p)
for an annual default probability, or its rating's generic one-year rate
from the rating table on this sheet), its guarantor, then one row a month
(blank past the term, as the Schedule): the chance each party defaults in
the month, S(t_k) - S(t_k+1) with S(t) = exp(-h t), each side's discount
factor on the month's first day, each side's exposure built from the
Schedule's columns (the buyer's replacement over the months the provider
owed, the provider's invoices to when the buyer could have walked less
re-letting, as core/credit.py's exposure profiles), and the expected loss
of the month split between the party's own credit and its guarantor's:

    loss_k = E_k D_k [(1 - g)(1 - R) PD_k + g (1 - R_g) PD_g,k]

The totals (expected losses, peak exposures, credit-adjusted NPVs) have
defined names (BuyerExpectedCreditLoss, ...) and sit beside the app's
figures when the file was made.  Every formula carries the app's value as
its cached result (core/credit.py's parts; the sums' own arithmetic).
"""
from __future__ import annotations

import numpy as np
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from core import credit, figures
from core.engine import credit_flows
from core.export.workbook import _Formats, _lines, _page_setup, key_figure_name
from core.export.workbook_cache import WorkbookCache, cached
from core.export.workbook_schedule import FIRST_ROW, START, TERM, Refs
from core.parameters import (CREDIT_PROBABILITY, CREDIT_RATING, CREDIT_SPREAD, PARTY_BUYER,
                             PARTY_EITHER, PARTY_PROVIDER, ContractTerms, Credit, choice_text,
                             field_meta)

SIDES = ("provider", "buyer")          # the defaulting party
OTHER = {"provider": "buyer", "buyer": "provider"}
TITLE = {"provider": "Provider", "buyer": "Buyer"}


def _text(cls, name: str, value: str) -> str:
    return '"' + choice_text(field_meta(cls, name), value) + '"'


def credit_figure_name(key: str) -> str:
    """The defined name of a credit figure: BuyerExpectedCreditLoss, ..."""
    return key_figure_name(key)


def credit_checks() -> list[tuple[str, str]]:
    """The Checks sheet's credit rows (the workbook agrees with itself)."""
    return [(f"Credit: the {side}'s expected loss is its own-credit share plus the guaranteed "
             f"share, and the months' losses sum to it",
             f"AND(ABS(crd_total_{side}_loss_own+crd_total_{side}_loss_guaranteed-"
             f"{credit_figure_name(side + '_expected_credit_loss')})<=0.000001*MAX(1,"
             f"ABS({credit_figure_name(side + '_expected_credit_loss')})),"
             f"ABS(SUM(crd_{side}_loss)-{credit_figure_name(side + '_expected_credit_loss')})"
             f"<=0.000001*MAX(1,ABS({credit_figure_name(side + '_expected_credit_loss')})))")
            for side in ("buyer", "provider")]


def against_app(results) -> list[tuple[str, str, object]]:
    """The Checks sheet's rows comparing the Credit sheet's figures with the
    app's when the file was made: (label, formula, cached result)."""
    rows: list[tuple[str, str, object]] = []
    for key in ("buyer_expected_credit_loss", "provider_expected_credit_loss",
                "credit_adjusted_buyer_npv", "credit_adjusted_provider_npv"):
        app = getattr(results.credit, key)
        name = credit_figure_name(key)
        if np.isfinite(app):
            formula = f"AND(ISNUMBER({name}),ABS({name}-({app!r}))<=0.005)"
        else:
            formula = f'{name}="n/a"'
        rows.append((f"{figures.label(key)}: the Credit sheet's equals the app's "
                     f"({figures.format_value(key, app)}) to the cent", formula, True))
    return rows


def write_credit(book, sheet, results, fmt: _Formats, R: Refs, cache: WorkbookCache) -> None:
    scenario = results.scenario
    c = scenario.credit
    flows = credit_flows(scenario)
    market = scenario.market
    n = flows.invoice.size
    rows = R.rows
    parties = {side: c.party(side) for side in SIDES}
    h = {side: credit.hazard(p) for side, p in parties.items()}
    hg = {side: credit.guarantor_hazard(p) for side, p in parties.items()}
    g = {side: (p.guaranteed_pct / 100.0 if p.guarantor_name.strip() else 0.0)
         for side, p in parties.items()}
    term_years = float(flows.years[-1]) if n else 0.0

    sheet.write(0, 0, f"Credit: {scenario.name}", fmt.title)
    sheet.write(1, 0, "Counterparty credit (core/credit.py) as formulas over the Inputs and the "
                      "Schedule: each party's hazard h, the chance it defaults in each month "
                      "S(t_k) - S(t_k+1) with S(t) = exp(-h t), what its default would cost the "
                      "other side (exposure, in money of the month's first day) and the "
                      "expected loss (1 - R) x sum of exposure x discount factor x that chance; "
                      "a guaranteed share at the guarantor's hazard and recovery.", fmt.note)

    # --- each party's credit ----------------------------------------------------------
    basis = {v: _text(Credit, "provider_basis", v)
             for v in (CREDIT_SPREAD, CREDIT_PROBABILITY, CREDIT_RATING)}
    may_walk = {
        "provider": f"OR(contract_terminating_party={_text(ContractTerms, 'terminating_party', PARTY_EITHER)},"
                    f"contract_terminating_party={_text(ContractTerms, 'terminating_party', PARTY_PROVIDER)})",
        "buyer": f"OR(contract_terminating_party={_text(ContractTerms, 'terminating_party', PARTY_EITHER)},"
                 f"contract_terminating_party={_text(ContractTerms, 'terminating_party', PARTY_BUYER)})"}

    def annual_pct(s):
        return (f"IF(credit_{s}_basis={basis[CREDIT_PROBABILITY]},credit_{s}_annual_default_pct,"
                f"INDEX(crd_rating_pct,MATCH(credit_{s}_rating,crd_rating_names,0)))")

    def annual_cached(s):
        p = parties[s]
        if p.basis == CREDIT_SPREAD:
            return "spread"
        return p.annual_default_pct if p.basis == CREDIT_PROBABILITY \
            else credit.RATING_DEFAULT_PCT[p.rating]

    items = [
        # label, unit, format, formula(side), defined name suffix, cached(side)
        ("Name", "", "text", lambda s: f'=""&credit_{s}_name', None,
         lambda s: parties[s].name),
        ("Credit figure: label, date, source", "", "text",
         lambda s: f'=""&credit_{s}_label&" "&credit_{s}_as_of&", "&credit_{s}_source', None,
         lambda s: f"{choice_text(field_meta(Credit, f'{s}_label'), parties[s].label)} "
                   f"{parties[s].as_of}, {parties[s].source}"),
        ("Credit from", "", "text", lambda s: f'=""&credit_{s}_basis', None,
         lambda s: choice_text(field_meta(Credit, f"{s}_basis"), parties[s].basis)),
        ("Annual default probability used (a rating: the table below)", "%", "number",
         lambda s: f'=IF(credit_{s}_basis={basis[CREDIT_SPREAD]},"spread",{annual_pct(s)})',
         None, annual_cached),
        ("Hazard rate h: spread / (1 - R), or -ln(1 - p)", "a year", "percent",
         lambda s: f"=IF(credit_{s}_basis={basis[CREDIT_SPREAD]},"
                   f"credit_{s}_spread_bp/10000/(1-credit_{s}_recovery_pct/100),"
                   f"-LN(1-{annual_pct(s)}/100))", "hazard", lambda s: h[s]),
        ("Recovery R", "", "percent", lambda s: f"=credit_{s}_recovery_pct/100", "recovery",
         lambda s: parties[s].recovery_pct / 100.0),
        ("Chance of default over the term, 1 - exp(-h T)", "", "percent",
         lambda s: f"=1-EXP(-crd_{s}_hazard*(drv_term_end-{START})/365)", "default_term",
         lambda s: credit.default_probability(h[s], term_years)),
        ("Guarantor", "", "text",
         lambda s: f'=IF(LEN(TRIM(""&credit_{s}_guarantor_name))=0,"none",""&credit_{s}_guarantor_name)',
         None, lambda s: parties[s].guarantor_name.strip() and parties[s].guarantor_name or "none"),
        ("Share guaranteed g (0 without a guarantor)", "", "percent",
         lambda s: f'=IF(LEN(TRIM(""&credit_{s}_guarantor_name))=0,0,credit_{s}_guaranteed_pct/100)',
         "guaranteed", lambda s: g[s]),
        ("Guarantor's hazard: its spread / (1 - its recovery)", "a year", "percent",
         lambda s: f"=credit_{s}_guarantor_spread_bp/10000/(1-credit_{s}_guarantor_recovery_pct/100)",
         "guarantor_hazard", lambda s: hg[s]),
        ("Guarantor's recovery R_g", "", "percent",
         lambda s: f"=credit_{s}_guarantor_recovery_pct/100", "guarantor_recovery",
         lambda s: parties[s].guarantor_recovery_pct / 100.0),
        ("May walk on notice (its exposure window ends with its notice)", "", "bool",
         lambda s: f"={may_walk[s]}", "may_walk",
         lambda s: flows.provider_may_walk if s == "provider" else flows.buyer_may_walk),
        ("Wrong-way correlation: simulated paths only (this sheet is the analytic, "
         "independent case)", "", "percent",
         lambda s: f"=credit_{s}_wrong_way_pct/100", None,
         lambda s: getattr(c, f"{s}_wrong_way_pct") / 100.0),
    ]
    header = 3
    sheet.write_row(header, 0, ["Each party's credit (the defaulting party)",
                                "Provider (its default costs the buyer)",
                                "Buyer (its default costs the provider)", "Unit", "Names"],
                    fmt.header)
    sheet.set_row(header, 30)
    row = header + 1
    for label, unit, number_format, formula, name, value in items:
        sheet.write(row, 0, label, fmt.wrap)
        for col, side in ((1, "provider"), (2, "buyer")):
            cell_format = fmt.wrap if number_format == "text" else fmt.number(number_format)
            sheet.write_formula(row, col, formula(side), cell_format, cached(value(side)))
            if name:
                book.define_name(f"crd_{side}_{name}",
                                 f"=Credit!{xl_rowcol_to_cell(row, col, True, True)}")
        sheet.write(row, 3, unit, fmt.text)
        if name:
            sheet.write(row, 4, f"crd_provider_{name}, crd_buyer_{name}", fmt.text)
        texts = [str(value(side)) for side in SIDES] if number_format == "text" else []
        sheet.set_row(row, 15 * max([_lines(label, 50)] + [_lines(t, 24) for t in texts]))
        row += 1

    # --- the rating table ---------------------------------------------------------------
    row += 1
    sheet.write(row, 0, "Generic one-year default rates by rating", fmt.subtitle)
    sheet.write(row, 1, f"{credit.RATING_LABEL} {credit.RATING_SOURCE} ({credit.RATING_DATE})",
                fmt.note)
    row += 1
    sheet.write_row(row, 0, ["Rating", "One-year default rate (%)"], fmt.header)
    first = row + 1
    for rating, pct in credit.RATING_DEFAULT_PCT.items():
        row += 1
        sheet.write_string(row, 0, rating)
        sheet.write_number(row, 1, pct, fmt.number("number"))
    book.define_name("crd_rating_names", f"=Credit!$A${first + 1}:$A${row + 1}")
    book.define_name("crd_rating_pct", f"=Credit!$B${first + 1}:$B${row + 1}")

    # --- the monthly table (written first in this function's terms: its names) ---------
    totals_row = row + 2
    totals = _totals(results, c)
    # Title, headers, the figures and each expected loss's two shares, a blank row, a title.
    table_header = totals_row + 2 + len(totals) + 2 * 2 + 2
    split = _write_months(book, sheet, results, fmt, R, cache, flows, market, parties, h, hg,
                          g, table_header)
    _write_totals(book, sheet, fmt, totals, totals_row, split)
    # One set of widths for the blocks above and the monthly table below: labels
    # (and the month) in A, the parties' and the first steps' columns wider, then
    # one width that holds a money figure; the names overflow to the right.
    sheet.set_column(0, 0, 50)
    sheet.set_column(1, 2, 24)
    sheet.set_column(3, len(_month_columns()) - 1, 16)
    sheet.freeze_panes(table_header + 1, 1)
    # Printed: the summary on its own page, the monthly table from the next.
    sheet.set_h_pagebreaks([table_header - 1])
    _page_setup(sheet, table_header + max(1, n), len(_month_columns()) - 1,
                repeat_rows=None, fit_width=3)


def _totals(results, c) -> list[tuple[str, str, object]]:
    """(key, formula, app value) of the credit figures."""
    k = results.credit
    out = []
    for side in ("buyer", "provider"):
        other = OTHER[side]
        out += [
            (f"{other}_default_probability", f"=crd_{other}_default_term",
             getattr(k, f"{other}_default_probability")),
            (f"{side}_peak_credit_exposure", f"=MAX(crd_{side}_exposure)",
             getattr(k, f"{side}_peak_credit_exposure")),
            (f"{side}_expected_credit_loss", f"=SUM(crd_{side}_loss)",
             getattr(k, f"{side}_expected_credit_loss")),
            (f"credit_adjusted_{side}_npv",
             f'=IF(ISNUMBER({key_figure_name(side + "_npv")}),'
             f'{key_figure_name(side + "_npv")}-{credit_figure_name(side + "_expected_credit_loss")},"n/a")',
             getattr(k, f"credit_adjusted_{side}_npv")),
        ]
    return out


def _write_totals(book, sheet, fmt: _Formats, totals, row: int,
                  split: dict[tuple[str, str], float]) -> None:
    sheet.write(row, 0, "Expected losses and credit-adjusted NPVs", fmt.subtitle)
    row += 1
    sheet.write_row(row, 0, ["Figure", "Workbook", "App (when the file was made)",
                             "Difference", "Name"], fmt.header)
    for key, formula, app in totals:
        row += 1
        o = figures.output(key)
        sheet.write(row, 0, o.label, fmt.text)
        finite = bool(np.isfinite(app))
        sheet.write_formula(row, 1, formula, fmt.for_output(key),
                            cached(app) if finite else "n/a")
        if finite:
            sheet.write_number(row, 2, float(app), fmt.for_output(key))
        else:
            sheet.write_string(row, 2, "n/a")
        # Rounded (to the cent, or a millionth of a share): the two agree to the last
        # bits, and a difference of 1e-6 on $3B is noise, not a finding.
        places = 2 if o.fmt == "money" else 6
        sheet.write_formula(row, 3, f'=IF(AND(ISNUMBER(B{row + 1}),ISNUMBER(C{row + 1})),'
                                    f'ROUND(B{row + 1}-C{row + 1},{places}),"")',
                            fmt.for_output(key), 0 if finite else "")
        sheet.write(row, 4, credit_figure_name(key), fmt.text)
        book.define_name(credit_figure_name(key), f"=Credit!$B${row + 1}")
        if key.endswith("_expected_credit_loss"):
            side = key.split("_")[0]
            for part, label in (("own", "of it at the provider's own credit"
                                 if side == "buyer" else "of it at the buyer's own credit"),
                                ("guaranteed", "of it on the guaranteed share")):
                row += 1
                sheet.write(row, 0, f"   {label}", fmt.text)
                sheet.write_formula(row, 1, f"=SUM(crd_{side}_loss_{part})", fmt.number("money"),
                                    cached(split[(side, part)]))
                book.define_name(f"crd_total_{side}_loss_{part}",
                                 f"=Credit!$B${row + 1}")


def _month_columns() -> list[str]:
    return list(_COLUMN_HEADERS)


_COLUMN_HEADERS = {
    "month": ("Month", "month"),
    "t0": ("Years from the start to the month's first day, t_k", "factor"),
    "t1": ("... to the next month's, t_k+1", "factor"),
    "provider_pd": ("Chance the provider defaults in the month, S(t_k) - S(t_k+1)", "factor"),
    "provider_g_pd": ("Chance the provider's guarantor defaults in the month", "factor"),
    "buyer_pd": ("Chance the buyer defaults in the month", "factor"),
    "buyer_g_pd": ("Chance the buyer's guarantor defaults in the month", "factor"),
    "buyer_df": ("Buyer's discount factor, the month's first day", "factor"),
    "provider_df": ("Provider's discount factor, the month's first day", "factor"),
    # The buyer's exposure to the provider (core/credit.py buyer_exposure_parts).
    "b_margin": ("Token margin lost, PV (revenue - invoice) x DF", "money"),
    "b_dearer": ("Replacement dearer than the invoice, PV ((1 + premium) x market value - "
                 "invoice) x DF", "money"),
    "b_margin_cum": ("Token margin lost, PV, to date", "money"),
    "b_dearer_cum": ("Replacement dearer, PV, to date", "money"),
    "b_end": ("Provider's window after a default: last month owed", "month"),
    "b_share": ("... its share owed", "factor"),
    "b_replacing": ("Replacing the capacity (money of the month's first day, floored at 0)",
                    "money"),
    "deposit_held": ("Deposit held by the provider", "money"),
    "b_prepaid": ("Month paid in advance", "money"),
    "buyer_exposure": (figures.header("buyer_credit_exposure"), "money"),
    "buyer_loss_own": ("Buyer's expected loss, provider's own credit (1 - g)(1 - R) E D PD",
                       "money"),
    "buyer_loss_guaranteed": ("Buyer's expected loss, guaranteed share g (1 - R_g) E D PD_g",
                              "money"),
    "buyer_loss": (figures.header("buyer_expected_credit_loss_by_month"), "money"),
    # The provider's exposure to the buyer (core/credit.py provider_exposure_parts).
    "p_invoice": ("Invoice, PV at the WACC", "money"),
    "p_relet": ("Re-letting, PV: max(market value x (1 - discount), own use)", "money"),
    "p_invoice_cum": ("Invoice PV to date", "money"),
    "p_relet_cum": ("Re-letting PV to date", "money"),
    "p_end": ("Buyer's window after a default: last month owed", "month"),
    "p_share": ("... its share owed", "factor"),
    "p_lost": ("Invoices owed less re-letting (money of the month's first day)", "money"),
    "p_unpaid": ("Month unpaid (arrears)", "money"),
    "p_fee": ("Termination fee the buyer would have paid", "money"),
    "provider_exposure": (figures.header("provider_credit_exposure"), "money"),
    "provider_loss_own": ("Provider's expected loss, buyer's own credit", "money"),
    "provider_loss_guaranteed": ("Provider's expected loss, guaranteed share", "money"),
    "provider_loss": (figures.header("provider_expected_credit_loss_by_month"), "money"),
}
# Defined names of the columns other formulas read.
_NAMED = {"b_margin": "crd_b_margin", "b_dearer": "crd_b_dearer", "b_margin_cum": "crd_b_margin_cum",
          "b_dearer_cum": "crd_b_dearer_cum", "p_invoice": "crd_p_invoice",
          "p_relet": "crd_p_relet", "p_invoice_cum": "crd_p_invoice_cum",
          "p_relet_cum": "crd_p_relet_cum", "buyer_exposure": "crd_buyer_exposure",
          "provider_exposure": "crd_provider_exposure", "buyer_loss": "crd_buyer_loss",
          "provider_loss": "crd_provider_loss", "buyer_loss_own": "crd_buyer_loss_own",
          "buyer_loss_guaranteed": "crd_buyer_loss_guaranteed",
          "provider_loss_own": "crd_provider_loss_own",
          "provider_loss_guaranteed": "crd_provider_loss_guaranteed"}


def _window_sum(x: str, cum: str, frm: str, end: str, share: str) -> str:
    """Sum of column x over months frm + 1 .. end, month `end` in its `share`:
    cum(end) - x(end) (1 - share) - cum(frm)."""
    return f"(INDEX({cum},{end})-INDEX({x},{end})*(1-{share})-INDEX({cum},{frm}))"


def _write_months(book, sheet, results, fmt: _Formats, R: Refs, cache: WorkbookCache, flows,
                  market, parties, h, hg, g, header: int) -> dict[tuple[str, str], float]:
    keys = _month_columns()
    col = {key: i for i, key in enumerate(keys)}
    first = header + 1
    n = flows.invoice.size

    def c(key, k):
        return xl_rowcol_to_cell(first + k - 1, col[key])

    def sched(key, k):
        return f"Schedule!{R.c(key, k)}"

    def at(key, index):
        return f"INDEX(sched_{key},{index})"

    lead_b, lead_p = "market_buyer_replacement_lead_months", "market_provider_relet_lead_months"

    # The formulas the two sides share, each made once per side.
    def default_pd(hazard):
        """The chance of default in month k: S(t0) - S(t1), S(t) = exp(-hazard t)."""
        return lambda k: f"EXP(-{hazard}*{c('t0', k)})-EXP(-{hazard}*{c('t1', k)})"

    def running(key, cum):
        """Column `key` summed to date."""
        return lambda k: c(key, k) if k == 1 else f"{c(cum, k - 1)}+{c(key, k)}"

    def window(notice_key, may_walk, last):
        """After a default in month k, the counterparty's notice window (given on month
        k + 1's first day; none after the last month): its last month or its share."""
        return lambda k: (f"IF({c('month', k)}={TERM},{c('month', k) if last else 1},IF({may_walk},"
                          f"{at(notice_key, c('month', k) + '+1')},{TERM if last else 1}))")

    def losses(side, exposure, df, party, pd, g_pd):
        """One side's expected loss: own credit (1 - g)(1 - R) E D PD, guaranteed g (1 - R_g) E D PD_g."""
        return {
            f"{side}_loss_own": lambda k: f"{c(exposure, k)}*{c(df, k)}*(1-crd_{party}_guaranteed)"
                                          f"*(1-crd_{party}_recovery)*{c(pd, k)}",
            f"{side}_loss_guaranteed": lambda k: f"{c(exposure, k)}*{c(df, k)}*crd_{party}_guaranteed"
                                                 f"*(1-crd_{party}_guarantor_recovery)*{c(g_pd, k)}",
            f"{side}_loss": lambda k: f"{c(side + '_loss_own', k)}+{c(side + '_loss_guaranteed', k)}",
        }

    bodies = {
        "t0": lambda k: f"({sched('month_start', k)}-{START})/365",
        "t1": lambda k: f"({sched('next_start', k)}-{START})/365",
        "provider_pd": default_pd("crd_provider_hazard"),
        "provider_g_pd": default_pd("crd_provider_guarantor_hazard"),
        "buyer_pd": default_pd("crd_buyer_hazard"),
        "buyer_g_pd": default_pd("crd_buyer_guarantor_hazard"),
        "buyer_df": lambda k: f"(1+contract_discount_rate_pct/100)^(-{c('t0', k)})",
        "provider_df": lambda k: sched("provider_start_df", k),
        "b_margin": lambda k: f"{sched('discount_factor', k)}*(IF(drv_buyer_revenue_modelled,"
                              f"{sched('buyer_revenue', k)},0)-{sched('invoice', k)})",
        "b_dearer": lambda k: f"{sched('discount_factor', k)}*((1+market_buyer_replacement_premium_pct"
                              f"/100)*{sched('market_value', k)}-{sched('invoice', k)})",
        "b_margin_cum": running("b_margin", "b_margin_cum"),
        "b_dearer_cum": running("b_dearer", "b_dearer_cum"),
        "b_end": window("notice_end_month", "crd_provider_may_walk", last=True),
        "b_share": window("notice_end_share", "crd_provider_may_walk", last=False),
        "b_replacing": lambda k: (lambda m, e, s, w: (
            f"MAX(0,IF({w}>={e},{_window_sum('crd_b_margin', 'crd_b_margin_cum', m, e, s)},"
            f"INDEX(crd_b_margin_cum,{w})-INDEX(crd_b_margin_cum,{m})"
            f"+{_window_sum('crd_b_dearer', 'crd_b_dearer_cum', w, e, s)}))/{c('buyer_df', k)}"))(
            c("month", k), c("b_end", k), c("b_share", k), f"({c('month', k)}+{lead_b})"),
        "deposit_held": lambda k: f"MAX(0,drv_deposit-SUM(Schedule!${R.col('deposit_applied')}$"
                                  f"{FIRST_ROW}:{R.c('deposit_applied', k)}))",
        "b_prepaid": lambda k: f"IF(drv_payment_advance,{sched('invoice', k)},0)",
        "buyer_exposure": lambda k: f"{c('b_replacing', k)}+{c('deposit_held', k)}+{c('b_prepaid', k)}",
        **losses("buyer", "buyer_exposure", "buyer_df", "provider", "provider_pd", "provider_g_pd"),
        "p_invoice": lambda k: f"{sched('provider_payment_df', k)}*{sched('invoice', k)}",
        "p_relet": lambda k: f"{sched('provider_payment_df', k)}*MAX({sched('market_value', k)}"
                             f"*(1-market_provider_relet_discount_pct/100),"
                             f"market_provider_own_use_value_per_gpu_hour*{sched('gpu_hours_delivered', k)})",
        "p_invoice_cum": running("p_invoice", "p_invoice_cum"),
        "p_relet_cum": running("p_relet", "p_relet_cum"),
        "p_end": window("notice_end_month", "crd_buyer_may_walk", last=True),
        "p_share": window("notice_end_share", "crd_buyer_may_walk", last=False),
        "p_lost": lambda k: (lambda m, e, s, w: (
            f"({_window_sum('crd_p_invoice', 'crd_p_invoice_cum', m, e, s)}"
            f"-IF({w}>={e},0,{_window_sum('crd_p_relet', 'crd_p_relet_cum', w, e, s)}))"
            f"/{sched('provider_start_df', k)}"))(
            c("month", k), c("p_end", k), c("p_share", k), f"({c('month', k)}+{lead_p})"),
        "p_unpaid": lambda k: f"IF(drv_payment_advance,0,{sched('invoice', k)})",
        "p_fee": lambda k: f"IF(AND(crd_buyer_may_walk,{c('month', k)}<{TERM}),"
                           f"{at('fee_if_ended_early', c('month', k) + '+1')}"
                           f"*{at('provider_start_df', c('month', k) + '+1')}"
                           f"/{sched('provider_start_df', k)},0)",
        "provider_exposure": lambda k: f"MAX(0,{c('p_lost', k)}+{c('p_unpaid', k)}+{c('p_fee', k)}"
                                       f"-{c('deposit_held', k)})",
        **losses("provider", "provider_exposure", "provider_df", "buyer", "buyer_pd", "buyer_g_pd"),
    }
    values = _cached_columns(results, flows, market, parties, h, hg, g, cache)

    sheet.write(header - 1, 0, "Month by month (rows past the term are blank)", fmt.subtitle)
    for key in keys:
        label, number_format = _COLUMN_HEADERS[key]
        sheet.write(header, col[key], label, fmt.header)
        cell_format = fmt.number(number_format)
        for k in range(1, R.rows + 1):
            r = first + k - 1
            if key == "month":
                sheet.write_number(r, col[key], k, cell_format)
                continue
            value = cached(values[key][k - 1]) if k <= n else ""
            sheet.write_formula(r, col[key], f'=IF({c("month", k)}>{TERM},"",{bodies[key](k)})',
                                cell_format, value)
        if key in _NAMED:
            letter = xl_col_to_name(col[key])
            book.define_name(_NAMED[key], f"=Credit!${letter}${first + 1}:${letter}${first + R.rows}")
    sheet.set_row(header, 105)
    return {(side, part): float(np.sum(values[f"{side}_loss_{part}"]))
            for side in ("buyer", "provider") for part in ("own", "guaranteed")}


def _cached_columns(results, flows, market, parties, h, hg, g, cache: WorkbookCache
                    ) -> dict[str, np.ndarray]:
    """Each monthly column's value over the term: core/credit.py's parts and
    the sums' own arithmetic (nothing priced a second way)."""
    n = flows.invoice.size
    t0, t1 = flows.years[:-1], flows.years[1:]

    def pd(rate):
        return credit.survival(rate, t0) - credit.survival(rate, t1)
    b = credit.buyer_exposure_parts(flows, market)
    p = credit.provider_exposure_parts(flows, market)
    df_b, df_p = flows.df_buyer, flows.df_provider
    relet = np.maximum(flows.market_value * (1 - market.provider_relet_discount_pct / 100),
                       market.provider_own_use_value_per_gpu_hour * flows.gpu_hours)
    margin = df_b * (flows.revenue - flows.invoice)
    dearer = df_b * ((1 + market.buyer_replacement_premium_pct / 100) * flows.market_value
                     - flows.invoice)
    month = np.arange(1, n + 1)
    notice_month = np.asarray(cache.schedule["notice_end_month"], float)
    notice_share = np.asarray(cache.schedule["notice_end_share"], float)

    def window(may_walk):
        end = np.where(month == n, month, notice_month[np.minimum(month, n - 1)]
                       if may_walk else n)
        share = np.where(month == n, 1.0, notice_share[np.minimum(month, n - 1)]
                         if may_walk else 1.0)
        return end, share
    b_end, b_share = window(flows.provider_may_walk)
    p_end, p_share = window(flows.buyer_may_walk)
    by = results.credit_by_month
    out = {
        "t0": t0, "t1": t1,
        "provider_pd": pd(h["provider"]), "provider_g_pd": pd(hg["provider"]),
        "buyer_pd": pd(h["buyer"]), "buyer_g_pd": pd(hg["buyer"]),
        "buyer_df": flows.start_df_buyer, "provider_df": flows.start_df_provider,
        "b_margin": margin, "b_dearer": dearer,
        "b_margin_cum": np.cumsum(margin), "b_dearer_cum": np.cumsum(dearer),
        "b_end": b_end, "b_share": b_share,
        "b_replacing": b["replacing"][:, 0], "deposit_held": flows.deposit_held,
        "b_prepaid": b["prepaid"][:, 0],
        "buyer_exposure": by["buyer_credit_exposure"],
        "p_invoice": df_p * flows.invoice, "p_relet": df_p * relet,
        "p_invoice_cum": np.cumsum(df_p * flows.invoice), "p_relet_cum": np.cumsum(df_p * relet),
        "p_end": p_end, "p_share": p_share,
        "p_lost": p["lost"][:, 0], "p_unpaid": p["unpaid"], "p_fee": p["fee"],
        "provider_exposure": by["provider_credit_exposure"],
        "buyer_loss": by["buyer_expected_credit_loss_by_month"],
        "provider_loss": by["provider_expected_credit_loss_by_month"],
    }
    for side, defaulter, df in (("buyer", "provider", flows.start_df_buyer),
                                ("provider", "buyer", flows.start_df_provider)):
        party = parties[defaulter]
        exposure = out[f"{side}_exposure"] * df
        out[f"{side}_loss_own"] = (exposure * (1 - g[defaulter]) * (1 - party.recovery_pct / 100)
                                   * out[f"{defaulter}_pd"])
        out[f"{side}_loss_guaranteed"] = (exposure * g[defaulter]
                                          * (1 - party.guarantor_recovery_pct / 100)
                                          * out[f"{defaulter}_g_pd"])
    return out
