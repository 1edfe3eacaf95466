"""The engine's kept steps (core/kept.py, core/engine.py `_kept_steps`): a
fee edit reuses the timeline, fleet, tokens, delivered value and notice
schedule, and an edit of any input one of them reads is never answered from
a stale record.  Each test computes a scenario (so its steps are kept), then
one differing in a single input that feeds a kept step, and checks the
figure against its value worked by hand; then the first again."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from core import engine
from core.engine import compute, records
from core.kept import Kept, read_only
from core.parameters import (ClusterHardware, ContractTerms, GpuModel, Market, MarketRent,
                             Projections, Scenario, Tranche)

START = dt.date(2026, 6, 1)       # June 30 days, July 31, August 31
H100 = GpuModel("H100 SXM", it_kw_per_gpu=1.0, bf16_dense_tflops=989, hbm_gb=80,
                capex_per_gpu=40_000, tokens_per_s=10_000)


def deal(**contract) -> Scenario:
    """1,000 H100s online from the start; a flat $100M a month for 3 months; no
    escalator, discount, deposit or credits (availability 100% >= SLA)."""
    terms = dict(start_date=START, term_months=3, monthly_fee=100e6, notice_days=90,
                 terminating_party="either", termination_fee_months=0.0, prepayment_months=0)
    terms.update(contract)
    return Scenario(
        contract=ContractTerms(**terms),
        hardware=ClusterHardware(gpu_models=(H100,),
                                 tranches=(Tranche("T", "Memphis, TN", "H100 SXM", 1_000, START),),
                                 availability_pct=100.0, utilization_pct=100.0,
                                 capex_treatment="sunk"),
        projections=Projections(demand_tokens_per_s=1e6, demand_growth_pct_per_month=0.0),
        market=Market(rents=(MarketRent(gpu_model="H100 SXM", rent_per_gpu_hour=2.0,
                                        quote_1_month=2.0, quote_1_year=2.0, quote_3_year=2.0),),
                      rent_change_pct_per_year=0.0, forward_path="yearly_change"))


HOURS = (30 + 31 + 31) * 24.0      # the three months' hours


def test_a_fee_edit_reuses_the_kept_steps_and_the_fee_moves_the_figures():
    before = deal()
    after = before.with_changes("contract", monthly_fee=120e6)
    a, b = records(before), records(after)
    assert b.timeline is a.timeline and b.capacity is a.capacity and b.tokens is a.tokens
    assert b.curves.paid_fraction is a.curves.paid_fraction
    # 3 months x $120M.
    assert compute(after).key_figures.total_contract_value == pytest.approx(360e6, rel=1e-12)
    assert compute(before).key_figures.total_contract_value == pytest.approx(300e6, rel=1e-12)


def test_the_term_and_start_date_feed_the_timeline():
    assert compute(deal()).key_figures.term_months == 3
    longer = compute(deal(term_months=4))
    # June to September: 30 + 31 + 31 + 30 days.
    assert longer.key_figures.term_months == 4
    assert longer.key_figures.gpu_hours_delivered == pytest.approx(1_000 * 122 * 24, rel=1e-12)
    later = compute(deal(start_date=dt.date(2027, 2, 1)))
    # February, March, April 2027: 28 + 31 + 30 days.
    assert later.key_figures.gpu_hours_delivered == pytest.approx(1_000 * 89 * 24, rel=1e-12)
    assert compute(deal()).key_figures.gpu_hours_delivered == pytest.approx(1_000 * HOURS,
                                                                           rel=1e-12)


def test_the_hardware_feeds_the_fleet_tokens_costs_and_delivered_value():
    base = deal()
    assert compute(base).key_figures.gpus == 1_000
    more = base.with_changes("hardware", tranches=(
        Tranche("T", "Memphis, TN", "H100 SXM", 3_000, START),))
    figures = compute(more).key_figures
    assert figures.gpus == 3_000
    # Demand, 1e6 tokens/s, is below 3,000 GPUs x 10,000 tokens/s: all served.
    assert figures.tokens_served == pytest.approx(1e6 * HOURS * 3600, rel=1e-12)
    # Delivered value: 3,000 GPUs x hours x $2.
    assert figures.cloud_cost == pytest.approx(3_000 * HOURS * 2.0, rel=1e-12)
    half = compute(base.with_changes("hardware", availability_pct=50.0)).key_figures
    assert half.gpu_hours_delivered == pytest.approx(1_000 * HOURS * 0.5, rel=1e-12)
    assert half.cloud_cost == pytest.approx(1_000 * HOURS * 0.5 * 2.0, rel=1e-12)
    # Capex bought for the deal: 1,000 x $40,000 plus 1 MW IT x PUE x $/MW of facility.
    hw = base.hardware
    bought = compute(base.with_changes("hardware", capex_treatment="for_deal")).schedule
    assert bought.provider_capex.sum() == pytest.approx(
        1_000 * 40_000 + 1.0 * hw.pue * hw.facility_capex_per_mw, rel=1e-12)
    assert compute(base).schedule.provider_capex.sum() == 0.0   # sunk: none spent for the deal
    assert compute(base).key_figures.gpus == 1_000


def test_the_projections_feed_the_tokens():
    base = deal()
    served = compute(base).key_figures.tokens_served
    assert served == pytest.approx(1e6 * HOURS * 3600, rel=1e-12)
    more = compute(base.with_changes("projections", demand_tokens_per_s=2e6)).key_figures
    assert more.tokens_served == pytest.approx(2e6 * HOURS * 3600, rel=1e-12)
    assert compute(base).key_figures.tokens_served == served


def test_the_market_feeds_the_delivered_value():
    base = deal()
    assert compute(base).key_figures.market_rent_per_gpu_hour == pytest.approx(2.0, rel=1e-12)
    dearer = base.with_changes("market", rents=(MarketRent(
        gpu_model="H100 SXM", rent_per_gpu_hour=3.0, quote_1_month=3.0, quote_1_year=3.0,
        quote_3_year=3.0),))
    assert compute(dearer).key_figures.market_rent_per_gpu_hour == pytest.approx(3.0, rel=1e-12)
    assert compute(base).key_figures.market_rent_per_gpu_hour == pytest.approx(2.0, rel=1e-12)


def test_the_notice_period_and_rights_feed_the_notice_schedule():
    # 90 days' notice on June 1 ends payments on August 30: June, July and
    # 29 of August's 31 days.
    assert compute(deal()).key_figures.walkaway_exposure == pytest.approx(
        100e6 * (2 + 29 / 31), rel=1e-12)
    # 31 days: June and 1 of July's 31 days.
    assert compute(deal(notice_days=31)).key_figures.walkaway_exposure == pytest.approx(
        100e6 * (1 + 1 / 31), rel=1e-12)
    # Neither may terminate: the whole contract; every row runs to term.
    bound = compute(deal(terminating_party="neither"))
    assert bound.key_figures.walkaway_exposure == pytest.approx(300e6, rel=1e-12)
    assert bound.schedule.termination_saving == pytest.approx(np.zeros(3), abs=1e-6)
    assert compute(deal()).key_figures.walkaway_exposure == pytest.approx(
        100e6 * (2 + 29 / 31), rel=1e-12)


def test_scenarios_differing_in_one_kept_input_give_different_records():
    a, b = deal(), deal(notice_days=31)
    ra, rb = records(a), records(b)
    assert ra.timeline is rb.timeline                    # the same term: shared
    assert not np.array_equal(ra.curves.paid_fraction, rb.curves.paid_fraction)
    c = a.with_changes("hardware", availability_pct=50.0)
    assert not np.array_equal(records(c).online.gpu_hours, ra.online.gpu_hours)


def test_kept_records_are_read_only():
    results = compute(deal())
    with pytest.raises(ValueError):
        results.schedule.days[0] = 1.0                   # the kept timeline's
    with pytest.raises(ValueError):
        results.schedule.gpus_by_model["H100 SXM"][0] = 0.0


def test_kept_drops_the_least_recently_used():
    kept = Kept(2)
    made = []

    def make(key):
        made.append(key)
        return np.array([key])
    kept.get(1, lambda: make(1))
    kept.get(2, lambda: make(2))
    kept.get(1, lambda: make(1))          # kept: 1 is now the most recent
    kept.get(3, lambda: make(3))          # drops 2
    kept.get(1, lambda: make(1))
    kept.get(2, lambda: make(2))
    assert made == [1, 2, 3, 2]
    assert len(kept) == 2
    assert not kept.get(3, lambda: make(3)).flags.writeable


def test_read_only_reaches_nested_records():
    record = read_only((np.zeros(2), {"a": np.ones(1)}, [np.ones(3)]))
    assert not any(a.flags.writeable for a in (record[0], record[1]["a"], record[2][0]))


def test_an_unhashable_input_is_refused_not_answered_stale():
    with pytest.raises(TypeError):
        Kept(1).get(([1],), lambda: 0)


def test_the_engine_keeps_few_records():
    for months in range(1, 20):
        compute(deal(term_months=months))
    assert len(engine._TIMELINES) <= 8 and len(engine._NOTICES) <= 8


def test_a_timeline_keeps_its_discount_factors_by_dates_and_rate():
    timeline = records(deal()).timeline
    factors = timeline.discount_factors(timeline.month_start, 0.10)
    # June 1, July 1 (30 days), August 1 (61 days) at 10% a year: 1.1 ^ (-days / 365).
    assert factors == pytest.approx([1.0, 1.1 ** (-30 / 365), 1.1 ** (-61 / 365)], rel=1e-15)
    assert timeline.discount_factors(timeline.month_start, 0.10) is factors
    assert timeline.discount_factors(timeline.month_start, 0.05)[1] == pytest.approx(
        1.05 ** (-30 / 365), rel=1e-15)
    # The last days: June 30 (29 days), July 31 (60), August 31 (91).
    assert timeline.discount_factors(timeline.last_day, 0.10) == pytest.approx(
        [1.1 ** (-29 / 365), 1.1 ** (-60 / 365), 1.1 ** (-91 / 365)], rel=1e-15)
    # Dates not the timeline's own: computed, not kept.
    other = np.array(["2026-07-01"], dtype="datetime64[D]")
    assert timeline.discount_factors(other, 0.10) == pytest.approx([1.1 ** (-30 / 365)])
    assert timeline.discount_factors(other, 0.10).flags.writeable


def test_a_rate_edit_moves_the_discounted_figures():
    # Payments in advance on June 1, July 1, August 1 at the buyer's rate.
    for rate in (10.0, 5.0, 10.0):
        npv = compute(deal(discount_rate_pct=rate)).key_figures.npv_payments
        r = rate / 100.0
        assert npv == pytest.approx(100e6 * (1 + (1 + r) ** (-30 / 365) + (1 + r) ** (-61 / 365)),
                                    rel=1e-12)


def test_each_credit_record_gives_its_own_parties():
    base = deal()
    wider = base.with_changes("credit", provider_basis="spread", provider_spread_bp=300.0,
                              provider_recovery_pct=40.0)
    assert wider.credit.party("provider") is wider.credit.party("provider")   # built once
    # The credit triangle: 300 bp / (1 - 40%) = 5% a year.
    assert compute(wider).credit.provider_default_probability == pytest.approx(
        1 - np.exp(-0.05 * 92 / 365), rel=1e-9)
    narrower = wider.with_changes("credit", provider_spread_bp=60.0)
    # 60 bp / 60% = 1% a year.
    assert compute(narrower).credit.provider_default_probability == pytest.approx(
        1 - np.exp(-0.01 * 92 / 365), rel=1e-9)
    assert narrower.credit.party("provider").spread_bp == 60.0
    assert wider.credit.party("provider").spread_bp == 300.0


def test_ratio_of_two_numbers_and_of_arrays():
    assert engine._ratio(6, 3) == 2.0 and isinstance(engine._ratio(6, 3), float)
    assert np.isnan(engine._ratio(1.0, 0)) and np.isnan(engine._ratio(1.0, -2.0))
    out = engine._ratio(np.array([6.0, 1.0, 2.0]), np.array([3.0, 0.0, -1.0]))
    assert out[0] == 2.0 and np.isnan(out[1]) and np.isnan(out[2])
