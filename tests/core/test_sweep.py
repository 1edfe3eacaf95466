"""Two-way tables (core/sweep.py): every cell is compute() on the same inputs."""

import numpy as np
import pytest

from core.engine import compute
from core.parameters import CAPEX_FOR_DEAL, PRICING_GPU_HOUR
from core.presets import default_scenario
from core.solve import SolveError, figure_value, numeric_input, with_input
from core.sweep import Axis, default_axis, two_way


def engine_grid(scenario, figure, grid):
    """The figure from core.engine.compute, cell by cell."""
    out = np.empty(grid.values.shape)
    for i, y in enumerate(grid.y):
        for j, x in enumerate(grid.x):
            case = with_input(scenario, numeric_input(grid.x_input), x)
            case = with_input(case, numeric_input(grid.y_input), y)
            out[i, j] = figure_value(compute(case), figure)
    return out


def test_a_25_by_25_grid_in_one_batch_equals_compute_cell_by_cell():
    scenario = default_scenario()
    grid = two_way(scenario, "buyer_npv", default_axis(scenario, "contract.monthly_fee"),
                   Axis("hardware.utilization_pct", 30, 90, 25), threshold=0.0)
    assert grid.batched
    assert grid.values.shape == (25, 25)
    np.testing.assert_allclose(grid.values, engine_grid(scenario, "buyer_npv", grid),
                               rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("figure, x, y", [
    ("price_per_gpu_hour", Axis("contract.price_per_gpu_hour", 5, 10, 6),
     Axis("hardware.availability_pct", 95, 100, 5)),       # SLA credits below 99%
    ("npv_payments", Axis("contract.term_months", 12, 60, 5),
     Axis("contract.discount_rate_pct", 0, 20, 4)),
    ("tokens_served", Axis("projections.demand_growth_pct_per_month", -2, 6, 5),
     Axis("hardware.utilization_pct", 20, 100, 4)),
    # The provider's figures are the path engine's too: batched, equal to compute.
    ("provider_npv", Axis("hardware.power_price_per_mwh", 40, 80, 3),
     Axis("contract.provider_wacc_pct", 5, 15, 3)),
    ("provider_ebit", Axis("hardware.depreciation_life_years", 3, 7, 3),
     Axis("contract.term_months", 24, 48, 3)),
])
def test_grids_in_usage_pricing_and_whole_inputs_equal_compute(figure, x, y):
    scenario = default_scenario().with_changes("contract", pricing_mode=PRICING_GPU_HOUR)
    grid = two_way(scenario, figure, x, y)
    assert grid.batched
    np.testing.assert_allclose(grid.values, engine_grid(scenario, figure, grid),
                               rtol=1e-9, atol=1e-9)


def test_a_figure_the_vectorised_engine_lacks_is_computed_cell_by_cell_and_says_so():
    # The build alternative's cost (power price moves it): not a path-engine figure.
    scenario = default_scenario().with_changes("hardware", capex_treatment=CAPEX_FOR_DEAL)
    grid = two_way(scenario, "build_cost", Axis("contract.monthly_fee", 0.5e9, 1.5e9, 4),
                   Axis("hardware.power_price_per_mwh", 40, 80, 3), threshold=20e9)
    assert not grid.batched
    assert "build_cost" in grid.cell_by_cell_because
    np.testing.assert_allclose(grid.values, engine_grid(scenario, "build_cost", grid),
                               rtol=1e-9, atol=1e-9)


def test_base_case_and_threshold_contour_by_hand():
    # Contract value = fee x term (fixed fee, no escalator, no credits): the
    # $45B contour is fee x term = 45e9, a hyperbola; the grid is linear in
    # each input along its edges, so each interpolated point lies on it.
    scenario = default_scenario()
    grid = two_way(scenario, "total_contract_value", Axis("contract.monthly_fee", 0.5e9, 2e9, 7),
                   Axis("contract.term_months", 12, 60, 5), threshold=45e9)
    assert (grid.base_x, grid.base_y) == (1.25e9, 36)
    assert grid.base_inside
    assert grid.base_cell == (2, 3)          # term 12, 24, [36]; fee 0.5, 0.75, 1.0, [1.25]
    assert grid.values[2, 3] == grid.base_figure == 45e9
    assert len(grid.contour) > 0
    np.testing.assert_allclose(grid.contour[:, 0] * grid.contour[:, 1], 45e9, rtol=1e-12)
    # A cell is on the contour iff a neighbour (left, right, up, down) lies
    # on the other side of $45B.
    above = grid.values >= 45e9
    rows, cols = above.shape
    expected = np.zeros_like(above)
    for i in range(rows):
        for j in range(cols):
            for di, dj in ((0, 1), (0, -1), (1, 0), (-1, 0)):
                if 0 <= i + di < rows and 0 <= j + dj < cols and above[i + di, j + dj] != above[i, j]:
                    expected[i, j] = True
    np.testing.assert_array_equal(grid.crossing, expected)
    assert grid.crossing[0, -1]              # 12 x $2B = $24B below; 24 x $2B = $48B above
    assert not grid.crossing[-1, -1]         # 60 x $2B: its neighbours are all above too


def test_base_case_outside_the_grid():
    grid = two_way(default_scenario(), "total_contract_value",
                   Axis("contract.monthly_fee", 2e9, 3e9, 3), Axis("contract.term_months", 12, 24, 3))
    assert not grid.base_inside
    assert grid.base_cell == (2, 0)           # nearest: the longest term, the lowest fee


def test_bad_grids_are_refused():
    scenario = default_scenario()
    fee = Axis("contract.monthly_fee", 1e9, 2e9, 5)
    with pytest.raises(SolveError, match="must differ"):
        two_way(scenario, "buyer_npv", fee, fee)
    with pytest.raises(SolveError, match="between 0 and 100"):
        two_way(scenario, "buyer_npv", fee, Axis("hardware.utilization_pct", 50, 150, 5))
    with pytest.raises(SolveError, match="steps"):
        two_way(scenario, "buyer_npv", fee, Axis("hardware.utilization_pct", 50, 60, 1))


def test_default_axis_is_half_to_one_and_a_half_times_within_limits():
    scenario = default_scenario()
    assert default_axis(scenario, "contract.monthly_fee") == Axis(
        "contract.monthly_fee", 0.625e9, 1.875e9, 25)
    # Utilization 60%: 30% to 90%.  Availability 100%: 50% to the 100% limit.
    assert default_axis(scenario, "hardware.availability_pct").stop == 100.0
    # Term 36: 18 to 54 months; 36 months in 24 steps would be 1.5 months: every
    # 2 months instead, 19 values.
    term = default_axis(scenario, "contract.term_months")
    assert (term.start, term.stop, term.steps) == (18, 54, 19)
    assert list(term.values()) == list(range(18, 55, 2))
    # Intro months 0 (range 0-240): the whole range, every 10 months.
    intro = default_axis(scenario, "contract.intro_months")
    assert (intro.start, intro.stop, intro.steps) == (0, 240, 25)
    # Escalator 0: its whole range.
    escalator = default_axis(scenario, "contract.escalator_pct")
    assert (escalator.start, escalator.stop) == (-50.0, 100.0)


def test_the_grid_computes_the_scenario_at_most_once(monkeypatch):
    """Given compute(scenario) of this very scenario, the grid (its check of
    the vectorised engine and its base case) computes nothing again; given
    another scenario's results, it computes its own once."""
    import core.solve as solve
    from core.engine import compute
    from core.presets import default_scenario
    from core.sweep import Axis, two_way
    scenario = default_scenario()
    results = compute(scenario)
    calls = []
    monkeypatch.setattr(solve, "compute", lambda s: calls.append(s) or compute(s))
    x = Axis("contract.monthly_fee", 1.0e9, 1.5e9, 3)
    y = Axis("hardware.utilization_pct", 50.0, 70.0, 3)
    grid = two_way(scenario, "buyer_npv", x, y, results=results)
    assert calls == []
    assert grid.batched
    other = scenario.with_changes("contract", monthly_fee=1.1e9)
    grid = two_way(other, "buyer_npv", x, y, results=results)
    assert calls == [other]
    # The base case is the other scenario's own NPV, not the results handed in.
    assert grid.base_figure == compute(other).key_figures.buyer_npv
    assert grid.base_figure != results.key_figures.buyer_npv


def test_a_batch_the_engine_gets_wrong_at_the_base_case_falls_back_to_compute(monkeypatch):
    """The batch's extra case (the scenario's own values) must equal compute():
    an engine that disagrees there is not trusted for the grid, which is then
    computed cell by cell and says why."""
    import core.path_engine as path_engine
    from core.presets import default_scenario
    from core.sweep import Axis, two_way
    real = path_engine.run_paths

    def off_by_a_million(*args, **kwargs):
        paths = real(*args, **kwargs)
        paths.figures["buyer_npv"] = paths.figures["buyer_npv"] + 1e6
        return paths

    monkeypatch.setattr(path_engine, "run_paths", off_by_a_million)
    x = Axis("contract.monthly_fee", 1.0e9, 1.5e9, 2)
    y = Axis("hardware.utilization_pct", 50.0, 70.0, 2)
    grid = two_way(default_scenario(), "buyer_npv", x, y)
    assert not grid.batched
    assert "disagrees with the main model on buyer_npv" in grid.cell_by_cell_because


def test_an_inputs_value_reads_with_its_unit_at_the_digits_asked():
    # One formatter for the tab and the exports: money trimmed to its digits,
    # whole numbers with separators, others to `digits` significant figures.
    fee = numeric_input("contract.monthly_fee")
    utilization = numeric_input("hardware.utilization_pct")
    assert fee.text(1.25e9, digits=3) == "$1.25B"
    assert utilization.text(60.0) == "60 %"
    assert utilization.text(62.5, digits=6) == "62.5 %"
    assert utilization.text(2 / 3 * 100, digits=3) == "66.7 %"
    assert fee.text(float("nan")) == "\u2014"


def test_an_edit_of_an_axis_input_leaves_every_cell_the_same():
    """Each cell sets both axis inputs itself: a grid over the fee is the same
    grid whatever the scenario's own fee; another input changes every cell."""
    from core.presets import default_scenario
    from core.sweep import Axis, two_way
    scenario = default_scenario()
    x = Axis("contract.monthly_fee", 1.0e9, 1.5e9, 5)
    y = Axis("hardware.utilization_pct", 50.0, 70.0, 3)
    grid = two_way(scenario, "buyer_npv", x, y, 0.0)
    moved_fee = two_way(scenario.with_changes("contract", monthly_fee=1.4e9), "buyer_npv", x, y,
                        0.0)
    assert moved_fee.same_cells(grid)
    assert moved_fee.base_x == 1.4e9 and moved_fee.base_cell == (1, 3)   # $1.375B is nearest
    price = scenario.projections.token_price_per_million * 1.01
    other = two_way(scenario.with_changes("projections", token_price_per_million=price),
                    "buyer_npv", x, y, 0.0)
    assert not other.same_cells(grid)
    assert not two_way(scenario, "buyer_npv", x, y, 1e9).same_cells(grid)   # another contour
    assert not grid.same_cells(None)
