"""The Excel export is a live model: recalculated by an independent engine
(the `formulas` package) after inputs are changed through its own input
cells, every key figure equals core.engine.compute on the same inputs.

The `formulas` package compiles each formula in Python (about 10 ms a cell on
this machine), so the recalculating tests export the schedule with 60 rows
(`write_workbook(..., months=60)`, the same formulas as the 240 rows of a
real export, fewer of them); the structure tests read the real 240-row
export with openpyxl, and LibreOffice recalculates the real export.  The
module took 4 min 12 s on this shared 2-core machine at load 6 (each model
is compiled once, then recalculated per change in about 15 s)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re

# `formulas` is pinned in the test extra: if it is missing the suite fails, it never skips.
import formulas
import numpy as np
import openpyxl
import pytest

from core import figures
from core.engine import compute
from core.export.files import export_bytes
from core.export.workbook import DEFINED_NAMES, key_figure_name, write_workbook
from core.export.workbook_schedule import MAX_MONTHS
from core.parameters import ContractTerms, Credit, Tranche, choice_text, field_meta
from core.presets import default_scenario
from tests.helpers import libreoffice

ROWS = 60   # schedule rows of the recalculated test books: room for a 48-month term


def awkward_scenario():
    """Every formula path at once: month-end start date, escalator, discounted
    first months, arrears, SLA credits, a deposit applied to the last fees, fee
    steps that follow a tranche coming online mid-month, a termination fee, a
    notice period spanning months, capex bought for the deal, chances of
    termination, the lease over the full term; the provider's credit 60%
    guaranteed, the buyer's an annual default probability."""
    s = default_scenario()
    s = s.with_changes("contract", start_date=dt.date(2027, 1, 31), term_months=30,
                       escalator_pct=3.5, intro_months=2, intro_discount_pct=20.0,
                       payment_timing="arrears", termination_fee_months=1.5,
                       notice_days=200, discount_rate_pct=8.25, prepayment_months=2.0,
                       sla_availability_pct=99.5, service_credit_pct_per_point=4.0,
                       service_credit_cap_pct=20.0, fee_follows_capacity="yes",
                       buyer_termination_prob_pct=1.0, provider_termination_prob_pct=0.5,
                       lease_term_basis="full", termination_notice_month=7)
    tranches = s.hardware.tranches + (
        Tranche("Colossus 2 (GB300)", "Memphis, TN", "GB300", 40_000, dt.date(2027, 9, 17)),)
    return s.with_changes("hardware", tranches=tranches, availability_pct=98.0,
                          capex_treatment="for_deal").with_changes(
        "credit", provider_guarantor_name="Google", provider_guaranteed_pct=60.0,
        provider_guarantor_spread_bp=40.0, buyer_basis="default_probability",
        buyer_annual_default_pct=2.5, buyer_recovery_pct=30.0)


class Recalculated:
    """An exported workbook recalculated from its formulas; cells by defined name."""

    def __init__(self, path):
        self.path = path
        self.book = openpyxl.load_workbook(path)
        self.model = formulas.ExcelModel().loads(str(path)).finish()
        self.solution = self.model.calculate()

    def key(self, reference: str) -> str:
        sheet, cell = reference.lstrip("=").split("!")
        return f"'[{self.path.name}]{sheet.strip(chr(39)).upper()}'!{cell.replace('$', '')}"

    def name_ref(self, name: str) -> str:
        return self.book.defined_names[name].attr_text

    def value(self, name: str, solution=None):
        cell = (solution or self.solution)[self.key(self.name_ref(name))]
        return np.asarray(cell.value).ravel()[0]

    def cell(self, sheet: str, coordinate: str, solution=None):
        cell = (solution or self.solution)[self.key(f"{sheet}!{coordinate}")]
        return np.asarray(cell.value).ravel()[0]

    def recalculate_with(self, **inputs) -> dict:
        """Recalculate after typing values into input cells, named by their defined names."""
        changes = {self.key(self.name_ref(name)): value for name, value in inputs.items()}
        return self.model.calculate(inputs=changes)


def assert_key_figures_equal_the_app(book: Recalculated, results, solution=None):
    """Every key figure the workbook computes equals the app's, to a millionth;
    text figures word for word; an undefined figure is "n/a" in both."""
    for key, app in results.key_figures.as_dict().items():
        got = book.value(key_figure_name(key), solution)
        if app is None:
            assert got == "n/a", (key, got)
        elif isinstance(app, str):
            assert got == app, key
        else:
            assert isinstance(got, (int, float, np.number)) and not isinstance(got, bool), (key, got)
            # A millionth, or a cent on a figure that is zero (a saving of nothing).
            assert float(got) == pytest.approx(float(app), rel=1e-6, abs=0.01), key
    assert book.value("MasterCheck", solution) is True or book.value("MasterCheck", solution) == 1


def text_of(field: str, value: str) -> str:
    """What the Inputs sheet shows for a choice (the workbook holds the text)."""
    return choice_text(field_meta(ContractTerms, field), value)


@pytest.fixture(scope="module")
def default_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "deal.xlsx"
    results = compute(default_scenario())
    write_workbook(results, path, months=ROWS)
    return results, Recalculated(path)


@pytest.fixture(scope="module")
def awkward_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "awkward.xlsx"
    results = compute(awkward_scenario())
    write_workbook(results, path, months=36)
    return results, Recalculated(path)


@pytest.fixture(scope="module")
def full_export(tmp_path_factory):
    """The workbook as the app exports it: 240 schedule rows."""
    path = tmp_path_factory.mktemp("xlsx") / "full.xlsx"
    results = compute(default_scenario())
    write_workbook(results, path)
    return results, path, openpyxl.load_workbook(path)


def test_default_deal_recalculates_to_the_reference_figures(default_book):
    results, book = default_book
    # 36 months of $1.25B.
    assert book.value("TotalContractValue") == pytest.approx(45.0e9, rel=1e-12)
    assert book.value("AnnualRunRate") == pytest.approx(15.0e9, rel=1e-12)
    # June, July and 29 of August's 31 days (notice on 1 Jun 2026 ends 30 Aug).
    assert book.value("WalkawayExposure") == pytest.approx(1.25e9 * (2 + 29 / 31), rel=1e-9)
    # 45B / (220,000 GPUs x 26,304 hours).
    assert book.value("PricePerGPUHour") == pytest.approx(45e9 / (220_000 * 26_304), rel=1e-9)
    assert_key_figures_equal_the_app(book, results)


@pytest.mark.parametrize("changes, expected_total", [
    # 48 months of $1.25B: the schedule grows by 12 rows.
    ({"contract_term_months": 48}, 60.0e9),
    # 12 months of $1.25B: 24 rows go blank.
    ({"contract_term_months": 12}, 15.0e9),
    # $1B a month over 48 months: the issue's $48B (not $36B).
    ({"contract_term_months": 48, "contract_monthly_fee": 1.0e9}, 48.0e9),
    # 12 x 2B + 12 x 2.1B + 12 x 2.205B with a 5% escalator.
    ({"contract_monthly_fee": 2.0e9, "contract_escalator_pct": 5.0},
     12 * (2.0e9 + 2.1e9 + 2.205e9)),
    # Per GPU-hour: $7.78 x 220,000 GPUs x 26,304 hours.
    ({"contract_pricing_mode": text_of("pricing_mode", "per_gpu_hour")},
     7.78 * 220_000 * 26_304),
    ({"contract_pricing_mode": text_of("pricing_mode", "per_mw_month"),
      "contract_price_per_mw_month": 4.0e6}, 4.0e6 * 300 * 36),
    # Notice and the termination fee change the exposure, not the total.
    ({"contract_notice_days": 45, "contract_termination_fee_months": 2.0,
      "contract_termination_notice_month": 30}, 45.0e9),
])
def test_workbook_follows_its_input_cells_as_the_app_does(default_book, changes, expected_total):
    _, book = default_book
    solution = book.recalculate_with(**changes)
    edits = {"contract": {}}
    for name, value in changes.items():
        field = name.removeprefix("contract_")
        meta = field_meta(ContractTerms, field)
        if meta["kind"] == "choice":   # the cell holds the text; the scenario the value
            value = next(v for v in meta["choices"] if choice_text(meta, v) == value)
        edits["contract"][field] = value
    scenario = default_scenario().with_changes("contract", **edits["contract"])
    results = compute(scenario)
    assert book.value("TotalContractValue", solution) == pytest.approx(expected_total, rel=1e-9)
    assert_key_figures_equal_the_app(book, results, solution)
    # The schedule's rows follow the term: one filled row a month, blank after.
    term = scenario.contract.term_months
    sheet = book.book["Schedule"]
    payment = next(c.column_letter for c in sheet[1] if c.value == figures.header("payment"))
    assert book.cell("Schedule", f"{payment}{term + 1}", solution) != ""
    assert book.cell("Schedule", f"{payment}{term + 2}", solution) == ""


def test_the_credit_sheet_follows_its_inputs_as_the_app_does(default_book):
    """Credit inputs typed into the Inputs sheet: the Credit sheet recalculates
    to the app's credit figures on the same inputs; a zero-hazard guarantor of
    the whole exposure and a zero spread give no loss (the issue's tests)."""
    results, book = default_book
    basis = field_meta(Credit, "buyer_basis")
    changes = {"provider": dict(basis="default_probability", annual_default_pct=3.0,
                                recovery_pct=25.0),
               "buyer": dict(rating="B", guarantor_name="Alphabet", guaranteed_pct=30.0,
                             guarantor_spread_bp=60.0)}
    typed = {f"credit_{side}_{name}": (choice_text(basis, value) if name == "basis" else value)
             for side, fields in changes.items() for name, value in fields.items()}
    solution = book.recalculate_with(**typed)
    app = compute(default_scenario().with_changes("credit", **{
        f"{side}_{name}": value for side, fields in changes.items()
        for name, value in fields.items()})).credit
    for key, value in app.as_dict().items():
        assert book.value(key_figure_name(key), solution) == pytest.approx(value, rel=1e-9), key
    assert app.buyer_expected_credit_loss != results.credit.buyer_expected_credit_loss
    # Wholly guaranteed by a name that cannot fail; the buyer at a zero spread.
    solution = book.recalculate_with(
        credit_provider_guarantor_name="Google", credit_provider_guaranteed_pct=100.0,
        credit_provider_guarantor_spread_bp=0.0, credit_buyer_spread_bp=0.0,
        credit_buyer_basis=choice_text(basis, "spread"))
    assert book.value("BuyerExpectedCreditLoss", solution) == 0.0
    assert book.value("ProviderExpectedCreditLoss", solution) == 0.0
    assert book.value("BuyerPeakCreditExposure", solution) == pytest.approx(
        results.credit.buyer_peak_credit_exposure, rel=1e-9)


def test_awkward_scenario_recalculates_to_the_app(awkward_book):
    results, book = awkward_book
    assert results.schedule.service_credit.any() and results.schedule.deposit_flow.any()
    assert results.key_figures.provider_irr == results.key_figures.provider_irr   # not NaN
    assert_key_figures_equal_the_app(book, results)


def test_every_schedule_column_of_the_app_is_a_formula_that_recalculates_to_it(awkward_book):
    results, book = awkward_book
    sheet = book.book["Schedule"]
    columns = {c.value: c.column_letter for c in sheet[1]}
    frame = results.schedule.to_frame()
    for name in frame.columns:
        letter = columns[figures.header(name)]
        for i, expected in enumerate(frame[name]):
            coordinate = f"{letter}{i + 2}"
            if name != "month":
                assert str(sheet[coordinate].value).startswith("=IF("), (name, coordinate)
            got = book.cell("Schedule", coordinate)
            if isinstance(expected, (bool, np.bool_)):
                assert bool(got) == bool(expected), (name, i)
            elif hasattr(expected, "to_pydatetime") or isinstance(expected, np.datetime64):
                day = (np.datetime64(expected, "D") - np.datetime64("1899-12-30")).astype(int)
                assert got == day, (name, i)
            elif not math.isfinite(float(expected)):
                assert got == "n/a", (name, i)
            else:
                assert float(got) == pytest.approx(float(expected), rel=1e-6, abs=1e-3), (name, i)


@pytest.mark.parametrize("party", ["provider", "neither"])
def test_the_termination_columns_follow_who_may_terminate(default_book, party):
    """Issue 22, item 2: typed into the workbook, "May terminate" moves every
    termination column as it moves the app's (provider only: the provider's
    notice, no fee; neither: every row runs to term)."""
    _, book = default_book
    solution = book.recalculate_with(
        contract_terminating_party=text_of("terminating_party", party),
        contract_termination_fee_months=2.0)
    results = compute(default_scenario().with_changes(
        "contract", terminating_party=party, termination_fee_months=2.0))
    assert_key_figures_equal_the_app(book, results, solution)
    sheet = book.book["Schedule"]
    columns = {c.value: c.column_letter for c in sheet[1]}
    frame = results.schedule.to_frame()
    for name in ("termination_end_date", "termination_cost", "termination_saving",
                 "buyer_npv_if_ended", "provider_npv_if_ended", "walkaway_exposure"):
        letter = columns[figures.header(name)]
        for i, expected in enumerate(frame[name]):
            got = book.cell("Schedule", f"{letter}{i + 2}", solution)
            if name == "termination_end_date":
                expected = (np.datetime64(expected, "D") - np.datetime64("1899-12-30")).astype(int)
            assert float(got) == pytest.approx(float(expected), rel=1e-6, abs=1e-3), (name, i)


def test_buyer_revenue_not_modelled_is_n_a_in_the_workbooks_schedule(default_book):
    """Issue 22, item 4: revenue and margin n/a in every row, as in the app's
    schedule and key figures; the checks still hold."""
    from core.parameters import BUYER_REVENUE_NONE, Projections
    _, book = default_book
    meta = field_meta(Projections, "buyer_revenue_model")
    solution = book.recalculate_with(
        projections_buyer_revenue_model=choice_text(meta, BUYER_REVENUE_NONE))
    results = compute(default_scenario().with_changes(
        "projections", buyer_revenue_model=BUYER_REVENUE_NONE))
    assert_key_figures_equal_the_app(book, results, solution)
    columns = {c.value: c.column_letter for c in book.book["Schedule"][1]}
    for name in ("buyer_revenue", "buyer_margin"):
        letter = columns[figures.header(name)]
        assert [book.cell("Schedule", f"{letter}{i + 2}", solution) for i in range(36)] \
            == ["n/a"] * 36, name
    letter = columns[figures.header("buyer_cash_flow")]
    assert book.cell("Schedule", f"{letter}2", solution) == pytest.approx(-1.25e9)


def test_notice_at_any_month_on_the_termination_sheet(awkward_book):
    """The notice month is an input: the Termination sheet follows it."""
    results, book = awkward_book
    solution = book.recalculate_with(contract_termination_notice_month=20)
    scenario = awkward_scenario().with_changes("contract", termination_notice_month=20)
    changed = compute(scenario)
    # Notice after 20 months is given in month 21 (row index 20).
    assert book.value("TerminationCost", solution) == pytest.approx(
        float(changed.schedule.termination_cost[20]), rel=1e-9)
    assert book.value(key_figure_name("termination_cost_at_notice_month"), solution) == pytest.approx(
        changed.key_figures.termination_cost_at_notice_month, rel=1e-9)


def test_the_export_has_a_row_for_the_longest_term_blank_past_the_term(full_export):
    results, _, book = full_export
    sheet = book["Schedule"]
    assert MAX_MONTHS == field_meta(ContractTerms, "term_months")["maximum"] == 240
    assert sheet.cell(MAX_MONTHS + 1, 1).value == MAX_MONTHS
    assert sheet.cell(MAX_MONTHS + 2, 1).value is None
    for col in range(2, sheet.max_column + 1):
        for row in (2, 37, MAX_MONTHS + 1):
            formula = sheet.cell(row, col).value
            assert re.match(rf'^=IF\(A{row}>contract_term_months,"",', formula), (row, col)


def test_every_input_feeds_a_formula(full_export):
    """No input is decoration: each defined name on the Inputs sheet, and each
    cell of the record tables, is read by some formula."""
    _, _, book = full_export
    text = "\n".join(str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows()
                     for cell in row if isinstance(cell.value, str) and cell.value.startswith("="))
    inputs = {name: d.attr_text for name, d in book.defined_names.items()
              if d.attr_text.startswith("Inputs!")}
    assert len(inputs) > 40
    unused = [name for name in inputs if not re.search(rf"\b{name}\b", text)]
    assert unused == [], unused
    # The record tables (GPU models, tranches) below the named inputs: every
    # cell is inside a range or is a cell some formula reads.
    last_named = max(int(re.search(r"(\d+)$", ref).group(1)) for ref in inputs.values())
    read = [tuple(m.groups()) for m in re.finditer(
        r"Inputs!\$([A-Z]+)\$(\d+)(?::\$([A-Z]+)\$(\d+))?", text)]

    def is_read(column: str, row: int) -> bool:
        for first_col, first_row, last_col, last_row in read:
            if last_col is None:
                last_col, last_row = first_col, first_row
            if first_col <= column <= last_col and int(first_row) <= row <= int(last_row):
                return True
        return False

    sheet = book["Inputs"]
    record_cells = [cell for row in sheet.iter_rows(min_row=last_named + 1) for cell in row
                    if cell.font.color is not None and cell.font.color.rgb == "FF0000FF"]
    assert len(record_cells) >= 5 * 6 + 3 * 5     # five GPU models, three tranches
    assert [c.coordinate for c in record_cells if not is_read(c.column_letter, c.row)] == []


def test_labels_units_and_number_formats_come_from_the_figure_declarations(full_export):
    results, _, book = full_export
    sheet = book["Schedule"]
    headers = [c.value for c in sheet[1]]
    for name in results.schedule.to_frame().columns:
        assert figures.header(name) in headers, name
    # No code names anywhere a reader looks.
    # (Snake-case keys: "month" and "days" are also units, rightly shown.)
    code_names = {k for k in set(results.schedule.to_frame().columns) | set(figures.KEY_FIGURES)
                  if "_" in k}
    for title in ("Schedule", "Key figures", "App schedule", "Termination", "Checks"):
        shown = {c.value for row in book[title].iter_rows(max_col=4) for c in row
                 if isinstance(c.value, str) and not c.value.startswith("=")}
        assert not (shown & code_names), (title, shown & code_names)
    # Money in dollars with negatives in parentheses, on every row of a money column.
    fee = headers.index(figures.header("monthly_fee")) + 1
    for row in (2, 100, MAX_MONTHS + 1):
        assert sheet.cell(row, fee).number_format == "$#,##0;($#,##0);$0"
    key_sheet = book["Key figures"]
    for row in key_sheet.iter_rows(min_row=5):
        if row[4].value in ("TotalContractValue", "ProviderNPV"):
            assert row[1].number_format.startswith("$#,##0;(")
        if row[4].value == "ProviderIRR":
            assert row[1].number_format == "0.00%;(0.00%)"
    assert set(DEFINED_NAMES) <= set(book.defined_names)


def test_modelling_conventions_inputs_blue_freeze_panes_and_page_setup(full_export):
    _, _, book = full_export
    fee = book["Inputs"]["C" + str(next(r for r in range(1, 80) if book["Inputs"].cell(r, 5).value
                                       == "contract_monthly_fee"))]
    assert fee.font.color.rgb == "FF0000FF" and fee.fill.fgColor.rgb == "FFFFF9E0"
    formula_cell = book["Schedule"]["E2"]
    assert formula_cell.font.color is None or formula_cell.font.color.rgb in ("FF000000", None)
    for title in ("Inputs", "Drivers", "Schedule", "Key figures"):
        sheet = book[title]
        assert sheet.freeze_panes is not None, title
        assert sheet.page_setup.orientation == "landscape", title
        assert sheet.print_area, title
    # Fit to one page wide (fitToWidth 1 is the file format's default, so not written).
    key_figures = book["Key figures"]
    assert key_figures.sheet_properties.pageSetUpPr.fitToPage
    assert key_figures.page_setup.fitToWidth in (None, 1) and key_figures.page_setup.fitToHeight == 0


def test_checks_sheet_has_a_master_check_over_every_check(default_book):
    _, book = default_book
    sheet = book.book["Checks"]
    checks = [row for row in sheet.iter_rows(min_row=7, values_only=True) if row[0]]
    assert len(checks) >= 15
    assert sheet["B4"].value.startswith("=AND(B7:B")
    assert book.value("MasterCheck") is True or book.value("MasterCheck") == 1


def test_checks_catch_a_schedule_that_no_longer_ties(tmp_path):
    """Overwrite one month's payment with a typed number: the master check says FALSE."""
    results = compute(default_scenario().with_changes("contract", term_months=6))
    path = tmp_path / "tampered.xlsx"
    write_workbook(results, path, months=8)
    book = openpyxl.load_workbook(path)
    sheet = book["Schedule"]
    payment = next(c.column_letter for c in sheet[1] if c.value == figures.header("payment"))
    sheet[f"{payment}4"] = 1.0e9     # a hard-coded plug in month 3
    book.save(path)
    recalculated = Recalculated(path)
    assert recalculated.value("MasterCheck") in (False, 0)


def test_native_charts_reference_the_schedule(full_export):
    _, path, book = full_export
    assert len(book["Charts"]._charts) >= 3
    import zipfile
    with zipfile.ZipFile(path) as archive:
        chart_xml = [archive.read(n).decode() for n in archive.namelist()
                     if re.match(r"xl/charts/chart\d+\.xml", n)]
    assert chart_xml and all("Schedule!$" in xml for xml in chart_xml)


def test_inputs_sheet_lists_every_parameter(full_export):
    _, _, book = full_export
    sheet = book["Inputs"]
    labels = {row[1] for row in sheet.iter_rows(values_only=True)}
    scenario = default_scenario()
    from core.export.assumptions import NOT_IN_WORKBOOK
    for section in scenario.SECTIONS:
        for f in dataclasses.fields(getattr(scenario, section)):
            if "kind" in f.metadata:
                assert (f.metadata["label"] in labels) == (section not in NOT_IN_WORKBOOK), f.name
    tranche_names = {row[0] for row in sheet.iter_rows(values_only=True)}
    assert {t.name for t in scenario.hardware.tranches} <= tranche_names


def test_libreoffice_recalculates_the_edited_export_to_the_app(tmp_path):
    """The issue's case: term 36 -> 48 and the fee to $1B typed into the input
    cells (openpyxl keeps the formulas and drops every cached result), then
    LibreOffice recalculates the real 240-row export: $48B, not $36B, and every
    key figure is the app's for the same inputs."""
    path = tmp_path / "deal.xlsx"
    write_workbook(compute(default_scenario()), path)
    book = openpyxl.load_workbook(path)
    for name, value in (("contract_term_months", 48), ("contract_monthly_fee", 1.0e9),
                        ("contract_escalator_pct", 2.0), ("contract_notice_days", 120),
                        ("credit_provider_spread_bp", 643.0), ("credit_buyer_rating", "B")):
        sheet, coordinate = next(iter(book.defined_names[name].destinations))
        book[sheet][coordinate.replace("$", "")].value = value
    book.save(path)
    recalculated = openpyxl.load_workbook(libreoffice(tmp_path, path, "xlsx"), data_only=True)
    results = compute(default_scenario().with_changes(
        "contract", term_months=48, monthly_fee=1.0e9, escalator_pct=2.0,
        notice_days=120).with_changes("credit", provider_spread_bp=643.0, buyer_rating="B"))

    def value(name):
        sheet, coordinate = next(iter(recalculated.defined_names[name].destinations))
        return recalculated[sheet][coordinate.replace("$", "")].value

    # 12 x $1B + 12 x $1.02B + 12 x $1.0404B + 12 x $1.061208B.
    assert value("TotalContractValue") == pytest.approx(
        12e9 * (1 + 1.02 + 1.02 ** 2 + 1.02 ** 3), rel=1e-9)
    for key, app in results.key_figures.as_dict().items():
        got = value(key_figure_name(key))
        if app is None:
            assert got == "n/a", key
        elif isinstance(app, str):
            assert got == app, key
        else:
            assert float(got) == pytest.approx(float(app), rel=1e-6, abs=0.01), key
    # The Credit sheet over the edited deal: CoreWeave's 643 bp and a B rating.
    for key, app in results.credit.as_dict().items():
        assert value(key_figure_name(key)) == pytest.approx(app, rel=1e-9, abs=0.01), key
    assert value("MasterCheck") is True


def test_the_export_prints_to_landscape_pages_of_the_term(tmp_path):
    """Printed by LibreOffice: a page or two a sheet, the Schedule one group of
    columns a page over the term's rows (not 240 rows of blanks), the two-way
    table on one page and its scratch blocks (29,768 rows) not at all: the
    whole workbook as the app exports it in at most 40 pages (1,892 before
    the scratch sheet was hidden; 26 measured)."""
    from pypdf import PdfReader
    path = tmp_path / "deal.xlsx"
    path.write_bytes(export_bytes(compute(default_scenario()), "xlsx"))
    reader = PdfReader(libreoffice(tmp_path, path, "pdf"))
    assert len(reader.pages) <= 40
    first = reader.pages[0]
    assert float(first.mediabox.width) > float(first.mediabox.height)   # landscape
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Checks: the workbook agrees with itself" in text
    assert "$45,000,000,000" in text


def _serial(value):
    """A cell's value as Excel holds it: a date or time as its serial number."""
    if isinstance(value, dt.datetime):
        delta = value - dt.datetime(1899, 12, 30)
        return delta.days + delta.seconds / 86400
    if isinstance(value, dt.time):       # openpyxl reads serial 0 in a date format as 00:00
        return 0
    return value


def _same(cached, recalculated) -> bool:
    cached, recalculated = _serial(cached), _serial(recalculated)
    if cached in (None, "") and recalculated in (None, ""):
        return True
    if isinstance(cached, bool) or isinstance(recalculated, bool):
        return cached == recalculated
    if isinstance(cached, (int, float)) and isinstance(recalculated, (int, float)):
        return abs(cached - recalculated) <= 1e-6 * max(1.0, abs(recalculated))
    return cached == recalculated


def test_a_reader_that_does_not_recalculate_sees_the_app_s_figures(tmp_path):
    """The workbook as the app exports it (with its two-way table), read as a
    file previewer or LibreOffice's default reads it, from the cached results:
    every key figure is the app's, the master check TRUE, the app's schedule
    columns and the charts' data are there (before: zeros, 1899-12-30 dates and
    FALSE), and the scratch blocks of the two-way table are hidden."""
    scenario = awkward_scenario()
    results = compute(scenario)
    path = tmp_path / "awkward.xlsx"
    path.write_bytes(export_bytes(results, "xlsx"))
    book = openpyxl.load_workbook(path, data_only=True)

    def value(name):
        sheet, coordinate = next(iter(book.defined_names[name].destinations))
        return book[sheet][coordinate.replace("$", "")].value
    assert value("MasterCheck") is True
    for key, app in results.key_figures.as_dict().items():
        got = value(key_figure_name(key))
        if app is None:
            assert got == "n/a", key
        elif isinstance(app, str):
            assert got == app, key
        else:
            assert float(got) == pytest.approx(float(app), rel=1e-9, abs=1e-6), key
    for key, app in results.credit.as_dict().items():
        assert value(key_figure_name(key)) == pytest.approx(app, rel=1e-9, abs=1e-6), key
    # The first month of the awkward deal: 2027-01-31, billed in arrears.
    schedule = book["Schedule"]
    headers = [c.value for c in schedule[1]]
    assert schedule.cell(2, headers.index(figures.header("month_start")) + 1).value == \
        dt.datetime(2027, 1, 31)
    invoices = [schedule.cell(2 + m, headers.index(figures.header("invoice")) + 1).value
                for m in range(30)]
    assert invoices == pytest.approx(list(results.schedule.invoice), rel=1e-12)
    assert book["Two-way model"].sheet_state == "hidden"
    two_way = book["Two-way"]
    assert all(isinstance(two_way.cell(8 + i, 2 + j).value, float)
               for i in range(11) for j in range(11))


def rights_scenario():
    """Issue 22's paths: only the provider may terminate, a significant fee
    (2 months: 5.6% of the payments), the buyer's revenue not modelled,
    per-GPU-hour pricing with a planned month below the SLA."""
    from core.parameters import BUYER_REVENUE_NONE, PlannedInvoice
    s = default_scenario().with_changes(
        "contract", terminating_party="provider", termination_fee_months=2.0,
        pricing_mode="per_gpu_hour", invoice_plan=(PlannedInvoice(2, 0.8e9),),
        payment_timing="arrears")
    return s.with_changes("hardware", availability_pct=96.0).with_changes(
        "projections", buyer_revenue_model=BUYER_REVENUE_NONE)


def penalty_scenario():
    """Either side may terminate; a 2-month fee (5.6% of the payments) under a 6%
    threshold: insignificant, so a lease payment of month 1, dated in arrears."""
    return default_scenario().with_changes(
        "contract", termination_fee_months=2.0, payment_timing="arrears",
        lease_significant_penalty_pct=6.0)


def _cells(path, data_only: bool) -> dict:
    """Every non-empty cell of a workbook, by (sheet, row, column): read in
    openpyxl's read-only (streaming) mode: 2.4 s of CPU against 4.3 s for a
    full load of the awkward export (measured here)."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    try:
        return {(sheet.title, cell.row, cell.column): cell.value
                for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
                if cell.value is not None and hasattr(cell, "row")}
    finally:
        book.close()


@pytest.mark.parametrize("make", [awkward_scenario, rights_scenario, penalty_scenario])
def test_libreoffice_recalculating_changes_no_cached_result(tmp_path, make):
    """Every formula cell of the export (every sheet, the two-way table's
    hidden blocks too) holds as its cached result what LibreOffice computes
    when it recalculates the file: the awkward deal, every formula path; and
    issue 22's rights, penalty, revenue and planned-credit paths.  The Credit
    sheet among them: a guarantor and an annual default probability (the
    awkward deal), only the provider free to walk and the buyer's NPV n/a
    (rights), either side free to walk with a fee (penalty)."""
    path = tmp_path / "awkward.xlsx"
    path.write_bytes(export_bytes(compute(make()), "xlsx"))
    recalculated = _cells(libreoffice(tmp_path, path, "xlsx"), data_only=True)
    cached = _cells(path, data_only=True)
    differ, formulas_seen = [], 0
    for (sheet, row, column), formula in _cells(path, data_only=False).items():
        if not (isinstance(formula, str) and formula.startswith("=")):
            continue
        formulas_seen += 1
        was = cached.get((sheet, row, column))
        now = recalculated.get((sheet, row, column))
        if not _same(was, now):
            differ.append((sheet, openpyxl.utils.get_column_letter(column) + str(row), was, now))
    assert formulas_seen > 100_000
    assert differ == [], differ[:10]
