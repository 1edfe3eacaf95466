"""Counterparty credit (core/credit.py): hazards, the CVA against its closed
form, guarantors, exposures of the reference deal, and the scenario file."""
from __future__ import annotations

import dataclasses
import json
import math
from types import SimpleNamespace

import numpy as np
import pytest

from core import credit
from core.credit import (PRESETS, cva_continuous, cva_discrete, default_probability,
                         expected_loss, hazard, hazard_from_probability, hazard_from_spread)
from core.engine import compute
from core.parameters import (CREDIT_PROBABILITY, CREDIT_RATING, Credit, PartyCredit, Scenario)
from core.presets import default_scenario
from core.scenario_file import dumps, encode_document, loads, ScenarioSet


def closed_form(E, h, r, R, T):
    """MARKET.md §3: (1 - R) E h / (r + h) (1 - exp(-(r + h) T))."""
    return (1 - R) * E * h / (r + h) * (1 - math.exp(-(r + h) * T))


E, H, RATE, REC, T = 2.0e9, 0.05, 0.08, 0.40, 3.0


def test_monthly_exact_form_equals_the_closed_form_to_1e_9():
    # Exposure, hazard and continuous rate constant: integrating each month
    # exactly (cva_continuous) sums to the closed form on a monthly grid.
    bounds = np.linspace(0.0, T, 37)
    d = np.exp(-RATE * bounds)
    got = cva_continuous(np.full(36, E), d[:-1], d[1:], bounds, H, 100 * REC)
    assert got == pytest.approx(closed_form(E, H, RATE, REC, T), rel=1e-9)


def test_discrete_monthly_form_tends_to_the_closed_form_on_a_fine_grid():
    # The discrete form sum E D(t_k) [S(t_k) - S(t_k+1)] errs by O(dt): with
    # 36 months it is within 0.5%, with a million steps within 1e-6 (the
    # first-order error is r dt / 2 relative = 1.2e-7 here).
    target = closed_form(E, H, RATE, REC, T)
    for steps, tol in ((36, 5e-3), (1_000_000, 1e-6)):
        bounds = np.linspace(0.0, T, steps + 1)
        got = cva_discrete(np.full(steps, E), np.exp(-RATE * bounds[:-1]), bounds, H, 100 * REC)
        assert got == pytest.approx(target, rel=tol)
    # And the first-order error is what it should be: per step the ratio of
    # D(t)[S(t) - S(t + dt)] to the exact integral is
    # (1 - e^-h dt) / (h dt) x (r + h) dt / (1 - e^-(r+h) dt) ~ 1 + r dt / 2
    # (D at the step's start overstates; a wrong D or S would not match).
    bounds = np.linspace(0.0, T, 37)
    got = cva_discrete(np.full(36, E), np.exp(-RATE * bounds[:-1]), bounds, H, 100 * REC)
    assert got / target - 1 == pytest.approx(RATE * (T / 36) / 2, rel=0.01)


def test_zero_hazard_gives_zero_loss():
    party = dataclasses.replace(PRESETS["Oracle"], spread_bp=0.0)
    bounds = np.linspace(0, 3, 37)
    assert expected_loss(party, np.full(36, E), np.ones(36), bounds) == 0.0


def test_a_share_guaranteed_by_a_zero_hazard_guarantor_loses_nothing():
    bounds = np.linspace(0, 3, 37)
    ex, d = np.full(36, E), np.exp(-RATE * bounds[:-1])
    alone = expected_loss(PRESETS["CoreWeave"], ex, d, bounds)
    backed = dataclasses.replace(PRESETS["CoreWeave"], guarantor_name="Google",
                                 guaranteed_pct=60.0, guarantor_spread_bp=0.0)
    assert alone > 0
    # Only the unguaranteed 40% keeps its loss.
    assert expected_loss(backed, ex, d, bounds) == pytest.approx(0.4 * alone, rel=1e-12)
    # A guarantor without a name is no guarantor.
    nameless = dataclasses.replace(backed, guarantor_name=" ")
    assert expected_loss(nameless, ex, d, bounds) == pytest.approx(alone, rel=1e-12)


def test_139_bp_at_40_percent_recovery_is_6_7_percent_over_3_years():
    h = hazard(PRESETS["Oracle"])
    assert h == pytest.approx(0.0139 / 0.6, rel=1e-12)
    # MARKET.md §3: h = 2.3% a year, 6.7% over 3 years; 643 bp -> 10.7%, 27.5%.
    assert round(100 * default_probability(h, 3.0), 1) == 6.7
    h_cw = hazard(PRESETS["CoreWeave"])
    assert round(100 * h_cw, 1) == 10.7 and round(100 * default_probability(h_cw, 3.0), 1) == 27.5


def test_probability_and_rating_bases():
    assert hazard_from_probability(10.0) == pytest.approx(-math.log(0.9))
    p = PartyCredit(basis=CREDIT_PROBABILITY, annual_default_pct=2.0)
    assert default_probability(hazard(p), 1.0) == pytest.approx(0.02, rel=1e-12)
    bb = PartyCredit(basis=CREDIT_RATING, rating="BB")
    assert default_probability(hazard(bb), 1.0) == pytest.approx(
        credit.RATING_DEFAULT_PCT["BB"] / 100, rel=1e-12)
    assert hazard_from_spread(600, 50) == pytest.approx(0.12)


def test_simulated_default_frequency_by_year_matches_1_minus_exp_minus_h_t():
    # Default times drawn as credit.default_times does; by year 1..5 the share
    # defaulted is 1 - exp(-h t) within three standard errors.
    h, paths = 0.107, 200_000
    u = np.random.default_rng(7).standard_normal(paths)
    tau = credit.default_times(u, h)
    for t in (1, 2, 3, 4, 5):
        p = 1 - math.exp(-h * t)
        se = math.sqrt(p * (1 - p) / paths)
        assert abs(np.mean(tau <= t) - p) < 3 * se


# --- the deal -------------------------------------------------------------------------------

def test_reference_deal_exposures_by_hand():
    s = default_scenario()
    r = compute(s)
    sch, kf, cf = r.schedule, r.key_figures, r.credit
    by_month = SimpleNamespace(**r.credit_by_month)
    inv = sch.invoice
    # The last month: a provider default costs the buyer the month it prepaid
    # (advance), nothing after the term; the provider loses nothing (paid in advance).
    assert s.contract.payment_timing == "advance"
    assert by_month.buyer_credit_exposure[-1] == pytest.approx(inv[-1])
    assert by_month.provider_credit_exposure[-1] == 0.0
    # Mid-term, the provider's loss is the 90 days' invoices the buyer would
    # have paid walking from the next month, re-letting only after 3 months'
    # lead (so none), discounted to the month's start at the WACC: 90 days of
    # 28-31-day months is 2.90-3.2 months of invoices, paid 1-3 months on at
    # 9% a year (x 0.978-0.993).
    k = 12
    assert 2.84 * inv[k] < by_month.provider_credit_exposure[k] < 3.18 * inv[k]
    days = sch.days[k + 1:k + 4]
    paid = np.clip((90 - np.concatenate([[0], np.cumsum(days)[:-1]])) / days, 0, 1)
    df = 1.09 ** (-np.cumsum(np.concatenate([[sch.days[k]], days[:-1]])) / 365)
    assert by_month.provider_credit_exposure[k] == pytest.approx(float(np.sum(paid * inv[k + 1:k + 4]
                                                                         * df)), rel=1e-9)
    # The credit-adjusted NPVs take the expected losses off.
    assert cf.credit_adjusted_buyer_npv == pytest.approx(kf.buyer_npv
                                                         - cf.buyer_expected_credit_loss)
    assert cf.credit_adjusted_provider_npv == pytest.approx(
        kf.provider_npv - cf.provider_expected_credit_loss)
    assert cf.buyer_expected_credit_loss == pytest.approx(
        by_month.buyer_expected_credit_loss_by_month.sum())
    # SpaceX at 140 bp / 40%: 1 - exp(-0.014 / 0.6 x term in years).
    assert cf.provider_default_probability == pytest.approx(
        (1 - math.exp(-0.014 / 0.6 * sch.days.sum() / 365.0)), rel=1e-9)


def test_a_guarantor_for_the_whole_provider_at_zero_hazard_removes_the_buyers_loss():
    s = default_scenario()
    backed = s.with_changes("credit", provider_guarantor_name="Google", provider_guaranteed_pct=100.0,
                            provider_guarantor_spread_bp=0.0)
    assert compute(s).credit.buyer_expected_credit_loss > 0
    assert compute(backed).credit.buyer_expected_credit_loss == 0.0


def test_a_preset_sets_every_field_of_one_side():
    c = Credit().with_party("provider", PRESETS["CoreWeave"])
    assert c.party("provider") == PRESETS["CoreWeave"]
    assert c.party("buyer") == Credit().party("buyer")


# --- the scenario file ----------------------------------------------------------------------

def test_a_format_4_file_without_credit_loads_with_the_defaults():
    s = dataclasses.replace(default_scenario(), credit=Credit().with_party(
        "provider", PRESETS["Oracle"]))
    doc = encode_document(ScenarioSet((s,), 0))
    back = loads(json.dumps(doc)).current
    assert back.credit.party("provider") == PRESETS["Oracle"]          # written and read back
    del doc["scenarios"][0]["credit"]
    old = loads(json.dumps(doc)).current
    assert old.credit == Credit()
    assert old.market == s.market


def test_a_format_3_file_migrates_to_the_default_credit():
    s = Scenario()
    doc = json.loads(dumps(ScenarioSet((s,), 0)))
    doc["version"] = 3
    for sc in doc["scenarios"]:
        del sc["market"], sc["credit"]
        sc["projections"]["cloud_rate_per_h100_hour"] = 2.5
    assert loads(json.dumps(doc)).current.credit == Credit()


def test_a_bad_credit_field_is_refused_naming_it():
    doc = json.loads(dumps(ScenarioSet((Scenario(),), 0)))
    doc["scenarios"][0]["credit"]["buyer_recovery_pct"] = 120
    with pytest.raises(Exception) as caught:
        loads(json.dumps(doc))
    assert "credit.buyer_recovery_pct" in str(caught.value)


# --- on the rights' simulated market paths --------------------------------------------------

def test_simulated_loss_equals_the_analytic_one_without_wrong_way_risk():
    # Zero correlation: the mean loss over paths (a default time per path)
    # equals (1 - R) sum EE(t) D(t) [S(t-1) - S(t)] with EE the paths' mean
    # exposure, within 3 standard errors.  Hazards raised so that enough
    # paths default for a tight test.
    s = default_scenario()
    s = dataclasses.replace(s, credit=Credit().with_party("provider", PRESETS["CoreWeave"])
                            .with_party("buyer", dataclasses.replace(PRESETS["CoreWeave"],
                                                                     spread_bp=1500.0)))
    sim = credit.simulate_credit(s, paths=6_000, seed=11)
    for got, se, want in ((sim.buyer_expected_loss, sim.buyer_expected_loss_se,
                           sim.buyer_analytic_loss),
                          (sim.provider_expected_loss, sim.provider_expected_loss_se,
                           sim.provider_analytic_loss)):
        assert want > 0 and se > 0
        assert abs(got - want) < 3 * se
    # The provider's exposure does not move with the market here (no re-letting
    # inside the buyer's 90 days): its analytic loss is the engine's (to the
    # float32 precision the paths are kept in).
    assert sim.provider_analytic_loss == pytest.approx(
        compute(s).credit.provider_expected_credit_loss, rel=1e-6)


def test_the_correlation_moves_the_loss_with_the_market():
    # The buyer's loss from a provider default is the replacement (no lead
    # time, a 300% premium): dearer when rents are high, so a provider failing
    # when rents fall lowers it and a negative correlation (failing when rents
    # rise) raises it; the same seed either way.
    s = dataclasses.replace(default_scenario(), credit=Credit().with_party(
        "provider", PRESETS["CoreWeave"]))
    s = s.with_changes("market", buyer_replacement_lead_months=0,
                       buyer_replacement_premium_pct=300.0)
    base = credit.simulate_credit(s, paths=4_000, seed=5)
    up = credit.simulate_credit(s.with_changes("credit", provider_wrong_way_pct=-90.0),
                                paths=4_000, seed=5)
    assert up.buyer_expected_loss > base.buyer_expected_loss + 3 * base.buyer_expected_loss_se


def test_the_board_pack_finding_names_the_figures_with_their_source():
    s = default_scenario()
    title, sentences = credit.finding(compute(s))
    assert title.startswith("A provider default would cost the buyer $")
    assert "; expected loss $" in title
    text = " ".join(sentences)
    assert "[R] Jun 2026" in text and "140 bp" in text and "[E]" in text
    # The buyer's BB proxy: the rating table's rate with its label, source and date.
    assert (f"rating BB (0.55% a year, {credit.RATING_LABEL} {credit.RATING_SOURCE}, "
            f"{credit.RATING_DATE})") in text
    backed = s.with_changes("credit", provider_guarantor_name="Google",
                            provider_guaranteed_pct=50.0)
    assert "Google guarantees 50%" in " ".join(credit.finding(compute(backed))[1])


def test_the_board_pack_credit_section_tells_each_sides_story():
    """The reference deal: a provider default would cost the buyer up to its peak
    exposure, a buyer default the provider up to its own; each side's pack has its
    own title, loss sentence and exposure curve, the 'both' pack has the two."""
    from core.engine import compute
    from core.export.pack import PackInputs, _credit
    results = compute(default_scenario())
    k = results.credit
    buyer = _credit(PackInputs(results, "buyer"))[0]
    provider = _credit(PackInputs(results, "provider"))[0]
    both = _credit(PackInputs(results, "both"))[0]
    assert buyer.title.startswith("A provider default would cost the buyer ")
    assert provider.title.startswith("A buyer default would cost the provider ")
    assert [s.name for s in buyer.charts[0].series] == ["Buyer's exposure to the provider"]
    assert [s.name for s in provider.charts[0].series] == ["Provider's exposure to the buyer"]
    assert len(both.charts[0].series) == 2
    assert not any("would cost the provider" in s for s in buyer.sentences)
    assert not any("would cost the buyer" in s for s in provider.sentences)
    # The curves are the monthly exposures, their peaks the peak exposures.
    assert max(provider.charts[0].series[0].values) == k.provider_peak_credit_exposure
    assert max(buyer.charts[0].series[0].values) == k.buyer_peak_credit_exposure


def test_exposure_in_each_paths_default_month_is_that_entry_of_the_full_profile():
    # credit.buyer_exposure / provider_exposure with `at` (the portfolio's joint
    # simulation) read row at[p] of column p of the months x paths profile.
    from core.engine import credit_flows
    for party in ("either", "buyer"):
        s = default_scenario().with_changes("contract", term_months=48,
                                            terminating_party=party)
        s = s.with_changes("market", buyer_replacement_lead_months=2)
        flows = credit_flows(s)
        rng = np.random.default_rng(4)
        mv = flows.market_value[:, None] * rng.lognormal(0.0, 0.5, (48, 300))
        at = rng.integers(0, 48, 300)
        cols = np.arange(300)
        full_b = credit.buyer_exposure(flows, s.market, mv)
        full_p = credit.provider_exposure(flows, s.market, mv)
        assert credit.buyer_exposure(flows, s.market, mv, at=at) == pytest.approx(
            full_b[at, cols], rel=1e-12, abs=1e-3)
        assert credit.provider_exposure(flows, s.market, mv, at=at) == pytest.approx(
            full_p[at, cols], rel=1e-12, abs=1e-3)
        # ... and with the forward's market value (one column, the same on every path)
        assert credit.buyer_exposure(flows, s.market, at=at) == pytest.approx(
            credit.buyer_exposure(flows, s.market)[at, 0], rel=1e-12, abs=1e-3)


def test_default_months_from_thresholds_equal_the_default_times_months():
    # tau < t exactly when z < Phi^-1(1 - exp(-h t)): the same month as
    # month_of(default_times(z, h)) for every draw.
    z = np.random.default_rng(1).standard_normal(50_000)
    bounds = np.arange(0, 121) / 12 + 0.3
    for h in (0.0, 0.02, 0.5, 5.0):
        assert np.array_equal(credit.default_months(z, h, bounds),
                              credit.month_of(credit.default_times(z, h), bounds))
