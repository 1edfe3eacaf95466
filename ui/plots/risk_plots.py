"""Risk plots, declared: the tornado (one output against each input moved
low / high), the fan chart of cumulative cash over time (percentile bands),
and the histogram of the simulated outcome.  Each is a PanelSpec over a
result of core.risk / core.monte_carlo, drawn by ui.plots.common.SeriesPanel
(built once; updates call setData / setOpts)."""
from __future__ import annotations

from core import figures
from core.formatting import format_percent
from core.monte_carlo import PERCENTILES
from core.risk import format_output, output_is_money, output_label
from ui.plots.common import Bands, Histogram, PanelSpec, Swings


def _tornado_note(result) -> str:
    name = result.output
    parts = [f"Change in {output_label(name)} from its base with each input at its low "
             "(blue) and its high value (orange; the values in brackets), all others at "
             "their base."]
    still = len([r for r in result.rows if r.swing == 0])
    if still:
        parts.append(f"{still} inputs do not move it.")
    if result.refused:
        parts.append(f"{len(result.refused)} moves were refused by the model.")
    return " ".join(parts)


def _histogram_note(result) -> str:
    name = result.spec.output
    mean = f"Mean {format_output(name, result.mean)}."
    if not figures.below_zero_is_loss(name):
        return mean   # a cost, a price or a count: below zero is not a loss
    return (f"{mean} <b>Probability of a loss</b> "
            f"({output_label(name)} below zero, the vermillion bars): "
            f"<b>{format_percent(result.probability_of_loss)}</b>")


TORNADO_SPEC = PanelSpec(
    "Tornado", "", (Swings(limit=12),),
    values_across=True, rows=True, left_width=250, x_margin=0.08,
    title_of=lambda r: (f"Tornado: change in {output_label(r.output)} "
                        f"(base {format_output(r.output, r.base_output)})"),
    note_of=_tornado_note, money_of=lambda r: output_is_money(r.output))

FAN_SPEC = PanelSpec(
    "Cumulative cash: P5-P95 bands", "$", (Bands("cash_percentiles", percentiles=PERCENTILES),),
    headroom=0.1,
    title_of=lambda r: f"{r.cash_label}: percentile bands over {r.spec.paths:,} paths")

HISTOGRAM_SPEC = PanelSpec(
    "Distribution of the outcome", "paths", (Histogram(markers=(5, 50, 95)),),
    values_across=True, headroom=0.15,
    title_of=lambda r: f"Distribution of {output_label(r.spec.output)}",
    note_of=_histogram_note, money_of=lambda r: output_is_money(r.spec.output))

