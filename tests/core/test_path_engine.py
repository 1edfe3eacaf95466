"""The vectorised path engine against core.engine.compute, and an early end
worked out by hand."""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.engine import compute
from core.finance import xirr
from core.parameters import (CAPEX_FOR_DEAL, CAPEX_SUNK, PRICING_FIXED, PRICING_GPU_HOUR,
                             PRICING_MW_MONTH, Tranche)
from core.path_engine import (PATH_INPUTS, PATH_OUTPUTS, PathEngineMismatch, check_matches_engine,
                              run_paths, xirr_paths)
from core.presets import default_scenario
from core.risk import numeric_inputs

FEE = 1.25e9


def assert_path_equals_engine(scenario, figures, index=0):
    engine = compute(scenario)
    for name in PATH_OUTPUTS:
        expected = getattr(engine.key_figures, name)
        got = figures.figures[name][index]
        if expected is None or (isinstance(expected, float) and math.isnan(expected)):
            assert math.isnan(got), name
        else:
            assert got == pytest.approx(expected, rel=1e-9, abs=1e-6), name
    n = engine.key_figures.term_months
    assert figures.cumulative_cash[index, :n] == pytest.approx(
        engine.schedule.buyer_cumulative_cash, rel=1e-9, abs=1e-3)
    assert figures.payment[index, :n] == pytest.approx(engine.schedule.payment, rel=1e-9)
    assert figures.provider_cumulative_cash[index, :n] == pytest.approx(
        engine.schedule.provider_cumulative_cash, rel=1e-9, abs=1e-3)


def test_reference_deal_single_path_equals_compute():
    scenario = default_scenario()
    assert_path_equals_engine(scenario, run_paths(scenario))
    check_matches_engine(scenario)


def test_every_modelled_input_is_a_numeric_field():
    keys = {ref.key for ref in numeric_inputs(default_scenario())}
    assert PATH_INPUTS <= keys


@settings(max_examples=40, deadline=None)
@given(data=st.data(),
       pricing=st.sampled_from((PRICING_FIXED, PRICING_GPU_HOUR, PRICING_MW_MONTH)),
       follows=st.sampled_from(("no", "yes")), timing=st.sampled_from(("advance", "arrears")),
       late_online=st.integers(0, 30), capex=st.sampled_from((CAPEX_SUNK, CAPEX_FOR_DEAL)),
       aged=st.booleans())
def test_sampled_inputs_on_one_path_equal_compute(data, pricing, follows, timing, late_online,
                                                  capex, aged):
    """Every input the path engine reads, moved at random within ±50% (inside its
    range), gives on one path what compute gives for the same scenario."""
    base = default_scenario()
    late = Tranche("Colossus 2 (late)", "Memphis, TN", "GB200", 30_000,
                   dt.date(2026, 6, 1) + dt.timedelta(days=30 * late_online))
    # A sunk tranche online two years before the start has aged on the books.
    old = (Tranche("Colossus 0", "Memphis, TN", "H100 SXM", 20_000, dt.date(2024, 6, 1)),) * aged
    base = base.with_changes("hardware", tranches=base.hardware.tranches + (late,) + old,
                             capex_treatment=capex)
    base = base.with_changes("contract", pricing_mode=pricing, fee_follows_capacity=follows,
                             payment_timing=timing)
    scenario = base
    values = {}
    for ref in numeric_inputs(base):
        if ref.key not in PATH_INPUTS or not data.draw(st.booleans()):
            continue
        value = ref.clip(ref.value_in(base) * data.draw(st.floats(0.5, 1.5)))
        if ref.key == "contract.term_months":
            value = max(1, min(value, 60))
        scenario = scenario.with_changes(ref.section, **{ref.name: value})
        values[ref.key] = np.array([value, value])   # two identical paths
    assert_path_equals_engine(scenario, run_paths(base, values), index=-1)


def test_notice_in_month_3_ends_payments_90_days_later_by_hand():
    # 12 months from 1 Jun 2026; notice on 1 Sep 2026 (period 3) ends payments
    # 90 days later, on 30 Nov 2026: Sep and Oct in full, 29 of Nov's 30 days.
    assert dt.date(2026, 9, 1) + dt.timedelta(days=90) == dt.date(2026, 11, 30)
    scenario = default_scenario().with_changes("contract", term_months=12,
                                               termination_fee_months=2.0)
    paths = run_paths(scenario, notice_month=np.array([3, 3, 12]),
                      buyer_notice=np.array([True, False, True]))
    paid = FEE * (3 + 1 + 1 + 29 / 30)
    total = paths.figures["total_contract_value"]
    assert total[0] == pytest.approx(paid + 2 * FEE, rel=1e-12)   # the buyer pays the fee
    assert total[1] == pytest.approx(paid, rel=1e-12)             # the provider ended it
    assert total[2] == 12 * FEE                                   # notice at the term's end: none
    assert list(paths.ended_early) == [True, True, False]
    assert paths.payment[1, 5] == pytest.approx(FEE * 29 / 30) and paths.payment[1, 6] == 0
    # GPU-hours stop with the payments: 29 days of November delivered.
    hours_full = run_paths(scenario).figures["gpu_hours_delivered"][0]
    delivered = paths.figures["gpu_hours_delivered"][1]
    days = (dt.date(2026, 11, 30) - dt.date(2026, 6, 1)).days
    assert delivered == pytest.approx(hours_full * days / 365, rel=1e-12)
    # The engine's own cost of ending in month 3 agrees.
    engine = compute(scenario).schedule
    assert total[0] == pytest.approx(engine.termination_cost[3], rel=1e-12)


def test_longer_month_grid_pads_with_nothing_paid():
    scenario = default_scenario()
    paths = run_paths(scenario, months=48)
    assert paths.payment.shape == (1, 48)
    assert np.all(paths.payment[0, 36:] == 0)
    assert paths.figures["total_contract_value"][0] == 36 * FEE


def test_unmodelled_terms_are_refused_with_a_message():
    scenario = default_scenario().with_changes("contract", prepayment_months=2.0)
    with pytest.raises(PathEngineMismatch, match="Prepayment"):
        check_matches_engine(scenario)
    with pytest.raises(ValueError, match="not modelled"):
        run_paths(default_scenario(), {"contract.incremental_borrowing_rate_pct": np.array([5.0])})


@pytest.mark.parametrize("capex", [CAPEX_SUNK, CAPEX_FOR_DEAL])
def test_provider_npv_of_an_early_end_equals_the_engine_if_ended(capex):
    # Notice on 1 Sep 2026 (period 3) by the buyer, who pays 2 months' fee: the
    # provider's NPV is core/termination.py's provider NPV if ended at month 3
    # (operating cash to 30 Nov, the fee on 1 Sep, capex bought by then, the
    # hardware kept at its book value).
    scenario = default_scenario().with_changes("contract", term_months=24,
                                               termination_fee_months=2.0)
    scenario = scenario.with_changes("hardware", capex_treatment=capex)
    paths = run_paths(scenario, notice_month=np.array([3, 24]), buyer_notice=np.array([True, True]))
    engine = compute(scenario)
    npv = paths.figures["provider_npv"]
    assert npv[0] == pytest.approx(engine.schedule.provider_npv_if_ended[3], rel=1e-9)
    assert npv[1] == pytest.approx(engine.key_figures.provider_npv, rel=1e-9)
    # The provider's cash stops with the deal: 3 months, 29/30 of November, and the fee.
    cash = paths.provider_cumulative_cash[0]
    assert np.all(cash[6:] == cash[5])
    revenue = paths.figures["provider_revenue"][0]
    assert revenue == pytest.approx(FEE * (5 + 29 / 30 + 2), rel=1e-12)


def test_provider_irr_of_every_path_equals_xirr_of_its_flows():
    # Rows of flows with one root, none (no sign change), and two (sign changes
    # twice: -1, +3, -2.2 has roots near 10% and 100% a period): xirr's rule.
    days = np.array([0.0, 365.0, 730.0])
    flows = np.array([[-100.0, 60.0, 60.0], [10.0, 20.0, 30.0], [-100.0, 300.0, -220.0],
                      [-50.0, 0.0, 80.0]])
    dates = np.datetime64("2026-01-01") + days.astype("timedelta64[D]")
    got = xirr_paths(flows, days)
    for row, value in zip(flows, got):
        expected = xirr(row, dates)
        if math.isnan(expected):
            assert math.isnan(value)
        else:
            assert value == pytest.approx(expected, rel=1e-9)
    # -50 now and 80 in two years: (80 / 50) ^ (1/2) - 1 = 26.49%.
    assert got[3] == pytest.approx(math.sqrt(1.6) - 1, rel=1e-9)
    assert math.isnan(got[1]) and math.isnan(got[2])
    # A flow on a day of its own (the termination fee on a month's first day):
    # -100 now, nothing after, and 120 on day 365: 20% a year.
    extra = xirr_paths(np.array([[-100.0, 0.0, 0.0]]), days, np.array([120.0]),
                       np.array([365.0]))
    assert extra[0] == pytest.approx(0.20, rel=1e-9)


def test_a_sampled_yearly_rent_change_moves_the_providers_opportunity_cost_as_compute():
    # Each path's rent change, run through the engine one at a time, gives the same
    # opportunity cost and economic NPV (the path engine's market value, core/market.py).
    from core.engine import compute
    from core.path_engine import run_paths
    from core.parameters import FORWARD_IMPORTED, PlannedRent
    from core.presets import default_scenario
    imported = default_scenario().with_changes(
        "market", forward_path=FORWARD_IMPORTED, rent_change_pct_per_year=10.0,
        rent_curve=(PlannedRent(3, "H100 SXM", 5.0), PlannedRent(20, "GB200", 1.0)))
    changes = np.array([-30.0, 0.0, 25.0])
    for scenario in (default_scenario(), imported):
        paths = run_paths(scenario, {"market.rent_change_pct_per_year": changes},
                          outputs=("provider_opportunity_cost", "provider_economic_npv"))
        for i, change in enumerate(changes):
            one = compute(scenario.with_changes("market", rent_change_pct_per_year=float(change)))
            for name in ("provider_opportunity_cost", "provider_economic_npv"):
                assert paths.figures[name][i] == pytest.approx(getattr(one.key_figures, name),
                                                               rel=1e-12)


# --- issue 22, item 6: the provider's IRR on a path ended early ----------------------------

def test_provider_irr_is_not_applicable_on_a_path_ended_before_payback():
    # The reference deal with $13.34B of capex bought for it.  The provider's notice on
    # day one ends it on 30 Aug 2026: about 3 x $1.19B of operating cash against the
    # capex, so its cash (without the hardware's book value) is -$9.84B at the end and
    # the rate would rest on $12.9B of book value handed back: it read 302% a year.
    from core.figures import output
    scenario = default_scenario().with_changes("hardware", capex_treatment=CAPEX_FOR_DEAL)
    paths = run_paths(scenario, notice_month=np.array([0, 20, 36]),
                      buyer_notice=np.array([False, False, False]))
    assert paths.provider_cumulative_cash[0, 2] == pytest.approx(-9.839e9, rel=1e-3)
    irr = paths.figures["provider_irr"]
    assert math.isnan(irr[0])
    # Notice after 20 months (paid back in month 12): shown, the XIRR of its flows;
    # no notice in the term: the engine's full-term IRR.
    assert paths.provider_cumulative_cash[1, -1] > 0 and 1.0 < irr[1] < 3.0
    assert irr[2] == pytest.approx(compute(scenario).key_figures.provider_irr, rel=1e-9)
    assert "paid back the capex" in output("provider_irr").definition


# --- issue 25, item 4: the market in the simulation --------------------------------------

def test_each_sides_mark_to_market_per_path_as_compute_and_by_hand_on_an_early_end():
    # A sampled yearly rent change, run through the engine one path at a time, gives the
    # same mark-to-market; notice on day 0 ends 30 Aug: June, July and 29 of August's 31
    # days are delivered, each month's (market - invoice) x df in that share.
    changes = np.array([-30.0, 0.0, 25.0])
    paths = run_paths(default_scenario(), {"market.rent_change_pct_per_year": changes},
                      outputs=("buyer_mark_to_market", "provider_mark_to_market"))
    for i, change in enumerate(changes):
        one = compute(default_scenario().with_changes("market",
                                                      rent_change_pct_per_year=float(change)))
        assert paths.figures["buyer_mark_to_market"][i] == pytest.approx(
            one.key_figures.buyer_mark_to_market, rel=1e-12)
        assert paths.figures["provider_mark_to_market"][i] == \
            -paths.figures["buyer_mark_to_market"][i]
    ended = run_paths(default_scenario(), notice_month=np.array([0]),
                      buyer_notice=np.array([True]), outputs=("buyer_mark_to_market",))
    mtm = compute(default_scenario()).schedule.buyer_mtm
    assert ended.figures["buyer_mark_to_market"][0] == pytest.approx(
        mtm[0] + mtm[1] + mtm[2] * 29 / 31, rel=1e-12)
