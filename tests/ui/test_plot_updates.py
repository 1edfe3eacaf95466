"""What a plot does on an edit (issue 22): each series is a SeriesCurve
(ui/plots/series_curve.py) set only when its data changed, with its bounds
from the data; the view's ranges set in one call, none when unchanged; and
the look (gaps at NaNs, legend swatches, theme colours) as before."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest

from core.engine import compute
from core.presets import default_scenario
from ui.look.themes import THEMES, theme_manager
from ui.plots.common import PanelSpec, Series, SeriesPanel, month_edges
from ui.plots.contract_plots import ContractPlots
from ui.plots.economics_plots import ProviderPlots
from ui.plots.hardware_plots import HardwarePlots
from ui.plots.series_curve import SeriesCurve

DAY = 86_400.0


def schedule_at(fee: float):
    return compute(default_scenario().with_changes("contract", monthly_fee=fee)).schedule


def count_set_range(monkeypatch) -> list:
    calls = []
    real = pg.ViewBox.setRange

    def counting(view, *args, **kwargs):
        calls.append(view)
        return real(view, *args, **kwargs)
    monkeypatch.setattr(pg.ViewBox, "setRange", counting)
    return calls


def test_a_fee_edit_shows_the_new_schedule_and_its_fitted_range(qtbot):
    plots = ContractPlots()
    qtbot.addWidget(plots)
    plots.resize(900, 700)
    plots.show()
    plots.show_results(compute(default_scenario()))
    plots.show_results(compute(default_scenario().with_changes("contract",
                                                               monthly_fee=2.0e9)))
    s = schedule_at(2.0e9)
    # The reference deal: 36 months, no escalator: $2.0B every month, $72B in all.
    payments = plots.payments_panel
    assert np.allclose(payments.items["payment"].opts["height"], 2.0e9)
    x, y = plots.item("cumulative_payment").getData()
    assert len(y) == 36 and y[-1] == pytest.approx(72.0e9, rel=1e-12)
    x, y = plots.item("walkaway_exposure").getData()
    assert np.array_equal(x, month_edges(s)) and np.array_equal(y, s.walkaway_exposure)
    # Payments' y: $2.0B + 10% headroom = $2.2B, out to whole $0.5B steps
    # (2.2B / 5 ticks = 0.44B -> 0.5B): 0..$2.5B, and 2% of that below zero.
    low, high = payments.plot.getViewBox().viewRange()[1]
    assert (low, high) == pytest.approx((-0.05e9, 2.5e9), rel=1e-12)
    # Cumulative: $72B + 30% = $93.6B -> steps of $20B (18.7 -> 20): 0..$100B.
    low, high = plots.cumulative_panel.plot.getViewBox().viewRange()[1]
    assert (low, high) == pytest.approx((-2.0e9, 100.0e9), rel=1e-12)
    # x: the 36 months' edges, 2% of the span padded each side.
    edges = month_edges(s)
    span = edges[-1] - edges[0]
    assert payments.plot.getViewBox().viewRange()[0] == pytest.approx(
        [edges[0] - 0.02 * span, edges[-1] + 0.02 * span], rel=1e-12)


def test_an_edit_that_moves_no_range_sets_no_range(qtbot, monkeypatch):
    plots = ContractPlots()
    qtbot.addWidget(plots)
    plots.show_results(compute(default_scenario()))      # $1.25B a month
    ranges = [panel.plot.getViewBox().viewRange() for panel in plots.panels]
    calls = count_set_range(monkeypatch)
    # A million dollars a month more: every curve moves, no nice-step range does.
    plots.show_results(compute(default_scenario().with_changes("contract",
                                                               monthly_fee=1.251e9)))
    assert calls == []
    assert [panel.plot.getViewBox().viewRange() for panel in plots.panels] == ranges
    assert plots.item("cumulative_payment").getData()[1][-1] == pytest.approx(36 * 1.251e9)
    # $3B a month: every y range moves, each set by one call (x and y together).
    plots.show_results(compute(default_scenario().with_changes("contract",
                                                               monthly_fee=3.0e9)))
    assert sorted(map(id, calls)) == sorted(id(p.plot.getViewBox()) for p in plots.panels)
    low, high = plots.payments_panel.plot.getViewBox().viewRange()[1]
    # $3.3B -> steps of $1B (0.66 -> 1): 0..$4B.
    assert (low, high) == pytest.approx((-0.08e9, 4.0e9), rel=1e-12)


def test_an_edit_that_changes_nothing_in_a_plot_leaves_it_as_it_was(qtbot, monkeypatch):
    plots = HardwarePlots()
    qtbot.addWidget(plots)
    plots.show_results(compute(default_scenario()))
    items = plots.capacity_panel.items | plots.power_panel.items
    held = {key: item.getData() for key, item in items.items()}
    ranges = [panel.plot.getViewBox().viewRange() for panel in plots.panels]
    calls = count_set_range(monkeypatch)
    set_data = []
    monkeypatch.setattr(SeriesCurve, "setData",
                        lambda self, *a, **k: set_data.append(self))
    # The fee moves no GPU and no megawatt.
    plots.show_results(compute(default_scenario().with_changes("contract",
                                                               monthly_fee=2.0e9)))
    assert set_data == [] and calls == []
    assert all(items[key].getData()[0] is x and items[key].getData()[1] is y
               for key, (x, y) in held.items())
    assert [panel.plot.getViewBox().viewRange() for panel in plots.panels] == ranges


def test_a_curve_is_set_again_when_its_values_change_and_only_then(qtbot):
    curve = SeriesCurve(pg.mkPen("#0072B2", width=2), step=True)
    edges = np.array([0.0, 31.0, 59.0, 90.0]) * DAY
    assert curve.show_values(edges, [1.0, 2.0, 3.0])
    shown = curve.yData
    assert not curve.show_values(edges, np.array([1.0, 2.0, 3.0]))
    assert curve.yData is shown
    assert curve.show_values(edges, [1.0, 2.5, 3.0])
    assert list(curve.yData) == [1.0, 2.5, 3.0]
    # The bounds are the data's: months 0..90 days, values 1..3.
    assert curve.dataBounds(0) == (0.0, 90 * DAY)
    assert curve.dataBounds(1) == (1.0, 3.0)
    # Another setData (not show_values) is not mistaken for the values shown.
    curve.setData(x=edges, y=np.array([5.0, 6.0, 7.0]))
    assert curve.dataBounds(1) == (5.0, 7.0)
    assert curve.show_values(edges, [1.0, 2.5, 3.0])


def test_a_filled_curve_reaches_down_to_zero_and_its_legend_shows_the_fill(qtbot):
    curve = SeriesCurve(pg.mkPen("#0072B2"), name="Cash", fill_brush=pg.mkBrush(0, 114, 178, 40))
    curve.show_values([0.0, 1.0, 2.0], [3.0, 4.0, 5.0])
    assert curve.dataBounds(1) == (0.0, 5.0)      # filled to zero from 3..5
    assert curve.opts["fillBrush"] == curve.opts["brush"]   # the legend's sample fills


def test_nan_months_are_gaps_not_joined(qtbot):
    """As pyqtgraph's PlotDataItem drew them: a NaN (an undefined ratio) breaks
    the line; the points either side are not joined across it."""
    x, y = [0.0, 1.0, 2.0, 3.0, 4.0], [1.0, 2.0, np.nan, 4.0, 5.0]
    curve = SeriesCurve(pg.mkPen("#0072B2"))
    curve.show_values(x, y)
    points = path_points(curve.getPath())
    # The line 0-1 ends; month 3 starts a new one (a move, not a line from 1).
    assert (3.0, 4.0, True) in points and (3.0, 4.0, False) not in points
    assert points == path_points(pg.PlotDataItem(x, y).curve.getPath())
    assert curve.dataBounds(1) == (1.0, 5.0)
    curve.show_values([0.0, 1.0, 2.0], [1.0, 2.0, 3.0])     # all finite: one line
    assert [move for _x, _y, move in path_points(curve.getPath())] == [True, False, False]


def path_points(path) -> list[tuple[float, float, bool]]:
    return [(path.elementAt(i).x, path.elementAt(i).y, path.elementAt(i).isMoveTo())
            for i in range(path.elementCount())]


def test_a_theme_change_restyles_the_series_and_an_edit_keeps_it(qtbot):
    plots = ProviderPlots()     # "Maintenance and staff" is drawn black, dashed
    qtbot.addWidget(plots)
    plots.show_results(compute(default_scenario()))
    opex = plots.item("opex")
    try:
        theme_manager().apply("dark")
        assert opex.opts["pen"].color() == pg.mkColor(THEMES["dark"].series_black)
        plots.show_results(compute(default_scenario().with_changes("contract",
                                                                   monthly_fee=2.0e9)))
        assert opex.opts["pen"].color() == pg.mkColor(THEMES["dark"].series_black)
    finally:
        theme_manager().apply("light")
    assert opex.opts["pen"].color() == pg.mkColor("#000000")


def test_a_panel_spec_draws_the_same_items_kinds(qtbot):
    """Every line of a declared panel is a SeriesCurve in the legend."""
    panel = SeriesPanel(PanelSpec("Test", "$", (Series("payment", "sky", "bars"),
                                                 Series("invoice", "blue"))))
    qtbot.addWidget(panel)
    assert isinstance(panel.items["invoice"], SeriesCurve)
    assert [label.text for _s, label in panel.legend.items] == ["Payment", "Invoice"]


def test_the_fan_charts_bands_follow_a_new_simulation_and_an_identical_one_sets_nothing(
        qtbot, monkeypatch):
    """The Bands layer (the Risk tab's fan chart, issue 22): its percentile
    curves are SeriesCurves set only when they moved, and each fill drawn
    again only when one of its curves moved."""
    from types import SimpleNamespace
    from core.monte_carlo import _row_percentiles
    from ui.plots.common import Bands
    panel = SeriesPanel(PanelSpec("Fan", "$", (Bands("cash_percentiles"),)))
    qtbot.addWidget(panel)
    months = np.array(["2026-06-01", "2026-07-01", "2026-08-01"], dtype="datetime64[D]")

    def simulation(scale: float):
        # 101 paths, month m's values scale * (m + 1) * 0, 1, ..., 100: its Pp
        # (np.percentile's linear interpolation) is scale * (m + 1) * p exactly.
        paths = scale * np.outer(np.arange(1, 4), np.arange(101.0))
        return SimpleNamespace(cash_percentiles=_row_percentiles(paths), month_start=months)

    panel.show_source(simulation(1e6))
    panel.show_source(simulation(2e6))
    items = panel.items
    for p in (5, 25, 50, 75, 95):
        assert isinstance(items[f"P{p}"], SeriesCurve)
        assert list(items[f"P{p}"].getData()[1]) == pytest.approx([2e6 * p, 4e6 * p, 6e6 * p])
    # Each fill spans its lower curve's lowest (month 1) to its upper one's highest (month 3).
    for key, (low, high) in {"P5-P95": (5, 95), "P25-P75": (25, 75)}.items():
        box = items[key].path().boundingRect()
        assert (box.top(), box.bottom()) == pytest.approx((2e6 * low, 6e6 * high))
    held = {key: items[key].path() for key in ("P5-P95", "P25-P75")}
    set_data, drawn = [], []
    monkeypatch.setattr(SeriesCurve, "setData", lambda self, *a, **k: set_data.append(self))
    from ui.plots.series_curve import SeriesFill
    monkeypatch.setattr(SeriesFill, "updatePath", lambda self: drawn.append(self))
    panel.show_source(simulation(2e6))       # the same result, new arrays
    assert set_data == [] and drawn == []
    assert all(items[key].path() == path for key, path in held.items())


def test_the_tornados_bars_follow_a_new_result_and_an_unmoved_end_is_not_set(
        qtbot, monkeypatch):
    """The Swings layer (the Risk tab's tornado, issue 22): each end's bars set
    only when they changed."""
    from core.risk import Tornado, TornadoRow, numeric_inputs
    from ui.plots.common import Swings
    from ui.plots.series_curve import SeriesBars
    panel = SeriesPanel(PanelSpec("Tornado", "", (Swings(),), values_across=True, rows=True))
    qtbot.addWidget(panel)
    fee, term = numeric_inputs(default_scenario())[:2]

    def result(highs):
        # Base 10: the first row's outputs 4 / highs[0] (swing 9 and more), the second's 8 / highs[1].
        return Tornado("buyer_npv", 10.0, (TornadoRow(fee, 1.0, 0.8, 1.2, 4.0, highs[0]),
                                           TornadoRow(term, 1.0, 0.8, 1.2, 8.0, highs[1])), ())

    panel.show_source(result((13.0, 11.0)))
    low, high = panel.items["low"], panel.items["high"]
    assert isinstance(low, SeriesBars) and isinstance(high, SeriesBars)
    # Changes from the base, the larger swing on the top row (y 1): low -6, -2; high +3, +1.
    assert list(low.opts["x0"]) == [-6.0, -2.0] and list(low.opts["x1"]) == [0.0, 0.0]
    assert list(high.opts["x1"]) == [3.0, 1.0] and list(low.opts["y"]) == [1.0, 0.0]
    set_bars = []
    real = SeriesBars.setOpts
    monkeypatch.setattr(SeriesBars, "setOpts",
                        lambda self, **opts: (set_bars.append(self), real(self, **opts)))
    panel.show_source(result((15.0, 12.0)))   # only the high ends move
    assert set_bars == [high]
    assert list(high.opts["x0"]) == [0.0, 0.0] and list(high.opts["x1"]) == [5.0, 2.0]
    assert list(low.opts["x0"]) == [-6.0, -2.0]
    set_bars.clear()
    panel.show_source(result((15.0, 12.0)))   # the same result: nothing set
    assert set_bars == []
