"""Counterparty credit: each party's chance of default, what the other side
loses if it does (exposure profiles), and the expected loss (a CVA) that
credit-adjusts each side's NPV (MARKET.md §3).

Hazard rates, constant over the term:

- a spread s and recovery R (the credit triangle): h = s / (1 - R);
- an annual default probability p: h = -ln(1 - p);
- a rating: p from RATING_DEFAULT_PCT (a generic one-year curve, source
  below), then h = -ln(1 - p).

Survival to t years S(t) = exp(-h t); the chance of default by t is 1 - S(t).

A default in month k (0-based) is taken to happen during that month.  The
side that does not default loses (its exposure E_k, in money of month k's
first day; D: discount factors from the start):

- the buyer, if the provider fails: the deposit still held, the month's
  invoice if paid in advance (a prepayment for service not delivered), and
  replacing the capacity from month k + 1 over the months the provider would
  have had to serve anyway (its notice, if it may walk; else the rest of the
  term): sum over those months m of D_m / D_k x (cost_m - invoice_m), where
  cost_m is the token margin lost while the capacity is replaced (revenue
  lost, m < k + 1 + lead) and then the replacement, (1 + premium) x the
  market value of the month's GPU-hours (core/market.py's replacement
  model), floored at 0 as a whole;
- the provider, if the buyer fails: the month's invoice if paid in arrears
  (service delivered, not paid), and from month k + 1 the invoices it would
  have had until the buyer could have walked (its notice and termination
  fee; else the rest of the term) less re-letting (the better of the market
  value x (1 - re-let discount) and the own-use value, after the re-let lead
  time), less the deposit it holds, floored at 0.

Expected loss (unilateral CVA), discrete monthly form, month k spanning
[t_k, t_k+1) in years:

    CVA = (1 - R) sum_k E_k D(t_k) [S(t_k) - S(t_k+1)]

With a guarantor, the guaranteed share g of the exposure takes the
guarantor's hazard and recovery (substitution, as Basel's guarantee
treatment: the loss on that share needs the guarantor to fail), the rest
the party's own: CVA = (1 - g) CVA(h, R) + g CVA(h_g, R_g).  A joint-default
(both fail) reading would be smaller still; substitution is the prudent and
usual choice.

Closed form for tests (constant E, h, rate r, horizon T):
CVA = (1 - R) E h / (r + h) (1 - exp(-(r + h) T)).  `cva_continuous` is the
same sum with each month integrated exactly (D and S exponential within the
month): it equals the closed form to rounding on any grid.
"""
from __future__ import annotations

import dataclasses

import math
import weakref
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

import numpy as np

from core.parameters import (CREDIT_PROBABILITY, CREDIT_RATING, CREDIT_SPREAD, Credit,
                             PartyCredit)
# The generic one-year default rates by rating, with their label, date and
# source, are declared with the rating field (core/parameters.py).
from core.parameters import RATING_DATE as RATING_DATE
from core.parameters import RATING_DEFAULT_PCT as RATING_DEFAULT_PCT
from core.parameters import RATING_LABEL as RATING_LABEL
from core.parameters import RATING_SOURCE as RATING_SOURCE

DAYS_PER_YEAR = 365.0

# --- hazard rates --------------------------------------------------------------------------

def hazard_from_spread(spread_bp: float, recovery_pct: float) -> float:
    """The credit triangle: h = s / (1 - R), s in bp a year, R in %."""
    return spread_bp / 1e4 / (1.0 - recovery_pct / 100.0)


def hazard_from_probability(annual_pct: float) -> float:
    """h = -ln(1 - p): the constant hazard with that chance of default in a year."""
    return -math.log1p(-annual_pct / 100.0)


def hazard_from_rating(rating: str) -> float:
    """h = -ln(1 - p), p the rating's generic one-year default rate (RATING_DEFAULT_PCT)."""
    return hazard_from_probability(RATING_DEFAULT_PCT[rating])


def hazard(party: PartyCredit) -> float:
    """The party's own hazard rate (a year), by its basis."""
    if party.basis == CREDIT_SPREAD:
        return hazard_from_spread(party.spread_bp, party.recovery_pct)
    if party.basis == CREDIT_PROBABILITY:
        return hazard_from_probability(party.annual_default_pct)
    return hazard_from_rating(party.rating)


def guarantor_hazard(party: PartyCredit) -> float:
    """h_g = guarantor's spread / (1 - its recovery)."""
    return hazard_from_spread(party.guarantor_spread_bp, party.guarantor_recovery_pct)


def survival(h: float, years) -> np.ndarray:
    """S(t) = exp(-h t)."""
    return np.exp(-h * np.asarray(years, float))


def default_probability(h: float, years: float) -> float:
    """1 - exp(-h t): the chance of default by t years."""
    return float(-np.expm1(-h * years))


def describe(party: PartyCredit) -> str:
    """One line: the basis, the hazard and where the figure comes from."""
    h = hazard(party)
    if party.basis == CREDIT_SPREAD:
        what = f"{party.spread_bp:,.0f} bp spread, {party.recovery_pct:g}% recovery"
    elif party.basis == CREDIT_PROBABILITY:
        what = f"{party.annual_default_pct:g}% a year default probability"
    else:
        what = (f"rating {party.rating} ({RATING_DEFAULT_PCT[party.rating]:g}% a year, "
                f"{RATING_LABEL} {RATING_SOURCE}, {RATING_DATE})")
    where = " ".join(x for x in (party.label, party.as_of, party.source) if x)
    return f"{party.name or 'unnamed'}: {what}; hazard {h:.2%} a year ({where})"


# --- presets (MARKET.md §3) ----------------------------------------------------------------

PRESETS: dict[str, PartyCredit] = {
    "Oracle": PartyCredit(
        name="Oracle", basis=CREDIT_SPREAD, spread_bp=139.0, recovery_pct=40.0, label="[R]",
        as_of="11 Dec 2025", source="5-year CDS, intraday high (from 36 bp in Jun 2025); "
                                    "Baa2/BBB/BBB negative outlook"),
    "CoreWeave": PartyCredit(
        name="CoreWeave", basis=CREDIT_SPREAD, spread_bp=643.0, recovery_pct=40.0, label="[R]",
        as_of="early Dec 2025", source="5-year CDS (from 368 bp on 6 Oct 2025); Moody's Ba3, "
                                       "Fitch BB-"),
    "SpaceX": PartyCredit(
        name="SpaceX (with xAI)", basis=CREDIT_SPREAD, spread_bp=140.0, recovery_pct=40.0,
        label="[R]", as_of="Jun 2026",
        source="BBB senior unsecured bonds, the 2036s about 140 bp over Treasuries ($25B at "
               "5.35-6.65%)"),
    "Private AI lab": PartyCredit(
        name="Anthropic (proxy)", basis=CREDIT_RATING, rating="BB", recovery_pct=40.0,
        label="[E]", as_of=RATING_DATE,
        source=Credit().buyer_source),
}


def preset(name: str) -> PartyCredit:
    """A preset party (editable once in the scenario: Credit.with_party)."""
    return PRESETS[name]


# A public deal's party opened as a scenario (core/deals.py): a preset where
# MARKET.md §3 reports the party's credit; for a few issuers MARKET.md does not
# cover, their widely reported long-term rating, marked [E]; anyone else the
# private-company proxy (BB), as MARKET.md §3 advises for names with no CDS or rating.
_PARTY_PRESETS = (("oracle", "Oracle"), ("coreweave", "CoreWeave"), ("spacex", "SpaceX"),
                  ("xai", "SpaceX"))
_ISSUER_RATINGS = (("microsoft", "AAA", "S&P AAA"), ("google", "AA", "Alphabet, S&P AA+"),
                   ("alphabet", "AA", "Alphabet, S&P AA+"), ("meta", "AA", "Meta, S&P AA-"),
                   ("amazon", "AA", "Amazon, S&P AA"), ("aws", "AA", "Amazon, S&P AA"))


def guaranteed(party: PartyCredit, guarantor: str, share_pct: float) -> PartyCredit:
    """`party` with `share_pct` of what it owes guaranteed by `guarantor`, whose
    spread is derived from its own credit (party_credit): h (1 - R), [D]."""
    backer, _ = party_credit(guarantor)
    h = hazard(backer)
    return dataclasses.replace(
        party, guarantor_name=guarantor[:80], guaranteed_pct=share_pct,
        guarantor_spread_bp=round(h * (1.0 - backer.recovery_pct / 100.0) * 1e4, 2),
        guarantor_recovery_pct=backer.recovery_pct)


def party_credit(name: str) -> tuple[PartyCredit, str]:
    """The credit a named party takes when a public deal is opened, and the
    sentence that says where it comes from (for the deal's assumptions)."""
    words = name.lower()
    for key, preset_name in _PARTY_PRESETS:
        if key in words:
            party = dataclasses.replace(PRESETS[preset_name], name=name[:80])
            return party, f"{name}'s credit: {describe(party)}"
    for key, rating, reported in _ISSUER_RATINGS:
        if key in words:
            party = PartyCredit(
                name=name[:80], basis=CREDIT_RATING, rating=rating, recovery_pct=40.0,
                label="[E]", as_of=RATING_DATE,
                source=f"the issuer's long-term rating as widely reported ({reported}), not in "
                       f"MARKET.md: rating {rating}'s generic one-year default rate")
            return party, f"{name}'s credit: rating {rating} [E] ({reported}; not in MARKET.md)"
    party = dataclasses.replace(PRESETS["Private AI lab"], name=f"{name} (proxy)"[:80])
    return party, (f"{name}'s credit: no public CDS or rating (MARKET.md \u00a73), the "
                   f"private-company proxy, rating BB [E]")


# --- expected loss -------------------------------------------------------------------------

def cva_discrete(exposure, discount, bounds, h: float, recovery_pct: float) -> float:
    """(1 - R) sum_k E_k D_k [S(t_k) - S(t_k+1)]; `bounds`: the n + 1 period
    boundaries in years, `exposure` and `discount` one per period (at its start)."""
    s = survival(h, bounds)
    return float((1.0 - recovery_pct / 100.0)
                 * np.sum(np.asarray(exposure, float) * np.asarray(discount, float)
                          * (s[:-1] - s[1:])))


def cva_continuous(exposure, discount_start, discount_end, bounds, h: float,
                   recovery_pct: float) -> float:
    """The same sum with each period integrated exactly: exposure constant in
    the period, D and S exponential within it (r_k = ln(D_k / D_k+1) / dt):
    (1 - R) sum_k E_k D_k S(t_k) h / (r_k + h) (1 - exp(-(r_k + h) dt))."""
    t = np.asarray(bounds, float)
    dt = np.diff(t)
    d0, d1 = np.asarray(discount_start, float), np.asarray(discount_end, float)
    r = np.log(d0 / d1) / dt
    a = (r + h) * dt
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(a > 1e-300, h * dt * (-np.expm1(-a)) / np.where(a > 1e-300, a, 1.0),
                         h * dt)   # (h / (r + h)) (1 - e^-a), and its limit h dt as a -> 0
    return float((1.0 - recovery_pct / 100.0)
                 * np.sum(np.asarray(exposure, float) * d0 * survival(h, t[:-1]) * share))


def loss_weights(party: PartyCredit, discount, bounds) -> np.ndarray:
    """w_k with the expected loss = sum_k E_k w_k: (1 - R) D_k [S(t_k) - S(t_k+1)]
    at the party's hazard, the guaranteed share g at the guarantor's
    (substitution): (1 - g) w(h, R) + g w(h_g, R_g)."""
    def weights(h: float, recovery_pct: float) -> np.ndarray:
        s = survival(h, bounds)
        return (1.0 - recovery_pct / 100.0) * np.asarray(discount, float) * (s[:-1] - s[1:])
    g = party.guaranteed_pct / 100.0 if party.guarantor_name.strip() else 0.0
    own = weights(hazard(party), party.recovery_pct)
    if g == 0.0:
        return own
    return (1.0 - g) * own + g * weights(guarantor_hazard(party), party.guarantor_recovery_pct)


def expected_loss(party: PartyCredit, exposure, discount, bounds) -> float:
    """The loss expected from `party`'s default (discrete form): sum_k E_k w_k."""
    return float(np.sum(np.asarray(exposure, float) * loss_weights(party, discount, bounds)))


# --- exposure profiles ---------------------------------------------------------------------

def windows(paid: np.ndarray, may_walk: bool) -> np.ndarray:
    """W[k, m]: the share of month m the defaulting party would have had to
    honour after a default in month k: months from k + 1, in the share a
    notice given on month k + 1's first day pays (`paid`, core/termination.py)
    if it may walk, else whole to the term's end."""
    n = paid.shape[0]
    w = np.zeros((n, n))
    later = np.triu(np.ones((n, n)), 1)          # m > k
    if n > 1:
        w[:-1] = (paid[1:] if may_walk else 1.0) * later[:-1]
    return w


_OWED: dict[tuple[int, bool, int], tuple[weakref.ref, tuple[np.ndarray, np.ndarray]]] = {}


def owed(paid: np.ndarray, may_walk: bool, lead: int) -> tuple[np.ndarray, np.ndarray]:
    """split_at_lead(windows(paid, may_walk), lead), kept while the `paid`
    array lives (a weak reference: nothing is kept for a deal computed once):
    a simulation in chunks asks for each deal's once a chunk.  Read only."""
    key = (id(paid), bool(may_walk), int(lead))
    kept = _OWED.get(key)
    if kept is not None and kept[0]() is paid:
        return kept[1]
    split = split_at_lead(windows(paid, may_walk), lead)

    def forget(_gone: weakref.ref) -> None:
        _OWED.pop(key, None)
    _OWED[key] = (weakref.ref(paid, forget), split)
    return split


def split_at_lead(w: np.ndarray, lead: int) -> tuple[np.ndarray, np.ndarray]:
    """W in two: months before k + 1 + lead (waiting) and from it on."""
    n = w.shape[0]
    k = np.arange(n)[:, None]
    m = np.arange(n)[None, :]
    waiting = m < k + 1 + lead
    return w * waiting, w * ~waiting


@dataclass(frozen=True)
class DealFlows:
    """The deal's monthly figures the exposures need (one entry a month)."""
    invoice: np.ndarray
    revenue: np.ndarray             # the buyer's token revenue (0 when not modelled)
    market_value: np.ndarray        # delivered GPU-hours x forward rents ($)
    gpu_hours: np.ndarray           # delivered, all models
    df_buyer: np.ndarray            # on the payment dates
    df_provider: np.ndarray
    start_df_buyer: np.ndarray      # on each month's first day
    start_df_provider: np.ndarray
    paid: np.ndarray                # (months, months) core/termination.py's paid shares
    fee_if_early: np.ndarray        # the buyer's termination fee for notice in month k ($)
    deposit_held: np.ndarray        # deposit the provider holds during month k ($)
    advance: bool
    buyer_may_walk: bool
    provider_may_walk: bool
    years: np.ndarray               # n + 1 month boundaries, years from the start


def _windowed(w: np.ndarray, x: np.ndarray, at: np.ndarray | None) -> np.ndarray:
    """W @ X (months x paths); with `at`, only row at[p] of column p, one value
    a path: the exposure in the month each path's default falls in, without
    the months x months x paths product (core/portfolio_risk.py)."""
    if at is None:
        return w @ x
    if x.shape[1] == 1:                              # the same on every path: W x once
        return np.einsum("km,m->k", w, x[:, 0])[at]
    # einsum, not BLAS: a threaded product waits on busy cores (core/rights.py's regress).
    return np.einsum("pm,mp->p", w[at], x)


def _in_month(values: np.ndarray, at: np.ndarray | None) -> np.ndarray:
    """A monthly series as a months x 1 column, or with `at` its value in month at[p]."""
    return values[:, None] if at is None else values[at]


def buyer_exposure_parts(flows: DealFlows, credit_market, market_value=None, token_factor=None,
                         at: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The buyer's exposure in its parts (months x paths), each in money of
    month k's first day: `replacing` (the token margin lost over the lead
    time, then the dearer replacement, over the months the provider owed;
    floored at 0), `deposit_held` and `prepaid` (the month's invoice if paid
    in advance).  `credit_market`: the scenario's Market (premium, lead time).
    `market_value` / `token_factor`: months x paths on simulated paths (the
    forward's and 1 when None).  `at`: one month a path: only the exposure
    in that month (one value a path) instead of every month's (months x paths)."""
    f = flows
    mv = f.market_value[:, None] if market_value is None else market_value
    tf = np.ones((f.invoice.size, 1)) if token_factor is None else token_factor
    waiting, replaced = owed(f.paid, f.provider_may_walk,
                             credit_market.buyer_replacement_lead_months)
    df = f.df_buyer[:, None]
    lost_margin = df * (f.revenue[:, None] * tf - f.invoice[:, None])
    dearer = df * ((1.0 + credit_market.buyer_replacement_premium_pct / 100.0) * mv
                   - f.invoice[:, None])
    replacing = np.maximum(_windowed(waiting, lost_margin, at)
                           + _windowed(replaced, dearer, at), 0.0)
    replacing /= _in_month(f.start_df_buyer, at)
    prepaid = f.invoice if f.advance else np.zeros_like(f.invoice)
    return {"replacing": replacing, "deposit_held": _in_month(f.deposit_held, at),
            "prepaid": _in_month(prepaid, at)}


def buyer_exposure(flows: DealFlows, credit_market, market_value=None, token_factor=None,
                   at: np.ndarray | None = None) -> np.ndarray:
    """The buyer's loss if the provider defaults in month k (see the module
    docstring), in money of month k's first day: the sum of
    buyer_exposure_parts (`at` as there)."""
    parts = buyer_exposure_parts(flows, credit_market, market_value, token_factor, at)
    return parts["replacing"] + (parts["deposit_held"] + parts["prepaid"])


def provider_exposure_parts(flows: DealFlows, credit_market, market_value=None,
                            at: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The provider's exposure before its floor at 0, in its parts, each in
    money of month k's first day: `lost` (the invoices over the months the
    buyer owed less re-letting after the lead time; months x paths),
    `unpaid` (the month's invoice if paid in arrears), `fee` (the fee the
    buyer would have paid walking on month k + 1's first day) and
    `deposit_held` (the last three one a month); `at` as buyer_exposure_parts'
    (`lost` then one value a path)."""
    f = flows
    n = f.invoice.size
    mv = f.market_value[:, None] if market_value is None else market_value
    waiting, replaced = owed(f.paid, f.buyer_may_walk,
                             credit_market.provider_relet_lead_months)
    relet = mv * (1.0 - credit_market.provider_relet_discount_pct / 100.0)
    own_use = credit_market.provider_own_use_value_per_gpu_hour * f.gpu_hours
    relet = np.maximum(relet, own_use[:, None])
    df = f.df_provider[:, None]
    lost = (_windowed(waiting + replaced, df * f.invoice[:, None], at)
            - _windowed(replaced, df * relet, at))
    lost /= _in_month(f.start_df_provider, at)
    fee = np.zeros(n)
    if f.buyer_may_walk and n > 1:
        fee[:-1] = f.fee_if_early[1:] * f.start_df_provider[1:] / f.start_df_provider[:-1]
    unpaid = np.zeros(n) if f.advance else f.invoice
    return {"lost": lost, "unpaid": unpaid, "fee": fee, "deposit_held": f.deposit_held}


def provider_exposure(flows: DealFlows, credit_market, market_value=None,
                      at: np.ndarray | None = None) -> np.ndarray:
    """The provider's loss if the buyer defaults in month k (see the module
    docstring), in money of month k's first day: provider_exposure_parts,
    lost + unpaid + fee - deposit held, floored at 0; `at` as
    buyer_exposure_parts'."""
    p = provider_exposure_parts(flows, credit_market, market_value, at)
    return np.maximum(p["lost"] + _in_month(p["unpaid"] + p["fee"] - p["deposit_held"], at), 0.0)


# --- the deal's credit view ----------------------------------------------------------------

@dataclass(frozen=True)
class CreditView:
    buyer_exposure: np.ndarray        # the buyer's loss if the provider defaults in month k
    provider_exposure: np.ndarray     # the provider's loss if the buyer defaults in month k
    buyer_loss_by_month: np.ndarray   # (1 - R) E_k D_k [S(t_k) - S(t_k+1)], provider's default
    provider_loss_by_month: np.ndarray
    buyer_expected_loss: float        # the buyer's expected loss from the provider's default
    provider_expected_loss: float
    provider_hazard: float
    buyer_hazard: float
    provider_default_probability: float   # over the term
    buyer_default_probability: float

    def by_month(self) -> dict[str, np.ndarray]:
        """The series core/figures.py declares in CREDIT_SERIES."""
        return {"buyer_credit_exposure": self.buyer_exposure,
                "provider_credit_exposure": self.provider_exposure,
                "buyer_expected_credit_loss_by_month": self.buyer_loss_by_month,
                "provider_expected_credit_loss_by_month": self.provider_loss_by_month}


@dataclass(frozen=True)
class CreditFigures:
    """The credit figures core/figures.py declares in CREDIT_FIGURES."""
    provider_default_probability: float   # over the term, a fraction (0.068 is 6.8%)
    buyer_default_probability: float
    buyer_peak_credit_exposure: float     # the largest monthly exposure to the provider
    provider_peak_credit_exposure: float
    buyer_expected_credit_loss: float     # CVA: the buyer's expected loss from the provider
    provider_expected_credit_loss: float
    credit_adjusted_buyer_npv: float      # buyer NPV - its expected credit loss (NaN: n/a)
    credit_adjusted_provider_npv: float

    def as_dict(self) -> dict:
        """JSON-ready: an undefined figure (NaN) is null."""
        return {k: (None if not np.isfinite(v) else v)
                for k, v in self.__dict__.items()}


def credit_figures(view: CreditView, buyer_npv: float, provider_npv: float) -> CreditFigures:
    """The totals of a CreditView, and each NPV less its side's expected credit loss."""
    n = view.buyer_exposure.size
    return CreditFigures(
        provider_default_probability=view.provider_default_probability,
        buyer_default_probability=view.buyer_default_probability,
        buyer_peak_credit_exposure=float(view.buyer_exposure.max()) if n else 0.0,
        provider_peak_credit_exposure=float(view.provider_exposure.max()) if n else 0.0,
        buyer_expected_credit_loss=view.buyer_expected_loss,
        provider_expected_credit_loss=view.provider_expected_loss,
        credit_adjusted_buyer_npv=buyer_npv - view.buyer_expected_loss,
        credit_adjusted_provider_npv=provider_npv - view.provider_expected_loss)


def credit_view(credit: Credit, market, flows: DealFlows) -> CreditView:
    provider, buyer = credit.party("provider"), credit.party("buyer")
    b = buyer_exposure(flows, market)[:, 0]
    p = provider_exposure(flows, market)[:, 0]
    by_b = b * loss_weights(provider, flows.start_df_buyer, flows.years)
    by_p = p * loss_weights(buyer, flows.start_df_provider, flows.years)
    term = float(flows.years[-1]) if flows.years.size else 0.0
    h_p, h_b = hazard(provider), hazard(buyer)
    return CreditView(b, p, by_b, by_p, float(by_b.sum()), float(by_p.sum()), h_p, h_b,
                      default_probability(h_p, term), default_probability(h_b, term))


# --- default on the simulated market paths (core/rights.py) -------------------------------

def normal_cdf(z: np.ndarray) -> np.ndarray:
    """Phi(z) = erfc(-z / sqrt 2) / 2."""
    return 0.5 * _erfc(-np.asarray(z, float) / math.sqrt(2.0))


_erfc = np.vectorize(math.erfc, otypes=[float])
_NORMAL = NormalDist()


def default_times(z: np.ndarray, h: float) -> np.ndarray:
    """Default times (years) from standard normals z: tau = -ln(Phi(-z)) / h,
    so P(tau <= t) = P(Phi(-z) >= exp(-h t)) = 1 - exp(-h t); a low z defaults
    early.  h = 0: never (inf)."""
    if h <= 0.0:
        return np.full(np.shape(z), np.inf)
    return -np.log(normal_cdf(-np.asarray(z, float))) / h


def default_thresholds(h: float, bounds: np.ndarray) -> np.ndarray:
    """q_j = Phi^-1(1 - exp(-h t_j)): tau < t_j exactly when z < q_j (tau as
    default_times draws it); -inf where no default is possible by t_j."""
    bounds = np.asarray(bounds, float)
    return _thresholds(float(h), bounds.tobytes())


@lru_cache(maxsize=1024)
def _thresholds(h: float, bounds: bytes) -> np.ndarray:
    """default_thresholds, kept: a simulation asks for the same deal's in every chunk."""
    t = np.frombuffer(bounds, dtype=float)
    p = -np.expm1(-h * t) if h > 0 else np.zeros(len(t))
    out = np.array([-math.inf if x <= 0.0 else math.inf if x >= 1.0 else _NORMAL.inv_cdf(x)
                    for x in p])
    out.setflags(write=False)
    return out


def default_months(z: np.ndarray, h: float, bounds: np.ndarray) -> np.ndarray:
    """month_of(default_times(z, h), bounds) from the thresholds (a search,
    not a normal CDF a path): months = no default in the term; a default
    before the first bound falls in month 0."""
    n = len(bounds) - 1
    q = default_thresholds(h, bounds)
    z = np.asarray(z, float)
    k = np.searchsorted(q, z, side="right") - 1
    return np.where(z < q[-1], np.clip(k, 0, max(n - 1, 0)), n)


def copula_normals(market_factor: np.ndarray, rho: float, eps: np.ndarray,
                   standardised: bool = False) -> np.ndarray:
    """Z = rho M + sqrt(1 - rho^2) eps, M the path's market factor standardised
    across paths (a one-factor Gaussian copula): with rho > 0 a path whose
    market is low defaults early (wrong-way risk).  `standardised`: M is
    already a standard normal (its law known, as core/portfolio_risk.py's),
    so a chunk of paths gives the same Z as all of them."""
    m = np.asarray(market_factor, float)
    if not standardised:
        std = m.std()
        m = (m - m.mean()) / std if std > 0 else np.zeros_like(m)
    return rho * m + math.sqrt(1.0 - rho * rho) * eps


def month_of(tau: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """The month index each default time falls in (months = no default in the term)."""
    n = len(bounds) - 1
    k = np.searchsorted(bounds, tau, side="right") - 1
    return np.where(tau < bounds[-1], np.clip(k, 0, n - 1), n)


def default_losses(party: PartyCredit, exposure_at, discount: np.ndarray, bounds: np.ndarray,
                   z_own: np.ndarray, z_guarantor: np.ndarray) -> np.ndarray:
    """Each path's loss from `party`'s default, in money of the first bound's
    day: (1 - R) E_k,p D_k for the month k its default time falls in (0 with
    no default in the term); the guaranteed share g with the guarantor's
    default time and recovery.  `exposure_at(k, cols)`: the exposure E in
    month k[i] on path cols[i], asked only for the paths that default.
    `bounds`: the n + 1 month boundaries in years on the normals' clock (a
    default before the first falls in month 0)."""
    n = len(bounds) - 1
    d = np.asarray(discount, float)

    def loss(h: float, recovery_pct: float, z: np.ndarray) -> np.ndarray:
        out = np.zeros(np.shape(z))
        k = default_months(z, h, bounds)
        hit = np.flatnonzero(k < n)
        if hit.size:
            out[hit] = (1.0 - recovery_pct / 100.0) * exposure_at(k[hit], hit) * d[k[hit]]
        return out
    g = party.guaranteed_pct / 100.0 if party.guarantor_name.strip() else 0.0
    out = (1.0 - g) * loss(hazard(party), party.recovery_pct, z_own)
    if g > 0.0:
        out += g * loss(guarantor_hazard(party), party.guarantor_recovery_pct, z_guarantor)
    return out


def path_losses(party: PartyCredit, exposure: np.ndarray, discount: np.ndarray,
                bounds: np.ndarray, z_own: np.ndarray, z_guarantor: np.ndarray) -> np.ndarray:
    """default_losses with every month's exposure given (months x paths)."""
    return default_losses(party, lambda k, cols: exposure[k, cols], discount, bounds,
                          z_own, z_guarantor)


@dataclass(frozen=True)
class SimulatedCredit:
    paths: int
    seed: int
    buyer_expected_loss: float        # mean over paths of the buyer's loss from the provider
    buyer_expected_loss_se: float
    provider_expected_loss: float
    provider_expected_loss_se: float
    buyer_analytic_loss: float        # the CVA with EE(t) = the paths' mean exposure
    provider_analytic_loss: float
    buyer_expected_exposure: np.ndarray    # EE(t) by month on the paths
    provider_expected_exposure: np.ndarray


def simulate_defaults(credit: Credit, market, flows: DealFlows, market_value: np.ndarray,
                      token_factor: np.ndarray, rent_index: np.ndarray, seed: int
                      ) -> SimulatedCredit:
    """A default on each simulated market path (months x paths arrays from
    core/rights.py), drawn from the hazard rate through a one-factor Gaussian
    copula: the provider's driver is the path's mean log rent index (rents
    falling -> earlier default when its wrong-way correlation is > 0), the
    buyer's the path's mean log token price factor (its token price falling;
    the log rent index when the token price is not simulated).  A default
    ends the deal in its month with the exposure on that path, less recovery."""
    paths = market_value.shape[1]
    rng = np.random.default_rng(np.random.SeedSequence([seed, 26]))
    eps = rng.standard_normal((4, paths))
    rent_factor = np.log(np.maximum(rent_index, 1e-300)).mean(axis=0)
    token = np.log(np.maximum(token_factor, 1e-300)).mean(axis=0)
    if token.size != paths or np.ptp(token) == 0.0:
        token = rent_factor
    provider, buyer = credit.party("provider"), credit.party("buyer")
    z_p = copula_normals(rent_factor, credit.provider_wrong_way_pct / 100.0, eps[0])
    z_b = copula_normals(token, credit.buyer_wrong_way_pct / 100.0, eps[1])
    tf = np.broadcast_to(token_factor, market_value.shape)
    ex_b = buyer_exposure(flows, market, market_value, tf)
    ex_p = provider_exposure(flows, market, market_value)
    loss_b = path_losses(provider, ex_b, flows.start_df_buyer, flows.years, z_p, eps[2])
    loss_p = path_losses(buyer, ex_p, flows.start_df_provider, flows.years, z_b, eps[3])

    def se(v: np.ndarray) -> float:
        return float(v.std(ddof=1) / math.sqrt(v.size)) if v.size > 1 else 0.0
    ee_b, ee_p = ex_b.mean(axis=1), ex_p.mean(axis=1)
    return SimulatedCredit(
        paths, seed, float(loss_b.mean()), se(loss_b), float(loss_p.mean()), se(loss_p),
        expected_loss(provider, ee_b, flows.start_df_buyer, flows.years),
        expected_loss(buyer, ee_p, flows.start_df_provider, flows.years), ee_b, ee_p)


def simulate_credit(scenario, paths: int = 20_000, seed: int | None = None) -> SimulatedCredit:
    """simulate_defaults on core/rights.py's market paths for `scenario`
    (the same paths and seed as the rights to walk)."""
    from core import rights                       # rights -> engine -> credit: import here
    from core.engine import credit_flows
    seed = rights.DEFAULT_SEED if seed is None else seed
    deal = rights.deal_arrays(scenario)
    market = rights.market_paths(deal, scenario, paths, seed)
    return simulate_defaults(scenario.credit, scenario.market, credit_flows(scenario),
                             market.market_value, market.token_factor, market.rent_index, seed)


# --- the board pack's words -----------------------------------------------------------------

def _money(value: float) -> str:
    from core.formatting import format_by
    return format_by("money", value, "$")


def _adjusted(npv: float) -> str:
    """", so its NPV is $X credit-adjusted", or nothing when the NPV is n/a (the
    buyer's revenue not modelled): no figure is stated for what is not defined."""
    return f", so its NPV is {_money(npv)} credit-adjusted" if math.isfinite(npv) else ""


def finding(results, perspective: str = "both") -> tuple[str, list[str]]:
    """The board pack's credit finding: a title ("A provider default would
    cost the buyer $X; expected loss $Y", or for the provider's pack what a
    buyer default would cost it) and its sentences, each credit figure with
    its label, date and source; a side's pack leaves out the other side's
    loss.  `results`: core.engine's Results."""
    k = results.credit
    c = results.scenario.credit
    provider, buyer = c.party("provider"), c.party("buyer")
    if perspective == "provider":
        title = (f"A buyer default would cost the provider "
                 f"{_money(k.provider_peak_credit_exposure)}; expected loss "
                 f"{_money(k.provider_expected_credit_loss)}")
    else:
        title = (f"A provider default would cost the buyer "
                 f"{_money(k.buyer_peak_credit_exposure)}; expected loss "
                 f"{_money(k.buyer_expected_credit_loss)}")
    sentences = [
        f"Provider credit: {describe(provider)}; a {k.provider_default_probability:.1%} chance "
        f"of default over the term.",
        f"Buyer credit: {describe(buyer)}; a {k.buyer_default_probability:.1%} chance of "
        f"default over the term.",
        f"A provider default would cost the buyer up to "
        f"{_money(k.buyer_peak_credit_exposure)} (deposit, a month prepaid, the margin lost "
        f"while it replaces the capacity); its expected loss is "
        f"{_money(k.buyer_expected_credit_loss)}{_adjusted(k.credit_adjusted_buyer_npv)}.",
        f"A buyer default would cost the provider up to "
        f"{_money(k.provider_peak_credit_exposure)} (the invoices until the buyer could have "
        f"walked, less re-letting and the deposit); its expected loss is "
        f"{_money(k.provider_expected_credit_loss)}"
        f"{_adjusted(k.credit_adjusted_provider_npv)}.",
        "Expected loss = (1 - R) x the sum over months of the exposure, discounted, x the "
        "chance of default in the month; hazard from the credit triangle, h = spread / (1 - R). Spread-implied rates "
        "are risk-neutral, above historical default rates.",
    ]
    if perspective == "buyer":
        del sentences[3]            # what a buyer default costs the provider
    elif perspective == "provider":
        del sentences[2]            # what a provider default costs the buyer
    for side, party in (("provider", provider), ("buyer", buyer)):
        if party.guarantor_name.strip() and party.guaranteed_pct > 0:
            sentences.append(f"{party.guarantor_name} guarantees {party.guaranteed_pct:g}% of "
                             f"the {side}'s obligations: that share carries its credit "
                             f"({party.guarantor_spread_bp:,.0f} bp, "
                             f"{party.guarantor_recovery_pct:g}% recovery).")
    return title, sentences
