"""Monte Carlo: percentiles against closed forms, termination as a random
event, reproducibility with a seed, cancelling between chunks."""
from __future__ import annotations

import math

import numpy as np
import pytest

from core.engine import compute
from core.monte_carlo import (PERCENTILES, SimulationError, SimulationSpec, Uncertainty,
                              default_uncertainty, simulate, simulated_inputs)
from core.path_engine import PathEngineMismatch
from core.presets import default_scenario
from core.risk import numeric_inputs

LOW, HIGH = 1.0e9, 1.5e9


def fee_spec(**kw) -> SimulationSpec:
    base = dict(uncertainties=(Uncertainty("contract.monthly_fee", "uniform", LOW, 0.0, HIGH),),
                output="total_contract_value", paths=100_000, seed=11, termination=False)
    base.update(kw)
    return SimulationSpec(**base)


def test_uniform_fee_gives_uniform_contract_value_percentiles():
    # TCV = 36 x fee with fee ~ U(1.0B, 1.5B): its q-th percentile is 36 (1.0B + q 0.5B).
    result = simulate(default_scenario(), fee_spec())
    spread = 36 * (HIGH - LOW)
    for p in PERCENTILES:
        exact = 36 * (LOW + p / 100 * (HIGH - LOW))
        # Sampling error of a percentile of 100,000 draws: sqrt(q(1-q)/n) of the spread, < 0.0016.
        assert result.outcome_percentiles[p] == pytest.approx(exact, abs=0.005 * spread)
    assert result.mean == pytest.approx(36 * (LOW + HIGH) / 2, abs=0.005 * spread)
    # The fan chart: cumulative cash in month m is revenue to date less m + 1 fees.
    revenue = np.cumsum(compute(default_scenario()).schedule.buyer_revenue)
    for row, p in enumerate(PERCENTILES):
        fee_at = LOW + (1 - p / 100) * (HIGH - LOW)   # a higher fee, less cash
        assert result.cash_percentiles[row, -1] == pytest.approx(
            revenue[-1] - 36 * fee_at, abs=0.005 * spread)
    assert result.probability_of_loss == 0.0


def test_triangular_percentile_closed_form():
    # Utilization ~ Triangular(40, 60, 80): symmetric, so P50 = 60 and, below the
    # mode, F(x) = (x - 40)^2 / (40 x 20): P5 = 40 + sqrt(0.05 x 800).
    spec = SimulationSpec(uncertainties=(Uncertainty("hardware.utilization_pct", "triangular",
                                                     40.0, 60.0, 80.0),),
                          output="cost_per_million_tokens", paths=100_000, seed=3,
                          termination=False)
    result = simulate(default_scenario(), spec)
    base = compute(default_scenario()).key_figures.cost_per_million_tokens   # at 60%
    # Cost per M tokens is proportional to 1 / utilization, so it maps percentiles across (reversed).
    p5_util = 40 + math.sqrt(0.05 * 800)
    assert result.outcome_percentiles[95] == pytest.approx(base * 60 / p5_util, rel=0.003)
    assert result.outcome_percentiles[50] == pytest.approx(base, rel=0.003)


def test_probability_of_loss_is_the_share_of_negative_outcomes():
    # Token price ~ U(0, 2x): the buyer's NPV is linear in it and below zero under
    # the break-even price, so P(loss) = break-even / (2 x base price).
    scenario = default_scenario()
    price = scenario.projections.token_price_per_million
    spec = SimulationSpec(uncertainties=(Uncertainty("projections.token_price_per_million",
                                                     "uniform", 0.0, 0.0, 2 * price),),
                          output="buyer_npv", paths=100_000, seed=5, termination=False)
    result = simulate(scenario, spec)
    at_zero = compute(scenario.with_changes("projections", token_price_per_million=0.0))
    at_base = compute(scenario).key_figures.buyer_npv
    npv0 = at_zero.key_figures.buyer_npv
    breakeven = -npv0 / (at_base - npv0) * price
    assert 0 < breakeven < 2 * price
    assert result.probability_of_loss == pytest.approx(breakeven / (2 * price), abs=0.006)
    assert result.probability_of_loss == np.mean(result.outcomes < 0)


def test_termination_events_match_the_hazard_and_the_expected_value():
    scenario = default_scenario().with_changes("contract", buyer_termination_prob_pct=1.5,
                                               provider_termination_prob_pct=0.5,
                                               termination_fee_months=1.0)
    result = simulate(scenario, SimulationSpec(output="total_contract_value", paths=100_000,
                                               seed=9))
    # Notice in one of 36 months at 2% a month.
    assert result.ended_early_share == pytest.approx(1 - 0.98 ** 36, abs=0.006)
    # The mean contract value is the engine's expected contract value.
    expected = compute(scenario).key_figures.expected_contract_value
    assert result.mean == pytest.approx(expected, rel=0.004)
    neither = scenario.with_changes("contract", terminating_party="neither")
    assert simulate(neither, SimulationSpec(paths=1000, seed=9)).ended_early_share == 0.0


def test_same_seed_same_result_whatever_the_chunks_and_other_seed_differs():
    scenario = default_scenario().with_changes("contract", buyer_termination_prob_pct=1.0)
    spec = SimulationSpec(uncertainties=(
        Uncertainty("contract.monthly_fee", "triangular", 1.0e9, 1.25e9, 1.6e9),
        Uncertainty("contract.term_months", "uniform", 24, 0, 48),
        Uncertainty("contract.discount_rate_pct", "normal", 6.0, 10.0, 14.0)),
        output="buyer_npv", paths=5_000, seed=42)
    one = simulate(scenario, spec)
    two = simulate(scenario, spec, chunk=777)
    assert np.array_equal(one.outcomes, two.outcomes)
    assert np.array_equal(one.cash_percentiles, two.cash_percentiles)
    other = simulate(scenario, SimulationSpec(**{**spec.__dict__, "seed": 43}))
    assert not np.array_equal(one.outcomes, other.outcomes)
    # Whole-number inputs are drawn whole and inside their range.
    assert one.terms.min() >= 24 and one.terms.max() <= 48
    assert np.all(one.terms == np.round(one.terms))
    assert one.cash_percentiles.shape == (5, int(one.terms.max()))


def test_cancel_between_chunks_and_progress():
    seen = []
    result = simulate(default_scenario(), fee_spec(paths=10_000), progress=seen.append,
                      cancelled=lambda: len(seen) >= 2, chunk=1_000)
    assert result is None and seen == [0.1, 0.2]
    seen.clear()
    assert simulate(default_scenario(), fee_spec(paths=10_000), progress=seen.append,
                    chunk=1_000) is not None
    assert seen[-1] == 1.0 and len(seen) == 10


def test_bad_specifications_are_refused_with_messages():
    scenario = default_scenario()
    with pytest.raises(SimulationError, match="Monthly fee: most likely"):
        simulate(scenario, fee_spec(uncertainties=(
            Uncertainty("contract.monthly_fee", "triangular", 1e9, 2e9, 1.5e9),)))
    with pytest.raises(SimulationError, match="Paths must be between"):
        simulate(scenario, fee_spec(paths=0))
    with pytest.raises(SimulationError, match="cannot be varied"):
        simulate(scenario, fee_spec(uncertainties=(
            Uncertainty("contract.incremental_borrowing_rate_pct", "uniform", 1, 1, 2),)))
    with pytest.raises(PathEngineMismatch):
        simulate(scenario.with_changes("contract", prepayment_months=1.0), fee_spec(paths=10))


def test_default_ranges_are_plus_minus_20_percent_inside_the_range():
    scenario = default_scenario()
    refs = {r.key: r for r in simulated_inputs(scenario)}
    assert set(refs) <= {r.key for r in numeric_inputs(scenario)}
    fee = default_uncertainty(refs["contract.monthly_fee"], 1.25e9)
    assert (fee.low, fee.most_likely, fee.high) == (1.0e9, 1.25e9, 1.5e9)
    availability = default_uncertainty(refs["hardware.availability_pct"], 100.0)
    assert (availability.low, availability.high) == (80.0, 100.0)


def _mixed_spec(paths: int) -> SimulationSpec:
    return SimulationSpec(uncertainties=(
        Uncertainty("contract.monthly_fee", "triangular", 1.0e9, 1.25e9, 1.6e9),
        Uncertainty("contract.term_months", "uniform", 24, 0, 48),
        Uncertainty("hardware.utilization_pct", "normal", 40.0, 60.0, 80.0)),
        output="buyer_npv", paths=paths, seed=5)


def test_the_fan_chart_is_the_first_fan_paths_paths_and_the_outcomes_cover_all(monkeypatch):
    import core.monte_carlo as mc
    from core.path_engine import run_paths
    monkeypatch.setattr(mc, "FAN_PATHS", 700)
    scenario = default_scenario().with_changes("contract", buyer_termination_prob_pct=1.0)
    spec = _mixed_spec(2_000)
    result = simulate(scenario, spec, chunk=300)     # the fan's paths end mid-chunk
    # The reference: the same draws (same generator, same order), every path at once.
    rng = np.random.Generator(np.random.PCG64(spec.seed))
    values, notice, buyer = mc._draws(scenario, spec, rng)
    months = int(values["contract.term_months"].max())
    full = run_paths(scenario, values, notice, buyer, months=months)
    assert np.array_equal(result.outcomes, full.figures["buyer_npv"])
    expected_fan = np.percentile(full.cumulative_cash[:700], PERCENTILES, axis=0)
    assert np.allclose(result.cash_percentiles, expected_fan, rtol=1e-12, atol=1e-3)
    assert result.ended_early_share == pytest.approx(full.ended_early.mean())
    # Chunking changes nothing, within the fan's paths or beyond them.
    again = simulate(scenario, spec, chunk=1_999)
    assert np.array_equal(again.outcomes, result.outcomes)
    assert np.array_equal(again.cash_percentiles, result.cash_percentiles)


def test_memory_beyond_the_fan_paths_grows_by_per_path_figures_only(monkeypatch):
    import tracemalloc

    import core.monte_carlo as mc
    monkeypatch.setattr(mc, "FAN_PATHS", 2_000)
    scenario = default_scenario()

    def peak_bytes(paths: int) -> int:
        tracemalloc.start()
        simulate(scenario, _mixed_spec(paths), chunk=500)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    small, large = peak_bytes(4_000), peak_bytes(24_000)
    # 20,000 more paths: their draws and outcomes are a few vectors of 8 bytes a
    # path (about 1 MB in all); keeping their 48 months of cash would add
    # 20,000 x 48 x 8 = 7.7 MB.  Allow 3 MB.
    assert large - small < 3_000_000


def test_the_default_chunk_is_a_bounded_number_of_path_months(monkeypatch):
    import core.monte_carlo as mc
    from core import path_engine
    sizes = []
    real = path_engine.run_paths

    def recording(scenario, values=None, *args, **kw):
        sizes.append(len(next(iter(values.values()))))
        return real(scenario, values, *args, **kw)

    monkeypatch.setattr(mc, "run_paths", recording)
    simulate(default_scenario(), _mixed_spec(5_000))
    # Terms up to 48 months: 120,000 path-months is 2,500 paths a chunk.
    assert sizes == [2_500, 2_500]


def test_provider_npv_under_a_uniform_power_price_by_closed_form():
    # The provider's NPV and cash fall linearly with the power price, so with the
    # price ~ U(40, 80) $/MWh the NPV's q-th percentile is the NPV at the price's
    # (100 - q)-th percentile, 80 - q/100 x 40; two compute() runs give the line.
    scenario = default_scenario()
    spec = SimulationSpec(uncertainties=(Uncertainty("hardware.power_price_per_mwh", "uniform",
                                                     40.0, 0.0, 80.0),),
                          output="provider_npv", paths=100_000, seed=5, termination=False)
    result = simulate(scenario, spec)
    at = {price: compute(scenario.with_changes("hardware", power_price_per_mwh=price))
          for price in (40.0, 80.0)}
    npv40, npv80 = (at[p].key_figures.provider_npv for p in (40.0, 80.0))
    cash40, cash80 = (at[p].schedule.provider_cumulative_cash[-1] for p in (40.0, 80.0))
    for row, q in enumerate(PERCENTILES):
        share = 1 - q / 100          # where the price sits between 40 and 80
        assert result.outcome_percentiles[q] == pytest.approx(
            npv40 + share * (npv80 - npv40), abs=0.005 * abs(npv80 - npv40))
        # The fan chart is the provider's cumulative cash, by the same line.
        assert result.cash_percentiles[row, -1] == pytest.approx(
            cash40 + share * (cash80 - cash40), abs=0.005 * abs(cash80 - cash40))
    assert result.cash_label.startswith("Provider's cumulative cash")


@pytest.mark.parametrize("output", ["provider_npv", "provider_irr", "provider_ebitda",
                                    "provider_economic_profit"])
def test_a_simulation_with_nothing_random_gives_compute_s_provider_figure(output):
    scenario = default_scenario().with_changes("hardware", capex_treatment="for_deal")
    result = simulate(scenario, SimulationSpec(output=output, paths=300, seed=1,
                                               termination=False))
    expected = getattr(compute(scenario).key_figures, output)
    assert result.outcomes == pytest.approx(np.full(300, expected), rel=1e-9)
    assert result.cash_percentiles[2] == pytest.approx(
        compute(scenario).schedule.provider_cumulative_cash, rel=1e-9)


def test_histogram_bins_have_round_edges():
    """Outcomes from $3.16B to $8.23B in about 20 bins: 5.07B / 20 = 0.2535B a bin,
    rounded up to $0.5B (1, 2, 2.5, 5 x 10^k); edges from $3.0B to $8.5B, every
    one a whole multiple of $0.5B (they were $3.16B, $3.41B, ... $8.23B)."""
    from core.monte_carlo import histogram
    outcomes = np.linspace(3.16e9, 8.23e9, 1001)
    edges, counts = histogram(outcomes, bins=20)
    assert edges[0] == 3.0e9 and edges[-1] == 8.5e9
    assert np.allclose(np.diff(edges), 0.5e9)
    assert counts.sum() == 1001
    # One value: a single round bin around it.
    edges, counts = histogram(np.full(10, 5e9))
    assert counts.sum() == 10 and edges[0] <= 5e9 <= edges[-1]


def test_a_result_carries_the_bins_of_its_outcomes():
    """The distribution plot's bins come with the result (made where the
    simulation runs, off the GUI thread).  TCV = 36 x fee, fee ~ U(1.0B, 1.5B):
    the outcomes span $36B-$54B, about 40 bins of a round width: 18B / 40 =
    0.45B, rounded up to $0.5B; the edges are whole multiples of it from $36B to
    $54B, and every one of the 20,000 paths falls in one bin."""
    result = simulate(default_scenario(), fee_spec(paths=20_000))
    edges, counts = result.bins
    assert np.diff(edges) == pytest.approx(np.full(len(edges) - 1, 0.5e9))
    assert edges[0] == pytest.approx(36e9) and edges[-1] == pytest.approx(54e9)
    assert counts.sum() == 20_000
    # Uniform draws: each of the 36 bins holds about 20,000 / 36 = 556 paths.
    assert counts.min() > 400 and counts.max() < 720
    # Path by path: the count of a bin is the outcomes inside its edges.
    inside = (result.outcomes >= edges[10]) & (result.outcomes < edges[11])
    assert counts[10] == np.count_nonzero(inside)
