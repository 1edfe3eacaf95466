"""Export a portfolio (core/portfolio.py): its board pack as a PDF report
(drawn here with the deal report's page makers) or a PowerPoint deck, or
its workbook, the format taken from the suffix.

The app exports the book the Portfolio tab shows (File > Export
portfolio...); the command line a portfolio file
(`main.py portfolio FILE --out PATH`).  Every path goes through
core.export.target: an existing file is kept unless overwriting is allowed,
and a failed export leaves no partial file behind.
"""
from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path


from core.export.files import write_made_bytes
from core.export.pack import Section
from core.export.portfolio_pack import (REPORT_SOURCE_CHARACTERS_PER_PAGE, joint_simulation,
                                        month_text, portfolio_pack)
from core.export.target import ExportError, atomic_path, check_target, export_format
from core.portfolio import Portfolio, portfolio_totals
from core.portfolio_risk import PortfolioRisk
from ui.boardroom.export_views import (_section_pages, draw_title_page, figures_page,
                                        new_report)

PORTFOLIO_FORMATS = ("pdf", "pptx", "xlsx")


def write_portfolio_pdf(portfolio: Portfolio, path: Path, sections: list[Section],
                        made_on: dt.date | None = None) -> int:
    """The portfolio's report: a title page, then each section's pages as
    the deal's report draws them; returns the number of pages."""
    made_on = made_on or dt.date.today()
    totals = portfolio_totals(portfolio)
    report = new_report(path, f"{portfolio.name}: compute portfolio report")
    headline = sections[0].title if sections else ""

    lines = [f"{portfolio.party}'s book as {portfolio.side}: {len(portfolio.deals)} deals",
             f"{month_text(totals.months[0])} to {month_text(totals.months[-1])}",
             f"Report date: {made_on:%d %B %Y}", headline]

    def title_page(painter, rect):
        draw_title_page(painter, rect, portfolio.name, lines, wrap=True)
    report.add(title_page)
    for section in sections:
        if section.key == "key_figures":      # cards, as the deal's report draws them
            rows = section.tables[0].rows if section.tables else ()
            report.add(lambda painter, rect, rows=rows: figures_page(painter, rect, rows))
        else:
            _section_pages(report, None, section)
    report.paint(f"{portfolio.name} \u00b7 {made_on.isoformat()}")
    return len(report.pages)


def portfolio_bytes(portfolio: Portfolio, kind: str, sections: list[Section] | None = None,
                    risk: PortfolioRisk | None = None) -> bytes:
    """A deck's or workbook's bytes (no Qt needed for either)."""
    buffer = io.BytesIO()
    if kind == "pptx":
        from core.export.portfolio_deck import write_portfolio_deck
        write_portfolio_deck(portfolio, buffer, sections=sections)
    else:
        from core.export.workbook_portfolio import write_portfolio_workbook
        write_portfolio_workbook(portfolio, buffer, risk)
    return buffer.getvalue()


def export_portfolio(portfolio: Portfolio, path: str | os.PathLike, overwrite: bool = False,
                     risk: PortfolioRisk | None = None, paths: int | None = None,
                     seed: int | None = None) -> Path:
    """Write the portfolio's report (.pdf), deck (.pptx) or workbook (.xlsx);
    returns the file written.  Raises ExportError (TargetExists when the file
    exists and `overwrite` is false) with one line for the user.  `risk`: the
    joint simulation's result; None runs it on `paths` paths from `seed`
    (core.portfolio_risk's defaults when None), the paths and seed stated."""
    kind = export_format(path)
    if kind not in PORTFOLIO_FORMATS:
        raise ExportError(f"{Path(path).name}: a portfolio exports to .pdf, .pptx or .xlsx")
    target = check_target(path, overwrite)      # refused before the simulation runs
    if risk is None:
        risk = joint_simulation(portfolio, paths, seed)
    if kind == "pdf":
        sections = portfolio_pack(portfolio, risk, REPORT_SOURCE_CHARACTERS_PER_PAGE)
        with atomic_path(target) as temporary:
            write_portfolio_pdf(portfolio, temporary, sections)
        return target
    sections = portfolio_pack(portfolio, risk) if kind == "pptx" else None
    write_made_bytes(target, kind, lambda: portfolio_bytes(portfolio, kind, sections, risk))
    return target
