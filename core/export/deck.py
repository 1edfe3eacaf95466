"""The PowerPoint deck: the board pack (core/export/pack.py) as slides.

A title slide, the executive summary, then each section's charts as native,
editable charts (one a slide, the section's finding as the slide's title and
its sentences beside the first chart), the warnings, and every assumption
with its unit as tables.

Made as PowerPoint expects a deck: every slide from a layout whose title
placeholder holds the finding (the outline view and the accessibility
checker read it), a slide number on every slide after the first, a source
and assumption footnote under every chart (core/export/charts.chart_source),
speaker notes with the figures behind the slide, and number tables whose
values never wrap (non-breaking spaces, no word wrap, each column as wide as
its longest value).  Chart types follow the data: payments are columns
with walk-away exposure a line over them, stacked areas for GPUs by model,
horizontal bars for the tornado.  The two-way table's heat map
(core/export/grid_chart.py) is drawn with shapes: a rectangle a cell, the
threshold's contour as lines over them and a star at the base case; its
numbers follow as a table.
"""
from __future__ import annotations

import copy
import datetime as dt
import functools
import math
from pathlib import Path
from typing import IO, Callable, Sequence

import numpy as np
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from core.engine import Results
from core.export.charts import ChartSpec, chart_source, series_notes
from core.export.grid_chart import CONTOUR_COLOUR, HeatMap
from core.export.pack import BUILDERS, PackInputs, Section, Table, board_pack, chart_categories
from core.export.xml_text import xml_text

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
INK = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x4A, 0x55, 0x60)
TABLE_ROWS_PER_SLIDE = 13
TEXT_WIDTH = Inches(3.9)          # the sentences' column beside a section's first chart
CHART_TOP = Inches(1.55)


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _text(slide, left, top, width, height, text: str, size: int, bold=False, colour=INK):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = xml_text(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour
    return box


def _heading(slide, kicker: str, title: str) -> None:
    """The part of the analysis (in capitals), small, and what this slide shows
    of it, over the finding in the slide's title placeholder."""
    part, dot, rest = kicker.partition(" \u00b7 ")
    _text(slide, Inches(0.5), Inches(0.2), WIDTH - Inches(1.0), Inches(0.4),
          part.upper() + dot + rest, 13,
          bold=True, colour=MUTED)
    # A long finding wraps to two lines at a smaller size rather than run off the slide.
    _title(slide, Inches(0.5), Inches(0.5), WIDTH - Inches(1.0), Inches(1.0), title,
           26 if len(title) <= 70 else 22)


def fitted_title_size(text: str, size: int, width, height, least: int = 16) -> int:
    """The largest point size up to `size` at which `text`, bold and wrapped at
    `width`, fits `height` (lines of 1.2 em, words measured as text_width
    measures; a tenth more for bold): a long finding shrinks rather than run
    into what stands below it."""
    words = text.split()
    for points in range(size, least - 1, -1):
        lines, used = 1, 0.0
        space = text_width(" ", points) * 1.1
        for word in words:
            wide = text_width(word, points) * 1.1
            if used and used + space + wide > width:
                lines, used = lines + 1, wide
            else:
                used += (space if used else 0) + wide
        if lines * points * 1.2 * 12700 <= height:
            return points
    return least


def _title(slide, left, top, width, height, text: str, size: int, colour=INK) -> None:
    """The layout's title placeholder, placed and set in the deck's style."""
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = left, top, width, height
    frame = title.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, Inches(0.05) if side.startswith("margin_l") else 0)
    frame.text = xml_text(text)
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    run = paragraph.runs[0]
    run.font.size = Pt(fitted_title_size(text, size, width, height))
    run.font.bold = True
    run.font.color.rgb = colour


# A GUID for the slide-number field (any fixed one: PowerPoint renumbers the field).
_SLIDE_NUMBER_FIELD = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"


def _slide_number(slide, number: int) -> None:
    """A slide-number placeholder holding the field PowerPoint keeps current."""
    layout_number = next(p for p in slide.slide_layout.placeholders
                         if p.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER)
    element = copy.deepcopy(layout_number._element)
    slide.shapes._spTree.append(element)
    shape = next(p for p in slide.placeholders
                 if p.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER)
    shape.left, shape.top = WIDTH - Inches(1.3), HEIGHT - Inches(0.42)
    shape.width, shape.height = Inches(0.9), Inches(0.32)
    paragraph = shape.text_frame.paragraphs[0]
    for child in list(paragraph._p):
        if child.tag in (qn("a:r"), qn("a:fld")):
            paragraph._p.remove(child)
    field = paragraph._p.makeelement(qn("a:fld"), {"id": _SLIDE_NUMBER_FIELD,
                                                   "type": "slidenum"})
    props = field.makeelement(qn("a:rPr"), {"lang": "en-GB", "sz": "1100"})
    text = field.makeelement(qn("a:t"), {})
    text.text = str(number)
    field.extend([props, text])
    end = paragraph._p.find(qn("a:endParaRPr"))
    if end is not None:
        end.addprevious(field)
    else:
        paragraph._p.append(field)
    paragraph.alignment = PP_ALIGN.RIGHT


def _footnote(slide, text: str) -> None:
    """The chart's source and assumptions, small, under it."""
    box = _text(slide, Inches(0.5), HEIGHT - Inches(0.42), WIDTH - Inches(2.0), Inches(0.32),
                text, 10, colour=MUTED)
    box.name = "Source"


def _notes(slide, lines: Sequence[str]) -> None:
    """Speaker notes: the figures behind the slide, a line each."""
    text = "\n".join(line for line in lines if line)
    if text:
        slide.notes_slide.notes_text_frame.text = xml_text(text)


def _bullets(slide, left, top, width, height, lines: Sequence[str], size: int) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(size * 0.6)
        run = paragraph.add_run()
        run.text = xml_text(f"\u2022 {line}")
        run.font.size = Pt(size)
        run.font.color.rgb = INK


def write_deck(results: Results, path: Path | str | IO[bytes], made_on: dt.date | None = None,
               sections: list[Section] | None = None, perspective: str = "both") -> None:
    """Write the deck of `sections` (default: the board pack of every tab's story
    for `perspective`, without a simulation)."""
    if sections is None:
        sections = board_pack(PackInputs(results, perspective), tuple(BUILDERS))
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    # Every slide has a title placeholder: the finding (or the deck's name on the first).
    titled = deck.slide_layouts[5]            # "Title Only"
    scenario = results.scenario
    c = scenario.contract
    made_on = made_on or dt.date.today()

    def new_slide():
        slide = deck.slides.add_slide(titled)
        _slide_number(slide, len(deck.slides))
        return slide

    deal = next((s for s in sections if s.key == "deal"), None)
    if deal is not None:
        # The deal on a page first: the verdict in the title placeholder.
        _deal_slide(new_slide(), deal, made_on)
    else:
        title_slide(deck, scenario.name, f"{c.buyer} leasing compute from {c.provider}",
                    f"{c.term_months} months from {c.start_date:%d %B %Y}  \u00b7  prepared "
                    f"{made_on:%d %B %Y}")

    section_slides(deck, new_slide, sections, lambda chart: chart_categories(results, chart),
                   lambda key: chart_source(results, key))
    deck.save(path if not isinstance(path, (str, Path)) else str(path))   # a path or a buffer


def title_slide(deck, name: str, subtitle_text: str, dates_text: str) -> None:
    """The first slide when there is no deal page: the name in the title
    placeholder, what it is and its dates below."""
    slide = deck.slides.add_slide(deck.slide_layouts[0])     # "Title Slide"
    _title(slide, Inches(0.8), Inches(2.0), WIDTH - Inches(1.6), Inches(1.4), name, 48)
    subtitle = slide.placeholders[1]
    subtitle.left, subtitle.top = Inches(0.8), Inches(3.5)
    subtitle.width, subtitle.height = WIDTH - Inches(1.6), Inches(1.6)
    subtitle.text_frame.text = xml_text(subtitle_text)
    dates = subtitle.text_frame.add_paragraph()
    dates.text = xml_text(dates_text)
    for paragraph, size in zip(subtitle.text_frame.paragraphs, (26, 20)):
        paragraph.alignment = PP_ALIGN.LEFT
        paragraph.runs[0].font.size = Pt(size)
        paragraph.runs[0].font.color.rgb = MUTED


def section_slides(deck, new_slide, sections: Sequence[Section],
                   categories_of: Callable[[ChartSpec], list[str]],
                   source_of: Callable[[str], str]) -> None:
    """The slides of each section after the first slide: the summary, the key
    figures as cards, each chart on a slide (the finding its title, the
    sentences beside the first), sentences alone, heat maps and tables.
    `categories_of` gives a chart's categories, `source_of` a chart's footnote
    by its key (a deal's pack and a portfolio's name their sources apart)."""
    for section in sections:
        if section.key in ("schedule", "deal"):   # the PDF's last pages; the first slide
            continue
        if section.key == "summary":
            slide = new_slide()
            _heading(slide, section.kicker, section.title)
            _bullets(slide, Inches(0.5), Inches(1.5), WIDTH - Inches(1.0), HEIGHT - Inches(1.8),
                     section.sentences, 17 if len(section.sentences) <= 6 else 15)
            _notes(slide, section.sentences)
            continue
        if section.key == "key_figures":
            rows = section.tables[0].rows if section.tables else ()
            slide = new_slide()
            _heading(slide, section.kicker, section.title)
            _key_figures(slide, rows)
            _notes(slide, [f"{title}: {value}" for title, value in rows])
            continue
        for heat in section.heat_maps:
            slide = new_slide()
            _heading(slide, f"{section.kicker} \u00b7 {heat.title}", section.title)
            _bullets(slide, Inches(0.5), CHART_TOP, TEXT_WIDTH, HEIGHT - Inches(1.9),
                     section.sentences, 15)
            left = Inches(0.6) + TEXT_WIDTH
            _add_heat_map(slide, heat, left, CHART_TOP, WIDTH - Inches(0.5) - left,
                          HEIGHT - CHART_TOP - Inches(0.75))
            _footnote(slide, source_of("two_way"))
            _notes(slide, [*section.sentences, heat.title])
        if section.charts:
            for i, chart in enumerate(section.charts):
                slide = new_slide()
                _heading(slide, f"{section.kicker} \u00b7 {chart.title}", section.title)
                if i == 0 and section.sentences:
                    _bullets(slide, Inches(0.5), CHART_TOP, TEXT_WIDTH, HEIGHT - Inches(1.9),
                             section.sentences, 15)
                    left = Inches(0.6) + TEXT_WIDTH
                else:
                    left = Inches(0.5)
                categories = categories_of(chart)
                _add_chart(slide, chart, categories, left, WIDTH - Inches(0.5) - left)
                _footnote(slide, source_of(chart.key))
                _notes(slide, [*section.sentences, *series_notes(chart, categories)])
        elif section.sentences and not section.heat_maps:
            slide = new_slide()
            _heading(slide, section.kicker, section.title)
            _bullets(slide, Inches(0.5), Inches(1.5), WIDTH - Inches(1.0), HEIGHT - Inches(1.8),
                     section.sentences, 18)
            _notes(slide, section.sentences)
        for table in section.tables:
            _table_slides(deck, new_slide, section, table)


def _deal_slide(slide, deal: Section, made_on: dt.date) -> None:
    """The deal on a page: the verdict in the title placeholder, the term
    sheet as text beside the side's key figures, the largest risks below, what
    the figures assume last (and in the speaker notes)."""
    _heading(slide, f"{deal.kicker} \u00b7 {made_on:%d %B %Y}", deal.title)
    sheet, key_figures = deal.tables[0], deal.tables[1]
    top = Inches(1.55)
    box = slide.shapes.add_textbox(Inches(0.5), top, Inches(7.3), Inches(2.9))
    frame = box.text_frame
    frame.word_wrap = True
    for i, (term, agreed) in enumerate(sheet.rows):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(4)
        for text, bold in ((f"{term}: ", True), (str(agreed), False)):
            run = paragraph.add_run()
            run.text = xml_text(text)
            run.font.size = Pt(13)
            run.font.bold = bold
            run.font.color.rgb = INK
    box.name = "Term sheet"
    _add_table_at(slide, key_figures.headers, key_figures.rows, Inches(8.1), top,
                  WIDTH - Inches(8.6))
    below = top + Inches(0.32) * (len(key_figures.rows) + 1) + Inches(0.2)
    risks = deal.tables[2] if len(deal.tables) > 2 else None
    if risks is not None:
        _add_table_at(slide, risks.headers, risks.rows, Inches(0.5), below, WIDTH - Inches(1.0))
        below += Inches(0.32) * (len(risks.rows) + 1) + Inches(0.15)
    _bullets(slide, Inches(0.5), below, WIDTH - Inches(1.0), HEIGHT - below - Inches(0.45),
             ["What the figures assume: " + deal.sentences[0], *deal.sentences[1:]], 11)
    _notes(slide, [deal.title, *(f"{t}: {a}" for t, a in sheet.rows), *deal.sentences])


def _add_table_at(slide, headers, rows, left, top, usable) -> None:
    """A table of figures at (left, top) within `usable` width: values that
    cannot wrap, sized to fit (as _add_table's), rows a third of an inch."""
    widths, size = _table_widths(headers, rows, usable)
    _place_table(slide, headers, rows, widths, size, left, top, Inches(0.32),
                 min(HEADER_SIZE, size + 1))


def _key_figures(slide, rows) -> None:
    """The side's headline figures (the pack's key-figure table) as cards."""
    columns = 3
    card_w, card_h = Inches(3.9), Inches(1.6)
    for i, (title, value) in enumerate(rows):
        row, col = divmod(i, columns)
        left = Inches(0.5) + col * (card_w + Inches(0.22))
        top = Inches(1.5) + row * (card_h + Inches(0.2))
        _text(slide, left, top, card_w, Inches(0.5), title, 18, colour=MUTED)
        _text(slide, left, top + Inches(0.45), card_w, Inches(1.0), value,
              32 if len(value) <= 12 else 24, bold=True)


# A cell's left and right margins (PowerPoint's default, 0.1 inch each).
CELL_MARGINS = Inches(0.2)
TABLE_SIZES = (13, 12, 11, 10, 9)       # the values' point sizes tried, largest first
HEADER_SIZE = 14
SLACK = Pt(2)                           # beyond the measured width: rounding, kerning


def unbreakable(value) -> str:
    """A table value that cannot break across lines: spaces non-breaking, a
    hyphen non-breaking, and a word joiner after a minus sign so "\u2212$1.2B"
    never leaves its sign on the line above."""
    return (str(value).replace(" ", "\u00a0").replace("-", "\u2011")
            .replace("\u2212", "\u2212\u2060"))


@functools.lru_cache(maxsize=1)
def _measuring_font():
    try:
        from PIL import ImageFont
        return ImageFont.truetype("DejaVuSans.ttf", 100)
    except (ImportError, OSError):
        return None


def text_width(text: str, size: float) -> int:
    """The width of `text` at `size` points, in EMU: measured in DejaVu Sans (wider
    than Calibri and Carlito, which the deck shows in), or 0.65 em a character."""
    font = _measuring_font()
    if font is None:
        return int(len(text) * 0.65 * Pt(size))
    return int(font.getlength(text) / 100 * Pt(size))


def _table_widths(headers, rows, usable) -> tuple[tuple[Emu, ...], int]:
    """Column widths from each column's longest value (never narrower than it),
    the rest of the slide's width shared out for the headers to wrap in; the
    values' point size, the largest at which every value fits."""
    # A header wraps between its words, never inside one (bold: a tenth wider).
    words = [max(text_width(w, HEADER_SIZE) * 1.1 for w in str(h).split() or [""])
             for h in headers]
    for size in TABLE_SIZES:
        needed = [max([text_width(unbreakable(r[i]), size) for r in rows] + [words[i]])
                  + CELL_MARGINS + SLACK for i in range(len(headers))]
        if sum(needed) <= usable:
            break
    header_need = [text_width(str(h), HEADER_SIZE) / 2 + CELL_MARGINS for h in headers]
    wanted = [max(n, h) for n, h in zip(needed, header_need)]
    spare = usable - sum(needed)
    extra = [w - n for w, n in zip(wanted, needed)]
    share = min(1.0, spare / sum(extra)) if sum(extra) > 0 else 0.0
    return tuple(Emu(int(n + e * share)) for n, e in zip(needed, extra)), size


def _table_slides(deck, new_slide, section: Section, table: Table) -> None:
    pages = max(1, math.ceil(len(table.rows) / TABLE_ROWS_PER_SLIDE))
    widths, size = _table_widths(table.headers, table.rows, WIDTH - Inches(1.0))
    for page in range(pages):
        rows = table.rows[page * TABLE_ROWS_PER_SLIDE:(page + 1) * TABLE_ROWS_PER_SLIDE]
        slide = new_slide()
        suffix = f" ({page + 1} of {pages})" if pages > 1 else ""
        _heading(slide, f"{section.kicker} \u00b7 {table.title}{suffix}", section.title)
        _add_table(slide, table.headers, rows, widths, size)
        _notes(slide, [*section.sentences, f"{table.title}{suffix}: "
                       + "; ".join(" ".join(str(v) for v in row) for row in rows[:3])
                       + ("; ..." if len(rows) > 3 else "")])


def _number_format(spec: ChartSpec) -> str:
    values = np.concatenate([np.asarray(s.values, dtype=float) for s in spec.series])
    finite = values[np.isfinite(values)]
    top = float(np.abs(finite).max()) if finite.size else 0.0
    if spec.value_kind == "money":
        if top < 1e3:
            return '$#,##0.00;-$#,##0.00'
        if top < 1e9:
            return '$#,##0.0,,"M";-$#,##0.0,,"M"'
        return '$#,##0.0,,,"B";-$#,##0.0,,,"B"'
    if top >= 1e9:
        return '#,##0.0,,,"B"'
    if top >= 1e6:
        return '#,##0.0,,"M"'
    if top >= 1e4:
        return '#,##0,"K"'
    return "#,##0"


def _point(value) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _add_chart(slide, spec: ChartSpec, labels: list[str], left, width) -> None:
    data = CategoryChartData()
    data.categories = [xml_text(label) for label in labels]
    for series in spec.series:
        data.add_series(xml_text(series.name), [_point(v) for v in series.values])
    kinds = {s.kind for s in spec.series}
    if kinds == {"hbar"}:
        kind = XL_CHART_TYPE.BAR_CLUSTERED
    elif kinds == {"area"}:
        kind = XL_CHART_TYPE.AREA_STACKED
    elif "bar" in kinds:
        kind = XL_CHART_TYPE.COLUMN_CLUSTERED   # lines join it below, over the columns
    else:
        kind = XL_CHART_TYPE.LINE
    frame = slide.shapes.add_chart(kind, left, CHART_TOP, width,
                                   HEIGHT - CHART_TOP - Inches(0.5), data)
    chart = frame.chart
    chart.has_title = False   # the slide's heading names the chart
    if "bar" in kinds and "line" in kinds:
        _lines_over_columns(chart, [s.kind == "line" for s in spec.series])
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(13)
    value_axis = chart.value_axis
    value_axis.has_major_gridlines = True
    value_axis.tick_labels.font.size = Pt(12)
    value_axis.tick_labels.number_format = _number_format(spec)
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.has_title = True
    value_axis.axis_title.text_frame.text = xml_text(spec.axis_title)
    value_axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
    category_axis = chart.category_axis
    category_axis.tick_labels.font.size = Pt(11)
    # Labels beside the axis's low end: a tornado's names stay left of the bars.
    category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    if kinds == {"hbar"}:
        category_axis.reverse_order = True   # the largest swing on top
        plot = chart.plots[0]
        plot.overlap = 100
        plot.gap_width = 40
    colours = {xml_text(s.name): s for s in spec.series}   # as the deck holds the names
    for plot in chart.plots:
        for series in plot.series:
            source = colours[series.name]
            if source.kind == "line":
                series.format.line.color.rgb = _rgb(source.colour)
                series.format.line.width = Pt(2.5)
                series.smooth = False
            else:
                series.format.fill.solid()
                series.format.fill.fore_color.rgb = _rgb(source.colour)


def _lines_over_columns(chart, is_line: list[bool]) -> None:
    """Move the line series out of the column chart into a line chart drawn over
    it on the same axes (python-pptx makes one chart type per chart)."""
    plot_area = chart._chartSpace.find(qn("c:chart")).find(qn("c:plotArea"))
    bar_chart = plot_area.find(qn("c:barChart"))
    line_chart = bar_chart.makeelement(qn("c:lineChart"), {})
    grouping = line_chart.makeelement(qn("c:grouping"), {"val": "standard"})
    vary = line_chart.makeelement(qn("c:varyColors"), {"val": "0"})
    line_chart.extend([grouping, vary])
    for ser, line in zip(list(bar_chart.findall(qn("c:ser"))), is_line):
        if not line:
            continue
        bar_chart.remove(ser)
        invert = ser.find(qn("c:invertIfNegative"))
        if invert is not None:
            ser.remove(invert)
        marker = ser.makeelement(qn("c:marker"), {})
        marker.append(ser.makeelement(qn("c:symbol"), {"val": "none"}))
        anchor = ser.find(qn("c:spPr")) if ser.find(qn("c:spPr")) is not None \
            else ser.find(qn("c:tx"))
        anchor.addnext(marker)
        ser.append(ser.makeelement(qn("c:smooth"), {"val": "0"}))
        line_chart.append(ser)
    line_chart.append(line_chart.makeelement(qn("c:marker"), {"val": "1"}))
    for axis_id in bar_chart.findall(qn("c:axId")):
        line_chart.append(copy.deepcopy(axis_id))
    bar_chart.addnext(line_chart)


def _add_table(slide, headers, rows, widths, size: int = 13) -> None:
    _place_table(slide, headers, rows, widths, size, Inches(0.5), Inches(1.5), Inches(0.38),
                 HEADER_SIZE)


def _place_table(slide, headers, rows, widths, size: int, left, top, row_height,
                 header_size: int) -> None:
    """The one table builder: headers bold with non-breaking hyphens, values that
    cannot wrap (`unbreakable`), each column its given width."""
    shape = slide.shapes.add_table(len(rows) + 1, len(headers), left, top,
                                   sum(widths, Emu(0)), row_height * (len(rows) + 1))
    table = shape.table
    for col, width in enumerate(widths):
        table.columns[col].width = width
    for col, header in enumerate(headers):
        cell = table.cell(0, col)
        cell.text = xml_text(str(header).replace("-", "\u2011"))
        cell.text_frame.paragraphs[0].runs[0].font.size = Pt(header_size)
        cell.text_frame.paragraphs[0].runs[0].font.bold = True
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            cell = table.cell(r, col)
            # An empty value (no guarantor named) shows as a dash: a blank cell has no
            # run to size.
            cell.text = xml_text(unbreakable(value)) or "\u2014"
            cell.text_frame.word_wrap = False
            cell.text_frame.paragraphs[0].runs[0].font.size = Pt(size)


def _label(slide, left, top, width, height, text: str, size: float, align=PP_ALIGN.CENTER,
           colour=MUTED, bold=False):
    box = slide.shapes.add_textbox(Emu(int(left)), Emu(int(top)), Emu(int(width)),
                                   Emu(int(height)))
    frame = box.text_frame
    frame.word_wrap = False
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, 0)
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run()
    run.text = xml_text(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour
    return box


def _plain(shape) -> None:
    """No theme style (its shadow and gradient): the shape's own fill and line only."""
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def _add_cells(shapes, cells: list[tuple[Emu, Emu, str]], width: Emu, height: Emu) -> None:
    """The map's cells, (left, top, colour) each, width x height, filled and
    outlined in their colour (no hairline seams between cells).  The first is
    made by python-pptx; the others are copies of its XML with their own id,
    place and colour: python-pptx finds a new shape's id by searching every id
    on the slide, quadratic in a map's 625 cells (12 s of a deck's 17)."""
    left, top, colour = cells[0]
    first = shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, width, height)
    first.fill.solid()
    first.fill.fore_color.rgb = _rgb(colour)
    first.line.color.rgb = _rgb(colour)
    first.line.width = Pt(0.5)
    _plain(first)
    template = first._element
    tree = template.getparent()
    next_id = max(int(v) for v in tree.xpath("//@id") if v.isdigit()) + 1
    previous = template
    for left, top, colour in cells[1:]:
        cell = copy.deepcopy(template)
        name = cell.xpath("./p:nvSpPr/p:cNvPr")[0]
        name.set("id", str(next_id))
        name.set("name", f"Rectangle {next_id - 1}")
        next_id += 1
        offset = cell.xpath("./p:spPr/a:xfrm/a:off")[0]
        offset.set("x", str(int(left)))
        offset.set("y", str(int(top)))
        for rgb in cell.xpath("./p:spPr/a:solidFill/a:srgbClr | ./p:spPr/a:ln/a:solidFill/a:srgbClr"):
            rgb.set("val", str(_rgb(colour)))
        previous.addnext(cell)
        previous = cell


def _add_heat_map(slide, heat: HeatMap, left, top, width, height) -> None:
    """The map in the box (left, top, width, height): y's title and ticks on
    the left, x's below, the colour key under them."""
    rows, cols = heat.shape
    tick_h, title_h, key_h = Inches(0.3), Inches(0.32), Inches(0.6)
    y_title_w, y_ticks_w = Inches(0.35), Inches(0.85)
    plot_left = left + y_title_w + y_ticks_w
    plot_w = width - y_title_w - y_ticks_w - Inches(0.1)
    plot_top = top
    plot_h = height - tick_h - title_h - key_h
    cell_w, cell_h = plot_w / cols, plot_h / rows
    shapes = slide.shapes
    cells = [(Emu(int(plot_left + j * cell_w)), Emu(int(plot_top + plot_h - (i + 1) * cell_h)),
              heat.colours[i][j]) for i in range(rows) for j in range(cols)]
    _add_cells(shapes, cells, Emu(int(math.ceil(cell_w))), Emu(int(math.ceil(cell_h))))
    def at(x: float, y: float) -> tuple[Emu, Emu]:
        return (Emu(int(plot_left + (x + 0.5) * cell_w)),
                Emu(int(plot_top + plot_h - (y + 0.5) * cell_h)))

    for x0, y0, x1, y1 in heat.contour:
        line = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, *at(x0, y0), *at(x1, y1))
        line.line.color.rgb = _rgb(CONTOUR_COLOUR)
        line.line.width = Pt(2.5)
    if heat.base is not None:
        size = Inches(0.3)
        cx, cy = at(*heat.base)
        star = shapes.add_shape(MSO_SHAPE.STAR_5_POINT, Emu(int(cx - size / 2)),
                                Emu(int(cy - size / 2)), size, size)
        star.fill.solid()
        star.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        star.line.color.rgb = RGBColor(0, 0, 0)
        star.line.width = Pt(1.25)
        _plain(star)
        star.name = "Base case"
    for index, text in heat.x_ticks:
        x, _y = at(index, 0)
        _label(slide, x - Inches(0.6), plot_top + plot_h + Inches(0.05), Inches(1.2), tick_h,
               text, 11)
    _label(slide, plot_left, plot_top + plot_h + tick_h, plot_w, title_h, heat.x_title, 12,
           colour=INK)
    for index, text in heat.y_ticks:
        _x, y = at(0, index)
        _label(slide, left + y_title_w, y - Inches(0.12), y_ticks_w - Inches(0.08),
               Inches(0.24), text, 11, align=PP_ALIGN.RIGHT)
    y_title = _label(slide, left + y_title_w / 2 - plot_h / 2, plot_top + plot_h / 2
                     - Inches(0.15), plot_h, Inches(0.3), heat.y_title, 12, colour=INK)
    y_title.rotation = 270
    key_top = plot_top + plot_h + tick_h + title_h + Inches(0.05)
    swatch = Inches(0.22)
    step = plot_w / (len(heat.legend) + 1)
    _label(slide, plot_left, key_top, step, swatch, "Colour:", 11, align=PP_ALIGN.LEFT)
    for k, (colour, text) in enumerate(heat.legend, start=1):
        box = shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(int(plot_left + k * step)),
                               Emu(int(key_top)), swatch, swatch)
        box.fill.solid()
        box.fill.fore_color.rgb = _rgb(colour)
        box.line.color.rgb = RGBColor(0xA0, 0xA0, 0xA0)
        _plain(box)
        _label(slide, plot_left + k * step + swatch + Inches(0.06), key_top,
               step - swatch - Inches(0.06), swatch, text, 11, align=PP_ALIGN.LEFT)
    marks = ([f"Black line: {heat.contour_text}"] if heat.contour else []) + \
        (["\u2606 the base case"] if heat.base is not None else [])
    if marks:
        _label(slide, plot_left, key_top + swatch + Inches(0.04), plot_w, swatch,
               ";  ".join(marks), 11, align=PP_ALIGN.LEFT)
