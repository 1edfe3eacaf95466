"""The value of each side's right to walk (core/rights.py), each against a
hand computation or a closed form."""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from core import rights
from core.engine import compute
from core.market import preset_rent
from core.parameters import PARTY_BUYER, PARTY_NEITHER, PRICING_GPU_HOUR, Tranche
from core.presets import default_scenario

START = dt.date(2026, 6, 1)
CALM = dict(rent_vol_pct=0.0, token_price_vol_pct=0.0)


def deal(term=12, price=2.0, rent=2.0, contract=None, **market):
    """1,000 H100 priced per GPU-hour, against a flat H100 market at `rent`."""
    s = default_scenario().with_changes(
        "contract", term_months=term, pricing_mode=PRICING_GPU_HOUR, price_per_gpu_hour=price,
        **(contract or {}))
    s = s.with_changes("hardware", tranches=(Tranche("H100 block", "Memphis, TN", "H100 SXM",
                                                     1_000, START),))
    return s.with_changes("market", **{"rents": (preset_rent("H100 SXM", rent),),
                                       "rent_change_pct_per_year": 0.0, **market})


def test_longstaff_schwartz_eight_path_example():
    # Longstaff and Schwartz (2001), Table 1: an American put, S0 = 1, K = 1.10, r = 6%,
    # exercise at t = 1, 2, 3, regressed on 1, S, S^2 over in-the-money paths: 0.1144.
    s = np.array([[1.09, 1.08, 1.34], [1.16, 1.26, 1.54], [1.22, 1.07, 1.03],
                  [0.93, 0.97, 0.92], [1.11, 1.56, 1.52], [0.76, 0.77, 0.90],
                  [0.92, 0.84, 1.01], [0.88, 1.22, 1.34]]).T          # dates x paths
    t = np.array([1.0, 2.0, 3.0])[:, None]
    exercise = np.maximum(1.10 - s, 0.0) * np.exp(-0.06 * t)
    rule = rights.longstaff_schwartz(exercise, s, itm=exercise > 0)
    assert rule.value.mean() == pytest.approx(0.1144, abs=5e-5)
    # The paper's stopping rule: paths 4, 6, 7, 8 at t = 1 (date 0), path 3 at t = 3 (date 2),
    # the others never (3): (0.07 e^-0.18 + (0.17 + 0.34 + 0.18 + 0.22) e^-0.06) / 8 = 0.1144.
    assert list(rule.stop) == [3, 3, 2, 0, 3, 0, 0, 0]


def test_flat_market_at_the_contract_price_gives_rights_worth_nothing():
    # Invoice = 1,000 GPUs x hours x $2.00 = the market value of the same hours, every month;
    # no premium, no lead time, no discount, no fee, no volatility: each exercise value is
    # sum (1 - paid) x df x (invoice - market) = 0.
    s = deal(buyer_replacement_premium_pct=0.0, buyer_replacement_lead_months=0,
             provider_relet_discount_pct=0.0, provider_relet_lead_months=0, **CALM)
    assert abs(compute(s).key_figures.buyer_mark_to_market) < 1e-6
    v = rights.value_rights(s, paths=2_000, seed=1)
    assert v.buyer_alone == pytest.approx(0.0, abs=1e-3)
    assert v.provider_alone == pytest.approx(0.0, abs=1e-3)


def _gain_by_hand(s, k: int, premium: float, lead: int) -> float:
    """The buyer's gain from notice on the first day of month k, from the engine's
    schedule: each month m's unpaid share (days after the notice ends / days), times
    its discount factor, times (invoice - cost), cost = (1 + premium) x market value
    from month k + lead on, else the token revenue lost; less the fee, on month k's
    first day at the buyer's rate."""
    r = compute(s)
    sch = r.schedule
    c = s.contract
    end = sch.termination_end_date[k]
    total = 0.0
    for m in range(len(sch)):
        start = sch.month_start[m]
        paid = min(1.0, max(0.0, (end - start).astype(int) / sch.days[m]))
        cost = ((1 + premium) * sch.cloud_cost[m] if m >= k + lead else sch.buyer_revenue[m])
        total += (1 - paid) * sch.discount_factor[m] * (sch.invoice[m] - cost)
    if end < sch.month_start[-1] + np.timedelta64(int(sch.days[-1]), "D"):
        days = (sch.month_start[k] - np.datetime64(c.start_date)).astype(int)
        total -= c.termination_fee_months * sch.monthly_fee[k] * (
            1 + c.discount_rate_pct / 100) ** (-days / 365)
    return total


def test_zero_volatility_value_is_the_best_notice_month_found_by_trying_each():
    # Rents fall 60% a year from $3.00 against a $2.50 contract; one month's fee, 10% premium,
    # two months to replace: early on the buyer would lose, later it gains; try every month.
    s = deal(term=18, price=2.5, rent=3.0, rent_change_pct_per_year=-60.0,
             buyer_replacement_premium_pct=10.0, buyer_replacement_lead_months=2,
             contract=dict(termination_fee_months=1.0, terminating_party=PARTY_BUYER), **CALM)
    gains = [_gain_by_hand(s, k, 0.10, 2) for k in range(18)]
    best = int(np.argmax(gains))
    assert 0 < best < 17 and gains[best] > 0          # an interior month is best
    v = rights.value_rights(s, paths=2_000, seed=3)
    assert v.buyer_alone == pytest.approx(gains[best], rel=1e-9)
    assert v.buyer_exercise_by_month[best] == 1.0


def test_one_exercise_date_on_a_lognormal_rent_is_black_76():
    # Notice only on the first day of month 7 (index 6) of a 7-month deal, 0 days' notice,
    # no fee, premium or lead: the buyer gains df x GPU-hours x (K - rent) and walks when
    # that is positive, a put on the month's rent.  kappa = 0 and one model: rent =
    # F exp(sigma W_t - sigma^2 t / 2), t = 183 / 365 (1 Jun to 1 Dec 2026).  Black-76,
    # undiscounted, F = $2.00, K = $2.20: K N(-d2) - F N(-d1).
    s = deal(term=7, price=2.2, rent=2.0, rent_vol_pct=60.0, rent_mean_reversion_per_year=0.0,
             model_rent_correlation_pct=100.0, buyer_replacement_premium_pct=0.0,
             buyer_replacement_lead_months=0, token_price_vol_pct=0.0,
             contract=dict(notice_days=0, terminating_party=PARTY_BUYER))
    allowed = np.zeros(7, bool)
    allowed[6] = True
    v = rights.value_rights(s, paths=20_000, seed=7, notice_months=allowed)
    t, sigma, f, k = 183 / 365, 0.60, 2.0, 2.2
    d1 = (math.log(f / k) + sigma ** 2 * t / 2) / (sigma * math.sqrt(t))
    d2 = d1 - sigma * math.sqrt(t)
    n = lambda x: 0.5 * (1 + math.erf(x / math.sqrt(2)))   # noqa: E731
    put = k * n(-d2) - f * n(-d1)
    sch = compute(s).schedule
    # 1,000 GPUs x 744 h in December, on 1 Dec 2026 at the buyer's 10%.
    closed = sch.discount_factor[6] * 1_000 * 744 * put
    assert sch.discount_factor[6] == pytest.approx(1.1 ** (-183 / 365))
    assert abs(v.buyer_alone - closed) < 3 * v.buyer_alone_se
    assert v.buyer_alone_se < 0.02 * closed


def test_a_rent_far_below_the_fee_makes_the_buyer_walk_in_month_1_on_every_path():
    # $7.78 a GPU-hour against a market of $0.05 with 40% volatility: walking at once saves
    # about $7.7 an hour on every path, more than any later month.
    s = deal(term=24, price=7.78, rent=0.05, buyer_replacement_lead_months=0)
    v = rights.value_rights(s, paths=4_000, seed=11)
    assert v.buyer_exercise_by_month[0] == 1.0
    assert v.provider_exercise_probability == 0.0


def test_a_side_with_no_right_has_a_right_worth_nothing():
    # The provider would walk (the market is at $5 against $2) but may not.
    s = deal(price=2.0, rent=5.0, contract=dict(terminating_party=PARTY_BUYER))
    v = rights.value_rights(s, paths=2_000, seed=5)
    assert v.provider_alone == 0.0 and v.provider_exercise_probability == 0.0
    mutual = rights.value_rights(deal(price=2.0, rent=5.0), paths=2_000, seed=5)
    assert mutual.provider_alone > 0 and mutual.provider_exercise_probability > 0.5


def test_the_same_seed_gives_the_same_values_chunked_or_not():
    s = default_scenario()
    one = rights.value_rights(s, paths=5_000, seed=42, chunk_blocks=1)
    whole = rights.value_rights(s, paths=5_000, seed=42, chunk_blocks=10)
    assert one.key_figures() == whole.key_figures()
    assert np.array_equal(one.buyer_exercise_by_month, whole.buyer_exercise_by_month)
    other = rights.value_rights(s, paths=5_000, seed=43)
    assert other.buyer_alone != one.buyer_alone


def test_the_box_muller_normals_are_standard_normal():
    # 400,000 draws: the sample mean's standard error is 1/sqrt(n) = 0.0016, the
    # variance's sqrt(2/n) = 0.0022, the fourth moment's sqrt(96/n) = 0.015 (E z^4 = 3,
    # Var z^4 = 105 - 9); P(|z| > 1.96) = 5% with error sqrt(0.05 x 0.95 / n) = 0.00034.
    z = rights._standard_normals(np.random.SeedSequence(1), 400_001).astype(float)
    assert z.size == 400_001
    assert abs(z.mean()) < 4 * 0.0016
    assert abs(z.var() - 1.0) < 4 * 0.0022
    assert abs((z ** 4).mean() - 3.0) < 4 * 0.015
    assert abs((np.abs(z) > 1.96).mean() - 0.05) < 4 * 0.00034
    # A block's second half is its first half negated (antithetic), whatever the chunking.
    two = rights.block_normals([np.random.SeedSequence(2)], [7], (3,))
    assert np.array_equal(two[:, 4:], -two[:, :3])


def test_expected_contract_value_on_the_simulated_rights():
    # The buyer walks in month 1 on every path (the test above): what it pays is June and
    # July in full and August until the notice ends (1 Jun + 90 days = 30 Aug: 29 of 31
    # days), plus the termination fee (2 months of the $7.78 x 1,000 x 720 h fee).
    s = deal(term=24, price=7.78, rent=0.05, buyer_replacement_lead_months=0,
             contract=dict(termination_fee_months=2.0))
    v = rights.value_rights(s, paths=2_000, seed=11)
    assert v.buyer_exercise_by_month[0] == 1.0
    june, july, august = 7.78 * 1_000 * 720, 7.78 * 1_000 * 744, 7.78 * 1_000 * 744
    fee = 2 * june
    assert v.expected_contract_value == pytest.approx(june + july + august * 29 / 31 + fee,
                                                      rel=1e-9)
    assert v.key_figures()["expected_contract_value_rights"] == v.expected_contract_value
    # Nobody may walk: every path pays the whole term, the total contract value.
    bound = deal(term=24, price=7.78, rent=0.05, contract=dict(terminating_party=PARTY_NEITHER))
    total = compute(bound).key_figures.total_contract_value
    assert rights.value_rights(bound, paths=2_000, seed=11).expected_contract_value == \
        pytest.approx(total, rel=1e-12)
