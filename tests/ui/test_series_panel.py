"""The declarative plot panel (ui/plots/common.py SeriesPanel): items made
once and updated in place, data straight from the schedule's columns, legend
and hover read-out from core.figures."""
from __future__ import annotations

import numpy as np

from core import figures
from core.engine import compute
from core.presets import default_scenario
from ui.plots.common import PanelSpec, Series, SeriesPanel, month_edges, timestamps
from ui.plots.contract_plots import ContractPlots

SPEC = PanelSpec("Test panel", "$", (
    Series("payment", "sky", "bars"),
    Series("walkaway_exposure", "vermillion"),            # step
    Series("cumulative_payment", "blue", "line", legend="Paid to date"),
))


def legend_texts(panel) -> list[str]:
    return [label.text for _sample, label in panel.legend.items]


def test_items_are_made_once_and_updated_in_place(qtbot):
    panel = SeriesPanel(SPEC)
    qtbot.addWidget(panel)
    made = dict(panel.items)
    children = len(panel.plot.listDataItems()) + len(panel.plot.items)
    for fee in (1.0e9, 2.0e9, 3.0e9):
        scenario = default_scenario().with_changes("contract", monthly_fee=fee)
        panel.show_schedule(compute(scenario).schedule)
        assert all(panel.items[k] is made[k] for k in made)
        assert len(panel.plot.listDataItems()) + len(panel.plot.items) == children
    # The last update's data: 36 months of $3.0B (no escalator in the reference deal).
    s = compute(default_scenario().with_changes("contract", monthly_fee=3.0e9)).schedule
    assert np.allclose(panel.items["payment"].opts["height"], 3.0e9)
    assert np.array_equal(panel.items["payment"].opts["height"], s.payment)
    # step: n + 1 month edges, n values
    assert np.array_equal(panel.items["walkaway_exposure"].xData, month_edges(s))
    assert np.array_equal(panel.items["walkaway_exposure"].yData, s.walkaway_exposure)
    x, y = panel.items["cumulative_payment"].getData()    # line: through month starts
    assert np.array_equal(x, timestamps(s.month_start))
    assert np.array_equal(y, s.cumulative_payment)
    assert y[-1] == 36 * 3.0e9


def test_legend_and_hover_come_from_the_figure_metadata(qtbot):
    panel = SeriesPanel(SPEC)
    qtbot.addWidget(panel)
    s = compute(default_scenario()).schedule
    panel.show_schedule(s)
    assert legend_texts(panel) == [figures.label("payment"), figures.label("walkaway_exposure"),
                                   "Paid to date"]
    x = float(timestamps(s.month_start)[1]) + 3 * 86_400
    # Month 2 of the reference deal: $1.25B paid, $2.50B to date.
    # (Exposure: notice on 1 Jul ends 90 days later, 29 Sep: July and August whole and
    # 28 of September's 30 days, $1.25B x (2 + 28/30) = $3.67B.)
    assert panel.hover_at(x) == ("Jul 2026: Payment $1.25B, Walk-away exposure $3.67B, "
                                 "Cumulative payments $2.50B")


def test_the_axes_fit_the_data_with_room_for_the_legend(qtbot):
    panel = SeriesPanel(SPEC)
    qtbot.addWidget(panel)
    s = compute(default_scenario()).schedule
    panel.show_schedule(s)
    low, high = panel.plot.getViewBox().viewRange()[1]
    # The highest series is cumulative payments at the end: 36 x $1.25B = $45B; with
    # 30% above it for the legend, 0..$58.5B, widened to whole nice steps: a fifth of
    # $58.5B is $11.7B, the next 1/2/2.5/5 x 10^k step is $20B, so 0..$60B; then 2% of
    # that span below zero (-$1.2B) so the zero line clears the axis.
    assert np.isclose(low, -1.2e9)
    assert np.isclose(high, 60e9)


def test_the_axis_stays_put_while_the_data_moves_within_a_step(qtbot):
    panel = SeriesPanel(SPEC)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_schedule(compute(default_scenario()).schedule)
    qtbot.wait(20)
    axis = panel.plot.getAxis("left")
    drawn = axis._axis_pixmap
    assert drawn is not None and axis.picture is not None
    # $1.25B -> $1.26B a month: cumulative $45.36B, x 1.3 = $58.97B, still inside 0..$60B.
    panel.show_schedule(compute(default_scenario().with_changes(
        "contract", monthly_fee=1.26e9)).schedule)
    qtbot.wait(20)
    assert panel.plot.getViewBox().viewRange()[1][1] == 60e9
    assert axis._axis_pixmap is drawn        # not regenerated: the same pixmap is blitted
    # $1.40B a month: $50.4B x 1.3 = $65.5B, past $60B: the axis moves to 0..$80B, redrawn.
    panel.show_schedule(compute(default_scenario().with_changes(
        "contract", monthly_fee=1.40e9)).schedule)
    qtbot.wait(20)
    assert panel.plot.getViewBox().viewRange()[1][1] == 80e9
    assert axis._axis_pixmap is not drawn


def test_the_contract_plots_are_three_declared_panels(qtbot):
    plots = ContractPlots()
    qtbot.addWidget(plots)
    # Payments and exposure apart: a large exposure never flattens the bars.
    assert [p.title.text() for p in plots.panels] == ["Monthly payment", "Walk-away exposure",
                                                      "Cumulative spend"]
    assert plots.item("payment") is plots.payments_panel.items["payment"]
