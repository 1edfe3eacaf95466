"""The joint simulation of a portfolio: every deal on the same market paths,
each counterparty's default drawn once for all its deals, correlated across
counterparties; the distribution of the book's figure and each deal's
contribution to its spread.

What is simulated (`figure_label`):

- a buyer's book: the buyer's total cost (PV), the present value of its
  payments plus what its providers' defaults cost it.  A cost, not an NPV:
  the book's deals are what the buyer pays for compute, and the token revenue
  behind them is not modelled for every deal;
- a provider's backlog: the provider's NPV (core/economics.py) less what its
  buyers' defaults cost it: the figure a provider's backlog is valued by.

Deal i on path p:  X_ip = b_i + s L_ip, with b_i the deal's own figure
(KeyFigures.npv_payments or provider_npv, at the deal's start date), s = +1
for a cost and -1 for an NPV, and L_ip = (1 - R) E_ip(k) D_i(k) the loss
when the counterparty defaults in the deal's month k (core/credit.py's
default_losses, its exposures and guarantor treatment; 0 without a default
in the term): a default ends the deal that month, the exposure being what
replacing (buyer) or re-letting (provider) the rest of what was owed costs
at the path's rents.  Each deal is then moved from its start date to the
book's origin (the first day of the earliest deal's first month) at its own
rate, D = (1 + r) ^ -(days / 365), so that the figures add.  The contract
fixes the payments: the market moves the figure only through what a default
costs and, with wrong-way correlation, when defaults happen; rights to walk
(core/rights.py) are not exercised here.

The market (core/rights.py's model, on one calendar): one common factor and
one own factor per GPU model, Ornstein-Uhlenbeck from the origin, drawn once
per path for the whole book (`rights.block_normals`, `rights.rent_factors`);
every deal reads the factors of its calendar months and its models, at its
own market's volatility, correlation and mean reversion (deals that share
those share the paths exactly), so that rent_jm = F_jm exp(C_t + S_jt -
(Var C_t + Var S_t) / 2) has mean F_jm, the deal's forward (t the calendar
month of the deal's month m).  The buyer's token price is taken at its path
(no token-price factor).

Defaults (a one-factor Gaussian copula with a wrong-way link): counterparty
c's latent normal Z_c = a_c M + sqrt(1 - a_c^2) (sqrt(rho) Y + sqrt(1 - rho)
e_c), with Y the common credit factor, e_c its own, rho the book's
`default_correlation_pct`, M the market driver (the common factor's average
over the book's months, with the first deal's mean reversion, standardised
by its exact variance: a standard normal on every chunk) and a_c the
counterparty's wrong-way correlation (core/credit.py's: the provider's for a
buyer's book, the buyer's for a provider's).  Its default time is tau =
-ln(Phi(-Z_c)) / h_c from the origin, h_c the hazard of its first deal's
credit in the book (every deal of a counterparty defaults at the same
moment); a default before a deal's start falls in its month 0.  A guaranteed
share uses a guarantor normal of the counterparty's own.

Contributions (the Euler, or covariance, allocation of the standard
deviation):  c_i = cov(X_i, X) / std(X), X = sum_i X_i, so that sum_i c_i =
var(X) / std(X) = std(X); moments over the paths (divided by the paths, not
paths - 1).  Computed on the losses L (X less its constants), which are 0 on
most paths, so that no large mean is subtracted.

Paths run in blocks of BLOCK, each with its own random streams (market,
credit), `chunk` paths (whole blocks) at a time; block sums are added in
block order, so a seed gives the same result whatever the chunk.  Memory:
the normals and rent factors of one chunk, calendar months x (1 + models) x
chunk float32 cells (CHUNK_CELLS, 16 MB an array, a few arrays at once), each
deal's months x defaulting paths of the chunk, and one figure a path for the
percentiles (8 bytes a path): a peak of about 105 MB for 50 deals of 240
months (bench/run.py), whatever the paths.  Only the paths where a
counterparty defaults are valued against the market, and only for the deals
whose exposure reads it (core/credit.py's exposures in each path's default
month, `at=`); 10,000 paths of that book take about 0.45 s of CPU.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from core import credit, rights
from core.engine import credit_flows
from core.figures import format_value, label
from core.finance import discount_factors
from core.parameters import PartyCredit, Scenario
from core.portfolio import Portfolio

DEFAULT_PATHS = 10_000
DEFAULT_SEED = rights.DEFAULT_SEED         # the rights' and the credit simulation's seed
MAX_PATHS = 1_000_000
BLOCK = 1_000                               # paths per random stream
CHUNK_CELLS = 4_000_000                     # calendar months x factors x paths per chunk
FIGURE_KEYS = {"buyer": "portfolio_buyer_cost_pv", "provider": "portfolio_provider_npv"}


class SimulationCancelled(Exception):
    """The caller's `cancelled()` turned true between chunks."""


@dataclass(frozen=True)
class DealContribution:
    name: str                  # the deal's scenario name
    counterparty: str
    deterministic: float       # b_i: the figure without a default, at the book's origin
    mean: float                # mean of X_i over the paths
    std: float
    contribution: float        # cov(X_i, X) / std(X): the deal's share of std(X), in $
    share: float               # contribution / std(X) (0 when std(X) is 0)


@dataclass(frozen=True)
class PortfolioRisk:
    paths: int
    seed: int
    side: str                  # buyer or provider
    figure_key: str            # core/figures.py's declaration of the figure
    figure_label: str
    origin: np.datetime64      # the day every deal is discounted to
    default_correlation_pct: float
    deterministic: float       # sum of b_i: the figure with no default
    mean: float
    p5: float
    p50: float
    p95: float
    std: float
    expected_credit_loss: float          # |mean - deterministic|: what defaults cost on average
    contributions: tuple[DealContribution, ...]   # one per deal, in the portfolio's order
    default_probability: dict[str, float]         # counterparty -> share of paths where it
                                                  # defaults before its last deal ends
    outcomes: np.ndarray                 # (paths,) the figure on each path (the chart's)
    notes: tuple[str, ...]               # what was assumed, said once


    def as_dict(self) -> dict:
        """JSON-ready, keyed as core/figures.py declares PORTFOLIO_RISK_FIGURES."""
        return {
            "paths": self.paths, "seed": self.seed, "side": self.side,
            "figure": self.figure_key, "figure_label": self.figure_label,
            "origin": str(self.origin), "default_correlation_pct": self.default_correlation_pct,
            "portfolio_deterministic": self.deterministic, "portfolio_mean": self.mean,
            "portfolio_p5": self.p5, "portfolio_p50": self.p50, "portfolio_p95": self.p95,
            "portfolio_std": self.std, "portfolio_expected_credit_loss": self.expected_credit_loss,
            "contributions": [
                {"name": c.name, "counterparty": c.counterparty,
                 "portfolio_deterministic": c.deterministic, "deal_simulated_mean": c.mean,
                 "deal_simulated_std": c.std, "deal_contribution": c.contribution,
                 "deal_contribution_share": c.share} for c in self.contributions],
            "counterparty_default_probability": dict(self.default_probability),
            "notes": list(self.notes),
        }

    def text(self) -> str:
        """The simulation in a few lines, labels and formats from core/figures.py."""
        f = format_value
        lines = [f"Joint simulation, {self.paths:,} paths, seed {self.seed}: "
                 f"{self.figure_label} mean {f(self.figure_key, self.mean)}, "
                 f"P5 {f('portfolio_p5', self.p5)}, P50 {f('portfolio_p50', self.p50)}, "
                 f"P95 {f('portfolio_p95', self.p95)}; "
                 f"{label('portfolio_deterministic').lower()} "
                 f"{f('portfolio_deterministic', self.deterministic)}, "
                 f"{label('portfolio_expected_credit_loss').lower()} "
                 f"{f('portfolio_expected_credit_loss', self.expected_credit_loss)}"]
        for c in sorted(self.contributions, key=lambda c: -c.contribution):
            lines.append(f"  {c.counterparty} ({c.name}): {label('deal_contribution').lower()} "
                         f"{f('deal_contribution', c.contribution)} "
                         f"({f('deal_contribution_share', c.share)})")
        lines.append("  " + "; ".join(
            f"{name} {label('counterparty_default_probability').lower()} "
            f"{f('counterparty_default_probability', p)}"
            for name, p in self.default_probability.items()))
        lines += [f"  {note}" for note in self.notes]
        return "\n".join(lines)


# --- the deals' inputs ---------------------------------------------------------------------

# Each deal's inputs, kept for the deals of the last book simulated only (by the
# scenario's identity: scenarios are frozen values, and an edit makes a new one),
# so that memory follows the book (about 1.4 MB a 240-month deal with its owed
# windows), not every deal ever edited.
_INPUTS: dict[int, tuple[Scenario, credit.DealFlows, rights.DealArrays]] = {}


def _deal_inputs(scenario: Scenario, now: dict) -> tuple[credit.DealFlows, rights.DealArrays]:
    """What a deal's exposures and market read, from the last book's when the
    same scenario was in it; recorded in `now` (the next book's)."""
    entry = _INPUTS.get(id(scenario))
    if entry is None or entry[0] is not scenario:
        entry = (scenario, credit_flows(scenario), rights.deal_arrays(scenario))
    now[id(scenario)] = entry
    return entry[1], entry[2]


def forget_deal_inputs() -> None:
    """Drop the kept inputs (a cold run: bench/run.py)."""
    _INPUTS.clear()


@dataclass(frozen=True)
class _Deal:
    flows: credit.DealFlows
    market: object             # the scenario's Market
    group: int                 # its market's index in the book's distinct markets
    models: np.ndarray         # its delivering models' indices in the book's models
    weight: np.ndarray         # (models, months) forward rent x GPU-hours
    market_matters: bool       # whether its exposure reads the market (replacing/re-letting
                               # within what the counterparty owed, after the lead time)
    offset: int                # the calendar month of its month 0
    bounds: np.ndarray         # its n + 1 month boundaries, years from the origin
    discount: np.ndarray       # its start-of-month discount factors (its start = 1)
    to_origin: float           # its start date's discount factor at the origin
    base: float                # b_i at the origin
    counterparty: int


def _months_between(a: np.datetime64, b: np.datetime64) -> int:
    return int((b.astype("datetime64[M]") - a.astype("datetime64[M]")).astype(int))


def _ou_mean_std(kappa: float, years: np.ndarray) -> float:
    """The standard deviation of the average of a unit-volatility OU from 0 over
    the times `years` (years[0] = 0): cov(X_s, X_t) = Var X_min e^(-kappa |t - s|)."""
    t = np.asarray(years, float)
    var = rights.ou_variance(1.0, kappa, np.minimum.outer(t, t))
    cov = var * np.exp(-kappa * np.abs(np.subtract.outer(t, t)))
    return float(math.sqrt(max(cov.mean(), 0.0)))


def _counterparty_party(portfolio: Portfolio, scenario: Scenario) -> tuple[PartyCredit, float]:
    """The counterparty's credit and wrong-way correlation in a deal's scenario."""
    c = scenario.credit
    if portfolio.side == "buyer":
        return c.party("provider"), c.provider_wrong_way_pct / 100.0
    return c.party("buyer"), c.buyer_wrong_way_pct / 100.0


def simulate_portfolio(portfolio: Portfolio, paths: int = DEFAULT_PATHS,
                       seed: int = DEFAULT_SEED, chunk: int | None = None, *,
                       progress: Callable[[float], None] | None = None,
                       cancelled: Callable[[], bool] | None = None) -> PortfolioRisk:
    """The book's figure on `paths` joint paths (see the module docstring).
    `chunk`: paths at a time (rounded up to whole blocks of BLOCK; default:
    CHUNK_CELLS cells); it changes neither the result nor, beyond its working
    arrays, the memory used.  `progress(fraction)` is called between chunks;
    `cancelled()` true between chunks raises SimulationCancelled."""
    if not 1 <= paths <= MAX_PATHS:
        raise ValueError(f"Paths must be between 1 and {MAX_PATHS:,}; got {paths:,}")
    side = portfolio.side
    sign = 1.0 if side == "buyer" else -1.0
    rho = portfolio.default_correlation_pct / 100.0
    starts = [np.datetime64(d.scenario.contract.start_date, "D") for d in portfolio.deals]
    origin = min(starts).astype("datetime64[M]").astype("datetime64[D]")

    # Counterparties, in order of first appearance; their credit is their first deal's.
    names: list[str] = []
    parties: list[PartyCredit] = []
    wrong_way: list[float] = []
    notes: list[str] = []
    for deal in portfolio.deals:
        party, a = _counterparty_party(portfolio, deal.scenario)
        if deal.counterparty not in names:
            names.append(deal.counterparty)
            parties.append(party)
            wrong_way.append(a)
        elif party != parties[names.index(deal.counterparty)]:
            notes.append(f"{deal.counterparty}: its deals state different credit; its first "
                         f"deal's ({credit.describe(parties[names.index(deal.counterparty)])}) "
                         f"is used for all, so that they default together.")

    # The book's GPU models and distinct markets.
    kept_inputs: dict = {}
    models: list[str] = []
    markets: list[tuple] = []
    market_of: list = []
    deals: list[_Deal] = []
    calendar = 1
    for deal, start in zip(portfolio.deals, starts):
        s = deal.scenario
        flows, arrays = _deal_inputs(s, kept_inputs)
        mk = s.market
        key = (mk.rent_vol_pct, mk.model_rent_correlation_pct, mk.rent_mean_reversion_per_year)
        if key not in markets:
            markets.append(key)
            market_of.append(mk)
        used = np.flatnonzero(arrays.gpu_hours.sum(axis=1) > 0)
        names_used = [_curve_models(s)[j] for j in used]
        for m in names_used:
            if m not in models:
                models.append(m)
        rate = (s.contract.discount_rate_pct if side == "buyer"
                else s.contract.provider_wacc_pct) / 100.0
        to_origin = float(discount_factors(np.array([start]), origin, rate)[0])
        figure = (deal.results.key_figures.npv_payments if side == "buyer"
                  else deal.results.key_figures.provider_npv)
        offset = _months_between(origin, start)
        if side == "buyer":
            replaced = credit.owed(flows.paid, flows.provider_may_walk,
                                   mk.buyer_replacement_lead_months)[1]
        else:
            replaced = credit.owed(flows.paid, flows.buyer_may_walk,
                                   mk.provider_relet_lead_months)[1]
        market_matters = bool(replaced.any()) and used.size > 0
        calendar = max(calendar, offset + arrays.months)
        deals.append(_Deal(
            flows=flows, market=mk, group=markets.index(key),
            models=np.array([models.index(m) for m in names_used], dtype=int),
            weight=(arrays.forward * arrays.gpu_hours)[used], market_matters=market_matters,
            offset=offset, bounds=np.asarray(flows.years, float)
            + float((start - origin).astype(int)) / credit.DAYS_PER_YEAR,
            discount=flows.start_df_buyer if side == "buyer" else flows.start_df_provider,
            to_origin=to_origin, base=float(figure) * to_origin,
            counterparty=names.index(deal.counterparty)))
    global _INPUTS
    _INPUTS = kept_inputs          # one assignment: a simulation in another thread reads either
    if any(np.isnan(d.base) for d in deals):
        raise ValueError("A deal's figure is not defined (n/a), so the book's is not either")

    # The calendar: each month's first day, years from the origin.
    first_days = (origin.astype("datetime64[M]") + np.arange(calendar + 1)).astype(
        "datetime64[D]")
    years = (first_days - origin).astype(float) / credit.DAYS_PER_YEAR
    t, dt = years[:-1], np.diff(years)
    kappa = market_of[0].rent_mean_reversion_per_year
    driver_std = _ou_mean_std(kappa, t)
    ends = np.zeros(len(names))
    for d in deals:
        ends[d.counterparty] = max(ends[d.counterparty], d.bounds[-1])
    end_thresholds = np.array([credit.default_thresholds(credit.hazard(p), np.array([e]))[0]
                               for p, e in zip(parties, ends)])

    blocks = -(-paths // BLOCK)
    streams = [tuple(b.spawn(2)) for b in np.random.SeedSequence(seed).spawn(blocks)]
    sizes = [min(BLOCK, paths - b * BLOCK) for b in range(blocks)]
    factors = 1 + len(models)
    if chunk is None:
        chunk = CHUNK_CELLS // max(calendar * factors, 1)
    step = max(1, -(-int(chunk) // BLOCK))
    n_deals = len(deals)
    total_loss = np.empty(paths)
    # Per block: sums of L_i, L_i^2, L_i x L (L = sum_i s L_i), and defaults by counterparty.
    s1 = np.zeros((blocks, n_deals))
    s2 = np.zeros((blocks, n_deals))
    s12 = np.zeros((blocks, n_deals))
    defaults = np.zeros((blocks, len(names)))
    for first in range(0, blocks, step):
        if cancelled is not None and cancelled():
            raise SimulationCancelled()
        chunk_blocks = range(first, min(blocks, first + step))
        chunk_sizes = [sizes[b] for b in chunk_blocks]
        start_path = first * BLOCK
        width = sum(chunk_sizes)
        z = rights.block_normals([streams[b][0] for b in chunk_blocks], chunk_sizes,
                                 (calendar, factors))
        e = rights.block_normals([streams[b][1] for b in chunk_blocks], chunk_sizes,
                                 (1 + 2 * len(names),)).astype(float)
        driver = rights.ou_paths(z[:, 0].copy(), 1.0, kappa, dt).mean(axis=0)
        if driver_std > 0:
            driver = driver.astype(float) / driver_std
        # Each market's rent index by model, rent / forward = exp(C + S_j - variances / 2):
        # models x paths x calendar months, so that a path's months are contiguous.
        index: list[np.ndarray] = []
        for g, mk in enumerate(market_of):
            zg = z if g == len(market_of) - 1 else z.copy()
            scale, own = rights.rent_factors(zg, mk, t, dt, own=len(models) > 0)
            level = scale[:, None, :] if own is None else own * scale[:, None, :]
            index.append(np.ascontiguousarray(
                np.broadcast_to(level, (calendar, max(len(models), 1), width)).transpose(1, 2, 0)))
        del z
        latent = []
        for c, party in enumerate(parties):
            mixed = math.sqrt(rho) * e[0] + math.sqrt(1.0 - rho) * e[1 + c]
            a = wrong_way[c] if driver_std > 0 else 0.0
            latent.append(credit.copula_normals(driver, a, mixed, standardised=True))
            defaults_c = latent[-1] < end_thresholds[c]
            for i, b in enumerate(chunk_blocks):
                lo = i * BLOCK
                defaults[b, c] = np.count_nonzero(defaults_c[lo:lo + chunk_sizes[i]])
        losses = np.zeros((n_deals, width))
        for i, d in enumerate(deals):
            party = parties[d.counterparty]
            if credit.hazard(party) <= 0 and not (party.guarantor_name.strip()
                                                   and party.guaranteed_pct > 0):
                continue
            losses[i] = sign * d.to_origin * credit.default_losses(
                party, _exposure_at(d, index[d.group], side), d.discount, d.bounds,
                latent[d.counterparty], e[1 + len(names) + d.counterparty])
        total = losses.sum(axis=0)
        total_loss[start_path:start_path + width] = total
        for i, b in enumerate(chunk_blocks):
            lo, hi = i * BLOCK, i * BLOCK + chunk_sizes[i]
            part = losses[:, lo:hi]
            s1[b] = part.sum(axis=1)
            s2[b] = (part * part).sum(axis=1)
            s12[b] = part @ total[lo:hi]
        if progress is not None:
            progress(min(1.0, (first + step) / blocks))

    mean_l = s1.sum(axis=0) / paths
    var_l = np.maximum(s2.sum(axis=0) / paths - mean_l ** 2, 0.0)
    cov = s12.sum(axis=0) / paths - mean_l * mean_l.sum()
    var = float(max(cov.sum(), 0.0))
    std = math.sqrt(var)
    bases = np.array([d.base for d in deals])
    deterministic = float(bases.sum())
    outcomes = deterministic + total_loss
    p5, p50, p95 = (float(v) for v in np.percentile(outcomes, [5, 50, 95]))
    mean = float(deterministic + mean_l.sum())
    contributions = tuple(
        DealContribution(name=deal.scenario.name, counterparty=deal.counterparty,
                         deterministic=float(bases[i]), mean=float(bases[i] + mean_l[i]),
                         std=float(math.sqrt(var_l[i])),
                         contribution=float(cov[i] / std) if std > 0 else 0.0,
                         share=float(cov[i] / var) if var > 0 else 0.0)
        for i, deal in enumerate(portfolio.deals))
    probability = {name: float(defaults[:, c].sum() / paths) for c, name in enumerate(names)}
    notes.append(f"Counterparties' default correlation {portfolio.default_correlation_pct:g}%; "
                 f"each deal discounted to {origin} at its own rate.")
    return PortfolioRisk(
        paths=paths, seed=seed, side=side, figure_key=FIGURE_KEYS[side],
        figure_label=label(FIGURE_KEYS[side]), origin=origin,
        default_correlation_pct=portfolio.default_correlation_pct, deterministic=deterministic,
        mean=mean, p5=p5, p50=p50, p95=p95, std=std,
        expected_credit_loss=abs(mean - deterministic), contributions=contributions,
        default_probability=probability, outcomes=outcomes, notes=tuple(notes))


def _curve_models(scenario: Scenario) -> tuple[str, ...]:
    """The models of the deal's forward curve, in rights.deal_arrays's order."""
    return tuple(r.gpu_model for r in scenario.market.rents)


def _exposure_at(deal: _Deal, index: np.ndarray, side: str):
    """exposure_at(k, cols) for credit.default_losses: the deal's exposure in
    month k[i] on path cols[i], its market value on those paths from the
    book's rent index (models x paths x calendar months; only the defaulting
    paths' rows are read, and none when the market does not enter it)."""
    n = deal.flows.invoice.size
    months = slice(deal.offset, deal.offset + n)

    def at(k: np.ndarray, cols: np.ndarray) -> np.ndarray:
        value = None
        if deal.market_matters:
            value = deal.weight[0] * index[deal.models[0], cols, months]
            for j, model in enumerate(deal.models[1:], 1):
                value += deal.weight[j] * index[model, cols, months]
            value = value.T                        # months x paths, as core/credit.py reads
        if side == "buyer":
            return credit.buyer_exposure(deal.flows, deal.market, value, at=k)
        return credit.provider_exposure(deal.flows, deal.market, value, at=k)
    return at
