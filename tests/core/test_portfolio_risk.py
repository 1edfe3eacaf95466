"""The joint simulation of a book (core/portfolio_risk.py) against hand
computations: no risk gives the deals' own figures, a one-deal book its own
expected credit loss, two deals the variance of two Bernoulli losses,
contributions that add up to the spread, and the same result whatever the
chunk."""
from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pytest

from core.credit import DAYS_PER_YEAR
from core.engine import compute
from core.parameters import BUYER_REVENUE_NONE, CREDIT_PROBABILITY
from core.portfolio import (DEFAULT_CORRELATION_PCT, EXAMPLE_PATH, Portfolio, PortfolioDeal,
                            PortfolioFileError, portfolio_totals, read_portfolio)
from core.portfolio_risk import simulate_portfolio
from core.presets import default_scenario

FEE = 1.0e9


def _scenario(default_pct: float = 0.0, vol: float = 0.0, rate: float = 0.0, months: int = 36,
              start=dt.date(2026, 6, 1), flat_loss: bool = False):
    """The default deal with the provider's credit at `default_pct` a year
    (recovery 40%), rent volatility `vol`, the buyer's rate `rate`.
    `flat_loss`: nothing to replace (no market rents, no revenue), so that a
    provider default costs the buyer exactly the month paid in advance."""
    s = default_scenario().with_changes("contract", monthly_fee=FEE, term_months=months,
                                        start_date=start, discount_rate_pct=rate)
    s = s.with_changes("credit", provider_basis=CREDIT_PROBABILITY,
                       provider_annual_default_pct=default_pct, provider_recovery_pct=40.0,
                       provider_wrong_way_pct=0.0)
    s = s.with_changes("market", rent_vol_pct=vol)
    if flat_loss:
        s = s.with_changes("market", rents=())
        s = s.with_changes("projections", buyer_revenue_model=BUYER_REVENUE_NONE)
    return s


def _book(*deals: tuple[str, object], side: str = "buyer", rho: float = 0.0) -> Portfolio:
    return Portfolio("test", "Lab", side, tuple(PortfolioDeal(c, s, (), compute(s))
                                                for c, s in deals), rho)


def test_no_volatility_and_no_default_give_the_deterministic_total():
    # Two deals, rate 0: the PV of payments is their sum, so every percentile is
    # portfolio_totals' total commitments: 36 x $1B + 24 x $1B = $60B.
    book = _book(("A", _scenario()), ("B", _scenario(months=24, start=dt.date(2027, 1, 1))))
    risk = simulate_portfolio(book, paths=2_000, seed=5)
    total = float(portfolio_totals(book).total_commitments.sum())
    assert total == pytest.approx(60e9)
    assert risk.p5 == risk.p50 == risk.p95 == risk.mean == pytest.approx(total, abs=0.01)
    assert risk.std == 0.0 and all(c.contribution == 0.0 for c in risk.contributions)
    assert risk.default_probability == {"A": 0.0, "B": 0.0}
    assert risk.figure_label == "Buyer's total cost (PV)"


def test_one_deal_book_equals_the_deal_and_moves_later_deals_to_the_origin():
    # At 10% a year, each deal's own PV of payments (KeyFigures.npv_payments);
    # the later deal, starting 214 days after the origin (1 Jun 2026 to
    # 1 Jan 2027), discounted by 1.1 ^ -(214 / 365) more.
    a, b = _scenario(rate=10.0), _scenario(rate=10.0, start=dt.date(2027, 1, 1))
    one = simulate_portfolio(_book(("A", a)), paths=1_000)
    assert one.p50 == pytest.approx(compute(a).key_figures.npv_payments, rel=1e-12)
    both = simulate_portfolio(_book(("A", a), ("B", b)), paths=1_000)
    later = compute(b).key_figures.npv_payments * 1.1 ** (-214 / DAYS_PER_YEAR)
    assert both.contributions[1].deterministic == pytest.approx(later, rel=1e-12)
    assert both.p50 == pytest.approx(one.p50 + later, rel=1e-12)


def test_provider_backlog_without_risk_is_the_provider_npv():
    s = _scenario()
    s = s.with_changes("credit", buyer_basis=CREDIT_PROBABILITY, buyer_annual_default_pct=0.0)
    risk = simulate_portfolio(_book(("Lab", s), side="provider"), paths=1_000)
    assert risk.figure_label == "Provider's NPV"
    assert risk.p5 == risk.p95 == pytest.approx(compute(s).key_figures.provider_npv, rel=1e-12)


def test_one_deal_with_defaults_has_its_own_expected_credit_loss():
    # With the rents fixed (volatility 0) the exposure E_k is the deal's own, so
    # the mean loss over paths estimates the deal's CVA, (1 - R) sum E_k D_k
    # [S(t_k) - S(t_k+1)] (Results.credit.buyer_expected_credit_loss): within
    # 4 standard errors.  5% a year over 3 years: 14% default, so the median
    # path has none and P50 is the deal's PV of payments exactly.
    s = _scenario(default_pct=5.0, rate=10.0)
    own = compute(s)
    risk = simulate_portfolio(_book(("A", s)), paths=20_000, seed=11)
    se = risk.std / math.sqrt(risk.paths)
    expected = own.key_figures.npv_payments + own.credit.buyer_expected_credit_loss
    assert own.credit.buyer_expected_credit_loss > 0
    assert abs(risk.mean - expected) < 4 * se
    assert risk.p50 == pytest.approx(own.key_figures.npv_payments, rel=1e-12)
    p = 1 - 0.95 ** ((dt.date(2029, 6, 1) - dt.date(2026, 6, 1)).days / 365)
    assert abs(risk.default_probability["A"] - p) < 4 * math.sqrt(p * (1 - p) / risk.paths)


def test_two_identical_deals_with_independent_defaults_have_the_hand_variance():
    # Nothing to replace and rate 0: a provider default in any month costs the
    # buyer the month it paid in advance, less recovery: L = (1 - 0.4) x $1B.
    # Each deal's loss is L x Bernoulli(p), p = 1 - (1 - 20%)^T, T = 1,096 / 365
    # years (1 Jun 2026 to 1 Jun 2029).  Independent counterparties (correlation 0,
    # no wrong-way link): Var(L1 + L2) = 2 L^2 p (1 - p).
    s = _scenario(default_pct=20.0, flat_loss=True)
    assert np.all(compute(s).schedule.invoice == FEE)          # the premise: a flat invoice
    loss = 0.6 * FEE
    p = 1 - 0.8 ** (1_096 / 365)
    risk = simulate_portfolio(_book(("A", s), ("B", s), rho=0.0), paths=40_000, seed=3)
    variance = 2 * loss ** 2 * p * (1 - p)
    assert risk.std ** 2 == pytest.approx(variance, rel=0.05)
    assert risk.mean - risk.deterministic == pytest.approx(2 * loss * p, rel=0.03)
    # Under one counterparty they default together: the loss is 0 or 2L, so
    # Var = 4 L^2 p (1 - p), and each deal carries half the spread.
    same = simulate_portfolio(_book(("A", s), ("A", s)), paths=40_000, seed=3)
    one_deal_std = same.contributions[0].std
    assert same.std == pytest.approx(2 * one_deal_std, rel=1e-9)
    assert same.std ** 2 == pytest.approx(4 * loss ** 2 * p * (1 - p), rel=0.05)
    assert same.contributions[0].contribution == pytest.approx(same.std / 2, rel=1e-9)
    assert set(np.unique(same.outcomes - same.deterministic).round(-3)) <= {0.0, 2 * loss}


def test_correlated_defaults_widen_the_spread():
    # Gaussian copula with rho = 50%: P(both) > p^2, so Var(L1 + L2) =
    # 2 L^2 p (1 - p) + 2 L^2 (P(both) - p^2) exceeds the independent one.
    s = _scenario(default_pct=20.0, flat_loss=True)
    alone = simulate_portfolio(_book(("A", s), ("B", s), rho=0.0), paths=20_000, seed=8)
    joint = simulate_portfolio(_book(("A", s), ("B", s), rho=50.0), paths=20_000, seed=8)
    assert joint.std > 1.1 * alone.std
    assert joint.mean == pytest.approx(alone.mean, rel=0.01)   # the same marginal defaults


def test_contributions_add_up_to_the_spread():
    # Euler allocation: sum of cov(X_i, X) / std(X) = var(X) / std(X) = std(X).
    risk = simulate_portfolio(read_portfolio(EXAMPLE_PATH), paths=4_000, seed=2)
    assert risk.std > 0
    assert sum(c.contribution for c in risk.contributions) == pytest.approx(risk.std, rel=1e-9)
    assert sum(c.share for c in risk.contributions) == pytest.approx(1.0, rel=1e-9)
    # ... and std(X) is the outcomes' own standard deviation.
    assert risk.std == pytest.approx(float(np.std(risk.outcomes)), rel=1e-6)
    assert len(risk.contributions) == 4


def test_the_same_seed_gives_the_same_result_whatever_the_chunk():
    book = read_portfolio(EXAMPLE_PATH)
    whole = simulate_portfolio(book, paths=3_500, seed=9, chunk=10_000)
    pieces = simulate_portfolio(book, paths=3_500, seed=9, chunk=1_000)
    assert np.array_equal(whole.outcomes, pieces.outcomes)
    assert (whole.mean, whole.std, whole.p5, whole.p95) == (pieces.mean, pieces.std,
                                                            pieces.p5, pieces.p95)
    assert whole.contributions == pieces.contributions
    assert whole.default_probability == pieces.default_probability
    other = simulate_portfolio(book, paths=3_500, seed=10)
    assert other.mean != whole.mean


def test_market_volatility_moves_the_loss_not_the_riskless_figure():
    # With defaults, rent volatility changes what replacing costs on each path
    # (replaced at once: no lead time, during which only the margin is lost);
    # without, the book's cost is its payments whatever the market does.
    calm = _scenario(default_pct=0.0, vol=80.0)
    assert simulate_portfolio(_book(("A", calm)), paths=2_000).std == 0.0
    risky, fixed = (_scenario(default_pct=10.0, vol=v).with_changes(
        "market", buyer_replacement_lead_months=0) for v in (80.0, 0.0))
    moving = simulate_portfolio(_book(("A", risky)), paths=4_000, seed=4)
    still = simulate_portfolio(_book(("A", fixed)), paths=4_000, seed=4)
    assert moving.std != still.std


def test_the_correlation_is_read_from_the_file_with_a_default(tmp_path):
    document = json.loads(EXAMPLE_PATH.read_text())
    assert "default_correlation_pct" not in document
    assert read_portfolio(EXAMPLE_PATH).default_correlation_pct == DEFAULT_CORRELATION_PCT
    document["default_correlation_pct"] = 35
    path = tmp_path / "book.json"
    path.write_text(json.dumps(document))
    assert read_portfolio(path).default_correlation_pct == 35.0
    document["default_correlation_pct"] = 150
    path.write_text(json.dumps(document))
    with pytest.raises(PortfolioFileError, match="default_correlation_pct"):
        read_portfolio(path)


def test_one_deal_book_on_moving_rents_agrees_with_the_deals_own_simulation():
    # The same law as core/credit.py's single-deal simulation on core/rights.py's
    # paths (other random numbers): the mean losses agree within 4 combined
    # standard errors.  Replaced at once (no lead time) so the rents matter.
    from core.credit import simulate_credit
    s = _scenario(default_pct=10.0, vol=60.0, rate=10.0).with_changes(
        "market", buyer_replacement_lead_months=0)
    ours = simulate_portfolio(_book(("A", s)), paths=20_000, seed=1)
    theirs = simulate_credit(s, paths=20_000, seed=2)
    ours_se = ours.std / math.sqrt(ours.paths)
    assert theirs.buyer_expected_loss > 0
    assert abs(ours.expected_credit_loss - theirs.buyer_expected_loss) < 4 * math.hypot(
        ours_se, theirs.buyer_expected_loss_se)


def test_the_deals_inputs_are_kept_for_the_last_book_only():
    # Memory follows the book: after a second book, only its deals' inputs are kept,
    # and a deal in both is not prepared again (the same arrays).
    from core import portfolio_risk
    a, b, c = (_scenario(default_pct=p) for p in (1.0, 2.0, 3.0))
    simulate_portfolio(_book(("A", a), ("B", b)), paths=1_000)
    flows_b = portfolio_risk._INPUTS[id(b)][1]
    simulate_portfolio(_book(("B", b), ("C", c)), paths=1_000)
    assert set(portfolio_risk._INPUTS) == {id(b), id(c)}
    assert portfolio_risk._INPUTS[id(b)][1] is flows_b
