"""The PowerPoint deck: a title slide, the key figures, one slide per chart
with a native (editable) chart, and the assumptions as tables."""
from __future__ import annotations

import datetime as dt
from typing import IO
import math
from pathlib import Path

import numpy as np
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Emu, Inches, Pt

from core.engine import Results
from core.export.assumptions import (display_value, record_tables, scalar_assumptions,
                                     section_title)
from core.export.charts import ChartSpec, month_labels, report_charts
from core.export.key_figures import headline_figures

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
INK = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x4A, 0x55, 0x60)
ASSUMPTION_ROWS_PER_SLIDE = 14
CHART_TYPES = {"bar": XL_CHART_TYPE.COLUMN_CLUSTERED, "line": XL_CHART_TYPE.LINE,
               "area": XL_CHART_TYPE.AREA_STACKED}
NUMBER_FORMATS = {"money": '$#,##0.00,,,"B"', "quantity": "#,##0"}


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _title(slide, text: str) -> None:
    box = slide.shapes.add_textbox(Inches(0.5), Inches(0.3), WIDTH - Inches(1.0), Inches(0.9))
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size = Pt(32)
    run.font.bold = True
    run.font.color.rgb = INK


def _text(slide, left, top, width, height, text: str, size: int, bold=False, colour=INK):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour
    return box


def write_deck(results: Results, path: Path | str | IO[bytes], made_on: dt.date | None = None) -> None:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    blank = deck.slide_layouts[6]
    scenario = results.scenario
    c = scenario.contract
    made_on = made_on or dt.date.today()

    slide = deck.slides.add_slide(blank)
    _text(slide, Inches(0.8), Inches(2.0), WIDTH - Inches(1.6), Inches(1.4), scenario.name, 48,
          bold=True)
    _text(slide, Inches(0.8), Inches(3.5), WIDTH - Inches(1.6), Inches(0.8),
          f"{c.buyer} leasing compute from {c.provider}", 26, colour=MUTED)
    _text(slide, Inches(0.8), Inches(4.3), WIDTH - Inches(1.6), Inches(0.8),
          f"{c.term_months} months from {c.start_date:%d %B %Y}  \u00b7  prepared "
          f"{made_on:%d %B %Y}", 20, colour=MUTED)

    slide = deck.slides.add_slide(blank)
    _title(slide, "Key figures")
    figures = headline_figures(results)
    columns = 3
    card_w, card_h = Inches(3.9), Inches(1.75)
    for i, (title, value) in enumerate(figures):
        row, col = divmod(i, columns)
        left = Inches(0.5) + col * (card_w + Inches(0.22))
        top = Inches(1.4) + row * (card_h + Inches(0.2))
        _text(slide, left, top, card_w, Inches(0.5), title, 18, colour=MUTED)
        _text(slide, left, top + Inches(0.45), card_w, Inches(1.1), value, 40, bold=True)

    labels = month_labels(results)
    for chart in report_charts(results):
        if not chart.series:
            continue
        slide = deck.slides.add_slide(blank)
        _title(slide, chart.title)
        _add_chart(slide, chart, labels)

    rows = [(section_title(a.section), a.label, a.display) for a in scalar_assumptions(scenario)]
    pages = max(1, math.ceil(len(rows) / ASSUMPTION_ROWS_PER_SLIDE))
    for page in range(pages):
        chunk = rows[page * ASSUMPTION_ROWS_PER_SLIDE:(page + 1) * ASSUMPTION_ROWS_PER_SLIDE]
        slide = deck.slides.add_slide(blank)
        _title(slide, "Assumptions" + (f" ({page + 1} of {pages})" if pages > 1 else ""))
        _add_table(slide, ("Section", "Parameter", "Value"), chunk, (Inches(3.0), Inches(5.3),
                                                                     Inches(4.0)))
    for table in record_tables(scenario):
        slide = deck.slides.add_slide(blank)
        _title(slide, f"Assumptions: {table.title.lower()}")
        body = [tuple(display_value(v, u, k) for v, u, k in zip(r, table.units, table.kinds))
                for r in table.rows]
        headers = tuple(f"{label} ({unit})" if unit and unit != "$" else label
                        for label, unit in zip(table.columns, table.units))
        width = (WIDTH - Inches(1.0)) / len(headers)
        _add_table(slide, headers, body[:ASSUMPTION_ROWS_PER_SLIDE],
                   tuple(Emu(int(width)) for _ in headers))
    deck.save(path if not isinstance(path, (str, Path)) else str(path))   # a path or a buffer


def _add_chart(slide, spec: ChartSpec, labels: list[str]) -> None:
    data = CategoryChartData()
    data.categories = labels
    for series in spec.series:
        data.add_series(series.name, [None if not math.isfinite(float(v)) else float(v)
                                      for v in series.values])
    kind = CHART_TYPES[spec.series[0].kind]
    frame = slide.shapes.add_chart(kind, Inches(0.5), Inches(1.3), WIDTH - Inches(1.0),
                                   HEIGHT - Inches(1.6), data)
    chart = frame.chart
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(16)
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.tick_labels.font.size = Pt(14)
    chart.value_axis.tick_labels.number_format = (
        "$#,##0.00" if spec.value_kind == "money" and _small(spec) else
        NUMBER_FORMATS[spec.value_kind])
    chart.value_axis.tick_labels.number_format_is_linked = False
    chart.value_axis.has_title = True
    chart.value_axis.axis_title.text_frame.text = spec.axis_title
    chart.category_axis.tick_labels.font.size = Pt(12)
    for plot in chart.plots:
        for series, source in zip(plot.series, spec.series):
            if source.kind == "line":
                series.format.line.color.rgb = _rgb(source.colour)
                series.format.line.width = Pt(3)
                series.smooth = False
            else:
                series.format.fill.solid()
                series.format.fill.fore_color.rgb = _rgb(source.colour)


def _small(spec: ChartSpec) -> bool:
    """Money in single dollars (prices) rather than billions."""
    values = np.concatenate([np.asarray(s.values, dtype=float) for s in spec.series])
    finite = values[np.isfinite(values)]
    return finite.size > 0 and float(np.abs(finite).max()) < 1e6


def _add_table(slide, headers, rows, widths) -> None:
    shape = slide.shapes.add_table(len(rows) + 1, len(headers), Inches(0.5), Inches(1.3),
                                   sum(widths, Emu(0)), Inches(0.4) * (len(rows) + 1))
    table = shape.table
    for col, width in enumerate(widths):
        table.columns[col].width = width
    for col, header in enumerate(headers):
        cell = table.cell(0, col)
        cell.text = str(header)
        cell.text_frame.paragraphs[0].runs[0].font.size = Pt(16)
        cell.text_frame.paragraphs[0].runs[0].font.bold = True
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            cell = table.cell(r, col)
            cell.text = str(value)
            cell.text_frame.paragraphs[0].runs[0].font.size = Pt(15)
