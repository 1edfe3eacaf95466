"""The headline key figures, labelled and formatted, for reports and slides.

Which figures are the headline for each side is chosen here; their labels
and formats come from core.figures.  A side's headline holds no figure of
the other side (tests/core/test_pack_sides.py)."""
from __future__ import annotations

from core import figures
from core.engine import Results

# KeyFigures fields shown on the report's and the deck's key-figure page, in order.
HEADLINE = (
    "total_contract_value", "annual_run_rate", "walkaway_exposure", "price_per_gpu_hour",
    "npv_payments", "price_per_mw_month", "cost_per_million_tokens", "gpus", "facility_mw",
)
# The provider's: what the deal bills and what it is worth to the provider.
PROVIDER_HEADLINE = (
    "total_contract_value", "annual_run_rate", "price_per_gpu_hour", "provider_npv",
    "provider_ebitda", "provider_economic_profit", "price_per_mw_month", "gpus", "facility_mw",
)
# The buyer's: the same page as both sides', with its NPV in place of a price.
BUYER_HEADLINE = (
    "total_contract_value", "annual_run_rate", "walkaway_exposure", "price_per_gpu_hour",
    "npv_payments", "buyer_npv", "cost_per_million_tokens", "gpus", "facility_mw",
)
HEADLINES = {"both": HEADLINE, "buyer": BUYER_HEADLINE, "provider": PROVIDER_HEADLINE}


def headline_keys(perspective: str = "both") -> tuple[str, ...]:
    return HEADLINES[perspective]


def headline_figures(results: Results, perspective: str = "both") -> list[tuple[str, str]]:
    """(label, formatted value) for each headline figure of `perspective`."""
    key_figures = results.key_figures
    return [(figures.label(key), figures.format_value(key, getattr(key_figures, key)))
            for key in HEADLINES[perspective]]
