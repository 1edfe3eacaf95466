"""The headline key figures, labelled and formatted, for reports and slides.

Which figures are the headline is chosen here; their labels and formats come
from core.figures."""
from __future__ import annotations

from core import figures
from core.engine import Results

# KeyFigures fields shown on the report's and the deck's key-figure page, in order.
HEADLINE = (
    "total_contract_value", "annual_run_rate", "walkaway_exposure", "price_per_gpu_hour",
    "npv_payments", "price_per_mw_month", "cost_per_million_tokens", "gpus", "facility_mw",
)


def headline_figures(results: Results) -> list[tuple[str, str]]:
    """(label, formatted value) for each headline figure."""
    key_figures = results.key_figures
    return [(figures.label(key), figures.format_value(key, getattr(key_figures, key)))
            for key in HEADLINE]
