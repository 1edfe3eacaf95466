"""The workbook's Credit sheet (core/export/workbook_credit.py) as a reader
that does not recalculate sees it: every credit figure and monthly series
is the app's to the cent, the hazards are the credit triangle's worked by
hand, the rating table states its source; and the credit inputs on the
Inputs sheet, which a workbook import reads back.

That the sheet's formulas recalculate to these cached results (LibreOffice)
and follow an edit of the credit inputs as the app does (the `formulas`
package) is tested on tests/core/test_export_workbook.py's workbooks, so
that no extra recalculation is paid for here."""
from __future__ import annotations

import math

import openpyxl
import pytest

from core import credit, figures
from core.engine import compute
from core.export.workbook import write_workbook
from core.presets import default_scenario
from core.workbook_import import WorkbookImportError, read_workbook_scenario


def guaranteed_scenario():
    """The provider at 140 bp, 40% recovery, 60% guaranteed by a 40 bp name
    (as Google backstops Fluidstack); the buyer on a 2.5% annual default
    probability at 30% recovery."""
    return default_scenario().with_changes(
        "credit", provider_guarantor_name="Google", provider_guaranteed_pct=60.0,
        provider_guarantor_spread_bp=40.0, provider_guarantor_recovery_pct=40.0,
        buyer_basis="default_probability", buyer_annual_default_pct=2.5,
        buyer_recovery_pct=30.0)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "credit.xlsx"
    results = compute(guaranteed_scenario())
    write_workbook(results, path, months=40)
    return results, openpyxl.load_workbook(path, data_only=True), openpyxl.load_workbook(path)


def named(book, name):
    sheet, coordinate = next(iter(book.defined_names[name].destinations))
    return book[sheet][coordinate.replace("$", "")].value


def test_the_credit_figures_are_the_app_s_to_the_cent(book):
    results, cached, _ = book
    for key, app in results.credit.as_dict().items():
        got = named(cached, "".join(p.capitalize() for p in key.split("_")))
        assert got == pytest.approx(app, abs=0.005), key
    # The reference deal's (kpis --json): $104M and $30.2M before the guarantor and
    # the buyer's 2.5%; the guaranteed share lowers the buyer's, the 2.5% raises the provider's.
    assert results.credit.buyer_expected_credit_loss < 104.4e6
    assert results.credit.provider_expected_credit_loss > 30.3e6


def test_each_month_s_exposure_and_expected_loss_are_the_app_s(book):
    results, cached, _ = book
    sheet = cached["Credit"]
    header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "Month")
    headers = [c.value for c in sheet[header]]
    n = results.scenario.contract.term_months
    for key, values in results.credit_by_month.items():
        col = headers.index(figures.header(key)) + 1
        got = [sheet.cell(header + m, col).value for m in range(1, n + 1)]
        assert got == pytest.approx(list(values), abs=0.005), key
        assert sheet.cell(header + n + 1, col).value in (None, "")      # blank past the term


def test_hazards_and_the_guarantor_split_worked_by_hand(book):
    results, cached, _ = book
    # The credit triangle: 140 bp / (1 - 40%) = 2.3333% a year; 40 bp / 0.6 = 0.6667%.
    assert named(cached, "crd_provider_hazard") == pytest.approx(0.014 / 0.6, rel=1e-12)
    assert named(cached, "crd_provider_guarantor_hazard") == pytest.approx(0.004 / 0.6, rel=1e-12)
    # An annual probability of 2.5%: h = -ln(0.975) = 2.5318% a year.
    assert named(cached, "crd_buyer_hazard") == pytest.approx(-math.log(0.975), rel=1e-12)
    assert named(cached, "crd_provider_guaranteed") == 0.6
    # Substitution: the guaranteed 60% of the exposure at the guarantor's credit is 0.6 x
    # the loss of a party wholly at the guarantor's hazard and recovery (core.credit's own
    # expected_loss on the app's exposure), the rest 0.4 x the loss at the provider's.
    exposure = results.credit_by_month["buyer_credit_exposure"]
    flows_years = _years(results)
    discount = _start_df(results)
    provider = results.scenario.credit.party("provider")
    alone = credit.PartyCredit(spread_bp=40.0, recovery_pct=40.0)
    own = credit.PartyCredit(spread_bp=140.0, recovery_pct=40.0)
    assert named(cached, "crd_total_buyer_loss_guaranteed") == pytest.approx(
        0.6 * credit.expected_loss(alone, exposure, discount, flows_years), rel=1e-9)
    assert named(cached, "crd_total_buyer_loss_own") == pytest.approx(
        0.4 * credit.expected_loss(own, exposure, discount, flows_years), rel=1e-9)
    assert provider.guarantor_name == "Google"


def _years(results):
    from core.engine import credit_flows
    return credit_flows(results.scenario).years


def _start_df(results):
    from core.engine import credit_flows
    return credit_flows(results.scenario).start_df_buyer


def test_the_rating_table_states_its_label_date_and_source(book):
    _, cached, _ = book
    sheet = cached["Credit"]
    rows = {sheet.cell(r, 1).value: r for r in range(1, sheet.max_row + 1)}
    title = rows["Generic one-year default rates by rating"]
    assert sheet.cell(title, 2).value == (f"{credit.RATING_LABEL} {credit.RATING_SOURCE} "
                                          f"({credit.RATING_DATE})")
    for rating, pct in credit.RATING_DEFAULT_PCT.items():
        assert sheet.cell(rows[rating], 2).value == pct


def test_checks_compare_the_sheet_with_the_app_outside_the_master_check(book):
    _, cached, written = book
    checks = written["Checks"]
    master = checks["B4"].value                       # =AND(B7:Bn)
    last = int(master.split(":B")[1].rstrip(")"))
    rows = [r for r in range(1, checks.max_row + 1)
            if "the Credit sheet's equals the app's" in str(checks.cell(r, 1).value)]
    assert len(rows) == 4 and min(rows) > last
    assert all(cached["Checks"].cell(r, 2).value is True for r in rows)
    inside = [checks.cell(r, 1).value for r in range(7, last + 1)]
    assert sum("Credit:" in str(label) for label in inside) == 2
    assert named(cached, "MasterCheck") is True


def test_the_credit_inputs_come_back_from_the_workbook(tmp_path):
    """Every credit input, each changed from its default, written to the
    Inputs sheet and read back by a workbook import (before: the import took
    the defaults)."""
    base = default_scenario()
    scenario = base.with_changes(
        "credit", provider_name="CoreWeave", provider_basis="rating", provider_rating="B",
        provider_spread_bp=643.0, provider_recovery_pct=35.0, provider_annual_default_pct=4.0,
        provider_label="[U]", provider_as_of="early Dec 2025", provider_source="5-year CDS",
        provider_guarantor_name="Google", provider_guaranteed_pct=50.0,
        provider_guarantor_spread_bp=40.0, provider_guarantor_recovery_pct=45.0,
        buyer_name="Anthropic", buyer_basis="default_probability",
        buyer_annual_default_pct=1.25, buyer_rating="A", buyer_label="[D]",
        buyer_as_of="Nov 2026", buyer_source="own estimate", buyer_guarantor_name="",
        buyer_spread_bp=250.0, buyer_recovery_pct=20.0,
        provider_wrong_way_pct=30.0, buyer_wrong_way_pct=-20.0)
    changed = [name for name in vars(scenario.credit)
               if getattr(scenario.credit, name) != getattr(base.credit, name)]
    assert len(changed) >= 24
    path = tmp_path / "deal.xlsx"
    write_workbook(compute(scenario), path)
    assert read_workbook_scenario(path).credit == scenario.credit


def test_a_workbook_from_before_the_credit_sheet_takes_the_credit_defaults(tmp_path):
    """A workbook exported before the Credit sheet has no credit inputs: it
    reads back with the default credit; one that lacks only some of them is
    refused, naming the missing name."""
    path = tmp_path / "deal.xlsx"
    scenario = default_scenario().with_changes("contract", monthly_fee=1.1e9).with_changes(
        "credit", provider_spread_bp=300.0)
    write_workbook(compute(scenario), path)
    book = openpyxl.load_workbook(path)
    for name in [n for n in book.defined_names if n.startswith("credit_")]:
        del book.defined_names[name]
    book.save(path)
    read = read_workbook_scenario(path)
    assert read.contract.monthly_fee == 1.1e9 and read.credit == default_scenario().credit

    partial = tmp_path / "partial.xlsx"
    write_workbook(compute(scenario), partial)
    book = openpyxl.load_workbook(partial)
    del book.defined_names["credit_buyer_recovery_pct"]
    book.save(partial)
    with pytest.raises(WorkbookImportError, match="credit_buyer_recovery_pct is missing"):
        read_workbook_scenario(partial)
