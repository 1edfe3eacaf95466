"""The Excel export: a live workbook whose formulas, recalculated by an
independent engine (the `formulas` package), give the app's figures."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

# `formulas` is pinned in the test extra: if it is missing the suite fails, it never skips.
import formulas
import numpy as np
import openpyxl
import pytest

from core.engine import compute
from core.export.workbook import DEFINED_NAMES, write_workbook
from core.parameters import Tranche
from core.presets import default_scenario

FIGURES = {"TotalContractValue": "total_contract_value", "AnnualRunRate": "annual_run_rate",
           "WalkawayExposure": "walkaway_exposure", "PricePerGPUHour": "price_per_gpu_hour",
           "NPVPayments": "npv_payments"}


def awkward_scenario():
    """Every formula path at once: month-end start date, escalator, a fee step,
    arrears, a termination fee, a notice period spanning periods, and a tranche
    that comes online mid-month during the term."""
    s = default_scenario()
    s = s.with_changes("contract", start_date=dt.date(2027, 1, 31), term_months=30,
                       escalator_pct=3.5, intro_months=2, intro_discount_pct=20.0,
                       payment_timing="arrears", termination_fee_months=1.5,
                       notice_days=200, discount_rate_pct=8.25)
    tranches = s.hardware.tranches + (
        Tranche("Colossus 2 (GB300)", "Memphis, TN", "GB300", 40_000, dt.date(2027, 9, 17)),)
    return s.with_changes("hardware", tranches=tranches)


class Recalculated:
    """The workbook recalculated from its formulas; cells looked up by name."""

    def __init__(self, path):
        self.path = path
        self.book = openpyxl.load_workbook(path)
        self.model = formulas.ExcelModel().loads(str(path)).finish()
        self.solution = self.model.calculate()

    def key(self, reference: str) -> str:
        sheet, cell = reference.lstrip("=").split("!")
        sheet = sheet.strip("'")
        return f"'[{self.path.name}]{sheet.upper()}'!{cell.replace('$', '')}"

    def name_ref(self, name: str) -> str:
        return self.book.defined_names[name].attr_text

    def value(self, name: str, solution=None) -> float:
        cell = (solution or self.solution)[self.key(self.name_ref(name))]
        return float(np.asarray(cell.value).ravel()[0])

    def recalculate_with(self, **inputs) -> dict:
        """Recalculate after changing inputs given by their defined names."""
        changes = {self.key(self.name_ref(name)): value for name, value in inputs.items()}
        return self.model.calculate(inputs=changes)


@pytest.fixture(scope="module")
def default_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "deal.xlsx"
    results = compute(default_scenario())
    write_workbook(results, path)
    return results, Recalculated(path)


@pytest.fixture(scope="module")
def awkward_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "awkward.xlsx"
    results = compute(awkward_scenario())
    write_workbook(results, path)
    return results, Recalculated(path)


def test_defined_names_point_at_formulas(default_book):
    _, book = default_book
    for name in DEFINED_NAMES:
        sheet, cell = book.name_ref(name).split("!")
        value = book.book[sheet.strip("'")][cell.replace("$", "")].value
        assert isinstance(value, str) and value.startswith("="), (name, value)
    sheet, cell = book.name_ref("NPVPayments").split("!")
    assert "XNPV(" in book.book[sheet.strip("'")][cell.replace("$", "")].value


def test_default_deal_recalculates_to_the_reference_figures(default_book):
    results, book = default_book
    assert book.value("TotalContractValue") == pytest.approx(45.0e9, rel=1e-12)
    assert book.value("AnnualRunRate") == pytest.approx(15.0e9, rel=1e-12)
    # 90 days at 1.25B x 12 / 365.
    # June, July and 29 of August's 31 days (notice on 1 Jun 2026 ends 30 Aug)
    assert book.value("WalkawayExposure") == pytest.approx(1.25e9 * (2 + 29 / 31), rel=1e-9)
    # 45B / (220,000 GPUs x 26,304 hours).
    assert book.value("PricePerGPUHour") == pytest.approx(45e9 / (220_000 * 26_304), rel=1e-9)
    for name, attribute in FIGURES.items():
        assert book.value(name) == pytest.approx(getattr(results.key_figures, attribute),
                                                 rel=1e-9), name


def test_awkward_scenario_recalculates_to_the_app(awkward_book):
    results, book = awkward_book
    for name, attribute in FIGURES.items():
        assert book.value(name) == pytest.approx(getattr(results.key_figures, attribute),
                                                 rel=1e-9), name


def test_schedule_columns_recalculate_to_the_app(awkward_book):
    results, book = awkward_book
    sheet = book.book["Schedule"]
    headers = [c.value for c in sheet[1]]
    s = results.schedule
    expected = {"Payment ($)": s.payment, "Cumulative payments ($)": s.cumulative_payment,
                "Walk-away exposure ($)": s.walkaway_exposure,
                "Discount factor": s.discount_factor,
                "GPU-hours delivered": s.gpu_hours_delivered,
                "Price per GPU-hour ($/GPU-hour)": s.price_per_gpu_hour}
    for header, values in expected.items():
        column = openpyxl.utils.get_column_letter(headers.index(header) + 1)
        for i, value in enumerate(values):
            cell = sheet[f"{column}{i + 2}"].value
            assert isinstance(cell, str) and cell.startswith("="), (header, cell)
            got = book.solution[book.key(f"Schedule!{column}{i + 2}")].value
            assert float(np.asarray(got).ravel()[0]) == pytest.approx(value, rel=1e-9), \
                (header, i)


def test_workbook_stays_alive_when_an_input_changes(default_book):
    """Change inputs in the workbook: it follows the app's engine on the same change."""
    _, book = default_book
    changed = book.recalculate_with(contract_monthly_fee=2.0e9, contract_escalator_pct=5.0,
                                    contract_notice_days=45,
                                    contract_termination_fee_months=2.0)
    scenario = default_scenario().with_changes(
        "contract", monthly_fee=2.0e9, escalator_pct=5.0, notice_days=45,
        termination_fee_months=2.0)
    figures = compute(scenario).key_figures
    for name, attribute in FIGURES.items():
        assert book.value(name, changed) == pytest.approx(getattr(figures, attribute),
                                                          rel=1e-9), name
    # And it really changed: 1.25B -> 2B with escalation is not the original total.
    assert book.value("TotalContractValue", changed) > 72e9


def test_inputs_sheet_lists_every_parameter(default_book):
    _, book = default_book
    sheet = book.book["Inputs"]
    labels = {row[1] for row in sheet.iter_rows(values_only=True)}
    scenario = default_scenario()
    for section in scenario.SECTIONS:
        for f in dataclasses.fields(getattr(scenario, section)):
            if "kind" in f.metadata:
                assert f.metadata["label"] in labels, f.name
    names = {row[4] for row in sheet.iter_rows(values_only=True)}
    assert "contract_monthly_fee" in names
    tranche_names = {row[0] for row in sheet.iter_rows(values_only=True)}
    assert {t.name for t in scenario.hardware.tranches} <= tranche_names


def test_native_charts_reference_the_schedule(default_book):
    _, book = default_book
    charts = book.book["Charts"]._charts
    assert len(charts) >= 3
    # Read the chart XML itself: series point at Schedule ranges, not pasted numbers.
    import zipfile
    with zipfile.ZipFile(book.path) as archive:
        chart_xml = [archive.read(n).decode() for n in archive.namelist()
                     if re.match(r"xl/charts/chart\d+\.xml", n)]
    assert chart_xml and all("Schedule!$" in xml for xml in chart_xml)


def test_payments_the_formulas_do_not_model_are_written_as_values(tmp_path):
    """SLA credits (availability below the promise) are not in the fee
    formulas: the workbook then carries the app's payments, says so, and its
    key figures still equal the app's."""
    scenario = default_scenario()
    contract = scenario.contract
    scenario = scenario.with_changes("hardware", availability_pct=90.0).with_changes(
        "contract", sla_availability_pct=99.0, service_credit_pct_per_point=2.0,
        service_credit_cap_pct=15.0)
    results = compute(scenario)
    assert results.schedule.payment[0] < contract.monthly_fee
    path = tmp_path / "credits.xlsx"
    write_workbook(results, path)
    book = Recalculated(path)
    sheet = book.book["Schedule"]
    headers = [c.value for c in sheet[1]]
    payment = sheet.cell(2, headers.index("Payment ($)") + 1).value
    assert payment == pytest.approx(results.schedule.payment[0])
    notes = [row[0] for row in sheet.iter_rows(values_only=True) if row[0]]
    assert any(str(note).startswith("Note: fees, payments") for note in notes)
    for name, attribute in FIGURES.items():
        assert book.value(name) == pytest.approx(getattr(results.key_figures, attribute),
                                                 rel=1e-9), name
