"""Exports drawn from the app's own views: PNG images and the PDF report.

- PNG: the current view (key figures and the open tab), or each plot, at
  twice the screen's resolution;
- PDF: the board pack (core/export/pack.py) made with Qt's own PDF writer,
  vector pages: a title page, the executive summary, the key figures, each
  exported tab's story for the chosen perspective (its finding as the page's
  title, its charts drawn from the pack's data by ui/boardroom/chart_painter,
  never an empty one), the warnings, every assumption with its unit, and the
  monthly schedule, with page numbers; the two-way table's heat map is
  drawn by chart_painter.draw_heat_map beside its finding, its numbers after.

The PNGs are the live pyqtgraph panels of every tab: each tab is shown in
turn so its panels are laid out, then the tab the user had is restored.
"""
from __future__ import annotations

import datetime as dt
import errno
import re
import time
from pathlib import Path
from typing import Callable, Iterator

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (QColor, QFont, QFontMetricsF, QImage, QPageLayout, QPageSize,
                           QPainter, QPdfWriter, QPen)
from PySide6.QtWidgets import QApplication, QWidget

from core.engine import Results
from core.export.pack import column_cell, column_heading  # noqa: F401 (the report's cells)
from ui import registry
from ui.plots.common import PlotPanel, SeriesPanel

SCALE = 2.0   # PNG pixels per screen pixel
ROWS_PER_PAGE = 26


def settle() -> None:
    app = QApplication.instance()
    for _ in range(3):
        app.processEvents()


def render_2x(widget: QWidget) -> QImage:
    """The widget as an image at twice its on-screen resolution."""
    size = widget.size()
    image = QImage(QSize(int(size.width() * SCALE), int(size.height() * SCALE)),
                   QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(SCALE)
    image.fill(widget.palette().window().color())
    widget.render(image)   # the device's pixel ratio makes it draw at twice the size
    return image


RESULTS_WAIT_S = 120.0   # the longest an export waits for a tab's worker results


def wait_for_results(page: QWidget) -> None:
    """A tab whose results come from a worker (Risk, Market: `work_pending`)
    finishes the jobs its show started: hidden, it holds the results of the
    scenario it last saw (its first results are prepared while hidden), which
    an export must not render as the scenario exported."""
    app = QApplication.instance()
    deadline = time.monotonic() + RESULTS_WAIT_S
    while getattr(page, "work_pending", False) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    settle()


def current_view(window) -> QWidget:
    return window.centralWidget()


def tab_panels(window) -> Iterator[tuple[str, PlotPanel]]:
    """(tab title, panel) for every plot of every exported tab (ui/registry.py),
    each tab shown in turn."""
    tabs = window.tabs
    original = tabs.currentIndex()
    window.binding.flush()
    try:
        for declared in registry.TABS:
            if not declared.exported:
                continue
            page = window.tab(declared.key)
            tabs.setCurrentWidget(page)
            settle()
            wait_for_results(page)
            for panel in page.findChildren(PlotPanel):
                if panel.isVisibleTo(page):
                    yield declared.title, panel
    finally:
        tabs.setCurrentIndex(original)
        settle()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def png_bytes(image) -> bytes:
    """An image encoded as PNG in memory: a full disk then fails as a clean
    OSError when the bytes are written (libpng would print its own error)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError(errno.EIO, "the image could not be encoded as PNG")
    return bytes(buffer.data())


def save_view_png(window, path: Path) -> None:
    window.binding.flush()
    settle()
    Path(path).write_bytes(png_bytes(render_2x(current_view(window))))


def plot_png_path(path: Path, tab: str, panel: PlotPanel) -> Path:
    """NAME-<tab>-<plot>.png beside `path`.  A declared panel is named by its
    spec's title, which stays put; the title it shows may carry the current
    figures (the risk plots' do), which would name the file differently after
    every edit."""
    title = panel.spec.title if isinstance(panel, SeriesPanel) else panel.title.text()
    return path.with_name(f"{path.stem}-{slug(tab)}-{slug(title)}.png")


def plot_png_paths(window, path: Path) -> list[tuple[Path, PlotPanel]]:
    """Where each plot goes: NAME-<tab>-<plot>.png beside `path`."""
    return [(plot_png_path(path, tab, panel), panel) for tab, panel in tab_panels(window)]


# The PDF report ---------------------------------------------------------------

class _Report:
    """Pages drawn in order; each page is a function of (painter, rect)."""

    def __init__(self, writer: QPdfWriter):
        self.writer = writer
        self.pages: list[Callable[[QPainter, QRectF], None]] = []

    def add(self, draw: Callable[[QPainter, QRectF], None]) -> None:
        self.pages.append(draw)

    def paint(self, title: str) -> None:
        painter = QPainter(self.writer)
        try:
            dpi = self.writer.resolution()
            full = QRectF(0, 0, self.writer.width(), self.writer.height())
            footer_height = dpi * 0.3
            body = full.adjusted(0, 0, 0, -footer_height)
            for number, draw in enumerate(self.pages, start=1):
                if number > 1:
                    self.writer.newPage()
                painter.save()
                draw(painter, body)
                painter.restore()
                painter.setFont(_font(8))
                painter.setPen(QColor("#4A5560"))
                footer = QRectF(full.left(), full.bottom() - footer_height * 0.8,
                                full.width(), footer_height * 0.8)
                painter.drawText(footer, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 title)
                painter.drawText(footer, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                                 f"Page {number} of {len(self.pages)}")
        finally:
            painter.end()


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont("DejaVu Sans")
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def _heading(painter: QPainter, rect: QRectF, text: str) -> float:
    """Draws a page heading; returns the y below it."""
    painter.setFont(_font(16, True))
    painter.setPen(QColor("#0B2239"))
    height = QFontMetricsF(painter.font(), painter.device()).height() * 1.6
    painter.drawText(QRectF(rect.left(), rect.top(), rect.width(), height),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, text)
    return rect.top() + height


def _table(painter: QPainter, rect: QRectF, top: float, headers, rows, widths,
           align_right=()) -> float:
    """A simple ruled table; returns the y below it."""
    painter.setFont(_font(9))
    metrics = QFontMetricsF(painter.font(), painter.device())
    row_height = metrics.height() * 1.55
    total = sum(widths)
    xs = [rect.left()]
    for w in widths:
        xs.append(xs[-1] + rect.width() * w / total)
    pad = metrics.averageCharWidth()

    def draw_row(y, cells, bold=False, shade=False, height=row_height):
        if shade:
            painter.fillRect(QRectF(rect.left(), y, rect.width(), height), QColor("#E8EDF2"))
        painter.setFont(_font(9, bold))
        painter.setPen(QColor("#1A1A1A"))
        for i, text in enumerate(cells):
            cell = QRectF(xs[i] + pad, y, xs[i + 1] - xs[i] - 2 * pad, height)
            flags = (Qt.AlignmentFlag.AlignRight if i in align_right
                     else Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignVCenter
            if bold:   # headings wrap onto two lines rather than lose words
                painter.drawText(cell, flags | Qt.TextFlag.TextWordWrap, str(text))
            else:
                painter.drawText(cell, flags, metrics.elidedText(
                    str(text), Qt.TextElideMode.ElideRight, cell.width()))
        painter.setPen(QPen(QColor("#D5DAE0"), 0.5))
        painter.drawLine(QPointF(rect.left(), y + height), QPointF(rect.right(), y + height))

    y = top
    draw_row(y, headers, bold=True, shade=True, height=row_height * 1.8)
    y += row_height * 1.8
    for row in rows:
        draw_row(y, row)
        y += row_height
    return y + row_height * 0.6


def _rows_that_fit(rect: QRectF, top: float, device) -> int:
    metrics = QFontMetricsF(_font(9), device)
    return max(1, int((rect.bottom() - top) / (metrics.height() * 1.55)) - 1)


def _wrapped(painter: QPainter, rect: QRectF, top: float, text: str, font: QFont,
             colour: str = "#1A1A1A", width: float | None = None, left: float | None = None
             ) -> float:
    """Draws wrapped text; returns the y below it."""
    painter.setFont(font)
    painter.setPen(QColor(colour))
    left = rect.left() if left is None else left
    width = rect.width() if width is None else width
    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
    bounds = painter.boundingRect(QRectF(left, top, width, rect.bottom() - top), flags, text)
    painter.drawText(QRectF(left, top, width, bounds.height()), flags, text)
    return top + bounds.height()


def _section_heading(painter: QPainter, rect: QRectF, kicker: str, title: str) -> float:
    """The part of the analysis, small, over the finding; returns the y below."""
    top = _wrapped(painter, rect, rect.top(), kicker.upper(), _font(9, True), "#4A5560")
    top = _wrapped(painter, rect, top, title, _font(17 if len(title) <= 80 else 15, True),
                   "#0B2239")
    return top + QFontMetricsF(_font(9), painter.device()).height() * 0.6


def _bullets(painter: QPainter, rect: QRectF, top: float, lines, points: float,
             width: float | None = None) -> float:
    gap = QFontMetricsF(_font(points), painter.device()).height() * 0.45
    for line in lines:
        top = _wrapped(painter, rect, top, f"\u2022  {line}", _font(points), width=width) + gap
    return top


def _section_pages(report: "_Report", results: Results | None, section) -> None:
    """A section: its finding and sentences, then its charts two to a page,
    then its tables in pages of rows.  Without `results` (a portfolio's
    pack) every chart carries its own categories."""
    from ui.boardroom.chart_painter import draw_chart
    from core.export.pack import chart_categories
    charts = list(section.charts)
    pages = [charts[i:i + 2] for i in range(0, len(charts), 2)] or [[]]
    if not charts and (not section.sentences or section.heat_maps):
        pages = []
    for heat in section.heat_maps:
        # The finding and its sentences in a column beside the map.
        def map_page(painter, rect, heat=heat):
            from ui.boardroom.chart_painter import draw_heat_map
            top = _section_heading(painter, rect, section.kicker, section.title)
            column = rect.width() * 0.3
            _bullets(painter, rect, top, section.sentences, 10.5, width=column)
            gap = rect.width() * 0.03
            draw_heat_map(painter, QRectF(rect.left() + column + gap, top,
                                          rect.width() - column - gap, rect.bottom() - top),
                          heat)
        report.add(map_page)
    for number, pair in enumerate(pages):
        def page(painter, rect, pair=pair, first=number == 0):
            top = _section_heading(painter, rect, section.kicker +
                                   ("" if first else " (continued)"), section.title)
            if first and section.sentences:
                points = 13 if section.key == "summary" else 10.5
                top = _bullets(painter, rect, top, section.sentences, points) + 4
            if not pair:
                return
            gap = rect.width() * 0.03
            width = (rect.width() - gap * (len(pair) - 1)) / len(pair) if len(pair) > 1 \
                else rect.width()
            for i, chart in enumerate(pair):
                area = QRectF(rect.left() + i * (width + gap), top, width, rect.bottom() - top)
                draw_chart(painter, area, chart,
                           chart_categories(results, chart) if results is not None
                           else list(chart.categories or ()))
        report.add(page)
    for table in section.tables:
        widths = [max([len(h) * 0.6] + [len(str(r[i])) for r in table.rows]) + 3
                  for i, h in enumerate(table.headers)]
        per_page = 22
        chunks = [table.rows[i:i + per_page] for i in range(0, len(table.rows), per_page)] or [()]
        for number, chunk in enumerate(chunks, start=1):
            suffix = f" ({number} of {len(chunks)})" if len(chunks) > 1 else ""

            def table_page(painter, rect, chunk=chunk, suffix=suffix, table=table,
                           widths=widths):
                top = _section_heading(painter, rect, f"{section.kicker} \u00b7 {table.title}"
                                       f"{suffix}", section.title)
                _table(painter, rect, top, table.headers, chunk, widths)
            report.add(table_page)


def _schedule_pages(report: "_Report", section) -> None:
    """The monthly schedule (the side's columns, from the pack), in pages of rows."""
    if not section.tables:
        return
    table = section.tables[0]
    headers = list(table.headers)
    rows = list(table.rows)
    for start in range(0, max(1, len(rows)), ROWS_PER_PAGE):
        chunk = rows[start:start + ROWS_PER_PAGE]
        label = (f"Monthly schedule (months {start + 1}\u2013{start + len(chunk)} "
                 f"of {len(rows)})")

        def schedule_page(painter, rect, chunk=chunk, label=label):
            top = _heading(painter, rect, label)
            _table(painter, rect, top, headers, chunk, [1.1] + [1] * (len(headers) - 1),
                   align_right=tuple(range(1, len(headers))))
        report.add(schedule_page)


def figures_page(painter: QPainter, rect: QRectF, rows) -> None:
    """The headline figures as cards, three a row."""
    top = _heading(painter, rect, "Key figures")
    columns = 3
    gap = rect.width() * 0.02
    card_w = (rect.width() - gap * (columns - 1)) / columns
    card_h = rect.height() * 0.17
    for i, (title, value) in enumerate(rows):
        row, col = divmod(i, columns)
        card = QRectF(rect.left() + col * (card_w + gap), top + row * (card_h + gap),
                      card_w, card_h)
        painter.setPen(QPen(QColor("#D5DAE0"), 1.5))
        painter.setBrush(QColor("#F4F6F8"))
        painter.drawRoundedRect(card, 8, 8)
        inner = card.adjusted(card_w * 0.05, card_h * 0.1, -card_w * 0.05, -card_h * 0.1)
        painter.setPen(QColor("#4A5560"))
        painter.setFont(_font(12))
        painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, title)
        painter.setPen(QColor("#0B2239"))
        painter.setFont(_font(26 if len(value) <= 10 else 19, True))
        painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                         value)


def draw_title_page(painter, rect, title: str, lines: list[str], wrap: bool = False) -> None:
    """A report's title page (the deal's and the portfolio's): the title, its
    lines (each wrapped to two at most with `wrap`) and the disclaimer at the foot."""
    painter.setPen(QColor("#0B2239"))
    painter.setFont(_font(30, True))
    y = rect.top() + rect.height() * 0.28
    line = QFontMetricsF(painter.font(), painter.device()).height()
    painter.drawText(QRectF(rect.left(), y, rect.width(), line * 1.3),
                     Qt.AlignmentFlag.AlignLeft, title)
    y += line * 1.6
    painter.setFont(_font(16))
    painter.setPen(QColor("#1A1A1A"))
    step = QFontMetricsF(painter.font(), painter.device()).height() * 1.5
    for text in lines:
        if wrap:
            painter.drawText(QRectF(rect.left(), y, rect.width(), step * 2),
                             Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap, text)
        else:
            painter.drawText(QRectF(rect.left(), y, rect.width(), step),
                             Qt.AlignmentFlag.AlignLeft, text)
        y += step
    painter.setFont(_font(10))
    painter.setPen(QColor("#4A5560"))
    painter.drawText(QRectF(rect.left(), rect.bottom() - step, rect.width(), step),
                     Qt.AlignmentFlag.AlignLeft,
                     "Compute Deal Modeler: indicative figures, not accounting advice.")


def new_report(path: Path, title: str) -> "_Report":
    """An empty report on A4 landscape, its pages to be added, then painted."""
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("Compute Deal Modeler")
    # Screen-like units: point-sized text keeps its on-screen proportions.
    writer.setResolution(96)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Landscape,
                                     QMarginsF(15, 12, 15, 10), QPageLayout.Unit.Millimeter))
    return _Report(writer)


def write_pdf_report(window, path: Path, made_on: dt.date | None = None,
                     sections=None, perspective: str | None = None,
                     run_simulation: bool = True) -> int:
    """Write the report of `sections` (default: the window's board pack for
    `perspective`); returns its number of pages."""
    window.binding.flush()
    results: Results = window.binding.results
    if sections is None:
        from ui.boardroom.board_pack import window_pack
        sections = window_pack(window, perspective, run_simulation)
    scenario = results.scenario
    contract = scenario.contract
    made_on = made_on or dt.date.today()
    report = new_report(path, f"{scenario.name}: compute lease report")
    summary = next((s for s in sections if s.key == "summary"), None)

    lines = [f"Buyer (lessee): {contract.buyer}",
             f"Provider (lessor): {contract.provider}",
             f"Term: {contract.term_months} months from {contract.start_date:%d %B %Y}",
             f"Report date: {made_on:%d %B %Y}"]
    if summary is not None:
        lines.append(summary.title)

    def title_page(painter, rect):
        draw_title_page(painter, rect, scenario.name, lines)
    deal = next((s for s in sections if s.key == "deal"), None)

    def deal_page(painter, rect):
        """The deal on a page: the verdict over the term sheet and the side's
        key figures side by side, the largest risks, and what the figures assume."""
        painter.setFont(_font(9))
        painter.setPen(QColor("#4A5560"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                         f"Report date: {made_on:%d %B %Y}")
        top = _section_heading(painter, rect, deal.kicker, deal.title)
        tables = {t.title: t for t in deal.tables}
        gap = rect.width() * 0.03
        left = QRectF(rect.left(), rect.top(), rect.width() * 0.57 - gap / 2, rect.height())
        right = QRectF(left.right() + gap, rect.top(), rect.right() - left.right() - gap,
                       rect.height())
        sheet = deal.tables[0]
        y_left = _table(painter, left, top, sheet.headers, sheet.rows, [1, 3.6])
        figures_table = deal.tables[1]
        y_right = _table(painter, right, top, figures_table.headers, figures_table.rows,
                         [2, 1.2], align_right=(1,))
        y = max(y_left, y_right)
        risks = next((t for title, t in tables.items() if title.startswith("Largest risks")),
                     None)
        if risks is not None:
            y = _table(painter, rect, y, risks.headers, risks.rows, [1.4, 1.6, 2],
                       align_right=(2,))
        y = _wrapped(painter, rect, y, "What the figures assume", _font(9, True), "#4A5560")
        _bullets(painter, rect, y + 2, deal.sentences, 9)
    report.add(deal_page if deal is not None else title_page)

    for section in sections:
        if section.key == "key_figures":
            rows = section.tables[0].rows if section.tables else ()
            report.add(lambda painter, rect, rows=rows: figures_page(painter, rect, rows))
        elif section.key == "schedule":
            _schedule_pages(report, section)
        elif section.key == "deal":
            continue                  # the first page
        else:
            _section_pages(report, results, section)
    report.paint(f"{scenario.name} \u00b7 {made_on.isoformat()}")
    return len(report.pages)
