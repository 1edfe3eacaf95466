"""CSV and PowerPoint exports, and the rules every export follows: never
overwrite without leave, a clear error on a bad path, no half-written file."""
from __future__ import annotations

import csv
import io
import os

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from core.engine import compute
from core.export.files import write_file_export
from core.export.target import ExportError, TargetExists, export_format
from core.presets import default_scenario


@pytest.fixture(scope="module")
def results():
    return compute(default_scenario())


def test_csv_is_the_schedule_one_row_a_month(results, tmp_path):
    path = tmp_path / "schedule.csv"
    assert write_file_export(results, path) == "csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert len(rows) == 36
    assert rows[0]["month_start"] == "2026-06-01" and rows[-1]["month_start"] == "2029-05-01"
    assert float(rows[0]["payment"]) == 1.25e9
    assert float(rows[-1]["cumulative_payment"]) == pytest.approx(45e9)
    # 90 days from 1 Jun 2026: June, July and 29/31 of August
    assert float(rows[0]["walkaway_exposure"]) == pytest.approx(1.25e9 * (2 + 29 / 31))


def test_deck_has_title_figures_native_charts_and_assumptions(results, tmp_path):
    path = tmp_path / "deck.pptx"
    write_file_export(results, path)
    deck = Presentation(str(path))
    # The deal on a page first: its verdict in the title placeholder ($19.0B, the
    # buyer's NPV), the term sheet beside it; then each slide's text boxes.
    first = deck.slides[0]
    assert first.shapes.title.text.startswith("Worth $19.0B to Anthropic (NPV at 10%/yr)")
    # ... and what it pays against the market: $7.78 against the fleet's $2.39 market
    # rent per GPU-hour is 3.3x, a mark-to-market of -$27.2B to the buyer.
    assert first.shapes.title.text.endswith(
        "the deal pays 3.3x the market rent, a mark-to-market of \u2212$27.2B to the buyer.")
    sheet = next(shape for shape in first.shapes if shape.name == "Term sheet")
    assert "Buyer (lessee): Anthropic" in sheet.text_frame.text
    assert "Provider (lessor): SpaceX (xAI)" in sheet.text_frame.text
    assert any("COLOSSUS LEASE 2026" in shape.text_frame.text.upper() for shape in first.shapes
               if shape.has_text_frame and not shape.is_placeholder)
    texts = [[shape.text_frame.text for shape in slide.shapes
              if shape.has_text_frame and not shape.is_placeholder] for slide in deck.slides]
    assert texts[1][0] == "EXECUTIVE SUMMARY"      # the summary comes first
    figures = texts[2]
    assert figures[0] == "KEY FIGURES"
    assert figures[figures.index("Total contract value") + 1] == "$45.0B"
    assert figures[figures.index("Walk-away exposure") + 1] == "$3.67B"
    assert figures[figures.index("Price per GPU-hour") + 1] == "$7.78/GPU-hour"

    charts = [shape.chart for slide in deck.slides for shape in slide.shapes
              if shape.shape_type == MSO_SHAPE_TYPE.CHART]
    payments, cumulative = charts[0], charts[1]
    # Columns of payments, a flow, alone on their "$ per month" axis; the exposure, a
    # stock, a line beside cumulative spend (it sat on the payments' axis).
    (columns,) = payments.plots
    assert [s.name for s in columns.series] == ["Payment"]
    assert list(columns.series[0].values) == [1.25e9] * 36
    line = next(s for plot in cumulative.plots for s in plot.series
                if s.name == "Walk-away exposure")
    assert line.values[0] == pytest.approx(1.25e9 * (2 + 29 / 31))   # June, July, 29/31 of August
    categories = list(columns.categories)
    assert categories[0] == "Jun 2026" and categories[-1] == "May 2029"

    # Values never wrap: their spaces are non-breaking (read here as plain spaces).
    table_cells = [cell.text.replace("\u00a0", " ") for slide in deck.slides for shape in slide.shapes
                   if shape.has_table for row in shape.table.rows for cell in row.cells]
    assert "Monthly fee" in table_cells and "$1.25B" in table_cells
    assert "Colossus 1 (H100)" in table_cells


def test_never_overwrites_without_leave(results, tmp_path):
    path = tmp_path / "kept.csv"
    path.write_text("the user's work")
    with pytest.raises(TargetExists, match="already exists"):
        write_file_export(results, path)
    assert path.read_text() == "the user's work"
    write_file_export(results, path, overwrite=True)
    assert path.read_text().startswith("month,")


@pytest.mark.parametrize("name, message", [
    ("missing-folder/out.xlsx", "does not exist"),
    ("out.docx", "must end in"),
])
def test_bad_paths_are_refused_clearly(results, tmp_path, name, message):
    with pytest.raises(ExportError, match=message):
        write_file_export(results, tmp_path / name)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder_is_refused(results, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="not writable"):
            write_file_export(results, folder / "out.pptx")
    finally:
        folder.chmod(0o700)


def test_a_failed_write_leaves_no_partial_file(results, tmp_path, monkeypatch):
    import core.export.workbook as workbook

    def broken(results, out, **_options):
        out.write(b"half")
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(workbook, "write_workbook", broken)
    target = tmp_path / "deal.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(ExportError, match="No space left on device"):
        write_file_export(results, target, overwrite=True)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deal.xlsx"]


def test_format_comes_from_the_suffix():
    assert [export_format(f"a.{s}") for s in ("PNG", "pdf", "xlsx", "pptx", "csv")] == \
        ["png", "pdf", "xlsx", "pptx", "csv"]
