"""The portfolio's workbook (core/export/workbook_portfolio.py) written and read
back: the deals' months are values headed by counterparty and scenario; the
totals, shares, HHI and largest share are formulas whose cached results are
core.portfolio's figures to the cent, and which LibreOffice recalculates to
the same (one conversion: the suite is slow)."""
from __future__ import annotations

import openpyxl
import pytest

from core.export.portfolio_pack import deal_figures
from core.export.workbook_portfolio import write_portfolio_workbook
from core.portfolio import EXAMPLE_PATH, concentration, portfolio_totals, read_portfolio
from tests.helpers import libreoffice


@pytest.fixture(scope="module")
def example():
    return read_portfolio(EXAMPLE_PATH)


@pytest.fixture(scope="module")
def written(example, tmp_path_factory):
    path = tmp_path_factory.mktemp("portfolio") / "book.xlsx"
    write_portfolio_workbook(example, path)
    return path


def named(book, name):
    sheet, cell = next(iter(book.defined_names[name].destinations))
    return book[sheet][cell.replace("$", "")]


def figures_of(book):
    """Each defined figure, the counterparties' rows and the book's monthly totals."""
    sheet = book["Portfolio"]
    out = {name: named(book, name).value for name in
           ("PortfolioTotal", "PortfolioHHI", "LargestShare", "LargestCounterparty")}
    rows = {}
    for row in sheet.iter_rows(min_row=6, max_row=9, values_only=True):
        rows[row[0]] = row[1:5]
    out["counterparties"] = rows
    header = next(r for r in range(1, 40) if sheet.cell(r, 1).value == "Month")
    out["months"] = [sheet.cell(r, 6).value for r in range(header + 4, header + 4 + 182)]
    out["deal_totals"] = [sheet.cell(header + 3, c).value for c in range(2, 6)]
    return out


def assert_the_books_figures(got, example):
    totals = portfolio_totals(example)
    conc = concentration(example)
    assert got["PortfolioTotal"] == pytest.approx(float(totals.total_commitments.sum()),
                                                  abs=0.01)
    assert got["PortfolioHHI"] == pytest.approx(conc.hhi, abs=1e-6)
    assert got["LargestShare"] == pytest.approx(conc.largest_share, abs=1e-12)
    assert got["LargestCounterparty"] == conc.largest == "SpaceX/xAI"
    for name, (deals, committed, share, points) in got["counterparties"].items():
        assert deals == 1
        assert committed == pytest.approx(float(totals.commitments[name].sum()), abs=0.01)
        assert share == pytest.approx(conc.shares[name], abs=1e-12)
        assert points == pytest.approx((100 * conc.shares[name]) ** 2, abs=1e-6)
    assert set(got["counterparties"]) == set(totals.commitments)
    for month, value in zip(range(len(totals.months)), got["months"]):
        assert value == pytest.approx(float(totals.total_commitments[month]), abs=0.01), month
    assert got["deal_totals"] == pytest.approx([f.total for f in deal_figures(example)],
                                               abs=0.01)


def test_the_deals_are_values_headed_by_counterparty_and_scenario(written, example):
    sheet = openpyxl.load_workbook(written)["Portfolio"]
    header = next(r for r in range(1, 40) if sheet.cell(r, 1).value == "Month")
    assert [sheet.cell(header + 1, c).value for c in range(2, 6)] == [
        d.counterparty for d in example.deals]
    assert [sheet.cell(header + 2, c).value for c in range(2, 6)] == [
        d.scenario.name for d in example.deals]
    # June 2026 (the eighth month from Nov 2025): the reference deal's first $1.25B, a value.
    assert sheet.cell(header + 4 + 7, 2).value == pytest.approx(1.25e9)
    # Every total, share and the index are formulas.
    assert str(sheet.cell(header + 4 + 7, 6).value).startswith("=SUM(")
    book = openpyxl.load_workbook(written)
    for name in ("PortfolioTotal", "PortfolioHHI", "LargestShare", "LargestCounterparty"):
        assert str(named(book, name).value).startswith("="), name


def test_cached_values_are_the_books_figures_to_the_cent(written, example):
    # What a reader that does not recalculate (a previewer, LibreOffice's default) shows.
    assert_the_books_figures(figures_of(openpyxl.load_workbook(written, data_only=True)),
                             example)


def test_libreoffice_recalculates_to_the_same_figures(written, example, tmp_path):
    recalculated = libreoffice(tmp_path, written, "xlsx")
    assert_the_books_figures(figures_of(openpyxl.load_workbook(recalculated, data_only=True)),
                             example)


def test_sources_sheet_lists_every_labelled_figure(written):
    sheet = openpyxl.load_workbook(written)["Sources"]
    text = "\n".join(str(r[0]) for r in sheet.iter_rows(min_row=4, values_only=True) if r[0])
    assert "[R] 2026-05, MARKET.md" in text and "Credit of Google Cloud" in text


def test_the_joint_simulation_sheet_holds_its_figures(example, tmp_path):
    from core.export.portfolio_pack import joint_simulation
    risk = joint_simulation(example, paths=2_000, seed=7)
    path = tmp_path / "risk.xlsx"
    write_portfolio_workbook(example, path, risk)
    sheet = openpyxl.load_workbook(path)["Joint simulation"]
    assert "2,000 paths, seed 7" in sheet["A2"].value
    values = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(5, 12)}
    assert values["Mean"] == pytest.approx(risk.mean, abs=0.01)
    assert values["P5"] == pytest.approx(risk.p5, abs=0.01)
    assert values["P95"] == pytest.approx(risk.p95, abs=0.01)
    assert sheet.cell(13, 1).value == "Deal"
    rows = [[sheet.cell(r, c).value for c in range(1, 7)] for r in range(14, 18)]
    for row, c in zip(rows, risk.contributions):
        assert row[:2] == [c.name, c.counterparty]
        assert row[4] == pytest.approx(c.contribution, abs=0.01)
