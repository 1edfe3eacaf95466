"""Monthly plans: an invoice plan on the contract and a demand plan on the
projections, worked by hand through the engine, held equal in the path
engine, saved and loaded, and imported from CSV, .xlsx and a pasted block."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

import numpy as np
import openpyxl
import pytest

import core.scenario_file as sf
from core.engine import compute
from core.importing import import_records, read_file, read_pasted
from core.parameters import (PRICING_GPU_HOUR, ParameterError, PlannedDemand, PlannedInvoice,
                             Scenario)
from core.path_engine import check_matches_engine, run_paths
from core.presets import default_scenario
from tests.helpers import write_csv

from tests.core.test_path_engine import assert_path_equals_engine

PLAN = (PlannedInvoice(1, 1.0e9), PlannedInvoice(2, 1.1e9), PlannedInvoice(3, 1.2e9))


def three_month_deal(**contract) -> Scenario:
    """The default deal cut to 3 months from 2026-06-01 (30, 31, 31 days),
    paid in advance, discounted at 10%/yr, full availability (no credits)."""
    return default_scenario().with_changes("contract", term_months=3, **contract)


# --- the engine, by hand ---------------------------------------------------------------

def test_an_invoice_plan_is_what_the_buyer_pays_in_its_months():
    results = compute(three_month_deal(invoice_plan=PLAN))
    k, s = results.key_figures, results.schedule
    assert list(s.invoice) == [1.0e9, 1.1e9, 1.2e9]
    assert k.total_contract_value == pytest.approx(3.3e9, rel=1e-12)
    # Advance payments on 06-01, 07-01, 08-01: 0, 30 and 61 days after the start,
    # each discounted at 1.10 ^ (-days / 365).
    by_hand = 1.0e9 + 1.1e9 * 1.10 ** (-30 / 365) + 1.2e9 * 1.10 ** (-61 / 365)
    assert k.npv_payments == pytest.approx(by_hand, rel=1e-12)
    assert by_hand == pytest.approx(3.27245e9, rel=1e-5)
    # Annual run rate: the 3 fees annualised, 3.3B x 12 / 3.
    assert k.annual_run_rate == pytest.approx(13.2e9, rel=1e-12)
    # 90 days' notice on 06-01 runs to 08-30: June and July whole, 29 of August's 31 days.
    assert k.walkaway_exposure == pytest.approx(1.0e9 + 1.1e9 + 1.2e9 * 29 / 31, rel=1e-12)


def test_unplanned_months_keep_the_computed_fee_and_the_escalator_skips_planned_ones():
    # 14 months at $1.25B with a 10% escalator from month 13; month 13 is planned at $2B
    # (no escalator on it), month 14 keeps the computed 1.25B x 1.1.
    scenario = default_scenario().with_changes(
        "contract", term_months=14, escalator_pct=10.0, invoice_plan=(PlannedInvoice(13, 2.0e9),))
    fee = compute(scenario).schedule.monthly_fee
    assert fee[:12] == pytest.approx([1.25e9] * 12)
    assert fee[12] == 2.0e9
    assert fee[13] == pytest.approx(1.375e9, rel=1e-12)


def test_sla_credits_come_off_a_planned_amount():
    # Availability 97% against a 99% SLA: 2 points x 10% per point = 20% credit (cap 30%).
    scenario = three_month_deal(invoice_plan=PLAN).with_changes("hardware", availability_pct=97.0)
    s = compute(scenario).schedule
    assert s.monthly_fee == pytest.approx([1.0e9, 1.1e9, 1.2e9])
    assert s.service_credit == pytest.approx([0.2e9, 0.22e9, 0.24e9])
    assert s.invoice == pytest.approx([0.8e9, 0.88e9, 0.96e9])


def test_sla_credits_come_off_a_planned_month_under_per_gpu_hour_pricing():
    # Per-GPU-hour pricing, month 2 planned at $800M; availability 96% against the 99%
    # SLA: 3 points x 10% per point = 30% (the cap). The planned month is a fixed
    # amount, so it is credited: 800M x 0.30 = 240M off, invoice 560M. Months 1 and 3
    # are computed per-GPU-hour fees on delivered hours: no credit on them.
    scenario = three_month_deal(pricing_mode=PRICING_GPU_HOUR, price_per_gpu_hour=3.0,
                                invoice_plan=(PlannedInvoice(2, 0.8e9),))
    scenario = scenario.with_changes("hardware", availability_pct=96.0)
    s = compute(scenario).schedule
    assert s.monthly_fee[1] == 0.8e9
    assert list(s.service_credit) == [0.0, pytest.approx(0.24e9, rel=1e-12), 0.0]
    assert s.invoice[1] == pytest.approx(0.56e9, rel=1e-12)
    assert s.invoice[0] == s.monthly_fee[0] and s.invoice[2] == s.monthly_fee[2]
    assert_path_equals_engine(scenario, run_paths(scenario))


def test_a_deposit_is_months_of_the_first_planned_invoice_and_applied_to_the_last():
    # One month's deposit = the first invoice, 1.0B, paid on the start date and applied
    # to month 3's 1.2B invoice: payments 1.0 + 1.0, 1.1, 1.2 - 1.0.
    scenario = three_month_deal(invoice_plan=PLAN, prepayment_months=1.0)
    s = compute(scenario).schedule
    assert s.payment == pytest.approx([2.0e9, 1.1e9, 0.2e9])
    assert s.payment.sum() == pytest.approx(3.3e9)


def test_the_termination_fee_is_months_of_the_planned_fee_then_in_force():
    # A fee of 2 months; notice on month 2's first day (07-01) with 31 days' notice ends
    # on 08-01: July's 1.1B whole, plus 2 x 1.1B (July's planned fee); the cost of ending
    # adds June's 1.0B.
    scenario = three_month_deal(invoice_plan=PLAN, notice_days=31, termination_fee_months=2.0)
    s = compute(scenario).schedule
    assert s.walkaway_exposure[1] == pytest.approx(1.1e9 + 2 * 1.1e9, rel=1e-12)
    assert s.termination_cost[1] == pytest.approx(1.0e9 + 1.1e9 + 2.2e9, rel=1e-12)
    # 30 days' notice ends on 07-31: 30 of July's 31 days.
    shorter = compute(scenario.with_changes("contract", notice_days=30)).schedule
    assert shorter.walkaway_exposure[1] == pytest.approx(1.1e9 * 30 / 31 + 2.2e9, rel=1e-12)


def test_a_demand_plan_is_tokens_over_its_month():
    # Month 2 (July, 31 days) planned at 5e15 tokens: a rate of 5e15 / (31 x 86,400) tokens/s;
    # the other months keep 400M tokens/s growing 2%/month.
    scenario = three_month_deal().with_changes(
        "projections", demand_plan=(PlannedDemand(2, 5e15),))
    s = compute(scenario).schedule
    assert s.demand_tokens_per_s[0] == pytest.approx(400e6)
    assert s.demand_tokens_per_s[1] == pytest.approx(5e15 / (31 * 86_400), rel=1e-12)
    assert s.demand_tokens_per_s[2] == pytest.approx(400e6 * 1.02 ** 2)
    # More than the capacity serves in July: served is the capacity's tokens, a shortfall month.
    assert s.tokens_capacity[1] < 5e15
    assert s.tokens_served[1] == pytest.approx(s.tokens_capacity[1], rel=1e-12)
    assert compute(scenario).key_figures.shortfall_months == 1
    # A small plan is served whole: 1e12 tokens in June.
    small = scenario.with_changes("projections", demand_plan=(PlannedDemand(1, 1e12),))
    assert compute(small).schedule.tokens_served[0] == pytest.approx(1e12, rel=1e-12)


def test_plans_past_the_term_have_no_effect_and_are_warned_about():
    plain = compute(three_month_deal())
    late = compute(three_month_deal(invoice_plan=(PlannedInvoice(5, 9e9),)))
    assert late.key_figures.total_contract_value == plain.key_figures.total_contract_value
    assert any("invoice plan has 1 month(s) after the 3-month term (5)" in w for w in late.warnings)


def test_a_month_planned_twice_or_out_of_range_is_refused():
    with pytest.raises(ParameterError) as caught:
        three_month_deal(invoice_plan=(PlannedInvoice(2, 1e9), PlannedInvoice(2, 2e9)))
    assert caught.value.field == "invoice_plan" and "month 2 is planned twice" in str(caught.value)
    with pytest.raises(ParameterError, match="Month must be between 1 and 240"):
        PlannedInvoice(0, 1e9)
    with pytest.raises(ParameterError, match="Planned invoice must be between"):
        PlannedInvoice(1, -1.0)


def test_the_default_scenario_has_no_plans():
    s = default_scenario()
    assert s.contract.invoice_plan == () and s.projections.demand_plan == ()


# --- the path engine -------------------------------------------------------------------

def planned_scenario(**contract):
    s = default_scenario().with_changes(
        "contract", term_months=30, escalator_pct=4.0, intro_months=2, intro_discount_pct=15.0,
        invoice_plan=(PlannedInvoice(1, 0.5e9), PlannedInvoice(7, 2.0e9),
                      PlannedInvoice(29, 1.6e9), PlannedInvoice(40, 3e9)), **contract)
    return s.with_changes("projections", demand_plan=(
        PlannedDemand(3, 1e15), PlannedDemand(12, 9e15), PlannedDemand(30, 2e15)))


@pytest.mark.parametrize("pricing", ["fixed", PRICING_GPU_HOUR])
def test_one_path_with_plans_equals_compute(pricing):
    scenario = planned_scenario(pricing_mode=pricing, termination_fee_months=1.0)
    scenario = scenario.with_changes("hardware", availability_pct=98.0)
    assert_path_equals_engine(scenario, run_paths(scenario))
    check_matches_engine(scenario)


def test_sampled_paths_with_plans_equal_compute_path_by_path():
    """Each path's sampled fee, term and demand growth, run through compute() on
    its own: the plan replaces the same months on every path (month 29 only where
    the term reaches it)."""
    scenario = planned_scenario()
    values = {"contract.monthly_fee": np.array([1.0e9, 1.5e9, 0.8e9]),
              "contract.term_months": np.array([30, 24, 36]),
              "projections.demand_growth_pct_per_month": np.array([1.0, 3.0, -2.0])}
    paths = run_paths(scenario, values, months=36)
    for i in range(3):
        one = scenario.with_changes("contract", monthly_fee=float(values["contract.monthly_fee"][i]),
                                    term_months=int(values["contract.term_months"][i]))
        one = one.with_changes("projections", demand_growth_pct_per_month=float(
            values["projections.demand_growth_pct_per_month"][i]))
        assert_path_equals_engine(one, paths, index=i)


# --- the scenario file -----------------------------------------------------------------

def test_plans_save_and_load(tmp_path):
    scenario = planned_scenario()
    path = tmp_path / "plans.cdm.json"
    sf.save_scenario(scenario, path)
    document = json.loads(path.read_text("utf-8"))
    assert document["version"] == sf.FORMAT_VERSION
    assert document["scenarios"][0]["contract"]["invoice_plan"][1] == {"month": 7,
                                                                      "amount": 2.0e9}
    assert sf.load_scenario(path) == scenario


def test_a_version_2_file_loads_with_no_plans(tmp_path):
    document = sf.encode_document(sf.ScenarioSet((default_scenario(),)))
    document["version"] = 2
    for scenario in document["scenarios"]:
        del scenario["contract"]["invoice_plan"], scenario["projections"]["demand_plan"]
    path = tmp_path / "v2.cdm.json"
    path.write_text(json.dumps(document), "utf-8")
    assert sf.load_scenario(path) == default_scenario()
    # In a current-version file the plans must be there (empty lists when none).
    document["version"] = sf.FORMAT_VERSION
    path.write_text(json.dumps(document), "utf-8")
    with pytest.raises(sf.ScenarioFileError, match="invoice_plan: missing"):
        sf.load_scenario(path)


def test_a_file_with_a_month_planned_twice_is_refused_naming_the_field(tmp_path):
    document = sf.encode_document(sf.ScenarioSet((default_scenario(),)))
    document["scenarios"][0]["contract"]["invoice_plan"] = [
        {"month": 2, "amount": 1e9}, {"month": 2, "amount": 2e9}]
    path = tmp_path / "twice.cdm.json"
    path.write_text(json.dumps(document), "utf-8")
    with pytest.raises(sf.ScenarioFileError) as caught:
        sf.load_scenario(path)
    assert caught.value.field == "scenarios[0].contract.invoice_plan"
    assert "month 2 is planned twice" in str(caught.value)


# --- importing -------------------------------------------------------------------------

HEADERS = ["Month", "Amount ($)"]
ROWS = [["2026-06-01", "1,000,000,000"], ["2", "1.1e9"], ["3", "$1,200,000,000"]]




def test_the_same_invoice_plan_from_csv_xlsx_and_a_pasted_block_gives_the_same_scenario(tmp_path):
    base = three_month_deal()
    from_csv, checked = import_records(base, "invoice_plan",
                                       read_file(write_csv(tmp_path / "plan.csv", HEADERS, ROWS)))
    assert not checked.refusals

    book = openpyxl.Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Plan")
    sheet.append(HEADERS)
    # Native cells, as an analyst's sheet holds them: a date, then numbers.
    sheet.append([dt.datetime(2026, 6, 1), 1_000_000_000])
    sheet.append([2, 1.1e9])
    sheet.append([3, 1_200_000_000])
    book.save(tmp_path / "plan.xlsx")
    from_xlsx, checked = import_records(base, "invoice_plan",
                                        read_file(tmp_path / "plan.xlsx", sheet="Plan"))
    assert not checked.refusals

    block = "\n".join("\t".join(row) for row in [HEADERS] + ROWS) + "\n"
    from_paste, checked = import_records(base, "invoice_plan", read_pasted(block))
    assert not checked.refusals

    expected = dataclasses.replace(base, contract=dataclasses.replace(base.contract,
                                                                       invoice_plan=PLAN))
    assert from_csv == from_xlsx == from_paste == expected
    assert compute(from_csv).key_figures.total_contract_value == pytest.approx(3.3e9)


@pytest.mark.parametrize("month, amount, column, reason", [
    ("0", "1e9", "Month", "Month must be between 1 and 240; 0 is out of range"),
    ("2", "-5", "Amount ($)", "Planned invoice must be between $0 and $50,000,000,000"),
    ("2", "lots", "Amount ($)", "Planned invoice must be a number, got 'lots'"),
    ("two", "1e9", "Month", "Month must be a number, got 'two'"),
    ("4", "1e9", "Month", "month 4 is after the term's 3 months"),
    ("2026-09-01", "1e9", "Month", "2026-09-01 is outside the term (2026-06-01 to 2026-08-31)"),
    ("1", "1e9", "Month", "month 1 is already on row 2"),
])
def test_a_bad_cell_is_refused_by_row_column_and_reason(tmp_path, month, amount, column, reason):
    base = three_month_deal(invoice_plan=(PlannedInvoice(1, 7e9),))
    rows = [["1", "1e9"], [month, amount]]
    for source in (read_file(write_csv(tmp_path / "bad.csv", HEADERS, rows)),
                   read_pasted("\n".join("\t".join(r) for r in [HEADERS] + rows))):
        after, checked = import_records(base, "invoice_plan", source)
        assert after is base and after.contract.invoice_plan == (PlannedInvoice(1, 7e9),)
        assert len(checked.refusals) == 1
        refusal = checked.refusals[0]
        assert (refusal.row, refusal.column) == (3, column)
        assert reason in refusal.reason


def test_a_demand_plan_imports_by_date_into_the_month_it_falls_in(tmp_path):
    # 2026-07-15 falls in month 2 (07-01 to 07-31); tokens over the month.
    block = "Date\tTokens\n2026-07-15\t5e15\n2026-06-01\t1,000,000,000,000\n"
    after, checked = import_records(three_month_deal(), "demand_plan", read_pasted(block))
    assert not checked.refusals
    assert after.projections.demand_plan == (PlannedDemand(1, 1e12), PlannedDemand(2, 5e15))


# --- the workbook ----------------------------------------------------------------------

@pytest.mark.parametrize("pricing", ["fixed", PRICING_GPU_HOUR])
def test_the_exported_workbook_recalculates_a_plan_to_the_app(tmp_path, pricing):
    """The Schedule's fee and demand formulas look the plan up on the Inputs
    sheet: recalculated from the formulas alone, every key figure equals the
    app's, and a planned amount typed into the workbook moves the total."""
    from core.export.workbook import write_workbook
    from tests.core.test_export_workbook import Recalculated, assert_key_figures_equal_the_app

    scenario = planned_scenario(termination_fee_months=1.0, prepayment_months=1.0,
                                pricing_mode=pricing)
    scenario = scenario.with_changes("hardware", availability_pct=98.0)
    results = compute(scenario)
    path = tmp_path / "plan.xlsx"
    write_workbook(results, path, months=30)
    book = Recalculated(path)
    assert_key_figures_equal_the_app(book, results, book.solution)
    # The plan's first amount (month 1, 0.5B; the Inputs row after the table's title
    # and header) typed up to 0.9B: the fee grows by 0.4B, less the 10% SLA credit
    # (98% available against 99%: 1 point x 10% per point), so the total by 0.36B.
    sheet = book.book["Inputs"]
    title = next(row[0].row for row in sheet.iter_rows()
                 if row[0].value == "Contract terms: Invoice plan")
    assert (sheet.cell(title + 2, 1).value, sheet.cell(title + 2, 2).value) == (1, 0.5e9)
    key = book.key(f"Inputs!B{title + 2}")
    changed = book.model.calculate(inputs={key: 0.9e9})
    total = book.value("TotalContractValue", changed)
    assert total == pytest.approx(results.key_figures.total_contract_value + 0.36e9, rel=1e-9)


def test_a_plan_edited_in_the_workbook_comes_back(tmp_path):
    from core.export.workbook import write_workbook
    from core.workbook_import import WorkbookImportError, read_workbook_scenario

    scenario = planned_scenario()
    path = tmp_path / "plan.xlsx"
    write_workbook(compute(scenario), path, months=48)
    assert read_workbook_scenario(path) == scenario

    book = openpyxl.load_workbook(path)
    sheet = book["Inputs"]
    title = next(row[0].row for row in sheet.iter_rows() if row[0].value == "Contract terms: Invoice plan")
    # The plan's second row (month 7, 2.0B) becomes month 8 at 2.5B.
    sheet.cell(title + 3, 1).value = 8
    sheet.cell(title + 3, 2).value = 2.5e9
    book.save(path)
    edited = scenario.with_changes("contract", invoice_plan=(
        PlannedInvoice(1, 0.5e9), PlannedInvoice(8, 2.5e9), PlannedInvoice(29, 1.6e9),
        PlannedInvoice(40, 3e9)))
    assert read_workbook_scenario(path) == edited

    # A negative amount is refused naming the cell; nothing comes back.
    sheet.cell(title + 3, 2).value = -1
    book.save(path)
    with pytest.raises(WorkbookImportError) as caught:
        read_workbook_scenario(path)
    assert f"Inputs!B{title + 3}" in str(caught.value)
    assert "Planned invoice must be between" in str(caught.value)
