"""The declarative plot panel (ui/plots/common.py SeriesPanel): items made
once and updated in place, data straight from the schedule's columns, legend
and hover read-out from core.figures."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

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


# --- the layer kinds beyond schedule columns ------------------------------------------

def _with_tranche_models(scenario, *models):
    """The reference deal with its tranches' GPU models replaced, in order."""
    import dataclasses
    tranches = tuple(dataclasses.replace(t, gpu_model=m)
                     for t, m in zip(scenario.hardware.tranches, models))
    return scenario.with_changes("hardware", tranches=tranches)


def test_a_stack_follows_its_members_and_keeps_the_curves_it_made(qtbot):
    from ui.plots.common import Stack
    panel = SeriesPanel(PanelSpec("GPUs", "GPUs", (Stack("gpus_by_model", "gpus_online"),),
                                  money=False))
    qtbot.addWidget(panel)
    base = default_scenario()
    results = compute(base)
    panel.show_results(results)
    # The reference fleet: H100 SXM 150,000, H200 50,000, GB200 20,000, stacked in that order.
    assert legend_texts(panel) == ["H100 SXM", "H200", "GB200"]
    tops = [panel.items[m].getData()[1][-1] for m in ("H100 SXM", "H200", "GB200")]
    assert tops == [150_000, 200_000, 220_000]
    h100 = panel.items["H100 SXM"]
    # The H200 tranche becomes GB300: H200 leaves the plot and the legend, GB300 comes in.
    changed = compute(_with_tranche_models(base, "H100 SXM", "GB300", "GB200"))
    panel.show_results(changed)
    assert set(panel.items) == {"H100 SXM", "GB300", "GB200"}
    assert legend_texts(panel) == list(changed.schedule.gpus_by_model)
    assert panel.items["H100 SXM"] is h100                   # made once, kept
    assert len(panel.plot.listDataItems()) == 3
    # The read-out names the declared total and each member, as core.figures formats them.
    text = panel.describe(changed, 0, changed.schedule.month_start)
    assert text.endswith(f"{figures.label('gpus_online')} 220,000 GPUs "
                         "(H100 SXM 150,000 GPUs, GB300 50,000 GPUs, GB200 20,000 GPUs)")


def test_a_level_draws_a_key_figure_flat_and_reads_out_its_flag(qtbot):
    from ui.plots.common import Level
    panel = SeriesPanel(PanelSpec("Power", "MW", (
        Series("facility_mw_online", "vermillion"),
        Level("contracted_mw", flag="power_over_contract")), money=False))
    qtbot.addWidget(panel)
    results = compute(default_scenario())
    panel.show_results(results)
    x, y = panel.items["contracted_mw"].getData()
    edges = month_edges(results.schedule)
    assert list(x) == [edges[0], edges[-1]] and list(y) == [300.0, 300.0]
    assert legend_texts(panel)[-1] == figures.label("contracted_mw")
    # 389 MW at the meter against 300 contracted: every month is over the contract.
    assert panel.describe(results, 3, results.schedule.month_start).endswith(
        f"{figures.label('contracted_mw')} 300 MW (power over contract)")
    raised = compute(default_scenario().with_changes("hardware", contracted_mw=400.0))
    panel.show_results(raised)
    assert list(panel.items["contracted_mw"].getData()[1]) == [400.0, 400.0]
    assert panel.describe(raised, 3, raised.schedule.month_start).endswith("400 MW")


def test_one_curve_per_item_named_by_the_item(qtbot):
    import dataclasses
    from core.comparison import compare
    from ui.plots.common import EachItem
    panel = SeriesPanel(PanelSpec("Paid", "$", (EachItem("curves", "cumulative_payment"),)))
    qtbot.addWidget(panel)
    base = default_scenario()
    bull = base.with_changes("contract", monthly_fee=1.5e9)
    bull = dataclasses.replace(bull, name="Bull")
    panel.show_source(compare([base, bull]))
    ends = {name: item.getData()[1][-1] for name, item in panel.items.items()}
    # 36 months at $1.25B and at $1.5B.
    assert ends == {base.name: 36 * 1.25e9, "Bull": 36 * 1.5e9}
    assert legend_texts(panel) == [base.name, "Bull"]
    panel.show_source(compare([base]))
    assert list(panel.items) == [base.name]
    assert legend_texts(panel) == [base.name]


def test_a_tornado_draws_each_swing_from_the_base_on_a_value_axis(qtbot):
    from core.risk import tornado
    from ui.plots.risk_plots import TORNADO_SPEC
    panel = SeriesPanel(TORNADO_SPEC)
    qtbot.addWidget(panel)
    result = tornado(default_scenario(), "total_contract_value")
    panel.show_source(result)
    rows = panel.layers["tornado"].shown_rows
    # The fee moves -20% / +20%: 36 x $1.0B and 36 x $1.5B round the base 36 x $1.25B,
    # drawn as the change from the base (the exports' convention): -$9B and +$9B.
    assert rows[0].input.key == "contract.monthly_fee"
    assert panel.items["low"].opts["x0"][0] == -9e9 and panel.items["low"].opts["x1"][0] == 0
    assert panel.items["high"].opts["x0"][0] == 0 and panel.items["high"].opts["x1"][0] == 9e9
    assert panel.items["base"].value() == 0
    assert panel.title.text() == "Tornado: change in Total contract value (base $45.0B)"
    assert panel.value_axis.money
    # The top row is named on the axis with its low / high fee.
    ticks = dict(panel.plot.getAxis("left")._tickLevels[0])
    assert ticks[float(len(rows) - 1)] == "Monthly fee ($1B / $1.5B)"
    # A count: the value axis stops writing dollars.
    panel.show_source(tornado(default_scenario(), "gpus"))
    assert not panel.value_axis.money
    assert panel.value_axis.tickStrings([200_000.0], 1.0, 1.0) == ["200K"]


def test_a_histogram_marks_losses_and_percentiles_and_its_labels_follow_the_theme(qtbot):
    from types import SimpleNamespace
    from ui.look.themes import THEMES, theme_manager
    from ui.plots.risk_plots import HISTOGRAM_SPEC
    panel = SeriesPanel(HISTOGRAM_SPEC)
    qtbot.addWidget(panel)
    # -10, -9, ..., 30: 40 bins of one unit over -10..30; the ten wholly below zero
    # (-10..-9 up to -1..0) are losses.
    outcomes = np.arange(-10.0, 31.0)
    result = SimpleNamespace(outcomes=outcomes, outcome_percentiles={5: -8.0, 50: 10.0, 95: 28.0},
                             mean=10.0, probability_of_loss=0.25,
                             spec=SimpleNamespace(output="buyer_npv"))
    panel.show_source(result)
    assert len(panel.items["loss_bars"].opts["height"]) == 10
    assert len(panel.items["bars"].opts["height"]) == 30
    assert [panel.items[f"P{p}"].value() for p in (5, 50, 95)] == [-8.0, 10.0, 28.0]
    assert "25.0%" in panel.note.text()
    try:
        for key in ("dark", "high_contrast", "light"):
            theme_manager().apply(key)
            for p in (5, 50, 95):
                assert panel.items[f"P{p}"].label.color.name().upper() == \
                    THEMES[key].plot_foreground.upper(), (key, p)
    finally:
        theme_manager().apply("light")


def test_a_shortfall_is_shaded_from_capacity_up_to_a_higher_demand(qtbot):
    from ui.plots.projection_plots import ProjectionPlots
    plots = ProjectionPlots()
    qtbot.addWidget(plots)
    s = compute(default_scenario()).schedule
    plots.show_results(compute(default_scenario()))
    floor, top = plots.item("floor").getData()[1], plots.item("top").getData()[1]
    assert np.array_equal(floor, s.capacity_tokens_per_s)
    # The band is as tall as the shortfall in the short months and nothing elsewhere.
    gap = top - floor
    short = s.demand_tokens_per_s > s.capacity_tokens_per_s
    assert short.sum() == 24          # "Demand exceeds capacity in 24 of 36 months"
    assert np.allclose(gap[short], (s.demand_tokens_per_s - s.capacity_tokens_per_s)[short])
    assert np.all(gap[~short] == 0)
    assert legend_texts(plots.demand_panel)[-1] == "Shortfall"


def test_a_marked_series_draws_a_round_marker_on_each_point(qtbot):
    """symbol="o": one marker per month start at the series' value, drawn
    on screen in the series' colour (the curve hidden, only markers show)."""
    from PySide6.QtCore import QPointF
    from ui.plots.layers import PointMarkers
    spec = PanelSpec("Marked", "$", (Series("cumulative_payment", "vermillion", "line",
                                            symbol="o"),))
    panel = SeriesPanel(spec)
    qtbot.addWidget(panel)
    panel.resize(700, 400)
    panel.show()
    qtbot.waitExposed(panel)
    s = compute(default_scenario()).schedule
    panel.show_schedule(s)
    markers = panel.items["markers"]
    assert isinstance(markers, PointMarkers)
    points = [(p.x(), p.y()) for p in markers._points]
    assert points == list(zip(timestamps(s.month_start).tolist(), s.cumulative_payment.tolist()))
    panel.items["cumulative_payment"].hide()
    qtbot.wait(50)
    view = panel.plot.getViewBox()
    image = panel.plot_widget.grab().toImage()
    ratio = image.devicePixelRatio()
    drawn = 0
    for month in (3, 12, 24):
        scene = view.mapViewToScene(QPointF(float(timestamps(s.month_start)[month]),
                                            float(s.cumulative_payment[month])))
        at = panel.plot_widget.mapFromScene(scene)
        x, y = round(at.x() * ratio), round(at.y() * ratio)
        # The marker is 5 px across: its centre pixels are solid colour.
        centre = {image.pixelColor(x + dx, y + dy).name() for dx in (-1, 0) for dy in (-1, 0)}
        drawn += figures_colour("vermillion") in centre
    assert drawn == 3


def figures_colour(name: str) -> str:
    from core.palette import OKABE_ITO
    return OKABE_ITO[name].lower()


def test_a_column_the_edit_did_not_change_is_not_drawn_again(qtbot):
    """A fee edit changes the invoices, not the token revenue: the revenue's
    curve keeps the very arrays it had (no setData), the invoices' get new."""
    spec = PanelSpec("Buyer", "$", (Series("buyer_revenue", "green"),
                                    Series("invoice", "blue")))
    panel = SeriesPanel(spec)
    qtbot.addWidget(panel)
    panel.show_schedule(compute(default_scenario()).schedule)
    revenue_y = panel.items["buyer_revenue"].yData
    invoice_y = panel.items["invoice"].yData
    edited = compute(default_scenario().with_changes("contract", monthly_fee=1.4e9)).schedule
    panel.show_schedule(edited)
    assert panel.items["buyer_revenue"].yData is revenue_y
    assert panel.items["invoice"].yData is not invoice_y
    assert np.array_equal(panel.items["invoice"].yData, edited.invoice)   # $1.4B a month
    assert np.allclose(panel.items["invoice"].yData, 1.4e9)
    # A longer term is new months: both are drawn again.
    longer = compute(default_scenario().with_changes("contract", term_months=48)).schedule
    panel.show_schedule(longer)
    assert len(panel.items["buyer_revenue"].yData) == 48


def test_a_new_simulation_moves_the_histogram_markers_and_the_same_one_sets_nothing(
        qtbot, monkeypatch):
    """The histogram layer moves a percentile line only when its value
    changed, its label along with it (left or right of the line, as
    pyqtgraph's own InfLineLabel.updatePosition places it), and sets its bars
    only when the bins changed: the same result again sets nothing."""
    from types import SimpleNamespace
    from ui.plots.risk_plots import HISTOGRAM_SPEC

    def result(outcomes, p5, p50, p95):
        return SimpleNamespace(outcomes=outcomes, outcome_percentiles={5: p5, 50: p50, 95: p95},
                               mean=10.0, probability_of_loss=0.25,
                               spec=SimpleNamespace(output="buyer_npv"))

    panel = SeriesPanel(HISTOGRAM_SPEC)
    qtbot.addWidget(panel)
    panel.resize(700, 400)
    panel.show()
    qtbot.waitExposed(panel)
    lines = [panel.items[f"P{p}"] for p in (5, 50, 95)]

    def where(line):
        """The line's rectangle, its label's place, side and text."""
        label = line.label
        return (line.boundingRect(), label.pos(), tuple(label.anchor), label.toPlainText())

    def as_pyqtgraph_places(line):
        # pyqtgraph's full derivation from the view, for comparison.
        line._boundingRect = None
        line.label.updatePosition()
        return where(line)

    # -10..30: 40 one-unit bins, ten of them losses (as the test above).
    outcomes = np.arange(-10.0, 31.0)
    panel.show_source(result(outcomes, -8.0, 5.0, 28.0))
    view_range = panel.plot.getViewBox().viewRange()
    first_sides = [tuple(line.label.anchor) for line in lines]
    # A new simulation with the same bins (the view stays, so nothing but the
    # move places the labels): the percentiles moved by hand, P50 from the
    # view's left half to its right, P95 from right to left.
    panel.show_source(result(outcomes.copy(), -2.0, 18.0, 6.0))
    assert panel.plot.getViewBox().viewRange() == view_range
    assert [line.value() for line in lines] == [-2.0, 18.0, 6.0]
    shown = [where(line) for line in lines]
    assert [text for *_, text in shown] == ["P5", "P50", "P95"]
    assert shown == [as_pyqtgraph_places(line) for line in lines]
    # The labels of the lines that crossed the middle changed side (so the
    # comparison above covers a side change), P5's did not.
    sides = [tuple(line.label.anchor) for line in lines]
    assert [a != b for a, b in zip(first_sides, sides)] == [False, True, True]
    # Other outcomes: -5..35, five loss bins.
    panel.show_source(result(np.arange(-5.0, 36.0), -2.0, 18.0, 6.0))
    assert len(panel.items["loss_bars"].opts["height"]) == 5
    assert len(panel.items["bars"].opts["height"]) == 35
    assert [where(line) for line in lines] == [as_pyqtgraph_places(line) for line in lines]

    # The same result again: no bar set, no label placed.
    calls = []
    for name in ("bars", "loss_bars"):
        monkeypatch.setattr(panel.items[name], "setOpts",
                            lambda *a, name=name, **k: calls.append(name))
    for line in lines:
        for method in ("setAnchor", "updatePosition", "setText"):
            monkeypatch.setattr(line.label, method, lambda *a, m=method: calls.append(m))
    panel.show_source(result(np.arange(-5.0, 36.0), -2.0, 18.0, 6.0))
    assert calls == []
    assert [line.value() for line in lines] == [-2.0, 18.0, 6.0]


def test_a_new_title_and_note_repaint_without_laying_the_panel_out_unless_they_need_room(qtbot):
    """Issue 22: a result's new title and note (a Risk edit's) laid the panel,
    and the tab above it, out again although they kept their lines; now they
    repaint in place (SteadyLabel), and a text of more lines still gets its
    room.  The note stays rich text: its chance of a loss is bold."""
    from types import SimpleNamespace
    from PySide6.QtWidgets import QWidget, QVBoxLayout
    from tests.ui.conftest import LayoutRequests
    from ui.plots.risk_plots import HISTOGRAM_SPEC

    def result(output: str, loss: float):
        return SimpleNamespace(outcomes=np.arange(-10.0, 31.0),
                               outcome_percentiles={5: -8.0, 50: 10.0, 95: 28.0},
                               mean=10.0, probability_of_loss=loss,
                               spec=SimpleNamespace(output=output))
    host = QWidget()
    panel = SeriesPanel(HISTOGRAM_SPEC)
    QVBoxLayout(host).addWidget(panel)
    qtbot.addWidget(host)
    host.resize(600, 400)
    host.show()
    qtbot.waitExposed(host)
    panel.show_source(result("buyer_npv", 0.25))
    qtbot.wait(50)
    requests = LayoutRequests()
    panel.installEventFilter(requests)
    host.installEventFilter(requests)
    panel.show_source(result("provider_npv", 0.125))
    qtbot.wait(50)
    # Both texts changed (another output, another chance of a loss) ...
    assert panel.title.text() == "Distribution of Provider NPV"
    assert "12.5%" in panel.note.text()
    # ... and kept their one line at this width: nothing was laid out again.
    assert requests.count == 0
    assert panel.note.label.textFormat() != Qt.TextFormat.PlainText     # <b> is bold
    assert panel.note.label.height() == panel.note.label.heightForWidth(panel.note.width())
    # A title of several lines at this width gets them: the plot moves down.
    plot_top = panel.plot_widget.y()
    panel.title.setText(" ".join(["A very long title over many words"] * 6))
    qtbot.waitUntil(lambda: panel.plot_widget.y() > plot_top, timeout=2000)
    assert requests.count > 0
    assert panel.title.height() >= panel.title.label.heightForWidth(panel.title.width())
