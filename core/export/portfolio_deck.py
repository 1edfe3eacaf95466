"""The PowerPoint deck of a portfolio: its board pack (core/export/portfolio_pack.py)
as slides made the way the deal's deck makes them (core/export/deck.py): a
title slide, then each section's finding in the slide's title placeholder,
native charts with their source underneath, tables that never wrap a value,
slide numbers and speaker notes."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO

from pptx import Presentation

from core.export.deck import HEIGHT, WIDTH, _slide_number, section_slides, title_slide
from core.export.pack import Section
from core.export.portfolio_pack import month_text, portfolio_chart_source, portfolio_pack
from core.portfolio import Portfolio, portfolio_totals


def write_portfolio_deck(portfolio: Portfolio, path: Path | str | IO[bytes],
                         made_on: dt.date | None = None,
                         sections: list[Section] | None = None) -> None:
    """Write the deck of `sections` (default: the portfolio's pack, no simulation)."""
    sections = portfolio_pack(portfolio) if sections is None else sections
    made_on = made_on or dt.date.today()
    totals = portfolio_totals(portfolio)
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    title_slide(deck, portfolio.name,
                f"{portfolio.party}'s book as {portfolio.side}: {len(portfolio.deals)} deals",
                f"{month_text(totals.months[0])} to {month_text(totals.months[-1])}  \u00b7  "
                f"prepared {made_on:%d %B %Y}")

    def new_slide():
        slide = deck.slides.add_slide(deck.slide_layouts[5])     # "Title Only"
        _slide_number(slide, len(deck.slides))
        return slide
    # Every portfolio chart carries its categories (months or counterparties).
    section_slides(deck, new_slide, sections, lambda chart: list(chart.categories or ()),
                   lambda key: portfolio_chart_source(portfolio, key))
    deck.save(path if not isinstance(path, (str, Path)) else str(path))
