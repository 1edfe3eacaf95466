"""The headline key figures, titled and formatted, for reports and slides."""
from __future__ import annotations

from core.engine import Results
from core.formatting import format_money, format_quantity

# (attribute of KeyFigures, title, how to show it)
HEADLINE = (
    ("total_contract_value", "Total contract value", "money"),
    ("annual_run_rate", "Annual run rate", "money"),
    ("walkaway_exposure", "Walk-away exposure", "money"),
    ("price_per_gpu_hour", "Price per GPU-hour", "money"),
    ("npv_payments", "NPV of payments", "money"),
    ("price_per_mw_month", "Price per MW-month", "money"),
    ("cost_per_million_tokens", "Cost per million tokens", "money"),
    ("gpus", "GPUs", "GPUs"),
    ("facility_mw", "Facility power", "MW"),
)


def headline_figures(results: Results) -> list[tuple[str, str]]:
    """(title, formatted value) for each headline figure."""
    figures = results.key_figures
    out = []
    for name, title, how in HEADLINE:
        value = getattr(figures, name, None)
        if value is None:
            continue
        text = format_money(value) if how == "money" else format_quantity(value, how)
        out.append((title, text))
    return out
