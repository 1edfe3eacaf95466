"""`main.py portfolio FILE --out PATH` as a user runs it: the portfolio's
report, deck and workbook written and read back; errors on one line."""
from __future__ import annotations

import openpyxl
from pptx import Presentation
from pypdf import PdfReader

from core.export.portfolio_pack import headline
from core.portfolio import EXAMPLE_PATH, read_portfolio
from tests.e2e.test_export_cli import run


def test_report_deck_and_workbook_of_the_example(tmp_path):
    for name in ("book.pdf", "book.pptx", "book.xlsx"):
        result = run("portfolio", str(EXAMPLE_PATH), "--out", str(tmp_path / name),
                     "--paths", "2000", "--seed", "3")
        assert result.returncode == 0, (name, result.stderr)
        assert result.stdout.strip() == str(tmp_path / name)
        assert "Traceback" not in result.stderr
    example = read_portfolio(EXAMPLE_PATH)
    finding = headline(example)
    pages = PdfReader(str(tmp_path / "book.pdf")).pages
    first, second = (" ".join(pages[i].extract_text().split()) for i in (0, 1))
    assert example.name in first
    assert finding in second           # the book's finding, as the pack's first page title
    # The joint simulation on the paths and seed asked for, stated.
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "2,000 paths, seed 3" in text and "(P5-P95)" in text
    deck = Presentation(str(tmp_path / "book.pptx"))
    assert [slide.shapes.title.text for slide in deck.slides][:2] == [example.name, finding]
    book = openpyxl.load_workbook(tmp_path / "book.xlsx")
    assert book.sheetnames == ["Portfolio", "Sources", "Joint simulation"]
    assert "2,000 paths, seed 3" in book["Joint simulation"]["A2"].value
    assert "PortfolioHHI" in book.defined_names


def test_errors_are_one_line(tmp_path):
    kept = tmp_path / "kept.pptx"
    kept.write_text("keep me")
    result = run("portfolio", str(EXAMPLE_PATH), "--out", str(kept))
    assert result.returncode == 2
    assert result.stderr.strip() == (f"main.py portfolio: error: {kept} already exists "
                                     f"(use --force to overwrite it)")
    assert kept.read_text() == "keep me"
    result = run("portfolio", str(EXAMPLE_PATH), "--out", str(tmp_path / "book.csv"))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "a portfolio exports to .pdf, .pptx or .xlsx" in result.stderr
    assert not (tmp_path / "book.csv").exists()
    missing = tmp_path / "none.json"
    result = run("portfolio", str(missing), "--out", str(tmp_path / "book.pdf"))
    assert result.returncode == 2 and str(missing) in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "book.pdf").exists()
